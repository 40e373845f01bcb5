"""Read the project's Turtle files into graphs, with every syntax error located at file:line:col."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .config import Config
from .errors import InputError, InputErrors
from .vocab import OWL, RDF, RDFS, XSD, Term, curie

STANDARD_PREFIXES = {"rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL}

# A subject starts a description at the beginning of a line (our Turtle style, and rdflib's).
_SUBJECT_AT_LINE_START = re.compile(r"^(<[^>\s]*>|[A-Za-z][\w.-]*:[^\s;,]*|:[^\s;,]*)")


@dataclass(frozen=True)
class SourceFile:
    """One parsed Turtle file: its quads (in the file's named graph) and where subjects start."""

    path: Path
    graph: ox.NamedNode
    quads: list[ox.Quad]
    prefixes: dict[str, str]
    subject_lines: dict[str, int]


@dataclass(frozen=True)
class Project:
    """Everything loaded from a project folder; the input of every later stage."""

    config: Config
    ontology: list[SourceFile]
    data: list[SourceFile]
    shapes: list[SourceFile]
    prefixes: dict[str, str] = field(default_factory=dict)

    def data_quads(self) -> Iterator[ox.Quad]:
        for source in self.data:
            yield from source.quads

    def locate(self, iri: str) -> tuple[Path, int] | None:
        """Return the file and line where the description of `iri` starts."""
        for source in (*self.data, *self.ontology, *self.shapes):
            if iri in source.subject_lines:
                return source.path, source.subject_lines[iri]
        return None

    def curie(self, iri: str) -> str:
        return curie(iri, self.prefixes) or iri

    def relative(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.config.project))
        except ValueError:
            return str(path)


def load_project(config: Config) -> Project:
    """Parse every Turtle file under ontology/, data/ and shapes/; collect all errors, then stop."""
    errors: list[InputError] = []
    parts: dict[str, list[SourceFile]] = {}
    for part in ("ontology", "data", "shapes"):
        files = config.source_files(part)
        if not files:
            errors.append(InputError("no Turtle (.ttl) files found", path=config.dir(part)))
        parts[part] = []
        for path in files:
            try:
                parts[part].append(parse_file(path, config))
            except InputError as exc:
                errors.append(exc)
    if errors:
        raise InputErrors(errors)
    prefixes: dict[str, str] = dict(STANDARD_PREFIXES)
    for source in (*parts["ontology"], *parts["data"]):
        for prefix, ns in source.prefixes.items():
            prefixes.setdefault(prefix, ns)
    return Project(config, parts["ontology"], parts["data"], parts["shapes"], prefixes)


def graph_name(path: Path, config: Config) -> ox.NamedNode:
    """Name the graph of one source file after its path in the project (TriG/N-Quads dumps)."""
    relative = path.relative_to(config.project).with_suffix("").as_posix()
    return ox.NamedNode(f"{config.base}graph/{relative}")


def parse_file(path: Path, config: Config) -> SourceFile:
    """Parse one Turtle file, resolving relative IRIs (and prefixes) against the project's base."""
    shown = path.relative_to(config.project) if path.is_relative_to(config.project) else path
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"not UTF-8 (byte 0x{raw[exc.start]:02x}); Turtle files must be UTF-8",
            path=shown,
            line=line,
            col=col,
        ) from None
    name = graph_name(path, config)
    parser = ox.parse(raw, format=ox.RdfFormat.TURTLE, base_iri=config.base)
    bnode = _BlankNodes(re.sub(r"\W", "_", str(shown.with_suffix(""))))
    quads = _read(parser, bnode, name, shown, text)
    prefixes = dict(parser.prefixes)
    return SourceFile(path, name, quads, prefixes, _subject_lines(text, prefixes, config.base))


# Every RDF syntax pyoxigraph reads, by file extension (`oerkg shacl` reads any of them).
RDF_EXTENSIONS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}


def read_rdf(path: Path, *, base: str | None, label: str) -> tuple[list[ox.Quad], dict[str, str]]:
    """Parse an RDF file of any syntax (by its extension), all graphs merged into the default graph;
    return its quads and the prefixes it declares.

    Relative IRIs resolve against `base`, or else against the file's own URL (RFC 3986 §5.1.3), as
    rapper and pySHACL do; blank nodes are labelled `label` and a counter, so output is reproducible.
    """
    kind = RDF_EXTENSIONS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(RDF_EXTENSIONS)
        raise InputError(
            f"unknown RDF file extension {path.suffix or '(none)'!r}; use one of {known}", path=path
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(exc.strerror or "cannot be read", path=path) from None
    parser = ox.parse(raw, format=kind, base_iri=base or path.resolve().as_uri())
    text = raw.decode("utf-8", errors="replace")
    return _read(parser, _BlankNodes(label), ox.DefaultGraph(), path, text), dict(parser.prefixes)


def _read(
    parser: ox.QuadParser,
    bnode: _BlankNodes,
    name: ox.NamedNode | ox.DefaultGraph,
    shown: Path,
    text: str,
) -> list[ox.Quad]:
    """Run a parser to the end, with its syntax errors as `InputError` at file:line:col."""
    try:
        return [ox.Quad(bnode(q.subject), q.predicate, bnode(q.object), name) for q in parser]  # type: ignore[arg-type]
    except SyntaxError as exc:
        message = re.sub(r"^Parser error (at|between) .*?: ", "", exc.msg)
        message = re.sub(r" \(line \d+\)$", "", message)
        line, col = exc.lineno or 0, exc.offset or 0
        if "subtag" in message or "language" in message:
            tag = re.match(r"@?([\w-]*)", text.splitlines()[line - 1][col - 1 :] if line else "")
            message = f'invalid language tag "{tag.group(1) if tag else ""}": {message}'
        raise InputError(message, path=shown, line=line, col=col) from None
    except MemoryError:  # pyoxigraph refuses a single term longer than its 16 MiB buffer
        raise InputError(
            "a literal or IRI is longer than 16 MiB, the parser's limit for one term; "
            "shorten it or publish the text as a separate file",
            path=shown,
        ) from None


class _BlankNodes:
    """Relabel the parser's random blank nodes by order of appearance, so output is reproducible."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.labels: dict[str, ox.BlankNode] = {}

    def __call__(self, term: Term) -> Term:
        if not isinstance(term, ox.BlankNode):
            return term
        label = self.labels.get(term.value)
        if label is None:
            label = self.labels[term.value] = ox.BlankNode(f"{self.prefix}_{len(self.labels) + 1}")
        return label


def _subject_lines(text: str, prefixes: dict[str, str], base: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _SUBJECT_AT_LINE_START.match(line)
        if not match or line.startswith(("@", "PREFIX", "BASE", "prefix", "base")):
            continue
        iri = _expand(match.group(1), prefixes, base)
        if iri is not None:
            lines.setdefault(iri, number)
    return lines


def _expand(token: str, prefixes: dict[str, str], base: str) -> str | None:
    if token.startswith("<"):
        inner = token[1:-1]
        return inner if re.match(r"^[a-zA-Z][\w+.-]*:", inner) else base + inner
    prefix, _, local = token.partition(":")
    ns = prefixes.get(prefix)
    return None if ns is None else ns + re.sub(r"\\(.)", r"\1", local)
