"""`/sparql` against the W3C SPARQL 1.1 Protocol tests that apply to a read-only endpoint.

Each test names its case in `sparql/sparql11/protocol/manifest.ttl` of w3c/rdf-tests. The
`update_*` cases expect a store that accepts updates; a read-only endpoint must refuse them, so
their equivalents assert the refusal (403) and that nothing changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph
from test_serve import KASEI, make_site, sample_quads, served

DATA = [f"{KASEI}data{n}.rdf" for n in range(4)]
ASK_BOTH = f"ASK {{ <{DATA[1]}> a ?type . <{DATA[2]}> a ?type . }}"
ASK_NAMED = f"ASK {{ GRAPH ?g1 {{ <{DATA[1]}> a ?type }} GRAPH ?g2 {{ <{DATA[2]}> a ?type }} }}"
FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}
SELECT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with served(make_site(tmp_path_factory.mktemp("protocol") / "site")) as c:
        yield c


def _boolean(response: httpx.Response) -> bool:
    assert response.status_code == 200, response.text
    parsed = ox.parse_query_results(
        response.content, format=ox.QueryResultsFormat.from_media_type(_media(response))
    )
    assert isinstance(parsed, ox.QueryBoolean)
    return bool(parsed)


def _media(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


def _dataset(**graphs: list[str]) -> str:
    return "&".join(f"{k.replace('_', '-')}={quote(g, safe='')}" for k, v in graphs.items() for g in v)


def test_query_get(client: httpx.Client) -> None:
    assert _boolean(client.get(f"/sparql?query=ASK%20%7B%7D&{_dataset(default_graph_uri=DATA[:1])}"))


def test_query_post_form(client: httpx.Client) -> None:
    url = f"/sparql?{_dataset(default_graph_uri=DATA[:1])}"
    assert _boolean(client.post(url, content="query=ASK%20%7B%7D", headers=FORM))


def test_query_post_direct(client: httpx.Client) -> None:
    response = client.post("/sparql", content="ASK { ?s ?p ?o }", headers=DIRECT)
    assert _boolean(response)


def test_query_dataset_default_graphs_get(client: httpx.Client) -> None:
    url = f"/sparql?query={quote(ASK_BOTH)}&{_dataset(default_graph_uri=DATA[1:3])}"
    assert _boolean(client.get(url))


def test_query_dataset_default_graphs_post(client: httpx.Client) -> None:
    url = f"/sparql?{_dataset(default_graph_uri=DATA[1:3])}"
    assert _boolean(client.post(url, content=ASK_BOTH, headers=DIRECT))


def test_query_dataset_default_graph_excludes_other_graphs(client: httpx.Client) -> None:
    url = f"/sparql?query={quote(ASK_BOTH)}&{_dataset(default_graph_uri=DATA[1:2])}"
    assert not _boolean(client.get(url))


def test_query_dataset_named_graphs_post(client: httpx.Client) -> None:
    url = f"/sparql?{_dataset(named_graph_uri=DATA[1:3])}"
    assert _boolean(client.post(url, content=ASK_NAMED, headers=DIRECT))


def test_query_dataset_named_graphs_get(client: httpx.Client) -> None:
    url = f"/sparql?query={quote(ASK_NAMED)}&{_dataset(named_graph_uri=DATA[1:3])}"
    assert _boolean(client.get(url))


def test_query_dataset_full(client: httpx.Client) -> None:
    query = (
        f"ASK {{ <{DATA[3]}> a ?type GRAPH ?g1 {{ <{DATA[1]}> a ?type }} "
        f"GRAPH ?g2 {{ <{DATA[2]}> a ?type }} }}"
    )
    url = f"/sparql?{_dataset(default_graph_uri=DATA[3:], named_graph_uri=DATA[1:3])}"
    assert _boolean(client.post(url, content=query, headers=DIRECT))


def test_query_multiple_dataset(client: httpx.Client) -> None:
    """The protocol's dataset overrides the query's FROM (SPARQL 1.1 Protocol §2.1.4)."""
    query = f"ASK FROM <{DATA[3]}> {{ GRAPH ?g1 {{ <{DATA[1]}> a ?type }} }}"
    url = f"/sparql?{_dataset(named_graph_uri=DATA[1:3])}"
    assert _boolean(client.post(url, content=query, headers=DIRECT))
    url = f"/sparql?{_dataset(named_graph_uri=DATA[2:3])}"
    assert not _boolean(client.post(url, content=query, headers=DIRECT))


def test_query_content_type_select(client: httpx.Client) -> None:
    response = client.post("/sparql", content="SELECT (1 AS ?value) {}", headers=DIRECT)
    assert response.status_code == 200
    assert _media(response) in SELECT_TYPES
    assert json.loads(response.text)["results"]["bindings"][0]["value"]["value"] == "1"


def test_query_content_type_ask(client: httpx.Client) -> None:
    response = client.post("/sparql", content="ASK {}", headers=DIRECT)
    assert _media(response) in SELECT_TYPES - {"text/csv", "text/tab-separated-values"}


@pytest.mark.parametrize("query", ["DESCRIBE <http://example.org/>", "CONSTRUCT { <s> <p> 1 } WHERE {}"])
def test_query_content_type_describe_and_construct(client: httpx.Client, query: str) -> None:
    response = client.post("/sparql", content=query, headers=DIRECT)
    assert response.status_code == 200, response.text
    assert _media(response) in RDF_TYPES
    Graph().parse(data=response.text, format="turtle")


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ],
)
def test_select_results_follow_accept(client: httpx.Client, accept: str, media: str) -> None:
    query = "SELECT ?doc { ?doc a ?type } ORDER BY ?doc"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert _media(response) == media
    if media == "text/csv":  # CSV is lossy: pyoxigraph will not parse it back
        assert response.text.split() == ["doc", *DATA[1:]]
        return
    fmt = ox.QueryResultsFormat.from_media_type(media)
    parsed = ox.parse_query_results(response.content, format=fmt)
    assert isinstance(parsed, ox.QuerySolutions)
    assert [s["doc"].value for s in parsed] == DATA[1:]


@pytest.mark.parametrize("media", sorted(RDF_TYPES))
def test_construct_results_follow_accept(client: httpx.Client, media: str) -> None:
    query = "CONSTRUCT WHERE { ?doc a ?type }"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": media})
    assert _media(response) == media
    parsed = ox.parse(response.content, format=ox.RdfFormat.from_media_type(media))
    assert sorted(t.subject.value for t in parsed) == DATA[1:]


def test_construct_in_turtle_uses_the_dumps_prefixes(client: httpx.Client) -> None:
    query = "CONSTRUCT WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o }"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle"})
    assert "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ." in response.text
    assert "rdfs:label" in response.text and "rdf-schema#label>" not in response.text
    assert len(list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))) == 3


def test_format_parameter_overrides_accept(client: httpx.Client) -> None:
    params = {"query": "ASK {}", "format": "xml"}
    response = client.get("/sparql", params=params, headers={"Accept": "application/json"})
    assert _media(response) == "application/sparql-results+xml"


def test_unacceptable_result_type_is_406(client: httpx.Client) -> None:
    params = {"query": "ASK {}"}
    response = client.get("/sparql", params=params, headers={"Accept": "text/turtle"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_service_description_on_plain_get(client: httpx.Client) -> None:
    response = client.get("/sparql")
    assert response.status_code == 200
    assert _media(response) == "text/turtle"
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = str(client.base_url.join("/sparql"))
    kinds = {str(o) for o in graph.objects(None, None) if str(o).startswith(sd)}
    assert {f"{sd}Service", f"{sd}SPARQL11Query", f"{sd}UnionDefaultGraph", f"{sd}Graph"} <= kinds
    assert endpoint in {str(s) for s in graph.subjects()}
    # §3.4: the dataset's named graphs, each with its name: one per source file.
    names = graph.query(
        f"SELECT ?name WHERE {{ <{endpoint}> <{sd}defaultDataset>/<{sd}namedGraph> ?g . "
        f"?g a <{sd}NamedGraph> ; <{sd}name> ?name }}"
    )
    assert sorted(str(row[0]) for row in names) == sorted({q.graph_name.value for q in sample_quads()})


def test_bad_query_method(client: httpx.Client) -> None:
    assert client.put("/sparql", content="ASK {}", headers=DIRECT).status_code == 405


def test_bad_multiple_queries(client: httpx.Client) -> None:
    response = client.get("/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D")
    assert response.status_code == 400
    assert response.text == "give exactly one query\n"


def test_bad_query_wrong_media_type(client: httpx.Client) -> None:
    response = client.post("/sparql", content="ASK {}", headers={"content-type": "text/plain"})
    assert response.status_code == 415


def test_bad_query_missing_form_type(client: httpx.Client) -> None:
    response = client.post("/sparql", content="query=ASK%20%7B%7D")
    assert response.status_code == 415
    assert "application/sparql-query" in response.text


def test_bad_query_missing_direct_type(client: httpx.Client) -> None:
    assert client.post("/sparql", content="ASK {}").status_code == 415


def test_bad_query_non_utf8(client: httpx.Client) -> None:
    body = "ASK { <http://example.org/é> ?p ?o }".encode("iso-8859-1")
    response = client.post("/sparql", content=body, headers=DIRECT)
    assert response.status_code == 400
    assert response.text == "the request body is not valid utf-8\n"
    form = b"query=ASK%20%7B%20%3Chttp%3A%2F%2Fexample.org%2F%E9%3E%20%3Fp%20%3Fo%20%7D"
    assert client.post("/sparql", content=form, headers=FORM).status_code == 400


def test_bad_query_syntax(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "ASK {"})
    assert response.status_code == 400
    assert response.text.startswith("query:1:6: ")


def test_bad_update_get(client: httpx.Client) -> None:
    query = "CLEAR ALL"
    response = client.get("/sparql", params={"update": query})
    assert response.status_code == 403
    assert "read-only" in response.text


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        ("update=CLEAR%20ALL", FORM),  # update_post_form
        ("CLEAR ALL", {"content-type": "application/sparql-update"}),  # update_post_direct
        ("update=CLEAR%20ALL&update=CLEAR%20ALL", FORM),  # bad_multiple_updates
        ("query=CLEAR%20ALL", FORM),  # an update smuggled in as a query
    ],
)
def test_updates_are_refused_and_change_nothing(
    client: httpx.Client, content: str, headers: dict[str, str]
) -> None:
    response = client.post(
        f"/sparql?{_dataset(using_graph_uri=DATA[1:2])}", content=content, headers=headers
    )
    assert response.status_code == 403
    assert _boolean(client.get("/sparql", params={"query": ASK_BOTH}))


def test_cors_allows_read_only_use_from_any_origin(client: httpx.Client) -> None:
    origin = {"Origin": "https://elsewhere.example"}
    response = client.get("/sparql", params={"query": "ASK {}"}, headers=origin)
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    allowed = preflight.headers["access-control-allow-methods"]
    assert "POST" in allowed and "PUT" not in allowed and "DELETE" not in allowed


def test_site_path_is_not_needed_for_queries(tmp_path: Path) -> None:
    """A site without dumps cannot start the endpoint: a clear error, at start."""
    from oerkg.errors import InputError
    from oerkg.query_pool import QueryPool

    (tmp_path / "site").mkdir()
    with pytest.raises(InputError, match="cannot load the built dumps"):
        QueryPool(tmp_path / "site", workers=1)
