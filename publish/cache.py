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
