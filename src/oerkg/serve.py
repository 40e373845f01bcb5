"""Serve the built site, content negotiation and a read-only SPARQL 1.1 endpoint; rebuild on change.

Serve is build plus watch plus HTTP: pages and RDF come from the folder `build()` wrote, and
`/sparql` answers through `query.QueryPool`, which is swapped for a fresh one after every good
rebuild (requests already running finish on the old one).
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .config import Config
from .endpoint import Engine, sparql_response, text_response
from .errors import ProjectError
from .formats import ENTITY_FORMATS, Format
from .negotiate import HTML, best_language, best_media
from .query_pool import QueryPool

WATCHED = ("ontology", "data", "shapes", "site_templates", "queries")
BODY_LIMIT = 1 << 20  # bytes; a SPARQL query is text, so 1 MiB is generous
# media type -> extension of an entity's RDF file written by build()
RDF_TYPES = {f.media_type: f.ext for f in ENTITY_FORMATS}
FILE_TYPES = {
    **{f".{f.ext}": f.media_type for f in Format},
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".rq": "application/sparql-query",
    ".gz": "application/gzip",
}


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
        return await sparql_response(engine, request)

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
            ),
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
            too_large = text_response(413, f"request body over the limit of {self.limit} bytes")
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
            await text_response(413, f"request body over the limit of {self.limit} bytes")(
                scope, receive, send
            )


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
    media = best_media(request.headers.get("accept", "*/*"), [HTML, *rdf])
    name = stem.rsplit("/", 1)[-1]
    links = [f'<{name}.{ext}>; rel="alternate"; type="{m}"' for m, ext in rdf.items()]
    for lang in site.config.languages:
        page = _html_name(name, lang, site)
        links.append(f'<{page}>; rel="alternate"; type="text/html"; hreflang="{lang}"')
    headers = {"Vary": "Accept, Accept-Language", "Link": ", ".join(links)}
    if media is None:
        offered = ", ".join([HTML, *rdf])
        return text_response(406, f"not acceptable; this resource is available as {offered}", headers)
    if media == HTML:
        lang = best_language(request.headers.get("accept-language", ""), site.config.languages)
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


def _file(path: Path, media: str, headers: dict[str, str] | None = None) -> Response:
    # Read the whole file now: a rebuild may swap the folder while the response is sent.
    return Response(path.read_bytes(), media_type=media, headers=headers)


def _not_found(site: Site) -> Response:
    page = site.file("404.html")
    if page is None:
        return text_response(404, "not found")
    return Response(page.read_bytes(), 404, media_type="text/html; charset=utf-8")


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
        except ProjectError as exc:
            print("\n".join(exc.lines()), file=sys.stderr)
            print("The rebuild failed; still serving the last good site.", file=sys.stderr)
        else:
            print(result.summary(), file=sys.stderr)
