"""The vocabularies oerkg reads and writes: their namespaces, the terms several modules use,
short names (CURIEs) and RDF lists."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "http://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
SH = "http://www.w3.org/ns/shacl#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
SD = "http://www.w3.org/ns/sparql-service-description#"
IANA = "http://www.iana.org/assignments/media-types/"

RDF_TYPE = f"{RDF}type"
RDF_FIRST = f"{RDF}first"
RDF_REST = f"{RDF}rest"
RDF_NIL = f"{RDF}nil"
RDF_LANG_STRING = f"{RDF}langString"
XSD_STRING = f"{XSD}string"
XSD_BOOLEAN = f"{XSD}boolean"
PROV_DERIVED = f"{PROV}wasDerivedFrom"

# A node of a graph, and any term pyoxigraph gives (RDF-star adds quoted triples).
Node = ox.NamedNode | ox.BlankNode | ox.Literal
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

N = TypeVar("N", bound=Hashable)
T = TypeVar("T")


def curie(iri: str, prefixes: dict[str, str]) -> str | None:
    """Shorten an IRI with the longest matching prefix (`schema:name`); None when no prefix
    leaves a local name."""
    best = max((ns for ns in prefixes.values() if iri.startswith(ns)), key=len, default="")
    if not best or not iri[len(best) :]:
        return None
    prefix = next(p for p, ns in prefixes.items() if ns == best)
    return f"{prefix}:{iri[len(best) :]}"


def rdf_list(
    head: N,
    first: Callable[[N], T | None],
    rest: Callable[[N], N | None],
    nil: N,
    *,
    limit: int | None = None,
) -> tuple[list[T], bool]:
    """Return the members of the RDF list at `head` (RDF 1.1 Semantics, Appendix D.3: a chain
    of rdf:first and rdf:rest ending at rdf:nil) and whether it is well formed.

    `first(node)` and `rest(node)` read a node's rdf:first and rdf:rest, or None. The walk
    stops early, the list not well formed, at a node without rdf:first or rdf:rest, where the
    list loops back, or past `limit` members.
    """
    members: list[T] = []
    seen: set[N] = set()
    node: N | None = head
    while node != nil:
        item = None if node is None or node in seen else first(node)
        if node is None or item is None or (limit is not None and len(members) >= limit):
            return members, False
        seen.add(node)
        members.append(item)
        node = rest(node)
    return members, True
