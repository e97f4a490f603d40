"""Warm rebuilds (issue 19): the per-file work of a build that changed nothing is cut without changing its output.

- ``LiveReuse`` links an unchanged live file with one system call when its folder is there (``_link``), and still
  only a regular file that is exactly the one recorded;
- a decision's pages from the page cache are checked for script markup once (``pagecache.clean_digest``), and the
  build's check of the generated pages takes that result instead of hashing and looking the page up again;
- ``keep_unchanged_times`` walks nested folders with ``scandir`` and leaves symbolic links alone in either tree;
- the sources and the previous site are removed in the background while the build goes on (``swap.Removal``), and
  nothing of them is left beside the site once the build is done.

Byte-identity of warm and cold builds is proved by tests/test_incremental_site.py and tests/test_golden.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import approve, build_args

EXE = Path(sys.executable).parent / "woo-publish"


def _reuse(tmp_path: Path):
    from publish.cache import Cache
    from publish.incremental import LiveReuse

    live = tmp_path / "live"
    (live / "besluit" / "a").mkdir(parents=True)
    (live / "besluit" / "a" / "index.html").write_text("<p>pagina</p>", encoding="utf-8")
    (live / "besluit" / "a" / "1.pdf").write_bytes(b"%PDF-1.4 doc")
    reuse = LiveReuse(Cache(tmp_path / "cache"), live)
    reuse.record("besluit/a/index.html", "k-page")
    reuse.record("besluit/a/1.pdf", "k-pdf")
    reuse.save()
    return LiveReuse(Cache(tmp_path / "cache"), live), live


def test_link_makes_missing_folders_and_replaces_a_file_in_the_way(tmp_path):
    reuse, live = _reuse(tmp_path)
    new = tmp_path / "new"
    assert reuse.link("besluit/a/index.html", "k-page", new / "besluit" / "a" / "index.html")  # folders made
    (new / "besluit" / "a" / "1.pdf").write_bytes(b"in the way")
    assert reuse.link("besluit/a/1.pdf", "k-pdf", new / "besluit" / "a" / "1.pdf")  # replaced, not appended to
    assert (new / "besluit" / "a" / "1.pdf").read_bytes() == b"%PDF-1.4 doc"
    assert os.path.samefile(new / "besluit" / "a" / "1.pdf", live / "besluit" / "a" / "1.pdf")
    assert reuse.linked == 2
    assert set(reuse.recorded()) == {"besluit/a/index.html", "besluit/a/1.pdf"}


def test_link_refuses_another_key_a_touched_file_and_a_symbolic_link(tmp_path):
    reuse, live = _reuse(tmp_path)
    new = tmp_path / "new"
    assert not reuse.link("besluit/a/index.html", "other-key", new / "x.html")
    page = live / "besluit" / "a" / "index.html"
    page.unlink()  # the same name, now a symbolic link to a file with the same bytes: never linked
    (tmp_path / "elsewhere.html").write_text("<p>pagina</p>", encoding="utf-8")
    page.symlink_to(tmp_path / "elsewhere.html")
    assert not reuse.link("besluit/a/index.html", "k-page", new / "besluit" / "a" / "index.html")
    time.sleep(0.01)
    (live / "besluit" / "a" / "1.pdf").write_bytes(b"%PDF-1.4 doc")  # rewritten in place (new ctime): made again
    assert not reuse.link("besluit/a/1.pdf", "k-pdf", new / "besluit" / "a" / "1.pdf")
    assert not (new / "besluit").exists() or not any((new / "besluit").rglob("*.*"))
    assert reuse.linked == 0


def test_clean_digest_is_the_body_hash_only_for_bodies_without_script_markup():
    import hashlib

    from publish.pagecache import clean_check, clean_digest

    body = "<p>Een besluit</p>"
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert clean_digest(frozenset())(body) == digest  # scanned now: clean
    assert clean_digest({digest})(body) == digest  # known clean from the last build
    for bad in ('<p onclick="x()">a</p>', "<script>alert(1)</script>", '<a href="javascript:x()">a</a>'):
        assert clean_digest(frozenset())(bad) == ""
        assert not clean_check(frozenset())(bad)
    assert clean_check(frozenset())(body)


def test_generated_check_takes_a_page_checked_clean_as_checked():
    from publish.pages import Page
    from publish.scriptcheck import GeneratedCheck

    found: set[str] = set()
    check = GeneratedCheck({}, frozenset(), found)
    check.add(Page("besluit/a/", "A", "<p>a</p>", ("pkg-a",), "d" * 64))
    assert found == {"d" * 64}
    assert not check.check.blamed and not check.check.unattributed
    # Without the digest the page is hashed and scanned as before: script markup is blamed on its package.
    check.add(Page("besluit/b/", "B", '<p onclick="x()">b</p>', ("pkg-b",)))
    assert "pkg-b" in check.check.blamed


def test_keep_unchanged_times_nested_folders_and_linked_folders(tmp_path):
    from publish.swap import keep_unchanged_times

    live, new = tmp_path / "live", tmp_path / "new"
    for folder in (live, new):
        (folder / "a" / "b" / "c").mkdir(parents=True)
        (folder / "a" / "b" / "c" / "deep.html").write_text("diep", encoding="utf-8")
    os.utime(live / "a" / "b" / "c" / "deep.html", ns=(1, 2_000_000_000))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "deep.html").write_text("diep", encoding="utf-8")
    (new / "linked").symlink_to(outside, target_is_directory=True)  # a linked folder is not followed
    (live / "linked").mkdir()
    (live / "linked" / "deep.html").write_text("diep", encoding="utf-8")
    os.utime(live / "linked" / "deep.html", ns=(1, 2_000_000_000))
    assert keep_unchanged_times(new, live) == 1
    assert (new / "a" / "b" / "c" / "deep.html").stat().st_mtime_ns == 2_000_000_000
    assert (outside / "deep.html").stat().st_mtime_ns != 2_000_000_000


def test_removal_removes_in_the_background_and_wait_waits(tmp_path):
    from publish.swap import Removal

    folders = []
    for n in range(3):
        folder = tmp_path / f"f{n}"
        for i in range(20):
            (folder / f"d{i}").mkdir(parents=True)
            (folder / f"d{i}" / "x.txt").write_text("x")
        folders.append(folder)
    removal = Removal()
    removal.start(*folders[:2])
    removal.start(folders[2], tmp_path / "absent")  # an absent folder is no error
    removal.wait()
    assert not any(f.exists() for f in folders)
    removal.wait()  # twice is fine


@pytest.mark.slow
def test_warm_builds_link_everything_again_and_leave_nothing_beside_the_site(make_package, decisions, tmp_path):
    """Rebuilds that changed nothing: no file rewritten (same inode or same time); every build after the first links
    the same files from the live site (the record of the live site stays valid: removing the previous site, whose
    hard links share those files, happens before the record is saved); and neither the sources nor the previous site
    is left beside the output once the build is done (removed in the background, waited for)."""
    import json

    approve(make_package("a", meta={"kenmerk": "2024-0001", "titel": "Eerste besluit"}))
    approve(make_package("b", meta={"kenmerk": "2024-0002", "titel": "Tweede besluit"}))
    out, cache = tmp_path / "uit" / "site", tmp_path / "cache"

    def build(n: int) -> dict:
        report = tmp_path / f"rapport-{n}.json"
        args = build_args(decisions, out, "--report", str(report), cache=cache)
        result = subprocess.run([str(EXE), *args], capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        return json.loads(report.read_text())

    build(1)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    linked = []
    for n in (2, 3, 4):
        time.sleep(0.02)
        report = build(n)
        linked.append(report["site"]["bestanden_hergebruikt"])
        assert report["site"].get("paginas_gerenderd", 0) == 0
        assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before
        assert set(report["cpu_per_fase"]) >= {"valideren_en_pdf", "site_paginas", "mkdocs", "zoekindex", "site_wissel"}
    assert linked[0] > 0 and linked == [linked[0]] * 3, linked
    assert sorted(p.name for p in out.parent.iterdir()) == [".site.woo-lock", "site"]


def test_keep_unchanged_times_takes_a_linked_file_as_it_is_and_still_compares_the_others(tmp_path, monkeypatch):
    """warm10: a file of the new site that is the live file itself (a hard link, the same inode) is not looked at; a
    rewritten file with the same bytes gets the live time, one with other bytes or a name the live site lacks keeps
    its own."""
    from publish.swap import keep_unchanged_times

    live, new = tmp_path / "live", tmp_path / "new"
    (live / "d").mkdir(parents=True)
    (new / "d").mkdir(parents=True)
    (new / "alleen-nieuw").mkdir()
    (live / "d" / "gelinkt.pdf").write_bytes(b"%PDF gelinkt")
    os.utime(live / "d" / "gelinkt.pdf", ns=(1, 1_000_000_000))
    os.link(live / "d" / "gelinkt.pdf", new / "d" / "gelinkt.pdf")
    for name, old, now in (("zelfde.html", "zelfde", "zelfde"), ("anders.html", "oud", "nieuw")):
        (live / "d" / name).write_text(old, encoding="utf-8")
        os.utime(live / "d" / name, ns=(1, 2_000_000_000))
        (new / "d" / name).write_text(now, encoding="utf-8")
    (new / "d" / "erbij.html").write_text("nieuw", encoding="utf-8")
    (new / "alleen-nieuw" / "x.html").write_text("x", encoding="utf-8")
    fresh = (new / "d" / "erbij.html").stat().st_mtime_ns
    looked_at: list[str] = []
    lstat = os.lstat

    def counting(path, *args, **kwargs):
        looked_at.append(os.path.basename(os.fspath(path)))
        return lstat(path, *args, **kwargs)

    monkeypatch.setattr(os, "lstat", counting)
    assert keep_unchanged_times(new, live) == 1  # only zelfde.html: the linked file needs nothing
    monkeypatch.undo()
    assert sorted(n for n in looked_at if n.endswith((".html", ".pdf"))) == ["anders.html", "zelfde.html"]
    assert (new / "d" / "zelfde.html").stat().st_mtime_ns == 2_000_000_000
    assert (new / "d" / "anders.html").stat().st_mtime_ns != 2_000_000_000
    assert (new / "d" / "gelinkt.pdf").stat().st_mtime_ns == 1_000_000_000
    assert (new / "d" / "erbij.html").stat().st_mtime_ns == fresh
    assert (new / "d" / "anders.html").read_text(encoding="utf-8") == "nieuw"


def test_saved_record_is_the_json_of_key_inode_size_and_times(tmp_path):
    """swap13: the record of a live file is written without a ``Path`` or a list per file; its text must stay exactly
    ``json.dumps([key, inode, size, mtime_ns, ctime_ns])`` (a key with quotes, a backslash and non-ASCII included), or
    the next build's ``_as_recorded`` reads another key and links nothing."""
    import json

    from publish.cache import Cache
    from publish.diskstore import StoreReader
    from publish.incremental import LiveReuse

    live = tmp_path / "live"
    (live / "besluit" / "é").mkdir(parents=True)
    page = live / "besluit" / "é" / "index.html"
    page.write_text("<p>pagina</p>", encoding="utf-8")
    key = 'sha256:"a\\b" ë\u2028'
    reuse = LiveReuse(Cache(tmp_path / "cache"), live)
    reuse.record("besluit/é/index.html", key)
    reuse.record("besluit/é/weg.html", "k-gone")  # recorded but not in the live site: left out
    reuse.save()
    st = os.lstat(page)
    reader = StoreReader(reuse.path, LiveReuse.KIND, identity=str(live), secret=Cache(tmp_path / "cache").secret)
    assert reader.get("f/besluit/é/index.html") == json.dumps([key, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns])
    assert reader.get("f/besluit/é/weg.html") is None
    again = LiveReuse(Cache(tmp_path / "cache"), live)
    assert again.link("besluit/é/index.html", key, tmp_path / "new" / "index.html")
    assert not again.link("besluit/é/index.html", key + " ", tmp_path / "new2" / "index.html")


def test_remove_tree_removes_everything_in_two_threads_and_follows_no_link(tmp_path, monkeypatch):
    """swap13: the previous site is removed by two threads (``swap.remove_tree``); all of it is gone, files at every
    level included, and a symbolic link to a folder (at the top, one and two levels down) is removed as a link: what it
    points at stays."""
    import threading

    from publish.swap import remove_tree

    outside = tmp_path / "buiten"
    outside.mkdir()
    (outside / "houden.txt").write_text("blijft", encoding="utf-8")
    (outside / "sub").mkdir()
    (outside / "sub" / "houden.txt").write_text("blijft", encoding="utf-8")
    old = tmp_path / "oud"
    for d in range(6):
        for s in range(4):
            folder = old / f"besluit{d % 2}" / f"b{d}" / f"doc{s}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "index.html").write_text("x", encoding="utf-8")
        (old / f"besluit{d % 2}" / f"b{d}" / "a.pdf").write_bytes(b"%PDF")
    (old / "index.html").write_text("home", encoding="utf-8")
    (old / "besluit0" / "lijst.html").write_text("lijst", encoding="utf-8")
    (old / "link").symlink_to(outside, target_is_directory=True)
    (old / "besluit0" / "link").symlink_to(outside, target_is_directory=True)
    (old / "besluit1" / "b1" / "link").symlink_to(outside, target_is_directory=True)
    names = []
    real = threading.Thread.start

    def start(thread):
        names.append(thread.name)
        real(thread)

    monkeypatch.setattr(threading.Thread, "start", start)
    remove_tree(old)
    assert not old.exists() and not os.path.lexists(old)
    assert (outside / "houden.txt").read_text(encoding="utf-8") == "blijft"
    assert (outside / "sub" / "houden.txt").read_text(encoding="utf-8") == "blijft"
    assert names.count("woo-oude-site") == 2
    remove_tree(tmp_path / "afwezig")  # an absent folder is no error


def _grouped(tmp_path: Path):
    """pages19: a live site whose decision ``besluit/a/`` has two pages, recorded as one group."""
    from publish.cache import Cache
    from publish.incremental import LiveReuse

    live = tmp_path / "live"
    for place in ("besluit/a/index.html", "besluit/a/document/1/index.html"):
        (live / place).parent.mkdir(parents=True, exist_ok=True)
        (live / place).write_text(f"<p>{place}</p>", encoding="utf-8")
    reuse = LiveReuse(Cache(tmp_path / "cache"), live)
    reuse.record_group(
        "besluit/a/", "k-pagina's", "k-context", [["besluit/a/index.html", "r1"], ["besluit/a/document/1/index.html", "r2"]]
    )
    reuse.save()
    return LiveReuse(Cache(tmp_path / "cache"), live), live


def test_a_group_record_links_all_pages_of_a_decision_or_none(tmp_path):
    """pages19: one record for a decision's pages; all linked only for the same page key and render context while every
    file is as recorded; a page changed in place with its size and time put back (os.utime) breaks the whole group."""
    reuse, live = _grouped(tmp_path)
    new = tmp_path / "new"
    assert reuse.group_made_from("besluit/a/", "k-pagina's") and not reuse.group_made_from("besluit/a/", "k-ander")
    assert reuse.link_group("besluit/a/", "k-pagina's", "k-ander", str(new)) is None  # another render context
    assert reuse.link_group("besluit/a/", "k-ander", "k-context", str(new)) is None  # another page key
    assert not new.exists()
    pages = reuse.link_group("besluit/a/", "k-pagina's", "k-context", str(new))
    assert pages == [["besluit/a/index.html", "r1"], ["besluit/a/document/1/index.html", "r2"]]
    assert os.path.samefile(new / "besluit/a/document/1/index.html", live / "besluit/a/document/1/index.html")
    assert reuse.linked == 2
    reuse.save()  # recorded again for the next build, with the files' identity as they are now

    again, _ = _reuse_for(tmp_path, live)
    page = live / "besluit/a/document/1/index.html"
    st = page.stat()
    time.sleep(0.01)
    page.write_text(page.read_text(encoding="utf-8").replace("<p>", "<b>"), encoding="utf-8")  # same size
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    other = tmp_path / "other"
    assert again.link_group("besluit/a/", "k-pagina's", "k-context", str(other)) is None
    assert not other.exists() and again.linked == 0  # nothing of the group linked
    # The pages made one by one: the untouched page is still linked by its part of the group record, the touched one not.
    again.expect_group("besluit/a/", "k-context")
    assert again.link("besluit/a/index.html", "r1", other / "besluit/a/index.html", record=False)
    assert not again.link("besluit/a/document/1/index.html", "r2", other / "besluit/a/document/1/index.html", record=False)
    again.forget_group()
    assert not again.link("besluit/a/index.html", "r1", other / "x.html", record=False)  # only while expected


def _reuse_for(tmp_path: Path, live: Path):
    from publish.cache import Cache
    from publish.incremental import LiveReuse

    return LiveReuse(Cache(tmp_path / "cache"), live), live


@pytest.mark.parametrize("how", ["gewijzigd", "buiten-de-map", "kapot"])
def test_a_forged_or_damaged_group_record_is_ignored(tmp_path, how):
    """pages19: a group record changed by hand (its HMAC no longer matches), a validly signed one naming a file outside
    the decision's folder, or one that is no JSON list of pages, is treated as absent: nothing linked."""
    import json
    import sqlite3
    from contextlib import closing

    from publish.cache import Cache
    from publish.diskstore import _check
    from publish.incremental import LiveReuse

    reuse, live = _grouped(tmp_path)
    path = reuse.path
    reuse.before.close()
    os.chmod(path, 0o644)
    with closing(sqlite3.connect(path)) as con:
        (value,) = con.execute("SELECT value FROM entries WHERE key = ?", (b"g/besluit/a/",)).fetchone()
        entry = json.loads(bytes(value))
        if how == "gewijzigd":  # another file's inode put in, the row's check left as it was
            entry[2][0][2] += 1
            con.execute("UPDATE entries SET value = ? WHERE key = ?", (json.dumps(entry).encode(), b"g/besluit/a/"))
        else:
            if how == "buiten-de-map":
                entry[2][0][0] = "besluit/a/../b/index.html"
                data = json.dumps(entry).encode()
            else:
                data = b'["k-pagina\'s", "k-context", {"a": 1}]'
            check = _check(LiveReuse.KIND, b"g/besluit/a/", data, Cache(tmp_path / "cache").secret)
            con.execute("UPDATE entries SET value = ?, check_ = ? WHERE key = ?", (data, check, b"g/besluit/a/"))
        con.commit()
    again = LiveReuse(Cache(tmp_path / "cache"), live)
    assert again.group("besluit/a/") is None
    assert again.link_group("besluit/a/", "k-pagina's", "k-context", str(tmp_path / "new")) is None
    assert not (tmp_path / "new").exists()
