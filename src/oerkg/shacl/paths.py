"""Property paths (SHACL §2.3.1): read from the shapes graph, followed in the data, written as text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from ..vocab import RDF_FIRST, SH, Node
from .graph import Graph, Unsupported, Values


@dataclass(frozen=True)
class Step:
    """A predicate path, read forwards or (for sh:inversePath) backwards."""

    predicate: str
    inverse: bool = False

    def values(self, graph: Graph, nodes: Iterable[Node]) -> Values:
        found: Values = {}
        for node in nodes:
            hops = (
                graph.subjects(self.predicate, node)
                if self.inverse
                else graph.objects(node, self.predicate)
            )
            found.update(dict.fromkeys(hops))
        return found


@dataclass(frozen=True)
class Combined:
    """A sequence, alternative or repetition of paths."""

    kind: str  # "sequence", "alternative", "zeroOrMore", "oneOrMore", "zeroOrOne"
    parts: tuple[Path, ...]

    def values(self, graph: Graph, nodes: Iterable[Node]) -> Values:
        current: Values = dict.fromkeys(nodes)
        if self.kind == "sequence":
            for part in self.parts:
                current = part.values(graph, current)
            return current
        if self.kind == "alternative":
            found: Values = {}
            for part in self.parts:
                found.update(part.values(graph, current))
            return found
        (part,) = self.parts
        found = dict(current) if self.kind != "oneOrMore" else {}
        frontier = current
        while frontier:
            frontier = {n: None for n in part.values(graph, frontier) if n not in found}
            found.update(frontier)
            if self.kind == "zeroOrOne":
                break
        return found


Path = Step | Combined
_REPEAT = ("zeroOrMore", "oneOrMore", "zeroOrOne")


def read_path(shapes: Graph, node: Node, inverse: bool = False) -> Path:
    if isinstance(node, ox.NamedNode):
        return Step(node.value, inverse)
    if shapes.value(node, RDF_FIRST) is not None:
        parts = [read_path(shapes, p, inverse) for p in shapes.items(node)]
        return Combined("sequence", tuple(reversed(parts) if inverse else parts))
    if (inner := shapes.value(node, SH + "inversePath")) is not None:
        return read_path(shapes, inner, not inverse)
    if (alternatives := shapes.value(node, SH + "alternativePath")) is not None:
        return Combined(
            "alternative", tuple(read_path(shapes, p, inverse) for p in shapes.items(alternatives))
        )
    for kind in _REPEAT:
        if (inner := shapes.value(node, SH + kind + "Path")) is not None:
            return Combined(kind, (read_path(shapes, inner, inverse),))
    raise Unsupported(node, "a property path that is not well-formed")


_PATH_MARKS = {"zeroOrMore": "*", "oneOrMore": "+", "zeroOrOne": "?"}


def path_text(shapes: Graph, node: Node, show: Callable[[str], str] = lambda iri: f"<{iri}>") -> str:
    """Write a SHACL path in SPARQL property path syntax (`^ex:p/ex:q*`), each IRI as `show` does."""
    if isinstance(node, ox.NamedNode):
        return show(node.value)
    if shapes.value(node, RDF_FIRST) is not None:
        return "(" + "/".join(path_text(shapes, p, show) for p in shapes.items(node)) + ")"
    if (inner := shapes.value(node, SH + "inversePath")) is not None:
        return "^" + path_text(shapes, inner, show)
    if (alternatives := shapes.value(node, SH + "alternativePath")) is not None:
        return "(" + "|".join(path_text(shapes, p, show) for p in shapes.items(alternatives)) + ")"
    for kind, mark in _PATH_MARKS.items():
        if (inner := shapes.value(node, SH + kind + "Path")) is not None:
            return path_text(shapes, inner, show) + mark
    raise Unsupported(node, "a property path that is not well-formed")
