"""Leftovers of a new-user test (round ux10), each asserted on the real message of the installed ``woo-publish check``:
line numbers in the summary are lines of besluit.md, a missing approval is listed with the other problems, and a
repeated document number gives no follow-up error about a file. One ``check`` run over one folder of packages
serves every test here (``build`` printing the fix under a warning: tests/test_build.py, the scanned PDF)."""

from __future__ import annotations

import subprocess

import pytest

from support import PackageMaker, run_cli, write_pdf

# Line 1 of the summary is line 12 of besluit.md (the maker writes '---', nine fields and '---' above it).
SUMMARY = "Eerste regel.\n\nBel 06-12345678 voor vragen.\n\nTeken &#49; hier.\nOok 06-2345**6789** verborgen."


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> tuple[subprocess.CompletedProcess, dict[str, list[str]]]:
    """``woo-publish check`` over three unapproved packages; the output, and each package's FOUT lines with fixes."""
    root = tmp_path_factory.mktemp("ux10")
    decisions = root / "decisions"
    make = PackageMaker(decisions)
    make("samenvatting", body=SUMMARY)
    # A refused package (no title): the summary is still checked, and named by its line in the file.
    # Each its own kenmerk: a kenmerk shared with another package is one more problem (new-user round 12).
    make("zonder-titel", body="Samenvatting.\nBel 06-87654321 voor vragen.", drop=("titel",), meta={"kenmerk": "2024-0002"})
    header = ["nr", "document", "datum", "beoordeling", "gronden"]  # no 'bestand' column: files go by their number
    rows = [["1", "Verslag", "2024-01-10", "openbaar", ""], ["1", "Tweede verslag", "2024-01-11", "openbaar", ""]]
    package = make("dubbel-nummer", header=header, rows=rows, meta={"besluit": "openbaar", "kenmerk": "2024-0003"})
    write_pdf(package / "1.pdf", ["# Verslag", "Verslag van het overleg over de planning."])
    result = run_cli("check", str(decisions), "--cache", str(root / "cache"), "--vandaag", "2024-06-01")
    problems: dict[str, list[str]] = {}
    lines = result.stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("FOUT "):
            name = line[5:].split("/", 1)[0].split(",", 1)[0]
            fix = lines[i + 1] if i + 1 < len(lines) else ""
            problems.setdefault(name, []).append(line + "\n" + fix)
    return result, problems


def test_summary_lines_are_named_by_their_line_in_besluit_md(checked):
    result, problems = checked
    found = "\n".join(problems["samenvatting"])
    assert "FOUT samenvatting/besluit.md, samenvatting, regel 14: de tekst bevat een telefoonnummer: 06-*******8." in found
    assert "FOUT samenvatting/besluit.md, samenvatting, regel 16: de samenvatting schrijft tekens als code" in found
    # Hidden by markup (the rendered form): still the line of the file.
    assert (
        "FOUT samenvatting/besluit.md, samenvatting, regel 17: de tekst bevat een telefoonnummer: 06-*******9. In besluit.md"
        in found
    )
    # A package refused for another problem: its summary is checked in the same run, with the same numbering.
    assert "FOUT zonder-titel/besluit.md, samenvatting, regel 12: de tekst bevat een telefoonnummer: 06-*******1." in "\n".join(
        problems["zonder-titel"]
    )
    assert result.returncode != 0


def test_a_missing_approval_is_listed_with_the_other_problems(checked):
    result, problems = checked
    for name in ("samenvatting", "zonder-titel", "dubbel-nummer"):
        approval = [p for p in problems[name] if p.startswith(f"FOUT {name}/goedkeuring.json: ")]
        assert approval == [
            f"FOUT {name}/goedkeuring.json: het pakket is niet goedgekeurd: er is geen goedkeuring.\n"
            "    Oplossing: Los eerst de andere fouten van dit pakket op en laat het pakket daarna goedkeuren met: "
            f"woo-publish approve {result.args[2]}/{name}."
        ], problems[name]
        assert len(problems[name]) > 1  # together with the package's other errors, in the same run
    assert "BLIJFT WEG  zonder-titel (2024-0002): wordt niet gepubliceerd: 3 problemen." in result.stdout


def test_a_repeated_number_gives_no_follow_up_error_about_the_file(checked):
    _result, problems = checked
    assert (
        "FOUT dubbel-nummer/inventaris.csv, rij 3, kolom 'nr': nummer '1' staat ook in rij 2.\n"
        "    Oplossing: Elk document heeft een eigen nummer; nummer de rijen opnieuw."
    ) in problems["dubbel-nummer"]
    # Before: "rij 3, kolom 'bestand': '1.pdf' wordt al gebruikt als document 1 (rij 2)", about a column the
    # inventory does not have; the first row keeps its file, the repeat is the one error.
    inventory = [p for p in problems["dubbel-nummer"] if p.startswith("FOUT dubbel-nummer/inventaris.csv")]
    assert len(inventory) == 1, inventory
    assert not any("bestand" in p.split("\n")[0] for p in problems["dubbel-nummer"])
