"""What a new staff user tripped over: check reports everything in one run, Dutch command-line texts,
consistent errors and exit statuses, correct Dutch counts and numbers, a new site that points at guides
that exist."""

from __future__ import annotations

import pytest

from support import ROWS, write_pdf

LEAK = ["# Document 2", "Bel Piet op 06-12345678 voor de planning."]


def _yaml_broken(pkg) -> None:
    text = (pkg / "besluit.md").read_text(encoding="utf-8")
    (pkg / "besluit.md").write_text(text.replace("titel: Verzoek over vergaderstukken", "titel: Speeltuinen: onderhoud"))


def test_check_with_a_yaml_error_still_checks_inventory_files_and_pdfs(cli, make_package, decisions):
    rows = [ROWS[0], ["2", "E-mail over planning", "2024-01-12", "nee", "5.1.2.e", "documenten/2.pdf"], ROWS[2]]
    pkg = make_package(rows=rows, pdf_text={"documenten/2.pdf": LEAK})
    _yaml_broken(pkg)
    result = cli("check", str(decisions))
    out = result.stdout
    assert result.returncode == 1, out
    assert "BLIJFT WEG  pakket: wordt niet gepubliceerd" in out
    assert "FOUT pakket/besluit.md, regel 3: de kop (YAML) kan niet gelezen worden: er staat een dubbele punt" in out
    # The inventory and the PDFs were still checked, in the same run.
    assert "FOUT pakket/inventaris.csv, rij 3, kolom 'beoordeling': 'nee' is geen geldige beoordeling." in out
    assert "FOUT pakket/documenten/2.pdf, pagina 1" in out and "06-*******8" in out
    # And it says what could not be checked, and why.
    assert "WAARSCHUWING pakket/besluit.md, kop: omdat besluit.md ontbreekt of de kop niet gelezen kan worden" in out
    assert "de velden van de kop" in out and "welke bestanden niet bij het pakket horen" in out
    assert "Wel gecontroleerd: de inventaris ('inventaris.csv') en de pdf's in het pakket" in out


def test_check_reports_personal_data_in_pdfs_while_the_inventory_has_errors(cli, make_package, decisions):
    rows = [ROWS[0], ["2", "E-mail over planning", "2024-01-12", "deels openbaar", "99.9", "documenten/2.pdf"], ROWS[2]]
    make_package(rows=rows, pdf_text={"documenten/2.pdf": LEAK}, meta={"titel": "Verzoek van 06-87654321"})
    out = cli("check", str(decisions)).stdout
    assert "FOUT pakket/inventaris.csv, rij 3, kolom 'gronden': '99.9' is geen weigeringsgrond van de Woo." in out
    assert "FOUT pakket/documenten/2.pdf, pagina 1" in out and "06-*******8" in out
    assert "FOUT pakket/besluit.md, veld 'titel': de tekst bevat een telefoonnummer: 06-*******1." in out
    assert "controle.niet_uitgevoerd" not in out and "konden deze controles niet" not in out


def test_yaml_error_with_two_spreadsheets_names_both_and_still_reads_the_pdfs(cli, make_package, decisions):
    pkg = make_package(pdf_text={"documenten/2.pdf": LEAK})
    (pkg / "oud.csv").write_text("nr,document\n1,x\n", encoding="utf-8")
    _yaml_broken(pkg)
    out = cli("check", str(decisions)).stdout
    assert "het pakket heeft 2 rekenbestanden: 'inventaris.csv', 'oud.csv'; welke de inventaris is, staat in de kop" in out
    assert "FOUT pakket/documenten/2.pdf, pagina 1" in out
    assert "Wel gecontroleerd: de pdf's in het pakket" in out


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe niet utf-8", b"---\n\t titel: tab\n---\n", b"", b"---\nkenmerk: [" + b"[" * 5000 + b"\n---\n"],
    ids=["geen-utf8", "tab", "leeg", "diep"],
)
def test_unreadable_front_matter_never_crashes_and_other_packages_are_checked(cli, make_package, decisions, content):
    bad = make_package("kapot", meta={"kenmerk": "A-1"}, pdf_text={"documenten/2.pdf": LEAK})
    (bad / "besluit.md").write_bytes(content)
    (bad / "documenten" / "kapot.pdf").write_bytes(b"%PDF-1.4\n niet echt")
    (bad / "documenten" / "\x01stuur.pdf").write_bytes(b"")
    make_package("goed", meta={"kenmerk": "A-2"})
    result = cli("check", str(decisions))
    out = result.stdout
    assert result.returncode == 1 and "Traceback" not in out + result.stderr
    assert "FOUT kapot/besluit.md" in out
    assert "FOUT kapot/documenten/2.pdf, pagina 1" in out
    assert "FOUT kapot/documenten/kapot.pdf" in out
    assert "goed (A-2): wordt niet gepubliceerd: niet goedgekeurd." in out


def test_missing_besluit_md_still_checks_the_pdfs(cli, make_package, decisions):
    pkg = make_package(pdf_text={"documenten/2.pdf": LEAK})
    (pkg / "besluit.md").unlink()
    write_pdf(pkg / "extra.pdf", ["# Extra", "Mail j.devries@auditbureau.nl"])
    out = cli("check", str(decisions)).stdout
    assert "FOUT pakket/besluit.md: het pakket heeft geen besluit.md." in out
    assert "FOUT pakket/documenten/2.pdf, pagina 1" in out and "FOUT pakket/extra.pdf, pagina 1" in out
