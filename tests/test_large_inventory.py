"""A decision with 12,000 documents (the 50,000 of a large ministry decision: benchmarks/inventory_filter.py):
the decision page stays small, the rows come as JSON beside it, the filter works in Chromium, and the static
pages cover every row without JavaScript."""

from __future__ import annotations

import json

import pytest
from large_decision import build_large_site

from support import Server, needs_browser, probe

ROWS = 12_000
PAGES = ROWS // 100
WAIT_READY = (
    "(async () => { for (let i = 0; i < 400 && !(window.wooInventory && window.wooInventory.ready); i++) "
    "await new Promise(r => setTimeout(r, 50));"
)


@pytest.fixture(scope="module")
def large_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("groot") / "site"
    view = build_large_site(out, ROWS)
    server = Server(out)
    yield server, out, view
    server.close()


@pytest.mark.slow
def test_decision_page_stays_small_and_rows_are_beside_it(large_site):
    _, out, view = large_site
    page = out / view.url / "index.html"
    assert page.stat().st_size < 400_000, page.stat().st_size
    html = page.read_text()
    assert html.count('<tr id="document-') == 100
    assert 'data-json="inventaris.json"' in html and f"Documenten 1 tot en met 100 van {ROWS}." in html
    data = json.loads((out / view.inventory_json_url).read_text())
    assert len(data["rows"]) == ROWS
    assert data["rows"][0][:2] == ["1", view.rows[0].row.title]
    # Without JavaScript: static pages of 100 rows, each linked from the pager of its neighbours.
    last = (out / view.url / f"inventaris/{PAGES}/index.html").read_text()
    assert last.count('<tr id="document-') == 100 and f'id="document-{ROWS}"' in last
    assert not (out / view.url / f"inventaris/{PAGES + 1}").exists()
    assert f'href="../{PAGES - 1}/"' in last and 'rel="prev"' in last
    second = (out / view.url / "inventaris/2/index.html").read_text()
    assert 'href="../../"' in second and 'id="document-101"' in second


@pytest.mark.slow
@needs_browser
def test_filter_sort_and_pages_in_the_browser(large_site, tmp_path):
    server, _, view = large_site
    script = (
        WAIT_READY
        + """
      const inv = window.wooInventory, q = document.getElementById('woo-inv-q');
      const out = {ready: inv.ready, visible: !document.getElementById('woo-inv-form').hidden};
      q.value = 'Windturbines'; q.dispatchEvent(new Event('input'));
      out.text = {count: inv.count(), ms: inv.lastMs, rows: document.querySelectorAll('#woo-inv-rows tr').length,
                  first: document.querySelector('#woo-inv-rows tr td:nth-child(2)').textContent,
                  status: document.getElementById('woo-inv-status').textContent};
      const a = document.getElementById('woo-inv-a'); a.value = 'niet openbaar'; a.dispatchEvent(new Event('change'));
      const g = document.getElementById('woo-inv-g'); g.value = '5.2.1'; g.dispatchEvent(new Event('change'));
      out.both = {count: inv.count(), cells: [...document.querySelectorAll('#woo-inv-rows td[data-label=Beoordeling]')].map(td => td.textContent)};
      q.value = ''; a.value = ''; g.value = ''; const s = document.getElementById('woo-inv-s'); s.value = 'datum-nieuw';
      s.dispatchEvent(new Event('change'));
      out.sorted = [...document.querySelectorAll('#woo-inv-rows time')].slice(0, 3).map(t => t.getAttribute('datetime'));
      document.querySelector('#woo-inv-pager button').click();
      out.page2 = document.getElementById('woo-inv-status').textContent;
      q.value = 'zzzonvindbaar'; q.dispatchEvent(new Event('input'));
      out.none = document.getElementById('woo-inv-status').textContent;
      return out; })()"""
    )
    r = probe(url=server.base + view.url, evaluate=script, axe=True)
    e = r["evaluated"]
    assert e["ready"] and e["visible"]
    assert 0 < e["text"]["count"] < ROWS and e["text"]["rows"] == min(100, e["text"]["count"])
    assert "over windturbines" in e["text"]["first"] and "gevonden" in e["text"]["status"]
    assert e["both"]["count"] < e["text"]["count"] and set(e["both"]["cells"]) == {"Niet openbaar"}
    assert e["sorted"] == sorted(e["sorted"], reverse=True) and len(e["sorted"]) == 3
    assert f"Documenten 101 tot en met 200 (pagina 2 van {PAGES})" in e["page2"]
    assert e["none"].startswith("Geen documenten gevonden")
    assert r["axe"] == [], r["axe"]
    assert r["errors"] == [] and r["cspViolations"] == []


@pytest.mark.slow
@needs_browser
@pytest.mark.parametrize("width", [1280, 390])
def test_large_inventory_screens(large_site, tmp_path, width):
    """Screenshots at desktop and phone width; at 390 px nothing scrolls sideways and no word is broken."""
    server, _, view = large_site
    for url in (view.url, view.url + "inventaris/2/"):
        shot = tmp_path / f"groot-{width}.png"
        r = probe(url=server.base + url, width=width, screenshot=str(shot), axe=True, evaluate=LAYOUT_CHECK)
        assert r["axe"] == [], r["axe"]
        assert r["evaluated"]["page"] <= width and r["evaluated"]["wideTables"] == [], r["evaluated"]
        assert r["evaluated"]["brokenWords"] == [], r["evaluated"]["brokenWords"][:5]
        from PIL import Image

        with Image.open(shot) as image:
            assert image.size[0] == width


# Layout measured in the page: page and table widths, and words split over two lines in table cells.
LAYOUT_CHECK = """(() => {
  const wide = [...document.querySelectorAll('table')].filter(t => t.getBoundingClientRect().right > innerWidth + 0.5
      || t.scrollWidth > t.clientWidth + 1).map(t => (t.caption || {}).textContent);
  const broken = [];
  for (const td of [...document.querySelectorAll('td, th')].slice(0, 400)) {
    const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /[^\\s\\-\\/]+/g; let m;  // a line may break after a hyphen or slash, never inside a word
      while ((m = re.exec(node.data))) {
        if (m[0].startsWith('http')) continue;
        const range = document.createRange(); range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  const styles = [...document.querySelectorAll('td')].slice(0, 50).map(td => getComputedStyle(td))
      .filter(s => s.wordBreak === 'break-all' || s.overflowWrap === 'anywhere' || s.hyphens === 'auto').length;
  return {page: document.documentElement.scrollWidth, wideTables: wide, brokenWords: broken, breakingStyles: styles};
})()"""
