"""Gate leaks found by attack (branch attack-2) in the text kept outside the drawn page (unseen.py):
/ActualText over block glyphs (r51, r66), strings kept in the copy but never checked for personal data
(r15, r18, r42, r59, r63, r64, r65) and a double-encoded mailto address (r46).

Each leak is refused with a Dutch finding; a clean counterpart is accepted (no false refusals)."""

from __future__ import annotations

import pytest
from pikepdf import Array, Dictionary, Name, String

from publish.gate.unseen import differs, is_language_tag, kept_strings

from support.pdfcraft import one_page_pdf, refusing, refusing_codes

VISIBLE = b"BT /F1 12 Tf 72 750 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"
PHONE = "Pietersen 0612345678"


def make(contents: bytes = VISIBLE, setup=None) -> bytes:
    return one_page_pdf(contents, setup)


def meta(fn) -> bytes:
    return make(VISIBLE, lambda pdf, page, res, font: fn(pdf, page))


def _block_type3(pdf, gname: str = "blk"):
    proc = pdf.make_stream(b"600 0 0 0 600 700 d1 0 0 600 700 re f\n")
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type3,
            FontBBox=Array([0, 0, 600, 700]),
            FontMatrix=Array([0.001, 0, 0, 0.001, 0, 0]),
            CharProcs=Dictionary({"/" + gname: proc}),
            Encoding=Dictionary(Type=Name.Encoding, Differences=Array([1, Name("/" + gname)])),
            FirstChar=1,
            LastChar=1,
            Widths=Array([600]),
            Resources=Dictionary(),
        )
    )


def _mapped_font(pdf, glyph: str | list[str], text: str):
    """Helvetica with codes 1..n drawing ``glyph`` (one name for all, or one each), and a ToUnicode giving ``text``."""
    n = len(text)
    names = [Name("/" + g) for g in glyph] if isinstance(glyph, list) else [Name("/" + glyph)] * n
    lines = "".join(f"<{i + 1:02X}> <{ord(ch):04X}>\n" for i, ch in enumerate(text))
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
        "1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"{n} beginbfchar\n{lines}endbfchar endcmap CMapName currentdict /CMap defineresource pop end end\n"
    )
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type1,
            BaseFont=Name.Helvetica,
            Encoding=Dictionary(Type=Name.Encoding, BaseEncoding=Name.WinAnsiEncoding, Differences=Array([1, *names])),
            ToUnicode=pdf.make_stream(cmap.encode()),
        )
    )


# 1. /ActualText over glyphs without letters or digits


@pytest.mark.parametrize("glyph", ["space", "blk"])
def test_actualtext_over_type3_blocks_is_refused(glyph):
    def setup(pdf, page, res, font):
        res.Font.F3 = _block_type3(pdf, glyph)

    data = make(VISIBLE + b"/Span <</ActualText (Pietersen)>> BDC BT /F3 14 Tf 72 600 Td <010101> Tj ET EMC\n", setup)
    found = [f for f in refusing(data) if f["code"] == "pdf.verborgen_tekst"]
    assert found and "/ActualText" in found[0]["message"] and "Pietersen" not in found[0]["message"]


def test_actualtext_over_full_block_characters_is_refused():
    def setup(pdf, page, res, font):
        res.Font.F9 = _mapped_font(pdf, "X", "\u2588\u2588\u2588\u2588")

    data = make(VISIBLE + b"/Span <</ActualText (Pietersen)>> BDC BT /F9 14 Tf 72 600 Td <01020304> Tj ET EMC\n", setup)
    assert "pdf.verborgen_tekst" in refusing_codes(data)


def test_actualtext_in_structure_over_block_glyphs_is_refused():
    def setup(pdf, page, res, font):
        res.Font.F9 = _mapped_font(pdf, "X", "\u2588\u2588\u2588")
        elem = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/Span"), Pg=page, K=0, ActualText=String("Pietersen")))
        root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([elem])))
        elem.P = root
        pdf.Root.StructTreeRoot = root
        pdf.Root.MarkInfo = Dictionary(Marked=True)

    data = make(VISIBLE + b"/Span <</MCID 0>> BDC BT /F9 14 Tf 72 600 Td <010203> Tj ET EMC\n", setup)
    assert "pdf.verborgen_tekst" in refusing_codes(data)


def test_actualtext_over_ligature_is_accepted():
    def setup(pdf, page, res, font):
        # the fi ligature as one glyph, mapped to U+FB01
        res.Font.F9 = _mapped_font(pdf, ["o", "f", "fi", "c", "e"], "of\ufb01ce")

    data = make(VISIBLE + b"/Span <</ActualText (office)>> BDC BT /F9 14 Tf 72 600 Td <0102030405> Tj ET EMC\n", setup)
    assert not refusing(data)


@pytest.mark.parametrize(
    "content",
    [
        # the drawn text itself
        b"/Span <</ActualText (Woo-verzoek)>> BDC BT /F1 12 Tf 72 600 Td (Woo-verzoek) Tj ET EMC\n",
        # a word hyphenated at a line end, the hyphen dropped in the replacement
        b"/Span <</ActualText (openbaarmaking)>> BDC BT /F1 12 Tf 72 600 Td (openbaar-) Tj 0 -14 Td (making) Tj ET EMC\n",
        # a soft hyphen in the replacement
        b"/Span <</ActualText <FEFF006F00700065006E00AD0062006100610072>>> BDC BT /F1 12 Tf 72 600 Td (open-) Tj 0 -14 Td (baar) Tj ET EMC\n",
        # whitespace only
        b"/Span <</ActualText ( )>> BDC BT /F1 12 Tf 72 600 Td (-) Tj ET EMC\n",
        # a symbol replaced by symbols
        b"/Span <</ActualText (\\(*\\))>> BDC BT /F1 12 Tf 72 600 Td (\\225) Tj ET EMC\n",
    ],
)
def test_legitimate_actualtext_is_accepted(content):
    assert not refusing(make(VISIBLE + content))


def test_differs_rules():
    assert differs("Pietersen", "\u2588\u2588\u2588", 3)
    assert differs("Pietersen", "   ", 3)
    assert differs("Pietersen", "\ufffd\ufffd", 2)
    assert not differs("Woo", "\ufffd\ufffd\ufffd", 3)
    assert differs("Pietersen 12", "Pietersen", 9)
    assert not differs("office", "o\ufb03ce", 4)
    assert not differs("openbaarmaking", "openbaar-\nmaking", 14)
    assert not differs("open\u00adbaar", "openbaar", 8)
    assert not differs("  ", "\u2022", 1)
    assert not differs("->", "\u2192", 1)


# 2. Strings kept in the copy outside content streams


def _struct(pdf, page, **elem):
    e = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/P"), Pg=page, K=0, **elem))
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([e])))
    e.P = root
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)


def _link(action):
    def setup(pdf, page, res, font):
        link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 740, 300, 760]), Border=Array([0, 0, 0]), A=action)
        page.Annots = Array([pdf.make_indirect(link)])

    return setup


def _outline(action):
    def f(pdf, page):
        item = pdf.make_indirect(Dictionary(Title=String("Inhoud"), A=action))
        outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, First=item, Last=item, Count=1))
        item.Parent = outlines
        pdf.Root.Outlines = outlines

    return f


def _parent_tree(value):
    def f(pdf, page):
        _struct(pdf, page)
        pdf.Root.StructTreeRoot.ParentTree = Dictionary(Nums=Array([0, Array([value])]))

    return f


def _kid(value):
    def f(pdf, page):
        _struct(pdf, page)
        pdf.Root.StructTreeRoot.K[0].K = Array([0, value])

    return f


def _extensions(url):
    def f(pdf, page):
        extension = Dictionary(BaseVersion=Name("/1.7"), ExtensionLevel=3, URL=String(url))
        pdf.Root.Extensions = Dictionary({"/XYZW": extension})  # a developer prefix (qpdf rewrites /ADBE)

    return f


LEAKS = {
    "catalogus_lang": (meta(lambda pdf, page: pdf.Root.__setitem__("/Lang", String(PHONE))), "telefoon"),
    "element_lang": (meta(lambda pdf, page: _struct(pdf, page, Lang=String(PHONE))), "telefoon"),
    "extensions": (meta(_extensions("mailto:p.pietersen@example.nl")), "email"),
    "naam": (meta(lambda pdf, page: pdf.Root.__setitem__("/PageMode", Name("/Pietersen#200612345678"))), "telefoon"),
}


# A go-to naming a destination (round 8): the copy renames named destinations and drops a reference to one that
# does not exist (copy.py ``_neutral_destination_names``), so the value never reaches the copy.
NAMED_GOTOS = {
    "link_goto": make(VISIBLE, _link(Dictionary(S=Name.GoTo, D=String(PHONE)))),
    "bladwijzer_goto": meta(_outline(Dictionary(S=Name.GoTo, D=String(PHONE)))),
    "bladwijzer_goto_bsn": meta(_outline(Dictionary(S=Name.GoTo, D=String("bsn 123456782")))),
}


@pytest.mark.parametrize("name", sorted(NAMED_GOTOS))
def test_a_go_to_a_missing_named_destination_leaves_no_name_in_the_copy(name):
    from support.pdfcraft import decoded_streams, published

    copy = published(NAMED_GOTOS[name])
    for value in (b"0612345678", b"123456782"):
        assert value not in copy and value not in decoded_streams(copy)


# What is no element goes from the tag structure (round 11, C02a): a string as an element's kid or as a
# parent-tree value is not in the copy, so there is nothing to refuse.
NOT_KEPT = {
    "parenttree": meta(_parent_tree(String(PHONE))),
    "element_kind": meta(_kid(String("p.pietersen@example.nl"))),
}


@pytest.mark.parametrize("name", sorted(NOT_KEPT))
def test_strings_where_the_tag_structure_holds_elements_are_not_in_the_copy(name):
    from support.pdfcraft import published, secret_in

    copy = published(NOT_KEPT[name])
    assert secret_in(copy, "0612345678") == [] and secret_in(copy, "pietersen@") == []


@pytest.mark.parametrize("name", sorted(LEAKS))
def test_personal_data_in_kept_strings_is_refused(name):
    data, kind = LEAKS[name]
    found = refusing(data)
    assert f"pdf.persoonsgegeven.{kind}" in {f["code"] for f in found}, found
    message = next(f for f in found if f["code"] == f"pdf.persoonsgegeven.{kind}")["message"]
    assert message.startswith("de ") and " bevat " in message
    assert "0612345678" not in message and "pietersen@" not in message  # masked


def test_kept_strings_finding_names_where():
    def named(pdf, page, res, font):
        link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 740, 300, 760]), Dest=String(PHONE))
        page.Annots = Array([pdf.make_indirect(link)])

    found = refusing(make(VISIBLE, named))  # the copy drops it (no such destination), the source is judged too
    assert any("bestemming" in f["message"] for f in found), found
    found = refusing(meta(_parent_tree(Dictionary(Type=Name.StructElem, S=Name.P, E=String(PHONE)))))
    assert any("tagstructuur" in f["message"] for f in found), found
    found = refusing(LEAKS["extensions"][0])
    assert any("/Extensions" in f["message"] for f in found), found


@pytest.mark.parametrize("where", ["catalogus", "element"])
def test_lang_that_is_no_language_tag_is_refused(where):
    def f(pdf, page):
        if where == "catalogus":
            pdf.Root.Lang = String("Pietersen")
        else:
            _struct(pdf, page, Lang=String("Jan Pietersen"))

    found = [x for x in refusing(meta(f)) if x["code"] == "pdf.taalcode"]
    assert found and "taalcode" in found[0]["message"] and "nl-NL" in found[0]["fix"]
    assert "Pietersen" not in found[0]["message"]


def test_language_tags():
    for good in ("nl-NL", "nl", "en-GB", "x-private-1", "", "zh-Hant-TW", "fry"):
        assert is_language_tag(good), good
    for bad in ("Pietersen 0612345678", "Pietersen", "Jansen", "nl_NL", "nl-", "-nl", "nl-" + "a" * 33, "nl\nNL", "nl-NL\x00"):
        assert not is_language_tag(bad), bad


def test_clean_kept_strings_are_accepted():
    def f(pdf, page):
        pdf.Root.Lang = String("nl-NL")
        _struct(pdf, page, Lang=String("en-GB"), T=String("Alinea 1"))
        pdf.Root.StructTreeRoot.ParentTree = Dictionary(Nums=Array([0, Array([pdf.Root.StructTreeRoot.K[0]])]))
        pdf.Root.Dests = Dictionary(hoofdstuk_1=Array([page, Name.XYZ, 0, 792, 0]))
        _outline(Dictionary(S=Name.GoTo, D=String("hoofdstuk_1")))(pdf, page)
        pdf.Root.Extensions = Dictionary(ADBE=Dictionary(BaseVersion=Name("/1.7"), ExtensionLevel=3))
        pdf.Root.PageMode = Name.UseOutlines

    assert not refusing(meta(f))
    assert not refusing(make(VISIBLE, _link(Dictionary(S=Name.GoTo, D=String("hoofdstuk_1")))))


def test_malformed_kept_strings_do_not_crash():
    """Deep nesting, reference loops and control characters: the walk stops, nothing crashes."""

    def f(pdf, page):
        deep = Array([String("0612345678")])
        for _ in range(300):  # deeper than the walk goes
            deep = Array([deep])
        loop = pdf.make_indirect(Dictionary(Alt=String("\x00\x01\x1b[31m 0612345678")))
        loop.K = loop  # an element (only the parent tree names it) that is its own kid
        _struct(pdf, page)
        pdf.Root.StructTreeRoot.ParentTree = Dictionary(Nums=Array([0, Array([loop, deep])]))

    data = meta(f)
    texts = [t.text for t in kept_strings(data, set())]
    assert any("0612345678" in t and "\x1b" in t for t in texts)
    assert "pdf.persoonsgegeven.telefoon" in refusing_codes(data)
    assert kept_strings(b"%PDF-1.4 rommel", set()) == []


# 3. A double-encoded mailto address


def test_double_encoded_mailto_is_refused():
    data = make(VISIBLE, _link(Dictionary(S=Name.URI, URI=String("mailto:p.pietersen%2540example.nl"))))
    assert "pdf.persoonsgegeven.email" in refusing_codes(data)
    data = make(VISIBLE, _link(Dictionary(S=Name.URI, URI=String("mailto:p.pietersen%252540example.nl"))))
    assert "pdf.persoonsgegeven.email" in refusing_codes(data)


def test_web_address_with_escapes_is_accepted():
    data = make(VISIBLE, _link(Dictionary(S=Name.URI, URI=String("https://www.rijksoverheid.nl/zoeken?q=woo%2520besluit"))))
    assert not refusing(data)
