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
from typing import Any

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


class DecisionGroups:
    """pages19: the decisions whose streamed pages go as one group (``pages.Generator.groups``). A decision whose live
    site record (incremental.LiveReuse.group) was made from its page key is only marked in the stream (``GROUP``): its
    pages are linked from the live site by that one record when it also holds for the render context and every file
    (StreamPages._take_group), and only otherwise made, then (``expand``). Any other decision's pages are made as before,
    between a ``BEGIN`` and an ``END`` mark, so they are recorded as a group for the next build. Never for a decision
    whose folder holds a page of the site's own, a nav page, or a withdrawal or unavailability notice (``blocked``):
    its pages could then be written more than once."""

    def __init__(self, reuse, spill, blocked):
        self.reuse, self.spill, self.blocked = reuse, spill, blocked
        self.seen: set[str] = set()
        self.by_url: dict[str, object] = {}

    def take(self, v, key: str) -> bool:
        from .compact import GROUP

        url = v.url
        if url in self.seen or self.blocked(url) or not self.reuse.group_made_from(url, key):
            return False
        self.seen.add(url)
        self.by_url[url] = v
        self.spill.add_marker(GROUP, url, json.dumps([url, key]))
        return True

    def begin(self, v, key: str) -> bool:
        from .compact import BEGIN

        url = v.url
        if url in self.seen or self.blocked(url):
            return False
        self.seen.add(url)
        self.spill.add_marker(BEGIN, url, key)
        return True

    def end(self, v) -> None:
        from .compact import END

        self.spill.add_marker(END, v.url, "")


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
        self.groups_linked = 0  # pages19: decisions whose pages were all linked by one group record
        self.groups_remade = 0  # pages19: decisions left to their group record whose pages were made one by one after all
        self._group: tuple[str, str, list[list[str]], list[bool]] | None = None
        self._context = ""
        self._config: Any = None
        self._doc_files: Any = None
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
        from mkdocs.structure.files import InclusionLevel

        from .compact import BEGIN, END, GROUP, MARK

        assert self.files is not None and self.nav is not None and self.env is not None
        self._doc_files = self.files.documentation_pages(inclusion=InclusionLevel.is_included)
        self._config = config
        self._context = render_context(config, self.nav, self.files) if self.cache is not None else ""
        number = 0
        for source, markdown in self.sources:
            number += 1
            if number % URL_MEMO_PAGES == 0:
                forget_url_memos()
            if not source.startswith(MARK):
                self._page(source, markdown)
            elif source.startswith(GROUP):
                self._take_group(source[len(GROUP) :], markdown)
            elif source.startswith(BEGIN):
                self._begin(source[len(BEGIN) :], markdown.decode("utf-8"))
            elif source.startswith(END):
                self._end()

    # -- pages19: a decision's pages as one group --------------------------------------------------------------------
    def _take_group(self, url: str, payload: bytes) -> None:
        """A decision whose pages the build left to its group record (incremental.LiveReuse.group): all linked from the
        live site when the record holds for this render context and every file is as recorded, else made one by one
        (``SpilledPages.expand``)."""
        key = json.loads(payload)[1]
        pages = None
        if self.reuse is not None and self.cache is not None:
            try:
                pages = self.reuse.link_group(url, key, self._context, self._config.site_dir)
            except OSError:  # a link failed half way: every page of the decision is made (over what was linked)
                pages = None
        if pages is not None:
            for place, render_key in pages:
                self.used.add(render_key)
                self.clean.add(place)  # a group is recorded only when each of its pages was found clean
            self.from_cache += len(pages)
            self.groups_linked += 1
            return
        self.groups_remade += 1
        assert self.sources.expand is not None
        self._begin(url, key)
        for source, markdown in self.sources.expand(payload):
            self._page(source, markdown)
        self._end()

    def _begin(self, url: str, key: str) -> None:
        """The pages that follow, up to ``_end``, are the decision at ``url``'s (page key ``key``)."""
        self._group = (url, key, [], [True])
        if self.reuse is not None:
            self.reuse.expect_group(url, self._context)

    def _end(self) -> None:
        """The decision's pages are written: one record for all of them when each was recorded, else a record per
        page that was (as without groups)."""
        if self._group is None:
            return
        url, key, pages, complete = self._group
        self._group = None
        if self.reuse is None:
            return
        self.reuse.forget_group()
        if complete[0] and pages:
            self.reuse.record_group(url, key, self._context, pages)
        else:
            for place, render_key in pages:
                self.reuse.record(place, render_key)

    def _recorded(self, dest_uri: str, key: str) -> None:
        """The page at ``dest_uri`` is as its render key ``key`` makes it, and clean: for the next build."""
        if self._group is not None:
            self._group[2].append([dest_uri, key])
        elif self.reuse is not None:
            self.reuse.record(dest_uri, key)

    def _page(self, source: str, markdown: bytes) -> None:
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.files import File, InclusionLevel
        from mkdocs.structure.pages import Page
        from mkdocs.utils import write_file

        from .scriptcheck import scan_html

        config, site_dir = self._config, self._config.site_dir
        # Issue 19 (mkdocs13): a page taken from the live site or the cache needs only its place in the site; mkdocs'
        # File (and its Path and cached properties) is made only for a page that is rendered.
        dest_uri = fast_dest_uri(source)
        file = None
        if dest_uri is None:
            file = File(source, str(self.folder), site_dir, config.use_directory_urls, inclusion=InclusionLevel.INCLUDED)
            dest_uri = file.dest_uri
        target = os.path.normpath(os.path.join(site_dir, dest_uri))
        key = ""
        if self.cache is not None:
            digest = hashlib.sha256(self._context.encode("ascii") + b"\0" + source.encode("utf-8") + b"\0")
            digest.update(markdown)
            key = digest.hexdigest()
            self.used.add(key)
            if self.reuse is not None and self.reuse.link(dest_uri, key, target, record=self._group is None):
                self.from_cache += 1
                self.clean.add(dest_uri)  # only recorded when it was clean (below)
                if self._group is not None:
                    self._group[2].append([dest_uri, key])
                return
            stored = self.cache.get_blob("pagina", key)
            if stored is not None:
                meta, data = stored
                if data:
                    _unlink(target)  # pages19: never write into a file linked from the live site
                    write_file(data, target)
                if meta.get("clean") and data:
                    self._recorded(dest_uri, key)
                elif self._group is not None:
                    self._group[3][0] = False
                if meta.get("clean"):
                    self.clean.add(dest_uri)
                self.from_cache += 1
                return
        if file is None:
            file = File(source, str(self.folder), site_dir, config.use_directory_urls, inclusion=InclusionLevel.INCLUDED)
        # The source from memory, as mkdocs would read it from a file (text mode: UTF-8 with an optional BOM, and
        # universal newlines), so the page is the same as when its source was a file in the docs folder.
        file.content_string = markdown.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        page = Page(None, file, config)
        _populate_page(page, config, self.files)
        _unlink(target)  # pages19: never write into a file linked from the live site
        _build_page(page, config, self._doc_files, self.nav, self.env)
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
            if clean and data:
                self._recorded(file.dest_uri, key)
            elif self._group is not None:
                self._group[3][0] = False
        elif self._group is not None:  # no key to record it by: the decision gets no group record
            self._group[3][0] = False


def _unlink(target: str) -> None:
    """Remove the file at ``target`` when there is one (a page is written as a new file)."""
    try:
        os.unlink(target)
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        pass
