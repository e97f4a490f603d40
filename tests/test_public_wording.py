"""What a new visitor reads on the public site, and what staff read from `approve` (new-user findings):

- an organisation given as a TOOI code or URI is shown by its name; the code stays in the machine-readable data;
- a TOOI value in the facts of a page shows its label, not its code;
- the search form is only there when search can work (JavaScript): without it a Dutch note links to the lists;
- a decision under the old Wob is a 'Wob-besluit' in search results and counts, never a 'Woo-besluit';
- `approve` with a key that is not trusted says which .pub file to send and where its line goes.

Everything is asserted on a real built site, the real search index and the real command's output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from support import DEMO_KEY, ROOT, PackageMaker, Server, approve, build_args, needs_browser, probe, run_cli

AMSTERDAM = "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"
WOB_ROWS = [
    ["1", "Verslag overleg", "2018-01-10", "openbaar", "", "documenten/1.pdf"],
    ["2", "E-mail over planning", "2018-01-12", "deels openbaar", "10.2.e", "documenten/2.pdf"],
]


def _config(folder: Path) -> Path:
    """The project's site settings, with Gemeente Amsterdam among the organisations (extra.woo.organisaties)."""
    data = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    woo = data["extra"]["woo"]
    woo["ondertekenaars"] = str(ROOT / woo["ondertekenaars"])
    woo["organisaties"] = {**(woo.get("organisaties") or {}), "Gemeente Amsterdam": AMSTERDAM}
    config = folder / "mkdocs.yml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return config


def _publication(decisions: Path) -> Path:
    """A 'publicatie' (annual report) whose information category and document kind are given as TOOI codes."""
    from support import write_pdf

    pkg = decisions / "jaarverslag"
    pkg.mkdir(parents=True)
    data = {
        "type": "publicatie",
        "kenmerk": "JV-2023",
        "titel": "Jaarverslag 2023",
        "organisatie": "gm0363",
        "datum": "2024-03-01",
        "publicatie_datum": "2024-03-05",
        "informatiecategorie": "c_c6cd1213",
        "document": "jaarverslag.pdf",
    }
    (pkg / "besluit.md").write_text(
        "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\nHet jaarverslag.\n", encoding="utf-8"
    )
    write_pdf(pkg / "jaarverslag.pdf", ["# Jaarverslag", "Het jaarverslag over 2023."])
    return pkg


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("publiek")
    decisions = root / "decisions"
    make = PackageMaker(decisions)
    approve(make("code", meta={"kenmerk": "2024-0101", "titel": "Besluit met code", "organisatie": "gm0363"}))
    approve(make("uri", meta={"kenmerk": "2024-0102", "titel": "Besluit met URI", "organisatie": AMSTERDAM + "/"}))
    approve(make("onbekend", meta={"kenmerk": "2024-0103", "titel": "Besluit ONBEKENDECODE", "organisatie": "gm9999"}))
    approve(
        make(
            "wob",
            meta={
                "kenmerk": "2018-0001",
                "titel": "Oud verzoek onder de Wob",
                "wet": "Wob",
                "besluit_datum": "2018-10-02",
                "publicatie_datum": "2018-10-09",
            },
            rows=WOB_ROWS,
        )
    )
    approve(_publication(decisions))
    out, report = root / "site", root / "rapport.json"
    result = run_cli(*build_args(decisions, out, "--report", str(report), config=_config(root)))
    return {"out": out, "result": result, "report": json.loads(report.read_text(encoding="utf-8"))}


def _visible(html: str) -> str:
    """The text a visitor reads: no tags, no scripts, no machine-readable head."""
    body = html.split("<body", 1)[-1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.mark.slow
def test_an_organisation_given_as_a_tooi_code_is_shown_by_its_name(site):
    out = site["out"]
    published = {p["package"] for p in site["report"]["published"]}
    assert {"code", "uri", "wob", "jaarverslag"} <= published
    for page in ("besluit/2024-0101/index.html", "besluit/2024-0102/index.html", "publicatie/jv-2023/index.html"):
        text = _visible((out / page).read_text(encoding="utf-8"))
        assert "Gemeente Amsterdam" in text, page
        assert "gm0363" not in text and "identifier.overheid.nl" not in text, page
    for page in ("index.html", "besluiten/index.html"):
        assert "gm0363" not in _visible((out / page).read_text(encoding="utf-8")), page
    # The search index names the organisation, not its code.
    meta = json.loads((out / "zoeken/index/meta.json").read_text(encoding="utf-8"))
    assert "Gemeente Amsterdam" in meta["organisaties"] and not [o for o in meta["organisaties"] if "gm0" in o]
    # The machine-readable data keeps the TOOI URI: the DiWoo sitemap names Amsterdam as responsible.
    diwoo = "".join(p.read_text(encoding="utf-8") for p in (out / "sitemaps").rglob("*.xml"))
    assert f'resource="{AMSTERDAM}"' in diwoo


@pytest.mark.slow
def test_an_unknown_tooi_code_as_organisation_refuses_the_package_in_dutch(site):
    result, out = site["result"], site["out"]
    assert result.returncode == 1, result.stdout + result.stderr
    refused = {r["package"]: r for r in site["report"]["refused"]}
    assert list(refused) == ["onbekend"]
    problem = refused["onbekend"]["problems"][0]
    assert "'gm9999' is een TOOI-code" in problem["message"] and "extra.woo.organisaties" in problem["fix"]
    assert "onbekend/besluit.md" in result.stdout and "'gm9999' is een TOOI-code" in result.stdout
    assert not (out / "besluit/2024-0103").exists()
    assert "ONBEKENDECODE" not in (out / "besluiten/index.html").read_text(encoding="utf-8")
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.slow
def test_facts_show_the_label_of_a_tooi_value_not_its_code(site):
    html = (site["out"] / "publicatie/jv-2023/index.html").read_text(encoding="utf-8")
    facts = _visible(html.split("<table", 1)[1].split("</table>", 1)[0])
    assert re.search(r"Informatiecategorie (\(Woo\) )?[Jj]aarplannen en jaarverslagen", facts), facts
    assert "c_c6cd1213" not in _visible(html)


@pytest.mark.slow
def test_a_wob_decision_is_a_wob_besluit_in_search_and_counts(site):
    out = site["out"]
    meta = json.loads((out / "zoeken/index/meta.json").read_text(encoding="utf-8"))
    labels = [meta["soorten"][k] for k in meta["soort"]]
    assert sorted(labels) == ["Publicatie", "Wob-besluit", "Woo-besluit", "Woo-besluit"], labels
    # Newest first: the Wob decision of 2018 is the last decision in the columns.
    assert labels[-1] == "Wob-besluit"
    home = _visible((out / "index.html").read_text(encoding="utf-8"))
    assert "2 Woo-besluiten" in home and "1 Wob-besluit" in home, home
    page = _visible((out / "besluit/2018-0001/index.html").read_text(encoding="utf-8"))
    assert "Wob-besluit" in page and not re.search(r"\bWoo-besluit\b", page)  # the site's name is 'Woo-besluiten (...)'
    listing = _visible((out / "besluiten/index.html").read_text(encoding="utf-8"))
    assert "Wob-besluit" in listing


@pytest.mark.slow
def test_without_javascript_the_search_page_offers_the_lists_not_a_form(site):
    html = (site["out"] / "zoeken/index.html").read_text(encoding="utf-8")
    form = re.search(r"<form class=\"woo-search-form\"[^>]*>", html).group(0)
    assert re.search(r"\shidden(\s|>|=)", form), form  # shown by woo-search.js, only where search can run
    note = html.split("<noscript>", 1)[1].split("</noscript>", 1)[0]
    assert "Zoeken werkt alleen met JavaScript" in note
    assert 'href="../besluiten/"' in note and 'href="../gronden/"' in note
    # In the header of every page: hidden while the page has no JavaScript (Material's script removes no-js).
    page = (site["out"] / "besluit/2024-0101/index.html").read_text(encoding="utf-8")
    assert 'class="no-js"' in page and 'class="woo-header-search"' in page
    css = (site["out"] / "assets/woo.css").read_text(encoding="utf-8")
    assert re.search(r"\.no-js \.woo-header-search \{ display: none; \}", css)


@needs_browser
@pytest.mark.slow
def test_the_search_form_is_shown_with_javascript_and_hidden_without(site):
    server = Server(site["out"])
    try:
        script = (
            "[getComputedStyle(document.querySelector('.woo-search-form')).display,"
            " getComputedStyle(document.querySelector('.woo-header-search')).display,"
            " document.body.innerText.includes('Zoeken werkt alleen met JavaScript')]"
        )
        on = probe(url=server.base + "zoeken/?q=verslag", evaluate=script, waitFor="#woo-search-status")
        off = probe(url=server.base + "zoeken/", evaluate=script, javascript=False)
    finally:
        server.close()
    assert on["evaluated"][0] != "none" and on["evaluated"][1] != "none" and on["evaluated"][2] is False, on["evaluated"]
    assert off["evaluated"] == ["none", "none", True], off["evaluated"]


@pytest.mark.slow
def test_approve_with_an_untrusted_key_names_the_pub_file_and_where_it_goes(make_package, tmp_path):
    import subprocess

    pkg = make_package()
    keys = tmp_path / "sleutels"
    keys.mkdir()
    key = keys / "mijn-sleutel"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", str(key)], check=True, timeout=60)
    public = key.with_name("mijn-sleutel.pub").read_text(encoding="utf-8").split()
    signers = (ROOT / "demo/sleutels/toegestane-ondertekenaars").absolute()
    result = run_cli("approve", str(pkg), "--sleutel", str(key), "--config", str(ROOT / "mkdocs.yml"))
    assert result.returncode == 1, result.stdout + result.stderr
    text = " ".join(result.stdout.split())
    assert f"Stuur de beheerder het bestand {key}.pub;" in text, text
    assert f"nooit het geheime bestand {key.name} zelf" in text
    assert f"als één regel in {signers}, met uw naam vooraan: <uw naam> {public[0]} {public[1]}" in text
    assert not (pkg / "goedkeuring.json").exists()
    # Without the .pub file beside the key: how to make it.
    key.with_name("mijn-sleutel.pub").unlink()
    result = run_cli("approve", str(pkg), "--sleutel", str(key), "--config", str(ROOT / "mkdocs.yml"))
    text = " ".join(result.stdout.split())
    assert result.returncode == 1 and f"ssh-keygen -y -f {key} > {key}.pub" in text, text
    # The demonstration key is trusted: the package is approved, without such a message.
    trusted = run_cli("approve", str(pkg), "--sleutel", str(DEMO_KEY), "--config", str(ROOT / "mkdocs.yml"))
    assert trusted.returncode == 0 and "Stuur de beheerder" not in trusted.stdout, trusted.stdout + trusted.stderr


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("gm0363", "Gemeente Amsterdam"),
        ("GM0363", "Gemeente Amsterdam"),
        (" " + AMSTERDAM + "/ ", "Gemeente Amsterdam"),
        ("mnre1034", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"),
        ("gm9999", None),  # a code the site does not name: refused, never shown
        ("https://identifier.overheid.nl/tooi/id/gemeente/gm9999", None),
        ("Gemeente Amsterdam", "Gemeente Amsterdam"),  # a name stays a name
        ("Gemeente 0363", "Gemeente 0363"),
        (AMSTERDAM + "/../../x", AMSTERDAM + "/../../x"),  # no TOOI identifier: shown as written (it is text)
        ("gm0363\u202e", "gm0363\u202e"),  # a control character: no identifier (the package check refuses such text)
        ("a" * 100_000 + "1234", "a" * 100_000 + "1234"),  # huge: no identifier, and found in linear time
    ],
)
def test_organisation_name_of_tooi_identifiers_and_hostile_values(value, shown):
    from publish.tooi import organisation_name

    names = {
        "Gemeente Amsterdam": AMSTERDAM,
        "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties": "https://identifier.overheid.nl/tooi/id/ministerie/mnre1034",
    }
    assert organisation_name(value, names) == shown
