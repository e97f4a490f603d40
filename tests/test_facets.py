"""Listing facets that stay small as the archive grows (issue 19): every listing page shows at most the
most frequent values of each facet and links to the facet's own index pages, where every value is listed,
paged, as plain links (no JavaScript needed). A real build, with the limits made small."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from publish import pages
from publish.build import EXIT_OK, BuildOptions, run_build
from publish.grounds import GROUNDS

from support import DEMO_KEY, ROOT, PackageMaker, Server, approve, needs_browser, probe, run_cli

CASES = [f"ZAAK-{n:03d}" for n in range(1, 8)]  # seven case numbers; ZAAK-001 is in three decisions, ZAAK-002 in two


def _section(html: str, title: str) -> str:
    match = re.search(rf"<section>\s*<h2>{re.escape(title)}</h2>(.*?)</section>", html, re.S)
    assert match, title
    return match.group(1)


def _build(root: Path, decisions: Path, out: Path, archive: Path) -> None:
    """A real build with the limits made small: 3 facet values on a listing, 3 values a facet index page, and
    2 decisions a page of a list (so 9 decisions make older pages)."""
    patch = pytest.MonkeyPatch()
    patch.setattr(pages, "FACET_TOP", 3)
    patch.setattr(pages, "FACET_INDEX_SIZE", 3)
    patch.setattr(pages, "PAGE_SIZE", 2)
    try:
        report = run_build(
            BuildOptions(
                decisions=decisions,
                out=out,
                config=ROOT / "mkdocs.yml",
                cache=root / "cache",
                today=dt.date(2024, 6, 1),
                workers=1,
                archive=archive,
            )
        )
    finally:
        patch.undo()
    assert report.exit_code == EXIT_OK and report.written, (report.error, report.refused)


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
    _build(root, root / "decisions", root / "site", root / "archief")
    return root / "site"


@pytest.fixture(scope="module")
def grown(site: Path):
    """Issue 19, stable listing pages: the same site with an eleventh decision published after the others (``"toegevoegd"``)
    and then the third one withdrawn (``"ingetrokken"``); real builds on a copy of the packages, with the first
    build's cache (only the new decision's PDFs are checked)."""
    root = site.parent
    decisions = root / "groei" / "decisions"
    shutil.copytree(root / "decisions", decisions)
    header = ["nr", "document", "datum", "beoordeling", "gronden", "bestand", "zaaknummer"]
    approve(
        PackageMaker(decisions)(
            "p11",
            meta={"kenmerk": "2024-0011", "besluit": "openbaar", "titel": "Het elfde besluit", "publicatie_datum": "2024-05-20"},
            header=header,
            rows=[["1", "Verslag", "2024-01-10", "openbaar", "", "documenten/1.pdf", "ZAAK-011"]],
            extra_meta={"onderwerpen": ["onderwerp 11"]},
        )
    )
    _build(root, decisions, root / "groei" / "toegevoegd", root / "groei" / "archief")
    # The third decision ("Verzoek over vergaderstukken" like the others: found by its kenmerk) is withdrawn.
    result = run_cli(
        "withdraw", str(decisions / "p3"), "--reden", "Verkeerd besluit", "--datum", "2024-05-25", "--sleutel", str(DEMO_KEY)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    _build(root, decisions, root / "groei" / "ingetrokken", root / "groei" / "archief")
    return {"eerst": site, "toegevoegd": root / "groei" / "toegevoegd", "ingetrokken": root / "groei" / "ingetrokken"}


@pytest.mark.slow
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


@pytest.mark.slow
def test_the_page_of_a_value_links_the_filters_instead_of_showing_counts(site: Path):
    """Issue 19, stable listing pages: the facet panel with its counts (which change with every decision) is on
    ``besluiten/`` only; a value's own list links to it and shows its own total."""
    page = (site / "besluiten/zaak/zaak-007/index.html").read_text()
    assert 'class="woo-facets"' not in page and 'woo-muted">(' not in page
    assert '<a href="../../#filteren">Alle besluiten filteren op jaar, organisatie, uitkomst of onderwerp</a>' in page
    assert "<p>1 besluit in deze lijst.</p>" in page
    assert 'id="filteren" aria-label="Besluiten filteren"' in (site / "besluiten/index.html").read_text()


@pytest.mark.slow
def test_the_facet_index_lists_every_value_paged_as_plain_links(site: Path):
    found = []
    for n, path in enumerate(
        ["besluiten/zaak/index.html", "besluiten/zaak/pagina/2/index.html", "besluiten/zaak/pagina/3/index.html"], 1
    ):
        html = (site / path).read_text()
        assert re.search(r"<h1[^>]*>Alle zaaknummers" + (f" \\(pagina {n}\\)" if n > 1 else "") + "</h1>", html), path
        # Issue 19: no total behind the first page, so a page changes only when its own values do.
        pager = _pager(html)
        assert f'<span aria-current="page"><span class="woo-sr">Pagina </span>{n}</span>' in pager and " van " not in pager
        assert ("7 zaaknummers" in html) == (n == 1)
        content = html.split('class="woo-facet-index"')[1].split("</ul>")[0]
        for href, label in re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', content):
            assert (site / Path(path).parent / href / "index.html").resolve().is_file(), href
            found.append(label)
    assert found == CASES  # alphabetical, each once
    assert not (site / "besluiten/zaak/pagina/4").exists()
    first = (site / "besluiten/zaak/index.html").read_text()
    assert "7 zaaknummers, met het aantal besluiten bij elk." in first
    second = (site / "besluiten/zaak/pagina/2/index.html").read_text()
    assert "Zaaknummers ZAAK-004 tot en met ZAAK-006, met het aantal besluiten bij elk." in second
    assert 'rel="next"' in first and 'href="pagina/2/"' in first
    # Labels are escaped: a subject with an ampersand.
    subjects = "".join(p.read_text() for p in sorted((site / "besluiten/onderwerp").glob("**/index.html")))
    assert "Verkeer &amp; vervoer" in subjects and "Verkeer & vervoer" not in subjects


@pytest.mark.slow
def test_facets_with_few_values_get_no_index_page(site: Path):
    assert not (site / "besluiten/uitkomst/index.html").exists()
    assert not (site / "besluiten/organisatie/index.html").exists()


@pytest.mark.slow
@needs_browser
def test_the_facet_index_and_listing_pass_axe(site: Path):
    """WCAG 2.2 AA as axe-core checks it, also on an older page of a list and a value's list (the links work
    without JavaScript: plain hrefs, see above)."""
    server = Server(site)
    try:
        for path in (
            "besluiten/zaak/",
            "besluiten/zaak/pagina/2/",
            "besluiten/",
            "besluiten/pagina/2/",
            "besluiten/pagina/",
            "besluiten/jaar/2024/",
        ):
            r = probe(url=server.base + path, axe=True)
            assert r["status"] == 200 and r["errors"] == [] and r["axe"] == [], (path, r["errors"], r["axe"])
    finally:
        server.close()


# -- issue 19, stable listing pages: real builds of the site above, a decision added, one withdrawn -------------------


def _kenmerken(html: str) -> list[str]:
    return re.findall(r'<span class="woo-muted">Kenmerk ([^<]+)</span>', html)


def _pager(html: str) -> str:
    match = re.search(r'<nav class="woo-pager" aria-label="Paginering">.*?</nav>', html, re.S)
    return match.group(0) if match else ""


def _list_pages(site: Path, base: str) -> dict[str, bytes]:
    """The files of one list of decisions: its own page and its older pages."""
    files = [site / base / "index.html", *sorted((site / base / "pagina").glob("*/index.html"))]
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in files if p.is_file()}


def _value_lists(site: Path) -> dict[str, bytes]:
    """Every page of every list of one facet value (``besluiten/<facet>/<value>/``, its older pages included), not
    the facet index pages (``besluiten/<facet>/``, values with their counts)."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted((site / "besluiten").glob("*/*/**/index.html"))
        if p.relative_to(site).parts[2] != "pagina"
    }


@pytest.mark.slow
def test_a_new_decision_changes_only_the_newest_page_of_its_lists(grown):
    before, after = grown["eerst"], grown["toegevoegd"]
    old, new = _list_pages(before, "besluiten/"), _list_pages(after, "besluiten/")
    # 10 decisions, 2 a page: the listing shows the newest full block and what came after it, older pages count
    # from the oldest; the eleventh decision joins the listing, and every older page keeps every byte.
    pages = [f"besluiten/pagina/{n}/index.html" for n in range(1, 5)]
    assert sorted(old) == sorted(new) == ["besluiten/index.html", *pages]
    assert [p for p in pages if old[p] != new[p]] == []
    assert _kenmerken(old["besluiten/index.html"].decode()) == ["2024-0010", "2024-0009"]
    assert _kenmerken(new["besluiten/index.html"].decode()) == ["2024-0011", "2024-0010", "2024-0009"]
    assert [_kenmerken(new[p].decode()) for p in pages] == [[f"2024-{n + 1:04d}", f"2024-{n:04d}"] for n in (1, 3, 5, 7)]
    # The lists of a value the new decision does not have keep every byte, their own pages included; the lists it
    # is in change on their own page only.
    old_values, new_values = _value_lists(before), _value_lists(after)
    assert "besluiten/onderwerp/onderwerp-11/index.html" in set(new_values) - set(old_values)
    mine = (
        "besluiten/jaar/2024/index.html",
        "besluiten/organisatie/testgemeente/index.html",
        "besluiten/uitkomst/openbaar/index.html",
    )
    assert any("/pagina/" in p for p in old_values)
    assert sorted(p for p in old_values if old_values[p] != new_values[p]) == sorted(mine)


@pytest.mark.slow
@pytest.mark.parametrize("state", ["toegevoegd", "ingetrokken"])
def test_every_page_of_a_list_is_reachable_newest_first_and_no_pager_link_is_dead(grown, state):
    site = grown[state]
    for base in ("besluiten/", "besluiten/jaar/2024/"):
        files = {site / p for p in _list_pages(site, base)}
        seen, todo, order = set(), [site / base / "index.html"], []
        while todo:
            page = todo.pop(0)
            if page in seen:
                continue
            seen.add(page)
            html = page.read_text()
            if page == (site / base / "pagina/index.html").resolve():
                # Every older page, newest first, with its dates (the pager skips the middle ones).
                numbers = [int(n) for n in re.findall(r'<li><a href="(\d+)/">Pagina \1', html)]
                assert numbers == sorted(numbers, reverse=True) and numbers[-1] == 1, numbers
                assert {(page.parent / f"{n}/index.html").resolve() for n in numbers} == {
                    p for p in files if p.parent.parent.name == "pagina"
                }
                assert "gepubliceerd op" in html or "gepubliceerd van" in html
                continue
            pager = _pager(html)
            assert "van" not in re.sub(r"<[^>]+>", " ", pager), pager  # no "Pagina X van Y"
            assert pager.count('aria-current="page"') == 1
            # The oldest page says so to everyone, not only to screen readers.
            assert re.search(r'<span class="woo-sr">Pagina </span>1 \(oudste\)</', pager), pager
            for href in re.findall(r'href="([^"]+)"', pager):
                target = (page.parent / href / "index.html").resolve()
                assert target.is_file(), (page, href)
                todo.append(target)
        assert seen == {*files, (site / base / "pagina/index.html").resolve()}, sorted(str(p) for p in files - seen)
        # Following "Oudere besluiten" from the listing shows every decision once, newest first.
        page = site / base / "index.html"
        while True:
            html = page.read_text()
            order += _kenmerken(html)
            older = re.search(r'<a href="([^"]+)" rel="next">Oudere besluiten</a>', html)
            if not older:
                break
            page = (page.parent / older.group(1) / "index.html").resolve()
        shown = [f"2024-{n:04d}" for n in range(11, 0, -1) if state == "toegevoegd" or n != 3]
        assert order == shown


@pytest.mark.slow
def test_a_withdrawn_decision_leaves_a_gap_on_its_own_page_only(grown):
    before, after = _list_pages(grown["toegevoegd"], "besluiten/"), _list_pages(grown["ingetrokken"], "besluiten/")
    assert sorted(before) == sorted(after)
    changed = sorted(p for p in after if before[p] != after[p])
    # Its own page (one decision less) and the listing's total; every other page keeps its bytes.
    assert changed == ["besluiten/index.html", "besluiten/pagina/2/index.html"]
    assert _kenmerken(after["besluiten/pagina/2/index.html"].decode()) == ["2024-0004"]
    # The listing says how many it shows of the total and where the older ones are (new-user round 10).
    for html, total in ((after["besluiten/index.html"].decode(), 10), (before["besluiten/index.html"].decode(), 11)):
        shown = len(_kenmerken(html))
        assert f"<p>{total} besluiten in deze lijst. Hieronder de {shown} nieuwste; oudere besluiten staan op de pagina's" in html
        assert 0 < shown < total
    # Its own value's list (only this decision) is gone; nothing of it is listed anywhere.
    assert not (grown["ingetrokken"] / "besluiten/onderwerp/onderwerp-3").exists()
    assert not any("2024-0003" in html.decode() for html in _value_lists(grown["ingetrokken"]).values())


# -- bounded in the archive's size: the generator with the real templates, without PDFs ----------------------


GROUND = GROUNDS[("Woo", "5.1.2.e")]


def _views(n: int):
    from types import SimpleNamespace

    from publish.pages import DecisionView
    from publish.slugs import slugify
    from publish.types import get

    views = []
    for i in range(n):
        day = dt.date(2020, 1, 1) + dt.timedelta(days=(i * 37) % 2000)
        kenmerk = f"{day.year}-{i:06d}"
        d = SimpleNamespace(
            type="woo-besluit",
            kind=get("woo-besluit"),
            name=kenmerk,
            kenmerk=kenmerk,
            slug=slugify(kenmerk),
            title=f"Besluit {i}",
            organisation=f"Organisatie {i % 30}",
            law="Woo",
            outcome="openbaar",
            decision_date=day,
            publication_date=day,
            year=day.year,
            subjects=[f"onderwerp {i // 3}"],
            case_numbers=[f"ZAAK-{i:06d}"],  # a case number of its own, as in a real archive
            summary_markdown="Samenvatting.",
            grounds=[GROUND],
        )
        views.append(DecisionView(d, [], []))
    return sorted(views, key=lambda v: (-v.decision.decision_date.toordinal(), v.decision.kenmerk))


def _listing_sizes(n: int) -> dict[str, int]:
    sizes: dict[str, int] = {}

    def sink(page) -> None:
        sizes[page.url] = len(page.body.encode("utf-8"))

    pages.Generator(pages.SiteText("Woo", "Testorganisatie"), _views(n), sink=sink)._listings()
    return sizes


def test_listing_pages_do_not_grow_with_the_archive():
    """Issue 19: with a case number per decision, a listing page once listed all of them (quadratic in total).
    Now the listing with the facet panel is hardly larger at 400 decisions than at 100 (a few longer counts; 50
    decisions on it at both sizes), and no page of a list is much larger (a list's own page holds up to
    2 × PAGE_SIZE − 1 decisions: stable pages, ``pages.stable_blocks``)."""
    small, large = _listing_sizes(100), _listing_sizes(400)
    assert large["besluiten/"] < small["besluiten/"] * 1.1
    assert max(large.values()) < max(small.values()) * 1.5
    # Every case number is still reachable without JavaScript: through the facet index pages.
    index = [
        u for u in large if u.startswith("besluiten/zaak/") and u.count("/") <= 4 and not u.startswith("besluiten/zaak/zaak-")
    ]
    assert len(index) == -(-400 // pages.FACET_INDEX_SIZE)


def test_the_feed_holds_the_latest_decisions_only():
    from xml.etree import ElementTree as ET

    from publish.opendata import FEED_SIZE, atom_feed

    views = _views(FEED_SIZE + 30)
    feed = ET.fromstring(atom_feed(views, "https://woo.example.nl/", "Woo"))
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == FEED_SIZE
    newest = sorted((v.decision.publication_date, v.decision.kenmerk) for v in views)[-FEED_SIZE:]
    assert [e.findtext("{http://www.w3.org/2005/Atom}published")[:10] for e in entries] == [
        d.isoformat() for d, _ in reversed(newest)
    ]


def test_ground_pages_and_pagers_are_paged_and_windowed():
    """A ground used by every decision is paged (``GROUND_PAGE_SIZE`` a page) with stable pages, and a pager links
    the listing, the pages around the current one and page 1, not every page of a long list."""
    bodies: dict[str, str] = {}

    def sink(page) -> None:
        bodies[page.url] = page.body

    g = pages.Generator(pages.SiteText("Woo", "Testorganisatie"), _views(1000), sink=sink)
    g._grounds()
    g._listings()
    base = "gronden/woo-5-1-2-e/"
    paged = [base, *(f"{base}pagina/{n}/" for n in range(1, 10))]
    assert [u for u in bodies if u.startswith(base)] == [*paged, f"{base}pagina/"]
    for n, url in enumerate(paged):
        rows = re.findall(r'<td data-label="Besluit"><a href="(?:\.\./)+besluit/', bodies[url])
        assert len(rows) == pages.GROUND_PAGE_SIZE, url
        assert ("(pagina %d)</h1>" % n in bodies[url]) == (n > 0)
        assert (" besluiten gebruiken deze grond." in bodies[url]) == (n == 0)  # the total on the listing only
        assert " van " not in _pager(bodies[url])
    # 1,000 decisions: the listing shows the newest 50, pages 1 to 19 the older ones, counted from the oldest.
    middle = _pager(bodies["besluiten/pagina/10/"])
    assert re.findall(r">(?:<span class=\"woo-sr\">Pagina </span>)?(\w+)(?: besluiten| \(oudste\))?</(?:a|span)>", middle) == [
        "Nieuwere", "Nieuwste", "11", "10", "9", "8", "1", "Oudere"
    ]  # fmt: skip
    assert middle.count("…") == 1 and '<a href="../11/" rel="prev">' in middle and '<a href="../9/" rel="next">' in middle
    assert '<span aria-current="page"><span class="woo-sr">Pagina </span>10</span>' in middle
    first = _pager(bodies["besluiten/"])
    assert '<span aria-current="page">Nieuwste besluiten</span>' in first and '<a href="pagina/19/" rel="next">' in first
    assert 'rel="prev"' not in first and "pagina/18/" in first and "pagina/17/" not in first and "pagina/1/" in first
    assert (
        'rel="prev"' in _pager(bodies["besluiten/pagina/19/"])
        and '<a href="../../" rel="prev">' in bodies["besluiten/pagina/19/"]
    )


def _newest_views(n: int):
    """``n`` decisions published one a day (the i-th on day i), as a site grows night by night."""
    views = _views(n)
    for i, v in enumerate(sorted(views, key=lambda v: v.decision.kenmerk)):
        v.decision.publication_date = dt.date(2020, 1, 1) + dt.timedelta(days=i)
    return views


def _bodies(views, places=()) -> dict[str, str]:
    bodies: dict[str, str] = {}

    def sink(page) -> None:
        bodies[page.url] = page.body

    g = pages.Generator(pages.SiteText("Woo", "Testorganisatie"), views, sink=sink, places=places)
    g._listings()
    g._grounds()
    return bodies


def test_older_pages_do_not_depend_on_how_many_decisions_came_after():
    """Issue 19, stable listing pages: nothing on an older page depends on the length of its list. From 230 to
    420 decisions published one a day, the pages that were full keep every byte, except that the newest of them
    once gets a link to the page after it; the listing itself changes; a page is added every 50th decision."""
    views = _newest_views(420)
    before, after = _bodies(sorted(views, key=lambda v: v.decision.kenmerk)[:230]), _bodies(views)
    for base in ("besluiten/", "gronden/woo-5-1-2-e/"):
        older = sorted(
            (u for u in before if u.startswith(base + "pagina/") and u != base + "pagina/"), key=lambda u: int(u.split("/")[-2])
        )
        assert older, base
        for url in older[:-1]:
            assert before[url] == after[url], url
        last = older[-1]
        assert before[last].replace(_pager(before[last]), "") == after[last].replace(_pager(after[last]), "")
    assert [u for u in after if u.startswith("besluiten/pagina/")] == [
        *(f"besluiten/pagina/{n}/" for n in range(1, 8)),
        "besluiten/pagina/",
    ]
    assert [u for u in before if u.startswith("besluiten/pagina/")] == [
        *(f"besluiten/pagina/{n}/" for n in range(1, 4)),
        "besluiten/pagina/",
    ]
    assert before["besluiten/"] != after["besluiten/"]
    # ``pagina/`` lists every older page with its dates, newest first; the pagers link it.
    index = after["besluiten/pagina/"]
    assert re.findall(r'<a href="(\d+)/">Pagina', index) == [str(n) for n in range(7, 0, -1)]
    assert 'Pagina 1 (oudste)</a> <span class="woo-muted">(gepubliceerd van 1 januari 2020 tot en met ' in index
    assert all(
        ">Alle pagina's met hun datums</a>" in after[u] for u in after if u.startswith("besluiten/pagina/") and u[-2].isdigit()
    )


def test_a_withdrawn_decision_keeps_its_place_and_nothing_of_it_is_shown():
    """A withdrawn decision's facts (``places``) keep its place in each list it was in: its page shows one
    decision less, the other pages keep their bytes, its title, kenmerk and labels are on no page."""
    views = _newest_views(160)
    gone = sorted(views, key=pages.listing_order)[60]  # the 61st published: on page 2 (51 to 100)
    gone.decision.title, gone.decision.organisation = "Geheim besluit", "Geheime organisatie"
    before = _bodies(views)
    after = _bodies([v for v in views if v is not gone], places=[gone.decision])
    changed = sorted(u for u in before if before[u] != after.get(u))
    assert "besluiten/pagina/2/" in changed and "besluiten/pagina/1/" not in changed and "besluiten/pagina/3/" not in changed
    assert not [u for u in changed if u.startswith("besluiten/pagina/") and u != "besluiten/pagina/2/"]
    assert after["besluiten/pagina/2/"].count('<td data-label="Besluit">') == 49
    assert "besluiten/organisatie/geheime-organisatie/" not in after  # a list of withdrawn decisions only: no page
    text = "".join(after.values())
    assert "Geheim besluit" not in text and gone.decision.kenmerk not in text and "Geheime organisatie" not in text


# --- attack round 6, row 7: two labels on one slug -----------------------------------------------------------------
def test_facet_names_keep_meanings_apart_and_urls_of_latin_labels():
    from publish.slugs import facet_slug, slugify

    # Labels that mean the same (case, punctuation, spaces, accents) share one name; it is the old slug.
    for same in (["Zorg", "zorg!", "ZORG", " zorg. "], ["Financiën", "financien"], ["Deels openbaar", "deels-openbaar"]):
        assert len({facet_slug(s) for s in same}) == 1 and facet_slug(same[0]) == slugify(same[0])
    # Every Latin-script label keeps the URL it had (slugify), so the facet pages published so far stay.
    for label in ("Verkeer & vervoer", "ZAAK-001", "2024", "Súdwest-Fryslân", "Coördinatie", "onderwerp 9", "İstanbul"):
        assert facet_slug(label) == slugify(label)
    # Labels the slug cannot tell apart get names of their own, never equal to a plain slug (which never holds "--").
    apart = ["日本", "中文", "Straße", "Strae", "!!!", "x", "<i>日本</i>", "i i"]
    names = [facet_slug(s) for s in apart]
    assert len(set(names)) == len(names)
    assert facet_slug("日本") == "x--cf2abf0c5b"  # stable: the same name in every build and on every machine
    # The title of a shared page: the spelling most decisions use; a tie goes to the first in code-point order,
    # whatever order the decisions came in.
    from collections import Counter

    assert pages._spelling(Counter({"zorg!": 2, "Zorg": 1})) == "zorg!"
    assert pages._spelling(Counter({"zorg!": 1, "Zorg": 1})) == pages._spelling(Counter({"Zorg": 1, "zorg!": 1})) == "Zorg"
    assert all(n == slugify(s) or (n.startswith(slugify(s) + "--") and "--" not in slugify(s)) for s, n in zip(apart, names))


def test_two_labels_that_slugify_alike_get_their_own_pages(tmp_path):
    """attacks6/facets.sh: "日本" and "中文" both slugify to "x", "Zorg" and "zorg!" to "zorg". The first two get a page
    each, titled by their own label; the second two mean the same and share one page, titled deterministically by the
    spelling most decisions use (a tie: the first in code-point order), each decision listed once."""
    make = PackageMaker(tmp_path / "decisions")
    for n, subjects in enumerate([["日本", "Zorg"], ["中文", "zorg!"], ["Zorg", "zorg!"], ["<i>日本</i>"]], start=1):
        approve(
            make(f"p{n}", meta={"kenmerk": f"2024-{n:04d}", "titel": f"Besluit nummer {n}"}, extra_meta={"onderwerpen": subjects})
        )
    out = tmp_path / "site"
    report = run_build(
        BuildOptions(
            decisions=tmp_path / "decisions",
            out=out,
            config=ROOT / "mkdocs.yml",
            cache=tmp_path / "cache",
            today=dt.date(2024, 6, 1),
            workers=1,
            archive=tmp_path / "archief",
        )
    )
    assert report.exit_code == EXIT_OK and report.written, (report.error, report.refused)
    from publish.slugs import facet_slug

    folder = out / "besluiten" / "onderwerp"
    japan, chinese, marked = facet_slug("日本"), facet_slug("中文"), facet_slug("<i>日本</i>")
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == sorted([chinese, japan, marked, "zorg"])
    assert not (folder / "x").exists()

    def page(name: str) -> tuple[str, list[str]]:
        html = (folder / name / "index.html").read_text(encoding="utf-8")
        title = re.search(r"<h1[^>]*>([^<]*)</h1>", html).group(1)
        return title, sorted(set(re.findall(r"Besluit nummer (\d)", html)))

    assert page(japan) == ("Besluiten over 日本", ["1"])
    assert page(chinese) == ("Besluiten over 中文", ["2"])
    assert page(marked) == ("Besluiten over &lt;i&gt;日本&lt;/i&gt;", ["4"])
    title, listed = page("zorg")
    assert title == "Besluiten over Zorg" and listed == ["1", "2", "3"]  # "Zorg" in two decisions, "zorg!" in one
    html = (folder / "zorg" / "index.html").read_text(encoding="utf-8")
    assert html.count("Besluit nummer 3") == 1  # both spellings in one decision: listed once
    # The listing's facet: one entry per page, with the number of decisions on it, linking that page.
    subjects = _section((out / "besluiten/index.html").read_text(encoding="utf-8"), "Onderwerp")
    assert re.findall(r'<a href="onderwerp/([^"]+)/">([^<]+)</a> <span class="woo-muted">\((\d+)\)</span>', subjects) == [
        (marked, "&lt;i&gt;日本&lt;/i&gt;", "1"),
        ("zorg", "Zorg", "3"),
        (chinese, "中文", "1"),
        (japan, "日本", "1"),
    ]
    # Each decision page links its subjects to the same pages.
    decision = (out / "besluit" / "2024-0002" / "index.html").read_text(encoding="utf-8")
    assert f"besluiten/onderwerp/{chinese}/" in decision and "besluiten/onderwerp/zorg/" in decision
    assert "besluiten/onderwerp/x/" not in decision
