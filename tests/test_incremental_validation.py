"""Issue 19: a warm rebuild validates cheaply, and every memo gives way to the change that must undo it.

The build remembers PDFs' SHA-256 by their identity on disk (publish/cache.py HashMemo), reads the gate's verdict
from a small record without the page texts (publish/pdfs.py); signatures are verified on every build (in process, or
by ssh-keygen), never cached (publish/signing.py, attack round 6 row 2b). The counters in the build report (``tellers``) show what was done and what was reused.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from support import DEMO_KEY, ROOT, all_text, approve, build_args, write_pdf

pytestmark = pytest.mark.slow  # builds whole sites


def run(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "woo-publish"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600)


def build(decisions: Path, out: Path, today: str = "2024-06-01", config: Path = ROOT / "mkdocs.yml") -> tuple[int, dict, str]:
    report = out.parent / "rapport.json"
    result = run(*build_args(decisions, out, "--report", str(report), config=config, today=today))
    return result.returncode, json.loads(report.read_text(encoding="utf-8")), result.stdout + result.stderr


def codes(report: dict, package: str) -> set[str]:
    return {p["code"] for r in report["refused"] if r["package"] == package for p in r["problems"]}


def settle() -> None:
    """Files changed less than a second ago are not remembered (HashMemo.SETTLED_NS)."""
    time.sleep(1.1)


def pdfs_of(pkg: Path) -> list[Path]:
    return sorted(pkg.rglob("*.pdf"))


@pytest.fixture
def warm(make_package, decisions, tmp_path):
    """A published package, built until its PDFs' hashes are remembered: the first build makes the published copies in
    the cache, the second remembers their hashes."""
    pkg = make_package()
    approve(pkg)
    settle()
    out = tmp_path / "site"
    for _ in range(2):
        code, first, text = build(decisions, out)
        assert code == 0, text
        settle()
    return pkg, out


def test_a_warm_rebuild_reuses_hashes_and_verdicts_but_verifies_signatures(warm, decisions):
    pkg, out = warm
    n = len(pdfs_of(pkg))
    code, report, text = build(decisions, out)
    assert code == 0, text
    t = report["tellers"]
    assert report["pdfs_parsed"] == 0
    assert t["bestanden_gehasht"] == 0  # not one PDF read for its hash
    assert t["hashes_uit_geheugen"] >= 2 * n  # each PDF for the approval and the inspection, and its published copy
    # Issue 19: the package's verdicts from its one record (validationcache.PackageVerdicts), none read one by one.
    assert t["pakketten_pdf_oordelen_uit_cache"] == 1 and t["pdf_oordelen_per_pakket"] == n
    assert t["pdf_oordelen_klein"] == 0 and t["pdf_oordelen_uit_volledig"] == 0
    # Attack round 6, row 2b: a signature is verified with ssh-keygen on every build, never taken from the cache.
    assert t["handtekeningen_gecontroleerd"] >= 1 and "handtekeningen_uit_cache" not in t
    assert [p["package"] for p in report["published"]] == [pkg.name]


def test_a_pdf_rewritten_with_the_same_size_and_a_forged_mtime_is_hashed_again(warm, decisions):
    """ctime cannot be set by a user: the rewritten file has another identity and is hashed again; the package is
    refused as changed since its approval, and its approved version stays online."""
    pkg, out = warm
    doc = pkg / "documenten" / "1.pdf"
    before = doc.stat()
    data = doc.read_bytes()
    forged = data.replace(b"/Creator (anonymous)", b"/Creator (anonymouS)")  # still a sound PDF
    assert forged != data and len(forged) == len(data)
    time.sleep(0.05)  # past the kernel's clock tick for ctime
    doc.write_bytes(forged)
    os.utime(doc, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert doc.stat().st_mtime_ns == before.st_mtime_ns and doc.stat().st_size == before.st_size
    code, report, text = build(decisions, out)
    assert code == 1, text
    assert report["tellers"]["bestanden_gehasht"] >= 1
    assert "goedkeuring.verlopen" in codes(report, pkg.name)
    problems = [p for r in report["refused"] for p in r["problems"] if p["code"] == "goedkeuring.verlopen"]
    assert any(p["file"] == "documenten/1.pdf" and "na de goedkeuring gewijzigd" in p["message"] for p in problems)
    assert [k["package"] for k in report["kept"]] == [pkg.name]  # the approved version from the archive


def test_a_damaged_memo_only_costs_work(warm, decisions):
    pkg, out = warm
    memo = out.parent / "cache" / "bestandshashes.sqlite"  # publish/diskstore.py
    assert memo.is_file()
    data = memo.read_bytes()
    for damaged in (data[: len(data) // 2], b"\x00garbage", data[:100] + bytes(b ^ 0xFF for b in data[100:4096]) + data[4096:]):
        memo.chmod(0o644)
        memo.write_bytes(damaged)
        code, report, text = build(decisions, out)
        assert code == 0, text
        # Ignored whole: every PDF and published copy hashed again (once; the build reuses it within the run).
        assert report["tellers"]["bestanden_gehasht"] >= 2 * len(pdfs_of(pkg))


def test_a_forged_memo_entry_cannot_publish_the_changed_file(warm, decisions):
    """A memo entry with a valid checksum that names the approved hash for a changed PDF. Made without the cache's key
    (publish/cachestore.py) it is ignored and counted: the changed file is hashed and found changed. Made even with the
    key, the site still shows only the approved content (taken from the cache by that hash), and without a cached result
    the inspection, which checks the bytes it reads, refuses the PDF."""
    pkg, out = warm
    cache = out.parent / "cache"
    doc = pkg / "documenten" / "1.pdf"
    approved = doc.read_bytes()
    approved_sha = hashlib.sha256(approved).hexdigest()
    before = sorted(p.read_bytes() for p in out.rglob("*.pdf"))
    time.sleep(0.05)
    write_pdf(doc, ["# Document 1", "GEHEIME TEKST DIE NOOIT OP DE SITE MAG"])
    st = doc.stat()
    key = f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{os.path.abspath(doc)}"
    from publish.cache import HashMemo
    from publish.cachestore import default_key_file, read_key
    from publish.diskstore import StoreReader, StoreWriter

    memo = cache / HashMemo.NAME
    secret = read_key(default_key_file())
    old = StoreReader(memo, HashMemo.KIND, secret=secret)
    assert old.usable
    old.close()

    def forge(secret: bytes | None) -> None:
        forged = StoreWriter(memo, HashMemo.KIND, secret=secret)  # a valid store with valid checksums, made by hand
        forged.put(key, approved_sha)
        forged.commit()
        forged.close()

    forge(None)
    code, report, text = build(decisions, out)
    assert code == 1, text  # the changed file is found changed: the approved version stays online
    assert report["tellers"]["cache_ongeldig_ondertekend"] >= 1
    assert [w["code"] for w in report["warnings"]].count("cache.handtekening") == 1
    assert "goedkeuring.verlopen" in codes(report, pkg.name)
    assert sorted(p.read_bytes() for p in out.rglob("*.pdf")) == before
    assert "GEHEIME TEKST" not in all_text(out)

    forge(secret)  # someone who has the key too
    code, report, text = build(decisions, out)
    assert code == 0, text  # the forged memo says the file is the approved one...
    assert report["tellers"]["cache_ongeldig_ondertekend"] == 0
    # ...but only the approved content is published: the same copies as before, none of the new text.
    assert sorted(p.read_bytes() for p in out.rglob("*.pdf")) == before
    assert "GEHEIME TEKST" not in all_text(out)
    # Without a cached result for that hash the changed bytes are read: refused, never judged under the approved hash.
    for kind in ("pdf", "pdf-oordeel", "published"):
        for entry in (cache / kind).rglob(f"{approved_sha}-*"):
            entry.unlink()
    forge(secret)
    code, report, text = build(decisions, out)
    assert code == 1, text
    assert "pdf.gewijzigd" in codes(report, pkg.name)


def test_an_unwritable_memo_does_not_stop_the_build(warm, decisions):
    pkg, out = warm
    memo = out.parent / "cache" / "bestandshashes.sqlite"
    memo.unlink()
    memo.mkdir()  # cannot be replaced by a file: as a read-only cache would refuse it
    code, report, text = build(decisions, out)
    assert code == 0, text
    assert report["tellers"]["bestanden_gehasht"] >= len(pdfs_of(pkg))
    assert [p["package"] for p in report["published"]] == [pkg.name]


def test_the_verdict_record_is_made_from_an_old_full_entry_once(warm, decisions):
    pkg, out = warm
    verdicts = out.parent / "cache" / "pdf-oordeel"
    for entry in verdicts.rglob("*.json"):
        entry.unlink()
    code, report, text = build(decisions, out)
    assert code == 0, text
    n = len(pdfs_of(pkg))
    assert report["tellers"]["pdf_oordelen_uit_volledig"] == n and report["pdfs_parsed"] == 0
    assert report["tellers"]["pdf_oordelen_per_pakket"] == 0
    code, report, text = build(decisions, out)
    t = report["tellers"]
    # The package's record was not used while its PDFs' verdict records were gone; it is again now they are back.
    assert t["pdf_oordelen_per_pakket"] == n and t["pdf_oordelen_klein"] == 0 and t["pdf_oordelen_uit_volledig"] == 0
    page = next(out.rglob("documenten/1/index.html"), None) or next(
        p for p in out.rglob("*.html") if "Inhoud van het document" in p.read_text()
    )
    assert "Inhoud van het document" in page.read_text(encoding="utf-8")  # texts still come from the full entry


def test_an_edited_approval_is_verified_again_and_refused(warm, decisions):
    pkg, out = warm
    record = json.loads((pkg / "goedkeuring.json").read_text())
    record["handtekeningen"][0]["op"] = "2030-01-01T00:00:00+00:00"  # what the signature covers, changed by hand
    (pkg / "goedkeuring.json").write_text(json.dumps(record))
    code, report, text = build(decisions, out)
    assert code == 1, text
    assert report["tellers"]["handtekeningen_gecontroleerd"] >= 1  # verified again: not taken from the cache
    assert "goedkeuring.handtekening" in codes(report, pkg.name)


def _config_trusting(tmp_path: Path, keys: list[tuple[str, Path]]) -> Path:
    data = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    allowed = tmp_path / "ondertekenaars.txt"
    allowed.write_text("".join(f"{who} {' '.join(Path(str(k) + '.pub').read_text().split()[:2])}\n" for who, k in keys))
    data["extra"]["woo"]["ondertekenaars"] = allowed.name
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True))
    return config


def test_a_removed_or_replaced_signer_key_is_verified_again(make_package, decisions, tmp_path):
    other = tmp_path / "sleutels" / "ander"
    other.parent.mkdir()
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ander", "-f", str(other)], check=True)
    config = _config_trusting(tmp_path, [("demo@voorbeeld.nl", DEMO_KEY), ("ander@voorbeeld.nl", other)])
    pkg = make_package()
    approve(pkg, key=other, signers=tmp_path / "ondertekenaars.txt")
    out = tmp_path / "site"
    code, report, text = build(decisions, out, config=config)
    assert code == 0, text
    assert report["tellers"]["handtekeningen_gecontroleerd"] == 1
    assert report["tellers"]["handtekeningen_via_ssh_keygen"] == 0  # sig19: a plain Ed25519 line, checked in process
    code, report, text = build(decisions, out, config=config)
    assert code == 0 and report["tellers"]["handtekeningen_gecontroleerd"] == 1, text  # every build (row 2b)
    # The signer's key is taken out of the allowed-signers file: verified again, and refused (by ssh-keygen).
    _config_trusting(tmp_path, [("demo@voorbeeld.nl", DEMO_KEY)])
    code, report, text = build(decisions, out, config=config)
    assert code == 1, text
    assert report["tellers"]["handtekeningen_gecontroleerd"] >= 1
    assert report["tellers"]["handtekeningen_via_ssh_keygen"] == report["tellers"]["handtekeningen_gecontroleerd"]
    assert "goedkeuring.handtekening" in codes(report, pkg.name)
    # The principal stays but with another key (the old one revoked and replaced): refused as well.
    _config_trusting(tmp_path, [("ander@voorbeeld.nl", DEMO_KEY)])
    code, report, text = build(decisions, out, config=config)
    assert code == 1 and "goedkeuring.handtekening" in codes(report, pkg.name), text


def test_an_embargo_is_evaluated_on_every_build(make_package, decisions, tmp_path):
    pkg = make_package(meta={"publicatie_datum": "2024-07-01"})
    approve(pkg)
    settle()
    out = tmp_path / "site"
    code, report, text = build(decisions, out, today="2024-06-01")
    assert code == 0, text
    assert [e["package"] for e in report["embargoed"]] == [pkg.name] and report["published"] == []
    code, report, text = build(decisions, out, today="2024-06-30")
    assert [e["package"] for e in report["embargoed"]] == [pkg.name], text
    assert report["pdfs_parsed"] == 0 and report["tellers"]["handtekeningen_gecontroleerd"] >= 1  # memos used, date checked
    code, report, text = build(decisions, out, today="2024-07-01")
    assert code == 0, text
    assert report["embargoed"] == [] and [p["package"] for p in report["published"]] == [pkg.name]


def test_hash_memo_unit_rewrite_with_forged_mtime(tmp_path):
    """The memo itself, without a build: same size, forged mtime, same inode: hashed again."""
    from publish.cache import Cache, HashMemo

    f = tmp_path / "a.pdf"
    f.write_bytes(b"%PDF-1.4 een")
    old = time.time_ns() - 10**10
    os.utime(f, ns=(old, old))
    memo = HashMemo(Cache(tmp_path / "cache"))
    memo.SETTLED_NS = -(10**12)  # the file was just written: remember it anyway for this test
    first = memo.sha256(f)
    assert memo.sha256(f) == first and memo.hashed == 1 and memo.reused == 1
    memo.save()
    again = HashMemo(Cache(tmp_path / "cache"))
    assert again.sha256(f) == first and again.hashed == 0
    time.sleep(0.05)
    with open(f, "r+b") as handle:  # same inode, same size
        handle.write(b"%PDF-1.4 twe")
    os.utime(f, ns=(old, old))
    third = HashMemo(Cache(tmp_path / "cache"))
    assert third.sha256(f) == hashlib.sha256(b"%PDF-1.4 twe").hexdigest() and third.hashed == 1
