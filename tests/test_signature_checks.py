"""Issue 19: the signature checks of a build run side by side (publish/signing.py, ``concurrent``).

Every approval and change-history signature is still checked on every build (attack round 6, row 2b); the build
names them beforehand and a small pool of threads runs them, and each verdict is taken, in the same order as before,
where the build needs it. Real SSH signatures (the demonstration key), real ssh-keygen. The checks of the pool itself
(``ssh_only``) run with the in-process check switched off (sig19, tests/test_signing_fast.py), so that every check is
an ssh-keygen process, as it still is for whatever the in-process check is not certain of.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import threading
from contextlib import nullcontext
from pathlib import Path

import pytest

from publish import signing

from support import DEMO_KEY, DEMO_SIGNERS, ROOT, approve

BAD = "de handtekening klopt niet, of de sleutel staat niet (meer) bij de toegestane ondertekenaars"
AGAIN = 1 if signing._PIPES else 0  # a check that fails by pipe is made again with a file (signing._ssh_verify)


@pytest.fixture
def ssh_only(monkeypatch):
    """Every check goes to ssh-keygen (the in-process check off): the pool's own behaviour."""
    monkeypatch.setattr(signing, "_IN_PROCESS", False)


def _record_runs(monkeypatch, wait_for: int = 0) -> list[str]:
    """The thread each ssh-keygen -Y verify starts in. With ``wait_for``: the first that many wait for each other
    before they start (a barrier): they can only get past it when they run side by side."""
    names: list[str] = []
    barrier = threading.Barrier(wait_for, timeout=60) if wait_for else None
    real = signing.subprocess.Popen

    def popen(args, *rest, **kwargs):
        if "-Y" in args and "verify" in args:
            names.append(threading.current_thread().name)
            if barrier is not None and len(names) <= wait_for:
                barrier.wait()
        return real(args, *rest, **kwargs)

    monkeypatch.setattr(signing.subprocess, "Popen", popen)
    return names


def _verdicts(requests) -> list[str]:
    out = []
    for data, signature, principal in requests:
        try:
            out.append("goed: " + signing.verify(data, signature, principal, DEMO_SIGNERS).principal)
        except signing.SigningError as exc:
            out.append(f"fout: {exc}")
    return out


def test_checks_run_side_by_side_and_each_verdict_stays_with_its_own_signature(monkeypatch, ssh_only):
    principal = signing.principal_for(DEMO_KEY, DEMO_SIGNERS)
    texts = [f"goedkeuring {i}".encode() for i in range(6)]
    signatures = [signing.sign(t, DEMO_KEY) for t in texts]
    signatures[3] = signatures[2]  # a real signature, but over another text
    requests = [(t, s, principal) for t, s in zip(texts, signatures)]
    expected = [f"goed: {principal}"] * 3 + [f"fout: {BAD}"] + [f"goed: {principal}"] * 2
    assert _verdicts(requests) == expected  # one after another, as without the pool

    names = _record_runs(monkeypatch, wait_for=2)
    before = signing.COUNTERS["verified"]
    with signing.concurrent(3) as checks:
        assert checks is not None and signing.active() is checks
        for request in requests:
            checks.submit(*request, DEMO_SIGNERS)
        assert _verdicts(requests) == expected  # same verdicts, same order
    assert signing.active() is None
    assert signing.COUNTERS["verified"] - before == 6
    # All six ran in the pool's threads, two of them at the same time (else the barrier would have broken).
    assert len(names) == 6 + AGAIN and all(n.startswith("woo-handtekening") for n in names), names
    assert not [t for t in threading.enumerate() if t.name.startswith("woo-handtekening")]


def test_a_verdict_is_taken_once_and_a_check_not_named_beforehand_runs_there_and_then(monkeypatch, ssh_only):
    principal = signing.principal_for(DEMO_KEY, DEMO_SIGNERS)
    text = b"een goedkeuring"
    signature = signing.sign(text, DEMO_KEY)
    names = _record_runs(monkeypatch)
    with signing.concurrent(2) as checks:
        checks.submit(text, signature, principal, DEMO_SIGNERS)
        assert signing.verify(text, signature, principal, DEMO_SIGNERS).principal == principal  # from the pool
        assert signing.verify(text, signature, principal, DEMO_SIGNERS).principal == principal  # asked again: runs again
        with pytest.raises(signing.SigningError, match="klopt niet"):  # never named beforehand: runs itself
            signing.verify(text + b" ", signature, principal, DEMO_SIGNERS)
        checks.submit(text + b"!", signature, principal, DEMO_SIGNERS)  # never asked for: dropped at the end
    assert names[0].startswith("woo-handtekening") and names[1 : 3 + AGAIN] == ["MainThread"] * (2 + AGAIN)
    # The check never asked for: not started, or stopped after its first run, or run through before the end.
    assert len(names) - (3 + AGAIN) in (0, 1, 1 + AGAIN)


def test_a_stream_of_checks_is_read_a_few_at_a_time_and_each_verdict_stays_its_own(monkeypatch, ssh_only):
    """Issue 19 (mem13): ``submit_from`` reads the build's checks as the threads get free, so the signed texts of
    the whole archive are never held together; a finished check keeps only its outcome; a check taken before the
    stream named it runs in ``verify`` and is not run again; the verdicts are those of checks one after another."""
    principal = signing.principal_for(DEMO_KEY, DEMO_SIGNERS)
    texts = [f"goedkeuring {i}".encode() for i in range(12)]
    signatures = [signing.sign(t, DEMO_KEY) for t in texts[:2]] * 6  # 0 and 1 hold; every other one is over another text
    requests = list(zip(texts, signatures, [principal] * 12))
    expected = [f"goed: {principal}"] * 2 + [f"fout: {BAD}"] * 10
    gate = threading.Event()
    read: list[int] = []
    runs: list[tuple[bool, bytes]] = []  # (in the pool, signed text) of every check made
    real = signing._ssh_verify

    def held(request, checks=None):
        runs.append((checks is not None, request[4]))
        if checks is not None:
            assert gate.wait(60)
        return real(request, checks)

    monkeypatch.setattr(signing, "_ssh_verify", held)
    monkeypatch.setattr(signing.Checks, "AHEAD", 2)

    def stream():
        for i, (t, s, p) in enumerate(requests):
            read.append(i)
            yield t, s, p, DEMO_SIGNERS

    with signing.concurrent(2) as checks:
        checks.submit_from(stream())
        assert read == [0, 1, 2, 3]  # AHEAD per thread, while none has finished
        assert _verdicts(requests[11:]) == expected[11:]  # taken before the stream named it: runs here
        gate.set()
        assert _verdicts(requests[:11]) == expected[:11]  # same verdicts, same order
        assert read == list(range(12))
        assert not checks._pending  # each outcome was taken, none is left
    assert sorted(runs) == sorted([(False, texts[11])] + [(True, t) for t in texts[:11]])  # each made once, 11 in the pool


def test_a_finished_check_keeps_only_its_outcome(monkeypatch, ssh_only):
    principal = signing.principal_for(DEMO_KEY, DEMO_SIGNERS)
    text = b"een goedkeuring"
    signature = signing.sign(text, DEMO_KEY)
    monkeypatch.setattr(signing.Checks, "AHEAD", 1)
    names = _record_runs(monkeypatch)
    with signing.concurrent(1) as checks:
        checks.submit_from(
            iter([(text + b"!", signature, principal, DEMO_SIGNERS)] * 3 + [(text, signature, principal, DEMO_SIGNERS)])
        )
        checks.settle()  # before a fork: every check of the stream is made by the thread first, then the thread ends
        assert len(names) == 2 + AGAIN and all(n.startswith("woo-handtekening") for n in names), names
        assert [type(kept) for kept in checks._pending.values()] == [signing._Done] * 2
        assert signing.verify(text, signature, principal, DEMO_SIGNERS).principal == principal
        with pytest.raises(signing.SigningError, match="klopt niet"):
            signing.verify(text + b"!", signature, principal, DEMO_SIGNERS)
        assert not checks._pending and len(names) == 2 + AGAIN  # both from the pool's outcomes


# -- whole builds ------------------------------------------------------------------------------------------


def _options(decisions: Path, tmp_path: Path, workers: int = 2):
    from publish import build as build_module

    return build_module.BuildOptions(
        decisions=decisions,
        out=tmp_path / "site",
        config=ROOT / "mkdocs.yml",
        cache=tmp_path / "c",
        today=dt.date(2024, 6, 1),
        workers=workers,
        archive=tmp_path / "archief",
    )


def _spoil(package: Path, other: Path) -> None:
    """Give ``package``'s approval the signature of ``other``'s: a real SSH signature, over another text."""
    record = json.loads((package / "goedkeuring.json").read_text(encoding="utf-8"))
    theirs = json.loads((other / "goedkeuring.json").read_text(encoding="utf-8"))
    record["handtekeningen"][0]["handtekening"] = theirs["handtekeningen"][0]["handtekening"]
    (package / "goedkeuring.json").write_text(json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


@pytest.mark.slow
def test_a_failing_signature_among_many_refuses_only_its_own_package_on_every_build(
    decisions, make_package, tmp_path, monkeypatch
):
    from publish import build as build_module

    names = [f"pakket-{i}" for i in range(5)]
    for i, name in enumerate(names):
        approve(make_package(name, meta={"kenmerk": f"2024-00{i + 10}", "titel": f"Verzoek nummer {i} over iets"}))
    _spoil(decisions / "pakket-2", decisions / "pakket-4")
    runs = _record_runs(monkeypatch)
    reports = [build_module.run_build(_options(decisions, tmp_path)) for _ in range(2)]
    for report in reports:  # every build checks every signature again (row 2b), in the pool
        assert report.exit_code == 1 and report.written, report.error
        assert [r["package"] for r in report.refused] == ["pakket-2"]
        assert sorted(p["package"] for p in report.published) == ["pakket-0", "pakket-1", "pakket-3", "pakket-4"]
        assert report.counters["handtekeningen_gecontroleerd"] == 5
        assert report.counters["handtekeningen_via_ssh_keygen"] == 1  # the spoiled one; four accepted in process
        assert [p["message"] for p in report.refused[0]["problems"]] == [
            f"de goedkeuring is niet geldig ondertekend (handtekening 1: {BAD})."
        ]
    per_build = 1 + AGAIN  # sig19: only the spoiled signature needs ssh-keygen
    assert len(runs) == 2 * per_build and all(n.startswith("woo-handtekening") for n in runs), runs

    # The same build with the checks one after another: the same verdicts and messages, in the same order.
    monkeypatch.setattr(build_module.signing, "concurrent", lambda workers=None: nullcontext())
    one_by_one = build_module.run_build(_options(decisions, tmp_path))
    assert runs[2 * per_build :] == ["MainThread"] * per_build
    assert one_by_one.refused == reports[1].refused and one_by_one.warnings == reports[1].warnings
    assert one_by_one.published == reports[1].published


@pytest.mark.slow
def test_four_eyes_messages_keep_the_order_of_the_signatures(decisions, make_package, tmp_path):
    """Two signatures on one approval, the first one spoiled: its message names signature 1, as before."""
    from publish import build as build_module

    package = make_package("vier-ogen", meta={"kenmerk": "2024-0099"})
    other = make_package("ander", meta={"kenmerk": "2024-0098", "titel": "Verzoek over een ander onderwerp"})
    approve(package)
    approve(other)
    record = json.loads((package / "goedkeuring.json").read_text(encoding="utf-8"))
    second = dict(record["handtekeningen"][0])
    first = dict(second, handtekening=json.loads((other / "goedkeuring.json").read_text())["handtekeningen"][0]["handtekening"])
    record["handtekeningen"] = [first, second]
    (package / "goedkeuring.json").write_text(json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    report = build_module.run_build(_options(decisions, tmp_path))
    assert report.counters["handtekeningen_gecontroleerd"] == 3
    assert report.counters["handtekeningen_via_ssh_keygen"] == 1
    warnings = [w for w in report.warnings if w["package"] == "vier-ogen"]
    assert [w["message"] for w in warnings] == [f"een of meer handtekeningen gelden niet: handtekening 1: {BAD}."]
    assert sorted(p["package"] for p in report.published) == ["ander", "vier-ogen"]


@pytest.mark.slow
def test_a_sigterm_during_the_signature_checks_stops_the_build_and_its_ssh_keygen_processes(
    decisions, make_package, tmp_path, monkeypatch, ssh_only
):
    from publish import build as build_module

    for i in range(4):
        approve(make_package(f"p{i}", meta={"kenmerk": f"2024-00{i + 20}", "titel": f"Verzoek nummer {i} over iets"}))
    started: list = []
    real_popen = signing.subprocess.Popen

    def popen(*args, **kwargs):
        process = real_popen(*args, **kwargs)
        started.append(process)
        return process

    real_take = signing.Checks.take

    def take_then_sigterm(self, request):
        os.kill(os.getpid(), signal.SIGTERM)  # while the other checks are queued or running
        return real_take(self, request)

    monkeypatch.setattr(signing.subprocess, "Popen", popen)
    monkeypatch.setattr(signing.Checks, "take", take_then_sigterm)
    report = build_module.run_build(_options(decisions, tmp_path))
    assert report.exit_code == 2 and not report.written
    assert report.error == "de build is afgebroken (SIGTERM); de bestaande site is ongewijzigd."
    assert not (tmp_path / "site").exists() and not list(tmp_path.glob(".woo-build-*"))
    assert signing.active() is None
    assert not [t for t in threading.enumerate() if t.name.startswith("woo-handtekening")]
    assert started and all(p.poll() is not None for p in started)  # every ssh-keygen has ended, none left behind
    assert build_module._TermHold.depth == 0 and not build_module._TermHold.pending


@pytest.mark.skipif(not signing._PIPES, reason="the pipe is used on Linux only")
def test_the_signature_goes_by_pipe_and_a_check_that_fails_is_made_again_with_a_file(monkeypatch, ssh_only):
    principal = signing.principal_for(DEMO_KEY, DEMO_SIGNERS)
    text = b"een goedkeuring"
    signature = signing.sign(text, DEMO_KEY)
    files: list[str] = []
    real = signing.subprocess.Popen

    def popen(args, *rest, **kwargs):
        files.append(args[-1])
        return real(args, *rest, **kwargs)

    monkeypatch.setattr(signing.subprocess, "Popen", popen)
    assert signing.verify(text, signature, principal, DEMO_SIGNERS).principal == principal
    assert len(files) == 1 and files[0].startswith("/dev/fd/")
    with pytest.raises(signing.SigningError) as failed:
        signing.verify(text + b"!", signature, principal, DEMO_SIGNERS)
    assert str(failed.value) == BAD
    assert len(files) == 3 and files[1].startswith("/dev/fd/") and files[2].endswith("handtekening.sig")
    monkeypatch.setattr(signing, "_PIPES", False)  # elsewhere: the file, as before
    assert signing.verify(text, signature, principal, DEMO_SIGNERS).principal == principal
    assert len(files) == 4 and files[3].endswith("handtekening.sig")
