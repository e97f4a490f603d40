"""Attack round 10 (fix10b): B09 an unapproved package never blocks a kenmerk, B04 special files, B08 files beyond
every limit not hashed, B11 the cache never follows a link, B07 personal data in the site's contact route.
Unit level: no build."""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
from contextlib import contextmanager
from pathlib import Path

import pytest

from publish.approval import TOO_LARGE, Trust, current_hashes, read_record, sha256_file
from publish.cache import Cache, HashMemo
from publish.cachestore import DirStore, read_entry, remove_links, write_file
from publish.evaluate import Claims, PackageResult, _cross_package, evaluate
from publish.history import raw_kenmerk
from publish.limits import DEFAULT_LIMITS
from publish.package import read_package
from publish.paths import NotRegularFile, package_files, special_files
from publish.pdfs import PdfInspector
from publish.problems import Problems

from support import DEMO_SIGNERS, approve

TRUST = Trust(DEMO_SIGNERS)


@contextmanager
def at_most(seconds: int):
    """Fail instead of hanging (a FIFO read blocks forever)."""

    def stop(*_):
        raise TimeoutError(f"took more than {seconds} s: blocked")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def codes(problems) -> list[str]:
    return [p.code for p in problems if p.is_error]


def dubbel(r: PackageResult):
    return [p for p in r.problems if p.code == "kenmerk.dubbel"]


def _result(folder: Path) -> PackageResult:
    decision, problems, _ = read_package(folder)
    assert decision is not None, [p.message for p in problems]
    return PackageResult(folder, decision, problems)


# -- B09 ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("squat", ["2024-0001", "2024.0001", "2024 0001"])
def test_an_unapproved_package_does_not_block_an_approved_one_with_the_same_kenmerk(make_package, tmp_path, squat):
    good = make_package("goed")
    approve(good)
    kraak = make_package("kraak", meta={"kenmerk": squat})
    results = evaluate([good, kraak], PdfInspector(Cache(tmp_path / "cache"), workers=1), trust=TRUST)
    by = {r.name: r for r in results}
    assert dubbel(by["goed"]) == []
    (p,) = dubbel(by["kraak"])
    assert p.file == "besluit.md" and "goed" in p.message and "niet goedgekeurd" in p.message
    assert "Pakket goed wordt gewoon gepubliceerd" in p.message


def test_two_approved_packages_with_one_kenmerk_are_both_refused(make_package, tmp_path):
    a, b = make_package("a"), make_package("b", meta={"kenmerk": "2024.0001"})
    approve(a)
    approve(b)
    results = evaluate([a, b], PdfInspector(Cache(tmp_path / "cache"), workers=1), trust=TRUST)
    for r in results:
        (p,) = dubbel(r)
        assert ({"a", "b"} - {r.name}).pop() in p.message and "ook gebruikt" in p.message


def test_without_any_approval_both_claimants_hear_of_the_clash(make_package, tmp_path):
    a, b = make_package("a"), make_package("b")
    results = evaluate([a, b], PdfInspector(Cache(tmp_path / "cache"), workers=1), trust=TRUST)
    assert all(len(dubbel(r)) == 1 for r in results)


def test_the_package_being_approved_counts_as_approved(make_package, tmp_path):
    """`approve` of a new decision is not blocked by an unapproved squatter (evaluate(approving=...))."""
    a, b = make_package("a"), make_package("b")
    results = evaluate([a, b], PdfInspector(Cache(tmp_path / "cache"), workers=1), trust=TRUST, approving=a)
    by = {r.name: r for r in results}
    assert dubbel(by["a"]) == [] and len(dubbel(by["b"])) == 1


def test_an_approval_copied_into_another_package_does_not_count(make_package, tmp_path):
    good = make_package("goed")
    approve(good)
    kraak = make_package("kraak", body="Een andere tekst.")
    (kraak / "goedkeuring.json").write_bytes((good / "goedkeuring.json").read_bytes())
    ra, rb = _result(good), _result(kraak)
    _cross_package([ra, rb], Claims(TRUST))
    assert dubbel(ra) == [] and len(dubbel(rb)) == 1


class _Archive:
    """An archive that published folder ``name`` with ``besluit`` (its besluit.md)."""

    def __init__(self, name: str, besluit: Path):
        self.name, self.besluit = name, besluit

    def get(self, name):
        return {"bestanden": {"besluit.md": "sha"}} if name == self.name else None

    def _object(self, sha):
        return self.besluit


def test_a_published_decision_whose_new_version_is_unapproved_keeps_its_claim(make_package, tmp_path):
    """The archived version of `oud` stays online (fate._fall_back): an approved newcomer with its kenmerk is a clash
    of two approved claimants, both refused, as before; the archived version is kept."""
    oud = make_package("oud")
    archived = tmp_path / "archived-besluit.md"
    archived.write_bytes((oud / "besluit.md").read_bytes())
    (oud / "besluit.md").write_text((oud / "besluit.md").read_text(encoding="utf-8") + "Gewijzigd.\n", encoding="utf-8")
    nieuw = make_package("nieuw")
    approve(nieuw)
    ro, rn = _result(oud), _result(nieuw)
    _cross_package([ro, rn], Claims(TRUST, _Archive("oud", archived)))
    assert len(dubbel(ro)) == 1 and len(dubbel(rn)) == 1
    # and an archived version under another kenmerk gives no claim
    archived.write_text(archived.read_text(encoding="utf-8").replace("2024-0001", "2024-9999"), encoding="utf-8")
    ro, rn = _result(oud), _result(nieuw)
    _cross_package([ro, rn], Claims(TRUST, _Archive("oud", archived)))
    assert len(dubbel(ro)) == 1 and dubbel(rn) == []


# -- B04 ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["besluit.md", "goedkeuring.json", "documenten/extra.pdf", "wijzigingen.json"])
def test_a_fifo_refuses_its_package_without_blocking(make_package, where):
    pkg = make_package()
    approve(pkg)
    (pkg / where).unlink(missing_ok=True)
    os.mkfifo(pkg / where)
    with at_most(20):
        assert special_files(pkg) == {where: "een FIFO (named pipe)"}
        assert where not in package_files(pkg)[0]
        decision, problems, _ = read_package(pkg)
        raw_kenmerk(pkg)
        read_record(pkg)
        current_hashes(pkg)
        with pytest.raises(NotRegularFile):
            sha256_file(pkg / where)
        with pytest.raises(NotRegularFile):
            HashMemo(None).sha256(pkg / where)
    assert decision is None
    (p,) = [p for p in problems if p.code == "bestand.speciaal"]
    assert p.file == where and "FIFO" in p.message and "Verwijder" in p.fix


def test_a_socket_refuses_its_package_only(make_package, tmp_path, monkeypatch):
    pkg, other = make_package("aanval"), make_package("ander", meta={"kenmerk": "2024-0002"})
    monkeypatch.chdir(pkg / "documenten")  # AF_UNIX paths are at most 107 bytes: bind by the short relative name
    with socket.socket(socket.AF_UNIX) as s:
        s.bind("s.pdf")
        with at_most(60):
            results = evaluate([pkg, other], PdfInspector(Cache(tmp_path / "cache"), workers=1))
    by = {r.name: r for r in results}
    (p,) = [p for p in by["aanval"].problems if p.code == "bestand.speciaal"]
    assert p.file == "documenten/s.pdf" and "socket" in p.message
    assert by["ander"].valid, [p.message for p in by["ander"].problems]


# -- B08 ----------------------------------------------------------------------------------------------------------


def test_a_file_beyond_every_limit_is_refused_and_never_hashed(make_package, monkeypatch):
    pkg = make_package()
    approve(pkg)
    with open(pkg / "documenten" / "groot.pdf", "wb") as f:
        f.truncate(5_000_000)  # sparse
    limits = dataclasses.replace(DEFAULT_LIMITS, pdf_bytes=1_000_000, inventory_bytes=1_000_000)
    import publish.approval as approval

    real = approval.sha256_file

    def spy(path):
        assert Path(path).name != "groot.pdf", "hashed before the size limit"
        return real(path)

    monkeypatch.setattr(approval, "sha256_file", spy)
    decision, problems, _ = read_package(pkg, limits)
    assert decision is None
    (p,) = [p for p in problems if p.file == "documenten/groot.pdf"]
    assert p.code == "limiet.pdf_bytes" and "limieten.pdf_megabytes = 1 MB" in p.message
    hashes = current_hashes(pkg, limits.largest_file_bytes)
    assert hashes["documenten/groot.pdf"] == TOO_LARGE
    from publish.approval import check_approval

    status = check_approval(pkg, Problems("p"), TRUST, limits)
    assert not status.approved and "documenten/groot.pdf" in status.changed
    from publish.validationcache import Uncacheable, _listing

    with pytest.raises(Uncacheable):
        _listing(pkg, limits.largest_file_bytes)


# -- B11 ----------------------------------------------------------------------------------------------------------


def test_cache_writes_never_follow_a_link(tmp_path):
    root, target = tmp_path / "cache", tmp_path / "pakket"
    root.mkdir()
    target.mkdir()
    (root / "pdf").symlink_to(target, target_is_directory=True)
    store = DirStore(root)
    with pytest.raises(OSError):
        store.put("pdf/ab/abcdef.json", b"{}")
    with pytest.raises(OSError):
        write_file(root / "pdf" / "ab" / "x.json", b"{}", root)
    assert list(target.iterdir()) == []
    (target / "ab").mkdir()
    (target / "ab" / "abcdef.json").write_bytes(b"elders")
    assert store.get("pdf/ab/abcdef.json") is None and not store.exists("pdf/ab/abcdef.json")
    assert not store.delete("pdf/ab/abcdef.json") and (target / "ab" / "abcdef.json").exists()
    assert list(store.names("pdf")) == []
    # an entry that is itself a link or a FIFO is not read either (and never blocks)
    (root / "echt" / "ab").mkdir(parents=True)
    (root / "echt" / "ab" / "link.json").symlink_to(target / "ab" / "abcdef.json")
    os.mkfifo(root / "echt" / "ab" / "fifo.json")
    with at_most(10):
        assert read_entry(root, "echt/ab/link.json") is None and read_entry(root, "echt/ab/fifo.json") is None
    store.put("echt/ab/goed.json", b"ok")
    assert store.get("echt/ab/goed.json") == b"ok" and oct((root / "echt/ab/goed.json").stat().st_mode & 0o777) == "0o444"


def test_links_in_the_cache_are_removed_when_it_is_opened_and_reported(tmp_path, config_home):
    from publish.build import BuildReport, _report_cache

    root, target = tmp_path / "cache", tmp_path / "webroot"
    root.mkdir()
    target.mkdir()
    (target / "keep.txt").write_text("x")
    (root / "pdf-oordeel").symlink_to(target, target_is_directory=True)
    (root / "site").mkdir()
    (root / "site" / "x.sqlite").symlink_to(target / "keep.txt")
    assert remove_links(root) == ["pdf-oordeel", "site/x.sqlite"]
    (root / "pdf").symlink_to(target, target_is_directory=True)
    cache = Cache.open(root)
    assert cache.removed_links == ["pdf"] and not os.path.lexists(root / "pdf") and (target / "keep.txt").exists()
    cache.put_json("pdf", "abcdef", {"a": 1})
    assert cache.get_json("pdf", "abcdef") == {"a": 1} and list(target.iterdir()) == [target / "keep.txt"]
    report = BuildReport()
    _report_cache(cache, report, {"refused": 0, "remote_read": 0, "remote_written": 0})
    (w,) = [w for w in report.warnings if w["code"] == "cache.snelkoppeling"]
    assert "pdf" in w["message"] and "verwijderd" in w["message"] and "chmod 700" in w["fix"]


# -- B07 ----------------------------------------------------------------------------------------------------------


def _site(tmp_path: Path, contact: str, extra: str = "") -> list:
    from publish.siteconfig import load_site_config

    signers = tmp_path / "ondertekenaars"
    signers.write_bytes(DEMO_SIGNERS.read_bytes())
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test\nsite_url: https://woo.example.nl/\nextra:\n  woo:\n    tooi: https://identifier.overheid.nl/tooi/id/gemeente/gm0001\n"
        f"    ondertekenaars: ondertekenaars\n    contact:\n{contact}{extra}",
        encoding="utf-8",
    )
    return [p for p in load_site_config(tmp_path / "mkdocs.yml").problems if p.code == "config.contact_persoonlijk"]


def _approver() -> str:
    line = next(ln for ln in DEMO_SIGNERS.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#"))
    return line.split()[0].split(",")[0]


@pytest.mark.parametrize(
    "field,value,said",
    [
        ("email", "APPROVER", "goedkeurt"),
        ("email", "jan.vermeulen@example.nl", "persoonlijk e-mailadres"),
        ("telefoon", '"06-41827365"', "mobiel nummer"),
        ("formulier", "https://example.nl/contact?behandelaar=Jan-Vermeulen", "noemt een persoon"),
        ("adres", "t.a.v. J. Vermeulen, Postbus 20011, 2500 EA Den Haag", "t.a.v."),
    ],
)
def test_personal_contact_data_in_the_site_settings_is_refused(tmp_path, field, value, said):
    value = _approver() if value == "APPROVER" else value
    (p,) = _site(tmp_path, f"      {field}: {value}\n")
    assert p.is_error and p.location == f"extra.woo.contact.{field}" and said in p.message
    assert "functioneel e-mailadres" in p.fix and "algemene contactpagina" in p.fix


def test_functional_contact_data_stays_fine(tmp_path):
    contact = (
        '      email: woo-verzoeken@example.nl\n      telefoon: "070 000 00 00"\n'
        "      adres: Postbus 20011, 2500 EA Den Haag\n      formulier: https://example.nl/contact\n"
    )
    assert _site(tmp_path, contact) == []
    # a personal address the organisation really publishes: listed under toegestane_gegevens
    listed = "    toegestane_gegevens: [jan.vermeulen@example.nl]\n"
    assert _site(tmp_path, "      email: jan.vermeulen@example.nl\n", listed) == []


def test_besluit_md_linked_outside_the_package_is_not_read(make_package, tmp_path):
    pkg = make_package()
    outside = tmp_path / "buiten.md"
    outside.write_text("---\nkenmerk: 2024-GEHEIM\n---\nGeheim.\n", encoding="utf-8")
    (pkg / "besluit.md").unlink()
    (pkg / "besluit.md").symlink_to(outside)
    assert raw_kenmerk(pkg) == ""
    decision, problems, _ = read_package(pkg)
    assert decision is None
    found = [p for p in problems if p.file == "besluit.md" and p.code == "bestand.buiten_pakket"]
    assert found and "buiten de pakketmap" in found[0].message
    assert "GEHEIM" not in " ".join(p.message for p in problems)
