"""Find text that a reader cannot see but a copy-paste can: the leaks of a failed redaction.

Works on the scene of ``scene.py``. Each rule yields findings grouped per covering area, with a
masked excerpt: the gate never repeats what it found in full.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .scene import Glyph, Paint, Rect, Scene, area, intersect

GROUND_CODE = re.compile(r"^(art(ikel)?\.?)?\s*(\d{1,2}(\.\d{1,2}){0,2}(\.?[a-i])?\s*(,|;|en)?\s*)+$", re.IGNORECASE)
COVERED_SHARE = 0.7  # share of a glyph's core a later opaque area must cover
DARK = 0.12  # mean luminance (0..1) under which an image area counts as blacked out


@dataclass
class Finding:
    kind: str  # machine code
    page: int  # 1-based
    box: Rect
    chars: str

    def position(self) -> str:
        return f"pagina {self.page}, positie ({round(self.box[0])}, {round(self.box[1])})"


def mask(text: str) -> str:
    """'Jan Jansen' -> 'J** J***** (10 tekens)': enough to find it, not enough to read it."""
    words = text.split()
    masked = " ".join(w[0] + "*" * (len(w) - 1) for w in words[:6])
    if len(words) > 6:
        masked += " …"
    return f"{masked} ({len(text.replace(' ', ''))} tekens)"


def _meaningful(chars: str) -> bool:
    return any(c.isalnum() for c in chars)


LABELS = {"", "redacted", "redaction", "privilege", "privileged", "gelakt", "weggelakt", "geanonimiseerd",
          "buiten reikwijdte", "niet openbaar", "vertrouwelijk", "confidential"}
DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")


def _is_ground_code(chars: str) -> bool:
    return bool(GROUND_CODE.match(chars.strip())) or chars.strip().lower() in LABELS


def _is_label(chars: str) -> bool:
    """What redaction tools print on a box: a ground code, a reason word or a date stamp."""
    text = " ".join(chars.split()).strip(" .:;,")
    return _is_ground_code(text) or text.lower() in LABELS or bool(DATE.match(text.replace(" ", "")))


def _covers(paint: Paint, glyph: Glyph) -> bool:
    inter = intersect(glyph.box, paint.box)
    g = area(glyph.box)
    if g <= 0:
        cx, cy = (glyph.box[0] + glyph.box[2]) / 2, (glyph.box[1] + glyph.box[3]) / 2
        return paint.box[0] <= cx <= paint.box[2] and paint.box[1] <= cy <= paint.box[3]
    return area(inter) >= COVERED_SHARE * g


class _Grid:
    """Paints indexed by coarse cells, so each glyph is compared only with paints near it."""

    def __init__(self, paints: list[Paint], cell: float = 50.0):
        self.cell = cell
        self.cells: dict[tuple[int, int], list[Paint]] = defaultdict(list)
        for p in paints:
            for cx in range(int(p.box[0] // cell), int(p.box[2] // cell) + 1):
                for cy in range(int(p.box[1] // cell), int(p.box[3] // cell) + 1):
                    if len(self.cells) > 200_000:
                        break
                    self.cells[(cx, cy)].append(p)

    def near(self, glyph: Glyph) -> list[Paint]:
        cx = int(((glyph.box[0] + glyph.box[2]) / 2) // self.cell)
        cy = int(((glyph.box[1] + glyph.box[3]) / 2) // self.cell)
        return self.cells.get((cx, cy), [])


def _darkness(sample, paint: Paint, box: Rect) -> float:
    """Mean luminance around a glyph: a margin, so a glyph's own ink in a scan is not 'black'."""
    w, h = box[2] - box[0], box[3] - box[1]
    grown = (box[0] - 0.2 * w, box[1] - 0.4 * h, box[2] + 0.2 * w, box[3] + 0.4 * h)
    value = sample(paint, grown)
    return 1.0 if value is None else value


def _luminance(color) -> float | None:
    if color is None:
        return None
    r, g, b = color
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _similar(a, b) -> bool:
    return a is not None and b is not None and all(abs(x - y) < 0.08 for x, y in zip(a, b))


def analyse(scene: Scene, page_number: int, image_darkness=None) -> list[Finding]:
    """All leak findings of one page. ``image_darkness(paint, box)`` gives 0..1 luminance or None."""
    grid = _Grid(scene.paints)
    groups: dict[tuple[str, int], list[Glyph]] = defaultdict(list)
    boxes: dict[tuple[str, int], Rect] = {}
    page = scene.page_box
    for glyph in scene.glyphs:
        near = grid.near(glyph)
        if glyph.mode in (3, 7):
            for paint in near:
                if not _covers(paint, glyph):
                    continue
                if paint.kind == "vlak":
                    key = ("onzichtbare_tekst_onder_vlak", id(paint))
                elif image_darkness is not None and _darkness(image_darkness, paint, glyph.box) < DARK:
                    key = ("onzichtbare_tekst_op_zwart", id(paint))
                else:
                    continue
                groups[key].append(glyph)
                boxes[key] = paint.box
                break
            continue
        covering = [p for p in near if p.order > glyph.order and _covers(p, glyph)]
        if covering:
            key = ("tekst_onder_vlak", id(covering[0]))
            groups[key].append(glyph)
            boxes[key] = covering[0].box
            continue
        if glyph.size < 1.0:
            key = ("te_kleine_tekst", 0)
            groups[key].append(glyph)
            boxes.setdefault(key, glyph.box)
            continue
        if intersect(glyph.box, page) is None:
            key = ("tekst_buiten_pagina", 0)
            groups[key].append(glyph)
            boxes.setdefault(key, glyph.box)
            continue
        beneath = [p for p in near if p.order < glyph.order and _covers(p, glyph)]
        under = max(beneath, key=lambda p: p.order) if beneath else None
        if (under is not None and under.kind == "vlak" and _similar(under.color, glyph.color)
                and (_luminance(under.color) or 0) < 0.9):
            key = ("tekst_in_kleur_van_vlak", id(under))
            groups[key].append(glyph)
            boxes[key] = under.box
        elif under is None and (_luminance(glyph.color) or 0) > 0.97:
            key = ("witte_tekst", 0)
            groups[key].append(glyph)
            boxes.setdefault(key, glyph.box)
    findings = []
    for (kind, _), glyphs in groups.items():
        chars = _join(glyphs)
        if not _meaningful(chars) or _is_ground_code(chars):
            continue
        if kind == "tekst_in_kleur_van_vlak" and _is_label(chars):
            continue
        findings.append(Finding(kind, page_number, boxes[(kind, _)], chars))
    return sorted(findings, key=lambda f: (f.page, -f.box[1], f.box[0], f.kind))


def _join(glyphs: list[Glyph]) -> str:
    """Glyphs in reading order with spaces where there is a gap, for the masked excerpt."""
    out, last = [], None
    for g in sorted(glyphs, key=lambda g: (-round(g.box[1]), g.box[0])):
        if last is not None and (g.box[0] - last.box[2] > 0.3 * max(g.size, 1) or abs(g.box[1] - last.box[1]) > 2):
            out.append(" ")
        out.append(g.char)
        last = g
    return "".join(out).strip()
