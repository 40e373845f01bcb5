"""The `oerkg query` command: validate the project, run one query, print its result as a text
table or in a SPARQL results or RDF format."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from .config import Config
from .errors import ExitCode, InputError
from .formats import GRAPH_FORMATS, RESULT_FORMATS
from .load import load_project
from .query import Dataset, Formats, Result
from .validate import validate
from .vocab import Term, curie


def text_table(result: Result, prefixes: dict[str, str]) -> str:
    """Render a result as an aligned text table (IRIs shortened with the project's prefixes)."""
    if result.kind == "boolean":
        return "true" if result.boolean else "false"
    if result.kind == "graph":
        header: tuple[str, ...] = ("subject", "predicate", "object")
        rows = [tuple(t) for t in result.triples]
    else:
        header, rows = result.variables, list(result.rows)
    cells = [[_short(t, prefixes) for t in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(header)]
    line = " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    out = [line, "-+-".join("-" * w for w in widths)]
    out += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(s.rstrip() for s in out)


def _short(term: Term | None, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return curie(term.value, prefixes) or f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    return str(term)


def query(config: Config, query_text: str | None, file: Path | None, fmt: str | None) -> ExitCode:
    """Validate the project, run one query over it and print the result (`oerkg query`)."""

    text = _query_text(query_text, file)
    project = load_project(config)
    # Syntax errors first, on an empty store: validation is slow.
    Dataset(ox.Store(), project.prefixes, config.base).evaluate(text)
    report = validate(project)
    if not report.conforms:
        print(report.summary(), file=sys.stderr)
        print("Error: the graph has violations; run `oerkg validate` for details.", file=sys.stderr)
        return ExitCode.VIOLATIONS
    dataset = Dataset.from_quads(project.data_quads(), project.prefixes, base_iri=config.base)
    if fmt == "table" or (fmt is None and sys.stdout.isatty()):
        print(text_table(dataset.evaluate(text), dataset.prefixes))
        return ExitCode.OK
    if fmt is None:  # piped: CSV for solutions, Turtle for graphs
        formats = Formats("csv", "turtle")
    else:
        formats = Formats(fmt if fmt in RESULT_FORMATS else None, fmt if fmt in GRAPH_FORMATS else None)
    answer = dataset.write(text, formats)
    if answer.format is None:
        if answer.kind == "graph":
            raise InputError(f"{fmt} is for SELECT/ASK; use one of {', '.join(GRAPH_FORMATS)}")
        raise InputError(f"{fmt} is for CONSTRUCT/DESCRIBE; use one of {', '.join(RESULT_FORMATS)}")
    sys.stdout.flush()
    sys.stdout.buffer.write(answer.body)
    sys.stdout.buffer.flush()
    return ExitCode.OK


def _query_text(query_text: str | None, file: Path | None) -> str:
    if (query_text is None) == (file is None):
        raise InputError("give either a query or --file F.rq (not both)")
    if file is None:
        assert query_text is not None
        return query_text
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read query: {exc}", path=file) from None
