"""What every index page shares: what the build found beside the model, the `Index` each
page kind reads, and listings split over pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ...model import Value
from ..renderer import Context, Page, Renderer
from ..views import Text, suffix

if TYPE_CHECKING:
    from ...dumps import Download
    from ...validate import Report

T = TypeVar("T")

# The rows of an example's result shown on the query page: thousands help nobody, and would make
# the page (once per language) grow with the graph; the caption gives the full count.
SHOWN_ROWS = 100


@dataclass(frozen=True)
class Example:
    """An example query run at build time: its text and the start of its result table."""

    name: str  # file stem, e.g. "01-working-groups"
    titles: Mapping[str, str]  # by language (examples.read_example)
    descriptions: Mapping[str, str]
    text: str  # the SPARQL, without its title and description lines
    columns: tuple[str, ...]
    rows: tuple[tuple[Value | None, ...], ...]  # the first rows, at most SHOWN_ROWS
    total: int  # the rows of the whole result


@dataclass(frozen=True)
class Found:
    """What the build found beside the model, which the index pages show."""

    report: Report  # the validation outcome, shown on the validation page
    examples: Sequence[Example]  # example queries with their build-time results
    downloads: Sequence[Download]  # the published dumps, for the downloads page
    build_date: str  # ISO date shown in footers; the only date any page shows
    statements: int = 0  # the statements in the dumps, which the query page says it loads


class Index:
    """What the index pages share: the renderer, what the build found, and the instances of
    each class, counted once."""

    def __init__(self, r: Renderer, found: Found) -> None:
        self.r, self.model, self.views = r, r.model, r.views
        self.report, self.examples, self.downloads = found.report, found.examples, found.downloads
        self.build_date, self.statements = found.build_date, found.statements
        self.en = r.languages[0]
        self.counts = Counter(t for e in self.model.entities.values() for t in e.types)
        self.instances: dict[str, list[str]] = {}
        for e in self.model.entities.values():
            for t in e.types:
                self.instances.setdefault(t, []).append(e.iri)

    def dated(self, context: Context) -> Context:
        context["build_date"] = self.build_date
        return context

    def configured(self, text: str, found: str, lang: str) -> Text:
        """Mark a text of the configuration given in `found` ("": the default, written in
        the first language) as such on other languages' pages."""
        return Text(text) if found or lang == self.en else Text(text, self.en)

    def english(self, text: str, lang: str) -> Text:
        """Mark a text of the configuration (written in English) as such on other languages' pages."""
        return Text(text, self.en if lang != self.en else "")

    def by_label(self, lang: str) -> Callable[[str], tuple[str, str]]:
        """Order entities by their link's text and then their address: the same order at any
        folder depth (all the links start with the same root), without making a link each."""
        entities, views = self.model.entities, self.views

        def key(iri: str) -> tuple[str, str]:
            return views.label(iri, lang).text.casefold(), views.page_href(entities[iri].stem, lang, "")

        return key

    def paged(self, stem: str, template: str, count: int, listing: Listing) -> list[Page]:
        return paged(stem, template, count, listing, self.r.languages, size=self.r.config.list_size)


# A listing's variables for its rows `rows` (a slice of the whole list) in a language at a root.
Listing = Callable[[str, str, slice], Context]


def paged(
    stem: str,
    template: str,
    count: int,
    listing: Listing,
    languages: tuple[str, ...],
    *,
    size: int,
) -> list[Page]:
    """Split a listing of `count` rows into pages of at most `size` rows (`Config.list_size`):
    the first at `stem` (an empty list too), the next at `stem/2`, `stem/3`, …; each page's
    `pager` links to the others."""
    last = max(0, (count - 1) // size)  # the index of the last page
    stems = [stem, *(f"{stem}/{n}" for n in range(2, last + 2))]

    def part(n: int) -> Callable[[str, str], Context]:
        def context(lang: str, root: str) -> Context:
            def href(k: int) -> str:
                return f"{root}{stems[k]}{suffix(lang, languages)}.html"

            pager = {  # the first and last pages, where they are not the neighbours
                "number": n + 1,
                "count": len(stems),
                "first": href(0) if n > 1 else None,
                "previous": href(n - 1) if n > 0 else None,
                "next": href(n + 1) if n < last else None,
                "last": href(last) if n < last - 1 else None,
            }
            return {**listing(lang, root, slice(n * size, (n + 1) * size)), "pager": pager}

        return context

    return [Page(own, template, part(n)) for n, own in enumerate(stems)]


def sorted_once(rows: Sequence[T], key: Callable[[str], Callable[[T], Any]]) -> Callable[[str], list[T]]:
    """Return `order(lang)`: `rows` sorted by `key(lang)`, once per language in each process,
    as every page of a listing shows a slice of the same order."""
    orders: dict[str, list[T]] = {}

    def order(lang: str) -> list[T]:
        if lang not in orders:
            orders[lang] = sorted(rows, key=key(lang))
        return orders[lang]

    return order
