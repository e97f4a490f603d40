"""Issue 19 (mem20): pruning the build cache after a build does not list every entry first. The swap phase pruned the
streamed pages' entries (one per page of the archive: some 250,000 at 10,000 decisions) from a list of every name,
and the search index phase its analysed texts (one per decision and per document) from a sorted list of ``Path``
objects: about 130 and 350 bytes an entry at the peak, tens of MiB at 10,000 decisions. Now a folder at a time."""

from __future__ import annotations

import gc
import hashlib
import tracemalloc
from pathlib import Path

from publish.cache import Cache
from publish.compact import KeySet
from publish.search import ANALYSED, BUCKETS, SHARDS, _Analysed

ENTRIES = 1500


def _entries(root: Path, kind: str) -> list[str]:
    """ENTRIES entries of ``kind`` as the store keeps them (``kind/xx/<SHA-256>.json``); their keys."""
    keys = []
    for i in range(ENTRIES):
        key = hashlib.sha256(b"%d" % i).hexdigest()
        folder = root / kind / key[:2]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{key}.json").write_bytes(b"{}")
        keys.append(key)
    return keys


def _peak_bytes(prune) -> tuple[int, int]:
    """(what ``prune()`` returned, the most memory it had allocated at once)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        removed = prune()
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    return removed, peak


def _left(root: Path, kind: str) -> set[str]:
    return {p.name.split(".", 1)[0] for p in (root / kind).glob("*/*")}


def test_the_cache_prunes_a_kind_a_folder_at_a_time(tmp_path: Path):
    cache = Cache(tmp_path / "cache")
    keys = _entries(cache.root, "pagina")
    keep = KeySet(keys[::3])
    assert keys[0] in keep and keys[1] not in keep  # its look-up table made (and numpy imported) before measuring
    removed, peak = _peak_bytes(lambda: cache.prune("pagina", keep))
    assert removed == ENTRIES - len(keys[::3]) and _left(cache.root, "pagina") == set(keys[::3])
    # A list of every name held about 130 bytes an entry at once (some 200 KB here); a folder's worth is some 6 entries.
    assert peak / ENTRIES < 40, peak / ENTRIES
    assert cache.prune("pagina", keep) == 0  # nothing more to remove


def test_the_analysed_texts_are_pruned_a_folder_at_a_time(tmp_path: Path):
    cache = Cache(tmp_path / "cache")
    keys = _entries(cache.root, ANALYSED)
    shards = _entries(cache.root, SHARDS)
    analysed = _Analysed(cache)
    for key in keys[1::2]:
        analysed.used[ANALYSED].add(key)
    for key in shards[:10]:
        analysed.used[SHARDS].add(key)
    assert BUCKETS in analysed.used and keys[1] in analysed.used[ANALYSED] and shards[0] in analysed.used[SHARDS]
    removed, peak = _peak_bytes(analysed.prune)
    assert removed == ENTRIES - len(keys[1::2]) + ENTRIES - 10
    assert _left(cache.root, ANALYSED) == set(keys[1::2]) and _left(cache.root, SHARDS) == set(shards[:10])
    # Sorted into a list of ``Path`` objects first: about 350 bytes an entry at once; now a folder's entries.
    assert peak / (2 * ENTRIES) < 60, peak / (2 * ENTRIES)
