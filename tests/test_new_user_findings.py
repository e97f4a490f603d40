"""What a tester tripped over as a new user (README, docs and the command line only): settings that make
signatures unverifiable, preview builds, checking one package folder, consistent summaries and labels, renamed
folders, and small wording. Every test runs the installed ``woo-publish`` and asserts on its output and exit status."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import DEMO_KEY, DEMO_SIGNERS, ROOT, PackageMaker, approve, copy_built, run_cli

pytestmark = pytest.mark.slow  # most tests here build a site


def _site(tmp_path: Path) -> tuple[Path, PackageMaker, str]:
    """A site folder as a new user has it: mkdocs.yml with its own ondertekenaars.txt, decisions/ beside it."""
    site = tmp_path / "site-bron"
    site.mkdir()
    shutil.copy(DEMO_SIGNERS, site / "ondertekenaars.txt")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("ondertekenaars: demo/sleutels/toegestane-ondertekenaars", "ondertekenaars: ondertekenaars.txt")
    (site / "mkdocs.yml").write_text(config, encoding="utf-8")
    for folder in ("docs", "overrides"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, site / folder)
    (site / "decisions").mkdir()
    return site, PackageMaker(site / "decisions"), config


def _approve(site: Path, pkg: Path) -> None:
    approve(pkg, signers=site / "ondertekenaars.txt")


def _build(site: Path, today: str = "2024-06-01", *extra: str):
    return run_cli("build", "--out", str(site / "site"), "--vandaag", today, *extra, cwd=site)


def _withdraw(site, key=DEMO_KEY):
    """The whole package 'pakket' withdrawn as staff do it, signed with ``key`` (the demonstration key)."""
    return run_cli(
        "withdraw",
        "decisions/pakket",
        "--reden",
        "Verkeerde verzoeker",
        "--datum",
        "2024-06-01",
        "--sleutel",
        str(key),
        cwd=site,
    )


def _published_and_withdrawn(tmp_path):
    """Two packages published from a site folder, then 'pakket' withdrawn and built again."""
    site, make, config = _site(tmp_path)
    pkg = make("pakket")
    _approve(site, pkg)
    other = make("ander", meta={"kenmerk": "2024-0002"})
    _approve(site, other)
    assert _build(site).returncode == 0
    withdrawn = _withdraw(site)
    assert withdrawn.returncode == 0, withdrawn.stdout
    assert _build(site, "2024-06-02").returncode == 0
    return site, config


@pytest.fixture(scope="module")
def published_and_withdrawn_once(tmp_path_factory) -> tuple[Path, str]:
    """``_published_and_withdrawn`` made once for the module (four commands), copied for each test that changes it."""
    root = tmp_path_factory.mktemp("ingetrokken")
    _site_folder, config = _published_and_withdrawn(root)
    return root, config


@pytest.fixture
def published_and_withdrawn(published_and_withdrawn_once, tmp_path) -> tuple[Path, str]:
    root, config = published_and_withdrawn_once
    copy_built(root, tmp_path)
    return tmp_path / "site-bron", config


@pytest.mark.parametrize("breakage", ["tikfout", "leeg"])
def test_broken_signer_settings_never_announce_offline_or_delete_history(tmp_path, published_and_withdrawn, breakage):
    site, config = published_and_withdrawn
    if breakage == "tikfout":
        (site / "mkdocs.yml").write_text(
            config.replace("ondertekenaars: ondertekenaars.txt", "ondertekenaar: ondertekenaars.txt")
        )
    else:
        (site / "ondertekenaars.txt").write_text("")
    result = run_cli("check", "--vandaag", "2024-06-03", cwd=site)
    out = result.stdout
    assert result.returncode == 1
    assert "OFFLINE" not in out and "gaat offline" not in out
    assert ".uitgepakt-" not in out and ".woo-archief" not in out  # no internal temporary folder
    assert "ONZEKER     ander (2024-0002): wordt nu niet gepubliceerd" in out and "door de site-instellingen" in out
    # The withdrawal is still in the file: said so, kept in force, and the fix never deletes the public history.
    assert "staat niet meer in wijzigingen.json" not in out
    assert "Verwijder de niet-ondertekende" not in out and "erwijder" not in out
    assert "INGETROKKEN pakket (2024-0001): ingetrokken per 2024-06-01" in out
    assert "WAARSCHUWING pakket/wijzigingen.json: wijziging 1 (besluit ingetrokken, 2024-06-01), ondertekend door " in out
    assert "De intrekking staat nog in het bestand en blijft van kracht." in out
    assert 'woo-publish withdraw decisions/pakket --reden "Verkeerde verzoeker" --datum 2024-06-01' in out
    if breakage == "leeg":
        assert "'ondertekenaars.txt' bevat geen enkele sleutel" in out
        # The build does not take the site offline on an emptied signers file: it stops, the old site stays.
        built = _build(site, "2024-06-03")
        assert built.returncode == 2 and "het bestand met toegestane ondertekenaars is leeg" in built.stderr
        assert (site / "site" / "besluit" / "2024-0002" / "index.html").is_file()


def test_removed_signer_keeps_the_withdrawal_and_a_current_signer_can_re_sign(tmp_path, published_and_withdrawn):
    """Removing a signer is routine (docs/beheer.md, 'Iemand weghalen'): what that person withdrew stays withdrawn
    (withdrawing is the safe direction), with a warning; a current signer re-signs it and the warning goes."""
    import subprocess

    site, _config = published_and_withdrawn
    new_key = tmp_path / "nieuw"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", str(new_key)], check=True)
    public = new_key.with_suffix(".pub").read_text().split()
    (site / "ondertekenaars.txt").write_text(f"nieuw@voorbeeld.invalid {public[0]} {public[1]}\n")
    result = run_cli("check", "--vandaag", "2024-06-03", cwd=site)
    out = result.stdout
    assert "INGETROKKEN pakket (2024-0001)" in out and "blijft van kracht" in out and "demo-ondertekenaar" in out
    assert "gaat offline" not in out or "ander" in out  # 'ander' was approved with the removed key only: documented
    assert ".uitgepakt-" not in out
    again = _withdraw(site, new_key)
    assert again.returncode == 0, again.stdout
    out = run_cli("check", "--vandaag", "2024-06-03", cwd=site).stdout
    assert "INGETROKKEN pakket (2024-0001)" in out and "pakket/wijzigingen.json" not in out


def test_four_eyes_switched_on_names_the_package_folder_not_a_temporary_one(tmp_path, published_and_withdrawn):
    site, _config = published_and_withdrawn
    config = (site / "mkdocs.yml").read_text().replace("# vier_ogen: true", "vier_ogen: true")
    (site / "mkdocs.yml").write_text(config)
    out = run_cli("check", "--vandaag", "2024-06-03", cwd=site).stdout
    assert "Laat een tweede persoon het pakket ook goedkeuren met: woo-publish approve decisions/ander" in out
    assert ".uitgepakt-" not in out and ".woo-archief" not in out


@pytest.mark.parametrize("preview", ["andere-map", "toekomst"])
def test_a_preview_build_never_makes_an_embargoed_package_count_as_published(tmp_path, preview):
    site, make, _config = _site(tmp_path)
    live = make("live")
    _approve(site, live)
    assert _build(site).returncode == 0  # the real site: site-bron/site
    later = make("later", meta={"kenmerk": "2024-0003", "publicatie_datum": "2099-01-01"})
    _approve(site, later)
    if preview == "andere-map":
        built = run_cli("build", "--out", str(tmp_path / "proef"), "--vandaag", "2024-06-02", cwd=site)
        assert "proefbuild (de uitvoermap" in built.stdout
    else:
        built = run_cli("build", "--out", str(tmp_path / "proef"), "--vandaag", "2099-01-02", cwd=site)
        assert "proefbuild (--vandaag 2099-01-02 ligt na de echte datum)" in built.stdout
    assert built.returncode == 0, built.stdout
    assert "archief.proefbuild" not in built.stdout and "het archief" in built.stdout
    shutil.rmtree(later)  # the never-live package is taken back: nothing to warn about
    checked = run_cli("check", "--vandaag", "2024-06-02", cwd=site)
    assert "VERDWIJNT" not in checked.stdout and "later" not in checked.stdout, checked.stdout
    assert checked.returncode == 0, checked.stdout
    # The real site's own builds still keep the archive.
    (live / "besluit.md").write_text((live / "besluit.md").read_text() + "\nGewijzigd.\n")
    kept = _build(site, "2024-06-03")
    assert "BEHOUDEN     live (2024-0001)" in kept.stdout, kept.stdout


def test_check_of_one_package_folder_checks_that_package(cli, make_package, decisions):
    pkg = make_package("MIJN-PAKKET")
    approve(pkg)
    make_package("ander", meta={"kenmerk": "2024-0002", "titel": "Ander besluit van 06-12345678"})
    result = cli("check", str(pkg), "--config", str(ROOT / "mkdocs.yml"), "--vandaag", "2024-06-01")
    out = result.stdout
    assert result.returncode == 0, out
    assert "OK          MIJN-PAKKET (2024-0001): wordt gepubliceerd zoals het is." in out
    assert "documenten" not in out and "ander" not in out and "besluit.md ontbreekt" not in out
    assert out.rstrip().endswith("Het pakket wordt gepubliceerd zoals het is.")
    # The same kenmerk in a sibling is still found when one package is checked. The sibling is not approved, so it
    # cannot block this one (attack round 10, B09): this one is published and told that the copy will be refused.
    make_package("kopie", meta={"titel": "Kopie"})
    out = cli("check", str(pkg), "--config", str(ROOT / "mkdocs.yml"), "--vandaag", "2024-06-01").stdout
    assert "OK          MIJN-PAKKET (2024-0001): wordt gepubliceerd zoals het is." in out
    assert "pakket kopie gebruikt hetzelfde kenmerk '2024-0001'" in out and "niet goedgekeurd" in out
    approve(make_package("kopie", meta={"titel": "Kopie"}))  # approved too: two approved claimants, neither is published
    out = cli("check", str(pkg), "--config", str(ROOT / "mkdocs.yml"), "--vandaag", "2024-06-01").stdout
    assert "MIJN-PAKKET (2024-0001)" in out and "kenmerk" in out and "Het pakket wordt niet gepubliceerd zoals het is." in out


def test_check_after_a_withdrawal_ends_with_a_consistent_summary(tmp_path):
    site, make, _config = _site(tmp_path)
    pkg = make("pakket")
    _approve(site, pkg)
    assert _build(site).returncode == 0
    withdrawn = _withdraw(site)
    assert withdrawn.returncode == 0
    result = run_cli("check", "--vandaag", "2024-06-02", cwd=site)
    out = result.stdout
    assert result.returncode == 0 and "INGETROKKEN pakket (2024-0001): ingetrokken per 2024-06-01" in out
    assert "gepubliceerd zoals het is" not in out
    assert out.rstrip().endswith("Het pakket is in orde; het is ingetrokken; de site toont de melding met de reden.")
    texts = {f"documenten/{n}.pdf": [f"# Ander {n}", "Andere inhoud."] for n in (1, 2)}  # not the withdrawn files
    other = make("ander", meta={"kenmerk": "2024-0002"}, pdf_text=texts)
    from support import write_pdf

    write_pdf(other / "besluit.pdf", ["# Besluit", "Een andere besluitbrief."])
    _approve(site, other)
    out = run_cli("check", "--vandaag", "2024-06-02", cwd=site).stdout
    assert out.rstrip().endswith("Alle 2 pakketten zijn in orde; 1 pakket is ingetrokken."), out


def test_inventory_formula_without_a_stored_result_is_refused(cli, make_package, decisions):
    import datetime as dt

    from openpyxl import Workbook

    from support import INVENTORY_HEADER, write_pdf

    pkg = make_package(meta={"inventaris": "inventaris.xlsx"})
    wb = Workbook()
    ws = wb.active
    ws.append(INVENTORY_HEADER)
    ws.append([1, "Verslag overleg", "=DATE(2018,2,1)", "Openbaar", None, "documenten/1.pdf", "X-1"])
    ws.append([2, "E-mail", dt.datetime(2024, 1, 12), "Deels openbaar", "5.1.2.e", "documenten/2.pdf", "X-2"])
    wb.save(pkg / "inventaris.xlsx")  # openpyxl stores the formula without a result
    for n in (1, 2):
        write_pdf(pkg / f"documenten/{n}.pdf", [f"Document {n}"])
    result = cli("check", str(decisions), "--config", str(ROOT / "mkdocs.yml"), "--vandaag", "2024-06-01")
    assert result.returncode == 1
    assert "FOUT pakket/inventaris.xlsx, rij 2, kolom 'Datum' (cel C2): deze cel bevat een formule." in result.stdout
    refused = cli("approve", str(pkg), "--sleutel", str(DEMO_KEY), "--config", str(ROOT / "mkdocs.yml"))
    assert refused.returncode == 1 and "deze cel bevat een formule" in refused.stdout


def test_build_labels_a_package_kept_in_its_earlier_version_as_kept_not_refused(tmp_path):
    site, make, _config = _site(tmp_path)
    pkg = make("pakket")
    _approve(site, pkg)
    assert _build(site).returncode == 0
    (pkg / "besluit.md").write_text((pkg / "besluit.md").read_text() + "\nGewijzigd.\n")
    result = _build(site, "2024-06-02")
    out = result.stdout
    assert result.returncode == 1
    assert "BEHOUDEN     pakket (2024-0001): de nieuwe versie is NIET gepubliceerd" in out
    assert "BEHOUDEN     pakket: problemen in de nieuwe versie (niet gepubliceerd):" in out
    assert "GEWEIGERD" not in out
    assert "1 publicatie gepubliceerd (waarvan 1 in een eerder goedgekeurde versie), 0 geweigerd" in out


def test_a_renamed_package_folder_is_no_vanished_decision(tmp_path):
    site, make, _config = _site(tmp_path)
    pkg = make("oude-naam")
    _approve(site, pkg)
    gone = make("weg", meta={"kenmerk": "2024-0009"})
    _approve(site, gone)
    assert _build(site).returncode == 0
    pkg.rename(pkg.parent / "nieuwe-naam")
    shutil.rmtree(gone)
    result = run_cli("check", "--vandaag", "2024-06-02", cwd=site)
    out = result.stdout
    assert "OK          nieuwe-naam (2024-0001): wordt gepubliceerd zoals het is." in out
    assert "oude-naam" not in out
    assert "VERDWIJNT   weg: de map 'weg' staat niet meer in de map met besluiten" in out  # really gone: still said
    built = _build(site, "2024-06-02")
    assert "oude-naam" not in built.stdout and (site / "site" / "besluit" / "2024-0001" / "index.html").is_file()


def test_small_wording_dates_assessments_and_the_approve_change_line(cli, make_package, decisions, tmp_path):
    rows = [["1", "Verslag overleg", "2024-01-10", "deels openbar", "5.1.2.e", "documenten/1.pdf"]]
    make_package(meta={"publicatie_datum": "2024-02-30"}, rows=rows)
    out = cli("check", str(decisions), "--config", str(ROOT / "mkdocs.yml"), "--vandaag", "2024-06-01").stdout
    assert "FOUT pakket/besluit.md, veld 'publicatie_datum': '2024-02-30' is geen geldige datum." in out
    assert "Oplossing: De datum 2024-02-30 bestaat niet: die maand heeft 29 dagen. Controleer de dag en de maand." in out
    assert "'deels openbar' is geen geldige beoordeling." in out
    assert "Oplossing: Bedoelde u 'deels openbaar'? Gebruik een van: openbaar, deels openbaar" in out


def test_home_page_and_approve_say_one_change_in_good_dutch(tmp_path):
    site, make, _config = _site(tmp_path)
    pkg = make("pakket")
    _approve(site, pkg)
    assert _build(site).returncode == 0
    home = (site / "site" / "index.html").read_text(encoding="utf-8")
    assert "Het laatst gepubliceerde besluit" in home and "De 1 laatst" not in home
    from support import write_pdf

    write_pdf(pkg / "documenten" / "1.pdf", ["# Document 1", "Een gecorrigeerde versie."])
    result = run_cli("approve", "decisions/pakket", "--sleutel", str(DEMO_KEY), cwd=site)
    assert result.returncode == 0, result.stdout
    assert "Wijziging vastgelegd voor de publieke geschiedenis: document 1 vervangen" in result.stdout


def test_a_key_with_a_passphrase_and_no_terminal_gets_a_dutch_message(tmp_path):
    import os
    import subprocess

    from support import woo_publish

    site, make, _config = _site(tmp_path)
    key = tmp_path / "beveiligd"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "geheim", "-C", "", "-f", str(key)], check=True)
    public = key.with_suffix(".pub").read_text().split()
    with (site / "ondertekenaars.txt").open("a") as handle:
        handle.write(f"beveiligd@voorbeeld.invalid {public[0]} {public[1]}\n")
    make("pakket")
    env = {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"}
    result = subprocess.run(  # a new session: no terminal to ask the passphrase on, as in a scheduled job
        [str(woo_publish()), "approve", "decisions/pakket", "--sleutel", str(key)],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env=env,
    )
    assert result.returncode == 1
    assert "is beveiligd met een wachtwoordzin" in result.stdout and f"ssh-add {key}" in result.stdout
    assert "Enter passphrase" not in result.stdout and "incorrect passphrase" not in result.stdout
    assert not (site / "decisions" / "pakket" / "goedkeuring.json").exists()
