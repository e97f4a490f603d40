"""Warm rebuilds (issue 19): a build that takes pages and downloads from the render cache and files from
the live site is byte-identical to a build with that cache deleted, after every kind of change; only the
pages of what changed are rendered again; a damaged cache entry or a touched live file is never served."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
from pathlib import Path

import pytest
import yaml

from publish.build import EXIT_OK, EXIT_REFUSED, BuildOptions, run_build

from support import DEMO_KEY, ROOT, PackageMaker, approve, read_open_data, run_cli

pytestmark = pytest.mark.slow  # every test here builds whole sites

# The suite's time: one cold build of the three decisions is made once for this module (``built``); each
# test works on its own copy of it (``Site.copy``), and a warm build of inputs that did not change is
# compared with that cold build instead of a cold build of its own (``warm(unchanged=True)``).


def _site_config(tmp_path: Path) -> Path:
    """A copy of the project's site with the package's theme and pages as the site's own, so a test can change them."""
    from publish.sitefiles import PACKAGE_PAGES, PACKAGE_THEME

    folder = tmp_path / "siteconfig"
    for name, source in (("theme", PACKAGE_THEME), ("site_src", PACKAGE_PAGES)):
        shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    data = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    data["extra"]["woo"]["ondertekenaars"] = str(ROOT / data["extra"]["woo"]["ondertekenaars"])
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder / "mkdocs.yml"


class Site:
    """One live site with its cache and archive, rebuilt warm and compared with a build from scratch."""

    def __init__(self, tmp_path: Path, decisions: Path, config: Path):
        self.tmp, self.decisions, self.config = tmp_path, decisions, config
        self.out, self.cache, self.archive = tmp_path / "site", tmp_path / "cache", tmp_path / "archief"
        self.rounds = 0
        self.origin: Site | None = None  # the cold build this site is a copy of

    def copy(self, tmp_path: Path, decisions: Path) -> Site:
        """This site, its packages, cache and archive copied under ``tmp_path`` (files keep their modification
        times), as if it had been built there: the record of the live site (publish/incremental.py) is written
        again for the copy by ``LiveReuse`` itself. The site settings and theme stay shared: a test that changes
        them makes a site of its own. The render cache keys hold the theme folder's path."""
        import sqlite3
        from contextlib import closing

        from publish.cache import Cache
        from publish.incremental import LiveReuse

        shutil.copytree(self.decisions, decisions, dirs_exist_ok=True)
        other = Site(tmp_path, decisions, self.config)
        for source, target in ((self.out, other.out), (self.cache, other.cache), (self.archive, other.archive)):
            if source.is_dir():
                shutil.copytree(source, target, symlinks=True)
        # The cache's key is the user's (publish/cachestore.py, the test session's own config folder): shared by the copy.
        recorded = LiveReuse(Cache(self.cache), self.out)
        with closing(sqlite3.connect(recorded.path)) as store:  # the record on disk (publish/diskstore.py)
            entries = [(bytes(k).decode(), bytes(v).decode()) for k, v in store.execute("SELECT key, value FROM entries")]
        assert any(k.startswith("f/") for k, _ in entries), "the cold build recorded its files"
        (other.cache / "site" / recorded.path.name).unlink()
        moved = LiveReuse(Cache(other.cache), other.out)
        for key, value in entries:
            if key.startswith("f/"):
                moved.record(key[2:], json.loads(value)[0])
            elif key.startswith("c/"):
                moved.clean_bodies_now.add(key[2:])
            elif key.startswith("x/"):  # warm12: a note kept beside a file's record (the XLSX's cache entry)
                moved.note(key[2:], value)
            elif key.startswith("g/"):  # pages19: a decision's streamed pages, one record
                page_key, context, pages = json.loads(value)
                moved.record_group(key[2:], page_key, context, [page[:2] for page in pages])
        moved.save()
        other.origin = self
        return other

    def build(self, out: Path, cache: Path, archive: Path, today: str, monkeypatch=None):
        return run_build(
            BuildOptions(
                decisions=self.decisions,
                out=out,
                config=self.config,
                cache=cache,
                today=dt.date.fromisoformat(today),
                workers=1,
                archive=archive,
            )
        )

    def warm(self, today: str = "2024-06-01", unchanged: bool = False):
        """A warm build of the live site, and the same build with the render cache, the download cache
        and the record of the live site deleted, into an empty output (the PDF results are kept: the
        gate is not what is compared). Both outputs must be the same, file for file, byte for byte.
        ``unchanged``: nothing was changed since the cold build this site is a copy of (same packages,
        settings and day), so that cold build is the build from scratch to compare with."""
        self.rounds += 1
        if unchanged:
            assert self.origin is not None and today == "2024-06-01"
            warm = self._warm_build(today)
            assert warm.exit_code == EXIT_OK and warm.written, (warm.error, warm.refused)
            a, b = files(self.out), files(self.origin.out)
            assert sorted(a) == sorted(b)
            assert [p for p in sorted(a) if a[p] != b[p]] == []
            return warm
        cold_cache = self.tmp / f"cache-koud-{self.rounds}"
        cold_archive = self.tmp / f"archief-koud-{self.rounds}"
        if self.cache.is_dir():
            shutil.copytree(self.cache, cold_cache)
            for kind in ("pagina", "download", "site", "bron", "fragment", "samengesteld"):
                shutil.rmtree(cold_cache / kind, ignore_errors=True)
        if self.archive.is_dir():
            shutil.copytree(self.archive, cold_archive)
        warm = self._warm_build(today)
        cold = self.build(self.tmp / f"site-koud-{self.rounds}", cold_cache, cold_archive, today)
        assert warm.exit_code == cold.exit_code, (warm.error, cold.error)
        assert warm.written and cold.written, (warm.error, warm.refused)
        assert cold.site.get("paginas_uit_cache", 0) == 0 and cold.site.get("bestanden_hergebruikt", 0) == 0
        a, b = files(self.out), files(self.tmp / f"site-koud-{self.rounds}")
        assert sorted(a) == sorted(b)
        assert [p for p in sorted(a) if a[p] != b[p]] == []
        return warm

    def _warm_build(self, today: str):
        """A build of the live site with its cache; ``self.rendered``: the pages it really rendered."""
        self.rendered = []
        handler = _Rendered(self.rendered)
        logger = logging.getLogger("publish.streampages")
        level = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        try:
            return self.build(self.out, self.cache, self.archive, today)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)


class _Rendered(logging.Handler):
    """The pages the streaming plugin really rendered (not taken from the cache) during one build."""

    def __init__(self, into: list[str]):
        super().__init__(logging.DEBUG)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("gerenderd "):
            self.into.append(message.split(" ", 1)[1])


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def mtimes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


def _cold_site(tmp_path: Path, decisions: Path) -> Site:
    """Three approved decisions and a first build of them from an empty cache, with site settings of its own."""
    make_package = PackageMaker(decisions)
    approve(make_package("een", meta={"titel": "Besluit over parkeren"}))
    approve(make_package("twee", meta={"kenmerk": "2024-0002", "titel": "Besluit over bomen", "besluit_datum": "2024-04-01"}))
    approve(make_package("drie", meta={"kenmerk": "2024-0003", "titel": "Besluit over fietsen", "besluit_datum": "2024-03-01"}))
    s = Site(tmp_path, decisions, _site_config(tmp_path))
    first = s.build(s.out, s.cache, s.archive, "2024-06-01")
    assert first.exit_code == EXIT_OK and first.written, (first.error, first.refused)
    assert first.site["paginas_gerenderd"] > 0 and first.site.get("paginas_uit_cache", 0) == 0
    return s


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Site:
    """The cold build every ``site`` is a copy of; tests never change it."""
    root = tmp_path_factory.mktemp("koud")
    return _cold_site(root, root / "decisions")


@pytest.fixture
def site(built, decisions, tmp_path) -> Site:
    """A copy of the cold build of its own, to change and build again."""
    return built.copy(tmp_path, decisions)


@pytest.fixture
def own_site(decisions, tmp_path) -> Site:
    """A cold build with site settings and a theme of its own, for a test that changes them."""
    return _cold_site(tmp_path, decisions)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_nothing_changed_renders_nothing_and_rewrites_nothing(site):
    before_files, before_times = files(site.out), mtimes(site.out)
    report = site.warm(unchanged=True)
    assert report.site["paginas_gerenderd"] == 0 and report.site["paginas_uit_cache"] > 0
    assert site.rendered == []
    assert report.site.get("downloads_gemaakt", 0) == 0
    assert report.site["bestanden_hergebruikt"] > 0
    # Every file keeps its bytes and its modification time: a sync uploads nothing.
    assert files(site.out) == before_files
    assert mtimes(site.out) == before_times


def test_one_decision_edited_renders_only_its_pages(site):
    pkg = site.decisions / "twee"
    _edit(pkg / "besluit.md", "Besluit over bomen", "Besluit over oude bomen")
    approve(pkg)
    before = files(site.out)
    report = site.warm()
    rendered = sorted(site.rendered)
    assert report.site["paginas_gerenderd"] == len(rendered) > 0
    # Its own pages, and lists that show its title; never a page of another decision.
    assert any(p.startswith("besluit/2024-0002/") for p in rendered)
    assert not [p for p in rendered if p.startswith(("besluit/2024-0001/", "besluit/2024-0003/"))], rendered
    after = files(site.out)
    assert all(before[p] == after[p] for p in before if p.startswith(("besluit/2024-0001/", "besluit/2024-0003/")))
    assert "oude bomen" in after["besluit/2024-0002/index.html"].decode()


def test_added_and_withdrawn_decisions(site, make_package):
    approve(make_package("vier", meta={"kenmerk": "2024-0004", "titel": "Besluit over bruggen"}))
    report = site.warm()
    assert (site.out / "besluit/2024-0004/document/1/index.html").is_file()
    assert report.site["paginas_uit_cache"] > 0
    assert (site.out / "besluit/2024-0003/document/1/index.html").is_file()
    result = run_cli(
        "withdraw",
        str(site.decisions / "drie"),
        "--reden",
        "Verkeerde verzoeker",
        "--datum",
        "2024-06-01",
        "--sleutel",
        str(DEMO_KEY),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site.warm("2024-06-02")
    # The withdrawn decision's pages and files are gone, only the notice stays.
    assert sorted(p.name for p in (site.out / "besluit/2024-0003").iterdir()) == ["index.html"]
    assert "fietsen" not in (site.out / "besluit/2024-0003/index.html").read_text()


def test_site_settings_theme_and_name_changes_are_never_served_stale(own_site):
    site = own_site
    config = site.config
    _edit(config, "site_name: Woo-besluiten (voorbeeldsite)", "site_name: Besluiten van Testgemeente")
    report = site.warm()
    assert report.site["paginas_uit_cache"] == 0  # the name is on every page
    assert "Besluiten van Testgemeente" in (site.out / "besluit/2024-0002/document/1/index.html").read_text()
    _edit(config.parent / "theme/main.html", "{% block content %}", "{% block content %}<!-- eigen aanpassing -->")
    site.warm()
    assert "eigen aanpassing" in (site.out / "besluit/2024-0002/document/1/index.html").read_text()
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["nav"].append({"Contact": "toegankelijkheid.md"})
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site.warm()
    assert "Contact" in (site.out / "besluit/2024-0002/document/1/index.html").read_text()


def test_embargo_lifts_by_date_on_a_warm_build(site, make_package):
    approve(
        make_package("later", meta={"kenmerk": "2024-0005", "titel": "Besluit met EMBARGO", "publicatie_datum": "2024-07-01"})
    )
    site.warm("2024-06-01")
    assert not (site.out / "besluit/2024-0005").exists()
    site.warm("2024-07-01")
    assert "EMBARGO" in (site.out / "besluit/2024-0005/index.html").read_text()


def test_a_package_refused_by_the_script_check_on_a_warm_build(site, monkeypatch):
    monkeypatch.setattr("publish.pages.render_untrusted", lambda text: text)
    # That is other code: a real change of the code changes its hash, which every cache key holds.
    monkeypatch.setattr("publish.incremental._CODE_HASH", "ander-programma")
    pkg = site.decisions / "twee"
    text = (pkg / "besluit.md").read_text(encoding="utf-8")
    (pkg / "besluit.md").write_text(text.rstrip("\n") + ' <img src=x onerror="window.__woo=1">\n', encoding="utf-8")
    approve(pkg)
    report = site.warm()
    assert report.exit_code == EXIT_REFUSED and [r["package"] for r in report.refused] == ["twee"]
    assert not (site.out / "besluit/2024-0002/document").exists()


def test_a_damaged_cache_entry_is_rendered_again_not_served(site):
    before = files(site.out)
    entries = sorted((site.cache / "pagina").rglob("*.blob"))
    assert entries
    damaged = entries[: max(1, len(entries) // 3)]
    for i, entry in enumerate(damaged):
        os.chmod(entry, 0o644)
        data = entry.read_bytes()
        if i % 2:
            entry.write_bytes(data[: len(data) // 2])  # truncated
        else:
            entry.write_bytes(data.replace(b"woo-page", b"woo-PAGE", 1))  # same size, other bytes
    shutil.rmtree(site.cache / "site")  # nothing to link from the live site: every page comes from the cache
    report = site.build(site.out, site.cache, site.archive, "2024-06-01")
    assert report.exit_code == EXIT_OK
    assert report.site["paginas_gerenderd"] == len(damaged)
    assert files(site.out) == before


def test_a_live_file_touched_since_the_last_build_is_made_again(site):
    zip_path = site.out / "besluit/2024-0001/documenten.zip"
    page = site.out / "besluit/2024-0001/document/1/index.html"
    pdf = site.out / "besluit/2024-0001/document-1.pdf"
    originals = {p: p.read_bytes() for p in (zip_path, page, pdf)}
    for path in originals:  # changed in place, with its size and modification time put back
        st = path.stat()
        data = bytearray(path.read_bytes())
        data[-3] ^= 0x01
        path.write_bytes(bytes(data))
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    report = site.build(site.out, site.cache, site.archive, "2024-06-01")
    assert report.exit_code == EXIT_OK
    for path, data in originals.items():
        assert path.read_bytes() == data, path


@pytest.mark.parametrize(
    "record",
    [b"", b"{niet json", b'{"live": 1, "files": []}', b'{"live": "x", "files": {"a": 5}}', b"\x00" * 100],
)
def test_a_damaged_record_of_the_live_site_only_costs_time(site, record):
    records = list((site.cache / "site").glob("*.sqlite"))  # publish/diskstore.py
    assert records
    for path in records:
        os.chmod(path, 0o644)
        if b"live" in record and b"x" in record:
            path.write_bytes(record.replace(b'"x"', repr(str(site.out.resolve())).replace("'", '"').encode()))
        else:
            path.write_bytes(record)
    report = site.warm(unchanged=True)
    assert report.site["bestanden_hergebruikt"] == 0 and report.site["paginas_gerenderd"] == 0


# -- Issue 19: the page cache (each decision's generated pages) and the fragments of open data and sitemaps ------


def _blobs(site: Site, kind: str) -> list[Path]:
    return sorted((site.cache / kind).rglob("*.blob"))


def test_nothing_changed_runs_no_jinja_and_links_open_data_and_sitemaps(own_site):
    site = own_site  # a cold build of its own: the page cache is keyed by the package folders' place
    report = site.warm()
    assert report.site["besluiten_paginas_gemaakt"] == 0 and report.site["besluiten_paginas_uit_cache"] == 3
    # Open data and the sitemaps are linked whole from the live site: nothing assembled, nothing written.
    assert report.site.get("opendata_geschreven", 0) == 0 and report.site["opendata_hergebruikt"] > 0
    assert report.site.get("metadata_geschreven", 0) == 0 and report.site["metadata_hergebruikt"] > 0
    assert len(_blobs(site, "bron")) == 3


def test_one_decision_changed_rewrites_only_what_shows_it(own_site):
    site = own_site  # a cold build of its own: the page cache is keyed by the package folders' place
    pkg = site.decisions / "twee"
    _edit(pkg / "besluit.md", "Besluit over bomen", "Besluit over oude bomen")
    approve(pkg)
    before, before_times = files(site.out), mtimes(site.out)
    report = site.warm()
    assert report.site["besluiten_paginas_gemaakt"] == 1 and report.site["besluiten_paginas_uit_cache"] == 2
    after, after_times = files(site.out), mtimes(site.out)
    assert (
        "oude bomen" in after["data/alles/2024-05-1.json"].decode()
        and "oude bomen" in after["data/woo-besluit/2024-05-1.csv"].decode()
    )
    diwoo = [p for p in after if p.startswith("sitemaps/diwoo-") and "oude bomen" in after[p].decode()]
    assert diwoo
    # Files whose bytes did not change keep their modification time (the plain sitemap: same addresses and dates).
    unchanged = [p for p in before if p in after and before[p] == after[p]]
    assert "sitemap.xml" in unchanged and "robots.txt" in unchanged
    assert [p for p in unchanged if before_times[p] != after_times[p]] == []
    assert report.site["metadata_hergebruikt"] >= 2 and report.site["metadata_geschreven"] >= 1


def test_a_template_change_makes_every_decision_page_again(own_site, tmp_path, monkeypatch):
    site = own_site  # a cold build of its own: the page cache is keyed by the package folders' place
    from publish import pages

    templates = tmp_path / "sjablonen"
    shutil.copytree(pages.TEMPLATES, templates)
    _edit(templates / "document.html", "{% from", "<!-- sjabloon gewijzigd -->\n{% from")
    monkeypatch.setattr(pages, "TEMPLATES", templates)
    report = site.warm()
    assert report.site["besluiten_paginas_gemaakt"] == 3 and report.site["besluiten_paginas_uit_cache"] == 0
    assert "sjabloon gewijzigd" in (site.out / "besluit/2024-0002/document/1/index.html").read_text()


def test_a_code_change_makes_every_decision_page_and_fragment_again(own_site, monkeypatch):
    site = own_site  # a cold build of its own: the page cache is keyed by the package folders' place
    monkeypatch.setattr("publish.incremental._CODE_HASH", "nieuwe-versie")
    report = site.warm()
    assert report.site["besluiten_paginas_gemaakt"] == 3
    assert report.site["opendata_geschreven"] == 0  # made again, but the same bytes: linked, not written


def test_site_address_and_organisation_changes_reach_pages_open_data_and_sitemaps(own_site):
    site = own_site  # a cold build of its own: the page cache is keyed by the package folders' place
    _edit(site.config, "site_url: https://woo.example.nl/", "site_url: https://openbaar.example.org/woo/")
    report = site.warm()
    # The pages link relatively, but show the sizes of the downloads, and the CSV holds the documents' addresses.
    assert report.site["besluiten_paginas_gemaakt"] == 3
    assert "https://openbaar.example.org/woo/data/alles/2024-05-1.json" in (site.out / "data.json").read_text()
    assert "https://openbaar.example.org/woo/besluit/2024-0002/" in (site.out / "data/alles/2024-05-1.json").read_text()
    assert "https://openbaar.example.org/woo/" in (site.out / "sitemap.xml").read_text()
    assert report.site["opendata_geschreven"] > 0 and report.site["metadata_geschreven"] > 0
    data = yaml.safe_load(site.config.read_text(encoding="utf-8"))
    data["extra"]["woo"]["organisatie"] = "Gemeente Voorbeeld"
    site.config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = site.warm()
    assert report.site["besluiten_paginas_gemaakt"] == 3
    assert "Gemeente Voorbeeld" in (site.out / "index.html").read_text()


def test_damaged_page_cache_entries_are_made_again(own_site):
    site = own_site  # a cold build of its own: the page cache is keyed by the package folders' place
    before = files(site.out)
    for i, entry in enumerate(_blobs(site, "bron")):
        os.chmod(entry, 0o644)
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2] if i % 2 else data.replace(b"woo-", b"WOO-", 1))
    # pages19: each decision's group record of the live site holds, so its pages are linked and the page cache is not read.
    report = site.build(site.out, site.cache, site.archive, "2024-06-01")
    assert report.site["besluiten_paginas_gekoppeld"] == 3 and report.site.get("paginacache_geweigerd", 0) == 0
    assert files(site.out) == before
    shutil.rmtree(site.cache / "site")  # no record of the live site: each decision's pages come from the page cache
    report = site.warm()
    assert report.site["besluiten_paginas_gemaakt"] == 3 and report.site["besluiten_paginas_uit_cache"] == 0
    assert files(site.out) == before


@pytest.mark.parametrize("forgery", ["script", "andere-paginas", "geen-json", "vreemde-vorm"])
def test_a_forged_page_cache_entry_with_a_valid_checksum_is_refused(own_site, forgery):
    site = own_site  # a cold build of its own: the page cache is keyed by the package folders' place
    """Someone wrote entries with a correct checksum: markup that would run, another decision's pages,
    not JSON, another shape. Each is refused and the pages are made again; nothing of it is published,
    and no package is refused for it."""
    import json

    from publish.cache import Cache

    cache = Cache(site.cache)
    entries = _blobs(site, "bron")
    keys = [entry.name.split(".")[0] for entry in entries]
    stored = [cache.get_blob("bron", key)[1] for key in keys]
    shutil.rmtree(site.cache / "site")  # no record of clean bodies: every cached body is looked at
    before = files(site.out)
    for i, key in enumerate(keys):
        if forgery == "script":
            entry = json.loads(stored[i])
            for page in entry["paginas"]:
                page[2] = page[2].replace(
                    "</h1>", '</h1><img src=x onerror="window.__vervalst=1"><script>window.__vervalst=2</script>', 1
                )
            data = json.dumps(entry, ensure_ascii=False).encode("utf-8")
        elif forgery == "andere-paginas":
            data = stored[(i + 1) % len(stored)]
        elif forgery == "geen-json":
            data = b"\xff\xfe niet json"
        else:
            data = json.dumps({"versie": 1, "paginas": {"a": 1}}).encode("utf-8")
        for path in (site.cache / "bron").rglob(f"{key}.blob"):
            os.chmod(path, 0o644)
        cache.put_blob("bron", key, data)
    report = site.warm()
    assert report.exit_code == EXIT_OK and report.refused == []
    assert report.site["paginacache_geweigerd"] == 3 and report.site["besluiten_paginas_gemaakt"] == 3
    after = files(site.out)
    assert after == before
    assert not [p for p, data in after.items() if b"__vervalst" in data]


def _open_data_files(tree: dict) -> set[str]:
    return {p for p in tree if p == "data.json" or p.startswith("data/")}


def test_a_changed_or_added_decision_rewrites_only_its_months_open_data(decisions, tmp_path):
    """Issue 19, sync-friendly open data: the open data is split per month of publication (data.json the
    index); a change to one decision rewrites its month's parts and the indexes, and every other part keeps
    its bytes and its modification time, so a sync uploads only those. A warm build equals a cold one."""
    make_package = PackageMaker(decisions)
    months = (("maart", "2024-0001", "2024-03-08"), ("april", "2024-0002", "2024-04-08"), ("mei", "2024-0003", "2024-05-08"))
    for name, kenmerk, day in months:
        meta = {"kenmerk": kenmerk, "titel": f"Besluit {name}", "besluit_datum": day[:8] + "01", "publicatie_datum": day}
        approve(make_package(name, meta=meta))
    site = Site(tmp_path, decisions, _site_config(tmp_path))
    first = site.build(site.out, site.cache, site.archive, "2024-06-01")
    assert first.exit_code == EXIT_OK and first.written, (first.error, first.refused)
    parts = ["data/alles/2024-03-1.json", "data/alles/2024-04-1.json", "data/alles/2024-05-1.json"]
    assert sorted(p for p in _open_data_files(files(site.out)) if p.startswith("data/alles/")) == parts

    def rebuild() -> tuple[list[str], list[str]]:
        before, before_times = files(site.out), mtimes(site.out)
        site.warm()
        after, after_times = files(site.out), mtimes(site.out)
        opendata = _open_data_files(after) | _open_data_files(before)
        changed = sorted(p for p in opendata if before.get(p) != after.get(p))
        kept = sorted(opendata - set(changed))
        assert [p for p in kept if after_times[p] != before_times[p]] == []  # not rewritten: same time, same inode
        read_open_data(site.out)  # the index's sizes and SHA-256 are those of the parts
        return changed, kept

    _edit(decisions / "april" / "besluit.md", "Besluit april", "Besluit april herzien")
    approve(decisions / "april")
    changed, kept = rebuild()
    indexes = ["data.json", "data/woo-besluit.csv", "data/woo-besluit.json"]
    april = ["data/alles/2024-04-1.json", "data/woo-besluit/2024-04-1.csv", "data/woo-besluit/2024-04-1.json"]
    assert changed == sorted(indexes + april)
    assert {
        "data/alles/2024-03-1.json",
        "data/alles/2024-05-1.json",
        "data/woo-besluit/2024-03-1.json",
        "data/woo-besluit/2024-05-1.csv",
    } <= set(kept)
    assert "Besluit april herzien" in (site.out / "data/alles/2024-04-1.json").read_text(encoding="utf-8")

    meta = {"kenmerk": "2024-0004", "titel": "Besluit ook mei", "besluit_datum": "2024-05-01", "publicatie_datum": "2024-05-20"}
    approve(make_package("ook-mei", meta=meta))
    changed, kept = rebuild()
    may = ["data/alles/2024-05-1.json", "data/woo-besluit/2024-05-1.csv", "data/woo-besluit/2024-05-1.json"]
    assert changed == sorted(indexes + may)
    data = read_open_data(site.out)
    assert [b["kenmerk"] for b in data["besluiten"]] == ["2024-0001", "2024-0002", "2024-0003", "2024-0004"]


def test_forged_and_damaged_fragments_are_made_again(own_site):
    site = own_site  # a cold build of its own: the page cache is keyed by the package folders' place
    """Fragments of open data and sitemaps: a damaged one, one of another decision with a valid checksum,
    and a set record that names files outside the site: all refused, the output is what a cold build makes."""
    import json

    from publish.cache import Cache

    pkg = site.decisions / "twee"
    _edit(pkg / "besluit.md", "Besluit over bomen", "Besluit over oude bomen")  # the sets must be assembled again
    approve(pkg)
    cache = Cache(site.cache)
    entries = sorted((site.cache / "fragment").rglob("*.json"))
    assert entries
    values = {e: json.loads(e.read_text(encoding="utf-8"))["value"] for e in entries}
    opendata = [e for e in entries if isinstance(values[e], dict)]
    assert len(opendata) == 3
    for i, entry in enumerate(opendata):  # each decision's open data swapped for the next one's, checksum and all
        os.chmod(entry, 0o644)
        cache.put_json("fragment", entry.name.split(".")[0], values[opendata[(i + 1) % 3]])
    for entry in [e for e in entries if e not in opendata]:
        os.chmod(entry, 0o644)
        entry.write_bytes(entry.read_bytes()[:-5])  # damaged
    for entry in (site.cache / "samengesteld").rglob("*.json"):
        os.chmod(entry, 0o644)
        cache.put_json("samengesteld", entry.name.split(".")[0], {"files": {"../../buiten.txt": "0" * 64}})
    report = site.warm()
    assert report.exit_code == EXIT_OK
    assert not (site.tmp / "buiten.txt").exists()
    data = read_open_data(site.out)
    assert [b["titel"] for b in data["besluiten"]] == ["Besluit over parkeren", "Besluit over oude bomen", "Besluit over fietsen"]


def test_a_changed_entry_of_the_live_site_record_is_not_used(site):
    """The record of the live site is on disk (publish/diskstore.py): an entry changed by hand (without its
    checksum) is treated as absent, so that file is made again; the other files are still linked."""
    import sqlite3

    zip_path = site.out / "besluit/2024-0001/documenten.zip"
    pdf = site.out / "besluit/2024-0001/document-1.pdf"
    zip_ino, pdf_ino = zip_path.stat().st_ino, pdf.stat().st_ino
    [record] = list((site.cache / "site").glob("*.sqlite"))
    os.chmod(record, 0o644)
    con = sqlite3.connect(record)
    key = b"f/besluit/2024-0001/documenten.zip"
    (value,) = con.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
    con.execute("UPDATE entries SET value = ? WHERE key = ?", (value.replace(b"[", b"[ ", 1), key))
    con.commit()
    con.close()
    report = site.warm()
    assert report.site["bestanden_hergebruikt"] > 0
    assert zip_path.stat().st_ino != zip_ino  # made again, not linked
    assert pdf.stat().st_ino == pdf_ino  # still linked from the live site


def test_unchanged_inventory_files_linked_by_view_and_xlsx_entry_kept(site):
    """Warm12: a decision's inventory files (JSON, CSV, XLSX) are linked from the live site by its view's fingerprint,
    without the XLSX being read from the cache; the XLSX's cache entry is kept all the same, so a live file that was
    touched is made again from it (and not by the spreadsheet library)."""
    inventory = sorted(
        p for p in site.out.rglob("*") if p.is_file() and p.name in ("inventaris.json", "inventaris.csv", "inventaris.xlsx")
    )
    assert len(inventory) == 9, inventory  # three decisions with an inventory
    inodes = {p: p.stat().st_ino for p in inventory}
    for _ in range(2):
        report = site.warm(unchanged=True)
        assert report.site.get("downloads_uit_cache", 0) == 0 and report.site.get("downloads_gemaakt", 0) == 0
        assert {p: p.stat().st_ino for p in inventory} == inodes  # the very same files: nothing written
    xlsx = next(p for p in inventory if p.name == "inventaris.xlsx")
    data = xlsx.read_bytes()
    xlsx.unlink()
    xlsx.write_bytes(data)  # touched: no longer the file the last build recorded
    report = site.warm(unchanged=True)
    assert report.site.get("downloads_uit_cache", 0) == 1 and report.site.get("downloads_gemaakt", 0) == 0
    assert xlsx.read_bytes() == data


# -- pages19: a decision's streamed pages linked by one record --------------------------------------------------------


def _inodes(site: Site, prefix: str) -> dict[str, int]:
    return {p: (site.out / p).stat().st_ino for p in files(site.out) if p.startswith(prefix) and p.endswith(".html")}


def test_one_changed_decision_gets_its_pages_remade_the_others_are_linked_as_groups(site):
    """pages19: with nothing changed every decision's streamed pages are linked by its one group record; with one
    decision's besluit.md changed exactly that decision's pages are made again (real HTML), the other two decisions'
    pages are the live files themselves, and the next build links all three groups again."""
    report = site.build(site.out, site.cache, site.archive, "2024-06-01")
    assert report.site["besluiten_paginas_gekoppeld"] == 3 and report.site["besluiten_paginas_groep_opnieuw"] == 0
    assert report.site.get("paginas_gerenderd", 0) == 0
    kept = {**_inodes(site, "besluit/2024-0001/"), **_inodes(site, "besluit/2024-0003/")}
    assert len(kept) >= 4
    pkg = site.decisions / "twee"
    _edit(pkg / "besluit.md", "Besluit over bomen", "Besluit over knotwilgen")
    approve(pkg)
    report = site.warm()  # byte-identical to a build from scratch
    assert report.site["besluiten_paginas_gekoppeld"] == 2 and report.site["besluiten_paginas_groep_opnieuw"] == 0
    assert report.site["besluiten_paginas_gemaakt"] == 1
    assert any(p.startswith("besluit/2024-0002/") for p in site.rendered)
    assert not [p for p in site.rendered if p.startswith(("besluit/2024-0001/", "besluit/2024-0003/"))]
    assert "knotwilgen" in (site.out / "besluit/2024-0002/index.html").read_text(encoding="utf-8")
    assert {**_inodes(site, "besluit/2024-0001/"), **_inodes(site, "besluit/2024-0003/")} == kept
    report = site.build(site.out, site.cache, site.archive, "2024-06-01")
    assert report.site["besluiten_paginas_gekoppeld"] == 3 and report.site.get("paginas_gerenderd", 0) == 0


def test_a_tampered_page_of_a_group_is_made_again_not_linked(site):
    """pages19: a decision page changed in the live site with its size and modification time put back (os.utime) is
    not linked: its decision's group record no longer holds, so its pages are made one by one; the untouched ones are
    still linked by their part of the record, the touched one is written again with the right bytes."""
    page = site.out / "besluit/2024-0001/document/1/index.html"
    other = site.out / "besluit/2024-0001/index.html"
    original, other_inode = page.read_bytes(), other.stat().st_ino
    st = page.stat()
    data = bytearray(original)
    data[-20] ^= 0x01
    page.write_bytes(bytes(data))
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    report = site.warm(unchanged=True)
    assert report.site["besluiten_paginas_gekoppeld"] == 2 and report.site["besluiten_paginas_groep_opnieuw"] == 1
    assert page.read_bytes() == original and page.stat().st_ino != st.st_ino
    assert other.stat().st_ino == other_inode  # linked, not rewritten
    assert report.site.get("paginas_gerenderd", 0) == 0  # from the render cache


def test_a_forged_group_record_is_ignored(site):
    """pages19: a group record changed by hand (its HMAC under the cache key no longer matches) is absent: that decision's
    pages are made from the page and render caches, the output is the same as a build from scratch."""
    import sqlite3

    [record] = list((site.cache / "site").glob("*.sqlite"))
    os.chmod(record, 0o644)
    con = sqlite3.connect(record)
    key = b"g/besluit/2024-0003/"
    (value,) = con.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
    con.execute("UPDATE entries SET value = ? WHERE key = ?", (bytes(value).replace(b",", b", ", 1), key))
    con.commit()
    con.close()
    report = site.warm(unchanged=True)
    assert report.site["besluiten_paginas_gekoppeld"] == 2 and report.site["besluiten_paginas_groep_opnieuw"] == 0
    assert report.site["besluiten_paginas_uit_cache"] == 3 and report.site.get("paginas_gerenderd", 0) == 0


@pytest.mark.parametrize("linked", ["besluit/2024-0001", "besluit/2024-0001/document/1"])
def test_a_folder_of_the_live_site_replaced_by_a_link_is_not_followed(site, tmp_path, linked):
    """Attack on pages19: a folder of the live site moved elsewhere and a symbolic link put in its place keeps every
    file's inode, size and times, so the file checks alone (``lstat`` follows a linked folder above the file) would
    link the files found through the link into the new site. No file is taken through the link: the decision's pages
    and files are made again, the new site is a build from scratch byte for byte, and holds no link."""
    folder = site.out / linked
    moved = tmp_path / "elders"
    os.rename(folder, moved)
    os.symlink(moved, folder)
    elsewhere = {p.stat().st_ino for p in moved.rglob("*") if p.is_file()}
    assert elsewhere
    report = site.warm(unchanged=True)
    assert not folder.is_symlink() and folder.is_dir()
    assert not [p for p in site.out.rglob("*") if p.is_symlink()]
    taken = {p.stat().st_ino for p in folder.rglob("*") if p.is_file()} & elsewhere
    assert taken == set()
    assert report.site["besluiten_paginas_gekoppeld"] == 2 and report.site["besluiten_paginas_groep_opnieuw"] == 1
    assert all(p.is_file() for p in moved.rglob("*") if not p.is_dir())  # what was there is left alone


def test_the_folder_check_remembers_a_bounded_number_of_folders(tmp_path, monkeypatch):
    """Each folder on a file's path is checked once while it is remembered; the memo never grows past its bound (issue
    19: nothing that grows with the site); a folder that is a link, or missing, is never remembered as real."""
    from publish import incremental
    from publish.cache import Cache

    live = tmp_path / "live"
    for n in range(6):
        (live / "besluit" / f"b{n}" / "document").mkdir(parents=True)
    os.symlink(live / "besluit" / "b0", live / "besluit" / "link")
    monkeypatch.setattr(incremental, "REAL_FOLDERS_MEMO", 4)
    reuse = incremental.LiveReuse(Cache(tmp_path / "cache"), live)
    seen: list[str] = []
    real_lstat = os.lstat
    monkeypatch.setattr(os, "lstat", lambda p, *a, **k: (seen.append(os.fspath(p)), real_lstat(p, *a, **k))[1])
    assert reuse._in_real_folders("besluit/b1/document/1.html")
    assert len(seen) == 3
    assert reuse._in_real_folders("besluit/b1/document/2.html") and len(seen) == 3  # remembered
    assert reuse._in_real_folders("besluit/b2/document/1.html") and len(seen) == 5
    assert len(reuse._real_folders) <= 4
    for n in range(6):
        assert reuse._in_real_folders(f"besluit/b{n}/document/x.html")
        assert len(reuse._real_folders) <= 4
    assert not reuse._in_real_folders("besluit/link/document/x.html")
    assert not reuse._in_real_folders("besluit/weg/x.html")
    assert "besluit/link" not in reuse._real_folders and "besluit/link/document" not in reuse._real_folders
