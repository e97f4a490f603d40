"""A ministry's whole Woo archive on one machine (issue 19): the POST-GATE part of the build at 1,000 to
10,000 decisions, without waiting days for the PDF gate.

What is REAL here: the decision packages (besluit.md, inventaris.csv of 22 to 28 rows, signed
approvals with the demonstration key), one distinct PDF file per document (a valid one-page PDF made
by hand, padded with incompressible bytes to ``--pdf-kb`` so copying, hashing and the ZIPs move real
bytes), and the whole ``woo-publish build`` command in its own process: validation, approval checks,
SHA-256 of every file, the cache look-ups, the views, every page, mkdocs, the script check, the
downloads and ZIPs, open data, DiWoo sitemaps, the search index, the swap.

What is SEEDED: the PDF gate's result for every PDF is written into the inspection cache beforehand
(as the gate would, keyed by the file's SHA-256 and the gate's code version), with realistic page
texts: 1 to 6 pages per document (3.6 on average, as in the 1,000-decision archive of issue 19:
78,135 pages in 21,859 PDFs), about 460 words (4,300 characters) per page. A page is one of 400 base
texts of Dutch-like prose (``corpus.py``) followed by a tail of its own: 8 words from a pool of 20
million words that occur in no base text, drawn log-uniformly, and 3 numbers, so the search index
vocabulary grows with the archive as real text's does (Heaps' law: more slowly than the text). The
build reads these texts from the cache exactly as it reads the gate's own. The published copy in the
cache is the PDF itself. So the build measured here parses no PDF at all: it is a cold build with a warm cache. The gate's cost is reported separately, as pages divided by the
gate rate that ``benchmarks/gate_throughput.py`` measures (``--gate-rate``, pages per second on this
machine).

Measured per size: wall time and peak memory of three builds (first build into an empty output,
rebuild with nothing changed, rebuild after one document of one decision was replaced by a real
reportlab PDF and approved again: that one PDF goes through the real gate). Peak memory is the sum of
the resident memory of the build and all its child processes, sampled from /proc every 50 ms (not a
cgroup figure: the machine is shared), and the largest single process (``ru_maxrss``). Files and
bytes that each rebuild wrote and what an rsync would upload come from comparing the output before
and after (modification time and SHA-256 of every file).

Run (one size at a time on a shared machine):
    .venv/bin/python benchmarks/archive_scale.py --sizes 1000 3000 [--work DIR] [--gate-rate 30.5]
Corpora and seeded caches are kept in --work (default .cache/bench-archive) and reused.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import paragraph  # noqa: E402
from nightly import _approve, rebuild_scenarios, run_build, show_scenarios, write_package  # noqa: E402

from publish.cachestore import KEY_ENV, create_key  # noqa: E402

CORPUS_VERSION = "2"
# The corpus's own cache key, beside its seeded cache (never in the user's configuration folder): the seed is signed
# with it, and every build of the benchmark names it (WOO_CACHE_KEY_FILE), as an operator names a shared key.
CORPUS_KEY = "woo-cachesleutel"


def use_corpus_key(root: Path) -> Path:
    """The corpus's key file (made when missing), named for this process and every build it starts."""
    path = root / CORPUS_KEY
    if not path.is_file():
        create_key(path)
    os.environ[KEY_ENV] = str(path)
    return path


RARE_POOL = 20_000_000  # words that occur in no base text, drawn log-uniformly: the vocabulary grows as real text's does
BASE_TEXTS = 400
SYLLABLES = "ba be bo da de di ka ke ko la le lo ma me mo na ne no pa pe po ra re ro sa se so ta te to va ve vo wa we".split()


def tiny_pdf(label: str, pad: int) -> bytes:
    """A valid one-page PDF with ``label`` on it and ``pad`` bytes of incompressible padding in an
    unused stream (so ZIPs and copies move real bytes)."""
    content = f"BT /F1 12 Tf 72 720 Td ({label}) Tj ET".encode("ascii")
    filler = random.Random(label).randbytes(pad)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(filler) + filler + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def _rare(rng: random.Random) -> str:
    """A word from a pool of 20 million, the lower numbers far more likely (log-uniform): the number of
    distinct words grows more slowly than the text, as in real text (Heaps' law)."""
    n = int(RARE_POOL ** rng.random())
    word = []
    while True:
        n, r = divmod(n, len(SYLLABLES))
        word.append(SYLLABLES[r])
        if not n:
            return "".join(word) + "x"


def page_texts(rng: random.Random, base: list[str], pages: int) -> list[str]:
    out = []
    for _ in range(pages):
        tail = " ".join([_rare(rng) for _ in range(8)] + [str(rng.randint(1000, 999999)) for _ in range(3)])
        out.append(rng.choice(base) + "\n" + tail + ".")
    return out


def make_archive(root: Path, decisions: int, pad: int, seed: int = 11) -> tuple[Path, Path, dict]:
    """``decisions`` approved packages under root/decisions and a seeded cache under root/cache-seed."""
    from publish.cache import Cache
    from publish.pdfs import PDF_CODE_VERSION

    target, seeded = root / "decisions", root / "cache-seed"
    done = root / "klaar.json"
    if done.is_file():
        info = json.loads(done.read_text())
        if info.get("key") == [CORPUS_VERSION, decisions, pad]:
            return target, seeded, info
    shutil.rmtree(root, ignore_errors=True)
    target.mkdir(parents=True)
    use_corpus_key(root)
    cache = Cache(seeded)
    rng = random.Random(seed)
    base = ["\n".join(paragraph(rng, rng.randint(60, 90)) for _ in range(6)) for _ in range(BASE_TEXTS)]
    totals = {"pdfs": 0, "pages": 0, "text_chars": 0, "pdf_bytes": 0}

    def pdf(path: Path, label: str, pages: int) -> None:
        data = tiny_pdf(label, pad)
        path.write_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        texts = page_texts(rng, base, pages)
        key = f"{sha}-v{PDF_CODE_VERSION}"
        cache.put_bytes("published", key, ".pdf", data)
        cache.put_json(
            "pdf",
            key,
            {
                "sha256": sha,
                "ok": True,
                "pages": pages,
                "texts": texts,
                "error": "",
                "error_code": "",
                "published_size": len(data),
                "published_sha256": sha,
                "findings": [],
            },
        )
        totals["pdfs"] += 1
        totals["pages"] += pages
        totals["text_chars"] += sum(len(t) for t in texts)
        totals["pdf_bytes"] += len(data)

    for i in range(decisions):
        pkg = write_package(
            target,
            i,
            rng,
            "archief",
            lambda path, kenmerk, nr: pdf(path, f"{kenmerk} document {nr}", rng.choice((1, 2, 2, 3, 3, 4, 4, 5, 6, 6))),
            lambda path, kenmerk: pdf(path, f"{kenmerk} besluitbrief", 2),
        )
        _approve(pkg)
    info = {"key": [CORPUS_VERSION, decisions, pad], "version": PDF_CODE_VERSION, **totals}
    done.write_text(json.dumps(info))
    return target, seeded, info


def _rekey(cache: Path, seeded_version: str) -> None:
    """The gate's results are keyed by its code version: a seed made with other code is given the current
    version (the gate is not what is measured here). A JSON entry's MAC covers its key, so it is signed again
    under the new key (with the corpus's key, named by ``use_corpus_key`` before this runs); a plain rename
    would make the build refuse every seeded result and parse every PDF again."""
    from publish.cache import Cache
    from publish.pdfs import PDF_CODE_VERSION

    if seeded_version == PDF_CODE_VERSION:
        return
    store = Cache(cache)
    for path in sorted(cache.rglob(f"*-v{seeded_version}.*")):
        renamed = path.with_name(path.name.replace(f"-v{seeded_version}.", f"-v{PDF_CODE_VERSION}."))
        if path.suffix == ".json":
            kind = path.relative_to(cache).parts[0]
            store.put_json(kind, renamed.name.removesuffix(".json"), json.loads(path.read_bytes())["value"])
            path.unlink()
        else:
            path.rename(renamed)


def _du(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bench(size: int, work: Path, pad: int, gate_rate: float, keep: bool, only_first: bool = False) -> dict:
    t0 = time.perf_counter()
    corpus, seeded, info = make_archive(work / f"archive-{size}", size, pad)
    print(f"archief van {size} besluiten klaar in {time.perf_counter() - t0:.0f} s", flush=True)
    run_dir = work / f"run-{size}"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    out, cache = run_dir / "site", run_dir / "cache"
    shutil.copytree(seeded, cache)  # the build may add to its cache: the seed stays as it was
    # The seed is signed with the corpus's key (publish/cachestore.py): without it the build ignores every seeded
    # result and parses each (one-page) PDF again, and the page texts never reach the index.
    use_corpus_key(corpus.parent)
    _rekey(cache, info["version"])

    # The archive of published versions belongs to this run (not beside the reused corpus), so a second run
    # of the benchmark starts from the same state as the first.
    archive = ("--archief", str(run_dir / "archief"))
    first = run_build(corpus, out, cache, run_dir / "first.json", archive)
    if only_first:
        result = {"decisions": size, **{k: v for k, v in info.items() if k != "key"}, "first": first, "site_bytes": _du(out)}
        shutil.rmtree(run_dir, ignore_errors=True)
        return result
    from publish.cache import Cache
    from publish.pdfs import PDF_CODE_VERSION

    def new_package(target: Path, i: int) -> Path:
        """A new decision whose PDFs' gate results are seeded in the run's cache, as the corpus's are."""
        rng = random.Random(i)
        run_cache = Cache(cache)

        def pdf(path: Path, label: str, pages: int) -> None:
            data = tiny_pdf(label, pad)
            path.write_bytes(data)
            sha = hashlib.sha256(data).hexdigest()
            key = f"{sha}-v{PDF_CODE_VERSION}"
            run_cache.put_bytes("published", key, ".pdf", data)
            texts = page_texts(rng, [paragraph(rng, 80)], pages)
            run_cache.put_json("pdf", key, {"sha256": sha, "ok": True, "pages": pages, "texts": texts, "error": "",
                "error_code": "", "published_size": len(data), "published_sha256": sha, "findings": []})  # fmt: skip

        pkg = write_package(
            target, i, rng, "archief", lambda path, kenmerk, nr: pdf(path, f"{kenmerk} document {nr}", 3),
            lambda path, kenmerk: pdf(path, f"{kenmerk} besluitbrief", 2), newest=True,
        )  # fmt: skip
        _approve(pkg)
        return pkg

    scenarios = rebuild_scenarios(corpus, out, cache, run_dir, archive, new_package)
    warm, changed = scenarios["builds"]["warm"], scenarios["builds"]["changed"]
    result = {
        "decisions": size,
        **{k: v for k, v in info.items() if k not in ("key", "version")},
        "first": first,
        "warm": warm,
        "changed": changed,
        "site_bytes": _du(out),
        "gate_rate": gate_rate,
        "gate_seconds_estimate": info["pages"] / gate_rate if gate_rate else None,
        **scenarios,
        "warm_rewrite": scenarios["rewrites"]["warm"],
        "change_rewrite": scenarios["rewrites"]["changed"],
        "load_after": os.getloadavg(),
    }
    if not keep:
        shutil.rmtree(run_dir, ignore_errors=True)
    return result


def show(r: dict) -> None:
    def line(name: str, b: dict) -> str:
        t = b["timings"]
        return (
            f"  {name:<24} {b['wall']:8.1f} s  alle processen {b['peak_total_mib']:6.0f} MiB, grootste {b['peak_mib']:6.0f} MiB"
            f"  (valideren {t.get('valideren_en_pdf', 0):.0f} s, site {t.get('site', 0):.0f} s, mkdocs {t.get('mkdocs', 0):.0f} s,"
            f" zoekindex {t.get('zoekindex', 0):.0f} s; pdf's gelezen {b['pdfs_parsed']}; cpu {b.get('cpu_seconds', 0):.1f} s)"
        )

    print(
        f"{r['decisions']} besluiten, {r['pdfs']} pdf's, {r['pages']} pagina's ({r['text_chars'] / 1e6:.0f} M tekens), "
        f"site {r['site_bytes'] / 1e9:.2f} GB"
    )
    print(line("eerste build, warme cache", r["first"]))
    phases = r["first"].get("geheugen_mib") or {}
    if phases:  # issue 19: where the build process's peak is (its own resident peak per phase)
        print(
            "  piek per fase (bouwproces, MiB): "
            + ", ".join(f"{k} {v:.0f}" for k, v in sorted(phases.items(), key=lambda kv: -kv[1]))
        )
    if "warm" not in r:
        return
    show_scenarios(r)
    if r["gate_seconds_estimate"]:
        print(
            f"  pdf-controle (niet gemeten, geschat): {r['pages']} pagina's / {r['gate_rate']:g} pagina's/s = "
            f"{r['gate_seconds_estimate'] / 3600:.1f} uur; koude build ≈ {(r['gate_seconds_estimate'] + r['first']['wall']) / 3600:.1f} uur"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "bench-archive")
    parser.add_argument("--pdf-kb", type=int, default=30, help="size of each PDF file (padding)")
    parser.add_argument("--gate-rate", type=float, default=30.5, help="pages per second of the gate (gate_throughput.py)")
    parser.add_argument("--keep", action="store_true", help="keep the built site and cache of each size")
    parser.add_argument("--only-first", action="store_true", help="only the first build (no rebuilds, no comparison)")
    parser.add_argument("--json", type=Path, default=None, help="write all figures to this file as well")
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        results.append(bench(size, args.work, args.pdf_kb * 1024, args.gate_rate, args.keep, args.only_first))
        show(results[-1])
        sys.stdout.flush()
    if len(results) > 1:
        a, b = results[0], results[-1]
        per = (b["first"]["wall"] / b["decisions"]) / (a["first"]["wall"] / a["decisions"])
        mem = b["first"]["peak_total_mib"] / a["first"]["peak_total_mib"]
        print(f"{b['decisions']} t.o.v. {a['decisions']}: kosten per besluit {per:.2f}x, piekgeheugen {mem:.2f}x")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
