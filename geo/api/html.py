"""The API's HTML pages, in German and English: rendered from pygeoapi's JSON with the atlas's templates
(geo/api/templates) and texts (geo/texts/api.py).

pygeoapi's own pages load Bootstrap, Leaflet and map tiles from third-party servers, which the atlas never
does, and translate through gettext catalogues it does not ship in German; so the pages are the atlas's
own, made from the same JSON a program gets. They draw no map: each site links to its profile in the
atlas, which is the map. Everything from the data is escaped by Jinja's autoescape; a link is made only
from an http(s) address.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request

from geo.core.formatting import format_number
from geo.sites.provenance import figure_age, format_as_of
from geo.texts import LANGUAGES, t

TEMPLATE_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")
# what the items page shows of each feature (its own page shows everything)
LIST_COLUMNS = {
    "sites": ("name", "program", "municipality", "state_code", "precision", "area_available_ha"),
    "districts": ("name", "kind", "state_code", "population", "aid_area"),
    "zones": ("name", "zone_type", "districts"),
}
PAGES = {
    "landing": "landing.html",
    "collections": "collections.html",
    "collection": "collection.html",
    "items": "items.html",
    "item": "item.html",
    "queryables": "queryables.html",
    "schema": "schema.html",
    "conformance": "conformance.html",
    "openapi": "openapi.html",
}

_environment = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class PageContext:
    """Where a page is and in which language: what its links are made from."""

    root: str  # the API's address, …/api
    path: str  # the page's path below the root, e.g. /collections/sites/items
    params: dict[str, str]
    lang: str
    collection_id: str | None = None

    @classmethod
    def of(
        cls, request: Request, root: str, lang: str, params: dict[str, str], collection_id: str | None
    ) -> PageContext:
        mount = request.scope.get("root_path", "")
        path = request.url.path[len(mount) :] if request.url.path.startswith(mount) else request.url.path
        return cls(root, path, dict(params), lang, collection_id)

    @property
    def site_root(self) -> str:
        return self.root[: -len("/api")] if self.root.endswith("/api") else self.root

    def url(self, path: str | None = None, **params: object) -> str:
        """A link within the API, keeping the page's language: `url()` is this page, `url(f="json")` its JSON."""
        if path is None:
            merged = {**self.params, **{key: str(value) for key, value in params.items()}}
            path = self.path
        else:
            merged = {key: str(value) for key, value in params.items()}
        merged.setdefault("lang", self.lang)
        if merged.get("f") == "html":
            merged.pop("f")
        return f"{self.root}{path}?{urlencode(merged)}"

    def atlas(self, page: str, **params: str) -> str:
        return f"{self.site_root}/{page}?{urlencode({**params, 'lang': self.lang})}"

    @property
    def other_language(self) -> str:
        return next(lang for lang in LANGUAGES if lang != self.lang)


COUNT_PROPERTIES = ("population",)  # whole numbers shown with thousands separators (not years, not keys)
# a figure's date (`<field>_as_of`) is shown as every view shows it: written in the language, marked when old
FIGURE_DATE_SUFFIX = "_as_of"
CHECKED_DATE = "updated"  # the day a site was last checked: written in the language, not judged as a figure


def display(value: object, lang: str, name: str = "") -> str:
    """A property value as a reader sees it: figures in the language's form, lists and objects as JSON."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return format_number(value, lang) if name in COUNT_PROPERTIES else str(value)
    if isinstance(value, float):
        decimals = 0 if value.is_integer() else min(6, len(repr(value).split(".")[-1]))
        return format_number(value, lang, decimals)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if name.endswith(FIGURE_DATE_SUFFIX):
        return figure_age(value).marked_date(lang)
    if name == CHECKED_DATE:
        return format_as_of(value, lang)
    return str(value)


def is_link(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://")) and " " not in value


def _render(template: str, context: PageContext, **values: object) -> str:
    return _environment.get_template(template).render(
        page=context,
        lang=context.lang,
        t=lambda key, **kw: t(key, context.lang, **kw),
        display=lambda value, name="": display(value, context.lang, name),
        is_link=is_link,
        **values,
    )


def page(kind: str, document: dict, context: PageContext) -> str:
    """The HTML page of `kind` (landing, collections, items …) for pygeoapi's JSON `document`."""
    values: dict[str, object] = {"doc": document}
    if kind == "items":
        offset, limit = int(context.params.get("offset", 0)), len(document.get("features", []))
        requested = int(context.params.get("limit", 0) or 0) or limit
        values |= {
            "columns": LIST_COLUMNS.get(context.collection_id or "", ()),
            "offset": offset,
            "previous": max(0, offset - requested) if offset > 0 else None,
            "next": offset + requested if offset + limit < document.get("numberMatched", 0) else None,
        }
    return _render(PAGES[kind], context, **values)


def error_page(message: str, status: int, lang: str, root: str) -> str:
    context = PageContext(root, "/", {}, lang)
    return _render("error.html", context, message=message, status=int(status))
