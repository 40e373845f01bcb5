#!/usr/bin/env python3
"""Load-test `oerkg serve` on 127.0.0.1: N concurrent clients for a fixed time, with a rebuild.

    python bench/load.py [PROJECT] [--clients 32] [--duration 20] [--no-touch]

Starts `oerkg serve` on a copy of the project (so the repository is never changed) on a free
port of 127.0.0.1, then runs N clients that loop over a mix of entity pages (HTML in three
languages), RDF alternates (negotiated and direct files) and the project's example SPARQL
queries. Halfway through it edits a data file, which makes the server rebuild and reload its
SPARQL store; every request must still succeed. Reports requests/s, p50/p95/p99 latency, errors
and timeouts. Traffic only ever goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # never anything else
COPIED = ("ontology", "data", "shapes", "queries", "site_templates")


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    per_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    timeouts: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", nargs="?", type=Path, default=ROOT)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds")
    parser.add_argument("--request-timeout", type=float, default=30.0, help="seconds")
    parser.add_argument("--no-touch", action="store_true", help="do not trigger a rebuild")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="oerkg-load-") as tmp:
        project = Path(tmp) / "project"
        for name in COPIED:
            if (args.project / name).is_dir():
                shutil.copytree(args.project / name, project / name)
        if (args.project / "oerkg.toml").is_file():
            shutil.copy(args.project / "oerkg.toml", project / "oerkg.toml")
        port = _free_port()
        log: list[str] = []
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "oerkg.cli",
                "serve",
                str(project),
                "--port",
                str(port),
                "--out",
                str(Path(tmp) / "site"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        threading.Thread(target=_collect, args=(server, log), daemon=True).start()
        try:
            base = f"http://{HOST}:{port}"
            _wait_until_up(base, server, log)
            requests = _mix(project, Path(tmp) / "site")
            print(f"{len(requests)} distinct requests; {args.clients} clients for {args.duration:g} s")
            tally = asyncio.run(
                _run(
                    base,
                    requests,
                    args.clients,
                    args.duration,
                    args.request_timeout,
                    None if args.no_touch else project,
                )
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        rebuilds = sum(1 for line in log if line.startswith("Built "))
        return _report(tally, args.duration, rebuilds - 1, log)


def _collect(server: subprocess.Popen[str], log: list[str]) -> None:
    assert server.stdout is not None
    for line in server.stdout:
        log.append(line.rstrip())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _wait_until_up(base: str, server: subprocess.Popen[str], log: list[str]) -> None:
    for _ in range(1200):
        if server.poll() is not None:
            sys.exit("oerkg serve stopped:\n" + "\n".join(log))
        try:
            httpx.get(f"{base}/", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    sys.exit("oerkg serve did not start in 120 s")


def _mix(project: Path, site: Path) -> list[tuple[str, str, dict[str, str], dict[str, str]]]:
    """(kind, path, params, headers) for entity pages, RDF alternates and example queries."""
    stems = sorted(
        p.relative_to(site).as_posix()[: -len(".html")]
        for p in (site / "id").rglob("*.html")
        if p.name.count(".") == 1
    )
    out: list[tuple[str, str, dict[str, str], dict[str, str]]] = []
    for stem in stems:
        out.append(("page", f"/{stem}", {}, {"Accept": "text/html"}))
        out.append(("page", f"/{stem}", {}, {"Accept-Language": random.choice(["fr", "sv"])}))
        out.append(("rdf", f"/{stem}", {}, {"Accept": "text/turtle"}))
        out.append(("rdf", f"/{stem}.jsonld", {}, {}))
    for rq in sorted((project / "queries").glob("*.rq")):
        query = rq.read_text(encoding="utf-8")
        accept = {"Accept": "application/sparql-results+json"}
        # Weight the queries as heavily as the pages, so the endpoint is really exercised.
        out += [("sparql", "/sparql", {"query": query}, accept)] * max(1, len(stems) // 8)
    return out


async def _run(
    base: str,
    requests: list[tuple[str, str, dict[str, str], dict[str, str]]],
    clients: int,
    duration: float,
    timeout: float,
    touch: Path | None,
) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:

        async def worker(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < deadline:
                kind, path, params, headers = rng.choice(requests)
                started = time.perf_counter()
                try:
                    response = await client.get(path, params=params, headers=headers)
                except httpx.TimeoutException:
                    tally.timeouts += 1
                    continue
                except httpx.TransportError as exc:
                    tally.errors.append(f"{kind} {path}: {exc!r}")
                    continue
                tally.latencies.append(time.perf_counter() - started)
                tally.per_kind.setdefault(kind, []).append(tally.latencies[-1])
                tally.by_kind[kind] = tally.by_kind.get(kind, 0) + 1
                if response.status_code != 200:
                    tally.errors.append(
                        f"{kind} {path}: HTTP {response.status_code} {response.text[:80]}"
                    )

        async def touch_halfway() -> None:
            if touch is None:
                return
            await asyncio.sleep(duration / 2)
            data = sorted((touch / "data").glob("*.ttl"))[0]
            text = data.read_text(encoding="utf-8")
            data.write_text(
                text + f"\n# touched by bench/load.py at {time.time():.0f}\n", encoding="utf-8"
            )
            print(f"touched {data.name} at t={duration / 2:g} s")

        await asyncio.gather(touch_halfway(), *(worker(i) for i in range(clients)))
    return tally


def _report(tally: Tally, duration: float, rebuilds: int, log: list[str]) -> int:
    lat = sorted(tally.latencies)
    if not lat:
        print("no request completed")
        return 1

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000

    print(f"requests:   {len(lat)} ({', '.join(f'{k} {n}' for k, n in sorted(tally.by_kind.items()))})")
    print(f"throughput: {len(lat) / duration:.0f} req/s")
    print(
        f"latency:    p50 {pct(50):.1f} ms, p95 {pct(95):.1f} ms, p99 {pct(99):.1f} ms, "
        f"max {lat[-1] * 1000:.1f} ms, mean {statistics.fmean(lat) * 1000:.1f} ms"
    )
    for kind, times in sorted(tally.per_kind.items()):
        print(f"  {kind:<7} p50 {statistics.median(times) * 1000:.1f} ms")
    print(f"errors:     {len(tally.errors)}; timeouts: {tally.timeouts}")
    print(f"rebuilds during the run: {rebuilds}")
    for error in tally.errors[:10]:
        print(f"  {error}")
    failed = [line for line in log if line.startswith("Error")]
    for line in failed[:5]:
        print(f"  server: {line}")
    return 1 if tally.errors or tally.timeouts else 0


if __name__ == "__main__":
    sys.exit(main())
