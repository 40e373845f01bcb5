"""What each class requires, read once from the SHACL shapes for the shapes documentation page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from .load import SourceFile
from .vocab import RDF_FIRST, RDF_NIL, RDF_REST, SH, Node, rdf_list

TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
# Constraints shown as they are (besides path, counts, datatype, class, severity and message).
OTHER_CONSTRAINTS = (
    "nodeKind",
    "pattern",
    "languageIn",
    "in",
    "hasValue",
    "minLength",
    "maxLength",
    "minInclusive",
    "maxInclusive",
    "uniqueLang",
    "node",
    "or",
)


@dataclass(frozen=True)
class RuleDoc:
    """One property constraint of a shape."""

    path: str  # the property IRI, or "" for a complex path
    min_count: int
    max_count: int | None
    datatype: str
    classes: tuple[str, ...]
    severity: str  # Violation, Warning or Info
    messages: dict[str, str]
    others: tuple[tuple[str, str], ...]  # (constraint, value as text)
    order: float | None = None  # sh:order (SHACL 9.1): where a form or a summary shows it


@dataclass(frozen=True)
class ShapeDoc:
    """A target of a node shape and its property constraints, as the shapes page lists them."""

    iri: str  # "" for a blank-node shape
    target_kind: str  # one of TARGETS
    target: str
    rules: tuple[RuleDoc, ...]


def shape_docs(sources: list[SourceFile]) -> tuple[ShapeDoc, ...]:
    """Collect node shapes with their targets and property constraints, sorted by target."""
    facts: dict[str, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
    for source in sources:
        for q in source.quads:
            if not isinstance(q.object, ox.Triple):  # a triple term (RDF 1.2) is no constraint value
                facts[_key(q.subject)][q.predicate.value].append(q.object)
    shapes: list[ShapeDoc] = []
    for key, f in facts.items():
        rules = tuple(
            sorted(
                (_rule(facts, _key(p)) for p in f.get(f"{SH}property", ())),
                key=lambda r: (r.path, r.severity, r.min_count, r.datatype, r.classes),
            )
        )
        for kind in TARGETS:
            for target in f.get(f"{SH}{kind}", ()):
                shapes.append(
                    ShapeDoc(key if not key.startswith("_:") else "", kind, target.value, rules)
                )
    return tuple(sorted(shapes, key=lambda s: (s.target, s.target_kind, s.iri)))


def _key(term: object) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    assert isinstance(term, ox.NamedNode)
    return term.value


def _rule(facts: dict[str, dict[str, list[Node]]], key: str) -> RuleDoc:
    f = facts.get(key, {})

    def one(name: str) -> str:
        values = f.get(f"{SH}{name}", ())
        return values[0].value if values else ""

    path = f.get(f"{SH}path", ())
    severity = one("severity")
    others = []
    for name in OTHER_CONSTRAINTS:
        for value in f.get(f"{SH}{name}", ()):
            others.append((name, _text(facts, value)))
    return RuleDoc(
        path=path[0].value if path and isinstance(path[0], ox.NamedNode) else "",
        min_count=int(one("minCount") or 0),
        max_count=int(one("maxCount")) if one("maxCount") else None,
        datatype=one("datatype"),
        classes=tuple(sorted(c.value for c in f.get(f"{SH}class", ()))),
        severity=severity[len(SH) :] if severity.startswith(SH) else "Violation",
        messages={
            (m.language or "en"): m.value for m in f.get(f"{SH}message", ()) if isinstance(m, ox.Literal)
        },
        others=tuple(sorted(others)),
        order=_number(one("order")),
    )


def _number(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def key_properties(shapes: tuple[ShapeDoc, ...]) -> dict[str, tuple[str, ...]]:
    """Return, per class, the properties its shapes give an sh:order, in that order.

    SHACL 9.1 (non-validating property shape characteristics) says sh:order places a property
    in forms and summaries; entity pages show these first, in their infobox. A class none of
    whose shapes orders a property is absent (pages then use the default key properties).
    """
    ordered: dict[str, dict[str, float]] = {}
    for shape in shapes:
        if shape.target_kind != "targetClass":
            continue
        for rule in shape.rules:
            if rule.order is not None and rule.path:
                paths = ordered.setdefault(shape.target, {})
                paths[rule.path] = min(rule.order, paths.get(rule.path, rule.order))
    return {
        cls: tuple(p for p, _ in sorted(paths.items(), key=lambda po: (po[1], po[0])))
        for cls, paths in sorted(ordered.items())
    }


def _text(facts: dict[str, dict[str, list[Node]]], value: Node) -> str:
    """Show a constraint's value; RDF lists as `(a b c)`, other blank nodes as `[…]`."""
    if not isinstance(value, ox.BlankNode):
        return value.value

    def first(node: str) -> Node | None:
        return facts[node][RDF_FIRST][0] if RDF_FIRST in facts.get(node, {}) else None

    def rest(node: str) -> str | None:
        values = facts.get(node, {}).get(RDF_REST, ())
        return _key(values[0]) if values and not isinstance(values[0], ox.Literal) else None

    walked: tuple[list[Node], bool] = rdf_list(_key(value), first, rest, RDF_NIL)
    members = walked[0]
    return f"({' '.join(_text(facts, m) for m in members)})" if members else "[…]"
