"""Click's own texts (usage lines, help, usage errors) in Dutch, for the staff who run ``woo-publish``.

Click 8 marks every text it prints for translation with gettext: each click module does
``from gettext import gettext as _`` (and ``ngettext``) and calls ``_("Usage:")`` when it prints.
Plain gettext picks the language from the environment (LANGUAGE, LC_ALL, LANG) and needs a compiled
catalogue on disk, so a laptop set to English, or Windows, which sets none of these, would still show
English. Here the catalogue is ``DUTCH`` (click's English text -> Dutch, what a ``.po`` file would hold)
in a ``gettext.NullTranslations`` subclass, and ``dutch()`` points click's ``_`` and ``ngettext`` at it
while a ``woo-publish`` command runs, and back afterwards: nothing outside the command is affected.

``tests/test_staff_ux.py`` reads click's source and fails when click (after an upgrade) has a text that
is neither translated here nor listed in ``DEVELOPER_ONLY``.
"""

from __future__ import annotations

import gettext
import importlib
from collections.abc import Iterator
from contextlib import contextmanager

DUTCH: dict[str, str] = {
    # Usage line and help pages
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "Positional arguments": "Argumenten",
    "Show this message and exit.": "Toon deze hulptekst en stop.",
    "Show the version and exit.": "Toon het versienummer en stop.",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
    "default: {default}": "standaard: {default}",
    "env var: {var}": "omgevingsvariabele: {var}",
    "required": "verplicht",
    "(dynamic)": "(wisselend)",
    "deprecated": "vervallen",
    # Usage errors
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Zie '{command} {option}' voor uitleg over de opdracht en de opties.",
    "Missing command.": "Geef een opdracht, zoals check, approve of build.",
    "No such command {name!r}.": "De opdracht {name!r} bestaat niet.",
    "No such option {name!r}.": "De optie {name!r} bestaat niet.",
    "Missing argument": "Ontbrekend argument",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende waarde",
    "Missing {param_type}": "Ontbrekende {param_type}",
    "Missing parameter: {param_name}": "Ontbrekende waarde: {param_name}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Option {name!r} does not take a value.": "De optie {name!r} krijgt geen waarde.",
    "Argument {name!r} takes {nargs} values.": "Het argument {name!r} krijgt {nargs} waarden.",
    "Invalid start character for option ({option})": "Ongeldig beginteken voor een optie ({option})",
    "Value must be an iterable.": "De waarde moet een lijst zijn.",
    "Could not open file {filename!r}: {message}": "Het bestand {filename!r} kan niet geopend worden: {message}",
    "unknown error": "onbekende fout",
    "Aborted!": "Afgebroken.",
    # Values of parameters
    "file": "Bestand",
    "directory": "Map",
    "path": "Pad",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand, geen map.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map, geen bestand.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan niet gelezen worden (geen leesrechten).",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan niet beschreven worden (geen schrijfrechten).",
    "{name} {filename!r} is not executable.": "{name} {filename!r} kan niet uitgevoerd worden.",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig getal.",
    "{value} is not in the range {range}.": "{value} ligt niet binnen {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} is geen ja of nee. Mogelijke waarden: {states}",
    "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "Choice({choices})": "Keuze({choices})",
    # Questions and confirmations
    "Do you want to continue?": "Wilt u doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder te vragen.",
    "Press any key to continue...": "Druk op een toets om door te gaan...",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Error: The two entered values do not match.": "Fout: de twee ingevoerde waarden zijn niet gelijk.",
    "Error: invalid input": "Fout: ongeldige invoer",
    "{editor}: Editing failed": "{editor}: bewerken is mislukt",
    "{editor}: Editing failed: {e}": "{editor}: bewerken is mislukt: {e}",
    "Windows error: {error}": "Windows-fout: {error}",
    "Unknown standard stream '{name}'": "Onbekende standaardstroom '{name}'",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "LET OP: de opdracht {name!r} is vervallen.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "LET OP: de {param_type} {name!r} is vervallen.{extra_message}",
}

# Texts with a singular and a plural (ngettext), by the singular.
DUTCH_PLURAL: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": (
        "Onverwacht extra argument ({args}). Staat er een spatie in een pad? Zet het pad dan tussen aanhalingstekens.",
        "Onverwachte extra argumenten ({args}). Staat er een spatie in een pad? Zet het pad dan tussen aanhalingstekens.",
    ),
    "Did you mean {possibility}?": ("Bedoelde u {possibility}?", "(Bedoelde u een van: {possibilities}?)"),
    "Option {name!r} requires an argument.": (
        "De optie {name!r} heeft een waarde nodig.",
        "De optie {name!r} heeft {nargs} waarden nodig.",
    ),
    "Takes {nargs} values but 1 was given.": (
        "Krijgt {nargs} waarden, maar kreeg er 1.",
        "Krijgt {nargs} waarden, maar kreeg er {len}.",
    ),
    "{value!r} is not {choice}.": ("{value!r} is niet {choice}.", "{value!r} is geen van {choices}."),
    "{value!r} does not match the format {format}.": (
        "{value!r} heeft niet de vorm {format}.",
        "{value!r} heeft geen van de vormen {formats}.",
    ),
    "{len_type} values are required, but {len_value} was given.": (
        "Er zijn {len_type} waarden nodig, maar er is er {len_value} gegeven.",
        "Er zijn {len_type} waarden nodig, maar er zijn er {len_value} gegeven.",
    ),
}

# Texts only a developer of this program can ever see (a mistake in declaring the commands): left in English.
DEVELOPER_ONLY = {
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? Did you mean to "
    "pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Unknown color {colour!r}",
    "Couldn't detect Bash version, shell completion is not supported.",
    "Shell completion is not supported for Bash versions older than 4.4.",
    "d",  # progress bar: days in an estimated time, as in '1d 02:03:04'
}

CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
    "click._termui_impl",
    "click.shell_completion",
)


class DutchClick(gettext.NullTranslations):
    """gettext's interface over ``DUTCH``: an unknown text stays as it is (English)."""

    def gettext(self, message: str) -> str:
        return DUTCH.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = DUTCH_PLURAL.get(msgid1)
        if forms is None:
            return msgid1 if n == 1 else msgid2
        return forms[0] if n == 1 else forms[1]


CATALOGUE = DutchClick()


@contextmanager
def dutch() -> Iterator[None]:
    """Click speaks Dutch inside the block (its modules' ``_`` and ``ngettext``), as before outside it."""
    saved: list[tuple[object, str, object]] = []
    for name in CLICK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # a click without this module
            continue
        for attr, ours in (("_", CATALOGUE.gettext), ("ngettext", CATALOGUE.ngettext)):
            if hasattr(module, attr):
                saved.append((module, attr, getattr(module, attr)))
                setattr(module, attr, ours)
    try:
        yield
    finally:
        for owner, attr, original in reversed(saved):
            setattr(owner, attr, original)
