"""Queries with hard limits: worker processes that each hold the site's graph.

pyoxigraph cannot interrupt a running query, so the endpoint runs queries here: a query past its
time limit is stopped by killing its worker, and the server stays responsive.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from .errors import InputError, ProjectError
from .query import (
    Answer,
    Dataset,
    Formats,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
)


@dataclass(frozen=True)
class QueryRequest:
    """One query with its protocol dataset (`default-graph-uri`, `named-graph-uri`) and the
    formats its result may be written in."""

    text: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    formats: Formats = Formats()


_ERRORS: dict[str, type[ProjectError]] = {
    c.__name__: c for c in (QuerySyntaxError, QueryRefused, QueryTimeout, ResultTooLarge, InputError)
}


class QueryPool:
    """Evaluate queries in worker processes, each holding the site's graph, with hard limits.

    pyoxigraph cannot be interrupted, so a query past `timeout` seconds is stopped by killing
    its worker (and starting a fresh one): the caller gets `QueryTimeout`, never a partial
    result, and the runaway query stops using CPU. Each worker holds its own copy of the store.
    """

    def __init__(
        self,
        site: Path,
        *,
        base_iri: str | None = None,
        workers: int = 2,
        timeout: float = 10.0,
        max_results: int = 100_000,
    ) -> None:
        self.site, self.base_iri = site, base_iri
        self.timeout, self.max_results = timeout, max_results
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._closed = False
        self.graphs: tuple[str, ...] = ()  # the dataset's named graphs, one per source file
        for worker in [self._start() for _ in range(workers)]:
            self.graphs = worker.wait_ready()  # a bad dump fails here, not at the first query
            self._idle.put(worker)

    def run(self, request: QueryRequest) -> Answer:
        """Answer one request within the time limit, or raise; blocks the calling thread."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout("the server is busy: no query worker became free in time") from None
        try:
            worker.wait_ready()  # a worker started after a kill loads first: not the query's time
            deadline = time.monotonic() + self.timeout
            worker.conn.send((request, self.max_results, deadline - time.monotonic()))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                worker.kill()
                worker = self._start()
                raise QueryTimeout(f"the query ran past the time limit of {self.timeout:g} s")
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            worker.kill()
            worker = self._start()
            raise ProjectError("the query worker stopped unexpectedly") from None
        finally:
            self._release(worker)
        if status == "ok":
            return payload
        name, message, line, col = payload
        error = _ERRORS[name]
        if issubclass(error, InputError):
            raise error(message, path="query", line=line, col=col)
        raise error(message)

    def close(self) -> None:
        """Stop idle workers now, and busy ones as they finish their query."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return

    def _release(self, worker: _Worker) -> None:
        if self._closed:
            worker.kill()
        else:
            self._idle.put(worker)

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_work, args=(child, self.site, self.base_iri), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    graphs: tuple[str, ...] | None = None  # known once the worker has loaded the dataset

    def wait_ready(self) -> tuple[str, ...]:
        """Wait until the worker has loaded the dataset; return its named graphs."""
        if self.graphs is None:
            try:
                status, message = self.conn.recv()
            except EOFError:
                raise ProjectError("the query worker could not start") from None
            if status != "ready":
                self.kill()
                raise InputError(message)
            self.graphs = message
        return self.graphs

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()


def _work(conn: Connection, site: Path, base_iri: str | None) -> None:
    """Run in a worker process: load the site's graph once, then answer requests until EOF."""
    try:
        dataset = Dataset.from_site(site, base_iri=base_iri)
    except ProjectError as exc:
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", tuple(sorted(g.value for g in dataset.store.named_graphs()))))
    while True:
        try:
            request, max_results, remaining = conn.recv()
        except EOFError:
            return
        try:
            answer = dataset.write(
                request.text,
                request.formats,
                default_graphs=request.default_graphs,
                named_graphs=request.named_graphs,
                max_results=max_results,
                deadline=time.monotonic() + remaining,
            )
            conn.send(("ok", answer))
        except ProjectError as exc:
            where = (exc.message, exc.line, exc.col) if isinstance(exc, InputError) else (str(exc), 0, 0)
            conn.send(("error", (type(exc).__name__, *where)))
