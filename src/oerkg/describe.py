"""Describe the dataset: VoID (with partitions and linksets) and a DCAT 3 / DCAT-AP catalogue."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from .config import Config
from .dumps import Download, serialize
from .model import Model
from .vocab import DCAT, DCTERMS, FOAF, IANA, RDF_TYPE, RDFS, SPDX, VOID, XSD

RDFS_RESOURCE = f"{RDFS}Resource"
PREFIXES = {
    "void": VOID,
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "spdx": SPDX,
    "xsd": XSD,
    "rdfs": RDFS,
}

# External datasets we count links to (VoID §4 linksets), by the IRI space of their resources.
LINK_TARGETS = {
    "wikidata": ("Wikidata", "http://www.wikidata.org/entity/"),
    "un-sdg": ("UN SDG Knowledge Organization System", "http://metadata.un.org/sdg/"),
    "unesco-thesaurus": ("UNESCO Thesaurus", "http://vocabularies.unesco.org/thesaurus/"),
}


class _Graph:
    """A small triple builder: IRIs as str, literals as ox.Literal."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(self, s: str, p: str, o: str | ox.Literal) -> None:
        obj = o if isinstance(o, ox.Literal) else ox.NamedNode(o)
        self.triples.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), obj))

    def text(self, s: str, p: str, text: str, lang: str = "en") -> None:
        self.add(s, p, ox.Literal(text, language=lang))

    def typed(self, s: str, p: str, value: object, datatype: str) -> None:
        self.add(s, p, ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype)))

    def turtle(self) -> bytes:
        triples = sorted(set(self.triples), key=str)
        return serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def dataset_iri(config: Config) -> str:
    return f"{config.base}dataset"


def void_description(model: Model, ntriples: bytes, downloads: Sequence[Download]) -> bytes:
    """Return the VoID description (https://www.w3.org/TR/void/) of the published data, given
    as N-Triples."""
    config = model.config
    counts = _Counts.of(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    ds = dataset_iri(config)
    g = _Graph()
    g.add(ds, RDF_TYPE, VOID + "Dataset")
    _about(g, ds, config)
    g.typed(ds, VOID + "triples", counts.triples, "integer")
    g.typed(ds, VOID + "entities", len(model.entities), "integer")
    g.typed(ds, VOID + "distinctSubjects", counts.subjects, "integer")
    g.typed(ds, VOID + "properties", len(counts.properties), "integer")
    g.add(ds, VOID + "uriSpace", ox.Literal(config.entity_space))
    g.add(ds, VOID + "sparqlEndpoint", f"{config.base}sparql")
    g.add(ds, VOID + "rootResource", f"{config.base}")
    for d in downloads:
        g.add(ds, VOID + "dataDump", config.base + d.path)
    for iri in _examples(model):
        g.add(ds, VOID + "exampleResource", iri)
    used = counts.properties.keys() | counts.classes.keys()
    prefixes = model.prefixes.values()
    for ns in sorted({ns for ns in prefixes if "://" in ns and any(u.startswith(ns) for u in used)}):
        g.add(ds, VOID + "vocabulary", ns)

    # Class and property partitions (VoID §4.5 and §4.6).
    for cls, count in sorted(counts.classes.items()):
        part = f"{ds}/class/{_slug(model.curie(cls))}"
        g.add(ds, VOID + "classPartition", part)
        g.add(part, VOID + "class", cls)
        g.typed(part, VOID + "entities", count, "integer")
    for prop, count in sorted(counts.properties.items()):
        part = f"{ds}/property/{_slug(model.curie(prop))}"
        g.add(ds, VOID + "propertyPartition", part)
        g.add(part, VOID + "property", prop)
        g.typed(part, VOID + "triples", count, "integer")

    # Linksets to the external datasets we link to (VoID §3), one per target and predicate.
    for key, (title, space) in LINK_TARGETS.items():
        links = counts.links[key]
        if not links:
            continue
        target = f"{config.base}dataset/target/{key}"
        g.add(target, RDF_TYPE, VOID + "Dataset")
        g.text(target, DCTERMS + "title", title)
        g.add(target, VOID + "uriSpace", ox.Literal(space))
        for prop, count in sorted(links.items()):
            linkset = f"{ds}/linkset/{key}/{_slug(model.curie(prop))}"
            g.add(ds, VOID + "subset", linkset)
            g.add(linkset, RDF_TYPE, VOID + "Linkset")
            g.add(linkset, VOID + "subjectsTarget", ds)
            g.add(linkset, VOID + "objectsTarget", target)
            g.add(linkset, VOID + "linkPredicate", prop)
            g.typed(linkset, VOID + "triples", count, "integer")
    return g.turtle()


@dataclass
class _Counts:
    """What VoID counts, in one pass over the statements (never all held at once)."""

    triples: int = 0
    subjects: int = 0
    properties: Counter[str] = field(default_factory=Counter)  # predicate → statements
    classes: Counter[str] = field(default_factory=Counter)  # class → instances
    links: dict[str, Counter[str]] = field(default_factory=dict)  # target → predicate → links

    @classmethod
    def of(cls, triples: Iterable[ox.Triple]) -> _Counts:
        counts = cls(links={key: Counter() for key in LINK_TARGETS})
        spaces = [(counts.links[key], space) for key, (_, space) in LINK_TARGETS.items()]
        subjects: set[str] = set()
        for t in triples:
            counts.triples += 1
            subjects.add(str(t.subject))
            predicate, o = t.predicate.value, t.object
            counts.properties[predicate] += 1
            if isinstance(o, ox.NamedNode):
                if predicate == RDF_TYPE:
                    counts.classes[o.value] += 1
                for links, space in spaces:
                    if o.value.startswith(space):
                        links[predicate] += 1
        counts.subjects = len(subjects)
        return counts


def dcat_catalogue(config: Config, downloads: Sequence[Download], build_date: str) -> bytes:
    """Return a DCAT 3 catalogue that conforms to DCAT-AP 3.0.1 (one distribution per dump)."""
    base, ds = config.base, dataset_iri(config)
    catalog, service, publisher = f"{base}catalog", f"{base}sparql-service", f"{base}publisher"
    g = _Graph()
    g.add(catalog, RDF_TYPE, DCAT + "Catalog")
    g.text(catalog, DCTERMS + "title", f"Catalogue of {config.dataset.title}")
    g.text(catalog, DCTERMS + "description", f"The datasets and services of {config.dataset.title}.")
    g.add(catalog, DCTERMS + "publisher", publisher)
    g.add(catalog, DCAT + "dataset", ds)
    g.add(catalog, DCAT + "service", service)
    g.add(catalog, FOAF + "homepage", base)
    g.add(base, RDF_TYPE, FOAF + "Document")
    g.add(catalog, DCTERMS + "license", config.dataset.license)
    g.typed(catalog, DCTERMS + "modified", build_date, "date")

    g.add(publisher, RDF_TYPE, FOAF + "Agent")
    g.text(publisher, FOAF + "name", config.dataset.publisher_name)
    if config.dataset.publisher_url:
        g.add(publisher, FOAF + "homepage", config.dataset.publisher_url)
        g.add(config.dataset.publisher_url, RDF_TYPE, FOAF + "Document")

    g.add(ds, RDF_TYPE, DCAT + "Dataset")
    _about(g, ds, config)
    g.add(ds, DCAT + "landingPage", base)
    g.typed(ds, DCTERMS + "modified", build_date, "date")
    for keyword in config.dataset.keywords:
        g.text(ds, DCAT + "keyword", keyword)
    g.add(config.dataset.license, RDF_TYPE, DCTERMS + "LicenseDocument")

    for d in downloads:
        dist = f"{base}dataset/distribution/{d.path.rsplit('/', 1)[-1]}"
        url = base + d.path
        g.add(ds, DCAT + "distribution", dist)
        g.add(dist, RDF_TYPE, DCAT + "Distribution")
        g.text(dist, DCTERMS + "title", f"{config.dataset.title} ({d.label})")
        g.add(dist, DCAT + "accessURL", url)
        g.add(dist, DCAT + "downloadURL", url)
        g.add(url, RDF_TYPE, RDFS_RESOURCE)
        media = IANA + (d.format.media_type if not d.compressed else "application/gzip")
        g.add(dist, DCAT + "mediaType", IANA + d.format.media_type)
        g.add(IANA + d.format.media_type, RDF_TYPE, DCTERMS + "MediaType")
        if d.compressed:
            g.add(dist, DCAT + "compressFormat", media)
            g.add(media, RDF_TYPE, DCTERMS + "MediaType")
        g.typed(dist, DCAT + "byteSize", d.size, "nonNegativeInteger")
        g.add(dist, DCTERMS + "license", config.dataset.license)
        g.typed(dist, DCTERMS + "modified", build_date, "date")
        checksum = f"{dist}/checksum"
        g.add(dist, SPDX + "checksum", checksum)
        g.add(checksum, RDF_TYPE, SPDX + "Checksum")
        g.add(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
        g.add(SPDX + "checksumAlgorithm_sha256", RDF_TYPE, SPDX + "ChecksumAlgorithm")
        g.typed(checksum, SPDX + "checksumValue", d.sha256, "hexBinary")

    g.add(service, RDF_TYPE, DCAT + "DataService")
    g.text(service, DCTERMS + "title", f"SPARQL endpoint of {config.dataset.title}")
    g.add(service, DCAT + "endpointURL", f"{base}sparql")
    g.add(f"{base}sparql", RDF_TYPE, RDFS_RESOURCE)
    g.add(service, DCAT + "servesDataset", ds)
    g.add(service, DCTERMS + "conformsTo", "https://www.w3.org/TR/sparql11-protocol/")
    g.add("https://www.w3.org/TR/sparql11-protocol/", RDF_TYPE, DCTERMS + "Standard")
    g.add(service, DCTERMS + "license", config.dataset.license)
    return g.turtle()


def _about(g: _Graph, ds: str, config: Config) -> None:
    g.text(ds, DCTERMS + "title", config.dataset.title)
    g.text(ds, DCTERMS + "description", config.dataset.description or config.dataset.title)
    g.add(ds, DCTERMS + "license", config.dataset.license)
    g.add(ds, DCTERMS + "publisher", f"{config.base}publisher")


def _examples(model: Model, limit: int = 3) -> list[str]:
    """Pick the most linked-to entities as examples (ties broken by IRI, so builds are stable)."""
    ranked = sorted(model.entities.values(), key=lambda e: (-sum(len(s) for _, s in e.incoming), e.iri))
    return [e.iri for e in ranked[:limit]]


def _slug(curie: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in curie)
