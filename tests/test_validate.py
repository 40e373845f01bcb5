"""`oerkg validate`: located messages and documented exit codes for every kind of problem.

Unreadable input (syntax, prefixes, encoding) and the checks shared with `build` are in
test_bad_input.py, which asserts the exact messages of both commands."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from oerkg.cli import main

ROOT = Path(__file__).resolve().parents[1]
HEAD = """@prefix : <id/> .
@prefix oerdc: <ontology#> .
@prefix schema: <http://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""


def project(tmp_path: Path, data: str, name: str = "case.ttl") -> Path:
    """A project with the real ontology and shapes and one data file."""
    for part in ("ontology", "shapes"):
        shutil.copytree(ROOT / part, tmp_path / part)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / name).write_text(HEAD + data, encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["validate", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_repository_graph_conforms(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, str(ROOT))
    assert code == 0, out
    assert "Violation" not in out
    assert " conforms; 0 violation(s)" in out.strip().splitlines()[-1]


def test_missing_folder_exits_2(tmp_path: Path, capsys) -> None:
    code, out = run(capsys, str(tmp_path / "nowhere"))
    assert (code, out.strip()) == (2, f"Error: {tmp_path / 'nowhere'}: project folder not found")


def test_unknown_predicate_is_a_violation_at_its_line(tmp_path: Path, capsys) -> None:
    code, out = run(capsys, str(project(tmp_path, ':x rdfs:label "x"@en ;\n  schema:nmae "y" .\n')))
    assert code == 1
    assert (
        "data/case.ttl:7: Violation: https://w3id.org/oerdc/id/x (x) – schema:nmae – unknown property "
        "http://schema.org/nmae: not defined in ontology/ nor in a known vocabulary (check the spelling)"
    ) in out


def test_unknown_class_is_a_violation(tmp_path: Path, capsys) -> None:
    code, out = run(capsys, str(project(tmp_path, ':x a oerdc:WorkingGrup ; rdfs:label "x"@en .\n')))
    assert code == 1
    assert "unknown class https://w3id.org/oerdc/ontology#WorkingGrup" in out


def test_dangling_link_is_a_violation(tmp_path: Path, capsys) -> None:
    data = ':x rdfs:label "x"@en ;\n  schema:about :nowhere .\n'
    code, out = run(capsys, str(project(tmp_path, data)))
    assert code == 1
    assert (
        "data/case.ttl:6: Violation: https://w3id.org/oerdc/id/x (x) – schema:about – links to "
        "https://w3id.org/oerdc/id/nowhere, which is not described anywhere in data/"
    ) in out


def test_strict_fails_on_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    # The repository graph has warnings only (an event whose start date no source states).
    code, out = run(capsys, str(ROOT))
    assert code == 0
    assert ": Warning: " in out
    assert run(capsys, str(ROOT), "--strict")[0] == 1


def test_help_documents_exit_codes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "oerkg.cli", "validate", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in ("0  success", "1  violations", "2  unreadable input", "3  output failed"):
        assert line in result.stdout


def test_no_traceback_for_bad_input_in_a_real_process(tmp_path: Path) -> None:
    path = project(tmp_path, ':x rdfs:label "unterminated .\n')
    result = subprocess.run(
        [sys.executable, "-m", "oerkg.cli", "validate", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("data/case.ttl:6:")


def test_iri_with_a_dot_segment_is_a_violation(tmp_path: Path, capsys) -> None:
    data = ':x rdfs:label "x"@en ;\n  schema:sameAs <https://example.org/a/../b> .\n'
    code, out = run(capsys, str(project(tmp_path, data)))
    assert code == 1
    assert (
        "schema:sameAs – https://example.org/a/../b has a '.' or '..' path segment, which RDF "
        "parsers resolve differently (RFC 3986 §6.2.2.3); write the IRI without it"
    ) in out


def test_literal_with_a_control_character_is_a_violation(tmp_path: Path, capsys) -> None:
    code, out = run(capsys, str(project(tmp_path, ':x rdfs:label "bell \\u0007"@en .\n')))
    assert code == 1
    assert "contains the control character U+0007, which the RDF/XML dump cannot carry" in out


def test_shapes_beyond_shacl_core_fall_back_to_pyshacl(tmp_path: Path, capsys) -> None:
    """A SHACL-SPARQL constraint is outside the native engine: pySHACL validates, and says so."""
    path = project(tmp_path, "")
    shutil.copytree(ROOT / "data", path / "data", dirs_exist_ok=True)
    (path / "data" / "case.ttl").unlink()
    (path / "shapes" / "sparql.ttl").write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix oerdc: <https://w3id.org/oerdc/ontology#> .
<https://example.org/shapes#NoCoalition> a sh:NodeShape ;
    sh:targetClass oerdc:Coalition ;
    sh:sparql [ a sh:SPARQLConstraint ;
        sh:message "A SPARQL constraint that every coalition fails." ;
        sh:select "SELECT $this WHERE { }" ] .
""",
        encoding="utf-8",
    )
    code, out = run(capsys, str(path))
    assert code == 1, out
    assert "Violation: https://w3id.org/oerdc/id/coalition" in out
    assert "A SPARQL constraint that every coalition fails." in out
    assert (
        "shapes/sparql.ttl:3: Info: https://example.org/shapes#NoCoalition – - – validated with "
        "pySHACL (slower): the native SHACL engine does not implement sh:sparql"
    ) in out


def test_the_offline_vocabulary_lists_are_rdflib_s() -> None:
    """`known_terms.json` (read without importing rdflib) lists what rdflib's namespaces hold."""
    import json

    from rdflib.namespace import RDF, SDO

    from oerkg.known_terms import LISTS, from_rdflib, known_term

    assert json.loads(LISTS.read_text(encoding="utf-8")) == from_rdflib(), (
        "run `python -m oerkg.known_terms` to write the lists again"
    )
    for iri in ("https://schema.org/Person", "http://schema.org/Person", str(RDF) + "_12"):
        assert known_term(iri) is True
    assert ("https://schema.org/Persn" in SDO) is False and known_term(
        "http://schema.org/Persn"
    ) is False
    assert known_term("http://example.org/x") is None


def test_validation_does_not_import_rdflib() -> None:
    """rdflib costs about 90 ms to import: only the pySHACL fallback and the tests need it."""
    code = "import sys, oerkg.build, oerkg.cli, oerkg.validate; print('rdflib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "False\n"
