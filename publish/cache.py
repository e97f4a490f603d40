"""Content-addressed cache: results keyed by a file's SHA-256 and the version of the code.

Deleting the cache directory is always safe; it only costs time. Every entry carries its own
SHA-256 (JSON entries inside, files through the key of their caller), so a damaged entry is noticed,
recomputed and never published. Files are written read-only; the site gets copies, never links.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

DEFAULT_CACHE = Path(".cache") / "woo-publish"


def cache_dir(option: str | os.PathLike | None) -> Path:
    return Path(option or os.environ.get("WOO_PUBLISH_CACHE") or DEFAULT_CACHE)


class Cache:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, kind: str, key: str, suffix: str) -> Path:
        return self.root / kind / key[:2] / f"{key}{suffix}"

    def get_json(self, kind: str, key: str):
        """The stored value, or None when absent or damaged (its checksum does not match)."""
        path = self._path(kind, key, ".json")
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            body = json.dumps(entry["value"], ensure_ascii=False, sort_keys=True).encode("utf-8")
            if hashlib.sha256(body).hexdigest() != entry["sha256"]:
                return None
            return entry["value"]
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None

    def put_json(self, kind: str, key: str, value) -> None:
        body = json.dumps(value, ensure_ascii=False, sort_keys=True)
        entry = {"sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(), "value": json.loads(body)}
        self._write(self._path(kind, key, ".json"), json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def file_path(self, kind: str, key: str, suffix: str) -> Path:
        return self._path(kind, key, suffix)

    def put_bytes(self, kind: str, key: str, suffix: str, data: bytes) -> Path:
        path = self._path(kind, key, suffix)
        self._write(path, data)
        return path

    def put_blob(self, kind: str, key: str, data: bytes, meta: dict | None = None) -> None:
        """Bytes with a small JSON header that carries their SHA-256 (issue 19: rendered pages, downloads)."""
        head = json.dumps({"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "meta": meta or {}}, sort_keys=True)
        self._write(self._path(kind, key, ".blob"), head.encode("utf-8") + b"\n" + data)

    def get_blob(self, kind: str, key: str) -> tuple[dict, bytes] | None:
        """(meta, bytes) as stored, or None when absent or damaged (truncated, changed: its checksum does not match)."""
        try:
            raw = self._path(kind, key, ".blob").read_bytes()
            head, _, data = raw.partition(b"\n")
            entry = json.loads(head)
            if len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
                return None
            meta = entry["meta"]
            return (meta if isinstance(meta, dict) else {}), data
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None

    def prune(self, kind: str, keep: set[str]) -> int:
        """Remove the entries of ``kind`` whose key is not in ``keep`` (those no build used last time)."""
        removed = 0
        folder = self.root / kind
        if not folder.is_dir():
            return 0
        for sub in os.scandir(folder):
            if not sub.is_dir(follow_symlinks=False):
                continue
            for entry in os.scandir(sub.path):
                if entry.name.split(".", 1)[0] not in keep:
                    try:
                        os.unlink(entry.path)
                        removed += 1
                    except OSError:
                        pass
        return removed

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        """Write through a temporary file so a killed run never leaves half a cache entry."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o444)  # entries are never changed in place, only replaced whole
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a file, None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()
