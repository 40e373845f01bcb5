"""`query.py` and `oerkg query`: results in every format, limits, and located syntax errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from oerkg.config import load_config
from oerkg.load import load_project
from oerkg.query import (
    Dataset,
    Formats,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
)
from oerkg.query_command import text_table

BASE = "https://w3id.org/oerdc/"
ONTOLOGY = """@prefix ex: <ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<ontology> a owl:Ontology ; rdfs:label "Mini ontology"@en .
ex:Widget a owl:Class ; rdfs:label "Widget"@en , "Gadget"@fr , "Manick"@sv ;
    rdfs:isDefinedBy <ontology> .
"""
DATA_A = """@prefix : <id/> .
@prefix ex: <ontology#> .
@prefix schema: <http://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
:alpha a ex:Widget ; rdfs:label "Alpha"@en , "Alpha FR"@fr , "Alfa"@sv ; schema:isPartOf :beta .
"""
DATA_B = """@prefix : <id/> .
@prefix ex: <ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
:beta a ex:Widget ; rdfs:label "Beta"@en , "Bêta"@fr , "Beta"@sv .
"""
SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<shapes#WidgetShape> a sh:NodeShape ; sh:targetClass ex:Widget ;
    sh:property [ sh:path rdfs:label ; sh:minCount 1 ] .
"""
LABELS = "SELECT ?s ?label { ?s rdfs:label ?label } ORDER BY ?s ?label"


def write_project(root: Path, *, data_b: str = DATA_B) -> Path:
    """Write a tiny valid project: one class, two entities in two data files, one shape."""
    files = {
        "ontology/ex.ttl": ONTOLOGY,
        "data/a.ttl": DATA_A,
        "data/b.ttl": data_b,
        "shapes/s.ttl": SHAPES,
        "queries/labels.rq": f"# title: Labels\n# description: every label\n{LABELS}\n",
    }
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("query") / "project")


@pytest.fixture(scope="module")
def dataset(project: Path) -> Dataset:
    config = load_config(project)
    loaded = load_project(config)
    return Dataset.from_quads(loaded.data_quads(), loaded.prefixes, base_iri=config.base)


def oerkg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oerkg.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- the engine -------------------------------------------------------------------------------


def test_project_prefixes_are_predeclared_and_relative_iris_use_the_base(dataset: Dataset) -> None:
    result = dataset.evaluate("SELECT ?label { <id/beta> rdfs:label ?label } ORDER BY ?label")
    assert [row[0].value for row in result.rows] == ["Beta", "Beta", "Bêta"]  # type: ignore[union-attr]
    assert dataset.prefixes["schema"] == "http://schema.org/"


def test_a_prefix_in_the_query_overrides_a_predeclared_one(dataset: Dataset) -> None:
    query = "PREFIX rdfs: <http://example.org/nothing#> ASK { ?s rdfs:label ?o }"
    assert dataset.evaluate(query).boolean is False


def test_default_graph_is_the_union_of_the_source_files(dataset: Dataset) -> None:
    assert dataset.evaluate("ASK { <id/alpha> schema:isPartOf ?b . ?b rdfs:label ?l }").boolean
    graphs = dataset.evaluate("SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    assert [r[0].value for r in graphs.rows] == [f"{BASE}graph/data/a", f"{BASE}graph/data/b"]  # type: ignore[union-attr]


def test_a_named_default_graph_replaces_the_union(dataset: Dataset) -> None:
    query = "ASK { <id/alpha> schema:isPartOf ?b . ?b rdfs:label ?l }"
    answer = dataset.write(query, Formats(), default_graphs=[f"{BASE}graph/data/a"])
    assert json.loads(answer.body)["boolean"] is False


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_select_results_round_trip_through_every_standard_format(dataset: Dataset, fmt: str) -> None:
    result = dataset.evaluate(LABELS)
    data = dataset.write(LABELS, Formats(fmt)).body
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.from_extension(fmt))
    assert isinstance(parsed, ox.QuerySolutions)
    assert [tuple(s) for s in parsed] == list(result.rows)


def test_csv_results_follow_sparql_11_csv(dataset: Dataset) -> None:
    rows = list(csv.reader(io.StringIO(dataset.write(LABELS, Formats("csv")).body.decode())))
    assert rows[0] == ["s", "label"]
    assert rows[1] == [f"{BASE}id/alpha", "Alfa"]
    assert len(rows) == 7


@pytest.mark.parametrize(
    ("fmt", "parser"),
    [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")],
)
def test_construct_gives_the_same_graph_in_every_rdf_format(
    dataset: Dataset, fmt: str, parser: str
) -> None:
    query = "CONSTRUCT WHERE { <id/alpha> ?p ?o }"
    graph = Graph().parse(data=dataset.write(query, Formats(graph=fmt)).body, format=parser)
    assert len(graph) == 5
    nt = dataset.write(query, Formats(graph="ntriples")).body
    assert isomorphic(graph, Graph().parse(data=nt, format="nt"))
    assert (
        URIRef(f"{BASE}id/alpha"),
        URIRef("http://schema.org/isPartOf"),
        URIRef(f"{BASE}id/beta"),
    ) in graph


def test_ask_serialises_as_a_boolean_result(dataset: Dataset) -> None:
    answer = dataset.write("ASK {}", Formats())
    assert (answer.kind, answer.format) == ("boolean", "json")
    assert json.loads(answer.body) == {"head": {}, "boolean": True}


def test_a_kind_without_a_format_is_answered_without_a_body(dataset: Dataset) -> None:
    answer = dataset.write("ASK {}", Formats(results=None, graph="turtle"))
    assert (answer.kind, answer.format, answer.body) == ("boolean", None, b"")
    answer = dataset.write("CONSTRUCT WHERE { ?s ?p ?o }", Formats(results="csv", graph=None))
    assert (answer.kind, answer.format, answer.body) == ("graph", None, b"")


# Terms a line-based writer must escape: newlines, tabs, quotes, a language tag, a datatype,
# blank nodes, and quoted triples.
AWKWARD = r"""@prefix : <id/> .
@prefix schema: <http://schema.org/> .
:gamma schema:description "two\nlines\twith \"quotes\" and \\ é 𝄞"@en-GB , "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> , "x"^^<urn:dt> ;
    schema:about [ schema:name "a\r\nb" ] .
"""
AWKWARD_QUERIES = [
    "SELECT ?s ?p ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?s <urn:nope> ?none } } ORDER BY ?s ?p ?o",
    "SELECT ?t WHERE { ?s ?p ?o BIND(<<( ?s ?p ?o )>> AS ?t) } ORDER BY ?t",
    "SELECT * WHERE {}",
    "SELECT ?x WHERE { FILTER(false) }",
    "ASK { ?s ?p ?o }",
]


@pytest.mark.parametrize("query", AWKWARD_QUERIES)
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_results_are_written_as_pyoxigraphs_own_writer_writes_them(query: str, fmt: str) -> None:
    store = ox.Store()
    store.bulk_load(AWKWARD.encode(), format=ox.RdfFormat.TURTLE, base_iri=BASE)
    live = store.query(query).serialize(format=ox.QueryResultsFormat.from_extension(fmt))
    assert Dataset(store, {}).write(query, Formats(fmt)).body == live


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml"])
def test_graphs_are_written_as_pyoxigraphs_own_writer_writes_them(fmt: str) -> None:
    store = ox.Store()
    store.bulk_load(AWKWARD.encode(), format=ox.RdfFormat.TURTLE, base_iri=BASE)
    query, prefixes = "CONSTRUCT WHERE { ?s ?p ?o }", {"schema": "http://schema.org/"}
    format = {"jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}.get(fmt)
    format = format or ox.RdfFormat.from_extension({"turtle": "ttl", "ntriples": "nt"}[fmt])
    live = ox.serialize(store.query(query), format=format, prefixes=prefixes)
    assert Dataset(store, prefixes).write(query, Formats(graph=fmt)).body == live


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "turtle", "ntriples"])
def test_written_results_stop_at_the_limit_whatever_the_lines_hold(fmt: str) -> None:
    store = ox.Store()
    store.bulk_load(AWKWARD.encode(), format=ox.RdfFormat.TURTLE, base_iri=BASE)
    query = "SELECT * { ?s ?p ?o }" if fmt in ("json", "csv", "tsv") else "CONSTRUCT WHERE { ?s ?p ?o }"
    dataset, formats = Dataset(store, {}), Formats(fmt, fmt)
    assert len(store) == 5
    assert dataset.write(query, formats, max_results=5).format == fmt
    with pytest.raises(ResultTooLarge, match="^the result has more than 4 rows; add a LIMIT$"):
        dataset.write(query, formats, max_results=4)
    with pytest.raises(QueryTimeout):
        dataset.write(query, formats, deadline=time.monotonic() - 1)


def test_table_shortens_iris_and_shows_language_tags(dataset: Dataset) -> None:
    table = text_table(dataset.evaluate(LABELS + " LIMIT 2"), {"": f"{BASE}id/"})
    assert table.splitlines() == [
        "s      | label",
        "-------+---------",
        ":alpha | Alfa@sv",
        ":alpha | Alpha@en",
        "(2 rows)",
    ]


def test_syntax_error_is_located(dataset: Dataset) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        dataset.evaluate("SELECT ?s\nWHERE { ?s rdfs:label }")
    assert str(caught.value).startswith("query:2:23: expected one of")
    assert len(str(caught.value)) < 150


def test_undeclared_prefix_is_located(dataset: Dataset) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        dataset.evaluate("ASK { ?s a nope:Thing }")
    assert str(caught.value) == 'query:1:12: undefined prefix "nope:"; declare it with PREFIX'


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <a:s> <a:p> 1 }",
        "LOAD <http://x.example/>",
        "SELECT * { SERVICE <http://x.example/> { ?s ?p ?o } }",
    ],
)
def test_updates_and_service_are_refused(dataset: Dataset, query: str) -> None:
    with pytest.raises(QueryRefused):
        dataset.evaluate(query)


# --- oerkg query ------------------------------------------------------------------------------


def test_cli_prints_csv_when_piped(project: Path) -> None:
    run = oerkg("query", project, LABELS)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[:2] == ["s,label", f"{BASE}id/alpha,Alfa"]


def test_cli_prints_turtle_for_construct_when_piped(project: Path) -> None:
    run = oerkg("query", project, "CONSTRUCT WHERE { <id/beta> ?p ?o }")
    assert run.returncode == 0, run.stderr
    assert len(Graph().parse(data=run.stdout, format="turtle")) == 4
    assert "@prefix schema: <http://schema.org/> ." in run.stdout


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv", "table"])
def test_cli_formats(project: Path, fmt: str) -> None:
    run = oerkg("query", project, LABELS, "--format", fmt)
    assert run.returncode == 0, run.stderr
    assert "Alpha FR" in run.stdout
    if fmt == "json":
        assert len(json.loads(run.stdout)["results"]["bindings"]) == 6
    if fmt == "table":
        assert run.stdout.splitlines()[-1] == "(6 rows)"


def test_cli_reads_a_query_file(project: Path) -> None:
    run = oerkg("query", project, "--file", project / "queries" / "labels.rq", "--format", "ntriples")
    assert run.returncode == 2
    assert run.stderr == "Error: ntriples is for CONSTRUCT/DESCRIBE; use one of json, xml, csv, tsv\n"


def test_cli_syntax_error_is_located_with_exit_2_and_no_traceback(project: Path) -> None:
    run = oerkg("query", project, "SELECT * WHERE { ?s ?p }")
    assert run.returncode == 2
    assert run.stderr == "Error: query:1:25: expected one of LATERAL, SERVICE\n"
    assert "Traceback" not in run.stderr and run.stdout == ""


def test_cli_refuses_updates(project: Path) -> None:
    run = oerkg("query", project, "DROP ALL")
    assert (run.returncode, run.stderr) == (2, "Error: DROP is an update; this endpoint is read-only\n")


def test_cli_needs_exactly_one_query(project: Path) -> None:
    run = oerkg("query", project)
    assert (run.returncode, run.stderr) == (2, "Error: give either a query or --file F.rq (not both)\n")


def test_cli_refuses_a_graph_with_violations(tmp_path: Path) -> None:
    bad = DATA_B.replace('rdfs:label "Beta"@en , "Bêta"@fr , "Beta"@sv', "a ex:Widget")
    run = oerkg("query", write_project(tmp_path, data_b=bad), "ASK {}")
    assert run.returncode == 1
    assert run.stderr.splitlines()[-1] == (
        "Error: the graph has violations; run `oerkg validate` for details."
    )
