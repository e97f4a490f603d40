"""Warm rebuilds (issue 19): a build that takes pages and downloads from the render cache and files from
the live site is byte-identical to a build with that cache deleted, after every kind of change; only the
pages of what changed are rendered again; a damaged cache entry or a touched live file is never served."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from pathlib import Path

import pytest
import yaml

from publish.build import EXIT_OK, EXIT_REFUSED, BuildOptions, run_build

from support import DEMO_KEY, ROOT, approve, run_cli

pytestmark = pytest.mark.slow  # every test here builds whole sites


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

    def warm(self, today: str = "2024-06-01"):
        """A warm build of the live site, and the same build with the render cache, the download cache
        and the record of the live site deleted, into an empty output (the PDF results are kept: the
        gate is not what is compared). Both outputs must be the same, file for file, byte for byte."""
        self.rounds += 1
        cold_cache = self.tmp / f"cache-koud-{self.rounds}"
        cold_archive = self.tmp / f"archief-koud-{self.rounds}"
        if self.cache.is_dir():
            shutil.copytree(self.cache, cold_cache)
            for kind in ("pagina", "download", "site"):
                shutil.rmtree(cold_cache / kind, ignore_errors=True)
        if self.archive.is_dir():
            shutil.copytree(self.archive, cold_archive)
        self.rendered = []
        handler = _Rendered(self.rendered)
        logger = logging.getLogger("publish.streampages")
        level = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        try:
            warm = self.build(self.out, self.cache, self.archive, today)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
        cold = self.build(self.tmp / f"site-koud-{self.rounds}", cold_cache, cold_archive, today)
        assert warm.exit_code == cold.exit_code, (warm.error, cold.error)
        assert warm.written and cold.written, (warm.error, warm.refused)
        assert cold.site.get("paginas_uit_cache", 0) == 0 and cold.site.get("bestanden_hergebruikt", 0) == 0
        a, b = files(self.out), files(self.tmp / f"site-koud-{self.rounds}")
        assert sorted(a) == sorted(b)
        assert [p for p in sorted(a) if a[p] != b[p]] == []
        return warm


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


@pytest.fixture
def site(make_package, decisions, tmp_path):
    approve(make_package("een", meta={"titel": "Besluit over parkeren"}))
    approve(make_package("twee", meta={"kenmerk": "2024-0002", "titel": "Besluit over bomen", "besluit_datum": "2024-04-01"}))
    approve(make_package("drie", meta={"kenmerk": "2024-0003", "titel": "Besluit over fietsen", "besluit_datum": "2024-03-01"}))
    s = Site(tmp_path, decisions, _site_config(tmp_path))
    first = s.build(s.out, s.cache, s.archive, "2024-06-01")
    assert first.exit_code == EXIT_OK and first.written, (first.error, first.refused)
    assert first.site["paginas_gerenderd"] > 0 and first.site.get("paginas_uit_cache", 0) == 0
    return s


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_nothing_changed_renders_nothing_and_rewrites_nothing(site):
    before_files, before_times = files(site.out), mtimes(site.out)
    report = site.warm()
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


def test_site_settings_theme_and_name_changes_are_never_served_stale(site):
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
    report = site.warm()
    assert report.site["bestanden_hergebruikt"] == 0 and report.site["paginas_gerenderd"] == 0


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
