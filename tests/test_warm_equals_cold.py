"""pages19 regression tests: after each kind of change a warm rebuild of one live site (files hard-linked from it, a
decision's streamed pages linked by its one signed record ``g/<URL>``: publish/incremental.py ``LiveReuse.group``) is
byte-identical to a cold build of the same input, and the group records are used exactly when they hold (report
counters ``besluiten_paginas_gekoppeld`` and ``besluiten_paginas_groep_opnieuw``, docs/beheer.md).

The scenarios are those of the pages19 attack (branch attack-pages19, attack_pages19.py) that the other tests did not
cover: site-wide settings, a later ``--vandaag``, withdrawals and suspensions, a page of a group deleted or changed in
the live site, a group record copied to another decision in the store, ``--bronnen``, a kenmerk change, a renamed
package folder and a page of the site's own in a decision's folder. One live site (module fixture) goes through them in
order, as nightly builds would. ``Live.check`` builds warm, builds cold, compares, and builds warm once more with nothing
changed (every group recorded by the first build must then be linked). Every test starts from a live site equal to a
cold build (the autouse fixture ``fresh``; after a failed test the live site is built again), so each also runs alone.

The cold build of each step starts from a copy of the live site's archive and of only the PDF results of its cache (the
gate is not what is compared): no page, download, fragment or live-site record. Suite time: about 30 s (12 tests, 35
builds of four small decisions).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from publish.build import EXIT_OK, BuildOptions, run_build

from support import DEMO_KEY, ROOT, PackageMaker, approve

pytestmark = pytest.mark.slow  # builds whole sites

START = "2024-06-01"
LATER = "2024-07-01"  # the embargo of "vier" lifts
COLD_DROP = ("pagina", "download", "site", "bron", "fragment", "samengesteld")  # everything a warm build reuses


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file() or p.is_symlink()}


def differences(warm: Path, cold: Path) -> list[str]:
    a, b = files(warm), files(cold)
    out = [f"alleen warm: {p}" for p in sorted(set(a) - set(b))] + [f"alleen koud: {p}" for p in sorted(set(b) - set(a))]
    out += [f"verschilt: {p}" for p in sorted(set(a) & set(b)) if a[p] != b[p]]
    out += [f"symbolische link: {p}" for p in sorted(a) if (warm / p).is_symlink()]
    return out


class Live:
    """One live site with its cache and archive, rebuilt warm after each change and compared with a cold build."""

    def __init__(self, root: Path):
        self.root = root
        self.decisions, self.out, self.cache, self.archive = root / "besluiten", root / "site", root / "cache", root / "archief"
        self.config = root / "mkdocs.yml"
        self.today = START
        self.sources: Path | None = None  # --bronnen of the warm builds
        self.rounds = 0
        self.cold_out: Path | None = None  # the cold build the live site last equalled
        self.failures: int | None = None  # the session's failed tests when the last test started

    def _build(self, out: Path, cache: Path, archive: Path, sources: Path | None = None):
        report = run_build(
            BuildOptions(
                decisions=self.decisions,
                out=out,
                config=self.config,
                cache=cache,
                today=dt.date.fromisoformat(self.today),
                workers=1,
                archive=archive,
                keep_sources=sources,
            )
        )
        assert report.exit_code == EXIT_OK and report.written, (report.error, report.refused)
        return report

    def warm(self):
        return self._build(self.out, self.cache, self.archive, self.sources)

    def snapshot(self) -> Path:
        """What a cold build of the input as it is now starts from: the live site's archive and only the PDF results of
        its cache (the gate is not what is compared), taken before the warm build (which adds to the archive)."""
        self.rounds += 1
        root = self.root / f"koud-{self.rounds}"
        root.mkdir()
        shutil.copytree(self.cache, root / "cache", ignore=shutil.ignore_patterns(*COLD_DROP))
        if self.archive.is_dir():
            shutil.copytree(self.archive, root / "archief")
        return root

    def cold(self, root: Path):
        """A build of the same input into an empty output, from ``snapshot``."""
        report = self._build(root / "site", root / "cache", root / "archief", root / "bronnen" if self.sources else None)
        assert report.site.get("bestanden_hergebruikt", 0) == 0 and report.site.get("besluiten_paginas_gekoppeld", 0) == 0
        if self.cold_out is not None:
            shutil.rmtree(self.cold_out.parent)
        self.cold_out = root / "site"
        return report

    def check(self) -> dict:
        """A warm build of the live site after a change, equal to a cold build file for file, byte for byte; then a
        second warm build with nothing changed, which must link every group the first one recorded and still be equal.
        Returns the counters of the first warm build."""
        root = self.snapshot()
        warm = self.warm()
        self.cold(root)
        assert self.cold_out is not None
        assert differences(self.out, self.cold_out) == []
        if self.sources is not None:
            assert differences(self.sources, root / "bronnen") == []
        again = self.warm()
        assert again.site.get("paginas_gerenderd", 0) == 0
        assert again.site.get("besluiten_paginas_groep_opnieuw", 0) == 0
        assert again.site.get("besluiten_paginas_gekoppeld", 0) == self.groups()
        assert differences(self.out, self.cold_out) == []
        return warm.site

    def start(self, today: str | None = None, failed: bool = False) -> None:
        """The state a test starts from: the live site is what the last cold build made. After a failed test (``failed``)
        it may not be, or its record may be left forged: the live site is then built again from its inputs without its
        record, so the next test still tells something of its own. ``today``: the day the test needs, reached first by a
        checked build of its own when the site is at another."""
        if failed or self.cold_out is None or differences(self.out, self.cold_out) != []:
            self.sources = None
            shutil.rmtree(self.out, ignore_errors=True)
            shutil.rmtree(self.cache / "site", ignore_errors=True)
            self.warm()
            self.rounds += 1
            copy = self.root / f"koud-{self.rounds}" / "site"
            shutil.copytree(self.out, copy)
            if self.cold_out is not None:
                shutil.rmtree(self.cold_out.parent)
            self.cold_out = copy
        if today is not None and today != self.today:
            self.today = today
            self.check()

    def reuse(self):
        from publish.cache import Cache
        from publish.incremental import LiveReuse

        return LiveReuse(Cache(self.cache), self.out)

    def records(self) -> dict[str, bytes]:
        """The live-site store's group records (``g/<URL>``) as the last build wrote them."""
        with closing(sqlite3.connect(self.reuse().path)) as con:
            rows = con.execute("SELECT key, value FROM entries").fetchall()
        return {bytes(k).decode()[2:]: bytes(v) for k, v in rows if bytes(k).startswith(b"g/")}

    def groups(self) -> int:
        return len(self.records())

    def pkg(self, name: str) -> Path:
        return self.decisions / name


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Live:
    """Four approved decisions (``vier`` under embargo until LATER) and a first, cold, build of them."""
    s = Live(tmp_path_factory.mktemp("warm-koud"))
    data = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    data["extra"]["woo"]["ondertekenaars"] = str(ROOT / data["extra"]["woo"]["ondertekenaars"])
    s.config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    make = PackageMaker(s.decisions)
    for name, meta in (
        ("een", {"titel": "Besluit over parkeren"}),
        ("twee", {"kenmerk": "2024-0002", "titel": "Besluit over bomen", "besluit_datum": "2024-04-01"}),
        ("drie", {"kenmerk": "2024-0003", "titel": "Besluit over fietsen", "besluit_datum": "2024-03-01"}),
        ("vier", {"kenmerk": "2024-0004", "titel": "Besluit met embargo", "publicatie_datum": LATER}),
    ):
        # Documents of their own: a file withdrawn from one decision would refuse every other decision holding it.
        texts = {f"documenten/{n}.pdf": [f"# Document {n} van {name}", f"Inhoud over {name} [[5.1.2.e]]."] for n in (1, 2)}
        approve(make(name, meta=meta, pdf_text=texts))
    s.start()  # the first build: the live site is itself a cold build
    assert s.groups() == 3  # vier is not published yet
    return s


@pytest.fixture(autouse=True)
def fresh(live, request):
    """Every test starts from a live site equal to a cold build (``Live.start``), also after a test that failed."""
    failures = request.session.testsfailed
    live.start(failed=live.failures is not None and failures != live.failures)
    live.failures = failures
    yield


def test_nothing_changed_links_every_decision_by_its_group(live):
    report = live.warm()
    assert report.site["besluiten_paginas_gekoppeld"] == live.groups() >= 3
    assert report.site.get("besluiten_paginas_groep_opnieuw", 0) == 0 and report.site.get("paginas_gerenderd", 0) == 0
    assert live.cold_out is not None and differences(live.out, live.cold_out) == []


def test_render_settings_change_every_page_no_group_is_linked(live):
    """A theme option (the logo), then a nav entry: every page's HTML changes, the decisions' Markdown (their page key)
    does not. The groups are taken up by their page key and then refused for the other render context: all made again."""
    data = yaml.safe_load(live.config.read_text(encoding="utf-8"))
    data["theme"]["icon"]["logo"] = "material/scale-balance"
    live.config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    page = live.out / "besluit/2024-0002/document/1/index.html"
    before = page.read_bytes()
    report = live.check()
    assert report["besluiten_paginas_gekoppeld"] == 0 and report["besluiten_paginas_groep_opnieuw"] == live.groups()
    assert page.read_bytes() != before
    data["nav"].append({"Toegankelijkheid": "toegankelijkheid.md"})
    data["not_in_nav"] = "/privacy.md\n"
    live.config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = live.check()
    assert report["besluiten_paginas_gekoppeld"] == 0 and report["besluiten_paginas_groep_opnieuw"] == live.groups()
    assert "Toegankelijkheid" in page.read_text(encoding="utf-8")


def test_site_name_and_organisation_change_every_page_key(live):
    """The site's name and organisation are in every decision's Markdown: no group record is even looked at."""
    data = yaml.safe_load(live.config.read_text(encoding="utf-8"))
    data["site_name"] = "Besluiten van Testgemeente"
    data["extra"]["woo"]["organisatie"] = "Gemeente Voorbeeld"
    live.config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = live.check()
    assert report.get("besluiten_paginas_gekoppeld", 0) == 0 and report.get("besluiten_paginas_groep_opnieuw", 0) == 0
    assert "Besluiten van Testgemeente" in (live.out / "besluit/2024-0001/index.html").read_text(encoding="utf-8")


def test_a_later_day_lifts_an_embargo_and_changes_the_build_date(live):
    """--vandaag on the day ``vier`` may be published: it appears, and the site's build date (SOURCE_DATE_EPOCH, the
    newest publication date) moves, so no old group holds."""
    live.start(START)
    assert not (live.out / "besluit/2024-0004").exists()
    live.today = LATER
    report = live.check()
    assert report["besluiten_paginas_gekoppeld"] == 0 and report["besluiten_paginas_groep_opnieuw"] == 3
    assert "Besluit met embargo" in (live.out / "besluit/2024-0004/index.html").read_text(encoding="utf-8")
    assert live.groups() == 4


def _withdraw(live: Live, package: str, *extra: str) -> None:
    from publish.cli import main

    args = ["withdraw", str(live.pkg(package)), "--reden", "Verkeerd gelakt", "--datum", "2024-05-20"]
    result = CliRunner().invoke(main, [*args, "--sleutel", str(DEMO_KEY), "--config", str(live.config), *extra])
    assert result.exit_code == 0, result.output


def test_a_withdrawn_document_and_a_withdrawn_decision(live):
    """One document of ``een`` withdrawn (its page says so; the PDF is gone; ``een``'s pages made again and recorded as a
    group again), then the whole of ``drie`` (only its notice stays, and it gets no group record)."""
    _withdraw(live, "een", "--document", "2")
    groups = live.groups()
    report = live.check()
    assert report.get("besluiten_paginas_gekoppeld", 0) == groups - 1 and report.get("besluiten_paginas_groep_opnieuw", 0) == 0
    assert live.groups() == groups and not (live.out / "besluit/2024-0001/document-2.pdf").exists()
    assert "Verkeerd gelakt" in (live.out / "besluit/2024-0001/document/2/index.html").read_text(encoding="utf-8")
    _withdraw(live, "drie")
    live.check()
    assert sorted(p.name for p in (live.out / "besluit/2024-0003").iterdir()) == ["index.html"]
    assert "besluit/2024-0003/" not in live.records()


def test_a_suspended_document(live):
    """``Opgeschort: Ja`` for document 1 of ``twee``: its page says so, its PDF is gone."""
    pkg = live.pkg("twee")
    lines = (pkg / "inventaris.csv").read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",opgeschort"] + [line + (",Ja" if i == 0 else ",Nee") for i, line in enumerate(lines[1:])]
    (pkg / "inventaris.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    approve(pkg)
    report = live.check()
    assert report["besluiten_paginas_gekoppeld"] == live.groups() - 1  # twee's pages made again
    assert report.get("besluiten_paginas_groep_opnieuw", 0) == 0
    assert "opgeschort" in (live.out / "besluit/2024-0002/document/1/index.html").read_text(encoding="utf-8")
    assert "besluit/2024-0002/" in live.records()


def test_a_page_of_a_group_deleted_or_changed_in_the_live_site(live):
    """One document page of a linked decision deleted from the live site, another decision's page changed in place
    with its size and time put back: neither group holds, both decisions' pages are made one by one (the untouched
    ones linked by their part of the record), the damage is repaired."""
    live.start(LATER)
    deleted = live.out / "besluit/2024-0002/document/2/index.html"
    changed = live.out / "besluit/2024-0004/document/1/index.html"
    original = changed.read_bytes()
    deleted.unlink()
    st = changed.stat()
    data = bytearray(original)
    data[-20] ^= 0x01
    changed.write_bytes(bytes(data))
    os.utime(changed, ns=(st.st_atime_ns, st.st_mtime_ns))
    report = live.check()
    assert report["besluiten_paginas_groep_opnieuw"] == 2
    assert report["besluiten_paginas_gekoppeld"] == live.groups() - 2
    assert changed.read_bytes() == original and deleted.is_file()


def _store_rows(live: Live):
    from publish.cache import Cache

    reuse = live.reuse()
    path = reuse.path
    reuse.before.close()
    os.chmod(path, 0o644)
    return path, Cache(live.cache).secret


def test_a_group_record_copied_to_another_decision_is_refused(live):
    """In the live-site store, decision A's group row (value and HMAC) is copied under decision B's key: the HMAC is over
    the key, so B's row no longer verifies and B's pages are made from the caches. Signed again (someone with the cache
    key), A's record under B's key still names pages outside B's folder and is refused; and A's own record, signed with
    a page of B's folder added (a file put in the live site), links nothing outside A."""
    from publish.diskstore import _check
    from publish.incremental import LiveReuse

    urls = sorted(live.records())
    a, b = urls[0], urls[1]
    path, secret = _store_rows(live)
    with closing(sqlite3.connect(path)) as con:
        row = con.execute("SELECT value, check_ FROM entries WHERE key = ?", (f"g/{a}".encode(),)).fetchone()
        con.execute("UPDATE entries SET value = ?, check_ = ? WHERE key = ?", (*row, f"g/{b}".encode()))
        con.commit()
    reuse = live.reuse()
    assert reuse.before.get(f"g/{b}") is None and reuse.group(b) is None and reuse.group(a) is not None
    reuse.before.close()
    report = live.check()
    assert report["besluiten_paginas_gekoppeld"] == live.groups() - 1
    assert report.get("besluiten_paginas_groep_opnieuw", 0) == 0

    records = live.records()
    path, secret = _store_rows(live)
    planted = live.out / b / "document/9/index.html"
    planted.parent.mkdir(parents=True)
    planted.write_text("<p>Geplant</p>", encoding="utf-8")
    st = planted.stat()
    entry = json.loads(records[a])
    entry[2].append([f"{b}document/9/index.html", entry[2][0][1], st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns])
    forged = {a: json.dumps(entry).encode(), b: records[a]}
    with closing(sqlite3.connect(path)) as con:
        for url, value in forged.items():
            key = f"g/{url}".encode()
            con.execute(
                "UPDATE entries SET value = ?, check_ = ? WHERE key = ?", (value, _check(LiveReuse.KIND, key, value, secret), key)
            )
        con.commit()
    reuse = live.reuse()
    seen = reuse.before.get(f"g/{a}") is not None, reuse.group(a), reuse.group(b)
    reuse.before.close()
    report = live.check()  # first: the planted page must not reach the site
    assert seen == (True, None, None)  # both rows verify (signed), neither is taken as a record
    assert report["besluiten_paginas_gekoppeld"] == live.groups() - 2
    assert not (live.out / b / "document/9").exists()


def test_bronnen_keeps_the_sources_of_linked_groups_too(live):
    """--bronnen: the generated Markdown is kept, also of decisions whose pages were linked by their group record."""
    live.start(LATER)
    live.sources = live.root / "bronnen"
    report = live.check()
    assert report["besluiten_paginas_gekoppeld"] == live.groups()
    assert (live.sources / "besluit/2024-0004/document/1/index.md").is_file()
    live.sources = None


def test_kenmerken_swapped_between_two_decisions(live):
    """``twee`` and ``vier`` swap their kenmerk: each URL now shows the other decision; no group is linked for them."""
    live.start(LATER)
    _edit(live.pkg("twee") / "besluit.md", "kenmerk: 2024-0002", "kenmerk: 2024-TMP")
    _edit(live.pkg("vier") / "besluit.md", "kenmerk: 2024-0004", "kenmerk: 2024-0002")
    _edit(live.pkg("twee") / "besluit.md", "kenmerk: 2024-TMP", "kenmerk: 2024-0004")
    approve(live.pkg("twee"))
    approve(live.pkg("vier"))
    report = live.check()
    assert report["besluiten_paginas_gekoppeld"] == live.groups() - 2
    assert report.get("besluiten_paginas_groep_opnieuw", 0) == 0  # each URL's record is of the other page key: not taken
    assert "Besluit met embargo" in (live.out / "besluit/2024-0002/index.html").read_text(encoding="utf-8")


def test_a_renamed_package_folder(live):
    """The package folder of ``een`` renamed (after its document 2 was withdrawn, when run in order): its pages' key holds
    the folder's place, so they are made again and recorded under the new key; the public site does not change."""
    before = files(live.out)
    groups = live.groups()
    os.rename(live.pkg("een"), live.pkg("een-hernoemd"))
    report = live.check()
    assert report["besluiten_paginas_gekoppeld"] == groups - 1 and report.get("besluiten_paginas_groep_opnieuw", 0) == 0
    assert files(live.out) == before


def test_a_page_of_the_sites_own_in_a_decisions_folder(live):
    """A page of the site's own (site_src/) in the folder of ``twee``: that decision's pages never go as one group (they
    could be written twice), the others' groups are refused for the new render context (the site's files changed)."""
    own = live.config.parent / "site_src" / "besluit" / "2024-0002"
    own.mkdir(parents=True)
    (own / "toelichting.md").write_text("# Toelichting\n\nEen eigen pagina van de site.\n", encoding="utf-8")
    data = yaml.safe_load(live.config.read_text(encoding="utf-8"))
    data["not_in_nav"] = data.get("not_in_nav", "") + "/besluit/2024-0002/toelichting.md\n"
    live.config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    groups = live.groups()
    report = live.check()
    assert report.get("besluiten_paginas_gekoppeld", 0) == 0 and report["besluiten_paginas_groep_opnieuw"] == groups - 1
    assert "besluit/2024-0002/" not in live.records() and live.groups() == groups - 1
    assert "Een eigen pagina" in (live.out / "besluit/2024-0002/toelichting/index.html").read_text(encoding="utf-8")
