"""`oerkg publish` into a real Oxigraph server (and stub servers for the failure cases)."""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from test_query import BASE, DATA_B, LABELS, oerkg, write_project

from oerkg.config import Config, load_config
from oerkg.errors import InputError, OutputError
from oerkg.load import load_project
from oerkg.publish import publish

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
GRAPHS = "SELECT ?g ?s ?label { GRAPH ?g { ?s rdfs:label ?label } } ORDER BY ?g ?s ?label"
PREFIXES = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def oxigraph(tmp_path: Path) -> Iterator[str]:
    """A fresh Oxigraph server on a free port of 127.0.0.1; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", tmp_path / "store", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


def built(project: Path) -> tuple[Config, Path]:
    """Write the dumps `oerkg build` writes for publishing (one named graph per data file)."""
    config = load_config(project)
    site = project / "site"
    (site / "dumps").mkdir(parents=True, exist_ok=True)
    quads = list(load_project(config).data_quads())
    (site / "dumps" / "graph.nq").write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
    return config, site


def oxigraph_select(url: str, query: str) -> list[dict[str, object]]:
    response = httpx.post(
        f"{url}/query",
        data={"query": PREFIXES + query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.text
    return list(response.json()["results"]["bindings"])


def oerkg_select(project: Path, query: str) -> list[dict[str, object]]:
    run = oerkg("query", project, query, "--format", "json")
    assert run.returncode == 0, run.stderr
    return list(json.loads(run.stdout)["results"]["bindings"])


def test_publish_default_graph_then_oxigraph_and_oerkg_query_agree(
    tmp_path: Path, oxigraph: str
) -> None:
    config, site = built(write_project(tmp_path / "project"))
    httpx.put(
        f"{oxigraph}/store?default",
        content=b"<urn:old> <urn:p> <urn:o> .\n",
        headers={"Content-Type": "application/n-triples"},
    )
    message = publish(config, f"{oxigraph}/store", out=site)
    assert message == (
        f"Published 9 triples into the default graph at {oxigraph}/store; verified at {oxigraph}/query."
    )
    assert oxigraph_select(oxigraph, LABELS) == oerkg_select(config.project, LABELS)
    assert len(oxigraph_select(oxigraph, LABELS)) == 6
    assert oxigraph_select(oxigraph, "SELECT * { <urn:old> ?p ?o }") == []  # replaced


def test_publish_graph_per_source_replaces_and_removes_stale_graphs(
    tmp_path: Path, oxigraph: str
) -> None:
    project = write_project(tmp_path / "project")
    (project / "data" / "c.ttl").write_text(DATA_B.replace(":beta", ":gamma"), encoding="utf-8")
    config, site = built(project)
    assert "13 triples into 3 named graph(s)" in publish(
        config, f"{oxigraph}/store", out=site, per_source=True
    )
    (project / "data" / "c.ttl").unlink()
    config, site = built(project)
    message = publish(config, f"{oxigraph}/store", out=site, per_source=True)
    assert message.startswith("Published 9 triples into 2 named graph(s)")
    assert oxigraph_select(oxigraph, GRAPHS) == oerkg_select(project, GRAPHS)
    graphs = {b["g"]["value"] for b in oxigraph_select(oxigraph, GRAPHS)}  # type: ignore[index]
    assert graphs == {f"{BASE}graph/data/a", f"{BASE}graph/data/b"}


def test_unreachable_endpoint_is_a_clear_output_error(tmp_path: Path) -> None:
    config, site = built(write_project(tmp_path / "project"))
    url = f"http://127.0.0.1:{free_port()}/store"
    with pytest.raises(OutputError, match=f"^cannot reach {url}: .*Connection refused"):
        publish(config, url, out=site)


def test_cli_exit_code_3_and_message_for_an_unreachable_endpoint(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project")
    built(project)
    url = f"http://127.0.0.1:{free_port()}/store"
    run = oerkg("publish", project, "--endpoint", url)
    assert run.returncode == 3
    assert run.stderr.startswith(f"Error: cannot reach {url}: ")
    assert "Traceback" not in run.stderr


def test_publish_needs_a_build(tmp_path: Path) -> None:
    config = load_config(write_project(tmp_path / "project"))
    with pytest.raises(InputError, match="no built dumps to publish; run `oerkg build` first"):
        publish(config, "http://127.0.0.1:9/store")


def test_query_endpoint_must_be_given_when_it_cannot_be_guessed(tmp_path: Path) -> None:
    config, site = built(write_project(tmp_path / "project"))
    with pytest.raises(InputError, match="give --query-endpoint URL$"):
        publish(config, "http://127.0.0.1:9/graphs", out=site)


class _Stub(http.server.BaseHTTPRequestHandler):
    """A Graph Store stub: answers PUTs from a script of statuses; records what it got."""

    statuses: list[int] = []
    seen: list[tuple[str, str, str | None]] = []

    def do_PUT(self) -> None:  # noqa: N802 (the stdlib's name)
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.seen.append(("PUT", self.path, self.headers.get("authorization")))
        status = self.statuses.pop(0) if self.statuses else 204
        self.send_response(status)
        body = b"Unauthorized" if status == 401 else b"disk full" if status >= 500 else b""
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def stub() -> Iterator[str]:
    _Stub.statuses, _Stub.seen = [], []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_refused_credentials_name_the_fix(tmp_path: Path, stub: str) -> None:
    config, site = built(write_project(tmp_path / "project"))
    _Stub.statuses = [401]
    with pytest.raises(OutputError) as caught:
        publish(config, f"{stub}/store", out=site)
    assert str(caught.value) == (
        f"{stub}/store refused the request (HTTP 401 Unauthorized: Unauthorized); "
        "give --user and set OERKG_PASSWORD"
    )


def test_user_and_password_are_sent_as_basic_auth(
    tmp_path: Path, stub: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, site = built(write_project(tmp_path / "project"))
    _Stub.statuses = [403]
    monkeypatch.setenv("OERKG_PASSWORD", "s3cret")
    with pytest.raises(OutputError, match=r"\(HTTP 403 Forbidden\); check --user and OERKG_PASSWORD"):
        publish(config, f"{stub}/store", out=site, user="editor")
    assert _Stub.seen[0][2] == "Basic " + __import__("base64").b64encode(b"editor:s3cret").decode()


def test_user_without_password_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, site = built(write_project(tmp_path / "project"))
    monkeypatch.delenv("OERKG_PASSWORD", raising=False)
    with pytest.raises(
        InputError, match="^--user editor needs the password in the OERKG_PASSWORD variable$"
    ):
        publish(config, "http://127.0.0.1:9/store", out=site, user="editor")


def test_partial_upload_names_the_graphs_that_failed(tmp_path: Path, stub: str) -> None:
    config, site = built(write_project(tmp_path / "project"))
    _Stub.statuses = [204, 507]
    with pytest.raises(OutputError) as caught:
        publish(config, f"{stub}/store", out=site, per_source=True)
    assert str(caught.value).splitlines() == [
        "partial upload: 1 of 2 graph(s) failed, so the store holds a mix of old and new data; "
        "fix the cause and publish again:",
        f"  {BASE}graph/data/b: HTTP 507 Insufficient Storage: disk full",
    ]
