"""Declarative metadata schemas: one list of fields and cross-field rules per publication type.

A schema is data, not code paths. The same declaration drives

- validation (``package.py``: unknown fields, required fields, types, formats, allowed values and
  cross-field rules, each with a Dutch message naming the field),
- the typed model (``Schema.model()``: a dataclass with one attribute per field),
- the open-data export of the type (``Field.opendata``), and
- the field table in ``docs/pakketformaat.md`` (``Schema.docs_table()``; a test keeps the docs in
  step, ``python -m publish.schema`` prints the tables).

The site settings under ``extra.woo`` (``siteconfig.py``) use the same ``Field`` declarations.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

# Kinds of value, each with one parser in package.py (and their docs wording here).
KINDS = {
    "line": "tekst op één regel",
    "text": "tekst",
    "choice": "keuze",
    "date": "datum `JJJJ-MM-DD`",
    "period": "periode",
    "texts": "lijst met teksten",
    "file": "pad van een bestand",
    "annexes": "lijst van `{titel: ..., bestand: ...}`",
    "inventory": "pad van de inventarislijst",
    "tooi": "waarde uit een TOOI-lijst",
    "mapping": "naam: waarde-paren",
    "url": "webadres",
    "int": "geheel getal",
    "number": "getal",
    "bool": "`true` of `false`",
}
PYTHON_TYPES = {
    "line": str,
    "text": str,
    "choice": str,
    "date": dt.date,
    "period": tuple,
    "texts": list,
    "file": object,
    "annexes": list,
    "inventory": object,
    "tooi": tuple,
    "mapping": dict,
    "url": str,
    "int": int,
    "number": float,
    "bool": bool,
}


@dataclass(frozen=True)
class Field:
    """One metadata field. ``core`` names the attribute of the shared content class it fills."""

    name: str
    kind: str
    required: bool = False
    doc: str = ""  # the 'waarde' column of the docs table (Dutch)
    required_doc: str = ""  # overrides 'ja'/'nee' in the docs table
    example: str = ""  # shown in fixes: "Schrijf bijvoorbeeld: <name>: <example>"
    core: str = ""  # attribute of model.Decision this field fills
    choices: tuple[str, ...] = ()  # allowed values (canonical spelling), matched case-insensitively
    aliases: tuple[tuple[str, str], ...] = ()  # other spellings -> canonical value
    pattern: str = ""  # a format the value must match (whole value)
    item_pattern: str = ""  # for 'texts': the format of each item
    message: str = ""  # message for a value outside choices/pattern; {value} is the value
    fix: str = ""  # fix for that message
    code: str = ""  # problem code for that message (default veld.formaat / veld.waarde)
    suffixes: tuple[str, ...] = (".pdf",)  # for files
    role: str = ""  # for files: "de besluitbrief"
    tooi_list: str = ""  # for 'tooi': "informatiecategorie" or "documentsoort"
    unique: bool = False  # for 'texts': drop repeated values
    opendata: bool = True  # a column in the type's open-data export
    label: str = ""  # heading on the publication page (Dutch); empty: not shown in the facts table
    subfields: tuple["Field", ...] = ()  # for 'mapping': the names it may hold (documented as name.sub)
    minimum: float | None = None  # for 'int'/'number'
    maximum: float | None = None

    @property
    def type(self) -> type:
        return PYTHON_TYPES[self.kind]

    def canonical(self, value: str) -> str | None:
        """The allowed value ``value`` stands for, or None."""
        key = re.sub(r"\s+", " ", value.strip().lower())
        for alias, target in self.aliases:
            if key == alias.lower():
                return target
        for choice in self.choices:
            if key == choice.lower():
                return choice
        return None


@dataclass(frozen=True)
class Rule:
    """A cross-field rule: applies when every field in ``needs`` has a value; ``check`` says it holds.

    ``check(values, raw)`` gets the parsed values and the raw front matter by field name;
    ``message`` and ``fix`` are formatted with the parsed values.
    """

    field: str  # where the problem is reported
    needs: tuple[str, ...]
    check: Callable[[dict, dict], bool]
    message: str
    fix: str
    code: str = "veld.regel"
    doc: str = ""  # one sentence for the docs


@dataclass(frozen=True)
class Schema:
    name: str  # the type name, e.g. "woo-besluit"
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()
    body: str = "samenvatting"  # what the Markdown under the front matter is

    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def get(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def with_field(self, new: Field) -> Schema:
        """A copy with one more field (used by extensions and by the test that adds a field)."""
        return dataclasses.replace(self, fields=self.fields + (new,))

    def model(self) -> type:
        return _model(self)

    def docs_table(self) -> str:
        lines = ["| veld | verplicht | waarde |", "|---|---|---|"]
        for f in self.fields:
            required = f.required_doc or ("ja" if f.required else "nee")
            lines.append(f"| `{f.name}` | {required} | {f.doc or KINDS[f.kind]} |")
            for sub in f.subfields:
                required = sub.required_doc or ("ja" if sub.required else "nee")
                lines.append(f"| `{f.name}.{sub.name}` | {required} | {sub.doc or KINDS[sub.kind]} |")
        return "\n".join(lines)

    def rules_doc(self) -> str:
        return " ".join(r.doc for r in self.rules if r.doc)


@lru_cache(maxsize=64)
def _model(schema: Schema) -> type:
    name = "".join(p.capitalize() for p in re.split(r"[^a-z0-9]+", schema.name)) + "Gegevens"
    # Fields that fill the shared content class are published (and checked for personal data) there;
    # here they are marked so privacy.py does not report them twice.
    return dataclasses.make_dataclass(
        name,
        [
            (
                f.name,
                f.type | None,
                field(default=None, metadata={"published": False} if f.core else {"label": f"veld '{f.name}'"}),
            )
            for f in schema.fields
        ],
        frozen=True,
    )


DOCS_BEGIN = "<!-- velden:{} (gegenereerd uit het schema in de code; python -m publish.schema) -->"
DOCS_END = "<!-- /velden:{} -->"


def docs_block(key: str, table: str) -> str:
    return f"{DOCS_BEGIN.format(key)}\n{table}\n{DOCS_END.format(key)}"


def replace_docs_blocks(text: str, tables: dict[str, str]) -> str:
    """``text`` with each generated block replaced by the current table."""
    for key, table in tables.items():
        pattern = re.compile(re.escape(DOCS_BEGIN.format(key)) + r".*?" + re.escape(DOCS_END.format(key)), re.S)
        block = docs_block(key, table)

        def _replacement(_match: re.Match[str], block: str = block) -> str:
            return block

        text = pattern.sub(_replacement, text)
    return text


def all_docs_tables() -> dict[str, str]:
    from .siteconfig import SETTINGS
    from .types import REGISTRY

    tables = {name: t.schema.docs_table() for name, t in REGISTRY.items()}
    tables["extra.woo"] = SETTINGS.docs_table()
    return tables


def main() -> None:  # pragma: no cover - a helper for writing the docs
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for doc in ("docs/pakketformaat.md", "docs/beheer.md"):
        path = root / doc
        text = path.read_text(encoding="utf-8")
        new = replace_docs_blocks(text, all_docs_tables())
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"{doc} bijgewerkt", file=sys.stderr)
    from .sitefiles import NEW_SITE_DOCS, STAFF_GUIDES

    NEW_SITE_DOCS.mkdir(exist_ok=True)
    for guide in STAFF_GUIDES:  # the copies `woo-publish init` gives a new site
        text = (root / "docs" / guide).read_text(encoding="utf-8")
        copy = NEW_SITE_DOCS / guide
        if not copy.is_file() or copy.read_text(encoding="utf-8") != text:
            copy.write_text(text, encoding="utf-8")
            print(f"{copy.relative_to(root)} bijgewerkt", file=sys.stderr)


if __name__ == "__main__":
    main()
