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
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

PLUGIN_NAME = "woo-pagina-stroom"


def streamable(config) -> bool:
    """Whether generated pages outside the nav may be rendered one at a time for this mkdocs config."""
    return bool(config.nav) and not any(name != PLUGIN_NAME for name in config.plugins)


class StreamPages(BasePlugin):
    """Renders the pages under ``folder`` (source paths relative to it, in order) after mkdocs' own pages."""

    def __init__(self, folder: Path, sources: list[str]):
        super().__init__()
        self.folder, self.sources = folder, sources
        self.nav = self.files = self.env = None
        self.rendered = 0

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

        assert self.files is not None and self.nav is not None and self.env is not None
        doc_files = self.files.documentation_pages(inclusion=InclusionLevel.is_included)
        for source in self.sources:
            file = File(source, str(self.folder), config.site_dir, config.use_directory_urls, inclusion=InclusionLevel.INCLUDED)
            page = Page(None, file, config)
            _populate_page(page, config, self.files)
            _build_page(page, config, doc_files, self.nav, self.env)
            file.page = None  # nothing of the page stays behind
            self.rendered += 1
