"""Render the site: every page in every language, the sitemap and the static assets, each
handed to a writer as soon as it is made, on every core."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass

from ..forked import inherited, pool
from ..model import Entity, Model
from .pages import site_pages
from .pages.shared import SHOWN_ROWS, Example, Found
from .renderer import Page, Renderer
from .sitemap import sitemap_entries, sitemap_files

__all__ = ["SHOWN_ROWS", "Example", "Found", "render_entity", "render_site", "write_site"]

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


def render_site(model: Model, found: Found, *, skip: Collection[str] = ()) -> dict[str, str]:
    """Render every page, the sitemap, robots.txt and the static assets, as one dict of texts
    (the gzipped query engine left out), in this process. `write_site` writes the same files as
    they are made, on every core, so a large site never has to be held in memory; see it for the
    arguments.
    """
    files: dict[str, bytes] = {}
    for _ in write_site(model, found, skip=skip, put=files.__setitem__):
        pass
    return {path: files[path].decode() for path in sorted(files) if not path.endswith(".gz")}


def write_site(
    model: Model,
    found: Found,
    *,
    put: Put,
    skip: Collection[str] = (),
    workers: int = 1,
    entity_files: EntityFiles = _no_files,
) -> Iterator[str]:
    """Make every page, the sitemap, robots.txt and the static assets, write each with `put`
    as soon as it is made, and yield its path once it is written.

    Args:
        model: the graph as pages see it.
        found: what the build found beside it (validation report, example queries, dumps,
            date, statement count), which the index pages show.
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
    pages = site_pages(renderer, found)
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
