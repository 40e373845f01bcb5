"""The W3C SHACL validation report (SHACL 1.0 §3.6), as pySHACL, Jena and TopBraid write it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import count
from typing import TYPE_CHECKING, Literal

import pyoxigraph as ox

from .formats import GRAPH_FORMATS
from .vocab import RDF, RDF_FIRST, RDF_NIL, RDF_REST, RDF_TYPE, SH, XSD, XSD_BOOLEAN

if TYPE_CHECKING:  # types only: `oerkg shacl --format` reads REPORT_FORMATS without the engine
    from .shacl import Graph, Node, Result

OutputFormat = Literal["turtle", "ntriples", "jsonld"]
# The syntaxes a report is written in; `oerkg shacl --format` offers these names.
REPORT_FORMATS: dict[OutputFormat, ox.RdfFormat] = {
    "turtle": GRAPH_FORMATS["turtle"],
    "ntriples": GRAPH_FORMATS["ntriples"],
    "jsonld": GRAPH_FORMATS["jsonld"],
}
PREFIXES = {"sh": SH, "rdf": RDF, "xsd": XSD}
_PATH_KINDS = ("inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath")
NewNode = Callable[[], ox.BlankNode]


def _iri(name: str) -> ox.NamedNode:
    return ox.NamedNode(SH + name)


def _labeller(prefix: str) -> NewNode:
    """New blank nodes labelled prefix1, prefix2, ..., so the same report gives the same bytes."""
    numbers = count(1)
    return lambda: ox.BlankNode(f"{prefix}{next(numbers)}")


@dataclass(frozen=True)
class ValidationReport:
    """The results of validating a data graph, with the graph that describes their paths."""

    results: tuple[Result, ...]
    paths: Graph  # where each blank-node sh:resultPath is described (the shapes graph)
    prefixes: dict[str, str] = field(default_factory=dict)  # for Turtle, besides sh, rdf and xsd

    @property
    def conforms(self) -> bool:
        """§3.6.1: true exactly when there is no validation result, whatever its severity."""
        return not self.results

    def triples(self) -> Iterator[ox.Triple]:
        """The report graph; each result gets its own copy of its path structure (§3.6.2.2)."""
        report = ox.BlankNode("report")
        yield ox.Triple(report, ox.NamedNode(RDF_TYPE), _iri("ValidationReport"))
        conforms = "true" if self.conforms else "false"
        yield ox.Triple(
            report, _iri("conforms"), ox.Literal(conforms, datatype=ox.NamedNode(XSD_BOOLEAN))
        )
        for n in range(1, len(self.results) + 1):
            yield ox.Triple(report, _iri("result"), ox.BlankNode(f"r{n}"))
        for n, r in enumerate(self.results, start=1):
            node = ox.BlankNode(f"r{n}")
            yield ox.Triple(node, ox.NamedNode(RDF_TYPE), _iri("ValidationResult"))
            yield ox.Triple(node, _iri("focusNode"), r.focus)
            structure: list[ox.Triple] = []
            if r.path is not None:
                path = self._copy(r.path, _labeller(f"r{n}p"), structure, ())
                yield ox.Triple(node, _iri("resultPath"), path)
            yield ox.Triple(node, _iri("resultSeverity"), r.severity)
            yield ox.Triple(node, _iri("sourceConstraintComponent"), r.component)
            yield ox.Triple(node, _iri("sourceShape"), r.shape)
            if r.value is not None:
                yield ox.Triple(node, _iri("value"), r.value)
            for message in r.messages:
                yield ox.Triple(node, _iri("resultMessage"), message)
            yield from structure

    def _copy(self, path: Node, new: NewNode, out: list[ox.Triple], above: tuple[Node, ...]) -> Node:
        """Copy a path structure (§2.3.1) as a tree, read as the engine reads it (a list first).

        A blank node met twice is copied twice and a node that is both a list and an inverse path
        is copied as the list, as the W3C suite's reports write them (core/path/path-complex-002,
        path-strange-001); a cycle is not followed.
        """
        if not isinstance(path, ox.BlankNode) or path in above:
            return path
        g, above = self.paths, (*above, path)
        if g.value(path, RDF_FIRST) is not None:
            return self._copy_list(path, new, out, above)
        copy = new()
        for kind in _PATH_KINDS:
            inner = g.value(path, SH + kind)
            if inner is not None:
                copy_inner = self._copy_list if kind == "alternativePath" else self._copy
                value = copy_inner(inner, new, out, above)
                out.append(ox.Triple(copy, _iri(kind), value))
                break
        return copy

    def _copy_list(
        self, head: Node, new: NewNode, out: list[ox.Triple], above: tuple[Node, ...]
    ) -> Node:
        items = [self._copy(item, new, out, above) for item in self.paths.items(head)]
        node: Node = ox.NamedNode(RDF_NIL)
        for item in reversed(items):
            cell = new()
            out.append(ox.Triple(cell, ox.NamedNode(RDF_FIRST), item))
            out.append(ox.Triple(cell, ox.NamedNode(RDF_REST), node))
            node = cell
        return node

    def serialize(self, fmt: OutputFormat, *, prefixes: dict[str, str] | None = None) -> bytes:
        """Write the report in Turtle, N-Triples or JSON-LD."""
        prefixes = {**self.prefixes, **(prefixes or {}), **PREFIXES}
        return ox.serialize(self.triples(), format=REPORT_FORMATS[fmt], prefixes=prefixes) or b""
