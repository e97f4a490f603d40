"""Round-4 gaps in the redaction gate (issue 10), listed in SECURITY.md as known gaps and closed here:
each hostile case refused, each with a clean counterpart accepted. PDFs crafted with pikepdf.
"""

from __future__ import annotations

import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from publish.pdfs import _inspect_bytes

from support.pdfcraft import page_with as make
from support.pdfcraft import refused

SECRET = "Pietersen"
VISIBLE = b"BT /F1 12 Tf 72 750 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"
SECRET_TJ = b"BT /F1 14 Tf 72 600 Td (Pietersen) Tj ET\n"
BLACK_BOX = b"0 0 0 1 k 70 595 160 22 re f\n"


def accepted(data: bytes) -> tuple[dict, bytes]:
    result, published = _inspect_bytes(data)
    assert result["ok"], result
    assert not [f for f in result["findings"] if f["severity"] == "fout"], result["findings"]
    assert "gewone zichtbare regel" in result["texts"][0]
    return result, published


# -- gap 1: overprint ---------------------------------------------------------------------------------
def _overprinted(colour: bytes, opm: int = 1, under: bytes = BLACK_BOX, space=None, form: bool = False) -> bytes:
    """The secret painted in ``colour`` with overprint on (``/OP true /op true /OPM opm``) over ``under``."""
    state = Dictionary(Type=Name.ExtGState, OP=True, op=True, OPM=opm)
    painted = b"/OPS gs " + colour + b" " + SECRET_TJ

    def setup(pdf, page):
        if form:
            xobject = pdf.make_stream(painted)
            xobject.Type, xobject.Subtype, xobject.BBox = Name.XObject, Name.Form, Array([0, 0, 612, 792])
            xobject.Resources = Dictionary(Font=page.Resources.Font, ExtGState=Dictionary(OPS=state))
            page.Resources.XObject = Dictionary(Fm0=xobject)

    content = VISIBLE + under + (b"q /Fm0 Do Q\n" if form else b"q " + painted + b"Q\n")
    extra = {"ColorSpace": {"CS0": space}} if space is not None else {}
    return make(content, setup, ExtGState={"OPS": state}, **extra)


SPOT = Array(
    [
        Name.Separation,
        Name("/Pantone#20485"),
        Name.DeviceCMYK,
        Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array([0, 0, 0, 0]), C1=Array([0, 1, 1, 0]), N=1),
    ]
)


@pytest.mark.parametrize(
    "colour, space, form",
    [
        (b"0 0 0 0 k", None, False),  # white text vanishes on the black box in overprint preview
        (b"1 0 0 0 k", None, False),  # cyan text on black: black in overprint preview
        (b"0 0 0 0 k", None, True),  # the same inside a form that inherits nothing but draws its own state
        (b"/CS0 cs 1 scn", SPOT, False),  # a spot colour mixes with the black under it
    ],
)
def test_gap1_overprint_that_can_hide_text_is_refused(colour, space, form):
    result = refused(_overprinted(colour, space=space, form=form), "pdf.onleesbaar")
    assert "overdruk" in result["error"] and "pagina 1" in result["error"]


def test_gap1_overprint_state_inherited_by_a_form_is_followed():
    state = Dictionary(Type=Name.ExtGState, OP=True, op=True, OPM=1)

    def setup(pdf, page):
        xobject = pdf.make_stream(b"0 0 0 0 k " + SECRET_TJ)
        xobject.Type, xobject.Subtype, xobject.BBox = Name.XObject, Name.Form, Array([0, 0, 612, 792])
        xobject.Resources = Dictionary(Font=page.Resources.Font)
        page.Resources.XObject = Dictionary(Fm0=xobject)

    data = make(VISIBLE + BLACK_BOX + b"/OPS gs /Fm0 Do\n", setup, ExtGState={"OPS": state})
    assert "overdruk" in refused(data, "pdf.onleesbaar")["error"]


@pytest.mark.parametrize(
    "colour, opm, under",
    [
        (b"0 0 0 1 k", 1, b""),  # print production: black text overprints (and the copy drops overprint)
        (b"0.6 0.4 0.4 1 k", 1, b""),  # rich black
        (b"0 0 0 0 k", 0, BLACK_BOX),  # overprint mode 0: a CMYK colour paints all four inks (white on black)
        (b"1 g", 1, BLACK_BOX),  # DeviceGray paints every ink
        (b"1 1 1 rg", 1, BLACK_BOX),  # and so does RGB
    ],
)
def test_gap1_overprint_that_paints_every_ink_or_full_black_is_accepted(colour, opm, under):
    result, published = accepted(_overprinted(colour, opm=opm, under=under))
    assert SECRET in result["texts"][0]
    with pikepdf.open(io.BytesIO(published)) as pdf:
        kept = pdf.pages[0].obj.Resources.ExtGState.OPS
        assert "/OP" not in kept and "/op" not in kept and "/OPM" not in kept


def test_gap1_overprinting_drawn_after_all_text_is_accepted():
    # a cyan box overprinting after the text: it can only show more in overprint preview, never hide text
    state = Dictionary(Type=Name.ExtGState, OP=True, op=True, OPM=1)
    accepted(make(VISIBLE + b"/OPS gs 1 0 0 0 k 72 500 100 20 re f\n", ExtGState={"OPS": state}))


def test_gap1_text_on_an_overprinted_background_is_refused():
    # a white box overprinting (paints no ink: the black box stays in overprint preview) with black text on it
    state = Dictionary(Type=Name.ExtGState, OP=True, op=True, OPM=1)
    content = VISIBLE + BLACK_BOX + b"q /OPS gs 0 0 0 0 k 70 595 160 22 re f Q 0 0 0 1 k " + SECRET_TJ
    assert "overdruk" in refused(make(content, ExtGState={"OPS": state}), "pdf.onleesbaar")["error"]


# -- gap 2: CalRGB /Gamma ------------------------------------------------------------------------------
D65 = [0.9505, 1, 1.089]
SRGB_MATRIX = [0.4124, 0.2126, 0.0193, 0.3576, 0.7152, 0.1192, 0.1805, 0.0722, 0.9505]


def _calrgb(colour: bytes, under: bytes = b"", **entries) -> bytes:
    space = Array([Name.CalRGB, Dictionary({"/" + k: Array(v) if isinstance(v, list) else v for k, v in entries.items()})])
    return make(VISIBLE + under + b"/CS0 cs " + colour + b" scn " + SECRET_TJ, ColorSpace={"CS0": space})


@pytest.mark.parametrize(
    "entries",
    [
        {"WhitePoint": D65, "Gamma": [1000, 1000, 1000]},  # PDFium draws 0.99 black, MuPDF near white
        {"WhitePoint": D65, "Gamma": [0.000001] * 3, "Matrix": SRGB_MATRIX},  # PDFium: 0.1 is white, MuPDF dark
        {"WhitePoint": D65, "Matrix": [0] * 9},  # everything black in PDFium, in colour in MuPDF
    ],
)
def test_gap2_calrgb_that_moves_colours_far_is_refused(entries):
    result = refused(_calrgb(b"0.99 0.99 0.99", **entries), "pdf.onleesbaar")
    assert "CalRGB" in result["error"] and "pagina 1" in result["error"]


@pytest.mark.parametrize(
    "entries",
    [
        {"WhitePoint": D65, "Gamma": [2.2, 2.2, 2.2], "Matrix": SRGB_MATRIX},  # an sRGB-like calibration
        {
            "WhitePoint": D65,
            "Gamma": [1.8] * 3,
            "Matrix": [0.4497, 0.2446, 0.0252, 0.3163, 0.672, 0.1412, 0.1845, 0.0833, 0.9227],
        },
        {
            "WhitePoint": [0.9642, 1, 0.8249],
            "Gamma": [2.2] * 3,
            "Matrix": [0.6097, 0.3111, 0.0195, 0.2053, 0.6257, 0.0609, 0.1492, 0.0632, 0.7446],
        },
    ],
)
def test_gap2_real_calrgb_calibrations_are_kept(entries):
    result, published = accepted(_calrgb(b"0 0 0", **entries))
    assert SECRET in result["texts"][0]
    with pikepdf.open(io.BytesIO(published)) as pdf:
        assert "/Gamma" in pdf.pages[0].obj.Resources.ColorSpace.CS0[1]


# -- gap 3: a field or annotation over part of a letter ---------------------------------------------------
def _annotated(subtype: str, rect: list, appearance: bytes | None, **extra) -> bytes:
    """The secret (14 pt at y 600, about 72-140 wide) with an annotation over ``rect``."""

    def setup(pdf, page):
        annot = Dictionary(Type=Name.Annot, Subtype=Name("/" + subtype), Rect=Array(rect), F=4, **extra)
        if appearance is not None:
            x0, y0, x1, y1 = rect
            ap = pdf.make_stream(appearance)
            ap.Type, ap.Subtype, ap.BBox = Name.XObject, Name.Form, Array([0, 0, x1 - x0, y1 - y0])
            annot.AP = Dictionary(N=ap)
        page.Annots = Array([pdf.make_indirect(annot)])

    return make(VISIBLE + b"0 g " + SECRET_TJ, setup)


def test_gap3_annotation_over_the_top_half_of_the_letters_is_refused():
    # the letters' middle (y about 605) stays outside the box: before, only a cover over the middle counted
    result = refused(_annotated("Square", [60, 606, 200, 640], b"0 g 0 0 140 34 re f"), "pdf.tekst_onder_vlak")
    assert any(f["code"] == "pdf.tekst_onder_vlak" for f in result["findings"])


def test_gap3_highlight_and_strike_out_over_the_letters_are_accepted():
    highlight = b"/GS0 gs 1 1 0 rg 0 0 140 20 re f"
    state = Dictionary(GS0=Dictionary(Type=Name.ExtGState, BM=Name.Multiply))
    for subtype, appearance in (("Highlight", highlight), ("StrikeOut", b"0 g 0 9 140 1 re f")):
        data = _annotated(subtype, [60, 596, 200, 616], appearance)
        if subtype == "Highlight":
            with pikepdf.open(io.BytesIO(data)) as pdf:
                pdf.pages[0].obj.Annots[0].AP.N.Resources = Dictionary(ExtGState=state)
                out = io.BytesIO()
                pdf.save(out)
                data = out.getvalue()
        result, _ = accepted(data)
        assert SECRET in result["texts"][0]


def test_gap3_annotation_over_the_bottom_edge_of_the_letters_is_accepted():
    # a stamp touching only the lowest sliver of the letters (under 20% of their box): the word was read
    accepted(_annotated("Square", [60, 560, 200, 601], b"0 g 0 0 140 41 re f"))


def _field(rect: list) -> bytes:
    def setup(pdf, page):
        field = pdf.make_indirect(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Widget,
                FT=Name.Tx,
                T=pikepdf.String("veld"),
                Rect=Array(rect),
                F=4,
                MK=Dictionary(BG=Array([0])),
            )
        )
        page.Annots = Array([field])
        pdf.Root.AcroForm = Dictionary(Fields=Array([field]))

    return make(VISIBLE + b"0 g " + SECRET_TJ, setup)


def test_gap3_form_field_over_the_top_half_of_the_letters_is_refused():
    result = refused(_field([60, 606, 200, 640]), "pdf.tekst_onder_vlak")
    assert any("formulierveld" in f["message"] for f in result["findings"])


def test_gap3_form_field_beside_the_letters_is_accepted():
    accepted(_field([60, 560, 200, 598]))  # a field under the line, touching nothing but the descender room


# -- gap 4: JPEG 2000 boxes and inline JPEG metadata -----------------------------------------------------
def _codestream(comment: bytes = b"") -> bytes:
    from PIL import Image

    picture = Image.new("RGB", (48, 32))
    picture.putdata([((x * 5) % 256, (y * 8) % 256, ((x + y) * 3) % 256) for y in range(32) for x in range(48)])
    buf = io.BytesIO()
    picture.save(buf, "JPEG2000", no_jp2=True)
    data = buf.getvalue()
    at = data.find(b"\xff\x64", 0, data.find(b"\xff\x90"))  # OpenJPEG's own comment ("Created by OpenJPEG")
    if at > 0:
        data = data[:at] + data[at + 2 + int.from_bytes(data[at + 2 : at + 4], "big") :]
    if comment:  # a COM segment (Rcom 1: Latin text) right after SIZ, in the main header
        siz_end = 4 + int.from_bytes(data[4:6], "big")
        data = data[:siz_end] + b"\xff\x64" + (len(comment) + 4).to_bytes(2, "big") + b"\x00\x01" + comment + data[siz_end:]
    return data


def _box(kind: bytes, contents: bytes) -> bytes:
    return (len(contents) + 8).to_bytes(4, "big") + kind + contents


def _jp2(codestream: bytes, extra: bytes = b"", brands: bytes = b"jp2 ") -> bytes:
    header = _box(b"ihdr", (32).to_bytes(4, "big") + (48).to_bytes(4, "big") + (3).to_bytes(2, "big") + bytes([7, 7, 0, 0]))
    header += _box(b"colr", bytes([1, 0, 0]) + (16).to_bytes(4, "big"))  # enumerated: sRGB
    return (
        b"\x00\x00\x00\x0cjP  \r\n\x87\n"
        + _box(b"ftyp", b"jp2 " + bytes(4) + brands)
        + _box(b"jp2h", header)
        + extra
        + _box(b"jp2c", codestream)
    )


def _jpx_pdf(data: bytes, space=Name.DeviceRGB) -> bytes:
    def setup(pdf, page):
        image = pdf.make_stream(data)
        image.Type, image.Subtype, image.Width, image.Height = Name.XObject, Name.Image, 48, 32
        image.BitsPerComponent, image.Filter = 8, Name.JPXDecode
        if space is not None:
            image.ColorSpace = space
        page.Resources.XObject = Dictionary(Im0=image)

    return make(VISIBLE + b"q 96 0 0 64 72 500 cm /Im0 Do Q\n", setup)


def _image_data(published: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(published)) as pdf:
        return pdf.pages[0].obj.Resources.XObject.Im0.read_raw_bytes()


HIDDEN = b"Pietersen 0612345678"


@pytest.mark.parametrize(
    "data",
    [
        _jp2(_codestream(), _box(b"xml ", b"<x>" + HIDDEN + b"</x>") + _box(b"uuid", bytes(16) + HIDDEN)),
        _jp2(_codestream(comment=HIDDEN)),
        _jp2(_codestream() + HIDDEN),  # after the end of the codestream (EOC), inside its box
        _jp2(_codestream(), brands=b"jp2 " + HIDDEN[:8]),  # names in the file type box
        _codestream(comment=HIDDEN),  # a bare codestream
        _codestream() + HIDDEN,
    ],
)
def test_gap4_jpeg2000_keeps_only_what_decoding_needs_and_draws_the_same(data):
    original = _jpx_pdf(data)
    result, published = accepted(original)
    from support import pdfcraft

    assert pdfcraft.secret_in(published, "Pietersen") == []
    assert pdfcraft.secret_in(published, "0612345678") == []
    assert pdfcraft.pixels(published) == pdfcraft.pixels(original)


@pytest.mark.parametrize("data", [_jp2(_codestream()), _codestream()])
def test_gap4_plain_jpeg2000_is_copied_byte_for_byte(data):
    _, published = accepted(_jpx_pdf(data))
    assert _image_data(published) == data


def test_gap4_jpeg2000_with_a_comment_in_a_tile_part_is_refused():
    data = _codestream()
    sot = data.find(b"\xff\x90")
    size = int.from_bytes(data[sot + 6 : sot + 10], "big")
    comment = b"\xff\x64" + (len(HIDDEN) + 4).to_bytes(2, "big") + b"\x00\x01" + HIDDEN
    data = data[: sot + 6] + (size + len(comment)).to_bytes(4, "big") + data[sot + 10 : sot + 12] + comment + data[sot + 12 :]
    result = refused(_jpx_pdf(data), "pdf.onleesbaar")
    assert "JPEG 2000" in result["error"]


def _jpeg(metadata: bool) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    extra = {"comment": HIDDEN} if metadata else {}
    Image.new("RGB", (16, 8), (200, 30, 30)).save(buf, "JPEG", quality=90, **extra)
    return buf.getvalue()


def _inline_jpeg(data: bytes) -> bytes:
    header = b"BI /W 16 /H 8 /CS /RGB /BPC 8 /F [/AHx /DCT] ID\n" + data.hex().encode() + b">\nEI\n"
    return make(VISIBLE + b"q 64 0 0 32 72 500 cm\n" + header + b"Q\n")


def test_gap4_inline_jpeg_with_metadata_is_refused():
    result = refused(_inline_jpeg(_jpeg(metadata=True)), "pdf.onzichtbaar_gemaakte_tekst")
    assert any("afbeelding" in f["message"] for f in result["findings"])


def test_gap4_inline_jpeg_without_metadata_is_accepted():
    accepted(_inline_jpeg(_jpeg(metadata=False)))


# -- gap 5: data inside font programs ----------------------------------------------------------------
def _vera_pdf(program=None) -> bytes:
    """The secret set in reportlab's Vera (an embedded TrueType subset); ``program(data)`` rewrites its font file."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    path = io.open(reportlab.__path__[0] + "/fonts/Vera.ttf", "rb").name
    pdfmetrics.registerFont(TTFont("VeraRound4", path))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(612, 792))
    c.setFont("VeraRound4", 12)
    c.drawString(72, 750, "Dit is een gewone zichtbare regel tekst op de pagina.")
    c.drawString(72, 600, "Een andere regel zonder geheimen.")
    c.save()
    data = buf.getvalue()
    if program is None:
        return data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, Dictionary) and obj.get("/Type") == "/FontDescriptor" and "/FontFile2" in obj:
                rewritten = program(obj.FontFile2.read_bytes())
                obj.FontFile2.write(rewritten)
                obj.FontFile2.Length1 = len(rewritten)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _sfnt(data: bytes, extra: dict, grown: dict) -> bytes:
    """A TrueType font with the tables ``extra`` added and the tables in ``grown`` longer by their bytes
    (slack after a table's own data: the directory covers it, the table's structure does not)."""
    count = int.from_bytes(data[4:6], "big")
    tables = {}
    for i in range(count):
        record = data[12 + 16 * i : 28 + 16 * i]
        offset, length = int.from_bytes(record[8:12], "big"), int.from_bytes(record[12:16], "big")
        tables[record[:4]] = data[offset : offset + length] + grown.get(record[:4], b"")
    tables.update(extra)
    directory_size = 12 + 16 * len(tables)
    head, body, offset = bytearray(data[:4] + len(tables).to_bytes(2, "big") + data[6:12]), bytearray(), directory_size
    for tag in sorted(tables):
        table = tables[tag]
        head += tag + bytes(4) + (offset + len(body)).to_bytes(4, "big") + len(table).to_bytes(4, "big")
        body += table + bytes(-len(table) % 4)
    return bytes(head + body)


def _font_programs(published: bytes) -> list[bytes]:
    with pikepdf.open(io.BytesIO(published)) as pdf:
        return [
            obj[key].read_bytes()
            for obj in pdf.objects
            if isinstance(obj, Dictionary) and obj.get("/Type") == "/FontDescriptor"
            for key in ("/FontFile", "/FontFile2", "/FontFile3")
            if key in obj
        ]


@pytest.mark.parametrize(
    "extra, grown",
    [
        ({b"Pvt ": HIDDEN}, {}),  # a private table
        ({b"GSUB": HIDDEN}, {}),  # a table no PDF viewer reads
        ({}, {b"post": HIDDEN}),  # slack after the data of a table
        ({}, {b"name": HIDDEN}),
    ],
)
def test_gap5_truetype_keeps_only_the_tables_that_draw_it(extra, grown):
    original = _vera_pdf(lambda data: _sfnt(data, extra, grown))
    result, published = accepted(original)
    from support import pdfcraft

    assert pdfcraft.secret_in(published, "Pietersen") == [] and pdfcraft.secret_in(published, "0612345678") == []
    assert pdfcraft.pixels(published) == pdfcraft.pixels(original)


def test_gap5_ordinary_truetype_subset_draws_the_same():
    original = _vera_pdf()
    result, published = accepted(original)
    from support import pdfcraft

    assert pdfcraft.pixels(published) == pdfcraft.pixels(original)
    assert "Een andere regel" in result["texts"][0]


def _cff_font() -> bytes:
    """A bare CFF program (as /FontFile3 /Type1C) with block glyphs, made with fontTools."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    letters = sorted(set("Ditseengwonzchbarlkpa"))
    names = [".notdef", "space", *letters]
    charstrings = {}
    for i, name in enumerate(names):
        pen = T2CharStringPen(600, None)
        if name not in (".notdef", "space"):
            pen.moveTo((50, 0))
            pen.lineTo((50, 500 + 10 * i))
            pen.lineTo((300 + 10 * i, 500))
            pen.lineTo((500, 0))
            pen.closePath()
        charstrings[name] = pen.getCharString()
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(n): n for n in letters} | {32: "space"})
    fb.setupCFF("Blokjes", {"FullName": "Blokjes"}, charstrings, {})
    fb.setupHorizontalMetrics({n: (600, 50) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Blokjes", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    out = io.BytesIO()
    fb.save(out)
    from fontTools.ttLib import TTFont

    return TTFont(io.BytesIO(out.getvalue())).reader["CFF "]


def _cff_pdf(program: bytes) -> bytes:
    def setup(pdf, page):
        stream = pdf.make_stream(program)
        stream.Subtype = Name("/Type1C")
        descriptor = Dictionary(
            Type=Name.FontDescriptor,
            FontName=Name("/Blokjes"),
            Flags=32,
            FontBBox=Array([0, 0, 600, 800]),
            ItalicAngle=0,
            Ascent=800,
            Descent=-200,
            CapHeight=700,
            StemV=80,
            FontFile3=stream,
        )
        font = Dictionary(
            Type=Name.Font,
            Subtype=Name.Type1,
            BaseFont=Name("/Blokjes"),
            FirstChar=32,
            LastChar=122,
            Widths=Array([600] * 91),
            Encoding=Name.WinAnsiEncoding,
            FontDescriptor=pdf.make_indirect(descriptor),
        )
        page.Resources.Font.F2 = pdf.make_indirect(font)

    return make(VISIBLE + b"BT /F2 14 Tf 72 600 Td (Dit is een regel) Tj ET\n", setup)


def test_gap5_bare_cff_loses_bytes_after_its_structures_and_draws_the_same():
    original = _cff_pdf(_cff_font() + HIDDEN)
    result, published = accepted(original)
    from support import pdfcraft

    assert pdfcraft.secret_in(published, "Pietersen") == []
    assert pdfcraft.pixels(published) == pdfcraft.pixels(original)


def test_gap5_ordinary_bare_cff_is_accepted_and_draws_the_same():
    original = _cff_pdf(_cff_font())
    result, published = accepted(original)
    from support import pdfcraft

    assert pdfcraft.pixels(published) == pdfcraft.pixels(original)
    assert "Dit is een regel" in result["texts"][0]


# -- gap 6: a slightly different block per letter ------------------------------------------------------
NAME_LETTERS = "Pietrsn"


def _glyph_font(draw) -> bytes:
    """A TrueType font (fontTools) whose glyph for each letter of NAME_LETTERS is ``draw(pen, index)``."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = [".notdef", "space", *NAME_LETTERS]
    glyphs = {}
    for i, name in enumerate(names):
        pen = TTGlyphPen(None)
        if name not in (".notdef", "space"):
            draw(pen, i)
        glyphs[name] = pen.glyph()
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({32: "space", **{ord(c): c for c in NAME_LETTERS}})
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (600, 40) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Lakblok", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    out = io.BytesIO()
    fb.save(out)
    return out.getvalue()


def _box_with_variation(pen, i: int) -> None:
    pen.moveTo((40, 0))
    pen.lineTo((40, 700 + 7 * i))
    pen.lineTo((560 - 3 * i, 700 + 7 * i))
    if i % 2:  # a tiny notch in every other box
        pen.lineTo((560 - 3 * i, 400))
        pen.lineTo((555 - 3 * i, 395))
    pen.lineTo((560 - 3 * i, 0))
    pen.closePath()


def _letter_like(pen, i: int) -> None:  # a triangle and a counter: ink over about half of its box
    pen.moveTo((40, 0))
    pen.lineTo((300 + 10 * i, 700))
    pen.lineTo((560, 0))
    pen.closePath()
    pen.moveTo((200, 100))
    pen.lineTo((400, 100))
    pen.lineTo((300, 300))
    pen.closePath()


def _glyph_pdf(program: bytes, tounicode: bool = True) -> bytes:
    def setup(pdf, page):
        stream = pdf.make_stream(program)
        stream.Length1 = len(program)
        descriptor = Dictionary(
            Type=Name.FontDescriptor,
            FontName=Name("/Lakblok"),
            Flags=32,
            FontBBox=Array([0, -200, 600, 800]),
            ItalicAngle=0,
            Ascent=800,
            Descent=-200,
            CapHeight=700,
            StemV=80,
            FontFile2=stream,
        )
        font = Dictionary(
            Type=Name.Font,
            Subtype=Name.TrueType,
            BaseFont=Name("/Lakblok"),
            FirstChar=32,
            LastChar=122,
            Widths=Array([600] * 91),
            Encoding=Name.WinAnsiEncoding,
            FontDescriptor=pdf.make_indirect(descriptor),
        )
        if tounicode:
            pairs = "".join(f"<{ord(c):02X}> <{ord(c):04X}>\n" for c in NAME_LETTERS)
            font.ToUnicode = pdf.make_stream(
                (
                    "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /L def\n"
                    f"1 begincodespacerange <00> <FF> endcodespacerange\n{len(NAME_LETTERS)} beginbfchar\n{pairs}endbfchar\n"
                    "endcmap CMapName currentdict /CMap defineresource pop end end\n"
                ).encode()
            )
        page.Resources.Font.F2 = pdf.make_indirect(font)

    return make(VISIBLE + b"BT /F2 14 Tf 72 600 Td (" + SECRET.encode() + b") Tj ET\n", setup)


def test_gap6_letters_drawn_as_slightly_different_blocks_are_refused():
    result = refused(_glyph_pdf(_glyph_font(_box_with_variation)), "pdf.tekst_anders_dan_getekend")
    assert any(f["code"] == "pdf.tekst_anders_dan_getekend" for f in result["findings"])


def test_gap6_letters_drawn_as_letter_like_shapes_are_accepted():
    result, _ = accepted(_glyph_pdf(_glyph_font(_letter_like)))
    assert SECRET in result["texts"][0]


def test_gap6_blocks_in_a_font_without_tounicode_are_refused():
    # no /ToUnicode: PDFium reads "Pietersen" from the encoding, the embedded program draws blocks
    result = refused(_glyph_pdf(_glyph_font(_box_with_variation), tounicode=False), "pdf.tekst_anders_dan_getekend")
    assert any(f["code"] == "pdf.tekst_anders_dan_getekend" for f in result["findings"])


def test_gap6_letter_like_glyphs_in_a_font_without_tounicode_are_accepted():
    result, _ = accepted(_glyph_pdf(_glyph_font(_letter_like), tounicode=False))
    assert SECRET in result["texts"][0]


@pytest.mark.parametrize(
    "data",
    [
        _jp2(_codestream())[:60],  # cut off inside the header box
        b"\x00\x00\x00\x0cjP  \r\n\x87\n\x00\x00\xff\xffxml " + HIDDEN,  # a box longer than the file
        _codestream()[:-40] + b"\xff\x90",  # a tile-part cut off
    ],
)
def test_gap4_damaged_jpeg2000_is_refused(data):
    result = refused(_jpx_pdf(data), "pdf.onleesbaar")
    assert "JPEG 2000" in result["error"]
