"""The site renderer: pages in three languages, escaping, fallbacks, template errors."""

from __future__ import annotations

import json
import posixpath
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import jinja2
import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st

import oerkg.render.sitemap
from oerkg.build import BuildResult
from oerkg.config import load_config
from oerkg.dumps import Download
from oerkg.errors import InputError
from oerkg.formats import Format
from oerkg.load import Project, load_project
from oerkg.model import Model, Value, build_model
from oerkg.render import SHOWN_ROWS, Example, Found, escaping, render_entity, render_site
from oerkg.render.env import Templates
from oerkg.validate import Report, validate

ROOT = Path(__file__).parent.parent
BASE = "https://example.org/kg/"
COALITION = f"{BASE}id/coalition"
POLICY = f"{BASE}id/wg/policy"
VOID_ELEMENTS = {"meta", "link", "br", "img", "input", "hr", "source", "wbr", "area", "col"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)


class Page(HTMLParser):
    """A small DOM: every element with its attributes and its text content."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if self._open:
            self._open[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    folder = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "tests/data/render", folder, dirs_exist_ok=True)
    shutil.copytree(ROOT / "site_templates", folder / "site_templates")
    return load_project(load_config(folder))


@pytest.fixture(scope="module")
def model(project: Project) -> Model:
    return build_model(project)


@pytest.fixture(scope="module")
def report(project: Project) -> Report:
    return validate(project)


def render(model: Model, project: Project, report: Report) -> dict[str, str]:
    example = Example(
        name="01-groups",
        titles={"en": "Working groups", "fr": "Groupes de travail"},
        descriptions={"en": "Every working group and its coalition."},
        text="SELECT ?group ?coalition WHERE { ?group :partOf ?coalition }",
        columns=("group", "coalition"),
        rows=((Value("iri", POLICY), Value("iri", COALITION)), (Value("literal", "x"), None)),
        total=2,
    )
    dump = Download("dumps/graph.ttl", "Turtle", "text/turtle", 2048, "0" * 64, False, Format.TURTLE)
    return render_site(model, Found(report, [example], [dump], "2026-01-02"))


@pytest.fixture(scope="module")
def site(model: Model, project: Project, report: Report) -> dict[str, str]:
    return render(model, project, report)


def test_every_entity_has_a_page_in_each_language(model: Model, site: dict[str, str]) -> None:
    for entity in model.entities.values():
        for suffix in ("", ".fr", ".sv"):
            assert f"{entity.stem}{suffix}.html" in site


def test_every_page_has_one_h1_its_language_and_alternates(site: dict[str, str]) -> None:
    for path, text in site.items():
        if not path.endswith(".html"):
            continue
        page = Page(text)
        assert text.startswith("<!doctype html>"), path
        assert len(page.find("h1")) == 1, path
        (html,) = page.find("html")
        lang = path.split(".")[-2] if path.count(".") > 1 else "en"
        assert html.attrs["lang"] == lang, path
        assert page.find("main", id="main") and page.find("a", href="#main"), path
        if path != "404.html":
            hreflangs = {
                e.attrs["hreflang"] for e in page.find("link", rel="alternate") if "hreflang" in e.attrs
            }
            assert hreflangs == {"en", "fr", "sv", "x-default"}, path


def test_language_switch_marks_the_current_language(site: dict[str, str]) -> None:
    page = Page(site["id/coalition.fr.html"])
    (nav,) = [n for n in page.find("nav") if n.attrs.get("class") == "langs"]
    links = {a.attrs["hreflang"]: a.attrs for li in nav.children[0].children for a in li.children}
    assert links["en"]["href"] == "coalition.html"
    assert links["fr"].get("aria-current") == "page"
    assert "aria-current" not in links["sv"]


def test_links_are_relative_to_the_page(site: dict[str, str]) -> None:
    page = Page(site["id/wg/policy.html"])
    hrefs = {a.attrs["href"] for a in page.find("a")}
    assert "../../id/coalition.html" in hrefs
    assert "../../static/style.css" in {e.attrs["href"] for e in page.find("link", rel="stylesheet")}
    assert not any(h.startswith("/") for h in hrefs)


def test_incoming_links_use_the_inverse_label(site: dict[str, str]) -> None:
    page = Page(site["id/coalition.html"])
    (section,) = page.find("section", **{"aria-labelledby": "h-incoming"})
    assert "has part" in section.text
    assert "Policy working group" in section.text
    assert "organizer of" in " ".join(section.text.split())


def test_qualified_claims_show_value_and_source(site: dict[str, str]) -> None:
    (section,) = Page(site["id/coalition.html"]).find("section", **{"aria-labelledby": "h-claims"})
    text = " ".join(section.text.split())
    assert "Members: 30" in text and "preferred" in text and "Recommendation on OER" in text


def test_sources_link_the_document_and_its_url(site: dict[str, str]) -> None:
    (section,) = Page(site["id/coalition.html"]).find("section", **{"aria-labelledby": "h-sources"})
    hrefs = [a.attrs["href"] for a in section.children[1].children[0].children]
    assert hrefs == [
        "../id/doc/recommendation.html",
        "https://unesdoc.unesco.org/ark:/48223/pf0000373755",
    ]


def test_rdf_files_are_linked_in_the_head(site: dict[str, str]) -> None:
    page = Page(site["id/coalition.html"])
    types = {e.attrs.get("type"): e.attrs["href"] for e in page.find("link", rel="alternate")}
    assert types["text/turtle"] == "coalition.ttl"
    assert types["application/n-triples"] == "coalition.nt"
    assert types["application/ld+json"] == "coalition.jsonld"
    assert types["application/rdf+xml"] == "coalition.rdf"


def test_script_in_a_literal_stays_text_and_jsonld_holds_it(site: dict[str, str]) -> None:
    text = site["id/coalition.html"]
    page = Page(text)
    assert not page.find("b"), "the literal's markup must not become elements"
    assert "</script><b>x</b> <!-- y" in page.find("p", class_="lead")[0].text
    (script,) = page.find("script", type="application/ld+json")
    data = json.loads(script.text)
    assert data["@id"] == COALITION
    assert "Organization" in data["@type"]
    assert data["description"]["@value"] == "Brings people together </script><b>x</b> <!-- y"
    assert {"@value": "OER Dynamic Coalition", "@language": "en"} in data["name"]
    assert data["foundingDate"]["@type"].endswith("#date")


def test_missing_translation_falls_back_to_english_visibly(site: dict[str, str]) -> None:
    page = Page(site["id/wg/policy.sv.html"])
    (h1,) = page.find("h1")
    assert "Policy working group" in h1.text
    assert [c.attrs for c in h1.children if c.tag == "span"] == [{"lang": "en"}]
    assert any(c.attrs.get("class") == "fallback" and "(en)" in c.text for c in h1.children)
    (french,) = Page(site["id/wg/policy.fr.html"]).find("h1")
    assert french.text.strip() == "Groupe politique" and not french.children


def test_copy_button_has_an_accessible_name(site: dict[str, str]) -> None:
    (button,) = Page(site["id/coalition.sv.html"]).find("button", class_="copy")
    assert button.attrs["type"] == "button" and button.text == "Kopiera IRI"
    assert button.attrs["data-copy"] == COALITION


def test_index_pages_exist_and_link_the_main_entity(site: dict[str, str]) -> None:
    for stem in (
        "index",
        "timeline",
        "ontology",
        "shapes",
        "validation",
        "translations",
        "downloads",
        "query",
        "class/WorkingGroup",
    ):
        for suffix in ("", ".fr", ".sv"):
            assert f"{stem}{suffix}.html" in site
    (start,) = Page(site["index.html"]).find("section", class_="start")
    assert "OER Dynamic Coalition" in start.text
    assert {"404.html", "sitemap.xml", "robots.txt", "static/style.css", "static/query.js"} <= set(site)


def test_ontology_terms_have_anchors(site: dict[str, str]) -> None:
    page = Page(site["ontology.html"])
    assert page.find("section", id="WorkingGroup") and page.find("section", id="partOf")
    assert "Arbetsgrupp" in page.find("section", id="WorkingGroup")[0].text


def test_shapes_page_lists_what_a_class_requires(site: dict[str, str]) -> None:
    text = " ".join(Page(site["shapes.html"]).find("main")[0].text.split())
    assert "Working group" in text and "A working group needs a name." in text
    assert "1..1" in text and "Warning" in text


def test_query_page_has_a_labelled_editor_and_build_time_results(site: dict[str, str]) -> None:
    page = Page(site["query.html"])
    (textarea,) = page.find("textarea")
    assert page.find("label", for_=textarea.attrs["id"])
    assert textarea.text.startswith("SELECT ?group")
    (table,) = page.find("table")
    assert table.children[0].tag == "caption"
    assert page.find("a", href="id/wg/policy.html")


def test_query_page_speaks_the_pages_language_and_lists_the_prefixes(
    site: dict[str, str], model: Model
) -> None:
    """An example's title in the page's language, else the first language's, marked as such;
    the predeclared prefixes the script adds to queries, listed."""
    fr, sv = Page(site["query.fr.html"]), Page(site["query.sv.html"])
    (option,) = fr.find("option")
    assert option.text == "Groupes de travail" and "lang" not in option.attrs
    (option,) = sv.find("option")
    assert option.text == "Working groups" and option.attrs["lang"] == "en"
    assert option.attrs["data-description"] == "Every working group and its coalition."
    for page in (fr, sv):
        listed = {
            e.attrs["data-prefix"]: e.attrs["data-namespace"]
            for e in page.find("li")
            if "data-prefix" in e.attrs
        }
        assert listed == model.prefixes
        (form,) = page.find("form", id="query-form")
        assert (
            form.attrs["data-dump"] == "" and form.attrs["data-endpoint"] == ""
        )  # no N-Quads dump given
        (strings,) = page.find("script", id="query-strings")
        assert (
            json.loads(strings.text)["q_stop"]
            == {"fr": "Arrêter", "sv": "Stoppa"}[form.attrs["data-lang"]]
        )


def test_translation_coverage_counts_the_example_queries(site: dict[str, str]) -> None:
    """The example's title is in English and French, its description in English only."""
    page = Page(site["translations.html"])
    (table,) = [t for t in page.find("table") if t.children[0].text == "Example queries"]
    (body,) = [part for part in table.children if part.tag == "tbody"]
    rows = {tr.children[0].text: " ".join(cell.text for cell in tr.children[1:]) for tr in body.children}
    assert rows == {
        "English": "1 (100%) 1 (100%) ",
        "Français": "1 (100%) 0 (0%) 01-groups",
        "Svenska": "0 (0%) 0 (0%) 01-groups",
    }


def test_query_page_shows_the_first_rows_of_a_long_result(
    model: Model, project: Project, report: Report
) -> None:
    rows = tuple((Value("literal", f"row {i}"),) for i in range(SHOWN_ROWS))
    example = Example(
        "02-many", {"en": "Many rows"}, {}, "SELECT ?x WHERE { ?x ?p ?o }", ("x",), rows, 150
    )
    site = render_site(model, Found(report, [example], [], "2026-01-02"))
    for path, count in (
        ("query.html", "150 rows, the first 100 shown"),
        ("query.sv.html", "150 rader, de första 100 visas"),
    ):
        page = Page(site[path])
        (table,) = page.find("table")
        assert count in page.find("caption")[0].text
        assert len(page.find("tr")) == 1 + SHOWN_ROWS  # the header row and the rows shown
        assert f"row {SHOWN_ROWS - 1}" in site[path] and f"row {SHOWN_ROWS}<" not in site[path]


def test_downloads_page_describes_the_dataset(site: dict[str, str]) -> None:
    page = Page(site["downloads.html"])
    (script,) = page.find("script", type="application/ld+json")
    data = json.loads(script.text)
    assert data["@type"] == "Dataset"
    assert data["distribution"][0]["contentUrl"] == {"@id": f"{BASE}dumps/graph.ttl"}
    assert page.find("a", href="dumps/SHA256SUMS") and page.find("a", href="void.ttl")


def test_404_links_are_root_relative(site: dict[str, str]) -> None:
    page = Page(site["404.html"])
    assert all(a.attrs["href"].startswith(("/", "#", "http")) for a in page.find("a"))


def test_sitemap_lists_every_page_with_alternates(site: dict[str, str]) -> None:
    sitemap = site["sitemap.xml"]
    pages = [p for p in site if p.endswith(".html") and p != "404.html"]
    for path in pages:
        assert f"<loc>{BASE}{path}</loc>" in sitemap
    assert f'hreflang="sv" href="{BASE}id/coalition.sv.html"' in sitemap
    assert f"Sitemap: {BASE}sitemap.xml" in site["robots.txt"]


def test_a_large_sitemap_is_split_and_indexed(
    model: Model,
    project: Project,
    report: Report,
    site: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # sitemaps.org: at most 50,000 URLs per file; lowered here so the small graph needs several.
    monkeypatch.setattr(oerkg.render.sitemap, "SITEMAP_URLS", 7)
    split = render(model, project, report)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ElementTree.fromstring(split["sitemap.xml"])
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    parts = [loc.text or "" for loc in index.findall("s:sitemap/s:loc", ns)]
    assert parts == [f"{BASE}sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    listed = []
    for url in parts:
        urls = ElementTree.fromstring(split[url.removeprefix(BASE)]).findall("s:url/s:loc", ns)
        assert 1 <= len(urls) <= 7
        listed += [loc.text for loc in urls]
    whole = ElementTree.fromstring(site["sitemap.xml"]).findall("s:url/s:loc", ns)
    assert listed == [loc.text for loc in whole] and len(listed) > 7
    assert f"Sitemap: {BASE}sitemap.xml" in split["robots.txt"]


def listed(html: str) -> list[str]:
    """The rows a listing page shows, in order: a class's instances, or its tables' rows."""
    page = Page(html)
    rows = [li.text for ul in page.find("ul", class_="instances") for li in ul.children]
    for box in page.find("div", class_="scroll"):  # the listing's table (or one per year)
        rows += [
            tr.text
            for table in box.children
            for part in table.children
            if part.tag == "tbody"
            for tr in part.children
        ]
    return rows


@pytest.mark.parametrize(
    "stem", ["class/Source", "class/Organization", "timeline", "translations", "validation"]
)
@pytest.mark.parametrize("suffix", ["", ".fr", ".sv"])
def test_long_listings_go_on_over_numbered_pages(
    stem: str, suffix: str, built: BuildResult, paged_site: Path, paged_rows: int
) -> None:
    """The real site, and the same built with listing pages of at most `paged_rows` rows."""
    whole = listed((built.out / f"{stem}{suffix}.html").read_text(encoding="utf-8"))
    base = load_config(ROOT).base
    sitemap = (paged_site / "sitemap.xml").read_text(encoding="utf-8")
    # Follow the "next" links from the first page: every row once, in the same order.
    path, rows, titles, numbers = f"{stem}{suffix}.html", [], set(), []
    while True:
        html = (paged_site / path).read_text(encoding="utf-8")
        page, shown = Page(html), listed(html)
        assert 1 <= len(shown) <= paged_rows or not whole, (path, shown)
        rows += shown
        titles.add(page.find("title")[0].text)
        assert f"<loc>{base}{path}</loc>" in sitemap
        pager = page.find("nav", class_="pager")
        if not pager:
            break
        numbers.append(pager[0].children[0].text)
        links = {
            a.attrs.get("rel"): a.attrs["href"]
            for li in pager[0].children[1].children
            for a in li.children
        }
        folder = paged_site / posixpath.dirname(path)
        assert all((folder / href).resolve().is_file() for href in links.values()), links
        if "next" not in links:
            break
        path = posixpath.normpath(posixpath.join(posixpath.dirname(path), links["next"]))
    assert rows == whole
    pages = -(-len(whole) // paged_rows)
    assert len(numbers) == (pages if pages > 1 else 0), numbers
    assert len(titles) == max(1, pages)  # each page has its own title
    if pages > 1:
        assert path == f"{stem}/{pages}{suffix}.html"
        assert numbers[-1].endswith(f" {pages}") and numbers[0].startswith(("Page 1 ", "Sida 1 "))


def test_render_entity_matches_the_full_render(model: Model, site: dict[str, str]) -> None:
    pages = render_entity(model, COALITION)
    assert sorted(pages) == ["id/coalition.fr.html", "id/coalition.html", "id/coalition.sv.html"]
    assert all(site[path] == text for path, text in pages.items())


def test_two_renders_are_identical(
    model: Model, project: Project, report: Report, site: dict[str, str]
) -> None:
    again = render(build_model(project), project, report)
    assert list(again) == list(site) and again == site


def test_undefined_variable_names_the_template_and_line(tmp_path: Path, project: Project) -> None:
    folder = tmp_path / "project"
    shutil.copytree(project.config.project, folder)
    template = folder / "site_templates/entity.html"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "{{ no_such_variable.name }}")
    template.write_text("\n".join(lines), encoding="utf-8")
    broken = build_model(load_project(load_config(folder)))
    with pytest.raises(InputError) as caught:
        render_entity(broken, COALITION)
    assert caught.value.path == Path("site_templates/entity.html") and caught.value.line == 4
    assert "no_such_variable" in str(caught.value)


def test_template_syntax_error_names_the_template_and_line(tmp_path: Path, project: Project) -> None:
    folder = tmp_path / "project"
    shutil.copytree(project.config.project, folder)
    template = folder / "site_templates/class.html"
    template.write_text('{% extends "_layout.html" %}\n{% block main %}\n{% if %}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        render(
            build_model(load_project(load_config(folder))),
            load_project(load_config(folder)),
            Report((), 0),
        )
    assert caught.value.path == Path("site_templates/class.html") and caught.value.line == 3


def test_blank_nodes_and_lists_are_shown_inline(site: dict[str, str]) -> None:
    page = Page(site["id/wg/policy.html"])
    (nested,) = page.find("dl", class_="nested")
    assert "Paris" in nested.text and "FR" in nested.text
    (members,) = page.find("ol", class_="rdf-list")
    assert [li.text for li in members.children] == ["policy", "OER"]
    (script,) = page.find("script", type="application/ld+json")
    data = json.loads(script.text)
    assert data["keywords"] == {"@list": ["policy", "OER"]}
    assert data["address"] == {"addressLocality": "Paris", "addressCountry": "FR"}


def test_missing_ui_string_names_the_language_and_key(tmp_path: Path, project: Project) -> None:
    folder = tmp_path / "project"
    shutil.copytree(project.config.project, folder)
    strings = folder / "site_templates/strings.toml"
    text = strings.read_text(encoding="utf-8")
    head, sv = text.split("[sv]")
    strings.write_text(head + "[sv]" + sv.replace('referenced_by = "Länkar hit"\n', ""), "utf-8")
    with pytest.raises(InputError) as caught:
        render_entity(build_model(load_project(load_config(folder))), COALITION)
    assert str(caught.value) == "site_templates/strings.toml: [sv] lacks referenced_by"


@given(st.one_of(st.text(), st.text(alphabet="<>&'\"ab é\u2028"), st.integers(), st.none()))
def test_escaping_gives_markupsafes_text(value: object) -> None:
    assert escaping.escape(value) == str(markupsafe.escape(value))
    marked = markupsafe.Markup("<b>") + str(value)
    assert escaping.escape(marked) == str(markupsafe.escape(marked))  # its own markup


def test_escaping_uses_markupsafes_c_function() -> None:
    """The fast path is markupsafe's private `_speedups._escape_inner` (pyproject pins
    markupsafe<4 for it): a markupsafe that moves it fails here, not silently slower."""
    from markupsafe import _speedups

    assert escaping._escape_text is _speedups._escape_inner


def test_templates_escape_as_stock_jinja2(tmp_path: Path) -> None:
    """The templates' output goes through `escaping.escape`, with the same HTML as jinja2's own
    autoescaping, in plain output, filters, loops, macros and {% set %} blocks."""
    source = (
        "{% macro m(x) %}<i>{{ x }}</i>{% endmacro %}{% set block %}[{{ v }}]{% endset %}"
        "<p title=\"{{ v }}\">{{ v }} {{ m(v) }} {{ block }} {{ items|join(', ') }} {{ safe }}"
        "{% for i in items %}<b>{{ i }}</b>{% endfor %} {{ n }} {{ v|upper }}</p>"
    )
    (tmp_path / "t.html").write_text(source, encoding="utf-8")
    (tmp_path / "strings.toml").write_text("[en]\n", encoding="utf-8")
    context = {
        "v": "<script>alert('x') & \"y\"</script>",
        "items": ["a<b", markupsafe.Markup("<em>c</em>")],
        "safe": markupsafe.Markup("<br>"),
        "n": 3,
    }
    ours = Templates(tmp_path, ("en",))
    stock = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), autoescape=True)
    compiled = ours.env.compile(source, raw=True)
    assert "environment.escape_output(" in compiled and "escape(" not in compiled.replace(
        "escape_output(", ""
    )
    assert ours.render("t.html", context) == stock.get_template("t.html").render(context)
    assert "&lt;script&gt;alert(&#39;x&#39;) &amp; &#34;y&#34;&lt;/script&gt;" in ours.render(
        "t.html", context
    )
