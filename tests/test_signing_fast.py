"""Issue 19 (sig19): the common signature check is made in this process; ssh-keygen stays the authority.

The in-process check (publish/signing.py, ``_in_process``) may only accept, never refuse: whatever it is not certain
of goes to ``ssh-keygen -Y verify`` exactly as before. The differential test below puts hostile cases through
``signing.verify`` and through ssh-keygen itself and asserts that the verdicts are the same, and which path decided.
Real keys (``ssh-keygen -t ...`` in a temporary folder), real signatures (``ssh-keygen -Y sign``); the hand-made
SSHSIG blobs are signed for real with the same private keys (``cryptography``), so only the one rule a case is about
differs from a good signature.
"""

from __future__ import annotations

import base64
import hashlib
import stat
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from publish import signing

A, B, C = "alice@voorbeeld.nl", "bob@voorbeeld.nl", "carol@voorbeeld.nl"
DATA = b'{"bestanden":{"besluit.md":"0f0f"},"door":"alice@voorbeeld.nl"}'
NS = signing.NAMESPACE


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sleutels")
    made = {}
    for name, kind in [("alice", ["-t", "ed25519"]), ("bob", ["-t", "ed25519"]), ("carol", ["-t", "ed25519"])]:
        made[name] = folder / name
        subprocess.run(["ssh-keygen", "-q", *kind, "-N", "", "-C", name, "-f", str(made[name])], check=True, timeout=60)
    for name, kind in [("ecdsa", ["-t", "ecdsa", "-b", "256"]), ("rsa", ["-t", "rsa", "-b", "2048"])]:
        made[name] = folder / name
        subprocess.run(["ssh-keygen", "-q", *kind, "-N", "", "-C", name, "-f", str(made[name])], check=True, timeout=120)
    return made


def pub(key: Path) -> str:
    return " ".join(Path(str(key) + ".pub").read_text().split()[:2])


def line(who: str, key: Path, options: str = "") -> str:
    return f"{who} {options + ' ' if options else ''}{pub(key)}\n"


def blob_of(signature: str) -> bytes:
    body = signature.split("-----BEGIN SSH SIGNATURE-----\n", 1)[1].split("\n-----END SSH SIGNATURE-----", 1)[0]
    return base64.b64decode(body.replace("\n", ""))


def armour(blob: bytes) -> str:
    text = base64.b64encode(blob).decode()
    return (
        "-----BEGIN SSH SIGNATURE-----\n"
        + "\n".join(text[i : i + 70] for i in range(0, len(text), 70))
        + ("\n-----END SSH SIGNATURE-----\n")
    )


def s(value: bytes) -> bytes:
    return len(value).to_bytes(4, "big") + value


def key_blob(key: Path) -> bytes:
    return base64.b64decode(pub(key).split()[1])


def craft(
    key: Path,
    data: bytes = DATA,
    *,
    magic: bytes = b"SSHSIG",
    version: int = 1,
    namespace: bytes = NS.encode(),
    reserved: bytes = b"",
    hash_name: bytes = b"sha512",
    embedded: bytes | None = None,
    trailing: bytes = b"",
    sig_type: bytes | None = None,
    rsa_hash=None,
) -> str:
    """An SSHSIG signature made by hand, really signed with ``key``'s private part over the signed data of
    PROTOCOL.sshsig (with an empty reserved field, as sshsig.c signs and verifies), each field as given."""
    private = serialization.load_ssh_private_key(key.read_bytes(), password=None)
    digest = hashlib.new(hash_name.decode().lower(), data).digest()
    signed = b"SSHSIG" + s(namespace) + s(b"") + s(hash_name) + s(digest)
    if rsa_hash is not None:
        raw = private.sign(signed, padding.PKCS1v15(), rsa_hash)  # type: ignore[call-arg, union-attr]
    else:
        raw = private.sign(signed)  # type: ignore[call-arg, union-attr]
    signature = s(sig_type or b"ssh-ed25519") + s(raw)
    blob = magic + version.to_bytes(4, "big") + s(embedded if embedded is not None else key_blob(key))
    return armour(blob + s(namespace) + s(reserved) + s(hash_name) + s(signature) + trailing)


def ssh_keygen_verdict(request) -> str | None:
    """ssh-keygen's own verdict: the fingerprint it prints for a good signature, None when it refuses."""
    returncode, stdout = signing._ssh_verify(request)
    match = signing._GOOD.search(stdout.decode("utf-8", "replace"))
    return match.group(3) if returncode == 0 and match else None


def judge(tmp_path: Path, data: bytes, signature: str, principal: str, signers: str | bytes) -> tuple[str | None, str]:
    """(verify's verdict: the fingerprint or None, the path that decided), asserting it is ssh-keygen's verdict."""
    path = tmp_path / "toegestane-ondertekenaars"
    path.write_bytes(signers.encode() if isinstance(signers, str) else signers)
    before = dict(signing.COUNTERS)
    try:
        verdict: str | None = signing.verify(data, signature, principal, path).fingerprint
    except signing.SigningError as exc:
        assert str(exc) == "de handtekening klopt niet, of de sleutel staat niet (meer) bij de toegestane ondertekenaars"
        verdict = None
    assert signing.COUNTERS["verified"] - before["verified"] == 1
    went = signing.COUNTERS["ssh_keygen"] - before["ssh_keygen"]
    assert went in (0, 1)
    assert verdict == ssh_keygen_verdict((NS, str(path), principal, signature, data))  # the differential assertion
    return verdict, "ssh-keygen" if went else "in-process"


# (name, case) where case(keys) gives (data, signature, principal, allowed signers, expected path, accepted).
def _cases():
    ok = lambda k: signing.sign(DATA, k["alice"])  # noqa: E731
    base = lambda k: line(A, k["alice"]) + line(B, k["bob"])  # noqa: E731
    mid = lambda text: text[:120] + ("B" if text[120] != "B" else "C") + text[121:]  # noqa: E731
    return {
        # The common case and its plain variations: accepted in this process.
        "gewoon": lambda k: (DATA, ok(k), A, base(k), "in-process", True),
        "zonder_slotregel": lambda k: (DATA, ok(k).rstrip("\n"), A, base(k), "in-process", True),
        "sha256": lambda k: (DATA, craft(k["alice"], hash_name=b"sha256"), A, base(k), "in-process", True),
        "zelfgemaakt_goed": lambda k: (DATA, craft(k["alice"]), A, base(k), "in-process", True),
        "commentaar_en_witruimte": lambda k: (
            DATA,
            ok(k),
            A,
            "# ondertekenaars\n\n  \t\n" + f"  {A}\t {pub(k['alice'])}  Alice de Vries\n",
            "in-process",
            True,
        ),
        "crlf_bestand": lambda k: (DATA, ok(k), A, base(k).replace("\n", "\r\n"), "in-process", True),
        "kommalijst": lambda k: (DATA, ok(k), A, f"{B},{A} {pub(k['alice'])}\n", "in-process", True),
        "twee_regels_zelfde_naam_eerste": lambda k: (DATA, ok(k), A, line(A, k["alice"]) + line(A, k["bob"]), "in-process", True),
        "twee_regels_zelfde_naam_tweede": lambda k: (DATA, ok(k), A, line(A, k["bob"]) + line(A, k["alice"]), "in-process", True),
        "sleutel_onder_andere_naam_die_gevraagd_wordt": lambda k: (DATA, ok(k), B, line(B, k["alice"]), "in-process", True),
        "kapotte_regel_van_een_ander_ervoor": lambda k: (
            DATA,
            ok(k),
            A,
            f"{B} ssh-ed25519 AAAAkapot\n" + line(A, k["alice"]),
            "in-process",
            True,
        ),
        "alleen_naam_van_een_ander_ervoor": lambda k: (DATA, ok(k), A, f"{B}\n" + line(A, k["alice"]), "in-process", True),
        "opties_bij_een_ander_ervoor": lambda k: (
            DATA,
            ok(k),
            A,
            line(B, k["bob"], "cert-authority") + line(A, k["alice"]),
            "in-process",
            True,
        ),
        "los_woord_zonder_regeleinde_erna": lambda k: (DATA, ok(k), A, line(A, k["alice"]) + "onzin", "in-process", True),
        # Refused: by ssh-keygen, never by the in-process check.
        "tekst_gewijzigd": lambda k: (DATA + b" ", ok(k), A, base(k), "ssh-keygen", False),
        "andere_naamruimte": lambda k: (DATA, signing.sign(DATA, k["alice"], "git"), A, base(k), "ssh-keygen", False),
        "andere_ondertekenaar": lambda k: (DATA, ok(k), B, base(k), "ssh-keygen", False),
        "hoofdletters_in_naam": lambda k: (DATA, ok(k), "Alice@voorbeeld.nl", base(k), "ssh-keygen", False),
        "sleutel_niet_in_bestand": lambda k: (DATA, signing.sign(DATA, k["carol"]), C, base(k), "ssh-keygen", False),
        "onbekende_sleutel_met_bekende_naam": lambda k: (DATA, signing.sign(DATA, k["carol"]), A, base(k), "ssh-keygen", False),
        "sleutel_onder_andere_naam": lambda k: (DATA, ok(k), A, line(B, k["alice"]), "ssh-keygen", False),
        "leeg_bestand": lambda k: (DATA, ok(k), A, "", "ssh-keygen", False),
        "negatie": lambda k: (DATA, ok(k), A, f"!{A},*@voorbeeld.nl {pub(k['alice'])}\n", "ssh-keygen", False),
        "cert_authority": lambda k: (DATA, ok(k), A, line(A, k["alice"], "cert-authority"), "ssh-keygen", False),
        "namespaces_ander": lambda k: (DATA, ok(k), A, line(A, k["alice"], 'namespaces="git"'), "ssh-keygen", False),
        "valid_before_verleden": lambda k: (DATA, ok(k), A, line(A, k["alice"], 'valid-before="20200101"'), "ssh-keygen", False),
        "los_woord_zonder_regeleinde": lambda k: (DATA, ok(k), A, line(B, k["bob"]) + "onzin", "ssh-keygen", False),
        "te_lang_patroon_in_de_lijst": lambda k: (DATA, ok(k), A, f"{'x' * 1100},{A} {pub(k['alice'])}\n", "ssh-keygen", False),
        "armour_afgekapt": lambda k: (DATA, ok(k)[:150], A, base(k), "ssh-keygen", False),
        "armour_afgekapt_met_slot": lambda k: (
            DATA,
            ok(k)[:150] + "\n-----END SSH SIGNATURE-----\n",
            A,
            base(k),
            "ssh-keygen",
            False,
        ),
        "armour_verminkt": lambda k: (DATA, mid(ok(k)), A, base(k), "ssh-keygen", False),
        "tekst_voor_de_armour": lambda k: (DATA, "x" + ok(k), A, base(k), "ssh-keygen", False),
        "versie_2": lambda k: (DATA, craft(k["alice"], version=2), A, base(k), "ssh-keygen", False),
        "magic_anders": lambda k: (DATA, craft(k["alice"], magic=b"SSHSIH"), A, base(k), "ssh-keygen", False),
        "hash_sha1": lambda k: (DATA, craft(k["alice"], hash_name=b"sha1"), A, base(k), "ssh-keygen", False),
        "hash_hoofdletters": lambda k: (DATA, craft(k["alice"], hash_name=b"SHA512"), A, base(k), "ssh-keygen", False),
        "data_na_de_handtekening": lambda k: (DATA, craft(k["alice"], trailing=b"\0"), A, base(k), "ssh-keygen", False),
        "ingebedde_sleutel_van_een_ander": lambda k: (
            DATA,
            craft(k["alice"], embedded=key_blob(k["bob"])),
            B,
            base(k),
            "ssh-keygen",
            False,
        ),
        "ingebedde_sleutel_klopt_maar_ander_tekende": lambda k: (
            DATA,
            craft(k["bob"], embedded=key_blob(k["alice"])),
            A,
            base(k),
            "ssh-keygen",
            False,
        ),
        "handtekeningtype_anders": lambda k: (DATA, craft(k["alice"], sig_type=b"ssh-rsa"), A, base(k), "ssh-keygen", False),
        "rsa_sha1": lambda k: (
            DATA,
            craft(k["rsa"], embedded=key_blob(k["rsa"]), sig_type=b"ssh-rsa", rsa_hash=hashes.SHA1()),
            A,
            line(A, k["rsa"]),
            "ssh-keygen",
            False,
        ),
        # Accepted by ssh-keygen where the in-process check is not certain: ssh-keygen decides, as before.
        "alleen_via_jokerteken": lambda k: (DATA, ok(k), A, f"*@voorbeeld.nl {pub(k['alice'])}\n", "ssh-keygen", True),
        "jokerteken_bij_een_ander_ervoor": lambda k: (
            DATA,
            ok(k),
            A,
            f"b*@voorbeeld.nl {pub(k['bob'])}\n" + line(A, k["alice"]),
            "ssh-keygen",
            True,
        ),
        "namespaces_eigen": lambda k: (DATA, ok(k), A, line(A, k["alice"], f'namespaces="{NS}"'), "ssh-keygen", True),
        "valid_after_verleden": lambda k: (DATA, ok(k), A, line(A, k["alice"], 'valid-after="20200101"'), "ssh-keygen", True),
        "naam_tussen_aanhalingstekens": lambda k: (DATA, ok(k), A, f'"{A}" {pub(k["alice"])}\n', "ssh-keygen", True),
        "nul_in_bestand": lambda k: (DATA, ok(k), A, "#\0\n" + line(A, k["alice"]), "ssh-keygen", True),
        # A line for the principal that cannot be read before a good one: ssh-keygen skips it (check_allowed_keys_line
        # returns "not found" for it); the in-process check does not rely on that and gives up there.
        "kapotte_regel_zelfde_naam_ervoor": lambda k: (
            DATA,
            ok(k),
            A,
            f"{A} ssh-ed25519 AAAAkapot\n" + line(A, k["alice"]),
            "ssh-keygen",
            True,
        ),
        "alleen_naam_zelfde_naam_ervoor": lambda k: (DATA, ok(k), A, f"{A}\n" + line(A, k["alice"]), "ssh-keygen", True),
        "rommel_na_de_armour": lambda k: (DATA, ok(k) + "en dan nog iets\n", A, base(k), "ssh-keygen", True),
        "versie_0": lambda k: (DATA, craft(k["alice"], version=0), A, base(k), "ssh-keygen", True),
        "gereserveerd_niet_leeg": lambda k: (DATA, craft(k["alice"], reserved=b"x"), A, base(k), "ssh-keygen", True),
        "ecdsa": lambda k: (DATA, signing.sign(DATA, k["ecdsa"]), A, line(A, k["ecdsa"]), "ssh-keygen", True),
        "rsa_sha2_512": lambda k: (DATA, signing.sign(DATA, k["rsa"]), A, line(A, k["rsa"]), "ssh-keygen", True),
    }


CASES = _cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_verdict_is_ssh_keygens_and_the_in_process_check_only_accepts(name, keys, tmp_path):
    data, signature, principal, signers, path, accepted = CASES[name](keys)
    verdict, went = judge(tmp_path, data, signature, principal, signers)
    assert (went, verdict is not None) == (path, accepted)
    if went == "in-process":  # the same fingerprint ssh-keygen prints: four eyes compare keys by it
        assert verdict == "SHA256:" + base64.b64encode(hashlib.sha256(key_blob_of(signature)).digest()).decode().rstrip("=")


def key_blob_of(signature: str) -> bytes:
    blob = blob_of(signature)
    size = int.from_bytes(blob[10:14], "big")
    return blob[14 : 14 + size]


def test_no_single_changed_byte_of_a_signature_is_accepted_in_process(keys, tmp_path):
    """Every byte of a good SSHSIG blob changed in turn: the in-process check accepts none of them (ssh-keygen
    decides each: its verdict is the build's)."""
    signers = tmp_path / "ondertekenaars"
    signers.write_text(line(A, keys["alice"]) + line(B, keys["bob"]))
    blob = blob_of(signing.sign(DATA, keys["alice"]))
    good = (NS, str(signers), A, armour(blob), DATA)
    assert signing._in_process(good, signing._SignersFiles()) is not None
    for i in range(len(blob)):
        for flip in (0x01, 0x80):
            changed = blob[:i] + bytes([blob[i] ^ flip]) + blob[i + 1 :]
            request = (NS, str(signers), A, armour(changed), DATA)
            assert signing._in_process(request, signing._SignersFiles()) is None, (i, flip)


def test_a_changed_allowed_signers_line_is_accepted_in_process_only_where_ssh_keygen_accepts(keys, tmp_path):
    """Every byte of the signer's line replaced in turn by characters that matter to ssh-keygen's reading: wherever the
    in-process check still accepts, ssh-keygen accepts too (and prints the same fingerprint)."""
    signature = signing.sign(DATA, keys["alice"])
    good = line(A, keys["alice"])
    path = tmp_path / "ondertekenaars"
    accepted: list[str] = []
    for i in range(len(good)):
        for char in ' \t\r\n,*?!"#=x\0':
            path.write_bytes((line(B, keys["bob"]) + good[:i] + char + good[i + 1 :]).encode())
            request = (NS, str(path), A, signature, DATA)
            fingerprint = signing._in_process(request, signing._SignersFiles())
            if fingerprint is not None:
                accepted.append(repr(good[:i] + char + good[i + 1 :]))
                assert ssh_keygen_verdict(request) == fingerprint, repr(good[:i] + char + good[i + 1 :])
    assert len(accepted) >= 5, accepted  # blanks for blanks, a comment after the key: still the same line


@contextmanager
def _popen_counted(monkeypatch):
    runs: list[list[str]] = []
    real = signing.subprocess.Popen

    def popen(args, *rest, **kwargs):
        runs.append(list(args))
        return real(args, *rest, **kwargs)

    monkeypatch.setattr(signing.subprocess, "Popen", popen)
    yield runs


def test_within_a_build_the_allowed_signers_file_is_read_once_and_again_when_it_changes(keys, tmp_path, monkeypatch):
    path = tmp_path / "ondertekenaars"
    path.write_text(line(A, keys["alice"]) + line(B, keys["bob"]))
    texts = [f"goedkeuring {i}".encode() for i in range(3)]
    signatures = [signing.sign(t, keys["alice"]) for t in texts]
    parsed: list[bytes] = []
    real = signing._parse_signers

    def parse(data):
        parsed.append(data)
        return real(data)

    monkeypatch.setattr(signing, "_parse_signers", parse)
    with _popen_counted(monkeypatch) as runs, signing.concurrent(2) as checks:
        assert checks is not None
        before = dict(signing.COUNTERS)
        for t, sig in zip(texts, signatures):
            checks.submit(t, sig, A, path)
        assert [signing.verify(t, sig, A, path).principal for t, sig in zip(texts, signatures)] == [A] * 3
        assert len(parsed) == 1 and not runs  # read once; no ssh-keygen
        path.write_text(line(B, keys["bob"]))  # alice taken out during the build: seen at once, and ssh-keygen refuses
        with pytest.raises(signing.SigningError, match="klopt niet"):
            signing.verify(texts[0], signatures[0], A, path)
        assert len(parsed) == 2 and runs and all("-Y" in r and "verify" in r for r in runs)
        assert signing.COUNTERS["verified"] - before["verified"] == 4
        assert signing.COUNTERS["ssh_keygen"] - before["ssh_keygen"] == 1
    # Another build reads the file again: nothing of it outlives the build.
    with signing.concurrent(1):
        with pytest.raises(signing.SigningError, match="klopt niet"):
            signing.verify(texts[1], signatures[1], A, path)
    assert len(parsed) == 3


def test_without_ssh_keygen_a_signature_is_not_accepted_even_where_it_would_not_be_needed(keys, tmp_path, monkeypatch):
    """The conservative choice (docs/beheer.md): ssh-keygen is required as before; whether a build can go on never
    depends on which path its checks would take."""
    path = tmp_path / "ondertekenaars"
    path.write_text(line(A, keys["alice"]))
    signature = signing.sign(DATA, keys["alice"])
    assert signing._in_process((NS, str(path), A, signature, DATA), signing._SignersFiles()) is not None
    monkeypatch.setattr(signing.shutil, "which", lambda name: None)
    for scope in (None, 2):
        with signing.concurrent(scope) if scope else _nothing():
            with pytest.raises(signing.SigningError) as missing:
                signing.verify(DATA, signature, A, path)
            assert str(missing.value) == f"{signing.MISSING_SSH} {signing.MISSING_SSH_FIX}"


@contextmanager
def _nothing():
    yield None


@pytest.mark.parametrize("start", ["\r", " \r", "\r ", "\t\r"])
def test_a_carriage_return_before_the_principal_names_nobody_as_for_ssh_keygen(start, keys, tmp_path):
    """Attack on sig19, finding 1: ssh-keygen skips only spaces and tabs before the principals (sshsig.c), so a line
    that starts with a CR names an empty principal; the in-process check must not read the name after it."""
    signature = signing.sign(DATA, keys["alice"])
    assert judge(tmp_path, DATA, signature, A, start + line(A, keys["alice"])) == (None, "ssh-keygen")
    # A file with LF-CR line ends: only the first line is read by ssh-keygen.
    lf_cr = (line(B, keys["bob"]) + line(A, keys["alice"])).replace("\n", "\n\r")
    assert judge(tmp_path, DATA, signature, A, lf_cr) == (None, "ssh-keygen")


def test_changed_bytes_of_the_allowed_signers_file_are_seen_even_when_its_status_stays_the_same(keys, tmp_path, monkeypatch):
    """Attack on sig19, finding 2: a write through a shared mapping, or a same-size rewrite within one tick of a
    coarse clock, leaves the file's status as it was; the check reads the bytes every time."""
    path = tmp_path / "ondertekenaars"
    path.write_text(line(A, keys["alice"]))
    signature = signing.sign(DATA, keys["alice"])
    monkeypatch.setattr(signing, "_identity", lambda status: (1, 2, stat.S_IFREG | 0o644))  # a status that never changes
    with signing.concurrent(1) as checks:
        assert checks is not None
        assert signing._in_process((NS, str(path), A, signature, DATA), checks.signers) is not None
        path.write_text(line(A, keys["alice"]).replace("alice", "xxxxx", 1))  # the same size, alice gone
        assert signing._in_process((NS, str(path), A, signature, DATA), checks.signers) is None
        with pytest.raises(signing.SigningError, match="klopt niet"):
            signing.verify(DATA, signature, A, path)


# A small-order Ed25519 key (found in the attack on sig19): the neutral point as a key, with the neutral point as R and
# S = 0, verifies for any data, in ssh-keygen too. Known small-order encodings (canonical and not), and the order-8 pair.
SMALL_ORDER = [
    "0100000000000000000000000000000000000000000000000000000000000000",  # neutral point
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # order 2 (y = p - 1)
    "0000000000000000000000000000000000000000000000000000000000000000",  # order 4
    "0000000000000000000000000000000000000000000000000000000000000080",  # order 4, other sign
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",  # order 8
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",  # order 8
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # y = p: the order-4 point, not canonical
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # y = p + 1: the neutral point, not canonical
]


def _neutral_key_line(who: str, raw: bytes) -> str:
    return f"{who} ssh-ed25519 {base64.b64encode(s(b'ssh-ed25519') + s(raw)).decode()}\n"


def test_a_small_order_key_in_the_allowed_signers_file_makes_any_signature_valid_so_it_is_found(keys, tmp_path):
    """Why the settings refuse such a key: ssh-keygen itself accepts a signature that proves nothing (R the neutral
    point, S = 0) for any data under the neutral point as key. ``weak_signers`` names the line; real keys pass."""
    neutral = bytes.fromhex(SMALL_ORDER[0])
    blob = b"SSHSIG" + (1).to_bytes(4, "big") + s(s(b"ssh-ed25519") + s(neutral)) + s(NS.encode()) + s(b"") + s(b"sha512")
    forged = armour(blob + s(s(b"ssh-ed25519") + s(neutral + bytes(32))))
    signers = tmp_path / "toegestane-ondertekenaars"
    signers.write_text(line("alice@example.org", keys["alice"]) + _neutral_key_line("mallory@example.org", neutral))
    request = (NS, str(signers), "mallory@example.org", forged, b"wat dan ook")
    assert ssh_keygen_verdict(request) is not None  # the forgery is real
    assert signing.weak_signers(signers) == [(2, "mallory@example.org")]
    for encoded in SMALL_ORDER:
        assert signing.small_order_ed25519(bytes.fromhex(encoded)), encoded
    assert not signing.small_order_ed25519(key_blob(keys["alice"])[-32:])
    assert not signing.small_order_ed25519(bytes.fromhex("02" + "00" * 31))  # not on the curve: nothing verifies


def test_a_signature_by_a_small_order_key_is_refused_even_where_ssh_keygen_accepts_it(keys, tmp_path):
    """Defence beside the settings check (the file may change after it): ``verify`` refuses a signature whose key is of
    small order, by whichever path it was accepted; a real key's signature still verifies."""
    neutral = bytes.fromhex(SMALL_ORDER[0])
    blob = b"SSHSIG" + (1).to_bytes(4, "big") + s(s(b"ssh-ed25519") + s(neutral)) + s(NS.encode()) + s(b"") + s(b"sha512")
    forged = armour(blob + s(s(b"ssh-ed25519") + s(neutral + bytes(32))))
    signers = tmp_path / "toegestane-ondertekenaars"
    signers.write_text(line("alice@example.org", keys["alice"]) + _neutral_key_line("mallory@example.org", neutral))
    with pytest.raises(signing.SigningError, match="kleine orde"):
        signing.verify(b"wat dan ook", forged, "mallory@example.org", signers, NS)
    good = signing.sign(b"wat dan ook", keys["alice"], NS)
    assert signing.verify(b"wat dan ook", good, "alice@example.org", signers, NS).fingerprint.startswith("SHA256:")


def test_small_order_points_are_found_in_security_key_and_certificate_blobs_too(tmp_path):
    """A FIDO key (``sk-ssh-ed25519@openssh.com``: the point, then the application) and an Ed25519 certificate (the
    certified point after the nonce) carry the point elsewhere in the blob; a small-order one is found in both, a
    plain RSA line or garbage is left to ssh-keygen."""
    eight = bytes.fromhex(SMALL_ORDER[4])
    sk = s(b"sk-ssh-ed25519@openssh.com") + s(eight) + s(b"ssh:")
    cert = s(b"ssh-ed25519-cert-v01@openssh.com") + s(bytes(32)) + s(eight) + s(b"rest")
    assert signing._ed25519_public(sk) == eight and signing._ed25519_public(cert) == eight
    assert signing._ed25519_public(s(b"ssh-rsa") + s(eight)) is None
    assert signing._ed25519_public(s(b"ssh-ed25519") + s(eight[:31])) is None
    signers = tmp_path / "ondertekenaars"
    signers.write_text(
        f"bob@example.org sk-ssh-ed25519@openssh.com {base64.b64encode(sk).decode()}\n"
        "carol@example.org ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ==\n"
        "rommel ssh-ed25519 !!!\n"
        f'dave@example.org namespaces="woo-publicatie" ssh-ed25519 {base64.b64encode(s(b"ssh-ed25519") + s(eight)).decode()}\n'
    )
    assert signing.weak_signers(signers) == [(1, "bob@example.org"), (4, "dave@example.org")]
