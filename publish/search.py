"""The search index: prebuilt here, queried by lunr.js with lunr-languages' Dutch support.

Design, so that what a browser loads per query stays bounded as the site grows:

- ``meta.json``: one compact row per decision (stable id, year, facet indexes, dates) for facets,
  sorting and kenmerk search; display data lives in chunks (``c-N.json``, decisions by stable id)
  and per-decision document lists (``d-<id>-N.json``), loaded only for the results shown.
- ``b-G-N.json``: the decision-level index (title, subjects, organisation, summary, document
  titles); ``t-G-N.json``: the title of every published PDF (as page 0) and the full text of its
  pages. Every shard is a complete lunr 2.3 index that ``lunr.Index.load`` accepts.
  A query loads only the shards of its terms: shard = FNV-1a(term) mod the number of shards.

Stable files, so that a nightly sync uploads little (issue 19):

- Every decision has a stable id (base 36 of FNV-1a over its URL) used in every ref: ``id`` in the
  decision index, ``id/file/page/date`` in the text index (page 0 is the file's title; date is the
  document's date in days since 1970, base 36, empty when unknown). Positions are never used.
- Decisions fall into buckets G = id mod the bucket count. Each bucket is an index of its own, with
  its own BM25 statistics (document count, document frequency, average field length) and its own
  shard count: a changed decision rewrites only its own bucket's shards, its chunk, its document
  lists and ``meta.json``. Buckets and chunks change in number only when the number of decisions
  crosses a power of two; shards per bucket only when the bucket's size does.
- Term numbers (``_index``) are local to a shard, so a new word does not renumber other shards.

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
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import snowballstemmer
from lunr.pipeline import Pipeline

INDEX_VERSION = 3
LUNR_VERSION = "2.3.9"
K1, B = 1.2, 0.75
TARGET_SHARD_BYTES = 32_000  # what one term costs a query (JSON bytes), all buckets together
MAX_POSTINGS = 400  # per term in the full-text index (all buckets together): the best-scoring pages only
MAX_DECISION_POSTINGS = 1500  # per term in the decision index
MAX_BUCKETS = 4  # more buckets rewrite less but cost a query one request per bucket and term
DECISIONS_PER_BUCKET = 4  # at least, on average: buckets = the power of two at most decisions / 4
CHUNK = 25  # decisions per display chunk, at least, on average
DOCUMENTS_PER_FILE = 100  # documents per ``d-<id>-N.json``

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


def search_pipeline_names() -> list[str]:
    pipeline = Pipeline()
    pipeline.add(Pipeline.registered_functions["trimmer-nl"], Pipeline.registered_functions["stemmer-nl-woo"])
    return pipeline.serialize()


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


def chunk_count(decisions: int) -> int:
    return _floor_power_of_two(decisions // CHUNK)


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


@dataclass
class _Doc:
    ref: str
    fields: dict[str, list[str]]


SPILL_BUCKETS = 256  # postings are kept by FNV-1a(term) mod this (a power of two, at most the 4096 shards)
SPILL_POSTINGS = 2_000_000  # postings held in memory before they go to temporary files


@lru_cache(maxsize=1_000_000)
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

    def read(self, b: int) -> list:
        if b not in self.used:
            return []
        import pickle

        out: list = []
        with open(self._path(b), "rb") as handle:
            while True:
                try:
                    out += pickle.load(handle)
                except EOFError:
                    return out

    def close(self) -> None:
        self.folder.cleanup()


class ShardedIndex:
    """Builds lunr-compatible indexes, BM25 scored as lunr.js scores them, split by term.

    Issue 19: the postings of a whole archive's pages do not fit in memory. ``add`` keeps them in
    buckets by term (``SPILL_BUCKETS``, a power of two, so a bucket holds whole shards or a whole shard
    holds whole buckets); past ``spill_postings`` they are appended to one temporary file per bucket.
    ``shards`` then scores one bucket at a time (every posting of a term is in its bucket), keeps only
    the scored, capped postings, on disk as well when spilled, and builds each shard from its buckets.
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
        self.count += 1
        for name in self.fields:
            if name not in values:  # a field left out does not count towards that field's average length
                continue
            tokens = values.get(name, "").split() if name in raw else terms(values.get(name, ""))
            length = len(tokens)
            self._length_sum[name] += length
            self._length_count[name] += 1
            counts: dict[str, int] = defaultdict(int)
            for t in tokens:
                counts[t] += 1
            for t, n in counts.items():
                self._buffers[_bucket(t)].append((t, name, ref, n, length))
            self._buffered += len(counts)
        if self._buffered >= self.spill_postings:
            self._spill = self._spill or _Spill(self.spill_dir)
            for b, buffer in enumerate(self._buffers):
                self._spill.append(b, buffer)
                buffer.clear()
            self._buffered = 0

    def _bucket_postings(self, b: int) -> list[tuple[str, str, str, int, int]]:
        return (self._spill.read(b) if self._spill else []) + self._buffers[b]

    def shards(self, target_bytes: int = TARGET_SHARD_BYTES) -> list[dict]:
        """The index split by term into a power of two of shards of about ``target_bytes`` each.
        Scores use this index's own statistics only (see the module docstring)."""
        return list(self.iter_shards(target_bytes))

    def iter_shards(self, target_bytes: int = TARGET_SHARD_BYTES) -> Iterator[dict]:
        """The shards one at a time, in order (``shards()`` as a list): the caller writes each and lets it go."""
        try:
            yield from self._shards(target_bytes)
        finally:
            if self._spill is not None:
                self._spill.close()
                self._spill = None
            self._buffers = [[] for _ in range(SPILL_BUCKETS)]

    def _shards(self, target_bytes: int) -> Iterator[dict]:
        average = {name: (self._length_sum[name] / max(1, self._length_count[name])) or 1.0 for name in self.fields}
        spilled = self._spill is not None
        scored = _Spill(self.spill_dir) if spilled else None
        kept: list[dict[str, dict[tuple[str, str], float]]] = []
        any_term = False
        size = 0
        try:
            for b in range(SPILL_BUCKETS):
                postings: dict[str, dict[str, dict[str, tuple[int, int]]]] = defaultdict(lambda: defaultdict(dict))
                for t, name, ref, tf, length in self._bucket_postings(b):
                    postings[t][name][ref] = (tf, length)
                bucket: dict[str, dict[tuple[str, str], float]] = {}
                for t in sorted(postings):
                    by_field = postings[t]
                    df = sum(len(refs) for refs in by_field.values())
                    idf = math.log(1 + abs((self.count - df + 0.5) / (df + 0.5)))
                    entry = {}
                    for name, refs in by_field.items():
                        for ref, (tf, length) in refs.items():
                            norm = K1 * (1 - B + B * (length / average[name])) + tf
                            entry[(name, ref)] = round(idf * ((K1 + 1) * tf) / norm * self.fields[name], 3)
                    if self.max_postings and len(entry) > self.max_postings:
                        self.capped.add(t)
                        best = sorted(entry.items(), key=lambda kv: (-kv[1], kv[0]))[: self.max_postings]
                        entry = dict(best)
                    bucket[t] = entry
                    # About what the JSON holds: the ref in the inverted index and in its field vector's key.
                    size += sum(2 * len(ref) + len(name) + 24 for name, ref in entry) + len(t) + 20 + 10 * len(self.fields)
                del postings
                any_term = any_term or bool(bucket)
                if scored is not None:
                    scored.append(b, [(t, list(entry.items())) for t, entry in bucket.items()])
                    bucket.clear()
                kept.append(bucket)
            if not any_term:
                yield self._serialise({})
                return

            def scores_of(b: int) -> dict[str, dict[tuple[str, str], float]]:
                if scored is None:
                    return kept[b]
                return {t: dict(items) for t, items in scored.read(b)}

            def shard(i: int, count: int) -> dict:
                group: dict[str, dict] = {}
                if count <= SPILL_BUCKETS:
                    for b in range(i, SPILL_BUCKETS, count):
                        group.update(scores_of(b))
                else:
                    group = {t: e for t, e in scores_of(i % SPILL_BUCKETS).items() if shard_of(t, count) == i}
                return self._serialise(group)

            # The count depends on the total size only (a power of two): one term growing does not reshuffle.
            count = 1
            while size / count > target_bytes and count < 4096:
                count *= 2
            # Measured first, one shard at a time, then made again to be written: the shards of a whole
            # archive are never all in memory.
            while count < 4096:
                total = sum(len(json.dumps(shard(i, count), ensure_ascii=False, separators=(",", ":"))) for i in range(count))
                if total / count <= 1.25 * target_bytes:
                    break
                count *= 2
            for i in range(count):
                yield shard(i, count)
        finally:
            if scored is not None:
                scored.close()

    def _serialise(self, group: dict[str, dict]) -> dict:
        vectors: dict[str, list] = defaultdict(list)
        inverted = []
        capped = sorted(t for t in group if t in self.capped)
        # Term numbers local to the shard: a word added elsewhere does not renumber this file.
        index_of = {t: i for i, t in enumerate(sorted(group))}
        for t in sorted(group):
            entry: dict[str, Any] = {"_index": index_of[t]}
            for name in self.fields:
                entry[name] = {}
            for (name, ref), score in sorted(group[t].items()):
                entry[name][ref] = {}
                vectors[f"{name}/{ref}"] += [index_of[t], score]
            inverted.append([t, entry])
        field_vectors = [[key, vectors[key]] for key in sorted(vectors)]
        shard = {
            "version": LUNR_VERSION,
            "fields": list(self.fields),
            "fieldVectors": field_vectors,
            "invertedIndex": inverted,
            "pipeline": search_pipeline_names(),
        }
        if capped:
            # Not part of lunr's format (lunr.Index.load ignores it): terms so common that only their
            # best postings are kept, so a query does not require them.
            shard["afgekapt"] = capped
        return shard


def _plain(markdown_text: str, limit: int = 300) -> str:
    text = re.sub(r"[*_`#>\[\]()!]|<[^>]*>", "", markdown_text or "")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


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


def build_search_files(views) -> dict[str, str]:
    """All files of the search index, as {relative path under zoeken/index/: JSON text}."""
    organisations = sorted({v.decision.organisation for v in views}, key=str.lower)
    outcomes = ["openbaar", "deels openbaar", "niet openbaar", "reeds openbaar", "niets aangetroffen"]
    grounds = sorted(
        {(g.law, g.id): g for v in views for g in v.decision.grounds}.values(),
        key=lambda g: (g.law, [int(p) if p.isdigit() else p for p in g.id.split(".")]),
    )
    ground_index = {(g.law, g.id): i for i, g in enumerate(grounds)}
    assert len(grounds) <= 52, "ground masks must fit a JavaScript number"
    subjects = sorted({s for v in views for s in v.decision.subjects}, key=str.lower)
    from .types import DEFAULT_TYPE, REGISTRY

    kind_of = {id(v): getattr(v.decision, "type", DEFAULT_TYPE) for v in views}  # benchmarks pass plain decisions
    kinds = [name for name in REGISTRY if name in kind_of.values()]

    ids = stable_ids(v.url for v in views)
    buckets = bucket_count(len(views))
    chunk_total = chunk_count(len(views))
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
        ShardedIndex(decision_fields, max_postings=max(100, MAX_DECISION_POSTINGS // buckets)) for _ in range(buckets)
    ]
    text_indexes = [ShardedIndex({"tekst": 1, "titel": 3}, max_postings=max(32, MAX_POSTINGS // buckets)) for _ in range(buckets)]
    epoch = __import__("datetime").date(1970, 1, 1)
    dates, published, orgs, results, ground_masks, subject_lists, kind_column, id_column = [], [], [], [], [], [], [], []
    chunks: list[dict] = [dict() for _ in range(chunk_total)]
    document_files: dict[str, list] = {}
    previous = None
    for v in views:
        d = v.decision
        sid = ids[v.url]
        bucket = bucket_of(sid, buckets)
        id_column.append(sid)
        day = (d.decision_date - epoch).days
        dates.append(day if previous is None else previous - day)  # views are newest first: small deltas
        previous = day
        published.append((d.publication_date - d.decision_date).days)
        orgs.append(organisations.index(d.organisation))
        results.append(outcomes.index(d.outcome) if d.outcome else -1)
        kind_column.append(kinds.index(kind_of[id(v)]))
        ground_masks.append(sum(1 << ground_index[(g.law, g.id)] for g in d.grounds))
        subject_lists.append([subjects.index(s) for s in d.subjects])
        files = v.files
        chunks[bucket_of(sid, chunk_total)][sid] = [d.title, d.kenmerk, v.url, _plain(d.summary_markdown, 220), len(files)]
        # Per file: title, PDF, date; for a document also its own page and its assessment (results link to both).
        documents = {
            r.file.url: [r.page_url, r.row.assessment] for r in v.rows if getattr(r, "file", None) and getattr(r, "page_url", "")
        }
        file_days = []
        for f in files:
            when = getattr(f, "date", None)
            file_days.append((when - epoch).days if when else None)
        listing = [[f.title, f.url, *documents.get(f.url, ["", ""]), file_days[i]] for i, f in enumerate(files)]
        for k in range(0, len(listing), DOCUMENTS_PER_FILE):
            document_files[f"d-{sid}-{k // DOCUMENTS_PER_FILE}.json"] = listing[k : k + DOCUMENTS_PER_FILE]
        decision_indexes[bucket].add(
            sid,
            {
                "titel": d.title,
                "onderwerpen": " ".join(d.subjects),
                "organisatie": d.organisation,
                "samenvatting": _plain(d.summary_markdown, 5000),
                "documenten": " ".join(r.row.title for r in v.rows)
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
            },
            raw=frozenset({"kenmerk"}),
        )
        for f_no, f in enumerate(files):
            date36 = "" if file_days[f_no] is None else _base36(file_days[f_no])
            # Page 0: the file's title, so that a document is found as a result by its title too.
            text_indexes[bucket].add(f"{sid}/{f_no}/0/{date36}", {"titel": f.title})
            for page_no, text in enumerate(f.texts, start=1):
                if text.strip():
                    text_indexes[bucket].add(f"{sid}/{f_no}/{page_no}/{date36}", {"tekst": text})
    # A query loads one shard per bucket for each term: together about TARGET_SHARD_BYTES.
    target = TARGET_SHARD_BYTES // buckets
    b_shards = [index.shards(target) for index in decision_indexes]
    t_shards = [index.shards(target) for index in text_indexes]
    meta = {
        "versie": INDEX_VERSION,
        "emmers": buckets,
        "chunks": chunk_total,
        "documentenPerBestand": DOCUMENTS_PER_FILE,
        "shards": {"besluiten": [len(b) for b in b_shards], "tekst": [len(t) for t in t_shards]},
        "organisaties": organisations,
        "uitkomsten": outcomes,
        "onderwerpen": subjects,
        "gronden": [[g.slug, g.id, g.law, g.meaning] for g in grounds],
        "soorten": [REGISTRY[name].label for name in kinds],
        "aantal": len(views),
        # Columns, one value per decision (newest first): what facets, sorting and filters need.
        "id": id_column,
        "datum": dates,
        "publicatie": published,
        "organisatie": orgs,
        "uitkomst": results,
        "grond": ground_masks,
        "onderwerp": subject_lists,
        "soort": kind_column,
    }
    dump = lambda obj: json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=False)  # noqa: E731
    files_out = {"meta.json": dump(meta)}
    for g, bucket_shards in enumerate(b_shards):
        for i, shard in enumerate(bucket_shards):
            files_out[f"b-{g}-{i}.json"] = dump(shard)
    for g, bucket_shards in enumerate(t_shards):
        for i, shard in enumerate(bucket_shards):
            files_out[f"t-{g}-{i}.json"] = dump(shard)
    for i, chunk in enumerate(chunks):
        files_out[f"c-{i}.json"] = dump(dict(sorted(chunk.items())))
    for name in sorted(document_files):
        files_out[name] = dump(document_files[name])
    return files_out
