"""Search at scale, beside Pagefind: synthetic sites of 1,000 to 10,000 decisions.

Prints the inflection recall first, then per size: index build time, total size and file count of our
search index and of Pagefind's, and per query kind (one word, two words, kenmerk, rare word, very common
word), measured in headless Chromium at 1x and at 4x CPU throttling (a mid-range phone; DevTools'
``Emulation.setCPUThrottlingRate``):

- ms: from navigation start to the first result in the DOM (the median of ``--repeat`` cold loads);
- query ms: from the moment the engine's script starts handling the query (its ``performance.mark``
  "search:start": the first line of ``woo-search.js``, of the Pagefind harness) to the first result in
  the DOM, the same median; beside it the page shell's DOMContentLoaded;
- kB for the first query: the engine's one-time files (search code, ``meta.json`` / Pagefind's entry,
  wasm and ``pf_meta``) plus the query's own files; kB for the query alone: only the files this query
  needed (our ``s-``/``k-`` index shards and the ``d-`` display files of the results shown; format 6 had ``c-``
  display chunks besides; Pagefind's ``pf_index`` chunks and the ``pf_fragment`` of the
  results shown). The page shell (HTML, theme CSS and JS) is left out of both. Raw bytes are the
  response bodies the browser received (the benchmark server does not compress); "gz" is what a host
  that gzips text sends (Pagefind's own files are gzip already and count as they are).

Both engines index the same synthetic corpus. Our side is a black box: the real search page and
assets of a built site (``--site``, ``make demo``) with the index files ``publish.search.build_search_files``
builds, loaded as ``zoeken/?q=...`` and timed until a result appears. Pagefind (``pagefind[bin]``, the
``bench`` extra) indexes HTML pages written here: for every decision a decision page and a page per
document, carrying what the site's ``decision.html`` and ``document.html`` carry (title, kenmerk,
organisation, outcome, dates, subjects, grounds, summary, inventory; per document its title, facts and
"Tekst van het document" page by page, through the site's own ``text_html`` filter) inside
``data-pagefind-body``. Minimal pages rather than the real templates, because rendering tens of
thousands of pages through mkdocs takes far longer than the benchmark; the indexed text is the same.
Pagefind's results show on a copy of our search page (same shell) whose search scripts are replaced
by a small module that does what Pagefind's default UI does: ``pagefind.search(q)`` and the data of the
first 5 results. Pagefind searches in a Web Worker, which DevTools' CPU throttling (main thread only)
does not slow: "pagefind-main" is the same search with Pagefind's ``noWorker`` option, for the 4x figure.

Text volume: by default 5 documents of 2 pages of 220 words per decision (10 pages), scaled down from
the ~78 pages per decision of a real site; ``--documents`` and ``--pages`` set it (6 x 13 = 78).

Run: .venv/bin/python benchmarks/search_scale.py [--sizes 1000 3000] [--repeat 3] [--rates 1 4]
Before and after a change, in one run on one site: ``--before /work/main`` (another checkout: its search
page, scripts and index beside ours, engine "woo-before"); ``--keep DIR`` keeps the site for the next run
(its HTML pages and Pagefind index are reused, our index is built anew).
Needs a built demo site (make demo), ``make test``'s npm packages and ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import html
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from publish.dates import dutch  # noqa: E402
from publish.grounds import lookup  # noqa: E402
from publish.pages import text_html  # noqa: E402
from publish.search import build_search_files, inflection_recall, snowball_stem  # noqa: E402

PAIRS_FILE = ROOT / "tests" / "data" / "verbuigingen-nl.txt"
PROBE = Path(__file__).resolve().parent / "search_probe.mjs"

# Everything that depends on the search page's DOM or file names, in one place (adapt after a redesign).
ENGINES = {
    "woo": {
        "path": "zoeken/?q=",  # the site's search page reads the query from the URL
        "result": "#woo-search-results > li",  # a shown result
        "link": "a[href]",  # its first link: the decision (or document) page
        "one_time": r"/assets/(vendor/lunr[^/]*|woo-stem|woo-search)[^/]*\.js$|/zoeken/index/(meta\.json|zoek-shards\.js)$",
        "query": r"/zoeken/index/(?!meta\.json)[^/]+\.json$",
        "part": r"/zoeken/index/(?P<part>[a-z]+)(?:-[^/]*)?\.json$",  # s-/k- shards (decision and text index), d- display files (format 6: c- chunks)
    },
    "pagefind": {
        "path": "zoeken-pagefind/?q=",
        "result": "#pf-results > li",
        "link": "a[href]",
        "one_time": r"/pagefind/(pagefind\.js|pagefind-worker\.js|pagefind-entry\.json|wasm\.[^/]*|[^/]*\.pf_meta)$|/pagefind-harness\.js$",
        "query": r"/pagefind/(index|fragment|filter)/",
        "part": r"/pagefind/(?P<part>index|fragment|filter)/",
    },
}
# Pagefind searches in a Web Worker by default, and DevTools' CPU throttling slows the page's main thread
# only: the same search with its noWorker option shows what a slow phone's CPU does to Pagefind's wasm.
ENGINES["pagefind-main"] = {**ENGINES["pagefind"], "path": "zoeken-pagefind/?main=1&q="}
# ``--before TREE``: the search page, scripts and index of another checkout (the code before a change), on
# the same site and corpus, at zoeken-voor/ with its scripts in assets-voor/ (``build_before``).
ENGINES["woo-before"] = {
    **ENGINES["woo"],
    "path": "zoeken-voor/?q=",
    "one_time": r"/assets-voor/(vendor/lunr[^/]*|woo-stem|woo-search)[^/]*\.js$|/zoeken-voor/index/(meta\.json|zoek-shards\.js)$",
    "query": r"/zoeken-voor/index/(?!meta\.json)[^/]+\.json$",
    "part": r"/zoeken-voor/index/(?P<part>[a-z]+)(?:-[^/]*)?\.json$",
}
# Our search scripts on the search page, replaced by the Pagefind harness on its copy of the page.
OUR_SCRIPTS = re.compile(r'<script src="[^"]*/(vendor/lunr[^"]*|woo-stem\.js|woo-search\.js|zoek-shards\.js)"></script>\s*')
PAGEFIND_SHOWN = 5  # results whose data Pagefind's default UI loads at first
HARNESS = (
    """// Pagefind's default UI, reduced: search the query in the URL, load the first results' data, show them.
performance.mark("search:start");  // the query latency runs from here (benchmarks/search_probe.mjs)
const q = (new URLSearchParams(location.search).get("q") || "").trim();
const list = document.getElementById("pf-results");
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const pagefind = await import("../pagefind/pagefind.js");
if (new URLSearchParams(location.search).has("main")) await pagefind.options({ noWorker: true });
if (q) {
  const search = await pagefind.search(q);
  const shown = await Promise.all(search.results.slice(0, %d).map((r) => r.data()));
  document.getElementById("pf-status").textContent = search.results.length + " resultaten";
  list.innerHTML = shown.map((d) => '<li><h2><a href="' + esc(d.url) + '">' + esc(d.meta.title) + "</a></h2><p>" + d.excerpt + "</p></li>").join("");
}
"""
    % PAGEFIND_SHOWN
)
KINDS = ["one word", "two words", "kenmerk", "rare word", "very common word"]


def inflection_pairs() -> list[tuple[str, str]]:
    lines = PAIRS_FILE.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split()) for line in lines if line.strip() and not line.startswith("#")]


def report_inflection_recall() -> None:
    """Singular/plural and inflection pairs from government text: how many meet, before and after."""
    pairs = inflection_pairs()
    before = inflection_recall(pairs, snowball_stem)
    after = inflection_recall(pairs)
    print(
        f"Verbuigingen ({len(pairs)} paren uit {PAIRS_FILE.relative_to(ROOT)}): "
        f"Snowball alleen {before:.1%} ({round(before * len(pairs))}), met verbuigingsstap {after:.1%} ({round(after * len(pairs))})"
    )


from support import NodeServer, browser_missing  # noqa: E402

SYLLABLES = "ver be ge on aan over in uit door stel ling heid baar lijk schap werk raad plan regel zaak brief".split()


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


@dataclass
class FakeFile:
    title: str
    url: str
    texts: list[str]


@dataclass
class FakeDecision:
    kenmerk: str
    title: str
    organisation: str
    outcome: str
    year: int
    decision_date: dt.date
    publication_date: dt.date
    subjects: list[str]
    summary_markdown: str
    grounds: list
    annexes: list = field(default_factory=list)


@dataclass
class FakeRow:
    nr: str
    title: str
    assessment: str


@dataclass
class FakeRowView:
    row: FakeRow
    file: FakeFile
    page_url: str


@dataclass
class FakeView:
    decision: FakeDecision
    files: list[FakeFile]
    rows: list[FakeRowView]
    url: str
    history: list = field(default_factory=list)  # publish.history.Change: the public change history (wijzigingen.json)


@dataclass
class Corpus:
    views: list[FakeView]
    vocab: list[str]  # most frequent first (Zipf weights 1/rank)


def rare_word(k: int) -> str:
    """A word that occurs once in the whole corpus (document k's first page), as names and typos do in real text."""
    letters = ""
    while True:
        k, r = divmod(k, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[r]
        if not k:
            return "zeldzaam" + letters


def synthetic_corpus(n: int, rng: random.Random, documents: int = 5, pages: int = 2, words: int = 220) -> Corpus:
    vocab = vocabulary(rng, 40_000)
    weights = [1 / (i + 1) for i in range(len(vocab))]  # Zipf-like, as in real text

    def text(count: int) -> str:
        return " ".join(rng.choices(vocab, weights=weights, k=count))

    orgs = [f"Gemeente {c}" for c in "ABCDEFGHIJ"] + ["Ministerie van BZK", "Kiesraad"]
    grounds = [lookup("Woo", g) for g in ("5.1.2.e", "5.1.2.i", "5.2.1", "5.1.2.d")]
    subjects = [f"onderwerp {k}" for k in range(120)]
    views = []
    for i in range(n):
        date = dt.date(2022, 6, 1) + dt.timedelta(days=i % 1200)
        d = FakeDecision(
            f"W-{i:06d}",
            text(8),
            rng.choice(orgs),
            rng.choice(["openbaar", "deels openbaar", "niet openbaar"]),
            date.year,
            date,
            date + dt.timedelta(days=7),
            rng.sample(subjects, 2),
            text(80),
            rng.sample(grounds, 2),
        )
        url = f"besluit/w-{i:06d}/"
        files = [
            FakeFile(f"Document {j}", f"{url}document-{j}.pdf", [text(words) for _ in range(pages)]) for j in range(documents)
        ]
        for j, f in enumerate(files):  # one word that occurs nowhere else, in the middle of the first page
            first = f.texts[0].split()
            f.texts[0] = " ".join([*first[: len(first) // 2], rare_word(i * documents + j), *first[len(first) // 2 :]])
        rows = [
            FakeRowView(FakeRow(str(j + 1), f.title, "deels openbaar"), f, f"{url}document-{j}/") for j, f in enumerate(files)
        ]
        views.append(FakeView(d, files, rows, url))
    return Corpus(views, vocab)


def synthetic_views(n: int, rng: random.Random) -> list[FakeView]:
    """The views alone (benchmarks/search_churn.py and the index-stability tests use them)."""
    return synthetic_corpus(n, rng).views


def choose_queries(corpus: Corpus) -> dict[str, str]:
    """One query per kind, taken from the corpus so that every engine should find it."""
    views, rank = corpus.views, {w: i for i, w in enumerate(corpus.vocab)}
    n = len(views)
    typical = lambda w: 300 <= rank.get(w, 0) <= 3000  # noqa: E731  (a few per cent of the decisions)
    title_a = views[n // 2].decision.title.split()
    title_b = views[n // 3].decision.title.split()
    one = next((w for w in title_a if typical(w)), title_a[0])
    two = [w for w in title_b if typical(w)][:2]
    if len(two) < 2:
        two = title_b[:2]
    documents = len(views[0].files)
    return {
        "one word": one,
        "two words": " ".join(two),
        "kenmerk": views[n // 4].decision.kenmerk,
        "rare word": rare_word((2 * n) // 3 * documents),  # in the first document of decision 2n/3 only
        "very common word": corpus.vocab[0],
    }


def expected_decision(corpus: Corpus, kind: str) -> str | None:
    """The decision folder (``w-000250``) a query of this kind must find, where there is one."""
    n = len(corpus.views)
    return {"kenmerk": f"w-{n // 4:06d}", "rare word": f"w-{(2 * n) // 3:06d}"}.get(kind)


# Pagefind's input: minimal pages with the content of the site's decision and document pages.
PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main data-pagefind-body>
{body}
</main></body></html>
"""


def decision_page(v: FakeView) -> str:
    d, e = v.decision, html.escape
    facts = [
        ("Uitkomst", d.outcome.capitalize()),
        ("Wet", "Wet open overheid (Woo)"),
        ("Organisatie", d.organisation),
        ("Kenmerk", d.kenmerk),
        ("Besluitdatum", dutch(d.decision_date)),
        ("Publicatiedatum", dutch(d.publication_date)),
        ("Onderwerpen", ", ".join(d.subjects)),
        ("Documenten", f"{len(v.rows)} documenten"),
        ("Weigeringsgronden", "; ".join(f"{g.id}: {g.meaning}" for g in d.grounds)),
    ]
    rows = "".join(
        f'<tr><td>{e(r.row.nr)}</td><td><a href="/{e(r.page_url)}">{e(r.row.title)}</a></td><td>{e(r.row.assessment)}</td></tr>'
        for r in v.rows
    )
    body = (
        f"<h1>{e(d.title)}</h1>\n<p>Woo-besluit van {e(d.organisation)}, kenmerk {e(d.kenmerk)}</p>\n"
        + "<table><tbody>"
        + "".join(f"<tr><th>{e(k)}</th><td>{e(val)}</td></tr>" for k, val in facts)
        + "</tbody></table>\n"
        + f"<h2>Samenvatting</h2>\n<p>{e(d.summary_markdown)}</p>\n"
        + f"<h2>Inventarislijst</h2>\n<table><tbody>{rows}</tbody></table>"
    )
    return PAGE.format(title=e(d.title), body=body)


def document_page(v: FakeView, r: FakeRowView) -> str:
    d, e = v.decision, html.escape
    pages = "\n".join(f"<section><h3>Pagina {i}</h3>\n{text_html(t)}</section>" for i, t in enumerate(r.file.texts, start=1))
    body = (
        f"<h1>{e(r.row.title)}</h1>\n"
        f'<p>Document {e(r.row.nr)} bij het besluit <a href="/{e(v.url)}">{e(d.title)}</a> (kenmerk {e(d.kenmerk)})</p>\n'
        "<table><tbody>"
        f"<tr><th>Documentnummer</th><td>{e(r.row.nr)}</td></tr>"
        f"<tr><th>Beoordeling</th><td>{e(r.row.assessment.capitalize())}</td></tr>"
        f"<tr><th>Besluit</th><td>{e(d.title)}<br>Kenmerk {e(d.kenmerk)}, {e(dutch(d.decision_date))}</td></tr>"
        "</tbody></table>\n"
        f"<h2>Tekst van het document</h2>\n{pages}"
    )
    return PAGE.format(title=e(r.row.title), body=body)


def write_pages(site: Path, corpus: Corpus) -> int:
    count = 0
    for v in corpus.views:
        folder = site / v.url
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(decision_page(v), encoding="utf-8")
        count += 1
        for r in v.rows:
            (site / r.page_url).mkdir(parents=True, exist_ok=True)
            (site / r.page_url / "index.html").write_text(document_page(v, r), encoding="utf-8")
            count += 1
    return count


def pagefind_executable() -> Path | None:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    try:
        return get_executable()
    except FileNotFoundError:
        return None


def build_pagefind(site: Path) -> float:
    """Pagefind over the written pages; its bundle goes to site/pagefind/. Returns seconds."""
    t0 = time.perf_counter()
    subprocess.run([str(pagefind_executable()), "--site", str(site), "--silent"], check=True, timeout=3600)
    return time.perf_counter() - t0


def write_harness(site: Path) -> None:
    """A copy of our search page (same shell) that searches with Pagefind instead."""
    page = (site / "zoeken/index.html").read_text(encoding="utf-8")
    swapped = OUR_SCRIPTS.sub("", page, count=0)
    # Our search page holds the theme's scripts back until its first results (woo-search.js loads them);
    # without woo-search.js they load as on every other page, before the harness (a module) runs.
    swapped = swapped.replace('<script type="text/x-woo-later" src="', '<script src="')
    marker = '<p id="woo-search-status" role="status" aria-live="polite"></p>'
    assert marker in swapped and swapped != page, "search page changed: adapt OUR_SCRIPTS and the marker in search_scale.py"
    swapped = swapped.replace(
        marker,
        '<p id="pf-status" role="status" aria-live="polite"></p><ol id="pf-results" class="woo-results"></ol>'
        '<script type="module" src="pagefind-harness.js"></script>',
    )
    (site / "zoeken-pagefind").mkdir(exist_ok=True)
    (site / "zoeken-pagefind/index.html").write_text(swapped, encoding="utf-8")
    (site / "zoeken-pagefind/pagefind-harness.js").write_text(HARNESS, encoding="utf-8")


@dataclass
class Site:
    root: Path
    corpus: Corpus
    queries: dict[str, str]
    ours: dict  # size, files, gz, seconds
    pagefind: dict
    html_pages: int


PAGEFIND_DONE = "bench-pagefind.json"  # in a kept site (--keep): the corpus its HTML pages and Pagefind index were made of


def build_site(template: Path, out: Path, n: int, documents: int, pages: int, words: int = 220, pagefind: bool = True) -> Site:
    """The demo site's shell and search page, our index for n synthetic decisions, their pages and Pagefind's index
    (``pagefind=False``: neither the HTML pages nor Pagefind's index, to measure our side alone quickly).
    ``out`` may hold a site kept by an earlier run (``--keep``) of the same corpus: its HTML pages and Pagefind
    index are kept (they take longest), the shell and our index are made anew from the current code."""
    corpus = synthetic_corpus(n, random.Random(n), documents, pages, words)
    settings = {"decisions": n, "documents": documents, "pages": pages, "words": words}
    done = out / PAGEFIND_DONE
    reuse = pagefind and done.is_file() and json.loads(done.read_text(encoding="utf-8"))["settings"] == settings
    kept = {"besluit", "pagefind", PAGEFIND_DONE} if reuse else set()
    if out.exists():
        for child in out.iterdir():
            if child.name not in kept:
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    shutil.copytree(
        template, out, ignore=shutil.ignore_patterns("besluit", "*.pdf", "pagefind", "zoeken-pagefind"), dirs_exist_ok=True
    )
    t0 = time.perf_counter()
    files = build_search_files(corpus.views)
    ours_s = time.perf_counter() - t0
    index_dir = out / "zoeken/index"
    shutil.rmtree(index_dir)
    index_dir.mkdir()
    for name, text in files.items():
        (index_dir / name).write_text(text, encoding="utf-8")
    ours_files = sorted(index_dir.iterdir())
    write_harness(out)
    if reuse:
        stored = json.loads(done.read_text(encoding="utf-8"))
        html_pages, pf_s = stored["html_pages"], stored["seconds"]
    else:
        html_pages = write_pages(out, corpus) if pagefind else 0
        pf_s = build_pagefind(out) if pagefind else 0.0
        if pagefind:
            done.write_text(json.dumps({"settings": settings, "html_pages": html_pages, "seconds": pf_s}), encoding="utf-8")
    pf_files = [p for p in (out / "pagefind").rglob("*") if p.is_file()]
    pf_index = [p for p in pf_files if re.search(r"\.pf_(meta|index|fragment|filter)$|pagefind-entry\.json$|wasm\.", p.name)]
    return Site(
        out,
        corpus,
        choose_queries(corpus),
        {
            "bytes": sum(p.stat().st_size for p in ours_files),
            "files": len(ours_files),
            "gz": sum(map(gz_size, ours_files)),
            "seconds": ours_s,
        },
        {
            "bytes": sum(p.stat().st_size for p in pf_index),
            "files": len(pf_index),
            "gz": sum(map(gz_size, pf_index)),
            "bundle_bytes": sum(p.stat().st_size for p in pf_files),
            "bundle_files": len(pf_files),
            "seconds": pf_s,
        },
        html_pages,
    )


# Run in another checkout's code (``--before TREE``): its demo site's search page and scripts, and its index
# of the same synthetic corpus, written to the directory given; prints the corpus's queries.
BEFORE_SCRIPT = """
import json, random, subprocess, sys
from pathlib import Path
tree, out, n, documents, pages = Path(sys.argv[1]), Path(sys.argv[2]), *map(int, sys.argv[3:6])
sys.path[:0] = [str(tree), str(tree / "benchmarks"), str(tree / "tests")]
import search_scale as b
from publish.search import build_search_files
subprocess.run([sys.executable, "-c", "from publish.cli import main; main()", "build", "--decisions",
                str(tree / "decisions"), "--out", str(out / "demo"), "--cache", str(out / "cache"), "--archief", str(out / "archief"), "--config", str(tree / "mkdocs.yml")], check=True, cwd=out, capture_output=True)
corpus = b.synthetic_corpus(n, random.Random(n), documents, pages)
(out / "index").mkdir()
for name, text in build_search_files(corpus.views).items():
    (out / "index" / name).write_text(text, encoding="utf-8")
print(json.dumps(b.choose_queries(corpus)))
"""


def build_before(site: Site, tree: Path, documents: int, pages: int) -> None:
    """The search of another checkout (the code before a change) beside ours on the same site: its search
    page at zoeken-voor/ (the theme's shell files are shared), its search scripts in assets-voor/, its index
    of the same corpus in zoeken-voor/index/. Its own code builds both (the index format may differ)."""
    work = site.root / ".before"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(tree)}
    n = len(site.corpus.views)
    done = subprocess.run(
        [sys.executable, "-c", BEFORE_SCRIPT, str(tree), str(work), str(n), str(documents), str(pages)],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,  # its build cache and lock files there, not in the other checkout
        timeout=7200,
    )
    if done.returncode != 0:
        raise SystemExit(f"--before {tree}: {done.stderr[-3000:]}")
    queries = json.loads(done.stdout.strip().splitlines()[-1])
    assert queries == site.queries, f"--before {tree}: another corpus ({queries} against {site.queries})"
    page = (work / "demo/zoeken/index.html").read_text(encoding="utf-8")
    page = re.sub(r'src="\.\./assets/(vendor/lunr[^"]*|woo-[a-z]+\.js)"', r'src="../assets-voor/\1"', page)
    assert "../assets-voor/woo-search.js" in page, "search page changed: adapt build_before"
    shutil.rmtree(site.root / "zoeken-voor", ignore_errors=True)
    shutil.rmtree(site.root / "assets-voor", ignore_errors=True)
    (site.root / "zoeken-voor").mkdir()
    (site.root / "zoeken-voor/index.html").write_text(page, encoding="utf-8")
    shutil.move(str(work / "index"), str(site.root / "zoeken-voor/index"))
    shutil.copytree(
        work / "demo/assets", site.root / "assets-voor", ignore=shutil.ignore_patterns("javascripts", "stylesheets", "images")
    )
    shutil.rmtree(work)


_GZ: dict[Path, int] = {}


def gz_size(path: Path) -> int:
    """Bytes a host that gzips text sends for this file (Pagefind's files are gzip already: as they are)."""
    if path not in _GZ:
        data = path.read_bytes()
        _GZ[path] = len(data) if data[:2] == b"\x1f\x8b" else min(len(data), len(gzip.compress(data, 6)))
    return _GZ[path]


def local_file(site: Path, url: str) -> Path:
    path = re.sub(r"^https?://[^/]+", "", url).split("?")[0].split("#")[0]
    return site / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))


@dataclass
class Measurement:
    engine: str
    kind: str
    query: str
    ms: dict[int, int | None]  # per CPU throttling rate: median ms to the first result
    ms_min: dict[int, int | None]  # and the fastest of the repetitions (the machine may be shared)
    query_ms: dict[int, int | None]  # median ms from the engine's "search:start" mark to the first result
    start_ms: dict[int, int | None]  # median ms from navigation start to "search:start"
    steps: dict[int, dict[str, int]]  # median ms from "search:start" to the engine's other marks (ours: meta, index, display)
    first_bytes: int  # one-time + query files, raw
    first_gz: int
    query_bytes: int  # the query's own files, raw
    query_gz: int
    query_files: int
    query_parts: dict[str, int]  # gz bytes of the query's own files per kind of file (our b-, t-, c-; Pagefind's index, fragment)
    shell_bytes: int
    shell_ms: dict[int, int | None]  # median DOMContentLoaded: what the page shell alone takes
    links: list[str]
    errors: list[str]

    @property
    def found(self) -> int:
        return len(self.links)


def measure(site: Site, base: str, rates: list[int], repeat: int, engines: list[str] | None = None) -> list[Measurement]:
    runs, keys = [], []
    for kind in KINDS:
        for engine, e in ENGINES.items():
            if engines and engine not in engines:
                continue
            runs.append(
                {"url": base + e["path"] + site.queries[kind].replace(" ", "+"), "result": e["result"], "link": e["link"]}
            )
            keys.append((engine, kind))
    options = {"runs": runs, "rates": rates, "repeat": repeat}
    done = subprocess.run(["node", str(PROBE), json.dumps(options)], capture_output=True, text=True, timeout=7200, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"search_probe.mjs failed: {done.stderr[-3000:]}")
    out = []
    for (engine, kind), per_rate in zip(keys, json.loads(done.stdout)):
        e = ENGINES[engine]
        first = per_rate[str(rates[0])][0]
        one_time, query, shell = [], [], []
        for url, size in first["responses"]:
            path = url.split("?")[0]  # Pagefind asks for its entry file with ?ts=...
            bucket = query if re.search(e["query"], path) else one_time if re.search(e["one_time"], path) else shell
            bucket.append((url, size))
        gz = lambda pairs: sum(gz_size(local_file(site.root, u)) for u, _ in pairs)  # noqa: E731
        parts: dict[str, int] = {}
        for url, _ in query:
            found = re.search(e["part"], url.split("?")[0])
            key = found.group("part") if found else "other"
            parts[key] = parts.get(key, 0) + gz_size(local_file(site.root, url))
        ms, ms_min, shell_ms, query_ms, start_ms, steps = {}, {}, {}, {}, {}, {}
        median = lambda values: round(statistics.median(values)) if values else None  # noqa: E731
        for rate in rates:
            loads = per_rate[str(rate)]
            values = [m["ms"] for m in loads if m["ms"] is not None]
            ms[rate] = median(values)
            ms_min[rate] = min(values) if values else None
            started = [m for m in loads if m["ms"] is not None and "search:start" in m.get("marks", {})]
            query_ms[rate] = median([m["ms"] - m["marks"]["search:start"] for m in started])
            start_ms[rate] = median([m["marks"]["search:start"] for m in started])
            names = sorted({k for m in started for k in m["marks"] if k != "search:start"})
            steps[rate] = {
                k.split(":")[-1]: median([m["marks"][k] - m["marks"]["search:start"] for m in started if k in m["marks"]])
                for k in names
            }
            dcl = [m["shellMs"] for m in per_rate[str(rate)] if m.get("shellMs") is not None]
            shell_ms[rate] = round(statistics.median(dcl)) if dcl else None
        out.append(
            Measurement(
                engine,
                kind,
                site.queries[kind],
                ms,
                ms_min,
                query_ms,
                start_ms,
                steps,
                sum(s for _, s in one_time + query),
                gz(one_time + query),
                sum(s for _, s in query),
                gz(query),
                len(query),
                parts,
                sum(s for _, s in shell),
                shell_ms,
                [link for link in first["links"] if link],
                [err for rate in rates for m in per_rate[str(rate)] for err in m["errors"]],
            )
        )
    return out


def kb(value: int) -> str:
    return f"{value / 1e3:,.0f}"


def report(site: Site, results: list[Measurement], rates: list[int], documents: int, pages: int) -> None:
    n = len(site.corpus.views)
    o, p = site.ours, site.pagefind
    print(
        f"\n{n:,} decisions, {documents} documents x {pages} pages x 220 words each "
        f"({n * documents * pages:,} text pages; Pagefind indexes {site.html_pages:,} HTML pages with the same text)"
    )
    print(
        f"  our index:      {o['bytes'] / 1e6:7.1f} MB ({o['gz'] / 1e6:.1f} MB gz) in {o['files']:,} files, built in {o['seconds']:.1f} s"
    )
    print(
        f"  Pagefind index: {p['bytes'] / 1e6:7.1f} MB (gzip already) in {p['files']:,} files, built in {p['seconds']:.1f} s "
        f"(bundle with its UI files: {p['bundle_bytes'] / 1e6:.1f} MB in {p['bundle_files']:,} files)"
    )
    ms_head = "".join(f"{f'ms {r}x':>12}{f'query {r}x':>9}" for r in rates)
    print(
        f"\n  ms: median/fastest of the cold loads from navigation; query: median from the engine's search:start mark; "
        f"load average now {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )
    print(
        f"  {'kind':17} {'query':28} {'engine':13}{ms_head} {'1st query kB (gz)':>18} {'query only kB (gz)':>19} {'files':>6} {'shown':>6}"
    )
    for m in results:
        ms = "".join(
            f"{(f'{m.ms[r]}/{m.ms_min[r]}' if m.ms[r] is not None else '-'):>12}{(m.query_ms[r] if m.query_ms[r] is not None else '-'):>9}"
            for r in rates
        )
        print(
            f"  {m.kind:17} {m.query[:28]:28} {m.engine:13}{ms} {kb(m.first_bytes):>8} ({kb(m.first_gz):>6}) "
            f"{kb(m.query_bytes):>9} ({kb(m.query_gz):>6}) {m.query_files:>6} {m.found:>6}"
        )
        print(
            f"  {'':64}{'query only, gz, per kind of file: ' + ', '.join(f'{k} {kb(v)} kB' for k, v in sorted(m.query_parts.items()))}"
        )
        for r in rates:
            if m.steps.get(r):
                steps = ", ".join(f"{k} +{v}" for k, v in sorted(m.steps[r].items(), key=lambda kv: kv[1]))
                print(f"  {'':64}{r}x: search:start at {m.start_ms[r]} ms, then {steps} ms")
        for err in m.errors[:2]:
            print(f"      ! {err[:160]}")
    for m in results[: len({m.engine for m in results})]:  # the shell is the same for every query
        dcl = ", ".join(f"{m.shell_ms[r]} ms at {r}x" for r in rates)
        print(f"  page shell of {m.engine} (not counted above): {kb(m.shell_bytes)} kB, DOMContentLoaded at {dcl}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--documents", type=int, default=5, help="documents per decision")
    parser.add_argument("--pages", type=int, default=2, help="pages of 220 words per document")
    parser.add_argument("--rates", type=int, nargs="+", default=[1, 4], help="CPU throttling rates")
    parser.add_argument("--repeat", type=int, default=3, help="cold loads per query and rate (the median counts)")
    parser.add_argument(
        "--engines",
        nargs="+",
        choices=list(ENGINES),
        default=[e for e in ENGINES if e != "woo-before"],
        help="--engines woo: ours alone, Pagefind not built (woo-before: with --before only)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file (tests/test_search_benchmark.py)")
    parser.add_argument(
        "--keep",
        type=Path,
        help="build each site in DIR/site-N and keep it: a later run with the same corpus reuses its HTML pages and "
        "Pagefind index and builds the shell and our index anew (delete DIR when done: 1,000 decisions take ~0.5 GB)",
    )
    parser.add_argument(
        "--before",
        type=Path,
        metavar="TREE",
        help="also measure the search of another checkout (e.g. main's worktree, the code before a change) on the same "
        "site: engine woo-before, its own page, scripts and index",
    )
    args = parser.parse_args()
    report_inflection_recall()
    if not (args.site / "zoeken/index.html").is_file():
        sys.exit("Bouw eerst de demosite: make demo")
    if any(e.startswith("pagefind") for e in args.engines) and pagefind_executable() is None:
        sys.exit("Pagefind ontbreekt: .venv/bin/pip install -e '.[bench]'")
    if browser_missing():
        sys.exit(browser_missing())
    engines = [e for e in args.engines if e != "woo-before" or args.before]
    if args.before and "woo-before" not in engines:
        engines.insert(1, "woo-before")
    figures = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            with_pagefind = any(e.startswith("pagefind") for e in engines)
            out = args.keep / f"site-{n}" if args.keep else Path(tmp) / "site"
            site = build_site(args.site, out, n, args.documents, args.pages, pagefind=with_pagefind)
            if args.before:
                build_before(site, args.before.resolve(), args.documents, args.pages)
            server = NodeServer(site.root)
            print(f"\n{n:,} decisions: measuring; load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
            try:
                results = measure(site, server.base, args.rates, args.repeat, engines)
            finally:
                server.close()
            report(site, results, args.rates, args.documents, args.pages)
        figures.append(
            {
                "decisions": n,
                "ours": site.ours,
                "pagefind": site.pagefind,
                "queries": [{**asdict(m), "expected": expected_decision(site.corpus, m.kind)} for m in results],
            }
        )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
