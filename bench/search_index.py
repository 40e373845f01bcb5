#!/usr/bin/env python3
"""Measure the search index against the build it is part of, at several scales, in one run.

    bench/search_index.py [--scales 10k,100k] [--seed 1] [--repeat 3]

For each scale: generate the project (bench/generate.py), time `oerkg build` (the index
included) `--repeat` times, then build the model in this process and time `search_files`
writing the index into a fresh folder, `--repeat` times. Prints, per scale, the medians, the
index's share of the build and its cost per entity (flat from scale to scale when the index
grows linearly); the budget is an index within 25% of the build without it.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
import generate  # noqa: E402  (bench/ is not a package)

from oerkg.config import load_config  # noqa: E402
from oerkg.load import load_project  # noqa: E402
from oerkg.model import build_model  # noqa: E402
from oerkg.search import search_files  # noqa: E402

SOURCE_DATE_EPOCH = "1764288000"
BUDGET = 0.25


def time_build(project: Path, out: Path) -> float:
    """Time a clean build into a new folder (deleting one first would time the disk's
    cleanup: see bench/run.py)."""
    oerkg = Path(sys.executable).parent / "oerkg"
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    os.sync()
    started = time.perf_counter()
    command = [str(oerkg), "build", str(project), "--out", str(out)]
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def time_index(project: Path) -> tuple[float, int, int, int]:
    """Return seconds to make and write the index, its files, bytes and the entities."""
    model = build_model(load_project(load_config(project)))
    # As in a build, which pauses the cyclic collector: each collection would walk the model.
    gc.disable()
    with tempfile.TemporaryDirectory(dir=BENCH / "out") as folder:
        started = time.perf_counter()
        files = size = 0
        for path, data in search_files(model):
            target = Path(folder, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            files += 1
            size += len(data)
        seconds = time.perf_counter() - started
    gc.enable()
    return seconds, files, size, len(model.entities)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10k,100k")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    (BENCH / "out").mkdir(exist_ok=True)
    rows = []
    for scale in args.scales.split(","):
        project = BENCH / "out" / f"search-{scale}"
        generate.generate(project, triples=generate.parse_size(scale), seed=args.seed)
        for old in project.glob("*site-*"):  # an earlier run's sites, locks and kept copies
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        builds = [time_build(project, project / f"site-{n}") for n in range(args.repeat)]
        indexes = [time_index(project) for _ in range(args.repeat)]
        build = statistics.median(builds)
        index = statistics.median(i[0] for i in indexes)
        _, files, size, entities = indexes[0]
        share = index / (build - index)
        rows.append((scale, entities, build, index, share, files, size))
        print(
            f"{scale}: build {build:.2f} s (runs {', '.join(f'{b:.2f}' for b in builds)}), "
            f"index {index:.2f} s (runs {', '.join(f'{i[0]:.2f}' for i in indexes)}) = "
            f"{100 * share:.1f}% of the build without it (budget {100 * BUDGET:.0f}%); "
            f"{entities} entities, {1e6 * index / entities:.0f} µs each; {files} files, "
            f"{size / 1e6:.1f} MB",
            flush=True,
        )
    over = [r[0] for r in rows if r[4] > BUDGET]
    if over:
        print(f"over budget at {', '.join(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
