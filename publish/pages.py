"""Generate the Markdown sources of the site (one file per page) from published decisions.

Pages are HTML produced by Jinja2 with autoescaping, wrapped in a Markdown file for mkdocs: every
value from a package is escaped, and only the summary goes through the safe Markdown renderer.
Links between pages are relative, so the site works under any base path.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from . import urls
from .dates import dutch
from .grounds import GROUNDS, Ground
from .markdown_safe import render_untrusted
from .model import Decision, InventoryRow, ground_sort_key
from .pdfs import PdfResult
from .slugs import slugify

PAGE_SIZE = 50
LATEST_ON_HOME = 10


def filesize(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


@dataclass
class PublishedFile:
    """A PDF as it appears on the site."""

    title: str
    url: str  # site-relative, e.g. "besluit/2024-1/document-1.pdf"
    source: Path  # the published copy (sanitised), copied into the output
    size: int
    pages: int
    texts: list[str]
    role: str  # "besluitbrief", "bijlage", "document"
    nr: str = ""
    date: object = None  # datetime.date of the document, when known

    @property
    def searchable(self) -> bool:
        return any(t.strip() for t in self.texts)


@dataclass
class RowView:
    row: InventoryRow
    anchor: str
    file: PublishedFile | None
    withdrawn: object = None  # history.Change when the document was withdrawn
    attached_to: RowView | None = None  # the e-mail this document is an attachment of (same `Family`)
    attachments: list[RowView] = field(default_factory=list)  # this e-mail's attachments
    thread: list[RowView] = field(default_factory=list)  # other documents of the e-mail conversation
    related: list[RowView] = field(default_factory=list)  # `Gerelateerd ID`


@dataclass
class DecisionView:
    """A published decision with everything the pages need."""

    decision: Decision
    main_files: list[PublishedFile]
    rows: list[RowView]
    history: list = field(default_factory=list)

    @property
    def kind(self):
        return self.decision.kind

    @property
    def url(self) -> str:
        return urls.publication(self.decision.slug, self.kind.url_prefix)

    @property
    def category(self) -> tuple[str, str]:
        """(TOOI URI, label) of the DiWoo information category."""
        return self.kind.category_of(self.decision)

    @property
    def document_kind(self) -> tuple[str, str] | None:
        """(TOOI URI, label) of the DiWoo document kind of the main document."""
        return self.kind.document_kind_of(self.decision)

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
    def files(self) -> list[PublishedFile]:
        return self.main_files + [r.file for r in self.rows if r.file]

    @property
    def unsearchable(self) -> list[PublishedFile]:
        return [f for f in self.files if not f.searchable]

    @property
    def facts(self) -> list[tuple[str, str]]:
        """(label, text) of the type's own fields that have a label, for the facts table of its page."""
        from .tooi import short

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
                text = f"{value[1]} ({short(value[0])})"
            else:
                text = str(value)
            out.append((f.label, text))
        return out

    @property
    def document_count_text(self) -> str:
        total = len(self.decision.inventory)
        public = sum(1 for r in self.decision.inventory if r.assessment in ("openbaar", "deels openbaar"))
        noun = "document" if total == 1 else "documenten"
        suspended = sum(1 for r in self.decision.inventory if r.suspended)
        return f"{total} {noun}, waarvan {public} (deels) openbaar" + (
            f"; van {suspended} is de publicatie opgeschort" if suspended else "")

    @property
    def case_links(self) -> list[dict]:
        return [{"label": c, "url": urls.facet("zaak", c)} for c in self.decision.case_numbers]


def build_views(decisions: list[Decision], pdfs: dict[Path, PdfResult], published_copy,
                histories: dict[str, list] | None = None) -> list[DecisionView]:
    """Attach site URLs and published copies to each decision. ``published_copy(sha)`` gives a path."""
    from .history import withdrawn_documents

    views = []
    for d in decisions:
        history = (histories or {}).get(d.slug, [])
        gone = withdrawn_documents(history)
        base = urls.publication(d.slug, d.kind.url_prefix)

        def pub(ref, title, name, role, nr="", date=None, base=base):
            res = pdfs[ref.path]
            return PublishedFile(title, urls.in_publication(base, name), published_copy(res.sha256), res.published_size,
                                 res.pages, res.texts, role, nr, date)

        main = [pub(d.letter, d.kind.main_title or d.title, d.kind.main_name, "besluitbrief", date=d.decision_date)]
        for i, annex in enumerate(d.annexes, start=1):
            main.append(pub(annex.file, annex.title, urls.annex("", i), "bijlage"))
        rows, used = [], set()
        for row in d.inventory:
            anchor = slugify(row.nr)
            if anchor in used:
                anchor = f"{anchor}-rij-{row.row_number}"
            used.add(anchor)
            withdrawn = gone.get(row.nr)
            publish = row.published and withdrawn is None
            file = pub(row.file, row.title, urls.document("", anchor), "document", row.nr, row.date) if publish else None
            rows.append(RowView(row, anchor, file, withdrawn))
        rows = link_rows(rows)
        views.append(DecisionView(d, main, rows, sorted(history, key=lambda c: (c.date, c.kind, c.document or ""))))
    return sorted(views, key=lambda v: (-v.decision.decision_date.toordinal(), v.decision.kenmerk))


MAX_LINKED = 20  # documents of one e-mail conversation linked from each of them


def link_rows(rows: list[RowView]) -> list[RowView]:
    """Connect e-mails with their attachments (`Family`), conversations (`Email Thread ID`) and
    related documents (`Gerelateerd ID`); attachments are listed right after their e-mail.

    The e-mail of a family is the row whose number is the family's value (as e-discovery tools
    write it), else the family's first row of type e-mail, else its first row.
    """
    by_nr = {r.row.nr: r for r in rows if r.row.nr}
    families: dict[str, list[RowView]] = defaultdict(list)
    threads: dict[str, list[RowView]] = defaultdict(list)
    for r in rows:
        if r.row.family:
            families[r.row.family].append(r)
        if r.row.thread:
            threads[r.row.thread].append(r)
    for key, members in families.items():
        if len(members) < 2:
            continue
        head = by_nr.get(key) if by_nr.get(key) in members else None
        head = head or next((m for m in members if m.row.file_type.lower().replace("-", "") in ("email", "mail", "msg", "eml")),
                            members[0])
        for m in members:
            if m is not head:
                m.attached_to = head
                head.attachments.append(m)
    for members in threads.values():
        if len(members) < 2:
            continue
        for m in members:
            family = {id(x) for x in [m, m.attached_to, *m.attachments] if x is not None}
            m.thread = list(islice((x for x in members if id(x) not in family), MAX_LINKED))  # bounded: threads can be long
    for r in rows:
        r.related = [by_nr[n] for n in r.row.related if n in by_nr and by_nr[n] is not r]
    position = {id(r): i for i, r in enumerate(rows)}
    return sorted(rows, key=lambda r: (position[id(r.attached_to or r)], r.attached_to is not None, position[id(r)]))


class Page:
    def __init__(self, url: str, title: str, body: str, packages: tuple[str, ...] = ()):
        self.url = url
        self.title = title
        self.body = body
        self.packages = packages  # the packages (folder names) whose data the page shows

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

    def __post_init__(self):
        # With any type besides Woo decisions on the site, lists and facets name the type of each item.
        self.mixed = any(v.decision.type != "woo-besluit" for v in self.views)
        self.env = Environment(
            loader=PackageLoader("publish", "templates"),
            autoescape=select_autoescape(["html"], default_for_string=True, default=True),
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        )
        self.env.filters["dutch"] = dutch
        self.env.filters["filesize"] = filesize
        self.env.globals["mixed"] = self.mixed

    def render(self, template: str, url: str, page_title: str, shows=(), **context) -> None:
        """``shows``: the decision views whose data the page shows (for refusing a package by its page)."""
        page = Page(url, page_title, "", tuple(sorted({v.decision.name for v in shows})))
        page.body = self.env.get_template(template).render(page=page, site=self.site, urls=urls, **context)
        self.pages.append(page)

    # -- page families -----------------------------------------------------------------------
    def generate(self) -> list[Page]:
        views = self.views
        from .types import REGISTRY

        stats = {
            "types": [(kind, sum(1 for v in views if v.decision.type == name)) for name, kind in REGISTRY.items()],
            "decisions": len(views),
            "documents": sum(len(v.decision.inventory) for v in views),
            "published": sum(1 for v in views for r in v.rows if r.file),
        }
        latest = sorted(views, key=lambda v: (-v.decision.publication_date.toordinal(), v.decision.kenmerk))
        self.render("home.html", "", self.site.name, shows=latest[:LATEST_ON_HOME], stats=stats, latest=latest[:LATEST_ON_HOME])
        for v in views:
            downloads = [(label, url, self.download_sizes[url]) for url, label in (
                (urls.inventory_csv(v.url), "Inventarislijst (CSV)"), (urls.inventory_xlsx(v.url), "Inventarislijst (Excel)"),
                (urls.documents_zip(v.url), "Alle openbare documenten (ZIP)")) if url in self.download_sizes]
            context = {"summary_html": Markup(render_untrusted(v.decision.summary_markdown))}
            context.update(v.kind.page(v) if v.kind.page else {})
            self.render(v.kind.template, v.url, v.decision.title, shows=[v], item=v, downloads=downloads, **context)
        self._listings()
        self._grounds()
        self._statistics()
        self.render("search.html", urls.SEARCH, "Zoeken", examples=_search_examples(latest))
        for gone in self.withdrawn:
            self.render("withdrawn.html", gone["url"], f"{gone.get('label', 'Besluit')} {gone['kenmerk']} is ingetrokken", gone=gone)
            self.pages[-1].packages = (gone["package"],) if gone.get("package") else ()
        for item in self.unavailable:
            self.render("unavailable.html", item["url"], f"Besluit {item['kenmerk']} is tijdelijk niet beschikbaar", item=item)
            self.pages[-1].packages = (item["package"],) if item.get("package") else ()
        return self.pages

    def _statistics(self) -> None:
        from statistics import median

        from .charts import bar_chart
        from .model import OUTCOMES
        from .tooi import short
        from .types import REGISTRY

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
        durations = [(v.decision.decision_date - v.decision.request_received).days for v in views
                     if v.decision.request_received and v.decision.law == "Woo"]
        buckets = [("binnen 4 weken", sum(1 for d in durations if d <= 28)),
                   ("4 tot 6 weken (met verdaging)", sum(1 for d in durations if 28 < d <= 42)),
                   ("meer dan 6 weken (te laat)", sum(1 for d in durations if d > 42))]
        charts: list[dict[str, Any]] = [
            {"id": "per-jaar", "title": "Besluiten per jaar", "label": "Jaar", "value_label": "Besluiten",
             "items": sorted(years.items())},
            {"id": "uitkomst", "title": "Uitkomst van de besluiten", "label": "Uitkomst", "value_label": "Besluiten",
             "items": [(o.capitalize(), outcomes[o]) for o in OUTCOMES if outcomes[o]]},
            {"id": "gronden", "title": "Gebruikte weigeringsgronden", "label": "Weigeringsgrond",
             "value_label": "Besluiten die de grond gebruiken",
             "items": sorted(grounds.items(), key=lambda kv: (-kv[1], kv[0]))},
            {"id": "doorlooptijd", "title": "Tijd van verzoek tot besluit (Woo)", "label": "Doorlooptijd",
             "value_label": "Besluiten", "items": [b for b in buckets if durations],
             "intro": (f"De Woo geeft 4 weken om te beslissen, met ten hoogste 2 weken verdaging. "
                       f"Mediaan: {round(median(durations))} dagen over {len(durations)} Woo-besluiten met een bekende ontvangstdatum."
                       if durations else "De Woo geeft 4 weken om te beslissen, met ten hoogste 2 weken verdaging.")},
        ]
        charts.append({"id": "categorieen", "title": "Publicaties per informatiecategorie (Woo)", "label": "Informatiecategorie",
                       "value_label": "Publicaties", "items": sorted(categories.items(), key=lambda kv: (-kv[1], kv[0])),
                       "intro": "De Woo noemt 17 categorieën informatie die actief openbaar worden gemaakt (artikel 3.3); "
                                "hier staat hoeveel publicaties van elke categorie op de site staan."})
        for chart in charts:
            chart["svg"] = bar_chart(chart["id"], chart["title"], chart["items"]) if chart["items"] else ""
        if durations:
            days = sorted(durations)
            charts.append({"id": "dagen", "title": "Doorlooptijd per besluit in dagen (Woo)", "label": "Besluit",
                           "value_label": "Dagen", "intro": "De stippellijnen staan bij 28 dagen (4 weken) en 42 dagen (6 weken).",
                           "items": [(v.decision.kenmerk, (v.decision.decision_date - v.decision.request_received).days)
                                     for v in sorted(views, key=lambda v: v.decision.kenmerk)
                                     if v.decision.request_received and v.decision.law == "Woo"][:60]})
            charts[-1]["svg"] = bar_chart("dagen", charts[-1]["title"], charts[-1]["items"], " d",
                                          marks=[(28, "4 weken"), (42, "6 weken")])
            del days
        self.render("statistics.html", urls.STATISTICS, "Statistieken", shows=self.views, charts=charts, total=len(views),
                    all_total=len(self.views), per_type=[(kind, sum(1 for v in self.views if v.decision.type == name))
                                                         for name, kind in REGISTRY.items()])

    def _facets(self, current: str | None) -> list[dict]:
        facets = []
        for key, title, label_of in (
            ("soort", "Soort", lambda v: [v.kind.plural] if self.mixed else []),
            ("jaar", "Jaar", lambda v: [str(v.decision.year)]),
            ("organisatie", "Organisatie", lambda v: [v.decision.organisation]),
            ("uitkomst", "Uitkomst (Woo-besluiten)" if self.mixed else "Uitkomst",
             lambda v: [v.decision.outcome.capitalize()] if v.decision.outcome else []),
            ("onderwerp", "Onderwerp", lambda v: v.decision.subjects),
            ("zaak", "Zaaknummer", lambda v: v.decision.case_numbers),
        ):
            counts: dict[str, int] = defaultdict(int)
            for v in self.views:
                for label in (label_of(v) if key == "soort" or key in v.kind.facets else []):
                    counts[label] += 1
            order = sorted(counts, key=lambda s: (-int(s), s) if key == "jaar" else (s.lower(), s))
            values = [{"label": label, "count": counts[label],
                       "url": urls.facet(key, label),
                       "current": current == urls.facet(key, label)} for label in order]
            if values:
                facets.append({"title": title, "values": values})
        return facets

    def _paged(self, base: str, title: str, list_title: str, caption: str, items: list, intro: str = "") -> None:
        chunks = [items[i:i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [[]]
        pages = [urls.listing_page(base, n) for n in range(1, len(chunks) + 1)]
        for n, chunk in enumerate(chunks, start=1):
            pagination = Pagination(n, len(chunks), list(enumerate(pages, start=1)),
                                    pages[n - 2] if n > 1 else None, pages[n] if n < len(chunks) else None)
            page_title = title if n == 1 else f"{title} (pagina {n})"
            self.render("listing.html", pages[n - 1], page_title, shows=self.views, title=page_title, intro=intro,
                        facets=self._facets(base), list_title=list_title, caption=caption,
                        items=chunk, pagination=pagination)

    def _listings(self) -> None:
        if self.mixed:
            self._paged(urls.LISTING, "Alle publicaties", "Publicaties, nieuwste eerst",
                        "Alle gepubliceerde besluiten, Kamerstukken en andere publicaties", self.views,
                        "Kies hieronder een soort, jaar, organisatie, uitkomst of onderwerp om de lijst te beperken.")
        else:
            self._paged(urls.LISTING, "Alle besluiten", "Besluiten, nieuwste eerst",
                        "Alle gepubliceerde besluiten", self.views,
                        "Kies hieronder een jaar, organisatie, uitkomst of onderwerp om de lijst te beperken.")
        groups: dict[tuple[str, str], list] = defaultdict(list)
        labels: dict[tuple[str, str], str] = {}
        for v in self.views:
            d = v.decision
            for key, label in ([("soort", v.kind.plural)] if self.mixed else []) + [("jaar", str(d.year)), ("organisatie", d.organisation)] + (
                    [("uitkomst", d.outcome.capitalize())] if d.outcome else []) + [("onderwerp", s) for s in d.subjects] + [
                    ("zaak", c) for c in d.case_numbers]:
                if key != "soort" and key not in v.kind.facets:  # each type lists the facets it takes part in
                    continue
                groups[(key, slugify(label))].append(v)
                labels[(key, slugify(label))] = label
        names = {"jaar": "Besluiten uit {}", "organisatie": "Besluiten van {}",
                 "uitkomst": "Besluiten met uitkomst: {}", "onderwerp": "Besluiten over {}",
                 "zaak": "Besluiten in zaak {}"}
        if self.mixed:
            names = {"soort": "{}", "jaar": "Publicaties uit {}", "organisatie": "Publicaties van {}",
                     "uitkomst": "Woo-besluiten met uitkomst: {}", "onderwerp": "Publicaties over {}",
                     "zaak": "Besluiten in zaak {}"}
        for (key, slug), items in sorted(groups.items()):
            title = names[key].format(labels[(key, slug)])
            self._paged(urls.facet(key, labels[(key, slug)]), title, title, title, items)

    def _grounds(self) -> None:
        used: dict[tuple[str, str], list] = defaultdict(list)
        for v in self.views:
            for g in v.decision.grounds:
                used[(g.law, g.id)].append(v)
        groups = []
        for law in ("Woo", "Wob"):
            items = []
            for ground in sorted((g for g in GROUNDS.values() if g.law == law), key=ground_sort_key):
                items.append(({"ground": ground, "url": urls.ground(ground.slug)}, len(used[(law, ground.id)])))
                self.render("ground.html", urls.ground(ground.slug), f"{ground.id} {ground.law}: {ground.meaning}",
                            shows=used[(law, ground.id)], ground=ground, items=used[(law, ground.id)])
            groups.append((law, items))
        self.render("grounds.html", urls.GROUNDS, "Weigeringsgronden", groups=groups)


def _search_examples(latest: list) -> dict:
    """The search help's examples come from this site's own data: the newest kenmerk and the most
    used refusal ground (none when the site has no such thing yet)."""
    counts: dict[str, int] = {}
    for v in latest:
        for ground in v.decision.grounds:
            counts[ground.id] = counts.get(ground.id, 0) + 1
    ground = min(counts, key=lambda g: (-counts[g], g)) if counts else ""
    return {"kenmerk": latest[0].decision.kenmerk if latest else "", "ground": ground}


def write_sources(pages: list[Page], target: Path) -> None:
    """Write each page as Markdown with its title in front matter and its HTML as one raw block."""
    for page in pages:
        path = target / page.source_path
        path.parent.mkdir(parents=True, exist_ok=True)
        # mkdocs' templates do not autoescape: the title goes in already escaped.
        title = str(escape(page.title))
        head = yaml.safe_dump({"title": title}, allow_unicode=True, width=1000).strip()
        path.write_text(f"---\n{head}\n---\n\n<div class=\"woo-page\">\n{page.body.strip()}\n</div>\n", encoding="utf-8")
