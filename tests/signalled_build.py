"""Run `oerkg ARGS...` as the command line does, and tell the test through a pipe when the build
reaches the point it waits for, so the test reads an event instead of sleeping or watching files.

    python signalled_build.py FD written N ARGS...   after the N-th file written: its path
    python signalled_build.py FD waiting ARGS...     when another build holds the lock: "waiting"
    python signalled_build.py FD killed before|after ARGS...
                                                     "killed", then SIGKILL just before (after)
                                                     the finished site is swapped in

Each message is one line on the file descriptor FD, which the test passed to this process.
Tests start it with `SignalledBuild`.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import oerkg.output
from oerkg.cli import main


class SignalledBuild:
    """`oerkg ARGS` run by this script in its own process, and the pipe it tells the test through."""

    def __init__(self, event: list[str], args: list[str], **popen: Any) -> None:
        self._events, write = os.pipe()
        try:
            command = [sys.executable, __file__, str(write), *event, *args]
            self.process = subprocess.Popen(command, pass_fds=(write,), **popen)
        finally:
            os.close(write)  # the build holds the only writing end: its end is an end of file

    def event(self, timeout: float = 300) -> str:
        """Wait for the build's next message; "" if it ended (or `timeout` s passed) without one."""
        ready, _, _ = select.select([self._events], [], [], timeout)
        return os.read(self._events, 4096).decode().split("\n")[0] if ready else ""

    def __enter__(self) -> SignalledBuild:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        os.close(self._events)
        if self.process.poll() is None:
            self.process.kill()
        self.process.__exit__(kind, exc, tb)  # closes its pipes, waits for it


def tell(fd: int, message: str) -> None:
    os.write(fd, message.encode() + b"\n")  # one write of a short line: never split


def after_writing(fd: int, count: int) -> None:
    real, written = oerkg.output.write_file, [0]

    def write_file(path: str, data: bytes) -> None:
        real(path, data)
        written[0] += 1
        if written[0] == count:
            tell(fd, path)

    oerkg.output.write_file = write_file


def when_waiting(fd: int) -> None:
    real = fcntl.flock

    def flock(file: IO[Any] | int, operation: int) -> None:
        try:
            real(file, operation | fcntl.LOCK_NB)
        except BlockingIOError:
            tell(fd, "waiting")
            real(file, operation)

    fcntl.flock = flock


def killed(fd: int, when: str) -> None:
    real = oerkg.output._swap

    def swap(fresh: Path, out: Path) -> None:
        if when == "after":
            real(fresh, out)
        tell(fd, "killed")
        os.kill(os.getpid(), signal.SIGKILL)

    oerkg.output._swap = swap


if __name__ == "__main__":
    fd, event, *args = sys.argv[1:]
    if event == "written":
        after_writing(fd=int(fd), count=int(args.pop(0)))
    elif event == "waiting":
        when_waiting(int(fd))
    elif event == "killed":
        killed(int(fd), args.pop(0))
    else:
        sys.exit(f"unknown event {event}")
    sys.exit(main(args))
