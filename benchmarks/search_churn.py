"""What one changed decision rewrites in the search index (issue 19), and what a warm build costs.

Builds the index files for a synthetic site (benchmarks/search_scale.py's generator: 5 documents of 2
pages per decision), then again after (a) one decision's document text changed, (b) one decision added,
(c) one decision removed, and counts the index files whose bytes differ (new, changed or gone) and their
bytes. With a build cache (publish/cache.py, a temporary folder) it also times the index build: cold
(empty cache), warm (nothing changed: every bucket's shards from the cache) and after each change (the
changed decision's bucket merged again from cached analysed texts, its own texts analysed).

Run: .venv/bin/python benchmarks/search_churn.py [--sizes 30 1000]
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_scale import synthetic_views

from publish.cache import Cache
from publish.search import build_search_files


def diff(before: dict[str, str], after: dict[str, str]) -> tuple[int, int]:
    changed = [k for k in after if before.get(k) != after[k]] + [k for k in before if k not in after]
    return len(changed), sum(len(after.get(k, before.get(k, "")).encode()) for k in changed)


def timed(views, cache: Cache) -> tuple[dict[str, str], str, dict]:
    """The files, "wall s (CPU s)" (the CPU time is what counts on a shared machine) and the build's report."""
    report: dict = {}
    t0, c0 = time.perf_counter(), time.process_time()
    files = build_search_files(views, cache, None, report)
    return files, f"{time.perf_counter() - t0:.1f} s (cpu {time.process_time() - c0:.1f} s)", report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 1000])
    args = parser.parse_args()
    for n in args.sizes:
        views = synthetic_views(n + 1, random.Random(n))
        extra, views = views[-1], views[:-1]
        with tempfile.TemporaryDirectory(prefix="woo-churn-") as folder:
            cache = Cache(Path(folder))
            base, cold, _ = timed(views, cache)
            again, warm, report = timed(views, cache)
            assert again == base, "a warm build must give the same bytes as a cold one"
            total = sum(len(v.encode()) for v in base.values())
            pages = sum(1 + len(f.texts) for v in views for f in v.files)
            print(f"{n} besluiten ({pages} pagina's en titels): zoekindex {len(base)} bestanden, {total / 1e6:.2f} MB")
            print(f"  koud (lege cache): {cold}; warm (niets gewijzigd): {warm} ({report})")
            changed = copy.deepcopy(views)
            target = changed[n // 2]
            target.files[0].texts[0] = target.files[0].texts[0] + " nieuwewoordenreeks"
            for name, after_views in (
                ("tekst van één document gewijzigd", changed),
                ("één besluit toegevoegd", sorted(views + [extra], key=lambda v: -v.decision.decision_date.toordinal())),
                ("één besluit verwijderd", views[: n // 3] + views[n // 3 + 1 :]),
            ):
                after, seconds, report = timed(after_views, cache)
                files, size = diff(base, after)
                print(
                    f"  {name}: {files} bestanden herschreven, {size / 1e6:.3f} MB ({100 * size / total:.1f}% van de index);"
                    f" index in {seconds} ({report['emmers_hergebruikt']} emmers uit de cache,"
                    f" {report['berekend']} teksten geanalyseerd)"
                )


if __name__ == "__main__":
    main()
