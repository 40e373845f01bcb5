"""The endpoint stays read-only and up under hostile use: every refusal has a clear status."""

from __future__ import annotations

import http.server
import inspect
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from test_serve import make_site, served

from oerkg.cli import _parser
from oerkg.serve import serve

COUNT = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
JSON = {"Accept": "application/sparql-results+json"}
UPDATES = [
    "INSERT DATA { <http://x.example/s> <http://x.example/p> 1 }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "WITH <http://x.example/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL",
    "CLEAR DEFAULT",
    "DROP ALL",
    "DROP GRAPH <https://example.org/kg/graph/data/a>",
    "CREATE GRAPH <http://x.example/g>",
    "COPY DEFAULT TO <http://x.example/g>",
    "PREFIX ex: <http://x.example/>\n# a comment\ninsert data { ex:s ex:p 'SELECT' }",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hardening")
    (root / "secret.txt").write_text("top secret\n")
    return make_site(root / "site")


@pytest.fixture(scope="module")
def client(site: Path) -> Iterator[httpx.Client]:
    with served(site, timeout=1.0, max_results=5, body_limit=4096) as c:
        yield c


def _count(client: httpx.Client) -> str:
    response = client.get("/sparql", params={"query": COUNT}, headers=JSON)
    assert response.status_code == 200
    return str(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_in_every_parameter_and_change_nothing(
    client: httpx.Client, update: str
) -> None:
    before = _count(client)
    attempts = [
        client.get("/sparql", params={"query": update}),
        client.get("/sparql", params={"update": update}),
        client.post("/sparql", data={"query": update}),
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", content=update, headers={"content-type": "application/sparql-query"}),
        client.post("/sparql", content=update, headers={"content-type": "application/sparql-update"}),
    ]
    for response in attempts:
        assert response.status_code == 403, response.text
        assert "read-only" in response.text
    assert _count(client) == before == "7"


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        self.seen.append(self.path)
        self.send_response(200)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def listener() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that records every request it receives."""
    _Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", _Recorder.seen
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        "PREFIX s: <{url}#>\nSELECT * {{ ?x ?y ?z OPTIONAL {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }}",
    ],
)
def test_service_calls_are_refused_and_send_nothing(
    client: httpx.Client, listener: tuple[str, list[str]], template: str
) -> None:
    url, seen = listener
    response = client.get("/sparql", params={"query": template.format(url=url)})
    assert response.status_code == 403
    assert response.text == ("SERVICE (federated query) is disabled: it would contact other hosts\n")
    assert seen == []


def test_the_word_service_in_data_or_variables_is_not_a_service_call(client: httpx.Client) -> None:
    query = 'SELECT ?service { ?service ?p "SERVICE <http://x>" } # SERVICE'
    assert client.get("/sparql", params={"query": query}).status_code == 200


def _slow_query(n: int = 200) -> str:
    values = " ".join(str(i) for i in range(n))
    blocks = " ".join(f"VALUES ?{v} {{ {values} }}" for v in "abcd")
    return f"SELECT (COUNT(*) AS ?n) {{ {blocks} }}"


def test_query_past_the_time_limit_is_503_and_the_endpoint_recovers(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": _slow_query()}, headers=JSON)
    assert response.status_code == 503
    assert response.text == "the query ran past the time limit of 1 s\n"
    assert _count(client) == "7"  # a fresh worker answers the next query


def test_result_over_the_size_limit_is_an_error_never_a_truncated_200(
    client: httpx.Client,
) -> None:
    query = "SELECT * { GRAPH ?g { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query}, headers=JSON)
    assert response.status_code == 507
    assert response.text == "the result has more than 5 rows; add a LIMIT\n"
    limited = client.get("/sparql", params={"query": query + " LIMIT 5"}, headers=JSON)
    assert len(limited.json()["results"]["bindings"]) == 5
    construct = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert construct.status_code == 507


def test_request_bodies_over_the_limit_are_413(client: httpx.Client) -> None:
    big = "ASK {} #" + "x" * 5000
    direct = {"content-type": "application/sparql-query"}
    response = client.post("/sparql", content=big, headers=direct)
    assert response.status_code == 413
    assert response.text == "request body over the limit of 4096 bytes\n"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b"ASK {} #"
        for _ in range(10):
            yield b"x" * 1000

    assert client.post("/sparql", content=chunks(), headers=direct).status_code == 413
    assert client.post("/sparql", content="ASK {}", headers=direct).status_code == 200


def _raw_get(client: httpx.Client, target: str) -> tuple[int, bytes]:
    """Send a request line as written: httpx would normalise `..` away."""
    host, port = client.base_url.host, client.base_url.port
    with socket.create_connection((host, port or 80)) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1]


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/static/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/id/..%2F..%2Fsecret.txt",
        "/static/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%5c..%5csecret.txt",
        "/id/%252e%252e%252fsecret.txt",
        "//secret.txt",
        "/./.htaccess",
        "/.htaccess",
        "/static/%00../secret.txt",
    ],
)
def test_path_traversal_is_404(client: httpx.Client, target: str) -> None:
    status, body = _raw_get(client, target)
    assert status == 404
    assert b"top secret" not in body and b"RewriteEngine" not in body


def test_traversal_gets_the_404_page(client: httpx.Client) -> None:
    status, body = _raw_get(client, "/%2e%2e/secret.txt")
    assert status == 404
    assert b"<h1>Page not found</h1>" in body


def test_server_binds_127_0_0_1_by_default() -> None:
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    assert _parser().parse_args(["serve"]).host == "127.0.0.1"
