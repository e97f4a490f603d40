"""Where the gate's time goes: CPU seconds per stage, summed over everything a process inspected.

CPU time of this process, not the wall clock: on a shared machine the breakdown then does not depend
on what else runs. Always on (a clock read per stage and page costs about a microsecond);
``benchmarks/gate_throughput.py`` reports the totals per corpus, beside the pages per second.
Nothing here changes a result.
"""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import contextmanager

TOTALS: dict[str, float] = defaultdict(float)


@contextmanager
def stage(name: str):
    start = time.process_time()
    try:
        yield
    finally:
        TOTALS[name] += time.process_time() - start


def add(name: str, seconds: float) -> None:
    TOTALS[name] += seconds


def snapshot() -> dict[str, float]:
    return dict(TOTALS)
