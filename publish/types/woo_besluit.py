"""``woo-besluit``: a decision on a Woo (or older Wob) request, with its inventory of documents."""

from __future__ import annotations

import datetime as dt

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
    type_field,
)

WOO_START = dt.date(2022, 5, 1)
OUTCOMES = ("openbaar", "deels openbaar", "niet openbaar", "reeds openbaar", "niets aangetroffen")

SCHEMA = Schema(
    "woo-besluit",
    (
        type_field("woo-besluit", default=True),
        KENMERK,
        TITEL,
        ORGANISATIE,
        Field(
            "wet",
            "choice",
            required=True,
            core="law",
            choices=("Woo", "Wob"),
            code="veld.wet",
            message="'{value}' is geen bekende wet.",
            fix="Gebruik 'Woo' of 'Wob' (voor besluiten van vóór 1 mei 2022).",
            doc="`Woo`, of `Wob` voor besluiten van vóór 1 mei 2022; bepaalt welke weigeringsgronden gelden",
        ),
        Field(
            "besluit",
            "choice",
            required=True,
            core="outcome",
            choices=OUTCOMES,
            code="veld.besluit",
            message="'{value}' is geen geldige uitkomst.",
            fix="Gebruik een van: " + ", ".join(OUTCOMES) + ".",
            doc="`openbaar`, `deels openbaar`, `niet openbaar`, `reeds openbaar` of `niets aangetroffen`",
        ),
        Field("besluit_datum", "date", required=True, core="decision_date", doc="datum van het besluit, `JJJJ-MM-DD`"),
        PUBLICATIE_DATUM,
        Field("verzoek_ontvangen", "date", core="request_received", doc="datum waarop het verzoek is ontvangen"),
        Field("periode", "period", core="period", doc="`{van: DATUM, tot: DATUM}`: de periode waarover het verzoek gaat"),
        ONDERWERPEN,
        Field(
            "besluitbrief",
            "file",
            required=True,
            core="letter",
            role="de besluitbrief",
            example="besluit.pdf",
            doc="pad van de besluitbrief (pdf)",
        ),
        BIJLAGEN,
        Field(
            "inventaris",
            "inventory",
            core="inventory_file",
            suffixes=(".csv", ".xlsx"),
            role="de inventaris",
            required_doc="ja, behalve bij `niets aangetroffen`",
            doc="pad van de inventarislijst",
            opendata=False,
        ),
        TOEGESTANE_GEGEVENS,
        INFORMATIECATEGORIE,
        DOCUMENTSOORT,
    ),
    rules=(
        Rule(
            "wet",
            ("wet", "besluit_datum"),
            lambda v, raw: not (v["wet"] == "Woo" and v["besluit_datum"] < WOO_START),
            "een Woo-besluit kan niet van vóór 1 mei 2022 zijn (besluit_datum {besluit_datum}).",
            "Gebruik 'wet: Wob' voor besluiten van vóór 1 mei 2022, of verbeter de besluit_datum.",
            "veld.wet_datum",
            doc="een Woo-besluit is niet van vóór 1 mei 2022;",
        ),
        Rule(
            "verzoek_ontvangen",
            ("verzoek_ontvangen", "besluit_datum"),
            lambda v, raw: v["verzoek_ontvangen"] <= v["besluit_datum"],
            "het verzoek ({verzoek_ontvangen}) is ontvangen na het besluit ({besluit_datum}).",
            "Controleer beide datums.",
            "veld.datum_volgorde",
            doc="het verzoek is niet na het besluit ontvangen;",
        ),
        Rule(
            "publicatie_datum",
            ("publicatie_datum", "besluit_datum"),
            lambda v, raw: v["publicatie_datum"] >= v["besluit_datum"],
            "de publicatiedatum ({publicatie_datum}) ligt vóór de besluitdatum ({besluit_datum}).",
            "Een besluit wordt op of na de besluitdatum gepubliceerd; controleer beide datums.",
            "veld.datum_volgorde",
            doc="de publicatiedatum ligt niet vóór de besluitdatum;",
        ),
        Rule(
            "inventaris",
            ("besluit",),
            lambda v, raw: v["besluit"] == "niets aangetroffen" or raw.get("inventaris") not in (None, ""),
            "de inventaris ontbreekt.",
            "Geef het pad van de inventarislijst (.csv of .xlsx); alleen bij 'besluit: niets aangetroffen' mag die ontbreken.",
            "veld.ontbreekt",
            doc="de inventaris ontbreekt alleen bij `niets aangetroffen`;",
        ),
    ),
)


def finish(loader, values: dict, raw: dict, body: str) -> dict:
    """The inventory: read with the decision's law, and the outcome checked against it."""
    rows = []
    inventory_file = values.get("inventaris")
    if inventory_file is not None:
        rows = loader._inventory(inventory_file, values.get("wet"))
        if values.get("besluit") is not None and loader.inventory_read:
            loader._check_outcome(values["besluit"], rows, inventory_file.relpath)
    return {"inventory": rows}


TYPE = PublicationType(
    name="woo-besluit",
    label="Woo-besluit",
    plural="Woo-besluiten",
    schema=SCHEMA,
    url_prefix="besluit",
    template="decision.html",
    category="c_3baef532",
    document_kind="c_4f50ca9c",
    main_title="Besluitbrief",
    main_name="besluitbrief.pdf",
    date_label="Besluitdatum",
    facets=("jaar", "organisatie", "uitkomst", "onderwerp", "zaak"),
    finish=finish,
)
