"""The warm rebuild (issue 19): what did not change is neither made again nor written again.

Two mechanisms, both keyed on everything the output depends on, so a warm build is byte-identical to
a build with an empty cache ("nothing lost, nothing stale"; tests/test_incremental_site.py):

- **Blobs in the build cache** (``Cache.put_blob``): rendered generated pages (publish/streampages.py)
  and the Excel inventories. Each entry carries the SHA-256 of its bytes; a damaged entry is made again,
  never served. Entries no build used last time are pruned (``Cache.prune``), so the cache stays bounded.
- **Reuse from the live site** (``LiveReuse``): a large file whose key is unchanged (a published PDF by its
  SHA-256, a decision's ZIP by the hashes and names of its documents, a rendered page by its render key)
  is hard-linked from the live site into the new one instead of being copied or written: no byte is
  written, and the file keeps its modification time, so rsync and S3 sync skip it. A live file is reused
  only when it is the very file the previous build recorded: same inode, size, modification time and
  change time (the change time moves on any write, chmod or rename and cannot be set back by a user),
  else it is made again. Nothing ever writes into a linked file: the build only links after a file is
  complete, and every writer of the build creates new files.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from .cache import Cache

_CODE_HASH: str | None = None
# The libraries whose version can change a page, a download or the theme (not every installed
# distribution: which ones are found depends on the working directory and sys.path).
_LIBRARIES = (
    "mkdocs",
    "mkdocs-material",
    "mkdocs-material-extensions",
    "markdown",
    "pymdown-extensions",
    "jinja2",
    "markupsafe",
    "pyyaml",
    "pygments",
    "babel",
    "backrefs",
    "paginate",
    "pathspec",
    "selectolax",
    "openpyxl",
    "et-xmlfile",
    "lxml",
    "python-frontmatter",
)


def code_hash() -> str:
    """SHA-256 over this package's own files (code, templates, theme, standard pages), the Python version
    and the versions of the libraries that make pages and downloads (mkdocs, mkdocs-material, Markdown,
    Jinja2, ...): any upgrade or code change makes every cached page and download again."""
    global _CODE_HASH
    if _CODE_HASH is None:
        from importlib.metadata import PackageNotFoundError, version

        digest = hashlib.sha256(b"woo-incremental-1\0")
        root = Path(__file__).resolve().parent
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".pyc", ".pyo")):
                    continue
                path = Path(folder) / name
                digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        versions = [sys.version]
        for name in _LIBRARIES:
            try:
                versions.append(f"{name}=={version(name)}")
            except PackageNotFoundError:
                versions.append(f"{name}: -")
        digest.update("\n".join(versions).encode("utf-8"))
        _CODE_HASH = digest.hexdigest()
    return _CODE_HASH


def folder_hash(folder: Path) -> str:
    """SHA-256 over the names and contents of every file under ``folder`` (empty when absent)."""
    digest = hashlib.sha256()
    if not folder.is_dir():
        return ""
    for path, dirs, files in os.walk(folder, followlinks=True):
        dirs.sort()
        for name in sorted(files):
            full = Path(path) / name
            digest.update(full.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            try:
                digest.update(hashlib.sha256(full.read_bytes()).digest())
            except OSError:
                digest.update(b"?")
    return digest.hexdigest()


def key_of(*parts) -> str:
    """A cache key over ``parts`` (JSON-able values), with the code version."""
    body = json.dumps([code_hash(), *parts], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class LiveReuse:
    """Files of the live site the previous build recorded, with the key they were made from."""

    def __init__(self, cache: Cache, live: Path):
        self.live = live
        self.path = cache.root / "site" / f"{hashlib.sha256(os.fsencode(str(live))).hexdigest()[:32]}.json"
        self.before: dict[str, list] = {}
        self.now: dict[str, str] = {}  # rel -> key, for every file of the new site this build recorded
        self.linked = 0
        self.linked_bytes = 0
        self.used_downloads: set[str] = set()  # cache keys of downloads this build used (the rest is pruned)
        # SHA-256 of generated page bodies found without script markup (publish/scriptcheck.py GeneratedCheck).
        self.clean_bodies: frozenset[str] = frozenset()
        self.clean_bodies_now: set[str] = set()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("live") == str(live) and isinstance(data.get("files"), dict):
                self.before = data["files"]
                clean = data.get("clean")
                if isinstance(clean, list) and all(isinstance(c, str) for c in clean):
                    self.clean_bodies = frozenset(clean)
        except (OSError, ValueError, RecursionError):
            self.before, self.clean_bodies = {}, frozenset()

    def restart(self) -> None:
        """A new round of the build (after refusing a package the site is written again from scratch)."""
        self.now, self.linked, self.linked_bytes = {}, 0, 0
        self.used_downloads = set()

    def link(self, rel: str, key: str, target: Path) -> bool:
        """Hard-link the live file at ``rel`` to ``target`` when it was made from ``key`` and has not been
        touched since; record it for the next build either way the caller makes it."""
        if not key:
            return False
        entry = self.before.get(rel)
        if not isinstance(entry, list) or len(entry) != 5 or entry[0] != key:
            return False  # not recorded, made from other inputs, or a damaged record
        source = self.live / rel
        try:
            st = os.lstat(source)
            if [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns] != entry[1:5] or not os.path.isfile(source):
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                target.unlink()
            os.link(source, target, follow_symlinks=False)
        except OSError:
            return False
        self.now[rel] = key
        self.linked += 1
        self.linked_bytes += st.st_size
        return True

    def record(self, rel: str, key: str) -> None:
        if key:
            self.now[rel] = key

    def forget(self, rel: str) -> None:
        self.now.pop(rel, None)

    def save(self) -> None:
        """After the swap: the recorded files as they are now in the live site."""
        files = {}
        for rel, key in sorted(self.now.items()):
            try:
                st = os.lstat(self.live / rel)
            except OSError:
                continue
            files[rel] = [key, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {"live": str(self.live), "files": files, "clean": sorted(self.clean_bodies_now)}
        Cache._write(self.path, json.dumps(record, separators=(",", ":")).encode("utf-8"))
