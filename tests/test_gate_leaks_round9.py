"""Round-9 leak A20 (branch attack-9, ``attacks9/README.md``): one file, two readings.

The page content object is defined twice, first naming someone, then clean; the cross-reference table points at
the first, but its entries are 19 or 21 bytes. PDFium (the reviewer's viewer) rejects the table, rebuilds it and
shows the clean page; qpdf and pypdf read the table, so the copy would publish the name. Refused as
``pdf.dubbelzinnig`` twice over: by the layout scan before the copy is made (``gate/xref.py``) and by comparing
PDFium's reading of the original with its reading of the copy (``core._same_pages``). PDFs written byte by byte,
as the reproducer does; the counterparts with a well-formed table are accepted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support import XRAY
from support.pdfcraft import (
    accepted,
    decoded_streams,
    errors_by_code,
    font_descriptor,
    inspected,
    page_with,
    pixels,
    refused,
    secret_in,
)

CLEAN = b"BT /F1 11 Tf 72 760 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"
DIRTY = CLEAN + b"BT /F1 11 Tf 72 700 Td (Behandelaar: Jan Vermeulen) Tj ET\n"
BOXED = CLEAN + b"0 g 70 595 160 22 re f\n"
OBJECTS = {
    1: b"<< /Type /Catalog /Pages 2 0 R /Lang (nl-NL) >>",
    2: b"<< /Type /Pages /Kids [10 0 R] /Count 1 >>",
    3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    10: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 11 0 R >>",
}


def _content(stream: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"


def two_definitions(first: bytes, second: bytes | None, eol: bytes = b" \n") -> bytes:
    """Object 11 (the page content) defined as ``first`` and then (unless None) as ``second``; the table, with
    entries ending in ``eol``, points at the first."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in [*OBJECTS.items(), (11, _content(first))]:
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    if second is not None:
        out += b"11 0 obj\n" + _content(second) + b"\nendobj\n"
    xref = len(out)
    rows = [b"0000000000 65535 f" + eol]
    rows += [(b"%010d 00000 n" % offsets[n] if n in offsets else b"0000000000 65535 f") + eol for n in range(1, 12)]
    out += b"xref\n0 12\n" + b"".join(rows)
    out += b"trailer\n<< /Size 12 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _readers_disagree(data: bytes) -> None:
    """The premise: PDFium shows no name, pypdf (like qpdf) reads the first definition."""
    import io

    import pypdfium2 as pdfium
    from pypdf import PdfReader

    doc = pdfium.PdfDocument(data)
    try:
        assert "Vermeulen" not in doc[0].get_textpage().get_text_range()
    finally:
        doc.close()
    assert "Vermeulen" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


EOLS = {"19 bytes, LF": b"\n", "19 bytes, CR": b"\r", "21 bytes": b"  \n"}


@pytest.mark.parametrize("eol", EOLS.values(), ids=EOLS.keys())
def test_a20_a_table_pdfium_rebuilds_over_a_second_definition_is_refused(eol):
    data = two_definitions(DIRTY, CLEAN, eol)
    _readers_disagree(data)
    result = refused(data, "pdf.dubbelzinnig")
    assert result["error"].startswith("het pdf-bestand is beschadigd of dubbelzinnig opgebouwd: verschillende pdf-lezers")
    assert "verwijzingstabel (xref)" in result["error"] and "in plaats van de voorgeschreven 20" in result["error"]
    assert "Vermeulen" not in result["error"]


@pytest.mark.parametrize("eol", [b" \n", b"\r\n", b" \r"], ids=["space LF", "CR LF", "space CR"])
def test_a20_counterpart_one_definition_and_a_20_byte_table_is_accepted(eol):
    result, copy = accepted(two_definitions(DIRTY, None, eol))
    assert "Behandelaar: Jan Vermeulen" in result["texts"][0]  # what the reviewer saw, published as seen
    assert copy.startswith(b"%PDF-")


@pytest.mark.parametrize("eol", EOLS.values(), ids=EOLS.keys())
def test_a20_a_malformed_table_without_a_second_definition_is_refused_too(eol):
    # every reader shows the same page here, but the table is what PDFium rebuilds: refused, not guessed
    assert "20" in refused(two_definitions(CLEAN, None, eol), "pdf.dubbelzinnig")["error"]


def test_a20_an_object_defined_twice_in_one_revision_is_refused_with_a_well_formed_table():
    result = refused(two_definitions(DIRTY, CLEAN), "pdf.dubbelzinnig")
    assert "object 11 staat twee keer in het bestand" in result["error"]


@pytest.mark.parametrize("eol", EOLS.values(), ids=EOLS.keys())
def test_a20_pdfiums_reading_of_the_original_is_compared_with_the_copy(eol, monkeypatch):
    # the second layer alone, for what the layout scan cannot foresee: another text on the page is refused
    import publish.gate.copy

    monkeypatch.setattr(publish.gate.copy, "layout_problem", lambda data: None)
    found = errors_by_code(inspected(two_definitions(DIRTY, CLEAN, eol)))["pdf.dubbelzinnig"]
    assert found["location"] == "pagina 1"
    assert found["message"].startswith("het pdf-bestand is beschadigd of dubbelzinnig opgebouwd")
    assert "de gepubliceerde kopie toont op pagina 1 andere tekst dan de pdf-lezer van de beoordelaar" in found["message"]
    assert "Opslaan als pdf" in found["fix"] and "Vermeulen" not in found["message"]


def test_a20_the_same_text_with_other_page_objects_is_refused(monkeypatch):
    # PDFium draws a box the copy would not: same text, one page object less
    import publish.gate.copy

    monkeypatch.setattr(publish.gate.copy, "layout_problem", lambda data: None)
    found = errors_by_code(inspected(two_definitions(CLEAN, BOXED, b"\n")))["pdf.dubbelzinnig"]
    assert "op pagina 1 andere onderdelen (tekst, vlakken, afbeeldingen) dan de pdf-lezer" in found["message"]


def test_a20_the_problem_says_how_to_fix_it():
    from publish.evaluate import _pdf_fix

    fix = _pdf_fix("pdf.dubbelzinnig")
    assert "Opslaan als pdf" in fix and "Afdrukken naar pdf" in fix and "opnieuw aan" in fix


def test_a20_real_pdfs_have_a_layout_every_reader_reads_alike():
    """No false refusals: the x-ray set (real court filings from many producers, two linearised, with incremental
    updates and cross-reference streams) and the example packages' PDFs (Dutch government producers)."""
    from publish.gate.xref import layout_problem

    files = sorted(XRAY.glob("*.pdf")) + sorted((Path(__file__).resolve().parent.parent / "decisions").rglob("*.pdf"))
    assert len(files) > 5
    assert {f.name: layout_problem(f.read_bytes()) for f in files if layout_problem(f.read_bytes())} == {}


# -- A15/A16 (low): names the copy kept although no viewer draws by them -------------------------------------------
def _cmap(extra: bytes = b"") -> bytes:
    return (
        b"%!PS-Adobe-3.0 Resource-CMap\n% Auteur: Jan Vermeulen\n/CIDInit /ProcSet findresource begin\n12 dict begin\n"
        b"begincmap\n/CIDSystemInfo << /Registry (Vermeulen) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Vermeulen-UCS def\n/CMapType 2 def\n/Jan (Vermeulen) def\nJan Vermeulen pop\n"
        + extra
        + b"1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        b"1 beginbfrange\n<20> <7E> <0020>\nendbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )


def _named(pdf, page):
    from pikepdf import Array, Dictionary, Name, String

    font = page.Resources.Font.F1
    font.ToUnicode = pdf.make_stream(_cmap())
    font.FirstChar, font.LastChar, font.Widths = 32, 126, Array([556] * 95)
    font.FontDescriptor = pdf.make_indirect(font_descriptor("Helvetica", CharSet=String("/D/i/t/s/Jan/Vermeulen")))
    page.Resources.ExtGState = Dictionary(
        GS1=Dictionary(
            Type=Name.ExtGState,
            HT=Dictionary(
                Type=Name.Halftone,
                HalftoneType=1,
                Frequency=60,
                Angle=45,
                SpotFunction=Name.Round,
                HalftoneName=String("Raster Vermeulen"),
            ),
        )
    )


def test_a15_a16_cmap_names_charset_and_halftone_name_are_neutralised_and_the_page_unchanged():
    data = page_with(CLEAN + b"/GS1 gs 0 g 72 600 100 20 re f\n", _named)
    assert secret_in(data, "Vermeulen")  # the premise
    result, copy = accepted(data)
    assert secret_in(copy, "Vermeulen") == []
    assert pixels(copy) == pixels(data)
    assert "Dit is een gewone zichtbare regel tekst op de pagina." in result["texts"][0]
    streams = decoded_streams(copy)
    cmap = streams[streams.index(b"/CIDInit") : streams.index(b"endcmap")]
    assert b"%" not in cmap and b"/Jan" not in cmap and b" def\n/Jan" not in cmap  # written anew (shown.pruned_cmap)
    assert b"/CMapName /Adobe-Identity-UCS def" in cmap and b"/Registry (Adobe) /Ordering (UCS)" in cmap
    assert b"beginbfrange\n<20> <7E> <0020>\nendbfrange" in cmap


def test_a15_a_cmap_that_cannot_be_read_into_tokens_is_left_as_it_is():
    import pikepdf
    from pikepdf import Stream

    from publish.gate.copy import _neutral_cmap

    with pikepdf.new() as pdf:
        nested = _cmap(b"/Note (a (nested) string) def\n")
        stream = Stream(pdf, nested)
        _neutral_cmap(stream)
        assert stream.read_bytes() == nested
        stream = Stream(pdf, _cmap())
        _neutral_cmap(stream)
        assert b"Vermeulen" not in stream.read_bytes() and b"Jan" not in stream.read_bytes()


def _image(data: bytes, **keys):
    def setup(pdf, page):
        from pikepdf import Dictionary, Name

        image = pdf.make_stream(data)
        image.Type, image.Subtype, image.Width, image.Height = Name.XObject, Name.Image, 2, 1
        image.ColorSpace, image.BitsPerComponent = Name.DeviceGray, 8
        for key, value in keys.items():
            image[Name("/" + key)] = value
        page.Resources.XObject = Dictionary(Im1=image)

    return page_with(CLEAN + b"q 100 0 0 20 72 600 cm /Im1 Do Q\n", setup)


@pytest.mark.parametrize("filtered", [False, True], ids=["unfiltered", "flate with a predictor"])
def test_a16_image_bytes_past_the_last_pixel_are_not_in_the_copy(filtered):
    import zlib

    from pikepdf import Dictionary, Name

    pixels_and_name = b"\x40\x80Jan Vermeulen"
    if filtered:  # PNG predictors: each row of 2 bytes after its filter byte (0, none)
        trailing = b"Jan Vermeulen "
        rows = b"\x00\x40\x80" + b"".join(b"\x00" + trailing[i : i + 2] for i in range(0, len(trailing), 2))
        data = _image(zlib.compress(rows), Filter=Name.FlateDecode, DecodeParms=Dictionary(Predictor=12, Columns=2))
    else:
        data = _image(pixels_and_name)
    assert secret_in(data, "Vermeulen")  # the premise (decoded)
    _, copy = accepted(data)
    assert secret_in(copy, "Vermeulen") == [] and pixels(copy) == pixels(data)


def test_a16_samples_past_a_sampled_functions_last_are_not_in_the_copy():
    from pikepdf import Array, Dictionary, Name

    def setup(pdf, page):
        samples = pdf.make_stream(b"\xff\x00Jan Vermeulen")
        samples.FunctionType, samples.Domain, samples.Range = 0, Array([0, 1]), Array([0, 1])
        samples.Size, samples.BitsPerSample = Array([2]), 8
        space = Array([Name.Separation, Name("/Steunkleur"), Name.DeviceGray, samples])
        page.Resources.ColorSpace = Dictionary(CS0=space)

    data = page_with(CLEAN + b"/CS0 cs 1 scn 72 600 100 20 re f\n", setup)
    assert secret_in(data, "Vermeulen")
    _, copy = accepted(data)
    assert secret_in(copy, "Vermeulen") == [] and pixels(copy) == pixels(data)
