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
PHONE = re.compile(rf"(?<![\w+])((?:\+31|0031)(?:-|{_SEP})?(?:\(0\)(?:-|{_SEP})?)?[1-9](?:(?:-|{_SEP})?\d){{8}}|0[1-9](?:(?:-|{_SEP})?\d){{8}})(?![\d])")
EMAIL = re.compile(r"(?<![\w.%+-])([A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
ADDRESS = re.compile(
    r"\b(?P<street>[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ.'-]+)[ ](?P<nr>\d{1,5}(?:[ ]?[a-zA-Z](?![a-zA-Z])|-\d{1,4})?)[ ,]*\n?[ ]*"
    r"(?P<pc>[1-9]\d{3}[ ]?(?!SA|SD|SS)[A-Z]{2})\b"
)
NOT_STREETS = {"postbus", "antwoordnummer", "pagina", "bijlage", "nummer", "nr", "artikel", "lid"}


def normalise(value: str) -> str:
    return re.sub(r"[^0-9a-z@._]", "", value.lower()).replace("+31", "0").replace("0031", "0")


def value_hash(value: str) -> str:
    return hashlib.sha256(normalise(value).encode("utf-8")).hexdigest()


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


def find_personal_data(text: str, page: int) -> list[PersonalData]:
    found: list[PersonalData] = []

    def add(kind: str, value: str) -> None:
        value = re.sub(r"\s+", " ", value.strip())
        found.append(PersonalData(kind, mask(value), value_hash(value), page))

    def blank(match) -> None:  # a matched value is not matched again by a later pattern
        nonlocal text
        text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end():]

    for m in list(EMAIL.finditer(text)):
        add("email", m.group(1))
        blank(m)
    for m in list(IBAN.finditer(text)):
        iban = _valid_iban_prefix(m.group(1))
        if iban:
            add("iban", iban)
        blank(m)  # an IBAN-shaped value that fails mod-97 is still no phone number
    for m in list(ADDRESS.finditer(text)):
        if m.group("street").lower().strip(".") in NOT_STREETS:
            continue
        add("adres", f"{m.group('street')} {m.group('nr')} {m.group('pc')}")
    for m in list(PHONE.finditer(text)):
        add("telefoon", m.group(1))
        blank(m)
    for m in BSN.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        if _bsn_valid(digits):
            add("bsn", m.group(1))
    unique: dict[tuple[str, str], PersonalData] = {}
    for item in found:
        unique.setdefault((item.kind, item.hash), item)
    return list(unique.values())
