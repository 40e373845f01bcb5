"""A compiled shape and its checks, run on focus nodes by the validator (SHACL §3.4, §3.6)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

import pyoxigraph as ox

from ..vocab import SH, Node
from .graph import Graph, Values
from .paths import Path

VIOLATION = ox.NamedNode(SH + "Violation")


@dataclass(frozen=True)
class Result:
    """One validation result (SHACL §3.6), with the fields our reports use."""

    focus: Node
    # sh:resultPath: a predicate, or the blank node that heads a path structure in the shapes graph
    path: ox.NamedNode | ox.BlankNode | None
    severity: ox.NamedNode
    shape: Node
    component: ox.NamedNode
    value: Node | None
    messages: tuple[ox.Literal, ...]  # the shape's sh:message values, or else a default message


# A check gets the validator, the focus node and its value nodes, and yields each failing value
# (None when the result has no sh:value) with the result path when it differs from the shape's.
Check = Callable[["Validator", Node, Values], Iterator[tuple[Node | None, ox.NamedNode | None]]]


@dataclass
class Shape:
    node: Node
    path: Path | None = None
    path_node: ox.NamedNode | ox.BlankNode | None = None  # the sh:path value, for sh:resultPath
    severity: ox.NamedNode = VIOLATION
    messages: tuple[ox.Literal, ...] = ()
    deactivated: bool = False
    checks: list[tuple[ox.NamedNode, Check, ox.Literal]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)  # sh:property (§4.7.2)


class Validator:
    """Validates focus nodes of one data graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def validate(self, shape: Shape, focus: Node) -> Iterator[Result]:
        if shape.deactivated:
            return
        values = {focus: None} if shape.path is None else shape.path.values(self.graph, (focus,))
        for component, check, message in shape.checks:
            for value, path in check(self, focus, values):
                yield Result(
                    focus,
                    path or shape.path_node,
                    shape.severity,
                    shape.node,
                    component,
                    value,
                    shape.messages or (message,),
                )
        for prop in shape.properties:
            for value in values:
                yield from self.validate(prop, value)

    def conforms(self, shape: Shape, node: Node) -> bool:
        return next(self.validate(shape, node), None) is None


class Compiler(Protocol):
    """What a builder is given: the shapes graph, and the compiler of the shapes in it (the
    logical and shape-based components compile the shapes they name). `shapes.Shapes` is one."""

    graph: Graph

    def shape(self, node: Node) -> Shape: ...


# Each builder gets the compiler, the shape node and one value of the parameter; returns a check.
Builder = Callable[[Compiler, Node, Node], Check | None]


def each(test: Callable[[Validator, Node], bool]) -> Check:
    """A check that fails every value node for which `test` is false."""

    def check(v: Validator, focus: Node, values: Values) -> Iterator[tuple[Node | None, None]]:
        return ((value, None) for value in values if not test(v, value))

    return check
