"""Every value survives the dump writer: generated graphs come back isomorphic from every dump
format through independent parsers (rdflib, and Raptor's `rapper` where installed), and the same
entities render to pages that parse as HTML with an embedded JSON-LD block that parses.

What RDF allows (RDF 1.1 Concepts §3.3, §3.4): a lexical form is any Unicode string, so control
characters and NUL are legal and must survive Turtle, N-Triples, N-Quads, TriG and JSON-LD (which
escape them). XML 1.0 cannot carry U+0000 and most C0 controls at all, so RDF/XML is checked on
graphs without them (a documented limit of the format, see `XML_UNSAFE`); lone surrogates are
not Unicode scalar values and never occur in RDF.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from oerkg.config import load_config
from oerkg.dumps import dump_files, dump_path, graph_texts
from oerkg.errors import InputError
from oerkg.formats import Format
from oerkg.load import load_project
from oerkg.model import build_model
from oerkg.render import render_entity

ROOT = Path(__file__).resolve().parents[1]
BASE_PROJECT = Path(__file__).parent / "data" / "bad" / "_base"
BASE = "https://w3id.org/oerdc/"
SPACE = BASE + "id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "http://schema.org/"
RAPPER = shutil.which("rapper")

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# ---------------------------------------------------------------- strategies

# Any Unicode scalar value: controls, NUL, astral characters (UTF-16 surrogate pairs), RTL, emoji.
CHARS = st.characters(blacklist_categories=("Cs",))
SPICE = st.sampled_from(
    [
        "\u202e",
        "مرحبا",
        "שלום",
        "\u200f",
        "😀",
        "👩🏽‍🔬",
        "𝔘𝔫𝔦",
        "\u0000",
        "\x07",
        "\t",
        "\r\n",
        "\\",
        '"',
        "'''",
        '"""',
        "</script>",
        "<!--",
        "]]>",
        "&amp;",
        "\u2028",
        "\ufeff",
        "e\u0301",
        "\U0010fffd",
    ]
)
TEXT = st.one_of(
    st.text(CHARS, max_size=40),
    st.lists(st.one_of(SPICE, st.text(CHARS, max_size=5)), max_size=8).map("".join),
    st.builds(lambda s, n: s * n, st.text(CHARS, min_size=1, max_size=3), st.integers(500, 3000)),
)

ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = ALPHA + "0123456789"
LANG_TAG = st.builds(
    lambda lang, script, region, variant: "-".join(p for p in (lang, script, region, variant) if p),
    st.text(ALPHA, min_size=2, max_size=3),
    st.one_of(st.just(""), st.text(ALPHA, min_size=4, max_size=4)),
    st.one_of(
        st.just(""),
        st.text(ALPHA, min_size=2, max_size=2),
        st.text("0123456789", min_size=3, max_size=3),
    ),
    st.one_of(st.just(""), st.text(ALNUM, min_size=5, max_size=8)),
)

# Legal in an IRI path (RFC 3987 ipchar): unreserved, sub-delims, ':', '@', pct-encoded, ucschar.
# Unicode spaces (U+00A0, U+3000, …) are legal ucschar too, but rdflib's N-Triples parser splits on
# Python's `\s` and cannot read them back, so they are left out (an rdflib limit, not ours).
UCSCHAR = st.one_of(
    st.characters(min_codepoint=0xA0, max_codepoint=0xD7FF),
    st.characters(min_codepoint=0x10000, max_codepoint=0x1FFFD),
).filter(lambda c: not c.isspace())
IRI_CHAR = st.one_of(
    st.sampled_from(list(ALNUM + "-._~!$&'()*+,;=:@")),
    st.sampled_from(["%2F", "%20", "%25", "%C3%A9", ".."]),
    UCSCHAR,
)
# A segment of exactly "." or ".." is not in normal form; oerkg validate refuses such IRIs
# (parsers disagree on them: Raptor resolves them away, pyoxigraph keeps them).
SEGMENT = st.lists(IRI_CHAR, min_size=1, max_size=8).map("".join).filter(lambda s: s not in (".", ".."))
LOCAL_IRI = st.lists(SEGMENT, min_size=1, max_size=3).map(lambda s: SPACE + "/".join(s))
EXTERNAL_IRI = st.builds(
    lambda host, path, query, frag: f"https://{host}.example/{path}" + query + frag,
    st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8),
    SEGMENT,
    st.one_of(st.just(""), SEGMENT.map(lambda s: "?" + s)),
    st.one_of(st.just(""), SEGMENT.map(lambda s: "#" + s)),
)

TYPED = st.one_of(
    st.integers(-(10**30), 10**30).map(lambda n: Literal(str(n), datatype=URIRef(XSD + "integer"))),
    st.booleans().map(lambda b: Literal(str(b).lower(), datatype=URIRef(XSD + "boolean"))),
    st.dates().map(lambda d: Literal(d.isoformat(), datatype=URIRef(XSD + "date"))),
    st.builds(
        lambda t, dt: Literal(t, datatype=URIRef(dt)),
        TEXT,
        st.sampled_from(
            [XSD + "string", XSD + "anyURI", XSD + "token", "https://example.org/dt#custom%20type"]
        ),
    ),
)
LITERAL = st.one_of(
    TEXT.map(Literal),
    st.builds(lambda t, lang: Literal(t, lang=lang), TEXT, LANG_TAG),
    TYPED,
)
PREDICATE = st.sampled_from(
    [
        SCHEMA + "name",
        SCHEMA + "description",
        SCHEMA + "url",
        SCHEMA + "alternateName",
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2000/01/rdf-schema#comment",
        "http://www.w3.org/ns/org#hasUnit",
        BASE + "ontology#odd-name_1.x",
    ]
)


@st.composite
def graphs(draw: st.DrawFn, *, bnode_cycles: bool = True) -> list[tuple[Node, URIRef, Node]]:
    """A small graph about a few entities of our space, with literals, links and blank nodes
    (which may link to each other, in cycles too, unless `bnode_cycles` is false)."""
    subjects = draw(st.lists(LOCAL_IRI, min_size=1, max_size=4, unique_by=str.casefold))
    iris = [URIRef(s) for s in subjects]
    triples: list[tuple[Node, URIRef, Node]] = []
    bnodes = [BNode() for _ in range(draw(st.integers(0, 2)))]
    for s in iris:
        triples.append((s, URIRef(SCHEMA + "name"), draw(TEXT.map(lambda t: Literal(t, lang="en")))))
    for _ in range(draw(st.integers(0, 10))):
        subject = draw(st.sampled_from([*iris, *bnodes]))
        obj = draw(
            st.one_of(
                LITERAL,
                st.sampled_from(iris),
                EXTERNAL_IRI.map(URIRef),
                *([st.sampled_from(bnodes)] if bnodes and (bnode_cycles or subject in iris) else []),
            )
        )
        triples.append((subject, URIRef(draw(PREDICATE)), obj))
    for b in bnodes:  # every blank node hangs off an entity
        triples.append((iris[0], URIRef(SCHEMA + "address"), b))
    return triples


# ---------------------------------------------------------------- helpers


def nt_term(term: Node) -> str:
    """Write one term in N-Triples (our own writer: the parser under test reads it)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:b{term}"
    assert isinstance(term, Literal)
    text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype is not None:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("roundtrip") / "project"
    shutil.copytree(BASE_PROJECT, folder)
    shutil.copytree(ROOT / "site_templates", folder / "site_templates")
    (folder / "ontology" / "extra.ttl").write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<ontology#odd-name_1.x> a owl:DatatypeProperty .\n",
        encoding="utf-8",
    )
    return folder


def load(project_dir: Path, triples: list[tuple[Node, URIRef, Node]]):  # type: ignore[no-untyped-def]
    """Write the triples as N-Triples into data/data.ttl and load the project in-process."""
    lines = "".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in triples)
    (project_dir / "data" / "data.ttl").write_text(lines, encoding="utf-8")
    return load_project(load_config(project_dir))


def expected_graph(triples: list[tuple[Node, URIRef, Node]]) -> Graph:
    graph = Graph()
    for t in triples:
        graph.add(t)
    return simple(graph)


def simple(graph: Graph) -> Graph:
    """Write `"a"^^xsd:string` as `"a"` and language tags in lower case: the same literals in
    RDF 1.1 (tags compare case-insensitively), different terms for `rdflib.compare`."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == URIRef(XSD + "string"):
            o = Literal(str(o))
        elif isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out


def parse(data: bytes, fmt: Format) -> Graph:
    """Read a dump with rdflib; quad formats are merged into one graph."""
    rdflib_format = {
        Format.TURTLE: "turtle",
        Format.N_TRIPLES: "nt",
        Format.N_QUADS: "nquads",
        Format.TRIG: "trig",
        Format.JSON_LD: "json-ld",
        Format.RDF_XML: "xml",
    }[fmt]
    if fmt in (Format.N_QUADS, Format.TRIG):
        dataset = Dataset()
        dataset.parse(data=data, format=rdflib_format, publicID=BASE)
        names = {str(c.identifier) for c in dataset.graphs() if len(c)}
        assert names <= {BASE + "graph/data/data"}, names
        graph = Graph()
        for s, p, o, _ in dataset.quads():
            graph.add((s, p, o))
        return simple(graph)
    graph = Graph()
    # Our RDF/XML holds absolute IRIs only, and rdflib resolves even those against a base
    # with urljoin, which cuts `;` parameters: `<…/id/;>` would come back as `<…/id/>`.
    graph.parse(data=data, format=rdflib_format, publicID=None if fmt is Format.RDF_XML else BASE)
    return simple(graph)


def rapper(data: bytes, syntax: str) -> Graph:
    """Read a dump with Raptor (a C parser, independent of both rdflib and oxigraph)."""
    assert RAPPER is not None
    done = subprocess.run(
        [RAPPER, "--quiet", "-i", syntax, "-o", "ntriples", "-", BASE],
        input=data,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    graph = Graph()
    graph.parse(data=done.stdout, format="nt")
    return simple(graph)


def xml_safe(triples: list[tuple[Node, URIRef, Node]]) -> bool:
    return not any(isinstance(o, Literal) and XML_UNSAFE.search(str(o)) for _, _, o in triples)


def diff(expected: Graph, got: Graph) -> str:
    lost = sorted(repr(t) for t in expected - got if not any(isinstance(x, BNode) for x in t))
    added = sorted(repr(t) for t in got - expected if not any(isinstance(x, BNode) for x in t))
    return f"lost {lost[:3]} added {added[:3]}"


SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


# ---------------------------------------------------------------- dumps


@pytest.mark.parametrize("fmt", [f for f in Format if f is not Format.RDF_XML], ids=lambda f: f.ext)
@SETTINGS
@given(triples=graphs())
def test_dump_round_trip(project_dir: Path, fmt: Format, triples: list) -> None:
    project = load(project_dir, triples)
    nt, nq = graph_texts(project)
    files = dict(dump_files(project, nt, nq, formats=(fmt,)))
    expected = expected_graph(triples)

    got = parse(files[dump_path(fmt)], fmt)

    assert isomorphic(expected, got), diff(expected, got)
    if fmt in (Format.N_TRIPLES, Format.N_QUADS):
        assert gzip.decompress(files[dump_path(fmt, compressed=True)]) == files[dump_path(fmt)]


@SETTINGS
@given(triples=graphs().filter(xml_safe))
def test_rdf_xml_round_trip(project_dir: Path, triples: list) -> None:
    project = load(project_dir, triples)
    nt, nq = graph_texts(project)
    data = dict(dump_files(project, nt, nq))[dump_path(Format.RDF_XML)]
    expected = expected_graph(triples)

    got = parse(data, Format.RDF_XML)

    assert isomorphic(expected, got), diff(expected, got)


@pytest.mark.skipif(RAPPER is None, reason="Raptor (rapper) is not installed; `make tools`")
@pytest.mark.parametrize("fmt", [Format.TURTLE, Format.N_TRIPLES, Format.RDF_XML], ids=lambda f: f.ext)
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(triples=graphs())
def test_dump_round_trip_through_rapper(project_dir: Path, fmt: Format, triples: list) -> None:
    # Raptor reads literals as C strings, so a NUL ends them early (Raptor's limit, not ours).
    if "\x00" in "".join(str(o) for _, _, o in triples):
        return
    if fmt is Format.RDF_XML and not xml_safe(triples):
        return
    project = load(project_dir, triples)
    nt, nq = graph_texts(project)
    data = dict(dump_files(project, nt, nq, formats=(fmt,)))[dump_path(fmt)]
    expected = expected_graph(triples)

    got = rapper(
        data, {Format.TURTLE: "turtle", Format.N_TRIPLES: "ntriples", Format.RDF_XML: "rdfxml"}[fmt]
    )

    assert isomorphic(expected, got), diff(expected, got)


def test_rdf_xml_refuses_what_xml_cannot_carry_instead_of_writing_broken_xml(project_dir: Path) -> None:
    # XML 1.0 has no way to write U+0000 or U+0007: the dump fails loudly, naming the character,
    # and never publishes a file that no XML parser can read.
    triples = [(URIRef(SPACE + "x"), URIRef(SCHEMA + "name"), Literal("bell \x07 nul \x00", lang="en"))]
    project = load(project_dir, triples)
    nt, nq = graph_texts(project)
    with pytest.raises(InputError) as caught:
        dict(dump_files(project, nt, nq))
    assert str(caught.value) == (
        "a literal contains the control character U+0007, which RDF/XML (XML 1.0) cannot carry; "
        "remove it from the data"
    )


# ---------------------------------------------------------------- pages

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class StrictPage(HTMLParser):
    """Check that every element is closed in order, and collect the inline JSON-LD blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and ("type", "application/ld+json") in attrs:
            self._in_jsonld = True
            self.jsonld.append("")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # HTML 13.1.2.1: only void elements and foreign (SVG, MathML) elements may self-close.
        if tag not in VOID and "svg" not in self.stack:
            self.errors.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_jsonld = False
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'} at {self.getpos()}")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld[-1] += data


def strings(node: object) -> set[str]:
    if isinstance(node, str):
        return {node}
    if isinstance(node, dict):
        return {s for v in node.values() for s in strings(v)}
    if isinstance(node, list):
        return {s for v in node for s in strings(v)}
    return set()


@SETTINGS
@given(triples=graphs(bnode_cycles=False))  # cycles: test_bad_input.py, notes B2
def test_entity_pages_parse_and_embed_parseable_json_ld(project_dir: Path, triples: list) -> None:
    project = load(project_dir, triples)
    model = build_model(project)
    subjects = {str(s) for s, _, _ in triples if isinstance(s, URIRef)}
    assert subjects <= set(model.entities)

    for iri in sorted(subjects):
        pages = render_entity(model, iri)
        assert pages, iri
        for path, html in pages.items():
            page = StrictPage()
            page.feed(html)
            page.close()
            assert page.errors == [] and page.stack == [], (path, page.errors, page.stack)
            assert len(page.jsonld) == 1, path
            data = json.loads(page.jsonld[0])
            assert data["@id"] == iri
            # Every schema.org literal of the entity is carried exactly.
            values = strings(data)
            for s, p, o in triples:
                if str(s) == iri and str(p).startswith(SCHEMA) and isinstance(o, Literal):
                    assert str(o) in values, (path, str(p), str(o)[:80])
