"""The files every site gets from the package: theme overrides, standard pages and assets.

They live in ``publish/site/`` and are layered under the site's own files the way mkdocs themes and
``custom_dir`` work: a file in the site's ``theme/`` folder (or the folder named by ``theme.custom_dir``
in its ``mkdocs.yml``) wins over the same file in ``publish/site/theme/``; a file in the site's
``site_src/`` folder wins over the same file in ``publish/site/site_src/``. A site folder made by
``woo-publish init`` holds neither folder and uses the package's files as they are.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_SITE = Path(__file__).resolve().parent / "site"
PACKAGE_THEME = PACKAGE_SITE / "theme"
PACKAGE_PAGES = PACKAGE_SITE / "site_src"
NEW_SITE = PACKAGE_SITE / "nieuw"  # what `woo-publish init` copies into a new site folder
# The Dutch guides a new site gets in its docs/ folder, copies of the repository's docs/ (a pip-installed
# woo-publicatie has no docs/ of its own); `python -m publish.schema` refreshes them, a test keeps them equal.
STAFF_GUIDES = ("handleiding.md", "pakketformaat.md", "beheer.md")
NEW_SITE_DOCS = NEW_SITE / "docs"


def page_roots(site_folder: Path) -> list[tuple[Path, str, bool]]:
    """(folder, name in messages, the site's own?) of the pages and assets, the later overriding the earlier."""
    roots = [(PACKAGE_PAGES, str(PACKAGE_PAGES), False)]
    own = site_folder / "site_src"
    if own.is_dir():
        roots.append((own, "site_src", True))
    return roots


def own_theme(site_folder: Path, custom_dir: str | None) -> Path | None:
    """The site's own theme overrides: theme.custom_dir when set, else a theme/ folder beside mkdocs.yml."""
    if custom_dir:
        return site_folder / custom_dir
    folder = site_folder / "theme"
    return folder if folder.is_dir() else None


def layer_theme(theme, site_folder: Path) -> None:
    """Put the package's theme overrides under the site's own (a loaded mkdocs ``Theme``, changed in place)."""
    dirs: list[str] = theme.dirs
    position = 0
    if theme.custom_dir:
        position = 1  # mkdocs already put the configured custom_dir first
    else:
        own = own_theme(site_folder, None)
        if own is not None:
            dirs.insert(0, str(own.resolve()))
            position = 1
    dirs.insert(position, str(PACKAGE_THEME))
