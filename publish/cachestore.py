"""Where the build cache keeps its entries, and the key that signs them.

**Signing.** A cache entry's own SHA-256 protects against damage, not against someone who can write the
cache: a hand-made "clean" verdict for a leaking PDF, a published copy, a page with script or a file hash
would be published. So every entry that can influence the site carries an HMAC-SHA256 (``mac``) under a
key that does not live in the cache, over the entry's kind, key and content (an entry moved to another key
does not verify either). An entry whose MAC does not verify is treated as absent: it is made again, counted
(``COUNTERS["refused"]``) and reported once in the build report; it never stops the build.

The key (32 random bytes, as 64 hexadecimal characters) is read from, in this order:

1. ``--cache-sleutel FILE`` of the build;
2. ``$WOO_CACHE_KEY_FILE``;
3. the default: ``cachesleutel`` in the build user's configuration folder, ``$XDG_CONFIG_HOME/woo-publicatie/``
   (else ``~/.config/woo-publicatie/``): outside every cache and the folder that holds it, so a cache that is
   shared, or saved and restored by CI (``.cache/``), never carries its own key (attack round 6, row 2).
   Only this default is created when it is missing (once, permissions 0600, its folder 0700); a named key file
   that is missing, or any key file that cannot be read or holds no valid key, stops the build with a Dutch
   message before any work (an operator who names a key expects that key: a new one would silently
   make every worker disagree). See docs/beheer.md.

Until this change the default was ``woo-cachesleutel`` beside the cache folder (``.cache/woo-cachesleutel``). Such a
file is never read by default any more (a restored CI cache would bring the attacker's key along): the build makes
the new default key, the signed cache misses once and is made again, and the report says so (``cache.oude_sleutel``,
with ``cache.nieuwe_sleutel``). Whoever really wants that file names it with ``--cache-sleutel``.

**Storage.** ``Cache`` (publish/cache.py) reads and writes bytes by name through a small store:
``DirStore`` (a folder: the default, or a folder shared by the Dask workers) or ``S3Store`` (the
organisation's own S3-compatible object storage, ``--cache s3://bucket/prefix`` with the endpoint from
``--cache-endpoint`` or ``$WOO_CACHE_S3_ENDPOINT``; there is no default endpoint, nothing public is
ever contacted). With S3 the local cache folder still holds what belongs to this machine (the file-hash
memo, the live-site record) and copies of the files read by path (published PDF copies, search shards),
each checked by the SHA-256 named in a signed entry whenever it is used.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

KEY_ENV = "WOO_CACHE_KEY_FILE"
ENDPOINT_ENV = "WOO_CACHE_S3_ENDPOINT"
KEY_BYTES = 32
MAX_KEY_FILE = 4096
_LABEL = b"woo-publicatie cache 1"

# This process's count of cache entries refused because their MAC did not verify (issue: signed caches),
# and of entries read from / written to a remote store.
COUNTERS = {"refused": 0, "remote_read": 0, "remote_written": 0}


class CacheKeyError(Exception):
    """The cache key cannot be used; the message is Dutch and says what to do (never the key itself)."""


class CacheEntryGone(OSError):
    """A cache entry a build relied on turned out gone, damaged or not signed while it ran (errno EIO, so it is
    nobody's package's fault); the build stops and the next one makes the entry again."""


# --- the key -------------------------------------------------------------------------------------------------------
CONFIG_FOLDER = "woo-publicatie"
KEY_NAME = "cachesleutel"
OLD_KEY_NAME = "woo-cachesleutel"  # the default until attack round 6 (row 2): beside the cache folder


def config_home() -> Path:
    """The build user's configuration folder: ``$XDG_CONFIG_HOME`` when it is an absolute path (the XDG Base
    Directory rule), else ``~/.config``. CacheKeyError (Dutch) when there is no home folder to put it in."""
    xdg = os.environ.get("XDG_CONFIG_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg)
    home = os.path.expanduser("~")
    if not home or not os.path.isabs(home) or home == "/":
        raise CacheKeyError(
            "er is geen persoonlijke map (HOME) voor de standaardsleutel van de cache. Geef met --cache-sleutel "
            f"(of {KEY_ENV}) een sleutelbestand buiten de cache, of zet XDG_CONFIG_HOME."
        )
    return Path(home) / ".config"


def default_key_file() -> Path:
    """``woo-publicatie/cachesleutel`` in the build user's configuration folder (``config_home``): never in or beside a
    cache folder, so whoever can write (or restore) the cache does not find the key there. One key for every cache
    of this user."""
    return config_home() / CONFIG_FOLDER / KEY_NAME


def old_key_file(root: str | os.PathLike) -> Path:
    """Where the default key was until attack round 6 (row 2): ``woo-cachesleutel`` beside the cache folder."""
    return Path(os.path.abspath(root)).parent / OLD_KEY_NAME


def _safe(value) -> str:
    from .safetext import safe

    return safe(str(value), 200)


def _parse(data: bytes, path: Path) -> bytes:
    text = data.decode("ascii", "replace").strip()
    if not re.fullmatch(r"[0-9a-fA-F]{64,256}", text) or len(text) % 2:
        raise CacheKeyError(
            f"het sleutelbestand van de cache ({_safe(path)}) bevat geen geldige sleutel (64 of meer hexadecimale tekens). "
            "Verwijder het bestand als het de standaardsleutel is (woo-publicatie/cachesleutel in de map met instellingen "
            "van de gebruiker; er wordt dan een nieuwe gemaakt en de cache opnieuw opgebouwd), of zet de juiste sleutel terug."
        )
    return bytes.fromhex(text)


def read_key(path: Path) -> bytes:
    """The key in ``path``; CacheKeyError (Dutch) when it is missing, unreadable or not a key."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise CacheKeyError(
            f"het sleutelbestand van de cache ({_safe(path)}) bestaat niet. Zet het bestand terug (het staat "
            f"bij --cache-sleutel of {KEY_ENV}), of laat de instelling weg om de standaardsleutel van de gebruiker te "
            "gebruiken (~/.config/woo-publicatie/cachesleutel; de cache wordt dan opnieuw opgebouwd)."
        ) from None
    except OSError as exc:
        raise CacheKeyError(
            f"het sleutelbestand van de cache ({_safe(path)}) kan niet gelezen worden ({_safe(exc.strerror or type(exc).__name__)}). "
            "Herstel de rechten (alleen de gebruiker die bouwt mag het lezen: chmod 600) of geef met --cache-sleutel een ander bestand."
        ) from None
    try:
        import stat

        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise CacheKeyError(
                f"het sleutelbestand van de cache ({_safe(path)}) is geen gewoon bestand. Geef met --cache-sleutel een bestand."
            )
        data = os.read(fd, MAX_KEY_FILE + 1)
    except OSError as exc:
        raise CacheKeyError(
            f"het sleutelbestand van de cache ({_safe(path)}) kan niet gelezen worden ({_safe(exc.strerror or type(exc).__name__)}). "
            "Herstel de rechten (chmod 600) of geef met --cache-sleutel een ander bestand."
        ) from None
    finally:
        os.close(fd)
    if len(data) > MAX_KEY_FILE:
        raise CacheKeyError(f"het sleutelbestand van de cache ({_safe(path)}) is te groot voor een sleutel.")
    key = _parse(data, path)
    # Attack round 6, row 3: a key another user planted or can read signs forgeries (as ssh does with private keys).
    if hasattr(os, "geteuid") and (st.st_uid != os.geteuid() or st.st_mode & 0o077):
        raise CacheKeyError(
            f"het sleutelbestand van de cache ({_safe(path)}) is niet alleen van de gebruiker die bouwt: het is van een "
            "andere gebruiker of anderen mogen het lezen of wijzigen. Wie de sleutel kent, kan de cache vervalsen. "
            "Maak het bestand van de bouwgebruiker en zet de rechten op chmod 600, of geef met --cache-sleutel een ander bestand."
        )
    return key


def create_key(path: Path) -> bytes:
    """A new key in ``path`` (mode 0600, never over an existing file: then that one is read; a folder made for it
    gets mode 0700)."""
    path = Path(path)
    key = secrets.token_bytes(KEY_BYTES)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        return read_key(path)  # made by another build at the same moment
    except OSError as exc:
        raise CacheKeyError(
            f"de sleutel van de cache kon niet gemaakt worden in {_safe(path)} ({_safe(exc.strerror or type(exc).__name__)}). "
            "Geef met --cache-sleutel een bestaand sleutelbestand, of herstel de rechten van die map."
        ) from None
    try:
        os.write(fd, key.hex().encode("ascii") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return key


@dataclass(frozen=True)
class KeyChoice:
    path: Path
    named: bool  # given by option or environment (never created)
    old: Path | None = None  # a key file at the old default place beside the cache: not used, reported (row 2)


def _outside_cache(path: Path, root: str | os.PathLike) -> None:
    cache = os.path.abspath(root)
    if os.path.commonpath([str(path), cache]) == cache:
        raise CacheKeyError(
            f"het sleutelbestand van de cache ({_safe(path)}) staat in de cachemap zelf: wie de cache kan wijzigen, "
            "kent dan ook de sleutel. Zet het bestand buiten de cachemap en geef dat pad met --cache-sleutel."
        )


def key_choice(root: str | os.PathLike, option: str | os.PathLike | None = None) -> KeyChoice:
    named = option or os.environ.get(KEY_ENV)
    if named:
        path = Path(os.path.abspath(named))
        _outside_cache(path, root)
        return KeyChoice(path, True)
    path = Path(os.path.abspath(default_key_file()))
    _outside_cache(path, root)  # XDG_CONFIG_HOME pointing into the cache
    old = old_key_file(root)
    return KeyChoice(path, False, old if os.path.lexists(old) and old != path else None)


def load_key(choice: KeyChoice) -> tuple[bytes, bool]:
    """(key, whether it was created now). Only the default key file is created when missing."""
    if not choice.named and not os.path.lexists(choice.path):
        return create_key(choice.path), True
    return read_key(choice.path), False


def key_identity(key: bytes) -> str:
    """A short value that tells whether two machines have the same key, without revealing it."""
    return hmac.new(key, _LABEL + b" identiteit", hashlib.sha256).hexdigest()[:16]


def mac(key: bytes, *parts: bytes) -> str:
    """HMAC-SHA256 under ``key`` over ``parts``, each length-prefixed (no two lists of parts give the same text)."""
    h = hmac.new(key, _LABEL, hashlib.sha256)
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def verify(key: bytes, expected: object, *parts: bytes) -> bool:
    return isinstance(expected, str) and hmac.compare_digest(
        expected.encode("ascii", "replace"), mac(key, *parts).encode("ascii")
    )


# --- where entries are kept ----------------------------------------------------------------------------------------
class DirStore:
    """Entries as files under a folder (the default; also a folder shared by the Dask workers)."""

    remote = ""

    def __init__(self, root: Path):
        self.root = Path(root)

    def local_path(self, name: str) -> Path:
        return self.root / name

    def get(self, name: str) -> bytes | None:
        return read_entry(self.root, name)

    def exists(self, name: str) -> bool:
        return _entry_mode(self.root, name) is not None

    def put(self, name: str, data: bytes) -> Path:
        path = self.root / name
        write_file(path, data, self.root)
        return path

    def names(self, folder: str) -> Iterator[str]:
        """Every entry below ``folder`` (``kind/xx/name``), as names relative to the store (never through a link)."""
        base = self.root / folder
        if os.path.islink(base) or not base.is_dir():
            return
        for sub in os.scandir(base):
            if not sub.is_dir(follow_symlinks=False):
                continue
            for entry in os.scandir(sub.path):
                yield f"{folder}/{sub.name}/{entry.name}"

    def delete(self, name: str) -> bool:
        parts = _parts(name)
        try:
            fd = _open_folders(self.root, parts[:-1], create=False)
        except OSError:
            return False
        try:
            os.unlink(parts[-1], dir_fd=fd)
            return True
        except OSError:
            return False
        finally:
            os.close(fd)


# --- never through a link (attack round 10, B11) -------------------------------------------------------------------
# Whoever can write the cache folder (no key needed) could replace ``<cache>/pdf`` by a link to a package folder or a
# web root: entries, with the page text of embargoed packages, would be written there. Below the cache folder no link
# is ever followed: every folder is opened with O_NOFOLLOW relative to the one above it, files are made and replaced
# in that folder (``dir_fd``), and an entry is read only when it is a regular file (a FIFO would block the build). The
# cache folder itself may be a link (the operator's choice). ``remove_links`` takes links out when the cache is opened.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _parts(name: str) -> list[str]:
    parts = [p for p in name.replace(os.sep, "/").split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        raise OSError(errno.EINVAL, "geen naam van een cache-item")
    return parts


def _open_folders(root: Path, parts: list[str], create: bool) -> int:
    """A descriptor of ``root/parts...``; a link at any step below ``root`` is an OSError (ELOOP/ENOTDIR)."""
    if create:
        os.makedirs(root, exist_ok=True)
    fd = os.open(root, os.O_RDONLY | _DIRECTORY)
    try:
        for part in parts:
            if create:
                try:
                    os.mkdir(part, 0o777, dir_fd=fd)
                except FileExistsError:
                    pass
            below = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = below
    except BaseException:
        os.close(fd)
        raise
    return fd


def _parent_of(root: Path, name: str) -> tuple[int, str] | None:
    """The folder of entry ``root/name`` opened without following links (a descriptor the caller closes) and the
    entry's own name; None when a folder on the way is absent or a link."""
    try:
        parts = _parts(name)
        return _open_folders(root, parts[:-1], create=False), parts[-1]
    except OSError:
        return None


def _entry_mode(root: Path, name: str) -> int | None:
    """The mode of a regular file at ``root/name`` reached without links; None otherwise."""
    import stat

    opened = _parent_of(root, name)
    if opened is None:
        return None
    fd, leaf = opened
    try:
        st = os.stat(leaf, dir_fd=fd, follow_symlinks=False)
    except OSError:
        return None
    finally:
        os.close(fd)
    return st.st_mode if stat.S_ISREG(st.st_mode) else None


def read_entry(root: Path, name: str) -> bytes | None:
    """The bytes of the entry ``root/name``; None when it is absent, reached through a link, or no regular file."""
    import stat

    opened = _parent_of(root, name)
    if opened is None:
        return None
    folder, leaf = opened
    try:
        fd = os.open(leaf, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0), dir_fd=folder)
    except OSError:
        return None
    finally:
        os.close(folder)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def write_file(path: Path, data: bytes, root: Path | None = None) -> None:
    """Write through a temporary file so a killed run never leaves half a cache entry. ``root``: the cache folder
    ``path`` lies in: no link below it is followed (OSError when one is in the way)."""
    path = Path(path)
    root = Path(root) if root is not None else path.parent
    rel = os.path.relpath(path, root)
    parts = _parts(rel.replace(os.sep, "/"))
    folder = _open_folders(root, parts[:-1], create=True)
    tmp = f".tmp-{secrets.token_hex(8)}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600, dir_fd=folder)
        try:
            with os.fdopen(fd, "wb", closefd=False) as handle:
                handle.write(data)
            os.fchmod(fd, 0o444)  # entries are never changed in place, only replaced whole
        finally:
            os.close(fd)
        os.replace(tmp, parts[-1], src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        try:
            os.unlink(tmp, dir_fd=folder)
        except OSError:
            pass
        raise
    finally:
        os.close(folder)


def remove_links(root: Path) -> list[str]:
    """Take every link out of the cache folder and the folders directly in it (the kinds of entries, the memo's and the
    site's stores), never what it points to: the build never makes a link there, so one is someone else's doing
    (attack round 10, B11). The cache is only a cache: the build goes on with it, and what the link held is made
    again. Returns the names removed (for the build report)."""
    removed: list[str] = []
    try:
        top = list(os.scandir(root))
    except OSError:
        return removed
    for entry in sorted(top, key=lambda e: e.name):
        if entry.is_symlink():
            _unlink_link(Path(entry.path), entry.name, removed)
        elif entry.is_dir(follow_symlinks=False):
            try:
                inner = list(os.scandir(entry.path))
            except OSError:
                continue
            for sub in sorted(inner, key=lambda e: e.name):
                if sub.is_symlink():
                    _unlink_link(Path(sub.path), f"{entry.name}/{sub.name}", removed)
    return removed


def _unlink_link(path: Path, name: str, removed: list[str]) -> None:
    try:
        os.unlink(path)  # removes the link itself
        removed.append(name)
    except OSError:
        removed.append(name + " (kon niet verwijderd worden)")


# An entry's name as the cache makes it: ``kind/xx/key[.suffix]``, three plain segments. An object in a shared
# bucket is named by whoever can write the bucket: a name such as ``pagina/../../x`` must never become a local path.
_ENTRY_NAME = re.compile(r"[A-Za-z0-9_\-]{1,64}/[A-Za-z0-9_\-]{1,16}/[A-Za-z0-9_\-][A-Za-z0-9._\-]{0,200}")


def is_entry_name(name: str) -> bool:
    return bool(_ENTRY_NAME.fullmatch(name)) and ".." not in name


S3_URL = re.compile(r"s3://([a-z0-9][a-z0-9.\-]{1,61}[a-z0-9])(/[A-Za-z0-9._\-/]{0,500})?")
ENDPOINT_URL = re.compile(r"https?://[A-Za-z0-9.\-]+(:\d{1,5})?/?|https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?/?")


def is_remote(option: str | os.PathLike | None) -> bool:
    return isinstance(option, str) and option.startswith("s3://")


def s3_missing() -> str:
    try:
        import boto3  # noqa: F401
    except ImportError:
        return (
            "de cache in S3-opslag (--cache s3://...) vraagt boto3, dat niet geïnstalleerd is. Installeer het met "
            "'pip install \"woo-publicatie[cluster]\"', of gebruik een cachemap."
        )
    return ""


def check_remote(url: str, endpoint: str) -> str:
    """Empty when ``url`` and ``endpoint`` can be used, else a Dutch explanation."""
    if not S3_URL.fullmatch(url) or "/../" in url + "/" or "//" in url[5:]:
        return (
            f"'{_safe(url)}' is geen geldige S3-cache. Schrijf --cache s3://emmer/voorvoegsel (kleine letters, cijfers, "
            "punten en streepjes in de naam van de emmer)."
        )
    if not endpoint:
        return (
            "voor een cache in S3-opslag is het adres van de eigen opslag nodig: geef --cache-endpoint "
            f"https://opslag.example.nl of zet {ENDPOINT_ENV}. Er is bewust geen standaardadres."
        )
    if not ENDPOINT_URL.fullmatch(endpoint):
        return f"'{_safe(endpoint)}' is geen adres van S3-opslag; schrijf bijvoorbeeld https://opslag.example.nl:9000."
    return s3_missing()


class S3Store:
    """Entries as objects in the organisation's own S3-compatible storage (boto3). Credentials come from
    boto3's usual places (environment, ~/.aws), the endpoint from the build; nothing else is contacted.
    Files read by path (``local_path``) are copied into the local cache folder on first use."""

    def __init__(self, url: str, endpoint: str, mirror: Path):
        problem = check_remote(url, endpoint)
        if problem:
            raise CacheKeyError(problem)
        import boto3
        from botocore.config import Config

        match = S3_URL.fullmatch(url)
        assert match is not None
        self.remote = url
        self.endpoint = endpoint
        self.bucket = match.group(1)
        self.prefix = (match.group(2) or "").strip("/")
        self.mirror = Path(mirror)
        config = Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=10, read_timeout=60)
        self.client = boto3.session.Session().client("s3", endpoint_url=endpoint, config=config)

    def _key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def _local(self, name: str) -> Path:
        """The mirror's copy of an entry; a name that is no entry name never becomes a path (OSError)."""
        if not is_entry_name(name):
            raise OSError(errno.EINVAL, "geen naam van een cache-item")
        return self.mirror / name

    def _error(self, exc: Exception, what: str) -> OSError:
        return OSError(errno.EIO, f"de S3-cache ({_safe(self.remote)}) {what} ({type(exc).__name__})")

    def get(self, name: str) -> bytes | None:
        """The local copy when there is one (read again and again, e.g. a PDF's page texts), else the object,
        copied here. Either is checked by the caller (checksum and MAC) as any entry."""
        if is_entry_name(name):
            local = read_entry(self.mirror, name)
            if local is not None:
                return local
        return self._fetch(name) if is_entry_name(name) else None

    def _fetch(self, name: str) -> bytes | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(name))["Body"].read()
        except (ClientError, BotoCoreError, OSError, ValueError):
            return None  # absent or unreachable: made again (and written back when the store takes it)
        COUNTERS["remote_read"] += 1
        try:
            write_file(self._local(name), body, self.mirror)
        except OSError:
            pass
        return body

    def exists(self, name: str) -> bool:
        from botocore.exceptions import BotoCoreError, ClientError

        if not is_entry_name(name):
            return False
        if self._local(name).is_file():
            return True
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(name))
            return True
        except (ClientError, BotoCoreError, OSError, ValueError):
            return False

    def put(self, name: str, data: bytes) -> Path:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(name), Body=data)
        except (ClientError, BotoCoreError, ValueError) as exc:
            raise self._error(exc, "kon het item niet bewaren") from None
        COUNTERS["remote_written"] += 1
        path = self._local(name)
        try:
            write_file(path, data, self.mirror)
        except OSError:
            pass
        return path

    def local_path(self, name: str) -> Path:
        """A local copy of the entry (fetched when missing; the caller checks its SHA-256 as for a local cache)."""
        path = self._local(name)
        if not path.is_file():
            self._fetch(name)
        return path

    def names(self, folder: str) -> Iterator[str]:
        from botocore.exceptions import BotoCoreError, ClientError

        start = self._key(folder) + "/"
        cut = len(self._key("")) if self.prefix else 0
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start)
            for page in pages:
                for item in page.get("Contents", []):
                    name = item["Key"][cut:]
                    if is_entry_name(name):  # anything else in the bucket is not ours to delete, nor a local path
                        yield name
        except (ClientError, BotoCoreError) as exc:
            raise self._error(exc, "kon niet opgeruimd worden") from None

    def delete(self, name: str) -> bool:
        from botocore.exceptions import BotoCoreError, ClientError

        if not is_entry_name(name):
            return False
        try:
            self._local(name).unlink(missing_ok=True)
        except OSError:
            pass
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._key(name))
            return True
        except (ClientError, BotoCoreError):
            return False


@dataclass(frozen=True)
class CacheSpec:
    """How another process (a local worker, a Dask worker) opens the same cache: no key in it, only where
    the key file is; a Dask worker that has no file there reads $WOO_CACHE_KEY_FILE on its own disk."""

    root: str
    remote: str = ""
    endpoint: str = ""
    key_file: str = ""


def worker_key_file(spec: CacheSpec) -> str:
    """The key file a worker reads: the build's path when this machine has that file, else $WOO_CACHE_KEY_FILE."""
    if spec.key_file and os.path.isfile(spec.key_file):
        return spec.key_file
    return os.environ.get(KEY_ENV) or spec.key_file


def worker_key_identity(spec: CacheSpec) -> str:
    """Run on every Dask worker before work is sent: the identity of its key ("" when it has none), never the key."""
    named = worker_key_file(spec)
    try:
        return key_identity(read_key(Path(named))) if named else ""
    except CacheKeyError:
        return ""
