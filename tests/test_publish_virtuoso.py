"""`oerkg publish` of the real project into a second store: OpenLink Virtuoso 7 (Debian's build).

Virtuoso's SPARQL default graph is the union of all its graphs, its own system graphs included,
and its Graph Store endpoint has no default graph, so the project goes in one named graph per
source file (`--graph-per-source`) and every count names its graph.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import ROOT, real_config
from test_publish import free_port
from test_query import oerkg

VIRTUOSO = "/usr/bin/virtuoso-t"  # Debian's virtuoso-opensource; `make test` installs it
INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = .
ServerThreads = 4
"""
LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?label WHERE {{ GRAPH <{graph}> {{ ?s rdfs:label ?label }} }}"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh Virtuoso with its own database folder on free ports of 127.0.0.1; yields its URL."""
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port = free_port()
    (folder / "virtuoso.ini").write_text(
        INI.format(sql_port=free_port(), http_port=http_port), encoding="utf-8"
    )
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", "virtuoso.ini"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 120  # a new database takes ~16 s on a loaded 2-core machine
        while True:
            assert process.poll() is None, (folder / "virtuoso.log").read_text(errors="replace")
            assert time.monotonic() < deadline, "Virtuoso did not answer within 120 s"
            try:
                if httpx.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=2).is_success:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)


def select(url: str, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT at Virtuoso's /sparql, each binding as `value` plus `@lang` if any."""
    response = httpx.post(
        f"{url}/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.text
    return [
        {k: v["value"] + ("@" + v["xml:lang"] if "xml:lang" in v else "") for k, v in b.items()}
        for b in response.json()["results"]["bindings"]
    ]


def dump_graphs(site: Path) -> dict[str, set[ox.Triple]]:
    graphs: dict[str, set[ox.Triple]] = {}
    for quad in ox.parse(path=site / "dumps" / "graph.nq", format=ox.RdfFormat.N_QUADS):
        assert isinstance(quad.graph_name, ox.NamedNode)
        graphs.setdefault(quad.graph_name.value, set()).add(quad.triple)
    return graphs


def test_publish_graph_per_source_with_digest_login_then_counts_and_labels_agree(
    virtuoso: str, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graphs = dump_graphs(site)
    total = sum(map(len, graphs.values()))
    monkeypatch.setenv("OERKG_PASSWORD", "dba")  # the password of a new database
    endpoint = f"{virtuoso}/sparql-graph-crud-auth"
    base = f"{real_config().base}graph/"
    stale = httpx.put(  # a graph of a source file since removed: publish deletes it
        endpoint,
        params={"graph": f"{base}data/removed"},
        content=b"<urn:old> <urn:p> <urn:o> .\n",
        headers={"Content-Type": "application/n-triples"},
        auth=httpx.DigestAuth("dba", "dba"),
    )
    assert stale.status_code == 201, stale.text
    run = oerkg(
        "publish", ROOT, "--out", site, "--endpoint", endpoint, "--graph-per-source", "--user", "dba"
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == (
        f"Published {total} triples into {len(graphs)} named graph(s) at "
        f"{endpoint}; verified at {virtuoso}/sparql."
    )
    counts = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    found = {r["g"]: int(r["n"]) for r in select(virtuoso, counts) if r["g"].startswith(base)}
    assert found == {name: len(triples) for name, triples in graphs.items()}
    largest = max(graphs, key=lambda name: len(graphs[name]))
    expected = {
        (t.subject.value, t.object.value + (f"@{t.object.language}" if t.object.language else ""))
        for t in graphs[largest]
        if t.predicate.value == "http://www.w3.org/2000/01/rdf-schema#label"
        and isinstance(t.object, ox.Literal)
    }
    rows = select(virtuoso, LABELS.format(graph=largest))
    assert len(rows) == len(expected) > 0
    assert {(r["s"], r["label"]) for r in rows} == expected


def test_default_graph_publish_is_refused_with_virtuosos_reason(
    virtuoso: str, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OERKG_PASSWORD", "dba")
    endpoint = f"{virtuoso}/sparql-graph-crud-auth"
    run = oerkg("publish", ROOT, "--out", site, "--endpoint", endpoint, "--user", "dba")
    assert run.returncode == 3
    assert run.stderr.splitlines() == [
        "Error: the store refused every graph, so it holds what it held before:",
        "  default graph: HTTP 500 Request Failed: The request to SPARQL 1.1 Graph Store endpoint "
        'contains "default" param but the endpoint is not configured to have default graph',
    ]
