"""Check the graph: SHACL shapes, known terms only, and no dangling links."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

import pyoxigraph as ox

from .conformance import validate_shapes
from .known_terms import known_term
from .load import Project, SourceFile
from .report import ValidationReport
from .shacl import Graph, Unsupported, path_text
from .vocab import RDF_TYPE, RDFS, SH

RDFS_LABEL = RDFS + "label"
_DOT_SEGMENT = re.compile(r"^[a-zA-Z][\w+.-]*://[^/?#]*(/[^?#]*)?/\.\.?(?=[/?#]|$)")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Severity(StrEnum):
    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located where the focus node's description starts."""

    path: str
    line: int
    severity: Severity
    focus: str
    label: str
    prop: str
    message: str

    def __str__(self) -> str:
        focus = f"{self.focus} ({self.label})" if self.label else self.focus
        return f"{self.path}:{self.line}: {self.severity}: {focus} – {self.prop or '-'} – {self.message}"


@dataclass(frozen=True)
class Report:
    """The outcome of validation: every problem found, sorted by file and line."""

    problems: tuple[Problem, ...]
    triples: int
    # The W3C SHACL report of the shapes alone (`oerkg validate --report`).
    shapes: ValidationReport = field(default_factory=lambda: ValidationReport((), Graph(())))

    def count(self, severity: Severity) -> int:
        return sum(1 for p in self.problems if p.severity == severity)

    @property
    def conforms(self) -> bool:
        return self.count(Severity.VIOLATION) == 0

    def passes(self, *, strict: bool) -> bool:
        """Conforms, and under `--strict` has no warnings either."""
        return self.conforms and not (strict and self.count(Severity.WARNING))

    def summary(self) -> str:
        counts = Counter(p.severity for p in self.problems)
        verdict = "conforms" if self.conforms else "does not conform"
        return (
            f"{self.triples} triples: {verdict}; {counts[Severity.VIOLATION]} violation(s), "
            f"{counts[Severity.WARNING]} warning(s), {counts[Severity.INFO]} info"
        )


def validate(project: Project) -> Report:
    """Run every check over the project's graph and return all problems found."""
    graph = Graph(q for source in (*project.ontology, *project.data) for q in source.quads)
    shapes, fallback = validate_shapes([q for source in project.shapes for q in source.quads], graph)
    found = [
        *check_terms(project),
        *check_links(project),
        *check_paths(project),
        *check_values(project),
        *check_shapes(project, shapes, fallback),
    ]
    problems = {
        replace(p, label=p.label or _label(graph, p.focus), prop=project.curie(p.prop)) for p in found
    }
    triples = sum(len(source.quads) for source in project.data)
    return Report(tuple(sorted(problems)), triples, shapes)


def check_terms(project: Project) -> Iterable[Problem]:
    """Every predicate and class used in data/ is ours or a known vocabulary's; data defines none."""
    ours = project.config.ontology_ns
    defined = {
        _subject(q)
        for source in project.ontology
        for q in source.quads
        if isinstance(q.subject, ox.NamedNode)
    }
    known: set[str] = set()
    rdf_type, namespace = RDF_TYPE, ours.rstrip("#")
    for source in project.data:
        seen: set[str] = set()
        for q in source.quads:
            subject = _subject(q)
            redefines = subject.startswith(ours) or subject == namespace
            if redefines and subject not in seen:
                seen.add(subject)
                yield _problem(
                    project,
                    source,
                    subject,
                    "",
                    "a data file must not describe a term of the ontology; "
                    "move this statement to ontology/",
                )
            predicate = q.predicate.value
            terms = [predicate]
            if predicate == rdf_type and isinstance(q.object, ox.NamedNode):
                terms.append(q.object.value)
            for term in terms:
                if term in known or term in seen:
                    continue
                if _is_known(term, ours, defined):
                    known.add(term)
                    continue
                seen.add(term)
                kind = "class" if term != predicate else "property"
                yield _problem(
                    project,
                    source,
                    subject,
                    term,
                    f"unknown {kind} {term}: not defined in ontology/ nor in a known vocabulary "
                    "(check the spelling)",
                    line=_first_use_line(source, term),
                )


def check_links(project: Project) -> Iterable[Problem]:
    """Every IRI of our entity space that the data links to is described (no dangling links)."""
    space = project.config.entity_space
    described = {_subject(q) for q in project.data_quads() if isinstance(q.subject, ox.NamedNode)}
    for source in project.data:
        for q in source.quads:
            target = q.object
            if (
                isinstance(target, ox.NamedNode)
                and target.value.startswith(space)
                and target.value not in described
            ):
                described.add(target.value)  # report each dangling IRI once
                yield _problem(
                    project,
                    source,
                    _subject(q),
                    q.predicate.value,
                    f"links to {target.value}, which is not described anywhere in data/ "
                    "(add its description or fix the IRI)",
                )


def check_values(project: Project) -> Iterable[Problem]:
    """Every value can be published unchanged in every dump format we write.

    A literal must not hold a control character XML 1.0 cannot carry (§2.2, so RDF/XML); an IRI
    must not have a `.` or `..` path segment, which some parsers resolve away and others keep
    (RFC 3986 §5.2.4 and §6.2.2.3), so the same dump would mean different things.
    """
    checked: set[str] = set()  # IRIs, each checked (and reported) once
    for source in project.data:
        for q in source.quads:
            value = q.object
            if isinstance(value, ox.Literal) and (bad := _NOT_XML.search(value.value)):
                yield _problem(
                    project,
                    source,
                    _subject(q),
                    q.predicate.value,
                    f"contains the control character U+{ord(bad.group()):04X}, which the RDF/XML "
                    "dump cannot carry; remove it",
                )
            for term in (q.subject, value):
                if not isinstance(term, ox.NamedNode) or (iri := term.value) in checked:
                    continue
                checked.add(iri)
                if _DOT_SEGMENT.search(iri):
                    yield _problem(
                        project,
                        source,
                        _subject(q),
                        q.predicate.value,
                        f"{iri} has a '.' or '..' path segment, which RDF parsers resolve "
                        "differently (RFC 3986 §6.2.2.3); write the IRI without it",
                    )


def check_paths(project: Project) -> Iterable[Problem]:
    """No two entities may differ only by letter case: their files would collide on some disks."""
    seen: dict[str, str] = {}
    for source in project.data:
        for q in source.quads:
            iri = _subject(q)
            if not isinstance(q.subject, ox.NamedNode) or not iri.startswith(
                project.config.entity_space
            ):
                continue
            other = seen.setdefault(iri.casefold(), iri)
            if other != iri:
                seen[iri.casefold()] = iri  # report each pair once
                yield _problem(
                    project,
                    source,
                    iri,
                    "",
                    f"{other} and {iri} differ only by letter case; their pages would collide "
                    "on case-insensitive file systems (rename one)",
                )


def check_shapes(
    project: Project, report: ValidationReport, fallback: Unsupported | None
) -> Iterable[Problem]:
    """Turn the SHACL results into problems, with a note when pySHACL had to run."""
    for r in report.results:
        path = "" if r.path is None else path_text(report.paths, r.path, project.curie)
        message = r.messages[0].value if r.messages else "does not conform to its shape"
        yield _shape_problem(project, r.focus.value, r.severity.value, path, message)
    if fallback is not None:
        yield _shape_problem(
            project,
            fallback.node.value,
            Severity.INFO,
            "",
            f"validated with pySHACL (slower): the native SHACL engine does not implement {fallback.feature}",
        )


def _shape_problem(project: Project, focus: str, severity: str, path: str, message: str) -> Problem:
    located = project.locate(focus)
    return Problem(
        project.relative(located[0]) if located else "data",
        located[1] if located else 0,
        _severity(severity),
        focus,
        "",
        path,
        message,
    )


def _severity(iri: str) -> Severity:
    """sh:Warning and sh:Info; any other severity, sh:Violation or one of the shapes' own (§3.6.2.3),
    fails validation as a violation does."""
    name = iri.removeprefix(SH)
    return Severity(name) if name in (Severity.WARNING, Severity.INFO) else Severity.VIOLATION


def _is_known(term: str, ours: str, defined: set[str]) -> bool:
    if term.startswith(ours):
        return term in defined
    known = known_term(term)
    return term in defined if known is None else known


def _problem(
    project: Project, source: SourceFile, subject: str, prop: str, message: str, *, line: int = 0
) -> Problem:
    return Problem(
        project.relative(source.path),
        line or source.subject_lines.get(subject, 0),
        Severity.VIOLATION,
        subject,
        "",
        prop,
        message,
    )


def _first_use_line(source: SourceFile, term: str) -> int:
    """Find the line of the first use of a term, written in full or with one of the file's prefixes."""
    forms = [f"<{term}>"] + [
        f"{prefix}:{term[len(ns) :]}" for prefix, ns in source.prefixes.items() if term.startswith(ns)
    ]
    pattern = re.compile("|".join(re.escape(f) + r"(?![\w-])" for f in forms))
    text = source.path.read_text(encoding="utf-8")
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def _label(graph: Graph, focus: str) -> str:
    try:
        node = ox.NamedNode(focus)
    except ValueError:  # a blank node
        return ""
    labels = [o for o in graph.objects(node, RDFS_LABEL) if isinstance(o, ox.Literal)]
    for label in labels:
        if label.language == "en":
            return label.value
    return labels[0].value if labels else ""


def _subject(q: ox.Quad) -> str:
    """The subject of a parsed statement: Turtle 1.2 has triple terms as objects only."""
    assert not isinstance(q.subject, ox.Triple)
    return q.subject.value
