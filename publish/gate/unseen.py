"""Text that the published copy keeps but a page does not draw: bookmark titles, page labels, the
tag structure's alternative (/Alt), replacement (/ActualText) and expansion (/E) texts and titles,
the same in marked content, link descriptions (/Contents of a link) and layer names.

Screen readers read it aloud, copying and search engines take it, so it is checked for personal
data like page text. A replacement text (/ActualText) that differs from the visible text it stands
for is hidden text: what a screen reader or a copy gives is then not what is on the page, which is
also what a redaction tool leaves behind when it removes the drawn words but not their tag.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from io import BytesIO
from urllib.parse import unquote

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject, NameObject, NumberObject
from pypdf.generic._font import Font

MAX_DEPTH = 100
# ``kept_strings`` counts every dictionary and array it passes (a tag element and its /K array are two):
# deep enough for the deepest tag structure the copy keeps (``copy.MAX_STRUCTURE_DEPTH``, 100 elements).
MAX_KEPT_DEPTH = 4 * MAX_DEPTH + 10
MAX_ITEMS = 200_000
MAX_FORM_DEPTH = 12
# The prefilter's look at content bytes: a key /ActualText, /Alt or /E before a string, with any white space
# (NUL too) or comments between, as PDF syntax allows; or any name with a ``#`` escape (``/Actual#54ext``
# is /ActualText to every reader). It may say yes too often, never no when the walk would find one.
_PDF_SPACE = rb"(?:[\x00\t\n\x0c\r ]|%[^\r\n]*+)*+"
_HAS_TAG_TEXT = re.compile(rb"/(?:ActualText|Alt|E)" + _PDF_SPACE + rb"[(<]|/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*#")

SOURCES = {
    "bladwijzer": "bladwijzer",
    "paginalabel": "paginalabel",
    "alt": "alternatieve tekst (/Alt)",
    "actualtext": "vervangende tekst (/ActualText)",
    "e": "uitgeschreven afkorting (/E)",
    "t": "titel in de tagstructuur (/T)",
    "link": "beschrijving van een link",
    "linkweergave": "tekst in de weergave van een link",
    "laag": "naam van een laag",
    "linkadres": "adres van een link (zoals een mailto- of webadres)",
    "bestemming": "naam van een bestemming in het document (named destination)",
    "uitvoerprofiel": "beschrijving van het kleurprofiel (OutputIntent)",
    "taalcode": "taalcode (/Lang)",
    "tagstructuur": "tagstructuur (tekst of naam in de structuur van de tags)",
    "uitbreiding": "uitbreidingen van het pdf-formaat (/Extensions)",
    "lettertype": "ingesloten lettertype (naam, copyright of toelichting in het lettertype zelf)",
    "kleurprofiel": "kleurprofiel (ICC: beschrijving, copyright, fabrikant of model in het profiel zelf)",
    "pdfgegevens": "overige gegevens in het pdf-bestand (tekst of naam buiten de pagina's, zoals een actie of instelling)",
}
MAX_URI_DECODES = 5


@dataclass
class UnseenText:
    source: str  # a key of SOURCES
    text: str
    page: int | None = None


@dataclass
class HiddenReplacement:
    """A replacement text (/ActualText) that is not what the page shows."""

    text: str
    visible: str
    page: int | None


@dataclass
class _Frame:
    actual: str | None = None
    mcid: int | None = None
    chars: list[str] = field(default_factory=list)
    glyphs: int = 0


def _r(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _text(value) -> str | None:
    value = _r(value)
    if value is None or isinstance(value, (DictionaryObject, ArrayObject)):
        return None
    text = str(value)
    return text if text.strip() else None


def comparable(text: str) -> str:
    """Letters and digits only, case-folded and with ligatures unfolded: line breaks, hyphens at a
    line end and spacing do not make a replacement text differ from what is drawn."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def differs(actual: str, visible: str, glyphs: int) -> bool:
    wanted = comparable(actual)
    if not wanted:
        return False
    shown = comparable(visible)
    if shown == wanted:  # ligatures (NFKC), hyphens at a line end and soft hyphens compare equal
        return False
    # Glyphs of a composite font without a text mapping (U+FFFD here) are what /ActualText is for: at
    # most one letter or digit per glyph. Letters or digits over glyphs whose meaning is known and is
    # no letter (black blocks, glyphs named /space, U+2588 of a redaction font) are hidden text: what a
    # redaction tool leaves when it removes the words but keeps their tag.
    unknown = bool(visible.strip()) and not visible.replace("\ufffd", "").strip()
    return not (unknown and not shown and len(wanted) <= glyphs)


def collect(reader, published: bytes | None = None) -> tuple[list[UnseenText], list[HiddenReplacement]]:
    """Texts kept but not drawn, and replacement texts that differ from what is drawn. With the bytes
    of the ``published`` copy, also every other string and name that copy keeps outside content
    streams (see ``kept_strings``)."""
    texts: list[UnseenText] = []
    hidden: list[HiddenReplacement] = []
    root = _r(reader.trailer.get("/Root"))
    if not isinstance(root, DictionaryObject):
        return texts, hidden
    page_numbers = {}
    for number, page in enumerate(reader.pages, start=1):
        if page.indirect_reference is not None:
            page_numbers[page.indirect_reference.idnum] = number
    texts += _outline_titles(root.get("/Outlines"))
    texts += _page_labels(root.get("/PageLabels"))
    texts += _layer_names(root.get("/OCProperties"))
    texts += _destination_names(root)
    texts += _output_intents(root.get("/OutputIntents"))
    replaced = _structure(root.get("/StructTreeRoot"), page_numbers, texts)
    wanted_pages = {page for _, _, page, _ in replaced}
    mcid_text: dict[tuple[int, int], tuple[str, int]] = {}
    for number, page in enumerate(reader.pages, start=1):
        for ref in _r(page.get("/Annots")) or []:
            annot = _r(ref)
            if isinstance(annot, DictionaryObject) and annot.get("/Subtype") == "/Link":
                text = _text(annot.get("/Contents"))
                if text:
                    texts.append(UnseenText("link", text, number))
                address = _uri(annot.get("/A"))
                if address:
                    texts.append(UnseenText("linkadres", address, number))
                dest = _r(annot.get("/Dest"))
                if isinstance(dest, str) and dest.strip("/ "):  # a named destination (name or string)
                    texts.append(UnseenText("bestemming", _readable(dest.lstrip("/")), number))
                drawn = _appearance_text(reader, annot, number)
                if drawn.strip():
                    texts.append(UnseenText("linkweergave", drawn, number))
        if number in wanted_pages or _has_tag_text(page.get("/Contents"), page.get("/Resources")):
            _MarkedContent(reader, number, texts, hidden, mcid_text).run(page)
    for text, mcids, page, _ in replaced:
        visible = "".join(mcid_text.get((p, m), ("", 0))[0] for p, m in mcids)
        glyphs = sum(mcid_text.get((p, m), ("", 0))[1] for p, m in mcids)
        if differs(text, visible, glyphs):
            hidden.append(HiddenReplacement(text, visible, page))
    if published is not None:
        texts += kept_strings(published, {t.text for t in texts})
    return texts, hidden


_SKIP_TRAILER = frozenset({"/ID", "/Encrypt", "/Size", "/Prev", "/XRefStm"})
_AREAS = {"/StructTreeRoot": "tagstructuur", "/Extensions": "uitbreiding"}


_FONT_FILES = frozenset({"/FontFile", "/FontFile2", "/FontFile3"})
_ICC = "#icc"


def kept_strings(published: bytes, known: set[str]) -> list[UnseenText]:
    """Every string and name (dictionary keys too) the published copy keeps outside content streams:
    one walk over its objects from the trailer, cycle-safe and bounded; and the texts embedded font programs
    and ICC colour profiles carry (``font_texts``, ``icc_texts``). Other stream data (content, images) is not
    read here; the page checks judge it. ``known`` texts are already collected with a better source."""
    try:
        trailer = PdfReader(BytesIO(published)).trailer
        todo = [(v, str(k), 0, "pdfgegevens") for k, v in trailer.items() if k not in _SKIP_TRAILER]
    except Exception:  # noqa: BLE001 - an unreadable copy is refused elsewhere
        return []
    found: list[UnseenText] = []
    seen_text = set(known)
    seen_objects: set[int] = set()
    steps = 0

    def add(text: str, source: str) -> None:
        if text.strip() and text not in seen_text and len(seen_text) < MAX_ITEMS:
            seen_text.add(text)
            found.append(UnseenText(source, text))

    while todo and steps < MAX_ITEMS:
        obj, key, depth, area = todo.pop()
        steps += 1
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen_objects:
                continue
            seen_objects.add(obj.idnum)
            try:
                obj = obj.get_object()
            except Exception:  # noqa: BLE001 - a broken reference carries nothing
                continue
        if depth > MAX_KEPT_DEPTH:
            continue
        source = "taalcode" if key == "/Lang" else "bestemming" if key in ("/D", "/Dest") else area
        if hasattr(obj, "get_data") and (key in _FONT_FILES or key in (_ICC, "/DestOutputProfile")):
            try:
                data = obj.get_data()
                texts = font_texts(data) if key in _FONT_FILES else icc_texts(data)
            except Exception:  # noqa: BLE001 - the copy refuses a program it cannot read (copy.py)
                texts = []
            for text in texts:
                add(text, "lettertype" if key in _FONT_FILES else "kleurprofiel")
        if isinstance(obj, DictionaryObject):  # a stream's dictionary too
            for k, v in obj.items():
                add(_readable(str(k)[1:]), area)
                todo.append((v, str(k), depth + 1, _AREAS.get(str(k), area)))
        elif isinstance(obj, ArrayObject):
            icc = len(obj) > 1 and obj[0] == "/ICCBased"
            todo += [(v, _ICC if icc and i == 1 else key, depth + 1, area) for i, v in reversed(list(enumerate(obj)))]
        elif isinstance(obj, NameObject):
            add(_readable(str(obj)[1:]), source)
        elif isinstance(obj, str):
            add(str(obj), source)
        elif isinstance(obj, bytes):
            add(obj.decode("latin-1"), source)
    return found


MAX_PROGRAM_TEXTS = 5000
MAX_TAGS = 4096
_SFNT = (b"\x00\x01\x00\x00", b"true", b"OTTO")
_CFF_TOP_STRINGS = ("Notice", "Copyright", "FullName", "FamilyName", "Weight")
_TYPE1_STRINGS = re.compile(rb"/(?:Notice|Copyright|FullName|FamilyName|Weight|version)\s*\(((?:[^()\\]|\\.)*)\)")


def icc_texts(data: bytes) -> list[str]:
    """The texts of an ICC profile's text tags (types ``desc``, ``text``, ``mluc``: its description, copyright,
    maker and model, in any language). Raises ValueError when it is no profile."""
    if len(data) < 132 or data[36:40] != b"acsp":
        raise ValueError("geen ICC-profiel")
    texts: list[str] = []
    for i in range(min(int.from_bytes(data[128:132], "big"), MAX_TAGS)):
        entry = data[132 + 12 * i : 144 + 12 * i]
        offset, length = int.from_bytes(entry[4:8], "big"), int.from_bytes(entry[8:12], "big")
        tag = data[offset : offset + length]
        kind = tag[:4]
        if kind == b"text":
            texts.append(tag[8:].split(b"\0")[0].decode("latin-1"))
        elif kind == b"desc" and len(tag) >= 12:
            n = int.from_bytes(tag[8:12], "big")
            texts.append(tag[12 : 12 + n].split(b"\0")[0].decode("latin-1"))
            rest = tag[12 + n :]
            if len(rest) >= 8:  # the Unicode description
                texts.append(rest[8 : 8 + 2 * int.from_bytes(rest[4:8], "big")].decode("utf-16-be", "replace").split("\0")[0])
        elif kind == b"mluc" and len(tag) >= 16:
            records, size = int.from_bytes(tag[8:12], "big"), int.from_bytes(tag[12:16], "big")
            for r in range(min(records, MAX_TAGS)):
                record = tag[16 + r * size : 16 + r * size + 12]
                if len(record) < 12:
                    break
                n, at = int.from_bytes(record[4:8], "big"), int.from_bytes(record[8:12], "big")
                texts.append(tag[at : at + n].decode("utf-16-be", "replace"))
        if len(texts) > MAX_PROGRAM_TEXTS:
            break
    return [text for text in texts if text.strip()]


_PS_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _postscript_string(raw: bytes) -> str:
    """A PostScript string's text: ``\\012`` (octal) and ``\\n`` escapes read."""

    def escape(m) -> bytes:
        code = m.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return _PS_ESCAPES.get(code, code)

    return re.sub(rb"\\([0-7]{1,3}|.)", escape, raw, flags=re.S).decode("latin-1")


_FONT_TEXTS: dict[bytes, list[str]] = {}


def font_texts(data: bytes) -> list[str]:
    """The texts an embedded font program carries: a TrueType or OpenType font's ``name`` table, the
    notice, copyright and names of a CFF font (bare or in OpenType), and those of a Type 1 font's clear-text
    part (fontTools). Raises ValueError when the program cannot be read. The copy reads each program first
    (copy.py), the check of the copy then again: the last few are remembered by their digest."""
    digest = hashlib.sha256(data).digest()
    if digest not in _FONT_TEXTS:
        texts = _font_texts(data)
        if len(_FONT_TEXTS) >= 256:
            _FONT_TEXTS.clear()
        _FONT_TEXTS[digest] = texts
    return list(_FONT_TEXTS[digest])


def _font_texts(data: bytes) -> list[str]:
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont

    texts: list[str] = []
    try:
        cff = None
        if data[:4] in _SFNT:
            font = TTFont(BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
            if "name" in font:
                texts += [record.toUnicode("replace") for record in font["name"].names[:MAX_PROGRAM_TEXTS]]
            if "CFF " in font:
                cff = font["CFF "].cff
        elif data[:1] == b"\x01":  # a bare CFF program (FontFile3 /Type1C or /CIDFontType0C): version 1
            cff = CFFFontSet()
            cff.decompile(BytesIO(data), None)
        else:
            clear = data[: data.find(b"eexec")] if b"eexec" in data else data[:65536]
            texts += [_postscript_string(m.group(1)) for m in _TYPE1_STRINGS.finditer(clear)]
        for name in cff.fontNames[:MAX_PROGRAM_TEXTS] if cff is not None else []:
            top = cff[name]
            texts.append(str(name))
            texts += [str(getattr(top, key)) for key in _CFF_TOP_STRINGS if hasattr(top, key)]
    except Exception as exc:  # fontTools raises many kinds on a damaged program
        raise ValueError(f"{type(exc).__name__}") from exc
    return [text for text in texts if text.strip()]


_LANGUAGE_TAG = re.compile(r"(?:[A-Za-z]{2,3}|[xXiI])(?:-[A-Za-z0-9]{1,8})*")


def is_language_tag(value: str) -> bool:
    """A BCP 47 language tag as far as its spelling goes: a language of 2 or 3 letters (or x- / i-),
    then subtags of letters and digits of at most 8, at most 35 characters. An empty /Lang (language
    unknown) is allowed."""
    return value == "" or (len(value) <= 35 and _LANGUAGE_TAG.fullmatch(value) is not None)


def _outline_titles(outlines) -> list[UnseenText]:
    found: list[UnseenText] = []
    seen: set[int] = set()
    outlines = _r(outlines)
    todo = [(outlines.get("/First"), 0)] if isinstance(outlines, DictionaryObject) else []
    while todo and len(seen) < MAX_ITEMS:
        ref, depth = todo.pop()
        while ref is not None and depth < MAX_DEPTH and len(seen) < MAX_ITEMS:
            key = ref.idnum if isinstance(ref, IndirectObject) else id(ref)
            item = _r(ref)
            if key in seen or not isinstance(item, DictionaryObject):
                break
            seen.add(key)
            title = _text(item.get("/Title"))
            if title:
                found.append(UnseenText("bladwijzer", title))
            address = _uri(item.get("/A"))
            if address:
                found.append(UnseenText("linkadres", address))
            if item.get("/First") is not None:
                todo.append((item.get("/First"), depth + 1))
            ref = item.get("/Next")
    return found


def _page_labels(labels) -> list[UnseenText]:
    found = []
    todo, seen = [(labels, 0)], set[int]()
    while todo and len(seen) < MAX_ITEMS:
        ref, depth = todo.pop()
        node = _r(ref)
        if not isinstance(node, DictionaryObject) or depth > MAX_DEPTH or id(node) in seen:
            continue
        seen.add(id(node))
        nums = _r(node.get("/Nums"))
        if isinstance(nums, ArrayObject):
            for i in range(0, len(nums) - 1, 2):
                label = _r(nums[i + 1])
                start = _r(nums[i])
                if isinstance(label, DictionaryObject):
                    prefix = _text(label.get("/P"))
                    if prefix:
                        page = int(start) + 1 if isinstance(start, NumberObject) else None
                        found.append(UnseenText("paginalabel", prefix, page))
        for kid in _r(node.get("/Kids")) or []:
            todo.append((kid, depth + 1))
    return found


def _layer_names(properties) -> list[UnseenText]:
    """Layer names and the labels in the layer list (/Order) of the default configuration."""
    properties = _r(properties)
    groups = _r(properties.get("/OCGs")) if isinstance(properties, DictionaryObject) else None
    found = []
    for ref in groups if isinstance(groups, ArrayObject) else []:
        group = _r(ref)
        name = _text(group.get("/Name")) if isinstance(group, DictionaryObject) else None
        if name:
            found.append(UnseenText("laag", name))
    default = _r(properties.get("/D")) if isinstance(properties, DictionaryObject) else None
    todo, seen = [(default.get("/Order"), 0)] if isinstance(default, DictionaryObject) else [], 0
    while todo and seen < MAX_ITEMS:
        node, depth = todo.pop()
        node = _r(node)
        seen += 1
        if isinstance(node, ArrayObject) and depth < MAX_DEPTH:
            todo += [(kid, depth + 1) for kid in node]
        elif not isinstance(node, DictionaryObject) and _text(node):
            found.append(UnseenText("laag", _text(node)))
    return found


def readable_name(text: str) -> str:
    """A PDF name (without its slash) as a person reads it (see ``_readable``)."""
    return _readable(text)


def _readable(text: str) -> str:
    """A name or address as a person reads it: escapes (#20, %20) and separators (_ +) as spaces."""
    text = unquote(text.replace("#", "%"), errors="replace") if "#" in text else text
    return text.replace("_", " ").replace("+", " ")


def _uri(action) -> str | None:
    action = _r(action)
    if not isinstance(action, DictionaryObject) or action.get("/S") != "/URI":
        return None
    address = _r(action.get("/URI"))
    if address is None:
        return None
    raw = address.original_bytes if hasattr(address, "original_bytes") else str(address).encode("latin-1", "replace")
    text = raw.decode("latin-1")
    for _ in range(MAX_URI_DECODES):  # %2540 is %40 is @: decode until nothing changes
        decoded = unquote(text, errors="replace")
        if decoded == text:
            break
        text = decoded
    return _readable(text) if text.strip() else None


def _destination_names(root) -> list[UnseenText]:
    """Names of destinations (/Dests and the /Names /Dests name tree): kept in the copy, so checked."""
    found = []
    dests = _r(root.get("/Dests"))
    if isinstance(dests, DictionaryObject):
        found += [UnseenText("bestemming", _readable(str(k)[1:])) for k in list(dests.keys())[:MAX_ITEMS]]
    names = _r(root.get("/Names"))
    tree = _r(names.get("/Dests")) if isinstance(names, DictionaryObject) else None
    todo, seen = [(tree, 0)], 0
    while todo and seen < MAX_ITEMS:
        node, depth = todo.pop()
        node = _r(node)
        seen += 1
        if not isinstance(node, DictionaryObject) or depth > MAX_DEPTH:
            continue
        entries = _r(node.get("/Names"))
        if isinstance(entries, ArrayObject):
            for i in range(0, len(entries) - 1, 2):
                name = _text(entries[i])
                if name:
                    found.append(UnseenText("bestemming", _readable(name)))
        todo += [(kid, depth + 1) for kid in (_r(node.get("/Kids")) or [])]
    return found


def _output_intents(intents) -> list[UnseenText]:
    found = []
    for intent in _r(intents) or [] if isinstance(_r(intents), ArrayObject) else []:
        intent = _r(intent)
        if isinstance(intent, DictionaryObject):
            for key in ("/OutputConditionIdentifier", "/RegistryName"):
                text = _text(intent.get(key))
                if text:
                    found.append(UnseenText("uitvoerprofiel", text))
    return found


def struct_elements(tree, page_numbers: dict):
    """Each element of the tag structure once, depth-first in document order, with the page it is on (its own
    ``/Pg`` or its parent's) and its depth; marked-content and object references are not elements. Bounded by
    ``MAX_ITEMS`` and ``MAX_DEPTH``: a hostile tree cannot make the walk endless."""
    seen: set = set()
    todo = [(tree.get("/K"), None, 0)]
    while todo and len(seen) < MAX_ITEMS:
        ref, page, depth = todo.pop()
        node = _r(ref)
        if isinstance(node, ArrayObject):
            todo += [(kid, page, depth) for kid in reversed(node)]
            continue
        if not isinstance(node, DictionaryObject) or depth > MAX_DEPTH:
            continue
        key = ref.idnum if isinstance(ref, IndirectObject) else id(node)
        if key in seen:
            continue
        seen.add(key)
        if node.get("/Type") in ("/MCR", "/OBJR"):
            continue
        pg = node.get("/Pg")
        if isinstance(pg, IndirectObject):
            page = page_numbers.get(pg.idnum, page)
        yield node, page, depth
        todo.append((node.get("/K"), page, depth + 1))


def _structure(tree, page_numbers: dict, texts: list[UnseenText]) -> list[tuple[str, list, int | None, int]]:
    """Texts of the tag structure; returns the elements with /ActualText and the marked content
    (page, MCID) they stand for."""
    tree = _r(tree)
    if not isinstance(tree, DictionaryObject):
        return []
    replaced = []
    for node, page, depth in struct_elements(tree, page_numbers):
        for name, source in (("/Alt", "alt"), ("/ActualText", "actualtext"), ("/E", "e"), ("/T", "t")):
            text = _text(node.get(name))
            if text:
                texts.append(UnseenText(source, text, page))
        actual = _text(node.get("/ActualText"))
        if actual:
            replaced.append((actual, _mcids(node, page, page_numbers), page, depth))
    return replaced


def _mcids(elem, page, page_numbers: dict) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    todo, seen = [(elem.get("/K"), page, 0)], set[int]()
    while todo and len(found) < MAX_ITEMS and len(seen) < MAX_ITEMS:
        ref, page, depth = todo.pop()
        node = _r(ref)
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, NumberObject) or (isinstance(node, int) and not isinstance(node, bool)):
            if page is not None:
                found.append((page, int(node)))
        elif isinstance(node, ArrayObject):
            todo += [(kid, page, depth) for kid in reversed(node)]
        elif isinstance(node, DictionaryObject) and id(node) not in seen:
            seen.add(id(node))
            pg = node.get("/Pg")
            here = page_numbers.get(pg.idnum, page) if isinstance(pg, IndirectObject) else page
            if node.get("/Type") == "/MCR":
                if isinstance(_r(node.get("/MCID")), int) and here is not None:
                    found.append((here, int(_r(node["/MCID"]))))
            elif node.get("/Type") != "/OBJR":
                todo.append((node.get("/K"), here, depth + 1))
    return found


def _appearance_text(reader, annot, page: int) -> str:
    """The text a link's appearance stream draws: page text extraction does not include it."""
    appearance = _r(annot.get("/AP"))
    normal = _r(appearance.get("/N")) if isinstance(appearance, DictionaryObject) else None
    streams = (
        [normal]
        if hasattr(normal, "get_data")
        else ([_r(v) for v in normal.values()] if isinstance(normal, DictionaryObject) else [])
    )
    walker = _MarkedContent(reader, page, [], [], {})
    frame = _Frame()
    for stream in streams[:8]:
        if hasattr(stream, "get_data"):
            walker.stack = [frame]
            walker._stream(stream, stream.get("/Resources"), 1)
    return "".join(frame.chars)


def _stream_bytes(contents) -> bytes:
    contents = _r(contents)
    parts = contents if isinstance(contents, ArrayObject) else [contents]
    data = b""
    for part in parts:
        part = _r(part)
        try:
            data += part.get_data() if hasattr(part, "get_data") else b""
        except Exception:  # noqa: BLE001 - a damaged stream is reported by the page checks
            continue
    return data


def _has_tag_text(contents, resources, depth: int = 0, seen: set | None = None) -> bool:
    """Cheap test before parsing: do the page, its forms or its marked-content properties carry any
    /ActualText, /Alt or /E at all?"""
    seen = seen if seen is not None else set()
    if _HAS_TAG_TEXT.search(_stream_bytes(contents)):
        return True
    resources = _r(resources)
    if not isinstance(resources, DictionaryObject) or depth > MAX_FORM_DEPTH:
        return False
    properties = _r(resources.get("/Properties"))
    if isinstance(properties, DictionaryObject):
        for value in properties.values():
            value = _r(value)
            if isinstance(value, DictionaryObject) and any(k in value for k in ("/ActualText", "/Alt", "/E")):
                return True
    xobjects = _r(resources.get("/XObject"))
    for ref in xobjects.values() if isinstance(xobjects, DictionaryObject) else []:
        form = _r(ref)
        if isinstance(form, DictionaryObject) and form.get("/Subtype") == "/Form" and id(form) not in seen:
            seen.add(id(form))
            if _has_tag_text(form, form.get("/Resources"), depth + 1, seen):
                return True
    return False


class _MarkedContent:
    """Walk one page's content (and its forms) for marked content and the text drawn inside it."""

    def __init__(self, reader, page: int, texts, hidden, mcid_text):
        self.reader, self.page, self.texts, self.hidden, self.mcid_text = reader, page, texts, hidden, mcid_text
        self.fonts: dict[int, Font | None] = {}
        self.stack: list[_Frame] = []

    def run(self, page) -> None:
        self._stream(page.get("/Contents"), page.get("/Resources"), 0, top=True)

    def _font(self, font_dict):
        key = id(font_dict)
        if key not in self.fonts:
            try:
                self.fonts[key] = Font.from_font_resource(font_dict)
            except Exception:  # noqa: BLE001 - an odd font decodes as bytes
                self.fonts[key] = None
        return self.fonts[key]

    def _stream(self, contents, resources, depth: int, top: bool = False) -> None:
        contents = _r(contents)
        if contents is None or depth > MAX_FORM_DEPTH:
            return
        try:
            operations = (contents if isinstance(contents, ContentStream) else ContentStream(contents, self.reader)).operations
        except Exception:  # noqa: BLE001 - an unreadable stream is reported by the page checks
            return
        resources = _r(resources)
        resources = resources if isinstance(resources, DictionaryObject) else DictionaryObject()
        fonts = _r(resources.get("/Font"))
        font, saved = None, []
        base = len(self.stack)
        for operands, operator in operations:
            if operator in (b"Tj", b"'", b'"', b"TJ"):
                if not self.stack or not operands:
                    continue
                shown = operands[-1]
                pieces = shown if operator == b"TJ" and isinstance(shown, ArrayObject) else [shown]
                chars, glyphs = [], 0
                for piece in pieces:
                    if isinstance(piece, (bytes, str)):
                        decoded = _decode(font, piece)
                        chars.append(decoded)
                        glyphs += len(decoded)
                for frame in self.stack:
                    frame.chars += chars
                    frame.glyphs += glyphs
            elif operator == b"Tf" and operands:
                font_dict = _r(fonts.get(operands[0])) if isinstance(fonts, DictionaryObject) else None
                font = self._font(font_dict) if isinstance(font_dict, DictionaryObject) else None
                if (
                    isinstance(font_dict, DictionaryObject)
                    and font_dict.get("/Subtype") == "/Type0"
                    and "/ToUnicode" not in font_dict
                ):
                    font = _UNKNOWN  # glyphs without a text meaning: what /ActualText is for
            elif operator == b"q":
                saved.append(font)
            elif operator == b"Q":
                font = saved.pop() if saved else font
            elif operator in (b"BDC", b"BMC"):
                self._begin(operands, resources, operator == b"BDC")
            elif operator == b"EMC":
                if len(self.stack) > base:
                    self._end(self.stack.pop())
            elif operator == b"Do" and operands:
                xobjects = _r(resources.get("/XObject"))
                form = _r(xobjects.get(operands[0])) if isinstance(xobjects, DictionaryObject) else None
                if isinstance(form, DictionaryObject) and form.get("/Subtype") == "/Form":
                    self._stream(form, form.get("/Resources") or resources, depth + 1)
        while len(self.stack) > base:  # unbalanced marked content ends with its stream
            self._end(self.stack.pop())

    def _begin(self, operands, resources, with_properties: bool) -> None:
        frame = _Frame()
        if with_properties and len(operands) >= 2:
            props = _r(operands[1])
            if isinstance(props, NameObject):
                named = _r(resources.get("/Properties"))
                props = _r(named.get(props)) if isinstance(named, DictionaryObject) else None
            if isinstance(props, DictionaryObject) and any("\x00" in key for key in props):
                # NUL is white space to PDF readers (a name ends there), not to pypdf's name parser
                props = DictionaryObject({NameObject(key.split("\x00")[0]): value for key, value in props.items()})
            if isinstance(props, DictionaryObject):
                for name, source in (("/Alt", "alt"), ("/ActualText", "actualtext"), ("/E", "e")):
                    text = _text(props.get(name))
                    if text:
                        self.texts.append(UnseenText(source, text, self.page))
                frame.actual = _text(props.get("/ActualText"))
                mcid = _r(props.get("/MCID"))
                if isinstance(mcid, int) and not isinstance(mcid, bool):
                    frame.mcid = int(mcid)
        self.stack.append(frame)

    def _end(self, frame: _Frame) -> None:
        visible = "".join(frame.chars)
        if frame.actual is not None and differs(frame.actual, visible, frame.glyphs):
            self.hidden.append(HiddenReplacement(frame.actual, visible, self.page))
        if frame.mcid is not None:
            text, glyphs = self.mcid_text.get((self.page, frame.mcid), ("", 0))
            self.mcid_text[(self.page, frame.mcid)] = (text + visible, glyphs + frame.glyphs)


_UNKNOWN = object()


def _decode(font, string) -> str:
    data = (
        string.original_bytes
        if hasattr(string, "original_bytes")
        else (string if isinstance(string, bytes) else str(string).encode("latin-1", "replace"))
    )
    if font is _UNKNOWN:
        return "\ufffd" * max(1, len(data) // 2)
    if font is None:
        return data.decode("latin-1")
    if isinstance(font.encoding, str):
        try:
            raw = data.decode(font.encoding, "surrogatepass")
        except (UnicodeDecodeError, LookupError):
            raw = data.decode("latin-1")
        return "".join(font.character_map.get(c, c) for c in raw)
    out = []
    for b in data:
        char = font.encoding.get(b, chr(b))
        out.append(font.character_map.get(char, char))
    return "".join(out)
