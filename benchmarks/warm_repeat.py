"""CPU seconds of a warm rebuild with nothing changed, repeated on one site (issue 19).

On a shared machine one build's figures vary by 20 % and more; this builds the same site several times in a row and
prints, per build, the CPU seconds of the build and its processes (``getrusage`` of the waited-for children: not
inflated by other work the way wall time is) and the build process's CPU seconds per phase (the build report's
``cpu_per_fase``), then the median. The first build into an empty ``--run`` folder is a cold build and is not counted.

Run, on a corpus of ``archive_scale.py`` (its seeded cache is copied once):
    .venv/bin/python benchmarks/archive_scale.py --sizes 100 --only-first --work W   # makes W/archive-100
    .venv/bin/python benchmarks/warm_repeat.py --corpus W/archive-100 --run /tmp/warm-100 --repeat 3
To compare two versions of the code, run it twice with separate ``--run`` folders (the cache keys hold the code).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support import build_args  # noqa: E402


def build(corpus: Path, run: Path) -> tuple[float, dict]:
    exe = Path(sys.executable).parent / "woo-publish"
    report = run / "rapport.json"
    archive = ("--archief", str(run / "archief"))
    args = build_args(
        corpus / "decisions", run / "site", "--report", str(report), *archive, cache=run / "cache", today="2026-01-01"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([str(exe), *args], capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise SystemExit(f"build failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    data = json.loads(report.read_text())
    data["_wall"] = wall
    return cpu, data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, required=True, help="an archive_scale.py corpus (decisions/, cache-seed/)")
    parser.add_argument("--run", type=Path, required=True, help="the site, cache and archive of these builds (kept)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    decisions = sum(1 for _ in (args.corpus / "decisions").iterdir())
    key = args.corpus / "woo-cachesleutel"  # the corpus's own key (archive_scale.CORPUS_KEY): its seed is signed with it
    if key.is_file():
        os.environ["WOO_CACHE_KEY_FILE"] = str(key)
    if not (args.run / "site").is_dir():
        args.run.mkdir(parents=True, exist_ok=True)
        if (args.corpus / "cache-seed").is_dir() and not (args.run / "cache").exists():
            shutil.copytree(args.corpus / "cache-seed", args.run / "cache")
        cpu, _ = build(args.corpus, args.run)
        print(f"eerste build: CPU {cpu:.1f} s (niet meegeteld)", flush=True)
        cpu, _ = build(args.corpus, args.run)  # the first warm build settles the record of the live site
        print(f"eerste warme build: CPU {cpu:.1f} s (niet meegeteld)", flush=True)
    cpus: list[float] = []
    walls: list[float] = []
    phases: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        cpu, report = build(args.corpus, args.run)
        cpus.append(cpu)
        walls.append(report["_wall"])
        for name, value in report.get("cpu_per_fase", {}).items():
            phases.setdefault(name, []).append(value)
        print(
            f"CPU {cpu:.2f} s, wandtijd {report['_wall']:.1f} s, handtekeningen "
            f"{report.get('tellers', {}).get('handtekeningen_gecontroleerd', '?')}, hergebruikt {report['site'].get('bestanden_hergebruikt', 0)} bestanden; per fase: "
            + ", ".join(f"{k} {v:.2f}" for k, v in sorted(report.get("cpu_per_fase", {}).items(), key=lambda kv: -kv[1])),
            flush=True,
        )
    median = statistics.median(cpus)
    print(
        f"{decisions} besluiten: mediaan CPU {median:.2f} s, {1000 * median / decisions:.1f} ms per besluit; "
        f"mediaan wandtijd {statistics.median(walls):.1f} s"
    )
    print(
        "mediaan per fase: "
        + ", ".join(
            f"{k} {statistics.median(v):.2f}" for k, v in sorted(phases.items(), key=lambda kv: -statistics.median(kv[1]))
        )
    )


if __name__ == "__main__":
    main()
