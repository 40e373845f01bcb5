"""`oerkg serve`: build, serve the site and `/sparql` over HTTP, rebuild when the sources change.

Serve is build plus watch: every build runs in a fresh process, so the server's own process,
which runs threads (uvicorn's, the watcher's, the query workers' feeders), never forks (a fork
in a threaded process can deadlock; the build forks helpers from 5,000 triples). While a
rebuild runs, and after one fails, the last good site is served; after a good one, `/sparql`
answers from a fresh `query_pool.QueryPool` (requests already running finish on the old one).
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

import h11
import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from .app import HEAD_LIMIT, create_app, head_refusal
from .config import Config
from .endpoint import Engine
from .errors import ExitCode, ProjectError
from .query_pool import QueryPool

WATCHED = ("ontology", "data", "shapes", "site_templates", "queries")
LINGER = 5.0  # seconds to read what a refused client still sends, so it can read the answer


def serve(
    config: Config,
    *,
    out: Path | None,
    host: str = "127.0.0.1",
    port: int = 8000,
    timeout: float = 10.0,
    max_results: int = 100_000,
    watch: bool = True,
) -> None:
    """Build, serve the site and `/sparql` on host:port, and rebuild when sources change."""
    site = out or config.project / "site"
    builds = Builds(config, site)
    print(builds.run())

    def pool() -> QueryPool:
        return QueryPool(site, base_iri=config.base, timeout=timeout, max_results=max_results)

    engine = Engine(pool)
    stop = threading.Event()
    if watch:
        threading.Thread(target=_watch, args=(builds, engine, stop), daemon=True).start()
    app = create_app(config, site, engine)
    print(f"Serving {site} on http://{host}:{port}/ (SPARQL at /sparql); Ctrl-C stops.")
    try:
        uvicorn.Server(server_config(app, host=host, port=port)).run()
    finally:
        stop.set()
        builds.cancel()
        engine.close()


def server_config(app: ASGIApp, *, host: str = "127.0.0.1", port: int = 8000) -> uvicorn.Config:
    """The uvicorn settings `oerkg serve` runs with (tests serve with the same)."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        lifespan="off",
        http=HTTP11,
        h11_max_incomplete_event_size=HEAD_LIMIT,
    )


class HTTP11(H11Protocol):
    """uvicorn's HTTP/1.1 protocol (h11), answering a request line or header fields that do not
    fit in HEAD_LIMIT bytes with 414 or 431 and a reason, as the app answers those that arrived
    whole, instead of a bare 400 and a reset connection.

    It overrides `send_400_response`, where uvicorn hands over when h11 refuses a request: not
    a documented hook, so tests/test_serve.py checks the answer on every uvicorn upgrade.
    """

    _refused = False

    def send_400_response(self, msg: str) -> None:  # uvicorn calls it when h11 gives up
        buffered, _ = self.conn.trailing_data
        if len(buffered) <= HEAD_LIMIT:  # malformed, not too long
            return super().send_400_response(msg)
        # The request line fitted if it ended.
        status, message = head_refusal(buffered, HEAD_LIMIT, line=b"\n" not in buffered)
        body = f"{message}\n".encode()
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        self.transport.write(self.conn.send(h11.Response(status_code=status, headers=headers)) or b"")
        self.transport.write(self.conn.send(h11.Data(data=body)) or b"")
        self.transport.write(self.conn.send(h11.EndOfMessage()) or b"")
        # The client may still be sending its request: closing now, with its bytes unread, would
        # reset the connection and lose the answer. Drop what comes until it hangs up.
        self._refused = True
        self.transport.write_eof()
        self.loop.call_later(LINGER, self.transport.close)

    def data_received(self, data: bytes) -> None:
        if not self._refused:
            super().data_received(data)


class BuildFailed(ProjectError):
    """A build in the build's process stopped on the user's error; these are its lines."""

    def __init__(self, lines: list[str], exit_code: ExitCode) -> None:
        super().__init__("\n".join(lines))
        self._lines, self.exit_code = lines, exit_code

    def lines(self) -> list[str]:
        return self._lines


class Builds:
    """Build the site in a fresh (spawned) process each time, one build at a time."""

    def __init__(self, config: Config, out: Path) -> None:
        self.config, self.out = config, out
        self._process: BaseProcess | None = None

    def run(self) -> str:
        """Build; return the summary line, or raise BuildFailed with the build's error."""
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=False)
        # Not a daemon: a daemonic process may not start the helpers the build forks.
        process = context.Process(target=_build, args=(self.config, self.out, sender))
        process.start()
        self._process = process
        sender.close()
        try:
            summary, lines, code = receiver.recv()
        except EOFError:  # killed, or a bug (its traceback is on stderr)
            summary, lines, code = "", ["Error: the build's process ended early"], ExitCode.FAILED
        finally:
            receiver.close()
            process.join()
        if not summary:
            raise BuildFailed(lines, code)
        return f"{summary} (build process {process.pid})"

    def cancel(self) -> None:
        """Stop a build still running (the site it would replace stays as it was)."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()


def _build(config: Config, out: Path, sender: Connection) -> None:
    """Run in the build's process: build, send back the summary or the error's lines."""
    from .build import build

    try:
        sender.send((build(config, out=out).summary(), [], ExitCode.OK))
    except ProjectError as exc:
        sender.send(("", exc.lines(), exc.exit_code))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the server says so
        pass


def _watch(builds: Builds, engine: Engine, stop: threading.Event) -> None:
    """Rebuild on every change; keep serving the last good site when a rebuild fails."""
    import watchfiles

    config = builds.config
    folders = [config.dir(name) for name in WATCHED if config.dir(name).is_dir()]
    for changes in watchfiles.watch(*folders, stop_event=stop):
        print(f"{len(changes)} change(s); rebuilding…", file=sys.stderr)
        try:
            summary = builds.run()
            engine.reload()
        except ProjectError as exc:
            if stop.is_set():
                return
            print("\n".join(exc.lines()), file=sys.stderr)
            print("The rebuild failed; still serving the last good site.", file=sys.stderr)
        else:
            print(summary, file=sys.stderr)
