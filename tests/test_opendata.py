"""Woo-index sitemaps, the Atom feed and open data, read back the way a harvester, a feed reader
or a journalist's spreadsheet reads them."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from publish import types
from publish.diwoo import INDEX_NAME, validate

from support import DEMO_KEY, ROOT, PackageMaker, approve, diwoo_parts, read_open_data, read_type_data, run_cli

pytestmark = pytest.mark.slow  # every test here builds a whole site

BASE = "https://woo.example.nl/"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DW = "{https://standaarden.overheid.nl/diwoo/metadata/}"
ATOM = "{http://www.w3.org/2005/Atom}"
PUBLISHED = {"2024-0001", "2024-0002"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Two published decisions (one with a withdrawn document), one withdrawn decision, one refused."""
    root = tmp_path_factory.mktemp("opendata")
    make = PackageMaker(root / "decisions")
    first = make(
        "eerste",
        meta={
            "kenmerk": "2024-0001",
            "titel": "Vergaderstukken gemeenteraad",
            "organisatie": "Kiesraad",
            "verzoek_ontvangen": "2024-04-01",
        },
    )
    second = make(
        "tweede",
        meta={
            "kenmerk": "2024-0002",
            "titel": "Besluit met INGETROKKENDOC",
            "besluit_datum": "2024-05-10",
            "publicatie_datum": "2024-05-12",
        },
        # Its own withdrawn document: a byte-identical copy in 'eerste' would be refused in the build that withdraws it.
        pdf_text={"documenten/2.pdf": ["# Document 2", "Inhoud van het ingetrokken document [[5.1.2.e]]."]},
    )
    gone = make("weg", meta={"kenmerk": "2024-0003", "titel": "Helemaal INGETROKKENBESLUIT"})
    make("fout", meta={"kenmerk": "2024-0004", "titel": "GEWEIGERDTITEL"})  # never approved
    for pkg in (first, second, gone):
        approve(pkg)
    assert (
        run_cli(
            "withdraw",
            str(second),
            "--document",
            "2",
            "--reden",
            "Naam niet gelakt",
            "--datum",
            "2024-05-20",
            "--sleutel",
            str(DEMO_KEY),
        ).returncode
        == 0
    )
    assert (
        run_cli(
            "withdraw", str(gone), "--reden", "Verkeerd besluit", "--datum", "2024-05-20", "--sleutel", str(DEMO_KEY)
        ).returncode
        == 0
    )
    out = root / "site"
    result = run_cli(
        "build",
        "--decisions",
        str(root / "decisions"),
        "--out",
        str(out),
        "--cache",
        str(root / "c"),
        "--config",
        str(ROOT / "mkdocs.yml"),
        "--vandaag",
        "2024-06-01",
    )
    assert result.returncode == 1, result.stdout + result.stderr  # the unapproved package is refused
    return out


def _local(out: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    return out / url[len(BASE) :]


def test_robots_txt_lists_the_woo_index_sitemap_index(site):
    robots = (site / "robots.txt").read_text()
    assert f"Sitemap: {BASE}{INDEX_NAME}" in robots.splitlines()
    assert f"Sitemap: {BASE}sitemap.xml" in robots.splitlines()


def test_every_sitemap_file_validates_against_the_diwoo_and_sitemap_schemas(site):
    index_xml = (site / INDEX_NAME).read_text()
    assert validate(index_xml, "sitemapindex") == []
    locs = [e.text for e in ET.fromstring(index_xml).iter(SM + "loc")]
    assert locs, index_xml
    for loc in locs:
        xml = _local(site, loc).read_text()
        assert validate(xml, "urlset") == [], loc


def test_an_invalid_sitemap_is_caught(site):
    xml = diwoo_parts(site)[0].read_text()
    broken = xml.replace("<diwoo:officieleTitel>", "<diwoo:onbekendVeld>x</diwoo:onbekendVeld><diwoo:officieleTitel>", 1)
    assert validate(broken, "urlset")
    assert validate(xml.replace("<loc>", "<plek>", 1).replace("</loc>", "</plek>", 1), "urlset")
    index = (site / INDEX_NAME).read_text()
    assert validate(index.replace("<sitemap>", "<sitemap><foo/>", 1), "sitemapindex")


def test_diwoo_entries_describe_every_published_pdf_and_nothing_else(site):
    entries = {}
    for path in sorted((site / "sitemaps").glob("*.xml")):
        for url in ET.fromstring(path.read_text()).iter(SM + "url"):
            entries[url.find(SM + "loc").text] = url
    published_pdfs = {BASE + str(p.relative_to(site)) for p in (site / "besluit").rglob("*.pdf")}
    live = {loc for loc, e in entries.items() if e.find(f".//{DW}redenVerwijderingVervanging") is None}
    assert live == published_pdfs

    letter = entries[BASE + "besluit/2024-0001/besluitbrief.pdf"]
    meta = letter.find(f"{DW}Document/{DW}DiWoo")
    assert letter.find(SM + "lastmod").text == "2024-05-08"
    assert meta.find(f"{DW}publisher").get("resource") == "https://identifier.overheid.nl/tooi/id/ministerie/mnre1034"
    assert meta.find(f"{DW}verantwoordelijke").get("resource") == "https://identifier.overheid.nl/tooi/id/zbo/zb000174"
    assert meta.find(f".//{DW}officieleTitel").text == "Vergaderstukken gemeenteraad"
    assert meta.find(f".//{DW}informatiecategorie").get("resource").endswith("c_3baef532")
    assert meta.find(f".//{DW}documentsoort").get("resource").endswith("c_4f50ca9c")
    assert meta.find(f".//{DW}documenthandeling/{DW}soortHandeling").text == "vaststelling"
    assert meta.find(f".//{DW}documenthandeling/{DW}atTime").text.startswith("2024-05-01")
    assert [i.text for i in meta.iter(DW + "identifier")] == ["2024-0001"]
    assert meta.find(f"{DW}language").text == "Nederlands" and meta.find(f"{DW}format").text == "pdf"
    parts = {p.get("resource") for p in meta.iter(DW + "hasPart")}
    assert parts == {BASE + "besluit/2024-0001/document-1.pdf", BASE + "besluit/2024-0001/document-2.pdf"}

    doc = entries[BASE + "besluit/2024-0001/document-2.pdf"].find(f"{DW}Document/{DW}DiWoo")
    assert doc.find(f"{DW}isPartOf").get("resource") == BASE + "besluit/2024-0001/besluitbrief.pdf"
    assert [i.text for i in doc.iter(DW + "identifier")] == ["2024-0001/2"]

    # Withdrawn documents and decisions carry the reason while the notice lasts, without their title.
    reasons = {loc: e.find(f".//{DW}redenVerwijderingVervanging").text for loc, e in entries.items() if loc not in live}
    assert reasons == {
        BASE + "besluit/2024-0002/document-2.pdf": "Naam niet gelakt",
        BASE + "besluit/2024-0003/besluitbrief.pdf": "Verkeerd besluit",
    }
    everything = "".join(p.read_text() for p in (site / "sitemaps").glob("*.xml"))
    assert "INGETROKKENBESLUIT" not in everything and "GEWEIGERDTITEL" not in everything and "2024-0004" not in everything


def test_atom_feed_parses_and_lists_the_published_decisions(site):
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    assert feed.tag == ATOM + "feed"
    entries = feed.findall(ATOM + "entry")
    links = {e.find(ATOM + "link").get("href") for e in entries}
    assert links == {BASE + f"besluit/{k}/" for k in PUBLISHED}
    newest = entries[0]
    assert newest.find(ATOM + "title").text == "Besluit met INGETROKKENDOC"
    assert newest.find(ATOM + "updated").text == "2024-05-12T00:00:00Z"
    assert feed.find(ATOM + "updated").text == "2024-05-12T00:00:00Z"
    for entry in entries:
        assert _local(site, entry.find(ATOM + "link").get("href")).joinpath("index.html").is_file()


def _package_rows(package: Path) -> list[list[str]]:
    with (package / "inventaris.csv").open(encoding="utf-8") as handle:
        return list(csv.reader(handle))[1:]


def test_inventory_csv_and_xlsx_round_trip_to_the_inventory(site):
    source = _package_rows(site.parent / "decisions/eerste")
    raw = (site / "besluit/2024-0001/inventaris.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header == [
        "nr",
        "document",
        "datum",
        "beoordeling",
        "gronden",
        "url",
        "link",
        "toelichting",
        "opgeschort",
        "zaaknummer",
        "bestandstype",
        "familie",
        "email_thread",
        "gerelateerd",
    ]
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in body] == [(s[0], s[1], s[2], s[3], s[4]) for s in source]
    urls = {r[0]: r[5] for r in body}
    assert urls["3"] == ""  # withheld: no file
    for nr in ("1", "2"):
        assert urls[nr] == BASE + f"besluit/2024-0001/document-{nr}.pdf" and _local(site, urls[nr]).is_file()

    sheet = load_workbook(site / "besluit/2024-0001/inventaris.xlsx").active
    cells = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == rows


def test_documents_zip_holds_exactly_the_public_documents(site):
    with zipfile.ZipFile(site / "besluit/2024-0001/documenten.zip") as archive:
        names = sorted(archive.namelist())
        assert names == ["besluitbrief.pdf", "document-1.pdf", "document-2.pdf"]
        assert archive.read("document-1.pdf") == (site / "besluit/2024-0001/document-1.pdf").read_bytes()
    with zipfile.ZipFile(site / "besluit/2024-0002/documenten.zip") as archive:
        assert "document-2.pdf" not in archive.namelist()


def test_data_json_matches_the_published_decisions(site):
    data = read_open_data(site)  # the index, every part it lists checked against its size and SHA-256
    assert data["versie"] == 2 and data["basis_url"] == BASE
    by_kenmerk = {d["kenmerk"]: d for d in data["besluiten"]}
    assert set(by_kenmerk) == PUBLISHED
    first = by_kenmerk["2024-0001"]
    assert first["titel"] == "Vergaderstukken gemeenteraad" and first["organisatie"] == "Kiesraad"
    assert first["besluit"] == "deels openbaar" and first["besluit_datum"] == "2024-05-01"
    assert first["verzoek_ontvangen"] == "2024-04-01" and first["url"] == BASE + "besluit/2024-0001/"
    assert [r["nr"] for r in first["inventaris"]] == ["1", "2", "3"]
    assert first["inventaris"][1]["gronden"][0]["id"] == "5.1.2.e"
    assert "persoonlijke levenssfeer" in first["inventaris"][1]["gronden"][0]["betekenis"]
    assert first["inventaris"][2]["url"] is None
    urls = [first["besluitbrief"]["url"], *(r["url"] for r in first["inventaris"] if r["url"]), *first["downloads"].values()]
    for url in urls:
        assert _local(site, url).is_file(), url
    assert by_kenmerk["2024-0002"]["inventaris"][1]["url"] is None
    assert by_kenmerk["2024-0002"]["inventaris"][1]["ingetrokken"]["reden"] == "Naam niet gelakt"


def test_open_data_is_an_index_of_monthly_parts(site):
    """Issue 19: data.json and data/<type>.json|.csv are small indexes; every file under data/ is listed by one
    of them with its size and SHA-256 (``read_open_data``/``read_type_data`` check those), and a part holds
    exactly the publications of its month of publication."""
    index = json.loads((site / "data.json").read_text(encoding="utf-8"))
    assert index["versie"] == 2 and index["indeling"] == "maand van publicatie" and "besluiten" not in index
    assert [(e["maand"], e["deel"], e["besluiten"], e["publicaties"]) for e in index["delen"]] == [("2024-05", 1, 2, 0)]
    listed = {"data.json"} | {e["url"] for e in index["delen"]}
    for kind in index["soorten"]:
        records, rows = read_type_data(site, kind["soort"])
        assert len(records) == kind["aantal"]
        type_index = json.loads(_local(site, kind["json"]).read_text(encoding="utf-8"))
        listed |= {kind["json"], kind["csv"]} | {e["url"] for e in type_index["delen"]}
        listed |= {e["csv"]["url"] for e in type_index["delen"]}
    listed = {url.removeprefix(BASE) for url in listed}
    # The indexes are data.json and the files directly in data/, every part is in a folder below it (a sync puts
    # the parts in place first, docs/beheer.md); no type is called like the folder of data.json's parts.
    indexes = {"data.json"} | {u.removeprefix(BASE) for k in index["soorten"] for u in (k["json"], k["csv"])}
    assert {p for p in listed if p.count("/") <= 1} == indexes
    assert all(p.startswith("data/alles/") for p in (e["url"].removeprefix(BASE) for e in index["delen"]))
    assert "alles" not in {kind.slug for kind in types.REGISTRY.values()}
    on_disk = {"data.json"} | {p.relative_to(site).as_posix() for p in (site / "data").rglob("*") if p.is_file()}
    assert on_disk == listed
    for entry in index["delen"]:
        assert entry["url"] == f"{BASE}data/alles/{entry['maand']}-{entry['deel']}.json"
        part = json.loads(_local(site, entry["url"]).read_text(encoding="utf-8"))
        assert {b["publicatie_datum"][:7] for b in part["besluiten"]} == {entry["maand"]}
    records, rows = read_type_data(site, "woo-besluit")
    assert sorted(r["kenmerk"] for r in records) == sorted(PUBLISHED)
    assert rows[0][:3] == ["id", "soort", "url"] and len(rows) == 3


def test_withdrawn_and_refused_material_is_in_no_feed_or_download(site):
    texts = {
        p: p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and p.suffix in (".xml", ".json", ".csv", ".txt") and "zoeken" not in p.parts
    }
    for path, data in texts.items():
        text = data.decode("utf-8", "replace")
        assert "GEWEIGERDTITEL" not in text and "2024-0004" not in text, path
        assert "INGETROKKENBESLUIT" not in text, path
        if path not in diwoo_parts(site):  # the Woo-index keeps a withdrawal notice for a while
            assert "besluit/2024-0002/document-2.pdf" not in text, path
            assert "besluit/2024-0003/" not in text, path
    assert not (site / "besluit/2024-0002/document-2.pdf").exists()
    assert not (site / "besluit/2024-0004").exists()
    assert not re.search(r"Jan Ambtenaar", "".join(t.decode("utf-8", "replace") for t in texts.values()))


def test_a_sitemap_is_validated_while_it_is_read_in_slices(site, monkeypatch):
    """Issue 19: a sitemap file (up to 45 MB) is validated as it is parsed, a slice at a time, never as a whole
    tree; a problem in a later slice is still found, with its line, and a malformed file is a problem, not a crash."""
    from publish import diwoo

    monkeypatch.setattr(diwoo, "STREAM_SLICE", 97)  # many slices, cut inside tags and names
    xml = max((p.read_text() for p in diwoo_parts(site)), key=len)
    assert len(xml) > 20 * diwoo.STREAM_SLICE
    assert validate(xml, "urlset") == [] and diwoo._streamed_problem(xml, "urlset") is None
    lines = xml.splitlines()
    last = max(i for i, line in enumerate(lines) if "<diwoo:officieleTitel>" in line)
    lines[last] = lines[last].replace(
        "<diwoo:officieleTitel>", "<diwoo:onbekendVeld>x</diwoo:onbekendVeld><diwoo:officieleTitel>", 1
    )
    broken = "\n".join(lines) + "\n"
    assert diwoo._streamed_problem(broken, "urlset") is not None
    problems = validate(broken, "urlset")
    assert problems and problems[0].startswith(f"regel {last + 1}:") and "onbekendVeld" in problems[0]
    for malformed in (xml[: len(xml) // 2], xml.replace("<loc>", "<loc>\x01", 1), "", "<urlset>" * 10_000, "\ufeff" + xml[40:]):
        assert validate(malformed, "urlset"), malformed[:80]  # a problem, never an exception
    index = (site / INDEX_NAME).read_text()
    assert validate(index, "sitemapindex") == []
    assert validate(index.replace("</sitemapindex>", "<sitemap><loc>x</loc></sitemap></sitemapindex>"), "sitemapindex")
