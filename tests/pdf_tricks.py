"""Low-level PDFs for the gate tests: every known way of hiding text, and a clean counterpart for each
cover (the same cover drawn beside the text instead of over it).

Pages are built with pypdf objects and raw content streams, the way a careful attacker (or an odd
producer) writes them. Each builder returns the bytes of a one-page A4 PDF that also carries a line of
ordinary visible text.
"""

from __future__ import annotations

import io
import zlib

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

SECRET = "Jan de Vries woont hier"  # drawn at (100, 700), Helvetica 12: about 100..230 x 697..709
VISIBLE = "Dit is een gewoon document met zichtbare tekst."


def _n(value) -> NameObject:
    return NameObject(value if value.startswith("/") else "/" + value)


def _font(base: str) -> DictionaryObject:
    font = DictionaryObject({_n("Type"): _n("Font"), _n("Subtype"): _n("Type1"), _n("BaseFont"): _n(base)})
    if base not in ("ZapfDingbats", "Symbol"):
        font[_n("Encoding")] = _n("WinAnsiEncoding")
    return font


def _stream(writer: PdfWriter, data: bytes, extra: dict | None = None):
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in (extra or {}).items():
        stream[_n(key)] = value
    return writer._add_object(stream)


def _raw_stream(writer: PdfWriter, data: bytes, extra: dict) -> object:
    """A stream whose data is written as is (already Flate-compressed image samples)."""
    stream = StreamObject()
    stream._data = zlib.compress(data)
    stream[_n("Filter")] = _n("FlateDecode")
    for key, value in extra.items():
        stream[_n(key)] = value
    return writer._add_object(stream)


def _nums(*values) -> ArrayObject:
    return ArrayObject([FloatObject(v) if isinstance(v, float) else NumberObject(v) for v in values])


def page(content: str, build=None) -> bytes:
    """One A4 page: a visible line, then ``content`` (raw operators). ``build(writer, resources, page)``
    may add resources (fonts /F1 Helvetica and /ZaDb ZapfDingbats are always there)."""
    writer = PdfWriter()
    pg = writer.add_blank_page(595, 842)
    resources = DictionaryObject(
        {
            _n("Font"): DictionaryObject(
                {_n("F1"): writer._add_object(_font("Helvetica")), _n("ZaDb"): writer._add_object(_font("ZapfDingbats"))}
            )
        }
    )
    pg[_n("Resources")] = resources
    if build is not None:
        build(writer, resources, pg)
    head = f"BT /F1 11 Tf 72 780 Td ({VISIBLE}) Tj ET\n"
    pg[_n("Contents")] = _stream(writer, (head + content).encode("latin-1"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text(x: float = 100, y: float = 700, words: str = SECRET, mode: int = 0, colour: str = "0 g", size: float = 12) -> str:
    return f"BT /F1 {size} Tf {mode} Tr {colour} {x} {y} Td ({words}) Tj ET\n"


def _resource(resources: DictionaryObject, kind: str, name: str, value) -> None:
    if _n(kind) not in resources:
        resources[_n(kind)] = DictionaryObject()
    resources[_n(kind)][_n(name)] = value


# -- text that is itself invisible ------------------------------------------------------------------


def render_mode(mode: int) -> bytes:
    return page(text(mode=mode))


def tiny_clip() -> bytes:
    return page("q 100 700 0.2 0.2 re W n " + text() + "Q\n")


def alpha_zero() -> bytes:
    def build(writer, resources, pg):
        _resource(resources, "ExtGState", "GS0", DictionaryObject({_n("ca"): FloatObject(0), _n("CA"): FloatObject(0)}))

    return page("q /GS0 gs " + text() + "Q\n", build)


def luminosity_mask() -> bytes:
    """A luminosity soft mask whose group is black: the mask is zero everywhere, nothing shows."""

    def build(writer, resources, pg):
        group = _stream(
            writer,
            b"0 g 0 0 595 842 re f",
            {
                "Type": _n("XObject"),
                "Subtype": _n("Form"),
                "BBox": _nums(0, 0, 595, 842),
                "Group": DictionaryObject({_n("S"): _n("Transparency"), _n("CS"): _n("DeviceGray")}),
            },
        )
        mask = DictionaryObject({_n("Type"): _n("Mask"), _n("S"): _n("Luminosity"), _n("G"): group})
        _resource(resources, "ExtGState", "GS0", DictionaryObject({_n("SMask"): mask}))

    return page("q /GS0 gs " + text() + "Q\n", build)


def indexed_white() -> bytes:
    def build(writer, resources, pg):
        space = ArrayObject([_n("Indexed"), _n("DeviceRGB"), NumberObject(1), TextStringObject("")])
        from pypdf.generic import ByteStringObject

        space[3] = ByteStringObject(b"\xff\xff\xff\x00\x00\x00")
        _resource(resources, "ColorSpace", "CS0", space)

    return page(text(colour="/CS0 cs 0 scn"), build)


def white_on_white() -> bytes:
    return page(text(colour="1 g"))


def tiny_text() -> bytes:
    return page(text(size=0.3))


def outside_page() -> bytes:
    return page(text(y=2000))


# -- covers: each has a clean variant that draws the same cover beside the text ---------------------


def _placed(cover: str, beside: bool) -> str:
    """``cover`` is drawn around (95..300, 690..720); beside it moves 300 points down."""
    shifted = f"q 1 0 0 1 0 -300 cm {cover} Q\n" if beside else f"q {cover} Q\n"
    return text() + shifted


def stroked_line(beside: bool = False) -> bytes:
    return page(_placed("0 G 24 w 95 703 m 300 703 l S", beside))


def curved_fill(beside: bool = False) -> bytes:
    return page(_placed("0 g 95 703 m 95 725 300 725 300 703 c 300 681 95 681 95 703 c f", beside))


def black_box(beside: bool = False) -> bytes:
    return page(_placed("0 g 95 692 210 22 re f", beside))


def clipped_shading(beside: bool = False) -> bytes:
    def build(writer, resources, pg):
        function = DictionaryObject(
            {
                _n("FunctionType"): NumberObject(2),
                _n("Domain"): _nums(0, 1),
                _n("C0"): _nums(0, 0, 0),
                _n("C1"): _nums(0.1, 0.1, 0.1),
                _n("N"): NumberObject(1),
            }
        )
        shading = DictionaryObject(
            {
                _n("ShadingType"): NumberObject(2),
                _n("ColorSpace"): _n("DeviceRGB"),
                _n("Coords"): _nums(0, 0, 595, 0),
                _n("Function"): function,
                _n("Extend"): ArrayObject([NameObject("true"), NameObject("true")]),
            }
        )
        from pypdf.generic import BooleanObject

        shading[_n("Extend")] = ArrayObject([BooleanObject(True), BooleanObject(True)])
        _resource(resources, "Shading", "Sh0", writer._add_object(shading))

    return page(_placed("95 692 210 22 re W n /Sh0 sh", beside), build)


def _black_image(writer, smask: bool):
    extra = {
        "Type": _n("XObject"),
        "Subtype": _n("Image"),
        "Width": NumberObject(8),
        "Height": NumberObject(8),
        "ColorSpace": _n("DeviceGray"),
        "BitsPerComponent": NumberObject(8),
    }
    if smask:
        extra["SMask"] = _raw_stream(
            writer,
            b"\xff" * 64,
            {
                "Type": _n("XObject"),
                "Subtype": _n("Image"),
                "Width": NumberObject(8),
                "Height": NumberObject(8),
                "ColorSpace": _n("DeviceGray"),
                "BitsPerComponent": NumberObject(8),
            },
        )
    return _raw_stream(writer, b"\x00" * 64, extra)


def image_with_smask(beside: bool = False) -> bytes:
    def build(writer, resources, pg):
        _resource(resources, "XObject", "Im0", _black_image(writer, smask=True))

    return page(_placed("210 0 0 22 95 692 cm /Im0 Do", beside), build)


def stencil_mask(beside: bool = False) -> bytes:
    def build(writer, resources, pg):
        _resource(
            resources,
            "XObject",
            "Im0",
            _raw_stream(
                writer,
                b"\x00" * 8,
                {
                    "Type": _n("XObject"),
                    "Subtype": _n("Image"),
                    "Width": NumberObject(8),
                    "Height": NumberObject(8),
                    "ImageMask": NameObject("true"),
                    "BitsPerComponent": NumberObject(1),
                },
            ),
        )
        from pypdf.generic import BooleanObject

        resources["/XObject"]["/Im0"].get_object()[_n("ImageMask")] = BooleanObject(True)

    return page(_placed("0 g 210 0 0 22 95 692 cm /Im0 Do", beside), build)


def zapf_squares(beside: bool = False) -> bytes:
    """Black ZapfDingbats squares ('n' is a filled square) drawn as text over the words."""
    squares = "BT /ZaDb 14 Tf 0 g 98 698 Td -2 Tc (nnnnnnnnnnnnnnnnn) Tj ET"
    return page(_placed(squares, beside))


def link_with_black_appearance(beside: bool = False) -> bytes:
    def build(writer, resources, pg):
        y0 = 692 - (300 if beside else 0)
        appearance = _stream(
            writer, b"0 g 0 0 210 22 re f", {"Type": _n("XObject"), "Subtype": _n("Form"), "BBox": _nums(0, 0, 210, 22)}
        )
        action = DictionaryObject({_n("S"): _n("URI"), _n("URI"): TextStringObject("https://www.example.nl/")})
        link = DictionaryObject(
            {
                _n("Type"): _n("Annot"),
                _n("Subtype"): _n("Link"),
                _n("Rect"): _nums(95, y0, 305, y0 + 22),
                _n("A"): action,
                _n("AP"): DictionaryObject({_n("N"): appearance}),
                _n("Border"): _nums(0, 0, 0),
            }
        )
        pg[_n("Annots")] = ArrayObject([writer._add_object(link)])

    return page(text(), build)


def layer(state: str = "/OFF", base_state: bool = True) -> bytes:
    """The words in an optional-content layer; off through ``/D /BaseState /OFF`` (or an /OFF array)."""
    holder = {}

    def build(writer, resources, pg):
        ocg = writer._add_object(DictionaryObject({_n("Type"): _n("OCG"), _n("Name"): TextStringObject("Onbewerkt")}))
        holder["ocg"] = ocg
        _resource(resources, "Properties", "L1", ocg)
        default = DictionaryObject({_n("Order"): ArrayObject([ocg])})
        if base_state:
            default[_n("BaseState")] = _n(state)
        else:
            default[_n(state)] = ArrayObject([ocg])
        writer._root_object[_n("OCProperties")] = DictionaryObject({_n("OCGs"): ArrayObject([ocg]), _n("D"): default})

    return page("/OC /L1 BDC " + text() + "EMC\n", build)


def scan_with_ocr(blacked_out: bool) -> bytes:
    """An OCR-style page: a scanned image with printed words, invisible text laid over them. With
    ``blacked_out`` the part under the words is a black bar in the scan (redacted on paper)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1000, 60), 255)
    drawing = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=40)
    except TypeError:  # older Pillow
        font = ImageFont.load_default()
    drawing.text((20, 5), SECRET, fill=0, font=font)
    if blacked_out:
        drawing.rectangle((0, 0, 1000, 60), fill=0)
    samples = image.tobytes()

    def build(writer, resources, pg):
        _resource(
            resources,
            "XObject",
            "Scan",
            _raw_stream(
                writer,
                samples,
                {
                    "Type": _n("XObject"),
                    "Subtype": _n("Image"),
                    "Width": NumberObject(1000),
                    "Height": NumberObject(60),
                    "ColorSpace": _n("DeviceGray"),
                    "BitsPerComponent": NumberObject(8),
                },
            ),
        )

    return page("q 250 0 0 15 95 697 cm /Scan Do Q\n" + text(y=700, mode=3, size=11), build)


HIDDEN = {
    "render_mode_3": lambda: render_mode(3),
    "render_mode_7": lambda: render_mode(7),
    "tiny_clip": tiny_clip,
    "alpha_zero": alpha_zero,
    "luminosity_mask": luminosity_mask,
    "indexed_white": indexed_white,
    "white_on_white": white_on_white,
    "tiny_text": tiny_text,
    "outside_page": outside_page,
    "black_box": black_box,
    "stroked_line": stroked_line,
    "curved_fill": curved_fill,
    "clipped_shading": clipped_shading,
    "image_with_smask": image_with_smask,
    "stencil_mask": stencil_mask,
    "link_appearance": link_with_black_appearance,
    "zapf_squares": zapf_squares,
    "layer_base_state_off": layer,
    "layer_off_array": lambda: layer("/OFF", base_state=False),
}

COVERS = {
    "black_box": black_box,
    "stroked_line": stroked_line,
    "curved_fill": curved_fill,
    "clipped_shading": clipped_shading,
    "image_with_smask": image_with_smask,
    "stencil_mask": stencil_mask,
    "link_appearance": link_with_black_appearance,
    "zapf_squares": zapf_squares,
}
