"""Personal data in everything a package publishes besides its PDFs: the summary, the title,
subjects, organisation and every other front-matter text, inventory cells and remarks, annex titles.

These texts end up in HTML, data.json, the feed, CSV/XLSX and the search index, so they get the
same check as page text (``gate/personal_data.py``), with the same masked reporting.

The walk is generic: every string reachable from the package model (dataclass fields, lists and
dictionaries) is checked, so a new publication type with its own fields is covered without a
change here. A field that is never published is marked on the model with
``field(metadata={"published": False})`` or listed in ``NOT_PUBLISHED``; a field can name itself
for staff with ``field(metadata={"label": "..."})`` or through ``LABELS``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import unquote, unquote_plus

from .gate.personal_data import KINDS, PersonalData, find_personal_data, mask, normalise_text, value_hash
from .model import FileRef
from .problems import Problems

METADATA_FILE = "besluit.md"

# Model fields that are never published: where the package lives, and the allowed values themselves.
NOT_PUBLISHED = {"folder", "name", "allowed_personal_data", "row_number", "inventory_file", "file"}
# How staff know a model field: the front-matter key or inventory column it comes from.
LABELS = {
    "type": "veld 'type'",
    "kenmerk": "veld 'kenmerk'",
    "title": "veld 'titel'",
    "organisation": "veld 'organisatie'",
    "law": "veld 'wet'",
    "outcome": "veld 'besluit'",
    "subjects": "veld 'onderwerpen'",
    "annexes": "veld 'bijlagen'",
    "summary_markdown": "samenvatting",
}
ROW_LABELS = {
    "nr": "kolom 'nr'",
    "title": "kolom 'document'",
    "assessment": "kolom 'beoordeling'",
    "link": "kolom 'link'",
    "remark": "kolom 'toelichting'",
}
MAX_DEPTH = 20
# References to documents or cases (numbers, never phone numbers): document numbers, families, threads, case numbers
REFERENCE_FIELDS = (
    "veld 'kenmerk'",
    "kolom 'nr'",
    "kolom 'familie'",
    "kolom 'Email Thread ID'",
    "kolom 'gerelateerd'",
    "kolom 'zaaknummer'",
)


def published_texts(decision) -> list[tuple[str, str, str]]:
    """(file, location, text) for every published string of the package model."""
    found: list[tuple[str, str, str]] = []
    inventory = getattr(getattr(decision, "inventory_file", None), "relpath", "") or "inventaris"
    _walk(decision, METADATA_FILE, "", found, 0, inventory)
    return found


def _label(f: dataclasses.Field, labels: dict) -> str:
    return f.metadata.get("label") or labels.get(f.name) or f"veld '{f.name}'"


def _walk(value, file: str, where: str, found: list, depth: int, inventory: str) -> None:
    if depth > MAX_DEPTH or value is None or isinstance(value, (bool, int, float, dt.date, Path, FileRef)):
        return
    if isinstance(value, str):
        if value.strip():
            found.append((file, where, value))
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if type(value).__module__.endswith(".grounds"):  # the law's own texts, from the catalogue
            return
        labels = LABELS
        if hasattr(value, "row_number"):  # an inventory row: named by its row and column
            file, where, labels = inventory, f"rij {value.row_number}", ROW_LABELS
        for f in dataclasses.fields(value):
            if f.name in NOT_PUBLISHED or f.metadata.get("published") is False:
                continue
            label = _label(f, labels)
            inner = where if f.metadata.get("flatten") else f"{where}, {label}" if where else label
            _walk(getattr(value, f.name), file, inner, found, depth + 1, inventory)
        return
    if isinstance(value, dict):
        for key in sorted(value, key=str):
            _walk(value[key], file, f"{where}, '{key}'" if where else f"veld '{key}'", found, depth + 1, inventory)
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value, start=1):
            numbered = dataclasses.is_dataclass(item) and not hasattr(item, "row_number")
            _walk(item, file, f"{where}, nummer {i}" if numbered else where, found, depth + 1, inventory)


# A mobile number typed into a numeric spreadsheet cell loses its leading 0: "612345678" is a probable 06 number.
LOST_ZERO_MOBILE = re.compile(r"6\d{8}(?:\.0+)?")


def lost_zero_mobile(text: str) -> PersonalData | None:
    """A finding for a whole cell that reads as a 06 number without its 0 (only for inventory cells)."""
    value = normalise_text(text).strip()
    if not LOST_ZERO_MOBILE.fullmatch(value):
        return None
    number = "0" + value.split(".")[0]
    return PersonalData("telefoon", mask(number), value_hash(number, "telefoon"), 0, 0)


def partial_texts(values: dict, body: str, rows: list, inventory: str) -> list[tuple[str, str, str]]:
    """The texts a package would publish, from what could be read of a package that is refused for other problems
    (front-matter ``values`` by field name, the summary, inventory rows): so personal data shows in the same run."""
    found: list[tuple[str, str, str]] = []
    for key in sorted(values, key=str):
        _walk(values[key], METADATA_FILE, f"veld '{key}'", found, 1, inventory)
    if body.strip():
        found.append((METADATA_FILE, "samenvatting", body))
    _walk(rows, inventory, "", found, 0, inventory)
    return found


SUMMARY = LABELS["summary_markdown"]
# Between two digits, characters a reader looks past: "06_12345678", "06\\12345678" read as one number.
_GLUE = re.compile(r"(?<=\d)[_\\*~`^]+(?=\d)")
# A link target as a browser, mail program or phone reads it: without its scheme, cut at these characters.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?://)?")
_URL_PARTS = re.compile(r"[/?&=#;,]+")
_INTERNATIONAL = re.compile(r"(?:00)?(31[1-9]\d{8})")  # wa.me/31612345678: a Dutch number without its '+'
MAX_LINES_TRIED = 2_000  # lines of a summary rendered one by one to name where a hidden value is


def link_texts(href: str) -> list[str]:
    """The texts a link target carries: decoded (character references, percent-encoding, also when applied twice),
    the scheme (``mailto:``, ``tel:``, ``https://``) removed, and each part of it (host, path step, query value)."""
    value = href
    for _ in range(5):
        decoded = unquote(html.unescape(value))
        if decoded == value:
            break
        value = decoded
    texts = [_SCHEME.sub("", value.strip())]
    if "+" in texts[0]:
        texts.append(_SCHEME.sub("", unquote_plus(value).strip()))  # a '+' in a query is a space to many servers
    parts = [p.strip() for t in texts for p in _URL_PARTS.split(t) if p.strip()]
    parts += ["+" + m.group(1) for p in parts if (m := _INTERNATIONAL.fullmatch(p))]
    return list(dict.fromkeys(texts + parts))


def published_forms(where: str, text: str) -> list[tuple[str, str]]:
    """(how, text): the text as written (how ""), and every other form in which the public gets to read it: a
    summary as rendered (character references decoded, markup gone: "weergave") and each of its link targets
    ("link"); any text with the characters between digits left out ("gelijmd")."""
    forms = [("", text)]
    if where == SUMMARY:
        from .markdown_safe import published_forms as rendered

        texts, targets = rendered(text)
        forms += [("weergave", t) for t in texts]
        forms += [("link", t) for href in targets for t in link_texts(href)]
    forms += [("gelijmd", _GLUE.sub("", t)) for how, t in list(forms) if how != "link" and _GLUE.search(t)]
    return forms


HOW = {
    "weergave": " In besluit.md is het opgesplitst of verborgen door opmaak of tekencodes (zoals **vet**, `code`, een link, "
    "een \\ of een code als &#49; of &commat;), maar de lezer ziet het gewoon.",
    "link": " Het staat in het adres van een link (zoals mailto:, tel=, wa.me/); ook dat adres wordt gepubliceerd.",
    "gelijmd": " Het is opgesplitst door tekens als '_', '\\' of '*' tussen de cijfers; een lezer ziet er gewoon het gegeven in.",
}


def _hidden_by_line(text: str) -> dict[str, int]:
    """The first line of a summary whose own published forms (rendered, links, glued) hold each finding, by hash; lines
    without a digit, '@' or '&' hold none of them, and only the first ``MAX_LINES_TRIED`` others are rendered."""
    lines: dict[str, int] = {}
    candidates = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if re.search(r"[0-9@&]", line)]
    for number, line in candidates[:MAX_LINES_TRIED]:
        for how, form in published_forms(SUMMARY, line):
            for item in find_personal_data(form, 0) if how else ():
                lines.setdefault(item.hash, number)
    return lines


def check_published_texts(
    decision, allowed: set[str], problems: Problems, texts: list | None = None, summary_line: int | None = None
) -> None:
    """Refuse the package for personal data in any published text (unless allowed), in every form the public gets to
    read it (``published_forms``); ``texts``: see ``partial_texts``. ``summary_line``: the line of besluit.md the
    summary starts on (default: the decision's), so a line in the summary is named by its line in the file."""
    first_summary_line = summary_line if summary_line is not None else getattr(decision, "summary_line", 1)
    for file, where, text in published_texts(decision) if texts is None else texts:
        reference = where.endswith(REFERENCE_FIELDS)
        reported: set[str] = set()
        hidden_lines: dict[str, int] | None = None
        for how, form in published_forms(where, text):
            if reference:  # a kenmerk or document number is a reference, never a phone number
                form = "kenmerk: " + form
            items = find_personal_data(form, 0)
            if not how and where.startswith("rij ") and not reference:
                items += [item for item in [lost_zero_mobile(form)] if item is not None]
            for item in items:
                if item.hash in allowed or item.hash in reported:
                    continue
                reported.add(item.hash)
                location = where
                line = None
                if not how and "\n" in text.strip() and item.start >= 0:
                    line = normalise_text(text).count(chr(10), 0, item.start) + 1
                elif how and "\n" in text.strip():
                    hidden_lines = _hidden_by_line(text) if hidden_lines is None else hidden_lines
                    line = hidden_lines.get(item.hash)
                if line is not None:
                    if where == SUMMARY:
                        line += first_summary_line - 1  # the line in besluit.md, not in the summary
                    location = f"{where}, regel {line}"
                problems.error(
                    file,
                    location,
                    f"de tekst bevat {KINDS[item.kind]}: {item.masked}.{HOW.get(how, '')} Deze tekst wordt gepubliceerd "
                    "(op de website, in de open data en in de zoekfunctie).",
                    "Verwijder het gegeven uit de tekst"
                    + (" (ook uit opmaak, tekencodes en links)" if how else "")
                    + ", of neem de waarde op onder 'toegestane_gegevens' in besluit.md "
                    "(of in de site-instellingen) als het openbaar mag, zoals het algemene nummer van de organisatie.",
                    f"persoonsgegeven.{item.kind}",
                )


def reason_findings(reason: str, allowed: set[str]) -> list[PersonalData]:
    """Personal data in a public withdrawal or change reason (unless allowed)."""
    return [item for item in find_personal_data(reason, 0) if item.hash not in allowed]


NEUTRAL_REASON = "De reden wordt niet getoond omdat die persoonsgegevens bevatte."
NEUTRAL_HIDDEN_REASON = "De reden wordt niet getoond omdat die onzichtbare tekens bevatte."


def check_history_reasons(result, allowed: set[str]) -> None:
    """A signed history entry whose public reason holds personal data: the change itself still takes
    effect (a withdrawal must never be undone by this), but the reason is not published; staff get a
    message naming the entry and what was found (masked)."""
    from .history import HISTORY_FILE, Change

    cleaned = []
    from .invisible import describe_all, invisible

    for i, c in enumerate(result.history, 1):
        hidden = [char for _, char in invisible(c.reason)] if c.reason else []
        if hidden:  # the one definition of characters that draw nothing (publish/invisible.py), as for every text
            result.problems.warning(
                HISTORY_FILE,
                f"wijziging {i} ({c.kind}{' ' + c.document if c.document else ''}, {c.date.isoformat()})",
                f"de publieke reden bevat onzichtbare tekens ({describe_all(hidden)}). De reden is niet gepubliceerd; de "
                "wijziging zelf geldt wel.",
                "Herstel wijzigingen.json uit de versiegeschiedenis en leg de wijziging opnieuw vast met woo-publish withdraw "
                "en een opnieuw getypte reden.",
                "wijzigingen.reden_onzichtbaar_teken",
            )
            cleaned.append(Change(c.date, c.kind, c.document, c.title, NEUTRAL_HIDDEN_REASON, c.signature))
            continue
        items = reason_findings(c.reason, allowed) if c.reason else []
        if not items:
            cleaned.append(c)
            continue
        what = ", ".join(f"{KINDS[item.kind]}: {item.masked}" for item in items)
        result.problems.warning(
            HISTORY_FILE,
            f"wijziging {i} ({c.kind}{' ' + c.document if c.document else ''}, {c.date.isoformat()})",
            f"de publieke reden bevat {what}. De reden is niet gepubliceerd; de wijziging zelf geldt wel.",
            "Herstel wijzigingen.json uit de versiegeschiedenis en leg de wijziging opnieuw vast met woo-publish withdraw "
            "en een reden zonder persoonsgegevens.",
            "wijzigingen.reden_persoonsgegeven",
        )
        cleaned.append(Change(c.date, c.kind, c.document, c.title, NEUTRAL_REASON, c.signature))
    result.history = cleaned
