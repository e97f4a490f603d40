"""What one changed decision rewrites in the search index (issue 19), without a full build.

Builds the index files for a synthetic site (benchmarks/search_scale.py's generator), then again
after (a) one decision's document text changed, (b) one decision added, (c) one decision removed,
and counts the index files whose bytes differ (new, changed or gone) and their bytes.

Run: .venv/bin/python benchmarks/search_churn.py [--sizes 30 1000]
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_scale import synthetic_views

from publish.search import build_search_files


def diff(before: dict[str, str], after: dict[str, str]) -> tuple[int, int]:
    changed = [k for k in after if before.get(k) != after[k]] + [k for k in before if k not in after]
    return len(changed), sum(len(after.get(k, before.get(k, "")).encode()) for k in changed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 1000])
    args = parser.parse_args()
    for n in args.sizes:
        views = synthetic_views(n + 1, random.Random(n))
        extra, views = views[-1], views[:-1]
        base = build_search_files(views)
        total = sum(len(v.encode()) for v in base.values())
        print(f"{n} besluiten: zoekindex {len(base)} bestanden, {total / 1e6:.2f} MB")
        changed = copy.deepcopy(views)
        target = changed[n // 2]
        target.files[0].texts[0] = target.files[0].texts[0] + " nieuwewoordenreeks"
        for name, after in (
            ("tekst van één document gewijzigd", build_search_files(changed)),
            (
                "één besluit toegevoegd",
                build_search_files(sorted(views + [extra], key=lambda v: -v.decision.decision_date.toordinal())),
            ),
            ("één besluit verwijderd", build_search_files(views[: n // 3] + views[n // 3 + 1 :])),
        ):
            files, size = diff(base, after)
            print(f"  {name}: {files} bestanden herschreven, {size / 1e6:.3f} MB ({100 * size / total:.1f}% van de index)")


if __name__ == "__main__":
    main()
