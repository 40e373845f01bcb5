"""How a reader takes the data away: the downloads page (the dumps) and the query page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ...formats import Format
from ...vocab import XSD
from ..jsonld import CONTEXT, embed
from ..renderer import Context, Page, Renderer
from ..views import Text, suffix
from .shared import Index

if TYPE_CHECKING:
    from ...dumps import Download

# The query page's engine, its size stated before a reader asks for it; the UI strings its
# script shows besides the `q_` ones.
ENGINE = "vendor/oxigraph/web_bg.wasm.gz"
QUERY_STRINGS = ("results", "rows", "no_rows", "running", "query_failed")


def downloads_page(ix: Index) -> list[Page]:
    """The dumps, with the dataset's schema.org description."""
    dataset = downloads_jsonld(ix.r, ix.downloads, ix.build_date)

    def context(lang: str, root: str) -> Context:
        return ix.dated(
            {
                "title": Text(ix.r.strings[lang]["downloads"]),
                "current": "downloads",
                "jsonld": dataset,
                "downloads": tuple((d, _size(d.size, ix.r.strings[lang])) for d in ix.downloads),
            }
        )

    return [Page("downloads", "downloads.html", context)]


def downloads_jsonld(r: Renderer, downloads: Sequence[Download], build_date: str) -> str:
    """Describe the dataset and its dumps as a schema.org Dataset with DataDownload entries."""
    config = r.config
    data: Context = {
        "@context": CONTEXT,
        "@type": "Dataset",
        "@id": config.base,
        "name": config.dataset.title,
        "description": config.dataset.description,
        "license": {"@id": config.dataset.license},
        "publisher": {"@type": "Organization", "name": config.dataset.publisher_name},
        "inLanguage": list(config.languages),
        "keywords": list(config.dataset.keywords),
        "distribution": [
            {
                "@type": "DataDownload",
                "contentUrl": {"@id": config.base + d.path},
                "encodingFormat": d.media_type,
                "contentSize": str(d.size),
                "name": d.label,
                "sha256": d.sha256,
            }
            for d in downloads
        ],
    }
    if config.dataset.publisher_url:
        data["publisher"]["url"] = {"@id": config.dataset.publisher_url}
    if build_date:
        data["dateModified"] = {"@value": build_date, "@type": f"{XSD}date"}
    return embed(data)


def query_page(ix: Index) -> list[Page]:
    """The query editor (static/query.js), with the example queries and the start of their
    results, which are what a reader without JavaScript gets."""
    views, examples, config = ix.views, ix.examples, ix.r.config
    # The in-browser engine loads the smallest N-Quads dump: named graphs kept, so queries
    # give the rows `oerkg query` gives.
    dump = min(
        (d for d in ix.downloads if d.format is Format.N_QUADS), key=lambda d: d.size, default=None
    )
    engine = ix.r.templates.folder / "static" / ENGINE
    engine_size = engine.stat().st_size if engine.is_file() else 0
    prefixes = sorted(ix.model.prefixes.items())

    def localised(texts: Mapping[str, str], lang: str) -> Text:
        if lang in texts:
            return Text(texts[lang])
        first = next(iter(texts), "")
        return views.foreign(texts[first], first, True, lang) if first else Text("")

    def context(lang: str, root: str) -> Context:
        t = ix.r.strings[lang]
        rows = tuple(
            {
                "example": ex,
                "title": localised(ex.titles, lang),
                "description": localised(ex.descriptions, lang),
                "rows": tuple(
                    tuple(views.value(c, lang, root) if c else None for c in row) for row in ex.rows
                ),
                "total": ex.total,
            }
            for ex in examples
        )
        shown = {k: v for k, v in t.items() if k.startswith("q_") or k in QUERY_STRINGS}
        return ix.dated(
            {
                "title": Text(t["query"]),
                "current": "query",
                "examples": rows,
                "first": examples[0].text if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
                "ui": embed(shown),
                "suffix": suffix(lang, ix.r.languages),
                "base": config.base,
                "entity_space": config.entity_space,
                "ontology_ns": config.ontology_ns,
                "prefixes": prefixes,
                "dump": dump,
                "statements": ix.statements,
                "statements_text": f"{ix.statements:,}".replace(",", t["thousands"]),
                "download_size": _size(engine_size + (dump.size if dump else 0), t),
                "browser_limit": config.browser_query_limit,
                "endpoint": config.sparql_endpoint,
            }
        )

    return [Page("query", "query.html", context)]


def _size(n: int, t: dict[str, str]) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f}".replace(".", t["decimal"]) + f"\u00a0{unit}"
    return t["bytes"].format(n)
