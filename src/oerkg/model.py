"""What the pages show, computed once: entities, labels per language, incoming links, terms."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral

import pyoxigraph as ox

from .config import Config
from .errors import InputError, InputErrors
from .load import Project
from .ntriples import sorted_ntriples
from .shape_docs import ShapeDoc, shape_docs
from .vocab import (
    DCTERMS,
    FOAF,
    OWL,
    RDF,
    RDF_FIRST,
    RDF_NIL,
    RDF_REST,
    RDF_TYPE,
    RDFS,
    SCHEMA,
    SKOS,
    Term,
    rdf_list,
)
from .vocab import curie as _curie

# Where a name or a description comes from, in order of preference.
LABEL_PROPERTIES = (
    f"{RDFS}label",
    f"{SKOS}prefLabel",
    f"{SCHEMA}name",
    f"{FOAF}name",
)
DESCRIPTION_PROPERTIES = (
    f"{SCHEMA}description",
    f"{RDFS}comment",
    f"{SKOS}definition",
    f"{DCTERMS}description",
)
CLASS_TYPES = {f"{OWL}Class", f"{RDFS}Class"}
PROPERTY_TYPES = {
    f"{OWL}ObjectProperty",
    f"{OWL}DatatypeProperty",
    f"{OWL}AnnotationProperty",
    f"{RDF}Property",
}

_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
_SAFE_CHAR = re.compile(r"[A-Za-z0-9._-]")


@dataclass(frozen=True)
class Value:
    """An object of a statement: an IRI, a literal or a blank node (with its own statements)."""

    kind: TypingLiteral["iri", "literal", "bnode"]
    value: str
    lang: str = ""
    datatype: str = ""


@dataclass(frozen=True)
class Entity:
    """One IRI subject of our entity space, and everything a page about it shows."""

    iri: str
    stem: str
    types: tuple[str, ...]
    props: tuple[tuple[str, tuple[Value, ...]], ...]  # predicate → values, in file order
    incoming: tuple[tuple[str, tuple[str, ...]], ...]  # predicate → subjects, sorted
    # Its description (its statements and those of the blank nodes they reach) as sorted
    # N-Triples: one bytes object rather than a parsed quad per statement, so the model stays
    # compact and forked processes reading it copy few memory pages.
    ntriples: bytes = field(repr=False)

    def values(self, predicate: str) -> tuple[Value, ...]:
        return next((vs for p, vs in self.props if p == predicate), ())


@dataclass(frozen=True)
class OntologyTerm:
    """A class or property of the ontology, or a reused standard term with display labels."""

    iri: str
    kind: TypingLiteral["class", "property", "individual", "other"]
    labels: dict[str, str]
    comments: dict[str, str]
    inverse_labels: dict[str, str]
    domain: tuple[str, ...] = ()
    range: tuple[str, ...] = ()
    supers: tuple[str, ...] = ()
    ours: bool = False


@dataclass(frozen=True)
class Label:
    """A name in the language asked for, or the fallback used when that translation is missing."""

    text: str
    lang: str
    fallback: bool


@dataclass
class Model:
    """The graph as the site sees it; built once, read by render, dumps and describe."""

    config: Config
    entities: dict[str, Entity]
    terms: dict[str, OntologyTerm]
    labels: dict[str, dict[str, str]]
    descriptions: dict[str, dict[str, str]]
    bnodes: dict[str, tuple[tuple[str, tuple[Value, ...]], ...]]
    prefixes: dict[str, str]
    shapes: tuple[ShapeDoc, ...]  # what each class requires, for the shapes page
    # The owl:Ontology's own statements (title, version, creators, licence, abstract), for the
    # ontology page's header: (its IRI, predicate -> values).
    ontology: tuple[str, tuple[tuple[str, tuple[Value, ...]], ...]] = ("", ())

    def label(self, iri: str, lang: str) -> Label:
        """Return the label in `lang`, else English (marked as a fallback), else a short name."""
        names = self.labels.get(iri) or self.terms.get(iri, _NO_TERM).labels
        return _pick(names, lang) or Label(self.curie(iri), "", False)

    def description(self, iri: str, lang: str) -> Label | None:
        return _pick(self.descriptions.get(iri) or self.terms.get(iri, _NO_TERM).comments, lang)

    def curie(self, iri: str) -> str:
        return _curie(iri, self.prefixes) or iri

    def list_members(self, node: str, *, limit: int | None = None) -> list[Value]:
        """Return the members of the RDF list at blank node `node`, as far as it is well formed."""

        def first(n: str) -> Value | None:
            values = dict(self.bnodes.get(n, ())).get(RDF_FIRST, ())
            return values[0] if values else None

        def rest(n: str) -> str | None:
            values = dict(self.bnodes.get(n, ())).get(RDF_REST, ())
            end = values[0] if values else None
            return end.value if end and (end.kind == "bnode" or end == Value("iri", RDF_NIL)) else None

        return rdf_list(node, first, rest, RDF_NIL, limit=limit)[0]

    def stem(self, iri: str) -> str | None:
        """Return the output path (without extension) of an IRI we publish a page for."""
        entity = self.entities.get(iri)
        return entity.stem if entity else None


_NO_TERM = OntologyTerm("", "other", {}, {}, {})


def _pick(texts: dict[str, str], lang: str) -> Label | None:
    """Return the text in `lang`, else English or another language marked as a fallback."""
    if lang in texts:
        return Label(texts[lang], lang, False)
    other = next((lg for lg in ("en", *sorted(texts)) if lg in texts), None)
    return Label(texts[other], other, True) if other else None


def output_stem(iri: str, config: Config) -> str | None:
    """Map an IRI under the base to a safe relative file path without extension.

    Safe path segments are kept as they are, so paths mirror IRIs; any other character (and a
    leading dot, so `..` and hidden files cannot occur) becomes `~XX` per UTF-8 byte, which keeps
    the mapping one-to-one and every file inside the output folder.
    """
    if not iri.startswith(config.base):
        return None
    return "/".join(_safe_segment(s) for s in iri[len(config.base) :].split("/"))


def _safe_segment(segment: str) -> str:
    if not segment:
        return "~"
    if _SAFE_SEGMENT.fullmatch(segment):
        return segment
    return "".join(
        c if _SAFE_CHAR.fullmatch(c) and (i or c != ".") else "".join(f"~{b:02X}" for b in c.encode())
        for i, c in enumerate(segment)
    )


def build_model(project: Project) -> Model:
    """Compute entities, labels, descriptions and incoming links in one pass over the quads."""
    config = project.config
    space = config.entity_space
    props: dict[str, dict[str, list[Value]]] = defaultdict(lambda: defaultdict(list))
    quads_of: dict[str, list[ox.Quad]] = defaultdict(list)
    incoming: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    bnode_props: dict[str, dict[str, list[Value]]] = defaultdict(lambda: defaultdict(list))
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    descriptions: dict[str, dict[str, str]] = defaultdict(dict)

    for q in project.data_quads():
        s, p, o = q.subject, q.predicate.value, q.object
        assert not isinstance(s, ox.Triple)  # Turtle 1.2 has triple terms as objects only
        value = to_value(o)
        _collect_text(s, p, o, labels, descriptions)
        if isinstance(s, ox.BlankNode):
            bnode_props[s.value][p].append(value)
            quads_of["_:" + s.value].append(q)
            continue
        props[s.value][p].append(value)
        quads_of[s.value].append(q)
        if isinstance(o, ox.NamedNode) and o.value.startswith(space):
            incoming[o.value][p].add(s.value)

    entities: dict[str, Entity] = {}
    stems: dict[str, str] = {}
    errors: list[InputError] = []
    for iri in sorted(i for i in props if i.startswith(space)):
        stem = output_stem(iri, config)
        assert stem is not None
        clash = stems.get(stem.casefold())
        if clash:
            errors.append(
                InputError(
                    f"{clash} and {iri} would be published as the same file {stem}.html "
                    "(IRIs must differ by more than letter case)",
                    path=found[0] if (found := project.locate(iri)) else None,
                )
            )
            continue
        stems[stem.casefold()] = iri
        entity_props = props[iri]
        entities[iri] = Entity(
            iri=iri,
            stem=stem,
            types=tuple(v.value for v in entity_props.get(RDF_TYPE, ()) if v.kind == "iri"),
            props=tuple((p, tuple(vs)) for p, vs in entity_props.items()),
            incoming=tuple(
                (p, tuple(sorted(subjects))) for p, subjects in sorted(incoming[iri].items())
            ),
            ntriples=sorted_ntriples(_closure(quads_of, iri)),
        )
    if errors:
        raise InputErrors(errors)
    terms = _terms(project)
    return Model(
        config=config,
        entities=entities,
        terms=terms,
        labels=dict(labels),
        descriptions=dict(descriptions),
        bnodes={b: tuple((p, tuple(vs)) for p, vs in ps.items()) for b, ps in bnode_props.items()},
        prefixes=dict(project.prefixes),
        shapes=shape_docs(project.shapes),
        ontology=_ontology_header(project),
    )


def _ontology_header(project: Project) -> tuple[str, tuple[tuple[str, tuple[Value, ...]], ...]]:
    """Return the first owl:Ontology of the ontology files and its statements, in file order."""
    quads = [q for source in project.ontology for q in source.quads]
    iri = next(
        (
            q.subject.value
            for q in quads
            if q.predicate.value == RDF_TYPE
            and q.object == ox.NamedNode(f"{OWL}Ontology")
            and isinstance(q.subject, ox.NamedNode)
        ),
        "",
    )
    found: dict[str, list[Value]] = defaultdict(list)
    for q in quads:
        if isinstance(q.subject, ox.NamedNode) and q.subject.value == iri:
            found[q.predicate.value].append(to_value(q.object))
    return iri, tuple((p, tuple(vs)) for p, vs in found.items())


def to_value(term: object) -> Value:
    """Convert a pyoxigraph term to the Value the pages show."""
    if isinstance(term, ox.NamedNode):
        return Value("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return Value("bnode", term.value)
    assert isinstance(term, ox.Literal)
    return Value("literal", term.value, term.language or "", term.datatype.value)


def _collect_text(
    s: object,
    p: str,
    o: object,
    labels: dict[str, dict[str, str]],
    descriptions: dict[str, dict[str, str]],
) -> None:
    if not isinstance(o, ox.Literal) or not isinstance(s, ox.NamedNode):
        return
    lang = o.language or "en"
    if p in LABEL_PROPERTIES:
        labels[s.value].setdefault(lang, o.value)
    elif p in DESCRIPTION_PROPERTIES:
        descriptions[s.value].setdefault(lang, o.value)


def _closure(quads_of: dict[str, list[ox.Quad]], iri: str) -> list[ox.Quad]:
    """Return the statements about `iri` plus those about the blank nodes it reaches (its CBD)."""
    result: list[ox.Quad] = []
    todo, seen = [iri], {iri}
    while todo:
        for q in quads_of.get(todo.pop(), ()):
            result.append(q)
            if isinstance(q.object, ox.BlankNode) and "_:" + q.object.value not in seen:
                seen.add("_:" + q.object.value)
                todo.append("_:" + q.object.value)
    return result


def _terms(project: Project) -> dict[str, OntologyTerm]:
    ours = project.config.ontology_ns
    inverse = f"{ours}inverseLabel"
    facts: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for source in project.ontology:
        for q in source.quads:
            if isinstance(q.subject, ox.NamedNode):
                facts[q.subject.value][q.predicate.value].append(q.object)

    def texts(f: dict[str, list], predicate: str) -> dict[str, str]:
        return {(o.language or "en"): o.value for o in f.get(predicate, ()) if isinstance(o, ox.Literal)}

    def iris(f: dict[str, list], predicate: str) -> tuple[str, ...]:
        return tuple(sorted(o.value for o in f.get(predicate, ()) if isinstance(o, ox.NamedNode)))

    terms: dict[str, OntologyTerm] = {}
    for iri, f in facts.items():
        types = set(iris(f, RDF_TYPE))
        kind: TypingLiteral["class", "property", "individual", "other"] = (
            "class"
            if types & CLASS_TYPES
            else "property"
            if types & PROPERTY_TYPES
            else "individual"
            if types
            else "other"
        )
        terms[iri] = OntologyTerm(
            iri=iri,
            kind=kind,
            labels=texts(f, f"{RDFS}label"),
            comments=texts(f, f"{RDFS}comment"),
            inverse_labels=texts(f, inverse),
            domain=iris(f, f"{RDFS}domain"),
            range=iris(f, f"{RDFS}range"),
            supers=iris(f, f"{RDFS}subClassOf") + iris(f, f"{RDFS}subPropertyOf"),
            ours=iri.startswith(ours),
        )
    return terms
