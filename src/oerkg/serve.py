"""Serve the built site, content negotiation and a read-only SPARQL 1.1 endpoint; rebuild on change.

Serve is build plus watch plus HTTP: pages and RDF come from the folder `build()` wrote, and
`/sparql` answers through `query.QueryPool`, which is swapped for a fresh one after every good
rebuild (requests already running finish on the old one).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

import anyio
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .config import Config
from .errors import InputError, InputErrors, ProjectError
from .query import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    QueryPool,
    QueryRefused,
    QueryRequest,
    QueryTimeout,
    Result,
    ResultTooLarge,
    format_for,
    media_type,
    serialize,
)

WATCHED = ("ontology", "data", "shapes", "site_templates", "queries")
BODY_LIMIT = 1 << 20  # bytes; a SPARQL query is text, so 1 MiB is generous
HTML = "text/html"
RDF_TYPES = {  # media type -> extension of the alternate written by build()
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdf",
}
FILE_TYPES = {
    **{f".{ext}": media for media, ext in RDF_TYPES.items()},
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".rq": "application/sparql-query",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".gz": "application/gzip",
}
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


@dataclass(frozen=True)
class Site:
    """The built folder, read with every path kept inside it."""

    root: Path
    config: Config

    def file(self, relative: str) -> Path | None:
        """Return the file at a URL path, or None for anything outside the site or missing."""
        parts = relative.split("/")
        # No parent steps, and no hidden files (.htaccess) except the standard .well-known/.
        hidden = [p for p in parts if p.startswith(".") and p != ".well-known"]
        if hidden or any("\\" in p or "\x00" in p for p in parts):
            return None
        root = self.root.resolve()
        path = (root / relative).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        return path

    def stem(self, relative: str) -> str | None:
        """Return the file stem `build()` used for the IRI `{base}{relative}`."""
        from .model import output_stem

        return output_stem(self.config.base + relative, self.config)


def create_app(config: Config, site: Path, engine: Engine, *, body_limit: int = BODY_LIMIT) -> Starlette:
    """Return the ASGI app serving one built site folder and `/sparql`."""
    files = Site(site, config)

    async def page(request: Request) -> Response:
        return _page(files, request)

    async def sparql(request: Request) -> Response:
        return await _sparql(engine, request)

    app = Starlette(
        routes=[
            Route("/sparql", sparql, methods=["GET", "HEAD", "POST"]),
            Route("/{path:path}", page, methods=["GET", "HEAD"]),
        ],
        middleware=[
            Middleware(BodyLimit, limit=body_limit),
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "HEAD", "POST"],
                allow_headers=["Accept", "Content-Type"],
            ),  # fmt: skip
        ],
    )
    return app


class BodyLimit:
    """Refuse request bodies above `limit` bytes with 413, whether sized or chunked."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.limit:
            too_large = _text(413, f"request body over the limit of {self.limit} bytes")
            return await too_large(scope, receive, send)
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _text(413, f"request body over the limit of {self.limit} bytes")(scope, receive, send)


class _TooLarge(Exception):
    pass


# --- pages and RDF ---------------------------------------------------------------------------


def _page(site: Site, request: Request) -> Response:
    path = request.path_params["path"].strip("/") if request.url.path != "/" else "index"
    if path == ".well-known/void":
        found = site.file(path)
        return _file(found, "text/turtle") if found else _not_found(site)
    found = site.file(path)
    if found is not None:
        return _file(found, FILE_TYPES.get(found.suffix, "application/octet-stream"))
    stem = site.stem(path)
    if stem is None or site.file(f"{stem}.html") is None:
        return _not_found(site)
    return _negotiate(site, stem, request)


def _negotiate(site: Site, stem: str, request: Request) -> Response:
    """Pick HTML (by Accept-Language) or an RDF alternate by Accept, as Cool URIs describe."""
    rdf = {media: ext for media, ext in RDF_TYPES.items() if site.file(f"{stem}.{ext}")}
    media = _best(request.headers.get("accept", "*/*"), [HTML, *rdf])
    name = stem.rsplit("/", 1)[-1]
    links = [f'<{name}.{ext}>; rel="alternate"; type="{m}"' for m, ext in rdf.items()]
    for lang in site.config.languages:
        page = _html_name(name, lang, site)
        links.append(f'<{page}>; rel="alternate"; type="text/html"; hreflang="{lang}"')
    headers = {"Vary": "Accept, Accept-Language", "Link": ", ".join(links)}
    if media is None:
        offered = ", ".join([HTML, *rdf])
        return _text(406, f"not acceptable; this resource is available as {offered}", headers)
    if media == HTML:
        lang = _language(request.headers.get("accept-language", ""), site.config.languages)
        chosen = f"{stem.rsplit('/', 1)[0] + '/' if '/' in stem else ''}{_html_name(name, lang, site)}"
        path = site.file(chosen) or site.file(f"{stem}.html")
        headers["Content-Language"] = lang
    else:
        path = site.file(f"{stem}.{rdf[media]}")
    assert path is not None
    headers["Content-Location"] = path.name
    return _file(path, FILE_TYPES[path.suffix], headers)


def _html_name(name: str, lang: str, site: Site) -> str:
    return f"{name}.html" if lang == site.config.languages[0] else f"{name}.{lang}.html"


def _best(accept: str, offered: list[str]) -> str | None:
    """Choose the offered media type with the highest q in Accept (ties: server order)."""
    best, best_q = None, 0.0
    for media in offered:
        q = _quality(accept, media)
        if q > best_q:
            best, best_q = media, q
    return best


def _quality(accept: str, media: str) -> float:
    kind = media.split("/")[0]
    scores: list[tuple[int, float]] = []
    for item in accept.split(","):
        name, *params = (p.strip() for p in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        name = name.lower()
        if name == "application/xhtml+xml":
            name = HTML
        specificity = {media: 3, f"{kind}/*": 2, "*/*": 1}.get(name)
        if specificity:
            scores.append((specificity, q))
    return max(scores)[1] if scores else 0.0


def _language(header: str, languages: tuple[str, ...]) -> str:
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(header.split(",")):
        tag, *params = (p.strip() for p in item.split(";"))
        q = next((float(p[2:]) for p in params if p.startswith("q=") and _is_float(p[2:])), 1.0)
        primary = tag.split("-")[0].lower()
        if primary in languages and q > 0:
            ranked.append((-q, index, primary))
    return min(ranked)[2] if ranked else languages[0]


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _file(path: Path, media: str, headers: dict[str, str] | None = None) -> Response:
    # Read the whole file now: a rebuild may swap the folder while the response is sent.
    return Response(path.read_bytes(), media_type=media, headers=headers)


def _not_found(site: Site) -> Response:
    page = site.file("404.html")
    if page is None:
        return _text(404, "not found")
    return Response(page.read_bytes(), 404, media_type="text/html; charset=utf-8")


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(message + "\n", status, headers=headers, media_type="text/plain; charset=utf-8")


# --- /sparql ---------------------------------------------------------------------------------


async def _sparql(engine: Engine, request: Request) -> Response:
    """Answer the SPARQL 1.1 Protocol: query via GET, POST form or POST direct; never update."""
    try:
        params = parse_qsl(request.url.query, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        return _text(400, "the query string is not UTF-8")
    if request.method == "POST":
        body = await request.body()
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        charset = _charset(request.headers.get("content-type", ""))
        if media == "application/sparql-update":
            return _text(403, "updates are refused: this endpoint is read-only")
        try:
            text = body.decode(charset)
            if media == "application/x-www-form-urlencoded":
                params += parse_qsl(text, keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, LookupError):
            return _text(400, f"the request body is not valid {charset}")
        if media == "application/sparql-query":
            params.append(("query", text))
        elif media != "application/x-www-form-urlencoded":
            return _text(415, "send application/sparql-query or application/x-www-form-urlencoded")
    if any(k == "update" for k, _ in params):
        return _text(403, "updates are refused: this endpoint is read-only")
    texts = [v for k, v in params if k == "query"]
    if not texts:
        if request.method == "POST":
            return _text(400, "no query given")
        return _service_description(engine, request)
    if len(texts) > 1:
        return _text(400, "give exactly one query")
    job = QueryRequest(
        texts[0],
        tuple(v for k, v in params if k == "default-graph-uri"),
        tuple(v for k, v in params if k == "named-graph-uri"),
    )
    try:
        result = await anyio.to_thread.run_sync(engine.pool.run, job)
    except ProjectError as exc:
        status = next((s for t, s in ERROR_STATUS.items() if isinstance(exc, t)), 500)
        return _text(status, str(exc))
    return _results(result, request, params, engine.pool)


def _charset(content_type: str) -> str:
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset":
            return value.strip('"').lower()
    return "utf-8"


def _results(result: Result, request: Request, params: list[tuple[str, str]],
             pool: QueryPool) -> Response:  # fmt: skip
    names = list(GRAPH_FORMATS if result.kind == "graph" else RESULT_FORMATS)
    wanted = next((v for k, v in params if k == "format"), None)
    if wanted is not None:
        fmt = wanted if wanted in names else format_for(wanted)
    else:
        offers = {media_type(n).split(";")[0]: n for n in names}
        if result.kind != "graph":
            offers["application/json"] = "json"  # what generic clients ask for
        best = _best(request.headers.get("accept", "*/*"), list(offers))
        fmt = offers[best] if best else None
    if fmt not in names:
        types = ", ".join(media_type(n).split(";")[0] for n in names)
        return _text(406, f"not acceptable; this result is available as {types}")
    assert fmt is not None
    body = serialize(result, fmt, prefixes=None)
    return Response(body, media_type=media_type(fmt), headers={"Vary": "Accept"})


def _service_description(engine: Engine, request: Request) -> Response:
    """Describe the endpoint (SPARQL 1.1 Service Description) in Turtle."""
    sd = "http://www.w3.org/ns/sparql-service-description#"
    me = ox.NamedNode(str(request.url.replace(query="")))
    node = ox.BlankNode()
    triples = [
        ox.Triple(me, ox.NamedNode(f"{RDF_NS}type"), ox.NamedNode(f"{sd}Service")),
        ox.Triple(me, ox.NamedNode(f"{sd}endpoint"), me),
        ox.Triple(me, ox.NamedNode(f"{sd}supportedLanguage"), ox.NamedNode(f"{sd}SPARQL11Query")),
        ox.Triple(me, ox.NamedNode(f"{sd}feature"), ox.NamedNode(f"{sd}UnionDefaultGraph")),
        ox.Triple(me, ox.NamedNode(f"{sd}defaultDataset"), node),
        ox.Triple(node, ox.NamedNode(f"{RDF_NS}type"), ox.NamedNode(f"{sd}Dataset")),
    ]
    for f in (*RESULT_FORMATS.values(), *GRAPH_FORMATS.values()):
        triples.append(ox.Triple(me, ox.NamedNode(f"{sd}resultFormat"), ox.NamedNode(f.iri)))
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={"sd": sd}) or b""
    return Response(body, media_type="text/turtle", headers={"Vary": "Accept"})


RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


# --- oerkg serve -----------------------------------------------------------------------------


def serve(
    config: Config,
    *,
    out: Path | None,
    host: str = "127.0.0.1",
    port: int = 8000,
    timeout: float = 10.0,
    max_results: int = 100_000,
    watch: bool = True,
) -> None:
    """Build, serve the site and `/sparql` on host:port, and rebuild when sources change."""
    import uvicorn

    from .build import build

    site = out or config.project / "site"
    print(build(config, out=site).summary())

    def pool() -> QueryPool:
        return QueryPool(site, base_iri=config.base, timeout=timeout, max_results=max_results)

    engine = Engine(pool)
    stop = threading.Event()
    if watch:
        threading.Thread(target=_watch, args=(config, site, engine, stop), daemon=True).start()
    app = create_app(config, site, engine)
    print(f"Serving {site} on http://{host}:{port}/ (SPARQL at /sparql); Ctrl-C stops.")
    try:
        uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning")).run()
    finally:
        stop.set()
        engine.close()


def _watch(config: Config, site: Path, engine: Engine, stop: threading.Event) -> None:
    """Rebuild into the same folder on every change; keep the last good site when one fails."""
    import watchfiles

    from .build import build

    folders = [config.dir(name) for name in WATCHED if config.dir(name).is_dir()]
    for changes in watchfiles.watch(*folders, stop_event=stop):
        print(f"{len(changes)} change(s); rebuilding…", file=sys.stderr)
        try:
            result = build(config, out=site)
            engine.reload()
        except InputErrors as exc:
            for error in exc.errors:
                print(error.located(), file=sys.stderr)
            print("Error: the rebuild failed; still serving the last good site.", file=sys.stderr)
        except ProjectError as exc:
            print(
                f"Error: {exc}\nThe rebuild failed; still serving the last good site.",
                file=sys.stderr,
            )
        else:
            print(result.summary(), file=sys.stderr)
