"""Render the site: every page in every language, as {relative path: text}; nothing is written."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..forked import inherited, pool
from ..model import Entity, Model, Value
from .entity import EntityPages
from .env import Templates
from .jsonld import embed, entity_jsonld
from .pages import Page, site_pages, sitemap_entries, sitemap_files
from .views import Text, Views, local_name, suffix

if TYPE_CHECKING:
    from ..dumps import Download
    from ..load import Project
    from ..validate import Report

__all__ = ["SHOWN_ROWS", "Example", "render_entity", "render_site", "write_site"]

NAV = ("index", "timeline", "ontology", "query", "downloads")
FOOTER = ("validation", "translations", "shapes")


# The rows of an example's result shown on the query page: thousands help nobody, and would make
# the page (once per language) grow with the graph; the caption gives the full count.
SHOWN_ROWS = 100


@dataclass(frozen=True)
class Example:
    """An example query run at build time: its text and the start of its result table."""

    name: str  # file stem, e.g. "01-working-groups"
    title: str
    description: str
    text: str  # the SPARQL
    columns: tuple[str, ...]
    rows: tuple[tuple[Value | None, ...], ...]  # the first rows, at most SHOWN_ROWS
    total: int  # the rows of the whole result


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
                "pager": None,  # a listing's pages (see pages.paged)
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


# At most this many entities per task: small tasks keep the cores evenly busy to the end.
CHUNK = 100

# An entity's files other than its pages (its own RDF), made in the same task as its pages.
EntityFiles = Callable[[Entity], Iterable[tuple[str, bytes]]]
# Writes one file of the site, in whichever process made it: a forked one writes its own files.
Put = Callable[[str, bytes], None]


def _no_files(entity: Entity) -> Iterable[tuple[str, bytes]]:
    return ()


@dataclass(frozen=True)
class _Work:
    """What every task reads: a forked process inherits it rather than receiving it."""

    renderer: Renderer
    iris: list[str]
    pages: list[Page]
    entity_files: EntityFiles
    put: Put

    def task(self, start: int, stop: int, index_pages: bool) -> list[str]:
        """Make and write the files of entities `iris[start:stop]` or of index pages
        `pages[start:stop]`; return their paths."""
        files: dict[str, bytes] = {}
        if index_pages:
            for page in self.pages[start:stop]:
                files.update(_encoded(self.renderer.render(page)))
        else:
            for iri in self.iris[start:stop]:
                files.update(_encoded(self.renderer.entity(iri)))
                files.update(self.entity_files(self.renderer.model.entities[iri]))
        for path, data in files.items():
            self.put(path, data)
        self.renderer.views.forget_values()  # a bounded cache, however large the site
        return list(files)


def _encoded(pages: dict[str, str]) -> Iterator[tuple[str, bytes]]:
    return ((path, html.encode()) for path, html in pages.items())


def _render(work: _Work, workers: int) -> Iterator[str]:
    """Make and write the entities' files and the index pages on `workers` processes: this
    one and `workers - 1` forked ones; yield each file's path once it is written.

    One process per core and no more. A forked process shares the model with this one only
    until it writes to the model's memory, and it does (reading a Python object writes its
    reference count), so each process ends up with a copy of most pages of the model: about
    1 GB at a million triples. Each process writes the files it makes, so no page travels
    between processes. A task names what to make by index; the index pages go first, then
    small tasks of entities, so that no core idles at the end.
    """
    size = max(1, min(-(-len(work.iris) // (workers * 16)), CHUNK))
    queued = deque((i, i + 1, True) for i in range(len(work.pages)))
    queued.extend((i, i + size, False) for i in range(0, len(work.iris), size))
    if workers < 2:
        for task in queued:
            yield from work.task(*task)
        return
    helpers = workers - 1
    with pool(helpers, work) as executor:
        # Two tasks in flight per helper: one to work on, one waiting, whatever this process
        # is doing meanwhile.
        running = deque(
            executor.submit(_task, queued.popleft()) for _ in range(min(2 * helpers, len(queued)))
        )
        while running or queued:
            if queued and not running[0].done():
                yield from work.task(*queued.popleft())  # here, while the helpers work
                continue
            done = running.popleft().result()
            if queued:
                running.append(executor.submit(_task, queued.popleft()))
            yield from done


def _task(task: tuple[int, int, bool]) -> list[str]:
    work: _Work = inherited()
    return work.task(*task)


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
) -> dict[str, str]:
    """Render every page, the sitemap, robots.txt and the static assets, as one dict of texts,
    in this process. `write_site` writes the same files as they are made, on every core, so
    a large site never has to be held in memory; see it for the arguments.
    """
    files: dict[str, bytes] = {}
    for _ in write_site(
        model,
        project=project,
        report=report,
        examples=examples,
        downloads=downloads,
        build_date=build_date,
        skip=skip,
        put=files.__setitem__,
    ):
        pass
    return {path: files[path].decode() for path in sorted(files)}


def write_site(
    model: Model,
    *,
    project: Project,
    report: Report,
    examples: Sequence[Example],
    downloads: Sequence[Download],
    build_date: str,
    put: Put,
    skip: Collection[str] = (),
    workers: int = 1,
    entity_files: EntityFiles = _no_files,
) -> Iterator[str]:
    """Make every page, the sitemap, robots.txt and the static assets, write each with `put`
    as soon as it is made, and yield its path once it is written.

    Args:
        model: the graph as pages see it.
        project: the loaded sources (the shapes page reads `project.shapes`).
        report: the validation outcome, shown on the validation page.
        examples: example queries with their build-time results, for the query page.
        downloads: the published dumps, for the downloads page and its schema:Dataset.
        build_date: ISO date shown in footers; the only date any page shows.
        put: writes one file (relative path, bytes). With `workers` > 1 it is called in
            forked processes too, so it must write where every process can see it (a folder).
        skip: entities whose pages are unchanged since the last build: not rendered, but
            still listed in the sitemap.
        workers: processes making the files (this one and forked ones, which share the
            model); see `forked.workers_for`.
        entity_files: an entity's other files (its own RDF), made with its pages, so on the
            same processes; not called for the entities in `skip`.

    Yields:
        Relative output paths, e.g. "id/coalition.fr.html", each once its file is written.
        Two renders of the same inputs write identical files.

    Raises:
        InputError: a template or `strings.toml` mistake, at `site_templates/<file>:<line>`.
    """
    renderer = Renderer(model)
    pages = site_pages(
        renderer,
        project=project,
        report=report,
        examples=examples,
        downloads=downloads,
        build_date=build_date,
    )
    iris = [iri for iri in sorted(model.entities) if iri not in skip]
    yield from _render(_Work(renderer, iris, pages, entity_files, put), workers)
    out = renderer.templates.static()
    languages = model.config.languages
    stems = [(p.stem, p.languages or languages) for p in pages]
    stems += [(e.stem, languages) for e in model.entities.values()]
    paths = {*out, *(renderer.path(stem, lang) for stem, langs in stems for lang in langs)}
    entries = sitemap_entries(sorted(paths), renderer)
    out.update((name, xml.encode()) for name, xml in sitemap_files(entries, renderer).items())
    out["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {model.config.base}sitemap.xml\n".encode()
    for path, data in sorted(out.items()):
        put(path, data)
        yield path
