"""Interpret PDF content streams into a 'scene': every glyph and every opaque area, in paint order.

This is what the redaction gate reasons about. It follows the graphics state (q/Q, cm, colours,
fill alpha, clipping), the text state (Tf, Tm, Td, Tc, Tw, Tz, Ts, Tr, TJ), Form XObjects (with
their own matrix, resources and bounding box), image XObjects and inline images. Positions are in
default user space (points), so a glyph inside a Form XObject lands where a viewer draws it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from pypdf.generic import ContentStream, DictionaryObject, IndirectObject, NameObject
from pypdf.generic._font import Font

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1
MAX_FORM_DEPTH = 12


def mul(m: Matrix, n: Matrix) -> Matrix:
    """m × n (PDF row-vector convention: apply m first, then n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def as_matrix(values) -> Matrix:
    """Six numbers from a PDF array or operator operands; ValueError for any other count (a damaged file)."""
    a, b, c, d, e, f = (_num(v) for v in values)
    return (a, b, c, d, e, f)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def bbox_of(points) -> Rect:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def intersect(r: Rect, s: Rect | None) -> Rect | None:
    if s is None:
        return r
    x0, y0, x1, y1 = max(r[0], s[0]), max(r[1], s[1]), min(r[2], s[2]), min(r[3], s[3])
    if x0 >= x1 or y0 >= y1:
        return None
    return (x0, y0, x1, y1)


def area(r: Rect | None) -> float:
    return 0.0 if r is None else max(0.0, r[2] - r[0]) * max(0.0, r[3] - r[1])


@dataclass
class Glyph:
    char: str
    box: Rect  # core of the glyph (baseline to about x-height+): what a cover must hide
    order: int
    size: float  # rendered height in points
    mode: int  # text render mode
    color: tuple[float, float, float] | None  # colour it is painted with; None: pattern or unknown


@dataclass
class Paint:
    """An area painted opaquely: a filled rectangle, an image or an inline image."""

    box: Rect
    order: int
    kind: str  # "vlak" (filled shape) or "afbeelding" (image)
    color: tuple[float, float, float] | None
    image: object | None = None  # the image XObject, for sampling dark areas
    matrix: Matrix | None = None


@dataclass
class Scene:
    page_box: Rect
    glyphs: list[Glyph] = field(default_factory=list)
    paints: list[Paint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # content that could not be interpreted


@dataclass
class _GState:
    ctm: Matrix = IDENTITY
    fill: tuple[float, float, float] | None = (0.0, 0.0, 0.0)
    stroke: tuple[float, float, float] | None = (0.0, 0.0, 0.0)
    fill_alpha: float = 1.0
    clip: Rect | None = None
    font: Font | None = None
    font_dict: DictionaryObject | None = None
    size: float = 0.0
    char_space: float = 0.0
    word_space: float = 0.0
    h_scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    mode: int = 0
    fill_space: str = "/DeviceGray"

    def copy(self) -> "_GState":
        return _GState(**self.__dict__)


def _num(x) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return 0.0


def _rgb_from(operands, space: str | None = None) -> tuple[float, float, float] | None:
    values = [_num(v) for v in operands if not isinstance(v, NameObject)]
    if any(isinstance(v, NameObject) for v in operands) and not values:
        return None  # pattern
    if len(values) == 1:
        return (values[0],) * 3
    if len(values) == 3:
        return (values[0], values[1], values[2])
    if len(values) == 4:
        c, m, y, k = values
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


class Interpreter:
    def __init__(self, page):
        self.page = page
        box = page.cropbox if "/CropBox" in page else page.mediabox
        self.scene = Scene((float(box.left), float(box.bottom), float(box.right), float(box.top)))
        self.order = 0
        self.fonts: dict[int, Font] = {}

    # -- entry -------------------------------------------------------------------------------
    def run(self) -> Scene:
        raw = self.page.get("/Contents")
        # Already parsed for text extraction (pdfs._parsed_once): use it instead of parsing again.
        contents = raw if isinstance(raw, ContentStream) else self.page.get_contents()
        if contents is None:
            return self.scene
        resources = _resolve(self.page.get("/Resources")) or DictionaryObject()
        self._stream(contents, resources, _GState(), depth=0)
        self._annotations(resources)
        return self.scene

    def _annotations(self, resources) -> None:
        """Annotation appearances are drawn over the page: a box or note can hide text too."""
        for ref in _resolve(self.page.get("/Annots")) or []:
            annot = _resolve(ref)
            if not isinstance(annot, DictionaryObject) or annot.get("/Subtype") in ("/Link", "/Popup"):
                continue
            if int(_num(annot.get("/F", 0))) & 2:  # hidden
                continue
            try:
                x0, y0, x1, y1 = (_num(v) for v in annot["/Rect"])  # type: ignore[attr-defined]  # pypdf: PdfObject
            except (KeyError, TypeError, ValueError):
                continue
            rect = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            appearance = _resolve(_resolve(annot.get("/AP", {})).get("/N")) if "/AP" in annot else None
            if isinstance(appearance, DictionaryObject) and "/BBox" not in appearance:
                state = annot.get("/AS")
                appearance = _resolve(appearance.get(state)) if state is not None else None
            if appearance is not None and "/BBox" in appearance:
                bx0, by0, bx1, by1 = (_num(v) for v in appearance["/BBox"])
                matrix = as_matrix(appearance.get("/Matrix", IDENTITY))
                corners = [apply(matrix, x, y) for x, y in ((bx0, by0), (bx1, by0), (bx0, by1), (bx1, by1))]
                tb = bbox_of(corners)
                sx = (rect[2] - rect[0]) / (tb[2] - tb[0]) if tb[2] > tb[0] else 1.0
                sy = (rect[3] - rect[1]) / (tb[3] - tb[1]) if tb[3] > tb[1] else 1.0
                fit = (sx, 0.0, 0.0, sy, rect[0] - tb[0] * sx, rect[1] - tb[1] * sy)
                gs = _GState(ctm=mul(matrix, fit))
                gs.clip = rect
                inner_resources = _resolve(appearance.get("/Resources")) or resources
                self._stream(appearance, inner_resources, gs, depth=1)
            elif annot.get("/Subtype") == "/Square" and "/IC" in annot:
                self.scene.paints.append(Paint(rect, self._tick(), "vlak", _rgb_from(list(annot["/IC"]))))  # type: ignore[call-overload]

    def _tick(self) -> int:
        self.order += 1
        return self.order

    def _font(self, font_dict) -> Font | None:
        key = id(font_dict)
        if key not in self.fonts:
            try:
                self.fonts[key] = Font.from_font_resource(font_dict)
            except Exception:  # noqa: BLE001 - an odd font must not stop the check
                self.fonts[key] = None
        return self.fonts[key]

    # -- the operator loop -------------------------------------------------------------------
    def _stream(self, contents, resources, gs: _GState, depth: int) -> None:
        try:
            stream = contents if isinstance(contents, ContentStream) else ContentStream(contents, self.page.pdf)
            operations = stream.operations
        except Exception as exc:  # noqa: BLE001
            self.scene.problems.append(f"inhoud niet te lezen ({type(exc).__name__})")
            return
        stack: list[_GState] = []
        path: list[tuple[float, float]] = []
        subpaths: list[list[tuple[float, float]]] = []
        rect_path = True
        pending_clip = False
        tm: Matrix = IDENTITY
        tlm: Matrix = IDENTITY
        for operands, op in operations:
            try:
                if op == b"q":
                    stack.append(gs.copy())
                elif op == b"Q":
                    if stack:
                        gs = stack.pop()
                elif op == b"cm":
                    gs.ctm = mul(as_matrix(operands[:6]), gs.ctm)
                # colours
                elif op in (b"g", b"rg", b"k"):
                    gs.fill = _rgb_from(operands)
                elif op in (b"G", b"RG", b"K"):
                    gs.stroke = _rgb_from(operands)
                elif op == b"cs":
                    gs.fill_space = str(operands[0]) if operands else "/DeviceGray"
                    gs.fill = None if gs.fill_space == "/Pattern" else (0.0, 0.0, 0.0)
                elif op in (b"sc", b"scn"):
                    gs.fill = _rgb_from(operands)
                elif op in (b"SC", b"SCN"):
                    gs.stroke = _rgb_from(operands)
                elif op == b"gs":
                    ext = _resolve(_resolve(resources.get("/ExtGState", {})).get(operands[0])) if operands else None
                    if ext is not None and "/ca" in ext:
                        gs.fill_alpha = _num(ext["/ca"])
                # paths
                elif op == b"re":
                    x, y, w, h = (_num(v) for v in operands[:4])
                    subpaths.append([(x, y), (x + w, y), (x + w, y + h), (x, y + h)])
                elif op == b"m":
                    path = [(_num(operands[0]), _num(operands[1]))]
                    subpaths.append(path)
                elif op == b"l":
                    if not subpaths:
                        path = []
                        subpaths.append(path)
                    subpaths[-1].append((_num(operands[0]), _num(operands[1])))
                elif op in (b"c", b"v", b"y"):
                    rect_path = False
                    pts = [(_num(operands[i]), _num(operands[i + 1])) for i in range(0, len(operands) - 1, 2)]
                    if subpaths:
                        subpaths[-1].extend(pts)
                elif op == b"h":
                    pass
                elif op in (b"W", b"W*"):
                    pending_clip = True
                elif op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s", b"n"):
                    fills = op not in (b"S", b"s", b"n")
                    if fills and gs.fill_alpha >= 0.99 and rect_path:
                        even_odd = op in (b"f*", b"B*", b"b*")
                        for rect in self._filled_rects(subpaths, gs.ctm, even_odd):
                            visible = intersect(rect, gs.clip)
                            if visible is not None:
                                self.scene.paints.append(Paint(visible, self._tick(), "vlak", gs.fill))
                    if pending_clip and subpaths:
                        points = [apply(gs.ctm, x, y) for sub in subpaths for (x, y) in sub]
                        if points:
                            gs.clip = intersect(bbox_of(points), gs.clip) or (0.0, 0.0, 0.0, 0.0)
                    subpaths, path, rect_path, pending_clip = [], [], True, False
                # text
                elif op == b"BT":
                    tm = tlm = IDENTITY
                elif op == b"ET":
                    pass
                elif op == b"Tf":
                    fonts = _resolve(resources.get("/Font")) or {}
                    font_dict = _resolve(fonts.get(operands[0])) if operands else None
                    gs.font_dict = font_dict
                    gs.font = self._font(font_dict) if font_dict is not None else None
                    gs.size = _num(operands[1]) if len(operands) > 1 else 0.0
                elif op == b"Tc":
                    gs.char_space = _num(operands[0])
                elif op == b"Tw":
                    gs.word_space = _num(operands[0])
                elif op == b"Tz":
                    gs.h_scale = _num(operands[0]) / 100.0
                elif op == b"TL":
                    gs.leading = _num(operands[0])
                elif op == b"Ts":
                    gs.rise = _num(operands[0])
                elif op == b"Tr":
                    gs.mode = int(_num(operands[0]))
                elif op == b"Td":
                    tlm = mul((1, 0, 0, 1, _num(operands[0]), _num(operands[1])), tlm)
                    tm = tlm
                elif op == b"TD":
                    gs.leading = -_num(operands[1])
                    tlm = mul((1, 0, 0, 1, _num(operands[0]), _num(operands[1])), tlm)
                    tm = tlm
                elif op == b"Tm":
                    tlm = tm = as_matrix(operands[:6])
                elif op == b"T*":
                    tlm = mul((1, 0, 0, 1, 0, -gs.leading), tlm)
                    tm = tlm
                elif op in (b"Tj", b"'", b'"', b"TJ"):
                    if op in (b"'", b'"'):
                        if op == b'"':
                            gs.word_space, gs.char_space = _num(operands[0]), _num(operands[1])
                            operands = operands[2:]
                        tlm = mul((1, 0, 0, 1, 0, -gs.leading), tlm)
                        tm = tlm
                    items = operands[0] if op == b"TJ" and operands else operands[:1]
                    for item in items:
                        if isinstance(item, (int, float)) or hasattr(item, "as_numeric"):
                            shift = -_num(item) / 1000.0 * gs.size * gs.h_scale
                            tm = mul((1, 0, 0, 1, shift, 0), tm)
                        else:
                            tm = self._show(item, gs, tm)
                # external objects
                elif op == b"Do":
                    self._do(operands[0], resources, gs, depth)
                elif op == b"INLINE IMAGE":
                    box = bbox_of([apply(gs.ctm, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))])
                    visible = intersect(box, gs.clip)
                    if visible is not None:
                        self.scene.paints.append(Paint(visible, self._tick(), "afbeelding", None))
            except (IndexError, TypeError, ValueError, KeyError, AttributeError, ZeroDivisionError):
                continue

    @classmethod
    def _filled_rects(cls, subpaths, ctm: Matrix, even_odd: bool) -> list[Rect]:
        """Rectangles a fill really covers. A rectangle inside another one of the same path is a
        hole (even-odd rule, or the non-zero rule with opposite winding): that frame covers
        nothing inside, so neither counts."""
        rects = []
        for sub in subpaths:
            rect = cls._axis_rect(sub, ctm)
            if rect is not None:
                rects.append((rect, _winding([apply(ctm, x, y) for x, y in sub])))
        covered = []
        for i, (rect, winding) in enumerate(rects):
            outer_of = [j for j, (other, _) in enumerate(rects) if j != i and _inside(other, rect)]
            inner_of = [j for j, (other, _) in enumerate(rects) if j != i and _inside(rect, other)]
            hollow = False
            for j in outer_of:
                if even_odd or rects[j][1] != winding:
                    hollow = True
            if hollow:
                continue
            if inner_of and not any(even_odd or rects[j][1] != winding for j in inner_of):
                continue  # a filled rectangle inside a filled one adds nothing
            if inner_of:
                continue  # the inner one of a frame: a hole
            covered.append(rect)
        return covered

    @staticmethod
    def _axis_rect(points, ctm: Matrix) -> Rect | None:
        """The device-space box of a sub-path that is (nearly) an axis-aligned rectangle, else None.

        Producers draw boxes as ``re``, as four or five lines, or as polygons with cut corners;
        every point must lie near a corner of the bounding box.
        """
        pts = [apply(ctm, x, y) for x, y in points]
        if len(pts) < 4:
            return None
        box = bbox_of(pts)
        if area(box) <= 0:
            return None
        tol = max(1.0, 0.02 * min(box[2] - box[0], box[3] - box[1]))
        for x, y in pts:
            near_x = abs(x - box[0]) <= tol or abs(x - box[2]) <= tol
            near_y = abs(y - box[1]) <= tol or abs(y - box[3]) <= tol
            if not (near_x and near_y):
                return None
        return box

    def _do(self, name, resources, gs: _GState, depth: int) -> None:
        xobjects = _resolve(resources.get("/XObject")) or {}
        xobj = _resolve(xobjects.get(name))
        if xobj is None:
            return
        subtype = xobj.get("/Subtype")
        if subtype == "/Form":
            if depth >= MAX_FORM_DEPTH:
                self.scene.problems.append("te diep geneste Form XObjects")
                return
            inner = gs.copy()
            matrix = as_matrix(xobj.get("/Matrix", IDENTITY))
            inner.ctm = mul(matrix, gs.ctm)
            if "/BBox" in xobj:
                x0, y0, x1, y1 = (_num(v) for v in xobj["/BBox"])
                corners = [apply(inner.ctm, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
                inner.clip = intersect(bbox_of(corners), gs.clip) or (0.0, 0.0, 0.0, 0.0)
            form_resources = _resolve(xobj.get("/Resources")) or resources
            self._stream(xobj, form_resources, inner, depth + 1)
        elif subtype == "/Image":
            box = bbox_of([apply(gs.ctm, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))])
            visible = intersect(box, gs.clip)
            if visible is None:
                return
            masked = bool(xobj.get("/ImageMask")) or "/SMask" in xobj or "/Mask" in xobj
            if masked:
                return  # stencils and soft masks paint only part of their box
            self.scene.paints.append(Paint(visible, self._tick(), "afbeelding", None, xobj, gs.ctm))

    def _show(self, string, gs: _GState, tm: Matrix) -> Matrix:
        font = gs.font
        data = string if isinstance(string, bytes) else str(string).encode("latin-1", "replace")
        if hasattr(string, "original_bytes"):
            data = string.original_bytes
        if font is None:
            codes = [(chr(b), chr(b), b == 32) for b in data]
            widths = {}
            default = 500.0
        elif isinstance(font.encoding, str):
            try:
                raw = data.decode(font.encoding, "surrogatepass")
            except (UnicodeDecodeError, LookupError):
                raw = data.decode("latin-1")
            codes = [(c, font.character_map.get(c, c), False) for c in raw]
            widths = font.character_widths
            default = font.character_widths.get("default", 500)
        else:
            codes = []
            for b in data:
                text_char = font.encoding.get(b, chr(b))
                codes.append((chr(b), font.character_map.get(text_char, text_char), b == 32))
            widths = font.character_widths
            default = font.character_widths.get("default", 500)
        fill = gs.fill if gs.mode in (0, 2, 4, 6) else gs.stroke
        for raw_char, char, is_space in codes:
            w = widths.get(raw_char, default) / 1000.0
            trm = mul((gs.size * gs.h_scale, 0, 0, gs.size, 0, gs.rise), mul(tm, gs.ctm))
            corners = [apply(trm, x, y) for x, y in ((0.05 * w, 0.05), (0.95 * w, 0.05), (0.05 * w, 0.55), (0.95 * w, 0.55))]
            height = math.hypot(trm[2], trm[3])
            if char and not char.isspace():
                self.scene.glyphs.append(Glyph(char, bbox_of(corners), self._tick(), height, gs.mode, fill))
            advance = (w * gs.size + gs.char_space + (gs.word_space if is_space else 0.0)) * gs.h_scale
            tm = mul((1, 0, 0, 1, advance, 0), tm)
        return tm


def _winding(points) -> int:
    total = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        total += x0 * y1 - x1 * y0
    return 1 if total >= 0 else -1


def _inside(inner: Rect, outer: Rect) -> bool:
    return (outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]
            and inner != outer)


def interpret(page) -> Scene:
    return Interpreter(page).run()
