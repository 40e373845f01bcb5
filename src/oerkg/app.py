"""The web app `oerkg serve` runs: the built site's files, Cool-URI content negotiation, `/sparql`.

Files are answered as a production server answers them: gzip for text over GZIP_FROM bytes,
validators (`ETag`, `Last-Modified`) with `304 Not Modified` on a matching conditional request
(RFC 9110 §13), `Cache-Control` (RFC 9111 §5.2), and a `Vary` that names every request header
the answer depends on.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .config import Config
from .endpoint import Engine, sparql_response, text_response
from .formats import ENTITY_FORMATS, Format
from .negotiate import HTML, best_language, best_media

HEAD_LIMIT = 64 * 1024  # bytes of request line, and of header fields (GET queries fit in it)
BODY_LIMIT = 1 << 20  # bytes; a SPARQL query is text, so 1 MiB is generous
GZIP_FROM = 1024  # bytes: below this, gzip's header and the CPU cost more than they save
# Already compressed: gzip would only cost CPU.
UNCOMPRESSED = ("application/gzip", "image/png", "image/jpeg", "image/webp", "font/woff2")
# A content hash in the file name (`app.3f2a9c1e.js`): the file at that name never changes.
HASHED_NAME = re.compile(r"\.[0-9a-f]{8,64}\.[A-Za-z0-9]+$")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"  # may be stored, but asked again each time: a rebuild changes pages
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
class SiteFiles:
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


def create_app(
    config: Config,
    site: Path,
    engine: Engine,
    *,
    head_limit: int = HEAD_LIMIT,
    body_limit: int = BODY_LIMIT,
) -> Starlette:
    """Return the ASGI app serving one built site folder and `/sparql`."""
    files = SiteFiles(site, config)

    async def page(request: Request) -> Response:
        return _page(files, request)

    async def sparql(request: Request) -> Response:
        return await sparql_response(engine, request)

    return Starlette(
        routes=[
            Route("/sparql", sparql, methods=["GET", "HEAD", "POST"]),
            Route("/{path:path}", page, methods=["GET", "HEAD"]),
        ],
        middleware=[
            Middleware(Limits, head=head_limit, body=body_limit),
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "HEAD", "POST"],
                allow_headers=["Accept", "Content-Type"],
            ),
            # Adds `Vary: Accept-Encoding` to every answer it could have compressed.
            Middleware(GZipMiddleware, minimum_size=GZIP_FROM, exclude_content_types=UNCOMPRESSED),
        ],
    )


class Limits:
    """Refuse a request line or header fields over `head` bytes (414, 431) and a body over
    `body` bytes (413), whether sized or chunked."""

    def __init__(self, app: ASGIApp, *, head: int, body: int) -> None:
        self.app, self.head, self.body = app, head, body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        refused = self._refused(scope)
        if refused is not None:
            return await refused(scope, receive, send)
        seen = 0

        async def counted() -> Message:  # a chunked body has no length to check first
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.body:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._too_large()(scope, receive, send)

    def _refused(self, scope: Scope) -> Response | None:
        target = scope["raw_path"] + b"?" + scope["query_string"]
        if len(target) > self.head:
            return text_response(*head_refusal(target, self.head, line=True))
        if sum(len(k) + len(v) + 4 for k, v in scope["headers"]) > self.head:
            return text_response(*head_refusal(target, self.head, line=False))
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.body:
            return self._too_large()
        return None

    def _too_large(self) -> Response:
        return text_response(413, f"request body over the limit of {self.body} bytes")


class _TooLarge(Exception):
    pass


def head_refusal(target: bytes, limit: int, *, line: bool) -> tuple[int, str]:
    """The status and reason for a request line (`line`) or header fields over `limit` bytes:
    414 URI Too Long (RFC 9110 §15.5.15), 431 Request Header Fields Too Large (RFC 6585 §5)."""
    if not line:
        return 431, f"the request's header fields are over {limit} bytes"
    message = f"the request line is over {limit} bytes"
    if target.split(b"?")[0].endswith(b"/sparql"):
        message += (
            "; send long queries with POST (SPARQL 1.1 Protocol §2.1.2 and §2.1.3: "
            "as a form, or the query itself as application/sparql-query)"
        )
    return 414, message


# --- pages and RDF ---------------------------------------------------------------------------


def _page(site: SiteFiles, request: Request) -> Response:
    path = request.path_params["path"].strip("/") if request.url.path != "/" else "index"
    found = site.file(path)
    if found is not None:
        media = "text/turtle" if path == ".well-known/void" else _media_type(found)
        return _file(found, media, request)
    stem = site.stem(path)
    if stem is None or site.file(f"{stem}.html") is None:
        return _not_found(site)
    return _negotiate(site, stem, request)


def _negotiate(site: SiteFiles, stem: str, request: Request) -> Response:
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
    return _file(path, _media_type(path), request, headers)


def _html_name(name: str, lang: str, site: SiteFiles) -> str:
    return f"{name}.html" if lang == site.config.languages[0] else f"{name}.{lang}.html"


def _media_type(path: Path) -> str:
    return FILE_TYPES.get(path.suffix, "application/octet-stream")


def _file(path: Path, media: str, request: Request, headers: dict[str, str] | None = None) -> Response:
    """Answer with a file and its validators, or 304 when the client's copy is still current."""
    # Read the whole file now: a rebuild may swap the folder while the response is sent.
    body = path.read_bytes()
    modified = int(path.stat().st_mtime)
    # Weak (RFC 9110 §8.8.3): the gzip and identity encodings of the file share the tag.
    etag = f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
    headers = {
        **(headers or {}),
        "ETag": etag,
        "Last-Modified": formatdate(modified, usegmt=True),
        "Cache-Control": IMMUTABLE if HASHED_NAME.search(path.name) else REVALIDATE,
    }
    if not _modified(request.headers, etag, modified):
        # A 304 carries the Vary its 200 would (§15.4.5): the gzip middleware adds
        # Accept-Encoding to the 200s it could compress, and never sees this empty answer.
        if len(body) >= GZIP_FROM and media.split(";")[0] not in UNCOMPRESSED:
            headers["Vary"] = ", ".join(filter(None, [headers.get("Vary"), "Accept-Encoding"]))
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


def _modified(request: Headers, etag: str, modified: int) -> bool:
    """False when a conditional GET's validators match (RFC 9110 §13.1.2, §13.1.3, §13.2.2)."""
    if "if-none-match" in request:
        tags = [tag.strip().removeprefix("W/") for tag in request["if-none-match"].split(",")]
        return not ("*" in tags or etag.removeprefix("W/") in tags)  # weak comparison
    try:
        since = parsedate_to_datetime(request["if-modified-since"]).timestamp()
    except (KeyError, TypeError, ValueError):  # absent or not a date: ignored
        return True
    return modified > since


def _not_found(site: SiteFiles) -> Response:
    page = site.file("404.html")
    if page is None:
        return text_response(404, "not found")
    return Response(page.read_bytes(), 404, media_type="text/html; charset=utf-8")
