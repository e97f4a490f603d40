"""Problems are values: every check appends to a list, nothing stops at the first error.

Each problem names the package, the file, the field or row, what is wrong and how to fix it, in
Dutch, because the people who read them prepare publications, not code.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

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
        parts = [p for p in (self.package, self.file) if p]
        place = "/".join(parts) if parts else "site"
        return f"{place}, {self.location}" if self.location else place

    def format(self) -> str:
        label = "FOUT" if self.is_error else "WAARSCHUWING"
        return f"{label} {self.where()}: {self.message}\n    Oplossing: {self.fix}"

    def to_dict(self) -> dict:
        return asdict(self)

    def sort_key(self) -> tuple:
        """Errors first, then by file and location, with numbers compared as numbers: rij 2 before rij 10."""
        return (not self.is_error, self.file, natural_key(self.location), self.message)


def natural_key(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text or ""))


def row_ranges(numbers, limit: int = 10) -> str:
    """Row numbers as ranges, as Excel shows them: ``2-50001`` or ``4, 7-9, 12``; past ``limit``
    ranges the rest is counted: ``2, 4, 6 en nog 12 andere``."""
    ranges: list[list[int]] = []
    for n in sorted(set(numbers)):
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in ranges]
    if len(parts) > limit:
        rest = sum(b - a + 1 for a, b in ranges[limit:])
        return ", ".join(parts[:limit]) + f" en nog {rest} andere"
    return ", ".join(parts)


class Problems(list):
    """A list of problems bound to one package, with shorthands for adding them."""

    def __init__(self, package: str):
        super().__init__()
        self.package = package

    def error(self, file: str, location: str, message: str, fix: str, code: str) -> None:
        self.append(Problem(self.package, file, location, message, fix, code, ERROR))

    def warning(self, file: str, location: str, message: str, fix: str, code: str) -> None:
        self.append(Problem(self.package, file, location, message, fix, code, WARNING))

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self)
