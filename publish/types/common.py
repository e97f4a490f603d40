"""Fields every publication type shares (same name, same rules, same docs wording)."""

from __future__ import annotations

from ..schema import Field, Rule

KENMERK_PATTERN = r"[A-Za-z0-9][A-Za-z0-9 ._/\-]{0,99}"


def type_field(name: str, default: bool = False) -> Field:
    return Field("type", "line", required=not default, opendata=False, doc=f"`{name}` (standaard)" if default else f"`{name}`")


KENMERK = Field(
    "kenmerk",
    "line",
    required=True,
    core="kenmerk",
    pattern=KENMERK_PATTERN,
    code="veld.kenmerk",
    message="'{value}' bevat tekens die niet in een kenmerk horen.",
    fix="Gebruik alleen letters, cijfers, spaties, '-', '.', '_' en '/' (hoogstens 100 tekens).",
    doc="kenmerk van het besluit, uniek op de site; letters, cijfers, spatie, `-`, `.`, `_`, `/`",
)
TITEL = Field("titel", "line", required=True, core="title", doc="onderwerp van het besluit, de titel van de pagina")
ORGANISATIE = Field("organisatie", "line", required=True, core="organisation", doc="het verantwoordelijke bestuursorgaan")
PUBLICATIE_DATUM = Field(
    "publicatie_datum",
    "date",
    required=True,
    core="publication_date",
    doc="vanaf deze datum komt het besluit op de site (embargo tot die dag)",
)
ONDERWERPEN = Field(
    "onderwerpen", "texts", core="subjects", unique=True, example="datalekken, privacy", doc="lijst met onderwerpen"
)
BIJLAGEN = Field("bijlagen", "annexes", core="annexes", doc="lijst van `{titel: ..., bestand: ...}` (pdf)")
TOEGESTANE_GEGEVENS = Field(
    "toegestane_gegevens",
    "texts",
    core="allowed_personal_data",
    example='"070 123 45 67"',
    opendata=False,
    doc="lijst van waarden die op persoonsgegevens lijken maar openbaar mogen (zoals het algemene telefoonnummer van de organisatie)",
)
INFORMATIECATEGORIE = Field(
    "informatiecategorie",
    "tooi",
    tooi_list="informatiecategorie",
    doc="informatiecategorie van de Woo (art. 3.3) voor de Woo-index, als id (`c_3baef532`) of naam "
    "(`Woo-verzoeken en -besluiten`) uit de TOOI-lijst; standaard die van het type",
)
DOCUMENTSOORT = Field(
    "documentsoort",
    "tooi",
    tooi_list="documentsoort",
    doc="documentsoort van het hoofddocument uit de TOOI-lijst, als id of naam; standaard die van het type",
)


def own(field: Field, **changes) -> Field:
    """A shared field with type-specific wording."""
    import dataclasses

    return dataclasses.replace(field, **changes)


def published_after(date_field: str, what: str) -> Rule:
    return Rule(
        "publicatie_datum",
        ("publicatie_datum", date_field),
        lambda v, raw: v["publicatie_datum"] >= v[date_field],
        f"de publicatiedatum ({{publicatie_datum}}) ligt vóór {what} ({{{date_field}}}).",
        f"Er wordt op of na {what} gepubliceerd; controleer beide datums.",
        "veld.datum_volgorde",
        doc=f"de publicatiedatum ligt niet vóór {what};",
    )
