"""The names of symbol and pictogram fonts: one list for the PDF gate (``gate/copy.py``: a viewer that has such a font
draws pictograms where the gate reads letters) and the inventory reader (``inventory.py``: Excel draws a title in
Wingdings as pictograms, the site publishes its letters)."""

from __future__ import annotations

import re

# Fonts installed on readers' computers (Windows, macOS, Linux, office suites) that draw pictograms, arrows or Greek
# letters for the codes of Latin letters. Matched anywhere in a font name, without regard to case.
SYMBOL_FONT_NAMES = re.compile(
    r"symbol|dingbat|wingding|webding|marlett|mtextra|bookshelf|specialty|outlook|mdl2|fluenticons|emoji|awesome|icons",
    re.IGNORECASE,
)
