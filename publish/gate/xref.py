"""The file's layout, read from its bytes before any PDF library reads it (round 9, A20).

PDF readers differ in what they do with a file that does not follow the rules: PDFium (Chrome and Edge, the
reviewer's viewer) rejects a cross-reference table whose entries are not exactly 20 bytes and rebuilds it by
scanning the file, where the last definition of an object wins; qpdf (which writes the published copy) and pypdf
read the same table without a warning. An object defined twice, the table pointing at the first definition,
then reads differently: the reviewer saw one page, the copy publishes the other. What this module refuses:

- an entry of a classic cross-reference table that is not exactly 20 bytes: ten digits, a space, five digits,
  a space, ``n`` or ``f`` and a two-byte line end (space + CR, space + LF, or CR + LF; ISO 32000-1, 7.5.4);
- an object number defined twice within one revision (between two ``%%EOF`` markers): a writer defines each
  object once per revision; an incremental update that redefines objects has its own revision.

Both are scanned over the whole file (every table, every object header), not only what one reader follows, so a
table or definition no reader uses today cannot be the one another reader picks. ``layout_problem`` gives the
Dutch description of the first problem found, or None. ``gate/core.py`` also compares PDFium's reading of the
original with its reading of the copy, page by page, for what this scan cannot foresee."""

from __future__ import annotations

import re

_SPACE = b"\x00\t\n\x0c\r "
_SPACES = {bytes([c]) for c in _SPACE}
_DIGITS_OR_SPACES = _SPACES | {b"%d" % d for d in range(10)}
# a table: "xref", its line end and the first digit of its first subsection
_TABLE = re.compile(rb"xref[ \t]*(?:\r\n|\r|\n)[\x00\t\n\x0c\r ]*\d")
_SUBSECTION = re.compile(rb"[\x00\t\n\x0c\r ]*(\d{1,10})[ \t]+(\d{1,10})[ \t]*(?:\r\n|\r|\n)")
_ENTRY = re.compile(rb"\d{10} \d{5} [fn](?: \r| \n|\r\n)")
_ENTRIES = re.compile(rb"(?:\d{10} \d{5} [fn](?: \r| \n|\r\n))*")
# the numbers of an object header ("12 0 obj") read backwards from where "obj" starts: white space, the
# generation, white space, the object number, then white space or the start of the file
_NUMBERS_BACKWARDS = re.compile(rb"[\x00\t\n\x0c\r ]+\d{1,5}[\x00\t\n\x0c\r ]+(\d{1,10})(?![^\x00\t\n\x0c\r ])")
# how far before "obj" its numbers are looked for (two numbers of at most 10 and 5 digits and the white space)
_REACH = 64
# the most entries read from one subsection: a larger count is a damaged table (PDFium reads at most 2^20)
MAX_ENTRIES = 1 << 22


def _table_problem(data: bytes, start: int) -> str | None:
    """The first entry of the table at ``start`` (just past its ``xref`` line) that is not 20 bytes."""
    pos = start
    while True:
        header = _SUBSECTION.match(data, pos)
        if header is None:
            return None  # "trailer" (or something no reader takes for entries) follows
        first, count = int(header.group(1)), int(header.group(2))
        pos = header.end()
        if count > MAX_ENTRIES:
            return f"de verwijzingstabel (xref) noemt {count} objecten in één deel, meer dan een pdf kan hebben"
        if _ENTRIES.fullmatch(data, pos, pos + 20 * count):  # all at once; entry by entry to say which
            pos += 20 * count
            continue
        for number in range(first, first + count):
            if _ENTRY.fullmatch(data, pos, pos + 20) is None:
                line = data[pos : pos + 24].split(b"\n", 1)[0].split(b"\r", 1)[0]
                size = len(line) + (2 if data[pos + len(line) : pos + len(line) + 2] == b"\r\n" else 1)
                return (
                    f"de regel voor object {number} in de verwijzingstabel (xref) is {size} tekens lang in plaats van "
                    "de voorgeschreven 20 (of is anders geschreven dan de norm voorschrijft)"
                )
            pos += 20


def layout_problem(data: bytes) -> str | None:
    """What makes the file read differently in different PDF readers (see the module documentation), in Dutch,
    or None. The scans start from literal words (``bytes.find``, a regular expression with a literal start): one
    tried at every byte took 65 ms per MB."""
    for table in _TABLE.finditer(data):
        if table.start() == 0 or data[table.start() - 1] in _SPACE:  # not the end of "startxref"
            problem = _table_problem(data, table.end() - 1)
            if problem:
                return problem
    start = 0
    ends = []
    at = data.find(b"%%EOF")
    while at != -1:
        ends.append(at + 5)
        at = data.find(b"%%EOF", at + 5)
    for end in [*ends, len(data)]:
        seen: set[int] = set()
        at = data.find(b"obj", start, end)
        while at != -1:
            header = None
            if (
                data[at - 1 : at] in _SPACES
                and data[at - 2 : at - 1] in _DIGITS_OR_SPACES
                and not data[at + 3 : at + 4].isalnum()
            ):
                back = data[max(start, at - _REACH) : at][::-1]
                header = _NUMBERS_BACKWARDS.match(back)
            if header and (header.end() < len(back) or at - _REACH <= start):
                number = int(header.group(1)[::-1])
                if number in seen:
                    return (
                        f"object {number} staat twee keer in het bestand (in dezelfde versie), met mogelijk "
                        "verschillende inhoud: welke van de twee een pdf-lezer toont, verschilt per programma"
                    )
                seen.add(number)
            at = data.find(b"obj", at + 3, end)
        start = end
    return None
