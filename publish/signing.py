"""SSH signatures on approvals and change-history entries (``ssh-keygen -Y sign`` / ``-Y verify``).

Who may sign is decided by an allowed-signers file (OpenSSH format, ``principal key``), named in
mkdocs.yml under ``extra.woo.ondertekenaars``. A signature covers a canonical JSON text (sorted keys,
UTF-8) of what is approved; the signer's principal is stored beside it and checked on verification.
Nothing here reaches the published site.

Every signature is verified on every build: a verdict is never remembered (attack round 6, row 2b). A remembered
"this signature holds" would be named by public values only (text, signature, principal, allowed signers), so
whoever can sign build-cache entries (the cache key) could approve a changed package with a made-up signature. An
approval must rest on the approver's SSH key, nothing else. One ssh-keygen run costs a few milliseconds per
signature, an in-process check (below) a fraction of one (see benchmarks/README.md).

Within one build the checks run side by side (issue 19, ``concurrent``): the build names every signature it is about
to check (``Checks.submit``), a small pool of threads makes one check each, and ``verify`` takes the outcome of
exactly its own request (same text, signature, principal, signers file and namespace) once; anything not asked for
beforehand, or asked for twice, is checked there and then. The outcomes live in this process's memory for the rest
of that one build only.

Issue 19 (sig19): the common case is verified in this process, and ``ssh-keygen -Y verify`` stays the authority for
everything else (``_in_process``). The in-process check may only *accept*; it never refuses. It accepts only where
ssh-keygen's rules (OpenSSH sshsig.c, PROTOCOL.sshsig) are simple and fully reproduced: an Ed25519 signature in
exactly the form ``ssh-keygen -Y sign`` writes (armour, SSHSIG magic, version 1, empty reserved field, sha256 or
sha512, no trailing data), the namespace asked for, an allowed-signers file whose first line that names the
principal exactly (no patterns) and holds the signing key has no options, with no line before it that the check cannot
read exactly as ssh-keygen does (it gives up there, whatever ssh-keygen would make of it), and the Ed25519 signature
(``cryptography``) holding over the SSHSIG signed data. Anything else, or anything unexpected, goes to ssh-keygen exactly as before: a signature
ssh-keygen accepts is never refused, and one it refuses is never accepted. The allowed-signers file is read for
every check and parsed again only when its bytes differ (``_SignersFiles``); nothing of it is kept across builds.
ssh-keygen must be installed all the same (``verify`` asks for it first): a build never depends on which path a
check takes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

NAMESPACE = "woo-publicatie"
KEY_ENV = "WOO_PUBLISH_SLEUTEL"
_PRINCIPAL = re.compile(r"[^\s,\"*?!]{1,200}")
_GOOD = re.compile(r'^Good "[^"]*" signature for (.+) with (\S+) key (SHA256:\S+)\s*$', re.M)
MISSING_SSH = (
    "het programma 'ssh-keygen' (OpenSSH) is niet gevonden; het is nodig om goedkeuringen te ondertekenen en te controleren."
)
MISSING_SSH_FIX = (
    "Installeer OpenSSH: op Debian/Ubuntu 'sudo apt install openssh-client', op Windows via "
    "Instellingen > Apps > Optionele onderdelen > OpenSSH-client, op macOS is het al aanwezig."
)


# How many signatures this process verified (issue 19; every one, every build: see above), and how many of those
# ssh-keygen decided (sig19: those the in-process check was not certain of; the others it accepted).
COUNTERS = {"verified": 0, "ssh_keygen": 0}


class SigningError(Exception):
    """A Dutch explanation of why signing or verifying could not be done."""


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def ssh_keygen() -> str:
    found = shutil.which("ssh-keygen")
    if not found:
        raise SigningError(MISSING_SSH + " " + MISSING_SSH_FIX)
    return found


def default_key() -> Path | None:
    """$WOO_PUBLISH_SLEUTEL, else the usual ~/.ssh/id_ed25519 when it exists."""
    env = os.environ.get(KEY_ENV)
    if env:
        return Path(env)
    home = Path.home() / ".ssh" / "id_ed25519"
    return home if home.is_file() else None


def private_copy(key: Path, directory: Path) -> Path:
    """A copy of ``key`` readable only by its owner: ssh-keygen refuses keys others can read, and git
    does not keep file permissions (the committed demonstration key)."""
    target = Path(directory) / Path(key).name
    shutil.copyfile(key, target)
    os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
    if Path(str(key) + ".pub").is_file():
        shutil.copyfile(str(key) + ".pub", str(target) + ".pub")
    return target


def _usable_private_key(key: Path) -> Path:
    key = Path(key)
    if key.is_dir():
        raise SigningError(f"de sleutel '{key}' is een map, geen sleutelbestand. Geef het bestand, zoals ~/.ssh/id_ed25519.")
    if not key.is_file():
        raise SigningError(f"de sleutel '{key}' bestaat niet. Maak er een met: ssh-keygen -t ed25519")
    if key.suffix == ".pub":
        raise SigningError(
            f"'{key}' is het openbare deel van de sleutel; ondertekenen kan alleen met het geheime deel. "
            f"Geef dat bestand: --sleutel {key.with_suffix('')}"
        )
    if os.name == "posix" and key.stat().st_mode & 0o077:
        raise SigningError(
            f"de sleutel '{key}' is leesbaar voor anderen; ssh-keygen weigert hem. "
            f"Maak hem alleen voor uzelf leesbaar met: chmod 600 {key}"
        )
    return key


def public_key(key: Path) -> str:
    """'type base64' of a private (or public) key file."""
    key = _usable_private_key(key)
    pub = Path(str(key) + ".pub")
    try:
        with open(key, "rb") as handle:  # readable at all (ssh-keygen's own message would be English)
            start = handle.read(64)
        text = pub.read_text(encoding="utf-8", errors="replace").split() if pub.is_file() else []
    except OSError as exc:
        raise SigningError(
            f"de sleutel '{key}' kan niet gelezen worden ({exc.strerror or exc}). Controleer of het bestand van u is "
            f"en alleen voor u leesbaar (chmod 600 {key})."
        ) from None
    if b"PRIVATE KEY" not in start:
        raise SigningError(
            f"'{key}' is geen geheime SSH-sleutel. Geef het bestand met het geheime deel van uw sleutel, zoals "
            "~/.ssh/id_ed25519 (gemaakt met: ssh-keygen -t ed25519)."
        )
    if not pub.is_file():
        done = subprocess.run(
            [ssh_keygen(), "-y", "-f", str(key)], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
        )
        if done.returncode != 0:
            raise SigningError(
                f"de openbare sleutel van '{key}' kon niet bepaald worden (technische melding: {done.stderr.strip()[:200]}). "
                f"Zet het openbare deel ernaast als {pub.name}, of maak een nieuwe sleutel met: ssh-keygen -t ed25519"
            )
        text = done.stdout.split()
    if len(text) < 2:
        raise SigningError(f"'{key}.pub' is geen openbare SSH-sleutel.")
    return f"{text[0]} {text[1]}"


def principal_for(key: Path, allowed_signers: Path) -> str:
    """The name under which ``key`` is listed in the allowed-signers file."""
    wanted = public_key(key)
    for principals, _options, pub in read_allowed_signers(allowed_signers):
        if pub == wanted:
            return principals[0]
    secret, signers = Path(key).absolute(), Path(allowed_signers).absolute()
    public = Path(str(secret) + ".pub")
    send = (
        f"het bestand {public}"
        if public.is_file()
        else f"het openbare deel van de sleutel (maak het bestand {public} met: ssh-keygen -y -f {secret} > {public})"
    )
    raise SigningError(
        f"de sleutel '{secret}' staat niet in het bestand met toegestane ondertekenaars ({signers}). "
        f"Stuur de beheerder {send}; nooit het geheime bestand {secret.name} zelf. De beheerder zet de inhoud ervan "
        f"als één regel in {signers}, met uw naam vooraan: <uw naam> {wanted}"
    )


def read_allowed_signers(path: Path) -> list[tuple[list[str], str, str]]:
    """(principals, options, 'type base64') per line; malformed lines are skipped (ssh-keygen does the same)."""
    out = []
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.strip().split()
        if not parts or parts[0].startswith("#"):
            continue
        principals = parts[0].split(",")
        rest = parts[1:]
        options = ""
        if rest and not rest[0].startswith(("ssh-", "ecdsa-", "sk-")):
            options, rest = rest[0], rest[1:]
        if len(rest) >= 2:
            out.append((principals, options, f"{rest[0]} {rest[1]}"))
    return out


# Ed25519 arithmetic for one question only: is a public key of small order (``weak_signers``)? Such a key (the neutral
# point, or one of the seven other points whose eighth multiple is neutral, in any encoding) makes a signature that
# proves nothing valid for it, in ssh-keygen as in any verifier that does not refuse these keys (found in the attack on
# sig19). ``ssh-keygen -t ed25519`` never makes one: only a hand-made key is, so one in the file is refused.
_P = 2**255 - 19
_D = (-121665 * pow(121666, -1, _P)) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _edwards_point(raw: bytes) -> tuple[int, int] | None:
    """The point an encoded Ed25519 public key stands for (its y taken modulo p, as lenient decoders do); None when it
    is not on the curve."""
    y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
    sign = raw[31] >> 7
    y %= _P
    u, v = (y * y - 1) % _P, (_D * y * y + 1) % _P
    x = u * pow(v, 3, _P) * pow(u * pow(v, 7, _P), (_P - 5) // 8, _P) % _P
    if v * x * x % _P == (-u) % _P:
        x = x * _SQRT_M1 % _P
    elif v * x * x % _P != u:
        return None
    if x & 1 != sign:
        x = (-x) % _P
    return x, y


def _edwards_double(point: tuple[int, int]) -> tuple[int, int]:
    x, y = point
    t = _D * x * x * y * y % _P
    return (2 * x * y * pow(1 + t, -1, _P) % _P, (y * y + x * x) * pow(1 - t, -1, _P) % _P)


@lru_cache(maxsize=256)  # a site has a few signers; each build verifies every signature (issue 19: cheap per check)
def small_order_ed25519(raw: bytes) -> bool:
    """Whether the 32-byte Ed25519 public key ``raw`` is of small order (its eighth multiple is the neutral point)."""
    point = _edwards_point(raw)
    if point is None:
        return False  # not on the curve: no signature verifies with it
    for _ in range(3):
        point = _edwards_double(point)
    return point == (0, 1)


def weak_signers(path: Path) -> list[tuple[int, str]]:
    """(line number, principals) of every line of an allowed-signers file whose Ed25519 key is of small order: with such
    a key anyone can make a valid approval in that person's name."""
    out: list[tuple[int, str]] = []
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return out
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split()
        for kind, value in zip(words, words[1:]):
            if kind.encode("utf-8", "replace") not in _ED25519_KINDS:
                continue
            try:
                blob = base64.b64decode(value, validate=False)
            except (binascii.Error, ValueError):
                continue
            raw = _ed25519_public(blob)
            if raw is not None and small_order_ed25519(raw):
                out.append((number, words[0]))
                break
    return out


def sign(data: bytes, key: Path, namespace: str = NAMESPACE) -> str:
    """An armored SSH signature of ``data``. Prompts for the key's passphrase on the terminal if it has one."""
    exe = ssh_keygen()
    key = _usable_private_key(key)
    with tempfile.TemporaryDirectory(prefix="woo-sign-") as tmp:
        message = Path(tmp) / "bericht"
        message.write_bytes(data)
        done = subprocess.run(
            [exe, "-Y", "sign", "-f", str(key), "-n", namespace, str(message)], capture_output=True, text=True, timeout=300
        )
        signature = Path(str(message) + ".sig")
        if (done.returncode != 0 or not signature.is_file()) and "passphrase" in done.stderr.lower():
            raise SigningError(
                f"de sleutel '{key}' is beveiligd met een wachtwoordzin, en die kon niet gevraagd worden (geen terminal) of "
                "klopte niet. Voer de opdracht uit in een terminal (dan wordt om de wachtwoordzin gevraagd), of laad de "
                f"sleutel eenmalig in ssh-agent met 'ssh-add {key}' en voer de opdracht daarna opnieuw uit."
            )
        if done.returncode != 0 or not signature.is_file():
            raise SigningError(f"ondertekenen met '{key}' is mislukt: {done.stderr.strip()[:300] or 'onbekende fout'}")
        return signature.read_text(encoding="ascii")


@dataclass(frozen=True)
class Verified:
    principal: str
    fingerprint: str  # SHA256:... of the signing key


def verify(data: bytes, signature: str, principal: str, allowed_signers: Path, namespace: str = NAMESPACE) -> Verified:
    """Check ``signature`` over ``data`` by ``principal`` (always: never from a cache; in this process when that is
    certain to accept, else with ``ssh-keygen -Y verify``); raises SigningError (Dutch) when it does not hold."""
    if not isinstance(signature, str) or "BEGIN SSH SIGNATURE" not in signature or len(signature) > 20000:
        raise SigningError("de handtekening ontbreekt of is geen SSH-handtekening")
    if not isinstance(principal, str) or not _PRINCIPAL.fullmatch(principal):
        raise SigningError("de naam van de ondertekenaar ontbreekt of is ongeldig")
    try:
        with open(allowed_signers, "rb"):
            pass
    except OSError as exc:
        raise SigningError(
            f"het bestand met toegestane ondertekenaars ({allowed_signers}) kan niet gelezen worden: {exc.strerror or exc}"
        ) from None
    checks = _ACTIVE
    if checks is not None:  # sig19: ssh-keygen is required as before, also when this check would not need it
        checks.ssh_keygen()
    else:
        ssh_keygen()
    COUNTERS["verified"] += 1
    request = (namespace, str(allowed_signers), principal, signature, bytes(data))
    future = checks.take(request) if checks is not None else None
    outcome = future.result() if future is not None else _check(request, None, checks.signers if checks else None)
    if outcome.fingerprint is None:
        COUNTERS["ssh_keygen"] += 1
        match = _GOOD.search(outcome.stdout.decode("utf-8", "replace"))
        if outcome.returncode != 0 or not match:
            raise SigningError("de handtekening klopt niet, of de sleutel staat niet (meer) bij de toegestane ondertekenaars")
    if _small_order_signer(signature):
        raise SigningError(
            "de handtekening is gezet met een sleutel die bij elke handtekening past (een Ed25519-sleutel van kleine "
            "orde): zo'n goedkeuring bewijst niets"
        )
    return Verified(principal, outcome.fingerprint if outcome.fingerprint is not None else match.group(3))


# Key types whose point is an Ed25519 public key, and which of the blob's strings it is (PROTOCOL.u2f, PROTOCOL.certkeys:
# a security key's point comes before its application, a certificate's certified key after its nonce).
_ED25519_KINDS = {
    b"ssh-ed25519": 1,
    b"sk-ssh-ed25519@openssh.com": 1,
    b"ssh-ed25519-cert-v01@openssh.com": 2,
    b"sk-ssh-ed25519-cert-v01@openssh.com": 2,
}


def _ed25519_public(blob: bytes) -> bytes | None:
    """The 32-byte Ed25519 point of a public key blob of any Ed25519 kind (plain, security key, certificate); None for
    another kind or a blob too short to hold it."""
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 3 and pos + 4 <= len(blob):
        size = int.from_bytes(blob[pos : pos + 4], "big")
        if pos + 4 + size > len(blob):
            break
        fields.append(blob[pos + 4 : pos + 4 + size])
        pos += 4 + size
    index = _ED25519_KINDS.get(fields[0]) if fields else None
    if index is None or len(fields) <= index or len(fields[index]) != 32:
        return None
    return fields[index]


def _small_order_signer(signature: str) -> bool:
    """Whether the signature names a small-order Ed25519 key as its signer: accepted by ssh-keygen for any data, so
    refused here even when the settings check (``weak_signers``) was passed before the file changed."""
    blob = _dearmour(signature)
    fields = _sshsig(blob) if blob is not None else None
    public = _ed25519_public(fields[0]) if fields is not None else None
    return public is not None and small_order_ed25519(public)


def _well_formed(signature, principal) -> bool:
    """What ``verify`` checks before it runs ssh-keygen (its own messages for the rest)."""
    return (
        isinstance(signature, str)
        and "BEGIN SSH SIGNATURE" in signature
        and len(signature) <= 20000
        and isinstance(principal, str)
        and _PRINCIPAL.fullmatch(principal) is not None
    )


# Request: (namespace, allowed-signers path, principal, signature text, signed bytes).
Request = tuple[str, str, str, str, bytes]


@dataclass(frozen=True, slots=True)
class _Outcome:
    """One check's outcome: accepted in this process (``fingerprint``, the signing key's SHA256 fingerprint), or
    ssh-keygen's exit status and standard output (``fingerprint`` None)."""

    fingerprint: str | None
    returncode: int = -1
    stdout: bytes = b""


def _check(request: Request, checks: Checks | None = None, signers: _SignersFiles | None = None) -> _Outcome:
    """One signature check: accepted in this process when that is certain (``_in_process``), else ssh-keygen's
    verdict. ``checks``: run in that build's pool (see ``_ssh_verify``); its allowed-signers files are used."""
    if signers is None:
        signers = checks.signers if checks is not None else _SignersFiles()
    fingerprint = _in_process(request, signers) if _IN_PROCESS else None
    if fingerprint is not None:
        return _Outcome(fingerprint)
    returncode, stdout = _ssh_verify(request, checks)
    return _Outcome(None, returncode, stdout)


# -- In-process verification (issue 19, sig19): it may only accept; whatever it is not certain of, ssh-keygen decides.
# The rules followed are those of OpenSSH's sshsig.c (sshsig_dearmor, sshsig_verify_fd, sshsig_wrap_verify,
# sshsig_check_allowed_keys, check_allowed_keys_line), misc.c (strdelimw), match.c (match_pattern_list) and
# sshkey.c (sshkey_read), and PROTOCOL.sshsig; each step below is stricter than or equal to ssh-keygen's.

_IN_PROCESS = True  # tests of the ssh-keygen pool itself switch it off
_ARMOUR_START = "-----BEGIN SSH SIGNATURE-----\n"
_ARMOUR_END = "\n-----END SSH SIGNATURE-----"
_ARMOUR_BODY = re.compile(r"[A-Za-z0-9+/=\n]*")
_PLAIN = re.compile(r"[!-~]+")  # printable ASCII, no spaces: a principal or namespace passed to ssh-keygen as is
_ED25519 = b"ssh-ed25519"
_HASHES = (b"sha256", b"sha512")  # sshsig.c HASHALG_ALLOWED
# The part of an allowed-signers line after its principals that is a plain Ed25519 key: type, blanks, base64, then
# the end or a comment after a blank (sshkey_read: the base64 ends at a space or tab; a CR before the end is skipped).
_ED25519_LINE = re.compile(rb"ssh-ed25519[ \t]+([A-Za-z0-9+/]+={0,2})(?:[ \t][^\n]*)?\r?")
_FIELD = re.compile(rb'[^ \t\r"]*')  # strdelimw: the principals end at whitespace (or a quote: not followed here)
_PATTERN = re.compile(rb"[*?!]")  # match_pattern_list: wildcards and negation


def _in_process(request: Request, signers: _SignersFiles) -> str | None:
    """The signing key's fingerprint ("SHA256:...", as ssh-keygen prints it) when ``ssh-keygen -Y verify`` is certain
    to accept this request; None when that is not certain (then ssh-keygen decides). Never raises."""
    namespace, path, principal, signature, data = request
    try:
        if not (_PLAIN.fullmatch(principal) and _PLAIN.fullmatch(namespace)):
            return None
        blob = _dearmour(signature)
        fields = _sshsig(blob) if blob is not None else None
        if fields is None:
            return None
        key, sig_namespace, hash_name, sig = fields
        public, raw = _ed25519(key, 32), _ed25519(sig, 64)
        if public is None or raw is None or sig_namespace != namespace.encode("ascii"):
            return None
        lines = signers.lines(path)
        if lines is None or not _listed(lines, principal.encode("ascii"), key):
            return None
        # PROTOCOL.sshsig section 3, as sshsig_wrap_verify builds it: the namespace asked for, an empty reserved field.
        digest = hashlib.new(hash_name.decode("ascii"), data).digest()
        signed = b"SSHSIG" + _string(sig_namespace) + _string(b"") + _string(hash_name) + _string(digest)
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        Ed25519PublicKey.from_public_bytes(public).verify(raw, signed)  # raises InvalidSignature
    except Exception:  # noqa: BLE001 - anything unexpected, a signature that does not hold included: ssh-keygen decides
        return None
    return "SHA256:" + base64.b64encode(hashlib.sha256(key).digest()).decode("ascii").rstrip("=")


def _dearmour(signature: str) -> bytes | None:
    """The SSHSIG blob of an armoured signature in the form ``ssh-keygen -Y sign`` writes it (header and newline,
    canonical base64 in lines, newline and footer, at most a newline after it), else None."""
    if not signature.isascii() or not signature.startswith(_ARMOUR_START):
        return None
    body, footer, tail = signature[len(_ARMOUR_START) :].partition(_ARMOUR_END)
    if not footer or tail not in ("", "\n") or not _ARMOUR_BODY.fullmatch(body):
        return None
    return _canonical_base64(body.replace("\n", "").encode("ascii"))


def _canonical_base64(text: bytes) -> bytes | None:
    """``text`` decoded when it is base64 exactly as it would be written (padding, zero bits at the end), else None."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if base64.b64encode(raw) == text else None


def _strings(blob: bytes, count: int, pos: int = 0) -> list[bytes] | None:
    """``count`` SSH strings (uint32 length, then that many bytes) from ``pos`` that end exactly where ``blob`` ends."""
    out = []
    for _ in range(count):
        if pos + 4 > len(blob):
            return None
        size = int.from_bytes(blob[pos : pos + 4], "big")
        if pos + 4 + size > len(blob):
            return None
        out.append(blob[pos + 4 : pos + 4 + size])
        pos += 4 + size
    return out if pos == len(blob) else None


def _string(value: bytes) -> bytes:
    return len(value).to_bytes(4, "big") + value


def _sshsig(blob: bytes) -> tuple[bytes, bytes, bytes, bytes] | None:
    """(public key, namespace, hash algorithm, signature) of an SSHSIG blob: magic, version 1, five strings and nothing
    after them (ssh-keygen: "Signature contains trailing data"), an empty reserved field, sha256 or sha512."""
    if blob[:6] != b"SSHSIG" or blob[6:10] != b"\x00\x00\x00\x01":
        return None
    fields = _strings(blob, 5, 10)
    if fields is None:
        return None
    key, namespace, reserved, hash_name, signature = fields
    if reserved or hash_name not in _HASHES:
        return None
    return key, namespace, hash_name, signature


def _ed25519(blob: bytes, size: int) -> bytes | None:
    """The raw value of an Ed25519 public key (``size`` 32) or signature (64) blob: the type "ssh-ed25519" and one
    string of exactly ``size`` bytes, nothing more (a certificate, another type, trailing data: None)."""
    fields = _strings(blob, 2)
    if fields is None or fields[0] != _ED25519 or len(fields[1]) != size:
        return None
    return fields[1]


@dataclass(frozen=True, slots=True)
class _SignerLine:
    """One line of an allowed-signers file as the in-process check sees it. ``principals`` None: a line that may name
    any principal, or that the check does not read as ssh-keygen does (a pattern, a quote, an invalid line): the check
    gives up when it gets there. ``key`` None: the line names these principals, but what follows is not one plain Ed25519 key without
    options: the check gives up for these principals. Else ``key`` is the key's blob."""

    principals: frozenset[bytes] | None
    key: bytes | None


_GIVE_UP = _SignerLine(None, None)


def _parse_signers(data: bytes) -> tuple[_SignerLine, ...] | None:
    """The lines of an allowed-signers file as ssh-keygen reads them (getline; blank and comment lines left out);
    None for a file the check does not read at all (a NUL byte: C strings end there)."""
    if b"\x00" in data:
        return None
    out = []
    pieces = data.split(b"\n")
    for i, piece in enumerate(pieces):
        line = piece.lstrip(b" \t")  # sshsig.c: strspn(line, " \t"); a CR there starts an empty principal
        if not line or line.startswith(b"#"):
            continue
        field = _FIELD.match(line).group()  # always matches (possibly empty)
        after = line[len(field) : len(field) + 1]
        if after == b'"' or (not after and i == len(pieces) - 1):  # a quote; one word without a newline: "invalid line"
            out.append(_GIVE_UP)
            continue
        names = field.split(b",")
        if _PATTERN.search(field) or any(len(name) >= 1000 for name in names):  # patterns; sub-pattern too long
            out.append(_GIVE_UP)
            continue
        rest = line[len(field) + 1 :].lstrip(b" \t\r")
        found = _ED25519_LINE.fullmatch(rest)
        blob = _canonical_base64(found.group(1)) if found else None
        out.append(_SignerLine(frozenset(names), blob if blob is not None and _ed25519(blob, 32) is not None else None))
    return tuple(out)


def _listed(lines: tuple[_SignerLine, ...], principal: bytes, key: bytes) -> bool:
    """Whether ssh-keygen's walk through the file (sshsig_check_allowed_keys) certainly ends in a match: a line that
    names ``principal`` and holds ``key`` without options, and before it no line the check cannot read, or that names
    ``principal`` with anything but a plain Ed25519 key. (OpenSSH skips a line it cannot read and goes on; the check
    does not rely on that: any OpenSSH that stops there refuses, and ssh-keygen decides these.)"""
    for line in lines:
        if line.principals is None:
            return False
        if principal not in line.principals:
            continue  # check_allowed_keys_line: principal not listed, the line is skipped before its key is read
        if line.key is None:
            return False
        if line.key == key:
            return True
        # the principal with another plain key: "key not found" on this line, ssh-keygen goes on to the next
    return False


def _identity(status: os.stat_result) -> tuple[int, ...]:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_mode)


class _SignersFiles:
    """Allowed-signers files read and parsed for the in-process check. The file's bytes are read again for every check
    (a few kilobytes; its status can stay the same while its bytes change: a write through a shared mapping, or a
    same-size rewrite within one tick of a coarse file-system clock), and only the parse is reused, while the bytes
    are exactly those parsed before (attack on sig19, finding 2). Per build (``Checks``); outside a build, per check.
    Nothing of it outlives the build."""

    MAX_BYTES = 1 << 20

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[str, tuple[bytes, tuple[_SignerLine, ...] | None]] = {}

    def lines(self, path: str) -> tuple[_SignerLine, ...] | None:
        try:
            with open(path, "rb") as handle:
                before = _identity(os.fstat(handle.fileno()))
                data = handle.read(self.MAX_BYTES + 1)
                after = _identity(os.fstat(handle.fileno()))
        except OSError:
            return None
        if before != after or not stat.S_ISREG(after[-1]) or len(data) > self.MAX_BYTES:
            return None
        with self._lock:
            known = self._files.get(path)
        if known is not None and known[0] == data:
            return known[1]
        lines = _parse_signers(data)
        with self._lock:
            self._files[path] = (data, lines)
        return lines


def _ssh_verify(request: Request, checks: Checks | None = None) -> tuple[int, bytes]:
    """Run ``ssh-keygen -Y verify`` for one request: (exit status, standard output). In a pool thread (``checks``) the
    child is remembered while it runs, so a build that stops kills it (``Checks.close``).

    Issue 19: on Linux the signature reaches ssh-keygen through a pipe (``-s /dev/fd/N``), not a temporary folder and
    file; a check that does not hold that way is made again with the file, so no verdict ever depends on the pipe."""
    namespace, signers, principal, signature, data = request
    exe = ssh_keygen()
    args = [exe, "-Y", "verify", "-f", signers, "-I", principal, "-n", namespace, "-s"]
    fd = _signature_pipe(signature)
    if fd is not None:
        try:
            returncode, stdout = _run([*args, f"/dev/fd/{fd}"], data, checks, (fd,))
        finally:
            os.close(fd)
        if returncode == 0:
            return returncode, stdout
    with tempfile.TemporaryDirectory(prefix="woo-verify-") as tmp:
        sig = Path(tmp) / "handtekening.sig"
        sig.write_text(signature, encoding="ascii", errors="replace")
        return _run([*args, str(sig)], data, checks)


_PIPES = sys.platform.startswith("linux") and os.path.isdir("/dev/fd")


def _signature_pipe(signature: str) -> int | None:
    """The reading end of a pipe that holds the whole signature and no writer, or None (then a temporary file)."""
    if not _PIPES:
        return None
    payload = signature.encode("ascii", "replace")
    read, write = os.pipe()
    try:
        os.set_blocking(write, False)  # never wait for a reader: a signature that does not fit goes by file
        written = os.write(write, payload)
    except OSError:
        written = -1
    finally:
        os.close(write)
    if written != len(payload):
        os.close(read)
        return None
    return read


def _run(args: list[str], data: bytes, checks: Checks | None, pass_fds: tuple[int, ...] = ()) -> tuple[int, bytes]:
    if checks is None:
        done = subprocess.run(args, input=data, capture_output=True, timeout=60, pass_fds=pass_fds)
        return done.returncode, done.stdout
    if checks.closed:
        raise _Stopped()
    process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, pass_fds=pass_fds)
    with checks.children_lock:  # either Checks.close sees it (and kills it) or it sees the close
        checks.children.add(process)
        stopped = checks.closed
    try:
        with process:  # as subprocess.run: the child is killed on a time-out or any other exception
            try:
                if stopped:
                    raise _Stopped()
                stdout, _ = process.communicate(data, timeout=60)
            except BaseException:
                process.kill()
                raise
    finally:
        with checks.children_lock:
            checks.children.discard(process)
    return process.returncode, stdout


class _Stopped(Exception):
    """The build stopped (``Checks.close``) before this check started."""


class Checks:
    """The signature checks of one build, run side by side in ``workers`` threads (each one check: in this process
    when that is certain to accept, else one ssh-keygen process; ``_check``).

    ``submit`` names a check the build will make; ``verify`` takes its outcome with ``take`` (once). The outcome is
    that of exactly that request, made in this build (the in-process acceptance, or ssh-keygen's exit status and
    output), never a verdict from anything stored.

    Issue 19 (mem13): memory does not grow with the archive's size while the checks wait to be taken. ``submit_from``
    names a build's checks as a stream (one package's at a time, made when a thread is free: at most ``AHEAD`` per
    thread are named and not yet run), so the signed texts of every package are never held together; a check is known
    by the SHA-256 of its whole request (every field, each with its length), and a finished one keeps only its outcome
    (a fingerprint, or ssh-keygen's exit status and output) until it is taken. A check taken before the stream named it runs in ``verify`` itself and
    is not run again when the stream reaches it."""

    AHEAD = 4  # checks named and not yet run, per thread

    def __init__(self, workers: int):
        self._workers = max(1, workers)
        self._pool: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=self._workers, thread_name_prefix="woo-handtekening"
        )
        self._pending: dict[bytes, Future | _Done] = {}
        self._claimed: set[bytes] = set()  # taken before a stream named them: the stream skips them
        self._streams: list[Iterator] = []
        self._queued = 0  # submitted to the pool and not finished
        self._lock = threading.Lock()
        self._feeding = threading.Lock()  # one thread at a time reads the streams (they are generators)
        self.children_lock = threading.Lock()
        self.children: set[subprocess.Popen] = set()
        self.closed = False
        self.signers = _SignersFiles()  # sig19: each allowed-signers file parsed once in this build while its bytes stay
        self._exe: str | None = None

    def ssh_keygen(self) -> str:
        """``ssh_keygen()``, looked up once per build (raises SigningError while it is missing)."""
        if self._exe is None:
            self._exe = ssh_keygen()
        return self._exe

    def submit(self, data: bytes, signature, principal, allowed_signers: Path | None, namespace: str = NAMESPACE) -> None:
        """Start checking a signature ``verify`` will be asked about (malformed ones are left to ``verify``)."""
        if allowed_signers is None or not _well_formed(signature, principal):
            return
        request = (namespace, str(allowed_signers), principal, signature, bytes(data))
        key = _request_key(request)
        with self._lock:
            if self._pool is None or key in self._pending:
                return
            if key in self._claimed:
                self._claimed.discard(key)  # verify ran it already
                return
            future = self._pool.submit(_check, request, self)
            self._pending[key] = future
            self._queued += 1
        future.add_done_callback(partial(self._finished, key))

    def submit_from(self, requests) -> None:
        """Name the checks of ``requests`` (an iterable of ``submit``'s arguments, read lazily and in order from the
        pool's threads; a failure while reading it ends that stream: its checks then run in ``verify``)."""
        with self._lock:
            if self._pool is None:
                return
            self._streams.append(iter(requests))
        self._top_up()

    def _top_up(self) -> None:
        """Name checks from the streams until ``AHEAD`` per thread wait or run."""
        while self._wanted():
            if not self._feeding.acquire(blocking=False):
                return  # another thread is at it: it tops up to the same bound, and looks again once it lets go
            try:
                self._feed()
            finally:
                self._feeding.release()

    def _wanted(self) -> bool:
        with self._lock:
            return self._pool is not None and bool(self._streams) and self._queued < self.AHEAD * self._workers

    def _feed(self) -> None:
        while True:
            with self._lock:
                if self._pool is None or not self._streams or self._queued >= self.AHEAD * self._workers:
                    return
                stream = self._streams[0]
            try:
                args = next(stream)
            except Exception:  # noqa: BLE001 - the stream ended, or cannot be read: verify makes those checks itself
                with self._lock:
                    if self._streams and self._streams[0] is stream:
                        self._streams.pop(0)
                continue
            try:
                self.submit(*args)
            except RuntimeError:  # the pool was shut down meanwhile (settle, close)
                return

    def _finished(self, key: bytes, future: Future) -> None:
        with self._lock:
            self._queued -= 1
            if self._pending.get(key) is future and not future.cancelled() and future.exception() is None:
                self._pending[key] = _Done(future.result())  # a few hundred bytes, not a Future
        self._top_up()

    def take(self, request: Request) -> Future | _Done | None:
        key = _request_key(request)
        with self._lock:
            found = self._pending.pop(key, None)
            if found is None and self._streams:
                self._claimed.add(key)
            return found

    def settle(self) -> None:
        """Let every check already started finish and end the threads; checks asked for later run in ``verify``
        itself. Before this process forks (the PDF workers, ``pdfs.run_jobs``): no worker starts as a copy of a
        moment in which another thread was half-way through starting ssh-keygen. The checks of the streams
        (``submit_from``) are all made first, by the threads and a few at a time, as before the streams."""
        while True:
            with self._lock:
                if self._pool is None or not self._streams:
                    break
                running = [f for f in self._pending.values() if isinstance(f, Future) and not f.done()]
            if running:
                wait(running, timeout=1, return_when=FIRST_COMPLETED)
            else:
                self._top_up()  # nothing runs: name the next (or find the stream's end)
        with self._lock:
            pool, self._pool = self._pool, None
            self._streams = []
        if pool is not None:
            pool.shutdown(wait=True)

    def close(self, stopped: bool) -> None:
        """End of the build's checks: what was not asked for is dropped; when the build ``stopped`` (SIGTERM, an
        error), running ssh-keygen processes are killed rather than waited for. Returns when every thread ended."""
        with self._lock:
            pool, self._pool = self._pool, None
            pending, self._pending = list(self._pending.values()), {}
            self._streams, self._claimed = [], set()
        with self.children_lock:
            self.closed = True
            if stopped:
                for process in list(self.children):
                    try:
                        process.kill()
                    except OSError:
                        pass
        for future in pending:
            future.cancel()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


class _Done:
    """A finished check's outcome as ``Future.result`` gives it (``Checks._finished``)."""

    __slots__ = ("_result",)

    def __init__(self, result: _Outcome) -> None:
        self._result = result

    def result(self) -> _Outcome:
        return self._result

    def cancel(self) -> bool:
        return False


def _request_key(request: Request) -> bytes:
    """SHA-256 of every field of a request, each with its length: which check an outcome is of."""
    import hashlib

    digest = hashlib.sha256()
    for part in request:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.digest()


_ACTIVE: Checks | None = None


@contextmanager
def concurrent(workers: int | None = None) -> Iterator[Checks | None]:
    """Signature checks run side by side until the block ends (``workers``: threads; default the number of CPUs).
    Nested blocks use the outer one."""
    global _ACTIVE
    if _ACTIVE is not None:
        yield _ACTIVE
        return
    checks = _ACTIVE = Checks(workers or os.cpu_count() or 1)
    stopped = True
    try:
        yield checks
        stopped = False
    finally:
        _ACTIVE = None
        checks.close(stopped)


def active() -> Checks | None:
    """The running build's signature checks (``concurrent``), if any."""
    return _ACTIVE


def settle() -> None:
    """See ``Checks.settle``; nothing when no checks run side by side."""
    if _ACTIVE is not None:
        _ACTIVE.settle()
