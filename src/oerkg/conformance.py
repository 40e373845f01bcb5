"""Check data against SHACL shapes: the native engine where it can, pySHACL where it must.

Either way the outcome is the W3C validation report (SHACL 1.0 §3.6). The native engine
(`shacl/`) runs unless the shapes use a feature it does not implement; then pySHACL runs and the
`Unsupported` feature comes back with the report, so the caller can say so. Used by `validate`
(the project's shapes) and by the `oerkg shacl` command (any files).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from .errors import InputError, InputErrors, ShapesError
from .known_terms import shacl_term
from .load import read_rdf
from .report import ValidationReport
from .shacl import VIOLATION, Graph, Result, Shapes, Unsupported
from .vocab import RDF_TYPE, SH, Node


def validate_shapes(shapes: list[ox.Quad], data: Graph) -> tuple[ValidationReport, Unsupported | None]:
    """Validate against SHACL shapes (no inference): natively, or with pySHACL when it must.

    The native engine runs when it implements every feature the shapes use; otherwise pySHACL does,
    and the `Unsupported` feature that sent it there comes back with the report. A shape's `sh:`
    term that SHACL does not define (a typo, or a later version's) stops here: pySHACL would
    ignore it and report "conforms".
    """
    try:
        compiled = Shapes.from_quads(shapes)
    except Unsupported as exc:
        if exc.term is not None and not shacl_term(exc.term):
            raise ShapesError(
                f"shape {exc.node} uses {exc.feature}, which SHACL does not define "
                "(https://www.w3.org/ns/shacl#, SHACL 1.0 and SHACL Advanced Features): check the "
                "spelling; no validator would check it"
            ) from None
        return _pyshacl_report(shapes, data, exc), exc
    return ValidationReport(tuple(compiled.validate(data)), compiled.graph), None


def validate_files(
    shapes: Sequence[Path], data: Sequence[Path], *, base: str | None
) -> tuple[ValidationReport, Unsupported | None]:
    """Validate RDF files of any syntax against shapes in RDF files of any syntax.

    The report writes IRIs with the prefixes the files declare (the first file's, for a prefix
    two files declare differently).
    """
    errors: list[InputError] = []
    graphs: list[list[ox.Quad]] = [[], []]
    prefixes: dict[str, str] = {}
    for n, path in enumerate((*data, *shapes)):
        try:
            quads, declared = read_rdf(path, base=base, label=f"f{n + 1}n")
        except InputError as exc:
            errors.append(exc)
            continue
        graphs[n < len(data)].extend(quads)
        prefixes = {**declared, **prefixes}
    if errors:
        raise InputErrors(errors)
    report, fallback = validate_shapes(graphs[0], Graph(graphs[1]))
    return replace(report, prefixes=prefixes), fallback


def _pyshacl_report(shapes: list[ox.Quad], data: Graph, why: Unsupported) -> ValidationReport:
    """Validate with pySHACL (SHACL Core and SHACL-SPARQL) and read its report's results."""
    import pyshacl  # imported here: slow to import, and only shapes beyond the native engine need it
    import rdflib

    from .rdflib_bridge import from_rdflib_triples, rdflib_triples

    # SHACL-AF only for its custom targets (sh:target), which SHACL Core alone would skip silently.
    advanced = any(q.predicate.value == SH + "target" for q in shapes)
    try:
        # No copy of the data graph: it was built for this run.
        _, found, _ = pyshacl.validate(
            rdflib_triples(data.triples()),
            shacl_graph=rdflib_triples(q.triple for q in shapes),
            inference="none",
            advanced=advanced,
            inplace=True,
        )
    except Exception as exc:  # noqa: BLE001 - any error of pySHACL's means it could not validate
        raise _beyond_both(why, f"{type(exc).__name__}: {exc}") from None
    if not isinstance(found, rdflib.Graph):  # pySHACL returns a ValidationFailure for some inputs
        raise _beyond_both(why, str(found))
    graph = Graph(from_rdflib_triples(found))
    results = []
    for node in graph.subjects(RDF_TYPE, ox.NamedNode(SH + "ValidationResult")):
        if not graph.subjects(SH + "result", node):
            continue  # a nested sh:detail result, not one of the report's
        value = graph.value(node, SH + "value")
        # SHACL §3.6.2: every result has a focus node, a severity, a source shape and component.
        results.append(
            Result(
                cast(Node, graph.value(node, SH + "focusNode")),
                cast(ox.NamedNode | ox.BlankNode | None, graph.value(node, SH + "resultPath")),
                cast(ox.NamedNode, graph.value(node, SH + "resultSeverity") or VIOLATION),
                cast(Node, graph.value(node, SH + "sourceShape")),
                cast(ox.NamedNode, graph.value(node, SH + "sourceConstraintComponent")),
                value,
                tuple(m for m in graph.objects(node, SH + "resultMessage") if isinstance(m, ox.Literal)),
            )
        )
    return ValidationReport(tuple(results), graph)


def _beyond_both(why: Unsupported, reason: str) -> ShapesError:
    return ShapesError(
        f"shape {why.node} uses {why.feature}, which the native SHACL engine does not implement, "
        f"and pySHACL could not validate it either: {reason.strip()}"
    )
