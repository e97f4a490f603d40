"""The ``woo-publish`` command: check, approve, build and serve.

Everything printed here is read by communications staff, so it is in Dutch and names the file,
the field or row, what is wrong and how to fix it. Exit statuses follow the package contract.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .approval import check_approval, write_approval
from .build import EXIT_FAILURE, EXIT_OK, EXIT_REFUSED, BuildOptions, run_build
from .cache import Cache, cache_dir
from .evaluate import evaluate, package_folders
from .pdfs import PdfInspector
from .problems import Problems
from .siteconfig import find_config

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _decisions_dir(path: str) -> Path:
    folder = Path(path)
    if not folder.is_dir():
        raise click.UsageError(f"de map '{folder}' met besluiten bestaat niet.")
    return folder


def _today(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("gebruik JJJJ-MM-DD", param_hint="--vandaag") from None


def _site_config(config_option: str | None):
    """The site configuration, or None when there is no mkdocs.yml (checking packages needs none)."""
    from .siteconfig import load_site_config

    config = find_config(config_option)
    return load_site_config(config) if config.is_file() else None


class TerminalProgress:
    """A progress bar on stderr while PDFs are inspected, only when a person watches a terminal:
    the nightly job's output stays clean."""

    def __init__(self, label: str):
        self.label = label
        self.bar: Any = None

    @classmethod
    def if_interactive(cls, label: str):
        return cls(label) if sys.stderr.isatty() else None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_pos=True, show_eta=True)
            self.bar.__enter__()
        self.bar.update(1)
        if done >= total:
            self.bar.__exit__(None, None, None)


def _print_problems(problems: Problems, out=None) -> None:
    for p in sorted(problems, key=lambda p: (not p.is_error, p.file, p.location)):
        click.echo(p.format(), file=out)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="woo-publish")
def main() -> None:
    """Publiceer goedgekeurde Woo-besluiten als doorzoekbare website."""


@main.command()
@click.argument("decisions", default="decisions", required=False)
@click.option("--cache", "cache_option", default=None, help="Map voor de cache (standaard .cache/woo-publish).")
@click.option("--config", "config_option", default=None, help="mkdocs.yml met de site-instellingen.")
def check(decisions: str, cache_option: str | None, config_option: str | None) -> None:
    """Controleer alle pakketten en toon elk probleem met een oplossing."""
    folder = _decisions_dir(decisions)
    site = _site_config(config_option)
    site_problems = site.problems if site else Problems("")
    if site_problems:
        click.echo(f"{'FOUT' if site_problems.has_errors else 'LET OP'} site-instellingen ({site.path}):")
        _print_problems(site_problems)
    allowed = site.allowed_personal_data if site else []
    results = evaluate(package_folders(folder), PdfInspector(Cache(cache_dir(cache_option))), allowed,
                       progress=TerminalProgress.if_interactive("Pdf's controleren"))
    invalid = 0
    for r in results:
        errors = [p for p in r.problems if p.is_error]
        if r.valid:
            approval = Problems(r.name)
            status = check_approval(r.folder, approval)
            state = ("goedgekeurd" if status.approved else
                     "nog niet goedgekeurd" if any(p.code == "goedkeuring.ontbreekt" for p in approval) else
                     "gewijzigd na goedkeuring: opnieuw goedkeuren")
            click.echo(f"OK   {r.name} ({r.decision.kenmerk}): geldig, {state}.")
            if not status.approved and not any(p.code == "goedkeuring.ontbreekt" for p in approval):
                for p in approval:
                    click.echo(f"     {p.file}: {p.message}")
        else:
            invalid += 1
            click.echo(f"FOUT {r.name}: {len(errors)} {'probleem' if len(errors) == 1 else 'problemen'}.")
        _print_problems(r.problems)
    click.echo()
    if site_problems.has_errors:
        click.echo(f"De site-instellingen in {site.path} zijn ongeldig: de site kan zo niet gebouwd worden.")
    if not results:
        click.echo(f"Geen pakketten gevonden in {folder}/.")
    elif invalid:
        click.echo(f"{invalid} van {len(results)} pakket(ten) ongeldig. Los de problemen hierboven op en controleer opnieuw.")
    else:
        click.echo(f"Alle {len(results)} pakket(ten) zijn geldig.")
    sys.exit(1 if invalid or site_problems.has_errors else 0)


@main.command()
@click.argument("package", type=click.Path(file_okay=False, path_type=Path))
@click.option("--door", required=True, help="Naam van wie goedkeurt (wordt nooit gepubliceerd).")
@click.option("--cache", "cache_option", default=None, help="Map voor de cache.")
@click.option("--config", "config_option", default=None, help="mkdocs.yml met de site-instellingen.")
def approve(package: Path, door: str, cache_option: str | None, config_option: str | None) -> None:
    """Keur een pakket goed voor publicatie, in zijn huidige toestand."""
    if not package.is_dir():
        raise click.UsageError(f"het pakket '{package}' bestaat niet.")
    if not door.strip():
        raise click.BadParameter("geef de naam van wie goedkeurt", param_hint="--door")
    siblings = package_folders(package.parent) if package.parent.is_dir() else [package]
    if package.resolve() not in [s.resolve() for s in siblings]:
        siblings.append(package)
    site = _site_config(config_option)
    results = evaluate(siblings, PdfInspector(Cache(cache_dir(cache_option))), site.allowed_personal_data if site else [])
    result = next(r for r in results if r.folder.resolve() == package.resolve())
    if not result.valid:
        click.echo(f"Niet goedgekeurd: {package.name} is ongeldig. Er is niets vastgelegd.")
        _print_problems(result.problems)
        sys.exit(1)
    _print_problems(result.problems)
    changes = _changes_since_last_approval(result)
    if changes:
        from .history import append_changes

        append_changes(package, changes)
        for c in changes:
            click.echo(f"Wijziging vastgelegd voor de publieke geschiedenis: {c.kind}" + (f" {c.document}" if c.document else ""))
    write_approval(package, door.strip())
    click.echo(f"Goedgekeurd: {package.name} ({result.decision.kenmerk}). Elke wijziging hierna vraagt een nieuwe goedkeuring.")


def _changes_since_last_approval(result) -> list:
    """What changed in an already approved package: becomes its public change history."""
    import datetime as dt

    from .approval import current_hashes, previous_hashes
    from .history import ADDED, REMOVED, REPLACED, Change

    before = previous_hashes(result.folder)
    if before is None:
        return []
    now = current_hashes(result.folder)
    d = result.decision
    roles = {d.letter.relpath: (None, "Besluitbrief")}
    roles.update({a.file.relpath: (None, a.title) for a in d.annexes})
    roles.update({r.file.relpath: (r.nr, r.title) for r in d.inventory if r.file is not None})
    today = dt.date.today()
    changes = []
    for rel in sorted(set(before) | set(now)):
        if rel in before and rel in now and before[rel] == now[rel]:
            continue
        if rel in now and rel not in roles:
            continue  # besluit.md or the inventory itself: not a published document
        nr, title = roles.get(rel, (None, rel.rsplit("/", 1)[-1]))
        if rel not in before:
            kind = ADDED
        elif rel not in now:
            if not rel.lower().endswith(".pdf"):
                continue
            kind = REMOVED
        else:
            kind = REPLACED
        changes.append(Change(today, kind, nr, title))
    return changes


@main.command()
@click.argument("package", type=click.Path(file_okay=False, path_type=Path))
@click.option("--reden", required=True, help="Publieke reden van de intrekking (komt op de site).")
@click.option("--document", "document_nr", default=None, help="Nummer uit de inventaris; zonder dit wordt het hele besluit ingetrokken.")
@click.option("--datum", default=None, help="Datum van intrekking (JJJJ-MM-DD, standaard vandaag).")
def withdraw(package: Path, reden: str, document_nr: str | None, datum: str | None) -> None:
    """Haal een gepubliceerd besluit of één document ervan van de site, met een publieke reden."""
    import datetime as dt

    from .history import WITHDRAWN_DECISION, WITHDRAWN_DOCUMENT, Change, append_changes, read_history
    from .package import load_package

    if not (package / "besluit.md").is_file():
        raise click.UsageError(f"'{package}' is geen pakket (besluit.md ontbreekt).")
    if not reden.strip():
        raise click.BadParameter("geef een reden; die komt op de site", param_hint="--reden")
    when = _today(datum) or dt.date.today()
    history, error = read_history(package)
    if error:
        click.echo(f"FOUT {package.name}: {error}.")
        sys.exit(1)
    title = ""
    if document_nr is not None:
        decision, problems = load_package(package)
        if decision is None:
            click.echo(f"FOUT {package.name}: het pakket is ongeldig, dus het document kan niet gevonden worden. Trek zo nodig het hele besluit in.")
            _print_problems(problems)
            sys.exit(1)
        rows = [r for r in decision.inventory if r.nr == str(document_nr).strip().rstrip(".")]
        if not rows:
            click.echo(f"FOUT {package.name}: document {document_nr} staat niet in de inventaris.")
            sys.exit(1)
        document_nr, title = rows[0].nr, rows[0].title
        if any(c.kind == WITHDRAWN_DOCUMENT and c.document == document_nr for c in history):
            click.echo(f"Document {document_nr} van {package.name} was al ingetrokken.")
            return
        change = Change(when, WITHDRAWN_DOCUMENT, document_nr, title, reden.strip())
    else:
        if any(c.kind == WITHDRAWN_DECISION for c in history):
            click.echo(f"{package.name} was al ingetrokken.")
            return
        change = Change(when, WITHDRAWN_DECISION, None, "", reden.strip())
    append_changes(package, [change])
    what = f"document {document_nr} ({title})" if document_nr else "het hele besluit"
    click.echo(f"Ingetrokken: {what} van {package.name}, per {when.isoformat()}. Het verdwijnt bij de volgende build van de site.")


@main.command()
@click.option("--decisions", default="decisions", help="Map met de pakketten (standaard decisions/).")
@click.option("--out", default="site", help="Uitvoermap van de website (standaard site/).")
@click.option("--strict", is_flag=True, help="Schrijf niets als er een pakket wordt geweigerd.")
@click.option("--config", "config_option", default=None, help="mkdocs.yml met de site-instellingen.")
@click.option("--cache", "cache_option", default=None, help="Map voor de cache (standaard .cache/woo-publish).")
@click.option("--report", "report_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Schrijf een JSON-rapport voor monitoring naar dit bestand.")
@click.option("--vandaag", default=None, help="Datum die als vandaag geldt voor de embargo's (JJJJ-MM-DD).")
@click.option("--bronnen", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Bewaar de gegenereerde Markdown-bronnen in deze map.")
@click.option("--workers", default=None, type=click.IntRange(1, 64), help="Aantal processen voor pdf-werk.")
@click.option("--uitgebreid", "-v", "verbose", is_flag=True,
              help="Noem elk gepubliceerd besluit, ook als de uitvoer niet naar een terminal gaat.")
def build(decisions, out, strict, config_option, cache_option, report_file, vandaag, bronnen, workers, verbose) -> None:
    """Bouw de website uit alle geldige, goedgekeurde pakketten."""
    config = find_config(config_option)
    if not config.is_file():
        raise click.UsageError(f"het configuratiebestand '{config}' bestaat niet. Voer de opdracht uit in de map van de site, "
                               "geef --config, of begin een nieuwe site met 'woo-publish init MAP'.")
    opts = BuildOptions(decisions=_decisions_dir(decisions), out=Path(out), config=config,
                        cache=cache_dir(cache_option), strict=strict, today=_today(vandaag),
                        workers=workers, keep_sources=bronnen)
    try:
        report = run_build(opts, progress=TerminalProgress.if_interactive("Pdf's controleren"))
    except Exception as exc:  # noqa: BLE001 - a build failure must still give a report and exit 2
        from .build import BuildReport

        report = BuildReport(error=f"de build is mislukt: {type(exc).__name__}: {exc}", exit_code=EXIT_FAILURE)
    _print_report(report, Path(out), strict, verbose=verbose or sys.stdout.isatty())
    if report_file:
        report_file.parent.mkdir(parents=True, exist_ok=True)
        report_file.write_text(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.exit(report.exit_code)


def _print_report(report, out: Path, strict: bool, verbose: bool) -> None:
    """Everything on a terminal; from a scheduler only what needs a person (refusals, warnings,
    failures) and the summary, so a nightly mail is short unless something is wrong."""
    if verbose:
        for item in report.published:
            click.echo(f"GEPUBLICEERD {item['package']} ({item['kenmerk']})")
        for item in report.embargoed:
            click.echo(f"EMBARGO      {item['package']} ({item['kenmerk']}): verschijnt vanaf {item['publicatie_datum']}")
        for item in report.withdrawn:
            click.echo(f"INGETROKKEN  {item['package']} ({item['kenmerk']}) per {item['ingetrokken_op']}")
    for item in report.refused:
        click.echo(f"GEWEIGERD    {item['package']}:")
        for p in item["problems"]:
            where = "/".join(x for x in (p["package"], p["file"]) if x)
            where = f"{where}, {p['location']}" if p["location"] else where
            click.echo(f"    {where}: {p['message']}\n        Oplossing: {p['fix']}")
    for p in report.warnings:
        where = "/".join(x for x in (p["package"], p["file"]) if x)
        click.echo(f"WAARSCHUWING {where}{', ' + p['location'] if p['location'] else ''}: {p['message']}")
    if report.error:
        click.echo(f"MISLUKT: {report.error}", err=True)
    if report.written:
        click.echo(f"Site geschreven naar {out}/: {len(report.published)} besluit(en) gepubliceerd, "
                   f"{len(report.refused)} geweigerd, {len(report.embargoed)} onder embargo, "
                   f"{len(report.withdrawn)} ingetrokken; {report.pdfs_parsed} pdf('s) gelezen "
                   f"in {report.timings.get('totaal', 0):.1f} s.")
    elif report.exit_code == EXIT_REFUSED and strict:
        click.echo(f"Niets geschreven (--strict): {len(report.refused)} pakket(ten) geweigerd. De bestaande site in {out}/ is ongewijzigd.")
    elif report.exit_code == EXIT_FAILURE:
        click.echo(f"Niets geschreven. De bestaande site in {out}/ is ongewijzigd.")


@main.command()
@click.argument("folder", metavar="MAP", type=click.Path(path_type=Path))
def init(folder: Path) -> None:
    """Begin een nieuwe site in MAP: mkdocs.yml om in te vullen, een lege decisions/ en een README."""
    from .newsite import create_site, woo_publish_command

    problems = create_site(folder)
    if problems:
        _print_problems(problems)
        sys.exit(1)
    click.echo(f"Nieuwe site gemaakt in {folder}/: mkdocs.yml, decisions/ en README.md.\n"
               f"Vul deel 1 van {folder}/mkdocs.yml in, zet besluiten in {folder}/decisions/ en bouw de site met:\n"
               f"    cd {folder} && {woo_publish_command()} build")


@main.command()
@click.option("--out", default="site", help="Map met de gebouwde site.")
@click.option("--formaat", type=click.Choice(["nginx", "netlify"]), default="nginx", show_default=True,
              help="nginx: add_header-regels; netlify: het _headers-bestand (ook Cloudflare Pages).")
def headers(out: str, formaat: str) -> None:
    """Toon de beveiligingsheaders (Content-Security-Policy en andere) van de gebouwde site."""
    from .headers import HEADERS_FILE, headers_file, nginx_snippet, read_headers_file

    written = Path(out) / HEADERS_FILE
    if not written.is_file():
        raise click.UsageError(f"in '{out}' staat geen gebouwde site met {HEADERS_FILE}; voer eerst 'woo-publish build' uit.")
    found = read_headers_file(written)
    click.echo(nginx_snippet(found) if formaat == "nginx" else headers_file(found), nl=False)


@main.command()
@click.option("--out", default="site", help="Map met de gebouwde site.")
@click.option("--poort", default=8000, type=int, help="Poort (standaard 8000).")
def serve(out: str, poort: int) -> None:
    """Bekijk de gebouwde site lokaal op http://127.0.0.1:POORT/."""
    from .preview import make_server

    folder = Path(out)
    if not (folder / "index.html").is_file():
        raise click.UsageError(f"in '{folder}' staat geen gebouwde site; voer eerst 'woo-publish build' uit.")
    with make_server(folder, poort) as server:
        click.echo(f"Voorbeeld op http://127.0.0.1:{poort}/ (stop met Ctrl+C)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


__all__ = ["main", "EXIT_OK", "EXIT_REFUSED", "EXIT_FAILURE"]
