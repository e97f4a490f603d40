"""End to end: real packages, the real command, assertions on the built HTML and exit statuses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from support import ROOT, all_text, approve, build_args

pytestmark = pytest.mark.slow  # every test here builds a whole site


def build(cli, decisions: Path, out: Path, *extra: str):
    return cli(*build_args(decisions, out, "--uitgebreid", *extra))


@pytest.fixture
def mixed(make_package, decisions):
    """One package of each fate: published, unapproved, embargoed, changed after approval."""
    ok = make_package("gepubliceerd", meta={"titel": "Gepubliceerd besluit over parkeren"})
    approve(ok)
    make_package("ongekeurd", meta={"kenmerk": "2024-0002", "titel": "Ongekeurd besluit ZWAARGEHEIM"})
    emb = make_package(
        "embargo", meta={"kenmerk": "2024-0003", "titel": "Toekomstig besluit EMBARGOTITEL", "publicatie_datum": "2024-07-01"}
    )
    approve(emb)
    changed = make_package("gewijzigd", meta={"kenmerk": "2024-0004", "titel": "Gewijzigd besluit NAGEKEURD"})
    approve(changed)
    (changed / "documenten/1.pdf").write_bytes((changed / "documenten/2.pdf").read_bytes())
    return decisions


def test_build_publishes_only_approved_due_packages(cli, mixed, tmp_path):
    out = tmp_path / "site"
    result = build(cli, mixed, out, "--report", str(tmp_path / "rapport.json"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "GEPUBLICEERD gepubliceerd (2024-0001)" in result.stdout
    assert "GEWEIGERD    ongekeurd" in result.stdout and "niet goedgekeurd" in result.stdout
    assert "gewijzigd/documenten/1.pdf: dit bestand is na de goedkeuring gewijzigd." in result.stdout
    assert "EMBARGO      embargo (2024-0003): verschijnt vanaf 2024-07-01" in result.stdout

    page = (out / "besluit/2024-0001/index.html").read_text()
    assert "Gepubliceerd besluit over parkeren" in page
    assert "3 documenten, waarvan 2 (deels) openbaar" in page
    assert re.search(r"<caption>Inventarislijst bij besluit 2024-0001</caption>", page)
    assert '<th scope="col">Weigeringsgronden</th>' in page
    assert '5.1.2.e</a> <span class="woo-muted">De eerbiediging van de persoonlijke levenssfeer' in page
    # The withheld row is listed, without any file.
    row3 = page[page.index('id="document-3"') :]
    row3 = row3[: row3.index("</tr>")]
    assert "Interne notitie" in row3 and "Niet openbaar gemaakt" in row3 and ".pdf" not in row3
    assert sorted(p.name for p in (out / "besluit/2024-0001").iterdir()) == [
        "besluitbrief.pdf",
        "document",
        "document-1.pdf",
        "document-2.pdf",
        "documenten.zip",
        "index.html",
        "inventaris.csv",
        "inventaris.json",
        "inventaris.xlsx",
    ]
    assert (out / "index.html").is_file() and (out / "sitemap.xml").is_file() and (out / "robots.txt").is_file()

    everything = all_text(out)
    for absent in ("ZWAARGEHEIM", "EMBARGOTITEL", "NAGEKEURD", "2024-0002", "2024-0003", "2024-0004", "Jan Ambtenaar"):
        assert absent not in everything, absent
    assert not (out / "besluit/2024-0002").exists() and not (out / "besluit/2024-0003").exists()

    import json

    report = json.loads((tmp_path / "rapport.json").read_text())
    assert report["exit_code"] == 1 and [p["package"] for p in report["published"]] == ["gepubliceerd"]
    assert {r["package"] for r in report["refused"]} == {"ongekeurd", "gewijzigd"}
    assert report["embargoed"][0]["publicatie_datum"] == "2024-07-01"


def test_output_for_a_scheduler_is_short_unless_something_needs_a_person(cli, mixed, tmp_path):
    """Not on a terminal (cron, systemd): no line per published decision and no progress bar, but
    every refusal with its fix and the summary line."""
    out = tmp_path / "site"
    result = cli(
        "build",
        "--decisions",
        str(mixed),
        "--out",
        str(out),
        "--cache",
        str(tmp_path / "c"),
        "--config",
        str(ROOT / "mkdocs.yml"),
        "--vandaag",
        "2024-06-01",
    )
    assert result.returncode == 1
    assert "GEPUBLICEERD" not in result.stdout and "EMBARGO " not in result.stdout
    assert "GEWEIGERD    ongekeurd" in result.stdout and "Oplossing:" in result.stdout
    assert re.search(
        r"Site geschreven naar .*: 1 publicatie gepubliceerd, 2 geweigerd, 1 onder embargo, "
        r"0 ingetrokken; \d+ pdf's gecontroleerd \(\d+ uit de cache, \d+ opnieuw gelezen\) in \d+(,\d)? s\.",
        result.stdout,
    )
    assert "Pdf's controleren" not in result.stdout + result.stderr


def test_embargo_lifts_on_its_date(cli, mixed, tmp_path):
    out = tmp_path / "site"
    result = cli(
        "build",
        "--decisions",
        str(mixed),
        "--out",
        str(out),
        "--cache",
        str(tmp_path / "c"),
        "--config",
        str(ROOT / "mkdocs.yml"),
        "--vandaag",
        "2024-07-01",
        "--uitgebreid",
    )
    assert "GEPUBLICEERD embargo (2024-0003)" in result.stdout
    assert "EMBARGOTITEL" in (out / "besluit/2024-0003/index.html").read_text()


def test_strict_writes_nothing_and_keeps_the_old_site(cli, mixed, tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("oude site")
    result = build(cli, mixed, out, "--strict")
    assert result.returncode == 1
    assert "Niets geschreven (--strict)" in result.stdout
    assert [p.name for p in out.iterdir()] == ["index.html"] and (out / "index.html").read_text() == "oude site"


def test_all_published_exits_zero_and_replaces_the_old_site(cli, make_package, decisions, tmp_path):
    approve(make_package())
    out = tmp_path / "site"
    out.mkdir()
    (out / "verouderd.html").write_text("weg ermee")
    result = build(cli, decisions, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (out / "verouderd.html").exists()
    assert not list(tmp_path.glob(".woo-build-*"))


def test_failed_build_leaves_old_site_untouched(cli, make_package, decisions, tmp_path):
    approve(make_package())
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("oude site")
    bad_config = tmp_path / "mkdocs.yml"
    bad_config.write_text((ROOT / "mkdocs.yml").read_text().replace("name: material", "name: bestaat-niet"))
    result = cli(
        "build",
        "--decisions",
        str(decisions),
        "--out",
        str(out),
        "--config",
        str(bad_config),
        "--cache",
        str(tmp_path / "c"),
        "--vandaag",
        "2024-06-01",
    )
    assert result.returncode == 2
    assert "MISLUKT" in result.stderr
    assert (out / "index.html").read_text() == "oude site" and len(list(out.iterdir())) == 1
    assert not list(tmp_path.glob(".woo-build-*"))


def test_identical_input_gives_identical_output(cli, make_package, decisions, tmp_path):
    approve(make_package())
    approve(
        make_package(
            "tweede", meta={"kenmerk": "2023-9", "wet": "Woo", "besluit_datum": "2023-01-02", "publicatie_datum": "2023-01-03"}
        )
    )
    a, b = tmp_path / "a" / "site", tmp_path / "b" / "site"
    assert build(cli, decisions, a).returncode == 0
    assert build(cli, decisions, b).returncode == 0
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_untrusted_metadata_is_escaped(cli, make_package, decisions, tmp_path):
    rows = [["1", "<script>alert('rij')</script>", "", "openbaar", "", "documenten/1.pdf"]]
    pkg = make_package(
        meta={
            "titel": "<script>alert('titel')</script> & <b>vet</b>",
            "besluit": "openbaar",
            "organisatie": "<img src=x onerror=alert(1)>",
        },
        rows=rows,
        body="Tekst <script>alert('samenvatting')</script> [klik](javascript:alert(1))\n\n<iframe src=https://evil.example></iframe>",
    )
    approve(pkg)
    out = tmp_path / "site"
    assert build(cli, decisions, out).returncode == 0
    for page in out.rglob("*.html"):
        html = page.read_text()
        assert "<script>alert" not in html, page
        assert "<img src=x" not in html and "<iframe" not in html and "javascript:alert" not in html
    page = (out / "besluit/2024-0001/index.html").read_text()
    assert "&lt;script&gt;alert(&#39;titel&#39;)&lt;/script&gt; &amp; &lt;b&gt;vet&lt;/b&gt;" in page
    assert "&lt;script&gt;alert(&#39;rij&#39;)&lt;/script&gt;" in page
    assert "Tekst &lt;script&gt;alert('samenvatting')&lt;/script&gt; <span>klik</span>" in page
    assert "<title>&lt;script&gt;alert(&#39;titel&#39;)&lt;/script&gt; &amp; &lt;b&gt;vet&lt;/b&gt; - " in page


def test_published_pdfs_carry_no_author_metadata(cli, make_package, decisions, tmp_path):
    from pypdf import PdfWriter

    pkg = make_package()
    writer = PdfWriter(clone_from=PdfReader(pkg / "documenten/1.pdf"))
    writer.add_metadata({"/Author": "Jan Ambtenaar", "/Creator": "Word"})
    writer.write(pkg / "documenten/1.pdf")
    approve(pkg)
    out = tmp_path / "site"
    assert build(cli, decisions, out).returncode == 0
    published = out / "besluit/2024-0001/document-1.pdf"
    assert PdfReader(published).metadata is None
    assert b"Jan Ambtenaar" not in published.read_bytes()
    assert (pkg / "documenten/1.pdf").read_bytes().count(b"Jan Ambtenaar") == 1  # original untouched


def test_no_request_to_third_party_hosts(cli, make_package, decisions, tmp_path):
    approve(make_package())
    out = tmp_path / "site"
    assert build(cli, decisions, out).returncode == 0
    for page in out.rglob("*.html"):
        html = page.read_text()
        for url in re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', html):
            own = url.startswith("https://woo.example.nl/")  # the site's own base URL (canonical link)
            assert own or not re.match(r"(https?:)?//", url), (page, url)
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_page_size_stays_flat_as_the_site_grows(cli, make_package, decisions, tmp_path):
    for n in range(1, 41):
        pkg = make_package(
            f"p{n:02d}", meta={"kenmerk": f"2024-{n:04d}"}, rows=[["1", "Document", "", "openbaar", "", "documenten/1.pdf"]]
        )
        text = (pkg / "besluit.md").read_text().replace("besluit: deels openbaar", "besluit: openbaar")
        (pkg / "besluit.md").write_text(text)
        approve(pkg)
    out = tmp_path / "site"
    result = build(cli, decisions, out)
    assert result.returncode == 0, result.stdout
    page = (out / "besluit/2024-0001/index.html").read_text()
    # The decision page links to no other decision: navigation does not list them.
    assert not re.search(r'href="[^"]*besluit/2024-00(0[2-9]|[1-4]\d)/', page)
    listing = (out / "besluiten/index.html").read_text()
    assert "Pagina 1 van 1" not in listing and listing.count('href="../besluit/') == 40
    sizes = [len((out / f"besluit/2024-{n:04d}/index.html").read_bytes()) for n in (1, 40)]
    assert max(sizes) - min(sizes) < 200


def test_listing_shows_up_to_99_decisions_and_is_browsable_by_facets(cli, make_package, decisions, tmp_path):
    for n in range(1, 56):
        year = 2023 if n % 2 else 2024
        pkg = make_package(
            f"p{n:02d}",
            meta={
                "kenmerk": f"K-{n:03d}",
                "besluit_datum": f"{year}-05-01",
                "publicatie_datum": f"{year}-05-02",
                "organisatie": "Gemeente A" if n % 3 else "Gemeente B",
            },
            extra_meta={"onderwerpen": ["parkeren"]},
        )
        approve(pkg)
    out = tmp_path / "site"
    assert build(cli, decisions, out).returncode == 0
    first = (out / "besluiten/index.html").read_text()
    # Issue 19, stable listing pages: up to 99 decisions (two pages of 50 less one) the listing shows them all,
    # with their total; older pages come from the 100th (tests/test_facets.py).
    assert "<p>55 besluiten in deze lijst.</p>" in first and first.count('href="../besluit/') == 55
    assert 'class="woo-pager"' not in first and not (out / "besluiten/pagina").exists()
    assert 'href="jaar/2023/"' in first and 'href="organisatie/gemeente-b/"' in first
    assert 'href="uitkomst/deels-openbaar/"' in first and 'href="onderwerp/parkeren/"' in first
    year = (out / "besluiten/jaar/2024/index.html").read_text()
    assert year.count('href="../../../besluit/') == 27
    ground = (out / "gronden/woo-5-1-2-e/index.html").read_text()
    assert "De eerbiediging van de persoonlijke levenssfeer" in ground and "artikel 5.1, tweede lid, onder e, Woo" in ground
    assert ground.count('href="../../besluit/') == 55


def test_site_is_dutch(cli, make_package, decisions, tmp_path):
    approve(make_package())
    out = tmp_path / "site"
    assert build(cli, decisions, out).returncode == 0
    for page in out.rglob("*.html"):
        assert '<html lang="nl"' in page.read_text(), page


def test_demo_packages_are_valid_approved_and_reproducible(cli, tmp_path):
    """The README's demo: the committed packages build cleanly and match their generator."""
    import subprocess
    import sys

    regenerated = tmp_path / "regen"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts/make_examples.py"), "--out", str(regenerated)], check=True, capture_output=True
    )
    for path in sorted(regenerated.rglob("*")):
        if path.is_file():
            committed = ROOT / "decisions" / path.relative_to(regenerated)
            assert committed.read_bytes() == path.read_bytes(), committed
    out = tmp_path / "site"
    result = cli(
        "build",
        "--decisions",
        str(ROOT / "decisions"),
        "--out",
        str(out),
        "--cache",
        str(tmp_path / "c"),
        "--config",
        str(ROOT / "mkdocs.yml"),
        "--archief",
        str(tmp_path / "archief"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    bzk = (out / "besluit/2018-0000791076/index.html").read_text()
    assert "17 documenten, waarvan 13 (deels) openbaar" in bzk
    assert 'href="https://www.rijksoverheid.nl/onderwerpen/informatiehuishouding-rijksoverheid"' in bzk
    assert "11.1</a>" in bzk and "Persoonlijke beleidsopvattingen" in bzk
    assert "Voorbeeld Goedkeurder" not in all_text(out)


def test_leaking_pdf_refuses_the_package_and_never_reaches_the_site(cli, make_package, decisions, tmp_path):
    leak = ["# Document 2", "Gesprek met [[5.1.2.e]] over de planning."]
    pkg = make_package(pdf_text={"documenten/2.pdf": leak})
    # Re-draw document 2 the wrong way: the name is written first and a box painted over it.
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(pkg / "documenten/2.pdf"), invariant=1)
    c.drawString(100, 700, "Gesprek met Karel Geheimhouder over de planning.")
    c.rect(160, 695, 120, 16, stroke=0, fill=1)
    c.save()
    approve(pkg)
    out = tmp_path / "site"
    result = build(cli, decisions, out, "--report", str(tmp_path / "r.json"))
    assert result.returncode == 1
    assert re.search(
        r"pakket/documenten/2\.pdf, pagina 1, positie \(1[67]\d, 70\d\): er staat leesbare tekst onder een zwart", result.stdout
    )
    assert "Geheimhouder" not in result.stdout and re.search(r"K\*{4} G\*{5,}", result.stdout)
    assert not (out / "besluit").exists() or not any((out / "besluit").iterdir())
    assert "Geheimhouder" not in all_text(out)


def test_scanned_pdf_without_text_is_published_with_a_note(cli, make_package, decisions, tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pkg = make_package()
    c = canvas.Canvas(str(pkg / "documenten/1.pdf"), invariant=1)
    c.drawImage(ImageReader(Image.new("RGB", (200, 100), (240, 240, 240))), 50, 500, 400, 200)
    c.save()
    approve(pkg)
    out = tmp_path / "site"
    result = build(cli, decisions, out)
    assert result.returncode == 0
    assert "WAARSCHUWING pakket/documenten/1.pdf: de pdf heeft geen tekstlaag" in result.stdout
    # With its fix on the next line, as `check` prints it (ux10).
    lines = result.stdout.splitlines()
    warning = next(i for i, line in enumerate(lines) if line.startswith("WAARSCHUWING pakket/documenten/1.pdf"))
    assert lines[warning + 1] == "    Oplossing: Lever bij voorkeur een pdf met tekst aan (bijvoorbeeld na tekstherkenning, OCR)."
    page = (out / "besluit/2024-0001/index.html").read_text()
    assert (
        "Van deze documenten is geen tekst te doorzoeken" in page
        and "Verslag overleg" in page.split("geen tekst te doorzoeken")[1][:300]
    )
