"""Ordinary PDFs the redaction gate refused (round-4 attack, ``attacks4/README.md`` "False refusals"), each
now accepted, each beside the nearby hostile variant that must still be refused (the gate gets no weaker).

- F3: Chrome "print to PDF" of a page with CSS ``text-shadow`` or ``box-shadow``: the shadow is a JPEG drawn
  inside a soft mask's group, which the copy parsed as a content stream (``pdf.onleesbaar``).
- F4: Chrome print of text with CSS ``opacity``: a transparency group drawn with ``/ca``, whose opacity blended
  the owner codes of its text with the paper.
- F1: a translucent watermark ("CONCEPT", "VERTROUWELIJK") drawn over the body text.
- F2: fake bold, the same line drawn two or three times a fraction of a point apart.

PDFs are made by real tools: headless Chromium (skipped when absent), LibreOffice (skipped when absent),
reportlab, and pikepdf for the hostile variants.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from publish.pdfs import _inspect_bytes

VISIBLE = b"BT /F1 12 Tf 72 750 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"


def verdict(data: bytes) -> tuple[set[str], dict, bytes | None]:
    """The codes that refuse the PDF (empty: accepted), the result and the published copy."""
    result, published = _inspect_bytes(data)
    codes = {f["code"] for f in result.get("findings", []) if f["severity"] == "fout"}
    if not result["ok"]:
        codes.add(result["error_code"])
    return codes, result, published


def accepted(data: bytes, *words: str) -> dict:
    codes, result, published = verdict(data)
    assert not codes, [(f["code"], f["message"]) for f in result.get("findings", [])] or result.get("error")
    assert published is not None
    text = " ".join(" ".join(t.split()) for t in result["texts"])
    for word in words:
        assert word in text, (word, text[:300])
    return result


def refused(data: bytes, *codes: str) -> dict:
    found, result, _ = verdict(data)
    assert found, result
    if codes:
        assert found & set(codes), (found, [f["message"] for f in result.get("findings", [])], result.get("error"))
    return result


def pikepdf_page(contents: bytes, setup=None) -> bytes:
    """A one-page PDF with Helvetica as /F1; ``setup(pdf, page, font)`` adds resources."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
    )
    pdf.pages.append(
        pikepdf.Page(Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 612, 792]), Resources=Dictionary(Font=Dictionary(F1=font))))
    )
    page = pdf.pages[0].obj
    page.Contents = pdf.make_stream(contents)
    if setup:
        setup(pdf, page, font)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def form(pdf, content: bytes, resources=None, group: bool = False):
    stream = pdf.make_stream(content)
    stream.Type, stream.Subtype, stream.BBox = Name.XObject, Name.Form, Array([0, 0, 612, 792])
    if resources is not None:
        stream.Resources = resources
    if group:
        stream.Group = Dictionary(Type=Name.Group, S=Name.Transparency)
    return stream


# -- real tools -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chrome(tmp_path_factory):
    """Chrome's "print to PDF" of an HTML page (headless Chromium, as installed on Debian)."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not binary:
        pytest.skip("chromium ontbreekt (apt-get install chromium)")
    folder = tmp_path_factory.mktemp("chrome")
    made: dict[str, bytes] = {}

    def print_to_pdf(html: str, header_footer: bool = False) -> bytes:
        key = f"{header_footer}:{html}"
        if key not in made:
            source = folder / f"p{len(made)}.html"
            source.write_text(html, encoding="utf-8")
            target = source.with_suffix(".pdf")
            command = [binary, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={folder / 'profile'}"]
            command += [] if header_footer else ["--no-pdf-header-footer"]
            command += [f"--print-to-pdf={target}", source.as_uri()]
            subprocess.run(command, capture_output=True, timeout=180, check=False)
            if not target.exists() or target.stat().st_size == 0:
                pytest.skip("chromium kon geen pdf maken")
            made[key] = target.read_bytes()
        return made[key]

    return print_to_pdf


def page_html(style: str, body: str) -> str:
    return (
        '<!doctype html><html lang="nl"><meta charset="utf-8"><title>Besluit</title>'
        f'<style>body{{font-family:"Liberation Sans",Arial,sans-serif;font-size:11pt;margin:2cm}} {style}</style>'
        f"<body>{body}</body></html>"
    )


LETTER = (
    "<h1>Besluit op uw Woo-verzoek</h1><p>Op 12 maart 2024 heeft u een verzoek ingediend op grond van de Wet open"
    " overheid. In deze brief leest u welke documenten openbaar worden gemaakt en waarom.</p>"
)


# -- F3: CSS shadows (a JPEG inside a soft mask's group) --------------------------------------------------


def test_chrome_print_with_text_shadow_is_accepted(chrome):
    data = chrome(page_html("h1,p{text-shadow:1px 1px 2px #888}", LETTER + LETTER))
    accepted(data, "Besluit op uw Woo-verzoek", "openbaar worden gemaakt")


def test_chrome_print_with_box_shadow_is_accepted(chrome):
    data = chrome(page_html(".card{box-shadow:0 2px 6px rgba(0,0,0,.3);padding:1em}", f'<div class="card">{LETTER}</div>'))
    accepted(data, "openbaar worden gemaakt")


def _masked_group(draws: bytes, xobject) -> bytes:
    """Visible text with a soft mask whose group draws ``xobject`` (``/Im0``), as Chrome draws a shadow."""

    def setup(pdf, page, font):
        group = form(pdf, draws, Dictionary(XObject=Dictionary(Im0=xobject(pdf, font))), group=True)
        group.Group.CS = Name.DeviceGray
        mask = Dictionary(Type=Name.Mask, S=Name.Luminosity, G=group)
        page.Resources.ExtGState = Dictionary(G0=Dictionary(Type=Name.ExtGState, SMask=mask))

    return pikepdf_page(VISIBLE + b"q /G0 gs 0.5 g 70 600 200 30 re f Q\n", setup)


def _jpeg(pdf, font):
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (16, 16), 200).save(out, "JPEG")
    image = pdf.make_stream(out.getvalue())
    image.Type, image.Subtype, image.Width, image.Height = Name.XObject, Name.Image, 16, 16
    image.ColorSpace, image.BitsPerComponent, image.Filter = Name.DeviceGray, 8, Name.DCTDecode
    return image


def test_an_image_in_a_soft_mask_group_is_not_read_as_drawing_operators():
    accepted(_masked_group(b"q 200 0 0 30 70 600 cm /Im0 Do Q", _jpeg), "gewone zichtbare regel")


def test_a_form_with_unreadable_content_in_a_soft_mask_group_is_still_refused():
    def broken(pdf, font):
        stream = form(pdf, b"")
        stream.write(b"\xff\xd8\xff garbage", filter=Name.FlateDecode)  # not Flate: cannot be decoded
        return stream

    refused(_masked_group(b"/Im0 Do", broken), "pdf.onleesbaar")


def test_text_drawn_by_a_form_inside_a_soft_mask_group_is_still_refused():
    def text(pdf, font):
        return form(pdf, b"BT /F1 14 Tf 72 600 Td (Pietersen) Tj ET", Dictionary(Font=Dictionary(F1=font)))

    found, result, published = verdict(_masked_group(b"/Im0 Do", text))
    assert found, result  # text no viewer shows and the gate cannot judge
    assert published is None or b"Pietersen" not in published


# -- F4: CSS opacity (a transparency group drawn with /ca) ------------------------------------------------


def test_chrome_print_of_semi_transparent_text_is_accepted(chrome):
    body = LETTER + '<p class="t">Deze tekst is half doorzichtig (grijs), zoals een toelichting.</p>'
    accepted(chrome(page_html("p.t{opacity:.6}", body)), "half doorzichtig")


def _grouped(opacities: list[float], grey: float = 0.0, mask: bool = False) -> bytes:
    """ "Pietersen woont hier" inside Form XObjects drawn with the given constant opacities (outermost first)."""

    def setup(pdf, page, font):
        inner = form(
            pdf,
            b"%.2f g BT /F1 14 Tf 72 600 Td (Pietersen woont hier) Tj ET" % grey,
            Dictionary(Font=Dictionary(F1=font)),
            group=True,
        )
        for opacity in opacities[:0:-1]:
            inner = form(
                pdf,
                b"/G0 gs /X0 Do",
                Dictionary(XObject=Dictionary(X0=inner), ExtGState=Dictionary(G0=Dictionary(ca=opacity, CA=opacity))),
                group=True,
            )
        state = Dictionary(ca=opacities[0], CA=opacities[0])
        if mask:  # a luminosity mask of black: nothing of the group shows
            state.SMask = Dictionary(Type=Name.Mask, S=Name.Luminosity, G=form(pdf, b"0 g 0 0 612 792 re f", group=True))
        page.Resources.XObject = Dictionary(X0=inner)
        page.Resources.ExtGState = Dictionary(G0=state)

    return pikepdf_page(VISIBLE + b"q /G0 gs /X0 Do Q\n", setup)


@pytest.mark.parametrize("opacities", [[1.0], [0.6], [0.3], [0.5, 0.5]])
def test_text_in_a_readable_translucent_group_is_accepted(opacities):
    accepted(_grouped(opacities), "Pietersen woont hier")


@pytest.mark.parametrize("opacities", [[0.0], [0.05], [0.15], [0.3, 0.3]])
def test_text_in_a_faint_translucent_group_is_still_refused(opacities):
    refused(_grouped(opacities), "pdf.onzichtbaar_gemaakte_tekst")


def test_light_text_in_a_translucent_group_is_still_refused():
    refused(_grouped([0.3], grey=0.8), "pdf.onzichtbaar_gemaakte_tekst", "pdf.witte_tekst")


def test_a_translucent_group_under_a_black_soft_mask_is_still_refused():
    refused(_grouped([0.6], mask=True), "pdf.onzichtbaar_gemaakte_tekst")


# -- F1: a translucent watermark over the body text -------------------------------------------------------

BODY = [
    "Geachte heer, mevrouw,",
    "Op 12 maart 2024 heeft u een verzoek ingediend op grond van de Wet open overheid.",
    "In deze brief leest u welke documenten openbaar worden gemaakt en waarom.",
    "De documenten zijn beoordeeld en waar nodig gelakt op grond van artikel 5.1.",
    "Met vriendelijke groet, namens de minister,",
]


def reportlab_page(draw) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    draw(c)
    c.showPage()
    c.save()
    return out.getvalue()


def body(c, y: float = 700) -> None:
    from reportlab.lib.colors import black

    c.setFillColor(black)
    c.setFont("Helvetica", 11)
    for i, line in enumerate(BODY):
        c.drawString(72, y - i * 16, line)


def watermark(grey: float, alpha: float, text: str, size: float = 60) -> bytes:
    """The body, then a rotated watermark drawn over it (Acrobat's "Watermerk toevoegen", on top of the page)."""
    from reportlab.lib.colors import Color

    def draw(c):
        body(c)
        c.saveState()
        c.setFillColor(Color(grey, grey, grey, alpha=alpha))
        c.setFont("Helvetica-Bold", size)
        c.translate(300, 640)
        c.rotate(30)
        c.drawCentredString(0, 0, text)
        c.restoreState()

    return reportlab_page(draw)


@pytest.mark.parametrize(
    "grey, alpha, text",
    [(0.5, 0.25, "CONCEPT"), (0.75, 0.5, "VERTROUWELIJK"), (0.0, 0.1, "VERTROUWELIJK"), (0.6, 0.3, "NIET VOOR VERSPREIDING")],
)
def test_a_translucent_watermark_over_the_text_is_accepted(grey, alpha, text):
    accepted(watermark(grey, alpha, text), "openbaar worden gemaakt", "waar nodig gelakt")


def test_chrome_print_with_a_translucent_css_watermark_on_top_is_accepted(chrome):
    style = ".wm{position:fixed;top:35%;left:5%;font-size:90pt;font-weight:bold;transform:rotate(-30deg);z-index:9}"
    html = page_html(style + " .wm{opacity:.3;color:#888}", LETTER + LETTER + '<div class="wm">CONCEPT</div>')
    accepted(chrome(html), "openbaar worden gemaakt", "CONCEPT")


COVERED = b"BT /F1 14 Tf 72 600 Td (Pietersen) Tj ET\n"


def _text_cover(opacity: float, grey: float = 0.0, font: bytes = b"/F2 16 Tf", text: bytes = b"nnnnnnnnn") -> bytes:
    """The name, then text over it (ZapfDingbats ``n`` is a black square) at the given opacity."""

    def setup(pdf, page, helvetica):
        page.Resources.Font.F2 = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.ZapfDingbats))
        page.Resources.ExtGState = Dictionary(G0=Dictionary(ca=opacity, CA=opacity))

    cover = b"q /G0 gs %.2f g BT %s 70 598 Td (%s) Tj ET Q\n" % (grey, font, text)
    return pikepdf_page(VISIBLE + COVERED + cover, setup)


@pytest.mark.parametrize("opacity", [0.25, 0.5, 0.75])
def test_a_name_under_translucent_black_squares_stays_readable_and_passes(opacity):
    accepted(_text_cover(opacity), "Pietersen")


@pytest.mark.parametrize("opacity, grey", [(1.0, 0.0), (0.9, 0.0), (0.85, 0.0), (0.8, 0.0), (0.9, 0.8), (1.0, 0.8)])
def test_a_name_under_dark_or_nearly_opaque_text_is_still_refused(opacity, grey):
    refused(_text_cover(opacity, grey), "pdf.tekst_onder_tekst")


def test_a_watermark_with_an_opaque_box_over_a_name_is_still_refused():
    def draw(c):
        from reportlab.lib.colors import Color, black

        body(c)
        c.setFont("Helvetica", 11)
        c.drawString(72, 560, "Behandelaar: J. Pietersen")
        c.setFillColor(black)
        c.rect(140, 556, 120, 14, stroke=0, fill=1)  # the name blacked out with a box, the text left in
        c.setFillColor(Color(0.5, 0.5, 0.5, alpha=0.25))
        c.setFont("Helvetica-Bold", 90)
        c.drawString(80, 540, "CONCEPT")

    refused(reportlab_page(draw), "pdf.tekst_onder_vlak", "pdf.tekst_onder_tekst")


# -- F2: fake bold (the same line drawn again a fraction of a point further) ------------------------------


@pytest.mark.parametrize("shifts", [[0.4], [0.25], [0.2, 0.4], [0.3, 0.0]])
def test_fake_bold_is_accepted(shifts):
    def draw(c):
        c.setFont("Helvetica", 11)
        c.drawString(72, 720, "Onderwerp: besluit op uw verzoek")
        for dx in shifts:
            c.drawString(72 + dx, 720 + (0.2 if dx == 0 else 0), "Onderwerp: besluit op uw verzoek")
        body(c)

    accepted(reportlab_page(draw), "Onderwerp: besluit op uw verzoek")


def test_a_different_word_drawn_over_a_word_is_still_refused():
    def setup(pdf, page, font):
        page.Resources.Font.F2 = pdf.make_indirect(
            Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name("/Helvetica-Bold"), Encoding=Name.WinAnsiEncoding)
        )

    cover = b"2 Tr 1.5 w BT /F2 14 Tf 72.3 600 Td (Verstappen) Tj ET\n"
    refused(pikepdf_page(VISIBLE + COVERED + cover, setup), "pdf.tekst_onder_tekst")


def _boxes_font(pdf) -> Dictionary:
    """A Type 3 font whose glyphs for the letters of "Pietersen" are black boxes as wide as Helvetica's."""
    widths = dict(zip("Pietersn", [667, 222, 556, 278, 556, 333, 500, 556]))
    procs = Dictionary(
        {f"/g{ch}": pdf.make_stream(b"%d 0 0 -15 %d 718 d1 0 -15 %d 733 re f" % (w, w, w)) for ch, w in widths.items()}
    )
    first, last = ord("P"), ord("t")
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type3,
            FontBBox=Array([0, -15, 1000, 718]),
            FontMatrix=Array([0.001, 0, 0, 0.001, 0, 0]),
            CharProcs=procs,
            Encoding=Dictionary(Type=Name.Encoding, Differences=Array([x for ch in widths for x in (ord(ch), Name(f"/g{ch}"))])),
            FirstChar=first,
            LastChar=last,
            Widths=Array([widths.get(chr(code), 0) for code in range(first, last + 1)]),
            Resources=Dictionary(),
        )
    )


@pytest.mark.parametrize("dx", [b"72", b"72.3"])
def test_the_same_codes_in_a_font_of_black_boxes_over_a_name_are_still_refused(dx):
    """PDFium leaves the second object out of its text as a repeat (the same codes, the same size, nearly the
    same place), but its font draws boxes: not the same line drawn again."""

    def setup(pdf, page, font):
        page.Resources.Font.F2 = _boxes_font(pdf)

    refused(pikepdf_page(VISIBLE + COVERED + b"BT /F2 14 Tf %s 600 Td (Pietersen) Tj ET\n" % dx, setup), "pdf.tekst_onder_tekst")


def test_the_same_line_drawn_again_as_a_thick_outline_is_still_refused():
    cover = b"2 Tr 3 w BT /F1 14 Tf 72.3 600 Td (Pietersen) Tj ET\n"
    refused(pikepdf_page(VISIBLE + COVERED + cover), "pdf.tekst_onder_tekst")


@pytest.mark.parametrize("box", [b"0 g 70 595 140 22 re f\n", b"0 g 70 595 70 22 re f 140 595 70 22 re f\n"])
def test_fake_bold_under_a_black_box_is_still_refused(box):
    """Found while fixing F2: the copy PDFium leaves out of its text covers the first one, and text over a
    letter in the letter's own shape was taken for a bold effect without asking whether it is seen."""
    line = b"BT /F1 14 Tf 72.3 600 Td (Pietersen) Tj ET\n"
    refused(pikepdf_page(VISIBLE + COVERED + line + box), "pdf.tekst_onder_vlak", "pdf.tekst_onder_tekst")


# -- more ordinary PDFs from real tools ------------------------------------------------------------------


def _letter_html() -> str:
    import base64

    from PIL import Image, ImageDraw

    logo = Image.new("RGB", (120, 60), (21, 66, 115))
    ImageDraw.Draw(logo).ellipse((10, 10, 50, 50), fill=(255, 255, 255))
    png, jpeg = io.BytesIO(), io.BytesIO()
    logo.save(png, "PNG")
    Image.linear_gradient("L").resize((200, 80)).convert("RGB").save(jpeg, "JPEG")
    png64, jpeg64 = base64.b64encode(png.getvalue()).decode(), base64.b64encode(jpeg.getvalue()).decode()
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60"><rect x="5" y="5" width="50" height="50" rx="8"'
        ' fill="#154273"/><text x="12" y="38" fill="white" font-size="16">Rijk</text></svg>'
    )
    style = (
        "header{display:flex;gap:1em;align-items:center;border-bottom:2px solid #154273} table{border-collapse:collapse;width:100%}"
        " th{background:#154273;color:#fff;text-align:left} td,th{border:1px solid #999;padding:4px} tr:nth-child(even) td"
        "{background:#eef} .noot{color:#555;font-size:8pt} a{color:#01689b} .kader{border:1px solid #ccc;border-radius:6px;"
        "padding:8px;background:#f7f7f7;box-shadow:0 1px 3px rgba(0,0,0,.2)} .voet{position:fixed;bottom:0;font-size:8pt;color:#666}"
        " h2{page-break-before:always}"
    )
    rows = "".join(
        f"<tr><td>{n}</td><td>Document {n} over de aanbesteding</td><td>{'Deels openbaar' if n % 2 else 'Openbaar'}</td>"
        f"<td>{'5.1.2.e' if n % 2 else ''}</td></tr>"
        for n in range(1, 41)
    )
    body = (
        f'<header><img src="data:image/png;base64,{png64}" alt="logo" width="90">{svg}<div><b>Ministerie van Binnenlandse'
        " Zaken</b><br>Directie Informatiehuishouding</div></header><p>Datum: 12 april 2024<br>Kenmerk: 2024-0000123456<br>"
        "Betreft: Besluit op uw Woo-verzoek</p><p>Geachte heer, mevrouw,</p><p>Op 12 maart 2024 heeft u een verzoek ingediend"
        " op grond van de Wet open overheid. Meer informatie vindt u op"
        ' <a href="https://www.rijksoverheid.nl/woo">rijksoverheid.nl/woo</a>.<sup>1</sup></p><div class="kader"><b>Samenvatting'
        "</b><p>Wij maken 20 documenten geheel en 20 documenten gedeeltelijk openbaar.</p></div>"
        f'<p><img src="data:image/jpeg;base64,{jpeg64}" alt="grafiek" width="200"></p>'
        "<p>Met vriendelijke groet,<br>de minister van Binnenlandse Zaken en Koninkrijksrelaties</p>"
        '<p class="noot"><sup>1</sup> Zie ook Kamerstukken II 2023/24, 32 802, nr. 1.</p>'
        "<h2>Bijlage: inventarislijst</h2><table><tr><th>Nr.</th><th>Document</th><th>Beoordeling</th><th>Grond</th></tr>"
        f'{rows}</table><div class="voet">Postbus 20011, 2500 EA Den Haag</div>'
    )
    return page_html(style, body)


@pytest.mark.parametrize("header_footer", [False, True], ids=["plain", "chrome_header_footer"])
def test_chrome_print_of_a_letter_with_table_images_links_and_footer_is_accepted(chrome, header_footer):
    result = accepted(chrome(_letter_html(), header_footer), "Betreft: Besluit op uw Woo-verzoek", "rijksoverheid.nl/woo")
    assert len(result["texts"]) >= 2 and "inventarislijst" in " ".join(result["texts"])


def test_reportlab_letter_with_table_header_footer_image_and_link_is_accepted():
    from PIL import Image
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Image as Picture
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    photo = io.BytesIO()
    Image.linear_gradient("L").resize((300, 100)).convert("RGB").save(photo, "JPEG")
    photo.seek(0)

    def furniture(canvas, doc):  # header band with white title, footer with page number
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#154273"))
        canvas.rect(0, A4[1] - 2 * cm, A4[0], 2 * cm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawString(2 * cm, A4[1] - 1.3 * cm, "Ministerie van Binnenlandse Zaken")
        canvas.setFillColor(colors.grey)
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, 1.2 * cm, f"Pagina {doc.page} - Postbus 20011, 2500 EA Den Haag")
        canvas.restoreState()

    table = Table(
        [["Nr.", "Document", "Beoordeling"]]
        + [[str(n), f"Document {n} over de aanbesteding", "Deels openbaar"] for n in range(1, 30)],
        colWidths=[1.5 * cm, 9 * cm, 4 * cm],
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#154273")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eeeeff")]),
            ]
        )
    )
    story = [
        Spacer(1, 1 * cm),
        Paragraph("Besluit op uw Woo-verzoek", styles["Title"]),
        Paragraph(
            'Op 12 maart 2024 heeft u een verzoek ingediend. Zie <a href="https://www.rijksoverheid.nl/woo" color="blue">'
            "rijksoverheid.nl/woo</a> en <b>de bijlage</b>.",
            styles["BodyText"],
        ),
        Picture(photo, width=9 * cm, height=3 * cm),
        PageBreak(),
        Paragraph("Bijlage: inventarislijst", styles["Heading2"]),
        table,
    ]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, invariant=1, topMargin=3 * cm).build(story, onFirstPage=furniture, onLaterPages=furniture)
    result = accepted(out.getvalue(), "Besluit op uw Woo-verzoek", "Ministerie van Binnenlandse Zaken")
    assert "Document 29 over de aanbesteding" in " ".join(result["texts"])


FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:body><office:text>
<text:h text:outline-level="1">Besluit op uw Woo-verzoek</text:h>
<text:p>Op 12 maart 2024 heeft u een verzoek ingediend op grond van de Wet open overheid. Meer informatie op
<text:a xlink:type="simple" xlink:href="https://www.rijksoverheid.nl/woo">rijksoverheid.nl/woo</text:a>.</text:p>
<table:table table:name="Inventaris"><table:table-column table:number-columns-repeated="2"/>
<table:table-row><table:table-cell><text:p>Nr.</text:p></table:table-cell><table:table-cell><text:p>Document</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell><text:p>1</text:p></table:table-cell><table:table-cell><text:p>Nota aan de minister</text:p></table:table-cell></table:table-row>
</table:table>
<text:p>Met vriendelijke groet, namens de minister.</text:p>
</office:text></office:body></office:document>
"""


def test_libreoffice_export_of_a_letter_with_a_table_is_accepted(tmp_path):
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if not binary:
        pytest.skip("LibreOffice (soffice) ontbreekt")
    source = tmp_path / "brief.fodt"
    source.write_text(FODT, encoding="utf-8")
    command = [binary, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf"]
    subprocess.run([*command, "--outdir", str(tmp_path), str(source)], capture_output=True, timeout=180, check=False)
    target = tmp_path / "brief.pdf"
    if not target.exists():
        pytest.skip("LibreOffice kon geen pdf maken")
    accepted(target.read_bytes(), "Besluit op uw Woo-verzoek", "Nota aan de minister")
