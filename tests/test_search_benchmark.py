"""The search benchmark (benchmarks/search_scale.py) at a tiny size, so that it cannot rot.

Not a speed test (speed targets live in benchmarks/): it checks that the machinery still measures
something real. Our search page and Pagefind both find the kenmerk and a rare word of the synthetic
corpus, every query kind shows results at 1x and 4x CPU throttling, and bytes are counted.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from support import ROOT, run_cli

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(
        importlib.util.find_spec("pagefind_bin") is None,
        reason="pagefind ontbreekt: pip install -e '.[test]' (of '.[bench]') installeert pagefind[bin]",
    ),
]

BENCHMARK = ROOT / "benchmarks" / "search_scale.py"
KINDS = ["one word", "two words", "kenmerk", "rare word", "very common word"]


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    root = tmp_path_factory.mktemp("zoekbench")
    built = run_cli(
        "build",
        "--decisions",
        str(ROOT / "decisions"),
        "--out",
        str(root / "site"),
        "--cache",
        str(root / "cache"),
        "--config",
        str(ROOT / "mkdocs.yml"),
    )
    assert built.returncode == 0, built.stderr[-2000:]
    out = root / "figures.json"
    done = subprocess.run(
        [sys.executable, str(BENCHMARK), "--sizes", "20", "--repeat", "1", "--rates", "1", "4", "--site", str(root / "site")]
        + ["--json", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    [size] = json.loads(out.read_text(encoding="utf-8"))
    return size, done.stdout


def _query(size, engine, kind):
    [q] = [q for q in size["queries"] if q["engine"] == engine and q["kind"] == kind]
    return q


@pytest.mark.parametrize("engine", ["woo", "pagefind", "pagefind-main"])
@pytest.mark.parametrize("kind", ["kenmerk", "rare word"])
def test_both_engines_find_the_kenmerk_and_a_rare_word(figures, engine, kind):
    size, _ = figures
    q = _query(size, engine, kind)
    assert q["expected"] and any(q["expected"] in link for link in q["links"]), (q["query"], q["links"], q["errors"])


@pytest.mark.parametrize("engine", ["woo", "pagefind", "pagefind-main"])
def test_every_query_kind_is_measured_with_bytes_at_both_throttling_rates(figures, engine):
    size, _ = figures
    for kind in KINDS:
        q = _query(size, engine, kind)
        assert q["links"], f"{engine}: no results for {kind} {q['query']!r}: {q['errors']}"
        assert all(q["ms"][rate] and q["ms"][rate] > 0 for rate in ("1", "4")), q["ms"]
        # the query latency: from the engine's "search:start" mark (its script starts) to the first result
        for rate in ("1", "4"):
            assert q["start_ms"][rate] > 0 and 0 < q["query_ms"][rate] <= q["ms"][rate], (q["start_ms"], q["query_ms"], q["ms"])
        if engine == "woo":  # our steps after search:start, in the order they happen
            steps = q["steps"]["1"]
            assert 0 <= steps["meta"] <= steps["index"] <= steps["display"] <= q["query_ms"]["1"] + 1, steps
        assert 0 < q["query_bytes"] < q["first_bytes"], q  # the query's own files, plus the one-time files
        assert 0 < q["query_gz"] <= q["query_bytes"] and q["query_files"] > 0


def test_index_sizes_and_the_table(figures):
    size, printed = figures
    assert size["decisions"] == 20
    for engine in ("ours", "pagefind"):
        assert size[engine]["bytes"] > 0 and size[engine]["files"] > 0
    for kind in KINDS:
        assert f"{kind} " in printed
    assert "our index:" in printed and "Pagefind index:" in printed
