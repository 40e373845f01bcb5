"""`oerkg serve`: pages, Cool-URI content negotiation and the 404 page, over a real server.

The helpers here (a small hand-made site, a uvicorn server on a free port) are shared by
test_protocol.py and test_hardening.py.
"""

from __future__ import annotations

import socket
import threading
import time
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

from oerkg.config import Config
from oerkg.endpoint import Engine
from oerkg.query_pool import QueryPool
from oerkg.serve import create_app

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
        "dumps/graph.nq": ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"",
        "dumps/graph.ttl": ox.serialize(
            [q.triple for q in quads], format=ox.RdfFormat.TURTLE, prefixes=prefixes
        )
        or b"",
    }
    for stem in ("index", "ontology", "id/alpha", "id/beta"):
        for lang in ("en", "fr", "sv"):
            suffix = ".html" if lang == "en" else f".{lang}.html"
            files[stem + suffix] = f'<html lang="{lang}"><h1>{stem} ({lang})</h1></html>'.encode()
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
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
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
    import subprocess
    import sys

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "oerkg.cli",
                "serve",
                project_copy,
                "--port",
                str(port),
                "--out",
                tmp_path / "site",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**__import__("os").environ, "PYTHONUNBUFFERED": "1"},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _up(url), "the server to start")
        assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1 only
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
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Traceback" not in log.read_text()


def _up(url: str) -> bool:
    try:
        return httpx.get(url + "/", timeout=1).status_code == 200
    except httpx.TransportError:
        return False
