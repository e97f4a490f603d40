"""Every site-relative URL and output path, in one place (like datasette's ``url_builder``).

Pages, templates (as ``urls``), search, sitemaps, open data and the build ask this module; nothing
else spells a path. URLs are site-relative (no leading '/'); folders end with '/'. A publication's
folder is its type's URL prefix plus the slug of its kenmerk, so every URL published so far
(``besluit/<kenmerk>/``, ``document-*.pdf``, the ZIP, CSV and sitemaps) stays where it was.
"""

from __future__ import annotations

from .slugs import facet_slug, slugify

HOME = ""
LISTING = "besluiten/"
GROUNDS = "gronden/"
SEARCH = "zoeken/"
SEARCH_INDEX = "zoeken/index/"
STATISTICS = "statistieken/"
ACCESSIBILITY = "toegankelijkheid/"
DATA_JSON = "data.json"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
DEFAULT_PREFIX = "besluit"

LETTER_NAME = "besluitbrief.pdf"
INVENTORY_CSV = "inventaris.csv"
INVENTORY_XLSX = "inventaris.xlsx"
DOCUMENTS_ZIP = "documenten.zip"


def publication(slug: str, prefix: str = DEFAULT_PREFIX) -> str:
    """The folder of one publication, e.g. ``besluit/2024-0000034173/``."""
    return f"{prefix}/{slug}/"


def publication_of(kenmerk: str, prefix: str = DEFAULT_PREFIX) -> str:
    return publication(slugify(kenmerk), prefix)


def in_publication(base: str, name: str) -> str:
    """A file inside a publication's folder."""
    return base + name


def letter(base: str, name: str = LETTER_NAME) -> str:
    return base + name


def annex(base: str, number: int) -> str:
    return f"{base}bijlage-{number}.pdf"


def document_anchor(nr: str) -> str:
    """The name a document's number gives its addresses (``document-<anchor>.pdf``, ``document/<anchor>/``): ``B``,
    ``b`` and ``b.`` give the same one. Validation refuses an inventory where two numbers give the same name."""
    return slugify(nr)


def document_anchors(numbers) -> list[str]:
    """The address name of each inventory row, from ``(nr, row number)`` pairs in inventory order: unique by
    construction and deterministic. A name already taken gets ``-rij-<row number>``, and then ``-2``, ``-3``, ...
    while that is taken too (another row may be numbered ``b-rij-4``)."""
    used: set[str] = set()
    out = []
    for nr, row_number in numbers:
        anchor = document_anchor(nr)
        if anchor in used:
            anchor = candidate = f"{anchor}-rij-{row_number}"
            extra = 1
            while anchor in used:
                extra += 1
                anchor = f"{candidate}-{extra}"
        used.add(anchor)
        out.append(anchor)
    return out


def document_address_clashes(numbers) -> list[tuple[tuple[str, int], tuple[str, int]]]:
    """Pairs of ``(nr, row number)`` whose different numbers give the same address name (each later row with the
    first row that has its name); equal numbers are another problem (reported as such) and left out."""
    first: dict[str, tuple[str, int]] = {}
    seen: set[str] = set()
    clashes = []
    for nr, row_number in numbers:
        if not nr or nr in seen:
            continue
        seen.add(nr)
        anchor = document_anchor(nr)
        earlier = first.setdefault(anchor, (nr, row_number))
        if earlier[0] != nr:
            clashes.append((earlier, (nr, row_number)))
    return clashes


def document(base: str, anchor: str) -> str:
    return f"{base}document-{anchor}.pdf"


def document_page(base: str, anchor: str) -> str:
    """The page of one document, e.g. ``besluit/2024-1/document/12/`` (its PDF stays ``document-12.pdf``)."""
    return f"{base}document/{anchor}/"


def inventory_page(base: str, number: int) -> str:
    """Page ``number`` of a publication's static inventory list; page 1 is the publication's page itself."""
    return base if number == 1 else f"{base}inventaris/{number}/"


def inventory_json(base: str) -> str:
    """The inventory rows as compact JSON, loaded by the filter on the publication's page."""
    return base + "inventaris.json"


def inventory_csv(base: str) -> str:
    return base + INVENTORY_CSV


def inventory_xlsx(base: str) -> str:
    return base + INVENTORY_XLSX


def documents_zip(base: str) -> str:
    return base + DOCUMENTS_ZIP


def facet(key: str, label: str) -> str:
    """A filtered listing, e.g. ``besluiten/jaar/2024/``: one page per label meaning (``slugs.facet_slug``;
    "Zorg" and "zorg!" share one, "日本" and "中文" do not)."""
    return f"{LISTING}{key}/{facet_slug(label)}/"


def facet_index(key: str) -> str:
    """Every value of one facet, e.g. ``besluiten/zaak/`` (issue 19: listing pages show only the top ones)."""
    return f"{LISTING}{key}/"


def listing_page(base: str, number: int) -> str:
    """Page ``number`` of a paged index counted from the listing itself (page 1), e.g. a facet's values
    (``besluiten/zaak/pagina/2/``). Lists of decisions use ``archive_page``."""
    return base if number == 1 else f"{base}pagina/{number}/"


def archive_page(base: str, number: int) -> str:
    """Page ``number`` of the older decisions of a listing or ground, counted from the oldest (issue 19, stable
    listing pages): ``besluiten/pagina/1/`` holds the oldest, and a page keeps its address and its decisions as
    newer ones are published. The listing itself (``base``) shows the newest (publish/pages.py, ``stable_blocks``)."""
    return f"{base}pagina/{number}/"


def archive_pages(base: str) -> str:
    """Every older page of a listing or ground with the dates it holds (``besluiten/pagina/``): the pager skips
    the middle pages, and a reader who shortens an address to this one finds them here instead of a 404."""
    return f"{base}pagina/"


def ground(ground_slug: str) -> str:
    return f"{GROUNDS}{ground_slug}/"


def type_data(type_slug: str) -> str:
    """The index of a type's open data (its parts per month, JSON and CSV)."""
    return f"data/{type_slug}.json"


def type_csv(type_slug: str) -> str:
    """The index of a type's CSV parts, as CSV."""
    return f"data/{type_slug}.csv"


DATA_ALL = "alles"  # the folder of data.json's parts: no type has this slug (publish/types/)


def data_part(month: str, number: int) -> str:
    """Part ``number`` of the open data of the month ``JJJJ-MM`` (indexed by ``data.json``). Every part is in a
    folder below ``data/``, every index is ``data.json`` or directly in ``data/``: a sync can put the parts in
    place before the indexes that name them (docs/beheer.md)."""
    return f"data/{DATA_ALL}/{month}-{number}.json"


def type_data_part(type_slug: str, month: str, number: int) -> str:
    return f"data/{type_slug}/{month}-{number}.json"


def type_csv_part(type_slug: str, month: str, number: int) -> str:
    return f"data/{type_slug}/{month}-{number}.csv"


def diwoo_index(infocat: str) -> str:
    """The Woo-index sitemap index of one information category (``014`` is Woo-verzoeken)."""
    return f"sitemapindex-diwoo-infocat{infocat}.xml"


def diwoo_sitemap(infocat: str, month: str, number: int) -> str:
    """A sitemap file of a category's sitemap index (publish/diwoo.py): its entries of one month (``2024-03``),
    numbered on (``-1``, ``-2``, ...) only when the month does not fit one file."""
    return f"sitemaps/diwoo-infocat{infocat}-{month}-{number}.xml"


def site_sitemap(group: str, number: int) -> str:
    """A child sitemap of ``sitemap.xml`` (publish/sitemaps.py): ``algemeen`` or a month such as ``2024-03``."""
    return f"sitemap/{group}-{number}.xml"


def absolute(base_url: str, url: str) -> str:
    return base_url + url


def redirect_page(target_from_here: str, title: str) -> str:
    """A static page that sends visitors (and search engines, via canonical) from an old address on."""
    from markupsafe import escape

    href = escape(target_from_here)
    return (
        '<!doctype html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f'<title>Verplaatst: {escape(title)}</title>\n<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{href}">\n<meta http-equiv="refresh" content="0; url={href}">\n</head>\n'
        f'<body>\n<p>Deze pagina is verplaatst naar <a href="{href}">{escape(title)}</a>.</p>\n</body>\n</html>\n'
    )
