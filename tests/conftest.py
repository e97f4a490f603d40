"""Test helpers: real packages on disk with real PDFs drawn by reportlab."""

from __future__ import annotations

import atexit
import csv
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from pdfdraw import write_pdf  # noqa: E402

from publish.signing import private_copy  # noqa: E402

# The DEMONSTRATION key (demo/sleutels/README.md): trusted by the repository's mkdocs.yml, never for real use.
# ssh-keygen refuses a private key others can read and git does not keep permissions: sign with a private copy.
DEMO_SIGNERS = ROOT / "demo" / "sleutels" / "toegestane-ondertekenaars"
_KEY_DIR = tempfile.mkdtemp(prefix="woo-test-key-")
atexit.register(shutil.rmtree, _KEY_DIR, True)
DEMO_KEY = private_copy(ROOT / "demo" / "sleutels" / "demo-ondertekenaar", Path(_KEY_DIR))


def approve(package: Path, key: Path = DEMO_KEY, signers: Path = DEMO_SIGNERS, **kwargs) -> Path:
    """Approve ``package`` as ``woo-publish approve`` does, signed with the demonstration key."""
    from publish.approval import write_approval

    return write_approval(package, key, signers, **kwargs)

WOO_META = {
    "kenmerk": "2024-0001",
    "titel": "Verzoek over vergaderstukken",
    "organisatie": "Testgemeente",
    "wet": "Woo",
    "besluit": "deels openbaar",
    "besluit_datum": "2024-05-01",
    "publicatie_datum": "2024-05-08",
    "besluitbrief": "besluit.pdf",
    "inventaris": "inventaris.csv",
}

HEADER = ["nr", "document", "datum", "beoordeling", "gronden", "bestand"]
ROWS = [
    ["1", "Verslag overleg", "2024-01-10", "openbaar", "", "documenten/1.pdf"],
    ["2", "E-mail over planning", "2024-01-12", "deels openbaar", "5.1.2.e", "documenten/2.pdf"],
    ["3", "Interne notitie", "2024-01-15", "niet openbaar", "5.2.1", ""],
]


class PackageMaker:
    def __init__(self, root: Path):
        self.root = root

    def __call__(self, name: str = "pakket", meta: dict | None = None, rows: list[list] | None = None,
                 header: list[str] | None = None, body: str = "Samenvatting van het besluit.",
                 delimiter: str = ",", bom: bool = False, drop: tuple = (), extra_meta: dict | None = None,
                 pdf_text: dict[str, list[str]] | None = None) -> Path:
        pkg = self.root / name
        pkg.mkdir(parents=True, exist_ok=True)
        data = dict(WOO_META)
        if meta:
            data.update(meta)
        if extra_meta:
            data.update(extra_meta)
        for key in drop:
            data.pop(key, None)
        (pkg / "besluit.md").write_text("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
                                        + "---\n" + body + "\n", encoding="utf-8")
        header = header or HEADER
        rows = ROWS if rows is None else rows
        letter = data.get("besluitbrief")
        if isinstance(letter, str) and letter.endswith(".pdf") and ".." not in letter and not letter.startswith("/"):
            write_pdf(pkg / letter, ["# Besluit", "Dit is de besluitbrief met de beslissing op het verzoek."])
        inventory = data.get("inventaris")
        if isinstance(inventory, str) and inventory.endswith(".csv"):
            with (pkg / inventory).open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
                writer = csv.writer(handle, delimiter=delimiter)
                writer.writerow(header)
                writer.writerows(rows)
        for row in rows:
            for cell in row:
                cell = str(cell or "")
                if cell.endswith(".pdf") and ".." not in cell and not cell.startswith("/") and "bestaat-niet" not in cell:
                    text = (pdf_text or {}).get(cell, [f"# Document {row[0]}", "Inhoud van het document [[5.1.2.e]] en meer tekst."])
                    write_pdf(pkg / cell, text)
        return pkg


@pytest.fixture
def decisions(tmp_path) -> Path:
    d = tmp_path / "decisions"
    d.mkdir()
    return d


@pytest.fixture
def make_package(decisions) -> PackageMaker:
    return PackageMaker(decisions)


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real console script, as staff and the nightly job do."""
    exe = Path(sys.executable).parent / "woo-publish"
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture
def cli():
    return run_cli


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: builds whole sites or large inventories (seconds each); skip with -m 'not slow'")
