"""Approval records: who approved which exact state of a package.

The record lists the SHA-256 of every file. A package is published only while its files match the
record exactly; any change, addition or removal after approval needs a new approval. The record
never leaves the package folder: the approver's name is not published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .history import HISTORY_FILE
from .package import APPROVAL_FILE
from .paths import package_files
from .problems import Problems


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def current_hashes(folder: Path) -> dict[str, str]:
    files, _ = package_files(folder)
    return {rel: sha256_file(folder / rel) for rel in files if rel not in (APPROVAL_FILE, HISTORY_FILE)}


@dataclass
class ApprovalStatus:
    approved: bool
    approved_on: str | None = None  # ISO timestamp, not published with the name


def write_approval(folder: Path, approver: str, now: dt.datetime | None = None) -> Path:
    now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    record = {
        "goedgekeurd_door": approver,
        "goedgekeurd_op": now.isoformat(),
        "bestanden": current_hashes(folder),
    }
    target = folder / APPROVAL_FILE
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(target)
    return target


def previous_hashes(folder: Path) -> dict[str, str] | None:
    """The file hashes of the current approval record, if there is a readable one."""
    try:
        record = json.loads((folder / APPROVAL_FILE).read_text(encoding="utf-8"))
        return dict(record["bestanden"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def check_approval(folder: Path, problems: Problems) -> ApprovalStatus:
    """Compare the package with its approval record; every difference becomes a problem."""
    target = folder / APPROVAL_FILE
    how = f"Laat het pakket (opnieuw) goedkeuren met: woo-publish approve {folder} --door \"Naam\"."
    if not target.is_file():
        problems.error(APPROVAL_FILE, "", "het pakket is niet goedgekeurd: er is geen goedkeuring.",
                       how, "goedkeuring.ontbreekt")
        return ApprovalStatus(False)
    try:
        record = json.loads(target.read_text(encoding="utf-8"))
        recorded = record["bestanden"]
        approver = record["goedgekeurd_door"]
        when = record["goedgekeurd_op"]
        if not isinstance(recorded, dict) or not str(approver).strip():
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        problems.error(APPROVAL_FILE, "", "de goedkeuring is beschadigd of met de hand bewerkt.",
                       how, "goedkeuring.onleesbaar")
        return ApprovalStatus(False)
    now = current_hashes(folder)
    ok = True
    for rel in sorted(set(recorded) | set(now)):
        if rel not in now:
            problems.error(rel, "", "dit bestand is na de goedkeuring verwijderd.", how, "goedkeuring.verlopen")
        elif rel not in recorded:
            problems.error(rel, "", "dit bestand is na de goedkeuring toegevoegd.", how, "goedkeuring.verlopen")
        elif recorded[rel] != now[rel]:
            problems.error(rel, "", "dit bestand is na de goedkeuring gewijzigd.", how, "goedkeuring.verlopen")
        else:
            continue
        ok = False
    return ApprovalStatus(ok, str(when) if ok else None)
