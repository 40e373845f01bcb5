"""The one SPARQL seam: a read-only pyoxigraph dataset, its limits, and results written out.

Every query in oerkg (the `query` command, the `/sparql` endpoint, the build's example queries,
the benchmarks) runs through `Dataset.evaluate`. Queries see the project's prefixes predeclared (those declared in its
ontology and data files, e.g. `schema:`, `org:`), so `SELECT ?n { ?x schema:name ?n }` needs no
PREFIX line; a PREFIX in the query overrides a predeclared one. The default graph is the union
of the named graphs (one per source data file) unless the request names its own dataset.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

import pyoxigraph as ox

from .errors import ExitCode, InputError, ProjectError
from .formats import GRAPH_FORMATS, RESULT_FORMATS
from .vocab import Term

Kind = Literal["solutions", "boolean", "graph"]
T = TypeVar("T")

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

    def evaluate(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        max_results: int | None = None,
        deadline: float | None = None,
    ) -> Result:
        """Run one read-only query and return its complete result.

        `deadline` (a `time.monotonic()` value) is checked between solutions; a query that
        computes for long before its first solution (ORDER BY, GROUP BY) is only stopped there,
        which is why the endpoint runs queries in worker processes it can kill (`QueryPool`).
        """
        check(text)
        dataset: dict[str, object] = {"use_default_graph_as_union": True}
        if default_graphs or named_graphs:
            dataset = {
                "default_graph": [ox.NamedNode(g) for g in default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in named_graphs],
            }
        try:
            answer = self.store.query(text, base_iri=self.base_iri, prefixes=self.prefixes, **dataset)  # type: ignore[arg-type]
            if isinstance(answer, ox.QueryBoolean):
                return Result("boolean", boolean=bool(answer))
            if isinstance(answer, ox.QuerySolutions):
                variables = tuple(v.value for v in answer.variables)
                rows = _bounded((tuple(s) for s in answer), max_results, deadline)
                return Result("solutions", variables, rows=tuple(rows))
            return Result("graph", triples=tuple(_bounded(answer, max_results, deadline)))
        except SyntaxError as exc:
            raise _located(exc, text) from None
        except ValueError as exc:  # e.g. an IRI in default-graph-uri that is not an IRI
            raise InputError(str(exc), path="query") from None
        except OSError as exc:
            raise ProjectError(f"query failed: {exc}") from None


def site_prefixes(site: Path) -> dict[str, str]:
    """Return the prefixes a built site's Turtle dump declares: the project's."""
    try:
        parser = ox.parse(path=site / "dumps" / "graph.ttl", format=ox.RdfFormat.TURTLE)
        next(parser, None)  # the prefixes are known once the first triple is read
        return dict(parser.prefixes)
    except (OSError, SyntaxError) as exc:
        raise InputError(f"cannot load the built dumps: {exc}", path=site / "dumps") from None


def _bounded(items: Iterable[T], limit: int | None, deadline: float | None) -> list[T]:
    out: list[T] = []
    for item in items:
        if limit is not None and len(out) >= limit:
            raise ResultTooLarge(f"the result has more than {limit} rows; add a LIMIT")
        if deadline is not None and time.monotonic() > deadline:
            raise QueryTimeout("the query ran past the time limit")
        out.append(item)
    return out


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


def serialize(result: Result, fmt: str, *, prefixes: dict[str, str] | None = None) -> bytes:
    """Write a result in a SPARQL results format (json/xml/csv/tsv) or an RDF format."""
    if result.kind == "graph":
        if fmt not in GRAPH_FORMATS:
            raise InputError(f"{fmt} is for SELECT/ASK; use one of {', '.join(GRAPH_FORMATS)}")
        return ox.serialize(result.triples, format=GRAPH_FORMATS[fmt], prefixes=prefixes) or b""
    if fmt not in RESULT_FORMATS:
        raise InputError(f"{fmt} is for CONSTRUCT/DESCRIBE; use one of {', '.join(RESULT_FORMATS)}")
    # pyoxigraph writes results only from its live iterator, and no result reaches here live:
    # `evaluate` takes the rows out one by one to stop at `max_results` and the deadline, which
    # pyoxigraph's own writer cannot. So the rows are written as JSON and parsed back into a
    # live iterator (100k rows: 1.3 s, against 0.4 s for evaluating and writing live).
    import json

    if result.kind == "boolean":
        doc: dict[str, object] = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [
            {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]
        doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    data = json.dumps(doc, ensure_ascii=False).encode()
    if fmt == "json":
        return data
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    assert not isinstance(parsed, ox.QueryTriples)
    return parsed.serialize(format=RESULT_FORMATS[fmt]) or b""


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    parts = zip(("subject", "predicate", "object"), term, strict=True)
    return {"type": "triple", "value": {k: _json_term(t) for k, t in parts}}
