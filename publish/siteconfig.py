"""The site's configuration: mkdocs.yml with the organisation's settings under ``extra.woo``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .identity import site_colours
from .limits import DEFAULT_LIMITS, Limits, limits_from_config
from .problems import Problems
from .sitefiles import own_theme


def find_config(option: str | None) -> Path:
    """--config, else mkdocs.yml in the current folder (a site folder, made by ``woo-publish init``)."""
    return Path(option) if option else Path("mkdocs.yml")


@dataclass
class SiteConfig:
    path: Path
    name: str
    base_url: str  # absolute, ends with "/"
    organisation: str
    allowed_personal_data: list[str] = field(default_factory=list)
    tooi: str = ""  # TOOI identifier of the publishing organisation (Woo-index)
    organisation_tooi: dict[str, str] = field(default_factory=dict)  # organisation name -> TOOI
    contact: dict = field(default_factory=dict)
    colours: dict = field(default_factory=dict)
    raw_extra: dict = field(default_factory=dict)
    limits: Limits = DEFAULT_LIMITS  # extra.woo.limieten (publish/limits.py)
    problems: Problems = field(default_factory=lambda: Problems(""))
    inline_scripts: list[str] = field(default_factory=list)  # 'sha256-...' of the inline scripts the site's own templates may add
    custom_dir: Path | None = None  # the site's own theme overrides (theme.custom_dir, else theme/ beside mkdocs.yml)
    nav_pages: set[str] = field(default_factory=set)  # Markdown pages named in nav
    not_in_nav: str = ""  # the not_in_nav patterns (gitignore style): pages published outside the navigation
    use_directory_urls: bool = True
    # --- approvals and archive (issue 13) ---
    signers: Path | None = None  # extra.woo.ondertekenaars: allowed-signers file, relative to mkdocs.yml
    four_eyes: bool = False  # extra.woo.vier_ogen: every approval needs two distinct keys
    unsigned: bool = False  # extra.woo.ongetekend: unsigned approvals accepted (local trials only)
    archive: Path | None = None  # extra.woo.archief: store of approved versions, relative to mkdocs.yml
    # --- end approvals and archive ---
    # --- PDF engine (issue 19): extra.woo.rekenen ---
    engine: str = "lokaal"  # extra.woo.rekenen.motor: lokaal (processes on this machine) or dask (publish/cluster.py)
    scheduler: str = ""  # extra.woo.rekenen.scheduler: tcp://host:8786 of the organisation's own Dask scheduler
    # --- end PDF engine ---


KNOWN_FIELDS = {"organisatie", "tooi", "organisaties", "contact", "toegestane_gegevens", "kleuren", "toegestane_scripts",
                "ondertekenaars", "vier_ogen", "ongetekend", "archief",
                "limieten", "rekenen"}  # limieten: see the block "limits on untrusted input" below
SCRIPT_HASH = re.compile(r"sha256-[A-Za-z0-9+/]{43}=")
CONTACT_FIELDS = {"email", "telefoon", "adres", "formulier"}


def _check_fields(extra: dict, problems: Problems) -> None:
    """A typo in the configuration must not silently drop a feature (sitemaps, contact route)."""
    for name in sorted(set(extra) - KNOWN_FIELDS):
        problems.error("mkdocs.yml", f"extra.woo.{name}", f"onbekend veld '{name}'.",
                       "Controleer de spelling; bekende velden: " + ", ".join(sorted(KNOWN_FIELDS)) + ".", "config.veld_onbekend")
    contact = extra.get("contact") or {}
    if not isinstance(contact, dict):
        problems.error("mkdocs.yml", "extra.woo.contact", "dit moet een lijst van contactgegevens zijn.",
                       "Schrijf bijvoorbeeld 'contact: {email: woo@example.nl, telefoon: \"070 000 00 00\"}'.", "config.contact")
        return
    for name in sorted(set(contact) - CONTACT_FIELDS):
        problems.error("mkdocs.yml", f"extra.woo.contact.{name}", f"onbekend veld '{name}'.",
                       "Gebruik email, telefoon, adres of formulier.", "config.veld_onbekend")
    email = str(contact.get("email") or "")
    if email and not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[a-zA-Z]{2,}", email):
        problems.error("mkdocs.yml", "extra.woo.contact.email", f"'{email}' is geen e-mailadres.",
                       "Vul het algemene e-mailadres van de organisatie in, zoals woo@organisatie.nl.", "config.email")
    form = str(contact.get("formulier") or "")
    if form and not form.startswith("https://"):
        problems.error("mkdocs.yml", "extra.woo.contact.formulier", f"'{form}' is geen https-adres.",
                       "Geef het volledige adres van het contactformulier, beginnend met https://.", "config.formulier")
    if not contact:
        problems.warning("mkdocs.yml", "extra.woo.contact", "er zijn geen contactgegevens ingesteld.",
                         "Zet een algemeen e-mailadres of telefoonnummer onder extra.woo.contact: de "
                         "toegankelijkheidsverklaring moet een contactroute noemen.", "config.contact_ontbreekt")


def _inline_scripts(extra: dict, problems: Problems) -> list[str]:
    """extra.woo.toegestane_scripts: the SHA-256 of each inline script the site's own templates add on purpose."""
    value = extra.get("toegestane_scripts")
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        problems.error("mkdocs.yml", "extra.woo.toegestane_scripts", "dit moet een lijst van script-hashes zijn.",
                       "Schrijf elke hash op een eigen regel, zoals '- sha256-...='; de build noemt de juiste waarde "
                       "wanneer hij een inline script tegenkomt.", "config.scripts")
        return []
    hashes = []
    for i, item in enumerate(value, start=1):
        text = str(item).strip() if isinstance(item, str) else ""
        if not SCRIPT_HASH.fullmatch(text):
            shown = "".join(c if c.isprintable() else "?" for c in str(item))[:80]
            problems.error("mkdocs.yml", f"extra.woo.toegestane_scripts, item {i}", f"'{shown}' is geen SHA-256-hash van een script.",
                           "Neem de waarde precies over uit de melding van de build: 'sha256-' gevolgd door 44 tekens, "
                           "zonder aanhalingstekens.", "config.scripts")
        elif text not in hashes:
            hashes.append(text)
    return hashes


def _nav_pages(nav) -> set[str]:
    """The Markdown files named in mkdocs' nav (nested lists of titles and paths)."""
    found: set[str] = set()
    stack = [nav]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if item.lower().endswith(".md") and "://" not in item:
                found.add(item.lstrip("/"))
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


# --- approvals and archive (issue 13): ondertekenaars, vier_ogen, ongetekend, archief ---------------------------
def _approval_settings(extra: dict, base: Path, problems: Problems) -> dict:
    """Who may sign approvals, whether two must, and where approved versions are archived."""
    out: dict = {}
    for name in ("vier_ogen", "ongetekend"):
        value = extra.get(name, False)
        if not isinstance(value, bool):
            problems.error("mkdocs.yml", f"extra.woo.{name}", f"'{value}' is geen ja/nee-waarde.",
                           f"Schrijf '{name}: true' of '{name}: false'.", "config.janee")
            value = False
        out[{"vier_ogen": "four_eyes", "ongetekend": "unsigned"}[name]] = value
    signers = extra.get("ondertekenaars")
    if signers not in (None, ""):
        path = base / str(signers)
        if not isinstance(signers, str) or not path.is_file():
            problems.error("mkdocs.yml", "extra.woo.ondertekenaars",
                           f"het bestand met toegestane ondertekenaars '{signers}' bestaat niet ({path}).",
                           "Geef het pad (ten opzichte van mkdocs.yml) van het bestand met de openbare sleutels van wie "
                           "mag goedkeuren; zie docs/beheer.md.", "config.ondertekenaars")
        else:
            out["signers"] = path
    elif not out["unsigned"]:
        problems.error("mkdocs.yml", "extra.woo.ondertekenaars", "er is geen bestand met toegestane ondertekenaars ingesteld: "
                       "geen enkele goedkeuring kan gecontroleerd worden.",
                       "Zet 'ondertekenaars: ondertekenaars.txt' onder extra.woo (zie docs/beheer.md), of voor een proef "
                       "op uw eigen computer 'ongetekend: true'.", "config.ondertekenaars")
    if out["unsigned"]:
        problems.warning("mkdocs.yml", "extra.woo.ongetekend", "ongetekende goedkeuringen worden geaccepteerd: alleen "
                         "bedoeld voor proeven, nooit voor de echte site.",
                         "Verwijder 'ongetekend: true' en stel 'ondertekenaars' in (zie docs/beheer.md).", "config.ongetekend")
    if out["four_eyes"] and out["unsigned"]:
        problems.error("mkdocs.yml", "extra.woo.vier_ogen", "vier ogen vraagt twee handtekeningen, maar 'ongetekend' staat aan.",
                       "Zet 'ongetekend' uit en stel 'ondertekenaars' in.", "config.vier_ogen")
    archive = extra.get("archief")
    if archive not in (None, ""):
        if not isinstance(archive, str):
            problems.error("mkdocs.yml", "extra.woo.archief", "dit moet een pad naar een map zijn.",
                           "Schrijf bijvoorbeeld 'archief: .woo-archief'.", "config.archief")
        else:
            out["archive"] = base / archive
    return out
# --- end approvals and archive ------------------------------------------------------------------------------------


# --- PDF engine (issue 19): rekenen.motor, rekenen.scheduler -----------------------------------------------------
def engine_settings(value, problems: Problems, where: str = "mkdocs.yml") -> dict:
    """extra.woo.rekenen: where the PDFs are inspected. ``{motor: dask, scheduler: tcp://host:8786}``."""
    from .cluster import ENGINES, SCHEDULER
    from .safetext import safe

    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        problems.error(where, "extra.woo.rekenen", "dit moet een lijst van instellingen zijn.",
                       "Schrijf bijvoorbeeld 'rekenen: {motor: dask, scheduler: \"tcp://rekenserver:8786\"}'.", "config.rekenen")
        return {}
    out: dict = {}
    for name in sorted(set(value) - {"motor", "scheduler"}):
        problems.error(where, f"extra.woo.rekenen.{safe(name, 60)}", f"onbekend veld '{safe(name, 60)}'.",
                       "Gebruik motor en scheduler.", "config.veld_onbekend")
    engine = value.get("motor", "lokaal")
    if engine not in ENGINES:
        problems.error(where, "extra.woo.rekenen.motor", f"'{safe(engine, 60)}' is geen bekende rekenmotor.",
                       "Kies 'lokaal' (processen op deze machine) of 'dask' (een Dask-cluster, zie docs/beheer.md).", "config.rekenen")
        return {}
    out["engine"] = engine
    scheduler = value.get("scheduler", "")
    if scheduler not in (None, ""):
        if not isinstance(scheduler, str) or not SCHEDULER.fullmatch(scheduler):
            problems.error(where, "extra.woo.rekenen.scheduler", f"'{safe(scheduler, 100)}' is geen adres van een Dask-scheduler.",
                           "Schrijf het adres als 'tcp://rekenserver:8786' (of tls://...).", "config.rekenen")
            return {}
        out["scheduler"] = scheduler
    if engine == "dask" and not out.get("scheduler"):
        problems.error(where, "extra.woo.rekenen.scheduler", "motor 'dask' is gekozen, maar er is geen scheduler ingesteld.",
                       "Zet 'scheduler: tcp://rekenserver:8786' onder extra.woo.rekenen, of geef --scheduler bij de build.",
                       "config.rekenen")
    return out
# --- end PDF engine ---------------------------------------------------------------------------------------------


def load_site_config(path: Path) -> SiteConfig:
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may hold mkdocs-specific tags (!ENV, !!python/name); read them as plain values.
    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    problems = Problems("")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
        extra = (data.get("extra") or {}).get("woo") or {}
        if not isinstance(data, dict) or not isinstance(extra, dict):
            raise ValueError("extra.woo is geen lijst van instellingen")
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, AttributeError, RecursionError) as exc:
        from .safetext import describe_os_error, safe

        reason = describe_os_error(exc) if isinstance(exc, OSError) else safe(getattr(exc, "problem", None) or exc, 300)
        problems.error("mkdocs.yml", "", f"het configuratiebestand {safe(path)} kan niet gelezen worden: {reason}",
                       "Herstel mkdocs.yml (controleer inspringing en dubbele punten) of haal de vorige versie terug.",
                       "config.onleesbaar")
        data, extra = {}, {}
    _check_fields(extra, problems)
    colours = site_colours(extra, problems)
    inline_scripts = _inline_scripts(extra, problems)
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    custom_dir = own_theme(path.parent, str(theme["custom_dir"]) if theme.get("custom_dir") else None)
    approval_settings = _approval_settings(extra, path.resolve().parent, problems)
    # -- limits on untrusted input (issue 12): extra.woo.limieten, defaults in publish/limits.py --
    limits = limits_from_config(extra.get("limieten"), problems)
    # -- end of limits --
    engine = engine_settings(extra.get("rekenen"), problems)  # PDF engine (issue 19)
    base = str(data.get("site_url") or "https://woo.example.nl/")
    if not base.endswith("/"):
        base += "/"
    return SiteConfig(
        path=path,
        name=str(data.get("site_name") or "Woo-besluiten"),
        base_url=base,
        organisation=str(extra.get("organisatie") or data.get("site_name") or ""),
        allowed_personal_data=[str(v) for v in (extra.get("toegestane_gegevens") or [])],
        tooi=str(extra.get("tooi") or ""),
        organisation_tooi={str(k): str(v) for k, v in (extra.get("organisaties") or {}).items()},
        contact=dict(extra.get("contact") or {}) if isinstance(extra.get("contact"), dict) else {},
        colours=colours,
        raw_extra=extra,
        limits=limits,
        problems=problems,
        inline_scripts=inline_scripts,
        custom_dir=custom_dir,
        nav_pages=_nav_pages(data.get("nav") or []),
        not_in_nav=str(data.get("not_in_nav") or ""),
        use_directory_urls=data.get("use_directory_urls") is not False,
        **approval_settings,
        **engine,
    )
