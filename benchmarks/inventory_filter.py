"""Filtering a decision's inventory of 50,000 documents in headless Chromium (target: < 200 ms).

Builds one synthetic decision with N rows (the decision page with the real theme, and its
inventaris.json), opens the decision page and times woo-inventory.js' update (filter over every row,
then rendering the first page of 100 rows) for a set of typical filters: words, an assessment, a
ground, a sort order and combinations. Reports the JSON size and, per filter, the milliseconds.

Run: .venv/bin/python benchmarks/inventory_filter.py [--rows 50000]
Needs `make test`'s npm packages and chromium.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from large_decision import build_large_site  # noqa: E402

from support import NodeServer, probe  # noqa: E402

FILTERS = [  # (words, assessment, ground, sort)
    ("windturbines", "", "", "nr"),
    ("e-mail begroting", "", "", "nr"),
    ("communicatieadviseur 12", "", "", "nr"),
    ("", "niet openbaar", "", "nr"),
    ("", "", "5.1.2.e", "nr"),
    ("nota", "deels openbaar", "5.2.1", "nr"),
    ("", "", "", "datum-nieuw"),
    ("", "", "", "titel"),
    ("verslag", "", "", "datum-oud"),
    ("zzzonvindbaar", "", "", "nr"),
]

SCRIPT = """(async () => {
  for (let i = 0; i < 600 && !(window.wooInventory && window.wooInventory.ready); i++) await new Promise(r => setTimeout(r, 50));
  const inv = window.wooInventory, ids = ['woo-inv-q', 'woo-inv-a', 'woo-inv-g', 'woo-inv-s'], out = [];
  for (const f of FILTERS) {
    const times = [];
    for (let run = 0; run < 5; run++) {
      ids.forEach((id, n) => { document.getElementById(id).value = f[n]; });
      inv.update(); times.push(inv.lastMs);
      ids.forEach((id, n) => { document.getElementById(id).value = n === 3 ? 'nr' : ''; }); inv.update();
    }
    ids.forEach((id, n) => { document.getElementById(id).value = f[n]; }); inv.update();
    out.push({filter: f, ms: times, first_ms: times[0], matches: inv.count()});
  }
  return out;
})()"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        t0 = time.perf_counter()
        view = build_large_site(out, args.rows, document_pages=0, inventory_pages=False)
        print(
            f"{args.rows} rows: site built in {time.perf_counter() - t0:.1f} s; decision page "
            f"{(out / view.url / 'index.html').stat().st_size / 1024:.0f} kB; inventaris.json "
            f"{(out / view.inventory_json_url).stat().st_size / 1024 / 1024:.1f} MB"
        )
        server = NodeServer(out)
        try:
            r = probe(url=server.base + view.url, evaluate=SCRIPT.replace("FILTERS", json.dumps(FILTERS)))
        finally:
            server.close()
        worst = 0.0
        for item in r["evaluated"]:
            words, assessment, ground, sort = item["filter"]
            label = " + ".join(x for x in (repr(words) if words else "", assessment, ground, f"sort {sort}") if x)
            median = statistics.median(item["ms"])
            worst = max(worst, max(item["ms"]))
            print(f"  {label:<48} {item['matches']:>6} rows  median {median:6.1f} ms  first {item['first_ms']:6.1f} ms")
        print(f"slowest filter: {worst:.1f} ms (target < 200 ms): {'OK' if worst < 200 else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
