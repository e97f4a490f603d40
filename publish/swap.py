"""Put a finished output directory in place of the live one in a single step.

On Linux the two directories are exchanged with renameat2(RENAME_EXCHANGE), so there is no moment
without a site. Elsewhere the old directory is renamed aside first, which leaves a gap of one rename.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import stat
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
    remove_tree(trash)


def remove_tree(folder: Path, workers: int = 2) -> None:
    """``shutil.rmtree(folder, ignore_errors=True)``, by ``workers`` threads side by side (swap13, issue 19: removing the
    previous site, hundreds of thousands of files and folders, is one ``unlink`` or ``rmdir`` per entry, work in the
    kernel and waits on the disk, during which a thread lets go of the interpreter; on two cores two threads remove
    it in about half the wall time). The folder's subfolders two levels down (a site's publication folders) are handed
    out one at a time; symbolic links are never followed (``is_dir(follow_symlinks=False)``: a link to a folder is removed as
    a link, what it points at is left alone, as ``rmtree`` does). Returns once everything is removed (or could not be)."""
    import threading

    parts: list[str] = []
    try:
        with os.scandir(folder) as top:
            for entry in top:
                if not entry.is_dir(follow_symlinks=False):
                    continue
                try:
                    with os.scandir(entry.path) as inner:
                        parts.extend(e.path for e in inner if e.is_dir(follow_symlinks=False))
                except OSError:
                    continue
    except OSError:
        parts = []
    if workers > 1 and len(parts) > 1:
        lock = threading.Lock()

        def work() -> None:
            while True:
                with lock:
                    if not parts:
                        return
                    part = parts.pop()
                shutil.rmtree(part, ignore_errors=True)

        threads = [threading.Thread(target=work, name="woo-oude-site", daemon=True) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    shutil.rmtree(folder, ignore_errors=True)  # what is left: the files and folders above that level


def keep_unchanged_times(new: Path, live: Path) -> int:
    """Sync-friendly output (issue 19): every file of ``new`` whose bytes equal the file at the same
    place in ``live`` gets the live file's modification time, so rsync and S3 sync (which compare size
    and time) upload only what really changed. Returns how many files kept their time. Symbolic links
    (in either tree) are left alone. One ``scandir`` per folder of each tree; a file linked from the live
    site (the same inode on the same file system, so the same time) or one the live site does not have costs no
    ``stat`` at all, only the others are compared."""
    import filecmp

    if not live.is_dir() or live.is_symlink():
        return 0
    kept = 0
    new_root, live_root = os.fspath(new), os.fspath(live)
    try:
        same_device = os.lstat(new_root).st_dev == os.lstat(live_root).st_dev
    except OSError:
        return 0
    folders = [""]
    while folders:
        rel = folders.pop()
        try:
            entries = os.scandir(os.path.join(new_root, rel) if rel else new_root)
        except OSError:
            continue
        # Issue 19: the live folder's entries by name with their inode numbers, from one directory listing (no stat):
        # a file linked from the live site is the same inode on the same file system, so it has the same time
        # already; a name the live folder does not have has nothing to keep. Only the other files are looked at.
        inodes: dict[str, int] | None = None
        if same_device:
            try:
                with os.scandir(os.path.join(live_root, rel) if rel else live_root) as listing:
                    inodes = {e.name: e.inode() for e in listing}
            except OSError:
                inodes = {}
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(f"{rel}/{entry.name}" if rel else entry.name)
                        continue
                    if inodes is not None:
                        # swap13: the live file's inode first (a dictionary look-up), the rest only for the few files
                        # that are not the live file itself: no path made and no type asked for a linked file.
                        inode = inodes.get(entry.name)
                        if inode is None or inode == entry.inode():
                            continue  # not in the live site, or the very same file
                    if not entry.is_file(follow_symlinks=False):
                        continue
                    sub = f"{rel}/{entry.name}" if rel else entry.name
                    now = entry.stat(follow_symlinks=False)
                    before = os.path.join(live_root, sub)
                    old = os.lstat(before)
                    if not stat.S_ISREG(old.st_mode) or old.st_mtime_ns == now.st_mtime_ns or old.st_size != now.st_size:
                        continue
                    if filecmp.cmp(before, entry.path, shallow=False):
                        os.utime(entry.path, ns=(old.st_atime_ns, old.st_mtime_ns))
                        kept += 1
                except OSError:
                    continue  # not in the live site, or unreadable there: the new file is simply newer
    return kept


class Removal:
    """Folders removed in a background thread while the build goes on (issue 19: a site of hundreds of thousands of
    files and folders takes the disk a while to remove, and removing waits on the disk, not the processor). ``wait``
    before the folders' parent is removed or the build ends; a folder is only handed over once nothing uses it. Never
    a folder holding hard links to files another part of the build still looks at: removing a link changes the
    file's change time (ctime), which publish/incremental.py records (the previous site is removed in the foreground
    for that reason)."""

    def __init__(self) -> None:
        import threading

        self._threads: list[threading.Thread] = []

    def start(self, *folders: Path) -> None:
        import threading

        def remove() -> None:
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)

        thread = threading.Thread(target=remove, name="woo-opruimen", daemon=True)
        thread.start()
        self._threads.append(thread)

    def wait(self) -> None:
        for thread in self._threads:
            thread.join()
        self._threads.clear()
