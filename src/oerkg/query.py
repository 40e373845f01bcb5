"""The one SPARQL seam: a read-only pyoxigraph dataset, its limits, and results written out.

Every query in oerkg (the `query` command, the `/sparql` endpoint, the build's example queries,
the benchmarks) runs through `Dataset.evaluate` (a complete result, as terms) or `Dataset.write`
(written by pyoxigraph, within the endpoint's limits). Queries see the project's prefixes
predeclared (those declared in its ontology and data files, e.g. `schema:`, `org:`), so `SELECT ?n { ?x schema:name ?n }` needs no
PREFIX line; a PREFIX in the query overrides a predeclared one. The default graph is the union
of the named graphs (one per source data file) unless the request names its own dataset.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pyoxigraph as ox

from .errors import ExitCode, InputError, ProjectError
from .formats import GRAPH_FORMATS, RESULT_FORMATS
from .vocab import Term

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

Kind = Literal["solutions", "boolean", "graph"]

_UPDATE_KEYWORDS = frozenset(
    ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
)
# Strings, IRIs and comments, blanked out before looking for keywords.
_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*',
    re.S,
)
_PROLOGUE = re.compile(r"\A\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*)*", re.I)
_SERVICE = re.compile(r"(?<![?$\w:])SERVICE\b", re.I)
_POSITION = re.compile(r"^error at (\d+):(\d+): ")


class QuerySyntaxError(InputError):
    """A query the parser rejects, located as `query:line:col: message`."""


class QueryRefused(ProjectError):
    """A request the read-only engine will not run: an update, or a federated SERVICE call."""


class QueryTimeout(ProjectError):
    """The query ran past the time limit; no partial result is returned."""

    exit_code = ExitCode.FAILED


class ResultTooLarge(ProjectError):
    """The result has more rows or triples than the limit; no partial result is returned."""

    exit_code = ExitCode.FAILED


@dataclass(frozen=True)
class Formats:
    """The format to write each kind of result in: a SPARQL results format for SELECT and ASK,
    an RDF format for CONSTRUCT and DESCRIBE; None when the caller accepts none."""

    results: str | None = "json"
    graph: str | None = "turtle"


@dataclass(frozen=True)
class Answer:
    """A query's result as written: its kind, the format used, and the bytes; the format is None
    (and there are no bytes) when `Formats` gave none for this kind."""

    kind: Kind
    format: str | None
    body: bytes = b""


@dataclass(frozen=True)
class Result:
    """A complete query result: solutions, a boolean, or a graph (never truncated)."""

    kind: Kind
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool = False
    triples: tuple[ox.Triple, ...] = ()

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "solutions" else len(self.triples)


def check(text: str) -> None:
    """Refuse updates and SERVICE calls before the engine sees the query.

    The engine would execute SERVICE by sending HTTP requests to any host named in the query,
    so federation is disabled outright (no server-side request forgery).
    """
    plain = _NOISE.sub(" ", text)
    words = _PROLOGUE.sub("", plain).split(None, 1)
    if words and words[0].upper() in _UPDATE_KEYWORDS:
        raise QueryRefused(f"{words[0].upper()} is an update; this endpoint is read-only")
    if _SERVICE.search(plain):
        raise QueryRefused("SERVICE (federated query) is disabled: it would contact other hosts")


@dataclass(frozen=True)
class Dataset:
    """A read-only store holding the published graph, queried with the project's prefixes."""

    store: ox.Store
    prefixes: dict[str, str]
    base_iri: str | None = None  # relative IRIs in queries resolve here, as in the data files

    @classmethod
    def from_quads(
        cls, quads: Iterable[ox.Quad], prefixes: dict[str, str], *, base_iri: str | None = None
    ) -> Dataset:
        store = ox.Store()
        store.extend(quads)
        return cls(store, dict(prefixes), base_iri)

    @classmethod
    def from_nquads(
        cls, data: bytes, prefixes: dict[str, str], *, base_iri: str | None = None
    ) -> Dataset:
        """Load N-Quads, parsed by the store itself (no Python object per statement)."""
        store = ox.Store()
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        return cls(store, dict(prefixes), base_iri)

    @classmethod
    def from_site(cls, site: Path, *, base_iri: str | None = None) -> Dataset:
        """Load the built N-Quads dump, with the prefixes of the Turtle dump."""
        store = ox.Store()
        try:
            store.bulk_load(path=site / "dumps" / "graph.nq", format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as exc:
            raise InputError(f"cannot load the built dumps: {exc}", path=site / "dumps") from None
        return cls(store, site_prefixes(site), base_iri)

    def evaluate(self, text: str) -> Result:
        """Run one read-only query over the whole dataset and return its complete result, as
        terms (for the build's examples and the text table; the endpoint uses `write`)."""
        with _translated(text):
            answer = self._query(text, (), ())
            if isinstance(answer, ox.QueryBoolean):
                return Result("boolean", boolean=bool(answer))
            if isinstance(answer, ox.QuerySolutions):
                variables = tuple(v.value for v in answer.variables)
                return Result("solutions", variables, rows=tuple(tuple(s) for s in answer))
            return Result("graph", triples=tuple(answer))

    def write(
        self,
        text: str,
        formats: Formats,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        max_results: int | None = None,
        deadline: float | None = None,
    ) -> Answer:
        """Run one read-only query and write its result in the format `formats` names for its
        kind, with pyoxigraph's own writers (no Python object per term).

        `deadline` (a `time.monotonic()` value) is checked as the result is written; a query that
        computes for long before its first solution (ORDER BY, GROUP BY) is only stopped there,
        which is why the endpoint runs queries in worker processes it can kill (`QueryPool`).

        Solutions and triples are written live first in a format of one line each (SPARQL 1.1
        TSV §3 and N-Triples write a newline inside a literal as `\\n`), so the limits are
        checked as the lines come; another format is then converted by pyoxigraph's parser and
        writer, which keep every term (blank node labels included) and the order.
        """
        with _translated(text):
            answer = self._query(text, default_graphs, named_graphs)
            kind: Kind = "graph"
            if isinstance(answer, (ox.QueryBoolean, ox.QuerySolutions)):
                kind = "boolean" if isinstance(answer, ox.QueryBoolean) else "solutions"
            fmt = formats.graph if kind == "graph" else formats.results
            if fmt is None:
                return Answer(kind, None)
            return Answer(kind, fmt, self._written(answer, fmt, _Lines(max_results, deadline)))

    def _written(
        self, answer: ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples, fmt: str, lines: _Lines
    ) -> bytes:
        if isinstance(answer, ox.QueryBoolean):
            return answer.serialize(format=RESULT_FORMATS[fmt]) or b""
        if isinstance(answer, ox.QuerySolutions):
            lines.header = 1  # the variables' line
            answer.serialize(lines, format=ox.QueryResultsFormat.TSV)
            if fmt == "tsv":
                return lines.getvalue()
            parsed = ox.parse_query_results(lines.getvalue(), format=ox.QueryResultsFormat.TSV)
            assert isinstance(parsed, ox.QuerySolutions)
            return parsed.serialize(format=RESULT_FORMATS[fmt]) or b""
        answer.serialize(lines, format=ox.RdfFormat.N_TRIPLES)
        if fmt == "ntriples":
            return lines.getvalue()
        triples = ox.parse(lines.getvalue(), format=ox.RdfFormat.N_TRIPLES)
        return ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=self.prefixes) or b""

    def _query(
        self, text: str, default_graphs: Sequence[str], named_graphs: Sequence[str]
    ) -> ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples:
        check(text)
        dataset: dict[str, object] = {"use_default_graph_as_union": True}
        if default_graphs or named_graphs:
            dataset = {
                "default_graph": [ox.NamedNode(g) for g in default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in named_graphs],
            }
        return self.store.query(text, base_iri=self.base_iri, prefixes=self.prefixes, **dataset)  # type: ignore[arg-type]


@contextmanager
def _translated(text: str) -> Iterator[None]:
    """Turn the engine's errors into the user's: a syntax error located in the query."""
    try:
        yield
    except SyntaxError as exc:
        raise _located(exc, text) from None
    except ValueError as exc:  # e.g. an IRI in default-graph-uri that is not an IRI
        raise InputError(str(exc), path="query") from None
    except OSError as exc:
        raise ProjectError(f"query failed: {exc}") from None


class _Lines(io.BytesIO):
    """A buffer for pyoxigraph's writers that checks the limits as the lines come: one line per
    row or triple, after `header` lines."""

    def __init__(self, limit: int | None, deadline: float | None) -> None:
        super().__init__()
        self.header, self._lines = 0, 0
        self._limit, self._deadline = limit, deadline

    def write(self, chunk: ReadableBuffer, /) -> int:
        data = bytes(chunk)
        if self._limit is not None:
            self._lines += data.count(b"\n")
            if self._lines - self.header > self._limit:
                raise ResultTooLarge(f"the result has more than {self._limit} rows; add a LIMIT")
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise QueryTimeout("the query ran past the time limit")
        return super().write(data)


def site_prefixes(site: Path) -> dict[str, str]:
    """Return the prefixes a built site's Turtle dump declares: the project's."""
    try:
        parser = ox.parse(path=site / "dumps" / "graph.ttl", format=ox.RdfFormat.TURTLE)
        next(parser, None)  # the prefixes are known once the first triple is read
        return dict(parser.prefixes)
    except (OSError, SyntaxError) as exc:
        raise InputError(f"cannot load the built dumps: {exc}", path=site / "dumps") from None


def _located(exc: SyntaxError, text: str) -> QuerySyntaxError:
    match = _POSITION.match(exc.msg)
    line, col = (int(match[1]), int(match[2])) if match else (exc.lineno or 0, exc.offset or 0)
    message = _POSITION.sub("", exc.msg).split("\n")[0]
    if "Prefix not found" in message:
        before = text.splitlines()[line - 1][: col - 1] if 0 < line <= len(text.splitlines()) else ""
        name = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", before)
        if name:
            col = name.start() + 1
            return QuerySyntaxError(
                f'undefined prefix "{name[1] or ""}:"; declare it with PREFIX',
                path="query",
                line=line,
                col=col,
            )
    # pyoxigraph lists every expected token, character classes included: keep the readable part.
    message = message.split(", [")[0]
    if len(message) > 120:
        message = message[: message.rfind(",", 0, 100)] + ", …"
    return QuerySyntaxError(message, path="query", line=line, col=col)
