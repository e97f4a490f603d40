"""Leaks through content streams of the published copy (attack report of the gate, items a03-a13, a22, h06).

Text PDFium neither draws nor extracts, while pdftotext and other readers do (text squeezed to nothing
through a state a form inherits, a graphics-state font, a flat transformation matrix, a tiny horizontal
scaling), text PDFium's page text leaves out (a kept link's appearance, a tiling pattern cell, a soft
mask), and data no viewer reads but the copy would carry (operands of unknown operators, BX/EX
sections, operands left at the end, inline-image data beyond the image). Each is refused, or written
away from the copy; each has a clean counterpart that is published. PDFs crafted with pikepdf.
"""

from __future__ import annotations

import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from publish.gate import copy as gate_copy
from publish.pdfs import _inspect_bytes

from support.pdfcraft import accepted, decoded_streams, one_page_pdf, verdict

SECRET = b"Geheimwoord"
VISIBLE = b"BT /F1 12 Tf 72 750 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"
SHOWN = b"BT /F1 14 Tf 72 600 Td (" + SECRET + b") Tj ET\n"
SQUEEZED = "pdf.onzichtbaar_gemaakte_tekst"


def make(contents: bytes, setup=None) -> bytes:
    return one_page_pdf(contents, setup)


def form(pdf, content: bytes, resources=None, bbox=(0, 0, 612, 792), **extra):
    stream = pdf.make_stream(content)
    stream.Type = Name.XObject
    stream.Subtype = Name.Form
    stream.BBox = Array(list(bbox))
    if resources is not None:
        stream.Resources = resources
    for key, value in extra.items():
        stream[Name("/" + key)] = value
    return stream


def pattern(pdf, content: bytes, font):
    cell = pdf.make_stream(content)
    cell.Type = Name.Pattern
    cell.PatternType = 1
    cell.PaintType = 1
    cell.TilingType = 1
    cell.BBox = Array([0, 0, 200, 20])
    cell.XStep = 200
    cell.YStep = 20
    cell.Resources = Dictionary(Font=Dictionary(F1=font))
    return cell


def link(pdf, appearance):
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array([72, 600, 272, 620]),
            A=Dictionary(S=Name.URI, URI=pikepdf.String("https://example.org")),
            AP=Dictionary(N=appearance),
            Border=Array([0, 0, 0]),
        )
    )


def refused_as_squeezed(data: bytes) -> dict:
    result, _ = verdict(data)
    found = [f for f in result["findings"] if f["code"] == SQUEEZED]
    assert found, result["findings"]
    assert found[0]["severity"] == "fout" and found[0]["location"] == "pagina 1"
    assert "niet te zien" in found[0]["message"] and "lever het opnieuw aan" in found[0]["fix"]
    return found[0]


# -- 1. text squeezed to nothing ------------------------------------------------------------------
def _form_setup(content: bytes, resources=None):
    def setup(pdf, page, res, font):
        res.XObject = Dictionary(Fm1=form(pdf, content, Dictionary() if resources is None else resources(font)))

    return setup


def test_font_size_0_inherited_by_a_form_is_refused():
    refused_as_squeezed(make(VISIBLE + b"BT /F1 0 Tf ET /Fm1 Do\n", _form_setup(b"BT 72 600 Td (" + SECRET + b") Tj ET\n")))


def test_scaling_inherited_by_a_form_in_a_form_is_refused():
    def setup(pdf, page, res, font):
        inner = form(pdf, b"BT /F1 14 Tf 72 600 Td (" + SECRET + b") Tj ET\n", Dictionary(Font=Dictionary(F1=font)))
        res.XObject = Dictionary(Fm1=form(pdf, b"/Fm2 Do\n", Dictionary(XObject=Dictionary(Fm2=inner))))

    refused_as_squeezed(make(VISIBLE + b"BT 5 Tz ET /Fm1 Do\n", setup))


def test_a_form_without_its_own_font_drawn_in_a_normal_state_is_published():
    accepted(make(VISIBLE + b"BT /F1 12 Tf ET /Fm1 Do\n", _form_setup(b"BT 72 600 Td (Zichtbaar in een vorm) Tj ET\n")))


def test_a_form_without_text_drawn_while_squeezed_is_published():
    accepted(make(VISIBLE + b"BT /F1 0 Tf ET /Fm1 Do\n", _form_setup(b"0 0 1 rg 72 600 100 20 re f\n")))


def test_a_flat_form_matrix_around_text_is_refused():
    def setup(pdf, page, res, font):
        res.XObject = Dictionary(Fm1=form(pdf, SHOWN, Dictionary(Font=Dictionary(F1=font)), Matrix=Array([1, 0, 0, 0, 0, 0])))

    refused_as_squeezed(make(VISIBLE + b"/Fm1 Do\n", setup))


@pytest.mark.parametrize("size", [b"0", b"(x)"])
def test_font_size_0_through_a_graphics_state_is_refused(size):
    def setup(pdf, page, res, font):
        res.ExtGState = Dictionary(GS1=Dictionary(Type=Name.ExtGState, Font=Array([font, pikepdf.Object.parse(size)])))

    data = make(VISIBLE + b"/GS1 gs BT 72 600 Td (" + SECRET + b") Tj ET\n", setup)
    if size == b"(x)":  # a string where a size belongs: the copy's tables refuse the file before any judging
        result, published = _inspect_bytes(data)
        assert result["ok"] is False and published is None and "bevat tekst" in result["error"]
    else:
        refused_as_squeezed(data)


def test_a_graphics_state_font_of_normal_size_is_published():
    def setup(pdf, page, res, font):
        res.ExtGState = Dictionary(GS1=Dictionary(Type=Name.ExtGState, Font=Array([font, 14])))

    accepted(make(VISIBLE + b"/GS1 gs BT 72 600 Td (Gewone tekst) Tj ET\n", setup))


@pytest.mark.parametrize(
    "matrix",
    [b"0 0 0 0 72 600 cm", b"1 0 0 0.0001 0 0 cm", b"0.1 0 0 1 0 0 cm 0.05 0 0 1 0 0 cm", b"1 2 2 4 0 0 cm"],
)
def test_a_flat_or_nearly_flat_transformation_is_refused(matrix):
    refused_as_squeezed(make(VISIBLE + b"q " + matrix + b" " + SHOWN + b"Q\n"))


def test_a_nearly_flat_text_matrix_is_refused():
    refused_as_squeezed(make(VISIBLE + b"BT /F1 14 Tf 1 0 0 0.001 72 600 Tm (" + SECRET + b") Tj ET\n"))


@pytest.mark.parametrize("matrix", [b"0.5 0 0 0.5 0 0 cm", b"0 1 -1 0 792 0 cm", b"1 0 0.3 1 0 0 cm", b"2 0 0 0.5 0 0 cm"])
def test_scaled_rotated_or_skewed_text_is_published(matrix):
    accepted(make(b"q " + matrix + b" " + VISIBLE + b"Q\n"))


def test_a_thin_image_before_the_text_is_published():
    """A thin rule drawn as an image is squashed (500 x 0.5 pt), but restored before the text."""
    image = b"q 500 0 0 0.5 50 700 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q\n"
    accepted(make(image + VISIBLE))


@pytest.mark.parametrize("scale", [b"1", b"19", b"-5"])
def test_horizontal_scaling_under_20_percent_is_refused(scale):
    refused_as_squeezed(make(VISIBLE + b"BT /F1 14 Tf " + scale + b" Tz 72 600 Td (" + SECRET + b") Tj ET\n"))


@pytest.mark.parametrize("scale", [b"50", b"80", b"120"])
def test_condensed_or_widened_text_is_published(scale):
    accepted(make(VISIBLE + b"BT /F1 14 Tf " + scale + b" Tz 72 600 Td (Smalle tekst) Tj ET\n"))


def test_odd_operands_for_the_new_checks_do_not_crash():
    accepted(make(VISIBLE + b"q (a) (b) (c) (d) 0 0 cm /X gs Q BT /F1 12 Tf ET\n"))


# -- 2. text in a kept link's appearance -------------------------------------------------------------
@pytest.mark.parametrize("content", [b"BT 3 Tr /F1 10 Tf 2 2 Td (", b"1 g BT /F1 10 Tf 2 2 Td (", b"BT /F1 10 Tf 2 2 Td ("])
def test_text_in_a_link_appearance_is_refused(content):
    def setup(pdf, page, res, font):
        ap = form(pdf, content + SECRET + b") Tj ET\n", Dictionary(Font=Dictionary(F1=font)), bbox=(0, 0, 200, 20))
        page.Annots = Array([link(pdf, ap)])

    refused_as_squeezed(make(VISIBLE, setup))


def test_text_in_a_form_inside_a_link_appearance_is_refused():
    def setup(pdf, page, res, font):
        inner = form(pdf, b"BT /F1 10 Tf 2 2 Td [(" + SECRET + b")] TJ ET\n", Dictionary(Font=Dictionary(F1=font)))
        ap = form(pdf, b"/In Do\n", Dictionary(XObject=Dictionary(In=inner)), bbox=(0, 0, 200, 20))
        page.Annots = Array([link(pdf, ap)])

    refused_as_squeezed(make(VISIBLE, setup))


def test_a_link_appearance_covering_text_is_refused_not_dropped():
    """A black link appearance over the text: dropping the appearance would show what it covers."""

    def setup(pdf, page, res, font):
        page.Annots = Array([link(pdf, form(pdf, b"0 g 0 0 200 20 re f\n", Dictionary(), bbox=(0, 0, 200, 20)))])

    result, _ = verdict(make(VISIBLE + b"BT /F1 14 Tf 74 604 Td (" + SECRET + b") Tj ET\n", setup))
    assert [f for f in result["findings"] if f["severity"] == "fout"], result["findings"]


def test_a_link_appearance_without_text_is_published_and_kept():
    def setup(pdf, page, res, font):
        page.Annots = Array([link(pdf, form(pdf, b"0 0 1 RG 0.5 0.5 199 19 re S\n", Dictionary(), bbox=(0, 0, 200, 20)))])

    _, published = accepted(make(VISIBLE, setup))
    with pikepdf.open(io.BytesIO(published)) as pdf:
        assert pdf.pages[0].obj.Annots[0].Subtype == Name.Link


# -- 3. text in a tiling pattern cell or a soft mask ------------------------------------------------
@pytest.mark.parametrize("content", [b"1 g BT /F1 10 Tf 0 2 Td (", b"BT 3 Tr /F1 10 Tf 0 2 Td (", b"BT /F1 10 Tf 0 2 Td ("])
def test_text_in_a_tiling_pattern_cell_is_refused(content):
    def setup(pdf, page, res, font):
        res.Pattern = Dictionary(P1=pattern(pdf, content + SECRET + b") Tj ET\n", font))

    refused_as_squeezed(make(VISIBLE + b"/Pattern cs /P1 scn 72 600 200 20 re f\n", setup))


def test_a_tiling_pattern_of_shapes_is_published():
    def setup(pdf, page, res, font):
        res.Pattern = Dictionary(P1=pattern(pdf, b"0 0 1 rg 0 0 10 10 re f\n", font))

    accepted(make(VISIBLE + b"/Pattern cs /P1 scn 72 600 200 20 re f\n", setup))


def _mask_setup(content: bytes):
    def setup(pdf, page, res, font):
        group = form(
            pdf, content, Dictionary(Font=Dictionary(F1=font)), Group=Dictionary(S=Name.Transparency, CS=Name.DeviceGray)
        )
        mask = Dictionary(Type=Name.Mask, S=Name.Luminosity, G=group)
        res.ExtGState = Dictionary(M=Dictionary(Type=Name.ExtGState, SMask=mask))

    return setup


def test_text_in_a_soft_mask_is_refused():
    content = b"1 g 0 0 612 792 re f 0 g BT /F1 10 Tf 72 100 Td (" + SECRET + b") Tj ET\n"
    refused_as_squeezed(make(VISIBLE + b"q /M gs 0 0 1 rg 300 300 50 50 re f Q\n", _mask_setup(content)))


def test_a_soft_mask_without_text_is_published():
    accepted(make(VISIBLE + b"q /M gs 0 0 1 rg 300 300 50 50 re f Q\n", _mask_setup(b"1 g 0 0 612 792 re f\n")))


# -- 4. data no viewer reads: written away from the copy --------------------------------------------
@pytest.mark.parametrize(
    "content",
    [
        b"(" + SECRET + b") foo\n",  # operand of an unknown operator
        b"BX (" + SECRET + b") Tj2 EX\n",  # in a BX/EX section
        b"(" + SECRET + b")",  # left at the end of the stream
        b"<47656865696d776f6f7264> bar 0 g\n",  # a hex string for an unknown operator
        b"/" + SECRET + b" baz\n",  # a name
    ],
)
def test_operands_no_viewer_reads_are_not_in_the_copy(content):
    _, published = accepted(make(VISIBLE + content))
    streams = decoded_streams(published)
    assert SECRET not in streams and b"47656865696d776f6f7264" not in streams.lower()
    assert b"gewone zichtbare regel" in streams


def test_such_operands_in_a_form_are_not_in_the_copy():
    _, published = accepted(make(VISIBLE + b"/Fm1 Do\n", _form_setup(b"0 g (" + SECRET + b") qux 0 0 5 5 re f\n")))
    assert SECRET not in decoded_streams(published)


def test_a_stream_with_only_known_operators_is_copied_as_it_is():
    content = VISIBLE + b"q 0 0 1 rg 72 600 100 20 re f Q\n"
    with pikepdf.open(io.BytesIO(make(content))) as pdf:
        used, flat, rewritten = gate_copy._read(pikepdf.Page(pdf.pages[0].obj), content, sanitise=True)
    assert rewritten is None and not flat and used["/Font"] == {"/F1"}


@pytest.mark.parametrize(
    "data, odd",
    [
        (VISIBLE, False),
        (b"q 1 0 0 1 0 0 cm BT /F1 9 Tf [(a) -20 (b)] TJ ET Q", False),
        (b"/P <</MCID 0>> BDC BT (x) Tj ET EMC", False),
        (b"q 1 0 0 1 0 0 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI Q", True),  # inline images: parsed whole
        (b"BT (x) Tj ET (y) foo", True),
        (b"BT (x) Tj ET (y)", True),
        (b"BX EX", True),
        (b"BT (a (nested) string) Tj ET", True),  # errs on the side of yes: parsed whole, nothing lost
        (b"", False),
    ],
)
def test_the_byte_look_errs_on_the_side_of_parsing(data, odd):
    assert gate_copy._odd(data) is odd


# -- 5. inline images holding more than they draw ---------------------------------------------------
def test_a_comment_read_as_inline_image_data_is_refused():
    image = b"BI /W 4 /H 1 /BPC 8 /CS /G ID \xff\xff\xff\xff\n% " + SECRET + b" EI Q\nEI\n"
    refused_as_squeezed(make(VISIBLE + b"q 10 0 0 10 0 0 cm " + image + b"Q\n"))


@pytest.mark.parametrize(
    "image",
    [
        b"BI /W 2 /H 1 /BPC 8 /CS /RGB ID \x00\x00\x00\xff\xff\xff" + SECRET + b" EI",  # unfiltered, too long
        b"BI /W 2 /H 1 /BPC 8 /CS /RGB /F /AHx ID 000000FFFFFF> " + SECRET + b" EI",  # after the end marker
        b"BI /W 1 /H 1 /BPC 8 /CS /G /F /AHx ID 00" + SECRET.hex().encode() + b"> EI",  # decodes too long
    ],
)
def test_an_inline_image_with_more_data_than_it_draws_is_refused(image):
    refused_as_squeezed(make(VISIBLE + b"q 20 0 0 10 72 500 cm " + image + b" Q\n"))


@pytest.mark.parametrize(
    "image",
    [
        b"BI /W 2 /H 1 /BPC 8 /CS /RGB ID \x00\x00\x00\xff\xff\xff\n EI",
        b"BI /W 2 /H 1 /BPC 8 /CS /RGB /F /AHx ID 000000FFFFFF> EI",
        b"BI /IM true /W 3 /H 2 ID \x1f\x1f EI",
        b"BI /W 9 /H 1 /BPC 1 /CS /G ID \xaa\x80 EI",
    ],
)
def test_an_inline_image_of_its_own_size_is_published(image):
    accepted(make(VISIBLE + b"q 20 0 0 10 72 500 cm " + image + b" Q\n"))
