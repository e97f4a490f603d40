"""A page per document and the paged inventory, rendered from real views: content, escaping of
hostile values, neutral notices for withdrawn and suspended documents, related documents."""

from __future__ import annotations

import datetime as dt
import json

from large_decision import large_view

from publish.history import Change
from publish.pages import Generator, SiteText, _window, inventory_json, link_rows, text_html, write_sources


def _pages(view) -> dict[str, str]:
    return {p.url: p.body for p in Generator(SiteText("Woo-site", "Organisatie"), [view]).generate()}


def test_document_page_shows_everything_about_the_document():
    view = large_view(30)
    row = view.rows[1]  # deels openbaar, with a ground and a file
    row.file.texts = ["Eerste regel\nloopt door.\nTweede alinea\n\nDerde", ""]
    row.row.remark = "Bijlage bij de nota"
    pages = _pages(view)
    body = pages[row.page_url]
    assert f"<h1>{row.row.title}</h1>" in body
    assert 'href="../../">Alle stukken over het programma Ruimte</a>' in body  # the decision it belongs to
    g = row.row.grounds[0]
    assert f'href="../../../../gronden/{g.slug}/">{g.id} Woo</a>: {g.meaning}' in body
    assert 'href="../../document-2.pdf"' in body and "2 pagina&#39;s)" in body
    assert "Bijlage bij de nota" in body and "Deels openbaar" in body
    assert "<p>Eerste regel loopt door.</p>\n<p>Tweede alinea</p>\n<p>Derde</p>" in body
    assert 'href="../../document-2.pdf#page=1"' in body and "Deze pagina heeft geen tekst." in body
    assert 'aria-label="Kruimelpad"' in body and "\n\n" not in body.split("Tekst van het document")[1]
    # already public elsewhere: the link, no file
    public = view.rows[4]
    assert public.row.assessment == "reeds openbaar"
    assert 'href="https://www.rijksoverheid.nl/documenten" rel="nofollow noopener"' in pages[public.page_url]
    # the inventory links each title to its page
    assert f'<a href="document/2/">{row.row.title}</a>' in pages[view.url]


def test_hostile_values_are_text():
    view = large_view(5)
    row = view.rows[0]
    row.row.title = '<script>alert(1)</script> Nota "x" & <img src=x onerror=alert(2)>'
    row.file.texts = ["<script>alert(3)</script>\x00\x07\x1b tekst\u2028\n" + "lang " * 20000]
    row.row.links = ["javascript:alert(4)", "https://example.org/stuk?a=1&b=2", "data:text/html,x"]
    pages = _pages(view)
    body = pages[row.page_url]
    assert "<script" not in body and "<img" not in body and "javascript:" not in body and "data:text" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Nota &#34;x&#34; &amp; &lt;img" in body
    assert "&lt;script&gt;alert(3)&lt;/script&gt; tekst" in body and "\x00" not in body and "\x1b" not in body
    assert 'href="https://example.org/stuk?a=1&amp;b=2"' in body
    data = json.loads(inventory_json(view))
    assert data["rows"][0][1] == row.row.title  # JSON, read by the script as text (textContent)


def test_withdrawn_and_suspended_documents_show_a_neutral_notice():
    view = large_view(6)
    gone, held = view.rows[0], view.rows[1]
    gone.withdrawn = Change(dt.date(2025, 4, 1), "ingetrokken", gone.row.nr, gone.row.title, "Onvoldoende gelakt")
    gone.file = None
    held.row.suspended = True  # `Opgeschort: Ja` in the inventory (inventory work)
    held.file = None
    pages = _pages(view)
    for rv, notice in ((gone, "van deze website gehaald"), (held, "opgeschort")):
        body = pages[rv.page_url]
        assert f"<h1>Document {rv.row.nr}</h1>" in body and notice in body
        assert rv.row.title not in body and ".pdf" not in body and "Tekst van het document" not in body
    assert "1 april 2025" in pages[gone.page_url] and "Onvoldoende gelakt" in pages[gone.page_url]
    kinds = {r[0]: (r[7], r[8]) for r in json.loads(inventory_json(view))["rows"]}
    assert kinds["1"] == ("t", "Ingetrokken op 1 april 2025: Onvoldoende gelakt") and kinds["2"] == ("t", "Publicatie opgeschort")


def test_family_thread_and_related_documents_link_to_each_other():
    view = large_view(12)
    for rv in view.rows[:3]:
        rv.row.family = "FAM-1"
    for rv in view.rows[2:6]:
        rv.row.thread = "T-9"
    view.rows[0].row.related = ["11", "999", "1"]  # unknown and itself are left out
    view.rows = link_rows(view.rows)  # as build_views connects them
    pages = _pages(view)
    first = pages[view.rows[0].page_url]
    family = first.split('id="family"')[1].split("</ul>")[0]
    assert 'href="../2/"' in family and 'href="../3/"' in family and 'href="../1/"' not in family
    assert 'id="thread"' not in first
    related = first.split('id="related"')[1].split("</ul>")[0]
    assert 'href="../11/"' in related and "999" not in related and 'href="../1/"' not in related
    third = pages[view.rows[2].page_url]
    assert 'href="../4/"' in third.split('id="thread"')[1].split("</ul>")[0]


def test_static_inventory_pages_and_a_short_pager():
    view = large_view(1234)
    pages = _pages(view)
    assert pages[view.url].count('<tr id="document-') == 100
    assert "inventaris/13/" in pages[view.url] and view.url + "inventaris/14/" not in pages
    last = pages[view.url + "inventaris/13/"]
    assert last.count('<tr id="document-') == 34 and "Documenten 1201 tot en met 1234 van 1234" in last
    assert _window([f"u{n}" for n in range(1, 501)], 250) == [
        (1, "u1"),
        (0, None),
        (248, "u248"),
        (249, "u249"),
        (250, "u250"),
        (251, "u251"),
        (252, "u252"),
        (0, None),
        (500, "u500"),
    ]


def test_pages_hide_the_sidebars(tmp_path):
    view = large_view(2)
    pages = Generator(SiteText("Woo-site", "Organisatie"), [view]).generate()
    write_sources(pages, tmp_path)
    head = (tmp_path / view.rows[0].page_url / "index.md").read_text().split("---")[1]
    assert "hide:\n- navigation\n- toc" in head


def test_text_html_keeps_one_block():
    html = str(text_html("a\n\n\n\nb\r\nc.\rd"))
    assert html == "<p>a</p>\n<p>b c.</p>\n<p>d</p>"
    assert str(text_html("   \n\n")) == ""


def test_links_from_the_inventory_work_are_used_when_rows_carry_them():
    """With the inventory work's row links (attached_to, attachments, thread, related) the page uses them."""
    view = large_view(8)
    mail, first, second = view.rows[:3]
    for rv in view.rows:
        rv.attached_to, rv.attachments, rv.thread, rv.related = None, [], [], []
    mail.attachments = [first, second]
    first.attached_to = second.attached_to = mail
    first.thread = [view.rows[5]]
    first.row.file_type = "docx"
    pages = _pages(view)
    body = pages[first.page_url]
    family = body.split('id="family"')[1].split("</ul>")[0]
    assert 'href="../1/"' in family and 'href="../3/"' in family and 'href="../2/"' not in family
    assert 'href="../6/"' in body.split('id="thread"')[1].split("</ul>")[0]
    assert "Oorspronkelijk bestandstype</th><td>docx" in body
    row = pages[view.url].split('id="document-2"')[1].split("</tr>")[0]
    assert "(docx)" in row and 'Bijlage bij <a href="document/1/">document 1</a>' in row
