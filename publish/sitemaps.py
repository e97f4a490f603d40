"""robots.txt and the site's own sitemaps, written by us so their content is deterministic.

``sitemap.xml`` is always a sitemap index (issue 19): the sitemaps protocol allows at most 50,000
addresses and 50 MB per file, and an archive of 10,000 decisions has a million pages. The index lists
numbered child sitemaps under ``sitemap/`` (beside ``sitemaps/`` of the Woo-index): one group for the site's general pages, and one group per
month of publication holding that month's decisions, each decision's addresses together (a decision
larger than a file is split over the next ones). A new decision therefore rewrites its month's file and
the index, not the files of every other month; a file of a month is numbered on (``-1``, ``-2``, ...)
only when the month does not fit one file. ``lastmod`` is the publication date (data, never the clock).
Always an index, also for a small site: one layout at every size, so growing past a limit never
changes what ``sitemap.xml`` is, and a small site tests the same code as a large one.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Protocol
from xml.sax.saxutils import escape

from . import urls

MAX_URLS = 50_000  # the protocol's limit per file (and per index)
MAX_BYTES = 45 * 1024 * 1024  # below the protocol's 50 MB uncompressed, with room to spare
GENERAL = "algemeen"  # the group of the site's general pages (home, lists, search, statistics)
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
_TAIL = "</urlset>\n"


def _item(loc: str, lastmod: str | None) -> str:
    mod = f"    <lastmod>{lastmod}</lastmod>\n" if lastmod else ""
    return f"  <url>\n    <loc>{escape(loc)}</loc>\n{mod}  </url>\n"


class Sink(Protocol):
    def write(self, data: bytes) -> object: ...

    def close(self) -> object: ...


class CappedFiles:
    """The numbered files of one group (``name_of(1)``, ``name_of(2)``, ...), written as a stream (issue 19): each
    item goes into the open file, or into the next one when the open file would pass ``max_urls`` items or
    ``max_bytes`` bytes (counted from ``start``); only the open file's counts are held, never its text.
    ``open_file(name)``: where a file's bytes go (a file of the site, or a buffer in a test). Used for ``sitemap.xml``'s
    children and the DiWoo sitemaps (publish/diwoo.py)."""

    def __init__(
        self,
        name_of: Callable[[int], str],
        open_file: Callable[[str], Sink],
        head: str,
        tail: str,
        start: int,
        max_urls: int,
        max_bytes: int,
    ):
        if max_urls < 1 or max_bytes < 1:
            raise ValueError("sitemap limits must be positive")
        self.name_of, self.open_file = name_of, open_file
        self.head, self.tail = head.encode("utf-8"), tail.encode("utf-8")
        self.start, self.max_urls, self.max_bytes = start, max_urls, max_bytes
        self.made: list[tuple[str, str]] = []  # (name, newest lastmod in it) of every file closed
        self.sink: Sink | None = None
        self.count, self.size, self.newest = 0, start, ""

    def room(self, count: int, need: int) -> bool:
        """Whether ``count`` more items of ``need`` bytes fit the open file (an empty file takes anything)."""
        return not self.count or (self.count + count <= self.max_urls and self.size + need <= self.max_bytes)

    def add(self, item: bytes, lastmod: str) -> None:
        if not self.room(1, len(item)):
            self.next()
        if self.sink is None:
            self.sink = self.open_file(self.name_of(len(self.made) + 1))
            self.sink.write(self.head)
        self.sink.write(item)
        self.count += 1
        self.size += len(item)
        self.newest = max(self.newest, lastmod or "")

    def next(self) -> None:
        """Close the open file (if any item is in it): the next item starts the next file."""
        if self.sink is None:
            return
        self.sink.write(self.tail)
        self.sink.close()
        self.made.append((self.name_of(len(self.made) + 1), self.newest))
        self.sink, self.count, self.size, self.newest = None, 0, self.start, ""

    def finish(self) -> list[tuple[str, str]]:
        """Close the last file; a group without any item still has one (empty) file."""
        if self.sink is None and not self.made:
            self.sink = self.open_file(self.name_of(1))
            self.sink.write(self.head)
        self.next()
        return self.made


def _group_files(
    base_url: str,
    group: str,
    decisions: Iterable[tuple[str, list[str]]],
    open_file: Callable[[str], Sink],
    max_urls: int,
    max_bytes: int,
) -> list[tuple[str, str]]:
    """Write a group's files; (name, newest lastmod) of each. ``decisions``: (lastmod, site-relative URLs) in order;
    a decision's addresses stay in one file unless it is larger than a file on its own."""
    files = CappedFiles(partial(urls.site_sitemap, group), open_file, _HEAD, _TAIL, len(_HEAD) + len(_TAIL), max_urls, max_bytes)
    for lastmod, addresses in decisions:
        items = [_item(base_url + url, lastmod).encode("utf-8") for url in sorted(set(addresses))]
        if not files.room(len(items), sum(len(i) for i in items)):
            files.next()  # the decision starts a file of its own rather than straddle two
        for item in items:
            files.add(item, lastmod)
    return files.finish()


def write_sitemaps(
    base_url: str,
    general: list[str],
    decisions: Iterable[tuple[str, str, Callable[[], list[str]]]],
    open_file: Callable[[str], Sink],
    max_urls: int = MAX_URLS,
    max_bytes: int = MAX_BYTES,
) -> None:
    """Write every child sitemap, one at a time as a stream (``open_file(name)``: where its bytes go), then the
    index ``sitemap.xml``.

    ``general``: the general pages (no lastmod). ``decisions``: (lastmod YYYY-MM-DD, sort key, site-relative
    URLs, made when its file is written) per decision; ordered here by date and key, grouped by month. ``max_urls``/
    ``max_bytes``: the limits per file (a test uses small ones). Held: one decision's addresses and, per decision,
    its date, key and the function that makes its addresses (issue 19)."""
    if max_urls < 1 or max_bytes < 1:
        raise ValueError("sitemap limits must be positive")
    children = _group_files(base_url, GENERAL, [("", general)], open_file, max_urls, max_bytes)
    months: dict[str, list[tuple[str, str, Callable[[], list[str]]]]] = {}
    for lastmod, key, addresses in decisions:
        months.setdefault(lastmod[:7], []).append((lastmod, key, addresses))
    for month in sorted(months):
        ordered = sorted(months.pop(month), key=lambda d: (d[0], d[1]))
        children += _group_files(base_url, month, ((d[0], d[2]()) for d in ordered), open_file, max_urls, max_bytes)
    if len(children) > MAX_URLS:  # 50,000 files of 50,000 addresses: far beyond any archive
        raise ValueError("more child sitemaps than one sitemap index may list")
    index = ['<?xml version="1.0" encoding="UTF-8"?>', '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for name, newest in children:
        index.append("  <sitemap>")
        index.append(f"    <loc>{escape(base_url + name)}</loc>")
        if newest:
            index.append(f"    <lastmod>{newest}</lastmod>")
        index.append("  </sitemap>")
    index.append("</sitemapindex>")
    sink = open_file(urls.SITEMAP)
    sink.write(("\n".join(index) + "\n").encode("utf-8"))
    sink.close()


class Buffers:
    """``open_file`` for ``write_sitemaps`` and ``diwoo.write_diwoo`` that keeps each file in memory, in the order
    the files are closed: for tests and small callers (``iter_sitemaps``), never for a whole archive."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def __call__(self, name: str) -> Sink:
        return _Buffer(self, name)


class _Buffer(io.BytesIO):
    def __init__(self, owner: Buffers, name: str):
        super().__init__()
        self.owner, self.name = owner, name

    def close(self) -> None:
        if not self.closed:
            self.owner.files[self.name] = self.getvalue()
        super().close()


def iter_sitemaps(
    base_url: str,
    general: list[str],
    decisions: Iterable[tuple[str, str, Callable[[], list[str]]]],
    max_urls: int = MAX_URLS,
    max_bytes: int = MAX_BYTES,
) -> Iterator[tuple[str, str]]:
    """(path under the site root, XML) of every child sitemap, then ``sitemap.xml``: ``write_sitemaps`` into memory
    (tests; the build writes them as a stream)."""
    buffers = Buffers()
    write_sitemaps(base_url, general, decisions, buffers, max_urls, max_bytes)
    for name, data in buffers.files.items():
        yield name, data.decode("utf-8")


def robots_txt(base_url: str, sitemap_indexes: list[str]) -> str:
    lines = ["User-agent: *", "Allow: /", ""]
    lines += [f"Sitemap: {base_url}{name}" for name in sitemap_indexes]
    lines.append(f"Sitemap: {base_url}sitemap.xml")
    return "\n".join(lines) + "\n"
