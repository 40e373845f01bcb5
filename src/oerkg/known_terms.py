"""The terms of the well-known vocabularies a data file may use, listed offline.

The lists are rdflib's (its `DefinedNamespace`s), kept in `known_terms.json` so that validation
does not import rdflib, which costs about 90 ms of every command. `python -m oerkg.known_terms`
writes the file again from the installed rdflib; `tests/test_validate.py` checks they agree.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from .vocab import SH

LISTS = Path(__file__).with_name("known_terms.json")
# schema.org is published under both schemes; rdflib lists it under https only.
_ALIASES = {"http://schema.org/": "https://schema.org/"}


@cache
def _lists() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    lists: dict[str, Any] = json.loads(LISTS.read_text(encoding="utf-8"))
    terms = {ns: frozenset(names) for ns, names in lists["terms"].items()}
    for alias, ns in _ALIASES.items():
        terms[alias] = terms[ns]
    return terms, frozenset(lists["numbered"])


@cache
def _shacl() -> frozenset[str]:
    return frozenset(json.loads(LISTS.read_text(encoding="utf-8"))["shacl"])


def shacl_term(iri: str) -> bool:
    """Is the IRI a term of the SHACL vocabulary (SHACL 1.0 and SHACL Advanced Features)?"""
    return iri.removeprefix(SH) in _shacl()


def known_term(iri: str) -> bool | None:
    """Is the IRI a term of a known vocabulary? None when it is in none of their namespaces."""
    terms, numbered = _lists()
    for ns, names in terms.items():
        if iri.startswith(ns):
            local = iri[len(ns) :]
            # rdf:_1, rdf:_2, ... (RDF 1.1 Semantics §5.1, container membership properties)
            return local in names or (ns in numbered and local[:1] == "_" and local[1:].isdigit())
    return None


def from_rdflib() -> dict[str, Any]:
    """The same lists, read from rdflib's namespaces as its `DefinedNamespace.__contains__` reads them."""
    from rdflib.namespace import (
        DCAT,
        DCTERMS,
        FOAF,
        ORG,
        OWL,
        PROV,
        RDF,
        RDFS,
        SDO,
        SH,
        SKOS,
        TIME,
        VOID,
        XSD,
        DefinedNamespace,
    )

    terms: dict[str, list[str]] = {}
    numbered = []
    for ns in (SDO, ORG, SKOS, PROV, DCTERMS, OWL, RDF, RDFS, XSD, FOAF, DCAT, TIME, VOID):
        found: set[str] = set()
        for c in ns.mro():
            if issubclass(c, DefinedNamespace):
                found |= set(c.__dict__.get("__annotations__", {})) | set(c._extras)
        terms[str(ns._NS)] = sorted(found)
        if ns._underscore_num:
            numbered.append(str(ns._NS))
    shacl = sorted(n for n in SH.__annotations__ if not n.startswith("_")) + sorted(SH._extras)
    return {"terms": terms, "numbered": numbered, "shacl": shacl}


if __name__ == "__main__":
    LISTS.write_text(json.dumps(from_rdflib(), indent=0) + "\n", encoding="utf-8")
