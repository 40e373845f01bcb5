"""The search index: stems per language, shards the client can find, documents that link to
the pages of the index's language, the same bytes every build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from oerkg.build import BuildResult
from oerkg.config import load_config
from oerkg.load import load_project
from oerkg.model import build_model
from oerkg.search import (
    COMMON,
    DESCRIPTION,
    FIRST,
    LABEL,
    SHARDED,
    fold,
    key_length,
    search_files,
    shard_file,
    words_of,
)

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = {"en": "", "fr": ".fr", "sv": ".sv"}


def load(site: Path, lang: str, path: str) -> object:
    return json.loads((site / "search" / lang / path).read_text(encoding="utf-8"))


def lookup(site: Path, lang: str, word: str) -> dict[int, int]:
    """Find a word as the client does (static/search.js): through every stem of 3 characters
    or more that starts it; return {entity number: best field}."""
    index = load(site, lang, "index.json")
    assert isinstance(index, dict)
    word = fold(word.lower())
    shard = load(site, lang, f"t/{index['shards'][word[: index['key']]]}.json")
    assert isinstance(shard, dict)
    found: dict[int, int] = {}
    for stem in (s for s in shard if word.startswith(s) and len(s) >= min(3, len(word))):
        for posting in shard[stem]:
            found[posting // 4] = min(found.get(posting // 4, 9), posting % 4)
    return found


def document(site: Path, lang: str, number: int) -> list[str]:
    index = load(site, lang, "index.json")
    assert isinstance(index, dict)
    block = load(site, lang, f"d/{number // index['block']}.json")
    assert isinstance(block, list)
    return list(block[number % index["block"]])


@pytest.mark.parametrize(
    ("lang", "word", "page"),
    [
        ("fr", "dynamiques", "id/coalition.fr.html"),  # "Coalition dynamique de l'UNESCO…"
        ("en", "coalitions", "id/coalition.html"),
        ("sv", "rekommendationen", "id/recommendation.sv.html"),  # "Unescos rekommendation om…"
    ],
)
def test_an_inflected_word_finds_the_entity_by_its_name(
    site: Path, lang: str, word: str, page: str
) -> None:
    found = lookup(site, lang, word)
    pages = {document(site, lang, n)[1]: field for n, field in found.items()}
    assert pages.get(page) in (FIRST, LABEL), sorted(pages)[:10]
    assert (site / page).is_file()


def test_documents_link_to_the_pages_of_their_language(site: Path, built: BuildResult) -> None:
    for lang, suffix in LANGUAGES.items():
        index = load(site, lang, "index.json")
        assert isinstance(index, dict) and index["documents"] == built.entities
        paths = [
            doc[1]
            for n in range(-(-index["documents"] // index["block"]))
            for doc in load(site, lang, f"d/{n}.json")  # type: ignore[union-attr]
        ]
        assert len(paths) == built.entities
        assert all(p.endswith(f"{suffix}.html") and (site / p).is_file() for p in paths)


def test_every_shard_is_listed_and_holds_its_stems(site: Path) -> None:
    for lang in LANGUAGES:
        index = load(site, lang, "index.json")
        assert isinstance(index, dict)
        files = {p.stem for p in (site / "search" / lang / "t").glob("*.json")}
        assert files == set(index["shards"].values())
        for key, name in index["shards"].items():
            shard = load(site, lang, f"t/{name}.json")
            assert isinstance(shard, dict) and shard
            for stem, postings in shard.items():
                assert stem[: index["key"]] == key and stem == fold(stem)
                assert postings == sorted(postings)
                assert all(p // 4 < index["documents"] for p in postings)


def test_stems_fold_accents_and_follow_each_language() -> None:
    assert words_of("Éducation ouverte", "fr") == ("educ", "ouvert")
    assert words_of("Ressources éducatives libres", "fr")[1] == "educ"
    assert words_of("Working Groups", "en") == ("work", "group")
    assert words_of("öppna lärresurser", "sv") == ("oppn", "larresurs")
    assert words_of("Open_data", "xx") == ("open", "data")  # no stemmer: words as they are
    assert shard_file("co") == "co" and shard_file("øk") == "uf8-6b"


def test_shards_are_named_by_more_characters_as_the_index_grows() -> None:
    assert [key_length(n) for n in (0, SHARDED - 1, SHARDED, 100 * SHARDED)] == [1, 1, 2, 3]


def test_words_common_to_many_descriptions_are_left_out(tmp_path: Path) -> None:
    """A description word in more than COMMON entities tells nothing; a name's words stay."""
    project = tmp_path / "p"
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, project / name)
    (project / "data").mkdir()
    many = COMMON + 5
    turtle = [
        "@prefix schema: <http://schema.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."
    ]
    for n in range(many):
        turtle.append(
            f'<https://w3id.org/oerdc/id/e{n}> rdfs:label "Thing {n}"@en ;'
            f' schema:description "A common word and rare{n}"@en .'
        )
    (project / "data" / "d.ttl").write_text("\n".join(turtle), encoding="utf-8")
    files = dict(search_files(build_model(load_project(load_config(project)))))
    shards = {path: json.loads(data) for path, data in files.items() if "/t/" in path}
    en = {
        stem: p
        for path, shard in shards.items()
        if path.startswith("search/en/")
        for stem, p in shard.items()
    }
    assert "common" not in en and "word" not in en
    number = sorted(f"e{n}" for n in range(many)).index("e7")  # entities are numbered by IRI
    assert en["rare7"] == [number * 4 + DESCRIPTION]
    assert len(en["thing"]) == many


def test_the_same_model_gives_the_same_bytes() -> None:
    model = build_model(load_project(load_config(ROOT)))
    assert dict(search_files(model)) == dict(search_files(model))
