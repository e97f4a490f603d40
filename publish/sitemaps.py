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

from collections.abc import Callable, Iterable, Iterator
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


def _group_files(
    base_url: str, group: str, decisions: Iterable[tuple[str, list[str]]], max_urls: int, max_bytes: int
) -> Iterator[tuple[str, str, str]]:
    """(name, XML, newest lastmod) of a group's files. ``decisions``: (lastmod, site-relative URLs) in order;
    a decision's addresses stay in one file unless it is larger than a file on its own."""
    chunk: list[str] = []
    number, size, newest = 0, len(_HEAD) + len(_TAIL), ""

    def flush() -> tuple[str, str, str]:
        nonlocal number, chunk, size, newest
        number += 1
        made = (urls.site_sitemap(group, number), _HEAD + "".join(chunk) + _TAIL, newest)
        chunk, size, newest = [], len(_HEAD) + len(_TAIL), ""
        return made

    for lastmod, addresses in decisions:
        items = [_item(base_url + url, lastmod) for url in sorted(set(addresses))]
        need = sum(len(i.encode("utf-8")) for i in items)
        if chunk and (len(chunk) + len(items) > max_urls or size + need > max_bytes):
            yield flush()  # the decision starts a file of its own rather than straddle two
        for item in items:
            length = len(item.encode("utf-8"))
            if chunk and (len(chunk) >= max_urls or size + length > max_bytes):
                yield flush()
            chunk.append(item)
            size += length
            newest = max(newest, lastmod or "")
    if chunk or not number:
        yield flush()


def iter_sitemaps(
    base_url: str,
    general: list[str],
    decisions: Iterable[tuple[str, str, Callable[[], list[str]]]],
    max_urls: int = MAX_URLS,
    max_bytes: int = MAX_BYTES,
) -> Iterator[tuple[str, str]]:
    """(path under the site root, XML) of every child sitemap, one at a time, then the index ``sitemap.xml``.

    ``general``: the general pages (no lastmod). ``decisions``: (lastmod YYYY-MM-DD, sort key, site-relative
    URLs, made when its file is written) per decision; ordered here by date and key, grouped by month. ``max_urls``/``max_bytes``: the
    limits per file (a test uses small ones)."""
    if max_urls < 1 or max_bytes < 1:
        raise ValueError("sitemap limits must be positive")
    children: list[tuple[str, str]] = []
    for name, xml, newest in _group_files(base_url, GENERAL, [("", general)], max_urls, max_bytes):
        children.append((name, newest))
        yield name, xml
    months: dict[str, list[tuple[str, str, Callable[[], list[str]]]]] = {}
    for lastmod, key, addresses in decisions:
        months.setdefault(lastmod[:7], []).append((lastmod, key, addresses))
    for month in sorted(months):
        ordered = sorted(months.pop(month), key=lambda d: (d[0], d[1]))
        for name, xml, newest in _group_files(base_url, month, ((d[0], d[2]()) for d in ordered), max_urls, max_bytes):
            children.append((name, newest))
            yield name, xml
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
    yield urls.SITEMAP, "\n".join(index) + "\n"


def robots_txt(base_url: str, sitemap_indexes: list[str]) -> str:
    lines = ["User-agent: *", "Allow: /", ""]
    lines += [f"Sitemap: {base_url}{name}" for name in sitemap_indexes]
    lines.append(f"Sitemap: {base_url}sitemap.xml")
    return "\n".join(lines) + "\n"
