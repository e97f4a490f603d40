"""Which characters a reader really sees: judged on the pages as PDFium (Chrome's PDF engine) draws them.

For every page with text, three whole-page renders are compared (grayscale, 72 dpi, cropped to the
area that has text):

- ``full``: the page as a viewer shows it, annotations included;
- ``bare``: the same page without any text (recursively, inside Form XObjects too): every text object
  is set to render mode 3 (invisible, which PDFium does not paint) for this render and then gets its
  own mode back, which draws the same pixels as removing the text objects from a second copy of the
  page without loading and parsing it again (tests/test_gate_speed.py compares the two);
- ``owner``: only the text objects, each painted in its own flat colour without anti-aliasing (render
  modes, clipping and masks kept), so every pixel tells which text object is drawn on top there.

A text object's pixel is *visible ink* when it is that object's own (``owner``) and removing the text
changes it (``full`` differs from ``bare``). A character without visible ink is hidden: covered by any
drawing (box, thick line, curve, shading, image, stencil mask, annotation appearance), painted in the
colour of what is under it, transparent, clipped or masked away, invisible (render mode 3 or 7), too
small, outside the page, or covered by other text drawn later (black symbol-font squares). Nothing has
to be modelled for this: whatever the engine draws is what is judged.

Speed: the three renders cost about as much as drawing the page three times (the second reuses the
loaded page and its decoded images). Characters are examined one by one only on pages where some
text object is not wholly visible; elsewhere a check per text object (a few per line) suffices. Even
then a character's letter and box are read only for the doubtful objects, the rest only when some
character turns out hidden. ``timing.py`` counts the CPU time of each stage.

An object is doubtful when it has an unchanged own pixel away from its own visible ink (a covered
letter, however long the line; see ``_covered_pixels``), when much of its ink stays unchanged, when it
has no ink, when later text inks its area, or when it is too small to read (see MIN_EM_HEIGHT). The
page is rendered with at least EM_PIXELS pixels per em of its smallest readable text, so every letter
of small print has pixels to judge. Pages with Form XObjects nested deeper than MAX_FORM_DEPTH are
not judged but refused, and a character PDFium extracts without a judged text object is refused too.

Text that is invisible by design, the OCR layer of a scan, is judged by what is under it: over visible
print it is fine, over a uniformly dark area (blacked out on paper) it is a leak.
"""

from __future__ import annotations

import ctypes
import functools
import math
import re
import secrets
import time
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as raw

from .timing import add, stage

SCALE = 1.0  # pixels per point: 72 dpi, raised for small print so a letter spans at least ~9 pixels
MAX_SCALE = 3.0
MAX_PIXELS = 12_000_000  # per render: a huge page is judged at a lower resolution, never with gigabytes of memory
LETTER_PIXELS = 9.0
SMEARED_SHARE = 0.75  # share of a stroked letter's cell its own ink may fill before it is a bar, not a letter
PILED_SHARE = 0.4  # letters that take less room than this share of their widths side by side are piled up
SAME_GREY = 40  # grey levels within which a letter drawn over earlier text is the colour of what is around it
CHANGED = 12  # grey levels (about 5%) a pixel must change by to count as drawn by the text
MARGIN = 4.0  # points of page around the text area that are rendered too
MIN_SIZE = 1.0  # characters smaller than this (points) are unreadable
# Text too small to read, judged per text object from its font size and its matrix (Tm, Tz and every cm,
# forms included), as PDFium draws it: the em square of its font must be at least MIN_EM_HEIGHT points
# high (perpendicular to the baseline: a 2-point font; footnotes of 4 to 5 points and superscripts of
# about 5 to 6 points pass with a wide margin) and at least max(MIN_EM_WIDTH, MIN_SQUEEZE x its height)
# wide along the baseline (squeezed with Tz or a narrow cm below that, letters run into one blob;
# condensed type at 50 to 90 % passes). Flattened with cm (a06: 0.0014 pt high) or squeezed with
# ``1 Tz`` (a22: a word 0.8 pt wide) is refused as te_kleine_tekst, visible ink or not.
MIN_EM_HEIGHT, MIN_EM_WIDTH, MIN_SQUEEZE = 2.0, 0.8, 0.15
TYPE3_MOST = 20.0  # a Type 3 font's own scale (FontMatrix and FontBBox) counts up to this factor
EM_PIXELS = 8.0  # pixels per em of the smallest readable text on the page: every letter gets pixels of its own
# Forms nested deeper than this are not judged and refuse the page. Real PDFs nest Form XObjects 1 to 5
# deep (a stamp, a flattened field, a transparency group inside a watermark); PDFium stops reading
# forms at about 40 levels (it then neither draws nor extracts them, other readers still extract the
# text), so a limit well below that leaves no text the gate cannot see.
MAX_FORM_DEPTH = 12
FADED = 26  # fill alpha (of 255) under which text is transparent, hidden whatever its pixels (about 10 %)
# A translucent group (a Form XObject drawn with /ca: CSS ``opacity`` printed by Chrome) under this opacity (of
# 255, about 20 %) hides its text: black text in it has less than a fifth of the contrast of black on white
GROUP_FADED = 51
# Fake bold (see ``_excuse_overdraws``): a later copy of a line within OVERDRAW_SHIFT em of it, whose ink drawn
# alone (OVERDRAW_PIXELS per em, at most OVERDRAW_MAX_PIXELS) differs from the line's by at most OVERDRAW_SAME of
# its ink, is the same line drawn again; at most OVERDRAW_MOST such copies are looked at per page.
OVERDRAW_SHIFT, OVERDRAW_PIXELS, OVERDRAW_MAX_PIXELS, OVERDRAW_SAME, OVERDRAW_MOST = 0.1, 16.0, 4_000_000, 0.25, 200
# Text under translucent later text (see ``_seen_through_text``): at most SEE_THROUGH_RENDERS extra renders and
# SEE_THROUGH_MOST text objects per page; what does not fit stays hidden (refused).
SEE_THROUGH_RENDERS, SEE_THROUGH_MOST = 6, 2000
COVER_OPAQUE = 0.8 * 255  # later text at this opacity or more is a cover, whatever its colour
VISIBLE_SHARE = 0.06  # share of a character box that must be visible ink
SOLID_SHARE = 0.45  # share of a letter's cell that later text must ink to count as a block over it
# A letter under an annotation (a comment, stamp or box the copy drops) with less than this share of its
# ink seen counts as covered, once the annotation lies over ANNOTATION_PART of its box: the reviewer saw
# part of a letter, the public would see all of it. (Highlights are translucent: the ink stays seen;
# strike-out and underline lines hide a small share.)
ANNOTATION_SEEN = 0.6
ANNOTATION_PART = 0.2
UNCHANGED_PIXELS, UNCHANGED_SHARE = 2, 0.03  # own pixels of an object that may stay unchanged (edge effects)
# Besides: an object with any unchanged own pixel none of whose 8 neighbours is its own visible ink (a
# covered letter, not the anti-aliased edge of a visible one) is judged character by character, however
# long the line: the count does not depend on the object's total ink.
LATER_SHARE = 0.25  # ink of later text inside an object's area, relative to its own ink, that needs a closer look
DARK = 70  # grey level under which a pixel counts as dark
PRINT_MIN, PRINT_MAX = 0.02, 0.8  # share of ink pixels that looks like print (a scan with words on it)
INK_CONTRAST = 50  # grey levels darker than the paper around it that count as ink
# On a dark area (under DARK without the text) a pixel the text changes by less than FAINT grey levels is
# faint: under a black cover of 90 % opacity black text changes it by 18 to 25 levels, readable only when the
# image is enhanced. Faint text under a cover drawn after it is hidden (tekst_onder_vlak); faint text with
# nothing over it (black on a dark photo, as in the x-ray set) is seen. White or coloured text on a dark
# banner changes its pixels by 100 or more.
FAINT = 50
# The text layer of a scan is judged by the image under each word (see ``_under_scan``): at least
# SCAN_DARK_SHARE of dark pixels under it is a blacked-out part of the scan, even with a lighter label burnt
# in; one sign repeated (correlation REPEAT_SIMILAR at a shift of one sign, at least REPEAT_MIN_PITCH em) under
# a word of REPEAT_LETTERS or more letters is overtyping (XXXX).
SCAN_DARK_SHARE = 0.5
REPEAT_SIMILAR, REPEAT_MIN_PITCH, REPEAT_LETTERS, REPEAT_SIGNS = 0.85, 0.3, 4, 4
REPEAT_PROFILE = 0.6  # periodic ink per column: worth the full comparison
REPEAT_MAX_PITCH = 1.5  # em: no sign is wider
REPEAT_MOST_PIXELS = 40_000  # a bigger image under a word is compared on a coarser grid
REPEAT_EVEN = 0.15  # ink per column varying less than this share of its mean: one even band
DOTS = 2  # full stops seen inside an OCR word's image: a ground code typed in its place (5.1.2.e)
STROKES = frozenset("fhijlmnrtu1")  # letters drawn as one or two vertical strokes

# Refusal grounds as redaction tools print them: Woo 5.1.1-5.1.5 and 5.2 (5.1.2.e, 5.1.2e, 5.2.1), Wob 10.1,
# 10.2 and 11.1 (10.2.g), one or more. Only these article numbers: a looser pattern (any dotted digit
# groups) excused birth dates (12.03.85), house numbers (12a) and a dotted BSN hidden under a box.
_ONE_GROUND = r"(5\.[12](\.[1-5])?|10\.[12]|11\.[12])(\.?\s?[a-i])?"
GROUND_CODE = re.compile(rf"^(art(ikel)?\.?)?\s*({_ONE_GROUND}\s*(,|;|en|/)?\s*)+$", re.IGNORECASE)
LABELS = {
    "",
    "redacted",
    "redaction",
    "privilege",
    "privileged",
    "gelakt",
    "weggelakt",
    "geanonimiseerd",
    "buiten reikwijdte",
    "niet openbaar",
    "vertrouwelijk",
    "confidential",
}
DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")

# causes, from the most specific to the most general; each is a finding code ``pdf.<cause>``
ONDER_VLAK = "tekst_onder_vlak"
ONDER_TEKST = "tekst_onder_tekst"
KLEUR_VAN_VLAK = "tekst_in_kleur_van_vlak"
WIT_OP_WIT = "witte_tekst"
ONZICHTBAAR = "onzichtbare_tekst"
ONZICHTBAAR_OP_ZWART = "onzichtbare_tekst_op_zwart"
ONZICHTBAAR_ONDER_VLAK = "onzichtbare_tekst_onder_vlak"
OVERGETYPT = "onzichtbare_tekst_op_overgetypte_scan"  # OCR text over XXXX or 5.1.2.e typed over the word in the image
TE_KLEIN = "te_kleine_tekst"
BUITEN_PAGINA = "tekst_buiten_pagina"
VERBORGEN = "onzichtbaar_gemaakte_tekst"  # transparent, clipped away or masked
VERBORGEN_LAAG = "tekst_in_verborgen_laag"
TE_DIEP = "te_diep_geneste_vormen"  # Form XObjects nested deeper than MAX_FORM_DEPTH: not judged, refused
NIET_BEOORDEELD = "niet_te_beoordelen_tekst"  # a character PDFium extracts without a judged text object


@dataclass
class Hidden:
    kind: str
    page: int  # 1-based
    box: tuple[float, float, float, float]  # points, x0 y0 x1 y1
    chars: str

    def position(self) -> str:
        if not self.chars:  # about the page, not a spot on it (forms nested too deeply)
            return f"pagina {self.page}"
        return f"pagina {self.page}, positie ({round(self.box[0])}, {round(self.box[1])})"


@dataclass
class _Char:
    char: str
    box: tuple[float, float, float, float]  # points
    obj: int  # index of its text object in paint order, -1 if unknown
    hidden: str = ""  # cause, empty when visible
    index: int = 0  # in the page text
    pending: bool = False  # letter and box not read yet (see ``_chars``)


def is_ground_code(chars: str) -> bool:
    if len(chars) > 60:  # no code is this long (and the pattern must not run away on long text)
        return False
    return bool(GROUND_CODE.match(chars.strip())) or chars.strip().lower() in LABELS


DATES = re.compile(r"\b\d{1,4}[-/. ]\d{1,2}[-/. ]\d{1,4}\b")


def is_label(chars: str, dates: bool = True) -> bool:
    """What redaction tools print on a box: ground codes, reason words or date stamps (one or more).
    ``dates=False`` for text UNDER a box: a date there (a birth date) is what the box hides, not a stamp;
    stamps are printed on the box in its own colour (seen in the x-ray set)."""
    text = " ".join(chars.split()).strip(" .:;,")
    if is_ground_code(text) or text.lower() in LABELS:
        return True
    if not dates:
        return False
    if DATE.match(text.replace(" ", "")):
        return True
    rest = DATES.sub(" ", text)
    return not any(ch.isalpha() for ch in rest) and not re.search(r"\d{3,}", rest) and len(rest) < len(text)


def mask(text: str) -> str:
    """'Jan Jansen' -> 'J** J***** (10 tekens)': enough to find it, not enough to read it."""
    words = text.split()
    masked = " ".join(w[0] + "*" * (len(w) - 1) for w in words[:6])
    if len(words) > 6:
        masked += " …"
    return f"{masked} ({len(text.replace(' ', ''))} tekens)"


# -- page objects ------------------------------------------------------------------------------------

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _plain(function):
    """The same PDFium function taking and returning handles as plain ints: ctypes makes and checks a
    pointer object for every typed handle, which costs more than many of these calls themselves."""

    def plain(kind):
        return ctypes.c_void_p if isinstance(kind, type) and issubclass(kind, ctypes._Pointer) else kind

    fast = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    fast.argtypes = [plain(kind) for kind in function.argtypes]
    fast.restype = plain(function.restype)
    return fast


_TEXT_OBJECT_AT = _plain(raw.FPDFText_GetTextObject)
_PAGE_OBJECT = _plain(raw.FPDFPage_GetObject)
_FORM_OBJECT = _plain(raw.FPDFFormObj_GetObject)
_FORM_COUNT = _plain(raw.FPDFFormObj_CountObjects)
_PAGE_REMOVE = _plain(raw.FPDFPage_RemoveObject)
_FORM_REMOVE = _plain(raw.FPDFFormObj_RemoveObject)
_TYPE = _plain(raw.FPDFPageObj_GetType)
_DESTROY = _plain(raw.FPDFPageObj_Destroy)
_SET_FILL = _plain(raw.FPDFPageObj_SetFillColor)
_GET_FILL = _plain(raw.FPDFPageObj_GetFillColor)
_SET_STROKE = _plain(raw.FPDFPageObj_SetStrokeColor)
_SET_BLEND = _plain(raw.FPDFPageObj_SetBlendMode)
_GET_MODE = _plain(raw.FPDFTextObj_GetTextRenderMode)
_SET_MODE = _plain(raw.FPDFTextObj_SetTextRenderMode)
_UNICODE = _plain(raw.FPDFText_GetUnicode)
_BOUNDS = _plain(raw.FPDFPageObj_GetBounds)
_CHAR_BOX = _plain(raw.FPDFText_GetCharBox)
_FONT_SIZE = _plain(raw.FPDFTextObj_GetFontSize)
_GET_MATRIX = _plain(raw.FPDFPageObj_GetMatrix)
_TEXT_FONT = _plain(raw.FPDFTextObj_GetFont)
_TEXT_OF = _plain(raw.FPDFTextObj_GetText)


_VOID_AT = ctypes.c_void_p.from_buffer


def _address(obj) -> int | None:
    """A PDFium handle (a ctypes pointer) as a plain int, None for NULL. Read through the pointer's own
    buffer: the same value as ``ctypes.cast(obj, c_void_p).value``, at a twentieth of its cost (it runs
    for every page object)."""
    if isinstance(obj, ctypes._Pointer):
        return _VOID_AT(obj).value
    return ctypes.cast(obj, ctypes.c_void_p).value


def _then(inner: Matrix, outer: Matrix) -> Matrix:
    """Apply ``inner`` first, then ``outer`` (x' = a x + c y + e)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _walk(page, deepest: list[int] | None = None) -> list[tuple[object, int, Matrix]]:
    """All page objects in paint order, Form XObject contents included: (handle, type, matrix to page
    space of the objects's own bounds). A form object comes before its contents.

    Forms are followed ``MAX_FORM_DEPTH`` levels deep; ``deepest`` (when given) gets the deepest level
    met, ``MAX_FORM_DEPTH + 1`` when a form lies deeper (its contents are then not listed)."""
    out: list[tuple[object, int, Matrix]] = []
    most = [0]

    def visit(count, get, to_page, depth):
        most[0] = max(most[0], depth)
        for i in range(count):
            obj = get(i)
            if not obj:
                continue
            kind = _TYPE(obj)  # the plain call: no typed-pointer check for each object
            out.append((obj, kind, to_page))
            if kind == raw.FPDF_PAGEOBJ_FORM and depth >= MAX_FORM_DEPTH:
                most[0] = MAX_FORM_DEPTH + 1
            elif kind == raw.FPDF_PAGEOBJ_FORM:
                m = raw.FS_MATRIX()
                inner = (m.a, m.b, m.c, m.d, m.e, m.f) if raw.FPDFPageObj_GetMatrix(obj, m) else IDENTITY
                visit(
                    raw.FPDFFormObj_CountObjects(obj),
                    lambda j, o=obj: raw.FPDFFormObj_GetObject(o, j),
                    _then(inner, to_page),
                    depth + 1,
                )

    visit(raw.FPDFPage_CountObjects(page), lambda j: raw.FPDFPage_GetObject(page, j), IDENTITY, 0)
    if deepest is not None:
        deepest.append(most[0])
    return out


def _form_depth(page) -> int:
    """How deeply Form XObjects nest on a page (0: no forms), ``MAX_FORM_DEPTH + 1`` when deeper than
    the gate judges. Only forms are entered: cheap on pages that need no other walk (no text)."""
    get_type, form = _TYPE, raw.FPDF_PAGEOBJ_FORM

    def depth_of(count, get, owner, depth) -> int:
        if depth > MAX_FORM_DEPTH:
            return depth
        most = depth
        for i in range(count):
            obj = get(owner, i)
            if obj and get_type(obj) == form:
                most = max(most, depth_of(_FORM_COUNT(obj), _FORM_OBJECT, obj, depth + 1))
                if most > MAX_FORM_DEPTH:
                    break
        return most

    return depth_of(raw.FPDFPage_CountObjects(page.raw), _PAGE_OBJECT, _address(page.raw), 0)


def _strip(page, keep_text: bool, texts: int = 0, base: int = 0, groups: dict[int, float] | None = None) -> int:
    """Remove (and free) the text objects of a loaded page, or all its other drawing (paths, images,
    shadings) inside Form XObjects too. When the text is kept, text object k in paint order is painted
    in the flat colour ``base`` + k + 1 (24-bit RGB) instead of its own, ``texts`` being how many there
    are. Returns how many text objects were seen. ``groups`` (when given) gets, per text object in paint
    order, the opacity of the translucent Form XObjects around it (see ``_unfade_group``), below 1 only."""
    TEXT, FORM = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_FORM
    get_type, destroy, fill, stroke, blend = _TYPE, _DESTROY, _SET_FILL, _SET_STROKE, _SET_BLEND
    seen = 0

    def prune(count, get, remove, owner, depth, opacity=1.0):
        nonlocal seen
        for i in range(count - 1, -1, -1):  # backwards: removing keeps the earlier indexes valid
            obj = get(owner, i)
            if not obj:
                continue
            kind = get_type(obj)
            if kind == FORM:
                inner = _unfade_group(obj, opacity) if keep_text else opacity
                if depth < MAX_FORM_DEPTH:
                    prune(_FORM_COUNT(obj), _FORM_OBJECT, _FORM_REMOVE, obj, depth + 1, inner)
            elif kind == TEXT:
                seen += 1
                if groups is not None and opacity < 1:
                    groups[texts - seen] = opacity
                if not keep_text:
                    if remove(owner, obj):
                        destroy(obj)
                else:
                    code = base + texts - seen + 1
                    r, g, b = (code >> 16) & 255, (code >> 8) & 255, code & 255
                    fill(obj, r, g, b, 255)
                    stroke(obj, r, g, b, 255)
                    blend(obj, b"Normal")
            elif keep_text and remove(owner, obj):
                destroy(obj)

    prune(raw.FPDFPage_CountObjects(page), _PAGE_OBJECT, _PAGE_REMOVE, page, 0)
    return seen


def _unfade_group(form, opacity: float) -> float:
    """A Form XObject drawn with a constant opacity (``/ca`` at its ``Do``: CSS ``opacity`` printed by Chrome)
    blends the owner codes of its text with the paper, so they would belong to nobody (all its text hidden).
    Where the group's opacity, times that of the groups around it, is at least GROUP_FADED, the form is
    drawn opaque in the owner render, and whether its text changes the page is judged on the real renders
    as for any text; a fainter group keeps its text hidden. Returns the opacity its contents get."""
    out = _Out(ctypes.c_uint)
    if not _GET_FILL(form, *out.addresses) or out.values[3].value >= 255:
        return opacity
    opacity *= out.values[3].value / 255
    if opacity * 255 >= GROUP_FADED:
        _SET_FILL(form, 255, 255, 255, 255)
        _SET_STROKE(form, 255, 255, 255, 255)
    return opacity


def _render_without_text(page, text_objects: list, canvas: "_Canvas") -> np.ndarray | None:
    """The page as it is drawn without any text: every text object (inside Form XObjects too) is made
    invisible (render mode 3, which PDFium does not paint) for one render, then given its own mode
    back. The same pixels as removing the text objects from a second copy of the page, without loading
    and parsing the page again. None when a mode cannot be read or set (nothing is then changed)."""
    handles = [_address(obj) for obj in text_objects]
    modes = [_GET_MODE(obj) for obj in handles]
    if any(mode < 0 for mode in modes):
        return None
    invisible, changed = raw.FPDF_TEXTRENDERMODE_INVISIBLE, []
    try:
        for obj in handles:
            if not _SET_MODE(obj, invisible):
                return None
            changed.append(obj)
        return canvas.render(page, grayscale=True, draw_annots=True)
    finally:
        for obj, mode in zip(changed, modes):
            _SET_MODE(obj, mode)


class _Out:
    """Four output numbers for a PDFium call, made once per page rather than per call."""

    def __init__(self, kind=ctypes.c_float):
        self.values = tuple(kind() for _ in range(4))
        self.addresses = tuple(ctypes.addressof(v) for v in self.values)  # for the ``_plain`` functions


def _bounds(obj, to_page: Matrix = IDENTITY, out: _Out | None = None) -> tuple[float, float, float, float] | None:
    out = out or _Out()
    if not _BOUNDS(obj, *out.addresses):
        return None
    lo, b, r, t = out.values
    if to_page == IDENTITY:
        return (lo.value, b.value, r.value, t.value)
    a, b_, c, d, e, f = to_page
    xs, ys = [], []
    for x, y in ((lo.value, b.value), (r.value, b.value), (lo.value, t.value), (r.value, t.value)):
        xs.append(a * x + c * y + e)
        ys.append(b_ * x + d * y + f)
    return (min(xs), min(ys), max(xs), max(ys))


def _fill_grey(obj) -> int | None:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not raw.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return None
    return round(0.299 * r.value + 0.587 * g.value + 0.114 * b.value)


# -- one page ----------------------------------------------------------------------------------------


class _Canvas:
    """Maps points to pixels of the cropped renders."""

    def __init__(self, width: float, height: float, area: tuple[float, float, float, float], scale: float = SCALE):
        self.width, self.height, self.scale = width, height, scale
        x0, y0, x1, y1 = (
            max(area[0] - MARGIN, 0),
            max(area[1] - MARGIN, 0),
            min(area[2] + MARGIN, width),
            min(area[3] + MARGIN, height),
        )
        if x1 - x0 < 1 or y1 - y0 < 1:
            x0, y0, x1, y1 = 0.0, 0.0, width, height
        scale = min(scale, (MAX_PIXELS / max((x1 - x0) * (y1 - y0), 1.0)) ** 0.5)
        self.scale = scale
        self.crop = (x0, y0, width - x1, height - y1)
        self.left = x0
        self.top = y1
        self.dx = np.ceil(x0 * scale)
        self.dy = np.ceil((height - y1) * scale)

    def render(self, page, **kwargs) -> np.ndarray:
        bitmap = page.render(scale=self.scale, crop=self.crop, may_draw_forms=False, **kwargs)
        return bitmap.to_numpy()

    def pixels(self, box, shape) -> tuple[slice, slice] | None:
        """Pixel rows and columns of a box in points (page space, origin bottom-left)."""
        s = self.scale
        x0 = math.floor(box[0] * s - self.dx)  # math, not numpy: the same values, far less overhead per call
        x1 = math.ceil(box[2] * s - self.dx)
        y0 = math.floor((self.height - box[3]) * s - self.dy)
        y1 = math.ceil((self.height - box[1]) * s - self.dy)
        x0, y0 = max(x0, 0), max(y0, 0)
        x1, y1 = min(x1, shape[1]), min(y1, shape[0])
        if x1 <= x0 or y1 <= y0:
            return None
        return slice(y0, y1), slice(x0, x1)


def inspect_page(doc: pdfium.PdfDocument, index: int, objects: list[int] | None = None) -> tuple[str, list[Hidden]]:
    """The text of one page (as PDFium extracts it) and its hidden text, grouped per run of words; ``objects``
    receives its number of page objects (before the checks change any)."""
    start = time.process_time()
    page = doc[index]
    if objects is not None:
        objects.append(raw.FPDFPage_CountObjects(page))
    textpage = page.get_textpage()
    add("pagina laden", time.process_time() - start)
    try:
        return _inspect_page(doc, index, page, textpage)
    finally:
        textpage.close()
        page.close()


def _inspect_page(doc: pdfium.PdfDocument, index: int, page, textpage) -> tuple[str, list[Hidden]]:
    clock = time.process_time()
    raw.FPDFPage_SetRotation(page, 0)
    count = textpage.count_chars()
    text = textpage.get_text_range() if count > 0 else ""
    clock = _lap("tekst", clock)
    too_deep = [Hidden(TE_DIEP, index + 1, (0.0, 0.0, 0.0, 0.0), "")]
    if not text.strip():  # text PDFium does not extract may still lie in forms too deep for it to read
        return _clean(text), too_deep if _form_depth(page) > MAX_FORM_DEPTH else []
    width, height = page.get_width(), page.get_height()
    left, bottom = _origin(page)

    deepest: list[int] = []
    walked = _walk(page, deepest)
    if deepest[0] > MAX_FORM_DEPTH:  # not judged: the page (and so the PDF) is refused
        return _clean(text), too_deep
    text_objects = [o for o, k, _m in walked if k == raw.FPDF_PAGEOBJ_TEXT]
    addresses = [_address(o) for o, _k, _m in walked]  # each handle as a plain int, cast once
    text_addresses = [a for a, (_o, k, _m) in zip(addresses, walked) if k == raw.FPDF_PAGEOBJ_TEXT]
    text_modes = [_GET_MODE(a) for a in text_addresses]  # the same after the render without text (given back)
    floats = _Out()
    bounds = [_bounds(o, m, floats) for o, k, m in walked if k == raw.FPDF_PAGEOBJ_TEXT]
    matrix = raw.FS_MATRIX()
    fonts: dict = {}
    ems = [_em(o, m, floats, matrix, fonts) for o, k, m in walked if k == raw.FPDF_PAGEOBJ_TEXT]
    # drawn text too small to read; invisible text (an OCR layer) is judged by what lies under it
    tiny = {k for k, em in enumerate(ems) if em is not None and _too_small(*em)}
    tiny = {k for k in tiny if text_modes[k] not in (3, 7)}
    area = _union([b for b in bounds if b is not None], left, bottom)
    canvas = _Canvas(width, height, area or (0, 0, width, height), max(_scale(bounds), _em_scale(ems)))
    clock = _lap("objecten", clock)

    full = canvas.render(page, grayscale=True, draw_annots=True)
    clock = _lap("render volledig", clock)
    invisible_only = _invisible_only(text_modes)
    if invisible_only:
        # Only invisible text (the OCR layer of a scan): ``_render_without_text`` would set every text
        # object to the mode it already has, so its render is this one, pixel for pixel (of an image-heavy
        # page: the costliest render). tests/test_gate_speed.py compares the two.
        bare = full
    else:
        bare = _render_without_text(page, text_objects, canvas)
    if bare is None:  # a text object whose mode PDFium cannot tell: the page loaded again, without its text
        bare_page = doc[index]
        raw.FPDFPage_SetRotation(bare_page, 0)
        _strip(bare_page, keep_text=False)
        bare = canvas.render(bare_page, grayscale=True, draw_annots=True)
        bare_page.close()
    clock = _lap("render zonder tekst", clock)
    groups: dict[int, float] = {}  # text objects inside translucent groups: their group opacity
    if invisible_only:
        # Invisible text paints nothing (PDFium returns before drawing a glyph, Type 3 fonts included) and
        # clips nothing, and the owner render draws nothing else: it would be blank. Every character is then
        # judged one by one (none owns a pixel), where the group opacity is never asked (it names a cause only
        # for text with ink of its own). tests/test_gate_speed.py renders the owner map of such pages anyway.
        owner = np.zeros(full.shape, dtype=np.uint32)
    else:
        owner = _owner_map(doc, index, canvas, len(text_objects), groups)
    clock = _lap("render eigenaar", clock)
    difference = np.maximum(full, bare) - np.minimum(full, bare)
    changed = difference > CHANGED
    # text that changes a dark area only faintly may lie under a (half-transparent) black cover: such
    # characters are judged one by one (``_judge``), and are hidden when a later cover lies over them
    faint: np.ndarray | None = changed & (bare < DARK) & (difference < FAINT)
    plain = changed
    if faint is not None and faint.any():
        plain = changed & ~faint
    else:
        faint = None
    owned: list = []  # pixels owned per owner code
    suspicious = _suspicious(owner, changed, bounds, canvas, left, bottom, faint, plain, owned) | tiny
    changed = plain
    # drawn over earlier text: visible ink, but maybe in the colour of a block made of text (t01-t03)
    last = len(bounds) - 1
    over_text = {last - k for k in _overlapped(bounds[::-1])}
    suspicious |= over_text
    # ink that cannot be read: text stroked with a line as thick as its letters (f01), letters piled on one
    # spot by character spacing (f12); both are drawn and extracted, neither can be read
    stroked = {k for k, mode in enumerate(text_modes) if mode in (1, 2, 5, 6)}
    text_index = {a: i for i, a in enumerate(text_addresses)}
    char_objects: list[list[int]] = []  # ``_char_objects``, read once when first needed

    def objects_of_chars() -> list[int]:
        if not char_objects:
            char_objects.append(_char_objects(textpage, count, text_index))
        return char_objects[0]

    piled = _piled_candidates(text_objects, bounds, ems, textpage, objects_of_chars)
    judged = set(suspicious)  # per character by ``_judge``; the stroked and piled ones only for legibility
    suspicious |= stroked | piled
    clock = _lap("pixels", clock)
    if not suspicious:
        return _clean(text), []

    order = {a: i for i, a in enumerate(addresses)}
    suspicious_set = set(suspicious)
    chars = _chars(textpage, count, text_index, left, bottom, suspicious_set, char_objects[0] if char_objects else None)
    modes = {k: text_modes[k] for k in set(suspicious)}
    later_covers = _later_covers(walked, left, bottom)
    annots = _annotation_rects(page, left, bottom)
    facts: dict[int, tuple] = {}
    counts = _Counts(owner, bare)

    # letters of objects that own no pixel anywhere (an OCR layer): judged all at once, ``_judge`` for the rest
    unowned = [
        c
        for c in chars
        if isinstance(c, _Char)
        and c.obj in judged
        and c.obj not in tiny
        and not owned[0][c.obj + 1]
        and not c.pending
        and c.char.isalnum()
    ]
    quick = dict(
        zip(
            (c.index for c in unowned),
            _judge_unowned(
                unowned,
                canvas,
                owner.shape,
                modes,
                width,
                height,
                later_covers,
                annots,
                text_objects,
                order,
                facts,
                groups,
                counts,
            ),
        )
    )
    # only the characters judged now: PDFium's own (spaces, mostly) and those of the doubtful objects
    # (the others are visible and read only when some character turns out hidden, ``_all_chars``)
    present = [c for c in chars if isinstance(c, _Char)]
    _letters(textpage, [c for c in present if c.pending])  # PDFium's own spaces, mostly: their boxes only when needed
    for c in present:
        if c.obj == -1:  # extracted, yet in no text object the gate judged: never let through
            c.hidden = NIET_BEOORDEELD if c.char.isalnum() else ""
            continue
        if c.obj not in suspicious_set or not c.char.isalnum():
            continue
        if c.obj in tiny:
            c.hidden = TE_KLEIN
            continue
        if c.obj not in judged:
            c.hidden = ""
        elif quick.get(c.index) is not None:
            c.hidden = quick[c.index]  # no pixel of its own anywhere (an OCR layer), judged above
        else:
            c.hidden = _judge(
                c,
                canvas,
                full,
                bare,
                owner,
                changed,
                modes.get(c.obj, 0),
                width,
                height,
                later_covers,
                annots,
                text_objects,
                order,
                facts,
                faint,
                groups,
            )
        if c.hidden == ONDER_TEKST and not _solid_cover(c, textpage, canvas, owner, left, bottom):
            if _cover_seen(c, canvas, owner, changed):
                c.hidden = ""  # drawn over by text of the same shape (a bold effect, a doubled layer) that is seen itself
            elif _under_later_cover(c, text_objects, order, later_covers, annots):
                c.hidden = ONDER_VLAK  # its own double (fake bold) and a box over both
        if not c.hidden and c.obj in over_text and _same_as_under(c, textpage, canvas, full, owner, left, bottom):
            c.hidden = KLEUR_VAN_VLAK
        if not c.hidden and c.obj in stroked and _smeared(c, textpage, canvas, owner, changed, left, bottom):
            c.hidden = TE_KLEIN
    by_object: dict[int, list[_Char]] = {k: [] for k in piled}
    for c in present:
        if c.obj in by_object and c.char.isalnum() and not c.hidden:
            by_object[c.obj].append(c)
    for letters in by_object.values():
        if _piled(letters):
            for c in letters:
                c.hidden = TE_KLEIN
    if not any(c.hidden for c in present):
        _lap("tekens", clock)
        return _clean(text), []  # what follows only excuses or groups hidden characters
    chars = _all_chars(chars)
    _complete(textpage, chars, left, bottom)
    _excuse_overdraws(doc, page, chars, text_objects, bounds, ems, owner, changed, canvas)
    _seen_through_text(page, chars, text_objects, bounds, canvas, full, owner, left, bottom, groups)
    _excuse_doubles(chars)
    found = _group(chars, canvas, bare, index + 1)
    _lap("tekens", clock)
    return _clean(text), found


def _invisible_only(modes: list[int]) -> bool:
    """Is every text object of the page invisible (render mode 3: drawn nowhere, clipping nothing)?"""
    return all(mode == raw.FPDF_TEXTRENDERMODE_INVISIBLE for mode in modes)


def _owner_map(doc: pdfium.PdfDocument, index: int, canvas: "_Canvas", texts: int, groups: dict[int, float]) -> np.ndarray:
    """Per pixel, which text object (1-based, in paint order) is drawn on top there, 0 for none: the page
    loaded again with only its text, each text object painted in its own flat colour without anti-aliasing.
    ``groups`` gets the opacity of the translucent groups around text objects (see ``_strip``)."""
    owner_page = doc[index]
    raw.FPDFPage_SetRotation(owner_page, 0)
    # The codes start at a base chosen at random for each page: a Type 3 glyph that paints its own colour
    # (d0) cannot know which colour would pass for another object's code (attack t04). Honest pages get
    # the same verdict whatever the base; a forged colour lands outside the codes and belongs to nobody.
    base = _owner_base(texts)
    same = _strip(owner_page, keep_text=True, texts=texts, base=base, groups=groups) == texts
    bgrx = canvas.render(owner_page, draw_annots=False, no_smoothtext=True, no_smoothpath=True, prefer_bgrx=True)
    owner_page.close()
    owner = np.ascontiguousarray(bgrx).view(np.uint32)[..., 0] & np.uint32(0xFFFFFF)
    owner -= np.uint32(base)  # below the base wraps round to a huge value
    owner *= owner <= texts  # the background, a mask's blend, a forgery: nobody's (0)
    if not same:  # cannot happen (the same page, loaded again); judge every character then
        owner[:] = 0
    return owner


def _owner_base(texts: int) -> int:
    """A random start for the owner codes, clear of black, white and the colours next to them."""
    room = 0xFFFFFF - 0x20000 - texts
    return 0x10000 + (secrets.randbelow(room) if room > 0 else 0)


def _same_as_under(c: "_Char", textpage, canvas: "_Canvas", full, owner, left: float, bottom: float) -> bool:
    """Is this letter, drawn over earlier text, the same grey as what lies around it in its cell (black
    letters on a block made of black symbols, attack t01-t03)? Its own pixels are compared with the
    rest of its loose cell (font height by advance width) in the page as drawn."""
    where = _loose_cell(c, textpage, canvas, owner.shape, left, bottom)
    if where is None:
        return False
    own = owner[where] == c.obj + 1
    if not own.any() or own.all():
        return False
    cell = full[where]
    return abs(float(np.median(cell[own])) - float(np.median(cell[~own]))) < SAME_GREY


def _loose_cell(c: "_Char", textpage, canvas: "_Canvas", shape, left: float, bottom: float):
    """Pixel rows and columns of a letter's loose cell (font height by advance width), None if unknown."""
    rect = raw.FS_RECTF()
    if not raw.FPDFText_GetLooseCharBox(textpage, c.index, rect):
        return None
    box = (
        min(rect.left, rect.right) - left,
        min(rect.top, rect.bottom) - bottom,
        max(rect.left, rect.right) - left,
        max(rect.top, rect.bottom) - bottom,
    )
    return canvas.pixels(box, shape)


def _smeared(c: "_Char", textpage, canvas: "_Canvas", owner, changed, left: float, bottom: float) -> bool:
    """A stroked letter whose own visible ink fills (nearly) its whole cell: a bar, not a letter."""
    where = _loose_cell(c, textpage, canvas, owner.shape, left, bottom)
    if where is None:
        return False
    ink = (owner[where] == c.obj + 1) & changed[where]
    return ink.size >= 4 and np.count_nonzero(ink) / ink.size >= SMEARED_SHARE


MANY_SHORT = 64  # short text objects on a page from which their characters are counted first (``_piled_candidates``)


def _piled_candidates(text_objects: list, bounds, ems, textpage, char_objects=None) -> set[int]:
    """Text objects of four or more characters that take less room along the line than two ems.

    PDFium assembles a text object's text by going through every character of the page
    (``CPDF_TextPage::GetTextByPredicate``): on a page with a text object per letter that is thousands
    times thousands. With more than MANY_SHORT short objects, ``char_objects`` (a callable giving
    ``_char_objects``) tells which have at most one character of the page's text; their text is at most
    three UTF-16 units (one letter, two units beyond the BMP, and the one space added after a run of the
    object's characters; a line break only goes between two of them), so they are no candidates and
    PDFium is not asked: the same set."""
    known = [k for k, (box, em) in enumerate(zip(bounds, ems)) if box is not None and em is not None and em[1] > 0]
    if not known:
        return set()
    boxes = np.array([bounds[k] for k in known], dtype=np.float64)
    room = np.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1])
    short = np.flatnonzero(room < 2 * np.array([ems[k][1] for k in known], dtype=np.float64))
    out, page_text, text_of = set(), _address(textpage.raw), _TEXT_OF
    candidates = short.tolist()
    if char_objects is not None and len(candidates) > MANY_SHORT:
        per_object = Counter(char_objects())
        candidates = [i for i in candidates if per_object.get(known[i], 0) >= 2]
    for i in candidates:
        needed = text_of(text_objects[known[i]], page_text, None, 0)  # bytes of UTF-16 with its 0
        if needed // 2 - 1 >= 4:
            out.add(known[i])
    return out


def _piled(letters: list["_Char"]) -> bool:
    """Four or more letters whose boxes lie (nearly) on top of each other: one blob, not a word."""
    if len(letters) < 4:
        return False
    widths = sum(c.box[2] - c.box[0] for c in letters)
    heights = sum(c.box[3] - c.box[1] for c in letters)
    x0, y0 = min(c.box[0] for c in letters), min(c.box[1] for c in letters)
    x1, y1 = max(c.box[2] for c in letters), max(c.box[3] for c in letters)
    # side by side along a line of any direction, one of the two extents is (about) the sum of the letters
    return x1 - x0 < PILED_SHARE * widths and y1 - y0 < PILED_SHARE * heights


def _lap(name: str, since: float) -> float:
    now = time.process_time()
    add(name, now - since)
    return now


def _em(obj, to_page: Matrix, out: _Out, m, fonts: dict | None = None) -> tuple[float, float] | None:
    """Height (perpendicular to the baseline) and width (along it) in points of the em square of a text
    object's font as drawn: font size, text matrix with ``Tz``, and every ``cm`` (forms included).
    ``fonts`` (one per page) keeps ``_type3_scale`` per font and size: it depends on nothing else."""
    size = out.values[0]
    if not _FONT_SIZE(obj, out.addresses[0]):
        return None
    em = size.value
    if not _GET_MATRIX(obj, ctypes.addressof(m)):
        return None
    if fonts is None:
        em *= _type3_scale(obj, em)
    else:
        key = (_TEXT_FONT(obj), em)
        scale = fonts.get(key)
        if scale is None:
            scale = fonts[key] = _type3_scale(obj, em)
        em *= scale
    # (``_then`` with the identity gives the same numbers but for the sign of a zero, which nothing below sees)
    a, b, c, d = (m.a, m.b, m.c, m.d) if to_page is IDENTITY else _then((m.a, m.b, m.c, m.d, m.e, m.f), to_page)[:4]
    along = math.hypot(a, b)
    finite = math.isfinite
    if not (finite(em) and finite(a) and finite(b) and finite(c) and finite(d)):  # no generator: once per text object
        return (0.0, 0.0)
    if along == 0:
        return (0.0, 0.0)
    return (abs(em) * abs(a * d - b * c) / along, abs(em) * along)


def _type3_scale(obj, size: float) -> float:
    """A Type 3 font (the only kind without a base font name) draws its glyphs through its own FontMatrix:
    ``1 Tf`` with glyphs 8 units high is 8-point text. Its height per point of font size, from its
    FontBBox as PDFium reads it, between 1 and TYPE3_MOST (other fonts: 1)."""
    font = raw.FPDFTextObj_GetFont(obj)
    if not font or size <= 0 or raw.FPDFFont_GetBaseFontName(font, None, 0) > 1:
        return 1.0
    ascent, descent = ctypes.c_float(), ctypes.c_float()
    if not (raw.FPDFFont_GetAscent(font, size, ascent) and raw.FPDFFont_GetDescent(font, size, descent)):
        return 1.0
    scale = (ascent.value - descent.value) / size
    return min(max(scale, 1.0), TYPE3_MOST) if math.isfinite(scale) else 1.0


def _too_small(height: float, width: float) -> bool:
    return height < MIN_EM_HEIGHT or width < max(MIN_EM_WIDTH, MIN_SQUEEZE * height)


def _em_scale(ems) -> float:
    """Pixels per point so that the smallest readable text of the page has EM_PIXELS per em."""
    heights = [em[0] for em in ems if em is not None and not _too_small(*em)]
    if not heights:
        return SCALE
    return float(min(MAX_SCALE, max(SCALE, EM_PIXELS / min(heights))))


def _scale(bounds) -> float:
    """Pixels per point so that the typical letter of the page is drawn in enough pixels to judge."""
    heights = sorted(b[3] - b[1] for b in bounds if b is not None and b[3] - b[1] > 0.5)
    if not heights:
        return SCALE
    typical = heights[len(heights) // 2]
    return float(min(MAX_SCALE, max(SCALE, LETTER_PIXELS / typical)))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _clean(text: str) -> str:
    """Line breaks as \\n; control characters (broken font maps) dropped."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _origin(page) -> tuple[float, float]:
    """Lower-left corner of the displayed page box in PDF space (char boxes are in PDF space)."""
    box = raw.FS_RECTF()
    if raw.FPDF_GetPageBoundingBox(page, box):
        return box.left, box.bottom
    return 0.0, 0.0


def _shift(box, left, bottom):
    return (box[0] - left, box[1] - bottom, box[2] - left, box[3] - bottom)


def _union(boxes, left, bottom):
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes) - left,
        min(b[1] for b in boxes) - bottom,
        max(b[2] for b in boxes) - left,
        max(b[3] for b in boxes) - bottom,
    )


def _suspicious(
    owner: np.ndarray,
    changed: np.ndarray,
    bounds,
    canvas: _Canvas,
    left: float,
    bottom: float,
    faint=None,
    plain=None,
    owned: list | None = None,
) -> set[int]:
    """Text objects that may not be wholly visible; the others need no look at single characters.

    Counted for all objects at once from the owner map: an object is beyond doubt when it owns
    pixels, (nearly) all of them change when text is removed, and no later text inks its area, and
    none of its ``faint`` pixels (see FAINT) lies away from its ``plain`` (clearly changed) ink: the
    anti-aliased edge of white text on a dark banner is faint, a letter under a dark cover is faint all
    over. ``owned`` (when given) gets, per owner code (text object + 1), how many pixels it owns."""
    n = len(bounds)
    flat = np.flatnonzero(owner != 0)  # only pixels some text object paints (a bool mask: numpy finds them faster)
    ids = owner.ravel()[flat].astype(np.intp)
    seen = changed.ravel()[flat]
    n_own = np.bincount(ids, minlength=n + 1)
    if owned is not None:
        owned.append(n_own)
    n_vis = np.bincount(ids[seen], minlength=n + 1)
    unchanged = n_own - n_vis
    doubtful = (n_own[1:] == 0) | (unchanged[1:] > np.maximum(UNCHANGED_PIXELS, UNCHANGED_SHARE * n_own[1:]))
    ys, xs = np.divmod(flat[~seen], owner.shape[1])
    doubtful |= _covered_pixels(owner, changed, ys, xs, ids[~seen], n)[1:] > 0
    if faint is not None and plain is not None:
        dim = faint.ravel()[flat]
        ys, xs = np.divmod(flat[dim], owner.shape[1])
        doubtful |= _covered_pixels(owner, plain, ys, xs, ids[dim], n)[1:] > 0
    suspicious = set(np.flatnonzero(doubtful).tolist())
    suspicious |= {k for k, box in enumerate(bounds) if box is None}
    for k in _overlapped(bounds) - suspicious:
        where = canvas.pixels(_shift(bounds[k], left, bottom), owner.shape)
        if where is None or np.count_nonzero(owner[where] > k + 1) > LATER_SHARE * n_own[k + 1]:
            suspicious.add(k)
    return suspicious


def _covered_pixels(owner: np.ndarray, changed: np.ndarray, ys, xs, ids, n: int) -> np.ndarray:
    """Per object (index = owner code): its unchanged pixels with none of its own visible ink among
    their 8 neighbours. The anti-aliased edge of a visible letter always touches that letter's ink; a
    letter under a box, an image or an annotation does not (only where the box ends mid-letter)."""
    if not len(ys):
        return np.zeros(n + 1, dtype=np.intp)
    rows, columns = owner.shape
    near = np.zeros(len(ys), dtype=bool)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dy or dx:
                y, x = np.clip(ys + dy, 0, rows - 1), np.clip(xs + dx, 0, columns - 1)
                near |= (owner[y, x] == ids) & changed[y, x]
    return np.bincount(ids[~near], minlength=n + 1)


PAIRS_AT_ONCE = 1 << 16


def _overlapped(bounds, tall: float = 48.0, most: int = 1_000_000) -> set[int]:
    """Text objects whose area a later text object overlaps by more than a sliver.

    The same set as ``_overlapped_grid``, counted with numpy: objects sorted by their lower edge, each
    is compared with those whose lower edge lies within ``tall`` points below its own and its top
    (a line of text meets only the lines near it; no deeper than the tallest of them reaches); the few
    taller objects are compared with all.
    Odd bounds (not finite) or very many pairs go to the grid."""
    known = [k for k, box in enumerate(bounds) if box is not None]
    n = len(known)
    if n < 2:
        return set()
    boxes = np.array([bounds[k] for k in known], dtype=np.float64)
    if not np.isfinite(boxes).all():
        return _overlapped_grid(bounds)
    x0, y0, x1, y1 = boxes.T
    area = np.maximum((x1 - x0) * (y1 - y0), 1e-6)
    out = np.zeros(n, dtype=bool)

    def mark(e: np.ndarray, k: np.ndarray) -> None:  # e drawn before k
        w = np.minimum(x1[e], x1[k]) - np.maximum(x0[e], x0[k])
        h = np.minimum(y1[e], y1[k]) - np.maximum(y0[e], y0[k])
        out[e[(w > 0) & (h > 0) & (w * h > 0.1 * area[e])]] = True

    is_tall = (y1 - y0) > tall
    talls = np.flatnonzero(is_tall)
    short = np.flatnonzero(~is_tall)
    order = short[np.argsort(y0[short], kind="stable")]
    lows = y0[order]
    # a short object reaches at most its own height above its lower edge: the window below each lower
    # edge need only be as deep as the tallest short object (plus a hair for rounding), which keeps a
    # dense page (thousands of words, a text object each) far below ``most`` pairs
    reach = min(tall, float((y1[short] - y0[short]).max()) if len(short) else 0.0) + 1e-3
    start = np.searchsorted(lows, lows - reach, side="right")
    stop = np.searchsorted(lows, y1[order], side="left")
    counts = np.maximum(stop - start, 0)
    if int(counts.sum()) + len(talls) * n > most:
        return _overlapped_grid(bounds)
    # the pairs in slices of about PAIRS_AT_ONCE (whole windows): the same marks, a few MB at a time
    ends = np.cumsum(counts)
    row = 0
    while row < len(order):
        last = max(int(np.searchsorted(ends, (ends[row - 1] if row else 0) + PAIRS_AT_ONCE, side="right")), row + 1)
        part = counts[row:last]
        first = np.repeat(np.arange(row, last), part)
        offsets = np.repeat(start[row:last] - np.cumsum(part) + part, part)
        second = np.arange(int(part.sum())) + offsets
        a, b = order[first], order[second]
        later = b > a
        mark(a[later], b[later])
        row = last
    everyone = np.arange(n)
    for t in talls.tolist():
        mark(everyone[:t], np.full(t, t))  # earlier objects under the tall one
        mark(np.full(n - t - 1, t), everyone[t + 1 :])  # the tall one under later objects
    return {known[i] for i in np.flatnonzero(out).tolist()}


def _overlapped_grid(bounds, cell: float = 24.0) -> set[int]:
    """Text objects whose area a later text object overlaps by more than a sliver (found through a
    coarse grid, so each object is compared only with its neighbours)."""
    grid: dict[tuple[int, int], list[int]] = {}
    big: list[int] = []  # objects over a large part of the page: compared with every other one
    out: set[int] = set()
    for k, box in enumerate(bounds):
        if box is None:
            continue
        x0, y0, x1, y1 = box
        columns, rows = int(x1 // cell) - int(x0 // cell) + 1, int(y1 // cell) - int(y0 // cell) + 1
        large = columns * rows > 400
        cells = (
            []
            if large
            else [
                (i, j) for i in range(int(x0 // cell), int(x1 // cell) + 1) for j in range(int(y0 // cell), int(y1 // cell) + 1)
            ]
        )
        candidates = [e for key in cells for e in grid.get(key, ())] + big
        if large:
            candidates += [e for members in grid.values() for e in members]
        checked = set()
        for e in candidates:
            if e in checked or e in out:
                continue
            checked.add(e)
            ex0, ey0, ex1, ey1 = bounds[e]
            w, h = min(x1, ex1) - max(x0, ex0), min(y1, ey1) - max(y0, ey0)
            if w > 0 and h > 0 and w * h > 0.1 * max((ex1 - ex0) * (ey1 - ey0), 1e-6):
                out.add(e)
        if large:
            big.append(k)
        for key in cells:
            grid.setdefault(key, []).append(k)
    return out


def _char_objects(textpage, count: int, text_index: dict) -> list[int]:
    """The text object (index in ``text_index``, -1 for none) of every character of the page."""
    object_at, lookup = _TEXT_OBJECT_AT, text_index.get
    address = _address(textpage.raw)
    return [lookup(object_at(address, i), -1) for i in range(count)]


def _chars(textpage, count: int, text_index: dict, left: float, bottom: float, judged: set[int], objects=None) -> list:
    """Every character of the page by its index: a ``_Char`` with letter and box for those of the
    ``judged`` objects, a pending ``_Char`` (letter and box not read yet) for those of no text object the
    gate knows, and for the rest (characters of objects proven visible) the index of their text object:
    a ``_Char`` costs more to make than reading which object a character belongs to, and most are never
    looked at (``_all_chars`` makes them when some character turns out hidden). ``objects``: the
    ``_char_objects`` of the page when already read."""
    box = _Out(ctypes.c_double)
    address = _address(textpage.raw)
    out: list = list(objects) if objects is not None else _char_objects(textpage, count, text_index)
    for i, obj in enumerate(out):
        if obj == -1:
            out[i] = _Char("", (0, 0, 0, 0), -1, index=i, pending=True)
        elif obj in judged:
            c = out[i] = _Char("", (0, 0, 0, 0), obj, index=i)
            _fill(address, c, left, bottom, box)
    return out


def _all_chars(chars: list) -> list[_Char]:
    """``_chars`` with a pending ``_Char`` for each character it left as the index of its object."""
    return [c if isinstance(c, _Char) else _Char("", (0, 0, 0, 0), c, index=i, pending=True) for i, c in enumerate(chars)]


def _letters(textpage, chars: list[_Char]) -> None:
    """The letters of pending characters (as ``_fill`` reads them); they stay pending, their boxes read by
    ``_complete`` only when some character of the page turns out hidden."""
    textpage, unicode = _address(textpage.raw), _UNICODE
    for c in chars:
        code = unicode(textpage, c.index)
        c.char = chr(code) if 0 < code < 0x110000 else ""


def _complete(textpage, chars: list[_Char], left: float, bottom: float) -> None:
    box = _Out(ctypes.c_double)
    textpage = _address(textpage.raw)
    for c in chars:
        if c.pending:
            _fill(textpage, c, left, bottom, box)


def _fill(textpage, c: _Char, left: float, bottom: float, box: _Out) -> None:
    """The letter and the box of a character; a character without a box belongs to no object."""
    code = _UNICODE(textpage, c.index)
    c.char = chr(code) if 0 < code < 0x110000 else ""
    c.pending = False
    if not _CHAR_BOX(textpage, c.index, *box.addresses):
        c.obj = -1
        return
    lo, r, b, t = (v.value for v in box.values)
    c.box = (lo - left, b - bottom, r - left, t - bottom)


def _later_covers(walked, left, bottom):
    """Non-text objects (paths, images, shadings) with their paint order and bounds."""
    out, floats = [], _Out()
    for i, (obj, kind, to_page) in enumerate(walked):
        if kind in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_SHADING):
            box = _bounds(obj, to_page, floats)
            if box is not None:
                out.append((i, _shift(box, left, bottom), kind))
    return out


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0) * max(h, 0)


def _late_cover(box, position: int, covers) -> bool:
    """Does a cover painted after ``position`` overlap at least half of ``box``? The same as
    ``any(i > position and _overlap(box, b) >= 0.5 * area ...)``, with the overlap written out: this
    runs for every letter of a doubtful object against every cover of the page."""
    x0, y0, x1, y1 = box
    least = 0.5 * max((x1 - x0) * (y1 - y0), 1e-6)
    for i, b, _k in covers:
        if i <= position:
            continue
        w = min(x1, b[2]) - max(x0, b[0])
        if w <= 0:
            continue
        h = min(y1, b[3]) - max(y0, b[1])
        if h > 0 and w * h >= least:
            return True
    return False


def _solid_cover(c: _Char, textpage, canvas: _Canvas, owner, left: float, bottom: float) -> bool:
    """Is the text over this letter a solid block (black squares) rather than letters of the same shape?
    Judged in the letter's full cell (font height by advance width), where a letter's ink is sparse."""
    where = _loose_cell(c, textpage, canvas, owner.shape, left, bottom)
    if where is None:
        return True
    later = owner[where] > c.obj + 1
    return np.count_nonzero(later) / later.size >= SOLID_SHARE


def _cover_seen(c: _Char, canvas: _Canvas, owner, changed) -> bool:
    """Is the later text over a letter seen itself (its pixels there changed by the text)? Fake bold under a
    black box: PDFium leaves the second copy out of its text, so nothing else judges that copy."""
    where = canvas.pixels(c.box, owner.shape)
    if where is None:
        return False
    seen = (owner[where] > c.obj + 1) & changed[where]
    return int(seen.sum()) >= max(1.0, VISIBLE_SHARE * seen.size)


def _under_later_cover(c: _Char, text_objects, order, covers, annots) -> bool:
    """Does a path, image, shading or annotation drawn after the letter's text object cover its box?"""
    position = order.get(_address(text_objects[c.obj]), 0)
    area = max((c.box[2] - c.box[0]) * (c.box[3] - c.box[1]), 1e-6)
    return any(i > position and _overlap(c.box, b) >= 0.5 * area for i, b, _k in covers) or _overlap_any(c.box, annots)


def _facts(k: int, text_objects, order, facts: dict | None, groups) -> tuple:
    """What PDFium says about text object ``k`` (paint position, in a layer, transparent, fill grey), asked
    once per object."""
    known = facts.get(k) if facts is not None else None
    if known is None:
        obj = text_objects[k]
        fade = groups.get(k, 1.0) if groups else 1.0  # a translucent group around it fades it further
        grey = _fill_grey(obj)
        grey = None if grey is None else round(255 - fade * (255 - grey))
        known = (order.get(_address(obj), 0), _in_layer(obj), _transparent(obj, fade), grey)
        if facts is not None:
            facts[k] = known
    return known


class _Counts:
    """Pixel counts inside any box at a constant cost (summed-area tables, each made when first asked):
    pixels some text object owns, and dark pixels of the page without text."""

    def __init__(self, owner: np.ndarray, bare: np.ndarray):
        self.owner, self.bare = owner, bare
        self.tables: dict[str, np.ndarray] = {}

    def table(self, name: str) -> np.ndarray:
        table = self.tables.get(name)
        if table is None:
            mask = self.owner != 0 if name == "inked" else self.bare < DARK
            table = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1), dtype=np.int32)  # at most MAX_PIXELS
            np.cumsum(np.cumsum(mask, axis=0, dtype=np.int32), axis=1, out=table[1:, 1:])
            self.tables[name] = table
        return table

    def count(self, name: str, where: tuple[slice, slice]) -> int:
        rows, columns = where
        at = self.table(name).item  # plain ints: a quarter of the cost of indexing the array
        y0, y1, x0, x1 = rows.start, rows.stop, columns.start, columns.stop
        return at(y1, x1) - at(y0, x1) - at(y1, x0) + at(y0, x0)


def _judge_unowned(
    cs: list[_Char],
    canvas: _Canvas,
    shape,
    modes: dict,
    width,
    height,
    covers,
    annots,
    text_objects,
    order,
    facts,
    groups,
    counts,
) -> list[str | None]:
    """``_judge`` for characters whose text objects own no pixel of the page (text that draws nothing, such as
    the OCR layer of a scan), all at once with numpy, their pixel counts taken from ``counts``: per character the
    same cause, None where ``_judge`` must weigh it (some text owns pixels in its box: later text there) or where
    a box is not finite. With no pixel of its own nothing of a letter is visible or faint, so of ``_judge`` only
    the page edges, the size, the layer, the covers and the darkness under it remain; each is the same
    arithmetic as there (``_Canvas.pixels``, ``_late_cover``), element by element."""
    if not cs:
        return []
    boxes = np.array([c.box for c in cs], dtype=np.float64)
    finite = np.asarray(np.isfinite(boxes).all(axis=1))
    x0, y0, x1, y1 = boxes.T
    w, h = x1 - x0, y1 - y0
    s = canvas.scale
    with np.errstate(invalid="ignore", over="ignore"):
        left = np.maximum(np.floor(x0 * s - canvas.dx), 0)
        right = np.minimum(np.ceil(x1 * s - canvas.dx), shape[1])
        top = np.maximum(np.floor((canvas.height - y1) * s - canvas.dy), 0)
        below = np.minimum(np.ceil((canvas.height - y0) * s - canvas.dy), shape[0])
    outside = (x1 < 0) | (x0 > width) | (y1 < 0) | (y0 > height)
    placed = finite & ~outside & (right > left) & (below > top)
    rows = np.flatnonzero(placed)
    inked = np.zeros(len(cs), dtype=np.int64)
    dark = np.zeros(len(cs), dtype=np.int64)
    if len(rows):
        a, b = top[rows].astype(np.intp), below[rows].astype(np.intp)
        c_, d = left[rows].astype(np.intp), right[rows].astype(np.intp)
        for name, into in (("inked", inked), ("dark", dark)):
            if name == "inked" and not counts.owner.any():
                continue  # no text owns a pixel (a page of invisible text): none in any box
            t = counts.table(name)
            into[rows] = t[b, d] - t[a, d] - t[b, c_] + t[a, c_]
    cells = (below - top) * (right - left)
    known = {k: _facts(k, text_objects, order, facts, groups) for k in {c.obj for c in cs}}  # once per object
    positions = np.array([known[c.obj][0] for c in cs], dtype=np.float64)
    late = _late_covers_of(boxes, positions, covers)
    small = np.maximum(w, h) < MIN_SIZE
    layer = np.array([known[c.obj][1] for c in cs], dtype=bool)
    invisible = np.array([modes.get(c.obj, 0) in (3, 7) for c in cs], dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        darkish = placed & (dark / np.where(placed, cells, 1.0) > 0.85)
    # ``_judge``'s questions in its order, the first that holds decides (0: ask ``_judge``; a box that is not
    # finite goes there as it is, exceptions included)
    verdicts = np.select(
        [~finite, outside, ~placed & (w > 0) & (h > 0), ~placed, small, inked > 0, layer, darkish & late, darkish, invisible],
        [0, 1, 1, 2, 2, 0, 3, 4, 5, 6],
        default=7,
    )
    names = [None, BUITEN_PAGINA, TE_KLEIN, VERBORGEN_LAAG, ONZICHTBAAR_ONDER_VLAK, ONZICHTBAAR_OP_ZWART, ONZICHTBAAR, VERBORGEN]
    out = [names[v] for v in verdicts.tolist()]
    for n in np.flatnonzero(verdicts == 5).tolist():  # on black, no later cover: under an annotation?
        if _overlap_any(cs[n].box, annots):
            out[n] = ONZICHTBAAR_ONDER_VLAK
    return out


def _late_covers_of(boxes: np.ndarray, positions: np.ndarray, covers, most: int = 4_000_000) -> np.ndarray:
    """``_late_cover`` for many boxes at once (the same arithmetic per pair); per box in Python when the pairs
    are very many or a cover's bounds are not finite."""
    if not covers:
        return np.zeros(len(boxes), dtype=bool)
    order = np.array([i for i, _b, _k in covers], dtype=np.float64)
    cover = np.array([b for _i, b, _k in covers], dtype=np.float64)
    if len(boxes) * len(covers) > most or not np.isfinite(cover).all() or not np.isfinite(boxes).all():
        return np.array([_late_cover(tuple(box), position, covers) for box, position in zip(boxes.tolist(), positions.tolist())])
    x0, y0, x1, y1 = (v[:, None] for v in boxes.T)
    least = 0.5 * np.maximum((x1 - x0) * (y1 - y0), 1e-6)
    w = np.minimum(x1, cover[None, :, 2]) - np.maximum(x0, cover[None, :, 0])
    h = np.minimum(y1, cover[None, :, 3]) - np.maximum(y0, cover[None, :, 1])
    return ((order[None, :] > positions[:, None]) & (w > 0) & (h > 0) & (w * h >= least)).any(axis=1)


def _judge(
    c: _Char,
    canvas: _Canvas,
    full,
    bare,
    owner,
    changed,
    mode: int,
    width: float,
    height: float,
    covers,
    annots,
    text_objects,
    order,
    facts: dict | None = None,
    faint=None,
    groups=None,
) -> str:
    """Why a character is not seen ("" when it is). ``changed``: pixels the text changes plainly;
    ``faint`` (or None): pixels it changes only slightly on a dark area (see FAINT)."""
    box = c.box
    w, h = box[2] - box[0], box[3] - box[1]
    if box[2] < 0 or box[0] > width or box[3] < 0 or box[1] > height:
        return BUITEN_PAGINA
    where = canvas.pixels(box, owner.shape)
    if where is None:
        return BUITEN_PAGINA if w > 0 and h > 0 else TE_KLEIN
    # (count_nonzero, not sum or mean: the same counts, without numpy's reduction set-up for each letter)
    own = owner[where] == c.obj + 1
    visible = np.count_nonzero(own & changed[where])
    cells = own.size
    if visible >= max(1.0, VISIBLE_SHARE * cells):
        if max(w, h) < MIN_SIZE:
            return TE_KLEIN
        if annots and visible < ANNOTATION_SEEN * own.sum() and _overlap_any(box, annots, ANNOTATION_PART):
            if _banded(own & ~changed[where], own, bare[where]) >= 1 - ANNOTATION_SEEN:
                return ONDER_VLAK  # an annotation (the copy drops it) hides a band of the letter's ink
        return ""
    if max(w, h) < MIN_SIZE:
        return TE_KLEIN
    later_text = np.count_nonzero(owner[where] > c.obj + 1)
    if later_text >= 0.3 * cells:
        return ONDER_TEKST
    position, in_layer, transparent, grey = _facts(c.obj, text_objects, order, facts, groups)
    if in_layer:
        return VERBORGEN_LAAG
    late = _late_cover(box, position, covers)
    if faint is not None and visible + np.count_nonzero(own & faint[where]) >= max(1.0, VISIBLE_SHARE * cells):
        # drawn faintly on a dark area: under a later (half-transparent) cover it is hidden, else it is
        # how the page was made (dark text on a dark photo) and seen
        return ONDER_VLAK if late or _overlap_any(box, annots) else ""
    if not own.any() or transparent:
        if np.count_nonzero(bare[where] < DARK) / cells > 0.85:
            return ONZICHTBAAR_ONDER_VLAK if late or _overlap_any(box, annots) else ONZICHTBAAR_OP_ZWART
        return ONZICHTBAAR if mode in (3, 7) else VERBORGEN
    if late or _overlap_any(box, annots):
        return ONDER_VLAK
    around = float(full[where].mean())
    if grey is not None and abs(grey - around) < 40:
        return WIT_OP_WIT if around > 230 else KLEUR_VAN_VLAK
    return ONDER_VLAK


def _banded(lost: np.ndarray, own: np.ndarray, under: np.ndarray) -> float:
    """The share of a letter's ink (``own``) in the widest band of rows, or of columns, whose ink is all
    (nine tenths) ``lost`` under one even colour (``under``: the page without text, across the letter's
    box): a box ending mid-letter hides such a band; letters typed over letters hide scattered strokes
    with paper between them."""
    total = int(own.sum())
    if not total:
        return 0.0
    best = 0
    under = under.astype(np.int16)
    for axis in (1, 0):
        inked, gone = own.sum(axis=axis), lost.sum(axis=axis)
        even = (under.max(axis=axis) - under.min(axis=axis)) <= 2 * CHANGED
        run = 0
        for ink, lost_ink, flat in zip(inked.tolist(), gone.tolist(), even.tolist()):
            if ink and flat and lost_ink >= 0.9 * ink:
                run += ink
                best = max(best, run)
            elif ink:
                run = 0
    return best / total


def _overlap_any(box, rects, share: float = 0.5) -> bool:
    area = max((box[2] - box[0]) * (box[3] - box[1]), 1e-6)
    return any(_overlap(box, r) >= share * area for r in rects)


def _transparent(obj, fade: float = 1.0) -> bool:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    return bool(raw.FPDFPageObj_GetFillColor(obj, r, g, b, a)) and a.value * fade < FADED


def _in_layer(obj) -> bool:
    """Marked as optional content (``/OC ... BDC``): hidden by a layer that is off."""
    buffer = (ctypes.c_ushort * 32)()
    length = ctypes.c_ulong()
    for i in range(raw.FPDFPageObj_CountMarks(obj)):
        mark = raw.FPDFPageObj_GetMark(obj, i)
        if mark and raw.FPDFPageObjMark_GetName(mark, buffer, 64, length):
            if bytes(buffer)[: max(length.value - 2, 0)].decode("utf-16-le", "replace") == "OC":
                return True
    return False


def _annotation_rects(page, left, bottom) -> list[tuple[float, float, float, float]]:
    out = []
    for i in range(raw.FPDFPage_GetAnnotCount(page)):
        annot = raw.FPDFPage_GetAnnot(page, i)
        if not annot:
            continue
        rect = raw.FS_RECTF()
        if raw.FPDFAnnot_GetRect(annot, rect):
            out.append(
                (
                    min(rect.left, rect.right) - left,
                    min(rect.bottom, rect.top) - bottom,
                    max(rect.left, rect.right) - left,
                    max(rect.bottom, rect.top) - bottom,
                )
            )
        raw.FPDFPage_CloseAnnot(annot)
    return out


def _group(chars: list[_Char], canvas: _Canvas, bare, page_number: int) -> list[Hidden]:
    """Hidden characters per word; consecutive hidden words with the same cause form one finding."""
    words: list[tuple[str, list[_Char], str]] = []  # (word, chars, cause or "")
    current: list[_Char] = []

    def close():
        if not current:
            return
        word = "".join(c.char for c in current)
        causes = Counter(c.hidden for c in current if c.hidden)
        hidden = sum(causes.values())
        cause = causes.most_common(1)[0][0] if hidden >= min(2, len(current)) else ""
        if cause in (ONZICHTBAAR, VERBORGEN):
            scan = _under_scan(_box_of(current), word, canvas, bare)
            if scan is not None:  # the text layer of a scan: fine ("") where the image shows print
                cause = scan
        words.append((word, list(current), cause))
        current.clear()

    for c in chars:
        if c.char.isalnum():
            current.append(c)
        else:
            close()
    close()

    visible = [c for c in chars if c.char.isalnum() and not c.hidden]
    findings: list[Hidden] = []
    run: list[tuple[str, list[_Char], str]] = []

    def flush():
        if not run:
            return
        cause = run[0][2]
        first, last = run[0][1][0].index, run[-1][1][-1].index
        text = " ".join("".join(c.char for c in chars[first : last + 1]).split())
        box = _box_of([c for _, cs, _ in run for c in cs])
        run.clear()
        # a number alone under a cover (a house number) is no label, however much it looks like a code
        number = cause in (ONDER_VLAK, ONDER_TEKST, ONZICHTBAAR_ONDER_VLAK) and text.replace(" ", "").isdigit()
        # labels are what a tool prints on a box: only text on or under a box can be one (white or
        # invisible text that looks like a ground code is hidden text like any other)
        # (an OCR layer over a scanned box reads the label printed on it: ONZICHTBAAR_OP_ZWART)
        if (
            not number
            and cause in (KLEUR_VAN_VLAK, ONDER_VLAK, ONZICHTBAAR_OP_ZWART)
            and is_label(text, dates=cause == KLEUR_VAN_VLAK)
        ):
            return
        # an invisible page number (render mode 3, seen in the x-ray set's clean files): one short number alone
        if cause == ONZICHTBAAR and text.isdigit() and len(text) <= 3:
            return
        if cause in (ONZICHTBAAR, ONZICHTBAAR_OP_ZWART, VERBORGEN, ONDER_TEKST):
            if _duplicate_of_visible(text, box, visible):
                return
        findings.append(Hidden(cause, page_number, box, text))

    for word in words:
        if word[2] and (not run or run[-1][2] == word[2]):
            run.append(word)
        else:
            flush()
            if word[2]:
                run.append(word)
    flush()
    return findings


def _excuse_doubles(chars: list[_Char]) -> None:
    """A hidden letter with the same letter visible on the same spot is seen by the reader: producers
    draw text twice for a bold effect, or lay an exact text layer over visible text."""
    hidden = [c for c in chars if c.hidden]
    if not hidden:
        return
    cells: dict[tuple[int, int], list[_Char]] = {}
    for c in chars:
        if c.char.isalnum() and not c.hidden:
            cx, cy = (c.box[0] + c.box[2]) / 2, (c.box[1] + c.box[3]) / 2
            cells.setdefault((int(cx // 8), int(cy // 8)), []).append(c)
    if not cells:  # no letter seen on the page (only an OCR layer): nothing to excuse a hidden one
        return
    for c in hidden:
        cx, cy = (c.box[0] + c.box[2]) / 2, (c.box[1] + c.box[3]) / 2
        reach = max(1.0, 0.4 * max(c.box[2] - c.box[0], c.box[3] - c.box[1]))
        letter = c.char.casefold()
        for i in (-1, 0, 1):
            for j in (-1, 0, 1):
                for other in cells.get((int(cx // 8) + i, int(cy // 8) + j), ()):
                    ox, oy = (other.box[0] + other.box[2]) / 2, (other.box[1] + other.box[3]) / 2
                    if other.char.casefold() == letter and abs(ox - cx) <= reach and abs(oy - cy) <= reach:
                        c.hidden = ""


def _excuse_overdraws(doc, page, chars: list[_Char], text_objects, bounds, ems, owner, changed, canvas: _Canvas) -> None:
    """Fake bold: a line drawn again, the same glyphs a fraction of a point further (PDF printers, Word for a
    font without a bold face). PDFium's text page leaves out a text object that repeats the one before it,
    so the letters of the first copy, covered by the later ones, have no visible twin for ``_excuse_doubles``.
    A letter hidden under text (or without ink of its own) is seen when a later text object that PDFium
    left out of its text (``_same_line``: the same font and size, nearly the same place, the same ink)
    shows visible ink of its own on the letter's spot. A different word drawn over a word draws other ink
    and excuses nothing."""
    hidden = [c for c in chars if c.hidden in (VERBORGEN, ONDER_TEKST) and c.obj >= 0]
    if not hidden:
        return
    extracted = {c.obj for c in chars}
    copies = [j for j in range(len(text_objects)) if j not in extracted and bounds[j] is not None]
    if not copies:
        return
    shapes: dict[int, np.ndarray | None] = {}
    twins: dict[int, list[int]] = {}
    for c in hidden:
        k = c.obj
        if k not in twins:
            twins[k] = [
                j for j in copies[:OVERDRAW_MOST] if j > k and _same_line(doc, page, text_objects, bounds, ems, k, j, shapes)
            ]
        where = canvas.pixels(c.box, owner.shape) if twins[k] else None
        if where is None:
            continue
        enough = max(1.0, VISIBLE_SHARE * owner[where].size)
        if any(int(((owner[where] == j + 1) & changed[where]).sum()) >= enough for j in twins[k]):
            c.hidden = ""


def _seen_through_text(
    page, chars: list[_Char], text_objects, bounds, canvas: _Canvas, full, owner, left, bottom, groups
) -> None:
    """Text under translucent later text: a watermark ("CONCEPT", "VERTROUWELIJK") drawn at 10 to 50 %
    opacity over the body. The owner render gives the watermark the pixels it covers, so the letters under
    it own none. Judged as under a translucent path: the page is drawn again without the covered text
    objects (a few renders: objects whose areas do not touch share one), and a letter is seen when removing
    its object changes enough of its pixels plainly, not only faintly on a dark area (FAINT). Counted only
    where the letter's own object is on top, or later text (not removed with it) that its PDF declares
    less than COVER_OPAQUE opaque: PDFium draws small translucent text fainter than declared (a 90 % black
    cover of 16-point squares as about 80 %), other viewers as declared, and a cover of 80 % black or more
    hides text under it (as FAINT judges paths). Filled text only (render mode 0, not transparent)."""
    candidates: dict[int, list[_Char]] = {}
    for c in chars:
        if c.hidden not in (VERBORGEN, ONDER_TEKST) or c.obj < 0:
            continue
        where = canvas.pixels(c.box, owner.shape)
        if where is not None and bool((owner[where] > c.obj + 1).any()):  # later text on it
            candidates.setdefault(c.obj, []).append(c)
    batches: list[tuple[list[int], list[tuple[float, float, float, float]]]] = []
    grow = 2.0 / canvas.scale  # anti-aliasing spills over a letter's box
    for k in sorted(candidates)[:SEE_THROUGH_MOST]:
        obj = text_objects[k]
        if bounds[k] is None or _GET_MODE(_address(obj)) != 0 or _transparent(obj, groups.get(k, 1.0)):
            continue
        x0, y0, x1, y1 = _shift(bounds[k], left, bottom)
        box = (x0 - grow, y0 - grow, x1 + grow, y1 + grow)
        font = raw.FPDFTextObj_GetFont(obj)
        type3 = not font or raw.FPDFFont_GetBaseFontName(font, None, 0) <= 1  # as in ``_type3_scale``
        for members, boxes in batches:
            if not type3 and boxes and not any(_overlap(box, other) > 0 for other in boxes):
                members.append(k)
                boxes.append(box)
                break
        else:
            if len(batches) < SEE_THROUGH_RENDERS:
                # a Type 3 glyph may draw outside its box: such text is judged alone
                batches.append(([k], [] if type3 else [box]))
    opacities: dict = {}
    for members, _boxes in batches:
        without = _render_without_text(page, [text_objects[k] for k in members], canvas)
        if without is None:
            continue
        difference = np.maximum(full, without) - np.minimum(full, without)
        seen = (difference > CHANGED) & ~((without < DARK) & (difference < FAINT))
        removed = {k + 1 for k in members}
        for k in members:
            for c in candidates[k]:
                where = canvas.pixels(c.box, owner.shape)
                if where is None:
                    continue
                on_top = owner[where]
                # the letter's own pixels, or those of later translucent text not removed with it
                through = [j for j in np.unique(on_top).tolist() if j > k + 1 and j not in removed]
                through = [j for j in through if _opacity(text_objects[j - 1], groups.get(j - 1, 1.0), opacities) < COVER_OPAQUE]
                counted = np.isin(on_top, [k + 1, *through]) & seen[where]
                if int(counted.sum()) >= max(1.0, VISIBLE_SHARE * on_top.size):
                    c.hidden = ""


def _opacity(obj, fade: float, known: dict) -> float:
    """A text object's fill opacity (0 to 255) as its PDF declares it, times that of the groups around it."""
    key = _address(obj)
    if key not in known:
        out = _Out(ctypes.c_uint)
        known[key] = out.values[3].value * fade if _GET_FILL(key, *out.addresses) else 255.0
    return known[key]


def _same_line(doc, page, text_objects, bounds, ems, k: int, j: int, shapes: dict) -> bool:
    """Is text object ``j`` (later) the same line as ``k`` drawn again: the same font at the same size,
    filled, its bounds within OVERDRAW_SHIFT em of those of ``k``, and the same ink when each is drawn alone?"""
    a, b, em_k, em_j = bounds[k], bounds[j], ems[k], ems[j]
    if a is None or em_k is None or em_j is None or em_k[0] <= 0:
        return False
    reach = OVERDRAW_SHIFT * em_k[0]
    if any(abs(x - y) > reach for x, y in zip(a, b)) or any(abs(x - y) > 0.01 * max(x, y) for x, y in zip(em_k, em_j)):
        return False
    one, other = text_objects[k], text_objects[j]
    if _address(raw.FPDFTextObj_GetFont(one)) != _address(raw.FPDFTextObj_GetFont(other)):
        return False
    if _GET_MODE(_address(other)) not in (0, 2):
        return False
    scale = OVERDRAW_PIXELS / em_k[0]
    first, second = _ink(doc, page, one, k, scale, a, shapes), _ink(doc, page, other, j, scale, b, shapes)
    if first is None or second is None or abs(first.shape[0] - second.shape[0]) > 1 or abs(first.shape[1] - second.shape[1]) > 1:
        return False
    rows, columns = min(first.shape[0], second.shape[0]), min(first.shape[1], second.shape[1])
    first, second = first[:rows, :columns], second[:rows, :columns]
    ink = max(float(first.mean()), float(second.mean()))
    return ink > 0 and float(np.abs(first - second).mean()) <= OVERDRAW_SAME * ink


def _ink(doc, page, obj, k: int, scale: float, box, shapes: dict) -> np.ndarray | None:
    """The coverage (alpha, 0 to 1) of one text object drawn alone by PDFium, None if too big or not drawn."""
    if k in shapes:
        return shapes[k]
    shapes[k] = None
    if (box[2] - box[0]) * (box[3] - box[1]) * scale * scale > OVERDRAW_MAX_PIXELS:
        return None
    bitmap = raw.FPDFTextObj_GetRenderedBitmap(doc.raw, page.raw, obj, scale)
    if not bitmap:
        return None
    try:
        width, height, stride = (
            raw.FPDFBitmap_GetWidth(bitmap),
            raw.FPDFBitmap_GetHeight(bitmap),
            raw.FPDFBitmap_GetStride(bitmap),
        )
        if raw.FPDFBitmap_GetFormat(bitmap) != raw.FPDFBitmap_BGRA or width <= 0 or height <= 0:
            return None
        buffer = ctypes.cast(raw.FPDFBitmap_GetBuffer(bitmap), ctypes.POINTER(ctypes.c_uint8))
        pixels = np.ctypeslib.as_array(buffer, shape=(height, stride))[:, : width * 4].reshape(height, width, 4)
        shapes[k] = pixels[..., 3].astype(np.float32) / 255
    finally:
        raw.FPDFBitmap_Destroy(bitmap)
    return shapes[k]


def _box_of(chars: list[_Char]) -> tuple[float, float, float, float]:
    return (
        min(c.box[0] for c in chars),
        min(c.box[1] for c in chars),
        max(c.box[2] for c in chars),
        max(c.box[3] for c in chars),
    )


def _duplicate_of_visible(text: str, box, visible: list[_Char]) -> bool:
    """Hidden text that lies exactly on visible text saying the same (a doubled text layer) is no leak."""
    inside = [
        c
        for c in visible
        if box[0] - 1 <= (c.box[0] + c.box[2]) / 2 <= box[2] + 1 and box[1] - 1 <= (c.box[1] + c.box[3]) / 2 <= box[3] + 1
    ]
    if not inside:
        return False
    seen = "".join(c.char for c in sorted(inside, key=lambda c: (-round(c.box[1]), c.box[0]))).casefold()
    wanted = "".join(ch for ch in text if ch.isalnum()).casefold()
    return seen == wanted


def _under_scan(box, word: str, canvas: _Canvas, bare) -> str | None:
    """What an invisible word (the text layer of a scan) lies on, judged on the page drawn without text:
    ``""`` over print (the word is there to see in the image), ONZICHTBAAR_OP_ZWART over a blacked-out
    part (a box, also with a lighter label burnt in), OVERGETYPT over a row of one repeated sign
    (XXXX, ****, ----) or over full stops (a ground code typed in its place), None over anything else
    (no print: the word stays hidden).
    The box is grown a little: OCR boxes do not always sit exactly on the printed word."""
    grow = 0.2 * (box[3] - box[1])
    where = canvas.pixels((box[0] - grow, box[1] - grow, box[2] + grow, box[3] + grow), bare.shape)
    if where is None:
        return None
    under = bare[where]
    if np.count_nonzero(under < DARK) / under.size >= SCAN_DARK_SHARE:
        return ONZICHTBAAR_OP_ZWART
    paper = _percentile_90(under)
    if paper < 100:
        return None  # dark all over: blacked out, not print
    inked = under < paper - INK_CONTRAST
    ink = np.count_nonzero(inked) / inked.size
    if not PRINT_MIN <= ink <= PRINT_MAX:
        return None
    if _overtyped(under, inked, paper, word, (box[3] - box[1]) * canvas.scale) or _dotted(inked):
        return OVERGETYPT
    return ""


def _dotted(inked: np.ndarray) -> bool:
    """Does the image under an OCR word show full stops inside it (a ground code such as 5.1.2.e typed
    in its place)? The OCR word has none: words are judged as runs of letters and digits. A full stop is
    a narrow patch of ink standing alone between blank columns, low on the line; the first and last patch
    are not counted (the stop after a word)."""
    columns: np.ndarray = np.asarray(inked.any(axis=0))
    edges = (columns[1:] != columns[:-1]).nonzero()[0] + 1  # (``np.flatnonzero`` without its wrapper)
    if len(edges) < 6:  # fewer than four patches of ink
        return False
    starts = edges[1::2] if columns[0] else edges[0::2]  # where patches begin, the first one left out
    if len(starts) < 3:
        return False
    ends = edges[2::2] if columns[0] else edges[1::2]
    starts, ends = starts[: len(ends)][:-1], ends[: len(starts)][:-1]  # the last patch left out too
    # the letters' height (``tall`` below) is at most the image's: too few patches narrow even for that, too few
    # for any height (the same answer as below, without measuring the rows)
    if int(((ends - starts) <= max(2, 0.25 * inked.shape[0])).sum()) < DOTS:
        return False
    rows = inked.sum(axis=1)
    top = int(np.argmax(rows > 0))
    base = int((rows >= 0.3 * rows.max()).nonzero()[0][-1])  # below it only descenders
    tall = base - top + 1
    narrow = (ends - starts) <= max(2, 0.25 * tall)
    if tall < 5 or int(narrow.sum()) < DOTS:
        return False
    height = inked.shape[0]
    highest = np.where(columns, np.argmax(inked, axis=0), height)  # per column its highest inked row
    lowest = np.where(columns, height - 1 - np.argmax(inked[::-1], axis=0), -1)
    bounds = np.column_stack((starts, ends)).ravel()  # reduced per patch and per gap after it: patches are the even ones
    highs = np.minimum.reduceat(highest, bounds)[0::2]
    lows = np.maximum.reduceat(lowest, bounds)[0::2]
    seen = narrow & (highs >= base - 0.3 * tall) & (lows <= base + 0.15 * tall)
    return int(seen.sum()) >= DOTS


def _overtyped(under: np.ndarray, inked: np.ndarray, paper: float, word: str, em: float) -> bool:
    """Is the print under an OCR word one sign repeated (XXXXXXX, *****, -----, a row of blocks)
    rather than the word's letters? The image is compared with itself shifted by one, two and three
    signs: where one sign repeats, each shift lines it up with a later copy; real words repeat no letter
    shape that regularly (see ``_may_be_overtyped`` for the words that do). A cheap look at the ink per
    column comes first; only a row that looks periodic there is compared in full."""
    if not _may_be_overtyped(word):
        return False
    profile = inked.sum(axis=0)
    columns = profile.nonzero()[0]  # (``np.flatnonzero`` of a row: the same, without its wrapper)
    if len(columns) < 2:
        return False
    first, last = int(columns[0]), int(columns[-1]) + 1
    width = last - first
    shortest = max(3, round(REPEAT_MIN_PITCH * em))
    longest = int((width - 1) / (REPEAT_SIGNS - 0.2))  # the sign seen (nearly) REPEAT_SIGNS times
    longest = min(longest, max(shortest, round(REPEAT_MAX_PITCH * em)))  # and no wider than a sign is
    if longest < shortest:
        return False
    profile = profile[first:last].astype(np.float64)
    mean = float(profile.sum()) / width  # what ``mean`` computes (the same sum, divided), without its wrapper
    profile = profile - mean
    energy = float(profile @ profile)
    if energy <= (REPEAT_EVEN * mean) ** 2 * width:
        return True  # (nearly) the same ink in every column: one even band (a line or dashes typed over the word)
    lags = np.arange(shortest, longest + 1)
    if width <= 1024:  # all shifts at once
        ring = np.correlate(profile, profile, "full")[width - 1 + lags]
    else:  # a huge word: only the shifts a sign can have (time grows with the width, not its square)
        ring = np.array([float(profile[:-lag] @ profile[lag:]) for lag in lags.tolist()])
    ring = ring / energy * width / (width - lags)
    if ring.max() < REPEAT_PROFILE:
        return False
    guess = float(lags[int(np.argmax(ring))])
    step = max(1, math.ceil(math.sqrt((last - first) * under.shape[0] / REPEAT_MOST_PIXELS)))
    if step > 1:  # a huge word: compared on every step-th pixel, in time that does not grow with its size
        guess /= step
    dark = np.clip(paper - under[::step, first:last:step].astype(np.float32), 0, None)

    def repeats(pitch: float) -> bool:  # ``min(...) >= REPEAT_SIMILAR``, stopping at the first shift below it
        return all(_similarity(dark, k * pitch) >= REPEAT_SIMILAR for k in range(1, REPEAT_SIGNS))

    # ``max(...) >= REPEAT_SIMILAR`` over the pitches near the guess, stopping at the first that repeats
    # (``_similarity`` is finite: the same answer as comparing the largest)
    return any(repeats(guess + step / 8) for step in range(-8, 9))


@functools.lru_cache(maxsize=4096)  # a word of the text layer, asked for every time it occurs
def _may_be_overtyped(word: str) -> bool:
    """Whether a word's own letters would not look like one repeated sign: at least REPEAT_LETTERS
    letters, not mostly one letter (1000000), not a repeated group (10101010, bonbon), not mostly letters
    that are a vertical stroke or two (minimum, immuun: stroke after stroke at an even pitch)."""
    letters = "".join(ch.casefold() for ch in word if ch.isalnum())
    n = len(letters)
    if n < REPEAT_LETTERS or Counter(letters).most_common(1)[0][1] * 2 > n:
        return False
    if any(n % k == 0 and letters == letters[:k] * (n // k) for k in range(1, n // 2 + 1)):
        return False
    return sum(ch in STROKES for ch in letters) * 5 < 3 * n


def _similarity(dark: np.ndarray, lag: float) -> float:
    """Normalised correlation of an image with itself shifted ``lag`` columns (a fraction of a pixel
    too, by linear interpolation: a sign drawn at a pitch of 9.6 pixels lands on the pixels differently
    each time)."""
    whole, part = int(lag), lag - int(lag)
    size = dark.shape[1] - whole - 1
    if whole < 1 or size < 1:
        return 0.0
    a = dark[:, :size]
    b = (1 - part) * dark[:, whole : whole + size] + part * dark[:, whole + 1 : whole + 1 + size]
    a, b = a - a.mean(), b - b.mean()
    norm = float(np.sqrt((a * a).sum() * (b * b).sum()))
    if norm == 0:
        return 1.0  # both flat: one even band (a ruled line typed over the word)
    return float((a * b).sum()) / norm


def _percentile_90(values: np.ndarray) -> float:
    """``np.percentile(values, 90)``, the same value, several times faster when the two values it
    interpolates between are equal (as on paper, where most pixels are the same white)."""
    flat = values.ravel()
    below = int((flat.size - 1) * 0.9)
    around = sorted({max(below - 1, 0), below, min(below + 1, flat.size - 1), min(below + 2, flat.size - 1)})
    near = np.partition(flat, around)[around]  # a neighbour more on each side: numpy's rounding of the position
    if (near == near[0]).all():
        return float(near[0])
    return float(np.percentile(values, 90))


def inspect_document(data: bytes, judge=None, objects: list[int] | None = None) -> tuple[list[str], list[Hidden]]:
    """Text per page and the hidden text of a PDF (the bytes of the copy that will be published).
    ``judge``: the 0-based pages to judge for hidden text (default all); text comes from every page.
    ``objects`` receives the number of page objects of each page (``page_reading``)."""
    doc = pdfium.PdfDocument(data)
    try:
        texts, hidden = [], []
        for index in range(len(doc)):
            if judge is None or index in judge:
                text, found = inspect_page(doc, index, objects)
                hidden += found
            else:
                text = page_text(doc, index, objects)
            texts.append(text)
        return texts, hidden
    finally:
        doc.close()


def page_readings(data: bytes) -> list[tuple[str, int]]:
    """How PDFium reads each page of ``data``: its text (as ``inspect_document`` gives it) and its number of page
    objects. ``core._same_pages`` compares the original's with the copy's."""
    doc = pdfium.PdfDocument(data)
    try:
        objects: list[int] = []
        texts = [page_text(doc, index, objects) for index in range(len(doc))]
        return list(zip(texts, objects))
    finally:
        doc.close()


def page_text(doc: pdfium.PdfDocument, index: int, objects: list[int] | None = None) -> str:
    with stage("tekst"):
        return _page_text(doc, index, objects)


def _page_text(doc: pdfium.PdfDocument, index: int, objects: list[int] | None = None) -> str:
    page = doc[index]
    if objects is not None:
        objects.append(raw.FPDFPage_CountObjects(page))
    textpage = page.get_textpage()
    text = textpage.get_text_range() if textpage.count_chars() > 0 else ""
    textpage.close()
    page.close()
    return _clean(text)
