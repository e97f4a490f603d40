"""Personal data in the visible text: BSN, IBAN, Dutch phone numbers, e-mail addresses and
addresses (postcode with house number).

Values are never kept in full: a finding carries a masked excerpt and a hash of the normalised
value, so an allowed value (the organisation's own phone number) can be recognised without the
cache or the report holding it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

KINDS = {
    "bsn": "een burgerservicenummer (BSN)",
    "iban": "een IBAN-rekeningnummer",
    "telefoon": "een telefoonnummer",
    "email": "een e-mailadres",
    "adres": "een adres (postcode met huisnummer)",
}

# Digit groups may be separated by a line break too: text extraction puts one between words that a
# PDF positions one by one, and a number can wrap at the end of a line.
_SEP = r"(?:[ \t]*\n[ \t]*|[ \t])"
BSN = re.compile(rf"(?<![\d.,/-])(\d{{4}}(?:\.|{_SEP})?\d{{2}}(?:\.|{_SEP})?\d{{3}}|\d{{3}}(?:\.|{_SEP})?\d{{3}}(?:\.|{_SEP})?\d{{3}})(?![\d,/-]|\.\d)")
IBAN = re.compile(rf"\b([A-Z]{{2}}\d{{2}}(?:{_SEP}?[A-Z0-9]{{4}}){{2,7}}(?:{_SEP}?[A-Z0-9]{{1,3}})?)\b")
# Not part of a longer code: 978-0817638177 (ISBN), Z-0812345678 (zaaknummer), 00 05 64 69 66 66 09 (a
# hex dump) are no phone numbers.
PHONE = re.compile(rf"(?<![\w+])(?<!\d[-/.])(?<!\d\d[ ])(?<![A-Za-z][-/_])((?:\+31|0031)(?:-|{_SEP})?(?:\(0\)(?:-|{_SEP})?)?[1-9](?:(?:-|{_SEP})?\d){{8}}|0[1-9](?:(?:-|{_SEP})?\d){{8}})(?!\d|[-/]\d|[ \t]\d\d\b)")
EMAIL = re.compile(r"(?<![\w.%+-])([A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
ADDRESS = re.compile(
    r"\b(?P<street>[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ.'-]+)[ ](?P<nr>\d{1,5}(?:[ ]?[a-zA-Z](?![a-zA-Z])|-\d{1,4})?)[ ,]*\n?[ ]*"
    r"(?P<pc>[1-9]\d{3}[ ]?(?!SA|SD|SS)[A-Z]{2})\b"
)
NOT_STREETS = {"postbus", "antwoordnummer", "pagina", "bijlage", "nummer", "nr", "artikel", "lid"}


# Generic role mailboxes of an organisation: the first part of the address before '@' (split on
# '.', '-', '_' and '+') is one of these, or the whole part is. A person's mailbox is still personal data.
ROLE_MAILBOXES = {
    "info", "informatie", "contact", "woo", "wob", "woo-verzoeken", "wooverzoeken", "wobverzoeken",
    "secretariaat", "bestuurssecretariaat", "postbus", "post", "servicedesk", "helpdesk", "support",
    "klantcontact", "klantenservice", "receptie", "communicatie", "pers", "persvoorlichting", "press",
    "voorlichting", "noreply", "no-reply", "donotreply", "webmaster", "webredactie", "redactie", "privacy",
    "fg", "avg", "gegevensbescherming", "griffie", "bezwaar", "bezwaarschriften", "klachten", "facturen",
    "crediteuren", "debiteuren", "administratie", "inkoop", "juridischezaken", "vacatures", "loket",
    "publieksbalie", "meldpunt", "integriteit", "security", "cert", "abuse", "postmaster", "office",
    "mail", "algemeen", "vragen", "team", "afdeling", "gemeente", "provincie", "ministerie",
    "help", "bug", "bugs", "announce", "list", "lists", "nieuwsbrief", "newsletter", "sales", "verkoop", "hr",
    "finance", "billing", "jobs", "werkenbij", "events", "evenementen", "marketing", "ict", "it",
}
# Service numbers (free-phone, paid information lines, company-wide numbers) are no one's personal
# number; nor is the municipal "14 + area code" number.
SERVICE_PREFIXES = ("0800", "0900", "0906", "0909", "088")
# A number right after one of these labels is a reference, not a phone number.
REFERENCE_LABEL = re.compile(
    r"(?:\b(?:isbn(?:-1[03])?|issn|e-?issn|doi|kenmerk|ons\s+kenmerk|uw\s+kenmerk|zaak(?:nummer|nr)|dossier(?:nummer|nr)?|"
    r"referentie(?:nummer)?|ref|registratie(?:nummer|nr)|factuur(?:nummer|nr)|order(?:nummer|nr)|document(?:nummer|nr)|"
    r"besluit(?:nummer|nr)|projectnummer|contractnummer|polisnummer|klantnummer|relatienummer|volgnummer)\b)[\s.:#]*(?:nr\.?|nummer)?[\s.:#]*$",
    re.IGNORECASE)
DATE_LIKE = re.compile(r"(?:0[1-9]|[12]\d|3[01])[-/. ](?:0?[1-9]|1[0-2])[-/. ](?:19|20)\d\d")


def normalise(value: str) -> str:
    return re.sub(r"[^0-9a-z@._]", "", value.lower()).replace("+31", "0").replace("0031", "0")


def canonical(kind: str, value: str) -> str:
    """One spelling per value, however it is written (spacing, punctuation, line breaks, case)."""
    value = value.strip()
    if kind == "email":
        return re.sub(r"\s", "", value).lower()
    if kind == "telefoon":
        digits = re.sub(r"\(0\)", "", value)
        digits = re.sub(r"\D", "", digits.replace("+", "00"))
        if digits.startswith("0031"):
            digits = "0" + digits[4:]
        return digits
    if kind == "iban":
        return re.sub(r"[^0-9A-Z]", "", value.upper())
    if kind == "bsn":
        return re.sub(r"\D", "", value)
    if kind == "adres":  # a postcode with a house number is one address in the Netherlands: the street and city add nothing
        m = re.search(r"(\d{1,5})(?:\s*-\s*(\d{1,4})|\s?([a-zA-Z])(?![a-zA-Z]))?[^0-9]*?([1-9]\d{3})\s*([A-Za-z]{2})\b", value)
        if m:
            addition = m.group(2) or (m.group(3) or "").lower()
            return f"{m.group(4)}{m.group(5).upper()}|{m.group(1)}{addition}"
    return normalise(value)


def value_hash(value: str, kind: str | None = None) -> str:
    """A hash of the value in its canonical spelling; without ``kind``, of the loosely normalised value."""
    key = f"{kind}:{canonical(kind, value)}" if kind else normalise(value)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def allowed_hashes(values) -> set[str]:
    """The hashes a finding may carry for a value written under 'toegestane_gegevens': the values the
    detector finds in it (so "Burgemeester Brokxlaan 32, 5041 SB Tilburg" allows "Brokxlaan 32
    5041 SB" on a page), and the whole value read as each kind (so a lone number or address works too)."""
    hashes: set[str] = set()
    for value in values:
        value = str(value)
        hashes.update(item.hash for item in find_personal_data(value, 0, keep_generic=True))
        for kind in KINDS:
            hashes.add(value_hash(value, kind))
    return hashes


def is_role_mailbox(address: str) -> bool:
    local = address.split("@", 1)[0].lower()
    first = re.split(r"[._+-]", local, maxsplit=1)[0]
    return first in ROLE_MAILBOXES or local in ROLE_MAILBOXES or re.sub(r"[._+-]", "", local) in ROLE_MAILBOXES


def is_service_number(number: str) -> bool:
    return canonical("telefoon", number).startswith(SERVICE_PREFIXES)


def page_ranges(pages) -> str:
    """[1, 2, 3, 7] -> '1-3, 7'."""
    numbers = sorted(set(pages))
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(start) if start == n else f"{start}-{n}")
            start = None
    return ", ".join(parts)


def mask(value: str) -> str:
    """Keep the shape, hide the content: '0612345678' -> '06******78'."""
    compact = value.strip()
    if "@" in compact:
        local, domain = compact.split("@", 1)
        return f"{local[:1]}***@{domain}"
    keep = 2 if len(compact) > 6 else 1
    middle = re.sub(r"[0-9A-Za-z]", "*", compact[keep:-1])
    return compact[:keep] + middle + compact[-1:]


def _bsn_valid(digits: str) -> bool:
    if len(digits) != 9 or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


def _iban_valid(value: str) -> bool:
    compact = re.sub(r"\s", "", value)
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    try:
        number = int("".join(str(int(c, 36)) for c in moved))
    except ValueError:
        return False
    return number % 97 == 1


def _valid_iban_prefix(candidate: str) -> str | None:
    """The IBAN at the start of a match: a following word in capitals ('... 00 EUR') may have been
    taken along, and must not hide a real account number behind a failed checksum."""
    compact = re.sub(r"\s", "", candidate)
    for end in range(len(compact), 14, -1):
        if _iban_valid(compact[:end]):
            return compact[:end]
    return None


@dataclass
class PersonalData:
    kind: str
    masked: str
    hash: str
    page: int
    start: int = -1  # where in the text it starts, for naming a line


def find_personal_data(text: str, page: int, keep_generic: bool = False) -> list[PersonalData]:
    """Personal data in ``text``. Role mailboxes and service numbers are left out, unless
    ``keep_generic`` (to read what a value under 'toegestane_gegevens' stands for)."""
    found: list[PersonalData] = []

    def add(kind: str, value: str, start: int) -> None:
        value = re.sub(r"\s+", " ", value.strip())
        found.append(PersonalData(kind, mask(value), value_hash(value, kind), page, start))

    def blank(match) -> None:  # a matched value is not matched again by a later pattern
        nonlocal text
        text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end():]

    for m in list(EMAIL.finditer(text)):
        if keep_generic or not is_role_mailbox(m.group(1)):
            add("email", m.group(1), m.start(1))
        blank(m)
    for m in list(IBAN.finditer(text)):
        iban = _valid_iban_prefix(m.group(1))
        if iban:
            add("iban", iban, m.start(1))
        blank(m)  # an IBAN-shaped value that fails mod-97 is still no phone number
    for m in list(ADDRESS.finditer(text)):
        if m.group("street").lower().strip(".") in NOT_STREETS:
            continue
        add("adres", f"{m.group('street')} {m.group('nr')} {m.group('pc')}", m.start())
    for m in list(PHONE.finditer(text)):
        number = m.group(1)
        before = text[max(0, m.start(1) - 40): m.start(1)]
        blank(m)  # a reference or date is no BSN either
        if DATE_LIKE.match(number) or REFERENCE_LABEL.search(before):
            continue
        if keep_generic or not is_service_number(number):
            add("telefoon", number, m.start(1))
    for m in BSN.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        if _bsn_valid(digits):
            add("bsn", m.group(1), m.start(1))
    unique: dict[tuple[str, str], PersonalData] = {}
    for item in found:
        unique.setdefault((item.kind, item.hash), item)
    return list(unique.values())
