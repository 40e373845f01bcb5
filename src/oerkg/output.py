"""The output folder: a build writes a fresh sibling folder, swapped in only when it is complete."""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from .errors import OutputError


class Site:
    """A new site being written next to `out`; `commit` swaps it in atomically.

    Used as a context manager: if the block fails (or never commits), the fresh folder is
    removed and the previous site stays as it was; an OSError becomes an `OutputError`.
    """

    def __init__(self, out: Path, *, progress: bool = False) -> None:
        self.out = out
        self.progress = progress
        self.paths: dict[str, None] = {}  # what the new site holds, in writing order
        self._dirs: set[Path] = set()
        self._fresh: Path | None = None

    def __enter__(self) -> Site:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.out.parent.glob(f".{self.out.name}.*"):  # left behind by a killed build
            shutil.rmtree(stale, ignore_errors=True)
        self._fresh = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._fresh is not None:  # not committed
            shutil.rmtree(self._fresh, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(
                f"cannot write the site into {self.out}: {exc.strerror or exc}; "
                "the previous site is untouched"
            ) from None

    def _target(self, path: str) -> Path:
        assert self._fresh is not None, "use Site as a context manager"
        target = self._fresh / path
        if target.parent not in self._dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(target.parent)
        self.paths[path] = None
        return target

    def write(self, path: str, content: bytes | str) -> None:
        self._target(path).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)

    def write_all(self, files: Iterable[tuple[str, bytes | str]]) -> None:
        if self.progress:
            from tqdm import tqdm

            files = tqdm(files, desc="building", unit=" files", leave=False)
        for path, content in files:
            self.write(path, content)

    def link(self, path: str, old: Path) -> None:
        """Reuse an unchanged file of the previous site: a hard link (same bytes, no rewrite)."""
        target = self._target(path)
        try:
            os.link(old, target)
        except OSError:
            shutil.copyfile(old, target)

    def commit(self) -> None:
        assert self._fresh is not None
        os.chmod(self._fresh, 0o755)
        _swap(self._fresh, self.out)
        self._fresh = None


_RENAME_EXCHANGE = 2


def _swap(fresh: Path, out: Path) -> None:
    """Put `fresh` in place of `out` atomically (Linux renameat2 RENAME_EXCHANGE) and drop the old."""
    if not out.exists():
        fresh.rename(out)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    at_fdcwd = -100
    if (
        renameat2 is not None
        and renameat2(at_fdcwd, bytes(fresh), at_fdcwd, bytes(out), _RENAME_EXCHANGE) == 0
    ):
        shutil.rmtree(fresh)  # now holds the previous site
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    out.rename(old)
    fresh.rename(out)
    shutil.rmtree(old, ignore_errors=True)
