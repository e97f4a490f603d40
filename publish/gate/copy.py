"""The published copy of an approved PDF: what the public downloads.

Written with pikepdf (qpdf), from the approved bytes, never changing the original. The copy

- keeps what makes the document accessible and navigable: the tag structure (``/StructTreeRoot``,
  ``/MarkInfo``, role and class maps), the document language, bookmarks, page labels, named
  destinations, optional-content layers exactly as configured (a hidden layer never becomes
  visible), and links to web addresses or to places in the document with their description;
- keeps, when the source claims PDF/A, a minimal XMP packet carrying only that identification;
- drops document information and every other XMP packet (also on pages, images and fonts),
  comments and all other annotations, form fields, scripts and actions, embedded and associated
  files, thumbnails and application data (``/PieceInfo``), and earlier revisions (qpdf writes
  only the objects reachable from the new catalogue, as one revision);
- is linearised ("fast web view"), so ``#page=N`` opens quickly on a large file, and byte-identical
  for the same input (the file identifier is derived from the content, not from the clock).

What this drops is reported by ``structure.py`` as "fixed in the copy"; keep both in step.
"""

from __future__ import annotations

import io
import re

import pikepdf
from pikepdf import Array, Dictionary, Name

# Catalogue entries the copy keeps; everything else (OpenAction, AA, AcroForm, Names other than
# Dests, PieceInfo, Threads, AF, Collection, Perms, Legal, SpiderInfo, URI, ...) is dropped.
CATALOG_KEYS = {
    "/Type", "/Pages", "/StructTreeRoot", "/MarkInfo", "/Lang", "/Outlines", "/PageLabels", "/OCProperties",
    "/Dests", "/ViewerPreferences", "/PageLayout", "/PageMode", "/OutputIntents", "/Version", "/Extensions",
}
# Page and page-tree entries the copy keeps (Thumb, PieceInfo, Metadata, AA, LastModified, B, ID,
# PZ, SeparationInfo, AF, ... are dropped).
PAGE_KEYS = {
    "/Type", "/Parent", "/Kids", "/Count", "/Resources", "/MediaBox", "/CropBox", "/BleedBox", "/TrimBox",
    "/ArtBox", "/Rotate", "/Contents", "/Annots", "/Group", "/StructParents", "/Tabs", "/UserUnit",
}
# A kept link keeps what draws it, where it goes and its accessible description (/Contents).
LINK_KEYS = {
    "/Type", "/Subtype", "/Rect", "/Contents", "/P", "/F", "/AP", "/AS", "/Border", "/BS", "/C", "/A", "/Dest",
    "/H", "/QuadPoints", "/StructParent", "/OC",
}
OUTLINE_KEYS = {"/Title", "/Parent", "/Prev", "/Next", "/First", "/Last", "/Count", "/Dest", "/A", "/SE", "/C", "/F", "/Type"}
# Keys that carry metadata or attachments wherever they occur.
STRIPPED_EVERYWHERE = ("/Metadata", "/PieceInfo", "/LastModified", "/AF")
MAX_DEPTH = 200

PDFAID_NS = "http://www.aiim.org/pdfa/ns/id/"


class CopyError(ValueError):
    """The copy cannot be written (qpdf could not read or write the file)."""


def published_copy(data: bytes) -> bytes:
    """The bytes of the published copy of ``data`` (see the module documentation)."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            identification = pdfa_identification(pdf)
            _clean(pdf)
            if identification:
                stream = pdf.make_stream(minimal_xmp(*identification))
                stream[Name.Type] = Name.Metadata
                stream[Name.Subtype] = Name.XML
                pdf.Root[Name.Metadata] = stream
            out = io.BytesIO()
            pdf.save(out, linearize=True, deterministic_id=True, fix_metadata_version=False,
                     compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
            return out.getvalue()
    except (pikepdf.PdfError, RecursionError, RuntimeError) as exc:  # qpdf's own errors arrive as these
        raise CopyError(str(exc)[:200]) from exc


# -- PDF/A identification ----------------------------------------------------------------------
def pdfa_identification(pdf: pikepdf.Pdf) -> tuple[str, str, str] | None:
    """(part, conformance, rev) when the source's XMP claims PDF/A, else None. Only well-formed values
    are carried over: a part is a digit, a conformance a letter, a revision a year."""
    metadata = pdf.Root.get(Name.Metadata)
    if not isinstance(metadata, pikepdf.Stream):
        return None
    try:
        xmp = metadata.read_bytes()
    except pikepdf.PdfError:
        return None
    values = {}
    for key in ("part", "conformance", "rev"):
        attribute = re.search(rb"pdfaid:" + key.encode() + rb"\s*=\s*[\"']([^\"'<]{1,10})[\"']", xmp)
        element = re.search(rb"<pdfaid:" + key.encode() + rb">\s*([^<]{1,10}?)\s*</pdfaid:" + key.encode() + rb">", xmp)
        found = attribute or element
        values[key] = found.group(1).decode("ascii", "replace").strip() if found else ""
    if not re.fullmatch(r"[1-9]", values["part"]):
        return None
    conformance = values["conformance"].upper() if re.fullmatch(r"[A-Za-z]", values["conformance"]) else ""
    rev = values["rev"] if re.fullmatch(r"\d{4}", values["rev"]) else ""
    return values["part"], conformance, rev


def minimal_xmp(part: str, conformance: str, rev: str = "") -> bytes:
    """An XMP packet with the PDF/A identification and nothing else."""
    fields = f"<pdfaid:part>{part}</pdfaid:part>"
    if conformance:
        fields += f"<pdfaid:conformance>{conformance}</pdfaid:conformance>"
    if rev:
        fields += f"<pdfaid:rev>{rev}</pdfaid:rev>"
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'  <rdf:Description rdf:about="" xmlns:pdfaid="{PDFAID_NS}">{fields}</rdf:Description>\n'
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode("utf-8")


# -- cleaning ----------------------------------------------------------------------------------
def _clean(pdf: pikepdf.Pdf) -> None:
    trailer = pdf.trailer
    for key in list(trailer.keys()):
        if key not in ("/Root", "/Size"):  # /Info and the old /ID go; qpdf writes a new, content-derived /ID
            del trailer[key]
    root = pdf.Root
    names = root.get(Name.Names)
    for key in list(root.keys()):
        if key not in CATALOG_KEYS:
            del root[key]
    _keep_named_destinations(pdf, root, names)
    kept_links: set[tuple[int, int]] = set()
    _clean_page_tree(root.get(Name.Pages), kept_links, set(), 0)
    _clean_outlines(root.get(Name.Outlines))
    _clean_structure(root.get(Name.StructTreeRoot), kept_links)
    _clean_layers(root.get(Name.OCProperties))
    for obj in pdf.objects:  # every object, reachable or not: what qpdf writes is then clean
        if isinstance(obj, (Dictionary, pikepdf.Stream)):
            for key in STRIPPED_EVERYWHERE:
                if key in obj:
                    del obj[key]


def _keep_named_destinations(pdf: pikepdf.Pdf, root, names) -> None:
    """Of the names dictionary only the destinations stay (no scripts, no embedded files)."""
    dests = names.get(Name.Dests) if isinstance(names, Dictionary) else None
    if dests is not None:
        root[Name.Names] = pdf.make_indirect(Dictionary(Dests=dests))


def _key(obj) -> tuple[int, int] | None:
    return obj.objgen if obj.is_indirect else None


def _clean_page_tree(node, kept_links: set, seen: set, depth: int) -> None:
    if not isinstance(node, Dictionary) or depth > MAX_DEPTH:
        return
    if node.is_indirect:
        if node.objgen in seen:
            return
        seen.add(node.objgen)
    for key in list(node.keys()):
        if key not in PAGE_KEYS:
            del node[key]
    kids = node.get(Name.Kids)
    if isinstance(kids, Array):
        for kid in kids:
            _clean_page_tree(kid, kept_links, seen, depth + 1)
    annots = node.get(Name.Annots)
    if annots is None:
        return
    kept = Array()
    for annot in annots if isinstance(annots, Array) else []:
        if isinstance(annot, Dictionary) and _keep_link(annot):
            kept.append(annot)
            if annot.is_indirect:
                kept_links.add(annot.objgen)
    if len(kept):
        node[Name.Annots] = kept
    else:
        del node[Name.Annots]


def _safe_action(action) -> Dictionary | None:
    """A go-to within the document or a web address; any other action (scripts, launching,
    submitting, going to another file) is not kept. ``javascript:`` addresses are scripts too."""
    if not isinstance(action, Dictionary):
        return None
    kind = action.get(Name.S)
    if kind == Name.GoTo and Name.D in action:
        return Dictionary(S=Name.GoTo, D=action[Name.D])
    if kind == Name.URI and isinstance(action.get(Name.URI), pikepdf.String):
        uri = bytes(action[Name.URI])
        if re.match(rb"\s*(https?|mailto):", uri, re.IGNORECASE):
            return Dictionary(S=Name.URI, URI=action[Name.URI])
    return None


def _keep_link(annot: Dictionary) -> bool:
    if annot.get(Name.Subtype) != Name.Link:
        return False
    action = annot.get(Name.A)
    if action is not None:
        safe = _safe_action(action)
        if safe is None:
            return False
        annot[Name.A] = safe
    elif Name.Dest not in annot:
        return False
    for key in list(annot.keys()):
        if key not in LINK_KEYS:
            del annot[key]
    return True


def _clean_outlines(outlines) -> None:
    """Bookmarks keep their title, place and structure; actions other than go-to and web links go."""
    if not isinstance(outlines, Dictionary):
        return
    seen: set = set()
    todo = [(outlines.get(Name.First), 0)]
    while todo:
        item, depth = todo.pop()
        while isinstance(item, Dictionary) and depth < MAX_DEPTH and len(seen) < 100_000:
            key = _key(item)
            if key is not None:
                if key in seen:
                    break
                seen.add(key)
            for k in list(item.keys()):
                if k not in OUTLINE_KEYS:
                    del item[k]
            if Name.A in item:
                safe = _safe_action(item[Name.A])
                if safe is None:
                    del item[Name.A]
                else:
                    item[Name.A] = safe
            todo.append((item.get(Name.First), depth + 1))
            item = item.get(Name.Next)


def _is_annotation(obj) -> bool:
    return isinstance(obj, Dictionary) and (obj.get(Name.Type) == Name.Annot or (
        Name.Subtype in obj and Name.Rect in obj and obj.get(Name.Type) is None))


def _clean_structure(tree, kept_links: set) -> None:
    """Object references in the tag structure to annotations that are not kept (comments, form
    fields) are removed, or they would ride along in the copy through the structure tree."""
    if not isinstance(tree, Dictionary):
        return
    seen: set = set()
    todo = [(tree, 0)]
    while todo:
        elem, depth = todo.pop()
        if depth > MAX_DEPTH or len(seen) > 1_000_000:
            continue
        key = _key(elem)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        kids = elem.get(Name.K)
        if kids is None:
            continue
        if isinstance(kids, Array):
            keep = Array()
            for kid in kids:
                if _dropped_reference(kid, kept_links):
                    continue
                keep.append(kid)
                if isinstance(kid, Dictionary):
                    todo.append((kid, depth + 1))
            if len(keep) != len(kids):
                elem[Name.K] = keep
        elif isinstance(kids, Dictionary):
            if _dropped_reference(kids, kept_links):
                del elem[Name.K]
            else:
                todo.append((kids, depth + 1))


def _dropped_reference(kid, kept_links: set) -> bool:
    if not isinstance(kid, Dictionary) or kid.get(Name.Type) != Name.OBJR:
        return False
    target = kid.get(Name.Obj)
    if not _is_annotation(target):
        return False
    return _key(target) not in kept_links


def _clean_layers(properties) -> None:
    """Layers stay exactly as configured (what is off stays off); only who made them goes."""
    if not isinstance(properties, Dictionary):
        return
    groups = properties.get(Name.OCGs)
    for group in groups if isinstance(groups, Array) else []:
        usage = group.get(Name.Usage) if isinstance(group, Dictionary) else None
        if isinstance(usage, Dictionary) and Name.CreatorInfo in usage:
            del usage[Name.CreatorInfo]
