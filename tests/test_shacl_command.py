"""`oerkg shacl` and `oerkg validate --report`: the W3C validation report, exit codes and messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, SH, XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from oerkg.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:PersonShape a sh:NodeShape ;
    sh:targetClass ex:Person ;
    sh:property [
        sh:path ( ex:knows [ sh:inversePath ex:member ] ) ;
        sh:minCount 1 ;
        sh:message "needs a group"@en , "il faut un groupe"@fr ;
    ] ;
    sh:property [ sh:path ex:age ; sh:maxInclusive 150 ; sh:severity ex:Doubtful ] .
"""
DATA = """@prefix ex: <http://example.org/> .
ex:alice a ex:Person ; ex:knows ex:bob ; ex:age 200 .
ex:bob ex:name "Bob" .
"""


def shacl(capsysbinary: pytest.CaptureFixture[bytes], *args: str) -> tuple[int, bytes, str]:
    code = main(["shacl", *args])
    out, err = capsysbinary.readouterr()
    return code, out, err.decode()


def files(tmp_path: Path, data: str = DATA, name: str = "data.ttl") -> tuple[str, str]:
    (tmp_path / "shapes.ttl").write_text(SHAPES, encoding="utf-8")
    (tmp_path / name).write_text(data, encoding="utf-8")
    return str(tmp_path / "shapes.ttl"), str(tmp_path / name)


def report_of(out: bytes, fmt: str = "turtle") -> tuple[Graph, URIRef]:
    graph = Graph().parse(data=out, format=fmt)
    (report,) = graph.subjects(RDF.type, SH.ValidationReport)
    return graph, report  # type: ignore[return-value]


EX = "http://example.org/"
EXPECTED = f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <{EX}> .
[] a sh:ValidationReport ; sh:conforms false ;
  sh:result [ a sh:ValidationResult ;
    sh:focusNode ex:alice ;
    sh:resultPath ( ex:knows [ sh:inversePath ex:member ] ) ;
    sh:resultSeverity sh:Violation ;
    sh:sourceConstraintComponent sh:MinCountConstraintComponent ;
    sh:sourceShape _:knows ;
    sh:resultMessage "needs a group"@en , "il faut un groupe"@fr ] ,
  [ a sh:ValidationResult ;
    sh:focusNode ex:alice ;
    sh:resultPath ex:age ;
    sh:resultSeverity ex:Doubtful ;
    sh:sourceConstraintComponent sh:MaxInclusiveConstraintComponent ;
    sh:sourceShape _:age ;
    sh:value 200 ;
    sh:resultMessage "Value is not less than or equal to 150" ] .
"""


def test_the_report_is_the_w3c_report(tmp_path: Path, capsysbinary) -> None:
    """Full path structure, language-tagged messages, a shape's own severity: exit 1."""
    shapes, data = files(tmp_path)
    code, out, err = shacl(capsysbinary, "--shapes", shapes, data)
    assert (code, err) == (1, "")
    got, _ = report_of(out)
    assert isomorphic(got, Graph().parse(data=EXPECTED, format="turtle"))
    assert b"\tsh:focusNode ex:alice ;\n" in out  # with the prefixes the files declare


@pytest.mark.parametrize("fmt", ["ntriples", "jsonld"])
def test_output_formats_give_the_same_report(tmp_path: Path, capsysbinary, fmt: str) -> None:
    shapes, data = files(tmp_path)
    _, turtle, _ = shacl(capsysbinary, "--shapes", shapes, data)
    code, out, _ = shacl(capsysbinary, "--shapes", shapes, data, "--format", fmt)
    assert code == 1
    parsed = {"ntriples": "nt", "jsonld": "json-ld"}[fmt]
    assert isomorphic(report_of(out, parsed)[0], report_of(turtle)[0])


@pytest.mark.parametrize(
    ("name", "syntax"),
    [
        ("data.nt", ox.RdfFormat.N_TRIPLES),
        ("data.nq", ox.RdfFormat.N_QUADS),
        ("data.trig", ox.RdfFormat.TRIG),
        ("data.jsonld", ox.RdfFormat.JSON_LD),
        ("data.rdf", ox.RdfFormat.RDF_XML),
    ],
)
def test_every_rdf_syntax_is_read(tmp_path: Path, capsysbinary, name: str, syntax: ox.RdfFormat) -> None:
    graph = ox.parse(DATA.encode(), format=ox.RdfFormat.TURTLE)
    if syntax.supports_datasets:  # put the data in a named graph: all graphs are merged
        graph = (ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(EX + "g")) for q in graph)
    else:
        graph = (q.triple for q in graph)
    (tmp_path / name).write_bytes(ox.serialize(graph, format=syntax) or b"")
    shapes, _ = files(tmp_path)
    code, out, err = shacl(capsysbinary, "--shapes", shapes, str(tmp_path / name))
    assert (code, err) == (1, "")
    assert isomorphic(report_of(out)[0], Graph().parse(data=EXPECTED, format="turtle"))


def test_conforming_data_exits_0(tmp_path: Path, capsysbinary) -> None:
    shapes, data = files(tmp_path, DATA.replace("200", "20") + "ex:g ex:member ex:bob .\n")
    code, out, err = shacl(capsysbinary, "--shapes", shapes, data)
    assert (code, err) == (0, "")
    got, report = report_of(out)
    assert set(got.objects(report, SH.conforms)) == {Literal(True)}
    assert not set(got.objects(report, SH.result))


def test_a_warning_alone_does_not_conform(tmp_path: Path, capsysbinary) -> None:
    """SHACL 1.0 §3.6.1: sh:conforms is false when there is any result (W3C sparql-003)."""
    shapes, data = files(tmp_path, 'ex:x a ex:T ; ex:v "a" .\n@prefix ex: <http://example.org/> .\n')
    (tmp_path / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:severity sh:Warning ;\n"
        "  sh:property [ sh:path ex:v ; sh:datatype ex:Nothing ; sh:severity sh:Warning ] .\n",
        encoding="utf-8",
    )
    (tmp_path / "data.ttl").write_text(
        '@prefix ex: <http://example.org/> . ex:x a ex:T ; ex:v "a" .\n', encoding="utf-8"
    )
    code, out, _ = shacl(capsysbinary, "--shapes", shapes, data)
    got, report = report_of(out)
    assert code == 1
    assert set(got.objects(report, SH.conforms)) == {Literal(False)}
    assert set(got.objects(None, SH.resultSeverity)) == {SH.Warning}


def test_relative_iris_resolve_against_each_file_or_the_base(tmp_path: Path, capsysbinary) -> None:
    shapes, data = files(tmp_path, "<alice> a <http://example.org/Person> .\n")
    _, out, _ = shacl(capsysbinary, "--shapes", shapes, data)
    focus = set(report_of(out)[0].objects(None, SH.focusNode))
    assert focus == {URIRef((tmp_path / "alice").resolve().as_uri())}
    _, out, _ = shacl(capsysbinary, "--shapes", shapes, data, "--base", "https://example.net/x/")
    assert set(report_of(out)[0].objects(None, SH.focusNode)) == {URIRef("https://example.net/x/alice")}


def test_syntax_error_is_located_and_exits_2(tmp_path: Path, capsysbinary) -> None:
    shapes, data = files(
        tmp_path, '@prefix ex: <http://example.org/> .\nex:a ex:p "x" \nex:b ex:p 1 .\n'
    )
    code, out, err = shacl(capsysbinary, "--shapes", shapes, data)
    assert (code, out) == (2, b"")
    assert err.startswith(f"{data}:3:1: "), err
    assert err.endswith("Error: 1 input error; nothing was changed.\n"), err
    assert "Traceback" not in err


def test_missing_file_and_unknown_extension_are_all_reported(tmp_path: Path, capsysbinary) -> None:
    shapes, _ = files(tmp_path)
    (tmp_path / "data.csv").write_text("a,b\n", encoding="utf-8")
    missing, csv = str(tmp_path / "missing.ttl"), str(tmp_path / "data.csv")
    code, out, err = shacl(capsysbinary, "--shapes", shapes, missing, csv)
    assert (code, out) == (2, b"")
    assert err.splitlines() == [
        f"{missing}: No such file or directory",
        f"{csv}: unknown RDF file extension '.csv'; use one of "
        ".ttl, .nt, .nq, .trig, .jsonld, .json, .rdf, .owl, .xml",
        "Error: 2 input errors; nothing was changed.",
    ]


def test_a_syntax_error_in_json_ld_is_located(tmp_path: Path, capsysbinary) -> None:
    shapes, data = files(
        tmp_path, '{"@id": "http://example.org/a",\n "http://example.org/p": }', "d.jsonld"
    )
    code, _, err = shacl(capsysbinary, "--shapes", shapes, data)
    assert code == 2
    assert err.startswith(f"{data}:2:"), err


def test_shapes_beyond_both_engines_stop_with_exit_2(tmp_path: Path, capsysbinary) -> None:
    """A SPARQL constraint pySHACL refuses (MINUS, SHACL 1.0 §5.3.1): exit 2, never "conforms"."""
    shapes, data = files(tmp_path)
    (tmp_path / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
        "ex:S a sh:NodeShape ; sh:targetNode ex:alice ;\n"
        '  sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o MINUS { $this ?p ?o } }" ] .\n',
        encoding="utf-8",
    )
    code, out, err = shacl(capsysbinary, "--shapes", shapes, data)
    assert (code, out) == (2, b"")
    assert err == (
        "Error: shape <http://example.org/S> uses sh:sparql, which the native SHACL engine does not "
        "implement, and pySHACL could not validate it either: A SPARQL Constraint must not contain a "
        "MINUS clause.\n"
    )


def test_validate_writes_the_report_for_a_project(tmp_path: Path, capsys) -> None:
    for part in ("ontology", "shapes"):
        shutil.copytree(ROOT / part, tmp_path / part)
    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "tests" / "data" / "shapes" / "claim-about.ttl", tmp_path / "data")
    out = tmp_path / "report.ttl"
    code = main(["validate", str(tmp_path), "--report", str(out)])
    printed = capsys.readouterr().out
    assert code == 1
    assert "data/claim-about.ttl:20: Violation: https://w3id.org/oerdc/id/cl (Claim)" in printed
    got, report = report_of(out.read_bytes())
    assert set(got.objects(report, SH.conforms)) == {Literal(False, datatype=XSD.boolean)}
    (result,) = got.objects(report, SH.result)
    assert got.value(result, SH.focusNode) == URIRef("https://w3id.org/oerdc/id/cl")
    assert got.value(result, SH.sourceShape) == URIRef("https://w3id.org/oerdc/shapes#Claim-about")


def test_validate_report_to_an_unwritable_place_exits_3(tmp_path: Path, capsys) -> None:
    code = main(["validate", str(ROOT), "--report", str(tmp_path / "no" / "such" / "report.ttl")])
    err = capsys.readouterr().err
    assert code == 3
    assert err == f"Error: {tmp_path / 'no' / 'such' / 'report.ttl'}: No such file or directory\n"


def test_a_term_shacl_does_not_define_stops_with_exit_2(tmp_path: Path, capsysbinary) -> None:
    """pySHACL would ignore a misspelt constraint and report "conforms": oerkg names it instead."""
    shapes, data = files(tmp_path)
    (tmp_path / "shapes.ttl").write_text(
        SHAPES.replace("sh:targetClass", "sh:minCont 1 ; sh:targetClass"),
        encoding="utf-8",
    )
    code, out, err = shacl(capsysbinary, "--shapes", shapes, data)
    assert (code, out) == (2, b"")
    assert err == (
        "Error: shape <http://example.org/PersonShape> uses sh:minCont, which SHACL does not define "
        "(https://www.w3.org/ns/shacl#, SHACL 1.0 and SHACL Advanced Features): check the spelling; "
        "no validator would check it\n"
    )
