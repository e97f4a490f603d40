"""Typed model of a decision package, as validated from disk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .grounds import Ground

OUTCOMES = ("openbaar", "deels openbaar", "niet openbaar", "reeds openbaar", "niets aangetroffen")
ASSESSMENTS = ("openbaar", "deels openbaar", "niet openbaar", "reeds openbaar")
PUBLISHED_ASSESSMENTS = ("openbaar", "deels openbaar")


@dataclass
class FileRef:
    """A file inside the package, resolved and known to stay inside it."""

    relpath: str  # as written, normalised with forward slashes
    path: Path  # absolute path on disk

    @property
    def name(self) -> str:
        return Path(self.relpath).name


@dataclass
class Annex:
    title: str
    file: FileRef


@dataclass
class InventoryRow:
    row_number: int  # line in the file (header is row 1), for messages
    nr: str
    title: str
    date: dt.date | None
    assessment: str
    grounds: list[Ground]
    file: FileRef | None  # always None for a suspended row: its file is never published
    link: str | None  # the first public link (``links[0]``), kept for existing callers
    remark: str
    links: list[str] = field(default_factory=list, metadata={"label": "kolom 'link'"})  # every `Publieke Link` ('|' between)
    suspended: bool = False  # `Opgeschort: Ja`: listed, but the file and its text are never published
    family: str = field(default="", metadata={"label": "kolom 'familie'"})  # `Family`: the e-mail's ID, shared by its attachments
    thread: str = field(default="", metadata={"label": "kolom 'Email Thread ID'"})  # documents of one e-mail conversation
    related: list[str] = field(default_factory=list, metadata={"label": "kolom 'gerelateerd'"})  # `Gerelateerd ID` numbers
    case_numbers: list[str] = field(default_factory=list, metadata={"label": "kolom 'zaaknummer'"})  # `Matter` / `Zaaknummer`
    file_type: str = field(default="", metadata={"label": "kolom 'bestandstype'"})  # `File Type` as written (email, doc, ...)

    @property
    def published(self) -> bool:
        return self.assessment in PUBLISHED_ASSESSMENTS and self.file is not None and not self.suspended


@dataclass
class Decision:
    """The shared content class of every publication type; a Woo decision fills every field, other
    types leave law, outcome, request date, period and inventory empty and keep their own fields in
    ``meta``. ``decision_date`` is the publication's own date (of the decision, letter or answer)."""

    folder: Path
    name: str  # folder name
    type: str
    kenmerk: str
    title: str
    organisation: str
    law: str | None
    outcome: str | None
    decision_date: dt.date
    publication_date: dt.date
    request_received: dt.date | None
    period_from: dt.date | None
    period_to: dt.date | None
    subjects: list[str]
    letter: FileRef
    annexes: list[Annex]
    inventory_file: FileRef | None
    inventory: list[InventoryRow]
    summary_markdown: str
    allowed_personal_data: list[str] = field(default_factory=list)
    # The line of besluit.md the summary starts on: messages about a summary line name the line in the file.
    summary_line: int = field(default=1, metadata={"published": False})
    # files of suspended rows: in the package, never read, published or named on the site
    suspended_files: list[str] = field(default_factory=list, metadata={"published": False})
    # The type's typed metadata (publish/schema.py), every field by its name; its own fields are
    # published texts under their own names (privacy.py walks it flattened).
    meta: object = field(default=None, metadata={"flatten": True})
    # The numbers of withdrawn documents (from the signed change history; set by ``pages.build_views``): like a
    # suspended row, such a row adds no case number or ground to the decision as a whole (``shown_inventory``).
    # Not a field: derived from the history, so never stored with the validated model (validationcache, spilling).
    withdrawn_numbers = frozenset[str]()  # unannotated: no dataclass field

    @property
    def kind(self):
        """The publication type (publish/types/): schema, page template, URL prefix, DiWoo category."""
        from .types import get

        return get(self.type)

    @property
    def slug(self) -> str:
        from .slugs import slugify

        return slugify(self.kenmerk)

    @property
    def year(self) -> int:
        return self.decision_date.year

    def all_files(self) -> list[FileRef]:
        files = [self.letter] + [a.file for a in self.annexes]
        files += [r.file for r in self.inventory if r.file is not None]
        return files

    def shown_inventory(self) -> Iterator[InventoryRow]:
        """The rows whose details the site shows: not suspended, not withdrawn (``pages.shown_row``)."""
        return (r for r in self.inventory if not r.suspended and r.nr not in self.withdrawn_numbers)

    @property
    def case_numbers(self) -> list[str]:
        """Every case (matter) number named in the inventory, in order of first appearance."""
        return list(dict.fromkeys(c for row in self.shown_inventory() for c in row.case_numbers))

    @property
    def grounds(self) -> list[Ground]:
        seen: dict[str, Ground] = {}
        for row in self.shown_inventory():
            for g in row.grounds:
                seen.setdefault(g.id, g)
        return sorted(seen.values(), key=lambda g: _ground_key(g.id))


def _ground_key(ground_id: str) -> tuple:
    return tuple(int(p) if p.isdigit() else ord(p) for p in ground_id.split("."))


def ground_sort_key(ground: Ground) -> tuple:
    return (ground.law, _ground_key(ground.id))


def _as_is(value):
    """What a value is held as when there is no ``compact.Shared`` table (mem22): itself."""
    return value


class SpilledDecision:
    """Issue 19: what stays in memory of a publishable decision whose model (``Decision`` with its inventory) waits on
    disk for the site phases (``build.SpilledPdfs``): its folder, name, type and kenmerk (the report, refusals and the
    archive name a decision by them), the number of inventory rows (the report), its publication date (the fates:
    embargo) and organisation (the name the site shows for a TOOI code). Everything else is loaded back
    per decision (``SpilledPdfs.result``); a consumer that reads another field gets an AttributeError, never a
    silently empty value."""

    __slots__ = ("folder", "name", "type", "kenmerk", "slug", "inventory_rows", "publication_date", "organisation", "at")

    def __init__(self, d: Decision, at: tuple[int, int] = (0, 0), shared=None):
        """``shared``: the build's ``compact.Shared`` (mem22): the type, publication date and organisation, which many
        decisions have alike, held once."""
        same = shared if shared is not None else _as_is
        self.folder, self.name, self.type, self.kenmerk = d.folder, d.name, same(d.type), d.kenmerk
        self.slug = d.slug
        self.inventory_rows = len(d.inventory)
        # Issue 19 (mem10): spilled during validation, so the fates (embargo) and the organisation's name read these.
        self.publication_date, self.organisation = same(d.publication_date), same(d.organisation)
        self.at = at  # where the model is in its ``build.SpilledPdfs`` file (offset, length)

    @property
    def kind(self):
        from .types import get

        return get(self.type)
