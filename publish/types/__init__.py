"""Publication types: the seam where the site learns a new kind of publication.

Like a static-site generator's content types (Pelican: one content class and one generator per
type), each module here declares one ``PublicationType``: its metadata schema (``schema.py``), the
page template, the URL prefix, the listing label and facets, the DiWoo information category and
document kind, the name of its main document and its open-data columns, plus two hooks: ``finish``
(type-specific checks after the schema, such as the inventory of a Woo decision) and ``page``
(extra context for the page template). Everything else (loading, gates, approval, embargo,
withdrawal, search, sitemaps, open data) is shared and asks the type.

Register a type by adding its module to ``_MODULES``; the registry is ``REGISTRY`` by type name.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

from .. import tooi
from ..schema import Field, Schema

DEFAULT_TYPE = "woo-besluit"


@dataclass(frozen=True)
class PublicationType:
    name: str  # the value of 'type:' in besluit.md
    label: str  # singular, Dutch: "Woo-besluit"
    plural: str  # "Woo-besluiten"
    schema: Schema
    url_prefix: str  # "besluit": pages live at besluit/<kenmerk>/
    template: str  # page template in publish/templates/
    category: str  # default DiWoo information category (TOOI short id)
    document_kind: str | None  # default DiWoo document kind of the main document
    main_title: str  # title of the main document on the page: "Besluitbrief"
    main_name: str  # file name of the main document on the site: "besluitbrief.pdf"
    date_label: str = "Datum"  # what the publication's own date is called
    facets: tuple[str, ...] = ("jaar", "organisatie", "onderwerp")
    old_prefixes: tuple[str, ...] = ()  # earlier URL prefixes: the build leaves a redirect page at each
    finish: Callable | None = None  # finish(loader, values, raw, body) -> dict of extra core values
    page: Callable | None = None  # page(view) -> extra template context
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def slug(self) -> str:
        return self.name

    def category_of(self, publication) -> tuple[str, str]:
        """(TOOI URI, label) of the publication's information category: its own choice, else the type's."""
        chosen = getattr(getattr(publication, "meta", None), "informatiecategorie", None)
        return chosen or tooi.lookup("informatiecategorie", self.category)

    def document_kind_of(self, publication) -> tuple[str, str] | None:
        chosen = getattr(getattr(publication, "meta", None), "documentsoort", None)
        if chosen:
            return chosen
        return tooi.lookup("documentsoort", self.document_kind) if self.document_kind else None

    def opendata_fields(self) -> list[Field]:
        return [f for f in self.schema.fields if f.opendata]


_MODULES = ("woo_besluit", "kamerstuk", "kamervragen", "publicatie")
REGISTRY: dict[str, PublicationType] = {}


def register(kind: PublicationType) -> PublicationType:
    REGISTRY[kind.name] = kind
    return kind


def get(name: str | None) -> PublicationType:
    return REGISTRY[name or DEFAULT_TYPE]


for _module in _MODULES:
    register(importlib.import_module(f".{_module}", __name__).TYPE)
