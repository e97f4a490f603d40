"""Load one package folder into a ``Decision`` and every problem found on the way.

All rules of the package contract live here. Nothing is raised at the first problem: each rule
adds to the package's ``Problems`` and loading continues as far as it sensibly can.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import grounds as grounds_catalogue
from .dates import impossible_date, iso_fix, parse_iso, parse_loose
from .history import HISTORY_FILE
from .inventory import InventoryLimits, RawTable, address_clashes, cell_text, read_table
from .invisible import describe_all, invisible
from .limits import DEFAULT_LIMITS, LIMIT_FIX, LIMIT_RAISE, Limits, check_inventory_file, dutch_number
from .model import ASSESSMENTS, Annex, Decision, FileRef, InventoryRow
from .paths import OutsidePackage, UnsafePath, file_sizes, is_litter, package_files, read_regular, resolve_inside, special_files
from .problems import Problems, count, row_ranges
from .schema import Schema
from .types.common import TOEGESTANE_GEGEVENS
from .yamlsafe import YamlLimitError, load_front_matter

METADATA_FILE = "besluit.md"
APPROVAL_FILE = "goedkeuring.json"

_ASSESSMENT_FORMS = {
    "openbaar": "openbaar",
    "openbaarmaking": "openbaar",
    "volledig openbaar": "openbaar",
    "deels openbaar": "deels openbaar",
    "gedeeltelijk openbaar": "deels openbaar",
    "gedeeltelijke openbaarmaking": "deels openbaar",
    "deels": "deels openbaar",
    "niet openbaar": "niet openbaar",
    "geen openbaarmaking": "niet openbaar",
    "reeds openbaar": "reeds openbaar",
    "al openbaar": "reeds openbaar",
}


def normalise_assessment(text: str) -> str | None:
    key = re.sub(r"[\s\-_]+", " ", str(text or "").strip().lower()).strip(" .")
    return _ASSESSMENT_FORMS.get(key)


def _choice_hint(f, text: str) -> str:
    """'Bedoelde u '...'? ' for a choice field written nearly right ('deels openbar'), or written as an inventory writes
    the same outcome ('gedeeltelijk openbaar', 'gedeeltelijk': 'deels openbaar'); "" when nothing is near."""
    key = re.sub(r"[\s\-_]+", " ", str(text or "").strip().lower()).strip(" .")
    choices = {str(c).lower(): str(c) for c in f.choices}
    if f.core == "outcome":
        outcome = normalise_assessment(key) or normalise_assessment(key + " openbaar")
        if outcome in f.choices:
            return f"Bedoelde u '{outcome}'? "
    close = difflib.get_close_matches(key, list(choices), n=1, cutoff=0.75) if key else []
    return f"Bedoelde u '{choices[close[0]]}'? " if close else ""


def assessment_hint(text: str) -> str:
    """'Bedoelde u 'deels openbaar'? ' for a near miss such as 'deels openbar' ("" when nothing is near)."""
    import difflib

    key = re.sub(r"[\s\-_]+", " ", str(text or "").strip().lower()).strip(" .")
    close = difflib.get_close_matches(key, list(_ASSESSMENT_FORMS), n=1, cutoff=0.75) if key else []
    return f"Bedoelde u '{_ASSESSMENT_FORMS[close[0]]}'? " if close else ""


def expected_outcome(assessments: list[str]) -> str | None:
    """The overall outcome the rows imply; ``reeds openbaar`` rows were not decided on."""
    if not assessments:
        return None
    decided = set(assessments) - {"reeds openbaar"}
    if not decided:
        return "reeds openbaar"
    if decided == {"openbaar"}:
        return "openbaar"
    if decided == {"niet openbaar"}:
        return "niet openbaar"
    return "deels openbaar"


class _Loader:
    def __init__(self, folder: Path, limits: Limits = DEFAULT_LIMITS):
        self.folder = folder
        self.limits = limits
        # The site's limits on inventories, as the inventory reader takes them.
        self.inventory_limits = InventoryLimits(
            rows=limits.inventory_rows,
            cell_chars=limits.inventory_cell_chars,
            xlsx_unpacked_bytes=limits.xlsx_unpacked_bytes,
            csv_bytes=limits.inventory_bytes,
        )
        self.name = folder.name
        self.problems = Problems(self.name)
        self.referenced: dict[str, str] = {}  # relpath -> who refers to it
        self.encoding_twins: dict[str, str] = {}  # file in the folder -> the name referring to it, encoded otherwise
        self.schema: Schema | None = None  # the schema of the package's type, once known
        self.inventory_read = False
        self.inventory_partial: RawTable | None = (
            None  # a refused inventory whose rows were read and checked (inventory.RawTable)
        )
        self.suspended_files: list[str] = []  # files of suspended rows: in the package, never read or published
        # What could be read of a package that is refused anyway, so check reports every problem in one run.
        self.pdfs: list[FileRef] = []  # every PDF referenced as letter, annex or document
        self.rows: list[InventoryRow] = []
        self.inventory_rel = ""
        self.values: dict = {}  # front-matter values that could be read, by field name
        self.allowed: list[str] = []  # toegestane_gegevens, when it could be read
        # The front matter is unreadable and so is its 'toegestane_gegevens': personal data in the PDFs is not judged
        # (every allowed value would be reported as a problem), and the warning says so.
        self.allowed_unreadable = False
        self.body = ""
        self.summary_line = 1  # the line of besluit.md the summary starts on (summary_start)
        self.no_front_matter = False  # besluit.md missing or unreadable: see _without_front_matter

    # -- helpers -----------------------------------------------------------------------------
    def _required(self, key: str) -> bool:
        f = self.schema.get(key) if self.schema is not None else None
        return bool(f and f.required)

    def err(self, file, location, message, fix, code):
        self.problems.error(file, location, message, fix, code)

    def warn(self, file, location, message, fix, code):
        self.problems.warning(file, location, message, fix, code)

    def text_field(self, meta: dict, key: str) -> str | None:
        value = meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if self._required(key):
                self.err(
                    METADATA_FILE,
                    f"veld '{key}'",
                    "dit verplichte veld ontbreekt of is leeg.",
                    f"Vul '{key}:' in de kop van {METADATA_FILE} in.",
                    "veld.ontbreekt",
                )
            return None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = str(value).strip()
            if not self.within(
                text, "title_chars" if key == "titel" else "field_chars", METADATA_FILE, f"veld '{key}'", f"de waarde van '{key}'"
            ):
                return None
            f = self.schema.get(key) if self.schema is not None else None
            if self.unseen(
                text, METADATA_FILE, f"veld '{key}'", (f.code if f is not None and f.pattern else None) or "tekst.stuurteken"
            ):
                return None
            if self.spaced_out(text, f"veld '{key}'"):
                return None
            if "\n" in text and key in ("kenmerk", "titel", "organisatie"):
                self.err(
                    METADATA_FILE,
                    f"veld '{key}'",
                    "de waarde beslaat meer dan één regel.",
                    "Zet de waarde op één regel.",
                    "veld.meerdere_regels",
                )
            return text
        self.err(
            METADATA_FILE,
            f"veld '{key}'",
            f"verwacht een tekst, maar kreeg {_kind(value)}.",
            f"Schrijf '{key}' als één tekst, bijvoorbeeld {key}: \"...\".",
            "veld.type",
        )
        return None

    def unseen(self, text: str, file: str, location: str, code: str = "tekst.stuurteken") -> bool:
        """True (with a problem naming the characters) when a published ``text`` holds a character that draws nothing
        (``publish/invisible.py``, the one definition); a field with a pattern reports it under its own code, as before.
        Refused, never removed: what such a character hides or changes is not for the site to guess."""
        found = [char for _, char in invisible(text)]
        if not found:
            return False
        self.err(
            file,
            location,
            f"de tekst bevat {'een onzichtbaar teken' if len(found) == 1 else 'onzichtbare tekens'}: {describe_all(found)}. "
            "Zo'n teken is op het scherm niet te zien, maar wordt wel gepubliceerd en gekopieerd: het kan tekst verbergen die "
            "niemand heeft goedgekeurd (tagtekens spellen onzichtbaar een naam) of veranderen wat lezers zien (bijvoorbeeld "
            "de leesrichting). Het hoort niet in een publicatie.",
            _invisible_fix(found),
            code,
        )
        return True

    def _pushed_out_of_sight(self, text: str, column: str, file: str, location: str) -> None:
        """Refuse an inventory cell whose end Excel may never show (attack round 8, A09): a long run of spaces pushes
        the rest past the edge of the column (the next cell is filled, so Excel cuts it off), and line breaks push it
        below a one-line row; the site collapses both and publishes the whole text. More than ``_MOST_SPACES``
        spaces in a row inside a text: typing gives one, two after a full stop, three by a slip; four or more is
        layout by spaces, which a cell does not show as such. A title with more than one line break is refused too: a
        title is one line (at most two), and an inventory row is usually one line high."""
        run = _SPACE_RUN.search(text)
        if run is not None:
            self.err(
                file,
                location,
                _space_run_message(text, run) + "In Excel duwen ze de rest van de tekst buiten de kolom, zodat "
                "wie de inventaris goedkeurde die niet zag; de site publiceert de hele tekst.",
                "Vervang de reeks spaties door één spatie (in Excel: Zoeken en vervangen), controleer de tekst die erachter "
                "stond en laat het pakket opnieuw goedkeuren.",
                "inventaris.spaties",
            )
        breaks = text.replace("\r\n", "\n").replace("\r", "\n").count("\n")
        if column == "document" and breaks > 1:
            self.err(
                file,
                location,
                f"de titel beslaat {breaks + 1} regels. Een rij in Excel toont vaak maar één regel, zodat wie de inventaris "
                "goedkeurde de regels eronder misschien niet zag; de site publiceert ze wel.",
                "Zet de titel op één regel: verwijder de regeleinden in de cel (in Excel ingevoerd met Alt+Enter), "
                "controleer de tekst die eronder stond en laat het pakket opnieuw goedkeuren.",
                "inventaris.titel_regels",
            )

    def spaced_out(self, text: str, location: str, markdown: bool = False) -> bool:
        """True (with a problem) when a text of besluit.md has a run of spaces inside a line that pushes the rest out of
        sight (attack round 9, A22: the rule of ``inventaris.spaties``, ``_SPACE_RUN``): an editor without soft wrap, or a
        diff, shows ``Besluit op uw verzoek`` and 250 spaces; the site collapses them and publishes the rest. Spaces at the
        start of a line (indentation) are not judged; in the Markdown summary neither are spaces before a '|' (the
        padding of a table's cells)."""
        for number, line in enumerate(text.splitlines() or [""], start=1):
            body = line.lstrip(_SPACES)
            run = next((m for m in _SPACE_RUN.finditer(body) if not (markdown and body[m.end() : m.end() + 1] == "|")), None)
            if run is None:
                continue
            self.err(
                METADATA_FILE,
                location + (f", regel {number}" if markdown else ""),
                _space_run_message(body, run) + "In een editor zonder regelterugloop (en in de vergelijking van versies) "
                "duwen ze de rest van de regel buiten beeld, zodat wie het besluit goedkeurde die niet zag; de site "
                "publiceert de hele tekst.",
                "Vervang de reeks spaties door één spatie, controleer de tekst die erachter stond en laat het pakket opnieuw "
                "goedkeuren.",
                "tekst.spaties",
            )
            return True
        return False

    def within(self, text: str, limit: str, file: str, location: str, what: str) -> bool:
        """False (with a problem naming the limit and the length found) when ``text`` is too long."""
        if len(text) <= getattr(self.limits, limit):
            return True
        self.err(
            file,
            location,
            self.limits.exceeded(limit, len(text), f"de lengte van {what}"),
            "Maak de tekst korter; zet lange uitleg in de samenvatting of in het document zelf. " + LIMIT_RAISE,
            "limiet.lengte",
        )
        return False

    def date_field(self, meta: dict, key: str) -> dt.date | None:
        value = meta.get(key)
        if value is None or value == "":
            if self._required(key):
                self.err(
                    METADATA_FILE,
                    f"veld '{key}'",
                    "deze verplichte datum ontbreekt.",
                    f"Vul '{key}:' in als JJJJ-MM-DD, bijvoorbeeld {key}: 2024-04-29.",
                    "veld.ontbreekt",
                )
            return None
        date = parse_iso(value)
        if date is None:
            self.err(
                METADATA_FILE,
                f"veld '{key}'",
                f"'{value}' is geen geldige datum.",
                iso_fix(value),
                "veld.datum",
            )
        return date

    def file_field(self, reference, file: str, location: str, role: str, suffixes: tuple[str, ...]) -> FileRef | None:
        if not isinstance(reference, (str, int)) or isinstance(reference, bool) or str(reference).strip() == "":
            self.err(
                file,
                location,
                f"het pad van {role} ontbreekt of is geen tekst.",
                "Geef het pad van het bestand ten opzichte van de pakketmap, bijvoorbeeld 'besluitbrief.pdf'.",
                "bestand.pad",
            )
            return None
        try:
            relpath, path = resolve_inside(self.folder, str(reference))
        except UnsafePath as exc:
            self.err(
                file,
                location,
                f"het pad '{reference}' is niet toegestaan: {exc}.",
                "Zet het bestand in de pakketmap en verwijs ernaar met een pad zonder '..', zonder '/' vooraan en zonder snelkoppeling.",
                "bestand.buiten_pakket",
            )
            return None
        if is_litter(path.name):
            self.err(
                file,
                location,
                f"de naam van '{relpath}' ({role}) is die van een hulpbestand van het besturingssysteem "
                "(zoals .DS_Store, Thumbs.db, ~$... of ._...); zulke bestanden worden altijd genegeerd.",
                "Geef het bestand een gewone naam en pas de verwijzing aan.",
                "bestand.naam",
            )
            return None
        if not path.is_file() and (twin := self._same_looking_file(relpath)) is not None:
            self.encoding_twins[twin] = relpath
            self.err(
                file,
                location,
                f"het bestand '{relpath}' ({role}) staat niet met precies deze naam in het pakket. Er is wel een bestand "
                f"dat er hetzelfde uitziet, maar {_encoding_difference(relpath, twin)}. Voor de site zijn het twee "
                "verschillende namen.",
                _ENCODING_FIX,
                "bestand.naam_codering",
            )
            return None
        if not path.is_file():
            hint = self._similar_file(relpath)
            self.err(
                file,
                location,
                f"het bestand '{relpath}' ({role}) bestaat niet in het pakket.",
                (f"Bedoelde u '{hint}'? " if hint else "")
                + "Controleer de schrijfwijze (hoofdletters tellen mee) of voeg het bestand toe.",
                "bestand.ontbreekt",
            )
            return None
        if path.suffix.lower() not in suffixes:
            self.err(
                file,
                location,
                f"'{relpath}' ({role}) heeft het bestandstype '{path.suffix or 'geen'}'.",
                f"Lever {role} aan als {' of '.join(suffixes)}.",
                "bestand.type",
            )
            return None
        if relpath in self.referenced:
            self.err(
                file,
                location,
                f"'{relpath}' wordt al gebruikt als {self.referenced[relpath]}.",
                "Elk bestand hoort bij precies één rol of inventarisrij; maak een apart bestand of verwijder de dubbele verwijzing.",
                "bestand.dubbel",
            )
            return None
        self.referenced[relpath] = role
        ref = FileRef(relpath, path)
        if ".pdf" in suffixes:
            self.pdfs.append(ref)
        return ref

    def _same_looking_file(self, relpath: str) -> str | None:
        """A file of the package whose name differs from ``relpath`` only in how accented letters are encoded (NFC:
        'é' as one character, as Windows and most editors write it; NFD: 'e' plus a combining accent, as macOS writes
        file names). Not matched silently: the approval and the published names must be the names as written."""
        import unicodedata

        wanted = unicodedata.normalize("NFC", relpath)
        files, _ = package_files(self.folder)
        twins = [f for f in files if f != relpath and unicodedata.normalize("NFC", f) == wanted]
        return twins[0] if twins else None

    def _similar_file(self, relpath: str) -> str | None:
        files, _ = package_files(self.folder)
        lower = {f.lower(): f for f in files}
        if relpath.lower() in lower:
            return lower[relpath.lower()]
        by_name = [f for f in files if Path(f).name.lower() == Path(relpath).name.lower()]
        if len(by_name) == 1:
            return by_name[0]
        # A spelling slip, never another document: '2.pdf' must not be pointed at '1.pdf'.
        numbers = re.findall(r"\d+", relpath)
        close = [f for f in difflib.get_close_matches(relpath, files, n=3, cutoff=0.8) if re.findall(r"\d+", f) == numbers]
        return close[0] if close else None

    # -- loading -----------------------------------------------------------------------------
    def load(self) -> Decision | None:
        decision = self._load()
        if self.no_front_matter:
            self._without_front_matter()
        return decision

    def _load(self) -> Decision | None:
        self.no_front_matter = True
        meta_path = self.folder / METADATA_FILE
        if not meta_path.is_file():
            self.err(
                METADATA_FILE,
                "",
                f"het pakket heeft geen {METADATA_FILE}.",
                f"Maak {METADATA_FILE} aan met de metagegevens tussen '---'-regels en daaronder de samenvatting.",
                "besluit.ontbreekt",
            )
            return None
        size = meta_path.stat().st_size
        if size > self.limits.metadata_file_bytes:
            self.err(
                METADATA_FILE,
                "",
                f"{METADATA_FILE} is {dutch_number(round(size / 1e6, 1))} MB; dat is meer dan de kop en de "
                f"samenvatting samen mogen zijn ({self.limits.setting('yaml_bytes')}, {self.limits.setting('summary_chars')}).",
                "Houd besluit.md kort: de metagegevens en een samenvatting; de rest hoort in de besluitbrief. " + LIMIT_RAISE,
                "limiet.yaml",
            )
            return None
        raw = ""
        try:
            try:
                raw = read_regular(meta_path, self.limits.metadata_file_bytes, inside=self.folder).decode("utf-8-sig")
            except OutsidePackage as exc:
                self.err(METADATA_FILE, "", exc.dutch, "Vervang de snelkoppeling door het bestand zelf.", "bestand.buiten_pakket")
                return None
            post = load_front_matter(raw, self.limits)
        except RecursionError:
            self._salvage_allowed(raw)
            self.err(
                METADATA_FILE,
                "kop",
                "de kop (YAML) is te diep genest om te lezen.",
                "Schrijf de metagegevens als eenvoudige velden 'naam: waarde', zoals in de handleiding.",
                "besluit.yaml",
            )
            return None
        except UnicodeDecodeError:
            self.err(
                METADATA_FILE,
                "",
                "het bestand is geen UTF-8-tekst.",
                "Sla het bestand op met de tekstcodering UTF-8.",
                "besluit.codering",
            )
            return None
        except YamlLimitError as exc:
            self._salvage_allowed(raw)
            self.err(
                METADATA_FILE,
                "kop",
                f"de kop (YAML) wordt niet gelezen: {exc.problem}",
                "Schrijf elke waarde gewoon uit, zonder verwijzingen (&naam en *naam). " + LIMIT_RAISE,
                "limiet.yaml",
            )
            return None
        except yaml.YAMLError as exc:
            problem = str(getattr(exc, "problem", "") or "")
            mark = getattr(exc, "problem_mark", None)
            opened = getattr(exc, "context_mark", None)
            if ("end of stream" in problem or problem.startswith("expected ',' or")) and opened is not None:
                mark = opened  # an unclosed quote or bracket: where it was opened, not the end of the kop
            # The mark counts from the line after the opening '---' (0-based): +1 is the line in the file.
            where = f"regel {mark.line + 1}" if mark is not None else "kop"
            what, fix = _yaml_problem(problem, str(getattr(exc, "context", "") or ""))
            key = _key_on_line(raw, mark.line + 1) if mark is not None else ""
            if key and f"'{key}'" not in what:
                what += f", op de regel van veld '{key}'"
            self._salvage_allowed(raw)
            self.err(METADATA_FILE, where, f"de kop (YAML) kan niet gelezen worden: {what}.", fix, "besluit.yaml")
            return None
        meta = post.metadata
        self.summary_line = summary_start(raw, post.content)
        if self.within(post.content, "summary_chars", METADATA_FILE, "samenvatting", "de samenvatting"):
            self.body = post.content  # too long: reported, and the fields are still checked
            self._character_references(post.content.strip())
            self._unseen_in_summary(post.content.strip())
            self.spaced_out(post.content.strip(), "samenvatting", markdown=True)
        if not meta:
            self.err(
                METADATA_FILE,
                "",
                "de kop met metagegevens ontbreekt of is leeg.",
                "Begin het bestand met een regel '---', dan de velden (kenmerk:, titel:, ...), en sluit af met '---'.",
                "besluit.geen_kop",
            )
            return None
        return self._from_metadata(meta, post.content)

    def _inventory_unchecked(self, rel: str) -> None:
        """Say which checks of the inventory could not be done: all of its rows when it cannot be read, the rows from a
        broken line on when it was read up to there, and the files when it is refused as a whole."""
        again = "voer daarna 'woo-publish check' opnieuw uit: dan volgen ook deze controles."
        table = self.inventory_partial
        if table is None:
            self.warn(
                rel,
                "",
                "omdat de inventaris niet gelezen kan worden, konden deze controles niet worden uitgevoerd: de rijen van de "
                "inventaris, welke pdf bij welk document hoort en welke bestanden niet bij het pakket horen. Wel gecontroleerd: "
                "de kop van besluit.md en alle pdf's in het pakket (leesbaarheid, persoonsgegevens). Meldingen over de rijen "
                "volgen dus pas als de inventaris gelezen kan worden.",
                "Herstel eerst de inventaris (zie de fout hierboven) en " + again,
                "controle.niet_uitgevoerd",
            )
            return
        rows = count(table.rows_read, "rij", "rijen")
        if table.stopped_at is not None:
            self.warn(
                rel,
                f"vanaf regel {table.stopped_at}",
                f"de inventaris kon tot regel {table.stopped_at} gelezen worden: de {rows} daarboven zijn gecontroleerd (zie "
                f"de meldingen hierboven). Niet gecontroleerd: de rijen vanaf regel {table.stopped_at}, welke bestanden niet "
                "bij het pakket horen en of het veld 'besluit' bij de rijen past. Alle pdf's in het pakket zijn wel "
                "gecontroleerd (leesbaarheid, persoonsgegevens).",
                f"Herstel regel {table.stopped_at} van de inventaris (zie de fout hierboven) en " + again,
                "controle.niet_uitgevoerd",
            )
            return
        self.warn(
            rel,
            "",
            f"de inventaris wordt geweigerd (zie de fout hierboven), maar de {rows} zijn wel gelezen en gecontroleerd. Niet "
            "gecontroleerd: welke bestanden niet bij het pakket horen en of het veld 'besluit' bij de rijen past. Alle pdf's "
            "in het pakket zijn wel gecontroleerd (leesbaarheid, persoonsgegevens).",
            "Herstel eerst de inventaris en " + again,
            "controle.niet_uitgevoerd",
        )

    def _salvage_allowed(self, raw: str) -> None:
        """The front matter cannot be read as a whole: read its 'toegestane_gegevens' on its own (the key at the start
        of a line, with its indented or '-' lines), so the PDFs are still judged against the values staff allowed."""
        lines = raw.split("\n")
        if not lines or lines[0].strip() != "---":
            return
        header = []
        for line in lines[1:]:
            if line.strip() in ("---", "..."):
                break
            header.append(line)
        key = TOEGESTANE_GEGEVENS.name
        start = next((i for i, line in enumerate(header) if re.match(rf"{key}\s*:", line)), None)
        if start is None:
            return  # nothing allowed in the package itself: every finding stands
        block = [header[start]]
        for line in header[start + 1 :]:
            if line and not line[0].isspace() and not line.startswith(("-", "#")):
                break
            block.append(line)
        try:
            value = load_front_matter("---\n" + "\n".join(block) + "\n---\n", self.limits).metadata.get(key)
        except (yaml.YAMLError, RecursionError):
            value = None
        if isinstance(value, str | int | float):
            value = [value]
        if isinstance(value, list) and value and all(isinstance(v, str | int | float) for v in value):
            self.allowed = [str(v) for v in value]
        else:
            self.allowed_unreadable = True

    def _character_references(self, body: str) -> None:
        """Refuse a summary that writes characters as references (``&#49;``, ``&commat;``, ``&shy;``): the page and the
        open data show the character, the text staff and the checks read does not. Refused rather than read through:
        no summary needs one, and one there is most likely hiding something (a typographic one like &amp; may stay)."""
        from .markdown_safe import TYPOGRAPHIC_REFERENCES, character_references

        found = character_references(body)
        if not found:
            return
        lines = sorted({self.summary_line - 1 + line for line, _ in found})
        shown = ", ".join(f"{ref} ({_referenced_character(ref)})" for ref in list(dict.fromkeys(r for _, r in found))[:5])
        self.err(
            METADATA_FILE,
            f"samenvatting, regel {row_ranges(lines)}" if len(lines) == 1 else f"samenvatting, regels {row_ranges(lines)}",
            f"de samenvatting schrijft tekens als code (tekenreferentie): {shown}. Op de website en in de open data staat "
            "het teken zelf; zo'n code kan een telefoonnummer, e-mailadres of ander persoonsgegeven verbergen.",
            "Schrijf de tekens gewoon uit (dus '1' in plaats van '&#49;', '@' in plaats van '&commat;') en laat onzichtbare "
            "tekens weg. Alleen leestekens mogen als code blijven staan: "
            + ", ".join(f"&{name};" for name in sorted(TYPOGRAPHIC_REFERENCES))
            + ".",
            "samenvatting.tekenreferentie",
        )

    def _unseen_in_summary(self, body: str) -> None:
        """``unseen`` for the summary, naming its first line with such a character."""
        found = invisible(body)
        if found:
            first = found[0][0]
            self.unseen(body, METADATA_FILE, f"samenvatting, regel {self.summary_line + body.count(chr(10), 0, first)}")

    def _from_metadata(self, meta: dict, body: str) -> Decision | None:
        """Check the front matter against the schema of its type, then build the shared content class."""
        from . import types

        kind_name = meta.get("type")
        if kind_name in (None, ""):
            kind_name = types.DEFAULT_TYPE
        if not isinstance(kind_name, str) or kind_name.strip() not in types.REGISTRY:
            self.err(
                METADATA_FILE,
                "veld 'type'",
                f"'{kind_name}' is geen bekend publicatietype.",
                "Gebruik een van: " + ", ".join(types.REGISTRY) + "; of laat het veld weg voor een Woo-besluit.",
                "veld.type_onbekend",
            )
            return None
        self.no_front_matter = False
        kind = types.get(kind_name.strip())
        schema = self.schema = kind.schema
        names = schema.names()
        for key in sorted(meta, key=str):
            if key not in names:
                close = difflib.get_close_matches(str(key), names, n=1, cutoff=0.6)
                self.err(
                    METADATA_FILE,
                    f"veld '{key}'",
                    "dit veld is onbekend" + (f" bij het type '{kind.name}'." if kind.name != types.DEFAULT_TYPE else "."),
                    (f"Bedoelde u '{close[0]}'? " if close else "") + "Toegestane velden: " + ", ".join(names) + ".",
                    "veld.onbekend",
                )

        values = {f.name: self._field(meta, f) for f in schema.fields}
        values["type"] = kind.name
        for rule in schema.rules:
            if all(values.get(n) is not None for n in rule.needs) and not rule.check(values, meta):
                self.err(
                    METADATA_FILE, f"veld '{rule.field}'", rule.message.format(**values), rule.fix.format(**values), rule.code
                )
        core = kind.finish(self, values, meta, body) if kind.finish else {}

        inventory_file = values.get("inventaris")
        if inventory_file is None or self.inventory_read:  # an unreadable inventory: which files it names is unknown
            self._stray_files()
        else:  # refused for the inventory; its documents' PDFs are still checked, and what was not is named
            files, _ = package_files(self.folder)
            self.pdfs += [FileRef(f, self.folder / f) for f in files if f.lower().endswith(".pdf") and f not in self.referenced]
            self._inventory_unchecked(inventory_file.relpath)

        if self.problems.has_errors:
            # Refused; what could be read is still checked for personal data (evaluate: PDFs, these texts).
            self.values = {f.name: values[f.name] for f in schema.fields if f.core != "allowed_personal_data"}
            self.allowed = [v for f in schema.fields if f.core == "allowed_personal_data" for v in values[f.name] or []]
            return None
        for f in schema.fields:
            if f.core == "period":
                core["period_from"], core["period_to"] = values[f.name] or (None, None)
            elif f.core:
                core[f.core] = values[f.name]
        defaults: dict[str, object] = {
            "law": None,
            "outcome": None,
            "request_received": None,
            "period_from": None,
            "period_to": None,
            "subjects": [],
            "annexes": [],
            "inventory_file": None,
            "inventory": [],
            "allowed_personal_data": [],
        }
        core = {**defaults, **{k: v for k, v in core.items() if v is not None or k not in defaults}}
        meta_model = schema.model()(**{f.name: values[f.name] for f in schema.fields})
        return Decision(
            folder=self.folder,
            name=self.name,
            type=kind.name,
            summary_markdown=body.strip(),
            summary_line=self.summary_line,
            meta=meta_model,
            suspended_files=sorted(self.suspended_files),
            **core,
        )

    def _field(self, meta: dict, f):
        """Parse one field by its kind; report what is wrong and return None for a missing or bad value."""
        key = f.name
        if f.kind in ("line", "text"):
            text = self.text_field(meta, key)
            if text is not None and f.kind == "line" and "\n" in text and key not in ("kenmerk", "titel", "organisatie"):
                self.err(
                    METADATA_FILE,
                    f"veld '{key}'",
                    "de waarde beslaat meer dan één regel.",
                    "Zet de waarde op één regel.",
                    "veld.meerdere_regels",
                )
            if text is not None and f.pattern and not re.fullmatch(f.pattern, text):
                self.err(
                    METADATA_FILE,
                    f"veld '{key}'",
                    (f.message or "'{value}' heeft niet de juiste vorm.").format(value=text),
                    f.fix or f"Schrijf bijvoorbeeld: {key}: {f.example}.",
                    f.code or "veld.formaat",
                )
                return None
            return text
        if f.kind == "choice":
            text = self.text_field(meta, key)
            if text is None:
                return None
            value = f.canonical(text)
            if value is None:
                self.err(
                    METADATA_FILE,
                    f"veld '{key}'",
                    (f.message or "'{value}' is geen toegestane waarde.").format(value=meta.get(key)),
                    _choice_hint(f, text) + (f.fix or "Gebruik een van: " + ", ".join(f.choices) + "."),
                    f.code or "veld.waarde",
                )
            return value
        if f.kind == "tooi":
            from . import tooi

            text = self.text_field(meta, key)
            if text is None:
                return None
            value = tooi.lookup(f.tooi_list, text)
            if value is None:
                examples = ", ".join(f"{tooi.short(u)} ({label})" for u, label in list(tooi.values(f.tooi_list).items())[:3])
                self.err(
                    METADATA_FILE,
                    f"veld '{key}'",
                    f"'{text}' staat niet in de TOOI-lijst van {f.tooi_list}en.",
                    f"Gebruik een id of naam uit die lijst (docs/pakketformaat.md), bijvoorbeeld {examples}.",
                    "veld.tooi",
                )
            return value
        if f.kind == "date":
            return self.date_field(meta, key)
        if f.kind == "period":
            value = meta.get(key)
            if value is None and f.required:
                self.err(
                    METADATA_FILE,
                    f"veld '{key}'",
                    "dit verplichte veld ontbreekt of is leeg.",
                    f"Schrijf bijvoorbeeld: {key}: {{van: 2020-01-01, tot: 2021-12-31}}.",
                    "veld.ontbreekt",
                )
            start, end = self._period(value, key)
            return None if start is None and end is None else (start, end)
        if f.kind == "texts":
            items = self._string_list(meta.get(key), key, f.example or "...", (f.item_pattern and f.code) or "tekst.stuurteken")
            if f.unique:
                items = list(dict.fromkeys(items))
            if not items and f.required:
                self.err(
                    METADATA_FILE,
                    f"veld '{key}'",
                    "dit verplichte veld ontbreekt of is leeg.",
                    f"Schrijf bijvoorbeeld: {key}: [{f.example}].",
                    "veld.ontbreekt",
                )
            for item in items if f.item_pattern else ():
                if not re.fullmatch(f.item_pattern, item):
                    self.err(
                        METADATA_FILE,
                        f"veld '{key}'",
                        (f.message or "'{value}' heeft niet de juiste vorm.").format(value=item),
                        f.fix or f"Schrijf bijvoorbeeld: {key}: [{f.example}].",
                        f.code or "veld.formaat",
                    )
            return items
        if f.kind in ("file", "inventory"):
            reference = meta.get(key)
            if reference in (None, ""):
                if f.required:
                    self.err(
                        METADATA_FILE,
                        f"veld '{key}'",
                        "dit verplichte veld ontbreekt of is leeg.",
                        f"Geef het pad van {f.role} ({', '.join(s.lstrip('.') for s in f.suffixes)}), bijvoorbeeld "
                        f"'{key}: {f.example or key + f.suffixes[0]}'.",
                        "veld.ontbreekt",
                    )
                return None
            return self.file_field(reference, METADATA_FILE, f"veld '{key}'", f.role, f.suffixes)
        if f.kind == "annexes":
            return self._annexes(meta.get(key), key)
        raise ValueError(f"unknown field kind {f.kind!r}")  # a schema bug, caught by the tests

    def _period(self, value, key: str = "periode") -> tuple[dt.date | None, dt.date | None]:
        if value is None:
            return None, None
        if not isinstance(value, dict) or set(value) - {"van", "tot"} or not value:
            self.err(
                METADATA_FILE,
                f"veld '{key}'",
                "de periode moet 'van' en/of 'tot' bevatten.",
                "Schrijf bijvoorbeeld: periode: {van: 2020-01-01, tot: 2021-12-31}.",
                "veld.periode",
            )
            return None, None
        dates = {}
        field_name = key
        for key in ("van", "tot"):
            if key in value:
                dates[key] = parse_iso(value[key])
                if dates[key] is None:
                    self.err(
                        METADATA_FILE,
                        f"veld '{field_name}.{key}'",
                        f"'{value[key]}' is geen geldige datum.",
                        "Schrijf de datum als JJJJ-MM-DD.",
                        "veld.datum",
                    )
        start, end = dates.get("van"), dates.get("tot")
        if start and end and start > end:
            self.err(
                METADATA_FILE,
                f"veld '{field_name}'",
                f"'van' ({start}) ligt na 'tot' ({end}).",
                "Wissel de datums om of verbeter ze.",
                "veld.datum_volgorde",
            )
        return start, end

    def _string_list(self, value, key: str, example: str, code: str = "tekst.stuurteken") -> list[str]:
        if value is None:
            return []
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list) or any(not isinstance(v, (str, int, float)) or isinstance(v, bool) for v in value):
            self.err(
                METADATA_FILE,
                f"veld '{key}'",
                "verwacht een lijst met teksten.",
                f"Schrijf bijvoorbeeld: {key}: [{example}].",
                "veld.type",
            )
            return []
        texts = [str(v).strip() for v in value if str(v).strip()]
        if not all(self.within(t, "field_chars", METADATA_FILE, f"veld '{key}'", f"een waarde in '{key}'") for t in texts):
            return []
        if any([self.unseen(t, METADATA_FILE, f"veld '{key}'", code) for t in texts]):
            return []
        if any([self.spaced_out(t, f"veld '{key}'") for t in texts]):
            return []
        return texts

    def _annexes(self, value, key: str = "bijlagen") -> list[Annex]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.err(
                METADATA_FILE,
                f"veld '{key}'",
                "verwacht een lijst van bijlagen.",
                "Schrijf per bijlage een regel '- {titel: ..., bestand: ...}'.",
                "veld.bijlagen",
            )
            return []
        annexes = []
        for i, item in enumerate(value, start=1):
            location = f"veld '{key}', bijlage {i}"
            if not isinstance(item, dict):
                self.err(
                    METADATA_FILE,
                    location,
                    "een bijlage moet 'titel' en 'bestand' hebben.",
                    "Schrijf: - {titel: Bijlage 1 Relevante artikelen, bestand: bijlage-1.pdf}.",
                    "veld.bijlagen",
                )
                continue
            for key in sorted(set(item) - {"titel", "bestand"}, key=str):
                self.err(
                    METADATA_FILE,
                    f"{location}, '{key}'",
                    "dit veld is onbekend in een bijlage.",
                    "Een bijlage heeft alleen 'titel' en 'bestand'.",
                    "veld.onbekend",
                )
            title = item.get("titel")
            if title is None or not str(title).strip() or isinstance(title, (dict, list)):
                self.err(
                    METADATA_FILE,
                    f"{location}, 'titel'",
                    "de titel van de bijlage ontbreekt.",
                    "Geef elke bijlage een titel.",
                    "veld.ontbreekt",
                )
            elif not self.within(str(title).strip(), "title_chars", METADATA_FILE, f"{location}, 'titel'", "de titel"):
                title = None
            elif self.unseen(str(title), METADATA_FILE, f"{location}, 'titel'"):
                title = None
            elif self.spaced_out(str(title).strip(), f"{location}, 'titel'"):
                title = None
            file = self.file_field(item.get("bestand"), METADATA_FILE, f"{location}, 'bestand'", f"bijlage {i}", (".pdf",))
            if file is not None and title is not None and not isinstance(title, (dict, list)):
                annexes.append(Annex(str(title).strip(), file))
        return annexes

    def _inventory(self, inventory_file: FileRef, law: str | None) -> list[InventoryRow]:
        rel = inventory_file.relpath
        if not check_inventory_file(inventory_file.path, rel, self.limits, self.problems):
            return []
        try:
            table = read_table(inventory_file.path, rel, self.problems, self.inventory_limits)
        except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001 - a damaged file refuses this package only
            from .safetext import log_unexpected

            log_unexpected(self.name, exc, f"het lezen van {rel}")
            self.err(
                rel,
                "",
                f"de inventaris kan niet gelezen worden: het bestand is beschadigd of onvolledig ({type(exc).__name__}).",
                "Open de inventaris in Excel (of een ander rekenprogramma), sla hem opnieuw op als .xlsx of .csv en lever hem opnieuw aan.",
                "inventaris.onleesbaar",
            )
            return []
        if table is None:
            return []  # why is reported; no follow-on errors about its rows
        # New-user round 12: a list refused as a whole, or read up to a broken line, still has its rows checked, so
        # their problems come in this run. Only a complete list says which files belong to the package (``_stray_files``).
        self.inventory_read = table.complete
        self.inventory_partial = None if table.complete else table
        if not table.complete and not self.problems.has_errors:  # defensive: a refused list always says why
            self.err(
                rel,
                "",
                "de inventaris kon niet helemaal gelezen worden.",
                "Sla de inventaris opnieuw op.",
                "inventaris.onleesbaar",
            )
        self.inventory_rel = rel

        def col(column: str) -> str:
            return f"kolom '{table.columns.get(column, column)}'"

        rows: list[InventoryRow] = []
        file_texts: list[str] = []
        seen_numbers: dict[str, int] = {}
        repeated: set[int] = set()  # rows whose number an earlier row has: no file is looked up by that number
        for number, raw in table.rows:
            where = f"rij {number}"
            for column in sorted(raw):  # every cell the inventory may publish, before it is read as a value
                text = cell_text(raw[column])
                if not self.unseen(text, rel, f"{where}, {col(column)}"):
                    self._pushed_out_of_sight(text, column, rel, f"{where}, {col(column)}")
            nr = re.sub(r"\.$", "", cell_text(raw.get("nr")))
            if not nr:
                self.err(
                    rel,
                    f"{where}, {col('nr')}",
                    "het documentnummer ontbreekt.",
                    "Geef elk document een uniek nummer.",
                    "inventaris.nr_ontbreekt",
                )
            elif not self.within(nr, "field_chars", rel, f"{where}, kolom 'nr'", "het documentnummer"):
                nr = ""  # the number becomes a file name on the site
            elif nr in seen_numbers:
                self.err(
                    rel,
                    f"{where}, {col('nr')}",
                    f"nummer '{nr}' staat ook in rij {seen_numbers[nr]}.",
                    "Elk document heeft een eigen nummer; nummer de rijen opnieuw.",
                    "inventaris.nr_dubbel",
                )
                repeated.add(number)
            else:
                seen_numbers[nr] = number
            title = document_title(cell_text(raw.get("document")))
            if not title:
                self.err(
                    rel,
                    f"{where}, {col('document')}",
                    "de titel van het document ontbreekt.",
                    "Geef een omschrijving van het document.",
                    "inventaris.titel_ontbreekt",
                )
            date = None
            raw_date = raw.get("datum")
            if raw_date not in (None, "") and cell_text(raw_date):
                date = parse_loose(raw_date.strip() if isinstance(raw_date, str) else raw_date, utc=table.utc_dates)
                if date is None:
                    self.err(
                        rel,
                        f"{where}, {col('datum')}",
                        f"'{cell_text(raw_date)}' is geen geldige datum.",
                        impossible_date(cell_text(raw_date))
                        or "Schrijf de datum als JJJJ-MM-DD of DD-MM-JJJJ (of zoals e-discovery-software: "
                        "M/D/JJJJ U:MM AM UTC), of laat de cel leeg.",
                        "inventaris.datum",
                    )
            assessment_text = cell_text(raw.get("beoordeling"))
            assessment = normalise_assessment(assessment_text)
            if assessment is None:
                self.err(
                    rel,
                    f"{where}, {col('beoordeling')}",
                    f"'{assessment_text}' is geen geldige beoordeling." if assessment_text else "de beoordeling ontbreekt.",
                    assessment_hint(assessment_text) + "Gebruik een van: " + ", ".join(ASSESSMENTS) + ".",
                    "inventaris.beoordeling",
                )
            suspended = self._yes_no(cell_text(raw.get("opgeschort")), rel, f"{where}, {col('opgeschort')}")
            row_grounds = self._row_grounds(cell_text(raw.get("gronden")), law, assessment, rel, where, col("gronden"))
            links = []
            for link in split_cell(cell_text(raw.get("link")), "|\n"):
                if not re.fullmatch(r"https?://[^\s<>\"']+", link):
                    self.err(
                        rel,
                        f"{where}, {col('link')}",
                        f"'{link}' is geen geldig webadres.",
                        "Geef een volledig adres dat begint met https:// of http://; scheid meerdere adressen met '|'.",
                        "inventaris.link",
                    )
                    continue
                links.append(link)
            rows.append(
                InventoryRow(
                    number,
                    nr,
                    title,
                    date,
                    assessment or "",
                    row_grounds,
                    None,
                    links[0] if links else None,
                    cell_text(raw.get("toelichting")),
                    links=links,
                    suspended=suspended,
                    family=cell_text(raw.get("familie")),
                    thread=cell_text(raw.get("thread")),
                    related=[r for r in split_cell(cell_text(raw.get("gerelateerd")), "|;,\n ") if r != nr],
                    case_numbers=split_cell(cell_text(raw.get("zaaknummer")), "|;\n"),
                    file_type=cell_text(raw.get("bestandstype")),
                )
            )
            file_texts.append(cell_text(raw.get("bestand")))
        self._attach_files(rows, file_texts, rel, col("bestand"), repeated)
        self.rows = rows
        address_clashes([(r.nr, r.row_number) for r in rows], rel, col("nr"), self.problems)
        numbers = {r.nr for r in rows}
        unknown = sorted({(r.row_number, x) for r in rows for x in r.related if x not in numbers})
        if unknown:
            self.warn(
                rel,
                f"rij {row_ranges(n for n, _ in unknown)}, {col('gerelateerd')}",
                "deze gerelateerde documenten staan niet in de inventaris en krijgen geen verwijzing: "
                + ", ".join(dict.fromkeys(x for _, x in unknown[:20]))
                + ("..." if len(unknown) > 20 else "")
                + ".",
                "Controleer de nummers in de kolom.",
                "inventaris.gerelateerd_onbekend",
            )
        return rows

    def _yes_no(self, text: str, rel: str, location: str) -> bool:
        key = text.strip().lower().rstrip(".")
        if key in ("ja", "j", "yes", "y", "true", "waar", "1", "x"):
            return True
        if key not in ("", "nee", "n", "no", "false", "onwaar", "0", "-"):
            self.err(
                rel,
                location,
                f"'{text}' is geen ja of nee.",
                "Schrijf 'Ja' als de publicatie van het document is opgeschort, anders 'Nee' of niets.",
                "inventaris.opgeschort",
            )
        return False

    def _attach_files(
        self, rows: list[InventoryRow], file_texts: list[str], rel: str, column: str, repeated: set[int] | None = None
    ) -> None:
        """Find each row's document: the path in the `bestand` column, else the file named after its number.

        A file is named after a number when its name is the number followed by a non-digit (``10001.pdf``,
        ``10001 Technische briefing.pdf``, ``10001-def.pdf``; ``10001.pdf`` is not document ``1000``), in
        the package root or any subfolder. A suspended row's file is claimed but never read or published.
        """
        files, _ = package_files(self.folder)
        by_name: dict[str, list[str]] = {}
        for f in files:
            by_name.setdefault(f.rsplit("/", 1)[-1], []).append(f)
        for i, (row, file_text) in enumerate(zip(rows, file_texts)):
            if not file_text:
                continue
            where = f"rij {row.row_number}, {column}"
            bare = file_text.replace("\\", "/")
            if "/" not in bare and not (self.folder / bare).is_file() and len(by_name.get(bare, [])) == 1:
                file_text = file_texts[i] = by_name[bare][0]  # a bare file name, in a subfolder: the one file so named
            if row.suspended:
                try:
                    relpath, path = resolve_inside(self.folder, file_text)
                except UnsafePath as exc:
                    self.err(
                        rel,
                        where,
                        f"het pad '{file_text}' is niet toegestaan: {exc}.",
                        "Zet het bestand in de pakketmap en verwijs ernaar met een pad binnen die map.",
                        "bestand.buiten_pakket",
                    )
                    continue
                if path.is_file():
                    self.referenced.setdefault(relpath, f"opgeschort document {row.nr}")
                    self.suspended_files.append(relpath)
            elif row.assessment == "niet openbaar":
                self.err(
                    rel,
                    where,
                    "een document dat 'niet openbaar' is, mag geen bestand hebben.",
                    "Maak de cel 'bestand' leeg en verwijder het bestand uit het pakket: het wordt nooit gepubliceerd.",
                    "inventaris.bestand_verboden",
                )
            else:
                row.file = self.file_field(file_text, rel, where, f"document {row.nr or '?'} (rij {row.row_number})", (".pdf",))
        # A row whose number is already reported as a repeat gets no file by that number: the file goes with the first
        # row, and "already used by document 1" or "no file for document 1" would only repeat the one error.
        waiting = [
            row for row, file_text in zip(rows, file_texts) if not file_text and row.nr and row.row_number not in (repeated or ())
        ]
        pool = [f for f in files if f not in self.referenced and f not in (METADATA_FILE, APPROVAL_FILE, HISTORY_FILE)]
        matches = files_by_number({row.nr for row in waiting}, pool)
        missing: list[InventoryRow] = []
        for row in waiting:
            found = matches.get(row.nr.lower(), [])
            where = f"rij {row.row_number}, {column}"
            names = ", ".join(f"'{f}'" for f in found)
            if row.suspended or not row.assessment:
                for f in found:
                    self.referenced.setdefault(f, f"opgeschort document {row.nr}" if row.suspended else f"document {row.nr}")
                if row.suspended:
                    self.suspended_files.extend(found)
            elif row.assessment == "niet openbaar":
                if found:
                    self.err(
                        rel,
                        where,
                        f"{names} hoort volgens de naam bij document {row.nr}, dat niet openbaar is.",
                        "Verwijder het bestand uit het pakket: een document dat niet openbaar is, wordt nooit gepubliceerd.",
                        "inventaris.bestand_verboden",
                    )
                for f in found:
                    self.referenced.setdefault(f, f"document {row.nr}")
            elif len(found) > 1:
                self.err(
                    rel,
                    where,
                    f"bij document {row.nr} horen volgens de naam meerdere bestanden: {names}.",
                    "Houd één bestand over, of zet in een kolom 'Bestand' het pad van het bestand dat bij dit document hoort.",
                    "inventaris.bestand_meerdere",
                )
                for f in found:
                    self.referenced.setdefault(f, f"document {row.nr}")
            elif found:
                row.file = self.file_field(found[0], rel, where, f"document {row.nr} (rij {row.row_number})", (".pdf",))
            elif row.assessment in ("openbaar", "deels openbaar"):
                missing.append(row)
        if missing:
            missing.sort(key=lambda r: r.row_number)
            fix = (
                "Zet de (gelakte) pdf in het pakket met het documentnummer vooraan in de naam (bijvoorbeeld "
                f"'{missing[0].nr}.pdf' of '{missing[0].nr} Verslag.pdf'), of zet het pad in een kolom 'bestand'."
            )
            if len(missing) <= 10:
                for row in missing:
                    self.err(
                        rel,
                        f"rij {row.row_number}, {column}",
                        f"een document dat '{row.assessment}' is, heeft een bestand nodig; er is geen bestand "
                        f"gevonden voor document {row.nr}.",
                        fix,
                        "inventaris.bestand_ontbreekt",
                    )
            else:
                self.err(
                    rel,
                    f"rij {row_ranges(r.row_number for r in missing)}, {column}",
                    f"{len(missing)} documenten die (deels) openbaar zijn, hebben geen bestand in het pakket.",
                    fix,
                    "inventaris.bestand_ontbreekt",
                )

    def _row_grounds(
        self, text: str, law: str | None, assessment: str | None, rel: str, where: str, column: str = "kolom 'gronden'"
    ):
        found = []
        unchecked = 0  # recognised grounds that cannot be checked against the law (no valid 'wet')
        location = f"{where}, {column}"
        for part in grounds_catalogue.split_grounds(text):
            ground_id = grounds_catalogue.normalise_ground(part)
            if ground_id is None:
                self.err(
                    rel,
                    location,
                    f"'{part}' is geen herkenbare weigeringsgrond.",
                    "Schrijf gronden als artikelnummer, bijvoorbeeld 5.1.2.e (Woo) of 10.2.e (Wob), gescheiden door ';'.",
                    "inventaris.grond_onleesbaar",
                )
                continue
            if law is None:
                unchecked += 1
                continue
            ground = grounds_catalogue.lookup(law, ground_id)
            if ground is None:
                other = "Wob" if law == "Woo" else "Woo"
                in_other = grounds_catalogue.lookup(other, ground_id)
                self.err(
                    rel,
                    location,
                    f"'{part}' is geen weigeringsgrond van de {law}" + (f" (wel van de {other})." if in_other else "."),
                    (
                        f"Het besluit valt onder de {law} (veld 'wet' in {METADATA_FILE}); gebruik een grond uit die wet of verbeter het veld 'wet'."
                        if in_other
                        else "Geldige gronden: " + ", ".join(g.id for g in grounds_catalogue.grounds_of(law)) + "."
                    ),
                    "inventaris.grond_onbekend",
                )
                continue
            if ground not in found:
                found.append(ground)
        if (
            assessment in ("deels openbaar", "niet openbaar")
            and not found
            and not unchecked
            and not any(p.location == location for p in self.problems)
        ):
            self.err(
                rel,
                location,
                f"een document dat '{assessment}' is, heeft minstens één weigeringsgrond nodig.",
                "Vul de weigeringsgrond(en) in, bijvoorbeeld 5.1.2.e.",
                "inventaris.grond_ontbreekt",
            )
        if assessment == "openbaar" and found:
            self.warn(
                rel,
                location,
                f"een document dat 'openbaar' is, heeft toch een weigeringsgrond "
                f"({', '.join(g.id for g in found)}); die wordt getoond zoals opgegeven.",
                "Controleer de rij: is er gelakt, maak de beoordeling dan 'deels openbaar'; anders kan de cel leeg.",
                "inventaris.grond_bij_openbaar",
            )
        return found

    def _check_outcome(self, outcome: str, rows: list[InventoryRow], rel: str) -> None:
        assessments = [r.assessment for r in rows if r.assessment]
        if outcome == "niets aangetroffen":
            if rows:
                self.err(
                    METADATA_FILE,
                    "veld 'besluit'",
                    f"'niets aangetroffen', maar de inventaris noemt {count(len(rows), 'document', 'documenten')}.",
                    "Verbeter het veld 'besluit', of laat de inventaris weg als er echt niets is gevonden.",
                    "besluit.tegenstrijdig",
                )
            return
        if not rows:
            self.err(
                rel,
                "",
                "de inventaris bevat geen documenten.",
                "Zet elk gevonden document in de inventaris, of gebruik 'besluit: niets aangetroffen'.",
                "inventaris.geen_rijen",
            )
            return
        if len(assessments) != len(rows):
            return  # rows with unreadable assessments are already reported
        expected = expected_outcome(assessments)
        if expected != outcome:
            counts = ", ".join(f"{assessments.count(a)} {a}" for a in ASSESSMENTS if a in assessments)
            self.err(
                METADATA_FILE,
                "veld 'besluit'",
                f"'{outcome}' past niet bij de inventaris ({counts}); verwacht: '{expected}'.",
                "Verbeter het veld 'besluit' of de beoordelingen in de inventaris.",
                "besluit.tegenstrijdig",
            )

    def _names(self) -> bool:
        """The folder's name and every path in it within the limits: they become names on disk and on the site."""
        ok = True
        if len(self.name) > self.limits.name_chars:
            self.err(
                "",
                "",
                self.limits.exceeded("name_chars", len(self.name), "de lengte van de mapnaam"),
                "Geef de pakketmap een kortere naam, bijvoorbeeld het kenmerk.",
                "limiet.naam",
            )
            ok = False
        files, _ = package_files(self.folder)
        for rel in files:
            if len(rel) > self.limits.path_chars:
                self.err(
                    rel[:80] + "…",
                    "",
                    self.limits.exceeded("path_chars", len(rel), "de lengte van dit pad"),
                    "Geef het bestand (of de map waar het in staat) een kortere naam.",
                    "limiet.pad",
                )
                ok = False
            elif any(len(part) > self.limits.name_chars for part in rel.split("/")):
                longest = max(len(part) for part in rel.split("/"))
                self.err(
                    rel,
                    "",
                    self.limits.exceeded("name_chars", longest, "de lengte van een naam in dit pad"),
                    "Geef het bestand (of de map waar het in staat) een kortere naam.",
                    "limiet.naam",
                )
                ok = False
        return ok

    def _without_front_matter(self) -> None:
        """besluit.md is missing or its front matter cannot be read: the package is refused, but what does not
        depend on the front matter is still checked (the inventory, its files, every PDF), so staff see all
        problems in one run; what could not be checked is named."""
        files, _ = package_files(self.folder)
        sheets = [f for f in files if Path(f).suffix.lower() in (".xlsx", ".csv")]
        skipped = ["de velden van de kop", "persoonsgegevens in de kop" + ("" if self.body.strip() else " en de samenvatting")]
        if len(sheets) == 1:
            self.referenced[sheets[0]] = "de inventaris"
            self._inventory(FileRef(sheets[0], self.folder / sheets[0]), None)
            skipped.append("of de weigeringsgronden bij de wet horen (veld 'wet')")
            skipped.append("of het veld 'besluit' bij de inventaris past")
        elif sheets:
            skipped.append(
                f"de inventaris (het pakket heeft {len(sheets)} rekenbestanden: "
                + ", ".join(f"'{f}'" for f in sheets[:5])
                + (", ..." if len(sheets) > 5 else "")
                + "; welke de inventaris is, staat in de kop)"
            )
        # The letter and annexes are named in the front matter: every PDF no row claims may be one of them.
        self.pdfs += [FileRef(f, self.folder / f) for f in files if f.lower().endswith(".pdf") and f not in self.referenced]
        skipped.append("welke bestanden niet bij het pakket horen (de besluitbrief en bijlagen staan in de kop)")
        pdf_checks = "leesbaarheid, persoonsgegevens"
        if self.allowed_unreadable:
            skipped.append(f"persoonsgegevens in de pdf's (de lijst '{TOEGESTANE_GEGEVENS.name}' kon niet gelezen worden)")
            pdf_checks = "leesbaarheid"
        elif self.allowed:
            pdf_checks = f"leesbaarheid, persoonsgegevens, met de waarden onder '{TOEGESTANE_GEGEVENS.name}' als toegestaan"
        self.problems.warning(
            METADATA_FILE,
            "kop",
            f"omdat {METADATA_FILE} ontbreekt of de kop niet gelezen kan worden, konden deze controles niet worden uitgevoerd: "
            + "; ".join(skipped)
            + ". Wel gecontroleerd: "
            + (f"de inventaris ('{self.inventory_rel}') en " if self.inventory_read or self.inventory_partial else "")
            + f"de pdf's in het pakket ({pdf_checks}).",
            f"Herstel eerst {METADATA_FILE} (zie de fout hierboven) en voer daarna 'woo-publish check' opnieuw uit: "
            "dan volgen ook deze controles.",
            "controle.niet_uitgevoerd",
        )

    def _stray_files(self) -> None:
        files, escaping = package_files(self.folder)
        for rel in escaping:
            self.err(
                rel,
                "",
                "dit is een snelkoppeling (symlink) naar iets buiten de pakketmap.",
                "Vervang de snelkoppeling door het bestand zelf.",
                "bestand.buiten_pakket",
            )
        allowed = {METADATA_FILE, APPROVAL_FILE, HISTORY_FILE} | set(self.referenced)
        for rel in files:
            if rel in self.encoding_twins and rel not in allowed:
                self.err(
                    rel,
                    "",
                    f"dit bestand hoort niet bij het pakket: het lijkt op '{self.encoding_twins[rel]}' uit "
                    f"{METADATA_FILE} of de inventaris, maar {_encoding_difference(self.encoding_twins[rel], rel)}.",
                    _ENCODING_FIX,
                    "bestand.naam_codering",
                )
            elif rel not in allowed:
                self.err(
                    rel,
                    "",
                    "dit bestand hoort niet bij het pakket: het is geen besluitbrief, bijlage, inventaris of document uit de inventaris.",
                    "Verwijder het bestand, of neem het op in de inventaris of onder 'bijlagen' in besluit.md.",
                    "bestand.los",
                )


_DOCUMENT_EXTENSION = re.compile(
    r"\.(?:docx?|docm|pdf|msg|eml|xlsx?|xlsm|csv|pptx?|txt|rtf|odt|ods|odp|jpe?g|png|gif|tiff?|bmp|html?|zip|vsdx?|mht|ics)$",
    re.IGNORECASE,
)


# Spaces that draw nothing but take room: the ordinary and the non-breaking space, the other widths of Unicode's space
# separators, the tab, and the Braille blank U+2800 (not white space to Python, blank in every font).
_SPACES = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u2800"
_MOST_SPACES = 3
_SPACE_RUN = re.compile(f"[{_SPACES}]{{{_MOST_SPACES + 1},}}(?=[^{_SPACES}\n\r])")


_ENCODING_FIX = (
    "Typ de naam opnieuw, in de map (in Windows Verkenner: F2) of in de verwijzing, zodat beide op dezelfde manier zijn "
    "opgeslagen; of gebruik een naam zonder letters met accenten (bijvoorbeeld 'cafe.pdf') in de map en in de "
    "verwijzing. Zulke verschillen ontstaan vaak als een bestand op een Mac is opgeslagen of gekopieerd. Keur het pakket "
    "daarna opnieuw goed."
)


def _space_run_message(text: str, run: re.Match) -> str:
    """The start of the message about a run of spaces (``_SPACE_RUN``): how many, of which kinds, after what."""
    kinds = sorted({f"U+{ord(c):04X}" for c in run.group()} - {"U+0020"})
    return (
        f"de tekst bevat {len(run.group())} spaties achter elkaar"
        + (f" (ook harde spaties: {', '.join(kinds)})" if kinds else "")
        + f", na '{_clip(text[: run.start()])}'. "
    )


def _encoding_difference(written: str, stored: str) -> str:
    """How two names that look the same differ: 'in de verwijzing staat 'é' als één teken (U+00E9), in de map als 'e'
    met een los accentteken (U+0065 U+0301)'."""
    import unicodedata

    def composed_in(one: str, other: str):
        """The first letter that ``one`` has as one character and ``other`` as letter plus loose accent."""
        for char in dict.fromkeys(one):
            decomposed = unicodedata.normalize("NFD", char)
            if decomposed != char and decomposed in other and char not in other:
                return char, " ".join(f"U+{ord(c):04X}" for c in decomposed)
        return None

    if found := composed_in(written, stored):
        char, codes = found
        return (
            f"in de verwijzing staat '{char}' als één teken (U+{ord(char):04X}), in de bestandsnaam als letter met "
            f"een los accentteken ({codes})"
        )
    if found := composed_in(stored, written):
        char, codes = found
        return (
            f"in de verwijzing staat '{char}' als letter met een los accentteken ({codes}), in de bestandsnaam als "
            f"één teken (U+{ord(char):04X})"
        )
    return "de letters met accenten zijn anders opgeslagen (als één teken, of als letter met een los accentteken)"


def _clip(text: str, limit: int = 40) -> str:
    """The words before a finding, for a message: the last ``limit`` characters, on one line."""
    text = " ".join(text.split())
    return text if len(text) <= limit else "…" + text[-limit:]


def _invisible_fix(found: list[str]) -> str:
    """How staff remove invisible characters, with a word on where the common ones come from."""
    fix = (
        "Typ de tekst opnieuw, zonder te kopiëren uit een ander programma, of verwijder het teken met een teksteditor die "
        "onzichtbare tekens toont (bijvoorbeeld Notepad++ met Beeld > Symbool weergeven > Alle tekens weergeven)."
    )
    if "\u00ad" in found:
        fix += (
            " Een zacht afbreekstreepje (U+00AD) komt meestal mee uit Word: zet daar Start > Alles weergeven (¶) aan en "
            "verwijder het streepje."
        )
    if any(c in "\u200d\ufe0f" or "\ufe00" <= c <= "\ufe0f" for c in found):
        fix += " Laat emoji weg: ze bestaan uit meerdere tekens, waarvan sommige onzichtbaar."
    return fix + " Keur het pakket daarna opnieuw goed."


def _referenced_character(reference: str) -> str:
    """What a character reference stands for, in words staff can read: 'het teken '1'', 'een onzichtbaar teken (U+00AD)'."""
    import html
    import unicodedata

    char = html.unescape(reference)
    if len(char) != 1:
        return "een onbekend teken"
    if char.isspace():
        return f"een spatie (U+{ord(char):04X})"
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Mn", "Me"):
        return f"een onzichtbaar teken (U+{ord(char):04X})"
    return f"het teken '{char}'"


def document_title(text: str) -> str:
    """A title as tools export it, often a file name (``Verslag 16 april 2020.docx``): shown without the extension."""
    stripped = _DOCUMENT_EXTENSION.sub("", text).strip()
    return stripped or text


def split_cell(text: str, separators: str) -> list[str]:
    """A cell holding several values (``a | b``), without empty parts or repeats."""
    parts = re.split("[" + re.escape(separators) + "]+", text or "")
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def files_by_number(numbers: set[str], files: list[str]) -> dict[str, list[str]]:
    """Files named after a document number (case-insensitive), by number in lower case.

    The name starts with the number and goes on with a character that cannot continue it: after a
    digit a non-digit, after a letter a non-letter. A name that fits several numbers (``10-2.pdf``
    with numbers ``10`` and ``10-2``) belongs to the longest.
    """
    keys = {n.lower() for n in numbers if n}
    longest = max((len(k) for k in keys), default=0)
    found: dict[str, list[str]] = {}
    for rel in files:
        name = rel.rsplit("/", 1)[-1].lower()
        best = None
        for k in range(1, min(len(name), longest) + 1):
            prefix = name[:k]
            if prefix not in keys:
                continue
            following = name[k] if k < len(name) else ""
            last = prefix[-1]
            if not following or (
                not following.isdigit() if last.isdigit() else not following.isalnum() if last.isalnum() else True
            ):
                best = prefix
        if best is not None:
            found.setdefault(best, []).append(rel)
    return found


def _kind(value) -> str:
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, dict):
        return "een samengestelde waarde"
    if isinstance(value, bool):
        return "ja/nee"
    return type(value).__name__


_YAML_PROBLEMS = (
    (
        "mapping values are not allowed",
        "er staat een dubbele punt (:) in een waarde",
        'Zet een tekst met een dubbele punt tussen aanhalingstekens, bijvoorbeeld titel: "Speeltuinen: onderhoud".',
    ),
    (
        "cannot start any token",
        "de regel begint met een teken dat hier niet mag (vaak een tab)",
        "Gebruik spaties in plaats van tabs, en zet een tekst die met @, ` of % begint tussen aanhalingstekens.",
    ),
    (
        "could not find expected ':'",
        "er ontbreekt een dubbele punt na de naam van een veld",
        "Schrijf elk veld als 'naam: waarde' op een eigen regel.",
    ),
    (
        "expected <block end>",
        "deze regel springt anders in dan de regels erboven",
        "Laat velden die bij elkaar horen precies even ver inspringen, met spaties (bijvoorbeeld titel: en bestand: "
        "van één bijlage onder elkaar).",
    ),
    (
        "expected ',' or",
        "in de lijst tussen [ ] of { } die op deze regel begint, ontbreekt een komma of het sluitteken",
        "Scheid de waarden met komma's en sluit af met ] of }, bijvoorbeeld onderwerpen: [privacy, datalekken].",
    ),
    (
        "found duplicate anchor",
        "een verwijzing (&naam) staat er twee keer",
        "Schrijf elke waarde gewoon uit, zonder &naam en *naam.",
    ),
)


def _key_on_line(raw: str, line: int) -> str:
    """The front-matter key written on ``line`` (1-based, of the file), or ""."""
    lines = raw.split("\n")
    m = re.match(r"\s*(?:-\s*)?([A-Za-z_][\w-]{0,40})\s*:", lines[line - 1] if 0 < line <= len(lines) else "")
    return m.group(1) if m else ""


def _yaml_problem(problem: str, context: str = "") -> tuple[str, str]:
    """The YAML library's English, as staff can act on it."""
    from .safetext import safe
    from .yamlsafe import DUPLICATE_KEY

    if problem.startswith(DUPLICATE_KEY):
        name = problem[len(DUPLICATE_KEY) :].strip().strip("'\"")
        return (
            f"het veld '{safe(name, 80)}' staat twee keer in de kop (hier voor de tweede keer)",
            "Laat het veld één keer staan, met de juiste waarde, en haal de andere regel weg.",
        )
    if "end of stream" in problem and "quoted scalar" in context:
        return (
            "een aanhalingsteken wordt op deze regel geopend maar nergens gesloten",
            'Sluit de tekst af met hetzelfde aanhalingsteken, bijvoorbeeld organisatie: "Kiesraad".',
        )
    if "end of stream" in problem and "flow" in context:
        return (
            "een lijst of groep die op deze regel met [ of { begint, wordt nergens gesloten",
            "Sluit de lijst af met ] (of de groep met }), op dezelfde regel, bijvoorbeeld onderwerpen: [privacy, datalekken].",
        )
    for needle, what, fix in _YAML_PROBLEMS:
        if needle in problem:
            return what, fix
    return (
        "de opmaak klopt niet" + (f" (technische melding: {problem})" if problem else ""),
        "Controleer dubbele punten, inspringing en aanhalingstekens; zet een tekst met ':' tussen aanhalingstekens.",
    )


def summary_start(raw: str, summary: str) -> int:
    """The line of ``raw`` (besluit.md as read) the summary starts on, 1 for the first line. The front-matter reader
    strips the summary, so it is the end of the file without its trailing white space; line n of the summary is line
    ``summary_start + n - 1`` of the file, the number staff find in their editor."""
    body = summary.strip()
    head = raw.rstrip()
    if not body or not head.endswith(body):
        return 1
    return head.count("\n", 0, len(head) - len(body)) + 1


@dataclass
class Partial:
    """What could be read of a refused package (no ``Decision``): checked anyway, so one run shows every problem."""

    pdfs: list[FileRef]  # letter, annexes, documents; without front matter every PDF no row claims
    rows: list[InventoryRow]
    texts: list[tuple[str, str, str]]  # (file, location, text) that would be published
    allowed: list[str]  # toegestane_gegevens, when readable
    allowed_unreadable: bool = False  # toegestane_gegevens is there but unreadable: personal data in PDFs is not judged
    summary_line: int = 1  # the line of besluit.md the summary starts on
    kenmerk: str = ""  # the kenmerk, when it is valid: a duplicate is reported with the other problems (evaluate)


def read_package(folder: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Decision | None, Problems, Partial | None]:
    """``load_package``, plus what could be read when the package is refused (None when it is not, or when
    even its names are beyond the limits)."""
    from .privacy import partial_texts

    loader = _Loader(folder, limits)
    if not loader._names():
        return None, loader.problems, None
    if not _regular_files_only(folder, limits, loader.problems):
        return None, loader.problems, None  # nothing of it is read: a FIFO would hang the build, a huge file stall it
    decision = loader.load()
    if decision is None and not loader.problems.has_errors:  # defensive: never return nothing silently
        loader.err("", "", "het pakket kon niet gelezen worden.", "Controleer de map.", "pakket.onleesbaar")
    if decision is not None:
        return decision, loader.problems, None
    texts = partial_texts(loader.values, loader.body, loader.rows, loader.inventory_rel or "inventaris")
    kenmerk = loader.values.get("kenmerk")
    partial = Partial(
        loader.pdfs,
        loader.rows,
        texts,
        loader.allowed,
        loader.allowed_unreadable,
        loader.summary_line,
        kenmerk if isinstance(kenmerk, str) else "",
    )
    return None, loader.problems, partial


SPECIAL_FIX = (
    "Verwijder het uit de pakketmap (het is geen document: zo'n bestand ontstaat alleen door een programma of met opzet) "
    "en zet er zo nodig het echte bestand voor in de plaats. Keur het pakket daarna opnieuw goed."
)


def _regular_files_only(folder: Path, limits: Limits, problems: Problems) -> bool:
    """Attack round 10 (B04, B08): before anything of a package is read or hashed, every file in it must be a regular
    file (a FIFO would block every build, a socket fail it) and no file may be larger than the largest file a limit
    allows (a sparse file of a terabyte would be hashed for an hour). False, with a Dutch message naming each file,
    when the package is refused for it; nothing of it is then read."""
    ok = True
    for rel, kind in sorted(special_files(folder).items()):
        problems.error(
            rel,
            "",
            f"dit is {kind}, geen gewoon bestand: het pakket kan zo niet gelezen worden.",
            SPECIAL_FIX,
            "bestand.speciaal",
        )
        ok = False
    for rel, size in sorted(file_sizes(folder).items()):
        name = limits.file_limit(rel)
        if size > getattr(limits, name):
            what = "de pdf" if rel.lower().endswith(".pdf") else "het bestand"
            problems.error(rel, "", limits.exceeded(name, size, what), LIMIT_FIX, f"limiet.{name}")
            ok = False
    return ok


def load_package(folder: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Decision | None, Problems]:
    """``limits``: the site's limits on untrusted input (publish/limits.py); defaults documented."""
    decision, problems, _ = read_package(folder, limits)
    return decision, problems


def find_packages(decisions_dir: Path) -> list[Path]:
    """Package folders: the direct subfolders of ``decisions_dir`` (hidden ones skipped, see ``skipped_folders``)."""
    return sorted(p for p in decisions_dir.iterdir() if p.is_dir() and not is_skipped_name(p.name))


def is_skipped_name(name: str) -> bool:
    """Folders whose name starts with '.' or '_' are never packages (drafts, tooling such as .git)."""
    return name.startswith((".", "_"))


def skipped_folders(decisions_dir: Path) -> list[Path]:
    """The subfolders that are not read as packages: reported by check and build, refused by approve."""
    return sorted(p for p in decisions_dir.iterdir() if p.is_dir() and is_skipped_name(p.name))


def skipped_problem(folder: Path, problems: Problems, error: bool = False) -> None:
    add = problems.error if error else problems.warning
    add(
        "",
        "",
        "deze map wordt overgeslagen: een mapnaam die met '.' of '_' begint, is nooit een pakket en wordt niet gepubliceerd.",
        "Is dit een pakket? Geef de map dan een naam die met een letter of cijfer begint, bijvoorbeeld het kenmerk.",
        "pakket.overgeslagen",
    )
