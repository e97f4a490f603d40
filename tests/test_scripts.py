"""Script markup is never published, and the Content-Security-Policy does not list it.

The policy is script-src 'self' with no hash: mkdocs-material's inline scripts are replaced by files
(reviewed per theme version), script markup from a package refuses that package, script markup from
the site's own templates, pages or settings stops the build naming page and source, and a real
browser sent the site's policy does not run a script that got into a page anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from publish.build import EXIT_FAILURE, EXIT_OK, EXIT_REFUSED, BuildOptions, run_build
from publish.headers import POLICY_NOTE, content_security_policy, read_headers_file
from publish.pages import Page
from publish.scriptcheck import REPLACED_THEME_PARTIALS, REVIEWED_MATERIAL_VERSION, check_generated, scan_html

from support import ROOT, Server, approve, build_args, needs_browser, probe, run_cli

# Every HTML page the demo site publishes (decisions/ as in the repository): its own pages, the pages
# generated from the two demo decisions, and nothing else (no README or vendor documentation).
GROUNDS = [
    "wob-10-1-a",
    "wob-10-1-b",
    "wob-10-1-c",
    "wob-10-1-d",
    "wob-10-2-a",
    "wob-10-2-b",
    "wob-10-2-c",
    "wob-10-2-d",
    "wob-10-2-e",
    "wob-10-2-f",
    "wob-10-2-g",
    "wob-11-1",
    "woo-5-1-1-a",
    "woo-5-1-1-b",
    "woo-5-1-1-c",
    "woo-5-1-1-d",
    "woo-5-1-1-e",
    "woo-5-1-2-a",
    "woo-5-1-2-b",
    "woo-5-1-2-c",
    "woo-5-1-2-d",
    "woo-5-1-2-e",
    "woo-5-1-2-f",
    "woo-5-1-2-g",
    "woo-5-1-2-h",
    "woo-5-1-2-i",
    "woo-5-1-4",
    "woo-5-1-5",
    "woo-5-2",
    "woo-5-2-1",
    "woo-5-2-2",
    "woo-5-2-3",
    "woo-5-2-4",
]
DEMO_PAGES = {
    "index.html",
    "404.html",
    "over-deze-site/index.html",
    "privacy/index.html",
    "toegankelijkheid/index.html",
    "zoeken/index.html",
    "statistieken/index.html",
    "gronden/index.html",
    "besluit/2018-0000791076/index.html",
    "besluit/2024-0000034173/index.html",
    "kamerstuk/2025-kamerbrief-persoonsgegevens-ambtenaren/index.html",
    "kamervragen/2022z06465/index.html",
    "besluiten/index.html",
    "besluiten/jaar/2018/index.html",
    "besluiten/jaar/2024/index.html",
    "besluiten/jaar/2022/index.html",
    "besluiten/jaar/2025/index.html",
    *(f"besluiten/soort/{s}/index.html" for s in ("kamerbrieven", "kamervragen", "wob-besluiten", "woo-besluiten")),
    "besluiten/organisatie/kiesraad/index.html",
    "besluiten/organisatie/ministerie-van-binnenlandse-zaken-en-koninkrijksrelaties/index.html",
    "besluiten/uitkomst/deels-openbaar/index.html",
    *(
        f"besluiten/onderwerp/{s}/index.html"
        for s in (
            "ambtenaren",
            "berichtenapps",
            "datalekken",
            "informatiebeveiliging",
            "informatiehuishouding",
            "persoonsgegevens",
            "privacy",
            "whatsapp",
            "wob",
        )
    ),
    *(f"gronden/{g}/index.html" for g in GROUNDS),
    # a page per document (issue 17)
    *(f"besluit/2018-0000791076/document/{n}/index.html" for n in range(1, 18)),
    *(f"besluit/2024-0000034173/document/{n}/index.html" for n in range(1, 5)),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(ROOT / "decisions", root / "decisions")
    out = root / "site"
    result = run_cli(*build_args(root / "decisions", out, cache=root / "c", today=None))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _policy(site: Path) -> str:
    return dict(read_headers_file(site / "_headers"))["Content-Security-Policy"]


def _own_site(tmp_path: Path, change=None) -> Path:
    """A copy of the project's site (mkdocs.yml) with the package's theme and pages copied in as the
    site's own theme/ and site_src/ (which override the package's), all of which a test may change."""
    from publish.sitefiles import PACKAGE_PAGES, PACKAGE_THEME

    for folder, source in (("theme", PACKAGE_THEME), ("site_src", PACKAGE_PAGES)):
        shutil.copytree(source, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    data = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    data["extra"]["woo"]["ondertekenaars"] = str(ROOT / data["extra"]["woo"]["ondertekenaars"])
    if change:
        change(data)
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True))
    return config


def _build(decisions: Path, out: Path, config: Path = ROOT / "mkdocs.yml", *extra: str):
    return run_cli(*build_args(decisions, out, *extra, config=config))


def _all_output(site: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.suffix in (".html", ".xml", ".txt", ".json", ".js", ".csv")
    )


# -- the demo site -----------------------------------------------------------------------------------


def test_demo_site_publishes_exactly_the_expected_pages(demo):
    pages = {p.relative_to(demo).as_posix() for p in demo.rglob("*") if p.suffix in (".html", ".htm")}
    assert pages == DEMO_PAGES, (sorted(pages - DEMO_PAGES), sorted(DEMO_PAGES - pages))
    assert not (demo / "assets/vendor/index.html").exists()
    assert (demo / "assets/vendor/lunr.min.js").is_file()  # the vendored files themselves stay


def test_demo_site_policy_has_no_hash_and_no_page_an_inline_script(demo):
    csp = _policy(demo)
    assert csp == content_security_policy([])
    assert "script-src 'self';" in csp and "sha256-" not in csp and "'unsafe-inline'" not in csp
    for page in sorted(demo.rglob("*.html")):
        assert scan_html(page.read_text(encoding="utf-8")) == [], page
    html = (demo / "besluit/2024-0000034173/index.html").read_text()
    # Material's bootstrap as a file; its page-dependent scope in a data- attribute.
    assert '<script src="../../assets/woo-theme/base.js" data-md-scope="../.."></script>' in html
    assert '<script src="../../assets/woo-theme/content.js"></script>' in html
    assert '<script id="__config" type="application/json">' in html  # a data block: never run, not in the policy
    assert (demo / "assets/woo-theme/base.js").read_text().count("__md_scope=new URL(") == 1


def test_headers_file_and_nginx_snippet_document_the_exact_policy(demo, tmp_path):
    text = (demo / "_headers").read_text()
    assert text.startswith("".join(f"# {line}\n" for line in POLICY_NOTE) + "/*\n")
    csp = _policy(demo)
    assert f"  Content-Security-Policy: {csp}\n" in text
    nginx = run_cli("headers", "--out", str(demo), "--formaat", "nginx")
    assert nginx.returncode == 0
    assert f'add_header Content-Security-Policy "{csp}" always;' in nginx.stdout
    assert all(f"# {line}" in nginx.stdout for line in POLICY_NOTE)
    netlify = run_cli("headers", "--out", str(demo), "--formaat", "netlify")
    assert netlify.stdout == text
    # The operators' documentation states the same policy, word for word.
    assert f"Content-Security-Policy: {csp}" in (ROOT / "docs/beheer.md").read_text()


def test_reviewed_theme_partials_match_the_installed_mkdocs_material():
    """Fails when mkdocs-material changes an inline script that the theme replaces by a file: compare
    the new script with theme/assets/woo-theme/*.js, then update the reviewed list."""
    from importlib.metadata import version

    import material

    from publish.sitefiles import PACKAGE_THEME

    templates = Path(material.__file__).parent / "templates"
    assert version("mkdocs-material") == REVIEWED_MATERIAL_VERSION
    for partial, digest in REPLACED_THEME_PARTIALS.items():
        assert hashlib.sha256((templates / partial).read_bytes()).hexdigest() == digest, partial
        override = (PACKAGE_THEME / partial).read_text()
        assert "<script>" not in override
        for src in re.findall(r"'(assets/woo-theme/[\w-]+\.js)' \| url", override):
            assert (PACKAGE_THEME / src).is_file(), src
    # Every template of the theme with an inline script is one the site replaces, an analytics
    # integration (it would load a third-party script: the build refuses it) or the page of the
    # redirects plugin, which the site does not use (the build would refuse it too).
    inline = set()
    for template in templates.rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            if "src=" not in tag and 'type="application/json"' not in tag:
                inline.add(template.relative_to(templates).as_posix())
    assert inline - set(REPLACED_THEME_PARTIALS) == {
        "partials/integrations/analytics.html",
        "partials/integrations/analytics/google.html",
        "redirect.html",
    }


# -- what counts as script markup ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "markup, kind",
    [
        ("<script>alert(1)</script>", "script"),
        ("<SCRIPT type=module>alert(1)</SCRIPT>", "script"),
        ("<script type='text/plain '>alert(1)</script>", "script"),  # unknown types count: only JSON is data
        ("<img src=x onerror=alert(1)>", "handler"),
        ("<svg/onload=alert(1)>", "handler"),
        ('<p title="x"onclick="alert(1)">', "handler"),
        ('<a href="  JaVa&#x0A;ScRiPt:alert(1)">x</a>', "url"),
        ('<a href="&#x6A;avascript:alert(1)">x</a>', "url"),
        ('<form action="vbscript:x"></form>', "url"),
        ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "url"),
        ('<svg><set attributeName="href" to="javascript:alert(1)"/></svg>', "url"),
        ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "url"),
        ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "srcdoc"),
        ('<script src="https://cdn.example.com/x.js"></script>', "extern"),
        ('<script src="/\\cdn.example.com/x.js"></script>', "extern"),
        ("<svg><script>alert(1)</script></svg>", "script"),
        ("<template><div><img src=x onerror=alert(1)></div></template>", "handler"),
        ("<template><template><script>alert(1)</script></template></template>", "script"),
        # A browser with scripting on ends <noscript> inside the attribute: the image and its handler are real.
        ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>', "handler"),
    ],
)
def test_script_markup_is_found_as_a_browser_parses_it(markup, kind):
    found = scan_html(f'<!doctype html><html><body><div class="woo-page">{markup}</div></body></html>')
    assert [f.kind for f in found] == [kind], found
    assert found[0].describe()


@pytest.mark.parametrize(
    "markup",
    [
        '<script id="__config" type="application/json">{"base": ".."}</script>',
        '<script type="application/ld+json">{"@type": "GovernmentOrganization"}</script>',
        '<script src="../assets/woo-search.js"></script>',
        '<a href="https://www.example.nl/">x</a> <a href="mailto:a@b.nl">m</a> <a href="#x">#</a>',
        "<p>onclick=alert(1) &lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p>",
        '<p title="javascript:alert(1)" data-onclick="x">tekst</p>',
        "<noscript><p>Zoeken werkt alleen met JavaScript.</p></noscript>",
    ],
)
def test_harmless_markup_is_not_script(markup):
    assert scan_html(f"<!doctype html><html><body>{markup}</body></html>") == []


def test_hash_is_the_csp_hash_of_the_script_text_as_a_browser_sees_it():
    import base64

    found = scan_html("<script>\r\n  var a = '&amp;';\r\n</script>")
    body = "\n  var a = '&amp;';\n"  # raw text: no entity decoding; newlines normalised by the parser
    assert found[0].digest == "sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()


def test_markup_on_a_page_of_several_packages_is_traced_to_the_package_it_comes_from():
    from dataclasses import dataclass
    from types import SimpleNamespace

    @dataclass
    class Decision:
        title: str
        subjects: list

    def package(title):
        return SimpleNamespace(decision=Decision(title, ["x"]), history=[])

    packages = {"a": package("Gewoon besluit"), "b": package('Besluit <img src=x onerror="steal()">')}
    listing = Page("besluiten/", "Alle besluiten", '<table><tr><td><img src=x onerror="steal()"></td></tr></table>', ("a", "b"))
    check = check_generated([listing, Page("zoeken/", "Zoeken", '<script src="../x.js"></script>')], packages)
    assert list(check.blamed) == ["b"] and check.blamed["b"][0][0] == "besluiten/index.html"
    untraceable = check_generated([Page("besluiten/", "x", "<script>nergens()</script>", ("a", "b"))], packages)
    assert untraceable.blamed == {} and "pagina besluiten/index.html" in untraceable.unattributed[0]


# -- a package whose content gets script markup onto a page ------------------------------------------


@pytest.fixture
def two_packages(make_package, decisions):
    approve(make_package("goed", meta={"titel": "Goed besluit"}))
    approve(
        make_package(
            "kwaad",
            meta={"kenmerk": "2024-0002", "titel": "Kwaad besluit"},
            body='Samenvatting <script>window.__woo_injected=1</script> en <img src=x onerror="window.__woo_handler=1">',
        )
    )
    return decisions


def _opts(decisions: Path, tmp_path: Path, **kw) -> BuildOptions:
    return BuildOptions(
        decisions=decisions,
        out=tmp_path / "site",
        config=ROOT / "mkdocs.yml",
        cache=tmp_path / "cache",
        today=dt.date(2024, 6, 1),
        workers=1,
        **kw,
    )


def test_escaping_that_fails_refuses_the_package_and_names_the_page(two_packages, tmp_path, monkeypatch):
    # The sanitiser lets everything through, as a broken escaping path would.
    monkeypatch.setattr("publish.pages.render_untrusted", lambda text: text)
    report = run_build(_opts(two_packages, tmp_path))
    assert report.exit_code == EXIT_REFUSED and report.written
    assert [p["package"] for p in report.published] == ["goed"]
    [refused] = report.refused
    assert refused["package"] == "kwaad" and refused["kenmerk"] == "2024-0002"
    places = {p["location"] for p in refused["problems"]}
    assert "pagina besluit/2024-0002/index.html" in places
    messages = " ".join(p["message"] for p in refused["problems"])
    assert "inline script (<script>window.__woo_injected=1</script>)" in messages and "onerror" in messages
    assert all(p["code"] == "html.script" and p["fix"] for p in refused["problems"])
    site = tmp_path / "site"
    assert (site / "besluit/2024-0001/index.html").is_file() and not (site / "besluit/2024-0002").exists()
    assert "__woo_injected" not in _all_output(site) and "Kwaad besluit" not in _all_output(site)
    assert _policy(site) == content_security_policy([])


def test_markup_that_appears_only_in_the_built_page_is_traced_to_the_package_too(two_packages, tmp_path, monkeypatch):
    """The check of the built pages alone (as if mkdocs' Markdown made script of a package's text)."""
    monkeypatch.setattr("publish.pages.render_untrusted", lambda text: text)
    monkeypatch.setattr("publish.scriptcheck.GeneratedCheck.add", lambda self, page: None)  # pages are checked one by one
    report = run_build(_opts(two_packages, tmp_path))
    assert report.exit_code == EXIT_REFUSED
    assert [r["package"] for r in report.refused] == ["kwaad"]
    assert "pagina besluit/2024-0002/index.html" in {p["location"] for p in report.refused[0]["problems"]}
    assert "__woo_injected" not in _all_output(tmp_path / "site")


def test_strict_build_writes_nothing_when_a_package_carries_script(two_packages, tmp_path, monkeypatch):
    monkeypatch.setattr("publish.pages.render_untrusted", lambda text: text)
    (tmp_path / "site").mkdir()
    (tmp_path / "site/index.html").write_text("vorige site")
    report = run_build(_opts(two_packages, tmp_path, strict=True))
    assert report.exit_code == EXIT_REFUSED and not report.written and report.published == []
    assert (tmp_path / "site/index.html").read_text() == "vorige site"


def test_with_the_real_sanitiser_the_same_package_is_published_as_text(two_packages, tmp_path):
    report = run_build(_opts(two_packages, tmp_path))
    assert report.exit_code == EXIT_OK, report.refused
    page = (tmp_path / "site/besluit/2024-0002/index.html").read_text()
    assert "&lt;script&gt;window.__woo_injected=1&lt;/script&gt;" in page
    assert scan_html(page) == []


# -- the site's own templates, pages and settings ----------------------------------------------------


def test_inline_script_in_a_template_override_stops_the_build_naming_page_and_source(make_package, decisions, tmp_path):
    approve(make_package("p"))
    config = _own_site(tmp_path)
    main = tmp_path / "theme/main.html"
    main.write_text(
        main.read_text().replace("{% block extrahead %}", "{% block extrahead %}\n  <script>window.__eigen=1</script>")
    )
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("vorige site")
    result = _build(decisions, out, config)
    assert result.returncode == EXIT_FAILURE, result.stdout + result.stderr
    # One message per piece of markup and source, naming the first pages and how many more.
    assert re.search(
        r"FOUT pagina's 404\.html, besluit/2024-0001/index\.html, besluiten/index\.html en \d+ andere: "
        r"een inline script \(<script>window\.__eigen=1</script>\), uit theme/main\.html\.",
        result.stderr,
    ), result.stderr
    assert result.stderr.count("FOUT") == 1
    digest = scan_html("<script>window.__eigen=1</script>")[0].digest
    assert f"voeg de regel '- {digest}' toe onder extra.woo.toegestane_scripts" in result.stderr
    assert (out / "index.html").read_text() == "vorige site"

    # Listed in the site settings, it is published, and its hash (only) is in the policy.
    data = yaml.safe_load(config.read_text())
    data["extra"]["woo"]["toegestane_scripts"] = [digest]
    config.write_text(yaml.safe_dump(data, allow_unicode=True))
    result = _build(decisions, out, config)
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert "<script>window.__eigen=1</script>" in (out / "index.html").read_text()
    assert _policy(out) == content_security_policy([digest])
    assert f"script-src 'self' '{digest}';" in _policy(out)


@pytest.mark.parametrize(
    "where, change, source",
    [
        (
            "handler in template",
            lambda site: _edit(site / "theme/partials/woo-contact.html", "<ul ", '<ul onclick="x()" '),
            "theme/partials/woo-contact.html",
        ),
        (
            "javascript: link in a page",
            lambda site: _append(site / "site_src/over-deze-site.md", '\n<a href="javascript:alert(1)">klik</a>\n'),
            "site_src/over-deze-site.md",
        ),
        (
            "script in a page",
            lambda site: _append(site / "site_src/privacy.md", "\n<script>alert(2)</script>\n"),
            "site_src/privacy.md",
        ),
        (
            "setting",
            lambda site: _edit(
                site / "mkdocs.yml", "site_description: ", "site_description: '\"><script>alert(3)</script>'\nx_: "
            ),
            "mkdocs.yml",
        ),
    ],
)
def test_script_markup_from_the_site_itself_stops_the_build(make_package, decisions, tmp_path, where, change, source):
    approve(make_package("p"))
    config = _own_site(tmp_path)
    change(tmp_path)
    result = _build(decisions, tmp_path / "site", config)
    assert result.returncode == EXIT_FAILURE, where + result.stdout + result.stderr
    assert "FOUT pagina" in result.stderr and f", uit {source}." in result.stderr, result.stderr
    assert not (tmp_path / "site").exists()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def test_event_handlers_cannot_be_allowed_by_hash(make_package, decisions, tmp_path):
    approve(make_package("p"))
    config = _own_site(tmp_path)
    _edit(tmp_path / "theme/main.html", '<a class="woo-skip"', '<a onclick="x()" class="woo-skip"')
    digest = scan_html('<p onclick="x()">')[0].digest
    data = yaml.safe_load(config.read_text())
    data["extra"]["woo"]["toegestane_scripts"] = [digest]
    config.write_text(yaml.safe_dump(data))
    result = _build(decisions, tmp_path / "site", config)
    assert result.returncode == EXIT_FAILURE and "event-handler-attribuut onclick" in result.stderr


@pytest.mark.parametrize(
    "value, expected",
    [
        ("sha256-abc", "extra.woo.toegestane_scripts: dit moet een lijst van script-hashes zijn."),
        (["'sha256-" + "A" * 43 + "='"], "is geen SHA-256-hash van een script"),
        (["sha256-" + "A" * 42 + "\x1b="], "is geen SHA-256-hash van een script"),
        (["sha384-" + "A" * 64], "is geen SHA-256-hash van een script"),
        ([{"sha256": "x"}], "is geen SHA-256-hash van een script"),
        (["sha256-" + "A" * 43 + "=" * 10_000], "is geen SHA-256-hash van een script"),
    ],
)
def test_listed_script_hashes_are_checked(make_package, decisions, tmp_path, value, expected):
    approve(make_package("p"))

    def change(data):
        data["extra"]["woo"]["toegestane_scripts"] = value

    config = _own_site(tmp_path, change)
    result = _build(decisions, tmp_path / "site", config)
    assert result.returncode == EXIT_FAILURE
    assert expected in result.stderr and "Oplossing:" in result.stderr
    assert "\x1b" not in result.stderr and len(result.stderr) < 2000
    checked = run_cli("check", str(decisions), "--config", str(config), "--cache", str(tmp_path / "cache"))
    assert checked.returncode == 1 and expected.split(": ")[-1] in checked.stdout


def test_a_listed_script_that_no_page_has_is_left_out_of_the_policy(make_package, decisions, tmp_path):
    approve(make_package("p"))
    unused = "sha256-" + "B" * 43 + "="

    def change(data):
        data["extra"]["woo"]["toegestane_scripts"] = [unused]

    result = _build(decisions, tmp_path / "site", _own_site(tmp_path, change))
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert "sha256-" not in _policy(tmp_path / "site")


def test_only_markdown_pages_the_site_names_are_published(make_package, decisions, tmp_path):
    approve(make_package("p"))
    config = _own_site(tmp_path)
    (tmp_path / "site_src/vergeten.md").write_text("# Vergeten pagina\n")
    (tmp_path / "site_src/assets/vendor/NOTES.md").write_text("# Aantekeningen\n")
    (tmp_path / "site_src/README.md").write_text("# Voor beheerders\n")
    (tmp_path / "site_src/.concept.md").write_text("# Verborgen concept\n")
    (tmp_path / "site_src/stuur\x1b[31m.md").write_text("# Vreemde naam\n")
    out = tmp_path / "site"
    result = _build(decisions, out, config)
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert "site_src/vergeten.md" in result.stdout and "niet in nav of not_in_nav" in result.stdout
    assert "README" not in result.stdout and "NOTES" not in result.stdout and "concept" not in result.stdout
    assert "site_src/stuur [31m.md" in result.stdout and "\x1b" not in result.stdout
    assert not (out / ".concept").exists() and not any("stuur" in p.name for p in out.rglob("*"))
    assert not (out / "vergeten").exists() and not (out / "assets/vendor/index.html").exists()
    assert not (out / "assets/vendor/NOTES").exists() and not (out / "README").exists()
    assert (out / "privacy/index.html").is_file() and (out / "over-deze-site/index.html").is_file()


# -- a real browser, sent the site's policy ----------------------------------------------------------


@needs_browser
def test_browser_with_the_sites_policy_runs_the_theme_but_not_an_injected_script(demo, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(demo, site)
    page = (site / "besluit/2024-0000034173/index.html").read_text()
    injected = '<div class="woo-page"><script>window.__woo_injected=1</script><img src="x.png" onerror="window.__woo_handler=1">'
    (site / "besluit/2024-0000034173/index.html").write_text(page.replace('<div class="woo-page">', injected, 1))
    check = (
        "[typeof window.__woo_injected, typeof window.__woo_handler, window.__md_scope && window.__md_scope.href, "
        "typeof window.document$, document.querySelector('.md-top') !== null]"
    )
    server = Server(site)
    try:
        clean = probe(url=server.base + "besluit/2018-0000791076/", evaluate=check)
        attacked = probe(url=server.base + "besluit/2024-0000034173/", evaluate=check)
    finally:
        server.close()
    assert clean["headers"]["content-security-policy"] == _policy(demo)
    assert clean["cspViolations"] == [] and clean["errors"] == []
    # The theme still works from its files: Material's scope is the site root, its bundle ran.
    assert clean["evaluated"] == ["undefined", "undefined", server.base, "object", True]
    # The injected script and handler did not run; the browser reported both to the policy.
    assert attacked["evaluated"][:2] == ["undefined", "undefined"]
    assert attacked["evaluated"][2:4] == [server.base, "object"]
    assert "script-src-elem inline" in attacked["cspViolations"], attacked["cspViolations"]
    assert "script-src-attr inline" in attacked["cspViolations"], attacked["cspViolations"]


def test_markup_in_the_content_that_no_package_holds_stops_the_build_instead(two_packages, tmp_path, monkeypatch):
    """As a Markdown extension of the site would add it to every page's content: not the packages' fault."""
    import publish.build as build

    real = build._run_mkdocs

    def with_extension(site, sources, target, views, *streamed):
        real(site, sources, target, views, *streamed)
        for page in target.rglob("index.html"):
            page.write_text(page.read_text().replace('<div class="woo-page">', '<div class="woo-page" onmouseover="track()">'))

    monkeypatch.setattr(build, "_run_mkdocs", with_extension)
    report = run_build(_opts(two_packages, tmp_path))
    assert report.exit_code == EXIT_FAILURE and not report.written and report.refused == []
    assert "besluit/2024-0001/index.html" in report.error
    assert 'een event-handler-attribuut onmouseover="track()" op <div>' in report.error


def test_pages_of_the_built_site_come_in_the_order_of_a_sorted_list(tmp_path):
    """Issue 19 (mem12): ``scriptcheck._pages_in`` walks the site in order instead of listing and sorting every page;
    the order is that of ``sorted`` over each page's list of parts, a decision's document and inventory pages (the
    folders ``document`` and ``inventaris`` below the top) after all others; links to folders are not followed, a link
    to a file is a page, a broken link is not."""
    import os

    from publish.scriptcheck import PAGE_SUFFIXES, _detail_page, _pages_in

    site = tmp_path / "site"
    for rel in [
        "index.html", "a.html", "a/index.html", "a b/x.htm", "a-b/y.svg", "ab/z.xhtml", "Z.HTML", "é.html", "notes.txt",
        "document/index.html", "inventaris/1.html", "besluiten/w-1/index.html", "besluiten/w-1/document/2/index.html",
        "besluiten/w-1/document/10/index.html", "besluiten/w-1/inventaris/index.html", "besluiten/w-1.html",
        "besluiten/w-10/index.html", "besluiten/w-10/document/1/index.html", "x/documenten/index.html",
    ]:  # fmt: skip
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("<p>x</p>", encoding="utf-8")
    (site / "link.html").symlink_to(site / "a.html")
    (site / "broken.html").symlink_to(site / "nergens")
    (site / "map-link").symlink_to(site / "a")
    expected = sorted(
        (
            os.path.relpath(os.path.join(folder, name), site)
            for folder, _dirs, files in os.walk(site)
            for name in files
            if name.lower().endswith(PAGE_SUFFIXES) and os.path.isfile(os.path.join(folder, name))
        ),
        key=lambda rel: (_detail_page(rel), rel.split("/")),
    )
    found = list(_pages_in(site))
    assert found == expected
    assert found[-4:] == [
        "besluiten/w-1/document/10/index.html",
        "besluiten/w-1/document/2/index.html",
        "besluiten/w-1/inventaris/index.html",
        "besluiten/w-10/document/1/index.html",
    ]
    assert "document/index.html" in found[:-4] and "broken.html" not in found and "link.html" in found


def test_mkdocs_memos_of_urls_are_emptied():
    """Issue 19 (mem12): mkdocs' unbounded memos of normalised URLs (an entry per URL of the site) are emptied by
    ``streampages.forget_url_memos`` (after mkdocs, and every ``URL_MEMO_PAGES`` streamed pages); the answers stay."""
    import mkdocs.utils

    from publish.streampages import forget_url_memos

    before = mkdocs.utils.get_relative_url("besluiten/w-1/document/2/", "besluiten/w-1/")
    assert mkdocs.utils._norm_parts.cache_info().currsize > 0
    forget_url_memos()
    assert mkdocs.utils._norm_parts.cache_info().currsize == 0
    assert mkdocs.utils._get_norm_url.cache_info().currsize == 0
    assert mkdocs.utils.get_relative_url("besluiten/w-1/document/2/", "besluiten/w-1/") == before == "document/2/"
