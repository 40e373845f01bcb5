"""The schema.org view of an entity and of the dataset, as JSON-LD safe to embed in HTML."""

from __future__ import annotations

import json
from typing import Any

from ..model import Entity, Model, Value
from ..vocab import RDF_FIRST, RDF_LANG_STRING, RDF_TYPE, SCHEMA, XSD_STRING

# An inline context needs no network: extruct and jsonld.js (safe mode) read it offline.
CONTEXT = {"@vocab": SCHEMA}
_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
_MAX_DEPTH = 4


def embed(data: dict[str, Any]) -> str:
    """Serialise for a <script> element: no `<`, `>` or `&` can end it or open a comment."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)


def schema_types(model: Model, types: tuple[str, ...]) -> list[str]:
    """Return the entity's types, schema.org ones by local name, plus their schema.org supertypes."""
    found: list[str] = []
    seen: set[str] = set()
    todo = list(types)
    while todo:
        iri = todo.pop(0)
        if iri in seen:
            continue
        seen.add(iri)
        if iri.startswith(SCHEMA):
            found.append(iri[len(SCHEMA) :])
        elif iri in types:
            found.append(iri)
        term = model.terms.get(iri)
        todo.extend(term.supers if term else ())
    if not any(not t.startswith(("http://", "https://")) for t in found):
        found.append("Thing")
    return found


def entity_jsonld(model: Model, entity: Entity) -> dict[str, Any]:
    """Describe an entity with its types, names and schema.org statements."""
    data: dict[str, Any] = {"@context": CONTEXT, "@id": entity.iri}
    data["@type"] = schema_types(model, entity.types)
    data.update(_statements(model, entity.props, 0))
    if "name" not in data:
        names = model.labels.get(entity.iri, {})
        data["name"] = [{"@value": t, "@language": lg} for lg, t in sorted(names.items())]
    if "description" not in data and model.descriptions.get(entity.iri):
        texts = model.descriptions[entity.iri]
        data["description"] = [{"@value": t, "@language": lg} for lg, t in sorted(texts.items())]
    return data


def _statements(
    model: Model, props: tuple[tuple[str, tuple[Value, ...]], ...], depth: int
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for predicate, values in props:
        if predicate == RDF_TYPE or not predicate.startswith(SCHEMA):
            continue
        items = [_value(model, v, depth) for v in values]
        data[predicate[len(SCHEMA) :]] = items[0] if len(items) == 1 else items
    return data


def _value(model: Model, value: Value, depth: int) -> Any:
    if value.kind == "iri":
        return {"@id": value.value}
    if value.kind == "bnode":
        props = model.bnodes.get(value.value, ())
        if depth < _MAX_DEPTH and any(p == RDF_FIRST for p, _ in props):
            return {"@list": [_value(model, v, depth + 1) for v in model.list_members(value.value)]}
        node: dict[str, Any] = {}
        types = next((vs for p, vs in props if p == RDF_TYPE), ())
        if types:
            node["@type"] = schema_types(model, tuple(t.value for t in types))
        if depth < _MAX_DEPTH:
            node.update(_statements(model, props, depth + 1))
        return node
    if value.lang:
        return {"@value": value.value, "@language": value.lang}
    if value.datatype in (XSD_STRING, RDF_LANG_STRING, ""):
        return value.value
    return {"@value": value.value, "@type": value.datatype}
