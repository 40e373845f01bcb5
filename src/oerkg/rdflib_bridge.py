"""Convert between pyoxigraph's terms and rdflib's, for pySHACL and the tests' independent checks.

Only the pySHACL fallback imports this module (and so rdflib, about 90 ms to import): the rest
of oerkg works on pyoxigraph terms.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .load import SourceFile
from .vocab import XSD_STRING


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph) -> Node:
    """Convert a pyoxigraph term to the rdflib term pySHACL and rdflib tools expect."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:  # RDF 1.1 simple literal: rdflib leaves it untyped
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def from_rdflib(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term back to pyoxigraph's."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD_STRING)))
    raise TypeError(f"unsupported term {term!r}")


def from_rdflib_triples(graph: Graph) -> Iterator[ox.Triple]:
    for s, p, o in graph:
        yield ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o))  # type: ignore[arg-type]


def rdflib_triples(triples: Iterable[ox.Triple]) -> Graph:
    """Copy triples into an rdflib graph (for pySHACL), quietly: see `rdflib_graph`."""
    graph = Graph()
    term_log = logging.getLogger("rdflib.term")
    quiet = logging.Filter("no-such-logger")
    term_log.addFilter(quiet)
    try:
        for t in triples:
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    finally:
        term_log.removeFilter(quiet)
    return graph


def rdflib_graph(sources: Iterable[SourceFile]) -> Graph:
    """Merge the given files into one rdflib graph (the default graph)."""
    graph = Graph()
    # rdflib logs a traceback for every ill-typed literal ("2020-02-30"^^xsd:date); the SHACL
    # datatype check reports those as violations, so the log is noise for our users.
    term_log = logging.getLogger("rdflib.term")
    quiet = logging.Filter("no-such-logger")  # passes only records of that (absent) logger
    term_log.addFilter(quiet)
    try:
        for source in sources:
            for prefix, ns in source.prefixes.items():
                graph.bind(prefix, ns, override=False)
            for q in source.quads:
                graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    finally:
        term_log.removeFilter(quiet)
    return graph
