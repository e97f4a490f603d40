"""The ``woo-publish`` command: check, approve, build and serve.

Everything printed here is read by communications staff, so it is in Dutch and names the file,
the field or row, what is wrong and how to fix it. Exit statuses follow the package contract.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .approval import write_approval
from .build import EXIT_FAILURE, EXIT_OK, EXIT_REFUSED, BuildOptions, run_build
from .cache import Cache, cache_dir
from .cachestore import is_remote
from .evaluate import evaluate, package_folders
from .limits import dutch_number
from .pdfs import PdfInspector
from .problems import Problem, Problems, count, summarise
from .safetext import describe_os_error, log_unexpected, safe
from .siteconfig import find_config

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _decisions_dir(path: str) -> Path:
    folder = Path(path)
    if not folder.is_dir():
        raise click.UsageError(
            f"de map '{folder}' met de pakketten bestaat niet. Geef de map met de pakketten (standaard decisions/), of "
            "voer de opdracht uit in de map van de site."
        )
    return folder


def _decisions_choice(argument: str | None, option: str | None) -> str:
    """The folder with the packages, given as argument ('check MAP', 'build MAP') or as --decisions MAP: both
    commands take both forms (default decisions/)."""
    if argument is not None and option is not None and Path(argument) != Path(option):
        raise click.UsageError(
            f"de map met de pakketten is twee keer gegeven, verschillend ('{safe(argument)}' en --decisions "
            f"'{safe(option)}'). Geef de map één keer: als argument of met --decisions."
        )
    return argument or option or "decisions"


DECISIONS_HELP = "Map met de pakketten (standaard decisions/); mag ook als argument: woo-publish {command} MAP."


def _today(value: str | None, option: str = "--vandaag") -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"'{safe(value)}' is geen datum; schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2024-05-08.", param_hint=f"'{option}'"
        ) from None


def _open_cache(cache_option: str | None) -> Cache:
    """The cache of check and approve, with its key as the build reads it (publish/cachestore.py); a key that
    cannot be used is said in Dutch (exit 2), never a traceback."""
    from .cachestore import CacheKeyError

    try:
        return Cache.open(cache_dir(cache_option), None, cache_option if is_remote(cache_option) else "")
    except CacheKeyError as exc:
        click.echo(f"MISLUKT: {exc}", err=True)
        sys.exit(EXIT_FAILURE)


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


def _print_problems(problems: list[Problem], out=None) -> None:
    """Sorted (rows numerically), the same problem on many rows as one line, names escaped."""
    for p in summarise(problems):
        click.echo(p.format(), file=out)


def _dutch_metavar(param: click.Parameter) -> str | None:
    """How an option's value or an argument is shown in the usage line and help, in Dutch (click: TEXT, PATH, ...)."""
    kind = param.type
    if isinstance(kind, click.Choice):
        return None  # click shows the choices: [lokaal|dask]
    if isinstance(kind, click.Path):
        return "MAP" if not kind.file_okay else "BESTAND" if not kind.dir_okay else "PAD"
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        return "GETAL"
    return "TEKST"


class _Command(click.Command):
    """Usage line and help in Dutch: click's own texts through its gettext hook (see clicknl), the
    value placeholders here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPTIES]")
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, click.Option) and param.metavar is None and not param.is_flag:
                param.metavar = _dutch_metavar(param)
            if isinstance(param.type, click.Path):  # its name starts click's messages: 'Bestand 'x' bestaat niet.'
                param.type.name = "map" if not param.type.file_okay else "bestand" if not param.type.dir_okay else "pad"


class _Group(click.Group):
    """No traceback ever reaches staff or the nightly mail: an unexpected error is one Dutch line
    (and one log line for developers), exit status 2. Click's own texts are Dutch (clicknl)."""

    command_class = _Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPTIES]")
        kwargs.setdefault("subcommand_metavar", "OPDRACHT [ARGUMENTEN]...")
        super().__init__(*args, **kwargs)

    def main(self, *args, **kwargs):
        from .clicknl import dutch

        with dutch():
            return super().main(*args, **kwargs)

    def invoke(self, ctx):
        import logging

        if not logging.getLogger("woo_publish").handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("woo-publish: %(message)s"))
            logging.getLogger("woo_publish").addHandler(handler)
            logging.getLogger("woo_publish").propagate = False
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # `woo-publish check | head`: the reader stopped reading; nothing is wrong with the site. Python's own
            # recipe: point stdout at /dev/null so flushing at exit raises nothing, and stop quietly.
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_FAILURE)
        except OSError as exc:
            click.echo(f"MISLUKT: {describe_os_error(exc)} Er is niets (verder) geschreven.", err=True)
            sys.exit(EXIT_FAILURE)
        except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001
            log_unexpected("(geen)", exc, f"'woo-publish {safe(ctx.invoked_subcommand or '')}'")
            click.echo(
                f"MISLUKT: er ging iets onverwachts mis ({type(exc).__name__}). Meld dit aan de beheerder van de "
                "site, met de foutregel hierboven.",
                err=True,
            )
            sys.exit(EXIT_FAILURE)


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(
    __version__, prog_name="woo-publish", message="%(prog)s, versie %(version)s", help="Toon het versienummer en stop."
)
def main() -> None:
    """Publiceer goedgekeurde Woo-besluiten en andere publicaties als doorzoekbare website.

    Zie 'woo-publish OPDRACHT --help' voor de uitleg bij een opdracht.
    """


def _skipped(folder: Path) -> list:
    """Folders in the decisions folder that are never packages ('.' or '_' first): reported, not silently skipped."""
    from .package import skipped_folders, skipped_problem

    found = Problems("")
    for skipped in skipped_folders(folder):
        problems = Problems(skipped.name)
        skipped_problem(skipped, problems)
        found += problems
    return found


@main.command(short_help="Controleer de pakketten: wat doet de volgende build ermee?")
@click.argument("decisions", default=None, required=False, metavar="[MAP]")
@click.option("--decisions", "decisions_option", default=None, metavar="MAP", help=DECISIONS_HELP.format(command="check"))
@click.option("--cache", "cache_option", default=None, metavar="MAP", help="Map voor de cache (standaard .cache/woo-publish).")
@click.option("--config", "config_option", default=None, metavar="BESTAND", help="mkdocs.yml met de site-instellingen.")
@click.option(
    "--archief",
    "archive_option",
    default=None,
    metavar="MAP",
    help="Map met het archief van goedgekeurde versies (standaard .woo-archief naast de map met besluiten).",
)
@click.option("--vandaag", default=None, metavar="DATUM", help="Datum die als vandaag geldt voor de embargo's (JJJJ-MM-DD).")
def check(
    decisions: str | None,
    decisions_option: str | None,
    cache_option: str | None,
    config_option: str | None,
    archive_option: str | None,
    vandaag: str | None,
) -> None:
    """Controleer alle pakketten en zeg per pakket wat de volgende build ermee doet.

    De pakketten staan in MAP (standaard decisions/); MAP mag ook met --decisions MAP, zoals bij build.
    """
    import tempfile

    from .approval import Trust
    from .fate import EMBARGO, KEPT, OFFLINE, PUBLISH, WITHDRAWN, decide, vanished, why
    from .store import Archive, archive_dir

    folder = _decisions_dir(_decisions_choice(decisions, decisions_option))
    # One package folder (as approve and withdraw take it): checked with its siblings, reported alone.
    single = folder if (folder / "besluit.md").is_file() else None
    if single is not None:
        folder = single.parent
    site = _site_config(config_option)
    site_problems = site.problems if site else Problems("")
    if site_problems:
        click.echo(f"{'FOUT' if site_problems.has_errors else 'LET OP'} site-instellingen ({safe(site.path)}):")
        _print_problems(site_problems)
    if site is None:
        click.echo("LET OP: er is geen mkdocs.yml gevonden, dus handtekeningen kunnen niet gecontroleerd worden.")
    allowed = site.allowed_personal_data if site else []
    today = _today(vandaag) or dt.date.today()
    ssh_missing = _ssh_missing(site)
    cache = _open_cache(cache_option)
    limits = site.limits if site else None
    inspector = PdfInspector(cache, limits=limits)
    trust = Trust.from_site(site)
    if single is None:
        _print_problems(_skipped(folder))
    archive = Archive(archive_dir(archive_option, site, folder))
    # Broken settings (no or an empty signers file) make every signature unverifiable: no verdict announces OFFLINE.
    settings_broken = site is None or any(
        p.code in ("config.ondertekenaars", "config.ondertekenaars_leeg") for p in site_problems
    )
    results = evaluate(
        package_folders(folder)
        + ([single] if single is not None and single.resolve() not in [p.resolve() for p in package_folders(folder)] else []),
        inspector,
        allowed,
        progress=TerminalProgress.if_interactive("Pdf's controleren"),
        trust=trust,
        limits=limits,
        archive=archive,
    )
    # Unpack archived versions inside the archive when it exists (links, no copies); never create it here.
    with tempfile.TemporaryDirectory(prefix=".uitgepakt-", dir=archive.root if archive.root.is_dir() else None) as tmp:
        fates = decide(results, trust, archive, inspector, allowed, today, Path(tmp))
        if single is not None:
            fates = [f for f in fates if f.current.folder.resolve() == single.resolve()]
        as_is = waiting = withdrawn = 0
        for f in fates:
            r = f.current
            label = f"{safe(r.name)}" + (f" ({safe(f.kenmerk)})" if f.kenmerk else "")
            if f.state == PUBLISH:
                as_is += 1
                click.echo(f"OK          {label}: wordt gepubliceerd zoals het is.")
            elif f.state == WITHDRAWN:
                as_is += 0 if r.problems.has_errors else 1
                withdrawn += 0 if r.problems.has_errors else 1
                w = r.withdrawal or f.archived.withdrawal
                click.echo(f"INGETROKKEN {label}: ingetrokken per {w.date.isoformat()}; de site toont een melding met de reden.")
            elif f.state == EMBARGO and not r.problems.has_errors:
                as_is += 1  # in order: it waits for its publication date, nothing to fix
                waiting += 1
                click.echo(
                    f"EMBARGO     {label}: blijft van de site tot {r.decision.publication_date.isoformat()} (publicatiedatum)."
                )
            elif f.state == KEPT:
                click.echo(
                    f"BEHOUDEN    {label}: de huidige versie wordt NIET gepubliceerd ({why(f)}); "
                    f"de eerder goedgekeurde versie (gepubliceerd {f.archived_on}) blijft online."
                )
            elif f.state == OFFLINE and settings_broken:
                click.echo(
                    f"ONZEKER     {label}: wordt nu niet gepubliceerd ({why(f)}), maar dat komt door de site-instellingen "
                    "hierboven: zo kan geen handtekening gecontroleerd worden. Herstel eerst de instellingen en controleer opnieuw."
                )
            elif f.state == OFFLINE:
                click.echo(
                    f"OFFLINE     {label}: de huidige versie wordt niet gepubliceerd ({why(f)}) en de eerder "
                    "goedgekeurde versie voldoet niet meer aan de controles: de publicatie gaat offline, met een neutrale melding op de site."
                )
                _print_problems(f.archived.problems)
            elif f.state == EMBARGO:
                click.echo(f"BEHOUDEN    {label}: de huidige versie wordt NIET gepubliceerd ({why(f)}).")
            else:
                click.echo(f"BLIJFT WEG  {label}: wordt niet gepubliceerd: {why(f)}.")
            if (
                f.approval is not None
                and f.approval.changed
                and r.problems.has_errors
                and not any(p.code == "goedkeuring.verlopen" for p in r.problems)
            ):
                from .approval import read_record

                recorded = (read_record(r.folder) or {}).get("bestanden", {})
                for rel in f.approval.changed:
                    how = "toegevoegd" if rel not in recorded else "verwijderd" if not (r.folder / rel).exists() else "gewijzigd"
                    click.echo(f"     {safe(rel)}: {how} na de goedkeuring.")
            if r.decision is not None and r.decision.inventory_file is not None:
                rows = len(r.decision.inventory)
                click.echo(f"     {safe(r.decision.inventory_file.relpath)}: {count(rows, 'rij', 'rijen')} gelezen.")
            _print_problems(r.problems)
        gone = vanished(results, archive) if single is None else []
        for item in gone:
            click.echo(f"VERDWIJNT   {safe(item['package'])}: {safe(item['message'])}\n    Oplossing: {safe(item['fix'])}")
    if single is not None:
        _say_cross_package(single, len(results) - 1)
    click.echo()
    if site_problems.has_errors:
        click.echo(f"De site-instellingen in {safe(site.path)} zijn ongeldig: de site kan zo niet gebouwd worden.")
    if ssh_missing:
        click.echo(f"FOUT: {ssh_missing}")
    if not fates:
        click.echo(f"Geen pakketten gevonden in {safe(folder)}/.")
    elif as_is < len(fates):
        click.echo(_not_as_is(len(fates) - as_is, len(fates)) + " Los de problemen hierboven op en controleer opnieuw.")
    elif waiting or withdrawn:
        said = [count(waiting, "pakket wacht", "pakketten wachten") + " op de publicatiedatum"] if waiting else []
        said += [count(withdrawn, "pakket is", "pakketten zijn") + " ingetrokken"] if withdrawn else []
        if len(fates) == 1 and withdrawn:
            said = ["het is ingetrokken; de site toont de melding met de reden"]
        click.echo(
            f"{'Het pakket is' if len(fates) == 1 else 'Alle ' + count(len(fates), 'pakket', 'pakketten') + ' zijn'} in orde; "
            f"{' en '.join(said)}."
        )
    elif len(fates) == 1:
        click.echo("Het pakket wordt gepubliceerd zoals het is.")
    else:
        click.echo(f"Alle {count(len(fates), 'pakket', 'pakketten')} worden gepubliceerd zoals ze zijn.")
    sys.exit(1 if as_is < len(fates) or gone or site_problems.has_errors or ssh_missing else 0)


CROSS_PACKAGE = "een dubbel kenmerk of webadres, een bestand van een ingetrokken besluit"


def _say_cross_package(single: Path, others: int) -> None:
    """New-user round 12: ``check PACKAGE`` says against which packages it checked the rules across packages, and says
    it when there were none to check against (the package is not beside the others in the decisions folder)."""
    where = safe(single.resolve().parent)
    if others:
        click.echo(
            f"Over de pakketten heen ({CROSS_PACKAGE}) is dit pakket vergeleken met "
            f"{count(others, 'pakket', 'pakketten')} in {where}/. Wat de map als geheel betreft (zoals een "
            "verdwenen pakketmap), meldt alleen 'woo-publish check' zonder pakket."
        )
        return
    click.echo(
        f"LET OP: de controles over de pakketten heen ({CROSS_PACKAGE}) zijn niet uitgevoerd: naast dit pakket staan in "
        f"{where}/ geen andere pakketten. Zet het pakket in de map met besluiten (decisions/) en voer daar "
        "'woo-publish check' uit zonder pakket (of 'woo-publish build'): dan wordt het met alle andere pakketten vergeleken."
    )


def _not_as_is(refused: int, total: int) -> str:
    if total == 1:
        return "Het pakket wordt niet gepubliceerd zoals het is."
    verb = "wordt" if refused == 1 else "worden"
    return f"{refused} van de {count(total, 'pakket', 'pakketten')} {verb} niet gepubliceerd zoals {'het is' if refused == 1 else 'ze zijn'}."


def _ssh_missing(site) -> str:
    import shutil

    from .signing import MISSING_SSH, MISSING_SSH_FIX

    if (site is None or not site.unsigned) and shutil.which("ssh-keygen") is None:
        return f"{MISSING_SSH} {MISSING_SSH_FIX}"
    return ""


def _refuse(verb: str, what: str, fix: str = "", status: int = 1) -> NoReturn:
    """approve and withdraw stop before writing anything: one Dutch message (what is wrong, how to fix it) and
    the documented exit status: 1 the package or the key, 2 the site settings (README, 'Commands')."""
    # A message ending in a command or key to copy gets no full stop glued to it: the closing sentence goes on its own line.
    end = " " if what.rstrip().endswith((".", "!", "?")) else "\n"
    click.echo(f"Niet {verb}: {what.rstrip()}{end}Er is niets vastgelegd." + (f"\n    Oplossing: {fix}" if fix else ""))
    sys.exit(status)


def _package_folder(package: Path, verb: str) -> None:
    """The package argument names a package folder; else a Dutch refusal, with a near name when there is one."""
    import difflib

    if package.is_dir():
        return
    if package.is_file():
        _refuse(
            verb,
            f"'{safe(package)}' is een bestand, geen pakket.",
            f"Geef de map van het pakket (de map met besluit.md), bijvoorbeeld '{safe(package.parent)}'.",
        )
    parent = package.parent if package.parent.is_dir() else None
    names = [p.name for p in parent.iterdir() if p.is_dir()] if parent is not None else []
    close = difflib.get_close_matches(package.name, names, n=1, cutoff=0.6)
    hint = f"Bedoelde u '{safe(parent / close[0])}'? " if parent is not None and close else ""
    _refuse(
        verb,
        f"het pakket '{safe(package)}' bestaat niet.",
        hint + "Geef het pad van de map van het pakket, zoals decisions/2024-0001 (controleer de schrijfwijze).",
    )


def _signing_key(option: Path | None, site, verb: str) -> Path | None:
    """--sleutel, else $WOO_PUBLISH_SLEUTEL, else ~/.ssh/id_ed25519; None only in unsigned trial mode. Checked
    before anything else is done: it exists, is a usable private key and is listed among the allowed signers."""
    import os

    from .signing import KEY_ENV, SigningError, default_key, principal_for

    key = option or default_key()
    if key is None:
        if site.unsigned:
            return None
        _refuse(
            verb,
            f"er is geen sleutel om mee te ondertekenen: --sleutel is niet gegeven, ${KEY_ENV} is niet gezet en "
            "~/.ssh/id_ed25519 bestaat niet.",
            "Geef uw sleutel met --sleutel PAD, of maak er eenmalig een aan met 'ssh-keygen -t ed25519' "
            "(zie de handleiding, 'Eenmalig: uw sleutel').",
        )
    if site.signers is not None:
        try:
            principal_for(key, site.signers)
        except SigningError as exc:
            origin = f" (de sleutel komt uit ${KEY_ENV})" if option is None and os.environ.get(KEY_ENV) else ""
            _refuse(verb, f"{exc}{origin}")
    return key


def _trusted_site(config_option: str | None):
    site = _site_config(config_option)
    if site is None:
        click.echo(
            "FOUT: er is geen mkdocs.yml gevonden in deze map: daarin staat wie mag goedkeuren (extra.woo.ondertekenaars).\n"
            "    Oplossing: voer de opdracht uit in de map van de site, of geef het bestand met --config PAD."
        )
        sys.exit(2)
    errors = [p for p in site.problems if p.is_error]
    if errors:
        click.echo(f"FOUT site-instellingen ({site.path}):")
        for p in errors:
            click.echo(p.format())
        sys.exit(2)
    missing = _ssh_missing(site)
    if missing:
        click.echo(f"FOUT: {missing}")
        sys.exit(2)
    if site.unsigned:
        click.echo("LET OP: ongetekende goedkeuringen staan aan (extra.woo.ongetekend): alleen voor proeven.")
    return site


@main.command(short_help="Keur een pakket goed en onderteken het met uw sleutel.")
@click.argument("package", type=click.Path(path_type=Path), metavar="PAKKET")
@click.option(
    "--sleutel",
    "key_option",
    default=None,
    type=click.Path(path_type=Path),
    help="Uw persoonlijke SSH-sleutel (standaard $WOO_PUBLISH_SLEUTEL of ~/.ssh/id_ed25519).",
)
@click.option("--door", default=None, hidden=True, help="Vervallen: wie goedkeurt volgt uit de sleutel.")
@click.option("--cache", "cache_option", default=None, metavar="MAP", help="Map voor de cache.")
@click.option("--config", "config_option", default=None, metavar="BESTAND", help="mkdocs.yml met de site-instellingen.")
def approve(
    package: Path, key_option: Path | None, door: str | None, cache_option: str | None, config_option: str | None
) -> None:
    """Keur een pakket goed voor publicatie, in zijn huidige toestand, en onderteken met uw sleutel."""
    from .approval import Trust, check_approval, read_record
    from .history import append_changes, sign_change
    from .signing import SigningError

    _package_folder(package, "goedgekeurd")
    if door is not None:
        click.echo("LET OP: --door is vervallen en wordt genegeerd: wie goedkeurt volgt uit de sleutel.")
    from .package import is_skipped_name, skipped_problem

    if is_skipped_name(package.resolve().name):  # the build never reads it: approving it would mislead
        problems = Problems(package.resolve().name)
        skipped_problem(package, problems, error=True)
        click.echo(f"Niet goedgekeurd: {safe(package.resolve().name)} wordt nooit gepubliceerd. Er is niets vastgelegd.")
        _print_problems(problems)
        sys.exit(1)
    site = _trusted_site(config_option)
    key = _signing_key(key_option, site, "goedgekeurd")
    cache = _open_cache(cache_option)
    trust = Trust.from_site(site)
    siblings = package_folders(package.parent) if package.parent.is_dir() else [package]
    if package.resolve() not in [s.resolve() for s in siblings]:
        siblings.append(package)
    from .store import Archive, archive_dir

    # The archive's memory counts here too: a withdrawn document's file is not approved back onto the site.
    results = evaluate(
        siblings,
        PdfInspector(cache, limits=site.limits),
        site.allowed_personal_data,
        trust=trust,
        limits=site.limits,
        archive=Archive(archive_dir(None, site, package.parent)),
        approving=package,
    )
    result = next(r for r in results if r.folder.resolve() == package.resolve())
    if not result.valid:
        click.echo(f"Niet goedgekeurd: {safe(package.name)} is ongeldig. Er is niets vastgelegd.")
        _print_problems(result.problems)
        sys.exit(1)
    _print_problems(result.problems)
    # Four-eyes: a second approver co-signs the same state; the same key twice does not count.
    status = check_approval(package, Problems(package.name), Trust(site.signers, False, site.unsigned))
    cosign = site.four_eyes and status.approved and key is not None
    try:
        if cosign:
            from .signing import principal_for

            me = principal_for(key, site.signers)
            if me in status.signers:
                _refuse(
                    "goedgekeurd",
                    f"u ({safe(me)}) heeft deze versie van {safe(package.name)} al goedgekeurd; vier ogen vraagt een tweede persoon.",
                    f"Laat een collega met een eigen sleutel goedkeuren met: woo-publish approve {safe(package)}",
                )
        changes = [] if cosign else _changes_since_last_approval(result)
        if changes:
            if key is not None:
                changes = [sign_change(c, package, key, site.signers) for c in changes]
            append_changes(package, changes)
            for c in changes:
                verb = c.kind.split(" ", 1)[-1]  # 'document 4 vervangen', not 'document vervangen 4'
                what = (
                    f"document {safe(c.document)} {verb}" if c.document else c.kind + (f" ({safe(c.title)})" if c.title else "")
                )
                click.echo(f"Wijziging vastgelegd voor de publieke geschiedenis: {what}")
        write_approval(package, key, site.signers, cosign=cosign)
    except SigningError as exc:
        _refuse("goedgekeurd", str(exc))
    record = read_record(package) or {}
    count = len(record.get("handtekeningen") or [])
    if site.four_eyes and count < 2:
        click.echo(
            f"Goedgekeurd door de eerste persoon: {safe(package.name)} ({safe(result.decision.kenmerk)}). Vier ogen: het wordt pas "
            f"gepubliceerd als een tweede persoon het ook goedkeurt met: woo-publish approve {package}"
        )
    else:
        again = " Deze versie was al goedgekeurd; de goedkeuring is vernieuwd." if status.approved and not cosign else ""
        click.echo(
            f"Goedgekeurd: {safe(package.name)} ({safe(result.decision.kenmerk)}).{again} Elke wijziging hierna vraagt een "
            "nieuwe goedkeuring."
        )


def _changes_since_last_approval(result) -> list:
    """What changed in an already approved package: becomes its public change history."""
    import datetime as dt

    from .approval import current_hashes, previous_hashes
    from .history import ADDED, REMOVED, REPLACED, Change
    from .package import files_by_number

    before = previous_hashes(result.folder)
    if before is None:
        return []
    now = current_hashes(result.folder)
    d = result.decision
    roles = {d.letter.relpath: (None, "Besluitbrief")}
    roles.update({a.file.relpath: (None, a.title) for a in d.annexes})
    roles.update({r.file.relpath: (r.nr, r.title) for r in d.inventory if r.file is not None})
    suspended = {r.nr for r in d.inventory if r.suspended}
    today = dt.date.today()
    changes = []
    for rel in sorted(set(before) | set(now)):
        if rel in before and rel in now and before[rel] == now[rel]:
            continue
        if rel in now and rel not in roles:
            continue  # besluit.md or the inventory itself: not a published document
        if rel in d.suspended_files or files_by_number(suspended, [rel]):
            continue  # a suspended document's file was never published: its changes are not public history
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


@main.command(short_help="Haal een publicatie of één document van de site.")
@click.argument("package", type=click.Path(path_type=Path), metavar="PAKKET")
@click.option("--reden", required=True, help="Publieke reden van de intrekking (komt op de site).")
@click.option(
    "--document",
    "document_nr",
    default=None,
    metavar="NR",
    help="Nummer uit de inventaris; zonder dit wordt de hele publicatie ingetrokken.",
)
@click.option("--datum", default=None, metavar="DATUM", help="Datum van intrekking (JJJJ-MM-DD, standaard vandaag).")
@click.option(
    "--sleutel",
    "key_option",
    default=None,
    type=click.Path(path_type=Path),
    help="Uw persoonlijke SSH-sleutel (standaard $WOO_PUBLISH_SLEUTEL of ~/.ssh/id_ed25519).",
)
@click.option("--config", "config_option", default=None, metavar="BESTAND", help="mkdocs.yml met de site-instellingen.")
def withdraw(
    package: Path, reden: str, document_nr: str | None, datum: str | None, key_option: Path | None, config_option: str | None
) -> None:
    """Haal een publicatie of één document ervan van de site, met een openbare reden (ondertekend)."""
    import datetime as dt

    from .history import WITHDRAWN_DECISION, WITHDRAWN_DOCUMENT, Change, append_changes, read_history, sign_change
    from .package import load_package
    from .signing import SigningError

    _package_folder(package, "ingetrokken")
    if not (package / "besluit.md").is_file():
        _refuse(
            "ingetrokken",
            f"'{safe(package)}' is geen pakket: besluit.md ontbreekt.",
            "Geef de map van een gepubliceerd pakket (de map met besluit.md), zoals decisions/2024-0001.",
        )
    if not reden.strip():
        raise click.BadParameter("geef een reden; die komt op de site", param_hint="--reden")
    when = _today(datum, "--datum") or dt.date.today()
    _, error = read_history(package)
    if error:
        _refuse(
            "ingetrokken",
            f"{safe(package.name)}/wijzigingen.json: {safe(error)}.",
            "Zet wijzigingen.json terug uit de versiegeschiedenis (of de back-up); bewerk het niet met de hand.",
        )
    site = _trusted_site(config_option)
    # "Already withdrawn" only counts signed entries: a hand-written one must not block a real withdrawal.
    from .approval import Trust

    history, _ = read_history(package, Trust.from_site(site))
    _refuse_personal_reason(package, reden, site)
    title = ""
    if document_nr is not None:
        decision, problems = load_package(package)
        if decision is None:
            _print_problems(problems)
            _refuse(
                "ingetrokken",
                f"{safe(package.name)} is ongeldig (zie hierboven), dus document {safe(document_nr)} kan niet gevonden worden.",
                "Los de problemen op, of trek zo nodig de hele publicatie in (zonder --document).",
            )
        rows = [r for r in decision.inventory if r.nr == str(document_nr).strip().rstrip(".")]
        if not rows:
            inventory = decision.inventory_file.relpath if decision.inventory_file else "de inventaris"
            _refuse(
                "ingetrokken",
                f"document {safe(document_nr)} staat niet in de inventaris van {safe(package.name)}.",
                f"Geef het nummer uit de kolom 'nr' van {safe(inventory)}, zoals --document {safe(decision.inventory[0].nr)}."
                if decision.inventory
                else "Dit pakket heeft geen documenten in een inventaris; trek zo nodig de hele publicatie in (zonder --document).",
            )
        document_nr, title = rows[0].nr, rows[0].title
        if any(c.kind == WITHDRAWN_DOCUMENT and c.document == document_nr for c in history):
            click.echo(f"Document {safe(document_nr)} van {safe(package.name)} was al ingetrokken.")
            return
        change = Change(when, WITHDRAWN_DOCUMENT, document_nr, title, reden.strip())
    else:
        if any(c.kind == WITHDRAWN_DECISION for c in history):
            click.echo(f"{safe(package.name)} was al ingetrokken.")
            return
        change = Change(when, WITHDRAWN_DECISION, None, "", reden.strip())
    key = _signing_key(key_option, site, "ingetrokken")
    try:
        if key is not None:
            change = sign_change(change, package, key, site.signers)
    except SigningError as exc:
        _refuse("ingetrokken", str(exc))
    append_changes(package, [change])
    what = f"document {safe(document_nr)} ({safe(title)})" if document_nr else _whole(package)
    click.echo(
        f"Ingetrokken: {what} van {safe(package.name)}, per {when.isoformat()}. Het verdwijnt bij de volgende build van de site."
    )


def _whole(package: Path) -> str:
    """'het hele besluit' for a Woo decision, 'de hele publicatie' for the other types (Kamerbrief, raadsbrief, ...)."""
    from .history import raw_identity
    from .types import DEFAULT_TYPE

    return "het hele besluit" if raw_identity(package)[1] == DEFAULT_TYPE else "de hele publicatie"


def _refuse_personal_reason(package: Path, reden: str, site) -> None:
    """The public reason is published on the site: refuse it when it holds personal data."""
    from .gate.personal_data import KINDS, allowed_hashes
    from .invisible import describe_all, invisible
    from .package import load_package
    from .privacy import reason_findings

    hidden = [char for _, char in invisible(reden)]
    if hidden:
        _refuse(
            "ingetrokken",
            f"de reden bevat {'een onzichtbaar teken' if len(hidden) == 1 else 'onzichtbare tekens'}: "
            f"{describe_all(hidden)}; de reden komt op de website en in de open data, zo'n teken kan er tekst in verbergen.",
            "Typ de reden opnieuw, zonder te kopiëren uit een ander programma.",
        )
    decision, _ = load_package(package)
    allowed = allowed_hashes(list(site.allowed_personal_data) + (decision.allowed_personal_data if decision else []))
    items = reason_findings(reden, allowed)
    if items:
        what = "; ".join(f"{KINDS[item.kind]}: {item.masked}" for item in items)
        _refuse(
            "ingetrokken",
            f"de reden bevat persoonsgegevens ({what}); de reden komt op de website en in de open data.",
            "Geef een reden zonder persoonsgegevens, bijvoorbeeld 'Het document bevatte persoonsgegevens die niet gelakt waren.'",
        )


@main.command(short_help="Bouw de website uit alle geldige, goedgekeurde pakketten.")
@click.argument("decisions_argument", default=None, required=False, metavar="[MAP]")
@click.option("--decisions", default=None, metavar="MAP", help=DECISIONS_HELP.format(command="build"))
@click.option("--out", default="site", metavar="MAP", help="Uitvoermap van de website (standaard site/).")
@click.option("--strict", is_flag=True, help="Schrijf niets als er een pakket wordt geweigerd.")
@click.option("--config", "config_option", default=None, metavar="BESTAND", help="mkdocs.yml met de site-instellingen.")
@click.option(
    "--cache",
    "cache_option",
    default=None,
    metavar="MAP",
    help="Map voor de cache (standaard .cache/woo-publish), of s3://emmer/voorvoegsel voor een gedeelde cache in eigen S3-opslag.",
)
@click.option(
    "--cache-sleutel",
    "cache_key_option",
    default=None,
    type=click.Path(path_type=Path),
    help="Sleutelbestand waarmee de cache wordt ondertekend (standaard $WOO_CACHE_KEY_FILE, anders "
    "~/.config/woo-publicatie/cachesleutel, of onder $XDG_CONFIG_HOME).",
)
@click.option(
    "--cache-endpoint",
    "cache_endpoint",
    default=None,
    metavar="ADRES",
    help="Adres van de eigen S3-opslag voor --cache s3://... (standaard $WOO_CACHE_S3_ENDPOINT).",
)
@click.option(
    "--report",
    "report_file",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Schrijf een JSON-rapport voor monitoring naar dit bestand.",
)
@click.option("--vandaag", default=None, metavar="DATUM", help="Datum die als vandaag geldt voor de embargo's (JJJJ-MM-DD).")
@click.option(
    "--bronnen",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Bewaar de gegenereerde Markdown-bronnen in deze map.",
)
@click.option(
    "--workers", default=None, type=click.IntRange(1, 64), help="Aantal processen voor pdf-werk en handtekeningcontroles."
)
@click.option(
    "--uitgebreid",
    "-v",
    "verbose",
    is_flag=True,
    help="Noem elke publicatie die gepubliceerd wordt, ook als de uitvoer niet naar een terminal gaat.",
)
@click.option(
    "--engine",
    default=None,
    type=click.Choice(["lokaal", "dask"]),
    help="Waar de pdf's gecontroleerd worden: lokaal (standaard) of op een Dask-cluster (woo-publicatie[cluster]).",
)
@click.option("--scheduler", default=None, metavar="ADRES", help="Adres van de Dask-scheduler, zoals tcp://rekenserver:8786.")
@click.option(
    "--archief",
    "archive_option",
    default=None,
    metavar="MAP",
    help="Map met het archief van goedgekeurde versies (standaard .woo-archief naast de map met besluiten).",
)
def build(
    decisions_argument,
    decisions,
    out,
    strict,
    config_option,
    cache_option,
    cache_key_option,
    cache_endpoint,
    report_file,
    vandaag,
    bronnen,
    workers,
    verbose,
    engine,
    scheduler,
    archive_option,
) -> None:
    """Bouw de website uit alle geldige, goedgekeurde pakketten.

    De pakketten staan in MAP (standaard decisions/); MAP mag ook met --decisions MAP, zoals bij check.
    """
    config = find_config(config_option)
    if not config.is_file():
        raise click.UsageError(
            f"het configuratiebestand '{safe(config)}' bestaat niet. Voer de opdracht uit in de map van de site, "
            "geef --config, of begin een nieuwe site met 'woo-publish init MAP'."
        )
    if report_file:
        problem = _report_unwritable(report_file)
        if problem:
            click.echo(
                f"MISLUKT: het rapport kan niet geschreven worden naar {safe(report_file)}: {problem} "
                "Er is niets gebouwd. Kies met --report een bestand in een map waarin geschreven mag worden.",
                err=True,
            )
            sys.exit(EXIT_FAILURE)
    opts = BuildOptions(
        decisions=_decisions_dir(_decisions_choice(decisions_argument, decisions)),
        out=Path(out),
        config=config,
        cache=cache_dir(cache_option),
        cache_key=cache_key_option,
        cache_remote=cache_option if is_remote(cache_option) else "",
        cache_endpoint=cache_endpoint or "",
        strict=strict,
        today=_today(vandaag),
        workers=workers,
        keep_sources=bronnen,
        archive=Path(archive_option) if archive_option else None,
        engine=engine or "",
        scheduler=scheduler or "",
    )
    try:
        report = run_build(opts, progress=TerminalProgress.if_interactive("Pdf's controleren"))
    except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001 - a build failure must still give a report and exit 2
        from .build import BuildReport

        log_unexpected("(site)", exc, "het bouwen van de site")
        report = BuildReport(
            error=f"de build is mislukt door een onverwachte fout ({type(exc).__name__}); zie de foutregel hierboven.",
            exit_code=EXIT_FAILURE,
        )
    _print_report(report, Path(out), strict, verbose=verbose or sys.stdout.isatty())
    if report_file:
        try:
            _write_report(report_file, json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")
        except OSError as exc:
            click.echo(f"MISLUKT: {describe_os_error(exc, 'het rapport kon niet geschreven worden')}", err=True)
            sys.exit(EXIT_FAILURE)
    sys.exit(report.exit_code)


def _report_unwritable(path: Path) -> str | None:
    """Why the report could not be written, checked before anything is built (None: it can)."""
    import os
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            return "dit is een map."
        if path.exists() and not os.access(path, os.W_OK):
            return "er zijn geen rechten om dit bestand te overschrijven."
        fd, probe = tempfile.mkstemp(dir=path.parent, prefix=".woo-rapport-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return describe_os_error(exc)
    return None


def _write_report(path: Path, text: str) -> None:
    """Whole or not at all: a monitor never reads half a report."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".woo-rapport-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:  # a name that is no UTF-8
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _print_report(report, out: Path, strict: bool, verbose: bool) -> None:
    """Everything on a terminal; from a scheduler only what needs a person (refusals, warnings,
    failures) and the summary, so a nightly mail is short unless something is wrong."""
    if verbose:
        for item in report.published:
            click.echo(f"GEPUBLICEERD {safe(item['package'])} ({safe(item['kenmerk'])})")
        for item in report.embargoed:
            click.echo(
                f"EMBARGO      {safe(item['package'])} ({safe(item['kenmerk'])}): verschijnt vanaf {item['publicatie_datum']}"
            )
        for item in report.withdrawn:
            click.echo(f"INGETROKKEN  {safe(item['package'])} ({safe(item['kenmerk'])}) per {item['ingetrokken_op']}")
        for item in report.withdrawn_documents:
            click.echo(
                f"INGETROKKEN  document {safe(item['document'])} van {safe(item['package'])} ({safe(item['kenmerk'])}) "
                f"per {item['ingetrokken_op']}"
            )
    for item in report.kept:
        click.echo(
            f"BEHOUDEN     {safe(item['package'])} ({safe(item['kenmerk'])}): de nieuwe versie is NIET gepubliceerd ({safe(item['reden'])}); "
            f"de eerder goedgekeurde versie (gepubliceerd {item['gearchiveerd_op']}) blijft online."
        )
    for item in report.offline:
        click.echo(
            f"OFFLINE      {safe(item['package'])}"
            + (f" ({safe(item['kenmerk'])})" if item["kenmerk"] else "")
            + f": de nieuwe versie is niet gepubliceerd ({safe(item['reden'])}) en de eerder goedgekeurde versie voldoet "
            "niet meer aan de controles; de site toont een neutrale melding."
        )
        for p in item["problems"]:
            click.echo(f"    {safe(p['file'] or p['package'])}: {safe(p['message'])}")
    kept = {r["package"] for r in report.kept}
    withdrawn = {r["package"] for r in report.withdrawn}
    for item in report.refused:  # a kept or withdrawn package is counted there: its label says so, not GEWEIGERD
        if item["package"] in kept:
            click.echo(f"BEHOUDEN     {safe(item['package'])}: problemen in de nieuwe versie (niet gepubliceerd):")
        elif item["package"] in withdrawn:
            click.echo(f"INGETROKKEN  {safe(item['package'])}: problemen in het pakket:")
        else:
            click.echo(f"GEWEIGERD    {safe(item['package'])}:")
        for p in item["problems"]:
            where = "/".join(safe(x) for x in (p["package"], p["file"]) if x)
            where = f"{where}, {safe(p['location'])}" if p["location"] else where
            click.echo(f"    {where}: {safe(p['message'])}\n        Oplossing: {safe(p['fix'])}")
    for p in report.warnings:
        where = "/".join(safe(x) for x in (p["package"], p["file"]) if x) or "site"
        click.echo(f"WAARSCHUWING {where}{', ' + safe(p['location']) if p['location'] else ''}: {safe(p['message'])}")
        if p.get("fix"):  # as `check` prints it: what to do, under the warning
            click.echo(f"    Oplossing: {safe(p['fix'])}")
    if report.error:
        click.echo("MISLUKT: " + "\n".join(safe(line) for line in report.error.split("\n")), err=True)
    if report.written:
        checked = max(report.pdfs_checked, report.pdfs_parsed)
        pdfs = count(checked, "pdf", "pdf's")
        # Every package counted once: a refused package whose approved version stays online counts as
        # published ("waarvan"), a withdrawal with a problem as withdrawn; the counts add up to the packages.
        elsewhere = {r["package"] for r in report.kept} | {r["package"] for r in report.withdrawn}
        refused = [r for r in report.refused if r["package"] not in elsewhere]
        click.echo(
            f"Site geschreven naar {safe(out)}/: {count(len(report.published), 'publicatie', 'publicaties')} gepubliceerd"
            + (f" (waarvan {len(report.kept)} in een eerder goedgekeurde versie)" if report.kept else "")
            + f", {len(refused)} geweigerd"
            + (f" (waarvan {len(report.offline)} offline gehaald)" if report.offline else "")
            + f", {len(report.embargoed)} onder embargo, {_withdrawn_summary(report)}"
            + f"; {pdfs} gecontroleerd ({dutch_number(checked - report.pdfs_parsed)} uit de cache, "
            f"{dutch_number(report.pdfs_parsed)} opnieuw gelezen) in {dutch_number(round(report.timings.get('totaal', 0), 1))} s."
        )
    elif report.exit_code == EXIT_REFUSED and strict:
        click.echo(
            f"Niets geschreven (--strict): {count(len(report.refused), 'pakket', 'pakketten')} geweigerd. De bestaande site in "
            f"{safe(out)}/ is ongewijzigd."
        )
    elif report.exit_code == EXIT_FAILURE:
        click.echo(f"Niets geschreven. De bestaande site in {safe(out)}/ is ongewijzigd.")


def _withdrawn_summary(report) -> str:
    """'0 ingetrokken'; with documents withdrawn from published decisions (``withdraw --document``) those are named apart:
    '0 publicaties en 1 document ingetrokken' (new-user round 12: before, a document withdrawal read as nothing withdrawn)."""
    documents = len(report.withdrawn_documents)
    if not documents:
        return f"{len(report.withdrawn)} ingetrokken"
    publications = count(len(report.withdrawn), "publicatie", "publicaties")
    return f"{publications} en {count(documents, 'document', 'documenten')} ingetrokken"


@main.command(short_help="Begin een nieuwe site in MAP.")
@click.argument("folder", metavar="MAP", type=click.Path(path_type=Path))
def init(folder: Path) -> None:
    """Begin een nieuwe site in MAP: mkdocs.yml om in te vullen, een lege decisions/, een README en de handleidingen."""
    from .newsite import create_site, woo_publish_command

    problems = create_site(folder)
    if problems:
        _print_problems(problems)
        sys.exit(1)
    click.echo(
        f"Nieuwe site gemaakt in {folder}/: mkdocs.yml, ondertekenaars.txt, decisions/, README.md en de handleidingen "
        "in docs/.\n"
        f"Vul deel 1 van {folder}/mkdocs.yml in, zet in {folder}/ondertekenaars.txt wie mag goedkeuren (zonder komt er "
        f"niets op de site; zie docs/beheer.md), zet besluiten in {folder}/decisions/ en bouw de site met:\n"
        f"    cd {folder} && {woo_publish_command()} build"
    )


@main.command(short_help="Toon de beveiligingsheaders van de gebouwde site.")
@click.option("--out", default="site", metavar="MAP", help="Map met de gebouwde site.")
@click.option(
    "--formaat",
    type=click.Choice(["nginx", "netlify"]),
    default="nginx",
    show_default=True,
    help="nginx: add_header-regels; netlify: het _headers-bestand (ook Cloudflare Pages).",
)
def headers(out: str, formaat: str) -> None:
    """Toon de beveiligingsheaders (Content-Security-Policy en andere) van de gebouwde site."""
    from .headers import HEADERS_FILE, headers_file, nginx_snippet, read_headers_file

    written = Path(out) / HEADERS_FILE
    if not written.is_file():
        raise click.UsageError(f"in '{out}' staat geen gebouwde site met {HEADERS_FILE}; voer eerst 'woo-publish build' uit.")
    found = read_headers_file(written)
    click.echo(nginx_snippet(found) if formaat == "nginx" else headers_file(found), nl=False)


@main.command(short_help="Bekijk de gebouwde site lokaal in de browser.")
@click.option("--out", default="site", metavar="MAP", help="Map met de gebouwde site.")
@click.option("--poort", default=8000, type=int, metavar="POORT", help="Poort (standaard 8000).")
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
