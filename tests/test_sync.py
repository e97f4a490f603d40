"""Sync-friendly output (issue 19): a rebuild keeps the bytes and modification times of every file it
did not change (HTML, JSON, search shards, downloads, assets, PDFs), so rsync and S3 sync upload only
what a change really touched."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import approve, build_args, write_pdf

pytestmark = pytest.mark.slow  # builds whole sites

EXE = Path(sys.executable).parent / "woo-publish"


def _build(decisions: Path, out: Path, cache: Path) -> None:
    result = subprocess.run(
        [str(EXE), *build_args(decisions, out, cache=cache)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _state(folder: Path) -> dict[str, tuple[int, str]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_rebuild_keeps_bytes_and_times_of_what_it_did_not_change(make_package, decisions, tmp_path):
    a = make_package("a", meta={"kenmerk": "2024-0001", "titel": "Eerste besluit"})
    b = make_package("b", meta={"kenmerk": "2024-0002", "titel": "Tweede besluit"})
    approve(a)
    approve(b)
    out, cache = tmp_path / "site", tmp_path / "cache"
    _build(decisions, out, cache)
    first = _state(out)
    kinds = {Path(k).suffix for k in first}
    assert {".html", ".json", ".pdf", ".zip", ".csv", ".js", ".css"} <= kinds
    time.sleep(0.02)
    _build(decisions, out, cache)
    assert _state(out) == first  # nothing changed: not one byte, not one modification time

    time.sleep(0.02)
    write_pdf(a / "documenten/1.pdf", ["# Vervangen", "Een nieuwe versie met het woord NIEUWWOORD."])
    approve(a)
    _build(decisions, out, cache)
    after = _state(out)
    retimed = {k for k in after if k in first and after[k][0] != first[k][0]}
    recontent = {k for k in after if k in first and after[k][1] != first[k][1]}
    added = set(after) - set(first)
    assert recontent, "the change must show somewhere"
    assert retimed == recontent  # every rewritten file really changed; everything else kept its time
    assert not any(k.startswith("besluit/2024-0002") for k in retimed | added), sorted(retimed | added)
    assert all(not k.startswith("assets/") for k in retimed)
    assert any(
        "NIEUWWOORD".lower() in json.dumps(json.loads((out / k).read_text())).lower()
        for k in recontent | added
        if k.endswith(".json")
    )


def test_keep_unchanged_times_skips_links_and_differences(tmp_path):
    import os

    from publish.swap import keep_unchanged_times

    live, new = tmp_path / "live", tmp_path / "new"
    for folder in (live, new):
        (folder / "sub").mkdir(parents=True)
    (live / "same.html").write_text("gelijk")
    (new / "same.html").write_text("gelijk")
    (live / "sub" / "other.json").write_text("oud!")
    (new / "sub" / "other.json").write_text("nieuw")
    (live / "sized.txt").write_text("abcd")
    (new / "sized.txt").write_text("abce")
    (new / "only-new.css").write_text("x")
    (tmp_path / "secret").write_text("gelijk")
    (live / "link.html").symlink_to(tmp_path / "secret")
    (new / "link.html").write_text("gelijk")
    os.utime(live / "same.html", ns=(1, 1_000_000_000))
    os.utime(live / "sized.txt", ns=(1, 1_000_000_000))
    os.utime(live / "link.html", ns=(1, 1_000_000_000), follow_symlinks=False)
    assert keep_unchanged_times(new, live) == 1
    assert (new / "same.html").stat().st_mtime_ns == 1_000_000_000
    assert (new / "sized.txt").stat().st_mtime_ns != 1_000_000_000
    assert (new / "link.html").stat().st_mtime_ns != 1_000_000_000
    assert keep_unchanged_times(new, tmp_path / "absent") == 0
