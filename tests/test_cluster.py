"""The PDF inspection on a Dask cluster (issue 19, publish/cluster.py): chosen by ``--engine dask`` or
``extra.woo.rekenen``, byte-identical output to a local build, the time limit kept on the workers, and a
clear Dutch refusal when the cluster is unusable. The cluster is Dask's LocalCluster: several worker
processes on this machine, talking TCP to a real scheduler."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, approve, build_args, write_pdf

EXE = Path(sys.executable).parent / "woo-publish"


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _build(decisions: Path, out: Path, cache: Path, report: Path, *extra: str, config: Path = ROOT / "mkdocs.yml"):
    args = [str(EXE), *build_args(decisions, out, "--report", str(report), *extra, cache=cache, config=config)]
    result = subprocess.run(args, capture_output=True, text=True, timeout=600)
    return result, json.loads(report.read_text())


def _config(tmp_path: Path, rekenen) -> Path:
    """A copy of the project's site configuration with ``rekenen`` (theme and pages come from the package)."""
    import yaml

    data = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    data["extra"]["woo"]["ondertekenaars"] = str(ROOT / data["extra"]["woo"]["ondertekenaars"])
    data["extra"]["woo"]["rekenen"] = rekenen
    config = tmp_path / f"mkdocs-{len(list(tmp_path.glob('mkdocs-*.yml')))}.yml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True))
    return config


@pytest.fixture
def cluster_config(tmp_path):
    return lambda rekenen: _config(tmp_path, rekenen)


@pytest.fixture(scope="module")
def local_cluster():
    pytest.importorskip("distributed", reason="Dask is niet geïnstalleerd (pip install 'woo-publicatie[cluster]')")
    from distributed import LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1", silence_logs=40
    )
    try:
        yield cluster
    finally:
        cluster.close()


# -- configuration (no Dask needed) ------------------------------------------------------------------------------


def test_the_engine_settings_are_checked_with_dutch_messages(tmp_path, cluster_config):
    from publish.siteconfig import load_site_config

    good = load_site_config(cluster_config({"motor": "dask", "scheduler": "tcp://rekenserver:8786"}))
    assert [p.format() for p in good.problems if p.is_error] == []
    assert (good.engine, good.scheduler) == ("dask", "tcp://rekenserver:8786")
    assert load_site_config(ROOT / "mkdocs.yml").engine == "lokaal"  # the default: local processes

    cases = [
        ({"motor": "ray"}, "extra.woo.rekenen.motor: 'ray' is geen bekende rekenmotor"),
        ({"motor": "dask"}, "motor 'dask' is gekozen, maar er is geen scheduler ingesteld"),
        ({"motor": "dask", "scheduler": "http://evil.example/\x07"}, "is geen adres van een Dask-scheduler"),
        ({"motor": "dask", "scheduler": "tcp://a:1" + "1" * 10_000}, "is geen adres van een Dask-scheduler"),
        ({"motor": "dask", "scheduler": "tcp://a:1", "werkers": 9}, "extra.woo.rekenen.werkers: onbekend veld 'werkers'"),
        (["dask"], "extra.woo.rekenen: dit moet een lijst van instellingen zijn"),
    ]
    for value, message in cases:
        site = load_site_config(cluster_config(value))
        errors = "\n".join(p.format() for p in site.problems if p.is_error)
        assert message in errors, (value, errors)
        assert "\x07" not in errors


def test_without_dask_installed_the_engine_says_how_to_install_it(monkeypatch):
    from publish import cluster

    monkeypatch.setitem(sys.modules, "distributed", None)
    assert 'pip install "woo-publicatie[cluster]"' in cluster.dask_missing()
    with pytest.raises(cluster.ClusterError, match="niet geïnstalleerd"):
        cluster.connect("tcp://127.0.0.1:8786")


def test_a_dask_build_without_a_scheduler_stops_before_any_work(make_package, decisions, tmp_path):
    approve(make_package("a"))
    result, report = _build(decisions, tmp_path / "site", tmp_path / "cache", tmp_path / "r.json", "--engine", "dask")
    assert result.returncode == 2
    assert "geen scheduler" in report["error"] and "--scheduler" in report["error"]
    assert not (tmp_path / "site").exists() and "Traceback" not in result.stderr


# -- on a real (local) cluster -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_dask_build_is_byte_identical_to_a_local_build(make_package, decisions, tmp_path, local_cluster, cluster_config):
    for i, name in enumerate(["a", "b", "c"]):
        approve(
            make_package(
                name,
                meta={"kenmerk": f"2024-000{i + 1}", "titel": f"Besluit {name}"},
                pdf_text={"documenten/1.pdf": ["# Notitie", f"Alleen in {name} staat WOORD{name.upper()}."]},
            )
        )
    local, local_report = _build(decisions, tmp_path / "lokaal", tmp_path / "cache-lokaal", tmp_path / "l.json")
    assert local.returncode == 0, local.stdout + local.stderr
    address = local_cluster.scheduler_address
    remote, remote_report = _build(
        decisions, tmp_path / "dask", tmp_path / "cache-dask", tmp_path / "d.json", "--engine", "dask", "--scheduler", address
    )
    assert remote.returncode == 0, remote.stdout + remote.stderr
    assert remote_report["pdfs_parsed"] == local_report["pdfs_parsed"] > 0
    assert len(remote_report["published"]) == 3
    assert _tree(tmp_path / "lokaal") == _tree(tmp_path / "dask")
    # The workers filled the shared cache: a warm build through mkdocs.yml's setting parses nothing.
    config = cluster_config({"motor": "dask", "scheduler": address})
    warm, warm_report = _build(decisions, tmp_path / "dask", tmp_path / "cache-dask", tmp_path / "w.json", config=config)
    assert warm.returncode == 0, warm.stdout + warm.stderr
    assert warm_report["pdfs_parsed"] == 0
    assert _tree(tmp_path / "lokaal") == _tree(tmp_path / "dask")


@pytest.mark.slow
def test_on_the_cluster_a_pdf_past_the_time_limit_is_killed_and_refused(tmp_path, local_cluster):
    from publish.limits import Limits
    from publish.pdfs import Cache, PdfInspector

    paths = [write_pdf(tmp_path / f"{n}.pdf", [f"Inhoud {n}"]) for n in ("een", "twee")]
    # 10 ms: no helper process even starts that fast, so every PDF passes the limit and is killed.
    inspector = PdfInspector(
        Cache(tmp_path / "cache"), limits=Limits(pdf_seconds=0.01), scheduler=local_cluster.scheduler_address
    )
    results = inspector.inspect_all(paths)
    for path in paths:
        assert not results[path].ok and results[path].error_code == "limiet.pdf_seconden"
        assert "limieten.pdf_seconden = 0,01 seconden" in results[path].error
    assert not list((tmp_path / "cache").rglob("*.json"))  # a slow night must not refuse a PDF forever
    # The same cluster reads them within a normal limit (the killed helpers are replaced).
    inspector = PdfInspector(Cache(tmp_path / "cache"), scheduler=local_cluster.scheduler_address)
    results = inspector.inspect_all(paths)
    assert all(r.ok for r in results.values()) and "Inhoud een" in results[paths[0]].texts[0]


@pytest.mark.slow
def test_an_unreachable_scheduler_stops_the_build_with_a_dutch_message(make_package, decisions, tmp_path):
    pytest.importorskip("distributed", reason="Dask is niet geïnstalleerd (pip install 'woo-publicatie[cluster]')")
    approve(make_package("a"))
    result, report = _build(
        decisions,
        tmp_path / "site",
        tmp_path / "cache",
        tmp_path / "r.json",
        "--engine",
        "dask",
        "--scheduler",
        "tcp://127.0.0.1:9",
    )
    assert result.returncode == 2
    assert "tcp://127.0.0.1:9 is niet bereikbaar" in report["error"] and "--engine lokaal" in report["error"]
    assert not (tmp_path / "site").exists() and "Traceback" not in result.stderr


class _FakeClient:
    """A Dask client whose workers answer ``answers`` (by function name; an exception is raised), counting its closes."""

    def __init__(self, answers: dict):
        self.answers, self.closed = answers, 0

    def run(self, function, *args):
        answer = self.answers[function.__name__]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def close(self):
        self.closed += 1


@pytest.mark.parametrize(
    "answers,words",
    [
        ({"_code_version": OSError("weg")}, "konden niet bevraagd worden (OSError)"),
        ({"_code_version": {}}, "heeft geen workers"),
        ({"_code_version": {"tcp://10.0.0.2:1": "oud"}}, "andere versie van woo-publicatie"),
        ({"_code_version": "same", "worker_key_identity": RuntimeError("weg")}, "konden niet bevraagd worden (RuntimeError)"),
        ({"_code_version": "same", "worker_key_identity": {"tcp://10.0.0.2:1": "anders"}}, "niet dezelfde cachesleutel"),
    ],
    ids=["niet te bevragen", "geen workers", "andere versie", "sleutel niet te bevragen", "andere sleutel"],
)
def test_an_unusable_cluster_closes_the_client_once_with_a_dutch_message(monkeypatch, answers, words):
    pytest.importorskip("distributed", reason="Dask is niet geïnstalleerd (pip install 'woo-publicatie[cluster]')")
    import distributed

    from publish import cluster
    from publish.pdfs import PDF_CODE_VERSION

    if answers["_code_version"] == "same":
        answers["_code_version"] = {"tcp://10.0.0.2:1": PDF_CODE_VERSION}
    client = _FakeClient(answers)
    monkeypatch.setattr(distributed, "Client", lambda *args, **kwargs: client)

    class Cache:
        secret = b"k" * 32

        def spec(self):
            return type("Spec", (), {"key_file": "/etc/woo/sleutel"})()

    with pytest.raises(cluster.ClusterError, match="bouw met '--engine lokaal'|WOO_CACHE_KEY_FILE") as raised:
        cluster.connect("tcp://10.0.0.1:8786", Cache())
    assert words in str(raised.value)
    assert client.closed == 1
