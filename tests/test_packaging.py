"""What users get: the wheel holds every module and data file, the tests run against the installed
package, and `woo-publish init` starts a site folder that builds right away."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

from support import DEMO_KEY, DEMO_SIGNERS, ROOT, PackageMaker, run_cli, woo_publish


def _wheel(tmp_path_factory) -> Path:
    """The wheel scripts/test.sh built and installed, or one built here from a copy of the sources."""
    given = os.environ.get("WOO_TEST_WHEEL")
    if given:
        return Path(given)
    source = tmp_path_factory.mktemp("bron")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "publish", source / "publish", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wiel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("woo_publicatie-*.whl")
    return wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return _wheel(tmp_path_factory)


@pytest.mark.slow
def test_wheel_holds_every_module_and_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "publish/gate/__init__.py",
        "publish/gate/visibility.py",
        "publish/gate/copy.py",
        "publish/data/schemas/diwoo-metadata.xsd",
        "publish/data/schemas/sitemap.xsd",
        "publish/data/stopwoorden-nl.txt",
        "publish/templates/decision.html",
        "publish/site/theme/main.html",
        "publish/site/theme/partials/header.html",
        "publish/site/site_src/assets/woo.css",
        "publish/site/site_src/assets/woo-search.js",
        "publish/site/site_src/assets/vendor/lunr.min.js",
        "publish/site/site_src/toegankelijkheid.md",
        "publish/site/nieuw/mkdocs.yml",
        "publish/site/nieuw/README.md",
        "publish/site/nieuw/ondertekenaars.txt",
    ):
        assert required in names, required
    # Not just a list of known names: every file of the source package is in the wheel.
    source = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "publish").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    assert source - names == set()
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: EUPL-1.2" in metadata
    assert f"Version: {importlib.metadata.version('woo-publicatie')}" in metadata


def test_tests_run_against_the_installed_package():
    """scripts/test.sh installs the wheel non-editable; the source tree must not be what is imported."""
    if not os.environ.get("WOO_TEST_INSTALLED"):
        pytest.skip("alleen via make test / scripts/test.sh (WOO_TEST_INSTALLED), dat het wiel installeert")
    import publish

    location = Path(publish.__file__).resolve()
    assert "site-packages" in location.parts, location
    assert ROOT / "publish" not in location.parents, location  # not the source tree
    assert woo_publish().is_file()
    dist = importlib.metadata.distribution("woo-publicatie")
    assert not (dist.read_text("direct_url.json") or "").count('"editable": true')


def test_one_version_number_from_the_package_metadata():
    import publish

    version = importlib.metadata.version("woo-publicatie")
    assert publish.__version__ == version
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"] == version
    assert yaml.safe_load((ROOT / "publiccode.yml").read_text())["softwareVersion"] == version
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"woo-publish, versie {version}"


def test_new_site_settings_match_the_example_sites_technical_settings():
    """The commented mkdocs.yml of `init` and the repository's example site differ only in the organisation."""
    from publish.sitefiles import NEW_SITE

    new = yaml.safe_load((NEW_SITE / "mkdocs.yml").read_text(encoding="utf-8"))
    example = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in (
        "use_directory_urls",
        "strict",
        "theme",
        "plugins",
        "extra_css",
        "markdown_extensions",
        "nav",
        "not_in_nav",
        "validation",
    ):
        assert new[key] == example[key], key
    assert new["extra"]["generator"] is False


def _init(tmp_path: Path, name: str = "woo-site") -> Path:
    result = run_cli("init", name, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"cd {name} && {woo_publish()} build" in result.stdout  # the command that works here
    return tmp_path / name


def test_init_makes_commented_settings_an_empty_decisions_folder_and_a_readme(tmp_path):
    site = _init(tmp_path)
    assert sorted(p.name for p in site.iterdir()) == [
        ".gitignore",
        "README.md",
        "decisions",
        "docs",
        "mkdocs.yml",
        "ondertekenaars.txt",
    ]
    assert list((site / "decisions").iterdir()) == []
    settings = (site / "mkdocs.yml").read_text(encoding="utf-8")
    assert "Deel 1: uw organisatie (invullen)" in settings and "organisatie: Naam van de organisatie" in settings
    readme = (site / "README.md").read_text(encoding="utf-8")
    assert "woo-publish approve decisions/" in readme and "ondertekenaars.txt" in readme
    assert str(woo_publish()) in readme  # names the command that works on this machine
    check = run_cli("check", cwd=site)
    assert check.returncode == 0, check.stdout
    assert "Geen pakketten gevonden in decisions/." in check.stdout


@pytest.mark.parametrize(
    "name,message",
    [
        ("bestaand.txt", "er bestaat al een bestand met die naam."),
        ("vol", "de map bevat al mkdocs.yml: het lijkt al een site; er is niets veranderd."),
        ("met\nregeleinde", "de naam van de map bevat een onzichtbaar teken"),
        ("x" * 300, "de map kon niet worden gemaakt"),
    ],
)
def test_init_refuses_existing_or_unusable_folders_and_changes_nothing(tmp_path, name, message):
    (tmp_path / "bestaand.txt").write_text("van iemand anders")
    (tmp_path / "vol").mkdir()
    (tmp_path / "vol" / "mkdocs.yml").write_text("site_name: bestaande site\n")
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    result = run_cli("init", name, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stdout and "Oplossing: Kies een nieuwe map" in result.stdout
    assert "Traceback" not in result.stderr
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == before
    assert (tmp_path / "bestaand.txt").read_text() == "van iemand anders"
    assert (tmp_path / "vol" / "mkdocs.yml").read_text() == "site_name: bestaande site\n"


def test_init_into_an_existing_folder_keeps_what_is_there(tmp_path):
    """The folder may already hold, say, the .venv woo-publicatie is installed in."""
    (tmp_path / "srv/.venv").mkdir(parents=True)
    (tmp_path / "srv/.venv/pyvenv.cfg").write_text("home = /usr/bin\n")
    site = _init(tmp_path, "srv")
    assert (site / "mkdocs.yml").is_file() and (site / "decisions").is_dir()
    assert (site / ".venv/pyvenv.cfg").read_text() == "home = /usr/bin\n"
    assert not [p for p in tmp_path.rglob(".woo-init-*")]


@pytest.mark.slow
def test_init_then_build_gives_a_valid_empty_site(tmp_path):
    site = _init(tmp_path)
    result = run_cli("build", "--cache", str(tmp_path / "cache"), cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 publicaties gepubliceerd, 0 geweigerd" in result.stdout
    home = (site / "site/index.html").read_text(encoding="utf-8")
    assert "Direct naar de inhoud" in home  # the package's theme overrides
    assert "Naam van de organisatie</p>" in home
    for page in ("over-deze-site", "toegankelijkheid", "privacy", "besluiten", "zoeken", "statistieken"):
        assert (site / "site" / page / "index.html").is_file(), page
    assert (site / "site/assets/woo.css").is_file() and (site / "site/assets/vendor/lunr.min.js").is_file()
    assert 'href="mailto:woo@example.nl"' in (site / "site/toegankelijkheid/index.html").read_text(encoding="utf-8")
    # Valid, but nobody should go live with the example values without being told.
    assert "WAARSCHUWING mkdocs.yml, extra.woo.organisatie, site_url, extra.woo.contact" in result.stdout
    assert "voorbeeldwaarden van 'woo-publish init'" in result.stdout
    text = (site / "mkdocs.yml").read_text(encoding="utf-8").replace("Naam van de organisatie", "Gemeente Voorbeeld")
    (site / "mkdocs.yml").write_text(text, encoding="utf-8")
    assert "voorbeeldwaarden" not in run_cli("check", cwd=site).stdout


@pytest.mark.slow
def test_init_then_build_a_site_with_one_package(tmp_path):
    site = _init(tmp_path)
    PackageMaker(site / "decisions")("2024-0001-vergaderstukken")
    shutil.copy(DEMO_SIGNERS, site / "ondertekenaars.txt")  # the organisation adds its approvers' keys
    result = run_cli("approve", "decisions/2024-0001-vergaderstukken", "--sleutel", str(DEMO_KEY), cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    result = run_cli("build", "--cache", str(tmp_path / "cache"), "--vandaag", "2024-06-01", cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 publicatie gepubliceerd, 0 geweigerd" in result.stdout
    page = (site / "site/besluit/2024-0001/index.html").read_text(encoding="utf-8")
    assert "Verzoek over vergaderstukken" in page and "Direct naar de inhoud" in page
    assert (site / "site/besluit/2024-0001/besluitbrief.pdf").is_file()
    assert "demo-ondertekenaar" not in (site / "site/besluit/2024-0001/index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_sites_own_theme_and_pages_override_the_packages(tmp_path):
    site = _init(tmp_path)
    (site / "theme").mkdir()
    (site / "theme/404.html").write_text('{% extends "main.html" %}{% block content %}<p>EIGEN-404</p>{% endblock %}')
    (site / "site_src/assets").mkdir(parents=True)
    (site / "site_src/privacy.md").write_text("---\ntitle: Privacy\n---\n\n# Privacy\n\nEIGEN-PRIVACYTEKST\n")
    (site / "site_src/assets/logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    result = run_cli("build", "--cache", str(tmp_path / "cache"), cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    out = site / "site"
    assert "EIGEN-404" in (out / "404.html").read_text(encoding="utf-8")
    assert "Direct naar de inhoud" in (out / "404.html").read_text(encoding="utf-8")  # package's main.html under it
    assert "EIGEN-PRIVACYTEKST" in (out / "privacy/index.html").read_text(encoding="utf-8")
    assert "Toegankelijkheidsverklaring" in (out / "toegankelijkheid/index.html").read_text(encoding="utf-8")
    assert (out / "assets/logo.svg").is_file() and (out / "assets/woo.css").is_file()
