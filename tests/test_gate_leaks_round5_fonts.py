"""Round-5 leaks in the redaction gate (issue 10), group A: fonts, text placement and number ranges.

Each hostile case places a name where PDFium (the gate's engine) draws it beside a black box while poppler,
MuPDF or Ghostscript draw it under the box (or the box over it). Each is refused, or neutralised in the copy
(the advances written as PDFium reads them), and a clean counterpart is accepted. PDFs crafted with pikepdf.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal

import pikepdf
import pypdfium2 as pdfium
import pytest
from pikepdf import Array, Dictionary, Name

from support.pdfcraft import accepted, font_descriptor, one_page_pdf, refused

SECRET = "Pietersen"
UNJUDGED = "pdf.niet_te_beoordelen_lettertype"
VISIBLE = b"BT /F1 12 Tf 72 750 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"


def font2(**entries):
    """A second font F2 (non-embedded Helvetica unless ``entries`` say otherwise)."""

    def setup(pdf, page, resources, font):
        f = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
        for key, value in entries.items():
            f[Name("/" + key)] = value
        resources.Font.F2 = pdf.make_indirect(f)

    return setup


def type0(**cid):
    """F2: a non-embedded composite font (Identity-H, CIDFontType2) with the descendant entries ``cid``."""

    def setup(pdf, page, resources, font):
        descendant = Dictionary(
            Type=Name.Font,
            Subtype=Name.CIDFontType2,
            BaseFont=Name("/Foobar"),
            CIDSystemInfo=Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0),
            FontDescriptor=pdf.make_indirect(font_descriptor("Foobar")),
        )
        for key, value in cid.items():
            descendant[Name("/" + key)] = value
        resources.Font.F2 = pdf.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.Type0,
                BaseFont=Name("/Foobar"),
                Encoding=Name("/Identity-H"),
                DescendantFonts=Array([pdf.make_indirect(descendant)]),
            )
        )

    return setup


def type3(matrix, proc: bytes = b"1000 0 0 0 1000 1000 d1 0 0 1000 1000 re f"):
    """T3: a Type 3 font whose glyph ``a`` is a filled 1000x1000 box."""

    def setup(pdf, page, resources, font):
        resources.Font.T3 = pdf.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.Type3,
                FontBBox=Array([0, 0, 1000, 1000]),
                FontMatrix=Array(matrix),
                CharProcs=Dictionary(a=pdf.make_stream(proc)),
                Encoding=Dictionary(Type=Name.Encoding, Differences=Array([97, Name.a])),
                FirstChar=97,
                LastChar=97,
                Widths=Array([1000]),
                Resources=Dictionary(),
            )
        )

    return setup


def black_image(pdf, page, resources, font):
    image = pikepdf.Stream(pdf, b"\x00")
    image.Type, image.Subtype, image.Width, image.Height, image.BitsPerComponent = Name.XObject, Name.Image, 1, 1, 8
    image.ColorSpace = Name.DeviceGray
    resources.XObject = Dictionary(Im0=pdf.make_indirect(image))


def spaces_then_name(font: bytes, codes: bytes, bar: tuple[int, int] | None, invisible: bool = False) -> bytes:
    """``codes`` shown in ``font`` (invisible with ``invisible``), then the name in Helvetica; a black bar at ``bar``."""
    hide, show = (b"3 Tr ", b"0 Tr ") if invisible else (b"", b"")
    content = (
        VISIBLE + b"BT " + font + b" 14 Tf " + hide + b"72 600 Td " + codes + b" Tj " + show + b"/F1 14 Tf ( Pietersen) Tj ET\n"
    )
    if bar:
        content += b"0 g %d 595 %d 22 re f\n" % bar
    return content


def name_x(data: bytes) -> float:
    """Where PDFium puts the name's first letter (x in points)."""
    page = pdfium.PdfDocument(data)[0]
    text = page.get_textpage()
    at = text.get_text_range().find(SECRET)
    assert at >= 0
    return text.get_charbox(at)[0]


def poppler_name_x(data: bytes) -> float | None:
    """Where poppler (pdftotext -bbox) puts the word that is the name, or None without pdftotext."""
    if not shutil.which("pdftotext"):
        return None
    out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    for line in out.splitlines():
        if line.strip().endswith(f">{SECRET}</word>"):
            return float(line.split('xMin="')[1].split('"')[0])
    raise AssertionError(out)


# -- numbers beyond 32 bits (nm01, nm04, nm05): MuPDF and Ghostscript wrap them, PDFium clamps, poppler drops ---------
@pytest.mark.parametrize(
    "content",
    [
        VISIBLE + b"BT /F1 14 Tf 4294967368 600 Td (Pietersen) Tj ET\n0 g 70 595 70 22 re f\n",  # nm01
        VISIBLE + b"BT /F1 14 Tf 72 600 Td (Pietersen) Tj ET\n0 g 4294967366 595 70 22 re f\n",  # nm04
        VISIBLE + b"BT /F1 14 Tf 72 600 Td [(P) -4294967296000 (ietersen)] TJ ET\n",
        VISIBLE + b"BT /F1 14 Tf 72 600 Td (Pietersen) Tj ET\n% a comment\n0 g -4294967226 595 70 22 re f\n",
        VISIBLE + b"BT /F1 14 Tf 72 600 Td (Pietersen) Tj ET\n0 g 4294967366.0 595 70 22 re f\n",
    ],
    ids=["td", "re", "tj", "commented", "real"],
)
def test_numbers_beyond_32_bits_in_content_refused(content):
    refused(one_page_pdf(content), "pdf.onleesbaar")


def test_image_placed_beyond_32_bits_refused():  # nm05
    content = VISIBLE + b"BT /F1 14 Tf 72 600 Td (Pietersen) Tj ET\nq 70 0 0 22 4294967366 595 cm /Im0 Do Q\n"
    refused(one_page_pdf(content, black_image), "pdf.onleesbaar")


def test_form_box_and_glyph_numbers_beyond_32_bits_refused():
    def form(box):
        def setup(pdf, page, resources, font):
            xobject = pdf.make_stream(b"0 g 0 0 70 22 re f")
            xobject.Type, xobject.Subtype, xobject.BBox = Name.XObject, Name.Form, Array(box)
            resources.XObject = Dictionary(Fm0=xobject)

        return setup

    content = VISIBLE + b"BT /F1 14 Tf 72 600 Td (Pietersen) Tj ET\nq 1 0 0 1 70 595 cm /Fm0 Do Q\n"
    refused(one_page_pdf(content, form([0, 0, 4294967366, 22])), "pdf.onleesbaar")
    accepted(one_page_pdf(VISIBLE + b"q 1 0 0 1 70 300 cm /Fm0 Do Q\n", form([0, 0, 70, 22])))
    glyph = b"1000 0 0 0 1000 1000 d1 4294967296 0 1000 1000 re f"
    content = VISIBLE + b"BT /T3 14 Tf 72 300 Td (a) Tj ET\n"
    refused(one_page_pdf(content, type3([0.001, 0, 0, 0.001, 0, 0], glyph)), "pdf.onleesbaar")


def test_numbers_within_32_bits_accepted_and_kept():
    """Leading zeros (ten digits) and long fractions are ordinary numbers: the copy draws the name where it was."""
    content = VISIBLE + b"BT /F1 14 Tf 0000000072 600.000000000001 Td (Pietersen) Tj ET\n0 g 300 595 70 22 re f\n"
    data = one_page_pdf(content)
    _, copy = accepted(data)
    assert name_x(copy) == name_x(data) < 80
    _, copy = accepted(one_page_pdf(VISIBLE + b"0 g 999999999 595 70 22 re f\n"))


# -- cw01: a non-embedded font that is not a standard font, without /Widths -------------------------------------
def test_unknown_font_without_widths_refused():  # cw01
    data = one_page_pdf(spaces_then_name(b"/F2", b"(" + b" " * 60 + b")", (281, 95)), font2(BaseFont=Name("/Foobar")))
    result = refused(data, UNJUDGED)
    assert [f["location"] for f in result["findings"] if f["code"] == UNJUDGED] == ["pagina 1"]
    for base in ("/Verdana", "/ABCDEF+Helvetica", "/Calibri"):
        refused(one_page_pdf(spaces_then_name(b"/F2", b"(" + b" " * 60 + b")", None), font2(BaseFont=Name(base))), UNJUDGED)
    setup = font2(BaseFont=Name("/Verdana"), Subtype=Name.TrueType)
    refused(one_page_pdf(spaces_then_name(b"/F2", b"(" + b" " * 60 + b")", None), setup), UNJUDGED)


@pytest.mark.parametrize("base", ["/Helvetica", "/Times-Roman", "/Arial", "/Arial,Bold", "/TimesNewRomanPSMT", "/CourierNew"])
def test_standard_fonts_without_widths_accepted(base):
    """The standard 14 fonts and the names every viewer maps onto them need no /Widths: the copy keeps them."""
    data = one_page_pdf(spaces_then_name(b"/F2", b"(" + b"e" * 10 + b")", None), font2(BaseFont=Name(base)))
    _, copy = accepted(data)
    assert name_x(copy) == name_x(data)


def test_unknown_font_with_widths_accepted():
    """The same unknown font with /Widths: every viewer spaces it by them, the name stays beside the bar."""
    setup = font2(BaseFont=Name("/Foobar"), FirstChar=32, LastChar=32, Widths=Array([278]))
    data = one_page_pdf(spaces_then_name(b"/F2", b"(" + b" " * 60 + b")", (400, 95)), setup)
    _, copy = accepted(data)
    assert name_x(copy) == name_x(data)
    assert abs(name_x(copy) - (72 + 61 * 0.278 * 14)) < 2  # 60 spaces in F2, one in F1
    if (x := poppler_name_x(copy)) is not None:
        assert abs(x - name_x(copy)) < 2


# -- gl01: a standard font without /Widths: PDFium's built-in fonts space some glyphs otherwise -------------------------
@pytest.mark.parametrize(
    ("base", "glyph"),
    [
        ("/Helvetica", "/uni0057"),
        ("/Helvetica", "/u0057"),
        ("/Helvetica", "/Euro"),
        ("/Helvetica", "/.notdef"),
        ("/Helvetica-Bold", "/at"),
    ],
)
def test_standard_font_gets_widths_as_pdfium_reads_them(base, glyph):  # gl01
    """Codes named ``glyph``, then the name: PDFium spaces them by its built-in font, poppler and MuPDF by their
    metrics (gl01: 186 pt apart, the name under a bar in one, beside it in the other). The copy carries /Widths as
    PDFium reads the font, so poppler places the name where PDFium does."""
    setup = font2(BaseFont=Name(base), Encoding=Dictionary(Type=Name.Encoding, Differences=Array([32, Name(glyph)])))
    data = one_page_pdf(spaces_then_name(b"/F2", b"(" + b" " * 20 + b")", None), setup)
    _, copy = accepted(data)
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        font = pdf.pages[0].Resources.Font.F2
        assert len(font.Widths) == font.LastChar - font.FirstChar + 1
    assert name_x(copy) == name_x(data)
    if (x := poppler_name_x(copy)) is not None:
        assert abs(x - name_x(copy)) < 2, (x, name_x(copy))


def test_standard_font_renders_the_same_with_widths_written():
    """The copy of an ordinary non-embedded Helvetica line draws exactly as the original in PDFium."""
    text = b"(Geachte heer, mevrouw: caf\351 \200 12,50 @ 'quotes' \223dubbel\224 \226 \267) Tj"
    data = one_page_pdf(VISIBLE + b"BT /F1 11 Tf 72 600 Td " + text + b" ET\n")
    _, copy = accepted(data)
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert len(pdf.pages[0].Resources.Font.F1.Widths) > 200
    original, published = (pdfium.PdfDocument(d)[0].render(scale=2).to_pil().tobytes() for d in (data, copy))
    assert original == published


def test_widths_in_fractions_written_as_pdfium_reads_them():
    """PDFium cuts /Widths to whole numbers (0.9 -> 0), poppler and MuPDF do not: the copy holds PDFium's widths."""
    setup = font2(FirstChar=32, LastChar=32, Widths=Array([Decimal("0.9")]))
    data = one_page_pdf(spaces_then_name(b"/F2", b"(" + b" " * 200 + b")", (300, 95)), setup)
    _, copy = accepted(data)
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert pdf.pages[0].Resources.Font.F2.Widths[32] == 0  # (all 256 codes: not embedded)
    assert name_x(copy) == name_x(data)
    if (x := poppler_name_x(copy)) is not None:
        assert abs(x - name_x(copy)) < 2


# -- cid01: a composite font's /DW, /W, /DW2 -------------------------------------------------------------------------
def test_composite_font_real_default_width_neutralised():  # cid01
    """/DW 0.5: PDFium reads 0 (the name at 73), poppler 1000 (under the bar at 351). The copy says 0."""
    data = one_page_pdf(spaces_then_name(b"/F2", b"<" + b"0020" * 20 + b">", (351, 70), invisible=True), type0(DW=Decimal("0.5")))
    _, copy = accepted(data)
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        descendant = pdf.pages[0].Resources.Font.F2.DescendantFonts[0]
        assert descendant.DW == 0 and isinstance(descendant.DW, int)
    assert name_x(copy) == name_x(data) < 100
    if (x := poppler_name_x(copy)) is not None:
        assert x < 100  # beside the bar, as in PDFium (the original: under it)


def test_composite_font_real_widths_neutralised():
    table = Array([32, Array([Decimal("1.9")]), 40, 50, Decimal("700.5")])
    data = one_page_pdf(spaces_then_name(b"/F2", b"<" + b"0020" * 20 + b">", (351, 70), invisible=True), type0(W=table))
    _, copy = accepted(data)
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        descendant = pdf.pages[0].Resources.Font.F2.DescendantFonts[0]
        assert [int(x) if not isinstance(x, pikepdf.Array) else [int(y) for y in x] for x in descendant.W] == [
            32,
            [1],
            40,
            50,
            700,
        ]
    assert name_x(copy) == name_x(data)


@pytest.mark.parametrize(
    "entries",
    [{"DW2": Array([880])}, {"DW2": Array([880, Name.x])}, {"W": Array([32, Name.x])}, {"W": Array([32, Array([Name.x])])}],
    ids=["dw2-short", "dw2-name", "w-name", "w-list-name"],
)
def test_composite_font_unreadable_widths_refused(entries):
    data = one_page_pdf(spaces_then_name(b"/F2", b"<" + b"0020" * 20 + b">", (351, 70), invisible=True), type0(**entries))
    refused(data, "pdf.onleesbaar")


def test_composite_font_integer_widths_accepted():
    table = Array([32, Array([500]), 40, 50, 700])
    data = one_page_pdf(
        spaces_then_name(b"/F2", b"<" + b"0020" * 20 + b">", None), type0(W=table, DW=1000, DW2=Array([880, -1000]))
    )
    _, copy = accepted(data)
    assert name_x(copy) == name_x(data)


# -- t3a: a Type 3 /FontMatrix with a translation (poppler ignores it) -------------------------------------------------
@pytest.mark.parametrize(
    "matrix", [[0.001, 0, 0, 0.0004, 5, 0], [0.001, 0, 0, 0.001, 0, -3], [0.001, 0, 0, 0.001]], ids=["x", "y", "short"]
)
def test_type3_matrix_with_translation_refused(matrix):  # t3a
    content = VISIBLE + b"BT /F1 14 Tf 72 600 Td (Pietersen) Tj ET\nBT /T3 70 Tf 70 594 Td (a) Tj ET\n"
    refused(one_page_pdf(content, type3(matrix)), "pdf.onleesbaar")


def test_type3_plain_matrix_accepted():
    content = VISIBLE + b"BT /F1 14 Tf 72 600 Td (Pietersen) Tj ET\nBT /T3 20 Tf 300 594 Td (a) Tj ET\n"
    _, copy = accepted(one_page_pdf(content, type3([0.001, 0, 0, 0.001, 0, 0])))
    assert SECRET in pdfium.PdfDocument(copy)[0].get_textpage().get_text_range()


def test_font_widths_and_link_rectangles_beyond_32_bits_refused():
    setup = font2(FirstChar=32, LastChar=32, Widths=Array([4294967574]))
    refused(one_page_pdf(spaces_then_name(b"/F2", b"(" + b" " * 20 + b")", None), setup), "pdf.onleesbaar")

    def link(rect):
        def setup(pdf, page, resources, font):
            action = Dictionary(S=Name.URI, URI=pikepdf.String("https://example.org/"))
            page.Annots = Array([pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array(rect), A=action))])

        return setup

    refused(one_page_pdf(VISIBLE, link([72, 740, 4294967368, 760])), "pdf.onleesbaar")
    _, copy = accepted(one_page_pdf(VISIBLE, link([72, 740, 300, 760])))
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert len(pdf.pages[0].Annots) == 1


def test_non_embedded_font_with_short_widths_gets_all_256():  # mw02r
    """Helvetica with /Widths for code 65 only: PDFium, poppler and MuPDF give the spaces width 0, Ghostscript its
    own (a bar placed for Ghostscript covers the name there only). The copy gives every code PDFium's width."""
    setup = font2(FirstChar=65, LastChar=65, Widths=Array([667]))
    data = one_page_pdf(spaces_then_name(b"/F2", b"(" + b" " * 20 + b")", (351, 70)), setup)
    _, copy = accepted(data)
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        font = pdf.pages[0].Resources.Font.F2
        assert (font.FirstChar, font.LastChar, len(font.Widths)) == (0, 255, 256)
        assert font.Widths[32] == 0 and font.Widths[65] == 667
    assert name_x(copy) == name_x(data)
    if (x := poppler_name_x(copy)) is not None:
        assert abs(x - name_x(copy)) < 2


def test_embedded_and_complete_widths_are_kept():
    """A font whose /Widths cover every code, and an embedded one, are left as they are."""
    full = Array([278] * 256)
    data = one_page_pdf(spaces_then_name(b"/F2", b"(" + b" " * 5 + b")", None), font2(FirstChar=0, LastChar=255, Widths=full))
    _, copy = accepted(data)
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert list(pdf.pages[0].Resources.Font.F2.Widths) == [278] * 256
