"""Hand-made one-page PDFs for the gate's leak tests (pikepdf, so any construct can be placed exactly),
and the decoded streams of a published copy (to prove a secret is gone from every stream)."""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name


def one_page_pdf(contents: bytes, setup=None, compress: bool = True) -> bytes:
    """A one-page PDF with Helvetica as /F1; ``setup(pdf, page, resources, font)`` adds the construct."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
    )
    page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 612, 792]), Resources=Dictionary(Font=Dictionary(F1=font)))
    pdf.pages.append(pikepdf.Page(page))
    page = pdf.pages[0].obj
    page.Contents = pdf.make_stream(contents)
    if setup:
        setup(pdf, page, page.Resources, font)
    out = io.BytesIO()
    pdf.save(out, compress_streams=compress)
    return out.getvalue()


def decoded_streams(published: bytes) -> bytes:
    """Every stream of a PDF, decoded, joined."""
    with pikepdf.open(io.BytesIO(published)) as pdf:
        return b"\n".join(obj.read_bytes() for obj in pdf.objects if isinstance(obj, pikepdf.Stream))
