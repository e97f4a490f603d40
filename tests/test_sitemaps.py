"""The site's own sitemaps (issue 19): ``sitemap.xml`` is a sitemap index of numbered child sitemaps, each
within the protocol's limits (50,000 addresses, 50 MB), grouped by month of publication so that a new
decision rewrites its month's file and the index only; byte-identical for the same input, ``lastmod``
from the data. The limit is a build option, so a real build with 10 addresses per file shows the split."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from publish.build import EXIT_OK, BuildOptions, run_build
from publish.sitemaps import MAX_BYTES, iter_sitemaps

from support import ROOT, SHARED, PackageMaker, approve

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "https://woo.example.nl/"


def _schema(name: str) -> etree.XMLSchema:
    path = SHARED / "schemas" / name
    if not path.is_file():
        pytest.skip(f"{path} ontbreekt (de XSD's van sitemaps.org staan in ../shared/schemas)")
    return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(no_network=True)))


def _valid(xml: bytes | str, kind: str) -> etree._Element:
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    root = etree.fromstring(data, etree.XMLParser(no_network=True))
    schema = _schema("sitemap.xsd" if kind == "urlset" else "siteindex.xsd")
    assert schema.validate(root), schema.error_log
    return root


def _locs(root: etree._Element) -> list[str]:
    return [e.text for e in root.iterfind(".//s:loc", NS)]


# -- the writer, fed as the build feeds it ------------------------------------------------------------------


def _decision(kenmerk: str, published: str, documents: int):
    base = f"besluit/{kenmerk}/"
    addresses = [base, base + "besluitbrief.pdf", *(f"{base}document/{n}/" for n in range(1, documents + 1))]
    return (published, base, lambda: list(addresses))


def _made(decisions, max_urls=10, max_bytes=MAX_BYTES, base=BASE) -> dict[str, str]:
    return dict(iter_sitemaps(base, ["", "besluiten/", "zoeken/"], decisions, max_urls, max_bytes))


def test_the_index_lists_numbered_files_per_month_within_the_limit():
    made = _made([_decision("a", "2024-03-05", 3), _decision("b", "2024-03-20", 12), _decision("c", "2023-06-05", 1)])
    index = _valid(made["sitemap.xml"], "sitemapindex")
    children = [loc.removeprefix(BASE) for loc in _locs(index)]
    assert children == [
        "sitemap/algemeen-1.xml",
        "sitemap/2023-06-1.xml",
        "sitemap/2024-03-1.xml",
        "sitemap/2024-03-2.xml",
        "sitemap/2024-03-3.xml",
    ]
    assert sorted(made) == sorted(children + ["sitemap.xml"])
    # lastmod of each file: the newest publication date in it; the general pages have none.
    mods = [e.findtext("s:lastmod", None, NS) for e in index.iterfind("s:sitemap", NS)]
    assert mods == [None, "2023-06-05", "2024-03-05", "2024-03-20", "2024-03-20"]
    seen: list[str] = []
    for name in children:
        root = _valid(made[name], "urlset")
        assert 1 <= len(_locs(root)) <= 10
        seen += _locs(root)
    assert len(seen) == len(set(seen)) == 3 + 5 + 14 + 3
    # A decision that fits a file is never split: a's five addresses stay together in the first March file,
    # b (14 addresses, more than a file) starts a file of its own and continues in the next one.
    first = _locs(etree.fromstring(made["sitemap/2024-03-1.xml"].encode()))
    assert [loc.removeprefix(BASE).split("/")[1] for loc in first] == ["a"] * 5


def test_the_same_input_gives_the_same_bytes_whatever_the_order():
    decisions = [_decision(k, "2024-0{}-0{}".format(1 + i % 3, 1 + i % 7), i % 5) for i, k in enumerate("abcdefghij")]
    assert _made(decisions) == _made(list(reversed(decisions)))


def test_a_new_decision_rewrites_its_month_and_the_index_only():
    decisions = [_decision(f"d{i:02}", f"2024-{1 + i % 6:02}-{1 + i:02}", 2 + i % 4) for i in range(24)]
    before = _made(decisions)
    after = _made([*decisions, _decision("nieuw", "2024-07-01", 3)])
    changed = sorted(n for n in after if before.get(n) != after[n])
    assert changed == ["sitemap.xml", "sitemap/2024-07-1.xml"]
    # Published with an earlier date (a month in the middle): that month's files change, no other month's.
    late = _made([*decisions, _decision("later", "2024-02-28", 2)])
    changed = {n for n in late if before.get(n) != late[n]} | {n for n in before if n not in late}
    assert changed - {"sitemap.xml"} and all(n.startswith("sitemap/2024-02-") for n in changed - {"sitemap.xml"})


def test_the_byte_limit_splits_files_too_and_addresses_are_escaped():
    base = "https://woo.example.nl/?a=1&b=<2>/"  # a hostile site address: escaped in every file
    made = _made([_decision("a", "2024-03-05", 40)], max_urls=50_000, max_bytes=2_000, base=base)
    names = [n for n in made if n.startswith("sitemap/2024-03-")]
    assert len(names) > 2
    for name in names:
        assert len(made[name].encode()) <= 2_000
        assert "&amp;b=&lt;2&gt;" in made[name]
        _valid(made[name], "urlset")
    _valid(made["sitemap.xml"], "sitemapindex")
    with pytest.raises(ValueError):
        _made([], max_urls=0)


def test_an_empty_site_has_an_index_with_its_general_pages():
    made = _made([])
    assert sorted(made) == ["sitemap.xml", "sitemap/algemeen-1.xml"]
    assert _locs(_valid(made["sitemap/algemeen-1.xml"], "urlset")) == [BASE, BASE + "besluiten/", BASE + "zoeken/"]


# -- a real build with 10 addresses per file ----------------------------------------------------------------


def _build(decisions: Path, out: Path, cache: Path) -> None:
    report = run_build(
        BuildOptions(
            decisions=decisions,
            out=out,
            config=ROOT / "mkdocs.yml",
            cache=cache,
            today=dt.date(2024, 6, 1),
            workers=1,
            archive=out.parent / "archief",
            sitemap_limits=(10, MAX_BYTES),
        )
    )
    assert report.exit_code == EXIT_OK and report.written, (report.error, report.refused)


def _tree(site: Path, prefix: str = "") -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.relative_to(site).as_posix().startswith(prefix)
    }


def _sitemaps(site: Path) -> dict[str, bytes]:
    return {n: b for n, b in _tree(site).items() if n == "sitemap.xml" or n.startswith("sitemap/")}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("sitemaps")
    decisions = root / "decisions"
    make = PackageMaker(decisions)
    many = [[str(n), f"Document {n}", "2024-01-10", "openbaar", "", f"documenten/{n}.pdf"] for n in range(1, 13)]
    approve(make("a", meta={"kenmerk": "2024-0100", "besluit_datum": "2024-03-01", "publicatie_datum": "2024-03-05"}))
    approve(
        make(
            "b",
            meta={"kenmerk": "2024-0200", "besluit_datum": "2024-03-10", "publicatie_datum": "2024-03-20", "besluit": "openbaar"},
            rows=many,
        )
    )
    approve(make("c", meta={"kenmerk": "2023-0300", "besluit_datum": "2023-06-01", "publicatie_datum": "2023-06-05"}))
    _build(decisions, root / "site", root / "cache")
    return root


@pytest.mark.slow
def test_a_real_build_writes_an_index_of_small_valid_sitemaps(built):
    site = built / "site"
    maps = _sitemaps(site)
    index = _valid(maps["sitemap.xml"], "sitemapindex")
    children = [loc.removeprefix(BASE) for loc in _locs(index)]
    assert sorted(children) == sorted(n for n in maps if n != "sitemap.xml")
    assert {n.rsplit("-", 1)[0] for n in children} == {
        "sitemap/algemeen",
        "sitemap/2023-06",
        "sitemap/2024-03",
    }
    assert "sitemap/2024-03-3.xml" in children  # b's 12 documents and their PDFs: more than one file of 10
    addresses: list[str] = []
    for name in children:
        root = _valid(maps[name], "urlset")
        assert 1 <= len(_locs(root)) <= 10
        addresses += _locs(root)
        for e in root.iterfind("s:url", NS):  # lastmod: the publication date of the decision, not the build's day
            mod = e.findtext("s:lastmod", None, NS)
            assert mod in (None, "2024-03-05", "2024-03-20", "2023-06-05"), mod
    assert len(addresses) == len(set(addresses))
    # Every address is a page or file of the built site.
    for loc in addresses:
        path = loc.removeprefix(BASE)
        assert (site / path).is_file() or (site / path / "index.html").is_file(), loc
    assert BASE + "besluit/2024-0200/document/12/" in addresses and BASE + "besluit/2024-0200/document-12.pdf" in addresses
    robots = (site / "robots.txt").read_text()
    assert re.search(r"^Sitemap: https://woo\.example\.nl/sitemap\.xml$", robots, re.M)
    assert "sitemap/" not in robots  # crawlers find the files through the index
    assert not (site / "sitemap.xml.gz").exists()  # mkdocs' own sitemap is replaced, its gzip copy removed


@pytest.mark.slow
def test_a_real_build_is_byte_identical_and_one_new_decision_rewrites_one_file(built, tmp_path):
    site = built / "site"
    # The same input, built again from an empty cache elsewhere: the same bytes.
    decisions = tmp_path / "decisions"
    shutil.copytree(built / "decisions", decisions)
    _build(decisions, tmp_path / "opnieuw", tmp_path / "cache-opnieuw")
    assert _sitemaps(tmp_path / "opnieuw") == _sitemaps(site)
    # One new decision, published in a new month, on a copy of the live site: the index and one new file.
    live = tmp_path / "live"
    shutil.copytree(site, live, symlinks=True)
    before = _sitemaps(live)
    times = {n: (live / n).stat().st_mtime_ns for n in before}
    approve(
        PackageMaker(decisions)(
            "d", meta={"kenmerk": "2024-0400", "besluit_datum": "2024-05-01", "publicatie_datum": "2024-05-08"}
        )
    )
    _build(decisions, live, tmp_path / "cache-opnieuw")
    after = _sitemaps(live)
    changed = sorted(n for n in after if before.get(n) != after[n])
    assert changed == ["sitemap.xml", "sitemap/2024-05-1.xml"]
    assert set(before) <= set(after)
    assert [n for n in before if n != "sitemap.xml" and (live / n).stat().st_mtime_ns != times[n]] == []
    _valid(after["sitemap.xml"], "sitemapindex")
    _valid(after["sitemap/2024-05-1.xml"], "urlset")


# -- written as a stream (issue 19, mem10) ------------------------------------------------------------------


class _Recorder:
    """``open_file`` that records every write: the writer must never hold a whole file's text."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.writes: list[int] = []
        self.open: set[str] = set()
        self.most_open = 0

    def __call__(self, name: str, kind: str = "") -> "_Recorder._Sink":
        return self._Sink(self, name)

    class _Sink:
        def __init__(self, owner: "_Recorder", name: str):
            self.owner, self.name, self.parts = owner, name, []
            owner.open.add(name)
            owner.most_open = max(owner.most_open, len(owner.open))

        def write(self, data: bytes) -> None:
            self.owner.writes.append(len(data))
            self.parts.append(data)

        def close(self) -> None:
            self.owner.open.discard(self.name)
            self.owner.files[self.name] = b"".join(self.parts)


def test_the_sitemaps_are_written_one_address_at_a_time_with_the_bytes_of_the_layout():
    """Each child file is written as a stream: one file open at a time, no write larger than one address entry
    (or the head), and the bytes are those of the layout the index has always had (an exact small example)."""
    from publish.sitemaps import write_sitemaps

    decisions = [_decision(f"k{i}", f"2024-0{1 + i % 3}-1{i}", 30) for i in range(9)]
    recorder = _Recorder()
    write_sitemaps(BASE, ["", "besluiten/", "zoeken/"], decisions, recorder, 10, MAX_BYTES)
    assert {n: d.decode() for n, d in recorder.files.items()} == _made(decisions)  # iter_sitemaps: the same bytes
    assert recorder.most_open == 1
    entry = len(f"  <url>\n    <loc>{BASE}besluit/k0/document/10/</loc>\n    <lastmod>2024-01-10</lastmod>\n  </url>\n")
    child_writes = recorder.writes[:-1]  # the last write is the whole index (one line per child file)
    assert max(child_writes) <= max(entry, 200)
    small = dict(iter_sitemaps(BASE, [""], [("2024-03-05", "besluit/a/", lambda: ["besluit/a/"])]))
    assert small["sitemap/2024-03-1.xml"] == (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"  <url>\n    <loc>{BASE}besluit/a/</loc>\n    <lastmod>2024-03-05</lastmod>\n  </url>\n</urlset>\n"
    )
    assert small["sitemap.xml"].splitlines()[2:5] == [
        "  <sitemap>",
        f"    <loc>{BASE}sitemap/algemeen-1.xml</loc>",
        "  </sitemap>",
    ]


def _publication(kenmerk: str, published: str, documents: int, title: str = "Besluit"):
    from types import SimpleNamespace

    kern = "https://identifier.overheid.nl/tooi/def/thes/kern/"
    decision = SimpleNamespace(
        kenmerk=kenmerk,
        title=f"{title} {kenmerk}",
        organisation="Kiesraad",
        decision_date=dt.date(2024, 1, 2),
        publication_date=dt.date.fromisoformat(published),
    )
    url = f"besluit/{kenmerk}/"
    letter = SimpleNamespace(title="Besluitbrief", url=url + "besluitbrief.pdf", nr="", date=decision.decision_date)
    files = [letter] + [
        SimpleNamespace(title=f"Document {n}", url=f"{url}document-{n}.pdf", nr=str(n), date=dt.date(2023, 12, n))
        for n in range(1, documents + 1)
    ]
    return SimpleNamespace(
        decision=decision,
        main_files=[letter],
        files=files,
        url=url,
        category=(kern + "c_3baef532", "Woo-verzoeken en -besluiten"),
        document_kind=(kern + "c_4f50ca9c", "Woo-besluit"),
    )


def _diwoo(views, withdrawn=(), **limits) -> dict[str, str]:
    from publish.diwoo import Publisher, iter_diwoo

    publisher = Publisher("https://identifier.overheid.nl/tooi/id/oorg/oorg10103", "Kiesraad")
    return dict(iter_diwoo(BASE, publisher, {}, views, withdrawn, **limits))


def test_diwoo_sitemaps_are_split_per_month_and_one_change_rewrites_its_own_month_only():
    """Issue 19: a category's DiWoo entries are in files per month of publication (a withdrawal notice: per month
    of the withdrawal), numbered on only when a month does not fit; each file and the index are valid (``iter_diwoo``
    validates them against the DiWoo and sitemap XSDs), and a corrected decision rewrites its month's file only."""
    views = [
        _publication("2024-1", "2024-03-04", 2),
        _publication("2024-2", "2024-03-20", 1),
        _publication("2024-3", "2024-05-01", 1),
    ]
    gone = _publication("2024-0", "2024-02-01", 0, "Ingetrokken")
    withdrawn = [(gone, gone.files[0], "Naam niet gelakt", "2024-06-03")]
    made = _diwoo(views, withdrawn, max_urls=3)
    parts = [f"sitemaps/diwoo-infocat014-{m}.xml" for m in ("2024-03-1", "2024-03-2", "2024-05-1", "2024-06-1")]
    assert sorted(made) == sorted(["sitemapindex-diwoo-infocat014.xml", *parts])
    index = _valid(made["sitemapindex-diwoo-infocat014.xml"], "sitemapindex")
    assert [loc.removeprefix(BASE) for loc in _locs(index)] == parts
    mods = [e.findtext("s:lastmod", None, NS) for e in index.iterfind("s:sitemap", NS)]
    assert mods == ["2024-03-04", "2024-03-20", "2024-05-01", "2024-06-03"]
    # In a month: by address, at most max_urls entries a file; every published file once, the notice on its own.
    march = [loc.removeprefix(BASE) for p in parts[:2] for loc in _locs(etree.fromstring(made[p].encode()))]
    assert march == [f"besluit/2024-1/{n}" for n in ("besluitbrief.pdf", "document-1.pdf", "document-2.pdf")] + [
        "besluit/2024-2/besluitbrief.pdf",
        "besluit/2024-2/document-1.pdf",
    ]
    assert "Naam niet gelakt" in made[parts[3]] and "Ingetrokken" not in "".join(made[p] for p in parts[:3])
    # A corrected title of the May decision: its month's file changes, the index (dates only) and March do not.
    after = _diwoo([*views[:2], _publication("2024-3", "2024-05-01", 1, "Verbeterd")], withdrawn, max_urls=3)
    assert sorted(n for n in made if after[n] != made[n]) == [parts[2]]
    # A new decision in April: its own file and the index, nothing else.
    added = _diwoo([*views, _publication("2024-4", "2024-04-09", 1)], withdrawn, max_urls=3)
    changed = sorted(n for n in added if added.get(n) != made.get(n))
    assert changed == ["sitemapindex-diwoo-infocat014.xml", "sitemaps/diwoo-infocat014-2024-04-1.xml"]
    # The byte cap splits a month too; no file passes it (the cap leaves room for the closing tag).
    capped = _diwoo([_publication("2024-9", "2024-07-01", 12)], max_bytes=4_000)
    july = [n for n in capped if n.startswith("sitemaps/diwoo-infocat014-2024-07-")]
    from publish.diwoo import _part_head

    frame = len(_part_head()) + len("</urlset>\n")  # the cap counts the entries (room left for head and tail)
    assert len(july) > 2 and all(len(capped[n].encode()) <= 4_000 + frame for n in july)


def test_diwoo_files_are_written_as_a_stream_and_validated_from_disk(tmp_path, monkeypatch):
    """The build writes each DiWoo file as a stream (one entry a write, one file open at a time) and validates it
    from disk a slice at a time (``validate_file``); a broken file is a problem, with its line."""
    from publish import diwoo

    views = [_publication(f"2024-{i}", f"2024-0{1 + i % 2}-0{1 + i}", 3) for i in range(6)]
    recorder = _Recorder()
    publisher = diwoo.Publisher("https://identifier.overheid.nl/tooi/id/oorg/oorg10103", "Kiesraad")
    names = diwoo.write_diwoo(BASE, publisher, {}, views, (), None, recorder)
    assert names == ["sitemapindex-diwoo-infocat014.xml"] and recorder.most_open == 1
    assert max(recorder.writes) < 3_000  # one entry (about 1.5 kB here) or the head at a time, never a whole file
    assert {n: d.decode() for n, d in recorder.files.items()} == _diwoo(views)
    monkeypatch.setattr(diwoo, "STREAM_SLICE", 97)
    part = tmp_path / "deel.xml"
    part.write_bytes(recorder.files["sitemaps/diwoo-infocat014-2024-01-1.xml"])
    assert diwoo.validate_file(part, "urlset") == []
    text = part.read_text().splitlines()
    text[-2] = text[-2].replace("<diwoo:officieleTitel>", "<diwoo:onbekendVeld>x</diwoo:onbekendVeld><diwoo:officieleTitel>", 1)
    part.write_text("\n".join(text) + "\n")
    problems = diwoo.validate_file(part, "urlset")
    assert problems and problems[0].startswith(f"regel {len(text) - 1}:") and "onbekendVeld" in problems[0]
    part.write_bytes(b"")
    assert diwoo.validate_file(part, "urlset")
