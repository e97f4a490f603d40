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
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problems, row_ranges

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


def column_of(header) -> str | None:
    """The canonical column a header names; digit prefixes (``01 Document``, ``6. Datum``) are ignored."""
    key = header_key(header)
    if key in HEADER_TO_COLUMN:
        return HEADER_TO_COLUMN[key]
    stripped = re.sub(r"^\d+", "", key)
    return HEADER_TO_COLUMN.get(stripped) if stripped != key else None


@dataclass
class RawTable:
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # canonical column -> header as written
    sheet: str | None = None  # the worksheet read (xlsx)
    header_row: int = 0
    utc_dates: bool = False  # the date column is headed as UTC (``Datum (UTC)``)
    positions: dict[str, list[int]] = field(default_factory=dict)  # canonical column -> cell positions read

    @property
    def rows_read(self) -> int:
        return len(self.rows)


def read_table(path: Path, relpath: str, problems: Problems, limits: InventoryLimits = DEFAULT_LIMITS) -> RawTable | None:
    """Read the inventory; returns None (with problems added) when it cannot be read at all."""
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

    def rows():
        try:
            for number, row in enumerate(reader, start=1):
                yield number, row
        except csv.Error as exc:
            raise _Unreadable(
                f"regel {reader.line_num}",
                f"de CSV kan niet gelezen worden ({exc}).",
                "Controleer aanhalingstekens in deze regel of sla het bestand opnieuw op vanuit Excel.",
                "inventaris.csv",
            ) from None

    try:
        return _from_sheets([(None, rows())], relpath, problems, limits)
    except _Unreadable as exc:
        problems.error(relpath, exc.location, exc.message, exc.fix, exc.code)
        return None


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
            unseen: dict[str, dict[int, list[tuple[int, str]]]] = {}
            for sheet in workbook.worksheets:
                if not hasattr(sheet, "iter_rows"):
                    continue
                if getattr(sheet, "sheet_state", "visible") != "visible":
                    hidden.append(sheet.title)
                    continue
                sheets.append((sheet.title, _sheet_rows(sheet, unseen.setdefault(sheet.title, {}))))
            table = _from_sheets(sheets, relpath, problems, limits, hidden)
            if table is not None and not _all_seen(table, unseen.get(table.sheet or "", {}), relpath, problems):
                return None
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


def _sheet_rows(sheet, unseen: dict[int, list[tuple[int, str]]]):
    """Every row of a sheet with its number as Excel shows it, whatever ``<dimension>`` says.

    Cells with a value that Excel does not show (a hidden or zero-height row, a hidden or zero-width
    column, a number format such as ``;;;`` that shows nothing, a font in the colour of the cell) are
    noted in ``unseen`` (row number -> [(position, reason)]): the approver did not see them, so they
    may not be published (see ``_all_seen``). openpyxl's read-only rows do not carry row and column
    visibility, so the sheet is read with its worksheet parser (pinned openpyxl 3.x) in one pass."""
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = sheet.parent
    looks = _CellLooks(workbook)
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        expected = 1
        hidden_columns: set[int] | None = None
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
            for empty in range(expected, number):
                yield empty, []
            expected = number + 1
            row_reason = _hidden_row(parser.row_dimensions.get(str(number)))
            width = max((c["column"] for c in cells), default=0)
            values: list = [None] * width
            for cell in cells:
                position, value = cell["column"] - 1, cell["value"]
                values[position] = value
                if _blank(value):
                    continue
                reason = row_reason or ("de kolom is verborgen" if cell["column"] in hidden_columns else None)
                reason = reason or looks.hides(cell.get("style_id", 0), value)
                if reason:
                    unseen.setdefault(number, []).append((position, reason))
            yield number, values
    if hidden_columns is not None and _hidden_columns(parser.column_dimensions) != hidden_columns:
        raise _Unreadable(  # Excel writes <cols> before the cells; later ones would judge rows already read
            f"werkblad '{sheet.title}'",
            "de kolominstellingen staan na de cellen: het bestand is beschadigd.",
            "Open het bestand in Excel en sla het opnieuw op als .xlsx (Excel-werkmap).",
            "inventaris.xlsx",
        )


_HIDDEN = ("1", "true")


def _hidden_row(attributes: dict | None) -> str | None:
    if not attributes:
        return None
    if str(attributes.get("hidden", "")).lower() in _HIDDEN:
        return "de rij is verborgen"
    try:
        if float(attributes.get("ht", 15)) < 2:
            return "de rij is zo laag dat niets te zien is"
    except ValueError:
        return "de rijhoogte is onleesbaar"
    return None


def _hidden_columns(dimensions: dict) -> set[int]:
    """Column numbers (1-based) that are hidden or too narrow to show anything."""
    from openpyxl.utils import column_index_from_string

    hidden: set[int] = set()
    for attributes in dimensions.values():
        try:
            narrow = float(attributes.get("width", 9)) < 0.5
        except ValueError:
            narrow = True
        if str(attributes.get("hidden", "")).lower() in _HIDDEN or narrow:
            first = int(attributes.get("min") or column_index_from_string(attributes["index"]))
            last = min(int(attributes.get("max") or first), 16_384)  # Excel's last column XFD
            hidden.update(range(first, last + 1))
    return hidden


# Office's default theme colours in the order cell styles number them (0 is the background, "Achtergrond 1").
_THEME = ["FFFFFF", "000000", "E7E6E6", "44546A", "4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47", "0563C1", "954F72"]
_LEAST_CONTRAST = 1.5  # WCAG contrast ratio below which text is practically invisible on its background


class _CellLooks:
    """Whether a cell's style hides its value: computed once per style (a workbook has few)."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.known: dict[tuple[int, bool], str | None] = {}

    def hides(self, style_id: int, value) -> str | None:
        key = (style_id, isinstance(value, str))
        if key not in self.known:
            self.known[key] = self._judge(style_id, isinstance(value, str))
        return self.known[key]

    def _judge(self, style_id: int, text: bool) -> str | None:
        styles = self.workbook._cell_styles
        if not 0 <= style_id < len(styles):
            return None
        style = styles[style_id]
        number_format = (
            self.workbook._number_formats[style.numFmtId - 164] if style.numFmtId >= 164 else None
        )  # built-in formats (below 164) all show their value
        if number_format is not None and _format_hides(number_format, text):
            return f"de getalnotatie '{number_format}' toont niets"
        fonts, fills = self.workbook._fonts, self.workbook._fills
        font = fonts[style.fontId] if 0 <= style.fontId < len(fonts) else None
        fill = fills[style.fillId] if 0 <= style.fillId < len(fills) else None
        if font is not None and font.sz is not None and float(font.sz) < 2:
            return "de letters zijn te klein om te lezen"
        ink = _colour(getattr(font, "color", None), "000000")
        paper = "FFFFFF"
        if fill is not None and getattr(fill, "patternType", None) == "solid":
            paper = _colour(getattr(fill, "fgColor", None), "FFFFFF")
        if _contrast(ink, paper) < _LEAST_CONTRAST:
            return "de tekst heeft (bijna) de kleur van de cel"
        return None


def _format_hides(number_format: str, text: bool) -> bool:
    """An Excel number format that shows nothing for the cell's kind of value (";;;", ";;" for numbers)."""
    sections, current, quoted = [], "", False
    for char in number_format:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += char
    sections.append(current)

    def empty(section: str) -> bool:
        return not re.sub(r'\[[^\]]*\]|""|\s', "", section)

    if text:  # text takes the fourth section; with fewer sections it is shown as it is
        return len(sections) >= 4 and empty(sections[3])
    return any(empty(s) for s in sections[:3]) if len(sections) > 1 else empty(sections[0])


def _colour(colour, default: str) -> str:
    if colour is None:
        return default
    rgb = getattr(colour, "rgb", None)
    if isinstance(rgb, str) and re.fullmatch(r"[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?", rgb):
        base = rgb[-6:].upper()
    elif getattr(colour, "theme", None) is not None and 0 <= int(colour.theme) < len(_THEME):
        base = _THEME[int(colour.theme)]
    else:
        return default  # indexed and automatic colours: Excel's default palette keeps them readable
    tint = float(getattr(colour, "tint", 0) or 0)
    channels = [int(base[i : i + 2], 16) for i in (0, 2, 4)]
    if tint:
        channels = [round(c + (255 - c) * tint) if tint > 0 else round(c * (1 + tint)) for c in channels]
    return "".join(f"{max(0, min(255, c)):02X}" for c in channels)


def _contrast(first: str, second: str) -> float:
    def luminance(rgb: str) -> float:
        def linear(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (linear(int(rgb[i : i + 2], 16) / 255) for i in (0, 2, 4))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _all_seen(table: RawTable, unseen: dict[int, list[tuple[int, str]]], relpath: str, problems: Problems) -> bool:
    """Refuse cells the approver could not see in Excel but the site would publish (a column it reads)."""
    from openpyxl.utils import get_column_letter

    read = {position: column for column, positions in table.positions.items() for position in positions}
    found = [
        (number, position, reason)
        for number, cells in sorted(unseen.items())
        if number > table.header_row
        for position, reason in cells
        if position in read
    ]
    groups: dict[tuple, list[tuple[int, int]]] = {}  # a hidden row or column is one finding, not one per cell
    for number, position, reason in found:
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
        names = ", ".join(dict.fromkeys(f"'{table.columns[read[p]]}'" for _, p in cells))
        if kind == "rij":
            where = f"rij {key[2]}, kolom {names}"
        elif kind == "kolom":
            where = f"rij {row_ranges([n for n, _ in cells])}, kolom {names} (kolom {get_column_letter(key[2] + 1)})"
        else:
            where = f"rij {key[2]}, kolom {names} (cel {get_column_letter(key[3] + 1)}{key[2]})"
        problems.error(
            relpath,
            where,
            f"{'deze cel is' if len(cells) == 1 else 'deze cellen zijn'} in Excel niet te zien ({reason}), maar zou"
            f"{'' if len(cells) == 1 else 'den'} wel gepubliceerd worden. Wie de inventaris goedkeurde, heeft de inhoud dus niet gezien.",
            "Maak de cel zichtbaar (rij en kolom zichtbaar, getalnotatie 'Standaard', donkere tekst op een lichte "
            "achtergrond) of maak haar leeg, en laat het pakket opnieuw goedkeuren.",
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
    return not found


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
            unknown.append(str(cell).strip())
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
            f"{'deze kolom is' if len(unknown) == 1 else 'deze kolommen zijn'} onbekend en "
            f"{'wordt' if len(unknown) == 1 else 'worden'} niet gepubliceerd: {names}.",
            "Dat is goed als de kolom niet op de site hoort. Anders: geef hem een van de namen "
            + ", ".join(COLUMN_LABELS[c] for c in COLUMNS)
            + ".",
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
    return table if ok else None


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
