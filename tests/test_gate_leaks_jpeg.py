"""Leak r39: a JPEG image's metadata (EXIF owner, description and GPS position, XMP, comments, bytes after
the end) reached the published copy, which copied image data byte for byte. The copy now keeps of a
JPEG only what decoding needs; the image draws the same, a JPEG without metadata stays byte for byte."""

from __future__ import annotations

import base64
import io
import zlib

import numpy as np
import pikepdf
import pypdfium2
import pytest
from pikepdf import Array, Dictionary, Name
from PIL import Image, ImageCms

from publish.gate.copy import CopyError, jpeg_without_metadata
from publish.pdfs import _inspect_bytes

SECRETS = [b"Pietersen", b"0612345678", b"123456782", b"p.pietersen@example.nl", b"Geheim XMP", b"GPS-Geheim"]
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Geheim XMP Pietersen"/></rdf:RDF></x:xmpmeta>'
)


def _picture(mode: str = "RGB") -> Image.Image:
    img = Image.new("RGB", (48, 32))
    img.putdata([((x * 5) % 256, (y * 8) % 256, ((x + y) * 3) % 256) for y in range(32) for x in range(48)])
    return img.convert(mode)


def _jpeg(mode: str = "RGB", metadata: bool = True, **save) -> bytes:
    buf = io.BytesIO()
    if metadata:
        exif = Image.Exif()
        exif[0x013B] = "P. Pietersen 0612345678"  # Artist
        exif[0x010E] = "BSN 123456782 p.pietersen@example.nl"  # ImageDescription
        exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 1.0, 0.0), 3: "E", 4: (4.0, 52.0, 1.0), 18: "GPS-Geheim"})  # GPS, datum
        save.update(exif=exif.tobytes(), comment=b"Pietersen 0612345678")
    _picture(mode).save(buf, "JPEG", quality=90, **save)
    data = buf.getvalue()
    if metadata:  # an XMP packet after SOI, bytes after EOI
        xmp = b"http://ns.adobe.com/xap/1.0/\x00" + XMP
        data = data[:2] + b"\xff\xe1" + (len(xmp) + 2).to_bytes(2, "big") + xmp + data[2:] + b"Pietersen 0612345678 na EOI"
    return data


def _pdf(jpeg: bytes, filters=None, colorspace=Name.DeviceRGB, encoded: bytes | None = None, parms=None) -> bytes:
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(300, 200))
    image = pdf.make_stream(encoded if encoded is not None else jpeg)
    image.Type, image.Subtype, image.Width, image.Height = Name.XObject, Name.Image, 48, 32
    image.ColorSpace, image.BitsPerComponent = colorspace, 8
    image.Filter = filters if filters is not None else Name.DCTDecode
    if parms is not None:
        image.DecodeParms = parms
    if colorspace == Name.DeviceCMYK:
        image.Decode = Array([1, 0, 1, 0, 1, 0, 1, 0])  # Adobe CMYK JPEGs are stored inverted
    page.obj.Resources = Dictionary(XObject=Dictionary(Im1=image))
    page.obj.Contents = pdf.make_stream(b"q 240 0 0 160 30 20 cm /Im1 Do Q\n")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _render(data: bytes) -> np.ndarray:
    doc = pypdfium2.PdfDocument(data)
    try:
        return doc[0].render(scale=2).to_numpy().copy()
    finally:
        doc.close()


def _image_bytes(published: bytes) -> tuple[bytes, object]:
    with pikepdf.open(io.BytesIO(published)) as pdf:
        image = next(iter(pdf.pages[0].obj.Resources.XObject.values()))
        return image.read_raw_bytes(), image.get(Name.Filter)


def _publish(data: bytes) -> bytes:
    result, published = _inspect_bytes(data)
    assert result["ok"], result
    assert published is not None
    return published


def _assert_clean(published: bytes) -> bytes:
    raw, _ = _image_bytes(published)
    for secret in SECRETS:
        assert secret not in raw, secret
        assert secret not in published, secret
    for marker in (b"\xff\xe1", b"\xff\xfe", b"Exif\x00", b"http://ns.adobe.com/xap"):
        assert marker not in raw[: raw.find(b"\xff\xda")], marker
    assert raw.endswith(b"\xff\xd9")
    return raw


@pytest.mark.parametrize("mode", ["RGB", "L", "CMYK"])
def test_jpeg_metadata_is_dropped_and_the_image_draws_the_same(mode):
    jpeg = _jpeg(mode)
    assert all(secret in jpeg for secret in SECRETS)
    space = {"RGB": Name.DeviceRGB, "L": Name.DeviceGray, "CMYK": Name.DeviceCMYK}[mode]
    data = _pdf(jpeg, colorspace=space)
    published = _publish(data)
    raw = _assert_clean(published)
    if mode == "CMYK":
        assert b"\xff\xee\x00\x0eAdobe" in raw[:200]  # APP14 kept: the colour transform of a CMYK JPEG
    before = _render(data)
    assert before.std() > 20  # the image is drawn
    assert np.array_equal(before, _render(published))
    # the cleaned JPEG still decodes to the same pixels outside the PDF too
    assert Image.open(io.BytesIO(raw)).tobytes() == Image.open(io.BytesIO(jpeg)).tobytes()


@pytest.mark.parametrize("save", [{"progressive": True}, {"restart_marker_blocks": 1}, {"subsampling": 0}])
def test_progressive_and_restart_jpeg_draw_the_same(save):
    jpeg = _jpeg(**save)
    data = _pdf(jpeg)
    published = _publish(data)
    raw = _assert_clean(published)
    assert np.array_equal(_render(data), _render(published))
    assert Image.open(io.BytesIO(raw)).tobytes() == Image.open(io.BytesIO(jpeg)).tobytes()


def test_icc_profile_in_jpeg_goes_and_colours_stay():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    jpeg = _jpeg(icc_profile=icc)
    data = _pdf(jpeg)
    published = _publish(data)
    raw = _assert_clean(published)
    assert b"ICC_PROFILE" not in raw
    assert np.array_equal(_render(data), _render(published))


@pytest.mark.parametrize("wrapper", ["/ASCII85Decode", "/FlateDecode"])
def test_jpeg_wrapped_in_another_filter_is_cleaned_and_written_as_plain_dct(wrapper):
    jpeg = _jpeg()
    if wrapper == "/ASCII85Decode":
        encoded = base64.a85encode(jpeg, adobe=True)[2:]  # PDF's ASCII85: no leading <~
    else:
        encoded = zlib.compress(jpeg)
    assert b"Pietersen" not in encoded
    parms = Array([pikepdf.Dictionary(), Dictionary(ColorTransform=1)])
    data = _pdf(jpeg, filters=Array([Name(wrapper), Name.DCTDecode]), encoded=encoded, parms=parms)
    published = _publish(data)
    _assert_clean(published)
    with pikepdf.open(io.BytesIO(published)) as pdf:
        image = next(iter(pdf.pages[0].obj.Resources.XObject.values()))
        assert image.Filter == Name.DCTDecode
        assert image.DecodeParms.ColorTransform == 1
    assert np.array_equal(_render(data), _render(published))


def test_clean_jpeg_is_copied_byte_for_byte():
    jpeg = _jpeg(metadata=False)
    assert jpeg_without_metadata(jpeg) is None
    assert jpeg_without_metadata(jpeg + b"\r\n") is None  # a blank after EOI is no metadata
    published = _publish(_pdf(jpeg))
    raw, filters = _image_bytes(published)
    assert raw == jpeg and filters == Name.DCTDecode


def test_jpeg_without_metadata_unit_cases():
    jpeg = _jpeg(metadata=False)
    # fill bytes before a marker and bytes after EOI go; the picture data stays
    sos = jpeg.find(b"\xff\xda")
    assert jpeg_without_metadata(jpeg[:sos] + b"\xff\xff" + jpeg[sos:]) == jpeg
    assert jpeg_without_metadata(jpeg + b"Pietersen") == jpeg
    # a JFIF thumbnail goes with the thumbnail dimensions set to 0
    app0 = jpeg[2 : 2 + 18]
    assert app0[4:9] == b"JFIF\x00"
    thumb = b"\xff\xe0" + (16 + 3).to_bytes(2, "big") + app0[4:16] + b"\x01\x01" + b"abc"
    assert jpeg_without_metadata(jpeg[:2] + thumb + jpeg[20:]) == jpeg[:2] + app0 + jpeg[20:]
    # no end marker after the scan: kept as it is (a viewer shows what it read)
    assert jpeg_without_metadata(jpeg[:-2]) is None
    # long runs of 0xFF in the picture data (fill bytes, stuffed 0xFF00): read in linear time, kept
    for run in (b"\xff" * 2_000_000 + b"\x00", b"\xff\xff\x00" * 500_000, b"\xff\xd0" * 500_000):
        assert jpeg_without_metadata(jpeg[:-2] + run + b"\xff\xd9") is None
    assert jpeg_without_metadata(jpeg[:-2] + b"\xff" * 2_000_000) is None


@pytest.mark.parametrize(
    "bad",
    [
        b"",
        b"\xff\xd8",
        b"Pietersen",
        b"\xff\xd8" + b"\xff" * 100_000,
        b"\xff\xd8\xff\xe1\x00",
        b"\xff\xd8\xff\xe1\x40\x00Exif\x00\x00Pietersen",
        b"\xff\xd8\xff\xe1\x00\x01",
        b"\xff\xd8\x00\x00Pietersen\xff\xd9",
        b"\xff\xd8\xff\xf0\x00\x04ab\xff\xd9",
        b"\xff\xd8\xff\xd0\xff\xd9",
        b"\xff\xd8\xff\xda\x00\x02data\xff\xd9",
    ],
)
def test_malformed_jpeg_is_refused(bad):
    with pytest.raises(CopyError, match="JPEG-afbeelding"):
        jpeg_without_metadata(bad)


def test_malformed_or_truncated_jpeg_in_a_pdf_is_judged_without_crash():
    jpeg = _jpeg()
    result, published = _inspect_bytes(_pdf(jpeg[: jpeg.find(b"\xff\xdb") + 10]))  # cut inside a table
    assert not result["ok"] and published is None
    assert "JPEG-afbeelding" in result["error"] and "Maak de pdf opnieuw" in result["error"]
    cut = jpeg[: jpeg.find(b"\xff\xda") + 200]  # cut inside the picture data: metadata still goes
    published = _publish(_pdf(cut))
    raw, _ = _image_bytes(published)
    assert not any(secret in raw or secret in published for secret in SECRETS)
    # DCT not as the last filter: refused
    result, published = _inspect_bytes(_pdf(jpeg, filters=Array([Name.DCTDecode, Name.FlateDecode])))
    assert not result["ok"] and published is None and "DCTDecode" in result["error"]
