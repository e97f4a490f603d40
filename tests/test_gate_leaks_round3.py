"""Round-3 leaks in the redaction gate (issue 10), each refused, each with a clean counterpart accepted.

The attacks (branch attack-3, ``attacks3/README.md``) made the published copy draw or carry something
other than what the reviewer saw and the gate judged. PDFs crafted with pikepdf (and reportlab).
"""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from support.pdfcraft import accepted, helvetica, refused
from support.pdfcraft import page_with as make

SECRET = "Pietersen"
VISIBLE = b"BT /F1 12 Tf 72 750 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"
SECRET_TJ = b"BT /F1 14 Tf 72 600 Td (Pietersen) Tj ET\n"
BOX = b"0 g 70 595 160 22 re f\n"


def form(pdf, content: bytes, resources=None, **extra):
    stream = pdf.make_stream(content)
    stream.Type, stream.Subtype, stream.BBox = Name.XObject, Name.Form, Array([0, 0, 612, 792])
    if resources is not None:
        stream.Resources = resources
    for key, value in extra.items():
        stream[Name("/" + key)] = value
    return stream


# -- row 5: the copy must be the revision the checks and the reviewer read --------------------------------
def _base(contents: bytes):
    pdf = pikepdf.new()
    font = helvetica(pdf)
    pdf.pages.append(
        pikepdf.Page(Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 612, 792]), Resources=Dictionary(Font=Dictionary(F1=font))))
    )
    pdf.pages[0].obj.Contents = pdf.make_stream(contents)
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False, static_id=True)
    data = out.getvalue()
    with pikepdf.open(io.BytesIO(data)) as again:
        return data, again.pages[0].obj.Contents.objgen[0], again.Root.objgen[0], len(again.objects)


def _append(data: bytes, objects: dict, root: int, size: int, keyword: bytes = b"startxref") -> bytes:
    """An incremental update redefining ``objects`` ({number: body}), closed by ``keyword``."""
    previous = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n" + b"".join(b"%d 1\n%010d 00000 n \n" % (n, offsets[n]) for n in sorted(offsets))
    out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\n" % (max(size, max(objects) + 1), root, previous)
    out += keyword + b"\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


_PAD = b"%" + b"pad" * 500 + b"\n"  # keeps the earlier 'startxref' out of qpdf's search of the last kilobyte


def _revised(new: bytes, keyword: bytes) -> bytes:
    data, contents, root, size = _base(VISIBLE + BOX)
    return _append(data, {contents: _stream(new + _PAD)}, root, size + 1, keyword=keyword)


def test_row5_damaged_startxref_with_an_unredacted_revision_is_refused():
    # d02: pypdf and PDFium read revision 1 (a black box); qpdf rebuilds the table and took revision 2 (the name)
    result = refused(_revised(VISIBLE + b"0 g " + SECRET_TJ, b"tartxref"), "pdf.dubbelzinnig")
    assert "beschadigd" in result["error"] and "verwijzingstabel (xref)" in result["error"]


def test_row5_damaged_startxref_with_an_actualtext_lie_is_refused():
    # d01: the /ActualText lie is only in the revision the checks do not read
    xs = b"BT /F1 14 Tf 72 600 Td (XXXXXXXXX) Tj ET\n"
    refused(_revised(VISIBLE + b"/Span <</ActualText (Pietersen)>> BDC " + xs + b"EMC\n", b"tartxref"), "pdf.dubbelzinnig")


def test_row5_shifted_offsets_needing_repair_are_refused():
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=0)
    pdf.drawString(72, 750, "Dit is een gewone zichtbare regel tekst op de pagina.")
    pdf.save()
    data = buffer.getvalue()
    accepted(data)
    at = data.index(b"\n", 10) + 1  # every object moves; the cross-reference table no longer points at them
    refused(data[:at] + b"%extra regel\n" + data[at:], "pdf.dubbelzinnig")


def test_row5_an_intact_incremental_update_is_read_as_one_document():
    # the same update with an intact startxref: every parser reads revision 2; accepted (earlier versions are dropped)
    result, published = accepted(
        _revised(VISIBLE + b"0 g 70 595 160 22 re f 0 g BT /F1 12 Tf 72 500 Td (Tweede versie) Tj ET\n", b"startxref")
    )
    assert "Tweede versie" in result["texts"][0]
    assert any(f["code"] == "pdf.eerdere_versies" for f in result["findings"])


# -- row 6: a token PDFium reads as a number is not an operator to drop ---------------------------------
@pytest.mark.parametrize(
    "content",
    [
        b"0 g " + SECRET_TJ + b"0 g 70 595 160- 22 re f\n",  # w02: the cover's width; the copy would draw no box
        b"1- g " + SECRET_TJ,  # w05: white text for the reviewer; the copy would make it black
        b"3- Tr " + SECRET_TJ,  # w06: invisible text; the copy would make it visible
        b"0 g " + SECRET_TJ + b"0 g 70 595 160.0.0 22 re f\n",  # w01
        b"0 g " + SECRET_TJ + b"1 g 0.0.0 g 70 595 160 22 re f\n",  # w04
    ],
)
def test_row6_malformed_numbers_are_refused_not_repaired(content):
    result = refused(make(VISIBLE + content), "pdf.onleesbaar")
    assert "niet goed geschreven" in result["error"] and "pagina 1" in result["error"]


def test_row6_malformed_number_in_a_form_is_refused():
    def setup(pdf, page):
        page.Resources.XObject = Dictionary(Fm1=form(pdf, b"0 g 70 595 160- 22 re f\n"))

    refused(make(VISIBLE + b"0 g " + SECRET_TJ + b"/Fm1 Do\n", setup), "pdf.onleesbaar")


def test_row6_well_written_numbers_and_a_comment_are_accepted():
    # a comment makes the copy rewrite the stream; signed and decimal numbers are read alike by every parser
    _, published = accepted(make(VISIBLE + b"% opmerking\n0 g -.5 +0.5 m 10. 10 l S 0 g 70 595 +160.0 22 re f\n"))
    with pikepdf.open(io.BytesIO(published)) as pdf:
        assert b"160" in pdf.pages[0].obj.Contents.read_bytes()


# -- row 7 / 7b: an annotation the copy drops is the cover ----------------------------------------------
COVER_RECT = [70, 595, 230, 617]  # over the name at (72, 600)
BESIDE_RECT = [300, 595, 460, 617]  # beside it, over nothing


def _annotated(subtype: str, rect=COVER_RECT, appearance: bool = True, form_field: bool = False, **extra) -> bytes:
    def setup(pdf, page):
        annot = Dictionary(Type=Name.Annot, Subtype=Name("/" + subtype), Rect=Array(rect), F=4, **extra)
        if appearance:
            box = form(pdf, b"0 g 0 0 160 22 re f\n")
            box.BBox = Array([0, 0, 160, 22])
            annot.AP = Dictionary(N=pdf.make_indirect(box))
        annot = pdf.make_indirect(annot)
        page.Annots = Array([annot])
        if form_field:
            pdf.Root.AcroForm = Dictionary(Fields=Array([annot]), NeedAppearances=True, DA=String("/Helv 0 Tf 0 g"))

    return make(VISIBLE + SECRET_TJ, setup)


@pytest.mark.parametrize(
    "extra",
    [
        {},  # x01: a link with no action and no destination
        {"A": Dictionary(S=Name.GoToR, F=String("x.pdf"), D=Array([0, Name.Fit]))},  # x02: to another file
        {"A": Dictionary(S=Name.Named, N=Name.NextPage)},  # x03: a named action
        {"A": Dictionary(S=Name.URI, URI=String("javascript:alert(1)"))},  # a script address
    ],
)
def test_row7_a_dropped_link_drawing_a_cover_is_refused(extra):
    refused(_annotated("Link", **extra), "pdf.tekst_onder_vlak")


def test_row7_a_kept_web_link_over_text_without_a_box_is_accepted():
    result, published = accepted(
        _annotated("Link", appearance=False, A=Dictionary(S=Name.URI, URI=String("https://example.org/")))
    )
    assert SECRET in result["texts"][0]
    with pikepdf.open(io.BytesIO(published)) as pdf:
        assert len(pdf.pages[0].obj.Annots) == 1


def test_row7_a_dropped_link_beside_text_is_accepted():
    result, _ = accepted(_annotated("Link", rect=BESIDE_RECT, A=Dictionary(S=Name.Named, N=Name.NextPage)))
    assert SECRET in result["texts"][0]


_FIELD = {"FT": Name.Tx, "T": String("veld"), "DA": String("/Helv 12 Tf 0 g")}


def test_row7b_an_empty_form_field_with_a_black_background_over_text_is_refused():
    # x08: PDFium without a form environment draws nothing; Acrobat, poppler and MuPDF draw a black field
    result = refused(
        _annotated("Widget", appearance=False, form_field=True, MK=Dictionary(BG=Array([0]), BC=Array([0])), **_FIELD),
        "pdf.tekst_onder_vlak",
    )
    finding = next(f for f in result["findings"] if f["code"] == "pdf.tekst_onder_vlak")
    assert finding["location"] == "pagina 1" and "formulierveld" in finding["message"]


def test_row7b_a_form_field_drawing_a_box_over_text_is_refused():
    refused(_annotated("Widget", form_field=True, **_FIELD), "pdf.tekst_onder_vlak")


def test_row7b_a_form_field_beside_text_is_accepted():
    result, _ = accepted(
        _annotated("Widget", rect=BESIDE_RECT, form_field=True, MK=Dictionary(BG=Array([0]), BC=Array([0])), **_FIELD)
    )
    assert SECRET in result["texts"][0]
    assert any(f["code"] == "pdf.formulier" for f in result["findings"])


# -- row 4: /ActualText spelled so that a byte search misses it ------------------------------------------
_XS = b" BDC BT /F1 14 Tf 72 600 Td (XXXXXXXXX) Tj ET EMC\n"


@pytest.mark.parametrize(
    "marker",
    [
        b"/Span <</Actual#54ext (Pietersen)>>",  # a01: a name escape
        b"/Span <</ActualText\x00(Pietersen)>>",  # a02: NUL is white space
        b"/Span <</ActualText %x\n(Pietersen)>>",  # a03: a comment between key and value
        b"/Span <</ActualText\x0c<50696574657273656e>>>",  # form feed and a hex string
        b"/Span <</#41lt (Pietersen 0612345678)>>",  # /Alt escaped, with a phone number
        b"/Span <</Alt\x00%x\n(Pietersen 0612345678)>>",  # NUL and a comment
    ],
)
def test_row4_replacement_text_the_prefilter_missed_is_refused(marker):
    refused(make(VISIBLE + marker + _XS), "pdf.verborgen_tekst", "pdf.persoonsgegeven.telefoon")


def test_row4_escaped_actualtext_inside_a_form_is_refused():
    # a04
    def setup(pdf, page):
        page.Resources.XObject = Dictionary(Fm=form(pdf, b"/Span <</Actual#54ext (Pietersen)>>" + _XS, page.Resources))

    refused(make(VISIBLE + b"/Fm Do\n", setup), "pdf.verborgen_tekst")


def test_row4_an_escaped_replacement_text_equal_to_the_shown_text_is_accepted():
    accepted(make(VISIBLE + b"/Span <</Actual#54ext (XXXXXXXXX)>> BDC BT /F1 14 Tf 72 600 Td (XXXXXXXXX) Tj ET EMC\n"))


# -- row 3: a transfer function remaps the colours the gate paints ---------------------------------------
def _zapf(pdf):
    return pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.ZapfDingbats))


def _transfer(pdf):
    samples = bytes(range(256))
    function = pdf.make_stream(samples[:3] + b"\x02" + samples[4:])  # the identity, but 3/255 -> 2/255
    function.FunctionType, function.Domain, function.Range = 0, Array([0, 1]), Array([0, 1])
    function.Size, function.BitsPerSample = Array([256]), 8
    return Dictionary(Type=Name.ExtGState, TR=function)


_SQUARES = b"q /TRF gs 0 g BT /Z 34 Tf -8 Tc 64 589 Td (nnnnn) Tj ET Q\n"


def test_row3_a_transfer_function_is_refused():
    # t05: black squares (text) over the name; /TR maps the squares' owner colour onto the name's
    result = refused(
        make(VISIBLE + b"0 g " + SECRET_TJ + _SQUARES, Font={"Z": _zapf}, ExtGState={"TRF": _transfer}), "pdf.onleesbaar"
    )
    assert "overdrachtsfunctie" in result["error"]


def test_row3_an_identity_transfer_function_is_accepted():
    state = Dictionary(Type=Name.ExtGState, TR=Name.Identity, TR2=Name.Default)
    accepted(make(VISIBLE + b"q /TRF gs 0 g 70 500 100 20 re f Q\n", ExtGState={"TRF": state}))


# -- row 8: a knockout group erases, for Acrobat and MuPDF, what PDFium shows ----------------------------
def _grouped(knockout: bool) -> bytes:
    def setup(pdf, page):
        group = Dictionary(Type=Name.Group, S=Name.Transparency, K=knockout)
        resources = Dictionary(Font=page.Resources.Font, ExtGState=Dictionary(A0=Dictionary(Type=Name.ExtGState, ca=0, CA=0)))
        inner = b"0 g " + SECRET_TJ + b"/A0 gs 1 g 60 590 200 30 re f\n"
        page.Resources.XObject = Dictionary(K0=pdf.make_indirect(form(pdf, inner, resources, Group=group)))

    return make(VISIBLE + b"/K0 Do\n", setup)


def test_row8_a_knockout_group_is_refused():
    result = refused(_grouped(True), "pdf.onleesbaar")
    assert "knock-out" in result["error"]


def test_row8_a_plain_transparency_group_is_accepted():
    result, _ = accepted(_grouped(False))
    assert SECRET in result["texts"][0]


# -- rows 12-16: viewers that draw differently from PDFium ----------------------------------------------
def _coloured(space, colour: bytes, under: bytes = b"", state=None) -> bytes:
    content = VISIBLE + under + (b"/OPS gs " if state is not None else b"") + b"/CS0 cs " + colour + b" scn " + SECRET_TJ
    extra = {"ExtGState": {"OPS": state}} if state is not None else {}
    return make(content, ColorSpace={"CS0": space}, **extra)


def test_row12_devicen_with_only_none_colorants_is_refused():
    tint = Dictionary(FunctionType=2, Domain=Array([0, 1, 0, 1]), C0=Array([1]), C1=Array([0]), N=1)
    space = Array([Name.DeviceN, Array([Name("/None"), Name("/None")]), Name.DeviceGray, tint])
    result = refused(_coloured(space, b"1 1"), "pdf.onleesbaar")
    assert "/None" in result["error"]


def test_row12_devicen_with_real_colorants_is_accepted():
    tint = Dictionary(FunctionType=2, Domain=Array([0, 1, 0, 1]), C0=Array([1]), C1=Array([0]), N=1)
    space = Array([Name.DeviceN, Array([Name("/Zwart"), Name("/None")]), Name.DeviceGray, tint])
    result, _ = accepted(_coloured(space, b"1 1"))
    assert SECRET in result["texts"][0]


def _colour_space(published: bytes):
    with pikepdf.open(io.BytesIO(published)) as pdf:
        return pdf.pages[0].obj.Resources.ColorSpace.CS0.unparse()


def test_row13_calgray_gamma_is_dropped_so_every_viewer_draws_what_pdfium_judged():
    # c11: poppler draws 0.99 with gamma 1000 as black (on a black box); PDFium ignores the gamma (light grey)
    space = Array([Name.CalGray, Dictionary(WhitePoint=Array([0.9505, 1, 1.089]), Gamma=1000)])
    result, published = accepted(_coloured(space, b"0.99", under=BOX))
    assert SECRET in result["texts"][0]
    assert b"/Gamma" not in _colour_space(published) and b"/WhitePoint" in _colour_space(published)


def test_row13_calrgb_gamma_is_kept_pdfium_applies_it():
    # with an sRGB-like matrix: without one PDFium reads the values as XYZ and moves colours far (refused, round 4)
    matrix = Array([0.4124, 0.2126, 0.0193, 0.3576, 0.7152, 0.1192, 0.1805, 0.0722, 0.9505])
    space = Array([Name.CalRGB, Dictionary(WhitePoint=Array([0.9505, 1, 1.089]), Gamma=Array([2.2, 2.2, 2.2]), Matrix=matrix)])
    _, published = accepted(_coloured(space, b"0 0 0"))
    assert b"/Gamma" in _colour_space(published)


def test_row14_overprint_is_dropped_from_the_copy():
    # o01: white CMYK text with overprint vanishes on a black box in overprint preview, print and MuPDF;
    # PDFium (the gate) ignores overprint, so the copy without it is what every viewer draws and what was judged
    state = Dictionary(Type=Name.ExtGState, OP=True, op=True, OPM=1, LW=2)
    content = VISIBLE + b"0 g 70 500 160 22 re f /OPS gs 0 0 0 1 k " + SECRET_TJ
    result, published = accepted(make(content, ExtGState={"OPS": state}))
    assert SECRET in result["texts"][0]
    with pikepdf.open(io.BytesIO(published)) as pdf:
        kept = pdf.pages[0].obj.Resources.ExtGState.OPS
        assert set(kept.keys()) == {"/Type", "/LW"}


def _boxed(**boxes) -> bytes:
    def setup(pdf, page):
        for key, value in boxes.items():
            page[Name("/" + key)] = Array(value) if isinstance(value, list) else value

    return make(VISIBLE + SECRET_TJ, setup)


@pytest.mark.parametrize(
    "boxes", [{"UserUnit": 0.01}, {"UserUnit": 2}, {"CropBox": [100, 100, 100, 100]}, {"CropBox": [0, 0, 612, 0]}]
)
def test_rows15_16_user_unit_and_empty_crop_box_are_refused(boxes):
    result = refused(_boxed(**boxes), "pdf.onleesbaar")
    assert "pagina 1" in result["error"]


@pytest.mark.parametrize("boxes", [{"UserUnit": 1}, {"CropBox": [0, 0, 612, 792]}, {"CropBox": [10, 10, 600, 780]}])
def test_rows15_16_ordinary_page_boxes_are_accepted(boxes):
    accepted(_boxed(**boxes))


# -- row 10: tag structure deeper than the checks walk -------------------------------------------------
def _deep_structure(levels: int, as_array: bool = False, **leaf) -> bytes:
    def setup(pdf, page):
        root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        parent = root
        for i in range(levels):
            elem = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Div, P=parent))
            parent.K = Array([elem]) if (as_array or not i) else elem
            parent = elem
        for key, value in leaf.items():
            parent[Name("/" + key)] = value
        parent.Pg, parent.K = page, 0
        pdf.Root.StructTreeRoot = root
        pdf.Root.MarkInfo = Dictionary(Marked=True)

    return make(VISIBLE, setup)


@pytest.mark.parametrize("levels, key", [(120, "Alt"), (230, "Foo")])
def test_row10_structure_deeper_than_the_checks_is_refused(levels, key):
    # s01 / s02: a phone number 120 levels deep was never checked; a custom key 230 deep never removed
    result = refused(_deep_structure(levels, **{key: String("Pietersen 0612345678")}), "pdf.onleesbaar")
    assert "tagstructuur" in result["error"]


@pytest.mark.parametrize("as_array", [False, True])
def test_row10_a_phone_number_at_the_deepest_kept_level_is_found(as_array):
    refused(_deep_structure(99, as_array, Alt=String("Pietersen 0612345678")), "pdf.persoonsgegeven.telefoon")


def test_row10_a_deep_but_allowed_structure_is_accepted():
    accepted(_deep_structure(99, True, Alt=String("Een tekening van een huis")))


# -- row 11: text inside Type 3 glyph procedures ---------------------------------------------------------
def _type3(procedure: bytes, resources) -> bytes:
    def setup(pdf, page):
        font = Dictionary(
            Type=Name.Font,
            Subtype=Name.Type3,
            FontBBox=Array([0, -200, 1000, 1000]),
            FontMatrix=Array([0.001, 0, 0, 0.001, 0, 0]),
            CharProcs=Dictionary(period=pdf.make_stream(procedure)),
            Encoding=Dictionary(Type=Name.Encoding, Differences=Array([46, Name("/period")])),
            FirstChar=46,
            LastChar=46,
            Widths=Array([1000]),
        )
        font.Resources = resources(pdf, page)
        page.Resources.Font.T3 = pdf.make_indirect(font)

    return make(VISIBLE + b"BT /T3 14 Tf 72 600 Td (.) Tj ET\n", setup)


def test_row11_text_shown_in_a_type3_glyph_is_refused():
    # g01: a '.' whose procedure shows a name and a phone number in white
    procedure = b"500 0 d0 1 g BT /F1 1 Tf 0 0 Td (Pietersen 0612345678) Tj ET"
    result = refused(_type3(procedure, lambda pdf, page: Dictionary(Font=page.Resources.Font)), "pdf.onleesbaar")
    assert "Type 3" in result["error"]


def test_row11_text_in_a_form_a_type3_glyph_draws_is_refused():
    # g02: the glyph draws a form (flattened by cm) that shows the text
    def resources(pdf, page):
        shown = form(pdf, b"0 g BT /F1 14 Tf 0 0 Td (Pietersen 0612345678) Tj ET", Dictionary(Font=page.Resources.Font))
        return Dictionary(XObject=Dictionary(Fm=pdf.make_indirect(shown)))

    refused(_type3(b"500 0 d0 q 0 0 0 0 0 0 cm /Fm Do Q", resources), "pdf.onleesbaar")


def test_row11_a_type3_glyph_that_draws_a_shape_is_accepted():
    def resources(pdf, page):
        shape = form(pdf, b"0 g 0 0 500 500 re f")
        return Dictionary(XObject=Dictionary(Fm=pdf.make_indirect(shape)))

    accepted(_type3(b"1000 0 d0 q /Fm Do Q 0 0 400 400 re f", resources))


# -- personal data the detector missed (u02, u03) ------------------------------------------------------
def test_u02_a_phone_number_glued_to_its_label_is_found():
    result = refused(make(VISIBLE + b"BT /F1 12 Tf 72 600 Td (Bel telefoonnummer0612345678 voor vragen) Tj ET\n"))
    assert {f["code"] for f in result["findings"]} == {"pdf.persoonsgegeven.telefoon"}


@pytest.mark.parametrize("text", [b"Kenmerk DOC0612345678", b"zaaknummer0612345678", b"Bel telefoon0800123456"])
def test_u02_codes_and_service_numbers_glued_to_words_are_not_phone_numbers(text):
    accepted(make(VISIBLE + b"BT /F1 12 Tf 72 600 Td (" + text + b") Tj ET\n"))


def test_u03_combining_marks_between_digits_do_not_hide_a_number():
    from publish.gate.personal_data import find_personal_data

    dotted = "".join(digit + "\u0307" for digit in "0612345678")  # as PDFium extracts digits with a dot above
    assert [item.kind for item in find_personal_data(f"Bel {dotted} voor vragen", 1)] == ["telefoon"]
    assert [item.kind for item in find_personal_data("BSN 1\u03002\u03013\u03024\u03035\u03046\u03057\u03068\u03072", 1)] == [
        "bsn"
    ]
    assert find_personal_data("e\u0301e\u0300n cafe\u0301 in 2023", 1) == []  # accents on letters stay letters


# -- hostile values on the new paths: refused with a message, never a crash -----------------------------
@pytest.mark.parametrize(
    "boxes", [{"UserUnit": String("1")}, {"UserUnit": True}, {"CropBox": [0, 0, 612]}, {"CropBox": String("x")}]
)
def test_malformed_user_unit_and_crop_box_are_refused(boxes):
    refused(_boxed(**boxes), "pdf.onleesbaar")


def test_a_form_field_without_a_readable_place_counts_as_everywhere():
    def setup(pdf, page):
        field = pdf.make_indirect(
            Dictionary(Type=Name.Annot, Subtype=Name.Widget, Rect=String("x"), MK=Dictionary(BG=Array([1])), **_FIELD)
        )
        page.Annots = Array([field])

    refused(make(VISIBLE + SECRET_TJ, setup), "pdf.tekst_onder_vlak")


def test_a_link_with_a_broken_action_is_judged_as_drawn():
    result, _ = accepted(_annotated("Link", rect=BESIDE_RECT, A=Array([1, 2])))
    assert any(f["code"] == "pdf.opmerking" for f in result["findings"])
