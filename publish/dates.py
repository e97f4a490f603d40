"""Dates as they appear in front matter (YAML dates or strings) and inventories (many forms)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
MONTH_NAMES = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
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


def impossible_date(value) -> str:
    """Why a date written as day-month-year or year-month-day (digits) does not exist ("De datum 31-06-2026 bestaat
    niet: juni heeft 30 dagen."), or "" when it is not written so or does exist."""
    import calendar

    text = value.strip() if isinstance(value, str) else ""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
        if not m:
            return ""
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not 1 <= month <= 12:
        return f"De datum {text} bestaat niet: er is geen maand {month}. Controleer de maand en de dag."
    days = calendar.monthrange(max(year, 1), month)[1]
    if not 1 <= day <= days:
        name = next(n for n, number in MONTHS.items() if number == month and len(n) > 3)
        return f"De datum {text} bestaat niet: {name} heeft {days} dagen. Controleer de dag en de maand."
    return ""


def iso_fix(value, example: str = "2024-04-29") -> str:
    """The fix for a date that is no date: written as JJJJ-MM-DD but a day that does not exist (2024-02-30) says so."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        import calendar

        year, month, _day = (int(part) for part in value.strip().split("-"))
        if not 1 <= month <= 12:
            return f"De datum {value.strip()} bestaat niet: er is geen maand {month}. Controleer de maand en de dag."
        days = calendar.monthrange(max(year, 1), month)[1]
        return f"De datum {value.strip()} bestaat niet: die maand heeft {days} dagen. Controleer de dag en de maand."
    if impossible_date(value):
        return impossible_date(value)
    if isinstance(value, str) and re.fullmatch(r"\s*(?:\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{1,2}\s+[a-zA-Z]+\.?\s+\d{4})\s*", value):
        meant = parse_loose(value)  # day first, as Dutch dates are written: 20-10-2026, 20 oktober 2026
        if meant is not None:
            read = "" if re.search(r"[a-zA-Z]", value) else " (gelezen als dag-maand-jaar)"
            return f"Schrijf de datum als JJJJ-MM-DD: {meant.isoformat()}{read}."
    return f"Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld {example}."


DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
_TIME = r"(?:[ t]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(am|pm)?)?\s*(z|utc|gmt|[+-]00:?00)?"


def _time_parts(m: re.Match) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    """Hour, minute, second, am/pm and zone of a date matched with ``_TIME`` after three date groups."""
    hour, minute, second, ampm, zone = m.groups()[3:8]
    return hour, minute, second, ampm, zone


def _day(
    year: int,
    month: int,
    day: int,
    hour: str | None,
    minute: str | None,
    second: str | None,
    ampm: str | None,
    zone: str | None,
    utc: bool,
) -> dt.date:
    """The calendar day in Dutch time; a time given in UTC may fall on the next (or previous) day here."""
    date = dt.date(year, month, day)
    if hour is None:
        return date
    h = int(hour)
    if ampm:
        if not 1 <= h <= 12:
            raise ValueError("hour")
        h = h % 12 + (12 if ampm == "pm" else 0)
    moment = dt.datetime(year, month, day, h, int(minute), int(second or 0))
    if zone or utc:
        return moment.replace(tzinfo=dt.timezone.utc).astimezone(DUTCH_TIME).date()
    return date


def parse_loose(value, utc: bool = False) -> dt.date | None:
    """An inventory date: ISO, ``d-m-yyyy``, ``d/m/yyyy``, ``d.m.yyyy`` or ``14 december 2017``.

    E-discovery exports write ``2/19/2021 8:46 AM UTC``: with AM/PM the date is month first, as US
    tools write it; without, day first (Dutch). A time in UTC (``UTC``, ``Z``, or ``utc=True`` for a
    column headed ``Datum (UTC)``) is converted to Dutch time before the day is taken.
    """
    if isinstance(value, dt.datetime):
        if utc and value.time() != dt.time(0, 0):
            return value.replace(tzinfo=dt.timezone.utc).astimezone(DUTCH_TIME).date()
        return value.date()
    iso = parse_iso(value)
    if iso:
        return iso
    if not isinstance(value, str):
        return None
    s = value.strip().lower()
    try:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME, s)
        if m and not m.group(7):
            return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)), *_time_parts(m), utc)
        m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})" + _TIME, s)
        if m:
            first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            month_first = bool(m.group(7)) and "/" in s  # 2/19/2021 8:46 AM: US order
            day, month = (second, first) if month_first else (first, second)
            return _day(year, month, day, *_time_parts(m), utc)
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
