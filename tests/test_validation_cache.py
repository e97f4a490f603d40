"""Issue 19: a warm rebuild takes each unchanged package's validated model from the build cache
(publish/validationcache.py), and any change to what validation reads validates the package again.

Real builds of real packages (PDFs drawn by reportlab, signed approvals); the counters in the build report
(``tellers``) show which packages were validated and which came from the cache; every warm result is compared
with a cold build (empty cache, empty archive) of the same state: the same report and a byte-identical site.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import DEMO_SIGNERS, ROOT, PackageMaker, approve, build_args, copy_built, write_pdf

KIND = "validatie"


def run(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "woo-publish"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600)


def build(decisions: Path, out: Path, cache: Path, archive: Path, config: Path = ROOT / "mkdocs.yml", today: str = "2024-06-01"):
    report = out.parent / f"{out.name}-rapport.json"
    result = run(
        *build_args(decisions, out, "--report", str(report), "--archief", str(archive), cache=cache, config=config, today=today)
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return result.returncode, json.loads(report.read_text(encoding="utf-8"))


def outcome(report: dict) -> dict:
    """What a build decided, without timings and counters."""
    return {k: report[k] for k in ("published", "refused", "kept", "embargoed", "withdrawn", "warnings") if k in report}


def tree(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.rglob("*")) if p.is_file()
    }


def counters(report: dict) -> tuple[int, int, int]:
    t = report["tellers"]
    return t["pakketten_gevalideerd"], t["pakketten_validatie_uit_cache"], t["pakketten_niet_in_validatiecache"]


def assert_same_as_cold(
    tmp_path: Path, decisions: Path, warm_code: int, warm: dict, warm_out: Path, archive: Path | None = None, **kwargs
) -> None:
    """A cold build of the same state (empty cache; an empty archive, or a copy of ``archive`` as the warm build found
    it) decides the same and writes the same bytes."""
    cold_out = tmp_path / f"koud-{len(list(tmp_path.glob('koud-*')))}"
    cold_archive = tmp_path / f"{cold_out.name}-archief"
    if archive is not None:
        shutil.copytree(archive, cold_archive)
        (cold_archive / "site.json").unlink(missing_ok=True)  # the copy belongs to the cold site, not the warm one
    code, cold = build(decisions, cold_out, tmp_path / f"{cold_out.name}-cache", cold_archive, **kwargs)
    assert counters(cold)[1] == 0
    assert code == warm_code
    assert outcome(cold) == outcome(warm)
    if warm_code == 0:
        assert tree(cold_out) == tree(warm_out)


@pytest.fixture(scope="module")
def site_once(tmp_path_factory) -> Path:
    """One approved package, built once for the module (its validated model now in the cache), in the layout of the
    test folders: decisions/, site/, cache/ and archief/."""
    root = tmp_path_factory.mktemp("gevalideerd")
    pkg = PackageMaker(root / "decisions")()
    approve(pkg)
    code, report = build(root / "decisions", root / "site", root / "cache", root / "archief")
    assert code == 0, report
    assert counters(report) == (1, 0, 0)
    return root


@pytest.fixture
def site(site_once, decisions, tmp_path):
    """This test's own copy of ``site_once``: (package, site, cache, archive)."""
    copy_built(site_once, tmp_path)
    return decisions / "pakket", tmp_path / "site", tmp_path / "cache", tmp_path / "archief"


@pytest.mark.slow  # builds whole sites
def test_a_warm_rebuild_uses_the_cached_validation_and_writes_the_same_site(tmp_path):
    """The demo's four packages (three publication types): validated once, then taken from the cache, and the site is
    byte-identical to a cold build's."""
    decisions = tmp_path / "besluiten"
    shutil.copytree(ROOT / "decisions", decisions)
    out, cache, archive = tmp_path / "site", tmp_path / "cache", tmp_path / "archief"
    code, first = build(decisions, out, cache, archive, today="2026-01-01")
    n = len(first["published"])
    assert code == 0 and n == 4 and counters(first) == (4, 0, 0)
    assert len(list((cache / KIND).rglob("*.blob"))) == 4
    code, warm = build(decisions, out, cache, archive, today="2026-01-01")
    assert code == 0 and counters(warm) == (0, 4, 0)
    assert outcome(warm) == outcome(first)
    assert_same_as_cold(tmp_path, decisions, code, warm, out, today="2026-01-01")


def _edit_besluit(pkg: Path, tmp_path: Path) -> None:
    text = (pkg / "besluit.md").read_text(encoding="utf-8")
    (pkg / "besluit.md").write_text(text.replace("Verzoek over vergaderstukken", "Verzoek over vergaderstukken en agenda's"))
    approve(pkg)


def _edit_cell(pkg: Path, tmp_path: Path) -> None:
    with (pkg / "inventaris.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[2][1] = "E-mail over de nieuwe planning"
    with (pkg / "inventaris.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    approve(pkg)


def _edit_pdf(pkg: Path, tmp_path: Path) -> None:
    write_pdf(pkg / "documenten" / "1.pdf", ["# Document 1", "Een nieuwe versie van het verslag, met meer tekst."])
    approve(pkg)


def _edit_approval(pkg: Path, tmp_path: Path) -> None:
    approve(pkg)  # the same files, signed again: other bytes in goedkeuring.json


def _edit_unapproved(pkg: Path, tmp_path: Path) -> None:
    (pkg / "besluit.md").write_text((pkg / "besluit.md").read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")


def _edit_trust(pkg: Path, tmp_path: Path) -> Path:
    other = tmp_path / "sleutels" / "ander"
    other.parent.mkdir(exist_ok=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ander", "-f", str(other)], check=True)
    config = _config(tmp_path, signers=[("ander@voorbeeld.nl", other)])
    allowed = tmp_path / "ondertekenaars.txt"  # the demonstration signers and one key more
    allowed.write_text(DEMO_SIGNERS.read_text(encoding="utf-8") + allowed.read_text(encoding="utf-8"), encoding="utf-8")
    return config


def _edit_config(pkg: Path, tmp_path: Path) -> Path:
    return _config(tmp_path, limits={"inventaris_rijen": 2})  # the package has three rows: now refused


def _config(tmp_path: Path, signers=None, limits=None) -> Path:
    data = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    woo = data["extra"]["woo"]
    woo["ondertekenaars"] = str(ROOT / woo["ondertekenaars"])
    if signers is not None:
        allowed = tmp_path / "ondertekenaars.txt"
        allowed.write_text("".join(f"{who} {' '.join(Path(str(k) + '.pub').read_text().split()[:2])}\n" for who, k in signers))
        woo["ondertekenaars"] = str(allowed)
    if limits is not None:
        woo["limieten"] = limits
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return config


@pytest.mark.slow  # builds whole sites
@pytest.mark.parametrize(
    "edit, visible",
    [
        (_edit_besluit, "vergaderstukken en agenda"),
        (_edit_cell, "E-mail over de nieuwe planning"),
        (_edit_pdf, "Een nieuwe versie van het verslag"),
        (_edit_approval, None),
        (_edit_unapproved, None),
        (_edit_trust, None),
        (_edit_config, None),
    ],
    ids=["besluit.md", "inventariscel", "pdf", "goedkeuring", "ongoedgekeurd", "ondertekenaars", "instellingen"],
)
def test_any_changed_input_validates_the_package_again(site, decisions, tmp_path, edit, visible):
    pkg, out, cache, archive = site
    config = edit(pkg, tmp_path) or ROOT / "mkdocs.yml"
    shutil.copytree(archive, tmp_path / "archief-ervoor")
    code, warm = build(decisions, out, cache, archive, config=config)
    assert counters(warm) == (1, 0, 0)  # validated again, not taken from the cache
    if visible is not None:
        assert code == 0
        assert any(visible in p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*.html"))
    if edit is _edit_config:
        assert code == 1 and any(p["code"] == "inventaris.te_veel_rijen" for r in warm["refused"] for p in r["problems"])
    if edit is _edit_unapproved:
        assert code == 1 and any(p["code"] == "goedkeuring.verlopen" for r in warm["refused"] for p in r["problems"])
        assert [k["package"] for k in warm["kept"]] == [pkg.name]  # the approved version from the archive
    assert_same_as_cold(tmp_path, decisions, code, warm, out, tmp_path / "archief-ervoor", config=config)
    code, again = build(decisions, out, cache, archive, config=config)
    assert counters(again) == (0, 1, 0) and outcome(again) == outcome(warm)


@pytest.mark.slow  # builds whole sites
def test_an_embargo_ends_between_two_builds_with_nothing_changed(make_package, decisions, tmp_path):
    """The publication date is compared with the build's day on every build, also when validation comes from the cache."""
    pkg = make_package(meta={"publicatie_datum": "2024-07-01"})
    approve(pkg)
    out, cache, archive = tmp_path / "site", tmp_path / "cache", tmp_path / "archief"
    code, first = build(decisions, out, cache, archive, today="2024-06-30")
    assert code == 0 and [e["package"] for e in first["embargoed"]] == [pkg.name] and first["published"] == []
    code, second = build(decisions, out, cache, archive, today="2024-06-30")
    assert counters(second) == (0, 1, 0) and [e["package"] for e in second["embargoed"]] == [pkg.name]
    code, third = build(decisions, out, cache, archive, today="2024-07-01")
    assert code == 0 and counters(third) == (0, 1, 0)
    assert third["embargoed"] == [] and [p["package"] for p in third["published"]] == [pkg.name]
    assert any("Verzoek over vergaderstukken" in p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert_same_as_cold(tmp_path, decisions, code, third, out, today="2024-07-01")


@pytest.mark.slow  # builds whole sites
def test_a_signer_key_with_a_validity_period_is_verified_on_every_build(make_package, decisions, tmp_path):
    """ssh-keygen compares a key's valid-before with the current time: verified on every build (no verdict is cached)."""
    pkg = make_package()
    approve(pkg)
    principal, *key = DEMO_SIGNERS.read_text(encoding="utf-8").split()[:3]
    public = " ".join(key)
    config = _config(tmp_path, signers=[])
    allowed = tmp_path / "ondertekenaars.txt"
    allowed.write_text(f'{principal} valid-before="20991231" {public}\n')
    out, cache, archive = tmp_path / "site", tmp_path / "cache", tmp_path / "archief"
    for _ in range(2):
        code, report = build(decisions, out, cache, archive, config=config)
        assert code == 0 and report["tellers"]["handtekeningen_gecontroleerd"] >= 1
    allowed.write_text(f'{principal} valid-before="20200101" {public}\n')  # the key has expired
    code, report = build(decisions, out, cache, archive, config=config)
    assert code == 1 and any(p["code"] == "goedkeuring.handtekening" for r in report["refused"] for p in r["problems"])


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / KIND).rglob("*.blob"))


@pytest.mark.slow  # builds whole sites
def test_a_damaged_or_forged_entry_is_ignored(site, decisions, tmp_path):
    pkg, out, cache, archive = site
    (entry,) = _entries(cache)
    old = entry.read_bytes()  # a sound entry, for the package as it was
    # Damaged: one byte of the model changed, the checksum left as it was.
    head, _, body = old.partition(b"\n")
    entry.chmod(0o644)
    entry.write_bytes(head + b"\n" + body.replace(b"Verzoek over vergaderstukken", b"Verzoek over vergaderstukkEn"))
    code, report = build(decisions, out, cache, archive)
    assert code == 0 and counters(report) == (1, 0, 0)
    assert "vergaderstukkEn" not in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    # Forged: the sound entry of the earlier state put under the key of the changed package.
    _edit_besluit(pkg, tmp_path)
    code, report = build(decisions, out, cache, archive)
    assert code == 0 and counters(report) == (1, 0, 0)
    (entry,) = _entries(cache)
    entry.chmod(0o644)
    entry.write_bytes(old)
    code, report = build(decisions, out, cache, archive)
    assert code == 0 and counters(report) == (1, 0, 0)  # refused: it names another key
    assert any("vergaderstukken en agenda" in p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    # The signed cache (publish/cachestore.py) reports the entry whose MAC does not fit its key, once, as a warning.
    assert [w["code"] for w in report["warnings"]] == ["cache.handtekening"]
    report = {**report, "warnings": [w for w in report["warnings"] if w["code"] != "cache.handtekening"]}
    assert_same_as_cold(tmp_path, decisions, code, report, out)


@pytest.mark.slow  # builds whole sites
def test_a_moved_site_folder_keeps_its_cached_pages_and_validation(tmp_path):
    """The whole site folder (settings, decisions, cache, output) moved elsewhere: nothing validated or made again, and the
    site is byte-identical."""
    here = tmp_path / "hier"
    (here / "demo").mkdir(parents=True)
    shutil.copytree(ROOT / "decisions", here / "besluiten")
    shutil.copytree(ROOT / "demo" / "sleutels", here / "demo" / "sleutels")
    shutil.copy(ROOT / "mkdocs.yml", here / "mkdocs.yml")

    def build_in(folder: Path):
        return build(
            folder / "besluiten",
            folder / "site",
            folder / "cache",
            folder / "archief",
            config=folder / "mkdocs.yml",
            today="2026-01-01",
        )

    code, first = build_in(here)
    assert code == 0 and len(first["published"]) == 4
    there = tmp_path / "daar" / "elders"
    there.parent.mkdir()
    os.rename(here, there)
    code, moved = build_in(there)
    assert code == 0 and outcome(moved) == outcome(first)
    assert counters(moved) == (0, 4, 0)
    assert moved["site"]["besluiten_paginas_gemaakt"] == 0 and moved["site"]["besluiten_paginas_uit_cache"] == 4
    assert moved["site"]["paginas_gerenderd"] == 0
    copy = tmp_path / "kopie"
    shutil.copytree(there, copy, symlinks=True)
    code, copied = build_in(copy)
    assert code == 0 and counters(copied) == (0, 4, 0) and copied["site"]["besluiten_paginas_uit_cache"] == 4
    assert tree(copy / "site") == tree(there / "site")
    assert_same_as_cold(tmp_path, copy / "besluiten", code, copied, copy / "site", config=copy / "mkdocs.yml", today="2026-01-01")


@pytest.mark.slow  # builds whole sites
def test_hostile_names_and_hidden_files_give_the_same_refusal_from_the_cache(make_package, decisions, tmp_path):
    """A hidden file and a file name with a control character: refused (stray files) with the same problems, whether
    validated or taken from the cache; the other package is published."""
    good = make_package("goed")
    approve(good)
    bad = make_package("vreemd", meta={"kenmerk": "2024-0002"})
    (bad / ".verborgen").write_text("x")
    (bad / "a\x01b.txt").write_text("y")
    approve(bad)
    out, cache, archive = tmp_path / "site", tmp_path / "cache", tmp_path / "archief"
    code, first = build(decisions, out, cache, archive)
    assert code == 1 and [p["package"] for p in first["published"]] == ["goed"]
    assert [r["package"] for r in first["refused"]] == ["vreemd"]
    code, warm = build(decisions, out, cache, archive)
    assert counters(warm) == (0, 2, 0)
    assert outcome(warm) == outcome(first)
    (bad / ".verborgen").write_text("z")  # a hidden file's bytes are part of the key too
    code, again = build(decisions, out, cache, archive)
    assert counters(again) == (1, 1, 0)


@pytest.mark.slow  # builds whole sites
def test_a_package_with_a_link_is_validated_every_build(make_package, decisions, tmp_path):
    pkg = make_package()
    (pkg / "link.pdf").symlink_to(pkg / "documenten" / "1.pdf")
    approve(pkg)
    out, cache, archive = tmp_path / "site", tmp_path / "cache", tmp_path / "archief"
    for _ in range(2):
        code, report = build(decisions, out, cache, archive)
        assert counters(report) == (0, 0, 1)
    assert _entries(cache) == []


# -- the key and the stored model, without a build (fast) ----------------------------------------------


def _cache(tmp_path: Path, **settings):
    from publish.approval import Trust
    from publish.cache import Cache
    from publish.limits import DEFAULT_LIMITS
    from publish.validationcache import ValidationCache

    trust = settings.get("trust") or Trust(DEMO_SIGNERS)
    return ValidationCache(Cache(tmp_path / "c"), settings.get("limits", DEFAULT_LIMITS), trust, settings.get("allowed", []))


def test_the_key_covers_every_name_kind_and_byte(make_package, tmp_path):
    pkg = make_package()
    approve(pkg)
    vc = _cache(tmp_path)
    keys = {vc.key(pkg)}
    assert vc.key(pkg) in keys  # the same folder, the same key

    def changed(action) -> None:
        action()
        key = vc.key(pkg)
        assert key and key not in keys, action
        keys.add(key)

    doc = pkg / "documenten" / "1.pdf"
    data = doc.read_bytes()
    changed(lambda: doc.write_bytes(data[:-1] + bytes([data[-1] ^ 1])))  # one bit of a PDF
    changed(lambda: (pkg / "goedkeuring.json").write_bytes((pkg / "goedkeuring.json").read_bytes() + b" "))
    changed(lambda: (pkg / "leeg").mkdir())  # an empty folder
    changed(lambda: (pkg / ".verborgen").write_bytes(b""))  # a hidden, empty file
    changed(lambda: (pkg / ".verborgen").rename(pkg / ".Verborgen"))  # a rename
    changed(lambda: (pkg / "Thumbs.db").write_bytes(b"x"))  # litter, which validation ignores: still in the key
    changed(lambda: (pkg / "a\x01b\udcff.txt").write_bytes(b"x") if os.name == "posix" else None)  # control and non-UTF-8 names
    # Every setting validation reads.
    from dataclasses import replace

    from publish.approval import Trust
    from publish.limits import DEFAULT_LIMITS

    base = vc.key(pkg)
    assert _cache(tmp_path, limits=replace(DEFAULT_LIMITS, inventory_rows=5)).key(pkg) != base
    assert _cache(tmp_path, allowed=["070 000 00 00"]).key(pkg) != base
    assert _cache(tmp_path, trust=Trust(DEMO_SIGNERS, four_eyes=True)).key(pkg) != base
    assert _cache(tmp_path, trust=Trust(DEMO_SIGNERS, unsigned=True)).key(pkg) != base
    other = tmp_path / "ondertekenaars"
    other.write_bytes(DEMO_SIGNERS.read_bytes() + b"\n")
    assert _cache(tmp_path, trust=Trust(other)).key(pkg) != base
    assert _cache(tmp_path).key(pkg) == base  # and nothing else: the same settings, the same key


def test_links_and_special_files_are_never_cached(make_package, tmp_path):
    pkg = make_package()
    vc = _cache(tmp_path)
    assert vc.key(pkg)
    fifo = pkg / "pijp"
    os.mkfifo(fifo)  # never opened: reading it would wait for ever
    assert vc.key(pkg) == ""
    fifo.unlink()
    (pkg / "documenten" / "ergens").symlink_to(tmp_path)
    assert vc.key(pkg) == ""
    (pkg / "documenten" / "ergens").unlink()
    link = tmp_path / "pakketlink"
    link.symlink_to(pkg)
    assert vc.key(link) == ""
    assert vc.lookup(link) is None and vc.uncacheable == 1


def test_the_stored_model_is_the_validated_model(tmp_path):
    """Every demo package (three publication types) comes back equal from its entry, also in a folder elsewhere."""
    from publish.package import find_packages, read_package
    from publish.validationcache import ValidationCache

    decisions = tmp_path / "besluiten"
    shutil.copytree(ROOT / "decisions", decisions)
    vc = _cache(tmp_path)
    for folder in find_packages(decisions):
        entry = vc.lookup(folder)
        assert entry is not None and not entry.hit
        decision, problems, partial = read_package(folder)
        vc.made(entry, folder, decision, problems, partial)
        vc.finish(entry, folder)
    moved = tmp_path / "elders" / "besluiten"
    moved.parent.mkdir()
    decisions.rename(moved)
    again = _cache(tmp_path)
    for folder in find_packages(moved):
        entry = again.lookup(folder)
        assert entry is not None and entry.hit
        decision, problems, partial = read_package(folder)
        assert entry.decision == decision and list(entry.problems) == list(problems) and entry.partial == partial
        # Issue 19: the model as stored is what the build spills on a hit, without encoding it again.
        from publish.validationcache import _Codec

        assert entry.encoded == _Codec(folder).encode(decision) and entry.encoded["c"] == "Decision"
        assert entry.decision.letter.path == folder / entry.decision.letter.relpath
    assert again.reused == 4 and isinstance(again, ValidationCache)


def test_the_keys_used_are_let_go_once_pruned_and_the_entries_used_stay(tmp_path):
    """mem22: the validation cache lives as long as the build; the keys its packages used (a str each) are read only by
    ``prune``, so ``forget_used`` lets them go after it: nothing of them is held, the entries used stay, and a package
    gone since is pruned."""
    import gc
    import tracemalloc

    from publish.package import find_packages, read_package
    from publish.validationcache import KIND

    decisions = tmp_path / "besluiten"
    shutil.copytree(ROOT / "decisions", decisions)
    vc = _cache(tmp_path)
    folders = find_packages(decisions)
    for folder in folders:
        entry = vc.lookup(folder)
        decision, problems, partial = read_package(folder)
        vc.made(entry, folder, decision, problems, partial)
        vc.finish(entry, folder)
    kept = sorted(vc.used)
    again = _cache(tmp_path)
    for folder in folders[1:]:  # the first package is gone
        again.lookup(folder)
    gc.collect()
    tracemalloc.start()
    try:
        many = {f"{n:064x}" for n in range(5000)}  # as many keys as 2,500 packages use
        again.used |= many
        del many
        held = tracemalloc.get_traced_memory()[0]
        again.prune()
        again.forget_used()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held > 5000 * 100 and after < 5000 * 4, (held, after)  # about 140 bytes a key held before, none after
    assert not again.used
    names = sorted(name.rsplit("/", 1)[-1].split(".")[0] for name in again.cache.store.names(KIND))
    assert names == sorted(set(kept) - {vc.key(folders[0])})  # the entries used stay, the gone package's is pruned


def test_entries_of_another_shape_are_refused(make_package, tmp_path):
    from publish.package import read_package
    from publish.validationcache import KIND

    pkg = make_package()
    vc = _cache(tmp_path)
    entry = vc.lookup(pkg)
    vc.made(entry, pkg, *read_package(pkg))
    vc.finish(entry, pkg)
    stored = json.loads(vc.cache.get_blob(KIND, entry.key)[1])
    for forged in (
        {**stored, "versie": 99},
        {**stored, "map": "ander"},
        {**stored, "besluit": {"c": "os.system", "v": []}},  # no class outside the model
        {**stored, "besluit": {"c": "FileRef", "v": ["x", {"p": "../../etc/passwd"}]}},
        {**stored, "besluit": {**stored["besluit"], "v": stored["besluit"]["v"][:-1]}},  # a field short
        {**stored, "problemen": [["f", "l", "m", "x", "code", "ernstig"]]},
        [],
    ):
        vc.cache.put_blob(KIND, entry.key, json.dumps(forged).encode("utf-8"))
        fresh = _cache(tmp_path)
        assert not fresh.lookup(pkg).hit, forged


def test_an_entry_is_held_as_text_until_written_then_let_go(make_package, tmp_path):
    """Issue 19 (memory): an entry made this build holds its body as JSON text while the build reads the PDFs, writes
    exactly the bytes one json.dumps of the whole body (privacy findings last) gives, and lets go of it once written,
    so the serialised models of a whole cold build are not held to its end; the entry reads back as the same model."""
    from publish.package import read_package
    from publish.problems import Problems
    from publish.validationcache import KIND as KIND_NAME
    from publish.validationcache import privacy_problems

    pkg = make_package()
    vc = _cache(tmp_path)
    entry = vc.lookup(pkg)
    decision, problems, partial = read_package(pkg)
    vc.made(entry, pkg, decision, problems, partial)
    assert entry.head.startswith('{"versie":') and entry.body == {"privacy": None}
    found = Problems(pkg.name)
    found.warning("documenten/1.pdf", "pagina 1", "een BSN-achtig nummer «x»", "Lak het.", "privacy.bsn")
    privacy_problems(entry, found)
    whole = {**json.loads(entry.head), "privacy": [[p.file, p.location, p.message, p.fix, p.code, p.severity] for p in found]}
    vc.finish(entry, pkg)
    assert entry.body is None and entry.head == ""
    stored = vc.cache.get_blob(KIND_NAME, entry.key)[1]
    assert stored == json.dumps(whole, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    again = _cache(tmp_path).lookup(pkg)
    assert again is not None and again.hit and again.decision == decision
    assert [p.code for p in again.privacy] == ["privacy.bsn"]
