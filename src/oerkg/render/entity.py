"""The context of an entity page: properties in groups, incoming links, claims, sources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..formats import ENTITY_FORMATS
from ..model import DESCRIPTION_PROPERTIES, LABEL_PROPERTIES, Entity, Model, Value
from ..vocab import DCTERMS, FOAF, ORG, OWL, PROV, PROV_DERIVED, RDF_TYPE, SCHEMA, SKOS, XSD
from .infobox import Infobox
from .picture import MAX_SIDE, Node, neighbourhood
from .views import DATE_TYPES, NOT_PUBLIC, PropView, Text, ValueView, Views

GROUPS = ("about", "relations", "dates", "links", "provenance")
PROVENANCE = frozenset({f"{DCTERMS}source", f"{SCHEMA}citation", f"{SCHEMA}isBasedOn"})
IDENTIFIERS = frozenset(
    {
        f"{SCHEMA}url",
        f"{SCHEMA}sameAs",
        f"{SCHEMA}identifier",
        f"{OWL}sameAs",
        f"{DCTERMS}identifier",
        f"{SKOS}exactMatch",
        f"{SKOS}closeMatch",
        f"{FOAF}homepage",
    }
)


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    props: tuple[PropView, ...]


@dataclass(frozen=True, slots=True)
class Card:
    """A qualified claim or a quotation: its link, its statements and its sources."""

    link: ValueView
    quote: Text | None
    props: tuple[PropView, ...]
    sources: tuple[ValueView, ...]
    summary: Text | None = None  # a claim's description in the page's language (or a fallback)


@dataclass(frozen=True, slots=True)
class Source:
    link: ValueView
    urls: tuple[ValueView, ...]


def _types(model: Model, entity: Entity) -> tuple[str, ...]:
    """Return the entity's types, ours first."""
    return tuple(dict.fromkeys((*primary_types(model, entity), *entity.types)))


def primary_types(model: Model, entity: Entity) -> tuple[str, ...]:
    """Return the entity's types from our ontology, or all its types when none is ours."""
    ours = tuple(t for t in entity.types if t.startswith(model.config.ontology_ns))
    return ours or entity.types


def group_of(model: Model, predicate: str, values: tuple[Value, ...]) -> str:
    """Decide a property's group from its namespace and the kind of its values."""
    if predicate == RDF_TYPE:
        return "about"
    if predicate.startswith(PROV) or predicate in PROVENANCE:
        return "provenance"
    if predicate in IDENTIFIERS or predicate.lower().endswith("identifier"):
        return "links"
    if all(v.kind == "literal" and v.datatype in DATE_TYPES for v in values):
        return "dates"
    if any(v.kind == "bnode" or (v.kind == "iri" and v.value in model.entities) for v in values):
        return "relations"
    if any(v.kind == "iri" or v.datatype == f"{XSD}anyURI" for v in values):
        return "links"
    return "about"


def _shown_as_name(model: Model, entity: Entity, predicate: str, values: tuple[Value, ...]) -> bool:
    """Tell whether a property only holds the names or descriptions shown in the languages table."""
    if predicate in LABEL_PROPERTIES:
        table = model.labels.get(entity.iri, {})
    elif predicate in DESCRIPTION_PROPERTIES:
        table = model.descriptions.get(entity.iri, {})
    else:
        return False
    return all(v.kind == "literal" and table.get(v.lang or "en") == v.value for v in values)


class EntityPages:
    """Build the language-independent parts of an entity page once, then each language's view."""

    def __init__(self, views: Views) -> None:
        self.views = views
        self.model = views.model
        self.infobox = Infobox(views)
        ns = self.model.config.ontology_ns
        self.claim_about = f"{ns}claimAbout"
        self.quotation = f"{ns}AttributedQuotation"

    def context(self, entity: Entity) -> Callable[[str, str], dict[str, Any]]:
        """Sort the entity's statements into groups once; return its page's context per language."""
        v, model = self.views, self.model
        keys = self.infobox.keys(entity)
        in_box = {p for p, _ in keys}
        grouped: dict[str, list[tuple[str, tuple[Value, ...]]]] = {g: [] for g in GROUPS}
        for p, vs in entity.props:
            if p in in_box or p in NOT_PUBLIC or p in (RDF_TYPE, PROV_DERIVED):
                continue
            if not _shown_as_name(model, entity, p, vs):
                grouped[group_of(model, p, vs)].append((p, vs))
        groups = tuple((g, tuple(ps)) for g, ps in grouped.items() if ps)
        types = _types(model, entity)
        sources = entity.values(PROV_DERIVED)
        basename = entity.stem.rsplit("/", 1)[-1]
        formats = tuple((f"{basename}.{f.ext}", f.label, f.media_type) for f in ENTITY_FORMATS)
        memberships = self.infobox.memberships(entity)
        # What the page links to already: not listed again under "Referenced by".
        linked = {x.value for _, vs in entity.props for x in vs if x.kind == "iri"}
        linked.update(m for m, _ in memberships)
        into, out = self._neighbours(entity, memberships)

        def page(lang: str, root: str) -> dict[str, Any]:
            t = v.strings[lang]
            claims, quotes, incoming = self._incoming(entity, lang, root, linked)
            label = v.label(entity.iri, lang)
            return {
                "iri": entity.iri,
                "label": label,
                "description": v.description(entity.iri, lang),
                "infobox": self.infobox.html(types, keys, memberships, lang, root),
                "names": self._names(entity.iri, lang),
                "groups": tuple(
                    Group(g, tuple(v.prop(p, vs, lang, root) for p, vs in ps)) for g, ps in groups
                ),
                "claims": claims,
                "quotations": quotes,
                "incoming": incoming,
                "picture": self._picture(label, into, out, lang, root, t),
                "sources": tuple(self._source(s, lang, root) for s in sources),
                "formats": formats,
            }

        return page

    def _neighbours(
        self, entity: Entity, memberships: list[tuple[str, str]]
    ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """Return what links to the entity and what it links to, as (IRI, linking property or
        role), each neighbour once; its sources are left out (listed under Sources)."""
        v = self.views
        out: dict[str, str] = {}
        for p, vs in entity.props:
            if p in (RDF_TYPE, PROV_DERIVED) or p in NOT_PUBLIC:
                continue
            for x in vs:
                if x.kind == "iri" and x.value not in out and v.linkable(x.value):
                    out[x.value] = p
        into: dict[str, str] = {}
        for iri, other in memberships:  # a role's holder rather than the membership qualifying it
            membership = self.model.entities[iri]
            for holder in membership.values(other):
                if holder.kind == "iri" and holder.value not in out and v.linkable(holder.value):
                    into.setdefault(holder.value, membership.values(f"{ORG}role")[0].value)
        skip = {m for m, _ in memberships}
        for p, subjects in entity.incoming:
            for s in subjects:  # every subject is an entity of ours: it has a page
                if s not in skip and s not in out:
                    into.setdefault(s, p)
        return list(into.items()), list(out.items())

    def _picture(
        self,
        label: Text,
        into: list[tuple[str, str]],
        out: list[tuple[str, str]],
        lang: str,
        root: str,
        t: Any,
    ) -> Markup:
        """Draw the entity's first neighbours each side; only those drawn get a view."""
        v = self.views

        def nodes(pairs: list[tuple[str, str]]) -> list[Node]:
            drawn = []
            for iri, edge in pairs[:MAX_SIDE]:
                view = v.link(iri, lang, root)
                drawn.append(Node(view.text.text, view.href, v.label(edge, lang).text, view.text.lang))
            return drawn

        return neighbourhood(
            label.text,
            nodes(into),
            nodes(out),
            counts=(len(into), len(out)),
            title=t["neighbourhood_title"].format(label.text, len(into), len(out)),
            more=t["neighbourhood_more"],
        )

    def _names(self, iri: str, lang: str) -> tuple[tuple[str, str, str], ...]:
        """Return (language, name, description) in the other site languages, "" where missing."""
        labels = self.model.labels.get(iri, {})
        texts = self.model.descriptions.get(iri, {})
        return tuple(
            (lg, labels.get(lg, ""), texts.get(lg, ""))
            for lg in self.model.config.languages
            if lg != lang and (lg in labels or lg in texts)
        )

    def _source(self, value: Value, lang: str, root: str) -> Source:
        link = self.views.value(value, lang, root)
        source = self.model.entities.get(value.value) if value.kind == "iri" else None
        urls = source.values(f"{SCHEMA}url") if source else ()
        return Source(link, tuple(self.views.value(u, lang, root) for u in urls))

    def _incoming(
        self, entity: Entity, lang: str, root: str, linked: set[str]
    ) -> tuple[tuple[Card, ...], tuple[Card, ...], tuple[PropView, ...]]:
        v, model = self.views, self.model
        claims: list[Card] = []
        quotes: list[Card] = []
        groups: list[PropView] = []
        for predicate, subjects in entity.incoming:
            others: list[str] = []
            for s in subjects:
                subject = model.entities.get(s)  # None: an IRI we describe but do not publish
                if subject is None:
                    others.append(s)
                elif predicate == self.claim_about:
                    claims.append(self._card(subject, predicate, lang, root))
                elif predicate == f"{SCHEMA}about" and self.quotation in subject.types:
                    quotes.append(self._card(subject, predicate, lang, root))
                elif s not in linked:
                    others.append(s)
            if others:
                term = model.terms.get(predicate)
                inverse = term.inverse_labels if term else {}
                if lang in inverse:
                    label, wording = Text(inverse[lang]), False
                elif "en" in inverse:
                    label, wording = v.foreign(inverse["en"], "en", True, lang), False
                else:
                    label, wording = v.label(predicate, lang), True
                links = sorted((v.link(s, lang, root) for s in others), key=_by_text)
                groups.append(PropView(predicate, label, v.curie(predicate), "", tuple(links), wording))
        groups.sort(key=lambda g: (g.label.text.casefold(), g.iri))
        return tuple(claims), tuple(quotes), tuple(groups)

    def _card(self, subject: Entity, about: str, lang: str, root: str) -> Card:
        v = self.views
        text_props = (f"{SCHEMA}text", f"{SCHEMA}description")
        quote_values = next((subject.values(p) for p in text_props if subject.values(p)), ())
        quote = None
        if about != self.claim_about and quote_values:
            best = next((q for q in quote_values if q.lang == lang), quote_values[0])
            quote = Text(best.value, best.lang if best.lang != lang else "")
        # A claim is summarised by its description in the reader's language, not all of them.
        summary = v.description(subject.iri, lang) if about == self.claim_about else None
        skip = {
            RDF_TYPE,
            about,
            PROV_DERIVED,
            *LABEL_PROPERTIES,
            *NOT_PUBLIC,
            *(text_props if quote else ()),
            *(DESCRIPTION_PROPERTIES if summary else ()),
        }
        props = tuple(v.prop(p, vs, lang, root) for p, vs in subject.props if p not in skip)
        sources = tuple(v.value(s, lang, root) for s in subject.values(PROV_DERIVED))
        return Card(v.link(subject.iri, lang, root), quote, props, sources, summary)


def _by_text(view: ValueView) -> tuple[str, str]:
    return (view.text.text.casefold(), view.href)
