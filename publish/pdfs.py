"""PDF inspection: open and refuse encryption (pypdf), write the published copy (``gate/copy.py``:
one linearised revision, no document metadata), and run the gate on it, which extracts the text per
page with PDFium.

Results are cached by content hash, so an unchanged PDF is never parsed twice, and the work runs
in parallel over the available cores.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import io
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from .approval import sha256_file
from .cache import Cache
from .limits import dutch_number

# The libraries whose behaviour a cached verdict depends on: pypdf, pikepdf (qpdf writes the published copy), PDFium
# (judges and extracts the text), fontTools (reads the embedded fonts the copy keeps) and numpy (counts the pixels).
_PDF_LIBRARIES = (
    ("pypdf", "pypdf"),
    ("pikepdf", "pikepdf"),
    ("pypdfium2", "pypdfium2"),
    ("fonttools", "fontTools"),
    ("numpy", "numpy"),
)


def _library_fingerprint(distribution: str, module: str) -> bytes:
    """What identifies an installed library exactly, read without importing it (importing all five costs a quarter of
    a second on every command, also on warm builds that read no PDF): its version and the hash of its installed-files
    record, which lists the SHA-256 of every file, so a rebuilt wheel (another bundled qpdf or PDFium) changes it too.
    Without such a record (some system packages): the versions the library reports about itself, as before."""
    import importlib
    import importlib.metadata

    try:
        dist = importlib.metadata.distribution(distribution)
        record = dist.read_text("RECORD")
    except importlib.metadata.PackageNotFoundError:
        record = None
    if record:
        return f"{distribution} {dist.version} ".encode() + hashlib.sha256(record.encode()).digest()
    lib = importlib.import_module(module)
    parts = [getattr(lib, "__version__", ""), getattr(lib, "version", ""), getattr(lib, "__libqpdf_version__", "")]
    parts += [str(getattr(lib, "PDFIUM_INFO", "")), str(getattr(lib, "PYPDFIUM_INFO", ""))]
    return f"{module} ".encode() + " ".join(str(x) for x in parts).encode()


@functools.cache
def code_version() -> str:
    """Cache entries are keyed by the code that made them: this module, the gate and the libraries they use."""
    digest = hashlib.sha256()
    for distribution, module in _PDF_LIBRARIES:
        digest.update(_library_fingerprint(distribution, module))
    here = Path(__file__).resolve().parent
    for source in [here / "pdfs.py", here / "invisible.py", *sorted((here / "gate").glob("*.py"))]:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def __getattr__(name: str) -> str:
    """``PDF_CODE_VERSION`` for other modules, computed on first use (PEP 562)."""
    if name == "PDF_CODE_VERSION":
        return code_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class CachedTexts:
    """The page texts of a PDF, kept in the inspection cache and read from there each time they are used
    (issue 19: a whole archive's text never sits in memory at once). A sequence of strings, like the
    list it replaces; whether any page has text is known without reading them."""

    __slots__ = ("_cache", "_key", "_count", "has_text")

    # The entries handed out per cache folder: when one turns out unusable, every one is checked (a rare path: after
    # damage or a forgery) and the unusable ones forgotten, so one rebuild makes them all again.
    _issued: ClassVar[dict[str, set[str]]] = {}

    def __init__(self, cache: Cache, key: str, count: int, has_text: bool):
        self._cache, self._key, self._count, self.has_text = cache, key, count, has_text
        CachedTexts._issued.setdefault(str(cache.root), set()).add(key)

    def _forget_unusable(self) -> None:
        for key in sorted(CachedTexts._issued.pop(str(self._cache.root), set()) | {self._key}):
            entry = self._cache.get_json("pdf", key) if key != self._key else None
            if not (isinstance(entry, dict) and isinstance(entry.get("texts"), list)):
                for kind in ("pdf", VERDICT_KIND):
                    self._cache.forget(kind, key, ".json")

    def _load(self) -> list[str]:
        entry = self._cache.get_json("pdf", self._key)
        texts = entry.get("texts") if isinstance(entry, dict) else None
        if not isinstance(texts, list) or len(texts) != self._count:
            # Removed, damaged or not signed with the cache's key (publish/cachestore.py): stop rather than publish a
            # page without its text, and forget the verdict record too, so the next build inspects the PDF again.
            self._forget_unusable()
            from .cachestore import CacheEntryGone

            raise CacheEntryGone(
                errno.EIO,
                "een resultaat in de bouwcache (de paginateksten van een pdf) is tijdens de build verdwenen, beschadigd "
                "of niet ondertekend met de cachesleutel; het is verwijderd en de volgende build maakt het opnieuw.",
                str(self._key),
            )
        return texts

    def identity(self) -> tuple[str, int, bool]:
        """What determines the texts without reading them (issue 19: the page cache's key): the cache entry
        (the PDF's SHA-256 and the gate's code version), the number of pages and whether any has text."""
        return self._key, self._count, self.has_text

    def __iter__(self):
        return iter(self._load())

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self._load()[index]

    def __eq__(self, other) -> bool:
        return list(self) == list(other)


VERDICT_KIND = "pdf-oordeel"


def verdict_of(entry: dict) -> dict:
    """The small record the validation reads (issue 19): the gate's verdict and the number of pages with text,
    without the page texts (those stay in the full ``pdf`` entry, read per page and per search shard)."""
    texts = entry.get("texts") or []
    verdict = {k: v for k, v in entry.items() if k != "texts"}
    verdict["text_pages"] = len(texts)
    verdict["has_text"] = any(isinstance(t, str) and t.strip() for t in texts)
    return verdict


def any_text(texts) -> bool:
    """Whether any page has text, without reading texts kept in the cache."""
    known = getattr(texts, "has_text", None)
    return known if known is not None else any(t.strip() for t in texts)


@dataclass
class PdfResult:
    sha256: str
    ok: bool
    pages: int = 0
    texts: list[str] = field(default_factory=list)
    error: str = ""  # Dutch explanation when not ok
    error_code: str = ""
    published_size: int = 0
    published_sha256: str = ""  # of the published copy in the cache: checked before it is used
    findings: list[dict] = field(default_factory=list)  # from the redaction gate
    from_cache: bool = False

    def to_json(self) -> dict:
        data = dict(self.__dict__)
        data.pop("from_cache")
        return data

    @property
    def has_text(self) -> bool:
        return any_text(self.texts)


def _inspect_bytes(data: bytes, reader=None) -> tuple[dict, bytes | None]:
    """Parse one PDF. Returns the result fields and the bytes of the published copy. ``reader``: the
    pypdf reader ``_precheck`` already opened on these bytes (then not opened again)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    from pypdfium2 import PdfiumError

    from .gate.copy import CopyError
    from .gate.timing import stage

    try:
        with stage("openen"):
            if reader is None:
                reader = PdfReader(io.BytesIO(data), strict=False)
            encrypted = reader.is_encrypted
            pages = 0 if encrypted else len(reader.pages)
        if encrypted:
            return {
                "ok": False,
                "error": "de pdf is versleuteld of met een wachtwoord beveiligd.",
                "error_code": "pdf.versleuteld",
            }, None
        if pages == 0:
            return {"ok": False, "error": "de pdf heeft geen pagina's.", "error_code": "pdf.leeg"}, None
        from .gate.core import run_gate

        findings, published, texts = run_gate(reader, data)
        return {"ok": True, "pages": pages, "texts": texts, "findings": findings}, published
    except CopyError as exc:  # the copy met something it cannot clean or judge: its reason is Dutch
        return {
            "ok": False,
            "error": f"de pdf kan niet veilig gepubliceerd worden: {exc}. Maak de pdf opnieuw vanuit het "
            "bronbestand (bijvoorbeeld 'Opslaan als pdf' of opnieuw 'printen' naar pdf) en lak daarna opnieuw.",
            "error_code": "pdf.onleesbaar",
        }, None
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        AssertionError,
        OSError,
        ZeroDivisionError,
        PdfiumError,
    ) as exc:
        return {
            "ok": False,
            "error": f"de pdf kan niet gelezen worden ({type(exc).__name__}).",
            "error_code": "pdf.onleesbaar",
        }, None


def _die_with_parent() -> None:
    """A worker must not outlive a build that was killed (SIGKILL, out of memory): on Linux the
    kernel sends it SIGKILL when its parent dies (elsewhere there is no such call, and nothing is done)."""
    import signal

    from .libc import libc

    prctl = getattr(libc(), "prctl", None)
    if prctl is not None:
        prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the parent died before the line above took effect
        os._exit(1)


def _limit_config(limits) -> dict:
    """pypdf's own decompression limits, set from ours in each worker."""
    n = limits.pdf_stream_bytes
    return {
        "maximum_declared_stream_length": n,
        "array_based_stream_maximum_output_length": n,
        "jbig2_maximum_output_length": n,
        "lzw_maximum_output_length": n,
        "run_length_maximum_output_length": n,
        "zlib_maximum_output_length": n,
        "brotli_maximum_output_length": n,
        "image_maximum_buffer_size": n,
    }


def _limit_result(limits, name: str, found, what: str, code: str) -> dict:
    return {"ok": False, "error": limits.exceeded(name, found, what), "error_code": code, "cacheable": False}


def _precheck(data: bytes, limits, opened: list | None = None) -> dict | None:
    """Encryption and page count before the real work: a refused PDF is not parsed further.
    ``opened`` receives the pypdf reader when the PDF may go on, for ``_inspect_bytes`` to use."""
    from .gate.timing import stage

    with stage("voorcontrole"):
        return _precheck_timed(data, limits, opened)


def _precheck_timed(data: bytes, limits, opened: list | None) -> dict | None:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return {
                "ok": False,
                "error": "de pdf is versleuteld of met een wachtwoord beveiligd.",
                "error_code": "pdf.versleuteld",
            }
        pages = len(reader.pages)
    except (DependencyError, FileNotDecryptedError):  # AES-encrypted: refused whether or not it could be decrypted
        return {"ok": False, "error": "de pdf is versleuteld of met een wachtwoord beveiligd.", "error_code": "pdf.versleuteld"}
    except Exception:  # noqa: BLE001 - left to the full inspection, which explains what is wrong
        return None
    if pages > limits.pdf_pages:
        return _limit_result(limits, "pdf_pages", pages, "het aantal pagina's", "limiet.pdf_paginas")
    try:
        largest = _largest_stream(data, limits.pdf_stream_bytes)
    except UnboundedStream as exc:
        return {
            "ok": False,
            "error": f"{exc}: de voorcontrole kan niet bepalen hoe groot die uitgepakt wordt. Maak de pdf opnieuw "
            "vanuit het bronbestand (bijvoorbeeld met 'Opslaan als pdf' of 'Afdrukken naar pdf').",
            "error_code": "pdf.onleesbaar",
        }
    if largest > limits.pdf_stream_bytes:
        return _limit_result(limits, "pdf_stream_bytes", largest, "een uitgepakte stroom in de pdf", "limiet.pdf_stroom")
    if opened is not None:
        opened.append(reader)
    return None


# Deflate writes at most 258 bytes per code of at least 2 bits: never more than about 1032 bytes out per
# byte in (zlib's own documentation; measured 1029 for a long run of zeros).
DEFLATE_MAX_RATIO = 1040
# The most each filter can write per byte read, for the shortcut below. ASCIIHex halves; ASCII85 writes
# 4 bytes for its one-character ``z``; RunLength 128 bytes for a 2-byte run (64); LZW at most 3839
# bytes (the longest string of a 4096-entry table) per code of at least 9 bits (3413). The image
# codecs end a chain: what is counted is what they read (they are decoded only when drawn, bounded
# by the image's width and height), so they count 1 here.
FILTER_MAX_RATIO = {
    "/FlateDecode": DEFLATE_MAX_RATIO,
    "/LZWDecode": 3413,
    "/RunLengthDecode": 64,
    "/ASCIIHexDecode": 1,
    "/ASCII85Decode": 4,
}
# Each filter of a chain may write up to the limit, and each is unpacked in turn: a long chain multiplies
# the work. Producers use one or two (reportlab: ASCII85 and Flate).
MAX_FILTERS = 4
IMAGE_CODECS = {"/DCTDecode", "/JPXDecode", "/CCITTFaxDecode", "/JBIG2Decode"}
# The abbreviations qpdf and PDFium also accept on a stream.
FILTER_ABBREVIATIONS = {
    "/Fl": "/FlateDecode",
    "/LZW": "/LZWDecode",
    "/RL": "/RunLengthDecode",
    "/AHx": "/ASCIIHexDecode",
    "/A85": "/ASCII85Decode",
    "/DCT": "/DCTDecode",
    "/CCF": "/CCITTFaxDecode",
}


class UnboundedStream(ValueError):
    """A stream whose filters the precheck cannot bound: the PDF is refused (Dutch message)."""


def _filters(obj) -> list[tuple[str, object]]:
    """The filter chain of a stream as (filter name, its decode parameters), abbreviations written out."""
    import pikepdf

    filters = obj.get("/Filter")
    if filters is None:
        return []
    names = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
    parms = obj.get("/DecodeParms")
    parm_list = list(parms) if isinstance(parms, pikepdf.Array) else [parms] * len(names)
    chain = []
    for i, name in enumerate(names):
        if not isinstance(name, pikepdf.Name):
            raise UnboundedStream("een stroom heeft een filter dat geen naam is")
        text = FILTER_ABBREVIATIONS.get(str(name), str(name))
        chain.append((text, parm_list[i] if i < len(parm_list) else None))
    return chain


def _check_chain(chain: list[tuple[str, object]]) -> int:
    """The most the chain can write per byte read; refuses what the precheck cannot bound: more than
    ``MAX_FILTERS`` filters, an unknown filter, an image codec before the end of the chain, a predictor before the end of the chain (the
    next filter would read the predicted bytes, which the precheck does not compute)."""
    import pikepdf

    if len(chain) > MAX_FILTERS:
        raise UnboundedStream(f"een stroom gebruikt {len(chain)} filters na elkaar (meer dan {MAX_FILTERS})")
    ratio = 1
    for i, (name, parms) in enumerate(chain):
        last = i == len(chain) - 1
        if name in IMAGE_CODECS:
            if not last:
                raise UnboundedStream(f"een stroom gebruikt het beeldfilter {name[1:]} midden in een reeks filters")
            continue
        if name not in FILTER_MAX_RATIO:
            raise UnboundedStream(f"een stroom gebruikt het onbekende of niet toegestane filter {name[1:]}")
        predictor = parms.get("/Predictor", 1) if isinstance(parms, pikepdf.Dictionary) else 1
        if not last and name in ("/FlateDecode", "/LZWDecode") and predictor not in (1, None):
            raise UnboundedStream(f"een stroom gebruikt een voorspeller (Predictor) bij {name[1:]} midden in een reeks filters")
        if name == "/LZWDecode" and isinstance(parms, pikepdf.Dictionary) and parms.get("/EarlyChange", 1) != 1:
            raise UnboundedStream("een stroom gebruikt LZW met EarlyChange 0")
        ratio *= FILTER_MAX_RATIO[name]
    return ratio


def _inflate(data: bytes, limit: int, keep: bool) -> tuple[int, bytes]:
    """Flate in bounded steps, stopping just past ``limit``: (bytes written, those bytes when ``keep``)."""
    import zlib

    inflater, size, rest, parts = zlib.decompressobj(), 0, data, []
    try:
        while rest and size <= limit:
            chunk = inflater.decompress(rest, 1 << 20)
            size += len(chunk)
            if keep:
                parts.append(chunk)
            rest = inflater.unconsumed_tail
    except zlib.error:
        pass  # a damaged stream: the readers report it
    return size, b"".join(parts)


def _decode_layer(name: str, data: bytes, limit: int, keep: bool) -> tuple[int, bytes]:
    """One filter of a chain, writing at most just past ``limit``: (bytes written, the bytes when ``keep``)."""
    if name == "/FlateDecode":
        return _inflate(data, limit, keep)
    if name in ("/ASCIIHexDecode", "/ASCII85Decode"):  # at most 4 bytes out per byte in: qpdf's own decoder
        import pikepdf

        with pikepdf.new() as scratch:
            stream = pikepdf.Stream(scratch, data)
            stream.Filter = pikepdf.Name(name)
            try:
                out = stream.read_bytes()
            except pikepdf.PdfError:
                return 0, b""  # damaged: the readers report it
        return len(out), out
    if name == "/RunLengthDecode":
        runs, i, size = bytearray(), 0, 0
        while i < len(data) and size <= limit:
            n = data[i]
            if n == 128:
                break
            if n < 128:
                piece = data[i + 1 : i + 2 + n]
                i += 2 + n
            else:
                piece = data[i + 1 : i + 2] * (257 - n)
                i += 2
            size += len(piece)
            if keep:
                runs += piece
        return size, bytes(runs)
    if name == "/LZWDecode":
        from pypdf._codecs._codecs import LzwCodec
        from pypdf.errors import LimitReachedError, PdfStreamError

        try:
            out = LzwCodec(max_output_length=limit).decode(data)
        except LimitReachedError:
            return limit + 1, b""
        except (PdfStreamError, IndexError, KeyError, ValueError):
            return 0, b""
        return len(out), out
    return len(data), data  # an image codec ends the chain: what it reads is counted


def _chain_size(raw: bytes, chain: list[tuple[str, object]], limit: int) -> int:
    """The largest output of any filter of the chain, each stopping just past ``limit``; only the
    bytes the next filter reads are held (never more than ``limit`` and one step)."""
    largest, data = 0, raw
    for i, (name, _parms) in enumerate(chain):
        last = i == len(chain) - 1
        size, data = _decode_layer(name, data, limit, keep=not last)
        largest = max(largest, size)
        if size > limit or (not last and not data):
            break
    return largest


def _largest_stream(data: bytes, limit: int) -> int:
    """The largest decompressed stream, counted without holding it: PDFium and qpdf, which read the
    pages and write the copy, would unpack a decompression bomb whole. Every filter of a chain is
    unpacked in bounded steps and stops just past ``limit`` (``[/FlateDecode /FlateDecode]`` unpacks
    both layers, each counted); a filter the precheck cannot bound raises ``UnboundedStream``
    (``_check_chain``). A stream too short to unpack past ``limit`` by the product of its filters'
    ratios (``FILTER_MAX_RATIO``) is not unpacked: the result is above ``limit`` exactly when some
    stream unpacks past it, and then it is that stream's size as counted."""
    import pikepdf

    largest = 0
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - the full inspection explains what is wrong
        return 0
    with pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Stream):
                continue
            chain = _filters(obj)
            if not chain:
                continue
            ratio = _check_chain(chain)
            try:
                raw = obj.read_raw_bytes()
            except Exception:  # noqa: BLE001
                continue
            if len(raw) * ratio <= limit:
                continue  # cannot unpack past the limit
            largest = max(largest, _chain_size(raw, chain, limit))
            if largest > limit:
                break
    return largest


def _work(args: tuple, limits=None) -> dict:
    """Inspect one PDF in a worker. Never raises: every failure is a refusal of this PDF only.
    Results that depend on the limits or on chance (time, memory) are not cached."""
    from pypdf.errors import LimitReachedError

    from .limits import DEFAULT_LIMITS

    limits = limits or DEFAULT_LIMITS
    path, sha, cache_spec = args
    cache = Cache.from_spec(cache_spec)
    try:
        data = Path(path).read_bytes()
        opened: list = []  # the pypdf reader of the precheck, opened once
        if hashlib.sha256(data).hexdigest() != sha:
            # Changed since the build hashed it (or named by a stale hash): never judged, cached or published under
            # the hash the approval was checked with.
            result = {
                "ok": False,
                "error": "de pdf is tijdens de build gewijzigd: de inhoud is niet meer die waarvan de build de "
                "SHA-256 berekende en de goedkeuring controleerde.",
                "error_code": "pdf.gewijzigd",
            }
        elif len(data) > limits.pdf_bytes:
            result = _limit_result(limits, "pdf_bytes", len(data), "de pdf", "limiet.pdf_bytes")
        else:
            result = _precheck(data, limits, opened)
        if result is None:
            result, published = _inspect_bytes(data, opened[0] if opened else None)
            if published is not None:
                result["published_sha256"] = hashlib.sha256(published).hexdigest()
                result["published_size"] = len(published)
                cache.put_bytes("published", f"{sha}-v{code_version()}", ".pdf", published)
            result["sha256"] = sha
            cache.put_json("pdf", f"{sha}-v{code_version()}", result)
            cache.put_json(VERDICT_KIND, f"{sha}-v{code_version()}", verdict_of(result))
    except LimitReachedError:
        result = {
            "ok": False,
            "error": f"de pdf bevat een stroom die uitgepakt groter is dan de grens ({limits.setting('pdf_stream_bytes')}).",
            "error_code": "limiet.pdf_stroom",
        }
    except MemoryError:
        result = {"ok": False, "error": "de pdf vroeg bij het lezen te veel geheugen.", "error_code": "pdf.vastgelopen"}
    except RecursionError:
        result = {"ok": False, "error": "de pdf is te diep genest om te lezen.", "error_code": "pdf.onleesbaar"}
    except OSError as exc:
        from .safetext import describe_os_error

        result = {
            "ok": False,
            "error": describe_os_error(exc, "de pdf kon niet gelezen of in de cache bewaard worden"),
            "error_code": "pdf.onleesbaar",
        }
        if exc.errno in _SYSTEM_ERRNOS:  # a full disk is nobody's package's fault: the parent stops the run
            result["system_error"] = [exc.errno, exc.strerror or "", str(exc.filename or "")]
    except Exception as exc:  # noqa: BLE001 - one bad PDF never stops the others
        from .safetext import log_unexpected

        log_unexpected(Path(path).parent.name, exc, f"het lezen van {Path(path).name}")
        result = {"ok": False, "error": f"de pdf kan niet gelezen worden ({type(exc).__name__}).", "error_code": "pdf.onleesbaar"}
    result["sha256"] = sha
    result.pop("cacheable", None)
    return result


_SYSTEM_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


def _serve(conn, limits) -> None:
    """A worker: one job at a time from the parent until it sends None (or kills it past the time limit)."""
    import pypdf

    _die_with_parent()
    pypdf.overwrite_configuration(**_limit_config(limits))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(_work(job, limits))


class _Worker:
    def __init__(self, context, limits):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, limits), daemon=True)
        self.process.start()
        child.close()
        self.job = None
        self.started = 0.0

    def give(self, job) -> None:
        self.job, self.started = job, time.monotonic()
        self.conn.send(job)

    def stop(self, kill: bool = False) -> None:
        try:
            if kill:
                self.process.kill()
            else:
                self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def run_jobs(jobs: list[tuple], workers: int, limits, done) -> None:
    """Run every job in a worker process; ``done(job, result)`` as each finishes. A worker that passes
    the time limit or dies (memory, a crash in a library) is killed and replaced; its PDF is refused."""
    import multiprocessing
    from multiprocessing.connection import wait

    from .gate.core import run_gate  # noqa: F401 - imported once here, before the workers fork, not once in each of them
    from .signing import settle

    settle()  # no thread of the signature checks runs while the workers are forked (signing.Checks.settle)
    context = multiprocessing.get_context()
    waiting = list(reversed(jobs))
    pool: list[_Worker] = []
    try:
        while waiting or any(w.job for w in pool):
            for w in pool:
                if w.job is None and waiting:
                    w.give(waiting.pop())
            while waiting and len(pool) < workers:
                w = _Worker(context, limits)
                pool.append(w)
                w.give(waiting.pop())
            busy = [w for w in pool if w.job is not None]
            now = time.monotonic()
            timeout = max(0.0, min(w.started + limits.pdf_seconds for w in busy) - now)
            ready = wait([w.conn for w in busy], timeout=timeout)
            for w in busy:
                job = w.job
                if w.conn in ready:
                    try:
                        result = w.conn.recv()
                    except (EOFError, OSError):
                        result = {
                            "ok": False,
                            "error": "het lezen van de pdf is vastgelopen (het proces stopte onverwacht, "
                            "bijvoorbeeld door te weinig geheugen).",
                            "error_code": "pdf.vastgelopen",
                            "sha256": job[1],
                        }
                        w.stop(kill=True)
                        pool.remove(w)
                    else:
                        w.job = None
                    done(job, result)
                elif time.monotonic() - w.started >= limits.pdf_seconds:
                    w.stop(kill=True)
                    pool.remove(w)
                    done(
                        job,
                        {
                            "ok": False,
                            "error": "het lezen van de pdf duurde te lang; het is afgebroken na "
                            f"{dutch_number(limits.pdf_seconds)} seconden ({limits.setting('pdf_seconds')}).",
                            "error_code": "limiet.pdf_seconden",
                            "sha256": job[1],
                        },
                    )
    finally:
        for w in pool:
            w.stop(kill=w.job is not None)


def _sha256_or_none(path: Path) -> str | None:
    """SHA-256 of a file (from the build's memo of unchanged PDFs when there is one), None when it cannot be read."""
    try:
        return sha256_file(path)
    except OSError:
        return None


class PdfInspector:
    def __init__(self, cache: Cache, workers: int | None = None, limits=None, scheduler: str = ""):
        """``scheduler``: the address of a Dask scheduler (publish/cluster.py); empty runs local processes."""
        from .limits import DEFAULT_LIMITS

        self.scheduler = scheduler

        self.cache = cache
        self.workers = workers or max(1, os.cpu_count() or 1)
        self.limits = limits or DEFAULT_LIMITS
        self.parsed = 0  # how many PDFs were really parsed (not from cache)
        self.verdicts_read = 0  # cached results taken from their small verdict record
        self.verdicts_made = 0  # cached results read whole (texts too) to make their verdict record
        self._expected: dict[Path, str] = {}  # published copy -> its SHA-256 as recorded when it was made

    def expected_sha256(self, published_copy: Path) -> str:
        """The SHA-256 the published copy must have; the build copies it only when it matches."""
        return self._expected.get(Path(published_copy), "")

    def forget_expected(self) -> None:
        """Let go of the SHA-256 of every published copy (issue 19: a path and a hash per PDF of the archive): the
        build's views carry them from here on (``PublishedFile.expected_sha256``)."""
        self._expected = {}

    def published_copy(self, sha: str) -> Path:
        return self.cache.file_path("published", f"{sha}-v{code_version()}", ".pdf")

    def _usable(self, sha: str, cached: PdfResult) -> bool:
        """A cached result is used only with its published copy intact (its SHA-256 as recorded)."""
        if not cached.ok:
            return True
        return bool(cached.published_sha256) and _sha256_or_none(self.published_copy(sha)) == cached.published_sha256

    def _within_limits(self, result: PdfResult) -> PdfResult:
        """Limits the site may have lowered since a result was cached."""
        if result.ok and result.pages > self.limits.pdf_pages:
            data = _limit_result(self.limits, "pdf_pages", result.pages, "het aantal pagina's", "limiet.pdf_paginas")
            data.pop("cacheable")
            return PdfResult(sha256=result.sha256, **data)
        return result

    def _texts_on_disk(self, result: PdfResult) -> PdfResult:
        """Page texts stay in the cache entry they came from (or that the worker wrote) and are read
        back when a page or the search index needs them; only without such an entry are they kept."""
        if not result.ok or not isinstance(result.texts, list) or not result.texts:
            return result
        key = f"{result.sha256}-v{code_version()}"
        if not result.from_cache and not self.cache.has("pdf", key, ".json"):
            return result
        result.texts = CachedTexts(self.cache, key, len(result.texts), any(t.strip() for t in result.texts))  # type: ignore[assignment]
        return result

    def _cached(self, sha: str) -> PdfResult | None:
        """The cached result for this content: from the small verdict record (its texts left in the full entry,
        ``CachedTexts``), else from the full entry, from which the verdict record is then made for the next build."""
        key = f"{sha}-v{code_version()}"
        verdict = self.cache.get_json(VERDICT_KIND, key)
        full = None
        if not isinstance(verdict, dict) or verdict.get("sha256") != sha:
            full = self.cache.get_json("pdf", key)
            if not isinstance(full, dict) or full.get("sha256") != sha:
                return None
            verdict = verdict_of(full)
            try:
                self.cache.put_json(VERDICT_KIND, key, verdict)
            except OSError:  # a read-only or full cache: read the full entry again next time
                pass
            self.verdicts_made += 1
        else:
            self.verdicts_read += 1
        fields = dict(verdict)
        count, has_text = fields.pop("text_pages", None), fields.pop("has_text", None)
        if not isinstance(count, int) or not isinstance(has_text, bool) or count < 0:
            return None
        try:
            result = PdfResult(**fields, from_cache=True)
        except TypeError:  # an entry from another version of the result fields
            return None
        if count:
            result.texts = CachedTexts(self.cache, key, count, has_text)  # type: ignore[assignment]
        return result

    def inspect_all(self, paths: list[Path], progress=None) -> dict[Path, PdfResult]:
        """``progress(done, total)`` is called after every PDF, cached or parsed."""
        results: dict[Path, PdfResult] = {}
        total = len(paths)
        waiting: dict[str, list[Path]] = {}  # sha -> its paths to parse: identical files are parsed once

        def finish(path: Path, result: PdfResult) -> None:
            if result.ok and result.published_sha256:
                self._expected[self.published_copy(result.sha256)] = result.published_sha256
            results[path] = self._within_limits(self._texts_on_disk(result))
            if progress:
                progress(len(results), total)

        for path in paths:
            try:
                size = path.stat().st_size
                if size > self.limits.pdf_bytes:  # not even read
                    data = _limit_result(self.limits, "pdf_bytes", size, "de pdf", "limiet.pdf_bytes")
                    data.pop("cacheable")
                    finish(path, PdfResult(sha256="", **data))
                    continue
                sha = sha256_file(path)
            except OSError as exc:
                from .safetext import describe_os_error

                finish(
                    path,
                    PdfResult(
                        sha256="",
                        ok=False,
                        error=describe_os_error(exc, "de pdf kon niet gelezen worden"),
                        error_code="pdf.onleesbaar",
                    ),
                )
                continue
            cached = self._cached(sha)
            if cached is not None and self._usable(sha, cached):
                finish(path, cached)
                continue
            waiting.setdefault(sha, []).append(path)
        jobs = [(str(paths_[0]), sha, self.cache.spec()) for sha, paths_ in sorted(waiting.items())]

        def done(job, data: dict) -> None:
            if data.get("system_error"):
                number, text, filename = data["system_error"]
                raise OSError(number, text, filename or None)
            for path in waiting.pop(job[1]):
                finish(path, PdfResult(**data))

        if jobs and self.scheduler:
            from .cluster import run_jobs_dask

            run_jobs_dask(jobs, self.scheduler, self.limits, done)
        elif jobs:
            run_jobs(jobs, min(self.workers, len(jobs)), self.limits, done)
        self.parsed += len(jobs)
        return {path: results[path] for path in paths}
