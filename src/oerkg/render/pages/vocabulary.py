"""The vocabulary's documentation: the ontology page (its terms, header and class diagram)
and the shapes page (what each class requires)."""

from __future__ import annotations

from ...formats import ENTITY_FORMATS
from ...model import Value
from ...vocab import DCTERMS, OWL, RDFS, SCHEMA
from ..classes import Box, class_diagram
from ..renderer import Context, Page
from ..views import Text, local_name
from .shared import Index


def ontology_page(ix: Index) -> list[Page]:
    """Our own terms, by kind, with their texts in every language."""
    model, views, r = ix.model, ix.views, ix.r

    def context(lang: str, root: str) -> Context:
        ours = sorted((t for t in model.terms.values() if t.ours), key=lambda t: local_name(t.iri))
        sections = []
        for kind in ("class", "property", "individual", "other"):
            terms = [t for t in ours if t.kind == kind]
            if not terms:
                continue
            sections.append(
                (
                    kind,
                    tuple(
                        {
                            "id": local_name(t.iri),
                            "iri": t.iri,
                            "curie": model.curie(t.iri),
                            "label": views.label(t.iri, lang),
                            "texts": tuple(
                                (
                                    lg,
                                    t.labels.get(lg, ""),
                                    t.comments.get(lg, ""),
                                    t.inverse_labels.get(lg, ""),
                                )
                                for lg in r.languages
                            ),
                            "domain": tuple(views.term_view(i, lang, root) for i in t.domain),
                            "range": tuple(views.term_view(i, lang, root) for i in t.range),
                            "supers": tuple(views.term_view(i, lang, root) for i in t.supers),
                            "instances": ix.counts.get(t.iri, 0),
                            "class_page": views.page_href(r.class_paths[t.iri], lang, root)
                            if t.iri in r.class_paths
                            else "",
                        }
                        for t in terms
                    ),
                )
            )
        t = r.strings[lang]
        classes = [term for term in ours if term.kind == "class"]
        properties = [term for term in ours if term.kind == "property"]
        boxes = tuple(
            Box(
                local_name(c.iri),
                views.class_name(c.iri, lang).text,
                tuple(views.label(i, lang).text for i in c.supers),
                tuple(
                    (
                        views.label(p.iri, lang).text,
                        ", ".join(views.label(i, lang).text for i in p.range),
                    )
                    for p in properties
                    if c.iri in p.domain
                ),
            )
            for c in classes
        )
        header = dict(model.ontology[1])
        return ix.dated(
            {
                "title": Text(t["ontology"]),
                "current": "ontology",
                "ns": model.config.ontology_ns,
                "sections": tuple(sections),
                "about": _ontology_about(ix, header, lang, root),
                "ontology_iri": model.ontology[0],
                "formats": (),
                "rdf_formats": tuple(
                    (f"{root}ontology.{f.ext}", f.label, f.media_type) for f in ENTITY_FORMATS
                ),
                "diagram": class_diagram(
                    boxes, title=t["class_diagram"].format(len(boxes)), specialises=t["specialises"]
                ),
            }
        )

    return [Page("ontology", "ontology.html", context)]


# The ontology's metadata as pyLODE and Widoco head their pages, in this order: (key of the UI
# string, properties that give it, first found).
ONTOLOGY_HEADER = (
    ("version_iri", (f"{OWL}versionIRI",)),
    ("version", (f"{OWL}versionInfo",)),
    ("creators", (f"{DCTERMS}creator", f"{SCHEMA}creator")),
    ("contributors", (f"{DCTERMS}contributor", f"{SCHEMA}contributor")),
    ("publisher", (f"{DCTERMS}publisher", f"{SCHEMA}publisher")),
    ("issued", (f"{DCTERMS}issued", f"{DCTERMS}created", f"{SCHEMA}datePublished")),
    ("modified", (f"{DCTERMS}modified", f"{SCHEMA}dateModified")),
    ("licence", (f"{DCTERMS}license", f"{SCHEMA}license")),
)


def _ontology_about(ix: Index, header: dict[str, tuple[Value, ...]], lang: str, root: str) -> Context:
    """The ontology's title, abstract and metadata rows (only those it states)."""
    views = ix.views

    def text(*predicates: str) -> Text | None:
        for p in predicates:
            texts = {v.lang or ix.en: v.value for v in header.get(p, ()) if v.kind == "literal"}
            if texts:
                found = next(lg for lg in (lang, ix.en, *sorted(texts)) if lg in texts)
                return Text(texts[found], "" if found == lang else found)
        return None

    rows = []
    for key, predicates in ONTOLOGY_HEADER:
        values = next((header[p] for p in predicates if header.get(p)), ())
        if values:
            rows.append((key, tuple(views.value(v, lang, root) for v in values)))
    return {
        "name": text(f"{DCTERMS}title", f"{RDFS}label", f"{SCHEMA}name"),
        "abstract": text(f"{DCTERMS}abstract", f"{DCTERMS}description", f"{RDFS}comment"),
        "rows": tuple(rows),
    }


def shapes_page(ix: Index) -> list[Page]:
    """What each class requires, from the SHACL shapes."""
    model, views = ix.model, ix.views

    def context(lang: str, root: str) -> Context:
        return ix.dated(
            {
                "title": Text(ix.r.strings[lang]["shapes"]),
                "current": "",
                "shapes": tuple(
                    {
                        "shape": s,
                        "target": views.term_view(s.target, lang, root),
                        "rules": tuple(
                            {
                                "rule": rule,
                                "path": views.term_view(rule.path, lang, root) if rule.path else None,
                                "datatype": model.curie(rule.datatype) if rule.datatype else "",
                                "classes": tuple(views.term_view(c, lang, root) for c in rule.classes),
                                "message": _pick(rule.messages, lang, ix.en),
                                "count": _cardinality(rule.min_count, rule.max_count),
                            }
                            for rule in s.rules
                        ),
                    }
                    for s in model.shapes
                ),
            }
        )

    return [Page("shapes", "shapes.html", context)]


def _pick(texts: dict[str, str], lang: str, default: str) -> Text | None:
    if lang in texts:
        return Text(texts[lang])
    if default in texts:
        return Text(texts[default], default)
    return None


def _cardinality(low: int, high: int | None) -> str:
    return f"{low}..{'*' if high is None else high}"
