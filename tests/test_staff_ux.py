"""What a new staff user tripped over: check reports everything in one run, Dutch command-line texts,
consistent errors and exit statuses, correct Dutch counts and numbers, a new site that points at guides
that exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
    assert "weigeringsgrond nodig" not in out  # the grounds are there; only which law they belong to is unknown


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


# -- click's texts in Dutch ----------------------------------------------------------------------

COMMANDS = ["check", "build", "approve", "withdraw", "init", "headers", "serve"]
ENGLISH = ["Usage:", "Options", "Show this message", "Error:", "Try '", "Missing", "No such", "TEXT", "PATH", "INTEGER"]


@pytest.mark.parametrize("command", [[], *[[c] for c in COMMANDS]], ids=["woo-publish", *COMMANDS])
def test_help_is_dutch_for_every_command(cli, command):
    result = cli(*command, "--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Gebruik: woo-publish") and "Opties:" in out and "-h, --help" in out
    assert "Toon deze hulptekst en stop." in out
    assert not [word for word in ENGLISH if word in out], out


def test_help_of_the_group_lists_its_commands_in_dutch(cli):
    out = cli("--help").stdout
    assert "Gebruik: woo-publish [OPTIES] OPDRACHT [ARGUMENTEN]..." in out and "Opdrachten:" in out
    assert "Toon het versienummer en stop." in out
    assert cli("--version").stdout.startswith("woo-publish, versie ")
    listed = out.split("Opdrachten:", 1)[1]
    assert "..." not in listed, listed  # every command's summary whole, not cut off mid-sentence
    assert sorted(
        line.split()[0] for line in listed.splitlines() if line.startswith("  ") and not line.startswith("   ")
    ) == sorted(COMMANDS)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["build", "--bla"], "Fout: De optie '--bla' bestaat niet."),
        (["build", "--decisons", "x"], "Fout: De optie '--decisons' bestaat niet. Bedoelde u '--decisions'?"),
        (["approve"], "Fout: Ontbrekend argument 'PAKKET'."),
        (["withdraw", "pakket"], "Fout: Ontbrekende optie '--reden'."),
        (["build", "--workers", "0"], "Fout: Ongeldige waarde voor '--workers': 0 ligt niet binnen 1<=x<=64."),
        (["build", "--workers", "veel"], "Fout: Ongeldige waarde voor '--workers': 'veel' is geen geldig getal."),
        (["build", "--engine", "x"], "Fout: Ongeldige waarde voor '--engine': 'x' is geen van 'lokaal', 'dask'."),
        (["build", "--out"], "Fout: De optie '--out' heeft een waarde nodig."),
        (["check", "a", "b"], "Fout: Onverwacht extra argument (b). Staat er een spatie in een pad?"),
        (["publiceer"], "Fout: De opdracht 'publiceer' bestaat niet."),
        (
            ["check", ".", "--vandaag", "morgen"],
            "Fout: Ongeldige waarde voor '--vandaag': 'morgen' is geen datum; schrijf de datum als JJJJ-MM-DD",
        ),
    ],
)
def test_usage_errors_are_dutch_with_exit_two(cli, tmp_path, args, expected):
    result = cli(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    err = result.stderr
    assert expected in err, err
    if "--out" not in args:  # click raises that one without its context: no usage line
        assert "Zie 'woo-publish" in err and "--help' voor uitleg over de opdracht en de opties." in err
    assert not [word for word in ["Usage:", "Error:", "Try '", "No such", "Missing", "Invalid"] if word in err], err


def test_click_speaks_english_again_outside_woo_publish():
    import click
    import click.exceptions
    from click.testing import CliRunner

    from publish.cli import main

    result = CliRunner().invoke(main, ["build", "--bla"])
    assert result.exit_code == 2 and "De optie '--bla' bestaat niet." in result.output
    assert click.exceptions._("Usage:") == "Usage:"


def test_every_click_text_is_translated_or_developer_only():
    """Click's texts are read from its source: an upgrade that adds one fails here until it is translated."""
    import ast

    import click

    from publish.clicknl import CLICK_MODULES, DEVELOPER_ONLY, DUTCH, DUTCH_PLURAL

    found = set()
    folder = Path(click.__file__).parent
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if texts:
                    found.add(texts[0])
                    assert "click." + path.stem in CLICK_MODULES or path.stem == "_winconsole", path
    missing = found - set(DUTCH) - set(DUTCH_PLURAL) - DEVELOPER_ONLY
    assert not missing, f"click texts without a Dutch translation in publish/clicknl.py: {sorted(missing)}"
    for english, dutch in DUTCH.items():  # the placeholders survive the translation
        assert sorted(re.findall(r"\{(\w+)", english)) == sorted(re.findall(r"\{(\w+)", dutch)) or "number_type" in english, (
            english
        )


# -- approve and withdraw: Dutch refusals, documented exit statuses --------------------------------


def _run(*args, cwd=None, env_extra=None, home=None):
    import os
    import subprocess

    from support import ROOT, woo_publish

    env = {k: v for k, v in os.environ.items() if k != "WOO_PUBLISH_SLEUTEL"}
    if home is not None:
        env["HOME"] = str(home)
    env.update(env_extra or {})
    return subprocess.run([str(woo_publish()), *args], cwd=cwd or ROOT, env=env, capture_output=True, text=True, timeout=300)


def _refused(result, verb: str, *expected: str) -> str:
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert f"Niet {verb}: " in result.stdout and "Er is niets vastgelegd." in result.stdout, out
    assert "Oplossing:" in out or "sleutel" in out
    assert "Gebruik:" not in out and "Usage" not in out and "Traceback" not in out, out
    for text in expected:
        assert text in out, out
    return out


def test_approve_without_any_key_explains_in_dutch_with_exit_one(make_package, tmp_path):
    pkg = make_package()
    result = _run("approve", str(pkg), home=tmp_path)
    _refused(result, "goedgekeurd", "er is geen sleutel om mee te ondertekenen", "Oplossing: Geef uw sleutel met --sleutel PAD")
    assert not (pkg / "goedkeuring.json").exists()


@pytest.mark.parametrize("kind", ["ontbreekt", "map", "openbaar", "onzin", "omgeving"])
def test_approve_with_an_unusable_key_is_refused_before_anything_is_checked(make_package, tmp_path, kind):
    from support import DEMO_KEY

    pkg = make_package()
    key = tmp_path / "sleutel"
    env = {}
    if kind == "map":
        key.mkdir()
    elif kind == "openbaar":
        key = tmp_path / "id_ed25519.pub"
        key.write_text(
            DEMO_KEY.with_name(DEMO_KEY.name + ".pub").read_text()
            if DEMO_KEY.with_name(DEMO_KEY.name + ".pub").exists()
            else "ssh-ed25519 AAAA x\n"
        )
        key.chmod(0o600)
    elif kind == "onzin":
        key.write_bytes(b"\x00\x01 dit is geen sleutel\n" * 3)
        key.chmod(0o600)
    args = ["approve", str(pkg), "--sleutel", str(key)]
    if kind == "omgeving":
        env = {"WOO_PUBLISH_SLEUTEL": str(key)}
        args = ["approve", str(pkg)]
    expected = {
        "ontbreekt": f"de sleutel '{key}' bestaat niet",
        "map": "is een map, geen sleutelbestand",
        "openbaar": "is het openbare deel van de sleutel",
        "onzin": "is geen geheime SSH-sleutel",
        "omgeving": "(de sleutel komt uit $WOO_PUBLISH_SLEUTEL)",
    }[kind]
    _refused(_run(*args, env_extra=env, home=tmp_path), "goedgekeurd", expected)
    assert not (pkg / "goedkeuring.json").exists()


def test_approve_an_unknown_package_or_a_file_is_refused_with_a_hint(make_package, decisions):
    from support import DEMO_KEY

    make_package("2024-0001")
    out = _refused(_run("approve", str(decisions / "2024-001"), "--sleutel", str(DEMO_KEY)), "goedgekeurd")
    assert f"het pakket '{decisions / '2024-001'}' bestaat niet." in out and f"Bedoelde u '{decisions / '2024-0001'}'?" in out
    out = _refused(_run("approve", str(decisions / "2024-0001" / "besluit.md"), "--sleutel", str(DEMO_KEY)), "goedgekeurd")
    assert "is een bestand, geen pakket" in out


@pytest.mark.slow
def test_approving_again_renews_and_says_so(make_package):
    from support import DEMO_KEY

    pkg = make_package()
    assert _run("approve", str(pkg), "--sleutel", str(DEMO_KEY)).returncode == 0
    again = _run("approve", str(pkg), "--sleutel", str(DEMO_KEY))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Deze versie was al goedgekeurd; de goedkeuring is vernieuwd." in again.stdout


def test_withdraw_refusals_are_dutch_with_exit_one(make_package, decisions, tmp_path):
    from support import DEMO_KEY

    pkg = make_package()
    reason = ["--reden", "Het document bevatte persoonsgegevens die niet gelakt waren."]
    _refused(_run("withdraw", str(decisions / "pakke"), *reason), "ingetrokken", "bestaat niet", "Bedoelde u")
    (decisions / "leeg").mkdir()
    _refused(_run("withdraw", str(decisions / "leeg"), *reason), "ingetrokken", "is geen pakket: besluit.md ontbreekt.")
    _refused(_run("withdraw", str(pkg), *reason, home=tmp_path), "ingetrokken", "er is geen sleutel om mee te ondertekenen")
    out = _refused(
        _run("withdraw", str(pkg), *reason, "--document", "9", "--sleutel", str(DEMO_KEY)), "ingetrokken", "document 9 staat niet"
    )
    assert "Oplossing: Geef het nummer uit de kolom 'nr' van inventaris.csv, zoals --document 1." in out
    _refused(
        _run("withdraw", str(pkg), "--reden", "Bel 06-12345678", "--sleutel", str(DEMO_KEY)),
        "ingetrokken",
        "de reden bevat persoonsgegevens (een telefoonnummer: 06-*******8)",
    )
    assert not (pkg / "wijzigingen.json").exists()


def test_approve_without_site_settings_exits_two_in_dutch(make_package, tmp_path):
    from support import DEMO_KEY

    pkg = make_package()
    result = _run("approve", str(pkg), "--sleutel", str(DEMO_KEY), cwd=tmp_path)
    assert result.returncode == 2
    assert (
        "FOUT: er is geen mkdocs.yml gevonden" in result.stdout and "Oplossing: voer de opdracht uit in de map" in result.stdout
    )
    assert "Gebruik:" not in result.stdout + result.stderr


# -- counts in correct Dutch, decimal commas -------------------------------------------------------


def test_count_helper_gives_singular_plural_and_thousands():
    from publish.problems import count

    assert count(1, "pakket", "pakketten") == "1 pakket"
    assert count(0, "pakket", "pakketten") == "0 pakketten"
    assert count(12000, "rij", "rijen") == "12.000 rijen"


def test_check_summary_uses_singular_and_plural(cli, make_package, decisions):
    from support import approve

    approve(make_package("a", meta={"kenmerk": "A-1"}))
    out = cli("check", str(decisions)).stdout
    assert "Het pakket wordt gepubliceerd zoals het is." in out and "pakket(ten)" not in out
    assert "     inventaris.csv: 3 rijen gelezen." in out
    approve(make_package("b", meta={"kenmerk": "A-2"}))
    make_package(
        "c", meta={"kenmerk": "A-3", "besluit": "niet openbaar"}, rows=[["1", "Verslag", "", "niet openbaar", "5.2.1", ""]]
    )
    out = cli("check", str(decisions)).stdout
    assert "1 van de 3 pakketten wordt niet gepubliceerd zoals het is." in out
    assert "     inventaris.csv: 1 rij gelezen." in out
    approve(decisions / "c")
    assert "Alle 3 pakketten worden gepubliceerd zoals ze zijn." in cli("check", str(decisions)).stdout


def test_contrast_is_shown_with_a_decimal_comma(cli, decisions, tmp_path):
    assert cli("init", "site", cwd=tmp_path).returncode == 0
    config = tmp_path / "site" / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("  woo:\n", "  woo:\n    kleuren: {primair: '#7fb2e5', accent: '#888888'}\n", 1), encoding="utf-8"
    )
    out = cli("check", str(decisions), "--config", str(config)).stdout
    assert "kleur #7fb2e5 heeft te weinig contrast met wit (2,23:1, minimaal 4,5:1 voor WCAG 2.2 AA)." in out, out
    assert "#888888" not in out  # 3,54:1 is enough for the accent
    assert not re.search(r"\d\.\d+:1", out)


@pytest.mark.slow
def test_build_summary_counts_publications_and_pdfs_from_the_cache(tmp_path):
    import shutil

    from support import DEMO_KEY, DEMO_SIGNERS, PackageMaker, run_cli

    assert run_cli("init", "site", cwd=tmp_path).returncode == 0
    site = tmp_path / "site"
    shutil.copy(DEMO_SIGNERS, site / "ondertekenaars.txt")
    PackageMaker(site / "decisions")("2024-0001")
    assert run_cli("approve", "decisions/2024-0001", "--sleutel", str(DEMO_KEY), cwd=site).returncode == 0
    build = ["build", "--cache", str(tmp_path / "cache"), "--vandaag", "2024-06-01"]
    cold = run_cli(*build, cwd=site)
    assert cold.returncode == 0, cold.stdout + cold.stderr
    assert re.search(
        r"1 publicatie gepubliceerd, 0 geweigerd, 0 onder embargo, 0 ingetrokken; 3 pdf's gecontroleerd "
        r"\(0 uit de cache, 3 opnieuw gelezen\) in \d+(,\d)? s\.",
        cold.stdout,
    ), cold.stdout
    warm = run_cli(*build, cwd=site)
    assert "3 pdf's gecontroleerd (3 uit de cache, 0 opnieuw gelezen)" in warm.stdout, warm.stdout
    assert "besluit(en)" not in warm.stdout and "pdf('s)" not in warm.stdout


# -- the decisions folder: argument or --decisions, on check and build ------------------------------


@pytest.mark.parametrize("form", ["argument", "optie"])
def test_check_takes_the_folder_as_argument_or_option(cli, make_package, decisions, form):
    from support import approve

    approve(make_package())
    args = [str(decisions)] if form == "argument" else ["--decisions", str(decisions)]
    result = cli("check", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Het pakket wordt gepubliceerd zoals het is." in result.stdout


def test_build_takes_the_folder_as_argument_too(cli, tmp_path):
    assert cli("init", "site", cwd=tmp_path).returncode == 0
    (tmp_path / "site" / "decisions").rename(tmp_path / "site" / "pakketten")
    result = cli("build", "pakketten", "--cache", str(tmp_path / "cache"), cwd=tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 publicaties gepubliceerd" in result.stdout
    missing = cli("build", "bestaat-niet", cwd=tmp_path / "site")
    assert missing.returncode == 2 and "Fout: de map 'bestaat-niet' met de pakketten bestaat niet." in missing.stderr


@pytest.mark.parametrize("command", ["check", "build"])
def test_two_different_folders_is_a_dutch_usage_error(cli, tmp_path, command):
    assert cli("init", "site", cwd=tmp_path).returncode == 0
    result = cli(command, "decisions", "--decisions", "andere", cwd=tmp_path / "site")
    assert result.returncode == 2
    assert "de map met de pakketten is twee keer gegeven, verschillend ('decisions' en --decisions 'andere')" in result.stderr
    same = cli(command, "decisions", "--decisions", "decisions/", "--cache", str(tmp_path / "c"), cwd=tmp_path / "site")
    assert same.returncode == 0, same.stdout + same.stderr
    assert f"woo-publish {command} MAP" in cli(command, "--help").stdout


# -- a new site gets the guides its README and messages point at -----------------------------------


def test_init_copies_the_guides_and_the_readme_links_resolve(cli, tmp_path):
    from publish.sitefiles import STAFF_GUIDES

    from support import ROOT

    result = cli("init", "site", cwd=tmp_path)
    assert result.returncode == 0 and "README.md en de handleidingen in docs/" in result.stdout
    site = tmp_path / "site"
    for guide in STAFF_GUIDES:
        assert (site / "docs" / guide).read_text(encoding="utf-8") == (ROOT / "docs" / guide).read_text(encoding="utf-8")
    readme = (site / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    assert {"docs/handleiding.md", "docs/pakketformaat.md", "docs/beheer.md"} <= set(links)
    assert all((site / link).is_file() for link in links), links
    for guide in STAFF_GUIDES:  # links between the guides resolve inside docs/ too
        text = (site / "docs" / guide).read_text(encoding="utf-8")
        for link in re.findall(r"\]\(([a-z-]+\.md)(?:#[^)]*)?\)", text):
            assert (site / "docs" / link).is_file(), (guide, link)
    # A second init into the same folder refuses: docs/ is one of the names it writes.
    (site / "README.md").unlink()
    (site / "mkdocs.yml").unlink()
    again = cli("init", "site", cwd=tmp_path)
    assert again.returncode == 1 and "de map bevat al .gitignore, decisions, docs, ondertekenaars.txt" in again.stdout


def test_the_packaged_guides_are_the_repositorys_guides():
    """A pip-installed woo-publicatie has no docs/: init copies these. After editing docs/, run: python -m publish.schema"""
    from publish.sitefiles import NEW_SITE_DOCS, STAFF_GUIDES

    from support import ROOT

    for guide in STAFF_GUIDES:
        packaged = NEW_SITE_DOCS / guide
        assert packaged.is_file() and packaged.read_bytes() == (ROOT / "docs" / guide).read_bytes(), (
            f"{packaged} differs from docs/{guide}: run 'python -m publish.schema'"
        )


def test_messages_only_point_at_guides_a_new_site_has():
    import ast

    from publish.sitefiles import STAFF_GUIDES

    from support import ROOT

    named = set()
    for path in sorted((ROOT / "publish").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                named |= {(path.name, m) for m in re.findall(r"docs/([\w-]+\.md)", node.value)}
    assert named and not {(f, m) for f, m in named if m not in STAFF_GUIDES}, named


# -- docs/pakketformaat.md: the addresses and the examples are what the code does ------------------

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "pakketformaat.md"


def test_the_address_table_in_the_guide_is_what_the_build_uses():
    from publish import types, urls

    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("## Het adres op de site") :]
    rows = re.findall(
        r"^\| `([^`]+)` \| `([a-z-]+)` \| `([^`]+)` \|$", section[: section.index("\n\n", section.index("| kenmerk"))], re.M
    )
    assert len(rows) >= 4
    for kenmerk, kind, address in rows:
        assert urls.publication_of(kenmerk, types.get(kind).url_prefix) == address, (kenmerk, kind)
    assert any(address != address.lower() or kenmerk != kenmerk.lower() for kenmerk, _, address in rows)  # shows lower case


def _examples() -> list[tuple[str, str]]:
    """(besluit.md, the address the guide gives) for every example package in the guide."""
    text = GUIDE.read_text(encoding="utf-8")
    found = re.findall(r"```(?:yaml|markdown)\n(---\n.*?)```\s*\n\s*Adres op de site: `([^`]+)`", text, re.S)
    assert len(found) >= 4, "every example in docs/pakketformaat.md is followed by 'Adres op de site: `...`'"
    return found


def _package_from_example(folder: Path, text: str) -> None:
    import yaml

    from support import write_pdf

    folder.mkdir(parents=True)
    (folder / "besluit.md").write_text(text, encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])

    def files(value):
        if isinstance(value, str) and value.endswith(".pdf"):
            yield value
        elif isinstance(value, list):
            for v in value:
                yield from files(v)
        elif isinstance(value, dict):
            for v in value.values():
                yield from files(v)

    for i, name in enumerate(files(meta)):
        write_pdf(folder / name, ["# Voorbeeld", f"Tekst van het voorbeelddocument nummer {i + 1}."])
    if meta.get("inventaris"):
        (folder / meta["inventaris"]).write_text(
            "nr,document,datum,beoordeling,gronden\n1,Verslag,2024-01-10,openbaar,\n2,E-mail,2024-01-12,deels openbaar,5.1.2.e\n",
            encoding="utf-8",
        )
        for nr in (1, 2):
            write_pdf(folder / f"{nr}.pdf", [f"# Document {nr}", "Inhoud van het document."])


def test_every_example_package_in_the_guide_passes_check_at_its_stated_address(cli, tmp_path):
    from publish import urls
    from publish.package import load_package

    decisions = tmp_path / "decisions"
    examples = _examples()
    for i, (text, address) in enumerate(examples):
        folder = decisions / f"voorbeeld-{i + 1}"
        _package_from_example(folder, text)
        decision, problems = load_package(folder)
        assert decision is not None and not problems, (address, [p.format() for p in problems])
        assert urls.publication(decision.slug, decision.kind.url_prefix) == address
    out = cli("check", str(decisions)).stdout
    assert out.count("wordt niet gepubliceerd: niet goedgekeurd.") == len(examples), out
    other = [
        line
        for line in out.splitlines()
        if line.startswith(("FOUT", "WAARSCHUWING")) and "het pakket is niet goedgekeurd" not in line
    ]
    assert not other, out
    assert any("type: publicatie" in text and "vergaderstukken decentrale overheden" in text for text, _ in examples)


def test_withdrawing_a_whole_publication_names_its_kind(tmp_path):
    from support import DEMO_KEY

    texts = {address.split("/")[0]: text for text, address in _examples()}
    for prefix, expected in (("kamerstuk", "de hele publicatie"), ("besluit", "het hele besluit")):
        folder = tmp_path / prefix
        _package_from_example(folder, texts[prefix])
        result = _run("withdraw", str(folder), "--reden", "Vervangen door een nieuwe versie.", "--sleutel", str(DEMO_KEY))
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"Ingetrokken: {expected} van {prefix}, per " in result.stdout


def test_an_unreadable_inventory_still_lets_the_pdfs_be_checked(cli, make_package, decisions):
    pkg = make_package(pdf_text={"documenten/2.pdf": LEAK})
    (pkg / "inventaris.csv").write_bytes(b"\x00\x01\x02 geen tabel \xff\xfe" * 10)
    out = cli("check", str(decisions)).stdout
    assert "FOUT pakket/inventaris.csv" in out
    assert "FOUT pakket/documenten/2.pdf, pagina 1" in out and "06-*******8" in out
    assert "WAARSCHUWING pakket/inventaris.csv: omdat de inventaris niet gelezen kan worden" in out


def test_missing_tooi_is_said_by_check_and_once_by_build(cli, tmp_path):
    """Staff run `check` before the build: a site without a TOOI identifier hears it there too."""
    assert cli("init", "site", cwd=tmp_path).returncode == 0
    warning = "er is geen TOOI-identificatie van de organisatie ingesteld"
    checked = cli("check", "--cache", str(tmp_path / "c"), cwd=tmp_path / "site")
    assert warning in checked.stdout and "extra.woo.tooi" in checked.stdout
    report = tmp_path / "rapport.json"
    built = cli("build", "--cache", str(tmp_path / "c"), "--report", str(report), cwd=tmp_path / "site")
    assert built.returncode == 0, built.stdout + built.stderr
    codes = [w["code"] for w in json.loads(report.read_text())["warnings"]]
    assert codes.count("config.tooi") == 1
    config = tmp_path / "site" / "mkdocs.yml"
    config.write_text(config.read_text().replace("# tooi: ", "tooi: ", 1))
    assert warning not in cli("check", "--cache", str(tmp_path / "c"), cwd=tmp_path / "site").stdout
