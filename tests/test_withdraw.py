"""Withdrawal and public change history: what is withdrawn disappears everywhere, with a notice."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest

from support import (
    DEMO_KEY,
    all_text,
    approve,
    build_args,
    diwoo_parts,
    diwoo_text,
    documented_report_keys,
    read_open_data,
    report_key_paths,
)

pytestmark = pytest.mark.slow  # every test here builds a whole site


def _build(cli, decisions, out, today="2024-06-01"):
    return cli(*build_args(decisions, out, "--uitgebreid", cache=out.parent / "c", today=today))


def test_withdrawing_a_document_removes_it_everywhere(cli, make_package, decisions, tmp_path):
    pkg = make_package(pdf_text={"documenten/2.pdf": ["# Planning", "Het unieke woord KNOFLOOKSAUS staat hier."]})
    approve(pkg)
    out = tmp_path / "site"
    assert _build(cli, decisions, out).returncode == 0
    assert (out / "besluit/2024-0001/document-2.pdf").is_file()

    result = cli(
        "withdraw",
        str(pkg),
        "--document",
        "2",
        "--reden",
        "Bevat per abuis een naam",
        "--datum",
        "2024-06-01",
        "--sleutel",
        str(DEMO_KEY),
    )
    assert result.returncode == 0 and "Ingetrokken: document 2" in result.stdout
    report = tmp_path / "rapport.json"
    result = cli(*build_args(decisions, out, "--uitgebreid", "--report", str(report), cache=out.parent / "c", today="2024-06-02"))
    assert result.returncode == 0, result.stdout  # a withdrawal needs no new approval
    assert not (out / "besluit/2024-0001/document-2.pdf").exists()
    # New-user round 12: the summary counts the withdrawn document (before: "0 ingetrokken"), the report lists it apart
    # from the withdrawn publications (whose key stays as monitoring reads it).
    assert ", 0 onder embargo, 0 publicaties en 1 document ingetrokken; " in result.stdout, result.stdout
    assert "INGETROKKEN  document 2 van pakket (2024-0001) per 2024-06-01" in result.stdout
    written = json.loads(report.read_text(encoding="utf-8"))
    assert report_key_paths(written) <= documented_report_keys()  # every key in it is documented (docs/beheer.md)
    assert written["withdrawn"] == [] and [p["package"] for p in written["published"]] == ["pakket"]
    assert written["withdrawn_documents"] == [
        {
            "package": "pakket",
            "kenmerk": "2024-0001",
            "document": "2",
            "ingetrokken_op": "2024-06-01",
            "reden": "Bevat per abuis een naam",
        }
    ]
    page = (out / "besluit/2024-0001/index.html").read_text()
    assert "Ingetrokken op 1 juni 2024: Bevat per abuis een naam" in page
    assert "Wijzigingen na publicatie" in page and "Document ingetrokken: document 2" in page
    # Attack round 10, B01: its title and details are nowhere (search, DiWoo, open data, inventory files, history);
    # only its number stays, with the notice.
    assert "E-mail over planning" not in all_text(out) and "E-mail over planning" not in page
    inventory = (out / "besluit/2024-0001/inventaris.csv").read_text(encoding="utf-8-sig").splitlines()
    assert inventory[2].startswith("2;Document 2 (ingetrokken);;ingetrokken;;;;Ingetrokken op 1 juni 2024: Bevat per abuis")
    assert "document-2.pdf" not in (out / "sitemap.xml").read_text()
    assert "knoflooksaus" not in "".join(p.read_text() for p in (out / "zoeken/index").glob("*.json")).lower()
    data = read_open_data(out)
    row = data["besluiten"][0]["inventaris"][1]
    assert row["url"] is None and row["ingetrokken"] == {"datum": "2024-06-01", "reden": "Bevat per abuis een naam"}
    with zipfile.ZipFile(out / "besluit/2024-0001/documenten.zip") as z:
        assert "document-2.pdf" not in z.namelist() and "document-1.pdf" in z.namelist()
    diwoo = diwoo_text(out)
    entry = diwoo[diwoo.index("document-2.pdf</loc>") :]
    entry = entry[: entry.index("</url>")]
    assert "redenVerwijderingVervanging" in entry and "Bevat per abuis een naam" in entry

    # After the notice period the document drops out of the Woo-index sitemap too.
    _build(cli, decisions, out, "2024-12-01")
    assert "document-2.pdf" not in diwoo_text(out)


def test_withdrawing_a_decision_leaves_a_notice_page_only(cli, make_package, decisions, tmp_path):
    pkg = make_package(meta={"titel": "Besluit over de GEHEIMEKELDER"})
    approve(pkg)
    other = make_package("ander", meta={"kenmerk": "2024-0009", "titel": "Blijft staan"})
    approve(other)
    out = tmp_path / "site"
    assert _build(cli, decisions, out).returncode == 0
    assert (
        cli(
            "withdraw", str(pkg), "--reden", "Verkeerde verzoeker", "--datum", "2024-06-01", "--sleutel", str(DEMO_KEY)
        ).returncode
        == 0
    )
    result = _build(cli, decisions, out, "2024-06-02")
    assert result.returncode == 0 and "INGETROKKEN  pakket (2024-0001) per 2024-06-01" in result.stdout
    notice = (out / "besluit/2024-0001/index.html").read_text()
    assert "Besluit 2024-0001 is ingetrokken" in notice and "Verkeerde verzoeker" in notice and "1 juni 2024" in notice
    assert sorted(p.name for p in (out / "besluit/2024-0001").iterdir()) == ["index.html"]
    assert "GEHEIMEKELDER" not in all_text(out)
    notice_path = out / "besluit/2024-0001/index.html"
    diwoo = diwoo_parts(out)  # carry the withdrawal reason for the Woo-index
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt") and path not in (notice_path, *diwoo):
            assert "besluit/2024-0001/" not in path.read_text(), path
    entry = diwoo_text(out)
    assert "Besluit 2024-0001 (ingetrokken)" in entry and "Verkeerde verzoeker" in entry
    assert "Blijft staan" in (out / "besluiten/index.html").read_text()


def test_reapproval_records_replaced_and_added_documents(cli, make_package, decisions, tmp_path):
    pkg = make_package()
    assert cli("approve", str(pkg), "--sleutel", str(DEMO_KEY)).returncode == 0
    (pkg / "documenten/1.pdf").write_bytes((pkg / "documenten/2.pdf").read_bytes())
    result = cli("approve", str(pkg), "--sleutel", str(DEMO_KEY))
    assert result.returncode == 0 and "document 1 vervangen" in result.stdout
    history = json.loads((pkg / "wijzigingen.json").read_text())["wijzigingen"]
    signature = history[0].pop("ondertekening")
    assert history == [
        {
            "datum": dt.date.today().isoformat(),
            "soort": "document vervangen",
            "document": "1",
            "titel": "Verslag overleg",
            "reden": "",
        }
    ]
    assert signature["door"] == "demo-ondertekenaar@voorbeeld.invalid" and "BEGIN SSH SIGNATURE" in signature["handtekening"]
    out = tmp_path / "site"
    assert _build(cli, decisions, out, dt.date.today().isoformat()).returncode == 0
    assert "Document vervangen: document 1 (Verslag overleg)" in (out / "besluit/2024-0001/index.html").read_text()
    assert "demo-ondertekenaar" not in all_text(out)  # the signer's name stays in the package


def test_withdraw_refuses_unknown_document(cli, make_package):
    pkg = make_package()
    result = cli("withdraw", str(pkg), "--document", "99", "--reden", "x")
    assert result.returncode == 1 and "document 99 staat niet in de inventaris" in result.stdout
    assert not (pkg / "wijzigingen.json").exists()


@pytest.mark.parametrize(
    "reason",
    [
        "Bevat BSN 123456782 van de verzoeker",
        "Mailadres jan.jansen@gmail.com niet gelakt",
        "Tel. 06.12.34.56.78 stond erin",
        "Adres Kerkstraat 12, 1234 ab Amsterdam",
    ],
)
def test_withdrawal_reason_with_personal_data_is_refused(cli, make_package, reason):
    pkg = make_package()
    approve(pkg)
    result = cli("withdraw", str(pkg), "--reden", reason, "--datum", "2024-06-01", "--sleutel", str(DEMO_KEY))
    assert result.returncode == 1
    assert (
        "de reden bevat persoonsgegevens" in result.stdout
        and "Niet ingetrokken: " in result.stdout
        and "Er is niets vastgelegd." in result.stdout
    )
    for value in ("123456782", "jan.jansen", "12.34.56", "Kerkstraat"):
        assert value not in result.stdout
    assert not (pkg / "wijzigingen.json").exists()


def test_signed_reason_with_personal_data_is_not_published(cli, make_package, decisions, tmp_path):
    from publish.history import WITHDRAWN_DOCUMENT, Change, append_changes, sign_change

    from support import DEMO_SIGNERS

    pkg = make_package()
    approve(pkg)
    # Its own PDFs: a copy of the withdrawn document in another package is refused in the build that withdraws it.
    other = make_package("ander", meta={"kenmerk": "2024-0002"}, pdf_text={f"documenten/{n}.pdf": [f"Ander {n}"] for n in (1, 2)})
    approve(other)
    change = Change(dt.date(2024, 6, 1), WITHDRAWN_DOCUMENT, "2", "", "Bevat 0612345678 van de verzoeker")
    append_changes(pkg, [sign_change(change, pkg, DEMO_KEY, DEMO_SIGNERS)])  # signed, as an older woo-publish would have
    out = tmp_path / "site"
    result = _build(cli, decisions, out, "2024-06-02")
    assert (
        "wijziging 1 (document ingetrokken 2, 2024-06-01): de publieke reden bevat een telefoonnummer: 06*******8."
        in result.stdout
    )
    assert not (out / "besluit/2024-0001/document-2.pdf").exists()  # the withdrawal itself still holds
    assert (out / "besluit/2024-0002/index.html").is_file()
    site = "\n".join(
        p.read_text(errors="replace") for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml")
    )
    assert "0612345678" not in site and "De reden wordt niet getoond omdat die persoonsgegevens bevatte." in site
