"""Draw simple, real PDFs with reportlab: wrapped text with redaction boxes.

A redaction is written in the text as ``[[5.1.2.e]]``: it becomes an opaque black box with the
ground code printed on it in white, and nothing beneath it (the original words are never written
into the file). Used by the example generator and by the tests.
"""

from __future__ import annotations

import re
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

FONT, BOLD, SIZE, LEADING = "Helvetica", "Helvetica-Bold", 10.5, 15
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 72, 780, 72
TOKEN = re.compile(r"\[\[([^\]]+)\]\]|\S+")


def write_pdf(path: Path, blocks: list[str], title: str | None = None) -> Path:
    """Write ``blocks`` (paragraphs; a block starting with '# ' is a heading) to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=0)
    width = A4[0] - 2 * MARGIN_X
    y = MARGIN_TOP
    if title:
        c.setFont(BOLD, 14)
        c.drawString(MARGIN_X, y, title)
        y -= 2 * LEADING
    for block in blocks:
        heading = block.startswith("# ")
        font = BOLD if heading else FONT
        text = block[2:] if heading else block
        x = MARGIN_X
        for match in TOKEN.finditer(text):
            code = match.group(1)
            word = match.group(0)
            w = (stringWidth(code, FONT, SIZE - 2) + 16) if code else stringWidth(word, font, SIZE)
            if x + w > MARGIN_X + width and x > MARGIN_X:
                x, y = MARGIN_X, y - LEADING
            if y < MARGIN_BOTTOM:
                c.showPage()
                x, y = MARGIN_X, MARGIN_TOP
            if code:
                c.setFillColorRGB(0, 0, 0)
                c.rect(x, y - 3, w, LEADING - 2, stroke=0, fill=1)
                c.setFillColorRGB(1, 1, 1)
                c.setFont(FONT, SIZE - 2)
                c.drawString(x + 8, y, code)
                c.setFillColorRGB(0, 0, 0)
            else:
                c.setFont(font, SIZE)
                c.drawString(x, y, word)
            x += w + stringWidth(" ", font, SIZE)
        y -= LEADING * (2 if heading else 1.6)
    c.showPage()
    c.save()
    return path
