"""The C library, for the Linux calls Python has no wrapper for (renameat2 in swap.py, prctl in
pdfs.py). None where there is no C library to load; callers then fall back."""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache


@lru_cache(maxsize=1)
def libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None


def release_free_memory() -> bool:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``; issue 19, mem11). CPython takes
    every object of more than 512 bytes (page texts, JSON and HTML text, the tables of large lists and dicts) from
    the C heap, and what a phase lets go stays resident, scattered between what lives on, so without this each phase
    of a build started from the peak of the phases before it. The build calls it at the end of every phase and the
    search index after each bucket; False where there is no glibc (nothing is released, nothing else changes)."""
    lib = libc()
    trim = getattr(lib, "malloc_trim", None) if lib is not None else None
    if trim is None:
        return False
    trim(0)
    return True
