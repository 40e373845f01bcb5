"""The errors a user can act on, and the exit codes the command line maps them to."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Exit codes of every `oerkg` command (documented in `--help` and README)."""

    OK = 0
    VIOLATIONS = 1  # the graph does not conform to its shapes (or warnings under --strict)
    BAD_INPUT = 2  # unreadable input: syntax error, missing folder, unknown term, bad query
    FAILED = 3  # the output could not be written (disk full, permissions, server unreachable)


class ProjectError(Exception):
    """An error in the user's project or environment, reported without a traceback."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def lines(self) -> list[str]:
        """Return what the command line prints for this error, one line each."""
        return [f"Error: {self}"]


class InputError(ProjectError):
    """Input that cannot be read, located at `path:line:col` when the position is known."""

    def __init__(
        self, message: str, *, path: Path | str | None = None, line: int = 0, col: int = 0
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        super().__init__(self.located())

    def located(self) -> str:
        where = [str(self.path)] if self.path is not None else []
        where += [str(n) for n in (self.line, self.col) if n]
        return ":".join([*where, f" {self.message}"]) if where else self.message


class InputErrors(ProjectError):
    """Several input errors, collected before stopping once."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("\n".join(e.located() for e in errors))

    def lines(self) -> list[str]:
        count = len(self.errors)
        return [e.located() for e in self.errors] + [
            f"Error: {count} input error{'s' if count > 1 else ''}; nothing was changed."
        ]


class ShapesError(ProjectError):
    """The shapes use a feature neither the native SHACL engine nor pySHACL can validate."""


class ViolationsError(ProjectError):
    """The graph has violations, so nothing is published."""

    exit_code = ExitCode.VIOLATIONS

    def __init__(self, problems: list[str], summary: str) -> None:
        self.problems = problems
        self.summary = summary
        super().__init__(summary)

    def lines(self) -> list[str]:
        return [
            *self.problems,
            self.summary,
            "Error: nothing was published; the previous output is untouched.",
        ]


class OutputError(ProjectError):
    """The output could not be written or published."""

    exit_code = ExitCode.FAILED
