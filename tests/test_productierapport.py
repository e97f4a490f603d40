"""Real inventories as they are: the VWS "productierapport" (the layout open.minvws.nl imports) and
other redaction-tool exports, generated with openpyxl in each layout seen in practice, read by the
real loader, and a published site checked for what a suspended document must never leave behind."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from publish.inventory import InventoryLimits, read_table
from publish.package import files_by_number, load_package
from publish.problems import Problem, Problems, row_ranges
from publish.search import stem

from support import DEMO_KEY, ROOT, WOO_META, approve, read_open_data, run_cli, write_pdf

VWS_HEADER = [
    "ID",
    "Matter",
    "Family",
    "Email Thread ID",
    "Document",
    "File Type",
    "Datum",
    "Beoordeling",
    "Opgeschort",
    "Beoordelingsgrond",
    "Toelichting",
    "Publieke Link",
    "Gerelateerd ID",
    "Locatie open.minvws.nl",
]
SECRET = "Zwartgeheimwoord"  # only in the suspended document's PDF: must never reach the site
MATTER = "VWS-WOO-2021-017"

VWS_ROWS = [
    # ID, Matter, Family, Thread, Document, File Type, Datum, Beoordeling, Opgeschort, Grond, Toelichting, Link, Gerelateerd, Locatie
    [
        10001,
        MATTER,
        10001,
        "T-77",
        "E-mail over testcapaciteit.msg",
        "email",
        "2/19/2021 11:46 PM UTC",
        "deels openbaar",
        "Nee",
        "5.1.2e; 5.1.2.i;",
        "",
        "",
        "10004",
        "https://open.minvws.nl/dossier/x",
    ],
    [
        10002,
        MATTER,
        10001,
        "T-77",
        "Bijlage planning week 8.docx",
        "doc",
        dt.datetime(2021, 2, 19),
        "Openbaar",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        10003,
        MATTER,
        10003,
        "T-77",
        "Reactie op e-mail.msg",
        "email",
        "25-3-2020",
        "Niet Openbaar",
        "nee",
        "5.1.2.e, 5.1.1c",
        "",
        "",
        "",
        "",
    ],
    [10004, MATTER, "", "", "Technische briefing.pptx", "presentation", "2021-02-01", "OPENBAAR", "", "", "Versie 2", "", "", ""],
    [
        10005,
        MATTER,
        "",
        "",
        "Advies van derde",
        "doc",
        "2021-03-01",
        "Deels openbaar",
        "Ja",
        "5.1.2e",
        "Zienswijze loopt",
        "",
        "",
        "",
    ],
    [
        10006,
        MATTER,
        "",
        "",
        "Kamerbrief testen",
        "doc",
        "2021-03-02",
        "Reeds openbaar",
        "",
        "",
        "",
        "https://www.rijksoverheid.nl/a | https://www.tweedekamer.nl/b",
        "",
        "",
    ],
    [10007, MATTER, "", "", "Notitie capaciteit.docx", "doc", "2021-03-03", "Openbaar", "", "5.1.2e", "", "", "", ""],
]
VWS_FILES = {  # file in the package -> document number
    "10001.pdf": 10001,
    "documenten/10002 Bijlage planning.pdf": 10002,
    "documenten/sub/10004 Technische briefing.pdf": 10004,
    "10005.pdf": 10005,
    "10007-def.pdf": 10007,
}


def write_rapport(
    path: Path,
    header: list,
    rows: list[list],
    *,
    title_rows: int = 1,
    lookup: str | None = "after",
    sheet_title: str = "Productierapport",
) -> Path:
    """A productierapport as the tools write it: title row(s) above the header, a "Lookup values" sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    for i in range(title_rows):
        ws.append(["Inventarislijst Woo-besluit VWS" if i == 0 else None])
    if title_rows:
        ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    if lookup:
        values = wb.create_sheet("Lookup values", 0 if lookup == "before" else None)
        values.append(["Beoordeling", "Beoordelingsgrond", "Opgeschort"])
        for a, g, o in (("Openbaar", "5.1.1c", "Ja"), ("Deels openbaar", "5.1.2e", "Nee"), ("Niet openbaar", "5.1.2i", None)):
            values.append([a, g, o])
    wb.save(path)
    return path


def make_vws_package(root: Path, name: str = "vws", rows=None, files=None, header=None, **kwargs) -> Path:
    pkg = root / name
    pkg.mkdir(parents=True)
    meta = dict(
        WOO_META,
        kenmerk="2021-VWS-17",
        titel="Testcapaciteit in februari 2021",
        organisatie="Ministerie van VWS",
        inventaris="inventaris.xlsx",
        besluit="deels openbaar",
        besluit_datum="2024-05-01",
    )
    (pkg / "besluit.md").write_text(
        "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\nSamenvatting.\n", encoding="utf-8"
    )
    write_pdf(pkg / "besluit.pdf", ["# Besluit", "Dit is de besluitbrief met de beslissing op het verzoek."])
    write_rapport(pkg / "inventaris.xlsx", header or VWS_HEADER, VWS_ROWS if rows is None else rows, **kwargs)
    for rel, nr in (VWS_FILES if files is None else files).items():
        text = [f"# Document {nr}", "Inhoud over testcapaciteit en planning."]
        if nr == 10005:
            text.append(f"Dit advies bevat {SECRET} en mag nog niet naar buiten.")
        write_pdf(pkg / rel, text)
    return pkg


def errors(found):
    return [p for p in found if p.is_error]


def codes(found):
    return sorted(p.code for p in found)


# -- reading the layouts ---------------------------------------------------------------------
@pytest.mark.parametrize("lookup", ["after", "before"])
def test_vws_productierapport_is_read_as_it_is(tmp_path, lookup):
    pkg = make_vws_package(tmp_path, lookup=lookup)
    decision, found = load_package(pkg)
    assert errors(found) == [], [p.format() for p in found]
    rows = {r.nr: r for r in decision.inventory}
    assert [r.nr for r in decision.inventory] == [str(r[0]) for r in VWS_ROWS]
    assert [r.row_number for r in decision.inventory] == [4, 5, 6, 7, 8, 9, 10]  # as Excel shows them (title, blank, header)
    first = rows["10001"]
    assert first.title == "E-mail over testcapaciteit" and first.file_type == "email"
    assert first.date == dt.date(2021, 2, 20)  # 11:46 PM UTC is the next day in the Netherlands
    assert first.assessment == "deels openbaar" and [g.id for g in first.grounds] == ["5.1.2.e", "5.1.2.i"]
    assert first.family == "10001" and first.thread == "T-77" and first.related == ["10004"]
    assert first.case_numbers == [MATTER] and decision.case_numbers == [MATTER]
    assert first.file.relpath == "10001.pdf"
    assert rows["10002"].date == dt.date(2021, 2, 19) and rows["10002"].file.relpath == "documenten/10002 Bijlage planning.pdf"
    assert rows["10003"].date == dt.date(2020, 3, 25) and [g.id for g in rows["10003"].grounds] == ["5.1.2.e", "5.1.1.c"]
    assert rows["10004"].file.relpath == "documenten/sub/10004 Technische briefing.pdf" and rows["10004"].remark == "Versie 2"
    assert rows["10005"].suspended and rows["10005"].file is None and not rows["10005"].published
    assert rows["10006"].links == ["https://www.rijksoverheid.nl/a", "https://www.tweedekamer.nl/b"]
    assert rows["10006"].link == "https://www.rijksoverheid.nl/a"
    assert rows["10007"].file.relpath == "10007-def.pdf" and [g.id for g in rows["10007"].grounds] == ["5.1.2.e"]
    assert rows["10007"].title == "Notitie capaciteit"
    # the suspended document's file is never inspected or published
    assert "10005.pdf" not in [f.relpath for f in decision.all_files()]
    warnings = [p for p in found if not p.is_error]
    unknown = [p for p in warnings if p.code == "inventaris.kolom_onbekend"]
    assert len(unknown) == 1 and "'Locatie open.minvws.nl'" in unknown[0].message
    openbaar = [p for p in warnings if p.code == "inventaris.grond_bij_openbaar"]
    assert len(openbaar) == 1 and openbaar[0].location == "rij 10, kolom 'Beoordelingsgrond'"


def test_digit_prefixed_case_insensitive_headers_without_title_row(tmp_path):
    header = ["01 id", "02 DOCUMENT", "03 Datum (UTC)", "04 beoordeling", "05 Beoordelingsgrond", "06 opgeschort"]
    rows = [
        [1, "Verslag 16 april 2020.docx", dt.datetime(2020, 4, 16, 22, 30), "Niet openbaar", "5.1.2.e", None],
        [2, "Memo", "2020-04-17", "niet openbaar", "5.1.1c;", None],
    ]
    pkg = make_vws_package(tmp_path, rows=rows, header=header, files={}, title_rows=0, lookup=None)
    meta = (pkg / "besluit.md").read_text().replace("besluit: deels openbaar", "besluit: niet openbaar")
    (pkg / "besluit.md").write_text(meta)
    decision, found = load_package(pkg)
    assert found == [], [p.format() for p in found]
    first = decision.inventory[0]
    assert first.title == "Verslag 16 april 2020" and first.row_number == 2
    assert first.date == dt.date(2020, 4, 17)  # a 'Datum (UTC)' column: 22:30 UTC is 00:30 in Amsterdam


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2/19/2021 8:46 AM UTC", dt.date(2021, 2, 19)),
        ("12/31/2020 11:30 PM UTC", dt.date(2021, 1, 1)),
        ("7/1/2021 10:30 PM UTC", dt.date(2021, 7, 2)),  # summer time: UTC+2
        ("3/4/2021 1:00 PM", dt.date(2021, 3, 4)),  # with AM/PM: month first
        ("3/4/2021", dt.date(2021, 4, 3)),  # without: day first, as Dutch people write
        ("25-3-2020", dt.date(2020, 3, 25)),
        ("2020-03-25", dt.date(2020, 3, 25)),
        ("2020-03-25T23:30:00Z", dt.date(2020, 3, 26)),
        ("2/19/2021", None),
        ("2/30/2021 1:00 PM", None),
        ("2/19/2021 13:00 PM UTC", None),
    ],
)
def test_e_discovery_dates(text, expected):
    from publish.dates import parse_loose

    assert parse_loose(text) == expected


def test_file_matching_by_number():
    files = [
        "10001.pdf",
        "docs/10001 Technische briefing.pdf",
        "a/b/10001-def.pdf",
        "100011.pdf",
        "1000x.pdf",
        "10-2.pdf",
        "A7-bijlage.pdf",
        "A70.pdf",
    ]
    found = files_by_number({"1000", "10001", "10", "10-2", "a7"}, files)
    assert found["10001"] == ["10001.pdf", "docs/10001 Technische briefing.pdf", "a/b/10001-def.pdf"]
    assert found["1000"] == ["1000x.pdf"]  # not 10001.pdf, not 100011.pdf
    assert found["10-2"] == ["10-2.pdf"] and "10" not in found  # the longest number wins
    assert found["a7"] == ["A7-bijlage.pdf"]  # case-insensitive; A70 is not A7


def test_several_files_for_one_number_are_refused_unless_a_bestand_column_says_which(tmp_path):
    files = dict(VWS_FILES, **{"10001 oud.pdf": 10001})
    pkg = make_vws_package(tmp_path, files=files)
    _, found = load_package(pkg)
    [p] = [p for p in errors(found) if p.code == "inventaris.bestand_meerdere"]
    assert "'10001 oud.pdf'" in p.message and "'10001.pdf'" in p.message and p.location.startswith("rij 4,")
    assert codes(errors(found)) == ["inventaris.bestand_meerdere"]  # no stray-file follow-on errors

    rows = [r + [f] for r, f in zip(VWS_ROWS, ["10001.pdf", "", "", "", "", "", ""])]
    pkg = make_vws_package(tmp_path, name="met-bestand", files=files, rows=rows, header=VWS_HEADER + ["Bestand"])
    (pkg / "10001 oud.pdf").unlink()
    decision, found = load_package(pkg)
    assert errors(found) == [], [p.format() for p in found]
    assert decision.inventory[0].file.relpath == "10001.pdf"


def test_missing_and_forbidden_files_by_number(tmp_path):
    files = {k: v for k, v in VWS_FILES.items() if v != 10004}
    files["10003 reactie.pdf"] = 10003  # not public: must not be in the package
    pkg = make_vws_package(tmp_path, files=files)
    _, found = load_package(pkg)
    by_code = {p.code: p for p in errors(found)}
    assert set(by_code) == {"inventaris.bestand_ontbreekt", "inventaris.bestand_verboden"}
    assert by_code["inventaris.bestand_ontbreekt"].location == "rij 7, kolom 'bestand'"
    assert "10004.pdf" in by_code["inventaris.bestand_ontbreekt"].fix
    assert "10003 reactie.pdf" in by_code["inventaris.bestand_verboden"].message


def test_suspended_file_may_be_absent(tmp_path):
    files = {k: v for k, v in VWS_FILES.items() if v != 10005}
    decision, found = load_package(make_vws_package(tmp_path, files=files))
    assert errors(found) == [] and decision.inventory[4].suspended


def test_stale_dimension_keeps_every_row(tmp_path):
    rows = [[n, f"Document {n}", "2021-01-01", "Niet openbaar", "5.1.2e"] for n in range(1, 201)]
    path = write_rapport(
        tmp_path / "inv.xlsx", ["ID", "Document", "Datum", "Beoordeling", "Beoordelingsgrond"], rows, lookup=None
    )
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stale, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:E5"', data)
                assert n == 1
            dst.writestr(info, data)
    # openpyxl's read-only mode trusts the stale dimension: this is the trap the reader avoids
    naive = load_workbook(stale, read_only=True)
    assert len(list(naive.worksheets[0].iter_rows(values_only=True))) == 5
    naive.close()
    problems = Problems("p")
    table = read_table(stale, "stale.xlsx", problems)
    assert problems == [] and table.rows_read == 200
    assert [n for n, _ in table.rows][:2] == [4, 5] and table.rows[-1][0] == 203


def test_windows_1252_csv_from_dutch_excel(tmp_path):
    pkg = make_vws_package(tmp_path, files={})
    (pkg / "inventaris.xlsx").unlink()
    text = "Inventarislijst;;;;\r\nID;Document;Datum;Beoordeling;Grond\r\n1;Notitie café – overleg;25-3-2020;Niet openbaar;5.1.2e\r\n"
    (pkg / "inventaris.csv").write_bytes(text.encode("cp1252"))
    meta = (
        (pkg / "besluit.md").read_text().replace("inventaris.xlsx", "inventaris.csv").replace("besluit: deels", "besluit: niet")
    )
    (pkg / "besluit.md").write_text(meta)
    decision, found = load_package(pkg)
    assert errors(found) == [], [p.format() for p in found]
    assert decision.inventory[0].title == "Notitie café – overleg" and decision.inventory[0].row_number == 3
    [warning] = found
    assert warning.code == "inventaris.codering" and "CSV UTF-8" in warning.fix


def test_header_not_found_says_where_it_looked_and_what_is_missing(tmp_path):
    header = ["ID", "Omschrijving van het stuk", "Datum", "Beoordeling"]
    pkg = make_vws_package(tmp_path, header=header, rows=[[1, "A", None, "Openbaar"]], files={}, lookup="before")
    _, found = load_package(pkg)
    assert codes(errors(found)) == ["inventaris.kolom_ontbreekt"]  # no "bevat geen documenten" on top
    message = errors(found)[0].message
    assert "werkblad 'Lookup values' (regel 1 t/m 4)" in message and "werkblad 'Productierapport' (regel 1 t/m 4)" in message
    assert "regel 3 van werkblad 'Productierapport'" in message and "'document'" in message


def test_hidden_sheet_is_skipped(tmp_path):
    path = tmp_path / "inv.xlsx"
    wb = Workbook()
    old = wb.active
    old.title = "Oud"
    old.append(["ID", "Document", "Beoordeling"])
    old.append([99, "Oude versie", "Openbaar"])
    old.sheet_state = "hidden"
    new = wb.create_sheet("Nieuw")
    new.append(["ID", "Document", "Beoordeling"])
    new.append([1, "Huidige versie", "Niet openbaar"])
    wb.save(path)
    problems = Problems("p")
    table = read_table(path, "inv.xlsx", problems)
    assert table.sheet == "Nieuw" and [v["document"] for _, v in table.rows] == ["Huidige versie"]


# -- hostile and broken inventories ----------------------------------------------------------
def test_limits_rows_cells_and_unpacked_size(tmp_path):
    rows = [[n, f"Document {n}", "Niet openbaar"] for n in range(1, 31)]
    rows[4][1] = "x" * 40_000
    path = write_rapport(tmp_path / "inv.xlsx", ["ID", "Document", "Beoordeling"], rows, title_rows=0, lookup=None)
    problems = Problems("p")
    assert read_table(path, "inv.xlsx", problems, InventoryLimits(rows=10)) is None
    assert [p.code for p in problems] == ["inventaris.te_veel_rijen"] and "10 rijen" in problems[0].message
    problems = Problems("p")
    read_table(path, "inv.xlsx", problems, InventoryLimits(cell_chars=1000))
    [p] = problems
    assert p.code == "inventaris.cel_te_lang" and p.location == "rij 6, kolom 'Document'" and "1000" in p.message
    csv_path = tmp_path / "inv.csv"  # openpyxl itself stops at Excel's 32767; a CSV has no such limit
    csv_path.write_text(
        "ID;Document;Beoordeling\n"
        + "".join(f"{n};{'y' * 40_000 if n in (3, 4, 5, 9) else 'A'};Openbaar\n" for n in range(1, 12))
    )
    problems = Problems("p")
    read_table(csv_path, "inv.csv", problems)
    [p] = problems
    assert p.code == "inventaris.cel_te_lang" and p.location == "rij 4-6, 10, kolom 'Document'" and "32767" in p.message
    problems = Problems("p")
    assert read_table(path, "inv.xlsx", problems, InventoryLimits(xlsx_unpacked_bytes=1000)) is None
    assert problems[0].code == "inventaris.te_groot" and "de grens is 1000 bytes" in problems[0].message


def test_truncated_and_fake_xlsx_are_refused_with_a_message(tmp_path):
    rows = [[n, f"Document {n}", "Niet openbaar"] for n in range(1, 500)]
    path = write_rapport(tmp_path / "inv.xlsx", ["ID", "Document", "Beoordeling"], rows, lookup=None)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, data[: len(data) // 2] if info.filename == "xl/worksheets/sheet1.xml" else data)
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"ID;Document;Beoordeling\n1;A;Openbaar\n")
    for bad in (broken, fake):
        problems = Problems("p")
        assert read_table(bad, bad.name, problems) is None
        assert [p.code for p in problems] == ["inventaris.xlsx"] and "opnieuw op als .xlsx" in problems[0].fix


def test_control_characters_and_many_unknown_columns(tmp_path):
    header = ["ID", "Document", "Beoordeling"] + [f"Extra_x0007_{n}" for n in range(30)]
    rows = [[1, "Titel_x000B_met besturingsteken", "Niet openbaar"] + ["x"] * 30]
    path = write_rapport(tmp_path / "inv.xlsx", header, rows, title_rows=0, lookup=None)
    problems = Problems("p")
    table = read_table(path, "inv.xlsx", problems)
    assert table.rows_read == 1
    [warning] = problems  # one warning for all 30 unknown columns
    assert warning.code == "inventaris.kolom_onbekend" and "en nog 10" in warning.message
    csv_path = tmp_path / "nul.csv"
    csv_path.write_bytes(b"ID,Document,Beoordeling\n1,A\x00B,Openbaar\n")
    problems = Problems("p")
    assert read_table(csv_path, "nul.csv", problems) is None and problems[0].code == "inventaris.csv"


def test_rows_sort_numerically_and_ranges_are_summarised():
    assert row_ranges(range(2, 50_002)) == "2-50001"
    assert row_ranges([12, 4, 7, 8, 9]) == "4, 7-9, 12"
    assert row_ranges(range(2, 60, 2), shown=3) == "2, 4, 6, en nog 26 rijen"
    found = [Problem("p", "inv.csv", f"rij {n}, kolom 'nr'", "m", "f", "c") for n in (10, 2, 100, 9)]
    assert [p.location for p in sorted(found, key=Problem.sort_key)] == [
        "rij 2, kolom 'nr'",
        "rij 9, kolom 'nr'",
        "rij 10, kolom 'nr'",
        "rij 100, kolom 'nr'",
    ]


@pytest.mark.slow
def test_fifty_thousand_rows(tmp_path):
    path = tmp_path / "groot.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Productierapport")
    ws.append(["Inventarislijst"])
    ws.append(VWS_HEADER[:10])
    for n in range(1, 50_001):
        ws.append(
            [100_000 + n, MATTER, "", "", f"Document {n}.msg", "email", "2/19/2021 8:46 AM UTC", "Niet openbaar", "Nee", "5.1.2e"]
        )
    wb.save(path)
    started = time.perf_counter()
    problems = Problems("p")
    table = read_table(path, "groot.xlsx", problems)
    assert problems == [] and table.rows_read == 50_000
    assert table.rows[0][0] == 3 and table.rows[-1][0] == 50_002
    assert time.perf_counter() - started < 120  # a sanity bound, not a speed target (see benchmarks/)


def test_missing_files_on_many_rows_are_one_message(tmp_path):
    rows = [[n, MATTER, "", "", f"Document {n}", "doc", "", "Openbaar", "", "", "", "", "", ""] for n in range(1, 41)]
    pkg = make_vws_package(tmp_path, rows=rows, files={})
    (pkg / "besluit.md").write_text((pkg / "besluit.md").read_text().replace("besluit: deels", "besluit: "))
    _, found = load_package(pkg)
    missing = [p for p in found if p.code == "inventaris.bestand_ontbreekt"]
    assert len(missing) == 1 and missing[0].location == "rij 4-43, kolom 'bestand'" and "40 documenten" in missing[0].message


# -- the published site ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def vws_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("vws")
    pkg = make_vws_package(root / "decisions")
    approve(pkg)
    out = root / "site"
    result = run_cli(
        "build",
        "--decisions",
        str(root / "decisions"),
        "--out",
        str(out),
        "--cache",
        str(root / "c"),
        "--config",
        str(ROOT / "mkdocs.yml"),
        "--vandaag",
        "2024-06-01",
        "--report",
        str(root / "rapport.json"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads((root / "rapport.json").read_text())["published"][0]["inventory_rows"] == 7
    return out


def _decision_html(site: Path) -> str:
    [page] = list((site / "besluit").glob("*/index.html"))
    return page.read_text(encoding="utf-8")


def _row(html: str, nr: str) -> str:
    match = re.search(rf'<tr id="document-{nr}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, nr
    return match.group(1)


def test_suspended_document_is_listed_with_a_neutral_note(vws_site):
    html = _decision_html(vws_site)
    row = _row(html, "10005")
    assert "Advies van derde" in row and "Publicatie opgeschort" in row and "Deels openbaar" in row
    assert "1 maart 2021" in row
    assert "Zienswijze loopt" not in row and "downloaden" not in row and ".pdf" not in row


def test_suspended_document_never_leaves_anything_on_the_site(vws_site):
    secret_stem = stem(SECRET.lower())
    for path in sorted(vws_site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        assert SECRET.encode() not in data and SECRET.lower().encode() not in data, path
        if path.suffix in (".json", ".js", ".xml", ".html", ".csv", ".txt"):
            assert secret_stem.encode() not in data.lower(), path
        if path.suffix == ".pdf":
            text = "".join(page.extract_text() or "" for page in PdfReader(path).pages)
            assert SECRET not in text and "Document 10005" not in text, path
    assert not list(vws_site.rglob("*10005*.pdf"))
    folder = next((vws_site / "besluit").iterdir())
    with zipfile.ZipFile(folder / "documenten.zip") as archive:
        assert not [n for n in archive.namelist() if "10005" in n]
        for name in archive.namelist():
            text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(archive.read(name))).pages)
            assert SECRET not in text and "Document 10005" not in text
    rows = {r[0]: r for r in csv.reader(io.StringIO((folder / "inventaris.csv").read_bytes().decode("utf-8-sig")), delimiter=";")}
    assert rows["10005"][:6] == ["10005", "Advies van derde", "2021-03-01", "deels openbaar", "", ""] and rows["10005"][8] == "ja"
    assert rows["10001"][5].endswith("/document-10001.pdf")
    sheet = load_workbook(folder / "inventaris.xlsx").active
    xlsx_rows = {str(r[0]): r for r in sheet.iter_rows(values_only=True)}
    assert xlsx_rows["10005"][5] in (None, "") and xlsx_rows["10005"][8] == "ja"
    data = read_open_data(vws_site)
    [item] = [r for d in data["besluiten"] for r in d["inventaris"] if r["nr"] == "10005"]
    assert item["opgeschort"] is True and item["url"] is None and item["toelichting"] is None
    diwoo = "".join(p.read_text() for p in vws_site.rglob("*.xml"))
    assert "2021-VWS-17/10005" not in diwoo and "2021-VWS-17/10001" in diwoo


def test_family_thread_related_links_and_case_number_on_the_site(vws_site):
    html = _decision_html(vws_site)
    mail, attachment, reply = _row(html, "10001"), _row(html, "10002"), _row(html, "10003")
    assert 'Bijlagen: <a href="document/10002/">document 10002</a>' in mail
    assert 'Bijlage bij <a href="document/10001/">document 10001</a>' in attachment
    assert 'Zelfde e-mailwisseling: <a href="document/10003/">document 10003</a>' in mail
    assert '<a href="document/10001/">document 10001</a>' in reply
    assert 'Gerelateerd: <a href="document/10004/">document 10004</a>' in mail
    assert "E-mail over testcapaciteit</a> <span" in mail and ".msg" not in mail and "(email)" in mail
    assert "20 februari 2021" in mail
    order = [m for m in re.findall(r'<tr id="document-(\d+)"', html)]
    assert order == ["10001", "10002", "10003", "10004", "10005", "10006", "10007"]
    links = _row(html, "10006")
    assert 'href="https://www.rijksoverheid.nl/a"' in links and 'href="https://www.tweedekamer.nl/b"' in links
    assert "Vindplaats 1" in links and "Vindplaats 2" in links
    assert "5.1.2.e" in _row(html, "10007")  # 'Openbaar' with a ground: shown as given
    assert "Zaaknummer" in html and MATTER in html
    facet = vws_site / "besluiten/zaak" / MATTER.lower() / "index.html"
    assert facet.is_file() and "Testcapaciteit in februari 2021" in facet.read_text()
    data = read_open_data(vws_site)
    [decision] = data["besluiten"]
    assert decision["zaaknummers"] == [MATTER]
    first = decision["inventaris"][0]
    assert first["familie"] == "10001" and first["email_thread"] == "T-77" and first["gerelateerd"] == ["10004"]
    assert first["bestandstype"] == "email"


def test_attachments_follow_their_email(tmp_path):
    rows = [list(r) for r in VWS_ROWS]
    rows.insert(0, rows.pop(1))  # the attachment comes before its e-mail in the sheet
    pkg = make_vws_package(tmp_path, rows=rows)
    decision, found = load_package(pkg)
    assert errors(found) == []
    from publish.pages import RowView, link_rows

    views = link_rows([RowView(r, r.nr, None) for r in decision.inventory])
    assert [v.row.nr for v in views][:2] == ["10001", "10002"]
    assert views[1].attached_to is views[0] and views[0].attachments == [views[1]]
    # Issue 19 (memory): rows are slotted, and a row without links holds the one shared empty tuple, not lists of its own.
    assert not hasattr(views[0], "__dict__")
    bare = [v for v in views if not v.attachments and not v.thread and not v.related]
    assert bare and all(v.attachments == () and v.thread == () and v.related == () for v in bare)
    assert all(v.related for v in views if v.row.nr == "10001")  # `Gerelateerd ID` 10004 is still linked


def test_check_reports_the_rows_read(tmp_path):
    approve(make_vws_package(tmp_path / "decisions"))
    result = run_cli("check", str(tmp_path / "decisions"), "--cache", str(tmp_path / "c"))
    assert result.returncode == 0, result.stdout
    assert "     inventaris.xlsx: 7 rijen gelezen." in result.stdout
    assert result.stdout.count("WAARSCHUWING") == 2  # the unknown column, the ground on an 'Openbaar' row


def test_reapproval_never_records_a_suspended_file_in_the_public_history(tmp_path):
    pkg = make_vws_package(tmp_path / "decisions")
    cache = str(tmp_path / "c")
    assert run_cli("approve", str(pkg), "--sleutel", str(DEMO_KEY), "--cache", cache).returncode == 0
    write_pdf(pkg / "10005.pdf", ["# Document 10005", f"Nieuwe versie met {SECRET}."])
    write_pdf(pkg / "documenten/10002 Bijlage planning.pdf", ["# Document 10002", "Nieuwe versie van de bijlage."])
    result = run_cli("approve", str(pkg), "--sleutel", str(DEMO_KEY), "--cache", cache)
    assert result.returncode == 0, result.stdout
    assert "Wijziging vastgelegd voor de publieke geschiedenis: document 10002 vervangen" in result.stdout, result.stdout
    (pkg / "10005.pdf").unlink()
    result = run_cli("approve", str(pkg), "--sleutel", str(DEMO_KEY), "--cache", cache)
    assert result.returncode == 0 and "Wijziging vastgelegd" not in result.stdout, result.stdout
    history = "".join(p.read_text() for p in pkg.glob("*.json") if p.name != "goedkeuring.json")
    assert "10005" not in history and "10002" in history


def test_row_number_past_excels_maximum_is_refused_quickly(tmp_path):
    path = write_rapport(
        tmp_path / "inv.xlsx", ["ID", "Document", "Beoordeling"], [[1, "A", "Niet openbaar"]], title_rows=0, lookup=None
    )
    forged = tmp_path / "forged.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(forged, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>",
                    b'<row r="2000000000"><c r="A2000000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
                )
            dst.writestr(info.filename, data)
    started = time.perf_counter()
    problems = Problems("p")
    assert read_table(forged, "forged.xlsx", problems) is None
    assert [p.code for p in problems] == ["inventaris.xlsx"] and "1048576" in problems[0].message
    assert time.perf_counter() - started < 60


def test_csv_with_millions_of_empty_lines_is_refused(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_bytes(b"ID;Document;Beoordeling\n1;A;Openbaar\n" + b"\n" * 1_100_000 + b"2;B;Openbaar\n")
    problems = Problems("p")
    assert read_table(path, "inv.csv", problems) is None
    assert [p.code for p in problems] == ["inventaris.te_veel_rijen"] and "lege regels" in problems[0].message


def test_new_columns_are_checked_for_personal_data_and_references_are_not_phone_numbers(tmp_path):
    from publish.cache import Cache
    from publish.evaluate import evaluate
    from publish.pdfs import PdfInspector

    rows = [list(r) for r in VWS_ROWS]
    rows[0][3] = "0612345678"  # a thread ID that looks like a mobile number: a reference
    rows[0][1] = "0687654321"  # so is a matter number
    rows[3][5] = "presentatie van j.jansen@gmail.com"  # a personal address in File Type is published
    pkg = make_vws_package(tmp_path / "decisions", rows=rows)
    [result] = evaluate([pkg], PdfInspector(Cache(tmp_path / "c")))
    found = [p for p in result.problems if p.code.startswith("persoonsgegeven.")]
    assert [(p.file, p.location) for p in found] == [("inventaris.xlsx", "rij 7, kolom 'bestandstype'")], found


def test_bestand_column_with_a_bare_file_name_finds_it_in_a_subfolder(tmp_path):
    rows = [r + [f] for r, f in zip(VWS_ROWS, ["", "10002 Bijlage planning.pdf", "", "", "", "", ""])]
    decision, found = load_package(make_vws_package(tmp_path, rows=rows, header=VWS_HEADER + ["Bestand"]))
    assert errors(found) == [], [p.format() for p in found]
    assert decision.inventory[1].file.relpath == "documenten/10002 Bijlage planning.pdf"


def test_case_number_is_searchable(vws_site):
    from publish.search import compact, shard_names

    meta = json.loads((vws_site / "zoeken/index/meta.json").read_text())
    term = compact(MATTER)
    (sid,) = meta["id"]  # the decision's stable id, in the only bucket with shards (publish.search.layout)
    (name,) = shard_names(meta, term)
    df, postings = json.loads((vws_site / "zoeken/index" / name).read_text())["b"][term]
    assert df == 1 and postings["kenmerk"][0] == sid


def test_unknown_related_numbers_and_bad_opgeschort_values(tmp_path):
    rows = [list(r) for r in VWS_ROWS]
    rows[1][12] = "99999; 10004"
    rows[2][12] = "88888"
    decision, found = load_package(make_vws_package(tmp_path, rows=rows))
    assert errors(found) == []
    [warning] = [p for p in found if p.code == "inventaris.gerelateerd_onbekend"]
    assert warning.location == "rij 5-6, kolom 'Gerelateerd ID'" and "99999, 88888" in warning.message
    assert decision.inventory[1].related == ["99999", "10004"]
    rows[3][8] = "Misschien"
    _, found = load_package(make_vws_package(tmp_path, name="twijfel", rows=rows))
    [p] = errors(found)
    assert p.code == "inventaris.opgeschort" and p.location == "rij 7, kolom 'Opgeschort'"
