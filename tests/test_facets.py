"""Listing facets that stay small as the archive grows (issue 19): every listing page shows at most the
most frequent values of each facet and links to the facet's own index pages, where every value is listed,
paged, as plain links (no JavaScript needed). A real build, with the limits made small."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from publish import pages
from publish.build import EXIT_OK, BuildOptions, run_build

from support import ROOT, PackageMaker, Server, approve, needs_browser, probe

pytestmark = pytest.mark.slow  # builds a site

CASES = [f"ZAAK-{n:03d}" for n in range(1, 8)]  # seven case numbers; ZAAK-001 is in three decisions, ZAAK-002 in two


def _section(html: str, title: str) -> str:
    match = re.search(rf"<section>\s*<h2>{re.escape(title)}</h2>(.*?)</section>", html, re.S)
    assert match, title
    return match.group(1)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("facetten")
    make = PackageMaker(root / "decisions")
    header = ["nr", "document", "datum", "beoordeling", "gronden", "bestand", "zaaknummer"]
    spread = ["ZAAK-001", "ZAAK-001", "ZAAK-001", "ZAAK-002", "ZAAK-002", *CASES[2:]]
    for n, case in enumerate(spread, start=1):
        approve(
            make(
                f"p{n}",
                meta={"kenmerk": f"2024-{n:04d}", "besluit": "openbaar"},
                header=header,
                rows=[["1", "Verslag", "2024-01-10", "openbaar", "", "documenten/1.pdf", case]],
                extra_meta={"onderwerpen": ["Verkeer & vervoer" if n == 9 else f"onderwerp {n}"]},
            )
        )
    out = root / "site"
    patch = pytest.MonkeyPatch()
    patch.setattr(pages, "FACET_TOP", 3)
    patch.setattr(pages, "FACET_INDEX_SIZE", 3)
    try:
        report = run_build(
            BuildOptions(
                decisions=root / "decisions",
                out=out,
                config=ROOT / "mkdocs.yml",
                cache=root / "cache",
                today=dt.date(2024, 6, 1),
                workers=1,
                archive=root / "archief",
            )
        )
    finally:
        patch.undo()
    assert report.exit_code == EXIT_OK and report.written, (report.error, report.refused)
    return out


def test_a_listing_page_shows_the_top_values_and_links_to_all(site: Path):
    listing = (site / "besluiten/index.html").read_text()
    cases = _section(listing, "Zaaknummer")
    # The three most frequent (ties alphabetical), with their counts, then a link to every value.
    assert re.findall(r'<a href="zaak/([^"]+)/">([^<]+)</a> <span class="woo-muted">\((\d+)\)</span>', cases) == [
        ("zaak-001", "ZAAK-001", "3"),
        ("zaak-002", "ZAAK-002", "2"),
        ("zaak-003", "ZAAK-003", "1"),
    ]
    assert '<a href="zaak/">Alle 7 zaaknummers</a>' in cases
    subjects = _section(listing, "Onderwerp")
    assert subjects.count("<li>") == 3 and '<a href="onderwerp/">Alle 10 onderwerpen</a>' in subjects
    # Facets with few values are shown whole, without the link.
    outcome = _section(listing, "Uitkomst")
    assert 'href="uitkomst/openbaar/"' in outcome and "Alle " not in outcome


def test_the_page_of_a_value_beyond_the_top_marks_it_as_current(site: Path):
    page = (site / "besluiten/zaak/zaak-007/index.html").read_text()
    cases = _section(page, "Zaaknummer")
    assert '<span aria-current="page">ZAAK-007</span>' in cases
    assert cases.count("<li>") == 4 and 'href="../">Alle 7 zaaknummers</a>' in cases


def test_the_facet_index_lists_every_value_paged_as_plain_links(site: Path):
    found = []
    for n, path in enumerate(["besluiten/zaak/index.html", "besluiten/zaak/pagina/2/index.html", "besluiten/zaak/pagina/3/index.html"], 1):
        html = (site / path).read_text()
        assert re.search(r"<h1[^>]*>Alle zaaknummers" + (f" \\(pagina {n}\\)" if n > 1 else "") + "</h1>", html), path
        assert f"Pagina {n} van 3" in html and 'aria-label="Paginering"' in html
        content = html.split('class="woo-facet-index"')[1].split("</ul>")[0]
        for href, label in re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', content):
            assert (site / Path(path).parent / href / "index.html").resolve().is_file(), href
            found.append(label)
    assert found == CASES  # alphabetical, each once
    assert not (site / "besluiten/zaak/pagina/4").exists()
    first = (site / "besluiten/zaak/index.html").read_text()
    assert "7 zaaknummers, met het aantal besluiten bij elk." in first
    assert 'rel="next"' in first and 'href="pagina/2/"' in first
    # Labels are escaped: a subject with an ampersand.
    subjects = "".join(p.read_text() for p in sorted((site / "besluiten/onderwerp").glob("**/index.html")))
    assert "Verkeer &amp; vervoer" in subjects and "Verkeer & vervoer" not in subjects


def test_facets_with_few_values_get_no_index_page(site: Path):
    assert not (site / "besluiten/uitkomst/index.html").exists()
    assert not (site / "besluiten/organisatie/index.html").exists()


@needs_browser
def test_the_facet_index_and_listing_pass_axe(site: Path):
    """WCAG 2.2 AA as axe-core checks it (the links work without JavaScript: plain hrefs, see above)."""
    server = Server(site)
    try:
        for path in ("besluiten/zaak/", "besluiten/zaak/pagina/2/", "besluiten/"):
            r = probe(url=server.base + path, axe=True)
            assert r["status"] == 200 and r["errors"] == [] and r["axe"] == [], (path, r["errors"], r["axe"])
    finally:
        server.close()
