"""Every page that is not an entity page, one module per family, in the order they are
rendered."""

from __future__ import annotations

from collections.abc import Callable

from ..renderer import Page, Renderer
from .access import downloads_page, query_page
from .browse import (
    class_pages,
    home_page,
    not_found_page,
    search_page,
    sitemap_pages,
    timeline_pages,
)
from .reports import translation_pages, validation_pages
from .shared import Found, Index
from .vocabulary import ontology_page, shapes_page

# Every kind of index page, in the order they are rendered.
PAGE_KINDS: tuple[Callable[[Index], list[Page]], ...] = (
    home_page,
    class_pages,
    timeline_pages,
    ontology_page,
    shapes_page,
    validation_pages,
    translation_pages,
    downloads_page,
    query_page,
    search_page,
    not_found_page,
)


def site_pages(r: Renderer, found: Found) -> list[Page]:
    """List every page that is not an entity page, to be rendered with `Renderer.render`."""
    ix = Index(r, found)
    pages = [page for kind in PAGE_KINDS for page in kind(ix)]
    return pages + sitemap_pages(ix, pages)
