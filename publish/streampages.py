"""Generated pages rendered one at a time by mkdocs' own functions (issue 19).

mkdocs 1.6 reads and renders every page of a site into memory before it writes any: with a page per
document, a ministry's archive (250,000 pages and more) would need many gigabytes. The route taken:
mkdocs still builds the site as always, from the site's own pages, the theme, the nav and the
generated pages that the nav names (home, listings, search, statistics). Every other generated page
(decision, inventory and document pages, facet listings, grounds, notices) is written to a separate
folder and, once mkdocs has gathered the nav and the theme, read, rendered and written by mkdocs'
own ``_populate_page`` and ``_build_page`` with the same configuration, nav and template environment,
one page at a time, and let go. The HTML is the same as when mkdocs renders them all together: these
pages are not in the nav, so no other page shows anything of them (tests/test_golden.py proves it).

A site without a nav (mkdocs then puts every page in it) or with mkdocs plugins of its own is built
the old way, every page in one mkdocs run: plugins may gather over all pages.

Render cache (warm rebuilds): the HTML of such a page is a function of its Markdown source and place,
and of what is the same for every page of the build: the mkdocs configuration as loaded, the nav as
mkdocs resolved it (titles, URLs, page metadata), the site's own pages and files (links to them are
rewritten), every theme folder's files, the build date (SOURCE_DATE_EPOCH) and the code and library
versions (``render_context``). A page whose key is in the cache is written from it without being
rendered; the entry's checksum is verified first, a damaged entry is rendered again. The script check
(publish/scriptcheck.py) of a page is a function of its bytes, so the entry also records whether the
page holds any script markup; a page known to hold none is not scanned again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from .compact import KeySet, PathSet, SpilledPages

log = logging.getLogger(__name__)

PLUGIN_NAME = "woo-pagina-stroom"


def streamable(config) -> bool:
    """Whether generated pages outside the nav may be rendered one at a time for this mkdocs config."""
    return bool(config.nav) and not any(name != PLUGIN_NAME for name in config.plugins)


def _nav_fingerprint(items) -> list:
    out = []
    for item in items or []:
        entry: list = [type(item).__name__, str(getattr(item, "title", "") or ""), str(getattr(item, "url", "") or "")]
        file = getattr(item, "file", None)
        if file is not None:
            entry.append(file.src_uri)
        meta = getattr(item, "meta", None)
        if meta:
            entry.append(json.dumps(meta, sort_keys=True, default=str, ensure_ascii=False))
        children = getattr(item, "children", None)
        if children:
            entry.append(_nav_fingerprint(children))
        out.append(entry)
    return out


def render_context(config, nav, files) -> str:
    """SHA-256 of everything a generated page's HTML depends on besides its own source and place."""
    from .incremental import code_hash, folder_hash

    parts: list = [code_hash(), os.environ.get("SOURCE_DATE_EPOCH", "")]
    skip = {"plugins", "docs_dir", "site_dir", "theme", "config_file_path"}  # the temporary folders, and how the path was spelled
    parts.append([[k, repr(config[k])] for k in sorted(config.keys()) if k not in skip])
    theme = config.theme
    parts.append(repr(sorted(dict(theme).items(), key=lambda kv: kv[0])))
    for folder in theme.dirs:
        # Installed libraries are pinned by the versions in code_hash; everything else by its contents.
        installed = "site-packages" in Path(folder).parts or "dist-packages" in Path(folder).parts
        parts.append([os.path.abspath(folder), "" if installed else folder_hash(Path(folder))])
    parts.append(_nav_fingerprint(nav.items))
    parts.append(sorted([f.src_uri, f.dest_uri, f.url, str(f.inclusion)] for f in files))
    body = json.dumps(parts, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def fast_dest_uri(source: str) -> str | None:
    """The place in the site mkdocs gives the page whose source is at ``source`` (``File.dest_uri``), worked out without
    making a ``File`` for the generated pages' sources (``<url>index.md``: ``<url>index.html`` with or without directory
    URLs); None for any other source (mkdocs' own ``File`` decides). tests/test_streampages.py compares it with mkdocs."""
    if not (source == "index.md" or source.endswith("/index.md")):
        return None
    if source.startswith(("/", "./", "../")) or "//" in source or "/./" in source or "/../" in source or "\\" in source:
        return None
    return source[:-3] + ".html"


URL_MEMO_PAGES = 2000  # the streamed pages after which mkdocs' memos of URLs are emptied (``forget_url_memos``)


def forget_url_memos() -> None:
    """Empty mkdocs' memos of normalised URLs (``mkdocs.utils._norm_parts`` and ``_get_norm_url``: ``lru_cache`` without
    a limit, so an entry for every URL a page linked to or was written at; issue 19, mem12: about 10 KB a decision, held
    until the process ends). They only save recomputing a path's parts: pages come out the same. A mkdocs without them
    is left as it is."""
    import mkdocs.utils

    for name in ("_norm_parts", "_get_norm_url"):
        clear = getattr(getattr(mkdocs.utils, name, None), "cache_clear", None)
        if clear is not None:
            clear()


class StreamPages(BasePlugin):
    """Renders the pages of ``sources`` (their places and Markdown, in order; compact.SpilledPages) after mkdocs' own
    pages.

    With ``cache`` a page whose render key is stored is written from the cache; ``reuse`` (publish/
    incremental.py) links an unchanged page from the live site instead of writing it."""

    def __init__(self, sources: SpilledPages, cache=None, reuse=None):
        super().__init__()
        self.folder, self.sources = sources.folder, sources
        self.cache, self.reuse = cache, reuse
        self.nav = self.files = self.env = None
        self.rendered = 0
        self.from_cache = 0
        self.used = KeySet()  # render keys of this build (the rest of the cache is pruned; issue 19: compact)
        self.clean = PathSet()  # pages (site-relative) known to hold no script markup at all (issue 19: compact)

    def on_nav(self, nav, config, files):
        self.nav, self.files = nav, files
        return nav

    def on_env(self, env, config, files):
        self.env = env
        return env

    @event_priority(50)  # before any other post_build handler
    def on_post_build(self, config) -> None:
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.files import File, InclusionLevel
        from mkdocs.structure.pages import Page
        from mkdocs.utils import write_file

        from .scriptcheck import scan_html

        assert self.files is not None and self.nav is not None and self.env is not None
        doc_files = self.files.documentation_pages(inclusion=InclusionLevel.is_included)
        context = render_context(config, self.nav, self.files) if self.cache is not None else ""
        site_dir, use_directory_urls = config.site_dir, config.use_directory_urls
        for number, (source, markdown) in enumerate(self.sources, start=1):
            if number % URL_MEMO_PAGES == 0:
                forget_url_memos()
            # Issue 19 (mkdocs13): a page taken from the live site or the cache needs only its place in the site; mkdocs'
            # File (and its Path and cached properties) is made only for a page that is rendered.
            dest_uri = fast_dest_uri(source)
            file = None
            if dest_uri is None:
                file = File(source, str(self.folder), site_dir, use_directory_urls, inclusion=InclusionLevel.INCLUDED)
                dest_uri = file.dest_uri
            target = os.path.normpath(os.path.join(site_dir, dest_uri))
            key = ""
            if self.cache is not None:
                digest = hashlib.sha256(context.encode("ascii") + b"\0" + source.encode("utf-8") + b"\0")
                digest.update(markdown)
                key = digest.hexdigest()
                self.used.add(key)
                if self.reuse is not None and self.reuse.link(dest_uri, key, target):
                    self.from_cache += 1
                    self.clean.add(dest_uri)  # only recorded when it was clean (below)
                    continue
                stored = self.cache.get_blob("pagina", key)
                if stored is not None:
                    meta, data = stored
                    if data:
                        write_file(data, target)
                    if meta.get("clean") and self.reuse is not None:
                        self.reuse.record(dest_uri, key)
                    if meta.get("clean"):
                        self.clean.add(dest_uri)
                    self.from_cache += 1
                    continue
            if file is None:
                file = File(source, str(self.folder), site_dir, use_directory_urls, inclusion=InclusionLevel.INCLUDED)
            # The source from memory, as mkdocs would read it from a file (text mode: UTF-8 with an optional BOM, and
            # universal newlines), so the page is the same as when its source was a file in the docs folder.
            file.content_string = markdown.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
            page = Page(None, file, config)
            _populate_page(page, config, self.files)
            _build_page(page, config, doc_files, self.nav, self.env)
            file.page = None  # nothing of the page stays behind
            self.rendered += 1
            log.debug("gerenderd %s", file.dest_uri)
            if self.cache is not None:
                written = Path(file.abs_dest_path)
                data = written.read_bytes() if written.is_file() else b""
                clean = not scan_html(data.decode("utf-8", errors="replace"))
                self.cache.put_blob("pagina", key, data, {"clean": clean})
                if clean:
                    self.clean.add(file.dest_uri)
                    if self.reuse is not None and data:
                        self.reuse.record(file.dest_uri, key)
