"""The pages a reader browses the data by: home, class listings, timeline, search, the 404
page and the site map for people."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from ...model import Entity
from ...vocab import PROV, SCHEMA
from ..entity import PROVENANCE, primary_types
from ..renderer import Context, Page
from ..timeline import Event, time_axis
from ..views import Text
from .shared import Index, Listing, sorted_once


def home_page(ix: Index) -> list[Page]:
    model, views, counts = ix.model, ix.views, ix.counts
    listed = sorted(ix.r.class_paths)

    def context(lang: str, root: str) -> Context:
        description, found = model.config.dataset.description_in(lang)
        main = main_entity(model.entities.values())
        classes = sorted(
            ((views.value_for_class(c, lang, root), counts[c]) for c in listed),
            key=lambda cn: (cn[0].text.text.casefold(), cn[0].href),
        )
        return ix.dated(
            {
                "title": ix.r.common(lang, 0)["site_name"],
                "current": "index",
                "description": ix.configured(description, found, lang),
                "description_meta": description,
                "main": views.link(main.iri, lang, root) if main else None,
                "main_description": views.description(main.iri, lang) if main else None,
                "classes": classes,
                "counts": (
                    ("entities", len(model.entities)),
                    ("triples", ix.report.triples),
                    ("classes", len(listed)),
                    ("examples", len(ix.examples)),
                ),
            }
        )

    return [Page("index", "index.html", context)]


def main_entity(entities: Iterable[Entity]) -> Entity | None:
    """Pick the entity most others link to (citing a source aside): the dataset's entry point."""

    def links(e: Entity) -> int:
        return len({s for p, subjects in e.incoming if not _citation(p) for s in subjects})

    return max(entities, key=lambda e: (links(e), -len(e.iri), e.iri), default=None)


def _citation(predicate: str) -> bool:
    return predicate.startswith(PROV) or predicate in PROVENANCE


def class_pages(ix: Index) -> list[Page]:
    """A listing of each class's instances, at the class's page path."""
    views = ix.views

    def listing(cls: str) -> Listing:
        members = sorted_once(ix.instances[cls], ix.by_label)

        def context(lang: str, root: str, rows: slice) -> Context:
            term_href = views.term_href(cls, lang, root)
            return ix.dated(
                {
                    "title": views.class_name(cls, lang),
                    "current": "",
                    "crumbs": ix.r.class_crumbs((), lang, root) + ((views.class_name(cls, lang), ""),),
                    "iri": cls,
                    "description": views.description(cls, lang),
                    "definition": term_href if "ontology" in term_href or cls.startswith("http") else "",
                    "items": tuple(
                        (views.link(iri, lang, root), views.description(iri, lang))
                        for iri in members(lang)[rows]
                    ),
                    "count": len(ix.instances[cls]),
                }
            )

        return context

    return [
        page
        for cls, path in sorted(ix.r.class_paths.items())
        for page in ix.paged(path, "class.html", len(ix.instances[cls]), listing(cls))
    ]


def timeline_pages(ix: Index) -> list[Page]:
    """The entities with a start date on a time axis, then by year."""
    model, views = ix.model, ix.views
    starts = {
        iri: dates[0] for iri, e in model.entities.items() if (dates := e.values(f"{SCHEMA}startDate"))
    }

    def by_date(lang: str) -> Callable[[str], tuple[str, str, str]]:
        return lambda iri: (starts[iri].value, views.label(iri, lang).text.casefold(), iri)

    dated_events = sorted_once(list(starts), by_date)

    def listing(lang: str, root: str, rows: slice) -> Context:
        years: dict[str, list[Context]] = {}
        dots = []
        for iri in dated_events(lang)[rows]:
            e = model.entities[iri]
            start, link = views.value(starts[iri], lang, root), views.link(iri, lang, root)
            dots.append(
                Event(link.text.text, link.href, starts[iri].value, start.text.text, link.text.lang)
            )
            years.setdefault(starts[iri].value[:4], []).append(
                {
                    "start": start,
                    "end": tuple(views.value(v, lang, root) for v in e.values(f"{SCHEMA}endDate")[:1]),
                    "link": views.link(iri, lang, root),
                    "types": tuple(
                        views.value_for_class(t, lang, root) for t in primary_types(model, e)
                    ),
                    "where": tuple(views.value(v, lang, root) for v in e.values(f"{SCHEMA}location")),
                }
            )
        return ix.dated(
            {
                "title": Text(ix.r.strings[lang]["timeline"]),
                "current": "timeline",
                "axis": time_axis(dots, title=ix.r.strings[lang]["timeline_axis"].format(len(dots))),
                "years": tuple(years.items()),
            }
        )

    return ix.paged("timeline", "timeline.html", len(starts), listing)


def search_page(ix: Index) -> list[Page]:
    """The search form and its results, which static/search.js finds in search/<lang>/."""

    def context(lang: str, root: str) -> Context:
        return ix.dated({"title": Text(ix.r.strings[lang]["search_title"]), "current": ""})

    return [Page("search", "search.html", context)]


def not_found_page(ix: Index) -> list[Page]:
    """The 404 page, in the first language only."""
    r = ix.r

    def context(lang: str, root: str) -> Context:
        # Served for any missing path at any depth, so its links are root-relative.
        return {
            "title": Text(r.strings[lang]["not_found"]),
            "current": "",
            "root": "/",
            "static": "/static/",
            "alternates": (),
            "build_date": "",
            "nav": tuple((k, f"/{k}.html") for k, _ in r.common(lang, 0)["nav"]),
            "footer_nav": tuple((k, f"/{k}.html") for k, _ in r.common(lang, 0)["footer_nav"]),
        }

    return [Page("404", "404.html", context, languages=(ix.en,))]


def sitemap_pages(ix: Index, pages: Sequence[Page]) -> list[Page]:
    """The site map for people: every index page (a listing's further pages too) on the first
    page, then every entity page by name, over as many pages as a long listing takes."""
    r, views = ix.r, ix.views
    classes = {path: cls for cls, path in r.class_paths.items()}
    stems = [p.stem for p in pages if p.stem != "404"]
    parts = Counter(_listing_of(stem)[0] for stem in stems)
    entities = sorted_once(list(ix.model.entities), ix.by_label)

    def title(stem: str, lang: str) -> Text:
        base, number = _listing_of(stem)
        text = views.class_name(classes[base], lang) if base in classes else Text(r.strings[lang][base])
        if number == 1:
            return text
        page_of = r.strings[lang]["page_of"].format(number, parts[base])
        return replace(text, text=f"{text.text} ({page_of})")

    def listing(lang: str, root: str, rows: slice) -> Context:
        t = r.strings[lang]
        return ix.dated(
            {
                "title": Text(t["sitemap"]),
                "current": "",
                "pages": tuple((title(s, lang), views.page_href(s, lang, root)) for s in stems)
                if rows.start == 0
                else (),
                "entities": tuple(
                    (views.link(iri, lang, root), _type_name(ix, iri, lang))
                    for iri in entities(lang)[rows]
                ),
            }
        )

    return ix.paged("sitemap", "sitemap.html", len(ix.model.entities), listing)


def _listing_of(stem: str) -> tuple[str, int]:
    """Split a page's stem into its listing's and its page number: `class/Person/2` -> 2."""
    base, _, last = stem.rpartition("/")
    return (base, int(last)) if base and last.isdigit() else (stem, 1)


def _type_name(ix: Index, iri: str, lang: str) -> Text | None:
    types = primary_types(ix.model, ix.model.entities[iri])
    return ix.views.class_name(types[0], lang) if types else None
