"""A withdrawn document vanishes everywhere but leaves its number and a notice; a suspended one keeps only its
number, title, date and assessment. One rule (``pages.shown_row``, read through ``RowView.row``) for every output:
pages, the inventory JSON, open data (JSON, CSV, XLSX), the search index and the DiWoo sitemap (attack round 10, B01)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from large_decision import large_view
from openpyxl import load_workbook

from publish.diwoo import Publisher, _document
from publish.history import Change
from publish.opendata import _decision_record, inventory_csv, inventory_rows, inventory_xlsx
from publish.pages import Generator, SiteText, inventory_json, link_rows, shown_row
from publish.search import decision_values

TITLE = "Bericht Vermeulenmail over verlof"
REMARK = "Toelichtinggeheim"
SUSPENDED_TITLE = "Opgeschorte nota over stikstof"
BASE = "https://woo.example.nl/"


def _view():
    """Six rows: row 2 (deels openbaar, with a ground, a remark, links, family, case number) withdrawn; row 3
    suspended with the same details; row 1 shares the family of row 2."""
    view = large_view(6)
    gone, held = view.rows[1], view.rows[2]
    for rv, title in ((gone, TITLE), (held, SUSPENDED_TITLE)):
        row = rv.row
        row.title, row.remark, row.links, row.link = title, REMARK, ["https://example.org/elders"], "https://example.org/elders"
        row.case_numbers, row.file_type, row.family, row.related = ["ZAAK-GEHEIM"], "emailgeheim", "FAM-1", ["1"]
    view.rows[0].row.family = "FAM-1"
    assert gone.row.grounds and gone.file is not None
    gone.withdrawn = Change(dt.date(2026, 11, 20), "document ingetrokken", gone.row.nr, TITLE, "Bevat een naam")
    gone.file = None
    view.decision.withdrawn_numbers = frozenset({gone.row.nr})  # as build_views sets it from the history
    held.inventory_row.suspended = True
    held.file = None
    view.rows = link_rows(view.rows)  # as build_views: after the withdrawals are known
    return view, gone, held


def _secrets(text: str) -> list[str]:
    return [s for s in (TITLE, "Vermeulenmail", REMARK, "ZAAK-GEHEIM", "emailgeheim", "example.org/elders") if s in text]


def test_shown_row_keeps_only_the_number_of_a_withdrawn_document():
    view, gone, held = _view()
    row = gone.row
    assert (row.nr, row.title, row.date, row.assessment, row.remark) == (
        "2",
        "Document 2 (ingetrokken)",
        None,
        "ingetrokken",
        "Ingetrokken op 20 november 2026: Bevat een naam",
    )
    assert not (row.grounds or row.links or row.link or row.case_numbers or row.file_type or row.family or row.related)
    assert gone.inventory_row.title == TITLE  # the package's row itself is untouched
    # suspended: stricter than nothing, looser than withdrawn (title, date and assessment stay)
    s = held.row
    assert (s.title, s.assessment, s.date, s.suspended) == (SUSPENDED_TITLE, "deels openbaar", held.inventory_row.date, True)
    assert not (s.remark or s.grounds or s.links or s.link or s.case_numbers or s.file_type or s.family or s.related)
    assert shown_row(view.rows[0].inventory_row) is view.rows[0].inventory_row  # any other row: as written
    # withdrawn and suspended at once: the withdrawal wins
    held.withdrawn = gone.withdrawn
    assert held.row.title == "Document 3 (ingetrokken)" and not held.suspended and held.notice.startswith("Ingetrokken op")


def test_pages_and_inventory_json_show_the_notice_not_the_document():
    view, gone, held = _view()
    pages = {p.url: p.body for p in Generator(SiteText("Woo-site", "Organisatie"), [view]).generate()}
    everything = "\n".join(pages.values())
    assert _secrets(everything) == [], _secrets(everything)
    decision = pages[view.url]
    row = decision[decision.index('<tr id="document-2"') :]
    row = row[: row.index("</tr>")]
    assert '<a href="document/2/">Document 2 (ingetrokken)</a>' in row and "<time" not in row
    assert ">Ingetrokken</td>" in row and "Ingetrokken op 20 november 2026: Bevat een naam" in row
    assert "6 documenten, waarvan 3 (deels) openbaar; van 1 is de publicatie opgeschort; 1 is ingetrokken" in decision
    suspended = decision[decision.index('<tr id="document-3"') :]
    assert SUSPENDED_TITLE in suspended[: suspended.index("</tr>")]
    # The e-mail's page no longer names the withdrawn attachment, not even by number (attack round 11, C03): a
    # withdrawn document takes no part in families, conversations or related documents (``shown_row``).
    email = pages[view.rows[0].page_url]
    assert 'href="../2/"' not in email and "document 2" not in email.lower().replace("document 2 (ingetrokken)", "")
    data = json.loads(inventory_json(view))
    rows = {r[0]: r for r in data["rows"]}
    assert rows["2"][1:6] == ["Document 2 (ingetrokken)", "", "", "ingetrokken", []]
    assert rows["2"][7:] == ["t", "Ingetrokken op 20 november 2026: Bevat een naam"]
    assert rows["3"][1:3] == [SUSPENDED_TITLE, ""] and rows["3"][5] == [] and rows["3"][8] == "Publicatie opgeschort"
    assert _secrets(json.dumps(data, ensure_ascii=False)) == []


def test_open_data_says_the_document_was_withdrawn():
    view, gone, held = _view()
    rows = {r[0]: r for r in inventory_rows(view, BASE)}
    assert rows["2"] == ["2", "Document 2 (ingetrokken)", "", "ingetrokken", "", "", "", rows["2"][7], "", "", "", "", "", ""]
    assert rows["2"][7] == "Ingetrokken op 20 november 2026: Bevat een naam"
    assert rows["3"][:4] == ["3", SUSPENDED_TITLE, held.inventory_row.date.isoformat(), "deels openbaar"]
    assert rows["3"][4:] == ["", "", "", "", "ja", "", "", "", "", ""]
    text = inventory_csv(view, BASE).decode("utf-8-sig")
    assert _secrets(text) == []
    assert next(r for r in csv.reader(io.StringIO(text), delimiter=";") if r[0] == "2")[3] == "ingetrokken"
    sheet = load_workbook(io.BytesIO(inventory_xlsx(view, BASE))).active
    cells = [str(c.value) for line in sheet.iter_rows() for c in line if c.value is not None]
    assert _secrets(" ".join(cells)) == [] and "Document 2 (ingetrokken)" in cells and "ingetrokken" in cells
    record = _decision_record(view, BASE)
    item = next(r for r in record["inventaris"] if r["nr"] == "2")
    assert item["document"] == "Document 2 (ingetrokken)" and item["beoordeling"] == "ingetrokken" and item["datum"] is None
    assert item["ingetrokken"] == {"datum": "2026-11-20", "reden": "Bevat een naam"} and item["gronden"] == []
    suspended = next(r for r in record["inventaris"] if r["nr"] == "3")
    assert suspended["opgeschort"] is True and suspended["toelichting"] is None and suspended["links"] == []
    assert _secrets(json.dumps(record["inventaris"], ensure_ascii=False)) == []


def test_search_and_diwoo_leave_the_title_out():
    view, gone, held = _view()
    documents = decision_values(view)["documenten"]
    assert TITLE not in documents and "ingetrokken" not in documents  # not findable at all
    assert SUSPENDED_TITLE in documents  # a suspended document is listed by its title, as on the site
    from publish.build import _diwoo_withdrawn

    [(v, f, reason, lastmod)] = _diwoo_withdrawn([view], [], dt.date(2026, 11, 27))
    entry = _document(BASE, Publisher("https://identifier.overheid.nl/tooi/id/x", "Org"), None, v, f, reason)
    assert "<diwoo:officieleTitel>Document 2 (ingetrokken)</diwoo:officieleTitel>" in entry and "Bevat een naam" in entry
    assert _secrets(entry) == [] and "creatiedatum" not in entry and lastmod == "2026-11-20"


def test_change_history_names_a_withdrawn_document_by_number_only():
    from types import SimpleNamespace

    from publish.pages import build_views

    decision = large_view(3).decision
    letter = SimpleNamespace(sha256="a" * 64, published_size=1, pages=1, texts=["x"], published_sha256="a" * 64)
    history = [
        Change(dt.date(2025, 4, 1), "document vervangen", "2", decision.inventory[1].title, ""),
        Change(dt.date(2025, 5, 1), "document ingetrokken", "2", decision.inventory[1].title, "Bevat een naam"),
        Change(dt.date(2025, 5, 2), "document vervangen", "3", decision.inventory[2].title, ""),
    ]
    [view] = build_views([decision], {decision.letter.path: letter}, lambda sha: "/x", {decision.slug: history})
    assert [(c.document, c.title) for c in view.history] == [("2", ""), ("2", ""), ("3", decision.inventory[2].title)]
    assert (
        view.rows[1].row.title == "Document 2 (ingetrokken)" and view.rows[1].inventory_row.title == decision.inventory[1].title
    )
