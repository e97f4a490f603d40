"""The search index: prebuilt here, queried in the browser (woo-search.js) with lunr-languages' Dutch pipeline.

Design, so that what a browser loads per query stays bounded as the site grows:

- ``meta.json``: one compact row per decision (stable id, year, facet indexes, dates) for facets,
  sorting and kenmerk search; display data lives in per-decision files (``d-<id>-N.json``), loaded only
  for the results shown. Format 7: ``d-<id>-0.json`` is ``{"besluit": [title, kenmerk, url, summary,
  number of files], "documenten": [the first DOCUMENTS_PER_FILE documents]}``, ``d-<id>-N.json`` (N >= 1)
  ``{"documenten": [...]}``; a document is ``[title, PDF, own page, assessment, day]``. So a result costs
  one request (format 6 had the decision's row in a ``c-N.json`` chunk of several decisions besides, two
  requests per result and other decisions' rows; issue 19, measured in benchmarks/README.md). And
  ``zoek-shards.js``: meta.json's shard counts as a script the search page runs before ``woo-search.js``,
  so the query's shards are requested at once (meta.json's first bytes name them too, for an index
  without the script).
- ``s-G-N.json`` (format 6): under ``b`` the decision-level index (title, subjects, organisation, summary,
  document titles); under ``t`` the title of every published PDF (as page 0) and the full text of its
  pages. A query loads only the shards of its terms: shard = FNV-1a(term) mod the bucket's number of
  shards, one file per bucket and term for both indexes (formats 4 and 5 had a file for each, so twice
  the requests). ``k-G-N.json``: terms with a digit (``is_code``: kenmerken, years, numbers) of the
  decision index, where the browser looks every query word with a digit up; so a kenmerk query does not
  load text postings, and the text's own numbers, which no query reaches, are not published.
- Format 4 (issue 19): a shard is ``{"termen": {term: [df, {field: [ref, count, length, ...]}]}}``;
  woo-search.js scores BM25 exactly as lunr.js 2.3 did (k1 1.2, b 0.75, field boosts; ``shard_scores`` and
  ``term_scores`` are its Python twins). Format 5: over the whole index, the document frequencies of a
  term's shards and the buckets' statistics (``meta.json``'s ``statistiek``) added up in the browser, so
  a score does not depend on the bucket a decision is in, and no shard holds a statistic of another.

Stable files, so that a nightly sync uploads little (issue 19):

- Every decision has a stable id (base 36 of FNV-1a over its URL) used in every ref: ``id`` in the
  decision index, ``id/file/page/date`` in the text index (page 0 is the file's title; date is the
  document's date in days since 1970, base 36, empty when unknown). Positions are never used.
- The index is split into buckets, each with its own shards (its own shard count) and statistics: the
  base buckets, by stable id (G = id mod the base count, a power of two that changes only when the number
  of decisions crosses one), and after them the recent levels (``LEVEL_PAGES``), newest last
  (``layout``). A decision changes only the files of its bucket(s) that hold its terms, its chunk, its
  document lists and ``meta.json``.

The layout (format 5, issue 19), and why it is what it is. A change must rewrite every shard that holds
a term of the changed decision (a decision has hundreds to thousands of terms, so in practice every
shard of its bucket): the only way to make a change cheap is for the changed decision to sit in a
*small* bucket. That is an LSM's delta segment. But the output must be a pure function of the input
(the same input gives the same bytes, whatever builds came before), so which decisions are "recent"
cannot be the build history: it is read from the input, the decision's publication date or the date of
the newest entry of its public change history (``recency``; ``approve`` writes one when approved files
change, ``withdraw`` when a document is withdrawn). Each recent level holds the decisions of the largest
aligned block of 2**j days (aligned on days since 1970, so blocks never shift) ending at the level above
it that stays within its page budget; the newest level ends at the newest date of the input. A new or
re-approved decision lands in the newest level (at most 128 pages: a few small files); when the newest
date moves into the next block, or the level outgrows its budget, its decisions move to the older level
(at most 2048 pages), and from there to the base: deterministic merges by size class, amortised over
the decisions that arrive between them, and independent of the archive's size except for the
base merge (every 2048 pages published). Deliberately not used: tombstones (a list of removed decisions
the browser skips while their postings stay in older segments) - they depend on the build history, and
they would leave the text of a withdrawn decision or document in the published files until the next
merge, which the Woo does not allow (a withdrawal is often because something must not be public). So a
decision removed or changed in place (without a history entry) rewrites the shards of its own base
bucket that hold its terms; its bucket is merged again from the analysed texts in the cache.

Format 6 (issue 19), what a change of an old decision costs against what a query costs. A decision
has hundreds to thousands of distinct terms, so in any layout where a file holds whole postings lists
of a group of terms, a change rewrites about every file of the partition (bucket) it is in: the bytes
rewritten are about the bucket's size (measured: a removal rewrites about half of its bucket's files at
1,000 decisions, more at smaller sizes), and only more partitions bring them down, at one request per
partition and term. Format 6 spends the request that format 5 spent on a second file per bucket (the
decision index and the text index had a file each) on more base buckets (``MAX_BUCKETS`` 8, was 4): a
term costs 10 requests instead of 12 and a change of an old decision rewrites half as much. Files per
term together stay within ``TARGET_SHARD_BYTES``. A file per term would rewrite less still (about a
third, measured at 300 decisions) but gives tens of thousands of files; tombstones are ruled out above.

Two base buckets (issue 19, search22; was 8 since format 6): a request costs a phone's main thread several
milliseconds (the ``fetch()`` call and its response's tasks at 4x CPU throttling), and 10 files per word kept the
first result above 300 ms at 10,000 decisions. With two base buckets a word costs 4 files (2 base, 2 recent
levels); measured (benchmarks/README.md, "Two base buckets"): at 10,000 decisions the query at 4x falls by
about a fifth, and a change of a *base* decision (a withdrawal or re-approval of an old decision, rare against the
nightly additions, which land in the newest level and rewrite the same bytes as before) rewrites about three
times the bytes (1,000 decisions: 6.9 MB against 2.4 MB) and merges a bucket four times the size. One base
bucket (3 files per word) would rewrite four times the bytes and merge the whole base on such a change, for
little more speed.

Incremental (issue 19): the analysed form of every decision and document (terms and counts, field
lengths) is kept in the build cache, keyed by its text and the analyser's version (``ANALYSER_VERSION``,
from the analyser's source, stop words and Snowball's); a bucket whose decisions did not change is
copied from the cache whole (``_Analysed``), each shard checked against its SHA-256 (a damaged one makes
its bucket merge again; it is never published). A cold and a warm build give the same bytes.

The pipeline is lunr-languages' Dutch one (``trimmer-nl``, ``stopWordFilter-nl``) with our own
stemmer ``stemmer-nl-woo``: Snowball's ``dutch_porter`` (the stems lunr.nl.js gives) wrapped in a light
inflection step so singular and plural meet; ``publish/site/site_src/assets/woo-stem.js`` is the same function for
the browser (tested under Node on the same words). The stop words are
shipped in ``data/stopwoorden-nl.txt``: nothing is downloaded.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Generator, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import snowballstemmer
from lunr.pipeline import Pipeline

from .libc import release_free_memory
from .markdown_safe import plain_text

INDEX_VERSION = 7
K1, B = 1.2, 0.75
TARGET_SHARD_BYTES = 32_000  # what one term costs a query (JSON bytes), all buckets and both indexes together
MAX_POSTINGS = 400  # per term in the full-text index (all buckets together): the best-scoring pages only
MAX_DECISION_POSTINGS = 1500  # per term in the decision index
MAX_BUCKETS = 2  # more buckets rewrite less but cost a query one request per bucket and term (search22: was 8)
DECISIONS_PER_BUCKET = 4  # at least, on average: buckets = the power of two at most decisions / 4
DOCUMENTS_PER_FILE = 100  # documents per ``d-<id>-N.json``
SHARDS_SCRIPT = "zoek-shards.js"  # format 7: meta.json's shard counts as a script (templates/search.html loads it)
# The recent levels (issue 19), newest last: how many pages (a decision, its documents' titles and their
# pages) each holds at most. A level holds the decisions of an aligned block of 2**j days (j at most
# MAX_LEVEL_DAYS_LOG2), the largest block that fits; see ``layout``.
LEVEL_PAGES = (2048, 128)
MAX_LEVEL_DAYS_LOG2 = 12
EPOCH = __import__("datetime").date(1970, 1, 1)

WORD_CHARACTERS = (
    "A-Za-z\xaa\xba\xc0-\xd6\xd8-\xf6\xf8-\u02b8\u02e0-\u02e4\u1d00-\u1d25\u1d2c-\u1d5c\u1d62-\u1d65"
    "\u1d6b-\u1d77\u1d79-\u1dbe\u1e00-\u1eff\u2071\u207f\u2090-\u209c\u212a\u212b\u2132\u214e"
    "\u2160-\u2188\u2c60-\u2c7f\ua722-\ua787\ua78b-\ua7ad\ua7b0-\ua7b7\ua7f7-\ua7ff\uab30-\uab5a"
    "\uab5c-\uab64\ufb00-\ufb06\uff21-\uff3a\uff41-\uff5a"
)
_TRIM = re.compile(f"^[^{WORD_CHARACTERS}]+|[^{WORD_CHARACTERS}]+$")
_SEPARATOR = re.compile(r"[\s\-]+")
STOP_WORDS = frozenset((Path(__file__).parent / "data" / "stopwoorden-nl.txt").read_text(encoding="utf-8").split())
_STEMMER = snowballstemmer.stemmer("dutch_porter")


def trim(word: str) -> str:
    return _TRIM.sub("", word)


_VOWELS = "aeiouyè"


def _normalise(w: str) -> str:
    """Plural endings that Snowball's Dutch stemmer leaves alone (organisaties, procedures, gegevens).

    Mirrors ``normalise`` in ``publish/site/site_src/assets/woo-stem.js`` rule for rule: the browser stems queries
    with that file, so both must give the same stem for every word (tested under Node).
    """
    if re.search(r"['’]s$", w):
        w = w[:-2]
    if len(w) >= 6 and w.endswith("essen"):
        w = w[:-3]
    if len(w) >= 6 and w.endswith("heden"):
        w = w[:-5] + "heid"
    if len(w) >= 6 and w.endswith("zen"):
        w = w[:-3] + "s"
    if len(w) >= 7 and w.endswith("enen"):
        w = w[:-2]
    if len(w) >= 5 and w.endswith("ies"):
        return w[:-1]
    if len(w) >= 6 and w.endswith("es") and w[-3] not in _VOWELS:
        return w[:-1]
    if len(w) >= 7 and w.endswith("ens"):
        return w[:-1]
    return w


def _finish(s: str) -> str:
    """The f/v alternation (brief/brieven) and doubled final consonants (gevallen, voorstellen)."""
    if len(s) >= 4 and s.endswith("v"):
        return s[:-1] + "f"
    if len(s) >= 4 and s[-1] == s[-2] and s[-1] not in _VOWELS:
        return s[:-1]
    return s


def inflection_recall(pairs: list[tuple[str, str]], stemmer=None) -> float:
    """Share of word pairs (singular/plural, inflections) that get the same stem: what a query for one
    form finds of the other. ``stemmer`` defaults to the search stemmer."""
    stemmer = stemmer or stem
    return sum(stemmer(a) == stemmer(b) for a, b in pairs) / max(1, len(pairs))


def snowball_stem(word: str) -> str:
    """Plain Snowball (lunr.nl.js's stemmer), kept to measure what the inflection step adds."""
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _finish(_STEMMER.stemWord(_normalise(word)))


# Issue 19 (mem19): the memo of ``stem`` kept to at most this many words while texts are analysed, emptied when it holds
# more (``forget_memos``); its ``maxsize`` above is part of the analyser's source (``ANALYSER_VERSION``), so it is not
# changed there: changing it would make every cached analysed text stale. At 200,000 words the memo held some 30 MiB
# (about 155 bytes a word), filled by the rare words of a first build; the common words are stemmed again after each
# emptying, a few thousand words.
STEM_MEMO_WORDS = 50_000


def forget_memos(stems_kept: int = 0) -> None:
    """Empty the memos of ``stem`` (when it holds more than ``stems_kept`` words) and ``_bucket`` (when ``stems_kept``
    is 0: at the end of the search index phase). Memos only: the output does not depend on them."""
    if stem.cache_info().currsize > stems_kept:
        stem.cache_clear()
    if not stems_kept:
        _bucket.cache_clear()


def terms(text: str, stop_words: bool = True) -> list[str]:
    """lunr's tokenizer (lower case, split on white space and hyphens) and the Dutch pipeline."""
    out = []
    for raw in _SEPARATOR.split((text or "").lower()):
        word = trim(raw)
        if not word or (stop_words and word in STOP_WORDS):
            continue
        out.append(stem(word))
    return out


def _register_with_lunr() -> None:
    """Register the Dutch pipeline functions with lunr.py under the names lunr.js uses."""

    def trimmer_nl(token, i, tokens):
        return token.update(lambda s, m: trim(s))

    def stop_word_filter_nl(token, i, tokens):
        return None if str(token) in STOP_WORDS else token

    def stemmer_nl(token, i, tokens):
        return token.update(lambda s, m: stem(s))

    for fn, name in ((trimmer_nl, "trimmer-nl"), (stop_word_filter_nl, "stopWordFilter-nl"), (stemmer_nl, "stemmer-nl-woo")):
        if name not in Pipeline.registered_functions:
            Pipeline.register_function(fn, name)


_register_with_lunr()


def fnv1a(text: str) -> int:
    """FNV-1a (32 bits) over the UTF-8 bytes; the browser computes the same."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def shard_of(term: str, shards: int) -> int:
    return fnv1a(term) % shards


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def _floor_power_of_two(n: int) -> int:
    return 1 << (max(1, n).bit_length() - 1)


def bucket_count(decisions: int) -> int:
    """How many index buckets: changes only when the number of decisions crosses a power of two."""
    return min(MAX_BUCKETS, _floor_power_of_two(decisions // DECISIONS_PER_BUCKET))


def stable_ids(urls) -> dict[str, str]:
    """A short id per decision URL that stays the same from build to build: base 36 of FNV-1a of the
    URL. Collisions (rare: about 1 in 80 sites of 10,000 decisions) are resolved in URL order, so
    the id of a decision only changes when a new decision with the same hash sorts before it."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for url in sorted(set(urls)):
        k = 0
        while True:
            candidate = _base36(fnv1a(url if k == 0 else f"{url}#{k}"))
            if candidate not in used:
                break
            k += 1
        used.add(candidate)
        ids[url] = candidate
    return ids


def bucket_of(stable_id: str, buckets: int) -> int:
    return int(stable_id, 36) % buckets


def recency(view) -> int:
    """When a decision last changed, in days since 1970: its publication date, or the date of the newest
    entry of its public change history (``wijzigingen.json``: ``approve`` of other files, a withdrawn
    document) when that is later. Part of the input, so the index layout stays a pure function of it."""
    changed = getattr(view, "changed", None)  # a DecisionView and its summary tell it (issue 19)
    if changed is None:  # benchmarks pass plain decisions
        changed = max([view.decision.publication_date] + [c.date for c in getattr(view, "history", None) or ()])
    return (changed - EPOCH).days


def weight(view) -> int:
    """A decision's size for the recent levels' budgets: itself, and per document its title and its pages."""
    carried = getattr(view, "search_weight", None)  # a compact summary carries it (issue 19, pages.DecisionSummary)
    if carried is not None:
        return carried
    return 1 + sum(1 + len(f.texts) for f in view.files)


def _level_start(days: list[int], totals: list[int], upper: int, budget: int) -> int:
    """The first day of a level that ends before ``upper``: the start of the largest aligned block of 2**j
    days holding day ``upper - 1`` whose decisions weigh at most ``budget``; ``upper`` (an empty level)
    when not even that one day fits. ``days``: the days with decisions, ascending; ``totals``: the
    cumulative weights (``totals[k]`` = weight of the days before ``days[k]``)."""
    from bisect import bisect_left

    def weight_from(start: int) -> int:
        return totals[bisect_left(days, upper)] - totals[bisect_left(days, start)]

    best = upper
    for j in range(MAX_LEVEL_DAYS_LOG2 + 1):
        start = ((upper - 1) >> j) << j
        if weight_from(start) > budget:
            break
        best = start
    return best


def layout(views, ids: dict[str, str] | None = None) -> tuple[int, dict[str, int]]:
    """Which index bucket each decision is in (issue 19): (number of buckets, {stable id: bucket}).

    A pure function of the input (ids, change dates and sizes), never of the build history, so a cold
    build and any sequence of warm builds give the same bytes. Buckets ``0 .. base-1`` are the base,
    by stable id (``bucket_of``); then one bucket per recent level (``LEVEL_PAGES``), newest last. The
    newest level holds the decisions changed or published in the last aligned block of days that fits
    its budget, the level before it the block before that: a new or changed decision lands in the
    newest level, whose few small files are all that change (with ``meta.json``, its chunk and document
    lists). A level's content moves on to the older level (or the base) only when its block ends or
    it outgrows its budget: a merge, determined by the dates alone. See docs/beheer.md, "Zoekindex"."""
    ids = ids if ids is not None else stable_ids(v.url for v in views)
    base = bucket_count(len(views))
    rows = [(recency(v), ids[v.url], weight(v)) for v in views]
    per_day: dict[int, int] = defaultdict(int)
    for day, _, w in rows:
        per_day[day] += w
    days = sorted(per_day)
    totals = [0]
    for day in days:
        totals.append(totals[-1] + per_day[day])
    starts: list[int] = []  # per level, oldest first: its first day
    upper = days[-1] + 1 if days else 0
    for budget in reversed(LEVEL_PAGES):
        upper = _level_start(days, totals, upper, budget)
        starts.insert(0, upper)
    out = {}
    for day, sid, _ in rows:
        level = len([start for start in starts if day >= start])  # 0: the base; k: the k-th level
        out[sid] = bucket_of(sid, base) if level == 0 else base + level - 1
    return base + len(LEVEL_PAGES), out


def _analyser_version() -> str:
    """What the analysed form of a text depends on: the tokeniser, trimmer, stop words, normalisation and
    stemmer (their source and Snowball's), and the shape of the cached value. A change to any of them
    gives new cache keys, so nothing analysed by older code is used (as ``PDF_CODE_VERSION`` does)."""
    import hashlib
    import inspect

    digest = hashlib.sha256(b"analysed-v1")
    for fn in (trim, _normalise, _finish, stem, terms, analyse, kenmerk_terms, compact):
        digest.update(inspect.getsource(fn).encode("utf-8"))
    digest.update(WORD_CHARACTERS.encode("utf-8") + _SEPARATOR.pattern.encode("utf-8") + _VOWELS.encode("utf-8"))
    digest.update("\n".join(sorted(STOP_WORDS)).encode("utf-8"))
    digest.update(snowballstemmer.__name__.encode() + str(getattr(snowballstemmer, "__version__", "")).encode())
    digest.update(Path(inspect.getfile(type(_STEMMER))).read_bytes())
    return digest.hexdigest()[:12]


def analyse(values: dict[str, str], raw: frozenset = frozenset()) -> dict[str, list]:
    """The analysed form of one document's fields, as the index needs it and as the cache keeps it:
    ``{field: [length, [term, count, term, count, ...]]}`` (terms in order of first occurrence).
    ``raw``: fields whose words are indexed as they are (kenmerken), without the pipeline."""
    out: dict[str, list] = {}
    for name, value in values.items():
        tokens = (value or "").split() if name in raw else terms(value)
        counts: dict[str, int] = {}
        for t in tokens:
            counts[t] = counts.get(t, 0) + 1
        flat: list = []
        for t, n in counts.items():
            flat += (t, n)
        out[name] = [len(tokens), flat]
    return out


def _valid_analysed(value, fields) -> bool:
    """A cached analysed form has the shape ``analyse`` gives (a damaged entry that still parses is refused)."""
    if not isinstance(value, dict) or not set(value) <= set(fields):
        return False
    for entry in value.values():
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], int) and isinstance(entry[1], list)):
            return False
        flat = entry[1]
        if len(flat) % 2 or not all(isinstance(t, str) and isinstance(n, int) and n > 0 for t, n in zip(flat[::2], flat[1::2])):
            return False
    return True


def bm25(idf: float, tf: int, length: int, average: float, boost: float) -> float:
    """One posting's score, as lunr.js 2.3 scores (k1 1.2, b 0.75) and as woo-search.js computes it."""
    return idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * (length / average)) + tf) * boost


def inverse_document_frequency(documents: int, df: int) -> float:
    return math.log(1 + abs((documents - df + 0.5) / (df + 0.5)))


def shard_scores(
    shard: dict, statistics: list, boosts: dict[str, float], frequencies: dict[str, int] | None = None
) -> dict[str, dict[tuple[str, str], float]]:
    """``{term: {(field, ref): score}}`` of one shard, computed as woo-search.js does: ``statistics`` is
    [documents, {field: [length sum, length count]}] of the whole index (``combined_statistics`` of
    ``meta.json``'s ``statistiek``), ``frequencies`` a term's document frequency over all buckets (the
    sum of its ``df`` in the shards of every bucket; default: this shard's)."""
    documents, lengths = statistics
    average = {name: (s / c if c else 0.0) or 1.0 for name, (s, c) in lengths.items()}
    out: dict[str, dict[tuple[str, str], float]] = {}
    for t, (df, by_field) in shard["termen"].items():
        idf = inverse_document_frequency(documents, (frequencies or {}).get(t, df))
        entry = out[t] = {}
        for name, flat in by_field.items():
            for k in range(0, len(flat), 3):
                entry[(name, flat[k])] = bm25(idf, flat[k + 1], flat[k + 2], average.get(name, 1.0), boosts[name])
    return out


def combined_statistics(rows: list) -> list:
    """The statistics of the whole index from those of its buckets, as woo-search.js adds them up."""
    documents = 0
    lengths: dict[str, list[int]] = {}
    for count, by_field in rows:
        documents += count
        for name, (total, number) in by_field.items():
            s = lengths.setdefault(name, [0, 0])
            s[0] += total
            s[1] += number
    return [documents, lengths]


def shard_names(meta: dict, term: str) -> list[str]:
    """The files (under zoeken/index/) that hold a term, one per bucket with files, as woo-search.js's
    ``shardNames``: ``s-`` files for a word (both indexes), ``k-`` files for a code (``is_code``)."""
    prefix, counts = ("k", meta["codes"]) if is_code(term) else ("s", meta["shards"])
    return [f"{prefix}-{g}-{shard_of(term, count)}.json" for g, count in enumerate(counts) if count]


def term_scores(files: dict[str, str], kind: str, term: str) -> dict[str, float]:
    """``{ref: score}`` of one term over an index's files ({name: JSON text}), as woo-search.js's
    ``searchShard`` computes it: the term's shard of every bucket, the statistics added up."""
    meta = json.loads(files["meta.json"])
    part = {"besluiten": "b", "tekst": "t"}[kind]
    if is_code(term) and part == "t":  # never looked up: not in the index
        return {}
    entries = []
    for name in shard_names(meta, term):
        termen = json.loads(files[name])[part]
        if term in termen:
            entries.append(termen[term])
    statistics = combined_statistics(meta["statistiek"][kind])
    df = sum(e[0] for e in entries)
    out: dict[str, float] = {}
    for entry in entries:
        for (_, ref), score in shard_scores({"termen": {term: entry}}, statistics, meta["velden"][kind], {term: df})[
            term
        ].items():
            out[ref] = out.get(ref, 0.0) + score
    return out


SPILL_BUCKETS = 256  # postings are kept by FNV-1a(term) mod this (a power of two, at most the 4096 shards)
# Postings held in memory before they go to temporary files (issue 19: about 140 bytes each in Python, so this
# bounds the index phase to some 14 MB of postings whatever the archive's size; the output does not depend on it;
# mem11: was 250,000, which with the bucket's grouped postings made the largest part of the phase's peak).
SPILL_POSTINGS = 100_000


# A memo only: the vocabulary grows with the archive, this cache must not (mem11: 50,000 terms, was 200,000, about
# 150 bytes a term with the term itself; the common terms that make most postings stay in it).
@lru_cache(maxsize=50_000)
def _bucket(term: str) -> int:
    return shard_of(term, SPILL_BUCKETS)


class _Spill:
    """One temporary file per bucket, appended to in pickled batches and read back whole, one bucket at a
    time. The files are removed on close; a killed build leaves them in ``parent`` (the build's own
    work folder, removed by the next build)."""

    def __init__(self, parent: Path | None = None):
        import tempfile

        self.folder = tempfile.TemporaryDirectory(prefix="woo-zoekindex-", dir=parent)
        self.used: set[int] = set()

    def _path(self, b: int) -> Path:
        return Path(self.folder.name) / f"{b}.bin"

    def append(self, b: int, items: list) -> None:
        if not items:
            return
        import pickle

        with open(self._path(b), "ab") as handle:
            pickle.dump(items, handle, protocol=pickle.HIGHEST_PROTOCOL)
        self.used.add(b)

    def batches(self, b: int) -> Iterator[list]:
        """A bucket's batches one at a time, in the order they were appended (issue 19: a caller that can fold
        them as they come never holds the bucket whole)."""
        if b not in self.used:
            return
        import pickle

        with open(self._path(b), "rb") as handle:
            while True:
                try:
                    yield pickle.load(handle)
                except EOFError:
                    return

    def read(self, b: int) -> list:
        out: list = []
        for batch in self.batches(b):
            out += batch
        return out

    def close(self) -> None:
        self.folder.cleanup()


def _json_len(value) -> int:
    return len(json.dumps(value, ensure_ascii=False))


class ShardedIndex:
    """Builds the term-sharded index of one bucket (format: see ``_serialise``), BM25 scored as lunr.js
    scores, but scored in the browser: a shard holds per term its document frequency and per posting
    the term's count and the field's length; the bucket's document count and field lengths are in
    ``meta.json`` only (``statistics``). So a decision added or removed changes only the shards of its
    own terms (issue 19), not every shard of its bucket as baked-in scores did.

    Issue 19: the postings of a whole archive's pages do not fit in memory. ``add`` keeps them in
    buckets by term (``SPILL_BUCKETS``, a power of two, so a bucket holds whole shards or a whole shard
    holds whole buckets); past ``spill_postings`` they are appended to one temporary file per bucket.
    ``shards`` then handles one bucket at a time (every posting of a term is in its bucket), keeps only
    the capped postings, on disk as well when spilled, and builds each shard from its buckets.
    The output is the same whether or not anything was spilled."""

    def __init__(
        self,
        fields: dict[str, float],
        max_postings: int | None = None,
        spill_postings: int = SPILL_POSTINGS,
        spill_dir: Path | None = None,
    ):
        self.fields = fields  # name -> boost
        self.spill_dir = spill_dir  # where temporary files go (None: the system's temporary folder)
        self.max_postings = max_postings
        self.spill_postings = spill_postings
        self._buffers: list[list[tuple[str, str, str, int, int]]] = [[] for _ in range(SPILL_BUCKETS)]
        self._buffered = 0
        self._spill: _Spill | None = None
        self._length_sum = dict.fromkeys(fields, 0)
        self._length_count = dict.fromkeys(fields, 0)
        self.count = 0
        self.capped: set[str] = set()  # terms whose postings were cut to the best ones

    def add(self, ref: str, values: dict[str, str], raw: frozenset = frozenset()) -> None:
        """``raw``: fields whose words are indexed as they are (kenmerken), without the pipeline."""
        self.add_analysed(ref, analyse({name: values[name] for name in self.fields if name in values}, raw))

    def add_analysed(self, ref: str, analysed: dict[str, list]) -> None:
        """One document in the form ``analyse`` gives (from the cache on a warm build)."""
        self.count += 1
        for name in self.fields:
            if name not in analysed:  # a field left out does not count towards that field's average length
                continue
            length, flat = analysed[name]
            self._length_sum[name] += length
            self._length_count[name] += 1
            buffers = self._buffers
            for k in range(0, len(flat), 2):
                t = flat[k]
                buffers[_bucket(t)].append((t, name, ref, flat[k + 1], length))
            self._buffered += len(flat) // 2
        if self._buffered >= self.spill_postings:
            self._spill = self._spill or _Spill(self.spill_dir)
            for b, buffer in enumerate(self._buffers):
                self._spill.append(b, buffer)
                buffer.clear()
            self._buffered = 0

    def statistics(self) -> list:
        """What the browser scores with, for ``meta.json``: [documents, {field: [length sum, length count]}]."""
        return [self.count, {name: [self._length_sum[name], self._length_count[name]] for name in self.fields}]

    def _bucket_batches(self, b: int) -> Iterator[list[tuple[str, str, str, int, int]]]:
        if self._spill is not None:
            yield from self._spill.batches(b)
        yield self._buffers[b]

    def shards(self, target_bytes: int = TARGET_SHARD_BYTES) -> list[dict]:
        """The index split by term into a power of two of shards of about ``target_bytes`` each."""
        return list(self.iter_shards(target_bytes))

    def iter_shards(self, target_bytes: int = TARGET_SHARD_BYTES) -> Iterator[dict]:
        """The shards one at a time, in order (``shards()`` as a list): the caller writes each and lets it go."""
        phases = self.phases()
        yield from shards_of(phases, shard_count(next(phases), target_bytes))

    def phases(self) -> Generator[Any, int, None]:
        """The shards in two phases, so that two indexes can share a shard count (format 6: a bucket's decision
        and text index in one file): first yields the size of the index (JSON bytes), is then sent the number
        of shards (``shards_of``), and yields them one at a time."""
        try:
            yield from self._shards()
        finally:
            if self._spill is not None:
                self._spill.close()
                self._spill = None
            self._buffers = [[] for _ in range(SPILL_BUCKETS)]

    def _shards(self) -> Generator[Any, int, None]:
        average = {name: (self._length_sum[name] / max(1, self._length_count[name])) or 1.0 for name in self.fields}
        spilled = self._spill is not None
        kept_on_disk = _Spill(self.spill_dir) if spilled else None
        kept: list[dict[str, tuple[int, list]]] = []
        any_term = False
        size = 0
        try:
            boost, cap = self.fields, self.max_postings

            def best_first(p: tuple[str, str, int, int]) -> tuple[float, str, str]:
                # The best pages, by their score now (idf is the same for all of them); field and ref break ties,
                # so the order is total and the best ``cap`` of a term do not depend on the order postings came in.
                return (-round(bm25(1.0, p[2], p[3], average[p[0]], boost[p[0]]), 6), p[0], p[1])

            for b in range(SPILL_BUCKETS):
                postings: dict[str, list[tuple[str, str, int, int]]] = defaultdict(list)
                frequency: dict[str, int] = defaultdict(int)
                for batch in self._bucket_batches(b):
                    for t, name, ref, tf, length in batch:
                        entry = postings[t]
                        entry.append((name, ref, tf, length))
                        frequency[t] += 1
                        if cap and len(entry) >= 2 * cap:
                            # Issue 19: a common term of a large bucket has hundreds of thousands of postings;
                            # only its best ``cap`` are published, so only those (and the count) are held.
                            entry.sort(key=best_first)
                            del entry[cap:]
                    del batch
                self._buffers[b] = []  # read once: not held beside its grouped form (mem11)
                bucket: dict[str, tuple[int, list]] = {}
                for t in sorted(postings):
                    entry = postings[t]
                    df = frequency[t]
                    if cap and df > cap:
                        self.capped.add(t)
                        entry = sorted(entry, key=best_first)[:cap]
                    entry.sort(key=lambda p: (p[0], p[1]))
                    bucket[t] = (df, entry)
                    # Exactly what the JSON holds, but for the field names and brackets (few per term).
                    # Refs are ASCII (base 36, digits, slashes): their JSON is their length and two quotes.
                    size += sum(len(ref) + len(str(tf)) + len(str(length)) + 5 for _, ref, tf, length in entry)
                    size += _json_len(t) + len(str(df)) + 16 * len(self.fields) + 6
                del postings, frequency
                any_term = any_term or bool(bucket)
                if kept_on_disk is not None:
                    kept_on_disk.append(b, list(bucket.items()))
                    bucket = {}
                kept.append(bucket)
            count = yield (size if any_term else 0)

            def postings_of(b: int) -> dict[str, tuple[int, list]]:
                if kept_on_disk is None:
                    return kept[b]
                return dict(kept_on_disk.read(b))

            def shard(i: int, count: int) -> dict:
                group: dict[str, tuple[int, list]] = {}
                if count <= SPILL_BUCKETS:
                    for b in range(i, SPILL_BUCKETS, count):
                        group.update(postings_of(b))
                else:
                    group = {t: e for t, e in postings_of(i % SPILL_BUCKETS).items() if shard_of(t, count) == i}
                return self._serialise(group)

            for i in range(count):
                yield shard(i, count)
        finally:
            if kept_on_disk is not None:
                kept_on_disk.close()

    def _serialise(self, group: dict[str, tuple[int, list]]) -> dict:
        """``{"termen": {term: [df, {field: [ref, count, length, ref, count, length, ...]}]}, "afgekapt": [...]}``:
        terms sorted, postings by field and ref. ``afgekapt``: terms so common that only their best postings
        are kept, so a query does not require them."""
        out: dict[str, list] = {}
        for t in sorted(group):
            df, entry = group[t]
            by_field: dict[str, list] = {}
            for name, ref, tf, length in entry:
                by_field.setdefault(name, []).extend((ref, tf, length))
            out[t] = [df, {name: by_field[name] for name in self.fields if name in by_field}]
        shard: dict[str, Any] = {"termen": out}
        capped = sorted(t for t in group if t in self.capped)
        if capped:
            shard["afgekapt"] = capped
        return shard


def shard_count(size: int, target_bytes: int = TARGET_SHARD_BYTES) -> int:
    """How many shards an index of ``size`` JSON bytes gets: the count depends on the total size only (a power
    of two), so one term growing does not reshuffle."""
    count = 1
    while size / count > target_bytes and count < 4096:
        count *= 2
    return count


def shards_of(phases: Generator[Any, int, None], count: int) -> Iterator[dict]:
    """The ``count`` shards of an index whose ``ShardedIndex.phases`` has given its size."""
    yield phases.send(count)
    yield from phases


def combined_shard(decisions: dict, texts: dict | None = None) -> dict:
    """One file of a bucket (format 6): the shard of the decision index (``b``) and of the text index (``t``)
    with the same number, so that a term costs a query one request per bucket, not two; a code file
    (``texts`` None) has only ``b``. ``afgekapt``: the capped terms of both (a term capped in either only adds
    to a score when other words are required)."""
    shard: dict[str, Any] = {"b": decisions["termen"]}
    if texts is not None:
        shard["t"] = texts["termen"]
    capped = sorted(set(decisions.get("afgekapt", ())) | set((texts or {}).get("afgekapt", ())))
    if capped:
        shard["afgekapt"] = capped
    return shard


def compact(text: str) -> str:
    """How kenmerken and ground codes are matched: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


def kenmerk_terms(kenmerk: str) -> str:
    """The whole kenmerk, each of its parts and each run of neighbouring parts, so '2024-0000034173',
    '34173', and for 'BZK 2025/123.4' also '2025/123.4' (the browser squeezes a typed term with digits
    to '20251234') and 'WOO-0815' of '2025-WOO-0815' find it."""
    parts = [p for p in (compact(p) for p in re.split(r"[\s\-/._]+", kenmerk)) if p][:8]  # at most 28 runs
    runs = ["".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 2, len(parts) + 1)]
    out = [compact(kenmerk)] + parts + [p.lstrip("0") for p in parts if p.lstrip("0")] + runs
    return " ".join(dict.fromkeys(out))


# Type-specific fields found by search (question set numbers, Kamerstuk numbers, who signed or asked).
_SEARCHED_FIELDS = ("vraagnummer", "kamerstuknummer", "ondertekenaar", "onderwerp", "vragenstellers", "beantwoord_door")


def _field_text(value) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return str(value) if value else ""


def decision_values(v) -> dict[str, str]:
    """The fields of a decision in the decision index (``kenmerk`` is indexed raw: ``RAW_FIELDS``)."""
    d = v.decision
    return {
        "titel": d.title,
        "onderwerpen": " ".join(d.subjects),
        "organisatie": d.organisation,
        "samenvatting": plain_text(d.summary_markdown, 5000),
        "documenten": " ".join(r.row.title for r in v.rows if getattr(r, "withdrawn", None) is None)  # a withdrawn one: gone
        + " "
        + " ".join(a.title for a in d.annexes)
        + " "
        + " ".join(_field_text(getattr(getattr(d, "meta", None), name, None)) for name in _SEARCHED_FIELDS),
        "kenmerk": " ".join(
            [kenmerk_terms(d.kenmerk)]
            + [kenmerk_terms(c) for c in getattr(d, "case_numbers", [])]  # and zaaknummers
            + [
                kenmerk_terms(n)
                for n in (
                    getattr(getattr(d, "meta", None), "vraagnummer", None),
                    getattr(getattr(d, "meta", None), "kamerstuknummer", None),
                )
                if n
            ]
        ),
    }


RAW_FIELDS = frozenset({"kenmerk"})
ANALYSER_VERSION = _analyser_version()
ANALYSED = "zoekanalyse"  # the cache's folder for analysed texts (publish/cache.py)
BUCKETS = "zoekemmers"  # for the manifests of whole buckets
SHARDS = "zoekshards"  # for the shard files, by their SHA-256


def _sha256_json(value) -> str:
    import hashlib

    return hashlib.sha256(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


class _Analysed:
    """The analysed form of decisions and documents, from the build cache when it holds it (issue 19: a
    warm build only merges postings). Keys: SHA-256 of the analyser's version and the texts and fields
    analysed; for a PDF's pages kept in the cache, its inspection key stands for its texts (they are a
    pure function of it), so a warm build does not read page texts at all. A damaged or malformed
    entry is recomputed and replaced; entries not used by a build are removed after it (``prune``).

    One level up, the shards of a whole bucket: keyed by the index code's version and every (ref, key
    of its analysed form) of the bucket in order, kept as a manifest (statistics, SHA-256 of each shard)
    and the shard files themselves, content-addressed. A bucket whose decisions did not change is
    copied from the cache (each shard checked against its SHA-256) without reading any analysed text."""

    def __init__(self, cache=None):
        self.cache = cache
        from .compact import KeySet

        # Issue 19 (mem11): SHA-256 keys as their 32 bytes (``compact.KeySet``), not a str each: a key per decision
        # and per document of the archive, held until ``prune``.
        self.used: dict[str, KeySet] = {ANALYSED: KeySet(), BUCKETS: KeySet(), SHARDS: KeySet()}
        self.reused = 0
        self.computed = 0
        self.buckets_reused = 0

    def decision_key(self, values: dict[str, str], raw: frozenset) -> str:
        key = _sha256_json([ANALYSER_VERSION, "besluit", values, sorted(raw)])
        self.used[ANALYSED].add(key)
        return key

    def document_key(self, title: str, texts) -> str:
        from .pdfs import CachedTexts

        source = ["pdf", texts._key] if isinstance(texts, CachedTexts) else ["teksten", _sha256_json(list(texts))]
        key = _sha256_json([ANALYSER_VERSION, "document", title, source])
        self.used[ANALYSED].add(key)
        return key

    def _get(self, key: str, fields, compute):
        if self.cache is not None:
            value = self.cache.get_json(ANALYSED, key)
            if value is not None and fields(value):
                self.reused += 1
                return value
        value = compute()
        self.computed += 1
        forget_memos(STEM_MEMO_WORDS)  # issue 19 (mem19): the stem memo bounded while a first build analyses every text
        if self.cache is not None:
            self.cache.put_json(ANALYSED, key, value)
        return value

    def decision(self, key: str, values: dict[str, str], raw: frozenset) -> dict[str, list]:
        return self._get(key, lambda v: _valid_analysed(v, values), lambda: analyse(values, raw))

    def document(self, key: str, title: str, texts) -> dict:
        """``{"titel": analysed title, "paginas": [[page number, analysed text], ...]}`` (pages with text only)."""

        def compute() -> dict:
            pages = [[no, analyse({"tekst": text})] for no, text in enumerate(texts, start=1) if text.strip()]
            return {"titel": analyse({"titel": title}), "paginas": pages}

        def valid(v) -> bool:
            return (
                isinstance(v, dict)
                and set(v) == {"titel", "paginas"}
                and _valid_analysed(v["titel"], {"titel"})
                and isinstance(v["paginas"], list)
                and all(
                    isinstance(p, list) and len(p) == 2 and isinstance(p[0], int) and _valid_analysed(p[1], {"tekst"})
                    for p in v["paginas"]
                )
            )

        return self._get(key, valid, compute)

    def bucket(self, key: str, fields: list[dict[str, float]]) -> tuple[list, list[tuple[str, str, Path]]] | None:
        """A bucket's statistics (one per index: ``fields``) and shard files (prefix, SHA-256, path) from the cache;
        None when there is no good manifest. Each shard is checked when it is read (``shard_text``)."""
        if self.cache is None:
            return None
        manifest = self.cache.get_json(BUCKETS, key)
        try:
            statistics = []
            for (documents, lengths), names in zip(manifest["statistiek"], fields, strict=True):
                if not isinstance(documents, int):
                    return None
                # The cache keeps keys sorted: back in the index's order of fields.
                statistics.append([documents, {name: [int(lengths[name][0]), int(lengths[name][1])] for name in names}])
            shas = manifest["shards"]
            if not (isinstance(shas, list) and all(isinstance(x, list) and len(x) == 2 and x[0] in ("s", "k") for x in shas)):
                return None
            # Only an empty bucket (a recent level without decisions) has no shards.
            if not shas and any(row[0] for row in statistics):
                return None
            paths = [(prefix, sha, self.cache.file_path(SHARDS, str(sha), ".json")) for prefix, sha in shas]
        except (OSError, TypeError, KeyError, AttributeError, ValueError, IndexError):
            return None
        return statistics, paths

    def shard_text(self, sha: str, path: Path) -> str | None:
        """A shard from the cache, None when it is missing or damaged (its SHA-256 does not match)."""
        import hashlib

        try:
            data = path.read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != sha:
            return None
        self.used[SHARDS].add(sha)
        return data.decode("utf-8")

    def store_shard(self, text: str) -> str:
        import hashlib

        data = text.encode("utf-8")
        sha = hashlib.sha256(data).hexdigest()
        self.used[SHARDS].add(sha)
        if self.cache is not None:  # always written: one in place may be the damaged one this bucket is rebuilt for
            try:
                self.cache.put_bytes(SHARDS, sha, ".json", data)
            except OSError:  # a cache that cannot take it (a folder in its place, a full disk): the index is right all the same
                pass
        return sha

    def store_bucket(self, key: str, statistics: list, shas: list[list[str]]) -> None:
        self.used[BUCKETS].add(key)
        if self.cache is not None:
            self.cache.put_json(BUCKETS, key, {"statistiek": statistics, "shards": shas})

    def prune(self) -> int:
        """Remove the entries this build did not use; how many were removed."""
        if self.cache is None:
            return 0
        removed = 0
        for kind, used in self.used.items():
            folder = Path(self.cache.root) / kind
            # Issue 19 (mem20): not sorted into a list first (a ``Path`` per decision and per document of the archive,
            # some 70 MiB at 10,000 decisions at the end of the search index phase); ``glob`` reads one folder's
            # entries before it gives the first of them, so a removal never falls in a folder being read.
            for path in folder.glob("*/*.json") if folder.is_dir() else ():
                if path.stem not in used:
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed


@lru_cache(maxsize=1)
def _index_code_version() -> str:
    """What a bucket's shards depend on besides their input: the index code and its settings."""
    import inspect

    source = (
        "".join(
            inspect.getsource(x)
            for x in (ShardedIndex, bm25, shard_of, fnv1a, _json_len, shard_count, combined_shard, is_code, _Split)
        )
        + _ASCII_DIGIT.pattern
    )
    settings = [INDEX_VERSION, K1, B, TARGET_SHARD_BYTES, MAX_POSTINGS, MAX_DECISION_POSTINGS, SPILL_BUCKETS]
    return _sha256_json([source, settings])[:12]


def _fill(
    index: ShardedIndex,
    kind: int,
    g: int,
    views,
    ids: dict[str, str],
    segment: dict[str, int],
    analysed: _Analysed,
    full: Callable[[Any], Any] = lambda v: v,
) -> None:
    """Add the analysed decisions (``kind`` 0) or documents (1) of bucket ``g`` to ``index``, in view order;
    ``full(item)``: an item's full view (issue 19: made again per decision when ``views`` holds summaries)."""
    epoch = EPOCH
    for v in views:
        sid = ids[v.url]
        if segment[sid] != g:
            continue
        v = full(v)
        if kind == 0:
            values = decision_values(v)
            index.add_analysed(sid, analysed.decision(analysed.decision_key(values, RAW_FIELDS), values, RAW_FIELDS))
            continue
        for f_no, f in enumerate(v.files):
            when = getattr(f, "date", None)
            date36 = _base36((when - epoch).days) if when else ""
            document = analysed.document(analysed.document_key(f.title, f.texts), f.title, f.texts)
            # Page 0: the file's title, so that a document is found as a result by its title too.
            index.add_analysed(f"{sid}/{f_no}/0/{date36}", document["titel"])
            for page_no, page in document["paginas"]:
                index.add_analysed(f"{sid}/{f_no}/{page_no}/{date36}", page)


_ASCII_DIGIT = re.compile("[0-9]")


def is_code(term: str) -> bool:
    """A term with an ASCII digit (a kenmerk or a part of it, a year, a number): woo-search.js sends every query
    word with a digit to the decision index only, so such terms are in the code files."""
    return _ASCII_DIGIT.search(term) is not None


class _Split:
    """Passes the words of what is added to one index and the codes (``is_code``) to another (format 6; None:
    left out). Field lengths stay those of the whole field, so scores and statistics are those of one index."""

    def __init__(self, words: ShardedIndex, codes: ShardedIndex | None):
        self.words, self.codes = words, codes

    def add_analysed(self, ref: str, analysed: dict[str, list]) -> None:
        words: dict[str, list] = {}
        codes: dict[str, list] = {}
        for name, (length, flat) in analysed.items():
            words[name], codes[name] = [length, []], [length, []]
            for k in range(0, len(flat), 2):
                (codes if is_code(flat[k]) else words)[name][1].extend(flat[k : k + 2])
        self.words.add_analysed(ref, words)
        if self.codes is not None:
            self.codes.add_analysed(ref, codes)


def _bucket_shards(
    indexes, g: int, target: int, views, ids, segment, analysed: _Analysed, full: Callable[[Any], Any] = lambda v: v
) -> Iterator[tuple[str, dict]]:
    """The files of bucket ``g`` (format 6), as (prefix, shard): ``s``, the words of its decision and text index
    split with one shard count for both (from their sizes together), then ``k``, the codes of its decision
    index (the text's codes are never looked up); none for an empty bucket (a recent level without decisions)."""
    words, texts, codes = indexes
    _fill(_Split(words, codes), 0, g, views, ids, segment, analysed, full)  # type: ignore[arg-type]
    _fill(_Split(texts, None), 1, g, views, ids, segment, analysed, full)  # type: ignore[arg-type]
    if not words.count:
        return
    phases = [index.phases() for index in (words, texts)]
    count = shard_count(sum(next(p) for p in phases), target)
    yield from (("s", combined_shard(*shards)) for shards in zip(*(shards_of(p, count) for p in phases)))
    yield from (("k", combined_shard(shard)) for shard in codes.iter_shards(target))


class _Column:
    """One column of ``meta.json`` (a value per decision) held as its JSON text, values joined by commas (issue 19,
    mem11: a few bytes a decision instead of a Python object each)."""

    __slots__ = ("_text", "_empty")

    def __init__(self):
        import io

        self._text = io.StringIO()
        self._empty = True

    def add(self, value: str) -> None:
        """``value``: the JSON text of one value."""
        if not self._empty:
            self._text.write(",")
        self._text.write(value)
        self._empty = False

    def text(self) -> str:
        return self._text.getvalue()


def build_search_files(views, cache=None, spill_dir: Path | None = None, report: dict | None = None) -> dict[str, str]:
    """All files of the search index, as {relative path under zoeken/index/: JSON text}."""
    return dict(iter_search_files(views, cache, spill_dir, report))


def iter_search_files(
    views, cache=None, spill_dir: Path | None = None, report: dict | None = None, full: Callable[[Any], Any] | None = None
) -> Iterator[tuple[str, str]]:
    """The files of the search index one at a time (relative path under zoeken/index/, JSON text; and the
    script ``SHARDS_SCRIPT``), so the
    shards of a whole archive are never all in memory. ``cache`` (publish/cache.py's ``Cache``): where the
    analysed texts are kept between builds; ``report``: filled with how many were reused and computed.
    ``full(item)``: an item's full view when ``views`` holds compact summaries (issue 19, ``pages.Views``)."""
    if full is None:
        full = getattr(views, "full", None) or (lambda v: v)
    analysed = _Analysed(cache)
    organisations = sorted({v.decision.organisation for v in views}, key=lambda s: (s.lower(), s))  # ties: code points
    outcomes = ["openbaar", "deels openbaar", "niet openbaar", "reeds openbaar", "niets aangetroffen"]
    grounds = sorted(
        {(g.law, g.id): g for v in views for g in v.decision.grounds}.values(),
        key=lambda g: (g.law, [int(p) if p.isdigit() else p for p in g.id.split(".")]),
    )
    ground_index = {(g.law, g.id): i for i, g in enumerate(grounds)}
    assert len(grounds) <= 52, "ground masks must fit a JavaScript number"
    subjects = sorted({s for v in views for s in v.decision.subjects}, key=lambda s: (s.lower(), s))  # never set order
    from .types import DEFAULT_TYPE, REGISTRY

    kind_of = {id(v): getattr(v.decision, "type", DEFAULT_TYPE) for v in views}  # benchmarks pass plain decisions
    # What a result says it is: the type's label, for a decision under the Wob 'Wob-besluit' (DecisionView.kind_label).
    label_of = {id(v): getattr(v, "kind_label", None) or REGISTRY[kind_of[id(v)]].label for v in views}
    rank = {label_of[id(v)]: (list(REGISTRY).index(kind_of[id(v)]), label_of[id(v)]) for v in views}
    kinds = sorted(rank, key=rank.__getitem__)

    ids = stable_ids(v.url for v in views)
    base = bucket_count(len(views))
    buckets, segment = layout(views, ids)  # the base buckets by id, then the recent levels
    decision_fields: dict[str, float] = {
        "titel": 10,
        "onderwerpen": 5,
        "organisatie": 3,
        "samenvatting": 1,
        "documenten": 2,
        "kenmerk": 20,
    }
    # Per bucket the best postings of a term, so that all buckets together keep about the same number.
    decision_indexes = [
        ShardedIndex(decision_fields, max_postings=max(100, MAX_DECISION_POSTINGS // base), spill_dir=spill_dir)
        for _ in range(buckets)
    ]
    text_fields: dict[str, float] = {"tekst": 1, "titel": 3}
    text_indexes = [
        ShardedIndex(text_fields, max_postings=max(32, MAX_POSTINGS // base), spill_dir=spill_dir) for _ in range(buckets)
    ]
    import hashlib

    # Per bucket and index: a sum of the SHA-256 of every (ref, key of its analysed form), so that the key
    # does not depend on the order of the decisions (the shards do not either).
    bucket_sums = [[0] * buckets, [0] * buckets]

    def count_in(k: int, g: int, line: str) -> None:
        bucket_sums[k][g] = (bucket_sums[k][g] + int.from_bytes(hashlib.sha256(line.encode("utf-8")).digest(), "big")) % (
            1 << 256
        )

    epoch = __import__("datetime").date(1970, 1, 1)
    dump = lambda obj: json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=False)  # noqa: E731
    # Issue 19 (mem11): nothing per decision is held as Python objects past its own turn. The columns of
    # ``meta.json`` are kept as their JSON text (``_Column``), and each decision's document files (format 7: its display
    # row in the first) are given at once.
    columns = {
        name: _Column() for name in ("id", "datum", "publicatie", "organisatie", "uitkomst", "grond", "onderwerp", "soort")
    }
    previous = None
    for item in views:
        v = full(item)  # issue 19: one full view at a time
        d = v.decision
        sid = ids[v.url]
        bucket = segment[sid]
        columns["id"].add(dump(sid))
        day = (d.decision_date - epoch).days
        columns["datum"].add(str(day if previous is None else previous - day))  # views are newest first: small deltas
        previous = day
        columns["publicatie"].add(str((d.publication_date - d.decision_date).days))
        columns["organisatie"].add(str(organisations.index(d.organisation)))
        columns["uitkomst"].add(str(outcomes.index(d.outcome) if d.outcome else -1))
        columns["soort"].add(str(kinds.index(label_of[id(item)])))
        columns["grond"].add(str(sum(1 << ground_index[(g.law, g.id)] for g in d.grounds)))
        columns["onderwerp"].add(dump([subjects.index(s) for s in d.subjects]))
        files = v.files
        row = [d.title, d.kenmerk, v.url, plain_text(d.summary_markdown, 220), len(files)]
        # Per file: title, PDF, date; for a document also its own page and its assessment (results link to both).
        documents = {
            r.file.url: [r.page_url, r.row.assessment] for r in v.rows if getattr(r, "file", None) and getattr(r, "page_url", "")
        }
        file_days = []
        for f in files:
            when = getattr(f, "date", None)
            file_days.append((when - epoch).days if when else None)
        listing = [[f.title, f.url, *documents.get(f.url, ["", ""]), file_days[i]] for i, f in enumerate(files)]
        # Format 7: the decision's row with its first documents (a decision without files has this file too).
        yield f"d-{sid}-0.json", dump({"besluit": row, "documenten": listing[:DOCUMENTS_PER_FILE]})
        for k in range(DOCUMENTS_PER_FILE, len(listing), DOCUMENTS_PER_FILE):
            yield f"d-{sid}-{k // DOCUMENTS_PER_FILE}.json", dump({"documenten": listing[k : k + DOCUMENTS_PER_FILE]})
        del listing, documents, row
        count_in(0, bucket, f"{sid}\t{analysed.decision_key(decision_values(v), RAW_FIELDS)}")
        for f_no, f in enumerate(files):
            date36 = "" if file_days[f_no] is None else _base36(file_days[f_no])
            count_in(1, bucket, f"{sid}/{f_no}//{date36}\t{analysed.document_key(f.title, f.texts)}")
    # A query loads one file per bucket for each term (format 6: both indexes' shards in it): together about
    # TARGET_SHARD_BYTES.
    target = TARGET_SHARD_BYTES // buckets
    statistics: dict[str, list] = {"besluiten": [], "tekst": []}
    counts: dict[str, list[int]] = {"s": [], "k": []}  # per bucket: its word files (s-) and code files (k-)
    for g in range(buckets):
        pair = (decision_indexes[g], text_indexes[g])
        key = _sha256_json(
            [_index_code_version(), [[i.fields, i.max_postings] for i in pair], g, buckets]
            + [f"{bucket_sums[k][g]:x}" for k in (0, 1)]
        )
        stored = analysed.bucket(key, [i.fields for i in pair])
        if stored is not None:  # nothing in this bucket changed: its shards as they were
            number = {"s": 0, "k": 0}
            for prefix, sha, path in stored[1]:
                text = analysed.shard_text(sha, path)
                if text is None:  # missing or damaged: the bucket is built again, its files given again
                    break
                yield f"{prefix}-{g}-{number[prefix]}.json", text
                number[prefix] += 1
            else:
                analysed.used[BUCKETS].add(key)
                analysed.buckets_reused += 1
                statistics["besluiten"].append(stored[0][0])
                statistics["tekst"].append(stored[0][1])
                for prefix in counts:
                    counts[prefix].append(number[prefix])
                continue
        shas: list[list[str]] = []
        number = {"s": 0, "k": 0}
        codes = ShardedIndex(decision_fields, max_postings=pair[0].max_postings, spill_dir=spill_dir)
        for prefix, shard in _bucket_shards((*pair, codes), g, target, views, ids, segment, analysed, full):
            text = dump(shard)
            shas.append([prefix, analysed.store_shard(text)])
            yield f"{prefix}-{g}-{number[prefix]}.json", text
            number[prefix] += 1
        statistics["besluiten"].append(pair[0].statistics())
        statistics["tekst"].append(pair[1].statistics())
        for prefix in counts:
            counts[prefix].append(number[prefix])
        analysed.store_bucket(key, [statistics["besluiten"][-1], statistics["tekst"][-1]], shas)
        release_free_memory()  # a bucket's postings, texts and pickles let go: not kept resident for the next (mem11)
    if report is not None:
        report.update(
            hergebruikt=analysed.reused,
            berekend=analysed.computed,
            emmers_hergebruikt=analysed.buckets_reused,
            opgeruimd=analysed.prune(),
        )
    else:
        analysed.prune()
    meta = {
        "versie": INDEX_VERSION,
        "emmers": buckets,
        "basis": base,  # buckets 0 .. basis-1: by stable id; the rest: the recent levels, newest last
        "documentenPerBestand": DOCUMENTS_PER_FILE,
        "shards": counts["s"],  # per bucket: its files s-G-0 .. s-G-(count-1), words of both indexes
        "codes": counts["k"],  # per bucket: its files k-G-0 ..: terms with a digit, of the decision index
        # Per bucket what the browser scores with (BM25 as lunr.js): [documents, {field: [length sum, count]}].
        "statistiek": statistics,
        "velden": {"besluiten": decision_fields, "tekst": text_fields},
        "bm25": [K1, B],
        "organisaties": organisations,
        "uitkomsten": outcomes,
        "onderwerpen": subjects,
        "gronden": [[g.slug, g.id, g.law, g.meaning] for g in grounds],
        "soorten": kinds,
        "aantal": len(views),
    }
    # Format 7: the shard counts once more, as a script the search page runs before woo-search.js: so the query's
    # shards are requested as soon as that script starts, not after the page's first layout and the read of
    # meta.json's first bytes (about 100 ms on a slow phone; issue 19). meta.json stays what the search uses.
    early = {"versie": INDEX_VERSION, "shards": counts["s"], "codes": counts["k"]}
    yield SHARDS_SCRIPT, f"window.wooSearchShards = {dump(early)};\n"
    # Columns, one value per decision (newest first): what facets, sorting and filters need; the same bytes as
    # ``dump`` of the whole dict, written from each column's JSON text.
    yield "meta.json", dump(meta)[:-1] + "".join(f",{dump(name)}:[{column.text()}]" for name, column in columns.items()) + "}"
    forget_memos()  # issue 19 (mem19): not held through the phases after the search index
