"""Constraint components that refer to other shapes: logical (SHACL §4.6), shape-based (§4.7)."""

from __future__ import annotations

from collections.abc import Iterator

from ..vocab import SH, Node
from .graph import Values
from .literals import is_true
from .validator import Builder, Check, Compiler, Validator, each


def logical(kind: str) -> Builder:
    """sh:not, sh:and, sh:or, sh:xone, sh:node (§4.6, §4.7.1)."""

    def build(shapes: Compiler, node: Node, value: Node) -> Check:
        members = [
            shapes.shape(m) for m in ([value] if kind in ("not", "node") else shapes.graph.items(value))
        ]

        def test(v: Validator, x: Node) -> bool:
            passed = sum(1 for m in members if v.conforms(m, x))
            return {
                "not": passed == 0,
                "node": passed == 1,
                "and": passed == len(members),
                "or": passed > 0,
                "xone": passed == 1,
            }[kind]

        return each(test)

    return build


def qualified(at_least: bool) -> Builder:
    """sh:qualifiedMinCount / sh:qualifiedMaxCount of a sh:qualifiedValueShape (§4.7.3)."""

    def build(shapes: Compiler, node: Node, limit: Node) -> Check | None:
        g = shapes.graph
        own = list(g.objects(node, SH + "qualifiedValueShape"))
        if not own:  # the component's mandatory parameter is missing: it does not apply (§4.7.3)
            return None
        qualified = [shapes.shape(s) for s in own]
        # With sh:qualifiedValueShapesDisjoint, a value must conform to none of the sibling shapes:
        # the qualified value shapes of the other property shapes of the same parents.
        disjoint = any(is_true(f) for f in g.objects(node, SH + "qualifiedValueShapesDisjoint"))
        siblings = [
            shapes.shape(sibling)
            for sibling in {
                q: None
                for parent in (g.subjects(SH + "property", node) if disjoint else ())
                for prop in g.objects(parent, SH + "property")
                for q in g.objects(prop, SH + "qualifiedValueShape")
                if q not in own
            }
        ]
        n = int(limit.value)

        def check(v: Validator, focus: Node, values: Values) -> Iterator[tuple[None, None]]:
            passed = sum(
                1
                for x in values
                if all(v.conforms(q, x) for q in qualified)
                and not (siblings and any(v.conforms(s, x) for s in siblings))
            )
            if (passed < n) if at_least else (passed > n):
                yield None, None

        return check

    return build
