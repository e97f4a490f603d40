"""Leaks found by attacking the gate (visibility.py), each refused, each beside a clean counterpart.

1. A short word (or a house number) under a black box inside one long line of text: the covered word is
   a small share of the line's ink, which once let the whole line pass as "beyond doubt".
2. Text inside Form XObjects nested more deeply than the gate judges (PDFium stops at about 40 levels,
   other readers do not): refused on the nesting depth itself.
3. Text PDFium extracts but that is too small to read: flattened with ``cm`` or squeezed with ``Tz``.

The PDFs are crafted with pikepdf (covers as path, image and annotation) and reportlab's font metrics.
"""

from __future__ import annotations

import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from reportlab.pdfbase.pdfmetrics import stringWidth

from publish.pdfs import _inspect_bytes

from support.pdfcraft import errors_by_code, helvetica, inspected

WORDS = "dit is een lange regel gewone tekst zonder bijzonderheden "
VISIBLE = b"BT /F1 11 Tf 20 30 Td (Een gewone zichtbare regel.) Tj ET\n"
A4, LANDSCAPE = (595, 842), (1684, 1191)  # A4 portrait, A2 landscape (lines of 300+ characters)


def _pdf(content: bytes, page=A4, setup=None) -> bytes:
    pdf = pikepdf.new()
    font = helvetica(pdf)
    resources = Dictionary(Font=Dictionary(F1=font))
    pdf.pages.append(pikepdf.Page(Dictionary(Type=Name.Page, MediaBox=Array([0, 0, *page]), Resources=resources)))
    obj = pdf.pages[0].obj
    obj.Contents = pdf.make_stream(content)
    if setup is not None:
        setup(pdf, obj, obj.Resources, font)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def long_line(size: float, total: int, secret: str, cover: str, page=LANDSCAPE, beside: bool = False) -> bytes:
    """One text object of ``total`` characters with ``secret`` as a word in the middle, and a black box
    (a path, an image or a square annotation) over that word, or just above the line (``beside``)."""
    pre = (WORDS * 40)[: total // 2].rstrip() + " "
    post = " " + (WORDS * 40)[: total - len(pre) - len(secret) - 1]
    x, y = 20.0, page[1] / 2
    x0, w = x + stringWidth(pre, "Helvetica", size), stringWidth(secret, "Helvetica", size)
    bx, by, bw, bh = x0 - 0.5, y - size * 0.3, w + 1, size * 1.25
    if beside:
        by = y + size * 1.6
    content = VISIBLE + b"BT /F1 %g Tf %g %g Td (%s) Tj ET\n" % (size, x, y, (pre + secret + post).encode())

    def setup(pdf, page_obj, resources, font):
        if cover == "image":
            image = pikepdf.Stream(pdf, b"\x00")
            image.Type, image.Subtype, image.Width, image.Height = Name.XObject, Name.Image, 1, 1
            image.ColorSpace, image.BitsPerComponent = Name.DeviceGray, 8
            resources.XObject = Dictionary(Im1=image)
        elif cover == "annot":
            ap = pdf.make_stream(b"0 g 0 0 %.3f %.3f re f\n" % (bw, bh))
            ap.Type, ap.Subtype, ap.BBox = Name.XObject, Name.Form, Array([0, 0, bw, bh])
            square = Dictionary(
                Type=Name.Annot,
                Subtype=Name.Square,
                Rect=Array([bx, by, bx + bw, by + bh]),
                IC=Array([0, 0, 0]),
                C=Array([0, 0, 0]),
                AP=Dictionary(N=ap),
            )
            page_obj.Annots = Array([pdf.make_indirect(square)])

    if cover == "path":
        content += b"0 g %.3f %.3f %.3f %.3f re f\n" % (bx, by, bw, bh)
    elif cover == "image":
        content += b"q %.3f 0 0 %.3f %.3f %.3f cm /Im1 Do Q\n" % (bw, bh, bx, by)
    return _pdf(content, page, setup)


# -- 1. a covered word inside one long line --------------------------------------------------------------

LINES = [(4, 280, A4[::-1]), (4, 400, LANDSCAPE), (6, 300, LANDSCAPE), (10, 300, LANDSCAPE), (12, 200, LANDSCAPE)]


@pytest.mark.parametrize("cover", ["path", "image", "annot"])
@pytest.mark.parametrize("secret", ["Jansen", "Bas", "12"])
@pytest.mark.parametrize(("size", "total", "page"), LINES, ids=[f"{s}pt-{t}chars" for s, t, _p in LINES])
def test_covered_word_in_long_line_is_refused(size, total, page, secret, cover):
    found = errors_by_code(inspected(long_line(size, total, secret, cover, page)))
    assert "pdf.tekst_onder_vlak" in found, found
    finding = found["pdf.tekst_onder_vlak"]
    assert finding["location"].startswith("pagina 1, positie")
    assert f"({len(secret)} tekens)" in finding["message"]  # the covered word, masked, and nothing more


@pytest.mark.parametrize("cover", ["path", "image", "annot"])
@pytest.mark.parametrize(("size", "total", "page"), LINES, ids=[f"{s}pt-{t}chars" for s, t, _p in LINES])
def test_same_box_beside_long_line_is_accepted(size, total, page, cover):
    result = inspected(long_line(size, total, "Jansen", cover, page, beside=True))
    assert errors_by_code(result) == {}


def test_single_digit_under_box_is_refused_and_ground_code_label_not():
    found = errors_by_code(inspected(long_line(8, 300, "7", "path")))
    assert "pdf.tekst_onder_vlak" in found
    # a ground code printed in white on a redaction box is a label, not hidden text
    label = VISIBLE + b"0 g 100 400 60 14 re f 1 g BT /F1 9 Tf 104 403 Td (5.1.2e) Tj ET\n"
    assert errors_by_code(inspected(_pdf(label))) == {}


# -- 2. forms nested too deeply ----------------------------------------------------------------------


def nested(depth: int, inner: bytes, page_text: bytes = VISIBLE) -> bytes:
    def setup(pdf, page_obj, resources, font):
        form = None
        for level in range(depth):
            stream = pdf.make_stream(inner if level == 0 else b"/X Do\n")
            stream.Type, stream.Subtype, stream.BBox = Name.XObject, Name.Form, Array([0, 0, 612, 792])
            stream.Resources = Dictionary(Font=Dictionary(F1=font)) if level == 0 else Dictionary(XObject=Dictionary(X=form))
            form = stream
        resources.XObject = Dictionary(X=form)

    return _pdf(page_text + b"/X Do\n", setup=setup)


WHITE = b"1 g BT /F1 14 Tf 72 600 Td (Geheimwoord) Tj ET\n"
SHOWN = b"0 g BT /F1 14 Tf 72 600 Td (Zichtbaar in een formulier) Tj ET\n"


@pytest.mark.parametrize("depth", [13, 33, 40, 41])
def test_text_in_too_deeply_nested_forms_is_refused(depth):
    found = errors_by_code(inspected(nested(depth, WHITE)))
    assert set(found) == {"pdf.te_diep_geneste_vormen"}, found
    finding = found["pdf.te_diep_geneste_vormen"]
    assert finding["location"] == "pagina 1"
    assert "meer dan 12 lagen" in finding["message"] and "(tekst:" not in finding["message"]
    assert "lakprogramma dat tekst verwijdert" in finding["fix"]


def test_deep_forms_on_a_page_without_extracted_text_are_refused():
    """At 41 levels PDFium neither draws nor extracts the text (pdftotext does): the page has no text."""
    found = errors_by_code(inspected(nested(41, b"0 g BT /F1 14 Tf 72 600 Td (Geheimwoord) Tj ET\n", page_text=b"")))
    assert set(found) == {"pdf.te_diep_geneste_vormen"}


def test_cyclic_forms_are_refused_not_looped():
    def setup(pdf, page_obj, resources, font):
        form = pdf.make_stream(SHOWN + b"/X Do\n")
        form.Type, form.Subtype, form.BBox = Name.XObject, Name.Form, Array([0, 0, 612, 792])
        form = pdf.make_indirect(form)
        form.Resources = Dictionary(Font=Dictionary(F1=font), XObject=Dictionary(X=form))
        resources.XObject = Dictionary(X=form)

    result, _ = _inspect_bytes(_pdf(VISIBLE + b"/X Do\n", setup=setup))
    assert not result["ok"] or errors_by_code(result), result  # refused one way or another, never accepted


@pytest.mark.parametrize("depth", [1, 5, 12])
def test_visible_text_in_normally_nested_forms_is_accepted(depth):
    result = inspected(nested(depth, SHOWN))
    assert errors_by_code(result) == {}


@pytest.mark.parametrize("depth", [5, 13])
def test_white_text_in_nested_forms_is_refused(depth):
    found = errors_by_code(inspected(nested(depth, WHITE)))
    assert found and ("pdf.witte_tekst" in found or "pdf.te_diep_geneste_vormen" in found)


# -- 3. too small to read ---------------------------------------------------------------------------

SECRET = b"(Geheimwoord) Tj ET\n"


@pytest.mark.parametrize(
    "content",
    [
        b"q 1 0 0 0.0001 0 0 cm BT /F1 14 Tf 72 600 Td " + SECRET + b"Q\n",  # a06: 0.0014 pt high
        b"BT /F1 14 Tf 1 Tz 72 600 Td " + SECRET,  # a22: squeezed into a 0.8 pt blob
        b"BT /F1 14 Tf 8 Tz 72 600 Td " + SECRET,
        b"BT /F1 1.5 Tf 72 600 Td " + SECRET,  # a 1.5 pt font
        b"q 0.1 0 0 0.1 0 0 cm BT /F1 14 Tf 720 6000 Td " + SECRET + b"Q\n",  # 1.4 pt through cm
        b"BT /F1 14 Tf 1 Tz 0.7071 0.7071 -0.7071 0.7071 300 300 Tm " + SECRET,  # squeezed and turned 45 degrees
    ],
    ids=["flat-cm", "tz1", "tz8", "font-1.5pt", "cm-0.1", "tz1-rotated"],
)
def test_text_too_small_to_read_is_refused(content):
    found = errors_by_code(inspected(_pdf(VISIBLE + content)))
    assert "pdf.te_kleine_tekst" in found, found
    assert "te klein is om te lezen" in found["pdf.te_kleine_tekst"]["message"]


@pytest.mark.parametrize(
    "content",
    [
        b"BT /F1 4 Tf 72 100 Td (Voetnoot 12: zie artikel 5.1 lid 2 sub e Woo en www.rijksoverheid.nl) Tj ET\n",
        b"BT /F1 4.5 Tf 0 1 -1 0 580 100 Tm (Kleine lettertjes, verticaal gedrukt in de marge) Tj ET\n",
        b"BT /F1 11 Tf 72 600 Td (Tekst met een voetnootteken) Tj /F1 5 Tf 3 Ts (12) Tj ET\n",
        b"BT /F1 10 Tf 60 Tz 72 600 Td (Smal gezette tekst in een tabel) Tj ET\n",
        b"q 0.3 0 0 0.3 72 500 cm BT /F1 9 Tf 0 0 Td (Label in een verkleinde grafiek) Tj ET Q\n",
    ],
    ids=["footnote-4pt", "vertical-4.5pt", "superscript-5pt", "condensed-60", "chart-2.7pt"],
)
def test_real_small_print_is_accepted(content):
    assert errors_by_code(inspected(_pdf(VISIBLE + content))) == {}


def _type3(font_matrix, glyph: bytes, bbox):
    def setup(pdf, page_obj, resources, font):
        proc = pdf.make_stream(glyph)
        resources.Font.T3 = pdf.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.Type3,
                FontBBox=Array(bbox),
                FontMatrix=Array(font_matrix),
                FirstChar=65,
                LastChar=90,
                Widths=Array([bbox[2] + bbox[2] // 6] * 26),
                Encoding=Dictionary(Type=Name.Encoding, Differences=Array([65] + [Name.g] * 26)),
                CharProcs=Dictionary(g=proc),
                Resources=Dictionary(),
            )
        )

    return setup


def test_type3_font_drawn_through_its_own_matrix_is_not_too_small():
    """``1 Tf`` with a FontMatrix of 1 and glyphs 8 units high (as bitmap-font converters write) is 8-point text."""
    setup = _type3([1, 0, 0, 1, 0, 0], b"7 0 0 0 6 8 d1 0 0 6 8 re f\n", [0, 0, 6, 8])
    assert errors_by_code(inspected(_pdf(VISIBLE + b"BT /T3 1 Tf 72 600 Td (ABCDEF) Tj ET\n", setup=setup))) == {}


def test_type3_font_squeezed_is_too_small():
    setup = _type3([0.001, 0, 0, 0.001, 0, 0], b"700 0 0 0 600 800 d1 0 0 600 800 re f\n", [0, 0, 600, 800])
    found = errors_by_code(inspected(_pdf(VISIBLE + b"BT /T3 14 Tf 1 Tz 72 600 Td (ABCDEF) Tj ET\n", setup=setup)))
    assert "pdf.te_kleine_tekst" in found, found


def test_squeezed_ocr_layer_over_print_is_judged_as_ocr():
    """Invisible text (an OCR layer, render mode 3) squeezed with Tz is judged by what lies under it:
    over printed words (here drawn as vector text would be by the scan) it is the scan's text layer."""
    scan = b"0 g BT /F1 12 Tf 72 600 Td (Gescande tekst) Tj ET\n"
    ocr = b"BT 3 Tr /F1 12 Tf 10 Tz 72 600 Td (Gescande tekst) Tj ET\n"
    found = errors_by_code(inspected(_pdf(VISIBLE + scan + ocr)))
    assert "pdf.te_kleine_tekst" not in found, found


def test_character_without_a_judged_object_is_refused(monkeypatch):
    """A character PDFium extracts but whose text object the gate did not judge is never let through
    (once: forms deeper than the walk went, then characters with no object were skipped)."""
    from publish.gate import visibility

    monkeypatch.setattr(visibility, "_TEXT_OBJECT_AT", lambda textpage, index: 0)  # no object for any character
    found = errors_by_code(inspected(_pdf(VISIBLE + WHITE)))
    assert "pdf.niet_te_beoordelen_tekst" in found, found
    assert "niet vast te stellen" in found["pdf.niet_te_beoordelen_tekst"]["message"]


def test_deep_forms_without_any_text_are_refused():
    """Nesting alone refuses: the gate cannot tell what other readers find in forms it does not walk."""
    found = errors_by_code(inspected(nested(20, b"0 g 10 10 50 50 re f\n", page_text=b"")))
    assert set(found) == {"pdf.te_diep_geneste_vormen"}


@pytest.mark.parametrize("date", ["12-03-1980", "1980-03-12", "12/03/1980"])
def test_a_date_under_a_box_is_refused_not_excused_as_a_stamp(date):
    """A birth date under a black box is what the box was meant to hide: never excused as a date stamp."""
    found = errors_by_code(inspected(long_line(10, 120, date, "path")))
    assert "pdf.tekst_onder_vlak" in found


def test_a_date_beside_a_box_is_accepted():
    assert errors_by_code(inspected(long_line(10, 120, "12-03-1980", "path", beside=True))) == {}


@pytest.mark.parametrize("hidden", ["12.03.85", "1.3.85", "12a", "12.34.56.78.2", "3.7"])
def test_numbers_that_only_look_like_ground_codes_under_a_box_are_refused(hidden):
    """Only real refusal grounds (Woo 5.1.x/5.2, Wob 10.x/11.x) are labels; a dotted date, a house number
    or a dotted BSN under a box is what the box hides."""
    assert "pdf.tekst_onder_vlak" in errors_by_code(inspected(long_line(10, 120, hidden, "path")))


@pytest.mark.parametrize("hidden", [b"12 34 56 78 2", b"12.03.85", b"5.1.2.e"])
def test_white_text_is_never_excused_as_a_ground_code(hidden):
    found = errors_by_code(inspected(_pdf(VISIBLE + b"1 g BT /F1 11 Tf 72 500 Td (" + hidden + b") Tj ET\n")))
    assert "pdf.witte_tekst" in found or "pdf.tekst_in_kleur_van_vlak" in found, found


@pytest.mark.parametrize("label", [b"5.1.2.e", b"5.1.2e", b"10.2.g", b"11.1", b"5.2"])
def test_real_ground_codes_on_a_box_stay_labels(label):
    content = VISIBLE + b"0 g 100 400 90 14 re f 0 g BT /F1 9 Tf 104 403 Td (" + label + b") Tj ET\n"
    assert errors_by_code(inspected(_pdf(content))) == {}
