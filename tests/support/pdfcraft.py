"""Hand-made one-page PDFs for the gate's leak tests (pikepdf, so any construct can be placed exactly),
the gate's verdict on them (``verdict``, ``accepted``, ``published``, ``refusing``) and the decoded streams of
a published copy (to prove a secret is gone from every stream)."""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name


def font_descriptor(name: str, flags: int = 32, **extra) -> Dictionary:
    """A plain font descriptor (no font program) for hand-made font dictionaries: ``flags`` 32 is nonsymbolic,
    4 symbolic; ``extra`` adds keys such as ``FontFamily``."""
    return Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name("/" + name),
        Flags=flags,
        FontBBox=Array([0, -200, 1000, 900]),
        ItalicAngle=0,
        Ascent=900,
        Descent=-200,
        CapHeight=700,
        StemV=80,
        **extra,
    )


def helvetica(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """Helvetica (not embedded, WinAnsi), the font of the visible line in the leak tests."""
    return pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
    )


def one_page_pdf(contents: bytes, setup=None, compress: bool = True) -> bytes:
    """A one-page PDF with Helvetica as /F1; ``setup(pdf, page, resources, font)`` adds the construct."""
    pdf = pikepdf.new()
    font = helvetica(pdf)
    page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 612, 792]), Resources=Dictionary(Font=Dictionary(F1=font)))
    pdf.pages.append(pikepdf.Page(page))
    page = pdf.pages[0].obj
    page.Contents = pdf.make_stream(contents)
    if setup:
        setup(pdf, page, page.Resources, font)
    out = io.BytesIO()
    pdf.save(out, compress_streams=compress)
    return out.getvalue()


def page_with(contents: bytes, setup=None, **resources) -> bytes:
    """A one-page PDF with Helvetica as /F1; ``resources``: extra resource categories (a value may be a
    function of the pdf, to make indirect objects); ``setup(pdf, page)`` may add more."""
    pdf = pikepdf.new()
    res = Dictionary(Font=Dictionary(F1=helvetica(pdf)))
    for category, entries in resources.items():
        res[Name("/" + category)] = Dictionary({"/" + k: (v(pdf) if callable(v) else v) for k, v in entries.items()})
    pdf.pages.append(pikepdf.Page(Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 612, 792]), Resources=res)))
    page = pdf.pages[0].obj
    page.Contents = pdf.make_stream(contents)
    if setup:
        setup(pdf, page)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def verdict(data: bytes) -> tuple[dict, bytes | None]:
    """The gate's result for ``data`` and the copy it would publish; the PDF must be readable."""
    from publish.pdfs import _inspect_bytes

    result, copy = _inspect_bytes(data)
    assert result["ok"], result
    return result, copy


def inspected(data: bytes) -> dict:
    """The gate's result for a readable PDF."""
    return verdict(data)[0]


def errors_by_code(result: dict) -> dict[str, dict]:
    """The refusing findings (severity 'fout') of a result, by their code."""
    return {f["code"]: f for f in result["findings"] if f["severity"] == "fout"}


def refused(data: bytes, *codes: str) -> dict:
    """The package is refused (not readable, or an error finding); ``codes``: one of them is among the reasons."""
    from publish.pdfs import _inspect_bytes

    result, _ = _inspect_bytes(data)
    found = {f["code"] for f in result.get("findings", []) if f["severity"] == "fout"}
    if not result["ok"]:
        found.add(result["error_code"])
    assert found, result
    if codes:
        assert found & set(codes), (found, result)
    return result


def refusing(data: bytes) -> list[dict]:
    """The refusing findings of a readable PDF."""
    return [f for f in inspected(data)["findings"] if f["severity"] == "fout"]


def refusing_codes(data: bytes) -> set[str]:
    return {f["code"] for f in refusing(data)}


def accepted(data: bytes, visible: str = "gewone zichtbare regel") -> tuple[dict, bytes]:
    """Result and copy of a PDF the gate accepts, whose ``visible`` line it read."""
    result, copy = verdict(data)
    assert not [f for f in result["findings"] if f["severity"] == "fout"], result["findings"]
    assert visible in result["texts"][0]
    assert copy is not None
    return result, copy


def published(data: bytes) -> bytes:
    """The copy of an accepted PDF (no refusing finding)."""
    result, copy = verdict(data)
    assert not [f for f in result["findings"] if f["severity"] == "fout"], result["findings"]
    assert copy is not None
    return copy


def decoded_streams(published: bytes) -> bytes:
    """Every stream of a PDF, decoded, joined."""
    with pikepdf.open(io.BytesIO(published)) as pdf:
        return b"\n".join(obj.read_bytes() for obj in pdf.objects if isinstance(obj, pikepdf.Stream))


def secret_in(copy: bytes, word: str) -> list[str]:
    """Where ``word`` occurs in a published copy: raw bytes, any string, name or key, any decoded stream
    (an unreadable stream is skipped). The leak tests assert this is empty."""
    needle = word.encode()
    hits = ["raw bytes"] if needle in copy else []
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        for obj in pdf.objects:
            todo, seen = [obj], 0
            while todo and seen < 100_000:
                item = todo.pop()
                seen += 1
                if isinstance(item, pikepdf.String) and needle in bytes(item):
                    hits.append(f"string in {obj.objgen}")
                elif isinstance(item, Name) and needle in str(item).encode():
                    hits.append(f"name in {obj.objgen}")
                elif isinstance(item, Array):
                    todo += [v for v in item if not (isinstance(v, (Dictionary, pikepdf.Stream)) and v.is_indirect)]
                elif isinstance(item, (Dictionary, pikepdf.Stream)):
                    if item is not obj and item.is_indirect:
                        continue
                    for key, value in item.items():
                        if needle in key.encode():
                            hits.append(f"key in {obj.objgen}")
                        if not (isinstance(value, (Dictionary, pikepdf.Stream)) and value.is_indirect):
                            todo.append(value)
                    if isinstance(item, pikepdf.Stream):
                        try:
                            if needle in item.read_bytes():
                                hits.append(f"stream {obj.objgen}")
                        except pikepdf.PdfError:
                            pass
    return hits


def pixels(data: bytes) -> bytes:
    """The first page as PDFium draws it (RGB bytes at 72 dpi): a copy must look the same as its original."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return bytes(doc[0].render(scale=1).to_pil().convert("RGB").tobytes())
    finally:
        doc.close()
