"""Attack round 6, row 2b: the build cache's key must never stand in for an approver's SSH key.

The build used to remember "this signature verified" in the signed build cache (kind ``handtekening``), under a name
made of public values only (namespace, signed text, signature text, principal, allowed signers). Whoever had the
cache key (a CI cache, a shared host) could then change an approved package, rewrite ``goedkeuring.json``'s hashes,
put any text as its signature and sign one cache entry: the unapproved package was published. Now every signature
is verified with ``ssh-keygen -Y verify`` on every build, also when the package's validation comes from the cache.

Real builds (the console script), real PDFs (reportlab), real SSH signatures (the demonstration key).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from support import DEMO_KEY, DEMO_SIGNERS, all_text, approve, build_args

pytestmark = pytest.mark.slow  # builds whole sites

SECRET = "Jan Pietersen uit Apeldoorn"


def run(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "woo-publish"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600)


def build(decisions: Path, out: Path, cache: Path) -> tuple[int, dict, str]:
    report = out.parent / f"{out.name}-rapport.json"
    result = run(*build_args(decisions, out, "--report", str(report), "--archief", str(out.parent / "archief"), cache=cache))
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return result.returncode, json.loads(report.read_text(encoding="utf-8")), result.stdout + result.stderr


def problems_of(report: dict, package: str) -> list[dict]:
    return [p for r in report["refused"] if r["package"] == package for p in r["problems"]]


def forge(pkg: Path, cache: Path, bogus: str = "-----BEGIN SSH SIGNATURE-----\nvervalst\n-----END SSH SIGNATURE-----\n") -> str:
    """attacks6/forge_approval.py: change the package, rewrite its approval record around a made-up signature, and
    sign a "this signature verified" entry with the cache key. Returns the entry's key."""
    from publish.approval import current_hashes, record_identity, signed_text
    from publish.cache import Cache
    from publish.cachestore import key_choice, read_key
    from publish.signing import NAMESPACE

    md = pkg / "besluit.md"
    md.write_text(md.read_text(encoding="utf-8") + f"\nNIET GOEDGEKEURD: de melding kwam van {SECRET}.\n", encoding="utf-8")
    record = json.loads((pkg / "goedkeuring.json").read_text(encoding="utf-8"))
    record["bestanden"] = current_hashes(pkg)
    entry = record["handtekeningen"][0]
    # Newer than the published approval, so the roll-back guard (fate._not_older_than_published) lets it through.
    entry["op"] = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5)).replace(microsecond=0).isoformat()
    entry["handtekening"] = bogus
    (pkg / "goedkeuring.json").write_text(json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    data = signed_text(record["bestanden"], entry["door"], entry["op"], record_identity(record))
    name = hashlib.sha256(
        b"\0".join([NAMESPACE.encode(), data, bogus.encode(), entry["door"].encode(), DEMO_SIGNERS.read_bytes()])
    ).hexdigest()
    secret = read_key(key_choice(cache).path)  # the attacker has the cache key (attack round 6, rows 2 and 3)
    Cache(cache, secret).put_json("handtekening", name, {"principal": entry["door"], "fingerprint": "SHA256:vervalst"})
    return name


@pytest.fixture
def site(make_package, decisions, tmp_path):
    """Two approved packages, published once."""
    target = make_package("doelwit", meta={"kenmerk": "2024-0001"})
    other = make_package("ander", meta={"kenmerk": "2024-0002", "titel": "Verzoek over een ander onderwerp"})
    approve(target)
    approve(other)
    out, cache = tmp_path / "site", tmp_path / "cache"
    code, report, text = build(decisions, out, cache)
    assert code == 0 and sorted(p["package"] for p in report["published"]) == ["ander", "doelwit"], text
    return target, out, cache


def test_a_forged_signature_verdict_signed_with_the_cache_key_does_not_approve(site, decisions):
    target, out, cache = site
    name = forge(target, cache)
    assert (cache / "handtekening" / name[:2] / f"{name}.json").is_file()  # a validly signed entry, as the attacker made it
    for attempt in range(2):  # the second build takes both packages' validation from the cache: still verified
        code, report, text = build(decisions, out, cache)
        assert code == 1, text
        problems = problems_of(report, "doelwit")
        signature = [p for p in problems if p["code"] == "goedkeuring.handtekening"]
        assert len(signature) == 1, problems
        assert signature[0]["file"] == "goedkeuring.json"
        assert signature[0]["message"].startswith("de goedkeuring is niet geldig ondertekend")
        assert "de handtekening klopt niet" in signature[0]["message"]
        assert "woo-publish approve" in signature[0]["fix"]
        versions = {p["package"]: p["versie"] for p in report["published"]}
        assert versions == {"ander": "huidig", "doelwit": "eerder goedgekeurd"}  # its approved version stays online
        assert [k["package"] for k in report["kept"]] == ["doelwit"]
        assert report["tellers"]["cache_ongeldig_ondertekend"] == 0  # the forged entry is validly signed
        assert report["tellers"]["handtekeningen_gecontroleerd"] >= 2  # both packages' signatures, by ssh-keygen
        if attempt:
            assert report["tellers"]["pakketten_validatie_uit_cache"] == 2
        assert SECRET not in all_text(out)
        assert "Jan Pietersen" not in text


def test_a_real_signature_copied_onto_the_changed_package_is_refused_too(site, decisions):
    """The attacker reuses the approver's genuine signature (of the old state) with the forged cache entry."""
    target, out, cache = site
    genuine = json.loads((target / "goedkeuring.json").read_text(encoding="utf-8"))["handtekeningen"][0]["handtekening"]
    forge(target, cache, bogus=genuine)
    code, report, text = build(decisions, out, cache)
    assert code == 1, text
    assert "goedkeuring.handtekening" in {p["code"] for p in problems_of(report, "doelwit")}
    assert {p["package"]: p["versie"] for p in report["published"]} == {"ander": "huidig", "doelwit": "eerder goedgekeurd"}
    assert SECRET not in all_text(out)


def test_no_signature_verdict_is_written_to_the_cache_and_every_build_runs_ssh_keygen(site, decisions):
    target, out, cache = site
    for _ in range(2):
        code, report, text = build(decisions, out, cache)
        assert code == 0, text
        assert report["tellers"]["handtekeningen_gecontroleerd"] == 2  # one signature per package, every build
        assert report["tellers"]["pakketten_validatie_uit_cache"] == 2
        assert "handtekeningen_uit_cache" not in report["tellers"]
    assert not (cache / "handtekening").exists()


def test_verify_runs_ssh_keygen_every_time():
    """In-process: the same valid signature twice is checked twice; a bogus one is refused in Dutch."""
    from publish import signing
    from publish.approval import signed_text

    data = signed_text({"besluit.md": "0" * 64}, "demo", "2024-06-01T00:00:00+00:00", {"kenmerk": "1", "type": "woo"})
    principal = signing.principal_for(DEMO_KEY, DEMO_SIGNERS)
    signature = signing.sign(data, DEMO_KEY)
    before = signing.COUNTERS["verified"]
    for _ in range(2):
        assert signing.verify(data, signature, principal, DEMO_SIGNERS).principal == principal
    assert signing.COUNTERS["verified"] - before == 2
    with pytest.raises(signing.SigningError, match="de handtekening klopt niet"):
        signing.verify(data + b" ", signature, principal, DEMO_SIGNERS)
