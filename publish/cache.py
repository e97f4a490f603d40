"""Content-addressed cache: results keyed by a file's SHA-256 and the version of the code.

Deleting the cache directory is always safe; it only costs time.
"""

from __future__ import annotations

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
        path = self._path(kind, key, ".json")
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put_json(self, kind: str, key: str, value) -> None:
        self._write(self._path(kind, key, ".json"), json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"))

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
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
