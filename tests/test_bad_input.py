"""Bad input gets one clear, located message and a documented exit code, never a traceback,
and a failing build leaves the previously published site untouched, byte for byte.

Each case is a tiny project in `tests/data/bad/<case>/`: its own `data/` (and, for template
cases, `site_templates/` files) laid over the shared `_base/` ontology, shapes and data, plus the
repository's own `site_templates/`. Huge or deeply nested inputs are generated at test time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from oerkg.build import build
from oerkg.cli import main
from oerkg.config import load_config
from oerkg.model import output_stem

ROOT = Path(__file__).resolve().parents[1]
BAD = Path(__file__).parent / "data" / "bad"
BASE = BAD / "_base"
EPOCH = "1764288000"

HEADER = """\
@prefix : <id/> .
@prefix oerdc: <ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

"""
INPUT_ERROR = "Error: 1 input error; nothing was changed."
NOT_PUBLISHED = "Error: nothing was published; the previous output is untouched."


# ---------------------------------------------------------------- helpers


def make_project(folder: Path, case: str | None = None) -> Path:
    """Lay the case's files over `_base` and the repository's templates; return the project."""
    project = folder / "project"
    shutil.copytree(BASE, project)
    shutil.copytree(ROOT / "site_templates", project / "site_templates")
    if case is not None:
        source = BAD / case
        if (source / "data").is_dir():
            shutil.rmtree(project / "data")
        shutil.copytree(source, project, dirs_exist_ok=True)
    return project


def write_data(project: Path, body: str) -> None:
    """Replace the project's data with one file: the usual prefixes, then `body`."""
    shutil.rmtree(project / "data")
    (project / "data").mkdir()
    (project / "data" / "data.ttl").write_text(HEADER + body, encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, list[str], list[str]]:
    """Run `oerkg` in-process; return exit code, stdout lines and stderr lines."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # argparse
        code = int(exc.code or 0)
    except BaseException as exc:  # noqa: BLE001 - a user mistake must never escape as a traceback
        out, err = capsys.readouterr()
        pytest.fail(f"oerkg {' '.join(map(str, args))} raised {exc!r}\n{err}")
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err, err
    return code, out.splitlines(), err.splitlines()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture(scope="session")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from `_base`: the previous output every failing build must leave alone."""
    folder = tmp_path_factory.mktemp("good")
    out = folder / "site"
    build(load_config(make_project(folder)), out=out)
    return out


@pytest.fixture()
def previous(tmp_path: Path, good_site: Path) -> tuple[Path, dict[str, bytes]]:
    """A copy of the good site in this test's folder, and its bytes before the failing build."""
    out = tmp_path / "out" / "site"
    shutil.copytree(good_site, out)
    return out, snapshot(out)


def assert_untouched(previous: tuple[Path, dict[str, bytes]]) -> None:
    out, before = previous
    assert snapshot(out) == before, "the failing build changed the previous site"
    leftovers = sorted(p.name for p in out.parent.iterdir() if p != out and p.name != ".site.lock")
    assert leftovers == [], f"the failing build left {leftovers} next to the site"


# ---------------------------------------------------------------- unreadable input (exit 2)

SYNTAX_CASES = {
    # case: the located message (exact), all at the line and column of the mistake
    "syntax-missing-dot": "data/data.ttl:10:1: A dot is expected at the end of statements",
    "syntax-unterminated-string": "data/data.ttl:9:16: Unexpected end of file",
    "syntax-bad-escape": "data/data.ttl:9:26: Unexpected escape character '\\q'",
    "syntax-undefined-prefix": "data/data.ttl:10:5: The prefix dc: has not been declared",
    "syntax-invalid-iri": "data/data.ttl:10:18: Invalid IRI code point '{'",
    "iri-space": "data/data.ttl:10:18: Invalid IRI code point ' '",
    "not-utf8": "data/data.ttl:9:20: not UTF-8 (byte 0xe9); Turtle files must be UTF-8",
}


@pytest.mark.parametrize("case", sorted(SYNTAX_CASES))
def test_unreadable_input_is_located(
    case: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    previous: tuple[Path, dict[str, bytes]],
) -> None:
    project = make_project(tmp_path, case)
    expected = [SYNTAX_CASES[case], INPUT_ERROR]

    assert run(capsys, "validate", project) == (2, [], expected)
    assert run(capsys, "build", project, "--out", previous[0]) == (2, [], expected)
    assert_untouched(previous)


def test_malformed_language_tag_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], previous: tuple[Path, dict[str, bytes]]
) -> None:
    # The parser says "If the `x` subtag is present, it must not be empty" without saying that
    # it speaks of a language tag, nor which one: the user must see both.
    project = make_project(tmp_path, "bad-language-tag")

    code, out, err = run(capsys, "build", project, "--out", previous[0])

    assert code == 2
    assert err[-1] == INPUT_ERROR
    assert err[0].startswith("data/data.ttl:9:")
    assert "language tag" in err[0] and "en-US-x" in err[0], err[0]
    assert_untouched(previous)


def test_empty_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], previous: tuple[Path, dict[str, bytes]]
) -> None:
    project = make_project(tmp_path, "empty-data")
    expected = [f"{project.resolve()}/data: no Turtle (.ttl) files found", INPUT_ERROR]

    assert run(capsys, "validate", project) == (2, [], expected)
    assert run(capsys, "build", project, "--out", previous[0]) == (2, [], expected)
    assert_untouched(previous)


def test_missing_data_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    shutil.rmtree(project / "data")

    assert run(capsys, "validate", project) == (
        2,
        [],
        [f"Error: {project.resolve()}: missing folder(s): data"],
    )


def test_several_broken_files_are_all_reported_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    for case in ("syntax-missing-dot", "syntax-bad-escape"):
        shutil.copy(BAD / case / "data" / "data.ttl", project / "data" / f"{case}.ttl")

    assert run(capsys, "validate", project) == (
        2,
        [],
        [
            "data/syntax-bad-escape.ttl:9:26: Unexpected escape character '\\q'",
            "data/syntax-missing-dot.ttl:10:1: A dot is expected at the end of statements",
            "Error: 2 input errors; nothing was changed.",
        ],
    )


def test_literal_of_50_mb_fails_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], previous: tuple[Path, dict[str, bytes]]
) -> None:
    # Decision: a 50 MB literal is refused with a located, actionable error (exit 2). The Turtle
    # parser caps one token at 16 MiB, and a page carrying 50 MB of text is a mistake anyway.
    project = make_project(tmp_path)
    write_data(
        project,
        ':coalition a oerdc:Coalition ;\n    rdfs:label "Coalition"@en ;\n'
        f'    schema:description "{"x" * 50_000_000}"@en .\n',
    )

    code, out, err = run(capsys, "build", project, "--out", previous[0])

    assert code == 2
    assert err[-1] == INPUT_ERROR
    assert err[0].startswith("data/data.ttl:"), err[0]
    assert "16 MiB" in err[0], err[0]
    assert_untouched(previous)


def test_template_with_undefined_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], previous: tuple[Path, dict[str, bytes]]
) -> None:
    project = make_project(tmp_path, "template-undefined")

    code, out, err = run(capsys, "build", project, "--out", previous[0])

    assert code == 2
    # Named as the data files are: relative to the project, at the template's line.
    assert "site_templates/entity.html:3: 'no_such_variable' is undefined" in err[0], err
    assert str(tmp_path) not in err[0], "the template is not named relative to the project"
    assert_untouched(previous)


# ---------------------------------------------------------------- violations (exit 1)


def test_invalid_date_is_a_violation_naming_the_property(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], previous: tuple[Path, dict[str, bytes]]
) -> None:
    project = make_project(tmp_path, "invalid-date")
    problem = (
        "data/data.ttl:8: Violation: https://w3id.org/oerdc/id/coalition (Coalition) – "
        "schema:foundingDate – Value is not a well-formed literal of datatype xsd:date"
    )
    summary = "3 triples: does not conform; 1 violation(s), 0 warning(s), 0 info"

    # No log record (rdflib warns with a traceback while converting "2020-02-30") may reach stderr.
    assert run(capsys, "validate", project) == (1, [problem, summary], [])
    assert run(capsys, "build", project, "--out", previous[0]) == (
        1,
        [],
        [problem, summary, NOT_PUBLISHED],
    )
    assert_untouched(previous)


def test_data_redefining_an_ontology_term(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], previous: tuple[Path, dict[str, bytes]]
) -> None:
    project = make_project(tmp_path, "redefine-ontology-term")
    problem = (
        "data/data.ttl:11: Violation: https://w3id.org/oerdc/ontology#Coalition (coalition) – - – "
        "a data file must not describe a term of the ontology; move this statement to ontology/"
    )
    summary = "3 triples: does not conform; 1 violation(s), 0 warning(s), 0 info"

    assert run(capsys, "validate", project) == (1, [problem, summary], [])
    assert run(capsys, "build", project, "--out", previous[0]) == (
        1,
        [],
        [problem, summary, NOT_PUBLISHED],
    )
    assert_untouched(previous)


CASE_CLASH = ("https://w3id.org/oerdc/id/Coalition ", "https://w3id.org/oerdc/id/coalition ")


def test_entities_differing_only_by_case_fail_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], previous: tuple[Path, dict[str, bytes]]
) -> None:
    project = make_project(tmp_path, "case-duplicate")

    code, out, err = run(capsys, "build", project, "--out", previous[0])

    # A content problem like a dangling link: exit 1, located relative to the project.
    assert code == 1, err
    assert err[0].startswith("data/data.ttl:8: ") or err[0].startswith("data/data.ttl:11: "), err
    assert all(iri in err[0] for iri in CASE_CLASH), err
    assert_untouched(previous)


def test_validate_reports_entities_differing_only_by_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `oerkg validate` is the gate CI runs before publishing; it must not pass what build refuses.
    project = make_project(tmp_path, "case-duplicate")

    code, out, err = run(capsys, "validate", project)

    assert code == 1
    assert any(all(iri in line for iri in CASE_CLASH) for line in out), out


# ---------------------------------------------------------------- legal input, published safely


def test_cycle_of_has_unit_is_published(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Decision: a cycle is legal RDF and nothing in our shapes forbids it, so it is published;
    # the pages link to each other and the build neither hangs nor recurses.
    project = make_project(tmp_path, "hasunit-cycle")
    out = tmp_path / "site"

    code, stdout, err = run(capsys, "build", project, "--out", out)

    assert code == 0, err
    for name in ("wg-a", "wg-b"):
        page = (out / "id" / f"{name}.html").read_text(encoding="utf-8")
        other = "wg-b" if name == "wg-a" else "wg-a"
        assert f"{other}.html" in page


def test_deeply_nested_list_does_not_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Decision: 10,000 nested lists are legal Turtle; they build (no RecursionError anywhere).
    depth = 10_000
    project = make_project(tmp_path)
    write_data(
        project,
        ':coalition a oerdc:Coalition ;\n    rdfs:label "Coalition"@en ;\n'
        f'    rdfs:comment {"( " * depth}"deep"{" )" * depth} .\n',
    )
    out = tmp_path / "site"

    assert run(capsys, "validate", project)[0] == 0
    code, stdout, err = run(capsys, "build", project, "--out", out)

    assert code == 0, err
    assert (out / "id" / "coalition.html").is_file()


def test_deeply_nested_blank_nodes_do_not_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    depth = 10_000
    project = make_project(tmp_path)
    write_data(
        project,
        ':coalition a oerdc:Coalition ;\n    rdfs:label "Coalition"@en ;\n'
        f'    rdfs:seeAlso {"[ rdfs:seeAlso " * depth}"deep"{" ]" * depth} .\n',
    )
    out = tmp_path / "site"

    code, stdout, err = run(capsys, "build", project, "--out", out)

    assert code == 0, err
    assert (out / "id" / "coalition.html").is_file()


UNUSUAL_IRIS = (
    "https://w3id.org/oerdc/id/a%2F..%2F..%2Fescape",
    "https://w3id.org/oerdc/id/café",
    "https://w3id.org/oerdc/id/東京",
    "https://w3id.org/oerdc/id/.hidden",
)


def test_iri_with_dot_segments_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `<…/id/../../escape>` is legal IRI syntax, but parsers disagree on it (Raptor resolves the
    # dots away, pyoxigraph keeps them), so publishing it would give users two different graphs.
    project = make_project(tmp_path, "iri-dot-segment")

    code, stdout, err = run(capsys, "build", project, "--out", tmp_path / "site")

    assert code == 1
    assert (
        "data/data.ttl:6: Violation: https://w3id.org/oerdc/id/coalition (Coalition) – org:hasUnit – "
        "https://w3id.org/oerdc/id/../../escape has a '.' or '..' path segment"
    ) in "\n".join(err)
    assert not (tmp_path / "site").exists()


def test_unusual_iris_get_safe_pages_inside_the_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path, "iri-unusual-paths")
    out = tmp_path / "out" / "site"

    code, stdout, err = run(capsys, "build", project, "--out", out)

    assert code == 0, err
    config = load_config(project)
    site = out.resolve()
    for iri in UNUSUAL_IRIS:
        stem = output_stem(iri, config)
        assert stem is not None
        page = out / f"{stem}.html"
        assert page.is_file(), f"no page for {iri} at {stem}.html"
        assert page.resolve().is_relative_to(site)
        assert all(part not in ("..", ".") for part in Path(stem).parts)
        assert stem.isascii() and "%" not in stem and not any(p.startswith(".") for p in stem.split("/"))
        assert iri in page.read_text(encoding="utf-8")
    # Nothing was written outside the output folder.
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".site.lock", ".site.state", "site"]
    assert [p for p in tmp_path.rglob("*escape*") if not p.resolve().is_relative_to(site)] == []


class _Page(HTMLParser):
    """Collect the text, the scripts and any parse problems of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.elements: list[str] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(tag)
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        else:
            self.text.append(data)


HOSTILE_LABEL = "<b>Bold</b> & co </script><script>alert(1)</script>"
HOSTILE_DESCRIPTION = 'Ends the block: </script> <!-- and a comment --> ]]> " \u2028 done'


def test_html_and_script_end_tags_in_literals_stay_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path, "html-in-literals")
    out = tmp_path / "site"

    code, stdout, err = run(capsys, "build", project, "--out", out)

    assert code == 0, err
    page = _Page()
    page.feed((out / "id" / "coalition.html").read_text(encoding="utf-8"))
    page.close()
    text = "".join(page.text)
    assert HOSTILE_LABEL in text
    assert HOSTILE_DESCRIPTION in text
    inline = [body for attrs, body in page.scripts if "src" not in attrs]
    assert all(
        attrs.get("type") == "application/ld+json" for attrs, body in page.scripts if "src" not in attrs
    ), "a literal opened a script element"
    assert len(inline) == 1, inline
    strings = set(_strings(json.loads(inline[0])))
    assert HOSTILE_LABEL in strings
    assert HOSTILE_DESCRIPTION in strings


def _strings(node: object) -> list[str]:
    """Every string anywhere in a parsed JSON document."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


# ---------------------------------------------------------------- the real command line

SUBPROCESS_CASES = ("syntax-missing-dot", "not-utf8", "invalid-date", "case-duplicate")


@pytest.mark.parametrize("case", SUBPROCESS_CASES)
def test_command_line_shows_no_traceback(case: str, tmp_path: Path) -> None:
    project = make_project(tmp_path, case)
    result = subprocess.run(
        [sys.executable, "-m", "oerkg.cli", "build", str(project), "--out", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        timeout=120,
        env={"SOURCE_DATE_EPOCH": EPOCH, "PATH": ""},
    )

    assert result.returncode in (1, 2)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.stderr.splitlines()[-1].startswith("Error: ")
    assert not (tmp_path / "site").exists()


def test_command_line_big_literal_shows_no_traceback(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    write_data(
        project,
        ':coalition a oerdc:Coalition ;\n    rdfs:label "Coalition"@en ;\n'
        f'    schema:description "{"x" * 50_000_000}"@en .\n',
    )
    result = subprocess.run(
        [sys.executable, "-m", "oerkg.cli", "validate", str(project)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr


def test_cycle_of_blank_nodes_does_not_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Labelled blank nodes can form a cycle; the page shows them once and stops.
    project = make_project(tmp_path, "bnode-cycle")
    out = tmp_path / "site"

    code, stdout, err = run(capsys, "build", project, "--out", out)

    assert code == 0, err
    page = (out / "id" / "coalition.html").read_text(encoding="utf-8")
    assert "first" in page and "second" in page


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            'sparql_endpoint = "ftp://example.org/sparql"',
            'sparql_endpoint: expected an http(s) URL such as "https://example.org/sparql", '
            'not "ftp://example.org/sparql"',
        ),
        ("browser_query_limit = -1", "browser_query_limit: expected a whole number, not the number -1"),
        (
            'browser_query_limit = "100k"',
            'browser_query_limit: expected a whole number, not the string "100k"',
        ),
    ],
)
def test_query_page_settings_are_checked(
    setting: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    (project / "oerkg.toml").write_text(f"# the query page\n{setting}\n", encoding="utf-8")
    code, out, err = run(capsys, "build", project)
    assert (code, out, err[0]) == (2, [], f"oerkg.toml:2: {message}")
