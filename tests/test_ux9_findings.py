"""Leftovers of a new-user test (round ux9): an address whose local part was blacked out, a broken besluit.md
header, Dutch comments from ``woo-publish headers``. Each test runs the real detector or the installed
``woo-publish`` and asserts on its findings, output and exit status."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from publish.gate.personal_data import find_personal_data

from support import DEMO_KEY, DEMO_SIGNERS, ROOT, PackageMaker, approve, run_cli

# -- 1. a domain whose local part was blacked out is no one's e-mail address ------------------------------------
DOMAIN_ONLY = [
    "Mail [5.1.2.e]@minvws.nl voor vragen.",  # the redaction's code in brackets
    "Mail 5.1.2.e@minvws.nl voor vragen.",  # the code as text extraction reads it from the box
    "Van: 5.1.2e @minvws.nl",
    "Aan: 10.2.e@minvws.nl",  # a Wob ground
    "Stuur een e-mail naar @example.nl voor een afspraak.",  # the blacked-out part left no text, only its space
    "Stuur een e-mail\n@example.nl",  # the same, wrapped
    "Mail xxxxx@example.nl",  # the local part typed over with x's
]


@pytest.mark.parametrize("text", DOMAIN_ONLY)
def test_a_domain_without_its_local_part_is_no_personal_address(text):
    assert [item for item in find_personal_data(text, 1) if item.kind == "email"] == []


REAL_ADDRESSES = [
    ("Mail j.jansen@minvws.nl voor vragen.", "j***@minvws.nl"),
    ("Mail jan @example.nl voor vragen.", "j***@example.nl"),  # a name before a spaced '@' is still an address
    ("Mail j.jansen @ gmail.com graag.", "j***@gmail.com"),
    ("Mail naar@example.nl graag.", "n***@example.nl"),  # glued to '@': the word is the local part
    ("Mail 5.1.2.e.jansen@minvws.nl graag.", "5***@minvws.nl"),  # a code followed by a name
    ("Mail 5.1.3@minvws.nl graag.", "5***@minvws.nl"),  # no refusal ground
    ("Mail [5.1.2.e] jan@minvws.nl graag.", "j***@minvws.nl"),  # a code, then an address left readable
]


@pytest.mark.parametrize("text,masked", REAL_ADDRESSES)
def test_a_real_address_next_to_a_redaction_is_still_found(text, masked):
    assert [item.masked for item in find_personal_data(text, 1) if item.kind == "email"] == [masked]


def test_check_accepts_a_document_with_a_blacked_out_local_part_and_refuses_a_real_address(
    tmp_path, decisions, make_package, cli
):
    remnant = ["# Document 1", "Reacties graag naar [5.1.2.e]@minvws.nl of mail naar @minvws.nl."]
    pkg = make_package("pakket", pdf_text={"documenten/1.pdf": remnant})
    approve(pkg)
    result = cli("check", str(decisions), "--cache", str(tmp_path / "c"), "--vandaag", "2024-06-01")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "e-mailadres" not in result.stdout

    leak = ["# Document 1", "Reacties graag naar [5.1.2.e]@minvws.nl of mail j.jansen@minvws.nl."]
    pkg = make_package("pakket", pdf_text={"documenten/1.pdf": leak})
    approve(pkg)
    result = cli("check", str(decisions), "--cache", str(tmp_path / "c"), "--vandaag", "2024-06-01")
    assert result.returncode == 1
    assert "e-mailadres" in result.stdout and "j***@minvws.nl" in result.stdout, result.stdout
    assert "documenten/1.pdf" in result.stdout


# -- 2. a broken besluit.md header: what is wrong with it, without misleading extra problems -------------------------
PHONE_IN_PDF = {"documenten/1.pdf": ["# Document 1", "Bel 070 123 4567 voor vragen."]}


def _broken_header(make_package, old: str, new: str, allowed=("070 123 4567",)):
    extra = {"toegestane_gegevens": list(allowed)} if allowed else None
    pkg = make_package("pakket", extra_meta=extra, pdf_text=PHONE_IN_PDF)
    text = (pkg / "besluit.md").read_text(encoding="utf-8")
    assert old in text
    (pkg / "besluit.md").write_text(text.replace(old, new), encoding="utf-8")
    return pkg


def _check(cli, decisions, tmp_path):
    return cli("check", str(decisions), "--cache", str(tmp_path / "c"), "--vandaag", "2024-06-01")


def test_broken_header_still_honours_the_allowed_values_and_names_the_line(tmp_path, decisions, make_package, cli):
    _broken_header(make_package, "titel: Verzoek over vergaderstukken", "titel: Verzoek: over vergaderstukken")
    result = _check(cli, decisions, tmp_path)
    out = result.stdout
    assert result.returncode == 1
    assert (
        "FOUT pakket/besluit.md, regel 3: de kop (YAML) kan niet gelezen worden: er staat een dubbele punt (:) in een waarde, op de regel van veld 'titel'."
        in out
    )
    assert 'Oplossing: Zet een tekst met een dubbele punt tussen aanhalingstekens, bijvoorbeeld titel: "' in out
    assert "telefoonnummer" not in out, out  # the allowed number in the PDF is no problem
    # No misleading extra problems: the header, and the missing approval (listed in the same run since ux10).
    assert [line for line in out.splitlines() if line.startswith("FOUT ")] == [
        "FOUT pakket/besluit.md, regel 3: de kop (YAML) kan niet gelezen worden: er staat een dubbele punt (:) in een waarde, op de regel van veld 'titel'.",
        "FOUT pakket/goedkeuring.json: het pakket is niet goedgekeurd: er is geen goedkeuring.",
    ], out
    assert "met de waarden onder 'toegestane_gegevens' als toegestaan" in out


def test_broken_header_without_allowed_values_still_reports_personal_data(tmp_path, decisions, make_package, cli):
    _broken_header(make_package, "titel: Verzoek over vergaderstukken", "titel: Verzoek: over vergaderstukken", allowed=())
    out = _check(cli, decisions, tmp_path).stdout
    assert "FOUT pakket/documenten/1.pdf, pagina 1: de tekst bevat een telefoonnummer: 07* *** ***7." in out, out


def test_unreadable_allowed_values_leave_personal_data_in_pdfs_unjudged_and_say_so(tmp_path, decisions, make_package, cli):
    _broken_header(make_package, "- 070 123 4567", "- [070 123 4567")
    result = _check(cli, decisions, tmp_path)
    out = result.stdout
    assert result.returncode == 1
    assert "FOUT pakket/besluit.md, regel " in out
    assert "telefoonnummer" not in out, out
    assert "persoonsgegevens in de pdf's (de lijst 'toegestane_gegevens' kon niet gelezen worden)" in out
    assert "de pdf's in het pakket (leesbaarheid)." in out


# -- 3. the docs say what the code does: withdrawn documents in the DiWoo sitemap, four eyes switched on later ------
def _docs(name: str) -> str:
    return " ".join((ROOT / "docs" / name).read_text(encoding="utf-8").split())


def test_handleiding_states_how_long_a_withdrawn_document_stays_in_the_diwoo_sitemap_and_with_what():
    from publish.diwoo import WITHDRAWN
    from publish.history import DIWOO_NOTICE_DAYS

    text = _docs("handleiding.md")
    assert f"{DIWOO_NOTICE_DAYS} dagen na de datum van intrekking" in text
    assert "`redenVerwijderingVervanging`" in text and f'"{WITHDRAWN[1]}"' in text
    assert "uit de zoekfunctie, de downloads, de open data en `sitemap.xml`" in text  # not "de sitemaps": DiWoo keeps it


def _two_signers_site(tmp_path: Path):
    site = tmp_path / "site-bron"
    site.mkdir()
    second = tmp_path / "tweede"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", str(second)], check=True)
    public = second.with_suffix(".pub").read_text().split()
    signers = DEMO_SIGNERS.read_text() + f"tweede@voorbeeld.invalid {public[0]} {public[1]}\n"
    (site / "ondertekenaars.txt").write_text(signers)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("ondertekenaars: demo/sleutels/toegestane-ondertekenaars", "ondertekenaars: ondertekenaars.txt")
    (site / "mkdocs.yml").write_text(config, encoding="utf-8")
    return site, PackageMaker(site / "decisions"), second


@pytest.mark.slow
def test_four_eyes_switched_on_later_takes_single_signed_decisions_offline_until_a_second_person_co_signs(tmp_path):
    """What docs/beheer.md ('Vier ogen later aanzetten') tells the administrator, step by step."""
    site, make, second = _two_signers_site(tmp_path)
    pkg = make("pakket")
    approve(pkg, signers=site / "ondertekenaars.txt")
    assert run_cli("build", "--out", "site", "--vandaag", "2024-06-01", cwd=site).returncode == 0
    config = (site / "mkdocs.yml").read_text().replace("# vier_ogen: true", "vier_ogen: true")
    (site / "mkdocs.yml").write_text(config)

    checked = run_cli("check", "--vandaag", "2024-06-02", cwd=site)
    assert checked.returncode == 1
    assert "OFFLINE     pakket (2024-0001)" in checked.stdout and "de tweede goedkeuring (vier ogen) ontbreekt" in checked.stdout

    cosigned = run_cli("approve", "decisions/pakket", "--sleutel", str(second), cwd=site)
    assert cosigned.returncode == 0 and "Goedgekeurd: pakket (2024-0001)." in cosigned.stdout, cosigned.stdout
    assert "Wijziging vastgelegd" not in cosigned.stdout and not (pkg / "wijzigingen.json").exists()
    again = run_cli("approve", "decisions/pakket", "--sleutel", str(DEMO_KEY), cwd=site)
    assert again.returncode == 1 and "heeft deze versie van pakket al goedgekeurd" in again.stdout
    checked = run_cli("check", "--vandaag", "2024-06-02", cwd=site)
    assert checked.returncode == 0 and "OK          pakket (2024-0001)" in checked.stdout, checked.stdout

    text = _docs("beheer.md")
    assert "Bij de eerstvolgende build gaat elk besluit met één handtekening **offline**" in text
    assert "`woo-publish approve decisions/MAP`" in text and "er komt niets in de wijzigingengeschiedenis" in text


# -- 4. `woo-publish headers`: the comments staff read are Dutch ---------------------------------------------------
ENGLISH = ("Generated", "include it", "only from this site", "no inline script", "plus, at most", "refuses to publish")


def test_headers_comments_are_dutch(tmp_path):
    from publish.headers import HEADERS_FILE, headers_file, security_headers

    (tmp_path / HEADERS_FILE).write_text(headers_file(security_headers()), encoding="utf-8")  # as the build writes it
    nginx = run_cli("headers", "--out", str(tmp_path), "--formaat", "nginx")
    netlify = run_cli("headers", "--out", str(tmp_path), "--formaat", "netlify")
    assert nginx.returncode == 0 and netlify.returncode == 0
    assert nginx.stdout.startswith("# Gemaakt door woo-publish uit de gebouwde site; neem deze regels op in het server-blok")
    for out in (nginx.stdout, netlify.stdout):
        comments = "\n".join(line for line in out.splitlines() if line.startswith("#"))
        assert "alleen van deze site zelf" in comments and "geen inline scripts" in comments, comments
        assert not [w for w in ENGLISH if w in comments], comments


# -- 5. the README says what `woo-publish init` makes ---------------------------------------------------------------
def test_readme_names_everything_init_creates(tmp_path):
    result = run_cli("init", str(tmp_path / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    made = sorted(p.name + ("/" if p.is_dir() else "") for p in (tmp_path / "site").iterdir())
    assert made == [".gitignore", "README.md", "decisions/", "docs/", "mkdocs.yml", "ondertekenaars.txt"]
    guides = sorted(p.name for p in (tmp_path / "site" / "docs").iterdir())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = " ".join(readme[readme.index("`init` writes") :].split("\n\n", 1)[0].split())
    row = next(line for line in readme.splitlines() if line.startswith("| `woo-publish init MAP`"))
    for name in made:
        assert f"`{name.rstrip('/')}" in paragraph, name
        assert f"`{name.rstrip('/')}" in row, name
    for guide in guides:
        assert f"`{guide}`" in paragraph, guide
    # What init says and the settings file it writes point at what is there.
    assert "mkdocs.yml, ondertekenaars.txt, decisions/, README.md en de handleidingen in docs/." in result.stdout
    assert "/ondertekenaars.txt wie mag goedkeuren (zonder komt er niets op de site" in result.stdout
    settings = (tmp_path / "site" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "# Meer uitleg: docs/beheer.md in deze map" in settings and "broncode" not in settings


# -- part B: a communications officer's typical mistakes, all reported in one run ----------------------------------
def test_typical_mistakes_are_all_reported_at_once_with_file_field_row_and_fix(tmp_path, decisions, make_package, cli):
    rows = [
        ["1", "Verslag overleg", "2024-01-10", "openbaar", "", "documenten/1.pdf"],
        ["2", "E-mail over planning", "2024-01-12", "deels openbar", "5.1.2.e", "documenten/2.pdf"],
        ["3", "Offerte aannemer", "2024-01-15", "openbaar", "", "documenten/3-bestaat-niet.pdf"],
    ]
    pkg = make_package("pakket", meta={"besluit_datum": "1-5-2024"}, drop=("organisatie",), rows=rows)
    (pkg / "documenten" / "4.pdf").write_bytes((pkg / "documenten" / "1.pdf").read_bytes())  # a file without a row
    result = _check(cli, decisions, tmp_path)
    out = result.stdout
    assert result.returncode == 1
    assert "BLIJFT WEG  pakket (2024-0001): wordt niet gepubliceerd: 6 problemen." in out, out
    expected = [
        "FOUT pakket/besluit.md, veld 'besluit_datum': '1-5-2024' is geen geldige datum.\n"
        "    Oplossing: Schrijf de datum als JJJJ-MM-DD: 2024-05-01 (gelezen als dag-maand-jaar).",
        "FOUT pakket/besluit.md, veld 'organisatie': dit verplichte veld ontbreekt of is leeg.",
        "FOUT pakket/documenten/4.pdf: dit bestand hoort niet bij het pakket",
        "FOUT pakket/inventaris.csv, rij 3, kolom 'beoordeling': 'deels openbar' is geen geldige beoordeling.\n"
        "    Oplossing: Bedoelde u 'deels openbaar'?",
        "FOUT pakket/inventaris.csv, rij 4, kolom 'bestand': het bestand 'documenten/3-bestaat-niet.pdf'",
        "FOUT pakket/goedkeuring.json: het pakket is niet goedgekeurd: er is geen goedkeuring.\n"
        "    Oplossing: Los eerst de andere fouten van dit pakket op en laat het pakket daarna goedkeuren met: woo-publish approve ",
    ]
    for line in expected:
        assert line in out, (line, out)


def test_a_refusal_ending_in_a_command_to_copy_gets_no_full_stop_glued_to_it(make_package, cli):
    pkg = make_package()
    public = f"{DEMO_KEY}.pub"
    result = cli("approve", str(pkg), "--sleutel", public, "--config", str(ROOT / "mkdocs.yml"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith(f"Geef dat bestand: --sleutel {DEMO_KEY}"), lines
    assert lines[1] == "Er is niets vastgelegd.", lines
    assert not (pkg / "goedkeuring.json").exists()


def test_check_says_which_files_were_changed_and_which_added_after_the_approval(tmp_path, decisions, make_package, cli):
    pkg = make_package()
    approve(pkg)
    with (pkg / "besluit.md").open("a", encoding="utf-8") as handle:
        handle.write("Nog een zin.\n")
    (pkg / "concept.docx").write_text("concept")
    out = _check(cli, decisions, tmp_path).stdout
    assert "     besluit.md: gewijzigd na de goedkeuring.\n" in out, out
    assert "     concept.docx: toegevoegd na de goedkeuring.\n" in out, out
    assert "FOUT pakket/concept.docx: dit bestand hoort niet bij het pakket" in out


def test_outcome_written_as_an_inventory_writes_it_and_a_day_that_does_not_exist_get_a_precise_fix(
    tmp_path, decisions, make_package, cli
):
    rows = [
        ["1", "Verslag overleg", "31-06-2024", "openbaar", "", "documenten/1.pdf"],
        ["2", "E-mail over planning", "2024-01-12", "deels openbaar", "5.1.2.e", "documenten/2.pdf"],
    ]
    make_package("pakket", meta={"besluit": "gedeeltelijk"}, rows=rows)
    out = _check(cli, decisions, tmp_path).stdout
    assert (
        "FOUT pakket/besluit.md, veld 'besluit': 'gedeeltelijk' is geen geldige uitkomst.\n"
        "    Oplossing: Bedoelde u 'deels openbaar'? Gebruik een van: openbaar, deels openbaar," in out
    ), out
    assert (
        "FOUT pakket/inventaris.csv, rij 2, kolom 'datum': '31-06-2024' is geen geldige datum.\n"
        "    Oplossing: De datum 31-06-2024 bestaat niet: juni heeft 30 dagen. Controleer de dag en de maand." in out
    ), out


def test_check_outside_the_site_folder_does_not_tell_staff_to_approve_again(tmp_path, decisions, make_package):
    pkg = make_package()
    approve(pkg)
    elsewhere = tmp_path / "ergens"
    elsewhere.mkdir()
    result = run_cli("check", str(decisions), "--vandaag", "2024-06-01", cwd=elsewhere)
    out = result.stdout
    assert result.returncode == 1
    assert "LET OP: er is geen mkdocs.yml gevonden" in out
    assert "FOUT pakket/goedkeuring.json: de goedkeuring is niet geldig ondertekend" in out
    assert "Oplossing: Opnieuw goedkeuren helpt niet: voer de opdracht uit in de map van de site (waar mkdocs.yml staat)" in out
    assert "Laat het pakket (opnieuw) goedkeuren" not in out, out


@pytest.mark.slow
def test_cache_signed_with_another_key_is_reported_in_dutch_without_item_s(tmp_path, decisions, make_package, cli):
    import os

    approve(make_package())
    out, cache = tmp_path / "site", tmp_path / "cache"
    args = ["build", str(decisions), "--out", str(out), "--cache", str(cache), "--vandaag", "2024-06-01"]
    args += ["--config", str(ROOT / "mkdocs.yml")]
    env = dict(os.environ)
    for name in ("een", "twee"):
        env.pop("WOO_CACHE_KEY_FILE", None)
        env["XDG_CONFIG_HOME"] = str(tmp_path / f"config-{name}")  # each its own cache key, made on first use
        result = subprocess.run(
            [str(Path(sys.executable).parent / "woo-publish"), *args], env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"WAARSCHUWING .*cache: \d+ onderdelen in de bouwcache waren niet ondertekend met de sleutel", result.stdout)
    assert "item(s)" not in result.stdout
