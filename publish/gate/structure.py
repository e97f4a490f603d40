"""Checks on the document structure: what a redaction tool leaves behind besides the page text.

Some findings refuse the package (a person must look), others are fixed by removing the thing from
the published copy. The approved original is never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

REFUSE, FIXED = "fout", "verwijderd"
REMOVED_ANNOTATIONS = {
    "/Text",
    "/Popup",
    "/FreeText",
    "/Stamp",
    "/Ink",
    "/Highlight",
    "/Underline",
    "/StrikeOut",
    "/Squiggly",
    "/Caret",
    "/Square",
    "/Circle",
    "/Line",
    "/Polygon",
    "/PolyLine",
    "/Sound",
    "/Movie",
    "/Screen",
    "/PrinterMark",
    "/TrapNet",
    "/Watermark",
    "/3D",
    "/RichMedia",
    "/Projection",
}


@dataclass
class StructureFinding:
    kind: str
    severity: str  # REFUSE or FIXED
    detail: str
    page: int | None = None


def _r(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def revisions(data: bytes) -> int:
    """Incremental updates each end in their own %%EOF; more than one means earlier versions inside.
    A linearised file ("fast web view", as the published copies are) has one extra by design."""
    ends = len(re.findall(rb"%%EOF", data))
    if re.search(rb"/Linearized\s", data[:1024]):
        ends -= 1
    return max(1, ends)


def _has_javascript_action(action, seen=None, depth=0) -> bool:
    action = _r(action)
    if not isinstance(action, DictionaryObject) or depth > 20:
        return False
    if action.get("/S") in ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/ResetForm"):
        return True
    following = _r(action.get("/Next"))
    if isinstance(following, ArrayObject):
        return any(_has_javascript_action(a, depth=depth + 1) for a in following)
    return _has_javascript_action(following, depth=depth + 1) if following is not None else False


def _additional_actions(obj) -> bool:
    aa = _r(obj.get("/AA")) if isinstance(obj, DictionaryObject) else None
    return isinstance(aa, DictionaryObject) and any(_has_javascript_action(v) for v in aa.values())


def _name_tree_has_entries(node, depth=0) -> bool:
    node = _r(node)
    if not isinstance(node, DictionaryObject) or depth > 30:
        return False
    names = _r(node.get("/Names"))
    if isinstance(names, ArrayObject) and len(names) > 0:
        return True
    kids = _r(node.get("/Kids"))
    return isinstance(kids, ArrayObject) and any(_name_tree_has_entries(k, depth + 1) for k in kids)


def _field_values(fields, depth=0) -> list[str]:
    found = []
    for ref in _r(fields) or []:
        field = _r(ref)
        if not isinstance(field, DictionaryObject) or depth > 30:
            continue
        value = field.get("/V")
        if value not in (None, "", "/Off") and str(value).strip():
            found.append(str(_r(field.get("/T", "?"))))
        if "/Kids" in field:
            found += _field_values(field["/Kids"], depth + 1)
    return found


_STANDARD_INFO = {"/Title", "/Subject", "/Keywords", "/Creator", "/Producer", "/CreationDate", "/ModDate", "/Trapped"}
_EMPTY = {"", "anonymous", "unknown", "onbekend", "unspecified", "untitled"}


def _identifying_info(info) -> bool:
    """Document info that can name a person: an author, or any non-standard key (/Company, ...)."""
    if not info:
        return False
    for key, value in info.items():
        text = str(value).strip().lower()
        if key == "/Author" and text not in _EMPTY:
            return True
        if key not in _STANDARD_INFO and key != "/Author" and text not in _EMPTY:
            return True
    return False


_USAGE_STATES = {"/View": "/ViewState", "/Print": "/PrintState", "/Export": "/ExportState"}


def _hidden_layers(oc) -> str:
    """Optional-content layers that are off by any route, described; empty when none.

    Off by default: listed in ``/D /OFF``, or ``/D /BaseState /OFF`` without being listed in ``/D /ON``.
    Off for some use: a usage dictionary with a view, print or export state ``/OFF`` (viewers apply
    these through ``/D /AS``). A layer that can be off hides what is in it from the reviewer, while the
    words stay in the file."""
    if not isinstance(oc, DictionaryObject):
        return ""
    groups = [g for g in (_r(oc.get("/OCGs")) or []) if isinstance(_r(g), DictionaryObject)]
    default = _r(oc.get("/D"))
    default = default if isinstance(default, DictionaryObject) else DictionaryObject()

    def ids(key):
        value = _r(default.get(key))
        return {id(_r(g)) for g in value} if isinstance(value, ArrayObject) else set()

    on, off = ids("/ON"), ids("/OFF")
    base_off = default.get("/BaseState") == "/OFF"
    hidden = {id(_r(g)) for g in groups if id(_r(g)) in off or (base_off and id(_r(g)) not in on)}
    hidden |= {i for i in off}
    used_off = set()
    for g in groups:
        usage = _r(_r(g).get("/Usage"))
        if not isinstance(usage, DictionaryObject):
            continue
        for category, state in _USAGE_STATES.items():
            entry = _r(usage.get(category))
            if isinstance(entry, DictionaryObject) and entry.get(state) == "/OFF":
                used_off.add(id(_r(g)))
    configs = _r(oc.get("/Configs"))
    alternative_off = 0
    for config in configs if isinstance(configs, ArrayObject) else []:
        config = _r(config)
        if not isinstance(config, DictionaryObject):
            continue
        config_on = {id(_r(g)) for g in (_r(config.get("/ON")) or [])}
        config_off = {id(_r(g)) for g in (_r(config.get("/OFF")) or [])}
        if (
            config_off
            or (config.get("/BaseState") == "/OFF" and any(id(_r(g)) not in config_on for g in groups))
            or _r(config.get("/AS"))
        ):
            alternative_off += 1
    parts = []
    if hidden:
        parts.append(f"{len(hidden)} verborgen laag/lagen (optionele inhoud die standaard uit staat)")
    if used_off - hidden:
        parts.append(f"{len(used_off - hidden)} laag/lagen die bij bekijken, afdrukken of exporteren uit gaan")
    if alternative_off:
        parts.append(f"{alternative_off} andere laagconfiguratie(s) (/Configs) die lagen uit zetten")
    if _automatic_off(default, groups) - used_off - hidden:
        parts.append("lagen die automatisch uit gaan bij een zoomfactor, gebruiker of taal (/AS)")
    return " en ".join(parts)


def _automatic_off(default, groups) -> set:
    """Groups an automatic state rule (/AS) can switch off by zoom level, user or language."""
    rules = _r(default.get("/AS"))
    named = set()
    for rule in rules if isinstance(rules, ArrayObject) else []:
        rule = _r(rule)
        if isinstance(rule, DictionaryObject):
            named |= {id(_r(g)) for g in (_r(rule.get("/OCGs")) or [])}
    found = set()
    for g in groups:
        usage = _r(_r(g).get("/Usage"))
        if (
            id(_r(g)) in named
            and isinstance(usage, DictionaryObject)
            and any(k in usage for k in ("/Zoom", "/User", "/Language"))
        ):
            found.add(id(_r(g)))
    return found


def _visible(membership, off: set, depth: int = 0) -> bool:
    """Whether optional content marked with a group or membership dictionary (OCMD) shows, given the
    groups that are off (by object identity). An OCMD's visibility expression (/VE) or policy (/P)
    can hide content of groups that are on; anything unreadable counts as hidden."""
    membership = _r(membership)
    if depth > 30:
        return False
    if isinstance(membership, ArrayObject):  # a visibility expression: [/And|/Or|/Not operand ...]
        if not membership:
            return False
        operator, operands = membership[0], [_r(o) for o in membership[1:]]
        values = [
            _visible(o, off, depth + 1) if isinstance(o, ArrayObject) else (isinstance(o, DictionaryObject) and id(o) not in off)
            for o in operands
        ]
        if operator == "/And":
            return all(values)
        if operator == "/Or":
            return any(values)
        if operator == "/Not":
            return len(values) == 1 and not values[0]
        return False
    if not isinstance(membership, DictionaryObject):
        return True
    if membership.get("/Type") != "/OCMD":
        return id(membership) not in off
    if "/VE" in membership:
        return _visible(membership.get("/VE"), off, depth + 1)
    groups = _r(membership.get("/OCGs"))
    groups = [_r(g) for g in groups] if isinstance(groups, ArrayObject) else [groups] if groups is not None else []
    states = [id(g) not in off for g in groups if isinstance(g, DictionaryObject)]
    if not states:
        return True
    policy = membership.get("/P", "/AnyOn")
    return {"/AllOn": all(states), "/AnyOff": not all(states), "/AllOff": not any(states)}.get(policy, any(states))


def _off_groups(oc) -> set:
    """Groups off in the default configuration (object identities)."""
    if not isinstance(oc, DictionaryObject):
        return set()
    default = _r(oc.get("/D"))
    default = default if isinstance(default, DictionaryObject) else DictionaryObject()
    on = {id(_r(g)) for g in (_r(default.get("/ON")) or [])}
    off = {id(_r(g)) for g in (_r(default.get("/OFF")) or [])}
    if default.get("/BaseState") == "/OFF":
        off |= {id(_r(g)) for g in (_r(oc.get("/OCGs")) or []) if id(_r(g)) not in on}
    return off


def _hidden_memberships(page, off: set, limit: int = 10_000) -> bool:
    """Does the page (its marked-content properties, forms, images or annotations, forms inside forms)
    use optional content that does not show under the default configuration?"""
    todo, seen = [(page, 0)], set[int]()
    while todo and len(seen) < limit:
        obj, depth = todo.pop()
        obj = _r(obj)
        if not isinstance(obj, DictionaryObject) or id(obj) in seen or depth > 30:
            continue
        seen.add(id(obj))
        if "/OC" in obj and not _visible(obj.get("/OC"), off):
            return True
        resources = _r(obj.get("/Resources"))
        if isinstance(resources, DictionaryObject):
            properties = _r(resources.get("/Properties"))
            for value in properties.values() if isinstance(properties, DictionaryObject) else []:
                value = _r(value)
                if isinstance(value, DictionaryObject) and value.get("/Type") in ("/OCMD", "/OCG") and not _visible(value, off):
                    return True
            xobjects = _r(resources.get("/XObject"))
            todo += [(x, depth + 1) for x in (xobjects.values() if isinstance(xobjects, DictionaryObject) else [])]
        for ref in _r(obj.get("/Annots")) or [] if depth == 0 else []:
            todo.append((ref, depth + 1))
    return False


def inspect_structure(reader, data: bytes) -> list[StructureFinding]:
    findings: list[StructureFinding] = []
    root = _r(reader.trailer.get("/Root"))
    if revisions(data) > 1:
        findings.append(
            StructureFinding("eerdere_versies", FIXED, f"{revisions(data)} versies in het bestand (incrementele updates)")
        )
    if isinstance(root, DictionaryObject):
        if _has_javascript_action(root.get("/OpenAction")) or _additional_actions(root):
            findings.append(StructureFinding("javascript", REFUSE, "JavaScript of een actie bij het openen van het document"))
        names = _r(root.get("/Names"))
        if isinstance(names, DictionaryObject):
            if _name_tree_has_entries(names.get("/JavaScript")):
                findings.append(StructureFinding("javascript", REFUSE, "JavaScript in de namenlijst van het document"))
            if _name_tree_has_entries(names.get("/EmbeddedFiles")):
                findings.append(StructureFinding("ingesloten_bestand", REFUSE, "ingesloten bestanden (bijlagen in de pdf)"))
        acro = _r(root.get("/AcroForm"))
        if isinstance(acro, DictionaryObject):
            filled = _field_values(acro.get("/Fields"))
            if filled:
                findings.append(StructureFinding("formulierwaarden", REFUSE, f"ingevulde formuliervelden ({len(filled)})"))
            if "/XFA" in acro:
                findings.append(StructureFinding("formulierwaarden", REFUSE, "een XFA-formulier"))
            if not filled and "/XFA" not in acro and _r(acro.get("/Fields")):
                findings.append(StructureFinding("formulier", FIXED, "lege formuliervelden"))
        if _r(root.get("/AF")):
            findings.append(StructureFinding("ingesloten_bestand", REFUSE, "bijbehorende bestanden (/AF, bijlagen in de pdf)"))
        if _outline_has_script(root.get("/Outlines")):
            findings.append(StructureFinding("javascript", REFUSE, "een bladwijzer met JavaScript of een andere actie"))
        oc = _r(root.get("/OCProperties"))
        hidden = _hidden_layers(oc)
        if hidden:
            findings.append(StructureFinding("verborgen_laag", REFUSE, hidden))
        off = _off_groups(oc)
        for number, page in enumerate(reader.pages, start=1):
            if _hidden_memberships(page, off):
                findings.append(
                    StructureFinding(
                        "verborgen_laag",
                        REFUSE,
                        "optionele inhoud die door een zichtbaarheidsregel (/OCMD met /P of /VE) verborgen is",
                        number,
                    )
                )
        if "/Metadata" in root or "/PieceInfo" in root:
            findings.append(StructureFinding("metadata", FIXED, "XMP-metadata of PieceInfo"))
        bad = _bad_languages(root)
        if bad:
            findings.append(
                StructureFinding("taalcode", REFUSE, f"{bad} taalcode(s) (/Lang) die geen taalcode zijn (zoals 'nl-NL')")
            )
    if _identifying_info(reader.metadata):
        findings.append(StructureFinding("metadata", FIXED, "documenteigenschappen met mogelijk namen (zoals auteur)"))
    for number, page in enumerate(reader.pages, start=1):
        if _additional_actions(page):
            findings.append(StructureFinding("javascript", REFUSE, "een actie bij het openen van de pagina", number))
        if any(key in page for key in ("/Thumb", "/PieceInfo", "/Metadata")):
            findings.append(StructureFinding("metadata", FIXED, "miniatuur, PieceInfo of metadata van de pagina", number))
        for ref in _r(page.get("/Annots")) or []:
            annot = _r(ref)
            if not isinstance(annot, DictionaryObject):
                continue
            subtype = annot.get("/Subtype")
            if subtype == "/Redact":
                findings.append(
                    StructureFinding(
                        "redact_annotatie", REFUSE, "een gemarkeerde maar niet toegepaste lakking (/Redact-annotatie)", number
                    )
                )
            elif subtype == "/FileAttachment":
                findings.append(StructureFinding("ingesloten_bestand", REFUSE, "een bestand als bijlage-annotatie", number))
            elif subtype == "/Link":
                if _has_javascript_action(annot.get("/A")) or _additional_actions(annot):
                    findings.append(StructureFinding("javascript", REFUSE, "een link met JavaScript", number))
                elif not _kept_link(annot):
                    findings.append(
                        StructureFinding("opmerking", FIXED, "een link naar een ander bestand of met een andere actie", number)
                    )
            elif subtype == "/Widget":
                if _has_javascript_action(annot.get("/A")) or _additional_actions(annot):
                    findings.append(StructureFinding("javascript", REFUSE, "een formulierveld met JavaScript", number))
            elif subtype in REMOVED_ANNOTATIONS or isinstance(subtype, str):  # the copy keeps links only
                findings.append(StructureFinding("opmerking", FIXED, f"annotatie {str(subtype)[1:]}", number))
    return _dedupe(findings)


def _bad_languages(root, limit: int = 200_000) -> int:
    """How many /Lang values of the catalogue and the tag structure are no language tag: the copy keeps
    them, so they could carry any text."""
    from .unseen import is_language_tag

    values = [root.get("/Lang")]
    todo, seen = [(root.get("/StructTreeRoot"), 0)], set[int]()
    while todo and len(seen) < limit:
        ref, depth = todo.pop()
        node = _r(ref)
        if isinstance(node, ArrayObject) and depth < 100:
            todo += [(kid, depth + 1) for kid in node]
        elif isinstance(node, DictionaryObject) and depth < 100 and id(node) not in seen:
            seen.add(id(node))
            values.append(node.get("/Lang"))
            todo.append((node.get("/K"), depth + 1))
    bad = 0
    for value in values:
        value = _r(value)
        if value is not None and not (isinstance(value, str) and is_language_tag(str(value))):
            bad += 1
    return bad


def _kept_link(annot) -> bool:
    """The same rule as the published copy (copy.py): a go-to in the document or a web address."""
    action = _r(annot.get("/A"))
    if action is None:
        return "/Dest" in annot
    if not isinstance(action, DictionaryObject):
        return False
    if action.get("/S") == "/GoTo":
        return "/D" in action
    if action.get("/S") == "/URI":
        return bool(re.match(r"\s*(https?|mailto):", str(_r(action.get("/URI")) or ""), re.IGNORECASE))
    return False


def _outline_has_script(outlines) -> bool:
    outlines = _r(outlines)
    seen: set = set()
    todo = [(outlines.get("/First"), 0)] if isinstance(outlines, DictionaryObject) else []
    while todo and len(seen) < 100_000:
        ref, depth = todo.pop()
        while ref is not None and depth < 200 and len(seen) < 100_000:
            item = _r(ref)
            key = ref.idnum if isinstance(ref, IndirectObject) else id(item)
            if key in seen or not isinstance(item, DictionaryObject):
                break
            seen.add(key)
            if _has_javascript_action(item.get("/A")):
                return True
            todo.append((item.get("/First"), depth + 1))
            ref = item.get("/Next")
    return False


def _dedupe(findings: list[StructureFinding]) -> list[StructureFinding]:
    seen, out = set(), []
    for f in findings:
        key = (f.kind, f.severity, f.detail, f.page)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
