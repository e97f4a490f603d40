"""robots.txt and the plain sitemap.xml, written by us so their content is deterministic."""

from __future__ import annotations

from xml.sax.saxutils import escape


def sitemap_xml(base_url: str, entries: list[tuple[str, str | None]]) -> str:
    """``entries``: (site-relative URL, lastmod date as YYYY-MM-DD or None)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, lastmod in sorted(set(entries)):
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(base_url + url)}</loc>")
        if lastmod:
            lines.append(f"    <lastmod>{lastmod}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(base_url: str, sitemap_indexes: list[str]) -> str:
    lines = ["User-agent: *", "Allow: /", ""]
    lines += [f"Sitemap: {base_url}{name}" for name in sitemap_indexes]
    lines.append(f"Sitemap: {base_url}sitemap.xml")
    return "\n".join(lines) + "\n"
