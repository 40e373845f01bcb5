"""SHACL Core validation over pyoxigraph terms (W3C SHACL 1.0, sections 2 to 4).

pySHACL is the reference implementation; this engine exists because a build must validate a
million triples in seconds (pySHACL takes about ten times longer). It implements
the Core constraint components, targets and property paths; shapes that use anything else
(SHACL-SPARQL, SPARQL-based targets and constraint components, recursive shapes, any `sh:` term
it does not know) raise `Unsupported`, and the caller falls back to
pySHACL: a feature is never silently ignored. `tests/test_shacl.py` checks both give the same results.
"""

from ..vocab import Node
from .graph import Graph, Unsupported
from .paths import path_text
from .shapes import Shapes
from .validator import VIOLATION, Result

__all__ = ["VIOLATION", "Graph", "Node", "Result", "Shapes", "Unsupported", "path_text"]
