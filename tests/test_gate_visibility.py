"""Gate v2: every known way of hiding text, judged on the published copy as PDFium draws it.

Each technique has a generated PDF (tests/pdf_tricks.py) that must be refused, and each cover a clean
counterpart (the same cover drawn beside the text) that must pass.
"""

from __future__ import annotations

import io
import re

import pdf_tricks as tricks
import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, NameObject

from publish.gate import LEAK_CODES
from publish.pdfs import _inspect_bytes

from support import approve, build_args


def inspect(data: bytes):
    result, published = _inspect_bytes(data)
    assert result["ok"], result
    return result, published


def errors(result) -> dict[str, dict]:
    return {f["code"]: f for f in result["findings"] if f["severity"] == "fout"}


EXPECTED = {
    "render_mode_3": "pdf.onzichtbare_tekst",
    "render_mode_7": "pdf.onzichtbare_tekst",
    "tiny_clip": "pdf.onzichtbaar_gemaakte_tekst",
    "alpha_zero": "pdf.onzichtbaar_gemaakte_tekst",
    "luminosity_mask": "pdf.onzichtbaar_gemaakte_tekst",
    "indexed_white": "pdf.witte_tekst",
    "white_on_white": "pdf.witte_tekst",
    "tiny_text": "pdf.te_kleine_tekst",
    "outside_page": "pdf.tekst_buiten_pagina",
    "black_box": "pdf.tekst_onder_vlak",
    "stroked_line": "pdf.tekst_onder_vlak",
    "curved_fill": "pdf.tekst_onder_vlak",
    "clipped_shading": "pdf.tekst_onder_vlak",
    "image_with_smask": "pdf.tekst_onder_vlak",
    "stencil_mask": "pdf.tekst_onder_vlak",
    "link_appearance": "pdf.tekst_onder_vlak",
    "zapf_squares": "pdf.tekst_onder_tekst",
    "layer_base_state_off": "pdf.verborgen_laag",
    "layer_off_array": "pdf.verborgen_laag",
}


@pytest.mark.parametrize("name", sorted(tricks.HIDDEN))
def test_every_hiding_technique_is_refused_with_a_named_cause(name):
    result, _ = inspect(tricks.HIDDEN[name]())
    found = errors(result)
    assert EXPECTED[name] in found, (name, sorted(found))
    f = found[EXPECTED[name]]
    if EXPECTED[name] in LEAK_CODES:
        assert "J** d* V**** w**** h*** (19 tekens)" in f["message"]
        assert f["location"].startswith("pagina 1, positie (")
    assert "Vries" not in f["message"] and f["fix"]
    assert "Vries" not in " ".join(x["message"] for x in result["findings"])


@pytest.mark.parametrize("name", sorted(tricks.COVERS))
def test_the_same_cover_beside_the_text_passes(name):
    result, published = inspect(tricks.COVERS[name](beside=True))
    assert errors(result) == {}, (name, errors(result))
    assert "Jan de Vries woont hier" in result["texts"][0]
    assert published.startswith(b"%PDF")


def test_explanations_name_the_cause_in_dutch():
    cases = {
        "black_box": "onder een zwart",
        "white_on_white": "wit op wit",
        "render_mode_3": "onzichtbare tekst",
        "zapf_squares": "zwarte blokjes",
        "layer_base_state_off": "verborgen laag",
    }
    for name, words in cases.items():
        result, _ = inspect(tricks.HIDDEN[name]())
        assert any(words in f["message"] for f in errors(result).values()), (name, errors(result))


def test_white_on_white_is_an_error_not_a_warning():
    result, _ = inspect(tricks.white_on_white())
    assert errors(result)["pdf.witte_tekst"]["severity"] == "fout"


def test_ocr_layer_over_visible_print_passes():
    result, _ = inspect(tricks.scan_with_ocr(blacked_out=False))
    assert errors(result) == {}
    assert "Jan de Vries woont hier" in result["texts"][0]


def test_ocr_layer_over_a_blacked_out_part_of_the_scan_is_refused():
    result, _ = inspect(tricks.scan_with_ocr(blacked_out=True))
    f = errors(result)["pdf.onzichtbare_tekst_op_zwart"]
    assert "J** d* V**** w**** h***" in f["message"] and "zwart gemaakt deel" in f["message"]


def test_text_drawn_twice_for_a_bold_effect_passes():
    """Some producers draw every letter twice, a fraction of a point apart: the letters are seen."""
    data = tricks.page(tricks.text() + tricks.text(x=100.3))
    assert errors(inspect(data)[0]) == {}


def test_hatched_fill_with_text_visibly_on_top_passes():
    hatch = "0 G 0.5 w " + " ".join(f"{x} 690 m {x + 20} 720 l S" for x in range(90, 300, 6))
    data = tricks.page(f"q {hatch} Q\n" + tricks.text())
    assert errors(inspect(data)[0]) == {}


def test_hatched_box_over_text_leaves_the_letters_visible_between_the_lines():
    """A few thin lines over text do not hide it; it is visible, so it is not a leak either."""
    data = tricks.page(tricks.text() + "q 0 G 0.3 w 95 703 m 300 703 l S Q\n")
    assert errors(inspect(data)[0]) == {}


def test_ground_code_in_the_colour_of_its_box_passes():
    data = tricks.page("q 0 g 95 692 80 22 re f Q\n" + tricks.text(words="5.1.2.e"))
    assert errors(inspect(data)[0]) == {}


def test_text_covered_inside_a_form_xobject_is_found():
    def build(writer, resources, page):
        form = tricks._stream(
            writer,
            (tricks.text(x=0, y=0) + "0 g -5 -8 210 22 re f").encode(),
            {
                "Type": NameObject("/XObject"),
                "Subtype": NameObject("/Form"),
                "BBox": tricks._nums(-10, -10, 300, 30),
                "Resources": resources,
            },
        )
        tricks._resource(resources, "XObject", "Fm0", form)

    result, _ = inspect(tricks.page("q 1 0 0 1 100 700 cm /Fm0 Do Q\n", build))
    f = errors(result)["pdf.tekst_onder_vlak"]
    assert re.match(r"pagina 1, positie \(10\d, 70\d\)", f["location"])


def test_text_under_a_comment_that_the_copy_drops_is_refused():
    """A Square comment used as a 'redaction': the copy drops comments, which would reveal the text."""

    def build(writer, resources, page):
        appearance = tricks._stream(
            writer,
            b"0 g 0 0 210 22 re f",
            {"Type": NameObject("/XObject"), "Subtype": NameObject("/Form"), "BBox": tricks._nums(0, 0, 210, 22)},
        )
        square = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Square"),
                NameObject("/Rect"): tricks._nums(95, 692, 305, 714),
                NameObject("/AP"): DictionaryObject({NameObject("/N"): appearance}),
            }
        )
        from pypdf.generic import ArrayObject

        page[NameObject("/Annots")] = ArrayObject([writer._add_object(square)])

    result, _ = inspect(tricks.page(tricks.text(), build))
    assert "pdf.tekst_onder_vlak" in errors(result)


@pytest.mark.parametrize("usage", ["/View", "/Print"])
def test_layer_off_through_a_usage_dictionary_is_refused(usage):
    data = tricks.layer("/ON")
    reader = PdfReader(io.BytesIO(data))
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=reader)
    ocg = writer._root_object["/OCProperties"]["/OCGs"][0].get_object()
    state = {"/View": "/ViewState", "/Print": "/PrintState"}[usage]
    ocg[NameObject("/Usage")] = DictionaryObject({NameObject(usage): DictionaryObject({NameObject(state): NameObject("/OFF")})})
    out = io.BytesIO()
    writer.write(out)
    result, _ = inspect(out.getvalue())
    assert "pdf.verborgen_laag" in errors(result)


def test_layer_that_is_on_passes():
    result, _ = inspect(tricks.layer("/ON"))
    assert errors(result) == {}


def test_text_comes_from_every_page_in_order():
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1)
    for n in range(3):
        c.drawString(72, 700, f"Pagina nummer {n + 1} met gewone tekst")
        c.showPage()
    c.save()
    result, _ = inspect(out.getvalue())
    assert [t.strip() for t in result["texts"]] == [f"Pagina nummer {n + 1} met gewone tekst" for n in range(3)]


@pytest.mark.parametrize(
    "data", [b"%PDF-1.7\n" + b"\x00" * 200, b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"]
)
def test_broken_pdfs_are_refused_with_a_dutch_message(data):
    result, published = _inspect_bytes(data)
    assert not result["ok"] and published is None
    assert result["error"].startswith("de pdf")


def test_a_huge_page_is_judged_without_huge_memory():
    """A 200 by 200 inch page (the PDF maximum) with hidden text: judged at a lower resolution."""
    import resource

    from pypdf import PdfWriter

    data = tricks.page(tricks.text(x=7000, y=7000) + "q 0 g 6990 6990 220 30 re f Q\n")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    from pypdf.generic import RectangleObject

    writer.pages[0].mediabox = RectangleObject((0, 0, 14400, 14400))
    out = io.BytesIO()
    writer.write(out)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result, _ = inspect(out.getvalue())
    assert "pdf.tekst_onder_vlak" in errors(result)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 400_000  # kB


def test_hidden_text_refuses_its_package_and_never_reaches_the_site(cli, make_package, decisions, tmp_path):
    good = make_package("goed", meta={"kenmerk": "2024-0101", "titel": "Goed besluit over bomen"})
    approve(good)
    bad = make_package("fout", meta={"kenmerk": "2024-0102", "titel": "Besluit met verborgen tekst"})
    (bad / "documenten/2.pdf").write_bytes(tricks.zapf_squares())
    approve(bad)
    out = tmp_path / "site"
    result = cli(*build_args(decisions, out, cache=tmp_path / "cache"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"fout/documenten/2\.pdf, pagina 1, positie \(\d+, \d+\): er staat tekst onder andere tekens", result.stdout)
    assert "Vries" not in result.stdout
    assert (out / "besluit/2024-0101/index.html").is_file()
    assert not (out / "besluit/2024-0102").exists()
    site = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.suffix in (".html", ".json", ".js", ".xml", ".txt")
    )
    assert "Goed besluit over bomen" in site
    assert "Vries" not in site and "woont hier" not in site
