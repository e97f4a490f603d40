"""Inventory reading: seconds and peak memory to read and check a productierapport of N rows
(the VWS layout: title row, 14 columns, e-discovery dates), as xlsx and as CSV.

Run: .venv/bin/python benchmarks/inventory_read.py [--rows 50000]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook

from publish.package import load_package

HEADER = [
    "ID",
    "Matter",
    "Family",
    "Email Thread ID",
    "Document",
    "File Type",
    "Datum",
    "Beoordeling",
    "Opgeschort",
    "Beoordelingsgrond",
    "Toelichting",
    "Publieke Link",
    "Gerelateerd ID",
    "Locatie open.minvws.nl",
]


def rows(n: int):
    for i in range(1, n + 1):
        nr = 100_000 + i
        yield [
            nr,
            "VWS-WOO-2021-017",
            100_000 + (i - 1) // 3 * 3 + 1,
            f"T-{i // 10}",
            f"E-mail {i} over testen.msg",
            "email",
            "2/19/2021 8:46 AM UTC",
            "Niet openbaar",
            "Nee",
            "5.1.2e; 5.1.2i",
            "",
            "",
            "",
            "https://open.minvws.nl/x",
        ]


def package(folder: Path, n: int, kind: str) -> Path:
    folder.mkdir()
    (folder / "besluit.md").write_text(
        "---\nkenmerk: BENCH-1\ntitel: Benchmark\norganisatie: VWS\nwet: Woo\nbesluit: niet openbaar\n"
        f"besluit_datum: 2024-05-01\npublicatie_datum: 2024-05-02\nbesluitbrief: besluit.pdf\ninventaris: inventaris.{kind}\n---\n",
        encoding="utf-8",
    )
    (folder / "besluit.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    if kind == "xlsx":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Productierapport")
        ws.append(["Inventarislijst"])
        ws.append(HEADER)
        for row in rows(n):
            ws.append(row)
        wb.save(folder / "inventaris.xlsx")
    else:
        with (folder / "inventaris.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(HEADER)
            writer.writerows(rows(n))
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--memory", action="store_true", help="also measure peak memory (tracemalloc: several times slower)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("xlsx", "csv"):
            folder = package(Path(tmp) / kind, args.rows, kind)
            if args.memory:
                tracemalloc.start()
            started = time.perf_counter()
            decision, problems = load_package(folder)
            seconds = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] if args.memory else 0
            tracemalloc.stop()
            rows_read = len(decision.inventory) if decision else 0
            print(
                f"{kind}: {args.rows} rows, {rows_read} read, {seconds:.1f} s"
                + (f", peak {peak / 2**20:.0f} MiB (tracemalloc)" if args.memory else "")
                + ", "
                f"{len([p for p in problems if p.is_error])} errors"
            )


if __name__ == "__main__":
    main()
