"""The TOOI value lists the Woo-index accepts, read from the shipped DiWoo XSD (nothing downloaded).

Information categories and document kinds are given in a package as the short id (``c_3baef532``),
the full URI or the label (``Woo-verzoeken en -besluiten``); all three mean the same value.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

LISTS_XSD = Path(__file__).parent / "data" / "schemas" / "diwoo-metadata-lijsten.xsd"
BASE = "https://identifier.overheid.nl/tooi/def/thes/kern/"
LISTS = {"informatiecategorie": "informatiecategorielijst", "documentsoort": "documentsoortlijst"}

# The Woo-index numbers the 17 categories of article 3.3 Woo in the order of the law; sitemap index
# files are named after that number (sitemapindex-diwoo-infocat014.xml is Woo-verzoeken).
INFOCAT_NUMBERS = {
    "c_139c6280": "001",
    "c_aab6bfc7": "002",
    "c_759721e2": "003",
    "c_40a05794": "004",
    "c_89ee6784": "005",
    "c_8c840238": "006",
    "c_c76862ab": "007",
    "c_db4862c3": "008",
    "c_3a248e3a": "009",
    "c_99a836c7": "010",
    "c_8fc2335c": "011",
    "c_c6cd1213": "012",
    "c_cf268088": "013",
    "c_3baef532": "014",
    "c_fdaee95e": "015",
    "c_46a81018": "016",
    "c_a870c43d": "017",
}


@lru_cache(maxsize=4)
def values(list_name: str) -> dict[str, str]:
    """{full URI: label} of one list, in the order of the XSD."""
    text = LISTS_XSD.read_text(encoding="utf-8")
    start = text.index(f'<xs:simpleType name="{LISTS[list_name]}"')
    end = text.index("</xs:simpleType>", start)
    found = re.findall(r'<xs:enumeration value="([^"]+)">.*?<dita:p[^>]*>([^<]+)</dita:p>', text[start:end], re.S)
    out = {uri: label.strip() for uri, label in found}
    if list_name == "informatiecategorie":  # only the 17 categories of article 3.3 have a Woo-index number
        out = {uri: label for uri, label in out.items() if uri.rsplit("/", 1)[1] in INFOCAT_NUMBERS}
    return out


def lookup(list_name: str, value: str) -> tuple[str, str] | None:
    """(URI, label) for a short id, URI or label; None when the list does not hold it."""
    table = values(list_name)
    text = re.sub(r"\s+", " ", str(value).strip())
    uri = text if text.startswith("https://") else BASE + text if re.fullmatch(r"c_[0-9a-f]{8}", text) else None
    if uri in table:
        return uri, table[uri]
    for uri, label in table.items():
        if label.lower().replace("’", "'") == text.lower().replace("’", "'"):
            return uri, label
    return None


# An organisation's TOOI identifier (https://identifier.overheid.nl/tooi/id/gemeente/gm0363, or its code gm0363),
# given where the public should read a name (the field 'organisatie' of a package).
ORGANISATION_ID = re.compile(r"https?://identifier\.overheid\.nl/tooi/id/[a-z_]+/([a-z0-9_]+)/?|([a-z]{2,5}[0-9]{2,8})", re.I)


def organisation_name(value: str, names: dict[str, str]) -> str | None:
    """The name to show for an organisation given as ``value``: ``value`` itself when it is no TOOI identifier,
    else the name that ``names`` (name -> TOOI URI: extra.woo.organisaties and the site's own organisation) gives
    that identifier; None for a TOOI identifier the site does not name (the public would read a code)."""
    found = ORGANISATION_ID.fullmatch(str(value).strip())
    if not found:
        return value
    code = (found.group(1) or found.group(2)).lower()
    for name, uri in names.items():
        if str(uri).strip().rstrip("/").rsplit("/", 1)[-1].lower() == code:
            return name
    return None


def short(uri: str) -> str:
    return uri.rsplit("/", 1)[1]


def infocat(uri: str) -> str:
    return INFOCAT_NUMBERS[short(uri)]
