"""Attack round 7, row 1: personal data in the summary hidden from the check by Markdown.

The check used to read the Markdown source; the page, the open data and the search index show the rendered text
(character references decoded, markup gone) and keep link targets. Now the check reads every published form
(``privacy.published_forms``), and character references that stand for letters, digits or invisible characters are
refused outright (``samenvatting.tekenreferentie``). The 26 payloads are those of ``attacks7/summary_render_diff.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from pdfdraw import write_pdf

from publish.gate.personal_data import allowed_hashes
from publish.markdown_safe import character_references, plain_text, published_forms
from publish.package import load_package
from publish.privacy import check_published_texts, link_texts
from publish.problems import Problems

from support import PackageMaker, all_text, approve, build_args, file_line, read_open_data, run_cli

CASES = [
    "Bel 06&#49;2345678",
    "Bel 06&#x31;2345678",
    "mail j.pietersen&#64;gmail.com",
    "mail j.pietersen&commat;gmail.com",
    "mail j.pietersen@gmail&period;com",
    "BSN 12345&#54;782",
    "IBAN NL91&#65;BNA0417164300",
    "Bel 06**12345678**",
    "Bel 06*12345678*",
    "Bel 06_12345678_",
    "Bel 06`12345678`",
    "Bel [06](#)12345678",
    "mail j.pietersen@*gmail*.com",
    "mail [j.pietersen](#)@gmail.com",
    "Bel 06\\-12345678",
    "Bel 06\\12345678",
    "app ons: [WhatsApp](https://wa.me/31612345678)",
    "[bel](https://example.nl/?tel=0612345678)",
    "Bel 06&nbsp;12345678",
    "Bel 06&#8203;12345678",
    "Bel 06&shy;12345678",
    "j.pietersen&#x40;gmail&#x2E;com",
    "Postcode 1234&#32;AB, huisnummer 12",
    "[mail ons](mailto:j.pietersen%40gmail.com)",
    "[WhatsApp](https://wa.me/+31612345678)",
    "[profiel](https://example.nl/contact?tel=%2B31612345678)",
]
# What of the payloads may never reach the site, in any spelling the site could use.
VALUES = ("2345678", "pietersen", "0417164300", "1234 AB", "1234&#32;AB", "huisnummer 12", "12345&#54;", "31612345678")
CODES = {"samenvatting.tekenreferentie"} | {f"persoonsgegeven.{k}" for k in ("telefoon", "email", "bsn", "iban")}

KAMERSTUK = {
    "type": "kamerstuk",
    "kenmerk": "2025-KB-1",
    "titel": "Brief over de planning",
    "organisatie": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
    "datum": "2025-06-27",
    "publicatie_datum": "2025-06-30",
    "geadresseerde": "Voorzitter van de Tweede Kamer der Staten-Generaal",
    "onderwerp": "Planning",
    "ondertekenaar": "De staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties",
    "brief": "kamerbrief.pdf",
}


def summary(case: str) -> str:
    return f"Inleiding van de samenvatting.\n\n{case}\n\nSlot van de samenvatting."


def kamerstuk(root: Path, name: str, body: str, **meta) -> Path:
    pkg = root / name
    pkg.mkdir(parents=True)
    data = {**KAMERSTUK, **meta}
    (pkg / "besluit.md").write_text(
        "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body + "\n", encoding="utf-8"
    )
    write_pdf(pkg / "kamerbrief.pdf", ["# Kamerbrief", "De tekst van de brief over de planning."])
    return pkg


def refusals(pkg: Path) -> list:
    """The errors ``check``/``build`` give for the package's texts: loading, then the published-text check."""
    decision, found = load_package(pkg)
    problems = Problems(pkg.name)
    if decision is not None:
        check_published_texts(decision, allowed_hashes([]), problems)
    return [p for p in [*found, *problems] if p.is_error]


# -- each payload, in each form --------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES)
def test_every_payload_is_refused_in_the_summary_of_a_kamerbrief(tmp_path, case):
    pkg = kamerstuk(tmp_path, "brief", summary(case))
    errors = refusals(pkg)
    assert errors, case
    assert {p.code for p in errors} <= CODES | {"samenvatting.tekenreferentie"}, [(p.code, p.message) for p in errors]
    assert all(p.file == "besluit.md" and p.location.startswith("samenvatting") for p in errors)
    # Named where it is: the payload is on line 3 of the summary, named by its line in besluit.md.
    line = file_line(pkg / "besluit.md", "Inleiding van de samenvatting.") + 2
    assert any(p.location == f"samenvatting, regel {line}" for p in errors), [p.location for p in errors]


@pytest.mark.parametrize("case", CASES)
def test_every_payload_is_refused_in_the_summary_of_a_woo_decision(tmp_path, case):
    pkg = PackageMaker(tmp_path)("besluit", body=summary(case))
    errors = refusals(pkg)
    assert errors and all(p.location.startswith("samenvatting") for p in errors), [(p.location, p.message) for p in errors]


@pytest.mark.parametrize("case", [c for c in CASES if "&" in c and "&nbsp;" not in c])
def test_character_references_are_refused_with_a_dutch_message(tmp_path, case):
    pkg = kamerstuk(tmp_path, "brief", summary(case))
    errors = [p for p in refusals(pkg) if p.code == "samenvatting.tekenreferentie"]
    assert len(errors) == 1
    assert errors[0].location == f"samenvatting, regel {file_line(pkg / 'besluit.md', 'Inleiding van de samenvatting.') + 2}"
    assert "tekenreferentie" in errors[0].message and "Schrijf de tekens gewoon uit" in errors[0].fix


def test_typographic_references_and_plain_text_stay_allowed(tmp_path):
    body = "Kosten &euro;&nbsp;1.000 &ndash; zie art.&nbsp;5.1 &amp; 5.2 van de Woo.\n\nDe code &amp;#49; is hier tekst."
    assert character_references(body) == []
    assert refusals(kamerstuk(tmp_path, "brief", body)) == []
    # One simple rule, also where the page would show the code itself (a code span): refused, never guessed at.
    assert character_references("Zo schrijf je `&#49;`.") == [(1, "&#49;")]


def test_invisible_and_spacing_references_are_named_for_staff(tmp_path):
    pkg = kamerstuk(tmp_path, "brief", "Eerste regel.\nBel 06&shy;1&#32;2 en &#x1F600; en &eacute;.\n")
    (error,) = [p for p in refusals(pkg) if p.code == "samenvatting.tekenreferentie"]
    assert error.location == f"samenvatting, regel {file_line(pkg / 'besluit.md', 'Bel 06&shy;')}"
    assert "&shy; (een onzichtbaar teken (U+00AD))" in error.message and "&#32; (een spatie (U+0020))" in error.message
    assert "&eacute; (het teken 'é')" in error.message


def test_link_targets_are_read_decoded_and_without_their_scheme():
    assert "j.pietersen@gmail.com" in link_texts("mailto:j.pietersen%2540gmail.com")  # encoded twice
    assert "+31612345678" in link_texts("https://wa.me/31612345678")
    assert "+31612345678" in link_texts("https://example.nl/contact?tel=%2B31612345678")
    assert "06 12345678" in link_texts("https://example.nl/?tel=06+12345678")


def test_the_whole_summary_is_checked_not_the_first_characters(tmp_path):
    body = ("Lange inleiding zonder gegevens. " * 400) + "\n\nBel 06**12345678** voor vragen."
    assert "12345678" not in plain_text(body)  # what the search index shows is cut ...
    pkg = kamerstuk(tmp_path, "brief", body)
    errors = refusals(pkg)  # ... what is checked is not
    line = file_line(pkg / "besluit.md", "Bel 06**12345678**")
    assert [(p.code, p.location) for p in errors] == [("persoonsgegeven.telefoon", f"samenvatting, regel {line}")]


def test_a_value_found_in_the_source_and_on_the_page_is_reported_once(tmp_path):
    errors = refusals(kamerstuk(tmp_path, "brief", "Bel 06-12345678 of mail [j.jansen@example.nl](mailto:j.jansen@example.nl)."))
    assert sorted(p.code for p in errors) == ["persoonsgegeven.email", "persoonsgegeven.telefoon"]


def test_an_allowed_value_stays_allowed_in_a_link(tmp_path):
    body = "Bel ons algemene nummer [070 123 45 67](https://example.nl/?tel=%2B31701234567)."
    decision, found = load_package(kamerstuk(tmp_path, "brief", body, toegestane_gegevens=["070 123 45 67"]))
    assert decision is not None, found
    problems = Problems("brief")
    check_published_texts(decision, allowed_hashes(decision.allowed_personal_data), problems)
    assert list(problems) == []


def test_footnotes_of_kamervragen_are_checked_as_the_page_shows_them(tmp_path):
    body = (
        "## Vraag 1\n\nKent u het bericht?[^1]\n\n### Antwoord\n\nJa.\n\n"
        "[^1]: Gemeld door [06](#)12345678 en [mail](mailto:k.bakker%40example.nl)."
    )
    pkg = tmp_path / "vragen"
    pkg.mkdir()
    meta = {
        "type": "kamervragen",
        "kenmerk": "2022Z06465",
        "titel": "Vragen over berichtenapps",
        "organisatie": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        "vraagnummer": "2022Z06465",
        "datum_gesteld": "2022-04-04",
        "datum_beantwoord": "2022-04-07",
        "publicatie_datum": "2022-04-08",
        "vragenstellers": ["Jesse Klaver (GL)"],
        "beantwoord_door": ["De minister van Binnenlandse Zaken en Koninkrijksrelaties"],
        "antwoord": "antwoord.pdf",
    }
    (pkg / "besluit.md").write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body, encoding="utf-8")
    write_pdf(pkg / "antwoord.pdf", ["# Antwoord", "Ja."])
    texts, _ = published_forms(body)
    assert any("0612345678" in t for t in texts)
    errors = refusals(pkg)
    line = file_line(pkg / "besluit.md", "[^1]: Gemeld door")
    assert sorted((p.code, p.location) for p in errors) == [
        ("persoonsgegeven.email", f"samenvatting, regel {line}"),
        ("persoonsgegeven.telefoon", f"samenvatting, regel {line}"),
    ]


# -- end to end: a signed site ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("round7summary")
    decisions = root / "decisions"
    decisions.mkdir()
    woo = PackageMaker(decisions)
    names = []
    for i, case in enumerate(CASES, start=1):
        names.append(f"besluit-{i:02d}")
        approve(woo(names[-1], meta={"kenmerk": f"LEKB-{i:02d}", "titel": f"Besluit LEKTITEL{i:02d}"}, body=summary(case)))
        names.append(f"brief-{i:02d}")
        approve(kamerstuk(decisions, names[-1], summary(case), kenmerk=f"LEKK-{i:02d}", titel=f"Brief LEKTITEL{i:02d}"))
    approve(
        woo(
            "besluit-goed", meta={"kenmerk": "GOED-B"}, body="Een gewone samenvatting &ndash; met een [link](https://example.nl)."
        )
    )
    approve(kamerstuk(decisions, "brief-goed", "Een gewone samenvatting van de brief.", kenmerk="GOED-K"))
    out = root / "site"
    result = run_cli(*build_args(decisions, out, cache=root / "cache", today="2025-07-01"))
    return out, result, names


@pytest.mark.slow
def test_build_refuses_every_payload_names_file_and_field_and_publishes_the_others(built):
    out, result, names = built
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    for name in names:
        assert re.search(rf"^GEWEIGERD +{name}:$", result.stdout, re.M), name
        line = file_line(out.parent / "decisions" / name / "besluit.md", "Inleiding van de samenvatting.") + 2  # summary line 3
        assert re.search(rf"^ +{name}/besluit\.md, samenvatting, regel {line}: de (tekst|samenvatting) ", result.stdout, re.M), (
            name
        )
        assert not list(out.glob(f"**/{name.replace('besluit-', 'lekb-').replace('brief-', 'lekk-')}/index.html"))
    assert (out / "besluit/goed-b/index.html").is_file() and (out / "kamerstuk/goed-k/index.html").is_file()
    text = all_text(out)
    assert "LEKTITEL" not in text
    for value in VALUES:
        assert value not in text, value
    data = read_open_data(out)
    dumped = json.dumps(data, ensure_ascii=False)
    assert "GOED-B" in dumped and "GOED-K" in dumped and "LEK" not in dumped
