"""Issue 19: the search index from cached analysed texts, and what one changed decision rewrites.

A warm build (every text analysed before) must give the same bytes as a cold one, whatever builds came
before (the layout is a pure function of the input); a damaged cache entry is recomputed, never
published; a new analyser (stemmer, stop words) does not use what the old one made; and a decision
added, removed or changed rewrites only meta.json, its own chunk and document lists, and the shards of
its own bucket that hold its terms (the statistics that change with every decision live in meta.json).
A new decision lands in the newest recent level: no file of any other bucket changes, and the result
lists are those of one index holding everything (the browser adds the buckets' statistics up).
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
from publish.history import REPLACED, Change
from publish.pdfs import CachedTexts
from publish.search import ANALYSED, analyse, build_search_files, decision_values, layout, shard_of, stable_ids

from support import ROOT, build_args


def _views(n: int):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from search_scale import synthetic_views

    return synthetic_views(n, random.Random(n))


@pytest.fixture(autouse=True)
def small_levels(monkeypatch):
    """Recent levels sized for 40 synthetic decisions of 16 pages: about 8 per base bucket, 4 in the older
    recent level and 3 in the newest (with the defaults every decision of so small a site is recent)."""
    monkeypatch.setattr(search, "LEVEL_PAGES", (160, 64))


@pytest.fixture(scope="module")
def corpus():
    views = _views(41)
    return views[-1], views[:-1]


def _bucket(views, view) -> int:
    return layout(views)[1][stable_ids(v.url for v in views)[view.url]]


def _moved(before_views, after_views) -> set[int]:
    """The buckets whose set of decisions differs (by stable id) between two inputs."""
    (_, a), (_, b) = layout(before_views), layout(after_views)
    return {g for sid in set(a) | set(b) for g in (a.get(sid), b.get(sid)) if g is not None and a.get(sid) != b.get(sid)}


def _changed(before: dict, after: dict) -> set[str]:
    return {k for k in set(before) | set(after) if before.get(k) != after.get(k)}


def _entries(cache_root: Path, kind: str = ANALYSED) -> list[Path]:
    return sorted((cache_root / kind).glob("*/*.json"))


def _expected(files: dict[str, str], view, sid: str) -> tuple[set[str], set[str]]:
    """The files a change of this decision must rewrite (meta, its document lists with its display row, the shards of its terms
    in its bucket), and those it may rewrite too: the shards of its bucket with capped terms, whose best
    postings can change when the bucket's average lengths do."""
    meta = json.loads(files["meta.json"])
    g = next(g for g, members in enumerate(_members(files)) if sid in members)
    b_terms = {t for _, flat in analyse(decision_values(view), search.RAW_FIELDS).values() for t in flat[::2]}
    t_terms = set(search.terms(" ".join(f.title for f in view.files)))
    t_terms |= {t for f in view.files for text in f.texts for t in search.terms(text)}
    must = {"meta.json", f"d-{sid}-0.json"} | {k for k in files if k.startswith(f"d-{sid}-")}
    # Format 6: words of both indexes in s- files, the decision index's terms with a digit in k- files (the
    # text's are not indexed: the browser never looks them up).
    must |= {f"s-{g}-{shard_of(t, meta['shards'][g])}.json" for t in b_terms | t_terms if not search.is_code(t)}
    must |= {f"k-{g}-{shard_of(t, meta['codes'][g])}.json" for t in b_terms if search.is_code(t)}
    may = {k for k, text in files.items() if k.startswith((f"s-{g}-", f"k-{g}-")) and '"afgekapt"' in text}
    return must, may


def _members(files: dict[str, str]) -> list[set[str]]:
    """Per bucket the stable ids its shards name (what the browser finds there)."""
    meta = json.loads(files["meta.json"])
    out: list[set[str]] = [set() for _ in range(meta["emmers"])]
    for name, text in files.items():
        if name.startswith(("s-", "k-")):
            for part in ("b", "t"):
                for _, by_field in json.loads(text).get(part, {}).values():
                    out[int(name.split("-")[1])] |= {ref.split("/")[0] for flat in by_field.values() for ref in flat[::3]}
    return out


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
    meta = json.loads(cold["meta.json"])
    assert meta["emmers"] == 4 and meta["basis"] == 2 and all(meta["shards"])  # 2 base buckets and 2 recent levels
    # One manifest per bucket (format 6: both indexes' shards in one set of files).
    assert warm_report == {"hergebruikt": 0, "berekend": 0, "emmers_hergebruikt": 4, "opgeruimd": 0}
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
    # 8 decisions: 2 base buckets and 2 recent levels; the damaged shard's bucket is merged again.
    assert report["emmers_hergebruikt"] == json.loads(cold["meta.json"])["emmers"] - 1 and report["berekend"] == 0
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
    monkeypatch.setattr(search, "LEVEL_PAGES", (160, 64))  # undone as well: small_levels again
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
    # Its bucket's manifest and the shards that changed went too; the other buckets' stayed.
    buckets = json.loads(build_search_files(views[:16])["meta.json"])["emmers"]
    assert report["emmers_hergebruikt"] == buckets - len(_moved(views[:17], views[:16]))
    assert len(_entries(tmp_path / "cache", search.BUCKETS)) == buckets
    assert report["opgeruimd"] > 1 + len(views[16].files) + 2


def _check(before: dict, after: dict, must: set[str], may: set[str], g: int):
    diff = _changed(before, after)
    assert must <= diff, sorted(must - diff)
    assert diff <= must | may, sorted(diff - must - may)
    assert [k for k in diff if k.startswith(("s-", "k-")) and int(k.split("-")[1]) != g] == []  # no other bucket's file
    return diff


def test_adding_a_decision_rewrites_only_the_newest_level(corpus, tmp_path):
    """The common nightly change: a decision published after the others lands in the newest recent level;
    only that level's shards with its terms change, every file of every other bucket keeps its bytes."""
    extra, views = corpus
    extra = copy.deepcopy(extra)  # a small decision: few terms, so what it must rewrite is a small part of its bucket
    for f in extra.files:
        f.texts = ["Het verzoek om de stukken over de kwelwaterpomp bij het gemaal.", ""]
    cache = Cache(tmp_path / "c")
    before = build_search_files(views, cache)
    added = sorted(views + [extra], key=lambda v: -v.decision.decision_date.toordinal())  # another order, too
    assert extra.decision.publication_date > max(v.decision.publication_date for v in views)
    report: dict = {}
    after = build_search_files(added, cache, None, report)
    assert after == build_search_files(added)  # the same bytes as a build from scratch
    meta = json.loads(after["meta.json"])
    g = _bucket(added, extra)
    assert g == meta["emmers"] - 1 and _moved(views, added) == {g}  # the newest level; nobody else moved
    # The other buckets come from the cache; only the new decision's texts are analysed.
    assert report["emmers_hergebruikt"] == meta["emmers"] - 1 and report["berekend"] == 1 + len(extra.files)
    sid = stable_ids(v.url for v in added)[extra.url]
    assert stable_ids(v.url for v in views).items() <= stable_ids(v.url for v in added).items()
    must, may = _expected(after, extra, sid)
    diff = _check(before, after, must, may, g)
    # Its level's files with its terms (format 6: those of its title and summary too, ~60 here, are in the same
    # files as its text's): less than three quarters of the level, in files and in bytes (search22: with four buckets
    # instead of ten a file holds 2.5 times as many terms, so more of the level's files hold one of its terms).
    level = [k for k in after if k.startswith(f"s-{g}-")]
    assert len([k for k in diff if k.startswith(f"s-{g}-")]) < 0.75 * len(level)
    assert sum(len(after[k]) for k in diff if k.startswith(f"s-{g}-")) < 0.75 * sum(len(after[k]) for k in level)
    # Small against the whole index: the newest level's files and meta.json, its chunk and document lists.
    # (search22: 6 % with two base buckets, whose larger files make the whole index smaller; 5 % with eight.)
    assert sum(len(after.get(k, "")) for k in diff) < 0.08 * sum(map(len, after.values()))


def test_removing_a_decision_rewrites_only_its_terms_shards(corpus):
    _, views = corpus
    before = build_search_files(views)
    gone = views[13]
    after = build_search_files(views[:13] + views[14:])
    sid = stable_ids(v.url for v in views)[gone.url]
    g = _bucket(views, gone)
    assert g < json.loads(before["meta.json"])["basis"]  # an old decision: in the base
    must, may = _expected(before, gone, sid)
    must -= {k for k in before if k.startswith(f"d-{sid}-")}
    diff = _check(before, after, must | {k for k in before if k.startswith(f"d-{sid}-")}, may, g)
    assert not any(k.startswith(f"d-{sid}-") for k in after) and {k for k in before if k.startswith(f"d-{sid}-")} <= diff
    assert not any(sid in text for name, text in after.items() if name.startswith(("s-", "k-")))  # gone from every shard


def test_a_changed_page_rewrites_only_the_shards_of_that_page(corpus):
    """One word added to one page (no entry in the change history: the decision stays in its base bucket):
    its length changes, so the postings of every term of that page, and the new word's; meta.json for
    the bucket's length sum. No decision shard, chunk or document list."""
    _, views = corpus
    before = build_search_files(views)
    changed = copy.deepcopy(views)
    target = changed[17]
    old_text = target.files[2].texts[1]
    target.files[2].texts[1] += " nieuwewoordenreeks"
    after = build_search_files(changed)
    meta = json.loads(after["meta.json"])
    g = _bucket(views, target)
    count = meta["shards"][g]
    words = [t for t in search.terms(old_text + " nieuwewoordenreeks") if not search.is_code(t)]
    must = {"meta.json"} | {f"s-{g}-{shard_of(t, count)}.json" for t in words}
    may = {k for k, text in after.items() if k.startswith(f"s-{g}-") and '"afgekapt"' in text}
    diff = _changed(before, after)
    assert must <= diff and diff <= must | may, (sorted(must - diff), sorted(diff - must - may))
    assert (
        json.loads(before["meta.json"])["statistiek"]["tekst"][g][1]["tekst"][0] + 1
        == meta["statistiek"]["tekst"][g][1]["tekst"][0]
    )


def test_a_change_in_the_history_moves_the_decision_to_the_newest_level(corpus):
    """A document replaced (``approve`` writes the change, dated, in wijzigingen.json): the decision leaves
    its base bucket (its old text must be gone from every published file) for the newest level."""
    _, views = corpus
    before = build_search_files(views)
    changed = copy.deepcopy(views)
    target = changed[5]
    newest = max(v.decision.publication_date for v in views)
    target.files[0].texts[0] = "Vervangen tekst over de kwelwaterpomp."
    target.history = [Change(newest, REPLACED, "1", target.files[0].title)]
    old, new = _bucket(views, views[5]), _bucket(changed, target)
    meta = json.loads(before["meta.json"])
    assert old < meta["basis"] and new == meta["emmers"] - 1 and _moved(views, changed) == {old, new}
    after = build_search_files(changed)
    diff = _changed(before, after)
    assert {k.split("-")[1] for k in diff if k.startswith(("s-", "k-"))} == {str(old), str(new)}
    old_words = set(search.terms(views[5].files[0].texts[0])) - {
        t for v in changed for f in v.files for x in f.texts for t in search.terms(x)
    }
    assert old_words and not any(f'"{w}"' in after[k] for w in old_words for k in after if k.startswith("s-"))


def test_the_index_does_not_depend_on_the_build_history(corpus, tmp_path):
    """Same input, same bytes: nightly builds with one cache (additions, a removal, a change) end with the
    files of one build from scratch; the layout does not depend on the order of the decisions either."""
    extra, views = corpus
    cache = Cache(tmp_path / "c")
    current = views[:30]
    build_search_files(current, cache)
    for k, v in enumerate(views[30:] + [extra]):
        current = current + [v]
        if k == 4:
            current = current[:3] + current[4:]  # a withdrawal
        if k == 7:
            current = copy.deepcopy(current)
            current[-2].history = [Change(current[-1].decision.publication_date, REPLACED, "1", "")]
            current[-2].files[0].texts[0] += " gewijzigd"
        build_search_files(current, cache)
    assert build_search_files(current, cache) == build_search_files(current)
    # meta.json's columns follow the order of the decisions given (newest first); the buckets do not.
    backwards = build_search_files(list(reversed(current)))
    assert {k: v for k, v in backwards.items() if k != "meta.json"} == {
        k: v for k, v in build_search_files(current).items() if k != "meta.json"
    }
    assert layout(current) == layout(list(reversed(current)))


def test_result_lists_equal_one_index_of_everything(corpus):
    """The browser adds the buckets' document frequencies and statistics up (``term_scores`` is its twin):
    every term's scores are those of one bucket holding every decision, whichever bucket a decision is in."""
    import pytest as _pytest

    extra, views = corpus
    views = views + [extra]
    layered = build_search_files(views)
    with _pytest.MonkeyPatch.context() as mp:
        mp.setattr(search, "LEVEL_PAGES", ())
        mp.setattr(search, "MAX_BUCKETS", 1)
        single = build_search_files(views)
    assert json.loads(single["meta.json"])["emmers"] == 1 and json.loads(layered["meta.json"])["emmers"] == 4
    checked = 0
    for kind in ("tekst", "besluiten"):
        texts = (
            [f.texts[0] for v in views[::7] for f in v.files[:1]] if kind == "tekst" else [v.decision.title for v in views[::5]]
        )
        for term in sorted({t for text in texts for t in search.terms(text)})[:40]:
            one = search.term_scores(single, kind, term)
            if not one or len(one) >= 32:  # a term cut to its best postings is not comparable
                continue
            many = search.term_scores(layered, kind, term)
            assert sorted(many) == sorted(one), term
            assert all(abs(many[ref] - one[ref]) < 1e-9 for ref in one), term
            checked += 1
    assert checked > 20


def _shard_path(tmp: Path, text: str) -> Path:
    import hashlib

    return Cache(tmp / "c").file_path(search.SHARDS, hashlib.sha256(text.encode()).hexdigest(), ".json")


@pytest.mark.parametrize(
    "damage",
    [
        _flip,
        lambda p: p.write_bytes(b""),
        lambda p: p.write_text('{"termen":{"geheim":[1,{"tekst":["zzzz/0/1/",1,1]}]}}'),  # valid JSON, not this shard
        lambda p: (p.unlink(), p.mkdir()),
        lambda p: p.write_bytes(b"\x00" * 100_000),
    ],
)
def test_a_damaged_level_shard_is_merged_again_never_published(corpus, tmp_path, damage):
    extra, views = corpus
    cache = Cache(tmp_path / "c")
    cold = build_search_files(views, cache)
    meta = json.loads(cold["meta.json"])
    newest = meta["emmers"] - 1
    victim = _shard_path(tmp_path, cold[f"s-{newest}-0.json"])
    assert victim.is_file()
    victim.chmod(0o644)
    damage(victim)
    damaged = victim.read_bytes() if victim.is_file() else b""
    report: dict = {}
    warm = build_search_files(views, cache, None, report)
    assert warm == cold and report["emmers_hergebruikt"] == meta["emmers"] - 1
    if damaged.strip(b"\x00"):
        assert not any(damaged.decode("utf-8", "replace") == text for text in warm.values())
    assert "geheim" not in "".join(warm.values())
    if not victim.is_dir():  # a folder in its place stays (the cache cannot replace it): merged again each time
        assert victim.read_text() == cold[f"s-{newest}-0.json"]  # stored again, whole


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
    for name, text in cold.items():
        json.loads(text.removeprefix("window.wooSearchShards = ").removesuffix(";\n") if name == search.SHARDS_SCRIPT else text)
    assert any('"x' + "x" * 1000 in text for name, text in cold.items() if name.startswith("s-"))


def test_a_warm_build_links_the_index_from_the_live_site_and_writes_only_what_changed(corpus, tmp_path):
    """warm10: the build's search index is an assembled set (``build._add_search_index``): nothing changed, every file
    is the live file itself (a hard link: same bytes, same time); one decision changed, the files with new bytes are
    written, the others linked, and the whole equals an index made from scratch; a live file touched since the last
    build (rewritten in place) is never linked."""
    import os
    import shutil

    from publish.build import _add_search_index
    from publish.incremental import LiveReuse
    from publish.pagecache import Fragments

    _, views = corpus
    views = copy.deepcopy(views[:8])
    changed = copy.deepcopy(views)
    changed[3].decision.title = "Een geheel andere titel over dijkversterking"
    cache, live = Cache(tmp_path / "cache"), tmp_path / "live"
    index = live / "zoeken" / "index"

    def build(views) -> tuple[LiveReuse, dict[str, bytes], dict[str, bool]]:
        """A build into a new folder swapped in as the live site (as ``swap_in``, then the record saved): what it
        linked, the files it gave, and per file whether it was the live file itself."""
        new = tmp_path / "nieuw"
        reuse = LiveReuse(cache, live)
        _add_search_index(views, new, cache, tmp_path, reuse, Fragments(cache))
        made = new / "zoeken" / "index"
        files = {p.name: p.read_bytes() for p in made.iterdir()}
        linked = {name: (index / name).exists() and os.path.samefile(made / name, index / name) for name in files}
        shutil.rmtree(live, ignore_errors=True)
        os.rename(new, live)
        reuse.save()
        return reuse, files, linked

    _, first, _ = build(views)
    assert first == {name: text.encode("utf-8") for name, text in build_search_files(views).items()}

    reuse, files, linked = build(views)  # nothing changed
    assert files == first and all(linked.values()) and reuse.linked == len(first)

    reuse, files, linked = build(changed)  # one decision changed
    expected = {name: text.encode("utf-8") for name, text in build_search_files(changed).items()}
    assert files == expected
    same = {name for name in expected if first.get(name) == expected[name]}
    assert same and len(same) < len(expected)
    assert {name for name, was in linked.items() if was} == same and reuse.linked == len(same)

    (index / "meta.json").write_bytes(expected["meta.json"])  # the same bytes, written in place: a new change time
    reuse, files, linked = build(changed)
    assert files == expected
    assert not linked["meta.json"] and all(was for name, was in linked.items() if name != "meta.json")

    gone = changed[5]  # a decision withdrawn: its document lists vanish, nothing of it is linked back
    rest = [v for v in changed if v is not gone]
    reuse, files, linked = build(rest)
    fewer = {name: text.encode("utf-8") for name, text in build_search_files(rest).items()}
    assert files == fewer and any(name not in fewer for name in expected)
    assert gone.decision.kenmerk in b"".join(expected.values()).decode("utf-8")
    assert gone.decision.kenmerk not in b"".join(files.values()).decode("utf-8")
