"""Inventory cells the approver could not see in Excel are never published (attack round 4, leak 8).

An .xlsx can hold text that Excel shows as an empty cell: a number format of ``;;;``, a white font, a
font in the colour of the fill, a hidden or zero-height row, a hidden column. The approver signs what
Excel shows, so such a cell in a column the site publishes refuses the package with the cell named.
Clean counterparts: the same styles without a value, a hidden column the site does not read, and
ordinary colours and formats.
"""

from __future__ import annotations

import pytest
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.colors import Color

from support import INVENTORY_HEADER, xlsx_inventory_package

HEADER = INVENTORY_HEADER
SECRET = "notulist J. Pietersen"


def _package(make_package, change):
    return xlsx_inventory_package(make_package, change)


def _title(ws, **style):
    ws["B3"] = f"E-mail over planning ({SECRET})"
    for key, value in style.items():
        setattr(ws["B3"], key, value)


def _hidden_row(ws):
    ws["B3"] = f"E-mail over planning ({SECRET})"
    ws.row_dimensions[3].hidden = True


def _low_row(ws):
    ws["B3"] = f"E-mail over planning ({SECRET})"
    ws.row_dimensions[3].height = 0.5  # openpyxl leaves out a height of 0


def _hidden_column(ws):
    ws["B3"] = f"E-mail over planning ({SECRET})"
    ws.column_dimensions["B"].hidden = True


HIDING = {
    "notatie ;;;": lambda ws: _title(ws, number_format=";;;"),
    "notatie ;;;@ met lege tekstsectie": lambda ws: _title(ws, number_format='0;-0;0;""'),
    "witte letters": lambda ws: _title(ws, font=Font(color="FFFFFF")),
    "themakleur achtergrond": lambda ws: _title(ws, font=Font(color=Color(theme=0))),
    "letters in de kleur van de vulling": lambda ws: _title(
        ws, font=Font(color="FFC000"), fill=PatternFill("solid", fgColor="FFC000")
    ),
    "bijna wit": lambda ws: _title(ws, font=Font(color="F4F4F4")),
    "piepkleine letters": lambda ws: _title(ws, font=Font(sz=1)),
    "verborgen rij": _hidden_row,
    "rij van hoogte 0": _low_row,
    "verborgen kolom": _hidden_column,
}


@pytest.mark.parametrize("how", list(HIDING))
def test_a_cell_excel_does_not_show_refuses_the_package(make_package, how):
    _, errors = _package(make_package, HIDING[how])
    hits = [p for p in errors if p.code == "inventaris.verborgen_cel"]
    assert hits, [(p.code, p.message) for p in errors]
    assert len(hits) == 1, [p.location for p in hits]  # one finding per cell, hidden row or hidden column
    assert "rij 3" in hits[0].location or "rij 2-4" in hits[0].location, hits[0].location
    assert "'Document'" in hits[0].location, hits[0].location
    assert "niet te zien" in hits[0].message and "opnieuw goedkeuren" in hits[0].fix
    assert SECRET not in hits[0].message  # the message names the cell, never repeats its content
    # The fix names what to do for this way of hiding (new-user round 10: hidden rows got the generic text).
    fixes = {
        "verborgen rij": "rechtermuisknop op de rijnummers en kies 'Zichtbaar maken'",
        "verborgen kolom": "rechtermuisknop op de kolomletters en kies 'Zichtbaar maken'",
        "rij van hoogte 0": "Geef de rij een normale hoogte",
    }
    if how in fixes:
        assert fixes[how] in hits[0].fix, hits[0].fix


def _empty_hidden_things(ws):
    ws.row_dimensions[5].hidden = True  # no values there
    ws["B6"].number_format = ";;;"  # styled, but empty
    ws["B6"].font = Font(color="FFFFFF")


def _hidden_unpublished_column(ws):
    ws.column_dimensions["G"].hidden = True  # "Intern kenmerk": an unknown column, never published


def _readable_colours(ws):
    _title(ws, font=Font(color="C00000", bold=True), fill=PatternFill("solid", fgColor="FFFF00"))
    ws["B2"].font = Font(color=Color(theme=1))
    ws["B4"].font = Font(color="808080")
    ws["A2"].number_format = "0.00"
    ws["C2"].number_format = "d mmmm yyyy"
    ws["A3"].number_format = '0;-0;"nul"'


SEEN = {
    "lege verborgen cellen": _empty_hidden_things,
    "verborgen kolom die niet gepubliceerd wordt": _hidden_unpublished_column,
    "leesbare kleuren en notaties": _readable_colours,
}


@pytest.mark.parametrize("how", list(SEEN))
def test_what_excel_shows_is_accepted(make_package, how):
    decision, errors = _package(make_package, SEEN[how])
    assert errors == [], [(p.code, p.location, p.message) for p in errors]
    assert [r.nr for r in decision.inventory] == ["1", "2", "3"]


def test_many_hidden_cells_are_reported_together_and_capped(make_package):
    def hide_many(ws):
        for row in range(5, 60):
            ws.append([row, f"Stuk {row} ({SECRET})", None, "Niet openbaar", "5.1.2.e", None])
            ws[f"B{row}"].number_format = ";;;"

    _, errors = _package(make_package, hide_many)
    hits = [p for p in errors if p.code == "inventaris.verborgen_cel"]
    assert len(hits) == 21 and "nog 35 cellen" in hits[-1].message and "rij 5, " in hits[0].location
