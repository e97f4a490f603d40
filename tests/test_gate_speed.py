"""The gate's speed shortcuts give exactly what the slower ways gave (issue 10, item 5).

- the page without text is drawn by making every text object invisible for one render, instead of
  loading the page again and removing its text objects: the same pixels, also for the cases aimed at
  the shortcut (Type 3 glyphs, text inside forms, clipping text, text over text, annotations);
- the published copy parses only the operators it needs; the whole stream when text may be squeezed;
- characters are read lazily, the 90th percentile is taken without numpy's overhead when it is plain;
- every hiding technique still gets the same verdict;
- a page whose text is all invisible (an OCR layer) is drawn once: the page without text is the page as drawn
  and the owner map is blank, as the two renders they replace give them, under every kind of cover;
- letters of text owning no pixel are judged all at once with numpy, as ``_judge`` judges them one by one;
- the end of a JPEG's entropy-coded data is found where the look-behind pattern finds it.
"""

from __future__ import annotations

import hashlib
import io
import re

import numpy as np
import pdf_tricks as tricks
import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

from publish.gate import copy as gate_copy
from publish.gate import timing, visibility
from publish.pdfs import _inspect_bytes

from support import XRAY

_n = tricks._n


def _type3(writer, resources, pg, proc: bytes) -> None:
    """A Type 3 font /T3 whose glyph 'a' (code 97) is drawn by ``proc``."""
    glyph = tricks._stream(writer, proc)
    font = DictionaryObject(
        {
            _n("Type"): _n("Font"),
            _n("Subtype"): _n("Type3"),
            _n("FontBBox"): tricks._nums(0, 0, 1000, 1000),
            _n("FontMatrix"): tricks._nums(0.001, 0, 0, 0.001, 0, 0),
            _n("CharProcs"): DictionaryObject({_n("a"): glyph}),
            _n("Encoding"): DictionaryObject(
                {_n("Type"): _n("Encoding"), _n("Differences"): ArrayObject([NumberObject(97), _n("a")])}
            ),
            _n("FirstChar"): NumberObject(97),
            _n("LastChar"): NumberObject(97),
            _n("Widths"): tricks._nums(1000),
            _n("Resources"): DictionaryObject(),
        }
    )
    tricks._resource(resources, "Font", "T3", writer._add_object(font))


def type3_text(mode: int = 0) -> bytes:
    return tricks.page(
        f"BT /T3 20 Tf {mode} Tr 100 600 Td (aaaa) Tj ET\n0 0 1 rg 90 590 100 40 re f\n",
        lambda w, r, p: _type3(w, r, p, b"1000 0 0 0 1000 1000 d1 0 0 1000 1000 re f"),
    )


def text_in_form() -> bytes:
    def build(writer, resources, pg):
        inner = tricks._stream(
            writer,
            b"BT /F1 12 Tf 0 0 Td (Jan de Vries woont hier) Tj ET 0 0 0 rg 0 -3 60 14 re f",
            {
                "Type": _n("XObject"),
                "Subtype": _n("Form"),
                "BBox": tricks._nums(-10, -10, 300, 50),
                "Resources": resources,
            },
        )
        tricks._resource(resources, "XObject", "Fm1", inner)

    return tricks.page("q 1 0 0 1 100 700 cm /Fm1 Do Q\n", build)


def clipping_text() -> bytes:
    """Text in mode 7 (clip only) followed by a box that the text clips: drawn only inside the letters."""
    return tricks.page(tricks.text(mode=7) + "0 0 0 rg 90 690 200 30 re f\n")


def form_cover() -> bytes:
    """The secret, then a Form XObject that draws a black box over it."""

    def build(writer, resources, pg):
        box = tricks._stream(
            writer,
            b"0 0 0 rg 0 0 140 16 re f",
            {"Type": _n("XObject"), "Subtype": _n("Form"), "BBox": tricks._nums(0, 0, 140, 16)},
        )
        tricks._resource(resources, "XObject", "Cover", box)

    return tricks.page(tricks.text() + "q 1 0 0 1 95 695 cm /Cover Do Q\n", build)


def pattern_cover() -> bytes:
    """The secret, then a box filled with a tiling pattern of solid black cells."""

    def build(writer, resources, pg):
        cell = tricks._stream(
            writer,
            b"0 0 0 rg 0 0 8 8 re f",
            {
                "Type": _n("Pattern"),
                "PatternType": NumberObject(1),
                "PaintType": NumberObject(1),
                "TilingType": NumberObject(1),
                "BBox": tricks._nums(0, 0, 8, 8),
                "XStep": NumberObject(8),
                "YStep": NumberObject(8),
                "Resources": DictionaryObject(),
            },
        )
        tricks._resource(resources, "Pattern", "P1", cell)

    return tricks.page(tricks.text() + "/Pattern cs /P1 scn 95 695 140 16 re f\n", build)


HOSTILE = {
    "form_cover": form_cover,
    "pattern_cover": pattern_cover,
    "type3": type3_text,
    "type3_invisible": lambda: type3_text(3),
    "text_in_form": text_in_form,
    "clipping_text": clipping_text,
    **{name: build for name, build in tricks.HIDDEN.items()},
    **{f"{name}_beside": (lambda build=build: build(beside=True)) for name, build in tricks.COVERS.items()},
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_page_without_text_is_the_same_either_way(name):
    doc = pdfium.PdfDocument(HOSTILE[name]())
    for index in range(len(doc)):
        page = doc[index]
        raw.FPDFPage_SetRotation(page, 0)
        texts = [o for o, kind, _m in visibility._walk(page) if kind == raw.FPDF_PAGEOBJ_TEXT]
        assert texts
        width, height = page.get_width(), page.get_height()
        canvas = visibility._Canvas(width, height, (0, 0, width, height), 1.5)
        before = canvas.render(page, grayscale=True, draw_annots=True)
        quick = visibility._render_without_text(page, texts, canvas)
        after = canvas.render(page, grayscale=True, draw_annots=True)
        second = doc[index]
        raw.FPDFPage_SetRotation(second, 0)
        visibility._strip(second, keep_text=False)
        slow = canvas.render(second, grayscale=True, draw_annots=True)
        assert quick is not None
        assert np.array_equal(quick, slow), name
        assert np.array_equal(before, after), name  # every text object got its own mode back
        assert not np.array_equal(before, slow) or name in ("render_mode_3", "type3_invisible", "outside_page"), name


def _verdicts(data: bytes) -> tuple:
    result, published = _inspect_bytes(data)
    return (
        result.get("ok"),
        result.get("texts"),
        sorted((f["code"], f["location"], f["message"]) for f in result.get("findings", [])),
        published,
    )


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_slow_ways_give_the_same_verdicts(name, monkeypatch):
    """Every technique, with the shortcuts and with the slow ways they replace: the same findings,
    texts and published bytes."""
    data = HOSTILE[name]()
    quick = _verdicts(data)
    monkeypatch.setattr(visibility, "_render_without_text", lambda *args: None)
    monkeypatch.setattr(gate_copy, "_scan", lambda operations: (gate_copy._used_names(operations), True))
    monkeypatch.setattr(visibility, "_percentile_90", lambda values: float(np.percentile(values, 90)))
    assert _verdicts(data) == quick, name


def test_the_technique_corpus_still_refuses_every_technique():
    for name, build in tricks.HIDDEN.items():
        result, _ = _inspect_bytes(build())
        assert any(f["severity"] == "fout" for f in result["findings"]), name


def _page_with(content: bytes) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.pages[0].obj[NameObject("/Contents")] = pdf.make_stream(content)
    return pdf


@pytest.mark.parametrize(
    "content, squeezed",
    [
        (b"BT /F1 12 Tf 100 700 Td (a) Tj ET", False),
        (b"BT /F1 12 Tf 0 Tz 100 700 Td (a) Tj ET", True),
        (b"BT /F1 12 Tf 0.5 Tz (a) Tj ET", True),
        (b"BT /F1 0 Tf (a) Tj ET", True),
        (b"BT /F1 12 Tf 0 0 0 0 100 700 Tm (a) Tj ET", True),
        (b"BT /F1 12 Tf 1 2 2 4 100 700 Tm (a) Tj ET", True),  # a flat matrix: determinant 0
        (b"BT /F1 12 Tf 0 Tz ET", False),  # squeezed, but nothing is shown
        (b"q BT /F1 12 Tf 0 Tz ET Q BT /F1 12 Tf (a) Tj ET", False),  # restored before the text
        (b"BT /F1 12 Tf 1 0 0 1 100 700 Tm (a) Tj ET", False),
        (b"BT /F1 12 Tf (x) 0 Tz ET", False),  # odd operands: no squeeze, no crash
    ],
)
def test_squeezed_text_is_found_with_the_operator_filter(content, squeezed):
    pdf = _page_with(content)
    page = pikepdf.Page(pdf.pages[0].obj)
    used, flat, rewritten = gate_copy._read(page, content)
    assert flat is squeezed
    assert flat is gate_copy._flattened_text(pikepdf.parse_content_stream(page))
    # a stray string ("(x) 0 Tz") is written away, everything else copied as it is
    assert rewritten is None if b"(x)" not in content else rewritten == b"BT\n/F1 12 Tf\n0 Tz\nET"
    assert used.get("/Font") == {"/F1"}
    named = pikepdf.parse_content_stream(page, gate_copy._NAMED)
    assert gate_copy._may_flatten(named) or not squeezed
    assert gate_copy._scan(named) == (gate_copy._used_names(named), gate_copy._may_flatten(named))


def test_a_comment_is_still_written_away_and_names_still_found():
    content = b"% a comment\nq BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q /GS1 gs /Im1 Do BT /F2 9 Tf (50%) Tj ET"
    pdf = _page_with(content)
    used, flat, rewritten = gate_copy._read(pikepdf.Page(pdf.pages[0].obj), content)
    assert rewritten is not None and b"a comment" not in rewritten and b"/Im1 Do" in rewritten
    assert used["/Font"] == {"/F2"} and used["/XObject"] == {"/Im1"} and used["/ExtGState"] == {"/GS1"}
    assert "inline" in used and flat is False
    filtered = _page_with(content.replace(b"% a comment\n", b""))
    used2, _, rewritten2 = gate_copy._read(pikepdf.Page(filtered.pages[0].obj), b"no percent sign")
    assert used2 == used and rewritten2 is None


@pytest.mark.parametrize("size", [1, 2, 3, 9, 10, 11, 12, 20, 21, 101, 1000, 1001])
def test_the_plain_percentile_is_numpys(size):
    rng = np.random.default_rng(size)
    for trial in range(40):
        values = rng.integers(0, 256, size=size).astype(np.uint8)
        if trial % 2:
            values[rng.random(size) < 0.85] = 255
        shaped = values.reshape(1, -1)
        assert visibility._percentile_90(shaped) == float(np.percentile(shaped, 90))


def test_stage_timing_counts_where_the_time_goes():
    before = timing.snapshot()
    _inspect_bytes(tricks.black_box())
    after = timing.snapshot()
    spent = {k: v - before.get(k, 0.0) for k, v in after.items()}
    for name in ("openen", "structuur", "kopie opschonen", "kopie schrijven", "tekst", "render volledig", "render eigenaar"):
        assert name in spent, name
    assert all(v >= 0 for v in spent.values())


def _random_bounds(rng, n: int) -> list:
    out: list = []
    for _ in range(n):
        if rng.random() < 0.05:
            out.append(None)
            continue
        x, y = rng.uniform(-50, 600), rng.choice([rng.uniform(-50, 800), round(rng.uniform(0, 800) / 12) * 12.0])
        w = rng.choice([rng.uniform(0, 60), rng.uniform(0, 700), 0.0, 10.0])
        h = rng.choice([rng.uniform(0, 15), 12.0, 48.0, 48.0001]) if rng.random() < 0.9 else rng.uniform(0, 800)
        out.append((x, y, x + w, y + h))
    if out and rng.random() < 0.3:
        out.append(out[rng.randrange(len(out))])  # text drawn twice on the same spot
    return out


def test_overlapping_text_objects_are_the_same_set_as_the_grid_finds():
    import random

    rng = random.Random(7)
    for trial in range(400):
        bounds = _random_bounds(rng, rng.choice([0, 1, 2, 3, 10, 60, 400]))
        assert visibility._overlapped(bounds) == visibility._overlapped_grid(bounds), trial
    tall = [(0.0, 0.0, 500.0, 800.0)] + [(10.0 * i, 5.0 * i, 10.0 * i + 30, 5.0 * i + 10) for i in range(50)]
    assert visibility._overlapped(tall) == visibility._overlapped_grid(tall) == set(range(1, 50))
    assert visibility._overlapped(tall, most=10) == visibility._overlapped_grid(tall)  # many pairs: the grid


def test_a_dense_page_is_counted_without_the_grid_and_finds_the_same(monkeypatch):
    """Thousands of words, a text object each, close lines (x-ray no_bad_redactions.6.2: 4,022 objects):
    the window below each line is only as deep as the tallest word, so numpy counts it, not the grid;
    same set, with words drawn twice, touching lines and one-ulp overlaps among them."""
    import random

    rng = random.Random(11)
    for trial in range(3):
        bounds: list = []
        for line in range(100):
            y = 790 - 7.5 * line
            x = 40.0
            while x < 560:
                w = rng.uniform(3, 15)
                h = rng.choice([7.0, 7.5, 7.5 + 1e-12, rng.uniform(2, 8)])
                bounds.append((x, y, x + w, y + h))
                x += w + rng.choice([0.0, 1e-13, 2.0, -1.0])
        for _ in range(30):
            bounds.insert(rng.randrange(len(bounds)), bounds[rng.randrange(len(bounds))])
        grid = visibility._overlapped_grid(bounds)
        monkeypatch.setattr(visibility, "_overlapped_grid", lambda b, cell=24.0: pytest.fail("went to the grid"))
        assert visibility._overlapped(bounds) == grid, trial
        monkeypatch.undo()


def test_overlap_with_odd_bounds_goes_to_the_grid():
    with pytest.raises(ValueError):
        visibility._overlapped([(0.0, 0.0, 10.0, 10.0), (float("nan"), 0.0, 5.0, 5.0)])


def test_one_pass_over_the_operators_is_the_two_it_replaces():
    streams = [
        b"/F1 12 Tf /Im1 Do /GS1 gs /Sh1 sh /CS1 cs /CS2 CS /P1 scn 1 0 0 /P2 SCN /Span << /MCID 0 >> BDC /OC /L1 BDC /Tag /Prop DP",
        b"(odd) Tf 12 Do gs /X 0 Tz 1 2 Tm 0 0 0 0 0 0 Tm",
        b"q BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q 0.9 Tz /F1 0 Tf",
    ]
    for build in [*tricks.HIDDEN.values(), lambda: tricks.scan_with_ocr(True), lambda: tricks.scan_with_ocr(False)]:
        with pikepdf.open(io.BytesIO(build())) as pdf:
            streams.append(pdf.pages[0].obj.Contents.read_bytes())
    for content in streams:
        pdf = _page_with(content)
        named = pikepdf.parse_content_stream(pikepdf.Page(pdf.pages[0].obj), gate_copy._NAMED)
        assert gate_copy._scan(named) == (gate_copy._used_names(named), gate_copy._may_flatten(named)), content[:60]


def test_a_worker_opens_the_pdf_with_pypdf_once(tmp_path, monkeypatch):
    import pypdf

    from publish import pdfs

    opened = []
    real = pypdf.PdfReader

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs):
            opened.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(pypdf, "PdfReader", Counting)
    path = tmp_path / "brief.pdf"
    path.write_bytes(tricks.black_box(beside=True))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()  # the worker checks the bytes it reads have it
    result = pdfs._work((str(path), sha, str(tmp_path / "cache")))
    assert result["ok"] and "Jan de Vries woont hier" in result["texts"][0]
    assert len(opened) == 1


def _flate_pdf(payload: bytes) -> bytes:
    import zlib

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    stream = pikepdf.Stream(pdf, zlib.compress(payload, 9))
    stream[NameObject("/Filter")] = pikepdf.Name.FlateDecode
    pdf.pages[0].obj[NameObject("/Contents")] = pdf.make_indirect(stream)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_a_stream_too_short_to_pass_the_limit_is_not_unpacked_and_a_bomb_still_is():
    from publish.pdfs import DEFLATE_MAX_RATIO, _largest_stream

    bomb = _flate_pdf(b"\0" * 30_000_000)  # about 29 kB packed, 30 MB unpacked
    packed = len(__import__("zlib").compress(b"\0" * 30_000_000, 9))
    assert _largest_stream(bomb, 20_000_000) > 20_000_000  # past the limit: counted and refused
    assert _largest_stream(bomb, packed * DEFLATE_MAX_RATIO - 1) == 30_000_000  # might pass: counted, fits
    assert _largest_stream(bomb, packed * DEFLATE_MAX_RATIO) == 0  # cannot pass it: not unpacked
    assert 30_000_000 <= packed * DEFLATE_MAX_RATIO  # the bound holds for the most packable input


@pytest.mark.parametrize("build", [form_cover, pattern_cover])
def test_covers_drawn_by_a_form_or_a_pattern_are_refused(build):
    result, _ = _inspect_bytes(build())
    codes = {f["code"] for f in result["findings"] if f["severity"] == "fout"}
    assert "pdf.tekst_onder_vlak" in codes, codes


# -- issue 10, item 5, second round: exact rewrites of the per-letter and per-object loops ------------------


def _eager_chars(textpage, count, text_index, left, bottom, judged, objects=None):
    """The characters as they were read before: a ``_Char`` for every one, in one loop."""
    out = []
    box = visibility._Out(visibility.ctypes.c_double)
    address = visibility._address(textpage.raw)
    for i in range(count):
        obj = text_index.get(visibility._TEXT_OBJECT_AT(address, i), -1)
        c = visibility._Char("", (0, 0, 0, 0), obj, index=i)
        if obj in judged:
            visibility._fill(address, c, left, bottom, box)
        else:
            c.pending = True
        out.append(c)
    return out


def _any_late_cover(box, position, covers):
    w, h = box[2] - box[0], box[3] - box[1]
    return any(i > position and visibility._overlap(box, b) >= 0.5 * max(w * h, 1e-6) for i, b, _k in covers)


_REPRODUCERS = {
    **HOSTILE,
    "scan_ocr_over_print": lambda: tricks.scan_with_ocr(False),
    "scan_ocr_over_black": lambda: tricks.scan_with_ocr(True),
    **{f"{name}_again": build for name, build in tricks.COVERS.items()},
}


@pytest.mark.parametrize("name", sorted(_REPRODUCERS))
def test_the_loops_as_they_were_give_the_same_verdicts(name, monkeypatch):
    """Every leak reproducer family (each technique, each cover beside the text, the OCR scans), judged
    with this round's rewrites and with the loops they replace: a ``_Char`` made for every character at
    once, the Type 3 scale asked for every text object, later covers found with ``any(...)``. The same
    findings, texts and published bytes, and the same hidden text found by ``inspect_document``."""
    data = _REPRODUCERS[name]()
    quick = _verdicts(data)
    quick_hidden = visibility.inspect_document(data)
    em = visibility._em
    monkeypatch.setattr(visibility, "_chars", _eager_chars)
    monkeypatch.setattr(visibility, "_em", lambda obj, to_page, out, m, fonts=None: em(obj, to_page, out, m))
    monkeypatch.setattr(visibility, "_late_cover", _any_late_cover)
    assert _verdicts(data) == quick, name
    assert visibility.inspect_document(data) == quick_hidden, name


@pytest.mark.parametrize("name", sorted(_REPRODUCERS))
def test_characters_left_as_object_indexes_are_the_same_characters_when_made(name):
    """``_chars`` leaves the characters of objects proven visible as their object's index; made by
    ``_all_chars`` and completed they are the characters the eager loop reads, for any set of judged objects."""
    import random

    doc = pdfium.PdfDocument(_REPRODUCERS[name]())
    rng = random.Random(name)
    for index in range(len(doc)):
        page = doc[index]
        textpage = page.get_textpage()
        walked = visibility._walk(page)
        texts = [o for o, kind, _m in walked if kind == raw.FPDF_PAGEOBJ_TEXT]
        text_index = {visibility._address(o): i for i, o in enumerate(texts)}
        count = textpage.count_chars()
        for judged in (set(), set(range(len(texts))), {k for k in range(len(texts)) if rng.random() < 0.5}):
            lazy = visibility._chars(textpage, count, text_index, 3.0, 5.0, judged)
            made = [c for c in lazy if isinstance(c, visibility._Char)]
            assert all(c.obj == -1 or c.obj in judged for c in made)  # the rest stayed an index
            eager = _eager_chars(textpage, count, text_index, 3.0, 5.0, judged)
            lazy = visibility._all_chars(lazy)
            visibility._complete(textpage, lazy, 3.0, 5.0)
            visibility._complete(textpage, eager, 3.0, 5.0)
            assert lazy == eager, name


def test_a_late_cover_is_found_as_any_overlap_finds_it():
    import random

    rng = random.Random(5)
    for _ in range(3000):
        covers = []
        for _i in range(rng.choice([0, 1, 3, 20])):
            x, y = rng.uniform(0, 100), rng.uniform(0, 100)
            covers.append((rng.randrange(50), (x, y, x + rng.choice([0.0, rng.uniform(0, 40)]), y + rng.uniform(0, 40)), 1))
        x, y = rng.uniform(0, 100), rng.uniform(0, 100)
        box = (x, y, x + rng.choice([0.0, 1e-4, rng.uniform(0, 12)]), y + rng.choice([0.0, rng.uniform(0, 12)]))
        position = rng.randrange(50)
        assert visibility._late_cover(box, position, covers) == _any_late_cover(box, position, covers)


def _letter_per_object_page() -> bytes:
    """A page set a text object per letter (as some producers write it), with short words, letters piled
    up by character spacing (four or more on one spot), and a few letters outside the basic plane."""
    content = []
    for line in range(40):
        y = 760 - 17 * line
        for col in range(30):
            content.append(f"BT /F1 9 Tf {40 + 17 * col} {y} Td ({chr(97 + (line + col) % 26)}) Tj ET")
        content.append(f"BT /F1 9 Tf -5.5 Tc 560 {y} Td (wxyz) Tj ET")  # piled: four letters on about one spot
        content.append(f"BT /F1 9 Tf -5 Tc 575 {y} Td (ab) Tj ET")  # two letters: short, not four
    return tricks.page("\n".join(content) + "\n")


@pytest.mark.parametrize("name", ["letter_per_object", *sorted(_REPRODUCERS)])
def test_piled_candidates_counted_from_the_characters_first_are_the_same(name, monkeypatch):
    """Objects with at most one character are skipped without asking PDFium for their text: the same set,
    also when every short object is counted that way (MANY_SHORT 0)."""
    data = _letter_per_object_page() if name == "letter_per_object" else _REPRODUCERS[name]()
    doc = pdfium.PdfDocument(data)
    for index in range(len(doc)):
        page = doc[index]
        textpage = page.get_textpage()
        walked = visibility._walk(page)
        texts = [o for o, kind, _m in walked if kind == raw.FPDF_PAGEOBJ_TEXT]
        floats, matrix = visibility._Out(), raw.FS_MATRIX()
        bounds = [visibility._bounds(o, m, floats) for o, kind, m in walked if kind == raw.FPDF_PAGEOBJ_TEXT]
        ems = [visibility._em(o, m, floats, matrix) for o, kind, m in walked if kind == raw.FPDF_PAGEOBJ_TEXT]
        text_index = {visibility._address(o): i for i, o in enumerate(texts)}
        asked = []

        def objects(asked=asked, textpage=textpage, text_index=text_index):
            asked.append(True)
            return visibility._char_objects(textpage, textpage.count_chars(), text_index)

        slow = visibility._piled_candidates(texts, bounds, ems, textpage)
        assert visibility._piled_candidates(texts, bounds, ems, textpage, objects) == slow
        monkeypatch.setattr(visibility, "MANY_SHORT", 0)
        assert visibility._piled_candidates(texts, bounds, ems, textpage, objects) == slow
        monkeypatch.undo()
        if name == "letter_per_object":
            assert asked and len(slow) == 40  # the four piled letters of each line, and only those


def test_a_page_set_letter_by_letter_gets_the_same_verdict_either_way(monkeypatch):
    data = _letter_per_object_page()
    quick = _verdicts(data)
    monkeypatch.setattr(visibility, "MANY_SHORT", 10**9)
    assert _verdicts(data) == quick
    assert any(f[0] == "pdf.te_kleine_tekst" for f in quick[2])  # the piled letters are refused


def test_text_without_digits_or_at_signs_is_skipped_only_where_nothing_can_be_found(monkeypatch):
    """``find_personal_data`` returns at once for ASCII text with no digit and no '@': every kind it finds
    needs one. A new kind that does not must revisit that shortcut (this list then fails)."""
    import random

    from publish.gate import personal_data

    assert set(personal_data.KINDS) == {"bsn", "iban", "telefoon", "email", "adres"}
    rng = random.Random(3)
    pieces = [
        "Jan",
        "Jansen",
        "Dorpsstraat",
        "twaalf",
        "NL91",
        "ABNA",
        "0417164300",
        "info",
        "@",
        "voorbeeld.nl",
        "1234 AB",
        "ECLI:NL:HR:2020:1",
        "\n",
        " ",
        "-",
        "(06)",
        "12345678",
        "123456782",
        "BSN",
        "tel",
        "٣",
        "＠",
        "ｏ",
        "é",
    ]
    texts = ["".join(rng.choice(pieces) + rng.choice(["", " ", "\n"]) for _ in range(rng.randint(1, 12))) for _ in range(600)]
    quick = [personal_data.find_personal_data(t, 1) for t in texts]
    monkeypatch.setattr(personal_data, "_DIGIT_OR_AT", __import__("re").compile(""))  # every text the long way
    assert [personal_data.find_personal_data(t, 1) for t in texts] == quick
    assert any(quick) and any(not q and t.isascii() and not any(c.isdigit() or c == "@" for c in t) for q, t in zip(quick, texts))


def test_a_handle_read_through_its_buffer_is_the_cast_address():
    import ctypes

    for name in ("text_in_form", "form_cover", "type3", "black_box"):
        doc = pdfium.PdfDocument(_REPRODUCERS[name]())
        page = doc[0]
        handles = [o for o, _kind, _m in visibility._walk(page)] + [page.raw, page.get_textpage().raw, type(page.raw)()]
        for handle in handles:
            assert visibility._address(handle) == ctypes.cast(handle, ctypes.c_void_p).value
    assert visibility._address(type(page.raw)()) is None and visibility._address(7) == 7


@pytest.mark.parametrize("at_once", [1, 7, 1000])
def test_overlapping_text_counted_in_slices_is_the_same_set(at_once, monkeypatch):
    """The pairs of neighbouring objects are made a slice at a time (memory stays small on a dense page):
    any slice size gives the grid's set."""
    import random

    monkeypatch.setattr(visibility, "PAIRS_AT_ONCE", at_once)
    rng = random.Random(at_once)
    for trial in range(150):
        bounds = _random_bounds(rng, rng.choice([0, 1, 2, 3, 10, 60, 400]))
        assert visibility._overlapped(bounds) == visibility._overlapped_grid(bounds), trial


_OLD_BSN = (  # B: the separators of a BSN's 4-2-3 and 3-3-3 groups (round 5 added ':', '|', brackets, a comma)
    r"(?<!\d)(?<!\d[.,/:|-])(?<!\d[ ][.,/:|-])(\d{4}B?\d{2}B?\d{3}|\d{3}B?\d{3}B?\d{3}"
    r"|\d{2}N\d{2}N\d{2}N\d{3}|\d{2}N\d{2}N\d{2}N\d{2}N\d)(?!\d|[ ]?[.,/:|-][ ]?\d)"
)


def _normalise_the_long_way(text: str) -> str:
    """``normalise_text`` as it was: every substitution run on every text."""
    import unicodedata

    from publish.gate import personal_data as p

    if not text.isascii():
        text = unicodedata.normalize("NFKC", p._FORMAT_CHARS.sub("", text))
        text = p._FORMAT_CHARS.sub("", text)
        text = p._DASHES.sub("-", text)
        text = text.translate(p._ASCII_PUNCTUATION)
        text = p._NON_ASCII_DIGIT.sub(p._ascii_digit, text)
        text = p._MARKS_ON_DIGITS.sub("", text)
    else:
        text = p._ASCII_CONTROLS.sub("", text)
    text = p._LINE_BREAKS.sub("\n", text)
    return p._SPACES.sub(" ", text)


def test_personal_data_found_with_the_quick_looks_is_what_the_long_way_finds(monkeypatch):
    """The BSN pattern with its first digit before the look-behinds, the searches that let a pattern run only
    where it may match (a postcode, two letters and two digits, nine digits in a row) and a normalisation that
    skips substitutions with nothing to replace: the same findings, at the same places, as the patterns and
    the normalisation they replace, on texts made to hit every edge (numbers next to separators, marks,
    invisible characters, other scripts' digits, dashes, area codes)."""
    import random
    import re

    from publish.gate import personal_data

    pieces = ["0", "1", "2", "5", "7", "9", " ", "\n", "\r\n", ".", ",", "-", "/", "(", ")", "+", "@", ":", "_", "a", "Z", "NL"]
    pieces += [
        "ECLI:NL:HR:2020:123",
        "ecLı:",
        "telefoon",
        "Tel:",
        "bsn ",
        "EUR ",
        "€",
        " euro",
        "Kerkweg 12 ",
        "1234 AB",
        "1234ab",
    ]
    pieces += ["06-12345678", "+31 6 1234 5678", "0031612345678", "(06) ", "(020)-", "123456782", "12 34 56 782", "12.34.56.78.2"]
    pieces += ["NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "jan.jansen@example.nl", "info@gemeente.nl", "\u200b", "\u00ad"]
    pieces += [
        "\u2013",
        "\u2212",
        "\u0663",
        "\uff10",
        "\uff20",
        "\u0301",
        "\ufb01",
        "\u00a0",
        "\u2028",
        "\x0c",
        "\x1d",
        "é",
        "\x85",
        "\t",
        "\u3002",
        "\u2044",
    ]
    rng = random.Random(11)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(4000)]
    for text in texts:
        assert personal_data.normalise_text(text) == _normalise_the_long_way(text), repr(text)

    def found(text: str) -> list:
        return [(i.kind, i.masked, i.hash, i.start) for g in (False, True) for i in personal_data.find_personal_data(text, 1, g)]

    quick = [found(t) for t in texts]
    for name in ("_MAY_BE_IBAN", "_MAY_BE_POSTCODE", "_NINE_DIGITS"):
        monkeypatch.setattr(personal_data, name, re.compile(""))
    monkeypatch.setattr(
        personal_data, "BSN", re.compile(_OLD_BSN.replace("N", personal_data._NSEP).replace("B", personal_data._BSEP))
    )
    monkeypatch.setattr(personal_data, "normalise_text", _normalise_the_long_way)
    assert [found(t) for t in texts] == quick
    assert sum(bool(q) for q in quick) > 1000 and {k for q in quick for k, *_ in q} == set(personal_data.KINDS)


def test_fonts_whose_glyphs_have_no_names_are_written_again_byte_for_byte_the_same(monkeypatch):
    """Glyphs of a TrueType font without names ('post' format 3, or no 'post': subset fonts in PDFs) are
    numbered rather than named from the character map: the font written again is byte for byte the same."""
    import io
    import random
    from pathlib import Path

    import reportlab
    from fontTools import subset
    from fontTools.ttLib import TTFont

    rng = random.Random(4)
    fonts = []
    for path in sorted((Path(reportlab.__file__).parent / "fonts").glob("*.ttf")):
        data = path.read_bytes()
        for variant in range(3):
            font = TTFont(io.BytesIO(data))
            options = subset.Options()
            options.glyph_names = variant == 0
            options.notdef_outline = True
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=rng.sample(range(32, 600), 60))
            subsetter.subset(font)
            if variant == 2:
                del font["post"]
            out = io.BytesIO()
            font.save(out)
            fonts.append(out.getvalue())
    assert (
        fonts
        and sum(gate_copy._unnamed_glyphs(TTFont(io.BytesIO(d), lazy=True).reader) > 0 for d in fonts) >= 2 * len(fonts) // 3
    )

    def written(data: bytes):
        try:
            return gate_copy._sfnt_written_again(gate_copy._sfnt_covered(data, "x"), "x")
        except gate_copy.CopyError as exc:
            return str(exc)

    damaged = [d[:n] for d in fonts[:3] for n in (200, 400)]
    quick = [written(d) for d in fonts + damaged]
    monkeypatch.setattr(gate_copy, "_unnamed_glyphs", lambda reader: 0)
    assert [written(d) for d in fonts + damaged] == quick


def _ocr_only(edit=None, ocr=None) -> bytes:
    """A scanned page (test_gate_leaks_scan) with only its OCR layer as text: the visible line taken out."""
    from test_gate_leaks_scan import LINE, VISIBLE, scan

    pdf = pikepdf.open(io.BytesIO(scan([LINE, ["Tweede", "regel", "van", "de", "scan"]], edit=edit, ocr=ocr)))
    page = pdf.pages[0]
    page.obj.Contents = pdf.make_stream(page.obj.Contents.read_bytes().replace(VISIBLE, b""))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _ocr_black_box() -> bytes:
    from test_gate_leaks_scan import OCR, black_box

    return _ocr_only(black_box("5.1.2.e"), OCR)


def _ocr_overtyped() -> bytes:
    from test_gate_leaks_scan import OCR, overtype

    return _ocr_only(overtype("XXXXXXXXX"), OCR)


def _without_head(data: bytes) -> bytes:
    """A ``pdf_tricks`` page without the visible line it starts with."""
    pdf = pikepdf.open(io.BytesIO(data))
    page = pdf.pages[0]
    head = f"BT /F1 11 Tf 72 780 Td ({tricks.VISIBLE}) Tj ET\n".encode("latin-1")
    content = page.obj.Contents.read_bytes()
    assert content.startswith(head)
    page.obj.Contents = pdf.make_stream(content[len(head) :])
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _as_ocr(data: bytes) -> bytes:
    """A ``pdf_tricks`` page without its visible line, every text object of its content made invisible (3 Tr):
    an OCR layer over whatever the page draws (a box, a shading, an image, a link's appearance, ...)."""
    pdf = pikepdf.open(io.BytesIO(_without_head(data)))
    page = pdf.pages[0]
    content = re.sub(rb"\b[0-7] Tr\b", b"3 Tr", page.obj.Contents.read_bytes()).replace(b"BT ", b"BT 3 Tr ")
    page.obj.Contents = pdf.make_stream(content)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


INVISIBLE_ONLY = {
    **{f"ocr_over_{name}": (lambda build=build: _as_ocr(build())) for name, build in tricks.COVERS.items()},
    **{f"ocr_beside_{name}": (lambda build=build: _as_ocr(build(beside=True))) for name, build in tricks.COVERS.items()},
    "ocr_in_a_layer_that_is_off": lambda: _as_ocr(tricks.HIDDEN["layer_base_state_off"]()),
    "render_mode_3": lambda: _without_head(tricks.HIDDEN["render_mode_3"]()),
    "type3_invisible": lambda: _without_head(type3_text(3)),
    "scan_ocr_over_print": lambda: _without_head(tricks.scan_with_ocr(False)),
    "scan_ocr_over_black": lambda: _without_head(tricks.scan_with_ocr(True)),
    "scan_lines_ocr": _ocr_only,
    "scan_lines_ocr_black_box": _ocr_black_box,
    "scan_lines_ocr_overtyped": _ocr_overtyped,
}


@pytest.mark.parametrize("name", sorted(INVISIBLE_ONLY))
def test_a_page_with_only_invisible_text_draws_the_same_without_it_and_owns_no_pixel(name):
    """The shortcut for pages whose text is all invisible (an OCR layer): the page drawn without text is
    the page as drawn, and the owner map is blank, as the renders they replace give them."""
    doc = pdfium.PdfDocument(INVISIBLE_ONLY[name]())
    page = doc[0]
    raw.FPDFPage_SetRotation(page, 0)
    texts = [o for o, kind, _m in visibility._walk(page) if kind == raw.FPDF_PAGEOBJ_TEXT]
    assert texts and visibility._invisible_only([visibility._GET_MODE(visibility._address(o)) for o in texts]), name
    width, height = page.get_width(), page.get_height()
    for scale in (1.0, 2.0):
        canvas = visibility._Canvas(width, height, (0, 0, width, height), scale)
        full = canvas.render(page, grayscale=True, draw_annots=True)
        assert np.array_equal(visibility._render_without_text(page, texts, canvas), full), name
        groups: dict[int, float] = {}
        assert not visibility._owner_map(doc, 0, canvas, len(texts), groups).any(), name


def test_one_visible_text_object_takes_the_shortcut_away():
    """A scan with one visible line besides its OCR layer is drawn three times, as any page."""
    from test_gate_leaks_scan import LINE, scan

    doc = pdfium.PdfDocument(scan([LINE]))
    page = doc[0]  # kept: its objects live as long as the page
    texts = [o for o, kind, _m in visibility._walk(page) if kind == raw.FPDF_PAGEOBJ_TEXT]
    assert not visibility._invisible_only([visibility._GET_MODE(visibility._address(o)) for o in texts])
    assert visibility._invisible_only([])  # no text object at all: nothing drawn by text (pages without text end earlier)


@pytest.mark.parametrize("name", sorted(INVISIBLE_ONLY))
def test_pages_of_invisible_text_get_the_same_verdicts_with_all_three_renders(name, monkeypatch):
    data = INVISIBLE_ONLY[name]()
    quick = _verdicts(data)
    quick_hidden = visibility.inspect_document(data)
    monkeypatch.setattr(visibility, "_invisible_only", lambda modes: False)
    assert _verdicts(data) == quick, name
    assert visibility.inspect_document(data) == quick_hidden, name


_UNOWNED_CASES = sorted({**_REPRODUCERS, **{f"only_{k}": v for k, v in INVISIBLE_ONLY.items()}})


def _unowned_case(name: str) -> bytes:
    if name.startswith("only_"):
        return INVISIBLE_ONLY[name[len("only_") :]]()
    return _REPRODUCERS[name]()


@pytest.mark.parametrize("name", _UNOWNED_CASES)
def test_letters_of_text_owning_no_pixel_get_what_the_full_judgement_gives(name, monkeypatch):
    """``_judge_unowned`` (summed-area counts for text that draws nothing, an OCR layer) against ``_judge``
    for every character: the same hidden text, the same findings, texts and published bytes."""
    data = _unowned_case(name)
    quick, quick_hidden = _verdicts(data), visibility.inspect_document(data)
    monkeypatch.setattr(visibility, "_judge_unowned", lambda cs, *args: [None] * len(cs))
    assert visibility.inspect_document(data) == quick_hidden, name
    assert _verdicts(data) == quick, name


def test_letters_owning_no_pixel_in_the_xray_set_get_what_the_full_judgement_gives(monkeypatch):
    if not XRAY.is_dir():
        pytest.skip("../shared/testdata/xray is not present")
    files = sorted(XRAY.glob("*.pdf"))
    quick = {f.name: visibility.inspect_document(f.read_bytes()) for f in files}
    judged = []
    unowned = visibility._judge_unowned
    monkeypatch.setattr(visibility, "_judge_unowned", lambda cs, *args: judged.extend(unowned(cs, *args)) or [None] * len(cs))
    assert {f.name: visibility.inspect_document(f.read_bytes()) for f in files} == quick
    assert len(judged) > 1000 and {v for v in judged if v is not None} >= {visibility.ONZICHTBAAR}  # the OCR pages


def test_the_end_of_a_jpeg_scan_is_found_where_the_pattern_finds_it():
    """``copy._scan_end`` (bytes.find) against the regular expression it replaces, on every short string of
    the bytes that matter (0xFF, a stuffed 0x00, RSTn, a marker, data) from every start, and on a real JPEG."""
    import itertools
    import random

    from PIL import Image

    pattern = gate_copy._JPEG_SCAN_END
    for size in range(7):
        for data in map(bytes, itertools.product([0xFF, 0x00, 0xD3, 0xD9, 0x41], repeat=size)):
            for start in range(size + 1):
                found = pattern.search(data, start)
                assert gate_copy._scan_end(data, start) == (found.start() if found else None), (data, start)
    rng = random.Random(7)
    for _ in range(2000):
        data = bytes(rng.choice([0xFF, 0xFF, 0x00, 0xD0, 0xD7, 0xD8, 0xDA, 0x7F]) for _ in range(rng.randint(0, 40)))
        start = rng.randint(0, len(data))
        found = pattern.search(data, start)
        assert gate_copy._scan_end(data, start) == (found.start() if found else None), (data, start)
    out = io.BytesIO()
    Image.effect_noise((300, 200), 80).save(out, "JPEG", quality=90)
    jpeg = out.getvalue()
    start = jpeg.index(b"\xff\xda") + 2 + int.from_bytes(jpeg[jpeg.index(b"\xff\xda") + 2 :][:2], "big")
    assert gate_copy._scan_end(jpeg, start) == pattern.search(jpeg, start).start() == len(jpeg) - 2


def test_an_ocr_layer_under_a_cover_is_still_refused_with_the_shortcut():
    """The shortcut for pages of invisible text keeps every refusal: an OCR word under a black box, under an
    image, under a link's black appearance is invisible text under a cover; beside the cover it is the
    invisible text it was."""
    for name in ("black_box", "image_with_smask", "link_appearance", "clipped_shading"):
        over = {f[0] for f in _verdicts(INVISIBLE_ONLY[f"ocr_over_{name}"]())[2]}
        beside = {f[0] for f in _verdicts(INVISIBLE_ONLY[f"ocr_beside_{name}"]())[2]}
        assert "pdf.onzichtbare_tekst_onder_vlak" in over or "pdf.onzichtbare_tekst_op_zwart" in over, (name, over)
        assert beside & {"pdf.onzichtbare_tekst", "pdf.onzichtbare_tekst_op_zwart", "pdf.onzichtbare_tekst_onder_vlak"}, (
            name,
            beside,
        )


def _overtyped_as_it_was(under, inked, paper: float, word: str, em: float) -> bool:
    """``visibility._overtyped`` before it stopped at the first pitch that repeats (np.flatnonzero, mean, max)."""
    import math

    v = visibility
    if not v._may_be_overtyped(word):
        return False
    profile = inked.sum(axis=0)
    columns = np.flatnonzero(profile)
    if len(columns) < 2:
        return False
    first, last = int(columns[0]), int(columns[-1]) + 1
    width = last - first
    shortest = max(3, round(v.REPEAT_MIN_PITCH * em))
    longest = int((width - 1) / (v.REPEAT_SIGNS - 0.2))
    longest = min(longest, max(shortest, round(v.REPEAT_MAX_PITCH * em)))
    if longest < shortest:
        return False
    profile = profile[first:last].astype(np.float64)
    mean = float(profile.mean())
    profile = profile - mean
    energy = float(profile @ profile)
    if energy <= (v.REPEAT_EVEN * mean) ** 2 * width:
        return True
    lags = np.arange(shortest, longest + 1)
    if width <= 1024:
        ring = np.correlate(profile, profile, "full")[width - 1 + lags]
    else:
        ring = np.array([float(profile[:-lag] @ profile[lag:]) for lag in lags.tolist()])
    ring = ring / energy * width / (width - lags)
    if ring.max() < v.REPEAT_PROFILE:
        return False
    guess = float(lags[int(np.argmax(ring))])
    step = max(1, math.ceil(math.sqrt((last - first) * under.shape[0] / v.REPEAT_MOST_PIXELS)))
    if step > 1:
        guess /= step
    dark = np.clip(paper - under[::step, first:last:step].astype(np.float32), 0, None)

    def repeats(pitch: float) -> float:
        return min(v._similarity(dark, k * pitch) for k in range(1, v.REPEAT_SIGNS))

    return max(repeats(guess + step / 8) for step in range(-8, 9)) >= v.REPEAT_SIMILAR


def _dotted_as_it_was(inked) -> bool:
    """``visibility._dotted`` before it counted narrow patches against the image's height first."""
    columns = np.asarray(inked.any(axis=0))
    edges = np.flatnonzero(columns[1:] != columns[:-1]) + 1
    if len(edges) < 6:
        return False
    starts = edges[1::2] if columns[0] else edges[0::2]
    if len(starts) < 3:
        return False
    ends = edges[2::2] if columns[0] else edges[1::2]
    starts, ends = starts[: len(ends)][:-1], ends[: len(starts)][:-1]
    rows = inked.sum(axis=1)
    top = int(np.argmax(rows > 0))
    base = int(np.flatnonzero(rows >= 0.3 * rows.max())[-1])
    tall = base - top + 1
    narrow = (ends - starts) <= max(2, 0.25 * tall)
    if tall < 5 or int(narrow.sum()) < visibility.DOTS:
        return False
    height = inked.shape[0]
    highest = np.where(columns, np.argmax(inked, axis=0), height)
    lowest = np.where(columns, height - 1 - np.argmax(inked[::-1], axis=0), -1)
    bounds = np.column_stack((starts, ends)).ravel()
    highs = np.minimum.reduceat(highest, bounds)[0::2]
    lows = np.maximum.reduceat(lowest, bounds)[0::2]
    seen = narrow & (highs >= base - 0.3 * tall) & (lows <= base + 0.15 * tall)
    return int(seen.sum()) >= visibility.DOTS


def test_the_image_under_an_ocr_word_is_judged_as_before():
    """``_overtyped`` and ``_dotted`` against the code they replace, on printed words, overtyping (XXXX, ****,
    ----, blocks), ground codes (5.1.2.e), dots and noise, at several sizes and grey levels."""
    import random

    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(5)
    texts = ["Pietersen", "XXXXXXXXX", "*********", "---------", "5.1.2.e", "5.1.2.e 10.2.g", "minimum", "illegaal", "....."]
    texts += ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz.il1X*") for _ in range(rng.randint(3, 14))) for _ in range(60)]
    seen = {"overtyped": set(), "dotted": set()}
    for text in texts:
        for size in (8, 11, 16, 30):
            font = ImageFont.load_default(size=size)
            image = Image.new("L", (round(size * 0.7 * len(text)) + 20, round(size * 1.6)), rng.choice([255, 240, 200]))
            ImageDraw.Draw(image).text((6, size * 0.2), text, fill=rng.choice([0, 40, 90]), font=font)
            under = np.asarray(image)
            if rng.random() < 0.3:
                under = np.clip(
                    under.astype(np.int16) + np.array([rng.randint(-30, 30) for _ in range(under.size)]).reshape(under.shape),
                    0,
                    255,
                ).astype(np.uint8)
            paper = visibility._percentile_90(under)
            inked = under < paper - visibility.INK_CONTRAST
            for word in (text, "Pietersen", "woord"):
                quick = visibility._overtyped(under, inked, paper, word, float(size))
                assert quick == _overtyped_as_it_was(under, inked, paper, word, float(size)), (text, size, word)
                seen["overtyped"].add(quick)
            dotted = visibility._dotted(inked)
            assert dotted == _dotted_as_it_was(inked), (text, size)
            seen["dotted"].add(dotted)
    assert seen == {"overtyped": {True, False}, "dotted": {True, False}}  # both answers were met
