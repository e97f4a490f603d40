"""Issue 19: the search index from cached analysed texts, and what one changed decision rewrites.

A warm build (every text analysed before) must give the same bytes as a cold one; a damaged cache entry
is recomputed; a new analyser (stemmer, stop words) does not use what the old one made; and a decision
added, removed or changed rewrites only meta.json, its own chunk and document lists, and the shards of
its own bucket that hold its terms (the statistics that change with every decision live in meta.json).
"""

from __future__ import annotations

import copy
import json
import random
import sys
from pathlib import Path

import pytest

from publish import search
from publish.cache import Cache
from publish.pdfs import CachedTexts
from publish.search import ANALYSED, analyse, bucket_count, bucket_of, build_search_files, decision_values, shard_of, stable_ids

from support import ROOT, build_args


def _views(n: int):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from search_scale import synthetic_views

    return synthetic_views(n, random.Random(n))


@pytest.fixture(scope="module")
def corpus():
    views = _views(41)
    return views[-1], views[:-1]


def _changed(before: dict, after: dict) -> set[str]:
    return {k for k in set(before) | set(after) if before.get(k) != after.get(k)}


def _entries(cache_root: Path, kind: str = ANALYSED) -> list[Path]:
    return sorted((cache_root / kind).glob("*/*.json"))


def _expected(files: dict[str, str], view, sid: str) -> tuple[set[str], set[str]]:
    """The files a change of this decision must rewrite (meta, chunk, document lists, the shards of its terms
    in its bucket), and those it may rewrite too: the shards of its bucket with capped terms, whose best
    postings can change when the bucket's average lengths do."""
    meta = json.loads(files["meta.json"])
    g = bucket_of(sid, meta["emmers"])
    b_terms = {t for _, flat in analyse(decision_values(view), search.RAW_FIELDS).values() for t in flat[::2]}
    t_terms = set(search.terms(" ".join(f.title for f in view.files)))
    t_terms |= {t for f in view.files for text in f.texts for t in search.terms(text)}
    must = {"meta.json", f"c-{bucket_of(sid, meta['chunks'])}.json"} | {k for k in files if k.startswith(f"d-{sid}-")}
    must |= {f"b-{g}-{shard_of(t, meta['shards']['besluiten'][g])}.json" for t in b_terms}
    must |= {f"t-{g}-{shard_of(t, meta['shards']['tekst'][g])}.json" for t in t_terms}
    may = {k for k, text in files.items() if k.startswith((f"b-{g}-", f"t-{g}-")) and '"afgekapt"' in text}
    return must, may


def test_warm_build_is_byte_identical_to_cold(corpus, tmp_path):
    _, views = corpus
    plain = build_search_files(views)
    cache = Cache(tmp_path / "cache")
    cold_report: dict = {}
    cold = build_search_files(views, cache, tmp_path, cold_report)
    assert cold_report["hergebruikt"] == 0 and cold_report["berekend"] > 40
    warm_report: dict = {}
    warm = build_search_files(views, cache, tmp_path, warm_report)
    assert warm == cold == plain
    # Nothing changed: every bucket's shards come from the cache, no analysed text is even read.
    assert warm_report == {"hergebruikt": 0, "berekend": 0, "emmers_hergebruikt": 8, "opgeruimd": 0}
    # Without the bucket manifests the shards are merged again from the analysed texts: the same bytes.
    for path in sorted((tmp_path / "cache" / search.BUCKETS).glob("*/*.json")):
        path.unlink()
    merged_report: dict = {}
    assert build_search_files(views, cache, tmp_path, merged_report) == cold
    assert merged_report["hergebruikt"] == cold_report["berekend"] and merged_report["berekend"] == 0
    assert not list(tmp_path.glob("woo-zoekindex-*"))  # no temporary postings left behind


def test_forced_spill_gives_the_same_files(corpus, tmp_path, monkeypatch):
    _, views = corpus
    expected = build_search_files(views[:12])
    monkeypatch.setattr(search, "SPILL_POSTINGS", 300)
    monkeypatch.setattr(search.ShardedIndex.__init__, "__defaults__", (None, 300, None))
    assert build_search_files(views[:12], Cache(tmp_path / "c"), tmp_path) == expected


def test_a_warm_build_does_not_read_page_texts_kept_in_the_cache(corpus, tmp_path):
    """Texts kept in the PDF cache are keyed by that entry: a warm build does not open them at all."""
    _, views = corpus
    views = copy.deepcopy(views[:6])
    cache = Cache(tmp_path / "cache")
    for n, v in enumerate(views):
        for k, f in enumerate(v.files):
            key = f"{n:02d}{k:02d}" + "0" * 60
            cache.put_json("pdf", key, {"texts": list(f.texts)})
            f.texts = CachedTexts(cache, key, len(f.texts), True)
    cold = build_search_files(views, cache)
    for path in sorted((tmp_path / "cache" / "pdf").glob("*/*.json")):
        path.unlink()  # reading a text now raises OSError
    assert build_search_files(views, cache) == cold


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"\x00not json"),
        lambda p: p.write_bytes(p.read_bytes()[:-20]),
        lambda p: p.write_text(json.dumps({"sha256": "0" * 64, "value": {}})),
        # A checksum that matches, but a value of the wrong shape: refused as well.
        lambda p: Cache(p.parents[2]).put_json(ANALYSED, p.stem, {"titel": [3, ["a", -1]], "paginas": "x"}),
        lambda p: Cache(p.parents[2]).put_json(ANALYSED, p.stem, {"tekst": [1, ["\u0000", 1]], "x": []}),
        lambda p: p.unlink(),
    ],
)
def test_a_damaged_cache_entry_is_recomputed(corpus, tmp_path, damage):
    _, views = corpus
    views = views[:8]
    cache = Cache(tmp_path / "cache")
    cold = build_search_files(views, cache)
    entries = _entries(tmp_path / "cache")
    victim = entries[len(entries) // 2]
    victim.chmod(0o644)
    damage(victim)
    for path in _entries(tmp_path / "cache", search.BUCKETS):
        path.unlink()  # so that the analysed texts are merged again
    report: dict = {}
    assert build_search_files(views, cache, None, report) == cold
    assert report["berekend"] == 1 and report["hergebruikt"] == len(entries) - 1
    assert cache.get_json(ANALYSED, victim.stem) is not None  # replaced by a good one
    report = {}
    build_search_files(views, cache, None, report)
    assert report["berekend"] == 0


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_flip, lambda p: p.unlink()])
def test_a_damaged_shard_in_the_cache_rebuilds_its_bucket(corpus, tmp_path, damage):
    _, views = corpus
    views = views[:8]
    cache = Cache(tmp_path / "cache")
    cold = build_search_files(views, cache)
    victim = _entries(tmp_path / "cache", search.SHARDS)[3]
    victim.chmod(0o644)
    damage(victim)
    report: dict = {}
    assert build_search_files(views, cache, None, report) == cold
    assert report["emmers_hergebruikt"] == 3 and report["berekend"] == 0  # 2 buckets of 8 decisions, 2 indexes
    assert victim.read_bytes().decode() in cold.values()  # stored again, whole


def test_an_analyser_change_invalidates_the_cache(corpus, tmp_path, monkeypatch):
    _, views = corpus
    views = views[:8]
    cache = Cache(tmp_path / "cache")
    cold = build_search_files(views, cache)
    old = _entries(tmp_path / "cache")
    # The version follows the analyser's code and data: other stop words give another version.
    version = search._analyser_version()
    assert version == search.ANALYSER_VERSION
    monkeypatch.setattr(search, "STOP_WORDS", search.STOP_WORDS | {"fietspad"})
    assert search._analyser_version() != version
    monkeypatch.undo()
    # A new version: nothing old is reused, every text is analysed again, the old entries are pruned.
    monkeypatch.setattr(search, "ANALYSER_VERSION", "ander-versie")
    report: dict = {}
    assert build_search_files(views, cache, None, report) == cold
    assert report["hergebruikt"] == 0 and report["berekend"] == len(old)
    assert not set(old) & set(_entries(tmp_path / "cache")) and len(_entries(tmp_path / "cache")) == len(old)


def test_entries_of_a_removed_decision_are_pruned(corpus, tmp_path):
    _, views = corpus
    cache = Cache(tmp_path / "cache")
    build_search_files(views[:17], cache)
    before = len(_entries(tmp_path / "cache"))
    report: dict = {}
    build_search_files(views[:16], cache, None, report)
    assert len(_entries(tmp_path / "cache")) == before - 1 - len(views[16].files)
    # Its bucket's manifests (both indexes) and the shards that changed went too; the other buckets' stayed.
    assert report["emmers_hergebruikt"] == 6 and len(_entries(tmp_path / "cache", search.BUCKETS)) == 8
    assert report["opgeruimd"] > 1 + len(views[16].files) + 2


def _check(before: dict, after: dict, must: set[str], may: set[str], sid: str):
    diff = _changed(before, after)
    assert must <= diff, sorted(must - diff)
    assert diff <= must | may, sorted(diff - must - may)
    meta = json.loads(after["meta.json"])
    others = [k for k in diff if k.startswith(("b-", "t-")) and bucket_of(sid, meta["emmers"]) != int(k.split("-")[1])]
    assert others == []
    return diff


def test_adding_a_decision_rewrites_only_its_terms_shards(corpus, tmp_path):
    extra, views = corpus
    extra = copy.deepcopy(extra)  # a small decision: few terms, so what it must rewrite is a small part of its bucket
    for f in extra.files:
        f.texts = ["Het verzoek om de stukken over de kwelwaterpomp bij het gemaal.", ""]
    cache = Cache(tmp_path / "c")
    before = build_search_files(views, cache)
    added = sorted(views + [extra], key=lambda v: -v.decision.decision_date.toordinal())  # another order, too
    report: dict = {}
    after = build_search_files(added, cache, None, report)
    # The other buckets (both indexes) come from the cache; only the new decision's texts are analysed.
    assert report["emmers_hergebruikt"] == 6 and report["berekend"] == 1 + len(extra.files)
    assert after == build_search_files(added)
    sid = stable_ids(v.url for v in added)[extra.url]
    assert stable_ids(v.url for v in views).items() <= stable_ids(v.url for v in added).items()
    must, may = _expected(after, extra, sid)
    diff = _check(before, after, must, may, sid)
    # Far fewer than the bucket's shards (with baked-in statistics every shard of the bucket changed).
    g = bucket_of(sid, bucket_count(len(added)))
    assert len([k for k in diff if k.startswith(f"t-{g}-")]) < 0.25 * len([k for k in after if k.startswith(f"t-{g}-")])


def test_removing_a_decision_rewrites_only_its_terms_shards(corpus):
    _, views = corpus
    before = build_search_files(views)
    gone = views[13]
    after = build_search_files(views[:13] + views[14:])
    sid = stable_ids(v.url for v in views)[gone.url]
    must, may = _expected(before, gone, sid)
    must -= {k for k in before if k.startswith(f"d-{sid}-")}
    diff = _check(before, after, must | {k for k in before if k.startswith(f"d-{sid}-")}, may, sid)
    assert not any(k.startswith(f"d-{sid}-") for k in after) and {k for k in before if k.startswith(f"d-{sid}-")} <= diff


def test_a_changed_page_rewrites_only_the_shards_of_that_page(corpus):
    """One word added to one page: its length changes, so the postings of every term of that page, and the
    new word's; meta.json for the bucket's length sum. No decision shard, chunk or document list."""
    _, views = corpus
    before = build_search_files(views)
    changed = copy.deepcopy(views)
    target = changed[17]
    old_text = target.files[2].texts[1]
    target.files[2].texts[1] += " nieuwewoordenreeks"
    after = build_search_files(changed)
    sid = stable_ids(v.url for v in views)[target.url]
    meta = json.loads(after["meta.json"])
    g = bucket_of(sid, meta["emmers"])
    count = meta["shards"]["tekst"][g]
    must = {"meta.json"} | {f"t-{g}-{shard_of(t, count)}.json" for t in search.terms(old_text + " nieuwewoordenreeks")}
    may = {k for k, text in after.items() if k.startswith(f"t-{g}-") and '"afgekapt"' in text}
    diff = _changed(before, after)
    assert must <= diff and diff <= must | may, (sorted(must - diff), sorted(diff - must - may))
    assert (
        json.loads(before["meta.json"])["statistiek"]["tekst"][g][1]["tekst"][0] + 1
        == meta["statistiek"]["tekst"][g][1]["tekst"][0]
    )


@pytest.mark.slow
def test_a_real_build_reuses_the_index_from_its_cache(cli, tmp_path):
    """The demo site built twice with one cache: the second build takes every bucket from the cache and
    writes the same index files, which keep their modification times."""

    def build(out: Path):
        result = cli(
            *build_args(ROOT / "decisions", out, "--archief", str(tmp_path / "archief"), cache=tmp_path / "c", today="2026-01-01")
        )
        assert result.returncode == 0, result.stdout + result.stderr
        index = out / "zoeken" / "index"
        return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(index.iterdir())}

    first = build(tmp_path / "site")
    manifests = _entries(tmp_path / "c", search.BUCKETS)
    assert manifests and _entries(tmp_path / "c") and _entries(tmp_path / "c", search.SHARDS)
    second = build(tmp_path / "site")
    assert second == first  # bytes and times
    assert _entries(tmp_path / "c", search.BUCKETS) == manifests
    assert not list(tmp_path.glob("**/woo-zoekindex-*"))


def test_hostile_texts_survive_the_cache_unchanged(corpus, tmp_path):
    """Control characters, quotes, backslashes, lone surrogates' neighbours, a huge word: the analysed form
    goes through the cache and back to the same index bytes, and every file stays valid JSON."""
    _, views = corpus
    views = copy.deepcopy(views[:8])
    views[2].files[0].texts = ['ze\u0000gt "aan\\hal" \u202egeheim\u202c \x1b[31mrood', "x" * 100_000 + " einde", "\ufeff\t\r\n"]
    views[3].files[1].title = 'Titel met "quotes" en \\ en \u2028 regel'
    cache = Cache(tmp_path / "c")
    cold = build_search_files(views, cache)
    for path in _entries(tmp_path / "c", search.BUCKETS):
        path.unlink()  # merged again from the analysed texts in the cache
    assert build_search_files(views, cache) == cold == build_search_files(views)
    for text in cold.values():
        json.loads(text)
    assert any('"x' + "x" * 1000 in text for name, text in cold.items() if name.startswith("t-"))
