"""The model: entities, labels with their fallbacks, incoming links, descriptions and lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from oerkg.config import load_config
from oerkg.errors import InputErrors
from oerkg.load import load_project
from oerkg.model import Label, Model, Value, build_model, output_stem
from oerkg.vocab import curie

BASE = "https://w3id.org/oerdc/"
ONTOLOGY = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<ontology#Group> a owl:Class ; rdfs:label "Group"@en, "Groupe"@fr ; rdfs:comment "A group."@en .
<ontology#partOf> a owl:ObjectProperty ; rdfs:label "part of"@en ; rdfs:domain <ontology#Group> .
"""
SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
<shapes#G> a sh:NodeShape ; sh:targetClass <ontology#Group> ;
  sh:property [ sh:path <http://schema.org/name> ; sh:minCount 1 ; sh:in ( "a" "b" ) ] .
"""
DATA = """@prefix schema: <http://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<id/coalition> a <ontology#Group> ; rdfs:label "Coalition"@en, "Coalition FR"@fr ;
  schema:description "The whole."@en .
<id/wg> a <ontology#Group> ; rdfs:label "Working group"@en ; <ontology#partOf> <id/coalition> ;
  schema:address [ schema:addressLocality "Paris" ] ;
  schema:keywords ( "one" "two" "three" ) ;
  schema:sameAs <https://example.org/wg> .
<https://example.org/wg> rdfs:label "Elsewhere"@en .
"""


def model_of(tmp_path: Path, data: str = DATA) -> Model:
    for part, text in (("ontology", ONTOLOGY), ("shapes", SHAPES), ("data", data)):
        (tmp_path / part).mkdir(exist_ok=True)
        (tmp_path / part / f"{part}.ttl").write_text(text, encoding="utf-8")
    return build_model(load_project(load_config(tmp_path)))


@pytest.fixture()
def model(tmp_path: Path) -> Model:
    return model_of(tmp_path)


def test_entities_are_the_subjects_in_the_entity_space(model: Model) -> None:
    assert sorted(model.entities) == [f"{BASE}id/coalition", f"{BASE}id/wg"]
    wg = model.entities[f"{BASE}id/wg"]
    assert wg.stem == "id/wg"
    assert wg.types == (f"{BASE}ontology#Group",)


def test_incoming_links_are_counted_once_per_subject(model: Model) -> None:
    coalition = model.entities[f"{BASE}id/coalition"]
    assert coalition.incoming == ((f"{BASE}ontology#partOf", (f"{BASE}id/wg",)),)


def test_labels_fall_back_to_english_then_to_a_short_name(model: Model) -> None:
    coalition = f"{BASE}id/coalition"
    assert model.label(coalition, "fr") == Label("Coalition FR", "fr", False)
    assert model.label(coalition, "sv") == Label("Coalition", "en", True)
    assert model.label(f"{BASE}ontology#Group", "fr") == Label("Groupe", "fr", False)  # a term's
    assert model.label("http://www.w3.org/2002/07/owl#Thing", "en") == Label("owl:Thing", "", False)
    assert model.description(coalition, "sv") == Label("The whole.", "en", True)


def test_an_entity_carries_its_blank_nodes_as_sorted_ntriples(model: Model) -> None:
    lines = model.entities[f"{BASE}id/wg"].ntriples.decode().splitlines()
    assert lines == sorted(lines)
    assert any('"Paris"' in line for line in lines)  # the address's own statement
    assert not any("Coalition" in line for line in lines)  # not the linked entity's


def test_list_members_reads_an_rdf_list(model: Model) -> None:
    wg = model.entities[f"{BASE}id/wg"]
    (head,) = wg.values("http://schema.org/keywords")
    assert [v.value for v in model.list_members(head.value)] == ["one", "two", "three"]
    assert [v.value for v in model.list_members(head.value, limit=2)] == ["one", "two"]


def test_list_members_stops_at_a_cycle_and_at_a_node_without_first(tmp_path: Path) -> None:
    data = """@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
<id/a> <http://schema.org/keywords> _:l1 ; <http://schema.org/about> _:m1 .
_:l1 rdf:first "x" ; rdf:rest _:l2 .
_:l2 rdf:first "y" ; rdf:rest _:l1 .
_:m1 rdf:first "p" ; rdf:rest _:m2 .
_:m2 rdf:rest rdf:nil .
"""
    model = model_of(tmp_path, data)
    entity = model.entities[f"{BASE}id/a"]
    (cycle,) = entity.values("http://schema.org/keywords")
    (broken,) = entity.values("http://schema.org/about")
    assert [v.value for v in model.list_members(cycle.value)] == ["x", "y"]
    assert [v.value for v in model.list_members(broken.value)] == ["p"]


def test_shapes_are_read_into_the_model(model: Model) -> None:
    (shape,) = model.shapes
    assert (shape.target_kind, shape.target) == ("targetClass", f"{BASE}ontology#Group")
    (rule,) = shape.rules
    assert (rule.path, rule.min_count, rule.others) == ("http://schema.org/name", 1, (("in", "(a b)"),))


def test_entities_differing_only_by_case_are_refused(tmp_path: Path) -> None:
    data = '<id/x> <http://schema.org/name> "a" .\n<id/X> <http://schema.org/name> "b" .\n'
    with pytest.raises(InputErrors) as caught:
        model_of(tmp_path, data)
    assert [e.message for e in caught.value.errors] == [
        f"{BASE}id/X and {BASE}id/x would be published as the same file id/x.html "
        "(IRIs must differ by more than letter case)"
    ]


def test_output_stems_stay_inside_the_site(model: Model) -> None:
    config = model.config
    assert output_stem(f"{BASE}id/a b", config) == "id/a~20b"
    assert output_stem(f"{BASE}id/../x", config) == "id/~2E./x"  # a leading dot only
    assert output_stem(f"{BASE}id/.hidden", config) == "id/~2Ehidden"
    assert output_stem("https://example.org/x", config) is None


def test_curie_uses_the_longest_prefix_and_never_an_empty_local_name() -> None:
    prefixes = {"s": "http://schema.org/", "ex": "http://ex.org/", "exa": "http://ex.org/a/"}
    assert curie("http://ex.org/a/b", prefixes) == "exa:b"
    assert curie("http://schema.org/name", prefixes) == "s:name"
    assert curie("http://schema.org/", prefixes) is None
    assert curie("https://other.org/x", prefixes) is None


def test_values_keep_their_kind_language_and_datatype(model: Model) -> None:
    coalition = model.entities[f"{BASE}id/coalition"]
    assert coalition.values("http://schema.org/description") == (
        Value("literal", "The whole.", "en", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"),
    )
