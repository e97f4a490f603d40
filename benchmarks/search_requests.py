"""What the number of index files per word costs a query at 4x (issue 19, branch search20): an experiment, not a format.

On a site kept by ``search_scale.py --keep`` (format 7: a word is in one file per bucket, 8 base buckets and 2
recent levels), writes for each word of the given queries two extra files beside the index: ``m3-<fnv>.json``, the
word's 8 base files as one JSON list (3 requests per word: that file and the 2 levels' files, the "3 partitions"
idea), and ``m1-<fnv>.json``, all its files as one list (1 request). The same bytes are parsed; only the number of
requests changes. A copy of the search page (``zoeken-x/``) runs a copy of ``woo-search.js`` (``assets-x/``) that,
with ``&m=3`` or ``&m=1`` in the address, requests the merged file and hands each bucket's part to the unchanged
search. Then measures the three (interleaved cold loads, as ``search_probe.mjs``) and prints medians of the query ms
and the steps. Results are the same in all three (the scoring code is the same).

Run (after ``search_scale.py --sizes 10000 --engines woo --keep DIR``):
    python3 benchmarks/search_requests.py DIR/site-10000 --rate 4 --rounds 6 "aanbriefverbaar" "baaroverraadling aanbriefschap"
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from publish.search import fnv1a, stem  # noqa: E402

from support import NodeServer  # noqa: E402

PROBE = Path(__file__).resolve().parent / "search_probe.mjs"
PREFETCH = "    parsed.words.forEach(function (term) { shardNames(shards, term).forEach(load); });"
MERGED = """    var mode = params.get("m") || "";  // benchmarks/search_requests.py: a word's base files (m=3) or all (m=1) in one request
    parsed.words.forEach(function (term) {
      var names = shardNames(shards, term);
      if (mode === "1" || mode === "3") {
        var group = mode === "1" ? names : names.slice(0, BASE);
        var merged = fetch(base + "m" + mode + "-" + fnv(term) + ".json").then(function (r) { return r.json(); });
        group.forEach(function (name, i) { cache[name] = merged.then(function (list) { return list[i]; }); });
      }
      names.forEach(load);
    });"""


def prepare(site: Path, queries: list[str]) -> None:
    index = site / "zoeken/index"
    meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    for word in {w for q in queries for w in q.split()}:
        term = stem(word)
        if not term:
            continue
        h = fnv1a(term)
        names = [f"s-{g}-{h % count}.json" for g, count in enumerate(meta["shards"]) if count]
        parts = [json.loads((index / name).read_text(encoding="utf-8")) for name in names]
        dump = lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
        (index / f"m1-{h}.json").write_text(dump(parts), encoding="utf-8")
        (index / f"m3-{h}.json").write_text(dump(parts[: meta["basis"]]), encoding="utf-8")
    script = (site / "assets/woo-search.js").read_text(encoding="utf-8")
    assert PREFETCH in script, "woo-search.js changed: adapt PREFETCH"
    script = script.replace(PREFETCH, MERGED.replace("BASE", str(meta["basis"])))
    (site / "assets-x").mkdir(exist_ok=True)
    (site / "assets-x/woo-search.js").write_text(script, encoding="utf-8")
    shutil.rmtree(site / "zoeken-x", ignore_errors=True)
    (site / "zoeken-x").mkdir()
    (site / "zoeken-x/index").symlink_to("../zoeken/index")
    page = (site / "zoeken/index.html").read_text(encoding="utf-8")
    assert "../assets/woo-search.js" in page
    (site / "zoeken-x/index.html").write_text(
        page.replace("../assets/woo-search.js", "../assets-x/woo-search.js"), encoding="utf-8"
    )


def measure(site: Path, queries: list[str], rate: int, rounds: int) -> None:
    server = NodeServer(site)
    runs, keys = [], []
    try:
        for _ in range(rounds):
            for q in queries:
                for mode in ("", "3", "1"):
                    url = f"{server.base}zoeken-x/?q={q.replace(' ', '+')}" + (f"&m={mode}" if mode else "")
                    runs.append({"url": url, "result": "#woo-search-results > li", "link": "a[href]"})
                    keys.append((q, mode or "10"))
        options = {"runs": runs, "rates": [rate], "repeat": 1}
        done = subprocess.run(["node", str(PROBE), json.dumps(options)], capture_output=True, text=True, check=True, cwd=ROOT)
    finally:
        server.close()
    loads: dict[tuple[str, str], list[dict]] = {}
    for key, per_rate in zip(keys, json.loads(done.stdout)):
        loads.setdefault(key, []).extend(per_rate[str(rate)])
    for (q, mode), found in loads.items():
        ok = [m for m in found if m["ms"] is not None and "search:start" in m["marks"]]
        query_ms = sorted(m["ms"] - m["marks"]["search:start"] for m in ok)
        steps = {}
        for step in ("prefetch", "meta", "index", "display"):
            values = [
                m["marks"][f"woo-search:{step}"] - m["marks"]["search:start"] for m in ok if f"woo-search:{step}" in m["marks"]
            ]
            if values:
                steps[step] = round(statistics.median(values))
        links = {tuple(m["links"]) for m in ok}
        print(
            f"{q[:32]:32} {mode:>2} requests per word: query ms {round(statistics.median(query_ms))} {query_ms}, "
            f"steps {steps}{'' if len(links) == 1 else ', RESULTS DIFFER'}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path, help="a site kept by search_scale.py --keep (DIR/site-N)")
    parser.add_argument("queries", nargs="+")
    parser.add_argument("--rate", type=int, default=4, help="CPU throttling rate")
    parser.add_argument("--rounds", type=int, default=6, help="cold loads per query and variant, interleaved")
    args = parser.parse_args()
    prepare(args.site, args.queries)
    measure(args.site, args.queries, args.rate, args.rounds)


if __name__ == "__main__":
    main()
