"""Woo-index sitemaps: DiWoo metadata (0.9.8) for every published PDF, validated offline.

The national Woo-index harvests an organisation's own site through sitemap index files named per
information category (14 is "Woo-verzoeken en -besluiten"); each publication is listed under its
type's category or the one its package chose (``publish/types/``, ``tooi.py``). Every generated file is
validated against the sitemaps.org and DiWoo schemas kept in ``data/schemas`` (the remote MDTO
import is resolved to the local copy): an invalid file fails the build instead of being published.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from . import urls
from .sitemaps import Sink
from .tooi import infocat

SCHEMAS = Path(__file__).parent / "data" / "schemas"
MDTO_URL = "https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd"
INDEX_NAME = urls.diwoo_index("014")  # Woo-verzoeken en -besluiten; other categories: see publish/types/
ESTABLISHED = ("https://identifier.overheid.nl/tooi/def/thes/kern/c_641ecd76", "vaststelling")
DUTCH = ("http://publications.europa.eu/resource/authority/language/NLD", "Nederlands")
PDF = ("http://publications.europa.eu/resource/authority/file-type/PDF", "pdf")
WITHDRAWN = ("https://identifier.overheid.nl/tooi/def/thes/kern/c_098c1346", "correctie privacygevoelige gegevens")
MAX_URLS = 50_000
MAX_BYTES = 45 * 1024 * 1024  # below the protocol's 50 MB, with room for the closing tags
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:diwoo="https://standaarden.overheid.nl/diwoo/metadata/"'


class InvalidSitemap(Exception):
    """A generated file does not validate: a bug or a wrong setting, never published."""


class _LocalResolver(etree.Resolver):
    def resolve(self, url, pubid, context):
        if url == MDTO_URL or url.endswith("MDTO-XML1.0.1.xsd"):
            return self.resolve_filename(str(SCHEMAS / "MDTO-XML1.0.1.xsd"), context)
        name = Path(url).name
        if (SCHEMAS / name).is_file():
            return self.resolve_filename(str(SCHEMAS / name), context)
        return None


@lru_cache(maxsize=2)
def _schema(kind: str) -> etree.XMLSchema:
    root = "sitemap.xsd" if kind == "urlset" else "siteindex.xsd"
    ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    wrapper = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="{ns}" schemaLocation="{(SCHEMAS / root).as_uri()}"/>
  <xs:import namespace="https://standaarden.overheid.nl/diwoo/metadata/" schemaLocation="{(SCHEMAS / "diwoo-metadata.xsd").as_uri()}"/>
</xs:schema>"""
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalResolver())
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser, base_url=(SCHEMAS / "wrapper.xsd").as_uri()))


def validate(xml: str, kind: str) -> list[str]:
    """Problems of one generated file against its schema; [] when valid. Issue 19: validated while it is
    parsed (``_streamed_problem``), so a sitemap file of up to 45 MB never becomes a whole tree in memory;
    only a file found invalid is parsed whole again, for the line numbers of its problems."""
    streamed = _streamed_problem(xml, kind)
    if streamed is None:
        return []
    schema = _schema(kind)
    try:
        document = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(no_network=True))
    except etree.XMLSyntaxError:
        return [streamed]
    if schema.validate(document):
        return [streamed]
    return [f"regel {e.line}: {e.message}" for e in schema.error_log]


def validate_file(path: Path, kind: str) -> list[str]:
    """``validate`` for a file on disk (issue 19: the build writes the sitemaps as a stream): read and validated a
    slice at a time; only a file found invalid is read whole, for the line numbers of its problems."""
    parser = _pull_parser(kind)
    try:
        with open(path, "rb") as handle:
            while data := handle.read(STREAM_SLICE):
                parser.feed(data)
                _let_go(parser)
        parser.close()
        _let_go(parser)
    except etree.XMLSyntaxError:
        return validate(Path(path).read_bytes().decode("utf-8", "replace"), kind)
    return []


STREAM_SLICE = 1 << 20  # characters fed to the validating parser at a time
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _streamed_problem(xml: str, kind: str) -> str | None:
    """The first problem of ``xml`` against its schema, None when valid: a pull parser validates as it reads
    slices of the file (libxml2's streaming schema validation), and each ``<url>``/``<sitemap>`` entry is let
    go once it is read, so memory stays at one slice and one entry whatever the file's size."""
    parser = _pull_parser(kind)
    try:
        for start in range(0, len(xml), STREAM_SLICE):
            parser.feed(xml[start : start + STREAM_SLICE].encode("utf-8"))
            _let_go(parser)
        parser.close()
        _let_go(parser)
    except etree.XMLSyntaxError as exc:
        return str(exc) or "het bestand is geen geldige XML"
    return None


def _pull_parser(kind: str):
    return etree.XMLPullParser(
        events=("end",), tag=(_SITEMAP_NS + "url", _SITEMAP_NS + "sitemap"), schema=_schema(kind), no_network=True
    )


def _let_go(parser) -> None:
    for _, element in parser.read_events():
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)


@dataclass
class Publisher:
    tooi: str
    name: str


def _org(tag: str, resource: str, label: str) -> str:
    return f"<diwoo:{tag} resource={quoteattr(resource)}>{escape(label)}</diwoo:{tag}>"


def _document(base: str, publisher: Publisher, responsible: str | None, view, f, withdrawn: str | None = None) -> str:
    d = view.decision
    letter = view.main_files[0]
    category, kind = view.category, view.document_kind
    parts = ["<diwoo:Document><diwoo:DiWoo>"]
    identifiers = [d.kenmerk] if f is letter else [f"{d.kenmerk}/{f.nr}" if f.nr else f"{d.kenmerk}/{f.url.rsplit('/', 1)[1]}"]
    parts.append(
        "<diwoo:identifiers>"
        + "".join(f"<diwoo:identifier>{escape(i)}</diwoo:identifier>" for i in identifiers)
        + "</diwoo:identifiers>"
    )
    parts.append(_org("publisher", publisher.tooi, publisher.name))
    if responsible:
        parts.append(_org("verantwoordelijke", responsible, d.organisation))
    title = d.title if f is letter else f.title
    parts.append(f"<diwoo:titelcollectie><diwoo:officieleTitel>{escape(title)}</diwoo:officieleTitel></diwoo:titelcollectie>")
    classes = f"<diwoo:informatiecategorieen>{_org('informatiecategorie', *category)}</diwoo:informatiecategorieen>"
    if f is letter and kind:
        classes += f"<diwoo:documentsoorten>{_org('documentsoort', *kind)}</diwoo:documentsoorten>"
    parts.append(f"<diwoo:classificatiecollectie>{classes}</diwoo:classificatiecollectie>")
    if f.date is not None:
        parts.append(f"<diwoo:creatiedatum>{f.date.isoformat()}</diwoo:creatiedatum>")
    parts.append(_org("language", *DUTCH))
    parts.append(_org("format", *PDF))
    if f is letter:
        others = [x for x in view.files if x is not letter]
        if others:
            parts.append(
                "<diwoo:hasParts>"
                + "".join(f"<diwoo:hasPart resource={quoteattr(base + x.url)}>{escape(x.title)}</diwoo:hasPart>" for x in others)
                + "</diwoo:hasParts>"
            )
    else:
        parts.append(f"<diwoo:isPartOf resource={quoteattr(base + letter.url)}>{escape(d.title)}</diwoo:isPartOf>")
    parts.append(
        "<diwoo:documenthandelingen><diwoo:documenthandeling>"
        f"{_org('soortHandeling', *ESTABLISHED)}<diwoo:atTime>{d.decision_date.isoformat()}T00:00:00</diwoo:atTime>"
        "</diwoo:documenthandeling></diwoo:documenthandelingen>"
    )
    if withdrawn:
        parts.append(_org("redenVerwijderingVervanging", WITHDRAWN[0], withdrawn))
    parts.append("</diwoo:DiWoo></diwoo:Document>")
    return "".join(parts)


def index_names(files: Iterable[str]) -> list[str]:
    """The sitemap index files among ``build_diwoo``'s output (one per information category)."""
    return sorted(name for name in files if name.startswith("sitemapindex-"))


def build_diwoo(
    base: str, publisher: Publisher, organisations: dict[str, str], views, withdrawn: Sequence[tuple] = ()
) -> dict[str, str]:
    """{path under the site root: XML} for the sitemap indexes and their sitemap files (in memory: tests).

    ``withdrawn``: (view-like, file-like, reason, lastmod) for documents that were withdrawn and
    still carry the reason field until they drop out.
    """
    return dict(iter_diwoo(base, publisher, organisations, views, withdrawn))


def _sorted_entries(entries: list) -> list:
    """By address and date, as the (address, date, metadata) tuples sort; the metadata is made only to
    order entries with the same address and date (rare: a withdrawn document at a published address)."""
    entries.sort(key=lambda e: (e[0], e[1]))
    out, i = [], 0
    while i < len(entries):
        j = i + 1
        while j < len(entries) and entries[j][:2] == entries[i][:2]:
            j += 1
        run = entries[i:j]
        if len(run) > 1:
            run = [(loc, mod, lambda xml=xml: xml) for loc, mod, xml in sorted((loc, mod, doc()) for loc, mod, doc in run)]
        out += run
        i = j
    return out


def view_documents(base: str, publisher: Publisher, organisations: dict[str, str], view) -> list[str]:
    """The DiWoo metadata of each of a publication's files, in the order of ``view.files`` (issue 19:
    cached per decision, publish/pagecache.py)."""
    responsible = organisations.get(view.decision.organisation)
    return [_document(base, publisher, responsible, view, f) for f in view.files]


def documents_fit(documents, view) -> bool:
    """Whether cached ``view_documents`` have the right shape for ``view`` (one DiWoo document per file)."""
    return (
        isinstance(documents, list)
        and len(documents) == view.file_count
        and all(
            isinstance(d, str) and d.startswith("<diwoo:Document><diwoo:DiWoo>") and d.endswith("</diwoo:DiWoo></diwoo:Document>")
            for d in documents
        )
    )


class _OneView:
    """The documents of one publication at a time, for entries that ask for them one file at a time."""

    def __init__(self, documents: Callable[[object], list[str]]):
        self.documents, self.view = documents, None
        self.texts: list[str] = []

    def __call__(self, view, index: int) -> str:
        if view is not self.view:
            self.view, self.texts = None, self.documents(view)
            self.view = view
        return self.texts[index]


def _part_head() -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {NS}>\n'


def write_diwoo(
    base: str,
    publisher: Publisher,
    organisations: dict[str, str],
    views,
    withdrawn: Sequence[tuple] = (),
    documents: Callable[[object], list[str]] | None = None,
    open_file: Callable[[str, str], Sink] | None = None,
    max_urls: int = MAX_URLS,
    max_bytes: int = MAX_BYTES,
) -> list[str]:
    """Write every information category's sitemap files, then its sitemap index; the names of the indexes.

    Issue 19: a category's entries are split per month of their ``lastmod`` (the publication date; for a withdrawal
    notice the date of the withdrawal), into ``sitemaps/diwoo-infocatNNN-JJJJ-MM-N.xml``, numbered on only when a
    month does not fit one file (``max_urls``, ``max_bytes``): a change to one decision rewrites its month's file and
    the category's index, not the files of every other month. Within a month the entries are ordered by address
    (and date, and metadata). Each file is written as a stream (``open_file(name, kind)``, ``kind`` "urlset" or
    "sitemapindex": the caller validates it, see ``validate_file``); held at a time: the decisions of the
    archive by month (references), one month's entries (address, date and a function that makes the metadata)
    and one decision's metadata. ``documents(view)``: each file's metadata as ``view_documents`` gives it (e.g.
    from the cache)."""
    from .sitemaps import CappedFiles

    if open_file is None:
        raise ValueError("write_diwoo needs open_file")
    full = getattr(views, "full", None) or (lambda v: v)  # issue 19: summaries (pages.Views) or full views
    one = _OneView(documents or (lambda v: view_documents(base, publisher, organisations, full(v))))
    groups: dict[str, dict[str, tuple[list, list]]] = {}  # infocat number -> month -> (views, withdrawn)
    for v in views:
        month = v.decision.publication_date.isoformat()[:7]
        groups.setdefault(infocat(v.category[0]), {}).setdefault(month, ([], []))[0].append(v)
    for w in withdrawn:
        groups.setdefault(infocat(w[0].category[0]), {}).setdefault(w[3][:7], ([], []))[1].append(w)
    indexes = []
    for number in sorted(groups):
        months = groups.pop(number)
        children: list[tuple[str, str]] = []
        for month in sorted(months):
            published, notices = months.pop(month)
            entries: list[tuple[str, str, Callable[[], str]]] = []
            for v in published:
                lastmod = v.decision.publication_date.isoformat()
                for i, f in enumerate(full(v).files):  # the entry holds the summary, not the full view
                    entries.append((base + f.url, lastmod, partial(one, v, i)))
            for v, f, reason, lastmod in notices:
                responsible = organisations.get(v.decision.organisation)
                entries.append((base + f.url, lastmod, partial(_document, base, publisher, responsible, v, f, reason)))
            files = CappedFiles(
                partial(urls.diwoo_sitemap, number, month),
                lambda name: open_file(name, "urlset"),
                _part_head(),
                "</urlset>\n",
                0,
                max_urls,
                max_bytes,
            )
            for loc, lastmod, document in _sorted_entries(entries):
                files.add(f"<url><loc>{escape(loc)}</loc><lastmod>{lastmod}</lastmod>{document()}</url>\n".encode(), lastmod)
            children += files.finish()
            del entries
        if len(children) > MAX_URLS:
            raise ValueError("more DiWoo sitemaps in one category than one sitemap index may list")
        index = ['<?xml version="1.0" encoding="UTF-8"?>', '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        for name, newest in children:
            mod = f"<lastmod>{newest}</lastmod>" if newest else ""
            index.append(f"  <sitemap><loc>{escape(base + name)}</loc>{mod}</sitemap>")
        index.append("</sitemapindex>")
        name = urls.diwoo_index(number)
        sink = open_file(name, "sitemapindex")
        sink.write(("\n".join(index) + "\n").encode("utf-8"))
        sink.close()
        indexes.append(name)
    return indexes


def iter_diwoo(
    base: str,
    publisher: Publisher,
    organisations: dict[str, str],
    views,
    withdrawn: Sequence[tuple] = (),
    documents: Callable[[object], list[str]] | None = None,
    max_urls: int = MAX_URLS,
    max_bytes: int = MAX_BYTES,
) -> Iterator[tuple[str, str]]:
    """(name, XML) of every file ``write_diwoo`` writes, made in memory and validated (tests and small callers; the
    build writes them as a stream and validates each file from disk)."""
    from .sitemaps import Buffers

    buffers = Buffers()
    kinds: dict[str, str] = {}

    def open_file(name: str, kind: str) -> Sink:
        kinds[name] = kind
        return buffers(name)

    write_diwoo(base, publisher, organisations, views, withdrawn, documents, open_file, max_urls, max_bytes)
    for name, data in buffers.files.items():
        xml = data.decode("utf-8")
        problems = validate(xml, kinds[name])
        if problems:
            raise InvalidSitemap(f"{name} is ongeldig volgens het DiWoo-/sitemapschema: {problems[0]}")
        yield name, xml
