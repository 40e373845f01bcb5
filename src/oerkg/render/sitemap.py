"""The sitemap (sitemaps.org protocol): every HTML page with its other-language variants."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .escaping import escape
from .renderer import Renderer
from .views import suffix


def sitemap_entries(
    paths: Sequence[str], r: Renderer
) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Return (URL, ((language, URL of that variant), …)) for every HTML page but the 404."""
    base, languages = r.config.base, r.languages
    stems: dict[str, list[str]] = {}
    for path in paths:
        if not path.endswith(".html") or path == "404.html":
            continue
        stem = path[: -len(".html")]
        lang = next((lg for lg in languages[1:] if stem.endswith(f".{lg}")), languages[0])
        stems.setdefault(stem[: len(stem) - len(suffix(lang, languages))], []).append(lang)
    entries: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for stem, langs in sorted(stems.items()):
        variants = tuple(
            (lg, f"{base}{stem}{suffix(lg, languages)}.html") for lg in languages if lg in langs
        )
        entries.extend((url, variants) for _, url in variants)
    return tuple(entries)


# sitemaps.org protocol: one sitemap file lists at most 50,000 URLs; a larger site is listed
# in several, named by a sitemap index ("Using Sitemap index files").
SITEMAP_URLS = 50_000


def sitemap_files(entries: Sequence[tuple[str, Any]], r: Renderer) -> dict[str, str]:
    """Return `sitemap.xml`: the sitemap, or for more than SITEMAP_URLS pages an index of
    `sitemap-1.xml`, `sitemap-2.xml`, … each listing at most SITEMAP_URLS of them."""
    if len(entries) <= SITEMAP_URLS:
        return {"sitemap.xml": r.templates.render("sitemap.xml", {"entries": entries})}
    files = {
        f"sitemap-{n}.xml": r.templates.render("sitemap.xml", {"entries": entries[i : i + SITEMAP_URLS]})
        for n, i in enumerate(range(0, len(entries), SITEMAP_URLS), start=1)
    }
    listed = "".join(f"<sitemap><loc>{escape(r.config.base + name)}</loc></sitemap>\n" for name in files)
    files["sitemap.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{listed}</sitemapindex>\n'
    )
    return files
