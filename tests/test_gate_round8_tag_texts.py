"""Round 8 (attack-8, A02): strings the published copy keeps that no page draws and that can name a person.

- Identifiers only programs read are neutralised in the copy (copy.py ``_neutral_font_names``,
  ``_neutral_destination_names``; structure ``/T`` goes): the same input gives the same bytes, links and
  bookmarks still lead where they led, standard font names stay.
- Texts for people (/Alt, /ActualText, /E, link /Contents, layer names, bookmarks) are judged against the
  page's redactions (tagtexts.py): attached to redacted content, or holding words the document nowhere shows
  on a page with a redaction mark, they refuse; ordinary tagged documents keep them.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from pikepdf import Array, Dictionary, Name, String

from publish.gate.copy import published_copy

from support import approve, build_args, run_cli
from support.pdfcraft import accepted, decoded_streams, font_descriptor, refusing

MARK = "Vermeulen"
VISIBLE = b"BT /F1 12 Tf 72 750 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"
# a proper redaction: a black box with the ground code in white on it
REDACTION = b"0 g 70 695 60 15 re f BT 1 g /F1 8.5 Tf 76 699 Td (5.1.2.e) Tj ET 0 g\n"


def _pdf(contents: bytes, setup=None) -> bytes:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
    )
    page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 612, 792]), Resources=Dictionary(Font=Dictionary(F1=font)))
    pdf.pages.append(pikepdf.Page(page))
    page = pdf.pages[0].obj
    page.Contents = pdf.make_stream(contents)
    pdf.Root.Lang = String("nl-NL")
    if setup:
        setup(pdf, page)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _tagged(pdf, page, elements: list[Dictionary]) -> None:
    """A tag tree of ``elements`` (each with /S, /K an MCID and extra keys) on ``page``."""
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    doc = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root))
    kids = Array()
    for element in elements:
        element.Type = Name.StructElem
        element.P = doc
        element.Pg = page
        kids.append(pdf.make_indirect(element))
    doc.K = kids
    root.K = doc
    root.ParentTree = Dictionary(Nums=Array([0, Array(list(kids))]))
    page.StructParents = 0
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)


def _codes(data: bytes) -> dict[str, dict]:
    return {f["code"]: f for f in refusing(data)}


# -- rule A: a text attached to redacted content ---------------------------------------------------------------


def figure_alt(alt: str = f"Pasfoto van Anna {MARK}") -> bytes:
    """A blacked-out photo whose tag still describes who is on it (A02 figure_alt)."""
    contents = VISIBLE + b"/Figure << /MCID 0 >> BDC 0 g 72 500 150 150 re f EMC\n"
    return _pdf(contents, lambda pdf, page: _tagged(pdf, page, [Dictionary(S=Name.Figure, K=0, Alt=String(alt))]))


def photo_boxed_later() -> bytes:
    """A photo (an image) tagged with its alt text, and a black box drawn over it after the figure's content."""

    def setup(pdf, page):
        pixels = bytes(v for y in range(40) for x in range(40) for v in (x * 6 % 256, 255 - y * 5, (x + y) * 3 % 256))
        image = pdf.make_stream(pixels, Type=Name.XObject, Subtype=Name.Image, Width=40, Height=40)
        image.ColorSpace = Name.DeviceRGB
        image.BitsPerComponent = 8
        page.Resources.XObject = Dictionary(Im0=image)
        _tagged(pdf, page, [Dictionary(S=Name.Figure, K=0, Alt=String(f"Foto van {MARK} bij de ingang"))])

    contents = VISIBLE + b"/Figure << /MCID 0 >> BDC q 150 0 0 150 72 500 cm /Im0 Do Q EMC 0 g 70 498 154 154 re f\n"
    return _pdf(contents, setup)


def expansion_over_code(named: bool = False) -> bytes:
    """A proper-looking redaction whose marked content expands the code to the name (A02 mc_expansion); with
    ``named`` the properties are a resource (``/Span /P0 BDC``)."""
    props = b"/P0" if named else b"<< /E (Jan " + MARK.encode() + b") >>"
    contents = VISIBLE + b"0 g 70 695 60 15 re f /Span " + props + b" BDC BT 1 g /F1 8.5 Tf 76 699 Td (5.1.2.e) Tj ET EMC\n"

    def setup(pdf, page):
        if named:
            page.Resources.Properties = Dictionary(P0=Dictionary(E=String(f"Jan {MARK}")))

    return _pdf(contents, setup)


@pytest.mark.parametrize(
    "build, kind",
    [
        (figure_alt, "alternatieve tekst van een afbeelding"),
        (photo_boxed_later, "alternatieve tekst van een afbeelding"),
        (
            lambda: _pdf(VISIBLE + b"/Figure << /Alt (Pasfoto van " + MARK.encode() + b") >> BDC 0 g 72 500 150 150 re f EMC\n"),
            "alternatieve tekst van een afbeelding",
        ),
        (expansion_over_code, "uitgeschreven tekst"),
        (lambda: expansion_over_code(named=True), "uitgeschreven tekst"),
    ],
    ids=["figure_alt", "photo_boxed_later", "figure_alt_in_content", "mc_expansion", "mc_expansion_named"],
)
def test_a_text_attached_to_redacted_content_refuses(build, kind):
    finding = _codes(build()).get("pdf.tekst_bij_lakking")
    assert finding is not None, refusing(build())
    assert finding["location"] == "pagina 1"
    assert kind in finding["message"] and "gelakt deel" in finding["message"]
    assert MARK not in finding["message"]  # the text is shown masked
    assert "Verwijder" in finding["fix"]


@pytest.mark.parametrize("alt", ["5.1.2.e", "Gelakt: 5.1.2.e Woo"])
def test_a_ground_code_as_the_alt_text_of_a_box_passes(alt):
    """An alt text that is only the code of the ground (what an honest redaction tool writes) is no leak."""
    accepted(figure_alt(alt))


def test_an_alt_text_that_says_what_the_box_shows_passes():
    """A blacked-out figure whose box says 'Foto niet openbaar', with that as its alt text: it names nothing the
    box does not show."""
    contents = VISIBLE + (
        b"/Figure << /MCID 0 >> BDC 0 g 72 500 150 150 re f BT 1 g /F1 12 Tf 80 570 Td (Foto niet openbaar) Tj ET EMC 0 g\n"
    )
    alt = String("Foto niet openbaar")
    accepted(_pdf(contents, lambda pdf, page: _tagged(pdf, page, [Dictionary(S=Name.Figure, K=0, Alt=alt)])))
    other = String(f"Foto van {MARK}")
    data = _pdf(contents, lambda pdf, page: _tagged(pdf, page, [Dictionary(S=Name.Figure, K=0, Alt=other)]))
    assert "pdf.tekst_bij_lakking" in _codes(data)


def test_a_replacement_text_that_is_its_own_visible_text_passes_over_a_code():
    """/ActualText that gives what the span shows, code included, names nothing that is not on the page
    (PDFium reads such a span's text as its /ActualText)."""
    contents = (
        VISIBLE
        + b"/Span << /ActualText (Geweigerd op grond van 5.1.2.e) >> BDC BT /F1 10 Tf 72 699 Td (Geweigerd op grond van ) Tj ET "
        + REDACTION
        + b"EMC\n"
    )
    accepted(_pdf(contents.replace(b"70 695 60 15 re f", b"190 695 60 15 re f").replace(b"76 699 Td", b"196 699 Td")))


def test_the_expansion_of_an_abbreviation_on_a_dark_header_passes():
    """White text on a dark header with an /E (an abbreviation written out): the header is not a redaction box."""
    contents = (
        VISIBLE
        + b"0.1 0.2 0.45 rg 60 600 300 30 re f /Span << /E (Burgerservicenummer) >> BDC BT 1 g /F1 14 Tf 70 610 Td "
        + b"(BSN en adresgegevens) Tj ET EMC 0 g\n"
    )
    accepted(_pdf(contents))


# -- rule B: unseen words on a page with a redaction mark ---------------------------------------------------------


def _link(pdf, page, contents: str) -> None:
    annot = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array([72, 745, 300, 765]),
            Border=Array([0, 0, 0]),
            Contents=String(contents),
            A=Dictionary(S=Name.URI, URI=String("https://example.nl/")),
        )
    )
    page.Annots = Array([annot])


def _outline(pdf, page, title: str) -> None:
    outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=1))
    item = pdf.make_indirect(Dictionary(Title=String(title), Parent=outlines, Dest=Array([page, Name.Fit])))
    outlines.First = outlines.Last = item
    pdf.Root.Outlines = outlines


def _layer(pdf, page, name: str) -> None:
    group = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String(name)))
    page.Resources.Properties = Dictionary(L1=group)
    pdf.Root.OCProperties = Dictionary(OCGs=Array([group]), D=Dictionary(ON=Array([group]), Order=Array([group])))


LAYERED = b"/OC /L1 BDC BT /F1 11 Tf 72 600 Td (Bijlage) Tj ET EMC\n"


@pytest.mark.parametrize(
    "setup, extra, kind",
    [
        (lambda pdf, page: _link(pdf, page, f"Dossier van {MARK}"), b"", "beschrijving van een link"),
        (lambda pdf, page: _outline(pdf, page, f"Opmerking {MARK}"), b"", "bladwijzer"),
        (lambda pdf, page: _layer(pdf, page, f"Aantekeningen {MARK}"), LAYERED, "naam van een laag"),
        (
            lambda pdf, page: _tagged(pdf, page, [Dictionary(S=Name.Figure, K=0, Alt=String(f"Handtekening {MARK}"))]),
            b"/Figure << /MCID 0 >> BDC 0.8 0.1 0.1 rg 300 500 40 20 re f EMC 0 g\n",
            "alternatieve tekst van een afbeelding",
        ),
    ],
    ids=["link_contents", "outline", "layer_name", "figure_elsewhere"],
)
def test_unseen_words_on_a_redacted_page_refuse(setup, extra, kind):
    data = _pdf(VISIBLE + REDACTION + extra, setup)
    finding = _codes(data).get("pdf.onbekende_woorden_bij_lakking")
    assert finding is not None, refusing(data)
    assert kind in finding["message"] and "nergens zichtbaar" in finding["message"]
    assert MARK not in finding["message"] and "V********" in finding["message"]
    # the same text without the redaction on the page: an ordinary document, published with it
    _, copy = accepted(_pdf(VISIBLE + extra, setup))
    assert MARK.encode() in decoded_streams(copy) or MARK.encode() in copy


def test_words_the_document_shows_pass_on_a_redacted_page():
    setup = lambda pdf, page: _outline(pdf, page, "Gewone regel tekst")  # noqa: E731
    accepted(_pdf(VISIBLE + REDACTION, setup))


def test_a_ground_code_in_a_table_cell_is_no_redaction_mark():
    """Inventory tables list ground codes as black text on white: the page has no redaction on it."""
    cell = b"BT /F1 10 Tf 400 700 Td (5.1.2.e) Tj ET\n"
    setup = lambda pdf, page: _link(pdf, page, "Website van de gemeente")  # noqa: E731
    accepted(_pdf(VISIBLE + cell, setup))


# -- a clean tagged document (Word/LibreOffice-like) keeps its alt texts and bookmarks -------------------------


def _tagged_report(redacted: bool = False) -> bytes:
    def setup(pdf, page):
        _tagged(
            pdf,
            page,
            [
                Dictionary(S=Name.H1, K=0),
                Dictionary(S=Name.P, K=1),
                Dictionary(S=Name.Figure, K=2, Alt=String("Staafdiagram van het aantal verzoeken per maand")),
            ],
        )
        _outline(pdf, page, "Inleiding")
        _link(pdf, page, "Website van de gemeente")

    contents = (
        b"/H1 << /MCID 0 >> BDC BT /F1 16 Tf 72 720 Td (Inleiding) Tj ET EMC\n"
        b"/P << /MCID 1 >> BDC " + VISIBLE + b"EMC\n"
        b"/Figure << /MCID 2 >> BDC 0.2 0.3 0.7 rg 72 500 20 80 re f 100 500 20 120 re f 128 500 20 60 re f EMC 0 g\n"
    )
    if redacted:
        contents += REDACTION
    return _pdf(contents, setup)


def test_a_clean_tagged_document_keeps_its_alt_text_bookmarks_and_link_description():
    _, copy = accepted(_tagged_report())
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        alts = [str(o.Alt) for o in pdf.objects if isinstance(o, Dictionary) and Name.Alt in o]
        assert alts == ["Staafdiagram van het aantal verzoeken per maand"]
        assert str(pdf.Root.Outlines.First.Title) == "Inleiding"
        assert str(pdf.pages[0].Annots[0].Contents) == "Website van de gemeente"


def test_the_same_document_redacted_asks_for_its_alt_text_to_be_checked():
    """With a redaction on the page, the chart's description uses words the page does not show: refused with
    a message that says what to check (the rule is strict by design: SECURITY.md)."""
    found = [f for f in refusing(_tagged_report(redacted=True)) if f["code"] == "pdf.onbekende_woorden_bij_lakking"]
    kinds = {f["message"].split(" (")[0] for f in found}
    assert kinds == {
        "de alternatieve tekst van een afbeelding of ander onderdeel",
        "de beschrijving van een link",
    }, found  # the bookmark 'Inleiding' is a heading the page shows: it passes
    assert all(f["location"] == "pagina 1" for f in found)


# -- identifiers: neutral names in the copy --------------------------------------------------------------------


def _struct_titles() -> bytes:
    contents = b"/P << /MCID 0 >> BDC " + VISIBLE + b"EMC\n"
    return _pdf(
        contents,
        lambda pdf, page: _tagged(pdf, page, [Dictionary(S=Name.P, K=0, T=String(f"Notitie {MARK}"), Lang=String("nl"))]),
    )


def test_structure_titles_go_and_the_tags_stay():
    _, copy = accepted(_struct_titles())
    assert MARK.encode() not in copy and MARK.encode() not in decoded_streams(copy)
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        elements = [o for o in pdf.objects if isinstance(o, Dictionary) and o.get(Name.S) == Name.P]
        assert len(elements) == 1 and Name.T not in elements[0] and str(elements[0].Lang) == "nl"


def _reportlab(tmp_path: Path) -> bytes:
    """A reportlab document with an embedded subset TrueType font (Vera) and Helvetica, a bookmark and an internal
    link, made over (as Word and LibreOffice write them) into a font named after a person and named destinations:
    the link by a string of the /Names tree, the bookmark by a go-to action, an old-style /Dests entry beside."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    pdfmetrics.registerFont(TTFont("Vera", str(vera)))
    path = tmp_path / "rl.pdf"
    c = canvas.Canvas(str(path), pagesize=(612, 792), invariant=1)
    c.setFont("Vera", 12)
    c.drawString(72, 750, "Dit is een gewone zichtbare regel tekst op de pagina.")
    c.setFont("Helvetica", 12)
    c.drawString(72, 720, "Zie de bijlage op de volgende pagina.")
    c.linkRect("", "bijlage", (72, 715, 300, 735), relative=0)
    c.showPage()
    c.setFont("Helvetica", 12)
    c.drawString(72, 750, "Bijlage met een gewone regel tekst.")
    c.bookmarkPage("bijlage")
    c.addOutlineEntry("Bijlage", "bijlage", level=0)
    c.showPage()
    c.save()
    with pikepdf.open(path) as pdf:
        second = pdf.pages[1].obj
        for obj in pdf.objects:
            for key in (Name.BaseFont, Name.FontName):
                if isinstance(obj, Dictionary) and str(obj.get(key, "")).endswith("BitstreamVeraSans-Roman"):
                    obj[key] = Name(f"/ABCDEF+{MARK}-Handtekening")
        pdf.Root.Names = Dictionary(Dests=Dictionary(Names=Array([String(f"{MARK}-notitie"), Array([second, Name.Fit])])))
        pdf.Root.Dests = Dictionary({f"/{MARK}-oud": Array([second, Name.Fit])})
        link = pdf.pages[0].Annots[0]
        for key in (Name.Dest, Name.A):
            if key in link:
                del link[key]
        link.Dest = String(f"{MARK}-notitie")
        item = pdf.Root.Outlines.First
        del item[Name.Dest]
        item.A = Dictionary(S=Name.GoTo, D=Name(f"/{MARK}-oud"))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _link_pages(data: bytes) -> tuple[list[int], list[str]]:
    """Where PDFium says the links of page 1 lead (0-based page), and the base font names of the copy."""
    import ctypes

    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(data)
    try:
        page = document[0]
        targets = []
        pos = ctypes.c_int(0)
        link = raw.FPDF_LINK()
        while raw.FPDFLink_Enumerate(page.raw, ctypes.byref(pos), ctypes.byref(link)):
            dest = raw.FPDFLink_GetDest(document.raw, link)
            if not dest:
                action = raw.FPDFLink_GetAction(link)
                dest = raw.FPDFAction_GetDest(document.raw, action) if action else None
            targets.append(raw.FPDFDest_GetDestPageIndex(document.raw, dest) if dest else -1)
        page.close()
    finally:
        document.close()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        names = sorted(
            str(o.get(Name.BaseFont) or o.get(Name.FontName))
            for o in pdf.objects
            if isinstance(o, Dictionary) and (Name.BaseFont in o or Name.FontName in o)
        )
    return targets, names


def test_embedded_font_and_destination_names_are_neutral_and_links_still_lead_there(tmp_path):
    data = _reportlab(tmp_path)
    assert MARK.encode() in data
    before, _ = _link_pages(data)
    assert before == [1]
    copy = published_copy(data)
    assert copy == published_copy(data)  # the same input, the same bytes
    assert MARK.encode() not in copy and MARK.encode() not in decoded_streams(copy)
    after, names = _link_pages(copy)
    assert after == before  # the link still goes to page 2
    assert "/Helvetica" in names  # a standard font keeps its name
    assert all(re.fullmatch(r"/(Helvetica|([A-Z]{6}\+)?Font\d+)", n) for n in names), names
    assert any(re.fullmatch(r"/[A-Z]{6}\+Font\d+", n) for n in names), names  # the subset tag form stays
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert [str(k) for k in pdf.Root.Names.Dests.Names[::2]] == ["d1"]  # numbered in the byte order of the old names
        assert list(pdf.Root.Dests.keys()) == ["/d2"]
        assert str(pdf.pages[0].Annots[0].Dest) == "d1"
        assert pdf.Root.Outlines.First.A.D == Name("/d2")
    # drawn the same: the rendering of the copy equals the original's
    for source in (data, copy):
        document = pdfium.PdfDocument(source)
        bitmap = document[0].render(scale=1).to_numpy()
        if source is data:
            original = bitmap
        document.close()
    assert (bitmap == original).all()


def test_a_non_embedded_font_keeps_a_known_family_and_loses_a_person_name():
    widths = Array([556] * 224)

    def setup(pdf, page):
        for key, base, family in (
            ("/F7", "BookshelfSymbol7", "Bookshelf Symbol 7"),
            ("/F8", "Calibri,Bold", "Calibri"),
            ("/F9", f"{MARK}-Handtekening", MARK),
        ):
            descriptor = font_descriptor(base, FontFamily=String(family))
            page.Resources.Font[key] = pdf.make_indirect(
                Dictionary(
                    Type=Name.Font,
                    Subtype=Name.TrueType,
                    BaseFont=Name("/" + base),
                    FirstChar=32,
                    LastChar=255,
                    Widths=widths,
                    FontDescriptor=pdf.make_indirect(descriptor),
                    Encoding=Name.WinAnsiEncoding,
                )
            )

    data = _pdf(VISIBLE + b"BT /F8 11 Tf 72 700 Td (Getekend) Tj /F9 11 Tf 0 -20 Td (Getekend) Tj ET\n", setup)
    _, copy = accepted(data)  # (F7 is not shown: the copy drops it)
    kept = published_copy(_pdf(VISIBLE + b"BT /F7 11 Tf 72 700 Td (abc) Tj ET\n", setup))
    with pikepdf.open(io.BytesIO(kept)) as pdf:  # a symbol font keeps its name: glyphs.py judges by it (a08)
        assert str(pdf.pages[0].Resources.Font.F7.BaseFont) == "/BookshelfSymbol7"
    assert MARK.encode() not in copy and MARK.encode() not in decoded_streams(copy)
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        fonts = pdf.pages[0].Resources.Font
        names = {str(f.BaseFont) for f in fonts.values()}
        assert "/Calibri,Bold" in names and "/Helvetica" in names
        assert any(re.fullmatch(r"/Font\d+", n) for n in names), names
        calibri = next(f for f in fonts.values() if str(f.BaseFont) == "/Calibri,Bold")
        assert str(calibri.FontDescriptor.FontFamily) == "Calibri"


# -- end to end: the attacker's variants reach no file of the site ---------------------------------------------


def _person_font() -> bytes:
    """A non-embedded TrueType with widths named after a person (A02 fontname)."""

    def setup(pdf, page):
        descriptor = font_descriptor(f"{MARK}-Handtekening", FontFamily=String(MARK))
        page.Resources.Font.F9 = Dictionary(
            Type=Name.Font,
            Subtype=Name.TrueType,
            BaseFont=Name(f"/{MARK}-Handtekening"),
            FirstChar=32,
            LastChar=255,
            Widths=Array([556] * 224),
            FontDescriptor=descriptor,
            Encoding=Name.WinAnsiEncoding,
        )

    return _pdf(VISIBLE + b"BT /F9 11 Tf 72 700 Td (Getekend) Tj ET\n", setup)


@pytest.mark.slow
def test_the_variants_are_refused_or_neutralised_in_a_built_site(make_package, decisions, tmp_path):
    variants = {
        "figuur": figure_alt(),
        "afkorting": expansion_over_code(),
        "link": _pdf(VISIBLE + REDACTION, lambda pdf, page: _link(pdf, page, f"Dossier van {MARK}")),
        "titel": _struct_titles(),
        "lettertype": _person_font(),
        "bestemming": _pdf(
            VISIBLE, lambda pdf, page: pdf.Root.__setitem__("/Dests", Dictionary({f"/{MARK}-notitie": Array([page, Name.Fit])}))
        ),
    }
    rows = [["1", "Document", "2024-01-10", "openbaar", "", "documenten/1.pdf"]]
    for number, (name, data) in enumerate(variants.items(), start=1):
        pkg = make_package(name, meta={"kenmerk": f"2024-880000{number}", "besluit": "openbaar"}, rows=rows)
        (pkg / "documenten" / "1.pdf").write_bytes(data)
        approve(pkg)
    out = tmp_path / "site"
    result = run_cli(*build_args(decisions, out))
    assert "Traceback" not in result.stderr
    for path in out.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            assert MARK.encode() not in raw, path
            if raw[:5] == b"%PDF-":
                assert MARK.encode() not in decoded_streams(raw), path
    published = {name: (out / "besluit" / f"2024-880000{n}" / "index.html").exists() for n, name in enumerate(variants, 1)}
    assert published == {
        "figuur": False,  # refused: the alt text of a blacked-out figure
        "afkorting": False,  # refused: the expansion of a ground code
        "link": False,  # refused: a link description with words the document does not show, beside a redaction
        "titel": True,  # neutralised: the structure title is not in the copy
        "lettertype": True,  # neutralised: the font has a neutral name
        "bestemming": True,  # neutralised: the destination has a neutral name
    }, result.stdout[-3000:]
    refusals = result.stdout + result.stderr
    assert "gelakt deel" in refusals and "nergens zichtbaar" in refusals, refusals[-3000:]
