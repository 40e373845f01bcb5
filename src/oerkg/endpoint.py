"""The read-only SPARQL 1.1 Protocol endpoint: `/sparql` over the current query pool.

SPARQL 1.1 Protocol §2.1 (query via GET, POST form, POST direct), results negotiated by `Accept`
(§2.1.5 / SPARQL 1.1 Query Results formats), and a Service Description on a plain GET.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import parse_qsl

import anyio
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from .errors import InputError, ProjectError
from .negotiate import best_media
from .query import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    QueryRefused,
    QueryTimeout,
    Result,
    ResultTooLarge,
    Term,
    format_for,
    media_type,
    serialize,
)
from .query_pool import QueryPool, QueryRequest

ERROR_STATUS: dict[type[ProjectError], int] = {
    QueryRefused: 403,  # read-only: updates and SERVICE are refused, nothing changes
    QueryTimeout: 503,  # past the time limit: no partial result
    ResultTooLarge: 507,  # more rows than the limit: no truncated 200
    InputError: 400,  # syntax errors (query:line:col), bad graph IRIs
}


class Engine:
    """The current query pool; replaced as a whole after each good build."""

    def __init__(self, make: Callable[[], QueryPool]) -> None:
        self._make = make
        self.pool = make()

    def reload(self) -> None:
        old, self.pool = self.pool, self._make()
        # Requests that took the old pool just before the swap still get a worker from it.
        timer = threading.Timer(old.timeout + 1.0, old.close)
        timer.daemon = True
        timer.start()

    def close(self) -> None:
        self.pool.close()


async def sparql_response(engine: Engine, request: Request) -> Response:
    """Answer the SPARQL 1.1 Protocol: query via GET, POST form or POST direct; never update."""
    try:
        params = parse_qsl(request.url.query, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        return text_response(400, "the query string is not UTF-8")
    if request.method == "POST":
        body = await request.body()
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        charset = _charset(request.headers.get("content-type", ""))
        if media == "application/sparql-update":
            return text_response(403, "updates are refused: this endpoint is read-only")
        try:
            text = body.decode(charset)
            if media == "application/x-www-form-urlencoded":
                params += parse_qsl(text, keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, LookupError):
            return text_response(400, f"the request body is not valid {charset}")
        if media == "application/sparql-query":
            params.append(("query", text))
        elif media != "application/x-www-form-urlencoded":
            return text_response(
                415, "send application/sparql-query or application/x-www-form-urlencoded"
            )
    if any(k == "update" for k, _ in params):
        return text_response(403, "updates are refused: this endpoint is read-only")
    texts = [v for k, v in params if k == "query"]
    if len(texts) > 1:
        return text_response(400, "give exactly one query")
    if texts:
        job = QueryRequest(
            texts[0],
            tuple(v for k, v in params if k == "default-graph-uri"),
            tuple(v for k, v in params if k == "named-graph-uri"),
        )
    elif request.method == "POST":
        return text_response(400, "no query given")
    else:  # a plain GET: the Service Description, which lists the named graphs
        job = QueryRequest(NAMED_GRAPHS)
    try:
        result = await anyio.to_thread.run_sync(engine.pool.run, job)
    except ProjectError as exc:
        status = next((s for t, s in ERROR_STATUS.items() if isinstance(exc, t)), 500)
        return text_response(status, str(exc))
    if not texts:
        return _service_description(request, [row[0] for row in result.rows if row[0] is not None])
    return _results(result, request, params, engine.pool)


def _charset(content_type: str) -> str:
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset":
            return value.strip('"').lower()
    return "utf-8"


def _results(
    result: Result, request: Request, params: list[tuple[str, str]], pool: QueryPool
) -> Response:
    names = list(GRAPH_FORMATS if result.kind == "graph" else RESULT_FORMATS)
    wanted = next((v for k, v in params if k == "format"), None)
    if wanted is not None:
        fmt = wanted if wanted in names else format_for(wanted)
    else:
        offers = {media_type(n).split(";")[0]: n for n in names}
        if result.kind != "graph":
            offers["application/json"] = "json"  # what generic clients ask for
        best = best_media(request.headers.get("accept", "*/*"), list(offers))
        fmt = offers[best] if best else None
    if fmt not in names:
        types = ", ".join(media_type(n).split(";")[0] for n in names)
        return text_response(406, f"not acceptable; this result is available as {types}")
    assert fmt is not None
    body = serialize(result, fmt, prefixes=pool.prefixes)  # CONSTRUCT in Turtle reads as the dumps
    return Response(body, media_type=media_type(fmt), headers={"Vary": "Accept"})


# The dataset's named graphs (one per source file), for the Service Description.
NAMED_GRAPHS = "SELECT DISTINCT ?graph WHERE { GRAPH ?graph {} } ORDER BY ?graph"


def _service_description(request: Request, graphs: list[Term]) -> Response:
    """Describe the endpoint and its dataset, the union of its named `graphs` as the default
    graph, in Turtle (SPARQL 1.1 Service Description §3.2, §3.4)."""
    sd = "http://www.w3.org/ns/sparql-service-description#"
    a = ox.NamedNode(f"{RDF_NS}type")
    me = ox.NamedNode(str(request.url.replace(query="")))
    dataset, default = ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(me, a, ox.NamedNode(f"{sd}Service")),
        ox.Triple(me, ox.NamedNode(f"{sd}endpoint"), me),
        ox.Triple(me, ox.NamedNode(f"{sd}supportedLanguage"), ox.NamedNode(f"{sd}SPARQL11Query")),
        ox.Triple(me, ox.NamedNode(f"{sd}feature"), ox.NamedNode(f"{sd}UnionDefaultGraph")),
        ox.Triple(me, ox.NamedNode(f"{sd}defaultDataset"), dataset),
        ox.Triple(dataset, a, ox.NamedNode(f"{sd}Dataset")),
        ox.Triple(dataset, ox.NamedNode(f"{sd}defaultGraph"), default),
        ox.Triple(default, a, ox.NamedNode(f"{sd}Graph")),
    ]
    for name in graphs:
        graph = ox.BlankNode()
        triples.append(ox.Triple(dataset, ox.NamedNode(f"{sd}namedGraph"), graph))
        triples.append(ox.Triple(graph, a, ox.NamedNode(f"{sd}NamedGraph")))
        triples.append(ox.Triple(graph, ox.NamedNode(f"{sd}name"), name))
    for f in (*RESULT_FORMATS.values(), *GRAPH_FORMATS.values()):
        triples.append(ox.Triple(me, ox.NamedNode(f"{sd}resultFormat"), ox.NamedNode(f.iri)))
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={"sd": sd}) or b""
    return Response(body, media_type="text/turtle", headers={"Vary": "Accept"})


RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def text_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """Return a plain-text message with a status (errors people and scripts can read)."""
    return Response(message + "\n", status, headers=headers, media_type="text/plain; charset=utf-8")
