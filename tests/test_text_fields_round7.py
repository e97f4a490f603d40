"""Attack round 7, rows 6 and 5: what the free-text fields of a package may hold.

Row 6: a bidi override (U+202E) in ``titel`` showed "…exe.PDF" on the site; only fields with a pattern were checked for
control characters. Now every text a package publishes is: each text field of each type, list items, annex titles,
inventory cells and the summary (``package.UNSEEN``, ``_Loader.unseen``).

Row 5: ``ondertekenaar`` (Kamerbrief) and ``beantwoord_door`` (Kamervragen) promise an office, never a civil
servant, but took any text after or before the office: "De minister van BZK, namens deze: J. Pietersen".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pdfdraw import write_pdf

from publish import types
from publish.package import load_package
from publish.problems import summarise

from support import HEADER, ROOT, ROWS, SHARED, PackageMaker, all_text, approve, build_args, file_line, run_cli

META = {
    "kamerstuk": {
        "type": "kamerstuk",
        "kenmerk": "2025-KB-1",
        "titel": "Brief over de planning",
        "organisatie": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        "datum": "2025-06-27",
        "publicatie_datum": "2025-06-30",
        "kamerstuknummer": "32761-275",
        "geadresseerde": "Voorzitter van de Tweede Kamer der Staten-Generaal",
        "onderwerp": "Planning",
        "ondertekenaar": "De staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties",
        "brief": "kamerbrief.pdf",
        "bijlagen": [{"titel": "Bijlage bij de brief", "bestand": "bijlage.pdf"}],
        "onderwerpen": ["Planning"],
        "informatiecategorie": "Woo-verzoeken en -besluiten",
    },
    "kamervragen": {
        "type": "kamervragen",
        "kenmerk": "2022Z06465",
        "titel": "Vragen over berichtenapps",
        "organisatie": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        "vraagnummer": "2022Z06465",
        "datum_gesteld": "2022-04-04",
        "datum_beantwoord": "2022-04-07",
        "publicatie_datum": "2022-04-08",
        "vragenstellers": ["Jesse Klaver (GL)"],
        "beantwoord_door": ["Hanke Bruins Slot (minister van Binnenlandse Zaken en Koninkrijksrelaties)"],
        "antwoord": "antwoord.pdf",
        "onderwerpen": ["Berichtenapps"],
    },
    "publicatie": {
        "type": "publicatie",
        "kenmerk": "JV-2023",
        "titel": "Jaarverslag 2023",
        "organisatie": "Testgemeente",
        "datum": "2024-03-01",
        "publicatie_datum": "2024-03-05",
        "informatiecategorie": "jaarplannen en jaarverslagen",
        "document": "jaarverslag.pdf",
        "onderwerpen": ["Jaarverslag"],
    },
}
BODY = {
    "kamerstuk": "Samenvatting van de brief.",
    "kamervragen": "## Vraag 1\n\nKent u het bericht?\n\n### Antwoord\n\nJa.\n",
    "publicatie": "Het jaarverslag over 2023.",
}
EXTRA_WOO = {
    "onderwerpen": ["Vergaderstukken"],
    "documentsoort": "besluit",
    "bijlagen": [{"titel": "Bijlage", "bestand": "b.pdf"}],
}
# The characters of row 6: bidi embeddings, overrides, isolates and marks; C0 and C1 controls, DEL; line and paragraph
# separators, the byte-order mark.
UNSEEN = ["\u202e", "\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u061c"]
UNSEEN += ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\ufeff"]


def typed(root: Path, kind: str, name: str | None = None, body: str | None = None, escape: bool = False, **changes) -> Path:
    """A package of ``kind`` (all four types), its front matter changed by ``changes``; ``escape``: every character
    outside ASCII written as a YAML escape ("\\u202e"), as YAML would otherwise read U+0085 and U+2028 as line breaks."""
    if kind == "woo-besluit":
        pkg = PackageMaker(root)(name or kind, meta={**EXTRA_WOO, **changes}, body=body or "Samenvatting van het besluit.")
        write_pdf(pkg / "b.pdf", ["# Bijlage", "Een bijlage."])
        return pkg
    pkg = root / (name or kind)
    pkg.mkdir(parents=True)
    data = {**META[kind], **changes}
    (pkg / "besluit.md").write_text(
        "---\n" + yaml.safe_dump(data, allow_unicode=not escape, sort_keys=False) + "---\n" + (body or BODY[kind]),
        encoding="utf-8",
    )
    for key in ("brief", "antwoord", "document"):
        if key in data:
            write_pdf(pkg / data[key], ["# Hoofddocument", "De tekst van het document."])
    for annex in data.get("bijlagen", []):
        write_pdf(pkg / annex["bestand"], ["# Bijlage", "Een bijlage."])
    return pkg


def errors(pkg: Path) -> list:
    decision, found = load_package(pkg)
    return [p for p in found if p.is_error]


# Optional fields the base packages leave out: any text will do, the character is refused before the value is read.
FILL = {
    "toegestane_gegevens": ["070 123 45 67"],
    "documentsoort": "besluit",
    "informatiecategorie": "Woo-verzoeken en -besluiten",
}


def base_value(kind: str, name: str):
    if kind == "woo-besluit":
        from support import WOO_META

        return {**FILL, **WOO_META, **EXTRA_WOO}.get(name)
    return {**FILL, **META[kind]}.get(name)


TEXT_FIELDS = [
    (kind, f.name)
    for kind, t in sorted(types.REGISTRY.items())
    for f in t.schema.fields
    if f.kind in ("line", "text", "texts", "choice", "tooi") and f.name != "type"
]


# -- row 6: invisible control characters in every published text --------------------------------------------------
def test_every_text_field_of_every_type_is_covered():
    assert len(TEXT_FIELDS) >= 25
    assert all(base_value(kind, name) is not None for kind, name in TEXT_FIELDS), [
        (k, n) for k, n in TEXT_FIELDS if base_value(k, n) is None
    ]


@pytest.mark.parametrize("kind,name", TEXT_FIELDS)
def test_a_bidi_override_in_any_text_field_of_any_type_refuses_the_package(tmp_path, kind, name):
    value = base_value(kind, name)
    if isinstance(value, list):
        value = [value[0][:3] + "\u202e" + value[0][3:]] + value[1:]
    else:
        value = value[:3] + "\u202e" + value[3:]
    found = errors(typed(tmp_path, kind, **{name: value}))
    hits = [p for p in found if "onzichtbaar teken" in p.message]  # under the field's own code when it has a pattern
    assert [(p.file, p.location) for p in hits] == [("besluit.md", f"veld '{name}'")], [(p.code, p.location) for p in found]
    field = types.get(kind).schema.get(name)
    assert hits[0].code == ((field.code if field.pattern or field.item_pattern else None) or "tekst.stuurteken")
    assert "U+202E (leesrichting omkeren)" in hits[0].message and "Typ de tekst opnieuw" in hits[0].fix


@pytest.mark.parametrize("char", UNSEEN, ids=[f"U+{ord(c):04X}" for c in UNSEEN])
def test_each_control_and_bidi_character_in_a_title_is_refused(tmp_path, char):
    found = errors(typed(tmp_path, "kamerstuk", escape=True, titel=f"Brief over de planning{char}FDP.exe"))
    assert [(p.code, p.location) for p in found] == [("tekst.stuurteken", "veld 'titel'")], [(p.code, p.message) for p in found]
    assert f"U+{ord(char):04X}" in found[0].message


def test_the_attackers_title_is_refused_with_a_dutch_message(tmp_path):
    found = errors(typed(tmp_path, "publicatie", titel="Jaarverslag 2023 \u202eFDP.exe"))
    (error,) = found
    assert error.message.startswith("de tekst bevat een onzichtbaar teken: U+202E (leesrichting omkeren).")


def test_ordinary_text_is_accepted(tmp_path):
    """Tabs, accents, a non-breaking space and an emoji without joiners or selectors: visible, accepted."""
    title = "Brief\tover café-plannen\u00a0\U0001f4bb en reorganisatie"
    assert errors(typed(tmp_path, "kamerstuk", titel=title)) == []


@pytest.mark.parametrize(
    "title,name,hint",
    [
        ("Brief over re\u00adorganisatie", "U+00AD (zacht afbreekstreepje)", "Alles weergeven"),
        ("Brief over programmeren \U0001f469\u200d\U0001f4bb", "U+200D (verbindingsteken zonder breedte", "Laat emoji weg"),
        ("Brief over de liefde \u2764\ufe0f", "U+FE0F (variatiekiezer", "Laat emoji weg"),
    ],
)
def test_soft_hyphens_and_emoji_joiners_are_refused_with_where_they_come_from(tmp_path, title, name, hint):
    """Attack round 8 (A14): these draw nothing either and can carry bits; refused (not removed) with a message that
    names the character and says where it usually comes from (round 7 still accepted them)."""
    found = errors(typed(tmp_path, "kamerstuk", titel=title))
    (error,) = found
    assert error.code == "tekst.stuurteken" and error.location == "veld 'titel'"
    assert name in error.message and hint in error.fix


@pytest.mark.parametrize("kind", ["woo-besluit", "kamerstuk", "publicatie"])
def test_annex_titles_are_checked(tmp_path, kind):
    annexes = [{"titel": "Bijlage", "bestand": "b.pdf"}, {"titel": "Bijlage \u2067twee\u2069", "bestand": "c.pdf"}]
    pkg = typed(tmp_path, kind, bijlagen=annexes)
    for annex in annexes:
        write_pdf(pkg / annex["bestand"], ["# Bijlage", "Een bijlage."])
    found = errors(pkg)
    assert [(p.code, p.location) for p in found] == [("tekst.stuurteken", "veld 'bijlagen', bijlage 2, 'titel'")]


def test_inventory_cells_are_checked_and_named_by_row_and_column(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][1] = "Verslag overleg\u202etxt.exe"
    rows[1][4] = "5.1.2.e\x1b[31m"
    pkg = PackageMaker(tmp_path)("besluit", rows=rows)
    found = errors(pkg)
    assert sorted((p.code, p.file, p.location) for p in found if p.code == "tekst.stuurteken") == [
        ("tekst.stuurteken", "inventaris.csv", "rij 2, kolom 'document'"),
        ("tekst.stuurteken", "inventaris.csv", "rij 3, kolom 'gronden'"),
    ]


def test_inventory_cells_of_a_spreadsheet_are_checked(tmp_path):
    from openpyxl import Workbook

    pkg = PackageMaker(tmp_path)("besluit", meta={"inventaris": "inventaris.xlsx"})
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER + ["toelichting"])
    for i, row in enumerate(ROWS):
        ws.append(row + (["Geweigerd\u2066 wegens privacy\u2069"] if i == 2 else [""]))
    wb.save(pkg / "inventaris.xlsx")
    found = errors(pkg)
    assert [(p.file, p.location) for p in found if p.code == "tekst.stuurteken"] == [
        ("inventaris.xlsx", "rij 4, kolom 'toelichting'")
    ]


def test_many_rows_with_the_same_character_become_one_message(tmp_path):
    rows = [[str(i), f"Document {i}\u202e", "2024-01-10", "niet openbaar", "5.2.1", ""] for i in range(1, 41)]
    found = [p for p in errors(PackageMaker(tmp_path)("besluit", rows=rows)) if p.code == "tekst.stuurteken"]
    (shown,) = summarise(found)
    assert shown.location == "rij 2-41, kolom 'document'" and "hetzelfde probleem in 40 rijen" in shown.message


def test_the_summary_is_checked_and_its_line_named(tmp_path):
    pkg = typed(tmp_path, "kamerstuk", body="Eerste regel.\n\nTweede \u202eregel.\n")
    line = file_line(pkg / "besluit.md", "Tweede \u202eregel")  # the line in besluit.md, not in the summary
    assert [(p.code, p.location) for p in errors(pkg)] == [("tekst.stuurteken", f"samenvatting, regel {line}")]


def test_a_control_character_in_a_csv_cell_of_a_hostile_size_is_still_refused(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][1] = "x" * 5000 + "\u202e" + "y" * 5000
    found = errors(PackageMaker(tmp_path)("besluit", rows=rows))
    assert any(p.code in ("tekst.stuurteken", "limiet.lengte", "inventaris.cel_te_lang") or "te lang" in p.message for p in found)


# -- row 5: an office, never a civil servant ------------------------------------------------------------------------
OFFICES_ACCEPTED = [
    "De staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties",
    "De Staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties",
    "De minister van Onderwijs, Cultuur en Wetenschap",
    "De minister-president, minister van Algemene Zaken",
    "De minister voor Klimaat en Energie",
    "staatssecretaris Digitale Economie en Soevereiniteit",
    "De staatssecretaris van Financiën – Fiscaliteit, Belastingdienst en Douane",
    "De minister van Volksgezondheid, Welzijn en Sport, De staatssecretaris van Volksgezondheid, Welzijn en Sport",
    "De demissionair minister van Justitie en Veiligheid",
    "De minister van BZK",
]
OFFICES_REFUSED = [
    "De minister van BZK, namens deze: J. Pietersen, plaatsvervangend directeur-generaal",  # the attack
    "De minister van BZK, namens deze",
    "De minister van BZK, i.o. J. Pietersen",
    "De minister van BZK i.o.",
    "De minister van BZK, J. Pietersen",
    "De minister van BZK, Jan Pietersen",
    "voor de minister, K. Bakker",
    "De staatssecretaris van BZK, voor de staatssecretaris, K. Bakker",
    "De minister van BZK (J. Pietersen)",
    "De minister van BZK, p.o. de plv. secretaris-generaal",
    "De minister van Binnenlandse Zaken en Koninkrijksrelaties, hoofd Informatiehuishouding",
    "De minister van Binnenlandse Zaken en Koninkrijksrelaties, de directeur Informatiehuishouding",
    "J. Jansen, directeur Informatiehuishouding",
    "Jan Pietersen",
    "De minister van BZK 2",
]
ANSWERED_BY_ACCEPTED = [
    "Hanke Bruins Slot (minister van Binnenlandse Zaken en Koninkrijksrelaties)",
    "Mark Rutte (minister-president, minister van Algemene Zaken)",
    "Mark Rutte (minister-president , minister algemene zaken) (VVD)",  # as the Tweede Kamer lists it
    "Hugo de Jonge (minister van Volksgezondheid, Welzijn en Sport)",
    "Dilan Yeşilgöz-Zegerius (minister van Justitie en Veiligheid)",
    "De minister van Binnenlandse Zaken en Koninkrijksrelaties",
]
ANSWERED_BY_REFUSED = [
    "Jan Pietersen (plv. directeur Informatiehuishouding, namens de minister)",  # the attack
    "K. Bakker, senior beleidsmedewerker, voor de staatssecretaris",  # the attack
    "Jan Jansen (directeur)",
    "K. Bakker (minister van Binnenlandse Zaken en Koninkrijksrelaties)",
    "JP Balkenende (minister-president)",
    "Jan Pietersen (minister van BZK), namens deze",
    "Jan Pietersen, namens de minister van BZK",
    "Jan Pietersen (beleidsmedewerker), minister van BZK",
    "Jan Pietersen (minister van BZK) (namens deze)",
    "i.o. de minister van BZK",
]


@pytest.mark.parametrize("value", OFFICES_ACCEPTED)
def test_an_office_is_accepted_as_signatory(tmp_path, value):
    assert errors(typed(tmp_path, "kamerstuk", ondertekenaar=value)) == []


@pytest.mark.parametrize("value", OFFICES_REFUSED)
def test_a_civil_servant_as_signatory_is_refused(tmp_path, value):
    found = errors(typed(tmp_path, "kamerstuk", ondertekenaar=value))
    assert [(p.code, p.location) for p in found] == [("veld.ondertekenaar", "veld 'ondertekenaar'")]
    assert "niet alleen het ambt van een bewindspersoon" in found[0].message
    assert "namens deze" in found[0].fix and "nooit de naam" in found[0].fix


@pytest.mark.parametrize("value", ANSWERED_BY_ACCEPTED)
def test_a_member_of_government_is_accepted_as_answering(tmp_path, value):
    assert errors(typed(tmp_path, "kamervragen", beantwoord_door=[value])) == []


@pytest.mark.parametrize("value", ANSWERED_BY_REFUSED)
def test_a_civil_servant_as_answering_is_refused(tmp_path, value):
    found = errors(typed(tmp_path, "kamervragen", beantwoord_door=["Mark Rutte (minister-president)", value]))
    assert [(p.code, p.location) for p in found] == [("veld.bewindspersoon", "veld 'beantwoord_door'")]
    assert value in found[0].message and "geen voorletters" in found[0].fix


def test_offices_are_matched_regardless_of_case():
    from publish.types.kamervragen import MEMBER_OF_GOVERNMENT

    assert re.fullmatch(MEMBER_OF_GOVERNMENT, "Mark Rutte (Minister-President, MINISTER van Algemene Zaken)")
    assert not re.fullmatch(MEMBER_OF_GOVERNMENT, "Mark Rutte (Minister, NAMENS deze)")


def test_the_demo_packages_still_load():
    for pkg in sorted((ROOT / "decisions").iterdir()):
        if (pkg / "besluit.md").is_file():
            assert errors(pkg) == [], pkg.name


def test_the_seeds_signatory_and_answering_members_are_accepted():
    letter, questions = SHARED / "seeds" / "003_6117989ad89fddb6.txt", SHARED / "seeds" / "004_28338c0f6213b17e.txt"
    if not letter.is_file() or not questions.is_file():
        pytest.skip("de voorbeelddocumenten in shared/seeds ontbreken")
    from publish.types.kamerstuk import OFFICE
    from publish.types.kamervragen import MEMBER_OF_GOVERNMENT

    signatory = re.findall(r"^(De (?:Staatssecretaris|Minister)\b[^\n]*?),?\s*$", letter.read_text(encoding="utf-8"), re.M)
    assert signatory and all(re.fullmatch(OFFICE, s) for s in signatory), signatory
    line = re.search(r"^Beantwoord door (.*)$", questions.read_text(encoding="utf-8"), re.M).group(1)
    members = [m.strip() for m in re.split(r"(?<=\)), (?=\w)", line)]
    assert len(members) == 2 and all(re.fullmatch(MEMBER_OF_GOVERNMENT, m) for m in members), members


# -- end to end: rows 5 and 6 on a signed site ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("round7fields")
    decisions = root / "decisions"
    decisions.mkdir()
    approve(typed(decisions, "kamerstuk", "brief-namens", kenmerk="KB-NAMENS", ondertekenaar=OFFICES_REFUSED[0]))
    approve(typed(decisions, "kamervragen", "vragen-ambtenaar", kenmerk="KV-AMBT", beantwoord_door=ANSWERED_BY_REFUSED[:2]))
    approve(typed(decisions, "publicatie", "bidi-titel", kenmerk="BIDI", titel="Jaarverslag 2023 \u202eFDP.exe"))
    rows = [list(r) for r in ROWS]
    rows[0][1] = "Verslag overleg\u202etxt.exe"
    approve(PackageMaker(decisions)("bidi-inventaris", meta={"kenmerk": "BIDI-INV"}, rows=rows))
    approve(typed(decisions, "kamerstuk", "brief-goed", kenmerk="KB-GOED"))
    approve(typed(decisions, "kamervragen", "vragen-goed", kenmerk="KV-GOED"))
    out = root / "site"
    result = run_cli(*build_args(decisions, out, cache=root / "cache", today="2025-07-01"))
    return out, result


@pytest.mark.slow
def test_build_refuses_staff_names_and_invisible_characters_and_publishes_the_others(built):
    out, result = built
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    for name, where in [
        ("brief-namens", "besluit.md, veld 'ondertekenaar'"),
        ("vragen-ambtenaar", "besluit.md, veld 'beantwoord_door'"),
        ("bidi-titel", "besluit.md, veld 'titel'"),
        ("bidi-inventaris", "inventaris.csv, rij 2, kolom 'document'"),
    ]:
        assert f"GEWEIGERD    {name}:" in result.stdout and f"{name}/{where}: " in result.stdout, name
    assert "U+202E (leesrichting omkeren)" in result.stdout
    assert (out / "kamerstuk/kb-goed/index.html").is_file() and (out / "kamervragen/kv-goed/index.html").is_file()
    text = all_text(out)
    for value in ("Pietersen", "Bakker", "namens", "FDP.exe", "txt.exe", "\u202e", "KB-NAMENS", "KV-AMBT", "BIDI"):
        assert value not in text, value
