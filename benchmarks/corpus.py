"""Synthetic but realistic corpora: multi-page redacted PDFs and decision packages of real size.

Used by the benchmarks only. Text is Dutch-like prose drawn from a word list; every page has
redaction boxes with ground codes on them, as the lakprogramma's of government bodies produce.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from pdfdraw import write_pdf

WORDS = (
    "besluit verzoek openbaarmaking document informatie minister gemeente overleg verslag notitie "
    "beleid advies vergadering afspraak datalek beveiliging procedure ministerie directie afdeling "
    "organisatie regeling aanvraag bezwaar termijn planning begroting project evaluatie onderzoek "
    "rapport bijlage agenda actiepunt besluitvorming uitvoering toezicht inspectie privacy berichten "
    "communicatie wettelijk kader belang afweging persoonlijke levenssfeer functioneren staat "
    "overheid burger bedrijf contract subsidie opdracht levering financiën jaarverslag raad college"
).split()
GROUNDS = ["5.1.2.e", "5.1.2.i", "5.2.1", "5.1.2.d"]


def paragraph(rng: random.Random, words: int) -> str:
    out = []
    for _ in range(words):
        if rng.random() < 0.04:
            out.append(f"[[{rng.choice(GROUNDS)}]]")
        else:
            out.append(rng.choice(WORDS))
    return " ".join(out).capitalize() + "."


def document_blocks(rng: random.Random, pages: int) -> list[str]:
    blocks = []
    for _ in range(pages):
        blocks.append("# " + " ".join(rng.choice(WORDS) for _ in range(4)).capitalize())
        blocks += [paragraph(rng, rng.randint(60, 110)) for _ in range(6)]
    return blocks


def write_document(path: Path, rng: random.Random, pages: int) -> Path:
    return write_pdf(path, document_blocks(rng, pages))
