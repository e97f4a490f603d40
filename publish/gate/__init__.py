"""The redaction and privacy gate: every PDF passes here before it can be published.

``run_gate`` returns findings (each refuses the package, or was fixed in the published copy) and
the bytes of the published copy: one revision, no metadata, no comments, links only.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

from .personal_data import KINDS as PERSONAL_KINDS
from .personal_data import find_personal_data
from .structure import FIXED, REFUSE, inspect_structure
from .visibility import inspect_document, mask

GATE_VERSION = "2"

_AGAIN = "Lak het document opnieuw met een lakprogramma dat de tekst echt verwijdert (bijvoorbeeld 'Redactie toepassen' in Acrobat) en lever het opnieuw aan."
_REMOVE = "Verwijder deze verborgen tekst uit het document (of maak hem zichtbaar als hij openbaar mag) en lever het opnieuw aan."
_OCR = "Doe de tekstherkenning (OCR) opnieuw na het lakken, zodat de zwarte delen geen tekst meer hebben."
_HIDDEN_TEXT = {
    "tekst_onder_vlak": ("er staat leesbare tekst onder een zwart (of ander ondoorzichtig) vlak: de lakking is niet echt toegepast, wie kopieert of zoekt leest hem toch", _AGAIN),
    "tekst_onder_tekst": ("er staat tekst onder andere tekens (zoals zwarte blokjes of symbolen die eroverheen zijn gezet): onzichtbaar, maar wel te kopiëren", _AGAIN),
    "onzichtbare_tekst_onder_vlak": ("er staat onzichtbare tekst (tekstlaag of OCR) onder een gelakt vlak",
                                     "Verwijder de tekstlaag van de gelakte delen: lak opnieuw met een programma dat de tekst verwijdert, en doe de tekstherkenning (OCR) pas na het lakken."),
    "onzichtbare_tekst_op_zwart": ("er staat onzichtbare tekst (tekstlaag of OCR) op een zwart gemaakt deel van de pagina of scan", _OCR),
    "onzichtbare_tekst": ("er staat onzichtbare tekst op de pagina (tekst die niet getekend wordt, maar wel te kopiëren en te doorzoeken is)", _REMOVE),
    "tekst_in_kleur_van_vlak": ("er staat tekst in dezelfde kleur als het vlak eronder: onzichtbaar, maar wel te kopiëren",
                                "Verwijder deze tekst of lak hem echt; alleen de code van de weigeringsgrond mag op een gelakt vlak staan."),
    "witte_tekst": ("er staat tekst wit op wit (tekst in de kleur van de achtergrond): onzichtbaar, maar wel te kopiëren", _REMOVE),
    "te_kleine_tekst": ("er staat tekst kleiner dan 1 punt: onleesbaar, maar wel te kopiëren", _REMOVE),
    "tekst_buiten_pagina": ("er staat tekst buiten de zichtbare pagina: onzichtbaar, maar wel te kopiëren", _REMOVE),
    "tekst_in_verborgen_laag": ("er staat tekst in een verborgen laag (optionele inhoud die uit staat): onzichtbaar, maar wel te kopiëren", _REMOVE),
    "verborgen_tekst": ("er staat tekst die niet te zien is (doorzichtig gemaakt, weggeknipt of gemaskeerd), maar wel te kopiëren", _REMOVE),
}
LEAK_CODES = frozenset(f"pdf.{kind}" for kind in _HIDDEN_TEXT)

_STRUCTURE_TEXT = {
    "redact_annotatie": "Pas de lakkingen toe ('Redactie toepassen') en sla het document opnieuw op.",
    "javascript": "Sla het document op zonder JavaScript of acties, bijvoorbeeld door het opnieuw naar pdf te 'printen'.",
    "ingesloten_bestand": "Verwijder de ingesloten bestanden; lever ze zo nodig als apart document in de inventaris aan.",
    "formulierwaarden": "Maak het formulier plat ('afvlakken') of lever een pdf zonder formuliervelden aan.",
    "verborgen_laag": "Verwijder de verborgen lagen of maak ze zichtbaar en beoordeel hun inhoud.",
}


def _finding(code: str, severity: str, location: str, message: str, fix: str, **extra) -> dict:
    return {"code": code, "severity": severity, "location": location, "message": message, "fix": fix, **extra}


def run_gate(reader: PdfReader, data: bytes) -> tuple[list[dict], bytes, list[str]]:
    """Findings, the bytes of the published copy, and the text of each page of that copy.

    Visibility is judged on the copy that will be published (comments and forms removed, links kept),
    as PDFium draws it; the page text comes from the same engine. Structure is read with pypdf."""
    findings: list[dict] = []
    structure = inspect_structure(reader, data)  # before the copy is made: making it cleans the pages in memory
    annotated = _pages_losing_annotations(reader)
    published = _published_copy(reader, data)
    texts, hidden = inspect_document(published)
    if annotated:
        # A comment, stamp or form field can be the only thing covering text: the copy drops it, so the
        # pages are also judged as the reviewer saw them, with those annotations drawn.
        seen = {(h.kind, h.page, h.chars) for h in hidden}
        hidden += [h for h in inspect_document(data, judge=annotated)[1] if (h.kind, h.page, h.chars) not in seen]
    for h in hidden:
        message, fix = _HIDDEN_TEXT[h.kind]
        findings.append(_finding(f"pdf.{h.kind}", "fout", h.position(), f"{message} (tekst: {mask(h.chars)}).", fix))
    for s in structure:
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
    return findings, published, texts


def _pages_losing_annotations(reader: PdfReader) -> set[int]:
    """0-based pages with annotations other than links: the published copy does not keep them."""
    pages = set()
    for index, page in enumerate(reader.pages):
        annots = page.get("/Annots")
        annots = annots.get_object() if annots is not None else None
        if isinstance(annots, ArrayObject) and any(
                isinstance(a.get_object(), DictionaryObject) and a.get_object().get("/Subtype") != "/Link" for a in annots):
            pages.add(index)
    return pages


def _published_copy(reader: PdfReader, data: bytes) -> bytes:
    """The one place the published copy is made (issue 11 replaces the writer)."""
    return sanitised_copy(reader)


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
            for ref in page["/Annots"]:
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
