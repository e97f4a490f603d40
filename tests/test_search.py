"""Search: Dutch stemming equal to lunr.js, shards lunr.js loads unchanged, and real searches in Chromium."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from publish.search import (
    ShardedIndex,
    combined_statistics,
    inflection_recall,
    is_code,
    shard_of,
    shard_scores,
    snowball_stem,
    stem,
    terms,
)

from support import DATA, ROOT, Server, approve, build_args, needs_browser, needs_node, probe, probe_many


def _word_list() -> list[str]:
    """The words of the seed documents (shipped in tests/data) and of the repository's own texts."""
    text = (DATA / "woorden-nl.txt").read_text(encoding="utf-8").lower()
    for folder in (ROOT / "scripts", ROOT / "docs"):
        for path in sorted(folder.glob("*")):
            if path.suffix in (".txt", ".md", ".py"):
                text += path.read_text(encoding="utf-8", errors="ignore").lower()
    words = sorted(set(re.findall(r"[a-zà-ÿ]+", text)))
    assert len(words) > 1500
    return words


@needs_node
def test_python_stems_equal_lunr_js_stems():
    words = _word_list()
    result = subprocess.run(
        ["node", str(ROOT / "tests/stem_nl.js")], input="\n".join(words), capture_output=True, text=True, cwd=ROOT, check=True
    )
    js = result.stdout.split("\n")
    differences = [(w, stem(w), j) for w, j in zip(words, js) if stem(w) != j]
    assert len(js) == len(words) and differences == []


def _inflection_pairs() -> list[tuple[str, str]]:
    lines = (ROOT / "tests/data/verbuigingen-nl.txt").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split()) for line in lines if line.strip() and not line.startswith("#")]


def test_singular_and_plural_get_one_stem():
    pairs = _inflection_pairs()
    assert len(pairs) >= 200
    missed = [(a, b, stem(a), stem(b)) for a, b in pairs if stem(a) != stem(b)]
    assert missed == []
    # Snowball alone, what the site used before: the pairs the issue named did not meet.
    assert inflection_recall(pairs, snowball_stem) < 0.75
    for a, b in [
        ("windturbine", "windturbines"),
        ("organisatie", "organisaties"),
        ("gegeven", "gegevens"),
        ("procedure", "procedures"),
        ("ministerie", "ministeries"),
        ("brief", "brieven"),
    ]:
        assert stem(a) == stem(b), (a, b)


def test_inflection_step_keeps_different_words_apart():
    for a, b in [
        ("besluit", "beslissing"),
        ("brief", "brug"),
        ("gegevens", "geven"),
        ("adres", "advies"),
        ("huis", "huid"),
        ("organisatie", "organisator"),
        ("proces", "procedure"),
    ]:
        assert stem(a) != stem(b), (a, b)


@needs_node
def test_browser_stems_inflections_like_python():
    words = sorted({w for pair in _inflection_pairs() for w in pair} | {"auto's", "huizen", "mogelijkheden", "redenen"})
    result = subprocess.run(
        ["node", str(ROOT / "tests/stem_nl.js")], input="\n".join(words), capture_output=True, text=True, cwd=ROOT, check=True
    )
    js = result.stdout.split("\n")
    assert len(js) == len(words)
    assert [(w, stem(w), j) for w, j in zip(words, js) if stem(w) != j] == []


def test_pipeline_matches_lunr_nl():
    assert terms("De Datalekken en het DATALEK!") == ["datalek", "datalek"]
    assert terms("2024-0000034173 5.1.2.e") == ["e"]  # digits are no word characters in lunr.nl
    assert shard_of("datalek", 1) == 0
    assert shard_of("datalek", 16) == shard_of("datalek", 16)


def test_scores_equal_lunr_js_bm25():
    index = ShardedIndex({"titel": 10, "tekst": 1})
    index.add("1", {"titel": "Besluiten over datalekken", "tekst": "de verzoeker vroeg om datalek documenten"})
    index.add("2", {"titel": "Berichtenapps", "tekst": "whatsapp berichten"})
    (shard,) = index.shards()
    # Scored as woo-search.js scores (shard_scores is its Python twin) from the shard and the bucket's statistics.
    scores = shard_scores(shard, index.statistics(), index.fields)
    vectors: dict = {}
    for entry in scores.values():
        for (name, ref), score in entry.items():
            vectors.setdefault(f"{name}/{ref}", []).append(round(score, 3))
    # Values from lunr.js 2.3.9 with lunr.nl for the same two documents.
    assert sorted(vectors["titel/1"]) == [1.604, 6.1]
    assert vectors["titel/2"] == [8.026]
    assert sorted(vectors["tekst/1"]) == [0.16, 0.61, 0.61, 0.61]
    assert index.statistics() == [2, {"titel": [3, 2], "tekst": [6, 2]}]


def _build(cli, decisions: Path, out: Path):
    return cli(*build_args(decisions, out, cache=out.parent / "c"))


@pytest.fixture(scope="module")
def search_site(tmp_path_factory):
    """Three decisions with distinct words in titles, summaries and PDFs; one refused, one embargoed."""
    from support import PackageMaker, run_cli

    root = tmp_path_factory.mktemp("zoek")
    decisions = root / "decisions"
    make = PackageMaker(decisions)
    a = make(
        "a",
        meta={
            "kenmerk": "2024-0100",
            "titel": "Verslagen over de fietsenstalling",
            "organisatie": "Gemeente Aa",
            "besluit_datum": "2024-03-01",
            "publicatie_datum": "2024-03-05",
        },
        extra_meta={"onderwerpen": ["verkeer"]},
        body="Een verzoek over parkeerplaatsen bij het station en de windturbines van organisaties.",
        pdf_text={"documenten/1.pdf": ["Notulen", "Over de zeldzame kwartelkoning in het weiland."]},
    )
    b = make(
        "b",
        meta={
            "kenmerk": "2023-0200",
            "titel": "Stukken over het zwembad",
            "organisatie": "Gemeente Bee",
            "besluit_datum": "2023-06-01",
            "publicatie_datum": "2023-06-05",
        },
        extra_meta={"onderwerpen": ["sport"]},
        body="Vragen over de fietsenstallingen bij het zwembad en de procedure.",
        rows=[["1", "Brief", "", "niet openbaar", "5.1.2.i", ""]],
    )
    text = (b / "besluit.md").read_text().replace("besluit: deels openbaar", "besluit: niet openbaar")
    (b / "besluit.md").write_text(text)
    approve(a)
    approve(b)
    make("c", meta={"kenmerk": "2024-0300", "titel": "Geweigerd pakket met ZEPPELINWOORD"})  # not approved
    e = make("e", meta={"kenmerk": "2024-0400", "titel": "Embargo over OLIFANTENPAD", "publicatie_datum": "2024-09-01"})
    approve(e)
    out = root / "site"
    result = run_cli(*build_args(decisions, out, cache=root / "c"))
    assert result.returncode == 1, result.stdout
    return out


@pytest.mark.slow
def test_index_holds_only_published_material(search_site):
    index_text = "".join(p.read_text() for p in (search_site / "zoeken/index").glob("*.json")).lower()
    assert "fietsenstalling" in index_text and "kwartelkon" in index_text
    for absent in ("zeppelin", "olifant", "2024-0300", "2024-0400", "geweigerd pakket"):
        assert absent not in index_text, absent


@pytest.mark.slow
def test_every_shard_is_well_formed_and_scores(search_site):
    """What woo-search.js reads: every term in the shard its hash names, postings as (ref, count, length)
    triples of a known decision, a document frequency at least the postings kept, positive scores."""
    index = search_site / "zoeken/index"
    meta = json.loads((index / "meta.json").read_text())
    found = 0
    # Format 6: words of both indexes in s- files, terms with a digit (codes) of the decision index in k- files.
    for kind, part, prefix, counts in (
        ("besluiten", "b", "s", meta["shards"]),
        ("tekst", "t", "s", meta["shards"]),
        ("besluiten", "b", "k", meta["codes"]),
    ):
        for g, count in enumerate(counts):
            for i in range(count):
                files = json.loads((index / f"{prefix}-{g}-{i}.json").read_text())
                assert set(files) <= ({"b", "t", "afgekapt"} if prefix == "s" else {"b", "afgekapt"})
                shard = {"termen": files[part]}
                for t, (df, by_field) in shard["termen"].items():
                    assert shard_of(t, count) == i and set(by_field) <= set(meta["velden"][kind])
                    assert is_code(t) == (prefix == "k"), t
                    flat = [x for f in by_field.values() for x in f]
                    assert len(flat) % 3 == 0 and df >= len(flat) // 3 >= 1
                    assert all(ref.split("/")[0] in meta["id"] for ref in flat[::3])
                scores = shard_scores(shard, combined_statistics(meta["statistiek"][kind]), meta["velden"][kind])
                assert all(s > 0 for entry in scores.values() for s in entry.values())
                found += len(scores)
    assert found > 10


def _search(server, query: str, **facets) -> dict:
    return _searches(server, (query, facets))[0]


def _searches(server, *queries: tuple[str, dict]) -> list[dict]:
    """``_search`` for several (query, facets), in one browser launch: each search in a browser context of its own."""
    urls = [
        server.base + "zoeken/?q=" + quote(q) + "".join(f"&{k}={quote(v)}" for k, v in facets.items()) for q, facets in queries
    ]
    found = probe_many([{"url": url, "waitFor": "#woo-search-status"} for url in urls])
    for r in found:
        assert r["errors"] == [], r["errors"]
        r["statusText"] = re.search(r'id="woo-search-status"[^>]*>([^<]*)', r["html"]).group(1)
        r["titles"] = re.findall(r'class="woo-result-title"><a href="[^"]*">(.*?)</a>', r["html"])
    return found


@pytest.fixture(scope="module")
def server(search_site):
    s = Server(search_site)
    yield s
    s.close()


@needs_browser
def test_singular_and_plural_find_each_other(server):
    plural, singular = _searches(server, ("fietsenstallingen", {}), ("fietsenstalling", {}))
    assert len(plural["titles"]) == 2 and len(singular["titles"]) == 2
    assert "<mark>fietsenstalling</mark>" in plural["html"]


INFLECTED = [
    ("windturbine", "Verslagen over de fietsenstalling"),
    ("organisatie", "Verslagen over de fietsenstalling"),
    ("procedures", "Stukken over het zwembad"),
    ("Procedure", "Stukken over het zwembad"),
]


@pytest.fixture(scope="module")
def inflected(server) -> dict[str, dict]:
    """The searches of ``INFLECTED`` in one browser launch."""
    return dict(zip((q for q, _ in INFLECTED), _searches(server, *((q, {}) for q, _ in INFLECTED))))


@needs_browser
@pytest.mark.parametrize("query,title", INFLECTED)
def test_inflected_forms_find_each_other_in_the_browser(inflected, query, title):
    assert inflected[query]["titles"] == [title]


@needs_browser
def test_word_only_in_a_pdf_finds_its_decision_and_page(server):
    r = _search(server, "kwartelkoning")
    assert r["titles"] == ["Verslagen over de fietsenstalling"]
    # the document under its decision: its own page (with its assessment) and the PDF at the page (issue 18 item 2)
    assert re.search(
        r'href="\.\./besluit/2024-0100/document/1/#pagina-1">Verslag overleg</a> <span class="woo-muted">\(openbaar · 10 januari 2024\)</span>, '
        r'<a href="\.\./besluit/2024-0100/document-1\.pdf#page=1">pagina 1<span class="woo-sr"> van Verslag overleg</span> '
        r"in de PDF</a>",
        r["html"],
    )


# woo-search.js reads the shard counts from the first bytes of meta.json (SHARDS_PREFIX there): only
# number-valued keys before "shards". publish/search.py keeps that order; if it changes, the search still
# works, but requests its shards only after the whole of meta.json has arrived.
SHARDS_PREFIX = re.compile(r'^\{(?:"[A-Za-z]+":\d+,)*"shards":(\[[\d,]*\]),"codes":(\[[\d,]*\])')


def test_meta_json_names_its_shards_in_its_first_bytes(search_site):
    text = (search_site / "zoeken/index/meta.json").read_text(encoding="utf-8")
    found = SHARDS_PREFIX.match(text)
    assert found and found.end() < 400, text[:400]
    assert json.loads(found.group(1)) == json.loads(text)["shards"] and json.loads(found.group(2)) == json.loads(text)["codes"]


def test_the_shard_counts_come_as_a_script_before_the_search(search_site):
    """Format 7: zoek-shards.js holds meta.json's shard counts (the search page runs it before woo-search.js,
    which requests the query's shards at once); a plain assignment, no markup, the same counts."""
    index = search_site / "zoeken/index"
    meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    text = (index / "zoek-shards.js").read_text(encoding="utf-8")
    found = re.fullmatch(r"window\.wooSearchShards = (\{[^<>]*\});\n", text)
    assert found, text
    assert json.loads(found.group(1)) == {"versie": 7, "shards": meta["shards"], "codes": meta["codes"]}
    page = (search_site / "zoeken/index.html").read_text(encoding="utf-8")
    assert page.index('<script src="index/zoek-shards.js"></script>') < page.index('src="../assets/woo-search.js"')


class _SlowMeta:
    """The site behind a server that sends the first bytes of meta.json, then holds the rest back until an
    index shard has been requested (or 8 s passed): shows whether the search asks for its shards before
    meta.json is complete. ``reorder``: meta.json with "shards" moved to the end (no early shard counts);
    ``script``: False serves zoek-shards.js empty (an index without the counts there: meta.json's first bytes decide)."""

    def __init__(self, site: Path, reorder: bool = False, script: bool = True):
        import functools
        import http.server
        import threading

        from publish.preview import make_server

        self.shard_asked = threading.Event()
        self.shard_before_meta = False
        self.meta_requests = 0
        meta = json.loads((site / "zoeken/index/meta.json").read_text(encoding="utf-8"))
        if reorder:
            meta["shards"] = meta.pop("shards")
        body = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode()
        outer = self
        httpd = make_server(site, 0, quiet=True)  # the site's own headers (CSP) and handler, as in the other tests

        class Handler(httpd.RequestHandlerClass.func):  # type: ignore[attr-defined,name-defined]
            def do_GET(self):
                path = self.path.split("?")[0]
                if re.search(r"/zoeken/index/[sk]-\d+-\d+\.json$", path):
                    outer.shard_asked.set()
                if path.endswith("/zoeken/index/zoek-shards.js") and not script:
                    self.send_response(200)  # an empty script: the counts are not there
                    self.send_header("Content-Type", "text/javascript")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if not path.endswith("/zoeken/index/meta.json"):
                    return super().do_GET()
                outer.meta_requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[:160])
                self.wfile.flush()
                outer.shard_before_meta = outer.shard_asked.wait(8)
                self.wfile.write(body[160:])

        httpd.RequestHandlerClass = functools.partial(Handler, directory=str(site))
        self.httpd: http.server.ThreadingHTTPServer = httpd
        self.base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        self.thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _results_html(r: dict) -> str:
    return re.search(r'<ol id="woo-search-results".*?</ol>', r["html"], re.S).group(0)


@needs_browser
@pytest.mark.parametrize("reorder,script", [(False, False), (True, False), (True, True)])
def test_shards_are_requested_before_meta_json_is_complete(server, search_site, reorder, script):
    """The search page preloads meta.json; the shards of the query's words are requested as soon as
    zoek-shards.js (format 7) or else meta.json's first bytes name the shard counts, and the results are the
    same as when everything arrives at once. Without either, the search waits for the whole file and still
    finds the same."""
    expected = _search(server, "kwartelkoning")
    slow = _SlowMeta(search_site, reorder=reorder, script=script)
    try:
        r = _search(slow, "kwartelkoning")
    finally:
        slow.close()
    assert r["titles"] == expected["titles"] == ["Verslagen over de fietsenstalling"]
    assert _results_html(r) == _results_html(expected)
    assert slow.shard_before_meta is (script or not reorder)
    assert slow.meta_requests == 1  # the preloaded response is the one the script reads: not fetched twice
    assert [u for u in r["requests"] if u.endswith("/meta.json")] == [slow.base + "zoeken/index/meta.json"]
    assert r["cspViolations"] == []


def test_search_page_preloads_meta_json(search_site):
    page = (search_site / "zoeken/index.html").read_text(encoding="utf-8")
    assert '<link rel="preload" href="index/meta.json" as="fetch" type="application/json" crossorigin="anonymous">' in page
    assert page.index('rel="preload" href="index/meta.json"') < page.index('src="../assets/woo-search.js"')


@needs_browser
def test_multi_word_query_needs_every_word(server):
    both, other = _searches(server, ("fietsenstalling zwembad", {}), ("fietsenstalling station", {}))
    assert both["titles"] == ["Stukken over het <mark>zwembad</mark>"]
    assert other["titles"] == ["Verslagen over de <mark>fietsenstalling</mark>"]


@needs_browser
def test_facets_narrow_and_clear(server):
    by_year, by_organisation, by_ground = _searches(
        server,
        ("fietsenstalling", {"jaar": "2023"}),
        ("fietsenstalling", {"organisatie": "Gemeente Aa"}),
        ("fietsenstalling", {"grond": "5.1.2.i Woo"}),
    )
    r = by_year
    assert len(r["titles"]) == 1 and "Alle filters wissen" in r["html"]
    r = by_organisation
    assert r["titles"] == ["Verslagen over de <mark>fietsenstalling</mark>"]
    assert ">Weigeringsgrond<" in r["html"] and "5.1.2.e Woo" in r["html"] and "5.1.2.i Woo" not in r["html"]
    r = by_ground
    assert r["titles"] == ["Stukken over het zwembad"]


@needs_browser
def test_date_range_narrows_results(server):
    every, since, until, between, without_words = _searches(
        server,
        ("fietsenstalling", {}),
        ("fietsenstalling", {"van": "2024-01-01"}),
        ("fietsenstalling", {"tot": "2023-12-31"}),
        ("fietsenstalling", {"van": "2023-06-02", "tot": "2024-02-29"}),
        ("", {"van": "2023-01-01", "tot": "2023-12-31"}),
    )
    assert len(every["titles"]) == 2
    r = since
    assert r["titles"] == ["Verslagen over de <mark>fietsenstalling</mark>"]
    assert "besluit van 1 maart 2024" in r["html"] and "2024-03-01" not in r["html"].split('id="woo-search-results"')[1]
    assert 'value="2024-01-01"' in r["html"] or "Alle filters wissen" in r["html"]
    r = until
    assert len(r["titles"]) == 1 and "zwembad" in r["titles"][0]
    assert between["statusText"].startswith("Geen besluiten")
    # Without words, the range lists every decision in it.
    assert len(without_words["titles"]) == 1


@needs_browser
def test_kenmerk_and_ground_search(server):
    kenmerk, ground_e, ground_i = _searches(server, ("2023-0200", {}), ("5.1.2e", {}), ("5.1.2 sub i".replace(" sub ", "."), {}))
    assert len(kenmerk["titles"]) == 1
    assert ground_e["titles"] == ["Verslagen over de fietsenstalling"]
    assert ground_i["titles"] == ["Stukken over het zwembad"]


@needs_browser
def test_no_result_gives_help(server):
    r = _search(server, "onvindbaarwoord")
    assert r["statusText"].startswith("Geen besluiten gevonden")
    assert re.search(r'id="woo-search-help" class="woo-note">', r["html"])
    # Examples from this site's own data, not from the demo's.
    assert "bijvoorbeeld 2024-0100)" in r["html"] and "2024-0000034173" not in r["html"]


@needs_browser
def test_without_javascript_the_page_points_to_the_overview(server):
    r = probe(url=server.base + "zoeken/?q=zwembad", javascript=False)
    assert "Zoeken werkt alleen met JavaScript" in r["html"] and 'href="../besluiten/"' in r["html"]


@needs_node
def test_vendored_scripts_equal_the_npm_packages():
    from publish.sitefiles import PACKAGE_PAGES

    vendor = PACKAGE_PAGES / "assets/vendor"
    assert (vendor / "lunr.min.js").read_bytes() == (ROOT / "node_modules/lunr/lunr.min.js").read_bytes()
    assert (vendor / "lunr.nl.min.js").read_bytes() == (ROOT / "node_modules/lunr-languages/min/lunr.nl.min.js").read_bytes()


# --- Issue 18 item 2: documents as results, in a decision with 3,000 documents; issue 19: stable index files.

DEEP_TITLE = "Memo over de kwelwaterpomp"
HOSTILE_TITLE = '<img src=x onerror="window.__xss=1"> Baggerbesluit'


def _replace_index(site: Path, views) -> Path:
    """The built site's search index replaced by one of ``views`` (the search page and scripts stay)."""
    import shutil

    from publish.search import build_search_files

    index = site / "zoeken/index"
    shutil.rmtree(index)
    index.mkdir()
    for name, text in build_search_files(views).items():
        (index / name).write_text(text, encoding="utf-8")
    return index


def _large_search_views():
    """One decision with 3,000 documents (every one with a title and a page of text sharing common
    words), and 15 small decisions around it so that the index has several buckets."""
    import dataclasses

    from large_decision import large_view

    view = large_view(3000)
    published = [r for r in view.rows if r.file]
    for i, r in enumerate(published):
        r.file.texts = [f"Verslag van het overleg over het programma Ruimte, stuk {i}."]
    deep, other, hostile = published[-40], published[100], published[1000]
    assert deep.row.date != other.row.date
    deep.file.title = deep.row.title = DEEP_TITLE
    deep.file.texts = ["Inleiding.", "Tweede pagina.", "Op deze pagina staat de zonnepanelenregeling."]
    other.file.texts = ["Over de zonnepanelenregeling en de gemeente."]
    hostile.file.title = hostile.row.title = HOSTILE_TITLE
    small = []
    for k in range(15):
        d = dataclasses.replace(
            view.decision, name=f"klein-{k}", kenmerk=f"2025-klein-{k}", title=f"Klein besluit {k} over fietspaden", inventory=[]
        )
        small.append(dataclasses.replace(view, decision=d, rows=[], main_files=view.main_files[:1]))
    return [view] + small, deep, other


@pytest.fixture(scope="module")
def large_search(search_site, tmp_path_factory):
    """search_site's pages with the index of _large_search_views() in place of its own."""
    import shutil

    site = tmp_path_factory.mktemp("groot-zoeken") / "site"
    shutil.copytree(search_site, site)
    views, deep, other = _large_search_views()
    index = _replace_index(site, views)
    s = Server(site)
    yield s, views, deep, other, index
    s.close()


@pytest.fixture(scope="module")
def dated_search(search_site, tmp_path_factory):
    """search_site's pages with an index of three decisions whose order differs by relevance, decision date and
    publication date (search20: the relevance sort makes no rows; the first result's files are asked for first)."""
    import dataclasses
    import datetime as dt
    import shutil

    from large_decision import large_view

    base = large_view(1)
    site = tmp_path_factory.mktemp("gesorteerd") / "site"
    shutil.copytree(search_site, site)
    views = []
    # Newest first, as the build gives them. Relevance: a title of one word, then a longer title, then the summary.
    for name, title, summary, day, published in (
        ("nieuw", "Subsidies voor verenigingen", "Ook over een fietspad.", dt.date(2025, 3, 1), dt.date(2025, 3, 2)),
        ("midden", "Nieuw fietspad bij de school", "Over de aanleg.", dt.date(2024, 6, 1), dt.date(2025, 5, 1)),
        ("oud", "Fietspad", "Over de aanleg.", dt.date(2023, 1, 1), dt.date(2023, 1, 5)),
    ):
        d = dataclasses.replace(
            base.decision,
            name=f"sorteer-{name}",
            kenmerk=f"2025-sorteer-{name}",
            title=title,
            summary_markdown=summary,
            decision_date=day,
            publication_date=published,
        )
        views.append(dataclasses.replace(base, decision=d, rows=[], main_files=base.main_files[:1]))
    _replace_index(site, views)
    s = Server(site)
    yield s
    s.close()


@needs_browser
def test_results_in_order_of_relevance_decision_date_and_publication_date(dated_search):
    by_relevance, by_decision, by_publication, unknown = _searches(
        dated_search,
        ("fietspad", {}),
        ("fietspad", {"sorteer": "besluitdatum"}),
        ("fietspad", {"sorteer": "publicatiedatum"}),
        ("fietspad", {"sorteer": "onbekend"}),
    )
    oud, midden, nieuw = "<mark>Fietspad</mark>", "Nieuw <mark>fietspad</mark> bij de school", "Subsidies voor verenigingen"
    assert by_relevance["titles"] == [oud, midden, nieuw]
    assert by_decision["titles"] == [nieuw, midden, oud]
    assert by_publication["titles"] == [midden, nieuw, oud]
    assert unknown["titles"] == by_relevance["titles"]  # an unknown order: by relevance
    assert by_relevance["statusText"].startswith("3 besluiten")


def _documents(r: dict) -> list[str]:
    """The document results as text: 'title (assessment · date), pagina N' with their links."""
    return re.findall(r'<ul class="woo-found"[^>]*>(.*?)</ul>', r["html"])


@needs_browser
def test_document_deep_in_a_large_decision_is_a_result(large_search):
    server, views, deep, other, _ = large_search
    page_url = "../" + deep.page_url
    pdf = "../" + deep.file.url
    # By a word of its title: the document, with its decision, assessment, date and links.
    r, on_page_3 = _searches(server, ("kwelwaterpomp", {}), ("zonnepanelenregelingen", {}))
    assert r["statusText"] == "1 besluit en 1 document gevonden voor \u201ckwelwaterpomp\u201d."
    assert r["titles"] == ["Alle stukken over het programma Ruimte"]
    (found,) = _documents(r)
    assert f'<a href="{page_url}">Memo over de <mark>kwelwaterpomp</mark></a>' in found
    assert f"({deep.row.assessment} · " in found and f'<a href="{pdf}#page=1">pagina 1' in found
    # By a word on page 3 of its text: the PDF opens at that page; two documents, best first.
    r = on_page_3
    assert r["statusText"] == "1 besluit en 2 documenten gevonden voor \u201czonnepanelenregelingen\u201d."
    (found,) = _documents(r)
    assert f'<a href="{pdf}#page=3">pagina 3<span class="woo-sr"> van {DEEP_TITLE}</span> in de PDF</a>' in found
    assert f'<a href="{page_url}#pagina-3">' in found  # its own page opens at that page's text too
    assert "../" + other.page_url in found


@needs_browser
def test_document_date_filter_narrows_documents(large_search):
    server, views, deep, other, _ = large_search
    day = deep.row.date.isoformat()
    r, before, left_out, without_words = _searches(
        server,
        ("zonnepanelenregeling", {"docvan": day, "doctot": day}),
        ("zonnepanelenregeling", {"doctot": "1999-12-31"}),
        ("fietspaden", {"docvan": "2020-01-01"}),
        ("", {"docvan": "2020-01-01"}),
    )
    assert r["statusText"] == "1 besluit en 1 document gevonden voor \u201czonnepanelenregeling\u201d."
    (found,) = _documents(r)
    assert "../" + deep.page_url in found and "../" + other.page_url not in found
    assert f'value="{day}"' in r["html"] or "Alle filters wissen" in r["html"]
    assert before["statusText"].startswith("Geen besluiten gevonden")
    # Decisions without a document in the range are left out; without words the page says what to do.
    assert left_out["statusText"].startswith("Geen besluiten gevonden")
    assert without_words["statusText"].startswith("Vul een zoekwoord in")


@needs_browser
def test_a_very_common_word_gives_a_lower_bound(large_search):
    server, *_ = large_search
    r = _search(server, "programma")
    assert r["statusText"].startswith("Ten minste 1 besluit en "), r["statusText"]
    assert "alleen de best passende documenten zijn doorzocht" in r["statusText"]
    # Three documents under the decision and a button for the others.
    assert len(re.findall(r"<li><a href=", _documents(r)[0])) == 3
    assert re.search(
        r'<button type="button" class="woo-more woo-more-docs">Meer documenten uit dit besluit \(\d+ over\)', r["html"]
    )


CLICK_MORE_DOCUMENTS = """(async () => {
  document.querySelector(".woo-more-docs").click();
  for (let i = 0; i < 100 && document.querySelectorAll(".woo-found li").length <= 3; i++) await new Promise(r => setTimeout(r, 50));
  const items = document.querySelectorAll(".woo-found li");
  return {count: items.length, focused: document.activeElement === items[3].querySelector("a"),
          label: (document.querySelector(".woo-more-docs") || {}).textContent || ""};
})()"""


@needs_browser
def test_more_documents_of_a_decision_on_request_and_accessible(large_search):
    server, *_ = large_search
    r = probe(url=server.base + "zoeken/?q=programma", waitFor="#woo-search-status", evaluate=CLICK_MORE_DOCUMENTS, axe=True)
    assert r["evaluated"]["count"] == 3 + 20 and r["evaluated"]["focused"] is True
    assert r["evaluated"]["label"].startswith("Meer documenten uit dit besluit (")
    assert r["axe"] == [], r["axe"]
    assert r["errors"] == []


@needs_browser
def test_hostile_document_title_stays_text(large_search):
    server, *_ = large_search
    r = probe(url=server.base + "zoeken/?q=baggerbesluit", waitFor="#woo-search-status", evaluate="window.__xss === undefined")
    assert r["errors"] == [] and r["evaluated"] is True
    results = r["html"].split('id="woo-search-results"')[1].split("</ol>")[0]
    assert "<img" not in results
    assert '&lt;img src=x onerror="window.__xss=1"&gt; <mark>Baggerbesluit</mark>' in results


@needs_browser
def test_small_decisions_in_other_buckets_are_found(large_search):
    server, views, *_ = large_search
    r = _search(server, "fietspaden")
    assert len(r["titles"]) == 15 - 5 and "Meer besluiten (5 over)" in r["html"]  # pages of ten


def test_a_decision_s_display_row_is_in_its_first_document_file(large_search):
    """Format 7 (issue 19): a result needs one file, d-<id>-0.json, with the decision's row and its first
    documents; no display chunk shared with other decisions. A decision with 3,000 documents has more files,
    documents only; a decision with one document has its row and that document."""
    from publish.search import DOCUMENTS_PER_FILE, INDEX_VERSION, stable_ids

    _, views, *_, index = large_search
    meta = json.loads((index / "meta.json").read_text())
    assert meta["versie"] == INDEX_VERSION == 7 and "chunks" not in meta
    assert not list(index.glob("c-*.json"))
    ids = stable_ids(v.url for v in views)
    for view in views:
        sid = ids[view.url]
        first = json.loads((index / f"d-{sid}-0.json").read_text())
        files = list(view.files)
        assert set(first) == {"besluit", "documenten"}
        title, kenmerk, url, summary, count = first["besluit"]
        assert (title, kenmerk, url, count) == (view.decision.title, view.decision.kenmerk, view.url, len(files))
        assert [d[1] for d in first["documenten"]] == [f.url for f in files[:DOCUMENTS_PER_FILE]]
        rest = sorted(index.glob(f"d-{sid}-*.json"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))[1:]
        assert len(rest) == (len(files) - 1) // DOCUMENTS_PER_FILE
        for k, path in enumerate(rest, start=1):
            more = json.loads(path.read_text())
            assert set(more) == {"documenten"} and path.name == f"d-{sid}-{k}.json"
            assert [d[1] for d in more["documenten"]] == [
                f.url for f in files[k * DOCUMENTS_PER_FILE : (k + 1) * DOCUMENTS_PER_FILE]
            ]
    assert max(len(v.files) for v in views) > 2 * DOCUMENTS_PER_FILE and min(len(v.files) for v in views) == 1


# Before the page's scripts: when the first result is put in the list, how many filters (facet lists) are there.
FILTERS_AT_FIRST_RESULT = """window.__filtersAtFirst = null;
new MutationObserver(() => {
  const list = document.getElementById("woo-search-results"), facets = document.getElementById("woo-search-facets");
  if (window.__filtersAtFirst === null && list && list.children.length) window.__filtersAtFirst = facets.children.length;
}).observe(document, {childList: true, subtree: true});
// What the page asked for before its first result was in the list: result files, collators.
window.__beforeFirst = {files: [], collators: 0};
const shownYet = () => { const list = document.getElementById("woo-search-results"); return !!(list && list.children.length); };
const realFetch = window.fetch;
window.fetch = function (url) {
  if (/\\/d-[^/]*$/.test(String(url)) && !shownYet()) window.__beforeFirst.files.push(String(url).split("/").pop());
  return realFetch.apply(this, arguments);
};
const RealCollator = Intl.Collator;
Intl.Collator = function () { if (!shownYet()) window.__beforeFirst.collators++; return new RealCollator(...arguments); };"""


@needs_browser
def test_a_result_costs_one_request_and_the_filters_follow_it(large_search):
    """Issue 19, the first results sooner: the ten results shown need one file each (their decision's
    d-<id>-0.json, no display chunks), and the filters are counted and shown after the first result,
    not before it (on a slow phone they took longer than the result itself). Only the first result's
    file is requested before the first result is shown (ten requests took a slow phone tens of
    milliseconds, which its response waited behind), and no collator is made before it (making one took
    15 to 75 ms); the header's search box shows (no-js removed) once the results are there."""
    server, views, *_ = large_search
    r = probe(
        url=server.base + "zoeken/?q=fietspaden",
        waitFor="#woo-search-facets section",
        init=FILTERS_AT_FIRST_RESULT,
        evaluate="({first: window.__filtersAtFirst, filters: document.querySelectorAll('#woo-search-facets section').length,"
        " before: window.__beforeFirst, noJs: document.documentElement.classList.contains('no-js')})",
    )
    assert r["errors"] == [] and r["cspViolations"] == [], (r["errors"], r["cspViolations"])
    shown = re.findall(r'class="woo-result-title"><a href="\.\./([^"]*)"', r["html"])
    assert len(shown) == 10
    display = [u.rsplit("/", 1)[1] for u in r["requests"] if re.search(r"/zoeken/index/[cd]-", u)]
    assert all(name.startswith("d-") and name.endswith("-0.json") for name in display), display
    assert len(display) == len(set(display)) == 10
    assert r["evaluated"]["first"] == 0 and r["evaluated"]["filters"] >= 3
    from publish.search import stable_ids

    first_file = f"d-{stable_ids(v.url for v in views)[shown[0]]}-0.json"
    assert r["evaluated"]["before"]["files"] == [first_file] == display[:1], (r["evaluated"]["before"], display)
    assert r["evaluated"]["before"]["collators"] == 0
    assert r["evaluated"]["noJs"] is False


def test_refs_are_stable_ids_of_their_bucket(large_search):
    """What the browser relies on: every ref is an id from meta.json, in the bucket its file is named after
    (the base buckets by id, the recent levels by date: publish.search.layout)."""
    from publish.search import layout

    _, views, *_, index = large_search
    meta = json.loads((index / "meta.json").read_text())
    ids = set(meta["id"])
    buckets, bucket_of_id = layout(views)
    assert meta["emmers"] == buckets == 4 and meta["basis"] == 2 and len(ids) == meta["aantal"] == 16
    for path, part in [(p, part) for p in sorted(index.glob("[sk]-*.json")) for part in ("b", "t")]:
        bucket = int(path.name.split("-")[1])
        shard = json.loads(path.read_text()).get(part, {})
        refs = {ref for _, by_field in shard.values() for flat in by_field.values() for ref in flat[::3]}
        for ref in sorted(refs):
            sid = ref.split("/")[0]
            assert sid in ids and bucket_of_id[sid] == bucket, (path.name, ref)
            if part == "t":
                _, f_no, page, day = ref.split("/")
                assert f_no.isdigit() and page.isdigit() and (day == "" or int(day, 36) > 0)


def _synthetic(n: int):
    import random
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from search_scale import synthetic_views

    return synthetic_views(n, random.Random(n))


def _changed(before: dict, after: dict) -> set[str]:
    return {k for k in set(before) | set(after) if before.get(k) != after.get(k)}


def test_one_changed_decision_rewrites_only_its_bucket():
    import copy

    from publish.search import build_search_files, layout, stable_ids

    views = _synthetic(41)
    extra, views = views[-1], views[:-1]
    before = build_search_files(views)
    ids = stable_ids(v.url for v in views)
    buckets, bucket = layout(views)
    assert buckets == 2 + 2  # up to 2 base buckets by id (search22: was 8), then the two recent levels
    # The text of one document changes: only the shards of its bucket.
    changed = copy.deepcopy(views)
    target = changed[17]
    target.files[2].texts[1] += " nieuwewoordenreeks"
    g = bucket[ids[target.url]]
    diff = _changed(before, build_search_files(changed))
    # meta.json too: the bucket's length statistics (tests/test_search_incremental.py: exactly which shards).
    assert diff and all(name.startswith((f"s-{g}-", f"k-{g}-")) or name == "meta.json" for name in diff), diff
    # Its bucket's files with its terms: with two base buckets (search22) a base bucket is about half of the files.
    assert len(diff - {"meta.json"}) < len([k for k in before if k.startswith("s-")]) / 2
    # A decision is added (published after the others: the newest level): its bucket, its document lists
    # (format 7: its display row is in the first of them, no chunk shared with other decisions) and
    # meta.json; ids of others stay.
    added = sorted(views + [extra], key=lambda v: -v.decision.decision_date.toordinal())
    after = build_search_files(added)
    new_id = stable_ids(v.url for v in added)[extra.url]
    _, bucket_after = layout(added)
    g = bucket_after[new_id]
    assert g == buckets - 1 and all(bucket_after[sid] == b for sid, b in bucket.items())  # nobody else moved
    allowed = ("meta.json", f"s-{g}-", f"k-{g}-", f"d-{new_id}-")
    diff = _changed(before, after)
    assert all(name.startswith(allowed) for name in diff), diff
    assert f"d-{new_id}-0.json" in diff and not any(name.startswith("c-") for name in after)
    assert json.loads(after["meta.json"])["id"][1:] == [ids[v.url] for v in views][: len(views)] or set(
        json.loads(after["meta.json"])["id"]
    ) == set(ids.values()) | {new_id}


def test_stable_ids_do_not_depend_on_other_decisions():
    from publish.search import stable_ids

    urls = [f"besluit/2024-{i:04d}/" for i in range(500)]
    few = stable_ids(urls[:10])
    many = stable_ids(urls)
    assert all(many[u] == few[u] for u in urls[:10])
    assert len(set(many.values())) == 500 and all(len(i) <= 7 for i in many.values())


@pytest.mark.parametrize(
    "kenmerk, typed",
    [
        ("BZK 2025/123.4", "2025/123.4"),
        ("BZK 2025/123.4", "BZK 2025/123.4"),
        ("2025-WOO-0815", "WOO-0815"),
        ("2024-0000034173", "34173"),
    ],
)
def test_a_kenmerk_is_found_as_people_copy_it_from_a_letter(kenmerk, typed):
    """Every query term with digits, squeezed as woo-search.js does (letters and digits only), and every
    other word, must be a term of the kenmerk field: otherwise the browser finds nothing."""
    from publish.search import compact, kenmerk_terms

    terms = set(kenmerk_terms(kenmerk).split())
    for part in typed.split():
        assert compact(part) in terms, (part, terms)


# Material's bundle exposes its observables on window once it has started (on DOMContentLoaded).
THEME_STARTED = """new Promise((resolve) => {
  const check = () => (window.component$ && window.document$ ? resolve(true) : setTimeout(check, 50));
  check();
  setTimeout(() => resolve(false), 10000);
})"""


def test_the_search_page_holds_the_theme_scripts_back(search_site):
    """Issue 19: Material's bundle does not run before the search (type="text/x-woo-later": the browser does
    not run it); woo-search.js loads it after the first results. Every other page loads it as usual."""
    page = (search_site / "zoeken/index.html").read_text(encoding="utf-8")
    assert re.search(r'<script type="text/x-woo-later" src="\.\./assets/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>', page)
    assert not re.search(r'<script src="[^"]*bundle\.', page)
    other = (search_site / "besluiten/index.html").read_text(encoding="utf-8")
    assert re.search(r'<script src="\.\./assets/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>', other)
    assert "x-woo-later" not in other


def test_the_search_page_does_not_load_the_inventory_script(search_site):
    """Issue 19 (search20): woo-inventory.js does nothing on the search page, and its response and run fell
    between the query and the first result on a slow phone: not loaded there. A decision page still loads it."""
    page = (search_site / "zoeken/index.html").read_text(encoding="utf-8")
    assert "woo-search.js" in page and "woo-inventory.js" not in page
    decision = next(p for p in (search_site / "besluit").glob("*/index.html") if 'id="woo-inventory"' in p.read_text("utf-8"))
    assert re.search(r'<script src="\.\./\.\./assets/woo-inventory\.js" defer></script>', decision.read_text("utf-8"))


@needs_browser
@pytest.mark.parametrize("query", ["fietsenstalling", "geenenkeltreffer", ""])
def test_the_theme_starts_after_the_search(server, query):
    """With results, without results and without a query: the theme's scripts are loaded and started
    (Material's observables exist), with no script errors and no CSP violations."""
    r = probe(
        url=server.base + "zoeken/?q=" + quote(query), waitFor="#woo-search-status" if query else None, evaluate=THEME_STARTED
    )
    assert r["errors"] == [] and r["cspViolations"] == [], (r["errors"], r["cspViolations"])
    assert r["evaluated"] is True


# Before the page's own scripts: a DOMContentLoaded listener of the page, counting its calls (and whether the
# event it got is the browser's own, which bubbles, or one dispatched again by a script).
COUNT_DOM_READY = """window.__wooReady = [];
document.addEventListener("DOMContentLoaded", (e) => window.__wooReady.push(e.isTrusted));"""


@needs_browser
@pytest.mark.parametrize("query", ["fietsenstalling", ""])
def test_the_theme_starts_without_telling_the_page_twice_that_it_is_ready(server, query):
    """Issue 19: the held-back theme is started without dispatching DOMContentLoaded a second time: a listener
    the page registered runs once, with the browser's own event, and Material still starts."""
    r = probe(
        url=server.base + "zoeken/?q=" + quote(query),
        waitFor="#woo-search-status" if query else None,
        init=COUNT_DOM_READY,
        evaluate=f"({THEME_STARTED}).then((started) => ({{started, ready: window.__wooReady}}))",
    )
    assert r["errors"] == [] and r["cspViolations"] == [], (r["errors"], r["cspViolations"])
    assert r["evaluated"] == {"started": True, "ready": [True]}, r["evaluated"]
    assert re.search(r'<script src="[^"]*/assets/javascripts/bundle\.[0-9a-f]+\.min\.js">', r["html"])  # the started copy


_SEEDED_INDEX = """
import hashlib, random, sys
sys.path.insert(0, "benchmarks")
from search_scale import synthetic_views
from publish.search import build_search_files
views = synthetic_views(6, random.Random(6))
spellings = ["Zorg", "zorg", "ZORG", "Zörg", "b", "a", "B", "A", "Ä", "ä"]
for i, v in enumerate(views):
    v.decision.subjects = spellings[i:] + spellings[:i]
    v.decision.organisation = ["Gemeente Ede", "gemeente ede", "GEMEENTE EDE"][i % 3]
files = build_search_files(views)
print(hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest())
"""


def test_search_index_bytes_do_not_depend_on_the_hash_seed():
    """Attack round 10, B03: subjects and organisations that differ only in case were listed in set order, so
    meta.json (and every subject index in it) changed with PYTHONHASHSEED. Same input, same bytes."""
    import os
    import sys

    runs = []
    for seed in ("1", "7919"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run(
            [sys.executable, "-c", _SEEDED_INDEX], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
        )
        assert result.returncode == 0, result.stderr
        runs.append(result.stdout)
    assert runs[0] == runs[1]


@needs_browser
def test_subjects_named_like_object_properties_are_counted_like_any_other(search_site, tmp_path):
    """The facet counts are keyed by subject: "constructor" showed "function Object() {...}1" and "__proto__"
    vanished while the counts were a plain object (woo-search.js)."""
    import dataclasses
    import shutil

    from large_decision import large_view

    site = tmp_path / "site"
    shutil.copytree(search_site, site)
    view = large_view(2)
    views = []
    for k, subjects in enumerate((["constructor", "__proto__", "verkeer"], ["constructor", "__proto__", "toString"])):
        d = dataclasses.replace(
            view.decision, name=f"o-{k}", kenmerk=f"2025-o-{k}", title=f"Besluit {k} over fietspaden", subjects=subjects
        )
        views.append(dataclasses.replace(view, decision=d))
    _replace_index(site, views)
    s = Server(site)
    try:
        r = _search(s, "fietspaden")
    finally:
        s.close()
    assert len(r["titles"]) == 2
    facets = re.sub(r"<[^>]+>", "", r["html"].split(">Onderwerp<", 1)[1].split("</ul>", 1)[0])
    for subject, count in (("constructor", 2), ("__proto__", 2), ("toString", 1), ("verkeer", 1)):
        assert f"{subject} ({count})" in facets, facets
    assert "function" not in facets
