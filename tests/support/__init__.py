"""Shared test helpers, the one place test modules import helpers from (``from support import ...``).

Real packages on disk with real PDFs drawn by reportlab, the real ``woo-publish`` command, and a
real browser (headless Chromium through playwright-core) looking at a served site.

Nothing here needs anything outside the repository: optional corpora beside the checkout
(``../shared``) are found through ``SHARED`` and tests skip, reported as skipped, when absent.
"""

from __future__ import annotations

import atexit
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]  # the repository checkout
TESTS = ROOT / "tests"
DATA = TESTS / "data"
# Optional: seeds and the x-ray PDFs, beside CI's checkout (or beside the folder that holds a git worktree).
SHARED = next((p / "shared" for p in ROOT.parents[:3] if (p / "shared").is_dir()), ROOT.parent / "shared")
XRAY = SHARED / "testdata" / "xray"
PROBE = TESTS / "browser" / "probe.mjs"

if str(ROOT / "scripts") not in sys.path:
    sys.path.append(str(ROOT / "scripts"))

from pdfdraw import write_pdf  # noqa: E402  (scripts/ is no package; the path is set just above)

# The DEMONSTRATION key (demo/sleutels/README.md): trusted by the repository's mkdocs.yml, never for real use.
# ssh-keygen refuses a private key others can read and git does not keep permissions: sign with a private copy.
DEMO_SIGNERS = ROOT / "demo" / "sleutels" / "toegestane-ondertekenaars"
_KEY_DIR = tempfile.mkdtemp(prefix="woo-test-key-")
atexit.register(shutil.rmtree, _KEY_DIR, True)


def _demo_key() -> Path:
    from publish.signing import private_copy

    return private_copy(ROOT / "demo" / "sleutels" / "demo-ondertekenaar", Path(_KEY_DIR))


DEMO_KEY = _demo_key()


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

    def __call__(
        self,
        name: str = "pakket",
        meta: dict | None = None,
        rows: list[list] | None = None,
        header: list[str] | None = None,
        body: str = "Samenvatting van het besluit.",
        delimiter: str = ",",
        bom: bool = False,
        drop: tuple = (),
        extra_meta: dict | None = None,
        pdf_text: dict[str, list[str]] | None = None,
    ) -> Path:
        pkg = self.root / name
        pkg.mkdir(parents=True, exist_ok=True)
        data = dict(WOO_META)
        if meta:
            data.update(meta)
        if extra_meta:
            data.update(extra_meta)
        for key in drop:
            data.pop(key, None)
        (pkg / "besluit.md").write_text(
            "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body + "\n", encoding="utf-8"
        )
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
                    text = (pdf_text or {}).get(
                        cell, [f"# Document {row[0]}", "Inhoud van het document [[5.1.2.e]] en meer tekst."]
                    )
                    write_pdf(pkg / cell, text)
        return pkg


def woo_publish() -> Path:
    """The installed console script beside the Python running the tests."""
    return Path(sys.executable).parent / "woo-publish"


def build_args(
    decisions: Path,
    out: Path,
    *extra: str,
    cache: Path | None = None,
    config: Path = ROOT / "mkdocs.yml",
    today: str | None = "2024-06-01",
) -> list[str]:
    """The arguments of one ``woo-publish build`` as the tests run it: a fixed day (embargoes never depend on
    the date the tests run; ``today=None``: the real date), the cache beside the output unless given."""
    day = ["--vandaag", today] if today else []
    return [
        "build",
        "--decisions",
        str(decisions),
        "--out",
        str(out),
        "--cache",
        str(cache or out.parent / "cache"),
        "--config",
        str(config),
        *day,
        *extra,
    ]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real console script, as staff and the nightly job do."""
    return subprocess.run([str(woo_publish()), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def copy_built(template: Path, target: Path) -> None:
    """Give a test its own copy of a state a module fixture built once (decisions, site, cache, archive), for tests
    that change it: the builds of the copy behave as after moving a whole site folder (every recorded path is relative).
    Costs what copying a few small files costs, where building it again for every test costs a whole build."""
    shutil.copytree(template, target, symlinks=True, dirs_exist_ok=True)


def file_line(path: Path, text: str) -> int:
    """The line of the file (1 for the first, as an editor numbers them) on which ``text`` first appears."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} staat niet in {path}")


def all_text(site: Path) -> str:
    """Every text file of a built site, to assert that something appears (or never appears) anywhere."""
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.suffix in (".html", ".xml", ".txt", ".json", ".js")
    )


def read_open_data(site: Path) -> dict:
    """The open data of a built site as one object, read as a reuser would (docs/open-data.md): ``data.json``
    is the index, every part it lists is fetched from the site folder, checked against the index (size,
    SHA-256, counts, month, number) and its ``besluiten`` and ``publicaties`` joined, in the index's order."""
    import hashlib

    index = json.loads((site / "data.json").read_text(encoding="utf-8"))
    base = index["basis_url"]
    joined: dict = {"versie": index["versie"], "basis_url": base, "site": index["site"], "besluiten": [], "publicaties": []}
    for entry in index["delen"]:
        assert entry["url"].startswith(base), entry
        data = (site / entry["url"][len(base) :]).read_bytes()
        assert len(data) == entry["bytes"] and hashlib.sha256(data).hexdigest() == entry["sha256"], entry["url"]
        part = json.loads(data.decode("utf-8"))
        assert (part["versie"], part["maand"], part["deel"]) == (index["versie"], entry["maand"], entry["deel"])
        assert (len(part["besluiten"]), len(part["publicaties"])) == (entry["besluiten"], entry["publicaties"])
        joined["besluiten"] += part["besluiten"]
        joined["publicaties"] += part["publicaties"]
    assert (len(joined["besluiten"]), len(joined["publicaties"])) == (index["aantal_besluiten"], index["aantal_publicaties"])
    return joined


def diwoo_parts(site: Path, infocat: str = "014") -> list[Path]:
    """The DiWoo sitemap files of one information category (issue 19: one or more per month), in name order."""
    return sorted((site / "sitemaps").glob(f"diwoo-infocat{infocat}-*.xml"))


def diwoo_text(site: Path, infocat: str = "014") -> str:
    """The text of all DiWoo sitemap files of one information category, one after the other."""
    return "".join(p.read_text(encoding="utf-8") for p in diwoo_parts(site, infocat))


def read_type_data(site: Path, type_slug: str) -> tuple[list[dict], list[list[str]]]:
    """A type's open data as a reuser reads it: the records of every JSON part ``data/<type>.json`` lists, and
    the rows of every CSV part (one header, then the lines), each part checked against its index entry; the CSV
    index ``data/<type>.csv`` must list exactly the same CSV parts."""
    import hashlib
    import io

    index = json.loads((site / f"data/{type_slug}.json").read_text(encoding="utf-8"))
    base = index["basis_url"]

    def fetch(ref: dict) -> bytes:
        data = (site / ref["url"][len(base) :]).read_bytes()
        assert len(data) == ref["bytes"] and hashlib.sha256(data).hexdigest() == ref["sha256"], ref["url"]
        return data

    records: list[dict] = []
    rows: list[list[str]] = []
    for entry in index["delen"]:
        part = json.loads(fetch(entry).decode("utf-8"))
        assert len(part["publicaties"]) == entry["aantal"] and part["maand"] == entry["maand"]
        records += part["publicaties"]
        lines = list(csv.reader(io.StringIO(fetch(entry["csv"]).decode("utf-8-sig"), newline=""), delimiter=";"))
        assert len(lines) == entry["aantal"] + 1
        rows = rows or lines[:1]
        assert lines[0] == rows[0]
        rows += lines[1:]
    assert len(records) == index["aantal"]
    listed = list(
        csv.reader(io.StringIO((site / f"data/{type_slug}.csv").read_bytes().decode("utf-8-sig"), newline=""), delimiter=";")
    )
    assert listed[0] == ["maand", "deel", "aantal", "url", "bytes", "sha256"]
    expected = [
        [e["maand"], str(e["deel"]), str(e["aantal"]), e["csv"]["url"], str(e["csv"]["bytes"]), e["csv"]["sha256"]]
        for e in index["delen"]
    ]
    assert listed[1:] == expected
    return records, rows


# Browser tests: mark them with @pytest.mark.browser (or the alias below); conftest.py skips them,
# with the reason, when node, playwright-core or chromium is missing.


def node_version() -> tuple[int, ...] | None:
    node = shutil.which("node")
    if not node:
        return None
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
        return tuple(int(part) for part in out.lstrip("v").split("."))
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    version = node_version()
    if version is None:
        return "node ontbreekt (Node 20 of nieuwer; make test meldt hoe u het installeert)"
    if version < (20,):
        return f"node {'.'.join(map(str, version))} is te oud voor playwright-core (Node 20 of nieuwer nodig)"
    if not (ROOT / "node_modules" / "playwright-core").is_dir():
        return "playwright-core ontbreekt in node_modules (make test installeert het met npm ci)"
    if not shutil.which("chromium"):
        return "chromium ontbreekt (apt-get install chromium; make test doet dat als root)"
    return None


def browser_available() -> bool:
    return browser_missing() is None


def node_packages_missing() -> str | None:
    """Why the node-only tests (lunr.js beside lunr.py) cannot run here, or None when they can."""
    if not shutil.which("node"):
        return "node ontbreekt (make test meldt hoe u het installeert)"
    if not (ROOT / "node_modules" / "lunr-languages").is_dir():
        return "lunr-languages ontbreekt in node_modules (make test installeert het met npm ci)"
    return None


class Server:
    def __init__(self, directory: Path):
        from publish.preview import make_server

        self.httpd = make_server(Path(directory), 0, quiet=True)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class NodeServer:
    """The same site behind Node's http server (keep-alive, fast): for benchmarks."""

    def __init__(self, directory: Path):
        self.process = subprocess.Popen(
            ["node", str(TESTS / "browser/serve.mjs"), str(directory)], stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        port = self.process.stdout.readline().strip()
        self.base = f"http://127.0.0.1:{port}/"

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def probe(**options) -> dict:
    result = subprocess.run(["node", str(PROBE), json.dumps(options)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    if result.returncode != 0:
        raise AssertionError(f"browser probe failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout)


def probe_many(pages: list[dict]) -> list[dict]:
    """``probe`` for several pages in one browser launch (starting Chromium costs more than loading a page): each page
    in a browser context of its own (own cookies, storage and cache), the results in the order given."""
    if not pages:
        return []
    result = subprocess.run(
        ["node", str(PROBE), json.dumps({"pages": pages})], capture_output=True, text=True, timeout=60 + 60 * len(pages), cwd=ROOT
    )
    if result.returncode != 0:
        raise AssertionError(f"browser probe failed: {result.stderr[-2000:]}")
    found = json.loads(result.stdout)
    assert isinstance(found, list) and len(found) == len(pages), found
    return found


def _marks():
    import pytest

    browser = pytest.mark.browser
    reason = node_packages_missing()
    node = pytest.mark.skipif(reason is not None, reason=reason or "")
    return browser, node


needs_browser, needs_node = _marks()  # aliases: @needs_browser is @pytest.mark.browser


INVENTORY_HEADER = ["Nr.", "Document", "Datum", "Beoordeling", "Weigeringsgronden", "Bestand", "Intern kenmerk"]


def rewrite_xlsx_parts(path: Path, edit=None, added: dict[str, bytes] | None = None) -> None:
    """Rewrite the parts of an .xlsx (a zip) in place: ``edit(name, data)`` gives each part's new bytes (XML
    openpyxl will not write), ``added`` adds parts. The one zip rewriter of the inventory tests."""
    import zipfile

    with zipfile.ZipFile(path) as src:
        parts = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in parts:
            out.writestr(info, edit(info.filename, data) if edit else data)
        for name, data in (added or {}).items():
            out.writestr(name, data)


def xlsx_inventory_package(make_package, change, *rewrites):
    """A package with a three-row ``inventaris.xlsx`` written by openpyxl, ``change(ws)`` applied before saving and
    each of ``rewrites(path)`` after (XML openpyxl cannot write); (decision, errors) as ``load_package`` reads it.
    Shared by the hidden-cell tests of rounds 4 and 5."""
    import datetime as dt

    from openpyxl import Workbook

    from publish.package import load_package

    pkg = make_package(meta={"inventaris": "inventaris.xlsx"})
    wb = Workbook()
    ws = wb.active
    ws.append(INVENTORY_HEADER)
    ws.append([1, "Verslag overleg", dt.datetime(2024, 1, 10), "Openbaar", None, "documenten/1.pdf", "X-1"])
    ws.append([2, "E-mail over planning", None, "Deels openbaar", "5.1.2.e", "documenten/2.pdf", "X-2"])
    ws.append([3, "Notitie", None, "Niet openbaar", "5.2.1", None, "X-3"])
    change(ws)
    wb.save(pkg / "inventaris.xlsx")
    for rewrite in rewrites:
        rewrite(pkg / "inventaris.xlsx")
    for n in (1, 2):
        write_pdf(pkg / f"documenten/{n}.pdf", [f"Document {n}"])
    decision, found = load_package(pkg)
    return decision, [p for p in found if p.is_error]


def documented_report_keys() -> set[str]:
    """The keys of the build report that docs/beheer.md documents, in the notation of its table ('status',
    'published[].url', 'tellers.pakketten_gevalideerd'): the first column of the table under 'Het rapport van de build'."""
    import re

    text = (ROOT / "docs" / "beheer.md").read_text(encoding="utf-8")
    section = text.split("## Het rapport van de build (`--report`)", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([^`]+)` \|", section, re.M))


def report_key_paths(report: dict) -> set[str]:
    """Every key of a written report, in the notation of ``documented_report_keys`` (a problem in refused, kept or
    offline as 'problems[].code'; a phase of cpu_per_fase or geheugen_mib as one of timings, 'timings.mkdocs')."""
    keys: set[str] = set()
    for key, value in report.items():
        keys.add(key)
        if isinstance(value, dict):  # cpu_per_fase and geheugen_mib have the phases of timings (documented there)
            keys |= {f"{'timings' if key in ('cpu_per_fase', 'geheugen_mib') else key}.{k}" for k in value}
        elif isinstance(value, list):
            for item in value:
                for k, v in item.items():
                    keys.add(f"{key}[].{k}")
                    if k == "problems":
                        keys |= {f"problems[].{pk}" for p in v for pk in p}
    return keys
