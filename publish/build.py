"""The build: validate, inspect PDFs, generate pages, run mkdocs and swap the result in whole.

Nothing is written to the live output until the new site is complete; with ``strict`` nothing is
written at all when any package is refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import cachestore, signing, urls
from .approval import Trust
from .cache import Cache, hash_memo
from .cachestore import CacheKeyError
from .cluster import ClusterError
from .compact import KeySet, PageOwners, Shared, SpilledPages
from .evaluate import PackageResult, evaluate, package_folders, refuse_unexpected
from .fate import EMBARGO, KEPT, OFFLINE, PUBLISH, WITHDRAWN, archive_published, decide, unavailable_page, vanished, why
from .history import withdrawn_documents
from .identity import IDENTITY_CSS, identity_css
from .incremental import LiveReuse
from .libc import release_free_memory
from .pagecache import Fragments
from .pages import (
    DecisionSummary,
    DecisionView,
    Generator,
    SiteText,
    Views,
    build_views,
    full_views,
    source_text,
    write_sources,
)
from .paths import listing_scope
from .pdfs import PdfInspector
from .problems import Problems, natural_key, summarise
from .safetext import describe_os_error, log_unexpected, safe_tree
from .scriptcheck import GeneratedCheck, check_site, pages_text, preview
from .siteconfig import SiteConfig, load_site_config
from .sitefiles import layer_theme, page_roots
from .sitemaps import MAX_BYTES as SITEMAP_BYTES
from .sitemaps import MAX_URLS as SITEMAP_URLS
from .sitemaps import robots_txt, write_sitemaps
from .store import Archive, archive_dir
from .swap import Removal, keep_unchanged_times, swap_in
from .validationcache import ValidationCache

EXIT_OK, EXIT_REFUSED, EXIT_FAILURE = 0, 1, 2
TEMP_PREFIX = ".woo-build-"


@dataclass
class BuildReport:
    published: list[dict] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)
    embargoed: list[dict] = field(default_factory=list)
    withdrawn: list[dict] = field(default_factory=list)
    # New-user round 12: documents withdrawn from a published decision (``withdraw --document``), apart from ``withdrawn``
    # (whole publications), so the summary does not say "0 ingetrokken" after one.
    withdrawn_documents: list[dict] = field(default_factory=list)
    kept: list[dict] = field(default_factory=list)  # new state refused, earlier approved version stays online
    offline: list[dict] = field(default_factory=list)  # was published, archived version refused too: neutral notice
    warnings: list[dict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    pdfs_parsed: int = 0  # really read (not from the cache)
    pdfs_checked: int = 0  # every PDF inspected, from the cache or read
    counters: dict[str, int] = field(default_factory=dict)  # issue 19: work done and work saved by the memos
    site: dict[str, int] = field(default_factory=dict)  # issue 19: pages rendered / from the cache, files reused
    memory: dict[str, float] = field(default_factory=dict)  # issue 19: peak resident MiB of this process per phase
    cpu: dict[str, float] = field(default_factory=dict)  # issue 19: CPU seconds of this process per phase (not load-bound)
    cpu_mark: float = field(default_factory=time.process_time)  # the CPU clock at the end of the previous phase
    written: bool = False
    error: str = ""
    exit_code: int = EXIT_OK

    def to_json(self) -> dict:
        """The report as monitoring reads it (``--report``): every text in it (package, file and column names,
        values from the inventory, messages quoting them) cleaned of control characters (``safe_tree``)."""
        return safe_tree(
            {
                "status": {0: "ok", 1: "geweigerd", 2: "mislukt"}[self.exit_code],
                "exit_code": self.exit_code,
                "written": self.written,
                "error": self.error,
                "published": self.published,
                "refused": self.refused,
                "embargoed": self.embargoed,
                "withdrawn": self.withdrawn,
                "withdrawn_documents": self.withdrawn_documents,
                "kept": self.kept,
                "offline": self.offline,
                "warnings": self.warnings,
                "pdfs_parsed": self.pdfs_parsed,
                "pdfs_checked": self.pdfs_checked,
                "site": dict(sorted(self.site.items())),
                "timings": {k: round(v, 3) for k, v in sorted(self.timings.items())},
                "tellers": dict(sorted(self.counters.items())),
                "geheugen_mib": {k: round(v, 1) for k, v in sorted(self.memory.items())},
                "cpu_per_fase": {k: round(v, 3) for k, v in sorted(self.cpu.items())},
            }
        )


@dataclass
class BuildOptions:
    decisions: Path
    out: Path
    config: Path
    cache: Path
    strict: bool = False
    today: dt.date | None = None
    workers: int | None = None
    keep_sources: Path | None = None
    engine: str = ""  # --engine lokaal|dask; empty: extra.woo.rekenen.motor (issue 19, publish/cluster.py)
    scheduler: str = ""  # --scheduler tcp://host:8786; empty: extra.woo.rekenen.scheduler
    archive: Path | None = None  # --archief; None: $WOO_PUBLISH_ARCHIEF, extra.woo.archief, .woo-archief beside decisions
    cache_key: Path | None = (
        None  # --cache-sleutel; None: $WOO_CACHE_KEY_FILE, else the user's woo-publicatie/cachesleutel (publish/cachestore.py)
    )
    cache_remote: str = ""  # --cache s3://bucket/prefix: the shared cache in S3-compatible storage
    cache_endpoint: str = ""  # --cache-endpoint; empty: $WOO_CACHE_S3_ENDPOINT
    sitemap_limits: tuple[int, int] = (SITEMAP_URLS, SITEMAP_BYTES)  # addresses and bytes per child sitemap (tests: small)


class PackageFailed(Exception):
    """A step of writing the site failed for one package's files: that package is refused and the site
    is written again without it."""

    def __init__(self, name: str, exc: BaseException, step: str):
        super().__init__(f"{name}: {type(exc).__name__}")
        self.name, self.exc, self.step = name, exc, step


class _Terminated(BaseException):
    """BaseException, so no library's `except Exception` swallows the stop request."""


class _TermHold:
    """Steps a SIGTERM must not cut in half (making and removing the temporary site folder). The handler runs in the
    main thread whichever thread the kernel delivers the signal to, so a flag there defers it; a signal mask would
    not (it is per thread, and the build has other threads the signal can land on)."""

    depth = 0
    pending = False


def _on_term(signum, frame):
    if _TermHold.depth:
        _TermHold.pending = True
        return
    raise _Terminated()


def _hold_sigterm() -> None:
    _TermHold.depth += 1


def _release_sigterm() -> None:
    """Raise a SIGTERM that arrived while held, now, at a point where the folder is known."""
    _TermHold.depth -= 1
    if not _TermHold.depth and _TermHold.pending:
        _TermHold.pending = False
        raise _Terminated()


def run_build(opts: BuildOptions, progress=None) -> BuildReport:
    report = BuildReport()
    started = time.perf_counter()
    previous = signal.getsignal(signal.SIGTERM)
    _TermHold.depth, _TermHold.pending = 0, False
    try:
        signal.signal(signal.SIGTERM, _on_term)
    except ValueError:  # not in the main thread
        previous = None
    try:
        _build(opts, report, progress)
    except _Terminated:
        report.error = (
            "de build is afgebroken (SIGTERM) nadat de nieuwe site al geplaatst was; de site is compleet, de bouwcache "
            "is mogelijk niet bijgewerkt (de volgende build doet dat)."
            if report.written
            else "de build is afgebroken (SIGTERM); de bestaande site is ongewijzigd."
        )
        report.exit_code = EXIT_FAILURE
    except (ClusterError, CacheKeyError) as exc:  # issue 19: the Dask cluster or the cache is unusable; nothing was written
        report.error = f"{exc} De bestaande site is ongewijzigd."
        report.exit_code = EXIT_FAILURE
    except cachestore.CacheEntryGone as exc:
        report.error = f"{exc.strerror} De bestaande site is ongewijzigd; start de build opnieuw."
        report.exit_code = EXIT_FAILURE
    except OSError as exc:  # no package's fault: the output, the cache or the disk
        report.error = describe_os_error(exc, "de site kon niet geschreven worden") + (
            " Maak ruimte vrij of herstel de rechten, en start de build opnieuw." if exc.errno else ""
        )
        report.exit_code = EXIT_FAILURE
    except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001 - never a traceback for the person on call
        log_unexpected("(site)", exc, "het bouwen van de site")
        report.error = (
            f"de site kon niet gebouwd worden door een onverwachte fout ({type(exc).__name__}) in de "
            "site-instellingen, de sjablonen of het programma; zie de foutregel in het logboek."
        )
        report.exit_code = EXIT_FAILURE
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    report.timings["totaal"] = time.perf_counter() - started
    return report


def _scheduler(opts: BuildOptions, site: SiteConfig, cache: Cache | None = None) -> str | None:
    """The Dask scheduler to inspect PDFs on ("" for local processes; None when dask is chosen without one).
    The build option wins over mkdocs.yml; a cluster that is unusable stops the build before any work (ClusterError)."""
    engine = opts.engine or site.engine
    if engine != "dask":
        return ""
    scheduler = opts.scheduler or site.scheduler
    if not scheduler:
        return None
    from .cluster import connect

    connect(scheduler, cache).close()
    return scheduler


def _build(opts: BuildOptions, report: BuildReport, progress) -> None:
    today = opts.today or dt.date.today()
    site = load_site_config(opts.config)
    config_errors = [p for p in site.problems if p.is_error]
    report.warnings += [p.to_dict() for p in site.problems if not p.is_error]
    if config_errors:
        report.error = "de site-instellingen zijn ongeldig:\n" + "\n".join(p.format() for p in config_errors)
        report.exit_code = EXIT_FAILURE
        return
    t0 = time.perf_counter()
    from .package import skipped_folders, skipped_problem

    for folder in skipped_folders(opts.decisions):
        skipped = Problems(folder.name)
        skipped_problem(folder, skipped)
        report.warnings += [p.to_dict() for p in skipped]
    cache = Cache.open(opts.cache, opts.cache_key, opts.cache_remote, opts.cache_endpoint)
    before = dict(cachestore.COUNTERS)
    try:
        _build_with(opts, report, progress, site, cache, today, t0)
    finally:
        _report_cache(cache, report, {k: v - before[k] for k, v in cachestore.COUNTERS.items()})


def _preview(opts: BuildOptions, archive: Archive, today: dt.date) -> str:
    """Why this build is a preview whose result must not enter the archive ("" when it is the real site): a day after
    the real date (--vandaag), or another output folder than the one the archive belongs to."""
    if today > dt.date.today():
        return f"--vandaag {today.isoformat()} ligt na de echte datum"
    owner = archive.site_output()
    if owner is not None and owner != archive.output_key(opts.out):
        return f"de uitvoermap {opts.out} is niet de map van de site ({archive.root.resolve() / owner})"
    return ""


def _report_cache(cache: Cache, report: BuildReport, counted: dict[str, int]) -> None:
    """Cache entries not signed with this cache's key: counted, and said once (never the key, never an entry)."""
    refused = counted["refused"]
    report.counters["cache_ongeldig_ondertekend"] = refused
    if cache.store.remote:  # the shared cache in S3-compatible storage: what it served and took
        report.counters["cache_s3_gelezen"] = counted["remote_read"]
        report.counters["cache_s3_geschreven"] = counted["remote_written"]
    if refused:
        report.warnings.append(
            {
                "package": "",
                "file": "",
                "location": "cache",
                "message": f"{refused} {'onderdeel' if refused == 1 else 'onderdelen'} in de bouwcache "
                f"{'was' if refused == 1 else 'waren'} niet ondertekend met de sleutel van deze cache en "
                f"{'is' if refused == 1 else 'zijn'} "
                "genegeerd en opnieuw berekend: gemaakt met een andere cachesleutel, door een versie zonder handtekeningen "
                "(de eerste build na de update), of door iemand die de cache kon wijzigen.",
                "fix": "Na een update of een nieuwe sleutel is dit eenmalig en verwacht. Komt het daarna terug, controleer dan "
                "wie in de cachemap of de S3-opslag kan schrijven, en of alle Dask-workers dezelfde cachesleutel hebben.",
                "code": "cache.handtekening",
                "severity": "waarschuwing",
            }
        )
    if cache.key_created and refused:
        report.warnings.append(
            {
                "package": "",
                "file": preview(str(cache.key_file), 200),
                "location": "",
                "message": "er was nog geen sleutel voor deze cache; er is een nieuwe gemaakt en de cache wordt opnieuw opgebouwd "
                "(eenmalig: wat met een andere sleutel ondertekend was, wordt nog één keer berekend).",
                "fix": "Niets te doen als dit eenmalig is. Komt het bij elke build terug (bijvoorbeeld in CI, waar de map met "
                "instellingen elke keer nieuw is), geef dan een vaste sleutel buiten de cache met --cache-sleutel of "
                "WOO_CACHE_KEY_FILE (in CI als geheim). Geef Dask-workers dezelfde sleutel.",
                "code": "cache.nieuwe_sleutel",
                "severity": "waarschuwing",
            }
        )
    if getattr(cache, "removed_links", None):  # attack round 10, B11: a link in the cache folder is someone else's doing
        report.warnings.append(
            {
                "package": "",
                "file": preview(str(cache.root), 200),
                "location": "",
                "message": "in de cachemap stonden snelkoppelingen (symlinks): "
                + preview(", ".join(cache.removed_links), 400)
                + ". De build maakt die nooit; via zo'n koppeling zou de cache buiten de cachemap schrijven (bijvoorbeeld "
                "in een pakketmap of een webmap). Ze zijn verwijderd (niet waar ze naar wezen); de build gaat door en maakt "
                "wat ontbreekt opnieuw.",
                "fix": "Ga na wie de cachemap kan wijzigen en beperk dat tot de gebruiker die bouwt (chmod 700). Zet de "
                "cache niet in een map die anderen kunnen beschrijven.",
                "code": "cache.snelkoppeling",
                "severity": "waarschuwing",
            }
        )
    if cache.old_key_file is not None:  # attack round 6, row 2: a key beside the cache travels with a shared cache
        report.warnings.append(
            {
                "package": "",
                "file": preview(str(cache.old_key_file), 200),
                "location": "",
                "message": "dit sleutelbestand naast de cache (de oude standaardplaats) wordt niet meer gebruikt: een sleutel "
                "naast de cache gaat mee als de map gedeeld of door CI bewaard en teruggezet wordt, en wie hem heeft kan de "
                f"cache vervalsen. De build gebruikt de sleutel {preview(str(cache.key_file), 200)}; met een nieuwe sleutel "
                "wordt de cache eenmalig opnieuw opgebouwd.",
                "fix": "Verwijder het oude sleutelbestand (en haal het uit bewaarde CI-caches). Moet juist dit bestand de "
                "sleutel blijven, zet het dan buiten de cachemap en de map erboven en geef het met --cache-sleutel.",
                "code": "cache.oude_sleutel",
                "severity": "waarschuwing",
            }
        )


def _build_with(
    opts: BuildOptions, report: BuildReport, progress, site: SiteConfig, cache: Cache, today: dt.date, t0: float
) -> None:
    scheduler = _scheduler(opts, site, cache)
    if scheduler is None:
        report.error = (
            "de build is met rekenmotor 'dask' gevraagd, maar er is geen scheduler: geef --scheduler "
            "tcp://rekenserver:8786 of zet extra.woo.rekenen.scheduler in mkdocs.yml."
        )
        report.exit_code = EXIT_FAILURE
        return
    inspector = PdfInspector(cache, workers=opts.workers, limits=site.limits, scheduler=scheduler)
    _compact_issued(inspector.cache)
    trust = Trust.from_site(site)
    if not site.unsigned and shutil.which("ssh-keygen") is None:
        from .signing import MISSING_SSH, MISSING_SSH_FIX

        report.error = f"{MISSING_SSH} {MISSING_SSH_FIX}"
        report.exit_code = EXIT_FAILURE
        return
    archive = Archive(archive_dir(opts.archive, site, opts.decisions))
    if any(p.code == "config.ondertekenaars_leeg" for p in site.problems) and archive.names():
        report.error = (  # an emptied signers file would take every publication offline: a settings error, not a verdict
            "het bestand met toegestane ondertekenaars is leeg, terwijl er al publicaties online staan: zo zou alles "
            "offline gaan. Zet het bestand terug (versiegeschiedenis) of zet de ondertekenaars erin (docs/beheer.md)."
        )
        report.exit_code = EXIT_FAILURE
        return
    unpacked = None
    spilled: SpilledPdfs | None = None
    signatures_before = dict(signing.COUNTERS)
    try:
        # Issue 19: every package's model and PDF results wait on disk from validation on (evaluate(spill=...)).
        spilled = SpilledPdfs(inspector.cache, opts.out.resolve())
        _compact_issued(inspector.cache, spilled)  # mem22: the page texts' keys handed out wait in its file
        # Issue 19: within validation, PDFs' SHA-256 come from the memo of unchanged files (cache.HashMemo), and each
        # package folder is listed once (paths.listing_scope).
        # Issue 19: the signature checks of evaluate and decide run side by side (publish/signing.py, concurrent).
        with hash_memo(inspector.cache) as memo, listing_scope(), signing.concurrent(opts.workers):
            # Issue 19: a package that did not change is not validated again (publish/validationcache.py).
            validation = ValidationCache(inspector.cache, site.limits, trust, site.allowed_personal_data)
            results = evaluate(
                package_folders(opts.decisions),
                inspector,
                site.allowed_personal_data,
                progress=progress,
                trust=trust,
                limits=site.limits,
                archive=archive,
                validation=validation,
                spill=spilled,
            )
            try:
                validation.prune()
            except OSError as exc:
                log_unexpected("(cache)", exc, "het opruimen van de validatiecache")
            validation.forget_used()  # mem22: only the prune reads them
            archive.clean_unpacked(".uitgepakt-")
            unpacked = Path(tempfile.mkdtemp(prefix=".uitgepakt-", dir=_ensure(archive.root)))
            fates = decide(
                results,
                trust,
                archive,
                inspector,
                site.allowed_personal_data,
                today,
                unpacked,
                spilled.result if spilled else None,
            )
        report.counters.update(
            bestanden_gehasht=memo.hashed,
            hashes_uit_geheugen=memo.reused,
            pdf_oordelen_klein=inspector.verdicts_read,
            pdf_oordelen_uit_volledig=inspector.verdicts_made,
            pdf_oordelen_per_pakket=validation.verdicts.pdfs if validation.verdicts is not None else 0,
            pakketten_pdf_oordelen_uit_cache=validation.verdicts.packages if validation.verdicts is not None else 0,
            handtekeningen_gecontroleerd=signing.COUNTERS["verified"] - signatures_before["verified"],
            handtekeningen_via_ssh_keygen=signing.COUNTERS["ssh_keygen"] - signatures_before["ssh_keygen"],
            pakketten_gevalideerd=validation.validated,
            pakketten_validatie_uit_cache=validation.reused,
            pakketten_niet_in_validatiecache=validation.uncacheable,
        )
        report.pdfs_parsed = inspector.parsed
        report.pdfs_checked = spilled.pdf_count + len({path for r in results for path in r.pdfs})
        _lap(report, "valideren_en_pdf", t0)
        _sort_fates(fates, report)
        report.warnings += vanished(results, archive)
        if report.refused:
            report.exit_code = EXIT_REFUSED
            if opts.strict:
                return
        publishable = [f.used for f in fates if f.state in (PUBLISH, KEPT)]
        for r in [r for r in publishable if not _organisation_named(r, site, spilled)]:
            publishable.remove(r)
            _refuse_result(report, r)
            report.exit_code = EXIT_REFUSED
        withdrawn = [f.current for f in fates if f.state == WITHDRAWN and f.current.withdrawal is not None]
        unavailable = [page for f in fates if f.state == OFFLINE for page in [unavailable_page(f)] if page]
        t0 = time.perf_counter()
        # Issue 19: the PDF results of the decisions to publish wait on disk for the site phases (those validated in
        # this run are there already; a version kept from the archive is written now).
        for r in publishable:
            spilled.spill(r)
            spilled.spill_decision(r)
            r.cached = None  # validation is done with its entry
        inspector.forget_expected()  # each published file carries its own now (PublishedFile.expected_sha256)
        while True:
            try:
                _write_site(opts, site, publishable, withdrawn, inspector, report, today, unavailable, spilled)
                break
            except PackageFailed as failed:  # refuse that package; the others are published without it
                r = next(r for r in publishable if r.name == failed.name)
                refuse_unexpected(r, failed.exc, failed.step)
                publishable.remove(r)
                _refuse_result(report, r)
                report.exit_code = EXIT_REFUSED
                if opts.strict:
                    return
        report.timings["site"] = time.perf_counter() - t0
        preview = _preview(opts, archive, today) if report.written else ""
        if preview:
            report.warnings.append(
                {
                    "package": "",
                    "file": "",
                    "location": "archief",
                    "message": f"proefbuild ({preview}): het archief ({archive.root}) is niet bijgewerkt, dus wat deze build "
                    "toont, telt later niet als gepubliceerd.",
                    "fix": "Niets te doen voor een proef. Zie docs/beheer.md, 'Proefbuilds'.",
                    "code": "archief.proefbuild",
                    "severity": "waarschuwing",
                }
            )
        elif report.written:
            archive.claim_output(opts.out)
            # Only what really went out (the script check may still have refused a package).
            try:
                archive_published(
                    [f for f in fates if f.state != PUBLISH or any(f.used is r for r in publishable)],
                    archive,
                    today,
                    spilled.result if spilled is not None else None,
                )
            except (Exception, RecursionError) as exc:
                if isinstance(exc, OSError):
                    raise
                log_unexpected("(archief)", exc, "het bijwerken van het archief")
                report.warnings.append(
                    {
                        "package": "",
                        "file": "",
                        "location": "",
                        "code": "archief.onverwacht",
                        "message": f"het archief kon niet bijgewerkt worden ({type(exc).__name__}); de site is wel geschreven.",
                        "fix": "Meld het aan de beheerder van de site met de foutregel uit het logboek.",
                        "severity": "waarschuwing",
                    }
                )
    finally:
        if unpacked is not None:
            shutil.rmtree(unpacked, ignore_errors=True)
        if spilled is not None:
            _release_issued(inspector.cache, spilled)
            spilled.close()
    if not report.written:
        return
    kept = {f.name for f in fates if f.state == KEPT}
    for r in sorted(publishable, key=lambda r: r.decision.kenmerk):
        report.published.append(
            {
                "package": r.name,
                "kenmerk": r.decision.kenmerk,
                "url": site.base_url + urls.publication(r.decision.slug, r.decision.kind.url_prefix),
                "versie": "eerder goedgekeurd" if r.name in kept else "huidig",
                "inventory_rows": _inventory_rows(r.decision),
            }
        )
        for nr, change in sorted(withdrawn_documents(r.history).items(), key=lambda item: natural_key(item[0])):
            report.withdrawn_documents.append(
                {
                    "package": r.name,
                    "kenmerk": r.decision.kenmerk,
                    "document": nr,
                    "ingetrokken_op": change.date.isoformat(),
                    "reden": change.reason,
                }
            )


def _compact_issued(cache: Cache, spilled: SpilledPdfs | None = None) -> None:
    """Issue 19 (mem12): the keys of the page texts this process hands out for ``cache`` (``pdfs.CachedTexts._issued``,
    one a PDF of the archive) held as 32 bytes each (``compact.IssuedKeys``) instead of a set of str. Put in place here,
    not in pdfs.py: that file's text is part of the PDF code version (a change there has every PDF inspected again).
    mem22: with ``spilled``, the keys handed out from now on are written to its file, not held (``IssuedKeys.keep_in``),
    until ``_release_issued``."""
    from .compact import IssuedKeys
    from .pdfs import CachedTexts

    root = str(cache.root)
    found = CachedTexts._issued.get(root)
    issued = found if isinstance(found, IssuedKeys) else IssuedKeys(found or ())
    CachedTexts._issued[root] = issued  # type: ignore[assignment]  # a set's add, iteration and |
    if spilled is not None:
        issued.keep_in(spilled._write, spilled._read)


def _release_issued(cache: Cache, spilled: SpilledPdfs) -> None:
    """mem22: before ``spilled``'s file is closed, the keys this build handed out into it are let go: nothing of the build
    reads a page text after it, and the next build hands out its own (``_compact_issued``)."""
    from .pdfs import CachedTexts

    issued = CachedTexts._issued.get(str(cache.root))
    if getattr(issued, "_write", None) == spilled._write:
        del CachedTexts._issued[str(cache.root)]


def _inventory_rows(d) -> int:
    from .model import SpilledDecision

    return d.inventory_rows if isinstance(d, SpilledDecision) else len(d.inventory)


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sort_fates(fates: list, report: BuildReport) -> None:
    """Every package into the report: refusals name what is wrong, and whether an earlier version stays online."""
    for f in fates:
        r = f.current
        if f.state == WITHDRAWN:
            w = r.withdrawal or (f.archived.withdrawal if f.archived else None)
            report.withdrawn.append(
                {"package": r.name, "kenmerk": f.kenmerk, "ingetrokken_op": w.date.isoformat(), "reden": w.reason}
            )
            missing = [
                p.to_dict()
                for p in r.problems
                if p.code in ("wijzigingen.intrekking_ontbreekt", "wijzigingen.reden_persoonsgegeven")
            ]
            if missing:
                report.refused.append({"package": r.name, "kenmerk": f.kenmerk, "problems": missing, "online": "ingetrokken"})
            continue
        for p in summarise([p for p in r.problems if not p.is_error]):
            report.warnings.append(p.to_dict())
        if r.problems.has_errors:
            item = {
                "package": r.name,
                "kenmerk": r.decision.kenmerk if r.decision else None,
                "problems": [p.to_dict() for p in summarise([p for p in r.problems if p.is_error])],
            }
            if f.state == KEPT:
                item["online"] = "eerder goedgekeurde versie"
                report.kept.append(
                    {
                        "package": r.name,
                        "kenmerk": f.used.decision.kenmerk,
                        "gearchiveerd_op": f.archived_on,
                        "reden": why(f),
                        "problems": item["problems"],
                    }
                )
            elif f.state == OFFLINE:
                item["online"] = "niet meer: neutrale melding"
                report.offline.append(
                    {
                        "package": r.name,
                        "kenmerk": f.kenmerk or None,
                        "reden": why(f),
                        "problems": [p.to_dict() for p in f.archived.problems if p.is_error],
                    }
                )
            report.refused.append(item)
        elif f.state == EMBARGO:
            report.embargoed.append(
                {"package": r.name, "kenmerk": r.decision.kenmerk, "publicatie_datum": r.decision.publication_date.isoformat()}
            )


def _organisation_named(r: PackageResult, site, spilled: SpilledPdfs | None = None) -> bool:
    """The public reads an organisation's name, never its TOOI identifier: a package that gives 'organisatie' as a
    TOOI code or URI shows the name the site gives it (extra.woo.organisaties, or extra.woo.organisatie for
    extra.woo.tooi); the identifier stays in the machine-readable data. An identifier the site does not name
    refuses the package."""
    from .tooi import organisation_name

    names = dict(site.organisation_tooi)
    if site.tooi and site.organisation:
        names.setdefault(site.organisation, site.tooi)
    name = organisation_name(r.decision.organisation, names)
    if name is not None:
        if spilled is not None and name != r.decision.organisation:
            spilled.change_decision(r, lambda d: setattr(d, "organisation", name))  # its model on disk (issue 19)
        else:
            r.decision.organisation = name
        return True
    r.problems.error(
        "besluit.md",
        "organisatie",
        f"'{r.decision.organisation}' is een TOOI-code; op de site hoort de naam van de organisatie, en de site kent "
        "de naam bij deze code niet.",
        "Vul bij 'organisatie' de naam in (bijvoorbeeld 'Gemeente Amsterdam'), of laat de beheerder de naam met de "
        "TOOI-URI opnemen onder extra.woo.organisaties in mkdocs.yml (Naam: https://identifier.overheid.nl/tooi/id/...).",
        "veld.organisatie_tooi",
    )
    return False


def _refuse_result(report: BuildReport, r: PackageResult) -> None:
    report.refused.append(
        {
            "package": r.name,
            "kenmerk": r.decision.kenmerk if r.decision else None,
            "problems": [p.to_dict() for p in summarise([p for p in r.problems if p.is_error])],
        }
    )


def _raw_kenmerk(folder: Path) -> str | None:
    """The kenmerk of a withdrawn package whose other metadata may no longer be valid."""
    from .limits import DEFAULT_LIMITS
    from .slugs import slugify
    from .yamlsafe import load_front_matter

    try:
        meta = folder / "besluit.md"
        if meta.stat().st_size > DEFAULT_LIMITS.yaml_bytes:
            return None
        value = load_front_matter(meta.read_text(encoding="utf-8-sig")).metadata.get("kenmerk")
    except (Exception, RecursionError):  # noqa: BLE001 - an unreadable package simply has no withdrawal page
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool) or len(slugify(str(value))) > DEFAULT_LIMITS.field_chars:
        return None
    return str(value).strip() or None


def _raw_prefix(folder: Path) -> str:
    """The URL prefix of a withdrawn package whose metadata may no longer be valid (its type if readable)."""
    from .limits import DEFAULT_LIMITS
    from .types import REGISTRY, get
    from .yamlsafe import load_front_matter

    try:
        meta = folder / "besluit.md"
        value = None
        if meta.stat().st_size <= DEFAULT_LIMITS.yaml_bytes:
            value = load_front_matter(meta.read_text(encoding="utf-8-sig")).metadata.get("type")
    except (Exception, RecursionError):  # noqa: BLE001 - unreadable: the default type
        value = None
    return get(value if isinstance(value, str) and value in REGISTRY else None).url_prefix


def _temp_prefix(out: Path) -> str:
    """Temporary folders are named after their output, so a build only ever removes its own."""
    return f"{TEMP_PREFIX}{hashlib.sha256(os.fsencode(out.name)).hexdigest()[:16]}-"


def _cleanup_stale(parent: Path, out: Path) -> None:
    """Temporary directories of earlier builds into the same output that were killed before they could
    clean up. Runs under the output's lock, so none of them belongs to a running build; builds into
    other outputs in the same parent keep theirs."""
    for stale in parent.glob(_temp_prefix(out) + "*"):
        shutil.rmtree(stale, ignore_errors=True)


def _write_site(
    opts: BuildOptions,
    site: SiteConfig,
    publishable: list[PackageResult],
    withdrawn: list[PackageResult],
    inspector: PdfInspector,
    report: BuildReport,
    today: dt.date,
    unavailable: Sequence[dict] = (),
    spilled: SpilledPdfs | None = None,
) -> None:
    import fcntl

    out = opts.out.resolve()
    parent = out.parent
    parent.mkdir(parents=True, exist_ok=True)
    # The lock file stays in place: removing it would let a waiting build lock a file that is gone
    # while a third build creates and locks a new one.
    lock_path = parent / f".{out.name}.woo-lock"
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _cleanup_stale(parent, out)
        removal = Removal()  # issue 19: what the build no longer needs is removed while it goes on
        # A SIGTERM is held while the temporary folder is made and again while it is removed: one that arrived between
        # ``mkdir`` and the assignment would leave the folder behind (and one during the clean-up half of it).
        _hold_sigterm()
        try:
            work = Path(tempfile.mkdtemp(prefix=_temp_prefix(out), dir=parent))
        except BaseException:
            _release_sigterm()
            raise
        try:
            _release_sigterm()  # inside the ``try``: a SIGTERM held until now raises where ``finally`` removes the folder
            new_site = work / "site"
            sources = work / "site_src"
            packages = _Packages({r.name: r for r in [*publishable, *withdrawn]}, spilled)
            cache = inspector.cache
            reuse = LiveReuse(cache, out)
            used_pages = KeySet()  # render keys of the streamed pages (issue 19: 32 bytes each, compact.KeySet)
            used_sources = KeySet()  # page-cache keys of the decisions' generated pages (publish/pagecache.py)
            while True:
                # Until no page carries script markup from a package: each round refuses the packages it
                # comes from and builds the pages again without them.
                shutil.rmtree(sources, ignore_errors=True)
                shutil.rmtree(new_site, ignore_errors=True)
                shutil.rmtree(work / "files", ignore_errors=True)
                shutil.rmtree(work / "downloads", ignore_errors=True)
                reuse.restart()
                t0 = time.perf_counter()
                views = _summaries(publishable, inspector, spilled)
                names = {r.decision.slug: r.name for r in publishable}
                _lap(report, "site_views", t0)
                t0 = time.perf_counter()
                staged = StagedFiles()
                _stage_files(views, names, work / "files", out, inspector, reuse, staged)
                _lap(report, "site_pdfs", t0)
                gone = _withdrawn_pages(withdrawn)
                places = _withdrawn_places(withdrawn, today)
                t0 = time.perf_counter()
                fragments = Fragments(cache)
                downloads = _downloads(site, views, names, work / "downloads", cache, reuse, report.site, fragments, staged)
                _lap(report, "site_downloads", t0)
                shutil.rmtree(work / "generated", ignore_errors=True)
                t0 = time.perf_counter()
                pages, static, skipped, check, streamed = _write_sources(
                    site,
                    views,
                    sources,
                    downloads,
                    gone,
                    unavailable,
                    packages,
                    work / "generated",
                    reuse,
                    cache,
                    report.site,
                    used_sources,
                    places,
                )
                _lap(report, "site_paginas", t0)
                if not check.blamed:
                    t0 = time.perf_counter()
                    stream = _run_mkdocs(site, sources, new_site, views, streamed, cache, reuse)
                    _lap(report, "mkdocs", t0)
                    if stream is not None:
                        report.site["paginas_gerenderd"] = report.site.get("paginas_gerenderd", 0) + stream.rendered
                        report.site["paginas_uit_cache"] = report.site.get("paginas_uit_cache", 0) + stream.from_cache
                        linked, remade = stream.groups_linked, stream.groups_remade  # pages19
                        report.site["besluiten_paginas_gekoppeld"] = report.site.get("besluiten_paginas_gekoppeld", 0) + linked
                        report.site["besluiten_paginas_groep_opnieuw"] = (
                            report.site.get("besluiten_paginas_groep_opnieuw", 0) + remade
                        )
                        used_pages |= stream.used
                    # pages19: a decision left to its group record and made after all (in mkdocs) may have put script
                    # markup on a page: its package is refused as before, without checking the built site first.
                    if not check.blamed:
                        t0 = time.perf_counter()
                        check = check_site(site, new_site, pages, static, packages, stream.clean if stream is not None else ())
                        _lap(report, "scriptcontrole", t0)
                    stream = None  # issue 19 (mem12): its keys are in used_pages; the pages it found clean are checked
                if check.unattributed:
                    report.error = (
                        "de site bevat scriptcode die niet gepubliceerd mag worden; er is niets geschreven:\n"
                        + "\n".join(check.unattributed)
                    )
                    report.exit_code = EXIT_FAILURE
                    return
                if not check.blamed:
                    break
                _refuse(check.blamed, publishable, withdrawn, report)
                if opts.strict:
                    return
            for path in skipped:
                report.warnings.append(
                    {
                        "package": "",
                        "file": preview(path, 200),
                        "location": "",
                        "message": "dit Markdown-bestand staat niet in nav of not_in_nav van mkdocs.yml en wordt niet gepubliceerd.",
                        "fix": "Zet de pagina in nav (of in not_in_nav als ze buiten het menu moet blijven), of haal het bestand weg.",
                        "code": "pagina.niet_bedoeld",
                        "severity": "waarschuwing",
                    }
                )
            if opts.keep_sources:
                shutil.rmtree(opts.keep_sources, ignore_errors=True)
                shutil.copytree(sources, opts.keep_sources)
                if streamed is not None:
                    streamed.materialise(opts.keep_sources)
            removal.start(sources, work / "generated")  # mkdocs and the checks are done with them
            # Issue 19 (mem12): what the pages and the script check held per page and per decision is let go before the
            # phases over the whole archive that follow (metadata, search index); the places of the staged PDFs and the
            # downloads once they are moved into the site.
            del pages, streamed
            t0 = time.perf_counter()
            _add_files(views, names, new_site, staged)
            _add_redirects(views, new_site, site.base_url)
            staged.clear()
            names.clear()
            for path in downloads:
                (new_site / path).parent.mkdir(parents=True, exist_ok=True)
                os.replace(work / "downloads" / path, new_site / path)
            downloads.clear()
            _add_metadata_files(
                site,
                views,
                new_site,
                report,
                _diwoo_withdrawn(views, withdrawn, today),
                cache,
                reuse,
                fragments,
                opts.sitemap_limits,
            )
            _lap(report, "site_metadata", t0)
            t0 = time.perf_counter()
            _add_search_index(views, new_site, cache, work, reuse, fragments)
            _lap(report, "zoekindex", t0)
            _add_security_headers(new_site, check.script_hashes)
            t0 = time.perf_counter()
            report.site["bestanden_tijd_behouden"] = keep_unchanged_times(new_site, out)  # issue 19: a sync skips them
            _lap(report, "site_tijden", t0)
            t0 = time.perf_counter()
            # The previous site is removed before the record of the new one is saved, never beside it: removing its hard
            # links to the files the new site shares changes those files' change time (ctime), which the record holds.
            swap_in(new_site, out, work / "old")
            report.written = True
            report.site["bestanden_hergebruikt"] = reuse.linked
            report.site["bytes_hergebruikt"] = reuse.linked_bytes
            _save_incremental(cache, reuse, used_pages, report, used_sources, fragments.used)
            _lap(report, "site_wissel", t0)
        finally:
            _hold_sigterm()
            try:
                removal.wait()
                shutil.rmtree(work, ignore_errors=True)
            finally:
                _release_sigterm()


class _Packages(dict):
    """The packages by folder name, for the script check's attribution (``scriptcheck.PackageTexts``): ``get`` gives
    a package with its whole decision model, loaded from ``spilled`` for that one package (issue 19)."""

    def __init__(self, packages: dict[str, PackageResult], spilled: SpilledPdfs | None):
        super().__init__(packages)
        self.spilled = spilled

    def get(self, name, default=None):
        r = super().get(name, default)
        return self.spilled.result(r) if self.spilled is not None and isinstance(r, PackageResult) else r


class SpilledPdfs:
    """Issue 19: the PDF results of the publishable decisions (``PackageResult.pdfs``, about 20 KB a decision), kept
    on disk between validation and the site phases and read back per decision when its full view is made
    (``_summaries``): what a view needs of each PDF (SHA-256, pages, size of the published copy, and its page texts
    as the reference into the inspection cache, or the texts themselves when they are not there), one JSON line per
    decision in an anonymous temporary file beside the output (unlinked when made: nobody else can open it, and it
    is gone with the process, also after a SIGTERM or a crash). Only the byte offsets stay in memory.

    The decision model with its inventory (``PackageResult.decision``, about 24 KB a decision) waits in the same file
    (``spill_decision``), as the validation cache encodes it (``validationcache._Codec``: a fixed list of model
    classes, paths relative to the package folder); in memory only a ``model.SpilledDecision`` stays (folder, name,
    type, kenmerk, number of rows). A full view loads it back (``decision``), and so do the script check and the
    archive for one decision at a time (``result``).

    Since mem10 the file is made before validation and ``evaluate(spill=...)`` writes to it: every package's model as
    soon as it is read, each PDF's whole result as the inspector knows it (``inspected``), a validation-cache entry's
    body until it is written (``park``), and a package's PDF results once its checks are done, so the validation phase
    too holds one package at a time. The locations of the models are kept on their stand-ins (``SpilledDecision.at``),
    those of the PDF results per package name."""

    def __init__(self, cache: Cache, out: Path):
        out.parent.mkdir(parents=True, exist_ok=True)
        self.cache = cache
        self.where: dict[str, tuple[int, int]] = {}
        self.done: set[int] = set()  # id() of the results whose PDF results are written (``spill``)
        self.pdf_count = 0  # PDF results written (``report.pdfs_checked``)
        # mem22: the values many decisions have alike (organisation, type, dates, grounds), held once by the stand-ins
        # and the summaries (``compact.Shared``).
        self.shared = Shared()
        # Where the file system cannot make a file without a name, it is made with one and unlinked right away: a
        # SIGTERM is held in between, so none is left behind.
        _hold_sigterm()
        try:
            self.file = tempfile.TemporaryFile(dir=out.parent, prefix=_temp_prefix(out) + "pdfs-")
        finally:
            _release_sigterm()

    def _write(self, data: bytes) -> tuple[int, int]:
        self.file.seek(0, os.SEEK_END)
        place = (self.file.tell(), len(data))
        self.file.write(data)
        return place

    def _read(self, place: tuple[int, int]) -> bytes:
        self.file.seek(place[0])
        return self.file.read(place[1])

    def spill(self, r: PackageResult) -> None:
        """Write ``r``'s PDF results to the file and let go of them in memory (once: a result spilled during
        validation, ``evaluate(spill=...)``, is not written again)."""
        from .pdfs import CachedTexts

        if id(r) in self.done:
            return
        record = {}
        for path, res in r.pdfs.items():
            texts = res.texts
            kept = ["c", *texts.identity()] if isinstance(texts, CachedTexts) else ["l", list(texts)]
            record[os.fspath(path)] = [res.sha256, res.ok, res.pages, res.published_size, res.published_sha256, kept]
        data = json.dumps(record, separators=(",", ":")).encode("ascii") + b"\n"  # ASCII: any path, any text
        self.where[r.name] = self._write(data)
        self.done.add(id(r))
        self.pdf_count += len(r.pdfs)
        r.pdfs = {}

    def load(self, r: PackageResult) -> dict:
        """``r``'s PDF results as they were spilled (``r.pdfs`` when they were not)."""
        from .pdfs import CachedTexts, PdfResult

        place = self.where.get(r.name)
        if place is None or id(r) not in self.done:
            return r.pdfs
        record = json.loads(self._read(place))
        pdfs = {}
        for path, (sha, ok, pages, size, published_sha, kept) in record.items():
            texts = CachedTexts(self.cache, kept[1], kept[2], kept[3]) if kept[0] == "c" else kept[1]
            res = pdfs[Path(path)] = PdfResult(
                sha256=sha, ok=ok, pages=pages, published_size=size, published_sha256=published_sha
            )
            res.texts = texts  # type: ignore[assignment]  # CachedTexts: a sequence of str, as in PdfInspector
        return pdfs

    def inspected(self) -> _InspectedOnDisk:
        """Where ``PdfInspector.inspect_all`` puts every PDF's whole result during validation (issue 19, mem10)."""
        return _InspectedOnDisk(self)

    def park(self, text: str) -> tuple[int, int]:
        """Keep a text in the file (a validation-cache entry's body while the PDFs are read); ``unpark`` gives it back."""
        return self._write(text.encode("utf-8", "surrogatepass"))

    def unpark(self, place: tuple[int, int]) -> str:
        return self._read(place).decode("utf-8", "surrogatepass")

    def spill_decision(self, r: PackageResult, entry_done: bool = True, encoded=None) -> None:
        """Write ``r``'s decision model to the file and keep only its ``SpilledDecision`` (a model the encoding does
        not take stays in memory as it is). Its validation-cache entry, which holds the same model, is let go
        (``entry_done``; during validation, ``evaluate(spill=...)``, only the model in it is). ``encoded``: the model
        as ``_Codec`` encodes it, when the caller has it (a validation-cache hit: issue 19)."""
        from .model import Decision, SpilledDecision
        from .validationcache import Uncacheable, _Codec

        d = r.decision
        if type(d) is not Decision:
            return
        try:
            encoded = _Codec(d.folder).encode(d) if encoded is None else encoded
        except (Uncacheable, RecursionError):
            return
        data = json.dumps(encoded, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"
        r.decision = SpilledDecision(d, self._write(data), self.shared)  # type: ignore[assignment]  # see model.SpilledDecision
        if entry_done:
            r.cached = None  # validation is done with it (``ValidationCache.finish``); on a hit it holds the model too
        elif r.cached is not None:
            r.cached.decision = None

    def decision(self, r: PackageResult):
        """``r``'s whole decision model (``r.decision`` when it was not spilled)."""
        from .model import Decision, SpilledDecision
        from .validationcache import _Codec

        stand_in = r.decision
        if not isinstance(stand_in, SpilledDecision):
            return stand_in
        d = _Codec(stand_in.folder).decode(json.loads(self._read(stand_in.at)))
        if type(d) is not Decision:  # only this process writes the file: never expected
            raise ValueError(f"het besluit van {r.name} kwam niet terug uit het tijdelijke bestand")
        return d

    def change_decision(self, r: PackageResult, change) -> None:
        """``change(model)`` applied to ``r``'s model, on disk when it waits there (written anew), else in memory."""
        from .model import SpilledDecision

        if not isinstance(r.decision, SpilledDecision):
            change(r.decision)
            return
        r.decision = self.decision(r)
        change(r.decision)
        self.spill_decision(r, entry_done=False)

    def result(self, r: PackageResult) -> PackageResult:
        """``r`` with its whole decision model, for one consumer and one decision at a time (``r`` itself when its
        model was not spilled); its PDF results stay spilled (``load``)."""
        from .model import SpilledDecision

        if not isinstance(r.decision, SpilledDecision):
            return r
        return dataclasses.replace(r, decision=self.decision(r))

    def close(self) -> None:
        self.file.close()


class _InspectedOnDisk:
    """``PdfInspector.inspect_all``'s results in a ``SpilledPdfs`` file, one JSON line per PDF (every field of the
    ``PdfResult``; page texts as their reference into the inspection cache), read back per package and forgotten
    once its package is done (``pop``): the validation phase holds offsets, not the results of the archive."""

    def __init__(self, owner: SpilledPdfs):
        self.owner = owner
        self.where: dict[str, tuple[int, int]] = {}

    def __len__(self) -> int:
        return len(self.where)

    def __setitem__(self, path, res) -> None:
        from .pdfs import CachedTexts

        texts = res.texts
        kept = ["c", *texts.identity()] if isinstance(texts, CachedTexts) else ["l", list(texts)]
        fields = [res.sha256, res.ok, res.pages, kept, res.error, res.error_code, res.published_size]
        fields += [res.published_sha256, res.findings, res.from_cache]
        data = json.dumps(fields, separators=(",", ":")).encode("ascii") + b"\n"
        self.where[os.fspath(path)] = self.owner._write(data)

    def __getitem__(self, path):
        from .pdfs import CachedTexts, PdfResult

        sha, ok, pages, kept, error, code, size, published_sha, findings, from_cache = json.loads(
            self.owner._read(self.where[os.fspath(path)])
        )
        res = PdfResult(sha, ok, pages, [], error, code, size, published_sha, findings, from_cache)
        res.texts = CachedTexts(self.owner.cache, kept[1], kept[2], kept[3]) if kept[0] == "c" else kept[1]
        return res

    def pop(self, path, default=None):
        return self.where.pop(os.fspath(path), default)


def _summaries(publishable: list[PackageResult], inspector: PdfInspector, spilled: SpilledPdfs | None = None) -> Views:
    """Issue 19: each publishable decision as a compact summary, newest first (as ``build_views`` sorts), and
    its full view made again from its validation result when a phase needs it (``Views.full``), then let go:
    the full views of the whole archive are never held together. ``Views.staged``: once the PDFs are staged
    (``_stage_files``), the folder a view's files point into."""
    from .pagecache import fingerprint_or_empty, remember_fingerprint

    results = {r.decision.slug: r for r in publishable}

    def view_of(r: PackageResult, copies=inspector.published_copy) -> DecisionView:
        pdfs, decision = (spilled.load(r), spilled.decision(r)) if spilled is not None else (r.pdfs, r.decision)
        return build_views([decision], pdfs, copies, {decision.slug: r.history})[0]

    def not_needed(sha: str) -> str:
        return ""  # once staged, a view's files point at the staged copies (below): no path into the cache is made

    # mem22: values many decisions have alike held once (``compact.Shared``, the stand-ins' table when they have one),
    # and the name, kenmerk and slug the stand-in holds already.
    shared = spilled.shared if spilled is not None else Shared()
    summaries = []
    for r in publishable:  # one package at a time, so a failure names its package
        with _for_package(r.name, "het opbouwen van de pagina's"):
            view = view_of(r)
            summaries.append(DecisionSummary(view, fingerprint_or_empty(view), shared, r.decision))
    summaries.sort(key=lambda v: (-v.decision.decision_date.toordinal(), v.decision.kenmerk))

    def full(summary: DecisionSummary) -> DecisionView:
        staged = views.staged
        view = view_of(results[summary.decision.slug], inspector.published_copy if staged is None else not_needed)
        remember_fingerprint(view, summary.view_print)
        if staged is not None:
            root = os.fspath(staged)
            for f in view.files:
                f.source = os.path.join(root, f.url)  # issue 19: a str; warm10: no Path made per file
        return view

    views = Views(summaries, full)
    return views


def _lap(report: BuildReport, name: str, t0: float) -> None:
    """The time of a phase, and (issue 19) its CPU seconds and the peak resident memory of this process during it."""
    report.timings[name] = report.timings.get(name, 0.0) + time.perf_counter() - t0
    # CPU seconds of this process since the previous phase ended (the short steps between phases count with the
    # next phase): on a shared machine the wall times above grow with the load, these do not.
    cpu = time.process_time()
    report.cpu[name] = report.cpu.get(name, 0.0) + cpu - report.cpu_mark
    report.cpu_mark = cpu
    peak = _peak_rss_mib()
    if peak is not None:
        report.memory[name] = max(report.memory.get(name, 0.0), peak)


def _peak_rss_mib() -> float | None:
    """This process's resident high-water mark (Linux: VmHWM) since the previous call, in MiB, and reset, so
    each phase gets its own peak (the benchmarks show where memory goes); None where /proc does not tell. The
    free memory of the C heap is handed back in between (``release_free_memory``), so the next phase's peak is its
    own and not what the phases before it left resident."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, ValueError, StopIteration, IndexError):
        release_free_memory()
        return None
    release_free_memory()
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")  # resets VmHWM to the current resident size
    except (OSError, ValueError, StopIteration, IndexError):
        return None
    return kib / 1024


def _save_incremental(
    cache: Cache,
    reuse: LiveReuse,
    used_pages: KeySet | set[str],
    report: BuildReport,
    used_sources: KeySet | set[str] | None = None,
    used_fragments: KeySet | set[str] | None = None,
) -> None:
    """After the swap: record the live site's reusable files and prune what this build did not use.
    The site is written by then: a failure here costs the next build time, never the site."""
    from .pagecache import FRAGMENT_KIND, SET_KIND, SOURCE_KIND

    try:
        reuse.save()
        cache.prune("pagina", used_pages)
        cache.prune("download", reuse.used_downloads)
        if used_sources is not None:
            cache.prune(SOURCE_KIND, used_sources)
        if used_fragments is not None:
            cache.prune(FRAGMENT_KIND, used_fragments)
            cache.prune(SET_KIND, used_fragments)
    except OSError as exc:
        log_unexpected("(cache)", exc, "het bijwerken van de bouwcache")


class _for_package:
    """Turns any failure inside the block into ``PackageFailed`` for package ``name``, except for the
    output's own failures (disk full, no permission), which are nobody's package's fault."""

    _OUTPUT_ERRNOS = {28, 122, 13, 1, 30, 5}  # ENOSPC, EDQUOT, EACCES, EPERM, EROFS, EIO

    def __init__(self, name: str, step: str):
        self.name, self.step = name, step

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if (
            exc is None
            or isinstance(exc, (PackageFailed, _Terminated))
            or not isinstance(exc, (Exception, RecursionError, MemoryError))
        ):
            return False
        if isinstance(exc, OSError) and exc.errno in self._OUTPUT_ERRNOS:
            return False
        raise PackageFailed(self.name, exc, self.step) from exc


class DamagedCopy(Exception):
    def __init__(self, path: Path):
        super().__init__(f"damaged cache entry {path}")
        self.dutch = "de gepubliceerde kopie van een pdf in de cache bleek beschadigd; hij is verwijderd en wordt bij de volgende build opnieuw gemaakt."


def _copy_verified(source: Path, target: Path, expected: str) -> None:
    """Copy ``source`` to ``target``, checking the SHA-256 of what was copied: a cache entry that was
    damaged after it was checked is never published."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with open(source, "rb") as src, open(target, "wb") as dst:
        for block in iter(lambda: src.read(1 << 20), b""):
            digest.update(block)
            dst.write(block)
    if expected and digest.hexdigest() != expected:
        target.unlink()
        try:
            source.unlink()  # so the next build recomputes it
        except OSError:
            pass
        raise DamagedCopy(source)


class StagedFiles:
    """Issue 19 (mem19): what staging the PDFs (``_stage_files``) leaves per decision, by its slug, for the downloads and
    for moving the files into the site (``_add_files``): the places of its staged PDFs in the site, in order, in one str
    (the folder they share once, then each place's rest), and the key of its ZIP of documents (``key_of("zip", ...)``
    over those places and their SHA-256; "" when a SHA-256 is unknown or nothing is reused). Until mem19 this was a
    list of str per decision and beside it a dict of the SHA-256 of every PDF of the archive by its place, held from
    staging to the metadata phase: about 8 KB a decision of 25 documents (some 65 MiB at 10,000 decisions); now under
    2 KB (``tests/test_view_summaries.py``). A place never holds a NUL (file names in the site are slugs), so NUL
    joins them."""

    __slots__ = ("_places", "_zip")

    def __init__(self):
        self._places: dict[str, str] = {}
        self._zip: dict[str, str] = {}

    def add(self, slug: str, places: list[str], zip_key: str) -> None:
        if any("\0" in place for place in places):
            raise ValueError(f"een plaats in de site bevat een NUL-teken: {places!r}")
        # The folder the places share (a decision's files are in its own), once; then each place's rest.
        shared = os.path.commonprefix(places)[: os.path.commonprefix(places).rfind("/") + 1] if places else ""
        self._places[slug] = "\0".join([shared, *(place[len(shared) :] for place in places)])
        self._zip[slug] = zip_key

    def get(self, slug: str, default=None) -> list[str] | None:
        """The decision's staged places in order (a new list each time), ``default`` when it was not staged."""
        joined = self._places.get(slug)
        if joined is None:
            return default
        shared, *rests = joined.split("\0")
        return [shared + rest for rest in rests]

    def zip_key(self, slug: str) -> str:
        return self._zip.get(slug, "")

    def __contains__(self, slug: object) -> bool:
        return slug in self._places

    def __len__(self) -> int:
        return len(self._places)

    def clear(self) -> None:
        self._places.clear()
        self._zip.clear()


def _zip_key(published: str, places: list[str], hashes: dict[str, str]) -> str:
    """The key of a decision's ZIP of documents in the live-site record: its publication date and every document's place
    and SHA-256; "" when a SHA-256 is unknown (the ZIP is then made again)."""
    from .incremental import key_of

    files = sorted((place, hashes.get(place, "")) for place in places)
    return key_of("zip", published, files) if all(h for _, h in files) else ""


def _stage_files(
    views,
    names: dict[str, str],
    staging: Path,
    live: Path,
    inspector: PdfInspector,
    reuse: LiveReuse | None = None,
    staged: StagedFiles | None = None,
) -> None:
    """Copy every published PDF out of the cache, verified, into the build's own folder; from then on
    the views point at these copies (for the ZIPs and the site). The site never shares storage with
    the cache. A file the live site already has with the same content keeps its modification time,
    so a sync to the web server (rsync) skips it; with ``reuse`` (issue 19) a live file the previous
    build recorded with this SHA-256 and that was not touched since is linked, not copied again.
    ``staged`` gets each decision's staged files by its slug (their places in the site, for ``_add_files``: no full
    view made again) and the key of its ZIP of documents (``_downloads``; "" without ``reuse``)."""
    from .cache import file_sha256

    full = full_views(views)
    for item in views:
        with _for_package(names[item.decision.slug], "het kopiëren van de pdf's"):
            v = full(item)
            hashes: dict[str, str] = {}  # issue 19 (mem19): this decision's only, let go after it
            for f in v.files:
                target = staging / f.url
                expected = f.expected_sha256 or inspector.expected_sha256(f.source)
                hashes[f.url] = expected
                if reuse is not None and expected and reuse.link(f.url, f"pdf:{expected}", target):
                    f.source = os.fspath(target)  # issue 19: a str (a third of a Path's memory), one per PDF of the archive
                    continue
                _copy_verified(f.source, target, expected)
                before = live / f.url
                try:
                    old = before.stat()
                    same = old.st_size == target.stat().st_size and file_sha256(before) == expected
                except OSError:
                    same = False
                if same:
                    os.utime(target, ns=(old.st_atime_ns, old.st_mtime_ns))
                else:
                    src = os.stat(f.source)
                    os.utime(target, ns=(src.st_atime_ns, src.st_mtime_ns))
                f.source = os.fspath(target)
                if reuse is not None and expected:
                    reuse.record(f.url, f"pdf:{expected}")
            if staged is not None:
                places = [f.url for f in v.files]
                published = v.decision.publication_date.isoformat()
                staged.add(item.decision.slug, places, _zip_key(published, places, hashes) if reuse is not None else "")
    if isinstance(views, Views):
        views.staged = staging  # views made from now on point at the staged copies


def _downloads(
    site: SiteConfig,
    views,
    names: dict[str, str],
    target: Path,
    cache: Cache | None = None,
    reuse: LiveReuse | None = None,
    stats: dict[str, int] | None = None,
    fragments=None,
    staged: StagedFiles | None = None,
) -> dict[str, int]:
    """Per decision the inventory as CSV and XLSX and a ZIP of its documents; site-wide open data.
    Each file is written to ``target`` as soon as it is made (issue 19: nothing of the whole archive is
    held at once); returns their sizes by their place in the site. Issue 19, warm rebuilds: a file whose
    inputs did not change is linked from the live site (``reuse``) or, for the Excel inventory, taken
    from the cache; the keys hold every input (the rows, the publication date, the PDFs' SHA-256).

    Warm12: a decision's inventory files (JSON, CSV, XLSX) are functions of its view, the site's base URL and the code
    alone, so their record in the live site is keyed by the view's fingerprint (``DecisionSummary.view_print``, the key
    of the page cache too) and the ZIP's by its documents' places (``staged``, from ``_stage_files``) and SHA-256: when
    all of them link, no full view is made and nothing is rendered for the decision."""
    from .incremental import key_of
    from .opendata import atom_feed, inventory_csv, inventory_rows, inventory_xlsx, write_documents_zip
    from .pages import inventory_json

    sizes: dict[str, int] = {}
    stats = stats if stats is not None else {}

    def count(name: str) -> None:
        stats[name] = stats.get(name, 0) + 1

    def put(path: str, data: bytes, key: str = "") -> None:
        key = key or "sha256:" + hashlib.sha256(data).hexdigest()
        sizes[path] = len(data)
        if reuse is not None and reuse.link(path, key, target / path):
            return
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_bytes(data)
        if reuse is not None:
            reuse.record(path, key)

    def linked(path: str, key: str) -> bool:
        """Warm12: the live file at ``path`` linked when it was made from ``key`` (its size noted), without making it."""
        if reuse is None or not key or not reuse.link(path, key, target / path):
            return False
        sizes[path] = os.stat(target / path).st_size
        return True

    full = full_views(views)
    for item in views:
        with _for_package(names[item.decision.slug], "het maken van de downloads"):
            # Warm12: the inventory files keyed by the view's fingerprint (see above); "" (no fingerprint, no live
            # site, full views given) keys them by their bytes as before.
            made_from = getattr(item, "view_print", "") if reuse is not None and isinstance(item, DecisionSummary) else ""
            url = item.url
            inventory = [urls.inventory_json(url), urls.inventory_csv(url), urls.inventory_xlsx(url)]
            by_view = {p: key_of("download-view", p, site.base_url, made_from) for p in inventory} if made_from else {}
            placed = staged is not None and bool(made_from) and item.decision.slug in staged
            v = None
            shown = inventory if item.document_count else []  # a decision with inventory rows has these files
            # Every one checked before any is linked (a file linked and then made again would be linked twice); when all
            # of the decision's inventory files are linked, no full view is made for them.
            if not (
                placed
                and reuse is not None
                and all(reuse.linkable(p, by_view[p]) for p in shown)
                and all(linked(p, by_view[p]) for p in shown)
            ):
                v = full(item)  # issue 19: one full view at a time
            if v is not None and v.rows:
                published = v.decision.publication_date.isoformat()
                put(v.inventory_json_url, inventory_json(v).encode("utf-8"), by_view.get(v.inventory_json_url, ""))
                put(urls.inventory_csv(v.url), inventory_csv(v, site.base_url), by_view.get(urls.inventory_csv(v.url), ""))
                path = urls.inventory_xlsx(v.url)
                key = key_of("xlsx", published, inventory_rows(v, site.base_url)) if cache is not None else ""
                stored = cache.get_blob("download", key) if cache is not None else None
                if stored is not None:
                    count("downloads_uit_cache")
                    put(path, stored[1], by_view.get(path, ""))
                else:
                    count("downloads_gemaakt")
                    data = inventory_xlsx(v, site.base_url)
                    if cache is not None:
                        cache.put_blob("download", key, data)
                    put(path, data, by_view.get(path, ""))
                if reuse is not None and key:
                    reuse.used_downloads.add(key)
                    if by_view:
                        reuse.note(path, key)  # the XLSX's cache entry stays while the live file is linked by view
            elif v is None and reuse is not None and item.document_count:
                key = reuse.noted(urls.inventory_xlsx(url))
                if key:
                    reuse.used_downloads.add(key)
                    reuse.note(urls.inventory_xlsx(url), key)
            path = urls.documents_zip(url)
            # Issue 19 (mem19): the key as staging made it (``StagedFiles.zip_key``: the same places and their SHA-256).
            key = staged.zip_key(item.decision.slug) if reuse is not None and staged is not None else ""
            if reuse is not None and reuse.link(path, key, target / path):
                count("downloads_hergebruikt")
                sizes[path] = (target / path).stat().st_size
                continue
            count("downloads_gemaakt")
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            write_documents_zip(v if v is not None else full(item), target / path)
            sizes[path] = (target / path).stat().st_size
            if reuse is not None:
                reuse.record(path, key)

    put(urls.FEED, atom_feed(views, site.base_url, site.name).encode("utf-8"))
    sizes.update(_open_data(site, views, target, cache, reuse, stats, fragments))
    return sizes


def _open_data(
    site: SiteConfig, views, target: Path, cache: Cache | None, reuse: LiveReuse | None, stats: dict[str, int], fragments=None
) -> dict[str, int]:
    """The open data, its monthly parts and their indexes (issue 19): linked whole from the live site when no
    publication and no setting changed, else assembled from each decision's cached parts, and each file
    whose bytes did not change still linked from the live site (publish/pagecache.py)."""
    from .opendata import parts_fit, record_parts, write_open_data
    from .pagecache import AssembledSet, Fragments, set_key

    base = site.base_url
    fragments = fragments if fragments is not None else Fragments(cache)
    files = AssembledSet(cache, reuse, target, set_key("opendata", [base, site.name], views) if cache is not None else "")
    fragments.used.add(files.key)
    if files.link_all():
        fragments.keep(views, "opendata", [base])
        stats["opendata_hergebruikt"] = stats.get("opendata_hergebruikt", 0) + files.linked
        return files.sizes
    full = full_views(views)

    def parts(v):
        with _for_package(v.decision.name, "het maken van de open data"):
            return fragments.get(v, "opendata", [base], lambda: record_parts(full(v), base), lambda p: parts_fit(p, v, base))

    write_open_data(views, base, site.name, files.open, parts)
    files.save()
    stats["opendata_geschreven"] = stats.get("opendata_geschreven", 0) + files.written
    stats["opendata_hergebruikt"] = stats.get("opendata_hergebruikt", 0) + files.linked
    return files.sizes


def _withdrawn_pages(withdrawn: list[PackageResult]) -> list[dict]:
    from .slugs import slugify

    pages = []
    for r in withdrawn:
        kenmerk = r.decision.kenmerk if r.decision else _raw_kenmerk(r.folder)
        prefix = r.decision.kind.url_prefix if r.decision else _raw_prefix(r.folder)
        label = r.decision.kind.label if r.decision and r.decision.type != "woo-besluit" else "Besluit"
        pages.append(
            {
                "kenmerk": kenmerk,
                "url": urls.publication(slugify(kenmerk), prefix),
                "date": r.withdrawal.date,
                "label": label,
                "reason": r.withdrawal.reason,
                "package": r.name,
            }
        )
    return sorted(pages, key=lambda p: p["url"])


def _withdrawn_places(withdrawn: list[PackageResult], today: dt.date) -> list:
    """Issue 19, stable listing pages: the facts of each withdrawn decision that was public (its publication date
    has come), so it keeps its place in the lists it was in (``pages.KeptPlace``); nothing of it is shown. One whose
    metadata can no longer be read keeps no place: the newer pages of its lists shift by one."""
    from .pages import DecisionFacts

    return [DecisionFacts(r.decision) for r in withdrawn if r.decision is not None and r.decision.publication_date <= today]


def _diwoo_withdrawn(views, withdrawn: list[PackageResult], today: dt.date) -> list[tuple]:
    """Withdrawn documents stay in the Woo-index sitemap with their reason for a while, then drop out."""
    from types import SimpleNamespace

    from .history import DIWOO_NOTICE_DAYS

    out = []

    def recent(change) -> bool:
        return 0 <= (today - change.date).days <= DIWOO_NOTICE_DAYS

    full = full_views(views)
    for item in views:
        if not item.document_count:
            continue
        dates = getattr(item, "withdrawn_dates", None)  # a summary says when its documents were withdrawn (warm10)
        if dates is not None and not any(0 <= (today - when).days <= DIWOO_NOTICE_DAYS for when in dates):
            continue
        v = full(item)  # kept only when it has a recently withdrawn document (few)
        for r in v.rows:
            change = r.withdrawn
            if change is not None and recent(change):
                f = SimpleNamespace(title=r.row.title, url=urls.document(v.url, r.anchor), nr=r.row.nr, date=r.row.date)
                out.append((v, f, change.reason, change.date.isoformat()))
    for r in withdrawn:
        if r.decision is None or not recent(r.withdrawal):
            continue
        d = r.decision
        base = urls.publication(d.slug, d.kind.url_prefix)
        letter = SimpleNamespace(title=d.kind.main_title, url=urls.letter(base, d.kind.main_name), nr="", date=d.decision_date)
        # Only the kenmerk: the title itself may be why the decision was withdrawn.
        notice = SimpleNamespace(
            kenmerk=d.kenmerk,
            title=f"Besluit {d.kenmerk} (ingetrokken)",
            organisation=d.organisation,
            decision_date=d.decision_date,
        )
        view = SimpleNamespace(
            decision=notice,
            main_files=[letter],
            files=[letter],
            category=d.kind.category_of(d),
            document_kind=d.kind.document_kind_of(d),
        )
        out.append((view, letter, r.withdrawal.reason, r.withdrawal.date.isoformat()))
    return out


def _write_sources(
    site: SiteConfig,
    views,
    sources: Path,
    sizes: dict[str, int],
    gone: list[dict],
    unavailable: Sequence[dict] = (),
    packages: dict | None = None,
    streamed: Path | None = None,
    reuse: LiveReuse | None = None,
    cache: Cache | None = None,
    stats: dict[str, int] | None = None,
    used_keys: KeySet | set[str] | None = None,
    places: Sequence = (),
):
    """The site's own pages and files, then the generated pages. Returns the generated pages (their
    bodies let go once written), the site's own files by their place in the output (for naming the
    source of a problem), the Markdown files that are not published because the site does not name them
    as pages, the check of the generated content, and the generated pages written under ``streamed``
    (issue 19: rendered one at a time after mkdocs' own pages, publish/streampages.py): with a nav, every
    generated page the nav does not name and that is not one of the site's own pages. With ``cache`` a
    decision's own pages come from the page cache when nothing they show changed (publish/pagecache.py);
    ``stats`` gets the counts, ``used_keys`` the keys this build used."""
    static, skipped = _copy_static(site, sources)
    sources.mkdir(parents=True, exist_ok=True)
    (sources / IDENTITY_CSS).parent.mkdir(parents=True, exist_ok=True)
    (sources / IDENTITY_CSS).write_text(identity_css(site.colours), encoding="utf-8")
    checker = GeneratedCheck(  # issue 19: what earlier builds and this one found clean is on disk (incremental.LiveReuse)
        packages or {},
        reuse.clean_bodies if reuse is not None else frozenset(),
        reuse.clean_bodies_now if reuse is not None else None,
    )
    # Issue 19: the streamed pages' sources wait in one file of the build's work folder, in order (warm10: not a file
    # and a folder per page, compact.SpilledPages), and the generated pages are held only as what the script check of
    # the built site reads of them (compact.PageOwners).
    to_stream = SpilledPages(streamed) if streamed is not None else None

    # Issue 19 (mkdocs13): what is in ``sources`` (files and folders, relative), known without a ``stat`` per page.
    present = _present(sources)

    def sink(page) -> None:
        checker.add(page)
        path = page.source_path
        if to_stream is not None and site.nav_pages and path not in site.nav_pages and path not in present:
            to_stream.add(path, source_text(page))
        else:
            write_sources([page], sources)
            present.update(_with_parents(path))

    groups = None
    if to_stream is not None and reuse is not None and cache is not None and site.nav_pages:
        from .streampages import DecisionGroups

        groups = DecisionGroups(reuse, to_stream, _blocked_folders(site.nav_pages, present, gone, unavailable))
    generator = Generator(
        SiteText(site.name, site.organisation),
        views,
        download_sizes=sizes,
        withdrawn=gone,
        unavailable=sorted(unavailable, key=lambda p: p["url"]),
        sink=sink,
        cache=cache,
        known_clean=reuse.clean_bodies if reuse is not None else frozenset(),
        pages=PageOwners(),  # type: ignore[arg-type]  # a list's ``append``, holding only what the check reads
        places=places,
        groups=groups,
    )
    pages = generator.generate()
    if groups is not None and to_stream is not None:
        to_stream.expand = _expander(generator, groups, checker, stats)
    if stats is not None:
        stats["besluiten_paginas_gemaakt"] = stats.get("besluiten_paginas_gemaakt", 0) + generator.decisions_rendered
        stats["besluiten_paginas_uit_cache"] = stats.get("besluiten_paginas_uit_cache", 0) + generator.decisions_from_cache
        if generator.cache_refused:
            stats["paginacache_geweigerd"] = stats.get("paginacache_geweigerd", 0) + generator.cache_refused
    if used_keys is not None:
        used_keys.update(generator.used_keys)
    return pages, static, skipped, checker.check, to_stream.close() if to_stream is not None else None


def _blocked_folders(nav_pages, present: set[str], gone: Sequence[dict], unavailable: Sequence[dict]):
    """pages19: a test for a decision's URL whose pages may not go as one group (streampages.DecisionGroups): its
    folder holds a file of the site's own or a nav page, or a withdrawal or unavailability notice is at, in or above it."""
    notices = {item["url"] for item in [*gone, *unavailable] if isinstance(item.get("url"), str)}
    below: set[str] = set()  # every folder (with its slash) that holds a nav page or a notice
    for path in [*nav_pages, *notices]:
        parts = path.split("/")
        below.update("/".join(parts[:i]) + "/" for i in range(1, len(parts)))

    def blocked(url: str) -> bool:
        if url.rstrip("/") in present or url in below or url in notices:
            return True
        parts = url.split("/")
        return any("/".join(parts[:i]) + "/" in notices for i in range(1, len(parts) - 1))

    return blocked


def _expander(generator, groups, checker, stats: dict[str, int] | None):
    """pages19: the pages of a decision left to its group record, made when that record does not hold (in the mkdocs
    phase): checked for script markup like every generated page, and given as (place, source bytes). Such a decision
    was counted as taken from the cache; made with Jinja after all (its page-cache entry refused), it is counted so."""

    def expand(payload: bytes) -> list[tuple[str, bytes]]:
        url = json.loads(payload)[0]
        out: list[tuple[str, bytes]] = []

        def collect(page) -> None:
            checker.add(page)
            out.append((page.source_path, source_text(page).encode("utf-8")))

        rendered = generator.decisions_rendered
        generator.decision_pages(groups.by_url[url], collect)
        if stats is not None and generator.decisions_rendered > rendered:
            stats["besluiten_paginas_gemaakt"] = stats.get("besluiten_paginas_gemaakt", 0) + 1
            stats["besluiten_paginas_uit_cache"] = stats.get("besluiten_paginas_uit_cache", 0) - 1
        return out

    return expand


def _present(folder: Path) -> set[str]:
    """Every file and folder below ``folder``, relative, in POSIX form."""
    found: set[str] = set()
    for parent, dirs, files in os.walk(folder):
        rel = os.path.relpath(parent, folder)
        for name in [*dirs, *files]:
            found.add(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
    return found


def _with_parents(path: str) -> list[str]:
    """``path`` (relative, POSIX) and each folder above it."""
    parts = path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _copy_static(site: SiteConfig, sources: Path) -> tuple[dict[str, str], list[str]]:
    """Copy the standard pages and assets of the package, then the site's own site_src over them, with
    only the Markdown pages the site means to publish: those in nav or not_in_nav (every page when there
    is no nav). Markdown under assets/ and README files document the files beside them and are never
    pages; any other Markdown file of the site's own left out is reported."""
    from mkdocs.config.config_options import PathSpec
    from mkdocs.structure.files import File

    placed: dict[str, str] = {}
    skipped: list[str] = []
    outside_nav = PathSpec().run_validation(site.not_in_nav) if site.not_in_nav.strip() else None
    for static_dir, label, own in page_roots(site.path.parent):
        for folder, dirs, files in os.walk(static_dir, followlinks=True):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("_generated", "__pycache__"))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                path = Path(folder) / name
                rel = path.relative_to(static_dir).as_posix()
                source = f"{label}/{rel}"
                if name.lower().endswith(".md"):
                    documentation = rel.startswith("assets/") or name.lower().startswith("readme")
                    intended = not documentation and (
                        not site.nav_pages or rel in site.nav_pages or (outside_nav is not None and outside_nav.match_file(rel))
                    )
                    if not intended:
                        if not documentation and own:
                            skipped.append(source)
                        continue
                    dest = File(rel, str(static_dir), "", site.use_directory_urls).dest_uri
                else:
                    dest = rel
                (sources / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, sources / rel)
                placed[dest] = source
    return placed, skipped


def _run_mkdocs(
    site: SiteConfig,
    sources: Path,
    target: Path,
    views,
    streamed: SpilledPages | None = None,
    cache: Cache | None = None,
    reuse: LiveReuse | None = None,
):
    """mkdocs over ``sources``; the pages of ``streamed`` (their sources, compact.SpilledPages) rendered one at a
    time after mkdocs' own (publish/streampages.py), or, when the site's mkdocs config does not allow that
    (no nav, plugins of its own), written into ``sources`` first and built the old way. Returns the
    plugin that streamed the pages (its counts, render keys and pages known clean), or None."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from .streampages import PLUGIN_NAME, StreamPages, forget_url_memos, streamable

    # Deterministic: mkdocs takes its build date from SOURCE_DATE_EPOCH; use the newest data date.
    newest = max((v.decision.publication_date for v in views), default=dt.date(2000, 1, 1))
    epoch = int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.timezone.utc).timestamp())
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        config = load_config(config_file=str(site.path), docs_dir=str(sources), site_dir=str(target))
        layer_theme(config.theme, site.path.parent)
        plugin = None
        if streamed is not None and len(streamed):
            if streamable(config):
                plugin = config.plugins[PLUGIN_NAME] = StreamPages(streamed, cache, reuse)
            else:
                streamed.materialise(sources)
        mkdocs_build(config)
        return plugin
    finally:
        forget_url_memos()
        logger.setLevel(level)
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _add_files(views, names: dict[str, str], site_dir: Path, staged: StagedFiles | None = None) -> None:
    """Move the staged, verified copies into the new site (a rename: same folder, same file system). ``staged``
    (warm10): each decision's staged files by slug, as ``_stage_files`` placed them under ``views.staged``, so no
    full view is made again for this."""
    full = full_views(views)
    made: set[str] = set()  # issue 19: a decision's files share a folder, made once (not one mkdir per file)
    root = getattr(views, "staged", None)
    for item in views:
        with _for_package(names[item.decision.slug], "het plaatsen van de pdf's"):
            placed = staged.get(item.decision.slug) if staged is not None and root is not None else None
            if placed is not None:
                moves = [(os.path.join(root, url), url) for url in placed]
            else:
                moves = [(f.source, f.url) for f in full(item).files]
            for source, url in moves:
                target = os.path.join(site_dir, url)
                folder = os.path.dirname(target)
                if folder not in made:
                    os.makedirs(folder, exist_ok=True)
                    made.add(folder)
                os.replace(source, target)


def _add_redirects(views, site_dir: Path, base_url: str) -> None:
    """Every URL published so far keeps working: a type whose URL scheme changed lists its old
    prefixes, and each old page address gets a redirect page (never over a page of the new site)."""
    for v in views:
        for prefix in v.kind.old_prefixes:
            old = urls.publication(v.decision.slug, prefix)
            target = site_dir / old / "index.html"
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(urls.redirect_page(base_url + v.url, v.decision.title), encoding="utf-8")


def _add_security_headers(site_dir: Path, script_hashes: list[str]) -> None:
    from .headers import HEADERS_FILE, headers_file, security_headers

    (site_dir / HEADERS_FILE).write_text(headers_file(security_headers(script_hashes)), encoding="utf-8")


def _refuse(
    blamed: dict[str, list], publishable: list[PackageResult], withdrawn: list[PackageResult], report: BuildReport
) -> None:
    """Refuse the packages whose data put script markup on a page: the others are published."""
    from .problems import Problem
    from .types import REGISTRY

    for name, found in sorted(blamed.items()):
        result = next((r for r in [*publishable, *withdrawn] if r.name == name), None)
        if result is None:
            continue
        if any(r is result for r in publishable):
            publishable.remove(result)
        else:
            withdrawn.remove(result)
            report.withdrawn[:] = [w for w in report.withdrawn if w["package"] != name]
        pages: dict[str, list[str]] = {}  # one problem per piece of markup, naming its pages (its own page first)
        own = tuple(f"{kind.url_prefix}/" for kind in REGISTRY.values())
        for page, finding in sorted(found, key=lambda item: (not item[0].startswith(own), item[0])):
            pages.setdefault(finding.describe(), []).append(page)
        problems = [
            Problem(
                name,
                "",
                pages_text(where),
                f"de pagina zou {what} bevatten, uit de gegevens van dit pakket. Scriptcode wordt nooit gepubliceerd.",
                "Haal HTML- en scriptcode weg uit besluit.md (titel, onderwerpen, samenvatting) en uit de "
                "inventarislijst, en keur het pakket opnieuw goed. De andere besluiten zijn wel gepubliceerd.",
                "html.script",
            ).to_dict()
            for what, where in pages.items()
        ]
        report.refused.append(
            {"package": name, "kenmerk": result.decision.kenmerk if result.decision else None, "problems": problems}
        )
    report.exit_code = max(report.exit_code, EXIT_REFUSED)


def _add_search_index(
    views,
    site_dir: Path,
    cache: Cache | None = None,
    work: Path | None = None,
    reuse: LiveReuse | None = None,
    fragments: Fragments | None = None,
) -> None:
    """The search index, written one file at a time; its analysed texts come from the build cache
    (issue 19: a warm build only merges them), its temporary postings go to the build's work folder.

    Issue 19, warm rebuilds: the index is a function of the views alone (and the code): its files are an assembled
    set (``pagecache.AssembledSet``) under a key over every decision's fingerprint, linked whole from the live site
    when no publication changed and the live files are as the last build recorded them; else made, and each file
    whose bytes did not change still linked (it keeps its inode and modification time)."""
    from .pagecache import AssembledSet, set_key
    from .search import iter_search_files

    (site_dir / urls.SEARCH_INDEX).mkdir(parents=True, exist_ok=True)
    key = set_key("zoekindex", [], views) if cache is not None else ""
    files = AssembledSet(cache, reuse, site_dir, key)
    if fragments is not None and key:
        fragments.used.add(key)  # kept by the prune of SET_KIND (_save_incremental)
    if files.link_all():
        return
    for name, text in iter_search_files(views, cache, work):
        files.put(urls.SEARCH_INDEX + name, text.encode("utf-8"))
    files.save()


def _add_metadata_files(
    site: SiteConfig,
    views,
    site_dir: Path,
    report: BuildReport,
    withdrawn_docs=(),
    cache: Cache | None = None,
    reuse: LiveReuse | None = None,
    fragments=None,
    sitemap_limits: tuple[int, int] = (SITEMAP_URLS, SITEMAP_BYTES),
) -> None:
    """sitemap.xml (an index, publish/sitemaps.py), the DiWoo sitemaps and robots.txt. Issue 19: linked whole from the live site when no
    publication, withdrawal notice and setting changed; else made with each decision's DiWoo metadata
    from the cache, and every file whose bytes did not change still linked from the live site (and not
    validated again: the live file has exactly these bytes and was validated when it was written)."""
    from .diwoo import InvalidSitemap, Publisher, documents_fit, validate_file, view_documents, write_diwoo
    from .pagecache import AssembledSet, Fragments, set_key

    for name in (urls.SITEMAP, urls.SITEMAP + ".gz"):
        (site_dir / name).unlink(missing_ok=True)
    publisher = Publisher(site.tooi, site.organisation) if site.tooi else None
    organisations = dict(sorted(site.organisation_tooi.items())) if site.tooi else {}
    settings = [site.base_url, site.tooi, site.organisation, organisations]
    key = ""
    if cache is not None:
        from .diwoo import _document

        # Withdrawal notices are few and depend on the date: their metadata itself is part of the key.
        notices = (
            [
                [
                    site.base_url + f.url,
                    lastmod,
                    reason,
                    _document(site.base_url, publisher, organisations.get(v.decision.organisation), v, f, reason),
                ]
                for v, f, reason, lastmod in withdrawn_docs
            ]
            if publisher is not None and views
            else []
        )
        key = set_key("metadata", [*settings, notices, list(sitemap_limits)], views)
    files = AssembledSet(cache, reuse, site_dir, key)
    fragments = fragments if fragments is not None else Fragments(cache)
    fragments.used.add(key)
    if files.link_all():
        if publisher is not None:
            fragments.keep(views, "diwoo", settings)
        report.site["metadata_hergebruikt"] = report.site.get("metadata_hergebruikt", 0) + files.linked
        return
    general = [urls.HOME, urls.LISTING, urls.GROUNDS, urls.SEARCH, urls.STATISTICS]
    full = full_views(views)

    def addresses(v) -> list[str]:
        v = full(v)  # issue 19: one full view at a time
        return [v.url, *(f.url for f in v.files), *(r.page_url for r in v.rows if r.available)]

    decisions = ((v.decision.publication_date.isoformat(), v.url, partial(addresses, v)) for v in views)
    write_sitemaps(site.base_url, general, decisions, files.open, *sitemap_limits)  # issue 19: as a stream
    indexes = []
    if publisher is not None and views:

        def documents(v) -> list[str]:
            return fragments.get(
                v,
                "diwoo",
                settings,
                lambda: view_documents(site.base_url, publisher, organisations, full(v)),
                lambda d: documents_fit(d, v),
            )

        def checked(name: str, kind: str):
            """A DiWoo file of the set, validated from disk once written (unless linked: see ``AssembledSet.open``)."""

            def check(path: Path) -> None:
                problems = validate_file(path, kind)
                if problems:
                    raise InvalidSitemap(f"{name} is ongeldig volgens het DiWoo-/sitemapschema: {problems[0]}")

            return files.open(name, check)

        indexes += write_diwoo(site.base_url, publisher, organisations, views, withdrawn_docs, documents, checked)
    files.put(urls.ROBOTS, robots_txt(site.base_url, indexes).encode("utf-8"))
    files.save()
    report.site["metadata_geschreven"] = report.site.get("metadata_geschreven", 0) + files.written
    report.site["metadata_hergebruikt"] = report.site.get("metadata_hergebruikt", 0) + files.linked
