"""Open data for journalists and researchers: an Atom feed, per decision the inventory as CSV and
XLSX (with the canonical URL of each published document) and a ZIP of its public documents, and
one site-wide ``data.json`` (Woo decisions under ``besluiten``, every other type under ``publicaties``),
and per publication type ``data/<type>.json`` and ``.csv`` with the columns its schema marks as open
data (``publish/types/``). Field names are documented in docs/open-data.md and stay stable.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
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
DATA_VERSION = 1


def _noon(date: dt.date) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, 12, 0, 0)


def inventory_rows(view, base: str) -> list[list[str]]:
    """One line per inventory row. A suspended row keeps only its number, title, date and
    assessment: nothing of its document is published."""
    rows = []
    for r in view.rows:
        row = r.row
        date = row.date.isoformat() if row.date else ""
        if row.suspended:
            rows.append([row.nr, row.title, date, row.assessment, "", "", "", "", "ja", "", "", "", "", ""])
            continue
        rows.append(
            [
                row.nr,
                row.title,
                date,
                row.assessment,
                "; ".join(g.id for g in row.grounds),
                base + r.file.url if r.file else "",
                " | ".join(row.links),
                row.remark,
                "",
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


def type_records(kind, views, base: str) -> list[dict]:
    """Every publication of one type, one record each with the columns its schema marks as open data."""
    return list(iter_type_records(kind, views, base))


def iter_type_records(kind, views, base: str) -> Iterator[dict]:
    """``type_records`` one record at a time (issue 19: a whole archive's records are never held at once)."""
    for v in sorted((v for v in views if v.decision.type == kind.name), key=lambda v: v.decision.kenmerk):
        yield _type_record(kind, v, base)


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


def type_json(kind, views, base: str, site_name: str) -> str:
    out = io.StringIO()
    write_type_json(kind, views, base, site_name, out)
    return out.getvalue()


def write_type_json(kind, views, base: str, site_name: str, out) -> None:
    """``data/<type>.json`` written record by record to the text file ``out``."""
    head = {"versie": DATA_VERSION, "site": site_name, "basis_url": base, "soort": kind.name}
    _write_json_object(out, head, {"publicaties": iter_type_records(kind, views, base)})


def type_csv(kind, views, base: str) -> bytes:
    out = io.BytesIO()
    write_type_csv(kind, views, base, out)
    return out.getvalue()


def _csv_columns(kind) -> list[str]:
    columns = ["id", "soort", "url"] + [f.name for f in kind.opendata_fields()] + ["informatiecategorie", "documentsoort"]
    return list(dict.fromkeys(columns))


def write_type_csv(kind, views, base: str, out) -> None:
    """``data/<type>.csv`` written row by row to the binary file ``out``."""
    columns = _csv_columns(kind)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    text.write("\ufeff")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for record in iter_type_records(kind, views, base):
        writer.writerow([_value_cell(record.get(c)) for c in columns])
    text.flush()
    text.detach()


def _write_json_object(out, head: dict, lists: dict[str, Iterable]) -> None:
    """``json.dumps({**head, **lists}, ensure_ascii=False, indent=1) + "\\n"``, byte for byte, written to ``out``
    one list item at a time: the lists are iterated, never held."""

    def dumps(value) -> str:
        return json.dumps(value, ensure_ascii=False, indent=1)

    first = True

    def key(name: str) -> None:
        nonlocal first
        out.write(("{" if first else ",") + f"\n {dumps(name)}: ")
        first = False

    for name, value in head.items():
        key(name)
        out.write(dumps(value).replace("\n", "\n "))
    for name, items in lists.items():
        key(name)
        empty = True
        for item in items:
            out.write(("[\n  " if empty else ",\n  ") + (item if isinstance(item, Dumped) else _dumped(item)))
            empty = False
        out.write("[]" if empty else "\n ]")
    out.write("{}\n" if first else "\n}\n")


class Dumped(str):
    """A list item of ``_write_json_object`` already as it is written (issue 19: a cached fragment)."""


def _dumped(item) -> Dumped:
    return Dumped(json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n  "))


def record_parts(view, base: str) -> dict[str, str]:
    """One publication's parts of the open data, as they are written (issue 19: cached per decision,
    publish/pagecache.py): ``data`` its item in data.json, ``type`` its item in data/<type>.json and
    ``csv`` its line in data/<type>.csv."""
    kind = view.decision.kind
    record = _type_record(kind, view, base)
    typed = _dumped(record)
    line = io.StringIO()
    csv.writer(line, delimiter=";", lineterminator="\r\n").writerow([_value_cell(record.get(c)) for c in _csv_columns(kind)])
    data = _dumped(_decision_record(view, base)) if view.decision.type == "woo-besluit" else typed
    return {"data": str(data), "type": str(typed), "csv": line.getvalue()}


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


def open_data_files() -> list[str]:
    """The site-wide open-data files ``write_open_data`` writes, in the order it opens them."""
    from .types import REGISTRY

    return [urls.DATA_JSON] + [
        name for kind in REGISTRY.values() for name in (urls.type_data(kind.slug), urls.type_csv(kind.slug))
    ]


def write_open_data(views, base: str, site_name: str, open_file, parts=None) -> None:
    """``data.json`` and every type's ``data/<type>.json`` and ``.csv``, in one pass over the publications,
    each taken as its ``record_parts`` (``parts(view)``, e.g. from the cache; made here without it), one at
    a time (issue 19: nothing of the whole archive is held). ``open_file(name)`` gives a binary file to
    write to; the bytes are those of ``write_data_json``, ``write_type_json`` and ``write_type_csv``."""
    from .types import REGISTRY

    full = getattr(views, "full", None) or (lambda v: v)  # issue 19: summaries (pages.Views) or full views
    parts = parts or (lambda v: record_parts(full(v), base))
    handles = {name: open_file(name) for name in open_data_files()}

    def text(name: str):
        return _Utf8(handles[name])

    data = _JsonLists(text(urls.DATA_JSON), {"versie": DATA_VERSION, "site": site_name, "basis_url": base})
    typed = {}
    for name, kind in REGISTRY.items():
        typed[name] = _JsonLists(
            text(urls.type_data(kind.slug)), {"versie": DATA_VERSION, "site": site_name, "basis_url": base, "soort": name}
        )
        typed[name].start("publicaties")
        header = io.StringIO()
        csv.writer(header, delimiter=";", lineterminator="\r\n").writerow(_csv_columns(kind))
        text(urls.type_csv(kind.slug)).write("\ufeff" + header.getvalue())
    rank = {name: i for i, name in enumerate(["woo-besluit", *(n for n in REGISTRY if n != "woo-besluit")])}
    data.start("besluiten")
    in_decisions = True
    for v in sorted(views, key=lambda v: (rank[v.decision.type], v.decision.kenmerk)):
        if in_decisions and v.decision.type != "woo-besluit":
            data.start("publicaties")
            in_decisions = False
        part = parts(v)
        data.item(part["data"])
        typed[v.decision.type].item(part["type"])
        text(urls.type_csv(v.decision.kind.slug)).write(part["csv"])
    if in_decisions:
        data.start("publicaties")
    data.close()
    for lists in typed.values():
        lists.close()
    for handle in handles.values():
        handle.close()


class _Utf8:
    """Text written to a binary file as UTF-8 (as ``open(..., "w", encoding="utf-8", newline="")`` writes it)."""

    def __init__(self, raw):
        self.raw = raw

    def write(self, text: str) -> None:
        self.raw.write(text.encode("utf-8"))


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
    row = r.row
    item = {
        "nr": row.nr,
        "document": row.title,
        "datum": row.date.isoformat() if row.date else None,
        "beoordeling": row.assessment,
        "opgeschort": row.suspended,
    }
    if row.suspended:  # listed, but nothing of the document itself
        return item | {
            "gronden": [],
            "url": None,
            "link": None,
            "links": [],
            "toelichting": None,
            "ingetrokken": None,
            "zaaknummers": [],
            "bestandstype": None,
            "familie": None,
            "email_thread": None,
            "gerelateerd": [],
        }
    return item | {
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


def data_json(views, base: str, site_name: str) -> str:
    out = io.StringIO()
    write_data_json(views, base, site_name, out)
    return out.getvalue()


def write_data_json(views, base: str, site_name: str, out) -> None:
    """``data.json`` written decision by decision to the text file ``out`` (issue 19)."""
    from .types import REGISTRY

    others = (
        record for name, kind in REGISTRY.items() if name != "woo-besluit" for record in iter_type_records(kind, views, base)
    )
    head = {"versie": DATA_VERSION, "site": site_name, "basis_url": base}
    _write_json_object(out, head, {"besluiten": _decision_records(views, base), "publicaties": others})


def _decision_records(views, base: str) -> Iterator[dict]:
    for v in sorted((v for v in views if v.decision.type == "woo-besluit"), key=lambda v: v.decision.kenmerk):
        yield _decision_record(v, base)


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
