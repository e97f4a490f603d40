"""What the next build does with each package: one answer shared by ``check`` and ``build``.

Per package one of: published as it is; kept online in its last approved version from the archive
(the new state is not published); taken offline with a neutral notice (its archived version no
longer passes the checks); left off (refused: unapproved, changed since approval, invalid); under
embargo; withdrawn.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from .approval import ApprovalStatus, Trust, check_approval
from .evaluate import PackageResult, evaluate
from .history import HISTORY_FILE, raw_kenmerk
from .problems import Problems, count
from .store import Archive, ArchiveError

PUBLISH, KEPT, OFFLINE, REFUSED, EMBARGO, WITHDRAWN = "publiceren", "behouden", "offline", "geweigerd", "embargo", "ingetrokken"


@dataclass
class Fate:
    current: PackageResult  # the package as it is in the decisions folder
    state: str
    used: PackageResult | None = None  # what is published: the current or the archived version
    approval: ApprovalStatus | None = None  # of the current state
    archived: PackageResult | None = None  # the archived version that was tried
    archived_on: str | None = None
    kenmerk: str = ""

    @property
    def name(self) -> str:
        return self.current.name

    def errors(self) -> list:
        return [p for p in self.current.problems if p.is_error]


def decide(
    results: list[PackageResult],
    trust: Trust,
    archive: Archive | None,
    inspector,
    allowed,
    today: dt.date,
    workdir: Path | None,
    full=None,
) -> list[Fate]:
    """``workdir``: where archived versions are unpacked for checking (kept by the caller while publishing). ``full``: a
    package result with its whole model (``build.SpilledPdfs.result``), read only for a package that withdrew a document
    when an archived version is checked again."""
    fates: list[Fate] = []
    for r in results:  # withdrawals the archive remembers are already in r.history (evaluate(archive=...))
        kenmerk = r.decision.kenmerk if r.decision else raw_kenmerk(r.folder)
        if r.withdrawal is not None and kenmerk:
            fates.append(Fate(r, WITHDRAWN, kenmerk=kenmerk))
            continue
        limits = getattr(inspector, "limits", None)
        if r.decision is not None and not r.problems.has_errors:
            status = check_approval(r.folder, r.problems, trust, limits)
        else:
            approval = Problems(r.name)
            status = check_approval(r.folder, approval, trust, limits)
            # A missing approval is listed with the other problems, so staff learn in one run that it is needed too
            # (other approval problems, such as files changed since, would only repeat what the other errors say).
            r.problems.extend(
                replace(
                    p,
                    fix=f"Los eerst de andere fouten van dit pakket op en laat het pakket daarna goedkeuren met: woo-publish approve {r.folder}.",
                )
                for p in approval
                if p.code == "goedkeuring.ontbreekt"
            )
        if archive is not None and status.approved and not trust.unsigned and r.decision is not None:
            _not_older_than_published(r, status, archive)
        fate = Fate(r, REFUSED, approval=status, kenmerk=kenmerk)
        if not r.problems.has_errors:
            fate.state, fate.used = (EMBARGO, None) if r.decision.publication_date > today else (PUBLISH, r)
        fates.append(fate)
    if archive is not None and workdir is not None:
        _fall_back(fates, trust, archive, inspector, allowed, today, workdir, full)
    return fates


def approval_state(folder: Path) -> str:
    """SHA-256 of the approved file list: which state an approval was for."""
    import hashlib

    from .approval import read_record
    from .signing import canonical

    record = read_record(folder)
    return hashlib.sha256(canonical(record["bestanden"])).hexdigest() if record else ""


def _not_older_than_published(r: PackageResult, status: ApprovalStatus, archive: Archive) -> None:
    """Refuse an approval older than the one last published for this decision (by kenmerk and type, whatever the
    folder is called): an earlier version with its old goedkeuring.json, put back from a backup or the version
    history, must not replace the newer one on the site without being approved anew."""
    from .package import APPROVAL_FILE
    from .store import is_older

    try:
        entry = archive.decision(r.decision.kenmerk, r.decision.type) or {}
    except ArchiveError:
        return  # evaluate() already refused the package for the damaged record
    last = entry.get("goedgekeurd")
    if not last or not status.approved_on:
        return
    older = is_older(status.approved_on, last["op"])
    superseded = (
        not older and not is_older(last["op"], status.approved_on) and last.get("staat") not in ("", approval_state(r.folder))
    )
    if not (older or superseded):
        return
    r.problems.error(
        APPROVAL_FILE,
        "",
        f"dit is een oudere goedkeuring (ondertekend {status.approved_on}): van dit besluit is al een "
        f"nieuwere goedgekeurde versie gepubliceerd (goedgekeurd {last['op']}). Een oudere versie, bijvoorbeeld "
        "teruggezet uit een back-up of de versiegeschiedenis, komt niet terug op de site met haar oude goedkeuring.",
        "Moet deze versie echt weer online, laat het pakket dan opnieuw goedkeuren met: "
        f"woo-publish approve {r.folder}. Anders: zet de nieuwste versie terug.",
        "goedkeuring.ouder",
    )
    status.approved, status.approved_on = False, None


def _fall_back(
    fates: list[Fate], trust: Trust, archive: Archive, inspector, allowed, today: dt.date, workdir: Path, full=None
) -> None:
    candidates: dict[str, tuple[Fate, dict]] = {}
    restored: list[Path] = []
    for f in fates:
        if f.state != REFUSED:
            continue
        try:
            entry = archive.get(f.name)
            if entry is None or "bestanden" not in entry:
                continue
            f.archived_on = str(entry.get("gearchiveerd_op") or "")
            folder = archive.restore(f.name, entry, workdir / "archief")
        except (ArchiveError, OSError) as exc:
            f.state = OFFLINE
            f.archived = PackageResult(workdir / "archief" / f.name, None, Problems(f.name))
            f.archived.problems.error(
                "",
                "",
                f"de eerder goedgekeurde versie kan niet uit het archief gehaald worden: {exc}.",
                "Zet het archief terug uit de back-up (zie docs/beheer.md), of keur het pakket opnieuw goed.",
                "archief.beschadigd",
            )
            continue
        # The public change history takes effect at once: use the current one when it is sound.
        current_history = f.current.folder / HISTORY_FILE
        if current_history.is_file() and not any(p.code.startswith("wijzigingen.") for p in f.current.problems):
            (folder / HISTORY_FILE).unlink(missing_ok=True)
            shutil.copyfile(current_history, folder / HISTORY_FILE)
        candidates[f.name] = (f, entry)
        restored.append(folder)
    if not restored:
        return
    published = {f.current.decision.slug for f in fates if f.state in (PUBLISH, EMBARGO)}
    newcomers = {f.current.decision.slug: f for f in fates if f.state in (PUBLISH, EMBARGO)}
    from .evaluate import withdrawn_document_files

    # A document withdrawn in this run (in any package) is not yet in the archive: an archived version holding the same
    # file must not stay online through it for one build.
    withdrawn = withdrawn_document_files([f.current for f in fates], full)
    checked = evaluate(
        restored,
        inspector,
        allowed,
        trust=trust,
        archive=archive,
        lost_withdrawal_is_error=False,
        withdrawn_documents=withdrawn,
    )
    for s in checked:
        f, _entry = candidates[s.name]
        f.archived = s
        if s.withdrawal is not None:
            f.state = WITHDRAWN  # a withdrawal recorded in the archived history
            continue
        if s.decision is not None and not s.problems.has_errors:
            check_approval(s.folder, s.problems, trust)
        newcomer = newcomers.pop(s.decision.slug, None) if s.decision is not None else None
        if newcomer is not None:
            # New-user round 11: the current version of a published decision cannot be read (so it claimed no kenmerk
            # in evaluate), and another package publishes under the same kenmerk. The published decision keeps its
            # address at its archived version; the newcomer is refused (never both: a notice and a decision on one URL).
            newcomer.state, newcomer.used = REFUSED, None
            published.discard(s.decision.slug)
            newcomer.current.problems.error(
                "besluit.md",
                "veld 'kenmerk'",
                f"het kenmerk '{s.decision.kenmerk}' is van het besluit in pakket {f.name}, dat gepubliceerd is en online "
                "blijft in zijn eerder goedgekeurde versie; dit pakket wordt daarom niet gepubliceerd.",
                "Elk besluit heeft een eigen kenmerk. Is deze map een kopie of een nieuwe versie van dat besluit, verwijder "
                f"haar dan en verbeter pakket {f.name} zelf; is het een ander besluit, geef het dan een eigen kenmerk.",
                "kenmerk.dubbel",
            )
        if s.decision is not None and s.decision.slug in published:
            s.problems.error(
                "besluit.md",
                "veld 'kenmerk'",
                f"het kenmerk '{s.decision.kenmerk}' wordt nu door een ander pakket gebruikt.",
                "Elk besluit heeft een eigen kenmerk.",
                "kenmerk.dubbel",
            )
        _own_paths(s, f.current.folder)
        if s.problems.has_errors:
            f.state = OFFLINE
        elif s.decision.publication_date > today:
            f.state = EMBARGO
        else:
            f.state, f.used = KEPT, s
            published.add(s.decision.slug)


def _own_paths(s: PackageResult, folder: Path) -> None:
    """Staff never see the temporary folder an archived version was unpacked in: its messages name the package folder."""
    from dataclasses import replace

    inner = str(s.folder)
    s.problems[:] = [
        replace(p, message=p.message.replace(inner, str(folder)), fix=p.fix.replace(inner, str(folder))) for p in s.problems
    ]


def vanished(results: list[PackageResult], archive: Archive | None) -> list[dict]:
    """Packages the site published (they are in the archive) whose folder is gone from decisions/.
    They are not published from the archive (a renamed folder would stand twice), but never silently."""
    if archive is None:
        return []
    present = {r.name for r in results}
    kenmerken = {r.decision.kenmerk if r.decision is not None else raw_kenmerk(r.folder) for r in results} - {""}
    out = []
    for name in archive.names():
        if name in present:
            continue
        try:
            entry = archive.get(name)
        except ArchiveError:
            entry = {"bestanden": {}}
        if entry and "bestanden" in entry and _archived_kenmerk(archive, entry) in kenmerken:
            continue  # the folder was renamed: the same decision (kenmerk) is still there, at the same address
        if entry and "bestanden" in entry:
            out.append(
                {
                    "package": name,
                    "file": "",
                    "location": "",
                    "code": "archief.map_verdwenen",
                    "severity": "waarschuwing",
                    "message": f"de map '{name}' staat niet meer in de map met besluiten: het eerder gepubliceerde besluit "
                    "verdwijnt van de site, zonder melding voor bezoekers.",
                    "fix": f"Zet de map terug en trek het besluit zo nodig in met woo-publish withdraw. Was het de bedoeling "
                    f"(bijvoorbeeld een hernoemde map), haal dan pakketten/{name}.json uit het archief ({archive.root}).",
                }
            )
    return out


def _archived_kenmerk(archive: Archive, entry: dict) -> str | None:
    """The kenmerk in the archived besluit.md (None when it cannot be read)."""
    import frontmatter

    sha = entry["bestanden"].get("besluit.md") if isinstance(entry.get("bestanden"), dict) else None
    try:
        value = frontmatter.loads(archive._object(str(sha)).read_text(encoding="utf-8-sig")).metadata.get("kenmerk")
    except (Exception, RecursionError):  # noqa: BLE001 - unreadable: the folder is reported as gone
        return None
    return str(value).strip() if value not in (None, "") else None


def why(f: Fate) -> str:
    """One Dutch sentence: why the current state of the package is not published."""
    codes = {p.code for p in f.errors()}
    if f.approval is not None and f.approval.changed and codes <= {"goedkeuring.verlopen"} | {"bestand.los"}:
        return "gewijzigd sinds de goedkeuring: " + ", ".join(f.approval.changed)
    if codes == {"goedkeuring.ontbreekt"}:
        return "niet goedgekeurd"
    if codes == {"goedkeuring.ouder"}:
        return "oudere goedkeuring dan de gepubliceerde versie: opnieuw goedkeuren nodig"
    if codes == {"wijzigingen.intrekking_ontbreekt"}:
        return "een intrekking ontbreekt in wijzigingen.json"
    if codes and codes <= {"goedkeuring.handtekening", "goedkeuring.onleesbaar", "goedkeuring.vier_ogen"}:
        return (
            "de goedkeuring is niet geldig ondertekend"
            if "goedkeuring.vier_ogen" not in codes
            else "de tweede goedkeuring (vier ogen) ontbreekt"
        )
    n = len(f.errors())
    text = count(n, "probleem", "problemen")
    if f.approval is not None and f.approval.changed:
        text += "; gewijzigd sinds de goedkeuring: " + ", ".join(f.approval.changed)
    return text


def unavailable_page(f: Fate) -> dict | None:
    """The neutral public notice for a package that was published and now goes offline."""
    from . import urls
    from .slugs import slugify

    kenmerk = (f.archived.decision.kenmerk if f.archived is not None and f.archived.decision else "") or f.kenmerk
    if not kenmerk:
        return None
    known = f.archived.decision if f.archived is not None and f.archived.decision else getattr(f.current, "decision", None)
    prefix = known.kind.url_prefix if known is not None else urls.DEFAULT_PREFIX
    return {"kenmerk": kenmerk, "url": urls.publication(slugify(kenmerk), prefix), "package": f.name}


def archive_published(fates: list[Fate], archive: Archive, today: dt.date, full=None) -> None:
    """After a successful build: remember what was published as is; forget what was withdrawn. ``full``: a package
    result with its whole decision model (issue 19: the build keeps a publishable decision's model on disk,
    ``build.SpilledPdfs.result``), read only where a withdrawal needs the inventory."""
    from .approval import read_record, sha256_file
    from .package import APPROVAL_FILE

    shared = _published_elsewhere(fates, archive)
    for f in fates:
        _remember_withdrawals(f, archive, shared, full)
        if f.state == WITHDRAWN:
            w = f.current.withdrawal or (f.archived.withdrawal if f.archived else None)
            if w is not None:
                archive.withdraw(f.name, w.date.isoformat(), w.reason)
        elif f.state == PUBLISH:
            folder = f.current.folder
            record = read_record(folder)
            if record is None:
                continue
            files = dict(record["bestanden"])
            files[APPROVAL_FILE] = sha256_file(folder / APPROVAL_FILE)
            if (folder / HISTORY_FILE).is_file():
                files[HISTORY_FILE] = sha256_file(folder / HISTORY_FILE)
            archive.put(f.name, folder, files, today)
            if f.approval is not None and f.approval.approved_on:
                archive.remember_approval(
                    f.current.decision.kenmerk, f.current.decision.type, f.approval.approved_on, approval_state(folder), f.name
                )
    archive.collect_garbage()


def _published_elsewhere(fates: list[Fate], archive: Archive) -> dict[str, set[str]]:
    """SHA-256 of every file this build publishes -> the packages publishing it: the approved files of a package
    published as it is, the archived files of a kept one (their SHA-256s are in the approval record and the archive,
    nothing is hashed again). Only read when a publication is withdrawn as a whole."""
    from .approval import read_record
    from .history import WITHDRAWN_DECISION

    if not any(c.kind == WITHDRAWN_DECISION for f in fates for r in (f.current, f.archived) if r is not None for c in r.history):
        return {}
    out: dict[str, set[str]] = {}
    for f in fates:
        files = None
        try:
            if f.state == PUBLISH:
                files = (read_record(f.current.folder) or {}).get("bestanden")
            elif f.state == KEPT:
                files = (archive.get(f.name) or {}).get("bestanden")
        except (ArchiveError, OSError, ValueError):
            continue
        for sha in files.values() if isinstance(files, dict) else []:
            if isinstance(sha, str):
                out.setdefault(sha, set()).add(f.name)
    return out


def _remember_withdrawals(f: Fate, archive: Archive, shared: dict[str, set[str]] | None = None, full=None) -> None:
    """Every signed withdrawal seen in a build that went out is remembered per decision (kenmerk and type), with the
    SHA-256 of a withdrawn document's file: deleting wijzigingen.json or renaming the folder does not undo it.

    A whole publication withdrawn: the SHA-256 of every file it published (main document, annexes, documents; the
    current folder's and the last published version's in the archive), so none of them returns under another kenmerk.
    A file another publication publishes in this same build is left out (``shared``): it stays on the site anyway,
    and a common annex (the text of the Woo articles) must not take every other publication offline."""
    from .evaluate import withdrawn_document_shas
    from .history import WITHDRAWN_DECISION, WITHDRAWN_DOCUMENT, raw_identity, withdrawn_documents

    for r in (f.current, f.archived):
        if r is None:
            continue
        kenmerk, kind = (r.decision.kenmerk, r.decision.type) if r.decision is not None else raw_identity(r.folder)
        withdrawals = [c for c in r.history if c.kind in (WITHDRAWN_DECISION, WITHDRAWN_DOCUMENT)]
        if not kenmerk or not withdrawals:
            continue
        if full is not None:
            r = full(r)  # its inventory and files, loaded for this one decision
        gone = withdrawn_documents(withdrawals)
        files = withdrawn_document_shas(r, gone) if r.decision is not None and gone else {}
        whole: dict[str, tuple[str | None, str]] = {}
        if any(c.kind == WITHDRAWN_DECISION for c in withdrawals):
            for sha, (nr, label) in _withdrawn_publication_files(r, f.name, archive).items():
                if sha not in files and not (shared or {}).get(sha, set()) - {f.name}:
                    whole[sha] = (nr, label)
        archive.remember_withdrawals(kenmerk, kind, [c.public_json() for c in withdrawals], files, whole)


def _withdrawn_publication_files(r, name: str, archive: Archive) -> dict[str, tuple[str | None, str]]:
    """SHA-256 -> (document number or None, how staff know the file) of every file a withdrawn publication published:
    what the package holds now (``evaluate.publication_files``) and the PDFs of the last version the site published
    (the archive forgets those right after this build)."""
    from .approval import sha256_file
    from .evaluate import publication_files

    refs = publication_files(r)
    out: dict[str, tuple[str | None, str]] = {}
    known: dict[str, tuple[str | None, str]] = {}
    for ref, nr, label in refs:
        known[ref.relpath] = (nr, label)
        try:
            out.setdefault(sha256_file(ref.path), (nr, label))
        except OSError:
            continue
    try:
        entry = archive.get(name) or {}
    except ArchiveError:
        entry = {}
    archived = entry.get("bestanden")
    if isinstance(archived, dict):
        for relpath, sha in sorted(archived.items()):
            if isinstance(relpath, str) and isinstance(sha, str) and relpath.lower().endswith(".pdf"):
                out.setdefault(sha, known.get(relpath, (None, f"het bestand {relpath}")))
    return out
