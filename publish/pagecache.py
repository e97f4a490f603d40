"""Warm rebuilds (issue 19): what the build makes per decision is kept in the build cache, keyed by
everything it is made from, so a rebuild in which a decision did not change runs neither Jinja nor the
open-data and DiWoo code for it.

- **Generated pages** (kind ``bron``): the bodies of a decision's own pages (decision page, inventory
  pages, document pages) as ``publish/pages.py`` renders them. Key: the decision's fingerprint (below),
  the generator's templates (their bytes), the site settings that enter the pages (name, organisation,
  whether the site has more than one type), the sizes of the decision's downloads, and the code and
  library versions (``incremental.key_of``). Cross-decision pages (home, listings, facets, grounds,
  statistics) are made every build; they are cheap.
- **Fragments** (kind ``fragment``): a decision's part of ``data.json``, of the per-type JSON and CSV,
  and of the DiWoo sitemaps; the files are assembled from them in order (``publish/opendata.py``,
  ``publish/diwoo.py``).
- **Assembled sets** (kind ``samengesteld``): for a set of files made from every decision (open data,
  sitemaps), the names and SHA-256 of the files the set gave, under a key over every input of the set.
  When the key is known and the live site still has exactly those files, they are linked from the live
  site (``incremental.LiveReuse``) without assembling anything; otherwise the files are assembled and a
  file whose bytes did not change is still linked, so it keeps its modification time and a sync
  uploads nothing.

The fingerprint of a decision is the SHA-256 of its whole view as the pages see it (``view_fingerprint``):
every field of the validated decision, its inventory rows, published files (title, place, size, pages,
the identity of their texts in the inspection cache) and history, walked generically, so a field added
to the model enters the key without anyone remembering to add it. A value of a kind the walk does not
know makes the decision uncacheable (it is simply made every build), never a wrong hit.

Every entry carries its SHA-256 (``Cache.put_blob``); an entry that is damaged, of the wrong shape,
names other pages than the decision has, or whose page text holds script markup the last build did not
find clean, is refused and the pages are made again: a cache entry is never published unchecked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import PurePath

SOURCE_KIND = "bron"
FRAGMENT_KIND = "fragment"
SET_KIND = "samengesteld"
VERSION = 1


class NoFingerprint(TypeError):
    """The view holds a value the fingerprint does not know how to encode: do not cache it."""


_NAMES: dict[type, tuple[str, ...]] = {}
# Fields that point at other rows of the same inventory (cycles: an e-mail and its attachments): encoded
# by the anchor of the row they point at. The build's own copy of a published file (a place in its
# temporary folder, never shown) is left out.
_REFERENCES = {"attached_to", "attachments", "thread", "related"}
_LEFT_OUT = {("PublishedFile", "source")}
_MAX_DEPTH = 40


def _names(cls: type) -> tuple[str, ...]:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls) if (cls.__name__, f.name) not in _LEFT_OUT)
    return names


def _anchor(row) -> object:
    if row is None:
        return None
    if isinstance(row, (list, tuple)):
        return [_anchor(r) for r in row]
    anchor = getattr(row, "anchor", None)
    if not isinstance(anchor, str):
        raise NoFingerprint(type(row).__name__)
    return {"a": anchor}


def _encode(value, depth: int = 0):
    """A JSON value that differs whenever ``value`` differs: JSON arrays for sequences, objects with a
    one-letter tag for every other kind, so no two kinds of value ever encode alike."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if depth > _MAX_DEPTH:
        raise NoFingerprint("te diep")
    if isinstance(value, float):
        return {"f": repr(value)}
    if isinstance(value, (list, tuple)):
        return [_encode(v, depth + 1) for v in value]
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, PurePath):
        return {"p": str(value)}
    if isinstance(value, dict):
        return {"m": sorted([[repr(k), _encode(v, depth + 1)] for k, v in value.items()], key=lambda kv: kv[0])}
    if isinstance(value, (set, frozenset)):
        return {"s": sorted(json.dumps(_encode(v, depth + 1), sort_keys=True) for v in value)}
    identity = getattr(value, "identity", None)
    if callable(identity) and type(value).__name__ == "CachedTexts":
        return {"x": list(identity())}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        fields = []
        for name in _names(cls):
            item = getattr(value, name)
            fields.append(_anchor(item) if name in _REFERENCES and cls.__name__ == "RowView" else _encode(item, depth + 1))
        return {"c": f"{cls.__module__}.{cls.__qualname__}", "v": fields}
    raise NoFingerprint(type(value).__name__)


def view_fingerprint(view) -> str:
    """SHA-256 over everything of a decision's view its pages can show (NoFingerprint when it holds
    a value of an unknown kind)."""
    body = json.dumps(_encode(view), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def fingerprint_or_empty(view) -> str:
    try:
        return view_fingerprint(view)
    except (NoFingerprint, RecursionError, ValueError):
        return ""


def clean_check(known_clean: frozenset[str] | set[str]):
    """A test for a page body taken from the cache: known clean by its SHA-256 (the last build scanned
    exactly these bytes), or scanned now and free of any script markup."""
    from .scriptcheck import scan_html

    def clean(body: str) -> bool:
        if hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest() in known_clean:
            return True
        return not scan_html(body, every_script=True)

    return clean


def pack_pages(pages: list[tuple[str, str, str]]) -> bytes:
    """A decision's pages (url, title, body) as one cache entry."""
    return json.dumps({"versie": VERSION, "paginas": pages}, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )


def unpack_pages(data: bytes, expected: list[tuple[str, str]]) -> list[str] | None:
    """The bodies of a cache entry when it holds exactly the pages ``expected`` (url, title), in order;
    None for anything else (another shape, other pages, not text)."""
    try:
        entry = json.loads(data.decode("utf-8", "surrogatepass"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(entry, dict) or entry.get("versie") != VERSION:
        return None
    pages = entry.get("paginas")
    if not isinstance(pages, list) or len(pages) != len(expected):
        return None
    bodies = []
    for item, (url, title) in zip(pages, expected):
        if not (isinstance(item, list) and len(item) == 3 and item[0] == url and item[1] == title and isinstance(item[2], str)):
            return None
        bodies.append(item[2])
    return bodies
