"""Measure `oerkg build` and `/sparql` against the floor and the peers, side by side, at one scale.

    bench/run --scale 100k [--seed 1] [--repeat N] [--skip sparql,incremental,real]

See bench/README.md for what each figure means. Results go to bench/results/<scale>.md/.json.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
OERKG = [str(BIN / "oerkg")]  # replaced by `python -m oerkg.cli` on a snapshot (--engine head)
ENGINE_ENV: dict[str, str] = {}  # PYTHONPATH of the snapshot
OXIGRAPH = str(BIN / "oxigraph")
OUT = BENCH / "out"
RESULTS = BENCH / "results"
SOURCE_DATE_EPOCH = "1764288000"
GB = 1024**3

sys.path.insert(0, str(BENCH))
import generate  # noqa: E402  (bench/ is not a package)

# --- running things ------------------------------------------------------------------------


@dataclass
class Run:
    """One finished child process: wall time, peak memory of its process tree, output."""

    seconds: float
    peak_rss: int  # bytes: the largest memory of the process tree seen by sampling (sum of PSS)
    max_rss: int  # bytes, ru_maxrss of the largest single process (wait4)
    returncode: int
    stdout: str
    stderr: str
    cpu: float = 0.0  # seconds of user + system time, the process's and its reaped children's


def run(cmd: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 7200) -> Run:
    """Run a command, sampling the memory of its whole process tree every 50 ms."""
    environment = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, **ENGINE_ENV, **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=environment)
        peak = [0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.05):
                peak[0] = max(peak[0], tree_memory(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        max_rss = usage.ru_maxrss * 1024
        return Run(
            seconds,
            max(peak[0], max_rss),
            max_rss,
            proc.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
            usage.ru_utime + usage.ru_stime,
        )


def tree_memory(root: int) -> int:
    """The memory `root` and its descendants use (Linux /proc): the sum of their PSS.

    PSS (proportional set size) counts a page shared by n processes as 1/n in each, so forked
    workers sharing their parent's pages copy-on-write are not counted again (summing RSS
    would count the parent's whole heap once per worker).
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                total += next(int(line.split()[1]) * 1024 for line in f if line.startswith(b"Pss:"))
        except (OSError, StopIteration):
            pass
        todo.extend(children.get(pid, ()))
    return total


def checked(result: Run, what: str) -> Run:
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        raise RuntimeError(f"{what} failed (exit {result.returncode}):\n{tail}")
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


# --- the project ---------------------------------------------------------------------------


def snapshot(engine: str, work: Path) -> tuple[Path, str]:
    """Freeze the engine and the project sources (others may be editing the tree meanwhile).

    `head`: the last commit, run as `python -m oerkg.cli` with PYTHONPATH on the snapshot;
    `live`: `.venv/bin/oerkg` on the working tree, as it is while the benchmark runs.
    Returns the folder holding the project sources and a description of what was measured.
    """
    global OERKG
    sha = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if engine == "live":
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "src"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return ROOT, f"working tree at {sha}" + (" (src/ has uncommitted changes)" if dirty else "")
    dest = work / "engine"
    dest.mkdir()
    names = [n for n in ("src", *generate.COPIED, "data", "oerkg.toml") if (ROOT / n).exists()]
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "HEAD", *names], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    OERKG = [PYTHON, "-m", "oerkg.cli"]
    ENGINE_ENV["PYTHONPATH"] = str(dest / "src")
    return dest, f"commit {sha}"


def project_for(scale: str, seed: int, sources: Path = ROOT) -> Path:
    """Generate the project once per scale, seed and generator version (cached in bench/out/)."""
    triples = generate.parse_size(scale)
    folder = OUT / f"{scale}-seed{seed}"
    stamp = hashlib.sha256(Path(generate.__file__).read_bytes() + f"{triples}/{seed}".encode())
    stamp_file = folder / ".generated"
    if stamp_file.exists() and stamp_file.read_text() == stamp.hexdigest():
        generate.copy_sources(sources, folder)  # ontology, shapes, templates may have changed
        return folder
    print(f"generating {folder} ({triples} triples)…", flush=True)
    generate.generate(folder, triples=triples, seed=seed, sources=sources)
    stamp_file.write_text(stamp.hexdigest())
    return folder


def site_listing(site: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(site)), p.stat().st_size) for p in site.rglob("*") if p.is_file())


# --- measures ------------------------------------------------------------------------------


@dataclass
class Bench:
    scale: str
    seed: int
    repeat: int
    engine: str = ""
    figures: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    load: dict[str, list[float]] = field(default_factory=dict)
    saved: Callable[[], None] = field(default=lambda: None, repr=False)  # after each section

    def section(self, name: str, fn: Callable[[], dict[str, Any]]) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {name}…", flush=True)
        # Other work on the machine skews seconds (less so ratios): record the load around each part.
        self.load[name] = [round(os.getloadavg()[0], 2)]
        try:
            self.figures[name] = fn()
            self.load[name].append(round(os.getloadavg()[0], 2))
        except Exception as exc:  # a broken section must not hide the others
            self.errors[name] = f"{type(exc).__name__}: {exc}"
            print(f"  ! {name}: {self.errors[name]}", flush=True)
        self.saved()  # partial results are readable while a long run goes on


def measure_build(project: Path, repeat: int, work: Path, *, floor: bool) -> dict[str, Any]:
    """Full `oerkg build` in a subprocess, each time into a fresh output folder; with `floor`,
    each build is followed by a floor run writing the same files.

    Pairs, because here the cost of creating files depends on where a new folder lands on
    the disk and on what the disk is still doing: the same 64,668 files took from 2.3 s to
    33 s to write in one afternoon. The disk is synced before each timed part, and the ratio
    reported is the median of the pairs' ratios. Nothing is deleted until the run ends: on
    this disk a build that followed the deletion of a floor's 64,668 files spent 8-11 s in the
    kernel instead of 2.2 s (see `settle_after_deletions`).
    """
    runs, floors = [], []
    for i in range(repeat):
        out = work / f"full-{i}"
        os.sync()
        runs.append(checked(run([*OERKG, "build", str(project), "--out", str(out)]), "oerkg build"))
        if i == 0:
            listing = site_listing(out)
            (work / "listing.json").write_text(json.dumps(listing))
        if floor:
            os.sync()
            floors.append(floor_run(project, work / "listing.json", work / f"floor-{i}"))
    result = {
        "seconds": median([r.seconds for r in runs]),
        "all_seconds": [r.seconds for r in runs],
        "all_cpu": [r.cpu for r in runs],
        "peak_rss": max(r.peak_rss for r in runs),
        "max_process_rss": max(r.max_rss for r in runs),
        "summary": runs[-1].stdout.strip().splitlines()[-1] if runs[-1].stdout.strip() else "",
        "files": len(listing),
        "bytes": sum(size for _, size in listing),
        "html_files": sum(1 for p, _ in listing if p.endswith(".html")),
        "site": str(work / "full-0"),
    }
    if floors:
        result["floor"] = {k: median([f[k] for f in floors]) for k in floors[0]}
        result["floor"]["all_totals"] = [f["total"] for f in floors]
        result["floor"]["all_cpu"] = [f["cpu"] for f in floors]
        result["pair_ratios"] = [r.seconds / f["total"] for r, f in zip(runs, floors, strict=True)]
    return result


def floor_run(project: Path, listing: Path, out: Path) -> dict[str, Any]:
    result = checked(run([PYTHON, __file__, "_floor", str(project), str(listing), str(out)]), "floor")
    return {**json.loads(result.stdout.strip().splitlines()[-1]), "cpu": result.cpu}


def measure_stages(project: Path, work: Path) -> dict[str, Any]:
    result = checked(run([PYTHON, __file__, "_stages", str(project), str(work / "stages")]), "stages")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_incremental(project: Path, out: Path, full: float) -> dict[str, Any]:
    """Right after the full build into `out`: change one label, rebuild; add one triple, rebuild.

    The project's files are restored afterwards (the later sections use it).
    """
    events = project / "data" / "events.ttl"
    original = events.read_bytes()
    try:
        return _incremental(project, events, out, full)
    finally:
        events.write_bytes(original)


def _incremental(project: Path, events: Path, out: Path, full: float) -> dict[str, Any]:
    text = events.read_text(encoding="utf-8")
    start = text.index('rdfs:label "', text.index(":event-0000001 a "))
    start += len('rdfs:label "')
    text = text[:start] + "Renamed " + text[start:]
    events.write_text(text, encoding="utf-8")
    os.sync()  # each rebuild on a synced disk, as the full build it is compared with
    label = checked(
        run([*OERKG, "build", str(project), "--out", str(out)]), "build after a label change"
    )
    with events.open("a", encoding="utf-8") as f:
        f.write('\n:event-0000002 schema:keywords "benchmark"@en .\n')
    os.sync()
    triple = checked(
        run([*OERKG, "build", str(project), "--out", str(out)]), "build after one new triple"
    )
    result = {"label_change": label.seconds, "one_triple": triple.seconds}
    if triple.seconds < full / 2:  # while rebuilds are full builds, spare the time
        os.sync()
        nothing = checked(run([*OERKG, "build", str(project), "--out", str(out)]), "build, no change")
        result["no_change"] = nothing.seconds
    return result


# The first rebuild writes a fresh folder and links the unchanged files from the live site; the
# later ones update the site the build before kept (see `output.Site`), as in an editing session.
REBUILDS = {
    "label_change": "rebuild after label change (fresh folder)",
    "one_triple": "rebuild after one triple (previous site updated)",
    "no_change": "rebuild, no change (previous site updated)",
}


def measure_imports(repeat: int) -> dict[str, Any]:
    code = "import rdflib, pyshacl, jinja2, pyoxigraph"
    runs = [checked(run([PYTHON, "-c", code]), "imports").seconds for _ in range(max(3, repeat))]
    return {"seconds": median(runs), "all_seconds": runs}


def measure_real_build(repeat: int, work: Path, sources: Path) -> dict[str, Any]:
    runs = []
    for i in range(max(3, repeat)):
        out = work / f"real-{i}"
        os.sync()  # as before every timed build: not behind the earlier sections' writeback
        runs.append(
            checked(run([*OERKG, "build", str(sources), "--out", str(out)]), "real build").seconds
        )
    return {"seconds": median(runs), "all_seconds": runs}


# --- SPARQL --------------------------------------------------------------------------------


def queries_of(project: Path) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((project / "queries").glob("*.rq"))}


def prologue(site: Path, base: str) -> str:
    """PREFIX lines for the project's prefixes (oerkg predeclares them; the peers do not)."""
    import pyoxigraph as ox

    parser = ox.parse(path=site / "dumps" / "graph.ttl", format=ox.RdfFormat.TURTLE)
    next(parser, None)
    lines = [f"BASE <{base}>"] + [f"PREFIX {p}: <{ns}>" for p, ns in sorted(parser.prefixes.items())]
    return "\n".join(lines) + "\n"


def wait_http(url: str, params: dict[str, str], timeout: float, proc: subprocess.Popen) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            if httpx.get(url, params=params, timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def time_http(url: str, queries: dict[str, str], runs: int, prefix: str = "") -> dict[str, Any]:
    """Send each query `runs` times (after one warm-up) and return latencies per query."""
    import httpx

    headers = {"Accept": "application/sparql-results+json"}
    per_query: dict[str, list[float]] = {}
    rows: dict[str, int] = {}
    with httpx.Client(timeout=600) as client:
        for name, text in queries.items():
            samples = []
            budget = time.perf_counter() + 30  # slow queries: at least 3 timed runs, then stop
            for i in range(runs + 1):
                if len(samples) >= 3 and time.perf_counter() > budget:
                    break
                started = time.perf_counter()
                response = client.get(url, params={"query": prefix + text}, headers=headers)
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise RuntimeError(
                        f"{url} {name}: HTTP {response.status_code}: {response.text[:300]}"
                    )
                if i:
                    samples.append(elapsed)
                else:
                    rows[name] = _rows(response)
            per_query[name] = samples
    return _latencies(per_query, rows)


def _rows(response: Any) -> int:
    try:
        data = response.json()
    except ValueError:
        return -1
    return len(data["results"]["bindings"]) if "results" in data else 1


def _latencies(per_query: dict[str, list[float]], rows: dict[str, int]) -> dict[str, Any]:
    samples = [s for values in per_query.values() for s in values]
    return {
        "median": median(samples),
        "p99": percentile(samples, 99),
        "per_query_median": {q: median(v) for q, v in per_query.items()},
        "rows": rows,
        "samples": len(samples),
    }


RDFLIB_LIMIT = 900.0  # seconds for rdflib to load the dump and answer every query


def measure_sparql(project: Path, work: Path, runs: int) -> dict[str, Any]:
    queries = queries_of(project)
    if not queries:
        raise RuntimeError("the project has no queries/*.rq")
    result: dict[str, Any] = {"queries": sorted(queries)}

    # oerkg serve: builds, then answers /sparql through its query pool.
    port = free_port()
    site = work / "served"
    serve = subprocess.Popen(
        [*OERKG, "serve", str(project), "--port", str(port), "--no-watch", "--out", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, **ENGINE_ENV},
    )
    try:
        url = f"http://127.0.0.1:{port}/sparql"
        wait_http(url, {"query": "ASK {}"}, 3600, serve)
        result["oerkg"] = time_http(url, queries, runs)
    finally:
        serve.terminate()
        serve.wait(30)
    settings = tomllib.loads((project / "oerkg.toml").read_text(encoding="utf-8"))
    prefix = prologue(site, settings.get("base", "https://w3id.org/oerdc/"))

    # Oxigraph server on its on-disk store, loaded with the N-Quads dump.
    location = work / "oxigraph"
    loaded = checked(
        run([OXIGRAPH, "load", "--location", str(location), "--file", str(site / "dumps" / "graph.nq")]),
        "oxigraph load",
    )
    result["oxigraph_load_seconds"] = loaded.seconds
    port = free_port()
    server = subprocess.Popen(
        [
            OXIGRAPH,
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/query"
        wait_http(url, {"query": "ASK {}"}, 120, server)
        result["oxigraph"] = time_http(url, queries, runs, prefix)
    finally:
        server.terminate()
        server.wait(30)
    shutil.rmtree(location, ignore_errors=True)

    # rdflib's own engine, in a subprocess (fresh memory), on the N-Triples dump.
    payload = json.dumps({"queries": {k: prefix + v for k, v in queries.items()}, "runs": min(runs, 5)})
    (work / "rdflib-queries.json").write_text(payload)
    # One rdflib query cannot be interrupted and can take hours at 1M: the whole run is bounded,
    # and a run over the bound leaves rdflib unmeasured rather than losing the other figures.
    out = run(
        [
            PYTHON,
            __file__,
            "_rdflib",
            str(site / "dumps" / "graph.nt"),
            str(work / "rdflib-queries.json"),
        ],
        timeout=RDFLIB_LIMIT,
    )
    if out.returncode == 0:
        result["rdflib"] = json.loads(out.stdout.strip().splitlines()[-1])
    else:
        result["rdflib_error"] = f"not finished within {RDFLIB_LIMIT:.0f} s (exit {out.returncode})"
    return result


# --- child-process parts (run as `run.py _floor|_stages|_rdflib …`) -------------------------


def child_floor(project: Path, listing_path: Path, root: Path) -> dict[str, float]:
    """The work no publisher can avoid: parse, serialise every dump format, write the files
    (into `root`, a new folder, left for the caller to delete)."""
    import pyoxigraph as ox

    from oerkg.config import load_config

    config = load_config(project)
    files = sorted((project / "data").glob("*.ttl"))
    timings: dict[str, float] = {}

    t = time.perf_counter()
    parsed = []
    prefixes: dict[str, str] = {}
    for path in files:
        parser = ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=config.base)
        parsed.append((path, list(parser)))
        prefixes.update(parser.prefixes)
    timings["parse"] = time.perf_counter() - t

    t = time.perf_counter()
    prefixes = {p: ns for p, ns in prefixes.items() if "://" in ns}
    quads = [q for _, qs in parsed for q in qs]
    dumps = {
        "ttl": ox.serialize(quads, format=ox.RdfFormat.TURTLE, prefixes=prefixes),
        "nt": ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES),
        "jsonld": ox.serialize(quads, format=ox.RdfFormat.JSON_LD),
        "rdf": ox.serialize(quads, format=ox.RdfFormat.RDF_XML, prefixes=prefixes),
    }
    # One named graph per file: N-Quads from each file's N-Triples, TriG from its Turtle.
    nq, trig = [], [b"".join(f"@prefix {p}: <{ns}> .\n".encode() for p, ns in prefixes.items())]
    for path, qs in parsed:
        graph = f"<{config.base}graph/data/{path.stem}>".encode()
        nq.append(
            ox.serialize(qs, format=ox.RdfFormat.N_TRIPLES).replace(b" .\n", b" " + graph + b" .\n")
        )
        body = ox.serialize(qs, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        body = b"\n".join(line for line in body.split(b"\n") if not line.startswith(b"@prefix"))
        trig.append(graph + b" {\n" + body + b"\n}\n")
    dumps["nq"], dumps["trig"] = b"".join(nq), b"".join(trig)
    timings["serialise"] = time.perf_counter() - t

    # As dumps.py publishes them: level 6, the two archives on two threads (zlib drops the GIL).
    t = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        packed = pool.map(lambda k: gzip.compress(dumps[k], compresslevel=6, mtime=0), ("nt", "nq"))
        dumps["nt.gz"], dumps["nq.gz"] = packed
    timings["gzip"] = time.perf_counter() - t

    listing = json.loads(listing_path.read_text())
    t = time.perf_counter()
    made: set[Path] = set()
    blob = b"x" * max((size for _, size in listing), default=0)
    for path, size in listing:
        target = root / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(blob[:size])
    timings["write"] = time.perf_counter() - t
    timings["total"] = timings["parse"] + timings["serialise"] + timings["gzip"] + timings["write"]
    timings["triples"] = len(quads)
    return timings


# The functions `oerkg.build.build` calls that the stages table times, with the stage's name.
STAGE_NAMES = {
    "load_project": "load",
    "validate": "validate",
    "_validated": "validate",  # on a large graph: waiting for the forked validation
    "build_model": "model",
    "build_date": "build date",
    "graph_texts": "dumps: sorted N-Triples and N-Quads",
    "dump_files": "dumps: all formats + gzip",
    "download": "dumps: checksums",
    "checksums": "dumps: checksums",
    "void_description": "describe: VoID",
    "dcat_catalogue": "describe: DCAT",
    "_vocabulary_files": "vocabulary + shapes files",
    "run_examples": "example queries",
    "fingerprint": "incremental: entity keys",
    "entity_keys": "incremental: entity keys",
    "read_manifest": "incremental: entity keys",
    "unchanged": "incremental: entity keys",
    "manifest": "incremental: entity keys",
    "write_site": "pages + entity RDF files (made and written on every core)",
    "apache_htaccess": "hosting configs",
    "nginx_conf": "hosting configs",
    "Site": "write + swap",
}


def child_stages(project: Path, out: Path) -> dict[str, Any]:
    """Run `oerkg.build.build` in-process with every stage function it calls timed.

    The stage functions are looked up in `oerkg.build`'s namespace and wrapped, so the order
    and the arguments are exactly the build's own. Each stage is charged its own time only
    (time in a nested stage goes to that stage), and a generator is charged the time spent
    making each item, while the build consumes it as usual (pages stay streamed).
    """
    import types

    t = time.perf_counter()
    import oerkg.build as build_module
    from oerkg.config import load_config

    imported = time.perf_counter() - t
    timings: dict[str, float] = {}
    order: list[str] = []
    nested = [0.0]  # time spent in nested stages, for the stage running now

    def charge(label: str, started: float, inner: float) -> None:
        elapsed = time.perf_counter() - started
        timings[label] = timings.get(label, 0.0) + elapsed - nested[0]
        nested[0] = inner + elapsed
        if label not in order:
            order.append(label)

    def timed_items(label: str, items: Iterator[Any]) -> Iterator[Any]:
        while True:
            started, inner, nested[0] = time.perf_counter(), nested[0], 0.0
            try:
                item = next(items)
            except StopIteration:
                charge(label, started, inner)
                return
            charge(label, started, inner)
            yield item

    def wrap(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        label = STAGE_NAMES[name]

        def timed(*args: Any, **kwargs: Any) -> Any:
            started, inner, nested[0] = time.perf_counter(), nested[0], 0.0
            try:
                value = fn(*args, **kwargs)
            finally:
                charge(label, started, inner)
            return timed_items(label, value) if isinstance(value, types.GeneratorType) else value

        return timed

    for name in STAGE_NAMES:
        if isinstance(getattr(build_module, name, None), types.FunctionType):
            setattr(build_module, name, wrap(name, getattr(build_module, name)))
    for method in ("put", "write_all", "link", "commit"):  # the output folder's writes
        setattr(build_module.Site, method, wrap("Site", getattr(build_module.Site, method)))
    os.environ.setdefault("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    t = time.perf_counter()
    config = load_config(project)
    config_seconds = time.perf_counter() - t
    t = time.perf_counter()
    result = build_module.build(config, out=out)
    total = time.perf_counter() - t
    stages = {"config": config_seconds, **{k: timings[k] for k in order}}
    stages["other (in build)"] = max(0.0, total - sum(timings.values()))
    return {
        "import": imported,
        "stages": stages,
        "build_total": total + config_seconds,
        "entities": result.entities,
        "pages": result.pages,
        "files": result.files,
    }


def child_rdflib(nt: Path, queries_path: Path) -> dict[str, Any]:
    import rdflib

    spec = json.loads(queries_path.read_text())
    t = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(nt, format="nt")
    load = time.perf_counter() - t
    per_query: dict[str, list[float]] = {}
    rows: dict[str, int] = {}
    for name, text in spec["queries"].items():
        samples: list[float] = []
        budget = time.perf_counter() + 60  # rdflib can take long at 1M; at least one timed run
        for i in range(spec["runs"] + 1):
            started = time.perf_counter()
            answer = graph.query(text)
            count = len(list(answer)) if answer.type == "SELECT" else 1
            elapsed = time.perf_counter() - started
            if i == 0:
                rows[name] = count
                if elapsed > 20:  # too slow to warm up: count the first run
                    samples.append(elapsed)
                    break
            else:
                samples.append(elapsed)
            if time.perf_counter() > budget and samples:
                break
        per_query[name] = samples
    return {**_latencies(per_query, rows), "load_seconds": load}


# --- report --------------------------------------------------------------------------------


def targets(bench: Bench) -> list[dict[str, Any]]:
    """Each target of issue 7 with the measured ratio, met or not (None: not measured)."""
    f = bench.figures
    out = []

    def add(name: str, value: float | None, limit: float, unit: str = "×", applies: bool = True) -> None:
        met = None if value is None or value != value else value <= limit
        out.append(
            {
                "target": name,
                "value": value,
                "limit": limit,
                "unit": unit,
                "met": met if applies else None,
                "applies_at_this_scale": applies,
            }
        )

    build = f.get("build", {}).get("seconds")
    floor = f.get("floor", {}).get("total")
    pairs = f.get("build", {}).get("pair_ratios")
    ratio = median(pairs) if pairs else build / floor if build and floor else None
    add(
        "full build ≤ 4× floor (100k, 1m; median of build/floor pairs)",
        ratio,
        4,
        applies=bench.scale in ("100k", "1m"),
    )
    rss = f.get("build", {}).get("peak_rss")
    add(
        "peak memory ≤ 3 GB (1m; tree PSS, ≥ largest RSS)",
        rss / GB if rss else None,
        3,
        "GB",
        applies=bench.scale == "1m",
    )
    other = _other_scale(bench)
    if build and other:
        small, large = (other, build) if bench.scale == "1m" else (build, other)
        add("build growth 100k → 1m ≤ 11×", large / small, 11)
    else:
        add("build growth 100k → 1m ≤ 11×", None, 11)
    inc = f.get("incremental", {})
    for key, label in (("label_change", "one label"), ("one_triple", "one triple")):
        value = inc.get(key) / build if build and inc.get(key) else None
        add(
            f"incremental rebuild ({label}) ≤ 5% of full build (100k)",
            value,
            0.05,
            "of full",
            applies=bench.scale == "100k",
        )
    sparql = f.get("sparql", {})
    ours, peer, slow = (sparql.get(k, {}).get("median") for k in ("oerkg", "oxigraph", "rdflib"))
    add(
        "/sparql median ≤ 2× Oxigraph server (1m)",
        ours / peer if ours and peer else None,
        2,
        applies=bench.scale == "1m",
    )
    add(
        "/sparql ≥ 10× faster than rdflib (median; value = ours/rdflib ≤ 0.1)",
        ours / slow if ours and slow else None,
        0.1,
    )
    real, imports = f.get("real", {}).get("seconds"), f.get("imports", {}).get("seconds")
    add(
        "real project build ≤ 3× importing its dependencies",
        real / imports if real and imports else None,
        3,
    )
    return out


def _other_scale(bench: Bench) -> float | None:
    other = {"100k": "1m", "1m": "100k"}.get(bench.scale)
    path = RESULTS / f"{other}.json"
    if not other or not path.exists():
        return None
    data = json.loads(path.read_text())
    if data.get("seed") != bench.seed:
        return None
    value = data.get("figures", {}).get("build", {}).get("seconds")
    return float(value) if value else None


def rows(bench: Bench) -> list[tuple[str, str, str, str]]:
    """(measure, value, ratio, against) rows of the table."""
    f = bench.figures
    floor = f.get("floor", {}).get("total")
    out: list[tuple[str, str, str, str]] = []

    def secs(v: float | None) -> str:
        return "–" if v is None else f"{v:.3f} s" if v < 10 else f"{v:.1f} s"

    def ratio(v: float | None, ref: float | None) -> str:
        return "–" if not v or not ref else f"{v / ref:.2f}×"

    if "floor" in f:
        fl = f["floor"]
        for key in ("parse", "serialise", "gzip", "write"):
            out.append((f"floor: {key}", secs(fl[key]), ratio(fl[key], floor), "floor"))
        out.append(("**floor total**", secs(floor), "1.00×", "floor"))
    if "build" in f:
        b = f["build"]
        out.append(
            (
                "**oerkg build (subprocess, wall)**",
                secs(b["seconds"]),
                ratio(b["seconds"], floor),
                "floor",
            )
        )
        if b.get("pair_ratios"):
            pairs = ", ".join(f"{r:.2f}×" for r in b["pair_ratios"])
            out.append(
                (
                    "build ÷ floor, each pair (builds: "
                    + ", ".join(f"{x:.1f} s" for x in b["all_seconds"])
                    + ")",
                    pairs,
                    f"{median(b['pair_ratios']):.2f}×",
                    "median",
                )
            )
        if b.get("all_cpu") and f.get("floor", {}).get("all_cpu"):
            # Less at the disk's mercy than wall time (though file creation is system time).
            cpu = ", ".join(f"{x:.1f} s" for x in b["all_cpu"])
            floor_cpu = ", ".join(f"{x:.1f} s" for x in f["floor"]["all_cpu"])
            out.append((f"CPU, user + system, each pair (floor: {floor_cpu})", cpu, "", ""))
        out.append(
            ("peak memory of the build (process tree, PSS)", f"{b['peak_rss'] / GB:.2f} GB", "", "")
        )
        out.append(("largest single process (max RSS)", f"{b['max_process_rss'] / GB:.2f} GB", "", ""))
    if "stages" in f:
        st = f["stages"]
        out.append(
            ("in-process: import oerkg.build", secs(st["import"]), ratio(st["import"], floor), "floor")
        )
        total = st["build_total"]
        for name, value in st["stages"].items():
            share = f" ({100 * value / total:.0f}%)" if total else ""
            out.append((f"stage: {name}{share}", secs(value), ratio(value, floor), "floor"))
        out.append(("in-process build total", secs(total), ratio(total, floor), "floor"))
    if "incremental" in f:
        full = f.get("build", {}).get("seconds")
        inc = f["incremental"]
        for key, what in REBUILDS.items():
            if key in inc:
                out.append((what, secs(inc[key]), ratio(inc[key], full), "full build"))
    if "sparql" in f:
        s = f["sparql"]
        for engine in ("oerkg", "oxigraph", "rdflib"):
            if engine in s:
                for stat in ("median", "p99"):
                    peer = s.get("oxigraph", {}).get(stat)
                    out.append(
                        (
                            f"SPARQL {stat}: {engine}",
                            _ms(s[engine][stat]),
                            ratio(s[engine][stat], peer),
                            "Oxigraph server",
                        )
                    )
        if "rdflib_error" in s:
            out.append(("SPARQL: rdflib", s["rdflib_error"], "", ""))
    if "imports" in f:
        imp = f["imports"]["seconds"]
        out.append(("import rdflib, pyshacl, jinja2, pyoxigraph", secs(imp), "1.00×", "imports"))
        if "real" in f:
            out.append(
                (
                    "real project: oerkg build",
                    secs(f["real"]["seconds"]),
                    ratio(f["real"]["seconds"], imp),
                    "imports",
                )
            )
    return out


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def markdown(bench: Bench, command: str) -> str:
    f = bench.figures
    lines = [
        f"# Benchmark at {bench.scale} (seed {bench.seed})",
        "",
        f"`{command}` — {time.strftime('%Y-%m-%d %H:%M')}, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores; engine: {bench.engine}.",
        "",
    ]
    if "build" in f:
        b = f["build"]
        lines += [
            f"Site: {b['files']} files, {b['bytes'] / 1e6:.1f} MB ({b['html_files']} HTML). "
            f"{b['summary']}",
            "",
        ]
    lines += ["| measure | value | ratio | against |", "| --- | ---: | ---: | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows(bench)]
    lines += [
        "",
        "## Targets (issue 7)",
        "",
        "| target | measured | limit | met |",
        "| --- | ---: | ---: | --- |",
    ]
    for t in targets(bench):
        value = "–" if t["value"] is None else f"{t['value']:.3f} {t['unit']}"
        met = (
            "n/a at this scale"
            if not t["applies_at_this_scale"]
            else {True: "met", False: "**not met**", None: "not measured"}[t["met"]]
        )
        if not t["applies_at_this_scale"] and t["value"] is not None:
            met += " (met)" if t["value"] <= t["limit"] else " (would not be met)"
        lines.append(f"| {t['target']} | {value} | {t['limit']} {t['unit']} | {met} |")
    if "sparql" in f:
        s = f["sparql"]
        lines += [
            "",
            "## SPARQL per query (median, ms; rows)",
            "",
            "| query | oerkg /sparql | Oxigraph server | rdflib |",
            "| --- | ---: | ---: | ---: |",
        ]
        for q in s.get("queries", []):
            cells = []
            for engine in ("oerkg", "oxigraph", "rdflib"):
                e = s.get(engine)
                cells.append(f"{e['per_query_median'][q] * 1000:.1f} ({e['rows'].get(q)})" if e else "–")
            lines.append(f"| {q} | {' | '.join(cells)} |")
    if bench.load:
        loads = ", ".join(f"{k} {'→'.join(map(str, v))}" for k, v in bench.load.items())
        lines += [
            "",
            f"Load average (1 min) before→after each part, on {os.cpu_count()} cores: {loads}.",
        ]
    if bench.errors:
        lines += ["", "## Errors", ""] + [
            f"- {k}: `{v.splitlines()[0]}`" for k, v in bench.errors.items()
        ]
    return "\n".join(lines) + "\n"


def save(bench: Bench, command: str) -> str:
    """Write bench/results/<scale>.md and .json; return the markdown."""
    RESULTS.mkdir(exist_ok=True)
    text = markdown(bench, command)
    (RESULTS / f"{bench.scale}.md").write_text(text, encoding="utf-8")
    data = {
        **{k: v for k, v in asdict(bench).items() if k != "saved"},
        "command": command,
        "targets": targets(bench),
        "python": platform.python_version(),
        "cores": os.cpu_count(),
    }
    (RESULTS / f"{bench.scale}.json").write_text(json.dumps(data, indent=2, default=str) + "\n")
    return text


# --- main ----------------------------------------------------------------------------------

SECTIONS = ("build", "floor", "stages", "incremental", "sparql", "imports", "real")


# On this disk (ext4 without a journal), creating a file skips every inode deleted in the last
# minute (ext4's `recently_deleted`, five minutes more while the inode table is unwritten) in
# its search for a free one: after a mass deletion, a new file costs several times as much, in
# the kernel. Measured here: 1,100 files in 0.22 s for 50 s after deleting 40,000 and syncing,
# 0.035 s from then on; 0.6-0.9 s for minutes after a benchmark's folders had gone.
RECENTLY_DELETED = 61  # seconds after a deletion has reached the disk
DELETED = OUT / ".deleted"  # touched when a run's folder is gone


def settle_after_deletions() -> None:
    """Delete an earlier run's folders, and wait until no file deleted recently slows the
    files this run creates: a minute after the last deletion, once it is on the disk."""
    stale = list(OUT.glob("bench-*"))
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    os.sync()
    # When the last run's own folder was gone (deleted in the background, see `main`), and ours.
    deleted = [DELETED.stat().st_mtime] if DELETED.exists() else []
    if stale:
        deleted.append(time.time())
    wait = max(deleted, default=0.0) + RECENTLY_DELETED - time.time()
    if wait > 0:
        print(f"waiting {wait:.0f} s for the disk after deleting an earlier run's files", flush=True)
        time.sleep(wait)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0].startswith("_"):
        part, *rest = argv
        fn = {"_floor": child_floor, "_stages": child_stages, "_rdflib": child_rdflib}[part]
        print(json.dumps(fn(*map(Path, rest))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="100k", help="10k, 100k or 1m (or a number of triples)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--engine",
        choices=("head", "live"),
        default="head",
        help="head: a snapshot of the last commit (default); live: .venv/bin/oerkg on the tree",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="full builds and floors to take the median of"
    )
    parser.add_argument(
        "--queries-runs", type=int, default=20, help="timed runs of each query per engine"
    )
    parser.add_argument(
        "--skip", default="", help=f"comma-separated sections to skip: {','.join(SECTIONS)}"
    )
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    bench = Bench(args.scale, args.seed, args.repeat)
    command = ("bench/run " + " ".join(argv)).strip()
    bench.saved = lambda: save(bench, command) and None
    OUT.mkdir(exist_ok=True)
    settle_after_deletions()
    work = Path(tempfile.mkdtemp(prefix=f"bench-{args.scale}-", dir=OUT))
    try:
        sources, bench.engine = snapshot(args.engine, work)
        generated = project_for(args.scale, args.seed, sources)
        # A fresh copy, so no state of an earlier run (a site, a build cache) is reused.
        project = work / "project"
        shutil.copytree(generated, project, ignore=shutil.ignore_patterns("site", ".*"))
        floor = "floor" not in skip
        bench.section("build", lambda: measure_build(project, args.repeat, work, floor=floor))
        built = bench.figures.get("build")
        if built and "floor" in built:  # measured in pairs with the builds
            bench.figures["floor"] = built.pop("floor")
        if built and "incremental" not in skip:
            bench.section(
                "incremental",
                lambda: measure_incremental(project, Path(built["site"]), built["seconds"]),
            )
        if "stages" not in skip:
            bench.section("stages", lambda: measure_stages(project, work))
        if "sparql" not in skip:
            bench.section("sparql", lambda: measure_sparql(project, work, args.queries_runs))
        if "imports" not in skip:
            bench.section("imports", lambda: measure_imports(args.repeat))
        if "real" not in skip:
            bench.section("real", lambda: measure_real_build(args.repeat, work, sources))
    finally:
        # Deleting tens of thousands of files is slow on some disks (ext4 with discard):
        # leave it to a background process instead of holding the results back; it marks when
        # it is done, for the next run's `settle_after_deletions`.
        subprocess.Popen(
            ["sh", "-c", 'rm -rf "$0"; touch "$1"', str(work), str(DELETED)],
            start_new_session=True,
        )
    text = save(bench, command)
    print()
    print(text)
    return 1 if bench.errors else 0


if __name__ == "__main__":
    sys.exit(main())
