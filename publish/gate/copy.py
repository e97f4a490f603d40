"""The published copy of an approved PDF: what the public downloads.

Written with pikepdf (qpdf), from the approved bytes, never changing the original. The copy

- keeps what makes the document accessible and navigable: the tag structure (``/StructTreeRoot``,
  ``/MarkInfo``, role and class maps), the document language, bookmarks, page labels, named
  destinations, optional-content layers exactly as configured (a hidden layer never becomes
  visible), and links to web addresses or to places in the document with their description;
- keeps, when the source claims PDF/A, a minimal XMP packet carrying only that identification;
- keeps of every object only the keys the PDF specification defines for its type and a viewer or
  screen reader needs (allow-lists below: catalogue, pages, resources, fonts, images, forms, tags,
  viewer preferences, marked-content information, output intents, layers); custom keys go at every
  level, also text and streams hung under a kept entry;
- keeps of each page's (and form's) resources only what its content uses: a form, image, font or
  file that is never drawn is not in the copy; content streams holding a ``%`` are written again
  from their parsed operators, so comments go and the drawing stays the same (the gate judges the copy);
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

from .timing import stage

# Catalogue entries the copy keeps; everything else (OpenAction, AA, AcroForm, Names other than
# Dests, PieceInfo, Threads, AF, Collection, Perms, Legal, SpiderInfo, URI, ...) is dropped.
CATALOG_KEYS = {
    "/Type",
    "/Pages",
    "/StructTreeRoot",
    "/MarkInfo",
    "/Lang",
    "/Outlines",
    "/PageLabels",
    "/OCProperties",
    "/Dests",
    "/ViewerPreferences",
    "/PageLayout",
    "/PageMode",
    "/OutputIntents",
    "/Version",
    "/Extensions",
}
# Page and page-tree entries the copy keeps (Thumb, PieceInfo, Metadata, AA, LastModified, B, ID,
# PZ, SeparationInfo, AF, ... are dropped).
PAGE_KEYS = {
    "/Type",
    "/Parent",
    "/Kids",
    "/Count",
    "/Resources",
    "/MediaBox",
    "/CropBox",
    "/BleedBox",
    "/TrimBox",
    "/ArtBox",
    "/Rotate",
    "/Contents",
    "/Annots",
    "/Group",
    "/StructParents",
    "/Tabs",
    "/UserUnit",
}
# A kept link keeps what draws it, where it goes and its accessible description (/Contents).
LINK_KEYS = {
    "/Type",
    "/Subtype",
    "/Rect",
    "/Contents",
    "/P",
    "/F",
    "/AP",
    "/AS",
    "/Border",
    "/BS",
    "/C",
    "/A",
    "/Dest",
    "/H",
    "/QuadPoints",
    "/StructParent",
    "/OC",
}
OUTLINE_KEYS = {"/Title", "/Parent", "/Prev", "/Next", "/First", "/Last", "/Count", "/Dest", "/A", "/SE", "/C", "/F", "/Type"}
# Allow-lists for what the catalogue entries hold: keys a viewer or a screen reader needs, as the PDF
# specification defines them for each object type; anything else (custom keys, text, streams) goes.
VIEWER_PREFERENCE_KEYS = {
    "/HideToolbar",
    "/HideMenubar",
    "/HideWindowUI",
    "/FitWindow",
    "/CenterWindow",
    "/DisplayDocTitle",
    "/NonFullScreenPageMode",
    "/Direction",
    "/ViewArea",
    "/ViewClip",
    "/PrintArea",
    "/PrintClip",
    "/PrintScaling",
    "/Duplex",
    "/PickTrayByPDFSize",
    "/PrintPageRange",
    "/NumCopies",
}
MARK_INFO_KEYS = {"/Marked", "/Suspects", "/UserProperties"}
OUTPUT_INTENT_KEYS = {"/Type", "/S", "/OutputConditionIdentifier", "/RegistryName", "/DestOutputProfile"}
ICC_KEYS = {"/N", "/Alternate", "/Range", "/Length", "/Filter", "/DecodeParms"}
OC_PROPERTIES_KEYS = {"/OCGs", "/D"}
OC_CONFIG_KEYS = {"/ON", "/OFF", "/Order", "/BaseState", "/RBGroups", "/Locked", "/ListMode", "/Intent", "/AS"}
OCG_KEYS = {"/Type", "/Name", "/Intent", "/Usage"}
OC_USAGE_KEYS = {"/View", "/Print", "/Export", "/Zoom"}
STRUCT_TREE_KEYS = {"/Type", "/K", "/ParentTree", "/ParentTreeNextKey", "/RoleMap"}
# /T (title) and /E (expansion) are text that screen readers read: kept, and checked for personal data
# like /Alt and /ActualText (unseen.py). /A keeps only table and list attributes that carry no text.
STRUCT_ELEM_KEYS = {"/Type", "/S", "/P", "/K", "/Pg", "/Alt", "/ActualText", "/Lang", "/E", "/T", "/A"}
STRUCT_ATTRIBUTE_KEYS = {"/O", "/Scope", "/RowSpan", "/ColSpan", "/ListNumbering", "/Placement", "/WritingMode"}
MARKED_REF_KEYS = {"/Type", "/Pg", "/Stm", "/StmOwn", "/MCID", "/Obj"}
TREE_NODE_KEYS = {"/Kids", "/Nums", "/Names", "/Limits"}
RESOURCE_KEYS = {"/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/XObject", "/Font", "/ProcSet", "/Properties"}
FONT_KEYS = {
    "/Type",
    "/Subtype",
    "/BaseFont",
    "/FirstChar",
    "/LastChar",
    "/Widths",
    "/FontDescriptor",
    "/Encoding",
    "/ToUnicode",
    "/DescendantFonts",
    "/CIDSystemInfo",
    "/DW",
    "/W",
    "/DW2",
    "/W2",
    "/CIDToGIDMap",
    "/FontBBox",
    "/FontMatrix",
    "/CharProcs",
    "/Resources",
    "/Name",
}
FONT_DESCRIPTOR_KEYS = {
    "/Type",
    "/FontName",
    "/FontFamily",
    "/FontStretch",
    "/FontWeight",
    "/Flags",
    "/FontBBox",
    "/ItalicAngle",
    "/Ascent",
    "/Descent",
    "/Leading",
    "/CapHeight",
    "/XHeight",
    "/StemV",
    "/StemH",
    "/AvgWidth",
    "/MaxWidth",
    "/MissingWidth",
    "/FontFile",
    "/FontFile2",
    "/FontFile3",
    "/CharSet",
    "/Style",
    "/Lang",
    "/FD",
    "/CIDSet",
}
EXT_G_STATE_KEYS = {
    "/Type",
    "/LW",
    "/LC",
    "/LJ",
    "/ML",
    "/D",
    "/RI",
    "/OP",
    "/op",
    "/OPM",
    "/Font",
    "/BG",
    "/BG2",
    "/UCR",
    "/UCR2",
    "/TR",
    "/TR2",
    "/HT",
    "/FL",
    "/SM",
    "/SA",
    "/BM",
    "/SMask",
    "/CA",
    "/ca",
    "/AIS",
    "/TK",
    "/UseBlackPtComp",
}
FORM_KEYS = {
    "/Type",
    "/Subtype",
    "/FormType",
    "/BBox",
    "/Matrix",
    "/Resources",
    "/Group",
    "/Ref",
    "/StructParent",
    "/StructParents",
    "/OC",
    "/Length",
    "/Filter",
    "/DecodeParms",
    "/Name",
}
IMAGE_KEYS = {
    "/Type",
    "/Subtype",
    "/Width",
    "/Height",
    "/ColorSpace",
    "/BitsPerComponent",
    "/Intent",
    "/ImageMask",
    "/Mask",
    "/Decode",
    "/Interpolate",
    "/Alternates",
    "/SMask",
    "/SMaskInData",
    "/StructParent",
    "/OC",
    "/Length",
    "/Filter",
    "/DecodeParms",
    "/Name",
    "/Matte",
}
# Content operators and the resource category their (first) name operand refers to.
USES = {
    "Tf": "/Font",
    "Do": "/XObject",
    "gs": "/ExtGState",
    "sh": "/Shading",
    "cs": "/ColorSpace",
    "CS": "/ColorSpace",
    "BDC": "/Properties",
    "DP": "/Properties",
    "scn": "/Pattern",
    "SCN": "/Pattern",
}
# Keys that carry metadata or attachments wherever they occur.
STRIPPED_EVERYWHERE = ("/Metadata", "/PieceInfo", "/LastModified", "/AF")
MAX_DEPTH = 200

PDFAID_NS = "http://www.aiim.org/pdfa/ns/id/"


class CopyError(ValueError):
    """The copy cannot be written (qpdf could not read or write the file)."""


def published_copy(data: bytes, flattened: list[int] | None = None) -> bytes:
    """The bytes of the published copy of ``data`` (see the module documentation).

    ``flattened`` receives the (1-based) pages that show text squeezed to nothing (horizontal scaling
    or font size 0, a flat text matrix): PDFium neither draws nor extracts it, other readers do."""
    try:
        with stage("kopie openen"):
            pdf = pikepdf.open(io.BytesIO(data))
        with pdf:
            identification = pdfa_identification(pdf)
            with stage("kopie opschonen"):
                _clean(pdf, flattened)
            if identification:
                stream = pdf.make_stream(minimal_xmp(*identification))
                stream[Name.Type] = Name.Metadata
                stream[Name.Subtype] = Name.XML
                pdf.Root[Name.Metadata] = stream
            out = io.BytesIO()
            with stage("kopie schrijven"):
                pdf.save(
                    out,
                    linearize=True,
                    deterministic_id=True,
                    fix_metadata_version=False,
                    compress_streams=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.preserve,
                )
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
def _clean(pdf: pikepdf.Pdf, flattened: list[int] | None = None) -> None:
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
    _clean_catalog_entries(root)
    kept_links: set[tuple[int, int]] = set()
    _clean_page_tree(root.get(Name.Pages), kept_links, set(), 0)
    forms = _Seen()
    for number, page in enumerate(pdf.pages, start=1):
        forms.page = number
        _clean_page_content(pdf, page.obj, forms)
    if flattened is not None:
        flattened += sorted(forms.flattened)
    _clean_outlines(root.get(Name.Outlines))
    tree = root.get(Name.StructTreeRoot)
    if isinstance(tree, Dictionary) and not tree.is_indirect:
        root[Name.StructTreeRoot] = pdf.make_indirect(tree)
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
        _clean_tree(dests, lambda value: _only(value, {"/D"}))
    old = root.get(Name.Dests)
    for value in old.values() if isinstance(old, Dictionary) else []:
        _only(value, {"/D"})
    _only(root.get(Name.Outlines), {"/Type", "/First", "/Last", "/Count"})
    _clean_tree(root.get(Name.PageLabels), lambda label: _only(label, {"/Type", "/S", "/P", "/St"}))


def _clean_tree(tree, clean_value) -> None:
    """A name or number tree keeps its structure keys; each value is cleaned by ``clean_value``."""
    todo, seen = [(tree, 0)], set[tuple[int, int]]()
    while todo and len(seen) < 1_000_000:
        node, depth = todo.pop()
        if not isinstance(node, Dictionary) or depth > MAX_DEPTH or (node.is_indirect and node.objgen in seen):
            continue
        if node.is_indirect:
            seen.add(node.objgen)
        _only(node, TREE_NODE_KEYS)
        for key in ("/Names", "/Nums"):
            entries = node.get(key)
            if isinstance(entries, Array):
                for i in range(1, len(entries), 2):
                    if isinstance(entries[i], Dictionary):
                        clean_value(entries[i])
        kids = node.get(Name.Kids)
        todo += [(kid, depth + 1) for kid in (kids if isinstance(kids, Array) else [])]


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
        inherited = node.get(Name.Resources)
        if Name.Resources in node:  # handed down to each page, which keeps only what it uses
            del node[Name.Resources]
        for kid in kids:
            if isinstance(kid, Dictionary) and inherited is not None and Name.Resources not in kid:
                kid[Name.Resources] = inherited
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
    return isinstance(obj, Dictionary) and (
        obj.get(Name.Type) == Name.Annot or (Name.Subtype in obj and Name.Rect in obj and obj.get(Name.Type) is None)
    )


def _clean_structure(tree, kept_links: set) -> None:
    """Object references in the tag structure to annotations that are not kept (comments, form
    fields) are removed, or they would ride along in the copy through the structure tree."""
    if not isinstance(tree, Dictionary):
        return
    seen: set = set()
    todo: list[tuple] = [(tree, 0, None)]
    while todo:
        elem, depth, parent = todo.pop()
        if depth > MAX_DEPTH or len(seen) > 1_000_000:
            continue
        key = _key(elem)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        if depth == 0:
            _clean_tree_root(elem)
        elif elem.get(Name.Type) in (Name.MCR, Name.OBJR):
            _only(elem, MARKED_REF_KEYS)
            continue
        else:
            _clean_element(elem)
            if parent is not None and not (isinstance(elem.get(Name.P), Dictionary) and elem.get(Name.P).is_indirect):
                elem[Name.P] = parent  # a parent written out in place could carry anything: the real one
        kids = elem.get(Name.K)
        if kids is None:
            continue
        here = elem if elem.is_indirect else parent
        if isinstance(kids, Array):
            keep = Array([kid for kid in kids if not _dropped_reference(kid, kept_links)])
            if len(keep) != len(kids):
                elem[Name.K] = keep
            for kid in elem[Name.K]:
                if isinstance(kid, Dictionary):
                    todo.append((kid, depth + 1, here))
        elif isinstance(kids, Dictionary):
            if _dropped_reference(kids, kept_links):
                del elem[Name.K]
            else:
                todo.append((elem[Name.K], depth + 1, here))


def _dropped_reference(kid, kept_links: set) -> bool:
    if not isinstance(kid, Dictionary) or kid.get(Name.Type) != Name.OBJR:
        return False
    target = kid.get(Name.Obj)
    if not _is_annotation(target):
        return False
    return _key(target) not in kept_links


def _clean_layers(properties) -> None:
    """Layers stay exactly as configured in the default configuration (what is off stays off; a
    layer that is off refuses the package anyway, see structure.py); who made them, alternative
    configurations (/Configs) and any other key go."""
    if not isinstance(properties, Dictionary):
        return
    _only(properties, OC_PROPERTIES_KEYS)
    _only(properties.get(Name.D), OC_CONFIG_KEYS)
    groups = properties.get(Name.OCGs)
    for group in groups if isinstance(groups, Array) else []:
        if not isinstance(group, Dictionary):
            continue
        _only(group, OCG_KEYS)
        usage = group.get(Name.Usage)
        _only(usage, OC_USAGE_KEYS)
        for entry in usage.values() if isinstance(usage, Dictionary) else []:
            if isinstance(entry, Dictionary):
                for k in list(entry.keys()):
                    if not _plain(entry[k]):
                        del entry[k]


def _clean_tree_root(tree) -> None:
    _only(tree, STRUCT_TREE_KEYS)
    roles = tree.get(Name.RoleMap)
    if isinstance(roles, Dictionary):
        tree[Name.RoleMap] = Dictionary({k: v for k, v in roles.items() if isinstance(v, Name)})
    elif roles is not None:
        del tree[Name.RoleMap]
    parents = tree.get(Name.ParentTree)
    todo, seen = [(parents, 0)], set[int]()
    while todo and len(seen) < 1_000_000:
        node, depth = todo.pop()
        if not isinstance(node, Dictionary) or depth > MAX_DEPTH or id(node) in seen:
            continue
        seen.add(id(node))
        _only(node, TREE_NODE_KEYS)
        kids = node.get(Name.Kids)
        todo += [(kid, depth + 1) for kid in (kids if isinstance(kids, Array) else [])]


def _clean_element(elem) -> None:
    """A structure element keeps its role, place, page, language and the texts a screen reader reads
    (checked for personal data in unseen.py); attributes only those of tables and lists without text."""
    _only(elem, STRUCT_ELEM_KEYS)
    attributes = elem.get(Name.A)
    if attributes is None:
        return
    kept = Array()
    for attribute in attributes if isinstance(attributes, Array) else [attributes]:
        if isinstance(attribute, Dictionary) and attribute.get(Name.O) in (Name.Table, Name.List, Name.Layout):
            clean = Dictionary({k: v for k, v in attribute.items() if k in STRUCT_ATTRIBUTE_KEYS and _plain(v)})
            if len(clean) > 1:
                kept.append(clean)
    if len(kept):
        elem[Name.A] = kept
    else:
        del elem[Name.A]


# -- allow-lists -------------------------------------------------------------------------------
def _only(obj, keys) -> None:
    """Drop every key of a dictionary or stream dictionary that is not in ``keys``."""
    if isinstance(obj, (Dictionary, pikepdf.Stream)):
        for key in list(obj.keys()):
            if key not in keys:
                del obj[key]


def _plain(value) -> bool:
    """A value that carries no text or data: a name, number, boolean, or a short array of those."""
    if isinstance(value, Array):
        return len(value) <= 64 and all(_plain(v) for v in value)
    return not isinstance(value, (pikepdf.String, Dictionary, pikepdf.Stream))


def _clean_catalog_entries(root) -> None:
    """Viewer preferences, marked-content information and output intents keep only what the
    specification defines for them, without text; the ICC profile of an output intent stays."""
    prefs = root.get(Name.ViewerPreferences)
    if prefs is not None:
        kept = (
            Dictionary({k: v for k, v in prefs.items() if k in VIEWER_PREFERENCE_KEYS and _plain(v)})
            if isinstance(prefs, Dictionary)
            else Dictionary()
        )
        root[Name.ViewerPreferences] = kept
    info = root.get(Name.MarkInfo)
    if info is not None:
        kept = (
            Dictionary({k: v for k, v in info.items() if k in MARK_INFO_KEYS and isinstance(v, bool)})
            if isinstance(info, Dictionary)
            else Dictionary()
        )
        root[Name.MarkInfo] = kept
    intents = root.get(Name.OutputIntents)
    if intents is not None:
        kept_intents = Array()
        for intent in intents if isinstance(intents, Array) else []:
            if not isinstance(intent, Dictionary):
                continue
            clean = Dictionary(
                {
                    k: v
                    for k, v in intent.items()
                    if k in OUTPUT_INTENT_KEYS
                    and k != "/DestOutputProfile"
                    and (k == "/OutputConditionIdentifier" or k == "/RegistryName" or _plain(v))
                }
            )
            profile = intent.get(Name.DestOutputProfile)
            if isinstance(profile, pikepdf.Stream):
                _only(profile, ICC_KEYS)
                clean[Name.DestOutputProfile] = profile
            kept_intents.append(clean)
        root[Name.OutputIntents] = kept_intents


# -- page content and resources ----------------------------------------------------------------
MAX_FORMS = 100_000


def _clean_page_content(pdf: pikepdf.Pdf, page, forms: set) -> None:
    """The page's content without comments, its resources only what the content uses."""
    streams = page.get(Name.Contents)
    parts = streams if isinstance(streams, Array) else [streams] if streams is not None else []
    parts = [part for part in parts if isinstance(part, pikepdf.Stream)]
    try:
        data = b"\n".join(part.read_bytes() for part in parts)
        used, flat, rewritten = _read(pikepdf.Page(page), data) if parts else ({}, False, None)
    except pikepdf.PdfError as exc:
        raise CopyError(f"de inhoud van een pagina is onleesbaar ({str(exc)[:120]})") from exc
    if rewritten is not None:
        page[Name.Contents] = pdf.make_stream(rewritten)
    page[Name.Resources] = _used_resources(pdf, page.get(Name.Resources), used, flat, forms, 0)
    annots = page.get(Name.Annots)
    for annot in annots if isinstance(annots, Array) else []:
        appearance = annot.get(Name.AP) if isinstance(annot, Dictionary) else None
        for state in appearance.values() if isinstance(appearance, Dictionary) else []:
            for form in [state] if isinstance(state, pikepdf.Stream) else state.values() if isinstance(state, Dictionary) else []:
                if isinstance(form, pikepdf.Stream):
                    _clean_form(pdf, form, forms, 0)


class _Seen(set):
    """Objects already cleaned, and the pages with text squeezed to nothing."""

    page = 0

    def __init__(self):
        super().__init__()
        self.flattened: set[int] = set()


_SHOWS = {"Tj", "TJ", "'", '"'}
# Operators that name a resource, set the text scaling, size or matrix, or draw an inline image: what
# ``_read`` asks qpdf to parse (most operators of a page are none of these).
_NAMED = " ".join([*USES, "Tz", "Tf", "Tm", "BI", "ID", "EI"])


def _read(target, data: bytes) -> tuple[dict[str, set], bool, bytes | None]:
    """What a content stream (a page's, its parts joined, or a form's) needs: the resource names it
    uses per category, whether it shows text squeezed to nothing (``_flattened_text``) and, when it
    may hold a comment (``data`` has a ``%``), its content written again from the parsed operators,
    which hold none.

    qpdf parses only the ``_NAMED`` operators, which is several times faster than handing every
    operator to Python. The whole stream is parsed (and judged exactly as ``_flattened_text`` says)
    when it may hold a comment, or when one of those operators can squeeze text (``_may_flatten``):
    without one, no text can be squeezed, whatever is shown."""
    if b"%" in data:
        operations = pikepdf.parse_content_stream(target)
        return _used_names(operations), _flattened_text(operations), pikepdf.unparse_content_stream(operations)
    used, may_flatten = _scan(pikepdf.parse_content_stream(target, _NAMED))
    flat = may_flatten and _flattened_text(pikepdf.parse_content_stream(target))
    return used, flat, None


def _scan(operations) -> tuple[dict[str, set], bool]:
    """``(_used_names(operations), _may_flatten(operations))`` in one pass, reading each operator's
    operands once (the costliest step in Python)."""
    used: dict[str, set] = {}
    squeezes = False
    for instruction in operations:
        operator = instruction.operator
        op = str(operator)
        category = USES.get(op)
        if category is None and op not in ("Tz", "Tm"):
            if isinstance(operator, pikepdf.PdfInlineImage) or op == "INLINE IMAGE":
                used.setdefault("inline", set()).add(True)
            continue
        operands = instruction.operands
        if category is not None:
            if op in ("scn", "SCN"):
                name = operands[-1] if len(operands) else None
            elif op in ("BDC", "DP"):
                name = operands[1] if len(operands) > 1 else None
            else:
                name = operands[0] if len(operands) else None
            if isinstance(name, Name):
                used.setdefault(category, set()).add(str(name))
        if not squeezes and op in ("Tz", "Tf", "Tm"):
            squeezes = _squeezes(op, operands)
    return used, squeezes


def _squeezes(op: str, operands) -> bool:
    """Does this ``Tz``, ``Tf`` or ``Tm`` set a squeezed state (see ``_may_flatten``)?"""
    try:
        if op == "Tz" and len(operands) and abs(float(operands[0])) < 1:
            return True
        if op == "Tf" and len(operands) > 1 and float(operands[1]) == 0:
            return True
        if op == "Tm" and len(operands) == 6:
            a, b, c, d = (float(v) for v in operands[:4])
            if not abs(a * d - b * c) > 1e-9:
                return True
    except (TypeError, ValueError):
        pass
    return False


def _may_flatten(operations) -> bool:
    """Does any operator set a state in which ``_flattened_text`` calls shown text squeezed: horizontal
    scaling under 1, font size 0 or a flat text matrix? The state starts unsqueezed, and only these
    operators change it (``q``/``Q`` restore earlier states, ``BT`` resets the matrix)."""
    for instruction in operations:
        op = str(instruction.operator)
        if op in ("Tz", "Tf", "Tm") and _squeezes(op, instruction.operands):
            return True
    return False


def _flattened_text(operations) -> bool:
    """Text shown while the horizontal scaling or font size is zero, or the text matrix is flat."""
    flat = False
    state: list[tuple[float, float, bool]] = []
    scale, size, matrix = 100.0, 1.0, True
    for instruction in operations:  # attributes, not tuple unpacking: unpacking is ten times slower
        op = str(instruction.operator)
        operands = instruction.operands
        try:
            if op == "Tz" and len(operands):
                scale = float(operands[0])
            elif op == "Tf" and len(operands) > 1:
                size = float(operands[1])
            elif op == "Tm" and len(operands) == 6:
                a, b, c, d = (float(v) for v in operands[:4])
                matrix = abs(a * d - b * c) > 1e-9
            elif op == "BT":
                matrix = True
            elif op == "q":
                state.append((scale, size, matrix))
            elif op == "Q" and state:
                scale, size, matrix = state.pop()
            elif op in _SHOWS and (abs(scale) < 1 or size == 0 or not matrix):
                flat = True
        except (TypeError, ValueError):
            continue
    return flat


def _used_names(operations) -> dict[str, set]:
    used: dict[str, set] = {}
    for instruction in operations:
        operator = instruction.operator
        category = USES.get(str(operator))
        if category is None:
            if isinstance(operator, pikepdf.PdfInlineImage) or str(operator) == "INLINE IMAGE":
                used.setdefault("inline", set()).add(True)
            continue
        operands = instruction.operands
        if str(operator) in ("scn", "SCN"):
            name = operands[-1] if len(operands) else None
        elif str(operator) in ("BDC", "DP"):
            name = operands[1] if len(operands) > 1 else None
        else:
            name = operands[0] if len(operands) else None
        if isinstance(name, Name):
            used.setdefault(category, set()).add(str(name))
    return used


def _used_resources(pdf: pikepdf.Pdf, resources, used: dict[str, set], flat: bool, forms: set, depth: int) -> Dictionary:
    """A new resource dictionary holding only the entries the content uses (``used``, by ``_read``;
    the old one may be shared with other pages), fonts, images and forms cleaned, forms recursively.
    ``flat``: the content shows text squeezed to nothing."""
    if isinstance(forms, _Seen) and flat:
        forms.flattened.add(forms.page)
    kept = Dictionary()
    if not isinstance(resources, Dictionary):
        return kept
    for category in RESOURCE_KEYS:
        entries = resources.get(category)
        if entries is None:
            continue
        if category == "/ProcSet":
            if _plain(entries):
                kept[Name.ProcSet] = entries
            continue
        if not isinstance(entries, Dictionary):
            continue
        wanted = used.get(category, set())
        if category == "/ColorSpace" and "inline" in used:
            wanted = set(entries.keys())  # an inline image names its colour space in its own header
        chosen = Dictionary({k: v for k, v in entries.items() if k in wanted})
        if not len(chosen):
            continue
        for value in chosen.values():
            _clean_resource(pdf, category, value, forms, depth)
        kept[Name(category)] = chosen
    return kept


def _clean_resource(pdf: pikepdf.Pdf, category: str, value, forms: set, depth: int) -> None:
    if category == "/Font" and isinstance(value, Dictionary):
        _clean_font(pdf, value, forms, depth)
    elif category == "/XObject" and isinstance(value, pikepdf.Stream):
        if value.get(Name.Subtype) == Name.Form:
            _clean_form(pdf, value, forms, depth + 1)
        else:
            _only(value, IMAGE_KEYS)
            mask = value.get(Name.SMask)
            if isinstance(mask, pikepdf.Stream):
                _only(mask, IMAGE_KEYS)
    elif category == "/ExtGState" and isinstance(value, Dictionary):
        _only(value, EXT_G_STATE_KEYS)
        mask = value.get(Name.SMask)
        group = mask.get(Name.G) if isinstance(mask, Dictionary) else None
        if isinstance(group, pikepdf.Stream):
            _clean_form(pdf, group, forms, depth + 1)
    elif category == "/Pattern" and isinstance(value, pikepdf.Stream):  # a tiling pattern draws like a form
        _clean_form(pdf, value, forms, depth + 1, keys=None)


def _clean_form(pdf: pikepdf.Pdf, form, forms: set, depth: int, keys=FORM_KEYS) -> None:
    key = _key(form)
    if key is not None:
        if key in forms:
            return
        forms.add(key)
    if depth > MAX_DEPTH or len(forms) > MAX_FORMS:
        raise CopyError("te diep geneste of te veel vormobjecten (Form XObjects)")
    if keys is not None:
        _only(form, keys)
    try:
        used, flat, rewritten = _read(form, form.read_bytes())
    except pikepdf.PdfError as exc:
        raise CopyError(f"de inhoud van een vormobject is onleesbaar ({str(exc)[:120]})") from exc
    if rewritten is not None:
        form.write(rewritten)
    form[Name.Resources] = _used_resources(pdf, form.get(Name.Resources), used, flat, forms, depth)


def _clean_font(pdf: pikepdf.Pdf, font, forms: set, depth: int) -> None:
    key = _key(font)
    if key is not None:
        if key in forms:
            return
        forms.add(key)
    _only(font, FONT_KEYS)
    _only(font.get(Name.FontDescriptor), FONT_DESCRIPTOR_KEYS)
    descendants = font.get(Name.DescendantFonts)
    for descendant in descendants if isinstance(descendants, Array) else []:
        if isinstance(descendant, Dictionary):
            _only(descendant, FONT_KEYS)
            _only(descendant.get(Name.FontDescriptor), FONT_DESCRIPTOR_KEYS)
    procs = font.get(Name.CharProcs)
    if font.get(Name.Subtype) == Name.Type3 and isinstance(procs, Dictionary):
        operations = []
        for proc in procs.values():
            if not isinstance(proc, pikepdf.Stream):
                continue
            try:
                data = proc.read_bytes()
                ops = pikepdf.parse_content_stream(proc)
            except pikepdf.PdfError as exc:
                raise CopyError(f"een tekenprocedure van een lettertype is onleesbaar ({str(exc)[:120]})") from exc
            if b"%" in data:
                proc.write(pikepdf.unparse_content_stream(ops))
            operations += ops
        # all procedures as one stream, as before (the text state carries over): rare, and parsed whole
        resources = _used_resources(
            pdf, font.get(Name.Resources), _used_names(operations), _flattened_text(operations), forms, depth + 1
        )
        font[Name.Resources] = resources
    elif Name.Resources in font:
        del font[Name.Resources]
