"""The redaction and privacy gate: every PDF passes here before it can be published.

``run_gate`` returns findings (each refuses the package, or was fixed in the published copy), the
bytes of the published copy (see ``copy.py``) and the text of each of its pages. Whether text can be
seen is judged on that copy as PDFium draws it (see ``visibility.py``).

The package itself imports nothing heavy: ``personal_data`` is used for every summary and inventory without a PDF
in sight, and importing pypdf, pikepdf, PDFium and numpy costs a quarter of a second per command. ``run_gate`` and
the gate's constants come from ``core.py`` on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core import GATE_VERSION, LEAK_CODES, MAX_HIDDEN_FINDINGS, run_gate

__all__ = ["GATE_VERSION", "LEAK_CODES", "MAX_HIDDEN_FINDINGS", "run_gate"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import core

        return getattr(core, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
