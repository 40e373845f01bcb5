"""The `oerkg` command: parse arguments, call one function, print, map errors to exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import ExitCode, OutputError, ProjectError
from .formats import GRAPH_FORMATS, RESULT_FORMATS
from .report import REPORT_FORMATS

EXIT_CODES = """exit codes:
  0  success (validation: the graph conforms; warnings allowed unless --strict)
  1  violations: the graph does not conform to its shapes, or has unknown terms or
     dangling links (or warnings under --strict); nothing is published
  2  unreadable input: Turtle syntax error (path:line:col), missing folder, not UTF-8,
     bad query (query:line:col), bad arguments
  3  output failed: the site could not be written, or the endpoint refused the data
"""


SHACL_EXIT_CODES = """exit codes:
  0  the data conforms: the report has no result (of any severity)
  1  the data does not conform: the report has results
  2  unreadable input (path:line:col), unknown file extension, or shapes that use a
     feature neither the native engine nor pySHACL can validate
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oerkg",
        description="Validate, build, query, serve and publish a linked-data knowledge graph.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help,
            description=help,
            epilog=EXIT_CODES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument("project", nargs="?", default=".", type=Path, help="project folder (default: .)")
        return p

    p = command("validate", "Check the graph against its shapes, known terms and links.")
    p.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    p.add_argument(
        "--report", type=Path, default=None, help="write the W3C SHACL validation report (Turtle) here"
    )

    help = "Validate any RDF files against any SHACL shapes; print the W3C validation report."
    p = sub.add_parser(
        "shacl",
        help=help,
        description=help,
        epilog=SHACL_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--shapes",
        action="append",
        required=True,
        type=Path,
        help="a shapes file (repeat for several); syntax by extension, as for DATA",
    )
    p.add_argument(
        "data",
        nargs="+",
        type=Path,
        help="data files: .ttl .nt .nq .trig .jsonld .json .rdf .owl .xml (all graphs merged)",
    )
    p.add_argument("--format", choices=[*REPORT_FORMATS], default="turtle", help="report syntax")
    p.add_argument("--base", default=None, help="base IRI (default: each file's own file: URL)")

    p = command("build", "Validate, then build the static site, dumps and dataset description.")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: PROJECT/site)")
    p.add_argument("--base-url", default=None, help="base IRI of the published graph")
    p.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")

    p = command("query", "Run a SPARQL query over the project's (validated) graph.")
    p.add_argument("query", nargs="?", help="the SPARQL query text")
    p.add_argument("--file", type=Path, help="read the query from a .rq file")
    p.add_argument(
        "--format",
        choices=["table", *RESULT_FORMATS, *GRAPH_FORMATS],
        default=None,
        help="output format (default: table on a terminal, else csv/turtle)",
    )

    p = command(
        "serve", "Build, serve the site with content negotiation and /sparql, rebuild on change."
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: PROJECT/site)")
    p.add_argument("--timeout", type=float, default=10.0, help="SPARQL time limit, seconds")
    p.add_argument("--max-results", type=int, default=100_000, help="SPARQL result-size limit")
    p.add_argument("--no-watch", action="store_true", help="do not rebuild when sources change")

    p = command("publish", "Push the built dumps into a SPARQL store (Graph Store Protocol).")
    p.add_argument("--endpoint", required=True, help="Graph Store Protocol URL, e.g. http://host/store")
    p.add_argument("--graph-per-source", action="store_true", help="one named graph per source file")
    p.add_argument("--user", default=None, help="user name (password from OERKG_PASSWORD)")
    p.add_argument("--query-endpoint", default=None, help="SPARQL query URL to verify counts")
    p.add_argument("--out", type=Path, default=None, help="built site folder (default: PROJECT/site)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code; user errors never show a traceback."""
    args = _parser().parse_args(argv)
    try:
        return int(_run(args))
    except ProjectError as exc:
        print("\n".join(exc.lines()), file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("Interrupted; the previous output is untouched.", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> ExitCode:
    if args.command == "shacl":
        return _shacl(args)
    from .config import load_config
    from .load import load_project

    config = load_config(args.project, base=getattr(args, "base_url", None))
    if args.command == "validate":
        from .validate import validate

        project = load_project(config)
        report = validate(project)
        for problem in report.problems:
            print(problem)
        print(report.summary())
        if args.report is not None:
            text = report.shapes.serialize("turtle", prefixes=project.prefixes)
            _write(args.report, text)
        return ExitCode.OK if report.passes(strict=args.strict) else ExitCode.VIOLATIONS
    if args.command == "build":
        from .build import build

        result = build(config, out=args.out, strict=args.strict, progress=sys.stderr.isatty())
        print(result.summary())
        return ExitCode.OK
    if args.command == "query":
        from .query_command import query

        return query(config, args.query, args.file, args.format)
    if args.command == "serve":
        from .serve import serve

        serve(
            config,
            out=args.out,
            host=args.host,
            port=args.port,
            timeout=args.timeout,
            max_results=args.max_results,
            watch=not args.no_watch,
        )
        return ExitCode.OK
    if args.command == "publish":
        from .publish import publish

        print(
            publish(
                config,
                args.endpoint,
                out=args.out,
                per_source=args.graph_per_source,
                user=args.user,
                query_endpoint=args.query_endpoint,
            )
        )
        return ExitCode.OK
    raise AssertionError(args.command)


def _shacl(args: argparse.Namespace) -> ExitCode:
    from .conformance import validate_files

    report, fallback = validate_files(args.shapes, args.data, base=args.base)
    if fallback is not None:
        print(
            f"Note: validated with pySHACL: the native engine does not implement {fallback}",
            file=sys.stderr,
        )
    sys.stdout.buffer.write(report.serialize(args.format))
    sys.stdout.flush()
    return ExitCode.OK if report.conforms else ExitCode.VIOLATIONS


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise OutputError(f"{path}: {exc.strerror or exc}") from None


if __name__ == "__main__":
    sys.exit(main())
