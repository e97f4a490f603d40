"""The files every site gets from the package: theme overrides, standard pages and assets.

They live in ``publish/site/`` and are layered under the site's own files the way mkdocs themes and
``custom_dir`` work: a file in the site's ``theme/`` folder (or the folder named by ``theme.custom_dir``
in its ``mkdocs.yml``) wins over the same file in ``publish/site/theme/``; a file in the site's
``site_src/`` folder wins over the same file in ``publish/site/site_src/``. A site folder made by
``woo-publish init`` holds neither folder and uses the package's files as they are.
"""

from __future__ import annotations

import shutil
from pathlib import Path

PACKAGE_SITE = Path(__file__).resolve().parent / "site"
PACKAGE_THEME = PACKAGE_SITE / "theme"
PACKAGE_PAGES = PACKAGE_SITE / "site_src"
NEW_SITE = PACKAGE_SITE / "nieuw"  # what `woo-publish init` copies into a new site folder

_IGNORE = shutil.ignore_patterns("_generated", ".*", "__pycache__")


def copy_pages(site_folder: Path, target: Path) -> None:
    """The package's standard pages and assets, then the site's own ``site_src/`` over them."""
    shutil.copytree(PACKAGE_PAGES, target, ignore=_IGNORE, dirs_exist_ok=True)
    own = site_folder / "site_src"
    if own.is_dir():
        shutil.copytree(own, target, ignore=_IGNORE, dirs_exist_ok=True)


def layer_theme(theme, site_folder: Path) -> None:
    """Put the package's theme overrides under the site's own (a loaded mkdocs ``Theme``, changed in place)."""
    dirs: list[str] = theme.dirs
    position = 0
    if theme.custom_dir:
        position = 1  # mkdocs already put the configured custom_dir first
    elif (site_folder / "theme").is_dir():
        dirs.insert(0, str((site_folder / "theme").resolve()))
        position = 1
    dirs.insert(position, str(PACKAGE_THEME))
