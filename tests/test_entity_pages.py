"""Entity pages of the real project: an infobox of key facts first, values in the reader's
language, labelled links, roles where they apply, public text only, a neighbourhood picture."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pyoxigraph as ox
import pytest

from oerkg.config import load_config
from oerkg.load import load_project
from oerkg.model import build_model
from oerkg.render import render_entity
from oerkg.render.literals import LiteralFormats
from oerkg.render.picture import MAX_SIDE
from oerkg.render.views import short_iri

ROOT = Path(__file__).resolve().parents[1]
XSD = "http://www.w3.org/2001/XMLSchema#"
EDITORIAL_NOTE = "http://www.w3.org/2004/02/skos/core#editorialNote"
LANGUAGES = {"en": "", "fr": ".fr", "sv": ".sv"}


def parse(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def infobox(page: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """Return the infobox's rows: the term's text and the text of each of its values."""
    (box,) = page.xpath("//main//dl[@class='infobox']")
    return {text(row.xpath("dt")[0]): [text(dd) for dd in row.xpath("dd")] for row in box.xpath("div")}


def entity_pages(site: Path) -> list[Path]:
    return sorted(p for p in (site / "id").rglob("*.html"))


# --- values as people write them ---------------------------------------------------------------

FORMATS = LiteralFormats(
    {
        "en": {"locale": "en_GB", "true": "yes", "false": "no"},
        "fr": {"locale": "fr", "true": "oui", "false": "non"},
        "sv": {"locale": "sv", "true": "ja", "false": "nej"},
    }
)


@pytest.mark.parametrize(
    ("value", "datatype", "expected"),
    [
        ("2020-03-02", "date", {"en": "2 March 2020", "fr": "2 mars 2020", "sv": "2 mars 2020"}),
        ("2020-03-02Z", "date", {"en": "2 March 2020", "fr": "2 mars 2020", "sv": "2 mars 2020"}),
        ("2019-04", "gYearMonth", {"en": "April 2019", "fr": "avril 2019", "sv": "april 2019"}),
        ("1938", "gYear", {"en": "1938", "fr": "1938", "sv": "1938"}),
        ("12345", "integer", {"en": "12,345", "fr": "12\u202f345", "sv": "12\xa0345"}),
        ("2.50", "decimal", {"en": "2.50", "fr": "2,50", "sv": "2,50"}),
        ("true", "boolean", {"en": "yes", "fr": "oui", "sv": "ja"}),
        ("0", "boolean", {"en": "no", "fr": "non", "sv": "nej"}),
        # Not in the datatype's lexical space: shown as written.
        ("2020-13-45", "date", {"en": "2020-13-45", "fr": "2020-13-45", "sv": "2020-13-45"}),
        ("about 1990", "gYear", {"en": "about 1990", "fr": "about 1990", "sv": "about 1990"}),
        ("twelve", "integer", {"en": "twelve", "fr": "twelve", "sv": "twelve"}),
    ],
)
def test_literals_in_the_readers_language(value: str, datatype: str, expected: dict[str, str]) -> None:
    for lang, shown in expected.items():
        assert FORMATS.text(value, XSD + datatype, lang) == shown, lang


def test_an_iri_without_a_label_gets_a_short_readable_text() -> None:
    assert short_iri("http://metadata.un.org/sdg/4") == "metadata.un.org/sdg/4"
    assert short_iri("http://www.wikidata.org/entity/Q437") == "wikidata.org/entity/Q437"
    assert (
        short_iri("https://www.unesco.org/en/a/b/oer-dynamic-coalition")
        == "unesco.org/…/oer-dynamic-coalition"
    )
    assert short_iri("https://oerdynamiccoalition.org") == "oerdynamiccoalition.org"


# --- the real site -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "date"), [("en", "2 March 2020"), ("fr", "2 mars 2020"), ("sv", "2 mars 2020")]
)
def test_the_coalition_leads_with_its_founding_date(site: Path, lang: str, date: str) -> None:
    page = parse(site / f"id/coalition{LANGUAGES[lang]}.html")
    # The infobox comes before the first section with a heading of its own.
    (box,) = page.xpath("//main//dl[@class='infobox']")
    first_h2 = page.xpath("//main//h2")[0]
    order = list(page.iter())
    assert order.index(box) < order.index(first_h2)
    (time,) = box.xpath(".//time[@datetime='2020-03-02']")
    assert text(time) == date
    assert time.get("title") == "xsd:date"  # the datatype on hover, not as text
    assert "xsd:" not in text(page.xpath("//main")[0])


def test_the_description_is_shown_once_and_other_languages_are_folded(site: Path) -> None:
    page = parse(site / "id/coalition.html")
    model_texts = {
        lang: text(page.xpath(f"//main//details//dd[@lang='{lang}'][not(@class)]")[0])
        for lang in ("fr", "sv")
    }
    lead = text(page.xpath("//main//p[@class='lead']")[0])
    assert lead.startswith("A coalition launched by UNESCO on 2 March 2020")
    assert text(page.xpath("//main")[0]).count(lead) == 1
    assert not page.xpath("//main//details//*[@lang='en']")  # the page's own language is the lead
    assert model_texts["fr"].startswith("Coalition lancée par l'UNESCO")
    assert not page.xpath("//main//details[@open]")


def test_nothing_is_listed_twice(site: Path) -> None:
    """The working groups once on the coalition's page (its units, not again as "referenced
    by"), the coalition once on a working group's, each type once."""
    coalition = parse(site / "id/coalition.html")
    outside_picture = "//main//a[not(ancestor::*[local-name()='svg'])]"
    hrefs = [a.get("href") for a in coalition.xpath(outside_picture)]
    for group in ("capacity-building", "supportive-policy", "sustainability-models"):
        assert hrefs.count(f"../id/wg-{group}.html") == 1, group
    group = parse(site / "id/wg-sustainability-models.html")
    hrefs = [a.get("href") for a in group.xpath(outside_picture)]
    assert hrefs.count("../id/coalition.html") == 1
    for path in entity_pages(site):
        types = parse(path).xpath("//main//dl[@class='infobox']/div[1]/dd/a")
        names = [text(a).casefold() for a in types]
        assert len(names) == len(set(names)), (path, names)


def test_property_names_are_labels_with_the_prefixed_name_on_hover(site: Path) -> None:
    page = parse(site / "id/coalition.html")
    terms = page.xpath("//main//dl[@class='infobox' or @class='props']/div/dt")
    assert terms
    shown = {text(dt): dt.xpath("(a|span)/@title") for dt in terms}
    assert shown["founding date"] == ["schema:foundingDate"]
    assert not any(":" in name for name in shown if name != "Type")


def test_roles_are_on_the_pages_they_qualify(site: Path) -> None:
    group = infobox(parse(site / "id/wg-sustainability-models.html"))
    assert group["Chair"] == ["Lisa Petrides (details)"]
    person = infobox(parse(site / "id/lisa-petrides.html"))
    assert person["Chair"] == ["Sustainability Models Working Group (details)"]
    french = infobox(parse(site / "id/coalition.fr.html"))
    assert french["coalition dynamique officielle du FGI"] == [
        "Forum sur la gouvernance de l'internet (FGI) (depuis mars 2023)"
    ]


def test_no_raw_iri_is_a_links_text(site: Path) -> None:
    raw = []
    for path in sorted(site.rglob("*.html")):
        for a in parse(path).xpath("//a[not(ancestor::*[local-name()='svg'])]"):
            if text(a).startswith(("http://", "https://", "urn:")):
                raw.append(f"{path.relative_to(site)}: {text(a)}")
    assert not raw, raw[:20]


def test_editor_notes_stay_off_the_pages(site: Path) -> None:
    project = load_project(load_config(ROOT))
    notes = [q.object.value for q in project.data_quads() if q.predicate == ox.NamedNode(EDITORIAL_NOTE)]
    assert notes, "the project has editorial notes to keep off its pages"
    for path in sorted(site.rglob("*.html")):
        html = path.read_text("utf-8")
        assert not [n for n in notes if n[:40] in html], path
    # They stay in the dumps.
    dump = (site / "dumps" / "graph.nt").read_text("utf-8")
    assert all(n[:40] in dump for n in notes)


def test_every_entity_page_draws_its_neighbourhood(site: Path) -> None:
    for path in entity_pages(site):
        page = parse(path)
        (svg,) = page.xpath("//main//*[local-name()='svg']")
        title = svg.xpath("*[local-name()='title']")
        assert title and text(title[0]), path  # the text alternative
        assert svg.get("aria-labelledby") == title[0].get("id")
        nodes = svg.xpath(".//*[local-name()='a']")
        assert len(nodes) <= 2 * MAX_SIDE, path
        for a in nodes:
            assert a.get("href"), path
            assert text(a.xpath("*[local-name()='title']")[0]), path  # each link has a name
            target = (path.parent / a.get("href").split("#")[0]).resolve()
            assert a.get("href").startswith("http") or target.is_file(), (path, a.get("href"))


def test_the_picture_shows_links_both_ways_and_counts_what_it_leaves_out(site: Path) -> None:
    group = parse(site / "id/wg-sustainability-models.html")
    (svg,) = group.xpath("//main//*[local-name()='svg']")
    names = [text(a.xpath("*[local-name()='title']")[0]) for a in svg.xpath(".//*[local-name()='a']")]
    assert "Lisa Petrides ← Chair" in names  # the role's holder, not the membership
    assert "unit of → UNESCO OER Dynamic Coalition" in names
    assert sum("UNESCO OER Dynamic Coalition" in n for n in names) == 1  # linked both ways, drawn once
    coalition = parse(site / "id/coalition.html")
    (svg,) = coalition.xpath("//main//*[local-name()='svg']")
    # Links in and out, as its title counts them: at most MAX_SIDE drawn a side, the rest counted.
    title = text(svg.xpath("*[local-name()='title']")[0])
    into, out = (
        int(n)
        for n in re.fullmatch(
            r"UNESCO OER Dynamic Coalition: (\d+) links in, (\d+) links out", title
        ).groups()
    )
    assert out > MAX_SIDE  # the coalition links to more than a side shows
    assert len(svg.xpath(".//*[local-name()='a']")) == min(into, MAX_SIDE) + min(out, MAX_SIDE)
    more = [text(t) for t in svg.xpath(".//*[local-name()='text'][@class='more']")]
    assert more == [f"and {n - MAX_SIDE} more" for n in (into, out) if n > MAX_SIDE]


def test_shapes_sh_order_chooses_the_infobox(project_copy: Path) -> None:
    """A shape's sh:order puts its properties in the infobox, in that order (SHACL 9.1)."""
    coalition = "https://w3id.org/oerdc/id/coalition"

    def rows() -> list[str]:
        model = build_model(load_project(load_config(project_copy)))
        return list(infobox(lxml.html.fromstring(render_entity(model, coalition)["id/coalition.html"])))

    assert rows()[:3] == ["Type", "founding date", "founder"]  # the default key facts
    (project_copy / "shapes" / "order.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix oerdc: <https://w3id.org/oerdc/ontology#> .\n"
        "@prefix schema: <http://schema.org/> .\n"
        "<https://w3id.org/oerdc/shapes#CoalitionOrder> a sh:NodeShape ; sh:targetClass oerdc:Coalition ;\n"
        "  sh:property [ sh:path oerdc:launchedAt ; sh:order 1 ] , [ sh:path schema:foundingDate ; sh:order 2 ] .\n",
        "utf-8",
    )
    assert rows() == ["Type", "launched at", "founding date", "official Dynamic Coalition of the IGF"]


def test_claims_are_summarised_in_the_readers_language(site: Path) -> None:
    page = parse(site / "id/recommendation.fr.html")
    (claims,) = page.xpath("//main//section[@aria-labelledby='h-claims']")
    summaries = [text(p) for p in claims.xpath(".//p[@class='summary']")]
    assert len(summaries) == len(claims.xpath("ul/li")) >= 2
    assert any(s.startswith("L'IFLA date l'adoption") for s in summaries)
    # The other languages' descriptions are not repeated.
    assert "IFLA dates the adoption" not in text(claims) and "IFLA daterar" not in text(claims)
