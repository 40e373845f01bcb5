"""Build the site: run the stages top to bottom, write into a fresh folder, then swap it in."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .config import Config
from .describe import dcat_catalogue, void_description
from .dumps import (
    Download,
    checksums,
    download,
    dump_files,
    entity_files,
    graph_texts,
    serialise_graph,
)
from .errors import InputError, ProjectError, ViolationsError
from .examples import read_example
from .forked import beside, release_freed_memory, workers_for
from .formats import ENTITY_FORMATS
from .hosting import apache_htaccess, nginx_conf
from .incremental import (
    entity_keys,
    entity_paths,
    fingerprint,
    manifest,
    read_manifest,
    unchanged,
)
from .load import Project, load_project
from .model import Entity, Model, Value, build_model, to_value
from .output import Site
from .query import Dataset, Result
from .render import SHOWN_ROWS, Example, Found, write_site
from .search import search_files
from .validate import Report, Severity, validate
from .vocab import XSD_BOOLEAN


@dataclass(frozen=True)
class BuildResult:
    """What a build published, for the one-line summary."""

    out: Path
    entities: int
    pages: int
    triples: int
    dumps: int
    files: int
    seconds: float
    report: Report
    unchanged: int = 0  # entities whose files the last build had already written

    def summary(self) -> str:
        reused = f"; {self.unchanged} entities unchanged since the last build" if self.unchanged else ""
        return (
            f"Built {self.out}: {self.entities} entities, {self.pages} pages, {self.triples} triples, "
            f"{self.dumps} dumps, {self.files} files in {self.seconds:.2f} s "
            f"({self.report.count(Severity.WARNING)} warnings{reused})"
        )


def build(
    config: Config, *, out: Path | None = None, strict: bool = False, progress: bool = False
) -> BuildResult:
    """Validate the project and publish it into `out` (default: PROJECT/site), all or nothing."""
    with _collector_paused():
        return _build(config, out=out, strict=strict, progress=progress)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector. A build makes millions of objects that live
    until it ends (the parsed graph, the model) and no reference cycles (a test checks that):
    each full collection would only walk them all again, 1 s of a 100k-triple build."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(config: Config, *, out: Path | None, strict: bool, progress: bool) -> BuildResult:
    started = time.perf_counter()
    out = (out or config.project / "site").resolve()
    # 1. Load every source file (syntax errors stop here, located at file:line:col).
    project = load_project(config)
    workers = workers_for(sum(len(source.quads) for source in project.data))
    fork = workers > 1  # a large graph: hand independent work to forked processes
    # 2–4. Validate, refusing to publish on violations (or on warnings under --strict); compute
    # what the pages show, once, and the dumps' sorted N-Triples and N-Quads (a graph per source
    # file), from which the other dumps, VoID and the example queries are made.
    report, model, (nt, nq) = _validated(project, strict=strict, fork=fork)
    date = build_date(config)
    with Site(out, progress=progress) as site:
        # 5–9. On a large graph the example queries are answered and the entities' keys
        # computed in a forked process while the dumps and the dataset's description are made.
        with beside(fork, _examples_and_keys, project, nq, model, date) as answered:
            # 5. Every dump, written as it is made, with checksums.
            published = _write_dumps(site, project, nt, nq)
            # 6. Dataset description: VoID and a DCAT catalogue.
            _write_description(site, config, model, nt, published, date)
            triples = nt.count(b"\n")  # one statement per line
            del nt, nq  # the largest objects of a large build: not kept while pages are made
            # 7. Vocabulary and shapes, at their namespace paths.
            site.write_all(_vocabulary_files(project))
            # 8. Example queries, answered at build time, and 9. a key per entity.
            examples, keys = answered()
        # 10. The entities whose files are already exactly what this build would write: in the
        # folder being written (kept), or in the live site (linked).
        kept = unchanged(model, keys, read_manifest(site.held), site.folder)
        linked = unchanged(model, keys, read_manifest(site.live), out) - kept
        # 11. Content negotiation for static hosting.
        site.write(".htaccess", apache_htaccess(config))
        site.write("nginx.conf", nginx_conf(config))
        # 12. The search index: each language's stemmed names and descriptions, in shards.
        site.write_all(search_files(model))
        # 13. Pages in every language and each entity's own RDF, but for the reused entities'.
        found = Found(report, examples, published, date, triples)
        _write_pages(site, model, found, workers=workers, skip=kept | linked)
        _reuse(site, model, kept, linked, out)
        # 14. Swap it in, with the keys recorded beside it for the next build.
        site.commit(manifest(keys))
    return BuildResult(
        out,
        len(model.entities),
        sum(1 for path in site.paths if path.endswith(".html")),
        triples,
        len(published),
        len(site.paths),
        time.perf_counter() - started,
        report,
        len(kept | linked),
    )


def _write_dumps(site: Site, project: Project, nt: bytes, nq: bytes) -> list[Download]:
    """Write every dump as it is made, then their checksums; return them, in the order the
    downloads page lists them."""
    published: list[Download] = []
    for path, data in dump_files(project, nt, nq):
        site.write(path, data)
        published.append(download(path, data))
    published.sort(key=Download.order)
    site.write("dumps/SHA256SUMS", checksums(published))
    return published


def _write_description(
    site: Site, config: Config, model: Model, nt: bytes, published: list[Download], date: str
) -> None:
    """Write the dataset's VoID description (also at its well-known path) and DCAT catalogue."""
    void = void_description(model, nt, published)
    site.write("void.ttl", void)
    site.write(".well-known/void", void)
    site.write("catalog.ttl", dcat_catalogue(config, published, date))


def _write_pages(site: Site, model: Model, found: Found, *, workers: int, skip: set[str]) -> None:
    """Make the pages and each entity's RDF on every core, written as they are made, so a
    large site is never all in memory; the reused entities' files are not made again."""
    for path in write_site(
        model,
        found,
        put=site.put,
        skip=skip,
        workers=workers,
        entity_files=_rdf_files(model),
    ):
        site.add(path)


def _reuse(site: Site, model: Model, kept: set[str], linked: set[str], out: Path) -> None:
    """Keep the unchanged entities' files in the folder being written, or link the live site's."""
    for iri in sorted(kept | linked):
        for path in entity_paths(model.entities[iri], model.config.languages):
            if iri in kept:
                site.keep(path)
            else:
                site.link(path, out / path)


def _examples_and_keys(
    project: Project, nq: bytes, model: Model, date: str
) -> tuple[list[Example], dict[str, str]]:
    # One after the other in one process rather than in two at once: a forked process ends up
    # with its own copy of most memory pages it reads, about 1 GB each at a million triples.
    # The store is loaded from the N-Quads rather than from the parsed quads for the same reason.
    examples = run_examples(project, Dataset.from_nquads(nq, project.prefixes))
    release_freed_memory()  # the store's: 0.4 GB at a million triples
    return examples, entity_keys(model, fingerprint(project, model, date))


def _validated(
    project: Project, *, strict: bool, fork: bool
) -> tuple[Report, Model, tuple[bytes, bytes]]:
    """Validate, build the model and the graph's texts; with `fork`, the validation runs on
    another core meanwhile (it takes longer than the model alone)."""
    with beside(fork, validate, project) as validated:
        try:
            model = build_model(project)
            texts = graph_texts(project)
        except Exception:
            _passing(validated(), strict=strict)  # violations explain a failure best
            raise
        return _passing(validated(), strict=strict), model, texts


def _passing(report: Report, *, strict: bool) -> Report:
    if not report.passes(strict=strict):
        raise ViolationsError([str(p) for p in report.problems], report.summary())
    return report


def build_date(config: Config) -> str:
    """Return the date the site shows: SOURCE_DATE_EPOCH, else the newest source file's."""
    epoch = config.source_date_epoch  # 0 is a date (1970-01-01), None is "unset"
    if epoch is None:
        sources = [p for d in ("ontology", "data", "shapes") for p in config.source_files(d)]
        epoch = max((int(p.stat().st_mtime) for p in sources), default=0)
    return datetime.fromtimestamp(epoch, UTC).date().isoformat()


def run_examples(project: Project, dataset: Dataset) -> list[Example]:
    """Run each `queries/*.rq` of the project on its data, with its title and description in
    each language (see `examples.py`)."""
    config = project.config
    examples = []
    for path in config.source_files("queries", "*.rq"):
        shown_as = project.relative(path)
        source = read_example(path, languages=config.languages, shown_as=shown_as)
        try:
            result = dataset.evaluate(source.text)
        except InputError as exc:  # a syntax error, located in the .rq file
            raise InputError(exc.message, path=shown_as, line=exc.line, col=exc.col) from None
        except ProjectError as exc:  # refused (an update, SERVICE) or over a limit
            raise InputError(f"example query failed: {exc}", path=shown_as) from None
        columns, rows, total = _table(result)
        examples.append(
            Example(
                name=source.name,
                titles=source.titles,
                descriptions=source.descriptions,
                text=source.shown,
                columns=columns,
                rows=rows,
                total=total,
            )
        )
    return examples


def _table(
    result: Result,
) -> tuple[tuple[str, ...], tuple[tuple[Value | None, ...], ...], int]:
    """Show any query result as a table (solutions as they are, a boolean or triples as rows):
    its columns, its first SHOWN_ROWS rows and its number of rows."""
    if result.kind == "solutions":
        shown = tuple(
            tuple(None if cell is None else to_value(cell) for cell in row)
            for row in result.rows[:SHOWN_ROWS]
        )
        return result.variables, shown, len(result.rows)
    if result.kind == "boolean":
        value = Value("literal", str(result.boolean).lower(), datatype=XSD_BOOLEAN)
        return ("result",), ((value,),), 1
    triples = tuple(
        (to_value(t.subject), to_value(t.predicate), to_value(t.object))
        for t in result.triples[:SHOWN_ROWS]
    )
    return ("subject", "predicate", "object"), triples, len(result.triples)


def _vocabulary_files(project: Project) -> Iterator[tuple[str, bytes]]:
    for name, sources in (("ontology", project.ontology), ("shapes", project.shapes)):
        quads = [q for source in sources for q in source.quads]
        for fmt in ENTITY_FORMATS:
            yield f"{name}.{fmt.ext}", serialise_graph(quads, fmt, project.prefixes)


def _rdf_files(model: Model) -> Callable[[Entity], Iterator[tuple[str, bytes]]]:
    """Each entity's own RDF files, in every per-entity format."""
    prefixes = {p: ns for p, ns in model.prefixes.items() if "://" in ns}
    return lambda entity: entity_files(entity, prefixes)
