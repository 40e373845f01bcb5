"""Sorted N-Triples: the canonical text of a set of statements (dumps, entity descriptions)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox


def sorted_ntriples(quads: Iterable[ox.Quad]) -> bytes:
    """Return the statements of `quads`, graph names dropped, as sorted N-Triples without
    duplicates: diffs stay small, and the same statements always give the same bytes."""
    return sorted_lines(ox.serialize(_triples(quads), format=ox.RdfFormat.N_TRIPLES) or b"")


def sorted_lines(data: bytes) -> bytes:
    return joined_lines(set(data.splitlines()))


def joined_lines(lines: set[bytes]) -> bytes:
    """Return distinct lines sorted, each ended by a line feed."""
    return b"\n".join(sorted(lines)) + b"\n" if lines else b""


def _triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    for q in quads:
        yield ox.Triple(q.subject, q.predicate, q.object)
