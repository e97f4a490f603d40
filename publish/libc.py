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
