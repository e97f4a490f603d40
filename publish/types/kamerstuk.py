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

# The office of a member of government, and nothing else: civil servants sign nothing on this site, also not "namens
# deze" or "i.o." (a mandate signature is how a civil servant's name gets into a letter). "De staatssecretaris van
# Binnenlandse Zaken en Koninkrijksrelaties", "minister voor Klimaat en Energie", "minister-president, minister van
# Algemene Zaken", "staatssecretaris Digitale Economie en Soevereiniteit". The portfolio is words; a comma in it starts
# the next item of a list that ends in "en ..." ("Onderwijs, Cultuur en Wetenschap"), or the next office. No dots,
# colons, brackets or digits (no initials, no "i.o."), and none of the words of a civil servant's title or mandate.
_WORD = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
_WORDS = rf"{_WORD}(?: {_WORD}){{0,11}}"
_PART = rf"(?:{_WORDS}(?: ?, {_WORDS})*, {_WORDS} en {_WORDS}|{_WORDS})"
_PORTFOLIO = rf"{_PART}(?: [-–] {_PART})?"
_ONE_OFFICE = rf"(?:de )?(?:demissionaire? )?(?:minister-president|minister|staatssecretaris)(?:(?: van| voor)? {_PORTFOLIO})?"
_STAFF_WORDS = (
    r"namens|deze|i ?o|p ?o|nmd|plv|plaatsvervangend\w*|\w*directeur\w*|secretaris-generaal|dg|sg|\w*medewerker\w*|ambtena\w*|"
    r"\w*hoofd|teamleider\w*|co[oö]rdinator\w*|\w*adviseur\w*|senior|junior|mandaat\w*|gemandateerd\w*|opdracht|"
    r"secretaris|voorlichter|woordvoerder|jurist|projectleider|programmamanager|manager"
)
_NO_STAFF = rf"(?!.*\b(?:{_STAFF_WORDS})\b)(?!.*\bvoor de\b)"
OFFICES = rf"(?i:{_NO_STAFF}{_ONE_OFFICE}(?: ?, {_ONE_OFFICE})*)"  # " , ": as the Tweede Kamer's site lists them
# The whole value of 'ondertekenaar': one office or several ("minister-president, minister van Algemene Zaken").
OFFICE = OFFICES

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
            message="'{value}' is niet alleen het ambt van een bewindspersoon.",
            fix="Schrijf alleen het ambt van de minister of staatssecretaris namens wie de brief is verstuurd, bijvoorbeeld "
            "'De staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties' of 'De minister voor Klimaat en Energie'. "
            "Ook als een ambtenaar heeft getekend ('namens deze', 'i.o.', 'voor de minister'): noem alleen het ambt, "
            "nooit de naam, de voorletters of de functie van een ambtenaar.",
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
