"""The site in a real browser: Chromium driven by Playwright against `oerkg serve`, checked by axe-core.

One server and one browser for the whole session. Screenshots of the home page and of an entity
page are saved into test-artifacts/ for people reviewing a CI run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pyoxigraph as ox
import pytest
from conftest import INSTALL

from oerkg.config import load_config

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "data" / "broken"
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = {"en": "", "fr": ".fr", "sv": ".sv"}
# The project's central entity: it links out to other entities and they link back to it.
ENTITY = "coalition"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def assert_none(problems: list[str]) -> None:
    """Fail with every problem on its own line (pytest would cut a long list short)."""
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Run `oerkg serve` on the real project; yield its base URL and the folder it serves."""
    out = tmp_path_factory.mktemp("served") / "site"
    port = free_port()
    oerkg = Path(sys.executable).parent / "oerkg"
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1764288000")}
    log = (out.parent / "serve.log").open("w+b")
    process = subprocess.Popen(
        [str(oerkg), "serve", str(ROOT), "--port", str(port), "--no-watch", "--out", str(out)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"oerkg serve exited ({process.returncode}): {log.read().decode()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("oerkg serve did not answer within 180 s")
                time.sleep(0.2)
        yield base, out
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


class Visit:
    """A browser tab that records console errors, page errors and failed requests."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        self.page.on("console", self._console)
        self.page.on(
            "requestfailed",
            lambda req: self.problems.append(f"request failed: {req.url} {req.failure}"),
        )
        self.page.on(
            "response",
            lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"),
        )

    def _console(self, message: Any) -> None:
        # "Failed to load resource" repeats a response the listener below records with its URL.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console: {message.text}")

    def open(self, path: str, *, status: int = 200) -> Any:
        response = self.page.goto(urljoin(self.base, path), wait_until="load")
        assert response is not None and response.status == status, (path, response and response.status)
        return self.page

    def path(self) -> str:
        return urlsplit(self.page.url).path

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def visit(browser: Any, server: tuple[str, Path]) -> Iterator[Visit]:
    tab = Visit(browser, server[0])
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def labels(server: tuple[str, Path]) -> dict[str, str]:
    """The entity's rdfs:label in each language, from the served dump."""
    store = ox.Store()
    store.bulk_load(path=server[1] / "dumps" / "graph.nt", format=ox.RdfFormat.N_TRIPLES)
    entity = ox.NamedNode(f"{load_config(ROOT).entity_space}{ENTITY}")
    found = {
        q.object.language: q.object.value
        for q in store.quads_for_pattern(entity, RDFS_LABEL, None)
        if isinstance(q.object, ox.Literal) and q.object.language
    }
    assert set(LANGUAGES) <= set(found), found
    return found


def screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def entity_links(page: Any, base: str) -> list[tuple[str, str]]:
    """(href, path) of every link in the main content to an entity page."""
    links = []
    for a in page.locator("main a[href]").all():
        href = a.get_attribute("href") or ""
        path = urlsplit(urljoin(page.url, href)).path
        if path.startswith("/id/") and path.endswith(".html") and urljoin(base, path).startswith(base):
            links.append((href, path))
    return links


# --- pages in the browser ----------------------------------------------------------------------


def test_home_page(visit: Visit) -> None:
    page = visit.open("index.html")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.title().strip()
    assert page.locator("h1").first.is_visible()
    assert page.locator("nav a[href]").count() >= 3
    screenshot(page, "home.png")
    assert_none(visit.problems)


def test_visit_records_script_errors_and_missing_files(browser: Any) -> None:
    tab = Visit(browser, BROKEN.as_uri() + "/")
    try:
        tab.open("script-error.html")
        tab.page.wait_for_timeout(100)
    finally:
        tab.close()
    assert any("undefinedFunction" in p for p in tab.problems), tab.problems
    assert any("missing.css" in p for p in tab.problems), tab.problems


def test_keyboard_users_can_skip_to_the_content(visit: Visit) -> None:
    """The first Tab reaches a visible "skip to content" link; Enter moves focus into <main>."""
    page = visit.open(f"id/{ENTITY}.html")
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    assert first and first.startswith("#"), f"the first Tab stop is {first!r}, not a skip link"
    assert page.locator(":focus").is_visible() and page.locator(":focus").bounding_box()["x"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == first[1:]
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    assert_none(visit.problems)


def test_browsers_find_an_icon(visit: Visit) -> None:
    """Browsers ask for /favicon.ico unless a page names its icon; that must not be a 404."""
    page = visit.open("index.html")
    icon = page.locator('link[rel~="icon"]')
    if icon.count():
        href = urljoin(page.url, icon.first.get_attribute("href") or "")
        status = 200 if href.startswith("data:") else page.request.get(href).status
    else:
        href = urljoin(page.url, "/favicon.ico")
        status = page.request.get(href).status
    assert status == 200, f"{href}: HTTP {status} (add <link rel=icon> to the layout, or a favicon)"


def test_entity_page_in_each_language(visit: Visit, labels: dict[str, str]) -> None:
    for lang, suffix in LANGUAGES.items():
        page = visit.open(f"id/{ENTITY}{suffix}.html")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").first.inner_text().strip() == labels[lang]
        if lang == "en":
            screenshot(page, "entity.png")
    assert_none(visit.problems)


def test_language_switch(visit: Visit) -> None:
    page = visit.open(f"id/{ENTITY}.html")
    for lang in ("fr", "sv", "en"):
        page.locator(f'a[hreflang="{lang}"]:visible').first.click()
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == lang
        assert visit.path() == f"/id/{ENTITY}{LANGUAGES[lang]}.html"
    assert_none(visit.problems)


def test_follow_a_link_and_an_incoming_link_back(visit: Visit, labels: dict[str, str]) -> None:
    page = visit.open(f"id/{ENTITY}.html")
    own = f"/id/{ENTITY}.html"
    others = [(href, path) for href, path in entity_links(page, visit.base) if path != own]
    assert others, "the entity page links to no other entity"
    href, target = others[0]
    page.locator(f'main a[href="{href}"]').first.click()
    page.wait_for_load_state("load")
    assert visit.path() == target
    back = [h for h, path in entity_links(page, visit.base) if path == own]
    assert back, f"{target} has no incoming link back to {own}"
    page.locator(f'main a[href="{back[0]}"]').first.click()
    page.wait_for_load_state("load")
    assert visit.path() == own
    assert page.locator("h1").first.inner_text().strip() == labels["en"]
    assert_none(visit.problems)


def test_query_page_runs_an_example_against_sparql(visit: Visit) -> None:
    """Served by `oerkg serve`, the page runs queries on /sparql: pick an example, run it; the
    live rows match the rows answered at build time."""
    page = visit.open("query.html")
    select = page.locator("#example-select")
    assert select.is_visible(), "the example picker stays hidden (query.js did not run)"
    page.wait_for_function("document.querySelector('input[value=server]').checked")
    names = [o.get_attribute("value") for o in select.locator("option").all()]
    name = next(
        n for n in names if page.locator(f"#ex-{n} tbody tr td[colspan]").count() == 0
    )  # the first example with rows
    select.select_option(name)
    text = page.locator(f"#sparql-{name}").inner_text()
    assert page.locator(".cm-content").inner_text().strip() == text.strip()
    with page.expect_response(lambda r: urlsplit(r.url).path == "/sparql") as answer:
        page.locator("#query-form button[type=submit]").click()
    assert answer.value.status == 200, answer.value.text()
    rows = page.locator("#results table tbody tr")
    rows.first.wait_for(state="visible", timeout=10_000)
    assert rows.count() == page.locator(f"#ex-{name} table tbody tr").count()
    assert page.locator("#query-downloads").is_visible()
    assert_none(axe_violations(page, "#query-run"))  # the live result table too
    # On a phone, a wide live result (long IRIs in three columns) stays readable and reachable.
    page.set_viewport_size({"width": 390, "height": 800})
    page.locator(".cm-content").fill("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5")
    with page.expect_response(lambda r: urlsplit(r.url).path == "/sparql"):
        page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "[...document.querySelectorAll('#results th')].map(th => th.textContent).join() === 's,p,o'"
        " && document.querySelectorAll('#results tbody tr').length === 5"
    )
    assert_none(axe_violations(page, "#query-run"))
    assert_none(visit.problems)


def test_404_page(visit: Visit) -> None:
    page = visit.open("no/such/page.html", status=404)
    assert page.locator("html").get_attribute("lang")
    assert page.locator("h1").first.is_visible()
    # The only problem is the 404 itself: styles and scripts load from a nested missing path.
    assert_none([p for p in visit.problems if "no/such/page.html" not in p])
    page.locator("nav a[href]").first.click()
    page.wait_for_load_state("load")
    assert visit.path() in ("/", "/index.html")
    assert_none([p for p in visit.problems if "no/such/page.html" not in p])


def test_search_with_the_keyboard_finds_an_inflected_french_word(visit: Visit) -> None:
    """On a French page, Tab to the header's search field, type a plural, Enter; Tab to the
    first result and Enter: the French page of the entity whose name has the singular."""
    page = visit.open(f"id/{ENTITY}.fr.html")
    page.wait_for_load_state("networkidle")  # the icon too: leaving earlier would abort it
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "search":
            break
    assert page.evaluate("document.activeElement.closest('[role=search]') !== null")
    page.keyboard.type("Recommandations")  # the name: "Recommandation de l'UNESCO sur les REL"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert visit.path() == "/search.fr.html"
    first = page.locator("#search-results li a").first
    first.wait_for(state="visible", timeout=10_000)
    page.wait_for_load_state("networkidle")
    assert page.locator("#search-status").inner_text().strip()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#search-results') !== null"):
            break
    assert page.evaluate("document.activeElement.href") == first.evaluate("a => a.href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert visit.path() == "/id/recommendation.fr.html"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_none(visit.problems)


def test_search_results_update_as_one_types(visit: Visit) -> None:
    """The search page's own field: results follow each word typed, Swedish and completed."""
    page = visit.open("search.sv.html")
    assert page.evaluate("document.activeElement.id") == "search-q"  # ready to type
    page.keyboard.type("arbetsgrupperna")
    page.locator("#search-results li").first.wait_for(state="visible", timeout=10_000)
    hrefs = [a.get_attribute("href") for a in page.locator("#search-results li a").all()]
    assert hrefs and all(h.startswith("id/") and h.endswith(".sv.html") for h in hrefs), hrefs
    page.locator("#search-q").fill("zzzqqq")
    page.wait_for_function("document.querySelectorAll('#search-results li').length === 0")
    assert page.locator("#search-status").inner_text() == "Inget hittades."
    assert_none(visit.problems)


def test_search_without_javascript_points_to_the_site_map(
    browser: Any, server: tuple[str, Path]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(urljoin(server[0], f"id/{ENTITY}.html"))
        page.locator("#site-q").fill("coalition")
        with page.expect_navigation():
            page.locator("#site-q").press("Enter")
        assert urlsplit(page.url).path == "/search.html" and "q=coalition" in page.url
        link = page.locator("main noscript a, main a[href='sitemap.html']").first
        assert link.is_visible()
        with page.expect_navigation():
            link.click()
        assert urlsplit(page.url).path == "/sitemap.html"
        assert page.locator(f"main a[href='id/{ENTITY}.html']").count() == 1
    finally:
        context.close()


def test_no_page_is_wider_than_a_phone(browser: Any, server: tuple[str, Path]) -> None:
    """Crawl the whole site from the home page at 390 px: no page scrolls sideways (a long
    address wraps, a wide table becomes a list), and the crawl reaches every page."""
    base, site = server
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    wide, seen, queue = [], {"/index.html"}, ["/index.html"]
    try:
        while queue:
            path = queue.pop()
            page.goto(urljoin(base, path), wait_until="domcontentloaded")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide.append(f"{path}: {width} px")
            # getAttribute: an SVG link's `href` is an object (SVGAnimatedString), not a string.
            script = "as => as.map(a => new URL(a.getAttribute('href'), location.href).href)"
            for href in page.eval_on_selector_all("a[href]", script):
                target = urlsplit(href)
                if href.startswith(base) and target.path.endswith(".html") and target.path not in seen:
                    seen.add(target.path)
                    queue.append(target.path)
    finally:
        context.close()
    assert_none(wide)
    pages = {f"/{p.relative_to(site).as_posix()}" for p in site.rglob("*.html")} - {"/404.html"}
    assert pages <= seen, sorted(pages - seen)[:10]


# --- axe-core ----------------------------------------------------------------------------------


def axe_violations(page: Any, within: str = "html") -> list[str]:
    """Run axe-core's WCAG 2.1 A and AA rules on the open page (or a part of it)."""
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: {INSTALL}", pytrace=False)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "([within, tags]) => axe.run(within, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        [within, WCAG],
    )
    return [
        f"{urlsplit(page.url).path}: {v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
    ]


def page_types(site: Path) -> list[str]:
    """One page of each kind in English; the home, a class and an entity page in every language.

    Every kind in every language would triple the time (axe takes seconds on the query page's
    example tables) for pages whose markup differs only in their text.
    """
    classes = sorted(p.name for p in (site / "class").glob("*.html") if p.name.count(".") == 1)
    assert classes, "no class pages"
    everywhere = ["index", f"id/{ENTITY}", f"class/{classes[0].removesuffix('.html')}"]
    english = [
        "query",
        "ontology",
        "shapes",
        "timeline",
        "validation",
        "translations",
        "downloads",
        "search",
        "sitemap",
    ]
    return [f"{stem}.html" for stem in english] + [
        f"{stem}{suffix}.html" for stem in everywhere for suffix in LANGUAGES.values()
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_no_axe_violations_on_any_page_type(visit: Visit, server: tuple[str, Path], width: int) -> None:
    """Every kind of page on a desktop screen and on a phone's (390 px), where tables turn into
    lists and the header wraps."""
    visit.page.set_viewport_size({"width": width, "height": 900})
    violations = []
    for path in page_types(server[1]):
        violations += axe_violations(visit.open(path))
    violations += axe_violations(visit.open("search.fr.html?q=ressources"))  # with results
    violations += axe_violations(visit.open("no/such/page.html", status=404))
    assert_none(violations)


def test_pages_of_a_long_listing(browser: Any, paged_site: Path) -> None:
    """Step through a class's instances page by page, and check the second page with axe."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((paged_site / "class" / "Source.fr.html").as_uri())
        pager = page.get_by_role("navigation", name="Pages de cette liste")
        count = int(pager.locator("p").inner_text().rsplit(" ", 1)[-1])
        assert count > 2
        for number in range(2, count + 1):
            pager.get_by_role("link", name="Page suivante").click()
            assert page.url.endswith(f"/class/Source/{number}.fr.html"), page.url
            assert pager.locator("p").inner_text() == f"Page {number} sur {count}"
            if number == 2:
                assert_none(axe_violations(page))
        assert pager.get_by_role("link", name="Page suivante").count() == 0
        pager.get_by_role("link", name="Première page").click()
        assert page.url.endswith("/class/Source.fr.html"), page.url
    finally:
        context.close()


def test_axe_reports_a_broken_page(browser: Any) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(BROKEN.joinpath("page.html").as_uri())
        found = {line.split(": ")[1].split(" ")[0] for line in axe_violations(page)}
    finally:
        context.close()
    assert {"image-alt", "link-name", "color-contrast", "label", "html-has-lang"} <= found, found


# --- entity pages on a desktop and a phone ---------------------------------------------------

SCREENS = {"desktop": (1366, 768), "phone": (390, 844)}
# Entity pages of each shape: the coalition (many facts and links), a working group (a role),
# a person (their role), the Recommendation (external links) and a source (many incoming links).
ENTITY_PAGES = (
    "coalition",
    "wg-sustainability-models",
    "lisa-petrides",
    "recommendation",
    "source/seed",
)


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_entity_pages_lead_with_their_infobox(
    browser: Any, server: tuple[str, Path], screen: str
) -> None:
    """The infobox is above the fold, the page no wider than the screen, and axe finds nothing."""
    width, height = SCREENS[screen]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        problems = []
        for name in ENTITY_PAGES:
            for suffix in LANGUAGES.values():
                page.goto(urljoin(server[0], f"id/{name}{suffix}.html"), wait_until="load")
                box = page.locator("main dl.infobox").bounding_box()
                assert box is not None, name
                if box["y"] + box["height"] > height and name in ENTITY_PAGES[:3]:
                    problems.append(f"{name}{suffix}: infobox ends at {box['y'] + box['height']:.0f} px")
                if box["y"] > height / 2:
                    problems.append(f"{name}{suffix}: infobox starts at {box['y']:.0f} px")
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    problems.append(f"{name}{suffix}: {scroll} px wide")
            problems += axe_violations(page)  # the last language's page of each
        # The founding date, in the reader's language, is on the first screen.
        page.goto(urljoin(server[0], "id/coalition.fr.html"), wait_until="load")
        date = page.locator("main dl.infobox time[datetime='2020-03-02']")
        assert date.inner_text() == "2 mars 2020"
        assert (date.bounding_box() or {"y": height})["y"] < height
        assert_none(problems)
    finally:
        context.close()
