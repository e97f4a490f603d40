"""What one changed decision rewrites in the search index (issue 19), and what a warm build costs.

Builds the index files for a synthetic site (benchmarks/search_scale.py's generator: 5 documents of 2
pages per decision, one decision per day), then after each of these changes counts the index files
whose bytes differ from the files before it (new, changed or gone) and their bytes, and times the index
build with a build cache (publish/cache.py, a temporary folder):

- nightly additions: ``--nights`` times one new decision, published the day after the newest, each
  build after the previous one (the common case; a level merge shows up as the night it happens);
- a decision's document replaced, with the change in its public history dated the newest day (as
  ``woo-publish approve`` writes it when an approved package is approved again with other files): one
  from the older recent level, one from the base (it must leave its base bucket);
- an old decision's text changed without a history entry, and an old decision removed (withdrawn):
  these must leave the base buckets too (the text must be gone from every published file).

Every build is also checked against a build from scratch (no cache): the same bytes, whatever came before.

Run: .venv/bin/python benchmarks/search_churn.py [--sizes 1000 3000] [--nights 8]
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_scale import synthetic_views

from publish.cache import Cache
from publish.history import REPLACED, Change
from publish.search import build_search_files, layout, stable_ids


def diff(before: dict[str, str], after: dict[str, str]) -> tuple[int, int]:
    changed = [k for k in after if before.get(k) != after[k]] + [k for k in before if k not in after]
    return len(changed), sum(len(after.get(k, before.get(k, "")).encode()) for k in changed)


def timed(views, cache: Cache) -> tuple[dict[str, str], float, float, dict]:
    """The files, wall s, CPU s (what counts on a shared machine) and the build's report."""
    report: dict = {}
    t0, c0 = time.perf_counter(), time.process_time()
    files = build_search_files(views, cache, None, report)
    return files, time.perf_counter() - t0, time.process_time() - c0, report


def newest_first(views):
    return sorted(views, key=lambda v: (-v.decision.decision_date.toordinal(), v.url))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 1000])
    parser.add_argument("--nights", type=int, default=8, help="nightly additions, one decision each")
    parser.add_argument("--no-check", action="store_true", help="skip the from-scratch comparison (faster)")
    args = parser.parse_args()
    for n in args.sizes:
        views = synthetic_views(n + args.nights, random.Random(n))
        extra, views = views[n:], views[:n]
        with tempfile.TemporaryDirectory(prefix="woo-churn-") as folder:
            cache = Cache(Path(folder))
            base, wall, cpu, _ = timed(views, cache)
            again, wall2, cpu2, report = timed(views, cache)
            assert again == base, "a warm build must give the same bytes as a cold one"
            total = sum(len(v.encode()) for v in base.values())
            pages = sum(1 + len(f.texts) for v in views for f in v.files)
            buckets, segment = layout(views)
            sizes = [sum(1 for g in segment.values() if g == k) for k in range(buckets)]
            print(f"{n} besluiten ({pages} pagina's en titels): zoekindex {len(base)} bestanden, {total / 1e6:.2f} MB")
            print(f"  emmers (besluiten per emmer, de recente lagen achteraan): {sizes}")
            print(
                f"  koud (lege cache): {wall:.1f} s (cpu {cpu:.1f} s); warm (niets gewijzigd): {wall2:.1f} s (cpu {cpu2:.1f} s) ({report})"
            )

            def step(name: str, before: dict, after_views, cache=cache, total=total) -> dict:
                after, wall, cpu, report = timed(after_views, cache)
                if not args.no_check:
                    assert after == build_search_files(after_views), f"{name}: not the bytes of a build from scratch"
                files, size = diff(before, after)
                print(
                    f"  {name}: {files} bestanden herschreven, {size / 1e6:.3f} MB ({100 * size / total:.2f}% van de index);"
                    f" index in {wall:.1f} s (cpu {cpu:.2f} s; {report['emmers_hergebruikt']} emmers uit de cache,"
                    f" {report['berekend']} teksten geanalyseerd)"
                )
                return {"files": files, "bytes": size, "cpu": cpu, "after": after}

            # Nightly additions: each a new decision published the day after the newest one.
            current, state, nights = list(views), base, []
            newest = max(v.decision.publication_date for v in views)
            for k, new in enumerate(extra, start=1):
                new = copy.deepcopy(new)
                day = newest + dt.timedelta(days=k)
                new.decision = dataclasses.replace(new.decision, decision_date=day - dt.timedelta(days=7), publication_date=day)
                current = newest_first(current + [new])
                result = step(f"nacht {k}: één besluit toegevoegd", state, current)
                state = result["after"]
                nights.append(result)
            for key, unit in (("files", ""), ("bytes", " MB"), ("cpu", " s")):
                values = [r[key] / (1e6 if key == "bytes" else 1) for r in nights]
                print(f"  per nacht {key}: mediaan {statistics.median(values):.3g}{unit}, hoogste {max(values):.3g}{unit}")

            # A decision approved again with another document (its history entry dated the newest day): from
            # its bucket (a recent level, or the base) into the newest level.
            _, where = layout(views)
            ids = stable_ids(v.url for v in views)
            for label, pick in (("recent besluit (oudere laag)", buckets - 2), ("besluit uit de basis", 0)):
                changed = copy.deepcopy(views)
                candidates = [v for v in changed if where[ids[v.url]] == pick]
                if not candidates:  # a small site: no decision there
                    continue
                target = max(candidates, key=lambda v: v.decision.publication_date)
                target.files[0].texts[0] += " nieuwewoordenreeks"
                target.history = [Change(newest, REPLACED, "1", target.files[0].title)]
                step(f"{label} opnieuw goedgekeurd (wijziging in de geschiedenis)", base, changed)
            # An old decision changed in place (no history entry) and an old decision removed: the base.
            changed = copy.deepcopy(views)
            oldest = min(changed, key=lambda v: v.decision.publication_date)
            oldest.files[0].texts[0] += " nieuwewoordenreeks"
            step("oud besluit gewijzigd (zonder wijzigingsdatum)", base, changed)
            step("oud besluit verwijderd", base, [v for v in views if v.url != oldest.url])


if __name__ == "__main__":
    main()
