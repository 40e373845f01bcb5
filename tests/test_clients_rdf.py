"""Independent RDF clients read every dump and every per-entity file: Raptor, N3.js, pyoxigraph,
and Apache Jena's RIOT (the dumps and the dataset's description).

Each parser must accept each file on its own and find as many triples as our own graph has
(dumps) or as pyoxigraph finds in the entity's N-Triples (per-entity files). The DCAT catalogue
must conform to the official DCAT-AP 3.0.1 shapes.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import zipfile
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
INSTALL = "run `make tools` (apt: raptor2-utils, libapache-jena-java; npm ci --ignore-scripts: n3)"
# Apache Jena 4.5.0 as Debian packages it (libapache-jena-java), with the libraries it needs, by
# their Debian jar names: RIOT's command line, `riotcmd.riot`, run on the installed Java.
JAVA_LIBS = Path("/usr/share/java")
JENA_JARS = [
    *(f"jena-{m}.jar" for m in ("arq", "base", "cmds", "core", "iri", "dboe-base", "tdb", "tdb2")),
    *(f"jena-dboe-{m}.jar" for m in ("index", "storage", "trans-data", "transaction")),
    "commons-cli.jar",
    "commons-codec.jar",
    "commons-compress.jar",
    "commons-csv.jar",
    "commons-io.jar",
    "commons-lang3.jar",
    "dexx.collection.jar",
    "gson.jar",
    "guava.jar",
    "httpclient.jar",
    "httpclient-cache.jar",
    "httpcore.jar",
    "jackson-annotations.jar",
    "jackson-core.jar",
    "jackson-databind.jar",
    "jsonld-java.jar",
    "protobuf.jar",
    "slf4j-api.jar",
    "slf4j-simple.jar",  # RIOT reports problems through its log: to stderr
    "thrift.jar",
]


def assert_none(problems: list[str]) -> None:
    """Fail with every problem on its own line (pytest would cut a long list short)."""
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


@dataclass(frozen=True)
class Syntax:
    """One RDF syntax as each client names it."""

    rapper: str | None  # Raptor parser name; None: Raptor cannot read it
    n3: str | None  # N3.js format name; None: N3.js cannot read it
    ox: ox.RdfFormat
    riot: str  # Jena RIOT syntax name (RIOT knows all but JSON-LD's by the file's extension)
    quads: bool = False


SYNTAXES = {
    "ttl": Syntax("turtle", "Turtle", ox.RdfFormat.TURTLE, "turtle"),
    "nt": Syntax("ntriples", "N-Triples", ox.RdfFormat.N_TRIPLES, "ntriples"),
    "nq": Syntax("nquads", "N-Quads", ox.RdfFormat.N_QUADS, "nquads", quads=True),
    "trig": Syntax("trig", "TriG", ox.RdfFormat.TRIG, "trig", quads=True),
    "rdf": Syntax("rdfxml", None, ox.RdfFormat.RDF_XML, "rdfxml"),
    # Debian's Jena has no Jakarta JSON provider for its JSON-LD 1.1 reader (Titanium): it
    # reads JSON-LD with its JSON-LD 1.0 reader (jsonld-java), enough for our expanded dumps.
    "jsonld": Syntax(None, None, ox.RdfFormat.JSON_LD, "jsonld10"),
}


def require(command: str) -> str:
    """Return the path of a checker program; fail (never skip) when it is not installed."""
    path = shutil.which(command)
    if path is None:
        pytest.fail(f"`{command}` is not installed: {INSTALL}", pytrace=False)
    return path


def syntax_of(path: Path) -> Syntax:
    return SYNTAXES[path.suffix.lstrip(".")]


# --- the four parsers, each returning {path: (count or None, error or "")} -------------------


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


@pytest.fixture(scope="session")
def riot_classpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The Java class path of Jena's RIOT; fails (never skips) when a jar is missing."""
    jars = [JAVA_LIBS / name for name in JENA_JARS]
    missing = [jar.name for jar in jars if not jar.is_file()]
    if missing:
        pytest.fail(f"{', '.join(missing)} not in {JAVA_LIBS}: {INSTALL}", pytrace=False)
    # Debian's jena-core moves the classes of Jena's copy of Xerces to `xerces.*` but leaves its
    # message bundles under `org/apache/jena/ext/xerces/`, so every XSD datatype fails to start
    # ("internal error"): put the bundles where the classes look for them.
    bundles = tmp_path_factory.mktemp("jena-bundles")
    with zipfile.ZipFile(JAVA_LIBS / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                target = bundles / name.removeprefix("org/apache/jena/ext/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return os.pathsep.join([str(bundles), *map(str, jars)])


def riot_counts(classpath: str, files: list[Path]) -> dict[Path, tuple[int | None, str]]:
    """Parse every file with `riot --strict --check --count`, in two Java processes (RIOT names
    each syntax by the file's extension, but for JSON-LD); any error or warning RIOT logs for a
    file counts as a failure."""
    java = require("java")
    found: dict[Path, tuple[int | None, str]] = {}
    for jsonld in (False, True):
        group = [p for p in files if (syntax_of(riot_name(p)).riot == "jsonld10") == jsonld]
        if not group:
            continue
        run = subprocess.run(
            [java, "-cp", classpath, "riotcmd.riot", "--strict", "--check", "--count"]
            + (["--syntax=jsonld10"] if jsonld else [])
            + [str(p) for p in group],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # in order: each file's problems come before its count
            text=True,
            timeout=300,
        )
        problems: list[str] = []
        for line in run.stdout.splitlines():
            if " INFO " in line:
                continue
            counted = re.fullmatch(r"file://(\S+?)(?: : (?:Triples|Quads) = ([\d,]+))?", line)
            if counted:
                count = int(counted[2].replace(",", "")) if counted[2] else None
                found[Path(counted[1])] = (None if problems else count, "; ".join(problems))
                problems = []
            elif not line.startswith("Total "):
                problems.append(line)
        assert not problems, run.stdout
    return {p: found.get(p, (None, "not parsed")) for p in files}


def riot_name(path: Path) -> Path:
    """The file's name without `.gz`: RIOT decompresses it itself."""
    return path.with_suffix("") if path.suffix == ".gz" else path


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


# --- Apache Jena RIOT ------------------------------------------------------------------------


def test_riot_reads_every_dump_and_description_file(
    site: Path, built: BuildResult, description_files: dict[Path, int], riot_classpath: str
) -> None:
    # The gzip copies as they are: RIOT decompresses them itself. One run for all (Jena takes
    # about 2 s of CPU to start).
    dumps = sorted(p for p in (site / "dumps").iterdir() if p.name != "SHA256SUMS")
    assert len(dumps) == len(SYNTAXES) + 2
    plain = dump_expectations(sorted({riot_name(p) for p in dumps}), built)
    expected = {**{p: plain[riot_name(p)] for p in dumps}, **description_files}
    assert_none(disagreements("RIOT", riot_counts(riot_classpath, list(expected)), expected))


def test_riot_refuses_a_broken_file(riot_classpath: str) -> None:
    found = riot_counts(riot_classpath, [BROKEN / "unterminated.ttl", BROKEN / "unterminated.nt"])
    assert all(count is None and "ERROR" in error for count, error in found.values()), found


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
