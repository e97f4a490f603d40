"""Where the gate's time goes: seconds per stage, summed over everything a process inspected.

Always on (a clock read per stage and page costs microseconds); ``benchmarks/gate_throughput.py``
reports the totals per corpus, beside the pages per second. Nothing here changes a result.
"""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import contextmanager

TOTALS: dict[str, float] = defaultdict(float)


@contextmanager
def stage(name: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        TOTALS[name] += time.perf_counter() - start


def add(name: str, seconds: float) -> None:
    TOTALS[name] += seconds


def snapshot() -> dict[str, float]:
    return dict(TOTALS)
