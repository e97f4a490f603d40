"""Problems are values: every check appends to a list, nothing stops at the first error.

Each problem names the package, the file, the field or row, what is wrong and how to fix it, in
Dutch, because the people who read them prepare publications, not code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace

from .safetext import safe

ERROR = "fout"
WARNING = "waarschuwing"


@dataclass(frozen=True, order=True)
class Problem:
    package: str  # package folder name, "" for site-wide problems
    file: str  # path inside the package, "" when it concerns the package as a whole
    location: str  # field ("veld 'titel'") or row ("rij 4"), "" when none
    message: str  # what is wrong
    fix: str  # what to do about it
    code: str  # stable machine-readable code, e.g. "veld.onbekend"
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def where(self) -> str:
        parts = [safe(p) for p in (self.package, self.file) if p]
        place = "/".join(parts) if parts else "site"
        return f"{place}, {safe(self.location)}" if self.location else place

    def format(self) -> str:
        label = "FOUT" if self.is_error else "WAARSCHUWING"
        return f"{label} {self.where()}: {safe(self.message)}\n    Oplossing: {safe(self.fix)}"

    def to_dict(self) -> dict:
        return asdict(self)

    def sort_key(self) -> tuple:
        """Errors first, then by file and location, with numbers compared as numbers: rij 2 before rij 10."""
        return sort_key(self)


class Problems(list):
    """A list of problems bound to one package, with shorthands for adding them."""

    # mem22: no ``__dict__`` (about 160 bytes), as every package's list is held from validation to the build's end.
    __slots__ = ("package",)

    def __init__(self, package: str):
        super().__init__()
        self.package = package

    def error(self, file: str, location: str, message: str, fix: str, code: str) -> None:
        self.append(Problem(self.package, file, location, _bounded(message), _bounded(fix), code, ERROR))

    def warning(self, file: str, location: str, message: str, fix: str, code: str) -> None:
        self.append(Problem(self.package, file, location, _bounded(message), _bounded(fix), code, WARNING))

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self)


MAX_TEXT = 2_000  # a message quoting a 10 MB value keeps its start and end


def _bounded(text: str) -> str:
    text = str(text)
    if len(text) <= MAX_TEXT:
        return text
    return f"{text[:1200]} … ({len(text) - 1600} tekens weggelaten) … {text[-400:]}"


def count(n: int, one: str, many: str) -> str:
    """A count with the right Dutch form, thousands with a dot: count(1, "pakket", "pakketten") -> '1 pakket',
    count(12000, "rij", "rijen") -> '12.000 rijen'. Use it wherever staff or the public see a count."""
    return f"{n:,}".replace(",", ".") + " " + (one if n == 1 else many)


_ROW = re.compile(r"^rij (\d+)(?:, (.*))?$")
SUMMARY_FROM = 4  # this many rows with the same problem, or more, become one message
SHOWN_RANGES = 20


def natural_key(text: str) -> tuple:
    """Sort 'rij 2' before 'rij 10': digits compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text or ""))


def sort_key(p: Problem) -> tuple:
    return (not p.is_error, natural_key(p.package), natural_key(p.file), natural_key(p.location), p.code)


def row_ranges(numbers: Iterable[int], shown: int = SHOWN_RANGES) -> str:
    """[2, 3, 4, 7, 9, 10] -> '2-4, 7, 9-10'; after ``shown`` ranges the rest is counted."""
    ranges: list[list[int]] = []
    for n in sorted(set(numbers)):
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    parts = [f"{a}-{b}" if a != b else str(a) for a, b in ranges[:shown]]
    if len(ranges) > shown:
        rest = sum(b - a + 1 for a, b in ranges[shown:])
        parts.append(f"en nog {rest:,} rijen".replace(",", "."))
    return ", ".join(parts)


def summarise(problems: list[Problem]) -> list[Problem]:
    """The same problem (package, file, column, code) on many rows becomes one problem whose location
    lists the rows ('rij 2-50001, kolom 'nr''), showing the first row's message as the example.
    Everything comes back sorted (rows numerically), so output is bounded and easy to read."""
    groups: dict[tuple, list[tuple[int, Problem]]] = {}
    rest: list[Problem] = []
    for p in problems:
        m = _ROW.match(p.location or "")
        if m is None:
            rest.append(p)
            continue
        groups.setdefault((p.severity, p.package, p.file, m.group(2) or "", p.code), []).append((int(m.group(1)), p))
    for (_, _, _, column, _), members in groups.items():
        if len(members) < SUMMARY_FROM:
            rest += [p for _, p in members]
            continue
        members.sort(key=lambda m: m[0])
        first = members[0][1]
        count = f"{len(members):,}".replace(",", ".")
        location = f"rij {row_ranges([n for n, _ in members])}" + (f", {column}" if column else "")
        message = f"{first.message.rstrip('.')} (voorbeeld uit rij {members[0][0]}; hetzelfde probleem in {count} rijen)."
        rest.append(replace(first, location=location, message=message))
    return sorted(rest, key=sort_key)
