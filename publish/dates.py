"""Dates as they appear in front matter (YAML dates or strings) and inventories (many forms)."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
MONTH_NAMES = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]


def parse_iso(value) -> dt.date | None:
    """A front-matter date: a YAML date, a datetime or a ``YYYY-MM-DD`` string. None if not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def parse_loose(value) -> dt.date | None:
    """An inventory date: ISO, ``d-m-yyyy``, ``d/m/yyyy``, ``d.m.yyyy`` or ``14 december 2017``."""
    iso = parse_iso(value)
    if iso:
        return iso
    if not isinstance(value, str):
        return None
    s = value.strip().lower()
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", s)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = re.fullmatch(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})", s)
        if m and m.group(2) in MONTHS:
            return dt.date(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
    except ValueError:
        return None
    return None


def dutch(date: dt.date | None) -> str:
    """``29 april 2024``: how dates are written on the site."""
    if date is None:
        return ""
    return f"{date.day} {MONTH_NAMES[date.month - 1]} {date.year}"
