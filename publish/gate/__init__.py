"""The redaction and privacy gate: every PDF passes here before it can be published.

``run_gate`` returns findings (each refuses the package, or was fixed in the published copy) and
the bytes of the published copy: one revision, no metadata, no comments, links only.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

from .darkness import ImageSampler
from .personal_data import KINDS as PERSONAL_KINDS
from .personal_data import find_personal_data
from .redaction import analyse, mask
from .scene import interpret
from .structure import FIXED, REFUSE, inspect_structure

GATE_VERSION = "1"

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
    for number, text in enumerate(texts, start=1):
        for item in find_personal_data(text, number):
            findings.append(_finding(f"pdf.persoonsgegeven.{item.kind}", "fout", f"pagina {item.page}",
                                     f"de tekst bevat {PERSONAL_KINDS[item.kind]}: {item.masked}.",
                                     "Lak dit gegeven, of neem de waarde op onder 'toegestane_gegevens' in besluit.md "
                                     "(of in de site-instellingen) als het openbaar mag, zoals het algemene nummer van de organisatie.",
                                     value_hash=item.hash))
    return findings, sanitised_copy(reader)


def sanitised_copy(reader: PdfReader) -> bytes:
    """One revision, no document or page metadata, no comments or forms, links kept.

    The pages are cleaned in memory before they are copied (the file on disk is never touched),
    and orphaned objects are dropped, so nothing removed can ride along in the copy.
    """
    for page in reader.pages:
        for key in ("/Thumb", "/PieceInfo", "/Metadata", "/AA", "/LastModified"):
            if key in page:
                del page[NameObject(key)]
        if "/Annots" in page:
            kept = ArrayObject()
            for ref in page["/Annots"]:  # type: ignore[attr-defined]  # pypdf: PdfObject
                annot = ref.get_object()
                if isinstance(annot, DictionaryObject) and annot.get("/Subtype") == "/Link":
                    action = annot.get("/A")
                    action = action.get_object() if action is not None else None
                    if action is None or action.get("/S") in ("/URI", "/GoTo"):
                        for key in ("/AA", "/Contents", "/NM", "/T", "/M", "/P"):
                            if key in annot:
                                del annot[NameObject(key)]
                        kept.append(ref)
            if kept:
                page[NameObject("/Annots")] = kept
            else:
                del page[NameObject("/Annots")]
        _strip_resources(page.get("/Resources"), set())
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.metadata = None
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _strip_resources(resources, seen: set) -> None:
    """XObjects (images, forms) can carry their own XMP metadata with author names."""
    resources = resources.get_object() if resources is not None else None
    if not isinstance(resources, DictionaryObject):
        return
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else None
    if not isinstance(xobjects, DictionaryObject):
        return
    for ref in xobjects.values():
        obj = ref.get_object()
        if id(obj) in seen or not isinstance(obj, DictionaryObject):
            continue
        seen.add(id(obj))
        for key in ("/Metadata", "/PieceInfo"):
            if key in obj:
                del obj[NameObject(key)]
        if obj.get("/Subtype") == "/Form":
            _strip_resources(obj.get("/Resources"), seen)
