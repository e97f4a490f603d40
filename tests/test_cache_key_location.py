"""Attack round 6, row 2: the default cache key lives in the build user's configuration folder
(``$XDG_CONFIG_HOME/woo-publicatie/cachesleutel``, else ``~/.config/woo-publicatie/cachesleutel``), never in or beside
the cache folder: a CI cache of ``.cache/`` or a shared cache folder no longer carries the key that signs it.

A key at the old default place (``.cache/woo-cachesleutel``, beside the cache folder) is never read by default: a
restored CI cache could bring an attacker's key. The build says so (``cache.oude_sleutel``) and builds the signed cache
again once under the new key (``cache.nieuwe_sleutel``). ``--cache-sleutel`` and ``WOO_CACHE_KEY_FILE`` still win.

Every test here has its own configuration folder (``config_home``, tests/conftest.py); no test touches the real home.
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

from support import all_text, approve, build_args, write_pdf

OLD = "woo-cachesleutel"


def run(args: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "woo-publish"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})})


def build(decisions: Path, out: Path, cache: Path, *extra: str, env: dict | None = None) -> tuple[int, dict, str]:
    report = out.parent / f"rapport-{out.name}.json"
    report.unlink(missing_ok=True)
    result = run(build_args(decisions, out, "--report", str(report), *extra, cache=cache), env)
    data = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {}
    return result.returncode, data, result.stdout + result.stderr


def warnings_of(report: dict, code: str) -> list[dict]:
    return [w for w in report.get("warnings", []) if w["code"] == code]


def key_file(folder: Path, value: str = "ab" * 32, mode: int = 0o600) -> Path:
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text(value + "\n")
    folder.chmod(mode)
    return folder


# --- where the default key is ----------------------------------------------------------------------------------------
def test_the_default_key_is_made_in_the_config_folder_not_beside_the_cache(tmp_path, config_home):
    from publish.cache import Cache
    from publish.cachestore import default_key_file

    cache = tmp_path / ".cache" / "woo-publish"
    opened = Cache.open(cache)
    expected = config_home / "woo-publicatie" / "cachesleutel"
    assert default_key_file() == expected and opened.key_file == expected and opened.key_created
    assert stat.S_IMODE(expected.stat().st_mode) == 0o600
    assert stat.S_IMODE(expected.parent.stat().st_mode) == 0o700
    assert not (tmp_path / ".cache" / OLD).exists() and not list(tmp_path.rglob("*sleutel*"))
    assert opened.old_key_file is None
    again = Cache.open(tmp_path / "elders" / "cache")  # one key for every cache of this user
    assert again.secret == opened.secret and not again.key_created


def test_without_xdg_the_key_goes_to_dot_config_in_home(tmp_path, monkeypatch):
    from publish.cachestore import default_key_file

    home = tmp_path / "thuis"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for xdg in (None, "", "relatief/pad"):  # unset, empty or relative: ignored (XDG Base Directory rule)
        if xdg is None:
            monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
        else:
            monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
        assert default_key_file() == home / ".config" / "woo-publicatie" / "cachesleutel"


@pytest.mark.skipif(os.name != "posix", reason="HOME is how POSIX systems name the home folder")
def test_no_home_folder_is_a_dutch_message_naming_the_option(monkeypatch):
    from publish.cachestore import CacheKeyError, default_key_file

    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", "/")
    with pytest.raises(CacheKeyError, match="--cache-sleutel"):
        default_key_file()


def test_option_and_environment_win_over_the_default(tmp_path, config_home, monkeypatch):
    from publish.cachestore import key_choice

    cache = tmp_path / ".cache" / "woo-publish"
    option, env = tmp_path / "optie-sleutel", tmp_path / "omgeving-sleutel"
    monkeypatch.setenv("WOO_CACHE_KEY_FILE", str(env))
    assert key_choice(cache, option).path == option and key_choice(cache, option).named
    assert key_choice(cache).path == env and key_choice(cache).named
    monkeypatch.delenv("WOO_CACHE_KEY_FILE")
    choice = key_choice(cache)
    assert choice.path == config_home / "woo-publicatie" / "cachesleutel" and not choice.named
    # The old default beside the cache, named on purpose: the operator's choice, used and not reported as old.
    old = key_file(tmp_path / ".cache" / OLD)
    assert key_choice(cache, old).path == old and key_choice(cache, old).old is None
    assert key_choice(cache).old == old  # by default: not used, reported


def test_a_config_folder_inside_the_cache_is_refused(tmp_path, monkeypatch):
    from publish.cachestore import CacheKeyError, key_choice

    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(cache / "instellingen"))
    with pytest.raises(CacheKeyError, match="in de cachemap zelf"):
        key_choice(cache)


@pytest.mark.parametrize("case", ["link", "open", "map", "bestand-als-map", "stuurteken"])
def test_a_hostile_default_key_stops_the_build_in_dutch(case, tmp_path, config_home, make_package, decisions):
    """The checks of a named key hold for the default one: a link, a key others may read, a folder; a config folder
    that cannot hold the key; a path with control characters (escaped in the message). The site stays as it was."""
    approve(make_package("goed"))
    folder = config_home / "woo-publicatie"
    target = folder / "cachesleutel"
    env: dict[str, str] = {}
    if case == "link":
        real = key_file(tmp_path / "echte-sleutel")
        folder.mkdir()
        target.symlink_to(real)
    elif case == "open":
        key_file(target, mode=0o644)
    elif case == "map":
        target.mkdir(parents=True)
    elif case == "bestand-als-map":
        folder.write_text("geen map")
    else:
        hostile = tmp_path / "conf\x1b[2J\nregel"
        hostile.mkdir()
        key_file(hostile / "woo-publicatie" / "cachesleutel", mode=0o666)
        env["XDG_CONFIG_HOME"] = str(hostile)
    code, report, text = build(decisions, tmp_path / "site", tmp_path / ".cache" / "woo-publish", env=env)
    assert code == 2, text
    assert "sleutel" in report["error"] and "Traceback" not in text
    assert "\x1b" not in text and "\x1b" not in report["error"]
    assert not (tmp_path / "site").exists()


# --- a restored or shared .cache/ ------------------------------------------------------------------------------------
@pytest.fixture
def published(make_package, decisions, tmp_path, config_home):
    """One approved package, built with its cache in .cache/woo-publish (as CI caches it) and the default key."""
    pkg = make_package("goed")
    approve(pkg)
    cache = tmp_path / ".cache" / "woo-publish"
    out = tmp_path / "site"
    code, report, text = build(decisions, out, cache)
    assert code == 0, text
    assert not warnings_of(report, "cache.oude_sleutel")
    return pkg, out, cache


@pytest.mark.slow  # builds whole sites
def test_a_key_restored_beside_the_cache_cannot_sign_a_forgery(published, decisions, tmp_path):
    """attacks6/forge.sh --key: whoever can write .cache/ (a CI cache of it) replaces the cached published copy of a
    PDF and its verdicts, signed with a key he puts at the old default place .cache/woo-cachesleutel. Not used: the
    forged entries are refused and recomputed, the real PDF is published, and the old key file is reported."""
    from publish.cachestore import mac

    pkg, out, cache = published
    doc = pkg / "documenten" / "1.pdf"
    sha = hashlib.sha256(doc.read_bytes()).hexdigest()
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.pdf")}
    evil_path = tmp_path / "kwaad.pdf"
    write_pdf(evil_path, ["Ongelakt: J. Pietersen, BSN 111222333, 0612345678"])
    evil = evil_path.read_bytes()
    evil_sha = hashlib.sha256(evil).hexdigest()
    attacker = bytes.fromhex("00112233445566778899aabbccddeeff" * 2)
    planted = key_file(cache.parent / OLD, attacker.hex())
    forged = 0
    for kind in ("pdf-oordeel", "pdf"):
        for path in (cache / kind / sha[:2]).glob(f"{sha}-v*.json"):
            entry = json.loads(path.read_text(encoding="utf-8"))
            value = entry["value"]
            value["published_sha256"], value["published_size"] = evil_sha, len(evil)
            if isinstance(value.get("texts"), list):
                value["texts"] = ["Ongelakt: J. Pietersen"] * len(value["texts"])
            body = json.dumps(value, ensure_ascii=False, sort_keys=True)
            entry["sha256"] = hashlib.sha256(body.encode()).hexdigest()
            entry["mac"] = mac(attacker, kind.encode(), path.name[: -len(".json")].encode(), b".json", body.encode())
            path.chmod(0o600)
            path.write_text(json.dumps(entry, ensure_ascii=False, sort_keys=True), encoding="utf-8")
            forged += 1
    for path in (cache / "published" / sha[:2]).glob(f"{sha}-v*.pdf"):
        path.chmod(0o600)
        path.write_bytes(evil)
    assert forged >= 1
    code, report, text = build(decisions, out, cache)
    assert code == 0, text
    assert report["tellers"]["cache_ongeldig_ondertekend"] >= forged
    (old,) = warnings_of(report, "cache.oude_sleutel")
    assert old["file"] == str(planted) and "niet meer gebruikt" in old["message"] and "Verwijder" in old["fix"]
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.pdf")} == before
    assert "Pietersen" not in all_text(out)
    assert planted.read_text().strip() == attacker.hex()  # never changed or deleted by the build


@pytest.mark.slow  # builds whole sites
def test_an_existing_cache_under_the_old_default_key_is_rebuilt_once(make_package, decisions, tmp_path, config_home):
    """Migration: a site whose cache was signed with .cache/woo-cachesleutel (the old default, here made by naming
    it). The first build after the update makes the new default key, recomputes once, and says both; later builds use
    the cache again and keep pointing at the old file until it is removed."""
    approve(make_package("goed"))
    cache = tmp_path / ".cache" / "woo-publish"
    old = key_file(cache.parent / OLD, "cd" * 32)
    out = tmp_path / "site"
    code, report, text = build(decisions, out, cache, "--cache-sleutel", str(old))
    assert code == 0 and report["pdfs_parsed"] > 0, text
    reference = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    code, report, text = build(decisions, out, cache)  # after the update: no option, the old file beside the cache
    assert code == 0, text
    new = config_home / "woo-publicatie" / "cachesleutel"
    assert new.is_file() and new.read_text().strip() != old.read_text().strip()
    assert report["tellers"]["cache_ongeldig_ondertekend"] > 0 and report["pdfs_parsed"] > 0
    assert len(warnings_of(report, "cache.oude_sleutel")) == 1
    (fresh,) = warnings_of(report, "cache.nieuwe_sleutel")
    assert fresh["file"] == str(new) and "eenmalig" in fresh["message"]
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == reference

    code, report, text = build(decisions, out, cache)
    assert code == 0 and report["pdfs_parsed"] == 0 and report["tellers"]["cache_ongeldig_ondertekend"] == 0, text
    assert len(warnings_of(report, "cache.oude_sleutel")) == 1 and not warnings_of(report, "cache.nieuwe_sleutel")

    old.unlink()
    code, report, text = build(decisions, out, cache)
    assert code == 0 and not warnings_of(report, "cache.oude_sleutel") and report["pdfs_parsed"] == 0, text


def test_the_test_session_never_uses_the_real_home():
    """tests/conftest.py: the configuration folder of every test is a temporary one."""
    import tempfile

    from publish.cachestore import default_key_file

    assert "WOO_CACHE_KEY_FILE" not in os.environ
    xdg = Path(os.environ["XDG_CONFIG_HOME"]).resolve()
    assert xdg.is_relative_to(Path(tempfile.gettempdir()).resolve()) or not xdg.is_relative_to(Path.home().resolve())
    assert default_key_file().resolve().is_relative_to(xdg)
