"""Published-copy writer: pages per second and size of the copy (pikepdf/qpdf, linearised), on a
generated corpus and on the x-ray set in ../shared/testdata/xray when present.

Run: .venv/bin/python benchmarks/published_copy.py [--files 20] [--pages 8]
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_document
from pypdf import PdfReader

from publish.gate.copy import published_copy

XRAY = Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "xray"


def measure(name: str, datas: list[bytes]) -> None:
    pages = sum(len(PdfReader(io.BytesIO(d)).pages) for d in datas)
    best, size = float("inf"), 0
    for _ in range(3):
        t0 = time.perf_counter()
        size = sum(len(published_copy(d)) for d in datas)
        best = min(best, time.perf_counter() - t0)
    print(
        f"{name:>20}: {len(datas)} pdf's, {pages} pagina's: {pages / best:8.1f} pagina's/s, "
        f"{len(datas) / best:6.1f} pdf's/s; kopie {size / max(1, sum(map(len, datas))):.2f}x de grootte van het origineel"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--pages", type=int, default=8)
    args = parser.parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        files = [write_document(Path(tmp) / f"doc{i}.pdf", rng, args.pages) for i in range(args.files)]
        measure("gegenereerd", [f.read_bytes() for f in files])
    xray = sorted(XRAY.glob("*.pdf"))
    if xray:
        measure("x-ray", [p.read_bytes() for p in xray])


if __name__ == "__main__":
    main()
