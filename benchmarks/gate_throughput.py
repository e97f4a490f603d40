"""Gate throughput: pages per second of the redaction and privacy gate (with text extraction), over
all cores, beside poppler's ``pdftotext`` run over the same files with the same number of processes,
and beside the previous gate when a checkout with it is given. Peak memory per worker is reported too.

Four corpora: the x-ray test set (../shared/testdata/xray, when present), the generated corpus of
``corpus.py`` (a text object per word, redaction boxes with ground codes), multi-page documents laid
out like real letters and reports (reportlab platypus: headings, justified paragraphs, a table, a logo,
page headers and numbers) and scanned letters (a 150 dpi greyscale JPEG per page with an OCR layer of
invisible words over the printed ones: most of what Woo decisions publish).

Each worker does what a build's worker does with a PDF (``publish.pdfs._work`` without the cache: the
precheck, then the gate) and runs it once before the clock starts, so imports are not counted as work.
Besides pages per second (wall clock, all workers) it reports CPU milliseconds per page of the gate and
of ``pdftotext`` (whole process, start-up included) and their ratio: on a shared machine the wall-clock
ratio swings with the load of the moment (pdftotext's runs are short), the CPU ratio does not. Last,
CPU milliseconds per page per stage of the gate (``publish/gate/timing.py``).

Fourth speed round (issue 10, item 5), ``--files 4 --pages 4 --old CHECKOUT`` on a lightly loaded machine (load 0.6
to 0.7: wall-clock pages per second halved by another job, CPU time is what counts), the old gate being main before
the round, both in the same run; CPU ms per page, peak memory per worker:

    corpus                 gate  before  pdftotext  PDFium alone (load, text, one render) | peak memory
    x-ray (47 pages)       68.1    75.5     4.8        9.9                                 | 144 MB (144)
    generated (21 pages)   22.4    22.7     2.3        2.9                                 |  94 MB (94)
    real-looking (17)      12.1    12.3     2.1        2.5                                 |  96 MB (96)
    scans with OCR (16)    83.0   156.4     2.3       21.3                                 | 111 MB (110)

Scans with an OCR layer take half the CPU time (-47 %); x-ray -10 % (an earlier run of the same command: 68.6
against 68.5, so partly noise), generated and real-looking unchanged (noise of a few %). Ratio to pdftotext in CPU
time: 0.07, 0.10, 0.17 and 0.03 (scans: 0.015 before). What changed, each exact (the same verdicts, texts and
published bytes; tests/test_gate_speed.py compares each with what it replaces, on every leak reproducer, an OCR
layer over and beside every kind of cover, and the x-ray set):

- a page whose text is all invisible (render mode 3: the OCR layer of a scan) is drawn once, not three times: the
  page without text is the page as drawn (making invisible text invisible changes nothing), and the owner map is
  blank (invisible text paints nothing, Type 3 fonts included); for a scanned page that is one costly render less;
- letters of text objects that own no pixel of the page (an OCR layer) are judged all at once with numpy (summed-area
  counts of dark and owned pixels per box, later covers per pair), in ``_judge``'s order; ``_judge`` still decides
  every other letter and any box with later text in it; no double to excuse when no letter is seen;
- the image under each OCR word (``_under_scan``) answers early where the answer is already known: the first pitch at
  which a sign repeats (``any``/``all`` instead of ``max``/``min`` over the same similarities), too few narrow
  patches even for the image's full height; 95 -> 64 microseconds per word;
- the end of a JPEG's entropy-coded data (``copy.jpeg_without_metadata``) is found with ``bytes.find`` instead of a
  look-behind pattern that tried every byte: 5 ms -> 0.4 ms per scanned page.

Where the time goes now (CPU ms per page, this run, per stage; the breakdown below is from cProfile and the stage
clocks of ``publish/gate/timing.py``):

    generated:    owner map 4.7 (page loaded again 0.45, 400 text objects recoloured 1.4, text-only render 1.1 to
                  1.9, codes 0.4), copy cleaning 4.4 (qpdf parses the named operators 1.4, Python reads 800 Tf/Tm
                  operands 2.5: a Tf and a Tm per word), characters 2.5 (which text object each of 3,700 characters
                  belongs to: 1.3, one PDFium call each), objects 2.1, render as seen 1.8, pixel comparison 1.6,
                  page and text page loaded 1.4, personal data 1.1, copy written (linearised) 0.9, page without text 0.6
    real-looking: owner map 3.1, render as seen 1.7, personal data 1.5 (pypdf re-reading the copy for kept strings
                  0.9, its ASCII85 decoding of reportlab's streams 0.3), copy cleaning 1.2, pixel comparison 1.1,
                  page loaded 1.0, copy written 0.8
    scans:        characters 48.9 (the image under each OCR word: overtyping and ground codes about 22, reading 3,300
                  characters' letters and boxes 9 to 11, the letters judged 5), render as seen 14.3 (the JPEG decoded
                  and scaled), copy cleaning 7.6, copy written 2.7
    x-ray:        copy cleaning 16.4 (fonts written again by fontTools, one-page files: per-file costs), render as
                  seen 8.1, fonts 7.3, copy written 6.9, characters 6.8, personal data 5.1

Three renders per page (as seen and without text in grey with anti-aliasing, the owner map in 32-bit colour
without), at 72 dpi (``SCALE``; more only for small print), cropped to the text area: 1.1 to 1.5 ms each for a
page of text (the glyphs, not the pixels: half the resolution saves a third, so a low-resolution first pass with
a second full pass for unclear letters costs more than it saves), 5 to 15 ms for a scanned page. Tried and left
out: BGR or BGRA owner maps (no faster), a grey owner map (256 codes: blended colours would name another
object), the owner map on the loaded page (its colours and objects are needed afterwards, and PDFium has no
getter for the blend mode it overwrites), character-to-object mapping through ``map`` (5 %).

Half of pdftotext's pages per second stays out of reach for a gate that judges pixels: PDFium alone (load, text,
ONE render) already costs 0.49 (x-ray), 0.79, 0.84 and 0.11 (scans) of pdftotext's CPU time, the gate draws a
page of visible text three times, and the published copy (qpdf parsing, cleaning, a linearised save) and the
personal-data scan come on top. Without a native (C) extension the floor for the real-looking corpus is about 7
ms per page (renders 3.5, loads 1.2, qpdf 1.5, pypdf 1): 0.3 of pdftotext's speed.

Third speed round (issue 10, item 5), ``--files 4 --pages 4 --old CHECKOUT`` on an idle machine (load 0.7), the
old gate being main before the round, both in the same run; CPU ms per page, peak memory per worker:

    corpus                 gate  before  pdftotext  PDFium alone (load, text, one render) | peak memory
    x-ray (47 pages)       67.9    71.7     4.7       10.1                                 | 126 MB (126)
    generated (21 pages)   21.5    28.0     2.3        2.8                                 |  76 MB (76)
    real-looking (17)      11.3    12.2     2.0        2.4                                 |  77 MB (77)

The floor line ("alleen PDFium") shows what a render-based gate cannot go below: one render plus text extraction
already costs 0.46 (x-ray) to 0.84 of pdftotext's CPU time, and the gate draws each page three times. Half of
pdftotext's speed is out of reach for a gate that judges pixels.
What changed (each exact: tests/test_gate_speed.py compares it with what it replaces; every run_gate call of the
gate, copy and privacy tests gave the same findings, published bytes and page texts as the old gate): the personal
data scan (BSN pattern with its first digit first, cheap "maybe" searches before patterns that rarely match,
normalisation skipping substitutions with nothing to replace: 2.2 -> 0.5 ms per page), TrueType fonts without glyph
names written again without fontTools naming every glyph from the character map, np.roll out of the glyph outline
loop, PDFium's own characters' boxes read only when needed, Tm/cm numbers read by index.

Run (small sizes only on a shared machine):
    .venv/bin/python benchmarks/gate_throughput.py --files 4 --pages 4 [--old /path/to/old/checkout]

Figures (issue 10, item 5, second speed round; 2 cores shared with other jobs, load average 21 to 28, so
compare CPU milliseconds, not pages per second; ``--files 4 --pages 4 --old CHECKOUT`` with the gate before
this round as the old one, both measured in the same run):

    corpus                      CPU ms/page: gate  before  pdftotext | gate/pdftotext: CPU   peak memory per worker
    x-ray testset (47 pages)                 59.4    74.0     6.9    |                0.12  128 MB (before 149, pdftotext 36)
    gegenereerd (21 pages)                   30.5    38.9     2.9    |                0.09   78 MB (79)
    echt ogend (17 pages)                    15.7    16.9     2.6    |                0.17   81 MB (81)

An earlier run of the same command (load 21): 57.7 / 66.2, 27.4 / 35.0, 14.4 / 16.1 ms. One process, each
corpus twice, old and new in the same minute: x-ray 63.7 -> 53.4 (-16%), generated 36.2 -> 29.4 (-19%),
real-looking 16.3 -> 15.1 (-7%) ms per page. Every verdict, page text and published byte is the same
(tests/test_gate_speed.py: each rewrite against the loop it replaces, on every leak reproducer family).

What this round changed, all in the hot loops of ``publish/gate/visibility.py`` (and one line of
``personal_data.py``): characters of text objects proven visible stay an object index (no ``_Char``, no
letter or box read) until some character turns out hidden; handles are cast to ints once per page through
their buffer (``ctypes.cast`` cost 1 to 4 microseconds each); render modes are read once; the Type 3 scale
once per font and size; overlapping text on a dense page (x-ray 6.2: 4,022 text objects, one per letter) is
counted with numpy instead of the pure-Python grid, the window below a line only as deep as the tallest
word, the pairs made a slice at a time (the x-ray worker's peak memory fell from 149 to 128 MB); piled-letter candidates on pages with many short objects skip objects with at most one character
(PDFium assembles an object's text by going through every character of the page); per-letter pixel
shares with ``count_nonzero``; owner codes cleared by one multiplication; later covers over a letter with
the overlap written out; the personal-data scan returns at once for ASCII text without a digit or '@'.

The goal, half of pdftotext's pages per second, is still far off: the gate needs 5 to 10 times
pdftotext's CPU time. Where the time goes now (CPU ms per page, the earlier run):

    x-ray:       render full 8.5, characters judged one by one 8.1 (pages with doubtful text objects: OCR layers,
                 overlaps), copy cleaning 8.0, personal data 6.2 (3.7 of it pypdf re-reading the copy for kept
                 strings), owner map 5.5, without text 4.3, pixel counts 4.1, fonts 2.4, precheck 2.4, copy written 2.3
    generated:   copy cleaning 5.4, owner map 4.6 (page loaded again 0.4, text recoloured 1.3, render 1.5),
                 characters 3.1 (only to find the letters of the few short objects that may be piled up: every
                 character's text object is read once), pixels 2.6, objects 2.5, personal data 2.2, full 1.8
    real-looking: owner map 3.1, personal data 2.2 (half of it pypdf's pure-Python ASCII85 decoding of
                 reportlab's streams), full 1.7, pixels 1.7, load 1.1, copy 1.0, copy written 0.9

The three renders alone (x-ray 18.3, generated 7.3, real-looking 5.3 ms) cost about twice pdftotext's whole
run (2.6 to 6.0 ms, process start included), and PDFium's work in them is not ours to shorten without
changing what is judged. Skipping the owner-map render with a structural fast path would save at most its
share, and no page of these corpora would qualify: ground codes sit on redaction boxes, table headers on
a background, and most real-world pages have clipping, forms or overlapping text. Half of pdftotext's
speed needs a different engine for the renders (one pass that writes the owner codes and the two grey
pages at once), not more Python.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from corpus import WORDS, write_document  # noqa: E402

XRAY = next((p / "shared" / "testdata" / "xray" for p in HERE.parents if (p / "shared" / "testdata" / "xray").is_dir()), None)

# The worker for any checkout: imports ``publish.pdfs`` from the path it is given.
WORKER = r"""
import json, os, resource, sys, time
from concurrent.futures import ProcessPoolExecutor
sys.path.insert(0, sys.argv[1])

def stages():
    try:
        from publish.gate.timing import snapshot
    except ImportError:  # an older gate without stage timing
        return {}
    return snapshot()

def inspect(data):
    # what a build's worker does with one PDF (publish.pdfs._work without the cache): the precheck
    # (encryption, page count, bounded Flate counting) where the checkout has one, then the gate
    import inspect as signature
    import publish.pdfs as pdfs
    if not hasattr(pdfs, "_precheck"):
        return pdfs._inspect_bytes(data)
    from publish.limits import DEFAULT_LIMITS
    if "opened" not in signature.signature(pdfs._precheck).parameters:
        refused = pdfs._precheck(data, DEFAULT_LIMITS)
        return (refused, None) if refused else pdfs._inspect_bytes(data)
    opened = []
    refused = pdfs._precheck(data, DEFAULT_LIMITS, opened)
    return (refused, None) if refused else pdfs._inspect_bytes(data, opened[0] if opened else None)

def work(path):
    with open(path, "rb") as handle:
        data = handle.read()
    before, cpu = stages(), time.process_time()
    result, _ = inspect(data)
    after, cpu = stages(), time.process_time() - cpu
    spent = {k: v - before.get(k, 0.0) for k, v in after.items()}
    return result.get("pages", 0), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, spent, cpu

def warm(path):
    # every worker imports and runs the whole gate once before the clock starts: a build's workers
    # serve many PDFs, so the first call's imports (numpy, PDFium, qpdf) are not per-page work
    import time
    with open(path, "rb") as handle:
        inspect(handle.read())
    time.sleep(0.2)  # so that every worker gets one
    return os.getpid()

if __name__ == "__main__":
    files, workers, warmup = json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(warm, [warmup] * workers))
        start = time.perf_counter()
        results = list(pool.map(work, files, chunksize=1))
        elapsed = time.perf_counter() - start
    spent = {}
    for _, _, s, _ in results:
        for k, v in s.items():
            spent[k] = spent.get(k, 0.0) + v
    print(json.dumps({"seconds": elapsed, "pages": sum(r[0] for r in results), "peak_kb": max(r[1] for r in results),
                      "stages": spent, "cpu": sum(r[3] for r in results)}))
"""


# The floor of a render-based gate: PDFium alone, in the same kind of worker, loading each page, extracting its
# text and drawing it once (grayscale, annotations included) at the gate's scale (``visibility.SCALE``, 72 dpi),
# nothing else. The gate draws each page three times (as seen, without text, the owner map) and judges the pixels.
FLOOR = r"""
import json, resource, sys, time
from concurrent.futures import ProcessPoolExecutor
sys.path.insert(0, sys.argv[1])

def work(path):
    import pypdfium2 as pdfium
    from publish.gate.visibility import SCALE
    with open(path, "rb") as handle:
        data = handle.read()
    cpu = time.process_time()
    doc = pdfium.PdfDocument(data)
    pages = len(doc)
    for index in range(pages):
        page = doc[index]
        textpage = page.get_textpage()
        textpage.get_text_range()
        page.render(scale=SCALE, grayscale=True, draw_annots=True, may_draw_forms=False).to_numpy()
        textpage.close()
        page.close()
    doc.close()
    return pages, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.process_time() - cpu

if __name__ == "__main__":
    files, workers, warmup = json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(work, [warmup] * workers))
        start = time.perf_counter()
        results = list(pool.map(work, files, chunksize=1))
        elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "pages": sum(r[0] for r in results), "peak_kb": max(r[1] for r in results),
                      "cpu": sum(r[2] for r in results)}))
"""


def run_floor(files: list[Path], workers: int, warmup: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", FLOOR, str(HERE.parent), json.dumps([str(f) for f in files]), str(workers), str(warmup)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_gate(checkout: Path, files: list[Path], workers: int, warmup: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", WORKER, str(checkout), json.dumps([str(f) for f in files]), str(workers), str(warmup)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_pdftotext(files: list[Path], workers: int) -> dict:
    def one(path: Path) -> tuple[int, float]:
        process = subprocess.Popen(["pdftotext", str(path), "-"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(process.pid, 0)  # this child's own peak memory and CPU time
        process.returncode = os.waitstatus_to_exitcode(status)
        return usage.ru_maxrss, usage.ru_utime + usage.ru_stime

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        measured = list(pool.map(one, files))
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "peak_kb": max(m for m, _ in measured), "cpu": sum(c for _, c in measured)}


def real_looking(path: Path, rng: random.Random, pages: int) -> Path:
    """A letter/report as office software lays it out: one text object per line, fonts, a table, a logo."""
    from PIL import Image, ImageDraw
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Image as Logo
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    body.alignment = 4  # justified
    logo = io.BytesIO()
    image = Image.new("RGB", (240, 80), (255, 255, 255))
    ImageDraw.Draw(image).rectangle((5, 5, 70, 75), fill=(21, 66, 115))
    image.save(logo, "PNG")

    def sentence() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."

    story = [Logo(io.BytesIO(logo.getvalue()), width=4 * cm, height=1.33 * cm)]
    for page in range(pages):
        story.append(Paragraph(f"{page + 1}. " + " ".join(rng.choice(WORDS) for _ in range(4)).capitalize(), styles["Heading2"]))
        for _ in range(5):
            story.append(Paragraph(" ".join(sentence() for _ in range(5)), body))
            story.append(Spacer(1, 6))
        rows = [["Nr", "Onderwerp", "Datum", "Beoordeling"]] + [
            [
                str(i + 1),
                rng.choice(WORDS).capitalize(),
                f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                rng.choice(["openbaar", "deels openbaar"]),
            ]
            for i in range(6)
        ]
        table = Table(rows, colWidths=[1.5 * cm, 6 * cm, 3 * cm, 4 * cm])
        table.setStyle(
            TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)])
        )
        story += [table, PageBreak()]

    def furniture(canvas, doc):
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, 1.2 * cm, f"Pagina {doc.page}")
        canvas.drawRightString(A4[0] - 2 * cm, A4[1] - 1.2 * cm, "Ministerie van Voorbeeldzaken")

    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story, onFirstPage=furniture, onLaterPages=furniture)
    return path


def scanned(path: Path, rng: random.Random, pages: int) -> Path:
    """A scanned letter: per page a 150 dpi greyscale JPEG of printed lines (Pillow) with an OCR layer of
    invisible words (render mode 3) laid over the printed ones, as scanners and OCR programs make them."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas as pdfcanvas

    dpi, size = 150, 11.0
    px = dpi / 72
    face = next(
        (Path(d) / "DejaVuSans.ttf" for d in ("/usr/share/fonts/truetype/dejavu",) if (Path(d) / "DejaVuSans.ttf").exists()), None
    )
    font = ImageFont.truetype(str(face), round(size * px)) if face else ImageFont.load_default()
    pdf = pdfcanvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = round(A4[0] * px), round(A4[1] * px)
    for _ in range(pages):
        image = Image.new("L", (width, height), 250)
        draw = ImageDraw.Draw(image)
        words = []
        y = round(72 * px)
        while y < height - 72 * px:
            x = round(72 * px)
            while True:
                word = rng.choice(WORDS)
                right = draw.textbbox((x, y), word, font=font, anchor="ls")[2]
                if right > width - 72 * px:
                    break
                draw.text((x, y), word, fill=20, font=font, anchor="ls")
                words.append((word, x, right, y))
                x = right + round(0.3 * size * px)
            y += round(1.5 * size * px)
        jpeg = io.BytesIO()
        image.save(jpeg, "JPEG", quality=75)
        pdf.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, width=A4[0], height=A4[1])
        text = pdf.beginText()
        text.setTextRenderMode(3)
        text.setFont("Helvetica", size)
        for word, left, right, base in words:
            text.setHorizScale(100 * (right - left) / px / stringWidth(word, "Helvetica", size))
            text.setTextOrigin(left / px, A4[1] - base / px)
            text.textOut(word)
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return path


def pages_of(files: list[Path]) -> int:
    import pypdfium2 as pdfium

    return sum(len(pdfium.PdfDocument(str(f))) for f in files)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=6)
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--old", type=Path, help="a checkout with the previous gate, measured beside this one")
    args = parser.parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        corpora = {}
        if XRAY is not None:
            corpora["x-ray testset"] = sorted(XRAY.glob("*.pdf"))
        corpora["gegenereerd (lakvlakken)"] = [
            write_document(Path(tmp) / f"doc{i}.pdf", rng, args.pages) for i in range(args.files)
        ]
        corpora["echt ogend (meerdere pagina's)"] = [
            real_looking(Path(tmp) / f"rapport{i}.pdf", rng, args.pages) for i in range(args.files)
        ]
        corpora["scans met OCR-laag"] = [scanned(Path(tmp) / f"scan{i}.pdf", rng, args.pages) for i in range(args.files)]
        warmup = write_document(Path(tmp) / "warmup.pdf", random.Random(1), 1)
        print(f"{args.workers} processen; pagina's per seconde (piekgeheugen per proces, CPU-tijd per pagina)")
        breakdowns = []
        for name, files in corpora.items():
            pages = pages_of(files)
            line = f"{name:32s} {len(files):3d} pdf's {pages:4d} pagina's |"
            new = run_gate(HERE.parent, files, args.workers, warmup)
            line += (
                f" gate v2 {pages / new['seconds']:6.1f} ({new['peak_kb'] // 1024} MB, CPU {1000 * new['cpu'] / pages:.1f} ms)"
            )
            if args.old is not None:
                old = run_gate(args.old, files, args.workers, warmup)
                line += f" | oude gate {pages / old['seconds']:6.1f} ({old['peak_kb'] // 1024} MB, CPU {1000 * old['cpu'] / pages:.1f} ms)"
            if shutil.which("pdftotext"):
                poppler = run_pdftotext(files, args.workers)
                ratio = (pages / new["seconds"]) / (pages / poppler["seconds"])
                cpu_ratio = poppler["cpu"] / new["cpu"] if new.get("cpu") else 0.0
                line += (
                    f" | pdftotext {pages / poppler['seconds']:6.1f} ({poppler['peak_kb'] // 1024} MB, CPU"
                    f" {1000 * poppler['cpu'] / pages:.1f} ms) | v2/pdftotext {ratio:.2f}, in CPU-tijd {cpu_ratio:.2f}"
                )
            floor = run_floor(files, args.workers, warmup)
            line += f" | alleen PDFium {pages / floor['seconds']:6.1f} ({floor['peak_kb'] // 1024} MB, CPU {1000 * floor['cpu'] / pages:.1f} ms)"
            if shutil.which("pdftotext") and floor.get("cpu"):
                line += f", /pdftotext in CPU-tijd {poppler['cpu'] / floor['cpu']:.2f}"
            print(line, flush=True)
            breakdowns.append((name, pages, new["stages"]))
        print("\nms per pagina per stap (gate v2, opgeteld over de processen):")
        for name, pages, spent in breakdowns:
            total = sum(spent.values())
            parts = ", ".join(f"{k} {1000 * v / pages:.1f}" for k, v in sorted(spent.items(), key=lambda kv: -kv[1]) if v > 0)
            print(f"  {name:32s} {1000 * total / pages:6.1f}: {parts}")


if __name__ == "__main__":
    main()
