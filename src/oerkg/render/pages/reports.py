"""The reports on the data: the validation report and the translation coverage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..renderer import Context, Page
from ..views import Text
from .shared import Index, sorted_once

SEVERITIES = ("Violation", "Warning", "Info")


def validation_pages(ix: Index) -> list[Page]:
    """The validation report: its counts by severity, then its problems."""
    report, views = ix.report, ix.views
    severities = Counter(str(p.severity) for p in report.problems)

    def listing(lang: str, root: str, rows: slice) -> Context:
        problems = tuple(
            {
                "problem": p,
                "focus": views.link(p.focus, lang, root) if p.focus in ix.model.entities else None,
            }
            for p in report.problems[rows]
        )
        return ix.dated(
            {
                "title": Text(ix.r.strings[lang]["validation"]),
                "current": "",
                "conforms": report.conforms,
                "counts": tuple((s, severities[s]) for s in SEVERITIES),
                "problems": problems,
                "triples": report.triples,
            }
        )

    return ix.paged("validation", "validation.html", len(report.problems), listing)


def translation_pages(ix: Index) -> list[Page]:
    """The share of entities with a label and a description in each language, then the gaps."""
    model, r = ix.model, ix.r
    total = len(model.entities)
    tables = (("label", model.labels), ("description", model.descriptions))
    covered = {
        lg: [sum(1 for i in model.entities if lg in table.get(i, {})) for _, table in tables]
        for lg in r.languages
    }
    missing = {
        iri: gaps
        for iri in model.entities
        if (
            gaps := tuple(
                (lg, kind)
                for lg in r.languages
                for kind, table in tables
                if lg not in table.get(iri, {})
            )
        )
    }
    untranslated = sorted_once(list(missing), ix.by_label)
    # The example queries' titles and descriptions (queries/*.rq), counted the same way.
    examples = ix.examples
    example_gaps = {
        lg: tuple(ex.name for ex in examples if lg not in ex.titles or lg not in ex.descriptions)
        for lg in r.languages
    }
    site_texts = {lg: _site_texts(ix, lg) for lg in r.languages}

    def listing(lang: str, root: str, rows: slice) -> Context:
        t = r.strings[lang]
        coverage = tuple(
            (lg, r.strings[lg]["language_name"], *(_count(n, total, t) for n in covered[lg]))
            for lg in r.languages
        )
        queries = tuple(
            (
                lg,
                r.strings[lg]["language_name"],
                _count(sum(lg in ex.titles for ex in examples), len(examples), t),
                _count(sum(lg in ex.descriptions for ex in examples), len(examples), t),
                example_gaps[lg],
            )
            for lg in r.languages
        )
        interface = tuple(
            (
                lg,
                r.strings[lg]["language_name"],
                tuple(
                    (key, n, of, _count(n, of, t)[1])
                    for key, (n, of) in zip(SITE_TEXTS, site_texts[lg], strict=True)
                ),
            )
            for lg in r.languages
        )
        gaps = tuple((ix.views.link(iri, lang, root), missing[iri]) for iri in untranslated(lang)[rows])
        return ix.dated(
            {
                "title": Text(t["translations"]),
                "current": "",
                "total": total,
                "coverage": coverage,
                "queries": queries if examples else (),
                "interface": interface,
                "interface_keys": SITE_TEXTS,
                "gaps": gaps,
            }
        )

    return ix.paged("translations", "translations.html", len(missing), listing)


# What the site itself says around the data, counted per language on the translations page.
SITE_TEXTS = ("site_title", "home_intro", "ui_strings", "type_names", "property_names")


def _site_texts(ix: Index, lang: str) -> tuple[tuple[int, int], ...]:
    """Count (translated, all) of SITE_TEXTS in `lang`: the title and home introduction
    (oerkg.toml), the interface's strings (site_templates/strings.toml), the names of the
    listed types and of our properties (the ontology's labels)."""
    model, first = ix.model, ix.en
    dataset = model.config.dataset
    given = lang == first or bool(dataset.title_in(lang)[1])
    described = lang == first or bool(dataset.description_in(lang)[1])
    strings = ix.r.strings
    interface = sum(1 for k in strings[first] if strings[lang].get(k, "").strip())
    properties = [t.iri for t in model.terms.values() if t.ours and t.kind == "property"]

    def named(iris: Iterable[str]) -> tuple[int, int]:
        found = [model.label(i, lang) for i in iris]
        return sum(1 for label in found if label.lang == lang and not label.fallback), len(found)

    return (
        (int(given), 1),
        (int(described), 1 if dataset.description else 0),
        (interface, len(strings[first])),
        named(sorted(ix.r.class_paths)),
        named(sorted(properties)),
    )


def _count(n: int, total: int, t: dict[str, str]) -> tuple[int, str]:
    share = 100 * n / total if total else 100.0
    return n, t["percent"].format(f"{share:.0f}")
