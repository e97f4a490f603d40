"""Issue 19, memory flat in the archive size: compact forms of what the build collects per page until its end.

- ``KeySet``: the cache keys a build used (render keys of the streamed pages, page-cache keys), pruned against at the
  end. A SHA-256 key in hex is held as its 32 bytes in one ``bytearray`` (no object per key: about 32 bytes a key
  instead of 140 for a ``str`` in a ``set``), sorted and made unique when first asked; any other key in a plain set.
- ``PathSet``: the streamed pages found clean (the script check of the built site skips them), by their place in the
  site, as the SHA-256 of each place in a ``KeySet``.
- ``PageOwners``: the generated pages as the script check of the built site reads them, the file each page is
  written to (the SHA-256 of its place) and the packages whose data it shows (an index into the distinct tuples of
  packages); not the pages' titles, bodies or digests.
- ``SpilledLines``: strings (the places of the streamed pages) in a file in the build's work folder, read back in order.
- ``SpilledPages``: the Markdown sources of the pages rendered one at a time after mkdocs' own, in one file in the
  build's work folder, read back in order (warm10: no folder and file per page).
- ``Shared``: one object for equal values that every decision holds a copy of (its organisation, law, dates, grounds).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

_HEX_KEY = re.compile(r"[0-9a-f]{64}")


def _packed(key: object) -> bytes | None:
    """The 32 bytes of a SHA-256 key in lowercase hex; None for any other key (held as it is)."""
    if isinstance(key, str) and len(key) == 64 and _HEX_KEY.fullmatch(key):
        return bytes.fromhex(key)
    return None


class Shared:
    """One object for equal values (issue 19, mem22). What the build holds per decision from validation to its end (the
    summaries' ``pages.DecisionFacts``, the stand-ins' ``model.SpilledDecision``) is decoded anew per decision from the
    spilled model: an equal str, date, tuple or ``Ground`` per decision although most are common to many decisions (the
    organisation, the law, the outcome, the type, the dates, subjects, grounds, category). ``shared(value)`` gives the
    first value seen equal to it and of the same type, so such a value is held once; a list comes back as an equal list
    shared by every holder of equal items (none of them changes it). Anything else (None, numbers, a value that cannot
    be hashed) comes back as it is."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict = {}

    def __call__(self, value):
        kind = type(value)
        if kind is list:
            items = [self(v) for v in value]
            if not all(type(v) in _SHARED for v in items):
                return value
            return self._seen.setdefault((list, tuple(items)), items)
        if kind is tuple:
            items = tuple(self(v) for v in value)
            if not all(type(v) in _SHARED for v in items):
                return value
            value = items
        elif kind not in _SHARED:
            return value
        return self._seen.setdefault((kind, value), value)

    def __len__(self) -> int:
        return len(self._seen)


def _shared_kinds() -> frozenset:
    """The kinds ``Shared`` holds once: immutable, hashable and equal only to their own kind (``Ground`` is a frozen
    dataclass of str and bool)."""
    import datetime as dt

    from .grounds import Ground

    return frozenset({str, dt.date, tuple, Ground})


_SHARED = _shared_kinds()


class KeySet:
    """A set of cache keys with ``add``, ``|=``, ``in``, ``len`` and iteration (in no particular order)."""

    __slots__ = ("_raw", "_index", "_other")

    def __init__(self, keys: Iterable[str] = ()):
        self._raw = bytearray()  # 32 bytes a key; sorted and unique while ``_index`` is set
        self._index = None  # numpy view of ``_raw`` for look-ups, made on the first ``in``
        self._other: set[str] = set()
        self.update(keys)

    def add(self, key: str) -> None:
        raw = _packed(key)
        if raw is None:
            self._other.add(key)
            return
        self.add_raw(raw)

    def add_raw(self, raw: bytes) -> None:
        """A key given as its 32 bytes."""
        self._index = None  # releases the view, so the bytearray can grow
        self._raw += raw

    def update(self, keys: Iterable[str]) -> None:
        if isinstance(keys, KeySet):
            self._index = None
            self._raw += keys._raw
            self._other |= keys._other
            return
        for key in keys:
            self.add(key)

    def __ior__(self, keys: Iterable[str]) -> KeySet:
        self.update(keys)
        return self

    def _sorted(self):
        if self._index is None:
            import numpy as np

            # "S32": fixed-width bytes; every record is exactly 32 bytes, so comparisons are of all 32 bytes.
            # Issue 19 (mem20): sorted and made unique in place, in the bytearray itself (``np.unique`` of a copy held
            # about five times the keys' bytes at once: some 40 MiB for the 260,000 page keys of 10,000 decisions).
            keys = np.frombuffer(self._raw, dtype="S32")
            keys.sort()
            count = len(keys)
            if count > 1:
                new = np.empty(count, dtype=bool)
                new[0] = True
                np.not_equal(keys[1:], keys[:-1], out=new[1:])
                count = int(new.sum())
                if count < len(keys):
                    keys[:count] = keys[new]
                del new
            del keys  # no view of the bytearray left: it can be cut to its unique keys
            del self._raw[count * 32 :]
            self._index = np.frombuffer(self._raw, dtype="S32")
        return self._index

    def __contains__(self, key: object) -> bool:
        raw = _packed(key)
        if raw is None:
            return key in self._other
        return self.has_raw(raw)

    def has_raw(self, raw: bytes) -> bool:
        index = self._sorted()
        return bool(index.searchsorted(raw, "right") > index.searchsorted(raw, "left"))

    def __len__(self) -> int:
        return len(self._sorted()) + len(self._other)

    def __iter__(self) -> Iterator[str]:
        self._sorted()
        raw = bytes(self._raw)
        for start in range(0, len(raw), 32):
            yield raw[start : start + 32].hex()
        yield from list(self._other)


class PathSet:
    """A set of paths (the streamed pages known clean, by their place in the site) with ``add`` and ``in``: each held as
    the 32 bytes of its SHA-256 in a ``KeySet`` (about 32 bytes a path instead of about 150)."""

    __slots__ = ("_keys",)

    def __init__(self, paths: Iterable[str] = ()):
        self._keys = KeySet()
        for path in paths:
            self.add(path)

    @staticmethod
    def _key(path: str) -> bytes:
        import hashlib

        return hashlib.sha256(path.encode("utf-8", "surrogatepass")).digest()

    def add(self, path: str) -> None:
        self._keys.add_raw(self._key(path))

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self._keys.has_raw(self._key(path))

    def __len__(self) -> int:
        return len(self._keys)


class PageOwners:
    """The generated pages, by the file each is written to (``scriptcheck.page_path``), and the packages whose data each
    shows: what ``scriptcheck.check_site`` reads of them (``get``). ``append`` takes a page (``pages.Page``) as a list
    would; a later page at the same place replaces an earlier one. Each place is held as the 32 bytes of its SHA-256 in
    one ``bytearray`` and its packages as an index into the distinct tuples of packages (4 bytes): about 36 bytes a
    page. Sorted on the first ``get`` (numpy; stable, so the last page at a place wins)."""

    __slots__ = ("_places", "_owners", "_tuples", "_ids", "_index")

    def __init__(self) -> None:
        from array import array

        self._places = bytearray()
        self._owners = array("I")
        self._tuples: list[tuple[str, ...]] = []
        self._ids: dict[tuple[str, ...], int] = {}
        self._index = None  # numpy view of ``_places`` while it is sorted and unique

    @staticmethod
    def _place(rel: str) -> bytes:
        import hashlib

        return hashlib.sha256(rel.encode("utf-8", "surrogatepass")).digest()

    def append(self, page) -> None:
        from .scriptcheck import page_path

        packages = tuple(page.packages)
        owner = self._ids.get(packages)
        if owner is None:
            owner = self._ids[packages] = len(self._tuples)
            self._tuples.append(packages)
        self._index = None  # releases the view, so the bytearray can grow
        self._places += self._place(page_path(page.url))
        self._owners.append(owner)

    def _sorted(self):
        if self._index is None:
            from array import array

            import numpy as np

            # Issue 19 (mem20): the sorted places written back into the bytearray itself and the bytearray cut to them,
            # not copied three more times (``bytes``, ``tobytes``, ``bytearray``): 1.3 to 1.5 times the places' bytes at
            # the peak, not 3.4 (the script check's first look-up, a page of the archive each).
            view = np.frombuffer(self._places, dtype="S32")
            order = np.argsort(view, kind="stable")
            places = view[order]
            last = np.ones(len(places), dtype=bool)  # of equal places, the one added last
            last[:-1] = places[1:] != places[:-1]
            owners = np.frombuffer(self._owners, dtype=np.uint32)[order][last]
            del order
            count = int(last.sum())
            view[:] = places
            del places  # the sorted copy let go before the repeats (almost never any) are dropped
            if count < len(view):
                view[:count] = view[last]
            del view, last
            del self._places[count * 32 :]
            self._owners = array("I", owners.tobytes())
            del owners
            self._index = np.frombuffer(self._places, dtype="S32")
        return self._index

    def get(self, rel: object, default=None):
        """The packages the page written to ``rel`` shows (``default`` when no generated page is written there)."""
        if not isinstance(rel, str):
            return default
        index = self._sorted()
        place = self._place(rel)
        at = int(index.searchsorted(place, "left"))
        if at == int(index.searchsorted(place, "right")):
            return default
        return self._tuples[self._owners[at]]

    def __len__(self) -> int:
        return len(self._sorted())


class SpilledLines:
    """Strings (the streamed pages' source paths) appended in order to ``path``, one JSON-escaped line each (any
    character, a newline too), and read back in that order; only their count is held."""

    def __init__(self, path: Path):
        self.path = path
        self.count = 0
        self._file = open(path, "w", encoding="ascii", newline="\n")

    def append(self, line: str) -> None:
        import json

        self._file.write(json.dumps(line, ensure_ascii=True) + "\n")
        self.count += 1

    def close(self) -> SpilledLines:
        if not self._file.closed:
            self._file.close()
        return self

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[str]:
        import json

        self.close()
        with open(self.path, encoding="ascii", newline="\n") as lines:
            for line in lines:
                yield json.loads(line)

    def remove(self) -> None:
        self.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass


MARK = "\x00"  # pages19: the marks among the streamed pages (SpilledPages.add_marker)
GROUP, BEGIN, END = MARK + "G", MARK + "B", MARK + "E"


class SpilledPages:
    """warm10: the Markdown sources of the pages rendered one at a time after mkdocs' own (publish/streampages.py),
    appended to one file in the build's work folder, with their places in order in a ``SpilledLines``: no folder made,
    no file written, read back and removed per page (a warm build takes almost every such page from the live site, and
    a folder and a file per page were most of its cost). Read back in the order each place first came; a place given
    twice keeps its first position and its last text, as files written one after another into one folder would.
    Only the count and the end offset are held."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._path = folder / "bronnen.bin"
        self._data = open(self._path, "wb")
        self._order = SpilledLines(folder / "volgorde.txt")
        self._end = 0
        # pages19: a decision's pages given as one group (``add_marker``, publish/streampages.py): ``expand(payload)``
        # gives that decision's pages' (place, source bytes) when they are needed one by one after all.
        self.expand: Callable[[bytes], list[tuple[str, bytes]]] | None = None

    def add_marker(self, mark: str, url: str, payload: str) -> None:
        """pages19: a mark in the order of the pages (``mark`` + the decision's URL, with ``payload``): a
        decision's pages left to the group record (``GROUP``), or the start (``BEGIN``) and end (``END``) of a decision's
        pages given one by one. No page's place starts with ``MARK``."""
        self.add(mark + url, payload)

    def add(self, path: str, text: str) -> None:
        """The source of the page at ``path`` (relative to the docs folder), as ``pages.write_sources`` writes it."""
        data = text.encode("utf-8")
        self._data.write(data)
        self._order.append(f"{self._end} {len(data)} {path}")
        self._end += len(data)

    def __len__(self) -> int:
        return len(self._order)

    def _entries(self) -> Iterator[tuple[str, int, int]]:
        for line in self._order:
            offset, length, path = line.split(" ", 2)
            yield path, int(offset), int(length)

    def _duplicates(self) -> dict[str, tuple[int, int]]:
        """The places given more than once, with their last text's offset and length (almost always none): found by an
        8-byte hash of each place (numpy, 8 bytes a page), then by the places themselves."""
        import hashlib

        import numpy as np

        hashes = bytearray()
        for path, _, _ in self._entries():
            hashes += hashlib.blake2b(path.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        keys = np.frombuffer(bytes(hashes), dtype="<u8")
        values, counts = np.unique(keys, return_counts=True)
        twice = set(values[counts > 1].tolist())
        if not twice:
            return {}
        last: dict[str, tuple[int, int]] = {}
        counted: dict[str, int] = {}
        for i, (path, offset, length) in enumerate(self._entries()):
            if int(keys[i]) in twice:
                last[path] = (offset, length)
                counted[path] = counted.get(path, 0) + 1
        return {path: place for path, place in last.items() if counted[path] > 1}

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        """(place, source bytes) of every page, in order."""
        self.close()
        last = self._duplicates()
        given: set[str] = set()
        with open(self._path, "rb") as sources:
            for path, offset, length in self._entries():
                if path in last:
                    if path in given:
                        continue
                    given.add(path)
                    offset, length = last[path]
                sources.seek(offset)
                yield path, sources.read(length)

    def pages(self) -> Iterator[tuple[str, bytes]]:
        """(place, source bytes) of every page, in order, a decision's group expanded into its pages (``expand``) and
        without the marks."""
        for path, data in self:
            if not path.startswith(MARK):
                yield path, data
            elif path.startswith(GROUP):
                if self.expand is None:
                    raise RuntimeError(f"de pagina's van {path[2:]} ontbreken")
                yield from self.expand(data)

    def materialise(self, folder: Path) -> None:
        """Write every page's source into ``folder`` as files (a site whose mkdocs configuration cannot stream them,
        and ``--bronnen``)."""
        for path, data in self.pages():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def close(self) -> SpilledPages:
        """Done adding (reading back closes it too)."""
        self._order.close()
        self._data.close()
        return self


ISSUED_BLOCK = 2048  # keys written to the file at a time (``IssuedKeys.keep_in``): 64 KiB


class IssuedKeys:
    """The inspection-cache keys handed out as ``pdfs.CachedTexts`` for one cache folder (``"<SHA-256>-v<code
    version>"``, one a PDF of the archive), as ``CachedTexts._issued`` uses its set: ``add``, iteration, ``len`` and
    ``|`` with a set (which gives a ``set``). Issue 19 (mem12): per code version a ``KeySet`` of the SHA-256, 32 bytes a
    key instead of about 200 for a ``str`` in a ``set``; made unique whenever as many keys were added as it held (a PDF
    is handed out again in each phase that makes its view). The build puts one in place for its cache (build.py).

    mem22: from ``keep_in(write, read)`` on (the build's ``SpilledPdfs`` file), the keys are written to that file
    ``ISSUED_BLOCK`` at a time as they are handed out and read back only when asked for (iteration, ``len``, ``|``: the
    rare path of a damaged cache entry, ``CachedTexts._forget_unusable``), so a build holds a block and a place per
    block, not 32 bytes for every PDF of the archive (one to two KB a decision)."""

    __slots__ = ("_by_tail", "_until_unique", "_write", "_read", "_pending", "_places")

    def __init__(self, keys: Iterable[str] = ()):
        self._by_tail: dict[str, KeySet] = {}
        self._until_unique: dict[str, int] = {}
        self._write: Callable[[bytes], tuple[int, int]] | None = None
        self._read: Callable[[tuple[int, int]], bytes] | None = None
        self._pending: dict[str, bytearray] = {}  # per code version: keys handed out since the last block was written
        self._places: list[tuple[str, tuple[int, int]]] = []  # per block written: its code version and place
        for key in keys:
            self.add(key)

    def keep_in(self, write: Callable[[bytes], tuple[int, int]], read: Callable[[tuple[int, int]], bytes]) -> None:
        """Keys added from now on go to a file: ``write(data)`` appends bytes and gives their place, ``read(place)`` gives
        them back (both for as long as this object is used)."""
        self._write, self._read = write, read

    def add(self, key: str) -> None:
        head, sep, tail = key.partition("-")
        tail = sep + tail
        if self._write is not None:
            raw = _packed(head)
            if raw is not None:
                pending = self._pending.get(tail)
                if pending is None:
                    pending = self._pending[tail] = bytearray()
                pending += raw
                if len(pending) >= ISSUED_BLOCK * 32:
                    self._places.append((tail, self._write(bytes(pending))))
                    del self._pending[tail]
                return
        keys = self._by_tail.get(tail)
        if keys is None:
            keys = self._by_tail[tail] = KeySet()
        keys.add(head)
        left = self._until_unique.get(tail, 1024) - 1
        self._until_unique[tail] = max(1024, len(keys)) if left <= 0 else left  # ``len`` makes the KeySet unique

    def _every(self) -> dict[str, KeySet]:
        """Every key handed out, per code version, each once (those in the file read back)."""
        every: dict[str, KeySet] = {}
        for tail, keys in self._by_tail.items():
            every.setdefault(tail, KeySet()).update(keys)
        for tail, place in self._places:
            every.setdefault(tail, KeySet()).add_raw(self._read(place))  # a block of whole keys
        for tail, pending in self._pending.items():
            every.setdefault(tail, KeySet()).add_raw(bytes(pending))
        return every

    def __iter__(self) -> Iterator[str]:
        for tail, keys in self._every().items():
            for head in keys:
                yield head + tail

    def __len__(self) -> int:
        return sum(len(keys) for keys in self._every().values())

    def __or__(self, other: Iterable[str]) -> set[str]:
        return {*self, *other}
