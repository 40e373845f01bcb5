"""The build's promises: complete, faithful dumps; honest descriptions; all-or-nothing output."""

from __future__ import annotations

import gc
import gzip
import hashlib
import os
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

import oerkg.forked
from oerkg.build import BuildResult, build, run_examples
from oerkg.cli import main
from oerkg.config import load_config
from oerkg.dumps import graph_texts
from oerkg.load import load_project
from oerkg.model import to_value
from oerkg.output import recorded_state
from oerkg.query import Dataset as QueryDataset
from oerkg.rdflib_bridge import rdflib_graph
from oerkg.render import SHOWN_ROWS

ROOT = Path(__file__).resolve().parents[1]
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DUMPS = {
    "graph.ttl": "turtle",
    "graph.nt": "nt",
    "graph.rdf": "xml",
    "graph.jsonld": "json-ld",
}


def source_graph() -> Graph:
    return rdflib_graph(load_project(load_config(ROOT)).data)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("name", "fmt"), sorted(DUMPS.items()))
def test_every_dump_reparses_to_the_source_graph(site: Path, name: str, fmt: str) -> None:
    parsed = Graph().parse(site / "dumps" / name, format=fmt)
    assert isomorphic(parsed, source_graph())


@pytest.mark.parametrize(("name", "fmt"), [("graph.nq", "nquads"), ("graph.trig", "trig")])
def test_quad_dumps_keep_one_named_graph_per_source_file(site: Path, name: str, fmt: str) -> None:
    dataset = Dataset()
    dataset.parse(site / "dumps" / name, format=fmt)
    project = load_project(load_config(ROOT))
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {s.graph.value for s in project.data}
    for source in project.data:
        assert isomorphic(dataset.graph(URIRef(source.graph.value)), rdflib_graph([source]))


def test_ntriples_dump_is_sorted_without_duplicates_and_gzip_matches(site: Path) -> None:
    lines = (site / "dumps/graph.nt").read_bytes().splitlines()
    assert lines == sorted(set(lines))
    for name in ("graph.nt", "graph.nq"):
        assert (
            gzip.decompress((site / "dumps" / f"{name}.gz").read_bytes())
            == (site / "dumps" / name).read_bytes()
        )


def test_sha256sums_match_the_files(site: Path) -> None:
    entries = (site / "dumps/SHA256SUMS").read_text().splitlines()
    assert len(entries) == 8
    for entry in entries:
        digest, name = entry.split("  ")
        assert hashlib.sha256((site / "dumps" / name).read_bytes()).hexdigest() == digest


def test_catalogue_sizes_and_checksums_match_the_files(site: Path) -> None:
    catalogue = Graph().parse(site / "catalog.ttl")
    distributions = list(catalogue.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == 8
    for dist in distributions:
        url = str(catalogue.value(dist, DCAT.downloadURL))
        path = site / url.removeprefix("https://w3id.org/oerdc/")
        size = catalogue.value(dist, DCAT.byteSize)
        assert size == Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger)
        checksum = catalogue.value(catalogue.value(dist, SPDX.checksum), SPDX.checksumValue)
        assert str(checksum) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_void_counts_equal_the_real_counts(site: Path, built: BuildResult) -> None:
    void = Graph().parse(site / "void.ttl")
    dataset = URIRef("https://w3id.org/oerdc/dataset")
    graph = source_graph()
    assert void.value(dataset, VOID.triples).toPython() == len(graph) == built.triples
    assert void.value(dataset, VOID.entities).toPython() == built.entities
    for part in void.objects(dataset, VOID.classPartition):
        cls = void.value(part, VOID["class"])
        assert void.value(part, VOID.entities).toPython() == len(set(graph.subjects(RDF.type, cls)))
    for part in void.objects(dataset, VOID.propertyPartition):
        prop = void.value(part, VOID.property)
        assert void.value(part, VOID.triples).toPython() == len(list(graph.triples((None, prop, None))))
    linked = {str(void.value(ls, VOID.objectsTarget)) for ls in void.subjects(RDF.type, VOID.Linkset)}
    assert {t.rsplit("/", 1)[-1] for t in linked} == {"wikidata", "un-sdg", "unesco-thesaurus"}
    assert (site / ".well-known/void").read_bytes() == (site / "void.ttl").read_bytes()


def test_every_entity_has_three_pages_and_four_rdf_files(site: Path, built: BuildResult) -> None:
    project = load_project(load_config(ROOT))
    subjects = {q.subject.value for q in project.data_quads() if isinstance(q.subject, ox.NamedNode)}
    entities = sorted(s for s in subjects if s.startswith("https://w3id.org/oerdc/id/"))
    assert len(entities) == built.entities > 50
    for iri in entities:
        stem = site / iri.removeprefix("https://w3id.org/oerdc/")
        for suffix in (".html", ".fr.html", ".sv.html", ".ttl", ".nt", ".jsonld", ".rdf"):
            assert stem.with_name(stem.name + suffix).is_file(), (iri, suffix)


def test_entity_rdf_is_its_description(site: Path) -> None:
    graph = source_graph()
    iri = URIRef("https://w3id.org/oerdc/id/coalition")
    own = Graph().parse(site / "id/coalition.ttl")
    assert set(own.predicates(iri, None)) == set(graph.predicates(iri, None))
    assert len(own) >= len(list(graph.triples((iri, None, None))))


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764288000")
    config = load_config(ROOT)
    first = build(config, out=tmp_path / "a").out
    second = build(config, out=tmp_path / "b").out
    assert files_of(first) == files_of(second)


def test_the_site_does_not_depend_on_the_folder_it_was_built_in(
    project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two clones of one project, in folders of different names and depths, each built into its
    # own site/: the two sites are the same file for file and byte for byte; so are the keys the
    # builds record beside them (no absolute path in either).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764288000")
    clone = shutil.copytree(project_copy, tmp_path / "elsewhere" / "much" / "deeper" / "clone")
    sites = [build(load_config(project)).out for project in (project_copy, clone)]
    assert sites == [project_copy / "site", clone / "site"]
    digests = [
        {
            p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).digest()
            for p in site.rglob("*")
            if p.is_file()
        }
        for site in sites
    ]
    assert len(digests[0]) > 1000
    assert digests[0] == digests[1]
    assert not (sites[0] / ".oerkg").exists()  # the build's own state is not published
    assert recorded_state(sites[0]) == recorded_state(sites[1]) != ""


@pytest.mark.parametrize("forked", [False, True], ids=["serial", "validated-on-another-core"])
def test_a_failing_build_leaves_the_previous_site_untouched(
    project_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    forked: bool,
) -> None:
    if forked:  # as a large graph is built: validation in a forked process, beside the model
        monkeypatch.setattr(oerkg.forked, "FORK_FROM", 1)
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    out = tmp_path / "site"
    assert main(["build", str(project_copy), "--out", str(out)]) == 0
    before = files_of(out)
    bad = project_copy / "data" / "zz-bad.ttl"
    bad.write_text('@prefix : <id/> .\n@prefix schema: <http://schema.org/> .\n:x schema:nmae "y" .\n')
    assert main(["build", str(project_copy), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"data/zz-bad\.ttl:3: Violation: .*schema:nmae – unknown property", err)
    assert "nothing was published" in err
    assert files_of(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site")) == [
        ".site.lock",
        ".site.state",
    ]


def test_build_prints_a_one_line_summary(project_copy: Path, tmp_path: Path, capsys) -> None:
    assert main(["build", str(project_copy), "--out", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert re.match(r"Built .*: \d+ entities, \d+ pages, \d+ triples, 8 dumps, \d+ files in", out[0])


def test_rendering_on_several_processes_gives_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764288000")
    config = load_config(ROOT)
    serial = build(config, out=tmp_path / "serial").out
    monkeypatch.setattr(oerkg.forked, "FORK_FROM", 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    parallel = build(config, out=tmp_path / "parallel").out
    assert files_of(parallel) == files_of(serial)


@pytest.mark.parametrize("forked", [False, True], ids=["serial", "answered-in-another-process"])
def test_a_broken_example_query_is_located(
    project_copy: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch, forked: bool
) -> None:
    if forked:  # as a large graph is built: the example queries answered by a forked process
        monkeypatch.setattr(oerkg.forked, "FORK_FROM", 1)
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    (project_copy / "queries" / "99-broken.rq").write_text(
        "# title: broken\nSELECT ?x WHERE { ?x ?y }\n"
    )
    assert main(["build", str(project_copy), "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert re.match(r"Error: queries/99-broken\.rq:\d+:\d+: ", err), err
    assert not (tmp_path / "s").exists()


def test_ask_and_construct_examples_are_shown_as_tables(project_copy: Path, tmp_path: Path) -> None:
    queries = project_copy / "queries"
    (queries / "97-ask.rq").write_text("# title: Any coalition?\nASK { ?c a oerdc:Coalition }\n")
    (queries / "98-construct.rq").write_text(
        "# title: Units\nCONSTRUCT { ?c org:hasUnit ?u } WHERE { ?c org:hasUnit ?u }\n"
    )
    out = build(load_config(project_copy), out=tmp_path / "s").out
    page = (out / "query.html").read_text(encoding="utf-8")
    ask = page[page.rindex("Any coalition?") :]
    # The boolean as the reader's language says it, its datatype on hover.
    assert '<span title="xsd:boolean">yes</span>' in ask[: ask.index("</table>")]
    units = page[page.rindex(">Units<") :]
    assert units[: units.index("</table>")].count("Working Group") >= 4


def test_examples_keep_their_first_rows_and_count_them_all(project_copy: Path) -> None:
    """The query page shows a result's first SHOWN_ROWS rows: only those are kept, with the
    number of rows of the whole result, for a table of solutions and of triples alike."""
    queries = project_copy / "queries"
    for old in queries.glob("*.rq"):
        old.unlink()
    (queries / "1-all.rq").write_text("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o\n")
    (queries / "2-graph.rq").write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n")
    project = load_project(load_config(project_copy))
    dataset = QueryDataset.from_nquads(graph_texts(project)[1], project.prefixes)
    everything = dataset.evaluate("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o")
    assert len(everything.rows) > SHOWN_ROWS

    solutions, graph = run_examples(project, dataset)

    assert solutions.total == graph.total == len(everything.rows)
    assert len(solutions.rows) == len(graph.rows) == SHOWN_ROWS
    assert solutions.rows == tuple(
        tuple(to_value(cell) for cell in row) for row in everything.rows[:SHOWN_ROWS]
    )


def test_a_build_makes_no_reference_cycles(project_copy: Path, tmp_path: Path) -> None:
    """The build pauses the cyclic garbage collector (it only walked the build's live objects
    again and again): that loses nothing only while a build, its 490 pages included, leaves
    no cyclic garbage behind."""
    build(load_config(project_copy), out=tmp_path / "first")  # imports, compiled templates
    assert gc.isenabled()  # as it was before the build
    gc.collect()
    gc.disable()  # so that nothing collects the build's garbage before it is counted
    try:
        built = build(load_config(project_copy), out=tmp_path / "second")
        garbage = gc.collect()  # objects in cycles the build left unreachable
    finally:
        gc.enable()

    assert built.pages > 450
    assert garbage < 100
