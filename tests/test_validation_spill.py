"""Issue 19 (mem10): during validation the build holds one package at a time. ``evaluate(spill=...)`` puts each
package's model on disk once it is read (``build.SpilledPdfs.spill_decision``: a ``SpilledDecision`` stays), every
PDF's result as it is known (``SpilledPdfs.inspected``), and a package's PDF results once its checks are done
(``SpilledPdfs.spill``). The verdicts must be exactly those of ``evaluate`` without it: the same problems in the same
order, the same models and PDF results, the same validation-cache entries (the whole build: tests/test_golden.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.approval import Trust
from publish.build import SpilledPdfs
from publish.cache import Cache
from publish.evaluate import evaluate
from publish.limits import DEFAULT_LIMITS
from publish.model import Decision, SpilledDecision
from publish.pdfs import PdfInspector
from publish.validationcache import ValidationCache

from support import DEMO_SIGNERS


@pytest.fixture()
def folders(make_package) -> list[Path]:
    good = make_package("goed", meta={"kenmerk": "2024-0001"})
    second = make_package("tweede", meta={"kenmerk": "2024-0002"})
    (second / "documenten/2.pdf").write_bytes(b"%PDF-1.4\nkapot")  # refused: an unreadable PDF
    twin_a = make_package("dubbel-a", meta={"kenmerk": "2024-0003"})
    twin_b = make_package("dubbel-b", meta={"kenmerk": "2024-0003"})  # refused both: one kenmerk twice
    broken = make_package("kapot", drop=("titel",))  # no model at all
    return sorted([good, second, twin_a, twin_b, broken])


def _run(folders: list[Path], cache: Cache, spill=None):
    validation = ValidationCache(cache, DEFAULT_LIMITS, Trust(DEMO_SIGNERS), [])
    results = evaluate(folders, PdfInspector(cache, workers=1), validation=validation, spill=spill)
    return results, validation


def _pdfs(pdfs: dict) -> dict:
    return {Path(p): (r.sha256, r.ok, r.pages, list(r.texts), r.published_size, r.published_sha256) for p, r in pdfs.items()}


def test_validation_holds_one_package_at_a_time_with_the_same_verdicts(folders, tmp_path, monkeypatch):
    plain, _ = _run(folders, Cache(tmp_path / "c1"))
    cache = Cache(tmp_path / "c2")
    spilled = SpilledPdfs(cache, tmp_path / "uit" / "site")
    stores = []
    made = SpilledPdfs.inspected

    def inspected(self):
        stores.append(made(self))
        return stores[-1]

    monkeypatch.setattr(SpilledPdfs, "inspected", inspected)
    original = PdfInspector.inspect_all
    seen_during_inspection = []

    def inspect_all(self, paths, progress=None):
        # While every PDF is inspected, no package's whole model is in memory (only its stand-in); a few PDFs at a time.
        seen_during_inspection.extend(type(r.decision) for r in results_so_far)
        batches.append(len(paths))
        held.append(len(stores[0]))
        return original(self, paths, progress)

    monkeypatch.setattr(PdfInspector, "inspect_all", inspect_all)
    # mem13: the PDFs are inspected a group of packages at a time (here 3 PDFs each: two packages a group), and a group's
    # results are let go before the next group is inspected.
    monkeypatch.setattr("publish.evaluate.INSPECT_BATCH", 7)
    batches: list[int] = []
    held: list[int] = []
    results_so_far: list = []
    monkeypatch.setattr("publish.evaluate.WithdrawnInRun.__init__", _capture(results_so_far))
    try:
        spilled_results, validation = _run(folders, cache, spilled)
        assert [r.name for r in spilled_results] == [r.name for r in plain]
        for r, p in zip(spilled_results, plain, strict=True):
            assert [x.to_dict() for x in r.problems] == [x.to_dict() for x in p.problems], r.name
            assert r.pdfs == {}  # written once its checks were done
            if p.decision is None:
                assert r.decision is None
                continue
            assert isinstance(r.decision, SpilledDecision) and r.cached.decision is None and r.cached.head == ""
            loaded = spilled.decision(r)
            assert type(loaded) is Decision and loaded == p.decision
            assert _pdfs(spilled.load(r)) == _pdfs(p.pdfs) and p.pdfs
        assert spilled.pdf_count == sum(len(p.pdfs) for p in plain)
        assert set(seen_during_inspection) <= {SpilledDecision, type(None)} and SpilledDecision in seen_during_inspection
        assert batches == [6, 6, 3] and sum(batches) == spilled.pdf_count
        assert held == [0, 0, 0]  # nothing of an earlier group is held while the next one is inspected
        (store,) = stores
        assert len(store) == 0  # every PDF's result was let go with its package
        assert validation.validated == len(folders)
    finally:
        spilled.close()
    # The validation-cache entries written from the spill file are whole: the next run takes them, same verdicts.
    again, validation = _run(folders, cache)
    assert validation.reused == len(folders), (validation.reused, validation.validated, validation.uncacheable)
    assert [[x.to_dict() for x in r.problems] for r in again] == [[x.to_dict() for x in r.problems] for r in plain]


def _capture(into: list):
    from publish.evaluate import WithdrawnInRun

    original = WithdrawnInRun.__init__

    def init(self, results, archive, *more, **named):
        into[:] = results
        original(self, results, archive, *more, **named)

    return init


def test_a_changed_organisation_name_is_written_to_the_spilled_model(folders, tmp_path):
    """The build names the organisation of a package that gives a TOOI code (``build._organisation_named``): with the
    model on disk, the model is written anew, so the site phases read the name."""
    from types import SimpleNamespace

    from publish.build import _organisation_named

    cache = Cache(tmp_path / "c")
    spilled = SpilledPdfs(cache, tmp_path / "uit" / "site")
    try:
        results, _ = _run(folders, cache, spilled)
        r = next(r for r in results if r.name == "goed")
        uri = "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"
        spilled.change_decision(r, lambda d: setattr(d, "organisation", uri))
        site = SimpleNamespace(organisation_tooi={"Gemeente Amsterdam": uri}, tooi="", organisation="")
        assert _organisation_named(r, site, spilled)
        assert isinstance(r.decision, SpilledDecision) and r.decision.organisation == "Gemeente Amsterdam"
        assert spilled.decision(r).organisation == "Gemeente Amsterdam"
    finally:
        spilled.close()
