"""Serialise the graph: whole-graph dumps in every format, and each entity's own RDF files."""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Collection, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import InputError
from .formats import ENTITY_FORMATS, Format
from .load import Project
from .model import Entity
from .ntriples import joined_lines, sorted_lines, sorted_ntriples

DUMP_NAME = "graph"


GZIPPED = (Format.N_TRIPLES, Format.N_QUADS)


@dataclass(frozen=True)
class Download:
    """One published dump file, as the downloads page, VoID and DCAT describe it."""

    path: str
    label: str
    media_type: str
    size: int
    sha256: str
    compressed: bool
    format: Format

    def order(self) -> tuple[int, bool]:
        """The order the downloads page lists dumps in: by format, plain before gzip."""
        return list(Format).index(self.format), self.compressed

    @property
    def graph_aware(self) -> bool:
        return self.format in (Format.N_QUADS, Format.TRIG)


def graph_texts(project: Project) -> tuple[bytes, bytes]:
    """Return the data as sorted N-Triples without duplicates, and as N-Quads with one named
    graph per source file (so provenance survives), sorted within each graph.

    Every other dump, the VoID statistics and the example queries are made from these bytes,
    parsed again where needed: a million parsed triples held in memory would take 0.35 GB.
    """
    graphs: list[bytes] = []
    statements: set[bytes] = set()
    for source in project.data:
        lines = sorted_lines(serialize(source.quads, format=ox.RdfFormat.N_QUADS))
        graphs.append(lines)
        # Its N-Triples are the same lines without the graph, which ends each of them, so the
        # statements are serialised once. (No term holds a raw line break: the N-Quads
        # grammar's IRIREF and STRING_LITERAL_QUOTE exclude #xA and #xD.)
        statements.update(lines.replace(f" <{source.graph.value}> .\n".encode(), b" .\n").splitlines())
    nt = joined_lines(statements)
    del statements  # before the N-Quads are joined: a million lines are 0.2 GB
    return nt, b"".join(graphs)


def dump_files(
    project: Project,
    nt: bytes,
    nq: bytes,
    *,
    formats: Collection[Format] = tuple(Format),
) -> Iterator[tuple[str, bytes]]:
    """Yield the dump files, one at a time so a large graph's dumps are never all in memory:
    the whole graph in each of `formats`, and gzip copies of N-Triples and N-Quads."""
    prefixes = _prefixes(project)
    plain = {Format.N_TRIPLES: nt, Format.N_QUADS: nq}
    zipped = [fmt for fmt in GZIPPED if fmt in formats]
    # zlib releases the GIL, so the two archives compress on two cores; level 6 is gzip's own
    # default and 2-3x faster than Python's 9 for a few percent of size.
    with ThreadPoolExecutor(2) as pool:
        packed = pool.map(lambda fmt: gzip.compress(plain[fmt], compresslevel=6, mtime=0), zipped)
        for fmt in zipped:
            yield dump_path(fmt), plain[fmt]
        for fmt, data in zip(zipped, packed, strict=True):
            yield dump_path(fmt, compressed=True), data
    if Format.TRIG in formats:
        quads = ox.parse(nq, format=ox.RdfFormat.N_QUADS)
        yield dump_path(Format.TRIG), serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes)
    for fmt in (Format.TURTLE, Format.JSON_LD, Format.RDF_XML):
        if fmt in formats:
            names = None if fmt == Format.JSON_LD else prefixes
            triples = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
            yield dump_path(fmt), serialize(triples, format=fmt.rdf_format, prefixes=names)


def download(path: str, data: bytes) -> Download:
    """Describe one dump file (size and checksum)."""
    compressed = path.endswith(".gz")
    fmt = next(f for f in Format if dump_path(f, compressed=compressed) == path)
    return Download(
        path,
        fmt.label + (" (gzip)" if compressed else ""),
        fmt.media_type,
        len(data),
        hashlib.sha256(data).hexdigest(),
        compressed,
        fmt,
    )


def checksums(items: Iterable[Download]) -> bytes:
    """Return a `sha256sum -c` compatible SHA256SUMS file for the dumps folder."""
    return "".join(f"{d.sha256}  {d.path.rsplit('/', 1)[-1]}\n" for d in items).encode()


def dump_path(fmt: Format, *, compressed: bool = False) -> str:
    return f"dumps/{DUMP_NAME}.{fmt.ext}" + (".gz" if compressed else "")


def entity_files(entity: Entity, prefixes: dict[str, str]) -> Iterator[tuple[str, bytes]]:
    """Yield the entity's own description (its CBD) in each per-entity format."""
    triples = list(ox.parse(entity.ntriples, format=ox.RdfFormat.N_TRIPLES))
    for fmt in ENTITY_FORMATS:
        if fmt == Format.N_TRIPLES:
            data = entity.ntriples  # already sorted N-Triples
        else:
            names = None if fmt == Format.JSON_LD else prefixes
            data = serialize(triples, format=fmt.rdf_format, prefixes=names)
        yield f"{entity.stem}.{fmt.ext}", data


def serialise_graph(project_quads: Iterable[ox.Quad], fmt: Format, prefixes: dict[str, str]) -> bytes:
    """Serialise some quads (ontology, shapes) as one graph in `fmt`."""
    triples = ox.parse(sorted_ntriples(project_quads), format=ox.RdfFormat.N_TRIPLES)
    return serialize(triples, format=fmt.rdf_format, prefixes=prefixes)


def serialize(
    items: Iterable[ox.Triple] | Iterable[ox.Quad],
    *,
    format: ox.RdfFormat,
    prefixes: dict[str, str] | None = None,
) -> bytes:
    """Serialise to bytes in memory (pyoxigraph returns bytes when given no output)."""
    data = ox.serialize(items, format=format, prefixes=prefixes)
    assert data is not None
    if format == ox.RdfFormat.RDF_XML:
        return _xml_safe(data)
    return data


# XML 1.0 §2.2 cannot carry these at all; §2.11 turns a raw carriage return into a line feed.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_safe(data: bytes) -> bytes:
    bad = _NOT_XML.search(data)
    if bad:
        raise InputError(
            f"a literal contains the control character U+{bad.group()[0]:04X}, which RDF/XML "
            "(XML 1.0) cannot carry; remove it from the data"
        )
    # pyoxigraph never writes a carriage return in markup, so every one is literal content.
    return data.replace(b"\r", b"&#13;")


def _prefixes(project: Project) -> dict[str, str]:
    # A prefix with a relative namespace would be written relative; ours are absolute after loading.
    return {p: ns for p, ns in sorted(project.prefixes.items()) if "://" in ns}
