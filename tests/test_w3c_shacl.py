"""The W3C SHACL test suite, run through the public command `oerkg shacl`.

The suite (`tests/data/w3c-shacl/`, its README gives its origin and the W3C licence) holds 98 tests of
SHACL Core and 22 of SHACL-SPARQL. Each test names a data graph, a shapes graph and either the expected
validation report or a failure (`sht:Failure`). Reports are compared as SHACL implementations'
conformance reports compare them: the same sh:conforms and the same results, each with its
sh:focusNode, sh:resultPath (as a path structure), sh:resultSeverity, sh:sourceConstraintComponent,
sh:sourceShape and sh:value, and sh:resultMessage only where the expected result gives one; the two
graphs must be isomorphic, so blank nodes match any blank node, consistently.

Every Core test passes on the native engine. SHACL-SPARQL goes to pySHACL; the tests pySHACL cannot
validate (`LOUD`) must stop with exit 2 and a message naming the shape and the feature, never conform.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from rdflib import RDF, SH, BNode, Graph, Literal, Namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.term import Node

from oerkg.cli import main

SUITE = Path(__file__).parent / "data" / "w3c-shacl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
COMPARED = (
    SH.focusNode,
    SH.resultSeverity,
    SH.sourceConstraintComponent,
    SH.sourceShape,
    SH.value,
)

# SHACL-SPARQL tests pySHACL 0.40.1 cannot validate: each must stop with exit 2, naming the feature.
LOUD = {
    "sparql/node/prefixes-001": "Exception: Unknown namespace prefix : ex",  # sh:prefixes via owl:imports
    "sparql/pre-binding/shapesGraph-001": "NotImplementedError: SPARQL Constraint text has $shapesGraph",
}


@dataclass(frozen=True)
class Case:
    name: str  # e.g. core/path/path-inverse-001
    data: Path
    shapes: Path
    expected: Graph | None  # None: the test expects a failure


def _path(iri: Node) -> Path:
    return Path(unquote(urlparse(str(iri)).path))


def _cases() -> list[Case]:
    cases: list[Case] = []
    todo = [SUITE / "manifest.ttl"]
    while todo:
        manifest = todo.pop(0)
        graph = Graph().parse(manifest, format="turtle", publicID=manifest.resolve().as_uri())
        todo += [_path(m) for m in graph.objects(None, MF.include)]
        for entries in graph.objects(None, MF.entries):
            for test in Collection(graph, entries):
                if (test, RDF.type, SHT.Validate) not in graph:
                    continue
                action, result = graph.value(test, MF.action), graph.value(test, MF.result)
                name = _path(test).relative_to(SUITE.resolve()).with_suffix("").as_posix()
                cases.append(
                    Case(
                        name,
                        _path(graph.value(action, SHT.dataGraph)),
                        _path(graph.value(action, SHT.shapesGraph)),
                        None if result == SHT.Failure else _comparable(graph, result, messages=True),
                    )
                )
    return cases


def _comparable(graph: Graph, report: Node, *, messages: bool) -> Graph:
    """The compared part of a report: sh:conforms, and each result's compared values."""
    out = Graph()
    root = BNode()
    out.add((root, SH.conforms, Literal(graph.value(report, SH.conforms).toPython())))
    for result in graph.objects(report, SH.result):
        node = BNode()
        out.add((root, SH.result, node))
        for p in COMPARED:
            for o in graph.objects(result, p):
                out.add((node, p, o))
        if messages:
            for o in graph.objects(result, SH.resultMessage):
                out.add((node, SH.resultMessage, o))
        for path in graph.objects(result, SH.resultPath):
            out.add((node, SH.resultPath, path))
            _copy_structure(graph, path, out)
    return out


def _copy_structure(graph: Graph, node: Node, out: Graph) -> None:
    if isinstance(node, BNode):
        for p, o in graph.predicate_objects(node):
            out.add((node, p, o))
            _copy_structure(graph, o, out)


CASES = _cases()


def test_the_suite_is_complete() -> None:
    assert len([c for c in CASES if c.name.startswith("core/")]) == 98
    assert len([c for c in CASES if c.name.startswith("sparql/")]) == 22


def _run(case: Case, capsysbinary: pytest.CaptureFixture[bytes]) -> tuple[int, bytes, str]:
    code = main(["shacl", "--shapes", str(case.shapes), str(case.data), "--format", "ntriples"])
    out, err = capsysbinary.readouterr()
    return code, out, err.decode()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_w3c(case: Case, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = _run(case, capsysbinary)
    if case.expected is None or case.name in LOUD:
        assert (code, out) == (2, b"")
        assert "Error: shape " in err, err
        assert "which the native SHACL engine does not implement, and pySHACL could not validate" in err
        assert LOUD.get(case.name, "") in err
        return
    assert code in (0, 1), err
    # SHACL Core runs on the native engine; SHACL-SPARQL goes to pySHACL, and says so.
    assert ("Note: validated with pySHACL" in err) == case.name.startswith("sparql/"), err
    got = Graph().parse(data=out, format="nt")
    (report,) = got.subjects(RDF.type, SH.ValidationReport)
    # Messages are compared only where the expected report gives them (each engine words its own).
    actual = _comparable(got, report, messages=any(case.expected.objects(None, SH.resultMessage)))
    assert code == (0 if got.value(report, SH.conforms).toPython() else 1)
    if not isomorphic(actual, case.expected):
        pytest.fail(_diff(case.expected, actual))


def _diff(expected: Graph, actual: Graph) -> str:
    a, b = to_isomorphic(expected), to_isomorphic(actual)
    return "expected:\n" + a.serialize(format="turtle") + "\ngot:\n" + b.serialize(format="turtle")


def test_the_comparison_tells_reports_apart(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """A report that differs in one path step, one value or one result is not the expected one."""
    (case,) = [c for c in CASES if c.name == "core/path/path-complex-002"]
    assert case.expected is not None
    code, out, _ = _run(case, capsysbinary)
    got = Graph().parse(data=out, format="nt")
    (report,) = got.subjects(RDF.type, SH.ValidationReport)
    assert code == 1 and isomorphic(_comparable(got, report, messages=False), case.expected)
    ex = Namespace("http://example.org/shacl/tests/")
    results = sorted(got.objects(report, SH.result))
    for change in ("path", "value", "result"):
        changed = Graph()
        for triple in got:
            changed.add(triple)
        if change == "path":
            step = next(s for s in got.subjects(SH.inversePath, ex.p))
            changed.set((step, SH.inversePath, ex.q))
        elif change == "value":
            changed.set((results[0], SH.value, ex.other))
        else:
            changed.remove((report, SH.result, results[0]))
        assert not isomorphic(_comparable(changed, report, messages=False), case.expected), change
