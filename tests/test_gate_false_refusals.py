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
