"""Gate leaks found by attack (branch attack-2, rows 7b, 8 and 9): data kept in the published copy.

- 7b: PDF names carrying data (``/Pietersen#200612345678``) as the values of keys whose names ISO 32000
  lists (page mode, reading direction, fit type of a destination, page-label style, link highlighting,
  border style, layer intent, ...), as free names (role map keys, structure types, font names, resource
  names) and as names in a content stream (marked-content tags, names of resources that do not exist);
- 8: an embedded font program or ICC colour profile with text after its end, between its tables or in
  its own texts (the font's ``name`` table, the profile's description and copyright);
- 9: a marked-content property list written in the content (``/Span <<... /Foo (...)>> BDC``) with
  entries marked content does not take.

Each leak: the copy no longer holds the secret (read back with pikepdf: every string, name, key and decoded
stream), or the PDF is refused with a Dutch finding; and a clean counterpart is accepted (and drawn the same)."""

from __future__ import annotations

import functools
import io
from pathlib import Path

import pikepdf
import pytest
import reportlab
from pikepdf import Array, Dictionary, Name, String
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from publish.gate import copy as gate_copy
from publish.gate.unseen import font_texts, icc_texts
from publish.pdfs import _inspect_bytes

from support import pdfcraft
from support.pdfcraft import one_page_pdf, published

VISIBLE = b"BT /F1 12 Tf 72 750 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"
WORD = "Pietersen"
PHONE_NAME = "/Pietersen 0612345678"  # written by qpdf as /Pietersen#200612345678
FONTS = Path(reportlab.__file__).parent / "fonts"
VERA = FONTS / "Vera.ttf"


def make(contents: bytes = VISIBLE, setup=None, compress: bool = True) -> bytes:
    return one_page_pdf(contents, setup, compress)


def meta(fn) -> bytes:
    return make(VISIBLE, lambda pdf, page, res, font: fn(pdf, page))


def inspect(data: bytes) -> tuple[dict, bytes | None]:
    return _inspect_bytes(data)


def refused_copy(data: bytes) -> str:
    """The Dutch reason a PDF the copy cannot make safe is refused with."""
    result, copy = inspect(data)
    assert not result["ok"] and result["error_code"] == "pdf.onleesbaar", result
    assert copy is None
    assert result["error"].startswith("de pdf kan niet veilig gepubliceerd worden: ")
    return result["error"]


def findings(data: bytes) -> list[dict]:
    result, _ = inspect(data)
    assert result["ok"], result
    return [f for f in result["findings"] if f["severity"] == "fout"]


def secret_in(copy: bytes, word: str = WORD) -> list[str]:
    return pdfcraft.secret_in(copy, word)


pixels = pdfcraft.pixels


# -- 7b. names whose values ISO 32000 lists ---------------------------------------------------------


def _link(**entries):
    def setup(pdf, page, res, font):
        link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 740, 300, 760]), Border=Array([0, 0, 0]))
        for key, value in entries.items():
            link[Name("/" + key)] = value(page) if callable(value) else value
        page.Annots = Array([pdf.make_indirect(link)])

    return setup


def _outline(dest):
    def f(pdf, page):
        item = pdf.make_indirect(Dictionary(Title=String("Inhoud"), Dest=dest(page)))
        outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, First=item, Last=item, Count=1))
        item.Parent = outlines
        pdf.Root.Outlines = outlines

    return f


def _struct(pdf, page, attributes=None, role="/P", roles=None):
    e = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name(role), Pg=page, K=0))
    if attributes is not None:
        e.A = attributes
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([e])))
    if roles:
        root.RoleMap = Dictionary(roles)
    e.P = root
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)


def _set(**entries):
    return lambda pdf, page: [pdf.Root.__setitem__("/" + k, v) for k, v in entries.items()]


def _enumerated(name: str) -> dict:
    """One construct per key whose names the specification lists, with ``name`` as its value."""
    n = Name(name)
    return {
        "catalogus_pagemode": make(VISIBLE, lambda pdf, page, res, font: _set(PageMode=n)(pdf, page)),
        "catalogus_pagelayout": meta(_set(PageLayout=n)),
        "catalogus_version": meta(_set(Version=n)),
        "voorkeuren": meta(_set(ViewerPreferences=Dictionary(Direction=n, NonFullScreenPageMode=n, Duplex=n, HideToolbar=n))),
        "paginalabel": meta(_set(PageLabels=Dictionary(Nums=Array([0, Dictionary(S=n, St=1)])))),
        "pagina_tabs": make(VISIBLE, lambda pdf, page, res, font: page.__setitem__("/Tabs", n)),
        "link_markering": make(VISIBLE, _link(H=n, Dest=lambda page: Array([page, Name.Fit]))),
        "link_randstijl": make(VISIBLE, _link(BS=Dictionary(S=n, W=0), Dest=lambda page: Array([page, Name.Fit]))),
        "link_bestemming": make(VISIBLE, _link(Dest=lambda page: Array([page, n, 0, 0, 1]))),
        "link_actie": make(VISIBLE, _link(A=lambda page: Dictionary(S=Name.GoTo, D=Array([page, n])))),
        "bladwijzer_bestemming": meta(_outline(lambda page: Array([page, n, 0]))),
        "benoemde_bestemming": meta(_set(Dests=Dictionary(Hier=Array([1, n])))),
        "tagattribuut": meta(lambda pdf, page: _struct(pdf, page, Dictionary(O=Name.Layout, Placement=n, WritingMode=n))),
        "uitvoerprofiel": meta(
            _set(OutputIntents=Array([Dictionary(Type=Name.OutputIntent, S=n, OutputConditionIdentifier=String("sRGB"))]))
        ),
        "lagen_lijst": meta(
            lambda pdf, page: _set(
                OCProperties=Dictionary(
                    OCGs=Array([g := pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String("Laag")))]),
                    D=Dictionary(
                        ON=Array([g]), ListMode=n, AS=Array([Dictionary(Event=n, OCGs=Array([g]), Category=Array([n]))])
                    ),
                )
            )(pdf, page)
        ),
    }


ENUMERATED = sorted(_enumerated("/UseNone"))


@pytest.mark.parametrize("construct", ENUMERATED)
def test_a_name_the_specification_does_not_list_is_not_in_the_copy(construct):
    data = _enumerated("/" + WORD)[construct]
    assert secret_in(data)  # the source carries it
    assert secret_in(published(data)) == []


ALLOWED = {
    "catalogus_pagemode": ("/UseOutlines", lambda pdf: pdf.Root.PageMode),
    "catalogus_version": ("/1.7", lambda pdf: pdf.Root.Version),
    "voorkeuren": ("/R2L", lambda pdf: pdf.Root.ViewerPreferences.Direction),
    "paginalabel": ("/r", lambda pdf: pdf.Root.PageLabels.Nums[1].S),
    "link_markering": ("/O", lambda pdf: pdf.pages[0].Annots[0].H),
    "link_randstijl": ("/D", lambda pdf: pdf.pages[0].Annots[0].BS.S),
    "link_bestemming": ("/XYZ", lambda pdf: pdf.pages[0].Annots[0].Dest[1]),
    "bladwijzer_bestemming": ("/FitH", lambda pdf: pdf.Root.Outlines.First.Dest[1]),
    "tagattribuut": ("/Block", lambda pdf: pdf.Root.StructTreeRoot.K[0].A[0].Placement),
}


@pytest.mark.parametrize("construct", sorted(ALLOWED))
def test_a_name_the_specification_lists_stays(construct):
    value, where = ALLOWED[construct]
    copy = published(_enumerated(value)[construct])
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert where(pdf) == Name(value)


def test_a_listed_name_with_personal_data_is_refused_with_its_finding():
    found = findings(meta(_set(PageMode=Name(PHONE_NAME))))
    assert "pdf.persoonsgegeven.telefoon" in {f["code"] for f in found}


def _ocg_intent(intent):
    def f(pdf, page):
        g = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String("Laag"), Intent=intent))
        pdf.Root.OCProperties = Dictionary(OCGs=Array([g]), D=Dictionary(ON=Array([g])))

    return meta(f)


def _font(subtype):
    def setup(pdf, page, res, font):
        res.Font.F2 = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=subtype, BaseFont=Name.Helvetica))

    return make(VISIBLE + b"BT /F2 12 Tf 72 650 Td (abc) Tj ET\n", setup)


def _blend(mode):
    def setup(pdf, page, res, font):
        res.ExtGState = Dictionary(G0=Dictionary(BM=mode))

    return make(VISIBLE + b"/G0 gs 0 g 72 500 50 50 re f\n", setup)


@pytest.mark.parametrize(
    "data, what",
    [
        (_ocg_intent(Name("/" + WORD)), "bedoeling (/Intent) van een laag"),
        (_ocg_intent(Array([Name.View, Name("/" + WORD)])), "bedoeling (/Intent) van een laag"),
        (_font(Name("/" + WORD)), "soort van een lettertype"),
        (_blend(Name("/" + WORD)), "mengmodus (/BM)"),
    ],
)
def test_a_name_that_decides_what_is_drawn_refuses_when_unknown(data, what):
    message = refused_copy(data)
    assert what in message and "niet kent" in message and WORD in message


@pytest.mark.parametrize(
    "data", [_ocg_intent(Name.Design), _ocg_intent(Array([Name.View, Name.Design])), _font(Name.Type1), _blend(Name.Multiply)]
)
def test_a_known_name_that_decides_what_is_drawn_is_accepted(data):
    assert pixels(published(data)) == pixels(data)


# free names: checked for personal data like the copy's strings (unseen.py kept_strings), #-escapes read


def _basefont(pdf, page, res, font):
    res.Font.F2 = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name(PHONE_NAME), Encoding=Name.WinAnsiEncoding)
    )


FREE_NAMES = {
    "bronnaam": make(
        VISIBLE + b"BT /Pietersen#200612345678 12 Tf 72 650 Td (abc) Tj ET\n",
        lambda pdf, page, res, font: res.Font.__setitem__(PHONE_NAME, font),
    ),
    "escapes": make(
        VISIBLE + b"BT /Pietersen#5F06#2D12345678 12 Tf 72 650 Td (abc) Tj ET\n",
        lambda pdf, page, res, font: res.Font.__setitem__("/Pietersen_06-12345678", font),
    ),
}


def test_a_font_name_with_personal_data_is_neutral_in_the_copy():
    """Round 8: a font's name is an identifier the copy replaces (copy.py ``_neutral_font_names``); this font
    (not embedded, no widths, no standard name) is refused by the font check all the same."""
    data = make(VISIBLE + b"BT /F2 12 Tf 72 650 Td (abc) Tj ET\n", _basefont)
    assert "pdf.niet_te_beoordelen_lettertype" in {f["code"] for f in findings(data)}
    copy = gate_copy.published_copy(data)
    assert b"0612345678" not in copy and b"Pietersen" not in copy


@pytest.mark.parametrize("construct", sorted(FREE_NAMES))
def test_a_free_name_with_personal_data_is_refused(construct):
    found = findings(FREE_NAMES[construct])
    assert "pdf.persoonsgegeven.telefoon" in {f["code"] for f in found}, found
    assert all("0612345678" not in f["message"] for f in found)  # masked


@pytest.mark.parametrize(
    "data",
    [
        meta(lambda pdf, page: _struct(pdf, page, roles={PHONE_NAME: Name.P})),
        meta(lambda pdf, page: _struct(pdf, page, role=PHONE_NAME)),
        meta(lambda pdf, page: _struct(pdf, page, role=PHONE_NAME, roles={PHONE_NAME: Name.H1})),
    ],
    ids=["rolmap", "structuursoort", "structuursoort met rol"],
)
def test_a_structure_type_with_personal_data_is_not_in_the_copy(data):
    """Round 9 A15/A16: a structure type of the document's own becomes the standard type it maps to (or
    /NonStruct), and the role map keeps only standard types: the name is not published, so nothing to refuse."""
    found = findings(data)
    assert not [f for f in found if f["severity"] == "fout"], found
    copy = gate_copy.published_copy(data)
    assert b"0612345678" not in copy and pdfcraft.secret_in(copy, "0612345678") == []


def test_free_names_without_personal_data_are_accepted():
    data = make(
        VISIBLE + b"BT /Kop#201 12 Tf 72 650 Td (abc) Tj ET\n",
        lambda pdf, page, res, font: (
            res.Font.__setitem__("/Kop 1", font),
            _struct(pdf, page, role="/Kop1", roles={"/Kop1": Name.H1}),
        ),
    )
    assert findings(data) == []


# names in a content stream: tags, rendering intents, names of resources that do not exist


@pytest.mark.parametrize("content", [b"/Pietersen#200612345678 Do\n", b"% a comment\n/Pietersen#200612345678 Do\n"])
def test_a_name_in_the_content_with_personal_data_is_refused(content):
    message = refused_copy(make(VISIBLE + content))
    assert "een naam in de inhoud van pagina 1" in message and "telefoonnummer" in message
    assert "0612345678" not in message


@pytest.mark.parametrize(
    "content",
    [
        b"/Pietersen#200612345678 BMC BT /F1 12 Tf 72 650 Td (abc) Tj ET EMC\n",
        b"/Pietersen#200612345678 <</MCID 0>> BDC EMC\n",
        b"/Pietersen#200612345678 MP\n",
        b"/Pietersen#200612345678 ri\n",
        b"% a comment makes the stream written again\n/Pietersen#200612345678 MP\n",
    ],
)
def test_a_tag_or_rendering_intent_with_personal_data_is_not_in_the_copy(content):
    """Round 9 A15/A16: a marked-content tag of its own becomes /Span, an unknown rendering intent the one viewers
    use for it (/RelativeColorimetric): the name is not published, so nothing to refuse."""
    copy = published(make(VISIBLE + content))
    assert pdfcraft.secret_in(copy, "0612345678") == [] and pdfcraft.secret_in(copy, "Pietersen") == []


def test_tags_and_names_in_the_content_without_personal_data_are_accepted():
    content = (
        b"/Artifact BMC 0 g 72 500 50 50 re f EMC /P <</MCID 0>> BDC BT /F1 12 Tf 72 650 Td (abc) Tj ET EMC /Perceptual ri\n"
    )
    copy = published(make(VISIBLE + content))
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert pdf.pages[0].Contents.read_bytes() == VISIBLE + content  # copied byte for byte


# -- 8. embedded font programs and ICC profiles ------------------------------------------------------------


def _truetype(program: bytes):
    def setup(pdf, page, res, font):
        ff = pdf.make_stream(program, Length1=len(program))
        desc = Dictionary(
            Type=Name.FontDescriptor, FontName=Name.BitstreamVeraSans, Flags=32, FontBBox=Array([0, -200, 1000, 900]),
            ItalicAngle=0, Ascent=900, Descent=-200, CapHeight=700, StemV=80, FontFile2=ff,
        )  # fmt: skip
        res.Font.F2 = pdf.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.TrueType,
                BaseFont=Name.BitstreamVeraSans,
                FirstChar=32,
                LastChar=126,
                Widths=Array([600] * 95),
                Encoding=Name.WinAnsiEncoding,
                FontDescriptor=desc,
            )  # fmt: skip
        )

    return make(VISIBLE + b"BT /F2 24 Tf 72 650 Td (Abc xyz) Tj ET\n", setup, compress=False)


def _tables(program: bytes) -> list[tuple[bytes, int, int]]:
    count = int.from_bytes(program[4:6], "big")
    records = [program[12 + 16 * i : 28 + 16 * i] for i in range(count)]
    return [(r[:4], int.from_bytes(r[8:12], "big"), int.from_bytes(r[12:16], "big")) for r in records]


def _table_moved_after_a_gap(program: bytes, gap: bytes) -> bytes:
    """The font with its last table copied to after ``gap`` (appended), the directory pointing there."""
    tag, offset, length = max(_tables(program), key=lambda t: t[1])
    index = [t[0] for t in _tables(program)].index(tag)
    body = program + bytes(-len(program) % 4) + gap + bytes(-len(gap) % 4)
    moved = len(body)
    body += program[offset : offset + length]
    record = 12 + 16 * index
    return body[: record + 8] + moved.to_bytes(4, "big") + body[record + 12 :]


def _renamed(program: bytes, text: str) -> bytes:
    from fontTools.ttLib import TTFont as FontToolsFont

    font = FontToolsFont(io.BytesIO(program))
    font["name"].setName(text, 0, 3, 1, 0x409)  # the copyright notice
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def font_program(copy: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        return pdf.pages[0].Resources.Font.F2.FontDescriptor.FontFile2.read_bytes()


@pytest.mark.parametrize(
    "program",
    [
        VERA.read_bytes() + b"Pietersen 0612345678 BSN 123456782",  # r40: text after the last table
        _table_moved_after_a_gap(VERA.read_bytes(), b"Pietersen 0612345678"),  # text between the tables
    ],
    ids=["na_het_einde", "tussen_tabellen"],
)
def test_data_outside_a_font_programs_tables_is_not_in_the_copy(program):
    data = _truetype(program)
    assert secret_in(data)
    copy = published(data)
    assert secret_in(copy) == []
    assert pixels(copy) == pixels(data)  # the font draws the same
    kept = font_program(copy)
    # only tables that draw it, each written again (round 4: fontTools drops private tables and slack)
    assert {t[0] for t in _tables(kept)} <= {t[0] for t in _tables(program)} and len(kept) <= len(program)


def test_a_clean_font_program_is_copied_as_it_is():
    program = gate_copy._sfnt_rebuilt(VERA.read_bytes(), "")  # as the copy writes a font: then kept byte for byte
    data = _truetype(program)
    copy = published(data)
    assert font_program(copy) == program
    assert pixels(copy) == pixels(data)


def test_personal_data_in_a_fonts_name_table_is_refused():
    found = findings(_truetype(_renamed(VERA.read_bytes(), "Copyright Pietersen 0612345678")))
    assert "pdf.persoonsgegeven.telefoon" in {f["code"] for f in found}, found
    message = next(f["message"] for f in found if f["code"] == "pdf.persoonsgegeven.telefoon")
    assert "ingesloten lettertype" in message and "0612345678" not in message


@pytest.mark.parametrize(
    "program",
    [
        b"Pietersen 0612345678" * 10,  # no font at all
        VERA.read_bytes()[:200],  # the directory points past the end
        b"\x00\x01\x00\x00" + (60000).to_bytes(2, "big") + bytes(200),  # more tables than bytes
    ],
    ids=["geen_lettertype", "afgebroken", "te_veel_tabellen"],
)
def test_a_damaged_font_program_is_refused(program):
    message = refused_copy(_truetype(program))
    assert "ingesloten lettertype" in message and "beschadigd" in message


def _reportlab(draw) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    draw(c)
    c.showPage()
    c.save()
    return out.getvalue()


def test_a_reportlab_pdf_with_embedded_truetype_fonts_is_accepted_and_drawn_the_same():
    pdfmetrics.registerFont(TTFont("Vera", str(VERA)))
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if dejavu.exists():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(dejavu)))

    def draw(c):
        c.setFont("Vera", 14)
        c.drawString(72, 750, "Besluit op uw Woo-verzoek van 12 maart 2025 (kenmerk 2025/123).")
        if dejavu.exists():
            c.setFont("DejaVuSans", 14)
            c.drawString(72, 720, "Geachte heer, mevrouw: één ëxtra regel met accenten en € 12,50.")

    data = _reportlab(draw)
    copy = published(data)
    assert pixels(copy) == pixels(data)


def _type1(stem: str) -> bytes:
    face = pdfmetrics.EmbeddedType1Face(str(FONTS / f"{stem}.afm"), str(FONTS / f"{stem}.pfb"))
    pdfmetrics.registerTypeFace(face)
    pdfmetrics.registerFont(pdfmetrics.Font(f"T1{stem}", face.name, "WinAnsiEncoding"))
    return _reportlab(lambda c: (c.setFont(f"T1{stem}", 24), c.drawString(72, 700, "Besluit op uw verzoek")))


def _type1_program(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        font = next(f for f in pdf.pages[0].Resources.Font.values() if "/FontDescriptor" in f)
        return font.FontDescriptor.FontFile.read_bytes()


def test_a_reportlab_pdf_with_an_embedded_type1_font_is_accepted_and_drawn_the_same():
    data = _type1("_er_____")  # Times
    copy = published(data)
    assert pixels(copy) == pixels(data)
    assert _type1_program(copy) == _type1_program(data)
    assert "Times New Roman PS" in font_texts(_type1_program(data))


def test_an_e_mail_address_in_a_type1_fonts_copyright_is_found():
    """DarkGarden's copyright names its maker with his e-mail address: personal data, found like any other
    (staff allow it under 'toegestane_gegevens' when it may be published)."""
    found = findings(_type1("DarkGardenMK"))
    assert [f["code"] for f in found] == ["pdf.persoonsgegeven.email"]
    assert "ingesloten lettertype" in found[0]["message"]


def _type1_with(extra: bytes) -> bytes:
    data = _type1("_er_____")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        font = next(f for f in pdf.pages[0].Resources.Font.values() if "/FontDescriptor" in f)
        program = font.FontDescriptor.FontFile
        program.write(program.read_bytes() + extra)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def test_data_after_a_type1_font_program_is_not_in_the_copy():
    data = _type1_with(b"\nPietersen 0612345678\n")
    assert secret_in(data)
    copy = published(data)
    assert secret_in(copy) == []
    assert pixels(copy) == pixels(_type1_with(b""))


@functools.cache
def _srgb() -> bytes:
    """Made once: Pillow stamps a profile with the time it is made (header bytes 24-35)."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _icc(profile: bytes, n: int = 3):
    def setup(pdf, page, res, font):
        res.ColorSpace = Dictionary(CS1=Array([Name.ICCBased, pdf.make_stream(profile, N=n, Alternate=Name.DeviceRGB)]))

    return make(VISIBLE + b"/CS1 cs 0.2 0.4 0.6 sc 72 500 150 50 re f\n", setup, compress=False)


def icc_profile(copy: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        return pdf.pages[0].Resources.ColorSpace.CS1[1].read_bytes()


def _sized(profile: bytes, size: int) -> bytes:
    return size.to_bytes(4, "big") + profile[4:]


def _reserved(profile: bytes, text: bytes) -> bytes:
    return profile[:100] + text.ljust(28, b"\0")[:28] + profile[128:]


@pytest.mark.parametrize(
    "profile",
    [
        _srgb() + b"Pietersen 0612345678",  # r41: text after the declared end
        _sized(_srgb() + b"Pietersen 0612345678", len(_srgb()) + 20),  # inside the declared size, in no tag
        _reserved(_srgb(), b"Pietersen 0612345678"),  # in the header's reserved bytes
    ],
    ids=["na_het_einde", "buiten_de_onderdelen", "gereserveerde_kopbytes"],
)
def test_data_outside_an_icc_profiles_tags_is_not_in_the_copy(profile):
    data = _icc(profile)
    assert secret_in(data)
    copy = published(data)
    assert secret_in(copy) == []
    assert pixels(copy) == pixels(_icc(_srgb()))
    assert icc_texts(icc_profile(copy)) == icc_texts(_srgb())


def test_a_clean_icc_profile_is_copied_as_it_is():
    data = _icc(_srgb())
    copy = published(data)
    assert icc_profile(copy) == _srgb()
    assert pixels(copy) == pixels(data)


def test_personal_data_in_an_icc_profiles_text_is_refused():
    profile = _srgb()
    old = "No copyright, use freely".encode("utf-16-be")
    assert old in profile
    found = findings(_icc(profile.replace(old, "Pietersen 0612345678    ".encode("utf-16-be"))))
    assert "pdf.persoonsgegeven.telefoon" in {f["code"] for f in found}, found
    message = next(f["message"] for f in found if f["code"] == "pdf.persoonsgegeven.telefoon")
    assert "kleurprofiel" in message and "0612345678" not in message


@pytest.mark.parametrize(
    "profile",
    [
        _sized(_srgb(), len(_srgb()) + 100),  # declares more than it holds
        _srgb()[:300],  # cut off: tags point past the end
    ],
    ids=["te_groot_opgegeven", "afgebroken"],
)
def test_a_damaged_icc_profile_is_refused(profile):
    message = refused_copy(_icc(profile))
    assert "kleurprofiel (ICC)" in message and "beschadigd" in message


def test_data_that_is_no_profile_at_all_is_replaced_by_an_empty_one():
    """No ICC header: every viewer draws with the alternate space; the copy keeps nothing of the data."""
    data = _icc(b"Pietersen 0612345678".ljust(400, b"\0"))
    copy = published(data)
    assert secret_in(copy) == [] and icc_profile(copy) == bytes(128)
    assert pixels(copy) == pixels(data)


def test_a_profile_shared_with_an_output_intent_is_cleaned_there_too():
    def setup(pdf, page, res, font):
        profile = pdf.make_stream(_srgb() + b"Pietersen 0612345678", N=3)
        pdf.Root.OutputIntents = Array(
            [
                Dictionary(
                    Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=String("sRGB"), DestOutputProfile=profile
                )
            ]
        )

    copy = published(make(VISIBLE, setup))
    assert secret_in(copy) == []
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes() == _srgb()


# -- 9. marked-content property lists written in the content --------------------------------------------


def content(copy: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        return pdf.pages[0].Contents.read_bytes()


@pytest.mark.parametrize(
    "stream",
    [
        b"/Span <</Lang (Pietersen) /Foo (Pietersen)>> BDC BT /F1 14 Tf 72 650 Td (abc) Tj ET EMC\n",  # r14
        b"/Span <</Lang (nl-NL) /Foo /Pietersen>> BDC BT /F1 14 Tf 72 650 Td (abc) Tj ET EMC\n",
        b"/Span <</MCID 0 /Pietersen (x)>> BDC BT /F1 14 Tf 72 650 Td (abc) Tj ET EMC\n",
        b"/P <</MCID (Pietersen)>> DP\n",
        b"/Artifact <</Type /Pietersen /Subtype /Footer>> BDC EMC\n",
        b"% comment\n/Span <</Foo [(Pietersen)]>> BDC EMC\n",
    ],
)
def test_property_list_entries_marked_content_does_not_take_are_not_in_the_copy(stream):
    data = make(VISIBLE + stream)
    assert secret_in(data)
    copy = published(data)
    assert secret_in(copy) == []
    assert pixels(copy) == pixels(data)


def test_a_language_that_is_no_language_tag_goes_and_a_tag_stays():
    copy = published(make(VISIBLE + b"/Span <</Lang (Pietersen) /MCID 0>> BDC EMC /Span <</Lang (nl-NL)>> BDC EMC\n"))
    kept = content(copy)
    assert b"Pietersen" not in kept and b"/MCID 0" in kept and b"(nl-NL)" in kept


def test_a_replacement_text_with_personal_data_in_a_property_list_is_refused():
    data = make(VISIBLE + b"/Span <</Lang (nl-NL) /Alt (Pietersen 0612345678)>> BDC BT /F1 14 Tf 72 650 Td (abc) Tj ET EMC\n")
    assert "pdf.persoonsgegeven.telefoon" in {f["code"] for f in findings(data)}


def test_a_layer_written_in_the_content_is_refused():
    message = refused_copy(make(VISIBLE + b"/OC <</Type /OCMD /P /AllOff>> BDC BT /F1 14 Tf 72 650 Td (abc) Tj ET EMC\n"))
    assert "laag (/OC)" in message


CLEAN_PROPERTIES = [
    b"/Span <</Lang (nl-NL)>> BDC BT /F1 14 Tf 72 650 Td (abc) Tj ET EMC\n",
    b"/P <</MCID 0 /Lang (en)>> BDC BT /F1 14 Tf 72 650 Td (abc) Tj ET EMC\n",
    b"/Span <</ActualText (abc) /E (abc)>> BDC BT /F1 14 Tf 72 650 Td (abc) Tj ET EMC\n",
    b"/Artifact <</Type /Pagination /Subtype /Footer /BBox [72 40 540 60] /Attached [/Bottom]>> BDC BT /F1 9 Tf 72 50 Td (1) Tj ET EMC\n",
]


@pytest.mark.parametrize("stream", CLEAN_PROPERTIES)
def test_a_clean_property_list_is_copied_byte_for_byte(stream):
    data = make(VISIBLE + stream)
    assert content(published(data)) == VISIBLE + stream
    with pikepdf.open(io.BytesIO(data)) as pdf:
        used, flat, rewritten = gate_copy._read(pikepdf.Page(pdf.pages[0].obj), VISIBLE + stream, sanitise=True)
    assert rewritten is None


def test_a_tagged_reportlab_like_page_with_a_language_is_accepted():
    def setup(pdf, page, res, font):
        _struct(pdf, page)
        pdf.Root.Lang = String("nl-NL")

    stream = b"/P <</MCID 0 /Lang (nl-NL)>> BDC BT /F1 12 Tf 72 650 Td (Dit is een alinea.) Tj ET EMC\n"
    copy = published(make(VISIBLE + stream, setup))
    assert content(copy) == VISIBLE + stream
