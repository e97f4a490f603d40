"""Round-11 leaks (branch attack-11, ``attacks11/README.md``) in the published copy: references of the tag structure
to any object (C02a/C02b), number trees nested beyond what is read (C02c). PDFs made with pikepdf as the reproducers
make them; "Vermeulenzz" stands for a civil servant's name and must not be anywhere in the copy (raw bytes, any
string, name or key, any decoded stream), while the visible text stays as it was."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from support.pdfcraft import accepted, page_with, refused, secret_in

MARK = "Vermeulenzz"
CLEAN = b"BT /F1 11 Tf 72 760 Td (Dit is een gewone zichtbare regel tekst op de pagina.) Tj ET\n"
TAGGED = b"/P <</MCID 0>> BDC\n" + CLEAN + b"EMC\n"


def _copy_without_mark(data: bytes) -> bytes:
    _, copy = accepted(data)
    assert secret_in(copy, MARK) == []
    return copy


def _secret(pdf) -> Dictionary:
    return pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + MARK), T=String(MARK), Naam=String(MARK)))


def _tagged(kids, parent=None, extra=None, form: bool = False):
    """A page tagged as one paragraph under a document element; ``kids(pdf, page)`` gives the paragraph's /K."""

    def setup(pdf, page):
        if form:
            page.Resources.XObject = Dictionary(
                Fm1=pdf.make_stream(b"", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 10, 10])
            )
        page.StructParents = 0
        elem = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.P, Pg=page, K=0))
        doc = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array([elem])))
        root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=doc, ParentTreeNextKey=1))
        elem.P, doc.P = (parent(pdf) if parent else doc), root
        elem.K = kids(pdf, page)
        root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array([0, Array([elem])])))
        if extra:
            extra(pdf, page, root)
        pdf.Root.StructTreeRoot = root
        pdf.Root.MarkInfo = Dictionary(Marked=True)

    return page_with(TAGGED + (b"q /Fm1 Do Q\n" if form else b""), setup)


def _paragraph(copy: bytes):
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        para = pdf.Root.StructTreeRoot.K.K[0]
        kids = list(para.K) if isinstance(para.K, Array) else [para.K]
        return [(set(kid.keys()) if isinstance(kid, Dictionary) else kid) for kid in kids], para.P.S


# -- C02a: a marked-content reference's /Stm, an object reference's /Obj ---------------------------------------------
def test_c02a_a_marked_content_reference_to_any_stream_is_not_in_the_copy():
    def kids(pdf, page):
        stream = pdf.make_stream(f"% {MARK}\n/{MARK} BMC EMC".encode(), Naam=String(MARK))
        return Array([0, Dictionary(Type=Name.MCR, MCID=0, Stm=stream, StmOwn=_secret(pdf), Pg=page)])

    kept, _ = _paragraph(_copy_without_mark(_tagged(kids)))
    assert kept == [0]


def test_c02a_an_object_reference_to_any_dictionary_is_not_in_the_copy():
    def kids(pdf, page):
        return Array([0, Dictionary(Type=Name.OBJR, Obj=_secret(pdf), Pg=page)])

    kept, _ = _paragraph(_copy_without_mark(_tagged(kids)))
    assert kept == [0]


def test_c02a_a_reference_naming_no_page_of_the_document_is_not_in_the_copy():
    def kids(pdf, page):
        return Array([0, Dictionary(Type=Name.MCR, MCID=0, Pg=_secret(pdf))])

    kept, _ = _paragraph(_copy_without_mark(_tagged(kids)))
    assert kept == [0]


def test_c02a_references_into_the_page_stay():
    """Counterparts: marked content in a form the page draws, in the page's content stream (named as /Stm: the
    default, so the key goes) stay."""

    def kids(pdf, page):
        form = page.Resources.XObject.Fm1
        return Array(
            [0, Dictionary(Type=Name.MCR, MCID=1, Stm=form, Pg=page), Dictionary(Type=Name.MCR, MCID=2, Stm=page.Contents)]
        )

    kept, _ = _paragraph(_copy_without_mark(_tagged(kids, form=True)))
    assert kept[0] == 0 and set(kept[1]) == {"/Type", "/MCID", "/Stm", "/Pg"} and set(kept[2]) == {"/Type", "/MCID"}


# -- C02b: an element's /P ---------------------------------------------------------------------------------------------
def test_c02b_a_parent_outside_the_tree_becomes_the_real_parent():
    kept, parent_type = _paragraph(_copy_without_mark(_tagged(lambda pdf, page: 0, parent=_secret)))
    assert parent_type == Name.Document


# -- C02c: number trees nested too deep --------------------------------------------------------------------------------
def _nest(pdf, leaf: Dictionary, depth: int = 205) -> Dictionary:
    node = pdf.make_indirect(leaf)
    for _ in range(depth):
        node = pdf.make_indirect(Dictionary(Kids=Array([node])))
    return node


@pytest.mark.parametrize("depth", [3, 205])
def test_c02c_page_labels_nested_too_deep_go(depth):
    def setup(pdf, page):
        pdf.Root.PageLabels = _nest(pdf, Dictionary(Nums=Array([0, Dictionary(S=Name.D, P=String(MARK))])), depth)

    copy = _copy_without_mark(page_with(CLEAN, setup))
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert (Name.PageLabels in pdf.Root) == (depth == 3)


def test_c02c_a_parent_tree_nested_too_deep_is_refused():
    def extra(pdf, page, root):
        other = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + MARK), T=String(MARK), Pg=page))
        first = root.ParentTree
        first.Limits = Array([0, 0])
        root.ParentTree = pdf.make_indirect(
            Dictionary(Kids=Array([first, _nest(pdf, Dictionary(Nums=Array([1, other]), Limits=Array([1, 1])))]))
        )

    result = refused(_tagged(lambda pdf, page: 0, extra=extra), "pdf.onleesbaar")
    assert "/ParentTree" in result["error"] and "dieper dan 200 niveaus" in result["error"] and MARK not in result["error"]
