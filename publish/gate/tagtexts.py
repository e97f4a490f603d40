"""Texts for people that the published copy keeps but no page draws, judged against the page's redactions.

An alternative text (/Alt), a replacement text (/ActualText), an expansion (/E), a link's description
(/Contents), a layer name or a bookmark title is read aloud by screen readers, shown in side panels or
copied, but the reviewer never sees it on the page. The personal-data check (personal_data.py) finds
numbers, addresses and e-mail in it, never a name. A redaction tool that blacks out a name or a photo
but leaves its tag ("Pasfoto van Anna Vermeulen", the expansion of a ``5.1.2.e``) publishes the name.

Rule (SECURITY.md, round 8): such a text refuses the document when

- **A** it belongs to redacted content: the marked content it is attached to (directly, or through the tag
  structure's MCIDs) draws a ground code or redaction label (``5.1.2.e``, ``gelakt``), or at least
  ``FLAT_SHARE`` of that content's area is one flat dark colour (a black box, a blacked-out figure, also a
  box drawn over it later), unless the text itself is only such a code or label or holds only words that
  content draws itself (a box saying 'Foto niet openbaar' with that as its alt text); or
- **B** it sits on a page with a redaction mark (a ground code or label drawn on a filled area that is not
  white: what redaction tools print on their boxes, or content as in A) and holds a word that the document's
  visible text has nowhere. Texts without a page (bookmarks, layer names) count for every page: they are
  judged when any page has a redaction mark.

Ordinary tagged documents (Word, LibreOffice) have no redaction marks: their alt texts and bookmarks pass
untouched. Strings only machines read (font and destination names, /T) are neutralised by the copy
(copy.py) instead.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from dataclasses import dataclass
from io import BytesIO

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from .unseen import _mcids, _r, _text, collect, struct_elements
from .visibility import DARK, GROUND_CODE, _bounds, _Canvas, _origin, _Out, _walk

KINDS = {
    "alt": "alternatieve tekst van een afbeelding of ander onderdeel (/Alt)",
    "e": "uitgeschreven tekst van een afkorting (/E)",
    "actualtext": "vervangende tekst (/ActualText)",
    "link": "beschrijving van een link (/Contents)",
    "laag": "naam van een laag",
    "bladwijzer": "titel van een bladwijzer",
}
_KEYS = {"Alt": "alt", "E": "e", "ActualText": "actualtext"}
# What redaction tools print on a box besides a ground code (visibility.LABELS without the words that are
# also ordinary stamps on unredacted pages: 'vertrouwelijk', 'niet openbaar').
REDACTION_LABELS = frozenset({"gelakt", "weggelakt", "geanonimiseerd", "redacted", "redaction"})
_LABEL_WORDS = REDACTION_LABELS | {"woo", "wob", "weigeringsgrond"}  # beside a code: 'gelakt: 5.1.2.e Woo'
# Share of a span's area in one flat dark colour that makes it a redaction box (a dark screenshot or a white
# heading on a dark band has more on it).
FLAT_SHARE = 0.85
FLAT_RANGE = 3  # grey levels around the most common dark value that count as the same flat colour
CODE_FILL = 200  # a code or label drawn on an area this grey or darker (the median under it) marks a redaction
SCALE = 2.0  # pixels per point of the render that judges areas (one per page that needs it)
MAX_OBJECTS = 200_000
_HINT = re.compile(r"(?:5\.[12]|10\.[12]|11\.[12])|gelakt|geanonimiseerd|redact", re.IGNORECASE)


@dataclass
class TagText:
    """One text for people that the copy keeps, with why it is refused."""

    code: str  # "tekst_bij_lakking" (rule A) or "onbekende_woorden_bij_lakking" (rule B)
    source: str  # a key of KINDS
    text: str
    page: int | None
    words: tuple[str, ...] = ()


def is_redaction_label(text: str) -> bool:
    """A ground code (``5.1.2.e``, ``art. 10.2.e``) or a redaction tool's word, and nothing else."""
    text = " ".join(text.split()).strip(" .:;,()[]")
    if not text or len(text) > 60:
        return False
    if GROUND_CODE.match(text) or text.lower() in REDACTION_LABELS:
        return True
    parts = [w for w in re.split(r"[\s:;,()\[\]]+", text) if w]
    rest = " ".join(w for w in parts if w.lower() not in _LABEL_WORDS).strip(" .")
    if rest == text:
        return False
    return bool(GROUND_CODE.match(rest)) if rest else any(w.lower() in REDACTION_LABELS for w in parts)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())


def visible_words(page_texts: list[str]) -> set[str]:
    """Every word of the document's visible text, also those broken over a line with a hyphen."""
    found: set[str] = set()
    for text in page_texts:
        found.update(words(text))
        found.update(words(re.sub(r"[-\u00ad]\s*\n\s*", "", text)))
    return found


def inspect(published: bytes, page_texts: list[str]) -> list[TagText]:
    """The texts for people the published copy keeps that rule A or B refuses (see the module documentation).
    ``page_texts``: the visible text of each page of the copy (visibility.py)."""
    try:
        reader = PdfReader(BytesIO(published))
        kept, _ = collect(reader)
    except Exception:  # noqa: BLE001 - an unreadable copy is refused elsewhere
        return []
    people = [t for t in kept if t.source in KINDS and t.text.strip()]
    if not people:
        return []
    anchors = _structure_anchors(reader)
    pageless = any(t.page is None for t in people)
    wanted = {t.page for t in people if t.page is not None}
    covered: dict[tuple[str, str, int], set[str]] = {}  # rule A: the texts, with the words their content draws
    marked_pages: set[int] = set()
    document = pdfium.PdfDocument(published)
    try:
        for index in range(len(document)):
            number = index + 1
            text = page_texts[index] if index < len(page_texts) else ""
            hint = _HINT.search(text) is not None
            if number not in wanted and not (pageless and hint):
                continue
            page_anchors = {(source, value): mcids for (source, value, page), mcids in anchors.items() if page == number}
            try:
                marked, attached = _judge_page(document, index, page_anchors, hint)
            except Exception:  # noqa: BLE001 - a page PDFium cannot walk: judged as one with a redaction (rule B)
                marked, attached = True, {}
            covered.update({(source, value, number): shown for (source, value), shown in attached.items()})
            if marked or attached:
                marked_pages.add(number)
    finally:
        document.close()
    if not marked_pages:
        return []
    seen = visible_words(page_texts)
    found = []
    for t in people:
        if is_redaction_label(t.text):  # only the code of the ground or a redaction word: names nothing
            continue
        shown = covered.get((t.source, _norm(t.text), t.page)) if t.page is not None else None
        if shown is not None and not set(words(t.text)) <= shown:  # (its own visible text, as /ActualText gives it, passes)
            found.append(TagText("tekst_bij_lakking", t.source, t.text, t.page))
        elif t.page in marked_pages or t.page is None:
            unseen = tuple(dict.fromkeys(w for w in words(t.text) if w not in seen))
            if unseen:
                found.append(TagText("onbekende_woorden_bij_lakking", t.source, t.text, t.page, unseen))
    return found


def _norm(text: str) -> str:
    return " ".join(text.split())


def _structure_anchors(reader) -> dict[tuple[str, str, int], set[int]]:
    """(source, text, page) of every tag element with /Alt, /E or /ActualText -> the MCIDs it stands for there."""
    root = _r(reader.trailer.get("/Root"))
    tree = _r(root.get("/StructTreeRoot")) if isinstance(root, DictionaryObject) else None
    if not isinstance(tree, DictionaryObject):
        return {}
    page_numbers = {}
    for number, page in enumerate(reader.pages, start=1):
        if page.indirect_reference is not None:
            page_numbers[page.indirect_reference.idnum] = number
    found: dict[tuple[str, str, int], set[int]] = {}
    for node, page, _depth in struct_elements(tree, page_numbers):
        for name, source in (("/Alt", "alt"), ("/ActualText", "actualtext"), ("/E", "e")):
            text = _text(node.get(name))
            if text:
                for mcid_page, mcid in _mcids(node, page, page_numbers):
                    found.setdefault((source, _norm(text), mcid_page), set()).add(mcid)
    return found


_BUFFER = 4096


def _utf16(function, *args) -> str:
    buffer = (ctypes.c_ushort * (_BUFFER // 2))()
    size = ctypes.c_ulong(0)
    if not function(*args, buffer, _BUFFER, ctypes.byref(size)):
        return ""
    length = min(size.value, _BUFFER)
    return bytes(buffer)[:length].decode("utf-16-le", "replace").rstrip("\x00")


def _marks(obj) -> tuple[set[int], list[tuple[str, str]]]:
    """The MCIDs and the (source, text) of /Alt, /E and /ActualText of every marked content around a page object."""
    mcids: set[int] = set()
    texts: list[tuple[str, str]] = []
    for j in range(raw.FPDFPageObj_CountMarks(obj)):
        mark = raw.FPDFPageObj_GetMark(obj, j)
        if not mark:
            continue
        for k in range(raw.FPDFPageObjMark_CountParams(mark)):
            key = _utf16(raw.FPDFPageObjMark_GetParamKey, mark, k)
            if key == "MCID":
                value = ctypes.c_int(0)
                if raw.FPDFPageObjMark_GetParamIntValue(mark, b"MCID", ctypes.byref(value)):
                    mcids.add(value.value)
            elif key in _KEYS:
                text = _utf16(raw.FPDFPageObjMark_GetParamStringValue, mark, key.encode())
                if text.strip():
                    texts.append((_KEYS[key], _norm(text)))
    return mcids, texts


def _object_text(obj, textpage) -> str:
    size = raw.FPDFTextObj_GetText(obj, textpage, None, 0)
    if size <= 2 or size > 1_000_000:
        return ""
    buffer = (ctypes.c_ushort * (size // 2))()
    raw.FPDFTextObj_GetText(obj, textpage, buffer, size)
    return bytes(buffer).decode("utf-16-le", "replace").rstrip("\x00")


def _judge_page(
    document, index: int, anchors: dict[tuple[str, str], set[int]], hint: bool
) -> tuple[bool, dict[tuple[str, str], set[str]]]:
    """Whether the page shows a redaction mark, and the (source, text) of the texts attached to redacted
    content on it (rule A), each with the words that content draws itself."""
    page = document[index]
    textpage = page.get_textpage()
    try:
        raw.FPDFPage_SetRotation(page, 0)
        left, bottom = _origin(page)
        out = _Out()
        groups: dict[tuple[str, str], list[tuple]] = {}  # attached texts: their objects' bounds
        codes: list[tuple] = []  # bounds of codes and labels drawn on the page
        labelled: set[tuple[str, str]] = set()
        drawn: dict[tuple[str, str], set[str]] = {}  # the words each attached text's content draws
        for obj, kind, to_page in _walk(page)[:MAX_OBJECTS]:
            box = _bounds(obj, to_page, out)
            mcids, texts = _marks(obj)
            keys = set(texts) | {key for key, wanted in anchors.items() if mcids & wanted}
            label = False
            if kind == raw.FPDF_PAGEOBJ_TEXT and (hint or keys):
                shown = _object_text(obj, textpage)
                label = is_redaction_label(shown)
                if label and box is not None:
                    codes.append(box)
                for key in keys:
                    drawn.setdefault(key, set()).update(words(shown))
            for key in keys:
                if label:
                    labelled.add(key)
                if box is not None:
                    groups.setdefault(key, []).append(box)
        if not codes and not groups:
            return False, {}
        boxes = codes + [box for members in groups.values() for box in members]
        area = (
            min(b[0] for b in boxes) - left,
            min(b[1] for b in boxes) - bottom,
            max(b[2] for b in boxes) - left,
            max(b[3] for b in boxes) - bottom,
        )
        canvas = _Canvas(page.get_width(), page.get_height(), area, SCALE)
        grey = canvas.render(page, grayscale=True, draw_annots=False)
        if grey.ndim == 3:
            grey = grey[..., 0]
        marked = any(_on_fill(grey, canvas, box, left, bottom) for box in codes)
        attached = set(labelled)
        for key, members in groups.items():
            union = (
                min(b[0] for b in members) - left,
                min(b[1] for b in members) - bottom,
                max(b[2] for b in members) - left,
                max(b[3] for b in members) - bottom,
            )
            if key not in attached and _flat_dark(grey, canvas, union):
                attached.add(key)
        return marked, {key: drawn.get(key, set()) for key in attached}
    finally:
        textpage.close()
        page.close()


def _on_fill(grey: np.ndarray, canvas: _Canvas, box, left: float, bottom: float) -> bool:
    """Is the area under a drawn code or label filled (its median no lighter than CODE_FILL)? Black text on
    white paper leaves the median white; a code on a black or grey box does not."""
    where = canvas.pixels((box[0] - left, box[1] - bottom, box[2] - left, box[3] - bottom), grey.shape)
    return where is not None and float(np.median(grey[where])) <= CODE_FILL


def _flat_dark(grey: np.ndarray, canvas: _Canvas, box) -> bool:
    """Is at least FLAT_SHARE of the area one flat dark colour (a redaction box, drawn in it or over it)?"""
    where = canvas.pixels(box, grey.shape)
    if where is None:
        return False
    part = grey[where]
    dark = part[part < DARK]
    if dark.size < FLAT_SHARE * part.size:
        return False
    values, counts = np.unique(dark, return_counts=True)
    common = int(values[np.argmax(counts)])
    flat = np.count_nonzero(np.abs(part.astype(np.int16) - common) <= FLAT_RANGE)
    return bool(flat >= FLAT_SHARE * part.size)
