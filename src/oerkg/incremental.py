"""Incremental builds: a content hash per entity, so unchanged pages are reused, not re-rendered.

An entity's key covers everything its files can show: its own statements (with blank nodes), the
statements of the entities that link to it (claims and references are shown on its page), the
statements (or, for IRIs we do not describe, the labels) of every IRI those mention, and a
fingerprint of all that is shared (templates, ontology, settings, build date, class pages, the
engine's own rendering code). Equal keys mean equal bytes, so an incremental build writes exactly
what a clean build would. The keys are the build's state, kept beside the site (`output`), and
depend on no absolute path: the same project gives the same keys in any folder.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from .formats import ENTITY_FORMATS
from .load import Project
from .model import Entity, Model
from .output import files_under

_ENGINE = Path(__file__).parent


def fingerprint(project: Project, model: Model, build_date: str) -> str:
    """Hash what every page shares: templates, ontology, settings, date, engine code."""
    digest = hashlib.sha256()
    config = project.config
    shared = [  # each file by its path in the project (or the engine), wherever that lies
        *((p, p.relative_to(config.project)) for p in sorted(config.dir("site_templates").rglob("*"))),
        *((source.path, source.path.relative_to(config.project)) for source in project.ontology),
        # The shapes' sh:order chooses the facts of every entity's infobox.
        *((source.path, source.path.relative_to(config.project)) for source in project.shapes),
        *((p, Path("oerkg", p.relative_to(_ENGINE))) for p in sorted(_ENGINE.rglob("*.py"))),
    ]
    for path, name in shared:
        if path.is_file():
            digest.update(name.as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(repr((config.base, config.languages, config.dataset, build_date)).encode())
    digest.update(repr(sorted(model.prefixes.items())).encode())
    digest.update(repr(sorted({t for e in model.entities.values() for t in e.types})).encode())
    return digest.hexdigest()


def entity_keys(model: Model, shared: str) -> dict[str, str]:
    """Return a key per entity IRI that changes whenever any of its files would change."""
    own = {iri: _digest(entity) for iri, entity in model.entities.items()}

    def context(entity: Entity) -> bytes:
        # Its statements, and what a page shows of the things they mention: their statements,
        # or their labels.
        digest = hashlib.sha256(own[entity.iri])
        for mentioned in sorted(_mentioned(model, entity)):
            digest.update(own.get(mentioned) or repr((mentioned, model.labels.get(mentioned))).encode())
        return digest.digest()

    # Each entity's context once, then combined per page: a page with thousands of incoming
    # links costs one digest each, not a merge of everything they mention.
    contexts = {iri: context(entity) for iri, entity in model.entities.items()}
    keys: dict[str, str] = {}
    for iri, entity in model.entities.items():
        digest = hashlib.sha256(shared.encode())
        for other in (entity, *_incoming(model, entity)):
            digest.update(contexts[other.iri])
        keys[iri] = digest.hexdigest()
    return keys


def _digest(entity: Entity) -> bytes:
    return hashlib.sha256(entity.iri.encode() + b"\0" + entity.ntriples).digest()


def entity_paths(entity: Entity, languages: Iterable[str]) -> list[str]:
    """Return every file published for one entity: its pages and its RDF."""
    pages = [
        f"{entity.stem}.html" if i == 0 else f"{entity.stem}.{lang}.html"
        for i, lang in enumerate(languages)
    ]
    return pages + [f"{entity.stem}.{fmt.ext}" for fmt in ENTITY_FORMATS]


def read_manifest(state: str) -> dict[str, str]:
    """Return the keys a build recorded as a folder's state (empty if none or unreadable)."""
    try:
        data = json.loads(state)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def manifest(keys: dict[str, str]) -> str:
    """Write the keys as a folder's state."""
    return json.dumps(dict(sorted(keys.items())), indent=0, sort_keys=True) + "\n"


def unchanged(model: Model, keys: dict[str, str], previous: dict[str, str], out: Path) -> set[str]:
    """Return the entities whose files in `out` are still exactly what this build would write."""
    candidates = [iri for iri, key in keys.items() if previous.get(iri) == key]
    present = files_under(out) if candidates else set()
    languages = model.config.languages
    return {
        iri
        for iri in candidates
        if all(p in present for p in entity_paths(model.entities[iri], languages))
    }


def _incoming(model: Model, entity: Entity) -> list[Entity]:
    subjects = {s for _, subjects in entity.incoming for s in subjects}
    return [model.entities[s] for s in sorted(subjects) if s in model.entities]


def _mentioned(model: Model, entity: Entity) -> set[str]:
    """The IRIs its description mentions: predicates and objects, also of its blank nodes."""
    mentioned: set[str] = set()
    todo, seen = [entity.props], set()
    while todo:
        for predicate, values in todo.pop():
            mentioned.add(predicate)
            for v in values:
                if v.kind == "iri":
                    mentioned.add(v.value)
                elif v.kind == "bnode" and v.value not in seen:
                    seen.add(v.value)
                    todo.append(model.bnodes.get(v.value, ()))
    return mentioned
