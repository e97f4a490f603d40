"""Attack round 9: text the approver does not see in Excel (or in an editor), and phone numbers split by odd dots.

- A17: a number format that puts fixed text, spaces, paddings, escapes or a fill around the cell's text ('@').
- A23: a title (or a rich-text run of it) in a symbol font: Excel draws pictograms, the site publishes the letters.
- A18, A26: rows too low for their font, columns too narrow, rotated text, and the sheet-wide defaults of
  ``<sheetFormatPr>`` (default row height, ``zeroHeight``, default column width) for rows and columns without their own.
- A21: a CSV cell that Excel runs as a formula.
- A22: a run of spaces inside a line of besluit.md (title, summary, annex title, lists).
- A27: a phone number with middle dots, bullets, wave dashes, tildes or underscores between its groups.

Every workbook is written by openpyxl; the real Dutch messages are asserted, and a clean counterpart is accepted.
"""

from __future__ import annotations

import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Font

from publish.gate.personal_data import allowed_hashes, find_personal_data
from publish.package import load_package
from publish.privacy import check_published_texts
from publish.problems import Problems

from support import rewrite_xlsx_parts, xlsx_inventory_package

SECRET = "Vermeulen"
OPEN = {"besluit": "openbaar"}


def _errors(pkg) -> list:
    return [p for p in load_package(pkg)[1] if p.is_error]


def _b3(**attributes):
    """Row 3's title ('E-mail over planning') with cell attributes set; column B 30 wide."""

    def change(ws):
        for key, setting in attributes.items():
            setattr(ws["B3"], key, setting)
        ws.column_dimensions["B"].width = 30

    return change


def _one_hidden_b3(found) -> str:
    (error,) = found
    assert (error.code, error.file, error.location) == (
        "inventaris.verborgen_cel",
        "inventaris.xlsx",
        "rij 3, kolom 'Document' (cel B3)",
    )
    assert (
        "in Excel niet te zien" in error.message and "Werkblad: 'Sheet'." in error.message and "opnieuw goedkeuren" in error.fix
    )
    return error.message + " | " + error.fix


# -- A17: number formats around the text -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "number_format, shown",
    [
        ('"Mailwisseling subsidie' + " " * 120 + '"@', "[120 spaties]"),
        ('"' + " " * 150 + '"@', "[150 spaties]"),
        ('"Mailwisseling subsidie"' + "_M" * 60 + "@", "60 opvulspaties (_)"),
        ("\\M\\a\\i\\l" + "\\ " * 120 + "@", "vaste tekst of spaties"),
        ("@* ", "een opvulling (*)"),
        (';;;"Titel: "@', "vaste tekst of spaties"),
        ("@@", "de inhoud meer dan eens"),
    ],
)
def test_a_number_format_that_adds_text_or_padding_around_the_title_is_refused(make_package, number_format, shown):
    text = _one_hidden_b3(xlsx_inventory_package(make_package, _b3(number_format="@"), _reformat(number_format))[1])
    assert "getalnotatie" in text and shown in text and "'Standaard' of 'Tekst'" in text


def _reformat(number_format: str):
    """Give cell B3 the number format (openpyxl keeps spaces and quotes as written)."""

    def rewrite(path):
        from openpyxl import load_workbook

        wb = load_workbook(path)
        wb.active["B3"].number_format = number_format
        wb.save(path)

    return rewrite


@pytest.mark.parametrize(
    "number_format",
    ["@", "[Blue]@", ";;;@", "[$-413]@", "General", '_ "€" * #,##0.00_ ;_ "€" * -#,##0.00_ ;_ "€" * "-"??_ ;_ @_ '],
)
def test_a_text_format_that_shows_only_the_text_is_accepted(make_package, number_format):
    decision, found = xlsx_inventory_package(make_package, _b3(), _reformat(number_format))
    assert found == [] and decision.inventory[1].title == "E-mail over planning"


# -- A23: symbol fonts -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Wingdings", "Webdings", "Symbol", "Wingdings 2", "Segoe MDL2 Assets"])
def test_a_title_in_a_symbol_font_is_refused(make_package, name):
    text = _one_hidden_b3(xlsx_inventory_package(make_package, _b3(font=Font(name=name)))[1])
    assert f"het lettertype '{name}' tekent symbolen of pictogrammen in plaats van letters" in text and "Calibri" in text


def test_a_name_as_a_rich_text_run_in_a_symbol_font_is_refused(make_package):
    def change(ws):
        ws["B3"] = CellRichText("E-mail aan ", TextBlock(InlineFont(rFont="Webdings"), "J. " + SECRET))

    text = _one_hidden_b3(xlsx_inventory_package(make_package, change)[1])
    assert "een deel van de tekst: het lettertype 'Webdings'" in text and SECRET not in text


def test_ordinary_fonts_and_rich_text_are_accepted(make_package):
    def change(ws):
        ws["B2"].font = Font(name="Arial", sz=10)
        ws["B3"] = CellRichText("E-mail ", TextBlock(InlineFont(rFont="Times New Roman", b=True), "over planning"))

    decision, found = xlsx_inventory_package(make_package, change)
    assert found == [] and decision.inventory[1].title == "E-mail over planning"


# -- A18, A26: row heights, column widths, rotation, sheet defaults ------------------------------------------------------
def _row3(height: float, size: float | None = None):
    def change(ws):
        ws.row_dimensions[3].height = height
        if size:
            ws["B3"].font = Font(sz=size)

    return change


@pytest.mark.parametrize("height", [3, 5, 7])
def test_a_row_too_low_for_its_font_is_refused(make_package, height):
    (error,) = xlsx_inventory_package(make_package, _row3(height))[1]
    assert error.code == "inventaris.verborgen_cel" and error.location.startswith("rij 3, kolommen 'Nr.', 'Document'")
    assert f"de rij is {height} punt hoog, te laag voor letters van 11 punt" in error.message
    assert "Rijhoogte automatisch aanpassen" in error.fix


def test_a_large_font_in_an_ordinary_row_is_judged_by_its_size(make_package):
    (error,) = xlsx_inventory_package(make_package, _row3(15, size=28))[1]
    assert "de rij is 15 punt hoog, te laag voor letters van 28 punt" in error.message


@pytest.mark.parametrize("height, size", [(15, None), (8, None), (30, 20)])
def test_rows_high_enough_for_their_font_are_accepted(make_package, height, size):
    assert xlsx_inventory_package(make_package, _row3(height, size))[1] == []


@pytest.mark.parametrize("width", [0.6, 1.5])
def test_a_title_column_too_narrow_is_refused(make_package, width):
    def change(ws):
        ws.column_dimensions["B"].width = width

    (error,) = xlsx_inventory_package(make_package, change)[1]
    assert (error.code, error.location) == ("inventaris.verborgen_cel", "rij 2-4, kolom 'Document' (kolom B)")
    assert f"de kolom is maar {str(width).replace('.', ',')} tekens breed" in error.message
    assert "Kolombreedte automatisch aanpassen" in error.fix


@pytest.mark.parametrize("rotation", [90, 45, 180, 255])
def test_rotated_or_stacked_text_is_refused(make_package, rotation):
    change = _b3(alignment=Alignment(textRotation=rotation))
    text = _one_hidden_b3(xlsx_inventory_package(make_package, lambda ws: (change(ws), _row3(15)(ws)))[1])
    assert "de tekst staat gedraaid of verticaal (Afdrukstand)" in text and "0 graden" in text


def test_a_rotated_number_and_an_unrotated_title_are_accepted(make_package):
    def change(ws):
        ws["A3"].alignment = Alignment(textRotation=90)  # a number: Excel shows all its digits in a rotated cell
        ws["B3"].alignment = Alignment(textRotation=0, wrap_text=True)

    assert xlsx_inventory_package(make_package, change)[1] == []


def _sheet_format(**settings):
    def change(ws):
        for key, value in settings.items():
            setattr(ws.sheet_format, key, value)
        ws.column_dimensions["B"].width = 30
        for row in (1, 2):
            ws.row_dimensions[row].height = 15  # rows 1 and 2 have their own height; 3 and 4 take the sheet's

    return change


def test_a_low_default_row_height_hides_the_rows_without_their_own(make_package):
    found = xlsx_inventory_package(make_package, _sheet_format(defaultRowHeight=3, customHeight=True))[1]
    assert [(p.code, p.location) for p in found] == [
        ("inventaris.verborgen_cel", "rij 3, kolommen 'Nr.', 'Document', 'Beoordeling', 'Weigeringsgronden', 'Bestand'"),
        ("inventaris.verborgen_cel", "rij 4, kolommen 'Nr.', 'Document', 'Beoordeling', 'Weigeringsgronden'"),
    ]
    assert "de rij is 3 punt hoog" in found[0].message


def test_lines_below_a_row_of_the_sheets_default_height_are_refused(make_package):
    def change(ws):
        _sheet_format(defaultRowHeight=15, customHeight=True)(ws)
        ws["B3"] = "Overleg\nmet de gemeente"
        ws["B3"].alignment = Alignment(wrap_text=True)

    (error,) = xlsx_inventory_package(make_package, change)[1]
    assert error.location == "rij 3, kolom 'Document' (cel B3)" and "de tekst telt 2 regels" in error.message


def test_zero_height_hides_the_rows_without_their_own(make_package):
    found = xlsx_inventory_package(make_package, _sheet_format(zeroHeight=True))[1]
    assert [p.location.split(",")[0] for p in found] == ["rij 3", "rij 4"]
    assert "het werkblad verbergt alle rijen zonder eigen hoogte (zeroHeight)" in found[0].message
    assert "Rijhoogte" in found[0].fix


def test_a_narrow_default_column_width_hides_columns_without_their_own(make_package):
    def change(ws):
        ws.sheet_format.defaultColWidth = 0.6
        for letter in "ACDEFG":
            ws.column_dimensions[letter].width = 14  # B, the title, takes the sheet's width

    (error,) = xlsx_inventory_package(make_package, change)[1]
    assert error.location == "rij 2-4, kolom 'Document' (kolom B)" and "de kolom is maar 0,6 tekens breed" in error.message


@pytest.mark.parametrize(
    "settings",
    [
        {"defaultRowHeight": 15, "customHeight": True},
        {"defaultRowHeight": 12.8},  # LibreOffice: rows without their own height are fitted to their text
        {"defaultRowHeight": 3},  # without customHeight Excel fits the rows too
        {"defaultColWidth": 11.5, "baseColWidth": 10},
        {"zeroHeight": False},
    ],
)
def test_ordinary_sheet_defaults_are_accepted(make_package, settings):
    assert xlsx_inventory_package(make_package, _sheet_format(**settings))[1] == []


def _raw(old: bytes, new: bytes, part: str = "xl/worksheets/sheet1.xml"):
    """Replace XML in a part as written by openpyxl (values openpyxl will not write)."""

    def edit(name, data):
        if name != part:
            return data
        assert old in data
        return data.replace(old, new, 1)

    def rewrite(path):
        rewrite_xlsx_parts(path, edit)

    return rewrite


@pytest.mark.parametrize("value", ["NaN", "INF", "-inf"])
def test_a_row_height_or_column_width_that_is_no_number_is_refused(make_package, value):
    _, found = xlsx_inventory_package(make_package, _row3(15), _raw(b' ht="15"', f' ht="{value}"'.encode()))
    assert ["de rijhoogte is onleesbaar" in p.message for p in found] == [True]
    _, found = xlsx_inventory_package(make_package, _b3(), _raw(b'defaultRowHeight="15"', f'defaultRowHeight="{value}"'.encode()))
    assert {"de rijhoogte is onleesbaar" in p.message for p in found} == {True} and len(found) == 3  # rows 2-4
    _, found = xlsx_inventory_package(make_package, _b3(), _raw(b'width="30"', f'width="{value}"'.encode()))
    assert ["de kolombreedte is onleesbaar" in p.message for p in found] == [True]


# -- A21: formulas in a CSV ----------------------------------------------------------------------------------------------
def _csv_title(title: str, nr: str = "1") -> list:
    return [[nr, title, "2024-01-10", "openbaar", "", "documenten/1.pdf"]]


@pytest.mark.parametrize(
    "title",
    [
        '="Mailwisseling subsidie"&T(N("J. Vermeulen"))',
        '=LINKS("Mailwisseling subsidie J. Vermeulen";22)',
        '+"Mailwisseling"',
        "-Mailwisseling subsidie",
        "@SUM(1)",
        "\t=1",
    ],
)
def test_a_csv_cell_excel_runs_as_a_formula_is_refused(make_package, title):
    (error,) = _errors(make_package(meta=OPEN, rows=_csv_title(title)))
    assert (error.code, error.file, error.location) == ("inventaris.formule", "inventaris.csv", "rij 2, kolom 'document'")
    assert "Excel leest zo'n cel als formule" in error.message and "niet met =, +, - of @ beginnen" in error.fix


@pytest.mark.parametrize("title, nr", [("Notitie - concept", "1"), ("- ", "1"), ("Notitie", "-5"), ("Notitie", "+31")])
def test_csv_cells_that_are_text_or_plain_numbers_are_accepted(make_package, title, nr):
    found = _errors(make_package(meta=OPEN, rows=_csv_title(title, nr)))
    assert [p for p in found if p.code == "inventaris.formule"] == []


# -- A22: spaces in besluit.md -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("space", [" ", "\u00a0"])
def test_a_run_of_spaces_in_the_title_of_besluit_md_is_refused(make_package, space):
    pkg = make_package(meta={"titel": "Besluit op uw verzoek" + space * 250 + "aan J. " + SECRET})
    (error,) = _errors(pkg)
    assert (error.code, error.file, error.location) == ("tekst.spaties", "besluit.md", "veld 'titel'")
    assert error.message.startswith("de tekst bevat 250 spaties achter elkaar") and "na 'Besluit op uw verzoek'" in error.message
    assert ("U+00A0" in error.message) == (space != " ") and "editor zonder regelterugloop" in error.message


def test_a_run_of_spaces_in_the_summary_names_its_line(make_package):
    (error,) = _errors(make_package(body="Eerste regel.\n\nHet verzoek" + " " * 200 + "van J. " + SECRET + "."))
    assert (error.code, error.location) == ("tekst.spaties", "samenvatting, regel 3")
    assert "na 'Het verzoek'" in error.message and SECRET not in error.message


def test_a_run_of_spaces_in_an_annex_title_or_a_list_is_refused(make_package):
    pkg = make_package(extra_meta={"bijlagen": [{"titel": "Bijlage" + " " * 80 + SECRET, "bestand": "bijlage.pdf"}]})
    assert [(p.code, p.location) for p in _errors(pkg) if p.code == "tekst.spaties"] == [
        ("tekst.spaties", "veld 'bijlagen', bijlage 1, 'titel'")
    ]


def test_indentation_and_table_padding_in_the_summary_are_accepted(make_package):
    body = (
        "Het verzoek betreft:\n\n- stukken\n    - vervolg op een lijst\n\n"
        "| Document     | Besluit   |\n|--------------|-----------|\n| Verslag      | openbaar  |\n\n"
        "        ingesprongen regel\n\nEen zin.  Twee spaties na een punt.   Drie bij vergissing.  \nNieuwe regel."
    )
    assert [p for p in _errors(make_package(body=body)) if p.code == "tekst.spaties"] == []


# -- A27: phone numbers with odd group separators -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "separator", ["\u00b7", "\u2022", "\u2219", "\u2027", "\u22c5", "\uff65", "\u30fb", "\u301c", "\uff5e", "~", "_"]
)
def test_a_phone_number_with_dots_or_waves_between_its_groups_is_found(separator):
    for text in (f"Bel 06{separator}41827365 na vijf uur", f"+31{separator}6{separator}41827365"):
        assert [p.kind for p in find_personal_data(text, 1)] == ["telefoon"], text


def test_a_number_in_a_longer_row_or_code_with_such_separators_is_not_a_phone_number():
    assert find_personal_data("zaak_0641827365", 1) == []
    assert find_personal_data("12\u00b706\u00b741827365\u00b79", 1) == []


@pytest.mark.parametrize("separator", ["\u00b7", "\u2022", "-"])
def test_a_phone_number_with_a_middle_dot_refuses_an_inventory_title_and_the_summary(make_package, separator):
    pkg = make_package(meta=OPEN, rows=_csv_title(f"Notitie, bel 06{separator}41827365"), body=f"Bel 06{separator}41827365.")
    decision, found = load_package(pkg)
    problems = Problems(pkg.name)
    check_published_texts(decision, allowed_hashes([]), problems)
    refused = [(p.file, p.location, p.code) for p in problems if p.is_error]
    assert refused == [
        ("inventaris.csv", "rij 2, kolom 'document'", "persoonsgegeven.telefoon"),
        ("besluit.md", "samenvatting", "persoonsgegeven.telefoon"),
    ]


# -- A23 continued: the theme's fonts and the symbol character set -------------------------------------------------------
def test_a_theme_whose_body_font_is_a_symbol_font_is_refused(make_package):
    """openpyxl writes every cell in the theme's body font (``<scheme val="minor"/>``): Excel then draws the theme's
    typeface, whatever name the cell's font has."""
    minor = _raw(
        b'<a:minorFont>\n        <a:latin typeface="Calibri"',
        b'<a:minorFont><a:latin typeface="Wingdings"',
        "xl/theme/theme1.xml",
    )
    _, found = xlsx_inventory_package(make_package, _b3(), minor)
    assert found and {p.code for p in found} == {"inventaris.verborgen_cel"}
    assert all("het lettertype 'Wingdings' tekent symbolen" in p.message for p in found)


def test_a_font_with_the_symbol_character_set_is_refused(make_package):
    text = _one_hidden_b3(xlsx_inventory_package(make_package, _b3(font=Font(name="Calibri", charset=2)))[1])
    assert "de tekenset 'Symbol'" in text


def test_a_theme_with_ordinary_fonts_and_western_charset_is_accepted(make_package):
    decision, found = xlsx_inventory_package(make_package, _b3(font=Font(name="Calibri", charset=0, scheme="minor")))
    assert found == [] and decision.inventory[1].title == "E-mail over planning"
