"""Finding one's way: breadcrumbs, the type linking to its listing, one listing per class with
a capitalised title, an HTML site map listing every page, and the search field everywhere."""

from __future__ import annotations

import posixpath
from pathlib import Path

from test_render import Element, Page

from oerkg.build import build
from oerkg.config import load_config

LANGUAGES = {"en": "", "fr": ".fr", "sv": ".sv"}


def target(site: Path, page: Path, href: str) -> Path:
    """The file a relative link of a page points to."""
    relative = posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), href))
    return site / relative.split("#")[0]


def links(element: Element) -> list[Element]:
    found = [element] if element.tag == "a" else []
    for child in element.children:
        found += links(child)
    return found


def language_suffix(path: Path) -> str:
    """The suffix of a page's language: "" (English), ".fr" or ".sv"."""
    parts = path.name.split(".")
    return f".{parts[-2]}" if len(parts) == 3 else ""


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_entity_pages_have_breadcrumbs_home_class_entity(site: Path) -> None:
    problems = []
    entity_pages = sorted((site / "id").glob("*.html"))
    assert len(entity_pages) > 100
    for path in entity_pages:
        page = Page(path.read_text(encoding="utf-8"))
        crumbs = page.find("nav", class_="crumbs")
        if len(crumbs) != 1:
            problems.append(f"{path.name}: {len(crumbs)} breadcrumb trails")
            continue
        items = crumbs[0].children[0].children
        hrefs = [a.attrs["href"] for item in items[:-1] for a in links(item)]
        home = f"../index{language_suffix(path)}.html"
        if len(items) != 3 or hrefs[:1] != [home] or not hrefs[1].startswith("../class/"):
            problems.append(f"{path.name}: {[i.text for i in items]} {hrefs}")
            continue
        if not all(target(site, path, h).is_file() for h in hrefs):
            problems.append(f"{path.name}: a breadcrumb leads nowhere: {hrefs}")
        if links(items[-1]) or items[-1].text.strip() != page.find("h1")[0].text.strip():
            problems.append(f"{path.name}: the last crumb is not the page's own title")
    assert not problems, "\n".join(problems[:20])


def test_the_type_links_to_the_listing_of_its_class(site: Path) -> None:
    """The infobox's first row is the types, ours first: that one links to the listing that
    lists the entity (another vocabulary's, say schema:DefinedTerm, to its definition)."""
    problems, checked = [], 0
    for path in sorted((site / "id").glob("*.html")):
        page = Page(path.read_text(encoding="utf-8"))
        infobox = page.find("dl", class_="infobox")
        if not infobox or not infobox[0].children:
            problems.append(f"{path.name}: no infobox")
            continue
        for a in links(infobox[0].children[0].children[1])[:1]:  # the first row's <dd>
            href = a.attrs["href"]
            listing = target(site, path, href)
            if not href.startswith("../class/") or not listing.is_file():
                problems.append(f"{path.name}: type {a.text!r} links to {href}")
                continue
            own = posixpath.relpath(path.relative_to(site).as_posix(), "class")
            main = Page(listing.read_text("utf-8")).find("main")[0]
            if own not in [
                x.attrs["href"] for x in links(main)
            ]:  # the real site's listings fit on one page
                problems.append(f"{path.name}: not listed on {href}")
            checked += 1
    assert not problems, "\n".join(problems[:20])
    assert checked >= len(list((site / "id").glob("*.html")))


def test_one_listing_per_class_with_a_capitalised_title(site: Path) -> None:
    home_types = {"en": "Types of entity", "fr": "Types d’entité", "sv": "Typer av entiteter"}
    for lang, sfx in LANGUAGES.items():
        listings = [p for p in (site / "class").glob("*.html") if language_suffix(p) == sfx]
        titles = [Page(p.read_text("utf-8")).find("h1")[0].text.strip() for p in listings]
        assert titles and all(t[:1].isupper() for t in titles), titles
        assert len(set(titles)) == len(titles), sorted(titles)  # no two listings named alike
        # "Types of entity" on the home page counts the listings, and it links to each.
        home = Page((site / f"index{sfx}.html").read_text("utf-8"))
        counts = {
            div.children[0].text: div.children[1].text
            for div in home.find("dl", class_="counts")[0].children
        }
        assert counts[home_types[lang]] == str(len(listings)), counts
        linked = {a.attrs["href"] for a in links(home.find("main")[0])}
        assert {f"class/{p.name}" for p in listings} <= linked


def test_the_site_map_lists_every_page(site: Path) -> None:
    for sfx in LANGUAGES.values():
        first = site / f"sitemap{sfx}.html"
        sitemaps = (
            [first, *sorted((site / "sitemap").glob(f"*{sfx}.html"))]
            if (site / "sitemap").is_dir()
            else [first]
        )
        listed: set[Path] = set()
        for path in sitemaps:
            for a in links(Page(path.read_text("utf-8")).find("main")[0]):
                listed.add(target(site, path, a.attrs["href"]).resolve())
        own = {p.resolve() for p in html_pages(site) if language_suffix(p) == sfx}
        missing = own - listed - {site / "404.html", *map(Path.resolve, sitemaps)}
        assert not missing, sorted(str(p.relative_to(site)) for p in missing)[:20]
    footer = Page((site / "id" / "coalition.fr.html").read_text("utf-8")).find("footer")[0]
    assert "../sitemap.fr.html" in [a.attrs["href"] for a in links(footer)]


def test_every_page_has_a_search_field_in_its_header(site: Path) -> None:
    problems = []
    for path in html_pages(site):
        page = Page(path.read_text(encoding="utf-8"))
        header = page.find("header", class_="site")
        forms = [f for f in page.find("form") if f.attrs.get("role") == "search"]
        fields = [i for i in page.find("input") if i.attrs.get("type") == "search"]
        if len(header) != 1 or len(forms) != 1 or not fields:
            problems.append(f"{path.relative_to(site)}: no search form in the header")
            continue
        action = forms[0].attrs["action"]
        if path.name == "404.html":
            ok = action == "/search.html"
        else:
            ok = target(site, path, action).is_file()
        if not ok:
            problems.append(f"{path.relative_to(site)}: the search form goes to {action}")
    assert not problems, "\n".join(problems[:20])


def test_site_title_and_home_introduction_in_the_readers_language(site: Path) -> None:
    titles = {}
    for lang, sfx in LANGUAGES.items():
        home = Page((site / f"index{sfx}.html").read_text("utf-8"))
        brand = home.find("p", class_="brand")[0]
        titles[lang] = brand.text.strip()
        lead = home.find("p", class_="lead")[0]
        assert "lang" not in lead.attrs and not lead.children, (lang, lead.text)
    assert len(set(titles.values())) == 3, titles
    assert "Unescos" in titles["sv"] and "Coalition dynamique" in titles["fr"]


def test_the_translations_page_counts_the_sites_own_texts(project_copy: Path, tmp_path: Path) -> None:
    """Without a French title, French pages show the English one (marked as English), and the
    translations page counts it missing; the Swedish one stays."""
    toml = project_copy / "oerkg.toml"
    text = toml.read_text(encoding="utf-8")
    start = text.index("[dataset.translations.fr]")
    toml.write_text(text[:start] + text[text.index("[dataset.translations.sv]") :], encoding="utf-8")
    site = build(load_config(project_copy), out=tmp_path / "site").out
    brand = Page((site / "index.fr.html").read_text("utf-8")).find("p", class_="brand")[0]
    assert [s.attrs.get("lang") for s in brand.children[0].children] == ["en"]
    page = Page((site / "translations.html").read_text("utf-8"))
    rows = {
        tr.children[0].text: [td.text for td in tr.children[1:]]
        for tr in page.find("table", class_="site-texts")[0].children[2].children
    }
    assert rows["Français"][:2] == ["0 of 1 (0%)", "0 of 1 (0%)"], rows
    assert rows["Svenska"][:2] == ["1 of 1 (100%)", "1 of 1 (100%)"], rows
    assert all(cell.endswith("(100%)") for cell in rows["English"]), rows
