"""The archive of approved versions: what the site last published, per package, content-addressed.

Unlike the cache this is not disposable: when a published package becomes unusable (changed after
approval, a stray file, a forged history entry) the build publishes its last approved version from
here instead of letting it vanish. Layout (see docs/beheer.md for backing it up)::

    <archief>/objecten/ab/abcdef...      read-only copy of a file, named by its SHA-256
    <archief>/pakketten/<map>.json       the package's last published approved state: file -> SHA-256

A package's entry is replaced when a newer approved state is published; when the package is
withdrawn only the withdrawal (date, reason) is kept, so a withdrawal cannot be undone by deleting
it from wijzigingen.json. It does not depend on the kind of publication in the package: it only holds
files and their hashes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

DEFAULT_ARCHIVE = ".woo-archief"
ARCHIVE_ENV = "WOO_PUBLISH_ARCHIEF"
_SHA = re.compile(r"[0-9a-f]{64}")


class ArchiveError(Exception):
    """A Dutch explanation of why an archived version cannot be used."""


def archive_dir(option: str | os.PathLike | None, site, decisions: Path) -> Path:
    """--archief, else $WOO_PUBLISH_ARCHIEF, else extra.woo.archief, else .woo-archief beside the decisions folder."""
    if option:
        return Path(option)
    if os.environ.get(ARCHIVE_ENV):
        return Path(os.environ[ARCHIVE_ENV])
    if site is not None and site.archive is not None:
        return site.archive
    return Path(decisions).resolve().parent / DEFAULT_ARCHIVE


def _safe_rel(rel: str) -> bool:
    parts = rel.split("/")
    return bool(rel) and not rel.startswith("/") and all(p not in ("", ".", "..") for p in parts) and "\\" not in rel \
        and not any(ord(ch) < 32 for ch in rel)


class Archive:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _object(self, sha: str) -> Path:
        return self.root / "objecten" / sha[:2] / sha

    def _entry(self, name: str) -> Path:
        return self.root / "pakketten" / f"{name}.json"

    def get(self, name: str) -> dict | None:
        """The archived state of package ``name``, or None. A damaged entry raises ArchiveError."""
        path = self._entry(name)
        if not path.is_file():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(entry, dict) and isinstance(entry.get("ingetrokken"), dict):
                gone = entry["ingetrokken"]
                if not isinstance(gone.get("datum"), str) or not isinstance(gone.get("reden", ""), str):
                    raise ValueError
                return entry
            files = entry["bestanden"]
            if not isinstance(files, dict) or not files or not all(
                    isinstance(k, str) and _safe_rel(k) and isinstance(v, str) and _SHA.fullmatch(v) for k, v in files.items()):
                raise ValueError
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise ArchiveError(f"de archiefgegevens van dit pakket ({path}) zijn beschadigd") from None
        return entry

    def put(self, name: str, folder: Path, files: dict[str, str], today: dt.date) -> bool:
        """Archive ``folder``'s ``files`` (relative path -> expected SHA-256). Every copy is checked
        against its hash; when one does not match (changed during the build) nothing is recorded."""
        current = None
        try:
            current = self.get(name)
        except ArchiveError:
            pass
        if current is not None and current.get("bestanden") == files:
            return False
        for rel, sha in files.items():
            target = self._object(sha)
            if target.is_file():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                digest = hashlib.sha256()
                with os.fdopen(fd, "wb") as out, (folder / rel).open("rb") as src:
                    for block in iter(lambda: src.read(1 << 20), b""):
                        digest.update(block)
                        out.write(block)
                if digest.hexdigest() != sha:
                    os.unlink(tmp)
                    return False
                os.chmod(tmp, 0o444)
                os.replace(tmp, target)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        entry = {"pakket": name, "bestanden": dict(sorted(files.items())), "gearchiveerd_op": today.isoformat()}
        self._write_entry(name, entry)
        return True

    def _write_entry(self, name: str, entry: dict) -> None:
        path = self._entry(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:  # a folder name that is no UTF-8
            handle.write(json.dumps(entry, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
        os.replace(tmp, path)

    def withdraw(self, name: str, date: str, reason: str) -> None:
        """Forget the package's files but remember that it was withdrawn: deleting the withdrawal from
        wijzigingen.json does not bring a withdrawn decision back."""
        try:
            current = self.get(name)
        except ArchiveError:
            current = None
        if current is not None and current.get("ingetrokken") == {"datum": date, "reden": reason}:
            return
        self._write_entry(name, {"pakket": name, "ingetrokken": {"datum": date, "reden": reason}})

    def remove(self, name: str) -> bool:
        try:
            self._entry(name).unlink()
            return True
        except FileNotFoundError:
            return False

    def clean_unpacked(self, prefix: str, older_than: float = 3600) -> None:
        """Working copies (``prefix``*) left behind by builds that were killed."""
        cutoff = dt.datetime.now().timestamp() - older_than
        for stale in self.root.glob(prefix + "*"):
            try:
                if stale.is_dir() and stale.stat().st_mtime < cutoff:
                    shutil.rmtree(stale, ignore_errors=True)
            except OSError:
                pass

    def names(self) -> list[str]:
        folder = self.root / "pakketten"
        return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []

    def restore(self, name: str, entry: dict, parent: Path) -> Path:
        """Rebuild the archived package as ``parent/name`` (read-only links or copies), every file checked."""
        target = Path(parent) / name
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for rel, sha in sorted(entry["bestanden"].items()):
            source = self._object(sha)
            if not source.is_file():
                raise ArchiveError(f"het gearchiveerde bestand '{rel}' ontbreekt in het archief ({source})")
            digest = hashlib.sha256()
            with source.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != sha:
                raise ArchiveError(f"het gearchiveerde bestand '{rel}' is in het archief beschadigd of gewijzigd ({source})")
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, dest)
            except OSError:
                shutil.copyfile(source, dest)
        return target

    def collect_garbage(self) -> int:
        """Remove objects no entry refers to any more (older than a day, so a concurrent build is safe)."""
        used = set()
        for name in self.names():
            try:
                entry = self.get(name)
            except ArchiveError:
                return 0  # never delete anything while an entry cannot be read
            used.update((entry or {}).get("bestanden", {}).values())  # a withdrawn package keeps no files
        removed = 0
        cutoff = dt.datetime.now().timestamp() - 86400
        for path in (self.root / "objecten").glob("*/*"):
            if path.name not in used and _SHA.fullmatch(path.name) and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        return removed
