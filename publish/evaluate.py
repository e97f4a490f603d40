"""Validate every package of a decisions folder: structure, cross-package rules and PDFs.

Shared by ``check``, ``approve`` and ``build`` so staff see exactly the problems a build would
refuse a package for, before they approve it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .model import Decision
from .package import find_packages, load_package
from .pdfs import PdfInspector, PdfResult
from .problems import Problems


@dataclass
class PackageResult:
    folder: Path
    decision: Decision | None
    problems: Problems
    pdfs: dict[Path, PdfResult] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def valid(self) -> bool:
        return self.decision is not None and not self.problems.has_errors


def evaluate(folders: list[Path], inspector: PdfInspector, allowed: list[str] = (), progress=None) -> list[PackageResult]:
    """``allowed``: values from the site configuration that look like personal data but are public."""
    from .gate.personal_data import value_hash

    results = []
    for folder in folders:
        decision, problems = load_package(folder)
        results.append(PackageResult(folder, decision, problems))
    _cross_package(results)
    paths = sorted({ref.path for r in results if r.valid for ref in r.decision.all_files()})
    inspected = inspector.inspect_all(paths, progress=progress)
    for r in results:
        if not r.valid:
            continue
        d = r.decision
        allowed_hashes = {value_hash(v) for v in list(allowed) + d.allowed_personal_data}
        for ref in d.all_files():
            res = inspected[ref.path]
            r.pdfs[ref.path] = res
            if not res.ok:
                r.problems.error(ref.relpath, "", res.error,
                                 "Maak de pdf opnieuw aan (zonder wachtwoord of beveiliging) en lever hem opnieuw aan.",
                                 res.error_code)
            elif not res.has_text:
                r.problems.warning(ref.relpath, "", "de pdf heeft geen tekstlaag (gescand?): de inhoud is niet doorzoekbaar en slecht toegankelijk.",
                                   "Lever bij voorkeur een pdf met tekst aan (bijvoorbeeld na tekstherkenning, OCR).",
                                   "pdf.geen_tekst")
            for finding in res.findings:
                if finding.get("value_hash") in allowed_hashes:
                    continue
                add = r.problems.error if finding.get("severity", "fout") == "fout" else r.problems.warning
                add(ref.relpath, finding["location"], finding["message"], finding["fix"], finding["code"])
    return results


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
