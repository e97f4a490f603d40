"""Leaks found by attacking the gate (visibility.py) with scans and covers, each refused, each beside a
clean counterpart.

1. A scan redacted in the image with its old OCR layer left (attack r55/r56): the invisible OCR word lies
   over a black box in the scan (a lighter ground code burnt in) or over a word typed over with XXXX,
   ****, ---- or ____. Refused; OCR words over the printed words themselves stay accepted.
2. Text under a half-transparent black cover (90 or 93 % opacity, or dark grey with /BM /Darken: attack
   r26-r28): faintly drawn, readable when the image is enhanced. Refused; the same cover beside the text,
   and light or dark text on dark banners and grey table rows, stay accepted.

The PDFs are crafted with pikepdf; the "scans" are images of real words drawn with Pillow, with an OCR
layer (render mode 3) laid word by word over the image, each word squeezed to the printed width as OCR
programs do.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfbase.pdfmetrics import stringWidth

from support.pdfcraft import errors_by_code, helvetica, inspected

VISIBLE = b"BT /F1 11 Tf 72 750 Td (Een gewone zichtbare regel.) Tj ET\n"
SECRET = "Pietersen"
MASKED = "P******** (9 tekens)"
K = 4  # image pixels per point: a 288 dpi scan
FONTS = Path("/usr/share/fonts/truetype")


def _font(size: float, name: str | None = None):
    if name is None:
        return ImageFont.load_default(size=round(size * K))
    path = FONTS / name
    if not path.exists():
        pytest.skip(f"{path} is not installed")
    return ImageFont.truetype(str(path), round(size * K))


def _pdf(content: bytes, images: dict[str, Image.Image] | None = None, gs: dict | None = None) -> bytes:
    pdf = pikepdf.new()
    font = helvetica(pdf)
    resources = Dictionary(Font=Dictionary(F1=font))
    if images:
        resources.XObject = Dictionary(
            {
                f"/{name}": pdf.make_stream(
                    im.tobytes(),
                    Type=Name.XObject,
                    Subtype=Name.Image,
                    Width=im.width,
                    Height=im.height,
                    ColorSpace=Name.DeviceGray,
                    BitsPerComponent=8,
                )
                for name, im in images.items()
            }
        )
    if gs:
        resources.ExtGState = Dictionary(G1=Dictionary(Type=Name.ExtGState, **gs))
    pdf.pages.append(pikepdf.Page(Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 612, 792]), Resources=resources)))
    pdf.pages[0].obj.Contents = pdf.make_stream(VISIBLE + content)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _literal(text: str) -> bytes:
    return text.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def scan(
    lines: list[list[str]], size: float = 12, font: str | None = None, edit=None, ocr: dict[str, str] | None = None
) -> bytes:
    """A page of scanned lines (one grey image per printed line, lines wrapped to the width) with an OCR
    layer: each word as invisible text (3 Tr) over its printed image, squeezed with Tz to the printed
    width. ``edit(draw, where, font)`` redacts the image after printing (``where``: word -> (left, right,
    baseline) in pixels); ``ocr`` maps a printed word to the OCR word laid over it (the word the scan
    showed before it was redacted)."""
    face = _font(size, font)
    height, width = size * 2.0, 470.0
    wrapped: list[list[str]] = []
    for words in lines:
        wrapped.append([])
        for word in words:
            if wrapped[-1] and face.getlength(" ".join([*wrapped[-1], word])) > (width - 10) * K:
                wrapped.append([])
            wrapped[-1].append(word)
    content, images, y = b"", {}, 700.0
    for n, words in enumerate(wrapped):
        y -= height
        image = Image.new("L", (round(width * K), round(height * K)), 255)
        draw = ImageDraw.Draw(image)
        base, x = round(1.4 * size * K), 4 * K
        where = {}
        content += b"q %g 0 0 %g 72 %g cm /S%d Do Q\nBT 3 Tr\n" % (width, height, y, n)
        for word in words:
            draw.text((x, base), word, fill=0, font=face, anchor="ls")
            right = draw.textbbox((x, base), word, font=face, anchor="ls")[2]
            where[word] = (x, right, base)
            said = (ocr or {}).get(word, word)
            tz = 100 * (right - x) / K / stringWidth(said, "Helvetica", size)
            base_pt = y + height - base / K
            content += b"/F1 %g Tf %.2f Tz 1 0 0 1 %.2f %.2f Tm (%s) Tj\n" % (size, tz, 72 + x / K, base_pt, _literal(said))
            x = right + face.getlength(" ")
        content += b"ET\n"
        if edit is not None and "REDACT" in where:
            edit(draw, where, face)
        images[f"S{n}"] = image
    return _pdf(content, images)


LINE = ["Het", "gesprek", "met", "REDACT", "over", "de", "aanvraag"]
OCR = {"REDACT": SECRET}  # the scan showed the name before it was redacted; the OCR layer still has it


def overtype(signs: str):
    """Wipe the word in the scan and type ``signs`` in its place (a redaction done in the image)."""

    def edit(draw, where, face):
        left, right, base = where["REDACT"]
        draw.rectangle((left - 2, base - 14 * K, right + 2, base + 4 * K), fill=255)
        draw.text((left, base), signs, fill=0, font=face, anchor="ls")

    return edit


def black_box(label: str, label_size: float = 12):
    """A black box over the word in the scan with a ground code burnt in (white, as redaction tools print it)."""

    def edit(draw, where, face):
        left, right, base = where["REDACT"]
        draw.rectangle((left - 2, base - 12 * K, right + 2, base + 4 * K), fill=0)
        if label:
            draw.text((left + 2 * K, base), label, fill=255, font=_font(label_size), anchor="ls")

    return edit


# -- 1. OCR text over a scan redacted in the image ------------------------------------------------------


@pytest.mark.parametrize("label", ["5.1.2.e", "10.2.e", ""])
def test_ocr_word_over_a_black_box_in_the_scan_is_refused(label):
    """r55 as a DPO sees it: the scan shows a black box (with a ground code in it), the OCR layer the name."""
    found = errors_by_code(inspected(scan([LINE], edit=black_box(label), ocr=OCR)))
    assert set(found) == {"pdf.onzichtbare_tekst_op_zwart"}, found
    finding = found["pdf.onzichtbare_tekst_op_zwart"]
    assert finding["location"].startswith("pagina 1, positie")
    assert "zwart gemaakt deel van de pagina of scan" in finding["message"] and MASKED in finding["message"]
    assert SECRET not in finding["message"]
    assert "tekstherkenning (OCR) opnieuw na het lakken" in finding["fix"]


@pytest.mark.parametrize("signs", ["XXXXXXXXX", "*********", "---------", "_________", "xxxxxxxxxx"])
def test_ocr_word_over_overtyping_in_the_scan_is_refused(signs):
    """r56: the name typed over with XXXXXXXXX (or stars, dashes, a ruled line) in the image, the OCR layer kept."""
    found = errors_by_code(inspected(scan([LINE], edit=overtype(signs), ocr=OCR)))
    assert set(found) == {"pdf.onzichtbare_tekst_op_overgetypte_scan"}, found
    finding = found["pdf.onzichtbare_tekst_op_overgetypte_scan"]
    assert "overgetypt" in finding["message"] and MASKED in finding["message"] and SECRET not in finding["message"]
    assert "tekstherkenning (OCR) opnieuw na het lakken" in finding["fix"]


def test_ocr_word_over_blocks_typed_in_the_scan_is_refused():
    """█████ typed over the word is a dark area in the scan: a blacked-out part."""
    font = "dejavu/DejaVuSans.ttf"
    found = errors_by_code(inspected(scan([LINE], font=font, edit=overtype("█████"), ocr=OCR)))
    assert set(found) == {"pdf.onzichtbare_tekst_op_zwart"}, found


def _r55(text: str, font: str | None) -> bytes:
    """The attack as made: a 300 x 40 image of ``text`` drawn at 150 x 20 points, the OCR word at 14 points."""
    image = Image.new("L", (300, 40), 255)
    ImageDraw.Draw(image).text((4, 4), text, fill=0, font=_font(7, font))
    content = b"q 150 0 0 20 72 596 cm /Im1 Do Q 3 Tr BT /F1 14 Tf 72 600 Td (Pietersen) Tj ET\n"
    return _pdf(content, {"Im1": image})


R55 = [
    (label, font)
    for label in ["5.1.2.e  5.1.2.e", "5.1.2e 10.2.e", "XXXXXXXXX"]
    for font in ["dejavu/DejaVuSans.ttf", "liberation/LiberationSerif-Regular.ttf"]
] + [("XXXXXXXXX", None)]  # (Pillow's own font sets its full stops against the digits: see test_r55_gap_...)


@pytest.mark.parametrize(("label", "font"), R55)
def test_r55_r56_as_attacked_are_refused(label, font):
    """r55: the scan shows the ground code in print on white paper where the name was; r56: XXXXXXXXX."""
    found = errors_by_code(inspected(_r55(label, font)))
    assert set(found) == {"pdf.onzichtbare_tekst_op_overgetypte_scan"}, found
    assert "vervangen door een code" in found["pdf.onzichtbare_tekst_op_overgetypte_scan"]["message"]


@pytest.mark.parametrize("font", [None, "dejavu/DejaVuSans.ttf", "liberation/LiberationSerif-Regular.ttf"])
def test_r55_counterpart_with_the_name_in_the_scan_is_accepted(font):
    assert errors_by_code(inspected(_r55("Pietersen", font))) == {}


def test_r55_gap_ground_code_set_tightly_on_white_paper_is_not_caught():
    """Known gap (SECURITY.md): at the gate's resolution the full stops of a tightly set ground code touch
    the digits, so nothing tells the code from a word. This test documents the gap; when it fails, the
    gap is closed: move the case to test_r55_r56_as_attacked_are_refused."""
    assert errors_by_code(inspected(_r55("5.1.2.e  5.1.2.e", None))) == {}


def test_ground_code_read_by_ocr_on_a_black_box_in_the_scan_is_accepted():
    """An OCR layer made after redacting reads the ground code on the box: that is the label, no leak."""
    found = errors_by_code(inspected(scan([LINE], edit=black_box("5.1.2.e", 11), ocr={"REDACT": "5.1.2.e"})))
    assert found == {}, found


CLEAN = [
    ["Het", "Woo-besluit", "over", "aaneengesloten", "perioden", "in", "2024", "valt", "onder", "5.1.2.e"],
    ["De", "minister", "heeft", "door", "middel", "van", "deze", "brief", "minimum", "1000000", "euro"],
    ["toegezegd", "Documenten", "inventarislijst", "immuun", "nummer", "Bijlage", "weigeringsgrond"],
    ["Mississippi", "deel", "doen", "doet", "illegaal", "willekeurig", "gemeenteraadsverkiezingen"],
    ["Het", "besluit", "is", "genomen.", "De", "aanvraag,", "o.a.", "de", "bijlagen", "(zie", "art.", "5.2),", "is", "openbaar."],
]
CLEAN_FONTS = [
    None,
    "dejavu/DejaVuSans.ttf",
    "dejavu/DejaVuSerif.ttf",
    "dejavu/DejaVuSans-Bold.ttf",
    "liberation/LiberationSerif-Regular.ttf",
    "liberation/LiberationSerif-Bold.ttf",
    "liberation/LiberationMono-Regular.ttf",
    "liberation/LiberationSansNarrow-Regular.ttf",
]


@pytest.mark.parametrize("size", [8, 10, 12, 16])
@pytest.mark.parametrize("font", CLEAN_FONTS)
def test_ocr_layer_over_printed_words_is_accepted(font, size):
    """The OCR layer over the words the scan shows: real words of every length, with repeated letters,
    stroke after stroke (minimum, immuun), round letters in a row (door), numbers and ground codes."""
    assert errors_by_code(inspected(scan(CLEAN, size=size, font=font))) == {}


def test_redacted_word_is_refused_and_the_rest_of_the_scan_accepted():
    lines = [*CLEAN[:2], LINE]
    found = errors_by_code(inspected(scan(lines, edit=overtype("XXXXXXXXX"), ocr=OCR)))
    assert list(found) == ["pdf.onzichtbare_tekst_op_overgetypte_scan"]
    assert found["pdf.onzichtbare_tekst_op_overgetypte_scan"]["message"].count("tekens)") == 1


def test_long_ocr_word_over_overtyping_is_refused():
    """A hostile OCR word of 75 letters over a whole row of XXXX, and one over nothing but paper."""
    word = "PietersenJansenBakkerVisserSmitMeijerDeBoerMulderDeGrootBosVosPetersHendriks"
    image = Image.new("L", (round(560 * K), round(20 * K)), 255)
    ImageDraw.Draw(image).text((4, 10 * K), "X" * 90, fill=0, font=_font(10), anchor="ls")
    tz = 100 * 556 / stringWidth(word, "Helvetica", 10)
    content = b"q 560 0 0 20 20 590 cm /Im1 Do Q 3 Tr BT /F1 10 Tf %.3f Tz 21 597.5 Td (%s) Tj ET\n" % (tz, word.encode())
    content += b"BT 3 Tr /F1 10 Tf 72 300 Td (%s) Tj ET\n" % word.encode()
    found = errors_by_code(inspected(_pdf(content, {"Im1": image})))
    assert {"pdf.onzichtbare_tekst_op_overgetypte_scan", "pdf.onzichtbare_tekst"} <= set(found), found
    assert f"({len(word)} tekens)" in found["pdf.onzichtbare_tekst_op_overgetypte_scan"]["message"]


def test_huge_ocr_word_over_overtyping_is_refused():
    """One OCR word 100 points high over XXXXXX half a page wide: the look stays within its pixel budget."""
    image = Image.new("L", (1500, 500), 255)
    drawing = ImageDraw.Draw(image)
    drawing.text((10, 400), "XXXXXX", fill=0, font=ImageFont.load_default(size=220), anchor="ls")
    left, _top, right, _bottom = drawing.textbbox((10, 400), "XXXXXX", font=ImageFont.load_default(size=220), anchor="ls")
    points = 560 / 1500
    tz = 100 * (right - left) * points / stringWidth("Hendriksen", "Helvetica", 100)
    baseline = 300 + (500 - 400) * points
    content = b"q 560 0 0 %.3f 20 300 cm /Im1 Do Q 3 Tr BT /F1 100 Tf %.3f Tz %.3f %.3f Td (Hendriksen) Tj ET\n" % (
        500 * points,
        tz,
        20 + left * points,
        baseline,
    )
    found = errors_by_code(inspected(_pdf(content, {"Im1": image})))
    assert set(found) == {"pdf.onzichtbare_tekst_op_overgetypte_scan"}, found


# -- 2. text under a half-transparent dark cover ---------------------------------------------------------

LONG = b"BT /F1 11 Tf 72 600 Td (Het gesprek vond plaats met de heer Pietersen over de aanvraag van de vergunning.) Tj ET\n"


def _cover(gs: dict | None, colour: bytes = b"0 g", beside: bool = False) -> bytes:
    x0 = 72 + stringWidth("Het gesprek vond plaats met de heer ", "Helvetica", 11)
    width = stringWidth(SECRET, "Helvetica", 11)
    y = 620 if beside else 596
    rect = b"%.2f %d %.2f 14 re f\n" % (x0 - 1, y, width + 2)
    return _pdf(LONG + b"q " + (b"/G1 gs " if gs else b"") + colour + b" " + rect + b"Q\n", gs=gs)


COVERS = {
    "93%": ({"ca": 0.93}, b"0 g"),
    "90%": ({"ca": 0.9}, b"0 g"),
    "80%": ({"ca": 0.8}, b"0 g"),
    "darken": ({"BM": Name.Darken}, b"0.12 g"),
}


@pytest.mark.parametrize("cover", COVERS)
def test_text_under_a_half_transparent_black_cover_is_refused(cover):
    """r26-r28: the name is faintly there under the cover (18 to 25 grey levels): readable when enhanced."""
    found = errors_by_code(inspected(_cover(*COVERS[cover])))
    assert set(found) == {"pdf.tekst_onder_vlak"}, found
    assert MASKED in found["pdf.tekst_onder_vlak"]["message"] and SECRET not in found["pdf.tekst_onder_vlak"]["message"]


@pytest.mark.parametrize("cover", COVERS)
def test_half_transparent_cover_beside_the_text_is_accepted(cover):
    assert errors_by_code(inspected(_cover(*COVERS[cover], beside=True))) == {}


ROW = b"BT /F1 11 Tf 72 598 Td (Kenmerk Datum Onderwerp Behandelaar) Tj ET\n"
BANNERS = {
    "white on a dark blue header": b"0.12 0.22 0.39 rg 60 590 400 24 re f 1 g " + ROW,
    "small white text on black": b"0 g 60 590 400 24 re f 1 g BT /F1 6 Tf 72 598 Td (Kenmerk Datum Onderwerp) Tj ET\n",
    "yellow on dark red": b"0.5 0 0 rg 60 590 400 24 re f 1 1 0 rg " + ROW,
    "black on a 20% grey table row": b"0.8 g 60 590 400 24 re f 0 g " + ROW,
    "black on mid grey": b"0.5 g 60 590 400 24 re f 0 g " + ROW,
    "grey text on white": b"0.5 g " + ROW,
    "light grey text on white": b"0.75 g " + ROW,
    # drawn on top of a dark area, nothing over it: how the page was made (x-ray set: a sticker on a photo)
    "black on a dark navy photo": b"0.1 0.1 0.16 rg 60 590 400 24 re f 0 g " + ROW,
    "half-transparent box under the text": b"q /G1 gs 0 g 60 590 400 24 re f Q 0.2 g " + ROW,
    "white ground code on a black box": b"0 g 100 400 60 14 re f 1 g BT /F1 9 Tf 104 403 Td (5.1.2e) Tj ET\n",
}


@pytest.mark.parametrize("page", BANNERS)
def test_text_on_dark_banners_and_grey_rows_is_accepted(page):
    assert errors_by_code(inspected(_pdf(BANNERS[page], gs={"ca": 0.9}))) == {}
