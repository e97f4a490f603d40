"""Warm rebuilds (issue 19): a package's validated model is kept in the build cache, so a rebuild in which the
package did not change reads no YAML, no inventory and runs no privacy check of its texts for it.

What is cached, per package folder (kind ``validatie``): what ``package.read_package`` returned (the ``Decision``,
or for a refused package what could be read of it, and its problems in order) and the problems of the privacy
check of its published texts (``privacy.check_published_texts``). Both are pure functions of their inputs, and
the key is an exact fingerprint of every one of them:

- the package folder as validation sees it: every entry below it, by name and kind (folder or file), and the
  SHA-256 of every file (PDFs through the build's memo of unchanged files, ``cache.HashMemo``; every other file
  hashed afresh), the approval and the change history included; a package holding a link (symlink), a FIFO or
  any other special file, or a file that cannot be read, is never cached (validated every build);
- the folder's name (problems name it);
- the site settings validation reads: the limits (``extra.woo.limieten``), the values allowed under
  ``toegestane_gegevens``, and the trust settings (the allowed-signers file's bytes, ``vier_ogen``,
  ``ongetekend``), although the cached steps do not read the last ones: a changed key validates again;
- the code and library versions (``incremental.code_hash``), the schema of every publication type and the
  time-zone rules dates in inventories are read in.

What is never cached, because it depends on the day or on other state, and runs every build: the approval check
and its signatures (``fate.decide``; every signature is verified by ``signing.verify`` on every build,
never remembered: attack round 6, row 2b), embargo (publication date against the build's day), the change history
and its signatures, withdrawals the archive remembers, the cross-package rules, and the PDF checks (by each PDF's
SHA-256). An entry holds no approval verdict: a hit gives only what ``read_package`` returned.

An entry carries its SHA-256 (``Cache.put_blob``) and its own key and folder name: a damaged entry, one of
another shape, or one copied under another key, is refused and the package validated normally. Values are
stored as tagged JSON and rebuilt only from a fixed list of model classes; paths are stored relative to the
package folder, so a moved site folder keeps its entries. A value the encoding does not know makes the package
uncacheable, never a wrong hit.

The PDF verdicts of a package are read as one record too (``PackageVerdicts``, kind ``pdf-oordelen-pakket``): a copy of
its PDFs' own verdict records, keyed by the PDF code version and every PDF's SHA-256 as hashed in this build, so a
changed PDF or other PDF code never finds a stale one; the PDF checks themselves run on it every build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import stat
from pathlib import Path

KIND = "validatie"
VERSION = 2


class Uncacheable(Exception):
    """A value, a file or a folder the cache does not take: validate as usual."""


# -- the key ------------------------------------------------------------------------------------------


def _listing(folder: Path, largest: int | None = None) -> list:
    """[kind, relative name, SHA-256] for every entry below ``folder``, depth first in name order. ``largest``: a file
    above this size is not hashed (attack round 10, B08): the package is refused for it, and validated every build."""
    from .approval import sha256_file

    try:
        if stat.S_ISLNK(os.lstat(folder).st_mode):
            raise Uncacheable("de pakketmap is een snelkoppeling")
    except OSError as exc:
        raise Uncacheable(str(exc)) from None
    out: list = []
    stack = [(folder, "")]
    while stack:
        base, prefix = stack.pop()
        try:
            with os.scandir(base) as it:
                entries = sorted(it, key=lambda e: os.fsencode(e.name))
        except OSError as exc:
            raise Uncacheable(str(exc)) from None
        below = []
        for entry in entries:
            rel = prefix + entry.name
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                raise Uncacheable(str(exc)) from None
            if stat.S_ISDIR(mode):
                out.append(["d", rel])
                below.append((Path(entry.path), rel + "/"))
            elif stat.S_ISREG(mode):
                if largest is not None and entry.stat(follow_symlinks=False).st_size > largest:
                    raise Uncacheable(f"'{rel}' is groter dan een grens toestaat")
                try:
                    out.append(["f", rel, sha256_file(Path(entry.path))])
                except OSError as exc:
                    raise Uncacheable(str(exc)) from None
            else:  # a link, FIFO, socket or device: never guessed about
                raise Uncacheable(f"'{rel}' is geen gewoon bestand of map")
        stack.extend(reversed(below))
    return out


def _callable_name(value) -> str:
    return f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', type(value).__name__)}"


def _schemas() -> list:
    """Every publication type's schema as data (a rule's check by its name: its code is in the code hash)."""
    from . import types

    def plain(value):
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return [type(value).__name__, [[f.name, plain(getattr(value, f.name))] for f in dataclasses.fields(value)]]
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return [[str(k), plain(v)] for k, v in value.items()]
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        if callable(value):
            return _callable_name(value)
        return repr(value)

    return [[name, plain(types.REGISTRY[name].schema)] for name in sorted(types.REGISTRY)]


def _time_zone() -> str:
    """SHA-256 of the rules of Dutch time (``dates.DUTCH_TIME``) as this machine has them."""
    import zoneinfo

    for root in zoneinfo.TZPATH:
        path = Path(root) / "Europe" / "Amsterdam"
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
    try:
        from importlib.metadata import version

        return "tzdata==" + version("tzdata")
    except Exception:  # noqa: BLE001 - no rules found: the key says so
        return "?"


def _signers(trust) -> list:
    signers = getattr(trust, "signers", None)
    digest = None
    if signers is not None:
        try:
            digest = hashlib.sha256(Path(signers).read_bytes()).hexdigest()
        except OSError:
            digest = "onleesbaar"
    return [digest, bool(getattr(trust, "four_eyes", False)), bool(getattr(trust, "unsigned", False))]


# -- encoding the model -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _classes() -> dict[str, type]:
    from . import types
    from .grounds import Ground
    from .model import Annex, Decision, FileRef, InventoryRow
    from .package import Partial

    classes: dict[str, type] = {c.__name__: c for c in (Annex, Decision, FileRef, InventoryRow, Ground, Partial)}
    for name, kind in types.REGISTRY.items():
        classes["gegevens:" + name] = kind.schema.model()
    return classes


_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


_PLAIN = frozenset({str, int, bool})


class _Codec:
    """Tagged JSON of the validated model: arrays for lists, one-letter objects for every other kind; paths
    relative to the package folder; dataclasses only of the known classes, their fields in declaration order
    (the code version, and with it every class's fields, is part of the key)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.prefix = str(folder) + os.sep
        self.classes = _classes()
        self.tags = {cls: tag for tag, cls in self.classes.items()}

    def encode(self, value, depth: int = 0):
        kind = type(value)
        if value is None or kind in _PLAIN:
            return value
        if depth > 40:
            raise Uncacheable("te diep")
        if kind is list:
            return [v if v is None or type(v) in _PLAIN else self.encode(v, depth + 1) for v in value]
        if kind is tuple:
            return {"u": [self.encode(v, depth + 1) for v in value]}
        if kind is dict:
            return {"m": [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in value.items()]}
        if kind is float:
            return {"f": repr(value)}
        if kind is dt.date:
            return {"d": value.isoformat()}
        if kind is dt.datetime and value.tzinfo is None:
            return {"t": value.isoformat()}
        if kind is type(self.folder):
            text = str(value)
            if text == str(self.folder):
                return {"p": "."}
            if text.startswith(self.prefix) and text[len(self.prefix) :]:
                return {"p": text[len(self.prefix) :]}
            raise Uncacheable("een pad buiten de pakketmap")
        tag = self.tags.get(kind)
        if tag is not None:
            values = [getattr(value, name) for name in _field_names(kind)]
            return {"c": tag, "v": [v if v is None or type(v) in _PLAIN else self.encode(v, depth + 1) for v in values]}
        raise Uncacheable(kind.__name__)

    def decode(self, value, depth: int = 0):
        kind = type(value)
        if value is None or kind in _PLAIN:
            return value
        if depth > 40:
            raise Uncacheable("te diep")
        if kind is list:
            return [v if v is None or type(v) in _PLAIN else self.decode(v, depth + 1) for v in value]
        if kind is not dict or len(value) not in (1, 2):
            raise Uncacheable("onbekende vorm")
        if "c" in value:
            cls = self.classes.get(value["c"])
            values = value.get("v")
            if cls is None or type(values) is not list or len(value) != 2:
                raise Uncacheable("onbekende klasse")
            names = _field_names(cls)
            if len(values) != len(names):
                raise Uncacheable("andere velden")
            return cls(**{n: v if v is None or type(v) in _PLAIN else self.decode(v, depth + 1) for n, v in zip(names, values)})
        if len(value) != 1:
            raise Uncacheable("onbekende vorm")
        ((tag, item),) = value.items()
        if tag == "u" and type(item) is list:
            return tuple(self.decode(v, depth + 1) for v in item)
        if tag == "m" and type(item) is list:
            if not all(type(kv) is list and len(kv) == 2 for kv in item):
                raise Uncacheable("onbekende vorm")
            return {self.decode(k, depth + 1): self.decode(v, depth + 1) for k, v in item}
        if tag == "f" and type(item) is str:
            return float(item)
        if tag == "d" and type(item) is str:
            return dt.date.fromisoformat(item)
        if tag == "t" and type(item) is str:
            return dt.datetime.fromisoformat(item)
        if tag == "p" and type(item) is str:
            if item == ".":
                return self.folder
            parts = item.split(os.sep)
            if item.startswith(os.sep) or any(p in ("", ".", "..") for p in parts):
                raise Uncacheable("een pad buiten de pakketmap")
            return self.folder.joinpath(*parts)
        raise Uncacheable("onbekende vorm")


def _problems_json(problems) -> list:
    return [[p.file, p.location, p.message, p.fix, p.code, p.severity] for p in problems]


def _problems(name: str, data) -> list:
    from .problems import ERROR, WARNING, Problem

    if not isinstance(data, list):
        raise Uncacheable("onbekende vorm")
    out = []
    for item in data:
        if not (isinstance(item, list) and len(item) == 6 and all(isinstance(x, str) for x in item)):
            raise Uncacheable("onbekende vorm")
        if item[5] not in (ERROR, WARNING):
            raise Uncacheable("onbekende vorm")
        out.append(Problem(name, *item))
    return out


# -- the cache ----------------------------------------------------------------------------------------


@dataclasses.dataclass
class Entry:
    """One package's validated state: from the cache (``hit``) or made this build and written at ``finish``."""

    key: str
    hit: bool
    decision: object = None
    problems: list = dataclasses.field(default_factory=list)
    partial: object = None
    privacy: list | None = None  # problems of the privacy check of the published texts; None: not known
    body: dict | None = None  # what is written (entries made this build): its "privacy" member, the rest in ``head``
    head: str = ""  # the rest of the body as JSON text (issue 19: compact while every package waits for its PDFs)
    encoded: object = None  # a hit's model as stored (``_Codec``): spilled as it is, not encoded again (issue 19)


class ValidationCache:
    """The validated model of every package, per build. ``reused``: packages taken from the cache; ``validated``:
    validated as usual (and cached); ``uncacheable``: validated every build (a link in the package, ...)."""

    def __init__(self, cache, limits, trust, allowed):
        from .incremental import code_hash

        self.cache = cache
        self.largest = limits.largest_file_bytes
        self.reused = 0
        self.validated = 0
        self.uncacheable = 0
        self.used: set[str] = set()
        self.verdicts: PackageVerdicts | None = None
        settings = [
            VERSION,
            code_hash(),
            dataclasses.asdict(limits),
            [str(a) for a in allowed],
            _signers(trust),
            _schemas(),
            _time_zone(),
        ]
        body = json.dumps(settings, ensure_ascii=True, sort_keys=True, default=repr)
        self.settings = hashlib.sha256(body.encode("ascii")).hexdigest()

    def key(self, folder: Path) -> str:
        """The exact fingerprint of everything validating ``folder`` reads; "" when it cannot be made."""
        try:
            listing = _listing(folder, self.largest)
        except Uncacheable:
            return ""
        body = json.dumps([self.settings, folder.name, listing], ensure_ascii=True, separators=(",", ":"))
        return hashlib.sha256(body.encode("ascii")).hexdigest()

    def lookup(self, folder: Path) -> Entry | None:
        """The cached entry for ``folder`` as it is now, or an empty entry to fill (None: not cacheable)."""
        key = self.key(folder)
        if not key:
            self.uncacheable += 1
            return None
        self.used.add(key)
        stored = self.cache.get_blob(KIND, key) if self.cache is not None else None
        if stored is not None:
            entry = self._read(folder, key, stored[1])
            if entry is not None:
                self.reused += 1
                return entry
        self.validated += 1
        return Entry(key, False)

    def _read(self, folder: Path, key: str, data: bytes) -> Entry | None:
        from .problems import Problems

        try:
            body = json.loads(data.decode("utf-8", "surrogatepass"))
            if not isinstance(body, dict) or body.get("versie") != VERSION:
                return None
            if body.get("sleutel") != key or body.get("map") != folder.name:
                return None  # an entry copied under another key, or for another folder
            codec = _Codec(folder)
            decision = codec.decode(body.get("besluit"))
            partial = codec.decode(body.get("deels"))
            classes = codec.classes
            if decision is not None and type(decision) is not classes["Decision"]:
                return None
            if partial is not None and type(partial) is not classes["Partial"]:
                return None
            problems = Problems(folder.name)
            problems.extend(_problems(folder.name, body.get("problemen")))
            privacy = body.get("privacy")
            privacy = None if privacy is None else _problems(folder.name, privacy)
        except (Uncacheable, ValueError, TypeError, KeyError, UnicodeDecodeError, RecursionError, AttributeError):
            return None
        entry = Entry(key, True, decision, problems, partial, privacy)
        entry.encoded = body.get("besluit") if decision is not None else None
        return entry

    def made(self, entry: Entry | None, folder: Path, decision, problems, partial) -> None:
        """What ``read_package`` returned for a package that was not in the cache (encoded at once)."""
        if entry is None or entry.hit:
            return
        try:
            codec = _Codec(folder)
            head = {
                "versie": VERSION,
                "sleutel": entry.key,
                "map": folder.name,
                "besluit": codec.encode(decision),
                "deels": codec.encode(partial),
                "problemen": _problems_json(problems),
            }
            # Issue 19: held as its JSON text until ``finish`` (the privacy check comes later, after every PDF was
            # read): a tenth of the memory of the nested lists, for every package of a cold build at once.
            entry.body = {"privacy": None}
            entry.head = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
        except (Uncacheable, RecursionError):
            entry.body = None

    def finish(self, entry: Entry | None, folder: Path) -> None:
        """Write an entry made this build, when the folder is still exactly as its key says (a package changed
        while it was being validated is validated again next build)."""
        if entry is None or entry.hit or entry.body is None or self.cache is None:
            return
        # Issue 19: the serialised model (about as large as the model itself) is let go once written: the entry stays
        # with its package for the whole build, and its body would then be held for every decision of the archive.
        body, head, entry.body, entry.head = entry.body, entry.head, None, ""
        if self.key(folder) != entry.key:
            self.used.discard(entry.key)
            return
        # The same bytes as one json.dumps of the whole body with "privacy" as its last member.
        privacy = json.dumps(body.get("privacy"), ensure_ascii=False, separators=(",", ":"))
        data = (head[:-1] + ',"privacy":' + privacy + "}").encode("utf-8", "surrogatepass")
        try:
            self.cache.put_blob(KIND, entry.key, data)
        except OSError:  # a read-only or full cache: validated again next time
            pass

    def pdf_verdicts(self, inspector) -> PackageVerdicts:
        """This build's records of every package's PDF verdicts together (``PackageVerdicts``), made on first use."""
        if self.verdicts is None:
            self.verdicts = PackageVerdicts(self.cache, inspector)
        return self.verdicts

    def prune(self) -> None:
        """Remove the entries no package of this build used (changed or gone packages)."""
        if self.cache is not None:
            self.cache.prune(KIND, self.used)
            if self.verdicts is not None:
                self.cache.prune(VERDICTS_KIND, self.verdicts.used)

    def forget_used(self) -> None:
        """Let go of the keys this build used (mem22: a str of 64 characters for each package and for its PDF verdicts'
        record, in sets), once ``prune`` has read them: this object lives as long as the build (its counters go into the
        report), the keys would be held to its end."""
        self.used = set()
        if self.verdicts is not None:
            self.verdicts.used = set()


def privacy_problems(entry: Entry | None, problems) -> None:
    """Record the privacy check's problems (``problems``, this build's) in an entry made this build."""
    if entry is not None and not entry.hit and entry.body is not None:
        entry.body["privacy"] = _problems_json(problems)


# -- the PDF verdicts of a package, in one record --------------------------------------------------------

VERDICTS_KIND = "pdf-oordelen-pakket"
VERDICTS_VERSION = 1


def _verdicts_key(version: str, shas: list[str]) -> str:
    """The record's key: the PDF code version and the sorted SHA-256 of every PDF (each once)."""
    body = json.dumps([VERDICTS_VERSION, version, shas], ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(body.encode("ascii")).hexdigest()


def _is_sha(text) -> bool:
    return type(text) is str and len(text) == 64 and not text.strip("0123456789abcdef")


class PackageVerdicts:
    """Issue 19: the small verdict records of all of a package's PDFs (``pdfs.VERDICT_KIND``) read as one cache entry
    (kind ``pdf-oordelen-pakket``), instead of one entry, opened, checked and decoded, per PDF.

    What the record holds is a copy of the per-PDF verdict records as the inspection cache has them, made only from
    them (``keep``: after a build read every PDF of the package). Its key is the PDF code version
    (``pdfs.code_version``: the gate's code and libraries) and the sorted SHA-256 of every PDF, so a PDF whose bytes
    changed, or other PDF code, looks up another record. Every build still hashes each PDF (through the memo of
    unchanged files, ``cache.HashMemo``, as the inspection does), looks the record up by those SHA-256 and the current
    code version, and takes it only when:

    - it is intact and signed with the cache key (``Cache.get_blob``; opened without following links), and carries
      its own version, key, code version and exactly the SHA-256 it is keyed by, each with a verdict for that SHA-256
      of the fields a ``PdfResult`` has (a damaged, foreign or copied record is refused: the PDFs are looked up one by
      one as before);
    - each PDF's own verdict record is still there (one ``stat``: an entry found unusable later, ``CachedTexts``, is
      removed with its verdict record, so the next build inspects that PDF again instead of taking the copy);
    - each PDF that passed has its published copy intact (``PdfInspector._usable``), and no PDF is above the size
      limit; the page limit is applied to every result (``_within_limits``), as for a verdict read on its own.

    Anything else, and a package without PDFs, takes the usual path (``PdfInspector.inspect_all``). The PDF checks
    themselves (the gate's findings against the allowed values, text, pages) run on these results every build, as
    before. ``pdfs.py`` is not changed: its text is part of every PDF's cache key."""

    def __init__(self, cache, inspector):
        self.cache = cache
        self.inspector = inspector
        self.used: set[str] = set()
        self.packages = 0  # packages whose PDF verdicts came from their record
        self.pdfs = 0  # PDF verdicts taken from those records
        self.written = 0  # records written this build

    def _result(self, sha: str, verdict, version: str, texts: bool = True):
        """A ``PdfResult`` from a verdict record, as ``PdfInspector._cached`` makes it; None when it is not one.
        ``texts``: give it its page texts' reference (a result that is used; ``keep`` only checks the record)."""
        from .pdfs import CachedTexts, PdfResult

        if not isinstance(verdict, dict) or verdict.get("sha256") != sha:
            return None
        fields = dict(verdict)
        count, has_text = fields.pop("text_pages", None), fields.pop("has_text", None)
        if type(count) is not int or type(has_text) is not bool or count < 0:
            return None
        try:
            result = PdfResult(**fields, from_cache=True)
        except TypeError:
            return None
        if count and texts:
            result.texts = CachedTexts(self.cache, f"{sha}-v{version}", count, has_text)  # type: ignore[assignment]
        return result

    def take(self, paths: list[str]) -> dict | None:
        """Every PDF's result (path -> ``PdfResult``) from the package's record, or None: inspect them as usual."""
        from .approval import sha256_file
        from .pdfs import VERDICT_KIND, code_version

        if not paths or self.cache is None:
            return None
        largest = self.inspector.limits.pdf_bytes
        shas = []
        try:
            for path in paths:
                if os.stat(path).st_size > largest:
                    return None
                shas.append(sha256_file(Path(path)))
        except OSError:
            return None
        version = code_version()
        unique = sorted(set(shas))
        key = _verdicts_key(version, unique)
        stored = self.cache.get_blob(VERDICTS_KIND, key)
        if stored is None:
            return None
        try:
            body = json.loads(stored[1].decode("utf-8"))
            if not isinstance(body, dict) or body.get("versie") != VERDICTS_VERSION:
                return None
            if body.get("sleutel") != key or body.get("code") != version:
                return None  # a record copied under another key, or made by other PDF code
            pairs = body.get("pdfs")
            if not isinstance(pairs, list) or len(pairs) != len(unique):
                return None
            verdicts: dict[str, dict] = {}
            for pair, sha in zip(pairs, unique):
                if not (isinstance(pair, list) and len(pair) == 2 and pair[0] == sha):
                    return None
                verdicts[sha] = pair[1]
            first: dict[str, object] = {}
            for sha in unique:
                result = self._result(sha, verdicts[sha], version)
                if result is None or not self.cache.has(VERDICT_KIND, f"{sha}-v{version}", ".json"):
                    return None
                if not self.inspector._usable(sha, result):
                    return None
                first[sha] = result
            out = {}
            for path, sha in zip(paths, shas):  # a result of its own per path, as the inspection gives
                result = first.pop(sha, None) or self._result(sha, verdicts[sha], version)
                out[path] = self.inspector._within_limits(result)
        except (ValueError, TypeError, KeyError, UnicodeDecodeError, RecursionError, AttributeError):
            return None
        self.used.add(key)
        self.packages += 1
        self.pdfs += len(paths)
        return out

    def keep(self, results) -> None:
        """Write the record of a package whose PDFs were looked up one by one this build (``results``: path ->
        ``PdfResult``), from the per-PDF verdict records in the cache; none when one of them is not there (a result
        that is not cached, such as a limit that was hit)."""
        from .pdfs import VERDICT_KIND, code_version

        if not results or self.cache is None:
            return
        unique = sorted({res.sha256 for res in results.values()})
        if not all(_is_sha(sha) for sha in unique):
            return
        version = code_version()
        pairs = []
        for sha in unique:
            verdict = self.cache.get_json(VERDICT_KIND, f"{sha}-v{version}")
            if self._result(sha, verdict, version, texts=False) is None:
                return
            pairs.append([sha, verdict])
        key = _verdicts_key(version, unique)
        body = {"versie": VERDICTS_VERSION, "sleutel": key, "code": version, "pdfs": pairs}
        try:
            self.cache.put_blob(VERDICTS_KIND, key, json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        except OSError:  # a read-only or full cache: read one by one again next time
            return
        self.used.add(key)
        self.written += 1
