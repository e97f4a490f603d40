"""Publication types: the registry, the declarative schemas and what they drive."""

from __future__ import annotations

from publish.schema import all_docs_tables, replace_docs_blocks

from support import ROOT


def test_docs_field_tables_are_generated_from_the_schemas():
    """docs/pakketformaat.md and docs/beheer.md carry the tables the schemas produce, never drifting."""
    tables = all_docs_tables()
    for doc in ("docs/pakketformaat.md", "docs/beheer.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        assert replace_docs_blocks(text, tables) == text, f"{doc} is verouderd: draai python -m publish.schema"
    text = (ROOT / "docs/pakketformaat.md").read_text(encoding="utf-8") + (ROOT / "docs/beheer.md").read_text(encoding="utf-8")
    for key in tables:
        assert f"<!-- velden:{key} " in text, f"de tabel voor {key} ontbreekt in de documentatie"


# -- packages of every type ------------------------------------------------------------------------
import dataclasses  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
import yaml  # noqa: E402
from pdfdraw import write_pdf  # noqa: E402

from publish import types  # noqa: E402
from publish.package import load_package  # noqa: E402
from publish.schema import Field  # noqa: E402
from publish.search import compact, shard_names, terms  # noqa: E402

from support import DEMO_KEY, approve, build_args, diwoo_parts, diwoo_text, read_open_data, read_type_data  # noqa: E402

QA = """## Vraag 1

Herinnert u zich het bericht over berichtenapps?[^1]

### Antwoord

Ja, dat bericht ken ik.

## Vraag 2

Gebruikt u privémail voor uw werk?

### Antwoord

Nee.

[^1]: NRC, 1 april 2022.
"""

META = {
    "kamerstuk": (
        {
            "type": "kamerstuk",
            "kenmerk": "2025-KB-1",
            "titel": "Brief over OPENBAREBRIEFTITEL",
            "organisatie": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
            "datum": "2025-06-27",
            "publicatie_datum": "2025-06-30",
            "kamerstuknummer": "32761-275",
            "geadresseerde": "Voorzitter van de Tweede Kamer der Staten-Generaal",
            "onderwerp": "Persoonsgegevens van ambtenaren",
            "ondertekenaar": "De staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties",
            "brief": "kamerbrief.pdf",
            "bijlagen": [{"titel": "Bijlage bij de brief", "bestand": "bijlage.pdf"}],
        },
        "Samenvatting van de brief over ambtenarenbescherming.",
    ),
    "kamervragen": (
        {
            "type": "kamervragen",
            "kenmerk": "2022Z06465",
            "titel": "Vragen over BERICHTENAPPSTITEL",
            "organisatie": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
            "vraagnummer": "2022Z06465",
            "datum_gesteld": "2022-04-04",
            "datum_beantwoord": "2022-04-07",
            "publicatie_datum": "2022-04-08",
            "vragenstellers": ["Jesse Klaver (GL)", "Laurens Dassen (Volt)"],
            "beantwoord_door": ["Hanke Bruins Slot (minister van Binnenlandse Zaken en Koninkrijksrelaties)"],
            "antwoord": "antwoord.pdf",
        },
        QA,
    ),
    "publicatie": (
        {
            "type": "publicatie",
            "kenmerk": "JV-2023",
            "titel": "Jaarverslag JAARVERSLAGTITEL 2023",
            "organisatie": "Testgemeente",
            "datum": "2024-03-01",
            "publicatie_datum": "2024-03-05",
            "informatiecategorie": "jaarplannen en jaarverslagen",
            "document": "jaarverslag.pdf",
        },
        "Het jaarverslag over 2023.",
    ),
}


def make_typed(
    root: Path,
    kind: str,
    name: str | None = None,
    meta: dict | None = None,
    drop: tuple = (),
    body: str | None = None,
    pdf: list[str] | None = None,
) -> Path:
    base, default_body = META[kind]
    data = {**base, **(meta or {})}
    for key in drop:
        data.pop(key, None)
    pkg = root / (name or kind)
    pkg.mkdir(parents=True, exist_ok=True)
    (pkg / "besluit.md").write_text(
        "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + (default_body if body is None else body),
        encoding="utf-8",
    )
    for key in ("brief", "antwoord", "document"):
        if isinstance(base.get(key), str):
            write_pdf(pkg / base[key], pdf or [f"# {kind}", "De tekst van het hoofddocument over beleid."])
    for annex in base.get("bijlagen", []):
        write_pdf(pkg / annex["bestand"], ["# Bijlage", "Een bijlage met cijfers."])
    return pkg


def problems_of(pkg: Path):
    decision, found = load_package(pkg)
    return decision, found


def only(found, code):
    hits = [p for p in found if p.code == code]
    assert hits, f"verwacht {code}, kreeg {[(p.code, p.location, p.message) for p in found]}"
    return hits[0]


@pytest.mark.parametrize("kind", sorted(META))
def test_valid_package_of_each_type_loads_into_its_typed_model(tmp_path, kind):
    decision, found = problems_of(make_typed(tmp_path, kind))
    assert [p for p in found if p.is_error] == []
    assert decision.type == kind and decision.kind is types.get(kind)
    assert type(decision.meta).__name__.endswith("Gegevens") and decision.meta.kenmerk == META[kind][0]["kenmerk"]
    assert decision.law is None and decision.outcome is None and decision.inventory == []


def test_typed_model_values(tmp_path):
    import datetime as dt

    d, _ = problems_of(make_typed(tmp_path, "kamervragen"))
    assert d.meta.datum_gesteld == dt.date(2022, 4, 4) and d.decision_date == dt.date(2022, 4, 7)
    assert d.meta.vragenstellers == ["Jesse Klaver (GL)", "Laurens Dassen (Volt)"]
    assert d.kind.category_of(d)[1] == "vergaderstukken Staten-Generaal"
    assert d.kind.document_kind_of(d)[1] == "Kamervraag met antwoord"
    p, _ = problems_of(make_typed(tmp_path, "publicatie"))
    assert p.meta.informatiecategorie == (
        "https://identifier.overheid.nl/tooi/def/thes/kern/c_c6cd1213",
        "jaarplannen en jaarverslagen",
    )
    assert p.kind.document_kind_of(p) is None


BROKEN = [
    # (type, meta changes, fields dropped, body, code, location)
    ("kamerstuk", {}, ("brief",), None, "veld.ontbreekt", "veld 'brief'"),
    ("kamerstuk", {}, ("geadresseerde",), None, "veld.ontbreekt", "veld 'geadresseerde'"),
    ("kamerstuk", {}, ("ondertekenaar",), None, "veld.ontbreekt", "veld 'ondertekenaar'"),
    ("kamerstuk", {}, ("datum",), None, "veld.ontbreekt", "veld 'datum'"),
    (
        "kamerstuk",
        {"ondertekenaar": "J. Jansen, directeur Informatiehuishouding"},
        (),
        None,
        "veld.ondertekenaar",
        "veld 'ondertekenaar'",
    ),
    ("kamerstuk", {"geadresseerde": "De heer J. Jansen"}, (), None, "veld.geadresseerde", "veld 'geadresseerde'"),
    ("kamerstuk", {"kamerstuknummer": "nr. 12"}, (), None, "veld.kamerstuknummer", "veld 'kamerstuknummer'"),
    ("kamerstuk", {"datum": "27-06-2025"}, (), None, "veld.datum", "veld 'datum'"),
    ("kamerstuk", {"publicatie_datum": "2025-06-01"}, (), None, "veld.datum_volgorde", "veld 'publicatie_datum'"),
    ("kamerstuk", {"besluit": "openbaar"}, (), None, "veld.onbekend", "veld 'besluit'"),
    ("kamerstuk", {"onderwerp": ["a", "b"]}, (), None, "veld.type", "veld 'onderwerp'"),
    ("kamerstuk", {"documentsoort": "brief aan de koning"}, (), None, "veld.tooi", "veld 'documentsoort'"),
    ("kamervragen", {"vraagnummer": "2022-6465"}, (), None, "veld.vraagnummer", "veld 'vraagnummer'"),
    ("kamervragen", {"vraagnummer": "2022Z06465\u0007"}, (), None, "veld.vraagnummer", "veld 'vraagnummer'"),
    (
        "kamervragen",
        {"datum_beantwoord": "2022-04-01", "publicatie_datum": "2022-04-08"},
        (),
        None,
        "veld.datum_volgorde",
        "veld 'datum_beantwoord'",
    ),
    ("kamervragen", {"vragenstellers": ["Jesse Klaver"]}, (), None, "veld.vragensteller", "veld 'vragenstellers'"),
    ("kamervragen", {"beantwoord_door": ["Jan Jansen (directeur)"]}, (), None, "veld.bewindspersoon", "veld 'beantwoord_door'"),
    ("kamervragen", {}, ("vragenstellers",), None, "veld.ontbreekt", "veld 'vragenstellers'"),
    ("kamervragen", {}, ("antwoord",), None, "veld.ontbreekt", "veld 'antwoord'"),
    ("kamervragen", {}, (), "Alleen een samenvatting.", "vragen.ontbreken", "vragen en antwoorden"),
    ("kamervragen", {}, (), QA.replace("## Vraag 2", "## Vraag 3"), "vragen.nummering", "vraag 3"),
    ("kamervragen", {}, (), QA.replace("### Antwoord\n\nNee.", ""), "vragen.antwoord_ontbreekt", "vraag 2"),
    ("kamervragen", {}, (), QA.replace("[^1]: NRC, 1 april 2022.", ""), "vragen.voetnoot", "voetnoot 1"),
    ("publicatie", {}, ("informatiecategorie",), None, "veld.ontbreekt", "veld 'informatiecategorie'"),
    ("publicatie", {"informatiecategorie": "c_00000000"}, (), None, "veld.tooi", "veld 'informatiecategorie'"),
    ("publicatie", {"informatiecategorie": "c_3baef532"}, (), None, "veld.informatiecategorie", "veld 'informatiecategorie'"),
    ("publicatie", {"document": "../elders.pdf"}, (), None, "bestand.buiten_pakket", "veld 'document'"),
    ("publicatie", {"type": ["publicatie"]}, (), None, "veld.type_onbekend", "veld 'type'"),
    ("publicatie", {"type": "notulen"}, (), None, "veld.type_onbekend", "veld 'type'"),
]


@pytest.mark.parametrize("kind,meta,drop,body,code,location", BROKEN)
def test_each_rule_broken_gives_a_dutch_message_naming_the_field(tmp_path, kind, meta, drop, body, code, location):
    decision, found = problems_of(make_typed(tmp_path, kind, meta=meta, drop=drop, body=body))
    assert decision is None
    p = only(found, code)
    assert p.file == "besluit.md" and p.location == location and p.fix
    assert any(w in p.message for w in (" de ", " het ", " een ", " is ", " zijn ", " staat ", "ontbreekt", "niet", "geen")), (
        p.message
    )


def test_unknown_field_names_the_allowed_fields_of_the_type(tmp_path):
    _, found = problems_of(make_typed(tmp_path, "kamerstuk", meta={"ondertekend_door": "De minister van Financiën"}))
    p = only(found, "veld.onbekend")
    assert "bij het type 'kamerstuk'" in p.message and "Bedoelde u 'ondertekenaar'?" in p.fix


def test_category_and_document_kind_can_be_overridden_from_the_tooi_lists(tmp_path):
    d, found = problems_of(
        make_typed(
            tmp_path,
            "kamerstuk",
            meta={"documentsoort": "c_056a75e1", "informatiecategorie": "bij vertegenwoordigende organen ingekomen stukken"},
        )
    )
    assert d is not None, found
    assert d.kind.category_of(d)[0].endswith("c_8c840238") and d.kind.document_kind_of(d)[0].endswith("c_056a75e1")


# -- the site across types -------------------------------------------------------------------------
def search_urls(site: Path, word: str, raw: bool = False) -> set[str]:
    """The publication pages the search index finds for one word (the same lookup the browser does)."""
    index = site / "zoeken" / "index"
    meta = json.loads((index / "meta.json").read_text())
    term = compact(word) if raw else terms(word)[0]
    refs = set()
    for name in shard_names(meta, term):  # one file per bucket with files, refs are stable ids
        shard = json.loads((index / name).read_text())["b"]  # the decision index
        if term in shard:
            refs |= {ref for flat in shard[term][1].values() for ref in flat[::3]}
    urls = set()
    for sid in refs:
        assert sid in meta["id"]
        urls.add(json.loads((index / f"d-{sid}-0.json").read_text())["besluit"][2])
    return urls


@pytest.fixture(scope="module")
def typed_site(tmp_path_factory):
    from conftest import PackageMaker, run_cli

    root = tmp_path_factory.mktemp("types")
    decisions = root / "decisions"
    for kind in META:
        approve(make_typed(decisions, kind))
    approve(PackageMaker(decisions)("woo"))
    out = root / "site"
    result = run_cli(*build_args(decisions, out, cache=root / "cache", today="2025-07-01"))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_kamerstuk_page(typed_site):
    page = (typed_site / "kamerstuk/2025-kb-1/index.html").read_text()
    for text in (
        "Brief over OPENBAREBRIEFTITEL",
        "Kamerbrief van Ministerie van Binnenlandse Zaken",
        "32761-275",
        "Voorzitter van de Tweede Kamer der Staten-Generaal",
        "De staatssecretaris van Binnenlandse Zaken",
        "27 juni 2025",
        "vergaderstukken Staten-Generaal",
        "Bijlage bij de brief",
        'href="kamerbrief.pdf"',
    ):
        assert text in page, text
    assert (typed_site / "kamerstuk/2025-kb-1/kamerbrief.pdf").is_file()
    assert (typed_site / "kamerstuk/2025-kb-1/bijlage-1.pdf").is_file()


def test_kamervragen_page_shows_questions_and_answers_as_html(typed_site):
    page = (typed_site / "kamervragen/2022z06465/index.html").read_text()
    assert "<h3>Vraag 1</h3>" in page and "<h3>Vraag 2</h3>" in page
    q1, q2 = page.index("<h3>Vraag 1</h3>"), page.index("<h3>Vraag 2</h3>")
    assert q1 < page.index("Ja, dat bericht ken ik.") < q2 < page.index("<p>Nee.</p>")
    assert 'href="#fn:1"' in page and 'id="fn:1"' in page and "NRC, 1 april 2022." in page
    assert "beantwoord na 3 dagen" in page and "Jesse Klaver (GL)" in page and "2022Z06465" in page
    assert 'href="antwoord.pdf"' in page and (typed_site / "kamervragen/2022z06465/antwoord.pdf").is_file()


def test_publicatie_page(typed_site):
    page = (typed_site / "publicatie/jv-2023/index.html").read_text()
    assert "Jaarverslag JAARVERSLAGTITEL 2023" in page and "jaarplannen en jaarverslagen" in page
    assert "Het jaarverslag over 2023." in page and 'href="document.pdf"' in page


def test_diwoo_sitemaps_carry_each_publication_under_its_own_category(typed_site):
    from publish.diwoo import validate

    robots = (typed_site / "robots.txt").read_text()
    for number, uri, kind, url in (
        ("007", "c_c76862ab", "c_49599e6c", "kamerstuk/2025-kb-1/kamerbrief.pdf"),
        ("007", "c_c76862ab", "c_6d494ab6", "kamervragen/2022z06465/antwoord.pdf"),
        ("012", "c_c6cd1213", None, "publicatie/jv-2023/document.pdf"),
        ("014", "c_3baef532", "c_4f50ca9c", "besluit/2024-0001/besluitbrief.pdf"),
    ):
        index = (typed_site / f"sitemapindex-diwoo-infocat{number}.xml").read_text()
        assert validate(index, "sitemapindex") == [] and f"sitemapindex-diwoo-infocat{number}.xml" in robots
        assert all(validate(p.read_text(), "urlset") == [] for p in diwoo_parts(typed_site, number))
        xml = diwoo_text(typed_site, number)
        entry = xml[xml.index(url + "</loc>") :]
        entry = entry[: entry.index("</url>")]
        assert f'kern/{uri}"' in entry
        if kind:
            assert f'kern/{kind}"' in entry
    assert "kamerstuk/" not in diwoo_text(typed_site, "014")


def test_search_finds_every_type_with_its_type(typed_site):
    assert "kamerstuk/2025-kb-1/" in search_urls(typed_site, "OPENBAREBRIEFTITEL")
    assert "kamervragen/2022z06465/" in search_urls(typed_site, "2022Z06465", raw=True)
    assert "kamervragen/2022z06465/" in search_urls(typed_site, "privémail")  # in the questions and answers
    assert "publicatie/jv-2023/" in search_urls(typed_site, "JAARVERSLAGTITEL")
    meta = json.loads((typed_site / "zoeken/index/meta.json").read_text())
    assert set(meta["soorten"]) == {"Woo-besluit", "Kamerbrief", "Kamervragen met antwoorden", "Publicatie"}
    assert len(meta["soort"]) == meta["aantal"] == 4


def test_listings_have_a_type_facet_that_works_without_javascript(typed_site):
    listing = (typed_site / "besluiten/index.html").read_text()
    assert "Alle publicaties" in listing and "<h2>Soort</h2>" in listing
    for label, url in (
        ("Kamerbrieven", "soort/kamerbrieven/"),
        ("Kamervragen", "soort/kamervragen/"),
        ("Woo-besluiten", "soort/woo-besluiten/"),
        ("Overige publicaties", "soort/overige-publicaties/"),
    ):
        assert f'href="{url}">{label}</a>' in listing, label
    only_letters = (typed_site / "besluiten/soort/kamerbrieven/index.html").read_text()
    assert "OPENBAREBRIEFTITEL" in only_letters and "BERICHTENAPPSTITEL" not in only_letters
    home = (typed_site / "index.html").read_text()
    assert "<li><strong>1</strong> Kamerbrief</li>" in home and "<li><strong>1</strong> Publicatie</li>" in home
    assert '<th scope="col">Soort</th>' in home and "Woo-besluit: deels openbaar" in home
    # the home table is of every type, newest publication first, and shows the date it is ordered by
    assert "laatst gepubliceerde publicaties, nieuwste eerst" in home and "laatst gepubliceerde besluiten" not in home
    table = home[home.index("laatst gepubliceerde publicaties") :]
    assert '<th scope="col">Gepubliceerd op</th>' in table
    shown = re.findall(r'data-label="Gepubliceerd op"><time datetime="([0-9-]+)"', table)
    assert len(shown) == 4 and shown == sorted(shown, reverse=True), shown


def test_statistics_keep_decision_figures_and_count_per_category(typed_site):
    page = (typed_site / "statistieken/index.html").read_text()
    assert "Publicaties per informatiecategorie (Woo)" in page
    table = page[page.index('id="categorieen"') :]
    assert 'Vergaderstukken Staten-Generaal (c_c76862ab)</td><td data-label="Publicaties">2</td>' in table
    assert 'Jaarplannen en jaarverslagen (c_c6cd1213)</td><td data-label="Publicaties">1</td>' in table
    assert 'Woo-verzoeken en -besluiten (c_3baef532)</td><td data-label="Publicaties">1</td>' in table
    assert "De cijfers over besluiten gaan over de 1 Woo- en Wob-besluiten" in page


def test_open_data_per_type(typed_site):
    [record], _ = read_type_data(typed_site, "kamervragen")
    assert record["vraagnummer"] == "2022Z06465" and record["datum_gesteld"] == "2022-04-04"
    assert record["informatiecategorie"]["label"] == "vergaderstukken Staten-Generaal"
    assert record["antwoord"].endswith("kamervragen/2022z06465/antwoord.pdf")
    _, rows = read_type_data(typed_site, "kamerstuk")
    assert "ondertekenaar" in rows[0] and rows[1][rows[0].index("kamerstuknummer")] == "32761-275"
    site = read_open_data(typed_site)
    assert [b["kenmerk"] for b in site["besluiten"]] == ["2024-0001"]
    assert sorted(p["soort"] for p in site["publicaties"]) == ["kamerstuk", "kamervragen", "publicatie"]
    index = json.loads((typed_site / "data.json").read_text())
    assert [k["soort"] for k in index["soorten"]] == ["woo-besluit", "kamerstuk", "kamervragen", "publicatie"]
    for kind in index["soorten"]:  # every type's index is there and counts what its parts hold
        records, csv_rows = read_type_data(typed_site, kind["soort"])
        assert len(records) == kind["aantal"] == max(len(csv_rows) - 1, 0)


# -- every type passes the same gates --------------------------------------------------------------
def test_every_type_passes_the_same_gates(cli_build_gates):
    out, result = cli_build_gates
    assert result.returncode == 1
    text = "\n".join(
        p.read_text(errors="replace") for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml")
    )
    assert "LEKTITEL" not in text and "ONGEKEURDTITEL" not in text and "EMBARGOTITEL" not in text and "PRIVACYTITEL" not in text
    assert "er staat leesbare tekst onder een zwart" in result.stdout  # the redaction gate on a Kamerbrief
    assert "e-mailadres" in result.stdout  # personal data in the answer letter
    assert not (out / "kamerstuk/lek").exists()
    assert (out / "publicatie/ok-2023/index.html").is_file()


@pytest.fixture(scope="module")
def cli_build_gates(tmp_path_factory):
    from reportlab.pdfgen import canvas

    from conftest import run_cli

    root = tmp_path_factory.mktemp("gates")
    decisions = root / "decisions"
    leak = make_typed(decisions, "kamerstuk", "lek", meta={"kenmerk": "LEK", "titel": "LEKTITEL"})
    c = canvas.Canvas(str(leak / "kamerbrief.pdf"), invariant=1)
    c.drawString(100, 700, "Gesprek met Karel Geheimhouder over de planning.")
    c.rect(160, 695, 120, 16, stroke=0, fill=1)
    c.save()
    approve(leak)
    privacy = make_typed(
        decisions,
        "kamervragen",
        "privacy",
        meta={"kenmerk": "PRIV", "titel": "PRIVACYTITEL"},
        pdf=["# Antwoord", "Mail ons via jan.jansen@example.nl voor vragen."],
    )
    approve(privacy)
    make_typed(decisions, "kamerstuk", "ongekeurd", meta={"kenmerk": "ONG", "titel": "ONGEKEURDTITEL"})
    embargo = make_typed(
        decisions, "publicatie", "embargo", meta={"kenmerk": "EMB", "titel": "EMBARGOTITEL", "publicatie_datum": "2030-01-01"}
    )
    approve(embargo)
    ok = make_typed(decisions, "publicatie", "ok", meta={"kenmerk": "OK-2023"})
    approve(ok)
    out = root / "site"
    result = run_cli(*build_args(decisions, out, cache=root / "cache", today="2025-07-01"))
    return out, result


def test_withdrawing_a_kamerstuk_leaves_a_notice_at_its_own_address(tmp_path):
    from conftest import run_cli

    decisions = tmp_path / "decisions"
    pkg = make_typed(decisions, "kamerstuk")
    approve(pkg)
    assert (
        run_cli(
            "withdraw", str(pkg), "--reden", "Verkeerde bijlage", "--datum", "2025-07-01", "--sleutel", str(DEMO_KEY)
        ).returncode
        == 0
    )
    out = tmp_path / "site"
    result = run_cli(*build_args(decisions, out, cache=tmp_path / "c", today="2025-07-02"))
    assert result.returncode == 0, result.stdout
    notice = (out / "kamerstuk/2025-kb-1/index.html").read_text()
    assert "Kamerbrief 2025-KB-1 is ingetrokken" in notice and "Verkeerde bijlage" in notice
    assert sorted(p.name for p in (out / "kamerstuk/2025-kb-1").iterdir()) == ["index.html"]


# -- one more field: validation, model, docs and open data follow from the schema alone -------------
def test_adding_a_field_to_a_schema_changes_validation_model_docs_and_open_data(tmp_path, monkeypatch):
    from publish.opendata import open_data_bytes

    kind = types.get("kamerstuk")
    pkg = make_typed(tmp_path / "d", "kamerstuk", meta={"commissie": "Binnenlandse Zaken"})
    _, found = problems_of(pkg)
    assert only(found, "veld.onbekend").location == "veld 'commissie'"  # before: an unknown field

    extra = Field(
        "commissie",
        "line",
        required=True,
        label="Commissie",
        pattern=r"[A-Z][^\n]{2,80}",
        code="veld.commissie",
        doc="de Kamercommissie die de brief behandelt",
        message="'{value}' is geen commissie.",
        fix="Schrijf de naam van de commissie met een hoofdletter.",
    )
    monkeypatch.setitem(types.REGISTRY, "kamerstuk", dataclasses.replace(kind, schema=kind.schema.with_field(extra)))

    decision, found = problems_of(pkg)  # validation: now known, and its format is checked
    assert [p for p in found if p.is_error] == [] and decision.meta.commissie == "Binnenlandse Zaken"  # model
    assert "commissie" in {f.name for f in dataclasses.fields(decision.meta)}
    _, found = problems_of(make_typed(tmp_path / "e", "kamerstuk", meta={"commissie": "x"}))
    assert only(found, "veld.commissie").location == "veld 'commissie'"
    _, found = problems_of(make_typed(tmp_path / "f", "kamerstuk"))
    assert only(found, "veld.ontbreekt").location == "veld 'commissie'"  # required
    assert "| `commissie` | ja | de Kamercommissie die de brief behandelt |" in all_docs_tables()["kamerstuk"]  # docs

    from types import SimpleNamespace

    view = SimpleNamespace(
        decision=decision,
        url="kamerstuk/2025-kb-1/",
        category=("u", "l"),
        document_kind=None,
        main_files=[
            SimpleNamespace(url="kamerstuk/2025-kb-1/kamerbrief.pdf", title="Kamerbrief", pages=1, size=1, searchable=True)
        ],
        files=[],
    )
    view.files = view.main_files
    files = open_data_bytes([view], "https://x/", "Site")  # open data: the type's JSON and CSV part
    [part] = [json.loads(data) for name, data in files.items() if name.startswith("data/kamerstuk/") and name.endswith(".json")]
    assert part["publicaties"][0]["commissie"] == "Binnenlandse Zaken"
    [table] = [data for name, data in files.items() if name.startswith("data/kamerstuk/") and name.endswith(".csv")]
    assert "commissie" in table.decode("utf-8-sig").splitlines()[0]


def test_a_changed_url_scheme_leaves_a_redirect_page_at_the_old_address(tmp_path, monkeypatch):
    from conftest import PackageMaker

    decisions = tmp_path / "decisions"
    approve(PackageMaker(decisions)("woo"))
    kind = types.get("woo-besluit")
    # Run the CLI in-process so the changed registry applies: a new prefix, the old one remembered.
    monkeypatch.setitem(
        types.REGISTRY, "woo-besluit", dataclasses.replace(kind, url_prefix="woo-besluit", old_prefixes=("besluit",))
    )
    from click.testing import CliRunner

    from publish.cli import main

    out = tmp_path / "site"
    result = CliRunner().invoke(
        main,
        build_args(decisions, out, cache=tmp_path / "c"),
    )
    assert result.exit_code == 0, result.output
    assert (out / "woo-besluit/2024-0001/index.html").is_file() and (out / "woo-besluit/2024-0001/besluitbrief.pdf").is_file()
    redirect = (out / "besluit/2024-0001/index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=https://' in redirect and "woo-besluit/2024-0001/" in redirect
    assert 'rel="canonical"' in redirect and "Verzoek over vergaderstukken" in redirect


def test_search_page_in_a_browser_shows_the_type_of_each_result_and_filters_by_type(typed_site):
    import re
    from urllib.parse import quote

    from browser_helpers import Server, browser_available, probe

    if not browser_available():
        pytest.skip("chromium, node of playwright-core ontbreekt (make test installeert ze)")
    server = Server(typed_site)
    try:

        def search(query, **facets):
            url = server.base + "zoeken/?q=" + quote(query) + "".join(f"&{k}={quote(v)}" for k, v in facets.items())
            r = probe(url=url, waitFor="#woo-search-status")
            assert r["errors"] == [], r["errors"]
            return r["html"]

        html = search("2022Z06465")
        assert "BERICHTENAPPSTITEL" in html and '<span class="woo-type">Kamervragen met antwoorden</span>' in html
        html = search("beleid")  # in the main document of every non-decision type
        assert '<span class="woo-type">Kamerbrief</span>' in html and '<span class="woo-type">Publicatie</span>' in html
        html = search("beleid", soort="Kamerbrief")
        titles = re.findall(r'class="woo-result-title"><a href="[^"]*">(.*?)</a>', html)
        assert titles and all("OPENBAREBRIEFTITEL" in t for t in titles)
    finally:
        server.close()


@pytest.mark.parametrize("meta", [{"vragenstellers": ["Jesse Klaver (GL)\u0000"]}, {"kenmerk": "2022Z\u001b06465"}])
def test_control_characters_in_typed_fields_refuse_the_package(tmp_path, meta):
    decision, found = problems_of(make_typed(tmp_path, "kamervragen", meta=meta))
    assert decision is None and any(p.file == "besluit.md" and p.location.startswith("veld '") for p in found if p.is_error)


def test_hostile_questions_and_answers_are_escaped(tmp_path):
    from publish.types.kamervragen import page

    body = QA.replace("Ja, dat bericht ken ik.", "Ja <script>alert(1)</script> [klik](javascript:alert(2)) <img src=x onerror=y>")
    body += "\n## Vraag 3\n\nHuge? " + "woord " * 20000 + "\n\n### Antwoord\n\nNee.\n"
    d, found = problems_of(make_typed(tmp_path, "kamervragen", body=body))
    assert d is not None, found
    html = str(page(type("V", (), {"decision": d})())["qa_html"])
    assert "<script" not in html and "javascript:" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<h3>Vraag 3</h3>" in html


def test_site_settings_are_checked_against_their_declaration(tmp_path, monkeypatch):
    import publish.siteconfig as siteconfig

    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Test\nextra:\n  woo:\n    tooi: geen-uri\n    organisaties: [a, b]\n    toegestane_gegevens: 12\n"
        "    contact: {email: woo@example.nl}\n    proef: {max_mb: 5}\n",
        encoding="utf-8",
    )
    found = {(p.location, p.code) for p in siteconfig.load_site_config(config).problems}
    assert ("extra.woo.tooi", "config.formaat") in found and ("extra.woo.organisaties", "config.type") in found
    assert ("extra.woo.toegestane_gegevens", "config.type") in found and ("extra.woo.proef", "config.veld_onbekend") in found
    # A setting declared once is validated and documented, with no other edit.
    limits = Field(
        "proef",
        "mapping",
        doc="grenzen per pakket",
        subfields=(Field("max_mb", "int", minimum=1, maximum=1000, doc="grootste pdf in MB"),),
    )
    monkeypatch.setattr(siteconfig, "SETTINGS", siteconfig.SETTINGS.with_field(limits))
    monkeypatch.setattr(siteconfig, "KNOWN_FIELDS", set(siteconfig.SETTINGS.names()))
    config.write_text(
        "site_name: Test\nextra:\n  woo:\n    contact: {email: woo@example.nl}\n    ongetekend: true\n"
        "    proef: {max_mb: 0, min: 1}\n",
        encoding="utf-8",
    )
    found = {(p.location, p.code) for p in siteconfig.load_site_config(config).problems if p.is_error}
    assert found == {("extra.woo.proef.max_mb", "config.bereik"), ("extra.woo.proef.min", "config.veld_onbekend")}
    assert "| `proef.max_mb` | nee | grootste pdf in MB |" in all_docs_tables()["extra.woo"]


def test_personal_data_in_a_type_specific_field_refuses_the_package_once(tmp_path):
    from publish.gate.personal_data import allowed_hashes
    from publish.privacy import check_published_texts
    from publish.problems import Problems

    d, found = problems_of(
        make_typed(tmp_path, "kamerstuk", meta={"onderwerp": "Bel 06-12345678 voor vragen", "titel": "Mail j.jansen@example.nl"})
    )
    assert d is not None, found
    problems = Problems("p")
    check_published_texts(d, allowed_hashes([]), problems)
    locations = sorted(p.location for p in problems)
    assert locations == ["veld 'onderwerp'", "veld 'titel'"], locations


def test_type_csv_neutralises_formulas(tmp_path):
    import csv
    import io
    from types import SimpleNamespace

    from publish.opendata import open_data_bytes

    d, found = problems_of(make_typed(tmp_path, "kamerstuk", meta={"onderwerp": '=HYPERLINK("https://x")'}))
    assert d is not None, found
    view = SimpleNamespace(
        decision=d,
        url="kamerstuk/2025-kb-1/",
        category=("u", "l"),
        document_kind=None,
        main_files=[
            SimpleNamespace(url="kamerstuk/2025-kb-1/kamerbrief.pdf", title="Kamerbrief", pages=1, size=1, searchable=True)
        ],
    )
    view.files = view.main_files
    files = open_data_bytes([view], "https://x/", "Site")
    [table] = [data for name, data in files.items() if name.startswith("data/kamerstuk/") and name.endswith(".csv")]
    rows = list(csv.reader(io.StringIO(table.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][rows[0].index("onderwerp")] == '\'=HYPERLINK("https://x")'


def _kamerstuk_view(root: Path, n: int, **meta):
    from types import SimpleNamespace

    d, found = problems_of(make_typed(root, "kamerstuk", name=f"ks-{n}", meta={"kenmerk": f"2025-KB-{n}", **meta}))
    assert d is not None, found
    url = f"kamerstuk/{d.slug}/"
    letter = SimpleNamespace(url=url + "kamerbrief.pdf", title="Kamerbrief", pages=1, size=1, searchable=True)
    view = SimpleNamespace(decision=d, url=url, category=("u", "l"), document_kind=None, main_files=[letter])
    view.files = view.main_files
    return view


def _joined(files: dict[str, bytes], index_name: str) -> list[dict]:
    """The records of every JSON part an index lists, checked against the index's size and SHA-256."""
    import hashlib

    index = json.loads(files[index_name])
    records = []
    for entry in index["delen"]:
        data = files[entry["url"].removeprefix("https://x/")]
        assert len(data) == entry["bytes"] and hashlib.sha256(data).hexdigest() == entry["sha256"]
        records += json.loads(data)["publicaties"]
    return records


def test_open_data_parts_per_month_split_a_large_month_without_splitting_a_publication(tmp_path):
    """Issue 19: a month larger than ``max_bytes`` is split over numbered parts, each publication whole in one
    of them; joined in the index's order the parts hold exactly what one part would."""
    from publish.opendata import open_data_bytes

    views = [_kamerstuk_view(tmp_path, n) for n in range(1, 6)]
    whole = open_data_bytes(views, "https://x/", "Site")
    assert sorted(n for n in whole if n.startswith("data/kamerstuk/")) == [
        "data/kamerstuk/2025-06-1.csv",
        "data/kamerstuk/2025-06-1.json",
    ]
    one_part = _joined(whole, "data/kamerstuk.json")
    assert [r["kenmerk"] for r in one_part] == [f"2025-KB-{n}" for n in range(1, 6)]

    size = len(whole["data/kamerstuk/2025-06-1.json"])
    split = open_data_bytes(views, "https://x/", "Site", max_bytes=size // 2)
    index = json.loads(split["data/kamerstuk.json"])
    assert [e["deel"] for e in index["delen"]] == list(range(1, len(index["delen"]) + 1)) and len(index["delen"]) >= 2
    assert all(e["bytes"] <= size // 2 for e in index["delen"])  # each publication is much smaller than half the month
    assert _joined(split, "data/kamerstuk.json") == one_part
    assert _joined(split, "data.json") == one_part  # data.json's parts: the other types under "publicaties"
    csv_lines = [
        line
        for e in index["delen"]
        for line in split[e["csv"]["url"].removeprefix("https://x/")].decode("utf-8-sig").splitlines()[1:]
    ]
    assert csv_lines == whole["data/kamerstuk/2025-06-1.csv"].decode("utf-8-sig").splitlines()[1:]

    tiny = open_data_bytes(views, "https://x/", "Site", max_bytes=1)  # smaller than any publication: one part each
    assert [e["aantal"] for e in json.loads(tiny["data/kamerstuk.json"])["delen"]] == [1] * 5
    assert _joined(tiny, "data/kamerstuk.json") == one_part


def test_a_changed_publication_changes_only_its_months_part_and_the_indexes(tmp_path):
    from publish.opendata import open_data_bytes

    months = ["2025-06-30", "2025-07-01", "2025-08-15"]
    views = [_kamerstuk_view(tmp_path / "a", n, publicatie_datum=day) for n, day in enumerate(months, start=1)]
    before = open_data_bytes(views, "https://x/", "Site")
    assert {n for n in before if n.startswith("data/kamerstuk/")} == {
        f"data/kamerstuk/{m}-1.{ext}" for m in ("2025-06", "2025-07", "2025-08") for ext in ("json", "csv")
    }
    views[1] = _kamerstuk_view(tmp_path / "b", 2, publicatie_datum=months[1], titel="Brief over een ANDERETITEL")
    after = open_data_bytes(views, "https://x/", "Site")
    assert sorted(after) == sorted(before)
    changed = sorted(n for n in after if after[n] != before[n])
    assert changed == [
        "data.json",
        "data/alles/2025-07-1.json",
        "data/kamerstuk.csv",
        "data/kamerstuk.json",
        "data/kamerstuk/2025-07-1.csv",
        "data/kamerstuk/2025-07-1.json",
    ]
    assert b"ANDERETITEL" in after["data/alles/2025-07-1.json"] and b"ANDERETITEL" not in after["data.json"]
    # Withdrawn (no longer among the views): its month's parts are gone, the other months' are as they were.
    gone = open_data_bytes([views[0], views[2]], "https://x/", "Site")
    assert sorted(set(after) - set(gone)) == [
        "data/alles/2025-07-1.json",
        "data/kamerstuk/2025-07-1.csv",
        "data/kamerstuk/2025-07-1.json",
    ]
    assert sorted(n for n in gone if gone[n] != after[n]) == ["data.json", "data/kamerstuk.csv", "data/kamerstuk.json"]
    assert [e["maand"] for e in json.loads(gone["data.json"])["delen"]] == ["2025-06", "2025-08"]


def test_open_data_indexes_are_plain_json_and_csv(tmp_path):
    """The indexes and parts are what ``json.dumps(indent=1)`` writes (one format everywhere), the CSV index
    opens in a spreadsheet (BOM, ``;``) and lists the CSV parts."""
    import csv
    import io

    from publish.opendata import open_data_bytes

    files = open_data_bytes([_kamerstuk_view(tmp_path, 1)], "https://x/", "Site")
    for name, data in files.items():
        if name.endswith(".json"):
            assert data.decode("utf-8") == json.dumps(json.loads(data), ensure_ascii=False, indent=1) + "\n", name
    index = json.loads(files["data.json"])
    assert index["versie"] == 2 and index["indeling"] == "maand van publicatie"
    assert (index["aantal_besluiten"], index["aantal_publicaties"]) == (0, 1) and "besluiten" not in index
    assert [e["url"] for e in index["delen"]] == ["https://x/data/alles/2025-06-1.json"]
    assert {k["soort"]: k["aantal"] for k in index["soorten"]} == {
        "woo-besluit": 0,
        "kamerstuk": 1,
        "kamervragen": 0,
        "publicatie": 0,
    }
    assert json.loads(files["data/woo-besluit.json"])["delen"] == []
    rows = list(csv.reader(io.StringIO(files["data/kamerstuk.csv"].decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["maand", "deel", "aantal", "url", "bytes", "sha256"]
    assert rows[1][:4] == ["2025-06", "1", "1", "https://x/data/kamerstuk/2025-06-1.csv"]
    assert files["data/kamerstuk.csv"].startswith("\ufeff".encode()) and files["data/kamerstuk.csv"].endswith(b"\r\n")


def test_a_wob_decision_is_listed_as_a_wob_besluit():
    """Lists name each item's kind: a decision under the old Wob is no 'Woo-besluit'."""
    from types import SimpleNamespace

    from publish.pages import DecisionView
    from publish.types import REGISTRY

    woo = REGISTRY["woo-besluit"]
    label = DecisionView.kind_label.fget  # type: ignore[attr-defined]
    assert label(SimpleNamespace(kind=woo, decision=SimpleNamespace(law="Wob"))) == "Wob-besluit"
    assert label(SimpleNamespace(kind=woo, decision=SimpleNamespace(law="Woo"))) == "Woo-besluit"
