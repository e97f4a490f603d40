"""Inventory cells Excel does not show as the site would publish them (attack round 5, row 10 and F1).

Round 4 refused ``;;;``, white text and hidden rows; round 5 found the rest: a format section of only
spaces (``;;;" "``, ``;;;\\ ``, ``;;;* ``, ``;;;_)``), black text on a dark *pattern* fill, a conditional
format that turns the text white, a formula whose cached value (what the site reads) differs from what
Excel calculates, tiny letters and a far indent. And a false refusal (F1): a font or fill in an
*indexed* colour (older Excel, ``.xls`` converters, LibreOffice palette colours) refused the whole
workbook as damaged. Every spreadsheet here is written by openpyxl (formulas and Excel 2010 extensions
are put into its XML afterwards, as Excel writes them).
"""

from __future__ import annotations

import re
import zipfile

import pytest
from openpyxl.formatting.rule import CellIsRule, DataBarRule, FormulaRule, Rule
from openpyxl.styles import Alignment, Font, GradientFill, PatternFill
from openpyxl.styles.colors import Color
from openpyxl.styles.differential import DifferentialStyle

from publish.package import load_package

from support import INVENTORY_HEADER, rewrite_xlsx_parts, write_pdf, xlsx_inventory_package

HEADER = INVENTORY_HEADER
SECRET = "notulist J. Pietersen"
TITLE = f"E-mail over planning ({SECRET})"


def _package(make_package, change, after=None, shared=False):
    rewrites = [lambda path: _rewrite_sheet(path, after)] if after is not None else []
    return xlsx_inventory_package(make_package, change, *rewrites, *([_shared_runs] if shared else []))


def _rewrite_sheet(path, change):
    """Change the first worksheet's XML (what openpyxl cannot write: a formula with a cached value, an extension)."""
    rewrite_xlsx_parts(path, lambda name, data: change(data) if name == "xl/worksheets/sheet1.xml" else data)


def _title(ws, **style):
    ws["B3"] = TITLE
    for key, value in style.items():
        setattr(ws["B3"], key, value)


def _conditional(rule, cells="B2:B4"):
    def change(ws):
        ws["B3"] = TITLE
        ws.conditional_formatting.add(cells, rule)

    return change


HIDING = {
    # number formats whose text section shows nothing, or shows a fixed text instead of the cell's
    'notatie ;;;" "': lambda ws: _title(ws, number_format=';;;" "'),
    "notatie ;;;\\ ": lambda ws: _title(ws, number_format=";;;\\ "),
    "notatie ;;;* ": lambda ws: _title(ws, number_format=";;;* "),
    "notatie ;;;_)": lambda ws: _title(ws, number_format=";;;_)"),
    'notatie ;;;"   "_x\\ ': lambda ws: _title(ws, number_format=';;;"   "_x\\ * '),
    "notatie met vaste tekst": lambda ws: _title(ws, number_format=';;;"Zie bijlage"'),
    "notatie [White]@": lambda ws: _title(ws, number_format=";;;[White]@"),
    "notatie [Color2]@ (wit)": lambda ws: _title(ws, number_format="[Color2]@"),
    # indexed colours: white text in Excel's palette (9) and the default palette's first white (1)
    "geïndexeerd wit (9)": lambda ws: _title(ws, font=Font(color=Color(indexed=9))),
    "geïndexeerd wit (1)": lambda ws: _title(ws, font=Font(color=Color(indexed=1))),
    "zwart op geïndexeerd zwart": lambda ws: _title(
        ws, font=Font(color="000000"), fill=PatternFill("solid", fgColor=Color(indexed=8))
    ),
    # pattern and gradient fills
    "zwart op donker patroon": lambda ws: _title(
        ws, font=Font(color="000000"), fill=PatternFill(patternType="darkGray", fgColor="000000", bgColor="000000")
    ),
    "zwart op donker patroon zonder achtergrondkleur": lambda ws: _title(
        ws, fill=PatternFill(patternType="darkGray", fgColor="000000")
    ),
    "wit op licht patroon": lambda ws: _title(
        ws, font=Font(color="FFFFFF"), fill=PatternFill(patternType="lightGray", fgColor="000000")
    ),
    "zwart op zwart verloop": lambda ws: _title(ws, fill=GradientFill(stop=("000000", "000000"))),
    # too small to read, pushed out of the cell
    "letters van 2,5 punt": lambda ws: _title(ws, font=Font(sz=2.5)),
    "letters van 5 punt": lambda ws: _title(ws, font=Font(sz=5)),
    "inspringing 250": lambda ws: _title(ws, alignment=Alignment(horizontal="left", indent=250)),
}


@pytest.mark.parametrize("how", list(HIDING))
def test_a_cell_excel_does_not_show_refuses_the_package(make_package, how):
    _, errors = _package(make_package, HIDING[how])
    hits = [p for p in errors if p.code == "inventaris.verborgen_cel"]
    assert hits, [(p.code, p.message) for p in errors]
    assert [p.code for p in errors] == ["inventaris.verborgen_cel"], [(p.code, p.message) for p in errors]  # not "damaged"
    assert hits[0].location == "rij 3, kolom 'Document' (cel B3)", hits[0].location
    assert "niet te zien" in hits[0].message and "opnieuw goedkeuren" in hits[0].fix
    assert SECRET not in hits[0].message + hits[0].location + hits[0].fix


def test_messages_say_what_hides_the_cell(make_package):
    cases = {
        'notatie ;;;" "': "toont niets",
        "notatie met vaste tekst": "vaste tekst in plaats van de inhoud",
        "geïndexeerd wit (9)": "de kleur van de cel",
        "zwart op donker patroon": "de kleur van de cel",
        "letters van 5 punt": "te klein",
        "inspringing 250": "ingesprongen",
    }
    for how, words in cases.items():
        _, errors = _package(make_package, HIDING[how])
        assert words in errors[0].message, (how, errors[0].message)


def _indexed_colours(ws):
    ws["B2"].font = Font(color=Color(indexed=10))  # red
    ws["B3"].font = Font(color=Color(indexed=12), bold=True)  # blue
    ws["B4"].font = Font(color=Color(indexed=8))  # black
    ws["D2"].fill = PatternFill("solid", fgColor=Color(indexed=13))  # yellow
    ws["D3"].fill = PatternFill("solid", fgColor=Color(indexed=22), bgColor=Color(indexed=64))  # silver, as Excel writes it
    ws["D4"].font = Font(color=Color(indexed=64))  # "system foreground"
    ws["E3"].font = Font(color=Color(indexed=9))  # white ...
    ws["E3"].fill = PatternFill("solid", fgColor=Color(indexed=18))  # ... on navy


def _light_patterns(ws):
    ws["B2"].fill = PatternFill(patternType="gray125")
    ws["B3"].fill = PatternFill(patternType="lightGray", fgColor="C0C0C0")
    ws["B4"].fill = PatternFill(patternType="darkGray", fgColor="FFFF00", bgColor="FFFFFF")
    ws["D2"].fill = GradientFill(stop=("FFFFFF", "DDEBF7"))


def _ordinary_formats(ws):
    ws["B2"].number_format = "@"
    ws["B3"].number_format = ";;;[Blue]@"  # a prefix such as ';;;"Titel: "@' is refused since round 9 (A17)
    ws["A2"].number_format = "#,##0 ;[Red]-#,##0 "
    ws["A3"].number_format = '0;-0;"nul";@'
    ws["A4"].number_format = "[Blue]0"
    ws["B4"].font = Font(sz=8)
    ws["D2"].alignment = Alignment(indent=2)
    ws["B2"].alignment = Alignment(wrap_text=True, vertical="top")


def _ordinary_conditional_formats(ws):
    # Excel's preset "light red fill with dark red text", a bold rule, a green fill, a colour scale and a data bar
    red = DifferentialStyle(font=Font(color="9C0006"), fill=PatternFill(bgColor="FFC7CE"))
    ws.conditional_formatting.add("D2:D4", Rule(type="containsText", operator="containsText", text="Niet", dxf=red))
    ws.conditional_formatting.add("B2:B4", FormulaRule(formula=["TRUE"], font=Font(bold=True)))
    ws.conditional_formatting.add(
        "A2:A4", CellIsRule(operator="greaterThan", formula=["1"], fill=PatternFill("solid", bgColor="C6EFCE"))
    )
    ws.conditional_formatting.add("A2:A4", DataBarRule(start_type="min", end_type="max", color="638EC6"))
    # a hiding rule on cells the site does not publish: an unknown column, and rows without values
    ws.conditional_formatting.add("G2:G4", FormulaRule(formula=["TRUE"], font=Font(color="FFFFFF")))
    ws.conditional_formatting.add("B10:B20", FormulaRule(formula=["TRUE"], font=Font(color="FFFFFF")))


def _hidden_things_without_values(ws):
    ws["B6"].number_format = ';;;" "'
    ws["B6"].font = Font(color=Color(indexed=9), sz=2)
    ws["B7"].fill = PatternFill(patternType="darkGray")


SEEN = {
    "geïndexeerde kleuren": _indexed_colours,
    "lichte patronen en verloop": _light_patterns,
    "gewone notaties, grootte en inspringing": _ordinary_formats,
    "gewone voorwaardelijke opmaak": _ordinary_conditional_formats,
    "lege cellen met verbergende opmaak": _hidden_things_without_values,
}


@pytest.mark.parametrize("how", list(SEEN))
def test_what_excel_shows_is_accepted(make_package, how):
    decision, errors = _package(make_package, SEEN[how])
    assert errors == [], [(p.code, p.location, p.message) for p in errors]
    assert [r.nr for r in decision.inventory] == ["1", "2", "3"]


def test_an_indexed_colour_from_the_workbooks_own_palette_is_used(make_package):
    """A workbook may redefine its indexed colours (<indexedColors>): colour 10 made white hides the text."""

    def palette(ws):
        from openpyxl.styles.colors import COLOR_INDEX

        colours = list(COLOR_INDEX)
        colours[10] = "00FFFFFF"
        ws.parent._colors = colours
        _title(ws, font=Font(color=Color(indexed=10)))

    _, errors = _package(make_package, palette)
    assert [p.code for p in errors] == ["inventaris.verborgen_cel"] and "de kleur van de cel" in errors[0].message


def _number_format_rule():
    from openpyxl.styles.numbers import NumberFormat

    return Rule(
        type="expression", formula=["TRUE"], dxf=DifferentialStyle(numFmt=NumberFormat(numFmtId=200, formatCode=';;;" "'))
    )


def _scale_rule():
    from openpyxl.formatting.rule import ColorScaleRule

    return ColorScaleRule(start_type="min", start_color="FFFFFF", end_type="max", end_color="000000")


HIDING_RULES = {
    "witte tekst": lambda: FormulaRule(formula=["TRUE"], font=Font(color="FFFFFF")),
    "geïndexeerd witte tekst": lambda: FormulaRule(formula=["TRUE"], font=Font(color=Color(indexed=9))),
    "donkere vulling": lambda: FormulaRule(formula=["TRUE"], fill=PatternFill("solid", bgColor="111111")),
    'notatie ;;;" "': _number_format_rule,
    "kleurenschaal naar zwart": _scale_rule,
    "balk zonder waarde": lambda: DataBarRule(start_type="min", end_type="max", color="638EC6", showValue=False),
}


@pytest.mark.parametrize("how", list(HIDING_RULES))
def test_a_conditional_format_that_can_hide_a_published_cell_refuses_the_package(make_package, how):
    _, errors = _package(make_package, _conditional(HIDING_RULES[how]()))
    assert [p.code for p in errors] == ["inventaris.voorwaardelijke_opmaak"], [(p.code, p.message) for p in errors]
    found = errors[0]
    assert found.location.startswith("werkblad 'Sheet', cellen B2:B4: rij 2-4, kolom 'Document'"), found.location
    assert "voorwaardelijke opmaak" in found.message and "Regels wissen" in found.fix and "opnieuw goedkeuren" in found.fix
    assert SECRET not in found.message + found.location


def test_conditional_formats_excel_2010_keeps_in_an_extension_refuse_the_package(make_package):
    """Excel 2010 puts some rules (data bars, icon sets, rules across sheets) in the sheet's <extLst>, which
    openpyxl does not read: they cannot be judged, so on published cells they refuse the package."""
    ext = (
        b'<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD8E4D4AB}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b'<x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        b'<x14:cfRule type="expression" priority="1" id="{00000000-0000-0000-0000-000000000001}"><xm:f>TRUE</xm:f>'
        b'<x14:dxf><font><color rgb="FFFFFFFF"/></font></x14:dxf></x14:cfRule><xm:sqref>B3</xm:sqref>'
        b"</x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>"
    )
    _, errors = _package(
        make_package, lambda ws: _title(ws), after=lambda xml: xml.replace(b"</worksheet>", ext + b"</worksheet>")
    )
    assert [p.code for p in errors] == ["inventaris.voorwaardelijke_opmaak"], [(p.code, p.message) for p in errors]
    assert errors[0].location.startswith("werkblad 'Sheet', cellen B3: rij 3, kolom 'Document'")
    assert "Excel-uitbreiding" in errors[0].message


def test_an_unreadable_conditional_format_refuses_the_package(make_package):
    broken = b'<conditionalFormatting sqref="B2:B4"><cfRule type="nonsense" priority="1"/></conditionalFormatting>'
    _, errors = _package(
        make_package, lambda ws: _title(ws), after=lambda xml: xml.replace(b"<pageMargins", broken + b"<pageMargins")
    )
    assert [p.code for p in errors] == ["inventaris.voorwaardelijke_opmaak"], [(p.code, p.message) for p in errors]
    assert "niet te lezen" in errors[0].message


def _formula(cell: bytes, formula: bytes, cached: bytes):
    def change(xml: bytes) -> bytes:
        new, count = re.subn(
            rb'<c r="' + cell + rb'"[^>]*?(/>|>.*?</c>)',
            b'<c r="' + cell + b'" t="str"><f>' + formula + b"</f><v>" + cached + b"</v></c>",
            xml,
        )
        assert count == 1
        return new

    return change


def test_a_formula_whose_cached_value_would_be_published_refuses_the_package(make_package):
    after = _formula(b"B3", b'"E-mail over planning"', TITLE.encode())
    _, errors = _package(make_package, lambda ws: None, after=after)
    assert [p.code for p in errors] == ["inventaris.formule"], [(p.code, p.message) for p in errors]
    assert errors[0].location == "rij 3, kolom 'Document' (cel B3)"
    assert "formule" in errors[0].message and "Plakken speciaal" in errors[0].fix and "Waarden" in errors[0].fix
    assert SECRET not in errors[0].message + errors[0].location


def test_formulas_in_a_whole_column_are_one_finding(make_package):
    def column(xml: bytes) -> bytes:
        for n in (2, 3, 4):
            xml = _formula(f"D{n}".encode(), b'IF(TRUE,"Openbaar")', b"Openbaar")(xml)
        return xml

    _, errors = _package(make_package, lambda ws: None, after=column)
    assert [(p.code, p.location) for p in errors] == [
        ("inventaris.formule", "rij 2-4, kolom 'Beoordeling' (cellen D2 en verder)"),
        # New-user round 12: the rows of a refused workbook are checked in the same run, as the site would read them:
        # row 4 now says 'Openbaar' (the formula's stored value) and has no PDF.
        ("inventaris.bestand_ontbreekt", "rij 4, kolom 'Bestand'"),
    ]


def test_a_formula_outside_the_published_columns_is_accepted(make_package):
    decision, errors = _package(make_package, lambda ws: None, after=_formula(b"G3", b'"X-"&amp;2', b"X-2"))
    assert errors == [], [(p.code, p.message) for p in errors]
    assert [r.nr for r in decision.inventory] == ["1", "2", "3"]


def test_a_csv_inventory_is_not_judged_by_excel_looks(make_package):
    pkg = make_package(meta={"inventaris": "inventaris.csv"})
    (pkg / "inventaris.csv").write_text(
        "Nr.;Document;Beoordeling;Weigeringsgronden;Bestand\n"
        '1;"Verslag "" ;;;";Openbaar;;documenten/1.pdf\n'  # a cell starting with '=' is a formula (round 9, A21)
        "2;E-mail over planning;Deels openbaar;5.1.2.e;documenten/2.pdf\n",
        encoding="utf-8",
    )
    for n in (1, 2):
        write_pdf(pkg / f"documenten/{n}.pdf", [f"Document {n}"])
    decision, found = load_package(pkg)
    assert [p for p in found if p.is_error] == []
    assert [r.nr for r in decision.inventory] == ["1", "2"]


def _rich(*parts):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    return CellRichText([part if isinstance(part, str) else TextBlock(InlineFont(**part[0]), part[1]) for part in parts])


def _shared_runs(path):
    """Move the rich text of B3 (openpyxl writes every string inline) into a shared-strings part, as Excel writes it."""
    with zipfile.ZipFile(path) as zin:
        items = [(item.filename, zin.read(item.filename)) for item in zin.infolist()]
    files = dict(items)
    sheet = files["xl/worksheets/sheet1.xml"]
    inline = re.search(rb'<c r="B3"([^>]*?) t="inlineStr"><is>(.*?)</is></c>', sheet)
    files["xl/worksheets/sheet1.xml"] = sheet.replace(inline.group(0), b'<c r="B3"' + inline.group(1) + b' t="s"><v>1</v></c>')
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    files["xl/sharedStrings.xml"] = (
        b'<sst xmlns="' + main + b'" count="2" uniqueCount="2"><si><t>ongebruikt</t></si><si>' + inline.group(2) + b"</si></sst>"
    )
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    files["xl/_rels/workbook.xml.rels"] = files["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        b'Target="sharedStrings.xml"/></Relationships>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in [*files]:
            zout.writestr(name, files[name])


@pytest.mark.parametrize("shared", [False, True], ids=["inline", "gedeelde tekst"])
@pytest.mark.parametrize(
    "run,words",
    [
        ({"color": "FFFFFF"}, "de kleur van de cel"),
        ({"color": Color(indexed=9)}, "de kleur van de cel"),
        ({"sz": 2}, "te klein"),
    ],
)
def test_a_run_of_rich_text_excel_does_not_show_refuses_the_package(make_package, shared, run, words):
    """Rich text: one run of a cell's text in white (or tiny) while the rest is readable."""

    def change(ws):
        ws["B3"] = _rich("E-mail over planning (", (run, SECRET), ")")

    errors = _package_rich(make_package, change, shared)
    assert [p.code for p in errors] == ["inventaris.verborgen_cel"], [(p.code, p.message) for p in errors]
    assert errors[0].location == "rij 3, kolom 'Document' (cel B3)"
    assert "een deel van de tekst" in errors[0].message and words in errors[0].message


def _package_rich(make_package, change, shared):
    return _package(make_package, change, after=None, shared=shared)[1]


@pytest.mark.parametrize("shared", [False, True], ids=["inline", "gedeelde tekst"])
def test_rich_text_in_readable_colours_is_accepted(make_package, shared):
    def change(ws):
        ws["B3"] = _rich("E-mail over ", ({"color": "C00000", "b": True}, "planning"), ({"i": True, "sz": 9}, " (concept)"))

    assert _package_rich(make_package, change, shared) == []


def _x14(rule: bytes, where: bytes = b"B2:B4") -> bytes:
    return (
        b'<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD8E4D4AB}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b'<x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        + rule
        + b"<xm:sqref>"
        + where
        + b"</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>"
    )


X14_BAR = b'<x14:cfRule type="dataBar" id="{00000000-0000-0000-0000-000000000002}"><x14:dataBar minLength="0" maxLength="100"/></x14:cfRule>'
X14_ICONS = b'<x14:cfRule type="iconSet" priority="2" id="{00000000-0000-0000-0000-000000000003}"><x14:iconSet iconSet="3Stars"/></x14:cfRule>'
X14_ICONS_ONLY = (
    b'<x14:cfRule type="iconSet" priority="2" id="{00000000-0000-0000-0000-000000000004}">'
    b'<x14:iconSet iconSet="3Stars" showValue="0"/></x14:cfRule>'
)


def test_excel_2010_data_bars_and_icons_that_show_the_value_are_accepted(make_package):
    decision, errors = _package(
        make_package, lambda ws: None, after=lambda xml: xml.replace(b"</worksheet>", _x14(X14_BAR + X14_ICONS) + b"</worksheet>")
    )
    assert errors == [], [(p.code, p.message) for p in errors]


def test_excel_2010_icons_without_the_value_refuse_the_package(make_package):
    _, errors = _package(
        make_package,
        lambda ws: _title(ws),
        after=lambda xml: xml.replace(b"</worksheet>", _x14(X14_ICONS_ONLY) + b"</worksheet>"),
    )
    assert [p.code for p in errors] == ["inventaris.voorwaardelijke_opmaak"], [(p.code, p.message) for p in errors]


def test_a_format_that_hides_zeros_hides_only_the_zero(make_package):
    """Number sections apply by sign: "0;-0;" shows positive and negative numbers and hides a zero."""

    def zeros(ws):
        for row in (2, 3, 4):
            ws[f"A{row}"].number_format = "0;-0;"

    decision, errors = _package(make_package, zeros)
    assert errors == [], [(p.code, p.message) for p in errors]

    def zero(ws):
        zeros(ws)
        ws["A4"] = 0

    _, errors = _package(make_package, zero)
    assert [(p.code, p.location) for p in errors if p.code == "inventaris.verborgen_cel"] == [
        ("inventaris.verborgen_cel", "rij 4, kolom 'Nr.' (cel A4)")
    ]
