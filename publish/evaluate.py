"""Validate every package of a decisions folder: structure, cross-package rules and PDFs.

Shared by ``check``, ``approve`` and ``build`` so staff see exactly the problems a build would
refuse a package for, before they approve it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .limits import DEFAULT_LIMITS, Limits
from .model import Decision
from .package import find_packages, load_package
from .pdfs import PdfInspector, PdfResult
from .problems import Problems
from .safetext import log_unexpected

UNEXPECTED_FIX = ("Controleer het bestand en lever het zo nodig opnieuw aan (opnieuw opgeslagen of geëxporteerd). Blijft dit "
                  "gebeuren, meld het dan aan de beheerder van de site met de foutregel uit het logboek.")


def refuse_unexpected(result: "PackageResult", exc: BaseException, step: str, file: str = "") -> None:
    """Any failure while handling one package refuses that package only, with a Dutch message; the
    details go to the log with the package named."""
    message = log_unexpected(result.name, exc, step)
    if getattr(exc, "dutch", None):
        message = exc.dutch
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

    def files(self) -> list:
        """Files to inspect and publish: withdrawn documents are left out (they may be the leak)."""
        from .history import withdrawn_documents

        gone = withdrawn_documents(self.history)
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


def evaluate(folders: list[Path], inspector: PdfInspector, allowed: Sequence[str] = (), progress=None, trust=None,
             limits: Limits | None = None) -> list[PackageResult]:
    """``allowed``: values from the site configuration that look like personal data but are public.
    ``trust`` (approval.Trust): verify the signatures of change-history entries.
    ``limits``: the site's limits (default: the inspector's). Whatever goes wrong in one package
    refuses that package only."""
    from .gate.personal_data import allowed_hashes

    limits = limits or getattr(inspector, "limits", DEFAULT_LIMITS)
    results = []
    from .history import HISTORY_FILE, read_history

    for folder in folders:
        result = PackageResult(folder, None, Problems(folder.name))
        results.append(result)
        try:
            result.decision, result.problems = load_package(folder, limits)
            problems = result.problems
            history, error = read_history(folder, trust)
            result.history = history
            if error and "ondertekend" in error:
                problems.error(HISTORY_FILE, "", error + ".",
                               "Verwijder de niet-ondertekende wijzigingen (herstel het bestand uit de versiegeschiedenis); "
                               "wijzigingen komen er alleen in via woo-publish withdraw en approve.", "wijzigingen.handtekening")
            elif error:
                problems.error(HISTORY_FILE, "", error + ".",
                               "Herstel het bestand uit de versiegeschiedenis; bewerk het niet met de hand.", "wijzigingen.onleesbaar")
        except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001 - isolation, see refuse_unexpected
            refuse_unexpected(result, exc, "het lezen van het pakket")
    _cross_package(results)
    _withdrawn_documents_exist(results)
    files: dict[int, list] = {}
    for r in results:
        if r.valid and not r.withdrawal:
            try:
                files[id(r)] = r.files()
            except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001
                refuse_unexpected(r, exc, "het verzamelen van de bestanden")
    paths = sorted({ref.path for refs in files.values() for ref in refs})
    inspected = inspector.inspect_all(paths, progress=progress)
    for r in results:
        if not r.valid or r.withdrawal:
            continue
        try:
            _add_pdf_results(r, files[id(r)], inspected, allowed, allowed_hashes)
        except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001
            refuse_unexpected(r, exc, "het controleren van de pdf's")
    return results


def _add_pdf_results(r: PackageResult, refs: list, inspected: dict, allowed, allowed_hashes) -> None:
    from .privacy import check_published_texts

    d = r.decision
    allowed_here = allowed_hashes(list(allowed) + d.allowed_personal_data)
    check_published_texts(d, allowed_here, r.problems)
    for ref in refs:
        res = inspected[ref.path]
        r.pdfs[ref.path] = res
        if not res.ok:
            r.problems.error(ref.relpath, "", res.error, _pdf_fix(res.error_code), res.error_code)
        elif not res.has_text:
            r.problems.warning(ref.relpath, "", "de pdf heeft geen tekstlaag (gescand?): de inhoud is niet doorzoekbaar en slecht toegankelijk.",
                               "Lever bij voorkeur een pdf met tekst aan (bijvoorbeeld na tekstherkenning, OCR).",
                               "pdf.geen_tekst")
        for finding in res.findings:
            if finding.get("value_hash") in allowed_here:
                continue
            add = r.problems.error if finding.get("severity", "fout") == "fout" else r.problems.warning
            add(ref.relpath, finding["location"], finding["message"], finding["fix"], finding["code"])


def _withdrawn_documents_exist(results: list[PackageResult]) -> None:
    from .history import HISTORY_FILE, withdrawn_documents

    for r in results:
        if r.decision is None:
            continue
        numbers = {row.nr for row in r.decision.inventory}
        for nr in sorted(withdrawn_documents(r.history)):
            if nr not in numbers:
                r.problems.error(HISTORY_FILE, f"document {nr}", f"er is een intrekking voor document {nr}, maar dat staat niet in de inventaris.",
                                 "Controleer het nummer; een ingetrokken document blijft in de inventaris staan.", "wijzigingen.onbekend_document")


def _cross_package(results: list[PackageResult]) -> None:
    """A kenmerk is unique on the site; with two claimants neither is published (no guessing)."""
    from .slugs import slugify

    by_key: dict[str, list[PackageResult]] = defaultdict(list)
    for r in results:
        if r.decision is not None:
            by_key[slugify(r.decision.kenmerk)].append(r)
    for claimants in by_key.values():
        if len(claimants) < 2:
            continue
        for r in claimants:
            others = ", ".join(o.name for o in claimants if o is not r)
            r.problems.error("besluit.md", "veld 'kenmerk'",
                             f"het kenmerk '{r.decision.kenmerk}' wordt ook gebruikt door pakket {others}.",
                             "Elk besluit heeft een eigen kenmerk. Verbeter het kenmerk of verwijder het dubbele pakket.",
                             "kenmerk.dubbel")


def package_folders(decisions_dir: Path) -> list[Path]:
    return find_packages(decisions_dir)


def _pdf_fix(code: str) -> str:
    from .limits import LIMIT_RAISE

    if code.startswith("limiet."):
        return "Maak de pdf kleiner of eenvoudiger (opnieuw exporteren, opsplitsen, afbeeldingen verkleinen). " + LIMIT_RAISE
    if code == "pdf.vastgelopen":
        return "Exporteer de pdf opnieuw (bijvoorbeeld 'Opslaan als pdf') en lever hem opnieuw aan; meld het aan de beheerder als dit blijft gebeuren."
    return "Maak de pdf opnieuw aan (zonder wachtwoord of beveiliging) en lever hem opnieuw aan."
