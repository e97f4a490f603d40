"""Issue 19: a package's PDF verdicts are read as one record (publish/validationcache.py ``PackageVerdicts``), keyed by
the PDF code version and every PDF's SHA-256 as it is now; a damaged, foreign or stale record is never used.

Fast: no build and no PDF parsed. The gate's results are put in the inspection cache by hand, as
benchmarks/archive_scale.py seeds them, and read the usual way first (``PdfInspector.inspect_all``)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest

from support import write_pdf


@pytest.fixture
def setup(make_package, tmp_path):
    from publish.cache import Cache
    from publish.pdfs import PdfInspector, code_version

    pkg = make_package()
    cache = Cache(tmp_path / "cache", secret=b"k" * 32)
    paths = sorted(str(p) for p in pkg.rglob("*.pdf"))
    for path in paths:
        seed(cache, Path(path), code_version())
    inspector = PdfInspector(cache, workers=1)
    return pkg, cache, inspector, paths


def seed(cache, path: Path, version: str, pages: int = 2, ok: bool = True) -> str:
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    key = f"{sha}-v{version}"
    cache.put_bytes("published", key, ".pdf", data)
    texts = [f"tekst van pagina {i + 1} van {path.name}" for i in range(pages)]
    entry = {"sha256": sha, "ok": ok, "pages": pages, "texts": texts, "error": "" if ok else "kapot",
             "error_code": "" if ok else "pdf.kapot", "published_size": len(data), "published_sha256": sha if ok else "",
             "findings": [{"code": "pdf.persoonsgegeven.bsn", "location": "pagina 1"}]}  # fmt: skip
    cache.put_json("pdf", key, entry)
    return sha


def verdicts_of(cache, inspector):
    from publish.validationcache import PackageVerdicts

    return PackageVerdicts(cache, inspector)


def plain(res) -> dict:
    data = dataclasses.asdict(dataclasses.replace(res, texts=[]))
    data["texts"] = (len(res.texts), getattr(res.texts, "identity", lambda: None)())
    return data


def one_by_one(inspector, paths):
    return {str(p): r for p, r in inspector.inspect_all([Path(p) for p in paths]).items()}


def records(cache) -> list[Path]:
    from publish.validationcache import VERDICTS_KIND

    return sorted((cache.root / VERDICTS_KIND).rglob("*.blob"))


def test_a_kept_record_gives_the_same_results_as_reading_each_verdict(setup):
    pkg, cache, inspector, paths = setup
    first = one_by_one(inspector, paths)
    verdicts = verdicts_of(cache, inspector)
    assert verdicts.take(paths) is None  # no record yet
    verdicts.keep(first)
    assert verdicts.written == 1 and len(records(cache)) == 1
    again = verdicts_of(cache, inspector)
    taken = again.take(paths)
    assert taken is not None and list(taken) == paths
    expected = one_by_one(inspector, paths)
    assert {p: plain(r) for p, r in taken.items()} == {p: plain(r) for p, r in expected.items()}
    assert all(r.from_cache and r.texts[0].startswith("tekst van pagina 1") for r in taken.values())
    assert again.packages == 1 and again.pdfs == len(paths) and again.used == verdicts.used
    # The page limit is applied to a result from the record as to one read on its own.
    inspector.limits = dataclasses.replace(inspector.limits, pdf_pages=1)
    limited = verdicts_of(cache, inspector).take(paths)
    assert limited is not None and {r.error_code for r in limited.values()} == {"limiet.pdf_paginas"}


def test_a_changed_pdf_gets_its_own_verdict_never_the_record(setup):
    pkg, cache, inspector, paths = setup
    verdicts_of(cache, inspector).keep(one_by_one(inspector, paths))
    doc = pkg / "documenten" / "1.pdf"
    write_pdf(doc, ["# Document 1", "andere inhoud"])
    assert doc.as_posix() in paths
    assert verdicts_of(cache, inspector).take(paths) is None  # other bytes: another key, no record
    from publish.pdfs import code_version

    sha = seed(cache, doc, code_version(), pages=1, ok=False)  # the new bytes' own verdict
    results = one_by_one(inspector, paths)
    assert results[str(doc)].sha256 == sha and not results[str(doc)].ok
    verdicts_of(cache, inspector).keep(results)
    taken = verdicts_of(cache, inspector).take(paths)
    assert taken is not None and taken[str(doc)].sha256 == sha and taken[str(doc)].error_code == "pdf.kapot"
    assert len(records(cache)) == 2  # the old record is still there (pruned by the build), never taken for the new bytes


def test_another_pdf_code_version_does_not_take_the_record(setup, monkeypatch):
    pkg, cache, inspector, paths = setup
    verdicts_of(cache, inspector).keep(one_by_one(inspector, paths))
    import publish.pdfs

    monkeypatch.setattr(publish.pdfs, "code_version", lambda: "000000000000")
    assert verdicts_of(cache, inspector).take(paths) is None


def test_a_damaged_foreign_or_copied_record_is_refused(setup):
    from publish.validationcache import VERDICTS_KIND

    pkg, cache, inspector, paths = setup
    verdicts_of(cache, inspector).keep(one_by_one(inspector, paths))
    (record,) = records(cache)
    key = record.name.removesuffix(".blob")
    good = cache.get_blob(VERDICTS_KIND, key)[1]
    body = json.loads(good)
    assert verdicts_of(cache, inspector).take(paths) is not None
    first = body["pdfs"][0]
    other = [first[0], {**first[1], "ok": False, "error": "vervalst"}]
    for forged in (
        {**body, "versie": 2},
        {**body, "sleutel": "0" * 64},  # a record copied under another key
        {**body, "code": "000000000000"},
        {**body, "pdfs": body["pdfs"][1:]},  # one PDF short
        {**body, "pdfs": [[first[0], {**first[1], "sha256": "1" * 64}], *body["pdfs"][1:]]},  # another PDF's verdict
        {**body, "pdfs": [[first[0], {**first[1], "geheim": 1}], *body["pdfs"][1:]]},  # a field no result has
        {**body, "pdfs": [[first[0], {**first[1], "text_pages": -1}], *body["pdfs"][1:]]},
        [],
    ):
        cache.put_blob(VERDICTS_KIND, key, json.dumps(forged).encode("utf-8"))  # signed with the key: still refused
        assert verdicts_of(cache, inspector).take(paths) is None, forged
    # Changed by someone without the cache key (a verdict turned around, the MAC left as it was): refused.
    cache.put_blob(VERDICTS_KIND, key, good)
    raw = record.read_bytes()
    head, _, _ = raw.partition(b"\n")
    changed = json.dumps({**body, "pdfs": [other, *body["pdfs"][1:]]}).encode("utf-8")
    entry = json.loads(head)
    entry.update(sha256=hashlib.sha256(changed).hexdigest(), size=len(changed))
    record.chmod(0o600)
    record.write_bytes(json.dumps(entry, sort_keys=True).encode("utf-8") + b"\n" + changed)
    assert verdicts_of(cache, inspector).take(paths) is None
    record.write_bytes(raw[:-5])  # truncated
    assert verdicts_of(cache, inspector).take(paths) is None


def test_a_verdict_found_unusable_is_not_taken_from_the_record(setup):
    """An entry whose page texts turn out unusable is removed with its verdict record (pdfs.CachedTexts), so the next
    build inspects that PDF again: the package's record is then not used either."""
    from publish.pdfs import VERDICT_KIND, code_version

    pkg, cache, inspector, paths = setup
    results = one_by_one(inspector, paths)
    verdicts_of(cache, inspector).keep(results)
    sha = results[paths[0]].sha256
    cache.forget(VERDICT_KIND, f"{sha}-v{code_version()}", ".json")
    assert verdicts_of(cache, inspector).take(paths) is None
    # A published copy that is not intact is not used either (the PDF is inspected again).
    one_by_one(inspector, paths)
    verdicts_of(cache, inspector).keep(results)
    assert verdicts_of(cache, inspector).take(paths) is not None
    copy = inspector.published_copy(sha)
    copy.chmod(0o600)
    copy.write_bytes(copy.read_bytes() + b"x")
    assert verdicts_of(cache, inspector).take(paths) is None


def test_no_record_for_results_that_are_not_cached(setup):
    pkg, cache, inspector, paths = setup
    results = one_by_one(inspector, paths)
    results[paths[0]] = dataclasses.replace(results[paths[0]], sha256="")  # e.g. above the size limit, unreadable
    verdicts_of(cache, inspector).keep(results)
    assert records(cache) == []
