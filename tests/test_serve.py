"""`oerkg serve`: pages, Cool-URI content negotiation and the 404 page, over a real server.

The helpers here (a small hand-made site, a uvicorn server on a free port) are shared by
test_protocol.py and test_hardening.py.
"""

from __future__ import annotations

import gzip
import re
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import uvicorn
from rdflib import Graph
from rdflib.compare import isomorphic
from starlette.applications import Starlette

import oerkg.forked
from oerkg.app import create_app
from oerkg.config import Config
from oerkg.endpoint import Engine
from oerkg.query_pool import QueryPool
from oerkg.serve import server_config

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://example.org/kg/"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
KASEI = "http://kasei.us/2009/09/sparql/data/"
RDF_MEDIA = {
    "text/turtle": ("ttl", "turtle"),
    "application/n-triples": ("nt", "nt"),
    "application/ld+json": ("jsonld", "json-ld"),
    "application/rdf+xml": ("rdf", "xml"),
}


def sample_quads() -> list[ox.Quad]:
    """Two entities in two source graphs, plus the W3C protocol tests' three graphs."""
    alpha, beta = ox.NamedNode(f"{BASE}id/alpha"), ox.NamedNode(f"{BASE}id/beta")
    g_a, g_b = ox.NamedNode(f"{BASE}graph/data/a"), ox.NamedNode(f"{BASE}graph/data/b")
    quads = [
        ox.Quad(alpha, RDFS_LABEL, ox.Literal("Alpha", language="en"), g_a),
        ox.Quad(alpha, RDFS_LABEL, ox.Literal("Alpha FR", language="fr"), g_a),
        ox.Quad(alpha, ox.NamedNode("http://schema.org/isPartOf"), beta, g_a),
        ox.Quad(beta, RDFS_LABEL, ox.Literal("Beta", language="en"), g_b),
    ]
    for n in (1, 2, 3):
        doc = ox.NamedNode(f"{KASEI}data{n}.rdf")
        quads.append(ox.Quad(doc, RDF_TYPE, ox.NamedNode("http://xmlns.com/foaf/0.1/Document"), doc))
    return quads


def make_site(root: Path) -> Path:
    """Write a site folder laid out as `build()` writes it (pages, alternates, dumps)."""
    quads = sample_quads()
    prefixes = {"rdfs": "http://www.w3.org/2000/01/rdf-schema#", "schema": "http://schema.org/"}
    files: dict[str, bytes] = {
        "404.html": b"<!doctype html><title>Not found</title><h1>Page not found</h1>",
        ".htaccess": b"RewriteEngine on\n",
        "static/style.css": b"body { margin: 0 }\n",
        "static/app.0123abcd.js": b"// a hashed asset\n" + b"console.log(1);\n" * 100,
        "dumps/graph.nq": ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"",
        "dumps/graph.ttl": ox.serialize(
            [q.triple for q in quads], format=ox.RdfFormat.TURTLE, prefixes=prefixes
        )
        or b"",
    }
    for stem in ("index", "ontology", "id/alpha", "id/beta"):
        for lang in ("en", "fr", "sv"):
            suffix = ".html" if lang == "en" else f".{lang}.html"
            page = f'<html lang="{lang}"><h1>{stem} ({lang})</h1>'
            # Entity pages are long enough to be sent gzipped (GZIP_FROM); the home page is not.
            text = "" if stem == "index" else "<p>" + f"About {stem}. " * 150 + "</p>"
            files[stem + suffix] = f"{page}{text}</html>".encode()
    for stem in ("ontology", "id/alpha", "id/beta"):
        iri = BASE + stem
        triples = [q.triple for q in quads if q.subject.value == iri] or [
            ox.Triple(ox.NamedNode(iri), RDFS_LABEL, ox.Literal(stem))
        ]
        for ext, fmt in (("ttl", "TURTLE"), ("nt", "N_TRIPLES"), ("jsonld", "JSON_LD")):
            files[f"{stem}.{ext}"] = ox.serialize(triples, format=getattr(ox.RdfFormat, fmt)) or b""
        files[f"{stem}.rdf"] = ox.serialize(triples, format=ox.RdfFormat.RDF_XML) or b""
    void = f"<{BASE}void> a <http://rdfs.org/ns/void#Dataset> .\n".encode()
    files["void.ttl"] = files[".well-known/void"] = void
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


@contextmanager
def running(app: Starlette) -> Iterator[str]:
    """Run the app with uvicorn on a free port of 127.0.0.1; yield its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(server_config(app))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


@contextmanager
def served(
    site: Path, *, timeout: float = 10.0, max_results: int = 1000, body_limit: int = 1 << 20
) -> Iterator[httpx.Client]:
    """Serve a site folder (pages and /sparql); yield an httpx client bound to it."""
    config = Config(project=site.parent, base=BASE)
    engine = Engine(
        lambda: QueryPool(site, base_iri=BASE, workers=1, timeout=timeout, max_results=max_results)
    )
    try:
        app = create_app(config, site, engine, body_limit=body_limit)
        with running(app) as url, httpx.Client(base_url=url, timeout=30) as client:
            yield client
    finally:
        engine.close()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with served(make_site(tmp_path_factory.mktemp("serve") / "site")) as c:
        yield c


@pytest.mark.parametrize("accept", [None, "*/*", "text/html", "text/*", "application/xhtml+xml"])
def test_entity_iri_gives_english_html_by_default(client: httpx.Client, accept: str | None) -> None:
    response = client.get("/id/alpha", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in response.text
    assert {"Accept", "Accept-Language"} <= _vary(response)


@pytest.mark.parametrize(
    ("accept_language", "lang"),
    [
        ("fr", "fr"),
        ("sv-SE,sv;q=0.9", "sv"),
        ("de, fr;q=0.5", "fr"),
        ("de", "en"),
        ("en;q=0.2, sv;q=0.8", "sv"),
        ("fr;q=0", "en"),
    ],
)
def test_html_language_follows_accept_language(
    client: httpx.Client, accept_language: str, lang: str
) -> None:
    response = client.get("/id/alpha", headers={"Accept-Language": accept_language})
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    assert response.headers["content-language"] == lang


@pytest.mark.parametrize("media", list(RDF_MEDIA))
def test_entity_iri_gives_its_rdf_for_every_media_type(client: httpx.Client, media: str) -> None:
    response = client.get("/id/alpha", headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert {"Accept", "Accept-Language"} <= _vary(response)
    graph = Graph().parse(data=response.content, format=RDF_MEDIA[media][1])
    expected = Graph().parse(data=client.get("/id/alpha.nt").content, format="nt")
    assert isomorphic(graph, expected)
    assert len(graph) == 3


def test_accept_quality_values_pick_the_preferred_type(client: httpx.Client) -> None:
    accept = "text/html;q=0.5, text/turtle;q=0.9, application/ld+json;q=0.1"
    assert _media(client.get("/id/alpha", headers={"Accept": accept})) == "text/turtle"


@pytest.mark.parametrize("accept", ["image/png", "application/pdf, text/csv", "text/html;q=0"])
def test_unknown_type_is_406_naming_what_is_available(client: httpx.Client, accept: str) -> None:
    response = client.get("/id/alpha", headers={"Accept": accept})
    assert response.status_code == 406
    assert "text/turtle" in response.text and "text/html" in response.text
    assert {"Accept", "Accept-Language"} <= _vary(response)


def test_link_header_lists_every_alternate(client: httpx.Client) -> None:
    links = httpx.Response(200, headers=client.get("/id/alpha").headers).links
    response = client.get("/id/alpha")
    alternates = {(link["url"], link.get("type")) for link in _links(response.headers["link"])}
    expected = {
        ("alpha.ttl", "text/turtle"),
        ("alpha.nt", "application/n-triples"),
        ("alpha.jsonld", "application/ld+json"),
        ("alpha.rdf", "application/rdf+xml"),
        ("alpha.fr.html", "text/html"),
        ("alpha.sv.html", "text/html"),
    }
    assert expected <= alternates
    assert links  # httpx parses it as a valid Link header too
    for url, _ in alternates:  # every advertised alternate resolves
        assert client.get(f"/id/{url}").status_code == 200


def _media(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


def _vary(response: httpx.Response) -> set[str]:
    return {v.strip() for v in response.headers["vary"].split(",")}


def _links(header: str) -> list[dict[str, str]]:
    out = []
    for item in header.split(", <"):
        url, *params = item.strip().lstrip("<").split(";")
        link = {"url": url.rstrip(">")}
        for param in params:
            key, _, value = param.strip().partition("=")
            link[key] = value.strip('"')
        out.append(link)
    return out


@pytest.mark.parametrize("media", ["text/turtle", "application/ld+json", "text/html"])
def test_ontology_negotiates_like_an_entity(client: httpx.Client, media: str) -> None:
    response = client.get("/ontology", headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media


def test_well_known_void_is_turtle(client: httpx.Client) -> None:
    response = client.get("/.well-known/void")
    assert response.status_code == 200
    assert _media(response) == "text/turtle"
    assert len(Graph().parse(data=response.text, format="turtle")) == 1


def test_files_are_served_with_their_media_type(client: httpx.Client) -> None:
    assert client.get("/static/style.css").headers["content-type"].startswith("text/css")
    assert _media(client.get("/id/alpha.ttl")) == "text/turtle"
    assert client.get("/").text == '<html lang="en"><h1>index (en)</h1></html>'
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "fr"}).text


@pytest.mark.parametrize("path", ["/id/nobody", "/nothing/here", "/static/missing.css", "/.htaccess"])
def test_unknown_paths_get_the_404_page(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text


def test_head_answers_like_get_without_a_body(client: httpx.Client) -> None:
    response = client.head("/id/alpha", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert _media(response) == "text/turtle"
    assert response.content == b""


# --- `oerkg serve` itself: build, bind, rebuild on change, keep the last good site ---------


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port` (Linux /proc/net/tcp*)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def _wait_for(check: object, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_oerkg_serve_builds_binds_loopback_rebuilds_and_keeps_the_last_good_site(
    project_copy: Path, tmp_path: Path
) -> None:
    with _serving(project_copy, tmp_path) as (_, url, log):
        assert _listening_addresses(int(url.rsplit(":", 1)[1])) == {"0100007F"}  # 127.0.0.1 only
        client = httpx.Client(base_url=url, timeout=30)
        page = client.get("/id/coalition", headers={"Accept": "text/turtle"})
        assert page.status_code == 200 and "UNESCO OER Dynamic Coalition" in page.text
        ask = 'ASK { <id/coalition> rdfs:label "Renamed coalition"@en }'
        assert client.get("/sparql", params={"query": ask}).json()["boolean"] is False

        # A good change: the page and the SPARQL store both follow.
        data = project_copy / "data" / "coalition.ttl"
        good = data.read_text(encoding="utf-8").replace(
            '"UNESCO OER Dynamic Coalition"@en', '"Renamed coalition"@en', 1
        )
        data.write_text(good, encoding="utf-8")
        _wait_for(
            lambda: client.get("/sparql", params={"query": ask}).json()["boolean"],
            "the rebuilt store",
        )
        assert "Renamed coalition" in client.get("/id/coalition.ttl").text

        # A bad change: the error is printed and the last good site is still served.
        data.write_text(good + "\nthis is not turtle\n", encoding="utf-8")
        _wait_for(lambda: "still serving the last good site" in log.read_text(), "the failure")
        assert "data/coalition.ttl:" in log.read_text()
        assert "Renamed coalition" in client.get("/id/coalition.ttl").text
        assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True
        client.close()


def _up(url: str) -> bool:
    try:
        return httpx.get(url + "/", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


# --- answering like a production server: limits, gzip, validators, caching ------------------


def test_a_get_query_too_long_for_the_request_line_is_414_saying_to_post(client: httpx.Client) -> None:
    """A 100 KB query in a GET (httpx refuses to send one: urllib and curl do) is answered 414
    after the whole request was read, so the client reads the answer: no reset connection."""
    query = "ASK { " + "# a long comment\n" * 6000 + "}"
    url = f"{client.base_url}/sparql?{urllib.parse.urlencode({'query': query})}"
    assert len(url) > 100_000
    expected = (
        "the request line is over 65536 bytes; send long queries with POST (SPARQL 1.1 "
        "Protocol §2.1.2 and §2.1.3: as a form, or the query itself as application/sparql-query)\n"
    )
    for _ in range(5):  # a reset depends on timing: try more than once
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=30)
        assert refused.value.code == 414
        assert refused.value.read().decode() == expected
    curl = _curl("--globoff", "-w", "%{http_code}", url)
    assert curl.endswith("414") and "send long queries with POST" in curl
    # The same query sent as the answer advises is answered.
    posted = client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
    assert posted.status_code == 200 and posted.json()["boolean"] is True


def test_header_fields_too_large_are_431(client: httpx.Client) -> None:
    response = client.get("/id/alpha", headers={"X-Padding": "a" * 70_000})
    assert response.status_code == 431
    assert response.text == "the request's header fields are over 65536 bytes\n"
    assert client.get("/id/alpha").status_code == 200  # and the server still answers


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/id/alpha", "text/html"),  # a negotiated page
        ("/id/alpha.fr.html", "*/*"),  # a file
        ("/dumps/graph.nq", "*/*"),  # RDF
        ("/static/app.0123abcd.js", "*/*"),
    ],
)
def test_text_over_a_kilobyte_is_gzipped_and_decompresses_to_the_same_bytes(
    client: httpx.Client, path: str, accept: str
) -> None:
    plain = client.get(path, headers={"Accept": accept, "Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and len(plain.content) >= 1024
    with client.stream("GET", path, headers={"Accept": accept, "Accept-Encoding": "gzip"}) as zipped:
        raw = b"".join(zipped.iter_raw())
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) == len(raw) < len(plain.content)
    assert gzip.decompress(raw) == plain.content
    assert "Accept-Encoding" in _vary(zipped) and "Accept-Encoding" in _vary(plain)
    assert zipped.headers["etag"] == plain.headers["etag"]
    # curl, a second client, decompresses it to the same bytes.
    assert _curl("--compressed", f"{client.base_url}{path}", "-H", f"Accept: {accept}") == (plain.text)


def test_a_negotiated_page_varies_on_accept_and_encoding(client: httpx.Client) -> None:
    response = client.get("/id/alpha", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert {"Accept", "Accept-Language", "Accept-Encoding"} <= _vary(response)
    head = client.head("/id/alpha", headers={"Accept-Encoding": "gzip"})
    assert head.content == b"" and {**head.headers, "date": ""} == {**response.headers, "date": ""}


def test_sparql_results_over_a_kilobyte_are_gzipped(client: httpx.Client) -> None:
    query = "SELECT * { GRAPH ?g { ?s ?p ?o } }"
    for accept in ("application/sparql-results+json", "application/sparql-results+xml"):
        headers = {"Accept": accept, "Accept-Encoding": "gzip"}
        with client.stream("GET", "/sparql", params={"query": query}, headers=headers) as response:
            raw = b"".join(response.iter_raw())
        assert response.headers["content-encoding"] == "gzip"
        assert {"Accept", "Accept-Encoding"} <= _vary(response)
        plain = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert gzip.decompress(raw) == plain.content


def test_small_and_compressed_answers_are_sent_as_they_are(client: httpx.Client) -> None:
    small = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert len(small.content) < 1024 and "content-encoding" not in small.headers
    assert "Accept-Encoding" not in _vary(small)
    assert (
        client.get("/static/style.css", headers={"Accept-Encoding": "gzip"}).headers.get(
            "content-encoding"
        )
        is None
    )


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/id/alpha", "text/html"),
        ("/id/alpha", "text/turtle"),
        ("/dumps/graph.ttl", "*/*"),
        ("/", "*/*"),
    ],
)
def test_a_matching_etag_or_date_is_answered_304_with_the_same_headers(
    client: httpx.Client, path: str, accept: str
) -> None:
    headers = {"Accept": accept, "Accept-Encoding": "gzip"}
    first = client.get(path, headers=headers)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('W/"') and first.headers["cache-control"] == "no-cache"
    for condition in (
        {"If-None-Match": etag},
        {"If-None-Match": f'"x", {etag}'},
        {"If-None-Match": "*"},
    ):
        again = client.get(path, headers={**headers, **condition})
        assert again.status_code == 304 and again.content == b""
        for name in ("etag", "last-modified", "cache-control", "content-location"):
            assert again.headers.get(name) == first.headers.get(name), name
        assert _vary(again) == _vary(first)  # a cache replaces the stored Vary with this one
    assert client.get(path, headers={**headers, "If-Modified-Since": modified}).status_code == 304
    # Changed since, another tag, or a tag that takes precedence over the date: the full answer.
    for condition in (
        {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"},
        {"If-None-Match": 'W/"another"'},
        {"If-None-Match": 'W/"another"', "If-Modified-Since": modified},
        {"If-Modified-Since": "not a date"},
    ):
        answer = client.get(path, headers={**headers, **condition})
        assert answer.status_code == 200 and answer.content == first.content, condition


def test_each_representation_has_its_own_etag(client: httpx.Client) -> None:
    tags = {
        client.get("/id/alpha", headers={"Accept": media, "Accept-Language": lang}).headers["etag"]
        for media, lang in [("text/html", "en"), ("text/html", "fr"), *((m, "en") for m in RDF_MEDIA)]
    }
    assert len(tags) == 6
    html = client.get("/id/alpha").headers["etag"]
    turtle = client.get("/id/alpha", headers={"Accept": "text/turtle", "If-None-Match": html})
    assert turtle.status_code == 200


def test_hashed_assets_are_cached_for_good_and_the_rest_revalidated(client: httpx.Client) -> None:
    hashed = client.get("/static/app.0123abcd.js")
    assert hashed.headers["cache-control"] == "public, max-age=31536000, immutable"
    for path in ("/static/style.css", "/id/alpha", "/id/alpha.ttl", "/dumps/graph.nq", "/"):
        assert client.get(path).headers["cache-control"] == "no-cache", path


def _curl(*args: str) -> str:
    done = subprocess.run(["curl", "-s", "-S", *args], capture_output=True, check=True, timeout=60)
    return done.stdout.decode()


def test_serve_rebuilds_a_project_large_enough_to_fork_without_forking_itself(tmp_path: Path) -> None:
    """`oerkg serve` runs threads, so it must never fork (a fork in a threaded process can
    deadlock); the build forks helpers from 5,000 triples. Every Python process of the run
    records its forks (an audit hook on `os.fork`, installed by a `sitecustomize` on the path):
    the builds' processes fork, the server's never does, and the page follows an edit."""
    import os
    import sys

    project = tmp_path / "project"
    generated = subprocess.run(
        [sys.executable, ROOT / "bench" / "generate.py", project, "--triples", "6000", "--seed", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(generated.stdout.split()[2].replace(",", "")) > oerkg.forked.FORK_FROM
    forks, hook = tmp_path / "forks.log", tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import os, sys\n\n"
        "def record(event, args):\n"
        "    if event == 'os.fork':\n"
        f"        with open({str(forks)!r}, 'a') as log:\n"
        "            log.write(f'{os.getpid()}\\n')\n\n"
        "sys.addaudithook(record)\n"
    )
    path = os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")]))
    with _serving(project, tmp_path, env={**os.environ, "PYTHONPATH": path}) as (server, url, log):
        client = httpx.Client(base_url=url, timeout=30)
        assert "Coalition Ussoga" in client.get("/id/coalition-0000000").text
        data = project / "data" / "organisations.ttl"
        data.write_text(data.read_text().replace('"Coalition Ussoga"@en', '"Coalition Renamed"@en'))
        _wait_for(lambda: "Coalition Renamed" in client.get("/id/coalition-0000000").text, "the edit")
        client.close()

        def builds() -> list[int]:
            return [int(n) for n in re.findall(r"\(build process (\d+)\)", log.read_text())]

        _wait_for(lambda: len(builds()) == 2, "the rebuild's summary")
        forked = {int(line) for line in forks.read_text().split()}
        assert server.pid not in builds()
        assert set(builds()) <= forked, "each build forks its helpers (on a machine with 2+ cores)"
        assert server.pid not in forked


@contextmanager
def _serving(
    project: Path, tmp_path: Path, *, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    """Run `oerkg serve` on a free port; yield the process, its URL and its log."""
    import os
    import sys

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "oerkg.cli", "serve", project, "--port", str(port)]
    with log.open("w") as out:
        server = subprocess.Popen(
            [*command, "--out", tmp_path / "site"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**(env or os.environ), "PYTHONUNBUFFERED": "1"},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _up(url) or server.poll() is not None, "the server to start")
        assert server.poll() is None, log.read_text()
        yield server, url, log
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Traceback" not in log.read_text()


def test_oerkg_serve_stops_on_a_first_build_that_fails_with_the_builds_message(
    project_copy: Path,
) -> None:
    import sys

    data = project_copy / "data" / "coalition.ttl"
    data.write_text(data.read_text(encoding="utf-8") + "\nthis is not turtle\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "oerkg.cli", "serve", project_copy, "--port", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("data/coalition.ttl:") and "Traceback" not in done.stderr
    assert "Serving" not in done.stdout


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("pt", "pt-BR"),  # a prefix of the tag (RFC 4647 §3.3.1)
        ("pt-br", "pt-BR"),  # tags are case-insensitive
        ("pt-PT, en;q=0.5", "pt-BR"),  # shortened to pt, then a prefix (§3.4)
        ("sv-SE", "sv"),
        ("de, sv;q=0.1", "sv"),
        ("*", "en"),
        ("pt;q=0, sv;q=0.2", "sv"),
        ("", "en"),
    ],
)
def test_accept_language_ranges_match_region_tags(header: str, expected: str) -> None:
    from oerkg.negotiate import best_language

    assert best_language(header, ("en", "sv", "pt-BR")) == expected
