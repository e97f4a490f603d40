"""The page cache of issue 19 (publish/pagecache.py), piece by piece: the fingerprint of a decision's view
changes with every value a page can show and with nothing else, a cached decision gives the very pages a
render gives, entries of the wrong shape or with script markup are refused, and the fast front matter is
byte for byte what ``yaml.safe_dump`` writes. Whole builds (warm against cold) are in test_incremental_site.py."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from large_decision import large_view
from markupsafe import escape

from publish.cache import Cache
from publish.pagecache import SOURCE_KIND, NoFingerprint, fingerprint, pack_pages, unpack_pages, view_fingerprint
from publish.pages import Generator, SiteText, front_matter


def _generate(view, cache: Path | None = None, known_clean=frozenset(), **kwargs) -> tuple[Generator, dict[str, str]]:
    generator = Generator(
        SiteText("Woo-site", "Organisatie"), [view], cache=Cache(cache) if cache else None, known_clean=known_clean, **kwargs
    )
    return generator, {p.url: p.body for p in generator.generate()}


def test_the_fingerprint_follows_every_shown_value_and_nothing_else():
    view = large_view(12)
    base = view_fingerprint(view)
    assert base == view_fingerprint(copy.deepcopy(view))  # a value, not an identity
    changes = [
        lambda v: setattr(v.decision, "title", v.decision.title + "!"),
        lambda v: setattr(v.decision, "publication_date", v.decision.publication_date + dt.timedelta(days=1)),
        lambda v: setattr(v.rows[3].row, "remark", "nieuw"),
        lambda v: setattr(v.rows[2].file, "size", v.rows[2].file.size + 1),
        lambda v: setattr(v.rows[2].file, "texts", ["andere tekst"]),
        lambda v: setattr(v.rows[5], "anchor", "anders"),
        lambda v: v.rows[1].row.grounds.pop(),
        lambda v: v.decision.subjects.append("Nieuw"),
    ]
    for change in changes:
        other = copy.deepcopy(view)
        change(other)
        assert view_fingerprint(other) != base
    # The build's own copy of a file (a temporary place, never shown) is not part of it.
    other = copy.deepcopy(view)
    other.rows[2].file.source = Path("/tmp/ergens/anders.pdf")
    assert view_fingerprint(other) == base


def test_a_value_of_an_unknown_kind_is_never_cached():
    view = large_view(3)
    view.decision.subjects = [object()]
    with pytest.raises(NoFingerprint):
        view_fingerprint(view)
    assert fingerprint(view) == ""


def test_a_cached_decision_gives_the_pages_a_render_gives(tmp_path):
    view = large_view(150)  # two inventory pages
    first, made = _generate(view, tmp_path)
    assert first.decisions_rendered == 1 and first.decisions_from_cache == 0
    again, cached = _generate(copy.deepcopy(view), tmp_path)
    assert again.decisions_from_cache == 1 and again.decisions_rendered == 0
    assert cached == made
    changed = copy.deepcopy(view)
    changed.rows[0].row.title = "Een andere titel"
    third, pages = _generate(changed, tmp_path)
    assert third.decisions_rendered == 1 and "Een andere titel" in pages[changed.rows[0].page_url]
    # Every input of the pages besides the view is in the key: the site's name, the download sizes.
    other_site = Generator(SiteText("Andere site", "Organisatie"), [copy.deepcopy(view)], cache=Cache(tmp_path))
    other_site.generate()
    assert other_site.decisions_rendered == 1
    sizes, pages = _generate(copy.deepcopy(view), tmp_path, download_sizes={view.url + "documenten.zip": 5})
    assert sizes.decisions_rendered == 1 and "5 bytes" in pages[view.url]


def test_entries_of_the_wrong_shape_or_with_script_markup_are_refused(tmp_path):
    view = large_view(4)
    generator, made = _generate(view, tmp_path)
    (key,) = generator.used_keys
    cache = Cache(tmp_path)
    stored = json.loads(cache.get_blob(SOURCE_KIND, key)[1])
    expected = [(url, title) for url, title, _ in stored["paginas"]]
    assert unpack_pages(pack_pages([tuple(p) for p in stored["paginas"]]), expected) == [p[2] for p in stored["paginas"]]
    for bad in (
        b"",
        b"\xff\xfe",
        b"[1, 2]",
        json.dumps({"versie": 99, "paginas": stored["paginas"]}).encode(),
        json.dumps({"versie": 1, "paginas": stored["paginas"][:-1]}).encode(),
        json.dumps({"versie": 1, "paginas": [[u, t, 5] for u, t, _ in stored["paginas"]]}).encode(),
        json.dumps({"versie": 1, "paginas": [["elders/", t, b] for _, t, b in stored["paginas"]]}).encode(),
    ):
        assert unpack_pages(bad, expected) is None
    # A body with markup that would run: refused, made again; with its SHA-256 known clean it would be used.
    hostile = [[u, t, b.replace("</h1>", "</h1><svg onload=alert(1)>", 1)] for u, t, b in stored["paginas"]]
    cache.put_blob(SOURCE_KIND, key, pack_pages(hostile))
    again, pages = _generate(copy.deepcopy(view), tmp_path)
    assert again.cache_refused == 1 and again.decisions_rendered == 1 and pages == made
    assert "onload" not in "".join(pages.values())


@pytest.mark.parametrize(
    "title",
    [
        "Besluit over bomen",
        "yes",
        "No",
        "null",
        "~",
        "1.5",
        "0x1F",
        "2024-01-01",
        "- lijst",
        "a: b",
        "a:b",
        "a #b",
        "#b",
        "Tom & Jerry",
        "<script>",
        " spatie voor",
        "spatie na ",
        "twee  spaties",
        "x" * 950,
        "ünïcödé € ∑ 😀",
        "@x",
        "`x",
        "!x",
        "%x",
        "*x",
        "|x",
        ">x",
        "?",
        "? x",
        "[x]",
        "{x}",
        '"q"',
        "'q'",
        "ok:",
        "",
        "a\nb",
        "a\tb",
        "\u2028x",
        "x\x85",
        "\x07bel",
        "\ufeffbom",
        "Document 12",
        "Inventarislijst bij besluit 2024-0001 (pagina 2)",
        "Besluit Woo-verzoek: 'bomen' & \"struiken\" #3",
    ],
)
def test_front_matter_is_what_safe_dump_writes(title):
    expected = yaml.safe_dump({"title": str(escape(title)), "hide": ["navigation", "toc"]}, allow_unicode=True, width=1000)
    assert front_matter(title) == expected.strip()


def test_the_short_way_for_common_titles_is_what_safe_dump_writes():
    """issue 19 (mkdocs13): ``front_matter`` writes a common title without PyYAML's analysis; random titles of its
    alphabet (spaces at the ends, doubled, YAML words, a colon or hash among them) must still come out as safe_dump's."""
    import random

    rng = random.Random(19)
    alphabet = "aZ09 ,.()/-:#'"
    titles = ["yes", "No", "TRUE", "off", "Null", "y", "N", "yEs", "on the road", "Besluit 2024-0001 (deel 2)", "a", "A."]
    titles += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    for title in titles:
        expected = yaml.safe_dump({"title": str(escape(title)), "hide": ["navigation", "toc"]}, allow_unicode=True, width=1000)
        assert front_matter(title) == expected.strip(), repr(title)
