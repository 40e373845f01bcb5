"""Build the site: run the stages top to bottom, write into a fresh folder, then swap it in."""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import tempfile
import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path

from .config import Config
from .describe import dcat_catalogue, void_description
from .dumps import (
    ENTITY_FORMATS,
    checksums,
    downloads,
    dump_files,
    entity_files,
    graph_triples,
    serialise_graph,
)
from .errors import InputError, OutputError, ProjectError, ViolationsError
from .hosting import apache_htaccess, nginx_conf
from .incremental import (
    MANIFEST,
    entity_keys,
    entity_paths,
    fingerprint,
    manifest,
    read_manifest,
    unchanged,
)
from .load import Project, load_project
from .model import Model, Value, build_model, to_value
from .query import Dataset, Result
from .render import Example, iter_site
from .validate import Report, Severity, validate

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


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

    def summary(self) -> str:
        return (
            f"Built {self.out}: {self.entities} entities, {self.pages} pages, {self.triples} triples, "
            f"{self.dumps} dumps, {self.files} files in {self.seconds:.2f} s "
            f"({self.report.count(Severity.WARNING)} warnings)"
        )


def build(
    config: Config, *, out: Path | None = None, strict: bool = False, progress: bool = False
) -> BuildResult:
    """Validate the project and publish it into `out` (default: PROJECT/site), all or nothing."""
    started = time.perf_counter()
    out = (out or config.project / "site").resolve()

    # 1. Load every source file (syntax errors stop here, located at file:line:col).
    project = load_project(config)
    # 2. Validate; refuse to publish on violations (or on warnings under --strict).
    report = validate(project)
    if not report.passes(strict=strict):
        raise ViolationsError([str(p) for p in report.problems], report.summary())
    # 3. Compute what the pages show, once.
    model = build_model(project)
    date = build_date(config)
    files: dict[str, bytes | str] = {}
    # 4. Dumps of the whole graph, with checksums.
    nt, triples = graph_triples(project)
    files.update(dump_files(project, nt, triples))
    published = downloads({k: v for k, v in files.items() if isinstance(v, bytes)})
    files["dumps/SHA256SUMS"] = checksums(published)
    # 5. Dataset description: VoID and a DCAT catalogue.
    files["void.ttl"] = files[".well-known/void"] = void_description(model, triples, published)
    files["catalog.ttl"] = dcat_catalogue(config, published, date)
    # 6. Vocabulary and shapes, at their namespace paths.
    files.update(_vocabulary_files(project))
    # 7. Example queries, answered at build time.
    examples = run_examples(project)
    # 8. Find the entities whose files the previous build already wrote exactly so.
    keys = entity_keys(model, fingerprint(project, model, date))
    reused = unchanged(model, keys, read_manifest(out), out)
    files[MANIFEST] = manifest(keys)
    # 9. Content negotiation for static hosting.
    files[".htaccess"] = apache_htaccess(config)
    files["nginx.conf"] = nginx_conf(config)
    # 10. Pages in every language and each entity's own RDF (all but the reused entities'),
    # streamed to the writer as they are made, so a large site is never all in memory.
    pages = iter_site(
        model, project=project, report=report, examples=examples, downloads=published,
        build_date=date, skip=reused, workers=len(os.sched_getaffinity(0)),
    )  # fmt: skip
    made = chain(files.items(), pages, _entity_rdf(model, skip=reused))
    # 11. Write everything into a fresh folder (linking reused files) and swap it in.
    links = {p: out / p for iri in reused for p in entity_paths(model.entities[iri], config.languages)}
    written = write_site(made, out, reuse=links, progress=progress)
    return BuildResult(
        out, len(model.entities), sum(1 for path in written if path.endswith(".html")), len(triples),
        len(published), len(written), time.perf_counter() - started, report,
    )  # fmt: skip


def build_date(config: Config) -> str:
    """Return the date the site shows: SOURCE_DATE_EPOCH, else the newest source file's."""
    epoch = config.source_date_epoch or max(
        (int(p.stat().st_mtime) for d in ("ontology", "data", "shapes") for p in config.source_files(d)),
        default=0,
    )
    return datetime.fromtimestamp(epoch, UTC).date().isoformat()


def run_examples(project: Project) -> list[Example]:
    """Run each `queries/*.rq` of the project; its header comments give title and description."""
    dataset = Dataset.from_quads(project.data_quads(), project.prefixes)
    examples = []
    for path in project.config.source_files("queries", "*.rq"):
        text = path.read_text(encoding="utf-8")
        header = dict(re.findall(r"^#\s*(title|description):\s*(.+)$", text, flags=re.M))
        try:
            result = dataset.evaluate(text)
        except InputError as exc:  # a syntax error, located in the .rq file
            raise InputError(
                exc.message, path=project.relative(path), line=exc.line, col=exc.col
            ) from None
        except ProjectError as exc:  # refused (an update, SERVICE) or over a limit
            raise InputError(f"example query failed: {exc}", path=project.relative(path)) from None
        columns, rows = _table(result)
        examples.append(
            Example(
                name=path.stem,
                title=header.get("title", path.stem),
                description=header.get("description", ""),
                text=text,
                columns=columns,
                rows=rows,
            )
        )
    return examples


def _table(result: Result) -> tuple[tuple[str, ...], tuple[tuple[Value | None, ...], ...]]:
    """Show any query result as a table: solutions as they are, a boolean or triples as rows."""
    if result.kind == "solutions":
        return result.variables, tuple(
            tuple(None if cell is None else to_value(cell) for cell in row) for row in result.rows
        )
    if result.kind == "boolean":
        return ("result",), ((Value("literal", str(result.boolean).lower(), datatype=XSD_BOOLEAN),),)
    return ("subject", "predicate", "object"), tuple(
        (to_value(t.subject), to_value(t.predicate), to_value(t.object)) for t in result.triples
    )


def _vocabulary_files(project: Project) -> Iterator[tuple[str, bytes]]:
    for name, sources in (("ontology", project.ontology), ("shapes", project.shapes)):
        quads = [q for source in sources for q in source.quads]
        for fmt in ENTITY_FORMATS:
            yield f"{name}.{fmt.ext}", serialise_graph(quads, fmt, project.prefixes)


def _entity_rdf(model: Model, *, skip: Collection[str]) -> Iterator[tuple[str, bytes]]:
    prefixes = {p: ns for p, ns in model.prefixes.items() if "://" in ns}
    for iri, entity in model.entities.items():
        if iri not in skip:
            yield from entity_files(entity, prefixes)


def write_site(
    files: Iterable[tuple[str, bytes | str]],
    out: Path,
    *,
    reuse: dict[str, Path] | None = None,
    progress: bool = False,
) -> list[str]:
    """Write all files into a fresh sibling folder, then swap it with `out` in one step.

    `reuse` maps output paths to unchanged files of the previous site, which are hard-linked
    (same bytes, no rewrite) instead of written. Returns the paths of the new site's files.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.name}.*"):  # left behind by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    written: dict[str, None] = {}
    try:
        if progress:
            from tqdm import tqdm

            files = tqdm(files, desc="building", unit=" files", leave=False)
        made: set[Path] = set()
        for path, content in files:
            target = fresh / path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            data = content.encode("utf-8") if isinstance(content, str) else content
            target.write_bytes(data)
            written[path] = None
        for path, old in sorted((reuse or {}).items()):
            target = fresh / path
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(old, target)
            except OSError:
                shutil.copyfile(old, target)
            written[path] = None
        os.chmod(fresh, 0o755)
        _swap(fresh, out)
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise OutputError(
            f"cannot write the site into {out}: {exc.strerror or exc}; the previous site is untouched"
        ) from None
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return list(written)


_RENAME_EXCHANGE = 2


def _swap(fresh: Path, out: Path) -> None:
    """Put `fresh` in place of `out` atomically (Linux renameat2 RENAME_EXCHANGE) and drop the old."""
    if not out.exists():
        fresh.rename(out)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    at_fdcwd = -100
    if (
        renameat2 is not None
        and renameat2(at_fdcwd, bytes(fresh), at_fdcwd, bytes(out), _RENAME_EXCHANGE) == 0
    ):
        shutil.rmtree(fresh)  # now holds the previous site
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    out.rename(old)
    fresh.rename(out)
    shutil.rmtree(old, ignore_errors=True)
