"""The archive of approved versions: what the site last published, per package, content-addressed.

Unlike the cache this is not disposable: when a published package becomes unusable (changed after
approval, a stray file, a forged history entry) the build publishes its last approved version from
here instead of letting it vanish. Layout (see docs/beheer.md for backing it up)::

    <archief>/objecten/ab/abcdef...      read-only copy of a file, named by its SHA-256
    <archief>/pakketten/<map>.json       the package's last published approved state: file -> SHA-256
    <archief>/besluiten/<id>.json        per decision (kenmerk and publication type, not the folder name):
                                         every withdrawal (decision and document) and the signing time of
                                         the last published approval
    <archief>/ingetrokken-bestanden/ab/<sha>.json   a withdrawn document's file, by its SHA-256

A package's entry is replaced when a newer approved state is published; when the package is
withdrawn only the withdrawal (date, reason) is kept. Withdrawals are also remembered per decision,
so neither deleting wijzigingen.json nor renaming the folder undoes one, and the signing time of the
last published approval is remembered so an older approval (restored from a backup or the version
history) cannot bring an earlier version back. It does not depend on the kind of publication in the
package: it only holds files, their hashes and these facts.
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
SITE_FILE = "site.json"  # which site folder (--out) the archive belongs to: builds elsewhere are previews
ARCHIVE_ENV = "WOO_PUBLISH_ARCHIEF"
_SHA = re.compile(r"[0-9a-f]{64}")


class ArchiveError(Exception):
    """A Dutch explanation of why an archived version cannot be used."""


def _moment(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def is_older(when: str, than: str) -> bool:
    """Whether signing time ``when`` lies before ``than`` (ISO 8601). An unreadable time counts as older."""
    a, b = _moment(when), _moment(than)
    if a is None:
        return True
    return b is not None and a < b


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
    return (
        bool(rel)
        and not rel.startswith("/")
        and all(p not in ("", ".", "..") for p in parts)
        and "\\" not in rel
        and not any(ord(ch) < 32 for ch in rel)
    )


def decision_key(kenmerk: str, kind: str) -> str:
    """A decision's identity as a file name: its kenmerk as it appears in its address, and its publication type."""
    from .history import DEFAULT_TYPE
    from .signing import canonical
    from .slugs import slugify

    return hashlib.sha256(canonical({"kenmerk": slugify(kenmerk), "type": kind or DEFAULT_TYPE})).hexdigest()


_WITHDRAWAL_KINDS = ("besluit ingetrokken", "document ingetrokken")  # history.WITHDRAWN_DECISION, WITHDRAWN_DOCUMENT


class Archive:
    def __init__(self, root: Path):
        self.root = Path(root)

    # -- per decision: withdrawals and the last published approval --------------------------------------------------

    def decision_path(self, kenmerk: str, kind: str) -> Path:
        return self.root / "besluiten" / f"{decision_key(kenmerk, kind)}.json"

    def decision(self, kenmerk: str, kind: str) -> dict | None:
        """What the archive remembers of this decision, or None. A damaged record raises ArchiveError."""
        path = self.decision_path(kenmerk, kind)
        if not path.is_file():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(entry, dict):
                raise ValueError
            for w in entry.get("intrekkingen", []):
                if (
                    not isinstance(w, dict)
                    or w.get("soort") not in _WITHDRAWAL_KINDS
                    or not isinstance(w.get("datum"), str)
                    or not isinstance(w.get("reden", ""), str)
                    or not isinstance(w.get("titel", ""), str)
                    or not (w.get("document") is None or isinstance(w.get("document"), str))
                ):
                    raise ValueError
                dt.date.fromisoformat(w["datum"])
            approved = entry.get("goedgekeurd")
            if approved is not None and not (
                isinstance(approved, dict) and isinstance(approved.get("op"), str) and isinstance(approved.get("staat", ""), str)
            ):
                raise ValueError
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise ArchiveError(f"de archiefgegevens van dit besluit ({path}) zijn beschadigd") from None
        return entry

    def _update_decision(self, kenmerk: str, kind: str, change) -> None:
        try:
            entry = self.decision(kenmerk, kind) or {}
        except ArchiveError:
            return  # never overwrite what cannot be read: the build refuses the package until it is restored
        before = json.dumps(entry, sort_keys=True)
        entry.update(kenmerk=kenmerk, type=kind)
        change(entry)
        if json.dumps(entry, sort_keys=True) != before:
            self._write_json(self.decision_path(kenmerk, kind), entry)

    def remember_withdrawals(
        self,
        kenmerk: str,
        kind: str,
        withdrawals: list[dict],
        files: dict[str, str],
        whole: dict[str, tuple[str | None, str]] | None = None,
    ) -> None:
        """Add withdrawals (public fields of history.Change) not yet known; ``files``: SHA-256 of a withdrawn
        document's file -> its number, remembered so the same file cannot quietly return under another number.
        ``whole``: SHA-256 of each file of a publication withdrawn as a whole -> (its document number or None, how
        staff know it: ``bijlage 1 (...)``); remembered the same way, under the withdrawal of the publication."""

        def change(entry: dict) -> None:
            known = entry.setdefault("intrekkingen", [])
            for w in withdrawals:
                if not any(k.get("soort") == w["soort"] and k.get("document") == w["document"] for k in known):
                    known.append({key: w[key] for key in ("datum", "soort", "document", "titel", "reden")})

        if withdrawals:
            self._update_decision(kenmerk, kind, change)
        for sha, nr in sorted(files.items()):
            path = self.root / "ingetrokken-bestanden" / sha[:2] / f"{sha}.json"
            if _SHA.fullmatch(sha) and not path.is_file():
                w = next(w for w in withdrawals if w["document"] == nr)
                self._write_json(
                    path, {"kenmerk": kenmerk, "type": kind, "document": nr, "datum": w["datum"], "reden": w["reden"]}
                )
        decision = next((w for w in withdrawals if w["document"] is None), None)
        for sha, (nr, label) in sorted((whole or {}).items()):
            path = self.root / "ingetrokken-bestanden" / sha[:2] / f"{sha}.json"
            if decision is not None and _SHA.fullmatch(sha) and not path.is_file():
                self._write_json(
                    path,
                    {
                        "kenmerk": kenmerk,
                        "type": kind,
                        "document": nr,
                        "bestand": label,
                        "datum": decision["datum"],
                        "reden": decision["reden"],
                    },
                )

    def withdrawn_file(self, sha: str) -> dict | None:
        """The withdrawal a file with this SHA-256 belongs to, or None."""
        if not _SHA.fullmatch(sha or ""):
            return None
        try:
            entry = json.loads((self.root / "ingetrokken-bestanden" / sha[:2] / f"{sha}.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, UnicodeDecodeError):
            return {"kenmerk": "?", "document": "?", "datum": "?", "reden": ""}  # damaged: still a withdrawn file
        return entry if isinstance(entry, dict) else {"kenmerk": "?", "document": "?", "datum": "?", "reden": ""}

    def remember_approval(self, kenmerk: str, kind: str, when: str, state: str, package: str) -> None:
        """The signing time of the approval just published (the newest one wins): an older approval is refused."""

        def change(entry: dict) -> None:
            old = entry.get("goedgekeurd")
            if old is None or not is_older(when, old["op"]):
                entry["goedgekeurd"] = {"op": when, "staat": state, "pakket": package}

        self._update_decision(kenmerk, kind, change)

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
            if (
                not isinstance(files, dict)
                or not files
                or not all(
                    isinstance(k, str) and _safe_rel(k) and isinstance(v, str) and _SHA.fullmatch(v) for k, v in files.items()
                )
            ):
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
        self._write_json(self._entry(name), entry)

    def _write_json(self, path: Path, entry: dict) -> None:
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

    def site_output(self) -> str | None:
        """The site folder this archive belongs to, relative to the archive (recorded by the first build that wrote it)."""
        try:
            value = json.loads((self.root / SITE_FILE).read_text(encoding="utf-8")).get("uitvoer")
        except (OSError, ValueError, UnicodeDecodeError, AttributeError):
            return None
        return value if isinstance(value, str) else None

    def output_key(self, out: Path) -> str:
        """The site folder as seen from the archive: unchanged when the whole site folder (archive and output) moves."""
        return os.path.relpath(Path(out).resolve(), self.root.resolve())

    def claim_output(self, out: Path) -> None:
        if self.site_output() is None:
            self._write_json(self.root / SITE_FILE, {"uitvoer": self.output_key(out)})

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
