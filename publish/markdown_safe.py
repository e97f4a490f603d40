"""Render untrusted Markdown (package summaries) to HTML that cannot carry markup or scripts.

Raw HTML in the source is shown as text, links keep only http(s), mailto and in-page targets, and
images become their alt text: a summary may not load anything from elsewhere.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SAFE_URL = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)


class _Sanitise(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "img":
                    span = etree.Element("span")
                    span.text = child.get("alt", "")
                    span.tail = child.tail
                    parent.insert(list(parent).index(child), span)
                    parent.remove(child)
                elif child.tag == "a":
                    href = (child.get("href") or "").strip()
                    for attr in list(child.attrib):
                        if attr != "href":
                            del child.attrib[attr]
                    if not SAFE_URL.match(href):
                        child.attrib.pop("href", None)
                        child.tag = "span"
                    elif href.lower().startswith("http"):
                        child.set("rel", "nofollow noopener")


class _SafeExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_Sanitise(md), "woo_sanitise", 0)


def render_untrusted(text: str, footnotes: bool = False, demote: int = 2) -> str:
    extensions = [_SafeExtension(), "sane_lists"] + (["footnotes"] if footnotes else [])
    md = markdown.Markdown(extensions=extensions, output_format="html")
    html = md.convert(text or "")
    # Demote headings: the page has its own h1 and h2 structure.
    html = re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + demote, 6)}>", html)
    return html


def plain_text(markdown_text: str, limit: int = 300) -> str:
    """The words a reader sees on the rendered summary, for search, open data and feeds: rendered with
    ``render_untrusted`` and read back as text, so what the page does not show (an unused link reference
    definition and its title, an image's file name, a link's address) is not published elsewhere either.
    Cut at ``limit`` characters, on a word boundary, with ' …'."""
    text = " ".join(_html_text(render_untrusted(markdown_text or "")).split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _html_text(html: str) -> str:
    """The text of rendered HTML as a browser shows it (character references decoded), a space after each block."""
    from selectolax.lexbor import LexborHTMLParser

    html = re.sub(r"(<br\s*/?>|</(p|li|h[1-6]|blockquote|pre|td|th|tr|dt|dd)>)", r"\1 ", html)
    return LexborHTMLParser(f"<body>{html}</body>").body.text(separator="") or ""


def published_forms(markdown_text: str) -> tuple[list[str], list[str]]:
    """What a summary publishes, for the personal-data check: the whole text a reader sees, as ``plain_text`` gives it
    to the open data and the search index (character references decoded, one space between words, never cut), and
    the target of every link it keeps. Rendered as the page renders it and, when the text has a footnote, also as a
    Kamervragen page does (with footnotes): one text per rendering."""
    from selectolax.lexbor import LexborHTMLParser

    texts: list[str] = []
    targets: list[str] = []
    for footnotes in (False, True) if "[^" in (markdown_text or "") else (False,):
        html = render_untrusted(markdown_text or "", footnotes=footnotes)
        texts.append(" ".join(_html_text(html).split()))
        for node in LexborHTMLParser(f"<body>{html}</body>").css("a[href]"):
            href = node.attributes.get("href") or ""
            if href and not href.startswith("#") and href not in targets:
                targets.append(href)
    return texts, targets


# A character written as a reference: ``&#49;``, ``&#x31;``, ``&commat;``. The page shows the character, the
# Markdown source does not: refused in summaries (``character_references``), except these named ones for
# characters that are awkward to type and can hide nothing.
CHARACTER_REFERENCE = re.compile(r"&(#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
TYPOGRAPHIC_REFERENCES = frozenset(
    "amp lt gt quot apos nbsp euro ndash mdash hellip lsquo rsquo sbquo ldquo rdquo bdquo laquo raquo sect para deg "
    "copy reg trade times middot bull".split()
)


def character_references(markdown_text: str) -> list[tuple[int, str]]:
    """(line number, reference) for every character reference in the text other than a typographic one."""
    found: list[tuple[int, str]] = []
    for m in CHARACTER_REFERENCE.finditer(markdown_text or ""):
        if m.group(1) not in TYPOGRAPHIC_REFERENCES:
            found.append((markdown_text.count("\n", 0, m.start()) + 1, m.group()))
    return found
