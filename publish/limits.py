"""Limits on untrusted input: how big, long or slow one package's files may be.

One place for every limit, so ``check``, ``approve`` and ``build`` refuse exactly the same packages.
A package beyond a limit is refused with a Dutch message naming the limit and the value found; it
never takes the build down. The site may change any limit in ``mkdocs.yml``::

    extra:
      woo:
        limieten:
          pdf_megabytes: 500
          pdf_seconden: 300

The defaults (documented in docs/beheer.md and docs/pakketformaat.md) allow every real publication
we know of with a wide margin, and stop what would exhaust the nightly build's memory or time.
"""

from __future__ import annotations

import dataclasses
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

MB = 1_000_000


def _limit(default: int | float, key: str, unit: str, scale: int = 1, minimum: int | float = 1):
    """A limit: its default (in internal units), the key under ``extra.woo.limieten`` and the unit
    the site writes it in (``scale`` internal units per written unit)."""
    return field(default=default, metadata={"key": key, "unit": unit, "scale": scale, "minimum": minimum})


@dataclass(frozen=True)
class Limits:
    # PDFs (each file; enforced in the worker process that reads it)
    pdf_bytes: int = _limit(200 * MB, "pdf_megabytes", "MB", MB)
    pdf_pages: int = _limit(5_000, "pdf_paginas", "pagina's")
    pdf_stream_bytes: int = _limit(75 * MB, "pdf_stroom_megabytes", "MB", MB)  # one decompressed stream
    pdf_seconds: float = _limit(120, "pdf_seconden", "seconden")
    # besluit.md
    yaml_bytes: int = _limit(200_000, "yaml_kilobytes", "kB", 1000)  # the front matter of besluit.md
    yaml_aliases: int = _limit(50, "yaml_verwijzingen", "verwijzingen (*alias)", minimum=0)
    yaml_nodes: int = _limit(10_000, "yaml_waarden", "waarden")  # values after expanding aliases
    title_chars: int = _limit(1_000, "titel_tekens", "tekens")  # titel, titles of annexes
    field_chars: int = _limit(200, "veld_tekens", "tekens")  # organisatie, onderwerpen, nr, ... (become names)
    summary_chars: int = _limit(500_000, "samenvatting_tekens", "tekens")
    # inventories (rows and cells are enforced by the inventory reader)
    inventory_rows: int = _limit(200_000, "inventaris_rijen", "rijen")
    inventory_cell_chars: int = _limit(32_767, "inventaris_cel_tekens", "tekens")  # Excel's own maximum
    inventory_bytes: int = _limit(100 * MB, "inventaris_megabytes", "MB", MB)  # the file as delivered
    xlsx_unpacked_bytes: int = _limit(500 * MB, "xlsx_uitgepakt_megabytes", "MB", MB)
    # names inside a package folder and of the folder itself
    path_chars: int = _limit(240, "pad_tekens", "tekens")
    name_chars: int = _limit(120, "naam_tekens", "tekens")

    @classmethod
    def keys(cls) -> dict[str, dataclasses.Field]:
        """The setting names under ``extra.woo.limieten``, each with its field."""
        return {f.metadata["key"]: f for f in dataclasses.fields(cls)}

    def setting(self, name: str) -> str:
        """``limieten.pdf_megabytes = 200 MB``: how a message names a limit."""
        f = next(f for f in dataclasses.fields(self) if f.name == name)
        value = getattr(self, name) / f.metadata["scale"]
        return f"limieten.{f.metadata['key']} = {dutch_number(value)} {f.metadata['unit']}"

    def exceeded(self, name: str, found: int | float, what: str) -> str:
        """The Dutch message for ``what`` exceeding limit ``name`` with value ``found`` (internal units)."""
        f = next(f for f in dataclasses.fields(self) if f.name == name)
        shown = dutch_number(round(found / f.metadata["scale"], 3 if found < f.metadata["scale"] else 1))
        return f"{what} is {shown} {f.metadata['unit']}; dat is meer dan de grens ({self.setting(name)})."

    @property
    def metadata_file_bytes(self) -> int:
        """The most besluit.md can be within the two limits above (UTF-8: at most 4 bytes a character);
        a larger file is not even read."""
        return self.yaml_bytes + 4 * self.summary_chars

    def file_limit(self, relpath: str) -> str:
        """The limit on the size of one file of a package, by its name: a PDF's own limit; any other file (inventory,
        besluit.md, a stray file) may be no larger than the largest file a limit allows. Checked on the listing,
        before the file is read or hashed (attack round 10, B08: a sparse file of a terabyte)."""
        if relpath.lower().endswith(".pdf"):
            return "pdf_bytes"
        return "pdf_bytes" if self.pdf_bytes >= self.inventory_bytes else "inventory_bytes"

    @property
    def largest_file_bytes(self) -> int:
        """No file of a publishable package is larger (see ``file_limit``)."""
        return max(self.pdf_bytes, self.inventory_bytes, self.metadata_file_bytes)

    def to_json(self) -> dict:
        return {f.metadata["key"]: getattr(self, f.name) / f.metadata["scale"] for f in dataclasses.fields(self)}


DEFAULT_LIMITS = Limits()

LIMIT_RAISE = "Is dit echt nodig, vraag dan de beheerder van de site de grens onder extra.woo.limieten in mkdocs.yml te verhogen."
LIMIT_FIX = "Maak het bestand kleiner of splits het op. " + LIMIT_RAISE


def dutch_number(value: float) -> str:
    """Dutch thousands separator: 100.000."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:,.3f}".rstrip("0")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def limits_from_config(raw, problems) -> Limits:
    """``extra.woo.limieten`` checked like every other setting: unknown names and values that are not
    positive numbers are errors; what is valid is used, the rest keeps its default."""
    if raw is None:
        return DEFAULT_LIMITS
    if not isinstance(raw, dict):
        problems.error(
            "mkdocs.yml",
            "extra.woo.limieten",
            "dit moet een lijst van grenzen zijn.",
            "Schrijf bijvoorbeeld 'limieten: {pdf_megabytes: 500, pdf_seconden: 300}'.",
            "config.limieten",
        )
        return DEFAULT_LIMITS
    keys = Limits.keys()
    values = {}
    for name in sorted(raw, key=str):
        value = raw[name]
        f = keys.get(str(name))
        if f is None:
            problems.error(
                "mkdocs.yml",
                f"extra.woo.limieten.{name}",
                f"onbekende grens '{name}'.",
                "Controleer de spelling; bekende grenzen: " + ", ".join(sorted(keys)) + ".",
                "config.veld_onbekend",
            )
            continue
        minimum = f.metadata["minimum"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < minimum or value > 10**12:
            problems.error(
                "mkdocs.yml",
                f"extra.woo.limieten.{name}",
                f"'{value}' is geen geldige grens (verwacht een getal van minstens {minimum}).",
                f"Geef een getal in {f.metadata['unit']}, of laat de regel weg voor de standaardwaarde "
                f"({dutch_number(f.default / f.metadata['scale'])}).",
                "config.limieten",
            )
            continue
        scaled = value * f.metadata["scale"]
        values[f.name] = int(scaled) if f.type in ("int", int) else float(scaled)
    return dataclasses.replace(DEFAULT_LIMITS, **values)  # type: ignore[arg-type]  # int or float per field, as declared


def xlsx_unpacked_size(path: Path) -> int | None:
    """The size an .xlsx unpacks to, from its zip directory (nothing is decompressed); None when it
    is no readable zip (the inventory reader reports that)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(max(0, info.file_size) for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def check_inventory_file(path: Path, relpath: str, limits: Limits, problems) -> bool:
    """Before the inventory is read: the file's size and, for .xlsx, its unpacked size. False when refused."""
    try:
        size = path.stat().st_size
    except OSError:
        return True  # the reader reports an unreadable file
    if size > limits.inventory_bytes:
        problems.error(relpath, "", limits.exceeded("inventory_bytes", size, "de inventaris"), LIMIT_FIX, "limiet.inventaris")
        return False
    if path.suffix.lower() == ".xlsx":
        unpacked = xlsx_unpacked_size(path)
        if unpacked is not None and unpacked > limits.xlsx_unpacked_bytes:
            problems.error(
                relpath,
                "",
                limits.exceeded("xlsx_unpacked_bytes", unpacked, "het uitgepakte Excel-bestand"),
                "Sla de inventaris op zonder afbeeldingen, opmaak of extra tabbladen, of als CSV. " + LIMIT_FIX,
                "limiet.xlsx",
            )
            return False
    return True
