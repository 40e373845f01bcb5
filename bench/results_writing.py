#!/usr/bin/env python3
"""Measure how the SPARQL seam writes a large result, against pyoxigraph's own writer.

    python bench/results_writing.py [--scale 100k] [--repeat 5]

On a synthetic project (`bench/generate.py`), every triple is asked for once as a SELECT
(one row per triple) and once as a CONSTRUCT, and written in every format: by `Dataset.write`
(limits checked as it writes, then converted) and by pyoxigraph's writer on the live result
with no limit (the floor). Runs alternate, ours then the floor; the figure is the median of
the per-pair ratios, since this machine is shared and noisy.
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

import pyoxigraph as ox

from oerkg.config import load_config
from oerkg.formats import GRAPH_FORMATS, RESULT_FORMATS
from oerkg.load import load_project
from oerkg.query import Dataset, Formats

ROOT = Path(__file__).resolve().parents[1]
SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o }"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="100k", help="10k, 100k or 1m")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oerkg-results-") as tmp:
        project_dir = Path(tmp) / "project"
        generate = [sys.executable, ROOT / "bench" / "generate.py", project_dir]
        subprocess.run([*generate, "--scale", args.scale], check=True)
        project = load_project(load_config(project_dir))
        dataset = Dataset.from_quads(project.data_quads(), project.prefixes)
    rows = len(dataset.evaluate(SELECT))
    print(f"{args.scale}: {rows:,} rows / triples, median of {args.repeat} alternating pairs")
    header = f"{'format':<10} {'ours':>9} {'floor':>9} {'ratio':>7}"
    print(header + "\n" + "-" * len(header))
    far = time.monotonic() + 3600
    for fmt in [*RESULT_FORMATS, *GRAPH_FORMATS]:
        text, formats = (
            (CONSTRUCT, Formats(graph=fmt)) if fmt in GRAPH_FORMATS else (SELECT, Formats(fmt))
        )

        def ours(text: str = text, formats: Formats = formats) -> bytes:
            return dataset.write(text, formats, max_results=rows, deadline=far).body

        def floor(text: str = text, fmt: str = fmt) -> bytes:
            answer = dataset.store.query(
                text, prefixes=dataset.prefixes, use_default_graph_as_union=True
            )
            if isinstance(answer, ox.QueryTriples):
                return ox.serialize(answer, format=GRAPH_FORMATS[fmt], prefixes=dataset.prefixes) or b""
            assert isinstance(answer, ox.QuerySolutions)
            return answer.serialize(format=RESULT_FORMATS[fmt]) or b""

        assert ours() == floor(), fmt  # the same bytes
        pairs = [(_seconds(ours), _seconds(floor)) for _ in range(args.repeat)]
        mine, base = (statistics.median(p[i] for p in pairs) for i in (0, 1))
        ratio = statistics.median(a / b for a, b in pairs)
        print(f"{fmt:<10} {mine:>8.3f}s {base:>8.3f}s {ratio:>6.2f}x")
    return 0


def _seconds(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
