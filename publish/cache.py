"""Content-addressed cache: results keyed by a file's SHA-256 and the version of the code.

Deleting the cache directory is always safe; it only costs time. Every entry carries its own
SHA-256 (JSON entries inside, files through the key of their caller), so a damaged entry is noticed,
recomputed and never published, and an HMAC-SHA256 under the cache key (publish/cachestore.py), so an
entry made by someone who can write the cache but has not the key is treated as absent too. Files read
by path (published copies, search shards) are named by the SHA-256 in a signed entry and checked against
it on use. Files are written read-only; the site gets copies, never links. Entries are kept in a folder
or in S3-compatible storage (``cachestore.DirStore``, ``cachestore.S3Store``).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Container
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from .cachestore import (
    COUNTERS,
    ENDPOINT_ENV,
    CacheSpec,
    DirStore,
    S3Store,
    is_remote,
    key_choice,
    load_key,
    mac,
    read_key,
    remove_links,
    verify,
    worker_key_file,
    write_file,
)

DEFAULT_CACHE = Path(".cache") / "woo-publish"


def cache_dir(option: str | os.PathLike | None) -> Path:
    """The local cache folder. With ``--cache s3://...`` (``cachestore.is_remote``) the local folder is the
    default one (or $WOO_PUBLISH_CACHE): it keeps this machine's own records and copies of files read by path."""
    if is_remote(option):
        option = None
    return Path(option or os.environ.get("WOO_PUBLISH_CACHE") or DEFAULT_CACHE)


class Cache:
    """Entries by kind and key, each with its own SHA-256 (damage) and an HMAC-SHA256 under the cache key
    (forgery: publish/cachestore.py). ``secret``: the key; None reads it as ``Cache.open`` does (for
    tests and tools that open a cache of their own). ``store``: where the entries are (a folder by default)."""

    def __init__(self, root: Path, secret: bytes | None = None, store=None, key_file: Path | None = None):
        self.root = Path(root)
        self.store = store if store is not None else DirStore(self.root)
        self.key_file = key_file
        self._secret = secret
        self.key_created = False
        self.old_key_file: Path | None = None  # a key at the old default place beside the cache, not used (row 2)
        self.removed_links: list[str] = []  # links found in the cache folder when it was opened, removed (B11)

    @classmethod
    def open(cls, root: Path, key_option=None, remote: str = "", endpoint: str = "") -> Cache:
        """The build's cache: its key read (or, for the default key file only, created) now, so a key that
        cannot be used stops the build before any work (CacheKeyError, Dutch)."""
        choice = key_choice(root, key_option)
        secret, created = load_key(choice)
        store = S3Store(remote, endpoint or os.environ.get(ENDPOINT_ENV, ""), Path(root)) if remote else None
        cache = cls(root, secret, store, choice.path)
        cache.key_created = created
        cache.old_key_file = choice.old
        cache.removed_links = remove_links(Path(root))  # attack round 10, B11: never written or read through a link
        return cache

    @classmethod
    def from_spec(cls, spec) -> Cache:
        """The same cache in a worker process (``spec``: a CacheSpec from ``spec()``, or a folder path). The key
        file is the build's when this machine has it, else $WOO_CACHE_KEY_FILE; never created here."""
        if not isinstance(spec, CacheSpec):
            return cls(Path(spec))
        named = worker_key_file(spec)
        secret = read_key(Path(named)) if named else None
        store = S3Store(spec.remote, spec.endpoint, Path(spec.root)) if spec.remote else None
        return cls(Path(spec.root), secret, store, Path(named) if named else None)

    def spec(self) -> CacheSpec:
        self.secret  # noqa: B018 - resolves the key file the workers read
        return CacheSpec(
            str(self.root),
            getattr(self.store, "remote", ""),
            getattr(self.store, "endpoint", ""),
            str(self.key_file or ""),
        )

    @property
    def secret(self) -> bytes:
        if self._secret is None:
            choice = key_choice(self.root)
            self._secret, self.key_created = load_key(choice)
            self.key_file, self.old_key_file = choice.path, choice.old
        return self._secret

    @staticmethod
    def _name(kind: str, key: str, suffix: str) -> str:
        return f"{kind}/{key[:2]}/{key}{suffix}"

    def _path(self, kind: str, key: str, suffix: str) -> Path:
        return self.root / self._name(kind, key, suffix)

    def _refused(self) -> None:
        COUNTERS["refused"] += 1

    def _signed(self, kind: str, key: str, suffix: str, body: bytes) -> str:
        return mac(self.secret, kind.encode("utf-8"), key.encode("utf-8", "surrogatepass"), suffix.encode("utf-8"), body)

    def _authentic(self, entry: dict, kind: str, key: str, suffix: str, body: bytes) -> bool:
        if verify(
            self.secret,
            entry.get("mac"),
            kind.encode("utf-8"),
            key.encode("utf-8", "surrogatepass"),
            suffix.encode("utf-8"),
            body,
        ):
            return True
        self._refused()
        return False

    def get_json(self, kind: str, key: str):
        """The stored value, or None when absent, damaged (its checksum does not match) or not signed with this
        cache's key (its MAC does not verify: counted in ``cachestore.COUNTERS``)."""
        raw = self.store.get(self._name(kind, key, ".json"))
        if raw is None:
            return None
        try:
            entry = json.loads(raw.decode("utf-8"))
            body = json.dumps(entry["value"], ensure_ascii=False, sort_keys=True).encode("utf-8")
            if hashlib.sha256(body).hexdigest() != entry["sha256"]:
                return None
            if not self._authentic(entry, kind, key, ".json", body):
                return None
            return entry["value"]
        except (ValueError, KeyError, TypeError, RecursionError, AttributeError):
            return None

    def put_json(self, kind: str, key: str, value) -> None:
        body = json.dumps(value, ensure_ascii=False, sort_keys=True)
        data = body.encode("utf-8")
        entry = {
            "sha256": hashlib.sha256(data).hexdigest(),
            "value": json.loads(body),
            "mac": self._signed(kind, key, ".json", data),
        }
        self.store.put(self._name(kind, key, ".json"), json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def forget(self, kind: str, key: str, suffix: str) -> None:
        """Remove one entry (one that turned out unusable, so the next build makes it again)."""
        self.store.delete(self._name(kind, key, suffix))

    def has(self, kind: str, key: str, suffix: str) -> bool:
        return self.store.exists(self._name(kind, key, suffix))

    def file_path(self, kind: str, key: str, suffix: str) -> Path:
        """A file read by path (a published copy, a search shard): the caller checks it against the SHA-256 a
        signed entry names for it before using it. From a remote store it is copied here first."""
        return self.store.local_path(self._name(kind, key, suffix))

    def put_bytes(self, kind: str, key: str, suffix: str, data: bytes) -> Path:
        return self.store.put(self._name(kind, key, suffix), data)

    def put_blob(self, kind: str, key: str, data: bytes, meta: dict | None = None) -> None:
        """Bytes with a small JSON header that carries their SHA-256 (issue 19: rendered pages, downloads) and a
        MAC over the header, so its ``meta`` (the render cache's "clean" flag) is covered too."""
        head = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "meta": meta or {}}
        head["mac"] = self._signed(kind, key, ".blob", json.dumps(head, sort_keys=True).encode("utf-8"))
        self.store.put(self._name(kind, key, ".blob"), json.dumps(head, sort_keys=True).encode("utf-8") + b"\n" + data)

    def get_blob(self, kind: str, key: str) -> tuple[dict, bytes] | None:
        """(meta, bytes) as stored, or None when absent, damaged (truncated, changed: its checksum does not match)
        or not signed with this cache's key."""
        raw = self.store.get(self._name(kind, key, ".blob"))
        if raw is None:
            return None
        try:
            head, _, data = raw.partition(b"\n")
            entry = json.loads(head)
            if len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
                return None
            signed = {"sha256": entry["sha256"], "size": entry["size"], "meta": entry["meta"]}
            if not self._authentic(entry, kind, key, ".blob", json.dumps(signed, sort_keys=True).encode("utf-8")):
                return None
            meta = entry["meta"]
            return (meta if isinstance(meta, dict) else {}), data
        except (ValueError, KeyError, TypeError, RecursionError, AttributeError):
            return None

    def prune(self, kind: str, keep: Container[str]) -> int:
        """Remove the entries of ``kind`` whose key is not in ``keep`` (those no build used last time)."""
        # Issue 19 (mem20): the names are not listed first (one str per page of the archive, some 30 MiB at 10,000
        # decisions in the swap phase): the entries of one folder (``kind/xx/``) to remove are removed once the listing
        # has left that folder, so nothing is removed from a folder while it is read.
        removed = 0
        folder = ""
        doomed: list[str] = []
        for name in self.store.names(kind):
            here = name.rsplit("/", 1)
            if here[0] != folder:
                removed += self._delete(doomed)
                folder, doomed = here[0], []
            if here[-1].split(".", 1)[0] not in keep:
                doomed.append(name)
        return removed + self._delete(doomed)

    def _delete(self, names: list[str]) -> int:
        """Remove the entries ``names``; how many were removed."""
        removed = 0
        for name in names:
            if self.store.delete(name):
                removed += 1
        return removed

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        write_file(path, data)


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a file, None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


class HashMemo:
    """SHA-256 of files remembered by their identity on disk: (path, size, mtime_ns, ctime_ns, inode, device) ->
    SHA-256 (issue 19: a warm rebuild does not read every PDF again). The inode change time (ctime) is set by the
    kernel on every write and cannot be set by a user (``os.utime`` sets only atime and mtime), so a file rewritten
    with the same size and a forged modification time is hashed again.

    Kept on disk in the build cache (publish/diskstore.py: one SQLite file, every entry with its own checksum, read one
    entry at a time, so memory does not grow with the archive): a damaged or truncated store is ignored whole and
    removed, a damaged entry or one not signed with the cache key is hashed again. It is consulted for PDFs only
    (``memo_applies``): everything the site shows of a PDF (its published copy, its texts, the gate's verdict) is taken from the inspection cache by this
    SHA-256, the approval requires exactly the approved SHA-256, and the inspection checks that the bytes it reads
    have it (``pdfs._work``); so even a forged entry can make the site show only an approved version. Metadata files
    (besluit.md, the inventory), whose own bytes are read and published, are always hashed."""

    NAME = "bestandshashes.sqlite"
    OLD_NAMES = ("bestandshashes.json",)  # the memo before it moved to disk (read by no version any more)
    KIND = "bestandshashes-1"
    SETTLED_NS = 1_000_000_000  # a file changed less than a second ago is hashed again next time

    def __init__(self, cache: Cache | None):
        from .diskstore import StoreReader

        self.cache = cache
        self.hashed = 0  # files really read and hashed
        self.reused = 0  # SHA-256 taken from the memo
        self._old: StoreReader | None = None
        self._used = None  # diskstore.StoreWriter of the entries this run used, made on first use
        self._dirty = False
        if cache is not None:
            self._old = StoreReader(cache.root / self.NAME, self.KIND, secret=cache.secret)

    def _writer(self):
        if self._used is None and self.cache is not None:
            from .diskstore import StoreWriter

            try:
                self._used = StoreWriter(self.cache.root / self.NAME, self.KIND, secret=self.cache.secret)
            except (OSError, sqlite3.Error):  # a cache that cannot be written: everything is hashed next time
                self.cache = None
        return self._used

    @staticmethod
    def key(path: str, st: os.stat_result) -> str:
        return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{path}"

    def _remember(self, key: str, sha: str) -> None:
        used = self._writer()
        if used is not None:
            try:
                used.put(key, sha)
            except sqlite3.Error:
                pass

    def _known(self, key: str) -> tuple[str | None, bool]:
        """(the SHA-256 remembered for ``key``, whether this run remembered it already)."""
        if self._used is not None:
            try:
                known = self._used.get(key)
            except sqlite3.Error:
                known = None
            if known is not None:
                return known, True
        known = self._old.get(key) if self._old is not None else None
        return (known if known is not None and _is_sha(known) else None), False

    def sha256(self, path: str | os.PathLike) -> str:
        """The SHA-256 of ``path`` (OSError when it cannot be read, like ``approval.sha256_file``)."""
        path = os.path.abspath(path)
        before = os.stat(path)
        key = self.key(path, before)
        known, kept = self._known(key)
        if known is not None:
            self.reused += 1
            if not kept:  # issue 19: a file looked up again in this run is already in this run's memo
                self._remember(key, known)
            return known
        from .paths import open_regular

        digest = hashlib.sha256()
        with open_regular(path) as handle:
            opened = os.fstat(handle.fileno())
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
            after = os.fstat(handle.fileno())
        self.hashed += 1
        sha = digest.hexdigest()
        # Remembered only when the file was the same one, unchanged, from the stat to the end of reading, and its last
        # change lies far enough back: the kernel's clock for ctime moves in ticks of a few milliseconds, so a file
        # changed again within the same tick would keep its key (as git's "racily clean" index entries).
        settled = time.time_ns() - max(after.st_ctime_ns, after.st_mtime_ns) > self.SETTLED_NS
        if settled and self.key(path, opened) == key and self.key(path, after) == key:
            self._remember(key, sha)
            self._dirty = True
        return sha

    def save(self) -> None:
        """Keep what this run used: a build looks at every package, so an entry it did not use belongs to a file that
        is gone or changed. A cache that cannot be written (read-only, full) only means the next run hashes again."""
        had_old = self._old is not None and self._old.usable
        if self._old is not None:
            self._old.close()
        if self._used is None and had_old:
            self._writer()  # nothing used: the old entries all belong to files that are gone
        used, self._used = self._used, None
        if used is None:
            return
        try:
            used.commit()
            if self.cache is not None:
                for name in self.OLD_NAMES:
                    try:
                        os.unlink(self.cache.root / name)
                    except OSError:
                        pass
        except (OSError, sqlite3.Error):
            pass
        finally:
            used.close()
        self._dirty = False


def _is_sha(text: str) -> bool:
    return len(text) == 64 and not text.strip("0123456789abcdef")  # nothing but lowercase hex digits


_ACTIVE: ContextVar[HashMemo | None] = ContextVar("woo_hash_memo", default=None)


def memo_applies(path: Path) -> bool:
    """Files whose SHA-256 may come from the memo: PDFs (see ``HashMemo``)."""
    return os.fspath(path)[-4:].lower() == ".pdf"


@contextmanager
def hash_memo(cache: Cache | None):
    """Within this block ``approval.sha256_file`` and the PDF inspection take PDFs' SHA-256 from a ``HashMemo``
    kept in ``cache``; saved at the end. Outside it (check, approve, tests) every file is hashed."""
    memo = HashMemo(cache)
    token = _ACTIVE.set(memo)
    try:
        yield memo
    finally:
        _ACTIVE.reset(token)
        memo.save()


def active_memo() -> HashMemo | None:
    return _ACTIVE.get()
