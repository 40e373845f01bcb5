"""The formats oerkg writes: RDF serialisations and SPARQL results, with the names, file
extensions and media types pyoxigraph's `RdfFormat` and `QueryResultsFormat` carry."""

from __future__ import annotations

from enum import Enum

import pyoxigraph as ox


class Format(Enum):
    """An RDF format we publish, in the order the downloads page lists them."""

    TURTLE = ox.RdfFormat.TURTLE
    N_TRIPLES = ox.RdfFormat.N_TRIPLES
    N_QUADS = ox.RdfFormat.N_QUADS
    TRIG = ox.RdfFormat.TRIG
    JSON_LD = ox.RdfFormat.JSON_LD
    RDF_XML = ox.RdfFormat.RDF_XML

    def __init__(self, rdf_format: ox.RdfFormat) -> None:
        self.rdf_format = rdf_format
        self.ext = rdf_format.file_extension  # "ttl"
        self.media_type = rdf_format.media_type  # "text/turtle"
        self.label = rdf_format.name  # "Turtle"


# The formats of each entity's own files, next to its pages: what content negotiation offers
# for an entity IRI (Cool URIs for the Semantic Web §4.3), in order of preference.
ENTITY_FORMATS = (Format.TURTLE, Format.N_TRIPLES, Format.JSON_LD, Format.RDF_XML)

# The names `oerkg query --format`, `validate --report` and the endpoint's `format=` accept:
# SPARQL 1.1 Query Results formats for SELECT and ASK, RDF formats for CONSTRUCT and DESCRIBE.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": Format.TURTLE.rdf_format,
    "ntriples": Format.N_TRIPLES.rdf_format,
    "jsonld": Format.JSON_LD.rdf_format,
    "rdfxml": Format.RDF_XML.rdf_format,
}


def media_type(name: str) -> str:
    """Return the media type of a result or RDF format name (plain text for any other)."""
    if name in RESULT_FORMATS:
        return RESULT_FORMATS[name].media_type
    return GRAPH_FORMATS[name].media_type if name in GRAPH_FORMATS else "text/plain; charset=utf-8"


# A media type (without parameters) → the format name; generic JSON and XML mean the
# SPARQL results formats.
_BY_MEDIA_TYPE = {
    **{media_type(name).split(";")[0]: name for name in (*RESULT_FORMATS, *GRAPH_FORMATS)},
    "application/json": "json",
    "text/xml": "xml",
    "application/xml": "xml",
}


def format_for(media: str) -> str | None:
    """Map a media type or a format name (from Accept or `format=`) to a format name, or None."""
    media = media.split(";")[0].strip().lower()
    if media in RESULT_FORMATS or media in GRAPH_FORMATS:
        return media
    return _BY_MEDIA_TYPE.get(media)
