"""Public change history and withdrawals of a package, kept in ``wijzigingen.json`` in its folder.

Written by ``woo-publish withdraw`` and by ``approve`` when an already approved package is approved
again with other files. The file is not part of the approval (a withdrawal must take effect at
once). Each entry is signed like an approval (``ssh-keygen -Y sign``) over its public fields and the
decision's kenmerk, so an entry written by hand, or copied from another decision, is refused. The
signer's name stays in this file; the site shows only dates, what changed and the public reason.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
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
    signature: dict | None = field(default=None, compare=False)  # {"door", "op", "handtekening"}; never published

    def public_json(self) -> dict:
        return {
            "datum": self.date.isoformat(),
            "soort": self.kind,
            "document": self.document,
            "titel": self.title,
            "reden": self.reason,
        }

    def to_json(self) -> dict:
        data = self.public_json()
        if self.signature is not None:
            data["ondertekening"] = self.signature
        return data


def signed_text(change: Change, kenmerk: str, principal: str, when: str) -> bytes:
    from .signing import canonical

    return canonical({"doel": "wijziging", "kenmerk": kenmerk, "wijziging": change.public_json(), "door": principal, "op": when})


def raw_kenmerk(folder: Path) -> str:
    """The kenmerk as written in besluit.md, also when the rest of the metadata is invalid ("" if none)."""
    return _raw_field(folder, "kenmerk")


def _raw_field(folder: Path, key: str) -> str:
    return _raw_fields(folder, (key,))[key]


def _raw_fields(folder: Path, keys: tuple[str, ...]) -> dict[str, str]:
    """Fields of besluit.md's front matter as written ("" when absent or unreadable), the file read once."""
    import frontmatter

    from .limits import DEFAULT_LIMITS

    none = dict.fromkeys(keys, "")
    try:
        meta = Path(folder) / "besluit.md"
        if meta.stat().st_size > DEFAULT_LIMITS.metadata_file_bytes:
            return none
        from .paths import read_regular

        raw = read_regular(meta, DEFAULT_LIMITS.metadata_file_bytes, inside=folder).decode("utf-8-sig")
        metadata = frontmatter.loads(raw).metadata
        values = {key: metadata.get(key) for key in keys}
    except (Exception, RecursionError):  # noqa: BLE001 - an unreadable besluit.md simply has no kenmerk
        return none
    return {key: str(value).strip() if value not in (None, "") else "" for key, value in values.items()}


DEFAULT_TYPE = "woo-besluit"


def raw_identity(folder: Path) -> tuple[str, str]:
    """(kenmerk, publication type) as written in besluit.md: who the package says it is, also when the rest of
    its metadata is invalid. The type defaults to woo-besluit, as in package.py; the kenmerk is "" if none."""
    fields = _raw_fields(folder, ("kenmerk", "type"))  # issue 19: besluit.md read and parsed once
    return fields["kenmerk"], fields["type"] or DEFAULT_TYPE


def sign_change(change: Change, folder: Path, key: Path, signers: Path, now: dt.datetime | None = None) -> Change:
    from .signing import principal_for, sign

    when = (now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)).isoformat()
    principal = principal_for(Path(key), signers)
    signature = sign(signed_text(change, raw_kenmerk(folder), principal, when), Path(key))
    return Change(
        change.date,
        change.kind,
        change.document,
        change.title,
        change.reason,
        {"door": principal, "op": when, "handtekening": signature},
    )


def read_history(folder: Path, trust=None) -> tuple[list[Change], str | None]:
    """(changes, error): an unreadable history is an error, never silently ignored.

    With ``trust`` (approval.Trust) every entry's signature is verified: entries that fail are left
    out and named in the error; the valid ones (a withdrawal above all) still count."""
    path = folder / HISTORY_FILE
    if not path.is_file():
        return [], None
    from .paths import NotRegularFile, read_regular

    try:
        data = json.loads(read_regular(path, inside=folder).decode("utf-8"))
        changes = []
        for c in data["wijzigingen"]:
            signature = c.get("ondertekening")
            changes.append(
                Change(
                    dt.date.fromisoformat(c["datum"]),
                    str(c["soort"]),
                    None if c.get("document") is None else str(c["document"]),
                    str(c.get("titel") or ""),
                    str(c.get("reden") or ""),
                    signature if isinstance(signature, dict) else None,
                )
            )
    except NotRegularFile as exc:
        return [], f"{HISTORY_FILE} is {exc.kind}, geen gewoon bestand"
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        return [], f"{HISTORY_FILE} is beschadigd ({type(exc).__name__})"
    if trust is None or trust.unsigned:
        return changes, None
    return _verified(changes, folder, trust)


def submit_checks(folders: list[Path], trust) -> None:
    """Start the signature checks ``read_history(folder, trust)`` will make for these packages (issue 19; see
    ``approval.submit_checks``). Only packages with a change history cost more than a look at the folder."""
    from .signing import active

    checks = active()
    if checks is None or trust is None or trust.unsigned or trust.signers is None:
        return
    signers = trust.signers

    def requests():  # read as the pool's threads get free (issue 19, mem13: Checks.submit_from)
        for folder in folders:
            if not (folder / HISTORY_FILE).is_file():
                continue
            changes, error = read_history(folder)
            if error:
                continue
            kenmerk = raw_kenmerk(folder)
            for c in changes:
                sig = c.signature or {}
                if sig and isinstance(sig.get("op"), str):
                    yield signed_text(c, kenmerk, sig.get("door"), sig["op"]), sig.get("handtekening"), sig.get("door"), signers

    checks.submit_from(requests())


def _verified(changes: list[Change], folder: Path, trust) -> tuple[list[Change], str | None]:
    from .signing import SigningError, verify

    kenmerk = raw_kenmerk(folder)
    good, bad = [], []
    for i, c in enumerate(changes, 1):
        sig = c.signature or {}
        try:
            if trust.signers is None:
                raise SigningError("er is geen bestand met toegestane ondertekenaars ingesteld")
            if not sig:
                raise SigningError("niet ondertekend")
            if not isinstance(sig.get("op"), str):
                raise SigningError("het tijdstip ontbreekt")
            verify(
                signed_text(c, kenmerk, sig.get("door"), sig["op"]),
                sig.get("handtekening"),
                sig.get("door"),
                trust.signers,
            )
        except SigningError as exc:
            bad.append(f"wijziging {i} ({c.kind}{' ' + c.document if c.document else ''}, {c.date.isoformat()}): {exc}")
            continue
        good.append(c)
    if bad:
        return good, f"{HISTORY_FILE} bevat wijzigingen die niet geldig ondertekend zijn: " + "; ".join(bad)
    return good, None


def append_changes(folder: Path, changes: list[Change]) -> None:
    """Add entries; existing ones are kept exactly as they are (their signatures are checked at build time)."""
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
