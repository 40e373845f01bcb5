"""Independent RDF clients read every dump and every per-entity file: Raptor, N3.js, pyoxigraph.

Each parser must accept each file on its own and find as many triples as our own graph has
(dumps) or as pyoxigraph finds in the entity's N-Triples (per-entity files). The DCAT catalogue
must conform to the official DCAT-AP 3.0.1 shapes.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from oerkg.build import BuildResult

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "data" / "broken"
N3_SCRIPT = ROOT / "tests" / "js" / "n3-parse.mjs"
# The official DCAT-AP 3.0.1 shapes, vendored so CI needs nothing outside the repository.
DCAT_AP = ROOT / "tests" / "data" / "dcat-ap" / "dcat-ap-3.0.1-SHACL+ranges.cleaned.ttl"
INSTALL = "run `make tools` (apt: raptor2-utils; npm ci --ignore-scripts: n3)"


def assert_none(problems: list[str]) -> None:
    """Fail with every problem on its own line (pytest would cut a long list short)."""
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


@dataclass(frozen=True)
class Syntax:
    """One RDF syntax as each client names it."""

    rapper: str | None  # Raptor parser name; None: Raptor cannot read it
    n3: str | None  # N3.js format name; None: N3.js cannot read it
    ox: ox.RdfFormat
    quads: bool = False


SYNTAXES = {
    "ttl": Syntax("turtle", "Turtle", ox.RdfFormat.TURTLE),
    "nt": Syntax("ntriples", "N-Triples", ox.RdfFormat.N_TRIPLES),
    "nq": Syntax("nquads", "N-Quads", ox.RdfFormat.N_QUADS, quads=True),
    "trig": Syntax("trig", "TriG", ox.RdfFormat.TRIG, quads=True),
    "rdf": Syntax("rdfxml", None, ox.RdfFormat.RDF_XML),
    "jsonld": Syntax(None, None, ox.RdfFormat.JSON_LD),
}


def require(command: str) -> str:
    """Return the path of a checker program; fail (never skip) when it is not installed."""
    path = shutil.which(command)
    if path is None:
        pytest.fail(f"`{command}` is not installed: {INSTALL}", pytrace=False)
    return path


def syntax_of(path: Path) -> Syntax:
    return SYNTAXES[path.suffix.lstrip(".")]


# --- the three parsers, each returning {path: (count or None, error or "")} -------------------


def rapper_counts(files: list[Path]) -> dict[Path, tuple[int | None, str]]:
    """Parse each file with its own `rapper -c` process, in parallel; warnings count as errors."""
    rapper = require("rapper")

    def one(path: Path) -> tuple[int | None, str]:
        name = syntax_of(path).rapper
        assert name, path
        run = subprocess.run(
            [rapper, "-i", name, "-c", str(path)], capture_output=True, text=True, timeout=120
        )
        problems = [
            line
            for line in run.stderr.splitlines()
            if " - " in line and ("Error" in line or "Warning" in line)
        ]
        counted = [line for line in run.stderr.splitlines() if "Parsing returned" in line]
        if run.returncode != 0 or problems or not counted:
            return None, "; ".join(problems) or run.stderr.strip()[-500:]
        return int(counted[-1].split()[3]), ""

    with ThreadPoolExecutor(max_workers=min(32, (os.cpu_count() or 2) * 2)) as pool:
        return dict(zip(files, pool.map(one, files), strict=True))


def n3_counts(
    files: list[Path], *, distinct_triples: bool = False
) -> dict[Path, tuple[int | None, str]]:
    """Parse all files with N3.js in one node process (strict: exactly the named format)."""
    node = require("node")
    if not (ROOT / "node_modules" / "n3").is_dir():
        pytest.fail(f"npm package n3 is missing from node_modules: {INSTALL}", pytrace=False)
    jobs = [{"path": str(p), "format": syntax_of(p).n3} for p in files]
    run = subprocess.run(
        [node, str(N3_SCRIPT)],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    key = "triples" if distinct_triples else "quads"
    return {Path(r["path"]): (r.get(key), r["error"] or "") for r in json.loads(run.stdout)}


def ox_count(path: Path, *, distinct_triples: bool = False) -> tuple[int | None, str]:
    """Parse a file with pyoxigraph; count its statements (or its distinct triples)."""
    syntax = syntax_of(path)
    try:
        quads = list(ox.parse(path=path, format=syntax.ox))
    except (SyntaxError, ValueError, OSError) as exc:
        return None, str(exc)
    if syntax.quads and not distinct_triples:
        return len(set(quads)), ""
    return len({ox.Triple(q.subject, q.predicate, q.object) for q in quads}), ""


def disagreements(
    parser: str, found: dict[Path, tuple[int | None, str]], expected: dict[Path, int]
) -> list[str]:
    """One line per file a parser refused or counted differently."""
    lines = []
    for path, want in sorted(expected.items()):
        count, error = found[path]
        if error or count is None:
            lines.append(f"{parser}: {path}: {error}")
        elif count != want:
            lines.append(f"{parser}: {path}: {count} statements, expected {want}")
    return lines


# --- what the site publishes ------------------------------------------------------------------


@pytest.fixture(scope="session")
def dumps(site: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every dump file, the gzip ones decompressed (after checking they equal the plain ones)."""
    folder = site / "dumps"
    plain = sorted(p for p in folder.iterdir() if p.suffix.lstrip(".") in SYNTAXES)
    assert {p.name for p in plain} == {f"graph.{ext}" for ext in SYNTAXES}, plain
    unpacked = tmp_path_factory.mktemp("gunzipped")
    for gz in sorted(folder.glob("*.gz")):
        data = gzip.decompress(gz.read_bytes())
        assert data == (folder / gz.stem).read_bytes(), f"{gz.name} differs from {gz.stem}"
        (unpacked / gz.stem).write_bytes(data)
        plain.append(unpacked / gz.stem)
    return plain


@pytest.fixture(scope="session")
def entity_files(site: Path, built: BuildResult) -> dict[Path, int]:
    """Every per-entity RDF file, with the triple count pyoxigraph finds in the entity's .nt."""
    expected: dict[Path, int] = {}
    nts = sorted((site / "id").rglob("*.nt"))
    assert len(nts) == built.entities, f"{len(nts)} entity .nt files for {built.entities} entities"
    for nt in nts:
        count, error = ox_count(nt)
        assert count, f"{nt}: {error or 'no triples'}"
        for ext in ("ttl", "nt", "jsonld", "rdf"):
            other = nt.with_suffix(f".{ext}")
            assert other.is_file(), f"missing {other}"
            expected[other] = count
    return expected


@pytest.fixture(scope="session")
def description_files(site: Path) -> dict[Path, int]:
    """VoID, DCAT, ontology and shapes files, with the count pyoxigraph finds in each."""
    files = [site / "void.ttl", site / "catalog.ttl"]
    files += [
        site / f"{name}.{ext}"
        for name in ("ontology", "shapes")
        for ext in ("ttl", "nt", "jsonld", "rdf")
    ]
    expected = {}
    for path in files:
        count, error = ox_count(path)
        assert count, f"{path}: {error or 'no triples'}"
        expected[path] = count
    return expected


def dump_expectations(dumps: list[Path], built: BuildResult) -> dict[Path, int]:
    """Statements each dump holds: our triple count, or for quad formats pyoxigraph's quads."""
    expected = {}
    for path in dumps:
        if syntax_of(path).quads:
            count, error = ox_count(path)
            assert count, f"{path}: {error}"
            expected[path] = count
        else:
            expected[path] = built.triples
    return expected


# --- Raptor -----------------------------------------------------------------------------------


def test_rapper_reads_every_dump_with_our_triple_count(dumps: list[Path], built: BuildResult) -> None:
    files = [p for p in dumps if syntax_of(p).rapper]
    assert_none(disagreements("rapper", rapper_counts(files), dump_expectations(files, built)))


def test_rapper_reads_every_entity_and_description_file(
    entity_files: dict[Path, int], description_files: dict[Path, int]
) -> None:
    expected = {p: n for p, n in {**entity_files, **description_files}.items() if syntax_of(p).rapper}
    assert_none(disagreements("rapper", rapper_counts(list(expected)), expected))


def test_rapper_refuses_a_broken_file() -> None:
    found = rapper_counts([BROKEN / "unterminated.ttl", BROKEN / "unterminated.nt"])
    assert all(count is None and "Error" in error for count, error in found.values()), found


# --- N3.js ------------------------------------------------------------------------------------


def test_n3js_reads_every_dump_with_our_triple_count(dumps: list[Path], built: BuildResult) -> None:
    files = [p for p in dumps if syntax_of(p).n3]
    assert_none(disagreements("N3.js", n3_counts(files), dump_expectations(files, built)))
    # The quad formats hold the same triples as the graph, once the graph names are dropped.
    quads = [p for p in files if syntax_of(p).quads]
    found = n3_counts(quads, distinct_triples=True)
    assert_none(disagreements("N3.js (triples)", found, dict.fromkeys(quads, built.triples)))


def test_n3js_reads_every_entity_and_description_file(
    entity_files: dict[Path, int], description_files: dict[Path, int]
) -> None:
    expected = {p: n for p, n in {**entity_files, **description_files}.items() if syntax_of(p).n3}
    assert_none(disagreements("N3.js", n3_counts(list(expected)), expected))


def test_n3js_is_strict() -> None:
    """N3.js refuses a syntax error and N3-only syntax in a file named as Turtle."""
    found = n3_counts([BROKEN / "unterminated.ttl", BROKEN / "n3-formula.ttl"])
    assert all(count is None and error for count, error in found.values()), found


# --- pyoxigraph -------------------------------------------------------------------------------


def test_pyoxigraph_reads_every_dump_with_our_triple_count(
    dumps: list[Path], built: BuildResult
) -> None:
    found = {p: ox_count(p, distinct_triples=True) for p in dumps}
    assert_none(disagreements("pyoxigraph", found, dict.fromkeys(dumps, built.triples)))


def test_pyoxigraph_reads_every_entity_file_like_its_ntriples(entity_files: dict[Path, int]) -> None:
    found = {p: ox_count(p) for p in entity_files}
    assert_none(disagreements("pyoxigraph", found, entity_files))


def test_pyoxigraph_refuses_a_broken_file() -> None:
    count, error = ox_count(BROKEN / "unterminated.ttl")
    assert count is None and error, error


# --- every parser agrees on the same triples, not only on how many ------------------------------


def test_turtle_and_rdfxml_dumps_hold_the_same_graph_as_ntriples(site: Path) -> None:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    reference = Graph().parse(site / "dumps" / "graph.nt", format="nt")
    for name, fmt in (("graph.ttl", "turtle"), ("graph.rdf", "xml"), ("graph.jsonld", "json-ld")):
        other = Graph().parse(site / "dumps" / name, format=fmt)
        assert isomorphic(reference, other), f"dumps/{name} differs from dumps/graph.nt"


# --- checksums, as `sha256sum -c` reads them ----------------------------------------------------


def test_sha256sum_checks_the_dumps(site: Path) -> None:
    run = subprocess.run(
        [require("sha256sum"), "--check", "--strict", "SHA256SUMS"],
        cwd=site / "dumps",
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    listed = {line.split()[0] for line in run.stdout.splitlines()}
    assert len(listed) == len([p for p in (site / "dumps").iterdir() if p.name != "SHA256SUMS"])


# --- DCAT-AP ----------------------------------------------------------------------------------


def dcat_ap_report(catalogue: Path) -> tuple[bool, str]:
    """Validate a catalogue against the official DCAT-AP 3.0.1 shapes (and range shapes)."""
    import pyshacl
    from rdflib import Graph

    if not DCAT_AP.is_file():
        pytest.fail(f"DCAT-AP shapes not found at {DCAT_AP}", pytrace=False)
    conforms, _graph, text = pyshacl.validate(
        Graph().parse(catalogue, format="turtle"),
        shacl_graph=Graph().parse(DCAT_AP, format="turtle"),
    )
    return bool(conforms), str(text)


def test_catalogue_conforms_to_dcat_ap(site: Path) -> None:
    conforms, text = dcat_ap_report(site / "catalog.ttl")
    assert conforms, text


def test_dcat_ap_shapes_refuse_a_broken_catalogue() -> None:
    conforms, text = dcat_ap_report(BROKEN / "catalog.ttl")
    assert not conforms
    assert "Less than 1 values on <https://example.org/catalog>->" in text, text
