"""Put a finished output directory in place of the live one in a single step.

On Linux the two directories are exchanged with renameat2(RENAME_EXCHANGE), so there is no moment
without a site. Elsewhere the old directory is renamed aside first, which leaves a gap of one rename.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from pathlib import Path

from .libc import libc

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    renameat2 = getattr(libc(), "renameat2", None)
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_in(new: Path, live: Path, trash: Path) -> None:
    """Make ``new`` the ``live`` directory; the previous one ends up at ``trash`` and is removed."""
    if live.is_symlink() or (live.exists() and not live.is_dir()):
        raise RuntimeError(f"{live} bestaat al en is geen map")
    if not live.exists():
        os.rename(new, live)
        return
    if _exchange(new, live):
        os.rename(new, trash)  # ``new`` now holds the old site
    else:
        os.rename(live, trash)
        try:
            os.rename(new, live)
        except OSError:
            os.rename(trash, live)
            raise
    shutil.rmtree(trash, ignore_errors=True)


def keep_unchanged_times(new: Path, live: Path) -> int:
    """Sync-friendly output (issue 19): every file of ``new`` whose bytes equal the file at the same
    place in ``live`` gets the live file's modification time, so rsync and S3 sync (which compare size
    and time) upload only what really changed. Returns how many files kept their time."""
    import filecmp

    if not live.is_dir() or live.is_symlink():
        return 0
    kept = 0
    for folder, _dirs, files in os.walk(new):
        for name in files:
            target = Path(folder) / name
            before = live / target.relative_to(new)
            try:
                if target.is_symlink() or before.is_symlink():
                    continue
                old, now = before.stat(), target.stat()
                if old.st_mtime_ns == now.st_mtime_ns or old.st_size != now.st_size:
                    continue
                if filecmp.cmp(before, target, shallow=False):
                    os.utime(target, ns=(old.st_atime_ns, old.st_mtime_ns))
                    kept += 1
            except OSError:
                continue  # not in the live site, or unreadable there: the new file is simply newer
    return kept
