"""Attack round 8 (branch attack-8), fonts whose copy is not what the page shows:

- A01: a /ToUnicode map gives ONE code a whole name: a visible ``X``, ZapfDingbats black squares, or the ``e`` of
  a white ``5.1.2.e`` on a black box (a proper-looking redaction) copies as "Jan Pietersen";
- A05: a substitution font: non-embedded Helvetica whose /Differences draw "medewerker XY" while /ToUnicode gives
  "Jan Vermeulen", one letter per code, every code its own glyph;
- A08: a name set in a non-embedded Wingdings or Webdings with /Widths: PDFium has no such font and draws
  substitute letters (judged visible), a reader with the font installed sees pictograms.

Each is refused with a Dutch finding (``publish/gate/glyphs.py``); the clean counterparts are accepted: real
ligatures, honest /Differences (accented WinAnsi letters), a ZapfDingbats check mark, a ground code on a black box
that copies as what it shows, a non-embedded text font with /Widths. One package is built end to end."""

from __future__ import annotations

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from publish.gate import glyphs

from support import all_text, approve, build_args, run_cli
from support.pdfcraft import accepted, font_descriptor, one_page_pdf, refusing

VISIBLE = b"BT /F1 12 Tf 72 750 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"
WORD = "pdf.woord_op_een_teken"
OTHER = "pdf.andere_letters_dan_getekend"
SYMBOL = "pdf.niet_ingesloten_symboollettertype"
GROUND_BOX = b"0 g 135 697 60 16 re f BT 1 g /F9 10 Tf 141 701 Td (5.1.2.e) Tj ET 0 g\n"


def cmap(pairs: dict[int, str]) -> bytes:
    """A /ToUnicode CMap giving each one-byte code its text."""
    lines = "".join(f"<{code:02X}> <{text.encode('utf-16-be').hex().upper()}>\n" for code, text in pairs.items())
    return (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
        "1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"{len(pairs)} beginbfchar\n{lines}endbfchar endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode()


def with_font(content: bytes, font: dict, tounicode: dict[int, str] | None = None) -> bytes:
    """A page with the visible line in F1 and ``content`` using F9, a font with the entries ``font`` (values
    may be functions of the pdf) and, when given, a /ToUnicode map."""

    def setup(pdf, page, resources, helvetica):
        entries = {k: (v(pdf) if callable(v) else v) for k, v in font.items()}
        f = Dictionary(Type=Name.Font, **entries)
        if tounicode is not None:
            f.ToUnicode = pdf.make_stream(cmap(tounicode))
        resources.Font.F9 = pdf.make_indirect(f)

    return one_page_pdf(VISIBLE + content, setup)


def helvetica(differences: list | None = None, base: str = "/Helvetica") -> dict:
    encoding = (
        Dictionary(Type=Name.Encoding, BaseEncoding=Name.WinAnsiEncoding, Differences=Array(differences))
        if differences
        else Name.WinAnsiEncoding
    )
    return {"Subtype": Name.Type1, "BaseFont": Name(base), "Encoding": encoding}


def codes(shown: str, code_of: dict[str, int] | None = None) -> bytes:
    data = bytes(code_of[ch] if code_of else ord(ch) for ch in shown)
    return pikepdf.String(data).unparse()


def refused_as(data: bytes, code: str) -> dict:
    found = [f for f in refusing(data) if f["code"] == code]
    assert found, refusing(data)
    assert found[0]["location"] == "pagina 1"
    return found[0]


# -- A01: one code, a whole name -----------------------------------------------------------------------------


def test_x_that_copies_as_a_name_is_refused():
    data = with_font(
        b"BT /F9 12 Tf 72 700 Td (Behandelaar: X, afdeling juridische zaken.) Tj ET\n",
        helvetica(),
        {ord("X"): "Jan Pietersen"},
    )
    finding = refused_as(data, WORD)
    assert "heel woord" in finding["message"] and "ligatuur" in finding["message"]
    assert "lakprogramma" in finding["fix"]


def test_zapfdingbats_blocks_that_copy_as_a_name_are_refused():
    font = {"Subtype": Name.Type1, "BaseFont": Name.ZapfDingbats}
    data = with_font(b"BT /F9 12 Tf 72 700 Td (nop) Tj ET\n", font, {0x6E: "Jan ", 0x6F: "Pietersen", 0x70: " "})
    refused_as(data, WORD)
    one_each = with_font(b"BT /F9 12 Tf 72 700 Td (nop) Tj ET\n", font, {0x6E: "J", 0x6F: "a", 0x70: "n"})
    refused_as(one_each, OTHER)  # the squares' names (a71, a72, a73) are no letters


def test_ground_code_on_a_black_box_that_copies_as_a_name_is_refused():
    """The white ``e`` of 5.1.2.e on a black box copies as "e Jan Pietersen": it looks like a proper redaction."""
    honest = {ord(c): c for c in "5.12"}
    data = with_font(GROUND_BOX, helvetica(), {**honest, ord("e"): "e Jan Pietersen"})
    refused_as(data, WORD)


def test_name_in_pieces_of_three_letters_is_refused():
    """A name split over codes of three letters each (no ligature spells "Jan", "Pie", "ter", "sen")."""
    pieces = {0x80: "Jan", 0x81: "Pie", 0x82: "ter", 0x83: "sen"}
    differences = [0x80, Name("/X"), Name("/X"), Name("/X"), Name("/X")]
    data = with_font(b"BT /F9 12 Tf 72 700 Td <80818283> Tj ET\n", helvetica(differences), pieces)
    refused_as(data, WORD)


def test_ground_code_on_a_black_box_that_copies_as_itself_is_accepted():
    """The exception stays: a ground code in white on the black box, copied as exactly what it shows."""
    data = with_font(GROUND_BOX, helvetica(), {ord(c): c for c in "5.12e"})
    result, _ = accepted(data)
    assert "5.1.2.e" in result["texts"][0]


def test_real_ligatures_are_accepted():
    """fi, fl and ffi ligature glyphs, by name or as one code point, copy as their two or three letters."""
    differences = [0x80, Name("/fi"), Name("/fl"), Name("/f_f_i"), Name("/uniFB01")]
    data = with_font(
        b"BT /F9 12 Tf 72 700 Td (o) Tj <80> Tj (ets en ) Tj <81> Tj (ink, o) Tj <82> Tj (cieel ) Tj <83> Tj (ne) Tj ET\n",
        helvetica(differences),
        {0x80: "fi", 0x81: "fl", 0x82: "ffi", 0x83: "\ufb01", ord("o"): "o", ord("e"): "e", ord("t"): "t"},
    )
    result, _ = accepted(data)
    assert "fiets" in result["texts"][0].replace("\ufb01", "fi")


@pytest.mark.parametrize(
    ("text", "too_many"),
    [
        ("fi", False),
        ("ffl", False),
        ("\ufb03", False),
        ("ß", False),
        ("\u0133", False),
        ("IJ", False),
        ("Th", False),
        ("1/2", False),
        ("لا", False),
        ("e\u0301", False),
        ("Jan", True),
        ("e Jan Pietersen", True),
        ("PJ", True),
        ("Αθή", True),
    ],
)
def test_letters_one_glyph_may_stand_for(text, too_many):
    assert glyphs.too_many_letters(text) is too_many


# -- A05: each code its own glyph, another letter ---------------------------------------------------------------

GLYPH = {" ": "space", **{c: c for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"}}


def substitution(shown: str, copied: str) -> tuple[bytes, list, dict[int, str]]:
    """Codes drawing ``shown`` (by /Differences) whose /ToUnicode gives ``copied``, one letter per code."""
    pairs: dict[tuple[str, str], int] = {}
    data = bytes(pairs.setdefault((s, c), 0x80 + len(pairs)) for s, c in zip(shown, copied, strict=True))
    differences = [0x80, *(Name("/" + GLYPH[s]) for s, _c in pairs)]
    return data, differences, {code: c for (_s, c), code in pairs.items()}


def test_pseudonym_that_copies_as_a_name_is_refused():
    data, differences, mapping = substitution("medewerker XY", "Jan Vermeulen")
    page = with_font(
        b"BT /F1 11 Tf 72 700 Td (Het gesprek werd gevoerd door ) Tj /F9 11 Tf " + pikepdf.String(data).unparse() + b" Tj ET\n",
        helvetica(differences),
        mapping,
    )
    finding = refused_as(page, OTHER)
    assert "medewerker XY" in finding["message"]


def test_x_per_letter_by_base_encoding_is_refused():
    """Without /Differences: WinAnsi code X (drawn "X") copied as J, a, n: also two letters on X (no outline rule)."""
    data = with_font(b"BT /F9 12 Tf 72 700 Td (XY) Tj ET\n", helvetica(), {ord("X"): "J", ord("Y"): "P"})
    refused_as(data, OTHER)


def test_two_byte_codes_in_a_simple_font_map_are_compared_too():
    """PDFium reads a map entry <0058> as code 58 of a simple font: the name check must not skip it."""
    two_bytes = (
        cmap({ord("X"): "J", ord("Y"): "P"})
        .replace(b"<00> <FF>", b"<0000> <FFFF>")
        .replace(b"<58>", b"<0058>")
        .replace(b"<59>", b"<0059>")
    )

    def setup(pdf, page, resources, helvetica_):
        font = Dictionary(Type=Name.Font, **helvetica())
        font.ToUnicode = pdf.make_stream(two_bytes)
        resources.Font.F9 = pdf.make_indirect(font)

    refused_as(one_page_pdf(VISIBLE + b"BT /F9 12 Tf 72 700 Td (XY) Tj ET\n", setup), OTHER)


def test_honest_differences_are_accepted():
    """Accented WinAnsi letters by /Differences, copied as themselves, decomposed, or without their accent."""
    differences = [0x80, Name("/eacute"), Name("/ediaeresis"), Name("/ccedilla"), Name("/Euro"), Name("/germandbls")]
    mapping = {0x80: "é", 0x81: "e\u0308", 0x82: "c", 0x83: "€", 0x84: "ß", ord("a"): "a", ord("n"): "n"}
    data = with_font(b"BT /F9 12 Tf 72 700 Td (a) Tj <8081828384> Tj (n) Tj ET\n", helvetica(differences), mapping)
    accepted(data)


def test_zapfdingbats_check_mark_is_accepted():
    """A ZapfDingbats check mark (code 0x33, glyph a19) copied as U+2713, and one without any map."""
    font = {"Subtype": Name.Type1, "BaseFont": Name.ZapfDingbats}
    accepted(with_font(b"BT /F9 12 Tf 72 700 Td (3) Tj ET\n", font, {0x33: "\u2713"}))
    accepted(with_font(b"BT /F9 12 Tf 72 700 Td (4) Tj ET\n", font))


def test_unknown_glyph_names_are_not_compared():
    """Names that say nothing (g12, a private-use value) leave the code to the outline check."""
    differences = [0x80, Name("/g12"), Name("/uniE001")]
    data = with_font(b"BT /F9 12 Tf 72 700 Td <8081> Tj ET\n", helvetica(differences), {0x80: "a", 0x81: "b"})
    assert OTHER not in {f["code"] for f in refusing(data)}


def test_drawn_texts_of_encodings():
    assert glyphs.drawn_texts(Dictionary({"/" + k: v for k, v in helvetica().items()}))[ord("X")] == "X"
    zapf = glyphs.drawn_texts(Dictionary(Subtype=Name.Type1, BaseFont=Name.ZapfDingbats))
    assert zapf[0x33] == "\u2713" and zapf[0x6E] == "\u25a0"
    symbolic = Dictionary(
        Subtype=Name.TrueType, BaseFont=Name("/ABCDEF+Foo"), FontDescriptor=Dictionary(Flags=4), Encoding=Name.WinAnsiEncoding
    )
    assert glyphs.drawn_texts(symbolic) == {}  # the program's own table decides


# -- A08: a non-embedded symbol font ------------------------------------------------------------------------------


def truetype(name: str, flags: int) -> dict:
    return {
        "Subtype": Name.TrueType,
        "BaseFont": Name("/" + name),
        "FirstChar": 32,
        "LastChar": 255,
        "Widths": Array([600] * 224),
        "FontDescriptor": lambda pdf: pdf.make_indirect(font_descriptor(name, flags)),
    }


NAME_LINE = b"BT /F1 11 Tf 72 700 Td (Behandelaar: ) Tj /F9 11 Tf (Jan Vermeulen) Tj ET\n"


@pytest.mark.parametrize(("name", "flags"), [("Wingdings-Regular", 4), ("Webdings", 4), ("Wingdings-Regular", 32), ("Foobar", 4)])
def test_non_embedded_symbol_font_is_refused(name, flags):
    finding = refused_as(with_font(NAME_LINE, truetype(name, flags)), SYMBOL)
    assert "Wingdings" in finding["message"] and "ingesloten" in finding["message"]
    assert "ingesloten lettertypen" in finding["fix"]


def test_non_embedded_symbol_font_never_shown_is_accepted():
    accepted(with_font(b"", truetype("Wingdings-Regular", 4)))


@pytest.mark.parametrize("name", ["Verdana", "Calibri,Bold", "ArialMT"])
def test_non_embedded_text_font_with_widths_is_accepted(name):
    """A text font the server lacks draws the same letters in every viewer (by the encoding): kept."""
    accepted(with_font(NAME_LINE, {**truetype(name, 32), "Encoding": Name.WinAnsiEncoding}))


# -- end to end: the package is refused, the name is nowhere on the site ------------------------------------------


@pytest.mark.slow
def test_round8_fonts_refuse_the_package_end_to_end(make_package, decisions, tmp_path):
    """A05 and A01 in one document of a real package: the build refuses it and names file, page and cause."""
    data, differences, mapping = substitution("medewerker XY", "Jan Vermeulen")
    document = with_font(
        b"BT /F9 11 Tf 72 700 " + b"Td " + pikepdf.String(data).unparse() + b" Tj ET\n", helvetica(differences), mapping
    )
    package = make_package("pakket")
    (package / "documenten" / "1.pdf").write_bytes(document)
    approve(package)
    out = tmp_path / "site"
    proc = run_cli(*build_args(decisions, out))
    assert proc.returncode != 0
    output = proc.stdout + proc.stderr
    assert "documenten/1.pdf, pagina 1" in output
    assert "het lettertype tekent andere letters" in output
    assert not out.exists() or "Vermeulen" not in all_text(out)


@pytest.mark.parametrize(
    ("name", "copied", "lie"),
    [
        ("eacute", "e", False),
        ("oe", "oe", False),
        ("oslash", "o", False),
        ("Delta", "Δ", False),
        ("mu", "µ", False),
        ("f_f_i", "ffi", False),
        ("I", "l", False),
        ("space", "J", False),  # draws nothing: the visibility check judges it
        ("X", "J", True),
        ("a71", "J", True),
        ("m", "J", True),
    ],
)
def test_names_lie(name, copied, lie):
    drawn = glyphs._named(name, name == "a71")
    assert drawn is not None
    assert glyphs.names_lie(drawn, copied) is lie
