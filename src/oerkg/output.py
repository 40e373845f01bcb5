"""The output folder: a build writes a sibling folder (the previous site, updated, or a fresh
one), swapped in only when it is complete. What the build needs to remember about a folder (its
state: the incremental build's keys) is kept beside it, never published in it."""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from .errors import OutputError


class Site:
    """A new site being written next to `out`; `commit` swaps it in atomically.

    The folder being written is the previous site, kept by the last build (`.<out>.previous`),
    when there is one: files already right in it are kept (`keep`), the others are replaced,
    and `commit` removes what the new site no longer has, so an incremental build touches only
    what changed. Files are never changed in place, always replaced: the previous site's files
    may be hard links to the live site's. Without a previous site, a fresh folder is written.

    Each folder's state lies in `.<out>.state/`, in a file named by the folder's identity (device,
    inode and modification time, which a rename or the swap keep): it follows its folder through
    the swap without being moved, so the state found for the live site is always the live site's,
    whenever a build was killed. A folder's state is recorded just before it is swapped in, and
    forgotten before it is changed or removed.

    Used as a context manager: if the block fails (or never commits), the folder being written
    is removed and the live site stays as it was; an OSError becomes an `OutputError`.
    """

    def __init__(self, out: Path, *, progress: bool = False) -> None:
        self.out = out
        self.progress = progress
        self.paths: dict[str, None] = {}  # what the new site holds, in writing order
        self._written = 0  # files written anew (not kept, not linked)
        self._dirs: set[str] = set()
        self._folder: Path | None = None
        self._root = ""  # the folder being written, as a string
        self._updating = False  # whether it is the previous site
        self._previous = out.with_name(f".{out.name}.previous")
        self._states = state_folder(out)
        self.live = ""  # the state recorded with the live site
        self.held = ""  # the state recorded with the folder being written, before this build
        self._lock: IO[bytes]
        self._bar: Any = None  # a progress bar (tqdm), with `progress`

    @property
    def folder(self) -> Path:
        """The folder being written: the previous site (to be updated) or a fresh one."""
        assert self._folder is not None, "use Site as a context manager"
        return self._folder

    def __enter__(self) -> Site:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        # One build at a time into `out` (say `serve` rebuilding while `build` runs): they would
        # share the previous site, and each would take the other's fresh folder for a dead one.
        self._lock = open(self.out.with_name(f".{self.out.name}.lock"), "wb")
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        for kind in ("new", "old"):  # left behind by a killed build
            for stale in self.out.parent.glob(f".{self.out.name}.{kind}-*"):
                shutil.rmtree(stale, ignore_errors=True)
        self._forget_gone_folders()
        if self.progress:
            from tqdm import tqdm

            self._bar = tqdm(desc="building", unit=" files", leave=False)
        self.live = recorded_state(self.out)
        self._updating = self._previous.is_dir()
        if self._updating:
            self._folder = self._previous
            self.held = recorded_state(self.out, self._previous)
            self._forget(self._previous)  # from now on it is half updated
        else:
            self._folder = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        self._root = str(self._folder)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._folder is not None:  # not committed
            shutil.rmtree(self._folder, ignore_errors=True)
        self._lock.close()  # and with it the lock
        if self._bar is not None:
            self._bar.close()
        if isinstance(exc, OSError):
            raise OutputError(
                f"cannot write the site into {self.out}: {exc.strerror or exc}; "
                "the previous site is untouched"
            ) from None

    def _target(self, path: str) -> str:
        # Plain strings and os calls: this runs for each of hundreds of thousands of files.
        target = os.path.join(self._root, path)
        parent = os.path.dirname(target)
        if parent not in self._dirs:
            os.makedirs(parent, exist_ok=True)
            self._dirs.add(parent)
        if self._updating:  # a new file, never the old one (maybe a hard link)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)
        return target

    def write(self, path: str, content: bytes | str) -> None:
        self.put(path, content.encode("utf-8") if isinstance(content, str) else content)
        self.add(path)

    def write_all(self, files: Iterable[tuple[str, bytes | str]]) -> None:
        for path, content in files:
            self.write(path, content)

    def put(self, path: str, data: bytes) -> None:
        """Write a file, without recording it: safe in a forked process, whose records the
        parent never sees; the parent then records it with `add`."""
        write_file(self._target(path), data)

    def add(self, path: str) -> None:
        """Record a file written anew (by `put`, here or in a forked process)."""
        self.paths[path] = None
        self._written += 1
        if self._bar is not None:
            self._bar.update()

    def keep(self, path: str) -> None:
        """Keep a file the folder being written already holds, as it is."""
        self.paths[path] = None

    def link(self, path: str, old: Path) -> None:
        """Reuse an unchanged file of the live site: a hard link (same bytes, no rewrite)."""
        target = self._target(path)
        self.paths[path] = None
        try:
            os.link(old, target)
        except OSError:
            shutil.copyfile(old, target)

    def commit(self, state: str) -> None:
        """Swap the folder being written in as the live site, with `state` recorded for it."""
        folder = self.folder
        if self._updating:
            self._remove_unlisted()
        os.chmod(folder, 0o755)
        self._record(folder, state)  # before the swap: killed after it, the state is there
        if not self.out.exists():
            folder.rename(self.out)
        else:
            _swap(folder, self.out)  # the old live site is now in `folder`
            if self._written > len(self.paths) // 2:  # mostly rewritten: not worth its disk space
                self._forget(folder)  # first: a half-removed folder is never trusted
                shutil.rmtree(folder)
            elif not self._updating:
                folder.rename(self._previous)
        self._folder = None

    def _record(self, folder: Path, state: str) -> None:
        self._states.mkdir(exist_ok=True)
        final = state_file(self.out, folder)
        partial = final.with_name(f"{final.name}.partial")  # never a half-written state
        write_file(str(partial), state.encode("utf-8"))
        partial.replace(final)

    def _forget(self, folder: Path) -> None:
        state_file(self.out, folder).unlink(missing_ok=True)

    def _forget_gone_folders(self) -> None:
        """Remove the states of folders no longer there (a dead build's, a site removed by
        hand): a new folder may get the inode number of a removed one."""
        if not self._states.is_dir():
            return
        current = {state_file(self.out, f) for f in (self.out, self._previous) if f.is_dir()}
        for state in self._states.iterdir():
            if state not in current:
                state.unlink()

    def _remove_unlisted(self) -> None:
        """Remove what the previous site had and the new one has not (files, then empty folders)."""
        for path in files_under(self.folder) - self.paths.keys():
            (self.folder / path).unlink()
        for parent, dirs, _ in os.walk(self.folder, topdown=False):
            for name in dirs:
                if not os.listdir(os.path.join(parent, name)):
                    os.rmdir(os.path.join(parent, name))


def write_file(path: str, data: bytes) -> None:
    """Create (or empty) the file `path` and write `data`: a few system calls, half the time
    per file of `Path.write_bytes`."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def state_folder(out: Path) -> Path:
    """Where the states of the site `out` and of the previous site are kept."""
    return out.with_name(f".{out.name}.state")


def state_file(out: Path, folder: Path | None = None) -> Path:
    """Where the state of `folder` (default: the live site `out`), an existing folder, is kept."""
    return state_folder(out) / _identity(folder or out)


def recorded_state(out: Path, folder: Path | None = None) -> str:
    """Return the state recorded with `folder` (default: the live site `out`), or ""."""
    try:
        return state_file(out, folder).read_text(encoding="utf-8")
    except OSError:
        return ""


def _identity(folder: Path) -> str:
    """Name a folder by what stays the same when it is renamed or swapped, and changes when it
    is removed and another made (device, inode) or its own entries change (modification time)."""
    st = os.stat(folder)
    return f"{st.st_dev:x}-{st.st_ino:x}-{st.st_mtime_ns}"


def files_under(folder: Path) -> set[str]:
    """Every file under `folder`, as a relative path, read from the folders' listings: much
    faster than asking about each file (no stat per file)."""
    start = len(str(folder)) + 1
    return {
        os.path.join(parent, name)[start:].replace(os.sep, "/")
        for parent, _, files in os.walk(folder)
        for name in files
    }


_RENAME_EXCHANGE = 2


def _swap(fresh: Path, out: Path) -> None:
    """Exchange `fresh` and `out` atomically (Linux renameat2 RENAME_EXCHANGE).

    Where the call is missing, two renames: `out` is briefly absent, never half written.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    at_fdcwd = -100
    if (
        renameat2 is not None
        and renameat2(at_fdcwd, bytes(fresh), at_fdcwd, bytes(out), _RENAME_EXCHANGE) == 0
    ):
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    out.rename(old)
    fresh.rename(out)
    old.rename(fresh)
