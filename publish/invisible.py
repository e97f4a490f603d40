"""Characters that draw nothing: the one definition of what no published text may hold.

A character is *invisible* when a reader of the site, the open data or a PDF does not see it while copying,
searching, screen readers and machines do read it, so it can carry text the approver never saw ("ASCII
smuggling": Unicode TAG characters U+E0020-E007E spell any ASCII text and every browser draws nothing), or change
what the visible text says (a bidi override U+202E shows "titel\\u202eFDP.exe" as "titelexe.PDF"):

- general category Cc (control characters), except the white space a text may hold: tab, line feed, carriage
  return;
- Cf (format characters: bidi marks, embeddings, overrides and isolates, zero-width space and joiners, word joiner,
  soft hyphen, byte-order mark, the TAG block U+E0000-E007F, ...);
- Co (private use: a font's own codes, no meaning outside it), Cn (unassigned in this Python's Unicode version,
  including the non-characters U+FFFE/U+FFFF) and Cs (lone surrogates);
- Zl and Zp (Unicode's line and paragraph separators U+2028/U+2029: a line break no editor shows as one);
- Unicode's Default_Ignorable_Code_Point set, which adds characters of other categories that draw nothing:
  variation selectors (U+FE00-FE0F, U+E0100-E01EF; "emoji smuggling" hides bytes in them), the Mongolian free
  variation selectors, the combining grapheme joiner, Hangul fillers.

Legitimate uses considered and refused anyway (a DPO prefers a refusal with a clear message to a silent guess):
the soft hyphen U+00AD (Word's optional hyphen, copied along from Word) and the zero-width joiner and variation
selector inside emoji (an emoji in a Woo title is rare; the message names the character and says to remove it).

Used by ``package._Loader.unseen`` for every text a package publishes (fields, list items, annex titles, inventory
cells, the summary) and by the PDF gate for the page text it extracts (``gate/core.py``; there the fonts' own
codes, private use and C1 controls, which a drawn glyph without Unicode meaning gives, are left to the
visibility check, as is the soft hyphen, see ``pdf_invisible``). ``gate/personal_data.py`` removes the same Default_Ignorable set
before matching. Checking a text costs one regex scan when it is ASCII, one category look-up per non-ASCII
character otherwise.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt) as a regex character class.
DEFAULT_IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
ACCEPTED_WHITESPACE = "\t\n\r"
_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})
_IGNORABLE = re.compile(f"[{DEFAULT_IGNORABLE}]")
_ASCII_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CANDIDATE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\U0010ffff]")  # ASCII controls and everything beyond ASCII
_KNOWN: dict[str, bool] = {}  # verdicts per character seen (a text has few different characters beyond ASCII)


@functools.lru_cache(maxsize=4096)
def is_invisible(char: str) -> bool:
    """Whether one character draws nothing (see the module's docstring)."""
    if char in ACCEPTED_WHITESPACE:
        return False
    return unicodedata.category(char) in _CATEGORIES or _IGNORABLE.match(char) is not None


def invisible(text: str, limit: int = 1000) -> list[tuple[int, str]]:
    """The invisible characters of ``text`` as (position, character), in order; at most ``limit``."""
    if text.isascii():
        return [(m.start(), m.group()) for m in _ASCII_CONTROL.finditer(text)][:limit] if _ASCII_CONTROL.search(text) else []
    found = []
    for m in _CANDIDATE.finditer(text):
        char = m.group()
        verdict = _KNOWN.get(char)
        if verdict is None:
            verdict = is_invisible(char)
            if len(_KNOWN) < 65_536:  # a hostile text of many different characters does not grow it without end
                _KNOWN[char] = verdict
        if verdict:
            found.append((m.start(), char))
            if len(found) >= limit:
                break
    return found


def pdf_invisible(text: str, limit: int = 1000) -> list[tuple[int, str]]:
    """``invisible`` for the text PDFium extracts from a page, without what a drawn glyph legitimately gives: a code
    of a font without Unicode meaning (private use, C1 control, unassigned: a symbol font's check box gives U+0084)
    and a soft hyphen at the end of a line (the hyphen Word draws where it broke a word). Those are drawn, and the
    visibility check judges drawn text; a format character, tag or variation selector is never drawn."""
    found = []
    for position, char in invisible(text, limit=10 * limit):
        if char == "\u00ad":  # the hyphen glyph Word draws where it may break a word copies as U+00AD
            continue
        if unicodedata.category(char) in ("Co", "Cn") or "\x80" <= char <= "\x9f":
            continue
        found.append((position, char))
        if len(found) >= limit:
            break
    return found


def describe(char: str) -> str:
    """An invisible character as staff can look it up: 'U+202E (leesrichting omkeren)', 'U+E004A (tagteken)'."""
    code = ord(char)
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069" or char in "\u061c\u200e\u200f":
        what = "leesrichting omkeren" if char in "\u202d\u202e" else "leesrichtingsteken"
    elif char in "\u2028\u2029":
        what = "regel- of alinea-einde"
    elif char == "\ufeff":
        what = "byte-order mark"
    elif char == "\u00ad":
        what = "zacht afbreekstreepje"
    elif char == "\u200b":
        what = "spatie zonder breedte"
    elif char in "\u200c\u200d":
        what = "verbindingsteken zonder breedte, ook onderdeel van samengestelde emoji"
    elif char == "\u2060":
        what = "woordverbinder zonder breedte"
    elif 0xE0000 <= code <= 0xE007F:
        what = "tagteken: een onzichtbare letter"
    elif 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or 0x180B <= code <= 0x180F:
        what = "variatiekiezer, bijvoorbeeld achter een emoji"
    elif unicodedata.category(char) == "Co":
        what = "teken voor eigen gebruik, zonder vaste betekenis"
    elif unicodedata.category(char) == "Cn":
        what = "niet-bestaand of onbekend teken"
    elif unicodedata.category(char) == "Cc":
        what = "stuurteken"
    else:
        what = "onzichtbaar opmaakteken"
    return f"U+{code:04X} ({what})"


def describe_all(chars: list[str], most: int = 3) -> str:
    """The different characters found, named: 'U+200B (spatie zonder breedte) en U+E004A (tagteken: ...)'; for tags
    (which spell ASCII) one name for the lot, with their number."""
    tags = [c for c in chars if 0xE0000 <= ord(c) <= 0xE007F]
    distinct = list(dict.fromkeys(c for c in chars if c not in tags))
    names = [describe(c) for c in distinct[:most]]
    if tags:
        names.insert(0, f"{len(tags)} tagteken{'s' if len(tags) > 1 else ''} (U+E0000 t/m U+E007F: onzichtbare letters)")
    more = len(distinct) - most
    text = ", ".join(names[:-1]) + (" en " if len(names) > 1 else "") + names[-1] if names else ""
    return text + (f" en nog {more} andere" if more > 0 else "")
