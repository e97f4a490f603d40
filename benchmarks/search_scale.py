"""Search at scale: synthetic sites of 1,000 and 10,000 decisions.

Reports index build time, total index bytes, and per query in headless Chromium the bytes of index
files transferred and the milliseconds from navigation to the first results.

Run: .venv/bin/python benchmarks/search_scale.py [--sizes 1000 10000]
Needs a built demo site for the search page and assets (make demo) and `make test`'s npm packages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from publish.grounds import lookup  # noqa: E402
from publish.search import build_search_files, inflection_recall, snowball_stem  # noqa: E402

PAIRS_FILE = ROOT / "tests" / "data" / "verbuigingen-nl.txt"


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


from support import NodeServer, probe  # noqa: E402

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
    title: str


@dataclass
class FakeRowView:
    row: FakeRow
    file: object = None


@dataclass
class FakeView:
    decision: FakeDecision
    files: list[FakeFile]
    rows: list[FakeRowView]
    url: str


def synthetic_views(n: int, rng: random.Random) -> list[FakeView]:
    vocab = vocabulary(rng, 40_000)
    weights = [1 / (i + 1) for i in range(len(vocab))]  # Zipf-like, as in real text

    def text(words: int) -> str:
        return " ".join(rng.choices(vocab, weights=weights, k=words))

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
        files = [FakeFile(f"Document {j}", f"besluit/w-{i:06d}/document-{j}.pdf", [text(220), text(220)]) for j in range(5)]
        views.append(FakeView(d, files, [FakeRowView(FakeRow(f.title)) for f in files], f"besluit/w-{i:06d}/"))
    return views


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    args = parser.parse_args()
    report_inflection_recall()
    if not (args.site / "zoeken/index.html").is_file():
        sys.exit("Bouw eerst de demosite: make demo")
    for n in args.sizes:
        rng = random.Random(n)
        views = synthetic_views(n, rng)
        queries = [
            views[0].decision.title.split()[0],
            views[n // 2].files[0].texts[0].split()[5],
            " ".join(views[n // 3].decision.title.split()[:2]),
            "onbestaandwoord",
        ]
        t0 = time.perf_counter()
        files = build_search_files(views)
        build_s = time.perf_counter() - t0
        total = sum(len(v.encode()) for v in files.values())
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            shutil.copytree(args.site, site, ignore=shutil.ignore_patterns("besluit", "*.pdf"))
            index_dir = site / "zoeken/index"
            shutil.rmtree(index_dir)
            index_dir.mkdir()
            for name, text in files.items():
                (index_dir / name).write_text(text, encoding="utf-8")
            server = NodeServer(site)
            try:
                print(
                    f"\n{n} besluiten: index gebouwd in {build_s:.1f} s, {total / 1e6:.1f} MB in {len(files)} bestanden "
                    f"({files['meta.json'].__len__() / 1e3:.0f} kB meta.json)"
                )
                for q in queries:
                    r = probe(url=server.base + "zoeken/?q=" + q, waitFor="#woo-search-status")
                    index_bytes = sum(
                        (index_dir / u.rsplit("/", 1)[1]).stat().st_size for u in r["requests"] if "/zoeken/index/" in u
                    )
                    index_files = [index_dir / u.rsplit("/", 1)[1] for u in r["requests"] if "/zoeken/index/" in u]
                    gz = sum(len(gzip.compress(p.read_bytes(), 6)) for p in index_files)
                    print(
                        f"  q={q!r:34} resultaten {r['resultsAfterNavigationMs']:5d} ms na navigatie "
                        f"({r['resultsAfterLoadMs']:5d} ms na load), index {index_bytes / 1e3:6.0f} kB "
                        f"({gz / 1e3:5.0f} kB gzip, {len(index_files)} bestanden), pagina + index {r['bytes'] / 1e3:6.0f} kB"
                    )
            finally:
                server.close()


if __name__ == "__main__":
    main()
