"""The redaction and privacy gate: every PDF passes here before it can be published.

``run_gate`` returns findings (each refuses the package, or was fixed in the published copy) and
the bytes of the published copy (see ``copy.py``).
"""

from __future__ import annotations

from pypdf import PdfReader

from .copy import published_copy
from .darkness import ImageSampler
from .personal_data import KINDS as PERSONAL_KINDS
from .personal_data import find_personal_data, page_ranges
from .redaction import analyse, mask
from .scene import interpret
from .structure import FIXED, REFUSE, inspect_structure
from .unseen import SOURCES, collect

GATE_VERSION = "1"
MAX_HIDDEN_FINDINGS = 5

_REDACTION_TEXT = {
    "tekst_onder_vlak": ("er staat leesbare tekst onder een zwart (of ander ondoorzichtig) vlak: de lakking is niet echt toegepast",
                         "Lak het document opnieuw met een lakprogramma dat de tekst verwijdert (bijvoorbeeld 'Redactie toepassen' in Acrobat) en lever het opnieuw aan."),
    "onzichtbare_tekst_onder_vlak": ("er staat onzichtbare tekst (tekstlaag of OCR) onder een gelakt vlak",
                                     "Verwijder de tekstlaag van de gelakte delen: lak opnieuw met een programma dat de tekst verwijdert, en doe de tekstherkenning (OCR) pas na het lakken."),
    "onzichtbare_tekst_op_zwart": ("er staat onzichtbare tekst (tekstlaag of OCR) op een zwart gemaakt deel van een scan",
                                   "Doe de tekstherkenning (OCR) opnieuw na het lakken, zodat de zwarte delen geen tekst meer hebben."),
    "tekst_in_kleur_van_vlak": ("er staat tekst in dezelfde kleur als het vlak eronder: onzichtbaar, maar wel te kopiëren",
                                "Verwijder deze tekst of lak hem echt; alleen de code van de weigeringsgrond mag op een gelakt vlak staan."),
    "te_kleine_tekst": ("er staat tekst kleiner dan 1 punt: onleesbaar, maar wel te kopiëren",
                        "Verwijder deze verborgen tekst uit het document en lever het opnieuw aan."),
    "tekst_buiten_pagina": ("er staat tekst buiten de zichtbare pagina",
                            "Verwijder deze verborgen tekst uit het document en lever het opnieuw aan."),
    "witte_tekst": ("er staat witte tekst op een witte achtergrond: onzichtbaar, maar wel te kopiëren",
                    "Controleer of deze tekst openbaar mag zijn; verwijder hem anders uit het document."),
}

_STRUCTURE_TEXT = {
    "redact_annotatie": "Pas de lakkingen toe ('Redactie toepassen') en sla het document opnieuw op.",
    "javascript": "Sla het document op zonder JavaScript of acties, bijvoorbeeld door het opnieuw naar pdf te 'printen'.",
    "ingesloten_bestand": "Verwijder de ingesloten bestanden; lever ze zo nodig als apart document in de inventaris aan.",
    "formulierwaarden": "Maak het formulier plat ('afvlakken') of lever een pdf zonder formuliervelden aan.",
    "verborgen_laag": "Verwijder de verborgen lagen of maak ze zichtbaar en beoordeel hun inhoud.",
}
# Every REFUSE kind of structure.py has its fix above; FIXED kinds (opmerking, metadata, formulier,
# eerdere_versies) need none: the copy (copy.py) drops them.


def _finding(code: str, severity: str, location: str, message: str, fix: str, **extra) -> dict:
    return {"code": code, "severity": severity, "location": location, "message": message, "fix": fix, **extra}


def run_gate(reader: PdfReader, data: bytes, texts: list[str], scenes=None) -> tuple[list[dict], bytes]:
    """``scenes``: the pages already interpreted (see pdfs._parsed_once), else interpreted here."""
    findings: list[dict] = []
    sampler = ImageSampler()
    for number, page in enumerate(reader.pages, start=1):
        scene = scenes[number - 1] if scenes is not None else interpret(page)
        for f in analyse(scene, number, sampler):
            message, fix = _REDACTION_TEXT[f.kind]
            severity = "waarschuwing" if f.kind == "witte_tekst" else "fout"
            findings.append(_finding(f"pdf.{f.kind}", severity, f.position(),
                                     f"{message} (tekst: {mask(f.chars)}).", fix))
        if scene.problems:
            findings.append(_finding("pdf.inhoud_onleesbaar", "fout", f"pagina {number}",
                                     f"de inhoud van de pagina kan niet volledig gecontroleerd worden ({scene.problems[0]}).",
                                     "Maak de pdf opnieuw aan (bijvoorbeeld door hem opnieuw naar pdf te 'printen') en lever hem opnieuw aan."))
    for s in inspect_structure(reader, data):
        where = f"pagina {s.page}" if s.page else "document"
        if s.severity == REFUSE:
            findings.append(_finding(f"pdf.{s.kind}", "fout", where, f"de pdf bevat {s.detail}.", _STRUCTURE_TEXT[s.kind]))
        elif s.severity == FIXED:
            findings.append(_finding(f"pdf.{s.kind}", "waarschuwing", where,
                                     f"de pdf bevat {s.detail}; dit is verwijderd uit de gepubliceerde kopie (het origineel is ongewijzigd).",
                                     "Geen actie nodig; lever voortaan bij voorkeur een pdf zonder deze gegevens aan.",
                                     fixed=True))
    findings += _personal_data(texts, reader)
    return findings, published_copy(data)


_PERSONAL_FIX = ("Lak dit gegeven, of neem de waarde op onder 'toegestane_gegevens' in besluit.md "
                 "(of in de site-instellingen) als het openbaar mag, zoals het algemene nummer van de organisatie.")
_UNSEEN_FIX = ("Deze tekst staat niet zichtbaar op de pagina, maar wordt wel gepubliceerd en door schermlezers voorgelezen. "
               "Verwijder het gegeven ook uit de {source} (bijvoorbeeld in de bron, en maak de pdf opnieuw), of neem de waarde op "
               "onder 'toegestane_gegevens' in besluit.md (of in de site-instellingen) als het openbaar mag.")


def _where(pages: list[int]) -> str:
    return f"pagina {page_ranges(pages)}" if pages else "document"


def _personal_data(texts: list[str], reader: PdfReader) -> list[dict]:
    """Personal data in the page text and in the text kept but not drawn; the same value on many
    pages is one finding with the pages listed."""
    grouped: dict[tuple[str, str, str], tuple[object, list[int]]] = {}
    for number, text in enumerate(texts, start=1):
        for item in find_personal_data(text, number):
            grouped.setdefault(("", item.kind, item.hash), (item, []))[1].append(number)
    unseen, hidden = collect(reader)
    for entry in unseen:
        for item in find_personal_data(entry.text, entry.page or 0):
            pages = grouped.setdefault((entry.source, item.kind, item.hash), (item, []))[1]
            if entry.page:
                pages.append(entry.page)
    findings = []
    for (source, kind, _), (item, pages) in grouped.items():
        if source:
            findings.append(_finding(f"pdf.persoonsgegeven.{kind}", "fout", _where(pages),
                                     f"de {SOURCES[source]} bevat {PERSONAL_KINDS[kind]}: {item.masked}.",
                                     _UNSEEN_FIX.format(source=SOURCES[source]), value_hash=item.hash))
        else:
            findings.append(_finding(f"pdf.persoonsgegeven.{kind}", "fout", _where(pages),
                                     f"de tekst bevat {PERSONAL_KINDS[kind]}: {item.masked}.", _PERSONAL_FIX,
                                     value_hash=item.hash))
    by_text: dict[str, list[int]] = {}
    for h in hidden:
        pages = by_text.setdefault(h.text, [])
        if h.page:
            pages.append(h.page)
    if len(by_text) > MAX_HIDDEN_FINDINGS:  # one systematic cause: one finding, not hundreds
        first = next(iter(by_text))
        by_text = {first: sorted({p for pages in by_text.values() for p in pages})}
        count = f"{len(hidden)} keer, bijvoorbeeld "
    else:
        count = ""
    for text, pages in by_text.items():
        findings.append(_finding("pdf.verborgen_tekst", "fout", _where(pages),
                                 "er staat verborgen tekst in de pdf: de vervangende tekst (/ActualText) die schermlezers voorlezen "
                                 f"en die bij kopiëren meekomt, wijkt af van wat er zichtbaar op de pagina staat ({count}tekst: {mask(text)}).",
                                 "Verwijder de vervangende tekst of maak hem gelijk aan de zichtbare tekst; lak opnieuw met een "
                                 "programma dat ook de tagstructuur opschoont, en lever de pdf opnieuw aan."))
    return findings
