"""Public change history and withdrawals of a package, kept in ``wijzigingen.json`` in its folder.

Written by ``woo-publish withdraw`` and by ``approve`` when an already approved package is approved
again with other files. The file is not part of the approval (a withdrawal must take effect at
once) and holds no names of staff: only dates, what changed and the public reason.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

HISTORY_FILE = "wijzigingen.json"
WITHDRAWN_DECISION = "besluit ingetrokken"
WITHDRAWN_DOCUMENT = "document ingetrokken"
REPLACED = "document vervangen"
ADDED = "document toegevoegd"
REMOVED = "document verwijderd"
DIWOO_NOTICE_DAYS = 90  # a withdrawn document stays in the Woo-index sitemap with its reason this long


@dataclass(frozen=True)
class Change:
    date: dt.date
    kind: str
    document: str | None = None  # inventory nr, or None for the decision as a whole
    title: str = ""
    reason: str = ""

    def to_json(self) -> dict:
        return {"datum": self.date.isoformat(), "soort": self.kind, "document": self.document,
                "titel": self.title, "reden": self.reason}


def read_history(folder: Path) -> tuple[list[Change], str | None]:
    """(changes, error): an unreadable history is an error, never silently ignored."""
    path = folder / HISTORY_FILE
    if not path.is_file():
        return [], None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        changes = [Change(dt.date.fromisoformat(c["datum"]), str(c["soort"]), c.get("document"),
                          str(c.get("titel") or ""), str(c.get("reden") or "")) for c in data["wijzigingen"]]
    except (ValueError, KeyError, TypeError) as exc:
        return [], f"{HISTORY_FILE} is beschadigd ({type(exc).__name__})"
    return changes, None


def append_changes(folder: Path, changes: list[Change]) -> None:
    existing, error = read_history(folder)
    if error:
        raise ValueError(error)
    data = {"wijzigingen": [c.to_json() for c in existing + changes]}
    target = folder / HISTORY_FILE
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(target)


def decision_withdrawal(changes: list[Change]) -> Change | None:
    for c in changes:
        if c.kind == WITHDRAWN_DECISION:
            return c
    return None


def withdrawn_documents(changes: list[Change]) -> dict[str, Change]:
    return {c.document: c for c in changes if c.kind == WITHDRAWN_DOCUMENT and c.document}
