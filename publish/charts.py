"""Bar charts, rendered at build time: no JavaScript, no external library.

Each bar is a row of the page: its label and value are text of the page itself (so they keep the
page's font size, at least 12 px on any screen, and a long refusal ground wraps instead of being cut
off), the bar a small SVG that scales with its container. No inline style (the site's
Content-Security-Policy forbids it): a bar's length is an SVG attribute. The chart is one image for
screen readers with the numbers in its name; the page shows the same numbers in a table beside it.
Colours meet 3:1 contrast against white.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAR = "#154273"
MARK = "#8a2a00"


def bar_chart(
    chart_id: str, title: str, items: list[tuple[str, int]], unit: str = "", marks: Sequence[tuple[float, str]] = ()
) -> Markup:
    """Horizontal bars, one per (label, value); ``marks`` are dashed reference lines (value, label)."""
    peak = max([v for _, v in items] + [m for m, _ in marks] + [1])
    desc = "; ".join(f"{label}: {value}{unit}" for label, value in items)
    lines = "".join(
        f'<line x1="{round(100 * m / peak, 2)}" y1="0" x2="{round(100 * m / peak, 2)}" y2="10" stroke="{MARK}" '
        f'stroke-width="2" stroke-dasharray="3 2" vector-effect="non-scaling-stroke"/>'
        for m, _ in marks
    )
    parts = [f'<div class="woo-bars" id="{chart_id}-grafiek" role="img" aria-label="{escape(title)}: {escape(desc)}">']
    if marks:
        legend = ", ".join(f"{label} ({value:g}{unit})" for value, label in marks)
        parts.append(f'<span class="woo-bars__marks">Stippellijnen: {escape(legend)}</span>')
    for label, value in items:
        w = round(100 * value / peak, 2)
        parts.append(
            f'<span class="woo-bars__label">{escape(label)}</span>'
            f'<span class="woo-bars__bar"><svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" '
            f'focusable="false" xmlns="http://www.w3.org/2000/svg"><rect x="0" y="1" width="{w}" height="8" fill="{BAR}"/>'
            f'{lines}</svg><span class="woo-bars__value">{value}{escape(unit)}</span></span>'
        )
    parts.append("</div>")
    return Markup("".join(parts))
