"""PDF inspection with pypdf: open, refuse encryption, count pages, extract text per page, and
write the published copy (``gate/copy.py``: one linearised revision, no document metadata).

Results are cached by content hash, so an unchanged PDF is never parsed twice, and the work runs
in parallel over the available cores.
"""

from __future__ import annotations

import io
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pypdf.generic import ArrayObject, ContentStream, NameObject, StreamObject

from .approval import sha256_file
from .cache import Cache

def _code_version() -> str:
    """Cache entries are keyed by the code that made them: this module, the gate, pypdf and pikepdf
    (qpdf writes the published copy)."""
    import hashlib

    import pikepdf
    import pypdf

    digest = hashlib.sha256(pypdf.__version__.encode())
    digest.update(pikepdf.__version__.encode() + pikepdf.__libqpdf_version__.encode())
    here = Path(__file__).resolve().parent
    for source in [here / "pdfs.py", *sorted((here / "gate").glob("*.py"))]:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


PDF_CODE_VERSION = _code_version()


@dataclass
class PdfResult:
    sha256: str
    ok: bool
    pages: int = 0
    texts: list[str] = field(default_factory=list)
    error: str = ""  # Dutch explanation when not ok
    error_code: str = ""
    published_size: int = 0
    findings: list[dict] = field(default_factory=list)  # from the redaction gate
    from_cache: bool = False

    def to_json(self) -> dict:
        data = dict(self.__dict__)
        data.pop("from_cache")
        return data

    @property
    def has_text(self) -> bool:
        return any(t.strip() for t in self.texts)


def _inspect_bytes(data: bytes) -> tuple[dict, bytes | None]:
    """Parse one PDF. Returns the result fields and the bytes of the published copy."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return {"ok": False, "error": "de pdf is versleuteld of met een wachtwoord beveiligd.",
                    "error_code": "pdf.versleuteld"}, None
        pages = len(reader.pages)
        if pages == 0:
            return {"ok": False, "error": "de pdf heeft geen pagina's.", "error_code": "pdf.leeg"}, None
        from .gate import run_gate
        from .gate.scene import interpret

        with _parsed_once(reader):
            texts = [_page_text(page) for page in reader.pages]
            scenes = [interpret(page) for page in reader.pages]
        findings, published = run_gate(reader, data, texts, scenes)
        return {"ok": True, "pages": pages, "texts": texts, "findings": findings}, published
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, AssertionError, OSError, ZeroDivisionError) as exc:
        return {"ok": False, "error": f"de pdf kan niet gelezen worden ({type(exc).__name__}).",
                "error_code": "pdf.onleesbaar"}, None


@contextmanager
def _parsed_once(reader):
    """Each page's content stream parsed once, for both text extraction and the gate.

    Parsing is most of the work. The parsed stream stands in for ``/Contents`` in memory only while
    text and drawing are read; the original reference is put back before the published copy is
    written, so the published content is never re-serialised from parsed operators.
    """
    saved = []
    for page in reader.pages:
        original = dict.get(page, NameObject("/Contents"))
        if original is None:
            continue
        try:
            resolved = original.get_object()
            if not isinstance(resolved, (ArrayObject, StreamObject)):
                continue
            # "bytes": strings stay undecoded, exactly as pypdf's own text extraction parses them.
            parsed = ContentStream(resolved, reader, "bytes")
            parsed.operations  # noqa: B018 - parse now; a damaged stream is left to the readers below
        except Exception:  # noqa: BLE001 - text extraction and the gate report it themselves
            continue
        saved.append((page, original))
        page[NameObject("/Contents")] = parsed
    try:
        yield
    finally:
        for page, original in saved:
            page[NameObject("/Contents")] = original


def _page_text(page) -> str:
    try:
        return page.extract_text() or ""
    except Exception:  # one damaged page must not lose the text of the others
        return ""


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


def _work(args: tuple[str, str, str]) -> dict:
    path, sha, cache_root = args
    cache = Cache(Path(cache_root))
    data = Path(path).read_bytes()
    result, published = _inspect_bytes(data)
    result["sha256"] = sha
    if published is not None:
        cache.put_bytes("published", f"{sha}-v{PDF_CODE_VERSION}", ".pdf", published)
        result["published_size"] = len(published)
    cache.put_json("pdf", f"{sha}-v{PDF_CODE_VERSION}", result)
    return result


class PdfInspector:
    def __init__(self, cache: Cache, workers: int | None = None):
        self.cache = cache
        self.workers = workers or max(1, os.cpu_count() or 1)
        self.parsed = 0  # how many PDFs were really parsed (not from cache)

    def published_copy(self, sha: str) -> Path:
        return self.cache.file_path("published", f"{sha}-v{PDF_CODE_VERSION}", ".pdf")

    def inspect_all(self, paths: list[Path], progress=None) -> dict[Path, PdfResult]:
        """``progress(done, total)`` is called after every PDF, cached or parsed."""
        results: dict[Path, PdfResult] = {}
        total = len(paths)
        waiting: dict[str, list[Path]] = {}  # sha -> its paths to parse: identical files are parsed once
        hashes = {p: sha256_file(p) for p in paths}
        for path, sha in hashes.items():
            cached = self.cache.get_json("pdf", f"{sha}-v{PDF_CODE_VERSION}")
            if cached is not None and (not cached.get("ok") or self.published_copy(sha).is_file()):
                results[path] = PdfResult(**cached, from_cache=True)
                if progress:
                    progress(len(results), total)
            else:
                waiting.setdefault(sha, []).append(path)
        jobs = [(str(paths_[0]), sha, str(self.cache.root)) for sha, paths_ in sorted(waiting.items())]

        def done(sha: str, data: dict) -> None:
            for path in waiting.pop(sha):
                results[path] = PdfResult(**data)
                if progress:
                    progress(len(results), total)

        if len(jobs) > 1 and self.workers > 1:
            with ProcessPoolExecutor(max_workers=self.workers, initializer=_die_with_parent) as pool:
                for job, data in zip(jobs, pool.map(_work, jobs, chunksize=4)):
                    done(job[1], data)
        else:
            for job in jobs:
                done(job[1], _work(job))
        self.parsed += len(jobs)
        return {path: results[path] for path in paths}
