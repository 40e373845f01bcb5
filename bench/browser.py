#!/usr/bin/env python3
"""Time the query page's first answer in the browser, on a plain static server.

    .venv/bin/python bench/browser.py --scale 10k 100k [--runs 5] [--seed 1]

For each scale: generate the synthetic project (bench/generate.py), build its site once, serve
the folder with Python's http.server (as `python3 -m http.server` would) and open
`query.html?query=<the first example>` in a fresh Chromium context each run (an empty cache):
the time until its result table is shown is the engine's and the dump's download, their loading
into Oxigraph's WebAssembly build, the query and its labels. Prints the median and the range,
the part the page reports for fetching and loading the engine and the data (the worker's
clock), and the bytes the page adds; writes
them to bench/results/browser.md. Over loopback, so the transfer is nearly free: the README
adds what a network would cost from the bytes.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402  (bench/ is not a package)

OUT = ROOT / "bench" / "out" / "browser"
DONE = "document.getElementById('query-status').className === 'sr-only'"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# What the query page loads before any query (besides the site's own style.css and site.js),
# and what its first query in the browser adds.
PAGE = ("static/query.js", "static/query.css", "static/vendor/codemirror.js")
ENGINE = (
    "static/query-worker.js",
    "static/vendor/oxigraph/web.js",
    "static/vendor/oxigraph/web_bg.wasm.gz",
)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def site_for(scale: str, seed: int) -> Path:
    """Generate and build the synthetic project of this scale (kept for the next run)."""
    project, site = OUT / f"{scale}-{seed}", OUT / f"{scale}-{seed}-site"
    if not (site / "query.html").is_file():
        generate.main([str(project), "--scale", scale, "--seed", str(seed)])
        oerkg = Path(sys.executable).parent / "oerkg"
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1764288000"}
        subprocess.run([str(oerkg), "build", str(project), "--out", str(site)], check=True, env=env)
    return site


def first_answers(site: Path, runs: int) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    query = (site / "query.html").read_text(encoding="utf-8")
    text = (ROOT / "queries").glob("*.rq")
    first = sorted(text)[0]
    from oerkg.examples import read_example

    example = read_example(first, languages=("en", "fr", "sv"), shown_as=first.name).shown
    url = f"http://127.0.0.1:{server.server_address[1]}/query.html?query={quote(example)}"
    assert "query-worker" not in query  # the engine is loaded on demand only
    times = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.goto(url)
                page.wait_for_function(DONE, timeout=300_000)
                total = page.evaluate("performance.now()")  # since the navigation started
                caption = page.locator("#results .note").inner_text()
                rows = page.locator("#results tbody tr").count()
                # "Ran in this browser, on the site's data, in 1.3 s, of which 834 ms to load …"
                found = re.search(r"of which ([\d.,]+) (m?s) to load", caption)
                assert found, caption
                loading = float(found[1].replace(",", "")) * (1 if found[2] == "ms" else 1000)
                times.append(
                    {"total_ms": total, "loading_ms": loading, "rows": rows, "caption": caption}
                )
                context.close()
                time.sleep(0.5)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return times


def sizes(site: Path) -> dict[str, int]:
    dump = min((site / "dumps").glob("graph.nq*"), key=lambda p: p.stat().st_size)
    return {
        "page": sum((site / p).stat().st_size for p in PAGE),
        "engine": sum((site / p).stat().st_size for p in ENGINE),
        "dump": dump.stat().st_size,
        "statements": int(
            next(
                line
                for line in (site / "query.html").read_text().splitlines()
                if "data-triples=" in line
            )
            .split('data-triples="')[1]
            .split('"')[0]
        ),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", nargs="+", default=["10k", "100k"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    lines = [
        "# The query page's first answer in the browser (bench/browser.py)",
        "",
        f"{args.runs} runs a scale, each in a fresh browser context (empty cache), over loopback; "
        f"load average {os.getloadavg()[0]:.1f} at the start.",
        "",
        "| scale | statements | dump (gzip) | engine + worker | editor (on page load) | first answer: median (range) | of which fetching and loading the engine and data |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    results = {}
    for scale in args.scale:
        site = site_for(scale, args.seed)
        measured = first_answers(site, args.runs)
        size = sizes(site)
        totals = [m["total_ms"] for m in measured]
        loads = [m["loading_ms"] for m in measured]
        results[scale] = {"runs": measured, **size}
        lines.append(
            f"| {scale} | {size['statements']:,} | {size['dump'] / 1e6:.2f} MB | {size['engine'] / 1e6:.2f} MB "
            f"| {size['page'] / 1e3:.0f} kB | {statistics.median(totals) / 1000:.2f} s "
            f"({min(totals) / 1000:.2f}–{max(totals) / 1000:.2f}) | {statistics.median(loads) / 1000:.2f} s |"
        )
        print(lines[-1], flush=True)
    lines += ["", f"Last caption: {measured[-1]['caption']}", ""]
    out = ROOT / "bench" / "results"
    (out / "browser.md").write_text("\n".join(lines), encoding="utf-8")
    (out / "browser.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
