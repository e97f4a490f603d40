"""Operands an operator does not take (ISO 32000-1, annex A) are not carried in the published copy.

No viewer draws or extracts a string before ``g`` or a hex string before ``re``, but anyone reading the
published file's streams would find it. A byte-level look (``copy._PLAIN``) decides whether a stream is
copied as it is; otherwise it is parsed whole and written again with only the operands each operator
takes (``copy._operands``). Clean streams (reportlab, LibreOffice-like tagged content) are copied byte for
byte. PDFs crafted with pikepdf and reportlab.
"""

from __future__ import annotations

import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from publish.gate import copy as gate_copy
from publish.pdfs import _inspect_bytes

from support.pdfcraft import accepted, decoded_streams, helvetica

SECRET = b"Geheimwoord"
HEX_SECRET = SECRET.hex().encode()
VISIBLE = b"BT /F1 12 Tf 72 750 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"


def make(contents: bytes, form_content: bytes | None = None) -> bytes:
    pdf = pikepdf.new()
    font = helvetica(pdf)
    resources = Dictionary(Font=Dictionary(F1=font), ExtGState=Dictionary(GS1=Dictionary(Type=Name.ExtGState, CA=1)))
    pdf.pages.append(pikepdf.Page(Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 612, 792]), Resources=resources)))
    page = pdf.pages[0].obj
    page.Contents = pdf.make_stream(contents)
    if form_content is not None:
        form = pdf.make_stream(form_content)
        form.Type, form.Subtype, form.BBox = Name.XObject, Name.Form, Array([0, 0, 612, 792])
        resources.XObject = Dictionary(Fm1=form)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def page_content(published: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(published)) as pdf:
        contents = pdf.pages[0].obj.Contents
        parts = contents if isinstance(contents, Array) else [contents]
        return b"\n".join(part.read_bytes() for part in parts)


S = b"(" + SECRET + b")"
CARRIERS = [
    S + b" 0 g\n",  # a string before a colour
    S + b" 0 Tz\n",  # before the scaling
    b"(BSN 123456782) 0 0 m 10 10 l S\n",  # before a path
    b"/" + SECRET + b" 0 g\n",  # a name more
    b"123456782 0 0 m 5 5 l S\n",  # a number more
    b"<" + HEX_SECRET + b"> 0 0 5 5 re f\n",  # a hex string before a rectangle
    b"[" + S + b" 3] 0 d\n",  # a string in a dash array
    b"BT /F1 12 Tf " + S + b" 72 600 Td ET\n",  # before a text position
    b"BT " + S + b" /F1 12 Tf ET\n",  # before a font
    b"/GS1 " + S + b" gs\n",  # between a name and its operator
    b"BT /F1 12 Tf 72 600 Td [(a) [" + S + b"] (b)] TJ ET\n",  # an array in a TJ array
    b"BT /F1 12 Tf 72 600 Td " + S + b" (zichtbaar) Tj ET\n",  # two strings for one Tj
    b"BT /F1 12 Tf 72 600 Td " + S + b' 0 0 (zichtbaar) " ET\n',  # three numbers and strings for "
    b"/P <</MCID 0>> " + S + b" BDC EMC\n",  # a string more for BDC
    b"/Artifact " + S + b" BMC EMC\n",  # a string instead of a name
    b"0 0 " + S + b" 5 5 re f\n",  # a string in the middle of the operands
    b"1 0 0 rg " + S + b" 0 0 1 sc\n",  # before colour components
    b"/Pattern cs " + S + b" /P1 scn\n",  # before a pattern name
]
# Hostile strings: the byte look must not be fooled into copying the stream as it is.
HOSTILE = [
    b"(a\\) (" + SECRET + b") Tj) 0 g\n",  # an escaped parenthesis, a Tj inside the string
    b"(a (" + SECRET + b") Tj b) 0 g\n",  # nested balanced parentheses holding "(..) Tj"
    b"(" + SECRET + b" ((x)) Tj) 0 g\n",  # deeper nesting
    b"(x) Tj (" + SECRET + b"\\\\) 0 g\n",  # an escaped backslash before the closing parenthesis
    b"(" + SECRET + b" 50%) 0 g\n",  # a percent sign inside the string
    b"(" + SECRET + b" " + b"A" * 200_000 + b") 0 g\n",  # a very long string
    b"(" + SECRET + b"\x00\xff\x80\r\n\\\n) 0 g\n",  # binary bytes, a line continuation
    b"<" + HEX_SECRET + b"> Tjx 0 g\n",  # an operator that only starts like Tj
    b"(" + SECRET + b")Tj'0 g\n",  # Tj' is one (unknown) word
    b"[(" + SECRET + b")] 0 g ] TJ\n",  # an array ended early
    b"<<<" + HEX_SECRET + b">>> 0 g\n",  # a hex string behind <<
    b"(" + SECRET + b")\n0 g\n",  # line breaks as white space
]


# PDFium (the reviewer's viewer) draws nothing for these: a path whose ``m`` has operands it does not take, a
# TJ array holding an array. The copy, keeping the operands the operator takes, would draw a line or text the
# reviewer never saw: refused since round 9 (``core._same_pages``), the others copied without the stray operands.
READ_OTHERWISE = [CARRIERS[2], CARRIERS[4], CARRIERS[10]]


@pytest.mark.parametrize("carrier", READ_OTHERWISE)
def test_operands_pdfium_does_not_draw_refuse_what_the_copy_would_draw(carrier):
    found = [f for f in _inspect_bytes(make(VISIBLE + carrier))[0]["findings"] if f["code"] == "pdf.dubbelzinnig"]
    assert found and found[0]["severity"] == "fout" and found[0]["location"] == "pagina 1", found


@pytest.mark.parametrize("carrier", [c for c in CARRIERS + HOSTILE if c not in READ_OTHERWISE])
def test_operands_an_operator_does_not_take_are_not_in_the_copy(carrier):
    _, published = accepted(make(VISIBLE + carrier))
    streams = decoded_streams(published)
    assert SECRET not in streams and HEX_SECRET not in streams.lower() and b"123456782" not in streams
    assert b"gewone zichtbare regel" in streams


@pytest.mark.parametrize("carrier", CARRIERS[:4] + HOSTILE[:2])
def test_such_operands_in_a_form_are_not_in_the_copy(carrier):
    _, published = accepted(make(VISIBLE + b"/Fm1 Do\n", b"0 g " + carrier + b"0 0 5 5 re f\n"))
    assert SECRET not in decoded_streams(published)


def test_what_viewers_read_is_kept():
    """Only the stray operands go: the operator keeps the last operands it takes (what viewers read)."""
    _, published = accepted(make(VISIBLE + S + b" 0.5 g /" + SECRET + b" 1 0 0 RG 0 0 m 10 10 l S\n"))
    content = page_content(published)
    assert b"0.5 g" in content and b"1 0 0 RG" in content and b"0 0 m" in content and SECRET not in content


CLEAN = [
    VISIBLE,
    b"q 0 0 1 rg 72 600 100 20 re f Q 0.5 G 2 w 1 J 0 j 10 M [3 2] 0 d [] 0 d 0 0 m 10 10 l 5 5 5 5 20 20 c S\n",
    b"BT /F1 9 Tf 1 0 0 1 72 700 Tm [(a\\)) -20 <4142> 3.5 (b\\(c)] TJ 12 TL T* (x) ' 1 2 (y) \" ET\n",
    b"/Artifact <</Attached [/Bottom] /Type /Pagination>> BDC BT /F1 12 Tf 72 40 Td ( ) Tj ET EMC\n",
    b"/Span <</ActualText (tekst) /Lang (nl)>> BDC EMC /P <</MCID 0>> BDC EMC /Figure BMC EMC /Note MP /Note /MC0 DP\n",
    b"/GS1 gs /Fm1 Do /DeviceRGB cs 0.1 0.2 0.3 sc /Pattern CS /P1 SCN 0.5 0.5 0.5 0.5 k 0 0 0 1 K\n",
    b"q 1 0 0 1 .5 -.5 cm +1 -2. m h W n Q /RelativeColorimetric ri 0 i\n",
]


@pytest.mark.parametrize("content", CLEAN)
def test_a_clean_stream_is_copied_byte_for_byte(content):
    assert not gate_copy._odd(VISIBLE + content)
    with pikepdf.open(io.BytesIO(make(VISIBLE + content, b"0 g 0 0 5 5 re f\n"))) as pdf:
        used, flat, rewritten = gate_copy._read(pikepdf.Page(pdf.pages[0].obj), VISIBLE + content, sanitise=True)
    assert rewritten is None and not flat


def test_a_reportlab_page_is_copied_byte_for_byte():
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, pageCompression=0)
    c.setFont("Helvetica", 12)
    c.drawString(72, 750, "Dit is een gewone zichtbare regel tekst op de pagina (met haakjes) en \\ tekens.")
    c.setDash(3, 2)
    c.setFillColorRGB(0, 0, 0)
    c.rect(72, 600, 200, 20, fill=1)
    c.setStrokeColorCMYK(0, 0, 0, 1)
    c.line(72, 580, 300, 580)
    text = c.beginText(72, 560)
    text.setCharSpace(0.5)
    text.textLines("Tweede regel\nDerde regel")
    c.drawText(text)
    c.showPage()
    c.save()
    with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
        original = pdf.pages[0].obj.Contents.read_bytes()
    assert not gate_copy._odd(original)
    assert page_content(accepted(out.getvalue())[1]) == original


@pytest.mark.parametrize("carrier", CARRIERS + HOSTILE)
def test_the_byte_look_never_passes_a_stray_operand(carrier):
    assert gate_copy._odd(VISIBLE + carrier)


@pytest.mark.parametrize(
    "data, shown",
    [
        (b"BT /F1 12 Tf (x) Tj [(a) 2 <41>] TJ ET /P <</ActualText (y)>> BDC EMC foo", True),
        (b"BT /F1 12 Tf (x) 0 Tz ET", False),
        (b"(a (b) Tj c) 0 g", False),
        (b"<4a616e> 0 0 5 5 re", False),
    ],
)
def test_without_sanitising_only_strings_are_looked_at(data, shown):
    assert gate_copy._odd(data, strings_only=True) is not shown


def test_many_colour_components_and_wrong_types_are_judged_by_the_parse():
    assert gate_copy._operands("scn", [1, 2, 3, 4, 5, Name("/P1")]) == [1, 2, 3, 4, 5, Name("/P1")]
    assert gate_copy._operands("sc", [pikepdf.String("x"), 1, 2]) == [1, 2]
    assert gate_copy._operands("sc", [pikepdf.String("x")]) is None
    # a number missing or of another type reads as 0, as PDFium reads it
    assert gate_copy._operands("g", [True]) == [0]
    assert gate_copy._operands("Tz", []) == [0]
    assert gate_copy._operands("Tm", [Name("/a"), 1, 2, 3, 4, 5]) == [0, 1, 2, 3, 4, 5]
    assert gate_copy._operands("Td", [5]) == [0, 5]
    assert gate_copy._operands("Tf", [Name("/F1"), pikepdf.String("x")]) == [Name("/F1"), 0]
    assert gate_copy._operands("d", [Array([pikepdf.String("x"), 3]), 0]) == [Array([0, 3]), 0]
    # a name, string or array missing or of another type: the instruction is dropped
    assert gate_copy._operands("Tf", [pikepdf.String("x"), 12]) is None
    assert gate_copy._operands("Tj", [3]) is None
    assert gate_copy._operands("Do", []) is None
    assert gate_copy._operands("Tf", [Name("/F1"), 12]) == [Name("/F1"), 12]
    assert gate_copy._operands("TJ", [Array([pikepdf.String("a"), 2])]) is not None
    assert gate_copy._operands("TJ", [Array([pikepdf.String("a"), Array([]), Name("/x"), 2])]) == [
        Array([pikepdf.String("a"), 2])
    ]
    assert gate_copy._operands("foo", []) is None


@pytest.mark.parametrize(
    "hidden",
    [
        b"BT /F1 12 Tf (x) Tz 72 600 Td (Geheimwoord) Tj ET\n",  # a string for the scaling: PDFium reads 0
        b"BT /F1 12 Tf 72 600 Td /a 0 0 0 0 0 Tm (Geheimwoord) Tj ET\n",  # a name in the text matrix
        b"BT /F1 12 Tf 72 600 Td (x) 0 0 0 0 0 Tm (Geheimwoord) Tj ET\n",
    ],
)
def test_text_squeezed_by_an_operand_of_the_wrong_type_is_refused(hidden):
    """PDFium reads a number of the wrong type as 0 and neither draws nor extracts the text: the copy
    must not draw it either (dropping the operator would show it), so it is judged squeezed and refused."""
    result, _ = _inspect_bytes(make(VISIBLE + hidden))
    found = [f for f in result["findings"] if f["code"] == "pdf.onzichtbaar_gemaakte_tekst"]
    assert found and found[0]["severity"] == "fout" and found[0]["location"] == "pagina 1", result["findings"]


def test_every_operator_of_the_specification_has_its_operands():
    signed = set(gate_copy._SIGNATURES) | gate_copy._COLOUR_SETTERS | {"BI", "ID", "EI"}
    assert signed == gate_copy.KNOWN_OPERATORS
