"""The on-disk maps of issue 19 (publish/diskstore.py): what grows with the archive (the SHA-256 memo of PDFs, the
record of the live site) is kept in one SQLite file each, read one entry at a time. A damaged, truncated, foreign
or hand-changed store is never trusted: it is removed whole, or the changed entry is treated as absent."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from pathlib import Path

import pytest

from publish.cache import Cache, HashMemo
from publish.diskstore import StoreReader, StoreWriter


def _store(path: Path, entries: dict[str, str], kind: str = "proef", identity: str = "") -> None:
    writer = StoreWriter(path, kind, identity)
    for key, value in entries.items():
        writer.put(key, value)
    writer.commit()
    writer.close()


def test_entries_round_trip_in_key_order_and_the_same_entries_give_the_same_file(tmp_path):
    entries = {f"sleutel-{i:05d}": f"waarde {i}" for i in range(3000)}
    entries["bestand-\udcff-niet-utf8.pdf"] = "kapotte naam"  # a file name that is not UTF-8 (surrogate escape)
    entries["regel\neinde\x00nul"] = "stuurtekens"
    _store(tmp_path / "a.sqlite", entries)
    _store(tmp_path / "b.sqlite", dict(reversed(list(entries.items()))))  # other order of insertion
    assert (tmp_path / "a.sqlite").read_bytes() == (tmp_path / "b.sqlite").read_bytes()
    reader = StoreReader(tmp_path / "a.sqlite", "proef")
    assert reader.usable
    for key, value in entries.items():
        assert reader.get(key) == value
    assert reader.get("ontbreekt") is None and "ontbreekt" not in reader
    assert not os.access(tmp_path / "a.sqlite", os.W_OK) or os.geteuid() == 0  # written read-only, replaced whole
    assert not list(tmp_path.glob(".tmp-*")), "no temporary file left behind"


def test_a_writer_replaces_removes_and_clears_and_lists_in_key_order(tmp_path):
    writer = StoreWriter(tmp_path / "s.sqlite", "proef")
    for key in ("c", "a", "b", "d"):
        writer.put(key, key.upper())
    writer.put("a", "nieuw")
    writer.delete("d")
    assert list(writer.items()) == [("a", "nieuw"), ("b", "B"), ("c", "C")] and len(writer) == 3
    assert "b" in writer and "d" not in writer
    writer.clear()
    assert list(writer.items()) == []
    writer.put("x", "1")
    writer.commit(lambda key, value: None if key == "y" else value + "!")
    writer.close()
    assert StoreReader(tmp_path / "s.sqlite", "proef").get("x") == "1!"


def test_items_are_read_in_batches_not_all_at_once(tmp_path):
    """Listing a large store yields entries as it reads them (a generator), so a store of a whole archive is never
    held in memory whole."""
    import types

    writer = StoreWriter(tmp_path / "s.sqlite", "proef")
    for i in range(2500):
        writer.put(f"{i:05d}", "x")
    items = writer.items()
    assert isinstance(items, types.GeneratorType)
    first = next(items)
    assert first == ("00000", "x")
    writer.put("99999", "later")  # written after listing began: the next batch sees it
    assert list(items)[-1] == ("99999", "later")
    writer.close()


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    path.chmod(0o644)
    if how == "half":
        path.write_bytes(data[: len(data) // 2])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "garbage":
        path.write_bytes(b"\x00garbage" * 50)
    elif how == "json":
        path.write_bytes(b'{"version": 1, "entries": {}}')
    elif how == "page":  # one page of the file overwritten
        path.write_bytes(data[:4096] + b"\xff" * 4096 + data[8192:])
    elif how == "removed_row":  # an entry taken out by hand: the count written at completion no longer matches
        con = sqlite3.connect(path)
        con.execute("DELETE FROM entries WHERE key = (SELECT min(key) FROM entries)")
        con.commit()
        con.close()
    elif how == "incomplete":
        con = sqlite3.connect(path)
        con.execute("DELETE FROM meta WHERE name = 'complete'")
        con.commit()
        con.close()


@pytest.mark.parametrize("how", ["half", "empty", "garbage", "json", "page", "removed_row", "incomplete"])
def test_a_damaged_store_is_not_used_and_removed(tmp_path, how):
    path = tmp_path / "s.sqlite"
    _store(path, {f"k{i:04d}": "v" * 200 for i in range(400)})
    _damage(path, how)
    reader = StoreReader(path, "proef")
    assert not reader.usable
    assert reader.get("k0001") is None
    assert not path.exists(), "a store that cannot be trusted is removed, the next build writes a new one"


def test_a_store_of_another_kind_or_site_is_not_used(tmp_path):
    path = tmp_path / "s.sqlite"
    _store(path, {"a": "1"}, kind="proef", identity="/srv/site")
    assert StoreReader(path, "proef", "/srv/site").usable
    assert not StoreReader(path, "ander", "/srv/site").usable
    _store(path, {"a": "1"}, kind="proef", identity="/srv/site")
    assert not StoreReader(path, "proef", "/srv/andere-site").usable


def test_a_changed_entry_is_treated_as_absent(tmp_path):
    """An entry whose value was changed by hand (its checksum not made again) is not served; the others are."""
    path = tmp_path / "s.sqlite"
    _store(path, {"a": "1" * 64, "b": "2" * 64})
    path.chmod(0o644)
    con = sqlite3.connect(path)
    con.execute("UPDATE entries SET value = ? WHERE key = ?", (b"3" * 64, b"a"))
    con.commit()
    con.close()
    reader = StoreReader(path, "proef")
    assert reader.usable and reader.get("a") is None and reader.damaged_rows == 1
    assert reader.get("b") == "2" * 64


def test_a_store_path_that_is_a_folder_or_unwritable_does_not_crash(tmp_path):
    (tmp_path / "s.sqlite").mkdir()
    assert not StoreReader(tmp_path / "s.sqlite", "proef").usable
    writer = StoreWriter(tmp_path / "s.sqlite", "proef")
    writer.put("a", "1")
    with pytest.raises(OSError):
        writer.commit()
    writer.close()
    assert (tmp_path / "s.sqlite").is_dir() and not list(tmp_path.glob(".tmp-*"))


def _settled_pdf(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    old = time.time_ns() - 10**10
    os.utime(path, ns=(old, old))


def test_hash_memo_on_disk_survives_runs_and_forgets_what_was_not_used(tmp_path):
    cache = Cache(tmp_path / "cache")
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    _settled_pdf(a, b"%PDF-1.4 a")
    _settled_pdf(b, b"%PDF-1.4 b")
    memo = HashMemo(cache)
    memo.SETTLED_NS = -(10**12)  # ctime is now: remember anyway
    assert memo.sha256(a) == hashlib.sha256(b"%PDF-1.4 a").hexdigest()
    memo.sha256(b)
    memo.save()
    assert (cache.root / HashMemo.NAME).is_file()
    again = HashMemo(cache)
    assert again.sha256(a) == hashlib.sha256(b"%PDF-1.4 a").hexdigest() and again.hashed == 0 and again.reused == 1
    again.save()  # b was not used: gone from the memo
    third = HashMemo(cache)
    third.sha256(b)
    assert third.hashed == 1
    third.save()


@pytest.mark.parametrize("how", ["half", "garbage", "page", "removed_row"])
def test_hash_memo_damaged_store_means_hashing_again(tmp_path, how):
    cache = Cache(tmp_path / "cache")
    pdfs = []
    for i in range(300):  # enough entries for the store to span several pages
        pdf = tmp_path / f"{i:03d}-{'x' * 40}.pdf"
        _settled_pdf(pdf, b"%PDF-1.4 " + str(i).encode())
        pdfs.append(pdf)
    memo = HashMemo(cache)
    memo.SETTLED_NS = -(10**12)
    for pdf in pdfs:
        memo.sha256(pdf)
    memo.save()
    _damage(cache.root / HashMemo.NAME, how)
    again = HashMemo(cache)
    again.SETTLED_NS = -(10**12)
    assert [again.sha256(p) for p in pdfs] == [hashlib.sha256(p.read_bytes()).hexdigest() for p in pdfs]
    assert again.hashed == len(pdfs) and again.reused == 0
    again.save()
    assert StoreReader(cache.root / HashMemo.NAME, HashMemo.KIND).usable  # written anew


def test_hash_memo_a_changed_entry_is_hashed_again(tmp_path):
    """An entry whose SHA-256 was changed by hand without its checksum: the file is read and hashed again."""
    cache = Cache(tmp_path / "cache")
    pdf = tmp_path / "a.pdf"
    _settled_pdf(pdf, b"%PDF-1.4 echt")
    memo = HashMemo(cache)
    memo.SETTLED_NS = -(10**12)
    real = memo.sha256(pdf)
    memo.save()
    path = cache.root / HashMemo.NAME
    path.chmod(0o644)
    con = sqlite3.connect(path)
    con.execute("UPDATE entries SET value = ?", (b"0" * 64,))
    con.commit()
    con.close()
    again = HashMemo(cache)
    assert again.sha256(pdf) == real and again.hashed == 1


def test_hash_memo_in_a_forked_child_does_not_use_the_parents_store(tmp_path):
    """A worker process forked during the build never reads through the parent's SQLite connection."""
    cache = Cache(tmp_path / "cache")
    pdf = tmp_path / "a.pdf"
    _settled_pdf(pdf, b"%PDF-1.4 a")
    memo = HashMemo(cache)
    memo.SETTLED_NS = -(10**12)
    memo.sha256(pdf)
    memo.save()
    again = HashMemo(cache)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.write(
                write,
                b"1" if again._old is not None and again._old.get(again.key(os.path.abspath(pdf), pdf.stat())) is None else b"0",
            )
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1"
    assert again.sha256(pdf) and again.reused == 1  # the parent still does
    again.save()


def _largest_container(obj) -> int:
    """The largest dict, list or set among an object's attributes (what it holds in memory)."""
    return max((len(v) for v in vars(obj).values() if isinstance(v, (dict, list, set, frozenset, tuple))), default=0)


def test_the_memo_holds_no_entries_in_memory(tmp_path):
    """Thousands of PDFs remembered: the memo object keeps none of them in a dict (they are in the store)."""
    cache = Cache(tmp_path / "cache")
    memo = HashMemo(cache)
    memo.SETTLED_NS = -(10**12)
    folder = tmp_path / "pdfs"
    folder.mkdir()
    for i in range(2000):
        pdf = folder / f"{i}.pdf"
        pdf.write_bytes(b"%PDF-1.4 " + str(i).encode())
        memo.sha256(pdf)
    assert _largest_container(memo) < 10
    memo.save()
    again = HashMemo(cache)
    for i in range(0, 2000, 7):
        again.sha256(folder / f"{i}.pdf")
    assert again.hashed == 0 and _largest_container(again) < 10
    again.save()


def test_the_live_site_record_holds_no_files_in_memory(tmp_path):
    from publish.incremental import LiveReuse

    live = tmp_path / "site"
    live.mkdir()
    reuse = LiveReuse(Cache(tmp_path / "cache"), live)
    for i in range(3000):
        (live / f"{i}.html").write_text(str(i))
        reuse.record(f"{i}.html", f"sleutel-{i}")
        reuse.clean_bodies_now.add(hashlib.sha256(str(i).encode()).hexdigest())
    assert _largest_container(reuse) < 10
    reuse.save()
    again = LiveReuse(Cache(tmp_path / "cache"), live)
    assert _largest_container(again) < 10
    target = tmp_path / "nieuw" / "7.html"
    assert again.link("7.html", "sleutel-7", target) and target.read_text() == "7"
    assert not again.link("8.html", "andere-sleutel", tmp_path / "nieuw" / "8.html")
    assert hashlib.sha256(b"9").hexdigest() in again.clean_bodies and "onbekend" not in again.clean_bodies
