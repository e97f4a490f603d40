"""Nightly rebuild at scale: cold build, warm rebuild with nothing changed, rebuild after one changed
package, for synthetic corpora of realistic size (about 20 PDFs per decision, 1 to 4 pages each,
with redaction boxes and ground codes; inventories of about 25 rows).

Every build is the real ``woo-publish build`` command in its own process, so the figures include
start-up, mkdocs and the atomic swap, as the scheduler sees them. Reported per size: seconds, peak
memory of the largest process, share of the time spent in mkdocs, PDFs parsed, PDF pages per second
of the cold build beside poppler's ``pdftotext`` on the same files (the practical limit), and the
cost per decision.

Sync-friendly output (issue 19): before and after the warm and the one-change rebuild the site tree is
compared file by file (modification time and SHA-256): how many files and bytes the build rewrote,
how many of those really changed, and the bytes an ``rsync``/S3-sync would upload (new files and files
whose size or modification time changed, sent whole). Peak memory is reported twice: the largest
single process (``ru_maxrss``) and the whole build, all processes together (the build and its PDF
workers, sampled from /proc every 50 ms).

Run: .venv/bin/python benchmarks/nightly.py [--sizes 100 1000] [--work DIR]
Corpora are kept in --work (default .cache/bench-nightly) and reused: generating 20,000 PDFs takes
a while on two cores.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests"))

from corpus import WORDS, document_blocks, write_document  # noqa: E402

from publish.approval import write_approval  # noqa: E402
from publish.signing import private_copy  # noqa: E402

from support import build_args  # noqa: E402  (the build command line the tests use)

# Signed with the DEMONSTRATION key (demo/sleutels/README.md), trusted by the repository's mkdocs.yml.
DEMO_SIGNERS = ROOT / "demo" / "sleutels" / "toegestane-ondertekenaars"


def write_besluit_md(pkg: Path, kenmerk: str, i: int, decided: dt.date, rng: random.Random) -> None:
    """The front matter of synthetic package ``i`` (shared by this benchmark and archive_scale.py)."""
    subjects = sorted(rng.sample(SUBJECTS, 2))
    (pkg / "besluit.md").write_text(
        "---\n"
        f"kenmerk: {kenmerk}\n"
        f"titel: Verzoek over {' '.join(rng.choice(WORDS) for _ in range(3))} ({i})\n"
        f"organisatie: {ORGANISATIONS[i % 2]}\n"
        "wet: Woo\n"
        "besluit: deels openbaar\n"
        f"besluit_datum: {decided.isoformat()}\n"
        f"publicatie_datum: {(decided + dt.timedelta(days=7)).isoformat()}\n"
        f"verzoek_ontvangen: {(decided - dt.timedelta(days=rng.randint(20, 60))).isoformat()}\n"
        f"onderwerpen: [{', '.join(subjects)}]\n"
        "besluitbrief: besluitbrief.pdf\n"
        "inventaris: inventaris.csv\n"
        "---\n"
        f"Samenvatting: {' '.join(rng.choice(WORDS) for _ in range(60))}.\n",
        encoding="utf-8",
    )


def write_package(target: Path, i: int, rng: random.Random, suffix: str, document, letter, newest: bool = False) -> Path:
    """Synthetic package ``i`` under ``target`` (shared by this benchmark and archive_scale.py): an inventory of
    22 to 28 rows, the front matter, and for each document ``document(path, kenmerk, nr)`` and for the decision
    letter ``letter(path, kenmerk)``, which write the PDF or plan it. Both may draw from ``rng``: they are
    called in the order the corpus has always been drawn in (a kept corpus stays valid). ``newest``: decided the day
    after the last day any package of the corpus can have (a new decision of the night, published after every other
    one: the "one decision added" rebuild)."""
    decided = dt.date(2022, 6, 1) + dt.timedelta(days=1300 if newest else (i * 37) % 1300)  # spread over years
    kenmerk = f"{decided.year}-{i:07d}"
    pkg = target / f"{kenmerk}-{suffix}"
    (pkg / "documenten").mkdir(parents=True)
    rows = []
    for nr in range(1, rng.randint(22, 28) + 1):
        assessment, grounds = ASSESSMENTS[0] if nr % 7 == 1 else rng.choice(ASSESSMENTS)
        file = "" if assessment == "niet openbaar" else f"documenten/{nr}.pdf"
        if file:
            document(pkg / file, kenmerk, nr)
        title = " ".join(rng.choice(WORDS) for _ in range(4)).capitalize()
        rows.append([nr, title, (decided - dt.timedelta(days=30 + 11 * nr)).isoformat(), assessment, grounds, file])
    with (pkg / "inventaris.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["nr", "document", "datum", "beoordeling", "gronden", "bestand"])
        writer.writerows(rows)
    letter(pkg / "besluitbrief.pdf", kenmerk)
    write_besluit_md(pkg, kenmerk, i, decided, rng)
    return pkg


def _approve(pkg: Path) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        write_approval(pkg, private_copy(ROOT / "demo" / "sleutels" / "demo-ondertekenaar", Path(tmp)), DEMO_SIGNERS)


ORGANISATIONS = ["Kiesraad", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"]
CORPUS_VERSION = "3"  # raise when the generator changes: kept corpora are made anew
SUBJECTS = ["datalekken", "privacy", "berichtenapps", "subsidies", "inkoop", "huisvesting", "verkiezingen", "ict"]
ASSESSMENTS = [
    ("openbaar", ""),
    ("deels openbaar", "5.1.2.e"),
    ("deels openbaar", "5.1.2.e; 5.2.1"),
    ("niet openbaar", "5.1.2.i"),
    ("deels openbaar", "5.1.2.d"),
]


def _document(args: tuple[str, int, int]) -> None:
    path, seed, pages = args
    write_document(Path(path), random.Random(seed), pages)


def _letter(args: tuple[str, int]) -> None:
    from pdfdraw import write_pdf

    path, seed = args
    rng = random.Random(seed)
    write_pdf(Path(path), ["# Besluit op uw Woo-verzoek"] + document_blocks(rng, 2)[1:])


def make_corpus(root: Path, decisions: int, seed: int = 7) -> Path:
    """``decisions`` approved packages under root/decisions; reused when already complete."""
    target = root / "decisions"
    done = root / "klaar.txt"
    if done.is_file() and done.read_text() == f"{CORPUS_VERSION} {decisions}":
        return target
    shutil.rmtree(root, ignore_errors=True)
    target.mkdir(parents=True)
    rng = random.Random(seed)
    jobs: list[tuple] = []
    letters: list[tuple] = []
    for i in range(decisions):
        write_package(
            target,
            i,
            rng,
            "synthetisch",
            lambda path, kenmerk, nr: jobs.append((str(path), rng.randrange(1 << 30), rng.randint(1, 4))),
            lambda path, kenmerk: letters.append((str(path), rng.randrange(1 << 30))),
        )
    with ProcessPoolExecutor() as pool:
        list(pool.map(_document, jobs, chunksize=32))
        list(pool.map(_letter, letters, chunksize=32))
    for pkg in sorted(target.iterdir()):
        _approve(pkg)
    done.write_text(f"{CORPUS_VERSION} {decisions}")
    return target


def _rss_of_tree(root: int) -> int:
    """Resident bytes of process ``root`` and all its descendants (Linux /proc; 0 elsewhere)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            stat = (proc / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            pid = int(proc.name)
            children.setdefault(int(fields[1]), []).append(pid)
            rss[pid] = int(fields[21]) * page
        except (OSError, ValueError, IndexError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    """path -> (mtime_ns, size, sha256) of every file under ``folder``."""
    import hashlib

    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.is_symlink():
            st = p.stat()
            out[str(p.relative_to(folder))] = (st.st_mtime_ns, st.st_size, hashlib.sha256(p.read_bytes()).hexdigest())
    return out


# What a sync uploads, per group of files (issue 19: which part of a change costs what).
UPLOAD_GROUPS = (
    ("zoekindex", ("zoeken/index/",)),
    ("open data", ("data.json", "data/")),
    ("lijsten", ("besluiten/", "gronden/", "index.html", "statistieken/")),
    ("sitemaps en feed", ("sitemap", "robots.txt", "feed.xml")),
)


def upload_group(path: str) -> str:
    """The group of ``UPLOAD_GROUPS`` a site file is in; everything else is the decisions' own files."""
    for name, prefixes in UPLOAD_GROUPS:
        if path.startswith(prefixes):
            return name
    return "besluiten zelf"


def compare(before: dict, after: dict) -> dict:
    """What a rebuild did to the tree: files rewritten (new modification time), really changed (new
    content), added, removed, and what a sync that compares size and modification time would upload."""
    new = [k for k in after if k not in before]
    removed = [k for k in before if k not in after]
    both = [k for k in after if k in before]
    touched = [k for k in both if after[k][0] != before[k][0]]
    changed = [k for k in both if after[k][2] != before[k][2]]
    upload = new + [k for k in both if after[k][:2] != before[k][:2]]
    return {
        "files": len(after),
        "bytes": sum(v[1] for v in after.values()),
        "rewritten_files": len(touched) + len(new),
        "rewritten_bytes": sum(after[k][1] for k in touched + new),
        "changed_files": len(changed) + len(new),
        "changed_bytes": sum(after[k][1] for k in changed + new),
        "touched_same_content": len(set(touched) - set(changed)),
        "added": len(new),
        "removed": len(removed),
        "sync_upload_files": len(upload),
        "sync_upload_bytes": sum(after[k][1] for k in upload),
        "changed_examples": sorted(changed + new)[:12],
        # What changed outside the search index (the pages, downloads and open data of the site), up to 40.
        "changed_outside_index": sorted(k for k in changed + new if not k.startswith("zoeken/index/"))[:40],
        # The search index's part (zoeken/index/): what issue 19 asks to bring down.
        "index_files": sum(1 for k in after if k.startswith("zoeken/index/")),
        "index_bytes": sum(v[1] for k, v in after.items() if k.startswith("zoeken/index/")),
        "index_changed_files": sum(1 for k in changed + new if k.startswith("zoeken/index/")),
        "index_changed_bytes": sum(after[k][1] for k in changed + new if k.startswith("zoeken/index/")),
        # What the sync uploads, per group (``UPLOAD_GROUPS``): [files, bytes].
        "upload_groups": _groups(upload, after),
    }


def _groups(paths: list[str], tree: dict) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for k in paths:
        entry = groups.setdefault(upload_group(k), [0, 0])
        entry[0] += 1
        entry[1] += tree[k][1]
    return dict(sorted(groups.items()))


def run_build(decisions: Path, out: Path, cache: Path, report: Path, extra: tuple[str, ...] = ()) -> dict:
    """One real build in its own process; returns the JSON report with wall time and peak memory."""
    import threading

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    exe = Path(sys.executable).parent / "woo-publish"
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(exe), *build_args(decisions, out, "--report", str(report), *extra, cache=cache, today="2026-01-01")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak_total = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak_total[0] = max(peak_total[0], _rss_of_tree(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    sampler.join()
    result = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    wall = time.perf_counter() - t0
    if result.returncode != 0:
        raise SystemExit(f"build failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    data = json.loads(report.read_text())
    data["wall"] = wall
    # ru_maxrss of waited-for children is the largest of them (not a sum), in KiB on Linux; it only
    # grows, so a later, smaller build reports the earlier peak: each size runs cold build first.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    data["peak_mib"] = max(before, usage.ru_maxrss) / 1024
    # CPU seconds of the build and every process it waited for (its PDF workers): what a cluster is paid
    # for, and unlike wall time not inflated by other work on a shared machine (the cost model in
    # docs/beheer.md is pages per CPU-hour of the whole cold build).
    data["cpu_seconds"] = usage.ru_utime + usage.ru_stime - cpu_before
    data["peak_total_mib"] = peak_total[0] / 2**20  # all processes of the build together, sampled
    return data


DEMO_KEY = ROOT / "demo" / "sleutels" / "demo-ondertekenaar"
SCENARIOS = (
    ("warm", "warm, niets gewijzigd"),
    ("changed", "één document vervangen"),
    ("text", "tekst van besluit.md gewijzigd"),
    ("added", "één besluit toegevoegd"),
    ("withdrawn", "één besluit ingetrokken"),
)


def rebuild_scenarios(corpus: Path, out: Path, cache: Path, run_dir: Path, extra: tuple[str, ...], new_package) -> dict:
    """The rebuilds of issue 19 after a first build into ``out``, one after the other on the same site: nothing
    changed; one document of one decision replaced by a real reportlab PDF (approved again); one decision's
    besluit.md text changed (approved again); one new decision (``new_package(target, i)`` writes it, approved);
    one decision withdrawn (``woo-publish withdraw``, signed with the demonstration key). For each: the build
    report (per-phase timings, CPU seconds) and what it did to the site tree (``compare``). The corpus is put
    back as it was afterwards (it is reused); the archive of published versions must be the run's own
    (``--archief`` in ``extra``): it remembers the withdrawal."""
    size = sum(1 for _ in corpus.iterdir())
    packages = sorted(corpus.iterdir())
    builds: dict[str, dict] = {}
    rewrites: dict[str, dict] = {}
    restore: dict[Path, bytes | None] = {}

    def keep(path: Path) -> None:
        if path not in restore:
            restore[path] = path.read_bytes() if path.exists() else None

    def step(name: str) -> None:
        before = snapshot(out)
        time.sleep(0.05)  # a rewrite of an unchanged file must show as a new modification time
        builds[name] = run_build(corpus, out, cache, run_dir / f"{name}.json", extra)
        rewrites[name] = compare(before, snapshot(out))

    added: Path | None = None
    try:
        step("warm")
        pkg = packages[size // 2]
        doc = sorted((pkg / "documenten").glob("*.pdf"))[0]
        for path in (doc, pkg / "goedkeuring.json"):
            keep(path)
        write_document(doc, random.Random(size), 2)
        _approve(pkg)
        step("changed")
        pkg = packages[size // 3]
        for path in (pkg / "besluit.md", pkg / "goedkeuring.json"):
            keep(path)
        text = (pkg / "besluit.md").read_text(encoding="utf-8")
        (pkg / "besluit.md").write_text(text.replace("Samenvatting: ", "Samenvatting (bijgewerkt): ", 1), encoding="utf-8")
        _approve(pkg)
        step("text")
        added = new_package(corpus, size)
        step("added")
        pkg = packages[size // 4]
        keep(pkg / "wijzigingen.json")
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            withdraw = subprocess.run(
                [str(Path(sys.executable).parent / "woo-publish"), "withdraw", str(pkg), "--reden", "Benchmark: ingetrokken",
                 "--datum", "2026-01-01", "--sleutel", str(private_copy(DEMO_KEY, Path(tmp))), "--config", str(ROOT / "mkdocs.yml")],
                capture_output=True, text=True,
            )  # fmt: skip
        if withdraw.returncode != 0:
            raise SystemExit(f"withdraw failed:\n{withdraw.stdout}\n{withdraw.stderr}")
        step("withdrawn")
    finally:
        for path, data in restore.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)
        if added is not None:
            shutil.rmtree(added, ignore_errors=True)
    return {"builds": builds, "rewrites": rewrites}


def show_scenarios(r: dict) -> None:
    """Per rebuild: CPU seconds, time per phase, and files and bytes rewritten and uploaded by a sync."""
    for key, name in SCENARIOS:
        if key not in r["builds"]:
            continue
        b, c = r["builds"][key], r["rewrites"][key]
        cpu = b.get("cpu_seconds", 0.0)
        print(
            f"  {name}: CPU {cpu:.1f} s ({1000 * cpu / r['decisions']:.1f} ms per besluit), wand {b['wall']:.1f} s, pdf's gelezen {b['pdfs_parsed']}"
        )
        phases = b.get("cpu_per_fase") or b["timings"]
        label = "CPU per fase" if b.get("cpu_per_fase") else "tijd per fase"
        print(
            f"    {label}: "
            + ", ".join(f"{k} {v:.2f}" for k, v in sorted(phases.items(), key=lambda kv: -kv[1]) if k != "totaal")
        )
        print(
            f"    {c['rewritten_files']} van {c['files']} bestanden herschreven ({c['rewritten_bytes'] / 1e6:.3f} MB), "
            f"{c['changed_files']} met nieuwe inhoud ({c['changed_bytes'] / 1e6:.3f} MB), {c['touched_same_content']} "
            f"herschreven met dezelfde inhoud, {c['added']} nieuw, {c['removed']} verwijderd; sync uploadt {c['sync_upload_files']} "
            f"bestanden, {c['sync_upload_bytes'] / 1e6:.3f} MB; zoekindex {c['index_changed_files']} van {c['index_files']} "
            f"bestanden ({c['index_changed_bytes'] / 1e6:.3f} MB)"
        )
        if c.get("upload_groups"):
            print(
                "    sync per groep: "
                + "; ".join(f"{g} {f} bestanden {b / 1e6:.3f} MB" for g, (f, b) in c["upload_groups"].items())
            )
        if c.get("changed_outside_index"):
            print("    buiten de zoekindex: " + ", ".join(c["changed_outside_index"]))


def pdftotext_pages_per_second(pdfs: list[Path], pages: int) -> float | None:
    if not shutil.which("pdftotext"):
        return None
    t0 = time.perf_counter()
    with ProcessPoolExecutor() as pool:  # same number of cores as the build
        list(pool.map(_pdftotext, [str(p) for p in pdfs], chunksize=16))
    return pages / (time.perf_counter() - t0)


def _pdftotext(path: str) -> None:
    subprocess.run(["pdftotext", path, "-"], capture_output=True, check=True)


def bench(size: int, work: Path, extra: tuple[str, ...] = ()) -> dict:
    corpus = make_corpus(work / f"corpus-{size}", size)
    run_dir = work / f"run-{size}"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    out, cache = run_dir / "site", run_dir / "cache"

    extra = (*extra, "--archief", str(run_dir / "archief"))  # the run's own: it remembers the withdrawal
    cold = run_build(corpus, out, cache, run_dir / "cold.json", extra)

    def new_package(target: Path, i: int) -> Path:
        rng = random.Random(i)
        pkg = write_package(
            target,
            i,
            rng,
            "synthetisch",
            lambda path, kenmerk, nr: write_document(path, rng, rng.randint(1, 4)),
            lambda path, kenmerk: _letter((str(path), rng.randrange(1 << 30))),
            newest=True,
        )
        _approve(pkg)
        return pkg

    scenarios = rebuild_scenarios(corpus, out, cache, run_dir, extra, new_package)

    from pypdf import PdfReader

    pdfs = sorted(corpus.rglob("*.pdf"))
    pages = sum(len(PdfReader(p).pages) for p in pdfs)
    pdf_seconds = cold["timings"].get("valideren_en_pdf", 0.0)
    return {
        "decisions": size,
        "pdfs": len(pdfs),
        "pages": pages,
        "cold": cold,
        "warm": scenarios["builds"]["warm"],
        "changed": scenarios["builds"]["changed"],
        **scenarios,
        "gate_pages_per_s": pages / pdf_seconds if pdf_seconds else None,
        "pages_per_cpu_hour": pages / cold["cpu_seconds"] * 3600 if cold.get("cpu_seconds") else None,
        "pdftotext_pages_per_s": pdftotext_pages_per_second(pdfs, pages),
        "site_bytes": sum(f.stat().st_size for f in out.rglob("*") if f.is_file()),
        "warm_rewrite": scenarios["rewrites"]["warm"],
        "change_rewrite": scenarios["rewrites"]["changed"],
    }


def show(r: dict) -> None:
    def line(name: str, b: dict) -> str:
        mk = b["timings"].get("mkdocs", 0.0)
        return (
            f"  {name:<24} {b['wall']:8.1f} s  CPU {b.get('cpu_seconds', 0.0):8.1f} s  piek {b['peak_mib']:7.0f} MiB (alle processen {b['peak_total_mib']:6.0f} MiB)"
            f"  mkdocs {100 * mk / b['wall']:4.0f}%"
            f"  pdf's gelezen {b['pdfs_parsed']:6d}"
        )

    print(f"{r['decisions']} besluiten, {r['pdfs']} pdf's, {r['pages']} pagina's, site {r['site_bytes'] / 1e6:.0f} MB")
    print(line("koude build", r["cold"]))
    print(line("warm, niets gewijzigd", r["warm"]))
    print(line("één pakket gewijzigd", r["changed"]))
    print(
        f"  warm / koud: {r['warm']['wall'] / r['cold']['wall']:.3f}; per besluit koud {r['cold']['wall'] / r['decisions']:.3f} s, "
        f"warm {r['warm']['wall'] / r['decisions']:.4f} s"
    )
    for name, key in (("warm, niets gewijzigd", "warm_rewrite"), ("één pakket gewijzigd", "change_rewrite")):
        c = r[key]
        print(
            f"  {name}: {c['rewritten_files']} van {c['files']} bestanden herschreven ({c['rewritten_bytes'] / 1e6:.2f} MB), "
            f"{c['changed_files']} met nieuwe inhoud ({c['changed_bytes'] / 1e6:.2f} MB), {c['touched_same_content']} "
            f"herschreven met dezelfde inhoud, {c['removed']} verwijderd; sync uploadt {c['sync_upload_files']} bestanden, "
            f"{c['sync_upload_bytes'] / 1e6:.2f} MB; zoekindex: {c['index_changed_files']} van {c['index_files']} bestanden "
            f"({c['index_changed_bytes'] / 1e6:.2f} van {c['index_bytes'] / 1e6:.2f} MB)"
        )
    if "builds" in r:
        show_scenarios(r)
    gate = r["gate_pages_per_s"]
    poppler = r["pdftotext_pages_per_s"]
    print(
        f"  pdf-controle in de koude build: {gate:.1f} pagina's/s op {os.cpu_count()} kernen"
        + (f"; pdftotext: {poppler:.1f} pagina's/s ({poppler / gate:.1f}x)" if poppler else "; pdftotext niet geïnstalleerd")
    )
    if r.get("pages_per_cpu_hour"):
        rate = f"{r['pages_per_cpu_hour']:,.0f}".replace(",", ".")
        print(f"  kostenmodel: {rate} pagina's per CPU-uur (hele koude build, alle processen)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "bench-nightly")
    parser.add_argument("--json", type=Path, default=None, help="write all figures to this file as well")
    parser.add_argument("--scheduler", default=None, help="inspect the PDFs on this Dask scheduler (--engine dask)")
    args = parser.parse_args()
    extra = ("--engine", "dask", "--scheduler", args.scheduler) if args.scheduler else ()
    results = []
    for size in args.sizes:
        t0 = time.perf_counter()
        make_corpus(args.work / f"corpus-{size}", size)
        print(f"corpus van {size} besluiten klaar in {time.perf_counter() - t0:.0f} s", flush=True)
        results.append(bench(size, args.work, extra))
        show(results[-1])
        sys.stdout.flush()
    if len(results) > 1:
        a, b = results[0], results[-1]
        ratio = (b["cold"]["wall"] / b["decisions"]) / (a["cold"]["wall"] / a["decisions"])
        print(f"kosten per besluit (koud), {b['decisions']} t.o.v. {a['decisions']}: {ratio:.2f}x")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
