"""Read an inventory table (CSV or .xlsx) into raw rows keyed by canonical column names.

Only reading happens here; what a cell must contain is checked in ``package.py``. One reader
handles both formats and every layout seen in practice: the package format's own columns and the
"productierapport" that e-discovery and redaction tools export (the layout open.minvws.nl
imports): header row below title rows, in the first sheet that has one ("Lookup values" and other
sheets are ignored), column names in any case, sometimes prefixed with digits (``01 Document``).

Every row is read, whatever the sheet's ``<dimension>`` claims (other tools often leave it stale,
and openpyxl's read-only mode would trust it). Rows are numbered as Excel shows them. Limits on
rows, cell length and unpacked size keep a hostile or broken file from exhausting the machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import Problems, row_ranges
from .symbolfonts import SYMBOL_FONT_NAMES

# The one table of columns: canonical name -> header names it is recognised by (compared by
# ``header_key``: lower case, letters and digits only). The first alias is the name shown in messages.
_ALIASES = {
    "nr": ["nr", "nummer", "documentnummer", "documentnr", "documentid", "docnr", "docid", "id", "volgnummer"],
    "document": ["document", "documentnaam", "naam", "omschrijving", "titel", "documenttitel"],
    "datum": ["datum", "documentdatum", "date", "datumutc", "dateutc"],
    "beoordeling": ["beoordeling", "oordeel", "besluit"],
    "gronden": [
        "gronden",
        "weigeringsgronden",
        "weigeringsgrond",
        "grond",
        "beoordelingsgrond",
        "beoordelingsgronden",
        "woo",
        "wob",
        "uitzonderingsgronden",
        "uitzonderingsgrond",
        "woogronden",
        "wobgronden",
    ],
    "bestand": ["bestand", "bestandsnaam", "bestandnaam", "file", "filename"],
    "link": ["link", "publiekelink", "publiekelinks", "publicatielink", "vindplaats", "url"],
    "toelichting": ["toelichting", "opmerking", "opmerkingen"],
    "opgeschort": ["opgeschort"],
    "familie": ["familie", "family", "familyid", "familieid"],
    "thread": ["emailthreadid", "threadid", "emailthread", "emailwisseling"],
    "gerelateerd": ["gerelateerdid", "gerelateerd", "gerelateerdeid", "gerelateerdeids", "gerelateerdedocumenten"],
    "zaaknummer": ["zaaknummer", "zaaknummers", "matter", "zaak"],
    "bestandstype": ["bestandstype", "filetype", "documenttype", "soortdocument"],
}
COLUMNS = tuple(_ALIASES)
# How columns are named in messages: the package format's name, with the productierapport's name.
COLUMN_LABELS = {
    "nr": "nr (ID)",
    "document": "document",
    "datum": "datum",
    "beoordeling": "beoordeling",
    "gronden": "gronden (Beoordelingsgrond)",
    "bestand": "bestand",
    "link": "link (Publieke Link)",
    "toelichting": "toelichting",
    "opgeschort": "opgeschort",
    "familie": "familie (Family)",
    "thread": "Email Thread ID",
    "gerelateerd": "Gerelateerd ID",
    "zaaknummer": "zaaknummer (Matter)",
    "bestandstype": "bestandstype (File Type)",
}
REQUIRED_COLUMNS = ("nr", "document", "beoordeling")
MERGED_COLUMNS = ("zaaknummer",)  # `Matter` and `Zaaknummer` side by side: both kept
HEADER_TO_COLUMN = {alias: column for column, aliases in _ALIASES.items() for alias in aliases}
HEADER_SCAN_ROWS = 30  # rows (non-empty) looked at for the header, per sheet


@dataclass(frozen=True)
class InventoryLimits:
    """Limits on an inventory; documented in docs/pakketformaat.md. ``load_package`` and ``read_table``
    take them as a parameter, so the site's settings (issue 12's ``publish/limits.py``) plug in here."""

    rows: int = 250_000
    cell_chars: int = 32_767  # Excel's own limit for one cell
    xlsx_unpacked_bytes: int = 512 * 1024 * 1024
    csv_bytes: int = 256 * 1024 * 1024


DEFAULT_LIMITS = InventoryLimits()


def header_key(text) -> str:
    """Header names match regardless of case, spaces and punctuation: ``Nr.`` is ``nr``."""
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


# A header that names a suspension in other words (``Opgeschort (ja/nee)``, ``Publicatie opgeschort``, ``Opschorting``)
# is the suspension column: read as anything else, a "Ja" in it would publish a withheld document in full. A negated
# one (``Niet opgeschort``) means the opposite and is refused as a restriction (see ``restriction_words``).
_SUSPENSION = re.compile(r"op(ge)?schort")
_NEGATION = re.compile(r"niet|geen")
# Words in the name of an unknown column that make it sound like a restriction on publication. Such a column is an
# error, not a warning: the site would publish every document in full while the column says otherwise.
# Matched on ``header_key`` (letters and digits, lower case), so spaces and punctuation do not matter.
_RESTRICTION = re.compile(
    r"op(ge)?schort|weiger|geweigerd|embargo|intrek|ingetrokken|terugtrek|teruggetrokken|geheim|vertrouwelijk|"
    r"openbaar|(niet|geen)publ|nietpubliceren|uitzonder|anonim|persoonsgegeven|privacy|afscherm|afgeschermd|"
    r"verborg|beperk|zwartge|gelakt|redact(?!ie)|withh|confidential|privileg|suspend|restrict|exempt|rubricer"
)


def restriction_words(header) -> list[str]:
    """The words in a header that sound like a restriction on publication (empty: none). ``lak`` (to redact) only as
    the start of a word (``Lakken``, ``Lakinstructie``), so ``Plaknotitie`` is not one."""
    key = header_key(header)
    found = [m.group(0) for m in _RESTRICTION.finditer(key)]
    found += [w for w in re.findall(r"[a-z]+", str(header or "").lower()) if w.startswith("lak")]
    return found


def column_of(header) -> str | None:
    """The canonical column a header names; digit prefixes (``01 Document``, ``6. Datum``) are ignored. A header
    with ``opgeschort``/``opschort`` in it (and no ``niet``/``geen``) is the suspension column."""
    key = header_key(header)
    if key in HEADER_TO_COLUMN:
        return HEADER_TO_COLUMN[key]
    stripped = re.sub(r"^\d+", "", key)
    if stripped != key and stripped in HEADER_TO_COLUMN:
        return HEADER_TO_COLUMN[stripped]
    if _SUSPENSION.search(key) and not _NEGATION.search(key):
        return "opgeschort"
    return None


@dataclass
class RawTable:
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # canonical column -> header as written
    sheet: str | None = None  # the worksheet read (xlsx)
    header_row: int = 0
    utc_dates: bool = False  # the date column is headed as UTC (``Datum (UTC)``)
    positions: dict[str, list[int]] = field(default_factory=dict)  # canonical column -> cell positions read
    # New-user round 12: a table that is refused (its errors are in the problems) but whose rows could be read, so their
    # problems come in the same run: ``refused`` for a header or cells that refuse the whole list (every row read),
    # ``stopped_at`` the line from which nothing could be read (the rows above it were).
    refused: bool = False
    stopped_at: int | None = None

    @property
    def rows_read(self) -> int:
        return len(self.rows)

    @property
    def complete(self) -> bool:
        """Every row read and nothing refuses the list as a whole: which files it names is known."""
        return not self.refused and self.stopped_at is None


def read_table(path: Path, relpath: str, problems: Problems, limits: InventoryLimits = DEFAULT_LIMITS) -> RawTable | None:
    """Read the inventory; returns None (with problems added) when it cannot be read at all, and a table that is not
    ``complete`` (with problems added) when it is refused but (some of) its rows could be read."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, relpath, problems, limits)
    if suffix == ".xlsx":
        return _read_xlsx(path, relpath, problems, limits)
    problems.error(
        relpath,
        "",
        f"de inventaris heeft het bestandstype '{suffix or 'geen'}'.",
        "Lever de inventaris aan als .csv (UTF-8) of .xlsx.",
        "inventaris.type",
    )
    return None


# -- CSV -------------------------------------------------------------------------------------
def _read_csv(path: Path, relpath: str, problems: Problems, limits: InventoryLimits) -> RawTable | None:
    size = path.stat().st_size
    if size > limits.csv_bytes:
        problems.error(
            relpath,
            "",
            f"de CSV is {_size(size)}; de grens is {_size(limits.csv_bytes)}.",
            "Splits het verzoek in deelbesluiten, of vraag de beheerder de grens voor de grootte van een inventaris te verhogen.",
            "inventaris.te_groot",
        )
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            line = data[: exc.start].count(b"\n") + 1
            problems.error(
                relpath,
                f"regel {line}",
                "het bestand is geen geldige UTF-8-tekst.",
                "Sla de inventaris in Excel op als 'CSV UTF-8 (door komma's gescheiden)'.",
                "inventaris.codering",
            )
            return None
        problems.warning(
            relpath,
            "",
            "het bestand is geen UTF-8-tekst; het is gelezen als Windows-1252 (de codering van "
            "'CSV (gescheiden door lijstscheidingsteken)' in Nederlandse Excel).",
            "Controleer de letters met accenten op de site, en kies bij 'Opslaan als' voortaan 'CSV UTF-8 "
            "(door komma's gescheiden)'.",
            "inventaris.codering",
        )
    if "\x00" in text:
        problems.error(
            relpath,
            "",
            "het bestand bevat nul-tekens: het is geen tekstbestand (of beschadigd).",
            "Sla de inventaris in Excel opnieuw op als 'CSV UTF-8' of als .xlsx.",
            "inventaris.csv",
        )
        return None
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    csv.field_size_limit(max(csv.field_size_limit(), limits.cell_chars + 1))

    broken: list[_Unreadable] = []
    read: list[int] = [0]  # the last line read in full

    def rows():
        # New-user round 12: the rows above a line that breaks the CSV are read (and checked); reading stops there.
        try:
            for number, row in enumerate(reader, start=1):
                read[0] = reader.line_num
                yield number, row
        except csv.Error as exc:
            broken.append(
                _Unreadable(
                    f"regel {read[0] + 1}",
                    f"de CSV kan vanaf deze regel niet gelezen worden ({exc}).",
                    'Controleer de aanhalingstekens in deze regel (een tekst die met " begint, moet er ook mee eindigen) '
                    "of sla het bestand opnieuw op vanuit Excel.",
                    "inventaris.csv",
                )
            )

    found = Problems(problems.package)
    table = _from_sheets([(None, rows())], relpath, found, limits)
    if broken:
        stop = broken[0]
        problems.error(relpath, stop.location, stop.message, stop.fix, stop.code)
        if table is None:
            return None  # broken above or in the header: nothing to say about a header that may follow
        table.stopped_at = read[0] + 1
    problems.extend(found)
    if table is not None and not _no_csv_formulas(table, relpath, problems):
        table.refused = True
    return table


# A cell Excel reads as a number although it starts like a formula ("-5", "+31", "-1.250,50"), or a lone dash (Excel
# shows it as it is; inventories write it for "none").
_PLAIN_NUMBER = re.compile(r"[-+]?[ ]*\d[\d.,]*|-")


def _no_csv_formulas(table: RawTable, relpath: str, problems: Problems) -> bool:
    """Refuse a CSV cell the site reads that Excel would run as a formula (attack round 9, A21): opened in Excel,
    ``="Mailwisseling"&T(N("J. Vermeulen"))`` shows only ``Mailwisseling``, the site would publish the formula's text.
    The .xlsx reader refuses formulas too (``inventaris.formule``). Cells starting with ``= + - @``, a tab or a carriage
    return (``opendata.FORMULA_START``) are refused, except a plain number or a lone dash. Returns whether none was."""
    from .opendata import FORMULA_START

    found: dict[str, list[int]] = {}
    for number, values in table.rows:
        for column in table.columns:
            value = values.get(column)
            if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value.strip()):
                found.setdefault(column, []).append(number)
    for column, numbers in found.items():
        first = next(v for n, v in table.rows if n == numbers[0]).get(column)
        problems.error(
            relpath,
            f"rij {row_ranges(numbers)}, kolom '{table.columns[column]}'",
            f"{'deze cel begint' if len(numbers) == 1 else 'deze cellen beginnen'} met '{str(first)[:1].strip() or 'een tab'}' "
            f"(bijvoorbeeld '{_short(str(first), 40)}'). Excel leest zo'n cel als formule en toont de uitkomst, de site zou "
            "de tekst publiceren zoals hij in het bestand staat: wie de inventaris in Excel goedkeurde, heeft iets anders "
            "gezien dan wat gepubliceerd wordt.",
            "Laat de tekst niet met =, +, - of @ beginnen (haal het teken weg of zet er een woord voor; een formule "
            "vervangt u door de tekst die Excel toont), of lever de inventaris aan als .xlsx met alleen waarden, en laat "
            "het pakket opnieuw goedkeuren.",
            "inventaris.formule",
        )
    return not found


def _delimiter(text: str) -> str:
    """The delimiter that makes a recognisable header row; else the most frequent one in the first line."""
    head = text.splitlines()[: HEADER_SCAN_ROWS * 2]
    for delimiter in (";", ",", "\t"):
        try:
            for row in csv.reader(head, delimiter=delimiter):
                found = {column_of(c) for c in row}
                if all(c in found for c in REQUIRED_COLUMNS):
                    return delimiter
        except csv.Error:
            continue
    first_line = next((ln for ln in head if ln.strip()), "")
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ";"))
    return delimiter if counts[delimiter] else ","


# -- XLSX ------------------------------------------------------------------------------------
class _Unreadable(Exception):
    def __init__(self, location: str, message: str, fix: str, code: str):
        super().__init__(message)
        self.location, self.message, self.fix, self.code = location, message, fix, code


def _read_xlsx(path: Path, relpath: str, problems: Problems, limits: InventoryLimits) -> RawTable | None:
    import warnings
    import zipfile

    import openpyxl

    broken = "Open het bestand in Excel en sla het opnieuw op als .xlsx (Excel-werkmap)."
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        problems.error(
            relpath, "", f"het Excel-bestand kan niet geopend worden ({type(exc).__name__}).", broken, "inventaris.xlsx"
        )
        return None
    if unpacked > limits.xlsx_unpacked_bytes:
        problems.error(
            relpath,
            "",
            f"het Excel-bestand is uitgepakt {_size(unpacked)}; de grens is {_size(limits.xlsx_unpacked_bytes)}.",
            "Verwijder overbodige werkbladen, opmaak en afbeeldingen, of vraag de beheerder de grens "
            "voor de grootte van een inventaris te verhogen.",
            "inventaris.te_groot",
        )
        return None
    workbook = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
            sheets, hidden = [], []
            unseen: dict[str, _Unseen] = {}
            by_title = {}
            for sheet in workbook.worksheets:
                if not hasattr(sheet, "iter_rows"):
                    continue
                if getattr(sheet, "sheet_state", "visible") != "visible":
                    hidden.append(sheet.title)
                    continue
                by_title[sheet.title] = sheet
                sheets.append((sheet.title, _sheet_rows(sheet, unseen.setdefault(sheet.title, _Unseen()))))
            table = _from_sheets(sheets, relpath, problems, limits, hidden)
            if table is None:
                return None
            # Every check reports, so staff see all problems of the workbook in one run.
            seen = _all_seen(table, unseen.get(table.sheet or "", _Unseen()), relpath, problems)
            one = _one_inventory_sheet(workbook, sheets, by_title, table, relpath, problems)
            bare = _nothing_drawn_over(by_title[table.sheet], table, relpath, problems)
            table.refused = table.refused or not (seen and one and bare)  # refused; its rows are checked all the same
            return table
    except _Unreadable as exc:
        problems.error(relpath, exc.location, exc.message, exc.fix, exc.code)
        return None
    except Exception as exc:  # noqa: BLE001 - any damage in the workbook refuses this package, with a message
        problems.error(
            relpath,
            "",
            f"het Excel-bestand is beschadigd en kan niet gelezen worden ({type(exc).__name__}).",
            broken,
            "inventaris.xlsx",
        )
        return None
    finally:
        if workbook is not None:
            workbook.close()


EXCEL_MAX_ROW = 1_048_576


@dataclass
class _Unseen:
    """What a sheet holds that Excel does not show as the site would publish it (see ``_all_seen``).

    ``cells``: row number -> [(position, reason)] for single cells (a reason of ``_FORMULA`` marks a formula);
    ``ranges``: conditional formats that can hide the cells of a range, as (min row, min column, max row,
    max column, the range as Excel writes it, reason), columns 1-based."""

    cells: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    ranges: list[tuple[int, int, int, int, str, str]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int, str]] = field(default_factory=list)  # (min row, min col, max row, max col, ref)


_FORMULA = "formule"
_RUN_TAG = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}r"
_X14_MAIN = "{http://schemas.microsoft.com/office/spreadsheetml/2009/9/main}"
_X14_SQREF = "{http://schemas.microsoft.com/office/excel/2006/main}sqref"


def _parser_class():
    """openpyxl's worksheet parser, noting what its ``data_only`` reading drops: which cells hold a formula
    (their cached value is read, Excel shows the recalculated one), conditional formats it cannot read, and
    the conditional formats of Excel 2010 that live in the sheet's extension list."""
    from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.odd_formatting: list[tuple[str, str]] = []  # (range, reason)

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            for child in element:  # <f>, <v>, <is>: one look at each
                tag = child.tag
                if tag == FORMULA_TAG:
                    cell["formula"] = True
                elif tag == VALUE_TAG and element.get("t") == "s":
                    try:
                        cell["shared"] = int(child.text or "")
                    except ValueError:
                        pass
                elif tag == INLINE_STRING and child.find(_RUN_TAG) is not None:  # only rich text has runs
                    cell["runs"] = _run_fonts(child)
            return cell

        def parse_formatting(self, element):
            before = len(self.formatting)
            try:
                super().parse_formatting(element)
            except Exception:  # noqa: BLE001 - an unreadable rule is judged as one that can hide
                pass
            if len(self.formatting) == before:
                self.odd_formatting.append((str(element.get("sqref", "")), "een regel die niet te lezen is"))

        def parse_extensions(self, element):
            for found in element.iter(f"{_X14_MAIN}conditionalFormatting"):
                if all(_x14_harmless(rule) for rule in found.iter(f"{_X14_MAIN}cfRule")):
                    continue
                ranges = [" ".join((child.text or "").split()) for child in found.iter(_X14_SQREF)]
                self.odd_formatting.append((" ".join(ranges), "een regel uit een Excel-uitbreiding die niet te beoordelen is"))

    return Parser


def _x14_harmless(rule) -> bool:
    """An Excel 2010 rule that only adds to a rule of the sheet itself: a data bar's looks (the bar is judged with
    that rule) or an icon set that keeps showing the value."""
    kind = rule.get("type")
    if kind == "dataBar":
        return True
    icons = rule.find(f"{_X14_MAIN}iconSet")
    return kind == "iconSet" and icons is not None and str(icons.get("showValue", "1")).lower() not in ("0", "false")


def _sheet_rows(sheet, unseen: _Unseen):
    """Every row of a sheet with its number as Excel shows it, whatever ``<dimension>`` says.

    Cells with a value that Excel does not show (a hidden or zero-height row, a hidden or zero-width
    column, a number format such as ``;;;`` that shows nothing, a font in the colour of the cell) are
    noted in ``unseen`` (row number -> [(position, reason)]): the approver did not see them, so they
    may not be published (see ``_all_seen``). So are formulas (the site would publish the value cached
    in the file, Excel shows what it calculates) and conditional formats that can hide text (as ranges,
    judged after the last row: they come after ``<sheetData>``). openpyxl's read-only rows do not carry
    row and column visibility, so the sheet is read with its worksheet parser (pinned openpyxl 3.x) in one pass."""
    workbook = sheet.parent
    looks = _CellLooks(workbook)
    runs = _string_runs(workbook)
    tables = _sheet_tables(sheet, looks)
    used_styles: set[int] = set()
    with sheet._get_source() as source:
        parser = _parser_class()(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        expected = 1
        hidden_columns: dict[int, str] | None = None
        widths: tuple[float, list[tuple[int, int, float]]] = (_DEFAULT_WIDTH, [])
        width_of: dict[int, float] = {}  # column -> width
        segment: tuple[int, int, list[_Table]] = (0, -1, [])  # rows first to last lie in the same tables
        for number, cells in parser.parse():
            if number > EXCEL_MAX_ROW:  # openpyxl fills gaps row by row: <row r="2000000000"> would never end
                raise _Unreadable(
                    f"werkblad '{sheet.title}'",
                    f"het werkblad heeft rijen voorbij regel {EXCEL_MAX_ROW}, het maximum van Excel: het bestand is beschadigd.",
                    "Open het bestand in Excel en sla het opnieuw op als .xlsx (Excel-werkmap).",
                    "inventaris.xlsx",
                )
            if hidden_columns is None:  # <cols> comes before <sheetData>
                hidden_columns = _hidden_columns(parser.column_dimensions)
                widths = _column_widths(parser.column_dimensions, getattr(parser, "sheet_format", None))
            for empty in range(expected, number):
                yield empty, []
            expected = number + 1
            row_reason, height = _row_height(parser.row_dimensions.get(str(number)), getattr(parser, "sheet_format", None))
            width = max((c["column"] for c in cells), default=0)
            values: list = [None] * width
            if tables and not segment[0] <= number <= segment[1]:
                segment = _tables_at(tables, number)
            in_tables = segment[2]
            for cell in cells:
                position, value = cell["column"] - 1, cell["value"]
                values[position] = value
                if cell.get("formula") and _blank(value):  # no stored result: the site would publish it empty
                    unseen.cells.setdefault(number, []).append((position, _FORMULA))
                if _blank(value):
                    continue
                style_id = cell.get("style_id", 0)
                used_styles.add(style_id)
                reason = row_reason or (_low_row(height, looks.font_size(style_id)) if height is not None else None)
                if cell["column"] not in width_of:
                    width_of[cell["column"]] = _width(widths, cell["column"])
                reason = reason or hidden_columns.get(cell["column"]) or _narrow(width_of[cell["column"]])
                table = next((t for t in in_tables if t.box[1] <= cell["column"] <= t.box[3]), None)
                if table is None:
                    reason = reason or looks.hides(style_id, value)
                else:  # the table's style decides the colours where the cell does not set its own
                    reason = reason or looks.table_hides(table, style_id, value, number, cell["column"])
                fonts = cell.get("runs") or runs.get(cell.get("shared", -1))
                reason = reason or (looks.runs_hide(style_id, fonts) if fonts else None)
                size = looks.shrinks(style_id)
                if size and not reason:
                    reason = _shrunk(value, size, width_of[cell["column"]])
                if not reason and isinstance(value, str) and "\n" in value.strip():
                    reason = _below_row(value, None if height is None else {"ht": height}, looks.font_size(style_id))
                if reason:
                    unseen.cells.setdefault(number, []).append((position, reason))
                if cell.get("formula"):
                    unseen.cells.setdefault(number, []).append((position, _FORMULA))
            yield number, values
    if hidden_columns is not None and (
        _hidden_columns(parser.column_dimensions) != hidden_columns
        or repr(_column_widths(parser.column_dimensions, getattr(parser, "sheet_format", None))) != repr(widths)
    ):
        raise _Unreadable(  # Excel writes <cols> before the cells; later ones would judge rows already read
            f"werkblad '{sheet.title}'",
            "de kolominstellingen staan na de cellen: het bestand is beschadigd.",
            "Open het bestand in Excel en sla het opnieuw op als .xlsx (Excel-werkmap).",
            "inventaris.xlsx",
        )
    unseen.ranges.extend(looks.conditional(parser.formatting, parser.odd_formatting, used_styles))
    unseen.merged.extend(_merged_ranges(parser.merged_cells, sheet.title))


_HIDDEN = ("1", "true")


_LOWEST_ROW = 0.7  # a row lower than this times the font size cuts the letters off: only a sliver of them shows
_NARROWEST_COLUMN = 2.0  # characters: a narrower column shows at most a letter of its text


def _row_height(attributes: dict | None, sheet_format) -> tuple[str | None, float | None]:
    """Why a row hides every cell (or None), and its height in points when the file sets one (judged per cell against
    its font by ``_low_row``; None: Excel fits the row to its text). A row without a height of its own takes the
    sheet's (``<sheetFormatPr>``): hidden with ``zeroHeight``, ``defaultRowHeight`` with ``customHeight`` (attack round
    9, A26)."""
    attributes = attributes or {}
    if str(attributes.get("hidden", "")).lower() in _HIDDEN:
        return "de rij is verborgen", None
    height = attributes.get("ht")
    if height is None:
        if sheet_format is None:
            return None, None
        if getattr(sheet_format, "zeroHeight", None):
            return "de rij is verborgen: het werkblad verbergt alle rijen zonder eigen hoogte (zeroHeight)", None
        height = getattr(sheet_format, "defaultRowHeight", None)
        if not getattr(sheet_format, "customHeight", None) and math.isfinite(_number(height)):
            return None, None
    try:
        points = float(height)
    except (TypeError, ValueError):
        return "de rijhoogte is onleesbaar", None
    if not math.isfinite(points):
        return "de rijhoogte is onleesbaar", None
    if points < 2:
        return "de rij is zo laag dat niets te zien is", None
    return None, points


def _low_row(height: float, size: float) -> str | None:
    """Whether a row of ``height`` points is too low for letters of ``size`` points (attack round 9, A18: a 3 pt row shows
    a sliver of 11 pt text)."""
    if height >= _LOWEST_ROW * size:
        return None
    return f"de rij is {_points(height)} punt hoog, te laag voor letters van {_points(size)} punt: er is maar een streepje van te zien"


def _narrow(width: float) -> str | None:
    """Whether a column of ``width`` characters is too narrow to show its text (attack round 9, A18, A26)."""
    if not math.isfinite(width):
        return "de kolombreedte is onleesbaar"
    if width < _NARROWEST_COLUMN:
        return f"de kolom is maar {_points(width)} tekens breed: er is hoogstens een letter van te zien"
    return None


def _points(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _hidden_columns(dimensions: dict) -> dict[int, str]:
    """Column numbers (1-based) that are hidden, with why (a width too narrow is judged per cell: ``_narrow``)."""
    from openpyxl.utils import column_index_from_string

    hidden: dict[int, str] = {}
    for attributes in dimensions.values():
        if str(attributes.get("hidden", "")).lower() in _HIDDEN:
            first = int(attributes.get("min") or column_index_from_string(attributes["index"]))
            last = min(int(attributes.get("max") or first), 16_384)  # Excel's last column XFD
            hidden.update(dict.fromkeys(range(first, last + 1), "de kolom is verborgen"))
    return hidden


_DEFAULT_WIDTH = 8.43  # characters: Excel's column width when the sheet names none


def _column_widths(dimensions: dict, sheet_format) -> tuple[float, list[tuple[int, int, float]]]:
    """Column widths in characters: the width of a column the sheet does not name, and (first, last, width) for those
    it names (columns 1-based)."""
    from openpyxl.utils import column_index_from_string

    given = getattr(sheet_format, "defaultColWidth", None)
    base = getattr(sheet_format, "baseColWidth", None)
    if given is not None:
        default = _width_number(given)
    else:
        default = _width_number(base) + 0.71 if base is not None else _DEFAULT_WIDTH  # Excel adds the cell's margins
    ranges = []
    for attributes in dimensions.values():
        try:
            first = int(attributes.get("min") or column_index_from_string(attributes["index"]))
            last = int(attributes.get("max") or first)
        except (KeyError, ValueError):
            continue
        ranges.append((first, last, _width_number(attributes["width"]) if attributes.get("width") is not None else default))
    return default, ranges


def _width_number(value) -> float:
    """A width as written; one that is no number is NaN (refused as unreadable by ``_narrow``)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _width(widths: tuple[float, list[tuple[int, int, float]]], column: int) -> float:
    default, ranges = widths
    return next((width for first, last, width in ranges if first <= column <= last), default)


def _shrunk(value, size: float, width: float) -> str | None:
    """Whether a value in a cell that shrinks its text to fit the column ('Tekst passend maken') becomes too small to
    read: Excel scales the font down by the column width over the text's width on one line. Each character is taken
    as wide as a digit (the unit of a column width); proportional text is a little narrower, so this errs on the side
    of refusing."""
    text = cell_text(value) if not isinstance(value, str) else value
    length = max((len(line) for line in text.splitlines()), default=0) if "\n" in text else len(text)
    if length and size * min(1.0, width / length) < _SMALLEST_FONT:
        return "de tekst wordt verkleind tot hij in de cel past (Tekst passend maken) en is dan te klein om te lezen"
    return None


_LINE_HEIGHT = 1.3  # a line of text takes about 1.3 times the font size (Calibri 11: 15 points, Excel's default row)


def _below_row(value: str, row: dict | None, size: float) -> str | None:
    """Whether a text with line breaks has more lines than its row shows: with a row height set (``ht``), Excel shows
    as many lines as fit and cuts off the rest (attack round 8, A09: a name eight lines down in a one-line row), also
    with the sheet's own default height (``customHeight``, round 9). A row without a height is not judged here (Excel
    fits it to the text); a title with more than one line break
    is refused for both formats in ``package.py``."""
    if not row or row.get("ht") is None:
        return None
    lines = value.strip().count("\n") + 1
    shown = max(1, int(_number(row.get("ht")) / (max(size, 1.0) * _LINE_HEIGHT) + 0.15))
    if lines <= shown:
        return None
    return (
        f"de tekst telt {lines} regels, maar de rij is maar {shown} regel{'s' if shown > 1 else ''} hoog: de rest valt "
        "onder de rand van de cel"
    )


_MOST_MERGES = 10_000  # merged ranges judged in one sheet; a sheet with more is refused


def _merged_ranges(merged, title: str) -> list[tuple[int, int, int, int, str]]:
    """The merged ranges of a sheet (``<mergeCells>``) as (min row, min column, max row, max column, range)."""
    from openpyxl.worksheet.cell_range import CellRange

    found = []
    for item in getattr(merged, "mergeCell", None) or []:
        try:
            ref = CellRange(str(item.ref))
        except Exception:  # noqa: BLE001 - a range that is no range
            raise _Unreadable(
                f"werkblad '{title}'",
                "een samengevoegd bereik is niet te lezen: het bestand is beschadigd.",
                "Open het bestand in Excel en sla het opnieuw op als .xlsx (Excel-werkmap).",
                "inventaris.xlsx",
            ) from None
        found.append((ref.min_row, ref.min_col, ref.max_row, ref.max_col, ref.coord))
        if len(found) > _MOST_MERGES:
            raise _Unreadable(
                f"werkblad '{title}'",
                f"het werkblad heeft meer dan {_MOST_MERGES} samengevoegde bereiken; die zijn niet te beoordelen.",
                "Hef de samenvoegingen op (Start > Samenvoegen en centreren > Samenvoeging opheffen) en sla het bestand "
                "opnieuw op.",
                "inventaris.xlsx",
            )
    return found


# Office's default theme colours in the order cell styles number them (0 is the background, "Achtergrond 1").
_THEME = ["FFFFFF", "000000", "E7E6E6", "44546A", "4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47", "0563C1", "954F72"]
_LEAST_CONTRAST = 1.5  # WCAG contrast ratio below which text is practically invisible on its background
_SMALLEST_FONT = 6.0  # points: smaller letters are not read at Excel's normal zoom
_MOST_RULES = 200  # conditional-formatting rules judged in one sheet; more refuse the sheet's published cells
_LARGEST_INDENT = 15  # indent levels (three characters each): beyond this the text leaves any ordinary column
# How much of a cell the foreground colour of each pattern fill covers (the rest shows its background colour).
_PATTERN_COVER = {
    "gray0625": 0.0625,
    "gray125": 0.125,
    "lightGray": 0.25,
    "lightHorizontal": 0.25,
    "lightVertical": 0.25,
    "lightDown": 0.25,
    "lightUp": 0.25,
    "lightGrid": 0.4,
    "lightTrellis": 0.4,
    "mediumGray": 0.5,
    "darkHorizontal": 0.5,
    "darkVertical": 0.5,
    "darkDown": 0.5,
    "darkUp": 0.5,
    "darkGrid": 0.75,
    "darkTrellis": 0.75,
    "darkGray": 0.75,
}
# The colours a number format may name ("[Red]0", "[Color 10]@"); [ColorN] counts from the palette's ninth colour.
_FORMAT_COLOURS = {
    "black": "000000",
    "white": "FFFFFF",
    "red": "FF0000",
    "green": "00FF00",
    "blue": "0000FF",
    "yellow": "FFFF00",
    "magenta": "FF00FF",
    "cyan": "00FFFF",
}


@dataclass(frozen=True)
class _Look:
    """How a cell style draws a value: the text colours it may have, the backgrounds behind them, and what
    hides the value whatever the colours."""

    inks: tuple[str, ...]
    papers: tuple[str, ...]
    reason: str | None = None


class _CellLooks:
    """Whether a cell's style hides its value: computed once per style (a workbook has few)."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.palette = list(getattr(workbook, "_colors", None) or [])
        self.theme = _theme_colours(workbook)
        self.theme_fonts = _theme_fonts(workbook)
        self.known: dict[tuple[int, str], _Look] = {}
        self.verdicts: dict[tuple[int, str], str | None] = {}
        self.dxfs = list(getattr(getattr(workbook, "_differential_styles", None), "styles", None) or [])
        custom = getattr(getattr(workbook, "_table_styles", None), "tableStyle", None) or []
        self.table_styles = {str(style.name): style for style in custom}
        self.in_tables: dict[tuple, str | None] = {}
        self.shrinking: dict[int, float | None] = {}

    def hides(self, style_id: int, value) -> str | None:
        key = (style_id, "text" if type(value) is str else _value_kind(value))
        if key not in self.verdicts:
            look = self.look(*key)
            low = any(_contrast(ink, paper) < _LEAST_CONTRAST for ink in look.inks for paper in look.papers)
            self.verdicts[key] = look.reason or ("de tekst heeft (bijna) de kleur van de cel" if low else None)
        return self.verdicts[key]

    def table_hides(self, table: _Table, style_id: int, value, row: int, column: int) -> str | None:
        """Whether a cell inside an Excel table (a "Format as Table" range) hides its value: the table style's layers
        (whole table, stripes, first and last column, header and total row, the table's own formats) give the text
        and background wherever the cell does not set its own (Excel: a cell's own font colour and fill win). Every
        stripe a row or column may fall in is tried."""
        kind = "text" if type(value) is str else _value_kind(value)
        region = "kop" if row < table.box[0] + table.header_rows else "totaal" if row > table.box[2] - table.total_rows else ""
        first, last = column == table.box[1], column == table.box[3]
        key = (table.number, style_id, kind, region, first, last, column if table.columns else 0)
        if key not in self.in_tables:
            self.in_tables[key] = self._table_verdict(table, style_id, kind, region, first, last, column)
        return self.in_tables[key]

    def _table_verdict(self, table: _Table, style_id: int, kind: str, region: str, first: bool, last: bool, column: int):
        look = self.look(style_id, kind)
        if look.reason:
            return look.reason
        if table.reason:
            return table.reason
        layers = table.layers
        columns: list[str | None] = [None, "firstColumnStripe", "secondColumnStripe"] if table.column_stripes else [None]
        rows: list[str | None] = [None]
        if region == "kop":
            edges = ["headerRow", "firstHeaderCell" if first else None, "lastHeaderCell" if last else None]
        elif region == "totaal":
            edges = ["totalRow", "firstTotalCell" if first else None, "lastTotalCell" if last else None]
        else:
            rows = ["firstRowStripe", "secondRowStripe"] if table.row_stripes else [None]
            edges = [
                "lastColumn" if last and table.last_column else None,
                "firstColumn" if first and table.first_column else None,
            ]
        extra = [table.own.get(region), table.columns.get((region, column))]
        own_ink, own_papers = self.own(style_id, kind)
        for stripe in columns:
            for band in rows:
                stack = [layers.get(name) for name in ("wholeTable", stripe, band, *edges) if name] + extra
                stack = [layer for layer in stack if layer is not None]
                reason = next((layer.reason for layer in stack if layer.reason), None)
                if reason:
                    return f"de tabelopmaak '{table.style}' in deze kolom: {reason}"
                inks = own_ink or next((layer.inks for layer in reversed(stack) if layer.inks), look.inks)
                papers = own_papers or next((layer.papers for layer in reversed(stack) if layer.papers), ("FFFFFF",))
                if any(_contrast(ink, paper) < _LEAST_CONTRAST for ink in inks for paper in papers):
                    return f"de tabelopmaak '{table.style}' geeft de tekst in deze kolom (bijna) de kleur van de cel"
        return None

    def own(self, style_id: int, kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The text colour and background a cell sets itself, which win over a table style's: a colour from its number
        format or from a font of its own (not the workbook's default font), a fill of its own; empty where it sets none."""
        styles = self.workbook._cell_styles
        if not 0 <= style_id < len(styles):
            return (), ()
        style, look = styles[style_id], self.look(style_id, kind)
        fonts, fills = self.workbook._fonts, self.workbook._fills
        font = fonts[style.fontId] if 0 < style.fontId < len(fonts) else None
        fill = fills[style.fillId] if 0 < style.fillId < len(fills) else None
        coloured = font is not None and getattr(font, "color", None) is not None
        number_format = self.workbook._number_formats[style.numFmtId - 164] if style.numFmtId >= 164 else None
        format_ink = _format_look(number_format, kind, self.palette)[1] if number_format is not None else None
        return (look.inks if coloured or format_ink else ()), (self.papers(fill) if fill is not None else ())

    def table_layers(self, name: str | None) -> tuple[dict[str, _Look], str | None]:
        """The layers of a table style by element (``wholeTable``, ``firstRowStripe``, ...), and a reason the style
        cannot be judged (or None): a style of the workbook itself (``tableStyles`` in styles.xml) by its formats,
        one of Excel's built-in styles by the colours Excel draws it with (``_builtin_table_style``)."""
        if not name:
            return {}, None  # a table without a style: its cells look as their own formats say
        custom = self.table_styles.get(name)
        if custom is not None:
            return {
                str(element.type): self.dxf(element.dxfId, self.dxfs)
                for element in getattr(custom, "tableStyleElement", None) or []
                if element.dxfId is not None
            }, None
        builtin = _builtin_table_style(name, self.theme)
        if builtin is None:
            return {}, "de tabelopmaak staat niet in het bestand en is geen standaardopmaak van Excel"
        return builtin, None

    def font_size(self, style_id: int) -> float:
        """The font size of a cell style in points (11 when it names none)."""
        styles, fonts = self.workbook._cell_styles, self.workbook._fonts
        style = styles[style_id] if 0 <= style_id < len(styles) else None
        font = fonts[style.fontId] if style is not None and 0 <= style.fontId < len(fonts) else None
        return _number(getattr(font, "sz", None)) or 11.0

    def shrinks(self, style_id: int) -> float | None:
        """The font size of a style that shrinks its text to fit the cell (``shrinkToFit`` without wrapping: Excel
        ignores it for wrapped text), else None."""
        if style_id not in self.shrinking:
            styles, size = self.workbook._cell_styles, None
            style = styles[style_id] if 0 <= style_id < len(styles) else None
            alignments = getattr(self.workbook, "_alignments", [])
            alignment = alignments[style.alignmentId] if style is not None and 0 <= style.alignmentId < len(alignments) else None
            if alignment is not None and alignment.shrinkToFit and not alignment.wrapText:
                fonts = self.workbook._fonts
                font = fonts[style.fontId] if 0 <= style.fontId < len(fonts) else None
                size = _number(getattr(font, "sz", None)) or 11.0
            self.shrinking[style_id] = size
        return self.shrinking[style_id]

    def runs_hide(self, style_id: int, fonts: list) -> str | None:
        """Whether a text written in runs with their own font (rich text) hides a part: a run in the colour of the cell,
        or too small to read."""
        look = self.look(style_id, "text")
        for font in fonts:
            if _small(getattr(font, "sz", None)):
                return "een deel van de tekst is te klein om te lezen"
            symbol = self.symbol_font(font)
            if symbol:
                return f"een deel van de tekst: {symbol}"
            if getattr(font, "color", None) is not None:
                ink = self.colour(font.color, "000000")
                if any(_contrast(ink, paper) < _LEAST_CONTRAST for paper in look.papers):
                    return "een deel van de tekst heeft (bijna) de kleur van de cel"
        return None

    def symbol_font(self, font) -> str | None:
        """Why a cell's font or a run's font draws symbols instead of letters (or None): its name (a run's ``rFont``), or
        for a font of the theme (``<scheme val="minor"/>``: Excel then uses the theme's font, whatever the name says)
        the theme's; or the symbol character set (``<charset val="2"/>``)."""
        scheme = str(getattr(font, "scheme", None) or "")
        name = self.theme_fonts.get(scheme) or getattr(font, "rFont", None) or getattr(font, "name", None)
        if _number(getattr(font, "charset", None)) == _SYMBOL_CHARSET:
            return "het lettertype gebruikt de tekenset 'Symbol' en tekent symbolen in plaats van letters"
        return _symbol_font(name)

    def look(self, style_id: int, kind: str) -> _Look:
        """How a style draws a value of one kind (``_value_kind``)."""
        key = (style_id, kind)
        if key not in self.known:
            self.known[key] = self._judge(style_id, kind)
        return self.known[key]

    def _judge(self, style_id: int, kind: str) -> _Look:
        styles = self.workbook._cell_styles
        if not 0 <= style_id < len(styles):
            return _Look(("000000",), ("FFFFFF",))
        style = styles[style_id]
        number_format = (
            self.workbook._number_formats[style.numFmtId - 164] if style.numFmtId >= 164 else None
        )  # built-in formats (below 164) all show their value
        fonts, fills = self.workbook._fonts, self.workbook._fills
        alignments = getattr(self.workbook, "_alignments", [])
        font = fonts[style.fontId] if 0 <= style.fontId < len(fonts) else None
        fill = fills[style.fillId] if 0 <= style.fillId < len(fills) else None
        alignment = alignments[style.alignmentId] if 0 <= style.alignmentId < len(alignments) else None
        papers = self.papers(fill) or ("FFFFFF",)
        ink = self.colour(getattr(font, "color", None), "000000")
        reason, format_ink = _format_look(number_format, kind, self.palette) if number_format is not None else (None, None)
        if reason is None and font is not None and _small(font.sz):
            reason = "de letters zijn te klein om te lezen"
        if reason is None and font is not None:
            reason = self.symbol_font(font)
        if reason is None and kind == "text" and alignment is not None and _number(getattr(alignment, "textRotation", 0)):
            reason = _ROTATED
        if reason is None and alignment is not None and _number(getattr(alignment, "indent", 0)) > _LARGEST_INDENT:
            reason = "de tekst is zo ver ingesprongen dat hij buiten de cel valt"
        return _Look((format_ink or ink,), papers, reason)

    def colour(self, colour, default: str) -> str:
        return _colour(colour, default, self.palette, self.theme)

    def papers(self, fill, differential: bool = False) -> tuple[str, ...]:
        """The backgrounds a fill puts behind the text: a solid fill's colour; for a pattern its foreground
        colour where that covers half the cell or more, its background where that does, and their mix;
        every stop of a gradient. Nothing for no fill. A conditional format's (``differential``) solid fill
        takes its colour from ``bgColor``, as Excel writes it there."""
        if fill is None:
            return ()
        stops = getattr(fill, "stop", None)
        if stops is not None and getattr(fill, "patternType", None) is None:  # a gradient fill
            return tuple(self.colour(getattr(stop, "color", None), "FFFFFF") for stop in stops)
        kind = getattr(fill, "patternType", None)
        foreground, background = getattr(fill, "fgColor", None), getattr(fill, "bgColor", None)
        if differential:
            given = [c for c in (foreground, background) if not _left_out(c)]
            if kind in (None, "solid"):
                return tuple(self.colour(c, "FFFFFF") for c in given)
            if kind == "none":
                return ()
        if kind == "solid":
            return (self.colour(foreground, "FFFFFF"),)
        if kind not in _PATTERN_COVER and kind is not None and kind != "none":
            cover = 0.5
        elif kind in _PATTERN_COVER:
            cover = _PATTERN_COVER[kind]
        else:
            return ()
        ink = "000000" if _left_out(foreground) else self.colour(foreground, "000000")
        paper = "FFFFFF" if _left_out(background) else self.colour(background, "FFFFFF")
        mix = "".join(
            f"{round(int(ink[i : i + 2], 16) * cover + int(paper[i : i + 2], 16) * (1 - cover)):02X}" for i in (0, 2, 4)
        )
        return tuple(dict.fromkeys([*([ink] if cover >= 0.5 else []), *([paper] if cover <= 0.5 else []), mix]))

    def conditional(
        self, formats, odd: list[tuple[str, str]], used_styles: set[int]
    ) -> list[tuple[int, int, int, int, str, str]]:
        """The ranges of conditional formats that can hide text, with why. Whether a rule's condition holds is not
        evaluated: each rule is judged as if it applied, with the other rules of the sheet too (so a rule that only
        makes the text white is judged against the fills of the others), on the styles of the sheet's cells."""
        dxfs = self.dxfs
        base = [self.look(style_id, kind) for style_id in sorted(used_styles) for kind in ("text", "any")] or [
            _Look(("000000",), ("FFFFFF",))
        ]
        judged: list[tuple[str, list, str | None, tuple[str, ...], tuple[str, ...]]] = []  # range, boxes, reason, inks, papers
        for cf in formats:
            sqref = str(cf.sqref)
            boxes = [_box(part) for part in sqref.split()] or [_box("")]
            for rule in getattr(cf, "rules", []):
                reason, inks, papers = self._rule(rule, dxfs)
                judged.append((sqref, boxes, reason, inks, papers))
        if len(judged) + len(odd) > _MOST_RULES:  # judging rules against each other takes the square of their number
            return [(*_box(""), "A1:XFD1048576", f"meer dan {_MOST_RULES} regels, te veel om te beoordelen")]
        base_inks = {ink for look in base for ink in look.inks}
        base_papers = {paper for look in base for paper in look.papers}
        found: dict[tuple[str, str], None] = {}
        for sqref, boxes, reason, inks, papers in judged:
            if reason is None and (inks or papers):  # the other rules that may apply to the same cells at the same time
                near = [other for other in judged if any(_overlap(a, b) for a in boxes for b in other[1])]
                all_inks = base_inks | {ink for *_, other_inks, _ in near for ink in other_inks}
                all_papers = base_papers | {paper for *_, other_papers in near for paper in other_papers}
                if any(_contrast(ink, paper) < _LEAST_CONTRAST for ink in inks for paper in all_papers) or any(
                    _contrast(ink, paper) < _LEAST_CONTRAST for ink in all_inks for paper in papers
                ):
                    reason = "de opmaak kan de tekst de kleur van de cel geven"
            if reason:
                found.setdefault((sqref, reason))
        for sqref, reason in odd:
            found.setdefault((sqref or "A1:XFD1048576", reason))
        ranges = []
        for sqref, reason in found:
            for box in [_box(part) for part in sqref.split()] or [_box("")]:
                ranges.append((*box, sqref, reason))
        return ranges

    def _rule(self, rule, dxfs) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
        """What one conditional-formatting rule can do to a cell: a reason it hides the value whatever the
        colours, the text colours and the backgrounds it can give."""
        inks: list[str] = []
        papers: list[str] = []
        reason = None
        for kind in ("dataBar", "iconSet"):
            shown = getattr(getattr(rule, kind, None), "showValue", None)
            if getattr(rule, kind, None) is not None and shown is not None and not shown:
                reason = "de opmaak kan de waarde verbergen (alleen een balk of pictogram)"
        bar = getattr(rule, "dataBar", None)
        if bar is not None and getattr(bar, "color", None) is not None:
            papers.append(self.colour(bar.color, "FFFFFF"))
        scale = getattr(rule, "colorScale", None)
        if scale is not None:
            stops = [self.colour(c, "FFFFFF") for c in (getattr(scale, "color", None) or [])]
            for first, second in zip(stops, stops[1:]):  # the colours in between too: a scale blends them
                for step in (0.25, 0.5, 0.75):
                    papers.append(
                        "".join(
                            f"{round(int(first[i : i + 2], 16) * (1 - step) + int(second[i : i + 2], 16) * step):02X}"
                            for i in (0, 2, 4)
                        )
                    )
            papers.extend(stops)
        dxf_id = getattr(rule, "dxfId", None)
        if dxf_id is not None:
            dxf = self.dxf(dxf_id, dxfs)
            reason = reason or dxf.reason
            inks.extend(dxf.inks)
            papers.extend(dxf.papers)
        return reason, tuple(inks), tuple(papers)

    def dxf(self, dxf_id: int, dxfs: list) -> _Look:
        """What a differential format (of a conditional format or a table) can do to a cell: the text colours and
        backgrounds it gives, and a reason it hides the value whatever the colours (or None)."""
        if not 0 <= dxf_id < len(dxfs):
            return _Look((), (), "een opmaak die niet in het bestand staat")
        dxf = dxfs[dxf_id]
        inks: list[str] = []
        reason = None
        number_format = getattr(getattr(dxf, "numFmt", None), "formatCode", None)
        if number_format is not None:
            for kind in ("text", "any"):
                hides, ink = _format_look(number_format, kind, self.palette)
                if hides:
                    reason = reason or f"de opmaak kan de getalnotatie '{number_format}' geven, die de inhoud niet toont"
                if ink:
                    inks.append(ink)
        font = getattr(dxf, "font", None)
        if font is not None:
            if font.color is not None:
                inks.append(self.colour(font.color, "000000"))
            if _small(font.sz):
                reason = reason or "de opmaak kan de letters te klein maken om te lezen"
        papers = self.papers(getattr(dxf, "fill", None), differential=True)
        alignment = getattr(dxf, "alignment", None)
        if alignment is not None and _number(getattr(alignment, "indent", 0)) > _LARGEST_INDENT:
            reason = reason or "de opmaak kan de tekst buiten de cel laten inspringen"
        return _Look(tuple(inks), papers, reason)


@dataclass
class _Table:
    """An Excel table ("Format as Table") on a sheet, as far as its looks go: its range (min row, min column, max row,
    max column), header and total rows, its style's layers and the table's own formats (``own`` by region: "" for
    the data rows, "kop", "totaal"; ``columns`` by (region, column number))."""

    number: int
    box: tuple[int, int, int, int]
    style: str
    layers: dict[str, _Look]
    header_rows: int = 1
    total_rows: int = 0
    row_stripes: bool = False
    column_stripes: bool = False
    first_column: bool = False
    last_column: bool = False
    own: dict[str, _Look] = field(default_factory=dict)
    columns: dict[tuple[str, int], _Look] = field(default_factory=dict)
    reason: str | None = None


_MOST_TABLES = 100  # tables judged in one sheet; a sheet with more is refused (its rows are judged against each)
_TABLE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"


def _sheet_tables(sheet, looks: _CellLooks) -> list[_Table]:
    """The tables of a sheet, read from the parts its relationships name (before its cells: ``<tableParts>`` comes
    after them, and every table of a sheet is one of its related parts). A table that cannot be read refuses the
    workbook as damaged."""
    import posixpath

    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.table import Table
    from openpyxl.xml.functions import fromstring

    archive = sheet.parent._archive
    rels_path = get_rels_path(sheet._worksheet_path)
    if rels_path not in archive.namelist():
        return []
    damaged = _Unreadable(
        f"werkblad '{sheet.title}'",
        "een tabel (Opmaken als tabel) op dit werkblad is niet te lezen: het bestand is beschadigd.",
        "Open het bestand in Excel en sla het opnieuw op als .xlsx (Excel-werkmap), of zet de tabel om naar een bereik "
        "(Tabelontwerp > Converteren naar bereik).",
        "inventaris.xlsx",
    )
    try:
        parts = [r.target for r in get_dependents(archive, rels_path) if r.Type == _TABLE_REL and r.TargetMode != "External"]
    except Exception:  # noqa: BLE001 - unreadable relationships: the tables cannot be judged
        raise damaged from None
    if len(parts) > _MOST_TABLES:
        raise _Unreadable(
            f"werkblad '{sheet.title}'",
            f"het werkblad heeft {len(parts)} tabellen (Opmaken als tabel); meer dan {_MOST_TABLES} zijn niet te beoordelen.",
            "Zet de tabellen om naar gewone bereiken (Tabelontwerp > Converteren naar bereik) en sla het bestand opnieuw op.",
            "inventaris.xlsx",
        )
    tables = []
    for number, part in enumerate(parts):
        try:
            table = Table.from_tree(fromstring(archive.read(posixpath.normpath(part))))
            ref = CellRange(str(table.ref))
            box = ref.min_row, ref.min_col, ref.max_row, ref.max_col
        except Exception:  # noqa: BLE001 - missing or damaged part, a range that is no range
            raise damaged from None
        info = table.tableStyleInfo
        name = str(getattr(info, "name", None) or "")
        layers, reason = looks.table_layers(name)
        found = _Table(
            number,
            box,
            name or "geen",
            layers,
            header_rows=int(table.headerRowCount if table.headerRowCount is not None else 1),
            total_rows=int(table.totalsRowCount or 0),
            row_stripes=bool(getattr(info, "showRowStripes", False)),
            column_stripes=bool(getattr(info, "showColumnStripes", False)),
            first_column=bool(getattr(info, "showFirstColumn", False)),
            last_column=bool(getattr(info, "showLastColumn", False)),
            reason=reason and f"de tabelopmaak '{name}' in deze kolom: {reason}",
        )
        for region, dxf_id in (("", table.dataDxfId), ("kop", table.headerRowDxfId), ("totaal", table.totalsRowDxfId)):
            if dxf_id is not None:
                found.own[region] = looks.dxf(dxf_id, looks.dxfs)
        for offset, column in enumerate(table.tableColumns or []):
            for region, dxf_id in (("", column.dataDxfId), ("kop", column.headerRowDxfId), ("totaal", column.totalsRowDxfId)):
                if dxf_id is not None:
                    found.columns[(region, box[1] + offset)] = looks.dxf(dxf_id, looks.dxfs)
        tables.append(found)
    return tables


_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
# The theme's colours in the order cell colours number them (the light ones first, unlike the theme file's order).
_SCHEME = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6", "hlink", "folHlink")
_SYSTEM = {"windowText": "000000", "window": "FFFFFF", "black": "000000", "white": "FFFFFF"}


def _theme_colours(workbook) -> list[str]:
    """The colours of the workbook's own theme (xl/theme/theme1.xml) as RRGGBB, numbered as cells use them: a theme
    can make "Tekst 1", the colour of all default text, white. Office's default for a colour the theme gives in a way
    not read here (a colour with modifiers is read without them); a theme that is no XML refuses the workbook."""
    from openpyxl.xml.functions import fromstring

    colours = list(_THEME)
    data = getattr(workbook, "loaded_theme", None)
    if not data:
        return colours
    try:
        scheme = next(fromstring(data).iter(f"{_DRAWING}clrScheme"), None)
    except Exception:  # noqa: BLE001 - a damaged theme: the colours of the text cannot be known
        raise _Unreadable(
            "",
            "het kleurenthema van het Excel-bestand is niet te lezen: welke kleur de tekst heeft, is niet na te gaan.",
            "Open het bestand in Excel en sla het opnieuw op als .xlsx (Excel-werkmap).",
            "inventaris.xlsx",
        ) from None
    for index, name in enumerate(_SCHEME):
        entry = scheme.find(f"{_DRAWING}{name}") if scheme is not None else None
        given = entry[0] if entry is not None and len(entry) else None
        if given is None:
            continue
        kind = given.tag.removeprefix(_DRAWING)
        value = (given.get("lastClr") or _SYSTEM.get(given.get("val", ""))) if kind == "sysClr" else given.get("val", "")
        if kind == "prstClr":
            value = _SYSTEM.get(value or "", "")
        if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value):
            colours[index] = value.upper()
    return colours


def _theme_fonts(workbook) -> dict[str, str]:
    """The fonts of the workbook's theme ("major" for headings, "minor" for body text) where one is a symbol font (attack
    round 9, A23: a theme whose body font is Wingdings draws every cell in the theme font as pictograms): the first
    typeface of the font (Latin, East Asian, complex script) that is."""
    from openpyxl.xml.functions import fromstring

    data = getattr(workbook, "loaded_theme", None)
    found: dict[str, str] = {}
    if not data:
        return found
    try:
        root = fromstring(data)
    except Exception:  # noqa: BLE001 - refused by _theme_colours, which reads the theme first
        return found
    for kind in ("major", "minor"):
        for scheme in root.iter(f"{_DRAWING}{kind}Font"):
            for child in scheme:
                face = child.get("typeface") or ""
                if child.tag in (f"{_DRAWING}latin", f"{_DRAWING}ea", f"{_DRAWING}cs") and SYMBOL_FONT_NAMES.search(face):
                    found.setdefault(kind, face)
    return found


_SYMBOL_CHARSET = 2  # a font's <charset>: Windows' SYMBOL_CHARSET


def _tables_at(tables: list[_Table], row: int) -> tuple[int, int, list[_Table]]:
    """The tables a row lies in, and the rows from it on that lie in the same ones: (row, last row, tables)."""
    inside = [t for t in tables if t.box[0] <= row <= t.box[2]]
    last = min([t.box[2] for t in inside] + [t.box[0] - 1 for t in tables if t.box[0] > row], default=EXCEL_MAX_ROW)
    return row, last, inside


def _tinted(rgb: str, tint: float) -> str:
    """A colour lightened (tint > 0) or darkened (tint < 0) as Excel applies a tint."""
    channels = [int(rgb[i : i + 2], 16) for i in (0, 2, 4)]
    channels = [round(c + (255 - c) * tint) if tint > 0 else round(c * (1 + tint)) for c in channels]
    return "".join(f"{max(0, min(255, c)):02X}" for c in channels)


def _builtin_table_style(name: str, theme: Sequence[str] = _THEME) -> dict[str, _Look] | None:
    """One of Excel's built-in table styles (TableStyleLight1-21, Medium1-28, Dark1-11) as the colours it draws
    with the workbook's theme, for judging a cell's own colours against them: each group of seven is black (gray) and
    the six accent colours. Light and Medium styles draw dark text on white and light tints (a coloured header with
    white text in Light8-14 and the Medium styles); Dark1-7 white text on the colour and its darker shades; Dark8-11
    dark text on light tints under a black header. Built-in styles are readable on their own; what hides is a
    cell's own colour against them (white fill in a dark table, for example). None for any other name."""
    m = re.fullmatch(r"TableStyle(Light|Medium|Dark)([1-9]\d?)", name)
    if not m or int(m.group(2)) > {"Light": 21, "Medium": 28, "Dark": 11}[m.group(1)]:
        return None
    family, number = m.group(1), int(m.group(2))
    white, black = ("FFFFFF",), ("000000",)
    if family == "Dark" and number >= 8:
        base = ("000000", theme[4], theme[6], theme[8])[number - 8]
        body = _Look(black, (_tinted(base, 0.6), _tinted(base, 0.8)))
        return {"wholeTable": body, "headerRow": _Look(white, black), "totalRow": body}
    group = (number - 1) % 7
    base = "000000" if group == 0 else theme[3 + group]
    if family == "Dark":
        shades = ("404040", "595959", "737373") if group == 0 else (base, _tinted(base, -0.25), _tinted(base, -0.5))
        dark = _Look(white, shades)
        return {"wholeTable": dark, "headerRow": _Look(white, black), "totalRow": dark, "firstColumn": dark, "lastColumn": dark}
    tints = tuple(_tinted(base, t) for t in (0.8, 0.6, 0.4))
    header = _Look(white, (base,)) if family == "Medium" or number >= 8 else _Look(black, ())
    return {
        "wholeTable": _Look(black, ()),
        "firstRowStripe": _Look((), tints),
        "firstColumnStripe": _Look((), tints),
        "headerRow": header,
        "totalRow": _Look(black, ()),
    }


def _box(part: str) -> tuple[int, int, int, int]:
    """A range of a conditional format as (min row, min column, max row, max column); an unreadable one covers the sheet."""
    from openpyxl.worksheet.cell_range import CellRange

    try:
        box = CellRange(part)
        return box.min_row, box.min_col, box.max_row, box.max_col
    except (ValueError, TypeError):
        return 1, 1, EXCEL_MAX_ROW, 16_384


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _string_runs(workbook) -> dict[int, list]:
    """The shared strings written in runs with their own font (rich text): string number -> the fonts of its runs
    with text. Read once per workbook, and only when the strings hold a run font at all (most workbooks: none)."""
    known = getattr(workbook, "_woo_string_runs", None)
    if known is not None:
        return known
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS, SHEET_MAIN_NS
    from openpyxl.xml.functions import fromstring, iterparse

    runs: dict[int, list] = {}
    archive = getattr(workbook, "_archive", None)
    part = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES))).find(SHARED_STRINGS) if archive else None
    if part is not None:
        name = part.PartName[1:]
        with archive.open(name) as source:
            fonts_in = any(b"rPr" in chunk for chunk in iter(lambda: source.read(1 << 20), b""))
        if fonts_in:
            with archive.open(name) as source:
                index = 0
                for _, node in iterparse(source):
                    if node.tag == f"{{{SHEET_MAIN_NS}}}si":
                        fonts = _run_fonts(node)
                        if fonts:
                            runs[index] = fonts
                        index += 1
                        node.clear()
    workbook._woo_string_runs = runs
    return runs


def _run_fonts(node) -> list:
    """The fonts of the runs of a string (``<si>`` or ``<is>``) that hold text and have a font of their own."""
    from openpyxl.cell.text import InlineFont
    from openpyxl.xml.constants import SHEET_MAIN_NS

    fonts = []
    for run in node.findall(f"{{{SHEET_MAIN_NS}}}r"):  # direct runs only: phonetic runs (<rPh>) are not shown in the cell
        text = "".join(t.text or "" for t in run.findall(f"{{{SHEET_MAIN_NS}}}t"))
        props = run.find(f"{{{SHEET_MAIN_NS}}}rPr")
        if props is not None and text.strip():
            fonts.append(InlineFont.from_tree(props))
    return fonts


_ROTATED = "de tekst staat gedraaid of verticaal (Afdrukstand), zodat Excel in een gewone rij maar een paar letters toont"


def _symbol_font(name) -> str | None:
    """Why a font hides text (attack round 9, A23): a symbol or pictogram font (Wingdings, Webdings, Symbol, ...; the
    one list in ``symbolfonts.py``) draws pictograms or Greek letters where the site publishes the letters."""
    if name is None or not SYMBOL_FONT_NAMES.search(str(name)):
        return None
    return f"het lettertype '{_short(str(name), 40)}' tekent symbolen of pictogrammen in plaats van letters"


def _small(size) -> bool:
    return size is not None and _number(size) < _SMALLEST_FONT


def _number(value) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def _format_hides(number_format: str, text: bool) -> bool:
    """An Excel number format that shows nothing for the cell's kind of value (";;;", ";;" for numbers)."""
    return _format_look(number_format, "text" if text else "any", [])[0] is not None


def _value_kind(value) -> str:
    """Which sections of a number format a value takes: "text", a number's "pos", "neg" or "zero" (dates and times
    are positive numbers), or "any" (a truth value, or something else: judged by every number section)."""
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool) or not isinstance(value, (int, float, dt.date, dt.time, dt.timedelta)):
        return "any"
    if isinstance(value, (dt.date, dt.time)):
        return "pos"
    number = value.total_seconds() if isinstance(value, dt.timedelta) else value
    return "pos" if number > 0 else "neg" if number < 0 else "zero"


def _format_sections(number_format: str) -> list[dict]:
    """The sections of a number format, each as what it shows: any visible character, the text ('@'), the
    colour it names. Quoted text and '\\x' show their characters; '_x' is a space as wide as x; '*x' repeats x
    (nothing visible for a space); '[...]' is a colour, a condition or a locale and shows nothing."""
    sections: list[dict[str, Any]] = []

    def fresh() -> dict[str, Any]:
        # "texts": how often the value itself ('@') is shown; "literal": fixed text (also spaces) or '\\x' escapes;
        # "fill": a '*x' repeat; "pads": '_x' spaces as wide as x
        return {
            "visible": False,
            "text": False,
            "colour": None,
            "condition": False,
            "texts": 0,
            "literal": False,
            "fill": False,
            "pads": 0,
        }

    current = fresh()
    i, n = 0, len(number_format)
    while i < n:
        char = number_format[i]
        if char == ";":
            sections.append(current)
            current = fresh()
        elif char == '"':
            end = number_format.find('"', i + 1)
            end = n if end < 0 else end
            current["visible"] = current["visible"] or bool(number_format[i + 1 : end].strip())
            current["literal"] = current["literal"] or end > i + 1
            i = end
        elif char in "\\*":
            current["visible"] = current["visible"] or bool(number_format[i + 1 : i + 2].strip())
            current["fill" if char == "*" else "literal"] = True
            i += 1
        elif char == "_":
            current["pads"] += 1
            i += 1
        elif char == "[":
            end = number_format.find("]", i + 1)
            end = n if end < 0 else end
            name = number_format[i + 1 : end].strip().lower()
            if name[:1] in ("<", ">", "="):
                current["condition"] = True
            elif name in _FORMAT_COLOURS or re.fullmatch(r"colou?r\s*\d{1,2}", name):
                current["colour"] = name
            i = end
        elif char == "@" or number_format[i : i + 7].lower() == "general":  # "General" shows text as it is too
            current["visible"] = current["text"] = True
            current["texts"] += 1
            i += 0 if char == "@" else 6
        else:  # any other character is shown as it is, a space too
            current["visible"] = current["visible"] or not char.isspace()
            current["literal"] = True
        i += 1
    sections.append(current)
    return sections


def _format_look(number_format: str, kind: str, palette: Sequence) -> tuple[str | None, str | None]:
    """What a number format does to a value of a kind (``_value_kind``): why it hides it (or None) and the text colour
    it names (or None). A number takes the first section when positive, the second when negative, the third when zero;
    with conditions (``[>100]``) or of an unknown sign, every number section counts."""
    sections = _format_sections(number_format)
    if kind == "text":  # text takes the fourth section (or a lone section with '@'); otherwise it is shown as it is
        section = sections[3] if len(sections) >= 4 else sections[0] if len(sections) == 1 and sections[0]["text"] else None
        if section is None:
            return None, None
        if not section["visible"]:
            return f"de getalnotatie '{number_format}' toont niets", None
        if not section["text"]:
            return f"de getalnotatie '{number_format}' toont een vaste tekst in plaats van de inhoud", None
        added = _format_additions(section)
        if added:
            return (
                f"de getalnotatie '{_format_shown(number_format)}' zet {added} bij de tekst: Excel toont die in plaats van "
                "(een deel van) de inhoud, of duwt de inhoud buiten de cel",
                None,
            )
        return None, _format_colour(section["colour"], palette)
    shown = sections[:3] if len(sections) > 1 else sections[:1]
    if kind != "any" and len(sections) > 1 and not any(s["condition"] for s in shown):
        place = {"pos": 0, "neg": 1, "zero": 2}[kind]
        shown = [sections[place] if place < len(shown) else sections[0]]
    if any(not s["visible"] for s in shown):
        return f"de getalnotatie '{number_format}' toont niets", None
    colours = [c for c in (_format_colour(s["colour"], palette) for s in shown) if c]
    return None, (min(colours, key=lambda c: _contrast(c, "FFFFFF")) if colours else None)


_MOST_PADS = 2  # '_x' paddings a text section may have: Excel's accounting formats put one on each side ("_ @_ ")


def _format_additions(section: dict) -> str | None:
    """What a number format's text section shows besides the cell's text (attack round 9, A17: a fixed title and 120
    spaces before '@' show the fixed title, and the real one starts past the edge of the cell): fixed text or spaces,
    escaped characters, a fill that repeats a character, more paddings than Excel's own formats use, the text twice.
    None when the section shows only the text (with a colour, a condition or a locale)."""
    found = []
    if section["literal"]:
        found.append("vaste tekst of spaties")
    if section["fill"]:
        found.append("een opvulling (*)")
    if section["pads"] > _MOST_PADS:
        found.append(f"{section['pads']} opvulspaties (_)")
    if section["texts"] > 1:
        found.append("de inhoud meer dan eens")
    return " en ".join(found) or None


def _format_shown(number_format: str) -> str:
    """A number format for a message: a run of spaces counted, a long format cut off."""
    shown = re.sub(r" {4,}", lambda m: f"[{len(m.group())} spaties]", number_format)
    return shown if len(shown) <= 80 else shown[:79] + "…"


def _format_colour(name: str | None, palette: Sequence) -> str | None:
    if not name:
        return None
    if name in _FORMAT_COLOURS:
        return _FORMAT_COLOURS[name]
    m = re.fullmatch(r"colou?r\s*(\d{1,2})", name)
    if m and 1 <= int(m.group(1)) <= 56:
        return _indexed(int(m.group(1)) + 7, palette, "000000")
    return None  # a condition ("[>100]") or a locale ("[$-413]")


def _left_out(colour) -> bool:
    """A fill colour the file leaves out: openpyxl then gives the one default object of ``PatternFill`` (an explicit
    black, also openpyxl's own ``rgb="00000000"``, is another object)."""
    from openpyxl.styles import PatternFill

    return colour is None or any(colour is default for default in PatternFill.__init__.__defaults__ or () if default is not None)


def _indexed(index: int, palette: Sequence, default: str) -> str:
    from openpyxl.styles.colors import COLOR_INDEX

    colours = palette or COLOR_INDEX
    if index == 64:  # "system foreground": the window's text colour
        return "000000"
    if index == 65:  # "system background"
        return "FFFFFF"
    if 0 <= index < len(colours) and re.fullmatch(r"[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?", str(colours[index])):
        return str(colours[index])[-6:].upper()
    return default


def _colour(colour, default: str, palette: Sequence = (), theme: Sequence[str] = _THEME) -> str:
    """An openpyxl colour as RRGGBB: by its type (``rgb``, ``theme``, ``indexed`` through the workbook's palette or
    Excel's default one; ``auto`` and anything unreadable give ``default``), with its tint applied."""
    if colour is None:
        return default
    kind = getattr(colour, "type", None)
    value = getattr(colour, "value", None)
    if kind == "rgb" and isinstance(value, str) and re.fullmatch(r"[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?", value):
        base = value[-6:].upper()
    elif kind == "theme" and isinstance(value, int) and 0 <= value < len(theme):
        base = theme[value]
    elif kind == "indexed" and isinstance(value, int):
        base = _indexed(value, palette, default)
    else:
        return default  # automatic colours
    try:
        tint = float(getattr(colour, "tint", 0) or 0)
    except (TypeError, ValueError):
        tint = 0.0
    return _tinted(base, tint) if tint else base


def _contrast(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@functools.lru_cache(maxsize=4096)
def _luminance(rgb: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(rgb[i : i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _all_seen(table: RawTable, unseen: _Unseen, relpath: str, problems: Problems) -> bool:
    """Refuse cells the approver could not see in Excel but the site would publish (a column it reads), formulas
    (the site would publish the value cached in the file, not what Excel shows) and conditional formats that can
    hide a published cell."""
    from openpyxl.utils import get_column_letter

    read = {position: column for column, positions in table.positions.items() for position in positions}
    found = [
        (number, position, reason)
        for number, cells in sorted(unseen.cells.items())
        if number > table.header_row
        for position, reason in cells
        if position in read
    ]
    formulas: dict[int, list[int]] = {}
    groups: dict[tuple, list[tuple[int, int]]] = {}  # a hidden row or column is one finding, not one per cell
    for number, position, reason in found:
        if reason == _FORMULA:
            formulas.setdefault(position, []).append(number)
            continue
        key: tuple = (
            (reason, "rij", number)
            if reason.startswith("de rij")
            else (reason, "kolom", position)
            if "kolom" in reason
            else (reason, "cel", number, position)
        )
        groups.setdefault(key, []).append((number, position))
    for key, cells in list(groups.items())[:20]:
        reason, kind = key[0], key[1]
        named = dict.fromkeys(f"'{table.columns[read[p]]}'" for _, p in cells)
        names = ("kolommen " if len(named) > 1 else "kolom ") + ", ".join(named)
        if kind == "rij":
            where = f"rij {key[2]}, {names}"
        elif kind == "kolom" and len(cells) > 1:
            where = f"rij {row_ranges([n for n, _ in cells])}, {names} (kolom {get_column_letter(key[2] + 1)})"
        elif kind == "kolom":
            where = f"rij {cells[0][0]}, {names} (cel {get_column_letter(key[2] + 1)}{cells[0][0]})"
        else:
            where = f"rij {key[2]}, {names} (cel {get_column_letter(key[3] + 1)}{key[2]})"
        problems.error(
            relpath,
            where,
            f"{'deze cel is' if len(cells) == 1 else 'deze cellen zijn'} in Excel niet te zien ({reason}), maar zou"
            f"{'' if len(cells) == 1 else 'den'} wel gepubliceerd worden. Wie de inventaris goedkeurde, heeft de inhoud dus niet gezien."
            + (f" Werkblad: '{table.sheet}'." if table.sheet else ""),
            _unseen_fix(reason),
            "inventaris.verborgen_cel",
        )
    if len(groups) > 20:
        problems.error(
            relpath,
            "",
            f"nog {len(groups) - 20} cellen, rijen of kolommen zijn in Excel niet te zien maar zouden gepubliceerd worden.",
            "Maak alle rijen, kolommen en cellen van de inventaris zichtbaar en laat het pakket opnieuw goedkeuren.",
            "inventaris.verborgen_cel",
        )
    for position, numbers in sorted(formulas.items()):
        letter = get_column_letter(position + 1)
        span = f"cel {letter}{numbers[0]}" if len(numbers) == 1 else f"cellen {letter}{numbers[0]} en verder"
        problems.error(
            relpath,
            f"rij {row_ranges(numbers)}, kolom '{table.columns[read[position]]}' ({span})",
            f"{'deze cel bevat een formule' if len(numbers) == 1 else 'deze cellen bevatten formules'}. De site zou de uitkomst "
            "publiceren die in het bestand bewaard is, en die kan verschillen van wat Excel na herberekenen toont: wie de "
            "inventaris goedkeurde, heeft dan iets anders gezien dan wat gepubliceerd wordt.",
            "Zet in de inventaris alleen waarden: kopieer de cellen en plak ze terug met 'Plakken speciaal' > 'Waarden', "
            "sla het bestand op en laat het pakket opnieuw goedkeuren.",
            "inventaris.formule",
        )
    merged = _merged_values(table, unseen, read, relpath, problems)
    hidden_formats = _formatted_cells(table, unseen, read)
    for (sqref, reason), cells in list(hidden_formats.items())[:20]:
        names = ", ".join(dict.fromkeys(f"'{table.columns[read[p]]}'" for _, p in cells))
        problems.error(
            relpath,
            f"werkblad '{table.sheet}', cellen {_short(sqref)}: rij {row_ranges([n for n, _ in cells])}, kolom {names}",
            f"op deze cellen staat voorwaardelijke opmaak ({reason}). Of die opmaak geldt, hangt af van een voorwaarde die de "
            "publicatie niet kan nagaan: wie de inventaris goedkeurde, heeft de inhoud misschien niet gezien.",
            "Verwijder de voorwaardelijke opmaak (in Excel: Start > Voorwaardelijke opmaak > Regels wissen > Regels uit "
            "heel blad wissen), sla het bestand op en laat het pakket opnieuw goedkeuren.",
            "inventaris.voorwaardelijke_opmaak",
        )
    return not found and not hidden_formats and not merged


def _merged_values(table: RawTable, unseen: _Unseen, read: dict[int, str], relpath: str, problems: Problems) -> int:
    """Refuse a value in a cell of a merged range other than its top-left one (attack round 8, A11): Excel shows only
    the top-left cell's value over the whole range, the site would publish the hidden one. Only columns the site reads
    (and their header cells) are judged: other cells are not published. Returns the number of such cells."""
    from openpyxl.utils import get_column_letter

    merges = [
        m
        for m in unseen.merged
        if m[2] >= table.header_row and any(m[1] <= position + 1 <= m[3] for position in read) and (m[0], m[1]) != (m[2], m[3])
    ]
    if not merges:
        return 0
    found: list[tuple[int, int, str]] = []  # (row, position, range)
    for low_row, low_col, high_row, high_col, ref in merges:
        if low_row <= table.header_row <= high_row:  # a header cell hidden by a merge names a column no one saw
            found += [
                (table.header_row, p, ref)
                for p in read
                if low_col <= p + 1 <= high_col and (table.header_row, p + 1) != (low_row, low_col)
            ]
    by_number = dict(table.rows)
    for low_row, low_col, high_row, high_col, ref in merges:  # each merge's own rows: few, where the table has many
        numbers = range(max(low_row, table.header_row + 1), high_row + 1)
        for number in numbers if len(numbers) <= len(by_number) else sorted(n for n in by_number if n in numbers):
            values = by_number.get(number)
            if values is None:
                continue
            for position, column in read.items():
                if low_col <= position + 1 <= high_col and (number, position + 1) != (low_row, low_col):
                    if not _blank(values.get(column)):
                        found.append((number, position, ref))
    found.sort()
    for number, position, ref in found[:20]:
        anchor = ref.split(":")[0]
        cell = f"{get_column_letter(position + 1)}{number}"
        problems.error(
            relpath,
            f"rij {number}, kolom '{table.columns[read[position]]}' (cel {cell})",
            f"cel {cell} ligt in het samengevoegde bereik {ref}. Excel toont over het hele bereik alleen de waarde van "
            f"cel {anchor}, maar in cel {cell} staat een eigen waarde die gepubliceerd zou worden. Wie de inventaris "
            "goedkeurde, heeft die waarde niet gezien.",
            f"Selecteer {ref} en hef de samenvoeging op (Start > Samenvoegen en centreren > Samenvoeging opheffen). "
            "Controleer de waarde die dan in elke cel verschijnt, vul elke rij zelf in en laat het pakket opnieuw goedkeuren.",
            "inventaris.samengevoegde_cel",
        )
    if len(found) > 20:
        problems.error(
            relpath,
            "",
            f"nog {len(found) - 20} cellen liggen in een samengevoegd bereik en hebben een waarde die Excel niet toont.",
            "Hef alle samenvoegingen in de inventaris op, vul elke rij zelf in en laat het pakket opnieuw goedkeuren.",
            "inventaris.samengevoegde_cel",
        )
    return len(found)


def _header_columns(rows) -> set[str]:
    """The known columns of the most complete header-like row among the first rows of a sheet (as ``_from_sheets``
    looks at them)."""
    best: set[str] = set()
    scanned = 0
    for _number, row in rows:
        if all(_blank(c) for c in row):
            continue
        known = {column_of(c) for c in row if not _blank(c)} - {None}
        if len(known) > len(best):
            best = known
        scanned += 1
        if scanned >= HEADER_SCAN_ROWS:
            break
    return best


def _one_inventory_sheet(workbook, sheets, by_title: dict, table: RawTable, relpath: str, problems: Problems) -> bool:
    """Refuse a workbook where the approver may have looked at another list than the one the site reads (attack round
    8, A09): a second visible sheet that is an inventory too, or a workbook that opens (its active tab) on another sheet
    with a column of titles or numbers. A workbook that opens on a sheet of lookup values (Beoordeling, Opgeschort:
    no titles), as productierapport tools write it, is accepted: no one takes that for the list. Sheets before the one
    read had no header (``_from_sheets``)."""
    ok = True
    later = False
    for title, rows in sheets:
        if title == table.sheet:
            later = True
            continue
        if later and set(REQUIRED_COLUMNS) <= _header_columns(rows):
            problems.error(
                relpath,
                f"werkblad '{_short(table.sheet)}' en werkblad '{_short(title)}'",
                f"twee zichtbare werkbladen zijn een inventaris: '{_short(table.sheet)}' en '{_short(title)}'. De site leest "
                f"alleen het eerste ('{_short(table.sheet)}'); wie de werkmap goedkeurde, kan het andere hebben bekeken.",
                "Houd één werkblad met de inventaris over: verwijder het andere werkblad (een oude versie of concept hoort "
                "niet in het pakket) en laat het pakket opnieuw goedkeuren.",
                "inventaris.werkblad",
            )
            ok = False
    try:
        active = workbook.active
    except Exception:  # noqa: BLE001 - an active tab that names no sheet: Excel opens on the first
        active = None
    title = getattr(active, "title", None)
    if ok and title in by_title and title != table.sheet and {"document", "nr"} & _header_columns(_sheet_rows(active, _Unseen())):
        problems.error(
            relpath,
            f"werkblad '{_short(table.sheet)}'",
            f"Excel opent deze werkmap op werkblad '{_short(title)}', met een lijst van documenten, maar de site leest de "
            f"inventaris van werkblad '{_short(table.sheet)}'. Wie de werkmap opende, heeft dus misschien een andere lijst "
            "gezien dan de lijst die gepubliceerd wordt.",
            f"Verwijder de werkbladen die niet bij de inventaris horen, of klik op het tabblad '{_short(table.sheet)}' en "
            "sla de werkmap op (dan opent Excel daarop); laat het pakket daarna opnieuw goedkeuren.",
            "inventaris.werkblad",
        )
        ok = False
    return ok


_SHEET_DRAWING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
_SHEET_VML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
_XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
_LARGEST_DRAWING = 16 * 1024 * 1024  # bytes of one drawing part read; a larger one refuses the sheet
_EMU_COLUMN = 9525 * 20  # the narrowest column taken for a shape sized in EMU (20 pixels): errs towards covering more
_EMU_ROW = 12700 * 10  # the lowest row taken (10 points)


def _nothing_drawn_over(sheet, table: RawTable, relpath: str, problems: Problems) -> bool:
    """Refuse shapes, pictures, text boxes, charts and always-shown notes that lie over the cells the site reads (the
    header row down to the last row, the columns read): Excel draws them over the cells, so a white rectangle can
    cover a name the site publishes (attack round 8, A12). The drawing parts are read from the workbook's zip (openpyxl
    does not keep drawings in read-only mode) with openpyxl's XML reader, at most ``_LARGEST_DRAWING`` bytes each."""
    import posixpath
    import re as _re

    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.xml.functions import fromstring

    archive = sheet.parent._archive
    rels_path = get_rels_path(sheet._worksheet_path)
    if rels_path not in archive.namelist():
        return True
    damaged = _Unreadable(
        f"werkblad '{sheet.title}'",
        "de vormen of afbeeldingen op dit werkblad zijn niet te lezen: het bestand is beschadigd.",
        "Verwijder de vormen, afbeeldingen en opmerkingen van het werkblad, of open het bestand in Excel en sla het "
        "opnieuw op als .xlsx (Excel-werkmap).",
        "inventaris.xlsx",
    )
    try:
        parts = [(r.Type, r.target) for r in get_dependents(archive, rels_path) if r.TargetMode != "External"]
    except Exception:  # noqa: BLE001 - unreadable relationships: what they draw cannot be judged
        raise damaged from None
    last_row = table.rows[-1][0] if table.rows else table.header_row
    columns = sorted(p + 1 for positions in table.positions.values() for p in positions)
    covered: list[tuple[str, str]] = []  # (what, where)

    def over(first_row: int, first_col: int, last_r: float, last_c: float) -> bool:
        return first_row <= last_row and last_r >= table.header_row and any(first_col <= c <= last_c for c in columns)

    for kind, target in parts:
        if kind not in (_SHEET_DRAWING, _SHEET_VML):
            continue
        name = posixpath.normpath(target)
        try:
            info = archive.getinfo(name)
        except KeyError:
            raise damaged from None
        if info.file_size > _LARGEST_DRAWING:
            raise damaged
        data = archive.read(name)
        if kind == _SHEET_DRAWING:
            try:
                root = fromstring(data)
            except Exception:  # noqa: BLE001
                raise damaged from None
            for anchor in root.iter():
                tag = anchor.tag if isinstance(anchor.tag, str) else ""
                if tag not in (f"{_XDR}twoCellAnchor", f"{_XDR}oneCellAnchor", f"{_XDR}absoluteAnchor"):
                    continue
                label = next((e.get("name") for e in anchor.iter() if str(e.tag).endswith("}cNvPr")), None) or "zonder naam"
                start = anchor.find(f"{_XDR}from")
                if tag == f"{_XDR}absoluteAnchor" or start is None:  # placed in EMU from the sheet's corner: anywhere
                    covered.append((f"de vorm '{_short(label)}'", "ergens op het werkblad"))
                    continue
                col = int(_number(start.findtext(f"{_XDR}col"))) + 1
                row = int(_number(start.findtext(f"{_XDR}row"))) + 1
                end = anchor.find(f"{_XDR}to")
                if end is not None:
                    to_col = int(_number(end.findtext(f"{_XDR}col"))) + 1
                    to_row = int(_number(end.findtext(f"{_XDR}row"))) + 1
                    to_col -= 1 if _number(end.findtext(f"{_XDR}colOff")) <= 0 and to_col > col else 0
                    to_row -= 1 if _number(end.findtext(f"{_XDR}rowOff")) <= 0 and to_row > row else 0
                else:
                    ext = anchor.find(f"{_XDR}ext")
                    size = (_number(ext.get("cx")), _number(ext.get("cy"))) if ext is not None else (1e12, 1e12)
                    to_col, to_row = col + int(size[0] // _EMU_COLUMN), row + int(size[1] // _EMU_ROW)
                if over(row, col, to_row, to_col):
                    covered.append((f"de vorm '{_short(label)}'", _cells(row, col, to_row, to_col)))
        else:  # VML: notes (shown only when pointed at, unless always shown), old form controls and shapes
            for block in _re.findall(rb"<x:ClientData\b(.*?)</x:ClientData>", data, flags=_re.S)[:10_000]:
                if b'ObjectType="Note"' in block[:200] and b"<x:Visible" not in block:
                    continue
                numbers = _re.search(rb"<x:Anchor>([^<]*)</x:Anchor>", block)
                values = [int(_number(v)) for v in numbers.group(1).split(b",")] if numbers else []
                what = "een opmerking die altijd zichtbaar is" if b'ObjectType="Note"' in block[:200] else "een vorm of knop"
                if len(values) != 8:
                    covered.append((what, "ergens op het werkblad"))
                elif over(values[2] + 1, values[0] + 1, values[6] + 1, values[4] + 1):
                    covered.append((what, _cells(values[2] + 1, values[0] + 1, values[6] + 1, values[4] + 1)))
    for what, where in covered[:10]:
        problems.error(
            relpath,
            f"werkblad '{_short(sheet.title)}', {where}",
            f"{what} ligt over de cellen van de inventaris die gepubliceerd worden. Excel tekent vormen, afbeeldingen en "
            "tekstvakken over de cellen: wat eronder staat (bijvoorbeeld een naam onder een wit vlak), heeft wie de "
            "inventaris goedkeurde niet gezien, maar de site publiceert het wel.",
            "Verwijder de vormen, afbeeldingen, tekstvakken en vastgezette opmerkingen van het werkblad (in Excel: Start > "
            "Zoeken en selecteren > Selectievenster, of Ga naar speciaal > Objecten, en dan Delete), controleer de cellen "
            "eronder en laat het pakket opnieuw goedkeuren.",
            "inventaris.vorm_over_cellen",
        )
    if len(covered) > 10:
        problems.error(
            relpath,
            f"werkblad '{_short(sheet.title)}'",
            f"nog {len(covered) - 10} vormen of afbeeldingen liggen over de cellen van de inventaris.",
            "Verwijder alle vormen, afbeeldingen en tekstvakken van het werkblad en laat het pakket opnieuw goedkeuren.",
            "inventaris.vorm_over_cellen",
        )
    return not covered


def _cells(first_row: int, first_col: int, last_row: float, last_col: float) -> str:
    """'cellen B2:C3' for a box of cells (1-based)."""
    from openpyxl.utils import get_column_letter

    first_row, first_col = max(1, first_row), max(1, min(first_col, 16_384))
    last_col = int(min(max(last_col, first_col), 16_384))
    last_row = int(min(max(last_row, first_row), EXCEL_MAX_ROW))
    first = f"{get_column_letter(first_col)}{first_row}"
    last = f"{get_column_letter(last_col)}{last_row}"
    return f"cel {first}" if first == last else f"cellen {first}:{last}"


def _unseen_fix(reason: str) -> str:
    """How staff make a cell Excel does not show visible, for the reason it is hidden."""
    if reason.startswith("de tabelopmaak"):
        return (
            "Geef de tabel een gewone tabelstijl (Tabelontwerp > Tabelstijlen, bijvoorbeeld 'Gemiddeld 2') of zet hem om naar "
            "een bereik (Tabelontwerp > Converteren naar bereik), haal eigen tekst- en opvulkleuren weg die tegen de tabel "
            "wegvallen, en laat het pakket opnieuw goedkeuren."
        )
    if "onder de rand van de cel" in reason:
        return (
            "Maak de rij zo hoog dat alle regels te zien zijn (Start > Opmaak > Rijhoogte automatisch aanpassen), of zet "
            "de tekst op minder regels, en laat het pakket opnieuw goedkeuren."
        )
    if "getalnotatie" in reason:
        return (
            "Zet de getalnotatie van de cel op 'Standaard' of 'Tekst' (Start > Getal, of Cellen opmaken > Getal), controleer "
            "de tekst die nu in de cel te zien is en laat het pakket opnieuw goedkeuren."
        )
    if "lettertype" in reason:
        return (
            "Geef de cel (en elk deel van de tekst erin) een gewoon lettertype zoals Calibri of Arial (Start > Lettertype), "
            "controleer de tekst die dan te zien is en laat het pakket opnieuw goedkeuren."
        )
    if reason == _ROTATED:
        return (
            "Zet de afdrukstand van de tekst op 0 graden (Cellen opmaken > Uitlijning > Afdrukstand), controleer de hele "
            "tekst en laat het pakket opnieuw goedkeuren."
        )
    if reason == "de rij is verborgen":
        return (
            "Maak de rij zichtbaar: selecteer de rijen erboven en eronder, klik met de rechtermuisknop op de rijnummers en kies "
            "'Zichtbaar maken'. Controleer de tekst die dan te zien is en laat het pakket opnieuw goedkeuren."
        )
    if reason == "de kolom is verborgen":
        return (
            "Maak de kolom zichtbaar: selecteer de kolommen links en rechts ervan, klik met de rechtermuisknop op de "
            "kolomletters en kies 'Zichtbaar maken'. Controleer de tekst die dan te zien is en laat het pakket opnieuw "
            "goedkeuren."
        )
    if (
        reason.startswith("de rij is")
        and ("punt hoog" in reason or "zo laag" in reason)
        or "zeroHeight" in reason
        or "rijhoogte" in reason
    ):
        return (
            "Geef de rij een normale hoogte (selecteer de rijen, Start > Opmaak > Rijhoogte automatisch aanpassen, of "
            "Rijhoogte 15), controleer de tekst die dan te zien is en laat het pakket opnieuw goedkeuren."
        )
    if "tekens breed" in reason or "kolombreedte" in reason:
        return (
            "Maak de kolom breed genoeg voor de tekst (Start > Opmaak > Kolombreedte automatisch aanpassen), controleer de "
            "tekst die dan te zien is en laat het pakket opnieuw goedkeuren."
        )
    if "Tekst passend maken" in reason:
        return (
            "Zet 'Tekst passend maken' uit (Cellen opmaken > Uitlijning) en kies 'Tekstterugloop', of maak de kolom zo breed "
            "dat de tekst op normale grootte past, en laat het pakket opnieuw goedkeuren."
        )
    return (
        "Maak de cel zichtbaar (rij en kolom zichtbaar, getalnotatie 'Standaard', donkere tekst van normale grootte op een "
        "lichte achtergrond, niet ingesprongen) of maak haar leeg, en laat het pakket opnieuw goedkeuren."
    )


def _formatted_cells(table: RawTable, unseen: _Unseen, read: dict[int, str]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """The published cells (with a value, below the header) that a hiding conditional format covers, per format."""
    found: dict[tuple[str, str], list[tuple[int, int]]] = {}
    if not unseen.ranges:
        return found
    for number, values in table.rows:
        for low_row, low_col, high_row, high_col, sqref, reason in unseen.ranges:
            if not low_row <= number <= high_row:
                continue
            for position, column in read.items():
                if low_col <= position + 1 <= high_col and not _blank(values.get(column)):
                    found.setdefault((sqref, reason), []).append((number, position))
    return found


# -- Both ------------------------------------------------------------------------------------
def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _from_sheets(
    sheets, relpath: str, problems: Problems, limits: InventoryLimits, hidden: Sequence[str] = ()
) -> RawTable | None:
    """The table below the first recognisable header row, in the first sheet that has one."""
    looked: list[str] = []
    best: tuple[tuple, str | None, int, list[str]] | None = None  # (score, sheet, row, missing)
    any_rows = False
    for sheet, rows in sheets:
        scanned: list[int] = []
        for number, row in rows:
            if all(_blank(c) for c in row):
                continue
            any_rows = True
            scanned.append(number)
            found = [column_of(c) for c in row if not _blank(c)]
            known = {c for c in found if c}
            missing = [c for c in REQUIRED_COLUMNS if c not in known]
            if not missing:
                return _table(sheet, number, row, rows, relpath, problems, limits)
            score = (len(REQUIRED_COLUMNS) - len(missing), len(known))  # closest to a complete header
            if known and (best is None or score > best[0]):
                best = (score, sheet, number, missing)
            if len(scanned) >= HEADER_SCAN_ROWS:
                break
        where = f"werkblad '{sheet}'" if sheet is not None else "het bestand"
        looked.append(f"{where} (regel {scanned[0]} t/m {scanned[-1]})" if scanned else f"{where} (leeg)")
    if not any_rows and not hidden:
        problems.error(
            relpath,
            "",
            "de inventaris is leeg: er staat geen kopregel in.",
            "Zet in de eerste regel de kolomnamen (nr, document, beoordeling, ...) en daaronder één regel per document.",
            "inventaris.leeg",
        )
        return None
    message = "de kopregel met de kolomnamen is niet gevonden. Bekeken: " + "; ".join(looked)
    if hidden:
        message += "; verborgen werkbladen zijn overgeslagen (" + ", ".join(f"'{h}'" for h in hidden) + ")"
    if best is not None:
        _, sheet, number, missing = best
        place = f"regel {number}" + (f" van werkblad '{sheet}'" if sheet is not None else "")
        message += f". Het meest lijkt {place} op een kopregel, maar daarin ontbreekt: " + ", ".join(f"'{m}'" for m in missing)
    else:
        message += ". Geen van die regels bevat bekende kolomnamen"
    fix = (
        "Zet boven de documenten één kopregel met minstens de kolommen "
        + ", ".join(f"'{c}' (ook: {', '.join(_ALIASES[c][1:4])})" for c in REQUIRED_COLUMNS)
        + "."
    )
    problems.error(relpath, "", message + ".", fix, "inventaris.kolom_ontbreekt")
    return None


def _table(sheet, header_row: int, header: list, rows, relpath: str, problems: Problems, limits: InventoryLimits) -> RawTable:
    table = RawTable(sheet=sheet, header_row=header_row)
    index: dict[str, list[int]] = {}
    unknown: list[str] = []
    ok = True
    for pos, cell in enumerate(header):
        if _blank(cell):
            continue
        column = column_of(cell)
        if column is None:
            words = restriction_words(cell)
            if words:
                name = _short(str(cell).strip())
                problems.error(
                    relpath,
                    f"regel {header_row} (kopregel), kolom '{name}'",
                    f"de kolom '{name}' klinkt alsof hij beperkt wat er gepubliceerd mag worden ("
                    + ", ".join(f"'{w}'" for w in dict.fromkeys(words))
                    + "), maar de site kent deze kolom niet: hij zou alle documenten volledig publiceren, wat er in "
                    "deze kolom ook staat. Daarom wordt het pakket niet gepubliceerd.",
                    "Zet een opgeschorte publicatie in een kolom met de naam 'Opgeschort' (Ja of Nee per document) en "
                    "de beoordeling in de kolom 'beoordeling' (openbaar, deels openbaar, niet openbaar, reeds openbaar) "
                    "met de gronden in 'gronden'. Zegt de kolom niets over wat er gepubliceerd mag worden, verwijder hem "
                    "dan uit de inventaris.",
                    "inventaris.kolom_beperking",
                )
                ok = False
                continue
            unknown.append(str(cell).strip())
            continue
        if column in index and column == "opgeschort":
            problems.error(
                relpath,
                f"regel {header_row} (kopregel), kolom '{_short(str(cell).strip())}'",
                f"twee kolommen gaan over opschorting: '{_short(table.columns[column])}' en '{_short(str(cell).strip())}'. "
                "De site weet niet welke geldt en publiceert het pakket daarom niet.",
                "Houd één kolom 'Opgeschort' over, met per document Ja (opgeschort) of Nee, en verwijder de andere kolom.",
                "inventaris.kolom_dubbel",
            )
            ok = False
            continue
        if column in index and column not in MERGED_COLUMNS:
            problems.error(
                relpath,
                f"regel {header_row} (kopregel), kolom '{cell}'",
                f"deze kolom betekent hetzelfde als kolom '{table.columns[column]}' ({column}).",
                "Houd één van beide kolommen over.",
                "inventaris.kolom_dubbel",
            )
            ok = False
            continue
        index.setdefault(column, []).append(pos)
        table.positions = index
        table.columns.setdefault(column, str(cell).strip())
        if column == "datum" and "utc" in header_key(cell):
            table.utc_dates = True
    if unknown:
        names = ", ".join(f"'{_short(u)}'" for u in unknown[:20]) + (f" en nog {len(unknown) - 20}" if len(unknown) > 20 else "")
        problems.warning(
            relpath,
            f"regel {header_row} (kopregel)",
            f"{'deze kolom is' if len(unknown) == 1 else 'deze kolommen zijn'} onbekend: de site leest "
            f"{'hem' if len(unknown) == 1 else 'ze'} niet en {'publiceert hem' if len(unknown) == 1 else 'publiceert ze'} "
            f"niet: {names}. Wat erin staat, heeft dus ook geen effect op wat er gepubliceerd wordt.",
            "Controleer of de kolom iets zegt over wat er gepubliceerd mag worden (opschorting, weigering, lakken): "
            "zet dat dan in een bekende kolom. De bekende kolommen zijn: " + ", ".join(COLUMN_LABELS[c] for c in COLUMNS) + ".",
            "inventaris.kolom_onbekend",
        )
    used = {i for positions in index.values() for i in positions}
    too_many: list[int] = []
    too_long: dict[str, list[int]] = {}
    count = 0
    last_line = max(EXCEL_MAX_ROW, 2 * limits.rows)  # empty lines count here: millions of them take time too
    for number, row in rows:
        if number > last_line:
            problems.error(
                relpath,
                "",
                f"de inventaris heeft meer dan {last_line} regels (ook lege regels tellen mee).",
                "Verwijder de lege regels onder de lijst, of sla het bestand opnieuw op.",
                "inventaris.te_veel_rijen",
            )
            return None
        if all(_blank(c) for c in row):
            continue
        count += 1
        if count > limits.rows:
            problems.error(
                relpath,
                "",
                f"de inventaris heeft meer dan {limits.rows} rijen (gelezen tot regel {number}).",
                "Splits het verzoek in deelbesluiten, of vraag de beheerder de grens voor het aantal rijen te verhogen.",
                "inventaris.te_veel_rijen",
            )
            return None
        for pos, cell in enumerate(row):
            if isinstance(cell, str) and len(cell) > limits.cell_chars:
                too_long.setdefault(
                    str(header[pos]).strip() if pos < len(header) and not _blank(header[pos]) else f"kolom {pos + 1}", []
                ).append(number)
                row[pos] = cell[: limits.cell_chars]
        values: dict[str, object] = {}
        for column, positions in index.items():
            cells = [row[i] for i in positions if i < len(row)]
            if column in MERGED_COLUMNS:
                texts = [cell_text(c) for c in cells if not _blank(c)]
                values[column] = " | ".join(texts) if texts else None
            else:
                values[column] = cells[0] if cells else None
        if any(i >= len(header) and i not in used and not _blank(c) for i, c in enumerate(row)):
            too_many.append(number)
        table.rows.append((number, values))
    for column, numbers in too_long.items():
        problems.error(
            relpath,
            f"rij {row_ranges(numbers)}, kolom '{_short(column)}'",
            f"een cel is langer dan {limits.cell_chars} tekens.",
            "Kort de tekst in; de inventaris is een lijst, geen plaats voor hele documenten.",
            "inventaris.cel_te_lang",
        )
    if too_many:
        problems.error(
            relpath,
            f"rij {row_ranges(too_many)}",
            "deze rij heeft meer cellen dan er kolommen zijn.",
            "Controleer of een scheidingsteken (komma of puntkomma) in een tekst staat; zet zo'n tekst tussen "
            "aanhalingstekens, of geef de kolom een naam in de kopregel.",
            "inventaris.te_veel_cellen",
        )
    table.refused = not ok  # refused for its header; its rows are read and checked all the same (new-user round 12)
    return table


def address_clashes(numbers: list[tuple[str, int]], relpath: str, column: str, problems: Problems) -> None:
    """Refuse an inventory where two different numbers give a document the same address on the site (``B`` and
    ``b``, ``10.2`` and ``10-2``): one document's page or PDF would stand in for the other's."""
    from . import urls

    for (first, first_row), (nr, row) in urls.document_address_clashes(numbers):
        anchor = urls.document_anchor(nr)
        problems.error(
            relpath,
            f"rij {row}, {column}",
            f"nummer '{_short(nr)}' (rij {row}) en nummer '{_short(first)}' (rij {first_row}) geven op de site hetzelfde "
            f"adres (document-{_short(anchor)}.pdf): hoofdletters, leestekens, spaties en accenten tellen in het adres "
            "niet mee. Het ene document zou de pagina of het bestand van het andere krijgen.",
            "Geef elk document een nummer dat ook zonder hoofdletters, leestekens en accenten verschilt van de andere "
            "nummers, en keur het pakket opnieuw goed.",
            "inventaris.nr_zelfde_adres",
        )


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",") if n >= 1024 * 1024 else f"{n} bytes"


def _short(text: str, limit: int = 60) -> str:
    text = re.sub(r"\s+", " ", str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell_text(value) -> str:
    """A cell as text: numbers from Excel lose their '.0', dates become ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()
