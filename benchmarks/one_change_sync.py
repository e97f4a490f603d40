"""Issue 19 (branch pages19): the one-decision changes of benchmarks/nightly.py (one document replaced, besluit.md text changed) on a
run folder of bench.py, with what a sync would upload (nightly.compare); the corpus is put back and built again."""

import json
import os
import random
import sys
import time
from pathlib import Path

WT = Path(__file__).resolve().parent.parent
for folder in (WT, WT / "benchmarks", WT / "tests"):
    sys.path.insert(0, str(folder))
import nightly  # noqa

W = Path(os.environ.get("BENCH_WORK", "/work/bench/pages19"))  # corpora, run folders, code-main/ and code-branch/
size, code = int(sys.argv[1]), sys.argv[2]
corpus = W / f"archive-{size}" / "decisions"
run = W / f"run-{size}-{code}"
os.environ["PYTHONPATH"] = str(W / f"code-{code}")
os.environ["WOO_CACHE_KEY_FILE"] = str(W / f"archive-{size}" / "woo-cachesleutel")
extra = ("--archief", str(run / "archief"))
packages = sorted(corpus.iterdir())
restore = {}


def keep(p):
    restore.setdefault(p, p.read_bytes())


def run_build(report):
    import resource
    import subprocess

    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(
        [
            str(WT / ".venv/bin/woo-publish"),
            *nightly.build_args(corpus, run / "site", "--report", str(report), *extra, cache=run / "cache", today="2026-01-01"),
        ],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    v = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode not in (0, 1):
        raise SystemExit(r.stdout[-2000:] + r.stderr[-2000:])
    b = json.loads(report.read_text())
    b["wall"], b["cpu_seconds"] = wall, v.ru_utime + v.ru_stime - u.ru_utime - u.ru_stime
    return b


def step(name):
    before = nightly.snapshot(run / "site")
    time.sleep(0.05)
    b = run_build(run / f"{name}.json")
    c = nightly.compare(before, nightly.snapshot(run / "site"))
    t, cpu, s = b["timings"], b.get("cpu_per_fase", {}), b["site"]
    print(
        f"{size} {code} {name}: wall {b['wall']:.1f} s CPU {b['cpu_seconds']:.1f} s; "
        + " ".join(f"{p} {t.get(p, 0):.2f}/{cpu.get(p, 0):.2f}" for p in ("site_paginas", "mkdocs", "site_wissel"))
        + f"; herschreven {c['rewritten_files']} bestanden {c['rewritten_bytes']} B, nieuwe inhoud {c['changed_files']}, "
        f"sync {c['sync_upload_files']} bestanden {c['sync_upload_bytes']} B; gerenderd {s.get('paginas_gerenderd')}, "
        f"gekoppeld {s.get('besluiten_paginas_gekoppeld')}, groep_opnieuw {s.get('besluiten_paginas_groep_opnieuw')}",
        flush=True,
    )


for pkg in (packages[size // 2], packages[size // 3]):
    nightly._approve(pkg)  # the content as in the corpus, approved now (an earlier run approved it later)
step("basis")
try:
    pkg = packages[size // 2]
    doc = sorted((pkg / "documenten").glob("*.pdf"))[0]
    for p in (doc, pkg / "goedkeuring.json"):
        keep(p)
    nightly.write_document(doc, random.Random(size), 2)
    nightly._approve(pkg)
    step("changed")
    pkg = packages[size // 3]
    for p in (pkg / "besluit.md", pkg / "goedkeuring.json"):
        keep(p)
    text = (pkg / "besluit.md").read_text(encoding="utf-8")
    (pkg / "besluit.md").write_text(text.replace("Samenvatting: ", "Samenvatting (bijgewerkt): ", 1), encoding="utf-8")
    nightly._approve(pkg)
    step("text")
finally:
    for p, data in restore.items():
        if p.name != "goedkeuring.json":
            p.write_bytes(data)
    for pkg in (packages[size // 2], packages[size // 3]):
        nightly._approve(pkg)
step("teruggezet")
