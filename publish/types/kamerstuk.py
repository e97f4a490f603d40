"""``kamerstuk``: a letter to parliament (Kamerbrief), signed by a minister or state secretary."""

from __future__ import annotations

from ..schema import Field, Schema
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

# A public office, never a person's name alone: civil servants sign nothing on this site.
OFFICE = r"(?i)(de )?(minister-president|minister|staatssecretaris)\b[^\n]{0,200}"

SCHEMA = Schema(
    "kamerstuk",
    (
        type_field("kamerstuk"),
        own(KENMERK, doc="kenmerk van de brief, uniek op de site; letters, cijfers, spatie, `-`, `.`, `_`, `/`"),
        own(TITEL, doc="titel van de brief, de titel van de pagina"),
        own(ORGANISATIE, doc="het ministerie dat de brief stuurt"),
        Field("datum", "date", required=True, core="decision_date", label="Datum", doc="datum van de brief, `JJJJ-MM-DD`"),
        own(PUBLICATIE_DATUM, doc="vanaf deze datum komt de brief op de site (embargo tot die dag)"),
        Field(
            "kamerstuknummer",
            "line",
            pattern=r"[0-9]{5}(-[A-Z0-9]{1,8})?-[0-9]{1,5}",
            code="veld.kamerstuknummer",
            label="Kamerstuknummer",
            example="32761-275",
            message="'{value}' is geen Kamerstuknummer.",
            fix="Schrijf dossiernummer en ondernummer met een streepje, bijvoorbeeld 32761-275 of 36200-VII-12; laat het veld weg als er (nog) geen nummer is.",
            doc="dossier- en ondernummer, zoals `32761-275`; weglaten als er geen is",
        ),
        Field(
            "geadresseerde",
            "line",
            required=True,
            label="Aan",
            pattern=r"(?i)[^\n]*\b(kamer|staten-generaal)\b[^\n]*",
            code="veld.geadresseerde",
            example="Voorzitter van de Tweede Kamer der Staten-Generaal",
            message="'{value}' is geen Kamer van de Staten-Generaal.",
            fix="Schrijf aan wie de brief is gericht, bijvoorbeeld 'Voorzitter van de Tweede Kamer der Staten-Generaal'.",
            doc="aan wie de brief is gericht, zoals `Voorzitter van de Tweede Kamer der Staten-Generaal`",
        ),
        Field("onderwerp", "line", required=True, label="Onderwerp", doc="de onderwerpregel van de brief"),
        Field(
            "ondertekenaar",
            "line",
            required=True,
            label="Ondertekend door",
            pattern=OFFICE,
            code="veld.ondertekenaar",
            example="De staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties",
            message="'{value}' is geen functie van een bewindspersoon.",
            fix="Schrijf de functie van de minister of staatssecretaris die de brief tekende, bijvoorbeeld 'De staatssecretaris van "
            "Binnenlandse Zaken en Koninkrijksrelaties'. Noem nooit de naam van een ambtenaar.",
            doc="het ambt van de minister of staatssecretaris die tekende (een bewindspersoon, nooit een ambtenaar)",
        ),
        Field(
            "brief",
            "file",
            required=True,
            core="letter",
            role="de Kamerbrief",
            example="kamerbrief.pdf",
            doc="pad van de Kamerbrief (pdf)",
        ),
        BIJLAGEN,
        ONDERWERPEN,
        TOEGESTANE_GEGEVENS,
        INFORMATIECATEGORIE,
        DOCUMENTSOORT,
    ),
    rules=(published_after("datum", "de datum van de brief"),),
    body="samenvatting van de brief",
)

TYPE = PublicationType(
    name="kamerstuk",
    label="Kamerbrief",
    plural="Kamerbrieven",
    schema=SCHEMA,
    url_prefix="kamerstuk",
    template="publication.html",
    category="c_c76862ab",
    document_kind="c_49599e6c",
    main_title="Kamerbrief",
    main_name="kamerbrief.pdf",
    date_label="Datum van de brief",
)
