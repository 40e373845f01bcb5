"""Work on every core: forked processes that inherit the build's objects instead of receiving
them pickled (the graph and the model are far too large to send)."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")

# Below this many triples, starting processes costs about what it saves (built on tmpfs:
# 1,400 triples 0.5-0.6 s either way; 5,000 triples 0.93-1.12 s against 1.11-1.13 s serial;
# 10,000 triples 1.4-1.6 s against 1.8-2.1 s).
FORK_FROM = 5_000


def workers_for(triples: int) -> int:
    """How many processes a build of `triples` triples should use: one per core if worth it."""
    if triples < FORK_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if hasattr(os, "sched_getaffinity"):  # the cores this process may use (Linux)
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@contextmanager
def beside(fork: bool, fn: Callable[..., T], *args: Any) -> Iterator[Callable[[], T]]:
    """Run `fn(*args)` in a forked process while the block runs; the block gets a function that
    waits for the result and returns it (or raises what `fn` raised). Without `fork`, `fn` runs
    first, here.

    A plain process and a pipe: nothing to start but the process, no thread left behind.
    """
    if not fork:
        value = fn(*args)
        yield lambda: value
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_send_result, args=(os.getpid(), sender, fn, args), daemon=True)
    with _frozen():
        process.start()
    sender.close()
    outcome: list[tuple[bool, Any]] = []

    def wait() -> T:
        if not outcome:
            try:
                outcome.append(receiver.recv())
            except EOFError:
                process.join()
                raise RuntimeError(f"{fn.__name__} died in its process ({process.exitcode})") from None
        done, result = outcome[0]
        if not done:
            raise result
        return result

    try:
        yield wait
    finally:
        receiver.close()
        process.terminate()
        process.join()


def _send_result(parent: int, sender: Connection, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    _die_with(parent)
    try:
        outcome = (True, fn(*args))
    except BaseException as exc:  # noqa: BLE001 - raised again in the parent
        outcome = (False, exc)
    sender.send(outcome)


_PR_SET_PDEATHSIG = 1  # prctl(2)


def _die_with(parent: int) -> None:
    """End this forked process when the build's process dies (Linux `prctl(PR_SET_PDEATHSIG)`).

    Otherwise a killed build leaves its helpers behind: a pool worker would wait forever for
    its next task (it holds both ends of its own pipes), keeping the site's lock, which it
    inherited, and every later build would wait for it."""
    prctl = _libc("prctl")
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the call above
        os._exit(1)


def release_freed_memory() -> None:
    """Give back to the system the memory that native code (the query store) has freed and
    glibc keeps for reuse: in a forked process, which holds it on top of all it shares with
    the build. Does nothing where glibc's `malloc_trim` is missing."""
    trim = _libc("malloc_trim")
    if trim is not None:
        trim(0)


def _libc(name: str) -> Any:
    """A function of the C library, or None where it has none by that name (not glibc)."""
    return getattr(ctypes.CDLL(None), name, None)


@contextmanager
def pool(processes: int, inherited: object) -> Iterator[ProcessPoolExecutor]:
    """A pool of forked processes in which `inherited()` returns `inherited`.

    A task is a module-level function that reads `inherited()`.
    """
    with (
        _frozen(),
        ProcessPoolExecutor(
            processes,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_adopt,
            initargs=(os.getpid(), inherited),
        ) as executor,
    ):
        yield executor


@contextmanager
def _frozen() -> Iterator[None]:
    """Fork inside this block. Objects a child inherits stay shared with the parent
    (copy-on-write) only while nothing writes to their memory pages: frozen, the child's
    garbage collector never visits them (Python docs, `gc.freeze`)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


_inherited: Any = None  # set in a worker process only, by _adopt


def _adopt(parent: int, inherited: object) -> None:
    global _inherited
    _die_with(parent)
    _inherited = inherited


def inherited() -> Any:
    """Return what the pool that started this worker process handed down."""
    assert _inherited is not None, "call inherited() in a task of forked.pool"
    return _inherited
