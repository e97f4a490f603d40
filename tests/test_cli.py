"""The commands as staff use them: Dutch messages, all problems at once, exit statuses of the spec."""

from __future__ import annotations

import json

import pytest

from support import DEMO_KEY, ROWS, approve


def test_check_exits_zero_only_when_every_package_is_published_as_it_is(cli, make_package, decisions):
    pkg = make_package()
    result = cli("check", str(decisions))
    assert result.returncode == 1, result.stdout
    assert "BLIJFT WEG  pakket (2024-0001): wordt niet gepubliceerd: niet goedgekeurd." in result.stdout
    approve(pkg)
    result = cli("check", str(decisions))
    assert result.returncode == 0, result.stdout
    assert "OK          pakket (2024-0001): wordt gepubliceerd zoals het is." in result.stdout
    assert "Het pakket wordt gepubliceerd zoals het is." in result.stdout


def test_check_prints_every_problem_with_file_location_and_fix(cli, make_package, decisions):
    make_package("goed", meta={"kenmerk": "A-1"})
    rows = [ROWS[0], ["2", "E-mail", "", "deels openbaar", "10.2.e", "documenten/2.pdf"], ["3", "X", "", "nee", "", ""]]
    make_package("fout", meta={"kenmerk": "A-2"}, rows=rows, extra_meta={"titell": "typo"})
    result = cli("check", str(decisions))
    assert result.returncode == 1
    out = result.stdout
    assert "BLIJFT WEG  fout (A-2): wordt niet gepubliceerd: 4 problemen." in out  # three, and its missing approval
    assert "FOUT fout/besluit.md, veld 'titell': dit veld is onbekend." in out
    assert "Bedoelde u 'titel'?" in out
    assert (
        "FOUT fout/inventaris.csv, rij 3, kolom 'gronden': '10.2.e' is geen weigeringsgrond van de Woo (wel van de Wob)." in out
    )
    assert "FOUT fout/inventaris.csv, rij 4, kolom 'beoordeling': 'nee' is geen geldige beoordeling." in out
    assert "FOUT fout/goedkeuring.json: het pakket is niet goedgekeurd: er is geen goedkeuring." in out  # in the same run
    assert out.count("Oplossing:") == 5  # the three above and each package's missing approval
    assert "BLIJFT WEG  goed (A-1): wordt niet gepubliceerd: niet goedgekeurd." in out
    assert "2 van de 2 pakketten worden niet gepubliceerd zoals ze zijn." in out


def test_check_usage_error_exits_two(cli, tmp_path):
    result = cli("check", str(tmp_path / "bestaat-niet"))
    assert result.returncode == 2
    assert "bestaat niet" in result.stderr


def test_build_usage_error_exits_two(cli, tmp_path):
    assert cli("build", "--vandaag", "gisteren").returncode == 2
    assert cli("build", "--decisions", str(tmp_path / "nee")).returncode == 2


@pytest.mark.slow
def test_approve_records_hashes_and_refuses_invalid_package(cli, make_package, decisions):
    pkg = make_package()
    result = cli("approve", str(pkg), "--sleutel", str(DEMO_KEY))
    assert result.returncode == 0, result.stdout
    record = json.loads((pkg / "goedkeuring.json").read_text())
    assert [s["door"] for s in record["handtekeningen"]] == ["demo-ondertekenaar@voorbeeld.invalid"]
    assert "BEGIN SSH SIGNATURE" in record["handtekeningen"][0]["handtekening"]
    assert set(record["bestanden"]) == {"besluit.md", "besluit.pdf", "inventaris.csv", "documenten/1.pdf", "documenten/2.pdf"}
    assert "OK          pakket (2024-0001): wordt gepubliceerd zoals het is." in cli("check", str(decisions)).stdout

    (pkg / "documenten/2.pdf").unlink()
    (pkg / "goedkeuring.json").unlink()
    result = cli("approve", str(pkg), "--sleutel", str(DEMO_KEY))
    assert result.returncode == 1
    assert "Niet goedgekeurd" in result.stdout and "documenten/2.pdf" in result.stdout
    assert not (pkg / "goedkeuring.json").exists()


def test_check_reports_change_after_approval(cli, make_package, decisions):
    pkg = make_package()
    assert cli("approve", str(pkg), "--sleutel", str(DEMO_KEY)).returncode == 0
    (pkg / "besluit.md").write_text((pkg / "besluit.md").read_text() + "\nExtra zin.\n")
    result = cli("check", str(decisions))
    assert result.returncode == 1
    assert "BLIJFT WEG  pakket (2024-0001): wordt niet gepubliceerd: gewijzigd sinds de goedkeuring: besluit.md." in result.stdout
    assert "besluit.md: dit bestand is na de goedkeuring gewijzigd." in result.stdout


def test_approve_with_an_unapproved_sibling_of_the_same_kenmerk_warns(cli, make_package):
    """Attack round 10, B09: an unapproved package cannot block another; approving says it will be refused, and
    approving it too refuses both."""
    a = make_package("a")
    b = make_package("b")
    result = cli("approve", str(b), "--sleutel", str(DEMO_KEY))
    assert result.returncode == 0, result.stdout
    assert "pakket a gebruikt hetzelfde kenmerk '2024-0001'" in result.stdout and "niet goedgekeurd" in result.stdout
    result = cli("approve", str(a), "--sleutel", str(DEMO_KEY))
    assert result.returncode == 1 and "ook gebruikt door pakket b" in result.stdout


@pytest.mark.slow
def test_progress_bar_and_every_line_on_a_terminal(make_package, decisions, tmp_path):
    """Staff running a build by hand see a progress bar and each published decision."""
    import os
    import pty
    import subprocess
    import sys
    from pathlib import Path

    from support import ROOT

    approve(make_package())
    exe = Path(sys.executable).parent / "woo-publish"
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [
            str(exe),
            "build",
            "--decisions",
            str(decisions),
            "--out",
            str(tmp_path / "site"),
            "--cache",
            str(tmp_path / "c"),
            "--config",
            str(ROOT / "mkdocs.yml"),
        ],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 4096)
        except OSError:  # the terminal closes when the command ends
            break
        if not data:
            break
        chunks.append(data)
    assert process.wait(timeout=300) == 0
    os.close(primary)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "Pdf's controleren" in shown and "3/3" in shown
    assert "GEPUBLICEERD pakket (2024-0001)" in shown


def test_a_reader_that_stops_reading_gets_no_error_message(make_package, decisions, tmp_path):
    """`woo-publish check | head`: when the reader of the output stops, staff see no alarming 'MISLUKT' line."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from support import ROOT

    make_package()
    exe = Path(sys.executable).parent / "woo-publish"
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first line: every write fails with EPIPE
    try:
        result = subprocess.run(
            [str(exe), "check", str(decisions), "--config", str(ROOT / "mkdocs.yml")],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert "MISLUKT" not in result.stderr
    assert "fout 32" not in result.stderr
    assert "Traceback" not in result.stderr
    assert result.returncode == 2
