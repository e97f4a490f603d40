"""SSH signatures on approvals and change-history entries (``ssh-keygen -Y sign`` / ``-Y verify``).

Who may sign is decided by an allowed-signers file (OpenSSH format, ``principal key``), named in
mkdocs.yml under ``extra.woo.ondertekenaars``. A signature covers a canonical JSON text (sorted keys,
UTF-8) of what is approved; the signer's principal is stored beside it and checked on verification.
Nothing here reaches the published site.

Every verification runs ``ssh-keygen -Y verify``, on every build: a verdict is never remembered (attack round 6,
row 2b). A remembered "this signature holds" would be named by public values only (text, signature, principal,
allowed signers), so whoever can sign build-cache entries (the cache key) could approve a changed package with a
made-up signature. An approval must rest on the approver's SSH key, nothing else; one ssh-keygen run costs a few
milliseconds per signature (see benchmarks/README.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass
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


# How many signatures this process verified with ssh-keygen (issue 19; every one, every build: see above).
COUNTERS = {"verified": 0}


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
        if done.returncode != 0 or not signature.is_file():
            raise SigningError(f"ondertekenen met '{key}' is mislukt: {done.stderr.strip()[:300] or 'onbekende fout'}")
        return signature.read_text(encoding="ascii")


@dataclass(frozen=True)
class Verified:
    principal: str
    fingerprint: str  # SHA256:... of the signing key


def verify(data: bytes, signature: str, principal: str, allowed_signers: Path, namespace: str = NAMESPACE) -> Verified:
    """Check ``signature`` over ``data`` by ``principal`` with ``ssh-keygen -Y verify`` (always: never from a cache);
    raises SigningError (Dutch) when it does not hold."""
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
    COUNTERS["verified"] += 1
    exe = ssh_keygen()
    with tempfile.TemporaryDirectory(prefix="woo-verify-") as tmp:
        sig = Path(tmp) / "handtekening.sig"
        sig.write_text(signature, encoding="ascii", errors="replace")
        done = subprocess.run(
            [exe, "-Y", "verify", "-f", str(allowed_signers), "-I", principal, "-n", namespace, "-s", str(sig)],
            input=data,
            capture_output=True,
            timeout=60,
        )
    match = _GOOD.search(done.stdout.decode("utf-8", "replace"))
    if done.returncode != 0 or not match:
        raise SigningError("de handtekening klopt niet, of de sleutel staat niet (meer) bij de toegestane ondertekenaars")
    return Verified(principal, match.group(3))
