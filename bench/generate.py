#!/usr/bin/env python3
"""Write a synthetic oerkg project of a given size, shaped like the real one, from a seed.

    python bench/generate.py OUT --scale 100k [--seed 1] [--violations N] [--triples N]

The project gets the real `ontology/`, `shapes/`, `queries/`, `site_templates/` and `oerkg.toml`
of this repository and generated `data/*.ttl` (one file per kind of entity): organisations,
working groups, concepts in schemes, events, documents, people with roles, places, sources.
Every entity has an English label, most have French and Swedish ones (the missing ones are
validation warnings), a description, links to other entities and at least one source.
About 10 triples per entity; the total is within 2% of the target. The same seed gives the same
bytes. `--violations N` injects exactly N SHACL violations of known kinds (see VIOLATION_KINDS).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
COPIED = ("ontology", "shapes", "queries", "site_templates")

# How many entities of each kind per 100 (the rest are fixed or derived).
MIX = {
    "coalition": 1,
    "organisation": 9,
    "unit": 4,
    "concept": 12,
    "event": 15,
    "document": 20,
    "person": 13,
    "membership": 14,
    "place": 4,
    "source": 8,
}
AREAS = 5  # Areas of Action, as in the Recommendation; working groups address areas 1-4
CONCEPTS_PER_SCHEME = 40
MEMBERSHIPS_PER_ROLE = 150

# A few real external IRIs (Wikidata, UNESCO Thesaurus, UN SDG), each linked from one entity.
WIKIDATA = [
    f"http://www.wikidata.org/entity/Q{n}" for n in (437, 90, 64, 585, 215, 142, 183, 20, 34, 1490)
]
THESAURUS = [
    "http://vocabularies.unesco.org/thesaurus/concept17093",
    "http://vocabularies.unesco.org/thesaurus/concept8622",
]
ATTENDANCE = (
    "schema:OfflineEventAttendanceMode",
    "schema:OnlineEventAttendanceMode",
    "schema:MixedEventAttendanceMode",
)
SDG = ["http://metadata.un.org/sdg/4", "http://metadata.un.org/sdg/4.1", "http://metadata.un.org/sdg/1"]

# Each kind is one injected SHACL violation of a focus node (issue 2, shapes/).
VIOLATION_KINDS = ("missing-english-label", "end-before-start", "two-areas", "missing-source")

PREFIXES = """\
@prefix :        <id/> .
@prefix src:     <id/source/> .
@prefix oerdc:   <ontology#> .
@prefix schema:  <http://schema.org/> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
"""

_SYLLABLE_TEXT = (
    "ka va lo mi ra te su no di be an el or us ik ta ve lu ro sa mo ni de ga fi ho ju ly "
    "pe qu ri so tu wa xe yo zu bra cle dro fla gri plo stu tre vin"
)
SYLLABLES = _SYLLABLE_TEXT.split()
WORDS = {
    "en": "open learning resources policy network quality access capacity model regional national "
    "digital inclusive equitable community sustainable review strategy practice",
    "fr": "ouvert apprentissage ressources politique réseau qualité accès capacité modèle régional "
    "national numérique inclusif équitable communauté durable revue stratégie pratique",
    "sv": "öppen lärande resurser politik nätverk kvalitet tillgång kapacitet modell regional "
    "nationell digital inkluderande rättvis gemenskap hållbar översyn strategi praktik",
}
NOUNS = {
    "coalition": ("Coalition", "Coalition", "Koalition"),
    "organisation": ("Organisation", "Organisation", "Organisation"),
    "unit": ("Working Group", "Groupe de travail", "Arbetsgrupp"),
    "concept": ("Topic", "Thème", "Ämne"),
    "scheme": ("Scheme", "Schéma", "Schema"),
    "area": ("Area of Action", "Domaine d'action", "Handlingsområde"),
    "event": ("Meeting", "Réunion", "Möte"),
    "document": ("Report", "Rapport", "Rapport"),
    "place": ("City", "Ville", "Stad"),
    "role": ("Role", "Rôle", "Roll"),
}


@dataclass
class Entity:
    """One generated description: its subject, its types and its (predicate, objects) lines."""

    subject: str
    types: tuple[str, ...]
    lines: list[tuple[str, list[str]]] = field(default_factory=list)

    def add(self, predicate: str, *objects: str) -> None:
        if objects:
            self.lines.append((predicate, list(objects)))

    def drop(self, predicate: str, keep: Callable[[str], bool] = lambda o: False) -> None:
        self.lines = [(p, [o for o in os if keep(o)] if p == predicate else os) for p, os in self.lines]
        self.lines = [(p, os) for p, os in self.lines if os]

    @property
    def triples(self) -> int:
        return len(self.types) + sum(len(os) for _, os in self.lines)

    def turtle(self) -> str:
        head = f"{self.subject} a {' , '.join(self.types)}"
        body = "".join(f" ;\n    {p} {' , '.join(os)}" for p, os in self.lines)
        return f"{head}{body} .\n"


@dataclass(frozen=True)
class Counts:
    """How many entities of each kind a project of a given size has."""

    coalition: int
    organisation: int
    unit: int
    concept: int
    scheme: int
    event: int
    document: int
    person: int
    membership: int
    role: int
    place: int
    source: int

    @classmethod
    def for_units(cls, units: int) -> Counts:
        n = {kind: max(2, round(share * units / 100)) for kind, share in MIX.items()}
        return cls(
            coalition=n["coalition"],
            organisation=n["organisation"],
            unit=n["unit"],
            concept=n["concept"],
            scheme=max(1, n["concept"] // CONCEPTS_PER_SCHEME),
            event=n["event"],
            document=n["document"],
            person=n["person"],
            membership=n["membership"],
            role=max(3, n["membership"] // MEMBERSHIPS_PER_ROLE),
            place=n["place"],
            source=n["source"],
        )


class Generator:
    """Generate every entity of one project; all choices come from one seeded random stream."""

    def __init__(self, counts: Counts, seed: int) -> None:
        self.n = counts
        self.rng = random.Random(seed)

    # --- names and text -------------------------------------------------------------------

    def word(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))).capitalize()

    def labels(self, kind: str, name: str, *, fr: float = 0.75, sv: float = 0.65) -> list[str]:
        en, fr_noun, sv_noun = NOUNS[kind]
        out = [_lit(f"{en} {name}", "en")]
        if self.rng.random() < fr:
            out.append(_lit(f"{fr_noun} {name}", "fr"))
        if self.rng.random() < sv:
            out.append(_lit(f"{sv_noun} {name}", "sv"))
        return out

    def text(self, lang: str = "en", words: int = 12) -> str:
        vocabulary = WORDS[lang].split()
        sentence = " ".join(self.rng.choice(vocabulary) for _ in range(words))
        return _lit(sentence.capitalize() + ".", lang)

    def date(self, year_from: int = 2000, year_to: int = 2024) -> tuple[int, int, int]:
        return self.rng.randint(year_from, year_to), self.rng.randint(1, 12), self.rng.randint(1, 28)

    # --- references -----------------------------------------------------------------------

    def pick(self, kind: str, *, skew: bool = False) -> str:
        """Return a reference to an entity of `kind`; `skew` favours low numbers (hubs)."""
        count = getattr(self.n, kind)
        u = self.rng.random()
        return _iri(kind, int(count * (u * u if skew else u)))

    def sources(self) -> list[str]:
        return sorted({self.pick("source") for _ in range(self.rng.choice((1, 1, 2, 2, 3)))})

    # --- entities, by kind (one data file each) -------------------------------------------

    def sources_file(self) -> Iterator[Entity]:
        for i in range(self.n.source):
            e = Entity(_iri("source", i), ("oerdc:Source", "schema:WebPage"))
            e.add("rdfs:label", _lit(f"Source {i}: {self.word()} {self.word()}", "en"))
            e.add("schema:url", f"<https://example.org/source/{i}>")
            e.add("schema:datePublished", _date(*self.date()))
            e.add("dcterms:bibliographicCitation", self.text("en", 8))
            yield e

    def places(self) -> Iterator[Entity]:
        for i in range(self.n.place):
            e = Entity(_iri("place", i), ("schema:Place", "oerdc:Place"))
            e.add("rdfs:label", *self.labels("place", self.word()))
            e.add("schema:description", self.text())
            if i < len(WIKIDATA):
                e.add("owl:sameAs", f"<{WIKIDATA[i]}>")
            if i:
                e.add("schema:containedInPlace", _iri("place", self.rng.randrange(i)))
            e.add("prov:wasDerivedFrom", *self.sources())
            yield e

    def coalitions(self) -> Iterator[Entity]:
        units_of: dict[int, list[str]] = {}
        for j in range(self.n.unit):
            units_of.setdefault(self._unit_parent(j), []).append(_iri("unit", j))
        for i in range(self.n.coalition):
            e = Entity(_iri("coalition", i), ("schema:Organization", "oerdc:Coalition"))
            e.add("rdfs:label", *self.labels("coalition", self.word(), fr=0.9, sv=0.9))
            e.add("schema:description", self.text())
            e.add("schema:foundingDate", _date(*self.date()))
            e.add("schema:url", f"<https://example.org/coalition/{i}>")
            e.add("org:hasUnit", *units_of.get(i, []))
            e.add("prov:wasDerivedFrom", *self.sources())
            yield e

    def organisations(self) -> Iterator[Entity]:
        for i in range(self.n.organisation):
            e = Entity(_iri("organisation", i), ("schema:Organization", "oerdc:Organization"))
            e.add("rdfs:label", *self.labels("organisation", self.word()))
            e.add("schema:description", self.text())
            e.add("schema:location", self.pick("place"))
            e.add("schema:url", f"<https://example.org/organisation/{i}>")
            e.add("prov:wasDerivedFrom", *self.sources())
            yield e

    def _unit_parent(self, j: int) -> int:
        # Deterministic without the random stream, so organisations and units agree.
        return (j * 7919) % self.n.coalition

    def units(self) -> Iterator[Entity]:
        for j in range(self.n.unit):
            e = Entity(
                _iri("unit", j), ("org:OrganizationalUnit", "schema:Organization", "oerdc:WorkingGroup")
            )
            e.add("rdfs:label", *self.labels("unit", self.word()))
            e.add("schema:description", self.text())
            e.add("org:unitOf", _iri("coalition", self._unit_parent(j)))
            e.add("oerdc:dedicatedTo", _iri("area", j % (AREAS - 1)))
            e.add("prov:wasDerivedFrom", *self.sources())
            yield e

    def concepts(self) -> Iterator[Entity]:
        areas = Entity(":areas", ("skos:ConceptScheme", "schema:DefinedTermSet", "oerdc:ConceptScheme"))
        areas.add("rdfs:label", *self.labels("scheme", "Areas", fr=1, sv=1))
        areas.add("schema:description", self.text())
        areas.add("skos:hasTopConcept", *(_iri("area", a) for a in range(AREAS)))
        areas.add("prov:wasDerivedFrom", *self.sources())
        yield areas
        for a in range(AREAS):
            e = Entity(_iri("area", a), ("skos:Concept", "schema:DefinedTerm", "oerdc:AreaOfAction"))
            labels = self.labels("area", str(a + 1), fr=1, sv=1)
            e.add("rdfs:label", *labels)
            e.add("skos:prefLabel", *labels)
            e.add("schema:description", self.text())
            e.add("skos:notation", _lit(str(a + 1)))
            e.add("skos:inScheme", ":areas")
            e.add("skos:topConceptOf", ":areas")
            if a < len(SDG):
                e.add("skos:relatedMatch", f"<{SDG[a]}>")
            e.add("prov:wasDerivedFrom", *self.sources())
            yield e
        for s in range(self.n.scheme):
            e = Entity(
                _iri("scheme", s), ("skos:ConceptScheme", "schema:DefinedTermSet", "oerdc:ConceptScheme")
            )
            e.add("rdfs:label", *self.labels("scheme", self.word(), fr=1, sv=1))
            e.add("schema:description", self.text())
            e.add("skos:hasTopConcept", _iri("concept", s))
            e.add("prov:wasDerivedFrom", *self.sources())
            yield e
        for i in range(self.n.concept):
            e = Entity(_iri("concept", i), ("skos:Concept", "schema:DefinedTerm", "oerdc:Concept"))
            labels = self.labels("concept", self.word())
            e.add("rdfs:label", *labels)
            e.add("skos:prefLabel", *labels)
            e.add("schema:description", self.text())
            e.add("skos:inScheme", _iri("scheme", i % self.n.scheme))
            if i < self.n.scheme:
                e.add("skos:topConceptOf", _iri("scheme", i))
            else:
                e.add("skos:broader", _iri("concept", self.rng.randrange(i)))
            if i < len(THESAURUS):
                e.add("skos:exactMatch", f"<{THESAURUS[i]}>")
            e.add("prov:wasDerivedFrom", *self.sources())
            yield e

    def roles(self) -> Iterator[Entity]:
        for r in range(self.n.role):
            e = Entity(_iri("role", r), ("org:Role", "oerdc:Role"))
            labels = self.labels("role", self.word(), fr=1, sv=1)
            e.add("rdfs:label", *labels)
            e.add("skos:prefLabel", *labels)
            e.add("schema:description", self.text())
            e.add("prov:wasDerivedFrom", *self.sources())
            yield e

    def people(self) -> Iterator[Entity]:
        for i in range(self.n.person):
            e = Entity(_iri("person", i), ("schema:Person", "oerdc:Person"))
            given, family = self.word(), self.word()
            e.add("rdfs:label", _lit(f"{given} {family}", "en"))
            e.add("schema:givenName", _lit(given))
            e.add("schema:familyName", _lit(family))
            e.add("schema:description", self.text("en", 8))
            e.add("schema:affiliation", self.pick("organisation", skew=True))
            e.add("schema:knowsAbout", self.pick("concept", skew=True))
            e.add("prov:wasDerivedFrom", *self.sources())
            yield e

    def memberships(self) -> Iterator[Entity]:
        for i in range(self.n.membership):
            e = Entity(_iri("membership", i), ("org:Membership", "schema:Role", "oerdc:Membership"))
            person, organisation = self.pick("person"), self.pick("organisation", skew=True)
            e.add("rdfs:label", _lit(f"Membership {i}", "en"))
            e.add("schema:description", self.text("en", 6))
            e.add("org:member", person)
            e.add("org:organization", organisation)
            e.add("org:role", self.pick("role"))
            e.add("schema:startDate", _date(*self.date()))
            e.add("prov:wasDerivedFrom", *self.sources())
            yield e

    def events(self) -> Iterator[Entity]:
        for i in range(self.n.event):
            e = Entity(_iri("event", i), ("schema:Event", "oerdc:Event"))
            e.add("rdfs:label", *self.labels("event", self.word()))
            e.add("schema:description", self.text())
            year, month, day = self.date()
            e.add("schema:startDate", _date(year, month, day))
            e.add("schema:endDate", _date(year, month, min(28, day + self.rng.randint(0, 3))))
            e.add("schema:eventAttendanceMode", self.rng.choice(ATTENDANCE))
            e.add("schema:location", self.pick("place", skew=True))
            e.add("schema:organizer", self.pick("organisation", skew=True))
            if i and self.rng.random() < 0.3:
                e.add("oerdc:precededBy", _iri("event", self.rng.randrange(i)))
            e.add("prov:wasDerivedFrom", *self.sources())
            yield e

    def documents(self) -> Iterator[Entity]:
        for i in range(self.n.document):
            e = Entity(_iri("document", i), ("schema:CreativeWork", "oerdc:Document"))
            e.add("rdfs:label", *self.labels("document", self.word(), fr=0.4, sv=0.3))
            e.add("schema:description", self.text())
            e.add("schema:datePublished", _date(*self.date()))
            e.add("schema:author", self.pick("person"))
            e.add("oerdc:outcomeOf", self.pick("event"))
            e.add("schema:about", *sorted({self.pick("concept", skew=True) for _ in range(2)}))
            e.add("schema:inLanguage", _lit(self.rng.choice(("en", "fr", "sv"))))
            e.add("prov:wasDerivedFrom", *self.sources())
            yield e

    # --- the files ------------------------------------------------------------------------

    def files(self) -> dict[str, list[Entity]]:
        """Return the entities of each data file, in a fixed order."""
        return {
            "sources.ttl": list(self.sources_file()),
            "places.ttl": list(self.places()),
            "organisations.ttl": [*self.coalitions(), *self.organisations()],
            "units.ttl": list(self.units()),
            "concepts.ttl": list(self.concepts()),
            "people.ttl": [*self.roles(), *self.people(), *self.memberships()],
            "events.ttl": list(self.events()),
            "documents.ttl": list(self.documents()),
        }


def inject(files: dict[str, list[Entity]], count: int, rng: random.Random) -> list[tuple[str, str]]:
    """Break `count` distinct entities, cycling through VIOLATION_KINDS; return (kind, subject)."""
    targets = {
        "missing-english-label": [
            e for name in ("organisations.ttl", "events.ttl") for e in files[name]
        ],
        "end-before-start": files["events.ttl"],
        "two-areas": files["units.ttl"],
        "missing-source": files["documents.ttl"],
    }
    used: set[str] = set()
    injected = []
    for k in range(count):
        kind = VIOLATION_KINDS[k % len(VIOLATION_KINDS)]
        candidates = [e for e in targets[kind] if e.subject not in used]
        if not candidates:
            raise SystemExit(f"too many violations of kind {kind} for this size")
        entity = rng.choice(candidates)
        used.add(entity.subject)
        if kind == "missing-english-label":
            entity.drop("rdfs:label", keep=lambda o: not o.endswith("@en"))
            if not any(p == "rdfs:label" for p, _ in entity.lines):
                entity.add("rdfs:label", _lit("Sans nom", "fr"))
        elif kind == "end-before-start":
            entity.drop("schema:endDate")
            start = next(os[0] for p, os in entity.lines if p == "schema:startDate")
            year = int(start[1:5])
            entity.add("schema:endDate", start.replace(f'"{year}-', f'"{year - 1}-', 1))
        elif kind == "two-areas":
            area = next(os[0] for p, os in entity.lines if p == "oerdc:dedicatedTo")
            other = _iri("area", (int(area.rsplit("-", 1)[1]) + 1) % (AREAS - 1))
            entity.lines = [
                (p, [*os, other] if p == "oerdc:dedicatedTo" else os) for p, os in entity.lines
            ]
        elif kind == "missing-source":
            entity.drop("prov:wasDerivedFrom")
        injected.append((kind, entity.subject))
    return injected


def generate(
    out: Path, *, triples: int, seed: int = 1, violations: int = 0, sources: Path = ROOT
) -> dict[str, int]:
    """Write a complete project into `out` and return its size by data file (in triples)."""
    files = _sized(triples, seed)
    injected = inject(files, violations, random.Random(seed + 7_000_003))
    data = out / "data"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    sizes = {}
    for name, entities in files.items():
        header = (
            f"# Synthetic {name[:-4]} (bench/generate.py, seed {seed}, {triples} triples asked).\n\n"
        )
        body = "\n".join(e.turtle() for e in entities)
        (data / name).write_text(header + PREFIXES + "\n" + body, encoding="utf-8")
        sizes[name] = sum(e.triples for e in entities)
    copy_sources(sources, out)
    if injected:
        listing = "".join(f"{kind}\t{subject}\n" for kind, subject in injected)
        (out / "violations.tsv").write_text(listing, encoding="utf-8")
    elif (out / "violations.tsv").exists():
        (out / "violations.tsv").unlink()
    return sizes


def _sized(triples: int, seed: int) -> dict[str, list[Entity]]:
    """Generate with a unit count corrected until the total is within 2% of the target."""
    units = max(20, triples // 1000)  # about 10 triples per entity, 100 entities per unit
    for _ in range(8):
        files = Generator(Counts.for_units(units), seed).files()
        total = sum(e.triples for entities in files.values() for e in entities)
        if abs(total - triples) <= 0.02 * triples:
            return files
        units = max(1, round(units * triples / total))
    return files


def copy_sources(sources: Path, out: Path) -> None:
    """Copy the real ontology, shapes, queries, templates and settings into the project."""
    for name in COPIED:
        target = out / name
        if target.exists():
            shutil.rmtree(target)
        if (sources / name).is_dir() and any((sources / name).iterdir()):
            shutil.copytree(sources / name, target)
        else:
            target.mkdir(parents=True)
    for name, (broken, fixed) in QUERY_FIXES.items():
        path = out / "queries" / name
        if path.exists() and broken in (text := path.read_text(encoding="utf-8")):
            print(f"note: {name} has a known cross-product bug; the benchmark uses the fixed query")
            path.write_text(text.replace(broken, fixed), encoding="utf-8")
    if not any((out / "queries").glob("*.rq")):
        for name, text in FALLBACK_QUERIES.items():
            (out / "queries" / f"{name}.rq").write_text(text, encoding="utf-8")
    shutil.copy(sources / "oerkg.toml", out / "oerkg.toml")


# Known bugs of the repository's queries, fixed in the copy until fixed upstream: inside
# `{ BIND (?coalition AS ?entity) }` ?coalition is unbound, so ?entity joins with every entity
# (a wrong answer, and minutes at 10k triples).
QUERY_FIXES = {
    "05-sources-of-coalition-facts.rq": (
        "{ BIND (?coalition AS ?entity) } UNION",
        "{ ?coalition a oerdc:Coalition . BIND (?coalition AS ?entity) } UNION",
    ),
}

# Used only when the repository has no queries/ yet.
FALLBACK_QUERIES = {
    "working-groups": """# title: Working groups and their areas
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX oerdc: <https://w3id.org/oerdc/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?wg ?label ?area WHERE {
  ?wg a oerdc:WorkingGroup ; rdfs:label ?label ; oerdc:dedicatedTo ?area .
  FILTER(lang(?label) = "en")
} ORDER BY ?wg LIMIT 100
""",
    "classes": """# title: Entities per class
SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)
""",
    "events-by-year": """# title: Events per year
PREFIX schema: <http://schema.org/>
SELECT ?year (COUNT(?e) AS ?n) WHERE {
  ?e a schema:Event ; schema:startDate ?d . BIND(YEAR(?d) AS ?year)
} GROUP BY ?year ORDER BY ?year
""",
    "missing-french": """# title: Entities without a French label
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s rdfs:label ?en . FILTER(lang(?en) = "en")
  FILTER NOT EXISTS { ?s rdfs:label ?fr . FILTER(lang(?fr) = "fr") }
}
""",
    "documents-about": """# title: Documents, their events and organisers
PREFIX schema: <http://schema.org/>
PREFIX oerdc: <https://w3id.org/oerdc/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?doc ?event ?org ?label WHERE {
  ?doc oerdc:outcomeOf ?event . ?event schema:organizer ?org . ?org rdfs:label ?label .
  FILTER(lang(?label) = "en")
} ORDER BY ?doc LIMIT 50
""",
}


def _iri(kind: str, index: int) -> str:
    return f"src:s-{index:07d}" if kind == "source" else f":{kind}-{index:07d}"


def _lit(text: str, lang: str = "") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _date(year: int, month: int, day: int) -> str:
    return f'"{year:04d}-{month:02d}-{day:02d}"^^xsd:date'


def parse_size(text: str) -> int:
    """Read `10k`, `100k`, `1m` or a plain number of triples."""
    key = text.lower()
    if key in SCALES:
        return SCALES[key]
    if key.endswith(("k", "m")) and key[:-1].isdigit():
        return int(key[:-1]) * (1000 if key.endswith("k") else 1_000_000)
    if key.isdigit():
        return int(key)
    raise argparse.ArgumentTypeError(f"not a size: {text} (use 10k, 100k, 1m or a number)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="project folder to write (data/ is replaced)")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--scale", type=parse_size, default=None, help="10k, 100k or 1m triples")
    size.add_argument("--triples", type=parse_size, default=None, help="any number of triples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--violations", type=int, default=0, help="inject exactly N violations")
    args = parser.parse_args(argv)
    triples = args.triples or args.scale or SCALES["10k"]
    sizes = generate(args.out, triples=triples, seed=args.seed, violations=args.violations)
    print(f"Wrote {args.out}: {sum(sizes.values())} triples in {len(sizes)} data files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
