"""What the published copy keeps of a font: only what the pages show (round 9, A15/A16).

A font carries names and texts for every code it could show: its ``/ToUnicode`` map (the text a viewer copies for
a code), its encoding's ``/Differences`` (a glyph name per code) and, for a Type 3 font, a glyph procedure per glyph
name. Entries for codes no page shows are drawn by no viewer, yet a tool may put anything in them (a map giving
code 200 the text "Jan Vermeulen", a glyph named ``/Vermeulen``, a procedure drawing a signature). The copy keeps of
each font only the entries for the codes its content shows (``shown_codes``; a Type 3 glyph name that says nothing
to a viewer becomes ``/n<code>``, ``neutral_glyph_names``), counted over the page contents and the
forms they draw (a form inherits the font in force); text in a tiling pattern, a soft mask, a kept link's appearance
or a Type 3 glyph is refused by the copy anyway (``copy._text_outside_page``, ``copy._clean_font``), so a font the copy
keeps (``kept_fonts``) that this walk never meets shows nothing and keeps no entries (round 11, C06). Where the codes
of a font cannot be told (a composite font with a CMap of its own, a code of odd length, a font set where the walk
cannot follow) its entries stay as they are, and so do a map, encoding or procedure shared with such a font. A map
that cannot be read entry by entry is written anew from pypdf's reading of the shown codes (``rewritten_cmap``), or the
copy is refused (``Unprunable``); it is never kept whole (round 11, C01a).

PDFium's reading of the copy is compared with the original's page by page (``core._same_pages``): a map read
otherwise than before refuses, it is not published.
"""

from __future__ import annotations

import bisect
import re

import pikepdf
from pikepdf import Array, Dictionary, Name

MAX_DEPTH = 100  # forms drawn inside forms, followed this deep
MAX_WALKS = 100_000  # (form, font in force) pairs walked before the codes are not to be told
_OPERATORS = "q Q Tf gs Tj TJ ' \" Do"
_SHOW = {"Tj", "TJ", "'", '"'}
_IDENTITY = (Name("/Identity-H"), Name("/Identity-V"))
_SIMPLE = (Name.Type1, Name("/MMType1"), Name.TrueType, Name.Type3)


class _Untold(Exception):
    """The codes shown cannot be told for the document (too deep, too many forms, unreadable content)."""


def _width(font) -> int | None:
    """Bytes per code: 1 for a simple font, 2 for a composite font with an Identity CMap, None otherwise."""
    subtype = font.get(Name.Subtype)
    if subtype in _SIMPLE:
        return 1
    if subtype == Name.Type0 and font.get(Name.Encoding) in _IDENTITY:
        return 2
    return None


def shown_codes(pdf: pikepdf.Pdf) -> tuple[dict[tuple[int, int], set[int]], set[tuple[int, int]]] | None:
    """Per font (by object number: a font written in place in a resource dictionary is made an object of its own),
    the codes the content shows with it, and the fonts whose codes cannot be told; None when nothing can be told."""
    codes: dict[tuple[int, int], set[int]] = {}
    untold: set[tuple[int, int]] = set()
    walked: set = set()

    def font_of(holder, key):
        font = holder.get(key) if isinstance(holder, Dictionary) else holder[key]
        if not isinstance(font, Dictionary):
            return None
        if not font.is_indirect:
            holder[key] = pdf.make_indirect(font)
            font = holder[key]
        codes.setdefault(font.objgen, set())
        return font

    def walk(target, resources, current, depth: int) -> None:
        if depth > MAX_DEPTH or len(walked) > MAX_WALKS:
            raise _Untold
        resources = resources if isinstance(resources, Dictionary) else Dictionary()
        fonts = resources.get(Name.Font)
        states = resources.get(Name.ExtGState)
        xobjects = resources.get(Name.XObject)
        try:
            operations = pikepdf.parse_content_stream(target, _OPERATORS)
        except pikepdf.PdfError as exc:
            raise _Untold from exc
        saved = []
        for instruction in operations:
            op = str(instruction.operator)
            operands = instruction.operands
            if op == "q":
                saved.append(current)
            elif op == "Q":
                current = saved.pop() if saved else current
            elif op == "Tf" and len(operands) and isinstance(operands[0], Name):
                # a name not in the resources: PDFium draws with a stock font of its own, not one of the file's
                current = font_of(fonts, operands[0]) if isinstance(fonts, Dictionary) else None
            elif op == "gs" and len(operands) and isinstance(operands[0], Name) and isinstance(states, Dictionary):
                state = states.get(operands[0])
                pair = state.get(Name.Font) if isinstance(state, Dictionary) else None
                if isinstance(pair, Array) and len(pair) >= 1:
                    current = font_of(pair, 0)
            elif op in _SHOW and current is not None and len(operands):
                key = current.objgen
                width = _width(current)
                last = operands[-1]
                for item in list(last) if isinstance(last, Array) else [last]:
                    if not isinstance(item, pikepdf.String):
                        continue
                    data = bytes(item)
                    if width is None or len(data) % width:
                        untold.add(key)
                    else:
                        codes[key].update(int.from_bytes(data[i : i + width], "big") for i in range(0, len(data), width))
            elif op == "Do" and len(operands) and isinstance(operands[0], Name) and isinstance(xobjects, Dictionary):
                form = xobjects.get(operands[0])
                if isinstance(form, pikepdf.Stream) and form.get(Name.Subtype) == Name.Form:
                    step = (form.objgen if form.is_indirect else id(form), current.objgen if current is not None else None)
                    if step not in walked:
                        walked.add(step)
                        walk(form, form.get(Name.Resources), current, depth + 1)

    try:
        for page in pdf.pages:
            walk(page, page.obj.get(Name.Resources), None, 0)
    except (_Untold, RecursionError):
        return None
    return codes, untold


# -- a /ToUnicode map with only the codes shown -----------------------------------------------------------------
_TOKEN = re.compile(
    rb"(?P<space>[\x00\t\n\x0c\r ]+)|(?P<comment>%[^\r\n]*)|(?P<dict><<|>>)|(?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)"
    rb"|(?P<open>\[)|(?P<close>\])|(?P<string>\((?:[^()\\]|\\.)*\))"
    rb"|(?P<name>/[^\x00\t\n\x0c\r /\[\]<>(){}%]*)|(?P<word>[^\x00\t\n\x0c\r /\[\]<>(){}%]+)",
    re.S,
)
_SECTIONS = {b"begincodespacerange": b"endcodespacerange", b"beginbfchar": b"endbfchar", b"beginbfrange": b"endbfrange"}
# Names and words that make a map more than its bfchar and bfrange entries (a base map PDFium reads for codes the map
# leaves out, another CMap used, CID sections): such a map is left as it is.
_OTHER = re.compile(rb"/Adobe-\w+-UCS2|usecmap|begincid|beginnotdef")
_HEADER = (
    b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
)
_FOOTER = b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
_PER_SECTION = 100  # entries per section, as ISO 32000 allows
_UNSHOWN = b"<0020>"  # the text of a code no page shows inside a kept range of listed texts


def _value(token: bytes) -> int:
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", token)
    return int(digits, 16) if digits else 0


def _any_in(codes: list[int], low: int, high: int) -> bool:
    at = bisect.bisect_left(codes, low)
    return at < len(codes) and codes[at] <= high


def pruned_cmap(data: bytes, shown: set[int]) -> bytes | None:
    """The /ToUnicode map ``data`` written again with only the entries for the codes in ``shown``, in their order
    (so a code mapped twice reads as before): a bfchar entry for a code not shown goes, so does a bfrange without one;
    a bfrange with one keeps its first text (what the shown codes copy as follows from it), a bfrange listing a
    text per code keeps the shown codes' texts, the others become a space. None when the map cannot be read so
    (then it is left as it is)."""
    codes = sorted(shown)
    sections: list[tuple[bytes, list[bytes]]] = []
    section: bytes | None = None
    operands: list = []
    array: list[bytes] | None = None
    at = 0
    for token in _TOKEN.finditer(data):
        if token.start() != at:
            return None
        at = token.end()
        kind, text = token.lastgroup, token.group()
        if kind in ("space", "comment"):  # a comment ``% usecmap`` says nothing (round 11, C01a)
            continue
        if kind in ("name", "word") and _OTHER.search(text):
            return None
        if section is None:
            if kind == "word" and text in _SECTIONS:
                section, operands = text, []
                sections.append((text, []))
            continue
        entries = sections[-1][1]
        if kind == "word" and text == _SECTIONS[section]:
            if operands or array is not None:
                return None
            section = None
        elif kind == "hex" and array is not None:
            array.append(text)
        elif kind == "hex":
            operands.append(text)
        elif kind == "open" and section == b"beginbfrange" and len(operands) == 2 and array is None:
            array = []
        elif kind == "close" and array is not None:
            operands.append(array)
            array = None
        else:
            return None
        if section == b"begincodespacerange" and len(operands) == 2:
            entries.append(b"%s %s" % tuple(operands))
            operands = []
        elif section == b"beginbfchar" and len(operands) == 2:
            if isinstance(operands[1], list):
                return None
            if _value(operands[0]) in shown:
                entries.append(b"%s %s" % tuple(operands))
            operands = []
        elif section == b"beginbfrange" and len(operands) == 3:
            low, high, text_or_list = operands
            first, last = _value(low), _value(high)
            if isinstance(text_or_list, list):
                if _any_in(codes, first, min(last, first + len(text_or_list) - 1)):
                    texts = [t if first + i in shown else _UNSHOWN for i, t in enumerate(text_or_list)]
                    entries.append(b"%s %s [%s]" % (low, high, b" ".join(texts)))
            elif _any_in(codes, first, last):
                entries.append(b"%s %s %s" % (low, high, text_or_list))
            operands = []
    if at != len(data) or section is not None:
        return None
    out = [_HEADER]
    for begin, entries in sections:
        for start in range(0, len(entries), _PER_SECTION):
            chunk = entries[start : start + _PER_SECTION]
            out.append(b"%d %s\n%s\n%s\n" % (len(chunk), begin, b"\n".join(chunk), _SECTIONS[begin]))
    out.append(_FOOTER)
    return b"".join(out)


class Unprunable(ValueError):
    """A /ToUnicode map that can neither be pruned nor written anew: kept whole it could carry anything (round 11)."""


UNPRUNABLE = (
    "de tekstkoppeling (/ToUnicode) van een lettertype is niet te lezen: daarin kunnen teksten staan die geen pagina "
    "toont, en die kunnen niet verwijderd worden. Sla het bestand opnieuw op als pdf (bijvoorbeeld met 'Opslaan als "
    "pdf' of 'Afdrukken naar pdf') en lever het opnieuw aan."
)


def rewritten_cmap(data: bytes, shown: set[int], width: int | None) -> bytes:
    """A /ToUnicode map written anew with only the codes in ``shown``, each with the text pypdf reads for it in
    ``data`` (a map ``pruned_cmap`` cannot read: a token it does not know, another CMap used). PDFium's reading of
    the copy is compared with the original's page by page (``core._same_pages``): where it read the map otherwise, the
    copy is refused, not published. An empty map for a font that shows nothing; ``Unprunable`` when the codes'
    width is not known or pypdf cannot read the map."""
    if width not in (1, 2):
        if shown:
            raise Unprunable(UNPRUNABLE)
        width = 1
    entries: list[bytes] = []
    if shown:
        try:
            from pypdf._cmap import _parse_to_unicode
            from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

            stream = DecodedStreamObject()
            stream.set_data(data)
            font = DictionaryObject({NameObject("/ToUnicode"): stream})
            read, _ = _parse_to_unicode(font)
        except Exception as exc:  # pypdf's parser raises anything on a hostile map
            raise Unprunable(UNPRUNABLE) from exc
        for code in sorted(shown):
            raw = code.to_bytes(width, "big")
            key = raw.decode("charmap") if width == 1 else raw.decode("utf-16-be", "surrogatepass")
            text = read.get(key)
            if isinstance(text, str) and text:
                target = text.encode("utf-16-be", "surrogatepass").hex().upper().encode()
                entries.append(b"<%s> <%s>" % (raw.hex().upper().encode(), target))
    space = b"<00> <FF>" if width == 1 else b"<0000> <FFFF>"
    out = [_HEADER, b"1 begincodespacerange\n%s\nendcodespacerange\n" % space]
    for start in range(0, len(entries), _PER_SECTION):
        chunk = entries[start : start + _PER_SECTION]
        out.append(b"%d beginbfchar\n%s\nendbfchar\n" % (len(chunk), b"\n".join(chunk)))
    out.append(_FOOTER)
    return b"".join(out)


# -- encodings and Type 3 glyphs --------------------------------------------------------------------------------
def glyph_names(differences) -> dict[int, Name] | None:
    """Code to glyph name, as a viewer reads a /Differences array (a later entry for a code wins); None when the
    array holds anything else than codes and names."""
    names: dict[int, Name] = {}
    code = None
    for item in differences:
        if isinstance(item, int) and not isinstance(item, bool):
            code = int(item)
        elif isinstance(item, Name) and code is not None:
            if 0 <= code <= 255:
                names[code] = item
            code += 1
        else:
            return None
    return names


def pruned_differences(names: dict[int, Name], shown: set[int]) -> Array:
    """A /Differences array naming only the codes in ``shown`` (runs of consecutive codes under one number)."""
    out = Array()
    previous = None
    for code in sorted(c for c in names if c in shown):
        if previous is None or code != previous + 1:
            out.append(code)
        out.append(names[code])
        previous = code
    return out


_NOT_WALKED = frozenset({"/Parent", "/P", "/Pg", "/StructParent", "/StructParents", "/StructTreeRoot", "/Outlines"})
MAX_REACHED = 2_000_000


def _is_font(obj) -> bool:
    return isinstance(obj, Dictionary) and (obj.get(Name.Type) == Name.Font or obj.get(Name.Subtype) in (*_SIMPLE, Name.Type0))


def kept_fonts(pdf: pikepdf.Pdf) -> dict[tuple[int, int], Dictionary]:
    """The font dictionaries the copy keeps (reached from the catalogue; a font written in place is made an object of
    its own), in the order met. Not ``pdf.objects``: a font only the dropped /Info reached would count as a font
    whose codes cannot be told and keep a map it shares whole (round 11, C01b). The tag structure and bookmarks
    lead to no fonts (``copy._clean_structure``, ``copy._clean_outlines``)."""
    fonts: dict[tuple[int, int], Dictionary] = {}
    seen: set[tuple[int, int]] = set()
    todo: list = [pdf.Root]
    steps = 0
    while todo:
        item = todo.pop()
        steps += 1
        if steps > MAX_REACHED:
            raise Unprunable("de pagina's bereiken te veel objecten om de lettertypen na te gaan")
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
            if _is_font(item):
                fonts[item.objgen] = item
        keys = reversed(range(len(item))) if isinstance(item, Array) else sorted(item.keys(), reverse=True)
        for key in keys:
            if isinstance(key, str) and key in _NOT_WALKED:
                continue
            value = item[key]
            if _is_font(value) and not value.is_indirect:  # a direct font gets an object number of its own
                item[key] = pdf.make_indirect(value)
                value = item[key]
            if isinstance(value, (Dictionary, Array, pikepdf.Stream)):
                todo.append(value)
    return fonts


def _own_type3_parts(pdf: pikepdf.Pdf, fonts: dict, told) -> None:
    """A Type 3 font whose codes are told gets its own encoding, glyph procedures dictionary and resources where it
    shares them with another font (the procedures themselves stay shared): so each is pruned to what that font shows
    (round 11, C04: two fonts sharing /CharProcs kept every glyph)."""
    owners: dict[tuple[int, int], int] = {}
    for font in fonts.values():
        for key in ("/Encoding", "/CharProcs", "/Resources"):
            part = font.get(key)
            if isinstance(part, Dictionary) and part.is_indirect:
                owners[part.objgen] = owners.get(part.objgen, 0) + 1
    for key, font in fonts.items():
        if font.get(Name.Subtype) != Name.Type3 or not told(key):
            continue
        for name in ("/Encoding", "/CharProcs", "/Resources"):
            part = font.get(name)
            if isinstance(part, Dictionary) and part.is_indirect and owners.get(part.objgen, 0) > 1:
                copy = Dictionary({k: part[k] for k in part.keys()})
                if name == "/Resources":  # pruned per category below (``_prune_glyphs``)
                    for category in list(copy.keys()):
                        entries = copy[category]
                        if isinstance(entries, Dictionary):
                            copy[category] = Dictionary({k: entries[k] for k in entries.keys()})
                font[name] = pdf.make_indirect(copy)


def _standard_names(code: int, base) -> set[Name] | None:
    """The glyph names a viewer may take for a Type 3 code its /Differences does not name (a standard encoding's,
    or the /BaseEncoding's); None for a base encoding not known here."""
    from fontTools import agl
    from fontTools.encodings.MacRoman import MacRoman
    from fontTools.encodings.StandardEncoding import StandardEncoding

    if base is not None and base not in (Name.StandardEncoding, Name.WinAnsiEncoding, Name.MacRomanEncoding):
        return None
    if not 0 <= code <= 255:
        return set()
    names = {StandardEncoding[code], MacRoman[code]}
    win = bytes([code]).decode("cp1252", "ignore")
    if win:
        names.add(agl.UV2AGL.get(ord(win), ".notdef"))
    return {Name("/" + n) for n in names if n and n != ".notdef"}


def prune(pdf: pikepdf.Pdf, used_names) -> None:
    """Every font's /ToUnicode entries, /Differences names and Type 3 glyph procedures (and what only those
    procedures used of its resources) for codes no page shows go (see the module documentation). Every font the copy
    keeps (``kept_fonts``) counts: one the walk of the contents never met shows nothing (a font only selected in a
    pattern cell or a link's appearance, round 11 C06), its map is emptied. A map ``pruned_cmap`` cannot read is
    written anew (``rewritten_cmap``) or the copy refused (``Unprunable``). ``used_names``: ``copy._used_names``, the
    resource names a list of content-stream operations uses."""
    found = shown_codes(pdf)
    if found is None:
        return
    codes, untold = found
    fonts = kept_fonts(pdf)
    _own_type3_parts(pdf, fonts, lambda key: key not in untold)
    # what the fonts share (a map, an encoding): the codes of every font using it, unless one cannot be told
    shared: dict[tuple[int, int], set[int] | None] = {}
    owners: dict[tuple[int, int], int] = {}
    widths: dict[tuple[int, int], set[int | None]] = {}
    for key, font in fonts.items():
        mine = codes.get(key, set()) if key not in untold else None
        for part in (font.get(Name.ToUnicode), font.get(Name.Encoding), font.get(Name.CharProcs)):
            if isinstance(part, (Dictionary, pikepdf.Stream)) and part.is_indirect:
                owners[part.objgen] = owners.get(part.objgen, 0) + 1
                widths.setdefault(part.objgen, set()).add(_width(font))
                if part.objgen in shared and (shared[part.objgen] is None or mine is None):
                    shared[part.objgen] = None
                elif mine is not None:
                    shared[part.objgen] = shared.get(part.objgen, set()) | mine
                else:
                    shared[part.objgen] = None

    def codes_of(part, mine: set[int]) -> set[int] | None:
        return shared.get(part.objgen) if part.is_indirect else mine

    done: set[tuple[int, int]] = set()
    for key, font in fonts.items():
        if key in untold:
            continue
        mine = codes.get(key, set())
        mapping = font.get(Name.ToUnicode)
        if isinstance(mapping, pikepdf.Stream) and mapping.objgen not in done:
            done.add(mapping.objgen)
            shown = codes_of(mapping, mine)
            if shown is not None:
                width = next(iter(widths[mapping.objgen])) if len(widths[mapping.objgen]) == 1 else None
                try:
                    data = mapping.read_bytes()
                except pikepdf.PdfError as exc:
                    if shown:
                        raise Unprunable(UNPRUNABLE) from exc
                    data = b""
                cleaned = pruned_cmap(data, shown) if data else None
                mapping.write(cleaned if cleaned is not None else rewritten_cmap(data, shown, width))
        encoding = font.get(Name.Encoding)
        if font.get(Name.Subtype) not in _SIMPLE or not isinstance(encoding, Dictionary):
            continue
        shown = codes_of(encoding, mine)
        differences = encoding.get(Name.Differences)
        names = glyph_names(differences) if isinstance(differences, Array) else None
        if shown is None or names is None:
            continue
        procs = font.get(Name.CharProcs)
        alone = not procs.is_indirect or owners.get(procs.objgen) == 1 if isinstance(procs, Dictionary) else False
        # a shown code the /Differences does not name draws the glyph a standard encoding names (C04)
        unnamed: set[Name] | None = set()
        for code in sorted(mine - set(names)):
            standard = _standard_names(code, encoding.get(Name.BaseEncoding))
            unnamed = None if standard is None or unnamed is None else unnamed | standard
        type3 = font.get(Name.Subtype) == Name.Type3 and alone and unnamed is not None
        own = not encoding.is_indirect or owners.get(encoding.objgen) == 1
        renamed = neutral_glyph_names(names, mine) if type3 and own else {}
        kept_names = {names[c] for c in shown if c in names} | (unnamed or set())
        if not encoding.is_indirect or encoding.objgen not in done:
            if encoding.is_indirect:
                done.add(encoding.objgen)
            encoding[Name.Differences] = pruned_differences({c: renamed.get(n, n) for c, n in names.items()}, shown)
        if type3 and isinstance(procs, Dictionary):
            _prune_glyphs(font, procs, kept_names, used_names, renamed)


# A Type 3 glyph name is only a key from the encoding to the glyph procedure, but a tool may write any name there
# (``/Vermeulen`` for a code the page shows). Where the name says nothing to a viewer (no Adobe Glyph List name, not a
# numbered name such as ``/G41``, ``/cid65`` or ``/uni0041`` from which viewers read a character) the copy calls it
# ``/n<code>`` (after the first code drawing it): such a name says nothing either, and no name the copy keeps has that
# form, so no two glyphs get one name. A name is kept only when it stands for one character: a name of the Adobe Glyph
# List as it is (no ``_`` ligature of several, no ``.`` suffix: ``/V_e_r_m_e_u_l_e_n`` or ``/A.Vermeulen`` would carry
# any word, round 11 C07), ``uniXXXX`` / ``uXXXX[XX]``, or a numbered name holding a digit (a run of the letters a-f
# alone could spell a word).
_NUMBERED = re.compile(r"(?:[GgCc]|cid|glyph|index|uni|u)?[0-9A-Fa-f]+")
_UNICODE_NAME = re.compile(r"uni[0-9A-F]{4}|u[0-9A-F]{4,6}")


def _meaningful(name: str) -> bool:
    from fontTools import agl

    if _NUMBERED.fullmatch(name) is not None and any(ch.isdigit() for ch in name):
        return True
    if _UNICODE_NAME.fullmatch(name) is not None:
        return len(agl.toUnicode(name)) == 1
    return name in agl.AGL2UV or len(agl.LEGACY_AGL2UV.get(name, ())) == 1


def neutral_glyph_names(names: dict[int, Name], shown: set[int]) -> dict[Name, Name]:
    """Old name to new name for the glyph names of the shown codes that say nothing (see above)."""
    renamed: dict[Name, Name] = {}
    for code in sorted(shown):
        name = names.get(code)
        if name is not None and name not in renamed and not _meaningful(str(name)[1:]):
            renamed[name] = Name(f"/n{code}")
    return renamed


def _prune_glyphs(font, procs, kept: set[Name], used_names, renamed: dict[Name, Name]) -> None:
    """A Type 3 font without the glyph procedures no shown code draws (the others under their new names,
    ``renamed``), and its resources without what only those used (a form or image drawn by an unused glyph goes)."""
    for name in list(procs.keys()):
        if Name(name) not in kept:
            del procs[name]
    procedures = {Name(name): procs[name] for name in procs.keys()}
    for old in renamed:
        if old in procs:
            del procs[old]
    for old, new in renamed.items():
        if old in procedures:
            procs[new] = procedures[old]
    resources = font.get(Name.Resources)
    if not isinstance(resources, Dictionary):
        return
    operations = []
    for proc in procs.values():
        if isinstance(proc, pikepdf.Stream):
            try:
                operations += pikepdf.parse_content_stream(proc)
            except pikepdf.PdfError:
                return
    used = used_names(operations)
    for category in list(resources.keys()):
        entries = resources.get(category)
        if category == "/ProcSet" or not isinstance(entries, Dictionary):
            continue
        wanted = used.get(category, set())
        if category == "/ColorSpace" and "inline" in used:
            continue
        for name in list(entries.keys()):
            if name not in wanted:
                del entries[name]
