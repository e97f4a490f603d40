"""Text whose copy is not what the page draws: a font whose text mapping (/ToUnicode) gives letters
that its drawn glyphs cannot tell apart.

A redaction made by swapping the font of a name for one that draws ``XXXXXXXXX`` (or bullets) while its
/ToUnicode map still gives "Pietersen" shows X's, yet copying, searching, pdftotext and the site's own
search all read the name. Visibility (``visibility.py``) sees visible ink and lets it through.

The rule: *one drawing, different letters*. For every font with a /ToUnicode map, the outline of each
character code the map gives a letter or digit is read as PDFium draws it; when three or more different
letters or digits (after case folding, NFKC and folding look-alikes such as Latin/Cyrillic/Greek "O",
"I"/"l") are drawn with the very same outline, the drawn text cannot say what the copied text says and
the page is refused. Honest fonts draw different letters differently (the two or so pairs that share a
shape in some fonts, like "I" and "l", stay under the threshold).

PDFium's glyph path API (``FPDFFont_GetGlyphPath``) takes a Unicode value, not a character code: it
finds the code through the font's own /ToUnicode map (one of the codes mapped to that value), which a
decoy entry could steer. So the fonts are copied into a small document of their own in which each font's
map gives every code a private-use value of its own (U+E000 + n): there every code's outline is read
exactly, drawn by the same engine from the same font dictionary. Type 3 fonts have no outlines in
PDFium: their glyph procedures (content streams) are compared instead, normalised by pikepdf's parser
and without their width operator (d0/d1).

Outlines are compared with x scaled to the glyph's width (PDFium stretches a non-embedded font's glyph to
the width the PDF gives each code) and y in font units as drawn. Only codes for letters that occur in
the pages' text are read. A font that looks like a lie is then judged on the codes its pages really show
(content streams and forms parsed with pikepdf): a map may list codes a subset font has no glyph for,
which all draw the same .notdef box but are never shown; and text drawn invisibly (render mode 3 or 7,
an OCR layer, judged by ``visibility.py``) shows no glyph at all. A font that cannot be read, or one
that would take too much work (huge maps, over the budget of outline segments) is refused as not
judgeable: refuse rather than guess.

Cost: one pikepdf copy of the fonts with a /ToUnicode map and one PDFium load per document; the
outline of each code is read as one block of memory (see ``_Reader``). Fonts without a map are not read.

Glyphs that fill their box (``_block``: no letter or digit of a real font does) all count as one
outline, so a box drawn a little differently for each letter is caught too. Embedded Type 1 and TrueType
fonts without /ToUnicode are judged the same way, on the text PDFium extracts for each code (by the
font's encoding and glyph names: ``_extracted_texts``), since their program may draw blocks under the
names of letters.

Round 8 (attack-8) adds three rules that need no outline. *One code, one glyph*: a code whose mapped text
has more letters than one glyph can stand for (``too_many_letters``: ligatures such as fi, ffl, st pass) is
refused, as a white "e" of "5.1.2.e" on a black box copied as "e Jan Pietersen". *The name says what is drawn*:
where the font's encoding names each code's glyph (``drawn_texts``: /Differences, a named base encoding, the
built-in sets of non-embedded fonts) a code whose map gives other letters is refused (``names_lie``), as
Helvetica drawing "medewerker XY" by /Differences while copying "Jan Vermeulen". *A symbol font the server
lacks*: a non-embedded, non-standard Wingdings or Webdings (or a font flagged symbolic) is drawn by PDFium with
substitute letters and by a reader who has it with pictograms (``copy.symbol_font_not_embedded``): refused.
Each is judged on the codes the pages show (``_shown_codes``), only for fonts where the cheap test found one.

Not caught: letters drawn with glyphs that differ slightly per letter and are not blocks (a different X
per letter, or drawn by other glyph procedures that look the same) in fonts without glyph names in their
encoding (symbolic TrueType subsets, composite fonts), two different letters on one shape there, and
composite fonts without /ToUnicode.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import io
import math
import re
import struct
import unicodedata
from decimal import Decimal

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pikepdf import Array, Dictionary, Name

from .copy import _embedded, font_flags, symbol_font_not_embedded, unknown_font_without_widths
from .visibility import Hidden

ANDERS_GETEKEND = "tekst_anders_dan_getekend"
NIET_TE_BEOORDELEN = "niet_te_beoordelen_lettertype"
WOORD_OP_EEN_TEKEN = "woord_op_een_teken"  # one code copies as more letters than a ligature (round 8, a01)
ANDERE_LETTERS = "andere_letters_dan_getekend"  # the encoding names another glyph than the copy says (a05)
SYMBOOLLETTERTYPE = "niet_ingesloten_symboollettertype"  # a symbol font each viewer replaces (a08)
KINDS = (ANDERS_GETEKEND, WOORD_OP_EEN_TEKEN, ANDERE_LETTERS, SYMBOOLLETTERTYPE, NIET_TE_BEOORDELEN)  # by weight
MIN_LETTERS = 3  # different letters or digits on one outline that make a lie
MAX_MAP_ENTRIES = 200_000  # codes a /ToUnicode map may give (ranges included) before the font is not judged
MAX_CODES = 4_000  # codes of one font whose outline is read (only codes for letters on the pages count)
MAX_SEGMENTS = 4_096  # segments of one outline read; a longer one is hashed on these and its length
BUDGET = 2_000_000  # segments read per document before it is not judged
MAX_PROCEDURE = 65_536  # bytes of a Type 3 glyph procedure parsed; a longer one is compared byte for byte
MAX_DEPTH = 12  # forms and Type 3 resources followed this deep
_PUA = 0xE000

# Letters that share their shape across scripts, or are one stroke in many sans fonts: counted as one.
_ALIKE = {
    **dict.fromkeys("AАΑ", "a"),
    **dict.fromkeys("BВΒ", "b"),
    **dict.fromkeys("CСϹ", "c"),
    **dict.fromkeys("EЕΕ", "e"),
    **dict.fromkeys("HНΗ", "h"),
    **dict.fromkeys("IlıǀΙІӀӏ1|", "l"),
    **dict.fromkeys("JЈ", "j"),
    **dict.fromkeys("KКΚ", "k"),
    **dict.fromkeys("MМΜ", "m"),
    **dict.fromkeys("NΝ", "n"),
    **dict.fromkeys("OoОоΟο0", "o"),
    **dict.fromkeys("PРΡ", "p"),
    **dict.fromkeys("SЅ", "s"),
    **dict.fromkeys("TТΤ", "t"),
    **dict.fromkeys("XХΧ", "x"),
    **dict.fromkeys("YУΥ", "y"),
    **dict.fromkeys("ZΖ", "z"),
    **dict.fromkeys("aа", "a"),
    **dict.fromkeys("cс", "c"),
    **dict.fromkeys("eе", "e"),
    **dict.fromkeys("hһ", "h"),
    **dict.fromkeys("iі", "i"),
    **dict.fromkeys("jј", "j"),
    **dict.fromkeys("pр", "p"),
    **dict.fromkeys("sѕ", "s"),
    **dict.fromkeys("vν", "v"),
    **dict.fromkeys("xх", "x"),
    **dict.fromkeys("yу", "y"),
}


class _Unjudgeable(Exception):
    pass


@functools.lru_cache(maxsize=4096)
def letters(text: str) -> str:
    """The letters and digits of a mapped text as one key: 'ﬁ' and 'fi' alike, 'P' and 'p' alike."""
    out = []
    for ch in unicodedata.normalize("NFKC", text):
        if ch.isalnum():
            out.append(_ALIKE.get(ch, ch).casefold())
    return "".join(out)


# -- what one code may copy as, and what its encoding says it draws (round 8) ------------------------------

# The letters one glyph of a Latin, Greek or Cyrillic font can stand for: the standard and discretionary
# ligatures of text fonts (Calibri and Cambria set "ti", "tt", "ft"; TeX "ff", "ffi"), the Dutch "ij" and
# letters whose case folding gives two ("ß": "ss"). A code that copies as more (a name behind one glyph: a
# white "e" of "5.1.2.e" on a black box, a block, an "X") is a lie whatever its glyph looks like.
LIGATURES = frozenset(
    letters(run)
    for run in "ff fi fl ffi ffl fj ffj ft fft fb ffb fh ffh fk ffk st ct sp sk th tt ti tti tf tz ck ch ij IJ ae oe ss qu gg gy tm".split()
)
MAX_CLUSTER = 4  # letters one glyph of another script (Arabic, Indic, Thai conjuncts) may stand for
_STRICT_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC", "FULLWIDTH", "MATHEMATICAL", "DIGIT", "ARMENIAN", "COPTIC")


@functools.lru_cache(maxsize=4096)
def too_many_letters(text: str) -> bool:
    """Does one character code copy as more letters or digits than one glyph can stand for? Counted as the
    text is written (one code point "ﬃ" or "½" is one), judged on the letters without case or look-alikes."""
    written = [ch for ch in unicodedata.normalize("NFC", text) if ch.isalnum()]
    if len(written) < 2 or letters(text) in LIGATURES:
        return False
    if len(written) <= 3 and all(ch.isdigit() for ch in written):  # a fraction or number glyph: "1/2", "10"
        return False
    strict = any(unicodedata.name(ch, "LATIN").split()[0] in _STRICT_SCRIPTS or ch.isascii() for ch in written)
    return strict or len(written) > MAX_CLUSTER


# Letters Unicode does not decompose that a map may well spell out ("œ" copied as "oe", "ø" as "o").
_SPELLED = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i"}
)


@functools.lru_cache(maxsize=4096)
def _bare(text: str) -> str:
    """The letters of a text without accents, case or look-alikes ("é" and "e" alike: not a leak)."""
    decomposed = unicodedata.normalize("NFKD", text).translate(_SPELLED)
    return letters("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _char_tables() -> dict[str, list[str | None]]:
    """The character of each code in the base encodings of simple fonts (ISO 32000-1, annex D)."""
    from fontTools.encodings.StandardEncoding import StandardEncoding
    from pypdf._codecs import _mac_encoding, _symbol_encoding, _win_encoding, _zapfding_encoding

    standard = [_named(name) for name in StandardEncoding]
    return {
        "/StandardEncoding": standard,
        "/WinAnsiEncoding": [_plain(ch) for ch in _win_encoding],
        "/MacRomanEncoding": [_plain(ch) for ch in _mac_encoding],
        "Symbol": [_plain(ch) for ch in _symbol_encoding],
        "ZapfDingbats": [_plain(ch) for ch in _zapfding_encoding],
        # no base encoding, not embedded: the standard Latin set, where Standard and WinAnsi agree
        "latin": [s if s == _plain(w) else None for s, w in zip(standard, _win_encoding, strict=True)],
    }


_TABLES: dict[str, list[str | None]] = {}


def _plain(ch: str | None) -> str | None:
    return ch if isinstance(ch, str) and ch and ch != "\x00" and not _private(ch) else None


def _private(text: str) -> bool:
    return any(0xE000 <= ord(ch) <= 0xF8FF or ord(ch) >= 0xF0000 for ch in text)


@functools.lru_cache(maxsize=4096)
def _named(name: str, dingbats: bool = False) -> str | None:
    """The text a glyph name stands for (Adobe Glyph List, uniXXXX, f_f_i), None when the name says nothing
    (g12, .notdef, a private-use value)."""
    from fontTools import agl

    text = agl.toUnicode(name, isZapfDingbats=dingbats)
    return text if text and not _private(text) else None


def drawn_texts(font: pikepdf.Object) -> dict[int, str]:
    """Per one-byte code of a simple font, the character its encoding names for it, where that name is the
    glyph viewers draw: every /Differences name of a Type 1 font (embedded or not: the program's glyph of
    that name, or the viewer's own); a named base encoding (WinAnsi, MacRoman, Standard); a non-embedded
    font without one (the standard Latin set, the built-in sets of Symbol and ZapfDingbats). TrueType
    fonts flagged symbolic (the code goes to the program's own table), Type 3 and composite fonts: none."""
    subtype = font.get("/Subtype")
    if subtype not in (Name.Type1, Name.MMType1, Name.TrueType):
        return {}
    flags = font_flags(font)
    if subtype == Name.TrueType and flags & 4 and not flags & 32:
        return {}
    if not _TABLES:
        _TABLES.update(_char_tables())
    base = str(font.get("/BaseFont")) if isinstance(font.get("/BaseFont"), Name) else ""
    base = base[1:].split("+", 1)[-1]
    embedded = _embedded(font)
    dingbats = base.startswith("ZapfDingbats")
    encoding = font.get("/Encoding")
    named = str(encoding) if isinstance(encoding, Name) else None
    if isinstance(encoding, Dictionary) and isinstance(encoding.get("/BaseEncoding"), Name):
        named = str(encoding.get("/BaseEncoding"))
    table: list[str | None] | None
    if base in ("Symbol", "ZapfDingbats"):  # their own set, whatever base encoding is named
        table = None if embedded else _TABLES[base]
    elif named is not None:
        table = _TABLES.get(named)
    else:
        table = None if embedded else _TABLES["latin"]
    drawn = {code: ch for code, ch in enumerate(table or []) if ch is not None}
    differences = encoding.get("/Differences") if isinstance(encoding, Dictionary) else None
    if isinstance(differences, Array):
        current = None
        for item in differences:
            if isinstance(item, int):
                current = int(item)
            elif isinstance(item, Name) and current is not None:
                if 0 <= current < 256:
                    text = _named(str(item)[1:], dingbats)
                    if text is None:
                        drawn.pop(current, None)
                    else:
                        drawn[current] = text
                current += 1
            else:
                current = None
    return drawn


# Glyph names the Adobe Glyph List gave two values, a math sign and a Greek letter drawn alike ("Delta": U+2206
# and U+0394): a font's "Delta" may well copy as the letter.
_SIGN_LETTERS = str.maketrans({"\u2206": "\u0394", "\u2211": "\u03a3", "\u220f": "\u03a0", "\u2126": "\u03a9"})


def names_lie(drawn: str, copied: str) -> bool:
    """Does a code copy as letters other than the glyph its encoding names? A blank glyph is left to the
    visibility check (it draws nothing); accents, case and look-alikes do not count."""
    want = _bare(copied)
    return bool(want) and bool(drawn.strip()) and _bare(drawn.translate(_SIGN_LETTERS)) != want


# -- /ToUnicode ----------------------------------------------------------------------------------------

_TOKEN = re.compile(rb"<([0-9A-Fa-f\s]*)>|(\[)|(\])|(beginbfchar|endbfchar|beginbfrange|endbfrange)|%[^\r\n]*")


_SPACE = re.compile(rb"\s+")


def _hex(token: bytes) -> bytes:
    digits = _SPACE.sub(b"", token)
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode("ascii"))


def _utf16(data: bytes) -> str:
    if len(data) % 2:
        data = data[:-1]
    return data.decode("utf-16-be", errors="replace")


def parse_tounicode(data: bytes) -> dict[tuple[int, int], str]:
    """(code, bytes in the code) -> text, from the bfchar and bfrange sections of a /ToUnicode CMap."""
    mapping: dict[tuple[int, int], str] = {}
    section = None
    operands: list = []
    array: list[bytes] | None = None
    for m in _TOKEN.finditer(data):
        hex_, open_, close, word = m.groups()
        if word:
            section = word[5:] if word.startswith(b"begin") else None
            operands, array = [], None
            continue
        if section is None:
            continue
        if open_:
            array = []
            continue
        if close:
            if array is not None:
                operands.append(array)
            array = None
        elif hex_ is not None:
            value = _hex(hex_)
            if array is not None:
                array.append(value)
                continue
            operands.append(value)
        else:
            continue
        if section == b"bfchar" and len(operands) == 2:
            src, dst = operands
            if isinstance(src, bytes) and isinstance(dst, bytes) and 0 < len(src) <= 4:
                mapping[(int.from_bytes(src, "big"), len(src))] = _utf16(dst)
            operands = []
        elif section == b"bfrange" and len(operands) == 3:
            lo, hi, dst = operands
            operands = []
            if not (isinstance(lo, bytes) and isinstance(hi, bytes)) or not 0 < len(lo) <= 4:
                continue
            first, last = int.from_bytes(lo, "big"), int.from_bytes(hi, "big")
            if last < first:
                continue
            if len(mapping) + (last - first + 1) > MAX_MAP_ENTRIES:
                raise _Unjudgeable("te grote tekstkoppeling")
            if isinstance(dst, list):
                for offset, item in enumerate(dst[: last - first + 1]):
                    mapping[(first + offset, len(lo))] = _utf16(item)
            elif dst:
                start = int.from_bytes(dst, "big")
                for offset in range(last - first + 1):  # the last byte counts up (ISO 32000-1, 9.10.3)
                    value = (start + offset).to_bytes(max(len(dst), 1) + 4, "big")[-len(dst) :]
                    mapping[(first + offset, len(lo))] = _utf16(value)
        if len(mapping) > MAX_MAP_ENTRIES:
            raise _Unjudgeable("te grote tekstkoppeling")
    return mapping


# -- fonts of the pages ----------------------------------------------------------------------------------


def _key(obj: pikepdf.Object) -> tuple:
    return ("i", *obj.objgen) if obj.is_indirect else ("d", id(obj))


def _page_resources(page: pikepdf.Page) -> pikepdf.Object | None:
    node: pikepdf.Object | None = page.obj
    hops = 0
    while isinstance(node, Dictionary) and hops < 64:  # /Resources may be inherited from the page tree
        res = node.get("/Resources")
        if res is not None:
            return res
        node, hops = node.get("/Parent"), hops + 1
    return None


def _fonts_of_pages(pdf: pikepdf.Pdf) -> tuple[dict[tuple, pikepdf.Object], dict[tuple, set[int]], set[tuple]]:
    """Every font the pages can use (their resources, forms and Type 3 glyph resources, inherited ones
    too), by identity, with the 1-based pages that reach it, and the fonts reached inside a Type 3 font."""
    fonts: dict[tuple, pikepdf.Object] = {}
    pages: dict[tuple, set[int]] = {}
    in_type3: set[tuple] = set()

    def resources(res, number: int, depth: int, seen: set, inner: bool) -> None:
        if not isinstance(res, Dictionary) or depth > MAX_DEPTH:
            return
        font_dict = res.get("/Font")
        if isinstance(font_dict, Dictionary):
            for _name, font in font_dict.items():
                if not isinstance(font, Dictionary):
                    continue
                k = _key(font)
                fonts.setdefault(k, font)
                pages.setdefault(k, set()).add(number)
                if inner:
                    in_type3.add(k)
                if font.get("/Subtype") == Name.Type3 and k not in seen:
                    seen.add(k)
                    resources(font.get("/Resources"), number, depth + 1, seen, True)
        xobjects = res.get("/XObject")
        if isinstance(xobjects, Dictionary):
            for _name, xobj in xobjects.items():
                if isinstance(xobj, pikepdf.Stream) and xobj.get("/Subtype") == Name.Form and _key(xobj) not in seen:
                    seen.add(_key(xobj))
                    resources(xobj.get("/Resources"), number, depth + 1, seen, inner)

    for number, page in enumerate(pdf.pages, start=1):
        resources(_page_resources(page), number, 0, set(), False)
    return fonts, pages, in_type3


def _type3_outline(font: pikepdf.Object, code: int, cache: dict) -> bytes | None:
    """A hash of the glyph procedure a Type 3 font draws for a code (parsed by pikepdf and written
    again without the width operator d0/d1), None when it draws none."""
    encoding = font.get("/Encoding")
    procs = font.get("/CharProcs")
    if not isinstance(encoding, Dictionary) or not isinstance(procs, Dictionary):
        return None
    differences = encoding.get("/Differences")
    if not isinstance(differences, Array):
        return None
    name, current = None, None
    for item in differences:
        if isinstance(item, Name):
            if current is not None:
                if current == code:
                    name = str(item)
                current += 1
        elif isinstance(item, int):
            current = int(item)
        else:
            current = None
    proc: pikepdf.Object | None = procs.get(name) if name else None
    if proc is None or not isinstance(proc, pikepdf.Stream):
        return None
    if _key(proc) not in cache:
        cache[_key(proc)] = _procedure(proc)
    return cache[_key(proc)]


def _procedure(proc: pikepdf.Stream) -> bytes | None:
    try:
        data = proc.read_bytes()
        if len(data) > MAX_PROCEDURE:  # not parsed: its bytes with runs of white space made one
            kept = re.sub(rb"^\s*(\S+\s+){2,6}d[01]\b", b"", re.sub(rb"\s+", b" ", data))
        else:
            ops = [op for op in pikepdf.parse_content_stream(proc) if str(op.operator) not in ("d0", "d1")]
            kept = bytes(pikepdf.unparse_content_stream(ops)) if ops else b""
    except pikepdf.PdfError as exc:
        raise _Unjudgeable("onleesbare tekenprocedure") from exc
    return hashlib.blake2b(kept, digest_size=16).digest() if kept.strip() else None


# -- outlines as PDFium draws them --------------------------------------------------------------------------


def _pua_cmap(codes: list[tuple[int, int]]) -> bytes:
    lines = []
    for start in range(0, len(codes), 100):
        chunk = codes[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        for offset, (code, size) in enumerate(chunk):
            lines.append(f"<{code:0{2 * size}X}> <{_PUA + start + offset:04X}>")
        lines.append("endbfchar")
    sizes = sorted({size for _c, size in codes})
    space = "\n".join(f"<{'00' * s}> <{'FF' * s}>" for s in sizes)
    return (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /PUA def\n"
        f"{len(sizes)} begincodespacerange\n{space}\nendcodespacerange\n" + "\n".join(lines) + "\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode("ascii")


_POINT = np.dtype([("x", "<f4"), ("y", "<f4"), ("type", "u1"), ("close", "u1"), ("pad", "V2")])


def _address(handle) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


# A glyph that fills its box: no letter or digit of a real font does (checked on the 111,000 letter and digit
# glyphs of the system's DejaVu, Liberation, Noto, Droid and URW fonts and reportlab's: the fullest is 0.91 of
# its box, a Hebrew yod; accents over letters count twice where their parts overlap). At least BLOCK_HEIGHT
# of the em high and BLOCK_WIDTH of its height wide (an "I" or "l" is a bar, not a block). All such glyphs
# count as one drawing: a box drawn a little differently for each letter of a name still says nothing.
BLOCK = b"block"
BLOCK_FILL = 0.95
BLOCK_HEIGHT = 0.3  # of the em (PDFium gives outlines with the em as 1)
BLOCK_WIDTH = 0.4


def _next(a: np.ndarray) -> np.ndarray:
    """``np.roll(a, -1)`` of a 1-D array: the same new array, without np.roll's general set-up (it ran for every contour)."""
    return np.concatenate((a[1:], a[:1]))


def _block(xs: np.ndarray, ys: np.ndarray, kinds: np.ndarray) -> bool:
    """Does an outline fill (nearly) all of its bounding box? Its area is summed over its contours with
    their orientation (a counter takes its area away); a curve by points along it (its control points
    would count the corners of a round letter)."""
    width, height = float(xs.max() - xs.min()), float(ys.max() - ys.min())
    if height < BLOCK_HEIGHT or width < BLOCK_WIDTH * height:
        return False
    starts = np.flatnonzero((kinds // 2) == raw.FPDF_SEGMENT_MOVETO).tolist() + [len(xs)]
    rough = 0.0  # curves by their control points: the usual letter is told at once
    for start, end in zip(starts, starts[1:]):
        x, y = xs[start:end].astype(np.float64), ys[start:end].astype(np.float64)
        rough += float(np.dot(x, _next(y)) - np.dot(y, _next(x))) / 2
    if abs(rough) < 0.8 * width * height:
        return False
    return _area(xs, ys, kinds, curves=True) >= BLOCK_FILL * width * height


def _area(xs: np.ndarray, ys: np.ndarray, kinds: np.ndarray, curves: bool) -> float:
    """The outline's area (absolute, contours with their orientation); ``curves``: cubic curves followed by
    eight points each, else by their control points."""
    types = (kinds // 2).tolist()
    x, y = xs.astype(np.float64).tolist(), ys.astype(np.float64).tolist()
    total, i = 0.0, 0
    contour: list[tuple[float, float]] = []
    steps = [t / 8 for t in range(1, 9)]

    def close() -> float:
        if len(contour) < 3:
            return 0.0
        px, py = np.array([p[0] for p in contour]), np.array([p[1] for p in contour])
        return float(np.dot(px, _next(py)) - np.dot(py, _next(px))) / 2

    while i < len(types):
        if types[i] == raw.FPDF_SEGMENT_MOVETO:
            total += close()
            contour = [(x[i], y[i])]
        elif types[i] == raw.FPDF_SEGMENT_BEZIERTO and curves and i + 2 < len(types) and contour:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = contour[-1], (x[i], y[i]), (x[i + 1], y[i + 1]), (x[i + 2], y[i + 2])
            for t in steps:
                u = 1 - t
                a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
                contour.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
            i += 3
            continue
        else:
            contour.append((x[i], y[i]))
        i += 1
    total += close()
    return abs(total)


class _Reader:
    """Reads glyph outlines. PDFium hands out a segment as a pointer into the path's array of points
    (x, y as floats, type, close flag: 12 bytes each); when the pointers of the first, second and last
    segment and their values say so, the array is read at once instead of 4 calls per segment."""

    def __init__(self) -> None:
        self.budget = BUDGET
        self.x = ctypes.c_float()
        self.y = ctypes.c_float()
        self.checked = False  # the array layout was compared with the API's values once

    def _point(self, segment) -> tuple[float, float, int, int]:
        if not segment or not raw.FPDFPathSegment_GetPoint(segment, self.x, self.y):
            raise _Unjudgeable("onleesbare glyph")
        return self.x.value, self.y.value, raw.FPDFPathSegment_GetType(segment), int(bool(raw.FPDFPathSegment_GetClose(segment)))

    def _array(self, path, count: int) -> np.ndarray | None:
        size = _POINT.itemsize
        first = raw.FPDFGlyphPath_GetGlyphPathSegment(path, 0)
        second = raw.FPDFGlyphPath_GetGlyphPathSegment(path, 1)
        last = raw.FPDFGlyphPath_GetGlyphPathSegment(path, count - 1)
        start = _address(first)
        if not start or _address(second) - start != size or _address(last) - start != (count - 1) * size:
            return None
        array = np.frombuffer(ctypes.string_at(start, count * size), dtype=_POINT)
        if not self.checked:
            for index, segment in ((0, first), (1, second), (count - 1, last)):
                x, y, kind, close = self._point(segment)
                got = array[index]
                if (got["x"], got["y"], int(got["type"]), int(bool(got["close"]))) != (np.float32(x), np.float32(y), kind, close):
                    return None
            self.checked = True
        return array

    def _points(self, path, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """x, y (float32) and type * 2 + close of each segment."""
        array = self._array(path, count) if count > 1 else None
        if array is not None:
            return array["x"], array["y"], array["type"].astype(np.int32) * 2 + (array["close"] != 0)
        points = [self._point(raw.FPDFGlyphPath_GetGlyphPathSegment(path, index)) for index in range(count)]
        return (
            np.array([p[0] for p in points], dtype=np.float32),
            np.array([p[1] for p in points], dtype=np.float32),
            np.array([p[2] * 2 + p[3] for p in points], dtype=np.int32),
        )

    def outline(self, font, value: int) -> bytes | None:
        """A hash of the glyph outline PDFium draws for a private-use value of the font (None: none)."""
        path = raw.FPDFFont_GetGlyphPath(font, value, 1000.0)
        if not path:
            return None
        count = raw.FPDFGlyphPath_CountGlyphSegments(path)
        if count <= 0:
            return None
        read = min(count, MAX_SEGMENTS)
        self.budget -= read
        if self.budget < 0:
            raise _Unjudgeable("te veel werk")
        xs, ys, kinds = self._points(path, read)
        left, right = float(xs.min()), float(xs.max())
        if not (math.isfinite(left) and math.isfinite(right) and np.isfinite(ys).all()):
            raise _Unjudgeable("onleesbare glyph")
        if count == read and _block(xs, ys, kinds):
            return BLOCK  # a filled box: any two (a box a little different per letter) draw the same
        width = right - left if right - left > 1e-6 else 1.0
        digest = hashlib.blake2b(struct.pack("<q", count), digest_size=16)
        digest.update(np.rint((xs - left) * (256.0 / width)).astype(np.int32).tobytes())
        digest.update(np.rint(ys * 1000.0).astype(np.int32).tobytes())
        digest.update(kinds.astype(np.int32).tobytes())
        return digest.digest()


def _pdfium_outlines(
    fonts: list[tuple[pikepdf.Object, list[tuple[int, int]]]], reader: _Reader
) -> list[list[bytes | None] | None]:
    """Per font, the outline hash of each of its codes (in the order given), None for a font that
    cannot be judged. All fonts go into one small document: one save, one load."""
    if not fonts:
        return []
    pdf = pikepdf.new()
    for font, codes in fonts:
        copy = pdf.copy_foreign(font)
        copy.ToUnicode = pdf.make_stream(_pua_cmap(codes))
        code, size = codes[0]
        content = b"BT /F 12 Tf <" + f"{code:0{2 * size}X}".encode() + b"> Tj ET"  # a text object to get the font from
        page = Dictionary(
            Type=Name.Page,
            MediaBox=Array([0, 0, 100, 100]),
            Resources=Dictionary(Font=Dictionary(F=copy)),
            Contents=pdf.make_stream(content),
        )
        pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)  # the font programs as they are
    result: list[list[bytes | None] | None] = []
    doc = pdfium.PdfDocument(out.getvalue())
    try:
        for index, (_font, codes) in enumerate(fonts):
            try:
                result.append(_font_outlines(doc, index, len(codes), reader))
            except _Unjudgeable:
                result.append(None)
    finally:
        doc.close()
    return result


def _font_outlines(doc: pdfium.PdfDocument, index: int, count: int, reader: _Reader) -> list[bytes | None]:
    page = doc[index]
    try:
        handle = None
        for k in range(raw.FPDFPage_CountObjects(page)):
            obj = raw.FPDFPage_GetObject(page, k)
            if raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_TEXT:
                handle = raw.FPDFTextObj_GetFont(obj)
                break
        if not handle:
            raise _Unjudgeable("lettertype niet te laden")
        # Were the private map not read, every value would give the glyph of code 0: one outline for all
        # letters, refused as a lie when shown. The same for letters drawn as .notdef boxes.
        return [reader.outline(handle, _PUA + n) for n in range(count)]
    finally:
        page.close()


# -- the check ------------------------------------------------------------------------------------------------


def _lies(codes: list[tuple[int, int]], texts: list[str], outlines: list[bytes | None], shown: set[int] | None = None) -> int:
    """The most different letters one outline of the font is given (of the codes ``shown``, default all)."""
    by_outline: dict[bytes, set[str]] = {}
    for (code, _size), text, outline in zip(codes, texts, outlines, strict=True):
        if outline and (shown is None or code in shown):
            by_outline.setdefault(outline, set()).add(letters(text))
    return max((len(v) for v in by_outline.values()), default=0)


def _shown_codes(pdf: pikepdf.Pdf, suspects: dict[tuple, pikepdf.Object]) -> dict[tuple, set[int] | None]:
    """The character codes the pages show with each suspected font (None: not to be told, then every
    code of its map counts). A map may list codes a page never shows (a font subset lacks their glyphs,
    which then all draw the same .notdef box): only what is shown can lie."""
    shown: dict[tuple, set[int] | None] = {k: set() for k in suspects}
    width: dict[tuple, int] = {}
    for k, font in suspects.items():
        if font.get("/Subtype") != Name.Type0:
            width[k] = 1
        elif font.get("/Encoding") in (Name("/Identity-H"), Name("/Identity-V")):
            width[k] = 2
        else:  # a CMap of its own: codes of mixed lengths, not split here
            shown[k] = None

    def unknown() -> None:
        for k in shown:
            shown[k] = None

    def walk(content, resources, depth: int, seen: set, current: tuple | None, mode: int) -> None:
        """``current`` and ``mode``: the font and text render mode in force (a form inherits them)."""
        if depth > MAX_DEPTH:
            return unknown()
        if not isinstance(resources, Dictionary):
            resources = Dictionary()
        fonts = resources.get("/Font") if isinstance(resources.get("/Font"), Dictionary) else Dictionary()
        states = resources.get("/ExtGState")
        if isinstance(states, Dictionary) and any(isinstance(g, Dictionary) and "/Font" in g for _n, g in states.items()):
            return unknown()  # a font set through a graphics state
        xobjects = resources.get("/XObject") if isinstance(resources.get("/XObject"), Dictionary) else Dictionary()
        try:
            operations = pikepdf.parse_content_stream(content)
        except pikepdf.PdfError:
            return unknown()
        saved: list[tuple[tuple | None, int]] = []
        for operation in operations:
            if not isinstance(operation, pikepdf.ContentStreamInstruction):
                continue  # an inline image
            operands, op = operation.operands, str(operation.operator)
            if op == "q":
                saved.append((current, mode))
            elif op == "Q" and saved:
                current, mode = saved.pop()
            elif op == "Tr" and operands and isinstance(operands[0], (int, float, Decimal)):
                mode = int(operands[0])
            elif op == "Tf" and operands and isinstance(operands[0], Name):
                font = fonts.get(operands[0])
                current = _key(font) if isinstance(font, Dictionary) else None
            elif op in ("Tj", "'", '"', "TJ") and current is not None and shown.get(current) is not None and operands:
                if mode in (3, 7):  # invisible (an OCR layer): no glyph is seen, visibility judges it
                    continue
                codes, size = shown[current], width[current]
                last = operands[-1]
                for item in list(last) if isinstance(last, Array) else [last]:
                    if isinstance(item, pikepdf.String) and codes is not None:
                        data = bytes(item)
                        codes.update(int.from_bytes(data[i : i + size], "big") for i in range(0, len(data), size))
            elif op == "Do" and operands and isinstance(operands[0], Name):
                xobject = xobjects.get(operands[0])
                if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == Name.Form:
                    k = _key(xobject)
                    if k not in seen:
                        seen.add(k)
                        walk(xobject, xobject.get("/Resources", resources), depth + 1, seen, current, mode)
                        seen.discard(k)

    for page in pdf.pages:
        walk(page.obj, _page_resources(page), 0, set(), None, 0)
    return shown


def _embedded_simple(font: pikepdf.Object) -> bool:
    """A simple font (Type 1, TrueType) with its own program: without a /ToUnicode map PDFium reads its
    text from the encoding and glyph names, while the program may draw other glyphs under those names."""
    if font.get("/Subtype") not in (Name.Type1, Name.TrueType, Name("/MMType1")):
        return False
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, Dictionary) and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


_GRID = 36.0  # points between the codes shown on a page of their own


def _extracted_texts(fonts: dict[tuple, pikepdf.Object]) -> dict[tuple, dict[tuple[int, int], str] | None]:
    """Per font without a /ToUnicode map, the text PDFium extracts for each one-byte code: every code shown
    once on a page of its own (16 by 16), read back by where PDFium places each character. None: not to be told."""
    pdf = pikepdf.new()
    keys = list(fonts)
    for k in keys:
        copy = pdf.copy_foreign(fonts[k])
        content = b"".join(
            b"BT /F 12 Tf 1 0 0 1 %d %d Tm <%02X> Tj ET\n" % (20 + (c % 16) * _GRID, 20 + (c // 16) * _GRID, c)
            for c in range(256)
        )
        page = Dictionary(
            Type=Name.Page,
            MediaBox=Array([0, 0, 620, 620]),
            Resources=Dictionary(Font=Dictionary(F=copy)),
            Contents=pdf.make_stream(content),
        )
        pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    result: dict[tuple, dict[tuple[int, int], str] | None] = {}
    try:
        doc = pdfium.PdfDocument(out.getvalue())
    except pdfium.PdfiumError:
        return dict.fromkeys(keys)
    try:
        for index, k in enumerate(keys):
            page = doc[index]
            textpage = page.get_textpage()
            try:
                texts: dict[tuple[int, int], str] = {}
                for i in range(textpage.count_chars()):
                    char = chr(raw.FPDFText_GetUnicode(textpage, i))
                    if not char.isalnum():
                        continue
                    left, bottom, right, top = textpage.get_charbox(i)
                    column, row = int(((left + right) / 2 - 20) // _GRID), int(((bottom + top) / 2 - 20 + _GRID / 2) // _GRID)
                    if 0 <= column < 16 and 0 <= row < 16:
                        code = (row * 16 + column, 1)
                        texts[code] = texts.get(code, "") + char
                result[k] = texts
            finally:
                textpage.close()
                page.close()
    finally:
        doc.close()
    return result


def _on_pages(text: str, used: set[str]) -> bool:
    return any(ch in used for ch in text) or any(ch in used for ch in unicodedata.normalize("NFKC", text))


def inspect(data: bytes, page_texts: list[str]) -> list[Hidden]:
    """Pages whose fonts copy as other letters than their glyphs draw (or that cannot be judged), for the
    published copy ``data`` whose page texts are ``page_texts``: one finding per page and cause."""
    used = {ch for text in page_texts for ch in text if ch.isalnum()}
    if not used:
        return []
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            found = _judge(pdf, used)
    except (pikepdf.PdfError, OverflowError, RecursionError, _Unjudgeable):  # refuse rather than guess
        return [Hidden(NIET_TE_BEOORDELEN, 1, (0.0, 0.0, 0.0, 0.0), "")]
    judged = set().union(*(found[kind] for kind in KINDS if kind != NIET_TE_BEOORDELEN))
    found[NIET_TE_BEOORDELEN] -= judged  # a page refused for a lie needs no second finding that it is unclear
    return [Hidden(kind, page, (0.0, 0.0, 0.0, 0.0), "") for kind in KINDS for page in sorted(found[kind])]


def _judge(pdf: pikepdf.Pdf, used: set[str]) -> dict[str, set[int]]:
    """Per kind of finding (``KINDS``), the pages with such a font."""
    fonts, pages, via_type3 = _fonts_of_pages(pdf)
    found: dict[str, set[int]] = {kind: set() for kind in KINDS}
    unjudged = found[NIET_TE_BEOORDELEN]
    queued: list[tuple[tuple, pikepdf.Object, list[tuple[int, int]], list[str]]] = []
    cache: dict[tuple, bytes | None] = {}
    suspects: dict[tuple, tuple[pikepdf.Object, list[tuple[int, int]], list[str], list[bytes | None]]] = {}
    # Round 8: fonts that may lie code by code, with the codes that do (kept only when the pages show them).
    per_code: dict[str, dict[tuple, set[int]]] = {WOORD_OP_EEN_TEKEN: {}, ANDERE_LETTERS: {}, SYMBOOLLETTERTYPE: {}}
    unmapped = {
        k: font for k, font in fonts.items() if not isinstance(font.get("/ToUnicode"), pikepdf.Stream) and _embedded_simple(font)
    }
    extracted = _extracted_texts(unmapped) if unmapped else {}
    for k, font in fonts.items():
        if symbol_font_not_embedded(font):  # each viewer draws it with a font of its own (round 8, a08)
            per_code[SYMBOOLLETTERTYPE][k] = set()  # refused once the pages show any code of it
            continue
        if unknown_font_without_widths(font):  # spaced by a font of each viewer's own (copy.py, round 5 leak cw01)
            unjudged |= pages[k]
            continue
        mapping = font.get("/ToUnicode")
        if not isinstance(mapping, pikepdf.Stream):
            if k not in extracted:
                continue
            if extracted[k] is None:
                unjudged |= pages[k]
                continue
            parsed = extracted[k]  # what PDFium reads for each code, by the font's encoding and glyph names
        else:
            try:
                parsed = parse_tounicode(mapping.read_bytes())
            except (_Unjudgeable, pikepdf.PdfError):
                unjudged |= pages[k]
                continue
        if font.get("/Subtype") == Name.Type3 and not isinstance(font.get("/CharProcs"), Dictionary):
            if any(letters(t) for t in parsed.values()):  # PDFium drops the font and its text, other readers
                unjudged |= pages[k]  # read the map: nothing to compare the copied letters with
            continue
        entries = [(c, t) for c, t in sorted(parsed.items()) if letters(t) and _on_pages(t, used)]
        drawn = drawn_texts(font) if isinstance(mapping, pikepdf.Stream) else {}
        for (code, _size), text in entries:  # a simple font's code <0058> in the map is code 58 to PDFium
            if too_many_letters(text):
                per_code[WOORD_OP_EEN_TEKEN].setdefault(k, set()).add(code)
            elif code in drawn and names_lie(drawn[code], text):
                per_code[ANDERE_LETTERS].setdefault(k, set()).add(code)
        if len({letters(t) for _c, t in entries}) < MIN_LETTERS:
            continue
        if len(entries) > MAX_CODES:
            unjudged |= pages[k]
            continue
        codes, texts = [c for c, _t in entries], [t for _c, t in entries]
        if font.get("/Subtype") == Name.Type3:
            try:
                procedures = [_type3_outline(font, code, cache) for code, _size in codes]
            except _Unjudgeable:
                unjudged |= pages[k]
                continue
            suspects[k] = (font, codes, texts, procedures)
        else:
            queued.append((k, font, codes, texts))
    reader = _Reader()
    try:
        per_font = _pdfium_outlines([(font, codes) for _k, font, codes, _t in queued], reader)
    except (pikepdf.PdfError, pdfium.PdfiumError):
        per_font = [None] * len(queued)
    for (k, font, codes, texts), hashes in zip(queued, per_font, strict=True):
        if hashes is None:
            unjudged |= pages[k]
        else:
            suspects[k] = (font, codes, texts, hashes)
    suspects = {k: v for k, v in suspects.items() if _lies(v[1], v[2], v[3]) >= MIN_LETTERS}
    doubtful = {k: v[0] for k, v in suspects.items()} | {k: fonts[k] for table in per_code.values() for k in table}
    if doubtful:  # rare: then which codes the pages really show decides
        shown = _shown_codes(pdf, doubtful)
        for k, (_font, codes, texts, outlines) in suspects.items():
            seen = None if k in via_type3 else shown[k]  # text inside Type 3 glyphs: every code counts
            if _lies(codes, texts, outlines, seen) >= MIN_LETTERS:
                found[ANDERS_GETEKEND] |= pages[k]
        for kind, table in per_code.items():
            for k, lying_codes in table.items():
                seen = None if k in via_type3 else shown[k]
                if seen is None or (seen & lying_codes if lying_codes else seen):
                    found[kind] |= pages[k]
    return found
