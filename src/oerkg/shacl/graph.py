"""The data and shapes graphs, indexed by subject and predicate, and the `Unsupported` error."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator

import pyoxigraph as ox

from ..vocab import RDF_FIRST, RDF_NIL, RDF_REST, RDF_TYPE, RDFS, Node, rdf_list

Values = dict[Node, None]  # an ordered set of value nodes


class Unsupported(Exception):
    """The shapes use a SHACL feature this engine does not implement."""

    def __init__(self, node: Node, feature: str, *, term: str | None = None) -> None:
        super().__init__(f"{node}: {feature} is not supported by the native SHACL engine")
        self.node = node
        self.feature = feature
        self.term = term  # the shape's predicate this engine does not know, if that is the cause


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
