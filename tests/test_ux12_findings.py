"""Findings of a new-user test (round ux12), each asserted on the real output of the installed ``woo-publish``:

- a kenmerk shared with another package is reported together with the package's other errors, in the same run, and
  a copy with errors never blocks the approved package (``evaluate.Claims``: only publishable claimants count);
- an inventory that can be read in part has the problems of its readable rows reported in the same run; one that
  cannot be read at all says that the row checks follow once it is fixed;
- ``check PACKAGE`` says against which packages the checks across packages ran, or that they did not run;
- the build's summary counts withdrawn documents apart from withdrawn decisions, and the report lists them;
- every key the build report can hold is documented in docs/beheer.md.

One ``check`` run over one folder of packages serves the first tests here."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from publish.approval import Trust
from publish.cache import Cache
from publish.evaluate import evaluate
from publish.pdfs import PdfInspector

from support import DEMO_SIGNERS, PackageMaker, approve, run_cli

GOOD_ROWS = [
    ["1", "Verslag overleg", "2024-01-10", "openbaar", "", "documenten/1.pdf"],
    ["2", "E-mail over planning", "2024-01-12", "deels openbaar", "5.1.2.e", "documenten/2.pdf"],
]
# Row 3 (deels openbaar without a ground) and row 4 (a month 13) are wrong.
BAD_ROWS = [
    ["1", "Verslag overleg", "2024-01-10", "openbaar", "", "documenten/1.pdf"],
    ["2", "E-mail over planning", "2024-01-12", "deels openbaar", "", "documenten/2.pdf"],
    ["3", "Interne notitie", "2024-13-01", "niet openbaar", "5.2.1", ""],
]


def _messages(stdout: str) -> dict[str, list[str]]:
    """Per package its FOUT and WAARSCHUWING lines, each with the line of its fix."""
    found: dict[str, list[str]] = {}
    lines = stdout.splitlines()
    for i, line in enumerate(lines):
        for label in ("FOUT ", "WAARSCHUWING "):
            if line.startswith(label):
                name = line[len(label) :].split("/", 1)[0]
                found.setdefault(name, []).append(line + "\n" + (lines[i + 1] if i + 1 < len(lines) else ""))
    return found


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> tuple[subprocess.CompletedProcess, dict[str, list[str]]]:
    root = tmp_path_factory.mktemp("ux12")
    decisions = root / "decisions"
    make = PackageMaker(decisions)
    approve(make("goed", rows=GOOD_ROWS))
    make("kopie", rows=BAD_ROWS)  # the same kenmerk (2024-0001), and errors in its inventory
    # A line that breaks the CSV (a quote never closed, the rest too long for one cell): rows 2-4 above it are read.
    broken = make("afgebroken", rows=BAD_ROWS, meta={"kenmerk": "2024-0010"})
    inventory = broken / "inventaris.csv"
    inventory.write_text(inventory.read_text() + '4,"Kapot ' + "x" * 140_000 + "\n5,Nog een,2024-01-01,openbaar,,\n")
    # A column that refuses the list as a whole: every row is read all the same.
    column = make("kolom", rows=[r + [""] for r in BAD_ROWS], meta={"kenmerk": "2024-0011"},
                  header=["nr", "document", "datum", "beoordeling", "gronden", "bestand", "Weigeren"])  # fmt: skip
    assert column.is_dir()
    # No header row at all: nothing of the list can be read.
    make("onleesbaar", rows=BAD_ROWS, meta={"kenmerk": "2024-0012"}, header=["volgnummer", "x", "y", "z", "a", "b"])
    result = run_cli("check", str(decisions), "--cache", str(root / "cache"), "--vandaag", "2024-06-01")
    return result, _messages(result.stdout)


def test_a_duplicate_kenmerk_is_reported_with_the_other_errors_of_the_package(checked):
    result, messages = checked
    kopie = "\n".join(messages["kopie"])
    # Before: only the inventory's errors; the kenmerk came one run later, once they were fixed.
    assert (
        "FOUT kopie/besluit.md, veld 'kenmerk': het kenmerk '2024-0001' is al van pakket goed, dat goedgekeurd of "
        "gepubliceerd is; dit pakket kan dat kenmerk (of een kenmerk met hetzelfde webadres) niet krijgen. Pakket goed "
        "wordt gewoon gepubliceerd."
    ) in kopie
    assert "FOUT kopie/inventaris.csv, rij 3, kolom 'gronden'" in kopie
    assert "FOUT kopie/inventaris.csv, rij 4, kolom 'datum'" in kopie
    assert "BLIJFT WEG  kopie (2024-0001)" in result.stdout
    # The approved package is published, and hears of the copy (a warning, no error).
    assert "OK          goed (2024-0001): wordt gepubliceerd zoals het is." in result.stdout
    assert [m.split("\n")[0] for m in messages["goed"]] == [
        "WAARSCHUWING goed/besluit.md, veld 'kenmerk': pakket kopie gebruikt hetzelfde kenmerk '2024-0001' (of een "
        "kenmerk met hetzelfde webadres) maar heeft fouten; het wordt niet gepubliceerd. Wordt het ook goedgekeurd, dan "
        "worden beide geweigerd."
    ]
    assert result.returncode == 1


def test_an_approved_copy_with_errors_does_not_block_the_approved_package(tmp_path):
    """Claims keeps its meaning: a package with errors is not published as it is, whatever its approval says, so it
    never counts as a claimant (only the archive's published version would, see fate._fall_back)."""
    make = PackageMaker(tmp_path / "decisions")
    good = make("goed", rows=GOOD_ROWS)
    copy = make("kopie", rows=BAD_ROWS)
    approve(good)
    approve(copy)  # signed as it is (approve itself would refuse it): a valid approval of an invalid package
    inspector = PdfInspector(Cache(tmp_path / "cache"), workers=1)
    by = {r.name: r for r in evaluate([good, copy], inspector, trust=Trust(DEMO_SIGNERS))}
    assert not by["goed"].problems.has_errors, [p.message for p in by["goed"].problems]
    assert [p.code for p in by["goed"].problems] == ["kenmerk.dubbel_niet_goedgekeurd"]
    assert "kenmerk.dubbel" in {p.code for p in by["kopie"].problems if p.is_error}
    # Two packages with errors: both hear of the duplicate, with their other errors.
    other = make("derde", rows=BAD_ROWS)
    by = {r.name: r for r in evaluate([copy, other], inspector, trust=Trust(DEMO_SIGNERS))}
    for name, twin in (("kopie", "derde"), ("derde", "kopie")):
        (p,) = [p for p in by[name].problems if p.code == "kenmerk.dubbel"]
        assert p.message == f"het kenmerk '2024-0001' wordt ook gebruikt door pakket {twin}.", p.message
        assert "inventaris.datum" in {p.code for p in by[name].problems}


def test_the_readable_rows_of_a_broken_csv_are_checked_in_the_same_run(checked):
    _result, messages = checked
    found = "\n".join(messages["afgebroken"])
    assert "FOUT afgebroken/inventaris.csv, regel 5: de CSV kan vanaf deze regel niet gelezen worden" in found
    # The rows above the broken line: their problems in this run (before: only after the CSV was repaired).
    assert "FOUT afgebroken/inventaris.csv, rij 3, kolom 'gronden'" in found
    assert "FOUT afgebroken/inventaris.csv, rij 4, kolom 'datum': '2024-13-01' is geen geldige datum." in found
    assert (
        "WAARSCHUWING afgebroken/inventaris.csv, vanaf regel 5: de inventaris kon tot regel 5 gelezen worden: de 3 rijen "
        "daarboven zijn gecontroleerd (zie de meldingen hierboven). Niet gecontroleerd: de rijen vanaf regel 5"
    ) in found
    # No follow-up error about files of rows that were not read (documenten/ is not 'los').
    assert "bestand.los" not in found and "hoort niet bij" not in found


def test_the_rows_of_an_inventory_refused_for_a_column_are_checked_in_the_same_run(checked):
    _result, messages = checked
    found = "\n".join(messages["kolom"])
    assert "FOUT kolom/inventaris.csv, regel 1 (kopregel), kolom 'Weigeren'" in found
    assert "FOUT kolom/inventaris.csv, rij 3, kolom 'gronden'" in found
    assert "FOUT kolom/inventaris.csv, rij 4, kolom 'datum'" in found
    assert "de inventaris wordt geweigerd (zie de fout hierboven), maar de 3 rijen zijn wel gelezen en gecontroleerd" in found


def test_an_unreadable_inventory_says_the_row_checks_come_after_the_fix(checked):
    _result, messages = checked
    found = "\n".join(messages["onleesbaar"])
    assert "FOUT onleesbaar/inventaris.csv: de kopregel met de kolomnamen is niet gevonden" in found
    assert "rij 3" not in found  # nothing of the rows could be read
    assert "Meldingen over de rijen volgen dus pas als de inventaris gelezen kan worden." in found
    assert "Herstel eerst de inventaris (zie de fout hierboven) en voer daarna 'woo-publish check' opnieuw uit" in found


def test_check_of_one_package_says_what_it_was_compared_with(tmp_path):
    decisions = tmp_path / "decisions"
    make = PackageMaker(decisions)
    one = make("een")
    make("twee", meta={"kenmerk": "2024-0002"})
    make("drie", meta={"kenmerk": "2024-0003"})
    result = run_cli("check", str(one), "--cache", str(tmp_path / "cache"), "--vandaag", "2024-06-01")
    assert (
        "Over de pakketten heen (een dubbel kenmerk of webadres, een bestand van een ingetrokken besluit) is dit pakket "
        f"vergeleken met 2 pakketten in {decisions.resolve()}/."
    ) in result.stdout, result.stdout
    assert result.stdout.rstrip().endswith(
        "Het pakket wordt niet gepubliceerd zoals het is. Los de problemen hierboven op en controleer opnieuw."
    )
    # A package on its own (prepared outside the decisions folder): said, with how to run those checks.
    alone = PackageMaker(tmp_path / "elders")("mijn-pakket")
    result = run_cli("check", str(alone), "--cache", str(tmp_path / "cache"), "--vandaag", "2024-06-01")
    assert (
        "LET OP: de controles over de pakketten heen (een dubbel kenmerk of webadres, een bestand van een ingetrokken "
        f"besluit) zijn niet uitgevoerd: naast dit pakket staan in {Path(tmp_path / 'elders').resolve()}/ geen andere "
        "pakketten. Zet het pakket in de map met besluiten (decisions/) en voer daar 'woo-publish check' uit zonder "
        "pakket (of 'woo-publish build')"
    ) in result.stdout, result.stdout
    assert result.returncode == 1


# -- the filter 'Soort': Wob decisions are counted apart ------------------------------------------------------------


def _view(i: int, kind: str = "woo-besluit", law: str | None = "Woo"):
    import datetime as dt
    from types import SimpleNamespace

    from publish.grounds import GROUNDS
    from publish.pages import DecisionView
    from publish.slugs import slugify
    from publish.types import get

    day = dt.date(2024, 1, 1) + dt.timedelta(days=i)
    kenmerk = f"{day.year}-{i:04d}"
    d = SimpleNamespace(
        type=kind,
        kind=get(kind),
        name=kenmerk,
        kenmerk=kenmerk,
        slug=slugify(kenmerk),
        title=f"Publicatie {i}",
        organisation="Testorganisatie",
        law=law,
        outcome="openbaar" if kind == "woo-besluit" else None,
        decision_date=day,
        publication_date=day,
        year=day.year,
        subjects=[],
        case_numbers=[],
        summary_markdown="Samenvatting.",
        grounds=[GROUNDS[("Woo", "5.1.2.e")]] if kind == "woo-besluit" else [],
    )
    return DecisionView(d, [], [])


def _facet(html: str, title: str) -> list[str]:
    """The values of one facet of a listing page as a visitor reads them: 'label (count)'."""
    import html as htmllib
    import re

    match = re.search(rf"<h3>{re.escape(title)}</h3>(.*?)</ul>", html, re.S) or re.search(
        rf"<h2>{re.escape(title)}</h2>(.*?)</ul>", html, re.S
    )
    assert match, (title, html)
    text = re.sub(r"<[^>]+>", " ", match.group(1))
    return [" ".join(htmllib.unescape(line).split()) for line in text.split("\n") if line.strip()]


def test_the_filter_soort_counts_wob_decisions_apart_from_woo_decisions():
    from publish import pages

    bodies: dict[str, str] = {}
    views = [_view(1), _view(2, law="Wob"), _view(3, "kamerstuk", law=None)]
    generator = pages.Generator(pages.SiteText("Woo", "Testorganisatie"), views, sink=lambda p: bodies.update({p.url: p.body}))
    generator._listings()
    listing = bodies["besluiten/"]
    soort = " ".join(_facet(listing, "Soort"))
    # Before: 'Woo-besluiten (2)', counting the decision under the Wob.
    assert "Woo-besluiten (1)" in soort and "Wob-besluiten (1)" in soort and "Kamerbrieven (1)" in soort, soort
    assert "Woo-besluiten (2)" not in soort
    assert "besluiten/soort/wob-besluiten/" in bodies and "besluiten/soort/woo-besluiten/" in bodies
    assert "Publicatie 2" in bodies["besluiten/soort/wob-besluiten/"]
    assert "Publicatie 2" not in bodies["besluiten/soort/woo-besluiten/"]
    # The outcome counts both: its title says so, and so do the titles of its pages.
    assert "Uitkomst (Woo- en Wob-besluiten)" in listing
    assert "Woo- en Wob-besluiten met uitkomst: Openbaar" in bodies["besluiten/uitkomst/openbaar/"]
    # Without a Wob decision the outcome stays 'Woo-besluiten'.
    bodies.clear()
    views = [_view(1), _view(3, "kamerstuk", law=None)]
    pages.Generator(pages.SiteText("Woo", "Testorganisatie"), views, sink=lambda p: bodies.update({p.url: p.body}))._listings()
    assert "Uitkomst (Woo-besluiten)" in bodies["besluiten/"] and "Wob" not in bodies["besluiten/"]


# -- every key of the build report is documented -------------------------------------------------------------------

REPORT_LISTS = {"published", "refused", "embargoed", "withdrawn", "withdrawn_documents", "kept", "offline", "warnings"}
REPORT_MAPS = {"counters": "tellers", "site": "site", "timings": "timings"}


def _dict_keys(node) -> set[str]:
    import ast

    return {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}


def _is_report(node, names) -> bool:
    import ast

    return (
        isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "report" and node.attr in names
    )


def _report_keys_in_code() -> set[str]:
    """Every key the build report can hold, read from the code that fills it (publish/build.py, and fate.vanished for
    warnings), in the notation of docs/beheer.md: the keys of ``BuildReport.to_json``; of each dict put in one of its
    lists (``report.published.append({...})``, or a dict named first and appended, with its ``item["k"] = ...``); the
    names written into its maps (``report.counters[...]``, ``counters.update(k=...)``, ``report.site`` and the
    ``stats`` it is handed, ``report.timings`` and ``_lap``'s phases); and the fields of a problem."""
    import ast
    import dataclasses

    from publish.problems import Problem

    from support import ROOT

    keys = {f"problems[].{f.name}" for f in dataclasses.fields(Problem)}
    tree = ast.parse((ROOT / "publish/build.py").read_text(encoding="utf-8"))
    report_class = next(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == "BuildReport")
    to_json = next(n for n in report_class.body if isinstance(n, ast.FunctionDef) and n.name == "to_json")
    keys |= _dict_keys(next(n for n in ast.walk(to_json) if isinstance(n, ast.Dict)))
    for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        named = {
            t.id: n.value
            for n in ast.walk(fn)
            if isinstance(n, ast.Assign) and isinstance(n.value, ast.Dict)
            for t in n.targets
            if isinstance(t, ast.Name)
        }
        stored = [n for n in ast.walk(fn) if isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Store)]
        for node in ast.walk(fn):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "append" and _is_report(func.value, REPORT_LISTS):
                arg, found = node.args[0], set()
                if isinstance(arg, ast.Dict):
                    found = _dict_keys(arg)
                elif isinstance(arg, ast.Name) and arg.id in named:
                    found = _dict_keys(named[arg.id]) | {
                        s.slice.value
                        for s in stored
                        if isinstance(s.value, ast.Name) and s.value.id == arg.id and isinstance(s.slice, ast.Constant)
                    }
                keys |= {f"{func.value.attr}[].{k}" for k in found}
            elif isinstance(func, ast.Attribute) and func.attr == "update" and _is_report(func.value, REPORT_MAPS):
                keys |= {f"{REPORT_MAPS[func.value.attr]}.{k.arg}" for k in node.keywords}
            elif isinstance(func, ast.Name) and func.id == "_lap":
                keys.add(f"timings.{node.args[1].value}")
            elif isinstance(func, ast.Name) and func.id == "count" and fn.name == "_downloads":
                keys.add(f"site.{node.args[0].value}")  # _downloads counts into the report's ``site`` it is handed
        for s in stored:
            if not isinstance(s.slice, ast.Constant):
                continue
            if _is_report(s.value, REPORT_MAPS):
                keys.add(f"{REPORT_MAPS[s.value.attr]}.{s.slice.value}")
            elif isinstance(s.value, ast.Name) and s.value.id == "stats":  # report.site, handed to the site's steps
                keys.add(f"site.{s.slice.value}")
    fate = ast.parse((ROOT / "publish/fate.py").read_text(encoding="utf-8"))
    vanished = next(n for n in ast.walk(fate) if isinstance(n, ast.FunctionDef) and n.name == "vanished")
    appended = [
        n.args[0]
        for n in ast.walk(vanished)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "append" and n.args
    ]
    keys |= {f"warnings[].{k}" for n in appended if isinstance(n, ast.Dict) for k in _dict_keys(n)}
    return keys


def test_every_key_of_the_build_report_is_documented():
    from publish.build import BuildReport

    from support import documented_report_keys

    code, documented = _report_keys_in_code(), documented_report_keys()
    # The extraction finds what it should (a sample of every kind of place a key is written).
    assert {"status", "published[].inventory_rows", "refused[].online", "withdrawn_documents[].document"} <= code
    assert {"tellers.pakketten_gevalideerd", "site.downloads_gemaakt", "site.paginas_gerenderd", "timings.totaal"} <= code
    assert {"timings.zoekindex", "problems[].fix", "warnings[].severity"} <= code
    assert set(BuildReport().to_json()) <= code
    assert sorted(code - documented) == [], "keys of the report missing in docs/beheer.md ('Het rapport van de build')"
    assert sorted(documented - code) == [], "keys documented in docs/beheer.md that the report never holds"
