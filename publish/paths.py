"""Resolve file references from untrusted metadata without ever leaving the package folder."""

from __future__ import annotations

import os
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path, PurePosixPath

# Within one build's validation (``listing_scope``): package listings and the real paths of folders, each looked up
# once (issue 19). A folder's listing is then one consistent view for every check of that build.
_SCOPE: ContextVar[dict | None] = ContextVar("woo_listing_scope", default=None)


@contextmanager
def listing_scope():
    token = _SCOPE.set({"files": {}, "real": {}})
    try:
        yield
    finally:
        _SCOPE.reset(token)


def _realpath(path: Path) -> Path:
    """``os.path.realpath``; within a ``listing_scope`` the real path of each folder is looked up once, and a path
    whose last part is no link is its folder's real path joined with its name (what realpath does too)."""
    scope = _SCOPE.get()
    if scope is None or ".." in Path(path).parts:
        return Path(os.path.realpath(path))
    text = os.path.abspath(path)
    parent, name = os.path.split(text)
    if not name or name in (".", ".."):
        return Path(os.path.realpath(text))
    try:
        leaf_is_link = os.path.islink(text)
    except OSError:
        leaf_is_link = True
    if leaf_is_link:
        return Path(os.path.realpath(text))
    real = scope["real"].get(parent)
    if real is None:
        real = scope["real"][parent] = os.path.realpath(parent)
    return Path(os.path.join(real, name))


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
    root = _realpath(package)
    candidate = package.joinpath(*parts)
    # Every step may be a link: check where it really ends up.
    real = _realpath(candidate)
    if real != root and root not in real.parents:
        raise UnsafePath("het pad is een snelkoppeling (symlink) naar een bestand buiten de pakketmap")
    return relative, candidate


def package_files(package: Path) -> tuple[list[str], list[str]]:
    """All files below ``package`` as relative POSIX paths, and the links among them that leave it.

    Operating-system litter (see ``is_litter``) is left out: it is not part of any package."""
    scope = _SCOPE.get()
    if scope is None:
        return _package_files(package)
    key = os.path.abspath(package)
    if key not in scope["files"]:
        scope["files"][key] = _package_files(package)
    files, escaping = scope["files"][key]
    return list(files), list(escaping)


def _package_files(package: Path) -> tuple[list[str], list[str]]:
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
