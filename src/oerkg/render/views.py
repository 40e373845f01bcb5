"""What templates receive: texts with their language, links relative to the page, value views."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from ..model import Model, Value
from ..vocab import RDF_FIRST, RDF_LANG_STRING, SCHEMA, SKOS, XSD_STRING
from .escaping import escape
from .literals import DATE_TYPES, LiteralFormats

__all__ = ["DATE_TYPES", "PropView", "Text", "ValueView", "Views"]

# Dates an HTML <time datetime> accepts as they are (year, month, date).
_HTML_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
MAX_NESTING = 4  # blank nodes shown inside blank nodes; deeper ones (and cycles) are elided
MAX_ITEMS = 1000  # members of one RDF list shown
MAX_LINK_VIEWS = 100_000  # cached link views per process (about 50 MB)
# Notes for the graph's editors, not its readers (SKOS 7.1: "information to aid administrative
# housekeeping"): kept in the sources and the dumps, never shown on a page.
NOT_PUBLIC = frozenset({f"{SKOS}editorialNote", f"{SKOS}changeNote"})
SHORT_IRI = 40  # characters of an unlabelled IRI's last segment shown as a link's text
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@dataclass(frozen=True, slots=True)
class Text:
    """A text to show, with `lang` set when it differs from the page's language."""

    text: str
    lang: str = ""  # for a lang attribute; empty when the page's language applies
    fallback: str = ""  # the language shown instead of a missing translation (badge)
    hint: str = ""  # the badge's tooltip, in the page's language

    def __html__(self) -> str:
        # Texts are the most frequent thing on a page; marking them up here rather than in a
        # macro keeps rendering fast (jinja2 calls __html__ when autoescaping).
        html = escape(self.text)
        if self.lang:
            html = f'<span lang="{self.lang}">{html}</span>'
        if self.fallback:
            html = (
                f'{html} <small class="fallback" title="{escape(self.hint)}">({self.fallback})</small>'
            )
        return html


@dataclass(frozen=True, slots=True)
class ValueView:
    """One value of a property as a page shows it."""

    kind: str  # "link" (our page), "external", "literal", "bnode"
    text: Text
    href: str = ""
    host: str = ""  # the domain of an external IRI
    note: str = ""  # a foreign literal's language tag, or an external link's domain, shown discreetly
    title: str = ""  # shown on hover: a literal's datatype, an external link's full IRI
    datetime: str = ""  # for <time datetime>, when the literal is a date HTML accepts
    props: tuple[PropView, ...] = ()  # a blank node's own statements
    items: tuple[ValueView, ...] = ()  # the members of an RDF list
    html: str = field(default="", init=False, repr=False, compare=False)  # made by __html__

    def __html__(self) -> str:
        # Values are on every page by the hundred and their views are shared between pages
        # (see Views): each is marked up once, here rather than in a macro.
        if not self.html:
            object.__setattr__(self, "html", self._markup())
        return self.html

    def _markup(self) -> str:
        if self.kind == "list":
            items = "".join(f"<li>{v.__html__()}</li>" for v in self.items)
            return f'<ol class="rdf-list">{items}</ol>\n'
        if self.kind == "bnode":
            return props_html(self.props, "nested") + "\n"
        html = self.text.__html__()
        title = f' title="{escape(self.title)}"' if self.title else ""
        if self.kind == "link" and self.href:
            html = f'<a href="{escape(self.href)}"{title}>{html}</a>'
        elif self.kind == "external" and self.href:
            html = f'<a class="ext" href="{escape(self.href)}"{title}>{html}</a>'
        elif self.kind == "literal" and self.datetime:
            html = f'<time datetime="{escape(self.datetime)}"{title}>{html}</time>'
        elif title:
            html = f"<span{title}>{html}</span>"
        note = self.host if self.kind == "external" else self.note
        return f'{html} <small class="note">{escape(note)}</small>' if note else html


@dataclass(frozen=True, slots=True)
class PropView:
    """A property and its values, or a group of incoming links."""

    iri: str
    label: Text
    curie: str
    href: str  # the term's documentation, or ""
    values: tuple[ValueView, ...]
    inverse: bool = False  # an incoming link shown as "<label> of", lacking an inverse label


def props_html(props: tuple[PropView, ...], css_class: str = "props") -> Markup:
    """Mark up properties and their values as a description list."""
    return Markup(f'<dl class="{escape(css_class)}">\n{"".join(map(prop_html, props))}</dl>')


def prop_html(p: PropView) -> str:
    """Mark up one property and its values as a row of a description list."""
    label = p.label.__html__()
    # The human label first, the prefixed name on hover (as LodView shows properties).
    curie = escape(p.curie)
    if p.href:
        label = f'<a href="{escape(p.href)}" title="{curie}">{label}</a>'
    else:
        label = f'<span title="{curie}">{label}</span>'
    values = "".join(f"<dd>{v.__html__()}</dd>" for v in p.values)
    return f"<div><dt>{label}</dt>\n{values}</div>\n"


def suffix(lang: str, languages: tuple[str, ...]) -> str:
    """Return the file-name suffix of a language: none for the first language, `.fr` else."""
    return "" if lang == languages[0] else f".{lang}"


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def short_iri(iri: str) -> str:
    """Shorten an IRI without a label to a readable link text: `metadata.un.org/sdg/4`,
    `www.unesco.org/…/oer-dynamic-coalition` (the whole IRI goes in the link's title)."""
    parts = urlsplit(iri)
    if not parts.hostname:
        return iri if len(iri) <= SHORT_IRI else iri[: SHORT_IRI - 1] + "…"
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if parts.fragment:
        segments.append(unquote(parts.fragment))
    shown = segments if len(segments) <= 2 else ["…", segments[-1]]
    last = shown[-1] if shown else ""
    if len(last) > SHORT_IRI:
        shown[-1] = last[: SHORT_IRI - 1] + "…"
    return "/".join([parts.hostname.removeprefix("www."), *shown])


def humanise(name: str) -> str:
    """Turn a local name such as `foundingDate` into `founding date`."""
    return _CAMEL.sub(" ", name).replace("_", " ").lower()


class Views:
    """Label, link and value views for one model, with every lookup cached per language."""

    def __init__(
        self, model: Model, class_paths: dict[str, str], strings: Mapping[str, Mapping[str, str]]
    ) -> None:
        self.model = model
        self.strings = strings
        self.languages = model.config.languages
        self.ours = model.config.ontology_ns
        self.class_paths = class_paths  # class IRI -> "class/Name"
        self._labels: dict[tuple[str, str], Text] = {}
        self._links: dict[tuple[str, str, str], ValueView] = {}
        self._literals: dict[tuple[str, str, str, str], ValueView] = {}
        self._heads: dict[tuple[str, str, str], tuple[Text, str, str]] = {}
        self._curies: dict[str, str] = {}
        self.formats = LiteralFormats(strings)

    def forget_values(self) -> None:
        """Bound the caches of a process rendering a large site: drop the literal views (most
        literals are on one entity's pages only), and the link views once there are many
        (links recur from page to page: keeping them saves about a tenth of the rendering).
        Label and CURIE lookups stay."""
        self._literals.clear()
        if len(self._links) > MAX_LINK_VIEWS:
            self._links.clear()

    def curie(self, iri: str) -> str:
        curie = self._curies.get(iri)
        if curie is None:
            curie = self._curies[iri] = self.model.curie(iri)
        return curie

    def label(self, iri: str, lang: str) -> Text:
        key = (iri, lang)
        text = self._labels.get(key)
        if text is None:
            found = self.model.label(iri, lang)
            if not found.lang:  # no label at all: a readable name rather than a CURIE
                text = Text(humanise(local_name(iri)) or iri, "en" if lang != "en" else "")
            elif found.lang == lang:
                text = Text(found.text)
            else:
                text = self.foreign(found.text, found.lang, found.fallback, lang)
            self._labels[key] = text
        return text

    def class_name(self, iri: str, lang: str) -> Text:
        """Return a class's label as a title, its first letter capitalised ("Person")."""
        text = self.label(iri, lang)
        return replace(text, text=text.text[:1].upper() + text.text[1:])

    def description(self, iri: str, lang: str) -> Text | None:
        found = self.model.description(iri, lang)
        if found is None:
            return None
        if found.lang == lang:
            return Text(found.text)
        return self.foreign(found.text, found.lang, found.fallback, lang)

    def foreign(self, text: str, lang: str, fallback: bool, page_lang: str) -> Text:
        """Show a text in another language than the page's, badged when it replaces a translation."""
        if not fallback:
            return Text(text, lang)
        return Text(text, lang, lang, self.strings[page_lang]["fallback_title"])

    def page_href(self, stem: str, lang: str, root: str) -> str:
        return f"{root}{stem}{suffix(lang, self.languages)}.html"

    def term_href(self, iri: str, lang: str, root: str) -> str:
        """Link a class or property to its documentation: ours on the ontology page."""
        if iri.startswith(self.ours) and iri in self.model.terms:
            return f"{root}ontology{suffix(lang, self.languages)}.html#{local_name(iri)}"
        path = self.class_paths.get(iri)
        if path:
            return self.page_href(path, lang, root)
        return iri if iri.startswith(("http://", "https://")) else ""

    def linkable(self, iri: str) -> bool:
        """Tell whether a link to `iri` has somewhere to go: our page, or a web address."""
        return self.model.stem(iri) is not None or bool(self.term_href(iri, self.languages[0], ""))

    def term_view(self, iri: str, lang: str, root: str) -> ValueView:
        """Show a class, property or datatype: its label (or CURIE) linked to its documentation."""
        known = iri in self.model.terms or iri in self.model.labels
        text = self.label(iri, lang) if known else Text(self.curie(iri))
        return ValueView("link", text, href=self.term_href(iri, lang, root))

    def value_for_class(self, iri: str, lang: str, root: str) -> ValueView:
        """Show a class linked to the page listing its instances."""
        path = self.class_paths.get(iri)
        href = self.page_href(path, lang, root) if path else self.term_href(iri, lang, root)
        return ValueView("link", self.class_name(iri, lang), href=href)

    def link(self, iri: str, lang: str, root: str) -> ValueView:
        """Show an IRI: our entity as a link to its page, anything else with its domain."""
        key = (iri, lang, root)
        view = self._links.get(key)
        if view is None:
            view = self._links[key] = self._iri(iri, lang, root)
        return view

    def value(self, value: Value, lang: str, root: str, depth: int = 0) -> ValueView:
        if value.kind == "iri":
            return self.link(value.value, lang, root)
        if value.kind == "bnode":  # not cached: what is shown depends on the nesting depth
            return self._node(value.value, lang, root, depth)
        # Keyed by plain strings, whose hashes Python keeps, rather than by the Value.
        key = (value.value, value.lang, value.datatype, lang)
        view = self._literals.get(key)
        if view is None:
            view = self._literals[key] = self._literal(value, lang)
        return view

    def _node(self, node: str, lang: str, root: str, depth: int) -> ValueView:
        """Show a blank node inline: its statements, or the members of an RDF list."""
        if depth >= MAX_NESTING:
            return ValueView("literal", Text("[…]"))
        props = self.model.bnodes.get(node, ())
        if any(p == RDF_FIRST for p, _ in props):
            members = self.model.list_members(node, limit=MAX_ITEMS)
            items = tuple(self.value(v, lang, root, depth + 1) for v in members)
            return ValueView("list", Text(""), items=items)
        shown = tuple(
            PropView(
                p, *self._head(p, lang, root), tuple(self.value(v, lang, root, depth + 1) for v in vs)
            )
            for p, vs in props
            if p not in NOT_PUBLIC
        )
        return ValueView("bnode", Text(""), props=shown)

    def _literal(self, value: Value, lang: str) -> ValueView:
        if value.lang or value.datatype in (XSD_STRING, RDF_LANG_STRING, ""):
            foreign = value.lang if value.lang and value.lang != lang else ""
            return ValueView("literal", Text(value.value, foreign), note=foreign)
        # A typed value as the reader writes it; its datatype on hover (the raw form stays
        # in <time datetime> and in the page's JSON-LD).
        dt = value.value if value.datatype in DATE_TYPES and _HTML_DATE.fullmatch(value.value) else ""
        text = Text(self.formats.text(value.value, value.datatype, lang))
        return ValueView("literal", text, datetime=dt, title=self.curie(value.datatype))

    def _iri(self, iri: str, lang: str, root: str) -> ValueView:
        stem = self.model.stem(iri)
        if stem is not None:
            return ValueView("link", self.label(iri, lang), href=self.page_href(stem, lang, root))
        if iri in self.class_paths:  # a class as a value (rdf:type): its page, its CURIE aside
            view = self.value_for_class(iri, lang, root)
            return ValueView("link", view.text, href=view.href, note=self.curie(iri))
        term_href = self.term_href(iri, lang, root) if iri in self.model.terms else ""
        if term_href and not term_href.startswith("http"):
            return ValueView("link", self.label(iri, lang), href=term_href)
        known = iri in self.model.labels or iri in self.model.terms
        text = self.label(iri, lang) if known else Text(short_iri(iri))
        host = urlsplit(iri).hostname or "" if iri.startswith(("http://", "https://")) else ""
        href = iri if host else ""
        return ValueView("external", text, href=href, host=host if known else "", title=iri)

    def prop(self, predicate: str, values: tuple[Value, ...], lang: str, root: str) -> PropView:
        head = self._head(predicate, lang, root)
        return PropView(predicate, *head, tuple(self.value(v, lang, root) for v in values))

    def _head(self, predicate: str, lang: str, root: str) -> tuple[Text, str, str]:
        key = (predicate, lang, root)
        head = self._heads.get(key)
        if head is None:
            head = (self.label(predicate, lang), self.curie(predicate), self.term_href(*key))
            self._heads[key] = head
        return head

    def schema_type(self, iri: str) -> bool:
        return iri.startswith((SCHEMA, "https://schema.org/"))
