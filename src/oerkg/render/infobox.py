"""An entity page's infobox: its types, its key facts and the roles it holds or gives.

The key facts are those the shapes order for its classes (`sh:order`), else `DEFAULT_KEYS`; the
roles come from the `org:Membership`s naming the entity (W3C ORG §5.3).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..model import Entity, Value
from ..shape_docs import key_properties
from ..vocab import DCTERMS, ORG, PROV_DERIVED, RDF_TYPE, SCHEMA, SKOS
from .escaping import escape
from .views import DATE_TYPES, NOT_PUBLIC, PropView, Text, ValueView, Views, prop_html

DATES = "dates"  # stands, in DEFAULT_KEYS, for every property whose values are all dates
# The key facts an infobox shows when no SHACL shape orders a class's properties (sh:order),
# in this order: dates, places, who made or runs it, what it is part of, its parts and members,
# its subject. A project's own property counts as the standard one it is a subproperty of.
DEFAULT_KEYS = (
    DATES,
    f"{SCHEMA}location",
    f"{SCHEMA}address",
    f"{DCTERMS}spatial",
    f"{SCHEMA}containedInPlace",
    f"{SCHEMA}organizer",
    f"{SCHEMA}founder",
    f"{SCHEMA}author",
    f"{DCTERMS}creator",
    f"{SCHEMA}publisher",
    f"{ORG}unitOf",
    f"{ORG}subOrganizationOf",
    f"{SCHEMA}parentOrganization",
    f"{SCHEMA}memberOf",
    f"{SCHEMA}isPartOf",
    f"{DCTERMS}isPartOf",
    f"{SKOS}broader",
    f"{SKOS}inScheme",
    f"{ORG}hasUnit",
    f"{ORG}hasSubOrganization",
    f"{SCHEMA}subOrganization",
    f"{SCHEMA}member",
    f"{ORG}hasMember",
    f"{SCHEMA}about",
    f"{SCHEMA}mainEntity",
    f"{DCTERMS}subject",
)


@dataclass(frozen=True, slots=True)
class Role:
    """A role qualified by an org:Membership (W3C ORG 5.3): who holds it (or where it is held),
    when, and the membership's own page."""

    other: ValueView
    when: str
    details: str  # the membership page
    details_text: str

    def __html__(self) -> str:
        more = f'<a href="{escape(self.details)}">{escape(self.when or self.details_text)}</a>'
        return f"{self.other.__html__()} <small>({more})</small>"


@dataclass(frozen=True, slots=True)
class RoleRow:
    role: Text
    href: str  # the role's page, or ""
    holders: tuple[Role, ...]

    def __html__(self) -> str:
        role = self.role.__html__()
        term = f'<a href="{escape(self.href)}">{role}</a>' if self.href else role
        holders = "".join(f"<dd>{h.__html__()}</dd>" for h in self.holders)
        return f"<div><dt>{term}</dt>{holders}</div>\n"


def _once(views: tuple[ValueView, ...]) -> tuple[ValueView, ...]:
    """Keep the first of the views that read the same: `schema:Person` and our `Person` are
    both "person", so the page names the type once (their prefixed names are on hover)."""
    seen: set[str] = set()
    kept = []
    for view in views:
        if view.text.text.casefold() not in seen:
            seen.add(view.text.text.casefold())
            kept.append(view)
    return tuple(kept)


class Infobox:
    """Choose and mark up what each entity's infobox shows."""

    def __init__(self, views: Views) -> None:
        self.views = views
        self.model = views.model
        # class -> the properties its shapes give an sh:order, shown first in that order
        self.key_properties = key_properties(self.model.shapes)

    def html(
        self,
        types: tuple[str, ...],
        keys: list[tuple[str, tuple[Value, ...]]],
        memberships: list[tuple[str, str]],
        lang: str,
        root: str,
    ) -> Markup:
        """Mark up the infobox: the types, the key facts, the roles (empty when there are none)."""
        row = self.types_row(types, lang, root)
        facts = tuple(self.views.prop(p, vs, lang, root) for p, vs in keys)
        rows = [prop_html(p) for p in (*((row,) if row else ()), *facts)]
        rows.extend(r.__html__() for r in self.roles(memberships, lang, root))
        return Markup(f'<dl class="infobox">\n{"".join(rows)}</dl>\n' if rows else "")

    def keys(self, entity: Entity) -> list[tuple[str, tuple[Value, ...]]]:
        """Return the entity's key facts in the order its infobox shows them."""
        shown = {p: vs for p, vs in entity.props if p not in NOT_PUBLIC}
        ordered = [p for t in entity.types for p in self.key_properties.get(t, ())]
        if ordered:
            return [(p, shown[p]) for p in dict.fromkeys(ordered) if p in shown]
        rank: dict[str, int] = {}
        for p, vs in shown.items():
            if p in (RDF_TYPE, PROV_DERIVED):
                continue
            if all(v.kind == "literal" and v.datatype in DATE_TYPES for v in vs):
                rank[p] = 0
                continue
            term = self.model.terms.get(p)
            for i, key in enumerate(DEFAULT_KEYS):
                if p == key or (term is not None and key in term.supers):
                    rank[p] = i
                    break
        return sorted(((p, shown[p]) for p in rank), key=lambda pv: rank[pv[0]])

    def memberships(self, entity: Entity) -> list[tuple[str, str]]:
        """Return (membership, the other party's property) for each org:Membership naming the
        entity as its organisation or its member (W3C ORG 5.3)."""
        found = []
        for predicate, subjects in entity.incoming:
            other = {f"{ORG}organization": f"{ORG}member", f"{ORG}member": f"{ORG}organization"}.get(
                predicate
            )
            if other is None:
                continue
            for s in subjects:
                membership = self.model.entities[s]
                if membership.values(other) and membership.values(f"{ORG}role"):
                    found.append((s, other))
        return found

    def roles(self, memberships: list[tuple[str, str]], lang: str, root: str) -> tuple[RoleRow, ...]:
        """Group the roles by role: "Chair: Lisa Petrides (since May 2018)"."""
        v = self.views
        rows: dict[str, list[Role]] = {}
        for iri, other in memberships:
            membership = self.model.entities[iri]
            role = membership.values(f"{ORG}role")[0]
            start = membership.values(f"{SCHEMA}startDate")[:1]
            end = membership.values(f"{SCHEMA}endDate")[:1]
            when = " – ".join(v.value(d, lang, root).text.text for d in (*start, *end))
            if start and not end:
                when = v.strings[lang]["role_since"].format(when)
            elif end and not start:
                when = v.strings[lang]["role_until"].format(when)
            href = v.link(iri, lang, root).href
            for holder in membership.values(other):
                rows.setdefault(role.value, []).append(
                    Role(v.value(holder, lang, root), when, href, v.strings[lang]["role_details"])
                )
        return tuple(
            RoleRow(v.label(r, lang), v.link(r, lang, root).href, tuple(holders))
            for r, holders in sorted(rows.items(), key=lambda rh: v.label(rh[0], lang).text.casefold())
        )

    def types_row(self, types: tuple[str, ...], lang: str, root: str) -> PropView | None:
        if not types:
            return None
        views = _once(tuple(self._type(c, lang, root) for c in types))
        return PropView(RDF_TYPE, Text(self.views.strings[lang]["types"]), "rdf:type", "", views)

    def _type(self, iri: str, lang: str, root: str) -> ValueView:
        """Show a type linked to the list of its instances, its CURIE on hover."""
        view = self.views.value_for_class(iri, lang, root)
        return ValueView(
            "link" if view.href else "literal", view.text, href=view.href, title=self.views.curie(iri)
        )
