"""On-disk maps for what grows with the archive (issue 19): memory flat in the archive size.

The build remembers, between runs, a few things per file of the archive or of the site: the SHA-256 of
every PDF by its identity on disk (``cache.HashMemo``) and every file of the live site with the key it
was made from (``incremental.LiveReuse``). At 10,000 decisions these are hundreds of thousands of
entries; held in dictionaries they cost hundreds of megabytes. Here they live in one SQLite file each
(the standard library's ``sqlite3``) in the build cache, and only the entry asked for is read.

Safety, as for every cache entry (a damaged or changed store is never trusted):

- Every row carries a check over its kind, key and value, an HMAC-SHA256 under the cache key (the
  caller's ``secret``, publish/cachestore.py); a row whose check does not match is treated as absent (the caller then hashes or makes the file again). A look-up returns a value only for
  exactly the key asked for.
- A store that is not a SQLite file, fails ``PRAGMA quick_check``, has another format version or kind, or
  whose row count differs from the count written when it was completed, is not used at all and is
  removed (the next build writes a new one).
- A new store is written into a temporary file and renamed over the old one only when complete (no
  journal, no WAL: nothing is ever changed in place), so a killed build leaves the previous store or
  none. Rows are copied into the final file in key order: the same entries give the same file.

What the entries are used for decides what a forged (hand-made, valid) entry could do; the callers
document that (a memo entry is checked against the approval and the PDF inspection; a live-site entry
is used only when inode, size, modification and change time of the live file match).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

FORMAT = 2  # 2: rows carry an HMAC-SHA256 under the cache key (publish/cachestore.py); older stores are not used
_ERRORS = (sqlite3.Error, OSError, ValueError, TypeError, MemoryError)


def _enc(text: str) -> bytes:
    """Keys and values are stored as UTF-8 bytes; a file name that is not valid UTF-8 (surrogates) is kept as it is."""
    return text.encode("utf-8", "surrogatepass")


def _dec(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


def _identity(text: str) -> str:
    return hashlib.sha256(_enc(text)).hexdigest()


def _check(kind: str, key: bytes, value: bytes, secret: bytes | None = None) -> bytes:
    """A row's check: an HMAC-SHA256 under the cache key (``secret``), so a row written by someone who can write
    the cache but has not the key (a memo entry mapping changed bytes to an old hash) does not verify; a plain
    SHA-256 only for a store opened without a key."""
    message = kind.encode("utf-8") + b"\0" + key + b"\0" + value
    if secret is None:
        return hashlib.sha256(message).digest()[:16]
    return hmac.new(secret, b"woo-publicatie diskstore 1\0" + message, hashlib.sha256).digest()


def _tune(con: sqlite3.Connection) -> None:
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-2048")  # KiB: the page cache stays small whatever the store's size
    con.execute("PRAGMA temp_store=FILE")


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS entries (key BLOB PRIMARY KEY, value BLOB NOT NULL, check_ BLOB NOT NULL) WITHOUT ROWID",
)


class StoreReader:
    """A completed store, read one entry at a time. ``identity``: values the store must have been written
    with (for example the live site's path); a store made for something else is not used."""

    def __init__(self, path: Path, kind: str, identity: str = "", secret: bytes | None = None):
        self.path, self.kind, self.secret = Path(path), kind, secret
        self.damaged_rows = 0
        self._con: sqlite3.Connection | None = None
        self._owner = os.getpid()
        if not self.path.is_file():
            return
        try:
            con = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False)
        except _ERRORS:
            self._discard()
            return
        try:
            con.execute("PRAGMA cache_size=-2048")
            if con.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise sqlite3.DatabaseError("quick_check")
            meta = dict(con.execute("SELECT name, value FROM meta").fetchall())
            if meta.get("format") != str(FORMAT) or meta.get("kind") != kind or meta.get("identity") != _identity(identity):
                raise sqlite3.DatabaseError("other store")
            (count,) = con.execute("SELECT count(*) FROM entries").fetchone()
            if meta.get("count") != str(count) or meta.get("complete") != "1":
                raise sqlite3.DatabaseError("incomplete")
        except _ERRORS:
            con.close()
            self._discard()
            return
        self._con = con

    def _discard(self) -> None:
        """A store that cannot be trusted is removed whole; a new one is written by this build."""
        try:
            os.unlink(self.path)
        except OSError:
            pass

    @property
    def usable(self) -> bool:
        return self._con is not None

    def get(self, key: str) -> str | None:
        """The value stored for exactly ``key``, or None when absent, damaged or the store is unusable."""
        if self._con is None or os.getpid() != self._owner:  # never through a connection inherited by a forked child
            return None
        raw = _enc(key)
        try:
            row = self._con.execute("SELECT key, value, check_ FROM entries WHERE key = ?", (raw,)).fetchone()
        except _ERRORS:
            self.close()
            return None
        if row is None:
            return None
        if row[0] != raw or not isinstance(row[1], bytes) or not isinstance(row[2], bytes):
            self.damaged_rows += 1
            return None
        if not hmac.compare_digest(row[2], _check(self.kind, raw, row[1], self.secret)):
            self.damaged_rows += 1
            if self.secret is not None:
                from .cachestore import COUNTERS

                COUNTERS["refused"] += 1
            return None
        try:
            return _dec(row[1])
        except UnicodeDecodeError:
            self.damaged_rows += 1
            return None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def close(self) -> None:
        if self._con is not None and os.getpid() == self._owner:
            self._con.close()
        self._con = None


class StoreWriter:
    """A new store, filled during a build and completed (renamed into place) at its end. Entries can be
    replaced, removed and read back meanwhile; they are held in a temporary file, not in memory."""

    def __init__(self, path: Path, kind: str, identity: str = "", secret: bytes | None = None):
        self.path, self.kind, self.identity, self.secret = Path(path), kind, identity, secret
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".sqlite")
        os.close(fd)
        self._tmp = Path(tmp)
        self._owner = os.getpid()
        self._con = sqlite3.connect(str(self._tmp), check_same_thread=False)
        _tune(self._con)
        for statement in _SCHEMA:
            self._con.execute(statement)

    def put(self, key: str, value: str) -> None:
        self._con.execute("INSERT OR REPLACE INTO entries (key, value, check_) VALUES (?, ?, x'')", (_enc(key), _enc(value)))

    def get(self, key: str) -> str | None:
        row = self._con.execute("SELECT value FROM entries WHERE key = ?", (_enc(key),)).fetchone()
        return _dec(row[0]) if row else None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def add(self, key: str) -> None:
        """As a set: ``key`` with an empty value."""
        self.put(key, "")

    def delete(self, key: str) -> None:
        self._con.execute("DELETE FROM entries WHERE key = ?", (_enc(key),))

    def clear(self) -> None:
        self._con.execute("DELETE FROM entries")

    def __len__(self) -> int:
        return int(self._con.execute("SELECT count(*) FROM entries").fetchone()[0])

    def items(self) -> Iterator[tuple[str, str]]:
        """Every entry in key order, read in batches (never all at once)."""
        last = None
        while True:
            if last is None:
                rows = self._con.execute("SELECT key, value FROM entries ORDER BY key LIMIT 1000").fetchall()
            else:
                rows = self._con.execute(
                    "SELECT key, value FROM entries WHERE key > ? ORDER BY key LIMIT 1000", (last,)
                ).fetchall()
            if not rows:
                return
            for key, value in rows:
                yield _dec(key), _dec(value)
            last = rows[-1][0]

    def keys(self) -> Iterator[str]:
        return (key for key, _ in self.items())

    def commit(self, transform=None) -> None:
        """Write the store into place: its entries in key order, each through ``transform(key, value)`` (a new
        value, or None to leave the entry out) when given. OSError when the cache cannot be written."""
        fd, final = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".sqlite")
        os.close(fd)
        try:
            out = sqlite3.connect(final)
            try:
                _tune(out)
                for statement in _SCHEMA:
                    out.execute(statement)
                count = 0
                batch = []
                for key, value in self.items():
                    if transform is not None:
                        value = transform(key, value)
                        if value is None:
                            continue
                    raw, data = _enc(key), _enc(value)
                    batch.append((raw, data, _check(self.kind, raw, data, self.secret)))
                    count += 1
                    if len(batch) >= 1000:
                        out.executemany("INSERT INTO entries VALUES (?, ?, ?)", batch)
                        batch = []
                out.executemany("INSERT INTO entries VALUES (?, ?, ?)", batch)
                out.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    sorted(
                        {
                            "format": str(FORMAT),
                            "kind": self.kind,
                            "identity": _identity(self.identity),
                            "count": str(count),
                            "complete": "1",
                        }.items()
                    ),
                )
                out.commit()
            finally:
                out.close()
            os.chmod(final, 0o444)  # replaced whole, never changed in place
            os.replace(final, self.path)
        except BaseException:
            if os.path.exists(final):
                os.unlink(final)
            raise

    def close(self) -> None:
        """Let go of the temporary file (after ``commit`` or instead of it)."""
        if self._con is not None and os.getpid() == self._owner:
            self._con.close()
            try:
                os.unlink(self._tmp)
            except OSError:
                pass
        self._con = None
