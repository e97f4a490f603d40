"""Warm rebuilds (issue 19): what the build makes per decision is kept in the build cache, keyed by
everything it is made from, so a rebuild in which a decision did not change runs neither Jinja nor the
open-data and DiWoo code for it.

- **Generated pages** (kind ``bron``): the bodies of a decision's own pages (decision page, inventory
  pages, document pages) as ``publish/pages.py`` renders them. Key: the decision's fingerprint (below),
  the generator's templates (their bytes), the site settings that enter the pages (name, organisation,
  whether the site has more than one type), the sizes of the decision's downloads, and the code and
  library versions (``incremental.key_of``). Cross-decision pages (home, listings, facets, grounds,
  statistics) are made every build; they are cheap.
- **Fragments** (kind ``fragment``): a decision's part of the open data (its month's ``data/alles/JJJJ-MM-N.json``
  and its type's JSON and CSV parts) and of the DiWoo sitemaps; the files are assembled from them in order
  (``publish/opendata.py``, ``publish/diwoo.py``).
- **Assembled sets** (kind ``samengesteld``): for a set of files made from every decision (open data,
  sitemaps), the names and SHA-256 of the files the set gave, under a key over every input of the set.
  When the key is known and the live site still has exactly those files, they are linked from the live
  site (``incremental.LiveReuse``) without assembling anything; otherwise the files are assembled and a
  file whose bytes did not change is still linked, so it keeps its modification time and a sync
  uploads nothing.

The fingerprint of a decision is the SHA-256 of its whole view as the pages see it (``view_fingerprint``):
every field of the validated decision, its inventory rows, published files (title, place, size, pages,
the identity of their texts in the inspection cache) and history, walked generically, so a field added
to the model enters the key without anyone remembering to add it. A value of a kind the walk does not
know makes the decision uncacheable (it is simply made every build), never a wrong hit. Paths below the folder
that holds the decision's package (``decisions/``) enter the key relative to it, so a site folder moved or copied
elsewhere keeps its pages (no page shows such a path).

Every entry carries its SHA-256 (``Cache.put_blob``); an entry that is damaged, of the wrong shape,
names other pages than the decision has, or whose page text holds script markup the last build did not
find clean, is refused and the pages are made again: a cache entry is never published unchecked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Container, Iterator
from pathlib import Path, PurePath

SOURCE_KIND = "bron"
FRAGMENT_KIND = "fragment"
SET_KIND = "samengesteld"
VERSION = 1


class NoFingerprint(TypeError):
    """The view holds a value the fingerprint does not know how to encode: do not cache it."""


_NAMES: dict[type, tuple[str, ...]] = {}
# Fields that point at other rows of the same inventory (cycles: an e-mail and its attachments): encoded
# by the anchor of the row they point at. The build's own copy of a published file (a place in its
# temporary folder, never shown) is left out.
_REFERENCES = {"attached_to", "attachments", "thread", "related"}
_LEFT_OUT = {("PublishedFile", "source"), ("PublishedFile", "expected_sha256")}  # the second: as the PDF's SHA-256
_MAX_DEPTH = 40


def _names(cls: type) -> tuple[str, ...]:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls) if (cls.__name__, f.name) not in _LEFT_OUT)
    return names


def _anchor(row) -> object:
    if row is None:
        return None
    if isinstance(row, (list, tuple)):
        return [_anchor(r) for r in row]
    anchor = getattr(row, "anchor", None)
    if not isinstance(anchor, str):
        raise NoFingerprint(type(row).__name__)
    return {"a": anchor}


def _encode(value, depth: int = 0, root: str = ""):
    """A JSON value that differs whenever ``value`` differs: JSON arrays for sequences, objects with a
    one-letter tag for every other kind, so no two kinds of value ever encode alike. ``root``: a path below
    it (text starting with ``root``) is encoded by the rest of its text (tag "r")."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if depth > _MAX_DEPTH:
        raise NoFingerprint("te diep")
    names = _NAMES.get(type(value))
    if names is not None:  # issue 19: a class met before as a dataclass (below), without the checks in between
        return _fields(value, names, depth, root)
    if isinstance(value, float):
        return {"f": repr(value)}
    if isinstance(value, (list, tuple)):
        return [v if v is None or type(v) in _PLAIN else _encode(v, depth + 1, root) for v in value]
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, PurePath):
        text = str(value)
        if root and text.startswith(root):
            return {"r": text[len(root) :]}
        return {"p": text}
    if isinstance(value, dict):
        return {"m": sorted([[repr(k), _encode(v, depth + 1, root)] for k, v in value.items()], key=lambda kv: kv[0])}
    if isinstance(value, (set, frozenset)):
        return {"s": sorted(json.dumps(_encode(v, depth + 1, root), sort_keys=True) for v in value)}
    identity = getattr(value, "identity", None)
    if callable(identity) and type(value).__name__ == "CachedTexts":
        return {"x": list(identity())}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _fields(value, _names(type(value)), depth, root)
    raise NoFingerprint(type(value).__name__)


def _fields(value, names: tuple[str, ...], depth: int, root: str) -> dict:
    """A dataclass instance: its class and its fields (see ``_encode``)."""
    cls = type(value)
    rows = cls.__name__ == "RowView"
    fields = []
    for name in names:
        item = getattr(value, name)
        if item is None or type(item) in _PLAIN:  # most values: no call
            fields.append(item)
        elif rows and name in _REFERENCES:
            fields.append(_anchor(item))
        else:
            fields.append(_encode(item, depth + 1, root))
    return {"c": _class_name(cls), "v": fields}


_PLAIN = frozenset({str, int, bool})
_CLASS_NAMES: dict[type, str] = {}


def _class_name(cls: type) -> str:
    name = _CLASS_NAMES.get(cls)
    if name is None:
        name = _CLASS_NAMES[cls] = f"{cls.__module__}.{cls.__qualname__}"
    return name


def _root(view) -> str:
    """The folder that holds the decision's package folder, with a trailing separator ("" when unknown)."""
    folder = getattr(getattr(view, "decision", None), "folder", None)
    if not isinstance(folder, PurePath) or folder.parent == folder:
        return ""
    return os.path.join(str(folder.parent), "")


def view_fingerprint(view) -> str:
    """SHA-256 over everything of a decision's view its pages can show (NoFingerprint when it holds
    a value of an unknown kind)."""
    body = json.dumps(_encode(view, 0, _root(view)), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def fingerprint_or_empty(view) -> str:
    try:
        return view_fingerprint(view)
    except (NoFingerprint, RecursionError, ValueError):
        return ""


def clean_check(known_clean: Container[str]):
    """A test for a page body taken from the cache: known clean by its SHA-256 (the last build scanned
    exactly these bytes), or scanned now and free of any script markup."""
    digest_of = clean_digest(known_clean)

    def clean(body: str) -> bool:
        return bool(digest_of(body))

    return clean


def clean_digest(known_clean: Container[str]):
    """``clean_check`` that gives the body's SHA-256 when it is clean ("" when not): the build's check of the
    generated pages (scriptcheck.GeneratedCheck) takes a page with this digest as checked, instead of hashing
    and looking it up again (issue 19: every page of every unchanged decision passes here on a warm build)."""
    from .scriptcheck import scan_html

    def digest_if_clean(body: str) -> str:
        digest = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()
        if digest in known_clean or not scan_html(body, every_script=True):
            return digest
        return ""

    return digest_if_clean


def pack_pages(pages: list[tuple[str, str, str]]) -> bytes:
    """A decision's pages (url, title, body) as one cache entry."""
    return json.dumps({"versie": VERSION, "paginas": pages}, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )


def unpack_pages(data: bytes, expected: list[tuple[str, str]]) -> list[str] | None:
    """The bodies of a cache entry when it holds exactly the pages ``expected`` (url, title), in order;
    None for anything else (another shape, other pages, not text)."""
    try:
        entry = json.loads(data.decode("utf-8", "surrogatepass"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(entry, dict) or entry.get("versie") != VERSION:
        return None
    pages = entry.get("paginas")
    if not isinstance(pages, list) or len(pages) != len(expected):
        return None
    bodies = []
    for item, (url, title) in zip(pages, expected):
        if not (isinstance(item, list) and len(item) == 3 and item[0] == url and item[1] == title and isinstance(item[2], str)):
            return None
        bodies.append(item[2])
    return bodies


_MEMO_ATTRIBUTE = "_woo_fingerprint"


def fingerprint(view) -> str:
    """``fingerprint_or_empty``, computed once per view (a view is not changed once it is built); a compact
    ``pages.DecisionSummary`` carries its full view's (issue 19)."""
    carried = getattr(view, "view_print", None)
    if carried is not None:
        return carried
    known = view.__dict__.get(_MEMO_ATTRIBUTE)
    if known is None:
        known = view.__dict__[_MEMO_ATTRIBUTE] = fingerprint_or_empty(view)
    return known


def remember_fingerprint(view, value: str) -> None:
    """Give a view made again (issue 19: ``pages.Views.full``) the fingerprint its decision's summary carries."""
    view.__dict__[_MEMO_ATTRIBUTE] = value


class Fragments:
    """Per-decision fragments (open data, DiWoo) from the cache, or made and stored. ``used`` collects
    the keys of this build (the rest is pruned); ``made`` and ``reused`` count."""

    def __init__(self, cache):
        from .compact import KeySet

        self.cache = cache
        self.used = KeySet()  # issue 19 (mem12): two keys a decision, 32 bytes each (compact.KeySet), not a set of str
        self.made = 0
        self.reused = 0

    @staticmethod
    def key(view, what: str, settings: list) -> str:
        from .incremental import key_of

        print_ = fingerprint(view)
        return key_of(FRAGMENT_KIND, VERSION, what, settings, print_) if print_ else ""

    def keep(self, views, what: str, settings: list) -> None:
        """Keep the fragments ``what`` of ``views`` in the cache although this build did not need them (its
        files were linked whole from the live site): the next change assembles from them."""
        if self.cache is not None:
            self.used |= {k for k in (self.key(v, what, settings) for v in views) if k}

    def get(self, view, what: str, settings: list, make, fits):
        """The fragment ``what`` of ``view`` for ``settings`` (every other input besides the view and the
        code): from the cache when its entry passes ``fits(value)``, else ``make()``."""
        key = self.key(view, what, settings) if self.cache is not None else ""
        if not key:
            self.made += 1
            return make()
        self.used.add(key)
        stored = self.cache.get_json(FRAGMENT_KIND, key)
        if stored is not None and fits(stored):
            self.reused += 1
            return stored
        value = make()
        self.made += 1
        try:
            self.cache.put_json(FRAGMENT_KIND, key, value)
        except OSError:  # a read-only or full cache: made again next time
            pass
        return value


def set_key(what: str, settings: list, views) -> str:
    """The key of a set of files made from every decision (``AssembledSet``): its settings and every
    decision's fingerprint, in order; "" when one of them has none."""
    from .incremental import key_of

    prints = [fingerprint(v) for v in views]
    if not all(prints):
        return ""
    return key_of(SET_KIND, VERSION, what, settings, prints)


def _safe_name(name: object) -> bool:
    if not isinstance(name, str) or not name or name.startswith("/") or "\\" in name or "\0" in name:
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


class _Records:
    """Name, SHA-256 and size of files, packed in one ``bytearray`` (issue 19, mem20): per file its name in UTF-8, a
    NUL, the 32 bytes of the digest and the size in 8 bytes, in the order they were added. ``AssembledSet.files`` and
    ``sizes`` read them into dicts, so a name added again counts there at its first place with its last values."""

    __slots__ = ("_data", "_count")

    def __init__(self) -> None:
        self._data = bytearray()
        self._count = 0

    def add(self, name: str, sha: str, size: int) -> None:
        raw = name.encode("utf-8")
        if b"\0" in raw:  # a path cannot hold one either (open() refuses it)
            raise ValueError(f"bestandsnaam met een NUL-teken: {name!r}")
        self._data += raw + b"\0" + bytes.fromhex(sha) + size.to_bytes(8, "little")
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[tuple[str, str, int]]:
        """(name, SHA-256 in hex, size) of every file added, in order."""
        data, at = self._data, 0
        while at < len(data):
            end = data.index(0, at)
            yield (
                data[at:end].decode("utf-8"),
                data[end + 1 : end + 33].hex(),
                int.from_bytes(data[end + 33 : end + 41], "little"),
            )
            at = end + 41

    def nbytes(self) -> int:
        """Bytes held for the records (the buffer's allocation), for the memory tests."""
        return self._data.__sizeof__()


class AssembledSet:
    """Files assembled from every decision's fragments (open data, sitemaps), written only when their
    bytes change: a file with the same SHA-256 as the live site's (as the last build recorded it, and not
    touched since) is linked from there (``LiveReuse.link``), so it keeps its inode and modification time.
    With the set's key in the cache (``SET_KIND``: the names and SHA-256 of its files) and every one of
    those files still in the live site, nothing is assembled at all (``link_all``)."""

    def __init__(self, cache, reuse, target, key: str):
        self.cache, self.reuse, self.target, self.key = cache, reuse, target, key
        # Issue 19 (mem20): the name, SHA-256 and size of every file this build wrote or linked, packed (``_Records``:
        # about 50 bytes and the name a file, not some 260 in two dicts); the search index of 10,000 decisions has
        # some 100,000 files. ``files`` and ``sizes`` give them as dicts.
        self._records = _Records()
        self.written = 0
        self.linked = 0

    @property
    def files(self) -> dict[str, str]:
        """Name -> SHA-256 (hex) of every file of the set this build wrote or linked, in the order they came."""
        return {name: sha for name, sha, _ in self._records}

    @property
    def sizes(self) -> dict[str, int]:
        """Name -> size in bytes of every file of the set this build wrote or linked, in the order they came."""
        return {name: size for name, _, size in self._records}

    def link_all(self) -> bool:
        """Link every file of the set as the last build with the same key made it; False (and nothing
        linked) when the key is unknown, its entry damaged, or any of its files not as recorded."""
        if not self.key or self.reuse is None or self.cache is None:
            return False
        entry = self.cache.get_json(SET_KIND, self.key)
        files = entry.get("files") if isinstance(entry, dict) else None
        if not isinstance(files, dict) or not files:
            return False
        if not all(_safe_name(n) and isinstance(s, str) and len(s) == 64 for n, s in files.items()):
            return False
        # Every file checked before any is linked (warm10): a link made and undone changes the live file's change
        # time, and the files of the set that are unchanged could then not be linked one by one (``put``).
        if not all(self.reuse.linkable(name, "sha256:" + sha) for name, sha in files.items()):
            return False
        done: list[str] = []
        records = _Records()
        for name, sha in sorted(files.items()):
            if not self.reuse.link(name, "sha256:" + sha, self.target / name):
                for undo in done:
                    (self.target / undo).unlink(missing_ok=True)
                    self.reuse.forget(undo)
                self.linked = 0
                return False
            done.append(name)
            records.add(name, sha, (self.target / name).stat().st_size)
            self.linked += 1
        self._records = records
        return True

    def put(self, name: str, data: bytes) -> None:
        """One file of the set: linked from the live site when its bytes are the same, else written."""
        sha = hashlib.sha256(data).hexdigest()
        path = self.target / name
        self._records.add(name, sha, len(data))
        if self.reuse is not None and self.reuse.link(name, "sha256:" + sha, path):
            self.linked += 1
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)  # never write into a file that may be linked
        path.write_bytes(data)
        self.written += 1
        if self.reuse is not None:
            self.reuse.record(name, "sha256:" + sha)

    def open(self, name: str, check: Callable[[Path], None] | None = None) -> _HashingFile:
        """A binary file to stream one file of the set into; on ``close`` it is linked from the live site
        instead when its bytes turn out to be the same. ``check(path)``: called on the written file when it is
        not linked (raises when the file must not be published, e.g. ``diwoo.validate_file``); a linked file
        has exactly the bytes of a live file this set wrote, and checked, before."""
        path = self.target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        return _HashingFile(self, name, path, check)

    def _closed(self, name: str, path, sha: str, check: Callable[[Path], None] | None = None) -> None:
        if self.reuse is not None and self.reuse.link(name, "sha256:" + sha, path):
            self.linked += 1
        else:
            if check is not None:
                check(path)
            self.written += 1
            if self.reuse is not None:
                self.reuse.record(name, "sha256:" + sha)
        self._records.add(name, sha, path.stat().st_size)

    def save(self) -> None:
        """Remember the set's files under its key (after every file is in place)."""
        if self.key and self.cache is not None and self._records:
            try:
                self.cache.put_json(SET_KIND, self.key, {"files": dict(sorted(self.files.items()))})
            except OSError:
                pass


class _HashingFile:
    def __init__(self, owner: AssembledSet, name: str, path, check: Callable[[Path], None] | None = None):
        self.owner, self.name, self.path, self.check = owner, name, path, check
        self.handle = open(path, "wb")
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.handle.write(data)

    def close(self) -> None:
        if self.handle.closed:
            return
        self.handle.close()
        self.owner._closed(self.name, self.path, self.digest.hexdigest(), self.check)
