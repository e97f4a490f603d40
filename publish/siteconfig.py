"""The site's configuration: mkdocs.yml with the organisation's settings under ``extra.woo``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .identity import site_colours
from .limits import DEFAULT_LIMITS, Limits, dutch_number, limits_from_config
from .problems import Problems
from .safetext import safe
from .schema import Field, Schema
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


# The settings under extra.woo, declared once: validated here (unknown fields, types, formats) and
# documented in docs/beheer.md from this declaration (a test keeps the two in step).
SETTINGS = Schema(
    "extra.woo",
    (
        Field("organisatie", "line", doc="naam van de publicerende organisatie (standaard: `site_name`)"),
        Field(
            "tooi",
            "url",
            pattern=r"https://identifier\.overheid\.nl/tooi/id/[a-z_]+/[a-z0-9_]+",
            example="https://identifier.overheid.nl/tooi/id/gemeente/gm0363",
            doc="TOOI-URI van de publicerende organisatie; nodig voor de sitemaps van de Woo-index",
        ),
        Field(
            "organisaties",
            "mapping",
            doc="per organisatie die op de site publiceert haar TOOI-URI (`Naam: https://identifier.overheid.nl/tooi/id/...`)",
        ),
        Field(
            "contact",
            "mapping",
            doc="contactroute; verschijnt in de toegankelijkheidsverklaring. Nooit van een medewerker: het adres van een "
            "goedkeurder, een persoonlijk e-mailadres, een 06-nummer, `t.a.v.` of een behandelaar in het formulieradres houdt "
            "de build tegen (`config.contact_persoonlijk`); een waarde onder `toegestane_gegevens` mag wel",
            subfields=(
                Field(
                    "email", "line", doc="algemeen (functioneel) e-mailadres, zoals `woo@organisatie.nl` of `info@organisatie.nl`"
                ),
                Field("telefoon", "line", doc="algemeen telefoonnummer (geen 06-nummer)"),
                Field("adres", "line", doc="postadres"),
                Field("formulier", "url", doc="adres van het contactformulier, beginnend met `https://`"),
            ),
        ),
        Field(
            "toegestane_gegevens", "texts", doc="waarden die op persoonsgegevens lijken maar openbaar mogen, voor alle pakketten"
        ),
        Field(
            "kleuren",
            "mapping",
            doc="huisstijlkleuren als `#rrggbb` (gecontroleerd in identity.py)",
            subfields=(
                Field("primair", "line", doc="kop, links en knoppen: minstens 4,5:1 contrast met wit"),
                Field("accent", "line", doc="focusrand en kaders: minstens 3:1 contrast met wit"),
            ),
        ),
        Field(
            "toegestane_scripts",
            "texts",
            doc="SHA-256 (`sha256-...=`) van elk inline script dat eigen templates bewust toevoegen; elk ander inline script houdt de build tegen",
        ),
        Field(
            "ondertekenaars",
            "line",
            doc="pad (ten opzichte van `mkdocs.yml`) van het bestand met de openbare sleutels van wie mag goedkeuren (toegestane ondertekenaars)",
        ),
        Field("vier_ogen", "bool", doc="`true`: elke goedkeuring vraagt twee verschillende ondertekenaars"),
        Field(
            "ongetekend",
            "bool",
            doc="`true`: ongetekende goedkeuringen worden geaccepteerd; alleen voor een proef, nooit voor de echte site",
        ),
        Field(
            "archief",
            "line",
            doc="map (ten opzichte van `mkdocs.yml`) waarin elke gepubliceerde, goedgekeurde versie bewaard wordt",
        ),
        Field(
            "limieten",
            "mapping",
            doc="grenzen aan wat één pakket mag zijn (publish/limits.py); een grens die u weglaat, houdt de standaardwaarde",
            subfields=tuple(
                Field(
                    key,
                    "number",
                    minimum=f.metadata["minimum"],
                    doc=f"in {f.metadata['unit']}; standaard {dutch_number(f.default / f.metadata['scale'])}",
                )
                for key, f in Limits.keys().items()
            ),
        ),
        # PDF engine (issue 19); checked by engine_settings below
        Field(
            "rekenen",
            "mapping",
            doc="waar de pdf's gecontroleerd worden (zie 'Groter dan één machine')",
            subfields=(
                Field(
                    "motor",
                    "line",
                    doc="`lokaal` (standaard: processen op de buildmachine) of `dask` (een Dask-cluster; `woo-publicatie[cluster]`)",
                ),
                Field(
                    "scheduler",
                    "line",
                    doc="adres van de eigen Dask-scheduler, zoals `tcp://rekenserver:8786`; `--scheduler` van de build gaat voor",
                ),
            ),
        ),
    ),
)
KNOWN_FIELDS = set(SETTINGS.names())
SCRIPT_HASH = re.compile(r"sha256-[A-Za-z0-9+/]{43}=")
CONTACT_FIELDS = {f.name for f in SETTINGS.get("contact").subfields}
_KIND_CHECK: dict[str, tuple[type | tuple[type, ...], str]] = {
    "line": (str, "een tekst"),
    "url": (str, "een webadres"),
    "mapping": (dict, "een lijst van naam: waarde-paren"),
    "texts": (list, "een lijst"),
    "int": (int, "een geheel getal"),
    "number": ((int, float), "een getal"),
    "bool": (bool, "true of false"),
}


# Settings with their own checks (contact, toegestane_scripts and the approval settings below, colours in
# identity.py, limits in limits.py).
_CHECKED_ELSEWHERE = {
    "rekenen",
    "contact",
    "kleuren",
    "toegestane_scripts",
    "ondertekenaars",
    "vier_ogen",
    "ongetekend",
    "archief",
    "limieten",
}


def _check_value(name: str, f: Field, value, problems: Problems) -> None:
    """Type, format and range of one declared setting (``name`` is its full dotted name)."""
    expected, words = _KIND_CHECK[f.kind]
    if not isinstance(value, expected) or (isinstance(value, bool) and f.kind != "bool"):
        problems.error(
            "mkdocs.yml",
            f"extra.woo.{name}",
            f"dit moet {words} zijn.",
            f"Zie de tabel met instellingen in docs/beheer.md voor '{name}'.",
            "config.type",
        )
    elif f.pattern and isinstance(value, str) and not re.fullmatch(f.pattern, value):
        problems.error(
            "mkdocs.yml",
            f"extra.woo.{name}",
            f"'{value}' heeft niet de juiste vorm.",
            f"Schrijf bijvoorbeeld: {f.name}: {f.example}.",
            "config.formaat",
        )
    elif (
        f.kind in ("int", "number")
        and isinstance(value, (int, float))
        and ((f.minimum is not None and value < f.minimum) or (f.maximum is not None and value > f.maximum))
    ):
        problems.error(
            "mkdocs.yml",
            f"extra.woo.{name}",
            f"{value} ligt buiten het toegestane bereik.",
            f"Kies een waarde van {f.minimum} tot en met {f.maximum}.",
            "config.bereik",
        )
    elif f.kind == "mapping" and f.subfields and isinstance(value, dict) and f.name not in _CHECKED_ELSEWHERE:
        known = {s.name: s for s in f.subfields}
        for key in sorted(value, key=str):
            if key not in known:
                problems.error(
                    "mkdocs.yml",
                    f"extra.woo.{name}.{key}",
                    f"onbekend veld '{key}'.",
                    "Bekende velden: " + ", ".join(known) + ".",
                    "config.veld_onbekend",
                )
            elif value[key] is not None and known[key].kind in _KIND_CHECK:
                _check_value(f"{name}.{key}", known[key], value[key], problems)


def _check_fields(extra: dict, problems: Problems) -> None:
    """A typo in the configuration must not silently drop a feature (sitemaps, contact route)."""
    for name in sorted(set(extra) - KNOWN_FIELDS):
        problems.error(
            "mkdocs.yml",
            f"extra.woo.{name}",
            f"onbekend veld '{name}'.",
            "Controleer de spelling; bekende velden: " + ", ".join(sorted(KNOWN_FIELDS)) + ".",
            "config.veld_onbekend",
        )
    for f in SETTINGS.fields:
        value = extra.get(f.name)
        if value is None or f.name in _CHECKED_ELSEWHERE or f.kind not in _KIND_CHECK:
            continue
        _check_value(f.name, f, value, problems)
    contact = extra.get("contact") or {}
    if not isinstance(contact, dict):
        problems.error(
            "mkdocs.yml",
            "extra.woo.contact",
            "dit moet een lijst van contactgegevens zijn.",
            "Schrijf bijvoorbeeld 'contact: {email: woo@example.nl, telefoon: \"070 000 00 00\"}'.",
            "config.contact",
        )
        return
    for name in sorted(set(contact) - CONTACT_FIELDS):
        problems.error(
            "mkdocs.yml",
            f"extra.woo.contact.{name}",
            f"onbekend veld '{name}'.",
            "Gebruik email, telefoon, adres of formulier.",
            "config.veld_onbekend",
        )
    email = str(contact.get("email") or "")
    if email and not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[a-zA-Z]{2,}", email):
        problems.error(
            "mkdocs.yml",
            "extra.woo.contact.email",
            f"'{email}' is geen e-mailadres.",
            "Vul het algemene e-mailadres van de organisatie in, zoals woo@organisatie.nl.",
            "config.email",
        )
    form = str(contact.get("formulier") or "")
    if form and not form.startswith("https://"):
        problems.error(
            "mkdocs.yml",
            "extra.woo.contact.formulier",
            f"'{form}' is geen https-adres.",
            "Geef het volledige adres van het contactformulier, beginnend met https://.",
            "config.formulier",
        )
    if not contact:
        problems.warning(
            "mkdocs.yml",
            "extra.woo.contact",
            "er zijn geen contactgegevens ingesteld.",
            "Zet een algemeen e-mailadres of telefoonnummer onder extra.woo.contact: de "
            "toegankelijkheidsverklaring moet een contactroute noemen.",
            "config.contact_ontbreekt",
        )


_PERSON_IN_URL = re.compile(
    r"[?&#;/](?:behandelaar|medewerker|contactpersoon|ambtenaar|naam|name|user|gebruiker|persoon|tav|t\.a\.v\.?)\b", re.I
)
_FOR_ATTENTION = re.compile(r"\b(?:t\.\s?a\.\s?v\.?|ter\s+attentie\s+van|attn\.?)\s", re.I)
CONTACT_FIX = (
    "Gebruik een algemene contactroute van de organisatie: een functioneel e-mailadres (zoals woo@organisatie.nl of "
    "info@organisatie.nl), het algemene telefoonnummer of een algemene contactpagina, zonder naam van een medewerker. "
    "Is de waarde toch openbaar en bedoeld, zet haar dan onder extra.woo.toegestane_gegevens."
)


def _contact_personal(extra: dict, signers: Path | None, problems: Problems) -> None:
    """Attack round 10, B07: the contact route is published on the accessibility page; it must be the organisation's,
    never a civil servant's own. The personal-data detector (gate.personal_data, as for PDF text and inventories) runs
    on every contact value; an approver's address from the allowed-signers file is refused outright (approvers' names
    are never published), a mobile number and an e-mail address that is no functional mailbox unless listed under
    ``toegestane_gegevens``; a form address or postal address naming a person ("t.a.v.", "?behandelaar=") too. The
    organisation's own postal address and landline number stay fine."""
    from .gate.personal_data import KINDS, allowed_hashes, canonical, find_personal_data, mask, value_hash

    contact = extra.get("contact")
    if not isinstance(contact, dict):
        return
    allowed_values = extra.get("toegestane_gegevens") or []
    allowed = allowed_hashes([str(v) for v in allowed_values]) if isinstance(allowed_values, list) else set()
    approvers: set[str] = set()
    if signers is not None:
        from .signing import read_allowed_signers

        try:
            for principals, _options, _key in read_allowed_signers(Path(signers)):
                approvers.update(value_hash(p, "email") for p in principals if "@" in p)
        except OSError:
            pass  # the settings check of the signers file reports it
    for name in sorted(CONTACT_FIELDS & set(contact), key=str):
        value = contact.get(name)
        if value is None or not isinstance(value, (str, int, float)):
            continue
        text = str(value)
        where = f"extra.woo.contact.{name}"
        personal = {f.hash for f in find_personal_data(text, 0)}  # functional mailboxes (woo@, info@) left out
        for found in find_personal_data(text, 0, keep_generic=True):
            if found.kind == "email":
                if found.hash in approvers:
                    problems.error(
                        "mkdocs.yml",
                        where,
                        f"'{mask(text)}' is het e-mailadres van iemand die besluiten goedkeurt (het staat in het bestand met "
                        "toegestane ondertekenaars): dat komt zo op de site, en namen van goedkeurders worden nooit gepubliceerd.",
                        CONTACT_FIX,
                        "config.contact_persoonlijk",
                    )
                    break
                if found.hash in personal and found.hash not in allowed:
                    problems.error(
                        "mkdocs.yml",
                        where,
                        f"'{mask(text)}' lijkt een persoonlijk e-mailadres (geen functioneel adres zoals woo@ of info@): het "
                        "komt op de toegankelijkheidsverklaring van de site.",
                        CONTACT_FIX,
                        "config.contact_persoonlijk",
                    )
                    break
            elif found.kind == "telefoon" and found.hash not in allowed:
                number = canonical("telefoon", text)
                if number.startswith("06"):
                    problems.error(
                        "mkdocs.yml",
                        where,
                        f"'{mask(text)}' is een mobiel nummer (06): dat is meestal het nummer van een medewerker, en het "
                        "komt op de toegankelijkheidsverklaring van de site.",
                        CONTACT_FIX,
                        "config.contact_persoonlijk",
                    )
                    break
            elif found.kind in ("bsn", "iban") and found.hash not in allowed:
                problems.error(
                    "mkdocs.yml",
                    where,
                    f"'{mask(text)}' bevat {KINDS[found.kind]}: dat hoort niet in de contactgegevens van de site.",
                    CONTACT_FIX,
                    "config.contact_persoonlijk",
                )
                break
        else:
            if (name == "formulier" and _PERSON_IN_URL.search(text)) or _FOR_ATTENTION.search(text):
                problems.error(
                    "mkdocs.yml",
                    where,
                    f"'{text[:200]}' noemt een persoon ("
                    + ("'t.a.v.'" if _FOR_ATTENTION.search(text) else "een naam of behandelaar in het adres")
                    + "): dat komt op de toegankelijkheidsverklaring van de site.",
                    CONTACT_FIX,
                    "config.contact_persoonlijk",
                )


def _inline_scripts(extra: dict, problems: Problems) -> list[str]:
    """extra.woo.toegestane_scripts: the SHA-256 of each inline script the site's own templates add on purpose."""
    value = extra.get("toegestane_scripts")
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        problems.error(
            "mkdocs.yml",
            "extra.woo.toegestane_scripts",
            "dit moet een lijst van script-hashes zijn.",
            "Schrijf elke hash op een eigen regel, zoals '- sha256-...='; de build noemt de juiste waarde "
            "wanneer hij een inline script tegenkomt.",
            "config.scripts",
        )
        return []
    hashes = []
    for i, item in enumerate(value, start=1):
        text = str(item).strip() if isinstance(item, str) else ""
        if not SCRIPT_HASH.fullmatch(text):
            shown = "".join(c if c.isprintable() else "?" for c in str(item))[:80]
            problems.error(
                "mkdocs.yml",
                f"extra.woo.toegestane_scripts, item {i}",
                f"'{shown}' is geen SHA-256-hash van een script.",
                "Neem de waarde precies over uit de melding van de build: 'sha256-' gevolgd door 44 tekens, "
                "zonder aanhalingstekens.",
                "config.scripts",
            )
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


def _has_signer(path: Path) -> bool:
    """Whether an allowed-signers file names at least one key (a line that is not blank or a comment)."""
    try:
        with path.open("rb") as handle:
            return any(line.strip() and not line.lstrip().startswith(b"#") for line in handle)
    except OSError:
        return True  # unreadable: verification says so per signature


# --- approvals and archive (issue 13): ondertekenaars, vier_ogen, ongetekend, archief ---------------------------
def _approval_settings(extra: dict, base: Path, problems: Problems) -> dict:
    """Who may sign approvals, whether two must, and where approved versions are archived."""
    out: dict = {}
    for name in ("vier_ogen", "ongetekend"):
        value = extra.get(name, False)
        if not isinstance(value, bool):
            problems.error(
                "mkdocs.yml",
                f"extra.woo.{name}",
                f"'{value}' is geen ja/nee-waarde.",
                f"Schrijf '{name}: true' of '{name}: false'.",
                "config.janee",
            )
            value = False
        out[{"vier_ogen": "four_eyes", "ongetekend": "unsigned"}[name]] = value
    from .signing import weak_signers

    signers = extra.get("ondertekenaars")
    if signers not in (None, ""):
        path = base / str(signers)
        if not isinstance(signers, str) or not path.is_file():
            problems.error(
                "mkdocs.yml",
                "extra.woo.ondertekenaars",
                f"het bestand met toegestane ondertekenaars '{signers}' bestaat niet ({path}).",
                "Geef het pad (ten opzichte van mkdocs.yml) van het bestand met de openbare sleutels van wie "
                "mag goedkeuren; zie docs/beheer.md.",
                "config.ondertekenaars",
            )
        else:
            out["signers"] = path
            for number, who in weak_signers(path):
                problems.error(
                    "mkdocs.yml",
                    "extra.woo.ondertekenaars",
                    f"regel {number} van het bestand met toegestane ondertekenaars '{signers}' ({safe(who, 80)}) heeft een "
                    "Ed25519-sleutel die bij elke handtekening past (een sleutel van kleine orde): daarmee kan iedereen "
                    "een goedkeuring namens deze persoon maken. Zo'n sleutel maakt ssh-keygen nooit; hij is met de hand "
                    "gemaakt of beschadigd.",
                    "Haal deze regel uit het bestand en vraag de persoon om de openbare sleutel van een nieuw sleutelpaar "
                    "(ssh-keygen -t ed25519); zie docs/beheer.md, 'Wie mag goedkeuren'.",
                    "config.ondertekenaar_zwakke_sleutel",
                )
            if not _has_signer(path):
                problems.warning(
                    "mkdocs.yml",
                    "extra.woo.ondertekenaars",
                    f"het bestand met toegestane ondertekenaars '{signers}' bevat geen enkele sleutel: geen goedkeuring of "
                    "intrekking kan gecontroleerd worden, dus er komt niets op de site.",
                    "Zet per persoon die mag goedkeuren een regel met e-mailadres en openbare sleutel in het bestand "
                    "(zie docs/beheer.md, 'Wie mag goedkeuren'); was het bestand per ongeluk leeggemaakt, zet het terug "
                    "uit de versiegeschiedenis.",
                    "config.ondertekenaars_leeg",
                )
    elif not out["unsigned"]:
        problems.error(
            "mkdocs.yml",
            "extra.woo.ondertekenaars",
            "er is geen bestand met toegestane ondertekenaars ingesteld: geen enkele goedkeuring kan gecontroleerd worden.",
            "Zet 'ondertekenaars: ondertekenaars.txt' onder extra.woo (zie docs/beheer.md), of voor een proef "
            "op uw eigen computer 'ongetekend: true'.",
            "config.ondertekenaars",
        )
    if out["unsigned"]:
        problems.warning(
            "mkdocs.yml",
            "extra.woo.ongetekend",
            "ongetekende goedkeuringen worden geaccepteerd: alleen bedoeld voor proeven, nooit voor de echte site.",
            "Verwijder 'ongetekend: true' en stel 'ondertekenaars' in (zie docs/beheer.md).",
            "config.ongetekend",
        )
    if out["four_eyes"] and out["unsigned"]:
        problems.error(
            "mkdocs.yml",
            "extra.woo.vier_ogen",
            "vier ogen vraagt twee handtekeningen, maar 'ongetekend' staat aan.",
            "Zet 'ongetekend' uit en stel 'ondertekenaars' in.",
            "config.vier_ogen",
        )
    archive = extra.get("archief")
    if archive not in (None, ""):
        if not isinstance(archive, str):
            problems.error(
                "mkdocs.yml",
                "extra.woo.archief",
                "dit moet een pad naar een map zijn.",
                "Schrijf bijvoorbeeld 'archief: .woo-archief'.",
                "config.archief",
            )
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
        problems.error(
            where,
            "extra.woo.rekenen",
            "dit moet een lijst van instellingen zijn.",
            "Schrijf bijvoorbeeld 'rekenen: {motor: dask, scheduler: \"tcp://rekenserver:8786\"}'.",
            "config.rekenen",
        )
        return {}
    out: dict = {}
    for name in sorted(set(value) - {"motor", "scheduler"}):
        problems.error(
            where,
            f"extra.woo.rekenen.{safe(name, 60)}",
            f"onbekend veld '{safe(name, 60)}'.",
            "Gebruik motor en scheduler.",
            "config.veld_onbekend",
        )
    engine = value.get("motor", "lokaal")
    if engine not in ENGINES:
        problems.error(
            where,
            "extra.woo.rekenen.motor",
            f"'{safe(engine, 60)}' is geen bekende rekenmotor.",
            "Kies 'lokaal' (processen op deze machine) of 'dask' (een Dask-cluster, zie docs/beheer.md).",
            "config.rekenen",
        )
        return {}
    out["engine"] = engine
    scheduler = value.get("scheduler", "")
    if scheduler not in (None, ""):
        if not isinstance(scheduler, str) or not SCHEDULER.fullmatch(scheduler):
            problems.error(
                where,
                "extra.woo.rekenen.scheduler",
                f"'{safe(scheduler, 100)}' is geen adres van een Dask-scheduler.",
                "Schrijf het adres als 'tcp://rekenserver:8786' (of tls://...).",
                "config.rekenen",
            )
            return {}
        out["scheduler"] = scheduler
    if engine == "dask" and not out.get("scheduler"):
        problems.error(
            where,
            "extra.woo.rekenen.scheduler",
            "motor 'dask' is gekozen, maar er is geen scheduler ingesteld.",
            "Zet 'scheduler: tcp://rekenserver:8786' onder extra.woo.rekenen, of geef --scheduler bij de build.",
            "config.rekenen",
        )
    return out


# --- end PDF engine ---------------------------------------------------------------------------------------------


INIT_ORGANISATION = "Naam van de organisatie"  # what `woo-publish init` writes, to be replaced


def _still_placeholders(data: dict, extra: dict, problems: Problems) -> None:
    """A new site (``woo-publish init``) must not go live with the example values it starts with."""
    if str(extra.get("organisatie") or "") != INIT_ORGANISATION:
        return
    left = ["extra.woo.organisatie"]
    if "example.nl" in str(data.get("site_url") or ""):
        left.append("site_url")
    contact = extra.get("contact") if isinstance(extra.get("contact"), dict) else {}
    if any("example.nl" in str(v) for v in contact.values()):
        left.append("extra.woo.contact")
    problems.warning(
        "mkdocs.yml",
        ", ".join(left),
        "de site heeft nog de voorbeeldwaarden van 'woo-publish init': de naam van de organisatie"
        + (", het webadres en de contactgegevens" if len(left) > 1 else "")
        + " zijn nog niet ingevuld.",
        "Vul in mkdocs.yml de echte naam van de organisatie, het adres van de site (site_url) en het algemene "
        "e-mailadres of telefoonnummer in, voordat de site online gaat.",
        "config.voorbeeldwaarde",
    )


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
        problems.error(
            "mkdocs.yml",
            "",
            f"het configuratiebestand {safe(path)} kan niet gelezen worden: {reason}",
            "Herstel mkdocs.yml (controleer inspringing en dubbele punten) of haal de vorige versie terug.",
            "config.onleesbaar",
        )
        data, extra = {}, {}
    _check_fields(extra, problems)
    colours = site_colours(extra, problems)
    inline_scripts = _inline_scripts(extra, problems)
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    custom_dir = own_theme(path.parent, str(theme["custom_dir"]) if theme.get("custom_dir") else None)
    approval_settings = _approval_settings(extra, path.resolve().parent, problems)
    _contact_personal(extra, approval_settings.get("signers"), problems)
    # -- limits on untrusted input (issue 12): extra.woo.limieten, defaults in publish/limits.py --
    limits = limits_from_config(extra.get("limieten"), problems)
    # -- end of limits --
    engine = engine_settings(extra.get("rekenen"), problems)  # PDF engine (issue 19)
    _still_placeholders(data, extra, problems)
    if data and not extra.get("tooi"):  # here, not in the build only: `check` says it too
        problems.warning(
            "mkdocs.yml",
            "extra.woo.tooi",
            "er is geen TOOI-identificatie van de organisatie ingesteld: de sitemaps voor de Woo-index ontbreken.",
            "Zet de TOOI-URI van de organisatie onder extra.woo.tooi in mkdocs.yml.",
            "config.tooi",
        )
    base = str(data.get("site_url") or "https://woo.example.nl/")
    if not base.endswith("/"):
        base += "/"
    return SiteConfig(
        path=path,
        name=str(data.get("site_name") or "Woo-besluiten"),
        base_url=base,
        organisation=str(extra.get("organisatie") or data.get("site_name") or ""),
        allowed_personal_data=[str(v) for v in (extra.get("toegestane_gegevens") or [])]
        if isinstance(extra.get("toegestane_gegevens") or [], list)
        else [],
        tooi=str(extra.get("tooi") or ""),
        organisation_tooi={str(k): str(v) for k, v in (extra.get("organisaties") or {}).items()}
        if isinstance(extra.get("organisaties") or {}, dict)
        else {},
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
