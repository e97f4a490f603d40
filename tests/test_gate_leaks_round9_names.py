"""Round-9 leftovers of A15/A16 (low): names the published copy kept although no viewer draws by them.

Each test puts a name where a tool may write anything, invisible in every viewer: a marked-content tag, a rendering
intent, a structure type of the document's own and its role map, a page-label prefix, a /ToUnicode entry or
/Differences name for a code no page shows, an unused Type 3 glyph (and the image only it draws), a colorant name.
The copy must not hold the name anywhere (raw bytes, strings, names, keys, decoded streams: ``secret_in``) while the
page reads and looks as before. PDFs made with pikepdf, as the other leak tests.
"""

from __future__ import annotations

import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from support.pdfcraft import accepted, decoded_streams, page_with, pixels, refused, secret_in

CLEAN = b"BT /F1 11 Tf 72 760 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"
VISIBLE = "Dit is een gewone zichtbare regel tekst op de pagina."


def _same_page(data: bytes) -> tuple[dict, bytes]:
    assert secret_in(data, "Vermeulen")  # the premise
    result, copy = accepted(data)
    assert secret_in(copy, "Vermeulen") == [], secret_in(copy, "Vermeulen")
    assert VISIBLE in result["texts"][0]
    assert pixels(copy) == pixels(data)
    return result, copy


def _content(copy: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        return pdf.pages[0].Contents.read_bytes()


# -- marked content and rendering intents -----------------------------------------------------------------------
def _tagged(pdf, page):
    tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    doc = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=tree, K=Array()))
    para = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.P, P=doc, Pg=page, K=0))
    doc.K.append(para)
    tree.K = doc
    tree.ParentTree = pdf.make_indirect(Dictionary(Nums=Array([0, Array([para])])))
    page.StructParents = 0
    pdf.Root.StructTreeRoot = tree
    pdf.Root.MarkInfo = Dictionary(Marked=True)


MARKED = (
    b"/Jan#20Vermeulen <</MCID 0>> BDC\n" + CLEAN + b"EMC\n"
    b"/Artifact BMC 0 g 72 700 100 20 re f EMC\n"
    b"/Vermeulen BMC /Pietersen-Vermeulen MP /VermeulenDP <</Lang (nl)>> DP EMC\n"
    b"/Vermeulen ri 0.5 g 72 650 100 20 re f\n"
)


def test_marked_content_tags_and_rendering_intents_of_their_own_are_renamed():
    result, copy = _same_page(page_with(MARKED, _tagged))
    content = _content(copy)
    assert content.count(b"/Span") == 4  # BDC (with its MCID), BMC, MP, DP
    assert b"/Span <<\n  /MCID 0\n>> BDC" in content or b"/Span << /MCID 0 >> BDC" in content
    assert b"/Artifact BMC" in content  # a tag with a meaning of its own stays
    assert b"/RelativeColorimetric ri" in content  # what viewers use for an intent they do not know
    with pikepdf.open(io.BytesIO(copy)) as pdf:  # the tag structure still links to the marked text
        assert pdf.Root.StructTreeRoot.K.K[0].K == 0 and pdf.pages[0].StructParents == 0


def test_standard_tags_leave_the_content_as_it_was():
    plain = b"/P <</MCID 0>> BDC\n" + CLEAN + b"EMC\n/Artifact BMC 0 g 72 700 100 20 re f EMC\n/H2 BMC EMC\n"
    _, copy = accepted(page_with(plain, _tagged))
    assert _content(copy) == plain  # nothing to rename: the stream is copied as it is


def test_a_tag_in_a_form_is_renamed_too():
    def setup(pdf, page):
        form = pdf.make_stream(b"/Vermeulen BMC 0 g 0 0 10 10 re f EMC\n")
        form.Type, form.Subtype, form.BBox = Name.XObject, Name.Form, Array([0, 0, 10, 10])
        page.Resources.XObject = Dictionary(Fm1=form)

    _same_page(page_with(CLEAN + b"q 1 0 0 1 72 600 cm /Fm1 Do Q\n", setup))


# -- structure types and the role map ----------------------------------------------------------------------------
def _structure(roles: dict, types: list[str]):
    def setup(pdf, page):
        tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, RoleMap=Dictionary(roles)))
        doc = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=tree, K=Array()))
        for number, kind in enumerate(types):
            doc.K.append(pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name(kind), P=doc, Pg=page, K=number)))
        tree.K = doc
        # an element only the parent tree names (the tree does not reach it): cleaned all the same
        orphan = Dictionary(Type=Name.StructElem, S=Name("/Wees_Vermeulen"), T=String("Jan Vermeulen"), Pg=page, K=9)
        tree.ParentTree = pdf.make_indirect(Dictionary(Nums=Array([0, Array([pdf.make_indirect(orphan)])])))
        page.StructParents = 0
        pdf.Root.StructTreeRoot = tree
        pdf.Root.MarkInfo = Dictionary(Marked=True)

    content = b"".join(b"/P <</MCID %d>> BDC EMC\n" % n for n in range(len(types)))
    return page_with(content + CLEAN, setup)


def test_structure_types_of_their_own_become_the_standard_type_they_map_to():
    roles = {
        "/Opmerking_Vermeulen": Name("/Kop_Jan"),  # through another type of its own
        "/Kop_Jan": Name.H1,
        "/Voetnoot": Name.Note,
        "/Artifact": Name.P,  # as Word writes it: a standard name mapped to a standard name stays
        "/Ongebruikt_Vermeulen": Name.Span,
    }
    data = _structure(roles, ["/Opmerking_Vermeulen", "/Voetnoot", "/Artifact", "/Vrij_Vermeulen", "/H3"])
    _, copy = _same_page(data)
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        tree = pdf.Root.StructTreeRoot
        assert [str(kid.S) for kid in tree.K.K] == ["/H1", "/Note", "/Artifact", "/NonStruct", "/H3"]
        assert dict(tree.RoleMap.items()) == {"/Artifact": Name.P}
        orphan = tree.ParentTree.Nums[1][0]
        assert orphan.S == Name.NonStruct and Name.T not in orphan


def test_a_role_map_that_leads_round_in_a_circle_is_refused():
    roles = {"/Kop_Vermeulen": Name("/Kop_Jan"), "/Kop_Jan": Name("/Kop_Vermeulen")}
    result = refused(_structure(roles, ["/Kop_Vermeulen"]), "pdf.onleesbaar")
    assert "rollenkaart (/RoleMap)" in result["error"] and "in een kring" in result["error"]
    assert "schermlezer" in result["error"] and "Vermeulen" not in result["error"]


# -- page labels ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ([0, {"/S": Name.D, "/P": String("Jan Vermeulen-")}], ["1"]),  # the prefix goes, the numbering stays
        ([0, {"/P": String("Jan Vermeulen")}], None),  # only a prefix: the labels go, viewers number the pages
        ([0, {"/S": Name.D, "/St": String("Jan Vermeulen")}], ["1"]),  # a first number that is no number goes
        ([0, String("Jan Vermeulen")], None),  # no label dictionary: no page-label tree
        ([String("Jan Vermeulen"), {"/S": Name.D}], None),
    ],
    ids=["style and prefix", "prefix only", "text as first number", "text as label", "text as page"],
)
def test_page_label_prefixes_are_not_in_the_copy(labels, expected):
    from pypdf import PdfReader

    def setup(pdf, page):
        label = Dictionary(labels[1]) if isinstance(labels[1], dict) else labels[1]
        pdf.Root.PageLabels = Dictionary(Nums=Array([labels[0], label]))

    _, copy = _same_page(page_with(CLEAN, setup))
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert (Name.PageLabels in pdf.Root) == (expected is not None)
    assert PdfReader(io.BytesIO(copy)).page_labels == (expected or ["1"])


# -- fonts: /ToUnicode entries, /Differences names and Type 3 glyphs for codes no page shows ----------------------
def _utf16(text: str) -> bytes:
    return b"<" + text.encode("utf-16-be").hex().upper().encode() + b">"


HIDDEN_MAP = (
    b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
    b"1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
    b"2 beginbfchar\n<01> " + _utf16("Jan Vermeulen") + b"\n<2E> <002E>\nendbfchar\n"
    b"3 beginbfrange\n<20> <2D> <0020>\n<2F> <7E> <002F>\n"
    b"<80> <82> [" + _utf16("\u20ac") + b" " + _utf16("Vermeulen") + b" " + _utf16("Jan Piet") + b"]\nendbfrange\n"
    b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
)


def _map_texts(copy: bytes) -> str:
    from publish.gate.glyphs import parse_tounicode

    with pikepdf.open(io.BytesIO(copy)) as pdf:
        maps = [o.read_bytes() for o in pdf.objects if isinstance(o, pikepdf.Stream) and b"beginbf" in o.read_bytes()]
    return " ".join(text for m in maps for text in parse_tounicode(m).values())


def test_tounicode_entries_and_differences_names_for_codes_not_shown_go():
    def setup(pdf, page):
        font = page.Resources.Font.F1
        font.ToUnicode = pdf.make_stream(HIDDEN_MAP)
        font.Encoding = Dictionary(
            Type=Name.Encoding, BaseEncoding=Name.WinAnsiEncoding, Differences=Array([1, Name("/Vermeulen"), Name("/Jan")])
        )

    data = page_with(CLEAN + b"BT /F1 11 Tf 72 700 Td <80> Tj ET\n", setup)
    assert "Jan Vermeulen" in _map_texts(data)  # the premise: UTF-16 in the map, not found as bytes
    result, copy = _same_page(data)
    texts = _map_texts(copy)
    assert "Jan" not in texts and "Piet" not in texts and "Vermeulen" not in texts
    assert "\u20ac" in result["texts"][0]  # code 80 (the euro sign), shown: what the viewer copies for it stays
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        font = pdf.pages[0].Resources.Font.F1
        assert list(font.Encoding.Differences) == [] and font.Encoding.BaseEncoding == Name.WinAnsiEncoding
        cmap = font.ToUnicode.read_bytes()
    assert b"<20> <2D> <0020>" in cmap and b"<2F> <7E> <002F>" in cmap  # ranges with a shown code stay whole
    assert b"<80> <82> [<20AC> <0020> <0020>]" in cmap


def _via_state(pdf, page):
    font = page.Resources.Font.F1
    font.ToUnicode = pdf.make_stream(HIDDEN_MAP)
    page.Resources.ExtGState = Dictionary(GS1=Dictionary(Type=Name.ExtGState, Font=Array([font, 11])))


def _via_form(pdf, page):
    page.Resources.Font.F1.ToUnicode = pdf.make_stream(HIDDEN_MAP)
    form = pdf.make_stream(b"BT 0 0 Td <80> Tj ET\n")  # no font of its own: the one in force when it is drawn
    form.Type, form.Subtype, form.BBox = Name.XObject, Name.Form, Array([0, 0, 100, 20])
    page.Resources.XObject = Dictionary(Fm1=form)


@pytest.mark.parametrize(
    ("content", "setup"),
    [
        (b"/GS1 gs BT 72 700 Td <80> Tj ET\n", _via_state),
        (b"/F1 11 Tf q 1 0 0 1 72 700 cm /Fm1 Do Q\n", _via_form),
    ],
    ids=["font set by a graphics state", "font inherited by a form"],
)
def test_codes_shown_through_a_graphics_state_or_a_form_keep_their_text(content, setup):
    data = page_with(CLEAN + content, setup)
    assert "Jan Vermeulen" in _map_texts(data)  # the premise (UTF-16 in the map)
    result, copy = accepted(data)
    assert "\u20ac" in result["texts"][0] and pixels(copy) == pixels(data)
    texts = _map_texts(copy)
    assert "\u20ac" in texts and "Vermeulen" not in texts and "Jan" not in texts


def test_a_pruned_map_is_the_same_for_the_same_input():
    from publish.gate.shown import pruned_cmap

    once = pruned_cmap(HIDDEN_MAP, {0x41, 0x80})
    assert once == pruned_cmap(HIDDEN_MAP, {0x80, 0x41}) and once is not None
    assert pruned_cmap(HIDDEN_MAP.replace(b"/CMapType", b"/Adobe-Japan1-UCS2 usecmap /CMapType"), {0x41}) is None


def _type3(pdf, page):
    square = b"1000 0 0 0 750 750 d1 0 0 750 750 re f\n"
    image = pdf.make_stream(b"\x00\xff" * 8, Type=Name.XObject, Subtype=Name.Image, Width=4, Height=4)
    image.ColorSpace, image.BitsPerComponent = Name.DeviceGray, 8
    font = Dictionary(
        Type=Name.Font,
        Subtype=Name.Type3,
        FontBBox=Array([0, 0, 750, 750]),
        FontMatrix=Array([0.001, 0, 0, 0.001, 0, 0]),
        CharProcs=Dictionary(
            {
                "/a": pdf.make_stream(square),
                "/Vermeulen": pdf.make_stream(b"1000 0 0 0 750 750 d1 0 0 750 300 re f\n"),
                "/handtekening": pdf.make_stream(b"1000 0 0 0 750 750 d1 q 750 0 0 750 0 0 cm /Handtekening Do Q\n"),
                "/Jan Vermeulen": pdf.make_stream(b"1000 0 0 0 750 750 d1 0 0 300 750 re f\n"),  # shown: renamed
            }
        ),
        Encoding=Dictionary(
            Type=Name.Encoding,
            Differences=Array([97, Name.a, Name("/Vermeulen"), Name("/handtekening"), Name("/Jan Vermeulen")]),
        ),
        FirstChar=97,
        LastChar=100,
        Widths=Array([1000, 1000, 1000, 1000]),
        Resources=Dictionary(XObject=Dictionary(Handtekening=image)),
    )
    page.Resources.Font.T3 = pdf.make_indirect(font)


def test_type3_glyphs_no_page_shows_go_with_what_only_they_draw():
    data = page_with(CLEAN + b"BT /T3 12 Tf 72 700 Td (aad) Tj ET\n", _type3)
    # premise: the unused glyphs and the image only one of them draws are in the source
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages[0].Resources.Font.T3.CharProcs.keys()) == 4
    _, copy = _same_page(data)
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        font = pdf.pages[0].Resources.Font.T3
        # a shown glyph whose name says nothing to a viewer is named after its code; /a (a letter's name) stays
        assert sorted(font.CharProcs.keys()) == ["/a", "/n100"]
        assert list(font.Encoding.Differences) == [97, Name.a, 100, Name("/n100")]
        assert font.CharProcs.n100.read_bytes().endswith(b"0 0 300 750 re f\n")
        assert Name.XObject not in font.Resources or not len(font.Resources.XObject)
        assert not [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get(Name.Subtype) == Name.Image]


# -- colorant names ----------------------------------------------------------------------------------------------
def _tint(pdf, outputs: int):
    return Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array([0] * outputs), C1=Array([1] * outputs), N=1)


def test_colorant_names_become_neutral_and_the_page_looks_the_same():
    def setup(pdf, page):
        spot = Array([Name.Separation, Name("/Jan#20Vermeulen"), Name.DeviceCMYK, _tint(pdf, 4)])
        black = Array([Name.Separation, Name.Black, Name.DeviceCMYK, _tint(pdf, 4)])
        blue = Array([Name.Separation, Name("/Vermeulen-Blauw"), Name.DeviceCMYK, _tint(pdf, 4)])
        calculator = pdf.make_stream(b"{ 0 0 }")  # (c1 c2 -> c1 c2 0 0)
        calculator.FunctionType, calculator.Domain, calculator.Range = 4, Array([0, 1, 0, 1]), Array([0, 1] * 4)
        inks = Array([Name("/Vermeulen-Blauw"), Name.Cyan])
        devicen = Array(
            [Name.DeviceN, inks, Name.DeviceCMYK, calculator, Dictionary(Colorants=Dictionary({"/Vermeulen-Blauw": blue}))]
        )
        page.Resources.ColorSpace = Dictionary(CS0=spot, CS1=black, CS2=devicen)

    content = (
        CLEAN + b"/CS0 cs 0.7 scn 72 600 100 20 re f /CS1 cs 1 scn 72 570 100 20 re f /CS2 cs 0.3 0.6 scn 72 540 100 20 re f\n"
    )
    _, copy = _same_page(page_with(content, setup))
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        spaces = pdf.pages[0].Resources.ColorSpace
        assert spaces.CS0[1] == Name("/Kleur1") and spaces.CS1[1] == Name.Black
        assert list(spaces.CS2[1]) == [Name("/Kleur2"), Name.Cyan]
        assert list(spaces.CS2[4].Colorants.keys()) == ["/Kleur2"] and spaces.CS2[4].Colorants.Kleur2[1] == Name("/Kleur2")


def test_the_copy_of_a_document_with_every_leftover_is_the_same_each_time():
    from publish.gate.copy import published_copy

    data = page_with(MARKED + b"BT /T3 12 Tf 72 700 Td (a) Tj ET\n", lambda pdf, page: (_tagged(pdf, page), _type3(pdf, page)))
    assert published_copy(data) == published_copy(data)
    assert b"Vermeulen" not in decoded_streams(published_copy(data))
