"""SHACL Core validation over pyoxigraph terms (W3C SHACL 1.0, sections 2 to 4).

pySHACL is the reference implementation; this engine exists because a build must validate a
million triples in seconds (pySHACL takes about ten times longer). It implements
the Core constraint components, targets and property paths; shapes that use anything else
(SHACL-SPARQL, SPARQL-based targets and constraint components, recursive shapes, any `sh:` term
it does not know) raise `Unsupported`, and the caller falls back to
pySHACL: a feature is never silently ignored. `tests/test_shacl.py` checks both give the same results.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from .vocab import (
    RDF,
    RDF_FIRST,
    RDF_LANG_STRING,
    RDF_NIL,
    RDF_REST,
    RDF_TYPE,
    RDFS,
    SH,
    XSD,
    Node,
    curie,
    rdf_list,
)

VIOLATION = ox.NamedNode(SH + "Violation")
TRUE = ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))

Values = dict[Node, None]  # an ordered set of value nodes


class Unsupported(Exception):
    """The shapes use a SHACL feature this engine does not implement."""

    def __init__(self, node: Node, feature: str, *, term: str | None = None) -> None:
        super().__init__(f"{node}: {feature} is not supported by the native SHACL engine")
        self.node = node
        self.feature = feature
        self.term = term  # the shape's predicate this engine does not know, if that is the cause


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


class Graph:
    """An RDF graph (all quads merged, as one data graph) indexed by subject and predicate."""

    def __init__(self, quads: Iterable[ox.Quad] | Iterable[ox.Triple]) -> None:
        out: dict[Node, dict[str, Values]] = {}
        for q in quads:
            out.setdefault(q.subject, {}).setdefault(q.predicate.value, {})[q.object] = None  # type: ignore[arg-type,index]
        self.out = out
        self._in: dict[Node, dict[str, Values]] | None = None
        self._supers: dict[Node, set[Node]] = {}
        self._typed: dict[Node, Values] | None = None

    def triples(self) -> Iterator[ox.Triple]:
        for s, properties in self.out.items():
            for p, objects in properties.items():
                predicate = ox.NamedNode(p)
                for o in objects:
                    yield ox.Triple(s, predicate, o)  # type: ignore[arg-type]

    def objects(self, node: Node, predicate: str) -> Collection[Node]:
        return self.out.get(node, {}).get(predicate, {}).keys()

    def subjects(self, predicate: str, node: Node) -> Collection[Node]:
        if self._in is None:
            self._in = {}
            for s, properties in self.out.items():
                for p, objects in properties.items():
                    for o in objects:
                        self._in.setdefault(o, {}).setdefault(p, {})[s] = None
        return self._in.get(node, {}).get(predicate, {}).keys()

    def value(self, node: Node, predicate: str) -> Node | None:
        return next(iter(self.objects(node, predicate)), None)

    def items(self, head: Node) -> list[Node]:
        """The members of an RDF list."""
        nil: Node = ox.NamedNode(RDF_NIL)

        def first(node: Node) -> Node | None:
            return self.value(node, RDF_FIRST)

        def rest(node: Node) -> Node:
            return self.value(node, RDF_REST) or nil

        walked: tuple[list[Node], bool] = rdf_list(head, first, rest, nil, limit=100_001)
        members, well_formed = walked
        if not well_formed:
            raise Unsupported(head, "an RDF list that is not well-formed")
        return members

    def superclasses(self, cls: Node) -> set[Node]:
        """`cls` and everything it is an rdfs:subClassOf*, in this graph."""
        found = self._supers.get(cls)
        if found is None:
            found, todo = {cls}, [cls]
            while todo:
                for parent in self.objects(todo.pop(), RDFS + "subClassOf"):
                    if parent not in found:
                        found.add(parent)
                        todo.append(parent)
            self._supers[cls] = found
        return found

    def is_instance(self, node: Node, cls: Node) -> bool:
        """SHACL instance (§1.5): rdf:type/rdfs:subClassOf* reaches `cls`."""
        return any(cls in self.superclasses(t) for t in self.objects(node, RDF_TYPE))

    def instances(self, cls: Node) -> Values:
        if self._typed is None:
            self._typed = {}
            for node, properties in self.out.items():
                for t in properties.get(RDF_TYPE, ()):
                    self._typed.setdefault(t, {})[node] = None
        found: Values = {}
        for t, nodes in self._typed.items():
            if cls in self.superclasses(t):
                found.update(nodes)
        return found


# ---------------------------------------------------------------- property paths (§2.3.1)


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


def _path(shapes: Graph, node: Node, inverse: bool = False) -> Path:
    if isinstance(node, ox.NamedNode):
        return Step(node.value, inverse)
    if shapes.value(node, RDF_FIRST) is not None:
        parts = [_path(shapes, p, inverse) for p in shapes.items(node)]
        return Combined("sequence", tuple(reversed(parts) if inverse else parts))
    if (inner := shapes.value(node, SH + "inversePath")) is not None:
        return _path(shapes, inner, not inverse)
    if (alternatives := shapes.value(node, SH + "alternativePath")) is not None:
        return Combined(
            "alternative", tuple(_path(shapes, p, inverse) for p in shapes.items(alternatives))
        )
    for kind in _REPEAT:
        if (inner := shapes.value(node, SH + kind + "Path")) is not None:
            return Combined(kind, (_path(shapes, inner, inverse),))
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


# ---------------------------------------------------------------- literals (XSD 1.1 Part 2)

_YEAR = r"-?([1-9][0-9]{3,}|0[0-9]{3})"
_TZ = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_DAY = r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
_NUMBER = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
_LEXICAL = {
    "integer": r"[+-]?[0-9]+",
    "decimal": _NUMBER,
    "double": rf"({_NUMBER}([eE][+-]?[0-9]+)?|[+-]?INF|NaN)",
    "boolean": r"true|false|1|0",
    "date": _YEAR + "-" + _DAY + _TZ,
    "dateTime": _YEAR + "-" + _DAY + "T" + _TIME + _TZ,
    "time": _TIME + _TZ,
    "gYear": _YEAR + _TZ,
    "gYearMonth": _YEAR + r"-(0[1-9]|1[0-2])" + _TZ,
    "gMonthDay": "--" + _DAY + _TZ,
    "gMonth": r"--(0[1-9]|1[0-2])" + _TZ,
    "gDay": r"---(0[1-9]|[12][0-9]|3[01])" + _TZ,
}
_INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}
_PATTERNS = {XSD + name: re.compile(p) for name, p in _LEXICAL.items()}
_PATTERNS[XSD + "float"] = _PATTERNS[XSD + "double"]
for _name in _INTEGER_RANGES:
    _PATTERNS[XSD + _name] = _PATTERNS[XSD + "integer"]


def datatype(literal: ox.Literal) -> str:
    return RDF_LANG_STRING if literal.language else literal.datatype.value


def well_formed(literal: ox.Literal) -> bool:
    """Is the lexical form in the lexical space of its (XSD) datatype? Unknown datatypes are."""
    kind = datatype(literal)
    pattern = _PATTERNS.get(kind)
    text = literal.value
    if pattern is None or not pattern.fullmatch(text):
        return pattern is None
    local = kind[len(XSD) :]
    if local in _INTEGER_RANGES:
        low, high = _INTEGER_RANGES[local]
        return (low is None or int(text) >= low) and (high is None or int(text) <= high)
    if local in ("date", "dateTime"):
        year, month, day = (int(x) for x in re.findall(r"[0-9]+", text.lstrip("-"))[:3])
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return (
            day <= (29 if leap else 28) if month == 2 else day <= (30 if month in (4, 6, 9, 11) else 31)
        )
    return True


_NUMERIC = {XSD + n for n in ("integer", "decimal", "double", "float", *_INTEGER_RANGES)}


def _comparable(node: Node) -> tuple[str, Any] | None:
    """A literal's value with its comparison family, if SPARQL can order it (SPARQL 1.1 §17.3)."""
    if not isinstance(node, ox.Literal) or not well_formed(node):
        return None
    kind, text = datatype(node), node.value
    try:
        if kind in _NUMERIC:
            number = float(text) if kind in (XSD + "double", XSD + "float") else Decimal(text)
            return "number", number
        if kind == XSD + "date" and len(text) == 10:
            return "date", date.fromisoformat(text)
        if (
            kind == XSD + "date"
        ):  # with a timezone: ordered by its first instant (XPath op:date-less-than)
            zone = text[10:].replace("Z", "+00:00")
            return "dateTime", datetime.fromisoformat(text[:10] + "T00:00:00" + zone)
        if kind == XSD + "dateTime":
            moment = datetime.fromisoformat(text)
            return ("dateTime" if moment.tzinfo else "localDateTime"), moment
    except (ValueError, InvalidOperation):
        return None
    if kind in (XSD + "string", XSD + "boolean"):
        return kind, _true(node) if kind == XSD + "boolean" else text
    return None


def _true(node: Node) -> bool:
    """An xsd:boolean parameter's value (lexical forms true, false, 1, 0)."""
    return node.value in ("true", "1")


def _order(a: Node, b: Node) -> int | None:
    """-1, 0 or 1 as a is less than, equal to or greater than b; None if incomparable."""
    left, right = _comparable(a), _comparable(b)
    if left is None or right is None or left[0] != right[0]:
        return None
    x, y = left[1], right[1]
    if isinstance(x, float) or isinstance(y, float):
        x, y = float(x), float(y)
        if x != x or y != y:  # NaN is neither less than, equal to nor greater than anything
            return None
    return (x > y) - (x < y)


def _lang_matches(tag: str, lang_range: str) -> bool:
    """Basic filtering (RFC 4647 §3.3.1), as SPARQL's langMatches."""
    tag, lang_range = tag.lower(), lang_range.lower()
    return bool(tag) and (lang_range == "*" or tag == lang_range or tag.startswith(lang_range + "-"))


# ---------------------------------------------------------------- shapes (§2) and constraints (§4)

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


_TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
_IGNORED = {
    SH + n
    for n in (
        *_TARGETS,
        "path",
        "message",
        "severity",
        "deactivated",
        "name",
        "description",
        "order",
        "group",
        "defaultValue",
        "flags",
        "ignoredProperties",
        "qualifiedValueShape",
        "qualifiedValueShapesDisjoint",
    )
}
_SHORT = {"sh": SH, "rdf": RDF, "rdfs": RDFS, "xsd": XSD}
_SHAPE_CLASSES = {ox.NamedNode(SH + "NodeShape"), ox.NamedNode(SH + "PropertyShape")}


class Shapes:
    """A shapes graph compiled once: the shapes that have targets, with their constraints."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._compiled: dict[Node, Shape | None] = {}
        self.targeted: list[tuple[Shape, Node]] = []
        # Parameters of SPARQL-based constraint components (§6.1): each maps to its component.
        self.declared: dict[str, Node] = {
            path.value: component
            for component in graph.instances(ox.NamedNode(SH + "ConstraintComponent"))
            for parameter in graph.objects(component, SH + "parameter")
            for path in graph.objects(parameter, SH + "path")
        }
        for node, properties in graph.out.items():
            if SH + "target" in properties:  # SHACL-AF custom targets
                raise Unsupported(node, "sh:target (a SPARQL-based target)")
            implicit = ox.NamedNode(RDFS + "Class") in properties.get(RDF_TYPE, {}) and any(
                t in _SHAPE_CLASSES for t in properties.get(RDF_TYPE, {})
            )
            if implicit or any(SH + t in properties for t in _TARGETS):
                self.targeted.append((self.shape(node), node))

    @classmethod
    def from_quads(cls, quads: Iterable[ox.Quad]) -> Shapes:
        return cls(Graph(quads))

    def shape(self, node: Node) -> Shape:
        if node in self._compiled:
            compiled = self._compiled[node]
            if compiled is None:
                raise Unsupported(node, "a recursive shape")
            return compiled
        self._compiled[node] = None
        g = self.graph
        path = g.value(node, SH + "path")
        if path is not None and not isinstance(path, ox.NamedNode | ox.BlankNode):
            raise Unsupported(node, f"sh:path {path}, which is not a path")
        shape = Shape(
            node,
            path=None if path is None else _path(g, path),
            path_node=path,
            severity=g.value(node, SH + "severity") or VIOLATION,  # type: ignore[arg-type]
            messages=tuple(m for m in g.objects(node, SH + "message") if isinstance(m, ox.Literal)),
            deactivated=any(_true(v) for v in g.objects(node, SH + "deactivated")),
        )
        for predicate, objects in g.out.get(node, {}).items():
            if predicate in self.declared:
                raise Unsupported(
                    node,
                    f"the SPARQL-based constraint component {self._show(self.declared[predicate])} "
                    f"(parameter {self._show(ox.NamedNode(predicate))})",
                )
            if not predicate.startswith(SH) or predicate in _IGNORED:
                continue
            name = predicate[len(SH) :]
            if name == "property":
                shape.properties.extend(self.shape(value) for value in objects)
                continue
            build = _COMPONENTS.get(name)
            if build is None:
                raise Unsupported(node, f"sh:{name}", term=predicate)
            component = ox.NamedNode(SH + name[0].upper() + name[1:] + "ConstraintComponent")
            for value in objects:
                check = build(self, node, value)
                if check is not None:
                    message = ox.Literal(_MESSAGES[name].format(self._show(value)))
                    shape.checks.append((component, check, message))
        self._compiled[node] = shape
        return shape

    def _show(self, value: Node) -> str:
        """A parameter as the default messages show it: a list's members, a short IRI, a value."""
        if isinstance(value, ox.BlankNode) and self.graph.value(value, RDF_FIRST) is not None:
            return ", ".join(self._show(m) for m in self.graph.items(value))
        if isinstance(value, ox.NamedNode):
            return curie(value.value, _SHORT) or f"<{value.value}>"
        return value.value

    def validate(self, data: Iterable[ox.Quad] | Graph) -> list[Result]:
        """Validate the data graph against every targeted shape (SHACL §3.4)."""
        graph = data if isinstance(data, Graph) else Graph(data)
        validator = Validator(graph)
        results: list[Result] = []
        for shape, node in self.targeted:
            for target in _focus_nodes(self.graph, graph, node):
                results.extend(validator.validate(shape, target))
        return results


def _focus_nodes(shapes: Graph, data: Graph, shape: Node) -> Values:
    """The targets of a shape (§2.1.3)."""
    found: Values = dict.fromkeys(shapes.objects(shape, SH + "targetNode"))
    classes = list(shapes.objects(shape, SH + "targetClass"))
    if ox.NamedNode(RDFS + "Class") in shapes.objects(shape, RDF_TYPE):
        classes.append(shape)
    for cls in classes:
        found.update(data.instances(cls))
    for p in shapes.objects(shape, SH + "targetSubjectsOf"):
        found.update({s: None for s, props in data.out.items() if p.value in props})
    for p in shapes.objects(shape, SH + "targetObjectsOf"):
        found.update({o: None for props in data.out.values() for o in props.get(p.value, ())})
    return found


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


# Each builder gets the shapes, the shape node and one value of the parameter; returns a check.
Builder = Callable[[Shapes, Node, Node], Check | None]


def _each(test: Callable[[Validator, Node], bool]) -> Check:
    """A check that fails every value node for which `test` is false."""

    def check(v: Validator, focus: Node, values: Values) -> Iterator[tuple[Node | None, None]]:
        return ((value, None) for value in values if not test(v, value))

    return check


def _class(shapes: Shapes, node: Node, cls: Node) -> Check:
    return _each(lambda v, x: not isinstance(x, ox.Literal) and v.graph.is_instance(x, cls))


def _datatype(shapes: Shapes, node: Node, kind: Node) -> Check:
    return _each(lambda v, x: isinstance(x, ox.Literal) and datatype(x) == kind.value and well_formed(x))


_NODE_KINDS = {
    "IRI": (ox.NamedNode,),
    "BlankNode": (ox.BlankNode,),
    "Literal": (ox.Literal,),
    "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode),
    "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
    "IRIOrLiteral": (ox.NamedNode, ox.Literal),
}


def _node_kind(shapes: Shapes, node: Node, kind: Node) -> Check:
    types = _NODE_KINDS.get(kind.value.removeprefix(SH))
    if types is None:
        raise Unsupported(node, f"sh:nodeKind {kind}")
    return _each(lambda v, x: isinstance(x, types))


def _count(at_least: bool) -> Builder:
    def build(shapes: Shapes, node: Node, limit: Node) -> Check:
        n = int(limit.value)

        def check(v: Validator, focus: Node, values: Values) -> Iterator[tuple[None, None]]:
            if (len(values) < n) if at_least else (len(values) > n):
                yield None, None

        return check

    return build


def _range(accept: Callable[[int], bool]) -> Builder:
    def build(shapes: Shapes, node: Node, bound: Node) -> Check:
        def test(v: Validator, x: Node) -> bool:
            order = _order(x, bound)
            return order is not None and accept(order)

        return _each(test)

    return build


def _length(at_least: bool) -> Builder:
    def build(shapes: Shapes, node: Node, limit: Node) -> Check:
        n = int(limit.value)
        return _each(
            lambda v, x: (
                not isinstance(x, ox.BlankNode)
                and (len(x.value) >= n if at_least else len(x.value) <= n)
            )
        )

    return build


_FLAGS = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE, "x": re.VERBOSE}


def _pattern(shapes: Shapes, node: Node, pattern: Node) -> Check:
    flags = "".join(f.value for f in shapes.graph.objects(node, SH + "flags"))
    text = re.escape(pattern.value) if "q" in flags else pattern.value
    regex = re.compile(text, sum((_FLAGS[f] for f in set(flags) & set(_FLAGS)), 0))
    return _each(lambda v, x: not isinstance(x, ox.BlankNode) and regex.search(x.value) is not None)


def _language_in(shapes: Shapes, node: Node, head: Node) -> Check:
    ranges = [r.value for r in shapes.graph.items(head)]
    return _each(
        lambda v, x: (
            isinstance(x, ox.Literal) and any(_lang_matches(x.language or "", r) for r in ranges)
        )
    )


def _unique_lang(shapes: Shapes, node: Node, flag: Node) -> Check | None:
    # Only the literal true switches it on: W3C SHACL test suite, core/property/uniqueLang-002.
    if flag != TRUE:
        return None

    def check(v: Validator, focus: Node, values: Values) -> Iterator[tuple[None, None]]:
        seen: dict[str, int] = {}
        for x in values:
            if isinstance(x, ox.Literal) and x.language:
                seen[x.language.lower()] = seen.get(x.language.lower(), 0) + 1
        for _ in (lang for lang, n in seen.items() if n > 1):
            yield None, None

    return check


def _pair(relation: str) -> Builder:
    """sh:equals, sh:disjoint, sh:lessThan, sh:lessThanOrEquals (§4.5)."""

    def build(shapes: Shapes, node: Node, other: Node) -> Check:
        def check(v: Validator, focus: Node, values: Values) -> Iterator[tuple[Node, None]]:
            others = v.graph.objects(focus, other.value)
            if relation == "equals":
                yield from ((x, None) for x in values if x not in others)
                yield from ((x, None) for x in others if x not in values)
            elif relation == "disjoint":
                yield from ((x, None) for x in values if x in others)
            else:
                for x in values:
                    for y in others:
                        order = _order(x, y)
                        if order is None or order > 0 or (order == 0 and relation == "lessThan"):
                            yield x, None

        return check

    return build


def _logical(kind: str) -> Builder:
    """sh:not, sh:and, sh:or, sh:xone, sh:node (§4.6, §4.7.1)."""

    def build(shapes: Shapes, node: Node, value: Node) -> Check:
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

        return _each(test)

    return build


def _qualified(at_least: bool) -> Builder:
    """sh:qualifiedMinCount / sh:qualifiedMaxCount of a sh:qualifiedValueShape (§4.7.3)."""

    def build(shapes: Shapes, node: Node, limit: Node) -> Check | None:
        g = shapes.graph
        own = list(g.objects(node, SH + "qualifiedValueShape"))
        if not own:  # the component's mandatory parameter is missing: it does not apply (§4.7.3)
            return None
        qualified = [shapes.shape(s) for s in own]
        # With sh:qualifiedValueShapesDisjoint, a value must conform to none of the sibling shapes:
        # the qualified value shapes of the other property shapes of the same parents.
        disjoint = any(_true(f) for f in g.objects(node, SH + "qualifiedValueShapesDisjoint"))
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


def _closed(shapes: Shapes, node: Node, flag: Node) -> Check | None:
    """sh:closed with sh:ignoredProperties (§4.8.1): no other predicates on the value nodes."""
    if not _true(flag):
        return None
    g = shapes.graph
    allowed = {
        p.value for ignored in g.objects(node, SH + "ignoredProperties") for p in g.items(ignored)
    }
    for prop in g.objects(node, SH + "property"):
        path = g.value(prop, SH + "path")
        if isinstance(path, ox.NamedNode):
            allowed.add(path.value)

    def check(v: Validator, focus: Node, values: Values) -> Iterator[tuple[Node, ox.NamedNode]]:
        for x in values:
            for p, objects in v.graph.out.get(x, {}).items():
                if p not in allowed:
                    yield from ((o, ox.NamedNode(p)) for o in objects)

    return check


def _has_value(shapes: Shapes, node: Node, wanted: Node) -> Check:
    def check(v: Validator, focus: Node, values: Values) -> Iterator[tuple[None, None]]:
        if wanted not in values:
            yield None, None

    return check


def _in(shapes: Shapes, node: Node, head: Node) -> Check:
    allowed = set(shapes.graph.items(head))
    return _each(lambda v, x: x in allowed)


_COMPONENTS: dict[str, Builder] = {
    "class": _class,
    "datatype": _datatype,
    "nodeKind": _node_kind,
    "minCount": _count(True),
    "maxCount": _count(False),
    "minExclusive": _range(lambda o: o > 0),
    "minInclusive": _range(lambda o: o >= 0),
    "maxExclusive": _range(lambda o: o < 0),
    "maxInclusive": _range(lambda o: o <= 0),
    "minLength": _length(True),
    "maxLength": _length(False),
    "pattern": _pattern,
    "languageIn": _language_in,
    "uniqueLang": _unique_lang,
    "equals": _pair("equals"),
    "disjoint": _pair("disjoint"),
    "lessThan": _pair("lessThan"),
    "lessThanOrEquals": _pair("lessThanOrEquals"),
    "not": _logical("not"),
    "and": _logical("and"),
    "or": _logical("or"),
    "xone": _logical("xone"),
    "node": _logical("node"),
    "qualifiedMinCount": _qualified(True),
    "qualifiedMaxCount": _qualified(False),
    "closed": _closed,
    "hasValue": _has_value,
    "in": _in,
}

# Default result messages (when the shape has no sh:message), with the parameter's value.
_MESSAGES = {
    "class": "Value is not an instance of {}",
    "datatype": "Value is not a well-formed literal of datatype {}",
    "nodeKind": "Value is not of node kind {}",
    "minCount": "Fewer than {} values",
    "maxCount": "More than {} values",
    "minExclusive": "Value is not greater than {}",
    "minInclusive": "Value is not greater than or equal to {}",
    "maxExclusive": "Value is not less than {}",
    "maxInclusive": "Value is not less than or equal to {}",
    "minLength": "Value is shorter than {} characters",
    "maxLength": "Value is longer than {} characters",
    "pattern": "Value does not match the pattern {}",
    "languageIn": "Value is not a literal in one of the languages {}",
    "uniqueLang": "More than one value in the same language",
    "equals": "The values differ from those of {}",
    "disjoint": "Value is also a value of {}",
    "lessThan": "Value is not less than the values of {}",
    "lessThanOrEquals": "Value is not less than or equal to the values of {}",
    "not": "Value conforms to the shape {}, which it must not",
    "and": "Value does not conform to all of the shapes {}",
    "or": "Value conforms to none of the shapes {}",
    "xone": "Value does not conform to exactly one of the shapes {}",
    "node": "Value does not conform to the shape {}",
    "qualifiedMinCount": "Fewer than {} values conform to the qualified value shape",
    "qualifiedMaxCount": "More than {} values conform to the qualified value shape",
    "closed": "Predicate is not allowed on this closed shape",
    "hasValue": "Missing the value {}",
    "in": "Value is not one of {}",
}
