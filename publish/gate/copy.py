"""The published copy of an approved PDF: what the public downloads.

Written with pikepdf (qpdf), from the approved bytes, never changing the original. The copy

- keeps what makes the document accessible and navigable: the tag structure (``/StructTreeRoot``,
  ``/MarkInfo``; a structure type of the document's own becomes the standard type its role map leads
  to), the document language, bookmarks, page labels (without prefixes), named destinations,
  optional-content layers exactly as configured (a hidden layer never becomes visible), and links to
  web addresses or to places in the document with their description;
- gives neutral names to what only machines read (fonts, named destinations, marked-content tags,
  colorants) and keeps of each font only the /ToUnicode entries, /Differences names and Type 3 glyphs
  of the codes the pages show (``shown.py``);
- keeps, when the source claims PDF/A, a minimal XMP packet carrying only that identification;
- keeps of every object only the keys the PDF specification defines for its type and a viewer or
  screen reader needs (allow-lists below: catalogue, pages, resources, fonts, images, forms, tags,
  viewer preferences, marked-content information, output intents, layers); custom keys go at every
  level, also text and streams hung under a kept entry;
- keeps, where the specification lists the names a key may take, only those names (``CATALOG_NAMES`` and
  the tables beside it); keeps of an embedded font program or ICC profile only what its own tables cover,
  and of a marked-content property list in the content only the entries marked content takes;
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

import hashlib
import io
import re
import zlib
from decimal import Decimal

import pikepdf
from pikepdf import Array, Dictionary, Name

from ..symbolfonts import SYMBOL_FONT_NAMES
from . import shown
from .personal_data import KINDS as PERSONAL_KINDS
from .personal_data import PersonalData, find_personal_data
from .timing import stage
from .unseen import font_texts, is_language_tag, readable_name
from .xref import layout_problem

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
VIEWER_PREFERENCE_FLAGS = {
    "/HideToolbar", "/HideMenubar", "/HideWindowUI", "/FitWindow", "/CenterWindow", "/DisplayDocTitle", "/PickTrayByPDFSize",
}  # fmt: skip
OUTPUT_INTENT_SUBTYPES = {"/GTS_PDFX", "/GTS_PDFA1", "/ISO_PDFE1"}
MARK_INFO_KEYS = {"/Marked", "/Suspects", "/UserProperties"}
OUTPUT_INTENT_KEYS = {"/Type", "/S", "/OutputConditionIdentifier", "/RegistryName", "/DestOutputProfile"}
ICC_KEYS = {"/N", "/Alternate", "/Range", "/Length", "/Filter", "/DecodeParms"}
OC_PROPERTIES_KEYS = {"/OCGs", "/D"}
OC_CONFIG_KEYS = {"/ON", "/OFF", "/Order", "/BaseState", "/RBGroups", "/Locked", "/ListMode", "/Intent", "/AS"}
OCG_KEYS = {"/Type", "/Name", "/Intent", "/Usage"}
OC_USAGE_KEYS = {"/View", "/Print", "/Export", "/Zoom"}
STRUCT_TREE_KEYS = {"/Type", "/K", "/ParentTree", "/ParentTreeNextKey", "/RoleMap"}
# /E (expansion) is text that screen readers read: kept, and checked like /Alt and /ActualText (unseen.py,
# tagtexts.py). /T (a title for authoring tools, which no screen reader reads and no viewer shows) goes
# (round 8). /A keeps only table and list attributes that carry no text.
STRUCT_ELEM_KEYS = {"/Type", "/S", "/P", "/K", "/Pg", "/Alt", "/ActualText", "/Lang", "/E", "/A"}
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
# -- allow-lists below the top level -----------------------------------------------------------
# Every object kept under a resource (and a kept link) is cleaned by kind, at every level: a key not in
# its kind's table goes. The value of a key says what it may hold:
#   None      a plain value (name, number, boolean, or arrays of those, at any depth); anything else goes
#   "text"    a string or a plain value (font family names, CID registries, layer names, ...)
#   "keep"    left as it is: cleaned elsewhere (pages, forms' resources, Type 3 procedures, link targets)
#   a kind    a dictionary or stream cleaned by that kind's table, or an array of them (and plain values)
# "*" stands for any key (a map whose keys are names the specification leaves free, e.g. glyph names).
# Special kinds (``_clean_kind``): "colorspace" (a name or a family array), "form" and "font" (the
# content-aware cleaning of ``_clean_form`` and ``_clean_font``), "function" (a Type 4 PostScript
# function's ``%`` comments are removed), "properties" (a marked-content property list).
# Keys outside the tables are never read by a viewer drawing the page, so dropping them changes nothing
# drawn; what the tables cannot judge (a colour space of unknown family, a function of unknown type)
# refuses the copy (``CopyError``) instead of being dropped.
STREAM_KEYS: dict[str, str | None] = {"/Length": None, "/Filter": None, "/DecodeParms": "decode_parms", "/DL": None}


def _kind(*plain: str, **children: str | None) -> dict[str, str | None]:
    table: dict[str, str | None] = dict.fromkeys(plain)
    table.update({"/" + k if k != "any" else "*": v for k, v in children.items()})
    return table


KINDS: dict[str, dict[str, str | None]] = {
    "data": dict(STREAM_KEYS),  # a stream of data only: lookup tables, JBIG2 globals, CID sets, glyph procedures
    "decode_parms": _kind(
        *("/Predictor", "/Colors", "/BitsPerComponent", "/Columns", "/EarlyChange", "/K", "/EndOfLine"),
        *("/EncodedByteAlign", "/Rows", "/EndOfBlock", "/BlackIs1", "/DamagedRowsBeforeError", "/ColorTransform"),
        JBIG2Globals="data",
    ),
    "font": {
        **dict.fromkeys(FONT_KEYS),
        "/FontDescriptor": "font_descriptor",
        "/Encoding": "encoding",
        "/ToUnicode": "encoding",
        "/DescendantFonts": "font",
        "/CIDSystemInfo": "cid_system_info",
        "/CIDToGIDMap": "data",
        "/CharProcs": "char_procs",
        "/Resources": "keep",  # a Type 3 font's: rebuilt by _clean_font from what its procedures use
    },
    "char_procs": _kind(any="data"),
    "font_descriptor": {
        **dict.fromkeys(FONT_DESCRIPTOR_KEYS),
        "/FontName": None,
        "/FontFamily": "text",
        "/FontFile": "font_file",
        "/FontFile2": "font_file",
        "/FontFile3": "font_file",
        "/CIDSet": "data",
        "/Style": "font_style",
        "/FD": "font_descriptors",
    },
    "font_file": {**STREAM_KEYS, **_kind("/Length1", "/Length2", "/Length3", "/Subtype")},
    "font_style": _kind(Panose="text"),
    "font_descriptors": _kind(any="font_descriptor"),
    # a simple font's /Encoding dictionary, a composite font's CMap stream, a /ToUnicode CMap stream
    "encoding": {
        **STREAM_KEYS,
        **_kind("/Type", "/BaseEncoding", "/Differences", "/WMode"),
        "/CIDSystemInfo": "cid_system_info",
        "/UseCMap": "encoding",
    },
    "cid_system_info": _kind("/Supplement", Registry="text", Ordering="text"),
    "function": {
        **STREAM_KEYS,
        **_kind("/FunctionType", "/Domain", "/Range", "/Size", "/BitsPerSample", "/Order", "/Encode", "/Decode"),
        **_kind("/C0", "/C1", "/N", "/Bounds"),
        "/Functions": "function",
    },
    "shading": {
        **STREAM_KEYS,
        **_kind("/ShadingType", "/Background", "/BBox", "/AntiAlias", "/Coords", "/Domain", "/Matrix", "/Extend"),
        **_kind("/BitsPerCoordinate", "/BitsPerComponent", "/BitsPerFlag", "/Decode", "/VerticesPerRow"),
        "/ColorSpace": "colorspace",
        "/Function": "function",
    },
    "pattern": _kind("/Type", "/PatternType", "/Matrix", Shading="shading", ExtGState="ext_g_state"),
    "ext_g_state": {
        **dict.fromkeys(EXT_G_STATE_KEYS),
        "/Font": "font",
        "/TR": "function",
        "/TR2": "function",
        "/BG": "function",
        "/BG2": "function",
        "/UCR": "function",
        "/UCR2": "function",
        "/HT": "halftone",
        "/SMask": "soft_mask",
    },
    # type 5 halftones name their colorants as keys: those go (halftones only matter when printing), as does
    # /HalftoneName (a name for a printer's own screen); a font descriptor's /CharSet (the glyph names of a
    # subset, for search tools) and a CMap stream's /CMapName key (the CMap program names itself) go the same way:
    # names no viewer draws by (round 9, A15/A16)
    "halftone": {
        **STREAM_KEYS,
        **_kind("/Type", "/HalftoneType", "/Frequency", "/Angle", "/AccurateScreens", "/Width", "/Height"),
        **_kind("/Width2", "/Height2", "/Xsquare", "/Ysquare"),
        "/SpotFunction": "function",
        "/TransferFunction": "function",
    },
    "soft_mask": _kind("/Type", "/S", "/BC", G="form", TR="function"),
    "group": _kind("/Type", "/S", "/I", "/K", CS="colorspace"),
    # /Alternates goes: a viewer may show an alternate image instead, which the gate does not judge
    "image": {
        **dict.fromkeys(IMAGE_KEYS - {"/Alternates"}),
        **STREAM_KEYS,
        "/ColorSpace": "colorspace",
        "/SMask": "image",
        "/Mask": "image",
        "/OC": "optional_content",
    },
    "icc": {**STREAM_KEYS, **_kind("/N", "/Range", Alternate="colorspace")},
    "calibrated": _kind("/WhitePoint", "/BlackPoint", "/Gamma", "/Matrix", "/Range"),
    # DeviceN attributes: /Colorants (separations named by colorant) and /Process; /MixingHints goes
    "devicen": _kind("/Subtype", Colorants="colorants", Process="devicen_process"),
    "colorants": _kind(any="colorspace"),
    "devicen_process": _kind("/Components", ColorSpace="colorspace"),
    # a layer (OCG) or a layer condition (OCMD), as named by /OC; usage entries keep their plain keys
    "optional_content": _kind(
        "/Type", "/Intent", "/P", Name="text", Usage="layer_usage", OCGs="optional_content", VE="optional_content"
    ),
    "layer_usage": _kind(**{k[1:]: "layer_usage_entry" for k in OC_USAGE_KEYS}),
    "layer_usage_entry": _kind(any=None),
    # a marked-content property list other than a layer: its identifier and the texts a screen reader
    # reads instead (the same keys an inline property list in the content may carry, judged there too)
    "marked_content": _kind("/MCID", "/Lang", ActualText="text", Alt="text", E="text"),
    # a kept link's border style and appearance states (the appearance forms are cleaned with the page)
    "border_style": _kind("/Type", "/W", "/S", "/D"),
    "appearance": _kind(N="keep", R="keep", D="keep"),
}
FUNCTION_TYPES = (0, 2, 3, 4)
COLOUR_SPACE_FAMILIES = {
    "/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/CalGray", "/CalRGB", "/Lab", "/ICCBased", "/Indexed", "/Pattern",
    "/Separation", "/DeviceN", "/G", "/RGB", "/CMYK", "/I",
}  # fmt: skip
TILING_PATTERN_KEYS = {"/Type", "/PatternType", "/PaintType", "/TilingType", "/BBox", "/XStep", "/YStep", "/Resources", "/Matrix"}
TILING_PATTERN_KEYS |= set(STREAM_KEYS)
KINDS["form"] = {
    **dict.fromkeys(FORM_KEYS - {"/Ref"}),  # a reference XObject points into another file: it goes
    **STREAM_KEYS,
    "/Resources": "keep",
    "/Group": "group",
    "/OC": "optional_content",
}
KINDS["tiling_pattern"] = {**dict.fromkeys(TILING_PATTERN_KEYS), **STREAM_KEYS, "/Resources": "keep"}
# -- names the specification enumerates ---------------------------------------------------------
# A name is a value like any other: kept where it is free (a role, a font or resource name, a glyph name),
# it is checked for personal data as the copy's strings are (unseen.py ``kept_strings``, and content
# names here, ``_check_content_names``). Where ISO 32000 lists the names a key may take, the copy keeps
# only those. Another name goes with its key when it only steers the viewer's window, navigation or
# printing (viewers ignore a name they do not know, so nothing drawn changes); it refuses the copy when
# it decides what is drawn or which layers show (``_REFUSE``: the gate would judge what it cannot know).
_MODES = ("/UseNone", "/UseOutlines", "/UseThumbs", "/UseOC")
_BOXES = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")
CATALOG_NAMES = {
    "/PageMode": {*_MODES, "/FullScreen", "/UseAttachments"},
    "/PageLayout": {"/SinglePage", "/OneColumn", "/TwoColumnLeft", "/TwoColumnRight", "/TwoPageLeft", "/TwoPageRight"},
    "/Version": {"/1.0", "/1.1", "/1.2", "/1.3", "/1.4", "/1.5", "/1.6", "/1.7", "/2.0"},
    "/Type": {"/Catalog"},
}
VIEWER_PREFERENCE_NAMES = {
    "/NonFullScreenPageMode": set(_MODES),
    "/Direction": {"/L2R", "/R2L"},
    "/ViewArea": set(_BOXES),
    "/ViewClip": set(_BOXES),
    "/PrintArea": set(_BOXES),
    "/PrintClip": set(_BOXES),
    "/PrintScaling": {"/None", "/AppDefault"},
    "/Duplex": {"/Simplex", "/DuplexFlipShortEdge", "/DuplexFlipLongEdge"},
}
PAGE_NAMES = {"/Tabs": {"/R", "/C", "/S", "/A", "/W"}}  # (a page's /Type is how qpdf finds it: left, its name checked)
PAGE_LABEL_NAMES = {"/S": {"/D", "/R", "/r", "/A", "/a"}, "/Type": {"/PageLabel"}}
LINK_NAMES = {"/H": {"/N", "/I", "/O", "/P"}, "/Type": {"/Annot"}}
FIT_TYPES = {"/XYZ", "/Fit", "/FitH", "/FitV", "/FitR", "/FitB", "/FitBH", "/FitBV"}
MAX_FIT_OPERANDS = 4  # /FitR takes four numbers; viewers ignore numbers beyond what a fit type takes
STRUCT_ATTRIBUTE_NAMES = {
    "/Scope": {"/Row", "/Column", "/Both"},
    "/ListNumbering": {
        "/None", "/Disc", "/Circle", "/Square", "/Decimal", "/UpperRoman", "/LowerRoman", "/UpperAlpha", "/LowerAlpha",
        "/Unordered", "/Ordered", "/Description",
    },
    "/Placement": {"/Block", "/Inline", "/Before", "/Start", "/End"},
    "/WritingMode": {"/LrTb", "/RlTb", "/TbRl", "/TbLr", "/LrBt", "/RlBt", "/BtRl", "/BtLr"},
}  # fmt: skip
_INTENTS = {"/View", "/Design"}
_STATES = {"/ON", "/OFF"}
OC_CONFIG_NAMES = {"/BaseState": {"/ON", "/OFF", "/Unchanged"}, "/ListMode": {"/AllPages", "/VisiblePages"}}
_REFUSE = "refuse"
_RENDERING_INTENTS = {"/AbsoluteColorimetric", "/RelativeColorimetric", "/Saturation", "/Perceptual"}
_BLEND_MODES = {
    "/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken", "/Lighten", "/ColorDodge", "/ColorBurn",
    "/HardLight", "/SoftLight", "/Difference", "/Exclusion", "/Hue", "/Saturation", "/Color", "/Luminosity",
}  # fmt: skip
# (kind, key) of the KINDS tables: the allowed names and whether another one refuses (what it decides, in Dutch)
KIND_NAMES: dict[tuple[str, str], tuple[set[str], str | None]] = {
    ("border_style", "/S"): ({"/S", "/D", "/B", "/I", "/U"}, None),
    ("border_style", "/Type"): ({"/Border"}, None),
    ("optional_content", "/Intent"): (_INTENTS, "de bedoeling (/Intent) van een laag"),
    ("optional_content", "/P"): ({"/AllOn", "/AnyOn", "/AnyOff", "/AllOff"}, "de zichtbaarheidsregel (/P) van een laag"),
    ("optional_content", "/Type"): ({"/OCG", "/OCMD"}, "de soort van een laag"),
    ("layer_usage_entry", "/ViewState"): (_STATES, "de weergavestand van een laag"),
    ("layer_usage_entry", "/PrintState"): (_STATES, "de afdrukstand van een laag"),
    ("layer_usage_entry", "/ExportState"): (_STATES, "de exportstand van een laag"),
    ("layer_usage_entry", "/Subtype"): ({"/Trapping", "/PrintersMarks", "/Watermark"}, None),
    ("font", "/Subtype"): (
        {"/Type0", "/Type1", "/MMType1", "/Type3", "/TrueType", "/CIDFontType0", "/CIDFontType2"},
        "de soort van een lettertype",
    ),
    ("font_file", "/Subtype"): ({"/Type1C", "/CIDFontType0C", "/OpenType"}, "de soort van een ingesloten lettertype"),
    ("font_descriptor", "/FontStretch"): (
        {
            "/UltraCondensed",
            "/ExtraCondensed",
            "/Condensed",
            "/SemiCondensed",
            "/Normal",
            "/SemiExpanded",
            "/Expanded",
            "/ExtraExpanded",
            "/UltraExpanded",
        },
        None,
    ),
    ("ext_g_state", "/BM"): (_BLEND_MODES, "de mengmodus (/BM) van een grafische toestand"),
    ("ext_g_state", "/RI"): (_RENDERING_INTENTS, None),
    ("image", "/Intent"): (_RENDERING_INTENTS, None),
    ("soft_mask", "/S"): ({"/Alpha", "/Luminosity"}, "de soort van een masker"),
    ("group", "/S"): ({"/Transparency"}, "de soort van een transparantiegroep"),
}

_KIND_NAMES: dict[str, dict[str, tuple[set[str], str | None]]] = {
    kind: {key: rule for (of, key), rule in KIND_NAMES.items() if of == kind} for kind, _ in KIND_NAMES
}


def _names_in(value) -> list | None:
    """The names of ``value``: a name, or an array of names; None for anything else."""
    if isinstance(value, Name):
        return [value]
    if isinstance(value, Array) and len(value) <= 64 and all(isinstance(item, Name) for item in value):
        return list(value)
    return None


def _enum(obj, key: str, allowed: set[str], refuse: str | None = None) -> None:
    """``obj[key]`` only when it is one of the names ``allowed`` (or an array of them); another value goes
    with its key, or, when it decides what is drawn (``refuse`` names what it decides), refuses the copy."""
    if not isinstance(obj, (Dictionary, pikepdf.Stream)) or key not in obj:
        return
    names = _names_in(obj[key])
    if names is not None and all(str(name) in allowed for name in names):
        return
    if refuse is None:
        if not any(_personal(str(name)) for name in names or []):
            del obj[key]  # (a name with personal data stays, so the copy's check refuses it with its finding)
        return
    unknown = next((name for name in names or [] if str(name) not in allowed), obj[key])
    raise CopyError(
        f"{refuse} heeft een waarde die de pdf-specificatie niet kent ({_shown_name(unknown)}); "
        "wat er getekend wordt of welke lagen zichtbaar zijn, is dan niet te beoordelen"
    )


def _shown_name(value) -> str:
    """A value in a message to staff: a name decoded and cut short, with digits masked (it could be personal data)."""
    text = str(value)[1:] if isinstance(value, Name) else type(value).__name__
    return re.sub(r"\d", "*", text[:40])


def _enums(obj, table: dict[str, set[str]]) -> None:
    for key, allowed in table.items():
        _enum(obj, key, allowed)


_PERSONAL_NAMES: dict[str, PersonalData | None] = {}


def _personal(name: str) -> PersonalData | None:
    """Personal data in a name (``/Pietersen#200612345678``), read as a person reads it (``readable_name``)."""
    if name not in _PERSONAL_NAMES:
        if len(_PERSONAL_NAMES) > 100_000:
            _PERSONAL_NAMES.clear()
        found = find_personal_data(readable_name(name[1:] if name.startswith("/") else name), 0)
        _PERSONAL_NAMES[name] = found[0] if found else None
    return _PERSONAL_NAMES[name]


def _destination(value) -> bool:
    """A destination a viewer can go to: a name or string (a named destination, checked for personal data as
    the copy's strings are), or an array of a page (or page number), a fit type and its numbers (or null)."""
    if isinstance(value, (Name, pikepdf.String)):
        return True
    if not isinstance(value, Array) or len(value) < 2 or not isinstance(value[1], Name) or str(value[1]) not in FIT_TYPES:
        return False
    page = value[0]
    if not (isinstance(page, Dictionary) or _number(page)):
        return False
    rest = list(value)[2:]
    return len(rest) <= MAX_FIT_OPERANDS and all(_number(item) or item is None for item in rest)


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
# Operators whose first operand is a name that refers to no resource: a marked-content tag, a rendering intent.
TAGS = ("BMC", "BDC", "MP", "DP", "ri")
MARKING = ("BMC", "BDC", "MP", "DP")
# The standard structure types (ISO 32000-1 14.8.4, ISO 32000-2 14.8.4) without the headings H1, H2, ...
# (``_HEADING``): the names a tag structure's /S and a marked-content tag may keep.
STRUCTURE_TYPES = frozenset(
    "/" + name
    for name in """Document DocumentFragment Part Art Sect Div Aside BlockQuote Caption TOC TOCI Index NonStruct Private
    P H Title FENote Sub L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Em
    Strong Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form Artifact""".split()
)
_HEADING = re.compile(r"/H[1-9][0-9]?")
# Marked-content tags are names no viewer shows, yet free: a tool may write ``/Vermeulen BMC`` (round 9, A15/A16).
# A tag keeps its name when it is a standard structure type or has a meaning of its own (an artifact, a layer, text
# written right to left, a form field's text); any other becomes ``/Span`` (its property list, with the /MCID that
# links it to the tag structure, stays). PDFium reads no meaning into other tags.
MARKED_CONTENT_TAGS = STRUCTURE_TYPES | {"/OC", "/ReversedChars", "/Tx"}
NEUTRAL_TAG = Name("/Span")
DEFAULT_INTENT = Name("/RelativeColorimetric")


def _known_tag(name: str) -> bool:
    return name in MARKED_CONTENT_TAGS or _HEADING.fullmatch(name) is not None


def _neutral_tag_operands(op: str, operands: list) -> list:
    """The operands of a marking operator with an unknown tag renamed ``/Span``, of ``ri`` with an unknown intent
    renamed ``/RelativeColorimetric`` (what viewers use for a name they do not know, ISO 32000-1 8.6.5.8); other
    operands as they are."""
    if not operands or not isinstance(operands[0], Name):
        return operands
    if op in MARKING and not _known_tag(str(operands[0])):
        return [NEUTRAL_TAG, *operands[1:]]
    if op == "ri" and str(operands[0]) not in _RENDERING_INTENTS:
        return [DEFAULT_INTENT, *operands[1:]]
    return operands


def _neutral_tags(operations) -> list | None:
    """``operations`` with unknown marked-content tags and rendering intents renamed (``_neutral_tag_operands``);
    None when there is none."""
    kept, renamed = [], False
    for i in operations:
        op = str(i.operator)
        operands = list(i.operands) if op in TAGS else None
        neutral = _neutral_tag_operands(op, operands) if operands is not None else None
        if neutral is not None and neutral is not operands:
            kept.append(pikepdf.ContentStreamInstruction(neutral, i.operator))
            renamed = True
        else:
            kept.append(i)
    return kept if renamed else None


# A marked-content property list written in the content (``/Span <<...>> BDC``) keeps only the keys ISO 32000
# gives marked content (14.6, 14.7, 14.8.2.2 artifacts, 14.9): its identifier, language, the texts a screen
# reader reads instead (checked for personal data in unseen.py) and what an artifact is. A layer (/OC) is
# always named in the resources, never written in the content.
MARKED_CONTENT_ENTRIES: dict[str, str | set[str]] = {
    "/MCID": "number",
    "/Lang": "language",
    "/ActualText": "text",
    "/Alt": "text",
    "/E": "text",
    "/Type": {"/Pagination", "/Layout", "/Page", "/Background"},
    "/Subtype": {"/Header", "/Footer", "/Watermark", "/PageNum", "/Bates", "/LineNum", "/Redaction"},
    "/BBox": "box",
    "/Attached": {"/Top", "/Bottom", "/Left", "/Right"},
}
# Keys that carry metadata or attachments wherever they occur.
STRIPPED_EVERYWHERE = ("/Metadata", "/PieceInfo", "/LastModified", "/AF")
MAX_DEPTH = 200
# Tag structure deeper than this refuses: the checks (``unseen.py``) read every text the copy keeps down
# to this depth (real documents nest tags a few dozen levels at most).
MAX_STRUCTURE_DEPTH = 100

PDFAID_NS = "http://www.aiim.org/pdfa/ns/id/"


class CopyError(ValueError):
    """The copy cannot be written (qpdf could not read or write the file)."""


AMBIGUOUS = "pdf.dubbelzinnig"


class AmbiguousPdf(CopyError):
    """The file does not read as one document: PDF readers (PDFium, the reviewer's viewer; qpdf, which writes the
    copy; pypdf) may show different content (``xref.layout_problem``, ``_same_reading``, ``core._same_pages``)."""

    code = AMBIGUOUS


AMBIGUOUS_FIX = (
    "Sla het bestand opnieuw op als pdf (bijvoorbeeld met 'Opslaan als pdf' of 'Afdrukken naar pdf'), controleer "
    "de lakkingen in het nieuwe bestand en lever het opnieuw aan."
)


def ambiguous_message(detail: str) -> str:
    """The refusal of a PDF that reads differently in different readers (``pdf.dubbelzinnig``)."""
    return (
        "het pdf-bestand is beschadigd of dubbelzinnig opgebouwd: verschillende pdf-lezers tonen verschillende "
        f"inhoud ({detail}). Wat de beoordelaar in de pdf-lezer zag, is dan niet zeker wat gepubliceerd wordt."
    )


def published_copy(data: bytes, flattened: list[int] | None = None, reader=None) -> bytes:
    """The bytes of the published copy of ``data`` (see the module documentation).

    ``flattened`` receives the (1-based) pages that show text squeezed to nothing (horizontal scaling
    or font size 0, a flat text matrix): PDFium neither draws nor extracts it, other readers do.
    ``reader``: the pypdf reader the gate's other checks use; the copy is refused when qpdf had to
    repair the file or reads other objects than pypdf and PDFium (``_same_reading``)."""
    with stage("kopie openen"):
        problem = layout_problem(data)
    if problem:
        raise AmbiguousPdf(problem)
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
            _same_reading(pdf, data, reader)
            return out.getvalue()
    except (pikepdf.PdfError, RecursionError, RuntimeError) as exc:  # qpdf's own errors arrive as these
        raise CopyError(f"de pdf-bibliotheek kon het bestand niet verwerken ({type(exc).__name__})") from exc


DAMAGED = (
    "de verwijzingstabel (xref) of 'startxref' klopt niet en moest worden hersteld, of de pdf-programma's lezen "
    "niet dezelfde objecten of hetzelfde aantal pagina's"
)
_REPAIRS = ("file is damaged", "reconstruct")  # qpdf rebuilt the cross-reference table


def _same_reading(pdf: pikepdf.Pdf, data: bytes, reader) -> None:
    """Refuse a file that does not read as one document: qpdf (which writes the copy) had to repair its
    cross-reference table, or qpdf and pypdf (the structure, tag and annotation checks) use other objects or
    pages (PDFium, the reviewer's viewer, is compared page by page with the copy in ``core._same_pages``). A damaged final ``startxref`` after an appended
    revision makes qpdf rebuild the table from the last definitions while pypdf and PDFium read the
    earlier revision: the copy would publish a revision nobody judged. Run after the copy is written:
    qpdf repairs lazily, when it first meets a wrong offset."""
    if any(word in warning.lower() for warning in pdf.get_warnings() for word in _REPAIRS):
        raise AmbiguousPdf(DAMAGED)
    if reader is None:
        return
    ours: dict = {}
    for (num, gen), entry in pdf.get_xref_table().items():
        if entry.type == 1:
            ours[(num, gen)] = entry.offset
        elif entry.type == 2:
            ours[num] = (entry.obj_stream_number, entry.obj_stream_index)
    theirs: dict = {(num, gen): offset for gen, table in reader.xref.items() for num, offset in table.items()}
    theirs.update({num: tuple(where) for num, where in reader.xref_objStm.items()})
    if ours != theirs or len(reader.pages) != len(pdf.pages):
        raise AmbiguousPdf(DAMAGED)


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
    _enums(root, CATALOG_NAMES)
    _keep_named_destinations(pdf, root, names)
    _clean_catalog_entries(root)
    kept_links: set[tuple[int, int]] = set()
    _clean_page_tree(root.get(Name.Pages), kept_links, set(), 0)
    originals = {page.obj.objgen: _content_keys(page.obj) for page in pdf.pages}
    for number, page in enumerate(pdf.pages, start=1):  # before cleaning: that drops overprint from shared states
        _judge_overprint(page.obj, number)
    forms = _Seen()
    for number, page in enumerate(pdf.pages, start=1):
        forms.page = number
        try:
            _judge_page_boxes(page)
            _clean_page_content(pdf, page.obj, forms)
        except CopyError as exc:
            raise CopyError(f"{exc} (pagina {number})") from exc
    if flattened is not None:
        flattened += sorted(forms.flattened)
    _clean_outlines(root.get(Name.Outlines))
    tree = root.get(Name.StructTreeRoot)
    if isinstance(tree, Dictionary) and not tree.is_indirect:
        root[Name.StructTreeRoot] = pdf.make_indirect(tree)
    _clean_structure(root.get(Name.StructTreeRoot), _page_parts(pdf, originals))
    _clean_layers(root.get(Name.OCProperties))
    try:
        shown.prune(pdf, _used_names)  # of every font only what the pages show (before its map is written again)
    except shown.Unprunable as exc:
        raise CopyError(str(exc)) from exc
    _neutral_colorants(pdf)
    _neutral_font_names(pdf)
    _neutral_destination_names(root, pdf)
    for obj in pdf.objects:  # every object, reachable or not: what qpdf writes is then clean
        if isinstance(obj, (Dictionary, pikepdf.Stream)):
            for key in STRIPPED_EVERYWHERE:
                if key in obj:
                    del obj[key]


# PDF 1.7 Annex C: a page is at least 3 and at most 14,400 user units on a side, and real numbers stay within
# +-32,767. MuPDF reads a box number beyond 32 bits modulo 2^32 (a crop box of 2^32 + 792 crops at 792, where
# PDFium, poppler and Ghostscript clip it to the media box: round 5, bx02), so a box out of these bounds refuses.
MIN_PAGE_SIDE, MAX_PAGE_SIDE, MAX_BOX_NUMBER = 3.0, 14_400.0, 32_767.0
_PRINT_BOXES = (Name.BleedBox, Name.TrimBox, Name.ArtBox)


def _inherited(node, key):
    """A page's entry, or the nearest page-tree node's above it (/MediaBox, /CropBox, /Rotate are inherited)."""
    for _ in range(MAX_DEPTH + 1):
        if not isinstance(node, Dictionary):
            return None
        if key in node:
            return node.get(key)
        node = node.get(Name.Parent)
    return None


def _page_box(value, name: str) -> list[float]:
    """A page box as [left, bottom, right, top] (corners in any order, as the specification allows); one that is
    not four numbers, or has a number out of bounds, refuses the copy."""
    what = f"de afmeting van de pagina ({name})"
    if not isinstance(value, Array) or len(value) != 4 or not all(_number(v) for v in value):
        raise CopyError(f"{what} is geen rij van vier getallen: pdf-lezers tonen de pagina verschillend")
    numbers = [float(v) for v in value]
    if not all(abs(n) <= MAX_BOX_NUMBER for n in numbers):  # also NaN and infinity
        raise CopyError(
            f"{what} heeft een getal buiten het bereik van een pdf (meer dan {int(MAX_BOX_NUMBER)}): "
            "pdf-lezers tonen de pagina verschillend (de een snijdt tekst weg die de ander toont)"
        )
    x0, y0, x1, y1 = numbers
    return [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]


def _judge_page_boxes(page: pikepdf.Page) -> None:
    """A page that viewers show at different sizes is refused: a ``/UserUnit`` other than 1 (Acrobat
    scales the page by it, PDFium and most viewers do not), a page box that is not four numbers within
    the bounds of PDF 1.7 Annex C, a media box smaller than 3 or larger than 14,400 units, a crop box without
    area inside the media box (Ghostscript then shows nothing, the others the whole media box), a rotation
    that is not a multiple of 90 degrees (MuPDF turns the page, PDFium and poppler do not).
    A crop, bleed, trim or art box reaching beyond the media box is clipped to it in the copy, as the
    specification says viewers do (ISO 32000-1, 14.11.2)."""
    obj = page.obj
    unit = obj.get("/UserUnit")
    if unit is not None and not (isinstance(unit, (int, Decimal)) and not isinstance(unit, bool) and unit == 1):
        raise CopyError("de pagina heeft een afwijkende maateenheid (/UserUnit): pdf-lezers tonen haar op verschillende groottes")
    rotate = _inherited(obj, Name.Rotate)
    if rotate is not None and not (_number(rotate) and abs(float(rotate)) <= 3600 and float(rotate) % 90 == 0):
        raise CopyError(
            f"de draaiing van de pagina (/Rotate {str(rotate)[:20]}) is geen veelvoud van 90 graden: "
            "pdf-lezers tonen de pagina verschillend"
        )
    media_value = _inherited(obj, Name.MediaBox)
    if media_value is None:
        raise CopyError("de afmeting van de pagina (/MediaBox) ontbreekt: pdf-lezers kiezen elk hun eigen formaat")
    media = _page_box(media_value, "/MediaBox")
    sides = (media[2] - media[0], media[3] - media[1])
    if not all(MIN_PAGE_SIDE <= side <= MAX_PAGE_SIDE for side in sides):
        raise CopyError(
            f"de pagina is {sides[0]:.0f} bij {sides[1]:.0f} punten (/MediaBox); een pdf-pagina is minstens "
            f"{MIN_PAGE_SIDE:.0f} en hoogstens {MAX_PAGE_SIDE:.0f} punten: pdf-lezers tonen haar verschillend"
        )
    crop_value = _inherited(obj, Name.CropBox)
    for key, value in [(Name.CropBox, crop_value), *((k, obj.get(k)) for k in _PRINT_BOXES)]:
        if value is None:
            continue
        box = _page_box(value, str(key))
        clipped = [max(box[0], media[0]), max(box[1], media[1]), min(box[2], media[2]), min(box[3], media[3])]
        if clipped[0] >= clipped[2] or clipped[1] >= clipped[3]:
            if key != Name.CropBox:  # a print box only steers printing: without area it goes, as if never given
                del obj[key]
                continue
            raise CopyError("de zichtbare afmeting van de pagina (/CropBox) is leeg: pdf-lezers tonen de pagina verschillend")
        if clipped != box:
            obj[key] = Array([Decimal(repr(v)) if v != int(v) else int(v) for v in clipped])


def _keep_named_destinations(pdf: pikepdf.Pdf, root, names) -> None:
    """Of the names dictionary only the destinations stay (no scripts, no embedded files)."""
    dests = names.get(Name.Dests) if isinstance(names, Dictionary) else None
    if dests is not None:
        root[Name.Names] = pdf.make_indirect(Dictionary(Dests=dests))
        _clean_tree(dests, _named_destination, "de boom van benoemde bestemmingen (/Dests)")
    old = root.get(Name.Dests)
    for key, value in list(old.items()) if isinstance(old, Dictionary) else []:
        if not _named_destination(value):
            del old[key]
    _only(root.get(Name.Outlines), {"/Type", "/First", "/Last", "/Count"})
    _clean_page_labels(root)


def _named_destination(value) -> bool:
    """A named destination's value: a destination, or a dictionary holding one under /D (nothing else)."""
    if isinstance(value, Dictionary):
        _only(value, {"/D"})
        value = value.get(Name.D)
    return isinstance(value, Array) and _destination(value)


def _page_label(label) -> bool:
    """A page label keeps its numbering style and first number; its prefix (``/P``, free text a viewer shows in
    its page box, round 9 A15/A16) goes."""
    if isinstance(label, Dictionary):
        _only(label, {"/Type", "/S", "/St"})
        _enums(label, PAGE_LABEL_NAMES)
    return True


def _clean_page_labels(root) -> None:
    """Page labels without prefixes (``_page_label``), a first number only as a number. A range left without a
    numbering style would be labelled with nothing, and a tree holding anything else than page numbers and label
    dictionaries (a string where a number or label belongs) is no page-label tree: then the labels go altogether
    (viewers number the pages 1, 2, 3, ...)."""
    labels = root.get(Name.PageLabels)
    if labels is None:
        return
    try:
        _clean_tree(labels, _page_label)
    except TreeTooDeep:  # nested beyond what is read: the labels go (viewers number the pages 1, 2, 3, ...)
        del root[Name.PageLabels]
        return

    def whole(value) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    ok = isinstance(labels, Dictionary)
    for node in _tree_nodes(labels) if ok else []:
        entries, limits, kids = node.get(Name.Nums), node.get(Name.Limits), node.get(Name.Kids)
        entries = list(entries) if isinstance(entries, Array) else [] if entries is None else [None]
        for label in entries[1::2]:
            if isinstance(label, Dictionary) and Name("/St") in label and not whole(label.get("/St")):
                del label["/St"]
        ok = (
            len(entries) % 2 == 0
            and all(whole(number) for number in entries[0::2])
            and all(isinstance(label, Dictionary) and Name.S in label for label in entries[1::2])
            and (limits is None or (isinstance(limits, Array) and all(whole(v) for v in limits)))
            and (kids is None or (isinstance(kids, Array) and all(isinstance(kid, Dictionary) for kid in kids)))
        )
        if not ok:
            break
    if not ok:
        del root[Name.PageLabels]


def _clean_tree(tree, clean_value, what: str = "de boom van paginalabels (/PageLabels)") -> None:
    """A name or number tree keeps its structure keys; each value (a dictionary or array) is cleaned by
    ``clean_value``, and goes with its key when that says False."""
    for node in _tree_nodes(tree, what):
        _only(node, TREE_NODE_KEYS)
        for key in ("/Names", "/Nums"):
            entries = node.get(key)
            if isinstance(entries, Array):
                gone = [
                    i
                    for i in range(1, len(entries), 2)
                    if isinstance(entries[i], (Dictionary, Array)) and not clean_value(entries[i])
                ]
                if gone:
                    node[key] = Array([item for i, item in enumerate(entries) if i not in gone and i + 1 not in gone])


class TreeTooDeep(CopyError):
    """A name or number tree nests deeper than ``MAX_DEPTH``: what its deeper nodes hold is not read (round 11, C02c)."""


def tree_too_deep_message(what: str) -> str:
    return (
        f"{what} in de pdf is dieper dan {MAX_DEPTH} niveaus genest: wat in de diepere delen staat, kan niet "
        "gecontroleerd worden. Sla het bestand opnieuw op als pdf (bijvoorbeeld met 'Opslaan als pdf') en lever het "
        "opnieuw aan."
    )


def _tree_nodes(tree, what: str = "een boom van namen of nummers"):
    """Each node of a name or number tree once, in key order, bounded in depth and count (a hostile tree can
    loop or nest without end). A node's /Kids are read after the caller has had it, so it may clean them. A node
    deeper than ``MAX_DEPTH`` raises ``TreeTooDeep`` (``what`` names the tree in its message): skipping it would
    keep what it holds uncleaned (round 11, C02c)."""
    todo, seen = [(tree, 0)], set[tuple[int, int]]()
    while todo and len(seen) < 1_000_000:
        node, depth = todo.pop()
        if not isinstance(node, Dictionary) or (node.is_indirect and node.objgen in seen):
            continue
        if depth > MAX_DEPTH:
            raise TreeTooDeep(tree_too_deep_message(what))
        if node.is_indirect:
            seen.add(node.objgen)
        yield node
        kids = node.get(Name.Kids)
        todo += [(kid, depth + 1) for kid in reversed(list(kids))] if isinstance(kids, Array) else []


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
    _enums(node, PAGE_NAMES)
    if Name.Group in node:  # the page's transparency group, cleaned below the top level too
        _clean_kind(None, node[Name.Group], "group", set(), 0)  # a group holds no forms or fonts
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
    if kind == Name.GoTo and Name.D in action and _destination(action[Name.D]):
        return Dictionary(S=Name.GoTo, D=action[Name.D])
    if kind == Name.URI and isinstance(action.get(Name.URI), pikepdf.String):
        uri = bytes(action[Name.URI])
        if re.match(rb"\s*(https?|mailto):", uri, re.IGNORECASE):
            return Dictionary(S=Name.URI, URI=action[Name.URI])
    return None


def _keep_link(annot: Dictionary) -> bool:
    if annot.get(Name.Subtype) != Name.Link:
        return False
    if Name.Dest in annot and not _destination(annot[Name.Dest]):
        del annot[Name.Dest]
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
    # below the top level too: border style, appearance states, layer; the rest holds no objects
    for key, kind in (("/BS", "border_style"), ("/AP", "appearance"), ("/OC", "optional_content")):
        if key in annot:
            _clean_kind(None, annot[key], kind, set(), 0)  # these kinds hold no forms or fonts
    for key in ("/Rect", "/Border", "/C", "/QuadPoints", "/F", "/H", "/AS", "/StructParent", "/Type", "/Subtype"):
        if key in annot and not _flat(annot[key]):
            del annot[key]
    if _too_large(annot.get(Name.Rect)):
        raise CopyError(f"een link heeft een te groot getal in zijn plaats (/Rect): {_TOO_LARGE}")
    _enums(annot, LINK_NAMES)
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
            if Name.Dest in item and not _destination(item[Name.Dest]):
                del item[Name.Dest]
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


PARENT_TREE = "de boom van ouders (/ParentTree) van de tagstructuur"


def _content_keys(page) -> set[tuple[int, int]]:
    streams = page.get(Name.Contents)
    return {part.objgen for part in (streams if isinstance(streams, Array) else [streams]) if isinstance(part, pikepdf.Stream)}


def _page_parts(pdf: pikepdf.Pdf, originals: dict) -> dict[tuple[int, int], tuple[set, set, set]]:
    """Per page (by object number): its content streams (before and after cleaning: ``originals``), the XObjects it
    draws (through its resources, the forms among them and its kept links' appearances) and its kept annotations;
    what a marked-content or object reference of the tag structure may point to (round 11, C02a)."""
    parts: dict[tuple[int, int], tuple[set, set, set]] = {}
    for page in pdf.pages:
        obj = page.obj
        contents = set(originals.get(obj.objgen, ())) | _content_keys(obj)
        annots = obj.get(Name.Annots)
        kept = [a for a in annots if isinstance(a, Dictionary) and a.is_indirect] if isinstance(annots, Array) else []
        todo: list = [obj.get(Name.Resources)]
        for annot in kept:
            appearance = annot.get(Name.AP)
            for state in appearance.values() if isinstance(appearance, Dictionary) else []:
                if isinstance(state, pikepdf.Stream):
                    todo.append(state)
                elif isinstance(state, Dictionary):
                    todo += [form for form in state.values() if isinstance(form, pikepdf.Stream)]
        drawn: set[tuple[int, int]] = set()
        while todo and len(drawn) < MAX_FORMS:
            item = todo.pop()
            if isinstance(item, pikepdf.Stream):
                if item.objgen in drawn:
                    continue
                drawn.add(item.objgen)
                item = item.get(Name.Resources)
            xobjects = item.get(Name.XObject) if isinstance(item, Dictionary) else None
            if isinstance(xobjects, Dictionary):
                todo += [x for x in xobjects.values() if isinstance(x, pikepdf.Stream)]
        parts[obj.objgen] = (contents, drawn, {a.objgen for a in kept})
    return parts


def _page_key(value, parts: dict) -> tuple[int, int] | None:
    """The page a /Pg names, when it is a page of the document."""
    if isinstance(value, Dictionary) and value.is_indirect and value.objgen in parts:
        return value.objgen
    return None


def _kept_reference(kid, page: tuple[int, int] | None, parts: dict) -> bool:
    """Whether a marked-content reference (/MCR) or object reference (/OBJR) of the tag structure stays, cleaned: it
    must point into its page (its own /Pg or the nearest element's). A /Stm is a form XObject that page draws (one of
    the page's content streams is the default, so the key goes), an /Obj or /StmOwn an annotation kept on that page or
    an XObject it draws. Anything else (any stream or dictionary, round 11 C02a) goes with the reference."""
    _only(kid, MARKED_REF_KEYS)
    if Name.Pg in kid:
        page = _page_key(kid.get(Name.Pg), parts)
    if page is None:
        return False
    contents, drawn, annots = parts[page]

    def on_page(obj) -> bool:
        return isinstance(obj, (Dictionary, pikepdf.Stream)) and obj.is_indirect and (obj.objgen in annots or obj.objgen in drawn)

    if kid.get(Name.Type) == Name.OBJR:
        for key in ("/MCID", "/Stm", "/StmOwn"):
            if key in kid:
                del kid[key]
        return on_page(kid.get(Name.Obj))
    if Name.Obj in kid:
        del kid[Name.Obj]
    mcid = kid.get(Name.MCID)
    if not isinstance(mcid, int) or isinstance(mcid, bool):
        return False
    stm = kid.get(Name.Stm)
    if stm is not None:
        if isinstance(stm, pikepdf.Stream) and stm.objgen in contents:
            del kid[Name.Stm]
        elif not (isinstance(stm, pikepdf.Stream) and stm.objgen in drawn and stm.get(Name.Subtype) == Name.Form):
            return False
    if Name.StmOwn in kid and (Name.Stm not in kid or not on_page(kid.get(Name.StmOwn))):
        del kid[Name.StmOwn]
    return True


def _clean_structure(tree, parts: dict) -> None:
    """The tag structure keeps its elements (cleaned: ``_clean_element``, each element's /P set to its parent in the
    walk, a /Pg only naming a page of the document) and the references to marked content and objects that point into
    their page (``_kept_reference``): not to annotations that are not kept (comments, form fields), nor to any other
    stream or dictionary, which would ride along in the copy through the structure tree (round 11, C02a/C02b). A kid
    that is neither an element, a reference nor a marked-content number goes."""
    if not isinstance(tree, Dictionary):
        return
    seen: set = set()
    todo: list[tuple] = [(tree, 0, None, None)]
    roles: dict[str, Name] = {}

    def kept(kid, page) -> bool:
        if isinstance(kid, int) and not isinstance(kid, bool):
            return True
        if not isinstance(kid, Dictionary):
            return False
        if kid.get(Name.Type) in (Name.MCR, Name.OBJR):
            return _kept_reference(kid, page, parts)
        return True

    def walk() -> None:
        nonlocal roles
        while todo:
            elem, depth, parent, page = todo.pop()
            if depth > MAX_STRUCTURE_DEPTH:
                raise CopyError(
                    f"de tagstructuur is dieper dan {MAX_STRUCTURE_DEPTH} niveaus: de teksten daarin (zoals /Alt en "
                    "/ActualText, die schermlezers voorlezen) kunnen niet gecontroleerd worden"
                )
            if len(seen) > 1_000_000:
                continue
            key = _key(elem)
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            if depth == 0:
                roles = _clean_tree_root(elem)
            else:
                _clean_element(elem)
                if isinstance(elem.get(Name.S), Name):
                    elem[Name.S] = _structure_type(elem[Name.S], roles)
                if parent is not None:
                    elem[Name.P] = parent  # whatever it named (a dictionary outside the tree, C02b): the real one
                if Name.Pg in elem:
                    own = _page_key(elem.get(Name.Pg), parts)
                    if own is None:
                        del elem[Name.Pg]
                    page = own or page
            kids = elem.get(Name.K)
            if kids is None:
                continue
            here = elem if elem.is_indirect else parent
            if isinstance(kids, Array):
                keep = Array([kid for kid in kids if kept(kid, page)])
                if len(keep) != len(kids):
                    elem[Name.K] = keep
                for kid in elem[Name.K]:
                    if isinstance(kid, Dictionary) and kid.get(Name.Type) not in (Name.MCR, Name.OBJR):
                        todo.append((kid, depth + 1, here, page))
            elif not kept(kids, page):
                del elem[Name.K]
            elif isinstance(kids, Dictionary) and kids.get(Name.Type) not in (Name.MCR, Name.OBJR):
                todo.append((elem[Name.K], depth + 1, here, page))

    walk()
    # an element the parent tree names but the tree does not reach: cleaned the same way, under the root (round 9
    # A15/A16); a parent-tree value that is no element (a reference, a stream, a string) goes
    for node in _tree_nodes(tree.get(Name.ParentTree), PARENT_TREE):
        entries = node.get(Name.Nums)
        for i in range(1, len(entries), 2) if isinstance(entries, Array) else []:
            value = entries[i]
            values = list(value) if isinstance(value, Array) else [value]
            for j, elem in enumerate(values):
                if not isinstance(elem, Dictionary) or elem.get(Name.Type) in (Name.MCR, Name.OBJR):
                    values[j] = None
                elif _key(elem) not in seen:
                    todo.append((elem, 1, tree, None))
                    walk()
            if isinstance(value, Array):
                if any(v is None for v in values):
                    entries[i] = Array(values)
            elif values[0] is None:
                entries[i] = None


def _clean_layers(properties) -> None:
    """Layers stay exactly as configured in the default configuration (what is off stays off; a
    layer that is off refuses the package anyway, see structure.py); who made them, alternative
    configurations (/Configs) and any other key go."""
    if not isinstance(properties, Dictionary):
        return
    _only(properties, OC_PROPERTIES_KEYS)
    config = properties.get(Name.D)
    _only(config, OC_CONFIG_KEYS)
    if isinstance(config, Dictionary):
        _enum(config, "/BaseState", OC_CONFIG_NAMES["/BaseState"], "de beginstand (/BaseState) van de lagen")
        _enum(config, "/ListMode", OC_CONFIG_NAMES["/ListMode"])
        _enum(config, "/Intent", _INTENTS | {"/All"}, "de bedoeling (/Intent) van de lagen")
        _clean_auto_states(config)
    groups = properties.get(Name.OCGs)
    for group in groups if isinstance(groups, Array) else []:
        if not isinstance(group, Dictionary):
            continue
        _only(group, OCG_KEYS)
        _enum(group, "/Intent", _INTENTS, "de bedoeling (/Intent) van een laag")
        _enum(group, "/Type", {"/OCG"}, "de soort van een laag")
        usage = group.get(Name.Usage)
        _only(usage, OC_USAGE_KEYS)
        for entry in usage.values() if isinstance(usage, Dictionary) else []:
            if isinstance(entry, Dictionary):
                for k in list(entry.keys()):
                    if not _plain(entry[k]):
                        del entry[k]
                for k, (allowed, refuse) in _KIND_NAMES["layer_usage_entry"].items():
                    _enum(entry, k, allowed, refuse)


_AUTO_STATE_EVENTS = {"/View", "/Print", "/Export"}
_AUTO_STATE_CATEGORIES = {"/View", "/Print", "/Export", "/Zoom", "/User", "/Language"}


def _clean_auto_states(config) -> None:
    """A layer configuration's automatic states (/AS): each an event, its layers and the categories of their
    usage that decide; an event or category a viewer does not know is not applied by it, so it goes."""
    states = config.get(Name.AS)
    if states is None:
        return
    kept = Array()
    for state in states if isinstance(states, Array) else []:
        if not isinstance(state, Dictionary) or str(state.get(Name.Event)) not in _AUTO_STATE_EVENTS:
            continue
        categories = state.get(Name.Category)
        clean = Dictionary(Event=state[Name.Event])
        if isinstance(state.get(Name.OCGs), Array):
            clean[Name.OCGs] = Array([g for g in state[Name.OCGs] if isinstance(g, Dictionary)])
        if isinstance(categories, Array):
            clean[Name.Category] = Array([c for c in categories if isinstance(c, Name) and str(c) in _AUTO_STATE_CATEGORIES])
        kept.append(clean)
    config[Name.AS] = kept


def _standard_type(name: str) -> bool:
    return name in STRUCTURE_TYPES or _HEADING.fullmatch(name) is not None


MAX_ROLE_STEPS = 32


def _structure_type(name: Name, roles: dict[str, Name]) -> Name:
    """The /S a structure element keeps: a standard structure type as it is; a type of the document's own (a style
    name such as ``/Opmerking_Vermeulen``, round 9 A15/A16) the standard type its role map leads to, as screen readers
    read it (the first standard type on the way: the role map keeps what maps one standard type to another), or
    ``/NonStruct`` (a grouping without meaning) when it leads to none. A role map that leads round in a circle is
    refused: which meaning a screen reader gives the element is then not to be known."""
    if _standard_type(str(name)):
        return name
    seen = {str(name)}
    current = str(name)
    for _ in range(MAX_ROLE_STEPS):
        target = roles.get(current)
        if target is None:
            return Name.NonStruct
        if _standard_type(str(target)):
            return target
        if str(target) in seen:
            break
        seen.add(str(target))
        current = str(target)
    raise CopyError(
        "de rollenkaart (/RoleMap) van de tagstructuur verwijst een eigen soort tag in een kring naar zichzelf terug (of "
        f"langer dan {MAX_ROLE_STEPS} stappen): welke betekenis een schermlezer aan die tags geeft, is niet vast te stellen"
    )


def _clean_tree_root(tree) -> dict[str, Name]:
    """The tree root's own keys; returns its role map (type name to type name). The copy keeps of the role map only
    what maps a standard type to a standard type (a fixed vocabulary): the types of the document's own go from the
    elements (``_structure_type``), and with them their names."""
    _only(tree, STRUCT_TREE_KEYS)
    roles = tree.get(Name.RoleMap)
    mapped: dict[str, Name] = {}
    if isinstance(roles, Dictionary):
        mapped = {str(k): v for k, v in roles.items() if isinstance(v, Name)}
        kept = {k: v for k, v in mapped.items() if _standard_type(k) and _standard_type(str(v))}
        if kept:
            tree[Name.RoleMap] = Dictionary(kept)
        else:
            del tree[Name.RoleMap]
    elif roles is not None:
        del tree[Name.RoleMap]
    for node in _tree_nodes(tree.get(Name.ParentTree), PARENT_TREE):
        _only(node, TREE_NODE_KEYS)
    return mapped


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
            _enums(clean, STRUCT_ATTRIBUTE_NAMES)
            for key in ("/RowSpan", "/ColSpan"):
                if key in clean and not isinstance(clean[key], int):
                    del clean[key]
            if len(clean) > 1:
                kept.append(clean)
    if len(kept):
        elem[Name.A] = kept
    else:
        del elem[Name.A]


# -- neutral names for what only machines read (round 8) ---------------------------------------------------
# A font's name (/BaseFont, the descriptor's /FontName and /FontFamily) and a named destination's name are
# identifiers for programs: no page draws them and no screen reader reads them, yet an author's tool may put
# anything in them (a 'Vermeulen-Handtekening' font, a destination '/Notitie-Vermeulen'). The copy gives them
# neutral names, numbered in the order they are met (the same input gives the same bytes). A font named as a
# standard font (its name decides how viewers draw it) keeps its name; a subset tag (``ABCDEF+``) stays a tag,
# a neutral one. A font that is not embedded keeps a well-known family name (viewers look it up by that name:
# ``Calibri``, ``Wingdings``), any other name becomes neutral, keeping ``,Bold`` / ``,Italic`` as a hint.
_STANDARD_FAMILIES = (
    "Arial|ArialMT|Helvetica|Times|TimesNewRoman|TimesNewRomanPS|Courier|CourierNew|CourierNewPS|Symbol|ZapfDingbats"
)
_STANDARD_STYLES = "Bold|Italic|Oblique|BoldItalic|BoldOblique|Roman|Regular|MT|PSMT|BoldMT|ItalicMT|BoldItalicMT"
_STANDARD_NAME = re.compile(rf"(?:{_STANDARD_FAMILIES})(?:[,-]?(?:{_STANDARD_STYLES}))?")
_SUBSET_TAG = re.compile(r"[A-Z]{6}\+")
# Families installed with Windows, Office, macOS or common Linux desktops: a font that is not embedded is
# drawn with the installed font of its name. Compared without spaces, case and a style after ``-`` or ``,``.
KNOWN_FONT_FAMILIES = frozenset(
    """arial arialnarrow arialblack arialunicodems arialrounded timesnewroman couriernew calibri calibrilight cambria
    cambriamath candara consolas constantia corbel georgia verdana tahoma trebuchetms segoeui segoeuisymbol
    segoeuiemoji segoeprint segoescript garamond bookantiqua centurygothic century centuryschoolbook lucidasans
    lucidaconsole lucidasansunicode lucidabright palatinolinotype palatino bookmanoldstyle comicsansms impact
    franklingothicmedium franklingothicbook gillsansmt gillsans helveticaneue futura optima avenir avenirnext
    baskerville didot menlo monaco geneva symbol wingdings wingdings2 wingdings3 webdings marlett mtextra
    msmincho mspmincho msgothic mspgothic msuigothic simsun nsimsun simhei mingliu pmingliu microsoftyahei
    microsoftjhenghei malgungothic gulim batang meiryo dejavusans dejavuserif dejavusansmono liberationsans
    liberationserif liberationmono opensans roboto notosans notoserif sourcesanspro sourceserifpro ubuntu
    cantarell freesans freeserif freemono nimbussans nimbusroman nimbusmono""".split()
)
# A symbol or pictogram font's name stays too when it is not embedded (``_SYMBOL_NAMES`` below): the gate judges
# the copy, and a viewer that has such a font draws pictograms where the gate reads letters (round 8, a08).
_FONT_DICT_TYPES = (Name.Type1, Name.MMType1, Name.TrueType, Name.Type0, Name.Type3, Name.CIDFontType0, Name.CIDFontType2)


def _font_family(name: str) -> str:
    rest = name[7:] if _SUBSET_TAG.match(name) else name
    family = re.split(r"[,-]", rest, maxsplit=1)[0]
    return re.sub(r"(PS)?MT$", "", family).replace(" ", "").lower()


def _neutral_tag(number: int) -> str:
    letters = ""
    for _ in range(6):
        number, digit = divmod(number, 26)
        letters = chr(ord("A") + digit) + letters
    return letters + "+"


def _neutral_font_name(name: str, embedded: bool, names: dict[tuple[str, bool], str]) -> str:
    """The name the copy gives a font called ``name`` (``names``: the names given so far). A name given
    already stays: a font met twice keeps the name it got."""
    if (name, embedded) in names:
        return names[(name, embedded)]
    if name in names.values():
        return name
    tagged = _SUBSET_TAG.match(name) is not None
    rest = name[7:] if tagged else name
    if _STANDARD_NAME.fullmatch(rest) or (
        not embedded and (_font_family(name) in KNOWN_FONT_FAMILIES or _SYMBOL_NAMES.search(rest))
    ):
        neutral = rest
    else:
        neutral = f"Font{len(names) + 1}"
        if not embedded:  # a viewer picks a substitute: keep the weight and slant it was told
            low = rest.lower()
            style = ("Bold" if "bold" in low else "") + ("Italic" if "italic" in low or "oblique" in low else "")
            neutral += f",{style}" if style else ""
    if tagged:
        neutral = _neutral_tag(len(names)) + neutral
    names[(name, embedded)] = neutral
    return neutral


def _is_font(obj) -> bool:
    return isinstance(obj, Dictionary) and (
        obj.get(Name.Type) == Name.Font or (obj.get(Name.Subtype) in _FONT_DICT_TYPES and Name.BaseFont in obj)
    )


def _is_font_descriptor(obj) -> bool:
    return isinstance(obj, Dictionary) and (
        obj.get(Name.Type) == Name.FontDescriptor or (Name.FontName in obj and Name.Flags in obj)
    )


def _descriptor_embedded(descriptor) -> bool:
    return any(isinstance(descriptor.get(key), pikepdf.Stream) for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _neutral_font_names(pdf: pikepdf.Pdf) -> None:
    """Every font and font descriptor of the copy gets a neutral name (see above); ``/FontFamily`` and the
    obsolete ``/Name`` of a font go (optional, and only a name). Fonts are met in the order of the objects
    and their direct parts, a Type 0 font's descendant and descriptors by way of the font."""
    names: dict[tuple[str, bool], str] = {}

    def descriptor_names(descriptor, embedded: bool, depth: int = 0) -> None:
        name = descriptor.get(Name.FontName)
        if isinstance(name, Name):
            descriptor[Name.FontName] = Name("/" + _neutral_font_name(str(name)[1:], embedded, names))
        family = descriptor.get(Name.FontFamily)
        if family is not None and (
            embedded or not isinstance(family, pikepdf.String) or _font_family(str(family)) not in KNOWN_FONT_FAMILIES
        ):
            del descriptor[Name.FontFamily]
        styles = descriptor.get(Name.FD)  # a CID font's descriptors per class of glyphs
        for part in styles.values() if isinstance(styles, Dictionary) and depth < 2 else []:
            if _is_font_descriptor(part):
                descriptor_names(part, embedded, depth + 1)

    def font_names(font, depth: int = 0) -> None:
        kids = font.get(Name.DescendantFonts)
        kids = [kid for kid in kids if isinstance(kid, Dictionary)] if isinstance(kids, Array) else []
        embedded = _embedded(font) or any(_embedded(kid) for kid in kids)
        base = font.get(Name.BaseFont)
        if isinstance(base, Name):
            font[Name.BaseFont] = Name("/" + _neutral_font_name(str(base)[1:], embedded, names))
        if Name("/Name") in font:
            del font[Name("/Name")]
        to_unicode = font.get(Name.ToUnicode)
        if isinstance(to_unicode, pikepdf.Stream):
            _neutral_cmap(to_unicode)
        descriptor = font.get(Name.FontDescriptor)
        if isinstance(descriptor, Dictionary):
            descriptor_names(descriptor, embedded)
        for kid in kids if depth < 2 else []:
            font_names(kid, depth + 1)

    for obj in pdf.objects:  # in object order; a font written in place is met with its resources
        if _is_font(obj):
            font_names(obj)
        elif _is_font_descriptor(obj):
            descriptor_names(obj, _descriptor_embedded(obj))
        if not isinstance(obj, (Dictionary, pikepdf.Stream)):
            continue
        resources = obj.get(Name.Resources)
        for holder in (obj, resources if isinstance(resources, Dictionary) else None):
            fonts = holder.get(Name.Font) if holder is not None else None
            for key in sorted(fonts.keys()) if isinstance(fonts, Dictionary) else []:
                if _is_font(fonts[key]) and not fonts[key].is_indirect:
                    font_names(fonts[key])


# A /ToUnicode CMap as viewers read it: its bfchar and bfrange sections (hex strings, numbers, arrays) and the
# keywords around them. The rest is for PostScript printers only: comments, the CMap's own name, its registry
# and ordering, names and words it defines. Those are neutralised (round 9, A15): a comment goes, the name
# becomes Adobe-Identity-UCS, the registry and ordering Adobe and UCS, any other string empty, an unknown name
# /X and an unknown word goes. PDFium reads four names as a CID set for codes the map leaves out: they stay.
_CMAP_WORDS = frozenset(
    b"""begin end def dict findresource defineresource pop currentdict begincmap endcmap usecmap
    begincodespacerange endcodespacerange beginbfchar endbfchar beginbfrange endbfrange begincidchar endcidchar
    begincidrange endcidrange beginnotdefchar endnotdefchar beginnotdefrange endnotdefrange CMapName""".split()
)
_CMAP_NAMES = frozenset(
    b"""/CIDInit /ProcSet /CIDSystemInfo /Registry /Ordering /Supplement /CMapName /CMapType /CMap /CMapVersion
    /UIDOffset /XUID /WMode /UseCMap /Adobe-Korea1-UCS2 /Adobe-Japan1-UCS2 /Adobe-CNS1-UCS2 /Adobe-GB1-UCS2
    /Adobe-Identity-UCS""".split()
)
_CMAP_TOKEN = re.compile(
    rb"(?P<comment>%[^\r\n]*)|(?P<string>\((?:[^()\\]|\\.)*\))|(?P<dict><<|>>)|(?P<hex><[0-9A-Fa-f\s]*>)"
    rb"|(?P<name>/[^\s/\[\]<>(){}%]*)|(?P<space>[\s\[\]{}]+)|(?P<word>[^\s/\[\]<>(){}%]+)",
    re.S,
)
_CMAP_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)")


def _neutral_cmap(stream: pikepdf.Stream) -> None:
    """Write a /ToUnicode CMap again with only what viewers read (see above); left as it is when it cannot be
    read into tokens (a string holding parentheses, a stray ``)``): PDFium's reading of the copy is compared
    with the original's page by page (``core._same_pages``), so a map read otherwise than before refuses."""
    try:
        data = stream.read_bytes()
    except pikepdf.PdfError:
        return
    out, at, previous = [], 0, b""
    for token in _CMAP_TOKEN.finditer(data):
        if token.start() != at:
            return
        at = token.end()
        kind, text = token.lastgroup, token.group()
        if kind == "comment":
            text = b""
        elif kind == "string":
            text = {b"/Registry": b"(Adobe)", b"/Ordering": b"(UCS)"}.get(previous, b"()")
        elif kind == "name" and previous == b"/CMapName":
            text = text if text in _CMAP_NAMES else b"/Adobe-Identity-UCS"
        elif kind == "name" and text not in _CMAP_NAMES:
            text = b"/X"
        elif kind == "word" and text not in _CMAP_WORDS and not _CMAP_NUMBER.fullmatch(text):
            text = b" "
        if kind != "space":
            previous = token.group()
        out.append(text)
    if at != len(data):
        return
    cleaned = b"".join(out)
    if cleaned != data:
        stream.write(cleaned)  # qpdf compresses it when it writes the copy


def _neutral_destination_names(root, pdf: pikepdf.Pdf) -> None:
    """Named destinations (the catalogue's /Dests and the /Names /Dests tree) get neutral names ``d1``,
    ``d2``, ... (numbered in the byte order of the old names, zero-padded so the tree stays sorted), and every
    link, go-to action and bookmark naming one is pointed at its new name; one naming a destination that does
    not exist loses it (it led nowhere). The tree is written again as one node."""
    old = root.get(Name.Dests)
    old = old if isinstance(old, Dictionary) else None
    names = root.get(Name.Names)
    tree = names.get(Name.Dests) if isinstance(names, Dictionary) else None
    entries: list[tuple[bytes, object]] = []
    for node in _tree_nodes(tree, "de boom van benoemde bestemmingen (/Dests)"):
        pairs = node.get(Name.Names)
        if isinstance(pairs, Array):
            entries += [
                (bytes(pairs[i]), pairs[i + 1]) for i in range(0, len(pairs) - 1, 2) if isinstance(pairs[i], pikepdf.String)
            ]
    keys = {str(k)[1:].encode("latin-1", "replace") for k in old.keys()} if old is not None else set()
    keys |= {key for key, _ in entries}
    width = len(str(len(keys)))
    renamed = {key: f"d{i:0{width}d}" for i, key in enumerate(sorted(keys), start=1)}
    if old is not None:
        root[Name.Dests] = Dictionary({"/" + renamed[str(k)[1:].encode("latin-1", "replace")]: v for k, v in old.items()})
    if tree is not None:
        kept: dict[str, object] = {}
        for key, value in entries:
            kept.setdefault(renamed[key], value)  # a name given twice: viewers use the first
        flat = Array()
        for new in sorted(kept):
            flat.append(pikepdf.String(new))
            flat.append(kept[new])
        names[Name.Dests] = pdf.make_indirect(Dictionary(Names=flat))

    def pointed(holder, key) -> None:
        value = holder.get(key)
        if isinstance(value, (Name, pikepdf.String)):
            name = str(value)[1:].encode("latin-1", "replace") if isinstance(value, Name) else bytes(value)
            if name in renamed:
                holder[key] = Name("/" + renamed[name]) if isinstance(value, Name) else pikepdf.String(renamed[name])
            else:
                del holder[key]

    def goes(item) -> None:
        pointed(item, Name.Dest)
        action = item.get(Name.A)
        if isinstance(action, Dictionary) and action.get(Name.S) == Name.GoTo:
            pointed(action, Name.D)
            if Name.D not in action:
                del item[Name.A]

    for page in pdf.pages:
        for annot in page.obj.get(Name.Annots) or [] if isinstance(page.obj.get(Name.Annots), Array) else []:
            if isinstance(annot, Dictionary):
                goes(annot)
    outlines = root.get(Name.Outlines)
    done: set[tuple[int, int]] = set()
    steps = 0
    stack = [outlines.get(Name.First)] if isinstance(outlines, Dictionary) else []
    while stack and steps < 100_000:
        item = stack.pop()
        while isinstance(item, Dictionary) and steps < 100_000:
            steps += 1
            ident = _key(item)  # bookmarks are indirect objects; one written in place cannot be met twice
            if ident is not None:
                if ident in done:
                    break
                done.add(ident)
            goes(item)
            stack.append(item.get(Name.First))
            item = item.get(Name.Next)


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
        _enums(kept, VIEWER_PREFERENCE_NAMES)
        for key in list(kept.keys()):
            if key in VIEWER_PREFERENCE_FLAGS and not isinstance(kept[key], bool):
                del kept[key]
            elif key == "/NumCopies" and not (isinstance(kept[key], int) and not isinstance(kept[key], bool)):
                del kept[key]
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
            if str(intent.get(Name.S)) not in OUTPUT_INTENT_SUBTYPES:
                continue  # an output condition no viewer knows: it steers nothing (and PDFium draws without one)
            _enum(clean, "/Type", {"/OutputIntent"})
            profile = intent.get(Name.DestOutputProfile)
            if isinstance(profile, pikepdf.Stream):
                _only(profile, ICC_KEYS)
                clean_icc(profile)
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
        used, flat, rewritten = _read(pikepdf.Page(page), data, sanitise=True) if parts else ({}, False, None)
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
                    # PDFium's page text leaves out annotations: text in a kept link's appearance is neither
                    # judged nor checked for personal data, while other readers extract it. Refused, not
                    # dropped: an appearance can be the very box that covers text.
                    if isinstance(forms, _Seen) and _shows_text(form):
                        forms.flattened.add(forms.page)


class _Seen(set):
    """Objects already cleaned, and the pages with text squeezed to nothing."""

    page = 0

    def __init__(self):
        super().__init__()
        self.flattened: set[int] = set()


_SHOWS = {"Tj", "TJ", "'", '"'}
# Every operator of the PDF specification (ISO 32000, annex A). An operator outside this list draws
# nothing in any viewer, but its operands (and those of BX/EX sections, and operands left at the end
# of a stream) would travel in the copy: the copy drops them (``_sanitised``).
KNOWN_OPERATORS = frozenset(
    "b B b* B* BDC BI BMC BT c cm CS cs d d0 d1 Do DP EI EMC ET f F f* G g gs h i ID j J K k l m M MP n q Q "
    "re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf TJ Tj TL Tm Tr Ts Tw Tz v w W W* y ' \"".split()
)
# A horizontal scaling under 20% is never used for reading (condensed type goes to about 50%; PDF
# producers write 100, or 80 to 120 for fitting a line); below it a word is an unreadable smear.
MIN_SCALING = 20.0
# A text space squashed more than 1:100 (the smaller of its two scale factors under 1% of the larger),
# by the text matrix and the transformation matrix together, draws a line, not letters.
MIN_ASPECT = 0.01
# Operators that name a resource, set the text scaling, size or matrix or the transformation matrix,
# or draw an inline image: what ``_read`` asks qpdf to parse (most operators of a page are none of these).
_NAMED = " ".join([*USES, *TAGS, "Tz", "Tf", "Tm", "cm", "BI", "ID", "EI"])
_LITERAL = rb"\((?:[^()\\]|\\.)*\)"
_HEX = rb"<[0-9A-Fa-f\s]*>"
_NAME = rb"/[^\s()<>\[\]{}/%]*"
_WORD = rb"[A-Za-z'\"*][^\s()<>\[\]{}/%]*"


# The operands each operator takes (ISO 32000-1, the operator tables of sections 8 and 9 and annex A):
# ``n`` a number, ``/`` a name, ``s`` a string, ``d`` a name or a dictionary, ``a`` an array of numbers
# (a dash pattern), ``t`` an array of strings and numbers (``TJ``). ``sc``/``SC`` take one to 32 numbers,
# ``scn``/``SCN`` also a pattern name last (``_COLOUR_SETTERS``).
_SIGNATURES = {
    **dict.fromkeys("b B b* B* BT ET EMC f F f* h n q Q s S T* W W*".split(), ""),
    **dict.fromkeys("g G i j J M w Tc Tw Tz TL Ts Tr".split(), "n"),
    **dict.fromkeys("m l Td TD d0".split(), "nn"),
    **dict.fromkeys("rg RG".split(), "nnn"),
    **dict.fromkeys("re v y k K".split(), "nnnn"),
    **dict.fromkeys("c cm Tm d1".split(), "nnnnnn"),
    **dict.fromkeys("cs CS Do gs sh ri BMC MP".split(), "/"),
    "Tf": "/n",
    "BDC": "/d",
    "DP": "/d",
    "Tj": "s",
    "'": "s",
    '"': "nns",
    "TJ": "t",
    "d": "an",
}
_COLOUR_SETTERS = {"sc", "SC", "scn", "SCN"}
MAX_COMPONENTS = 32


def _number(value) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _fitted(kind: str, value):
    """``value`` as an operand of ``kind``, or None when it cannot be one. A number that is missing or
    of another type reads as 0, as PDFium reads it (so ``(x) Tz`` squeezes text, and is judged so);
    a dash array's elements likewise; a ``TJ`` array keeps only its strings and numbers (what is shown)."""
    if kind == "n":
        return value if _number(value) else 0
    if kind == "/":
        return value if isinstance(value, Name) else None
    if kind == "s":
        return value if isinstance(value, pikepdf.String) else None
    if kind == "d":
        return value if isinstance(value, (Name, Dictionary)) else None
    if not isinstance(value, Array):
        return None
    if kind == "a":
        return value if all(_number(item) for item in value) else Array([item if _number(item) else 0 for item in value])
    if all(_number(item) or isinstance(item, pikepdf.String) for item in value):  # "t"
        return value
    return Array([item for item in value if _number(item) or isinstance(item, pikepdf.String)])


_MISSING = object()


def _operands(op: str, operands) -> list | None:
    """The operands ``op`` takes: the last ones of ``operands``, as viewers read them (extra operands
    before them are dropped; numbers missing or of another type read as 0, ``_fitted``), or None when
    a name, string, array or dictionary it needs is missing or of the wrong type (the instruction is
    dropped: it draws nothing, and its operands travel nowhere)."""
    operands = list(operands)
    if op in _COLOUR_SETTERS:
        pattern = 1 if op in ("scn", "SCN") and operands and isinstance(operands[-1], Name) else 0
        count = pattern
        while count < len(operands) and count - pattern < MAX_COMPONENTS and _number(operands[-1 - count]):
            count += 1
        return operands[len(operands) - count :] if count > pattern or pattern else None
    signature = _SIGNATURES.get(op)
    if signature is None:
        return None
    last = [_MISSING] * (len(signature) - len(operands)) + operands[max(0, len(operands) - len(signature)) :]
    kept = [_fitted(kind, 0 if value is _MISSING and kind == "n" else value) for kind, value in zip(signature, last)]
    return None if any(value is None or value is _MISSING for value in kept) else kept


# A byte-level look at a stream that decides whether it may be copied as it is: ``fullmatch`` reads it
# as a sequence of instructions, each the operands its operator takes and nothing else (``_SIGNATURES``):
# every string is the text a Tj, ', " or TJ shows (or sits in a BDC/DP property dictionary), every number
# and name is an operand of the right count. The regex reads left to right without backtracking over
# instructions (atomic groups, possessive repeats), so it tokenises as a PDF reader does; what it cannot
# read so (nested parentheses in a string, comments, inline images, arrays or dictionaries elsewhere,
# ``true``/``null``, unknown operators, operands at the end) is parsed whole and written again.
_S = rb"[\x00\t\n\x0c\r ]*+"
_E = rb"(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"  # the end of a token: a delimiter, white space or the end
# a number of at most 9 digits before the point (below ``MAX_NUMBER``); a longer one is parsed and checked (``_sanitised``)
_N = rb"[+-]?(?:\d{1,9}+(?:\.\d*+)?+|\.\d++)" + _E + _S
_NM = rb"/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*+" + _S
_STR = rb"(?:\((?:[^()\\]|\\.)*+\)|<[0-9A-Fa-f\x00\t\n\x0c\r ]*+>)" + _S
_VALUE = rb"(?:%s|%s|%s|(?:true|false)%s%s)" % (_NM, _N, _STR, _E, _S)
_DICT = rb"<<" + _S + rb"(?:" + _VALUE + rb"|\[" + _S + _VALUE + rb"*+\]" + _S + rb")*+>>" + _S  # a property list


def _any(*patterns: bytes) -> bytes:
    return rb"(?:" + b"|".join(patterns) + rb")"


def _ops(*names: str) -> bytes:
    ordered = sorted(set(names), key=lambda name: (-len(name), name))
    return rb"(?:" + b"|".join(re.escape(name.encode()) for name in ordered) + rb")" + _E + _S


def _instruction(count: int = 0) -> bytes:
    """The instructions with ``count`` or more numbers first, as a trie: each number is read once."""
    tails = [_ops(*(op for op, signature in _SIGNATURES.items() if signature == "n" * count))]
    if count:
        tails.append(_ops(*_COLOUR_SETTERS))
    tails.append(_NM + _ops("scn", "SCN"))
    if count == 0:
        names = _any(_ops("cs", "CS", "Do", "gs", "sh", "ri", "BMC", "MP"), _N + _ops("Tf"), _any(_NM, _DICT) + _ops("BDC", "DP"))
        tails.append(_NM + names)
        tails.append(_STR + _ops("Tj", "'"))
        tails.append(rb"\[" + _S + _any(_N, _STR) + rb"*+\]" + _S + _ops("TJ"))
        tails.append(rb"\[" + _S + _any(_N) + rb"*+\]" + _S + _N + _ops("d"))
    if count == 2:
        tails.append(_STR + _ops('"'))
    if count < 6:
        tails.insert(0, _N + _instruction(count + 1))
    return _any(*tails)


_PLAIN = re.compile(_S + rb"(?>" + _instruction() + rb")*+", re.S)
# The same look for strings only (``_read`` without ``sanitise``): every string is shown text.
_SHOWN = re.compile(
    _S
    + _any(
        _NM + _DICT + _ops("BDC", "DP"),
        _N,
        _NM,
        _WORD + _E + _S,
        _STR + _ops("Tj", "'", '"'),
        rb"\[" + _S + _any(_N, _STR) + rb"*+\]" + _S + _ops("TJ"),
        rb"\[" + _S + _any(_N) + rb"*+\]" + _S,
    )
    + rb"*+",
    re.S,
)


def _odd(data: bytes, strings_only: bool = False) -> bool:
    """May ``data`` hold something a viewer neither draws nor reads: an unknown operator (also inside
    BX/EX), operands left at the end, or operands an operator does not take (a string, name or number
    more, or of another type: ``(x) 0 g``)? A cheap look at the bytes (``_PLAIN``) that errs on the side
    of yes; then the stream is parsed whole and written again without them (``_sanitised``).
    With ``strings_only`` only strings are looked at: each must be text that is shown (``_SHOWN``).
    Inline images (binary data between ID and EI) are parsed whole anyway."""
    if not data.strip():
        return False
    return (_SHOWN if strings_only else _PLAIN).fullmatch(data) is None


def _property_entry(key: str, value) -> bool:
    rule = MARKED_CONTENT_ENTRIES.get(key)
    if rule == "number":
        return isinstance(value, int) and not isinstance(value, bool)
    if rule == "text":
        return isinstance(value, pikepdf.String)
    if rule == "language":
        return isinstance(value, pikepdf.String) and is_language_tag(str(value)) and not _personal(str(value))
    if rule == "box":
        return isinstance(value, Array) and len(value) == 4 and all(_number(v) for v in value)
    names = _names_in(value) if isinstance(rule, set) else None
    return names is not None and all(str(name) in rule for name in names)


def _property_list(tag, properties) -> Dictionary | None:
    """An inline property list (``/Span <<...>> BDC``) with only the entries ``MARKED_CONTENT_ENTRIES``
    allows, of the type they take (a /Lang only as a language tag without personal data); None when it
    has nothing else. A layer written in the content (``/OC <<...>> BDC``) refuses: no viewer reads it alike."""
    if not isinstance(properties, Dictionary):
        return None
    if tag == Name.OC:
        raise CopyError("een laag (/OC) is in de inhoud van een pagina beschreven in plaats van bij de bronnen")
    if all(_property_entry(k, v) for k, v in properties.items()):
        return None
    return Dictionary({k: v for k, v in properties.items() if _property_entry(k, v)})


# A token of only digits, signs and points that is no number (``160-``, ``1-``, ``160.0.0``): qpdf reads it
# as an (unknown) operator, PDFium as a number (it reads the digits up to the first bad character). Dropping
# it would make the copy draw something else than the original (a cover box with width 0), so it refuses.
_NUMBER_LIKE = re.compile(r"[0-9+\-.]+")


# The largest number a PDF may hold where it places something (ISO 32000-1, annex C: integers are 32 bits).
# Beyond it each viewer reads the number its own way: PDFium clamps it, MuPDF and Ghostscript wrap it round
# (2^32 + 72 becomes 72), poppler skips the instruction (round 5: a name drawn under a cover, or a cover
# drawn over a name, in some viewers only). Such a number in a content stream, a form's or pattern's box
# or matrix, a font's matrix or widths or a link's rectangle refuses the copy.
MAX_NUMBER = 2**31 - 1
_TOO_LARGE = (
    "pdf-programma's lezen zo'n getal verschillend (de een rondt het af, de ander begint opnieuw bij 0 of slaat de "
    "opdracht over), zodat tekst of een zwart vlak bij de een ergens anders staat dan bij de ander"
)


def _too_large(value, depth: int = 0) -> bool:
    """Is ``value``, or a number in it (arrays two levels deep: ``TJ``, ``/W``), beyond ``MAX_NUMBER``?"""
    if _number(value):
        return abs(value) > MAX_NUMBER
    if isinstance(value, Array) and depth < 2:
        return any(_too_large(item, depth + 1) for item in value)
    return False


def _check_numbers(op: str, operands) -> None:
    for value in operands:
        if _too_large(value):
            raise CopyError(f"de inhoud bevat een te groot getal (bij de opdracht '{op[:10]}'): {_TOO_LARGE}")


def _sanitised(operations) -> list:
    """The operations without unknown operators (and BX/EX) and their operands, each known operator with
    only the operands it takes (``_operands``: dropped when those are missing or of the wrong type);
    qpdf's parse already leaves out operands at the end of a stream, and writes an inline image as one
    instruction."""
    kept = []
    for i in operations:
        op = str(i.operator)
        if isinstance(i.operator, pikepdf.PdfInlineImage) or op == "INLINE IMAGE":
            kept.append(i)
            continue
        if _NUMBER_LIKE.fullmatch(op):
            raise CopyError(
                f"de inhoud bevat een getal dat niet goed geschreven is ('{op[:20]}'): pdf-programma's lezen het "
                "verschillend (als getal of als opdracht), zodat de gepubliceerde kopie iets anders zou tekenen dan "
                "wat u ziet en wat beoordeeld is"
            )
        given = list(i.operands)
        operands = _operands(op, given)
        if operands is None:
            continue
        _check_numbers(op, operands)
        if op in ("BDC", "DP"):
            properties = _property_list(operands[0], operands[1])
            if properties is not None:
                operands = [operands[0], properties]
        if op in TAGS:
            operands = _neutral_tag_operands(op, operands)
        same = len(operands) == len(given) and all(a is b for a, b in zip(operands, given))
        kept.append(i if same else pikepdf.ContentStreamInstruction(operands, i.operator))
    return kept


def _resources_of(target):
    obj = target.obj if isinstance(target, pikepdf.Page) else target
    resources = obj.get(Name.Resources)
    return resources if isinstance(resources, Dictionary) else None


def _state_fonts(resources) -> dict[str, float]:
    """Font sizes that graphics-state parameter dictionaries set (``/Font [font size]``), by name: a
    ``gs`` with one sets the font like ``Tf`` (a size that is not a number counts as 0)."""
    states = resources.get(Name.ExtGState) if resources is not None else None
    sizes = {}
    for name, state in states.items() if isinstance(states, Dictionary) else []:
        font = state.get(Name.Font) if isinstance(state, Dictionary) else None
        if font is not None:
            try:
                sizes[str(name)] = float(font[1])
            except (TypeError, ValueError, IndexError, KeyError, AttributeError):
                sizes[str(name)] = 0.0
    return sizes


_COMPONENTS = {
    "/DeviceGray": 1,
    "/CalGray": 1,
    "/Indexed": 1,
    "/Separation": 1,
    "/DeviceRGB": 3,
    "/CalRGB": 3,
    "/Lab": 3,
    "/DeviceCMYK": 4,
}


def _components(space, resources, depth: int = 0) -> int | None:
    """Colour components of a colour space (a name, a named resource or an array); None when unknown."""
    if isinstance(space, Name):
        if str(space) in _COMPONENTS:
            return _COMPONENTS[str(space)]
        named = resources.get(Name.ColorSpace) if isinstance(resources, Dictionary) else None
        found = named.get(space) if isinstance(named, Dictionary) else None
        return _components(found, None, depth + 1) if found is not None and depth < 3 else None
    if isinstance(space, Array) and len(space):
        family = str(space[0])
        if family == "/ICCBased" and len(space) > 1 and isinstance(space[1], pikepdf.Stream):
            n = space[1].get(Name.N)
            return int(n) if isinstance(n, int) and 0 < n <= 32 else None
        if family == "/DeviceN" and len(space) > 1 and isinstance(space[1], Array):
            return len(space[1])
        return _COMPONENTS.get(family)
    return None


_SCRATCH: list = []


def _scratch() -> pikepdf.Pdf:
    """A document to decode loose data on (inline images): its streams are never written."""
    if not _SCRATCH:
        _SCRATCH.append(pikepdf.new())
    return _SCRATCH[0]


def _inline_payload(target, data: bytes) -> bool:
    """Does an inline image hold more data than it draws (width x height x bits x colour components),
    or bytes after its filter's end marker? No viewer draws those bytes: a hidden payload (qpdf may also
    read a comment after the image as its data, and the rewrite would keep it). Data the gate cannot
    size (JPEG, CCITT or JBIG2, an unknown colour space) is image data as drawn, not judged here."""
    resources = _resources_of(target)
    for instruction in pikepdf.parse_content_stream(target, "BI ID EI"):
        if str(instruction.operator) != "INLINE IMAGE" or not len(instruction.operands):
            continue
        image = instruction.operands[0]
        header = image.obj
        try:
            _judge_image(_scratch(), header, resources, raw=image.read_raw_bytes())
        except pikepdf.PdfError as exc:
            raise CopyError(f"een ingesloten afbeelding is onleesbaar ({str(exc)[:120]})") from exc
        try:
            raw = image.read_raw_bytes()
            width, height = int(header.get(Name.Width, 0)), int(header.get(Name.Height, 0))
            if header.get(Name.ImageMask) is True:
                bits, components = 1, 1
            else:
                bits = int(header.get(Name.BitsPerComponent, 8))
                components = _components(header.get(Name.ColorSpace), resources)
        except (TypeError, ValueError, pikepdf.PdfError):
            return True  # a header that cannot be read: refused rather than guessed
        filters = [str(f) for f in image.filters]
        if filters and filters[-1] in ("/DCTDecode", "/DCT"):  # a JPEG with more than decoding needs (EXIF, XMP, ...)
            if not _inline_jpeg_plain(raw, filters[:-1], header.get(Name.DecodeParms)):
                return True
            continue
        if components is None or width <= 0 or height <= 0 or bits <= 0:
            continue
        expected = height * ((width * bits * components + 7) // 8)
        if not filters:
            if raw[expected:].strip():
                return True
            continue
        if any(f in ("/DCTDecode", "/CCITTFaxDecode", "/JBIG2Decode", "/JPXDecode") for f in filters):
            continue
        if filters[0] == "/ASCIIHexDecode" and raw[raw.find(b">") + 1 :].strip() and b">" in raw:
            return True
        if filters[0] == "/ASCII85Decode" and b"~>" in raw and raw[raw.find(b"~>") + 2 :].strip():
            return True
        stream = _scratch().make_stream(raw)
        stream[Name.Filter] = Array([Name(f) for f in filters])
        parms = header.get(Name.DecodeParms)
        if parms is not None:
            stream[Name.DecodeParms] = parms
        try:
            decoded = stream.read_bytes()
        except pikepdf.PdfError:
            return True
        if decoded[expected:].strip():
            return True
    return False


def _inline_jpeg_plain(raw: bytes, wrappers: list[str], parms) -> bool:
    """Is an inline JPEG (its data ``raw`` under the filters ``wrappers``) only what decoding needs (see
    ``jpeg_without_metadata``)? The copy does not rewrite inline images: one with metadata is refused."""
    if wrappers:
        if not _SCRATCH:
            _SCRATCH.append(pikepdf.new())
        stream = _SCRATCH[0].make_stream(raw)
        stream[Name.Filter] = Array([Name(f) for f in wrappers])
        if isinstance(parms, Array) and len(parms) == len(wrappers) + 1:
            stream[Name.DecodeParms] = Array(list(parms)[:-1])
        try:
            raw = stream.read_bytes()
        except pikepdf.PdfError:
            return False
    try:
        return jpeg_without_metadata(raw.rstrip(_TRAILING_BLANK)) is None
    except CopyError:
        return False


def _read(target, data: bytes, sanitise: bool = False) -> tuple[dict[str, set], bool, bytes | None]:
    """What a content stream (a page's, its parts joined, or a form's) needs: the resource names it
    uses per category, whether it shows text squeezed to nothing (``_judge``; the names of the forms it
    draws while squeezed go under ``"squeezed"``) and, when it may hold a comment (``data`` has a ``%``)
    or something else no viewer reads (``_odd``: with ``sanitise`` any operand an operator does not
    take, without it a string that is not shown text; with ``sanitise`` also a marked-content tag or
    rendering intent of its own), its content written again from the parsed operators, each with only
    the operands it takes and those names neutral (``_sanitised``).

    qpdf parses only the ``_NAMED`` operators, which is several times faster than handing every
    operator to Python. The whole stream is parsed (and judged exactly as ``_judge`` says)
    when it is rewritten, or when one of those operators can squeeze text (``_squeezes``):
    without one, no text can be squeezed, whatever is shown."""
    fonts = _state_fonts(_resources_of(target))
    quick = None
    if not (b"%" in data or _odd(data, strings_only=not sanitise)):
        quick = pikepdf.parse_content_stream(target, _NAMED)
        if sanitise and b"<<" in data and _extra_properties(quick):
            quick = None  # a property list with entries marked content does not take: written again without them
    used: dict[str, set] = {}
    if quick is not None:
        used, may_flatten = _scan(quick)
        if sanitise and not all(_known_tag(tag) or tag in _RENDERING_INTENTS for tag in used.get("tags", ())):
            quick = None  # a marked-content tag or rendering intent of its own: written again (``_sanitised``)
    if quick is None:
        operations = _sanitised(pikepdf.parse_content_stream(target))
        used = _used_names(operations)
        flat, squeezed = _judge(operations, fonts)
        if squeezed:
            used["squeezed"] = squeezed
        if "inline" in used and sanitise:
            flat = flat or _inline_payload(target, data)
        return used, flat, pikepdf.unparse_content_stream(operations)
    if "inline" in used and sanitise and _inline_payload(target, data):
        return used, True, None
    if may_flatten or (fonts and not used.get("/ExtGState", set()).isdisjoint(fonts)):  # a gs with a font: rare
        flat, squeezed = _judge(pikepdf.parse_content_stream(target), fonts)
        if squeezed:
            used["squeezed"] = squeezed
        return used, flat, None
    return used, False, None


def _extra_properties(operations) -> bool:
    """Does a ``BDC`` or ``DP`` carry a property list with entries marked content does not take (``_property_list``)?"""
    for instruction in operations:
        if str(instruction.operator) in ("BDC", "DP") and len(instruction.operands) == 2:
            if _property_list(instruction.operands[0], instruction.operands[1]) is not None:
                return True
    return False


def _scan(operations) -> tuple[dict[str, set], bool]:
    """``(_used_names(operations), _may_flatten(operations))`` in one pass, reading each operator's
    operands once (the costliest step in Python)."""
    used: dict[str, set] = {}
    squeezes = False
    aspect = [1.0, 1.0]
    for instruction in operations:
        operator = instruction.operator
        op = str(operator)
        if op in TAGS and len(instruction.operands) and isinstance(instruction.operands[0], Name):
            used.setdefault("tags", set()).add(str(instruction.operands[0]))
        category = USES.get(op)
        if category is None and op not in ("Tz", "Tm", "cm"):
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
        if not squeezes and op in ("Tz", "Tf", "Tm", "cm"):
            squeezes = _squeezes(op, operands, aspect)
    return used, squeezes


def _squashed(a: float, b: float, c: float, d: float) -> bool:
    """Is the linear map ``[a b c d]`` flat or nearly so (one scale factor under ``MIN_ASPECT`` of the other)?"""
    return _aspect(a, b, c, d) < MIN_ASPECT


def _aspect(a: float, b: float, c: float, d: float) -> float:
    """The smaller scale factor of the linear map ``[a b c d]`` over the larger (0 when flat)."""
    if b == 0 and c == 0:  # the usual text and image matrices: quick
        a, d = abs(a), abs(d)
        return min(a, d) / max(a, d) if a * d > 1e-12 else 0.0
    det = abs(a * d - b * c)
    norm = a * a + b * b + c * c + d * d
    if not det > 1e-12 or not norm > 0:
        return 0.0
    return det / ((norm + max(norm * norm - 4 * det * det, 0.0) ** 0.5) / 2)


def _squeezes(op: str, operands, aspect: list[float] | None = None) -> bool:
    """Does this ``Tz``, ``Tf``, ``Tm`` or ``cm`` set a squeezed state (see ``_may_flatten``)? ``aspect``
    holds the product of the aspects of the ``cm`` operators so far: the aspect of a product of maps
    is at least the product of their aspects, so while that stays above ``MIN_ASPECT`` (times the
    flattest text matrix) no combination of them squashes text."""
    try:
        if op == "Tz" and len(operands) and abs(float(operands[0])) < MIN_SCALING:
            return True
        if op == "Tf" and len(operands) > 1 and float(operands[1]) == 0:
            return True
        if op in ("Tm", "cm") and len(operands) == 6:
            # (by index, not a generator over a slice: a third of the cost; this runs for every Tm and cm)
            a, b, c, d = float(operands[0]), float(operands[1]), float(operands[2]), float(operands[3])
            ratio = _aspect(a, b, c, d)
            if aspect is None:
                return ratio < MIN_ASPECT
            if op == "cm":
                aspect[0] *= ratio
            else:
                aspect[1] = min(aspect[1], ratio)
            return aspect[0] * aspect[1] < MIN_ASPECT
    except (TypeError, ValueError, OverflowError):
        pass
    return False


def _may_flatten(operations) -> bool:
    """Does any operator set a state in which ``_judge`` calls shown text squeezed: horizontal
    scaling under ``MIN_SCALING``, font size 0, a (nearly) flat text or transformation matrix (also
    through several ``cm``)? The state starts unsqueezed, and only these operators change it (and ``gs``
    with a font, which ``_read`` looks up; ``q``/``Q`` restore earlier states, ``BT`` resets the text matrix)."""
    aspect = [1.0, 1.0]
    for instruction in operations:
        op = str(instruction.operator)
        if op in ("Tz", "Tf", "Tm", "cm") and _squeezes(op, instruction.operands, aspect):
            return True
    return False


def _flattened_text(operations) -> bool:
    """Text shown while squeezed to nothing (see ``_judge``)."""
    return _judge(operations)[0]


def _judge(operations, fonts: dict[str, float] | None = None) -> tuple[bool, set[str]]:
    """Whether text is shown while the horizontal scaling is under ``MIN_SCALING``, the font size is
    zero (set by ``Tf`` or by a ``gs`` with a font, ``fonts``), or the text matrix times the
    transformation matrix is (nearly) flat; and the names of the XObjects drawn (``Do``) while the
    scaling, font size or transformation matrix is squeezed: a form inherits that state, so text it
    shows is squeezed too (``_shows_text`` decides)."""
    flat = False
    squeezed: set[str] = set()
    state: list[tuple[float, float, tuple[float, float, float, float]]] = []
    scale, size = 100.0, 1.0
    ctm = (1.0, 0.0, 0.0, 1.0)
    tm = (1.0, 0.0, 0.0, 1.0)
    for instruction in operations:  # attributes, not tuple unpacking: unpacking is ten times slower
        op = str(instruction.operator)
        operands = instruction.operands
        try:
            if op == "Tz" and len(operands):
                scale = float(operands[0])
            elif op == "Tf" and len(operands) > 1:
                size = float(operands[1])
            elif op == "gs" and fonts and len(operands) and str(operands[0]) in fonts:
                size = fonts[str(operands[0])]
            elif op == "Tm" and len(operands) == 6:
                a, b, c, d = float(operands[0]), float(operands[1]), float(operands[2]), float(operands[3])
                tm = (a, b, c, d)
            elif op == "cm" and len(operands) == 6:
                a, b, c, d = float(operands[0]), float(operands[1]), float(operands[2]), float(operands[3])
                e, f, g, h = ctm
                ctm = (a * e + b * g, a * f + b * h, c * e + d * g, c * f + d * h)
            elif op == "BT":
                tm = (1.0, 0.0, 0.0, 1.0)
            elif op == "q":
                state.append((scale, size, ctm))
            elif op == "Q" and state:
                scale, size, ctm = state.pop()
            elif op in _SHOWS and not flat:
                a, b, c, d = tm
                e, f, g, h = ctm
                if abs(scale) < MIN_SCALING or size == 0 or _squashed(a * e + b * g, a * f + b * h, c * e + d * g, c * f + d * h):
                    flat = True
            elif op == "Do" and len(operands) and (abs(scale) < MIN_SCALING or size == 0 or _squashed(*ctm)):
                squeezed.add(str(operands[0]))
        except (TypeError, ValueError, OverflowError):
            continue
    return flat, squeezed


_SHOWING = " ".join([*_SHOWS, "Do", "scn", "SCN"])


def _shows_text(stream, seen: set | None = None, depth: int = 0) -> bool:
    """Does a form, pattern cell or appearance stream show text, itself or through the forms and
    patterns it draws? Asked only of streams whose text PDFium does not extract or judge (appearance
    streams of kept links, pattern cells, soft masks) or that inherit a squeezed state: rare."""
    seen = set() if seen is None else seen
    if not isinstance(stream, pikepdf.Stream) or depth > MAX_DEPTH or len(seen) > MAX_FORMS:
        return False
    key = _key(stream)
    if key is not None:
        if key in seen:
            return False
        seen.add(key)
    try:
        operations = pikepdf.parse_content_stream(stream, _SHOWING)
    except pikepdf.PdfError as exc:
        raise CopyError(f"de inhoud van een vormobject is onleesbaar ({str(exc)[:120]})") from exc
    return _operations_show_text(operations, stream.get(Name.Resources), seen, depth)


def _operations_show_text(operations, resources, seen: set | None = None, depth: int = 0) -> bool:
    """Do these content-stream operations show text, themselves or through the forms (``Do``) and
    patterns (``scn``/``SCN``) they draw?"""
    resources = resources if isinstance(resources, Dictionary) else Dictionary()
    for instruction in operations:
        op = str(instruction.operator)
        if op in _SHOWS:
            return True
        operands = instruction.operands
        if op in ("Do", "scn", "SCN") and len(operands):
            entries = resources.get(Name.XObject if op == "Do" else Name.Pattern)
            name = operands[0] if op == "Do" else operands[-1]
            target = entries.get(name) if isinstance(name, Name) and isinstance(entries, Dictionary) else None
            # an image XObject is pixels, not a content stream (Chrome draws CSS shadows as a JPEG inside a
            # soft mask's group): it shows no text and must not be parsed as operators
            if isinstance(target, pikepdf.Stream) and target.get(Name.Subtype) == Name.Image:
                continue
            if _shows_text(target, seen, depth + 1):
                return True
    return False


def _text_outside_page(category: str, name: str, value, used: dict[str, set]) -> bool:
    """Text in a resource that PDFium's page text does not hold (a tiling pattern cell, a soft mask) or
    that inherits a squeezed state (a form drawn while squeezed), or a form with a flat /Matrix."""
    if category == "/Pattern" and isinstance(value, pikepdf.Stream):
        return _shows_text(value)
    if category == "/ExtGState" and isinstance(value, Dictionary):
        mask = value.get(Name.SMask)
        return isinstance(mask, Dictionary) and _shows_text(mask.get(Name.G))
    if category == "/XObject" and isinstance(value, pikepdf.Stream) and value.get(Name.Subtype) == Name.Form:
        matrix = value.get(Name.Matrix)
        try:
            flat_matrix = isinstance(matrix, Array) and len(matrix) == 6 and _squashed(*(float(v) for v in list(matrix)[:4]))
        except (TypeError, ValueError):
            flat_matrix = True
        return (name in used.get("squeezed", ()) or flat_matrix) and _shows_text(value)
    return False


def _used_names(operations) -> dict[str, set]:
    used: dict[str, set] = {}
    for instruction in operations:
        operator = instruction.operator
        if str(operator) in TAGS and len(instruction.operands) and isinstance(instruction.operands[0], Name):
            used.setdefault("tags", set()).add(str(instruction.operands[0]))
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
    _check_content_names(used, resources, forms)
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
        for name, value in chosen.items():
            _clean_resource(pdf, category, value, forms, depth)
            if isinstance(forms, _Seen) and _text_outside_page(category, str(name), value, used):
                forms.flattened.add(forms.page)
        kept[Name(category)] = chosen
    return kept


def _check_content_names(used: dict[str, set], resources, forms: set) -> None:
    """Names in a content stream that the copy keeps as they are and the copy's check does not read: marked-
    content tags, rendering intents and names of resources that do not exist (a kept resource's name is a key
    in its resources, checked for personal data with the copy's other names, unseen.py). One with personal
    data refuses the copy."""
    names = set(used.get("tags", ()))
    for category, wanted in used.items():
        if category.startswith("/"):
            entries = resources.get(category) if isinstance(resources, Dictionary) else None
            names |= wanted - set(entries.keys()) if isinstance(entries, Dictionary) else wanted
    for name in sorted(names):
        found = _personal(name)
        if found is not None:
            where = f"pagina {forms.page}" if isinstance(forms, _Seen) and forms.page else "een pagina"
            raise CopyError(
                f"een naam in de inhoud van {where} (een markering of verwijzing) bevat {PERSONAL_KINDS.get(found.kind, found.kind)} "
                f"({found.masked}); zo'n naam wordt niet getoond, maar wel meegepubliceerd"
            )


def _clean_resource(pdf: pikepdf.Pdf, category: str, value, forms: set, depth: int) -> None:
    """One resource the content uses, cleaned by kind at every level (``KINDS``)."""
    if category == "/Font":
        _clean_kind(pdf, value, "font", forms, depth)
    elif category == "/XObject":
        subtype = value.get(Name.Subtype) if isinstance(value, (Dictionary, pikepdf.Stream)) else None
        if isinstance(value, pikepdf.Stream) and subtype == Name.Form:
            _clean_form(pdf, value, forms, depth + 1)
        elif subtype in (Name.Image, None):
            _clean_kind(pdf, value, "image", forms, depth)
            _judge_image_xobject(pdf, value, forms)
        else:  # a PostScript XObject: code that viewers do not run, but that can hold any text
            raise CopyError(
                f"een pagina gebruikt een object van het soort {str(subtype)[1:40]} (XObject), dat niet beoordeeld kan worden"
            )
    elif category == "/ExtGState":
        _clean_kind(pdf, value, "ext_g_state", forms, depth)
    elif category == "/Pattern" and isinstance(value, pikepdf.Stream):  # a tiling pattern draws like a form
        _clean_form(pdf, value, forms, depth + 1, keys="tiling_pattern")
    elif category == "/Pattern":
        _clean_kind(pdf, value, "pattern", forms, depth)
    elif category == "/Shading":
        _clean_kind(pdf, value, "shading", forms, depth)
    elif category == "/ColorSpace":
        _clean_kind(pdf, value, "colorspace", forms, depth)
    elif category == "/Properties":
        _clean_kind(pdf, value, "properties", forms, depth)


# -- cleaning by kind (the KINDS tables) ---------------------------------------------------------
_DROP = "drop"
_STRING_IN = {"/Indexed": 3}  # the one place a colour space array holds a string: an Indexed lookup table
_COLOUR_SPACE_PARTS = {
    "/ICCBased": {1: "icc"},
    "/Indexed": {1: "colorspace", 3: "data"},
    "/Separation": {2: "colorspace", 3: "function"},
    "/DeviceN": {2: "colorspace", 3: "function", 4: "devicen"},
    "/CalGray": {1: "calibrated"},
    "/CalRGB": {1: "calibrated"},
    "/Lab": {1: "calibrated"},
    "/Pattern": {1: "colorspace"},
}


def _flat(value) -> bool:
    """A value without text or data at any depth: a name, number, boolean, null, or arrays of those."""
    todo, seen = [value], 0
    while todo:
        item = todo.pop()
        seen += 1
        if isinstance(item, (pikepdf.String, Dictionary, pikepdf.Stream)) or seen > 1_000_000:
            return False
        if isinstance(item, Array):
            todo += list(item)
    return True


def _clean_kind(pdf: pikepdf.Pdf, value, kind: str, forms: set, depth: int, level: int = 0) -> None:
    """Clean ``value`` as an object of ``kind`` (``KINDS``): a dictionary or stream by its table, an array
    element by element; forms and fonts by ``_clean_form`` and ``_clean_font``. Objects met before (as the
    same kind) are skipped, so shared objects and cycles are cleaned once."""
    if level > MAX_DEPTH:
        raise CopyError("te diep geneste objecten onder de bronnen van een pagina")
    if isinstance(value, Array):
        key = _key(value)
        if key is not None:
            if (key, kind) in forms:
                return
            forms.add((key, kind))
        if kind == "colorspace":
            _clean_colour_space(pdf, value, forms, depth, level)
            return
        for item in value:
            if isinstance(item, pikepdf.String):
                raise CopyError(f"een reeks van het soort {kind} bevat tekst, wat daar niet thuishoort")
            if isinstance(item, (Array, Dictionary, pikepdf.Stream)):
                _clean_kind(pdf, item, kind, forms, depth, level + 1)
        return
    if not isinstance(value, (Dictionary, pikepdf.Stream)):
        return
    if kind == "form":
        if isinstance(value, pikepdf.Stream):
            _clean_form(pdf, value, forms, depth + 1)
        return
    if kind == "font":
        _clean_font(pdf, value, forms, depth)
        return
    if kind == "colorspace":
        raise CopyError("een kleurruimte is een woordenboek of stroom in plaats van een naam of reeks")
    if kind == "properties":
        kind = "optional_content" if value.get(Name.Type) in (Name.OCG, Name.OCMD) else "marked_content"
    if kind == "ext_g_state":
        _judge_state(value)
    if kind == "group" and value.get("/K") is True:
        raise CopyError(
            "een transparantiegroep is 'knock-out' (/K true): Acrobat en andere pdf-lezers wissen daarin wat "
            "eronder getekend is (ook met onzichtbare vlakken), de beoordeling (zoals Chrome tekent) niet"
        )
    _clean_table(pdf, value, kind, forms, depth, level)


# Transfer functions that change nothing; any other lets an ExtGState remap every colour drawn (also the
# colours the gate's own render paints each text object in, to tell them apart).
_NEUTRAL_TRANSFER = (Name("/Identity"), Name("/Default"))


def _judge_state(state) -> None:
    """A graphics state parameter dictionary (``gs``) as the copy may keep it. A transfer function
    (``/TR``, ``/TR2``; deprecated in PDF 2.0, rare in documents) other than the identity refuses: it
    remaps colours after the gate chose them. Overprint (``/OP``, ``/op``, ``/OPM``) goes: the gate judges
    the page as PDFium draws it, which ignores overprint, while Acrobat's overprint preview, MuPDF,
    Ghostscript and printers let white (``0 0 0 0 k``) text vanish on what lies under it. Dropped,
    every viewer draws the copy as it was judged (refusing would reject print-ready documents, whose
    black text commonly overprints)."""
    for key in ("/TR", "/TR2"):
        value = state.get(key)
        if value is not None and not (isinstance(value, Name) and value in _NEUTRAL_TRANSFER):
            raise CopyError(
                "een grafische toestand (ExtGState) heeft een overdrachtsfunctie (/TR) die kleuren omzet: "
                "wat er getekend wordt, kan dan niet betrouwbaar beoordeeld worden"
            )
    for key in ("/OP", "/op", "/OPM"):
        if key in state:
            del state[key]


# -- overprint ------------------------------------------------------------------------------------------
# The copy drops overprint (``_judge_state``): PDFium, the gate's judge, ignores it, so without it every
# viewer draws the copy as it was judged. But a reviewer who read the original with overprint shown
# (Acrobat's overprint preview, the default for PDF/X; MuPDF; print) may have seen something else: with
# overprint a colour paints only its own inks and leaves the others of what lies under it, so white CMYK
# text (``0 0 0 0 k`` in nonzero mode, ``/OPM 1``) vanishes on a black box, cyan text on black becomes
# black, a spot colour (Separation, DeviceN) mixes with the black under it. Painting that overprint can
# change is refused on a page that shows text; the common print-production case stays accepted:
# overprint in DeviceGray, RGB, Lab or calibrated spaces (these paint all inks), CMYK with overprint
# mode 0 or with every component above zero, and full black (K = 1: the ink that makes text black is
# painted, whatever it overprints). Nonzero overprint mode applies only to painting in the current
# colour (paths, text, image masks), not to images and shadings (PLRM 4.8.5; ISO 32000-1 8.6.7).
_PROCESS = {"/Cyan", "/Magenta", "/Yellow", "/Black"}
_CURRENT_PAINT = {"f", "F", "f*", "B", "B*", "b", "b*", "S", "s"}
_STROKES = {"B", "B*", "b", "b*", "S", "s"}
_FILLS = {"f", "F", "f*", "B", "B*", "b", "b*"}
_STROKE_MODES = {1, 2, 5, 6}
_FILL_MODES = {0, 2, 4, 6}
OVERPRINT = (
    "de pdf laat kleuren 'overdrukken' (overprint: /OP of /op in een grafische toestand) in een kleur die niet "
    "alle inkten dekt ({what}): in Acrobats overdrukvoorvertoning (standaard voor PDF/X), in andere pdf-lezers en "
    "bij afdrukken kan tekst daardoor verdwijnen of een zwart vlak verschijnen, terwijl de gepubliceerde kopie "
    "(zonder overdrukken) iets anders toont dan de beoordelaar mogelijk zag. Maak de pdf opnieuw vanuit het "
    "bronbestand zonder overdrukken (of alleen met overdrukken van zwart) en lak met een lakprogramma dat tekst "
    "verwijdert"
)


def _overprints(resources, seen: set, depth: int = 0) -> bool:
    """Does a graphics state in ``resources``, or in those of the forms, patterns and Type 3 fonts they
    hold, turn overprint on? (Cheap: most pages have none, and then nothing more is read.)"""
    if not isinstance(resources, Dictionary) or depth > MAX_DEPTH or len(seen) > MAX_FORMS:
        return False
    key = _key(resources)
    if key is not None:
        if key in seen:
            return False
        seen.add(key)
    states = resources.get(Name.ExtGState)
    for state in states.values() if isinstance(states, Dictionary) else []:
        if isinstance(state, Dictionary) and (state.get("/OP") is True or state.get("/op") is True):
            return True
    for category in (Name.XObject, Name.Pattern, Name.Font):
        entries = resources.get(category)
        for value in entries.values() if isinstance(entries, Dictionary) else []:
            if isinstance(value, (Dictionary, pikepdf.Stream)):
                vkey = _key(value)
                if vkey is not None:
                    if ("res", vkey) in seen:
                        continue
                    seen.add(("res", vkey))
                if _overprints(value.get(Name.Resources), seen, depth + 1):
                    return True
    return False


def _space_of(name, resources):
    """The colour space a ``cs``/``CS`` operand names (a device family name or the resource it names)."""
    if not isinstance(name, Name):
        return None
    if str(name) in ("/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/Pattern", "/G", "/RGB", "/CMYK"):
        return {"/G": Name.DeviceGray, "/RGB": Name.DeviceRGB, "/CMYK": Name.DeviceCMYK}.get(str(name), name)
    spaces = resources.get(Name.ColorSpace) if isinstance(resources, Dictionary) else None
    return spaces.get(name) if isinstance(spaces, Dictionary) else None


def _family(space) -> str:
    if isinstance(space, Name):
        return str(space)
    if isinstance(space, Array) and len(space) and isinstance(space[0], Name):
        return str(space[0])
    return ""


def _overprint_changes(space, values: list, mode: int, current: bool = True, depth: int = 0) -> str | None:
    """What overprint would change when painting in ``space`` with ``values`` (None when nothing: the
    colour paints every ink). ``current``: painting in the current colour (nonzero mode applies)."""
    family = _family(space)
    if family in ("/DeviceCMYK", "/ICCBased"):
        if family == "/ICCBased":
            profile = space[1] if isinstance(space, Array) and len(space) > 1 else None
            if not (isinstance(profile, pikepdf.Stream) and profile.get(Name.N) == 4):
                return None
        if mode != 1 or not current:
            return None
        if len(values) == 4 and (all(v > 0 for v in values) or values[3] >= 1):
            return None
        return "een CMYK-kleur met een of meer nullen, in overdrukmodus 1 (/OPM 1)"
    if family in ("/Separation", "/DeviceN"):
        given = space[1] if isinstance(space, Array) and len(space) > 1 else None
        names = [str(given)] if isinstance(given, Name) else [str(n) for n in given] if isinstance(given, Array) else []
        if names == ["/All"] or (names and all(n == "/None" for n in names)):
            return None
        tints = dict(zip(names, values))
        if tints.get("/Black", 0) >= 1 or (_PROCESS <= set(names) and len(values) == len(names) and all(v > 0 for v in values)):
            return None
        return f"een steunkleur ({family[1:]} {' '.join(n[1:] for n in names)[:60]})"
    if family == "/Indexed":
        base = space[1] if isinstance(space, Array) and len(space) > 1 else None
        if depth < 2 and _overprint_changes(base, [], mode, current, depth + 1) is not None:
            return "een geïndexeerde kleur op een basis van steunkleuren of CMYK"
        return None
    if family == "/Pattern":
        return "een patroon of kleurverloop"
    return None


def _numbers(operands) -> list[float]:
    out = []
    for value in operands:
        try:
            out.append(float(value))
        except (TypeError, ValueError):
            continue
    return out


_INITIAL = {"/DeviceCMYK": [0.0, 0.0, 0.0, 1.0], "/Separation": [1.0]}


def _initial(space) -> list[float]:
    family = _family(space)
    if family == "/DeviceN" and isinstance(space, Array) and len(space) > 1 and isinstance(space[1], Array):
        return [1.0] * len(space[1])
    return list(_INITIAL.get(family, [0.0]))


def _judge_overprint(page, number: int) -> None:
    """Refuse a page that shows text and paints with overprint in a colour overprint can change (see above)."""
    resources = page.get(Name.Resources)
    if not _overprints(resources, set()):
        return
    try:
        operations = pikepdf.parse_content_stream(pikepdf.Page(page))
    except pikepdf.PdfError as exc:
        raise CopyError(f"de inhoud van een pagina is onleesbaar ({str(exc)[:120]})") from exc
    state = {"op": False, "OP": False, "OPM": 0, "fill": (Name.DeviceGray, [0.0]), "stroke": (Name.DeviceGray, [0.0]), "Tr": 0}
    found: dict[str, str] = {}
    _overprint_walk(operations, resources, state, found, set(), 0)
    if "refuse" in found:
        raise CopyError(f"{OVERPRINT.format(what=found['refuse'])} (pagina {number})")


def _overprint_walk(operations, resources, state: dict, found: dict, seen: set, depth: int) -> None:
    """Follow the overprint and colour state through ``operations`` (forms drawn inherit it). ``found``
    notes under ``"pending"`` the first painting overprint can change, and under ``"refuse"`` what makes the
    page refused: text painted so, or any text shown after such painting (it may lie on it). Painting
    after the last text only covers: where it lies over text, the page as judged (without overprint)
    hides at least as much as with it, and hidden text is refused anyway."""
    if depth > MAX_DEPTH or len(seen) > MAX_FORMS:
        raise CopyError("te diep geneste of te veel vormobjecten (Form XObjects)")
    resources = resources if isinstance(resources, Dictionary) else Dictionary()
    stack: list[dict] = []

    def changed(what: str | None, text: bool) -> None:
        if what and "pending" not in found:
            found["pending"] = what
        if text and "pending" in found:
            found["refuse"] = found["pending"]

    for instruction in operations:
        if "refuse" in found:
            return
        op = str(instruction.operator)
        operands = instruction.operands
        if op == "q":
            stack.append(dict(state))
        elif op == "Q" and stack:
            state.clear()
            state.update(stack.pop())
        elif op == "gs" and len(operands):
            states = resources.get(Name.ExtGState)
            gstate = states.get(operands[0]) if isinstance(states, Dictionary) and isinstance(operands[0], Name) else None
            if isinstance(gstate, Dictionary):
                if "/OP" in gstate:
                    state["OP"] = gstate.get("/OP") is True
                    if "/op" not in gstate:
                        state["op"] = state["OP"]
                if "/op" in gstate:
                    state["op"] = gstate.get("/op") is True
                if "/OPM" in gstate:
                    state["OPM"] = 1 if gstate.get("/OPM") == 1 else 0
        elif op in ("g", "rg", "k", "G", "RG", "K"):
            family = {"g": Name.DeviceGray, "rg": Name.DeviceRGB, "k": Name.DeviceCMYK}[op.lower()]
            state["fill" if op.islower() else "stroke"] = (family, _numbers(operands))
        elif op in ("cs", "CS") and len(operands):
            space = _space_of(operands[0], resources)
            state["fill" if op == "cs" else "stroke"] = (space, _initial(space))
        elif op in ("sc", "scn", "SC", "SCN"):
            key = "fill" if op.islower() else "stroke"
            state[key] = (state[key][0], _numbers(operands))
        elif op == "Tr" and len(operands):
            try:
                state["Tr"] = int(operands[0])
            except (TypeError, ValueError):
                pass
        elif op in _SHOWS or op in _CURRENT_PAINT:
            if op in _SHOWS:
                fills, strokes = state["Tr"] in _FILL_MODES, state["Tr"] in _STROKE_MODES
            else:
                fills, strokes = op in _FILLS, op in _STROKES
            for on, key, paints in (("op", "fill", fills), ("OP", "stroke", strokes)):
                if paints and state[on]:
                    changed(_overprint_changes(state[key][0], state[key][1], state["OPM"]), False)
            changed(None, op in _SHOWS)
        elif op == "sh" and len(operands) and state["op"]:
            shadings = resources.get(Name.Shading)
            shading = shadings.get(operands[0]) if isinstance(shadings, Dictionary) and isinstance(operands[0], Name) else None
            if isinstance(shading, Dictionary):
                changed(_overprint_changes(shading.get(Name.ColorSpace), [], state["OPM"], current=False), False)
        elif op == "Do" and len(operands) and isinstance(operands[0], Name):
            objects = resources.get(Name.XObject)
            target = objects.get(operands[0]) if isinstance(objects, Dictionary) else None
            if not isinstance(target, pikepdf.Stream):
                continue
            if target.get(Name.Subtype) == Name.Form:
                form_key = _key(target)
                if form_key is not None:  # a form met again in the same state: judged already
                    inherited = (form_key, repr(sorted((k, str(v)) for k, v in state.items())))
                    if inherited in seen:
                        continue
                    seen.add(inherited)
                try:
                    inner = pikepdf.parse_content_stream(target)
                except pikepdf.PdfError as exc:
                    raise CopyError(f"de inhoud van een vormobject is onleesbaar ({str(exc)[:120]})") from exc
                _overprint_walk(inner, target.get(Name.Resources), dict(state), found, seen, depth + 1)
            elif state["op"]:
                if target.get(Name.ImageMask) is True:
                    changed(_overprint_changes(state["fill"][0], state["fill"][1], state["OPM"]), False)
                else:
                    changed(_overprint_changes(target.get(Name.ColorSpace), [], state["OPM"], current=False), False)


# Entries that place or size what is drawn: numbers beyond ``MAX_NUMBER`` there refuse (``_too_large``).
_BOUNDED_KEYS = frozenset(
    "/BBox /Matrix /Rect /FontMatrix /FontBBox /Widths /W /W2 /DW /DW2 /MissingWidth /XStep /YStep /Coords".split()
)


def _clean_table(pdf: pikepdf.Pdf, obj, kind: str, forms: set, depth: int, level: int = 0) -> None:
    """Keep of ``obj`` only the keys of its kind's table, each value as the table says (see ``KINDS``)."""
    key = _key(obj)
    if key is not None:
        if (key, kind) in forms:
            return
        forms.add((key, kind))
    table = KINDS[kind]
    for k in _BOUNDED_KEYS.intersection(obj.keys()):
        if _too_large(obj[k]):
            raise CopyError(f"een object bevat een te groot getal (bij {k[1:]}): {_TOO_LARGE}")
    for k in list(obj.keys()):
        spec = table[k] if k in table else table.get("*", _DROP)
        value = obj[k]
        if spec == _DROP or (spec is None and not _flat(value)):
            del obj[k]
        elif spec == "text":
            if not (isinstance(value, pikepdf.String) or _flat(value)):
                del obj[k]
        elif spec not in (None, "keep"):
            if isinstance(value, pikepdf.String):
                del obj[k]  # text where the specification expects an object: never read
            else:
                _clean_kind(pdf, value, spec, forms, depth, level + 1)
    for k, (allowed, refuse) in _KIND_NAMES.get(kind, {}).items():
        _enum(obj, k, allowed, refuse)
    if kind == "function":
        _clean_function(obj)
    elif kind == "shading":
        _judge_shading(obj)
    elif kind == "image" and isinstance(obj, pikepdf.Stream):
        _clean_image_data(pdf, obj)
    elif kind == "icc" and isinstance(obj, pikepdf.Stream):
        clean_icc(obj)
    elif kind == "font_descriptor":
        for k in ("/FontFile", "/FontFile2", "/FontFile3"):
            if isinstance(obj.get(k), pikepdf.Stream):
                clean_font_program(obj[k], k)


def _clean_function(function) -> None:
    """A function of a known type; a PostScript calculator (type 4) without its ``%`` comments: its code
    holds no strings, so every ``%`` starts a comment, which could carry any text."""
    kind = function.get(Name.FunctionType)
    if kind not in FUNCTION_TYPES:
        raise CopyError("een functie (bijvoorbeeld een kleurverloop of overdrachtsfunctie) is van onbekende soort")
    if kind == 4 and isinstance(function, pikepdf.Stream):
        try:
            code = function.read_bytes()
        except pikepdf.PdfError as exc:
            raise CopyError(f"een rekenfunctie (PostScript) is onleesbaar ({str(exc)[:120]})") from exc
        if b"%" in code:
            function.write(re.sub(rb"%[^\r\n]*", b"", code))
    if kind == 0 and isinstance(function, pikepdf.Stream):
        _cut_samples(function)


def _cut_samples(function: pikepdf.Stream) -> None:
    """A sampled function (type 0) without the bytes past its last sample: no viewer reads them, the copy would
    publish them (round 9, A16). One whose entries cannot be read is left to ``_function_shape``, which judges it."""
    sizes, bits, ranges = function.get(Name.Size), function.get(Name.BitsPerSample), function.get(Name.Range)
    if not (isinstance(sizes, Array) and isinstance(ranges, Array) and bits in (1, 2, 4, 8, 12, 16, 24, 32)):
        return
    count = 1
    for size in sizes:
        whole = _whole(size)
        if whole is None or not 0 < whole <= MAX_IMAGE_SIDE:
            return
        count *= whole
    expected = (count * (len(ranges) // 2) * int(bits) + 7) // 8
    try:
        data = function.read_bytes()
    except pikepdf.PdfError:
        return  # judged (and refused) as unreadable where the function is read
    if len(data) > expected:
        function.write(data[:expected])


# -- JPEG image data ------------------------------------------------------------------------------
# What decoding a JPEG needs: frame headers (SOFn), tables (DHT, DQT, DAC), restart interval (DRI),
# scans (SOS and their entropy-coded data), DNL; APP0 only as a JFIF header (it tells a decoder the
# colours are YCbCr) and APP14 only as an Adobe header (the colour transform of CMYK/YCCK), both cut to
# their fixed fields. Everything else goes: APP1 (EXIF with camera owner and GPS, XMP), APP2 (ICC: in a
# PDF the image's /ColorSpace governs colour, PDFium does not read it), APP3-APP13, APP15, comments (COM)
# and bytes after the end (EOI). A marker a decoder would not accept refuses the copy.
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_JPEG_TABLES = _JPEG_SOF | {0xC4, 0xCC, 0xDB, 0xDD, 0xDC}  # + DHT, DAC, DQT, DRI, DNL
_JPEG_DROPPED = set(range(0xE1, 0xEE)) | {0xEF, 0xFE}  # APP1-APP13, APP15, COM
_JFIF_FIELDS, _ADOBE_FIELDS = 14, 12  # "JFIF\0" version units densities (thumbnail 0x0); "Adobe" version flags transform
# fill bytes and a marker (0xFF 0xFF 0x00 is data); matched from the first 0xFF of a run only, in linear time
_JPEG_SCAN_END = re.compile(rb"(?<!\xff)\xff++[^\x00\xd0-\xd7\xff]")
_JPEG_IN_SCAN = frozenset([0x00, *range(0xD0, 0xD8)])  # after 0xFF inside entropy-coded data: a stuffed byte, RSTn


def _scan_end(data: bytes, pos: int) -> int | None:
    """Where ``_JPEG_SCAN_END.search(data, pos)`` starts (None where it finds nothing): the first run of 0xFF
    bytes (not preceded by 0xFF, also before ``pos``) followed by a byte other than 0x00, RSTn or 0xFF. Found
    with ``bytes.find``: the pattern's look-behind makes the regular expression try every byte (5 ms for the
    JPEG of a scanned page, a tenth of that here; tests/test_gate_speed.py compares the two)."""
    find, size = data.find, len(data)
    at = find(b"\xff", pos)
    while at != -1:
        after = at + 1
        while after < size and data[after] == 0xFF:
            after += 1
        if after >= size:
            return None
        if data[after] not in _JPEG_IN_SCAN and (at == 0 or data[at - 1] != 0xFF):
            return at
        at = find(b"\xff", after)
    return None


_JPEG_FILL = re.compile(rb"\xff*")
_TRAILING_BLANK = b"\x00\t\n\x0c\r "


def _clean_image_data(pdf: pikepdf.Pdf, image) -> None:
    """A JPEG image (``/DCTDecode``, alone or as the last filter of a chain) without its metadata."""
    filters = image.get(Name.Filter)
    names = [filters] if isinstance(filters, Name) else list(filters) if isinstance(filters, Array) else []
    codec = Name.DCTDecode if Name.DCTDecode in names else Name.JPXDecode if Name.JPXDecode in names else None
    if codec is None:
        return
    if names[-1] != codec:
        raise CopyError(f"een JPEG-afbeelding ({str(codec)[1:]}) staat niet als laatste filter van haar stroom")
    parms = image.get(Name.DecodeParms)
    try:
        data = image.read_raw_bytes()
        if len(names) > 1:  # the wrapper's filters (ASCII85, Flate, ...) decoded on a stream of their own
            wrapped = pdf.make_stream(data)  # unreferenced: not written
            wrapped[Name.Filter] = Array(names[:-1])
            if (
                isinstance(parms, Array)
                and len(parms) == len(names)
                and any(isinstance(p, Dictionary) and len(p) for p in list(parms)[:-1])
            ):
                wrapped[Name.DecodeParms] = Array(list(parms)[:-1])  # qpdf: an empty one makes a filter unusable
            data = wrapped.read_bytes()
    except pikepdf.PdfError as exc:
        raise CopyError(f"een JPEG-afbeelding is onleesbaar ({str(exc)[:120]})") from exc
    cleaned = jpeg_without_metadata(data) if codec == Name.DCTDecode else jpx_without_metadata(data)
    if cleaned is None:
        return
    if isinstance(parms, Array):
        parms = parms[len(parms) - 1] if len(parms) == len(names) else None
    image.write(cleaned, filter=codec, decode_parms=parms if isinstance(parms, Dictionary) else None)


def jpeg_without_metadata(data: bytes) -> bytes | None:
    """``data`` (a JPEG) with only what decoding needs, or None when it holds nothing else (then kept byte
    for byte). A structure that cannot be read raises ``CopyError``."""

    def refuse(what: str) -> CopyError:
        return CopyError(f"een JPEG-afbeelding is beschadigd of onbekend van opbouw ({what})")

    if data[:2] != b"\xff\xd8":
        raise refuse("geen JPEG-begin")
    out, pos, size, changed, frames = [b"\xff\xd8"], 2, len(data), False, 0
    while True:
        start = pos
        if pos >= size:
            raise refuse("einde zonder EOI-markering")
        if data[pos] != 0xFF:
            raise refuse(f"losse bytes op positie {pos}")
        pos = _JPEG_FILL.match(data, pos).end()  # fill bytes before a marker
        if pos >= size:
            raise refuse("einde zonder EOI-markering")
        marker = data[pos]
        pos += 1
        changed |= pos - start != 2
        if marker == 0xD9:  # EOI: the end; bytes after it go (blanks alone are left as they are)
            out.append(b"\xff\xd9")
            changed |= bool(data[pos:].strip(_TRAILING_BLANK))
            break
        if not (marker in _JPEG_TABLES or marker == 0xDA or 0xE0 <= marker <= 0xEF or marker == 0xFE):
            raise refuse(f"markering 0x{marker:02X}")
        if pos + 2 > size:
            raise refuse("afgebroken segment")
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > size:
            raise refuse(f"segmentlengte {length} klopt niet")
        body = data[pos + 2 : pos + length]
        pos += length
        if marker in _JPEG_DROPPED:
            changed = True
            continue
        if marker in (0xE0, 0xEE):
            sign, fields = (b"JFIF\x00", _JFIF_FIELDS) if marker == 0xE0 else (b"Adobe", _ADOBE_FIELDS)
            if not body.startswith(sign) or len(body) < fields:
                changed = True  # another APP0 (JFXX thumbnail) or APP14: not needed to decode
                continue
            kept = body[:fields]
            if marker == 0xE0:
                kept = kept[:12] + b"\x00\x00"  # no thumbnail
            if kept != body:
                changed = True
            out.append(bytes([0xFF, marker]) + (len(kept) + 2).to_bytes(2, "big") + kept)
            continue
        out.append(bytes([0xFF, marker]) + data[pos - length : pos])
        if marker in _JPEG_SOF:
            frames += 1
        if marker != 0xDA:
            continue
        if not frames:
            raise refuse("scan zonder beeldkop (SOF)")
        end = _scan_end(data, pos)  # entropy-coded data: up to a marker other than RSTn or 0xFF00
        if end is None:  # no end marker: kept as it is (a decoder shows what it read)
            out.append(data[pos:])
            return b"".join(out) if changed else None
        scan, pos = pos, end
        out.append(data[scan:pos])
    return b"".join(out) if changed else None


# -- JPEG 2000 image data ---------------------------------------------------------------------------
# A JPX image (``/JPXDecode``) is a JP2 file (boxes) or a bare codestream. Decoding needs the signature,
# file type and header boxes and the codestream; boxes with XML, UUID data, UUID lists, intellectual
# property and any other go, as do the header's unknown boxes. An ICC profile in the colour box keeps only
# what its tables cover (``clean_icc``); the file type box keeps its brand and the JPEG 2000 brands it
# lists. In the codestream, comments (COM) of the main header and bytes after its end (EOC) go; a comment
# in a tile-part header refuses the copy (its lengths would have to be rewritten; no encoder writes one).
_JP2_SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
_JP2_HEADER_BOXES = {b"ihdr", b"bpcc", b"colr", b"pclr", b"cmap", b"cdef", b"res ", b"resc", b"resd"}
_JP2_BRANDS = {b"jp2 ", b"jpx ", b"jpxb"}


def _boxes(data: bytes, refuse) -> list[tuple[bytes, bytes]]:
    """The boxes (type, contents) of a JP2 box sequence."""
    out, pos = [], 0
    while pos < len(data):
        if pos + 8 > len(data):
            if data[pos:].strip(_TRAILING_BLANK):
                raise refuse("afgebroken box")
            break
        length, kind, start = int.from_bytes(data[pos : pos + 4], "big"), data[pos + 4 : pos + 8], pos + 8
        if length == 1:
            if pos + 16 > len(data):
                raise refuse("afgebroken box")
            length, start = int.from_bytes(data[pos + 8 : pos + 16], "big"), pos + 16
        elif length == 0:
            length = len(data) - pos
        if length < start - pos or pos + length > len(data):
            raise refuse(f"boxlengte {length} klopt niet")
        out.append((kind, data[start : pos + length]))
        pos += length
    return out


def _box(kind: bytes, contents: bytes) -> bytes:
    return (len(contents) + 8).to_bytes(4, "big") + kind + contents


def jpx_without_metadata(data: bytes) -> bytes | None:
    """``data`` (a JP2 file or a JPEG 2000 codestream) with only what decoding needs, or None when it
    holds nothing else. A structure that cannot be read raises ``CopyError``."""

    def refuse(what: str) -> CopyError:
        return CopyError(f"een JPEG 2000-afbeelding is beschadigd of onbekend van opbouw ({what})")

    if data.startswith(b"\xff\x4f\xff\x51"):
        cleaned = _codestream(data, refuse)
        return None if cleaned == data else cleaned
    if not data.startswith(_JP2_SIGNATURE):
        raise refuse("geen JP2-begin of codestroom")
    out = [_JP2_SIGNATURE]
    codestreams = 0
    for kind, contents in _boxes(data[len(_JP2_SIGNATURE) :], refuse):
        if kind == b"ftyp":
            if len(contents) < 8:
                raise refuse("bestandstype")
            brands = [contents[i : i + 4] for i in range(8, len(contents) - 3, 4)]
            out.append(_box(kind, contents[:4] + bytes(4) + b"".join(b for b in brands if b in _JP2_BRANDS)))
        elif kind == b"jp2h":
            kept = []
            for inner, part in _boxes(contents, refuse):
                if inner == b"colr" and len(part) > 3 and part[0] in (2, 3):  # an ICC profile
                    if not _SCRATCH:
                        _SCRATCH.append(pikepdf.new())
                    profile = _SCRATCH[0].make_stream(part[3:])
                    clean_icc(profile)
                    part = part[:3] + profile.read_bytes()
                if inner in _JP2_HEADER_BOXES:
                    kept.append(_box(inner, part))
            out.append(_box(kind, b"".join(kept)))
        elif kind == b"jp2c":
            codestreams += 1
            if codestreams == 1:
                out.append(_box(kind, _codestream(contents, refuse)))
    if not codestreams:
        raise refuse("geen codestroom")
    cleaned = b"".join(out)
    return None if cleaned == data else cleaned


def _codestream(data: bytes, refuse) -> bytes:
    """A JPEG 2000 codestream without the comments of its main header and without bytes after its end."""
    if not data.startswith(b"\xff\x4f"):
        raise refuse("codestroom zonder SOC")
    out, pos = [b"\xff\x4f"], 2
    while True:  # the main header, up to the first tile-part (SOT)
        if pos + 4 > len(data) or data[pos] != 0xFF:
            raise refuse(f"losse bytes op positie {pos}")
        marker = data[pos + 1]
        if marker == 0x90:
            break
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if length < 2 or pos + 2 + length > len(data):
            raise refuse(f"segmentlengte {length} klopt niet")
        if marker != 0x64:  # COM: a comment
            out.append(data[pos : pos + 2 + length])
        pos += 2 + length
    start = pos
    while data[pos : pos + 2] == b"\xff\x90":  # tile-parts, each as long as its SOT says
        if pos + 12 > len(data):
            raise refuse("afgebroken tegel")
        size = int.from_bytes(data[pos + 6 : pos + 10], "big")
        header = pos + 12
        while data[header : header + 2] not in (b"\xff\x93", b""):  # the tile-part header, up to SOD
            if data[header : header + 2] == b"\xff\x64":
                raise refuse("commentaar in een tegel")
            if len(data) < header + 4:
                raise refuse("afgebroken tegel")
            header += 2 + int.from_bytes(data[header + 2 : header + 4], "big")
        if size == 0:  # the last tile-part: up to EOC (never inside packet data)
            end = data.find(b"\xff\xd9", header)
            pos = len(data) if end < 0 else end
            break
        if size < 14 or pos + size > len(data):
            raise refuse(f"tegellengte {size} klopt niet")
        pos += size
    if data[pos : pos + 2] == b"\xff\xd9":
        pos += 2
    elif data[pos:].strip(_TRAILING_BLANK):
        raise refuse("geen EOC na de laatste tegel")
    out.append(data[start:pos])
    return b"".join(out)


# -- colour profiles and font programs -----------------------------------------------------------------
# An ICC profile and an embedded font program are data a viewer reads by their own tables: what no table
# points to (bytes after the declared end, gaps between tables, a profile header's reserved bytes) is read by
# nobody and could carry anything, so the copy keeps zeros there and cuts what follows the end. Text the
# tables do hold (profile descriptions and copyright, a font's names and notices) stays and is checked
# for personal data like the copy's other strings (unseen.py ``kept_strings``). A structure that cannot be
# read refuses the copy.
MAX_PROGRAM = 64 * 1024 * 1024
MAX_TABLES = 4096
_ICC_HEADER = 128


def _program_bytes(stream, what: str) -> bytes:
    try:
        length = stream.get(Name.Length)
        if isinstance(length, int) and length > MAX_PROGRAM:
            raise CopyError(f"{what} is te groot om te beoordelen")
        data = stream.read_bytes()
    except pikepdf.PdfError as exc:
        raise CopyError(f"{what} is onleesbaar ({str(exc)[:120]})") from exc
    if len(data) > MAX_PROGRAM:
        raise CopyError(f"{what} is te groot om te beoordelen")
    return data


def _blank_between(data: bytes, end: int, parts: list[tuple[int, int]]) -> bytes:
    """``data[:end]`` with every byte outside ``parts`` (start, length) set to zero."""
    out = bytearray(data[:end])
    position = 0
    for start, length in sorted(parts):
        if start > position:
            out[position:start] = bytes(start - position)
        position = max(position, start + length)
    if position < end:
        out[position:end] = bytes(end - position)
    return bytes(out)


def clean_icc(stream) -> None:
    """An ICC profile (ICCBased colour space, output intent) with only what its header and tag table cover."""
    what = "een kleurprofiel (ICC)"
    data = _program_bytes(stream, what)

    def refuse(reason: str) -> CopyError:
        return CopyError(f"{what} is beschadigd of onbekend van opbouw ({reason})")

    if len(data) < _ICC_HEADER + 4 or data[36:40] != b"acsp":
        # no profile at all: every viewer draws with the alternate space (/Alternate, or the device space of
        # /N), so the copy keeps a profile that is as unusable and holds nothing (128 zero bytes)
        if data != bytes(_ICC_HEADER):
            stream.write(bytes(_ICC_HEADER))
        return
    size = int.from_bytes(data[0:4], "big")
    count = int.from_bytes(data[128:132], "big")
    table_end = _ICC_HEADER + 4 + 12 * count
    if size > len(data) or count > MAX_TABLES or table_end > size:
        raise refuse(f"opgegeven lengte {size} of {count} onderdelen klopt niet")
    parts = [(0, 100), (_ICC_HEADER, table_end - _ICC_HEADER)]  # the header without its reserved bytes; the tag table
    for i in range(count):
        entry = data[_ICC_HEADER + 4 + 12 * i : _ICC_HEADER + 16 + 12 * i]
        offset, length = int.from_bytes(entry[4:8], "big"), int.from_bytes(entry[8:12], "big")
        if offset + length > size or offset < table_end:
            raise refuse(f"onderdeel {entry[:4].decode('latin-1')!r} valt buiten het profiel")
        parts.append((offset, length))
    cleaned = _blank_between(data, size, parts)
    if cleaned != data:
        stream.write(cleaned)


def clean_font_program(stream, key: str) -> None:
    """An embedded font program (``key``: /FontFile Type 1, /FontFile2 TrueType, /FontFile3 CFF or OpenType)
    with only what its own structure covers."""
    what = "een ingesloten lettertype"
    data = _program_bytes(stream, what)
    subtype = stream.get(Name.Subtype)
    if (
        key == "/FontFile2"
        or (key == "/FontFile3" and subtype == Name.OpenType)
        or data[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")
    ):
        cleaned = _sfnt_covered(data, what)
        cleaned = _sfnt_rebuilt(cleaned, what)
        if key == "/FontFile2" and cleaned != data:
            stream[Name.Length1] = len(cleaned)
    elif key == "/FontFile":
        cleaned = _type1_covered(stream, data, what)
    elif data[:1] == b"\x01":  # a bare CFF program (version 1): its names and notices are checked (unseen.py)
        cleaned = _cff_rebuilt(data, what)
    else:
        raise CopyError(f"{what} (CFF) is beschadigd of onbekend van opbouw (geen CFF-kop)")
    try:
        font_texts(cleaned)  # what the copy's check reads from it must be readable
    except ValueError as exc:
        raise CopyError(f"{what} is beschadigd of onbekend van opbouw (fontTools: {exc})") from exc
    if cleaned != data:
        stream.write(cleaned)


# Tables a viewer reads to draw a TrueType or OpenType font's glyphs (FreeType, which PDFium, poppler and
# MuPDF use): outlines, metrics, hinting, character and glyph-name maps, names (checked for personal data),
# bitmap strikes and variations. Any other table (layout GSUB/GPOS/GDEF, which a PDF does not use,
# signatures, 'meta', private tables of any tag) goes from the copy. The small tables are written again by
# fontTools from what it read of them, the metrics, glyph locations and outlines cut to what their structure
# uses, so bytes after a table's own data go; outlines and hinting stay as they were (bytes a glyph's record
# holds after its own data, between two glyph locations, stay: reading every glyph doubled the copy's time).
SFNT_DRAWN = frozenset(
    ["head", "hhea", "hmtx", "maxp", "cmap", "glyf", "loca", "cvt ", "fpgm", "prep", "gasp", "post", "name", "OS/2"]
    + ["CFF ", "CFF2", "VORG", "vhea", "vmtx", "hdmx", "LTSH", "VDMX", "EBDT", "EBLC", "EBSC", "CBDT", "CBLC", "sbix"]
    + ["COLR", "CPAL", "fvar", "gvar", "avar", "cvar", "HVAR", "VVAR", "MVAR"]
)


class _NoOtFont:
    """What fontTools' CFF writer asks of the font around a bare CFF program."""

    recalcBBoxes = False


_REBUILT: dict[bytes, bytes] = {}  # the last few fonts written again, by digest (a font is shared by a package's PDFs)


def _sfnt_rebuilt(data: bytes, what: str) -> bytes:
    """A TrueType or OpenType font with only the tables in ``SFNT_DRAWN``, each written again (fontTools; a
    CFF table with only the strings it refers to). Written again, the result stays the same."""
    digest = hashlib.sha256(data).digest()
    if digest not in _REBUILT:
        if len(_REBUILT) >= 64:
            _REBUILT.clear()
        _REBUILT[digest] = _sfnt_written_again(data, what)
    return _REBUILT[digest]


# Tables fontTools reads and writes again (small, or holding text); the large ones of fixed structure (metrics,
# glyph locations and outlines) are cut to what their structure says instead, their bytes kept as they are.
SFNT_WRITTEN_AGAIN = frozenset(["head", "hhea", "maxp", "OS/2", "name", "post", "cmap", "gasp", "vhea", "CFF ", "VORG"])


def _sfnt_written_again(data: bytes, what: str) -> bytes:
    import logging

    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    quiet = logging.getLogger("fontTools")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # its warnings about what it drops (slack in 'post') are not for staff
    try:
        font = TTFont(io.BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
        count = _unnamed_glyphs(font.reader)
        if count:
            font.setGlyphOrder([".notdef"] + ["glyph%.5d" % i for i in range(1, count)])
        for tag in list(font.keys()):
            if tag == "GlyphOrder":
                continue
            if tag not in SFNT_DRAWN:
                del font[tag]
            elif tag in SFNT_WRITTEN_AGAIN:
                font[tag]  # read (decompiled), so that saving writes it again from what was read
        for tag, size in _sfnt_structure_sizes(font).items():
            kept = font.reader[tag]
            if len(kept) > size:  # bytes after what the structure uses
                table = DefaultTable(tag)
                table.data = kept[:size]
                font[tag] = table
        out = io.BytesIO()
        font.save(out, reorderTables=True)
    except Exception as exc:  # fontTools raises many kinds on a damaged program
        raise CopyError(f"{what} (TrueType/OpenType) is beschadigd of onbekend van opbouw ({type(exc).__name__})") from exc
    finally:
        quiet.setLevel(level)
    return out.getvalue()


def _unnamed_glyphs(reader) -> int:
    """The number of glyphs of a TrueType font whose glyphs have no names (no 'post' table, or one of format 3:
    subset fonts in PDFs mostly), 0 for any other font. fontTools then makes names from the character map and
    the Adobe Glyph List (reading the map twice); the glyphs are numbered instead. Nothing written again holds
    a name (the map is written with glyph numbers, 'post' format 3 has none), so the bytes are the same
    (tests/test_gate_speed.py). Only with a well-formed 'maxp' and 'post' (whose reading cannot fail, so a
    damaged font fails as before)."""
    if "CFF " in reader or "CFF2" in reader or "DMAP" in reader or "maxp" not in reader:
        return 0
    if "post" in reader:
        post = reader["post"]
        if len(post) < 32 or post[:4] != b"\x00\x03\x00\x00":
            return 0
    maxp = reader["maxp"]
    version = maxp[:4]
    if not ((version == b"\x00\x00\x50\x00" and len(maxp) == 6) or (version != b"\x00\x00\x50\x00" and len(maxp) == 32)):
        return 0
    return int.from_bytes(maxp[4:6], "big")


def _sfnt_structure_sizes(font) -> dict[str, int]:
    """The bytes the horizontal and vertical metrics, glyph locations and outlines take by their structure
    (the number of glyphs and of metrics, the last glyph location)."""
    sizes = {}
    glyphs = font["maxp"].numGlyphs
    for metrics, header, count in (("hmtx", "hhea", "numberOfHMetrics"), ("vmtx", "vhea", "numOfLongVerMetrics")):
        if metrics in font.reader and header in font:
            long = min(getattr(font[header], count), glyphs)
            sizes[metrics] = 4 * long + 2 * (glyphs - long)
    if "loca" in font.reader and "head" in font:
        width = 2 if font["head"].indexToLocFormat == 0 else 4
        sizes["loca"] = (glyphs + 1) * width
        locations = font.reader["loca"]
        if "glyf" in font.reader and len(locations) >= sizes["loca"]:
            last = int.from_bytes(locations[sizes["loca"] - width : sizes["loca"]], "big") * (2 if width == 2 else 1)
            sizes["glyf"] = last
    return sizes


def _cff_rebuilt(data: bytes, what: str) -> bytes:
    """A bare CFF program (``/FontFile3`` Type1C or CIDFontType0C) written again by fontTools from what it
    read: bytes after or between its structures and strings it never refers to go."""
    from fontTools.cffLib import CFFFontSet

    try:
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), None)
        out = io.BytesIO()
        cff.compile(out, _NoOtFont())
    except Exception as exc:  # fontTools raises many kinds on a damaged program
        raise CopyError(f"{what} (CFF) is beschadigd of onbekend van opbouw ({type(exc).__name__})") from exc
    return out.getvalue()


def _sfnt_covered(data: bytes, what: str) -> bytes:
    """A TrueType or OpenType font: its table directory and tables, zeros between them, nothing after the last."""

    def refuse(reason: str) -> CopyError:
        return CopyError(f"{what} (TrueType/OpenType) is beschadigd of onbekend van opbouw ({reason})")

    if len(data) < 12 or data[:4] not in (b"\x00\x01\x00\x00", b"true", b"OTTO", b"typ1"):
        raise refuse("geen tabellenoverzicht")
    count = int.from_bytes(data[4:6], "big")
    directory = 12 + 16 * count
    if count == 0 or count > MAX_TABLES or directory > len(data):
        raise refuse(f"{count} tabellen")
    parts, end = [(0, directory)], directory
    for i in range(count):
        record = data[12 + 16 * i : 28 + 16 * i]
        offset, length = int.from_bytes(record[8:12], "big"), int.from_bytes(record[12:16], "big")
        if offset + length > len(data) or offset < directory:
            raise refuse(f"tabel {record[:4].decode('latin-1')!r} valt buiten het lettertype")
        parts.append((offset, length))
        end = max(end, offset + length)
    end = min(len(data), end + (-end) % 4)  # the last table padded to four bytes
    return _blank_between(data, end, parts)


_TYPE1_END = re.compile(rb"cleartomark[\x00\t\n\x0c\r ]*(?:\{restore\}if|restore)?")


def _type1_covered(stream, data: bytes, what: str) -> bytes:
    """A Type 1 font: its clear-text part, its encrypted part and its closing zeros and ``cleartomark``;
    bytes after that go (and after the declared lengths when there is no ``cleartomark``)."""
    lengths = [stream.get(k) for k in (Name.Length1, Name.Length2, Name.Length3)]
    if not all(isinstance(n, int) and 0 <= n <= len(data) for n in lengths[:2]) or b"eexec" not in data[: lengths[0] or 0]:
        raise CopyError(f"{what} (Type 1) is beschadigd of onbekend van opbouw (lengtes of eexec kloppen niet)")
    start = lengths[0] + lengths[1]
    closings = list(_TYPE1_END.finditer(data, start))
    closing = closings[-1] if closings else None
    if closing is not None:
        end = closing.end()
    else:
        end = start + (lengths[2] if isinstance(lengths[2], int) and lengths[2] >= 0 else 0)
    if not data[end:].strip(b"\x00\t\n\x0c\r "):
        return data
    stream[Name.Length3] = max(0, end - start)
    return data[:end]


# A CalRGB space is drawn by PDFium (Chrome, the gate's judge), Acrobat, pdf.js and poppler through its
# /Gamma, /Matrix and /WhitePoint, by MuPDF (SumatraPDF) as plain RGB: text a reviewer saw in one may be
# invisible in the other. The space stays when PDFium draws every colour within ``MAX_CALIBRATED_SHIFT``
# grey levels of its plain value (real calibrations: sRGB-like within 3, Apple RGB 33, Adobe RGB 45); one that
# moves colours further (a gamma of 1000 or 0.001, no or a zero matrix) is refused.
MAX_CALIBRATED_SHIFT = 64
_CALIBRATED_STEPS = (0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0)
_CALIBRATED_SHIFTS: dict[str, float] = {}


def calibrated_shift(entries) -> float:
    """How far (in grey levels, 0-255) PDFium draws a CalRGB space with ``entries`` (its dictionary, only
    numbers kept) from the plain RGB values, at worst over a 9 x 9 x 9 grid of colours."""
    import pypdfium2

    values: dict[str, float | list[float]] = {}
    for k in ("/WhitePoint", "/BlackPoint", "/Gamma", "/Matrix"):
        value = entries.get(k)
        try:
            if isinstance(value, Array):
                values[k] = [float(v) for v in value]
            elif value is not None:
                values[k] = float(value)
        except (TypeError, ValueError):
            values[k] = 0.0  # not a number: drawn as PDFium reads it (as 0) below
    key = repr(sorted(values.items()))
    if key in _CALIBRATED_SHIFTS:
        return _CALIBRATED_SHIFTS[key]
    colours = [(r, g, b) for r in _CALIBRATED_STEPS for g in _CALIBRATED_STEPS for b in _CALIBRATED_STEPS]
    scratch = pikepdf.new()
    content = b"/C cs " + b"".join(b"%g %g %g scn %d 0 1 1 re f\n" % (*c, i) for i, c in enumerate(colours))
    flat = Dictionary({k: Array(v) if isinstance(v, list) else v for k, v in values.items()})
    space = Array([Name.CalRGB, flat])
    page = Dictionary(
        Type=Name.Page, MediaBox=Array([0, 0, len(colours), 1]), Resources=Dictionary(ColorSpace=Dictionary(C=space))
    )
    scratch.pages.append(pikepdf.Page(page))
    scratch.pages[0].obj.Contents = scratch.make_stream(content)
    out = io.BytesIO()
    scratch.save(out)
    document = pypdfium2.PdfDocument(out.getvalue())
    try:
        image = document[0].render(scale=1).to_pil().convert("RGB")
        pixels = image.tobytes()
        drawn = [tuple(pixels[3 * i : 3 * i + 3]) for i in range(len(colours))]
    finally:
        document.close()

    def grey(r: float, g: float, b: float) -> float:
        return 0.299 * r + 0.587 * g + 0.114 * b

    shift = max(abs(grey(*seen) - 255 * grey(*c)) for seen, c in zip(drawn, colours))
    _CALIBRATED_SHIFTS[key] = shift
    return shift


def _clean_colour_space(pdf: pikepdf.Pdf, space, forms: set, depth: int, level: int) -> None:
    """A colour space array: its family must be known; its parts are cleaned by kind, and no other part
    may hold text (only an Indexed lookup table is a string)."""
    family = str(space[0]) if len(space) and isinstance(space[0], Name) else ""
    if family not in COLOUR_SPACE_FAMILIES:
        raise CopyError(f"een kleurruimte is van onbekende soort ({family[:40] or 'zonder naam'})")
    if family == "/DeviceN" and len(space) > 1 and isinstance(space[1], Array) and all(c == Name("/None") for c in space[1]):
        raise CopyError(
            "een kleurruimte (DeviceN) heeft alleen de kleurcomponent /None: volgens de pdf-standaard tekent "
            "die niets (Acrobat toont het niet), Chrome wel, zodat niet vast te stellen is wat zichtbaar is"
        )
    if family == "/CalGray" and len(space) > 1 and isinstance(space[1], Dictionary) and "/Gamma" in space[1]:
        # PDFium (the gate's judge) ignores a CalGray /Gamma, poppler applies it: 0.99 with gamma 1000 is white
        # in one and black in the other. Without it every viewer draws the colour as it was judged. (PDFium
        # applies a CalRGB /Gamma, as poppler does: that one stays, when it moves colours little.)
        del space[1]["/Gamma"]
    if family == "/CalRGB" and len(space) > 1 and isinstance(space[1], Dictionary):
        shift = calibrated_shift(space[1])
        if shift > MAX_CALIBRATED_SHIFT:
            raise CopyError(
                "een kleurruimte (CalRGB) verschuift kleuren sterk met haar /Gamma, /Matrix of /WhitePoint "
                f"(tot {round(shift)} van 255 grijstinten): Chrome en Acrobat tekenen ze zo, andere pdf-lezers (MuPDF, "
                "SumatraPDF) niet, zodat tekst in de ene lezer zichtbaar en in de andere onzichtbaar kan zijn. Maak de "
                "pdf opnieuw vanuit het bronbestand (met gewone RGB- of ICC-kleuren)"
            )
    parts = _COLOUR_SPACE_PARTS.get(family, {})
    for i in range(1, len(space)):
        item = space[i]
        if i in parts:
            if isinstance(item, pikepdf.String) and _STRING_IN.get(family) == i:
                continue
            if isinstance(item, pikepdf.String):
                raise CopyError(f"een kleurruimte ({family[1:]}) bevat tekst, wat daar niet thuishoort")
            _clean_kind(pdf, item, parts[i], forms, depth, level + 1)
        elif not _flat(item):
            raise CopyError(f"een kleurruimte ({family[1:]}) bevat tekst of gegevens, wat daar niet thuishoort")


# Colorant names (a Separation's ink, a DeviceN's inks) only steer printing plates: on screen a viewer draws the
# alternate colour through the tint transform, whatever the name. A tool may put anything in them (``/Jan#20Vermeulen``,
# round 9 A15/A16): the copy names each ink ``/Kleur1``, ``/Kleur2``, ... in the order met (the same ink keeps one name
# throughout, also in a DeviceN's /Colorants and /Process). Names that change what is drawn or printed stay: /All (every
# plate) and /None (nothing), and the device's own inks a printer or viewer paints directly instead of the alternate.
_DEVICE_COLORANTS = frozenset({"/All", "/None", "/Cyan", "/Magenta", "/Yellow", "/Black", "/Red", "/Green", "/Blue", "/Gray"})
_NOT_FOLLOWED = frozenset({"/Parent", "/P", "/Pg", "/Dest", "/A", "/StructParent", "/StructParents", "/Contents"})
MAX_COLOUR_WALK = 2_000_000


def _neutral_colorants(pdf: pikepdf.Pdf) -> None:
    """Every Separation and DeviceN colour space the pages reach (resources, images, shadings, groups, soft masks,
    link appearances, at any depth) gets neutral colorant names (see above); each colour space is renamed once."""
    names: dict[str, Name] = {}

    given: set[str] = set()

    def neutral(name):
        # a name given already stays: a colour space written in place may be met twice
        if not isinstance(name, Name) or str(name) in _DEVICE_COLORANTS or str(name) in given:
            return name
        if str(name) not in names:
            names[str(name)] = Name(f"/Kleur{len(names) + 1}")
            given.add(str(names[str(name)]))
        return names[str(name)]

    # a resource dictionary's categories and a /Colorants dictionary map names of the document's own (``/A``, ``/P``
    # are resource names there, round 11 C05) to values: every key is followed there (``named``)
    seen: set[tuple[int, int, bool]] = set()
    todo: list = [(page.obj, False) for page in reversed(pdf.pages)]
    steps = 0
    while todo:
        item, named = todo.pop()
        steps += 1
        if steps > MAX_COLOUR_WALK:
            raise CopyError("de pagina's bereiken te veel objecten om de namen van steunkleuren neutraal te maken")
        if item.is_indirect:
            if (*item.objgen, named) in seen:
                continue
            seen.add((*item.objgen, named))
        if isinstance(item, Array):
            family = item[0] if len(item) > 1 else None
            if family == Name.Separation:
                item[1] = neutral(item[1])
            elif family == Name.DeviceN and isinstance(item[1], Array):
                item[1] = Array([neutral(n) for n in item[1]])
                attributes = item[4] if len(item) > 4 else None
                if isinstance(attributes, Dictionary):
                    colorants = attributes.get(Name.Colorants)
                    if isinstance(colorants, Dictionary):
                        attributes[Name.Colorants] = Dictionary({str(neutral(Name(k))): v for k, v in colorants.items()})
                        todo.append((attributes[Name.Colorants], True))
                    process = attributes.get(Name.Process)
                    parts = process.get(Name.Components) if isinstance(process, Dictionary) else None
                    if isinstance(parts, Array):
                        process[Name.Components] = Array([neutral(n) for n in parts])
            todo += [(v, False) for v in reversed(list(item)) if isinstance(v, (Dictionary, Array, pikepdf.Stream))]
        elif isinstance(item, (Dictionary, pikepdf.Stream)):
            for key in sorted(item.keys(), reverse=True):
                value = item[key] if named or key not in _NOT_FOLLOWED else None
                if key == "/Resources" and isinstance(value, Dictionary):
                    todo += [(value[k], True) for k in sorted(value.keys(), reverse=True) if isinstance(value[k], Dictionary)]
                if isinstance(value, (Dictionary, Array, pikepdf.Stream)):
                    todo.append((value, False))


def _clean_form(pdf: pikepdf.Pdf, form, forms: set, depth: int, keys: str | None = "form") -> None:
    key = _key(form)
    if key is not None:
        if key in forms:
            return
        forms.add(key)
    if depth > MAX_DEPTH or len(forms) > MAX_FORMS:
        raise CopyError("te diep geneste of te veel vormobjecten (Form XObjects)")
    if keys is not None:
        _clean_table(pdf, form, keys, forms, depth)
    try:
        used, flat, rewritten = _read(form, form.read_bytes(), sanitise=True)
    except pikepdf.PdfError as exc:
        raise CopyError(f"de inhoud van een vormobject is onleesbaar ({str(exc)[:120]})") from exc
    if rewritten is not None:
        form.write(rewritten)
    form[Name.Resources] = _used_resources(pdf, form.get(Name.Resources), used, flat, forms, depth)


def _glyphs_show_text(operations, resources) -> bool:
    """Do a Type 3 font's glyph procedures show text, themselves or through the forms and patterns they
    draw? No viewer extracts such text, and the gate never judges it (only data could ride along)."""
    return _operations_show_text(operations, resources)


def _clean_font(pdf: pikepdf.Pdf, font, forms: set, depth: int) -> None:
    key = _key(font)
    if key is not None:
        if key in forms:
            return
        forms.add(key)
    _clean_table(pdf, font, "font", forms, depth)  # descendants, descriptors, encodings: every level
    procs = font.get(Name.CharProcs)
    subtype = font.get(Name.Subtype)
    if subtype in (Name.Type1, Name.MMType1, Name.TrueType):
        _judge_simple_font(pdf, font)
    elif subtype in (Name.CIDFontType0, Name.CIDFontType2):
        _judge_cid_font(font)
    if subtype == Name.Type3 and isinstance(procs, Dictionary):  # (without procedures PDFium draws nothing: glyphs.py)
        _judge_type3_matrix(font)
        operations = []
        advances: dict[str, float] = {}
        for glyph, proc in procs.items():
            if not isinstance(proc, pikepdf.Stream):
                continue
            try:
                data = proc.read_bytes()
                ops = pikepdf.parse_content_stream(proc)
            except pikepdf.PdfError as exc:
                raise CopyError(f"een tekenprocedure van een lettertype is onleesbaar ({str(exc)[:120]})") from exc
            renamed = _neutral_tags(ops)
            if renamed is not None:
                ops = renamed
            if b"%" in data or renamed is not None:
                proc.write(pikepdf.unparse_content_stream(ops))
            for instruction in ops:
                _check_numbers(str(instruction.operator), instruction.operands)
            operations += ops
            advances[str(glyph)] = _type3_advance(ops)
            for instruction in ops:  # an inline image in a glyph: judged as one in a page's content
                if str(instruction.operator) == "INLINE IMAGE" and len(instruction.operands):
                    image = instruction.operands[0]
                    _judge_image(_scratch(), image.obj, font.get(Name.Resources), raw=image.read_raw_bytes())
        _type3_widths(font, advances)
        if _glyphs_show_text(operations, font.get(Name.Resources)):
            raise CopyError(
                "een lettertype (Type 3) tekent in zijn tekens zelf tekst: die tekst is niet te zien en wordt niet "
                "beoordeeld, maar staat wel in het bestand"
            )
        # all procedures as one stream, as before (the text state carries over): rare, and parsed whole
        resources = _used_resources(
            pdf, font.get(Name.Resources), _used_names(operations), _flattened_text(operations), forms, depth + 1
        )
        font[Name.Resources] = resources
    elif Name.Resources in font:
        del font[Name.Resources]


# -- shadings, images and Type 3 widths that viewers read differently ------------------------------------
# PDFium, poppler, MuPDF, Ghostscript and Acrobat each repair a declaration that does not fit its data in
# their own way (or draw nothing): a shading whose functions give another number of colour components than
# its colour space has (PDFium skips it on a page's first load and draws it, black, on every later load), an
# image whose bits per component, colour components or size do not fit its data (one engine draws nothing, the
# other a black bar). The gate judges one engine's drawing, so such a declaration refuses the copy (round 4).
_SHADING_VIEWERS = "pdf-lezers tekenen het verschillend (de een als een zwart of wit vlak, de ander niet)"
_SAMPLE_BITS = {1, 2, 4, 8, 12, 16, 24, 32}
_IMAGE_BITS = {1, 2, 4, 8, 16}
MAX_FUNCTION_SAMPLES = 16 * 1024 * 1024


def _reals(value, count: int | None = None) -> list[float] | None:
    """``value`` as finite numbers (``count`` of them when given), or None when it is something else."""
    if not isinstance(value, Array) or (count is not None and len(value) != count) or len(value) > 4096:
        return None
    numbers = []
    for item in value:
        if not _number(item):
            return None
        number = float(item)
        if number != number or abs(number) == float("inf"):
            return None
        numbers.append(number)
    return numbers


def _pairs_rise(values: list[float] | None) -> bool:
    """An even number of values, each pair from low to high (a /Domain or /Range)."""
    return (
        values is not None
        and len(values) >= 2
        and len(values) % 2 == 0
        and all(a <= b for a, b in zip(values[::2], values[1::2]))
    )


def _function_shape(function, depth: int = 0) -> tuple[int, int]:
    """(inputs, outputs) of a function (ISO 32000-1, 7.10), its entries checked as the specification
    requires them; one that does not fit or cannot be read raises ``CopyError``."""

    def refuse(reason: str) -> CopyError:
        return CopyError(f"een functie van een kleurverloop of kleurruimte klopt niet ({reason}): {_SHADING_VIEWERS}")

    if depth > 8 or not isinstance(function, (Dictionary, pikepdf.Stream)):
        raise refuse("geen functie")
    kind = function.get(Name.FunctionType)
    domain = _reals(function.get(Name.Domain))
    if not _pairs_rise(domain):
        raise refuse("het bereik /Domain ontbreekt of loopt terug")
    inputs = len(domain) // 2
    ranges = _reals(function.get(Name.Range)) if Name.Range in function else None
    if Name.Range in function and not _pairs_rise(ranges):
        raise refuse("het bereik /Range loopt terug of is onleesbaar")
    if kind == 2:
        c0 = _reals(function.get(Name.C0)) if Name.C0 in function else [0.0]
        c1 = _reals(function.get(Name.C1)) if Name.C1 in function else [1.0]
        if inputs != 1 or c0 is None or c1 is None or len(c0) != len(c1) or not c0 or not _number(function.get(Name.N)):
            raise refuse("/C0, /C1 of /N van een exponentiële functie passen niet bij elkaar")
        outputs = len(c0)
    elif kind == 3:
        listed = function.get(Name.Functions)
        parts = list(listed) if isinstance(listed, Array) else []
        bounds = _reals(function.get(Name.Bounds), len(parts) - 1) if parts else None
        encode = _reals(function.get(Name.Encode), 2 * len(parts)) if parts else None
        if inputs != 1 or not parts or len(parts) > 1024 or bounds is None or encode is None:
            raise refuse("/Functions, /Bounds of /Encode van een samengestelde functie passen niet bij elkaar")
        edges = [domain[0], *bounds, domain[1]]
        if any(a > b for a, b in zip(edges, edges[1:])):
            raise refuse("de grenzen /Bounds liggen niet op volgorde binnen /Domain")
        shapes = {_function_shape(part, depth + 1) for part in parts}
        if len(shapes) != 1 or next(iter(shapes))[0] != 1:
            raise refuse("de delen van een samengestelde functie geven niet evenveel uitkomsten")
        outputs = next(iter(shapes))[1]
    elif kind in (0, 4):
        if ranges is None:
            raise refuse("het bereik /Range ontbreekt")
        outputs = len(ranges) // 2
        if kind == 0:
            size = function.get(Name.Size)
            bits = function.get(Name.BitsPerSample)
            sizes = [int(s) for s in size] if isinstance(size, Array) and all(isinstance(s, int) for s in size) else []
            if (
                not isinstance(function, pikepdf.Stream)
                or len(sizes) != inputs
                or any(s < 1 for s in sizes)
                or bits not in _SAMPLE_BITS
            ):
                raise refuse("/Size of /BitsPerSample van een bemonsterde functie klopt niet")
            for key, count in ((Name.Encode, 2 * inputs), (Name.Decode, 2 * outputs)):
                if key in function and _reals(function.get(key), count) is None:
                    raise refuse(f"{str(key)} van een bemonsterde functie heeft niet {count} getallen")
            samples = outputs * int(bits)
            for s in sizes:
                samples *= s
                if samples > MAX_FUNCTION_SAMPLES * 8:
                    raise refuse("een bemonsterde functie is te groot")
            try:
                data = function.read_bytes()
            except pikepdf.PdfError as exc:
                raise refuse(f"onleesbare gegevens: {str(exc)[:80]}") from exc
            if len(data) < (samples + 7) // 8:
                raise refuse("een bemonsterde functie heeft te weinig gegevens")
        elif not isinstance(function, pikepdf.Stream):
            raise refuse("een rekenfunctie (PostScript) zonder programma")
    else:
        raise refuse("onbekende soort")
    if ranges is not None and len(ranges) != 2 * outputs:
        raise refuse("het bereik /Range past niet bij het aantal uitkomsten")
    return inputs, outputs


def _judge_shading(shading) -> None:
    """A shading (``sh`` or a shading pattern) as ISO 32000-1 8.7.4.5 defines it: its functions give as many
    colour components as its colour space has (one function with n outputs, or n functions with one), its
    coordinates and domain are not degenerate. Another one refuses the copy: PDFium leaves it out on a
    page's first load (the render the gate judges) and draws it on every later load, other viewers draw it
    as they repair it (a black bar over text that can still be copied)."""
    kind = shading.get(Name.ShadingType)

    def refuse(reason: str) -> CopyError:
        return CopyError(f"een kleurverloop (shading) klopt niet: {reason}; {_SHADING_VIEWERS}")

    if not isinstance(kind, int) or isinstance(kind, bool) or not 1 <= kind <= 7:
        raise refuse("de soort (/ShadingType) ontbreekt of is onbekend")
    space = shading.get(Name.ColorSpace)
    family = str(space[0]) if isinstance(space, Array) and len(space) else str(space)
    components = _components(space, None)
    if components is None or family in ("/Pattern", "/I", "/G", "/RGB", "/CMYK"):
        raise refuse("de kleurruimte ontbreekt of heeft geen vast aantal kleurcomponenten")
    function = shading.get(Name.Function)
    if function is None and kind <= 3:
        raise refuse("de verplichte functie (/Function) ontbreekt")
    if function is not None:
        if family == "/Indexed" and kind >= 4:
            raise refuse("een functie bij een geïndexeerde kleurruimte")
        functions = list(function) if isinstance(function, Array) else [function]
        if len(functions) > MAX_COMPONENTS:
            raise refuse(f"{len(functions)} functies")
        shapes = [_function_shape(f) for f in functions]
        inputs = 2 if kind == 1 else 1
        if any(shape[0] != inputs for shape in shapes):
            raise refuse(f"een functie neemt niet {inputs} invoerwaarde(n)")
        fits = (len(shapes) == 1 and shapes[0][1] == components) or (
            len(shapes) == components and all(shape[1] == 1 for shape in shapes)
        )
        if not fits:
            given = " + ".join(str(shape[1]) for shape in shapes)
            raise refuse(f"de functies geven {given} kleurwaarde(n), de kleurruimte ({family[1:40]}) vraagt er {components}")
    if Name.Background in shading and _reals(shading.get(Name.Background), components) is None:
        raise refuse(f"de achtergrondkleur (/Background) heeft niet {components} waarden")
    if Name.BBox in shading and _reals(shading.get(Name.BBox), 4) is None:
        raise refuse("het kader (/BBox) is geen rechthoek")
    if kind == 1:
        domain = _reals(shading.get(Name.Domain), 4) if Name.Domain in shading else [0.0, 1.0, 0.0, 1.0]
        if domain is None or not (domain[0] < domain[1] and domain[2] < domain[3]):
            raise refuse("het bereik (/Domain) is leeg of loopt terug")
        matrix = _reals(shading.get(Name.Matrix), 6) if Name.Matrix in shading else [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        if matrix is None or matrix[0] * matrix[3] - matrix[1] * matrix[2] == 0:
            raise refuse("de matrix (/Matrix) is onleesbaar of plat")
    elif kind in (2, 3):
        coords = _reals(shading.get(Name.Coords), 4 if kind == 2 else 6)
        if coords is None:
            raise refuse("de coördinaten (/Coords) ontbreken of zijn onleesbaar")
        if kind == 2 and coords[:2] == coords[2:]:
            raise refuse("begin- en eindpunt (/Coords) vallen samen")
        if kind == 3 and (coords[2] < 0 or coords[5] < 0 or coords[:3] == coords[3:] or coords[2] == coords[5] == 0):
            raise refuse("de cirkels (/Coords) hebben een negatieve straal of vallen samen")
        domain = _reals(shading.get(Name.Domain), 2) if Name.Domain in shading else [0.0, 1.0]
        if domain is None or not domain[0] < domain[1]:
            raise refuse("het bereik (/Domain) is leeg of loopt terug")
        extend = shading.get(Name.Extend)
        if extend is not None and not (
            isinstance(extend, Array) and len(extend) == 2 and all(isinstance(e, bool) for e in extend)
        ):
            raise refuse("/Extend is geen paar van waar/onwaar")
    else:
        if not isinstance(shading, pikepdf.Stream):
            raise refuse("een maasverloop (mesh) zonder gegevens")
        _judge_mesh(shading, kind, 1 if function is not None else components, refuse)


# A mesh shading's fields must each fill whole bytes: where a vertex or patch does not end on a byte boundary,
# MuPDF reads the next one from the very next bit while PDFium, poppler and Ghostscript skip to the next byte,
# so the same data draws a cover in one and nothing (or a wedge elsewhere) in the other (round 5, ms01). Every
# producer seen writes whole bytes (Ghostscript pdfwrite 24/16/8, cairo 32/16/8, Acrobat and Illustrator
# 8 to 32 bits per coordinate); coordinates of fewer than 8 bits snap to a grid of at most 16 steps across
# /Decode, which no producer uses and which turns triangles flat. So: flag 8 bits, coordinates 8, 16, 24 or
# 32 bits, colour components 8 or 16 bits, and the data exactly whole vertices or patches.
_MESH_COORDINATE_BITS = {8, 16, 24, 32}
_MESH_COMPONENT_BITS = {8, 16}
MAX_MESH_BYTES = 32 * 1024 * 1024
# (points, colours) of a patch in a type 6 (Coons) or type 7 (tensor) mesh: a new patch (flag 0), or one
# that shares an edge with the previous patch (flags 1-3: its first points and colours are implied)
_PATCH_PARTS = {6: ((12, 4), (8, 2)), 7: ((16, 4), (12, 2))}


def _given(value) -> str:
    return "ontbreekt" if value is None else f"is {str(value)[:20]}"


def _whole_int(value, allowed: set[int]) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and int(value) in allowed


def _judge_mesh(shading, kind: int, values: int, refuse) -> None:
    """A mesh shading (types 4-7, ISO 32000-1 8.7.4.5.5-8) whose data every viewer reads alike: fields of
    whole bytes, a /Decode with a rising pair for x, y and each colour value, data that is exactly whole
    vertices (4, 5) or patches (6, 7) with valid edge flags, and at least one triangle or patch with area
    (a mesh that is all flat draws nothing in one viewer and a line or wedge in another)."""
    import numpy as np

    coordinate_bits, component_bits = shading.get(Name.BitsPerCoordinate), shading.get(Name.BitsPerComponent)
    if not _whole_int(coordinate_bits, _MESH_COORDINATE_BITS):
        raise refuse(f"/BitsPerCoordinate {_given(coordinate_bits)}, niet 8, 16, 24 of 32 (hele bytes)")
    if not _whole_int(component_bits, _MESH_COMPONENT_BITS):
        raise refuse(f"/BitsPerComponent {_given(component_bits)}, niet 8 of 16 (hele bytes)")
    flag_bytes = 0
    if kind != 5:
        flag_bits = shading.get(Name.BitsPerFlag)
        if not _whole_int(flag_bits, {8}):
            raise refuse(f"/BitsPerFlag {_given(flag_bits)}, niet 8 (een hele byte)")
        flag_bytes = 1
    rows = shading.get(Name.VerticesPerRow)
    if kind == 5 and not (isinstance(rows, int) and not isinstance(rows, bool) and 2 <= rows <= MAX_MESH_BYTES):
        raise refuse("/VerticesPerRow is ongeldig")
    decode = _reals(shading.get(Name.Decode), 4 + 2 * values)
    if not _pairs_rise(decode):
        raise refuse(f"/Decode heeft niet {4 + 2 * values} oplopende waarden")
    assert decode is not None
    length = shading.get(Name.Length)
    if isinstance(length, int) and length > MAX_MESH_BYTES:
        raise refuse("het maasverloop is te groot")
    try:
        data = shading.read_bytes()
    except pikepdf.PdfError as exc:
        raise refuse(f"onleesbare gegevens: {str(exc)[:80]}") from exc
    if len(data) > MAX_MESH_BYTES:
        raise refuse("het maasverloop is te groot")
    point, colour = 2 * int(coordinate_bits) // 8, values * int(component_bits) // 8
    raw = np.frombuffer(data, dtype=np.uint8)

    def unsigned(table, first: int, size: int):
        number = np.zeros(table.shape[0], dtype=np.float64)
        for i in range(size):
            number = number * 256 + table[:, first + i]
        return number

    def points(table, first: int, count: int):
        """The decoded (x, y) of ``count`` points from byte ``first`` of each record: two arrays of shape (n, count)."""
        size, top = point // 2, float(2 ** int(coordinate_bits) - 1)
        xs = [unsigned(table, first + k * point, size) for k in range(count)]
        ys = [unsigned(table, first + k * point + size, size) for k in range(count)]
        scale_x, scale_y = (decode[1] - decode[0]) / top, (decode[3] - decode[2]) / top
        return (
            decode[0] + np.stack(xs, axis=1) * scale_x,
            decode[2] + np.stack(ys, axis=1) * scale_y,
        )

    def area(x, y, a, b, c) -> bool:
        """Whether any of the triangles (vertex indexes a, b, c) has an area."""
        twice = (x[b] - x[a]) * (y[c] - y[a]) - (x[c] - x[a]) * (y[b] - y[a])
        return bool(np.any(np.abs(twice) > 1e-9))

    if kind in (4, 5):
        record = flag_bytes + point + colour
        if len(data) % record:
            raise refuse(f"de gegevens zijn geen hele hoekpunten ({len(data) % record} byte(s) over)")
        count = len(data) // record
        if count < 3:
            raise refuse(f"het maasverloop heeft {count} hoekpunt(en), minder dan een driehoek")
        table = raw.reshape(count, record)
        xs, ys = points(table, flag_bytes, 1)
        x, y = xs[:, 0], ys[:, 0]
        if kind == 5:
            if count < 2 * int(rows) or count % int(rows):
                raise refuse(f"de gegevens zijn geen hele rijen van {int(rows)} hoekpunten (minstens twee rijen)")
            grid = np.arange(count).reshape(count // int(rows), int(rows))
            a, b, c, d = grid[:-1, :-1].ravel(), grid[:-1, 1:].ravel(), grid[1:, :-1].ravel(), grid[1:, 1:].ravel()
            flat = not (area(x, y, a, b, c) or area(x, y, b, d, c))
        else:
            corners: list[tuple[int, int, int]] = []
            flags, i = table[:, 0].tolist(), 0
            while i < count:
                if flags[i] == 0:
                    if i + 2 >= count or flags[i + 1] or flags[i + 2]:
                        raise refuse(f"hoekpunt {i + 1} begint een driehoek die niet af is of een ongeldige vlag heeft")
                    corners.append((i, i + 1, i + 2))
                    i += 3
                    continue
                if flags[i] > 2 or not corners:
                    raise refuse(f"hoekpunt {i + 1} heeft een ongeldige vlag ({flags[i]})")
                one, two, three = corners[-1]
                corners.append((two, three, i) if flags[i] == 1 else (one, three, i))
                i += 1
            index = np.array(corners, dtype=np.int64).reshape(-1, 3)
            flat = not area(x, y, index[:, 0], index[:, 1], index[:, 2])
    else:
        (new_points, new_colours), (next_points, next_colours) = _PATCH_PARTS[kind]
        sizes = (1 + new_points * point + new_colours * colour, 1 + next_points * point + next_colours * colour)
        offset = 0
        starts: tuple[list[int], list[int]] = ([], [])
        while offset < len(data):
            flag = data[offset]
            if flag > 3 or (flag and not (starts[0] or starts[1])):
                raise refuse(f"een vlak (patch) heeft een ongeldige vlag ({flag})")
            size = sizes[1 if flag else 0]
            if offset + size > len(data):
                raise refuse(f"de gegevens zijn geen hele vlakken ({len(data) - offset} byte(s) over)")
            starts[1 if flag else 0].append(offset)
            offset += size
        if not starts[0]:
            raise refuse("het maasverloop heeft geen gegevens")
        # a patch whose own points all lie on one line is flat; one that continues the previous patch shares
        # its edge, so it is only flat with all its patches (checked cheaply: counted as having area)
        table = raw[np.array(starts[0])[:, None] + np.arange(sizes[0])[None, :]]
        xs, ys = points(table, 1, new_points)
        flat = not starts[1] and not bool(np.any((np.ptp(xs, axis=1) > 1e-9) & (np.ptp(ys, axis=1) > 1e-9)))
    if flat:
        raise refuse("alle driehoeken of vlakken zijn plat (zonder oppervlak)")


_IMAGE_VIEWERS = "pdf-lezers tonen zo'n afbeelding verschillend (de een niet, de ander als zwart of wit vlak over de tekst)"
_SPECIAL_CODECS = (Name.DCTDecode, Name.JPXDecode, Name.CCITTFaxDecode, Name.JBIG2Decode)
MAX_IMAGE_SIDE = 1_000_000


def _filter_names(header) -> list:
    filters = header.get(Name.Filter)
    return [filters] if isinstance(filters, Name) else list(filters) if isinstance(filters, Array) else []


def _image_bytes(pdf: pikepdf.Pdf, stream, raw: bytes, names: list, parms) -> bytes:
    """The data of an image after its filters, except a last JPEG, JPEG 2000, CCITT or JBIG2 one (whose
    data it then is): decoded on a scratch stream (``stream``'s own filters when it is an image XObject)."""
    decode = names[:-1] if names and names[-1] in _SPECIAL_CODECS else names
    if not decode:
        return raw
    if stream is not None and decode == names:
        return stream.read_bytes()
    scratch = pdf.make_stream(raw)  # unreferenced: not written
    scratch[Name.Filter] = Array(decode)
    if isinstance(parms, Array) and len(parms) == len(names):
        if any(isinstance(p, Dictionary) and len(p) for p in list(parms)[: len(decode)]):
            scratch[Name.DecodeParms] = Array(list(parms)[: len(decode)])
    elif isinstance(parms, Dictionary) and decode == names:
        scratch[Name.DecodeParms] = parms
    return scratch.read_bytes()


def jpeg_frame(data: bytes) -> tuple[int, int, int, int] | None:
    """(precision, height, width, components) of a JPEG's frame header (SOFn), or None when there is none
    before the first scan."""
    pos, size = 2, len(data)
    if data[:2] != b"\xff\xd8":
        return None
    while pos + 4 <= size:
        if data[pos] != 0xFF:
            return None
        while pos < size and data[pos] == 0xFF:
            pos += 1
        if pos >= size:
            return None
        marker = data[pos]
        pos += 1
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            continue
        if marker in (0xD9, 0xDA) or pos + 2 > size:
            return None
        length = int.from_bytes(data[pos : pos + 2], "big")
        if marker in _JPEG_SOF:
            if length < 8 or pos + 8 > size:
                return None
            return (
                data[pos + 2],
                int.from_bytes(data[pos + 3 : pos + 5], "big"),
                int.from_bytes(data[pos + 5 : pos + 7], "big"),
                data[pos + 7],
            )
        pos += length
    return None


def jpx_header(data: bytes) -> tuple[int, int, int, bool] | None:
    """(height, width, components, has_opacity) of a JPEG 2000 image (a JP2 file or a bare codestream),
    or None when it cannot be read."""
    if data[:4] == b"\xff\x4f\xff\x51" and len(data) >= 42:  # a codestream: SOC, then SIZ
        x, y = int.from_bytes(data[8:12], "big"), int.from_bytes(data[12:16], "big")
        x0, y0 = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        return y - y0, x - x0, int.from_bytes(data[40:42], "big"), False
    header: tuple[int, int, int] | None = None
    opacity, pos, end = False, 0, len(data)
    boxes = 0
    while pos + 8 <= end and boxes < 10_000:
        boxes += 1
        length, kind = int.from_bytes(data[pos : pos + 4], "big"), data[pos + 4 : pos + 8]
        body = pos + 8
        if length == 1:
            if pos + 16 > end:
                return None
            length, body = int.from_bytes(data[pos + 8 : pos + 16], "big"), pos + 16
        elif length == 0:
            length = end - pos
        if length < body - pos or pos + length > end:
            return None
        if kind == b"jp2h":  # a superbox: read its boxes
            end, pos = pos + length, body
            continue
        if kind == b"ihdr" and length - (body - pos) >= 14:
            header = (
                int.from_bytes(data[body : body + 4], "big"),
                int.from_bytes(data[body + 4 : body + 8], "big"),
                int.from_bytes(data[body + 8 : body + 10], "big"),
            )
        if kind == b"pclr" and length - (body - pos) >= 3 and header is not None:  # a palette: its columns are the colours
            header = (header[0], header[1], data[body + 2])
        if kind == b"cdef" and length - (body - pos) >= 2:
            count = int.from_bytes(data[body : body + 2], "big")
            for i in range(min(count, (length - (body - pos) - 2) // 6)):
                entry = body + 2 + 6 * i
                if int.from_bytes(data[entry + 2 : entry + 4], "big") != 0:  # a channel type other than colour
                    opacity = True
        pos += length
    return None if header is None else (*header, opacity)


def _judge_image(pdf: pikepdf.Pdf, image, resources=None, raw: bytes | None = None, role: str = "image") -> None:
    """An image (an XObject, its /SMask or /Mask, or an inline image with its ``raw`` data) whose declaration
    fits its data: a width and height; bits per component 1, 2, 4, 8 or 16 (1 for masks, CCITT and JBIG2, 8 for
    JPEG); a colour space with a fixed number of components, which a JPEG or JPEG 2000 frame has too, at the
    declared size; a /Decode of two values per component; data for every pixel; no transparency inside JPEG
    2000 data (/SMaskInData, which viewers honour or ignore). Another one refuses the copy."""
    inline = raw is not None

    def refuse(reason: str) -> CopyError:
        what = "een ingesloten afbeelding" if inline else "een masker van een afbeelding" if role != "image" else "een afbeelding"
        return CopyError(f"{what} klopt niet met haar eigen gegevens ({reason}): {_IMAGE_VIEWERS}")

    width, height = _whole(image.get(Name.Width)), _whole(image.get(Name.Height))
    if width is None or height is None or not (0 < width <= MAX_IMAGE_SIDE and 0 < height <= MAX_IMAGE_SIDE):
        raise refuse("breedte of hoogte ontbreekt of is ongeldig")
    names = _filter_names(image)
    codec = names[-1] if names and names[-1] in _SPECIAL_CODECS else None
    bits = image.get(Name.BitsPerComponent)
    bits = _whole(bits) if bits is not None and _whole(bits) is not None else bits
    space = image.get(Name.ColorSpace)
    stencil = image.get(Name.ImageMask) is True or (role == "mask" and space is None)
    smask_in_data = image.get(Name.SMaskInData)
    if smask_in_data is not None and smask_in_data != 0:
        raise refuse("doorzichtigheid in de beeldgegevens zelf (/SMaskInData)")
    if stencil or (role == "smask" and space is None):
        if space is not None and stencil:
            raise refuse("een masker met een kleurruimte")
        if bits is not None and bits != (1 if stencil else bits):
            raise refuse("een masker heeft niet 1 bit per pixel")
        components, bits = 1, 1 if stencil else bits
        if role == "smask" and bits not in _IMAGE_BITS and codec != Name.JPXDecode:
            raise refuse(f"{_shown_bits(bits)} bits per kleurcomponent (alleen 1, 2, 4, 8 of 16 bestaan)")
    elif space is None and codec == Name.JPXDecode:
        components = None  # the JPEG 2000 data's own colour space
    else:
        family = str(space[0]) if isinstance(space, Array) and len(space) else str(space)
        components = _components(space, resources)
        if components is None or family == "/Pattern":
            raise refuse("de kleurruimte ontbreekt of heeft geen vast aantal kleurcomponenten")
        if codec != Name.JPXDecode and bits not in _IMAGE_BITS:
            raise refuse(f"{_shown_bits(bits)} bits per kleurcomponent (alleen 1, 2, 4, 8 of 16 bestaan)")
        if family in ("/Indexed", "/I") and codec != Name.JPXDecode and bits == 16:
            raise refuse("16 bits per pixel in een geïndexeerde kleurruimte")
    if role != "image" and components != 1:
        raise refuse("een masker (/SMask of /Mask) heeft niet één kleurcomponent")
    decode = image.get(Name.Decode)
    if decode is not None and components is not None and _reals(decode, 2 * components) is None:
        raise refuse(f"/Decode heeft niet {2 * components} getallen")
    if codec in (Name.CCITTFaxDecode, Name.JBIG2Decode) and (components != 1 or bits != 1):
        raise refuse("CCITT- of JBIG2-gegevens zijn zwart-wit, de afbeelding zegt iets anders")
    if codec == Name.DCTDecode and bits != 8:
        raise refuse("een JPEG-afbeelding heeft niet 8 bits per kleurcomponent")
    parms = image.get(Name.DecodeParms)
    if codec == Name.CCITTFaxDecode:
        last = parms[len(parms) - 1] if isinstance(parms, Array) and len(parms) else parms
        columns = last.get(Name.Columns, 1728) if isinstance(last, Dictionary) else 1728
        if columns != width:
            raise refuse("de CCITT-gegevens zijn anders breed dan de afbeelding")
        return
    if codec == Name.JBIG2Decode:
        return
    expected = height * ((width * int(bits) * (components or 1) + 7) // 8) if codec is None else 0
    try:
        if codec is None and names == [Name.FlateDecode]:
            length = _inflated_length(raw if inline else image.read_raw_bytes(), parms)
            if length is not None:
                if length < expected:
                    raise refuse(
                        f"te weinig beeldgegevens: {length} bytes voor {width} x {height} beeldpunten ({expected} nodig)"
                    )
                if length == expected or inline:
                    return
        data = _image_bytes(pdf, None if inline else image, raw if inline else image.read_raw_bytes(), names, parms)
    except pikepdf.PdfError as exc:
        raise refuse(f"onleesbare gegevens: {str(exc)[:80]}") from exc
    if codec == Name.DCTDecode:
        frame = jpeg_frame(data)
        if frame is None:
            raise refuse("de JPEG-gegevens hebben geen leesbare beeldkop")
        precision, frame_height, frame_width, frame_components = frame
        if precision != 8 or frame_components != components or frame_width != width or frame_height not in (height, 0):
            raise refuse(
                f"de JPEG-gegevens hebben {frame_components} kleurcomponent(en) en zijn {frame_width} x {frame_height}, "
                f"de afbeelding zegt {components} en {width} x {height}"
            )
        return
    if codec == Name.JPXDecode:
        header = jpx_header(data)
        if header is None:
            raise refuse("de JPEG 2000-gegevens hebben geen leesbare beeldkop")
        jpx_height, jpx_width, jpx_components, opacity = header
        if opacity or (components is None and jpx_components not in (1, 3, 4)):
            raise refuse("de JPEG 2000-gegevens hebben een doorzichtigheidskanaal")
        if (jpx_height, jpx_width) != (height, width) or (components is not None and jpx_components != components):
            raise refuse(
                f"de JPEG 2000-gegevens hebben {jpx_components} kleurcomponent(en) en zijn {jpx_width} x {jpx_height}, "
                f"de afbeelding zegt {components or 'eigen kleuren'} en {width} x {height}"
            )
        return
    if len(data) < expected:
        raise refuse(f"te weinig beeldgegevens: {len(data)} bytes voor {width} x {height} beeldpunten ({expected} nodig)")
    if not inline and codec is None and len(data) > expected:
        # bytes past the last pixel: no viewer draws them, the copy would publish them (round 9, A16); written
        # again without filters (qpdf compresses the copy's streams), the pixels the same
        image.write(data[:expected])


def _inflated_length(raw: bytes, parms) -> int | None:
    """The length of Flate data once decoded (and un-predicted), counted in chunks without keeping it (half the
    time of decoding it whole, and no copy of a page-sized scan in memory); None when zlib cannot read it or the
    parameters are unusual (then qpdf decodes it, as it decodes it for the copy)."""
    predictor, row = 1, 0
    if isinstance(parms, Dictionary):
        given = parms.get(Name.Predictor, 1)
        if not isinstance(given, int) or given not in (1, 2, 10, 11, 12, 13, 14, 15):
            return None
        predictor = int(given)
        if predictor >= 10:
            values = [
                parms.get(key, default) for key, default in ((Name.Colors, 1), (Name.BitsPerComponent, 8), (Name.Columns, 1))
            ]
            if not all(isinstance(v, int) and 0 < v <= MAX_IMAGE_SIDE for v in values):
                return None
            row = (int(values[0]) * int(values[1]) * int(values[2]) + 7) // 8
    elif parms is not None:
        return None
    inflater, length, rest = zlib.decompressobj(), 0, raw
    try:
        while rest:
            length += len(inflater.decompress(rest, 1 << 20))
            rest = inflater.unconsumed_tail
        length += len(inflater.flush())
    except zlib.error:
        return None
    return length // (row + 1) * row if predictor >= 10 else length


def _whole(value) -> int | None:
    """A whole number (also written as a real, ``16.0``), or None."""
    try:
        return int(value) if _number(value) and value == int(value) else None
    except (ValueError, OverflowError):  # NaN, infinity
        return None


def _shown_bits(bits) -> str:
    return str(bits) if isinstance(bits, int) and not isinstance(bits, bool) else "geen geldig aantal"


def _judge_image_xobject(pdf: pikepdf.Pdf, image, forms: set) -> None:
    """An image XObject with its masks (``_judge_image``), each judged once."""
    key = _key(image)
    if key is not None:
        if (key, "judged image") in forms:
            return
        forms.add((key, "judged image"))
    if not isinstance(image, pikepdf.Stream):
        raise CopyError(f"een afbeelding heeft geen beeldgegevens: {_IMAGE_VIEWERS}")
    _judge_image(pdf, image)
    for mask_key, role in ((Name.SMask, "smask"), (Name.Mask, "mask")):
        mask = image.get(mask_key)
        if isinstance(mask, pikepdf.Stream):
            _judge_image(pdf, mask, role=role)


def _type3_advance(operations) -> float:
    """A Type 3 glyph procedure's advance (``wx`` of its ``d0`` or ``d1``), 0 without one (as PDFium reads it)."""
    for instruction in operations:
        if str(instruction.operator) in ("d0", "d1"):
            operands = list(instruction.operands)
            return float(operands[0]) if operands and _number(operands[0]) else 0.0
    return 0.0


def _type3_widths(font, advances: dict[str, float]) -> None:
    """A Type 3 font whose advances every viewer reads alike. PDFium takes a code's advance from /Widths
    (indexed from /FirstChar, /LastChar ignored) unless that width rounds to 0 (in thousandths of text
    space), and then from the glyph procedure's ``d0``/``d1``; poppler, MuPDF, Ghostscript and Acrobat take
    /Widths for /FirstChar to /LastChar and never the procedure. A missing, short or zero width thus moves
    the text after it in PDFium only (round 4, leak 2b: the name beside a black box in the gate's render,
    under it in every other viewer). Where the two readings differ, the copy gets /Widths as PDFium reads
    them (so every viewer places the glyphs where the gate judged them); a font whose codes cannot all be
    mapped to their procedures (a base encoding) is refused."""
    matrix = font.get(Name.FontMatrix)
    scale = float(matrix[0]) if isinstance(matrix, Array) and len(matrix) == 6 and _number(matrix[0]) else 0.001
    first = font.get(Name.FirstChar)
    first = int(first) if _number(first) else 0
    last = font.get(Name.LastChar)
    last = int(last) if _number(last) else -1
    widths = font.get(Name.Widths)
    widths = list(widths) if isinstance(widths, Array) else None
    names: dict[int, str] = {}
    encoding = font.get(Name.Encoding)
    differences = encoding.get(Name.Differences) if isinstance(encoding, Dictionary) else None
    code = 0
    for item in differences if isinstance(differences, Array) else []:
        if _number(item):
            code = int(item)
        elif isinstance(item, Name):
            if 0 <= code <= 255:
                names[code] = str(item)
            code += 1
    base = encoding is not None and not (isinstance(encoding, Dictionary) and Name.BaseEncoding not in encoding)

    def value(index: int) -> float:
        item = widths[index] if widths is not None and 0 <= index < len(widths) else 0
        return float(item) if _number(item) else 0.0

    pdfium: list[float] = []
    differs = False
    for code in range(256):
        table = value(code - first) if widths is not None and 0 <= first <= code < first + len(widths) else 0.0
        if round(table * scale * 1000) == 0:  # PDFium: the glyph procedure's advance
            if code not in names and base and any(advance for advance in advances.values()):
                raise CopyError(
                    "een lettertype (Type 3) heeft breedtes (/Widths) die pdf-lezers verschillend aanvullen en een "
                    "basiscodering waarmee niet vast te stellen is welke tekens het tekent: de tekst kan bij de een "
                    "ergens anders staan dan bij de ander"
                )
            table = advances.get(names.get(code, ""), 0.0)
        pdfium.append(table)
        spec = value(code - first) if first <= code <= last and widths is not None and code - first < len(widths) else None
        if (spec is None and round(table * scale * 1000) != 0) or (
            spec is not None and abs(spec - table) * abs(scale) * 1000 > 0.5
        ):
            differs = True
    if not differs:
        return
    used = [code for code in range(256) if pdfium[code] != 0] or [0]
    low, high = min(used), max(used)
    font[Name.FirstChar] = low
    font[Name.LastChar] = high
    font[Name.Widths] = Array([int(w) if w == int(w) else Decimal(str(round(w, 4))) for w in pdfium[low : high + 1]])


# -- advances every viewer reads alike (round 5) -----------------------------------------------------------
# A simple font that is not embedded and has no /Widths draws with a font of the viewer's own, spaced by that
# font's advances. For a name outside the standard 14 fonts (and the Arial, Times New Roman and Courier New
# names every viewer maps onto them) each viewer takes whatever font it finds (PDFium: one installed on the
# build machine), so a name placed beside a black box in the gate's render lies under it elsewhere (leak
# cw01): refused (PDF 1.5 and later require /Widths for it). For a standard font PDFium uses its own built-in
# fonts (the same on every machine), whose advances differ from the metrics poppler, MuPDF and Ghostscript
# use for glyph names outside the Latin set (``/uni0057`` read as W: leak gl01) and for some glyphs (``at``
# in Helvetica-Bold): the copy gets /Widths as PDFium reads them, so every viewer places the text where the
# gate judged it (as ``_type3_widths`` does for Type 3 fonts).
STANDARD_14 = frozenset(
    "Courier Courier-Bold Courier-Oblique Courier-BoldOblique Helvetica Helvetica-Bold Helvetica-Oblique "
    "Helvetica-BoldOblique Times-Roman Times-Bold Times-Italic Times-BoldItalic Symbol ZapfDingbats".split()
)
_STANDARD_ALIASES = frozenset(
    [
        *(
            family + style
            for family in ("Arial", "TimesNewRoman", "CourierNew", "Helvetica")
            for style in ("", ",Bold", ",Italic", ",BoldItalic")
        ),
        *(
            family + style
            for family in ("Arial", "TimesNewRomanPS", "CourierNewPS")
            for style in ("MT", "-BoldMT", "-ItalicMT", "-BoldItalicMT")
        ),
    ]
)
_FONT_VIEWERS = "pdf-lezers zetten de tekst dan elk op een andere plaats (bij de een naast een zwart vlak, bij de ander eronder)"
_PDFIUM_WIDTHS: dict[bytes, list[int]] = {}  # by the font's description: PDFium's built-in fonts never change
_ROW = 12


def _embedded(font) -> bool:
    descriptor = font.get(Name.FontDescriptor)
    return isinstance(descriptor, Dictionary) and any(
        isinstance(descriptor.get(key), pikepdf.Stream) for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def standard_font(font) -> bool:
    """Is ``font`` named as one of the standard 14 fonts (or an Arial, Times New Roman or Courier New name
    that every viewer maps onto them)?"""
    base = font.get(Name.BaseFont)
    base = str(base)[1:] if isinstance(base, Name) else ""
    return base in STANDARD_14 or base in _STANDARD_ALIASES


def unknown_font_without_widths(font) -> bool:
    """A simple font that is not embedded, has no /Widths and is no standard font: each viewer spaces its
    text by a font of its own (leak cw01)."""
    return (
        font.get(Name.Subtype) in (Name.Type1, Name.MMType1, Name.TrueType)
        and not isinstance(font.get(Name.Widths), Array)
        and not _embedded(font)
        and not standard_font(font)
    )


# Names of symbol and pictogram fonts (one list, ``publish/symbolfonts.py``): not embedded, a viewer that has the
# font draws its pictograms for codes the gate reads as letters.
_SYMBOL_NAMES = SYMBOL_FONT_NAMES
_SYMBOLIC = 4  # /Flags bit 3: the font's own encoding, not the standard Latin character set
_NONSYMBOLIC = 32  # /Flags bit 6


def _base_name(font) -> str:
    base = font.get(Name.BaseFont)
    name = str(base)[1:] if isinstance(base, Name) else ""
    if len(name) > 7 and name[6] == "+" and name[:6].isalpha() and name[:6].isupper():
        name = name[7:]  # a subset tag
    return re.sub(r"[\s,_-]", "", name)


def symbol_font_not_embedded(font) -> bool:
    """A font that is not embedded, is no standard font, and is a symbol font by its name (Wingdings, Webdings,
    ...) or its /Flags (symbolic, not nonsymbolic): PDFium has no such font and draws substitute letters, which
    the gate judges visible, while a reader who has it installed sees pictograms (round 8, a08). A composite font
    is judged by its descendant."""
    if font.get(Name.Subtype) == Name.Type0:
        descendants = font.get(Name.DescendantFonts)
        if not isinstance(descendants, Array) or len(descendants) != 1 or not isinstance(descendants[0], Dictionary):
            return False  # refused elsewhere as damaged, or no text at all
        font = descendants[0]
        if font.get(Name.Subtype) not in (Name.CIDFontType0, Name.CIDFontType2):
            return False
    elif font.get(Name.Subtype) not in (Name.Type1, Name.MMType1, Name.TrueType):
        return False
    if _embedded(font) or standard_font(font):
        return False
    flags = font_flags(font)
    return bool(_SYMBOL_NAMES.search(_base_name(font))) or bool(flags & _SYMBOLIC and not flags & _NONSYMBOLIC)


def font_flags(font) -> int:
    """The /Flags of a font's descriptor (0 without one)."""
    descriptor = font.get(Name.FontDescriptor)
    flags = descriptor.get(Name.Flags) if isinstance(descriptor, Dictionary) else None
    return int(flags) if isinstance(flags, (int, Decimal)) else 0


def _judge_simple_font(pdf: pikepdf.Pdf, font) -> None:
    """A simple font (Type 1, TrueType): /Widths in fractions written as PDFium reads them (cut to whole
    numbers); without /Widths and not embedded, refused unless a standard font, which gets PDFium's widths."""
    widths = font.get(Name.Widths)
    if isinstance(widths, Array):
        _truncate_widths(font, Name.Widths, widths)
        descriptor = font.get(Name.FontDescriptor)
        if isinstance(descriptor, Dictionary) and _number(descriptor.get(Name.MissingWidth)):
            if descriptor.MissingWidth != int(descriptor.MissingWidth):
                descriptor[Name.MissingWidth] = int(descriptor.MissingWidth)
        if _embedded(font) or (font.get(Name.FirstChar) == 0 and font.get(Name.LastChar) == 255 and len(widths) == 256):
            return
        # Not embedded, codes outside /FirstChar../LastChar: PDFium, poppler and MuPDF give them /MissingWidth
        # (or 0), Ghostscript the width of its own font (round 5, mw02r): all 256 written as PDFium reads them.
        pdfium = _pdfium_widths(pdf, font, with_widths=True)
    elif _embedded(font):
        return
    elif not standard_font(font):
        return  # refused by glyphs.py (``unknown_font_without_widths``), with the other findings of the page
    else:
        pdfium = _pdfium_widths(pdf, font)
    font[Name.FirstChar] = 0
    font[Name.LastChar] = 255
    font[Name.Widths] = Array(pdfium)


def _pdfium_widths(pdf: pikepdf.Pdf, font, with_widths: bool = False) -> list[int]:
    """The advance PDFium gives each code 0-255 of a simple font without /Widths, in thousandths of an em:
    measured on a scratch page that shows each code at 10 points followed by a marker letter (``I`` at 7
    points), whose origin PDFium's text page reports."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    scratch = pikepdf.new()
    copied = scratch.copy_foreign(font if font.is_indirect else pdf.make_indirect(Dictionary(font)))
    kept = ("/Type", "/Subtype", "/BaseFont", "/Encoding", "/FontDescriptor") + (
        ("/FirstChar", "/LastChar", "/Widths") if with_widths else ()
    )
    for entry in list(copied.keys()):
        if entry not in kept:
            del copied[entry]
    key = copied.unparse(resolved=True)
    if key in _PDFIUM_WIDTHS:
        return _PDFIUM_WIDTHS[key]
    marker = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Courier, Encoding=Name.WinAnsiEncoding)
    rows = b"".join(b"BT /F 10 Tf 10 %d Td <%02x> Tj /M 7 Tf (I) Tj ET\n" % (10 + _ROW * code, code) for code in range(256))
    page = Dictionary(
        Type=Name.Page,
        MediaBox=Array([0, 0, 200, 20 + _ROW * 256]),
        Resources=Dictionary(Font=Dictionary(F=copied, M=marker)),
        Contents=scratch.make_stream(rows),
    )
    scratch.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    scratch.save(out)
    widths = [0] * 256
    found = set()
    document = pdfium.PdfDocument(out.getvalue())
    try:
        text = document[0].get_textpage()
        x, y = ctypes.c_double(), ctypes.c_double()
        for index in range(raw.FPDFText_CountChars(text.raw)):
            if raw.FPDFText_GetUnicode(text.raw, index) != ord("I") or abs(raw.FPDFText_GetFontSize(text.raw, index) - 7) > 0.01:
                continue
            raw.FPDFText_GetCharOrigin(text.raw, index, x, y)
            code = round((y.value - 10) / _ROW)
            if 0 <= code < 256:
                widths[code] = round((x.value - 10) * 100)
                found.add(code)
    finally:
        document.close()
    if len(found) != 256:
        raise CopyError(f"de breedtes van het lettertype '{str(font.get(Name.BaseFont, ''))[1:40]}' zijn niet vast te stellen")
    _PDFIUM_WIDTHS[key] = widths
    return widths


def _trunc(value):
    """A width as PDFium reads it: a number cut to a whole number (towards 0), anything else 0."""
    return int(value) if _number(value) else 0


def _truncate_widths(font, key: Name, widths) -> None:
    if any(not _number(w) or w != int(w) for w in widths):
        font[key] = Array([_trunc(w) for w in widths])


def _judge_cid_font(font) -> None:
    """A CID font's advances as PDFium reads them: /DW and the numbers of /W and /W2 cut to whole numbers
    (poppler ignores a /DW in fractions and takes 1000: leak cid01); a /DW2 other than two numbers refuses."""
    default = font.get(Name.DW)
    if default is not None and (not _number(default) or default != int(default)):
        font[Name.DW] = _trunc(default)
    for key in (Name.W, Name.W2):
        table = font.get(key)
        if table is None:
            continue
        if not isinstance(table, Array) or not all(_number(item) or isinstance(item, Array) for item in table):
            raise CopyError(f"de breedtes (/{str(key)[1:]}) van een lettertype zijn onleesbaar: {_FONT_VIEWERS}")
        if any(isinstance(item, Array) and not all(_number(w) for w in item) for item in table):
            raise CopyError(f"de breedtes (/{str(key)[1:]}) van een lettertype zijn onleesbaar: {_FONT_VIEWERS}")
        if any(item != int(item) for item in _flat_numbers(table)):
            font[key] = Array([Array([_trunc(w) for w in item]) if isinstance(item, Array) else _trunc(item) for item in table])
    vertical = font.get(Name.DW2)
    if vertical is not None:
        if not (isinstance(vertical, Array) and len(vertical) == 2 and all(_number(v) for v in vertical)):
            raise CopyError(f"de verticale standaardbreedte (/DW2) van een lettertype is onleesbaar: {_FONT_VIEWERS}")
        if any(v != int(v) for v in vertical):
            font[Name.DW2] = Array([_trunc(v) for v in vertical])


def _flat_numbers(table) -> list:
    return [w for item in table for w in (item if isinstance(item, Array) else [item])]


def _judge_type3_matrix(font) -> None:
    """A Type 3 /FontMatrix of six numbers without a translation: poppler ignores the translation
    (leak t3a: a box glyph over a name there only, 5 em beside it in PDFium), and a shorter matrix
    each viewer completes its own way."""
    matrix = font.get(Name.FontMatrix)
    if not (isinstance(matrix, Array) and len(matrix) == 6 and all(_number(v) for v in matrix)):
        raise CopyError(f"de matrix (/FontMatrix) van een lettertype (Type 3) is onleesbaar: {_FONT_VIEWERS}")
    if matrix[4] != 0 or matrix[5] != 0:
        raise CopyError(f"de matrix (/FontMatrix) van een lettertype (Type 3) verschuift de tekens: {_FONT_VIEWERS}")
