"""Issue 19, a whole archive on one machine: what the build holds in memory stays flat in the archive's
size. Page texts stay in the cache, search postings spill to disk, downloads and generated pages are
written as they are made, and mkdocs renders the generated pages one at a time. Each of these must
give exactly the output of the in-memory way (the demo site: tests/test_golden.py)."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import zipfile
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import pytest

from publish import search
from publish.cache import Cache
from publish.pdfs import PDF_CODE_VERSION, CachedTexts, PdfInspector
from publish.search import ShardedIndex

from support import ROOT


def _reference_shards(fields: dict[str, float], docs: list[tuple[str, dict[str, str]]], max_postings: int | None) -> list[dict]:
    """The index built the straightforward way, everything in memory (as publish/search.py did before the
    spill): the spilled index must equal it."""
    postings: dict = defaultdict(list)
    lengths: dict = {}
    index = ShardedIndex(fields, max_postings=max_postings)  # only for _serialise and capped
    for ref, values in docs:
        for name in fields:
            tokens = search.terms(values.get(name, ""))
            lengths[(name, ref)] = len(tokens)
            counts: dict = defaultdict(int)
            for t in tokens:
                counts[t] += 1
            for t, n in counts.items():
                postings[t].append((name, ref, n, len(tokens)))
    average = {
        name: (sum(v for (f, _), v in lengths.items() if f == name) / max(1, sum(1 for (f, _) in lengths if f == name))) or 1.0
        for name in fields
    }
    term_list = sorted(postings)
    kept, size = {}, 0
    for t in term_list:
        entry = postings[t]
        df = len(entry)
        if max_postings and df > max_postings:
            index.capped.add(t)
            score = lambda p: round(search.bm25(1.0, p[2], p[3], average[p[0]], fields[p[0]]), 6)  # noqa: E731
            entry = sorted(entry, key=lambda p: (-score(p), p[0], p[1]))[:max_postings]
        kept[t] = (df, sorted(entry, key=lambda p: (p[0], p[1])))
        size += sum(len(ref) + len(str(tf)) + len(str(n)) + 5 for _, ref, tf, n in kept[t][1])
        size += len(json.dumps(t)) + len(str(df)) + 16 * len(fields) + 6
    if not kept:
        return [index._serialise({})]
    count = 1
    while size / count > search.TARGET_SHARD_BYTES and count < 4096:
        count *= 2
    grouped: list[dict] = [dict() for _ in range(count)]
    for t in term_list:
        grouped[search.shard_of(t, count)][t] = kept[t]
    return [index._serialise(g) for g in grouped]


def _word(n: int) -> str:
    letters = "bdfgklmnprstvz"
    out = ["woord"]
    while n:
        n, r = divmod(n, len(letters))
        out.append(letters[r] + "a")
    return "".join(out)


def _pages(n: int, seed: int = 3) -> list[tuple[str, dict[str, str]]]:
    rng = random.Random(seed)
    common = "besluit verzoek document minister overleg verslag notitie advies datalek privacy".split()
    docs = []
    for i in range(n):
        words = [rng.choice(common) for _ in range(60)] + [_word(rng.randrange(5000)) for _ in range(30)]
        docs.append((f"{i // 10}/{i % 10}/1", {"tekst": " ".join(words)}))
    return docs


@pytest.mark.parametrize("buckets", [256, 4])
def test_spilled_search_index_is_the_in_memory_index(monkeypatch, buckets, tmp_path):
    """Many shards, capped terms; with 4 buckets a shard is part of a bucket (more shards than buckets)."""
    monkeypatch.setattr(search, "SPILL_BUCKETS", buckets)
    search._bucket.cache_clear()
    try:
        docs = _pages(1500)
        expected = _reference_shards({"tekst": 1}, docs, max_postings=40)
        assert len(expected) > 4 and any("afgekapt" in s for s in expected)
        for spill in (10**9, 500):  # in memory, and spilled to disk many times over
            index = ShardedIndex({"tekst": 1}, max_postings=40, spill_postings=spill, spill_dir=tmp_path)
            for ref, values in docs:
                index.add(ref, values)
            assert (index._spill is not None) == (spill == 500)
            assert index.shards() == expected
            assert index._spill is None and not any(tmp_path.iterdir())  # the temporary files are gone
    finally:
        search._bucket.cache_clear()


def test_an_empty_index_is_one_empty_shard():
    assert (
        ShardedIndex({"tekst": 1}).shards()
        == _reference_shards({"tekst": 1}, [], None)
        == [ShardedIndex({"tekst": 1})._serialise({})]
    )


def test_page_texts_are_read_from_the_cache_not_kept(tmp_path):
    """After inspection a PDF's texts are a view on its cache entry; a damaged entry stops the build
    rather than publish a page without its text."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from pdfdraw import write_pdf

    pdf = write_pdf(tmp_path / "a.pdf", ["# Titel", "De tekst van de eerste pagina."])
    cache = Cache(tmp_path / "cache")
    for _ in range(2):  # parsed, then from the cache
        result = PdfInspector(cache, workers=1).inspect_all([pdf])[pdf]
        assert isinstance(result.texts, CachedTexts) and result.has_text
        assert len(result.texts) == 1 and "eerste pagina" in list(result.texts)[0]
    entry = cache.file_path("pdf", f"{result.sha256}-v{PDF_CODE_VERSION}", ".json")
    entry.chmod(0o644)
    entry.write_text(entry.read_text().replace("eerste", "tweede"))  # its checksum no longer matches
    with pytest.raises(OSError) as caught:
        list(result.texts)
    assert "beschadigd" in str(caught.value)


def test_documents_zip_streamed_is_the_zip_of_writestr(tmp_path):
    from publish.opendata import documents_zip

    files = []
    for i, size in enumerate((0, 10, 3 << 20)):
        path = tmp_path / f"{i}.pdf"
        path.write_bytes(random.Random(i).randbytes(size))
        files.append(SimpleNamespace(url=f"besluit/x/document-{i}.pdf", source=path))
    view = SimpleNamespace(decision=SimpleNamespace(publication_date=dt.date(2024, 5, 1)), files=files)
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w", zipfile.ZIP_STORED) as archive:
        for f in files:
            info = zipfile.ZipInfo(f.url.rsplit("/", 1)[1], date_time=(2024, 5, 1, 12, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, f.source.read_bytes())
    assert documents_zip(view) == expected.getvalue()


def _build(tmp_path: Path, config: Path, **kw):
    from publish.build import BuildOptions, run_build

    return run_build(
        BuildOptions(
            decisions=ROOT / "decisions",
            out=tmp_path / "site",
            config=config,
            cache=tmp_path / "cache",
            today=dt.date(2026, 1, 1),
            archive=tmp_path / "archief",
            **kw,
        )
    )


@pytest.mark.slow
def test_generated_pages_are_streamed_and_a_site_without_nav_gets_the_same_pages(tmp_path, monkeypatch):
    """With a nav, the pages outside it are rendered one at a time after mkdocs' own; without a nav
    (mkdocs puts every page in it) they are built the old way. Both publish every document page."""
    import publish.streampages as streampages

    rendered: list[int] = []
    original = streampages.StreamPages.on_post_build

    def counting(self, config):
        original(self, config)
        rendered.append(self.rendered)

    monkeypatch.setattr(streampages.StreamPages, "on_post_build", counting)
    with_nav = _build(tmp_path / "nav", ROOT / "mkdocs.yml", keep_sources=tmp_path / "bronnen")
    assert with_nav.exit_code == 0, with_nav.error
    assert rendered and rendered[0] > 50
    document_pages = sorted(
        p.relative_to(tmp_path / "nav" / "site") for p in (tmp_path / "nav" / "site").rglob("document/*/index.html")
    )
    assert document_pages
    # --keep-sources still holds every page's source, streamed or not.
    assert all((tmp_path / "bronnen" / p.parent / "index.md").is_file() for p in document_pages)

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("ondertekenaars: demo/", f"ondertekenaars: {ROOT}/demo/")
    start = text.index("\nnav:")
    end = text.index("\nnot_in_nav:")
    config = tmp_path / "mkdocs.yml"
    config.write_text(text[:start] + text[end:], encoding="utf-8")
    rendered.clear()
    without = _build(tmp_path / "zonder", config)
    assert without.exit_code == 0, without.error
    assert rendered == []
    assert document_pages == sorted(
        p.relative_to(tmp_path / "zonder" / "site") for p in (tmp_path / "zonder" / "site").rglob("document/*/index.html")
    )


def test_generator_with_a_sink_lets_each_page_go(tmp_path):
    from publish.pages import Generator, SiteText

    seen = []

    def sink(page):
        assert page.body.strip()
        seen.append(page.url)

    pages = Generator(SiteText("Woo-site", "Organisatie"), [], sink=sink).generate()
    assert seen == [p.url for p in pages] and all(p.body == "" for p in pages)


def test_the_build_report_gives_each_phase_its_own_memory_peak():
    """Issue 19: per phase the build process's resident peak (benchmarks/archive_scale.py shows where memory goes);
    each phase's figure is its own (the high-water mark is reset between phases), not the build's peak so far."""
    import mmap
    import time

    from publish.build import BuildReport, _lap, _peak_rss_mib

    report = BuildReport()
    _peak_rss_mib()  # what earlier tests in this process used is no phase's
    _lap(report, "klein", time.perf_counter())
    # A fresh anonymous mapping: a bytearray could reuse heap memory that earlier tests in this worker left resident.
    ballast = mmap.mmap(-1, 64 << 20)
    ballast.write(b"x" * (64 << 20))  # really resident
    ballast.close()  # gone before the phase ends: its peak is still this phase's
    _lap(report, "groot", time.perf_counter())
    _lap(report, "daarna", time.perf_counter())
    memory = report.to_json()["geheugen_mib"]
    if not memory:
        pytest.skip("this system does not tell a process's resident peak (/proc)")
    assert set(memory) == {"klein", "groot", "daarna"}
    assert memory["groot"] >= memory["klein"] + 50 and memory["daarna"] < memory["groot"] - 30


def test_a_seed_made_by_other_gate_code_is_signed_again_under_the_current_version(tmp_path, monkeypatch):
    """benchmarks/archive_scale.py reuses a corpus made with older gate code: its seeded results must still be
    read by the build (a renamed entry whose MAC covers the old key would be refused, and the build would parse
    every PDF again: the benchmark would measure something else)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("archive_scale", ROOT / "benchmarks" / "archive_scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setenv(module.KEY_ENV, str(tmp_path / "unused"))
    module.use_corpus_key(tmp_path)
    cache = tmp_path / "cache"
    seeded = Cache(cache)
    seeded.put_json("pdf", "ab12-vOUDE", {"ok": True, "pages": 2})
    seeded.put_bytes("published", "ab12-vOUDE", ".pdf", b"%PDF-1.7 ...")
    module._rekey(cache, "OUDE")
    current = Cache(cache)
    assert current.get_json("pdf", f"ab12-v{PDF_CODE_VERSION}") == {"ok": True, "pages": 2}
    assert (cache / "published" / "ab" / f"ab12-v{PDF_CODE_VERSION}.pdf").read_bytes() == b"%PDF-1.7 ..."
    assert not list(cache.rglob("*-vOUDE.*"))
