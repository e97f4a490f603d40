"""``woo-publish init MAP``: a new site folder that builds right away into a valid, empty site.

The folder gets a commented ``mkdocs.yml`` with the organisation's settings to fill in, an empty
``decisions/``, a Dutch README for staff (naming the ``woo-publish`` that made it) and the Dutch guides in
``docs/`` (``handleiding.md``, ``pakketformaat.md``, ``beheer.md``: shipped in the package, so a pip-installed
woo-publicatie gives them too, and messages that say "zie docs/beheer.md" point at a file that is there). Nothing that
already exists is ever overwritten: the folder may exist (holding, say, the ``.venv`` woo-publicatie
is installed in) but none of the names ``init`` writes may be in it.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import unicodedata
from pathlib import Path

from .problems import Problems
from .sitefiles import NEW_SITE, NEW_SITE_DOCS, STAFF_GUIDES

FILES = {
    "mkdocs.yml": "mkdocs.yml",
    "README.md": "README.md",
    "ondertekenaars.txt": "ondertekenaars.txt",
    "gitignore": ".gitignore",
}


def woo_publish_command() -> str:
    """The command that runs this woo-publish, for the README: the console script beside this Python."""
    script = Path(sys.executable).parent / "woo-publish"
    return str(script) if script.is_file() else "woo-publish"


def _bad_name(folder: Path) -> str | None:
    text = str(folder)
    if not text.strip():
        return "de naam van de map is leeg."
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        return "de naam van de map bevat een onzichtbaar teken (zoals een regeleinde of tab)."
    return None


def create_site(folder: Path) -> Problems:
    """Make the site folder; the problems say why nothing was made."""
    problems = Problems(str(folder).encode("unicode_escape").decode("ascii"))
    fix_name = "Kies een nieuwe map, bijvoorbeeld: woo-publish init woo-site"
    bad = _bad_name(folder)
    if bad:
        problems.error("", "", bad, fix_name + ".", "init.naam")
        return problems
    try:
        refusal = _refusal(folder)
        if refusal:
            problems.error("", "", refusal[0], fix_name + refusal[1], refusal[2])
            return problems
        _write(folder)
    except OSError as exc:
        reason = "de naam is te lang" if exc.errno == errno.ENAMETOOLONG else (exc.strerror or str(exc))
        problems.error(
            "",
            "",
            f"de map kon niet worden gemaakt ({reason}); er is niets veranderd.",
            fix_name + "; controleer ook of u in de bovenliggende map mag schrijven.",
            "init.schrijven",
        )
    return problems


def _refusal(folder: Path) -> tuple[str, str, str] | None:
    if not (folder.exists() or folder.is_symlink()):
        return None
    if not folder.is_dir() or folder.is_symlink():
        return "er bestaat al een bestand met die naam.", ".", "init.bestaat"
    present = sorted(
        name for name in (*FILES.values(), "decisions", "docs") if (folder / name).exists() or (folder / name).is_symlink()
    )
    if present:
        return (
            f"de map bevat al {', '.join(present)}: het lijkt al een site; er is niets veranderd.",
            ", of haal deze bestanden eerst weg.",
            "init.bestaat_al",
        )
    return None


def _write(folder: Path) -> None:
    """Built next to the target and renamed into place, so an interrupted init leaves no half site."""
    parent = folder.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(_mkdtemp(parent))
    try:
        for source, target in FILES.items():
            text = (NEW_SITE / source).read_text(encoding="utf-8")
            if source == "README.md":
                text = text.replace("{woo_publish}", woo_publish_command())
            (staging / target).write_text(text, encoding="utf-8")
        (staging / "decisions").mkdir()
        (staging / "docs").mkdir()
        for guide in STAFF_GUIDES:
            shutil.copyfile(NEW_SITE_DOCS / guide, staging / "docs" / guide)
        if folder.is_dir():
            for entry in sorted(staging.iterdir()):
                entry.rename(folder / entry.name)
        else:
            staging.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _mkdtemp(parent: Path) -> str:
    import tempfile

    path = tempfile.mkdtemp(prefix=".woo-init-", dir=parent)
    os.chmod(path, 0o755)
    return path
