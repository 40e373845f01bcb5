"""The timeline's time axis: dots placed by date, stacked where they would touch, the same
bytes for the same events; and on the timeline page, above the list of the same events."""

from __future__ import annotations

import re
from pathlib import Path

from test_render import Page

from oerkg.render.timeline import PAD, WIDTH, Event, time_axis, when


def dots(svg: str) -> list[tuple[int, int]]:
    return [(int(x), int(y)) for x, y in re.findall(r'<circle cx="(\d+)" cy="(\d+)"', svg)]


def test_dates_of_any_precision_become_fractions_of_a_year() -> None:
    assert when("2020") == 2020 and when("2020-07") == 2020.5 and when("2020-01-01") == 2020
    assert when("2020-03-02T10:00:00Z") == when("2020-03-02") and when("soon") is None


def test_dots_are_placed_by_date_and_stacked_when_they_touch() -> None:
    events = [
        Event("B", "b.html", "2021-01-01", "1 January 2021"),
        Event("A", "a.html", "2019-01-01", "1 January 2019"),
        Event("C", "c.html", "2021-01-02", "2 January 2021"),
    ]
    svg = str(time_axis(events, title="3 events"))
    (xa, ya), (xb, yb), (xc, yc) = dots(svg)  # in date order
    assert xa == PAD and xb == PAD + (WIDTH - 2 * PAD) * 2 // 3  # 2019 to 2022: 2021 is 2/3
    assert ya == yb and yc < yb  # C would touch B: one level up
    assert svg.index('href="a.html"') < svg.index('href="b.html"')
    assert "<title>A (1 January 2019)</title>" in svg and 'aria-labelledby="tl-t"' in svg
    assert [y for y in re.findall(r"<text[^>]*>(\d+)</text>", svg)] == ["2019", "2020", "2021", "2022"]
    assert str(time_axis(list(reversed(events)), title="3 events")) == svg
    assert time_axis([Event("X", "x.html", "undated", "?")], title="") == ""


def test_the_timeline_page_draws_every_event_it_lists(site: Path) -> None:
    for name in ("timeline.html", "timeline.fr.html"):
        html = (site / name).read_text(encoding="utf-8")
        page = Page(html)
        listed = [
            a.attrs["href"]
            for tr in page.elements
            if tr.tag == "tr"
            for th in tr.children
            if th.tag == "th" and th.attrs.get("scope") == "row"
            for a in th.children
            if a.tag == "a"
        ]
        drawn = re.findall(
            r'<a href="([^"]+)"><title', html.split('<svg class="axis"')[1].split("</svg>")[0]
        )
        assert listed and sorted(drawn) == sorted(listed)


def test_the_ontology_page_is_headed_like_pylode_with_a_class_diagram(site: Path) -> None:
    """Its metadata (IRI, version, licence, abstract), every RDF format of it, a table of
    contents and a diagram with a box per class, each linking to the class's section."""
    html = (site / "ontology.fr.html").read_text(encoding="utf-8")
    page = Page(html)
    assert page.find("h1")[0].text == "Ontologie de la Coalition dynamique pour les REL"
    assert page.find("p", class_="lead")[0].text.startswith("Classes et propriétés")
    meta = {
        div.children[0].text: div.children[1].text
        for div in page.find("dl", class_="props ontology-meta")[0].children
    }
    assert meta["IRI de l’ontologie"] == "https://w3id.org/oerdc/ontology" and meta["Version"] == "0.1.0"
    assert "Licence" in meta and "IRI de la version" in meta
    hrefs = [a.attrs.get("href", "") for a in page.elements if a.tag == "a"]
    formats = [h for h in hrefs if re.fullmatch(r"ontology\.(ttl|nt|jsonld|rdf)", h)]
    assert sorted(formats) == ["ontology.jsonld", "ontology.nt", "ontology.rdf", "ontology.ttl"]
    assert all((site / f).is_file() for f in formats)
    ids = {e.attrs["id"] for e in page.elements if "id" in e.attrs}
    toc = [
        a.attrs["href"]
        for a in page.elements
        if a.tag == "a" and a.attrs.get("href", "").startswith("#")
    ]
    assert toc and all(href[1:] in ids for href in toc)
    diagram = html.split('<svg class="classes"')[1].split("</svg>")[0]
    boxes = re.findall(r'<a href="#([^"]+)">', diagram)
    classes = [s.attrs["id"] for s in page.find("section", class_="term") if s.attrs["id"] in boxes]
    assert len(boxes) == len(set(boxes)) == len(classes) > 10
    assert "Domaine d&#39;action</text>" in diagram  # the classes' names in the page's language
