#!/usr/bin/env python3
"""Compare query latency: oerkg's engine (query.py, pyoxigraph) against rdflib's SPARQL engine.

    python bench/query_engines.py [PROJECT] [--scale 10k] [--repeat 5]

Runs every `queries/*.rq` of the project on both engines over the same data (one named graph
per data file, default graph = their union, the project's prefixes predeclared) and prints the
median latency of each, the ratio, and whether both returned the same number of rows. With
`--scale`, the data comes from `bench/generate.py` (a synthetic project of that size).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Dataset as RdflibDataset
from rdflib import URIRef

from oerkg.config import load_config
from oerkg.load import Project, load_project
from oerkg.query import Dataset
from oerkg.rdflib_bridge import to_rdflib

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", nargs="?", type=Path, default=ROOT)
    parser.add_argument("--scale", default=None, help="generate a project: 10k, 100k or 1m")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oerkg-engines-") as tmp:
        project_dir = args.project
        if args.scale:
            project_dir = Path(tmp) / "project"
            subprocess.run(
                [sys.executable, ROOT / "bench" / "generate.py", project_dir, "--scale", args.scale],
                check=True,
            )
        project = load_project(load_config(project_dir))
        run(project, project_dir, args.repeat)
    return 0


def run(project: Project, project_dir: Path, repeat: int) -> None:
    started = time.perf_counter()
    ours = Dataset.from_quads(project.data_quads(), project.prefixes, base_iri=project.config.base)
    ours_load = time.perf_counter() - started
    started = time.perf_counter()
    theirs = _rdflib_dataset(project)
    theirs_load = time.perf_counter() - started
    triples = sum(len(s.quads) for s in project.data)
    print(
        f"{project_dir}: {triples} triples in {len(project.data)} graphs; "
        f"load {ours_load * 1000:.0f} ms (pyoxigraph) vs {theirs_load * 1000:.0f} ms (rdflib)"
    )
    header = f"{'query':<40} {'rows':>6} {'pyoxigraph':>11} {'rdflib':>11} {'ratio':>7}  same"
    print(header + "\n" + "-" * len(header))
    ratios = []
    for rq in sorted((project_dir / "queries").glob("*.rq")):
        text = rq.read_text(encoding="utf-8")
        rows = len(ours.evaluate(text))
        ox_ms = _median(lambda text=text: ours.evaluate(text), repeat)  # type: ignore[misc]

        def rdflib_rows(text: str = text) -> int:
            return len(list(theirs.query(text, initNs=project.prefixes, base=project.config.base)))

        try:
            rd_count = rdflib_rows()
            rd_ms = _median(rdflib_rows, repeat)
        except Exception as exc:  # rdflib lacks some SPARQL 1.1 corners
            print(f"{rq.stem:<40} {rows:>6} {ox_ms:>9.2f}ms {'failed':>11}  ({type(exc).__name__})")
            continue
        ratios.append(rd_ms / ox_ms)
        same = "yes" if rd_count == rows else f"no ({rd_count})"
        print(f"{rq.stem:<40} {rows:>6} {ox_ms:>9.2f}ms {rd_ms:>9.2f}ms {rd_ms / ox_ms:>6.1f}x  {same}")
    if ratios:
        print(
            f"\nmedian ratio rdflib/pyoxigraph: {statistics.median(ratios):.1f}x "
            f"(min {min(ratios):.1f}x, max {max(ratios):.1f}x) over {len(ratios)} queries"
        )


def _rdflib_dataset(project: Project) -> RdflibDataset:
    dataset = RdflibDataset(default_union=True)
    for prefix, ns in project.prefixes.items():
        dataset.bind(prefix, ns, override=False)
    for source in project.data:
        graph = dataset.graph(URIRef(source.graph.value))
        for q in source.quads:
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return dataset


def _median(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    sys.exit(main())
