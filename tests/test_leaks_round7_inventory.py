"""Inventory cells Excel does not show as their text (attack round 7): Excel tables, shrink-to-fit, the theme.

An Excel table ("Opmaken als tabel") draws its cells with a table style: a style of the workbook itself
(``tableStyles`` in styles.xml, each part a differential format in ``dxfs``) can give the text the colour of
the cell, and a built-in style (TableStyleDark1, ...) draws white text that a cell's own white fill hides. A
table's own formats (``dataDxfId``) count as well. ``shrinkToFit`` ("Tekst passend maken") scales a long text
down to the column width, to letters nobody reads. And the workbook's own colour theme can make "Tekst 1", the
colour of all default text, white. Every workbook here is written by openpyxl (a damaged
table part is put into its package afterwards).
"""

from __future__ import annotations

import re
import zipfile

import pytest
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.styles.table import TableStyle, TableStyleElement, TableStyleList
from openpyxl.worksheet.table import Table, TableStyleInfo

from support import rewrite_xlsx_parts, xlsx_inventory_package

SECRET = "notulist J. Pietersen"
TITLE = f"E-mail over planning ({SECRET})"
PUBLISHED = ["Nr.", "Document", "Datum", "Beoordeling", "Weigeringsgronden", "Bestand"]


def _table(style: str | None, rows: bool = True, **table):
    """The inventory as an Excel table (A1:G4) with ``style``, and the secret in cell B3."""

    def change(ws):
        ws["B3"] = TITLE
        info = TableStyleInfo(name=style, showRowStripes=rows) if style is not None else None
        ws.add_table(Table(displayName="Inventaris", ref="A1:G4", tableStyleInfo=info, **table))

    return change


def _custom(*elements: tuple[str, DifferentialStyle], name: str = "Geheim", rows: bool = True):
    """A table with a table style of the workbook itself, one differential format per element."""

    def change(ws):
        wb = ws.parent
        parts = [TableStyleElement(type=kind, dxfId=wb._differential_styles.add(dxf)) for kind, dxf in elements]
        wb._table_styles = TableStyleList(tableStyle=[TableStyle(name=name, pivot=False, table=True, tableStyleElement=parts)])
        _table(name, rows)(ws)

    return change


def _then(*changes):
    def change(ws):
        for one in changes:
            one(ws)

    return change


def _b3(**style):
    def change(ws):
        for key, value in style.items():
            setattr(ws["B3"], key, value)

    return change


WHITE_TEXT = DifferentialStyle(font=Font(color="FFFFFF"))
NAVY_ON_NAVY = DifferentialStyle(font=Font(color="1F3864"), fill=PatternFill(patternType="solid", bgColor="1F3864"))
READABLE = DifferentialStyle(font=Font(color="9C0006"), fill=PatternFill(patternType="solid", bgColor="FFF2CC"))


# how the workbook is changed, and what the message says hides the cell
HIDING_TABLES = {
    "eigen tabelstijl: witte tekst": (
        _custom(("wholeTable", WHITE_TEXT)),
        "de tabelopmaak 'Geheim' geeft de tekst in deze kolom (bijna) de kleur van de cel",
    ),
    "eigen tabelstijl: tekst in de kleur van de vulling": (_custom(("wholeTable", NAVY_ON_NAVY)), "(bijna) de kleur van de cel"),
    "eigen tabelstijl: witte tekst in de rijstroken": (
        _custom(("wholeTable", READABLE), ("firstRowStripe", WHITE_TEXT)),
        "(bijna) de kleur van de cel",
    ),
    "eigen tabelstijl: witte tekst over de vulling van het geheel": (
        _custom(
            ("wholeTable", DifferentialStyle(fill=PatternFill(patternType="solid", bgColor="FFFFFF"))),
            ("secondRowStripe", WHITE_TEXT),
        ),
        "(bijna) de kleur van de cel",
    ),
    "eigen tabelstijl: notatie ;;;": (
        _custom(("wholeTable", DifferentialStyle(numFmt=NumberFormat(200, ";;;")))),
        "de tabelopmaak 'Geheim' in deze kolom: de opmaak kan de getalnotatie ';;;' geven",
    ),
    "standaardstijl Dark1 met een eigen witte vulling": (
        _then(_table("TableStyleDark1"), _b3(fill=PatternFill("solid", fgColor="FFFFFF"))),
        "de tabelopmaak 'TableStyleDark1' geeft de tekst in deze kolom (bijna) de kleur van de cel",
    ),
    "standaardstijl Dark3 met een eigen lichte vulling": (
        _then(_table("TableStyleDark3"), _b3(fill=PatternFill("solid", fgColor="FCE4D6"))),
        "de tabelopmaak 'TableStyleDark3' geeft de tekst",
    ),
    "tabelstijl die niet bestaat": (
        _table("Onzichtbaar"),
        "de tabelopmaak 'Onzichtbaar' in deze kolom: de tabelopmaak staat niet in het bestand",
    ),
}


@pytest.mark.parametrize("how", list(HIDING_TABLES))
def test_a_table_style_that_hides_a_published_cell_refuses_the_package(make_package, how):
    change, words = HIDING_TABLES[how]
    _, errors = xlsx_inventory_package(make_package, change)
    assert errors and {p.code for p in errors} == {"inventaris.verborgen_cel"}, [(p.code, p.location, p.message) for p in errors]
    at_b = [p for p in errors if "kolom 'Document' (" in p.location]
    assert at_b, [p.location for p in errors]
    found = at_b[0]
    assert found.location in ("rij 2-4, kolom 'Document' (kolom B)", "rij 3, kolom 'Document' (cel B3)"), found.location
    assert "in Excel niet te zien (" in found.message and words in found.message and "gepubliceerd" in found.message
    assert "Tabelontwerp" in found.fix and "opnieuw goedkeuren" in found.fix
    assert SECRET not in found.message + found.location + found.fix
    for p in errors:  # only published columns: the unknown column 'Intern kenmerk' (G) is never named
        assert re.search(r"kolom '(" + "|".join(map(re.escape, PUBLISHED)) + ")'", p.location), p.location


def test_a_white_cell_in_a_dark_table_is_one_finding_for_that_cell(make_package):
    _, errors = xlsx_inventory_package(make_package, HIDING_TABLES["standaardstijl Dark1 met een eigen witte vulling"][0])
    assert [p.location for p in errors] == ["rij 3, kolom 'Document' (cel B3)"]
    assert errors[0].message.startswith("deze cel is in Excel niet te zien")


def test_a_tables_own_data_format_in_white_refuses_the_package(make_package):
    def change(ws):
        _table("TableStyleMedium2", dataDxfId=ws.parent._differential_styles.add(WHITE_TEXT))(ws)

    _, errors = xlsx_inventory_package(make_package, change)
    assert errors and {p.code for p in errors} == {"inventaris.verborgen_cel"}
    assert "rij 2-4, kolom 'Document' (kolom B)" in [p.location for p in errors]


def _broken_table(path):
    rewrite_xlsx_parts(path, lambda name, data: b"<table><nonsense" if name.startswith("xl/tables/") else data)


def test_a_table_that_cannot_be_read_refuses_the_package_as_damaged(make_package):
    _, errors = xlsx_inventory_package(make_package, _table("TableStyleMedium2"), _broken_table)
    assert [(p.code, p.location) for p in errors] == [("inventaris.xlsx", "werkblad 'Sheet'")]
    assert "tabel" in errors[0].message and "beschadigd" in errors[0].message and "opnieuw op" in errors[0].fix


def test_two_tables_side_by_side_are_each_judged_by_their_own_style(make_package):
    def change(ws):
        wb = ws.parent
        white = TableStyleElement(type="wholeTable", dxfId=wb._differential_styles.add(WHITE_TEXT))
        wb._table_styles = TableStyleList(tableStyle=[TableStyle(name="Geheim", table=True, tableStyleElement=[white])])
        ws.add_table(Table(displayName="Links", ref="A1:C4", tableStyleInfo=TableStyleInfo(name="TableStyleMedium2")))
        ws.add_table(Table(displayName="Rechts", ref="D1:F4", tableStyleInfo=TableStyleInfo(name="Geheim")))

    _, errors = xlsx_inventory_package(make_package, change)
    assert sorted(p.location for p in errors) == [
        "rij 2-3, kolom 'Bestand' (kolom F)",
        "rij 2-4, kolom 'Beoordeling' (kolom D)",
        "rij 3-4, kolom 'Weigeringsgronden' (kolom E)",
    ]


def test_a_sheet_with_too_many_tables_is_refused(make_package):
    def change(ws):
        for n in range(101):
            ws.cell(row=10 + 2 * n, column=9, value=f"Kop {n}")
            ws.add_table(Table(displayName=f"T{n}", ref=f"I{10 + 2 * n}:I{11 + 2 * n}"))

    _, errors = xlsx_inventory_package(make_package, change)
    assert [(p.code, p.location) for p in errors] == [("inventaris.xlsx", "werkblad 'Sheet'")]
    assert "101 tabellen" in errors[0].message and "Converteren naar bereik" in errors[0].fix


SEEN_TABLES = {
    "standaardstijl Medium9": _table("TableStyleMedium9"),
    "standaardstijl Light1 zonder rijstroken": _table("TableStyleLight1", rows=False),
    "standaardstijl Dark1 (witte tekst op donker)": _table("TableStyleDark1"),
    # a cell's own white text: on a plain sheet white on white, in a dark table readable
    "eigen witte tekst in een donkere tabel": _then(_table("TableStyleDark1"), _b3(font=Font(color="FFFFFF"))),
    "eigen rode tekst en gele vulling in Medium2": _then(
        _table("TableStyleMedium2"), _b3(font=Font(color="C00000"), fill=PatternFill("solid", fgColor="FFFF00"))
    ),
    "tabel zonder stijl": _table(None),
    "eigen tabelstijl, leesbaar": _custom(("wholeTable", READABLE), ("firstRowStripe", READABLE)),
    "eigen tabelstijl die alleen de kopregel verbergt": _custom(("wholeTable", READABLE), ("headerRow", WHITE_TEXT)),
    "eigen tabelstijl met witte rijstroken die uit staan": _custom(
        ("wholeTable", READABLE), ("firstRowStripe", WHITE_TEXT), rows=False
    ),
}


@pytest.mark.parametrize("how", list(SEEN_TABLES))
def test_a_table_excel_shows_readably_is_accepted(make_package, how):
    decision, errors = xlsx_inventory_package(make_package, SEEN_TABLES[how])
    assert errors == [], [(p.code, p.location, p.message) for p in errors]
    assert [r.nr for r in decision.inventory] == ["1", "2", "3"]
    assert decision.inventory[1].title == TITLE


# -- shrink to fit ---------------------------------------------------------------------------------------------
# Decision: judged, not refused outright. Excel scales the font by the column width over the text's width (a
# character taken as wide as a digit, the unit of a column width, so the estimate errs towards refusing); under
# 6 points (the smallest readable size, as for a small font) the cell is hidden. Wrapped text is never shrunk.
def _width(column: str, width: float):
    def change(ws):
        ws.column_dimensions[column].width = width

    return change


SHRINK = Alignment(shrink_to_fit=True)


def test_shrink_to_fit_of_a_long_text_in_a_narrow_column_refuses_the_package(make_package):
    _, errors = xlsx_inventory_package(make_package, _then(_b3(value=TITLE), _b3(alignment=SHRINK)))
    assert [(p.code, p.location) for p in errors] == [("inventaris.verborgen_cel", "rij 3, kolom 'Document' (cel B3)")]
    found = errors[0]
    assert "niet te zien (de tekst wordt verkleind tot hij in de cel past (Tekst passend maken)" in found.message
    assert "te klein om te lezen" in found.message
    assert "Tekst passend maken" in found.fix and "Tekstterugloop" in found.fix and "opnieuw goedkeuren" in found.fix
    assert SECRET not in found.message + found.location + found.fix


def test_shrink_to_fit_in_a_wide_but_not_wide_enough_column_refuses_the_package(make_package):
    # 44 characters in a column 18 wide: 11 points x 18/44 = 4.5 points
    _, errors = xlsx_inventory_package(make_package, _then(_b3(value=TITLE, alignment=SHRINK), _width("B", 18)))
    assert [p.location for p in errors] == ["rij 3, kolom 'Document' (cel B3)"]


@pytest.mark.parametrize(
    "change",
    [
        _then(_b3(value=TITLE, alignment=SHRINK), _width("B", 60)),  # fits: no shrinking at all
        _then(_b3(value=TITLE, alignment=SHRINK), _width("B", 30)),  # 11 x 30/44 = 7.5 points: small, readable
        _b3(value=TITLE, alignment=Alignment(shrink_to_fit=True, wrap_text=True)),  # wrapped text is not shrunk
        _b3(value="Notitie", alignment=SHRINK),  # a short text in the default width
        _b3(value=TITLE, alignment=Alignment(horizontal="left")),  # no shrinking: overflow into the next cell
    ],
    ids=["past", "iets kleiner", "met terugloop", "korte tekst", "zonder passend maken"],
)
def test_shrink_to_fit_that_stays_readable_is_accepted(make_package, change):
    decision, errors = xlsx_inventory_package(make_package, change)
    assert errors == [], [(p.code, p.location, p.message) for p in errors]
    assert [r.nr for r in decision.inventory] == ["1", "2", "3"]


def test_shrink_to_fit_on_a_column_the_site_does_not_publish_is_accepted(make_package):
    def change(ws):
        ws["G3"] = "Intern: " + TITLE * 3
        ws["G3"].alignment = SHRINK

    decision, errors = xlsx_inventory_package(make_package, change)
    assert errors == [], [(p.code, p.location, p.message) for p in errors]


# -- the workbook's colour theme -------------------------------------------------------------------------------
def _theme(change):
    def rewrite(path):
        with zipfile.ZipFile(path) as zin:
            items = [(item.filename, zin.read(item.filename)) for item in zin.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
            for name, data in items:
                zout.writestr(name, change(data) if name == "xl/theme/theme1.xml" else data)

    return rewrite


WINDOW_TEXT = b'<a:sysClr val="windowText" lastClr="000000"/>'


def test_a_theme_that_makes_the_text_colour_white_refuses_the_package(make_package):
    white = _theme(lambda xml: xml.replace(WINDOW_TEXT, b'<a:srgbClr val="FFFFFF"/>'))
    _, errors = xlsx_inventory_package(make_package, _b3(value=TITLE), white)
    assert errors and {p.code for p in errors} == {"inventaris.verborgen_cel"}, [(p.code, p.message) for p in errors]
    b3 = [p for p in errors if p.location == "rij 3, kolom 'Document' (cel B3)"]
    assert b3 and "niet te zien (de tekst heeft (bijna) de kleur van de cel)" in b3[0].message
    assert SECRET not in b3[0].message + b3[0].location


def test_a_theme_with_a_dark_grey_text_colour_is_accepted(make_package):
    grey = _theme(lambda xml: xml.replace(WINDOW_TEXT, b'<a:srgbClr val="262626"/>'))
    decision, errors = xlsx_inventory_package(make_package, _b3(value=TITLE), grey)
    assert errors == [], [(p.code, p.message) for p in errors]
    assert decision.inventory[1].title == TITLE


def test_a_theme_that_is_no_xml_refuses_the_package_as_damaged(make_package):
    _, errors = xlsx_inventory_package(make_package, _b3(value=TITLE), _theme(lambda xml: b"\x00 geen thema"))
    assert [p.code for p in errors] == ["inventaris.xlsx"], [(p.code, p.message) for p in errors]
    assert "kleurenthema" in errors[0].message and "opnieuw op" in errors[0].fix
