"""Issue 13: nothing published disappears unannounced, and approvals and withdrawals can be trusted.

Signed approvals and change-history entries (ssh-keygen -Y), the archive of approved versions with its
fallback and neutral notice, operating-system litter, and what ``check`` says about the next build.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import DEMO_KEY, DEMO_SIGNERS, ROOT, PackageMaker, all_text, approve, build_args, copy_built, write_pdf

pytestmark = pytest.mark.slow  # most tests here build whole sites

PAGE = "besluit/2024-0001/index.html"


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "woo-publish"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=300, env=env)


def build(decisions: Path, out: Path, *extra: str, config: Path = ROOT / "mkdocs.yml", env=None):
    return run(
        *build_args(decisions, out, "--uitgebreid", *extra, config=config),
        env=env,
    )


def check(decisions: Path, *extra: str, config: Path = ROOT / "mkdocs.yml"):
    return run(
        "check",
        str(decisions),
        "--config",
        str(config),
        "--cache",
        str(decisions.parent / "cache"),
        "--vandaag",
        "2024-06-01",
        *extra,
    )


def new_key(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
    return key


def own_config(tmp_path: Path, signers: list[tuple[str, Path]] | None, **woo) -> tuple[Path, Path | None]:
    """A copy of the repository's mkdocs.yml trusting ``signers`` (principal, key) instead of the demo key."""
    data = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    # The theme overrides and standard pages come from the package (publish/sitefiles.py).
    allowed = None
    data["extra"]["woo"].pop("ondertekenaars", None)
    if signers is not None:
        allowed = tmp_path / "ondertekenaars.txt"
        allowed.write_text(
            "".join(
                f"{who} {Path(str(key) + '.pub').read_text().split()[0]} {Path(str(key) + '.pub').read_text().split()[1]}\n"
                for who, key in signers
            )
        )
        data["extra"]["woo"]["ondertekenaars"] = allowed.name
    data["extra"]["woo"].update(woo)
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True))
    return config, allowed


@pytest.fixture(scope="module")
def published_once(tmp_path_factory) -> Path:
    """A package approved with the demo key and published once (so the archive holds it): built once for the module,
    in the layout of the test folders (decisions/, site/, cache/ and the archive .woo-archief/ beside them)."""
    root = tmp_path_factory.mktemp("gepubliceerd")
    pkg = PackageMaker(root / "decisions")(
        pdf_text={"documenten/1.pdf": ["# Verslag", "De oorspronkelijke tekst OORSPRONKELIJK."]}
    )
    approve(pkg)
    result = build(root / "decisions", root / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture
def published(published_once, decisions, tmp_path):
    """This test's own copy of ``published_once``: (the package folder, the site folder)."""
    copy_built(published_once, tmp_path)
    return decisions / "pakket", tmp_path / "site"


# -- the archive keeps a published package online ------------------------------------------------------------------


def test_package_edited_after_approval_stays_online_in_its_approved_version(published, decisions, tmp_path):
    pkg, out = published
    before = (out / PAGE).read_bytes()
    pdf_before = (out / "besluit/2024-0001/document-1.pdf").read_bytes()
    write_pdf(pkg / "documenten/1.pdf", ["# Verslag", "Een typefout hersteld NIEUWETEKST."])
    text = (pkg / "besluit.md").read_text().replace("Samenvatting van het besluit.", "Samenvatting NIEUWESAMENVATTING.")
    (pkg / "besluit.md").write_text(text)

    checked = check(decisions)
    assert checked.returncode == 1
    assert (
        "BEHOUDEN    pakket (2024-0001): de huidige versie wordt NIET gepubliceerd (gewijzigd sinds de goedkeuring: "
        "besluit.md, documenten/1.pdf); de eerder goedgekeurde versie (gepubliceerd 2024-06-01) blijft online."
    ) in checked.stdout

    result = build(decisions, out, "--report", str(tmp_path / "r.json"))
    assert result.returncode == 1
    assert (
        "BEHOUDEN     pakket (2024-0001): de nieuwe versie is NIET gepubliceerd (gewijzigd sinds de goedkeuring: "
        "besluit.md, documenten/1.pdf); de eerder goedgekeurde versie (gepubliceerd 2024-06-01) blijft online."
    ) in result.stdout
    assert "pakket/documenten/1.pdf: dit bestand is na de goedkeuring gewijzigd." in result.stdout
    # one package: counted once, as published in its earlier approved version, not also as refused
    assert "1 publicatie gepubliceerd (waarvan 1 in een eerder goedgekeurde versie), 0 geweigerd," in result.stdout
    assert (out / PAGE).read_bytes() == before  # byte-identical: the approved version, not the edit
    assert (out / "besluit/2024-0001/document-1.pdf").read_bytes() == pdf_before
    assert "NIEUWESAMENVATTING" not in all_text(out) and "NIEUWETEKST" not in all_text(out)
    report = json.loads((tmp_path / "r.json").read_text())
    assert (
        report["kept"][0]["package"] == "pakket"
        and report["kept"][0]["reden"] == "gewijzigd sinds de goedkeuring: besluit.md, documenten/1.pdf"
    )
    assert report["published"][0]["versie"] == "eerder goedgekeurd"
    assert report["refused"][0]["online"] == "eerder goedgekeurde versie"

    # Approved anew: the new version is published and replaces the archived one.
    approve(pkg)
    assert check(decisions).returncode == 0
    assert build(decisions, out).returncode == 0
    assert "NIEUWESAMENVATTING" in (out / PAGE).read_text()


def test_os_litter_is_ignored_and_the_package_stays_published_as_it_is(published, decisions, tmp_path):
    pkg, out = published
    before = (out / PAGE).read_bytes()
    for name in (
        ".DS_Store",
        "Thumbs.db",
        "desktop.ini",
        "~$inventaris.xlsx",
        "._besluit.pdf",
        "documenten/.DS_Store",
        "documenten/Thumbs.db",
    ):
        (pkg / name).write_bytes(b"\x00\x01 litter")
    checked = check(decisions)
    assert checked.returncode == 0, checked.stdout
    assert "OK          pakket (2024-0001): wordt gepubliceerd zoals het is." in checked.stdout
    assert "hoort niet bij het pakket" not in checked.stdout
    result = build(decisions, out)
    assert result.returncode == 0, result.stdout
    assert (out / PAGE).read_bytes() == before
    assert "litter" not in all_text(out)
    assert not list((tmp_path / ".woo-archief").rglob("*DS_Store*"))


def test_a_document_named_like_litter_is_refused_not_silently_unapproved(make_package, decisions):
    rows = [["1", "Verslag", "2024-01-10", "openbaar", "", "documenten/._1.pdf"]]
    make_package(rows=rows)
    result = check(decisions)
    assert result.returncode == 1
    assert "de naam van 'documenten/._1.pdf' (document 1 (rij 2)) is die van een hulpbestand" in result.stdout


def test_archive_survives_deleting_the_cache(published, decisions, tmp_path):
    pkg, out = published
    shutil.rmtree(tmp_path / "cache")
    (pkg / "stray.txt").write_text("een los bestand")
    result = build(decisions, out)
    assert result.returncode == 1
    assert "BEHOUDEN     pakket (2024-0001)" in result.stdout and "stray.txt" in result.stdout
    assert (out / "besluit/2024-0001/document-1.pdf").is_file()
    assert (tmp_path / ".woo-archief" / "pakketten" / "pakket.json").is_file()


def test_a_vanished_package_folder_is_reported_not_silently_dropped(published, decisions, tmp_path):
    pkg, out = published
    shutil.rmtree(pkg)
    checked = check(decisions)
    assert checked.returncode == 1
    assert "VERDWIJNT   pakket: de map 'pakket' staat niet meer in de map met besluiten" in checked.stdout
    result = build(decisions, out, "--report", str(tmp_path / "r.json"))
    assert "WAARSCHUWING pakket: de map 'pakket' staat niet meer in de map met besluiten" in result.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    assert [w["code"] for w in report["warnings"]] == ["archief.map_verdwenen"]


def test_archive_location_from_option_and_setting(published, decisions, tmp_path):
    pkg, out = published
    (pkg / "besluit.md").write_text((pkg / "besluit.md").read_text() + "\nGewijzigd.\n")
    # An empty archive elsewhere: nothing to fall back to, so the package is left off.
    result = build(decisions, out, "--archief", str(tmp_path / "ander-archief"))
    assert result.returncode == 1 and "BEHOUDEN" not in result.stdout
    assert not (out / PAGE).exists()


def test_archived_version_failing_the_current_checks_goes_offline_with_a_neutral_notice(make_package, decisions, tmp_path):
    key = new_key(tmp_path / "keys", "marie")
    config, allowed = own_config(tmp_path, [("marie@gemeente.nl", key)])
    pkg = make_package(meta={"titel": "Besluit over het GEHEIMDOSSIER"})
    approve(pkg, key=key, signers=allowed)
    out = tmp_path / "site"
    assert build(decisions, out, config=config).returncode == 0
    (pkg / "besluit.md").write_text((pkg / "besluit.md").read_text() + "\nGewijzigd.\n")
    # Marie's key is revoked (Piet stays): her approvals no longer count. An emptied file is a settings error instead.
    piet = Path(str(new_key(tmp_path / "keys", "piet")) + ".pub").read_text().split()
    allowed.write_text(f"piet@gemeente.nl {piet[0]} {piet[1]}\n")
    checked = check(decisions, config=config)
    assert checked.returncode == 1 and "OFFLINE     pakket (2024-0001):" in checked.stdout
    result = build(decisions, out, "--report", str(tmp_path / "r.json"), config=config)
    assert result.returncode == 1
    assert "OFFLINE      pakket (2024-0001): de nieuwe versie is niet gepubliceerd" in result.stdout
    assert "de goedkeuring is niet geldig ondertekend" in result.stdout
    notice = (out / PAGE).read_text()
    assert "Besluit 2024-0001 is tijdelijk niet beschikbaar" in notice and "contact" in notice
    assert sorted(p.name for p in (out / "besluit/2024-0001").iterdir()) == ["index.html"]
    assert "GEHEIMDOSSIER" not in all_text(out) and "marie" not in all_text(out)
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["offline"][0]["package"] == "pakket" and report["refused"][0]["online"] == "niet meer: neutrale melding"


def test_damaged_or_tampered_archive_takes_the_package_offline(published, decisions, tmp_path):
    pkg, out = published
    (pkg / "besluit.md").write_text((pkg / "besluit.md").read_text() + "\nGewijzigd.\n")
    objects = sorted((tmp_path / ".woo-archief" / "objecten").rglob("*"))
    target = next(p for p in objects if p.is_file() and p.stat().st_size > 1000)
    os.chmod(target, 0o644)
    target.write_bytes(b"%PDF-1.4 vervalst")
    result = build(decisions, out)
    assert result.returncode == 1 and "OFFLINE      pakket (2024-0001)" in result.stdout
    assert "is in het archief beschadigd of gewijzigd" in result.stdout
    (tmp_path / ".woo-archief" / "pakketten" / "pakket.json").write_text("{niet: json\x00")
    result = build(decisions, out)
    assert result.returncode == 1 and "zijn beschadigd" in result.stdout
    assert "tijdelijk niet beschikbaar" in (out / PAGE).read_text()


def test_withdrawal_removes_the_archived_version(published, decisions, tmp_path):
    pkg, out = published
    assert (
        run(
            "withdraw",
            str(pkg),
            "--reden",
            "Verkeerde verzoeker",
            "--datum",
            "2024-06-01",
            "--sleutel",
            str(DEMO_KEY),
            "--config",
            str(ROOT / "mkdocs.yml"),
        ).returncode
        == 0
    )
    (pkg / "stray.txt").write_text("los")  # a withdrawal takes effect whatever else is wrong
    result = build(decisions, out)
    assert "INGETROKKEN  pakket (2024-0001) per 2024-06-01" in result.stdout
    entry = json.loads((tmp_path / ".woo-archief" / "pakketten" / "pakket.json").read_text())
    assert entry == {"pakket": "pakket", "ingetrokken": {"datum": "2024-06-01", "reden": "Verkeerde verzoeker"}}
    assert "is ingetrokken" in (out / PAGE).read_text()
    checked = check(decisions)
    assert "INGETROKKEN pakket (2024-0001): ingetrokken per 2024-06-01" in checked.stdout

    # Deleting the withdrawal does not bring the decision back: the archive remembers it.
    (pkg / "stray.txt").unlink()
    (pkg / "wijzigingen.json").unlink()
    result = build(decisions, out)
    assert result.returncode == 1
    assert "INGETROKKEN  pakket (2024-0001) per 2024-06-01" in result.stdout
    assert "dit besluit is op 2024-06-01 ingetrokken, maar die intrekking staat niet meer in wijzigingen.json" in result.stdout
    assert "is ingetrokken" in (out / PAGE).read_text() and not (out / "besluit/2024-0001/document-1.pdf").exists()
    assert check(decisions).returncode == 1


# -- withdrawals and approvals cannot be undone or replayed (security findings 04 and 05) ------------------------------


def pdf_text(path: Path) -> str:
    import pypdf

    return "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def withdraw(pkg: Path, *extra: str) -> subprocess.CompletedProcess:
    result = run(
        "withdraw", str(pkg), *extra, "--datum", "2024-06-01", "--sleutel", str(DEMO_KEY), "--config", str(ROOT / "mkdocs.yml")
    )
    assert result.returncode == 0, result.stdout
    return result


def test_deleting_wijzigingen_json_does_not_bring_a_withdrawn_document_back(published, decisions, tmp_path):
    pkg, out = published
    withdraw(pkg, "--document", "2", "--reden", "Naam zichtbaar")
    assert build(decisions, out).returncode == 0
    assert not (out / "besluit/2024-0001/document-2.pdf").exists()
    (pkg / "wijzigingen.json").unlink()  # no key needed for this
    checked = check(decisions)
    assert checked.returncode == 1
    assert (
        "BEHOUDEN    pakket (2024-0001): de huidige versie wordt NIET gepubliceerd (een intrekking ontbreekt in wijzigingen.json)"
        in checked.stdout
    )
    assert (
        "pakket/wijzigingen.json, document 2: document 2 is op 2024-06-01 ingetrokken, maar die intrekking staat niet meer in "
        "wijzigingen.json; het blijft ingetrokken." in checked.stdout
    )
    result = build(decisions, out)
    assert result.returncode == 1
    assert not (out / "besluit/2024-0001/document-2.pdf").exists() and (out / "besluit/2024-0001/document-1.pdf").is_file()
    assert "Naam zichtbaar" in (out / PAGE).read_text()  # the public notice stays
    # Renamed as well, so the archived version under the old name cannot be used: still withdrawn, never online.
    pkg.rename(decisions / "pakket-nieuw")
    result = build(decisions, out)
    assert (
        result.returncode == 1
        and "pakket-nieuw/wijzigingen.json, document 2: document 2 is op 2024-06-01 ingetrokken" in result.stdout
    )
    assert not (out / "besluit/2024-0001/document-2.pdf").exists()


def test_renaming_a_withdrawn_decision_and_deleting_wijzigingen_json_keeps_it_withdrawn(published, decisions, tmp_path):
    pkg, out = published
    withdraw(pkg, "--reden", "Hele besluit bevat fouten")
    assert build(decisions, out).returncode == 0
    (pkg / "wijzigingen.json").unlink()
    renamed = decisions / "pakket-nieuw"
    pkg.rename(renamed)
    checked = check(decisions)
    assert checked.returncode == 1
    assert "INGETROKKEN pakket-nieuw (2024-0001): ingetrokken per 2024-06-01" in checked.stdout
    assert (
        "pakket-nieuw/wijzigingen.json: dit besluit is op 2024-06-01 ingetrokken, maar die intrekking staat niet meer in "
        "wijzigingen.json; het blijft ingetrokken." in checked.stdout
    )
    result = build(decisions, out, "--report", str(tmp_path / "r.json"))
    assert result.returncode == 1, result.stdout
    assert "INGETROKKEN  pakket-nieuw (2024-0001) per 2024-06-01" in result.stdout
    assert "is ingetrokken" in (out / PAGE).read_text() and "Hele besluit bevat fouten" in (out / PAGE).read_text()
    assert sorted(p.name for p in (out / "besluit/2024-0001").iterdir()) == ["index.html"]
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["withdrawn"][0]["package"] == "pakket-nieuw" and report["refused"][0]["online"] == "ingetrokken"


def test_an_older_approval_put_back_is_refused_and_the_newer_version_stays_online(published, decisions, tmp_path):
    import datetime as dt

    pkg, out = published
    v1 = tmp_path / "v1"
    shutil.copytree(pkg, v1)
    write_pdf(pkg / "documenten/1.pdf", ["# Verslag", "Versie twee GELAKT."])
    later = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(hours=1)
    approve(pkg, now=later)
    assert build(decisions, out).returncode == 0
    assert "GELAKT" in pdf_text(out / "besluit/2024-0001/document-1.pdf")
    v2_pdf = (out / "besluit/2024-0001/document-1.pdf").read_bytes()
    for name in ("documenten/1.pdf", "goedkeuring.json"):  # v1 and its (validly signed) approval, from a backup
        shutil.copyfile(v1 / name, pkg / name)
    checked = check(decisions)
    assert checked.returncode == 1
    assert (
        "BEHOUDEN    pakket (2024-0001): de huidige versie wordt NIET gepubliceerd (oudere goedkeuring dan de gepubliceerde "
        "versie: opnieuw goedkeuren nodig)" in checked.stdout
    )
    assert "pakket/goedkeuring.json: dit is een oudere goedkeuring (ondertekend " in checked.stdout
    assert f"laat het pakket dan opnieuw goedkeuren met: woo-publish approve {pkg}" in checked.stdout
    result = build(decisions, out, "--report", str(tmp_path / "r.json"))
    assert result.returncode == 1
    assert "BEHOUDEN     pakket (2024-0001)" in result.stdout
    assert (out / "besluit/2024-0001/document-1.pdf").read_bytes() == v2_pdf
    assert (
        json.loads((tmp_path / "r.json").read_text())["kept"][0]["reden"]
        == "oudere goedkeuring dan de gepubliceerde versie: opnieuw goedkeuren nodig"
    )
    # The same old version under another folder name (the approval does not name the folder): still refused.
    shutil.rmtree(pkg)
    shutil.copytree(v1, decisions / "pakket-oud")
    result = build(decisions, out)
    assert result.returncode == 1 and "GEWEIGERD    pakket-oud:" in result.stdout and "oudere goedkeuring" in result.stdout
    assert not (out / "besluit/2024-0001/document-1.pdf").exists()
    # Approved anew, on purpose: published.
    approve(decisions / "pakket-oud", now=later + dt.timedelta(hours=1))
    checked = check(decisions)  # the folder was renamed (same kenmerk, same address): no false 'verdwijnt'
    assert checked.returncode == 0 and "VERDWIJNT" not in checked.stdout, checked.stdout
    result = build(decisions, out)
    assert "GEPUBLICEERD pakket-oud (2024-0001)" in result.stdout
    assert "OORSPRONKELIJK" in pdf_text(out / "besluit/2024-0001/document-1.pdf")


def test_an_approval_names_its_decision_and_cannot_be_moved_to_another(make_package, decisions, tmp_path):
    first = make_package("eerste")
    approve(first)
    record = json.loads((first / "goedkeuring.json").read_text())
    assert record["formaat"] == 3 and record["kenmerk"] == "2024-0001" and record["type"] == "woo-besluit"
    # Same files, another kenmerk: besluit.md differs, and the approval says which decision it was for.
    second = make_package("tweede", meta={"kenmerk": "2024-0002"})
    for rel in ("documenten/1.pdf", "documenten/2.pdf", "besluit.pdf", "inventaris.csv"):
        shutil.copyfile(first / rel, second / rel)
    shutil.copyfile(first / "goedkeuring.json", second / "goedkeuring.json")
    # The kenmerk taken out of the record (a format-2 look-alike): the signature no longer matches.
    third = make_package("derde", meta={"kenmerk": "2024-0003"})
    approve(third)
    stripped = json.loads((third / "goedkeuring.json").read_text())
    del stripped["kenmerk"], stripped["type"]
    stripped["formaat"] = 2
    (third / "goedkeuring.json").write_text(json.dumps(stripped))
    result = build(decisions, tmp_path / "site")
    assert result.returncode == 1
    assert "GEPUBLICEERD eerste (2024-0001)" in result.stdout
    assert (
        "tweede/goedkeuring.json: de goedkeuring is gegeven voor kenmerk '2024-0001' (woo-besluit), maar dit pakket heeft "
        "kenmerk '2024-0002' (woo-besluit)" in result.stdout
    )
    assert (
        "derde/goedkeuring.json: de goedkeuring is niet geldig ondertekend (handtekening 1: de handtekening klopt niet"
        in result.stdout
    )
    assert sorted(p.name for p in (tmp_path / "site" / "besluit").iterdir()) == ["2024-0001"]


def test_a_withdrawn_documents_file_cannot_return_under_another_number(published, make_package, decisions, tmp_path):
    pkg, out = published
    withdraw(pkg, "--document", "2", "--reden", "Naam zichtbaar")
    assert build(decisions, out).returncode == 0
    leak = (pkg / "documenten/2.pdf").read_bytes()
    # In the same package, as a new row 4 with the same bytes: approve refuses, a build keeps the approved version.
    inventory = (pkg / "inventaris.csv").read_text().rstrip("\n") + "\n4,Kopie,2024-01-20,openbaar,,documenten/4.pdf\n"
    (pkg / "inventaris.csv").write_text(inventory)
    (pkg / "documenten/4.pdf").write_bytes(leak)
    refused = run("approve", str(pkg), "--sleutel", str(DEMO_KEY), "--config", str(ROOT / "mkdocs.yml"))
    assert refused.returncode == 1 and "Niet goedgekeurd" in refused.stdout
    assert "documenten/4.pdf: dit bestand is hetzelfde als document 2, dat is ingetrokken" in refused.stdout
    approve(pkg)  # signed anyway, bypassing the command's checks
    result = build(decisions, out)
    assert result.returncode == 1 and "BEHOUDEN     pakket (2024-0001)" in result.stdout
    assert not (out / "besluit/2024-0001/document-4.pdf").exists() and not (out / "besluit/2024-0001/document-2.pdf").exists()
    # In another decision: the archive remembers the file by its SHA-256.
    other = make_package("ander", meta={"kenmerk": "2024-0009"})
    (other / "documenten/1.pdf").write_bytes(leak)
    approve(other)
    result = build(decisions, out)
    assert "GEWEIGERD    ander:" in result.stdout
    assert (
        "ander/documenten/1.pdf: dit bestand is hetzelfde als document 2 van besluit 2024-0001, dat op 2024-06-01 is ingetrokken"
        in result.stdout
    )
    assert not (out / "besluit/2024-0009").exists()


def test_a_damaged_decision_record_in_the_archive_refuses_the_package(published, decisions, tmp_path):
    pkg, out = published
    withdraw(pkg, "--document", "2", "--reden", "Naam zichtbaar")
    assert build(decisions, out).returncode == 0
    records = list((tmp_path / ".woo-archief" / "besluiten").glob("*.json"))
    assert len(records) == 1
    for content in ("{niet: json\x00", '{"intrekkingen": [{"soort": "besluit ingetrokken", "datum": 5}]}', "[]"):
        records[0].write_text(content)
        checked = check(decisions)
        assert (
            checked.returncode == 1 and "zijn beschadigd; of dit besluit (of een document ervan) is ingetrokken" in checked.stdout
        )
        assert "Traceback" not in checked.stderr


# -- signed approvals ------------------------------------------------------------------------------------------------


def test_signed_approval_accepted_unsigned_and_forged_refused(make_package, decisions, tmp_path):
    good = make_package("goed", meta={"kenmerk": "A-1"})
    approve(good)
    handmade = make_package("handgeschreven", meta={"kenmerk": "A-2"})
    from publish.approval import current_hashes

    (handmade / "goedkeuring.json").write_text(
        json.dumps({"goedgekeurd_door": "iemand", "goedgekeurd_op": "nooit", "bestanden": current_hashes(handmade)})
    )
    forged = make_package("vervalst", meta={"kenmerk": "A-3"})
    approve(forged)
    record = json.loads((forged / "goedkeuring.json").read_text())
    record["handtekeningen"][0]["door"] = "directeur@gemeente.nl"  # claims another signer
    (forged / "goedkeuring.json").write_text(json.dumps(record))
    swapped = make_package("andere-bestanden", meta={"kenmerk": "A-4"})
    approve(swapped)
    record = json.loads((swapped / "goedkeuring.json").read_text())
    (swapped / "documenten/1.pdf").write_bytes((swapped / "documenten/2.pdf").read_bytes())
    record["bestanden"] = current_hashes(swapped)  # hashes edited to match, signature kept
    (swapped / "goedkeuring.json").write_text(json.dumps(record))
    stranger = make_package("onbekende-sleutel", meta={"kenmerk": "A-5"})
    other = new_key(tmp_path / "keys", "vreemde")
    signers = tmp_path / "eigen-lijst"
    signers.write_text(f"vreemde@x.nl {' '.join(Path(str(other) + '.pub').read_text().split()[:2])}\n")
    approve(stranger, key=other, signers=signers)  # signed, but with a key the site does not trust

    out = tmp_path / "site"
    result = build(decisions, out)
    assert result.returncode == 1
    assert "GEPUBLICEERD goed (A-1)" in result.stdout
    for name in ("handgeschreven", "vervalst", "andere-bestanden", "onbekende-sleutel"):
        assert f"GEWEIGERD    {name}:" in result.stdout
    assert (
        "handgeschreven/goedkeuring.json: de goedkeuring is niet geldig ondertekend (de goedkeuring is niet ondertekend)."
        in result.stdout
    )
    assert (
        "vervalst/goedkeuring.json: de goedkeuring is niet geldig ondertekend (handtekening 1: de handtekening klopt niet"
        in result.stdout
    )
    assert "andere-bestanden/goedkeuring.json: de goedkeuring is niet geldig ondertekend" in result.stdout
    assert "onbekende-sleutel/goedkeuring.json: de goedkeuring is niet geldig ondertekend" in result.stdout
    assert sorted(p.name for p in (out / "besluit").iterdir()) == ["a-1"]
    checked = check(decisions)
    assert (
        "BLIJFT WEG  handgeschreven (A-2): wordt niet gepubliceerd: de goedkeuring is niet geldig ondertekend." in checked.stdout
    )
    assert checked.returncode == 1


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe\x00",
        b"[]",
        b'{"bestanden": {"a": 1}}',
        b"{" * 100000,
        b'{"bestanden": {}, "handtekeningen": [{"door": "a\\u0007b\\nc", "op": 5, "handtekening": "x"}]}',
    ],
)
def test_malformed_approval_records_are_refused_with_a_dutch_message(make_package, decisions, tmp_path, content):
    pkg = make_package()
    approve(make_package("ander", meta={"kenmerk": "2024-0009"}))
    (pkg / "goedkeuring.json").write_bytes(content)
    result = build(decisions, tmp_path / "site")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "GEWEIGERD    pakket:" in result.stdout and "GEPUBLICEERD ander (2024-0009)" in result.stdout
    assert "Traceback" not in result.stderr


def test_approve_signs_with_the_key_and_refuses_an_unknown_one(cli, make_package, decisions, tmp_path):
    pkg = make_package()
    stranger = new_key(tmp_path / "keys", "vreemde")
    result = run("approve", str(pkg), "--sleutel", str(stranger), "--config", str(ROOT / "mkdocs.yml"))
    assert result.returncode == 1
    assert "staat niet in het bestand met toegestane ondertekenaars" in result.stdout
    assert not (pkg / "goedkeuring.json").exists()
    open_key = tmp_path / "open-sleutel"
    shutil.copyfile(DEMO_KEY, open_key)
    os.chmod(open_key, 0o644)
    result = run("approve", str(pkg), "--sleutel", str(open_key), "--config", str(ROOT / "mkdocs.yml"))
    assert result.returncode == 1 and "chmod 600" in result.stdout
    env = dict(os.environ, WOO_PUBLISH_SLEUTEL=str(DEMO_KEY))
    result = run("approve", str(pkg), "--config", str(ROOT / "mkdocs.yml"), env=env)
    assert result.returncode == 0, result.stdout
    assert check(decisions).returncode == 0


def test_four_eyes_needs_two_distinct_keys(make_package, decisions, tmp_path):
    marie, piet = new_key(tmp_path / "keys", "marie"), new_key(tmp_path / "keys", "piet")
    config, _ = own_config(tmp_path, [("marie@gemeente.nl", marie), ("piet@gemeente.nl", piet)], vier_ogen=True)
    pkg = make_package()
    first = run("approve", str(pkg), "--sleutel", str(marie), "--config", str(config))
    assert first.returncode == 0, first.stdout
    assert "Vier ogen: het wordt pas gepubliceerd als een tweede persoon het ook goedkeurt" in first.stdout
    checked = check(decisions, config=config)
    assert checked.returncode == 1
    assert (
        "BLIJFT WEG  pakket (2024-0001): wordt niet gepubliceerd: de tweede goedkeuring (vier ogen) ontbreekt." in checked.stdout
    )
    again = run("approve", str(pkg), "--sleutel", str(marie), "--config", str(config))
    assert again.returncode == 1 and "heeft deze versie van pakket al goedgekeurd" in again.stdout
    # The same signature pasted twice does not count as two either.
    record = json.loads((pkg / "goedkeuring.json").read_text())
    record["handtekeningen"] *= 2
    (pkg / "goedkeuring.json").write_text(json.dumps(record))
    assert check(decisions, config=config).returncode == 1
    record["handtekeningen"] = record["handtekeningen"][:1]
    (pkg / "goedkeuring.json").write_text(json.dumps(record))
    second = run("approve", str(pkg), "--sleutel", str(piet), "--config", str(config))
    assert second.returncode == 0 and "Goedgekeurd: pakket (2024-0001)." in second.stdout
    record = json.loads((pkg / "goedkeuring.json").read_text())
    assert [s["door"] for s in record["handtekeningen"]] == ["marie@gemeente.nl", "piet@gemeente.nl"]
    assert check(decisions, config=config).returncode == 0
    result = build(decisions, tmp_path / "site", config=config)
    assert result.returncode == 0, result.stdout
    assert "marie" not in all_text(tmp_path / "site") and "piet@" not in all_text(tmp_path / "site")


# -- signed change history -------------------------------------------------------------------------------------------


def test_hand_written_history_entry_is_refused(published, decisions, tmp_path):
    pkg, out = published
    (pkg / "wijzigingen.json").write_text(
        json.dumps(
            {
                "wijzigingen": [
                    {
                        "datum": "2024-05-30",
                        "soort": "document vervangen",
                        "document": "1",
                        "titel": "Verslag",
                        "reden": "HANDGESCHREVEN reden",
                    }
                ]
            }
        )
    )
    result = build(decisions, out)
    assert result.returncode == 1
    assert (
        "wijzigingen.json bevat wijzigingen die niet geldig ondertekend zijn: wijziging 1 (document vervangen 1, 2024-05-30): "
        "niet ondertekend" in result.stdout
    )
    assert "BEHOUDEN     pakket (2024-0001)" in result.stdout
    assert "HANDGESCHREVEN" not in all_text(out)
    # A hand-written withdrawal does not take anything offline either.
    (pkg / "wijzigingen.json").write_text(
        json.dumps(
            {
                "wijzigingen": [
                    {"datum": "2024-05-30", "soort": "besluit ingetrokken", "document": None, "titel": "", "reden": "VALS"}
                ]
            }
        )
    )
    result = build(decisions, out)
    assert "INGETROKKEN" not in result.stdout and "VALS" not in all_text(out)
    assert (out / "besluit/2024-0001/document-1.pdf").is_file()
    # ... nor does it stop the real, signed withdrawal ("was al ingetrokken").
    result = run(
        "withdraw",
        str(pkg),
        "--reden",
        "Echte intrekking",
        "--datum",
        "2024-06-01",
        "--sleutel",
        str(DEMO_KEY),
        "--config",
        str(ROOT / "mkdocs.yml"),
    )
    assert result.returncode == 0 and "Ingetrokken: het hele besluit" in result.stdout
    result = build(decisions, out)
    assert "INGETROKKEN  pakket (2024-0001) per 2024-06-01" in result.stdout
    assert "Echte intrekking" in (out / PAGE).read_text() and "VALS" not in all_text(out)


def test_signed_withdrawal_cannot_be_copied_to_another_decision(published, make_package, decisions, tmp_path):
    pkg, out = published
    other = make_package("ander", meta={"kenmerk": "2024-0009", "titel": "Ander besluit"})
    approve(other)
    assert (
        run(
            "withdraw",
            str(pkg),
            "--reden",
            "Juist ingetrokken",
            "--datum",
            "2024-06-01",
            "--sleutel",
            str(DEMO_KEY),
            "--config",
            str(ROOT / "mkdocs.yml"),
        ).returncode
        == 0
    )
    shutil.copyfile(pkg / "wijzigingen.json", other / "wijzigingen.json")
    result = build(decisions, out)
    assert "INGETROKKEN  pakket (2024-0001)" in result.stdout
    assert "INGETROKKEN  ander" not in result.stdout
    assert "ander/wijzigingen.json: wijzigingen.json bevat wijzigingen die niet geldig ondertekend zijn" in result.stdout


def test_signed_withdrawal_of_a_document_takes_effect_at_once(published, decisions, tmp_path):
    pkg, out = published
    result = run(
        "withdraw",
        str(pkg),
        "--document",
        "2",
        "--reden",
        "Naam zichtbaar",
        "--datum",
        "2024-06-01",
        "--sleutel",
        str(DEMO_KEY),
        "--config",
        str(ROOT / "mkdocs.yml"),
    )
    assert result.returncode == 0, result.stdout
    entry = json.loads((pkg / "wijzigingen.json").read_text())["wijzigingen"][0]
    assert entry["ondertekening"]["door"] == "demo-ondertekenaar@voorbeeld.invalid"
    result = build(decisions, out)
    assert result.returncode == 0, result.stdout
    assert not (out / "besluit/2024-0001/document-2.pdf").exists()
    # Someone then edits the reason by hand: the entry no longer verifies, the approved state stays online
    # from the archive with the signed history it had.
    data = json.loads((pkg / "wijzigingen.json").read_text())
    data["wijzigingen"][0]["reden"] = "ANDERE REDEN"
    (pkg / "wijzigingen.json").write_text(json.dumps(data))
    result = build(decisions, out)
    assert "de handtekening klopt niet" in result.stdout
    assert "ANDERE REDEN" not in all_text(out)


# -- unsigned trial mode and a missing ssh-keygen --------------------------------------------------------------------


def test_unsigned_mode_is_explicit_and_every_build_says_so(make_package, decisions, tmp_path):
    config, _ = own_config(tmp_path, None, ongetekend=True)
    pkg = make_package()
    result = run(
        "approve",
        str(pkg),
        "--config",
        str(config),
        env={k: v for k, v in os.environ.items() if k != "WOO_PUBLISH_SLEUTEL"} | {"HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout
    assert "ongetekende goedkeuringen staan aan" in result.stdout
    result = build(decisions, tmp_path / "site", config=config)
    assert result.returncode == 0, result.stdout
    assert "WAARSCHUWING mkdocs.yml, extra.woo.ongetekend: ongetekende goedkeuringen worden geaccepteerd" in result.stdout
    # Without the setting, and without an allowed-signers file, nothing can be verified: a clear configuration error.
    config, _ = own_config(tmp_path, None)
    result = build(decisions, tmp_path / "site", config=config)
    assert result.returncode == 2
    assert "extra.woo.ondertekenaars: er is geen bestand met toegestane ondertekenaars ingesteld" in result.stderr + result.stdout


def test_missing_ssh_keygen_gives_a_dutch_message(make_package, decisions, tmp_path):
    approve(make_package())
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("vorige site")
    env = dict(os.environ, PATH=str(tmp_path / "leeg"))
    result = build(decisions, out, env=env)
    assert result.returncode == 2
    assert "het programma 'ssh-keygen' (OpenSSH) is niet gevonden" in result.stderr
    assert "sudo apt install openssh-client" in result.stderr
    assert (out / "index.html").read_text() == "vorige site"
    checked = run("check", str(decisions), "--config", str(ROOT / "mkdocs.yml"), env=env)
    assert checked.returncode == 1 and "ssh-keygen" in checked.stdout


def test_demo_signers_file_is_marked_and_named_in_mkdocs_yml():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert (ROOT / config["extra"]["woo"]["ondertekenaars"]).resolve() == DEMO_SIGNERS.resolve()
    assert "NOOIT VOOR ECHT GEBRUIKEN" in (DEMO_SIGNERS.parent / "README.md").read_text()
    assert "DEMO-SLEUTEL-NIET-GEBRUIKEN" in DEMO_SIGNERS.read_text()


def test_check_names_the_embargo_date(make_package, decisions):
    approve(make_package(meta={"publicatie_datum": "2024-07-01"}))
    result = check(decisions)
    assert result.returncode == 0, result.stdout  # nothing to fix: it waits for its date
    assert "EMBARGO     pakket (2024-0001): blijft van de site tot 2024-07-01 (publicatiedatum)." in result.stdout
    assert "Het pakket is in orde; 1 pakket wacht op de publicatiedatum." in result.stdout
    assert "Los de problemen" not in result.stdout


@pytest.mark.parametrize(
    "content",
    [
        "",
        "# alleen commentaar\n",
        "onzin\x00\x07 regel zonder sleutel\n" * 500,
        "demo-ondertekenaar@voorbeeld.invalid ssh-ed25519 AAAAgeenbase64!!\n",
    ],
)
def test_malformed_allowed_signers_file_refuses_approvals_without_crashing(make_package, decisions, tmp_path, content):
    approve(make_package())
    config, allowed = own_config(tmp_path, [])
    allowed.write_text(content)
    result = build(decisions, tmp_path / "site", config=config)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "pakket/goedkeuring.json: de goedkeuring is niet geldig ondertekend" in result.stdout
    assert "Traceback" not in result.stderr


def test_garbage_next_to_a_valid_signer_line_is_skipped(make_package, decisions, tmp_path):
    approve(make_package())
    config, allowed = own_config(tmp_path, [])
    allowed.write_text("rommel\n\x01\x02\n" + DEMO_SIGNERS.read_text())
    result = build(decisions, tmp_path / "site", config=config)
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_allowed_signers_file_stops_the_build_and_keeps_the_site(make_package, decisions, tmp_path):
    approve(make_package())
    config, allowed = own_config(tmp_path, [])
    allowed.unlink()
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("vorige site")
    result = build(decisions, out, config=config)
    assert result.returncode == 2
    assert (
        "extra.woo.ondertekenaars: het bestand met toegestane ondertekenaars 'ondertekenaars.txt' bestaat niet" in result.stderr
    )
    assert (out / "index.html").read_text() == "vorige site"


def test_a_new_approval_in_the_same_second_still_counts_as_newer(published, decisions):
    """Signing times are kept to the second: editing and approving again within the second after the
    published approval must not be refused as an older approval put back (goedkeuring.ouder)."""
    import datetime as dt

    from publish.approval import read_record, write_approval

    pkg, out = published
    first = read_record(pkg)["handtekeningen"][-1]["op"]
    (pkg / "besluit.md").write_text(
        (pkg / "besluit.md").read_text().replace("Samenvatting van het besluit.", "Samenvatting NIEUW.")
    )
    write_approval(pkg, DEMO_KEY, DEMO_SIGNERS, now=dt.datetime.fromisoformat(first))  # the very same second
    second = read_record(pkg)["handtekeningen"][-1]["op"]
    assert dt.datetime.fromisoformat(second) == dt.datetime.fromisoformat(first) + dt.timedelta(seconds=1)
    result = build(decisions, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "goedkeuring.ouder" not in result.stdout and "oudere goedkeuring" not in result.stdout


def test_a_copy_of_a_published_decision_cannot_take_its_address_while_the_original_cannot_be_read(published, decisions, tmp_path):
    """New-user round 11: the published package is copied to another folder and approved there, and the original's
    besluit.md no longer reads (so the original claims no kenmerk in evaluate). Before, the copy was published and the
    original's archived version went offline: a "tijdelijk niet beschikbaar" notice on the copy's own address, its
    documents online beside it. Now the original stays online at its archived version and the copy is refused."""
    pkg, out = published
    copy = decisions / "pakket-kopie"
    shutil.copytree(pkg, copy)
    (copy / "goedkeuring.json").unlink()
    approve(copy)
    (pkg / "besluit.md").write_text("---\nkenmerk: [niet: gesloten\n---\n")
    result = build(decisions, out)
    assert result.returncode == 1, result.stdout
    assert "BEHOUDEN     pakket (2024-0001)" in result.stdout
    assert "GEWEIGERD    pakket-kopie" in result.stdout
    assert "is van het besluit in pakket pakket, dat gepubliceerd is en online blijft" in result.stdout
    page = (out / PAGE).read_text()
    assert "tijdelijk niet beschikbaar" not in page and "2024-0001" in page
    assert (out / "besluit/2024-0001/document-1.pdf").is_file()


def test_a_small_order_key_in_the_signers_file_stops_the_build_and_names_the_line(make_package, decisions, tmp_path):
    """A signers line with a small-order Ed25519 key (the neutral point: any signature holds for it, in ssh-keygen too)
    is a settings error naming the file, the line and the person, with the fix; the live site stays as it was."""
    import base64

    approve(make_package())
    config, allowed = own_config(tmp_path, [])
    blob = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + bytes.fromhex("01" + "00" * 31)
    allowed.write_text(DEMO_SIGNERS.read_text() + f"mallory@voorbeeld.invalid ssh-ed25519 {base64.b64encode(blob).decode()}\n")
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("vorige site")
    result = build(decisions, out, config=config)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = len(DEMO_SIGNERS.read_text().splitlines()) + 1
    assert (
        f"extra.woo.ondertekenaars: regel {lines} van het bestand met toegestane ondertekenaars 'ondertekenaars.txt' "
        "(mallory@voorbeeld.invalid) heeft een Ed25519-sleutel die bij elke handtekening past" in result.stderr
    )
    assert "Haal deze regel uit het bestand" in result.stderr
    assert (out / "index.html").read_text() == "vorige site"
