"""Reproducible .xlsx files: openpyxl stamps the current time; we pin it to a date from the data."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile


def reproducible_xlsx(workbook, when: dt.datetime) -> bytes:
    workbook.properties.created = when
    workbook.properties.modified = when
    workbook.properties.creator = None
    workbook.properties.lastModifiedBy = None
    raw = io.BytesIO()
    workbook.save(raw)
    return pin_zip(raw.getvalue(), when)


def pin_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a zip with fixed entry times (and a fixed 'modified' in docProps/core.xml)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, content)
    return out.getvalue()
