"""The nightly rebuild: incremental (no PDF parsed twice), deterministic whatever was there before,
stale-free, and atomic when it is killed or stopped at any moment."""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import ROOT, all_text, approve, build_args

pytestmark = pytest.mark.slow  # every test here builds a whole site

EXE = Path(sys.executable).parent / "woo-publish"


def _args(decisions: Path, out: Path, cache: Path, *extra: str) -> list[str]:
    return [str(EXE), *build_args(decisions, out, *extra, cache=cache)]


def _build(decisions: Path, out: Path, cache: Path, report: Path | None = None) -> dict:
    extra = ("--report", str(report)) if report else ()
    result = subprocess.run(_args(decisions, out, cache, *extra), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(report.read_text()) if report else {}


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _processes_using(cache: Path, wait: float = 5.0) -> list[int]:
    """Processes whose command line names ``cache``: a killed build's PDF workers, if any survived."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if str(cache).encode() in (proc / "cmdline").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def _two_packages(make_package) -> tuple[Path, Path]:
    a = make_package("a", meta={"kenmerk": "2024-0001", "titel": "Eerste besluit"})
    b = make_package(
        "b",
        meta={"kenmerk": "2024-0002", "titel": "Tweede besluit VERDWIJNTWOORD"},
        pdf_text={"documenten/1.pdf": ["# Notitie", "Alleen hier staat ZELDZAAMWOORD."]},
    )
    approve(a)
    approve(b)
    return a, b


def test_warm_rebuild_parses_no_pdf_and_a_changed_package_only_its_changed_pdf(make_package, decisions, tmp_path):
    a, _ = _two_packages(make_package)
    out, cache = tmp_path / "site", tmp_path / "cache"
    cold = _build(decisions, out, cache, tmp_path / "koud.json")
    # Six PDFs, four distinct contents (the letter and one document are the same in both): each parsed once.
    assert cold["status"] == "ok" and cold["pdfs_parsed"] == 4
    assert {p["kenmerk"] for p in cold["published"]} == {"2024-0001", "2024-0002"}
    assert {"valideren_en_pdf", "mkdocs", "site", "zoekindex", "totaal"} <= set(cold["timings"])

    warm = _build(decisions, out, cache, tmp_path / "warm.json")
    assert warm["pdfs_parsed"] == 0

    from support import write_pdf

    write_pdf(a / "documenten/1.pdf", ["# Vervangen", "Een nieuwe versie van het document."])
    approve(a)
    changed = _build(decisions, out, cache, tmp_path / "gewijzigd.json")
    assert changed["pdfs_parsed"] == 1


def test_deleting_the_cache_changes_nothing_but_time(make_package, decisions, tmp_path):
    _two_packages(make_package)
    cache = tmp_path / "cache"
    _build(decisions, tmp_path / "een", cache)
    shutil.rmtree(cache)
    report = _build(decisions, tmp_path / "twee", cache, tmp_path / "r.json")
    assert report["pdfs_parsed"] > 0
    assert _tree(tmp_path / "een") == _tree(tmp_path / "twee")


def test_output_is_identical_whatever_the_previous_output_was(make_package, decisions, tmp_path):
    _two_packages(make_package)
    fresh = tmp_path / "vers"
    _build(decisions, fresh, tmp_path / "c1")
    reused = tmp_path / "hergebruikt"
    reused.mkdir()
    (reused / "index.html").write_text("iets heel anders")
    (reused / "besluit").mkdir()
    (reused / "besluit" / "oud.pdf").write_bytes(b"%PDF-1.4 oud")
    _build(decisions, reused, tmp_path / "c2")
    _build(decisions, reused, tmp_path / "c2")
    assert _tree(fresh) == _tree(reused)


def test_a_removed_package_leaves_nothing_behind(make_package, decisions, tmp_path):
    _, b = _two_packages(make_package)
    out, cache = tmp_path / "site", tmp_path / "cache"
    _build(decisions, out, cache)
    assert "VERDWIJNTWOORD" in all_text(out)
    shutil.rmtree(b)
    _build(decisions, out, cache)
    assert not (out / "besluit/2024-0002").exists()
    text = all_text(out) + "".join(p.read_text() for p in out.rglob("*.csv"))
    for trace in ("VERDWIJNTWOORD", "2024-0002", "zeldzaamwoord", "ZELDZAAMWOORD"):
        assert trace not in text, trace
    assert "2024-0002" not in (out / "_headers").read_text()


def test_a_killed_build_never_damages_the_live_site(make_package, decisions, tmp_path):
    """SIGKILL at many moments of a build: the live site is always the old one or the new one, whole."""
    _two_packages(make_package)
    out, cache = tmp_path / "site", tmp_path / "cache"
    _build(decisions, out, cache)
    old = _tree(out)
    shutil.copytree(out, tmp_path / "old-copy")
    approve(make_package("c", meta={"kenmerk": "2024-0003", "titel": "Derde besluit"}))
    new_dir = tmp_path / "referentie"
    _build(decisions, new_dir, tmp_path / "cache-ref")
    new = _tree(new_dir)
    assert new != old

    states = []
    for delay in (0.05, 0.3, 0.6, 0.9, 1.2, 1.6, 2.0, 2.6, 3.5):
        shutil.rmtree(out)
        shutil.copytree(tmp_path / "old-copy", out)
        process = subprocess.Popen(
            _args(decisions, out, tmp_path / f"cache-{delay}"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        state = _tree(out)
        assert state in (old, new), f"half-written site after SIGKILL at {delay} s"
        assert _processes_using(tmp_path / f"cache-{delay}") == [], f"PDF workers outlived the build killed at {delay} s"
        states.append(state == new)
    assert not all(states), "every build finished before it was killed: the test killed nothing"
    # The next build cleans up whatever a killed build left beside the output.
    _build(decisions, out, cache)
    assert _tree(out) == new
    assert not list(tmp_path.glob(".woo-build-*"))


def test_sigterm_while_the_new_site_is_being_written_stops_cleanly(make_package, decisions, tmp_path):
    """A scheduler's timeout or a shutdown sends SIGTERM: exit 2, old site as it was, nothing left over."""
    _two_packages(make_package)
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("oude site")
    process = subprocess.Popen(
        _args(decisions, out, tmp_path / "cache"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".woo-build-*")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "the build ended before its temporary directory was seen"
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 2, stdout + stderr
    assert "afgebroken" in stderr
    assert (out / "index.html").read_text() == "oude site" and len(list(out.iterdir())) == 1
    assert not list(tmp_path.glob(".woo-build-*"))


def test_pdf_workers_die_with_a_killed_build():
    """Without this, every build killed during PDF work leaves its worker processes behind for good."""
    import os

    code = (
        "import sys, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from publish.pdfs import _die_with_parent\n"
        "with ProcessPoolExecutor(2, initializer=_die_with_parent) as pool:\n"
        "    pool.submit(time.sleep, 120)\n"
        "    time.sleep(1)\n"
        "    print(' '.join(str(p) for p in pool._processes), flush=True)\n"
        "    time.sleep(120)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    workers = [int(p) for p in parent.stdout.readline().split()]
    assert len(workers) == 2
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{w}") for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [w for w in workers if os.path.exists(f"/proc/{w}")]
    for w in alive:
        os.kill(w, signal.SIGKILL)
    assert alive == []
