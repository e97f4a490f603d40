"""Static SVG bar charts, rendered at build time: no JavaScript, no external library.

Each chart has a title and description for screen readers; the page shows the same numbers in a
table beside it. Colours meet 3:1 contrast against white.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAR = "#154273"
MARK = "#8a2a00"


def bar_chart(chart_id: str, title: str, items: list[tuple[str, int]], unit: str = "",
              marks: Sequence[tuple[float, str]] = ()) -> Markup:
    """Horizontal bars, one per (label, value); ``marks`` are vertical reference lines (value, label)."""
    label_w, bar_w, row_h = 230, 360, 26
    top = 10 + (18 if marks else 0)
    height = top + row_h * max(1, len(items)) + 10
    peak = max([v for _, v in items] + [m for m, _ in marks] + [1])
    parts = [f'<svg class="woo-chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
             f'viewBox="0 0 {label_w + bar_w + 60} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-t">{escape(title)}</title>',
             f'<desc id="{chart_id}-d">{escape("; ".join(f"{name}: {v}{unit}" for name, v in items))}</desc>']
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        w = round(bar_w * value / peak, 1)
        parts.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="#1a1a1a">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 8}" fill="{BAR}"/>')
        parts.append(f'<text x="{label_w + w + 6}" y="{y + 17}" font-size="13" fill="#1a1a1a">{value}{escape(unit)}</text>')
    for mark, label in marks:
        x = label_w + round(bar_w * mark / peak, 1)
        parts.append(f'<line x1="{x}" y1="{top - 4}" x2="{x}" y2="{height - 6}" stroke="{MARK}" stroke-width="2" stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{x + 3}" y="{top - 8}" font-size="12" fill="{MARK}">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
