"""Render the site: every page in every language, as {relative path: text}; nothing is written."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..forked import inherited, pool
from ..model import Model, Value
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


# At most this many entities per worker task (their pages travel back to the writer together).
CHUNK = 250


def _render(
    renderer: Renderer, iris: list[str], pages: list[Page], workers: int
) -> Iterator[tuple[str, str]]:
    """Yield entity and index pages, rendered on `workers` forked processes if more than one.

    A task names what to render by index, and the index pages go first so that no core idles
    at the end.
    """
    if workers < 2:
        for iri in iris:
            yield from renderer.entity(iri).items()
        for page in pages:
            yield from renderer.render(page).items()
        return
    size = max(1, min(-(-len(iris) // (workers * 16)), CHUNK))
    tasks = [(i, i + 1, True) for i in range(len(pages))]
    tasks += [(i, i + size, False) for i in range(0, len(iris), size)]
    with pool(workers, (renderer, iris, pages)) as executor:
        # A few tasks in flight per worker, in order: rendered pages wait for the writer in
        # memory, so a slow disk must hold back the workers rather than fill the memory.
        queued = iter(tasks)
        running = deque(executor.submit(_render_task, t) for t in islice(queued, workers * 4))
        while running:
            done = running.popleft().result()
            running.extend(executor.submit(_render_task, t) for t in islice(queued, 1))
            yield from done.items()


def _render_task(task: tuple[int, int, bool]) -> dict[str, str]:
    """Render entities `iris[start:stop]`, or index pages `pages[start:stop]`."""
    renderer, iris, pages = inherited()
    start, stop, index_pages = task
    out: dict[str, str] = {}
    if index_pages:
        for page in pages[start:stop]:
            out.update(renderer.render(page))
    else:
        for iri in iris[start:stop]:
            out.update(renderer.entity(iri))
    renderer.views.forget_values()
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
    """Render every page, the sitemap, robots.txt and the static assets, as one dict.

    `iter_site` yields the same (path, text) pairs one by one, so a large site never has to
    be held in memory; see it for the arguments.
    """
    return dict(
        sorted(
            iter_site(
                model, project=project, report=report, examples=examples, downloads=downloads,
                build_date=build_date, skip=skip, workers=workers,
            )
        )
    )  # fmt: skip


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
) -> Iterator[tuple[str, str]]:
    """Yield every page, the sitemap, robots.txt and the static assets, as (path, text).

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

    Yields:
        (relative output path, text), e.g. "id/coalition.fr.html"; `build` writes them.
        Two renders of the same inputs are identical.

    Raises:
        InputError: a template or `strings.toml` mistake, at `site_templates/<file>:<line>`.
    """
    renderer = Renderer(model)
    pages = site_pages(
        renderer, project=project, report=report, examples=examples,
        downloads=downloads, build_date=build_date,
    )  # fmt: skip
    yield from _render(
        renderer, [iri for iri in sorted(model.entities) if iri not in skip], pages, workers
    )
    out = renderer.templates.static()
    languages = model.config.languages
    stems = [(p.stem, p.languages or languages) for p in pages]
    stems += [(e.stem, languages) for e in model.entities.values()]
    paths = {*out, *(renderer.path(stem, lang) for stem, langs in stems for lang in langs)}
    entries = sitemap_entries(sorted(paths), renderer)
    out["sitemap.xml"] = renderer.templates.render("sitemap.xml", {"entries": entries})
    out["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {model.config.base}sitemap.xml\n"
    yield from sorted(out.items())
