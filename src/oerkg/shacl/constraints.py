"""One builder per SHACL Core constraint component (§4): it compiles a parameter into a check."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pyoxigraph as ox

from ..vocab import SH, XSD, Node
from .graph import Unsupported, Values
from .literals import compare, datatype, is_true, lang_matches, well_formed
from .shape_constraints import logical, qualified
from .validator import Builder, Check, Compiler, Validator, each

TRUE = ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))


def _class(shapes: Compiler, node: Node, cls: Node) -> Check:
    return each(lambda v, x: not isinstance(x, ox.Literal) and v.graph.is_instance(x, cls))


def _datatype(shapes: Compiler, node: Node, kind: Node) -> Check:
    return each(lambda v, x: isinstance(x, ox.Literal) and datatype(x) == kind.value and well_formed(x))


_NODE_KINDS = {
    "IRI": (ox.NamedNode,),
    "BlankNode": (ox.BlankNode,),
    "Literal": (ox.Literal,),
    "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode),
    "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
    "IRIOrLiteral": (ox.NamedNode, ox.Literal),
}


def _node_kind(shapes: Compiler, node: Node, kind: Node) -> Check:
    types = _NODE_KINDS.get(kind.value.removeprefix(SH))
    if types is None:
        raise Unsupported(node, f"sh:nodeKind {kind}")
    return each(lambda v, x: isinstance(x, types))


def _count(at_least: bool) -> Builder:
    def build(shapes: Compiler, node: Node, limit: Node) -> Check:
        n = int(limit.value)

        def check(v: Validator, focus: Node, values: Values) -> Iterator[tuple[None, None]]:
            if (len(values) < n) if at_least else (len(values) > n):
                yield None, None

        return check

    return build


def _range(accept: Callable[[int], bool]) -> Builder:
    def build(shapes: Compiler, node: Node, bound: Node) -> Check:
        def test(v: Validator, x: Node) -> bool:
            order = compare(x, bound)
            return order is not None and accept(order)

        return each(test)

    return build


def _length(at_least: bool) -> Builder:
    def build(shapes: Compiler, node: Node, limit: Node) -> Check:
        n = int(limit.value)
        return each(
            lambda v, x: (
                not isinstance(x, ox.BlankNode)
                and (len(x.value) >= n if at_least else len(x.value) <= n)
            )
        )

    return build


_FLAGS = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE, "x": re.VERBOSE}


def _pattern(shapes: Compiler, node: Node, pattern: Node) -> Check:
    flags = "".join(f.value for f in shapes.graph.objects(node, SH + "flags"))
    text = re.escape(pattern.value) if "q" in flags else pattern.value
    regex = re.compile(text, sum((_FLAGS[f] for f in set(flags) & set(_FLAGS)), 0))
    return each(lambda v, x: not isinstance(x, ox.BlankNode) and regex.search(x.value) is not None)


def _language_in(shapes: Compiler, node: Node, head: Node) -> Check:
    ranges = [r.value for r in shapes.graph.items(head)]
    return each(
        lambda v, x: isinstance(x, ox.Literal) and any(lang_matches(x.language or "", r) for r in ranges)
    )


def _unique_lang(shapes: Compiler, node: Node, flag: Node) -> Check | None:
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

    def build(shapes: Compiler, node: Node, other: Node) -> Check:
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
                        order = compare(x, y)
                        if order is None or order > 0 or (order == 0 and relation == "lessThan"):
                            yield x, None

        return check

    return build


def _closed(shapes: Compiler, node: Node, flag: Node) -> Check | None:
    """sh:closed with sh:ignoredProperties (§4.8.1): no other predicates on the value nodes."""
    if not is_true(flag):
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


def _has_value(shapes: Compiler, node: Node, wanted: Node) -> Check:
    def check(v: Validator, focus: Node, values: Values) -> Iterator[tuple[None, None]]:
        if wanted not in values:
            yield None, None

    return check


def _in(shapes: Compiler, node: Node, head: Node) -> Check:
    allowed = set(shapes.graph.items(head))
    return each(lambda v, x: x in allowed)


COMPONENTS: dict[str, Builder] = {
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
    "not": logical("not"),
    "and": logical("and"),
    "or": logical("or"),
    "xone": logical("xone"),
    "node": logical("node"),
    "qualifiedMinCount": qualified(True),
    "qualifiedMaxCount": qualified(False),
    "closed": _closed,
    "hasValue": _has_value,
    "in": _in,
}
