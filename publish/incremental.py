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
import sqlite3
import stat
import sys
from pathlib import Path

from .cache import Cache
from .compact import KeySet

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


class _Prefixed:
    """The keys of a store under one prefix, as a set: ``in`` and ``add`` (publish/scriptcheck.py GeneratedCheck)."""

    def __init__(self, store, prefix: str, owner: LiveReuse | None = None):
        self.store, self.prefix, self.owner = store, prefix, owner

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        store = self.owner._writer() if self.owner is not None else self.store
        return store is not None and (self.prefix + key) in store

    def add(self, key: str) -> None:
        if self.owner is not None:
            self.owner._put(self.prefix + key, "")


REAL_FOLDERS_MEMO = 4096  # folders of the live site remembered as real folders (``LiveReuse._in_real_folders``)


class LiveReuse:
    """Files of the live site the previous build recorded, with the key they were made from.

    Both records (the previous build's and this build's) are on disk (publish/diskstore.py; issue 19: a
    site of 10,000 decisions has hundreds of thousands of files), keyed ``f/<path in the site>`` for a file
    (value: JSON ``[key, inode, size, mtime_ns, ctime_ns]``) and ``c/<SHA-256>`` for a generated page body
    found without script markup. A damaged store is not used (every file is made again); a damaged entry
    is treated as absent."""

    KIND = "live-site-1"

    def __init__(self, cache: Cache, live: Path):
        from .diskstore import StoreReader

        self.live = live
        name = hashlib.sha256(os.fsencode(str(live))).hexdigest()[:32]
        self.path = cache.root / "site" / f"{name}.sqlite"
        self._old_record = cache.root / "site" / f"{name}.json"  # the record before it moved to disk
        self.secret = cache.secret
        self.before = StoreReader(self.path, self.KIND, identity=str(live), secret=self.secret)
        self._now = None  # diskstore.StoreWriter: every file of the new site this build recorded, made on first use
        self._broken = False
        # pages19: a decision's page records while its pages are made one by one (``expect_group``): place -> entry.
        self._expected: dict[str, list] = {}
        self.linked = 0
        self.linked_bytes = 0
        # Cache keys of downloads this build used (the rest is pruned); issue 19 (mem12): 32 bytes each (compact.KeySet).
        self.used_downloads = KeySet()
        # SHA-256 of generated page bodies found without script markup (publish/scriptcheck.py GeneratedCheck).
        self.clean_bodies = _Prefixed(self.before, "c/")
        self.clean_bodies_now = _Prefixed(None, "c/", self)
        # Folders of the live site seen to be real folders (``_in_real_folders``), a bounded memo (issue 19: no memory that
        # grows with the site): files are linked decision by decision, so a decision's folders are mostly checked once.
        self._real_folders: set[str] = set()

    def _writer(self):
        if self._now is None and not self._broken:
            from .diskstore import StoreWriter

            try:
                self._now = StoreWriter(self.path, self.KIND, identity=str(self.live), secret=self.secret)
            except (OSError, sqlite3.Error):  # a cache that cannot be written: the next build makes every file again
                self._broken = True
        return self._now

    def _put(self, key: str, value: str) -> None:
        now = self._writer()
        if now is not None:
            try:
                now.put(key, value)
            except sqlite3.Error:  # disk full: this build's record is dropped, the next build makes every file again
                self._drop()

    def _drop(self) -> None:
        self._broken = True
        if self._now is not None:
            self._now.close()
            self._now = None

    def restart(self) -> None:
        """A new round of the build (after refusing a package the site is written again from scratch)."""
        self.linked, self.linked_bytes = 0, 0
        self.used_downloads = KeySet()
        if self._now is not None:
            try:
                self._now.clear()
            except sqlite3.Error:
                self._drop()

    def link(self, rel: str, key: str, target: Path, record: bool = True) -> bool:
        """Hard-link the live file at ``rel`` to ``target`` when it was made from ``key`` and has not been
        touched since; record it for the next build either way the caller makes it (``record``: here, when linked;
        a page of a decision's group is recorded with its group, ``record_group``)."""
        source = os.path.join(self.live, rel)
        st = self._as_recorded(rel, key, source)
        if st is None:
            return False
        try:
            self._link(source, target)
        except OSError:
            return False
        if record:
            self.record(rel, key)
        self.linked += 1
        self.linked_bytes += st.st_size
        return True

    def linkable(self, rel: str, key: str) -> bool:
        """Whether ``link`` would link the live file at ``rel`` for ``key`` now (nothing linked or recorded): a set of
        files linked whole or not at all (``pagecache.AssembledSet.link_all``) checks every file before linking any,
        since linking and unlinking again would change the live files' change time and cost the next build its links."""
        return self._as_recorded(rel, key, os.path.join(self.live, rel)) is not None

    def _row(self, name: str):
        """The previous build's record ``name`` decoded from JSON; None when absent or not JSON."""
        raw = self.before.get(name)
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return None

    def _as_recorded(self, rel: str, key: str, source: str) -> os.stat_result | None:
        """The live file's ``lstat`` when it is a regular file exactly as the previous build recorded it for ``key``."""
        if not key:
            return None
        entry = self._expected.get(rel) if self._expected else None
        if entry is None:
            entry = self._row("f/" + rel)
        if not isinstance(entry, list) or len(entry) != 5 or entry[0] != key:
            return None  # not recorded, made from other inputs, or a damaged record
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in entry[1:5]):
            return None
        try:
            st = os.lstat(source)
        except OSError:
            return None
        if [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns] != entry[1:5] or not stat.S_ISREG(st.st_mode):
            return None  # touched since, or not a regular file (lstat: a symbolic link is not one)
        if not self._in_real_folders(rel):
            return None
        return st

    def _in_real_folders(self, place: str) -> bool:
        """Whether every folder between the live site's root and ``place`` is a real folder, not a symbolic link.

        ``lstat`` does not follow a link at the end of a path, but it does follow a linked folder above it: a decision's
        folder in the live site replaced by a link to a folder elsewhere would have the files there linked into the new
        site (found by the attack on pages19). Each folder is checked from the root down, once while it is in the memo."""
        checked = self._real_folders
        missing = []
        folder = place.rpartition("/")[0]
        while folder and folder not in checked:
            missing.append(folder)
            folder = folder.rpartition("/")[0]
        root = os.fspath(self.live)
        for folder in reversed(missing):
            try:
                st = os.lstat(os.path.join(root, folder))
            except OSError:
                return False
            if not stat.S_ISDIR(st.st_mode):
                return False
            if len(checked) >= REAL_FOLDERS_MEMO:
                checked.clear()
            checked.add(folder)
        return True

    @staticmethod
    def _link(source: str, target: Path) -> None:
        """``target`` made a hard link to ``source``, its folder made when it is not there yet (issue 19: a warm build
        links every unchanged file of the site, so each system call per file counts; no memory of folders kept)."""
        try:
            os.link(source, target, follow_symlinks=False)
        except FileNotFoundError:
            folder = os.path.dirname(target)
            try:
                os.mkdir(folder)  # warm10: mostly only the last folder is missing (a document page's own folder)
            except FileNotFoundError:
                os.makedirs(folder, exist_ok=True)
            except FileExistsError:
                pass
            os.link(source, target, follow_symlinks=False)
        except FileExistsError:
            os.unlink(target)
            os.link(source, target, follow_symlinks=False)

    def record(self, rel: str, key: str) -> None:
        if key:
            self._put("f/" + rel, key)

    # -- pages19: one record per decision for its streamed pages --------------------------------------------------
    #
    # A decision's streamed pages (its own page, inventory pages, document pages: publish/streampages.py) are recorded
    # together under ``g/<the decision's URL>``: JSON ``[page key, render context, [[place, render key, inode, size,
    # mtime_ns, ctime_ns], ...]]``. The page key (pages.Generator._page_key) holds everything the pages' Markdown is made
    # of, the render context (streampages.render_context) everything else their HTML depends on, so the pair is the
    # decision's pages' key. A build whose page key and render context for the decision are those of the record, and in
    # whose live site every file the record names is still exactly as recorded (the test ``link`` makes per file), links
    # them all with one record read instead of one read and one write per page; otherwise none (never part of a group).

    def group(self, url: str) -> list | None:
        """The previous build's record of the decision at ``url``: ``[page key, render context, pages]`` with pages a
        list of ``[place, render key, inode, size, mtime_ns, ctime_ns]``; None when absent, damaged or of another shape
        (diskstore checks each row's HMAC under the cache key: a forged or damaged row is absent)."""
        entry = self._row("g/" + url)
        if not (
            isinstance(entry, list)
            and len(entry) == 3
            and isinstance(entry[0], str)
            and isinstance(entry[1], str)
            and isinstance(entry[2], list)
            and entry[2]
        ):
            return None
        for page in entry[2]:
            if not (
                isinstance(page, list)
                and len(page) == 6
                and isinstance(page[0], str)
                and isinstance(page[1], str)
                and page[1]
                and page[0].startswith(url)  # a decision's pages are in its own folder
                and not _climbs(page[0])
                and all(isinstance(n, int) and not isinstance(n, bool) for n in page[2:6])
            ):
                return None
        return entry

    def group_made_from(self, url: str, key: str) -> bool:
        """Whether the previous build's record of the decision at ``url`` was made from the page key ``key`` (its text
        starts with it; the rest is checked by ``link_group``)."""
        raw = self.before.get("g/" + url)
        return raw is not None and bool(key) and raw.startswith('["' + key + '",')

    def link_group(self, url: str, key: str, context: str, target_root: str) -> list[list[str]] | None:
        """Link every page the record of ``url`` names into ``target_root`` when the record was made from ``key`` (the
        page key) and ``context`` (the render context) and every live file is exactly as recorded; the pages
        (``[place, render key]``) recorded for the next build then. None (and nothing linked) otherwise."""
        entry = self.group(url)
        if entry is None or not key or not context or entry[0] != key or entry[1] != context:
            return None
        root, lstat, join = os.fspath(self.live), os.lstat, os.path.join
        size = 0
        for place, _, inode, length, mtime, ctime in entry[2]:
            try:
                st = lstat(join(root, place))
            except OSError:
                return None
            if (
                st.st_ino != inode
                or st.st_size != length
                or st.st_mtime_ns != mtime
                or st.st_ctime_ns != ctime
                or not stat.S_ISREG(st.st_mode)
            ):
                return None  # touched since, or not a regular file: the decision's pages are made one by one
            if not self._in_real_folders(place):
                return None  # a folder on its way is a symbolic link: the decision's pages are made one by one
            size += length
        pages = []
        made: set[str] = set()  # the decision's folders made here: one ``mkdir`` per folder, then one ``link`` per page
        for place, render_key, *_ in entry[2]:
            target = join(target_root, place)
            folder = os.path.dirname(target)
            if folder not in made:
                try:
                    os.mkdir(folder)
                except FileNotFoundError:
                    os.makedirs(folder, exist_ok=True)
                except FileExistsError:
                    pass
                made.add(folder)
            try:
                os.link(join(root, place), target, follow_symlinks=False)  # OSError: the caller makes the pages
            except FileExistsError:
                os.unlink(target)
                os.link(join(root, place), target, follow_symlinks=False)
            pages.append([place, render_key])
        self.record_group(url, key, context, pages)
        self.linked += len(pages)
        self.linked_bytes += size
        return pages

    def expect_group(self, url: str, context: str) -> None:
        """While a decision's pages are made one by one: its previous group record (when made under ``context``) lets
        ``link`` link each page that did not change, as per-page records would (``forget_group`` after)."""
        entry = self.group(url)
        self._expected = {}
        if entry is not None and context and entry[1] == context:
            self._expected = {page[0]: [page[1], *page[2:6]] for page in entry[2]}

    def forget_group(self) -> None:
        self._expected = {}

    def record_group(self, url: str, key: str, context: str, pages: list[list[str]]) -> None:
        """The decision's pages (``[place, render key]``, every one as this build wrote or linked it) for the next build;
        ``save`` adds each file's identity."""
        if key and context and pages:
            self._put("g/" + url, json.dumps([key, context, pages], ensure_ascii=False, separators=(",", ":")))

    def note(self, rel: str, value: str) -> None:
        """Warm12: a note about the file at ``rel`` kept for the next build (``noted``), beside its record: the cache
        entry a file linked by another key was made from, so the prune keeps it while the file is linked."""
        if value:
            self._put("x/" + rel, value)

    def noted(self, rel: str) -> str:
        """The note the previous build kept about ``rel`` ("" when none)."""
        return self.before.get("x/" + rel) or ""

    def forget(self, rel: str) -> None:
        if self._now is not None:
            try:
                self._now.delete("f/" + rel)
            except sqlite3.Error:
                self._drop()

    def recorded(self) -> dict[str, str]:
        """What this build recorded (path in the site -> key): for tests and small sites only."""
        if self._now is None:
            return {}
        return {k[2:]: v for k, v in self._now.items() if k.startswith("f/")}

    def save(self) -> None:
        """After the swap: the recorded files as they are now in the live site, in path order."""
        self.before.close()
        now = self._writer()
        if now is None:
            return

        root, lstat, join, dumps = os.fspath(self.live), os.lstat, os.path.join, json.dumps

        def as_live(key: str, value: str) -> str | None:
            # swap13: called once per file of the site; a string path (no ``Path`` made per file) and the key's JSON
            # string with the four numbers appended: the very text ``json.dumps([value, ...])`` gives.
            if key.startswith("g/"):
                return _group_as_live(root, value)
            if not key.startswith("f/"):
                return value
            try:
                st = lstat(join(root, key[2:]))
            except OSError:
                return None
            return f"[{dumps(value)}, {st.st_ino}, {st.st_size}, {st.st_mtime_ns}, {st.st_ctime_ns}]"

        try:
            now.commit(as_live)
        except sqlite3.Error as exc:
            raise OSError(f"het overzicht van de site kon niet bewaard worden: {exc}") from exc
        finally:
            now.close()
            self._now = None
        try:
            os.unlink(self._old_record)
        except OSError:
            pass


def _climbs(place: str) -> bool:
    """Whether a place in the site leaves its folder or is not a plain relative path."""
    return place.startswith("/") or "\\" in place or any(part in ("", ".", "..") for part in place.split("/"))


def _group_as_live(root: str, value: str) -> str | None:
    """A group record as saved (``LiveReuse.save``): each page with its live file's inode, size and times; left out
    when any of its files is not a regular file in the live site."""
    try:
        key, context, pages = json.loads(value)
    except (ValueError, TypeError):
        return None
    out = []
    for place, render_key in pages:
        try:
            st = os.lstat(os.path.join(root, place))
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        out.append([place, render_key, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns])
    return json.dumps([key, context, out], ensure_ascii=False, separators=(",", ":"))
