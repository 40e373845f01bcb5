"""The query page on a static host: Chromium, the built site served by a plain static server
(Python's http.server, as `python3 -m http.server` would), queries run in the browser by
Oxigraph's WebAssembly build. Every example gives the rows `oerkg query` gives; share links run
on load in each language; syntax errors are located; no request leaves the site's origin."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import shutil
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urljoin, urlsplit

import pyoxigraph as ox
import pytest
from test_clients_browser import assert_none, axe_violations
from test_serve import served

from oerkg.build import build
from oerkg.config import load_config
from oerkg.examples import read_example
from oerkg.load import load_project
from oerkg.query import Dataset, Formats

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = {"en": "", "fr": ".fr", "sv": ".sv"}
DONE = "document.getElementById('query-status').className === 'sr-only'"  # a run has ended


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve a built folder as any static host would: files only, no /sparql."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def static(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


class Tab:
    """A tab that records every request it makes, and any error."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        self.page.on(
            "console",
            lambda m: (
                m.type == "error"
                and not m.text.startswith("Failed to load resource")
                and self.problems.append(f"console: {m.text}")
            ),
        )
        # A static host has no /sparql: the page finds out with one GET, answered 404.
        self.page.on(
            "response",
            lambda r: (
                r.status >= 400
                and urlsplit(r.url).path != "/sparql"
                and self.problems.append(f"HTTP {r.status}: {r.url}")
            ),
        )

    def open(self, path: str) -> Any:
        response = self.page.goto(urljoin(self.base, path), wait_until="load")
        assert response is not None and response.status == 200, path
        return self.page

    def run(self) -> None:
        """Run the editor's query and wait for its end (a result or a message)."""
        self.page.evaluate("document.getElementById('query-status').className = ''")
        self.page.locator("#query-form button[type=submit]").click()
        self.wait()

    def wait(self) -> None:
        self.page.wait_for_function(DONE, timeout=60_000)

    def download(self, fmt: str) -> str:
        with self.page.expect_download() as caught:
            self.page.locator(f"#query-downloads button[value={fmt}]").click()
        return Path(caught.value.path()).read_text(encoding="utf-8")

    def outside(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.base)]

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def tab(browser: Any, static: str) -> Iterator[Tab]:
    tab = Tab(browser, static)
    yield tab
    tab.close()
    assert_none([f"request outside the site: {url}" for url in tab.outside()])


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    """The graph as `oerkg query` queries it: the project's quads, prefixes and base."""
    config = load_config(ROOT)
    project = load_project(config)
    return Dataset.from_quads(project.data_quads(), project.prefixes, base_iri=config.base)


def solutions(data: str) -> Counter[tuple[str, ...]]:
    """The rows of a SPARQL JSON result, each cell as its JSON, as a multiset: rows that tie in
    an ORDER BY may come in either order (the stores were filled in different orders)."""
    doc = json.loads(data)
    if "boolean" in doc:
        return Counter([(str(doc["boolean"]),)])
    names = doc["head"]["vars"]
    return Counter(
        tuple(json.dumps(plain(row.get(n)), sort_keys=True) for n in names)
        for row in doc["results"]["bindings"]
    )


def plain(term: dict[str, str] | None) -> dict[str, str] | None:
    """A term as SPARQL 1.1 JSON results write it: a simple literal may or may not say xsd:string."""
    if term and term.get("datatype") == "http://www.w3.org/2001/XMLSchema#string":
        return {k: v for k, v in term.items() if k != "datatype"}
    return term


def test_every_example_gives_the_rows_of_oerkg_query(tab: Tab, dataset: Dataset) -> None:
    page = tab.open("query.html")
    names = [o.get_attribute("value") for o in page.locator("#example-select option").all()]
    assert len(names) == len(list((ROOT / "queries").glob("*.rq"))) >= 12
    assert page.locator("input[name=place][value=browser]").is_checked()
    assert page.locator("input[name=place][value=server]").is_hidden()
    for name in names:
        page.locator("#example-select").select_option(name)
        tab.run()
        path = ROOT / "queries" / f"{name}.rq"
        example = read_example(path, languages=load_config(ROOT).languages, shown_as=name)
        expected = dataset.write(example.text, Formats()).body.decode()
        got = tab.download("json")
        assert solutions(got) == solutions(expected), name
        variables = json.loads(expected)["head"]["vars"]
        heads = page.locator("#results thead th").all_inner_texts()
        assert heads == variables, name
        rows = len(json.loads(expected)["results"]["bindings"])
        assert page.locator("#results tbody tr").count() == max(rows, 1), name
        assert str(rows) in page.locator("#results caption").inner_text(), name
    # The engine and the data were fetched once, for the first query, and kept.
    fetched = Counter(urlsplit(url).path for url in tab.requests)
    assert fetched["/dumps/graph.nq.gz"] == fetched["/static/vendor/oxigraph/web_bg.wasm.gz"] == 1
    assert_none(tab.problems)


def test_downloads_in_each_results_format(tab: Tab, dataset: Dataset) -> None:
    select = "SELECT ?wg ?label WHERE { ?wg a oerdc:WorkingGroup ; rdfs:label ?label }"
    tab.open(f"query.html?query={quote(select)}")
    tab.wait()
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        got = list(csv.reader(io.StringIO(tab.download(fmt)), delimiter=delimiter))
        written = dataset.write(select, Formats(fmt)).body.decode()
        want = list(csv.reader(io.StringIO(written), delimiter=delimiter))
        assert got[0] == want[0] and Counter(map(tuple, got[1:])) == Counter(map(tuple, want[1:]))
    construct = (
        "CONSTRUCT { ?wg rdfs:label ?label } WHERE { ?wg a oerdc:WorkingGroup ; rdfs:label ?label }"
    )
    tab.open(f"query.html?query={quote(construct)}")
    tab.wait()
    triples = set(dataset.evaluate(construct).triples)
    assert len(triples) > 4
    for fmt, rdf in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES)):
        assert tab.page.locator(f"#query-downloads button[value={fmt}]").is_visible()
        got = {
            ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(tab.download(fmt).encode(), format=rdf)
        }
        assert got == triples, fmt
    assert tab.page.locator("#query-downloads button[value=csv]").is_hidden()
    assert tab.page.locator("#results tbody tr").count() == len(triples)
    assert_none(tab.problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_share_link_runs_on_load_in_each_language(tab: Tab, lang: str, site: Path) -> None:
    """`query.html?query=…` runs at once; entities show their label in the page's language and
    link to their page in it; literals say their language; the page offers the link."""
    query = 'SELECT ?wg ?name WHERE { ?wg a oerdc:WorkingGroup ; rdfs:label ?name FILTER (lang(?name) = "sv") } ORDER BY ?wg'
    page = tab.open(f"query{LANGUAGES[lang]}.html?query={quote(query)}")
    tab.wait()
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("#example-select").input_value() == ""  # not one of the examples
    assert page.locator("#results tbody tr").count() == 4
    store = ox.Store()
    store.bulk_load(path=site / "dumps" / "graph.nq", format=ox.RdfFormat.N_QUADS)
    for row in page.locator("#results tbody tr").all():
        link = row.locator("td").first.locator("a")
        href = urljoin(page.url, link.get_attribute("href"))
        assert href.startswith(f"{tab.base}id/") and href.endswith(f"{LANGUAGES[lang]}.html"), href
        assert tab.page.request.get(href).status == 200
        entity = f"{load_config(ROOT).entity_space}{urlsplit(href).path[4:].removesuffix(f'{LANGUAGES[lang]}.html')}"
        (label,) = (
            q.object.value
            for q in store.quads_for_pattern(
                ox.NamedNode(entity), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None
            )
            if isinstance(q.object, ox.Literal) and q.object.language == lang
        )
        assert link.inner_text() == label
        swedish = row.locator("td").nth(1)
        assert (swedish.locator("span[lang=sv]").count() == 1) == (lang != "sv")
    share = page.locator("#share-link")
    assert share.is_visible()
    assert parse_qs(urlsplit(share.get_attribute("href") or "").query) == {"query": [query]}
    assert_none(axe_violations(page))
    assert_none(tab.problems)


def test_a_syntax_error_shows_its_line_and_column(tab: Tab) -> None:
    query = "SELECT ?s WHERE {\n  ?s rdfs:label ?l .\n  OPTIONAL ?s schema:name ?n }\n}"
    page = tab.open(f"query.html?query={quote(query)}")
    tab.wait()
    error = page.locator("#results .error")
    assert error.inner_text().startswith('Syntax error at line 3, column 12: expected "{"')
    assert (error.get_attribute("data-line"), error.get_attribute("data-col")) == ("3", "12")
    assert page.locator(".cm-error-mark").inner_text() == "?s"
    error.locator("button").click()
    assert page.evaluate("document.activeElement.classList.contains('cm-content')")
    # An undeclared prefix: the message says which, at the place it starts.
    page.goto(urljoin(tab.base, f"query.sv.html?query={quote('SELECT * WHERE { ?s ex:p ?o }')}"))
    tab.wait()
    assert (
        page.locator("#results .error")
        .inner_text()
        .startswith("Syntaxfel på rad 1, kolumn 21: prefixet ”ex:” är inte deklarerat")
    )
    assert page.locator(".cm-error-mark").inner_text() == "ex:p"
    assert_none(axe_violations(page))
    assert_none(tab.problems)


def test_an_update_and_an_empty_result_are_said_plainly(tab: Tab) -> None:
    page = tab.open(f"query.html?query={quote('DELETE WHERE { ?s ?p ?o }')}")
    tab.wait()
    assert page.locator("#results .error").inner_text().startswith("This is an update")
    page.goto(
        urljoin(tab.base, f"query.fr.html?query={quote('SELECT ?s WHERE { ?s a oerdc:Nothing }')}")
    )
    tab.wait()
    assert page.locator("#results tbody").inner_text().strip() == "Aucun résultat."
    assert_none(tab.problems)


def tiny(folder: Path, settings: str) -> Path:
    """Build the renderer's tiny test project with these oerkg.toml settings."""
    project = folder / "project"
    shutil.copytree(ROOT / "tests" / "data" / "render", project)
    shutil.copytree(ROOT / "site_templates", project / "site_templates")
    toml = project / "oerkg.toml"
    toml.write_text(settings + toml.read_text(encoding="utf-8"), encoding="utf-8")
    return build(load_config(project), out=folder / "site").out


def test_the_reader_sees_and_chooses_where_the_query_runs(browser: Any, tmp_path: Path) -> None:
    """With an endpoint in oerkg.toml the query goes there; above `browser_query_limit` the
    browser runs it only when asked, the size said beside the choice."""
    query = "SELECT ?g WHERE { ?g :partOf ?c }"
    with served(tiny(tmp_path / "a", "")) as endpoint:
        url = str(endpoint.base_url.join("/sparql"))
        site = tiny(tmp_path / "b", f'sparql_endpoint = "{url}"\nbrowser_query_limit = 5\n')
        with serving(site) as base:
            tab = Tab(browser, base)
            try:
                page = tab.open(f"query.html?query={quote(query)}")
                tab.wait()
                assert page.locator("input[value=endpoint]").is_checked()
                assert "large" in page.locator("label:has(input[value=browser])").inner_text()
                results = page.locator("#results")
                assert results.locator("tbody tr").count() == 1, results.inner_text()
                assert "Ran on the SPARQL endpoint" in page.locator("#results .note").inner_text()
                assert {u for u in tab.outside()} == {url}  # the query and its labels, no more
                page.locator("input[value=browser]").check()
                tab.run()
                assert page.locator("#results tbody tr").count() == 1
                assert "Ran in this browser" in page.locator("#results .note").inner_text()
                assert_none(tab.problems)
            finally:
                tab.close()
    site = tiny(tmp_path / "c", "browser_query_limit = 5\n")
    with serving(site) as base:
        tab = Tab(browser, base)
        try:
            page = tab.open(f"query.html?query={quote(query)}")
            tab.wait()
            assert page.locator("#results .error").inner_text().startswith("Choose where the query runs")
            assert page.locator("input[name=place]:checked").count() == 0
            page.locator("input[value=browser]").check()
            tab.run()
            assert page.locator("#results tbody tr").count() == 1
            assert_none(tab.problems + tab.outside())
        finally:
            tab.close()
