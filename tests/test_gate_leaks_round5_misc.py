"""Round-5 leaks in the redaction gate (issue 10), group B: mesh shadings, page boxes and the personal-data
detector. Each refused (or made consistent), each with a clean counterpart accepted.

The attacks (branch attack-5, ``attacks5/README.md`` rows 5, 7 and 11): a triangle mesh with 2-bit coordinates
that MuPDF reads as a black wedge over the name (PDFium, poppler and Ghostscript draw nothing: ms01), a crop
box of 2^32 + 792 that MuPDF wraps to 792 and so cuts the name off (bx02), and personal data the detector
missed (an e-mail address broken after '@', '06:12345678', '111,222,333', ...). PDFs crafted with pikepdf.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from publish.pdfs import _inspect_bytes

from support.pdfcraft import one_page_pdf, secret_in

SECRET = "Pietersen"
VISIBLE = b"BT /F1 12 Tf 72 750 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"
SECRET_TJ = b"BT /F1 14 Tf 72 600 Td (Pietersen) Tj ET\n"


def refused(data: bytes, *words: str) -> str:
    result, published = _inspect_bytes(data)
    assert not result["ok"] and published is None, result
    assert result["error_code"] == "pdf.onleesbaar"
    for word in words:
        assert word in result["error"], result["error"]
    assert "pagina 1" in result["error"] and "Maak de pdf opnieuw" in result["error"], result["error"]
    return result["error"]


def accepted(data: bytes) -> bytes:
    result, published = _inspect_bytes(data)
    assert result["ok"], result
    assert not [f for f in result["findings"] if f["severity"] == "fout"], result["findings"]
    assert "gewone zichtbare regel" in result["texts"][0]
    assert published is not None
    return published


def refusing_codes(data: bytes) -> set[str]:
    result, _ = _inspect_bytes(data)
    assert result["ok"], result
    return {f["code"] for f in result["findings"] if f["severity"] == "fout"}


# -- row 5 (ms01): mesh shadings ------------------------------------------------------------------------------
def field(value: float, low: float, high: float, bits: int) -> str:
    top = (1 << bits) - 1
    return format(max(0, min(top, round((value - low) / (high - low) * top))), f"0{bits}b")


def mesh_pdf(
    kind: int,
    records: list,
    coordinate_bits: int = 24,
    component_bits: int = 16,
    flag_bits: int | None = 8,
    decode: list | None = None,
    align_records: bool = True,
    tail: bytes = b"",
    rows: int | None = None,
    contents: bytes = b"/Sh0 sh\n",
    **extra,
) -> bytes:
    """A page with the name and a gray mesh shading of ``kind`` drawn by ``contents``. ``records``: for types 4 and
    5 (flag, x, y, gray) per vertex; for types 6 and 7 (flag, [(x, y), ...], [gray, ...]) per patch. Encoded as
    the specification says, each record from a byte boundary (``align_records``), as Ghostscript's pdfwrite
    writes them by default (24-bit coordinates over -16384..16384, 16-bit colours, 8-bit flags)."""
    decode = decode if decode is not None else [-16384, 16384, -16384, 16384, 0, 1]
    bits = ""
    for record in records:
        if kind in (4, 5):
            flag, x, y, gray = record
            points, grays = [(x, y)], [gray]
        else:
            flag, points, grays = record
        if flag_bits:
            bits += format(flag, f"0{flag_bits}b")
        for x, y in points:
            bits += field(x, decode[0], decode[1], coordinate_bits) + field(y, decode[2], decode[3], coordinate_bits)
        for gray in grays:
            bits += field(gray, decode[4], decode[5], component_bits)
        if align_records:
            bits += "0" * (-len(bits) % 8)
    bits += "0" * (-len(bits) % 8)
    data = (int(bits, 2).to_bytes(len(bits) // 8, "big") if bits else b"") + tail

    def setup(pdf, page, resources, font):
        stream = pikepdf.Stream(pdf, data)
        stream[Name.ShadingType] = kind
        stream[Name.ColorSpace] = Name.DeviceGray
        stream[Name.BitsPerCoordinate] = coordinate_bits
        stream[Name.BitsPerComponent] = component_bits
        if flag_bits is not None:
            stream[Name.BitsPerFlag] = flag_bits
        if rows is not None:
            stream[Name.VerticesPerRow] = rows
        stream[Name.Decode] = Array(decode)
        for key, value in extra.items():
            stream[Name("/" + key)] = value
        resources[Name.Shading] = Dictionary(Sh0=pdf.make_indirect(stream))

    return one_page_pdf(VISIBLE + SECRET_TJ + contents, setup=setup)


def two_triangles(x0: float, y0: float, x1: float, y1: float, gray: float = 0.0) -> list:
    return [(0, x0, y0, gray), (0, x1, y0, gray), (0, x0, y1, gray), (0, x1, y0, gray), (0, x1, y1, gray), (0, x0, y1, gray)]


def coons_square(x0: float, y0: float, x1: float, y1: float, cubic_extra: bool = False) -> list:
    """One new patch: a square as 12 boundary points (16 for a tensor patch: the 4 inner ones added)."""
    w, h = (x1 - x0) / 3, (y1 - y0) / 3
    ring = [(x0, y0), (x0, y0 + h), (x0, y0 + 2 * h), (x0, y1), (x0 + w, y1), (x0 + 2 * w, y1), (x1, y1)]
    ring += [(x1, y0 + 2 * h), (x1, y0 + h), (x1, y0), (x0 + 2 * w, y0), (x0 + w, y0)]
    if cubic_extra:
        ring += [(x0 + w, y0 + h), (x0 + w, y0 + 2 * h), (x0 + 2 * w, y0 + 2 * h), (x0 + 2 * w, y0 + h)]
    return [(0, ring, [0.0, 0.3, 0.6, 0.9])]


OVER_NAME = two_triangles(60, 590, 240, 625)
BESIDE_NAME = two_triangles(300, 590, 480, 625, gray=0.5)


def test_ms01_two_bit_coordinates_refused():
    """The attack as found: /BitsPerCoordinate 2, each vertex padded to a byte; MuPDF reads the bits packed and
    draws a black wedge over the name, the others draw nothing (the triangles are flat on a 4-step grid)."""
    data = mesh_pdf(4, OVER_NAME, coordinate_bits=2, component_bits=8, decode=[0, 612, 0, 792, 0, 1])
    refused(data, "kleurverloop", "/BitsPerCoordinate is 2", "hele bytes")


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"coordinate_bits": 1}, "/BitsPerCoordinate is 1"),
        ({"coordinate_bits": 4}, "/BitsPerCoordinate is 4"),
        ({"coordinate_bits": 12}, "/BitsPerCoordinate is 12"),
        ({"coordinate_bits": 7}, "/BitsPerCoordinate is 7"),
        ({"component_bits": 1}, "/BitsPerComponent is 1"),
        ({"component_bits": 12}, "/BitsPerComponent is 12"),
        ({"flag_bits": 2}, "/BitsPerFlag is 2"),
        ({"flag_bits": 4}, "/BitsPerFlag is 4"),
        ({"flag_bits": None}, "/BitsPerFlag ontbreekt"),
        ({"Decode": Array([-16384, 16384, -16384, 16384])}, "/Decode heeft niet 6"),
        ({"Decode": Array([-16384, 16384, -16384, 16384, 0, 1, 0, 1])}, "/Decode heeft niet 6"),
        ({"Decode": Array([16384, -16384, -16384, 16384, 0, 1])}, "/Decode heeft niet 6"),
        ({"tail": b"\x00\x01"}, "geen hele hoekpunten"),
    ],
)
def test_mesh_declarations_viewers_read_differently_refused(options, words):
    refused(mesh_pdf(4, BESIDE_NAME, **options), "kleurverloop", words)


def test_mesh_real_number_of_bits_refused():
    data = mesh_pdf(4, BESIDE_NAME, coordinate_bits=24, BitsPerComponent=Decimal("16.0"))
    refused(data, "/BitsPerComponent is 16.0")


@pytest.mark.parametrize(
    ("records", "words"),
    [
        ([(1, 300, 590, 0.5), *BESIDE_NAME], "hoekpunt 1 heeft een ongeldige vlag (1)"),
        ([*BESIDE_NAME, (3, 480, 700, 0.5)], "hoekpunt 7 heeft een ongeldige vlag (3)"),
        ([*BESIDE_NAME, (0, 300, 700, 0.5), (0, 400, 700, 0.5)], "hoekpunt 7 begint een driehoek die niet af is"),
        ([(0, 300, 590, 0.5), (1, 480, 590, 0.5), (0, 300, 625, 0.5)], "hoekpunt 1 begint een driehoek"),
        (BESIDE_NAME[:2], "2 hoekpunt(en), minder dan een driehoek"),
        ([], "0 hoekpunt(en)"),
        ([(0, 60, 605, 0.0), (0, 240, 605, 0.0), (0, 150, 605, 0.0)], "plat"),
    ],
)
def test_mesh_triangle_data_that_does_not_fit_refused(records, words):
    refused(mesh_pdf(4, records), "kleurverloop", words)


def test_mesh_lattice_and_patches_that_do_not_fit_refused():
    grid = [(0, x, y, 0.5) for y in (590, 625) for x in (300, 390, 480)]
    refused(mesh_pdf(5, grid[:5], flag_bits=None, rows=3), "geen hele rijen van 3 hoekpunten")
    refused(mesh_pdf(5, grid[:3], flag_bits=None, rows=3), "minstens twee rijen")
    refused(mesh_pdf(5, grid, flag_bits=None, rows=1), "/VerticesPerRow is ongeldig")
    flat = [(0, x, 600, 0.5) for x in (300, 390, 480, 300, 390, 480)]
    refused(mesh_pdf(5, flat, flag_bits=None, rows=3), "plat")
    patch = coons_square(300, 590, 480, 625)
    refused(mesh_pdf(6, patch, tail=b"\x00" * 10), "geen hele vlakken (10 byte(s) over)")
    refused(mesh_pdf(6, [(1, *patch[0][1:])]), "ongeldige vlag (1)")
    refused(mesh_pdf(6, [*patch, (4, patch[0][1][:8], [0.1, 0.2])]), "ongeldige vlag (4)")
    refused(mesh_pdf(7, coons_square(300, 600, 480, 600, cubic_extra=True)), "plat")
    refused(mesh_pdf(6, coons_square(300, 590, 480, 625), coordinate_bits=16, flag_bits=2), "/BitsPerFlag is 2")


def test_mesh_clean_counterparts_accepted_and_judged():
    """Meshes as producers write them (whole bytes) are kept in the copy and judged by what PDFium draws."""
    for kind, records, options in [
        (4, BESIDE_NAME, {}),
        (4, BESIDE_NAME, {"coordinate_bits": 8, "component_bits": 8, "decode": [0, 612, 0, 792, 0, 1]}),
        (4, BESIDE_NAME, {"coordinate_bits": 32, "component_bits": 16}),
        (4, [(0, 300, 590, 0.5), (0, 480, 590, 0.5), (0, 300, 625, 0.5), (1, 480, 625, 0.5), (2, 390, 640, 0.5)], {}),
        (5, [(0, x, y, 0.5) for y in (590, 625) for x in (300, 390, 480)], {"flag_bits": None, "rows": 3}),
        (6, coons_square(300, 590, 480, 625), {}),
        (6, coons_square(300, 590, 480, 625) + [(2, coons_square(480, 590, 560, 625)[0][1][:8], [0.1, 0.2])], {}),
        (7, coons_square(300, 590, 480, 625, cubic_extra=True), {}),
    ]:
        copy = accepted(mesh_pdf(kind, records, **options))
        with pikepdf.open(io.BytesIO(copy)) as pdf:
            shading = pdf.pages[0].Resources.Shading.Sh0
            assert shading.ShadingType == kind
        # the same mesh over the name is judged as a cover (the name under a black mesh)
    codes = refusing_codes(mesh_pdf(4, OVER_NAME))
    assert "pdf.tekst_onder_vlak" in codes, codes


# -- row 7 (bx02): page boxes ---------------------------------------------------------------------------------
def boxed(contents: bytes = b"BT /F1 14 Tf 72 900 Td (Pietersen) Tj ET\n", parent: dict | None = None, **boxes) -> bytes:
    """A page of 612 x 1200 with the name at y 900; ``boxes`` set on the page, ``parent`` on the page tree."""

    def setup(pdf, page, resources, font):
        page[Name.MediaBox] = Array([0, 0, 612, 1200])
        for key, value in boxes.items():
            if value is None:
                del page[Name("/" + key)]
            else:
                page[Name("/" + key)] = value
        for key, value in (parent or {}).items():
            pdf.Root.Pages[Name("/" + key)] = value

    return one_page_pdf(VISIBLE + contents, setup=setup)


def box_of(copy: bytes, key: str) -> list | None:
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        value = pdf.pages[0].obj.get(key)
        return None if value is None else [float(v) for v in value]


def test_bx02_crop_box_beyond_32_bits_refused():
    """MuPDF wraps 2^32 + 792 to 792 and cuts the name off; PDFium, poppler and Ghostscript clip to the media box."""
    error = refused(boxed(CropBox=Array([0, 0, 612, 4294968088])), "/CropBox", "buiten het bereik")
    assert "32767" in error


@pytest.mark.parametrize(
    ("boxes", "words"),
    [
        ({"MediaBox": Array([0, 0, 612, 4294968496])}, "/MediaBox) heeft een getal buiten het bereik"),
        ({"MediaBox": Array([0, 0, 20000, 1200])}, "20000 bij 1200 punten"),
        ({"MediaBox": Array([0, 0, 2, 2])}, "2 bij 2 punten"),
        ({"CropBox": Array([0, 0, 612, Decimal("1e10")])}, "/CropBox) heeft een getal buiten het bereik"),
        ({"CropBox": Array([0, 0, 612, 792, 0])}, "/CropBox) is geen rij van vier getallen"),
        ({"CropBox": Array([0, 0, 612, pikepdf.String("792")])}, "/CropBox) is geen rij van vier getallen"),
        ({"CropBox": Array([700, 0, 900, 792])}, "/CropBox) is leeg"),
        ({"TrimBox": Array([0, 0, 612, -99999])}, "/TrimBox) heeft een getal buiten het bereik"),
        ({"ArtBox": Name("/A4")}, "/ArtBox) is geen rij van vier getallen"),
        ({"Rotate": 45}, "/Rotate 45"),
        ({"Rotate": Decimal("90.5")}, "geen veelvoud van 90 graden"),
    ],
)
def test_page_boxes_viewers_read_differently_refused(boxes, words):
    refused(boxed(**boxes), words)


def test_inherited_boxes_are_judged():
    refused(boxed(MediaBox=None, parent={"MediaBox": Array([0, 0, 612, 4294968496])}), "/MediaBox")
    refused(boxed(parent={"CropBox": Array([0, 0, 612, 4294968088])}), "/CropBox")
    refused(boxed(parent={"Rotate": 45}), "/Rotate 45")
    # no media box at all: qpdf (the copy) and PDFium both take US Letter, so the name at y 900 is off the page
    assert "pdf.tekst_buiten_pagina" in refusing_codes(boxed(MediaBox=None))


def test_page_boxes_clean_counterparts():
    """An ordinary page keeps its boxes as they are; a box reaching beyond the media box is clipped to it in the
    copy (as ISO 32000-1 14.11.2 says viewers do), a print box without area inside the media box goes."""
    copy = accepted(boxed(contents=b""))
    assert box_of(copy, "/MediaBox") == [0, 0, 612, 1200] and box_of(copy, "/CropBox") is None
    copy = accepted(boxed(contents=b"", CropBox=Array([10, 20, 600, 1100]), TrimBox=Array([20, 30, 590, 1090])))
    assert box_of(copy, "/CropBox") == [10, 20, 600, 1100] and box_of(copy, "/TrimBox") == [20, 30, 590, 1090]
    copy = accepted(boxed(contents=b"", CropBox=Array([-50, 0, 612, 1300]), BleedBox=Array([0, 0, Decimal("700.5"), 1200])))
    assert box_of(copy, "/CropBox") == [0, 0, 612, 1200]
    assert box_of(copy, "/BleedBox") == [0, 0, 612, 1200]
    copy = accepted(boxed(contents=b"", ArtBox=Array([700, 0, 900, 100])))
    assert box_of(copy, "/ArtBox") is None
    copy = accepted(boxed(contents=b"", CropBox=Array([612, 1200, 0, 0]), Rotate=Decimal("90.0")))
    assert box_of(copy, "/CropBox") == [612, 1200, 0, 0]  # corners in another order: every viewer reads it alike
    accepted(boxed(contents=b"", Rotate=-270))
    # the name stays where the reviewer saw it: on the page, in the copy
    assert secret_in(accepted(boxed()), SECRET)
