"""Generate the Markdown sources of the site (one file per page) from published decisions.

Pages are HTML produced by Jinja2 with autoescaping, wrapped in a Markdown file for mkdocs: every
value from a package is escaped, and only the summary goes through the safe Markdown renderer.
Links between pages are relative, so the site works under any base path.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from . import urls
from .dates import dutch
from .grounds import GROUNDS, Ground
from .markdown_safe import render_untrusted
from .model import Decision, InventoryRow, _as_is, ground_sort_key
from .pdfs import PdfResult, any_text

TEMPLATES = Path(__file__).resolve().parent / "templates"  # the generator's templates (their bytes key the page cache)
PAGE_SIZE = 50
# Issue 19: a listing page shows at most this many values per facet (the rest on the facet's own index pages,
# FACET_INDEX_SIZE values a page): with every value on every page, the listing pages grew with the number of
# pages times the number of values (a case number per decision), quadratic in the archive.
FACET_TOP = 12
FACET_INDEX_SIZE = 200
GROUND_PAGE_SIZE = 100  # decisions on each page of a refusal ground
# How a facet's index page names its values (link text "Alle 1.234 zaaknummers").
FACET_PLURALS = {
    "soort": "soorten",
    "jaar": "jaren",
    "organisatie": "organisaties",
    "uitkomst": "uitkomsten",
    "onderwerp": "onderwerpen",
    "zaak": "zaaknummers",
}
LATEST_ON_HOME = 10
INVENTORY_PAGE_SIZE = 100  # inventory rows on the decision page and on each static inventory page
# Characters that are never shown from a document's text (control characters other than tab and newline).
_CONTROL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127], None)


# URLs of the document pages and the inventory come from the URL builder (publish/urls.py).
document_page_url = urls.document_page
inventory_page_url = urls.inventory_page
inventory_json_url = urls.inventory_json


def filesize(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


@dataclass(slots=True)  # issue 19: one per published PDF, held for the whole build: no per-object __dict__
class PublishedFile:
    """A PDF as it appears on the site."""

    title: str
    url: str  # site-relative, e.g. "besluit/2024-1/document-1.pdf"
    source: Path | str  # the published copy (sanitised), copied into the output; once staged a str (issue 19: memory)
    size: int
    pages: int
    texts: Sequence[str]  # list, or CachedTexts: read from the cache each time
    role: str  # "besluitbrief", "bijlage", "document"
    nr: str = ""
    date: object = None  # datetime.date of the document, when known
    # The SHA-256 the published copy must have (PdfResult.published_sha256; issue 19: carried here, so the build
    # need not keep a map of every published copy of the archive); "": ask the inspector.
    expected_sha256: str = ""

    @property
    def searchable(self) -> bool:
        return any_text(self.texts)


WITHDRAWN_ASSESSMENT = "ingetrokken"  # what the beoordeling of a withdrawn document says, everywhere


def withdrawal_notice(change) -> str:
    """What the site says of a withdrawn document: the date and the signed public reason."""
    return f"Ingetrokken op {dutch(change.date)}" + (f": {change.reason}" if change.reason else "")


def shown_row(row: InventoryRow, withdrawn=None) -> InventoryRow:
    """The one rule for what the site shows of an inventory row (pages, inventory JSON, open data, CSV/XLSX,
    DiWoo, search): every output reads a row through ``RowView.row``, which is this.

    - a withdrawn document (``withdrawn``: its ``history.Change``) keeps only its number, so the numbering has
      no silent gap: its title becomes "Document <nr> (ingetrokken)", its beoordeling "ingetrokken", its
      toelichting the withdrawal notice (date and signed reason); its date, grounds, links, file type, case
      numbers, family, thread and related numbers are gone. Stricter than a suspension: the title goes too.
    - a suspended document (`Opgeschort: Ja`) keeps its number, title, date and beoordeling; nothing else of
      the document (toelichting, grounds, links, file type, case numbers, family, thread, related numbers).
    - any other row is shown as written (the same object)."""
    if withdrawn is None and not getattr(row, "suspended", False):
        return row
    if withdrawn is not None:
        return InventoryRow(
            row.row_number,
            row.nr,
            f"Document {row.nr} (ingetrokken)" if row.nr else "Document (ingetrokken)",
            None,
            WITHDRAWN_ASSESSMENT,
            [],
            None,
            None,
            withdrawal_notice(withdrawn),
        )
    return InventoryRow(row.row_number, row.nr, row.title, row.date, row.assessment, [], None, None, "", suspended=True)


@dataclass(slots=True)  # issue 19: one per inventory row of the archive, held for the whole build
class RowView:
    # The row as staff wrote it. Never shown as such: every output reads ``row`` (``shown_row``), so a withdrawn or
    # suspended document's details cannot leak through a page, file or index that forgot to check.
    inventory_row: InventoryRow
    anchor: str
    file: PublishedFile | None
    withdrawn: Any = None  # history.Change when the document was withdrawn
    attached_to: RowView | None = None  # the e-mail this document is an attachment of (same `Family`)
    # Issue 19: empty is one shared tuple (most rows have none of these; three empty lists a row add up in an archive).
    attachments: Sequence[RowView] = ()  # this e-mail's attachments
    thread: Sequence[RowView] = ()  # other documents of the e-mail conversation
    related: Sequence[RowView] = ()  # `Gerelateerd ID`
    page_url: str = ""  # the document's own page

    @property
    def row(self) -> InventoryRow:
        """What the site shows of the row (``shown_row``)."""
        return shown_row(self.inventory_row, self.withdrawn)

    @property
    def suspended(self) -> bool:
        return bool(getattr(self.inventory_row, "suspended", False)) and self.withdrawn is None

    @property
    def notice(self) -> str:
        """Why the row has no document: the withdrawal notice, 'Publicatie opgeschort', or "" (available)."""
        if self.withdrawn is not None:
            return withdrawal_notice(self.withdrawn)
        return "Publicatie opgeschort" if self.suspended else ""

    @property
    def available(self) -> bool:
        """Whether the page shows the document's details (not withdrawn, not suspended)."""
        return self.withdrawn is None and not self.suspended

    @property
    def public_links(self) -> list[str]:
        """The "already public" links (every one of them, http(s) only)."""
        links = list(getattr(self.row, "links", None) or ([self.row.link] if self.row.link else []))
        return [u for u in dict.fromkeys(links) if u.lower().startswith(("https://", "http://"))]

    @property
    def file_type(self) -> str:
        return str(getattr(self.row, "file_type", "") or "")


class _Facts:
    """What a decision's pages and lists tell from its decision alone (a full ``DecisionView`` and a compact
    ``DecisionSummary`` alike)."""

    __slots__ = ()
    decision: Any

    @property
    def kind(self):
        return self.decision.kind

    @property
    def kind_label(self) -> str:
        """The kind as a list names it: a decision under the old Wob is a 'Wob-besluit', not a 'Woo-besluit'."""
        if self.kind.label == "Woo-besluit" and self.decision.law == "Wob":
            return "Wob-besluit"
        return self.kind.label

    @property
    def kind_plural(self) -> str:
        """``kind_label`` in the plural, as the filter 'Soort' names it: Wob decisions are 'Wob-besluiten' (new-user round
        12: before, 'Woo-besluiten (2)' counted a Wob decision)."""
        return self.kind.plural.replace(self.kind.label, self.kind_label)

    @property
    def url(self) -> str:
        return urls.publication(self.decision.slug, self.kind.url_prefix)

    @property
    def outcome_url(self) -> str:
        return urls.facet("uitkomst", self.decision.outcome)

    @property
    def organisation_url(self) -> str:
        return urls.facet("organisatie", self.decision.organisation)

    @property
    def subject_links(self) -> list[dict]:
        return [{"label": s, "url": urls.facet("onderwerp", s)} for s in self.decision.subjects]

    @staticmethod
    def ground_url(ground: Ground) -> str:
        return urls.ground(ground.slug)

    @property
    def case_links(self) -> list[dict]:
        return [{"label": c, "url": urls.facet("zaak", c)} for c in self.decision.case_numbers]


@dataclass
class DecisionView(_Facts):
    """A published decision with everything the pages need."""

    decision: Decision
    main_files: list[PublishedFile]
    rows: list[RowView]
    history: list = field(default_factory=list)

    @property
    def category(self) -> tuple[str, str]:
        """(TOOI URI, label) of the DiWoo information category."""
        return self.kind.category_of(self.decision)

    @property
    def document_kind(self) -> tuple[str, str] | None:
        """(TOOI URI, label) of the DiWoo document kind of the main document."""
        return self.kind.document_kind_of(self.decision)

    @property
    def document_count(self) -> int:
        """Rows of the inventory."""
        return len(self.decision.inventory)

    @property
    def published_count(self) -> int:
        """Inventory rows whose document is published."""
        return sum(1 for r in self.rows if r.file)

    @property
    def file_count(self) -> int:
        return len(self.main_files) + sum(1 for r in self.rows if r.file)

    @property
    def changed(self):
        """When the decision last changed: its publication date, or its newest public change when later
        (the search index's layout, search.recency)."""
        return max([self.decision.publication_date] + [c.date for c in self.history or ()])

    @property
    def files(self) -> list[PublishedFile]:
        return self.main_files + [r.file for r in self.rows if r.file]

    @property
    def unsearchable(self) -> list[PublishedFile]:
        return [f for f in self.files if not f.searchable]

    @property
    def inventory_json_url(self) -> str:
        return inventory_json_url(self.url)

    @property
    def page_size(self) -> int:
        return INVENTORY_PAGE_SIZE

    @property
    def assessments(self) -> list[str]:
        from .model import ASSESSMENTS

        present = {r.row.assessment for r in self.rows}
        return [a for a in ASSESSMENTS if a in present] + sorted(present - set(ASSESSMENTS))

    @property
    def inventory_pages(self) -> int:
        return max(1, -(-len(self.rows) // INVENTORY_PAGE_SIZE))

    @staticmethod
    def related_rows(rv: RowView) -> dict[str, list[RowView]]:
        """The other documents of the same family (the e-mail and its attachments), of the same e-mail
        conversation, and those the inventory names as related (as ``link_rows`` connected them)."""
        head = rv.attached_to
        family = ([head] + [a for a in head.attachments if a is not rv]) if head else list(rv.attachments)
        return {"family": family[:200], "thread": list(rv.thread)[:200], "related": list(rv.related)[:200]}

    @property
    def facts(self) -> list[tuple[str, str]]:
        """(label, text) of the type's own fields that have a label, for the facts table of its page. A TOOI value
        shows its label: the code is for machines (the DiWoo sitemaps and the open data keep it)."""
        out = []
        for f in self.kind.schema.fields:
            value = getattr(self.decision.meta, f.name, None)
            if not f.label or value in (None, [], ""):
                continue
            if f.kind == "date":
                text = dutch(value)
            elif f.kind == "texts":
                text = ", ".join(value)
            elif f.kind == "tooi":
                text = value[1]
            else:
                text = str(value)
            out.append((f.label, text))
        return out

    @property
    def document_count_text(self) -> str:
        total = len(self.rows)
        public = sum(1 for r in self.rows if r.row.assessment in ("openbaar", "deels openbaar"))  # not a withdrawn one
        noun = "document" if total == 1 else "documenten"
        suspended = sum(1 for r in self.rows if r.suspended)
        withdrawn = sum(1 for r in self.rows if r.withdrawn is not None)
        return (
            f"{total} {noun}, waarvan {public} (deels) openbaar"
            + (f"; van {suspended} is de publicatie opgeschort" if suspended else "")
            + (f"; {withdrawn} {'is' if withdrawn == 1 else 'zijn'} ingetrokken" if withdrawn else "")
        )


class DecisionFacts:
    """The fields of a decision that the pages over every decision read (lists, facets, grounds, statistics,
    the feed, open data's order, the sitemaps and the search index's columns): issue 19, held per decision
    for the whole build instead of the decision with its inventory. Anything else is read from the full view
    (``DecisionSummary`` has no other attribute, so a list that would need one fails in the tests, never
    silently)."""

    __slots__ = (
        "name",
        "type",
        "kenmerk",
        "slug",
        "title",
        "organisation",
        "law",
        "outcome",
        "decision_date",
        "publication_date",
        "request_received",
        "subjects",
        "case_numbers",
        "grounds",
    )

    def __init__(self, d: Decision, shared: Callable[[Any], Any] = _as_is, stand_in: Any = None):
        """``shared``: the build's ``compact.Shared`` (mem22): a value many decisions have (organisation, law, outcome,
        type, dates, subjects, grounds) is held once. ``stand_in``: the decision's ``model.SpilledDecision``, whose
        name, kenmerk and slug are taken when equal, so they are held once too."""
        name, kenmerk, slug = d.name, d.kenmerk, d.slug
        if stand_in is not None:
            name, kenmerk, slug = (_either(name, stand_in.name), _either(kenmerk, stand_in.kenmerk), _either(slug, stand_in.slug))
        self.name, self.type, self.kenmerk, self.slug, self.title = name, shared(d.type), kenmerk, slug, d.title
        self.organisation, self.law, self.outcome = shared(d.organisation), shared(d.law), shared(d.outcome)
        self.decision_date, self.publication_date = shared(d.decision_date), shared(d.publication_date)
        self.request_received = shared(d.request_received)
        self.subjects = shared(d.subjects)
        self.case_numbers = d.case_numbers or ()  # issue 19: an empty list a decision adds up; most have none
        self.grounds = shared(d.grounds) or ()

    @property
    def kind(self):
        from .types import get

        return get(self.type)

    @property
    def year(self) -> int:
        return self.decision_date.year


def _either(value, other):
    """``other`` when it is an equal str (the one already held), else ``value``."""
    return other if type(other) is str and other == value else value


_NONE: tuple = ()


class DecisionSummary(_Facts):
    """A published decision as the pages over every decision see it (issue 19: a few hundred bytes held per
    decision for the whole build; its full ``DecisionView`` is made again in each phase that needs it and let
    go). ``view_print``: the full view's fingerprint (publish/pagecache.py), "" when it has none."""

    __slots__ = (
        "decision",
        "category",
        "document_kind",
        "document_count",
        "published_count",
        "file_count",
        "changed",
        "search_weight",
        "view_print",
        "withdrawn_dates",
    )

    def __init__(self, view: DecisionView, view_print: str, shared: Callable[[Any], Any] = _as_is, stand_in: Any = None):
        self.decision = DecisionFacts(view.decision, shared, stand_in)  # mem22: ``shared``, ``stand_in`` as there
        self.category = shared(view.category)
        self.document_kind = shared(view.document_kind)
        self.document_count = view.document_count
        self.published_count = view.published_count
        self.file_count = view.file_count
        self.changed = shared(view.changed)
        self.search_weight = 1 + sum(1 + len(f.texts) for f in view.files)  # search.weight
        self.view_print = view_print
        # warm10: when its documents were withdrawn (almost always none): the DiWoo sitemap lists recently withdrawn
        # documents, and only a decision with one needs its full view made for that (build._diwoo_withdrawn).
        self.withdrawn_dates = tuple(r.withdrawn.date for r in view.rows if r.withdrawn is not None) or _NONE


class Views(list):
    """The decisions of a build as ``DecisionSummary`` items, newest first (issue 19); ``full(summary)`` makes
    a decision's full ``DecisionView`` again (about a millisecond) for a phase that needs its rows and files."""

    def __init__(self, summaries: Iterable[DecisionSummary], full: Callable[[DecisionSummary], DecisionView]):
        super().__init__(summaries)
        self.full = full
        self.staged: Path | None = None  # once the build staged the PDFs: the folder the files are copied to


def full_views(views) -> Callable[[Any], Any]:
    """How to get a decision's full view from an item of ``views``: ``Views.full``, or the item itself when
    ``views`` holds full views (tests, benchmarks)."""
    return getattr(views, "full", None) or _same


def _same(view):
    return view


def kind_counts(views) -> list[tuple]:
    """(kind, count) per publication type for the home and statistics pages; decisions under the old Wob are
    counted apart as Wob-besluiten (``DecisionView.kind_label``)."""
    from dataclasses import replace

    from .types import REGISTRY

    out = []
    for name, kind in REGISTRY.items():
        labels = [v.kind_label for v in views if v.decision.type == name]
        out.append((kind, sum(1 for label in labels if label == kind.label)))
        for other in sorted(set(labels) - {kind.label}):
            out.append((replace(kind, label=other, plural=kind.plural.replace(kind.label, other)), labels.count(other)))
    return out


def build_views(
    decisions: list[Decision], pdfs: dict[Path, PdfResult], published_copy, histories: dict[str, list] | None = None
) -> list[DecisionView]:
    """Attach site URLs and published copies to each decision. ``published_copy(sha)`` gives a path."""
    from .history import withdrawn_documents

    views = []
    for d in decisions:
        history = (histories or {}).get(d.slug, [])
        gone = withdrawn_documents(history)
        d.withdrawn_numbers = frozenset(gone)  # the decision's case numbers and grounds leave them out
        base = urls.publication(d.slug, d.kind.url_prefix)

        def pub(ref, title, name, role, nr="", date=None, base=base):
            res = pdfs[ref.path]
            return PublishedFile(
                title,
                urls.in_publication(base, name),
                published_copy(res.sha256),
                res.published_size,
                res.pages,
                res.texts,
                role,
                nr,
                date,
                res.published_sha256,
            )

        main = [pub(d.letter, d.kind.main_title or d.title, d.kind.main_name, "besluitbrief", date=d.decision_date)]
        for i, annex in enumerate(d.annexes, start=1):
            main.append(pub(annex.file, annex.title, urls.annex("", i), "bijlage"))
        rows = []
        for row, anchor in zip(d.inventory, urls.document_anchors((r.nr, r.row_number) for r in d.inventory)):
            withdrawn = gone.get(row.nr)
            publish = row.published and withdrawn is None
            file = pub(row.file, row.title, urls.document("", anchor), "document", row.nr, row.date) if publish else None
            rows.append(RowView(row, anchor, file, withdrawn, page_url=document_page_url(base, anchor)))
        rows = link_rows(rows)
        # The change history names a withdrawn document by its number only (its title left the site with it).
        shown = [replace(c, title="") if c.document is not None and c.document in gone and c.title else c for c in history]
        views.append(DecisionView(d, main, rows, sorted(shown, key=lambda c: (c.date, c.kind, c.document or ""))))
    return sorted(views, key=lambda v: (-v.decision.decision_date.toordinal(), v.decision.kenmerk))


MAX_LINKED = 20  # documents of one e-mail conversation linked from each of them


def link_rows(rows: list[RowView]) -> list[RowView]:
    """Connect e-mails with their attachments (`Family`), conversations (`Email Thread ID`) and
    related documents (`Gerelateerd ID`); attachments are listed right after their e-mail.

    The e-mail of a family is the row whose number is the family's value (as e-discovery tools
    write it), else the family's first row of type e-mail, else its first row. A withdrawn or suspended document
    takes no part (``shown_row``: its family, thread and related numbers are not shown; attack round 11, C03: a
    withdrawn document was still listed, by number, in its conversation on the other documents' pages).
    """
    linked = [r for r in rows if r.withdrawn is None and not getattr(r.inventory_row, "suspended", False)]
    by_nr = {r.inventory_row.nr: r for r in linked if r.inventory_row.nr}
    families: dict[str, list[RowView]] = defaultdict(list)
    threads: dict[str, list[RowView]] = defaultdict(list)
    for r in linked:
        if r.inventory_row.family:
            families[r.inventory_row.family].append(r)
        if r.inventory_row.thread:
            threads[r.inventory_row.thread].append(r)
    for key, members in families.items():
        if len(members) < 2:
            continue
        head = by_nr.get(key) if by_nr.get(key) in members else None
        head = head or next(
            (m for m in members if m.inventory_row.file_type.lower().replace("-", "") in ("email", "mail", "msg", "eml")),
            members[0],
        )
        attachments = [m for m in members if m is not head]
        for m in attachments:
            m.attached_to = head
        head.attachments = attachments
    for members in threads.values():
        if len(members) < 2:
            continue
        for m in members:
            family = {id(x) for x in [m, m.attached_to, *m.attachments] if x is not None}
            thread = list(islice((x for x in members if id(x) not in family), MAX_LINKED))  # bounded: threads can be long
            if thread:
                m.thread = thread
    for r in linked:
        related = [by_nr[n] for n in r.inventory_row.related if n in by_nr and by_nr[n] is not r]
        if related:
            r.related = related
    position = {id(r): i for i, r in enumerate(rows)}
    return sorted(rows, key=lambda r: (position[id(r.attached_to or r)], r.attached_to is not None, position[id(r)]))


class Page:
    # issue 19: every page of the archive is listed until the script check
    __slots__ = ("url", "title", "body", "packages", "clean_digest")

    def __init__(self, url: str, title: str, body: str, packages: tuple[str, ...] = (), clean_digest: str = ""):
        self.url = url
        self.title = title
        self.body = body
        self.packages = packages  # the packages (folder names) whose data the page shows
        # The SHA-256 of ``body`` when it was already found free of script markup (pagecache.clean_digest), else "".
        self.clean_digest = clean_digest

    @property
    def source_path(self) -> str:
        return (self.url + "index.md") if self.url.endswith("/") or not self.url else self.url

    def url_to(self, target: str) -> str:
        here = self.url if self.url.endswith("/") or not self.url else posixpath.dirname(self.url) + "/"
        rel = posixpath.relpath(target or ".", here or ".")
        if target.endswith("/") or not target:
            rel = rel + "/" if rel != "." else "./"
        return rel


@dataclass
class Pagination:
    number: int
    count: int
    links: list[tuple[int, str]]
    previous: str | None = None
    next: str | None = None


@dataclass
class SiteText:
    name: str
    organisation: str


@dataclass
class Generator:
    site: SiteText
    views: list[DecisionView]
    download_sizes: dict[str, int] = field(default_factory=dict)
    withdrawn: list[dict] = field(default_factory=list)
    unavailable: list[dict] = field(default_factory=list)  # published before, now offline: neutral notice
    pages: list[Page] = field(default_factory=list)
    # Called with each page as soon as it is rendered (issue 19): it writes the page out, after which
    # the page's body is let go, so the pages of a whole archive are never in memory together.
    sink: Callable[[Page], None] | None = None
    # Issue 19, warm rebuilds: the build cache (publish/cache.py) that keeps each decision's own pages
    # (publish/pagecache.py), and the SHA-256 of page bodies the last build found free of script markup.
    cache: Any = None
    known_clean: Container[str] = frozenset()  # SHA-256 of bodies found clean (a set, or the on-disk record)
    # Issue 19: a decision's full view from an item of ``views`` (``Views.full``: the items are summaries); None:
    # ``full_views(views)``.
    full: Callable[[Any], DecisionView] | None = None
    # Issue 19, stable listing pages: the facts (``DecisionFacts``) of withdrawn decisions, which keep their place in
    # the lists of decisions (``KeptPlace``); nothing of them is shown.
    places: Sequence[Any] = ()
    # pages19: a decision's streamed pages as one group (streampages.DecisionGroups): ``take(v, key)`` is true when its
    # pages are left to the live site's record of them (made later only if that record does not hold), ``begin(v, key)``
    # (true when it marked the start) and ``end(v)`` come around pages made here.
    groups: Any = None

    def __post_init__(self):
        self._all_names: tuple[str, ...] | None = None
        live = {v.url for v in self.views}
        self._places = [p for p in map(KeptPlace, self.places) if p.url not in live]
        self._ordered: list | None = None
        self._facet_counts: list[tuple[str, str, list[tuple[str, int, str]]]] | None = None
        self._facet_shown: list[list[tuple[str, int, str]]] = []
        # With any type besides Woo decisions on the site, lists and facets name the type of each item.
        self.mixed = any(v.decision.type != "woo-besluit" for v in self.views)
        self.decisions_rendered = 0  # decisions whose own pages were made with Jinja
        self.decisions_from_cache = 0  # decisions whose own pages came from the cache
        self.decisions_grouped = 0  # pages19: decisions whose pages were left to the live site's group record
        self.cache_refused = 0  # cache entries refused (damaged, other pages, script markup): made again
        self.used_keys: set[str] = set()  # page-cache keys of this build (the rest is pruned)
        self._templates_hash = ""
        self.env = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=select_autoescape(["html"], default_for_string=True, default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["dutch"] = dutch
        self.env.filters["filesize"] = filesize
        self.env.filters["text_html"] = text_html
        self.env.globals["mixed"] = self.mixed
        if self.full is None:
            self.full = full_views(self.views)

    def render(self, template: str, url: str, page_title: str, shows=(), owners: tuple[str, ...] | None = None, **context) -> str:
        """``shows``: the decision views whose data the page shows (for refusing a package by its page);
        ``owners``: the packages instead, for a page that shows no view. Returns the page's body."""
        if owners is not None:
            packages = owners
        elif shows is self.views:  # listings and statistics show every view: one shared tuple, not one per page
            if self._all_names is None:
                self._all_names = tuple(sorted({v.decision.name for v in self.views}))
            packages = self._all_names
        else:
            packages = tuple(sorted({v.decision.name for v in shows}))
        page = Page(url, page_title, "", packages)
        body = page.body = self.env.get_template(template).render(page=page, site=self.site, urls=urls, **context)
        self._emit(page)
        return body

    def _emit(self, page: Page) -> None:
        self.pages.append(page)
        if self.sink is not None:
            self.sink(page)
            page.body = ""

    # -- page families -----------------------------------------------------------------------
    def generate(self) -> list[Page]:
        views = self.views

        stats = {
            "types": kind_counts(views),
            "decisions": len(views),
            "documents": sum(v.document_count for v in views),
            "published": sum(v.published_count for v in views),
        }
        latest = sorted(views, key=lambda v: (-v.decision.publication_date.toordinal(), v.decision.kenmerk))
        self.render("home.html", "", self.site.name, shows=latest[:LATEST_ON_HOME], stats=stats, latest=latest[:LATEST_ON_HOME])
        full = self.full or _same
        groups = self.groups if self.cache is not None else None
        for v in views:
            if groups is None:
                self._decision_pages(full(v))  # issue 19: one full view at a time
                continue
            key = self._page_key(v)  # pages19: from the summary (its fingerprint), no full view
            if key and groups.take(v, key):
                self.used_keys.add(key)  # the cache entry stays: the pages may be needed one by one after all
                self.decisions_grouped += 1
                self.decisions_from_cache += 1  # not made here (made later, and counted so, only if the record fails)
                continue
            opened = bool(key) and groups.begin(v, key)
            self._decision_pages(full(v), key)
            if opened:
                groups.end(v)
        self._listings()
        self._grounds()
        self._statistics()
        self.render("search.html", urls.SEARCH, "Zoeken", examples=_search_examples(latest))
        for gone in self.withdrawn:
            self.render(
                "withdrawn.html",
                gone["url"],
                f"{gone.get('label', 'Besluit')} {gone['kenmerk']} is ingetrokken",
                owners=(gone["package"],) if gone.get("package") else (),
                gone=gone,
            )
        for item in self.unavailable:
            self.render(
                "unavailable.html",
                item["url"],
                f"Besluit {item['kenmerk']} is tijdelijk niet beschikbaar",
                owners=(item["package"],) if item.get("package") else (),
                item=item,
            )
        return self.pages

    def _plans(self, v: DecisionView) -> list[tuple[str, str, str, Callable[[], dict[str, Any]]]]:
        """A decision's own pages in order, each as (template, url, title, its context when rendered)."""
        plans: list[tuple[str, str, str, Callable[[], dict[str, Any]]]] = []

        def decision_context(pagination: Pagination, rows: list[RowView]) -> dict[str, Any]:
            downloads = [
                (label, url, self.download_sizes[url])
                for url, label in (
                    (urls.inventory_csv(v.url), "Inventarislijst als CSV-bestand"),
                    (urls.inventory_xlsx(v.url), "Inventarislijst als Excel-bestand"),
                    (urls.documents_zip(v.url), "Alle openbare documenten als ZIP-bestand"),
                )
                if url in self.download_sizes
            ]
            context: dict[str, Any] = {"summary_html": Markup(render_untrusted(v.decision.summary_markdown))}
            context.update(v.kind.page(v) if v.kind.page else {})
            return dict(item=v, downloads=downloads, pagination=pagination, rows=rows, **context)

        def inventory_context(pagination: Pagination, rows: list[RowView], first: int) -> dict[str, Any]:
            return dict(item=v, pagination=pagination, rows=rows, first=first)

        def document_context(r: RowView) -> dict[str, Any]:
            return dict(item=v, row=r, related=v.related_rows(r), case_numbers=list(getattr(r.row, "case_numbers", None) or []))

        pages = v.inventory_pages
        inventory_urls = [inventory_page_url(v.url, n) for n in range(1, pages + 1)]
        for n in range(1, pages + 1):
            rows = v.rows[(n - 1) * INVENTORY_PAGE_SIZE : n * INVENTORY_PAGE_SIZE]
            pagination = Pagination(
                n,
                pages,
                _window(inventory_urls, n),
                inventory_urls[n - 2] if n > 1 else None,
                inventory_urls[n] if n < pages else None,
            )
            if n == 1:
                plans.append((v.kind.template, v.url, v.decision.title, partial(decision_context, pagination, rows)))
            else:
                plans.append(
                    (
                        "inventory.html",
                        inventory_urls[n - 1],
                        f"Inventarislijst bij besluit {v.decision.kenmerk} (pagina {n})",
                        partial(inventory_context, pagination, rows, (n - 1) * INVENTORY_PAGE_SIZE + 1),
                    )
                )
        for r in v.rows:
            plans.append(
                (
                    "document.html",
                    r.page_url,
                    f"Document {r.row.nr}" if not r.available else r.row.title,
                    partial(document_context, r),
                )
            )
        return plans

    def _page_key(self, v: DecisionView) -> str:
        """The page-cache key of a decision's own pages ("" without a cache, or when the view cannot be
        fingerprinted): see publish/pagecache.py for what it holds."""
        if self.cache is None:
            return ""
        from .incremental import folder_hash, key_of
        from .pagecache import SOURCE_KIND, VERSION
        from .pagecache import fingerprint as fingerprint_of

        fingerprint = fingerprint_of(v)
        if not fingerprint:
            return ""
        if not self._templates_hash:
            self._templates_hash = folder_hash(TEMPLATES)
        sizes = [
            [url, self.download_sizes.get(url)]
            for url in (urls.inventory_csv(v.url), urls.inventory_xlsx(v.url), urls.documents_zip(v.url))
        ]
        return key_of(
            SOURCE_KIND, VERSION, self._templates_hash, self.site.name, self.site.organisation, self.mixed, sizes, fingerprint
        )

    def decision_pages(self, v, sink: Callable[[Page], None]) -> None:
        """pages19: the own pages of the decision ``v`` (an item of ``views``) made now and given to ``sink``: a
        decision left to its group record whose record did not hold."""
        saved = self.sink
        self.sink = sink
        try:
            self._decision_pages((self.full or _same)(v))
        finally:
            self.sink = saved

    def _decision_pages(self, v: DecisionView, key: str | None = None) -> None:
        """A decision's own pages: from the page cache when its key is there and the entry passes every
        check (publish/pagecache.py), else rendered (and stored)."""
        from .pagecache import SOURCE_KIND, clean_digest, pack_pages, unpack_pages

        plans = self._plans(v)
        if key is None:
            key = self._page_key(v)
        if key:
            self.used_keys.add(key)
            stored = self.cache.get_blob(SOURCE_KIND, key)
            bodies = unpack_pages(stored[1], [(url, title) for _, url, title, _ in plans]) if stored is not None else None
            if bodies is not None:
                digest_if_clean = clean_digest(self.known_clean)
                digests = []
                for body in bodies:
                    digests.append(digest_if_clean(body))
                    if not digests[-1]:
                        break
                if all(digests):
                    self.decisions_from_cache += 1
                    packages = (v.decision.name,)
                    for (_, url, title, _), body, digest in zip(plans, bodies, digests):
                        self._emit(Page(url, title, body, packages, digest))
                    return
            if stored is not None:
                self.cache_refused += 1
        made = []
        for template, url, title, context in plans:
            made.append((url, title, self.render(template, url, title, shows=[v], **context())))
        self.decisions_rendered += 1
        if key:
            try:
                self.cache.put_blob(SOURCE_KIND, key, pack_pages(made))
            except OSError:  # a read-only or full cache: made again next time
                pass

    def _statistics(self) -> None:
        from statistics import median

        from .charts import bar_chart
        from .model import OUTCOMES
        from .tooi import short

        categories: dict[str, int] = defaultdict(int)
        for v in self.views:
            categories[f"{v.category[1][:1].upper()}{v.category[1][1:]} ({short(v.category[0])})"] += 1
        views = [v for v in self.views if v.decision.type == "woo-besluit"]
        years: dict[str, int] = defaultdict(int)
        outcomes: dict[str, int] = defaultdict(int)
        grounds: dict[str, int] = defaultdict(int)
        for v in views:
            years[str(v.decision.year)] += 1
            outcomes[v.decision.outcome] += 1
            for g in v.decision.grounds:
                grounds[f"{g.id} {g.law}: {g.meaning}"] += 1
        durations = [
            (v.decision.decision_date - v.decision.request_received).days
            for v in views
            if v.decision.request_received and v.decision.law == "Woo"
        ]
        buckets = [
            ("binnen 4 weken", sum(1 for d in durations if d <= 28)),
            ("4 tot 6 weken (met verdaging)", sum(1 for d in durations if 28 < d <= 42)),
            ("meer dan 6 weken (te laat)", sum(1 for d in durations if d > 42)),
        ]
        charts: list[dict[str, Any]] = [
            {
                "id": "per-jaar",
                "title": "Besluiten per jaar",
                "label": "Jaar",
                "value_label": "Besluiten",
                "items": sorted(years.items()),
            },
            {
                "id": "uitkomst",
                "title": "Uitkomst van de besluiten",
                "label": "Uitkomst",
                "value_label": "Besluiten",
                "items": [(o.capitalize(), outcomes[o]) for o in OUTCOMES if outcomes[o]],
            },
            {
                "id": "gronden",
                "title": "Gebruikte weigeringsgronden",
                "label": "Weigeringsgrond",
                "value_label": "Besluiten die de grond gebruiken",
                "items": sorted(grounds.items(), key=lambda kv: (-kv[1], kv[0])),
            },
            {
                "id": "doorlooptijd",
                "title": "Tijd van verzoek tot besluit (Woo)",
                "label": "Doorlooptijd",
                "value_label": "Besluiten",
                "items": [b for b in buckets if durations],
                "intro": (
                    f"De Woo geeft 4 weken om te beslissen, met ten hoogste 2 weken verdaging. "
                    f"Mediaan: {round(median(durations))} dagen over {len(durations)} Woo-besluiten met een bekende ontvangstdatum."
                    if durations
                    else "De Woo geeft 4 weken om te beslissen, met ten hoogste 2 weken verdaging."
                ),
            },
        ]
        charts.append(
            {
                "id": "categorieen",
                "title": "Publicaties per informatiecategorie (Woo)",
                "label": "Informatiecategorie",
                "value_label": "Publicaties",
                "items": sorted(categories.items(), key=lambda kv: (-kv[1], kv[0])),
                "intro": "De Woo noemt 17 categorieën informatie die actief openbaar worden gemaakt (artikel 3.3); "
                "hier staat hoeveel publicaties van elke categorie op de site staan.",
            }
        )
        for chart in charts:
            chart["svg"] = bar_chart(chart["id"], chart["title"], chart["items"]) if chart["items"] else ""
        if durations:
            days = sorted(durations)
            charts.append(
                {
                    "id": "dagen",
                    "title": "Doorlooptijd per besluit in dagen (Woo)",
                    "label": "Besluit",
                    "value_label": "Dagen",
                    "intro": "De stippellijnen staan bij 28 dagen (4 weken) en 42 dagen (6 weken).",
                    "items": [
                        (v.decision.kenmerk, (v.decision.decision_date - v.decision.request_received).days)
                        for v in sorted(views, key=lambda v: v.decision.kenmerk)
                        if v.decision.request_received and v.decision.law == "Woo"
                    ][:60],
                }
            )
            charts[-1]["svg"] = bar_chart(
                "dagen", charts[-1]["title"], charts[-1]["items"], " d", marks=[(28, "4 weken"), (42, "6 weken")]
            )
            del days
        self.render(
            "statistics.html",
            urls.STATISTICS,
            "Statistieken",
            shows=self.views,
            charts=charts,
            total=len(views),
            all_total=len(self.views),
            per_type=kind_counts(self.views),
        )

    def _facets(self, current: str | None) -> list[dict]:
        """The facets of a listing page, ``current`` marked. The counts are made once per build (issue 19:
        every listing page shows them; counting again per page costs the number of pages times the archive).
        A facet with more than ``FACET_TOP`` values shows its most frequent ones (years: the latest), the
        current one if it is not among them, and a link to the facet's index pages with every value."""
        if self._facet_counts is None:
            self._facet_counts = self._count_facets()
            self._facet_shown = [_top_values(key, counted) for key, _, counted in self._facet_counts]
        facets = []
        for (key, title, counted), shown in zip(self._facet_counts, self._facet_shown):
            if not counted:
                continue
            entries = list(shown)
            if current is not None and current.startswith(f"{urls.LISTING}{key}/") and all(url != current for _, _, url in shown):
                entries += [e for e in counted if e[2] == current]  # the page's own value, also when it is not a top one
            values = [{"label": label, "count": count, "url": url, "current": current == url} for label, count, url in entries]
            facet: dict[str, Any] = {"title": title, "values": values, "more": None}
            if len(shown) < len(counted):
                facet["more"] = {"url": urls.facet_index(key), "text": f"Alle {_number(len(counted))} {FACET_PLURALS[key]}"}
            facets.append(facet)
        return facets

    def _decisions_plural(self) -> str:
        """What the decisions with an outcome are called on a site with other publications too: 'Woo-besluiten', or
        'Woo- en Wob-besluiten' when decisions under the old Wob are among them (new-user round 12)."""
        if any(v.kind_label == "Wob-besluit" for v in self.views):
            return "Woo- en Wob-besluiten"
        return "Woo-besluiten"

    def _count_facets(self) -> list[tuple[str, str, list[tuple[str, int, str]]]]:
        """Per facet its key, its title and its values in order: (label, count, URL)."""
        out = []
        for key, title, label_of in (
            ("soort", "Soort", lambda v: [v.kind_plural] if self.mixed else []),
            ("jaar", "Jaar van het besluit", lambda v: [str(v.decision.year)]),
            ("organisatie", "Organisatie", lambda v: [v.decision.organisation]),
            (
                "uitkomst",
                f"Uitkomst ({self._decisions_plural()})" if self.mixed else "Uitkomst",
                lambda v: [v.decision.outcome.capitalize()] if v.decision.outcome else [],
            ),
            ("onderwerp", "Onderwerp", lambda v: v.decision.subjects),
            ("zaak", "Zaaknummer", lambda v: v.decision.case_numbers),
        ):
            counts: dict[str, int] = defaultdict(int)  # decisions per facet URL (attack round 6, row 7: per meaning)
            spellings: dict[str, Counter] = defaultdict(Counter)
            for v in self.views:
                seen = set()
                for label in label_of(v) if key == "soort" or key in v.kind.facets else []:
                    url = urls.facet(key, label)
                    if url not in seen:
                        seen.add(url)
                        counts[url] += 1
                        spellings[url][label] += 1
            labels = {url: _spelling(spellings[url]) for url in counts}
            order = sorted(
                counts, key=lambda u: (-int(labels[u]), labels[u]) if key == "jaar" else (labels[u].lower(), labels[u])
            )
            out.append((key, title, [(labels[url], counts[url], url) for url in order]))
        return out

    def _facet_indexes(self) -> None:
        """Issue 19: every value of a facet too large to show whole on the listing pages, with its count, in
        the facet's order (alphabetical; years newest first), ``FACET_INDEX_SIZE`` a page; plain links."""
        if self._facet_counts is None:
            self._facets(None)
        for key, _title, counted in self._facet_counts or []:
            if len(counted) <= FACET_TOP:
                continue
            plural = FACET_PLURALS[key]
            base = urls.facet_index(key)
            chunks = [counted[i : i + FACET_INDEX_SIZE] for i in range(0, len(counted), FACET_INDEX_SIZE)]
            pages = [urls.listing_page(base, n) for n in range(1, len(chunks) + 1)]
            things = "publicaties" if self.mixed else "besluiten"
            for n, chunk in enumerate(chunks, start=1):
                page_title = f"Alle {plural}" if n == 1 else f"Alle {plural} (pagina {n})"
                # Issue 19: the total only on the first page; a later page names its own first and last value, and
                # its pager does not depend on how many pages there are (``_open_pagination``).
                shown = (
                    f"{_number(len(counted))} {plural}"
                    if n == 1
                    else f"{plural.capitalize()} {chunk[0][0]} tot en met {chunk[-1][0]}"
                )
                self.render(
                    "facet_index.html",
                    pages[n - 1],
                    page_title,
                    shows=self.views,
                    title=page_title,
                    intro=f"{shown}, met het aantal {things} bij elk. Kies er een om de {things} te zien.",
                    values=[{"label": label, "count": count, "url": url} for label, count, url in chunk],
                    pagination=_open_pagination(pages, n),
                )

    def _paged(
        self, base: str, title: str, list_title: str, caption: str, slots: list, intro: str = "", facets: bool = False
    ) -> None:
        """A list of decisions with stable pages (issue 19): ``slots`` oldest first (``listing_order``), a withdrawn
        decision as its ``KeptPlace``. The listing (``base``) shows the newest, its total and, with ``facets``, the
        facet panel with counts; ``pagina/1/`` ... hold the older ones, counted from the oldest, and show nothing
        that depends on the list's length (no total, no "van Y"), so a full page keeps its bytes."""
        first, older = stable_blocks(slots, PAGE_SIZE)
        total = sum(1 for s in slots if not isinstance(s, KeptPlace))
        noun = ("publicatie", "publicaties") if self.mixed else ("besluit", "besluiten")
        for number, items in [(0, first), *enumerate(older, start=1)]:
            page_title = title if number == 0 else f"{title} (pagina {number})"
            self.render(
                "listing.html",
                base if number == 0 else urls.archive_page(base, number),
                page_title,
                shows=self.views,
                title=page_title,
                intro=intro,
                facets=self._facets(base) if facets and number == 0 else [],
                list_title=list_title,
                caption=caption,
                items=items,
                number=number,
                total=f"{_number(total)} {noun[total != 1]}" if number == 0 else "",
                span=_published_span(items) if number else "",
                pager=stable_pager(base, number, len(older)),
            )
        self._older_pages(base, title, older, noun[1], [("Besluiten", urls.LISTING)], self.views)

    def _older_pages(self, base: str, title: str, older: list, things: str, trail: list, shows) -> None:
        """``pagina/`` of a paged list: each older page, newest first, with the publication dates it holds.
        It changes only when an older page is added or its dates change (a withdrawal)."""
        if not older:
            return
        pages = [
            {"number": n, "url": urls.archive_page(base, n), "span": _published_span(items)}
            for n, items in reversed(list(enumerate(older, start=1)))
        ]
        page_title = f"{title}: alle pagina's"
        self.render(
            "older_pages.html", urls.archive_pages(base), page_title, shows=shows, title=page_title,
            trail=[("Home", ""), *trail, ("Alle pagina's", None)], base=base, pages=pages, things=things,
        )  # fmt: skip

    def _listing_labels(self, v) -> list[tuple[str, str]]:
        """(facet, label) of every facet listing ``v`` (a view or a ``KeptPlace``) is in."""
        d = v.decision
        labels = (
            ([("soort", v.kind_plural)] if self.mixed else [])
            + [("jaar", str(d.year)), ("organisatie", d.organisation)]
            + ([("uitkomst", d.outcome.capitalize())] if d.outcome else [])
            + [("onderwerp", s) for s in d.subjects]
            + [("zaak", c) for c in d.case_numbers]
        )
        return [(key, label) for key, label in labels if key == "soort" or key in v.kind.facets]  # the facets of its type

    def _slots(self) -> list:
        """Every published decision and every withdrawn one that keeps its place, oldest first (``listing_order``)."""
        if self._ordered is None:
            self._ordered = sorted([*self.views, *self._places], key=listing_order)
        return self._ordered

    def _listings(self) -> None:
        slots = self._slots()
        if self.mixed:
            self._paged(
                urls.LISTING,
                "Alle publicaties",
                "Publicaties, nieuwste eerst",
                "Alle gepubliceerde besluiten, Kamerstukken en andere publicaties",
                slots,
                "Kies hieronder een soort, jaar, organisatie, uitkomst of onderwerp om de lijst te beperken.",
                facets=True,
            )
        else:
            self._paged(
                urls.LISTING,
                "Alle besluiten",
                "Besluiten, nieuwste eerst",
                "Alle gepubliceerde besluiten",
                slots,
                "Kies hieronder een jaar, organisatie, uitkomst of onderwerp om de lijst te beperken.",
                facets=True,
            )
        # Attack round 6, row 7: one page per facet URL (urls.facet: labels that mean the same share it, labels that
        # only slugify alike do not), titled by its most used spelling; a decision is listed once on it. A withdrawn
        # decision keeps its place in each list it was in, but its labels never name a page (only published ones count).
        groups: dict[tuple[str, str], list] = defaultdict(list)
        spellings: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for v in slots:
            kept = isinstance(v, KeptPlace)
            for key, label in self._listing_labels(v):
                url = urls.facet(key, label)
                group = groups[(key, url)]
                if not group or group[-1] is not v:  # "Zorg" and "zorg!" in one decision: listed once
                    group.append(v)
                    if not kept:
                        spellings[(key, url)][label] += 1
        names = {
            "jaar": "Besluiten uit {}",
            "organisatie": "Besluiten van {}",
            "uitkomst": "Besluiten met uitkomst: {}",
            "onderwerp": "Besluiten over {}",
            "zaak": "Besluiten in zaak {}",
        }
        if self.mixed:
            names = {
                "soort": "{}",
                "jaar": "Publicaties uit {}",
                "organisatie": "Publicaties van {}",
                "uitkomst": self._decisions_plural() + " met uitkomst: {}",
                "onderwerp": "Publicaties over {}",
                "zaak": "Besluiten in zaak {}",
            }
        for (key, url), items in sorted(groups.items()):
            if not spellings[(key, url)]:
                continue  # only withdrawn decisions: no page
            title = names[key].format(_spelling(spellings[(key, url)]))
            self._paged(url, title, title, title, items)
        self._facet_indexes()

    def _grounds(self) -> None:
        used: dict[tuple[str, str], list] = defaultdict(list)
        for v in self._slots():  # oldest first; a withdrawn decision keeps its place (``KeptPlace``)
            for g in v.decision.grounds:
                used[(g.law, g.id)].append(v)
        groups = []
        for law in ("Woo", "Wob"):
            items = []
            for ground in sorted((g for g in GROUNDS.values() if g.law == law), key=ground_sort_key):
                users = used[(law, ground.id)]
                total = sum(1 for u in users if not isinstance(u, KeptPlace))
                base = urls.ground(ground.slug)
                items.append(({"ground": ground, "url": base}, total))
                # Issue 19: paged, GROUND_PAGE_SIZE decisions a page (a common ground is in most decisions), stable
                # pages as the listings' (``_paged``).
                first, older = stable_blocks(users, GROUND_PAGE_SIZE)
                title = f"{ground.id} {ground.law}: {ground.meaning}"
                for number, chunk in [(0, first), *enumerate(older, start=1)]:
                    self.render(
                        "ground.html",
                        base if number == 0 else urls.archive_page(base, number),
                        title if number == 0 else f"{title} (pagina {number})",
                        shows=chunk,
                        ground=ground,
                        items=chunk,
                        number=number,
                        total=f"{_number(total)} {'besluit gebruikt' if total == 1 else 'besluiten gebruiken'} deze grond"
                        if number == 0 and total
                        else "",
                        span=_published_span(chunk) if number else "",
                        pager=stable_pager(base, number, len(older)),
                    )
                self._older_pages(
                    base, title, older, "besluiten", [("Weigeringsgronden", urls.GROUNDS), (f"{ground.id} {ground.law}", base)],
                    [v for chunk in older for v in chunk],
                )  # fmt: skip
            groups.append((law, items))
        self.render("grounds.html", urls.GROUNDS, "Weigeringsgronden", groups=groups)


def _spelling(labels: Counter) -> str:
    """The label a facet page shared by several spellings shows: the one most decisions use, then the first in
    code-point order (deterministic, whatever the order of the decisions)."""
    return min(labels, key=lambda s: (-labels[s], s))


def _top_values(key: str, counted: list[tuple[str, int, str]]) -> list[tuple[str, int, str]]:
    """The values of a facet a listing page shows: all of them up to ``FACET_TOP``; else the latest years,
    or the most frequent values (most decisions first, then alphabetical)."""
    if len(counted) <= FACET_TOP:
        return counted
    if key == "jaar":
        return counted[:FACET_TOP]
    return sorted(counted, key=lambda e: (-e[1], e[0].lower(), e[0]))[:FACET_TOP]


def _number(n: int) -> str:
    """A count as Dutch writes it: 1.234."""
    return f"{n:,}".replace(",", ".")


def _pagination(pages: list[str], n: int) -> Pagination:
    """Page ``n`` of a paged list; the pager links the first, the last and the pages around ``n`` (issue 19:
    a list of 200 pages does not link all 200 from each of them)."""
    return Pagination(n, len(pages), _window(pages, n), pages[n - 2] if n > 1 else None, pages[n] if n < len(pages) else None)


def _open_pagination(pages: list[str], n: int, around: int = 2) -> Pagination:
    """Page ``n`` of a paged index without its total (issue 19: a facet's values): the pager links page 1, the
    ``around`` pages before ``n`` and the next one, so page ``n`` changes once when page ``n`` + 1 is made, not
    with every page added after it. ``count`` is 0: the template shows no "van Y"."""
    keep = {1, *range(n - around, n + 2)}
    links: list[tuple[int, str | None]] = []
    for k, url in enumerate(pages[: n + 1], start=1):
        if k in keep:
            links.append((k, url))
        elif links and links[-1][1] is not None:
            links.append((0, None))
    return Pagination(n, 0, links, pages[n - 2] if n > 1 else None, pages[n] if n < len(pages) else None)


def _window(urls: list[str], current: int, around: int = 2) -> list[tuple[int, str | None]]:
    """Page links for a pager: the first, the last and a few around the current page; a gap is (0, None)."""
    keep = {1, len(urls)} | set(range(current - around, current + around + 1))
    out: list[tuple[int, str | None]] = []
    for n, url in enumerate(urls, start=1):
        if n in keep:
            out.append((n, url))
        elif out and out[-1][1] is not None:
            out.append((0, None))
    return out


class KeptPlace(_Facts):
    """A withdrawn decision in the lists of decisions (issue 19, stable listing pages): it keeps its place in every
    list it was in, so the page it was on shows one decision less and no other page shifts. Never shown: only what
    places it is read (dates, kenmerk, type, facets, grounds), never a word of it is rendered."""

    __slots__ = ("decision",)

    def __init__(self, decision):
        self.decision = decision  # DecisionFacts

    @property
    def kind(self):
        return self.decision.kind

    @property
    def url(self) -> str:
        return urls.publication(self.decision.slug, self.kind.url_prefix)


def listing_order(v) -> tuple:
    """The order in which the lists of decisions count their pages, oldest first: by publication date (a new
    decision comes last), then decision date, kenmerk and address. Pages show it newest first."""
    d = v.decision
    return (d.publication_date.toordinal(), d.decision_date.toordinal(), d.kenmerk, v.url)


def stable_blocks(slots: Sequence, size: int) -> tuple[list, list[list]]:
    """The pages of a list whose ``slots`` are oldest first (a ``KeptPlace`` keeps a withdrawn decision's place):
    the items of the listing's own page, and of its older pages ``pagina/1/``, ``pagina/2/``, ..., each newest first
    with the kept places left out. The slots are counted in blocks of ``size`` from the oldest; the listing shows the
    newest full block and what came after it (``size`` to 2 × ``size`` − 1 slots, all of them while there are fewer),
    every older block is a page of its own. So a new decision changes only the listing's own page; every
    ``size``-th one adds a page (and changes the "newer" link of the page before it); a withdrawn decision changes
    only the page it was on (and the listing's total)."""
    full = len(slots) // size
    start = (full - 1) * size if full > 1 else 0

    def shown(block: Sequence) -> list:
        return [s for s in reversed(block) if not isinstance(s, KeptPlace)]

    return shown(slots[start:]), [shown(slots[k * size : (k + 1) * size]) for k in range(max(0, full - 1))]


@dataclass
class StablePager:
    """The pager of a list with stable pages; ``number`` 0 is the listing itself (the newest), k is ``pagina/k/``."""

    number: int
    links: list[tuple[int, str | None]]  # newest first: (0, the listing), (k, pagina/k/); a gap is (-1, None)
    newer: str | None  # rel="prev"
    older: str | None  # rel="next"
    index: str  # every older page (``urls.archive_pages``): the links above skip the middle ones


def stable_pager(base: str, number: int, archived: int, around: int = 2) -> StablePager | None:
    """The pager of page ``number`` of a list with ``archived`` older pages (None without older pages). An older
    page links the listing, the next newer page, itself, ``around`` older ones and page 1: nothing that depends on
    how many pages there are beyond its newer neighbour, so it changes once after it is made (when that neighbour is
    made). The listing itself links its ``around`` newest older pages and page 1."""
    if not archived:
        return None
    top = archived + 1 if number == 0 else number  # the listing counts as the page after the newest older page
    links: list[tuple[int, str | None]] = [(0, base)]
    newer = None
    if number:
        newer = urls.archive_page(base, number + 1) if number < archived else base
        if number < archived:
            links.append((number + 1, urls.archive_page(base, number + 1)))
        links.append((number, urls.archive_page(base, number)))
    older = [k for k in range(top - 1, top - 1 - around, -1) if k >= 1]
    links += [(k, urls.archive_page(base, k)) for k in older]
    last = older[-1] if older else top
    if last > 2:
        links.append((-1, None))
    if last > 1:
        links.append((1, urls.archive_page(base, 1)))
    return StablePager(number, links, newer, urls.archive_page(base, top - 1) if top > 1 else None, urls.archive_pages(base))


def _published_span(items: Sequence) -> str:
    """When the decisions of an older page were published (they are newest first), in Dutch words."""
    if not items:
        return ""
    first, last = items[-1].decision.publication_date, items[0].decision.publication_date
    return f"gepubliceerd op {dutch(first)}" if first == last else f"gepubliceerd van {dutch(first)} tot en met {dutch(last)}"


def text_html(text: str) -> Markup:
    """A page of document text as escaped HTML paragraphs, readable in the browser.

    Text from a PDF often has a line break after every line or even every word: lines are joined
    with spaces, and a paragraph ends at a blank line or after a line that ends a sentence or a
    heading (``.``, ``:``, ``?``, ``!``, ``;``). Never a blank line in the output, so the page's
    HTML stays one block for Markdown."""
    text = text.translate(_CONTROL).replace("\r\n", "\n").replace("\r", "\n")
    paragraphs: list[list[str]] = [[]]
    for line in text.split("\n"):
        line = " ".join(line.split())
        if not line:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append(line)
        if line.endswith((".", ":", "?", "!", ";")) and len(" ".join(paragraphs[-1])) > 1:
            paragraphs.append([])
    return Markup("\n".join(f"<p>{escape(' '.join(p))}</p>" for p in paragraphs if p))


def inventory_json(view: DecisionView) -> str:
    """The decision's inventory for the page's filter: compact, one array per row.

    ``{"grounds": [[id, law, meaning, url]], "rows": [[nr, title, remark, date, assessment, [ground index],
    anchor, kind, info]]}`` where kind is ``d`` (info: the file label; the PDF is ``document-<anchor>.pdf``),
    ``l`` (info: the link where it is already public) or ``t`` (info: text for the file column). URLs
    are relative to the decision page."""
    import json

    grounds: dict[tuple[str, str], int] = {}
    ground_list: list[list[str]] = []
    rows = []
    for r in view.rows:
        idx = []
        for g in r.row.grounds:  # none for a withdrawn or suspended document (``shown_row``)
            key = (g.law, g.id)
            if key not in grounds:
                grounds[key] = len(ground_list)
                ground_list.append([g.id, g.law, g.meaning, posixpath.relpath(view.ground_url(g), view.url) + "/"])
            idx.append(grounds[key])
        if r.notice:  # withdrawn or suspended
            kind, info = "t", r.notice
        elif r.file:
            kind, info = (
                "d",
                f"PDF, {filesize(r.file.size)}, {r.file.pages} {'pagina' if r.file.pages == 1 else 'pagina' + chr(39) + 's'}",
            )
        elif r.row.assessment == "reeds openbaar" and r.public_links:
            kind, info = "l", r.public_links[0]
        elif r.row.assessment == "niet openbaar":
            kind, info = "t", "Niet openbaar gemaakt"
        else:
            kind, info = "t", "Geen bestand"
        rows.append(
            [
                r.row.nr,
                r.row.title,
                "" if r.notice else (r.row.remark or ""),  # a withdrawal's notice is in the file column
                r.row.date.isoformat() if r.row.date else "",
                r.row.assessment,
                idx,
                r.anchor,
                kind,
                info,
            ]
        )
    return json.dumps({"grounds": ground_list, "rows": rows}, ensure_ascii=False, separators=(",", ":"))


def _search_examples(latest: list) -> dict:
    """The search help's examples come from this site's own data: the newest kenmerk and the most
    used refusal ground (none when the site has no such thing yet)."""
    counts: dict[str, int] = {}
    for v in latest:
        for ground in v.decision.grounds:
            counts[ground.id] = counts.get(ground.id, 0) + 1
    ground = min(counts, key=lambda g: (-counts[g], g)) if counts else ""
    return {"kenmerk": latest[0].decision.kenmerk if latest else "", "ground": ground}


def write_sources(pages: Iterable[Page], target: Path) -> None:
    """Write each page as Markdown with its title in front matter and its HTML as one raw block."""
    for page in pages:
        path = target / page.source_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source_text(page), encoding="utf-8")


def source_text(page: Page) -> str:
    """A page's Markdown source: its title in front matter and its HTML as one raw block."""
    return f'---\n{front_matter(page.title)}\n---\n\n<div class="woo-page">\n{page.body.strip()}\n</div>\n'


_HEAD = "hide:\n- navigation\n- toc\ntitle: "
_STR_TAG = "tag:yaml.org,2002:str"


def front_matter(title: str) -> str:
    """A generated page's YAML front matter, without the ``---`` lines. A publication site, not
    documentation: no sidebar that repeats the page title, no table of contents. mkdocs' templates do not
    autoescape: the title goes in already escaped.

    ``yaml.safe_dump`` costs about a millisecond a page (issue 19: hundreds of thousands of pages); a
    title PyYAML writes as a plain scalar (its own analysis and resolver say so, as its emitter decides)
    on one line is written directly, byte for byte as safe_dump writes it; any other title goes through
    safe_dump (tests/test_pagecache.py compares both on awkward titles)."""
    from yaml.nodes import ScalarNode

    text = str(escape(title))
    if len(text) < 900 and _PLAIN_TITLE.match(text) and text.lower() not in _PLAIN_WORDS:
        return _HEAD + text  # issue 19 (mkdocs13): the common title, without the analysis (same test below)
    if len(text) < 900:
        analysis = _ANALYSER.analyze_scalar(text)
        if (
            analysis.allow_block_plain
            and not analysis.multiline
            and not analysis.empty
            and _RESOLVER.resolve(ScalarNode, text, (True, False)) == _STR_TAG
        ):
            return _HEAD + text
    return yaml.safe_dump({"title": text, "hide": ["navigation", "toc"]}, allow_unicode=True, width=1000).strip()


_ANALYSER = yaml.emitter.Emitter(None, allow_unicode=True)
# A title PyYAML always writes as a plain scalar that reads back as text: ASCII letters, digits, spaces and ``,.()/-``,
# starting with a letter and ending in a letter, digit, ``.`` or ``)``, and not a word YAML 1.1 reads as a boolean or
# null (checked without regard to case, so a few more titles than needed take the long way). tests/test_pagecache.py
# compares it with safe_dump.
_PLAIN_TITLE = re.compile(r"[A-Za-z](?:[A-Za-z0-9 ,.()/-]*[A-Za-z0-9.)])?\Z")
_PLAIN_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n"})
_RESOLVER = yaml.resolver.Resolver()
