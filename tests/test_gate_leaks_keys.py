"""Gate leaks found by attack (branch attack-gate): custom keys under kept objects (c03-c09) and a
decompression bomb through a filter chain (f01/a28).

Each leak: the crafted PDF's secret is gone from the published copy (read back with pikepdf, every
string, name, key and decoded stream) or the PDF is refused; and a clean counterpart is accepted and
drawn the same (PDFium renders of the source and the copy compared pixel for pixel)."""

from __future__ import annotations

import base64
import binascii
import io
import zlib

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from publish.limits import Limits
from publish.pdfs import _inspect_bytes, _precheck

from support import pdfcraft
from support.pdfcraft import one_page_pdf, published

SECRET = "Geheimwoord"
VISIBLE = b"BT /F1 12 Tf 72 750 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"


def make(contents: bytes, setup=None, compress: bool = True) -> bytes:
    return one_page_pdf(contents, setup, compress)


def secret_in(copy: bytes, word: str = SECRET) -> list[str]:
    return pdfcraft.secret_in(copy, word)


pixels = pdfcraft.pixels


def refused(data: bytes) -> dict:
    result, copy = _inspect_bytes(data)
    assert not result["ok"], result
    assert copy is None
    return result


# -- custom keys under kept entries ------------------------------------------------------------
def _function(secret: bool) -> Dictionary:
    extra = {"Geheim": pikepdf.String(SECRET)} if secret else {}
    return Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array([0.2]), C1=Array([0.8]), N=1, **extra)


def _shading(secret: bool) -> Dictionary:
    extra = {"Geheim": pikepdf.String(SECRET)} if secret else {}
    return Dictionary(
        ShadingType=2, ColorSpace=Name.DeviceGray, Coords=Array([0, 0, 200, 0]), Function=_function(secret), **extra
    )


def c03_properties(secret: bool):
    def setup(pdf, page, res, font):
        entry = Dictionary(MCID=0)
        if secret:
            entry.Geheim = pikepdf.String(SECRET)
            entry.Nested = Dictionary(Deep=pikepdf.String(SECRET))
        res.Properties = Dictionary(MC0=entry)

    return make(VISIBLE + b"/Span /MC0 BDC BT /F1 14 Tf 72 600 Td (Zichtbaar) Tj ET EMC\n", setup)


def c04_shading(secret: bool):
    def setup(pdf, page, res, font):
        res.Shading = Dictionary(Sh1=_shading(secret))

    return make(VISIBLE + b"q 50 50 200 200 re W n /Sh1 sh Q\n", setup)


def c05_transfer_function(secret: bool):
    def setup(pdf, page, res, font):
        res.ExtGState = Dictionary(G=Dictionary(BG=_function(secret)))  # black generation (a transfer function refuses)

    return make(VISIBLE + b"q /G gs 0.5 g 50 50 100 100 re f Q\n", setup)


def c06_font_encoding(secret: bool):
    def setup(pdf, page, res, font):
        extra = {"Geheim": pikepdf.String(SECRET)} if secret else {}
        font.Encoding = Dictionary(
            Type=Name.Encoding, BaseEncoding=Name.WinAnsiEncoding, Differences=Array([65, Name.B]), **extra
        )

    return make(VISIBLE, setup)


def c07_icc_profile(secret: bool):
    def setup(pdf, page, res, font):
        icc = pdf.make_stream(b"\0" * 128)
        icc.N = 1
        icc.Alternate = Name.DeviceGray
        if secret:
            icc.Geheim = pikepdf.String(SECRET)
        lookup = pikepdf.String(b"\x00\x80\xff")
        res.ColorSpace = Dictionary(CS0=Array([Name.ICCBased, icc]), CS1=Array([Name.Indexed, Name.DeviceGray, 2, lookup]))

    return make(VISIBLE + b"/CS0 cs 0.3 sc 50 50 50 50 re f /CS1 cs 1 sc 150 50 50 50 re f\n", setup)


def c08_shading_pattern(secret: bool):
    def setup(pdf, page, res, font):
        extra = {"Geheim": pikepdf.String(SECRET)} if secret else {}
        res.Pattern = Dictionary(P1=Dictionary(PatternType=2, Shading=_shading(secret), **extra))

    return make(VISIBLE + b"/Pattern cs /P1 scn 50 50 200 200 re f\n", setup)


def c09_image_alternates(secret: bool):
    def setup(pdf, page, res, font):
        def image(grey: bytes):
            img = pdf.make_stream(grey)
            img.Type, img.Subtype, img.Width, img.Height = Name.XObject, Name.Image, 1, 1
            img.ColorSpace, img.BitsPerComponent = Name.DeviceGray, 8
            return img

        img = image(b"\x80")
        mask = image(b"\xc0")
        del mask.Type
        img.SMask = mask
        if secret:
            alt = image(b"\xff")
            alt.Geheim = pikepdf.String(SECRET)
            img.Alternates = Array([Dictionary(Image=alt)])
            mask.Geheim = pikepdf.String(SECRET)
            img.DecodeParms = Dictionary(Geheim=pikepdf.String(SECRET))
        res.XObject = Dictionary(Im1=img)

    return make(VISIBLE + b"q 50 0 0 50 50 50 cm /Im1 Do Q\n", setup)


def c10_descendant_font_and_soft_mask(secret: bool):
    """Keys two levels down: a soft mask's transfer function, an ExtGState's /Font, a form's group."""

    def setup(pdf, page, res, font):
        group = pdf.make_stream(b"1 g 0 0 612 792 re f\n")
        group.Type, group.Subtype, group.BBox = Name.XObject, Name.Form, Array([0, 0, 612, 792])
        group.Group = Dictionary(S=Name.Transparency, CS=Name.DeviceGray)
        mask = Dictionary(Type=Name.Mask, S=Name.Luminosity, G=group, TR=_function(secret))
        state = Dictionary(SMask=mask, Font=Array([font, 14]))
        if secret:
            group.Group.Geheim = pikepdf.String(SECRET)
            mask.Geheim = pikepdf.String(SECRET)
            font.Geheim = pikepdf.String(SECRET)
        res.ExtGState = Dictionary(G=state)

    return make(VISIBLE + b"q /G gs 0 g 50 50 100 100 re f Q\n", setup)


def c11_page_group(secret: bool):
    def setup(pdf, page, res, font):
        page.Group = Dictionary(Type=Name.Group, S=Name.Transparency, CS=Name.DeviceRGB)
        if secret:
            page.Group.Geheim = pikepdf.String(SECRET)

    return make(VISIBLE, setup)


CONSTRUCTS = [c03_properties, c04_shading, c05_transfer_function, c06_font_encoding, c07_icc_profile, c08_shading_pattern,
              c09_image_alternates, c10_descendant_font_and_soft_mask, c11_page_group]  # fmt: skip


@pytest.mark.parametrize("build", CONSTRUCTS, ids=lambda f: f.__name__)
def test_custom_keys_under_kept_entries_are_gone_from_the_copy(build):
    data = build(True)
    assert secret_in(data)  # the source carries it
    copy = published(data)
    assert secret_in(copy) == []
    assert pixels(copy) == pixels(build(False))


@pytest.mark.parametrize("build", CONSTRUCTS, ids=lambda f: f.__name__)
def test_clean_counterparts_are_accepted_and_drawn_the_same(build):
    data = build(False)
    copy = published(data)
    assert pixels(copy) == pixels(data)


def test_kept_entries_keep_what_draws_them():
    with pikepdf.open(io.BytesIO(published(c07_icc_profile(True)))) as pdf:
        spaces = pdf.pages[0].Resources.ColorSpace
        icc = spaces.CS0[1]
        assert set(icc.keys()) <= {"/N", "/Alternate", "/Length", "/Filter", "/DecodeParms"} and icc.N == 1
        assert bytes(spaces.CS1[3]) == b"\x00\x80\xff"  # the Indexed lookup table (a string) stays
    with pikepdf.open(io.BytesIO(published(c06_font_encoding(True)))) as pdf:
        encoding = pdf.pages[0].Resources.Font.F1.Encoding
        assert set(encoding.keys()) == {"/Type", "/BaseEncoding", "/Differences"}
    with pikepdf.open(io.BytesIO(published(c09_image_alternates(True)))) as pdf:
        image = pdf.pages[0].Resources.XObject.Im1
        assert "/Alternates" not in image and "/SMask" in image and "/DecodeParms" not in image or not len(image.DecodeParms)
    with pikepdf.open(io.BytesIO(published(c08_shading_pattern(True)))) as pdf:
        pattern = pdf.pages[0].Resources.Pattern.P1
        assert set(pattern.keys()) == {"/PatternType", "/Shading"}
        assert set(pattern.Shading.Function.keys()) == {"/FunctionType", "/Domain", "/C0", "/C1", "/N"}


def _postscript_shading(code: bytes):
    def setup(pdf, page, res, font):
        function = pdf.make_stream(code)
        function.FunctionType, function.Domain, function.Range = 4, Array([0, 1]), Array([0, 1])
        res.Shading = Dictionary(
            Sh1=Dictionary(ShadingType=2, ColorSpace=Name.DeviceGray, Coords=Array([0, 0, 200, 0]), Function=function)
        )

    return make(VISIBLE + b"q 50 50 200 200 re W n /Sh1 sh Q\n", setup)


def test_comments_in_a_postscript_function_are_removed():
    data = _postscript_shading(b"{ 0.5 mul % " + SECRET.encode() + b"\n 0.2 add }")
    copy = published(data)
    assert secret_in(copy) == []
    assert pixels(copy) == pixels(_postscript_shading(b"{ 0.5 mul 0.2 add }"))


def test_postscript_function_without_comments_is_kept_as_is():
    data = _postscript_shading(b"{ 0.5 mul 0.2 add }")
    copy = published(data)
    assert pixels(copy) == pixels(data)
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert pdf.pages[0].Resources.Shading.Sh1.Function.read_bytes() == b"{ 0.5 mul 0.2 add }"


def _with_colour_space(space_maker):
    def setup(pdf, page, res, font):
        res.ColorSpace = Dictionary(CS0=space_maker(pdf))

    return make(VISIBLE + b"/CS0 cs 0.5 sc 50 50 50 50 re f\n", setup)


@pytest.mark.parametrize(
    "space",
    [
        lambda pdf: Array([Name("/Geheimwoord"), Name.DeviceGray]),  # a family the tables do not know
        lambda pdf: Array([Name.Separation, Name.Spot, Name.DeviceGray, Dictionary(FunctionType=7)]),  # unknown function
        lambda pdf: Array([Name.Separation, Name.Spot, Name.DeviceGray, _function(False), pikepdf.String(SECRET)]),
        lambda pdf: Array([Name.CalGray, Dictionary(WhitePoint=Array([1, 1, 1])), pikepdf.String(SECRET)]),
    ],
    ids=["unknown-family", "unknown-function-type", "text-in-separation", "text-in-calgray"],
)
def test_what_the_tables_cannot_judge_is_refused(space):
    assert refused(_with_colour_space(space))["error_code"] == "pdf.onleesbaar"


def test_a_postscript_xobject_is_refused():
    def setup(pdf, page, res, font):
        code = pdf.make_stream(b"(" + SECRET.encode() + b") show")
        code.Type, code.Subtype = Name.XObject, Name.PS
        res.XObject = Dictionary(P=code)

    assert refused(make(VISIBLE + b"/P Do\n", setup))["error_code"] == "pdf.onleesbaar"


def _stitched_shading(depth: int, cycle: bool):
    def setup(pdf, page, res, font):
        inner = pdf.make_indirect(_function(True))
        function = inner
        for _ in range(depth):
            function = pdf.make_indirect(
                Dictionary(FunctionType=3, Domain=Array([0, 1]), Functions=Array([function]), Bounds=Array([]),
                           Encode=Array([0, 1]), Geheim=pikepdf.String(SECRET))
            )  # fmt: skip
        if cycle:
            inner.Functions = Array([function])  # a loop back to the outermost function
        res.Shading = Dictionary(
            Sh1=Dictionary(ShadingType=2, ColorSpace=Name.DeviceGray, Coords=Array([0, 0, 200, 0]), Function=function)
        )

    return make(VISIBLE + b"q 50 50 200 200 re W n /Sh1 sh Q\n", setup)


def test_shared_and_cyclic_objects_are_cleaned_once():
    copy = published(_stitched_shading(3, cycle=True))
    assert secret_in(copy) == []


def test_objects_nested_beyond_the_depth_limit_are_refused_not_crashed():
    assert refused(_stitched_shading(400, cycle=False))["error_code"] == "pdf.onleesbaar"


def test_separation_colour_space_is_accepted():
    data = _with_colour_space(lambda pdf: Array([Name.Separation, Name.Spot, Name.DeviceGray, _function(False)]))
    assert pixels(published(data)) == pixels(data)


def test_link_border_style_keeps_only_its_keys():
    def setup(pdf, page, res, font):
        link = Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 740, 300, 760]), Border=Array([0, 0, 1]),
            BS=Dictionary(W=1, S=Name.S, Geheim=pikepdf.String(SECRET)), C=Array([0, 0, 1]),
            A=Dictionary(S=Name.URI, URI=pikepdf.String("https://example.org/")),
        )  # fmt: skip
        page.Annots = Array([pdf.make_indirect(link)])

    copy = published(make(VISIBLE, setup))
    assert secret_in(copy) == []
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        link = pdf.pages[0].Annots[0]
        assert set(link.BS.keys()) == {"/W", "/S"} and list(link.C) == [0, 0, 1]


# -- decompression bombs through filter chains -------------------------------------------------
LIMIT = Limits(pdf_stream_bytes=1024 * 1024)  # 1 MB: the bombs stay small and quick


def _with_stream(raw: bytes, filters, parms=None) -> bytes:
    def setup(pdf, page, res, font):
        stream = pikepdf.Stream(pdf, raw)
        stream.Filter = filters
        if parms is not None:
            stream.DecodeParms = parms
        page.Resources.Properties = Dictionary(Unused=pdf.make_indirect(stream))  # referenced, never drawn

    return make(VISIBLE, setup, compress=False)


def _lzw(data: bytes) -> bytes:
    from pypdf._codecs._codecs import LzwCodec

    return LzwCodec().encode(data)


BIG = b"\0" * (3 * 1024 * 1024)  # 3 MB unpacked, over the 1 MB limit
SMALL = b"\0" * (512 * 1024)  # 0.5 MB, under it


@pytest.mark.parametrize(
    "encode, filters",
    [
        (lambda d: zlib.compress(zlib.compress(d, 9), 9), Array([Name.FlateDecode, Name.FlateDecode])),
        (lambda d: zlib.compress(zlib.compress(zlib.compress(d, 9), 9), 9), Array([Name.Fl, Name.Fl, Name.Fl])),
        (lambda d: base64.a85encode(zlib.compress(d, 9)) + b"~>", Array([Name.ASCII85Decode, Name.FlateDecode])),
        (lambda d: binascii.hexlify(zlib.compress(zlib.compress(d, 9), 9)) + b">",
         Array([Name.ASCIIHexDecode, Name.FlateDecode, Name.FlateDecode])),
        (lambda d: zlib.compress(b"\x81\0" * (len(d) // 128), 9), Array([Name.FlateDecode, Name.RunLengthDecode])),
        (lambda d: zlib.compress(_lzw(d), 9), Array([Name.FlateDecode, Name.LZWDecode])),
    ],
    ids=["flate-flate", "flate-x3-abbreviated", "a85-flate", "hex-flate-flate", "flate-runlength", "flate-lzw"],
)  # fmt: skip
def test_every_layer_of_a_filter_chain_is_counted(encode, filters):
    bomb = _with_stream(encode(BIG), filters)
    result = _precheck(bomb, LIMIT)
    assert result is not None and result["error_code"] == "limiet.pdf_stroom", result
    assert _precheck(_with_stream(encode(SMALL), filters), LIMIT) is None  # the same chain under the limit


def test_the_attackers_300_mb_image_is_refused_with_the_default_limit():
    side = 10000
    twice = zlib.compress(zlib.compress(b"\xff" * (side * side * 3), 9), 9)  # 300 MB in about 1.6 kB

    def setup(pdf, page, res, font):
        img = pikepdf.Stream(pdf, twice)
        img.Type, img.Subtype, img.Width, img.Height = Name.XObject, Name.Image, side, side
        img.ColorSpace, img.BitsPerComponent = Name.DeviceRGB, 8
        img.Filter = Array([Name.FlateDecode, Name.FlateDecode])
        res.XObject = Dictionary(Im1=img)

    data = make(VISIBLE + b"q 100 0 0 100 300 300 cm /Im1 Do Q\n", setup, compress=False)
    assert len(data) < 5000
    result = _precheck(data, Limits())
    assert result is not None and result["error_code"] == "limiet.pdf_stroom"


@pytest.mark.parametrize(
    "filters, parms, why",
    [
        (Name("/Geheimfilter"), None, "Geheimfilter"),
        (Array([Name.FlateDecode, Name("/Geheimfilter")]), None, "Geheimfilter"),
        (Array([Name.DCTDecode, Name.FlateDecode]), None, "DCTDecode midden in een reeks"),
        (Array([Name.FlateDecode, Name.FlateDecode]), Array([Dictionary(Predictor=12, Columns=4), None]), "voorspeller"),
        (pikepdf.String("FlateDecode"), None, "geen naam"),
        (Array([Name.FlateDecode] * 5), None, "5 filters na elkaar"),
    ],
    ids=["unknown", "unknown-in-chain", "image-codec-first", "predictor-mid-chain", "filter-is-text", "long-chain"],
)
def test_filters_the_precheck_cannot_bound_are_refused(filters, parms, why):
    result = _precheck(_with_stream(zlib.compress(zlib.compress(b"\0" * 100)), filters, parms), LIMIT)
    assert result is not None and result["error_code"] == "pdf.onleesbaar", result
    assert why in result["error"] and "Maak de pdf opnieuw" in result["error"]


@pytest.mark.parametrize(
    "raw, filters, parms",
    [
        (zlib.compress(b"\x80\x40" * 4000), Array([Name.FlateDecode, Name.DCTDecode]), None),  # image codec last
        (zlib.compress(b"\2\0\0\0\0" * 1000), Name.FlateDecode, Dictionary(Predictor=12, Columns=4)),  # predictor last
        (b"\x7f" + b"a" * 128 + b"\x80", Name.RunLengthDecode, None),
        (b"", Array([]), None),
    ],
    ids=["flate-then-dct", "png-predictor", "runlength", "empty-chain"],
)
def test_boundable_chains_pass_the_precheck(raw, filters, parms):
    assert _precheck(_with_stream(raw, filters, parms), LIMIT) is None


def test_reportlab_streams_pass_the_precheck_and_the_gate():
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)  # reportlab writes [/ASCII85Decode /FlateDecode] streams
    for i in range(400):
        page.drawString(72, 800 - (i % 60) * 12, f"Regel {i} van een gewone brief met tekst die doorloopt.")
        if i % 60 == 59:
            page.showPage()
    page.save()
    data = out.getvalue()
    assert b"ASCII85Decode" in data
    assert _precheck(data, Limits()) is None
    assert _precheck(data, Limits(pdf_stream_bytes=1024)) is not None  # counted through both layers
    result, _copy = _inspect_bytes(data)
    assert result["ok"]


def test_a_copy_refusal_tells_staff_why_in_dutch():
    """What the copy cannot clean reaches staff as its own Dutch reason with a fix, not an exception name."""
    from publish.pdfs import _inspect_bytes

    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(ColorSpace=pikepdf.Dictionary(CS0=pikepdf.Array([pikepdf.Name("/Weird"), 1])))
    page.Contents = pdf.make_stream(b"/CS0 cs 0 scn 0 0 10 10 re f")
    out = io.BytesIO()
    pdf.save(out)
    result, published = _inspect_bytes(out.getvalue())
    assert published is None and result["ok"] is False
    assert "kleurruimte is van onbekende soort" in result["error"] and "Maak de pdf opnieuw" in result["error"]
    assert "CopyError" not in result["error"]
