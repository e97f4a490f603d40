"""URL-safe names for kenmerken, organisations and subjects."""

import hashlib
import re
import unicodedata


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()
    return text or "x"


def label_key(text: str) -> str:
    """What a facet label means for its page: case-folded, accents removed, every run of spaces, punctuation and
    symbols one '-' (Unicode-aware: other scripts are kept). Labels with the same key share one facet page
    ("Zorg", "zorg!", "ZORG"; "Financiën", "financien")."""
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "-", text).strip("-")


def facet_slug(text: str) -> str:
    """The URL name of a facet value (attack round 6, row 7: two labels that slugify alike, "日本" and "中文" both
    "x", must not share one page). A pure function of the label, so every page links the same URL for it:

    - ``slugify(label)`` when that is the label's whole meaning (``label_key`` equals it): every Latin-script
      label, so every facet URL published so far stays;
    - else ``slugify(label)`` + ``--`` + 10 hexadecimal characters of the SHA-256 of ``label_key(label)``: labels in
      other scripts, or with letters the slug drops (ß, ø, œ), or of punctuation only. ``slugify`` never makes
      ``--``, so such a name never equals a plain one."""
    slug, key = slugify(text), label_key(text)
    if key == slug:
        return slug
    return f"{slug}--{hashlib.sha256(key.encode('utf-8')).hexdigest()[:10]}"
