"""``publicatie``: any other information category of article 3.3 Woo (reports, advice, covenants,
annual plans and reports, orders, complaint rulings, organisation and working methods, ...)."""

from __future__ import annotations

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

SCHEMA = Schema(
    "publicatie",
    (
        type_field("publicatie"),
        own(KENMERK, doc="kenmerk van de publicatie, uniek op de site; letters, cijfers, spatie, `-`, `.`, `_`, `/`"),
        own(TITEL, doc="titel van het document, de titel van de pagina"),
        own(ORGANISATIE, doc="de organisatie die het document publiceert"),
        Field("datum", "date", required=True, core="decision_date", label="Datum", doc="datum van het document, `JJJJ-MM-DD`"),
        own(PUBLICATIE_DATUM, doc="vanaf deze datum komt het document op de site (embargo tot die dag)"),
        own(
            INFORMATIECATEGORIE,
            required=True,
            label="Informatiecategorie",
            doc="informatiecategorie van de Woo (art. 3.3) uit de TOOI-lijst, als id of naam, zoals `c_fdaee95e` of `onderzoeksrapporten`",
        ),
        own(DOCUMENTSOORT, label="Documentsoort"),
        Field(
            "document",
            "file",
            required=True,
            core="letter",
            role="het document",
            example="rapport.pdf",
            doc="pad van het hoofddocument (pdf)",
        ),
        BIJLAGEN,
        ONDERWERPEN,
        TOEGESTANE_GEGEVENS,
    ),
    rules=(
        published_after("datum", "de datum van het document"),
        Rule(
            "informatiecategorie",
            ("informatiecategorie",),
            lambda v, raw: not v["informatiecategorie"][0].endswith("c_3baef532"),
            "Woo-verzoeken en -besluiten zijn geen losse publicatie.",
            "Gebruik 'type: woo-besluit' met besluitbrief en inventaris.",
            "veld.informatiecategorie",
            doc="een Woo-besluit is geen losse publicatie maar het type `woo-besluit`;",
        ),
    ),
    body="samenvatting",
)

TYPE = PublicationType(
    name="publicatie",
    label="Publicatie",
    plural="Overige publicaties",
    schema=SCHEMA,
    url_prefix="publicatie",
    template="publication.html",
    category="c_fdaee95e",
    document_kind=None,
    main_title="",
    main_name="document.pdf",
    date_label="Datum",
)
