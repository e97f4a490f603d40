"""A decision with tens of thousands of inventory rows, built as the pages are (no PDFs needed):
for the large-inventory tests and the filter benchmark."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from publish.grounds import GROUNDS
from publish.model import Decision, FileRef, InventoryRow
from publish.pages import (
    DecisionView,
    Generator,
    PublishedFile,
    RowView,
    SiteText,
    document_page_url,
    inventory_json,
    write_sources,
)

ROOT = Path(__file__).resolve().parent.parent
KINDS = ["E-mail", "Nota", "Verslag", "Brief", "Presentatie", "Chatbericht", "Agenda", "Memo", "Notitie", "Bijlage"]
TOPICS = [
    "windturbines",
    "communicatieadviseur",
    "begroting",
    "datalekken",
    "verkiezingen",
    "stikstof",
    "huisvesting",
    "subsidieregeling",
    "Kamervragen",
    "informatiebeveiliging",
    "wateroverlast",
    "personeelsbeleid",
]
ASSESS = ["openbaar", "deels openbaar", "deels openbaar", "niet openbaar", "reeds openbaar"]


def large_view(rows: int) -> DecisionView:
    grounds = [GROUNDS[("Woo", g)] for g in ("5.1.2.e", "5.1.2.i", "5.2.1", "5.1.2.d")]
    start = dt.date(2020, 1, 1)
    inventory, views = [], []
    letter = FileRef("besluit.pdf", Path("/nonexistent/besluit.pdf"))
    base = "besluit/2025-groot/"
    for i in range(rows):
        assessment = ASSESS[i % len(ASSESS)]
        gs = (
            []
            if assessment in ("openbaar", "reeds openbaar")
            else [grounds[i % 4]] + ([grounds[(i // 4) % 4]] if i % 3 == 0 else [])
        )
        gs = list(dict.fromkeys(gs))
        title = f"{KINDS[i % len(KINDS)]} over {TOPICS[(i // 7) % len(TOPICS)]} {i // 13}"
        row = InventoryRow(
            i + 2,
            str(i + 1),
            title,
            start + dt.timedelta(days=(i * 37) % 1500),
            assessment,
            gs,
            None,
            "https://www.rijksoverheid.nl/documenten" if assessment == "reeds openbaar" else None,
            "Zie ook document 12" if i % 50 == 0 else "",
        )
        inventory.append(row)
        anchor = str(i + 1)
        file = None
        if assessment in ("openbaar", "deels openbaar"):
            file = PublishedFile(
                title,
                f"{base}document-{anchor}.pdf",
                letter.path,
                20_000 + i % 9000,
                1 + i % 12,
                [],
                "document",
                row.nr,
                row.date,
            )
        views.append(RowView(row, anchor, file, None, page_url=document_page_url(base, anchor)))
    decision = Decision(
        Path("/nonexistent"),
        "groot",
        "woo-besluit",
        "2025-groot",
        "Alle stukken over het programma Ruimte",
        "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        "Woo",
        "deels openbaar",
        dt.date(2025, 3, 3),
        dt.date(2025, 3, 10),
        dt.date(2024, 9, 1),
        None,
        None,
        ["ruimte"],
        letter,
        [],
        None,
        inventory,
        "Een besluit met heel veel documenten.",
    )
    letter_file = PublishedFile("Besluitbrief", base + "besluitbrief.pdf", letter.path, 40_000, 4, ["tekst"], "besluitbrief")
    return DecisionView(decision, [letter_file], views, [])


def build_large_site(out: Path, rows: int, document_pages: int = 3, inventory_pages: bool = True) -> DecisionView:
    """The real theme and mkdocs around the generated pages of one large decision; only the first
    ``document_pages`` document pages go through mkdocs (all would take minutes, and add nothing);
    ``inventory_pages=False`` leaves out the static inventory pages too (for the filter benchmark)."""
    from publish.build import _add_security_headers, _copy_static, _run_mkdocs
    from publish.identity import IDENTITY_CSS, identity_css
    from publish.siteconfig import load_site_config

    site = load_site_config(ROOT / "mkdocs.yml")
    view = large_view(rows)
    sources = out.parent / (out.name + "-src")
    shutil.rmtree(sources, ignore_errors=True)
    _copy_static(site, sources)
    (sources / IDENTITY_CSS).parent.mkdir(parents=True, exist_ok=True)
    (sources / IDENTITY_CSS).write_text(identity_css(site.colours), encoding="utf-8")
    keep = {r.page_url for r in view.rows[:document_pages]}
    generator = Generator(SiteText(site.name, site.organisation), [view])
    pages = [
        p
        for p in generator.generate()
        if ("/document/" not in p.url or p.url in keep) and (inventory_pages or "/inventaris/" not in p.url)
    ]
    write_sources(pages, sources)
    _run_mkdocs(site, sources, out, [view])
    (out / view.inventory_json_url).write_text(inventory_json(view), encoding="utf-8")
    _add_security_headers(out, [])
    return view
