"""Render one page in each of its languages: the templates, strings and shared chrome."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..model import Model
from .entity import EntityPages, primary_types
from .env import Templates
from .jsonld import embed, entity_jsonld
from .views import Text, Views, local_name, suffix

Context = dict[str, Any]


@dataclass(frozen=True)
class Page:
    """A page to render in each language (or only in `languages`): `context(lang, root)` gives
    its own variables."""

    stem: str
    template: str
    context: Callable[[str, str], Context]
    languages: Sequence[str] | None = None


NAV = ("index", "timeline", "ontology", "query", "downloads")
FOOTER = ("validation", "translations", "shapes")


class Renderer:
    """The templates, strings and cached label lookups shared by every page of one model."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.config = model.config
        self.languages = model.config.languages
        self.templates = Templates(model.config.project / "site_templates", self.languages)
        self.strings = self.templates.strings
        self.class_paths = class_paths(model)
        self.views = Views(model, self.class_paths, self.strings)
        self.entity_pages = EntityPages(self.views)
        self._common: dict[tuple[str, int], dict[str, Any]] = {}
        self._chrome: dict[tuple[str, str, str, str], dict[str, Markup]] = {}

    def render(self, page: Page) -> dict[str, str]:
        """Render one page in each of its languages, as {relative path: HTML}."""
        stem, languages = page.stem, page.languages or self.languages
        basename = stem.rsplit("/", 1)[-1]
        alternates = tuple(
            (lg, f"{basename}{suffix(lg, self.languages)}.html", self.strings[lg]["language_name"])
            for lg in languages
        )
        depth = stem.count("/")
        out: dict[str, str] = {}
        for lang in languages:
            root = "../" * depth
            context = {**self.common(lang, depth), "alternates": alternates, "page": stem}
            context.update(page.context(lang, root))
            context.update(self.chrome(context))
            out[self.path(stem, lang)] = self.templates.render(page.template, context)
        return out

    def path(self, stem: str, lang: str) -> str:
        return f"{stem}{suffix(lang, self.languages)}.html"

    def common(self, lang: str, depth: int) -> dict[str, Any]:
        """Return the variables every page of a language at a folder depth shares."""
        key = (lang, depth)
        if key not in self._common:
            root = "../" * depth
            sfx = suffix(lang, self.languages)
            self._common[key] = {
                "lang": lang,
                "t": self.strings[lang],
                "language_names": {lg: self.strings[lg]["language_name"] for lg in self.languages},
                "root": root,
                "static": f"{root}static/",
                "site_name": self.site_name(lang),
                "sfx": sfx,
                "crumbs": (),  # (text, href) from the home page down; the last is this page
                "license": self.config.dataset.license,
                "nav": tuple((k, f"{root}{k}{sfx}.html") for k in NAV),
                "footer_nav": tuple((k, f"{root}{k}{sfx}.html") for k in FOOTER),
                "build_date": "",
                "jsonld": "",
                "formats": (),
                "pager": None,  # a listing's pages (see pages.shared.paged)
                "description_meta": "",
            }
        return self._common[key]

    def site_name(self, lang: str) -> Text:
        """Return the dataset's title in `lang`, else in the first language (marked as such)."""
        title, found = self.config.dataset.title_in(lang)
        first = self.languages[0]
        return Text(title, "" if found or lang == first else first)

    def chrome(self, page: dict[str, Any]) -> dict[str, Markup]:
        """Return the site navigation and footer, rendered once for all pages that share them."""
        key = (page["lang"], page["root"], page["current"], page["build_date"])
        if key not in self._chrome:
            self._chrome[key] = {
                "site_nav": Markup(self.templates.render("_site_nav.html", page)),
                "footer": Markup(self.templates.render("_footer.html", page)),
            }
        return self._chrome[key]

    def class_crumbs(self, classes: Sequence[str], lang: str, root: str) -> tuple[tuple[Text, str], ...]:
        """Return the breadcrumbs down to a class's listing: the home page, then the class."""
        home = (Text(self.strings[lang]["index"]), self.views.page_href("index", lang, root))
        return (
            home,
            *(
                (self.views.class_name(c, lang), self.views.value_for_class(c, lang, root).href)
                for c in classes
            ),
        )

    def entity(self, iri: str) -> dict[str, str]:
        entity = self.model.entities[iri]
        data = embed(entity_jsonld(self.model, entity))
        shared = self.entity_pages.context(entity)
        classes = [t for t in primary_types(self.model, entity) if t in self.class_paths]

        def context(lang: str, root: str) -> dict[str, Any]:
            ctx = shared(lang, root)
            ctx["jsonld"] = data
            ctx["current"] = ""
            ctx["title"] = ctx["label"]
            ctx["description_meta"] = ctx["description"].text if ctx["description"] else ""
            ctx["crumbs"] = (*self.class_crumbs(classes[:1], lang, root), (ctx["label"], ""))
            return ctx

        return self.render(Page(entity.stem, "entity.html", context))


def listed_classes(model: Model) -> list[str]:
    """List the classes that get a listing: ours, and another vocabulary's only where none of
    ours covers its instances (an entity typed both oerdc:Person and schema:Person is listed
    once, under ours)."""
    ns = model.config.ontology_ns
    shown: set[str] = set()
    for e in model.entities.values():
        ours = [t for t in e.types if t.startswith(ns)]
        shown.update(ours or e.types)
    return sorted(shown)


def class_paths(model: Model) -> dict[str, str]:
    """Give each listed class a page `class/<LocalName>`, qualified where names clash."""
    classes = listed_classes(model)
    names: dict[str, list[str]] = {}
    for iri in classes:
        names.setdefault(local_name(iri), []).append(iri)
    ours = model.config.ontology_ns
    paths: dict[str, str] = {}
    for name, iris in sorted(names.items()):
        # Our own class keeps the plain name when another vocabulary's class shares it.
        plain = [i for i in iris if i.startswith(ours)] if len(iris) > 1 else iris
        for iri in iris:
            if iri in plain[:1]:
                paths[iri] = f"class/{name}"
            else:
                paths[iri] = "class/" + model.curie(iri).replace(":", "-").replace("/", "-")
    return paths
