"""Catalogue of refusal grounds of the Woo and the Wob, and normalisation of their written forms.

Inventories write the same ground in many ways (``5.1.2e``, ``5.1.2 sub e``, ``art. 5.1, tweede
lid, onder e``); every form is reduced to one canonical id such as ``5.1.2.e`` before it is checked
against the law the decision was taken under.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Ground:
    id: str  # canonical form, e.g. "5.1.2.e"
    law: str  # "Woo" or "Wob"
    article: str  # how the article is cited in Dutch
    meaning: str  # short Dutch meaning
    absolute: bool = False

    @property
    def slug(self) -> str:
        return f"{self.law.lower()}-{self.id.replace('.', '-')}"


def _woo() -> list[Ground]:
    a = "Woo"
    g = [
        Ground("5.1.1.a", a, "artikel 5.1, eerste lid, onder a, Woo", "De eenheid van de Kroon", True),
        Ground("5.1.1.b", a, "artikel 5.1, eerste lid, onder b, Woo", "De veiligheid van de Staat", True),
        Ground(
            "5.1.1.c", a, "artikel 5.1, eerste lid, onder c, Woo", "Vertrouwelijk verstrekte bedrijfs- en fabricagegegevens", True
        ),
        Ground("5.1.1.d", a, "artikel 5.1, eerste lid, onder d, Woo", "Bijzondere persoonsgegevens", True),
        Ground(
            "5.1.1.e", a, "artikel 5.1, eerste lid, onder e, Woo", "Identificatienummers (zoals het burgerservicenummer)", True
        ),
        Ground("5.1.2.a", a, "artikel 5.1, tweede lid, onder a, Woo", "De internationale betrekkingen van Nederland"),
        Ground(
            "5.1.2.b",
            a,
            "artikel 5.1, tweede lid, onder b, Woo",
            "De economische of financiële belangen van de Staat of andere overheden",
        ),
        Ground("5.1.2.c", a, "artikel 5.1, tweede lid, onder c, Woo", "De opsporing en vervolging van strafbare feiten"),
        Ground("5.1.2.d", a, "artikel 5.1, tweede lid, onder d, Woo", "Inspectie, controle en toezicht door bestuursorganen"),
        Ground("5.1.2.e", a, "artikel 5.1, tweede lid, onder e, Woo", "De eerbiediging van de persoonlijke levenssfeer"),
        Ground("5.1.2.f", a, "artikel 5.1, tweede lid, onder f, Woo", "Concurrentiegevoelige bedrijfs- en fabricagegegevens"),
        Ground("5.1.2.g", a, "artikel 5.1, tweede lid, onder g, Woo", "De bescherming van het milieu"),
        Ground(
            "5.1.2.h",
            a,
            "artikel 5.1, tweede lid, onder h, Woo",
            "De beveiliging van personen en bedrijven en het voorkomen van sabotage",
        ),
        Ground("5.1.2.i", a, "artikel 5.1, tweede lid, onder i, Woo", "Het goed functioneren van de Staat of andere overheden"),
        Ground(
            "5.1.4",
            a,
            "artikel 5.1, vierde lid, Woo",
            "Tijdelijk niet openbaar: de geadresseerde neemt als eerste kennis van de informatie",
        ),
        Ground("5.1.5", a, "artikel 5.1, vijfde lid, Woo", "Onevenredige benadeling van een ander belang"),
        Ground("5.2", a, "artikel 5.2 Woo", "Persoonlijke beleidsopvattingen"),
        Ground("5.2.1", a, "artikel 5.2, eerste lid, Woo", "Persoonlijke beleidsopvattingen in documenten voor intern beraad"),
        Ground(
            "5.2.2",
            a,
            "artikel 5.2, tweede lid, Woo",
            "Persoonlijke beleidsopvattingen: alleen in niet tot personen herleidbare vorm verstrekt",
        ),
        Ground(
            "5.2.3",
            a,
            "artikel 5.2, derde lid, Woo",
            "Persoonlijke beleidsopvattingen in documenten voor formele bestuurlijke besluitvorming",
        ),
        Ground("5.2.4", a, "artikel 5.2, vierde lid, Woo", "Persoonlijke beleidsopvattingen in milieu-informatie"),
    ]
    return g


def _wob() -> list[Ground]:
    b = "Wob"
    return [
        Ground("10.1.a", b, "artikel 10, eerste lid, onder a, Wob", "De eenheid van de Kroon", True),
        Ground("10.1.b", b, "artikel 10, eerste lid, onder b, Wob", "De veiligheid van de Staat", True),
        Ground(
            "10.1.c", b, "artikel 10, eerste lid, onder c, Wob", "Vertrouwelijk verstrekte bedrijfs- en fabricagegegevens", True
        ),
        Ground("10.1.d", b, "artikel 10, eerste lid, onder d, Wob", "Bijzondere persoonsgegevens", True),
        Ground(
            "10.2.a",
            b,
            "artikel 10, tweede lid, onder a, Wob",
            "De betrekkingen van Nederland met andere staten en internationale organisaties",
        ),
        Ground(
            "10.2.b",
            b,
            "artikel 10, tweede lid, onder b, Wob",
            "De economische of financiële belangen van de Staat of andere overheden",
        ),
        Ground("10.2.c", b, "artikel 10, tweede lid, onder c, Wob", "De opsporing en vervolging van strafbare feiten"),
        Ground("10.2.d", b, "artikel 10, tweede lid, onder d, Wob", "Inspectie, controle en toezicht door bestuursorganen"),
        Ground("10.2.e", b, "artikel 10, tweede lid, onder e, Wob", "De eerbiediging van de persoonlijke levenssfeer"),
        Ground(
            "10.2.f",
            b,
            "artikel 10, tweede lid, onder f, Wob",
            "Het belang van de geadresseerde om als eerste kennis te nemen van de informatie",
        ),
        Ground("10.2.g", b, "artikel 10, tweede lid, onder g, Wob", "Het voorkomen van onevenredige bevoordeling of benadeling"),
        Ground("11.1", b, "artikel 11, eerste lid, Wob", "Persoonlijke beleidsopvattingen in documenten voor intern beraad"),
    ]


GROUNDS: dict[tuple[str, str], Ground] = {(g.law, g.id): g for g in _woo() + _wob()}
LAWS = ("Woo", "Wob")

_ORDINALS = {
    "eerste": "1",
    "tweede": "2",
    "derde": "3",
    "vierde": "4",
    "vijfde": "5",
    "zesde": "6",
    "zevende": "7",
    "achtste": "8",
}


@lru_cache(maxsize=4096)  # an inventory repeats the same few grounds on every row
def normalise_ground(text: str) -> str | None:
    """Reduce one written ground to its canonical id, or None when it has no recognisable form.

    The id is not checked against the catalogue here: that depends on the law of the decision.
    """
    s = text.strip().lower()
    s = re.sub(r"^(artikel|art\.?)\s*", "", s)
    s = re.sub(r"\s*(woo|wob)\.?$", "", s)
    for word, digit in _ORDINALS.items():
        s = re.sub(rf",?\s*{word}\s+lid", f".{digit}", s)
    s = re.sub(r",?\s*(?:lid|le?d)\s*(\d+)", r".\1", s)
    s = re.sub(r",?\s*(?:aanhef\s+en\s+)?(?:sub|onder|onderdeel)\s+", ".", s)
    s = re.sub(r"[\s,()]+", ".", s)
    s = re.sub(r"\.+", ".", s).strip(".")
    m = re.fullmatch(r"(\d+(?:\.\d+)*)\.?([a-z])?", s)
    if not m:
        return None
    number, letter = m.group(1), m.group(2)
    return f"{number}.{letter}" if letter else number


_SPLIT = re.compile(r"\s*(?:;|\n|/|\ben\b|&|,(?=\s*(?:art(?:ikel|\.)?\s*)?\d))\s*", re.IGNORECASE)


def split_grounds(cell: str) -> list[str]:
    """Split an inventory cell into the grounds it names (``;``, ``,`` and `` en `` separate them)."""
    cell = (cell or "").strip()
    if cell in {"", "-", "–", "—", "n.v.t.", "nvt", "geen"}:
        return []
    return [part for part in _SPLIT.split(cell) if part and part.strip(" .-–—")]


def lookup(law: str, ground_id: str) -> Ground | None:
    return GROUNDS.get((law, ground_id))


def grounds_of(law: str) -> list[Ground]:
    return [g for g in GROUNDS.values() if g.law == law]
