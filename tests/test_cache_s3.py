"""The shared build cache in S3-compatible object storage (issue 19, "Beyond one machine"; publish/cachestore.py
S3Store): ``--cache s3://bucket/prefix`` with the organisation's own endpoint. Tested against moto's S3 server on
127.0.0.1 only (a free loopback port, started and stopped by the fixture; nothing else is contacted): a second build
on another machine (a fresh local folder) takes everything from the bucket, the output is byte-identical to a build
with a local cache, and an object forged in the bucket (valid SHA-256, no key) is not used."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from support import all_text, approve, build_args

pytestmark = pytest.mark.slow  # builds whole sites

BUCKET = "woo-cache"
REMOTE = f"s3://{BUCKET}/proef"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3(tmp_path):
    pytest.importorskip("moto.server", reason="moto is niet geïnstalleerd (pip install -e '.[test]')")
    boto3 = pytest.importorskip("boto3", reason="boto3 is niet geïnstalleerd (pip install -e '.[cluster]')")
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    import urllib.request

    # moto keeps its buckets in this process, across servers: every test starts from an empty store
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never through a proxy
    direct.open(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=30).close()
    env = {
        "AWS_ACCESS_KEY_ID": "proef",
        "AWS_SECRET_ACCESS_KEY": "proef",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "NO_PROXY": "127.0.0.1",
        "no_proxy": "127.0.0.1",
        "WOO_CACHE_S3_ENDPOINT": endpoint,
    }
    client = boto3.session.Session(aws_access_key_id="proef", aws_secret_access_key="proef", region_name="us-east-1").client(
        "s3", endpoint_url=endpoint
    )
    client.create_bucket(Bucket=BUCKET)
    key = tmp_path / "gedeelde-sleutel"  # one key for every machine that shares the bucket (docs/beheer.md)
    key.write_text("5a" * 32 + "\n")
    key.chmod(0o600)
    try:
        yield SimpleNamespace(endpoint=endpoint, env=env, client=client, key=key)
    finally:
        server.stop()


def build(decisions: Path, out: Path, cache: str | Path, env: dict, *extra: str) -> tuple[int, dict, str]:
    report = out.parent / f"rapport-{out.name}.json"
    exe = Path(sys.executable).parent / "woo-publish"
    args = build_args(decisions, out, "--report", str(report), *extra, cache=cache)  # type: ignore[arg-type]
    result = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600, env={**os.environ, **env})
    data = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {}
    return result.returncode, data, result.stdout + result.stderr


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def objects(client) -> list[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


def machine(tmp_path: Path, name: str, s3) -> tuple[Path, dict]:
    """A build machine of its own: its own local cache folder (memo, live-site record, copies), the shared bucket."""
    local = tmp_path / name / "lokaal"
    return tmp_path / name / "site", {**s3.env, "WOO_PUBLISH_CACHE": str(local)}


def test_a_second_machine_builds_from_the_bucket_byte_identical(make_package, decisions, tmp_path, s3):
    approve(make_package("goed"))
    approve(make_package("ander", meta={"kenmerk": "2024-0002", "titel": "Besluit over bomen"}))
    reference = tmp_path / "lokaal" / "site"
    code, local, text = build(decisions, reference, tmp_path / "lokaal" / "cache", s3.env)
    assert code == 0, text

    out_a, env_a = machine(tmp_path, "a", s3)
    code, first, text = build(decisions, out_a, REMOTE, env_a, "--cache-sleutel", str(s3.key))
    assert code == 0, text
    assert first["pdfs_parsed"] > 0 and first["tellers"]["cache_s3_geschreven"] > 0
    stored = objects(s3.client)
    assert stored and all(k.startswith("proef/") for k in stored)
    assert any(k.startswith("proef/pdf-oordeel/") for k in stored) and any(k.startswith("proef/published/") for k in stored)
    assert any(k.startswith("proef/pagina/") for k in stored)

    out_b, env_b = machine(tmp_path, "b", s3)
    code, second, text = build(decisions, out_b, REMOTE, env_b, "--cache-sleutel", str(s3.key))
    assert code == 0, text
    assert second["pdfs_parsed"] == 0 and second["tellers"]["cache_s3_gelezen"] > 0
    assert second["site"]["paginas_uit_cache"] > 0
    assert second["tellers"]["cache_ongeldig_ondertekend"] == 0
    assert site_files(out_a) == site_files(reference)
    assert site_files(out_b) == site_files(reference)


def test_an_object_forged_in_the_bucket_is_not_used(make_package, decisions, tmp_path, s3):
    approve(make_package("goed"))
    out_a, env_a = machine(tmp_path, "a", s3)
    code, first, text = build(decisions, out_a, REMOTE, env_a, "--cache-sleutel", str(s3.key))
    assert code == 0, text
    # Someone who can write the bucket but has not the key: the gate's verdicts say the PDFs are refused, and a page
    # rendered with script says it was found clean; every checksum valid.
    import hashlib

    forged = forged_verdicts = 0
    for name in objects(s3.client):
        if not (name.startswith("proef/pdf-oordeel/") or name.startswith("proef/pagina/")):
            continue
        raw = s3.client.get_object(Bucket=BUCKET, Key=name)["Body"].read()
        if name.endswith(".json"):
            entry = json.loads(raw)
            value = dict(entry["value"], ok=False, error="VERVALSTE-FOUT", error_code="pdf.onleesbaar")
            body = json.dumps(value, ensure_ascii=False, sort_keys=True)
            new = {"sha256": hashlib.sha256(body.encode()).hexdigest(), "value": value, "mac": entry["mac"]}
            data = json.dumps(new, ensure_ascii=False, sort_keys=True).encode("utf-8")
        else:
            head, _, page = raw.partition(b"\n")
            page = page.replace(b"</body>", b"VERVALSTE-PAGINA<script>alert(1)</script></body>")
            meta = dict(json.loads(head), sha256=hashlib.sha256(page).hexdigest(), size=len(page), meta={"clean": True})
            data = json.dumps(meta, sort_keys=True).encode("utf-8") + b"\n" + page
        s3.client.put_object(Bucket=BUCKET, Key=name, Body=data)
        forged += 1
        forged_verdicts += name.endswith(".json")
    assert forged and forged_verdicts
    out_c, env_c = machine(tmp_path, "c", s3)
    code, report, text = build(decisions, out_c, REMOTE, env_c, "--cache-sleutel", str(s3.key))
    assert code == 0, text
    assert [p["package"] for p in report["published"]] == ["goed"]
    # A package whose verdict record (warm13v, signed, not forged here) is taken never reads its PDFs' own verdicts:
    # then only the forged pages are read and refused; the forged verdicts are never used either way.
    taken = report["tellers"]["pakketten_pdf_oordelen_uit_cache"]
    assert report["tellers"]["cache_ongeldig_ondertekend"] >= forged - (forged_verdicts if taken else 0) > 0
    assert [w["code"] for w in report["warnings"]].count("cache.handtekening") == 1
    site_text = all_text(out_c)
    assert "VERVALST" not in site_text and "alert(1)" not in site_text
    assert site_files(out_c) == site_files(out_a)


def test_s3_settings_are_checked_before_any_work(make_package, decisions, tmp_path, s3):
    approve(make_package("goed"))
    out, env = machine(tmp_path, "a", s3)
    no_endpoint = {**env, "WOO_CACHE_S3_ENDPOINT": ""}
    cases = [
        (REMOTE, no_endpoint, [], "Er is bewust geen standaardadres"),
        ("s3://Emmer_\x1b[2J/x", env, [], "is geen geldige S3-cache"),
        (REMOTE, env, ["--cache-endpoint", "ftp://opslag\x07"], "is geen adres van S3-opslag"),
    ]
    for cache, environment, extra, expected in cases:
        code, report, text = build(decisions, out, cache, environment, *extra)
        assert code == 2, text
        assert expected in report["error"], report["error"]
        assert "\x1b" not in text and "\x07" not in text
        assert not out.exists()


def test_dask_workers_read_the_shared_pdfs_and_write_to_the_bucket(make_package, decisions, tmp_path, s3, monkeypatch):
    """With ``--engine dask`` the workers read the PDFs from the shared decisions folder and write their results and
    published copies to the bucket, signed with the key they read from their own disk; the output is the local build's."""
    pytest.importorskip("distributed", reason="Dask is niet geïnstalleerd (pip install 'woo-publicatie[cluster]')")
    from distributed import LocalCluster

    approve(make_package("goed"))
    reference = tmp_path / "lokaal" / "site"
    code, local, text = build(decisions, reference, tmp_path / "lokaal" / "cache", s3.env)
    assert code == 0, text
    for name, value in s3.env.items():  # the workers' own environment: credentials, endpoint
        monkeypatch.setenv(name, value)
    cluster = LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1", silence_logs=40
    )
    try:
        out, env = machine(tmp_path, "a", s3)
        extra = ("--cache-sleutel", str(s3.key), "--engine", "dask", "--scheduler", cluster.scheduler_address)
        code, report, text = build(decisions, out, REMOTE, env, *extra)
    finally:
        cluster.close()
    assert code == 0, text
    assert report["pdfs_parsed"] > 0 and report["tellers"]["cache_ongeldig_ondertekend"] == 0
    assert any(k.startswith("proef/published/") for k in objects(s3.client))
    assert site_files(out) == site_files(reference)


def test_a_worker_reads_its_own_key_and_reports_only_its_identity(tmp_path, monkeypatch):
    from publish.cachestore import CacheSpec, key_identity, worker_key_identity

    key = tmp_path / "sleutel"
    key.write_text("7e" * 32)
    key.chmod(0o600)
    spec = CacheSpec(str(tmp_path / "cache"), key_file=str(tmp_path / "alleen-op-de-buildmachine"))
    monkeypatch.delenv("WOO_CACHE_KEY_FILE", raising=False)
    assert worker_key_identity(spec) == ""  # no key on this worker: the build refuses it before sending work
    monkeypatch.setenv("WOO_CACHE_KEY_FILE", str(key))
    identity = worker_key_identity(spec)
    assert identity == key_identity(bytes.fromhex("7e" * 32)) and "7e7e" not in identity


def test_a_foreign_object_name_in_the_bucket_never_becomes_a_local_path(make_package, decisions, tmp_path, s3):
    """Attack round 6, row 5: whoever can write the bucket (no key needed) names an object ``pagina/../../x``; the
    clean-up after a build must not unlink that path beside the local cache folder, nor delete the object."""
    approve(make_package("goed"))
    out_a, env_a = machine(tmp_path, "a", s3)
    code, _, text = build(decisions, out_a, REMOTE, env_a, "--cache-sleutel", str(s3.key))
    assert code == 0, text
    victim = tmp_path / "a" / "slachtoffer.txt"  # lokaal/pagina/../../slachtoffer.txt
    victim.write_text("blijft staan", encoding="utf-8")
    foreign = ["proef/pagina/../../slachtoffer.txt", "proef/pagina/ab/../../../slachtoffer.txt", "proef/pagina/x"]
    for name in foreign:
        s3.client.put_object(Bucket=BUCKET, Key=name, Body=b"{}")
    code, _, text = build(decisions, out_a, REMOTE, env_a, "--cache-sleutel", str(s3.key))
    assert code == 0, text
    assert victim.read_text(encoding="utf-8") == "blijft staan"
    assert set(foreign) <= set(objects(s3.client))


def test_only_entry_names_are_entry_names():
    from publish.cachestore import is_entry_name

    assert is_entry_name("pagina/ab/ab12cd.json") and is_entry_name("published/0f/0f9e.pdf")
    for name in ("pagina/../../x", "pagina/ab/..", "pagina/ab/../x", "/etc/passwd", "pagina/ab", "pagina/ab/x/y", "a/b/.x", ""):
        assert not is_entry_name(name), name
