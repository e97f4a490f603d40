"""The gate itself (``run_gate``); ``publish/gate/__init__.py`` says what the gate does and why it is imported lazily."""

from __future__ import annotations

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from ..invisible import describe_all, pdf_invisible
from . import glyphs, tagtexts
from .copy import AMBIGUOUS, AMBIGUOUS_FIX, AmbiguousPdf, ambiguous_message, published_copy
from .personal_data import KINDS as PERSONAL_KINDS
from .personal_data import PersonalData, find_personal_data, page_ranges
from .structure import FIXED, REFUSE, inspect_structure
from .timing import stage
from .unseen import SOURCES, collect
from .visibility import inspect_document, mask, page_readings

GATE_VERSION = "2"
MAX_HIDDEN_FINDINGS = 5

_AGAIN = "Lak het document opnieuw met een lakprogramma dat de tekst echt verwijdert (bijvoorbeeld 'Redactie toepassen' in Acrobat) en lever het opnieuw aan."
_REMOVE = "Verwijder deze verborgen tekst uit het document (of maak hem zichtbaar als hij openbaar mag) en lever het opnieuw aan."
_AGAIN_FONT = (
    "Maak de pdf opnieuw vanuit het bronbestand en lak met een lakprogramma dat de tekst echt verwijdert "
    "(niet door een ander lettertype, een andere tekstkoppeling of andere tekens over de tekst te zetten)."
)
_OCR = "Doe de tekstherkenning (OCR) opnieuw na het lakken, zodat de zwarte delen geen tekst meer hebben."
_HIDDEN_TEXT = {
    "tekst_onder_vlak": (
        "er staat leesbare tekst onder een zwart (of ander ondoorzichtig) vlak: de lakking is niet echt toegepast, wie kopieert of zoekt leest hem toch",
        _AGAIN,
    ),
    "tekst_onder_tekst": (
        "er staat tekst onder andere tekens (zoals zwarte blokjes of symbolen die eroverheen zijn gezet): onzichtbaar, maar wel te kopiëren",
        _AGAIN,
    ),
    "onzichtbare_tekst_onder_vlak": (
        "er staat onzichtbare tekst (tekstlaag of OCR) onder een gelakt vlak",
        "Verwijder de tekstlaag van de gelakte delen: lak opnieuw met een programma dat de tekst verwijdert, en doe de tekstherkenning (OCR) pas na het lakken.",
    ),
    "onzichtbare_tekst_op_zwart": (
        "er staat onzichtbare tekst (tekstlaag of OCR) op een zwart gemaakt deel van de pagina of scan",
        _OCR,
    ),
    "onzichtbare_tekst_op_overgetypte_scan": (
        "er staat onzichtbare tekst (tekstlaag of OCR) op een deel van de scan dat is overgetypt of vervangen door een "
        "code (zoals XXXX, **** of 5.1.2.e): in de scan is het woord weggelakt, in de tekstlaag staat het er nog",
        "Doe de tekstherkenning (OCR) opnieuw na het lakken, of lak in het bronbestand en maak de pdf daarna opnieuw.",
    ),
    "onzichtbare_tekst": (
        "er staat onzichtbare tekst op de pagina (tekst die niet getekend wordt, maar wel te kopiëren en te doorzoeken is)",
        _REMOVE,
    ),
    "tekst_in_kleur_van_vlak": (
        "er staat tekst in dezelfde kleur als het vlak eronder: onzichtbaar, maar wel te kopiëren",
        "Verwijder deze tekst of lak hem echt; alleen de code van de weigeringsgrond mag op een gelakt vlak staan.",
    ),
    "witte_tekst": (
        "er staat tekst wit op wit (tekst in de kleur van de achtergrond): onzichtbaar, maar wel te kopiëren",
        _REMOVE,
    ),
    "te_kleine_tekst": (
        "er staat tekst die te klein is om te lezen (kleiner dan 2 punt, platgedrukt of samengeperst): onleesbaar, maar wel te kopiëren",
        _REMOVE,
    ),
    "tekst_buiten_pagina": ("er staat tekst buiten de zichtbare pagina: onzichtbaar, maar wel te kopiëren", _REMOVE),
    "tekst_in_verborgen_laag": (
        "er staat tekst in een verborgen laag (optionele inhoud die uit staat): onzichtbaar, maar wel te kopiëren",
        _REMOVE,
    ),
    "onzichtbaar_gemaakte_tekst": (
        "er staat tekst die niet te zien is (doorzichtig gemaakt, weggeknipt of gemaskeerd), maar wel te kopiëren",
        _REMOVE,
    ),
    "te_diep_geneste_vormen": (
        "de pagina bevat vormobjecten (Form XObjects) die meer dan 12 lagen diep in elkaar zitten: tekst daarin kan "
        "niet worden beoordeeld (en sommige programma's tonen hem niet, maar kopiëren hem wel)",
        "Maak de pdf opnieuw vanuit het bronbestand (of 'print' hem opnieuw naar pdf) en lak met een lakprogramma dat tekst verwijdert.",
    ),
    "niet_te_beoordelen_tekst": (
        "er staat tekst op de pagina die wel te kopiëren is, maar waarvan niet vast te stellen is of hij zichtbaar is",
        "Maak de pdf opnieuw vanuit het bronbestand en lak met een lakprogramma dat tekst verwijdert.",
    ),
    glyphs.ANDERS_GETEKEND: (
        "de tekst die u kopieert is anders dan de tekst die u ziet: een lettertype tekent verschillende letters of cijfers "
        "met precies hetzelfde teken (zoals XXXX of bolletjes), terwijl kopiëren, zoeken en voorlezen de echte letters geven",
        "Maak de pdf opnieuw vanuit het bronbestand en lak met een lakprogramma dat de tekst echt verwijdert "
        "(niet door een ander lettertype of andere tekens over de tekst te zetten).",
    ),
    glyphs.WOORD_OP_EEN_TEKEN: (
        "de tekst die u kopieert is anders dan de tekst die u ziet: één getekend teken (een letter, een cijfer van een "
        "weigeringsgrond op een zwart vlak, een blokje of een symbool) geeft bij kopiëren, zoeken en voorlezen een heel "
        "woord of meer letters dan een gewone ligatuur (zoals fi of ffl); zo kan een gelakte naam achter één teken staan",
        _AGAIN_FONT,
    ),
    glyphs.ANDERE_LETTERS: (
        "de tekst die u kopieert is anders dan de tekst die u ziet: het lettertype tekent andere letters of tekens "
        "(bijvoorbeeld 'medewerker XY', XXXX of blokjes) dan kopiëren, zoeken en voorlezen geven (bijvoorbeeld een naam)",
        _AGAIN_FONT,
    ),
    glyphs.SYMBOOLLETTERTYPE: (
        "de pdf gebruikt een symboollettertype (zoals Wingdings of Webdings) dat niet in het bestand is ingesloten: "
        "wie dat lettertype op de computer heeft ziet symbolen, bij de controle en bij kopiëren en zoeken zijn het "
        "letters; niet vast te stellen wat de lezer ziet",
        "Sla het document opnieuw op als pdf met ingesloten lettertypen (bijvoorbeeld in Word 'Opslaan als' pdf met "
        "de optie 'Compatibel met ISO 19005-1 (PDF/A)', of in de pdf-instellingen 'Lettertypen insluiten') en lever het "
        "opnieuw aan. Staat er een naam in symbolen, lak hem dan met een lakprogramma dat de tekst echt verwijdert.",
    ),
    glyphs.NIET_TE_BEOORDELEN: (
        "een lettertype op de pagina is niet te beoordelen (beschadigd, of te groot of te ingewikkeld om na te gaan): niet "
        "vast te stellen of de tekst die u kopieert dezelfde is als de tekst die u ziet",
        "Maak de pdf opnieuw vanuit het bronbestand (bijvoorbeeld 'Opslaan als pdf') en lever hem opnieuw aan.",
    ),
}
LEAK_CODES = frozenset(f"pdf.{kind}" for kind in _HIDDEN_TEXT)

_STRUCTURE_TEXT = {
    "redact_annotatie": "Pas de lakkingen toe ('Redactie toepassen') en sla het document opnieuw op.",
    "javascript": "Sla het document op zonder JavaScript of acties, bijvoorbeeld door het opnieuw naar pdf te 'printen'.",
    "ingesloten_bestand": "Verwijder de ingesloten bestanden; lever ze zo nodig als apart document in de inventaris aan.",
    "formulierwaarden": "Maak het formulier plat ('afvlakken') of lever een pdf zonder formuliervelden aan.",
    "verborgen_laag": "Verwijder de verborgen lagen of maak ze zichtbaar en beoordeel hun inhoud.",
    "taalcode": "Zet als taal een taalcode zoals 'nl-NL' (bij het opslaan als pdf) en lever het document opnieuw aan.",
}
# Every REFUSE kind of structure.py has its fix above; FIXED kinds (opmerking, metadata, formulier,
# eerdere_versies) need none: the copy (copy.py) drops them.


def _finding(code: str, severity: str, location: str, message: str, fix: str, **extra) -> dict:
    return {"code": code, "severity": severity, "location": location, "message": message, "fix": fix, **extra}


def run_gate(reader: PdfReader, data: bytes) -> tuple[list[dict], bytes, list[str]]:
    """Findings, the bytes of the published copy, and the text of each page of that copy.

    Visibility is judged on the copy that will be published (comments and forms removed, links kept),
    as PDFium draws it; the page text comes from the same engine. Structure is read with pypdf."""
    findings: list[dict] = []
    with stage("structuur"):
        structure = inspect_structure(reader, data)  # before the copy is made: making it cleans the pages in memory
        annotated = _pages_losing_annotations(reader)
    flattened: list[int] = []
    published = published_copy(data, flattened, reader)  # the one place the copy is made
    objects: list[int] = []
    texts, hidden = inspect_document(published, objects=objects)
    with stage("zelfde lezing"):
        findings += _same_pages(data, texts, objects)
    with stage("lettertypen"):
        hidden += glyphs.inspect(published, texts)  # drawn glyphs that cannot say what the copy says
    findings += _invisible_characters(texts)
    for page in flattened:  # PDFium neither draws nor extracts text squeezed to nothing; other readers do
        findings.append(
            _finding(
                "pdf.onzichtbaar_gemaakte_tekst",
                "fout",
                f"pagina {page}",
                f"{_HIDDEN_TEXT['onzichtbaar_gemaakte_tekst'][0]}: tekst platgedrukt tot (bijna) breedte of grootte 0, "
                "of tekst in het uiterlijk van een link, in een patroon of in een masker, of gegevens in een "
                "afbeelding die niet getekend worden. Andere pdf-lezers halen zulke tekst wel uit het bestand.",
                _HIDDEN_TEXT["onzichtbaar_gemaakte_tekst"][1],
            )
        )
    for page in _field_covers(reader, data, annotated):
        findings.append(
            _finding(
                "pdf.tekst_onder_vlak",
                "fout",
                f"pagina {page}",
                f"{_HIDDEN_TEXT['tekst_onder_vlak'][0]}: een formulierveld met een achtergrondkleur of eigen uiterlijk "
                "ligt over tekst (veel pdf-lezers tekenen het veld als vlak, de gepubliceerde kopie heeft geen formuliervelden).",
                "Verwijder het formulierveld of maak het formulier plat ('afvlakken'), lak de tekst eronder echt "
                "en lever het document opnieuw aan.",
            )
        )
    if annotated:
        # A comment, stamp, form field or link can be the only thing covering text: the copy drops it, so
        # the pages are also judged as the reviewer saw them, with those annotations drawn.
        seen = {(h.kind, h.page, h.chars) for h in hidden}
        hidden += [h for h in inspect_document(data, judge=annotated)[1] if (h.kind, h.page, h.chars) not in seen]
    for h in hidden:
        message, fix = _HIDDEN_TEXT[h.kind]
        shown = f" (tekst: {mask(h.chars)})" if h.chars else ""
        findings.append(_finding(f"pdf.{h.kind}", "fout", h.position(), f"{message}{shown}.", fix))
    for s in structure:
        where = f"pagina {s.page}" if s.page else "document"
        if s.severity == REFUSE:
            findings.append(_finding(f"pdf.{s.kind}", "fout", where, f"de pdf bevat {s.detail}.", _STRUCTURE_TEXT[s.kind]))
        elif s.severity == FIXED:
            findings.append(
                _finding(
                    f"pdf.{s.kind}",
                    "waarschuwing",
                    where,
                    f"de pdf bevat {s.detail}; dit is verwijderd uit de gepubliceerde kopie (het origineel is ongewijzigd).",
                    "Geen actie nodig; lever voortaan bij voorkeur een pdf zonder deze gegevens aan.",
                    fixed=True,
                )
            )
    with stage("persoonsgegevens"):
        findings += _personal_data(texts, reader, published)
    with stage("teksten bij lakkingen"):
        findings += _tag_texts(published, texts)
    return findings, published, texts


def _same_pages(data: bytes, texts: list[str], objects: list[int]) -> list[dict]:
    """PDFium (the reviewer's viewer) must read the original as it reads the copy, page by page: the same number
    of pages, on each the same text (white space aside: where PDFium puts spaces and line breaks depends on
    positions) and the same number of page objects (text, paths, images, forms: a box the reviewer saw over text
    must be in the copy). A file that reads as two documents (one reader takes another definition of an object
    than the other, round 9 A20) would otherwise publish content the reviewer never saw; ``xref.layout_problem``
    refuses the known causes before the copy is made, this compares the result whatever the cause, also where
    the copy's own cleaning draws what PDFium does not (an operator with operands it does not take). Another
    number of pages raises ``AmbiguousPdf``; other pages give one finding per kind of difference."""
    original = page_readings(data)
    if len(original) != len(texts):
        raise AmbiguousPdf(f"de pdf-lezer van de beoordelaar toont {len(original)} pagina's, de gepubliceerde kopie {len(texts)}")
    other_text, other_objects = [], []
    for number, ((text, count), copy_text, copy_count) in enumerate(zip(original, texts, objects), start=1):
        if "".join(text.split()) != "".join(copy_text.split()):
            other_text.append(number)
        elif count != copy_count:
            other_objects.append(number)
    findings = []
    for pages, what in (
        (other_text, "andere tekst"),
        (other_objects, "andere onderdelen (tekst, vlakken, afbeeldingen)"),
    ):
        if pages:
            detail = f"de gepubliceerde kopie toont op {_where(pages)} {what} dan de pdf-lezer van de beoordelaar"
            findings.append(_finding(AMBIGUOUS, "fout", _where(pages), ambiguous_message(detail), AMBIGUOUS_FIX))
    return findings


_PERSONAL_FIX = (
    "Lak dit gegeven, of neem de waarde op onder 'toegestane_gegevens' in besluit.md "
    "(of in de site-instellingen) als het openbaar mag, zoals het algemene nummer van de organisatie."
)
_UNSEEN_FIX = (
    "Deze tekst staat niet zichtbaar op de pagina, maar wordt wel gepubliceerd en door schermlezers voorgelezen. "
    "Verwijder het gegeven ook uit de {source} (bijvoorbeeld in de bron, en maak de pdf opnieuw), of neem de waarde op "
    "onder 'toegestane_gegevens' in besluit.md (of in de site-instellingen) als het openbaar mag."
)


def _invisible_characters(texts: list[str]) -> list[dict]:
    """The page text holds characters that draw nothing (``publish/invisible.py``): a tag character, zero-width
    character, variation selector or format character comes only from what a font's /ToUnicode (or the text layer)
    says a glyph copies as, never from a drawn letter, so it can spell text no one sees (a full stop that copies as
    ". Jan Vermeulen" in tag characters). The same definition as for every other published text; one finding, naming
    the pages."""
    pages: list[int] = []
    chars: list[str] = []
    for number, text in enumerate(texts, start=1):
        found = pdf_invisible(text, limit=500)
        if found:
            pages.append(number)
            chars += [char for _, char in found]
    if not pages:
        return []
    return [
        _finding(
            "pdf.onzichtbaar_teken",
            "fout",
            _where(pages),
            f"de tekst van de pdf bevat {'een onzichtbaar teken' if len(chars) == 1 else 'onzichtbare tekens'}: "
            f"{describe_all(chars)}. Zo'n teken staat niet zichtbaar op de pagina, maar komt wel mee bij kopiëren en "
            "zoeken, wordt voorgelezen en zou op de website komen: er kan een naam of ander gegeven in verborgen zitten.",
            "Maak de pdf opnieuw vanuit het bronbestand (bijvoorbeeld 'Opslaan als pdf'), na de onzichtbare tekens daar te "
            "hebben verwijderd, en lever hem opnieuw aan. Blijft de melding, 'print' het document dan naar pdf.",
        )
    ]


def _where(pages: list[int]) -> str:
    return f"pagina {page_ranges(pages)}" if pages else "document"


def _personal_data(texts: list[str], reader: PdfReader, published: bytes | None = None) -> list[dict]:
    """Personal data in the page text and in the text kept but not drawn; the same value on many
    pages is one finding with the pages listed."""
    grouped: dict[tuple[str, str, str], tuple[PersonalData, list[int]]] = {}
    for number, text in enumerate(texts, start=1):
        for item in find_personal_data(text, number):
            grouped.setdefault(("", item.kind, item.hash), (item, []))[1].append(number)
    unseen, hidden = collect(reader, published)
    for entry in unseen:
        for item in find_personal_data(entry.text, entry.page or 0):
            pages = grouped.setdefault((entry.source, item.kind, item.hash), (item, []))[1]
            if entry.page:
                pages.append(entry.page)
    findings = []
    for (source, kind, _), (item, pages) in grouped.items():
        if source:
            findings.append(
                _finding(
                    f"pdf.persoonsgegeven.{kind}",
                    "fout",
                    _where(pages),
                    f"de {SOURCES[source]} bevat {PERSONAL_KINDS[kind]}: {item.masked}.",
                    _UNSEEN_FIX.format(source=SOURCES[source]),
                    value_hash=item.hash,
                )
            )
        else:
            findings.append(
                _finding(
                    f"pdf.persoonsgegeven.{kind}",
                    "fout",
                    _where(pages),
                    f"de tekst bevat {PERSONAL_KINDS[kind]}: {item.masked}.",
                    _PERSONAL_FIX,
                    value_hash=item.hash,
                )
            )
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
        findings.append(
            _finding(
                "pdf.verborgen_tekst",
                "fout",
                _where(pages),
                "er staat verborgen tekst in de pdf: de vervangende tekst (/ActualText) die schermlezers voorlezen "
                f"en die bij kopiëren meekomt, wijkt af van wat er zichtbaar op de pagina staat ({count}tekst: {mask(text)}).",
                "Verwijder de vervangende tekst of maak hem gelijk aan de zichtbare tekst; lak opnieuw met een "
                "programma dat ook de tagstructuur opschoont, en lever de pdf opnieuw aan.",
            )
        )
    return findings


_TAG_TEXT = {
    "tekst_bij_lakking": (
        "de {kind} hoort bij een gelakt deel van de pagina (een zwart vlak of een code zoals 5.1.2.e): schermlezers "
        "lezen hem voor en hij wordt met de pdf gepubliceerd, maar op de pagina staat hij niet (tekst: {text})",
        "Verwijder deze tekst bij het gelakte deel, of vervang hem door de code van de weigeringsgrond (in het "
        "bronbestand, en maak de pdf opnieuw; of lak met een programma dat ook de tags opschoont), en lever het "
        "document opnieuw aan.",
    ),
    "onbekende_woorden_bij_lakking": (
        "de {kind} staat bij gelakte gegevens (op een pagina met een code zoals 5.1.2.e of een zwart vlak) en bevat "
        "woorden die nergens zichtbaar in het document staan ({words}): schermlezers lezen hem voor en hij wordt met "
        "de pdf gepubliceerd, dus hij kan noemen wat is weggelakt (tekst: {text})",
        "Controleer deze tekst: verwijder hem, of schrijf hem zo dat hij alleen noemt wat ook zichtbaar in het "
        "document staat (in het bronbestand, en maak de pdf opnieuw), en lever het document opnieuw aan.",
    ),
}


def _tag_texts(published: bytes, texts: list[str]) -> list[dict]:
    """Alternative, replacement and expansion texts, link descriptions, layer names and bookmarks that
    belong to redacted content or name what the document nowhere shows (tagtexts.py): one finding per
    kind of text and reason, the pages listed."""
    grouped: dict[tuple[str, str], list[tagtexts.TagText]] = {}
    for item in tagtexts.inspect(published, list(texts)):
        grouped.setdefault((item.code, item.source), []).append(item)
    findings = []
    for (code, source), items in grouped.items():
        message, fix = _TAG_TEXT[code]
        first = items[0]
        more = f"; {len(items)} keer" if len(items) > 1 else ""
        shown = ", ".join(mask(w).split(" (")[0] for w in first.words[:5])
        findings.append(
            _finding(
                f"pdf.{code}",
                "fout",
                _where(sorted({i.page for i in items if i.page})),
                message.format(kind=tagtexts.KINDS[source], text=mask(first.text) + more, words=shown) + ".",
                fix,
            )
        )
    return findings


def _annotations(page) -> list[DictionaryObject]:
    annots = page.get("/Annots")
    annots = annots.get_object() if annots is not None else None
    found = [a.get_object() for a in annots] if isinstance(annots, ArrayObject) else []
    return [a for a in found if isinstance(a, DictionaryObject)]


def _link_kept(annot: DictionaryObject) -> bool:
    """Whether the copy surely keeps this annotation (``copy._keep_link``: a link to a place in the
    document or to a web or mail address). When in doubt not: the page is then judged with it drawn."""
    if annot.get("/Subtype") != "/Link":
        return False
    action = annot.get("/A")
    if action is None:
        return "/Dest" in annot
    action = action.get_object()
    if not isinstance(action, DictionaryObject):
        return False
    if action.get("/S") == "/GoTo":
        return "/D" in action
    uri = action.get("/URI")
    return action.get("/S") == "/URI" and isinstance(uri, str) and uri.strip().lower().startswith(("http:", "https:", "mailto:"))


def _pages_losing_annotations(reader: PdfReader) -> set[int]:
    """0-based pages with annotations the published copy does not keep (all but links it keeps)."""
    return {index for index, page in enumerate(reader.pages) if not all(_link_kept(a) for a in _annotations(page))}


# A form field over this share of a letter's box covers it (the top half of a line hides the words).
FIELD_PART = 0.25


def _field_covers(reader: PdfReader, data: bytes, pages: set[int]) -> list[int]:
    """1-based pages where a form field (the copy drops them all) with an appearance or a background
    colour (``/MK /BG``, which viewers honouring NeedAppearances draw) lies over a letter or digit of the
    page (the middle of its box inside the field, or ``FIELD_PART`` of its box under it). PDFium,
    which judges the page as the reviewer saw it, draws no form field without a form environment."""
    import pypdfium2 as pdfium

    found = []
    document = None
    try:
        for index in sorted(pages):
            rects = []
            for annot in _annotations(reader.pages[index]):
                if annot.get("/Subtype") != "/Widget" and "/FT" not in annot:
                    continue
                mk = annot.get("/MK")
                mk = mk.get_object() if mk is not None else None
                background = mk.get("/BG") if isinstance(mk, DictionaryObject) else None
                background = background.get_object() if background is not None else None
                if "/AP" not in annot and not (isinstance(background, ArrayObject) and len(background)):
                    continue
                rect = annot.get("/Rect")
                rect = rect.get_object() if rect is not None else None
                try:
                    if not isinstance(rect, ArrayObject):
                        raise TypeError
                    x0, y0, x1, y1 = (float(v) for v in rect[:4])
                except (TypeError, ValueError):
                    x0, y0, x1, y1 = -1e9, -1e9, 1e9, 1e9  # no readable place: anywhere
                rects.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
            if not rects:
                continue
            document = document or pdfium.PdfDocument(data)
            textpage = document[index].get_textpage()
            text = textpage.get_text_range()
            for i in range(textpage.count_chars()):
                if i < len(text) and text[i].isalnum():  # letters and digits, as the visibility check judges
                    left, bottom, right, top = textpage.get_charbox(i)
                    x, y = (left + right) / 2, (bottom + top) / 2
                    area = max((right - left) * (top - bottom), 1e-6)
                    if any(
                        (r[0] <= x <= r[2] and r[1] <= y <= r[3])
                        or max(min(right, r[2]) - max(left, r[0]), 0) * max(min(top, r[3]) - max(bottom, r[1]), 0)
                        >= FIELD_PART * area
                        for r in rects
                    ):
                        found.append(index + 1)
                        break
    finally:
        if document is not None:
            document.close()
    return found
