"""Open data for journalists and researchers: an Atom feed, per decision the inventory as CSV and
XLSX (with the canonical URL of each published document) and a ZIP of its public documents, and the
site's publications as JSON (Woo decisions in full under ``besluiten``, every other type under
``publicaties``) and per publication type as JSON and CSV with the columns its schema marks as open data
(``publish/types/``). These are split into parts per month of publication with small indexes
(``data.json``, ``data/<type>.json``, ``data/<type>.csv``: issue 19, a change rewrites only its month's
part). Field names are documented in docs/open-data.md and stay stable; ``DATA_VERSION`` counts changes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

from . import urls
from .markdown_safe import plain_text

FEED_SIZE = 50
INVENTORY_COLUMNS = [
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
DATA_VERSION = 2  # docs/open-data.md: 2 split the open data into monthly parts with data.json as their index


def _noon(date: dt.date) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, 12, 0, 0)


def inventory_rows(view, base: str) -> list[list[str]]:
    """One line per inventory row, as the site shows it (``pages.shown_row``): a suspended row keeps only its
    number, title, date and assessment; a withdrawn row only its number, with "ingetrokken" as its assessment
    and the withdrawal notice as its toelichting. Nothing else of either document is published."""
    rows = []
    for r in view.rows:
        row = r.row
        rows.append(
            [
                row.nr,
                row.title,
                row.date.isoformat() if row.date else "",
                row.assessment,
                "; ".join(g.id for g in row.grounds),
                base + r.file.url if r.file else "",
                " | ".join(row.links),
                row.remark,
                "ja" if row.suspended else "",
                " | ".join(row.case_numbers),
                row.file_type,
                row.family,
                row.thread,
                "; ".join(row.related),
            ]
        )
    return rows


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula: a text starting with ``= + - @``, tab or
    carriage return gets a leading apostrophe (Excel and LibreOffice then show it as text)."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def inventory_csv(view, base: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(INVENTORY_COLUMNS)
    writer.writerows([inert(cell) for cell in row] for row in inventory_rows(view, base))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def inventory_xlsx(view, base: str) -> bytes:
    from openpyxl import Workbook

    from .xlsx import reproducible_xlsx

    wb = Workbook()
    ws = wb.active
    ws.title = "Inventarislijst"
    ws.append(INVENTORY_COLUMNS)
    for r, row in enumerate(inventory_rows(view, base), start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str) and value:
                cell.data_type = "s"  # always text, never a formula: the value stays exactly as written
                if value.startswith(FORMULA_START):
                    cell.quotePrefix = True  # and stays text when someone edits the cell in Excel
    return reproducible_xlsx(wb, _noon(view.decision.publication_date))


def documents_zip(view) -> bytes:
    out = io.BytesIO()
    write_documents_zip(view, out)
    return out.getvalue()


def write_documents_zip(view, target) -> None:
    """The ZIP of a decision's documents into ``target`` (a path or a seekable binary file), each
    PDF copied in blocks: the same bytes as ``ZipFile.writestr`` gives, without a whole PDF in memory."""
    import os
    import shutil

    when = _noon(view.decision.publication_date).timetuple()[:6]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
        for f in sorted(view.files, key=lambda f: f.url):
            info = zipfile.ZipInfo(f.url.rsplit("/", 1)[1], date_time=when)
            info.external_attr = 0o644 << 16
            with open(f.source, "rb") as src:
                info.file_size = os.fstat(src.fileno()).st_size
                with archive.open(info, "w") as dest:
                    shutil.copyfileobj(src, dest, 1 << 20)


def _file_json(f, base: str) -> dict:
    return {"titel": f.title, "url": base + f.url, "paginas": f.pages, "bytes": f.size, "doorzoekbaar": f.searchable}


def _value_json(f, value, view, base: str):
    """One schema field as JSON: dates as ISO, TOOI values as {id, label}, files as their public URL."""
    if value is None:
        return None
    if f.kind == "date":
        return value.isoformat()
    if f.kind == "period":
        return {"van": value[0].isoformat() if value[0] else None, "tot": value[1].isoformat() if value[1] else None}
    if f.kind == "tooi":
        return {"id": value[0], "label": value[1]}
    if f.kind == "file":
        return base + view.main_files[0].url if f.core == "letter" else None
    if f.kind == "annexes":
        return [{"titel": x.title, "url": base + x.url} for x in view.main_files[1:]]
    if f.kind == "inventory":
        return base + urls.inventory_csv(view.url)
    return value


def _value_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        text = "; ".join(x["url"] if isinstance(x, dict) else str(x) for x in value)
    elif isinstance(value, dict):
        text = str(value.get("label") or "/".join(str(v or "") for v in value.values()))
    else:
        text = str(value)
    return inert(text)  # a cell a spreadsheet would run as a formula starts with a quote instead


def _type_record(kind, v, base: str) -> dict:
    d = v.decision
    record = {"id": d.slug, "soort": kind.name, "url": base + v.url}
    for f in kind.opendata_fields():
        record[f.name] = _value_json(f, getattr(d.meta, f.name, None), v, base)
    record["informatiecategorie"] = {"id": v.category[0], "label": v.category[1]}
    kind_value = v.document_kind
    record["documentsoort"] = {"id": kind_value[0], "label": kind_value[1]} if kind_value else None
    record["samenvatting"] = plain_text(d.summary_markdown, 100_000)
    record["documenten"] = [_file_json(f, base) for f in v.files]
    return record


def _csv_columns(kind) -> list[str]:
    columns = ["id", "soort", "url"] + [f.name for f in kind.opendata_fields()] + ["informatiecategorie", "documentsoort"]
    return list(dict.fromkeys(columns))


def _csv_line(cells: Iterable[str]) -> str:
    line = io.StringIO()
    csv.writer(line, delimiter=";", lineterminator="\r\n").writerow(list(cells))
    return line.getvalue()


def _dumped(item) -> str:
    """One list item as ``json.dumps(..., indent=1)`` writes it two levels deep."""
    return json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n  ")


def record_parts(view, base: str) -> dict[str, str]:
    """One publication's parts of the open data, as they are written (issue 19: cached per decision,
    publish/pagecache.py): ``data`` its item in its month's part of data.json (``data/alles/JJJJ-MM-N.json``),
    ``type`` its item in its type's month part (``data/<type>/JJJJ-MM-N.json``) and ``csv`` its line in
    that part's CSV twin."""
    kind = view.decision.kind
    record = _type_record(kind, view, base)
    typed = _dumped(record)
    line = _csv_line(_value_cell(record.get(c)) for c in _csv_columns(kind))
    data = _dumped(_decision_record(view, base)) if view.decision.type == "woo-besluit" else typed
    return {"data": data, "type": typed, "csv": line}


def parts_fit(parts, view, base: str) -> bool:
    """Whether ``parts`` (from the cache) have the shape of ``record_parts`` and belong to ``view``: a
    fragment of another publication or another shape is made again."""
    if (
        not isinstance(parts, dict)
        or set(parts) != {"data", "type", "csv"}
        or not all(isinstance(v, str) for v in parts.values())
    ):
        return False
    try:
        data, typed = json.loads(parts["data"]), json.loads(parts["type"])
        lines = list(csv.reader(io.StringIO(parts["csv"], newline=""), delimiter=";"))
    except (ValueError, csv.Error, RecursionError):
        return False
    url = base + view.url
    return (
        all(isinstance(x, dict) and x.get("id") == view.decision.slug and x.get("url") == url for x in (data, typed))
        and parts["csv"].endswith("\r\n")
        and len(lines) == 1
        and lines[0][:1] == [view.decision.slug]
    )


# -- the files: an index per family, parts per month of publication (issue 19) ----------------------
#
# One change to one publication rewrites its month's part(s) and the small indexes, never the whole
# archive: a sync (rsync, ``aws s3 sync``) uploads kilobytes instead of the archive's open data. The month
# of publication is the key (as the sitemaps'): it does not change when a decision is corrected, approved
# again or has a document withdrawn. A month is split over numbered parts (``-1``, ``-2``, ...) only when
# its JSON would exceed ``MAX_PART_BYTES``; a publication is never split over two parts. Always numbered,
# also when a month fits one part: one layout at every size.

MAX_PART_BYTES = 2 * 1024 * 1024  # a part's JSON, unless one publication alone is larger
SPLIT = "maand van publicatie"  # ``indeling`` in the indexes: what a part holds
PART_CSV_COLUMNS = ["maand", "deel", "aantal", "url", "bytes", "sha256"]
_TAIL = 16  # bytes a part still gets after its last item ("\n ]", an empty list, "\n}\n")


def month_of(view) -> str:
    """``JJJJ-MM``: the month of publication, the part a publication is in."""
    return view.decision.publication_date.isoformat()[:7]


def _utf8_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


class _Part:
    """One file of the open data being written as UTF-8 to a binary file (from ``open_file``), its size and
    SHA-256 counted for the index."""

    def __init__(self, handle):
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.handle.write(data)
        self.digest.update(data)
        self.size += len(data)

    def close(self) -> dict:
        self.handle.close()
        return {"bytes": self.size, "sha256": self.digest.hexdigest()}


class _MonthParts:
    """The numbered parts of one month of one family of files: each a JSON object with ``head``, ``deel`` and
    every list of ``lists`` (in that order, possibly empty); the next part begins when an item would take the
    part's JSON over ``max_bytes``. With ``csv_header`` every part has a CSV twin holding the same publications
    (one line per item). ``close`` gives the parts' index entries."""

    def __init__(
        self, open_file, base: str, month: str, names, head: dict, lists: dict[str, str], max_bytes: int, csv_header=None
    ):
        self.open_file, self.base, self.month, self.names = open_file, base, month, names
        self.head, self.lists, self.max_bytes, self.csv_header = head, lists, max_bytes, csv_header
        self.order = list(lists)
        self.number = 0
        self.entries: list[dict] = []
        self.json: _Part | None = None
        self.csv: _Part | None = None

    def _open(self) -> None:
        self.number += 1
        json_name, csv_name = self.names(self.number)
        self.json = _Part(self.open_file(json_name))
        self.writer = _JsonLists(self.json, {**self.head, "deel": self.number})
        self.at = -1  # the list being written
        self.counts = dict.fromkeys(self.order, 0)
        self.urls = (self.base + json_name, self.base + csv_name if csv_name else "")
        if csv_name:
            self.csv = _Part(self.open_file(csv_name))
            self.csv.write("\ufeff" + self.csv_header)

    def item(self, list_name: str, text: str, line: str | None = None) -> None:
        if self.json is not None and any(self.counts.values()):
            if self.json.size + _utf8_size(text) + 4 + _TAIL > self.max_bytes:
                self._finish()
        if self.json is None:
            self._open()
        index = self.order.index(list_name)
        while self.at < index:
            self.at += 1
            self.writer.start(self.order[self.at])
        self.writer.item(text)
        self.counts[list_name] += 1
        if self.csv is not None and line is not None:
            self.csv.write(line)

    def _finish(self) -> None:
        assert self.json is not None
        while self.at < len(self.order) - 1:
            self.at += 1
            self.writer.start(self.order[self.at])
        self.writer.close()
        entry: dict = {"maand": self.month, "deel": self.number, "url": self.urls[0]}
        entry.update({self.lists[name]: count for name, count in self.counts.items()})
        entry.update(self.json.close())
        if self.csv is not None:
            entry["csv"] = {"url": self.urls[1], **self.csv.close()}
        self.entries.append(entry)
        self.json = self.csv = None

    def close(self) -> list[dict]:
        if self.json is not None:
            self._finish()
        return self.entries


def write_open_data(views, base: str, site_name: str, open_file, parts=None, max_bytes: int = MAX_PART_BYTES) -> None:
    """The open data (docs/open-data.md), in one pass over the publications ordered by month of publication,
    type and kenmerk, each taken as its ``record_parts`` (``parts(view)``, e.g. from the cache; made here
    without it), one at a time (issue 19: nothing of the whole archive is held):

    - ``data/alles/JJJJ-MM-N.json``: the month's Woo decisions in full (``besluiten``) and its other publications
      (``publicaties``); ``data.json``: the index of these parts (URL, counts, bytes, SHA-256 of each);
    - per type ``data/<type>/JJJJ-MM-N.json`` and ``.csv`` (the same publications), indexed by
      ``data/<type>.json`` (JSON and CSV parts) and ``data/<type>.csv`` (the CSV parts, for a spreadsheet).

    ``open_file(name)`` gives a binary file to write to; the indexes are opened last."""
    from .types import REGISTRY

    full = getattr(views, "full", None) or (lambda v: v)  # issue 19: summaries (pages.Views) or full views
    parts = parts or (lambda v: record_parts(full(v), base))
    head = {"versie": DATA_VERSION, "site": site_name, "basis_url": base}
    rank = {name: i for i, name in enumerate(["woo-besluit", *(n for n in REGISTRY if n != "woo-besluit")])}
    headers = {name: _csv_line(_csv_columns(kind)) for name, kind in REGISTRY.items()}
    index: list[dict] = []
    typed_index: dict[str, list[dict]] = {name: [] for name in REGISTRY}
    ordered = sorted(views, key=lambda v: (month_of(v), rank[v.decision.type], v.decision.kenmerk))
    for month, group in itertools.groupby(ordered, key=month_of):
        whole = _MonthParts(
            open_file,
            base,
            month,
            lambda n, m=month: (urls.data_part(m, n), None),
            {**head, "maand": month},
            {"besluiten": "besluiten", "publicaties": "publicaties"},
            max_bytes,
        )
        typed: _MonthParts | None = None
        typed_name = ""
        for v in group:
            part = parts(v)
            name = v.decision.type
            whole.item("besluiten" if name == "woo-besluit" else "publicaties", part["data"])
            if name != typed_name:
                if typed is not None:
                    typed_index[typed_name] += typed.close()
                slug = v.decision.kind.slug
                typed = _MonthParts(
                    open_file,
                    base,
                    month,
                    lambda n, m=month, s=slug: (urls.type_data_part(s, m, n), urls.type_csv_part(s, m, n)),
                    {**head, "soort": name, "maand": month},
                    {"publicaties": "aantal"},
                    max_bytes,
                    headers[name],
                )
                typed_name = name
            typed.item("publicaties", part["type"], part["csv"])
        index += whole.close()
        if typed is not None:
            typed_index[typed_name] += typed.close()

    kinds = []
    for name, kind in REGISTRY.items():
        entries = typed_index[name]
        count = sum(e["aantal"] for e in entries)
        _write_index(
            open_file(urls.type_data(kind.slug)), {**head, "soort": name, "indeling": SPLIT, "aantal": count, "delen": entries}
        )
        out = _Part(open_file(urls.type_csv(kind.slug)))
        out.write("\ufeff" + _csv_line(PART_CSV_COLUMNS))
        for e in entries:
            cells = [e["maand"], str(e["deel"]), str(e["aantal"]), e["csv"]["url"], str(e["csv"]["bytes"]), e["csv"]["sha256"]]
            out.write(_csv_line(inert(c) for c in cells))
        out.close()
        kinds.append(
            {"soort": name, "aantal": count, "json": base + urls.type_data(kind.slug), "csv": base + urls.type_csv(kind.slug)}
        )
    totals = {
        "aantal_besluiten": sum(e["besluiten"] for e in index),
        "aantal_publicaties": sum(e["publicaties"] for e in index),
    }
    _write_index(open_file(urls.DATA_JSON), {**head, "indeling": SPLIT, **totals, "delen": index, "soorten": kinds})


def _write_index(handle, index: dict) -> None:
    out = _Part(handle)
    out.write(json.dumps(index, ensure_ascii=False, indent=1) + "\n")
    out.close()


def open_data_bytes(views, base: str, site_name: str, max_bytes: int = MAX_PART_BYTES) -> dict[str, bytes]:
    """Every file ``write_open_data`` writes, by name, in memory (tests and small tools)."""
    files: dict[str, _Kept] = {}
    write_open_data(views, base, site_name, lambda name: files.setdefault(name, _Kept()), max_bytes=max_bytes)
    return {name: f.getvalue() for name, f in files.items()}


class _Kept(io.BytesIO):
    def close(self) -> None:  # the bytes stay readable
        pass


class _JsonLists:
    """``_write_json_object`` one list item at a time, for several files written side by side."""

    def __init__(self, out, head: dict):
        self.out, self.first = out, True
        self.empty: bool | None = None
        for name, value in head.items():
            self._key(name)
            out.write(json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n "))

    def _key(self, name: str) -> None:
        self.out.write(("{" if self.first else ",") + f"\n {json.dumps(name, ensure_ascii=False, indent=1)}: ")
        self.first = False

    def _end_list(self) -> None:
        if self.empty is not None:
            self.out.write("[]" if self.empty else "\n ]")
            self.empty = None

    def start(self, name: str) -> None:
        self._end_list()
        self._key(name)
        self.empty = True

    def item(self, text: str) -> None:
        self.out.write(("[\n  " if self.empty else ",\n  ") + text)
        self.empty = False

    def close(self) -> None:
        self._end_list()
        self.out.write("{}\n" if self.first else "\n}\n")


def _row_json(r, base: str) -> dict:
    row = r.row  # as the site shows it (``pages.shown_row``): nothing of a withdrawn or suspended document itself
    return {
        "nr": row.nr,
        "document": row.title,
        "datum": row.date.isoformat() if row.date else None,
        "beoordeling": row.assessment,
        "opgeschort": row.suspended,
        "gronden": [{"id": g.id, "wet": g.law, "betekenis": g.meaning} for g in row.grounds],
        "url": base + r.file.url if r.file else None,
        "link": row.link,
        "links": row.links,
        "toelichting": row.remark or None,
        "ingetrokken": ({"datum": r.withdrawn.date.isoformat(), "reden": r.withdrawn.reason} if r.withdrawn else None),
        "zaaknummers": row.case_numbers,
        "bestandstype": row.file_type or None,
        "familie": row.family or None,
        "email_thread": row.thread or None,
        "gerelateerd": row.related,
    }


def _decision_record(v, base: str) -> dict:
    d = v.decision
    record = {
        "id": d.slug,
        "kenmerk": d.kenmerk,
        "titel": d.title,
        "organisatie": d.organisation,
        "wet": d.law,
        "besluit": d.outcome,
        "besluit_datum": d.decision_date.isoformat(),
        "publicatie_datum": d.publication_date.isoformat(),
        "verzoek_ontvangen": d.request_received.isoformat() if d.request_received else None,
        "periode": {
            "van": d.period_from.isoformat() if d.period_from else None,
            "tot": d.period_to.isoformat() if d.period_to else None,
        },
        "onderwerpen": d.subjects,
        "url": base + v.url,
        "samenvatting": plain_text(d.summary_markdown, 100_000),
        "besluitbrief": _file_json(v.main_files[0], base),
        "bijlagen": [_file_json(f, base) for f in v.main_files[1:]],
        "zaaknummers": d.case_numbers,
        "inventaris": [_row_json(r, base) for r in v.rows],
        "downloads": {
            "inventaris_csv": base + urls.inventory_csv(v.url),
            "inventaris_xlsx": base + urls.inventory_xlsx(v.url),
            "documenten_zip": base + urls.documents_zip(v.url),
        },
    }
    # Every further open-data field of the schema (a field added to woo-besluit appears here too).
    record["informatiecategorie"] = {"id": v.category[0], "label": v.category[1]}
    record["documentsoort"] = {"id": v.document_kind[0], "label": v.document_kind[1]} if v.document_kind else None
    for f in d.kind.opendata_fields():
        if f.name not in record:
            record[f.name] = _value_json(f, getattr(d.meta, f.name, None), v, base)
    return record


def atom_feed(views, base: str, site_name: str) -> str:
    full = getattr(views, "full", None) or (lambda v: v)  # issue 19: summaries (pages.Views) or full views
    latest = sorted(views, key=lambda v: (v.decision.publication_date, v.decision.kenmerk), reverse=True)[:FEED_SIZE]
    latest = [full(v) for v in latest]  # the summary text is not in a summary
    updated = latest[0].decision.publication_date.isoformat() if latest else "2000-01-01"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="nl">',
        f"  <title>{escape(site_name)}: nieuwe besluiten</title>",
        f"  <id>{escape(base + urls.FEED)}</id>",
        f'  <link rel="self" href="{escape(base + urls.FEED)}"/>',
        f'  <link href="{escape(base)}"/>',
        f"  <updated>{updated}T00:00:00Z</updated>",
        f"  <author><name>{escape(site_name)}</name></author>",
    ]
    for v in latest:
        d = v.decision
        out += [
            "  <entry>",
            f"    <title>{escape(d.title)}</title>",
            f"    <id>{escape(base + v.url)}</id>",
            f'    <link href="{escape(base + v.url)}"/>',
            f"    <updated>{d.publication_date.isoformat()}T00:00:00Z</updated>",
            f"    <published>{d.publication_date.isoformat()}T00:00:00Z</published>",
            f"    <summary>{escape(d.organisation + ', kenmerk ' + d.kenmerk + ', ' + (d.outcome or d.kind.label) + '. ' + plain_text(d.summary_markdown, 400))}</summary>",
            "  </entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"
