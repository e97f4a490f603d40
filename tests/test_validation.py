"""Every rule of the package contract, each with a package that breaks it.

Each test asserts the problem names the file and the field or row, so staff can find it.
"""

from __future__ import annotations

import os

import pytest
from openpyxl import Workbook

from publish.cache import Cache
from publish.evaluate import evaluate
from publish.package import load_package
from publish.pdfs import PdfInspector

from support import HEADER, ROWS


def problems(pkg):
    decision, found = load_package(pkg)
    return decision, [p for p in found if p.is_error]


def only(found, code):
    hits = [p for p in found if p.code == code]
    assert hits, f"verwacht {code}, kreeg {[(p.code, p.message) for p in found]}"
    return hits[0]


def test_valid_package_loads_into_typed_model(make_package):
    decision, found = problems(make_package())
    assert found == []
    assert decision.kenmerk == "2024-0001"
    assert decision.decision_date.isoformat() == "2024-05-01"
    assert [r.assessment for r in decision.inventory] == ["openbaar", "deels openbaar", "niet openbaar"]
    assert [g.id for g in decision.inventory[1].grounds] == ["5.1.2.e"]
    assert decision.inventory[2].file is None


@pytest.mark.parametrize("delimiter,bom", [(",", False), (";", False), (";", True), (",", True), ("\t", False)])
def test_csv_variants(make_package, delimiter, bom):
    decision, found = problems(make_package(delimiter=delimiter, bom=bom))
    assert found == [] and len(decision.inventory) == 3


def test_header_variants_of_the_spec(make_package):
    header = ["Nr.", "Documentnaam", "Documentdatum", "Oordeel", "Weigeringsgrond(en)", "Bestandsnaam"]
    decision, found = problems(make_package(header=header))
    assert found == [] and decision.inventory[1].title == "E-mail over planning"
    header = ["Document ID", "Omschrijving", "Datum", "Besluit", "Woo", "File"]
    decision, found = problems(make_package(name="b", header=header))
    assert found == [] and decision.inventory[0].nr == "1"


def test_assessment_forms_and_written_grounds(make_package):
    rows = [
        ["1", "A", "", "Openbaarmaking", "", "documenten/1.pdf"],
        ["2", "B", "14 december 2017", "Gedeeltelijke openbaarmaking", "5.1.2e en 5.1.2 sub i", "documenten/2.pdf"],
        ["3", "C", "15-01-2024", "Geen openbaarmaking", "art. 5.1, tweede lid, onder e", ""],
        ["4", "D", "", "Gedeeltelijk openbaar", "5.2.1", "documenten/4.pdf"],
    ]
    decision, found = problems(make_package(rows=rows))
    assert found == []
    assert [r.assessment for r in decision.inventory] == ["openbaar", "deels openbaar", "niet openbaar", "deels openbaar"]
    assert [g.id for g in decision.inventory[1].grounds] == ["5.1.2.e", "5.1.2.i"]
    assert decision.inventory[1].date.isoformat() == "2017-12-14"


def test_xlsx_inventory_first_sheet(make_package, decisions):
    pkg = make_package(meta={"inventaris": "inventaris.xlsx"})
    wb = Workbook()
    ws = wb.active
    ws.append(["Nr.", "Document", "Datum", "Beoordeling", "Weigeringsgronden", "Bestand"])
    import datetime as dt

    ws.append([1, "Verslag overleg", dt.datetime(2024, 1, 10), "Openbaar", None, "documenten/1.pdf"])
    ws.append([2.0, "E-mail", None, "Deels openbaar", "5.1.2.e", "documenten/2.pdf"])
    ws.append([3, "Notitie", None, "Niet openbaar", "5.2.1", None])
    wb.create_sheet("Tweede blad").append(["genegeerd"])
    wb.save(pkg / "inventaris.xlsx")
    from support import write_pdf

    for n in (1, 2):
        write_pdf(pkg / f"documenten/{n}.pdf", [f"Document {n}"])
    decision, found = problems(pkg)
    assert found == []
    assert [r.nr for r in decision.inventory] == ["1", "2", "3"]
    assert decision.inventory[0].date.isoformat() == "2024-01-10"


def test_dates_as_yaml_dates_and_numbers_as_strings(make_package, decisions):
    pkg = make_package()
    text = (pkg / "besluit.md").read_text()
    text = text.replace("kenmerk: 2024-0001", "kenmerk: 20240001").replace(
        "besluit_datum: '2024-05-01'", "besluit_datum: 2024-05-01"
    )
    (pkg / "besluit.md").write_text(text)
    decision, found = problems(pkg)
    assert found == [] and decision.kenmerk == "20240001"
    assert decision.decision_date.isoformat() == "2024-05-01"


def test_niets_aangetroffen_needs_no_inventory(make_package):
    decision, found = problems(make_package(meta={"besluit": "niets aangetroffen"}, drop=("inventaris",), rows=[]))
    assert found == [] and decision.inventory == []


@pytest.mark.parametrize(
    "field",
    ["kenmerk", "titel", "organisatie", "wet", "besluit", "besluit_datum", "publicatie_datum", "besluitbrief", "inventaris"],
)
def test_missing_required_field(make_package, field):
    _, found = problems(make_package(drop=(field,)))
    p = [p for p in found if p.location == f"veld '{field}'"]
    assert p, found
    assert p[0].file == "besluit.md" and p[0].fix


def test_unknown_field_is_an_error_with_suggestion(make_package):
    _, found = problems(make_package(extra_meta={"publicatiedatum": "2024-05-08"}))
    p = only(found, "veld.onbekend")
    assert p.location == "veld 'publicatiedatum'" and "publicatie_datum" in p.fix


@pytest.mark.parametrize(
    "meta,code,field",
    [
        ({"wet": "Wet open overheid"}, "veld.wet", "wet"),
        ({"besluit": "grotendeels openbaar"}, "veld.besluit", "besluit"),
        ({"besluit_datum": "29-04-2024"}, "veld.datum", "besluit_datum"),
        ({"publicatie_datum": "morgen"}, "veld.datum", "publicatie_datum"),
        ({"besluit_datum": "2021-05-01", "publicatie_datum": "2021-05-08"}, "veld.wet_datum", "wet"),
        ({"verzoek_ontvangen": "2024-06-01"}, "veld.datum_volgorde", "verzoek_ontvangen"),
        ({"publicatie_datum": "2024-04-01"}, "veld.datum_volgorde", "publicatie_datum"),
        ({"periode": {"van": "2024-02-01", "tot": "2024-01-01"}}, "veld.datum_volgorde", "periode"),
        ({"periode": "2023"}, "veld.periode", "periode"),
        ({"onderwerpen": {"a": 1}}, "veld.type", "onderwerpen"),
        ({"titel": ["a", "b"]}, "veld.type", "titel"),
        ({"type": "kamerbrief"}, "veld.type_onbekend", "type"),
        ({"kenmerk": "2024<script>"}, "veld.kenmerk", "kenmerk"),
    ],
)
def test_invalid_field_values(make_package, meta, code, field):
    _, found = problems(make_package(meta=meta))
    p = only(found, code)
    assert p.file == "besluit.md" and p.location == f"veld '{field}'"


def test_yaml_syntax_error_names_the_line(make_package):
    pkg = make_package()
    (pkg / "besluit.md").write_text("---\nkenmerk: 1\ntitel: [niet gesloten\n---\nTekst\n")
    _, found = problems(pkg)
    p = only(found, "besluit.yaml")
    assert p.file == "besluit.md" and "regel" in p.location


@pytest.mark.parametrize(
    "line,words",
    [
        ("titel: Speeltuinen: renovatie en onderhoud", "dubbele punt (:) in een waarde"),
        ("titel:\tSpeeltuinen", "vaak een tab"),
        ('titel: "Speeltuinen', "een aanhalingsteken wordt op deze regel geopend maar nergens gesloten"),
        ("titel: [Speeltuinen, renovatie", "in de lijst tussen [ ] of { } die op deze regel begint"),
        ("bijlagen:\n  - titel: a\n   bestand: b.pdf", "deze regel springt anders in dan de regels erboven"),
        ("kenmerk: '2024-2'", "het veld 'kenmerk' staat twee keer in de kop"),
    ],
)
def test_yaml_errors_name_the_right_line_in_dutch(make_package, line, words):
    pkg = make_package()
    (pkg / "besluit.md").write_text("---\nkenmerk: '2024-1'\n" + line + "\norganisatie: X\n---\nTekst\n")
    _, found = problems(pkg)
    p = only(found, "besluit.yaml")
    # the line as an editor numbers it: where the quote or list was opened, the second of two equal fields
    assert p.location == ("regel 5" if "springt" in words else "regel 3"), p.location
    assert words in p.message, p.message
    assert not [w for w in ("mapping", "token", "expected", "found", "stream", "technische") if w in p.message], p.message


def test_missing_besluit_md(make_package):
    pkg = make_package()
    (pkg / "besluit.md").unlink()
    _, found = problems(pkg)
    assert only(found, "besluit.ontbreekt").file == "besluit.md"


@pytest.mark.parametrize("reference", ["../buiten.pdf", "/etc/passwd.pdf", "sub/../../buiten.pdf"])
def test_paths_cannot_leave_the_package(make_package, reference, decisions):
    from support import write_pdf

    write_pdf(decisions / "buiten.pdf", ["buiten"])
    _, found = problems(make_package(meta={"besluitbrief": reference}))
    p = only(found, "bestand.buiten_pakket")
    assert p.location == "veld 'besluitbrief'"


def test_symlink_out_of_the_package_is_refused(make_package, decisions, tmp_path):
    from support import write_pdf

    secret = write_pdf(tmp_path / "geheim.pdf", ["geheim"])
    pkg = make_package()
    (pkg / "besluit.pdf").unlink()
    os.symlink(secret, pkg / "besluit.pdf")
    _, found = problems(pkg)
    assert any(p.code == "bestand.buiten_pakket" and p.location == "veld 'besluitbrief'" for p in found)


def test_missing_file_suggests_the_right_one(make_package):
    pkg = make_package()
    meta = (pkg / "besluit.md").read_text().replace("besluitbrief: besluit.pdf", "besluitbrief: Besluit.pdf")
    (pkg / "besluit.md").write_text(meta)
    _, found = problems(pkg)
    p = only(found, "bestand.ontbreekt")
    assert "'besluit.pdf'" in p.fix


def test_letter_must_be_pdf(make_package):
    pkg = make_package(meta={"besluitbrief": "besluit.docx"})
    (pkg / "besluit.docx").write_bytes(b"PK")
    _, found = problems(pkg)
    assert only(found, "bestand.type").location == "veld 'besluitbrief'"


def test_annex_needs_title_and_file(make_package):
    _, found = problems(make_package(extra_meta={"bijlagen": [{"bestand": "bijlage.pdf"}, {"titel": "B", "pad": "x"}]}))
    locations = {p.location for p in found}
    assert "veld 'bijlagen', bijlage 1, 'titel'" in locations
    assert "veld 'bijlagen', bijlage 2, 'pad'" in locations


def test_stray_file_is_refused(make_package):
    pkg = make_package()
    (pkg / "concept-met-namen.docx").write_text("x")
    _, found = problems(pkg)
    assert only(found, "bestand.los").file == "concept-met-namen.docx"


def test_inventory_missing_column(make_package):
    header = ["nr", "document", "gronden", "bestand"]
    rows = [["1", "A", "", "documenten/1.pdf"]]
    _, found = problems(make_package(header=header, rows=rows))
    p = only(found, "inventaris.kolom_ontbreekt")
    assert p.file == "inventaris.csv" and "beoordeling" in p.message


def test_inventory_duplicate_and_missing_numbers(make_package):
    rows = [
        ROWS[0],
        ["1", "Dubbel", "", "niet openbaar", "5.1.2.e", ""],
        ["", "Zonder nummer", "", "niet openbaar", "5.1.2.e", ""],
    ]
    _, found = problems(make_package(rows=rows))
    assert only(found, "inventaris.nr_dubbel").location == "rij 3, kolom 'nr'"
    assert only(found, "inventaris.nr_ontbreekt").location == "rij 4, kolom 'nr'"


@pytest.mark.parametrize(
    "row,code,column",
    [
        (["2", "B", "", "misschien", "", ""], "inventaris.beoordeling", "beoordeling"),
        (["2", "B", "", "deels openbaar", "", "documenten/2.pdf"], "inventaris.grond_ontbreekt", "gronden"),
        (["2", "B", "", "niet openbaar", "", ""], "inventaris.grond_ontbreekt", "gronden"),
        (["2", "B", "", "deels openbaar", "10.2.e", "documenten/2.pdf"], "inventaris.grond_onbekend", "gronden"),
        (["2", "B", "", "deels openbaar", "5.1.2.z", "documenten/2.pdf"], "inventaris.grond_onbekend", "gronden"),
        (["2", "B", "", "deels openbaar", "privacy", "documenten/2.pdf"], "inventaris.grond_onleesbaar", "gronden"),
        (["2", "B", "", "deels openbaar", "5.1.2.e", ""], "inventaris.bestand_ontbreekt", "bestand"),
        (["2", "B", "", "niet openbaar", "5.1.2.e", "documenten/2.pdf"], "inventaris.bestand_verboden", "bestand"),
        (["2", "B", "", "openbaar", "", "documenten/bestaat-niet.pdf"], "bestand.ontbreekt", "bestand"),
        (["2", "B", "31-02-2024", "niet openbaar", "5.1.2.e", ""], "inventaris.datum", "datum"),
        (["2", "", "", "niet openbaar", "5.1.2.e", ""], "inventaris.titel_ontbreekt", "document"),
    ],
)
def test_inventory_row_rules(make_package, row, code, column):
    header = HEADER
    rows = [ROWS[0], row]
    pkg = make_package(rows=rows, header=header)
    if code == "bestand.ontbreekt":
        pass
    _, found = problems(pkg)
    p = only(found, code)
    assert p.file == "inventaris.csv" and p.location == f"rij 3, kolom '{column}'", p


def test_wob_ground_in_woo_decision_explains_the_law(make_package):
    _, found = problems(make_package(rows=[ROWS[0], ["2", "B", "", "deels openbaar", "10.2.e", "documenten/2.pdf"]]))
    p = only(found, "inventaris.grond_onbekend")
    assert "Wob" in p.message and "wet" in p.fix


def test_link_must_be_a_web_address(make_package):
    header = HEADER + ["link"]
    rows = [r + [""] for r in ROWS] + [["4", "Al gepubliceerd", "", "reeds openbaar", "", "", "javascript:alert(1)"]]
    _, found = problems(make_package(header=header, rows=rows))
    assert only(found, "inventaris.link").location == "rij 5, kolom 'link'"


def test_outcome_must_agree_with_rows(make_package):
    _, found = problems(make_package(meta={"besluit": "openbaar"}))
    p = only(found, "besluit.tegenstrijdig")
    assert p.file == "besluit.md" and p.location == "veld 'besluit'" and "deels openbaar" in p.message
    rows = [["1", "A", "", "niet openbaar", "5.1.2.e", ""]]
    _, found = problems(make_package(name="b", rows=rows, meta={"besluit": "niet openbaar"}))
    assert found == []
    _, found = problems(make_package(name="c", meta={"besluit": "niets aangetroffen"}))
    assert only(found, "besluit.tegenstrijdig")


def test_empty_inventory_is_refused(make_package):
    _, found = problems(make_package(rows=[]))
    assert only(found, "inventaris.geen_rijen").file == "inventaris.csv"


def test_non_utf8_csv(make_package):
    """Bytes that are neither UTF-8 nor Windows-1252 (0x81 is undefined there) are refused."""
    pkg = make_package()
    (pkg / "inventaris.csv").write_bytes(b"nr,document,beoordeling\n1,Caf\x81,openbaar\n")
    _, found = problems(pkg)
    assert only(found, "inventaris.codering").file == "inventaris.csv"


def test_all_problems_at_once(make_package):
    rows = [["1", "A", "", "misschien", "", ""], ["1", "B", "", "deels openbaar", "", "bestaat-niet.pdf"]]
    _, found = problems(make_package(rows=rows, extra_meta={"foo": 1}, meta={"wet": "X"}))
    codes = {p.code for p in found}
    assert {"veld.onbekend", "veld.wet", "inventaris.beoordeling", "inventaris.nr_dubbel", "bestand.ontbreekt"} <= codes


def _evaluate(*pkgs, tmp_path):
    return evaluate(list(pkgs), PdfInspector(Cache(tmp_path / "cache"), workers=1))


def test_duplicate_kenmerk_across_packages_refuses_both(make_package, tmp_path):
    a, b = make_package("a"), make_package("b")
    results = _evaluate(a, b, tmp_path=tmp_path)
    for r in results:
        p = only(r.problems, "kenmerk.dubbel")
        assert p.location == "veld 'kenmerk'" and ({"a", "b"} - {r.name}).pop() in p.message


def test_encrypted_and_broken_pdfs_are_refused(make_package, tmp_path):
    from pypdf import PdfReader, PdfWriter

    pkg = make_package()
    writer = PdfWriter(clone_from=PdfReader(pkg / "documenten/1.pdf"))
    writer.encrypt("geheim")
    writer.write(pkg / "documenten/1.pdf")
    (pkg / "documenten/2.pdf").write_bytes(b"%PDF-1.4\nkapot")
    (result,) = _evaluate(pkg, tmp_path=tmp_path)
    assert only(result.problems, "pdf.versleuteld").file == "documenten/1.pdf"
    assert only(result.problems, "pdf.onleesbaar").file == "documenten/2.pdf"


def test_pdf_inspection_is_cached_by_content(make_package, tmp_path):
    pkg = make_package()
    inspector = PdfInspector(Cache(tmp_path / "cache"), workers=1)
    evaluate([pkg], inspector)
    assert inspector.parsed == 3
    second = PdfInspector(Cache(tmp_path / "cache"), workers=1)
    (result,) = evaluate([pkg], second)
    assert second.parsed == 0
    texts = [r.texts for r in result.pdfs.values()]
    assert any("besluitbrief" in t[0] for t in texts)


def test_missing_document_file_is_never_pointed_at_another_documents_file(make_package):
    """Following the hint must not publish document 1's file as document 2."""
    pkg = make_package()
    (pkg / "documenten/2.pdf").unlink()
    _, problems = load_package(pkg)
    missing = [p for p in problems if "documenten/2.pdf" in p.message]
    assert missing and all("documenten/1.pdf" not in p.fix for p in missing), [p.fix for p in missing]
