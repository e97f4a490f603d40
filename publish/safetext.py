"""Text from packages made safe to print, log and mail.

File and folder names, field values and error texts come from untrusted packages. A newline in a
name could forge a line such as ``GEPUBLICEERD ...`` in the scheduler's mail, and an escape sequence
could rewrite a terminal. Every print and log path goes through ``safe``: control characters (and
the Unicode line separators and direction overrides, and bytes of a name that is no UTF-8) become
visible escapes like ``\\n`` or ``\\u202e``, and very long values are shortened in the middle.
"""

from __future__ import annotations

import errno
import logging
import re

from .invisible import DEFAULT_IGNORABLE

# Controls, line separators, surrogates and every Default_Ignorable character (bidi marks, zero-width characters, soft
# hyphen, variation selectors, tag characters): shown as escapes, so a name cannot hide in a printed value.
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff{DEFAULT_IGNORABLE}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
MAX_PRINTED = 2_000

log = logging.getLogger("woo_publish")


def _escape(match: re.Match) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def safe(value, limit: int = MAX_PRINTED) -> str:
    """``value`` as one printable line: control characters escaped, at most about ``limit`` characters."""
    text = _CONTROL.sub(_escape, str(value))
    if len(text) > limit:
        keep = limit // 2
        text = f"{text[:keep]} … ({len(text) - 2 * keep} tekens weggelaten) … {text[-keep:]}"
    return text


def safe_tree(value):
    """``value`` (JSON-able: dicts, lists, strings, numbers) with every string, key or value, cleaned as ``safe``
    cleans it but never shortened: for machine-read output such as the build report (``--report``), which a
    monitor decodes and may print or mail. ``json.dumps`` would write a raw U+2028 or bidi override as is, and
    an ESC as ``\\u001b`` that decodes back to the raw character."""
    if isinstance(value, str):
        return _CONTROL.sub(_escape, value)
    if isinstance(value, dict):
        return {safe_tree(k) if isinstance(k, str) else k: safe_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [safe_tree(v) for v in value]
    return value


def describe_os_error(exc: OSError, what: str = "") -> str:
    """An operating-system error in Dutch, for staff and the person on call."""
    where = f" ({safe(exc.filename)})" if getattr(exc, "filename", None) else ""
    reasons = {
        errno.ENOSPC: "de schijf is vol",
        errno.EDQUOT: "de schijfruimte (quotum) is op",
        errno.EACCES: "er zijn geen rechten om hier te schrijven of te lezen",
        errno.EPERM: "deze handeling is niet toegestaan",
        errno.EROFS: "de schijf is alleen-lezen",
        errno.ENAMETOOLONG: "een bestandsnaam is te lang",
        errno.ENOENT: "een bestand of map bestaat niet (meer)",
        errno.EIO: "de schijf gaf een leesfout of schrijffout",
        errno.EMFILE: "er staan te veel bestanden tegelijk open",
        errno.ENOTDIR: "een deel van het pad is geen map",
        errno.EISDIR: "het pad is een map, geen bestand",
        errno.EEXIST: "het bestand bestaat al",
    }
    reason = reasons.get(exc.errno or 0, f"het besturingssysteem meldt fout {exc.errno or '?'}")
    return f"{what + ': ' if what else ''}{reason}{where}."


def log_unexpected(package: str, exc: BaseException, step: str) -> str:
    """Log an unexpected error in one package (one line, no traceback for staff; the innermost place in
    the code for developers) and return the Dutch text for the package's problem."""
    place = ""
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if "/publish/" in frame.f_code.co_filename.replace("\\", "/"):
            place = f"{frame.f_code.co_filename.rsplit('publish', 1)[-1].lstrip('/')}:{tb.tb_lineno}"
        tb = tb.tb_next
    log.error(
        "onverwachte fout bij %s van pakket %s: %s: %s%s",
        step,
        safe(package),
        type(exc).__name__,
        safe(exc, 300),
        f" (publish/{place})" if place else "",
    )
    return f"er ging iets onverwachts mis bij {step} ({type(exc).__name__})."
