"""Validate every package of a decisions folder: structure, cross-package rules and PDFs.

Shared by ``check``, ``approve`` and ``build`` so staff see exactly the problems a build would
refuse a package for, before they approve it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .limits import DEFAULT_LIMITS, Limits
from .model import Decision
from .package import Partial, find_packages, read_package
from .pdfs import PdfInspector, PdfResult
from .problems import Problems, natural_key
from .safetext import log_unexpected
from .validationcache import Entry

UNEXPECTED_FIX = (
    "Controleer het bestand en lever het zo nodig opnieuw aan (opnieuw opgeslagen of geëxporteerd). Blijft dit "
    "gebeuren, meld het dan aan de beheerder van de site met de foutregel uit het logboek."
)


def refuse_unexpected(result: "PackageResult", exc: BaseException, step: str, file: str = "") -> None:
    """Any failure while handling one package refuses that package only, with a Dutch message; the
    details go to the log with the package named."""
    message = log_unexpected(result.name, exc, step)
    dutch_message = getattr(exc, "dutch", None)
    if dutch_message:
        message = dutch_message
    elif isinstance(exc, MemoryError):
        message = f"het pakket vroeg te veel geheugen bij {step}."
    elif isinstance(exc, RecursionError):
        message = f"het pakket is te diep genest om te lezen bij {step}."
    elif isinstance(exc, OSError):
        from .safetext import describe_os_error

        message = describe_os_error(exc, f"het pakket kon niet gelezen worden bij {step}")
    result.problems.error(file, "", message, UNEXPECTED_FIX, "pakket.onverwacht")


@dataclass
class PackageResult:
    folder: Path
    decision: Decision | None
    problems: Problems
    pdfs: dict[Path, PdfResult] = field(default_factory=dict)
    history: list = field(default_factory=list)
    partial: Partial | None = None  # what could be read of a package without a Decision (checked anyway)
    cached: Entry | None = field(default=None, repr=False, compare=False)  # this build's validation cache entry

    def files(self) -> list:
        """Files to inspect and publish: withdrawn documents are left out (they may be the leak). For a
        package refused without a Decision: the PDFs that could be found (inspected, never published)."""
        from .history import withdrawn_documents

        gone = withdrawn_documents(self.history)
        if self.decision is None:
            if self.partial is None:
                return []
            withdrawn = {row.file.relpath for row in self.partial.rows if row.file is not None and row.nr in gone}
            return [ref for ref in self.partial.pdfs if ref.relpath not in withdrawn]
        keep = [self.decision.letter] + [a.file for a in self.decision.annexes]
        keep += [row.file for row in self.decision.inventory if row.file is not None and row.nr not in gone]
        return keep

    @property
    def withdrawal(self):
        from .history import decision_withdrawal

        return decision_withdrawal(self.history)

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def valid(self) -> bool:
        return self.decision is not None and not self.problems.has_errors


def evaluate(
    folders: list[Path],
    inspector: PdfInspector,
    allowed: Sequence[str] = (),
    progress=None,
    trust=None,
    limits: Limits | None = None,
    archive=None,
    lost_withdrawal_is_error: bool = True,
    validation=None,
    spill=None,
    approving: Path | None = None,
    withdrawn_documents: dict[str, dict] | None = None,
) -> list[PackageResult]:
    """``allowed``: values from the site configuration that look like personal data but are public.
    ``trust`` (approval.Trust): verify the signatures of change-history entries.
    ``archive`` (store.Archive): withdrawals it remembers stay in effect (see ``remembered_withdrawals``);
    ``lost_withdrawal_is_error``: False for archived versions, whose history may rightly predate a withdrawal.
    ``limits``: the site's limits (default: the inspector's). Whatever goes wrong in one package
    refuses that package only. ``validation`` (validationcache.ValidationCache, issue 19): each package's validated
    model and the privacy check of its texts from the build cache when the package and the settings are unchanged.
    ``spill`` (build.SpilledPdfs, issue 19): each package's model waits on disk from when it is read (a
    ``model.SpilledDecision`` stays), so do its validation-cache entry's body and every PDF's result, and a package's PDF
    results are written there once its checks are done: the phase holds one package at a time, not the archive.
    ``approving``: the package folder ``approve`` is about to approve: it counts as approved in the check that a
    kenmerk is unique (``_cross_package``). ``withdrawn_documents``: files of documents withdrawn elsewhere in this
    run (``withdrawn_document_files``), for archived versions checked again."""
    from .gate.personal_data import allowed_hashes

    limits = limits or getattr(inspector, "limits", DEFAULT_LIMITS)
    results = []
    from .approval import submit_checks as submit_approval_checks
    from .history import HISTORY_FILE, read_history
    from .history import submit_checks as submit_history_checks

    # Issue 19: within a build (signing.concurrent) every signature check below and in fate.decide starts now, side by
    # side in the pool (in process, or an ssh-keygen process: sig19); each is still taken and judged where it is needed,
    # in this order.
    submit_history_checks(folders, trust)
    submit_approval_checks(folders, trust)
    parked: dict[int, tuple[int, int]] = {}  # id(result) -> its validation-cache entry's body in ``spill``
    for folder in folders:
        result = PackageResult(folder, None, Problems(folder.name))
        results.append(result)
        try:
            entry = result.cached = validation.lookup(folder) if validation is not None else None
            if entry is not None and entry.hit:
                result.decision, result.problems, result.partial = entry.decision, entry.problems, entry.partial
            else:
                result.decision, result.problems, result.partial = read_package(folder, limits)
                if validation is not None:
                    validation.made(entry, folder, result.decision, result.problems, result.partial)
            problems = result.problems
            history, error = read_history(folder, trust)
            result.history = history
            from .privacy import check_history_reasons

            check_history_reasons(
                result, allowed_hashes(list(allowed) + (result.decision.allowed_personal_data if result.decision else []))
            )
            if error and "ondertekend" in error:
                error = _unverified_history(result, folder, trust, archive, error)
            if error and "ondertekend" in error:
                problems.error(
                    HISTORY_FILE,
                    "",
                    error + ".",
                    "Verwijder de niet-ondertekende wijzigingen (herstel het bestand uit de versiegeschiedenis); "
                    "wijzigingen komen er alleen in via woo-publish withdraw en approve.",
                    "wijzigingen.handtekening",
                )
            elif error:
                problems.error(
                    HISTORY_FILE,
                    "",
                    error + ".",
                    "Herstel het bestand uit de versiegeschiedenis; bewerk het niet met de hand.",
                    "wijzigingen.onleesbaar",
                )
        except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001 - isolation, see refuse_unexpected
            result.cached = None  # never cache a package that failed unexpectedly
            refuse_unexpected(result, exc, "het lezen van het pakket")
        if archive is not None:
            try:
                remembered_withdrawals(result, archive, lost_withdrawal_is_error)
            except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001
                refuse_unexpected(result, exc, "het nakijken van eerdere intrekkingen")
        if spill is not None:
            _spill_model(result, spill, parked)
    if spill is not None:
        claims = Claims(trust, archive, limits, approving)
        return _evaluate_spilled(
            results, inspector, allowed, progress, archive, validation, spill, parked, claims, withdrawn_documents
        )
    _cross_package(results, Claims(trust, archive, limits, approving))
    _withdrawn_documents_exist(results)
    files: dict[int, list] = {}
    for r in results:  # refused packages too: every problem in one run (published only when valid, see build)
        if not r.withdrawal:
            try:
                files[id(r)] = r.files()
            except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001
                refuse_unexpected(r, exc, "het verzamelen van de bestanden")
    withdrawn_here = WithdrawnInRun(results, archive, documents=withdrawn_documents)
    paths = sorted({ref.path for refs in files.values() for ref in refs})
    inspected = inspector.inspect_all(paths, progress=progress)
    for r in results:
        if r.withdrawal or id(r) not in files:
            continue
        try:
            _add_pdf_results(r, files[id(r)], inspected, allowed, allowed_hashes)
            if r.decision is not None:
                _withdrawn_file_returns(r, files[id(r)], inspected, archive, withdrawn_here)
        except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001
            r.cached = None
            refuse_unexpected(r, exc, "het controleren van de pdf's")
    if validation is not None:
        for r in results:
            validation.finish(r.cached, r.folder)
    return results


def _spill_model(r: PackageResult, spill, parked: dict[int, tuple[int, int]]) -> None:
    """Issue 19 (mem10): a package read and checked on its own waits on disk (``build.SpilledPdfs``) while the others
    are read and every PDF is inspected: its model (a ``SpilledDecision`` stays) and the body of its validation-cache
    entry. A withdrawn package (few; ``WithdrawnInRun`` reads its files) and a package without a model stay in memory."""
    if r.decision is None or r.withdrawal is not None:
        return
    entry = r.cached
    # A model from the validation cache is spilled as it was stored (the same encoding: nothing changes it in between).
    encoded = entry.encoded if entry is not None and entry.hit else None
    spill.spill_decision(r, entry_done=False, encoded=encoded)
    if entry is not None:
        entry.encoded = None
    if entry is not None and entry.head:
        parked[id(r)] = spill.park(entry.head)
        entry.head = ""


def _evaluate_spilled(
    results: list[PackageResult],
    inspector,
    allowed,
    progress,
    archive,
    validation,
    spill,
    parked: dict,
    claims=None,
    withdrawn_documents: dict[str, dict] | None = None,
) -> list[PackageResult]:
    """The rest of ``evaluate`` with the models on disk: the same checks in the same order per package, each package's
    model loaded for its own checks only, each PDF's result from disk (``SpilledPdfs.inspected``), and a package's PDF
    results written back once its checks are done (``SpilledPdfs.spill``).

    Issue 19 (mem13): the PDFs are inspected a group of packages at a time (``_in_groups``: up to ``INSPECT_BATCH``
    PDFs), and each group's packages are checked and let go before the next group is inspected. Nothing here holds
    something per PDF of the archive (a set and a sorted list of every path, and an offset per PDF into the spill file,
    were about 12 KB a decision at their peak). No check is cross-package here (``_cross_package`` ran on the whole
    archive first, ``WithdrawnInRun`` too), so the verdicts are those of one pass over every PDF."""
    from .gate.personal_data import allowed_hashes

    _cross_package(results, claims)  # kenmerken only: a SpilledDecision has it
    with_files: set[int] = set()
    # From the withdrawn packages (not spilled), the archive, and the models of the few packages that withdrew a document.
    withdrawn_here = WithdrawnInRun(results, archive, spill.result, withdrawn_documents)
    # Issue 19 (warm13v): a package's PDF verdicts from one record (validationcache.PackageVerdicts), looked up by every
    # PDF's SHA-256 as it is now: such a package is checked at once, with the model already loaded. The packages
    # without one (``one_by_one``) are inspected a group at a time below (mem13), and get one afterwards.
    verdicts = validation.pdf_verdicts(inspector) if validation is not None else None
    one_by_one: set[int] = set()
    total = 0
    for r in results:
        full = spill.result(r)  # refused packages too: every problem in one run (published only when valid, see build)
        _withdrawn_documents_exist([full])
        if not r.withdrawal:
            taken = None
            try:
                mine = [os.fspath(ref.path) for ref in full.files()]
                taken = verdicts.take(mine) if verdicts is not None else None
                if taken is None:
                    total += len(set(mine))
                    one_by_one.add(id(r))
                with_files.add(id(r))
            except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001
                refuse_unexpected(r, exc, "het verzamelen van de bestanden")
            if taken is not None:
                _check_pdfs(r, full, _ByText(taken), allowed, allowed_hashes, archive, withdrawn_here)
                _finish(r, validation, spill, parked)
                spill.spill(r)
    inspected = spill.inspected()
    done = 0
    for group in _in_groups([r for r in results if id(r) in one_by_one], spill):
        paths = sorted({os.fspath(ref.path) for _r, _full, refs in group if refs is not None for ref in refs})
        _inspect_in_batches(inspector, paths, progress, inspected, done, total)
        done += len(paths)
        del paths
        for r, full, refs in group:
            _check_pdfs(r, full, inspected, allowed, allowed_hashes, archive, withdrawn_here, refs)
            for path in r.pdfs:
                inspected.pop(path)
            if verdicts is not None:
                verdicts.keep(r.pdfs)
            _finish(r, validation, spill, parked)
            spill.spill(r)
    for r in results:
        if id(r) not in with_files or r.withdrawal:
            _finish(r, validation, spill, parked)
    return results


def _check_pdfs(
    r: PackageResult, full: PackageResult, inspected, allowed, allowed_hashes, archive, withdrawn_here, refs=None
) -> None:
    """The PDF checks of one package with its model loaded (``full``), its PDFs' results in ``inspected`` (path ->
    ``PdfResult``, by ``Path`` or by its text); they end in ``r.pdfs``. ``refs``: its files when already listed."""
    try:
        if refs is None:
            refs = full.files()  # raises again when listing failed: refused below, as any failure in this step
        _add_pdf_results(full, refs, inspected, allowed, allowed_hashes)
        if full.decision is not None:
            _withdrawn_file_returns(full, refs, inspected, archive, withdrawn_here)
    except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001
        r.cached = None
        refuse_unexpected(r, exc, "het controleren van de pdf's")
    r.pdfs = full.pdfs


class _ByText(dict):
    """Results keyed by a path's text, looked up by ``Path`` too (as ``build._InspectedOnDisk``)."""

    def __getitem__(self, path):
        return super().__getitem__(os.fspath(path))


INSPECT_BATCH = 2048  # PDFs inspected at a time; mem13: also a group's size, whose models (about 24 KB a package) wait


def _in_groups(results: list[PackageResult], spill):
    """``results`` in their order as groups of (result, whole result, its files) with up to ``INSPECT_BATCH`` files
    together (a package with more is a group of its own). The files are None when listing them failed (the step that
    checks the PDFs lists them again and refuses the package, as before)."""
    group: list[tuple[PackageResult, PackageResult, list | None]] = []
    count = 0
    for r in results:
        full = spill.result(r)
        try:
            refs: list | None = full.files()
        except (Exception, RecursionError, MemoryError):  # noqa: BLE001 - listed again where the failure is reported
            refs = None
        size = len(refs) if refs is not None else 0
        if group and count + size > INSPECT_BATCH:
            yield group
            group, count = [], 0
        group.append((r, full, refs))
        count += size
    if group:
        yield group


def _inspect_in_batches(inspector, paths: list[str], progress, into, offset: int = 0, total: int | None = None):
    """Every PDF's result into ``into`` (``SpilledPdfs.inspected``), ``INSPECT_BATCH`` at a time: a batch's results are
    held until they are written, never those of the archive. The inspector itself is unchanged (its source is part of
    the inspection cache's key, ``pdfs.code_version``); identical files in two batches are parsed once all the same
    (the second finds the first's result in the cache). ``offset`` and ``total``: where these PDFs are among all of
    the run's, for ``progress``."""
    total = len(paths) if total is None else total
    for start in range(0, len(paths), INSPECT_BATCH):
        batch = [Path(p) for p in paths[start : start + INSPECT_BATCH]]
        first = offset + start
        step = None if progress is None else (lambda done, _n, first=first: progress(first + done, total))
        for path, res in inspector.inspect_all(batch, progress=step).items():
            into[path] = res
        # The inspector's map of every published copy to its SHA-256 (about 9 kB a decision) is for the build's staging
        # only, which reads the SHA-256 each file carries (PublishedFile.expected_sha256, from the spilled results):
        # let go per batch, as the build does after validation.
        forget = getattr(inspector, "forget_expected", None)
        if forget is not None:
            forget()
    return into


def _finish(r: PackageResult, validation, spill, parked: dict) -> None:
    """Write ``r``'s validation-cache entry (its body back from the spill file)."""
    place = parked.pop(id(r), None)
    if r.cached is not None and place is not None:
        r.cached.head = spill.unpark(place)
    if validation is not None:
        validation.finish(r.cached, r.folder)


def _listed(trust) -> set[str] | None:
    """The principals named in the allowed-signers file (None: no file set)."""
    if trust is None or trust.signers is None:
        return None
    try:
        lines = Path(trust.signers).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return set()
    return {name for line in lines if line.strip() and not line.lstrip().startswith("#") for name in line.split()[0].split(",")}


def _unverified_history(r: PackageResult, folder: Path, trust, archive, error: str) -> str | None:
    """Entries of wijzigingen.json whose signature does not verify. Hand-written (unsigned) ones: the old error, returned.
    Signed ones (a signer since removed from the allowed signers, or broken settings): said as such, never "delete
    them" (the file is the public history). A withdrawal stays in force: one a build already published (the archive
    remembers it) keeps the item withdrawn with a warning; one never verified is an error (its public reason is not
    trusted). An entry superseded by a valid one of the same kind and document (re-signed) is no problem."""
    from .history import HISTORY_FILE, WITHDRAWN_DECISION, WITHDRAWN_DOCUMENT, raw_identity, read_history

    raw, _ = read_history(folder)
    valid = {(c.kind, c.document) for c in r.history}
    unverified = [(i, c) for i, c in enumerate(raw, 1) if c not in r.history and (c.kind, c.document) not in valid]
    listed = _listed(trust)
    if any(
        not (c.signature or {}).get("door") or (listed is not None and str(c.signature["door"]) in listed) for _, c in unverified
    ):
        return error  # hand-written, or a listed signer's signature that does not hold (tampered, copied): refused
    remembered: set = set()
    if archive is not None:
        kenmerk, kind = (r.decision.kenmerk, r.decision.type) if r.decision is not None else raw_identity(folder)
        try:
            entry = (archive.decision(kenmerk, kind) or {}) if kenmerk else {}
        except Exception:  # noqa: BLE001 - remembered_withdrawals reports a damaged archive record
            entry = {}
        remembered = {(w.get("soort"), w.get("document")) for w in entry.get("intrekkingen", [])}
    signers = "het bestand met toegestane ondertekenaars" + (f" ({trust.signers.name})" if trust.signers else "")
    for i, c in unverified:
        who = str((c.signature or {}).get("door"))
        withdrawal = c.kind in (WITHDRAWN_DECISION, WITHDRAWN_DOCUMENT)
        kept = withdrawal and (c.kind, c.document) in remembered
        what = f"wijziging {i} ({c.kind}{' ' + c.document if c.document else ''}, {c.date.isoformat()}), ondertekend door {who}"
        message = (
            f"{what}: de handtekening kan niet gecontroleerd worden: de sleutel van {who} staat niet (meer) in {signers}, "
            "of de instelling extra.woo.ondertekenaars in mkdocs.yml klopt niet."
        )
        if trust is None or trust.signers is None:
            message = f"{what}: de handtekening kan niet gecontroleerd worden: in mkdocs.yml is geen bestand met toegestane ondertekenaars ingesteld (extra.woo.ondertekenaars)."
        if kept:
            r.history.append(c)
            message += " De intrekking staat nog in het bestand en blijft van kracht."
        elif withdrawal:
            message += " Zolang dat zo is, geldt de intrekking niet."
        fix = f"Herstel de instelling in mkdocs.yml of zet de regel van {who} terug in {signers}"
        if withdrawal:
            document = f" --document {c.document}" if c.document else ""
            fix += (
                f"; of, als {who} terecht is weggehaald, laat een huidige ondertekenaar de intrekking opnieuw ondertekenen met: "
                f'woo-publish withdraw {folder}{document} --reden "{c.reason}" --datum {c.date.isoformat()}'
            )
        fix += f". Laat de regel in {HISTORY_FILE} staan: het is de openbare geschiedenis."
        if kept:
            r.problems.warning(HISTORY_FILE, "", message, fix, "wijzigingen.ondertekenaar_onbekend")
        else:
            r.problems.error(HISTORY_FILE, "", message, fix, "wijzigingen.ondertekenaar_onbekend")
    return None


def remembered_withdrawals(r: PackageResult, archive, is_error: bool = True) -> None:
    """Withdrawals the archive remembers for this decision (by kenmerk and publication type, whatever the folder is
    called; older archives: by folder name) stay in effect, with their public notice, also when they are gone from
    wijzigingen.json. The package is then refused with a message: its history was tampered with or lost."""
    from .history import HISTORY_FILE, WITHDRAWN_DECISION, Change, raw_identity
    from .store import ArchiveError

    kenmerk, kind = (r.decision.kenmerk, r.decision.type) if r.decision is not None else raw_identity(r.folder)
    remembered: list[dict] = []
    where = ""
    try:
        legacy = archive.get(r.name)
    except ArchiveError:
        legacy = None
    if legacy and isinstance(legacy.get("ingetrokken"), dict):
        remembered.append({"soort": WITHDRAWN_DECISION, "document": None, "titel": "", **legacy["ingetrokken"]})
        where = f"pakketten/{r.name}.json"
    if kenmerk:
        try:
            entry = archive.decision(kenmerk, kind) or {}
        except ArchiveError as exc:
            r.problems.error(
                "",
                "",
                f"{exc}; of dit besluit (of een document ervan) is ingetrokken, is daardoor niet bekend.",
                "Zet het archief terug uit de back-up (zie docs/beheer.md).",
                "archief.beschadigd",
            )
            return
        remembered += entry.get("intrekkingen", [])
        if entry.get("intrekkingen"):
            where = str(archive.decision_path(kenmerk, kind).relative_to(archive.root))
    for w in remembered:
        document = w.get("document")
        if any(c.kind == w["soort"] and c.document == document for c in r.history):
            continue
        try:
            date = dt.date.fromisoformat(w["datum"])
        except (TypeError, ValueError):
            continue
        r.history.append(Change(date, w["soort"], document, str(w.get("titel") or ""), str(w.get("reden") or "")))
        if not is_error:
            continue
        what = "dit besluit is" if w["soort"] == WITHDRAWN_DECISION else f"document {document} is"
        r.problems.error(
            HISTORY_FILE,
            "" if document is None else f"document {document}",
            f"{what} op {w['datum']} ingetrokken, maar die intrekking staat niet meer in {HISTORY_FILE}; het blijft ingetrokken.",
            f"Zet {HISTORY_FILE} terug uit de versiegeschiedenis. Moet het "
            f"{'besluit' if document is None else 'document'} echt terug op de site, laat de beheerder de intrekking "
            f"dan uit het archief halen ({where}) en keur het pakket opnieuw goed.",
            "wijzigingen.intrekking_ontbreekt",
        )


def publication_files(r: PackageResult) -> list[tuple]:
    """(FileRef, document number or None, how staff know it) of every file a package publishes: main document,
    annexes, documents with a file; for a package that no longer reads, every PDF found in it."""
    if r.decision is not None:
        d = r.decision
        out: list[tuple] = [(d.letter, None, f"het hoofddocument ({d.letter.relpath})")]
        out += [(a.file, None, f"bijlage {i} ({a.file.relpath})") for i, a in enumerate(d.annexes, start=1)]
        return out + [(row.file, row.nr, f"document {row.nr}") for row in d.inventory if row.file is not None]
    return [(ref, None, f"het bestand {ref.relpath}") for ref in (r.partial.pdfs if r.partial is not None else [])]


def withdrawn_document_files(results: list[PackageResult], full=None) -> dict[str, dict]:
    """SHA-256 -> the withdrawal of every document withdrawn (signed, in a package's wijzigingen.json) in ``results``.

    The archive remembers such a file for good after this build (``fate._remember_withdrawals``, no file left out
    there), so a byte-identical copy in another package, or in another package's archived version, is refused in this
    same build, not only from the next one on (found by the tests20 helper: the copy stayed online for one build).
    ``full``: loads a spilled package's model (only of the few packages that withdrew a document)."""
    from .history import withdrawn_documents

    out: dict[str, dict] = {}
    for r in results:
        gone = withdrawn_documents(r.history or [])
        if not gone:
            continue
        try:
            loaded = full(r) if full is not None else r
            if loaded.decision is None:
                continue
            shas = withdrawn_document_shas(loaded, gone)
        except Exception:  # noqa: BLE001 - the package is refused by its own checks; nothing to take from it
            continue
        for sha, nr in shas.items():
            when = gone[nr].date.isoformat()
            out.setdefault(sha, {"kenmerk": loaded.decision.kenmerk, "document": nr, "datum": when, "pakket": r.name})
    return out


def withdrawn_document_shas(r: PackageResult, gone: dict) -> dict[str, str]:
    """SHA-256 -> number of each file of ``r``'s inventory rows withdrawn in ``gone`` (``history.withdrawn_documents``);
    ``r`` with its model loaded. A file that cannot be read is left out (the package's own checks say so)."""
    from .approval import sha256_file

    out: dict[str, str] = {}
    for row in r.decision.inventory:
        if row.nr in gone and row.file is not None:
            try:
                out[sha256_file(row.file.path)] = row.nr
            except OSError:
                continue
    return out


class WithdrawnInRun:
    """Files of publications withdrawn as a whole that are in this run (SHA-256 -> the withdrawal): before the first
    build after the withdrawal the archive does not know them yet (nor for withdrawals from before files were
    remembered), and a copy under a new kenmerk in that same build must not slip through. A file that another
    publication the site already publishes (its archived version) holds too is left out, as when the build
    remembers the files (``fate._remember_withdrawals``): a standard annex does not refuse every new decision."""

    def __init__(self, results: list[PackageResult], archive, full=None, documents: dict[str, dict] | None = None) -> None:
        from .approval import sha256_file

        self.archive = archive
        self.files: dict[str, dict] = {}
        # Documents withdrawn that this run sees (``withdrawn_document_files``); ``documents``: those of the whole
        # run, when these results are only part of it (archived versions checked again, ``fate._fall_back``).
        self.documents = withdrawn_document_files(results, full)
        for sha, known in (documents or {}).items():
            self.documents.setdefault(sha, known)
        self._published: dict[str, set[str]] | None = None
        for r in results:
            w = r.withdrawal
            if w is None or not self._was_published(r):
                continue
            kenmerk = r.decision.kenmerk if r.decision is not None else r.name
            for ref, nr, label in publication_files(r):
                try:
                    sha = sha256_file(ref.path)
                except OSError:
                    continue
                self.files.setdefault(
                    sha, {"kenmerk": kenmerk, "document": nr, "bestand": label, "datum": w.date.isoformat(), "pakket": r.name}
                )

    def _was_published(self, r: PackageResult) -> bool:
        """The archive knows the package (published, or withdrawn after a build): a package withdrawn before it was
        ever published put nothing on the site, and its files may be the same as those of new packages beside it."""
        from .history import WITHDRAWN_DECISION, raw_identity
        from .store import ArchiveError

        if self.archive is None:
            return False
        kenmerk, kind = (r.decision.kenmerk, r.decision.type) if r.decision is not None else raw_identity(r.folder)
        try:
            if self.archive.get(r.name) is not None:
                return True
            entry = (self.archive.decision(kenmerk, kind) or {}) if kenmerk else {}
        except ArchiveError:
            return True  # a damaged record: the package is refused anyway; better safe
        return any(isinstance(w, dict) and w.get("soort") == WITHDRAWN_DECISION for w in entry.get("intrekkingen", []))

    def get(self, sha: str) -> dict | None:
        w = self.files.get(sha)
        if w is None:
            return self.documents.get(sha)
        return None if self.published().get(sha, set()) - {w["pakket"]} else w

    def published(self) -> dict[str, set[str]]:
        """SHA-256 -> the archived (published) packages holding that file; read once, only when a file matched."""
        from .store import ArchiveError

        if self._published is None:
            self._published = {}
            for name in self.archive.names() if self.archive is not None else []:
                try:
                    entry = self.archive.get(name)
                except ArchiveError:
                    continue
                files = entry.get("bestanden") if isinstance(entry, dict) else None
                for sha in files.values() if isinstance(files, dict) else []:
                    if isinstance(sha, str):
                        self._published.setdefault(sha, set()).add(name)
        return self._published


def _withdrawn_file_returns(
    r: PackageResult, refs: list, inspected: dict, archive, withdrawn_here: WithdrawnInRun | None = None
) -> None:
    """A withdrawn document's file (same SHA-256) published again, under another number or in another decision:
    refused. It was withdrawn for a reason (often a leak); a corrected file has other bytes. ``withdrawn_here``: files
    of publications withdrawn as a whole, and of documents withdrawn, that this run sees (``WithdrawnInRun``)."""
    from .history import withdrawn_documents

    own = withdrawn_document_shas(r, withdrawn_documents(r.history))
    for ref in refs:
        sha = inspected[ref.path].sha256
        if sha in own:
            r.problems.error(
                ref.relpath,
                "",
                f"dit bestand is hetzelfde als document {own[sha]}, dat is ingetrokken: zo komt het toch weer op de site.",
                "Verwijder het bestand of lever een gecorrigeerde versie aan, en keur het pakket opnieuw goed.",
                "wijzigingen.ingetrokken_bestand",
            )
            continue
        known = archive.withdrawn_file(sha) if archive is not None else None
        if known is None and withdrawn_here is not None:
            known = withdrawn_here.get(sha)
        if known is not None:
            what = known.get("bestand") if isinstance(known.get("bestand"), str) else f"document {known.get('document')}"
            whole = " in zijn geheel" if isinstance(known.get("bestand"), str) else ""
            r.problems.error(
                ref.relpath,
                "",
                f"dit bestand is hetzelfde als {what} van besluit "
                f"{known.get('kenmerk')}, dat op {known.get('datum')}{whole} is ingetrokken: zo komt het toch weer op de site.",
                "Verwijder het bestand of lever een gecorrigeerde versie aan, en keur het pakket opnieuw goed. Moet "
                "precies dit bestand echt terug, laat de beheerder de intrekking dan uit het archief halen "
                f"(ingetrokken-bestanden/{sha[:2]}/{sha}.json, zie docs/beheer.md).",
                "wijzigingen.ingetrokken_bestand",
            )


def _add_pdf_results(r: PackageResult, refs: list, inspected: dict, allowed, allowed_hashes) -> None:
    from .privacy import check_published_texts
    from .validationcache import privacy_problems

    d = r.decision
    entry = r.cached
    if d is not None or r.partial is not None:
        texts_allowed = d.allowed_personal_data if d is not None else r.partial.allowed
        allowed_here = allowed_hashes(list(allowed) + texts_allowed)
        if entry is not None and entry.hit and entry.privacy is not None:
            r.problems.extend(entry.privacy)  # the same texts and allowed values: the same findings (issue 19)
        else:
            found = Problems(r.name)
            if d is not None:
                check_published_texts(d, allowed_here, found)
            else:
                check_published_texts(None, allowed_here, found, texts=r.partial.texts, summary_line=r.partial.summary_line)
            r.problems.extend(found)
            privacy_problems(entry, found)
    else:
        allowed_here = allowed_hashes(list(allowed))
    for ref in refs:
        res = inspected[ref.path]
        r.pdfs[ref.path] = res
        if not res.ok:
            r.problems.error(ref.relpath, "", res.error, _pdf_fix(res.error_code), res.error_code)
        elif not res.has_text:
            r.problems.warning(
                ref.relpath,
                "",
                "de pdf heeft geen tekstlaag (gescand?): de inhoud is niet doorzoekbaar en slecht toegankelijk.",
                "Lever bij voorkeur een pdf met tekst aan (bijvoorbeeld na tekstherkenning, OCR).",
                "pdf.geen_tekst",
            )
        unjudged = d is None and r.partial is not None and r.partial.allowed_unreadable
        for finding in res.findings:
            if finding.get("value_hash") in allowed_here:
                continue
            if unjudged and str(finding.get("code", "")).startswith("pdf.persoonsgegeven."):
                continue  # which values are allowed is unknown: the warning about besluit.md names this check
            add = r.problems.error if finding.get("severity", "fout") == "fout" else r.problems.warning
            add(ref.relpath, finding["location"], finding["message"], finding["fix"], finding["code"])


def _withdrawn_documents_exist(results: list[PackageResult]) -> None:
    from .history import HISTORY_FILE, withdrawn_documents

    for r in results:
        if r.decision is None:
            continue
        numbers = {row.nr for row in r.decision.inventory}
        for nr in sorted(withdrawn_documents(r.history), key=natural_key):
            if nr not in numbers:
                r.problems.error(
                    HISTORY_FILE,
                    f"document {nr}",
                    f"er is een intrekking voor document {nr}, maar dat staat niet in de inventaris.",
                    "Controleer het nummer; een ingetrokken document blijft in de inventaris staan.",
                    "wijzigingen.onbekend_document",
                )


class Claims:
    """Which claimants of a kenmerk count (attack round 10, B09): only a package that may be published under it. That is
    one whose approval is valid now (signed by an allowed signer, files unchanged), or one whose archived version was
    published under this kenmerk (that version stays online while the new one is refused, fate._fall_back). A package
    nobody approved (no key is needed to put a folder in decisions/) cannot keep another from being published.
    Without ``trust`` approvals cannot be judged: every claimant counts (refuse rather than guess)."""

    def __init__(self, trust=None, archive=None, limits=None, approving: Path | None = None) -> None:
        self.trust, self.archive, self.limits = trust, archive, limits
        self.approving = os.path.realpath(approving) if approving is not None else None

    def counts(self, r: PackageResult, key: str) -> bool:
        if self.trust is None:
            return True
        if self.approving is not None and os.path.realpath(r.folder) == self.approving:
            return True
        from .approval import check_approval

        try:
            if check_approval(r.folder, Problems(r.name), self.trust, self.limits).approved:
                return True
        except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001 - judged again, and reported, in fate.decide
            log_unexpected(r.name, exc, "het nakijken van de goedkeuring (dubbel kenmerk)")
        return self._published_as(r, key)

    def _published_as(self, r: PackageResult, key: str) -> bool:
        from .slugs import slugify
        from .store import ArchiveError

        if self.archive is None:
            return False
        try:
            entry = self.archive.get(r.name)
        except (ArchiveError, OSError):
            return True  # a damaged record: the package is refused for it; better safe (both refused, as before)
        if not isinstance(entry, dict) or "bestanden" not in entry:
            return False
        from .fate import _archived_kenmerk

        kenmerk = _archived_kenmerk(self.archive, entry)
        return kenmerk is not None and slugify(kenmerk) == key


def _claimed_kenmerk(r: PackageResult) -> str:
    """The kenmerk ``r`` claims: its model's, or for a package refused for other problems the kenmerk as it was read
    (``Partial.kenmerk``, when that field itself is valid); "" when none is known."""
    if r.decision is not None:
        return r.decision.kenmerk
    return r.partial.kenmerk if r.partial is not None else ""


def _cross_package(results: list[PackageResult], claims: Claims | None = None) -> None:
    """A kenmerk is unique on the site; with two claimants that may be published (``Claims``) neither is (no guessing).
    A claimant that may not be published (unapproved) is refused for the kenmerk too, and never blocks the other.

    New-user round 12: a package refused for other problems (no model) is told of the duplicate in the same run, with
    its other problems. It never counts as a claimant here: it is not published as it is, whatever its approval says. A
    version of it the site published stays online from the archive and keeps its address; ``fate._fall_back`` refuses
    a newcomer under that kenmerk with its own message, so the other claimant then hears nothing from here."""
    from .slugs import slugify

    claims = claims or Claims()
    by_key: dict[str, list[PackageResult]] = defaultdict(list)
    for r in results:
        kenmerk = _claimed_kenmerk(r)
        if kenmerk and slugify(kenmerk):
            by_key[slugify(kenmerk)].append(r)
    for key, claimants in by_key.items():
        if len(claimants) < 2:
            continue
        counted = [r for r in claimants if r.decision is not None and claims.counts(r, key)]
        refused = [r for r in claimants if r.decision is None]
        online = [r for r in refused if claims._published_as(r, key)]
        valid = [r for r in claimants if r.decision is not None]
        for r in claimants:
            kenmerk = _claimed_kenmerk(r)
            others = ", ".join(o.name for o in claimants if o is not r)
            if counted == [r] or (r.decision is not None and not counted and valid == [r]):
                if online:
                    continue  # its kenmerk is that of a published decision: fate._fall_back refuses it, and says why
                # The one claimant that may be published (once approved): it is, and hears of the others (they are
                # refused below).
                unapproved = ", ".join(o.name for o in valid if o is not r)
                invalid = ", ".join(o.name for o in refused)
                said = []
                if unapproved:
                    said.append(
                        f"pakket {unapproved} gebruikt hetzelfde kenmerk '{kenmerk}' (of een kenmerk met hetzelfde webadres) "
                        "maar is niet goedgekeurd; het wordt niet gepubliceerd."
                    )
                if invalid:
                    said.append(
                        f"pakket {invalid} gebruikt hetzelfde kenmerk '{kenmerk}' (of een kenmerk met hetzelfde webadres) "
                        "maar heeft fouten; het wordt niet gepubliceerd."
                    )
                r.problems.warning(
                    "besluit.md",
                    "veld 'kenmerk'",
                    " ".join(said) + " Wordt het ook goedgekeurd, dan worden beide geweigerd.",
                    "Is die map een kopie of een oude versie, verwijder haar dan; is het een ander besluit, geef het dan een "
                    "eigen kenmerk.",
                    "kenmerk.dubbel_niet_goedgekeurd",
                )
                continue
            if len(counted) == 1 and r.decision is None and not online:
                owner = counted[0].name
                r.problems.error(
                    "besluit.md",
                    "veld 'kenmerk'",
                    f"het kenmerk '{kenmerk}' is al van pakket {owner}, dat goedgekeurd of gepubliceerd is; dit pakket kan dat "
                    f"kenmerk (of een kenmerk met hetzelfde webadres) niet krijgen. Pakket {owner} wordt gewoon gepubliceerd.",
                    "Elk besluit heeft een eigen kenmerk. Is deze map een kopie of een oude versie, verwijder haar dan; is het "
                    "een ander besluit, geef het dan een eigen kenmerk, los de andere fouten op en laat het goedkeuren.",
                    "kenmerk.dubbel",
                )
                continue
            if len(counted) == 1 and r.decision is not None:
                owner = counted[0].name
                r.problems.error(
                    "besluit.md",
                    "veld 'kenmerk'",
                    f"het kenmerk '{kenmerk}' is al van pakket {owner}, dat goedgekeurd of gepubliceerd is; dit "
                    "pakket is niet goedgekeurd en kan dat kenmerk (of een kenmerk met hetzelfde webadres) niet krijgen. "
                    f"Pakket {owner} wordt gewoon gepubliceerd.",
                    "Elk besluit heeft een eigen kenmerk. Is deze map een kopie of een oude versie, verwijder haar dan; is het "
                    "een ander besluit, geef het dan een eigen kenmerk en laat het goedkeuren.",
                    "kenmerk.dubbel",
                )
                continue
            r.problems.error(
                "besluit.md",
                "veld 'kenmerk'",
                f"het kenmerk '{kenmerk}' wordt ook gebruikt door pakket {others}.",
                "Elk besluit heeft een eigen kenmerk. Verbeter het kenmerk of verwijder het dubbele pakket.",
                "kenmerk.dubbel",
            )


def package_folders(decisions_dir: Path) -> list[Path]:
    return find_packages(decisions_dir)


def _pdf_fix(code: str) -> str:
    from .limits import LIMIT_RAISE

    if code.startswith("limiet."):
        return "Maak de pdf kleiner of eenvoudiger (opnieuw exporteren, opsplitsen, afbeeldingen verkleinen). " + LIMIT_RAISE
    if code == "pdf.dubbelzinnig":
        from .gate.copy import AMBIGUOUS_FIX

        return AMBIGUOUS_FIX
    if code == "pdf.vastgelopen":
        return "Exporteer de pdf opnieuw (bijvoorbeeld 'Opslaan als pdf') en lever hem opnieuw aan; meld het aan de beheerder als dit blijft gebeuren."
    return "Maak de pdf opnieuw aan (zonder wachtwoord of beveiliging) en lever hem opnieuw aan."
