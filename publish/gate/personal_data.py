"""Personal data in the visible text: BSN, IBAN, Dutch phone numbers, e-mail addresses and
addresses (postcode with house number).

Values are never kept in full: a finding carries a masked excerpt and a hash of the normalised
value, so an allowed value (the organisation's own phone number) can be recognised without the
cache or the report holding it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from ..grounds import GROUNDS, normalise_ground
from ..invisible import DEFAULT_IGNORABLE

KINDS = {
    "bsn": "een burgerservicenummer (BSN)",
    "iban": "een IBAN-rekeningnummer",
    "telefoon": "een telefoonnummer",
    "email": "een e-mailadres",
    "adres": "een adres (postcode met huisnummer)",
}

# Digit groups may be separated by a line break too: text extraction puts one between words that a
# PDF positions one by one, and a number can wrap at the end of a line. All patterns run on text from
# normalise_text(): one kind of space, ASCII digits, '-' for every dash, no invisible characters.
_SEP = r"(?:[ ]?\n[ ]?|[ ])"
# Between the digit groups of a number: a space, a line break, or a dash, dot or slash (with spaces around it).
_NSEP = r"(?:[ ]?[-./][ ]?|[ ]?\n[ ]?|[ ])"
# Between the digit groups of a phone number or BSN also a colon, a bar or a bracket ("06:12345678", "06|12345678",
# "06(12345678)"); a BSN may have thousands commas ("111,222,333", no spaces: "12, 34, 56" is a list). Not for a
# phone number: "01, 02, 03, 04, 05" is a list, not a number.
# A phone number's groups may also be set apart by a dot in the middle of the line ("06·41827365": U+00B7, the bullet
# U+2022, U+2219, U+2027, U+22C5, the katakana middle dot NFKC makes of U+FF65), a wave dash (U+301C; NFKC makes the
# full-width tilde '~'), a tilde or an underscore (attack round 9, A27).
_PGROUP = "\u00b7\u2022\u2219\u2027\u22c5\u30fb\u301c~_"
_PSEP = rf"(?:[ ]?[-./:|(){_PGROUP}][ ]?|[ ]?\n[ ]?|[ ])"
_BSEP = r"(?:[ ]?[-./:|()][ ]?|,|[ ]?\n[ ]?|[ ])"
# The first digit comes first and the look-behinds after it, each with that digit at its end (``(?<!\d\d)`` after a
# digit is ``(?<!\d)`` before it): the same matches, and the regex engine skips to the next digit instead of
# trying every position of the page (tests/test_gate_speed.py compares it with the pattern it replaces).
BSN = re.compile(
    rf"(\d(?<!\d\d)(?<!\d[.,/:|-]\d)(?<!\d[ ][.,/:|-]\d)(?:\d{{3}}{_BSEP}?\d{{2}}{_BSEP}?\d{{3}}|\d{{2}}{_BSEP}?\d{{3}}{_BSEP}?\d{{3}}"
    # in pairs, as people read a number out: 12 34 56 782 and 12.34.56.78.2 (separators required)
    rf"|\d{_NSEP}\d{{2}}{_NSEP}\d{{2}}{_NSEP}\d{{3}}|\d{_NSEP}\d{{2}}{_NSEP}\d{{2}}{_NSEP}\d{{2}}{_NSEP}\d))(?!\d|[ ]?[.,/:|-][ ]?\d)"
)
IBAN = re.compile(
    rf"(?<![^\W_])([A-Za-z]{{2}}\d{{2}}(?:{_NSEP}?[A-Za-z0-9]{{4}}){{2,7}}(?:{_NSEP}?[A-Za-z0-9]{{1,3}})?)(?![^\W_])"
)
# An IBAN glued to the word before it ("RekeningNL91ABNA0417164300"): capitals only, and only the length of its
# country's IBANs (checked in _glued_iban), so codes inside words and hashes are left alone.
GLUED_IBAN = re.compile(r"(?<=[^\W\d_])([A-Z]{2}\d{2}[A-Z0-9]{11,30})(?![^\W_])")
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "CH": 21, "CR": 22,
    "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22,
    "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
    "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip
# Not part of a longer code: 978-0817638177 (ISBN), Z-0812345678 (zaaknummer), 00 05 64 69 66 66 09 (a
# hex dump) are no phone numbers.
PHONE = re.compile(
    rf"(?<![\w+])(?<!\d[-/.:|{_PGROUP}])(?<!\d[ ][-/.:|{_PGROUP}][ ])(?<!\d\d[ ])(?<![A-Za-z][-/_])((?:\+31|0031)(?:{_PSEP})?"
    rf"(?:\(0\)(?:{_PSEP})?)?[1-9](?:{_PSEP}?\d){{8}}|0[1-9](?:{_PSEP}?\d){{8}})(?!\d|[ ]?[-/.:|{_PGROUP}][ ]?\d)"
)
# A phone number glued to the word that names it ("telefoonnummer0612345678"): only after these words, as a
# number glued to other letters is usually a code ("DOC0612345678").
GLUED_PHONE = re.compile(
    r"(?<![^\W\d_])(?i:telefoon(?:nummer|nr)?|telnr|tel|mobiel(?:nummer)?|mob|gsm|phone|telephone|mobile)[.:]?"
    r"((?:\+31|0031)[1-9]\d{8}|0[1-9]\d{8})(?!\d|[ ]?[-/.][ ]?\d)"
)
# A phone number spelled to dodge a search: letters for digits ("O6-l2345678": O for 0, l or I for 1), or commas
# between its groups without spaces ("06,12,34,56,78"; "01, 02, 03" is a list). Only what PHONE cannot read: a match
# counts when it holds such a letter or comma (``_odd_phone``), and a row of zero-padded numbers ("01,02,03,04,05")
# or of single digits is a list. The first character comes first, the look-behind after it (see BSN).
_ODD_DIGIT = r"[\dOolI]"
_OSEP = rf"(?:{_PSEP}|,)"
ODD_PHONE = re.compile(
    rf"([0Oo+](?<![\w+,.][0Oo+])(?<!{_ODD_DIGIT}[-/.:|,][0Oo+])(?<!{_ODD_DIGIT}[ ][-/.:|][ ][0Oo+])"
    rf"(?<!\d{_ODD_DIGIT}[ ][0Oo+])(?<!{_ODD_DIGIT}\d[ ][0Oo+])"  # not inside a longer row of numbers, as PHONE
    rf"(?:(?<=\+)3[1lI]{_OSEP}?|(?<=[0Oo]){_OSEP}?)[1-9lI](?:{_OSEP}?{_ODD_DIGIT}){{8}})"
    rf"(?![\w]|[ ]?[-/.:|,][ ]?{_ODD_DIGIT})"
)
_LETTER_DIGITS = str.maketrans("OolI", "0011")
_ODD_GROUPS = re.compile(r"[\dOolI]+")

# An area code in brackets, "(06) 12345678" or "(020)-1234567": read as "06 12345678".
AREA_CODE = re.compile(r"(?<![\w)])\((0[1-9]\d{0,2})\)")
# An e-mail address also when it is spelled to dodge a search: spaces or a line break around '@' ("j.jansen @ x.nl",
# an address wrapped at the end of a line), "[at]", "(at)", "(dot)", "[punt]", a quoted local part ("jan jansen"@x.nl).
# ("。" is read as a dot by normalise_text.)
_AT = r"(?:[ ]?\n?[ ]?@[ ]?\n?[ ]?|[ ]?[\[(<{][ ]?(?i:at)[ ]?[\])>}][ ]?)"
_DOT = r"(?:\.|[ ]?[\[(<{][ ]?(?i:dot|punt)[ ]?[\])>}][ ]?)"
# The domain may also be an address literal, as mail servers accept it: "jan@[192.168.1.10]", "jan@[IPv6:2001:db8::1]".
_IP_LITERAL = r"\[[ ]?(?:\d{1,3}(?:\.\d{1,3}){3}|(?i:ipv6):[0-9A-Fa-f:.]{2,45})[ ]?\]"
EMAIL = re.compile(
    rf"(?<![\w.%+-])((?:[^\W_][\w.%+-]*|\"[^\"\n@]{{1,64}}\"){_AT}(?:[^\W_][\w-]*(?:{_DOT}[\w-]+)*{_DOT}[^\W\d_]{{2,}}|{_IP_LITERAL}))"
)
# What an address match holds before '@' when its local part was blacked out, leaving only the domain (no one's
# address): the code of a refusal ground printed on the redaction ("5.1.2.e@minvws.nl", "10.2e @x.nl"), a row of
# x's ("xxxxx@x.nl"), or, with a space or line break before '@', the last word of the sentence before the blacked-out
# part ("mail naar @example.nl", "e-mail @x.nl"). A name or initials before a spaced '@' ("j.jansen @ x.nl") is
# still an address.
_GROUND_IDS = frozenset(ground.id for ground in GROUNDS.values())
_REDACTED_LOCAL = re.compile(r"[xX]{3,}")
_SENTENCE_WORDS = frozenset(
    "naar aan via op van per bij met voor door en of is tot zie mail mailen e-mail email e-mailadres emailadres mailadres "
    "adres contact contactadres afzender ontvanger cc bcc to from at via: or and".split()
)
_SPACE_BEFORE_AT = re.compile(r"[ \n]+@")
_AT_WORD = re.compile(r"[\[(<{] ?(?i:at) ?[\])>}]")  # an '@' spelled out: e-mail addresses without '@' have one
_SPELLED_AT = re.compile(r"[ ]?\n?[ ]?@[ ]?\n?[ ]?|[ ]?[\[(<{][ ]?(?i:at)[ ]?[\])>}][ ]?")
_SPELLED_DOT = re.compile(r"[ ]?[\[(<{][ ]?(?i:dot|punt)[ ]?[\])>}][ ]?")
# Case law numbers (European Case Law Identifier) are references, never personal data.
ECLI = re.compile(r"\bECLI:[A-Z]{2}:[A-Z0-9]{1,7}:\d{4}:[A-Z0-9.]{1,25}", re.IGNORECASE)
# An amount of money is no BSN: "EUR 123.456.782", "€ 987.654.321,-", "123.456.782 euro".
CURRENCY_BEFORE = re.compile(r"(?:\b(?:eur|euro|euro's|fl|usd|gbp)|[€$£])[ .:]*$", re.IGNORECASE)
BSN_LABEL = re.compile(r"\b(?:bsn|burgerservicenummer|sofi(?:nummer)?)\b", re.IGNORECASE)
CURRENCY_AFTER = re.compile(r"^(?:,-|,\d\d\b|[ ]?(?:euro|eur)\b)", re.IGNORECASE)
ADDRESS = re.compile(
    r"(?<![\w.'-])(?P<street>[^\W\d_](?:[^\W\d_]|[.'-])+)[ ](?P<nr>\d{1,5}(?:[ -]?(?:hs|bis|ter|bg|[ivx]{1,3}|[a-zA-Z])(?![^\W_])|-\d{1,4})?)"
    r"[ ,;]*(?:\n[ ,;]*){0,3}"
    r"(?P<pc>[1-9]\d{3}[ ]?(?!SA|SD|SS)(?:[A-Z]{2}|(?P<lower>[a-z]{2})))(?![^\W_])"
)
# Common two-letter words: "Straat 12 1234 de ..." is no lowercase postcode.
NOT_POSTCODE_LETTERS = {
    "de",
    "en",
    "in",
    "op",
    "te",
    "of",
    "is",
    "al",
    "na",
    "om",
    "er",
    "ze",
    "we",
    "je",
    "me",
    "ik",
    "nu",
    "zo",
    "ja",
    "nee",
    "an",
    "at",
    "by",
    "to",
    "on",
    "or",
    "as",
    "be",
    "do",
    "if",
    "it",
    "no",
    "so",
    "up",
    "us",
    "la",
    "le",
    "du",
    "un",
    "et",
    "ad",
    "bv",
    "nv",
    "sa",
    "sd",
    "ss",
    "uw",
    "ca",
    "ex",
    "pp",
}
# Characters a reader does not see, removed before matching so they cannot split a number or a name:
# Unicode's Default_Ignorable_Code_Point set (zero-width spaces, soft hyphen, direction marks, variation
# selectors, Hangul fillers, shorthand format controls, tags), plus every format (Cf) and control (Cc)
# character this Python knows (Egyptian hieroglyph format controls, interlinear annotation, C1 controls),
# except the white space and line breaks that _SPACES and _LINE_BREAKS turn into one space or one line.
_DEFAULT_IGNORABLE = DEFAULT_IGNORABLE  # publish/invisible.py, the one definition of characters that draw nothing


def _unseen_class() -> str:
    codes = [c for c in range(0x110000) if unicodedata.category(chr(c)) in ("Cf", "Cc") and not chr(c).isspace()]
    ranges, start = [], None
    for i, code in enumerate(codes):
        start = code if start is None else start
        if i + 1 == len(codes) or codes[i + 1] != code + 1:
            ranges.append(f"\\U{start:08x}" if start == code else f"\\U{start:08x}-\\U{code:08x}")
            start = None
    return "".join(ranges)


_FORMAT_CHARS = re.compile(f"[{_DEFAULT_IGNORABLE}{_unseen_class()}]")
_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_SPACES = re.compile(r"[^\S\n]+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u2043\ufe58\ufe63\uff0d\u058a\u05be\u1806\u2e3a\u2e3b]")
# Punctuation NFKC leaves alone that reads as a dot or a slash between digits or in an address: the ideographic full
# stop ("gmail。com"), the fraction and division slashes ("06⁄12345678"). Each becomes the ASCII one (same length).
_ODD_PUNCTUATION = re.compile("[\u3002\u2044\u2215]")
_ASCII_PUNCTUATION = str.maketrans({"\u3002": ".", "\u2044": "/", "\u2215": "/"})
_NON_ASCII_DIGIT = re.compile(r"[^\x00-\x7f]")
# Combining marks on a digit (0̇6̇1̇...: drawn as dots between the digits) are no part of the number.
_MARKS_ON_DIGITS = re.compile(r"(?<=\d)[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def _ascii_digit(m) -> str:
    c = m.group()
    d = unicodedata.decimal(c, None)
    return str(d) if d is not None else c


def normalise_text(text: str) -> str:
    """The one spelling every personal-data pattern is matched against (page text, hidden text and
    package fields alike): NFKC (full-width digits and '＠', ligatures), invisible formatting
    characters removed (zero-width spaces, soft hyphens, direction marks), every digit as an ASCII
    digit, every dash as '-', every kind of space as one space. Line breaks are kept (one per line
    break), so a position still names the same line."""
    # Each substitution runs only when the text holds a character it replaces (``_holds``: otherwise it gives the
    # text back unchanged); the characters of a page are a few dozen, its text thousands.
    if not text.isascii():
        chars = set(text)
        if _holds(chars, _FORMAT_CHARS):
            text = _FORMAT_CHARS.sub("", text)
            chars = set(text)
        normal = unicodedata.normalize("NFKC", text)
        if normal != text:
            text, chars = normal, set(normal)
            if _holds(chars, _FORMAT_CHARS):
                text = _FORMAT_CHARS.sub("", text)
                chars = set(text)
        if _holds(chars, _DASHES):
            text = _DASHES.sub("-", text)
            chars = set(text)
        if _holds(chars, _ODD_PUNCTUATION):
            text = text.translate(_ASCII_PUNCTUATION)
            chars = set(text)
        if any(not c.isascii() and unicodedata.decimal(c, None) is not None for c in chars):
            text = _NON_ASCII_DIGIT.sub(_ascii_digit, text)
            chars = set(text)
        if _holds(chars, _MARK):
            text = _MARKS_ON_DIGITS.sub("", text)
    else:
        text = _ASCII_CONTROLS.sub("", text)
    text = _LINE_BREAKS.sub("\n", text)
    return _SPACES.sub(" ", text)


_MARK = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")  # what _MARKS_ON_DIGITS removes


def _holds(chars: set[str], one_character) -> bool:
    """Does any of ``chars`` match ``one_character`` (a pattern of one character class)?"""
    return any(one_character.match(c) for c in chars)


NOT_STREETS = {"postbus", "antwoordnummer", "pagina", "bijlage", "nummer", "nr", "artikel", "lid"}


# Generic role mailboxes of an organisation: the part of the address before '@' is one of these
# ("info@", "woo-verzoeken@"), or is made of these and department words ("woo-verzoeken@",
# "info.bestuur@"). A person's mailbox is still personal data, also when it starts with a role word
# ("info.jan.jansen@").
ROLE_MAILBOXES = {
    "info",
    "informatie",
    "contact",
    "woo",
    "wob",
    "woo-verzoeken",
    "wooverzoeken",
    "wobverzoeken",
    "secretariaat",
    "bestuurssecretariaat",
    "postbus",
    "post",
    "servicedesk",
    "helpdesk",
    "support",
    "klantcontact",
    "klantenservice",
    "receptie",
    "communicatie",
    "pers",
    "persvoorlichting",
    "press",
    "voorlichting",
    "noreply",
    "no-reply",
    "donotreply",
    "webmaster",
    "webredactie",
    "redactie",
    "privacy",
    "fg",
    "avg",
    "gegevensbescherming",
    "griffie",
    "bezwaar",
    "bezwaarschriften",
    "klachten",
    "facturen",
    "crediteuren",
    "debiteuren",
    "administratie",
    "inkoop",
    "juridischezaken",
    "vacatures",
    "loket",
    "publieksbalie",
    "meldpunt",
    "integriteit",
    "security",
    "cert",
    "abuse",
    "postmaster",
    "office",
    "mail",
    "algemeen",
    "vragen",
    "team",
    "afdeling",
    "gemeente",
    "provincie",
    "ministerie",
    "help",
    "bug",
    "bugs",
    "announce",
    "list",
    "lists",
    "nieuwsbrief",
    "newsletter",
    "sales",
    "verkoop",
    "hr",
    "finance",
    "billing",
    "jobs",
    "werkenbij",
    "events",
    "evenementen",
    "marketing",
    "ict",
    "it",
}
# Words that may follow a role word in a role mailbox: a department, a topic or a country.
DEPARTMENT_WORDS = {
    "verzoeken",
    "verzoek",
    "bestuur",
    "directie",
    "juridisch",
    "juridische",
    "zaken",
    "financien",
    "financiën",
    "burgerzaken",
    "vergunningen",
    "belastingen",
    "wonen",
    "zorg",
    "jeugd",
    "onderwijs",
    "milieu",
    "ruimte",
    "economie",
    "veiligheid",
    "publiek",
    "dienstverlening",
    "bedrijfsvoering",
    "personeel",
    "organisatie",
    "centraal",
    "algemeen",
    "intern",
    "extern",
    "nl",
    "en",
    "be",
    "de",
    "eu",
    "org",
    "team",
    "afdeling",
    "desk",
    "punt",
    "balie",
    "post",
    "digitaal",
    "online",
}
# Service numbers (free-phone, paid information lines, company-wide numbers) are no one's personal
# number; nor is the municipal "14 + area code" number.
SERVICE_PREFIXES = ("0800", "0900", "0906", "0909", "088")
# A number right after one of these labels is a reference, not a phone number.
REFERENCE_LABEL = re.compile(
    r"(?:\b(?:isbn(?:-1[03])?|issn|e-?issn|doi|kenmerk|ons\s+kenmerk|uw\s+kenmerk|zaak(?:nummer|nr)?|dossier(?:nummer|nr)?|"
    r"referentie(?:nummer)?|ref|registratie(?:nummer|nr)|factuur(?:nummer|nr)|order(?:nummer|nr)|document(?:nummer|nr)|"
    r"besluit(?:nummer|nr)|projectnummer|contractnummer|polisnummer|klantnummer|relatienummer|volgnummer)\b)[\s.:#]*(?:nr\.?|nummer)?[\s.:#]*$",
    re.IGNORECASE,
)
DATE_LIKE = re.compile(r"(?:0[1-9]|[12]\d|3[01])[-/. ](?:0?[1-9]|1[0-2])[-/. ](?:19|20)\d\d")


def normalise(value: str) -> str:
    return re.sub(r"[^0-9a-z@._]", "", normalise_text(value).lower()).replace("+31", "0").replace("0031", "0")


def canonical(kind: str, value: str) -> str:
    """One spelling per value, however it is written (spacing, punctuation, line breaks, case)."""
    value = normalise_text(value).strip()
    if kind == "email":
        return re.sub(r"\s", "", plain_email(value)).lower()
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


def plain_email(value: str) -> str:
    """An e-mail address as it is written without tricks: "j.jansen [at] x (dot) nl" -> "j.jansen@x.nl"."""
    return _SPELLED_DOT.sub(".", _SPELLED_AT.sub("@", value))


def is_domain_only(written: str) -> bool:
    """Is an EMAIL match (as written) a domain whose local part was blacked out: before '@' only a refusal ground's
    code, a row of x's, or a sentence word separated from '@' by a space (see ``_SENTENCE_WORDS``)?"""
    address = plain_email(written)
    local = address.split("@", 1)[0]
    if _REDACTED_LOCAL.fullmatch(local) or (
        normalise_ground(local) in _GROUND_IDS and re.fullmatch(r"[\d.]+[a-z]?", local, re.I)
    ):
        return True
    return _SPACE_BEFORE_AT.search(written) is not None and local.lower() in _SENTENCE_WORDS


def is_role_mailbox(address: str) -> bool:
    local = address.split("@", 1)[0].lower()
    if local in ROLE_MAILBOXES or re.sub(r"[._+-]", "", local) in ROLE_MAILBOXES:
        return True
    if re.fullmatch(r"[^\W_]+[-_][^\W_]+", local) and local.split("-")[0].split("_")[0] in ROLE_MAILBOXES:
        return True  # a role word with one department or product suffix: woo-verzoeken@, help-libtasn1@
    parts = [p for p in re.split(r"[._+-]", local) if p]
    return bool(parts) and parts[0] in ROLE_MAILBOXES and all(p in ROLE_MAILBOXES or p in DEPARTMENT_WORDS for p in parts[1:])


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
    compact = normalise_text(value).strip()
    if "@" in compact:
        local, domain = compact.split("@", 1)
        return f"{local[:1]}***@{domain}"
    keep = 2 if len(compact) > 6 else 1
    middle = re.sub(r"[^\W_]", "*", compact[keep:-1])
    return compact[:keep] + middle + compact[-1:]


def _odd_phone(match: str) -> str | None:
    """The phone number an ODD_PHONE match spells, in digits; None when PHONE reads it already (no letter, no comma),
    when fewer than six of its characters are digits, or when its groups make a list (zero-padded, or of single digits:
    one is a mobile number's 6 after +31)."""
    letters = sum(c in "OolI" for c in match)
    if not letters and "," not in match:
        return None
    if sum(c.isdigit() for c in match) < 6:
        return None
    groups = _ODD_GROUPS.findall(match.removeprefix("+"))
    if "," in match and len(groups) > 2 and (all(g[0] in "0Oo" for g in groups[1:]) or sum(len(g) == 1 for g in groups) > 1):
        return None
    return match.translate(_LETTER_DIGITS)


def _bsn_valid(digits: str) -> bool:
    if len(digits) != 9 or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


def _iban_valid(value: str) -> bool:
    compact = re.sub(r"[^0-9A-Za-z]", "", value).upper()
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
    taken along, and must not hide a real account number behind a failed checksum. A letter O written
    for a zero after the bank code ("NL91ABNAO417164300") counts when the checksum proves it."""
    compact = re.sub(r"[^0-9A-Za-z]", "", candidate).upper()
    for end in range(len(compact), 14, -1):
        if _iban_valid(compact[:end]):
            return compact[:end]
    if "O" in compact[4:]:
        for start in (8, 4):  # after a bank code of four letters (NL, GB, IE, ...), or everything after the check digits
            zeros = compact[:start] + compact[start:].replace("O", "0")
            length = IBAN_LENGTHS.get(zeros[:2])
            if zeros != compact and length and len(zeros) >= length and _iban_valid(zeros[:length]):
                return zeros[:length]
    return None


def _glued_iban(candidate: str) -> str | None:
    """An IBAN glued to a word: exactly its country's length (longer runs are codes), and a valid checksum."""
    length = IBAN_LENGTHS.get(candidate[:2])
    if length is None or len(candidate) != length:
        return None
    return _valid_iban_prefix(candidate)


@dataclass
class PersonalData:
    kind: str
    masked: str
    hash: str
    page: int
    start: int = -1  # where in the text it starts, for naming a line


_DIGIT_OR_AT = re.compile(r"[0-9@]")
_MAY_BE_IBAN = re.compile(r"[A-Za-z]{2}\d{2}")  # how every IBAN match starts
_MAY_BE_POSTCODE = re.compile(r"[1-9]\d{3}[ ]?[A-Za-z]{2}")  # the postcode every ADDRESS match ends with
_NINE_DIGITS = re.compile(r"\d{9}")  # in every GLUED_PHONE number: +31 or 0031 and 9 digits, or 0 and 9 digits
# A comma between digits, or a digit-like letter beside a digit: in every ODD_PHONE match that counts (``_odd_phone``).
_MAY_BE_ODD_PHONE = re.compile(rf"\d,\d|[OolI]{_OSEP}?\d|\d{_OSEP}?[OolI]")


def find_personal_data(text: str, page: int, keep_generic: bool = False) -> list[PersonalData]:
    """Personal data in ``text``. Role mailboxes and service numbers are left out, unless
    ``keep_generic`` (to read what a value under 'toegestane_gegevens' stands for).

    The text is matched in its normalised spelling (``normalise_text``); ``start`` counts in that
    spelling, which has the same line breaks as ``text``."""
    if text.isascii() and _DIGIT_OR_AT.search(text) is None and _AT_WORD.search(text) is None:
        return []  # every pattern needs a digit or an '@', spelled out or not (ASCII text spells them the same once normalised)
    found: list[PersonalData] = []
    text = normalise_text(text)
    if "(" in text:  # (the text has one space between words already: without an area code nothing changes)
        text = _SPACES.sub(" ", AREA_CODE.sub(lambda m: m.group(1) + " ", text))

    def add(kind: str, value: str, start: int) -> None:
        value = re.sub(r"\s+", " ", value.strip())
        found.append(PersonalData(kind, mask(value), value_hash(value, kind), page, start))

    def blank(match) -> None:  # a matched value is not matched again by a later pattern
        nonlocal text
        text = text[: match.start()] + re.sub(r"[^\n]", " ", match.group()) + text[match.end() :]

    # Each pattern runs only when the text (as blanked so far) holds what every match of it holds: a ':' (ECLI),
    # an '@' (e-mail), two letters and two digits (IBAN), a postcode (address), nine digits in a row (a phone
    # number glued to its label). A cheap search that can only say "maybe"; then the pattern itself decides.
    for m in list(ECLI.finditer(text)) if ":" in text else []:
        blank(m)
    for m in list(EMAIL.finditer(text)) if "@" in text or _AT_WORD.search(text) else []:
        address = plain_email(m.group(1))
        if is_domain_only(m.group(1)):
            blank(m)
            continue
        if keep_generic or not is_role_mailbox(address):
            add("email", address, m.start(1))
        blank(m)
    if _MAY_BE_IBAN.search(text):
        for m in list(IBAN.finditer(text)):
            iban = _valid_iban_prefix(m.group(1))
            if iban:
                add("iban", iban, m.start(1))
            blank(m)  # an IBAN-shaped value that fails mod-97 is still no phone number
        for m in list(GLUED_IBAN.finditer(text)):
            iban = _glued_iban(m.group(1))
            if iban:
                add("iban", iban, m.start(1))
                blank(m)
    for m in list(ADDRESS.finditer(text)) if _MAY_BE_POSTCODE.search(text) else []:
        if m.group("street").lower().strip(".") in NOT_STREETS:
            continue
        if m.group("lower") and (m.group("lower") in NOT_POSTCODE_LETTERS or not m.group("street")[0].isupper()):
            continue  # "in 2023 1234 de": a lowercase postcode only after a street name with a capital
        add("adres", f"{m.group('street')} {m.group('nr')} {m.group('pc')}", m.start())
    for m in list(GLUED_PHONE.finditer(text)) if _NINE_DIGITS.search(text) else []:
        if keep_generic or not is_service_number(m.group(1)):
            add("telefoon", m.group(1), m.start(1))
        blank(m)
    for m in list(PHONE.finditer(text)):
        number = m.group(1)
        before = text[max(0, m.start(1) - 40) : m.start(1)]
        blank(m)  # a reference or date is no BSN either
        if DATE_LIKE.match(number) or REFERENCE_LABEL.search(before):
            continue
        if keep_generic or not is_service_number(number):
            add("telefoon", number, m.start(1))
    for m in list(ODD_PHONE.finditer(text)) if _MAY_BE_ODD_PHONE.search(text) else []:
        number = _odd_phone(m.group(1))
        if number is None or DATE_LIKE.match(number) or REFERENCE_LABEL.search(text[max(0, m.start(1) - 40) : m.start(1)]):
            continue
        blank(m)
        if keep_generic or not is_service_number(number):
            add("telefoon", number, m.start(1))
    for m in BSN.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        if not _bsn_valid(digits):
            continue
        named = BSN_LABEL.search(text[max(0, m.start(1) - 30) : m.start(1)])
        if not named and (
            CURRENCY_BEFORE.search(text[max(0, m.start(1) - 12) : m.start(1)])
            or CURRENCY_AFTER.match(text[m.end(1) : m.end(1) + 8])
        ):
            continue  # an amount of money (but never after the word BSN: "BSN $ 123456782" is a BSN)
        add("bsn", m.group(1), m.start(1))
    unique: dict[tuple[str, str], PersonalData] = {}
    for item in found:
        unique.setdefault((item.kind, item.hash), item)
    return list(unique.values())
