"""Read an inventory table (CSV or .xlsx) into raw rows keyed by canonical column names.

Only reading happens here; what a cell must contain is checked in ``package.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problems

COLUMNS = ("nr", "document", "datum", "beoordeling", "gronden", "bestand", "link", "toelichting")
REQUIRED_COLUMNS = ("nr", "document", "beoordeling")

_ALIASES = {
    "nr": ["nr", "nummer", "documentnummer", "documentnr", "documentid", "docnr", "id", "volgnummer"],
    "document": ["document", "documentnaam", "omschrijving", "titel", "documenttitel"],
    "datum": ["datum", "documentdatum"],
    "beoordeling": ["beoordeling", "oordeel", "besluit"],
    "gronden": [
        "gronden", "weigeringsgronden", "weigeringsgrond", "grond", "woo", "wob",
        "uitzonderingsgronden", "uitzonderingsgrond", "woogronden", "wobgronden",
    ],
    "bestand": ["bestand", "bestandsnaam", "bestandnaam", "file", "filename"],
    "link": ["link", "publiekelink", "vindplaats", "url"],
    "toelichting": ["toelichting", "opmerking", "opmerkingen"],
}
HEADER_TO_COLUMN = {alias: column for column, aliases in _ALIASES.items() for alias in aliases}


def header_key(text: str) -> str:
    """Header names match regardless of case, spaces and punctuation: ``Nr.`` is ``nr``."""
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


@dataclass
class RawTable:
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # canonical column -> header as written


def read_table(path: Path, relpath: str, problems: Problems) -> RawTable | None:
    """Read the inventory; returns None (with problems added) when it cannot be read at all."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        grid = _read_csv(path, relpath, problems)
    elif suffix == ".xlsx":
        grid = _read_xlsx(path, relpath, problems)
    else:
        problems.error(relpath, "", f"de inventaris heeft het bestandstype '{suffix or 'geen'}'.",
                       "Lever de inventaris aan als .csv (UTF-8) of .xlsx.", "inventaris.type")
        return None
    if grid is None:
        return None
    return _to_table(grid, relpath, problems)


def _read_csv(path: Path, relpath: str, problems: Problems) -> list[tuple[int, list]] | None:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(relpath, f"regel {line}", "het bestand is geen geldige UTF-8-tekst.",
                       "Sla de inventaris in Excel op als 'CSV UTF-8 (door komma's gescheiden)'.",
                       "inventaris.codering")
        return None
    first_line = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ";"))
    if counts[delimiter] == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(i, row) for i, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        problems.error(relpath, f"regel {reader.line_num}", f"de CSV kan niet gelezen worden ({exc}).",
                       "Controleer aanhalingstekens in deze regel of sla het bestand opnieuw op vanuit Excel.",
                       "inventaris.csv")
        return None


def _read_xlsx(path: Path, relpath: str, problems: Problems) -> list[tuple[int, list]] | None:
    import zipfile

    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        problems.error(relpath, "", f"het Excel-bestand kan niet geopend worden ({type(exc).__name__}).",
                       "Open het bestand in Excel en sla het opnieuw op als .xlsx.", "inventaris.xlsx")
        return None
    try:
        sheet = workbook.worksheets[0]
        return [(i, list(row)) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _to_table(grid: list[tuple[int, list]], relpath: str, problems: Problems) -> RawTable | None:
    grid = [(n, row) for n, row in grid if not all(_blank(c) for c in row)]
    if not grid:
        problems.error(relpath, "", "de inventaris is leeg: er staat geen kopregel in.",
                       "Zet in de eerste regel de kolomnamen (nr, document, beoordeling, ...) en daaronder één regel per document.",
                       "inventaris.leeg")
        return None
    header_row, header = grid[0]
    table = RawTable()
    index: dict[str, int] = {}
    ok = True
    for pos, cell in enumerate(header):
        if _blank(cell):
            continue
        column = HEADER_TO_COLUMN.get(header_key(cell))
        if column is None:
            problems.warning(relpath, f"kolom '{cell}'",
                             "deze kolom is onbekend en wordt niet gepubliceerd.",
                             "Verwijder de kolom of geef hem een van de namen: " + ", ".join(COLUMNS) + ".",
                             "inventaris.kolom_onbekend")
            continue
        if column in index:
            problems.error(relpath, f"kolom '{cell}'",
                           f"deze kolom betekent hetzelfde als kolom '{table.columns[column]}' ({column}).",
                           "Houd één van beide kolommen over.", "inventaris.kolom_dubbel")
            ok = False
            continue
        index[column] = pos
        table.columns[column] = str(cell).strip()
    for column in REQUIRED_COLUMNS:
        if column not in index:
            problems.error(relpath, f"regel {header_row} (kopregel)", f"de verplichte kolom '{column}' ontbreekt.",
                           f"Voeg een kolom '{column}' toe (ook goed: {', '.join(_ALIASES[column][1:4])}).",
                           "inventaris.kolom_ontbreekt")
            ok = False
    if not ok:
        return None
    for number, row in grid[1:]:
        values = {c: (row[i] if i < len(row) else None) for c, i in index.items()}
        extra = [c for i, c in enumerate(row) if i not in index.values() and not _blank(c)
                 and i >= len(header)]
        if extra:
            problems.error(relpath, f"rij {number}", "deze rij heeft meer cellen dan er kolommen zijn.",
                           "Controleer of een scheidingsteken (komma of puntkomma) in een tekst staat; zet zo'n tekst tussen aanhalingstekens.",
                           "inventaris.te_veel_cellen")
        table.rows.append((number, values))
    return table


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
