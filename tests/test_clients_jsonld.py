"""JSON-LD as its consumers read it: jsonld.js (safe mode, no network) and extruct (search engines)."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest

from oerkg.build import BuildResult

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "data" / "broken"
SCRIPT = ROOT / "tests" / "js" / "jsonld-expand.mjs"
SCHEMA_CONTEXT = ROOT / "tests" / "data" / "schemaorg-context.jsonld"
INSTALL = "run `make tools` (npm ci --ignore-scripts: jsonld)"
SCHEMA = "http://schema.org/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")


def assert_none(problems: list[str]) -> None:
    """Fail with every problem on its own line (pytest would cut a long list short)."""
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


class _Blocks(HTMLParser):
    """Collect the text of every <script type="application/ld+json"> element."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._inside = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = self._inside and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.blocks[-1] += data


def embedded_blocks(html: str) -> list[str]:
    parser = _Blocks()
    parser.feed(html)
    return parser.blocks


def jsonld_to_nquads(documents: dict[str, str]) -> dict[str, tuple[str | None, str]]:
    """Expand each document with jsonld.js (safe mode, local schema.org context only) to N-Quads."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"`node` is not installed: {INSTALL}", pytrace=False)
    if not (ROOT / "node_modules" / "jsonld").is_dir():
        pytest.fail(f"npm package jsonld is missing from node_modules: {INSTALL}", pytrace=False)
    job = {
        "context": str(SCHEMA_CONTEXT),
        "documents": [{"name": n, "text": t} for n, t in documents.items()],
    }
    run = subprocess.run(
        [node, str(SCRIPT)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    return {r["name"]: (r["nquads"], r["error"] or "") for r in json.loads(run.stdout)}


def triples(nquads: str) -> set[ox.Triple]:
    return {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)
    }


@pytest.fixture(scope="session")
def graph(site: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=site / "dumps" / "graph.nt", format=ox.RdfFormat.N_TRIPLES)
    return store


@pytest.fixture(scope="session")
def page_blocks(site: Path) -> dict[str, list[str]]:
    """The embedded JSON-LD blocks of every page, by page path."""
    return {
        str(p.relative_to(site)): embedded_blocks(p.read_text(encoding="utf-8"))
        for p in sorted(site.rglob("*.html"))
    }


def entity_pages(site: Path) -> list[tuple[Path, Path]]:
    """Every entity page in every language, with the entity's own N-Triples file."""
    pages = []
    for nt in sorted((site / "id").rglob("*.nt")):
        for page in sorted(nt.parent.glob(f"{nt.stem}*.html")):
            if page.name.split(".")[0] == nt.stem:
                pages.append((page, nt))
    return pages


# --- jsonld.js ---------------------------------------------------------------------------------


def test_jsonld_dump_expands_to_our_graph(site: Path, built: BuildResult) -> None:
    text = (site / "dumps" / "graph.jsonld").read_text(encoding="utf-8")
    nquads, error = jsonld_to_nquads({"dump": text})["dump"]
    assert not error and nquads is not None, error
    found = triples(nquads)
    assert len(found) == built.triples
    ours = triples((site / "dumps" / "graph.nt").read_text(encoding="utf-8"))

    def ground(ts: set[ox.Triple]) -> set[ox.Triple]:
        return {
            t
            for t in ts
            if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
        }

    assert ground(found) == ground(ours)


def test_every_entity_and_vocabulary_jsonld_file_expands_like_its_ntriples(site: Path) -> None:
    files = sorted((site / "id").rglob("*.jsonld")) + [site / "ontology.jsonld", site / "shapes.jsonld"]
    results = jsonld_to_nquads({str(p): p.read_text(encoding="utf-8") for p in files})
    problems = []
    for path in files:
        nquads, error = results[str(path)]
        expected = len(triples(path.with_suffix(".nt").read_text(encoding="utf-8")))
        if error or nquads is None:
            problems.append(f"{path.relative_to(site)}: {error}")
        elif len(triples(nquads)) != expected:
            problems.append(f"{path.relative_to(site)}: {len(triples(nquads))} triples, not {expected}")
    assert_none(problems)


def test_every_embedded_block_expands_safely(page_blocks: dict[str, list[str]], site: Path) -> None:
    pages_with_entities = {str(page.relative_to(site)) for page, _ in entity_pages(site)}
    missing = sorted(p for p in pages_with_entities if not page_blocks[p])
    assert_none([f"{p}: no embedded JSON-LD" for p in missing])
    documents = {
        f"{page}#{i}": block for page, blocks in page_blocks.items() for i, block in enumerate(blocks)
    }
    results = jsonld_to_nquads(documents)
    failures = [f"{name}: {error}" for name, (nquads, error) in results.items() if error or not nquads]
    assert_none(failures)


def test_embedded_blocks_say_what_our_graph_says(site: Path, graph: ox.Store) -> None:
    """Each statement of an entity's block is in our graph; types may add schema.org supertypes,
    names and descriptions may restate the entity's labels."""
    pages = [(page, nt) for page, nt in entity_pages(site) if page.name.count(".") == 1]  # English
    documents = {}
    for page, _nt in pages:
        blocks = embedded_blocks(page.read_text(encoding="utf-8"))
        documents[str(page)] = blocks[0] if blocks else "{}"
    results = jsonld_to_nquads(documents)
    vocabulary = ox.Store()  # subclass axioms of our ontology and of the terms it reuses
    vocabulary.bulk_load(path=site / "ontology.nt", format=ox.RdfFormat.N_TRIPLES)

    def supertypes(subject: ox.NamedNode | ox.BlankNode | ox.Triple) -> set[object]:
        todo = [q.object for q in graph.quads_for_pattern(subject, RDF_TYPE, None)]
        seen: set[object] = {ox.NamedNode(SCHEMA + "Thing")}
        while todo:
            term = todo.pop()
            if term not in seen:
                seen.add(term)
                todo += [
                    q.object
                    for store in (graph, vocabulary)
                    for q in store.quads_for_pattern(term, SUBCLASS_OF, None)
                ]
        return seen

    problems = []
    for page, nt in pages:
        nquads, error = results[str(page)]
        if error or nquads is None:
            problems.append(f"{page}: {error}")
            continue
        subjects = {t.subject for t in ox.parse(path=nt, format=ox.RdfFormat.N_TRIPLES)}
        block = triples(nquads)
        if not any(t.subject in subjects for t in block):
            problems.append(f"{page}: the block does not describe the page's entity")
        for t in block:
            if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
                continue
            if ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) in graph:
                continue
            if t.predicate == RDF_TYPE and t.object in supertypes(t.subject):
                continue  # a schema.org supertype, for consumers without our ontology
            if t.predicate.value in (SCHEMA + "name", SCHEMA + "description") and any(
                q.object == t.object for q in graph.quads_for_pattern(t.subject, None, None)
            ):
                continue  # a label or description restated as schema:name/description
            problems.append(f"{page.relative_to(site)}: not in our graph: {t}")
    assert_none(problems)


def test_jsonld_js_refuses_dropped_terms_and_network() -> None:
    results = jsonld_to_nquads(
        {p.name: p.read_text(encoding="utf-8") for p in sorted(BROKEN.glob("*.jsonld"))}
    )
    assert set(results) == {"remote-context.jsonld", "unknown-term.jsonld"}
    assert "network access refused: https://example.org/" in results["remote-context.jsonld"][1]
    assert "safe mode" in results["unknown-term.jsonld"][1].lower(), results


def test_schema_org_context_means_what_our_inline_context_means(
    page_blocks: dict[str, list[str]],
) -> None:
    """Under schema.org's own context (as Google reads `"@context": "https://schema.org"`), our
    blocks use the same property and type IRIs as under our inline `@vocab` context."""
    inline, official = {}, {}
    for page, blocks in page_blocks.items():
        for i, block in enumerate(blocks):
            data = json.loads(block)
            if not isinstance(data, dict) or data.get("@context") != {"@vocab": SCHEMA}:
                continue
            inline[f"{page}#{i}"] = block
            official[f"{page}#{i}"] = json.dumps({**data, "@context": "https://schema.org"})
    assert inline, "no block uses the inline schema.org context"
    a, b = jsonld_to_nquads(inline), jsonld_to_nquads(official)

    def terms(nquads: str | None) -> set[str]:
        ts = triples(nquads or "")
        return {t.predicate.value for t in ts} | {t.object.value for t in ts if t.predicate == RDF_TYPE}

    differ = [
        f"{name}: {b[name][1] or sorted(terms(a[name][0]) ^ terms(b[name][0]))}"
        for name in inline
        if a[name][1] or b[name][1] or terms(a[name][0]) != terms(b[name][0])
    ]
    assert_none(differ)


# --- extruct ----------------------------------------------------------------------------------


def extruct_problems(html: str, *, entity: str, types: set[str]) -> list[str]:
    """What a search engine would miss: the entity as a schema.org object of its type, named."""
    import extruct

    items = extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"]
    node = next((i for i in items if isinstance(i, dict) and i.get("@id") == entity), None)
    if node is None:
        return [f"no JSON-LD object with @id {entity} (found {[i.get('@id') for i in items]})"]
    found = node.get("@type", [])
    found = {found} if isinstance(found, str) else set(found)
    problems = []
    if not any("://" not in t for t in found):
        problems.append(f"no schema.org @type: {sorted(found)}")
    if not types <= found:
        problems.append(f"@type {sorted(found)} lacks {sorted(types - found)}")
    names = node.get("name")
    names = names if isinstance(names, list) else [names]
    texts = [n.get("@value") if isinstance(n, dict) else n for n in names]
    if not any(isinstance(t, str) and t.strip() for t in texts):
        problems.append(f"no name: {node.get('name')!r}")
    return problems


def test_extruct_finds_each_entity_as_a_named_schema_org_object(site: Path, graph: ox.Store) -> None:
    problems = []
    pages = entity_pages(site)
    assert pages
    for page, nt in pages:
        described = list(ox.parse(path=nt, format=ox.RdfFormat.N_TRIPLES))
        entity = described[0].subject if described else None
        # The entity is the subject its own page is named after; its CBD may add blank nodes.
        iris = [t.subject for t in described if isinstance(t.subject, ox.NamedNode)]
        entity = next((s for s in iris if s.value.endswith("/" + nt.stem)), entity)
        assert isinstance(entity, ox.NamedNode), nt
        types = {
            q.object.value[len(SCHEMA) :]
            for q in graph.quads_for_pattern(entity, RDF_TYPE, None)
            if q.object.value.startswith(SCHEMA)
        }
        html = page.read_text(encoding="utf-8")
        problems += [
            f"{page.relative_to(site)}: {p}"
            for p in extruct_problems(html, entity=entity.value, types=types)
        ]
    assert_none(problems)


def test_extruct_check_reports_an_unnamed_untyped_entity() -> None:
    html = (BROKEN / "entity-page.html").read_text(encoding="utf-8")
    problems = extruct_problems(html, entity="https://example.org/id/a", types={"Organization"})
    assert len(problems) == 3, problems
