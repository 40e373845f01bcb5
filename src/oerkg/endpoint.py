"""The read-only SPARQL 1.1 Protocol endpoint: `/sparql` over the current query pool.

SPARQL 1.1 Protocol §2.1 (query via GET, POST form, POST direct), results negotiated by `Accept`
(§2.1.5 / SPARQL 1.1 Query Results formats), and a Service Description on a plain GET.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from urllib.parse import parse_qsl

import anyio
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from .errors import InputError, ProjectError
from .formats import GRAPH_FORMATS, RESULT_FORMATS, format_for, media_type
from .negotiate import best_media
from .query import Answer, Formats, QueryRefused, QueryTimeout, ResultTooLarge
from .query_pool import QueryPool, QueryRequest
from .vocab import RDF_TYPE, SD

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


class Refused(Exception):
    """A request the endpoint answers with an error status and a plain-text reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


async def sparql_response(engine: Engine, request: Request) -> Response:
    """Answer the SPARQL 1.1 Protocol: query via GET, POST form or POST direct; never update."""
    try:
        params = await _parameters(request)
        _refuse_updates(params)
        job = _job(params, request)
        if job is None:  # a plain GET: the Service Description, which lists the named graphs
            return _service_description(request, engine.pool.graphs)
        answer = await _evaluate(engine, job)
    except Refused as refused:
        return text_response(refused.status, refused.message)
    if answer.format is None:
        types = ", ".join(media_type(n).split(";")[0] for n in _names(answer.kind))
        return text_response(406, f"not acceptable; this result is available as {types}")
    return Response(answer.body, media_type=media_type(answer.format), headers={"Vary": "Accept"})


async def _parameters(request: Request) -> list[tuple[str, str]]:
    """The protocol's parameters: the query string's, then a POST body's (§2.1.2, §2.1.3)."""
    try:
        params = parse_qsl(request.url.query, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise Refused(400, "the query string is not UTF-8") from None
    if request.method == "POST":
        params += await _body_parameters(request)
    return params


async def _body_parameters(request: Request) -> list[tuple[str, str]]:
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    if media == "application/sparql-update":
        raise Refused(403, "updates are refused: this endpoint is read-only")
    if media not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        raise Refused(415, "send application/sparql-query or application/x-www-form-urlencoded")
    charset = _charset(content_type)
    try:
        text = (await request.body()).decode(charset)
        if media == "application/sparql-query":
            return [("query", text)]
        return parse_qsl(text, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, LookupError):
        raise Refused(400, f"the request body is not valid {charset}") from None


def _refuse_updates(params: list[tuple[str, str]]) -> None:
    if any(k == "update" for k, _ in params):
        raise Refused(403, "updates are refused: this endpoint is read-only")


def _job(params: list[tuple[str, str]], request: Request) -> QueryRequest | None:
    """The one query, its protocol dataset (§2.1.4) and the formats the client accepts for each
    kind of result; None for a plain GET."""
    texts = [v for k, v in params if k == "query"]
    if len(texts) > 1:
        raise Refused(400, "give exactly one query")
    if not texts:
        if request.method == "POST":
            raise Refused(400, "no query given")
        return None
    wanted = next((v for k, v in params if k == "format"), None)
    accept = request.headers.get("accept", "*/*")
    return QueryRequest(
        texts[0],
        tuple(v for k, v in params if k == "default-graph-uri"),
        tuple(v for k, v in params if k == "named-graph-uri"),
        Formats(_format("solutions", wanted, accept), _format("graph", wanted, accept)),
    )


def _names(kind: str) -> list[str]:
    return list(GRAPH_FORMATS if kind == "graph" else RESULT_FORMATS)


def _format(kind: str, wanted: str | None, accept: str) -> str | None:
    """The format for a kind of result: the `format=` parameter's, else the best by Accept
    (§2.1.5); None when the client accepts none of this kind's formats."""
    names = _names(kind)
    if wanted is not None:
        fmt = wanted if wanted in names else format_for(wanted)
        return fmt if fmt in names else None
    offers = {media_type(n).split(";")[0]: n for n in names}
    if kind != "graph":
        offers["application/json"] = "json"  # what generic clients ask for
    best = best_media(accept, list(offers))
    return offers[best] if best else None


async def _evaluate(engine: Engine, job: QueryRequest) -> Answer:
    try:
        return await anyio.to_thread.run_sync(engine.pool.run, job)
    except ProjectError as exc:
        status = next((s for t, s in ERROR_STATUS.items() if isinstance(exc, t)), 500)
        raise Refused(status, str(exc)) from None


def _charset(content_type: str) -> str:
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset":
            return value.strip('"').lower()
    return "utf-8"


def _service_description(request: Request, graphs: Sequence[str]) -> Response:
    """Describe the endpoint and its dataset, the union of its named `graphs` as the default
    graph, in Turtle (SPARQL 1.1 Service Description §3.2, §3.4)."""
    a = ox.NamedNode(RDF_TYPE)
    me = ox.NamedNode(str(request.url.replace(query="")))
    dataset, default = ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(me, a, ox.NamedNode(f"{SD}Service")),
        ox.Triple(me, ox.NamedNode(f"{SD}endpoint"), me),
        ox.Triple(me, ox.NamedNode(f"{SD}supportedLanguage"), ox.NamedNode(f"{SD}SPARQL11Query")),
        ox.Triple(me, ox.NamedNode(f"{SD}feature"), ox.NamedNode(f"{SD}UnionDefaultGraph")),
        ox.Triple(me, ox.NamedNode(f"{SD}defaultDataset"), dataset),
        ox.Triple(dataset, a, ox.NamedNode(f"{SD}Dataset")),
        ox.Triple(dataset, ox.NamedNode(f"{SD}defaultGraph"), default),
        ox.Triple(default, a, ox.NamedNode(f"{SD}Graph")),
    ]
    for name in graphs:
        graph = ox.BlankNode()
        triples.append(ox.Triple(dataset, ox.NamedNode(f"{SD}namedGraph"), graph))
        triples.append(ox.Triple(graph, a, ox.NamedNode(f"{SD}NamedGraph")))
        triples.append(ox.Triple(graph, ox.NamedNode(f"{SD}name"), ox.NamedNode(name)))
    for iri in [f.iri for f in RESULT_FORMATS.values()] + [f.iri for f in GRAPH_FORMATS.values()]:
        triples.append(ox.Triple(me, ox.NamedNode(f"{SD}resultFormat"), ox.NamedNode(iri)))
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={"sd": SD}) or b""
    return Response(body, media_type="text/turtle", headers={"Vary": "Accept"})


def text_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """Return a plain-text message with a status (errors people and scripts can read)."""
    return Response(message + "\n", status, headers=headers, media_type="text/plain; charset=utf-8")
