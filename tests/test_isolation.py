"""One bad package never stops the others: every crash cause seen in the field, each in its own
package beside a good one, through the real commands (check, approve, build). The good package is
published, the bad ones are refused with a Dutch message naming the file, and no command prints a
traceback."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from support import DEMO_KEY, ROOT, PackageMaker, approve, build_args, run_cli, woo_publish

VANDAAG = "2024-06-01"
EVIL_NAME = "kwaad\nGEPUBLICEERD nep (2024-9999)\x1b[2J"
NOT_UTF8 = os.fsdecode(b"naam-\xff\xfe")  # a folder name that is no UTF-8 (copied from an old file share)


def _unquoted(pkg: Path, field: str, raw: str) -> None:
    """Put ``raw`` in besluit.md exactly as typed (a YAML dumper would quote it)."""
    meta = pkg / "besluit.md"
    text = re.sub(rf"^{field}:.*$", f"{field}: {raw}", meta.read_text(encoding="utf-8"), count=1, flags=re.M)
    meta.write_text(text, encoding="utf-8")


def _aes256_pdf(path: Path) -> None:
    """A PDF whose trailer says AES-256 (V5/R6), as Acrobat writes with 'require a password'. The keys are
    random: nobody can open it, and reading it must not need any crypto library."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -4 /EncryptMetadata true"
        b" /CF << /StdCF << /AuthEvent /DocOpen /CFM /AESV3 /Length 32 >> >> /StmF /StdCF /StrF /StdCF"
        b" /O <"
        + b"11" * 48
        + b"> /U <"
        + b"22" * 48
        + b"> /OE <"
        + b"33" * 32
        + b"> /UE <"
        + b"44" * 32
        + b"> /Perms <"
        + b"55" * 16
        + b"> >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += (
        b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<" % (len(objects) + 1)
        + b"ab" * 16
        + b"> <"
        + b"ab" * 16
        + b">] >>\nstartxref\n%d\n%%%%EOF\n" % xref
    )
    path.write_bytes(bytes(out))


def _flate_bomb(path: Path, size: int = 100_000_000) -> None:
    """A valid one-page PDF whose page content inflates to ``size`` bytes (about 100 kB on disk)."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = StreamObject()
    stream.set_data(b"")
    stream._data = zlib.compress(b" " * size, 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    with path.open("wb") as handle:
        writer.write(handle)


def _xlsx_inventory(pkg: Path, rows: list[list], truncate: bool = False) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["nr", "document", "datum", "beoordeling", "gronden", "bestand"])
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text as written, also when it starts with '=' (openpyxl would make it a formula)
    raw = io.BytesIO()
    wb.save(raw)
    data = raw.getvalue()
    if truncate:
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                content = src.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":
                    content = content[: len(content) // 2]
                dst.writestr(info.filename, content)
        data = out.getvalue()
    (pkg / "inventaris.xlsx").write_bytes(data)


ROWS_XLSX = [
    ["1", "Verslag overleg", "2024-01-10", "openbaar", "", "documenten/1.pdf"],
    ["2", "Interne notitie", "2024-01-15", "niet openbaar", "5.2.1", ""],
]

# package name -> (file named in the refusal, words that must be in its message)
BAD: dict[str, tuple[str, str]] = {}


def _bad(name: str, file: str, words: str) -> str:
    BAD[name] = (file, words)
    return name


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("isolation")
    decisions = root / "decisions"
    make = PackageMaker(decisions)
    kenmerk = iter(range(100, 200))

    def pkg(name, **kw):
        meta = {"kenmerk": f"2024-0{next(kenmerk)}", **kw.pop("meta", {})}
        return make(name, meta=meta, **kw)

    # Titles that look like formulas, as text cells of an .xlsx (Excel shows them as written; a CSV cell like this is
    # refused, Excel would run it: round 9, A21): the published CSV and XLSX must keep them inert.
    formula_rows = [
        ["1", '=HYPERLINK("https://evil.example/","klik")', "2024-01-10", "openbaar", "", "documenten/1.pdf"],
        ["2", "+31 6 formule", "2024-01-12", "deels openbaar", "5.1.2.e", "documenten/2.pdf"],
        ["3", "@SUM(A1:A9)", "2024-01-15", "niet openbaar", "5.2.1", ""],
        ["4", "-2+3", "2024-01-15", "niet openbaar", "5.2.1", ""],
    ]
    good = make(
        "goed",
        meta={"titel": "Goed besluit", "onderwerpen": ["verkeer"], "inventaris": "inventaris.xlsx"},
        rows=formula_rows,
    )
    _xlsx_inventory(good, formula_rows)
    bad = []
    for name, raw in (("datum-feb", "2025-02-30"), ("datum-maand", "2024-13-01"), ("datum-uur", "2024-04-29 25:00:00")):
        p = pkg(_bad(name, "besluit.md", "geen geldige datum"))
        _unquoted(p, "besluit_datum", raw)
        bad.append(p)
    p = pkg(_bad("aes", "besluit.pdf", "versleuteld"))
    _aes256_pdf(p / "besluit.pdf")
    bad.append(p)
    p = pkg(_bad("bom", "documenten/1.pdf", "limieten.pdf_stroom_megabytes"))
    _flate_bomb(p / "documenten/1.pdf")
    bad.append(p)
    p = pkg(_bad("xlsx-kapot", "inventaris.xlsx", "beschadigd"), meta={"inventaris": "inventaris.xlsx"}, rows=ROWS_XLSX)
    _xlsx_inventory(p, ROWS_XLSX, truncate=True)
    bad.append(p)
    p = pkg(_bad("alias-bom", "besluit.md", "limieten.yaml_verwijzingen"))
    lol = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    text = (p / "besluit.md").read_text(encoding="utf-8").replace("---\n", "---\nl0: &l0 [lol, lol, lol]\n" + lol, 1)
    (p / "besluit.md").write_text(text.replace("besluit_datum: '2024-05-01'", "besluit_datum: *l9"), encoding="utf-8")
    bad.append(p)
    long_nr = "9" * 300
    bad.append(
        pkg(
            _bad("lang-nr", "inventaris.csv", "limieten.veld_tekens"),
            rows=[[long_nr, "Document", "2024-01-10", "niet openbaar", "5.2.1", ""]],
        )
    )
    bad.append(pkg(_bad("lang-onderwerp", "besluit.md", "limieten.veld_tekens"), meta={"onderwerpen": ["x" * 300]}))
    bad.append(pkg(_bad("lange-titel", "besluit.md", "limieten.titel_tekens"), meta={"titel": "Titel " * 2000}))
    bad.append(pkg(_bad("titel-10mb", "besluit.md", "limieten.yaml_kilobytes"), meta={"titel": "x" * 10_000_000}))
    p = pkg(_bad("diep", "besluit.md", "te diep genest"))
    text = (p / "besluit.md").read_text(encoding="utf-8")
    (p / "besluit.md").write_text(text.replace("---\n", "---\nx: " + "[" * 5000 + "]" * 5000 + "\n", 1), encoding="utf-8")
    bad.append(p)
    evil = pkg(EVIL_NAME)
    for p in [good, evil, pkg(NOT_UTF8), *bad]:
        approve(p)
    hidden = make("_concept", meta={"kenmerk": "2024-0900"})
    approve(hidden)  # approved by hand in the past: still never published

    out = root / "site"
    cache = root / "cache"
    check = run_cli("check", str(decisions), "--cache", str(cache))
    approvals = {p.name: run_cli("approve", str(p), "--sleutel", str(DEMO_KEY), "--cache", str(cache)) for p in [*bad, hidden]}
    build = run_cli(
        *build_args(decisions, out, "--uitgebreid", "--report", str(root / "rapport.json"), cache=cache, today=VANDAAG)
    )
    report = json.loads((root / "rapport.json").read_text(encoding="utf-8"))
    return {
        "root": root,
        "out": out,
        "check": check,
        "approvals": approvals,
        "build": build,
        "report": report,
        "good": good,
        "evil": evil,
    }


def _all_output(world) -> str:
    runs = [world["check"], world["build"], *world["approvals"].values()]
    return "\n".join(r.stdout + r.stderr for r in runs)


def test_no_traceback_in_any_command(world):
    text = _all_output(world)
    assert "Traceback" not in text and 'File "' not in text, text[-3000:]


def test_the_good_package_is_published_and_the_build_exits_1(world):
    build = world["build"]
    assert build.returncode == 1, build.stdout + build.stderr
    assert (world["out"] / "besluit/2024-0001/index.html").is_file()
    assert "GEPUBLICEERD goed (2024-0001)" in build.stdout
    from publish.safetext import safe

    published = {p["package"] for p in world["report"]["published"]}
    assert published == {"goed", safe(EVIL_NAME), safe(NOT_UTF8)}  # as stdout names them (below)
    assert "GEPUBLICEERD naam-\\udcff\\udcfe (" in build.stdout


@pytest.mark.parametrize(
    "name",
    sorted(
        [
            "datum-feb",
            "datum-maand",
            "datum-uur",
            "aes",
            "bom",
            "xlsx-kapot",
            "alias-bom",
            "lang-nr",
            "lang-onderwerp",
            "lange-titel",
            "titel-10mb",
            "diep",
        ]
    ),
)
def test_each_bad_package_is_refused_naming_the_file_in_check_approve_and_build(world, name):
    file, words = BAD[name]
    refused = {r["package"]: r for r in world["report"]["refused"]}
    assert name in refused, world["build"].stdout
    problems = refused[name]["problems"]
    assert any(p["file"] == file and words in p["message"] for p in problems), problems
    # check says the same, and approve records nothing
    assert f"FOUT {name}/{file}" in world["check"].stdout
    approval = world["approvals"][name]
    assert approval.returncode == 1 and "Niet goedgekeurd" in approval.stdout, approval.stdout + approval.stderr
    assert f"GEWEIGERD    {name}:" in world["build"].stdout


def test_limit_messages_say_which_limit_and_the_value_found(world):
    refused = {r["package"]: r["problems"] for r in world["report"]["refused"]}
    messages = [p["message"] for p in refused["lang-nr"]]
    assert any("300 tekens" in m and "limieten.veld_tekens = 200 tekens" in m for m in messages), messages
    messages = [p["message"] for p in refused["alias-bom"]]
    assert any("limieten.yaml_verwijzingen = 50" in m for m in messages), messages
    messages = [p["message"] for p in refused["bom"]]
    assert any("limieten.pdf_stroom_megabytes = 75 MB" in m for m in messages), messages


def test_a_newline_in_a_folder_name_cannot_forge_an_output_line(world):
    for run in [world["check"], world["build"]]:
        lines = (run.stdout + run.stderr).splitlines()
        assert not any(line.startswith("GEPUBLICEERD nep") for line in lines), run.stdout
        assert "\x1b" not in run.stdout + run.stderr
    assert "GEPUBLICEERD kwaad\\nGEPUBLICEERD nep (2024-9999)\\x1b[2J (" in world["build"].stdout


def test_folders_starting_with_an_underscore_are_reported_not_silently_skipped(world):
    assert "_concept: deze map wordt overgeslagen" in world["check"].stdout
    assert "WAARSCHUWING _concept: deze map wordt overgeslagen" in world["build"].stdout
    approval = world["approvals"]["_concept"]
    assert approval.returncode == 1 and "wordt nooit gepubliceerd" in approval.stdout
    assert "2024-0900" not in (world["out"] / "besluiten/index.html").read_text(encoding="utf-8")


def test_formula_cells_are_inert_in_csv_and_xlsx(world):
    folder = world["out"] / "besluit/2024-0001"
    rows = list(csv.reader(io.StringIO((folder / "inventaris.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    titles = [r[1] for r in rows[1:]]
    assert titles == ['\'=HYPERLINK("https://evil.example/","klik")', "'+31 6 formule", "'@SUM(A1:A9)", "'-2+3"]
    raw = zipfile.ZipFile(folder / "inventaris.xlsx").read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in raw and b"<f " not in raw
    ws = load_workbook(folder / "inventaris.xlsx").active
    cells = [ws.cell(row=r, column=2) for r in range(2, 6)]
    assert [c.data_type for c in cells] == ["s"] * 4
    assert [c.value for c in cells] == ['=HYPERLINK("https://evil.example/","klik")', "+31 6 formule", "@SUM(A1:A9)", "-2+3"]


# -- limits set by the site ------------------------------------------------------------------------------


def _config(tmp_path: Path, limits: dict) -> Path:
    """A copy of the project's site configuration with ``limieten`` (theme and pages come from the package)."""
    import yaml

    data = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    data["extra"]["woo"]["ondertekenaars"] = str(ROOT / data["extra"]["woo"]["ondertekenaars"])
    data["extra"]["woo"]["limieten"] = limits
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True))
    return config


def test_a_site_limit_is_applied_the_same_in_check_approve_and_build(make_package, decisions, tmp_path):
    pkg = make_package("twee-paginas", pdf_text={"documenten/1.pdf": ["Tekst. " * 900]})
    assert len(PdfReader(pkg / "documenten/1.pdf").pages) >= 2
    config = _config(tmp_path, {"pdf_paginas": 1})
    cache = str(tmp_path / "cache")
    check = run_cli("check", str(decisions), "--cache", cache, "--config", str(config))
    approval = run_cli("approve", str(pkg), "--sleutel", str(DEMO_KEY), "--cache", cache, "--config", str(config))
    approve(pkg)
    build = run_cli(*build_args(decisions, tmp_path / "site", cache=Path(cache), config=config, today=VANDAAG))
    expected = "dat is meer dan de grens (limieten.pdf_paginas = 1 pagina's)"
    for run, status in ((check, 1), (approval, 1), (build, 1)):
        assert run.returncode == status, run.stdout + run.stderr
        assert expected in run.stdout and "twee-paginas/documenten/1.pdf" in run.stdout, run.stdout
        assert "Traceback" not in run.stdout + run.stderr


def test_invalid_limits_are_refused_like_every_other_setting(decisions, make_package, tmp_path):
    make_package("p")
    config = _config(tmp_path, {"pdf_megabytes": "nul", "pdf_secondes": 3})
    check = run_cli("check", str(decisions), "--cache", str(tmp_path / "c"), "--config", str(config))
    assert check.returncode == 1
    assert "extra.woo.limieten.pdf_megabytes: 'nul' is geen geldige grens" in check.stdout
    assert "extra.woo.limieten.pdf_secondes: onbekende grens 'pdf_secondes'" in check.stdout


def test_a_pdf_past_the_time_limit_is_killed_and_refused_and_the_others_are_read(tmp_path, monkeypatch):
    """The worker that reads a PDF is killed past ``pdf_seconden``; a worker that dies refuses its PDF only."""
    import os
    import time

    from publish import pdfs
    from publish.limits import Limits

    real = pdfs._inspect_bytes

    def slow_or_dying(data: bytes, *rest):
        if b"SLOW" in data:
            time.sleep(60)
        if b"DIE" in data:
            os._exit(3)
        return real(data, *rest)

    monkeypatch.setattr(pdfs, "_inspect_bytes", slow_or_dying)  # inherited by the forked workers
    sys.path.insert(0, str(ROOT / "scripts"))
    from pdfdraw import write_pdf

    paths = []
    for name in ("SLOW", "DIE", "good"):
        paths.append(write_pdf(tmp_path / f"{name}.pdf", [f"Inhoud {name}"]))
        with paths[-1].open("ab") as handle:
            handle.write(f"\n% {name}\n".encode())
    inspector = pdfs.PdfInspector(pdfs.Cache(tmp_path / "cache"), workers=2, limits=Limits(pdf_seconds=1.5))
    started = time.monotonic()
    results = inspector.inspect_all(paths)
    assert time.monotonic() - started < 30
    slow, dead, good = (results[p] for p in paths)
    assert not slow.ok and slow.error_code == "limiet.pdf_seconden" and "limieten.pdf_seconden = 1,5 seconden" in slow.error
    assert not dead.ok and dead.error_code == "pdf.vastgelopen"
    assert good.ok and "good" in good.texts[0]
    # Only the good one is cached: a slow machine tonight must not refuse a PDF forever.
    assert len(list((tmp_path / "cache" / "pdf").rglob("*.json"))) == 1


# -- output ------------------------------------------------------------------------------------------------


def test_the_same_problem_on_100000_rows_is_one_line(decisions, make_package, tmp_path):
    rows = [["1", f"Document {i}", "", "niet openbaar", "5.2.1", ""] for i in range(100_000)]
    make_package("groot", rows=rows)
    check = run_cli("check", str(decisions), "--cache", str(tmp_path / "c"))
    assert check.returncode == 1
    assert len(check.stdout) < 5_000, check.stdout[:3000]
    line = next(ln for ln in check.stdout.splitlines() if "staat ook in rij 2" in ln)
    assert "rij 3-100001, kolom 'nr'" in line and "hetzelfde probleem in 99.999 rijen" in line


def test_rows_sort_numerically(decisions, make_package, tmp_path):
    rows = [[str(i), f"Document {i}", "", "niet openbaar", "5.2.1", ""] for i in range(1, 12)]
    rows[0][3] = rows[9][3] = "misschien"
    make_package("volgorde", rows=rows)
    out = run_cli("check", str(decisions), "--cache", str(tmp_path / "c")).stdout
    assert out.index("rij 2,") < out.index("rij 11,"), out


def test_an_unwritable_report_stops_the_build_before_it_starts(decisions, make_package, tmp_path):
    approve(make_package("p"))
    blocker = tmp_path / "geen-map"
    blocker.write_text("ik ben een bestand")
    out = tmp_path / "site"
    result = run_cli(*build_args(decisions, out, "--report", str(blocker / "rapport.json"), cache=tmp_path / "c", today=VANDAAG))
    assert result.returncode == 2
    assert "het rapport kan niet geschreven worden" in result.stderr and "Er is niets gebouwd" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not out.exists()


def test_a_full_disk_is_reported_in_dutch_with_exit_2(decisions, make_package, tmp_path, monkeypatch):
    import errno

    from publish import build as build_module

    approve(make_package("p"))

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "site"))

    monkeypatch.setattr(build_module, "swap_in", full)
    report = build_module.run_build(_in_process_options(build_module, decisions, tmp_path))
    assert report.exit_code == 2 and not report.written
    assert report.error.startswith("de site kon niet geschreven worden: de schijf is vol")
    assert "Errno" not in report.error


def _in_process_options(build_module, decisions: Path, tmp_path: Path):
    return build_module.BuildOptions(
        decisions=decisions,
        out=tmp_path / "site",
        config=ROOT / "mkdocs.yml",
        cache=tmp_path / "c",
        today=__import__("datetime").date(2024, 6, 1),
        workers=1,
    )


def test_a_sigterm_just_after_the_temporary_folder_is_made_leaves_nothing_behind(decisions, make_package, tmp_path, monkeypatch):
    """CI saw it once under load: the signal landed between ``mkdir`` and the assignment, so no ``finally`` knew the folder."""
    import os
    import signal
    import tempfile

    from publish import build as build_module

    approve(make_package("p"))
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp_then_sigterm(*args, **kwargs):
        path = real_mkdtemp(*args, **kwargs)
        if str(kwargs.get("prefix", "")).startswith(build_module.TEMP_PREFIX):  # the site's folder, not a signature's
            os.kill(os.getpid(), signal.SIGTERM)  # before the caller has the name
        for _ in range(1000):  # bytecode boundaries where an unheld signal would raise
            pass
        return path

    monkeypatch.setattr(build_module.tempfile, "mkdtemp", mkdtemp_then_sigterm)
    report = build_module.run_build(_in_process_options(build_module, decisions, tmp_path))
    assert report.exit_code == 2 and not report.written
    assert report.error == "de build is afgebroken (SIGTERM); de bestaande site is ongewijzigd."
    assert not list(tmp_path.glob(".woo-build-*")) and not (tmp_path / "site").exists()
    assert signal.getsignal(signal.SIGTERM) is not build_module._on_term  # handler restored
    assert build_module._TermHold.depth == 0 and not build_module._TermHold.pending  # and nothing left held


def test_a_sigterm_during_the_final_clean_up_finishes_it_and_says_the_new_site_is_there(
    decisions, make_package, tmp_path, monkeypatch
):
    """After the swap the new site is live: the report must not claim the old one is unchanged, and the folder goes."""
    import os
    import signal

    from publish import build as build_module
    from publish.swap import Removal

    approve(make_package("p"))
    real_wait = Removal.wait

    def wait_then_sigterm(self):
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(1000):
            pass
        real_wait(self)

    monkeypatch.setattr(Removal, "wait", wait_then_sigterm)
    report = build_module.run_build(_in_process_options(build_module, decisions, tmp_path))
    assert report.exit_code == 2 and report.written
    assert "nadat de nieuwe site al geplaatst was" in report.error
    assert (tmp_path / "site" / "index.html").is_file()
    assert not list(tmp_path.glob(".woo-build-*"))


# -- build integrity ---------------------------------------------------------------------------------------


def _build_args(decisions: Path, out: Path, cache: Path) -> list[str]:
    """The whole command line, for builds started with subprocess directly (several at once)."""
    return [str(woo_publish()), *build_args(decisions, out, cache=cache, today=VANDAAG)]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_into_sibling_folders_at_once_both_give_complete_sites(make_package, decisions, tmp_path):
    for i in range(3):
        approve(make_package(f"p{i}", meta={"kenmerk": f"2024-000{i}"}))
    parent = tmp_path / "www"
    parent.mkdir()
    # A leftover of a build into another output must survive (it may be a running build's).
    from publish.build import _temp_prefix

    foreign = parent / (_temp_prefix(parent / "ander") + "bezig")
    foreign.mkdir()
    runs = [
        subprocess.Popen(
            _build_args(decisions, parent / name, tmp_path / "cache"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for name in ("a", "b")
    ]
    outputs = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outputs
    a, b = _tree(parent / "a"), _tree(parent / "b")
    assert a == b and len(a) > 40
    assert "besluit/2024-0002/document-1.pdf" in a
    assert foreign.is_dir()
    assert (parent / ".a.woo-lock").is_file() and (parent / ".b.woo-lock").is_file()  # locks stay in place
    assert not list(parent.glob(_temp_prefix(parent / "a") + "*"))


def test_published_files_never_share_storage_with_the_cache_and_a_damaged_cache_is_recomputed(make_package, decisions, tmp_path):
    approve(make_package("p"))
    out, cache = tmp_path / "site", tmp_path / "cache"
    assert subprocess.run(_build_args(decisions, out, cache), capture_output=True).returncode == 0
    published = out / "besluit/2024-0001/document-1.pdf"
    good = published.read_bytes()
    assert published.stat().st_nlink == 1
    copies = list((cache / "published").rglob("*.pdf"))
    assert copies
    for copy in copies:  # damage every cached published copy (as a disk error or a stray tool would)
        copy.chmod(0o644)
        copy.write_bytes(copy.read_bytes()[:200] + b"BESCHADIGD")
    assert published.read_bytes() == good  # the live site did not change with the cache
    mtime = published.stat().st_mtime_ns
    rebuilt = subprocess.run(_build_args(decisions, out, cache), capture_output=True, text=True)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert published.read_bytes() == good
    assert published.stat().st_mtime_ns == mtime  # unchanged content keeps its time (rsync skips it)
    assert b"BESCHADIGD" not in b"".join(_tree(out).values())
    assert all(b"BESCHADIGD" not in c.read_bytes() for c in (cache / "published").rglob("*.pdf"))


def test_any_exception_in_one_package_refuses_only_that_package(make_package, decisions, tmp_path, monkeypatch, caplog):
    """Whatever the cause (a bug, recursion, memory): the package is refused, named in the log, the rest goes on."""
    from publish import evaluate as evaluate_module
    from publish.cache import Cache
    from publish.pdfs import PdfInspector

    make_package("goed")
    make_package("stuk\nnep", meta={"kenmerk": "2024-0002"})
    make_package("diep", meta={"kenmerk": "2024-0003"})
    real = evaluate_module.read_package

    def flaky(folder, limits):
        if folder.name == "stuk\nnep":
            raise MemoryError()
        if folder.name == "diep":
            raise RecursionError("maximum recursion depth exceeded")
        return real(folder, limits)

    monkeypatch.setattr(evaluate_module, "read_package", flaky)
    with caplog.at_level("ERROR", logger="woo_publish"):
        results = evaluate_module.evaluate(
            evaluate_module.package_folders(decisions), PdfInspector(Cache(tmp_path / "c"), workers=1)
        )
    by_name = {r.name: r for r in results}
    assert by_name["goed"].valid
    assert [p.message for p in by_name["stuk\nnep"].problems] == [
        "het pakket vroeg te veel geheugen bij het lezen van het pakket."
    ]
    assert [p.code for p in by_name["diep"].problems] == ["pakket.onverwacht"]
    assert "pakket stuk\\nnep: MemoryError" in caplog.text and "pakket diep: RecursionError" in caplog.text


def test_control_characters_in_names_are_escaped_everywhere_problems_are_printed():
    from publish.problems import Problem
    from publish.safetext import safe

    p = Problem("map\nGEPUBLICEERD x", "bestand\r.pdf", "rij 2", "'\x1b[31m' is fout\u202e.", "Los op.", "c")
    text = p.format()
    assert text.count("\n") == 1 and "\x1b" not in text and "\u202e" not in text and "\r" not in text
    assert "map\\nGEPUBLICEERD x/bestand\\r.pdf, rij 2" in text
    assert safe("x" * 10_000).count("x") < 2_100


CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]")


def _strings(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def test_the_json_report_holds_no_control_characters(world):
    """Attack round 10, B02: monitoring reads the report (``--report``); package names, file names and values
    quoted in messages come from packages. Every string is escaped as stdout escapes it (``safe``)."""
    report = world["report"]
    assert [s for s in _strings(report) if CONTROLS.search(s)] == []
    assert "kwaad\\nGEPUBLICEERD nep (2024-9999)\\x1b[2J" in {p["package"] for p in report["published"]}


def test_build_report_to_json_escapes_every_string():
    from publish.build import BuildReport

    bad = "x\x1b]0;X\x07\x1b[2J\u202e\u2028\x85\n"
    report = BuildReport(
        published=[{"package": "aanval" + bad, "kenmerk": "2024-1"}],
        refused=[{"package": "p", "problems": [{"message": f"'{bad}' is geen geldige beoordeling.", "file": bad}]}],
        warnings=[{"package": "p", "message": f"kolommen {bad}", bad: 1}],
        error=bad,
        counters={"pdfs": 3},
    )
    text = json.dumps(report.to_json(), indent=2, ensure_ascii=False)  # as cli.build writes it
    decoded = json.loads(text)
    assert [s for s in _strings(decoded) if CONTROLS.search(s)] == []
    assert decoded["published"][0]["package"] == "aanvalx\\x1b]0;X\\x07\\x1b[2J\\u202e\\u2028\\x85\\n"
    assert decoded["tellers"] == {"pdfs": 3} and decoded["exit_code"] == 0  # numbers stay numbers
    assert "x" * 5000 in BuildReport(error="x" * 5000).to_json()["error"]  # never shortened, unlike stdout


def test_a_package_whose_files_fail_while_the_site_is_written_is_refused_and_the_rest_published(
    make_package, decisions, tmp_path, monkeypatch
):
    """Defence in depth: a step after the checks (the downloads) fails for one package only."""
    import datetime as dt

    from publish import build as build_module
    from publish import opendata

    approve(make_package("goed"))
    approve(make_package("stuk", meta={"kenmerk": "2024-0002"}))
    real = opendata.write_documents_zip  # the build writes each ZIP straight to disk (issue 19)

    def failing(view, target):
        if view.decision.kenmerk == "2024-0002":
            raise ValueError("kapot")
        return real(view, target)

    monkeypatch.setattr(opendata, "write_documents_zip", failing)
    opts = build_module.BuildOptions(
        decisions=decisions,
        out=tmp_path / "site",
        config=ROOT / "mkdocs.yml",
        cache=tmp_path / "c",
        today=dt.date(2024, 6, 1),
        workers=1,
    )
    report = build_module.run_build(opts)
    assert report.exit_code == 1 and report.written
    assert [p["package"] for p in report.published] == ["goed"]
    assert [(r["package"], r["problems"][0]["code"]) for r in report.refused] == [("stuk", "pakket.onverwacht")]
    assert (tmp_path / "site/besluit/2024-0001/documenten.zip").is_file()
    assert not (tmp_path / "site/besluit/2024-0002").exists()


def test_a_full_disk_while_caching_a_pdf_stops_the_run_instead_of_refusing_packages(tmp_path, monkeypatch):
    import errno

    from publish import pdfs

    sys.path.insert(0, str(ROOT / "scripts"))
    from pdfdraw import write_pdf

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "cache"))

    monkeypatch.setattr(pdfs.Cache, "put_bytes", full)
    pdf = write_pdf(tmp_path / "a.pdf", ["Tekst"])
    with pytest.raises(OSError) as caught:
        pdfs.PdfInspector(pdfs.Cache(tmp_path / "cache"), workers=1).inspect_all([pdf])
    assert caught.value.errno == errno.ENOSPC


def test_names_paths_and_unpacked_xlsx_size_are_limited(make_package, decisions):
    from publish.limits import Limits
    from publish.package import load_package

    long_folder = make_package("p" * 130)
    _, problems = load_package(long_folder)
    assert [p.code for p in problems] == ["limiet.naam"]
    assert (
        "de lengte van de mapnaam is 130 tekens; dat is meer dan de grens (limieten.naam_tekens = 120 tekens)"
        in problems[0].message
    )

    pkg = make_package("xlsx", meta={"inventaris": "inventaris.xlsx"}, rows=ROWS_XLSX)
    _xlsx_inventory(pkg, ROWS_XLSX)
    decision, problems = load_package(pkg)
    assert decision is not None, [p.format() for p in problems]
    decision, problems = load_package(pkg, Limits(xlsx_unpacked_bytes=2_000))
    assert decision is None
    [problem] = [p for p in problems if p.code == "limiet.xlsx"]
    assert problem.file == "inventaris.xlsx" and "(limieten.xlsx_uitgepakt_megabytes = 0,002 MB)" in problem.message
    assert re.search(r"het uitgepakte Excel-bestand is 0,0\d+ MB", problem.message), problem.message
