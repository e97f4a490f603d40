"""Approval records: which exact state of a package was approved, signed with the approvers' SSH keys.

``goedkeuring.json`` lists the SHA-256 of every file and one signature per approver
(``ssh-keygen -Y sign``, namespace ``woo-publicatie``) over a canonical text of those hashes, the
signer's name from the allowed-signers file, the time and (format 3) the decision's identity: its kenmerk
and publication type, so an approval cannot be carried over to another decision. A package is published only while its
files match the record exactly and the signatures verify against the allowed-signers file named in
mkdocs.yml (two distinct keys with ``vier_ogen``). The record never leaves the package folder (and
the archive): approvers' names are not published. Operating-system litter is not part of a package.
Records of format 2 (without the identity) still verify: their besluit.md, and so the kenmerk, is
covered by its hash. Whether an approval is older than the version already published is decided with
the archive (fate.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .history import HISTORY_FILE, raw_identity
from .package import APPROVAL_FILE
from .paths import package_files
from .problems import Problems

FORMAT = 3  # 3: the signed text names the kenmerk and publication type
PURPOSE = "goedkeuring"
RECORD_BYTES = 64 * 1024 * 1024  # far above any real record (a SHA-256 per file); a larger one is unreadable


def sha256_file(path: Path) -> str:
    """Within a build (``cache.hash_memo``) a PDF's SHA-256 may come from the memo of unchanged files."""
    from .cache import active_memo, memo_applies

    memo = active_memo()
    if memo is not None and memo_applies(path):
        return memo.sha256(path)
    from .paths import open_regular

    digest = hashlib.sha256()
    with open_regular(path) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


TOO_LARGE = "te-groot"  # in place of the SHA-256 of a file no limit allows: never equal to an approved file's


def current_hashes(folder: Path, largest: int | None = None) -> dict[str, str]:
    """SHA-256 of every regular file of the package (special files are not listed, ``paths.package_files``).
    ``largest``: a file above this size is not read (attack round 10, B08): the package is refused for it anyway."""
    from .paths import file_sizes

    files, _ = package_files(folder)
    sizes = file_sizes(folder) if largest is not None else {}
    return {
        rel: TOO_LARGE if sizes.get(rel, 0) > (largest or 0) and largest is not None else sha256_file(folder / rel)
        for rel in files
        if rel not in (APPROVAL_FILE, HISTORY_FILE)
    }


@dataclass(frozen=True)
class Trust:
    """How approvals and history entries are verified: from mkdocs.yml (``SiteConfig``)."""

    signers: Path | None = None  # allowed-signers file
    four_eyes: bool = False
    unsigned: bool = False  # local trials only: signatures are not required
    # No cache: every signature is verified on every build (publish/signing.py, attack round 6 row 2b).

    @classmethod
    def from_site(cls, site) -> "Trust":
        if site is None:
            return cls()
        return cls(site.signers, site.four_eyes, site.unsigned)

    @property
    def required(self) -> int:
        return 2 if self.four_eyes else 1


@dataclass
class ApprovalStatus:
    approved: bool
    approved_on: str | None = None  # ISO timestamp of the latest signature; not published
    signers: list[str] = field(default_factory=list)  # principals; never published
    changed: list[str] = field(default_factory=list)  # files changed, added or removed since approval


def signed_text(hashes: dict[str, str], principal: str, when: str, identity: dict | None = None) -> bytes:
    """``identity``: {"kenmerk", "type"} (format 3); None for a format-2 record."""
    from .signing import canonical

    data = {"doel": PURPOSE, "bestanden": hashes, "door": principal, "op": when}
    if identity is not None:
        data.update(kenmerk=identity["kenmerk"], type=identity["type"])
    return canonical(data)


def package_identity(folder: Path) -> dict:
    """{"kenmerk", "type"} as besluit.md states them."""
    kenmerk, kind = raw_identity(folder)
    return {"kenmerk": kenmerk, "type": kind}


def record_identity(record: dict) -> dict | None:
    """The identity an approval record was signed for; None for a format-2 record."""
    if "kenmerk" not in record and "type" not in record:
        return None
    return {"kenmerk": record.get("kenmerk"), "type": record.get("type")}


def read_record(folder: Path) -> dict | None:
    from .paths import read_regular

    try:
        # Never more than the metadata limit and only a regular file: a FIFO or a huge file here must not hold up the build.
        record = json.loads(read_regular(folder / APPROVAL_FILE, RECORD_BYTES, inside=folder).decode("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("bestanden"), dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in record["bestanden"].items()):
        return None
    signatures = record.get("handtekeningen", [])
    if not isinstance(signatures, list) or not all(isinstance(s, dict) for s in signatures):
        return None
    identity = record_identity(record)
    if identity is not None and not all(isinstance(v, str) and len(v) <= 1000 for v in identity.values()):
        return None
    if identity is None and record.get("formaat", 2) not in (1, 2):  # format 3 always names the decision
        return None
    return record


def _after_previous(folder: Path, now: dt.datetime) -> dt.datetime:
    """Signing times are kept to the second, and an approval that is not newer than the one already
    published for the decision is refused as a replay (fate.py). A new approval of a changed package in
    the same second as the previous one must still count as newer: it gets the next second."""
    from .store import _moment

    record = read_record(folder) if (folder / APPROVAL_FILE).is_file() else None
    times = [s.get("op") for s in (record or {}).get("handtekeningen", []) if isinstance(s, dict)]
    times += [(record or {}).get("ongetekend_op")]
    latest = max((m for m in (_moment(t) for t in times if isinstance(t, str)) if m is not None), default=None)
    if latest is not None and latest.tzinfo is not None and now.tzinfo is not None and latest >= now:
        return latest + dt.timedelta(seconds=1)
    return now


def write_approval(
    folder: Path, key: Path | None, signers: Path | None, now: dt.datetime | None = None, cosign: bool = False
) -> Path:
    """Sign the package's current state with ``key`` (None: an unsigned record, for ``ongetekend`` trials).

    ``cosign``: add a signature to an existing record for the same state (four-eyes)."""
    from .signing import SigningError, principal_for, sign

    now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    now = _after_previous(folder, now)
    when = now.isoformat()
    hashes = current_hashes(folder)
    identity = package_identity(folder)
    existing = read_record(folder) if cosign else None
    same = existing is not None and existing["bestanden"] == hashes and record_identity(existing) == identity
    signatures = list(existing["handtekeningen"]) if same else []
    record = {"formaat": FORMAT, "bestanden": hashes, "handtekeningen": signatures, **identity}
    if key is None:
        record["ongetekend_op"] = when
    else:
        if signers is None:
            raise SigningError("er is geen bestand met toegestane ondertekenaars ingesteld (extra.woo.ondertekenaars).")
        principal = principal_for(Path(key), signers)
        signature = sign(signed_text(hashes, principal, when, identity), Path(key))
        signatures.append({"door": principal, "op": when, "handtekening": signature})
    target = folder / APPROVAL_FILE
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(target)
    return target


def previous_hashes(folder: Path) -> dict[str, str] | None:
    """The file hashes of the current approval record, if there is a readable one."""
    record = read_record(folder)
    return dict(record["bestanden"]) if record else None


def verified_signers(record: dict, trust: Trust) -> tuple[list, list[str]]:
    """(verified signatures with distinct keys, Dutch reasons for the ones that failed)."""
    from .signing import SigningError, verify

    good: list = []
    bad: list[str] = []
    seen: set[str] = set()
    if trust.signers is None:
        return [], ["er is geen bestand met toegestane ondertekenaars ingesteld"]
    for i, entry in enumerate(record.get("handtekeningen") or [], 1):
        when = entry.get("op")
        try:
            if not isinstance(when, str):
                raise SigningError("het tijdstip ontbreekt")
            result = verify(*_signature_check(record, entry), trust.signers)
        except SigningError as exc:
            bad.append(f"handtekening {i}: {exc}")
            continue
        if result.fingerprint not in seen and all(g[0].principal != result.principal for g in good):
            seen.add(result.fingerprint)
            good.append((result, when))
    return good, bad


def _signature_check(record: dict, entry: dict) -> tuple[bytes, Any, Any]:
    """(signed text, signature, principal) of one signature in an approval record ("op" is a string)."""
    principal = entry.get("door")
    return signed_text(record["bestanden"], principal, entry["op"], record_identity(record)), entry.get("handtekening"), principal


def submit_checks(folders: list[Path], trust: Trust | None) -> None:
    """Start the signature checks ``check_approval`` will make for these packages (issue 19): each runs in the build's
    pool (``signing.concurrent``) while the build goes on; ``check_approval`` still takes and judges every one."""
    from .signing import active

    checks = active()
    if checks is None or trust is None or trust.unsigned or trust.signers is None:
        return
    signers = trust.signers

    def requests():  # one package's at a time, as the pool's threads get free (issue 19, mem13: Checks.submit_from)
        for folder in folders:
            record = read_record(folder)
            for entry in (record or {}).get("handtekeningen") or []:
                if isinstance(entry.get("op"), str):
                    yield (*_signature_check(record, entry), signers)

    checks.submit_from(requests())


def check_approval(folder: Path, problems: Problems, trust: Trust | None = None, limits=None) -> ApprovalStatus:
    """Compare the package with its approval record and verify its signatures; every failure is a problem.
    ``limits`` (limits.Limits): a file larger than any limit allows is not hashed (it counts as changed)."""
    trust = trust or Trust()
    target = folder / APPROVAL_FILE
    how = f"Laat het pakket (opnieuw) goedkeuren met: woo-publish approve {folder}"
    how_sign = how + " (met een sleutel uit het bestand met toegestane ondertekenaars, zie de handleiding)."
    how += "."
    if not target.is_file():
        problems.error(APPROVAL_FILE, "", "het pakket is niet goedgekeurd: er is geen goedkeuring.", how, "goedkeuring.ontbreekt")
        return ApprovalStatus(False)
    record = read_record(folder)
    if record is None:
        problems.error(APPROVAL_FILE, "", "de goedkeuring is beschadigd of met de hand bewerkt.", how, "goedkeuring.onleesbaar")
        return ApprovalStatus(False)
    recorded = record["bestanden"]
    now = current_hashes(folder, limits.largest_file_bytes if limits is not None else None)
    changed = []
    identity, here = record_identity(record), package_identity(folder)
    other_decision = identity is not None and identity != here
    if other_decision:
        problems.error(
            APPROVAL_FILE,
            "",
            f"de goedkeuring is gegeven voor kenmerk '{identity['kenmerk']}' ({identity['type']}), maar dit "
            f"pakket heeft kenmerk '{here['kenmerk']}' ({here['type']}): een goedkeuring geldt alleen voor het besluit "
            "waarvoor ze gegeven is.",
            how,
            "goedkeuring.kenmerk",
        )
    for rel in sorted(set(recorded) | set(now)):
        if rel not in now:
            problems.error(rel, "", "dit bestand is na de goedkeuring verwijderd.", how, "goedkeuring.verlopen")
        elif rel not in recorded:
            problems.error(rel, "", "dit bestand is na de goedkeuring toegevoegd.", how, "goedkeuring.verlopen")
        elif recorded[rel] != now[rel]:
            problems.error(rel, "", "dit bestand is na de goedkeuring gewijzigd.", how, "goedkeuring.verlopen")
        else:
            continue
        changed.append(rel)
    if trust.unsigned:
        when = record.get("ongetekend_op") or max((str(s.get("op")) for s in record["handtekeningen"]), default=None)
        return ApprovalStatus(not changed and not other_decision, str(when) if when else None, [], changed)
    good, bad = verified_signers(record, trust)
    ok = not changed and not other_decision
    if not good:
        why = "; ".join(bad) if bad else "de goedkeuring is niet ondertekend"
        fix = how_sign
        if trust.signers is None:  # not the package: the settings (run elsewhere than the site folder, or no setting)
            fix = (
                "Opnieuw goedkeuren helpt niet: voer de opdracht uit in de map van de site (waar mkdocs.yml staat), of geef "
                "het instellingenbestand met --config PAD; staat daarin geen 'ondertekenaars:' onder extra.woo, zet het "
                "er dan in (zie docs/beheer.md)."
            )
        problems.error(APPROVAL_FILE, "", f"de goedkeuring is niet geldig ondertekend ({why}).", fix, "goedkeuring.handtekening")
        ok = False
    elif len(good) < trust.required:
        problems.error(
            APPROVAL_FILE,
            "",
            f"vier ogen: de goedkeuring heeft {len(good)} geldige handtekening, er zijn "
            f"{trust.required} nodig van verschillende personen met verschillende sleutels.",
            f"Laat een tweede persoon het pakket ook goedkeuren met: woo-publish approve {folder}",
            "goedkeuring.vier_ogen",
        )
        ok = False
    if bad and good:
        problems.warning(
            APPROVAL_FILE,
            "",
            "een of meer handtekeningen gelden niet: " + "; ".join(bad) + ".",
            how_sign,
            "goedkeuring.handtekening_ongeldig",
        )
    when = max((w for _, w in good), default=None)
    return ApprovalStatus(ok, when if ok else None, [g[0].principal for g in good], changed)
