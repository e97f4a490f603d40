"""``kamervragen``: written questions of members of parliament and the government's answers.

The official answer letter (PDF) is published as it is; beside it staff write the questions and
answers in the package as Markdown (the text under the front matter), so they are readable on the
page and found by search:

    ## Vraag 1
    Herinnert u zich ...?[^1]

    ### Antwoord
    Ja, ...

    [^1]: Aanhangsel Handelingen II 2016/17, nr. 521.

Questions are numbered from 1 without gaps, each has one answer under it, footnotes are kept.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from ..schema import Field, Rule, Schema
from . import PublicationType
from .common import (
    BIJLAGEN,
    DOCUMENTSOORT,
    INFORMATIECATEGORIE,
    KENMERK,
    ONDERWERPEN,
    ORGANISATIE,
    PUBLICATIE_DATUM,
    TITEL,
    TOEGESTANE_GEGEVENS,
    own,
    published_after,
    type_field,
)
from .kamerstuk import OFFICES

# A member of government by name with their office, or the office alone: "Hanke Bruins Slot (minister van Binnenlandse
# Zaken en Koninkrijksrelaties)", "Mark Rutte (minister-president, minister van Algemene Zaken) (VVD)". The name is
# words of two letters or more, never initials ("K. Bakker", "JP Balkenende"); nothing before or after but a party.
_NAME = r"(?![A-Z]{1,4}\b)[^\W\d_]{2,}(?:['’-][^\W\d_]+)*(?: (?![A-Z]{1,4}\b)[^\W\d_]{2,}(?:['’-][^\W\d_]+)*){0,5}"
_PARTY = r"(?: \((?=[^)]*[A-Z])[\w-]{2,25}\))?"
MEMBER_OF_GOVERNMENT = rf"{OFFICES}|{_NAME} \({OFFICES}\){_PARTY}"

QUESTION = re.compile(r"^##[ \t]+Vraag[ \t]+(\S+)[ \t]*$", re.M)
ANSWER = re.compile(r"^###[ \t]+Antwoord\b.*$", re.M)
FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:", re.M)

SCHEMA = Schema(
    "kamervragen",
    (
        type_field("kamervragen"),
        own(KENMERK, doc="kenmerk bij de organisatie, uniek op de site (mag gelijk zijn aan het vraagnummer)"),
        own(TITEL, doc="onderwerp van de vragen, de titel van de pagina"),
        own(ORGANISATIE, doc="het ministerie dat de antwoorden geeft"),
        Field(
            "vraagnummer",
            "line",
            required=True,
            pattern=r"[0-9]{4}Z[0-9]{5}",
            code="veld.vraagnummer",
            label="Vraagnummer",
            example="2022Z06465",
            message="'{value}' is geen vraagnummer van de Tweede Kamer.",
            fix="Schrijf het nummer zoals de Kamer het geeft: jaar, 'Z' en vijf cijfers, bijvoorbeeld 2022Z06465.",
            doc="nummer van de vragen bij de Tweede Kamer, zoals `2022Z06465`",
        ),
        Field("datum_gesteld", "date", required=True, label="Gesteld op", doc="datum waarop de vragen zijn ingediend"),
        Field(
            "datum_beantwoord",
            "date",
            required=True,
            core="decision_date",
            label="Beantwoord op",
            doc="datum van de antwoordbrief",
        ),
        own(PUBLICATIE_DATUM, doc="vanaf deze datum komen vragen en antwoorden op de site (embargo tot die dag)"),
        Field(
            "vragenstellers",
            "texts",
            required=True,
            label="Gesteld door",
            item_pattern=r"[^()\n]+\([^()\n]+\)",
            code="veld.vragensteller",
            example="Pieter Omtzigt (Omtzigt), Jesse Klaver (GL)",
            message="'{value}' noemt geen partij.",
            fix="Schrijf elk Kamerlid als 'Naam (Partij)', bijvoorbeeld 'Jesse Klaver (GL)'.",
            doc="lijst van Kamerleden die de vragen stelden, elk als `Naam (Partij)`",
        ),
        Field(
            "beantwoord_door",
            "texts",
            required=True,
            label="Beantwoord door",
            item_pattern=MEMBER_OF_GOVERNMENT,
            code="veld.bewindspersoon",
            example="Hanke Bruins Slot (minister van Binnenlandse Zaken en Koninkrijksrelaties)",
            message="'{value}' is niet een bewindspersoon met alleen het ambt.",
            fix="Noem per bewindspersoon de naam met het ambt tussen haakjes, bijvoorbeeld 'Hanke Bruins Slot (minister van "
            "Binnenlandse Zaken en Koninkrijksrelaties)', of alleen het ambt. Antwoorden komen van bewindspersonen, nooit van "
            "ambtenaren: geen 'namens', 'i.o.' of 'voor de minister', geen voorletters en geen functie van een ambtenaar.",
            doc="lijst van bewindspersonen die antwoordden, met hun ambt (minister of staatssecretaris)",
        ),
        Field(
            "antwoord",
            "file",
            required=True,
            core="letter",
            role="de antwoordbrief",
            example="antwoord.pdf",
            doc="pad van de officiële antwoordbrief (pdf)",
        ),
        BIJLAGEN,
        ONDERWERPEN,
        TOEGESTANE_GEGEVENS,
        INFORMATIECATEGORIE,
        DOCUMENTSOORT,
    ),
    rules=(
        Rule(
            "datum_beantwoord",
            ("datum_gesteld", "datum_beantwoord"),
            lambda v, raw: v["datum_beantwoord"] >= v["datum_gesteld"],
            "de vragen zijn beantwoord ({datum_beantwoord}) vóór ze gesteld zijn ({datum_gesteld}).",
            "Controleer beide datums.",
            "veld.datum_volgorde",
            doc="de vragen zijn niet beantwoord vóór ze gesteld zijn;",
        ),
        published_after("datum_beantwoord", "de datum van beantwoording"),
    ),
    body="de vragen en antwoorden (`## Vraag 1`, daaronder `### Antwoord`; voetnoten `[^1]`)",
)


def split_questions(body: str) -> list[tuple[str, str, str]]:
    """(number, question Markdown, answer Markdown) in order; text before the first question is ignored."""
    parts = QUESTION.split(body)
    out = []
    for i in range(1, len(parts) - 1, 2):
        pieces = ANSWER.split(parts[i + 1], maxsplit=1)
        out.append((parts[i], pieces[0].strip(), pieces[1].strip() if len(pieces) > 1 else ""))
    return out


def finish(loader, values: dict, raw: dict, body: str) -> dict:
    where = "vragen en antwoorden"
    questions = split_questions(body)
    if not questions:
        loader.err(
            "besluit.md",
            where,
            "er staan geen vragen onder de kop.",
            "Schrijf onder de '---'-regel elke vraag als '## Vraag 1' met de tekst, en daaronder '### Antwoord' met het antwoord.",
            "vragen.ontbreken",
        )
    for expected, (number, question, answer) in enumerate(questions, start=1):
        if number != str(expected):
            loader.err(
                "besluit.md",
                f"vraag {number}",
                f"vraag {expected} wordt verwacht, maar de kop heet 'Vraag {number}'.",
                "Nummer de vragen 1, 2, 3, ... zonder gaten, zoals in de officiële brief.",
                "vragen.nummering",
            )
        if not question:
            loader.err(
                "besluit.md",
                f"vraag {number}",
                "de tekst van de vraag ontbreekt.",
                "Zet de vraag onder de kop '## Vraag ...'.",
                "vragen.vraag_leeg",
            )
        if not answer:
            loader.err(
                "besluit.md",
                f"vraag {number}",
                "het antwoord ontbreekt.",
                "Zet onder de vraag een kop '### Antwoord' met het antwoord uit de officiële brief.",
                "vragen.antwoord_ontbreekt",
            )
    defined = set(FOOTNOTE_DEF.findall(body))
    for ref in dict.fromkeys(FOOTNOTE_REF.findall(body)):
        if ref not in defined:
            loader.err(
                "besluit.md",
                f"voetnoot {ref}",
                f"voetnoot [^{ref}] wordt gebruikt maar staat nergens uitgeschreven.",
                f"Zet onderaan een regel '[^{ref}]: ...' met de tekst van de voetnoot.",
                "vragen.voetnoot",
            )
    return {}


def page(view) -> dict:
    from ..markdown_safe import render_untrusted

    d = view.decision
    html = render_untrusted(d.summary_markdown, footnotes=True, demote=1)
    return {"qa_html": Markup(html), "days": (d.meta.datum_beantwoord - d.meta.datum_gesteld).days, "summary_html": ""}


TYPE = PublicationType(
    name="kamervragen",
    label="Kamervragen met antwoorden",
    plural="Kamervragen",
    schema=SCHEMA,
    url_prefix="kamervragen",
    template="kamervragen.html",
    category="c_c76862ab",
    document_kind="c_6d494ab6",
    main_title="Antwoord op de Kamervragen (officiële brief)",
    main_name="antwoord.pdf",
    date_label="Beantwoord op",
    finish=finish,
    page=page,
)
