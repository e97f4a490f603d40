"""Bytes of the listing pages (``besluiten/`` and every filtered list under it) as the archive grows (issue 19).

Every listing page shows the facets (year, organisation, outcome, subject, case number). When each page
listed every value of every facet, the listing pages together grew with the number of pages times the
number of values: quadratic in the archive, as every decision brings a case number of its own. This
renders only the listing pages (and the facet index pages, when there are any) with the real templates
from synthetic decisions that have realistic facets: a case number of their own (one in five shares it
with another decision), 2 subjects from a pool that grows with the archive, 1 of 40 organisations, 6
years. It needs no PDF and no mkdocs: the figures are the bytes of the pages' content as the generator
makes them (mkdocs adds the same theme, some 20 kB, around each page).

Run (small sizes are fine; it takes seconds):
    nice -n 10 .venv/bin/python benchmarks/listing_bytes.py --sizes 300 1000

``--change`` (issue 19, stable listing pages): per size, which listing pages (files under ``besluiten/``) one new
decision (published after every other one) and one withdrawn decision (the middle one by publication) change:
pages with other content, new pages, pages gone. Content bytes only (mkdocs adds its theme around each page).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publish import urls  # noqa: E402
from publish.pages import DecisionView, Generator, SiteText  # noqa: E402
from publish.slugs import slugify  # noqa: E402
from publish.types import get  # noqa: E402

OUTCOMES = ["openbaar", "deels openbaar", "niet openbaar", "reeds openbaar"]


def synthetic_views(n: int, seed: int = 7) -> list[DecisionView]:
    rng = random.Random(seed)
    subjects = [f"onderwerp {i}" for i in range(max(8, n // 5))]
    kind = get("woo-besluit")
    views = []
    for i in range(n):
        decided = dt.date(2020, 1, 1) + dt.timedelta(days=(i * 37) % (6 * 365))
        kenmerk = f"{decided.year}-{i:07d}"
        case = f"ZAAK-{i - i % 2 if i % 5 == 0 else i:06d}"
        d = SimpleNamespace(
            type="woo-besluit",
            kind=kind,
            name=kenmerk,
            kenmerk=kenmerk,
            slug=slugify(kenmerk),
            title=f"Besluit op het Woo-verzoek over {rng.choice(subjects)} ({i})",
            organisation=f"Organisatie {i % 40}",
            law="Woo",
            outcome=rng.choice(OUTCOMES),
            decision_date=decided,
            publication_date=decided + dt.timedelta(days=7),
            year=decided.year,
            subjects=sorted(rng.sample(subjects, 2)),
            case_numbers=[case],
            grounds=(),
        )
        views.append(DecisionView(d, [], []))  # type: ignore[arg-type]
    return sorted(views, key=lambda v: (-v.decision.decision_date.toordinal(), v.decision.kenmerk))


def measure(n: int) -> dict:
    sizes: dict[str, int] = {}

    def sink(page) -> None:
        sizes[page.url] = len(page.body.encode("utf-8"))

    g = Generator(SiteText("Woo-publicaties", "Testorganisatie"), synthetic_views(n), sink=sink)
    g._listings()
    listing = [u for u in sizes if u.startswith(urls.LISTING)]
    total = sum(sizes[u] for u in listing)
    return {
        "besluiten": n,
        "pagina's": len(listing),
        "bytes_totaal": total,
        "bytes_per_pagina": round(total / max(1, len(listing))),
        "grootste_pagina": max(sizes[u] for u in listing),
        "besluiten/": sizes[urls.LISTING],
    }


def _listing_pages(views, places=()) -> dict[str, str]:
    import dataclasses

    bodies: dict[str, str] = {}

    def sink(page) -> None:
        if page.url.startswith(urls.LISTING):
            bodies[page.url] = page.body

    kept = {"places": places} if "places" in {f.name for f in dataclasses.fields(Generator)} else {}
    Generator(SiteText("Woo-publicaties", "Testorganisatie"), views, sink=sink, **kept)._listings()
    return bodies


def _difference(before: dict[str, str], after: dict[str, str]) -> dict:
    changed = [u for u in after if u in before and after[u] != before[u]]
    added = [u for u in after if u not in before]
    return {
        "anders": len(changed),
        "nieuw": len(added),
        "weg": len(set(before) - set(after)),
        "bytes": sum(len(after[u].encode("utf-8")) for u in changed + added),
    }


def change(n: int) -> dict:
    """What one new and one withdrawn decision change among the listing pages of ``n`` decisions."""
    import copy

    views = synthetic_views(n + 1)
    newest = max(v.decision.publication_date for v in views)
    extra = views.pop(n // 2)  # a decision of its own for the night: published the day after the newest
    extra = copy.copy(extra)
    extra.decision = copy.copy(extra.decision)
    extra.decision.publication_date = extra.decision.decision_date = newest + dt.timedelta(days=1)
    extra.decision.year = extra.decision.decision_date.year
    extra.decision.case_numbers = [f"ZAAK-{n + 1:06d}"]  # a new case: its number sorts after the others
    before = _listing_pages(views)
    added = _listing_pages([extra, *views])
    by_publication = sorted(views, key=lambda v: (v.decision.publication_date, v.decision.kenmerk))
    gone = by_publication[len(by_publication) // 2]
    withdrawn = _listing_pages([v for v in views if v is not gone], places=[gone.decision])
    return {
        "besluiten": n,
        "pagina's": len(before),
        "toegevoegd": _difference(before, added),
        "ingetrokken": _difference(before, withdrawn),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--change", action="store_true", help="listing pages one new and one withdrawn decision change")
    args = parser.parse_args()
    for n in args.sizes:
        print(change(n) if args.change else measure(n))


if __name__ == "__main__":
    main()
