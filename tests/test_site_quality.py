"""Public site quality in a real browser: WCAG 2.x A/AA with axe-core on every page type, keyboard
use, no JavaScript needed for browsing, no tracking, no third-party requests, a phone layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support import DEMO_KEY, ROOT, PackageMaker, Server, approve, build_args, needs_browser, probe, probe_many, run_cli

pytestmark = pytest.mark.slow  # every test here builds a whole site

PAGE_TYPES = {
    "home": "",
    "overzicht": "besluiten/",
    "overzicht per jaar": "besluiten/jaar/2024/",
    "besluit": "besluit/2024-0000034173/",
    "document": "besluit/2024-0000034173/document/2/",
    "document niet openbaar": "besluit/2018-0000791076/document/3/",
    "kamerbrief": "kamerstuk/2025-kamerbrief-persoonsgegevens-ambtenaren/",
    "kamervragen": "kamervragen/2022z06465/",
    "overzicht per soort": "besluiten/soort/kamervragen/",
    "weigeringsgrond": "gronden/woo-5-1-2-e/",
    "alle gronden": "gronden/",
    "zoeken met resultaten": "zoeken/?q=datalekken",
    "zoeken zonder resultaat": "zoeken/?q=onvindbaar",
    "statistieken": "statistieken/",
    "ingetrokken": "besluit/2023-intrek/",
    "404": "bestaat-niet/",
    "toegankelijkheid": "toegankelijkheid/",
    "privacy": "privacy/",
}


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """The demo packages plus one withdrawn decision, built with the real command."""
    import shutil

    root = tmp_path_factory.mktemp("demo")
    decisions = root / "decisions"
    shutil.copytree(ROOT / "decisions", decisions)
    pkg = PackageMaker(decisions)(
        "intrek", meta={"kenmerk": "2023-intrek", "besluit_datum": "2023-06-01", "publicatie_datum": "2023-06-02", "wet": "Woo"}
    )
    approve(pkg)
    assert (
        run_cli(
            "withdraw",
            str(pkg),
            "--reden",
            "Persoonsgegevens niet goed gelakt",
            "--datum",
            "2024-01-10",
            "--sleutel",
            str(DEMO_KEY),
        ).returncode
        == 0
    )
    out = root / "site"
    result = run_cli(*build_args(decisions, out, cache=root / "c", today=None))
    assert result.returncode == 0, result.stdout + result.stderr
    server = Server(out)
    yield server, out
    server.close()


def _waiting(url: str) -> str | None:
    return "#woo-search-status" if url.startswith("zoeken") else None


@pytest.fixture(scope="module")
def axe_pages(demo_site) -> dict[str, dict]:
    """Every page type through axe-core, in one browser launch (each page in a context of its own)."""
    server, _ = demo_site
    names = sorted(PAGE_TYPES)
    found = probe_many([{"url": server.base + PAGE_TYPES[n], "axe": True, "waitFor": _waiting(PAGE_TYPES[n])} for n in names])
    return dict(zip(names, found))


@needs_browser
@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_no_wcag_violations(axe_pages, name):
    r = axe_pages[name]
    assert r["axe"] == [], r["axe"]
    assert '<html lang="nl"' in r["html"]
    assert [e for e in r["errors"] if "404" not in e] == []
    assert r["cspViolations"] == []
    assert "script-src 'self';" in r["headers"]["content-security-policy"]
    assert "sha256-" not in r["headers"]["content-security-policy"]


@needs_browser
def test_no_cookies_and_no_other_hosts(demo_site):
    server, _ = demo_site
    urls = ("", "besluit/2024-0000034173/", "zoeken/?q=datalek", "statistieken/")
    for r in probe_many([{"url": server.base + url, "waitFor": _waiting(url)} for url in urls]):
        assert r["cookies"] == []
        foreign = [u for u in r["requests"] if not u.startswith(server.base) and not u.startswith("data:")]
        assert foreign == [], foreign


@needs_browser
def test_keyboard_skip_link_and_visible_focus(demo_site):
    server, _ = demo_site
    r = probe(url=server.base + "besluit/2024-0000034173/", keyboard=6)
    first = r["focus"][0]
    assert first["text"] == "Direct naar de inhoud" and first["href"] == "#inhoud"
    for step in r["focus"]:
        assert step and (step["outline"].split()[0] != "none" or step["boxShadow"] != "none"), step


WITHOUT_JAVASCRIPT = [
    "",
    "besluiten/",
    "besluiten/organisatie/kiesraad/",
    "besluit/2018-0000791076/",
    "gronden/wob-11-1/",
    "statistieken/",
]


@pytest.fixture(scope="module")
def pages_without_javascript(demo_site) -> dict[str, dict]:
    server, _ = demo_site
    return dict(zip(WITHOUT_JAVASCRIPT, probe_many([{"url": server.base + u, "javascript": False} for u in WITHOUT_JAVASCRIPT])))


@needs_browser
@pytest.mark.parametrize("url", WITHOUT_JAVASCRIPT)
def test_browsing_works_without_javascript(pages_without_javascript, url):
    r = pages_without_javascript[url]
    assert r["status"] == 200
    links = re.findall(r'<a [^>]*href="([^"#]+)"', r["html"])
    assert any("besluit" in link or "gronden" in link for link in links)


@needs_browser
def test_search_without_javascript_says_so(demo_site):
    server, _ = demo_site
    r = probe(url=server.base + "zoeken/?q=datalek", javascript=False)
    assert "Zoeken werkt alleen met JavaScript" in r["html"]


@needs_browser
def test_phone_layout(demo_site, tmp_path):
    server, _ = demo_site
    shot = tmp_path / "telefoon.png"
    r = probe(url=server.base + "besluit/2024-0000034173/", width=375, height=740, screenshot=str(shot), axe=True)
    assert r["axe"] == []
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size[0] == 375  # nothing wider than the phone: no horizontal scrolling of the page


def test_pages_visitors_expect(demo_site):
    _, out = demo_site
    assert "contact" in (out / "toegankelijkheid/index.html").read_text().lower()
    assert "Geen cookies" in (out / "privacy/index.html").read_text()
    not_found = (out / "404.html").read_text()
    assert "Deze pagina bestaat niet (meer)" in not_found and "zoeken/" in not_found
    css = (out / "assets/woo.css").read_text()
    assert "@media print" in css
    for page in ("index.html", "besluit/2024-0000034173/index.html"):
        html = (out / page).read_text()
        assert 'href="#inhoud"' in html and 'id="inhoud"' in html
        assert "Toegankelijkheid</a>" in html and "Privacy</a>" in html


def test_security_headers_allow_only_the_sites_own_script_files(demo_site, tmp_path):
    _, out = demo_site
    headers = (out / "_headers").read_text()
    assert "\n/*\n" in headers
    csp = next(line for line in headers.splitlines() if line.startswith("  Content-Security-Policy"))
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp and "default-src 'none'" in csp
    assert "script-src 'self';" in csp and "sha256-" not in csp
    html = (out / "besluit/2024-0000034173/index.html").read_text()
    assert re.findall(r"<script>(.*?)</script>", html, re.S) == []
    for name in ("X-Content-Type-Options: nosniff", "Referrer-Policy: no-referrer", "frame-ancestors 'none'"):
        assert name in headers
    nginx = run_cli("headers", "--out", str(out), "--formaat", "nginx")
    assert nginx.returncode == 0
    assert 'add_header Content-Security-Policy "' + csp.split(": ", 1)[1] + '" always;' in nginx.stdout
    assert "error_page 404 /404.html;" in nginx.stdout
    assert run_cli("headers", "--out", str(tmp_path)).returncode == 2


def _own_config(tmp_path: Path, change) -> Path:
    """A copy of the project's site configuration, changed by ``change`` (theme and pages come from the package)."""
    import yaml

    data = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    data["extra"]["woo"]["ondertekenaars"] = str(ROOT / data["extra"]["woo"]["ondertekenaars"])
    change(data)
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True))
    return config


def test_own_identity_colours_logo_and_contact(tmp_path, make_package, decisions):
    approve(make_package("p"))

    def change(data):
        data["site_name"] = "Woo-besluiten van Gemeente Voorbeeld"
        data["theme"]["logo"] = "assets/logo.svg"
        data["extra"]["woo"]["organisatie"] = "Gemeente Voorbeeld"
        data["extra"]["woo"]["kleuren"] = {"primair": "#005A2B", "accent": "#B03A00"}
        data["extra"]["woo"]["contact"] = {
            "email": "info@voorbeeld.nl",
            "adres": "Postbus 1, 1000 AA Voorbeeld",
            "formulier": "https://www.voorbeeld.nl/contact",
        }

    config = _own_config(tmp_path, change)
    (tmp_path / "site_src/assets").mkdir(parents=True)  # the site's own files, layered over the package's
    (tmp_path / "site_src/assets/logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'
    )
    out = tmp_path / "site"
    result = run_cli(*build_args(decisions, out, cache=tmp_path / "c", config=config, today=None))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "--md-primary-fg-color: #005a2b;" in (out / "assets/huisstijl.css").read_text()
    home = (out / "index.html").read_text()
    assert 'href="assets/huisstijl.css"' in home and 'src="assets/logo.svg"' in home
    assert "Gemeente Voorbeeld</p>" in home
    statement = (out / "toegankelijkheid/index.html").read_text()
    assert 'href="mailto:info@voorbeeld.nl"' in statement and 'href="https://www.voorbeeld.nl/contact"' in statement
    assert "Postbus 1, 1000 AA Voorbeeld" in statement


def test_unreadable_colours_and_unknown_settings_stop_the_build(tmp_path, make_package, decisions):
    approve(make_package("p"))
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("vorige site")

    def change(data):
        data["extra"]["woo"]["kleuren"] = {"primair": "#7fb2e5", "accent": "rood"}
        data["extra"]["woo"]["contactt"] = {"email": "x@y.nl"}

    config = _own_config(tmp_path, change)
    result = run_cli(*build_args(decisions, out, cache=tmp_path / "c", config=config, today=None))
    assert result.returncode == 2
    assert "extra.woo.kleuren.primair" in result.stderr and "te weinig contrast" in result.stderr
    assert "extra.woo.kleuren.accent" in result.stderr and "'rood' is geen kleurcode" in result.stderr
    assert "extra.woo.contactt" in result.stderr and "onbekend veld" in result.stderr
    assert (out / "index.html").read_text() == "vorige site"
    checked = run_cli("check", str(decisions), "--config", str(config), "--cache", str(tmp_path / "c"))
    assert checked.returncode == 1 and "te weinig contrast" in checked.stdout


# Screens a visitor sees, at desktop and phone width (issue 17).
SCREENS = {
    "home": "",
    "besluit": "besluit/2024-0000034173/",
    "document": "besluit/2024-0000034173/document/2/",
    "zoeken": "zoeken/?q=datalekken",
    "statistieken": "statistieken/",
    "besluiten": "besluiten/",
}


SCREEN_WIDTHS = [1280, 390]


@pytest.fixture(scope="module")
def screens(demo_site, tmp_path_factory) -> dict[tuple[str, int], tuple[dict, Path]]:
    """Every screen at every width, with a screenshot, in one browser launch (each in a context of its own)."""
    from test_large_inventory import LAYOUT_CHECK

    server, _ = demo_site
    folder = tmp_path_factory.mktemp("schermen")
    cases = [(name, width) for name in sorted(SCREENS) for width in SCREEN_WIDTHS]
    found = probe_many(
        [
            {
                "url": server.base + SCREENS[name],
                "width": width,
                "screenshot": str(folder / f"{name}-{width}.png"),
                "axe": True,
                "evaluate": LAYOUT_CHECK,
                "waitFor": _waiting(SCREENS[name]),
            }
            for name, width in cases
        ]
    )
    return {case: (r, folder / f"{case[0]}-{case[1]}.png") for case, r in zip(cases, found)}


@needs_browser
@pytest.mark.parametrize("width", SCREEN_WIDTHS)
@pytest.mark.parametrize("name", sorted(SCREENS))
def test_screens_fit_the_phone_and_keep_words_whole(screens, name, width):
    r, shot = screens[(name, width)]
    assert r["axe"] == [], r["axe"]
    layout = r["evaluated"]
    assert layout["page"] <= width and layout["wideTables"] == [], layout  # nothing scrolls sideways
    assert layout["brokenWords"] == [] and layout["breakingStyles"] == 0, layout
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size[0] == width


@needs_browser
@pytest.mark.parametrize("width", [1280, 390])
def test_chart_labels_are_at_least_12px_and_not_cut_off(demo_site, width):
    server, _ = demo_site
    r = probe(
        url=server.base + "statistieken/",
        width=width,
        evaluate="""(() => [...document.querySelectorAll(
        '.woo-bars__label, .woo-bars__value')].map(e => ({size: parseFloat(getComputedStyle(e).fontSize),
        height: e.getBoundingClientRect().height, cut: e.scrollWidth > e.clientWidth + 1, text: e.textContent,
        right: e.getBoundingClientRect().right})))()""",
    )
    labels = r["evaluated"]
    assert len(labels) > 10
    for label in labels:
        assert label["size"] >= 12 and label["height"] >= 12 and not label["cut"] and label["right"] <= width, label
    assert any(len(label["text"]) > 40 for label in labels)  # a long ground name, whole


def test_document_pages_breadcrumbs_and_feed(demo_site):
    _, out = demo_site
    doc = (out / "besluit/2024-0000034173/document/2/index.html").read_text()
    assert "<h1" in doc and "Datalekregister 2020-2021</h1>" in doc
    assert 'href="../../../../gronden/woo-5-1-2-e/">5.1.2.e Woo</a>: De eerbiediging van de persoonlijke levenssfeer' in doc
    assert 'href="../../document-2.pdf"' in doc and "PDF, " in doc
    assert 'href="../../document-2.pdf#page=1"' in doc and "Tekst van het document" in doc
    assert "31 december 2021" in doc and 'href="../../"' in doc
    assert 'aria-label="Kruimelpad"' in doc
    # not public: the page says so, with its grounds, and has no download
    closed = (out / "besluit/2018-0000791076/document/3/index.html").read_text()
    assert "Niet openbaar gemaakt" in closed and ".pdf" not in closed.split('id="inhoud"')[1].split("woo-footer")[0]
    decision = (out / "besluit/2024-0000034173/index.html").read_text()
    assert 'href="document/2/">Datalekregister 2020-2021</a>' in decision
    assert 'data-label="Beoordeling"' in decision and 'style="' not in decision.split('id="inhoud"')[1]
    for page in ("index.html", "besluit/2024-0000034173/index.html", "statistieken/index.html"):
        assert '<link rel="alternate" type="application/atom+xml"' in (out / page).read_text()
    # sitemap.xml is an index (issue 19): the document page is in one of the sitemaps it lists.
    children = re.findall(r"<loc>https?://[^<]*?/(sitemap/[^<]+\.xml)</loc>", (out / "sitemap.xml").read_text())
    assert children and any("besluit/2024-0000034173/document/2/" in (out / c).read_text() for c in children)
    assert (out / "besluit/2024-0000034173/document-2.pdf").is_file()  # the PDF address keeps working


@needs_browser
def test_search_results_link_documents_to_their_page_and_pdf_page(demo_site):
    server, _ = demo_site
    r = probe(url=server.base + "zoeken/?q=datalekken", waitFor="#woo-search-status")
    found = r["html"].split('class="woo-found"')[1].split("</ul>")[0]
    assert re.search(r'href="\.\./besluit/2024-0000034173/document/\d+/(#pagina-\d+)?"', found)
    assert re.search(r'href="\.\./besluit/2024-0000034173/document-\d+\.pdf#page=\d+"', found)
    assert re.search(r"\((deels )?openbaar( · \d+ \w+ \d{4})?\)", found)


@needs_browser
def test_listing_facets_work_without_javascript(demo_site):
    """Issue 18 item 3: every facet of the listing is a plain link to a static filtered listing."""
    server, _ = demo_site
    r = probe(url=server.base + "besluiten/", javascript=False)
    links = set(re.findall(r'href="((?:\.\./)*(?:besluiten/)?(?:jaar|organisatie|uitkomst|soort|onderwerp)/[^"#]+/)"', r["html"]))
    kinds = {re.search(r"(jaar|organisatie|uitkomst|soort|onderwerp)/", link).group(1) for link in links}
    assert {"jaar", "organisatie", "uitkomst", "soort"} <= kinds, links
    chosen = sorted(links)[:6]
    for link, target in zip(
        chosen, probe_many([{"url": server.base + "besluiten/" + link, "javascript": False} for link in chosen])
    ):
        assert target["status"] == 200, link
        assert re.search(r'href="(?:\.\./)+(?:besluit|kamerstuk|kamervragen)/[^"]+/"', target["html"]), link
