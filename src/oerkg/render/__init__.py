"""Render the site: every page in every language, as {relative path: text}; nothing is written."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..forked import inherited, pool
from ..model import Entity, Model, Value
from .entity import EntityPages
from .env import Templates
from .jsonld import embed, entity_jsonld
from .pages import Page, site_pages, sitemap_entries
from .views import Text, Views, local_name, suffix

if TYPE_CHECKING:
    from ..dumps import Download
    from ..load import Project
    from ..validate import Report

__all__ = ["Example", "iter_site", "render_entity", "render_site"]

NAV = ("index", "timeline", "ontology", "query", "downloads")
FOOTER = ("validation", "translations", "shapes")


@dataclass(frozen=True)
class Example:
    """An example query run at build time: its text and its result table."""

    name: str  # file stem, e.g. "01-working-groups"
    title: str
    description: str
    text: str  # the SPARQL
    columns: tuple[str, ...]
    rows: tuple[tuple[Value | None, ...], ...]


class Renderer:
    """The templates, strings and cached label lookups shared by every page of one model."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.config = model.config
        self.languages = model.config.languages
        self.templates = Templates(model.config.project / "site_templates", self.languages)
        self.strings = self.templates.strings
        self.class_paths = class_paths(model)
        self.views = Views(model, self.class_paths, self.strings)
        self.entity_pages = EntityPages(self.views)
        self._common: dict[tuple[str, int], dict[str, Any]] = {}
        self._chrome: dict[tuple[str, str, str, str], dict[str, Markup]] = {}

    def render(self, page: Page) -> dict[str, str]:
        """Render one page in each of its languages, as {relative path: HTML}."""
        stem, languages = page.stem, page.languages or self.languages
        basename = stem.rsplit("/", 1)[-1]
        alternates = tuple(
            (lg, f"{basename}{suffix(lg, self.languages)}.html", self.strings[lg]["language_name"])
            for lg in languages
        )
        depth = stem.count("/")
        out: dict[str, str] = {}
        for lang in languages:
            root = "../" * depth
            context = {**self.common(lang, depth), "alternates": alternates, "page": stem}
            context.update(page.context(lang, root))
            context.update(self.chrome(context))
            out[self.path(stem, lang)] = self.templates.render(page.template, context)
        return out

    def path(self, stem: str, lang: str) -> str:
        return f"{stem}{suffix(lang, self.languages)}.html"

    def common(self, lang: str, depth: int) -> dict[str, Any]:
        """Return the variables every page of a language at a folder depth shares."""
        key = (lang, depth)
        if key not in self._common:
            root = "../" * depth
            sfx = suffix(lang, self.languages)
            self._common[key] = {
                "lang": lang,
                "t": self.strings[lang],
                "language_names": {lg: self.strings[lg]["language_name"] for lg in self.languages},
                "root": root,
                "static": f"{root}static/",
                "site_name": Text(self.config.dataset.title, "en" if lang != "en" else ""),
                "license": self.config.dataset.license,
                "nav": tuple((k, f"{root}{k}{sfx}.html") for k in NAV),
                "footer_nav": tuple((k, f"{root}{k}{sfx}.html") for k in FOOTER),
                "build_date": "",
                "jsonld": "",
                "formats": (),
                "description_meta": "",
            }
        return self._common[key]

    def chrome(self, page: dict[str, Any]) -> dict[str, Markup]:
        """Return the site navigation and footer, rendered once for all pages that share them."""
        key = (page["lang"], page["root"], page["current"], page["build_date"])
        if key not in self._chrome:
            self._chrome[key] = {
                "site_nav": Markup(self.templates.render("_site_nav.html", page)),
                "footer": Markup(self.templates.render("_footer.html", page)),
            }
        return self._chrome[key]

    def entity(self, iri: str) -> dict[str, str]:
        entity = self.model.entities[iri]
        data = embed(entity_jsonld(self.model, entity))
        shared = self.entity_pages.context(entity)

        def context(lang: str, root: str) -> dict[str, Any]:
            ctx = shared(lang, root)
            ctx["jsonld"] = data
            ctx["current"] = ""
            ctx["title"] = ctx["label"]
            ctx["description_meta"] = ctx["description"].text if ctx["description"] else ""
            return ctx

        return self.render(Page(entity.stem, "entity.html", context))


def class_paths(model: Model) -> dict[str, str]:
    """Give each class with instances a page `class/<LocalName>`, qualified where names clash."""
    classes = sorted({t for e in model.entities.values() for t in e.types})
    names: dict[str, list[str]] = {}
    for iri in classes:
        names.setdefault(local_name(iri), []).append(iri)
    ours = model.config.ontology_ns
    paths: dict[str, str] = {}
    for name, iris in sorted(names.items()):
        # Our own class keeps the plain name when another vocabulary's class shares it.
        plain = [i for i in iris if i.startswith(ours)] if len(iris) > 1 else iris
        for iri in iris:
            if iri in plain[:1]:
                paths[iri] = f"class/{name}"
            else:
                paths[iri] = "class/" + model.curie(iri).replace(":", "-").replace("/", "-")
    return paths


# At most this many entities per worker task (their files travel back to the writer together).
CHUNK = 250

# An entity's files other than its pages (its own RDF), made in the same task as its pages.
EntityFiles = Callable[[Entity], Iterable[tuple[str, bytes]]]


def _no_files(entity: Entity) -> Iterable[tuple[str, bytes]]:
    return ()


@dataclass(frozen=True)
class _Work:
    """What every task reads: a worker process inherits it (forked) rather than receiving it."""

    renderer: Renderer
    iris: list[str]
    pages: list[Page]
    entity_files: EntityFiles

    def entities(self, start: int, stop: int) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for iri in self.iris[start:stop]:
            out.update(_encoded(self.renderer.entity(iri)))
            out.update(self.entity_files(self.renderer.model.entities[iri]))
        return out

    def index_pages(self, start: int, stop: int) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for page in self.pages[start:stop]:
            out.update(_encoded(self.renderer.render(page)))
        return out


def _encoded(pages: dict[str, str]) -> Iterator[tuple[str, bytes]]:
    # Encoded where they are rendered, so the writer's process only writes bytes.
    return ((path, html.encode()) for path, html in pages.items())


def _render(work: _Work, workers: int) -> Iterator[tuple[str, bytes]]:
    """Yield entity files and index pages, made on `workers` forked processes if more than one.

    A task names what to make by index, and the index pages go first so that no core idles
    at the end.
    """
    if workers < 2:
        yield from work.entities(0, len(work.iris)).items()
        yield from work.index_pages(0, len(work.pages)).items()
        return
    size = max(1, min(-(-len(work.iris) // (workers * 16)), CHUNK))
    tasks = [(i, i + 1, True) for i in range(len(work.pages))]
    tasks += [(i, i + size, False) for i in range(0, len(work.iris), size)]
    with pool(workers, work) as executor:
        # A few tasks in flight per worker, in order: made files wait for the writer in
        # memory, so a slow disk must hold back the workers rather than fill the memory.
        queued = iter(tasks)
        running = deque(executor.submit(_task, t) for t in islice(queued, workers * 4))
        while running:
            done = running.popleft().result()
            running.extend(executor.submit(_task, t) for t in islice(queued, 1))
            yield from done.items()


def _task(task: tuple[int, int, bool]) -> dict[str, bytes]:
    """Make the files of entities `iris[start:stop]`, or index pages `pages[start:stop]`."""
    work: _Work = inherited()
    start, stop, index_pages = task
    out = work.index_pages(start, stop) if index_pages else work.entities(start, stop)
    work.renderer.views.forget_values()
    return out


def render_entity(model: Model, iri: str) -> dict[str, str]:
    """Render the pages of one entity, one per language, as {relative path: HTML}."""
    return Renderer(model).entity(iri)


def render_site(
    model: Model,
    *,
    project: Project,
    report: Report,
    examples: Sequence[Example],
    downloads: Sequence[Download],
    build_date: str,
    skip: Collection[str] = (),
    workers: int = 1,
) -> dict[str, str]:
    """Render every page, the sitemap, robots.txt and the static assets, as one dict of texts.

    `iter_site` yields the same files one by one, as bytes, so a large site never has to be
    held in memory; see it for the arguments.
    """
    return {
        path: data.decode()
        for path, data in sorted(
            iter_site(
                model, project=project, report=report, examples=examples, downloads=downloads,
                build_date=build_date, skip=skip, workers=workers,
            )
        )
    }  # fmt: skip


def iter_site(
    model: Model,
    *,
    project: Project,
    report: Report,
    examples: Sequence[Example],
    downloads: Sequence[Download],
    build_date: str,
    skip: Collection[str] = (),
    workers: int = 1,
    entity_files: EntityFiles = _no_files,
) -> Iterator[tuple[str, bytes]]:
    """Yield every page, the sitemap, robots.txt and the static assets, as (path, bytes).

    Args:
        model: the graph as pages see it.
        project: the loaded sources (the shapes page reads `project.shapes`).
        report: the validation outcome, shown on the validation page.
        examples: example queries with their build-time results, for the query page.
        downloads: the published dumps, for the downloads page and its schema:Dataset.
        build_date: ISO date shown in footers; the only date any page shows.
        skip: entities whose pages are unchanged since the last build: not rendered, but
            still listed in the sitemap.
        workers: processes rendering the pages (forked, so they share the model); see
            `forked.workers_for`.
        entity_files: an entity's other files (its own RDF), made with its pages, so on the
            same processes; not called for the entities in `skip`.

    Yields:
        (relative output path, bytes), e.g. "id/coalition.fr.html"; `build` writes them.
        Two renders of the same inputs are identical.

    Raises:
        InputError: a template or `strings.toml` mistake, at `site_templates/<file>:<line>`.
    """
    renderer = Renderer(model)
    pages = site_pages(
        renderer, project=project, report=report, examples=examples,
        downloads=downloads, build_date=build_date,
    )  # fmt: skip
    iris = [iri for iri in sorted(model.entities) if iri not in skip]
    yield from _render(_Work(renderer, iris, pages, entity_files), workers)
    out = renderer.templates.static()
    languages = model.config.languages
    stems = [(p.stem, p.languages or languages) for p in pages]
    stems += [(e.stem, languages) for e in model.entities.values()]
    paths = {*out, *(renderer.path(stem, lang) for stem, langs in stems for lang in langs)}
    entries = sitemap_entries(sorted(paths), renderer)
    out["sitemap.xml"] = renderer.templates.render("sitemap.xml", {"entries": entries}).encode()
    out["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {model.config.base}sitemap.xml\n".encode()
    yield from sorted(out.items())
