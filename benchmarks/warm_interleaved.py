"""Issue 19 (branch pages19): a benchmark driver: corpus via archive_scale.make_archive, one run folder per code version (cold build and
one settling warm build), then warm rebuilds with nothing changed, interleaved main/branch."""

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

WT = Path(__file__).resolve().parent.parent
for folder in (WT, WT / "benchmarks", WT / "tests"):
    sys.path.insert(0, str(folder))
from support import build_args  # noqa
import archive_scale  # noqa

W = Path(os.environ.get("BENCH_WORK", "/work/bench/pages19"))  # corpora, run folders, code-main/ and code-branch/
EXE = WT / ".venv/bin/woo-publish"
CODE = {"main": W / "code-main", "branch": W / "code-branch"}
PHASES = ("site_paginas", "mkdocs", "site_wissel")


def build(corpus, run, code):
    report = run / "rapport.json"
    args = build_args(
        corpus / "decisions",
        run / "site",
        "--report",
        str(report),
        "--archief",
        str(run / "archief"),
        cache=run / "cache",
        today="2026-01-01",
    )
    env = dict(os.environ, PYTHONPATH=str(CODE[code]), WOO_CACHE_KEY_FILE=str(corpus / "woo-cachesleutel"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(["nice", "-n", "10", str(EXE), *args], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode not in (0, 1):
        raise SystemExit(f"build failed {r.returncode}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    data = json.loads(report.read_text())
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, data


def line(size, code, wall, cpu, d):
    t, c, s = d.get("timings", {}), d.get("cpu_per_fase", {}), d.get("site", {})
    ph = " ".join(f"{p} {t.get(p, 0):.2f}/{c.get(p, 0):.2f}" for p in PHASES)
    extra = {
        k: s.get(k)
        for k in (
            "bestanden_hergebruikt",
            "paginas_gerenderd",
            "paginas_uit_cache",
            "besluiten_paginas_gekoppeld",
            "besluiten_paginas_groep_opnieuw",
            "bestanden_tijd_behouden",
        )
    }
    print(f"{size} {code}: wall {wall:.1f} s, CPU {cpu:.1f} s; {ph}; {extra}", flush=True)


def main():
    size, rounds = int(sys.argv[1]), int(sys.argv[2])
    setup_only = len(sys.argv) > 3 and sys.argv[3] == "setup"
    decisions, seeded, info = archive_scale.make_archive(W / f"archive-{size}", size, 4096)
    corpus = decisions.parent
    archive_scale.use_corpus_key(corpus)
    for code in ("main", "branch"):
        run = W / f"run-{size}-{code}"
        if (run / "site").is_dir():
            continue
        run.mkdir(parents=True, exist_ok=True)
        shutil.copytree(seeded, run / "cache")
        archive_scale._rekey(run / "cache", info["version"])
        for label in ("koud", "eerste warme"):
            wall, cpu, d = build(corpus, run, code)
            print(f"{size} {code} {label}: wall {wall:.1f} s CPU {cpu:.1f} s", flush=True)
    if setup_only:
        return
    order = ["main", "branch"]
    for i in range(rounds):
        for code in order if i % 2 == 0 else order[::-1]:
            wall, cpu, d = build(corpus, W / f"run-{size}-{code}", code)
            line(size, code, wall, cpu, d)


if __name__ == "__main__":
    main()
