"""Gate leak found by attack (branch attack-2, r10/r11): the "ToUnicode lie". The page draws
``XXXXXXXXX`` (or bullets), the font's /ToUnicode map gives "Pietersen": copying, pdftotext, PDFium
and the site's search read the name the reader never sees. ``publish/gate/glyphs.py`` refuses a font
that draws three or more different letters with one and the same outline.

Each lie is refused with a Dutch finding (simple fonts, decoys in the map, stretched glyphs, Type 3 and
composite CID fonts); clean counterparts are accepted: embedded TrueType subsets (reportlab with DejaVu
and Liberation, "Il1 O0" and Greek/Cyrillic look-alikes), an honest map, ligatures, spaces and hyphens
that share a glyph. Hostile fonts (broken programs, huge maps, huge glyphs) do not crash and take
bounded time. PDFs are crafted with pikepdf and reportlab."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from publish.gate import glyphs
from publish.pdfs import _inspect_bytes

from support.pdfcraft import one_page_pdf, refusing, refusing_codes

VISIBLE = b"BT /F1 12 Tf 72 750 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"
LIE = "pdf.tekst_anders_dan_getekend"
UNJUDGED = "pdf.niet_te_beoordelen_lettertype"
FONTS = Path("/usr/share/fonts/truetype")
DEJAVU = FONTS / "dejavu" / "DejaVuSans.ttf"
LIBERATION = FONTS / "liberation" / "LiberationSans-Regular.ttf"


def make(contents: bytes = VISIBLE, setup=None) -> bytes:
    return one_page_pdf(contents, setup)


def _cmap(pairs: list[tuple[str, str]]) -> bytes:
    """A /ToUnicode CMap from (code as hex, text) pairs."""
    lines = "".join(f"<{code}> <{text.encode('utf-16-be').hex().upper()}>\n" for code, text in pairs)
    return (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
        f"1 begincodespacerange <{'00' * (len(pairs[0][0]) // 2)}> <{'FF' * (len(pairs[0][0]) // 2)}> endcodespacerange\n"
        f"{len(pairs)} beginbfchar\n{lines}endbfchar endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode()


def _mapped_font(pdf, glyph: str | list[str], text: str, first: int = 1, **extra):
    """Helvetica whose codes first.. draw ``glyph`` (one name for all, or one each), with a ToUnicode
    giving ``text`` (copied from the attack, r10/r11)."""
    names = [Name("/" + g) for g in glyph] if isinstance(glyph, list) else [Name("/" + glyph)] * len(text)
    pairs = [(f"{first + i:02X}", ch) for i, ch in enumerate(text)]
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type1,
            BaseFont=Name.Helvetica,
            Encoding=Dictionary(Type=Name.Encoding, BaseEncoding=Name.WinAnsiEncoding, Differences=Array([first, *names])),
            ToUnicode=pdf.make_stream(_cmap(pairs)),
            **extra,
        )
    )


def _show(codes_: list[int], width: int = 2) -> bytes:
    return VISIBLE + b"BT /F9 14 Tf 72 600 Td <" + b"".join(f"{c:0{width}X}".encode() for c in codes_) + b"> Tj ET\n"


def _lie(glyph, text: str = "Pietersen", **extra) -> bytes:
    def setup(pdf, page, res, font):
        res.Font.F9 = _mapped_font(pdf, glyph, text, **extra)

    return make(_show(list(range(1, len(text) + 1))), setup)


def assert_lie(data: bytes) -> None:
    found = [f for f in refusing(data) if f["code"] == LIE]
    assert found, refusing(data)
    assert found[0]["location"] == "pagina 1"
    assert found[0]["message"].startswith("de tekst die u kopieert is anders dan de tekst die u ziet")
    assert "Pietersen" not in found[0]["message"] and "P*" not in found[0]["message"]
    assert "bronbestand" in found[0]["fix"]


# 1. the lie, in every kind of font


@pytest.mark.parametrize("glyph", ["X", "bullet"])
def test_tounicode_lie_is_refused(glyph):
    """r10 (XXXXXXXXX) and r11 (bullets): the page shows no name, copying gives "Pietersen"."""
    assert_lie(_lie(glyph))


def test_tounicode_lie_in_a_form_and_on_page_two_is_refused():
    """The lying font reached through a Form XObject on the second page: the finding names that page."""
    pdf = pikepdf.new()
    helvetica = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    xobject = pdf.make_stream(b"BT /F9 14 Tf 72 600 Td <010203040506070809> Tj ET\n")
    xobject.Type, xobject.Subtype, xobject.BBox = Name.XObject, Name.Form, Array([0, 0, 612, 792])
    xobject.Resources = Dictionary(Font=Dictionary(F9=_mapped_font(pdf, "X", "Pietersen")))
    for content, extra in ((VISIBLE, {}), (VISIBLE + b"/Fx Do\n", {"XObject": Dictionary(Fx=xobject)})):
        resources = Dictionary(Font=Dictionary(F1=helvetica), **extra)
        page = Dictionary(
            Type=Name.Page, MediaBox=Array([0, 0, 612, 792]), Resources=resources, Contents=pdf.make_stream(content)
        )
        pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    found = [f for f in refusing(out.getvalue()) if f["code"] == LIE]
    assert [f["location"] for f in found] == ["pagina 2"]


@pytest.mark.parametrize("decoys, lies", [(0x01, 0x20), (0x40, 0x01)])
def test_tounicode_lie_behind_decoys_is_refused(decoys, lies):
    """PDFium's glyph path API finds a code through the map (one code per letter): honest decoy codes
    for the same letters, before or after the lying ones, must not hide the X's that are drawn."""

    def setup(pdf, page, res, font):
        honest = [(f"{i + decoys:02X}", ch) for i, ch in enumerate("Pietrsn")]
        lying = [(f"{i + lies:02X}", ch) for i, ch in enumerate("Pietersen")]
        differences = Array([decoys, *[Name("/" + ch) for ch in "Pietrsn"], lies, *[Name.X] * 9])
        res.Font.F9 = pdf.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.Type1,
                BaseFont=Name.Helvetica,
                Encoding=Dictionary(Type=Name.Encoding, BaseEncoding=Name.WinAnsiEncoding, Differences=differences),
                ToUnicode=pdf.make_stream(_cmap(honest + lying)),
            )
        )

    assert_lie(make(_show(list(range(lies, lies + 9))), setup))


def test_tounicode_lie_with_stretched_glyphs_is_refused():
    """Other widths per code make PDFium stretch the X of a non-embedded font: still one drawing."""
    widths = Array([400 + 50 * i for i in range(9)])
    assert_lie(_lie("X", FirstChar=1, LastChar=9, Widths=widths))


def _type3(pdf, procs: dict[str, bytes], differences: list, text: str):
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type3,
            FontBBox=Array([0, 0, 600, 700]),
            FontMatrix=Array([0.001, 0, 0, 0.001, 0, 0]),
            CharProcs=Dictionary({"/" + name: pdf.make_stream(body) for name, body in procs.items()}),
            Encoding=Dictionary(Type=Name.Encoding, Differences=Array(differences)),
            FirstChar=1,
            LastChar=len(text),
            Widths=Array([600] * len(text)),
            Resources=Dictionary(),
            ToUnicode=pdf.make_stream(_cmap([(f"{i + 1:02X}", ch) for i, ch in enumerate(text)])),
        )
    )


CROSS = b"0 0 m 600 700 l 600 600 m 0 700 l 60 w S\n"


@pytest.mark.parametrize("same_name", [True, False])
def test_type3_lie_is_refused(same_name):
    """A Type 3 font drawing a cross for every letter: one glyph procedure, or copies of it under other
    names with other widths (d1) and spacing."""

    def setup(pdf, page, res, font):
        if same_name:
            res.Font.F9 = _type3(pdf, {"x": b"600 0 0 0 600 700 d1 " + CROSS}, [1, *[Name("/x")] * 9], "Pietersen")
        else:
            procs = {f"g{i}": f"{500 + i} 0 0 0 600 700 d1\n".encode() + CROSS.replace(b" ", b"  ") for i in range(9)}
            res.Font.F9 = _type3(pdf, procs, [1, *[Name(f"/g{i}") for i in range(9)]], "Pietersen")

    assert_lie(make(_show(list(range(1, 10))), setup))


def _gids(path: Path, text: str) -> list[int]:
    from reportlab.pdfbase.ttfonts import TTFontFile

    table = TTFontFile(str(path)).charToGlyph
    return [table[ord(ch)] for ch in text]


def _cid_font(pdf, path: Path, gids: list[int], text: str):
    """A composite (Type 0, Identity-H) font embedding a TrueType program; CID i+1 draws gids[i]."""
    cid_to_gid = b"\x00\x00" + b"".join(struct.pack(">H", g) for g in gids)
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name("/AAAAAA+DejaVuSans"),
        Flags=32,
        FontBBox=Array([-1021, -463, 1793, 1232]),
        ItalicAngle=0,
        Ascent=928,
        Descent=-236,
        CapHeight=729,
        StemV=80,
        FontFile2=pdf.make_stream(path.read_bytes()),
    )
    cid = Dictionary(
        Type=Name.Font,
        Subtype=Name.CIDFontType2,
        BaseFont=Name("/AAAAAA+DejaVuSans"),
        CIDSystemInfo=Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0),
        FontDescriptor=descriptor,
        CIDToGIDMap=pdf.make_stream(cid_to_gid),
        DW=600,
    )
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type0,
            BaseFont=Name("/AAAAAA+DejaVuSans"),
            Encoding=Name("/Identity-H"),
            DescendantFonts=Array([pdf.make_indirect(cid)]),
            ToUnicode=pdf.make_stream(_cmap([(f"{i + 1:04X}", ch) for i, ch in enumerate(text)])),
        )
    )


needs_dejavu = pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans is not installed")


@needs_dejavu
@pytest.mark.parametrize("drawn, refused", [("XXXXXXXXX", True), ("Pietersen", False)])
def test_composite_font(drawn, refused):
    """A composite font (as browsers and office programs write): CIDs all drawing the X glyph of the
    embedded program, mapped to "Pietersen", are refused; the same font drawing the letters is not."""

    def setup(pdf, page, res, font):
        res.Font.F9 = _cid_font(pdf, DEJAVU, _gids(DEJAVU, drawn), "Pietersen")

    data = make(_show(list(range(1, 10)), width=4), setup)
    if refused:
        assert_lie(data)
    else:
        assert not refusing(data)


@needs_dejavu
@pytest.mark.parametrize("shown, refused", [(range(1, 10), False), (range(1, 14), True)])
def test_notdef_boxes(shown, refused):
    """Codes whose glyph the (subset) program lacks draw its .notdef box. A map listing such codes the
    page never shows is a normal subset; shown, the reader sees boxes where the copy has "Jans"."""

    def setup(pdf, page, res, font):
        res.Font.F9 = _cid_font(pdf, DEJAVU, _gids(DEJAVU, "Pietersen") + [0] * 4, "PietersenJans")

    data = make(_show(list(shown), width=4), setup)
    if refused:
        assert_lie(data)
    else:
        assert not refusing(data)


def test_cid_font_drawing_only_notdef_is_refused():
    """Every letter drawn as the .notdef box of the program (or a map PDFium did not read): one drawing."""
    if not DEJAVU.exists():
        pytest.skip("DejaVu Sans is not installed")

    def setup(pdf, page, res, font):
        res.Font.F9 = _cid_font(pdf, DEJAVU, [0] * 9, "Pietersen")

    assert_lie(make(_show(list(range(1, 10)), width=4), setup))


@pytest.mark.parametrize("visible_too", [False, True])
def test_invisible_ocr_layer_in_a_box_font(visible_too):
    """An OCR layer (render mode 3) may use a font whose glyphs are all one box: no glyph is seen, so
    this rule does not apply (visibility judges the layer). Shown visibly, the same font is refused."""

    def setup(pdf, page, res, font):
        res.Font.F9 = _mapped_font(pdf, "X", "Pietersen")

    ocr = b"q 3 Tr BT /F9 14 Tf 72 600 Td <010203040506070809> Tj ET Q\n"
    shown = b"BT /F9 14 Tf 72 500 Td <010203040506070809> Tj ET\n" if visible_too else b""
    found = refusing_codes(make(VISIBLE + ocr + shown, setup))
    assert (LIE in found) is visible_too


# 2. clean counterparts: normal fonts are accepted


def _reportlab(path: Path, lines: list[str]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    name = "T" + path.stem.replace("-", "")
    pdfmetrics.registerFont(TTFont(name, str(path)))
    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1)
    y = 780
    for line in lines:
        c.setFont(name, 11)
        c.drawString(72, y, line)
        y -= 16
    c.save()
    return out.getvalue()


CLEAN_LINES = [
    "Il1 O0 Illegaal IJsselmeer lIl1 0O0oO officiële fiets flink Türkçe ıİ",
    "Αθήνα ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ АВЕКМНОРСТХ ABEKMHOPCTX Олег Анна о ο o",
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 ﬁ ﬂ ĳ ß",
    "Het verzoek is op 3 maart ontvangen en wordt in deze beslissing behandeld.",
]


@pytest.mark.parametrize(
    "path", [DEJAVU, LIBERATION, FONTS / "dejavu" / "DejaVuSerif.ttf", FONTS / "liberation" / "LiberationMono-Regular.ttf"]
)
def test_embedded_truetype_subsets_are_accepted(path):
    """reportlab embeds a TrueType subset with a /ToUnicode map: every letter has its own outline, the
    few shared shapes (I and l in an Arial-like font, Latin/Greek/Cyrillic A, O, P) stay under the rule."""
    if not path.exists():
        pytest.skip(f"{path.name} is not installed")
    data = _reportlab(path, CLEAN_LINES)
    assert not refusing(data)


def test_honest_map_is_accepted():
    def setup(pdf, page, res, font):
        res.Font.F9 = _mapped_font(pdf, list("Pietersen"), "Pietersen")

    assert not refusing(make(_show(list(range(1, 10))), setup))


def test_ligatures_spaces_and_hyphens_are_accepted():
    """A ligature mapped to two letters, a space and a no-break space on one glyph, a hyphen and a soft
    hyphen on one glyph, and two letters on one shape (I and l) are normal fonts."""

    def setup(pdf, page, res, font):
        glyph_names = ["o", "f", "fi", "c", "e", "space", "space", "hyphen", "hyphen", "I", "I", "fl"]
        text = ["o", "f", "fi", "c", "e", " ", "\u00a0", "-", "\u00ad", "I", "l", "\ufb02"]
        pairs = [(f"{i + 1:02X}", t) for i, t in enumerate(text)]
        res.Font.F9 = pdf.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.Type1,
                BaseFont=Name.Helvetica,
                Encoding=Dictionary(
                    Type=Name.Encoding,
                    BaseEncoding=Name.WinAnsiEncoding,
                    Differences=Array([1, *[Name("/" + g) for g in glyph_names]]),
                ),
                ToUnicode=pdf.make_stream(_cmap(pairs)),
            )
        )

    assert not refusing(make(_show(list(range(1, 13))), setup))


def test_two_letters_on_one_shape_are_accepted_three_are_not():
    """The threshold: two letters on one outline pass (an I/l pair in a sans font looks the same), three do not.
    Since round 8 a glyph whose name says another letter (initials on the glyph named X) is refused by its name."""
    assert not refusing(_lie("I", "Il"))
    assert {f["code"] for f in refusing(_lie("X", "PJ"))} == {"pdf.andere_letters_dan_getekend"}
    assert_lie(_lie("X", "PJan"))


def test_blank_glyphs_stay_with_visibility():
    """r12 (spaces that copy as "Pietersen") is found by visibility, not counted twice here."""
    found = refusing_codes(_lie("space"))
    assert "pdf.onzichtbare_tekst" in found or any(code.startswith("pdf.") for code in found)
    assert LIE not in found


# 3. hostile fonts: no crash, bounded work, refused when they cannot be judged


def test_broken_font_program_does_not_crash():
    def setup(pdf, page, res, font):
        broken = _mapped_font(pdf, "X", "Pietersen")
        broken.FontDescriptor = Dictionary(
            Type=Name.FontDescriptor,
            FontName=Name.Helvetica,
            Flags=32,
            FontFile2=pdf.make_stream(b"\x00\x01\x00\x00" + b"\xff" * 5000),
        )
        res.Font.F9 = broken

    result, _ = _inspect_bytes(make(_show(list(range(1, 10))), setup))
    if result["ok"]:  # judged: PDFium draws a substitute X, one drawing for all letters
        assert LIE in {f["code"] for f in result["findings"]}
    else:  # or the copy refuses the malformed program first (copy.py), in Dutch
        assert result["error_code"] == "pdf.onleesbaar" and "lettertype" in result["error"]


@pytest.mark.parametrize(
    "cmap",
    [
        b"garbage \x00\xff beginbfchar <01> endbfchar beginbfrange <01> [ <00",  # truncated
        b"1 beginbfrange <0000> <FFFF> <0041> endbfrange 1 beginbfrange <00000000> <0FFFFFFF> <0041> endbfrange",  # huge
        b"1 beginbfchar <0102030405060708> <0050> endbfchar",  # codes longer than 4 bytes
    ],
)
def test_hostile_tounicode_maps_do_not_crash(cmap):
    def setup(pdf, page, res, font):
        res.Font.F9 = _mapped_font(pdf, "X", "Pietersen")
        res.Font.F9.ToUnicode = pdf.make_stream(cmap)

    result, _ = _inspect_bytes(make(_show(list(range(1, 10))), setup))
    assert "findings" in result or result["error_code"] == "pdf.onleesbaar"


def _broken(kind: str):
    def setup(pdf, page, res, font):
        lying = _mapped_font(pdf, "X", "Pietersen")
        if kind == "filter":  # a map that does not decode
            lying.ToUnicode = pdf.make_stream(b"not deflated at all")
            lying.ToUnicode.Filter = Name.FlateDecode
        elif kind == "descendants":  # a composite font without a usable descendant
            lying.Subtype, lying.Encoding, lying.DescendantFonts = Name.Type0, Name("/Identity-H"), Array([5, Name.X])
        elif kind == "type3":  # a Type 3 font with procedures that are not streams and odd differences
            lying.Subtype, lying.CharProcs = Name.Type3, Dictionary(X=5)
            lying.Encoding = Dictionary(Differences=Array([Name.X, -5, pikepdf.String("x"), 1.5, Name.X]))
        elif kind == "fonts":  # resources that are not what they should be
            res.Font.F8, res.Font.F7 = 5, Array([lying])
            res.XObject = Dictionary(A=pdf.make_stream(b"", Subtype=Name.Form), B=5)
        res.Font.F9 = lying

    return setup


@pytest.mark.parametrize("kind", ["filter", "descendants", "type3", "fonts"])
def test_malformed_fonts_do_not_crash(kind):
    result, _ = _inspect_bytes(make(_show(list(range(1, 10))) + b"/A Do\n", _broken(kind)))
    assert result["ok"] or result["error_code"] == "pdf.onleesbaar", result
    if result["ok"]:
        assert all(f["message"] and f["fix"] for f in result["findings"])


def test_type3_font_without_glyph_procedures_is_refused():
    """PDFium cannot load a Type 3 font without /CharProcs: it neither draws nor extracts its text, while
    pdftotext reads "Pietersen" from its map. Nothing to compare with: not judgeable."""

    def setup(pdf, page, res, font):
        res.Font.F9 = _mapped_font(pdf, list("Pietersen"), "Pietersen")
        res.Font.F9.Subtype = Name.Type3

    found = [f for f in refusing(make(_show(list(range(1, 10))), setup)) if f["code"] == UNJUDGED]
    assert [f["location"] for f in found] == ["pagina 1"]


def test_huge_map_is_refused_as_unjudgeable():
    with pytest.raises(glyphs._Unjudgeable):
        glyphs.parse_tounicode(b"1 beginbfrange <00000000> <0FFFFFFF> <0041> endbfrange")

    def setup(pdf, page, res, font):
        res.Font.F9 = _mapped_font(pdf, "X", "Pietersen")
        res.Font.F9.ToUnicode = pdf.make_stream(b"1 beginbfrange <00000000> <0FFFFFFF> <0041> endbfrange")

    found = [f for f in refusing(make(_show(list(range(1, 10))), setup)) if f["code"] == UNJUDGED]
    assert found and found[0]["location"] == "pagina 1"
    assert "niet te beoordelen" in found[0]["message"]


def test_type3_glyph_of_100k_segments_is_bounded():
    """A glyph procedure of 100,000 path segments for every letter: read once per glyph, judged."""
    big = b"600 0 0 0 600 700 d1 0 0 m " + b"1 1 l " * 100_000 + b"S\n"

    def setup(pdf, page, res, font):
        res.Font.F9 = _type3(pdf, {"x": big}, [1, *[Name("/x")] * 9], "Pietersen")

    assert_lie(make(_show(list(range(1, 10))), setup))


def _table_checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(">%dI" % (len(data) // 4), data)) & 0xFFFFFFFF


def huge_ttf(points: int = 60_000, composite: int = 2) -> bytes:
    """A TrueType program: glyph 1 one contour of `points` on-curve points, glyph 2 `composite` copies of glyph 1."""
    n = points
    up, down = 0x01 | 0x10 | 0x04 | 0x20, 0x01 | 0x10 | 0x04  # on curve, same x, y one byte up or down
    flags = bytes([up if i % 2 else down for i in range(n)])
    xs = b""
    ys = bytes([0 if i == 0 else 3 for i in range(n)])
    simple = struct.pack(">hhhhh", 1, 0, 0, 10, 10) + struct.pack(">H", n - 1) + struct.pack(">H", 0) + flags + xs + ys
    comp = struct.pack(">hhhhh", -1, 0, 0, 10, 10)
    for i in range(composite):
        more = 0x0020 if i < composite - 1 else 0
        comp += struct.pack(">HHhh", 0x0001 | 0x0002 | more, 1, 0, 0)  # ARG_1_AND_2_ARE_WORDS, ARGS_ARE_XY_VALUES
    glyphs = [b"", simple, comp]
    glyf = b""
    offsets = []
    for g in glyphs:
        offsets.append(len(glyf))
        glyf += g + b"\0" * (-len(g) % 4)
    offsets.append(len(glyf))
    loca = b"".join(struct.pack(">I", o) for o in offsets)
    head = struct.pack(">IIIIHHqqhhhhHHhhh", 0x00010000, 0x00010000, 0, 0x5F0F3CF5, 0, 1000, 0, 0, 0, 0, 10, 10, 0, 8, 2, 1, 0)
    hhea = struct.pack(">IhhhHhhhhhhhhhhhH", 0x00010000, 800, -200, 0, 1000, 0, 0, 10, 1, 0, 0, 0, 0, 0, 0, 0, 3)
    maxp = struct.pack(">IHHHHHHHHHHHHHH", 0x00010000, 3, n, 1, min(n * composite, 65535), 1, 2, 0, 0, 0, 0, 0, 0, composite, 1)
    hmtx = struct.pack(">HhHhHh", 500, 0, 1000, 0, 1000, 0)
    tables = {b"glyf": glyf, b"head": head, b"hhea": hhea, b"hmtx": hmtx, b"loca": loca, b"maxp": maxp}
    tags = sorted(tables)
    out = struct.pack(">IHHHH", 0x00010000, len(tags), 64, 2, len(tags) * 16 - 64)
    offset = 12 + 16 * len(tags)
    body = b""
    for tag in tags:
        data = tables[tag]
        out += tag + struct.pack(">III", _table_checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    return out + body


def _huge_glyph_pdf(tmp_path: Path, gids: list[int]) -> bytes:
    program = tmp_path / "huge.ttf"
    program.write_bytes(huge_ttf(65_000, 1))

    def setup(pdf, page, res, font):
        res.Font.F9 = _cid_font(pdf, program, gids, "Pietersen")

    return make(_show(list(range(1, 10)), width=4), setup)


def test_truetype_glyph_of_65k_segments_is_bounded(tmp_path):
    """The largest simple TrueType glyph (65,000 points) for every letter: read up to MAX_SEGMENTS, judged."""
    found = refusing_codes(_huge_glyph_pdf(tmp_path, [1] * 9))
    assert LIE in found


def test_over_the_budget_is_refused_as_unjudgeable(tmp_path, monkeypatch):
    monkeypatch.setattr(glyphs, "BUDGET", 10_000)  # a document of many such glyphs
    found = [f for f in refusing(_huge_glyph_pdf(tmp_path, [1, 0] * 4 + [1])) if f["code"] == UNJUDGED]
    assert [f["location"] for f in found] == ["pagina 1"]


# 4. the pieces


def test_parse_tounicode():
    data = (
        b"2 beginbfchar <01> <0050> <0203> <00660069> endbfchar\n"
        b"2 beginbfrange <10> <12> <0061> <20> <21> [<0058> <D835DC00>] endbfrange % comment <99> <0041>"
    )
    assert glyphs.parse_tounicode(data) == {
        (1, 1): "P",
        (0x203, 2): "fi",
        (0x10, 1): "a",
        (0x11, 1): "b",
        (0x12, 1): "c",
        (0x20, 1): "X",
        (0x21, 1): "\U0001d400",
    }


def test_letters():
    assert glyphs.letters("\ufb01") == "fi"
    assert glyphs.letters("P") == glyphs.letters("p") == glyphs.letters("Р")  # Cyrillic Er
    assert glyphs.letters("I") == glyphs.letters("l") == glyphs.letters("1")
    assert glyphs.letters("O") == glyphs.letters("0") == glyphs.letters("Ο")  # Greek Omicron
    assert glyphs.letters("\u00a0") == glyphs.letters("-") == ""
