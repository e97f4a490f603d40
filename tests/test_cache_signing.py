"""Signed build caches (publish/cachestore.py): every cache entry that can influence the site carries an HMAC-SHA256
under a key that does not live in the cache. Someone who can write the cache but has not the key can make entries with
a valid SHA-256 (a "clean" gate verdict for a leaking PDF, a published copy, a page with script, a file-hash memo entry,
a render-cache "clean" flag); none of them is used: it is recomputed, counted and reported once, and the build goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from support import all_text, approve, build_args

LEAK = b"GEHEIMLEK"


def leaking_pdf() -> bytes:
    """A real leak: text under a black box (the gate refuses it: pdf.tekst_onder_vlak)."""
    from support.pdfcraft import one_page_pdf

    return one_page_pdf(
        b"BT /F1 12 Tf 72 700 Td (Gewone zichtbare regel) Tj ET "
        b"BT /F1 12 Tf 72 600 Td (GEHEIMLEK 123456782) Tj ET 0 g 70 590 300 30 re f"
    )


def run(args: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "woo-publish"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})})


def build(decisions: Path, out: Path, *extra: str, env: dict | None = None) -> tuple[int, dict, str]:
    report = out.parent / f"rapport-{out.name}.json"
    report.unlink(missing_ok=True)
    result = run(build_args(decisions, out, "--report", str(report), *extra, cache=out.parent / "cache"), env)
    data = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {}
    return result.returncode, data, result.stdout + result.stderr


def warnings_of(report: dict, code: str) -> list[dict]:
    return [w for w in report["warnings"] if w["code"] == code]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rewrite(path: Path, data: bytes) -> None:
    path.chmod(0o644)  # entries are written read-only; whoever forges them can write the folder
    path.write_bytes(data)


def forge_json(path: Path, value) -> None:
    """A JSON entry with a new value and a valid SHA-256, its MAC kept (made without the key)."""
    old = json.loads(path.read_text(encoding="utf-8"))
    body = json.dumps(value, ensure_ascii=False, sort_keys=True)
    entry = {"sha256": sha(body.encode("utf-8")), "value": json.loads(body), "mac": old.get("mac", "0" * 64)}
    rewrite(path, json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def forge_blob(path: Path, data: bytes, meta: dict | None = None) -> None:
    head = json.loads(path.read_bytes().partition(b"\n")[0])
    new = {"sha256": sha(data), "size": len(data), "meta": head["meta"] if meta is None else meta, "mac": head["mac"]}
    rewrite(path, json.dumps(new, sort_keys=True).encode("utf-8") + b"\n" + data)


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


# --- the Cache itself (no build) -----------------------------------------------------------------------------------
def test_entries_verify_only_under_their_key_kind_and_name(tmp_path, config_home):
    from publish import cachestore
    from publish.cache import Cache

    root = tmp_path / "cache"
    cache = Cache.open(root)
    key_file = config_home / "woo-publicatie" / cachestore.KEY_NAME
    assert cache.key_file == key_file and key_file.is_file() and not key_file.is_relative_to(tmp_path)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    cache.put_json("pdf-oordeel", "aa11", {"ok": True})
    cache.put_blob("pagina", "bb22", b"<p>tekst</p>", {"clean": False})
    assert cache.get_json("pdf-oordeel", "aa11") == {"ok": True}
    assert cache.get_blob("pagina", "bb22") == ({"clean": False}, b"<p>tekst</p>")
    before = cachestore.COUNTERS["refused"]
    # The same entry under another name (a verdict moved to another PDF's hash) does not verify.
    moved = root / "pdf-oordeel" / "cc" / "cc33.json"
    moved.parent.mkdir(parents=True)
    moved.write_bytes((root / "pdf-oordeel" / "aa" / "aa11.json").read_bytes())
    assert cache.get_json("pdf-oordeel", "cc33") is None
    # The render cache's "clean" flag is covered: flipped with a valid checksum, the entry is refused.
    forge_blob(root / "pagina" / "bb" / "bb22.blob", b"<p>tekst</p><script>alert(1)</script>", {"clean": True})
    assert cache.get_blob("pagina", "bb22") is None
    # Another key (another cache's, or an attacker's) verifies nothing.
    other_key = tmp_path / "andere-sleutel"
    other_key.write_text("ab" * 32)
    other_key.chmod(0o600)
    assert Cache.open(root, other_key).get_json("pdf-oordeel", "aa11") is None
    assert cachestore.COUNTERS["refused"] == before + 3
    # A damaged entry (checksum wrong) is damage, not a forgery: absent, not counted.
    rewrite(root / "pdf-oordeel" / "aa" / "aa11.json", b'{"sha256": "00", "value": 1, "mac": ""}')
    assert cache.get_json("pdf-oordeel", "aa11") is None
    assert cachestore.COUNTERS["refused"] == before + 3


def test_store_rows_verify_only_under_the_key(tmp_path):
    from publish import cachestore
    from publish.diskstore import StoreReader, StoreWriter

    path = tmp_path / "store.sqlite"
    good, bad = b"k" * 32, b"x" * 32
    writer = StoreWriter(path, "soort", secret=bad)
    writer.put("a", "waarde")
    writer.commit()
    writer.close()
    before = cachestore.COUNTERS["refused"]
    reader = StoreReader(path, "soort", secret=good)
    assert reader.usable and reader.get("a") is None and reader.damaged_rows == 1
    reader.close()
    assert cachestore.COUNTERS["refused"] == before + 1
    assert StoreReader(path, "soort", secret=bad).get("a") == "waarde"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "bevat geen geldige sleutel"),
        (b"\x1b[31mrood\x1b[0m" * 10, "bevat geen geldige sleutel"),
        (b"ab" * 10, "bevat geen geldige sleutel"),
        (b"a" * 100_000, "te groot"),
    ],
)
def test_a_bad_key_file_is_refused_in_dutch(tmp_path, content, expected):
    from publish.cache import Cache
    from publish.cachestore import CacheKeyError

    key = tmp_path / "sleutel\x1b[2J"
    key.write_bytes(content)
    with pytest.raises(CacheKeyError) as raised:
        Cache.open(tmp_path / "cache", key)
    message = str(raised.value)
    assert expected in message and "\x1b" not in message and "rood" not in message


# --- whole builds ---------------------------------------------------------------------------------------------------
pytestmark_slow = pytest.mark.slow


@pytestmark_slow
def test_forged_gate_verdict_and_published_copy_never_publish_a_leak(make_package, decisions, tmp_path):
    approve(make_package("goed"))
    lek = make_package("lek", meta={"kenmerk": "2024-0002"})
    leak = leaking_pdf()
    (lek / "documenten" / "1.pdf").write_bytes(leak)
    approve(lek)
    out = tmp_path / "site"
    code, report, text = build(decisions, out)
    assert code == 1, text
    assert [r["package"] for r in report["refused"]] == ["lek"]
    cache = tmp_path / "cache"
    leak_sha = sha(leak)
    # Forge: the gate found nothing, and the published copy is the leaking PDF itself (valid SHA-256s, no key).
    for kind in ("pdf-oordeel", "pdf"):
        (path,) = (cache / kind).rglob(f"{leak_sha}-v*.json")
        value = json.loads(path.read_text(encoding="utf-8"))["value"]
        value.update(ok=True, error="", error_code="", findings=[], published_sha256=leak_sha, published_size=len(leak))
        forge_json(path, value)
    copy_path = cache / "published" / leak_sha[:2] / path.name.replace(".json", ".pdf")
    copy_path.parent.mkdir(parents=True, exist_ok=True)
    copy_path.write_bytes(leak)
    code, report, text = build(decisions, out)
    assert code == 1, text
    assert [r["package"] for r in report["refused"]] == ["lek"]
    assert "pdf.tekst_onder_vlak" in {p["code"] for r in report["refused"] for p in r["problems"]}
    assert report["pdfs_parsed"] == 1  # the forged verdict was not used: the leaking PDF was judged again
    assert report["tellers"]["cache_ongeldig_ondertekend"] >= 2
    assert len(warnings_of(report, "cache.handtekening")) == 1
    assert LEAK.decode() not in all_text(out)
    assert not any(LEAK in p.read_bytes() or p.read_bytes() == leak for p in out.rglob("*.pdf"))

    # A published copy of a published PDF replaced by the leak, with its verdict naming the new copy's SHA-256.
    good_doc = (decisions / "goed" / "documenten" / "1.pdf").read_bytes()
    good_sha = sha(good_doc)
    before = {p: b for p, b in site_files(out).items() if p.endswith(".pdf")}
    for kind in ("pdf-oordeel", "pdf"):
        (path,) = (cache / kind).rglob(f"{good_sha}-v*.json")
        value = json.loads(path.read_text(encoding="utf-8"))["value"]
        value.update(published_sha256=leak_sha, published_size=len(leak))
        forge_json(path, value)
        (copy,) = (cache / "published").rglob(path.name.replace(".json", ".pdf"))
    rewrite(copy, leak)
    code, report, text = build(decisions, tmp_path / "site-2")
    assert code == 1, text
    assert report["tellers"]["cache_ongeldig_ondertekend"] >= 2
    after = {p: b for p, b in site_files(tmp_path / "site-2").items() if p.endswith(".pdf")}
    assert after == before and not any(LEAK in b for b in after.values())


@pytestmark_slow
def test_forged_pages_fragments_and_render_flags_never_reach_the_site(make_package, decisions, tmp_path):
    approve(make_package("goed"))
    out = tmp_path / "site"
    code, report, text = build(decisions, out)
    assert code == 0, text
    cache = tmp_path / "cache"
    reference = site_files(out)
    script = "<script>alert('vervalst')</script>"
    forged = {"bron": 0, "pagina": 0, "fragment": 0}
    for path in (cache / "bron").rglob("*.blob"):  # the decision's generated pages (publish/pagecache.py)
        entry = json.loads(path.read_bytes().partition(b"\n")[2])
        for page in entry["paginas"]:
            page[2] = page[2] + f"\n\nVERVALSTE-BRON {script}\n"
        forge_blob(path, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
        forged["bron"] += 1
    for path in (cache / "pagina").rglob("*.blob"):  # rendered pages, with the flag that they were found clean
        data = path.read_bytes().partition(b"\n")[2].replace(b"</body>", f"VERVALSTE-PAGINA {script}</body>".encode())
        forge_blob(path, data, {"clean": True})
        forged["pagina"] += 1
    for path in (cache / "fragment").rglob("*.json"):  # open-data fragments
        value = json.dumps(json.loads(path.read_text(encoding="utf-8"))["value"], ensure_ascii=False)
        forge_json(path, json.loads(value.replace("Verzoek over vergaderstukken", f"VERVALST-FRAGMENT {script}")))
        forged["fragment"] += 1
    assert all(forged.values()), forged
    fresh = tmp_path / "site-2"  # a new output: nothing to link from a live site, so the cache is asked
    code, report, text = build(decisions, fresh)
    assert code == 0, text
    assert report["tellers"]["cache_ongeldig_ondertekend"] >= sum(forged.values())
    assert len(warnings_of(report, "cache.handtekening")) == 1
    site_text = all_text(fresh)
    assert "VERVALST" not in site_text and "alert('vervalst')" not in site_text
    assert site_files(fresh) == reference  # made again: byte for byte the same site


@pytestmark_slow
def test_with_the_key_a_warm_rebuild_uses_the_cache(make_package, decisions, tmp_path, config_home):
    approve(make_package("goed"))
    out = tmp_path / "site"
    code, first, text = build(decisions, out)
    assert code == 0, text
    assert first["pdfs_parsed"] > 0 and first["tellers"]["cache_ongeldig_ondertekend"] == 0
    assert not warnings_of(first, "cache.nieuwe_sleutel")  # a first key for an empty cache is nothing to report
    code, warm, text = build(decisions, tmp_path / "site-2")
    assert code == 0, text
    assert warm["pdfs_parsed"] == 0 and warm["tellers"]["cache_ongeldig_ondertekend"] == 0
    assert warm["site"]["paginas_uit_cache"] > 0 and not warnings_of(warm, "cache.handtekening")
    assert site_files(tmp_path / "site-2") == site_files(out)


@pytestmark_slow
def test_a_lost_or_unusable_key(make_package, decisions, tmp_path, config_home):
    from publish.cachestore import KEY_NAME

    approve(make_package("goed"))
    out = tmp_path / "site"
    code, report, text = build(decisions, out)
    assert code == 0, text
    key = config_home / "woo-publicatie" / KEY_NAME
    old_key = key.read_bytes()
    index = (out / "index.html").read_bytes()

    # The default key lost: a new one is made (0600), the existing cache is not trusted and is rebuilt; said once.
    key.unlink()
    code, report, text = build(decisions, out)
    assert code == 0, text
    assert key.is_file() and key.read_bytes() != old_key and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert report["pdfs_parsed"] > 0 and report["tellers"]["cache_ongeldig_ondertekend"] > 0
    assert len(warnings_of(report, "cache.nieuwe_sleutel")) == 1
    code, report, text = build(decisions, out)
    assert report["pdfs_parsed"] == 0 and report["tellers"]["cache_ongeldig_ondertekend"] == 0

    # A key named by option or environment is never made up: missing, a folder, not a key -> the build stops (exit 2),
    # in Dutch, with the file's name escaped, and the site stays as it was.
    folder = tmp_path / "map-als-sleutel"
    folder.mkdir()
    garbage = tmp_path / "kapot"
    garbage.write_bytes(b"\x1b[31m geen sleutel \x00")
    cases = [
        (["--cache-sleutel", str(tmp_path / "weg\x1b[2J")], {}, "bestaat niet"),
        (["--cache-sleutel", str(folder)], {}, "geen gewoon bestand"),
        ([], {"WOO_CACHE_KEY_FILE": str(garbage)}, "bevat geen geldige sleutel"),
    ]
    for extra, env, expected in cases:
        code, report, text = build(decisions, out, *extra, env=env)
        assert code == 2, text
        assert expected in report["error"] and "sleutelbestand van de cache" in report["error"]
        assert "\x1b" not in text and "\x1b" not in report["error"]
        assert (out / "index.html").read_bytes() == index
    # check and approve read the same key: the same refusal, no traceback.
    result = run(["check", str(decisions), "--cache", str(tmp_path / "cache")], {"WOO_CACHE_KEY_FILE": str(garbage)})
    assert result.returncode == 2 and "bevat geen geldige sleutel" in result.stderr and "Traceback" not in result.stderr

    # A named key that exists: used; entries made under the default key are not trusted under it.
    named = tmp_path / "eigen-sleutel"
    named.write_text("cd" * 32 + "\n")
    named.chmod(0o600)
    code, report, text = build(decisions, out, "--cache-sleutel", str(named))
    assert code == 0, text
    assert report["tellers"]["cache_ongeldig_ondertekend"] > 0 and report["pdfs_parsed"] > 0
    code, report, text = build(decisions, out, env={"WOO_CACHE_KEY_FILE": str(named)})
    assert code == 0 and report["pdfs_parsed"] == 0 and report["tellers"]["cache_ongeldig_ondertekend"] == 0


@pytestmark_slow
def test_forged_page_texts_are_never_published(make_package, decisions, tmp_path):
    """The page texts stay in the full inspection entry, read when a page needs them (issue 19). Forged there (its
    verdict record untouched), they are refused when read: that build stops without writing anything, and forgets the
    entry, so the next build inspects the PDF again and publishes the real text."""
    approve(make_package("goed"))
    out = tmp_path / "site"
    code, report, text = build(decisions, out)
    assert code == 0, text
    reference = site_files(out)
    cache = tmp_path / "cache"
    for path in (cache / "pdf").rglob("*.json"):
        value = json.loads(path.read_text(encoding="utf-8"))["value"]
        value["texts"] = ["VERVALSTE-TEKST " + t for t in value["texts"]]
        forge_json(path, value)
    import shutil

    for kind in cache.iterdir():  # everything made from the texts (pages, search index) made again: the texts are read
        if kind.is_dir() and kind.name not in ("pdf", "pdf-oordeel", "published"):
            shutil.rmtree(kind)
    fresh = tmp_path / "site-2"
    code, report, text = build(decisions, fresh)
    assert code == 2, text
    assert "niet ondertekend met de cachesleutel" in report["error"] and not fresh.exists()
    code, report, text = build(decisions, fresh)
    assert code == 0, text
    assert report["pdfs_parsed"] > 0
    assert "VERVALST" not in all_text(fresh)
    assert site_files(fresh) == reference


def test_a_key_others_may_read_or_a_key_inside_the_cache_is_refused(tmp_path):
    """Attack round 6, rows 3 and 2: a key file open to group or others (or planted by another user) and a key file
    inside the cache folder would let whoever can write the cache sign forgeries; both stop the build (Dutch)."""
    from publish.cachestore import CacheKeyError, key_choice, read_key

    key = tmp_path / "sleutel"
    key.write_text("ab" * 32 + "\n")
    for mode in (0o644, 0o660, 0o604):
        key.chmod(mode)
        with pytest.raises(CacheKeyError, match="chmod 600"):
            read_key(key)
    key.chmod(0o600)
    assert read_key(key) == bytes.fromhex("ab" * 32)
    cache = tmp_path / "cache"
    with pytest.raises(CacheKeyError, match="in de cachemap zelf"):
        key_choice(cache, cache / "sub" / "sleutel")
    assert key_choice(cache, tmp_path / "sleutel").named  # beside the cache is fine
