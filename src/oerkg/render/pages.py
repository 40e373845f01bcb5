"""The context of each index page, one function per page kind: home, classes, timeline,
ontology, shapes, validation, translations, downloads, query and the 404 page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from ..formats import ENTITY_FORMATS, Format
from ..model import Entity, Value
from ..vocab import DCTERMS, OWL, PROV, RDFS, SCHEMA, XSD
from .classes import Box, class_diagram
from .entity import PROVENANCE, primary_types
from .jsonld import CONTEXT, embed
from .renderer import Context, Page, Renderer
from .timeline import Event, time_axis
from .views import Text, local_name, suffix

if TYPE_CHECKING:
    from ..dumps import Download
    from ..validate import Report

T = TypeVar("T")
SEVERITIES = ("Violation", "Warning", "Info")

# The rows of an example's result shown on the query page: thousands help nobody, and would make
# the page (once per language) grow with the graph; the caption gives the full count.
SHOWN_ROWS = 100

# The query page's engine, its size stated before a reader asks for it; the UI strings its
# script shows besides the `q_` ones.
ENGINE = "vendor/oxigraph/web_bg.wasm.gz"
QUERY_STRINGS = ("results", "rows", "no_rows", "running", "query_failed")


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


def ontology_page(ix: Index) -> list[Page]:
    """Our own terms, by kind, with their texts in every language."""
    model, views, r = ix.model, ix.views, ix.r

    def context(lang: str, root: str) -> Context:
        ours = sorted((t for t in model.terms.values() if t.ours), key=lambda t: local_name(t.iri))
        sections = []
        for kind in ("class", "property", "individual", "other"):
            terms = [t for t in ours if t.kind == kind]
            if not terms:
                continue
            sections.append(
                (
                    kind,
                    tuple(
                        {
                            "id": local_name(t.iri),
                            "iri": t.iri,
                            "curie": model.curie(t.iri),
                            "label": views.label(t.iri, lang),
                            "texts": tuple(
                                (
                                    lg,
                                    t.labels.get(lg, ""),
                                    t.comments.get(lg, ""),
                                    t.inverse_labels.get(lg, ""),
                                )
                                for lg in r.languages
                            ),
                            "domain": tuple(views.term_view(i, lang, root) for i in t.domain),
                            "range": tuple(views.term_view(i, lang, root) for i in t.range),
                            "supers": tuple(views.term_view(i, lang, root) for i in t.supers),
                            "instances": ix.counts.get(t.iri, 0),
                            "class_page": views.page_href(r.class_paths[t.iri], lang, root)
                            if t.iri in r.class_paths
                            else "",
                        }
                        for t in terms
                    ),
                )
            )
        t = r.strings[lang]
        classes = [term for term in ours if term.kind == "class"]
        properties = [term for term in ours if term.kind == "property"]
        boxes = tuple(
            Box(
                local_name(c.iri),
                views.class_name(c.iri, lang).text,
                tuple(views.label(i, lang).text for i in c.supers),
                tuple(
                    (
                        views.label(p.iri, lang).text,
                        ", ".join(views.label(i, lang).text for i in p.range),
                    )
                    for p in properties
                    if c.iri in p.domain
                ),
            )
            for c in classes
        )
        header = dict(model.ontology[1])
        return ix.dated(
            {
                "title": Text(t["ontology"]),
                "current": "ontology",
                "ns": model.config.ontology_ns,
                "sections": tuple(sections),
                "about": _ontology_about(ix, header, lang, root),
                "ontology_iri": model.ontology[0],
                "formats": (),
                "rdf_formats": tuple(
                    (f"{root}ontology.{f.ext}", f.label, f.media_type) for f in ENTITY_FORMATS
                ),
                "diagram": class_diagram(
                    boxes, title=t["class_diagram"].format(len(boxes)), specialises=t["specialises"]
                ),
            }
        )

    return [Page("ontology", "ontology.html", context)]


# The ontology's metadata as pyLODE and Widoco head their pages, in this order: (key of the UI
# string, properties that give it, first found).
ONTOLOGY_HEADER = (
    ("version_iri", (f"{OWL}versionIRI",)),
    ("version", (f"{OWL}versionInfo",)),
    ("creators", (f"{DCTERMS}creator", f"{SCHEMA}creator")),
    ("contributors", (f"{DCTERMS}contributor", f"{SCHEMA}contributor")),
    ("publisher", (f"{DCTERMS}publisher", f"{SCHEMA}publisher")),
    ("issued", (f"{DCTERMS}issued", f"{DCTERMS}created", f"{SCHEMA}datePublished")),
    ("modified", (f"{DCTERMS}modified", f"{SCHEMA}dateModified")),
    ("licence", (f"{DCTERMS}license", f"{SCHEMA}license")),
)


def _ontology_about(ix: Index, header: dict[str, tuple[Value, ...]], lang: str, root: str) -> Context:
    """The ontology's title, abstract and metadata rows (only those it states)."""
    views = ix.views

    def text(*predicates: str) -> Text | None:
        for p in predicates:
            texts = {v.lang or ix.en: v.value for v in header.get(p, ()) if v.kind == "literal"}
            if texts:
                found = next(lg for lg in (lang, ix.en, *sorted(texts)) if lg in texts)
                return Text(texts[found], "" if found == lang else found)
        return None

    rows = []
    for key, predicates in ONTOLOGY_HEADER:
        values = next((header[p] for p in predicates if header.get(p)), ())
        if values:
            rows.append((key, tuple(views.value(v, lang, root) for v in values)))
    return {
        "name": text(f"{DCTERMS}title", f"{RDFS}label", f"{SCHEMA}name"),
        "abstract": text(f"{DCTERMS}abstract", f"{DCTERMS}description", f"{RDFS}comment"),
        "rows": tuple(rows),
    }


def shapes_page(ix: Index) -> list[Page]:
    """What each class requires, from the SHACL shapes."""
    model, views = ix.model, ix.views

    def context(lang: str, root: str) -> Context:
        return ix.dated(
            {
                "title": Text(ix.r.strings[lang]["shapes"]),
                "current": "",
                "shapes": tuple(
                    {
                        "shape": s,
                        "target": views.term_view(s.target, lang, root),
                        "rules": tuple(
                            {
                                "rule": rule,
                                "path": views.term_view(rule.path, lang, root) if rule.path else None,
                                "datatype": model.curie(rule.datatype) if rule.datatype else "",
                                "classes": tuple(views.term_view(c, lang, root) for c in rule.classes),
                                "message": _pick(rule.messages, lang, ix.en),
                                "count": _cardinality(rule.min_count, rule.max_count),
                            }
                            for rule in s.rules
                        ),
                    }
                    for s in model.shapes
                ),
            }
        )

    return [Page("shapes", "shapes.html", context)]


def validation_pages(ix: Index) -> list[Page]:
    """The validation report: its counts by severity, then its problems."""
    report, views = ix.report, ix.views
    severities = Counter(str(p.severity) for p in report.problems)

    def listing(lang: str, root: str, rows: slice) -> Context:
        problems = tuple(
            {
                "problem": p,
                "focus": views.link(p.focus, lang, root) if p.focus in ix.model.entities else None,
            }
            for p in report.problems[rows]
        )
        return ix.dated(
            {
                "title": Text(ix.r.strings[lang]["validation"]),
                "current": "",
                "conforms": report.conforms,
                "counts": tuple((s, severities[s]) for s in SEVERITIES),
                "problems": problems,
                "triples": report.triples,
            }
        )

    return ix.paged("validation", "validation.html", len(report.problems), listing)


def translation_pages(ix: Index) -> list[Page]:
    """The share of entities with a label and a description in each language, then the gaps."""
    model, r = ix.model, ix.r
    total = len(model.entities)
    tables = (("label", model.labels), ("description", model.descriptions))
    covered = {
        lg: [sum(1 for i in model.entities if lg in table.get(i, {})) for _, table in tables]
        for lg in r.languages
    }
    missing = {
        iri: gaps
        for iri in model.entities
        if (
            gaps := tuple(
                (lg, kind)
                for lg in r.languages
                for kind, table in tables
                if lg not in table.get(iri, {})
            )
        )
    }
    untranslated = sorted_once(list(missing), ix.by_label)
    # The example queries' titles and descriptions (queries/*.rq), counted the same way.
    examples = ix.examples
    example_gaps = {
        lg: tuple(ex.name for ex in examples if lg not in ex.titles or lg not in ex.descriptions)
        for lg in r.languages
    }
    site_texts = {lg: _site_texts(ix, lg) for lg in r.languages}

    def listing(lang: str, root: str, rows: slice) -> Context:
        t = r.strings[lang]
        coverage = tuple(
            (lg, r.strings[lg]["language_name"], *(_count(n, total, t) for n in covered[lg]))
            for lg in r.languages
        )
        queries = tuple(
            (
                lg,
                r.strings[lg]["language_name"],
                _count(sum(lg in ex.titles for ex in examples), len(examples), t),
                _count(sum(lg in ex.descriptions for ex in examples), len(examples), t),
                example_gaps[lg],
            )
            for lg in r.languages
        )
        interface = tuple(
            (
                lg,
                r.strings[lg]["language_name"],
                tuple(
                    (key, n, of, _count(n, of, t)[1])
                    for key, (n, of) in zip(SITE_TEXTS, site_texts[lg], strict=True)
                ),
            )
            for lg in r.languages
        )
        gaps = tuple((ix.views.link(iri, lang, root), missing[iri]) for iri in untranslated(lang)[rows])
        return ix.dated(
            {
                "title": Text(t["translations"]),
                "current": "",
                "total": total,
                "coverage": coverage,
                "queries": queries if examples else (),
                "interface": interface,
                "interface_keys": SITE_TEXTS,
                "gaps": gaps,
            }
        )

    return ix.paged("translations", "translations.html", len(missing), listing)


# What the site itself says around the data, counted per language on the translations page.
SITE_TEXTS = ("site_title", "home_intro", "ui_strings", "type_names", "property_names")


def _site_texts(ix: Index, lang: str) -> tuple[tuple[int, int], ...]:
    """Count (translated, all) of SITE_TEXTS in `lang`: the title and home introduction
    (oerkg.toml), the interface's strings (site_templates/strings.toml), the names of the
    listed types and of our properties (the ontology's labels)."""
    model, first = ix.model, ix.en
    dataset = model.config.dataset
    given = lang == first or bool(dataset.title_in(lang)[1])
    described = lang == first or bool(dataset.description_in(lang)[1])
    strings = ix.r.strings
    interface = sum(1 for k in strings[first] if strings[lang].get(k, "").strip())
    properties = [t.iri for t in model.terms.values() if t.ours and t.kind == "property"]

    def named(iris: Iterable[str]) -> tuple[int, int]:
        found = [model.label(i, lang) for i in iris]
        return sum(1 for label in found if label.lang == lang and not label.fallback), len(found)

    return (
        (int(given), 1),
        (int(described), 1 if dataset.description else 0),
        (interface, len(strings[first])),
        named(sorted(ix.r.class_paths)),
        named(sorted(properties)),
    )


def downloads_page(ix: Index) -> list[Page]:
    """The dumps, with the dataset's schema.org description."""
    dataset = downloads_jsonld(ix.r, ix.downloads, ix.build_date)

    def context(lang: str, root: str) -> Context:
        return ix.dated(
            {
                "title": Text(ix.r.strings[lang]["downloads"]),
                "current": "downloads",
                "jsonld": dataset,
                "downloads": tuple((d, _size(d.size, ix.r.strings[lang])) for d in ix.downloads),
            }
        )

    return [Page("downloads", "downloads.html", context)]


def query_page(ix: Index) -> list[Page]:
    """The query editor (static/query.js), with the example queries and the start of their
    results, which are what a reader without JavaScript gets."""
    views, examples, config = ix.views, ix.examples, ix.r.config
    # The in-browser engine loads the smallest N-Quads dump: named graphs kept, so queries
    # give the rows `oerkg query` gives.
    dump = min(
        (d for d in ix.downloads if d.format is Format.N_QUADS), key=lambda d: d.size, default=None
    )
    engine = ix.r.templates.folder / "static" / ENGINE
    engine_size = engine.stat().st_size if engine.is_file() else 0
    prefixes = sorted(ix.model.prefixes.items())

    def localised(texts: Mapping[str, str], lang: str) -> Text:
        if lang in texts:
            return Text(texts[lang])
        first = next(iter(texts), "")
        return views.foreign(texts[first], first, True, lang) if first else Text("")

    def context(lang: str, root: str) -> Context:
        t = ix.r.strings[lang]
        rows = tuple(
            {
                "example": ex,
                "title": localised(ex.titles, lang),
                "description": localised(ex.descriptions, lang),
                "rows": tuple(
                    tuple(views.value(c, lang, root) if c else None for c in row) for row in ex.rows
                ),
                "total": ex.total,
            }
            for ex in examples
        )
        shown = {k: v for k, v in t.items() if k.startswith("q_") or k in QUERY_STRINGS}
        return ix.dated(
            {
                "title": Text(t["query"]),
                "current": "query",
                "examples": rows,
                "first": examples[0].text if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
                "ui": embed(shown),
                "suffix": suffix(lang, ix.r.languages),
                "base": config.base,
                "entity_space": config.entity_space,
                "ontology_ns": config.ontology_ns,
                "prefixes": prefixes,
                "dump": dump,
                "statements": ix.statements,
                "statements_text": f"{ix.statements:,}".replace(",", t["thousands"]),
                "download_size": _size(engine_size + (dump.size if dump else 0), t),
                "browser_limit": config.browser_query_limit,
                "endpoint": config.sparql_endpoint,
            }
        )

    return [Page("query", "query.html", context)]


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


def search_page(ix: Index) -> list[Page]:
    """The search form and its results, which static/search.js finds in search/<lang>/."""

    def context(lang: str, root: str) -> Context:
        return ix.dated({"title": Text(ix.r.strings[lang]["search_title"]), "current": ""})

    return [Page("search", "search.html", context)]


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


def main_entity(entities: Iterable[Entity]) -> Entity | None:
    """Pick the entity most others link to (citing a source aside): the dataset's entry point."""

    def links(e: Entity) -> int:
        return len({s for p, subjects in e.incoming if not _citation(p) for s in subjects})

    return max(entities, key=lambda e: (links(e), -len(e.iri), e.iri), default=None)


def _citation(predicate: str) -> bool:
    return predicate.startswith(PROV) or predicate in PROVENANCE


def downloads_jsonld(r: Renderer, downloads: Sequence[Download], build_date: str) -> str:
    """Describe the dataset and its dumps as a schema.org Dataset with DataDownload entries."""
    config = r.config
    data: Context = {
        "@context": CONTEXT,
        "@type": "Dataset",
        "@id": config.base,
        "name": config.dataset.title,
        "description": config.dataset.description,
        "license": {"@id": config.dataset.license},
        "publisher": {"@type": "Organization", "name": config.dataset.publisher_name},
        "inLanguage": list(config.languages),
        "keywords": list(config.dataset.keywords),
        "distribution": [
            {
                "@type": "DataDownload",
                "contentUrl": {"@id": config.base + d.path},
                "encodingFormat": d.media_type,
                "contentSize": str(d.size),
                "name": d.label,
                "sha256": d.sha256,
            }
            for d in downloads
        ],
    }
    if config.dataset.publisher_url:
        data["publisher"]["url"] = {"@id": config.dataset.publisher_url}
    if build_date:
        data["dateModified"] = {"@value": build_date, "@type": f"{XSD}date"}
    return embed(data)


def _pick(texts: dict[str, str], lang: str, default: str) -> Text | None:
    if lang in texts:
        return Text(texts[lang])
    if default in texts:
        return Text(texts[default], default)
    return None


def _cardinality(low: int, high: int | None) -> str:
    return f"{low}..{'*' if high is None else high}"


def _count(n: int, total: int, t: dict[str, str]) -> tuple[int, str]:
    share = 100 * n / total if total else 100.0
    return n, t["percent"].format(f"{share:.0f}")


def _size(n: int, t: dict[str, str]) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f}".replace(".", t["decimal"]) + f"\u00a0{unit}"
    return t["bytes"].format(n)
