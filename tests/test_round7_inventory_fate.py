"""Attack round 7, rows 2-4: a suspension column under another name, two rows with one document address, and a
withdrawn publication that comes back under a new kenmerk.

Every test builds a real site with the real ``woo-publish`` command from packages with real PDFs (reportlab) and
real spreadsheets (openpyxl), and asserts on what the site holds: pages, open data, search index, ZIP, PDFs.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from support import ROWS, all_text, approve, build_args, run_cli, write_pdf

pytestmark = pytest.mark.slow  # each test builds a site


def _build(decisions: Path, out: Path):
    return run_cli(*build_args(decisions, out, "--uitgebreid"))


def _site_bytes(site: Path) -> list[bytes]:
    """Every file of the site, and every entry of every ZIP in it."""
    found = []
    for p in sorted(site.rglob("*")):
        if not p.is_file():
            continue
        found.append(p.read_bytes())
        if p.suffix == ".zip":
            with zipfile.ZipFile(p) as z:
                found += [z.read(n) for n in z.namelist()]
    return found


def _nowhere(site: Path, secret: str, pdf: Path) -> None:
    """The withheld document is nowhere on the site: not its text (pages, open data, search), not its bytes."""
    assert secret not in all_text(site)
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert all(hashlib.sha256(b).hexdigest() != sha for b in _site_bytes(site))


def _rows(secret_row: int, secret: str, marker: str = "Nee", marked: str = "Ja") -> tuple[list[list], dict]:
    rows = [list(r) + [marked if i == secret_row else marker] for i, r in enumerate(ROWS)]
    return rows, {"documenten/2.pdf": ["# Document 2", f"Alleen in het opgeschorte document: {secret}."]}


# -- row 2: the suspension column by another name; restriction-sounding unknown columns refuse the package ------------


SUSPENSION_HEADERS = ["Opgeschort (ja/nee)", "Publicatie opgeschort", "Opschorting", "06 Opgeschort"]
RESTRICTIONS = {
    "weigering": "Reden weigering",
    "embargo": "Embargo tot",
    "niet": "Niet opgeschort",
    "vertrouwelijk": "Vertrouwelijk",
    "lakken": "Lakken",
    "lang": "x" * 3000 + " Intrekking",
}


def test_suspension_column_by_another_name_withholds_and_restriction_columns_refuse(make_package, decisions, tmp_path):
    header = ["nr", "document", "datum", "beoordeling", "gronden", "bestand"]
    suspended = {}
    for i, name in enumerate(SUSPENSION_HEADERS):
        secret = f"OPGESCHORTGEHEIM{i}"
        rows, pdfs = _rows(1, secret)
        pkg = make_package(f"opgeschort-{i}", meta={"kenmerk": f"2024-010{i}"}, header=header + [name], rows=rows, pdf_text=pdfs)
        approve(pkg)
        suspended[pkg.name] = (f"2024-010{i}", secret, pkg / "documenten/2.pdf")
    # The same in a workbook.
    rows, pdfs = _rows(1, "OPGESCHORTGEHEIMXLSX")
    pkg = make_package(
        "opgeschort-xlsx", meta={"kenmerk": "2024-0109", "inventaris": "inventaris.xlsx"}, rows=rows, pdf_text=pdfs
    )
    wb = openpyxl.Workbook()
    wb.active.append(header + ["Publicatie opgeschort"])
    for r in rows:
        wb.active.append(r)
    wb.save(pkg / "inventaris.xlsx")
    approve(pkg)
    suspended[pkg.name] = ("2024-0109", "OPGESCHORTGEHEIMXLSX", pkg / "documenten/2.pdf")

    refused = {}
    for i, (key, name) in enumerate(RESTRICTIONS.items()):
        secret = f"BEPERKTGEHEIM{i}"
        rows, pdfs = _rows(1, secret, marker="", marked="Ja")
        pkg = make_package(f"beperking-{key}", meta={"kenmerk": f"2024-020{i}"}, header=header + [name], rows=rows, pdf_text=pdfs)
        approve(pkg)
        refused[pkg.name] = (f"2024-020{i}", secret, pkg / "documenten/2.pdf")
    rows, pdfs = _rows(1, "DUBBELGEHEIM")
    rows = [r + [r[-1]] for r in rows]
    pkg = make_package(
        "twee-opschortkolommen",
        meta={"kenmerk": "2024-0300"},
        header=header + ["Opgeschort", "Opschorting"],
        rows=rows,
        pdf_text=pdfs,
    )
    approve(pkg)
    refused[pkg.name] = ("2024-0300", "DUBBELGEHEIM", pkg / "documenten/2.pdf")
    # A harmless unknown column: published, with a warning that does not reassure.
    pkg = make_package(
        "onbekend", meta={"kenmerk": "2024-0400"}, header=header + ["Locatie open.minvws.nl"], rows=[r + ["x"] for r in ROWS]
    )
    approve(pkg)

    out = tmp_path / "site"
    result = _build(decisions, out)
    assert result.returncode == 1, result.stdout + result.stderr  # refused packages make the build report failure
    for name, (kenmerk, secret, pdf) in suspended.items():
        assert f"GEPUBLICEERD {name} ({kenmerk})" in result.stdout
        folder = out / "besluit" / kenmerk
        assert (folder / "document-1.pdf").is_file() and not (folder / "document-2.pdf").exists()
        assert "Publicatie opgeschort" in (folder / "index.html").read_text()
        with zipfile.ZipFile(folder / "documenten.zip") as z:
            assert not [n for n in z.namelist() if "document-2" in n or n.endswith("2.pdf")]
        _nowhere(out, secret, pdf)
    for name, (kenmerk, secret, pdf) in refused.items():
        assert f"GEWEIGERD    {name}:" in result.stdout
        assert not (out / "besluit" / kenmerk).exists()
        _nowhere(out, secret, pdf)
    lines = result.stdout
    assert (
        "beperking-weigering/inventaris.csv, regel 1 (kopregel), kolom 'Reden weigering': de kolom 'Reden weigering' klinkt "
        "alsof hij beperkt wat er gepubliceerd mag worden ('weiger'), maar de site kent deze kolom niet" in lines
    )
    assert "Zet een opgeschorte publicatie in een kolom met de naam 'Opgeschort' (Ja of Nee per document)" in lines
    assert "kolom 'Niet opgeschort': de kolom 'Niet opgeschort' klinkt alsof" in lines
    assert "kolom 'Embargo tot'" in lines and "kolom 'Vertrouwelijk'" in lines and "kolom 'Lakken'" in lines
    assert "x" * 200 not in lines  # the hostile 3000-character header is shortened in the message
    assert "twee kolommen gaan over opschorting: 'Opgeschort' en 'Opschorting'" in lines
    assert "GEPUBLICEERD onbekend (2024-0400)" in lines
    assert "deze kolom is onbekend: de site leest hem niet en publiceert hem niet: 'Locatie open.minvws.nl'" in lines
    assert "Dat is goed" not in lines


def test_restriction_column_is_refused_by_check_and_approve(make_package, decisions):
    rows, pdfs = _rows(1, "X", marker="", marked="Ja")
    pkg = make_package(
        header=["ID", "Document", "Datum", "Beoordeling", "Beoordelingsgrond", "Bestand", "Publicatie weigeren"],
        rows=rows,
        pdf_text=pdfs,
    )
    config = str(Path(__file__).resolve().parents[1] / "mkdocs.yml")
    checked = run_cli("check", str(decisions), "--config", config)
    assert checked.returncode == 1
    assert "kolom 'Publicatie weigeren': de kolom 'Publicatie weigeren' klinkt alsof" in checked.stdout
    from support import DEMO_KEY

    approved = run_cli("approve", str(pkg), "--sleutel", str(DEMO_KEY), "--config", config)
    assert approved.returncode == 1 and "Niet goedgekeurd" in approved.stdout
    assert not (pkg / "goedkeuring.json").exists()


# -- row 4: two inventory rows, one document address ---------------------------------------------------------------


def test_document_addresses_are_unique_by_construction():
    from publish import urls

    assert urls.document_anchors([("b-rij-4", 2), ("B", 3), ("b", 4)]) == ["b-rij-4", "b", "b-rij-4-2"]
    assert urls.document_anchors([("b", 2), ("B", 3), ("b-rij-3", 4), ("b.", 5)]) == ["b", "b-rij-3", "b-rij-3-rij-4", "b-rij-5"]
    assert urls.document_anchors([("1", 2), ("2", 3), ("10-2", 4)]) == ["1", "2", "10-2"]  # normal inventories: the number
    many = urls.document_anchors([("x", 2)] + [("X", 3)] * 50 + [("x-rij-3", 9)])
    assert len(set(many)) == len(many)


def test_two_numbers_with_one_address_refuse_the_package_and_others_are_published(make_package, decisions, tmp_path):
    header = ["nr", "document", "datum", "beoordeling", "gronden", "bestand"]
    clash = [
        ["b-rij-4", "E-mail melding", "2024-01-10", "openbaar", "", "documenten/1.pdf"],
        ["B", "Datalekregister", "2024-01-12", "deels openbaar", "5.1.2.e", "documenten/2.pdf"],
        ["b", "Mailwisseling ADRESGEHEIM", "2024-01-15", "niet openbaar", "5.1.2.e", ""],
    ]
    bad = make_package("botsing", meta={"kenmerk": "2024-0501"}, header=header, rows=clash)
    approve(bad)
    variants = {
        "punt": (["10.2", "10-2"], "nummer '10-2' (rij 3) en nummer '10.2' (rij 2)"),
        "accent": (["É1", "e1"], "nummer 'e1' (rij 3) en nummer 'É1' (rij 2)"),
        "stuurteken": (["7", "7\u202e"], "(rij 3) en nummer '7' (rij 2)"),
    }
    for i, (name, (numbers, _)) in enumerate(variants.items()):
        rows = [
            [n, f"Document {n} ADRESGEHEIM", "2024-01-10", "openbaar", "", f"documenten/{j}.pdf"] for j, n in enumerate(numbers)
        ]
        approve(make_package(name, meta={"kenmerk": f"2024-060{i}"}, header=header, rows=rows))
    good = make_package("goed", meta={"kenmerk": "2024-0502"})
    approve(good)
    config = str(Path(__file__).resolve().parents[1] / "mkdocs.yml")
    checked = run_cli("check", str(decisions), "--config", config, "--vandaag", "2024-06-01")
    expected = (
        "botsing/inventaris.csv, rij 4, kolom 'nr': nummer 'b' (rij 4) en nummer 'B' (rij 3) geven op de site hetzelfde "
        "adres (document-b.pdf): hoofdletters, leestekens, spaties en accenten tellen in het adres niet mee."
    )
    assert checked.returncode == 1 and expected in checked.stdout
    from support import DEMO_KEY

    approved = run_cli("approve", str(bad), "--sleutel", str(DEMO_KEY), "--config", config)
    assert approved.returncode == 1 and expected in approved.stdout
    out = tmp_path / "site"
    result = _build(decisions, out)
    assert result.returncode == 1 and "onverwachte fout" not in result.stdout + result.stderr
    assert "GEWEIGERD    botsing:" in result.stdout and expected in result.stdout
    for name, (_, message) in variants.items():
        assert f"GEWEIGERD    {name}:" in result.stdout and message in result.stdout
    assert "GEPUBLICEERD goed (2024-0502)" in result.stdout
    assert (out / "besluit/2024-0502/document-1.pdf").is_file() and (out / "besluit/2024-0502/document/1/index.html").is_file()
    assert not (out / "besluit/2024-0501").exists() and "ADRESGEHEIM" not in all_text(out)


# -- row 3: a publication withdrawn as a whole does not come back under another kenmerk ------------------------------


def _withdraw(pkg: Path, reason: str, document: str | None = None) -> None:
    """``woo-publish withdraw`` of the whole publication, or of one ``document``, dated 2024-06-01."""
    from support import DEMO_KEY

    config = str(Path(__file__).resolve().parents[1] / "mkdocs.yml")
    which = ["--document", document] if document else []
    done = run_cli(
        "withdraw", str(pkg), *which, "--reden", reason, "--datum", "2024-06-01", "--sleutel", str(DEMO_KEY), "--config", config
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _withdrawn_and_other(make_package, decisions: Path, out: Path) -> tuple[Path, Path]:
    """'ingetrokken' (2024-0001: letter, a standard annex, two documents) and 'ander' (2024-0003, the same annex byte
    for byte), both published; then 'ingetrokken' is withdrawn as a whole (not built yet)."""
    import shutil

    texts = {
        "documenten/1.pdf": ["# Verslag", "Verslag met INGETROKKENGEHEIM1."],
        "documenten/2.pdf": ["# E-mail", "E-mail met INGETROKKENGEHEIM2."],
    }
    annex = {"bijlagen": [{"titel": "Bijlage 1 - Artikelen uit de Woo", "bestand": "bijlagen/woo.pdf"}]}
    withdrawn = make_package("ingetrokken", extra_meta=annex, pdf_text=texts)
    write_pdf(withdrawn / "besluit.pdf", ["# Besluit", "De besluitbrief met INGETROKKENGEHEIMBRIEF."])
    write_pdf(withdrawn / "bijlagen/woo.pdf", ["# Artikelen", "Artikel 5.1 van de Woo, in elk besluit dezelfde bijlage."])
    other = make_package("ander", meta={"kenmerk": "2024-0003"}, extra_meta=annex)
    write_pdf(other / "besluit.pdf", ["# Besluit", "Een andere besluitbrief."])
    (other / "bijlagen").mkdir()
    shutil.copyfile(withdrawn / "bijlagen/woo.pdf", other / "bijlagen/woo.pdf")  # the same standard annex, byte for byte
    approve(withdrawn)
    approve(other)
    assert _build(decisions, out).returncode == 0
    _withdraw(withdrawn, "Bevatte namen van ambtenaren")
    return withdrawn, other


def _copy_under_new_kenmerk(withdrawn: Path, decisions: Path) -> Path:
    import shutil

    again = decisions / "opnieuw"
    shutil.copytree(withdrawn, again)
    (again / "wijzigingen.json").unlink()
    (again / "goedkeuring.json").unlink()
    text = (again / "besluit.md").read_text()
    (again / "besluit.md").write_text(
        text.replace("kenmerk: '2024-0001'", "kenmerk: '2024-0002'").replace("kenmerk: 2024-0001", "kenmerk: 2024-0002")
    )
    assert "2024-0002" in (again / "besluit.md").read_text()
    return again


EXPECTED_LETTER = (
    "opnieuw/besluit.pdf: dit bestand is hetzelfde als het hoofddocument (besluit.pdf) van besluit 2024-0001, dat op "
    "2024-06-01 in zijn geheel is ingetrokken: zo komt het toch weer op de site."
)


def _nothing_withdrawn_on_site(out: Path, withdrawn: Path) -> None:
    assert "GEHEIM" not in all_text(out) and not (out / "besluit/2024-0002").exists()
    hashes = {hashlib.sha256(b).hexdigest() for b in _site_bytes(out)}
    assert not hashes & {
        _sha(withdrawn / "besluit.pdf"),
        _sha(withdrawn / "documenten/1.pdf"),
        _sha(withdrawn / "documenten/2.pdf"),
    }
    assert (out / "besluit/2024-0003/bijlage-1.pdf").is_file()  # the standard annex stays with the other publication


def test_a_withdrawn_publication_does_not_return_under_a_new_kenmerk(make_package, decisions, tmp_path):
    import shutil

    from support import DEMO_KEY

    out = tmp_path / "site"
    withdrawn, _ = _withdrawn_and_other(make_package, decisions, out)
    result = _build(decisions, out)
    assert result.returncode == 0, result.stdout + result.stderr
    archive = tmp_path / ".woo-archief"
    records = {p.stem: json.loads(p.read_text()) for p in (archive / "ingetrokken-bestanden").rglob("*.json")}
    letter, doc1, doc2 = (_sha(withdrawn / f) for f in ("besluit.pdf", "documenten/1.pdf", "documenten/2.pdf"))
    assert set(records) == {letter, doc1, doc2}  # the annex is still published by 'ander': not remembered
    assert records[letter] == {
        "kenmerk": "2024-0001",
        "type": "woo-besluit",
        "document": None,
        "bestand": "het hoofddocument (besluit.pdf)",
        "datum": "2024-06-01",
        "reden": "Bevatte namen van ambtenaren",
    }
    assert records[doc1]["document"] == "1" and records[doc1]["bestand"] == "document 1"

    # The same package again, in a new folder under a new kenmerk: approve refuses it, and a build refuses it.
    again = _copy_under_new_kenmerk(withdrawn, decisions)
    config = str(Path(__file__).resolve().parents[1] / "mkdocs.yml")
    refused = run_cli("approve", str(again), "--sleutel", str(DEMO_KEY), "--config", config)
    expected_doc = "opnieuw/documenten/1.pdf: dit bestand is hetzelfde als document 1 van besluit 2024-0001, dat op 2024-06-01 in zijn geheel"
    assert refused.returncode == 1 and EXPECTED_LETTER in refused.stdout and expected_doc in refused.stdout
    approve(again)  # signed anyway, bypassing the command's checks
    result = _build(decisions, out)
    assert result.returncode == 1 and "GEWEIGERD    opnieuw:" in result.stdout and EXPECTED_LETTER in result.stdout
    assert "GEPUBLICEERD ander (2024-0003)" in result.stdout
    _nothing_withdrawn_on_site(out, withdrawn)

    # A withdrawal recorded before this rule (no files remembered): the copy is refused while the withdrawn folder is
    # there, and that build remembers the files in the folder.
    shutil.rmtree(archive / "ingetrokken-bestanden")
    result = _build(decisions, out)
    assert result.returncode == 1 and "GEWEIGERD    opnieuw:" in result.stdout and EXPECTED_LETTER in result.stdout
    _nothing_withdrawn_on_site(out, withdrawn)
    assert {p.stem for p in (archive / "ingetrokken-bestanden").rglob("*.json")} == {letter, doc1, doc2}


def test_a_copy_added_in_the_build_that_withdraws_is_refused_and_a_published_annex_stays(make_package, decisions, tmp_path):
    out = tmp_path / "site"
    withdrawn, other = _withdrawn_and_other(make_package, decisions, out)
    approve(_copy_under_new_kenmerk(withdrawn, decisions))  # the archive knows no withdrawn file yet
    # 'ander' changes in the same build: a new annex that is the withdrawn letter is refused (it was not published
    # before); the standard annex it already published stays.
    (other / "bijlagen/brief.pdf").write_bytes((withdrawn / "besluit.pdf").read_bytes())
    text = (other / "besluit.md").read_text()
    (other / "besluit.md").write_text(
        text.replace("bestand: bijlagen/woo.pdf", "bestand: bijlagen/woo.pdf\n- titel: Brief\n  bestand: bijlagen/brief.pdf")
    )
    approve(other)
    # A new decision with the standard annex (the site already publishes it with 'ander'): published.
    import shutil

    annex = {"bijlagen": [{"titel": "Bijlage 1 - Artikelen uit de Woo", "bestand": "bijlagen/woo.pdf"}]}
    new = make_package("nieuw", meta={"kenmerk": "2024-0004"}, extra_meta=annex)
    write_pdf(new / "besluit.pdf", ["# Besluit", "Nog een andere besluitbrief."])
    (new / "bijlagen").mkdir()
    shutil.copyfile(withdrawn / "bijlagen/woo.pdf", new / "bijlagen/woo.pdf")
    approve(new)
    result = _build(decisions, out)
    assert result.returncode == 1
    assert "GEPUBLICEERD nieuw (2024-0004)" in result.stdout and (out / "besluit/2024-0004/bijlage-1.pdf").is_file()
    assert "INGETROKKEN  ingetrokken (2024-0001) per 2024-06-01" in result.stdout
    assert "GEWEIGERD    opnieuw:" in result.stdout and EXPECTED_LETTER in result.stdout
    assert (
        "ander/bijlagen/brief.pdf: dit bestand is hetzelfde als het hoofddocument (besluit.pdf) van besluit 2024-0001"
        in result.stdout
    )
    assert "ander/bijlagen/woo.pdf" not in result.stdout
    assert "BEHOUDEN     ander (2024-0003)" in result.stdout  # its last approved version stays online
    _nothing_withdrawn_on_site(out, withdrawn)


def test_a_copy_of_a_withdrawn_document_in_another_package_is_refused_in_the_build_that_withdraws(
    make_package, decisions, tmp_path
):
    """A document withdrawn (woo-publish withdraw --document) while another package, new in the same build, holds the
    same file byte for byte: that package is refused in this very build (the archive only remembers the withdrawn file
    after it; found by the tests20 helper: the copy was published for one build). The file is nowhere on the site."""
    out = tmp_path / "site"
    texts = {"documenten/1.pdf": ["# Nota", "Gewone nota."], "documenten/2.pdf": ["# E-mail", "E-mail met LEKGEHEIM2."]}
    first = make_package("eerste", pdf_text=texts)
    approve(first)
    assert _build(decisions, out).returncode == 0
    _withdraw(first, "Bevatte een naam", document="2")
    copy = make_package("kopie", meta={"kenmerk": "2024-0005"})
    (copy / "documenten/1.pdf").write_bytes((first / "documenten/2.pdf").read_bytes())
    approve(copy)
    result = _build(decisions, out)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "GEWEIGERD    kopie:" in result.stdout
    assert (
        "kopie/documenten/1.pdf: dit bestand is hetzelfde als document 2 van besluit 2024-0001, dat op 2024-06-01 is "
        "ingetrokken: zo komt het toch weer op de site." in result.stdout
    )
    assert "LEKGEHEIM2" not in all_text(out)
    assert _sha(first / "documenten/2.pdf") not in {hashlib.sha256(b).hexdigest() for b in _site_bytes(out)}
    assert not (out / "besluit/2024-0005").exists()


def test_a_published_copy_of_a_withdrawn_document_goes_offline_in_the_build_that_withdraws(make_package, decisions, tmp_path):
    """The copy was already published with another decision: in the build that withdraws the document, that decision is
    refused and its archived version (the same file) is not kept online either: it goes offline with the neutral
    notice at once, as every build after it would have it (the archive remembers the withdrawn file)."""
    out = tmp_path / "site"
    texts = {"documenten/1.pdf": ["# Nota", "Gewone nota."], "documenten/2.pdf": ["# E-mail", "E-mail met LEKGEHEIM3."]}
    first = make_package("eerste", pdf_text=texts)
    copy = make_package("kopie", meta={"kenmerk": "2024-0005"})
    (copy / "documenten/1.pdf").write_bytes((first / "documenten/2.pdf").read_bytes())
    approve(first)
    approve(copy)
    assert _build(decisions, out).returncode == 0
    assert "LEKGEHEIM3" in all_text(out)
    _withdraw(first, "Bevatte een naam", document="2")
    result = _build(decisions, out)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "OFFLINE      kopie (2024-0005)" in result.stdout and "BEHOUDEN     kopie" not in result.stdout
    assert "LEKGEHEIM3" not in all_text(out)
