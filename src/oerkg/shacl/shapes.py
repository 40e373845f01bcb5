"""The shapes graph compiled once (SHACL §2): each shape's path and checks, its targets (§2.1.3)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from ..vocab import RDF, RDF_FIRST, RDF_TYPE, RDFS, SH, XSD, Node, curie
from .constraints import COMPONENTS
from .graph import Graph, Unsupported, Values
from .literals import is_true
from .paths import read_path
from .validator import VIOLATION, Result, Shape, Validator

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
            path=None if path is None else read_path(g, path),
            path_node=path,
            severity=g.value(node, SH + "severity") or VIOLATION,  # type: ignore[arg-type]
            messages=tuple(m for m in g.objects(node, SH + "message") if isinstance(m, ox.Literal)),
            deactivated=any(is_true(v) for v in g.objects(node, SH + "deactivated")),
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
            build = COMPONENTS.get(name)
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
