"""Resolve file references from untrusted metadata without ever leaving the package folder."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

# Files that operating systems and office programs drop into folders by themselves. They are never
# part of a package: ignored when hashing, checking for stray files and archiving.
_LITTER_NAMES = {".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini", ".directory"}


def is_litter(name: str) -> bool:
    """``.DS_Store``, ``Thumbs.db``, ``desktop.ini``, ``~$`` lock files of Office and ``._`` AppleDouble files."""
    return name.lower() in _LITTER_NAMES or name.startswith(("~$", "._"))


class UnsafePath(ValueError):
    """A reference that is absolute, climbs out of the package or follows a link out of it."""


def resolve_inside(package: Path, reference: str) -> tuple[str, Path]:
    """Return (normalised relative path, absolute path) for a reference inside ``package``.

    Raises UnsafePath with a Dutch explanation when the reference could reach outside.
    """
    text = str(reference).strip().replace("\\", "/")
    if not text:
        raise UnsafePath("het pad is leeg")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":") or text.startswith("~"):
        raise UnsafePath("het pad is absoluut; gebruik een pad ten opzichte van de pakketmap")
    pure = PurePosixPath(text)
    if any(part == ".." for part in pure.parts):
        raise UnsafePath("het pad verwijst met '..' naar buiten de pakketmap")
    parts = [p for p in pure.parts if p not in ("", ".")]
    if not parts:
        raise UnsafePath("het pad wijst niet naar een bestand")
    relative = "/".join(parts)
    root = package.resolve()
    candidate = package.joinpath(*parts)
    # Every step may be a link: check where it really ends up.
    real = Path(os.path.realpath(candidate))
    if real != root and root not in real.parents:
        raise UnsafePath("het pad is een snelkoppeling (symlink) naar een bestand buiten de pakketmap")
    return relative, candidate


def package_files(package: Path) -> tuple[list[str], list[str]]:
    """All files below ``package`` as relative POSIX paths, and the links among them that leave it.

    Operating-system litter (see ``is_litter``) is left out: it is not part of any package."""
    root = package.resolve()
    files: list[str] = []
    escaping: list[str] = []
    for dirpath, dirnames, filenames in os.walk(package, followlinks=False):
        base = Path(dirpath)
        for name in sorted(dirnames):
            full = base / name
            if full.is_symlink():
                rel = full.relative_to(package).as_posix()
                real = Path(os.path.realpath(full))
                if real != root and root not in real.parents:
                    escaping.append(rel)
        for name in filenames:
            if is_litter(name):
                continue
            full = base / name
            rel = full.relative_to(package).as_posix()
            if full.is_symlink():
                real = Path(os.path.realpath(full))
                if real != root and root not in real.parents:
                    escaping.append(rel)
                    continue
            files.append(rel)
    return sorted(files), sorted(escaping)
