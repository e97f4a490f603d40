"""No script runs on the site unless it is one of the site's own script files.

The site's Content-Security-Policy is ``script-src 'self'``: a browser runs scripts only from the
site's own files, never from markup in a page. That is the second line of defence. The first is this
check: every page the build writes is parsed as a browser with scripting enabled parses it (Lexbor,
the HTML standard's algorithm), and what such a policy exists to block is not published at all:

- an inline ``<script>``; JSON data blocks (``type="application/json"``, such as Material's
  ``__config``) are data a browser never runs, so the policy does not concern them and the theme may
  have them, but in a page's generated content every ``<script>`` element counts, data or not;
- an event-handler attribute (``onclick``, ``onerror``, ...);
- a ``javascript:`` (or ``vbscript:``) address in a link, form, frame, image or SVG animation;
- a ``srcdoc`` document in a frame, and a script loaded from another website.

Where it comes from decides what happens (``publish/build.py``): markup in a page's generated content
(``div.woo-page``) came from a package, whose escaping failed somewhere: that package is refused and
the others are published. Anything else came from the site's own templates, pages or settings: the
build stops and names the page and the source. The only inline scripts a site may add are those whose
SHA-256 it lists under ``extra.woo.toegestane_scripts`` in mkdocs.yml.

mkdocs-material writes a few small inline scripts itself. The site's theme replaces each of them with
a file (``publish/site/theme/partials/javascripts/*.html`` loading ``publish/site/theme/assets/woo-theme/*.js``), so the policy
needs no hash at all. ``REPLACED_THEME_PARTIALS`` is the reviewed record of what was replaced, per
mkdocs-material version; a test fails when the installed theme's partials differ from it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Container, Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from .sitefiles import PACKAGE_THEME

# The generated content of a page (publish/pages.py): everything inside comes from a package's data.
CONTENT_CLASS = "woo-page"

# <script type="..."> values a browser treats as data, never as script (HTML standard, "data block").
DATA_BLOCK_TYPES = frozenset({"application/json", "application/ld+json"})

# Attributes whose value a browser follows as an address (navigation, loading or form submission).
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "xlink:href",
        "src",
        "action",
        "formaction",
        "data",
        "poster",
        "background",
        "codebase",
        "cite",
        "longdesc",
        "lowsrc",
        "dynsrc",
    }
)
# SVG animation (<set>, <animate>) can set an href to any of these values.
ANIMATION_ATTRIBUTES = frozenset({"to", "from", "values", "by"})
SCRIPT_SCHEMES = ("javascript:", "vbscript:")

# mkdocs-material's partials with inline scripts that the site's theme replaces by script files, with
# the SHA-256 of each partial as reviewed. When mkdocs-material changes one of them, compare the new
# inline script with publish/site/theme/assets/woo-theme/*.js, update the file, then the hash and version here.
REVIEWED_MATERIAL_VERSION = "9.8.2"
REPLACED_THEME_PARTIALS = {
    "partials/javascripts/announce.html": "fbc798036968edbf0b7a35cff569cdf058eb131738ff7b8108281908affac0a6",
    "partials/javascripts/base.html": "d6113712bc4deb30b4bd810ee0dfc28b6f04d2f88cc0016c0f1766eac7b762b6",
    "partials/javascripts/consent.html": "6dc38ea451a27ffd6cf929c13f8b3eb68b44cc602145f99a6cc395a07c5638ab",
    "partials/javascripts/content.html": "3722e156f0f6339de39fbbfc178b6e401d1a4fb890f189ac5b80c2504bda7dcf",
    "partials/javascripts/outdated.html": "13165dec361fce13130f73f747aab982f7e1979608c061e5953b10286abc7447",
    "partials/javascripts/palette.html": "8790389765ea6036effddba548b15093bb05bdc75624eaeaf8b13f3c24be4ab5",
}

_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class Finding:
    """One piece of markup that would run a script."""

    kind: str  # "script", "handler", "url", "srcdoc", "extern"
    tag: str  # the element
    attribute: str  # the attribute concerned, "" for an inline script
    text: str  # the script, attribute value or address, as the browser sees it
    in_content: bool  # inside the page's generated content (div.woo-page)

    @property
    def digest(self) -> str:
        """The CSP source expression of an inline script: sha256- and the base64 digest, no quotes."""
        return "sha256-" + base64.b64encode(hashlib.sha256(self.text.encode("utf-8")).digest()).decode("ascii")

    def describe(self) -> str:
        """Dutch, for the people who read the build report."""
        shown = preview(self.text)
        tag, attribute = preview(self.tag, 30), preview(self.attribute, 30)
        if self.kind == "script":
            return f"een inline script (<script>{shown}</script>)"
        if self.kind == "handler":
            return f'een event-handler-attribuut {attribute}="{shown}" op <{tag}>'
        if self.kind == "url":
            return f'een scriptadres {attribute}="{shown}" op <{tag}>'
        if self.kind == "srcdoc":
            return f"een ingesloten document (srcdoc) op <{tag}>"
        return f'een script van een andere website (<{tag} {attribute}="{shown}">)'

    def fix(self) -> str:
        if self.kind == "script":
            return (
                "Zet het script in een eigen bestand (bijvoorbeeld site_src/assets/eigen.js) en laad het met "
                '<script src="...">; of, als dit inline script echt bedoeld is, voeg de regel '
                f"'- {self.digest}' toe onder extra.woo.toegestane_scripts in mkdocs.yml."
            )
        if self.kind == "handler":
            return "Haal het attribuut weg; koppel gedrag met addEventListener in een eigen scriptbestand van de site."
        if self.kind == "url":
            return "Verwijs naar een gewone pagina of een bestand; gedrag hoort in een eigen scriptbestand van de site."
        if self.kind == "srcdoc":
            return "Haal het srcdoc-attribuut weg; toon inhoud als gewone pagina van de site."
        return "Zet het script als bestand op de site zelf (site_src/assets/); de site laadt niets van andere websites."


def preview(text: str, limit: int = 60) -> str:
    """A short, single-line, printable excerpt for a message."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _address(value: str) -> str:
    """An attribute value as a URL parser reads it: tabs and newlines dropped, controls and spaces trimmed."""
    return re.sub(r"[\t\n\r]", "", value).strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )


def _runs_script(value: str) -> bool:
    return _address(value).lower().startswith(SCRIPT_SCHEMES)


def _elsewhere(value: str) -> bool:
    """An address on another host: a scheme (https:, data:, ...) or a network path (//host, /\\host)."""
    address = _address(value)
    return bool(_SCHEME.match(address)) or (len(address) > 1 and address[0] in "/\\" and address[1] in "/\\")


def _in_content(node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "div" and CONTENT_CLASS in (parent.attributes.get("class") or "").split():
            return True
        parent = parent.parent
    return False


def _element_findings(node, every_script: bool) -> list[tuple[str, str, str]]:
    tag = node.tag or ""
    attributes = node.attributes
    found = []
    if tag == "script":
        source = next((attributes[a] for a in ("src", "href", "xlink:href") if a in attributes), None)
        if source is not None:
            if every_script:
                found.append(("script", "src", source or ""))
            elif _elsewhere(source or ""):
                found.append(("extern", "src", source or ""))
        else:
            kind = (attributes.get("type") or "").strip().lower()
            if every_script or kind not in DATA_BLOCK_TYPES:
                found.append(("script", "", node.text(deep=True)))
    for name, value in attributes.items():
        lower = name.lower()
        if lower.startswith("on"):
            found.append(("handler", name, value or ""))
        elif (lower in URL_ATTRIBUTES or lower in ANIMATION_ATTRIBUTES) and value and _runs_script(value):
            found.append(("url", name, value))
        elif lower == "srcdoc":
            found.append(("srcdoc", name, value or ""))
        elif (
            lower == "content"
            and tag == "meta"
            and (attributes.get("http-equiv") or "").strip().lower() == "refresh"
            and value
            and re.search(r"(?i)url\s*=\s*['\"]?\s*(javascript|vbscript):", _address(value))
        ):
            found.append(("url", name, value))
    return found


def scan_html(html: str, every_script: bool = False) -> list[Finding]:
    """Everything in a page (or a page's generated content) that would run a script, in document order.

    ``every_script``: also report ``<script src>`` and JSON data blocks; generated content has none.
    """
    parser = LexborHTMLParser(html, scripting=True)
    findings = []
    roots = [parser.root]  # the document, then the content of each <template>, nested ones too
    while roots:
        root = roots.pop(0)
        if root is None:
            continue
        for node in root.traverse(include_text=False):
            if not node.is_element_node:
                continue
            for kind, attribute, text in _element_findings(node, every_script):
                findings.append(Finding(kind, node.tag or "", attribute, text, _in_content(node)))
            if node.tag == "template":
                roots += node.template_fragments()
    return findings


# -- where a finding comes from -------------------------------------------------------------------

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".svg")  # documents a browser can open, so can run script in


@dataclass
class Check:
    """The verdict on a set of pages."""

    blamed: dict[str, list[tuple[str, Finding]]] = field(default_factory=dict)  # package -> (page, finding)
    problems: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)  # (what, source, fix) -> pages
    script_hashes: list[str] = field(default_factory=list)  # allowed inline scripts that are on a page

    def blame(self, package: str, page: str, finding: Finding) -> None:
        self.blamed.setdefault(package, []).append((page, finding))

    def problem(self, page: str, finding: Finding, source: str, fix: str) -> None:
        self.problems.setdefault((finding.describe(), source, fix), []).append(page)

    @property
    def unattributed(self) -> list[str]:
        """Dutch messages, one per piece of markup and source, naming the pages it is on."""
        return [
            f"FOUT {pages_text(pages)}: {what}, uit {preview(source, 200)}. Zo'n script wordt niet gepubliceerd: "
            f"de Content-Security-Policy staat alleen de eigen scriptbestanden van de site toe.\n    Oplossing: {fix}"
            for (what, source, fix), pages in self.problems.items()
        ]


def pages_text(pages: list[str], shown: int = 3) -> str:
    """'pagina a' or 'pagina's a, b, c en 12 andere', printable."""
    names = [preview(p, 200) for p in dict.fromkeys(pages)]
    if len(names) == 1:
        return f"pagina {names[0]}"
    rest = len(names) - shown
    listed = ", ".join(names[:shown])
    return f"pagina's {listed} en {rest} andere" if rest > 0 else f"pagina's {listed}"


def _strings(value, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(value)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            _strings(getattr(value, f.name), out)
    elif isinstance(value, dict):
        for k, v in value.items():
            _strings(k, out)
            _strings(v, out)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            _strings(v, out)


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


class PackageTexts:
    """All text of a package (metadata, inventory, history), to tell which package a finding on a page
    that shows several packages comes from."""

    def __init__(self, packages: dict):
        self.packages = packages
        self.cache: dict[str, str] = {}

    def text(self, name: str) -> str:
        if name not in self.cache:
            result = self.packages.get(name)
            found: list[str] = []
            if result is not None:
                from .model import SpilledDecision

                if isinstance(result.decision, SpilledDecision):  # issue 19: its text is on disk; never attribute on a part
                    raise TypeError(f"het besluit van {name} is niet geladen voor de scriptcontrole")
                _strings(result.decision, found)
                _strings(getattr(result, "history", []), found)
            self.cache[name] = _flat("\n".join(found))
        return self.cache[name]

    def showing(self, names: tuple[str, ...], finding: Finding, only_one_is_enough: bool = True) -> list[str]:
        """The packages among ``names`` that the finding comes from. A page that shows one package's data
        before mkdocs has nothing else in its content; after mkdocs (a Markdown extension of the site
        could add markup) the package's own text must hold the finding too."""
        if len(names) == 1 and only_one_is_enough:
            return list(names)
        needle = _flat(finding.text)
        if len(needle) < 4:  # too short to recognise: look for the markup itself
            needle = "<script" if finding.kind == "script" else finding.attribute.lower()
        return [name for name in names if needle and needle in self.text(name)]


def check_generated(pages, packages: dict) -> Check:
    """The generated content of each page, before mkdocs: any script markup in a page that shows package
    data comes from a package (the templates that make these pages hold none)."""
    checker = GeneratedCheck(packages)
    for page in pages:
        checker.add(page)
    return checker.check


class GeneratedCheck:
    """``check_generated`` one page at a time, as the pages are made (the build lets each page go once
    it is written and checked)."""

    def __init__(self, packages: dict, clean: Container[str] = frozenset(), found: Any = None):
        self.check = Check()
        self.texts = PackageTexts(packages)
        # Issue 19: the SHA-256 of page bodies an earlier build scanned and found without any script
        # markup (the scan is a function of the body alone); ``found_clean`` collects this build's (a set,
        # or ``found``: anything with ``add``, such as the on-disk record of publish/incremental.py).
        self.clean_before = clean
        self.found_clean = found if found is not None else set()

    def add(self, page) -> None:
        if not page.packages:
            return
        known = getattr(page, "clean_digest", "")
        if known:  # found clean as it came from the page cache (pagecache.clean_digest): the same test, done once
            self.found_clean.add(known)
            return
        digest = hashlib.sha256(page.body.encode("utf-8", "surrogatepass")).hexdigest()
        if digest in self.clean_before:
            self.found_clean.add(digest)
            return
        findings = scan_html(page.body, every_script=True)
        if not findings:
            self.found_clean.add(digest)
        for finding in findings:
            names = self.texts.showing(page.packages, finding)
            if not names:
                self.check.problem(
                    page_path(page.url),
                    finding,
                    "de gegenereerde inhoud, niet tot één pakket te herleiden",
                    "Meld dit aan de ontwikkelaars: de pagina toont gegevens van meerdere pakketten.",
                )
            for name in names:
                self.check.blame(name, page_path(page.url), finding)


def _detail_page(rel: str) -> bool:
    return "/document/" in rel or "/inventaris/" in rel


def page_path(url: str) -> str:
    """The file a generated page (publish/pages.py, URLs ending in /) is written to."""
    return url + "index.html" if url.endswith("/") or not url else url


def check_site(site, site_dir: Path, pages, static: dict[str, str], packages: dict, clean=()) -> Check:
    """Every page of the built site. ``static``: the site's own files by their place in the output.
    ``clean``: pages (site-relative) whose exact bytes were scanned when they were rendered and hold no
    script markup at all (issue 19: the render cache records it), so scanning them again finds nothing."""
    check = Check()
    texts = PackageTexts(packages)
    from .compact import PageOwners

    # The packages each generated page shows, by the file it is written to (issue 19: compact.PageOwners in the build).
    generated = pages if isinstance(pages, PageOwners) else {page_path(p.url): p.packages for p in pages}
    allowed = set(site.inline_scripts)
    used: set[str] = set()
    sources = None
    # A decision's document and inventory pages after the other pages, so a message names its main pages first.
    for rel in _pages_in(site_dir):
        if rel in clean:
            continue
        path = site_dir / rel
        text = path.read_text(encoding="utf-8", errors="replace")
        for finding in scan_html(text):
            shows = generated.get(rel)
            if shows and finding.in_content:
                names = texts.showing(shows, finding, only_one_is_enough=False)
                for name in names:
                    check.blame(name, rel, finding)
                if names:
                    continue
            if finding.kind == "script" and finding.digest in allowed:
                used.add(finding.digest)
                continue
            sources = sources or _SourceFinder(site)
            check.problem(rel, finding, sources.find(rel, finding, static), finding.fix())
    check.script_hashes = sorted(used)
    return check


def _pages_in(site_dir: Path) -> Iterator[str]:
    """The pages of the built site (site-relative), as ``sorted(rglob)`` orders them with a decision's
    document and inventory pages last. Issue 19 (mem12): given as they are found, not collected and sorted: a walk
    that visits each folder's entries sorted by name gives them in the order of their lists of parts, and a second
    walk gives the document and inventory pages (the folders ``document`` and ``inventaris`` below the top) after the
    others. Only one folder's names are held at a time (not a string and a sort key per page of the archive)."""
    yield from _walk_pages(os.fspath(site_dir), "", detail=False)
    yield from _walk_pages(os.fspath(site_dir), "", detail=True)


_DETAIL_FOLDERS = ("document", "inventaris")


def _walk_pages(folder: str, base: str, detail: bool, inside: bool = False) -> Iterator[str]:
    """The pages under ``folder`` (site-relative names under ``base``), in the order of their lists of parts: with
    ``detail`` only those in a detail folder (``_detail_page``), else only the others. ``inside``: ``folder`` is in one.
    As ``os.walk`` did: a link to a folder is not followed, a link to a file is a page when it points at a file."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(((e.name, e) for e in listing), key=lambda pair: pair[0])
    except OSError:
        return
    for name, entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        rel = f"{base}/{name}" if base else name
        if is_dir:
            if entry.is_symlink():
                continue
            below = inside or (bool(base) and name in _DETAIL_FOLDERS)
            if below and not detail and not inside:
                continue  # every page below is a detail page: the second walk gives them
            yield from _walk_pages(entry.path, rel, detail, below)
        elif inside == detail and name.lower().endswith(PAGE_SUFFIXES) and os.path.isfile(entry.path):
            yield rel


class _SourceFinder:
    """Which of the site's files (its pages in site_src, its theme overrides, mkdocs.yml) or of
    mkdocs-material's templates holds the markup of a finding."""

    def __init__(self, site):
        self.site = site
        self.texts: dict[Path, str] = {}
        self.found: dict[tuple, str] = {}
        root = site.path.parent
        self.candidates: list[tuple[Path, str]] = []
        if site.custom_dir is not None and site.custom_dir.is_dir():
            self.candidates += [(p, self._name(p, root)) for p in sorted(site.custom_dir.rglob("*")) if p.is_file()]
        # The theme overrides that come with woo-publicatie, under the site's own (publish/sitefiles.py).
        self.candidates += [(p, str(p)) for p in sorted(PACKAGE_THEME.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
        self.candidates.append((site.path, self._name(site.path, root)))
        try:
            import material

            templates = Path(material.__file__).parent / "templates"
            version = _material_version()
            self.candidates += [
                (p, f"mkdocs-material {version}: {p.relative_to(templates).as_posix()}")
                for p in sorted(templates.rglob("*.html"))
            ]
        except ImportError:  # pragma: no cover - mkdocs-material is a dependency
            pass

    @staticmethod
    def _name(path: Path, root: Path) -> str:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def _read(self, path: Path) -> str:
        if path not in self.texts:
            try:
                self.texts[path] = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                self.texts[path] = ""
        return self.texts[path]

    def find(self, page: str, finding: Finding, static: dict[str, str]) -> str:
        key = (finding.kind, finding.attribute, finding.text, static.get(page))
        if key not in self.found:
            self.found[key] = self._find(page, finding, static)
        return self.found[key]

    def _find(self, page: str, finding: Finding, static: dict[str, str]) -> str:
        if finding.attribute and finding.kind != "extern":
            value = finding.text
            needles = [f'{finding.attribute}="{value}"', f"{finding.attribute}='{value}'", f"{finding.attribute}={value}"]
        else:
            lines = [line.strip() for line in finding.text.splitlines() if line.strip()]
            needles = [(lines[0] if lines else "")[:80]]
        needles += [n[:80] for n in (finding.text.strip(),) if len(n) >= 8]
        own = static.get(page)
        candidates = list(self.candidates)
        if own is not None:
            candidates.insert(0, (self.site.path.parent / own, own))
        for needle in needles:
            if len(needle) < 4:
                continue
            for path, name in candidates:
                if needle in self._read(path):
                    return name
        others = "de eigen sjablonen van de site (theme/ of theme.custom_dir) of mkdocs.yml"
        return f"{own}, {others}" if own is not None else others


def _material_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mkdocs-material")
    except PackageNotFoundError:  # pragma: no cover
        return "?"
