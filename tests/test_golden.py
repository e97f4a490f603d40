"""Golden test over the demo site: the SHA-256 of every output file built from ``decisions/``.

Refactoring commits must leave the demo site byte-identical. When a change is *meant* to alter the
output, update the manifest deliberately and review its diff in the commit:

    WOO_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py -q

The build date is fixed (``--vandaag``) so embargoes and Woo-index notices never depend on the day.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from support import ROOT

GOLDEN = ROOT / "tests" / "data" / "golden-demo.json"
TODAY = "2026-01-01"


def site_digest(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.rglob("*")) if p.is_file()
    }


def build_demo(cli, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    result = cli(
        "build",
        "--decisions",
        str(ROOT / "decisions"),
        "--out",
        str(out),
        "--cache",
        str(tmp_path / "c"),
        "--config",
        str(ROOT / "mkdocs.yml"),
        "--vandaag",
        TODAY,
        "--archief",
        str(tmp_path / "archief"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_demo_site_matches_the_golden_manifest(cli, tmp_path):
    digest = site_digest(build_demo(cli, tmp_path))
    if os.environ.get("WOO_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(digest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    missing = sorted(set(golden) - set(digest))
    added = sorted(set(digest) - set(golden))
    changed = sorted(p for p in set(golden) & set(digest) if golden[p] != digest[p])
    assert not (missing or added or changed), (
        f"demo site differs from {GOLDEN.name}: missing {missing[:20]}, added {added[:20]}, changed {changed[:20]}. "
        "If the change is intended, run WOO_UPDATE_GOLDEN=1 pytest tests/test_golden.py and commit the manifest."
    )
