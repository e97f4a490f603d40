"""Issue 19 (mem9): the compact forms of what the build collects per page until its end (``publish/compact.py``) behave
exactly as the sets, dicts and lists they replace: the cache is pruned to the same keys, the script check reads the
same packages per page and skips the same pages, and the streamed pages are rendered in the same order."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

from publish.cache import Cache
from publish.compact import KeySet, PageOwners, PathSet, SpilledLines, SpilledPages


def _key(n: int) -> str:
    return hashlib.sha256(str(n).encode()).hexdigest()


def test_a_key_set_answers_as_a_set_does():
    keys = [_key(n) for n in range(500)]
    edges = ["ab" + "00" * 31, "ab" + "00" * 30 + "01", "00" * 32, "ff" * 32]  # trailing zero bytes are bytes too
    others = ["", "kort", _key(1).upper(), _key(2)[:63], _key(3) + "0", "é" * 64]
    ks = KeySet(keys[:100])
    for k in keys[100:300] + edges + others + keys[:50]:  # duplicates too
        ks.add(k)
    plain = set(keys[:300] + edges + others)
    assert len(ks) == len(plain)
    assert set(ks) == plain
    for k in keys + edges + others + ["ab" + "00" * 29 + "0000", "ab" + "00" * 31 + "00", _key(1).upper()[:-1] + "a"]:
        assert (k in ks) == (k in plain), k
    assert 42 not in ks and None not in ks
    ks.add(keys[400])  # after a look-up: the index is made again
    assert keys[400] in ks and keys[401] not in ks
    ks |= KeySet([keys[401]])
    ks |= {keys[402]}
    ks.update([keys[403]])
    assert all(k in ks for k in keys[400:404]) and keys[404] not in ks
    assert len(KeySet()) == 0 and _key(1) not in KeySet() and list(KeySet()) == []


def test_a_key_set_sorts_its_keys_in_place_when_first_asked():
    """Issue 19 (mem20): the first look-up sorts the keys and drops the repeats. ``np.unique`` of a copy held about 3.7
    times the keys' bytes on top of them (some 40 MiB for the 260,000 page keys of 10,000 decisions, in the script check,
    the search index's prune and the swap's); now the bytearray is sorted in place: a mask of a byte a key, and a copy of
    the unique keys only when some key was added twice."""
    import tracemalloc

    import numpy  # noqa: F401  (imported before measuring)

    keys = [hashlib.sha256(b"%d" % i).digest() for i in range(20_000)]
    for repeats in (False, True):
        ks = KeySet()
        for key in keys:
            ks.add_raw(key)
        if repeats:
            for key in keys[:50]:
                ks.add_raw(key)
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            assert keys[7].hex() in ks and hashlib.sha256(b"nee").hexdigest() not in ks
            peak = tracemalloc.get_traced_memory()[1] - before
        finally:
            tracemalloc.stop()
        limit = 32 * len(keys) * (1.2 if repeats else 0.2)
        assert peak < limit, (repeats, peak / (32 * len(keys)))
        assert len(ks) == len(keys) and sorted(ks) == sorted(key.hex() for key in keys)
        ks.add(hashlib.sha256(b"nieuw").hexdigest())  # grows again after a look-up
        assert hashlib.sha256(b"nieuw").hexdigest() in ks and len(ks) == len(keys) + 1


def test_the_cache_is_pruned_to_the_same_keys(tmp_path: Path):
    cache = Cache(tmp_path / "cache")
    keys = [_key(n) for n in range(40)]
    for k in keys:
        cache.put_blob("pagina", k, b"x")
    kept = KeySet(keys[::3])
    assert cache.prune("pagina", kept) == len(keys) - len(keys[::3])
    assert [k for k in keys if cache.get_blob("pagina", k) is not None] == keys[::3]


def test_a_path_set_holds_any_path():
    paths = ["besluiten/a/index.html", "b\udcff/\n/index.html", "", "é/" * 200, "besluiten/a/index.htm"]
    clean = PathSet(paths[:3])
    clean.add(paths[3])
    assert all(p in clean for p in paths[:4])
    assert paths[4] not in clean and "besluiten/a/" not in clean and 1 not in clean
    assert len(clean) == 4


def test_page_owners_give_the_packages_each_page_file_shows():
    """As ``{page_path(url): page.packages}`` of the list of pages: the last page at a place wins, a page that shows no
    package has none, and each tuple of packages is held once."""
    owners = PageOwners()
    pages = [
        SimpleNamespace(url="besluiten/a/", packages=("a",)),
        SimpleNamespace(url="besluiten/a/document/1/", packages=("a",)),
        SimpleNamespace(url="", packages=()),
        SimpleNamespace(url="lijst/", packages=("a", "b")),
        SimpleNamespace(url="lijst/", packages=("b",)),
        SimpleNamespace(url="feed.xml", packages=("a",)),
    ]
    for page in pages:
        owners.append(page)
    expected = {
        "besluiten/a/index.html": ("a",),
        "besluiten/a/document/1/index.html": ("a",),
        "index.html": (),
        "lijst/index.html": ("b",),
        "feed.xml": ("a",),
    }
    assert len(owners) == len(expected)
    for rel, packages in expected.items():
        assert owners.get(rel) == packages
    assert owners.get("besluiten/a/") is None and owners.get("lijst/index.htm", "geen") == "geen" and owners.get(1) is None
    assert owners.get("besluiten/a/index.html") is owners.get("feed.xml")  # one tuple of packages, held once
    owners.append(SimpleNamespace(url="besluiten/a/", packages=("c",)))  # after a look-up: sorted again
    owners.append(SimpleNamespace(url="nieuw/", packages=("a",)))
    assert owners.get("besluiten/a/index.html") == ("c",) and owners.get("nieuw/index.html") == ("a",)
    assert owners.get("lijst/index.html") == ("b",) and len(owners) == len(expected) + 1


def test_page_owners_answer_as_the_list_of_pages_does_for_many_pages():
    import random

    rng = random.Random(7)
    owners, plain = PageOwners(), {}
    for n in range(3000):
        page = SimpleNamespace(url=f"besluiten/{rng.randrange(800)}/document/{rng.randrange(4)}/", packages=(f"p{n % 50}",))
        owners.append(page)
        plain[page.url + "index.html"] = page.packages
    for n in range(800):
        for d in range(5):
            rel = f"besluiten/{n}/document/{d}/index.html"
            assert owners.get(rel) == plain.get(rel)


def test_spilled_lines_come_back_in_order(tmp_path: Path):
    lines = SpilledLines(tmp_path / "regels.txt")
    assert not lines and list(lines.close()) == []
    lines = SpilledLines(tmp_path / "regels.txt")
    values = ["besluiten/a/index.md", "met\nregeleinde.md", "\udcff\u202e.md", "", "besluiten/a/index.md"]
    for v in values:
        lines.append(v)
    assert len(lines) == 5 and bool(lines)
    assert list(lines) == values and list(lines) == values  # read again: the same
    lines.remove()
    assert not (tmp_path / "regels.txt").exists()


def test_spilled_pages_come_back_in_order_a_place_given_twice_once_with_its_last_text(tmp_path: Path):
    """warm10: the streamed pages' sources in one file; what comes back (and what ``materialise`` writes) is what
    writing each source as a file into one folder, one after another, would leave: each place once, at its first
    position, with its last text."""
    pages = SpilledPages(tmp_path / "generated")
    given = [
        ("besluit/a/index.md", "eerste\r\ntekst é"),
        ("besluit/a/document/1/index.md", "doc 1"),
        ("met spatie en\nregeleinde.md", "x"),
        ("besluit/a/index.md", "tweede tekst"),
        ("besluit/b/index.md", ""),
    ]
    for path, text in given:
        pages.add(path, text)
    pages.close()
    expected = [
        ("besluit/a/index.md", "tweede tekst".encode()),
        ("besluit/a/document/1/index.md", b"doc 1"),
        ("met spatie en\nregeleinde.md", b"x"),
        ("besluit/b/index.md", b""),
    ]
    assert list(pages) == expected and list(pages) == expected  # read again: the same
    pages.materialise(tmp_path / "bronnen")
    folder = tmp_path / "bronnen"
    for path, text in given:
        (tmp_path / "los" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "los" / path).write_text(text, encoding="utf-8")
    written = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    loose = {p.relative_to(tmp_path / "los").as_posix(): p.read_bytes() for p in (tmp_path / "los").rglob("*") if p.is_file()}
    assert written == loose == dict(expected)
    assert sorted(p.name for p in (tmp_path / "generated").iterdir()) == ["bronnen.bin", "volgorde.txt"]


def test_issued_keys_answer_as_the_set_of_handed_out_keys_did():
    """Issue 19 (mem12): ``compact.IssuedKeys`` in place of ``CachedTexts._issued``'s set: the same keys, duplicates
    once (the build hands a PDF out again in every phase that makes its view), any other form of key kept as it is."""
    from publish.compact import IssuedKeys

    keys = [f"{_key(n)}-v1a2b3c4d5e6f" for n in range(3000)] + [f"{_key(n)}-v0000000000aa" for n in range(5)]
    odd = ["kort", "geen-sha-v1", f"{_key(1).upper()}-v1a2b3c4d5e6f", _key(7)]
    issued = IssuedKeys(odd)
    for _ in range(3):
        for k in keys:
            issued.add(k)
    assert set(issued) == set(keys) | set(odd)
    assert len(issued) == len(set(keys) | set(odd))
    assert issued | {"extra"} == set(keys) | set(odd) | {"extra"}
    held = sum(len(ks._raw) for ks in issued._by_tail.values())
    assert held <= 2 * 32 * len(keys)  # made unique as it grows: not 32 bytes for every time a key was handed out


def test_a_damaged_text_entry_still_has_every_issued_key_checked(tmp_path: Path):
    """``CachedTexts._forget_unusable`` with the build's ``IssuedKeys`` in place (build._compact_issued): an unusable
    entry makes every handed-out key be checked, and the unusable ones are forgotten, the usable ones kept."""
    import pytest

    from publish.build import _compact_issued
    from publish.cachestore import CacheEntryGone
    from publish.compact import IssuedKeys
    from publish.pdfs import CachedTexts

    cache = Cache(tmp_path / "cache")
    _compact_issued(cache)
    assert isinstance(CachedTexts._issued[str(cache.root)], IssuedKeys)
    good, bad, gone = (f"{_key(n)}-v1" for n in range(3))
    cache.put_json("pdf", good, {"texts": ["een"]})
    cache.put_json("pdf", bad, {"texts": "geen lijst"})
    cache.put_json("pdf", gone, {"texts": ["weg"]})
    texts = [CachedTexts(cache, key, 1, True) for key in (good, bad, gone)]
    assert list(texts[0]) == ["een"]
    cache.forget("pdf", gone, ".json")
    with pytest.raises(CacheEntryGone):
        list(texts[2])
    assert cache.has("pdf", good, ".json")
    assert not cache.has("pdf", bad, ".json")
    assert str(cache.root) not in CachedTexts._issued


def test_issued_keys_kept_in_a_file_hold_a_block_not_a_key_a_pdf(tmp_path: Path):
    """mem22: ``IssuedKeys.keep_in`` (the build's ``SpilledPdfs`` file): the keys handed out are written to the file a block
    at a time and read back only when asked for (the rare path of a damaged entry), so what is held does not grow with the
    archive: a block of at most 64 KiB, under 4 bytes a key for 30,000 keys handed out three times (mem12's form: 32 to
    64 bytes a key in memory).
    Asked for, they are the same keys, each once, other forms of key too."""
    import gc
    import io
    import tracemalloc

    from publish.compact import ISSUED_BLOCK, IssuedKeys

    keys = [f"{_key(n)}-v1a2b3c4d5e6f" for n in range(30_000)] + [f"{_key(n)}-v0000000000aa" for n in range(5)]
    odd = ["kort", "geen-sha-v1", f"{_key(1).upper()}-v1a2b3c4d5e6f"]
    file = open(tmp_path / "spill", "w+b")  # closed below (``with file``)

    def write(data: bytes) -> tuple[int, int]:
        file.seek(0, io.SEEK_END)
        place = (file.tell(), len(data))
        file.write(data)
        return place

    def read(place: tuple[int, int]) -> bytes:
        file.seek(place[0])
        return file.read(place[1])

    def held(issued: IssuedKeys) -> float:
        gc.collect()
        tracemalloc.start()
        try:
            for _ in range(3):
                for k in keys:
                    issued.add(k)
            gc.collect()
            size = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        return size / len(keys)

    with file:
        kept = IssuedKeys(odd)
        kept.keep_in(write, read)
        per_key = held(kept)
        assert per_key < 4, per_key
        assert held(IssuedKeys()) > 24  # the bound separates mem12's form (32 bytes a key and more) from this one
        assert file.seek(0, io.SEEK_END) >= 32 * (3 * len(keys) - ISSUED_BLOCK)  # in the file, not in memory
        assert set(kept) == set(keys) | set(odd)
        assert len(kept) == len(set(keys) | set(odd))
        assert kept | {"extra"} == set(keys) | set(odd) | {"extra"}


def test_a_damaged_text_entry_has_every_key_handed_out_into_the_spill_file_checked(tmp_path: Path):
    """mem22: with the build's keys handed out into its ``SpilledPdfs`` file (``build._compact_issued(cache, spilled)``),
    an unusable entry still makes every handed-out key be checked, the unusable ones forgotten and the usable ones kept,
    also keys still waiting for their block; ``build._release_issued`` lets the build's keys go before the file closes."""
    import pytest

    from publish import compact
    from publish.build import SpilledPdfs, _compact_issued, _release_issued
    from publish.cachestore import CacheEntryGone
    from publish.compact import IssuedKeys
    from publish.pdfs import CachedTexts

    cache = Cache(tmp_path / "cache")
    spilled = SpilledPdfs(cache, tmp_path / "uit" / "site")
    try:
        _compact_issued(cache, spilled)
        issued = CachedTexts._issued[str(cache.root)]
        assert isinstance(issued, IssuedKeys)
        many = [f"{_key(n)}-v1" for n in range(compact.ISSUED_BLOCK + 10)]
        bad_early, bad_late = many[3], many[-2]  # one in a written block, one still waiting for its block
        good, gone = many[0], many[-1]
        for key in many:
            cache.put_json("pdf", key, {"texts": ["een"]})
        for key in (bad_early, bad_late):
            cache.put_json("pdf", key, {"texts": "geen lijst"})
        texts = [CachedTexts(cache, key, 1, True) for key in many]
        assert issued._places and issued._pending  # a block in the file, the rest waiting
        assert list(texts[0]) == ["een"]
        cache.forget("pdf", gone, ".json")
        with pytest.raises(CacheEntryGone):
            list(texts[-1])
        assert cache.has("pdf", good, ".json") and cache.has("pdf", many[-3], ".json")
        assert not cache.has("pdf", bad_early, ".json") and not cache.has("pdf", bad_late, ".json")
        assert str(cache.root) not in CachedTexts._issued
        _compact_issued(cache, spilled)  # the next phase's keys, into the same file
        CachedTexts(cache, good, 1, True)
        assert set(CachedTexts._issued[str(cache.root)]) == {good}
        _release_issued(cache, spilled)
        assert str(cache.root) not in CachedTexts._issued
    finally:
        spilled.close()


def test_spilled_pages_expand_a_decisions_group_in_place_and_leave_out_the_marks(tmp_path: Path):
    """pages19: a decision left to its group record is one mark among the pages; ``pages()`` (what ``materialise``
    writes, for a site that cannot stream) gives that decision's pages in its place, made by ``expand``, and never a
    mark; a group without ``expand`` is refused, not left out."""
    import json

    import pytest

    from publish.compact import BEGIN, END, GROUP

    pages = SpilledPages(tmp_path / "generated")
    pages.add("index.md", "thuis")
    pages.add_marker(GROUP, "besluit/a/", json.dumps(["besluit/a/", "k"]))
    pages.add_marker(BEGIN, "besluit/b/", "k2")
    pages.add("besluit/b/index.md", "b")
    pages.add_marker(END, "besluit/b/", "")
    pages.close()
    assert [path[:2] for path, _ in pages][1:3] == [GROUP, BEGIN]
    with pytest.raises(RuntimeError, match="besluit/a/"):
        list(pages.pages())
    asked = []
    pages.expand = lambda payload: asked.append(json.loads(payload)) or [("besluit/a/index.md", b"a")]
    assert list(pages.pages()) == [("index.md", b"thuis"), ("besluit/a/index.md", b"a"), ("besluit/b/index.md", b"b")]
    assert asked == [["besluit/a/", "k"]]
    pages.materialise(tmp_path / "bronnen")
    written = sorted(p.relative_to(tmp_path / "bronnen").as_posix() for p in (tmp_path / "bronnen").rglob("*.md"))
    assert written == ["besluit/a/index.md", "besluit/b/index.md", "index.md"]


def test_page_owners_sort_their_places_without_copying_them_again_and_again():
    """Issue 19 (mem20): the first ``get`` (the script check) sorted a copy of the places and copied the result three
    more times: 3.4 times the places' bytes at once (a page of the archive each). Now the sorted places go back
    into the bytearray: 1.3 to 1.5 times (the sorted copy and the order), and the answers are those of a dict."""
    import tracemalloc

    import numpy  # noqa: F401  (imported before measuring)

    from publish.scriptcheck import page_path

    count = 12_000
    owners = PageOwners()
    expected = {}
    for i in range(count):
        page = SimpleNamespace(url=f"besluiten/b{i % 9000}/document/{i}/", packages=(f"b{i % 9000}",) if i % 7 else ())
        owners.append(page)
        expected[page_path(page.url)] = page.packages
    again = SimpleNamespace(url="besluiten/b1/document/1/", packages=("laatste",))  # the last at a place wins
    owners.append(again)
    expected[page_path(again.url)] = again.packages
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        assert owners.get(page_path(again.url)) == ("laatste",)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert peak < 2 * 32 * count, peak / (32 * count)
    assert len(owners) == count and all(owners.get(rel) == packages for rel, packages in expected.items())
    assert owners.get("elders/index.html", "geen") == "geen"
