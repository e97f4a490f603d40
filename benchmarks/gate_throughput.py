"""Gate throughput: pages per second of the full redaction and privacy gate beside plain pypdf
text extraction of the same files (and poppler's pdftotext when installed).

Run: .venv/bin/python benchmarks/gate_throughput.py [--files 40] [--pages 8]
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_document
from pypdf import PdfReader

from publish.pdfs import _inspect_bytes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--pages", type=int, default=8)
    args = parser.parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        files = [write_document(Path(tmp) / f"doc{i}.pdf", rng, args.pages) for i in range(args.files)]
        datas = [f.read_bytes() for f in files]
        pages = sum(len(PdfReader(io.BytesIO(d)).pages) for d in datas)

        t0 = time.perf_counter()
        for d in datas:
            for page in PdfReader(io.BytesIO(d)).pages:
                page.extract_text()
        plain = time.perf_counter() - t0

        t0 = time.perf_counter()
        leaks = 0
        for d in datas:
            result, _ = _inspect_bytes(d)
            leaks += sum(1 for f in result["findings"] if f["severity"] == "fout")
        gated = time.perf_counter() - t0

        poppler = None
        if shutil.which("pdftotext"):
            t0 = time.perf_counter()
            for f in files:
                subprocess.run(["pdftotext", str(f), "-"], capture_output=True, check=True)
            poppler = time.perf_counter() - t0

    print(f"corpus: {len(datas)} pdf's, {pages} pagina's (met lakvlakken en gronden), {leaks} fouten gevonden")
    print(f"pypdf extract_text:          {pages / plain:8.1f} pagina's/s")
    print(f"gate (extractie + controles): {pages / gated:8.1f} pagina's/s  ({gated / plain:.2f}x de tijd van extract_text)")
    if poppler is not None:
        print(f"poppler pdftotext:           {pages / poppler:8.1f} pagina's/s")


if __name__ == "__main__":
    main()
