"""Round-11 leaks (branch attack-11, ``attacks11/README.md``) in the published copy: references of the tag structure
to any object (C02a/C02b), number trees nested beyond what is read (C02c). PDFs made with pikepdf as the reproducers
make them; "Vermeulenzz" stands for a civil servant's name and must not be anywhere in the copy (raw bytes, any
string, name or key, any decoded stream), while the visible text stays as it was."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from support.pdfcraft import accepted, decoded_streams, page_with, refused, secret_in

MARK = "Vermeulenzz"
CLEAN = b"BT /F1 11 Tf 72 760 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"
TAGGED = b"/P <</MCID 0>> BDC\n" + CLEAN + b"EMC\n"


def _copy_without_mark(data: bytes) -> bytes:
    _, copy = accepted(data)
    assert secret_in(copy, MARK) == []
    return copy


def _secret(pdf) -> Dictionary:
    return pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + MARK), T=String(MARK), Naam=String(MARK)))


def _tagged(kids, parent=None, extra=None, form: bool = False):
    """A page tagged as one paragraph under a document element; ``kids(pdf, page)`` gives the paragraph's /K."""

    def setup(pdf, page):
        if form:
            page.Resources.XObject = Dictionary(
                Fm1=pdf.make_stream(b"", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 10, 10])
            )
        page.StructParents = 0
        elem = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.P, Pg=page, K=0))
        doc = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array([elem])))
        root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=doc, ParentTreeNextKey=1))
        elem.P, doc.P = (parent(pdf) if parent else doc), root
        elem.K = kids(pdf, page)
        root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array([0, Array([elem])])))
        if extra:
            extra(pdf, page, root)
        pdf.Root.StructTreeRoot = root
        pdf.Root.MarkInfo = Dictionary(Marked=True)

    return page_with(TAGGED + (b"q /Fm1 Do Q\n" if form else b""), setup)


def _paragraph(copy: bytes):
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        para = pdf.Root.StructTreeRoot.K.K[0]
        kids = list(para.K) if isinstance(para.K, Array) else [para.K]
        return [(set(kid.keys()) if isinstance(kid, Dictionary) else kid) for kid in kids], para.P.S


# -- C02a: a marked-content reference's /Stm, an object reference's /Obj ---------------------------------------------
def test_c02a_a_marked_content_reference_to_any_stream_is_not_in_the_copy():
    def kids(pdf, page):
        stream = pdf.make_stream(f"% {MARK}\n/{MARK} BMC EMC".encode(), Naam=String(MARK))
        return Array([0, Dictionary(Type=Name.MCR, MCID=0, Stm=stream, StmOwn=_secret(pdf), Pg=page)])

    kept, _ = _paragraph(_copy_without_mark(_tagged(kids)))
    assert kept == [0]


def test_c02a_an_object_reference_to_any_dictionary_is_not_in_the_copy():
    def kids(pdf, page):
        return Array([0, Dictionary(Type=Name.OBJR, Obj=_secret(pdf), Pg=page)])

    kept, _ = _paragraph(_copy_without_mark(_tagged(kids)))
    assert kept == [0]


def test_c02a_a_reference_naming_no_page_of_the_document_is_not_in_the_copy():
    def kids(pdf, page):
        return Array([0, Dictionary(Type=Name.MCR, MCID=0, Pg=_secret(pdf))])

    kept, _ = _paragraph(_copy_without_mark(_tagged(kids)))
    assert kept == [0]


def test_c02a_references_into_the_page_stay():
    """Counterparts: marked content in a form the page draws, in the page's content stream (named as /Stm: the
    default, so the key goes) stay."""

    def kids(pdf, page):
        form = page.Resources.XObject.Fm1
        return Array(
            [0, Dictionary(Type=Name.MCR, MCID=1, Stm=form, Pg=page), Dictionary(Type=Name.MCR, MCID=2, Stm=page.Contents)]
        )

    kept, _ = _paragraph(_copy_without_mark(_tagged(kids, form=True)))
    assert kept[0] == 0 and set(kept[1]) == {"/Type", "/MCID", "/Stm", "/Pg"} and set(kept[2]) == {"/Type", "/MCID"}


# -- C02b: an element's /P ---------------------------------------------------------------------------------------------
def test_c02b_a_parent_outside_the_tree_becomes_the_real_parent():
    kept, parent_type = _paragraph(_copy_without_mark(_tagged(lambda pdf, page: 0, parent=_secret)))
    assert parent_type == Name.Document


# -- C02c: number trees nested too deep --------------------------------------------------------------------------------
def _nest(pdf, leaf: Dictionary, depth: int = 205) -> Dictionary:
    node = pdf.make_indirect(leaf)
    for _ in range(depth):
        node = pdf.make_indirect(Dictionary(Kids=Array([node])))
    return node


@pytest.mark.parametrize("depth", [3, 205])
def test_c02c_page_labels_nested_too_deep_go(depth):
    def setup(pdf, page):
        pdf.Root.PageLabels = _nest(pdf, Dictionary(Nums=Array([0, Dictionary(S=Name.D, P=String(MARK))])), depth)

    copy = _copy_without_mark(page_with(CLEAN, setup))
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert (Name.PageLabels in pdf.Root) == (depth == 3)


def test_c02c_a_parent_tree_nested_too_deep_is_refused():
    def extra(pdf, page, root):
        other = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + MARK), T=String(MARK), Pg=page))
        first = root.ParentTree
        first.Limits = Array([0, 0])
        root.ParentTree = pdf.make_indirect(
            Dictionary(Kids=Array([first, _nest(pdf, Dictionary(Nums=Array([1, other]), Limits=Array([1, 1])))]))
        )

    result = refused(_tagged(lambda pdf, page: 0, extra=extra), "pdf.onleesbaar")
    assert "/ParentTree" in result["error"] and "dieper dan 200 niveaus" in result["error"] and MARK not in result["error"]


# -- C01/C06/C04: a font's entries for codes no page shows ------------------------------------------------------------
MARK_HEX = MARK.encode("utf-16-be").hex().upper()


def _cmap(comment: bool = False, token: bool = False) -> bytes:
    """A /ToUnicode map for codes 32-126 and code 200 (no page shows it) copying as the name."""
    entries = "\n".join(f"<{c:02X}> <{c:04X}>" for c in range(32, 127))
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        f"{96 + token} beginbfchar\n{entries}\n<C8> <{MARK_HEX}>\n{'<C9> /x' if token else ''}\nendbfchar\n"
        + ("% usecmap\n" if comment else "")
        + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode()


def _no_hidden_map_entry(data: bytes) -> bytes:
    copy = _copy_without_mark(data)
    streams = decoded_streams(copy).upper()
    assert MARK_HEX.encode() not in streams and b"<C8>" not in streams
    return copy


@pytest.mark.parametrize("variant", ["comment", "token"])
def test_c01a_a_map_with_a_comment_or_an_odd_token_loses_its_unshown_entries(variant):
    def setup(pdf, page):
        page.Resources.Font.F1.ToUnicode = pdf.make_stream(_cmap(variant == "comment", variant == "token"))

    copy = _no_hidden_map_entry(page_with(CLEAN, setup))
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert b"<44> <0044>" in pdf.pages[0].Resources.Font.F1.ToUnicode.read_bytes()  # "D" of "Dit" still copies


def test_c01b_a_font_only_the_dropped_info_reaches_does_not_keep_a_shared_map_whole():
    def setup(pdf, page):
        mapping = pdf.make_stream(_cmap())
        page.Resources.Font.F1.ToUnicode = mapping
        orphan = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, ToUnicode=mapping))
        pdf.trailer.Info = pdf.make_indirect(Dictionary(X=orphan))

    _no_hidden_map_entry(page_with(CLEAN, setup))


def _font_x(pdf):
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type1,
            BaseFont=Name.Helvetica,
            Encoding=Name.WinAnsiEncoding,
            ToUnicode=pdf.make_stream(_cmap()),
        )
    )


def test_c06_a_font_only_selected_in_a_pattern_cell_keeps_no_map_entries():
    def setup(pdf, page):
        cell = pdf.make_stream(b"BT /FX 12 Tf ET 0 0 5 5 re f", Type=Name.Pattern, PatternType=1, PaintType=1, TilingType=1)
        cell.BBox, cell.XStep, cell.YStep = Array([0, 0, 10, 10]), 10, 10
        cell.Resources = Dictionary(Font=Dictionary(FX=_font_x(pdf)))
        page.Resources.Pattern = Dictionary(P0=cell)

    _no_hidden_map_entry(page_with(CLEAN + b"q /Pattern cs /P0 scn 300 100 50 50 re f Q\n", setup))


def test_c06_a_font_only_selected_in_a_kept_links_appearance_keeps_no_map_entries():
    def setup(pdf, page):
        ap = pdf.make_stream(b"BT /FX 12 Tf ET 0 0 1 rg 0 0 50 10 re f", Type=Name.XObject, Subtype=Name.Form)
        ap.BBox, ap.Resources = Array([0, 0, 50, 10]), Dictionary(Font=Dictionary(FX=_font_x(pdf)))
        link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([300, 100, 350, 110]), Border=Array([0, 0, 0]))
        link.Dest, link.AP = Array([page, Name.Fit]), Dictionary(N=ap)
        page.Annots = Array([pdf.make_indirect(link)])

    _no_hidden_map_entry(page_with(CLEAN, setup))


def test_c01_a_map_that_cannot_be_read_for_a_font_that_shows_text_refuses():
    from publish.gate.shown import Unprunable, rewritten_cmap

    with pytest.raises(Unprunable, match="tekstkoppeling"):
        rewritten_cmap(_cmap(token=True), {0x44}, None)  # codes of an unknown width
    assert b"beginbfchar" not in rewritten_cmap(b"rommel", set(), None)  # a font that shows nothing: an empty map


def _type3(pdf, procs):
    font = Dictionary(Type=Name.Font, Subtype=Name.Type3, FontBBox=Array([0, 0, 500, 700]), CharProcs=procs)
    font.FontMatrix = Array([0.001, 0, 0, 0.001, 0, 0])
    font.Encoding = Dictionary(Type=Name.Encoding, Differences=Array([65, Name.A]))
    font.FirstChar, font.LastChar, font.Widths, font.Resources = 65, 66, Array([600, 600]), Dictionary()
    return pdf.make_indirect(font)


@pytest.mark.parametrize("variant", ["shared", "unnamed"])
def test_c04_type3_glyphs_no_code_draws_go_when_fonts_share_them_or_a_code_has_no_name(variant):
    def setup(pdf, page):
        glyph = pdf.make_stream(b"600 0 0 0 500 700 d1 0 0 500 700 re f")
        secret = pdf.make_stream(b"600 0 0 0 500 700 d1 0 0 m 500 700 l 0 700 l f % " + MARK.encode())
        procs = Dictionary({"/A": glyph, "/" + MARK: secret})
        procs = pdf.make_indirect(procs) if variant == "shared" else procs
        page.Resources.Font.T1 = _type3(pdf, procs)
        page.Resources.Font.T2 = _type3(pdf, procs if variant == "shared" else Dictionary({"/A": glyph}))

    shown = b"(AB)" if variant == "unnamed" else b"(A)"
    content = CLEAN + b"BT /T1 12 Tf 100 500 Td " + shown + b" Tj /T2 12 Tf 0 -20 Td (A) Tj ET\n"
    copy = _copy_without_mark(page_with(content, setup))
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        fonts = pdf.pages[0].Resources.Font
        assert set(fonts.T1.CharProcs.keys()) == set(fonts.T2.CharProcs.keys()) == {"/A"}


# -- C07: a shown Type 3 glyph's name ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "glyph, kept",
    [("_".join(MARK), "/n65"), ("A." + MARK, "/n65"), ("A", "/A"), ("uni0041", "/uni0041"), ("G41", "/G41"), ("Dad", "/n65")],
)
def test_c07_a_shown_type3_glyph_keeps_its_name_only_when_it_stands_for_one_character(glyph, kept):
    def setup(pdf, page):
        proc = pdf.make_stream(b"600 0 0 0 500 700 d1 0 0 500 700 re f")
        font = _type3(pdf, Dictionary({"/" + glyph: proc}))
        font.Encoding.Differences = Array([65, Name("/" + glyph)])
        page.Resources.Font.T1 = font

    _, copy = accepted(page_with(CLEAN + b"BT /T1 12 Tf 100 500 Td (A) Tj ET\n", setup))
    assert secret_in(copy, "V_e_r") == [] and secret_in(copy, MARK) == []
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        font = pdf.pages[0].Resources.Font.T1
        assert list(font.Encoding.Differences) == [65, Name(kept)] and set(font.CharProcs.keys()) == {kept}


# -- C05: a Separation's ink name under a resource name the walk used to skip -------------------------------------------
@pytest.mark.parametrize("key", ["/CS0", "/A", "/P", "/Pg", "/Parent"])
def test_c05_an_ink_name_is_neutral_whatever_the_colour_spaces_resource_name(key):
    def setup(pdf, page):
        function = Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array([1]), C1=Array([0.5]), N=1)
        page.Resources.ColorSpace = Dictionary({key: Array([Name.Separation, Name("/" + MARK), Name.DeviceGray, function])})

    _, copy = accepted(page_with(CLEAN + f"q {key} cs 1 scn 300 100 50 50 re f Q\n".encode(), setup))
    assert secret_in(copy, MARK) == []
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert pdf.pages[0].Resources.ColorSpace[key][1] == Name("/Kleur1")
