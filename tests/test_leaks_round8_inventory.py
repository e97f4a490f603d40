"""Attack round 8: text the approver never saw, in an inventory or hidden in characters that draw nothing.

- A14: Unicode TAG characters (U+E0000-E007F) spell a name that no browser or editor draws. One definition of such
  characters (``publish/invisible.py``) is refused in every published text, every inventory cell and the page text of
  every PDF (``pdf.onzichtbaar_teken``).
- A09: the end of a title Excel never shows: pushed past the column edge by a run of spaces or non-breaking spaces,
  or lines below a one-line row; and a workbook that opens on a clean sheet while the site reads another.
- A11: a value in a merged range other than its top-left cell (Excel shows only the top-left one).
- A12: a white shape over the title cell (drawings are not cells, the site never read them).
- A04: a file name stored as NFD (macOS) while the inventory uses NFC: the message says how the names differ.

Every workbook is written by openpyxl, as Excel and the export tools write them; a shape openpyxl cannot write is put
into the package afterwards as the XML Excel writes for Insert > Shapes.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pikepdf
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import Alignment

from publish.invisible import describe_all, invisible, pdf_invisible
from publish.package import load_package

from support import ROOT, XRAY, PackageMaker, all_text, approve, build_args, rewrite_xlsx_parts, run_cli, xlsx_inventory_package
from support.pdfcraft import one_page_pdf, refusing

SECRET = "Vermeulen"
TAGS = "".join(chr(0xE0000 + ord(c)) for c in "Jan " + SECRET)
OPEN = {"besluit": "openbaar"}  # one public document
NEW_CODES = {
    "tekst.stuurteken",
    "pdf.onzichtbaar_teken",
    "inventaris.spaties",
    "inventaris.titel_regels",
    "inventaris.samengevoegde_cel",
    "inventaris.vorm_over_cellen",
    "inventaris.werkblad",
    "bestand.naam_codering",
}


def errors(pkg: Path) -> list:
    return [p for p in load_package(pkg)[1] if p.is_error]


# -- A14: the one definition ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "char",
    ["\U000e004a", "\U000e0001", "\u200b", "\u200c", "\u200d", "\u2060", "\ufe0f", "\U000e0100", "\u00ad", "\u202e", "\x07"]
    + ["\x85", "\u2028", "\ufeff", "\ue000", "\U000f0000", "\u0378", "\u180e", "\u034f", "\u3164", "\u115f"],
)
def test_every_character_that_draws_nothing_is_found(char):
    assert invisible(f"Notitie{char}tekst") == [(7, char)]


@pytest.mark.parametrize("text", ["Verslag\tover café\u00a0en crème brûlée\n", "Ελληνικά, 日本語, عربي", "\U0001f4bb 2024 – €"])
def test_visible_text_and_the_whitespace_we_accept_are_not(text):
    assert invisible(text) == []


def test_tags_are_named_as_one_run_of_invisible_letters():
    assert describe_all([c for c in TAGS]) == "13 tagtekens (U+E0000 t/m U+E007F: onzichtbare letters)"


def test_pdf_text_keeps_what_a_drawn_glyph_gives_and_nothing_else():
    """A symbol font's check box (C1 control, as in the x-ray set's court form), a private-use code and a soft hyphen
    (Word's drawn hyphen) are drawn glyphs; a tag, a zero-width space or a variation selector never is."""
    assert pdf_invisible("\x84 Employed\n\uf0b7 punt\nre\u00ad\norganisatie, re\u00adorganisatie") == []
    assert [c for _, c in pdf_invisible("Zie" + TAGS + "\u200b\ufe0f")] == [*TAGS, "\u200b", "\ufe0f"]


def _tag_pdf() -> bytes:
    """A visible line whose full stop copies (/ToUnicode) as '.' followed by 'Jan Vermeulen' in tag characters."""
    hexed = ("." + TAGS).encode("utf-16-be").hex().upper()
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def /CMapType 2 def\n"
        "1 begincodespacerange <00> <FF> endcodespacerange\n1 beginbfchar\n<2E> <" + hexed + ">\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()

    def setup(pdf, page, resources, font):
        font.ToUnicode = pdf.make_stream(cmap)

    return one_page_pdf(b"BT /F1 12 Tf 72 700 Td (gewone zichtbare regel.) Tj ET", setup)


def test_tag_characters_in_the_page_text_of_a_pdf_refuse_it_naming_the_page():
    (finding,) = [f for f in refusing(_tag_pdf()) if f["code"] == "pdf.onzichtbaar_teken"]
    assert finding["location"] == "pagina 1"
    assert "13 tagtekens (U+E0000 t/m U+E007F: onzichtbare letters)" in finding["message"]
    assert SECRET not in finding["message"] and "Maak de pdf opnieuw" in finding["fix"]


def test_no_pdf_of_the_xray_set_or_the_example_packages_has_invisible_characters():
    """False refusals: the court PDFs of the x-ray set (symbol-font check boxes, hyphens at line ends) and every PDF
    of the example packages keep no character ``pdf_invisible`` refuses."""
    import pypdfium2 as pdfium

    from publish.gate.visibility import page_text

    files = sorted(XRAY.glob("*.pdf")) + sorted((ROOT / "decisions").rglob("*.pdf"))
    assert len(files) > 4
    found = {}
    for path in files:
        doc = pdfium.PdfDocument(path.read_bytes())
        try:
            for index in range(len(doc)):
                chars = pdf_invisible(page_text(doc, index))
                if chars:
                    found[f"{path.name}:{index + 1}"] = chars[:3]
        finally:
            doc.close()
    assert found == {}


def test_tag_characters_in_an_inventory_cell_are_refused(make_package):
    rows = [["1", "Notitie" + TAGS, "2024-01-10", "openbaar", "", "documenten/1.pdf"]]
    (error,) = errors(make_package(meta=OPEN, rows=rows))
    assert (error.code, error.file, error.location) == ("tekst.stuurteken", "inventaris.csv", "rij 2, kolom 'document'")
    assert "13 tagtekens" in error.message and SECRET not in error.message


# -- A09: spaces and line breaks ---------------------------------------------------------------------------------------
def _b3(value, **attributes):
    def change(ws):
        ws["B3"] = value
        for key, setting in attributes.items():
            setattr(ws["B3"], key, setting)
        ws.column_dimensions["B"].width = 30

    return change


@pytest.mark.parametrize("space", [" ", "\u00a0"])
def test_a_title_pushed_out_of_the_column_by_spaces_is_refused(make_package, space):
    _, found = xlsx_inventory_package(make_package, _b3("E-mail over planning" + space * 150 + "aan J. " + SECRET))
    (error,) = found
    assert (error.code, error.location) == ("inventaris.spaties", "rij 3, kolom 'Document'")
    assert error.message.startswith("de tekst bevat 150 spaties achter elkaar") and "na 'E-mail over planning'" in error.message
    assert ("U+00A0" in error.message) == (space != " ") and "Zoeken en vervangen" in error.fix


def test_three_spaces_in_a_row_are_accepted(make_package):
    decision, found = xlsx_inventory_package(make_package, _b3("E-mail   over planning"))
    assert found == [] and decision.inventory[1].title == "E-mail   over planning"


def test_lines_below_a_one_line_row_are_refused_naming_the_cell(make_package):
    def change(ws):
        _b3("Overleg\nmet de gemeente", alignment=Alignment(wrap_text=True))(ws)
        ws["G3"] = "Intern\nkenmerk\nX-2"  # not published: not judged
        ws.row_dimensions[3].height = 15

    _, found = xlsx_inventory_package(make_package, change)
    (error,) = found
    assert (error.code, error.location) == ("inventaris.verborgen_cel", "rij 3, kolom 'Document' (cel B3)")
    assert "de tekst telt 2 regels, maar de rij is maar 1 regel hoog" in error.message and "Rijhoogte" in error.fix


def test_lines_that_fit_the_row_are_accepted(make_package):
    def change(ws):
        _b3("Overleg\nmet de gemeente", alignment=Alignment(wrap_text=True))(ws)
        ws.row_dimensions[3].height = 30

    assert xlsx_inventory_package(make_package, change)[1] == []


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_title_over_more_than_two_lines_is_refused(make_package, kind):
    title = "Notitie over de subsidie" + "\n" * 8 + "aan J. " + SECRET
    if kind == "csv":
        found = errors(make_package(meta=OPEN, rows=[["1", title, "2024-01-10", "openbaar", "", "documenten/1.pdf"]]))
    else:
        found = xlsx_inventory_package(make_package, _b3(title, alignment=Alignment(wrap_text=True)))[1]
    (error,) = found
    assert error.code == "inventaris.titel_regels" and error.message.startswith("de titel beslaat 9 regels")


def test_a_title_over_two_lines_is_accepted(make_package):
    assert xlsx_inventory_package(make_package, _b3("Overleg\nmet de gemeente"))[1] == []


# -- A09: which sheet the approver saw ---------------------------------------------------------------------------------
def _second_sheet(active: int, header=("Nr.", "Document", "Datum", "Beoordeling", "Weigeringsgronden", "Bestand")):
    def change(ws):
        other = ws.parent.create_sheet("Schoon")
        other.append(list(header))
        other.append([2, "E-mail over planning", None, "Deels openbaar", "5.1.2.e", "documenten/2.pdf"])
        ws.parent.active = active

    return change


def test_a_workbook_opening_on_another_list_of_documents_is_refused(make_package):
    _, found = xlsx_inventory_package(make_package, _second_sheet(1, header=("Nr.", "Document")))
    (error,) = found
    assert (error.code, error.location) == ("inventaris.werkblad", "werkblad 'Sheet'")
    assert "Excel opent deze werkmap op werkblad 'Schoon'" in error.message and "tabblad 'Sheet'" in error.fix


def test_two_visible_inventory_sheets_are_refused_naming_both(make_package):
    _, found = xlsx_inventory_package(make_package, _second_sheet(0))
    (error,) = found
    assert (error.code, error.location) == ("inventaris.werkblad", "werkblad 'Sheet' en werkblad 'Schoon'")


def test_a_workbook_opening_on_its_lookup_values_is_accepted(make_package):
    """As productierapport tools write it: a sheet of lookup values (no titles, no numbers) may be the active tab."""
    _, found = xlsx_inventory_package(make_package, _second_sheet(1, header=("Beoordeling", "Beoordelingsgrond", "Opgeschort")))
    assert found == []


# -- A11: merged ranges ------------------------------------------------------------------------------------------------
def _merged(ref: str, **cells):
    """Merge ``ref`` after setting ``cells``; openpyxl empties the other cells of a merge, so the value hidden in one is
    put back into the sheet's XML afterwards (as Excel keeps it when cells are merged by other tools)."""

    def change(ws):
        for cell, value in cells.items():
            ws[cell] = value
        ws.merge_cells(ref)

    return change


def _hide_in(cell: str, text: str):
    def edit(name: str, body: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return body
        row = re.search(rb"\d+", cell.encode()).group()
        body = re.sub(rb'<c r="' + cell.encode() + rb'"[^>]*/>', b"", body)
        return re.sub(
            rb'(<row r="' + row + rb'"[^>]*>)(.*?)(</row>)',
            lambda m: m.group(1) + _sorted_cells(m.group(2), cell, text) + m.group(3),
            body,
            flags=re.S,
        )

    return lambda path: rewrite_xlsx_parts(path, edit)


def _sorted_cells(cells: bytes, cell: str, text: str) -> bytes:
    new = f'<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()
    parts = re.findall(rb"<c .*?(?:/>|</c>)", cells, flags=re.S)
    parts.append(new)

    def key(part: bytes):
        from openpyxl.utils import column_index_from_string

        ref = re.search(rb'r="([A-Z]+)', part).group(1).decode()
        return column_index_from_string(ref)

    return b"".join(sorted(parts, key=key))


def test_a_value_hidden_in_a_merged_range_is_refused_naming_the_cell(make_package):
    _, found = xlsx_inventory_package(make_package, _merged("B2:B3", B2="Mailwisseling"), _hide_in("B3", "Mail van J. " + SECRET))
    (error,) = found
    assert (error.code, error.location) == ("inventaris.samengevoegde_cel", "rij 3, kolom 'Document' (cel B3)")
    assert "samengevoegde bereik B2:B3" in error.message and "alleen de waarde van cel B2" in error.message
    assert SECRET not in error.message and "Samenvoeging opheffen" in error.fix


def test_merged_ranges_with_empty_other_cells_or_outside_the_published_columns_are_accepted(make_package):
    def change(ws):
        _merged("G2:G3", G2="X-1")(ws)  # 'Intern kenmerk' is not published
        _merged("C3:C4")(ws)  # dates of two rows, both empty

    decision, found = xlsx_inventory_package(make_package, change, _hide_in("G3", "verborgen"))
    assert found == [] and len(decision.inventory) == 3


# -- A12: shapes over the cells ----------------------------------------------------------------------------------------
_SHAPE = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">
<xdr:twoCellAnchor><xdr:from><xdr:col>COL</xdr:col><xdr:colOff>1500000</xdr:colOff><xdr:row>ROW</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>
<xdr:to><xdr:col>COL2</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>ROW2</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>
<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="Rechthoek 1"/><xdr:cNvSpPr/></xdr:nvSpPr>
<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill><a:ln><a:noFill/></a:ln></xdr:spPr>
</xdr:sp><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"""


def _shape(col: int, row: int):
    """A white rectangle from (col, row) to the next column and row (0-based), as Excel writes Insert > Shapes."""
    drawing = _SHAPE.replace(b"COL2", str(col + 1).encode()).replace(b"ROW2", str(row + 1).encode())
    drawing = drawing.replace(b"COL", str(col).encode()).replace(b"ROW", str(row).encode())

    def edit(name: str, body: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            body = body.replace(
                b"<worksheet ",
                b'<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ',
                1,
            )
            return body.replace(b"</worksheet>", b'<drawing r:id="rIdD1"/></worksheet>')
        if name == "[Content_Types].xml":
            return body.replace(
                b"</Types>",
                b'<Override PartName="/xl/drawings/drawing1.xml" '
                b'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>',
            )
        return body

    added = {
        "xl/worksheets/_rels/sheet1.xml.rels": b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
        b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdD1" Type="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" Target="../drawings/drawing1.xml"/>'
        b"</Relationships>",
        "xl/drawings/drawing1.xml": drawing,
    }
    return lambda path: rewrite_xlsx_parts(path, edit, added)


def test_a_white_shape_over_the_title_cell_is_refused(make_package):
    _, found = xlsx_inventory_package(make_package, _b3("E-mail over planning aan J. " + SECRET), _shape(1, 2))
    (error,) = found
    assert (error.code, error.location) == ("inventaris.vorm_over_cellen", "werkblad 'Sheet', cel B3")
    assert (
        error.message.startswith("de vorm 'Rechthoek 1' ligt over de cellen van de inventaris") and "Selectievenster" in error.fix
    )


def test_a_shape_beside_the_table_is_accepted(make_package):
    assert xlsx_inventory_package(make_package, lambda ws: None, _shape(10, 20))[1] == []


def test_a_picture_over_the_cells_is_refused_and_notes_that_show_on_pointing_are_accepted(make_package, tmp_path):
    from openpyxl.drawing.image import Image
    from PIL import Image as Picture

    logo = tmp_path / "logo.png"
    Picture.new("RGB", (200, 40), "white").save(logo)

    def picture(ws):
        ws.add_image(Image(str(logo)), "B3")

    _, found = xlsx_inventory_package(make_package, picture)
    assert [e.code for e in found] == ["inventaris.vorm_over_cellen"]

    def note(ws):
        ws["B3"].comment = Comment("Titel nagekeken", "Afdeling Woo")

    other = PackageMaker(tmp_path / "notitie")
    assert xlsx_inventory_package(other, note)[1] == []


# -- A04: names that differ in how accents are stored ------------------------------------------------------------------
def test_a_file_name_in_nfd_says_how_it_differs(make_package):
    rows = [["1", "Stuk", "2024-01-10", "openbaar", "", unicodedata.normalize("NFC", "documenten/café.pdf")]]
    pkg = make_package(meta=OPEN, rows=rows)
    (pkg / unicodedata.normalize("NFC", "documenten/café.pdf")).rename(pkg / unicodedata.normalize("NFD", "documenten/café.pdf"))
    found = errors(pkg)
    assert sorted(e.code for e in found) == ["bestand.naam_codering", "bestand.naam_codering"]
    for error in found:
        assert "'é' als één teken (U+00E9)" in error.message and "los accentteken (U+0065 U+0301)" in error.message
        assert "Mac" in error.fix


# -- real inventories stay accepted -------------------------------------------------------------------------------------
def test_the_example_packages_have_none_of_the_new_refusals():
    """The example packages (a real BZK inventory export among them) load without any of this round's refusals."""
    for pkg in sorted(p for p in (ROOT / "decisions").iterdir() if (p / "besluit.md").is_file()):
        found = [p for p in load_package(pkg)[1] if p.code in NEW_CODES]
        assert found == [], (pkg.name, [p.format() for p in found])


# -- end to end --------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("round8")
    decisions = root / "decisions"
    decisions.mkdir()
    make = PackageMaker(decisions)
    approve(make("tag-titel", meta={"kenmerk": "R8-TAG", "titel": "Besluit subsidie" + TAGS}))
    approve(make("tag-samenvatting", meta={"kenmerk": "R8-SAM"}, body="Samenvatting." + TAGS))
    pkg = make("tag-pdf", meta={"kenmerk": "R8-PDF"})
    (pkg / "documenten" / "1.pdf").write_bytes(_tag_pdf())
    approve(pkg)
    rows = [["1", "Notitie over de subsidie" + " " * 150 + "aan J. " + SECRET, "2024-01-10", "openbaar", "", "documenten/1.pdf"]]
    approve(make("spaties", meta={**OPEN, "kenmerk": "R8-SPATIES"}, rows=rows))
    approve(make("goed", meta={"kenmerk": "R8-GOED"}))
    out = root / "site"
    return out, run_cli(*build_args(decisions, out, cache=root / "cache", today="2025-07-01"))


@pytest.mark.slow
def test_build_refuses_every_hidden_name_and_publishes_the_other_package(built):
    out, result = built
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    for name, where in [
        ("tag-titel", "besluit.md, veld 'titel'"),
        ("tag-samenvatting", "besluit.md, samenvatting, regel 12"),  # line 1 of the summary: line 12 of besluit.md
        ("tag-pdf", "documenten/1.pdf, pagina 1"),
        ("spaties", "inventaris.csv, rij 2, kolom 'document'"),
    ]:
        assert f"GEWEIGERD    {name}:" in result.stdout and f"{name}/{where}: " in result.stdout, name
    assert "tagtekens (U+E0000 t/m U+E007F: onzichtbare letters)" in result.stdout
    assert "\U000e004a" not in result.stdout  # messages name the characters, never print them
    assert (out / "besluit" / "r8-goed" / "index.html").is_file()
    text = all_text(out)
    for value in (SECRET, TAGS[4:], "R8-TAG", "R8-SAM", "R8-PDF", "R8-SPATIES"):
        assert value not in text, value
    for path in out.rglob("*.pdf"):
        with pikepdf.open(path) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    assert TAGS.encode("utf-16-be").hex().upper().encode() not in obj.read_bytes()


# -- the withdrawal reason is a published text too ---------------------------------------------------------------------
def test_a_withdrawal_reason_with_tag_characters_is_refused(cli, make_package):
    from support import DEMO_KEY

    pkg = make_package()
    approve(pkg)
    result = cli("withdraw", str(pkg), "--reden", "Fout in document" + TAGS, "--datum", "2024-06-01", "--sleutel", str(DEMO_KEY))
    assert result.returncode == 1 and "de reden bevat onzichtbare tekens: 13 tagtekens" in result.stdout
    assert "Er is niets vastgelegd." in result.stdout and not (pkg / "wijzigingen.json").exists()


@pytest.mark.slow
def test_a_signed_reason_with_tag_characters_is_not_published(cli, make_package, decisions, tmp_path):
    import datetime as dt

    from publish.history import WITHDRAWN_DOCUMENT, Change, append_changes, sign_change

    from support import DEMO_KEY, DEMO_SIGNERS

    pkg = make_package()
    approve(pkg)
    change = Change(dt.date(2024, 6, 1), WITHDRAWN_DOCUMENT, "2", "", "Fout in document" + TAGS)
    append_changes(pkg, [sign_change(change, pkg, DEMO_KEY, DEMO_SIGNERS)])  # signed, as an older woo-publish would have
    out = tmp_path / "site"
    result = run_cli(*build_args(decisions, out, cache=tmp_path / "cache", today="2024-06-02"))
    assert "wijziging 1 (document ingetrokken 2, 2024-06-01): de publieke reden bevat onzichtbare tekens" in result.stdout
    assert not (out / "besluit/2024-0001/document-2.pdf").exists()  # the withdrawal itself still holds
    text = all_text(out)
    assert TAGS[4:] not in text and "De reden wordt niet getoond omdat die onzichtbare tekens bevatte." in text
