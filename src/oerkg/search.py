"""The search index: per language, the stemmed words of each entity's names and description,
in small shards a static page's script fetches as the reader types; built from the model.

Layout, under `search/<lang>/` (JSON, UTF-8):
- `index.json`: {"documents": N, "block": B, "key": K, "shards": {key: file}}, what the client
  loads first;
- `t/<file>.json`: {stem: [posting, …]} for the stems starting with `key` (their first K
  characters, see key_length), each posting `entity number * 4 + field` (FIRST, LABEL, ALTERNATE, DESCRIPTION);
- `d/<n>.json`: entities `n*B` to `n*B + B - 1` as [label, page path, type, description start,
  the label's language, the description's language] (a language only where not the page's).

Stemming happens here only (Snowball, in the language of each text); the client never stems.
It matches a query word against the stems by prefix, both ways: the stems that start the word
(its own stem among them, since Snowball only strips or rewrites endings; a longer one weighs
more), and the stems that the word starts (completion while typing). So the client and the index cannot disagree
about a stem, whatever the reader's browser, and the script stays a few kilobytes.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache

import snowballstemmer

from .model import SCHEMA, SKOS, Model
from .render.entity import primary_types
from .render.views import suffix

# Where in an entity's texts a stem is, a posting's last two bits; the client weighs them: the
# name's first word most (a name that starts with the word asked for is the likeliest answer,
# as Wikidata's search ranks), then the name's other words, other names, the description.
FIRST, LABEL, ALTERNATE, DESCRIPTION = 0, 1, 2, 3
ALTERNATE_PROPERTIES = (f"{SKOS}altLabel", f"{SCHEMA}alternateName")
SHARDED = 20_000  # postings of a language from which shards are named by two characters
BLOCK = 500  # entities per document file: the client fetches only the blocks of the hits it shows
SNIPPET = 140  # characters of a description a hit shows
# A description word in more than this share of the entities (and more than COMMON entities)
# tells them apart no better than "the" does: it is left out of the descriptions' postings,
# which keeps any shard small however large the graph (names are always indexed).
COMMON_SHARE = 0.1
COMMON = 50
# Snowball's algorithm names for the languages a project may use; others are indexed unstemmed.
ALGORITHMS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nb": "norwegian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}
# Unicode letters and digits; the client's tokeniser is /[\p{L}\p{N}]+/gu.
_WORD = re.compile(r"[^\W_]+")


def search_files(model: Model) -> Iterator[tuple[str, bytes]]:
    """Yield the search index's files, per site language: an index, term shards, documents."""
    languages = model.config.languages
    iris = sorted(model.entities)
    indexes = {lang: _Index(lang, suffix(lang, languages)) for lang in languages}
    for number, iri in enumerate(iris):
        entity = model.entities[iri]
        # Each text is split and stemmed once (in its own language), whichever indexes show it.
        names = {lg: words_of(text, lg) for lg, text in model.labels.get(iri, {}).items()}
        other_names = [
            stem
            for p in ALTERNATE_PROPERTIES
            for value in entity.values(p)
            if value.kind == "literal"
            for stem in words_of(value.value, value.lang or languages[0])
        ]
        descriptions = model.descriptions.get(iri, {})
        described: dict[str, tuple[str, ...]] = {}
        types = primary_types(model, entity)
        for lang, index in indexes.items():
            label = model.label(iri, lang)
            words: dict[str, int] = {}  # stem -> the best field it is in
            shown = label.lang or lang
            for n, stem in enumerate(names.get(shown) or words_of(label.text, shown)):
                words.setdefault(stem, LABEL if n else FIRST)
            for lg, stems in names.items():
                if lg != shown:
                    for stem in stems:
                        words.setdefault(stem, ALTERNATE)
            for stem in other_names:
                words.setdefault(stem, ALTERNATE)
            index.add(number, words)
            description = _pick(descriptions, lang)
            if description:
                lg, text = description
                if lg not in described:
                    described[lg] = words_of(text, lg)
                index.describe(number, [s for s in described[lg] if s not in words])
            index.documents.append(
                [
                    label.text,
                    f"{entity.stem}{index.suffix}.html",
                    index.type_name(model, types[0]) if types else "",
                    _snippet(description[1]) if description else "",
                    "" if label.lang in (lang, "") else label.lang,  # for a lang attribute
                    "" if not description or description[0] == lang else description[0],
                ]
            )
    for index in indexes.values():
        yield from index.files()


def _pick(texts: dict[str, str], lang: str) -> tuple[str, str] | None:
    """Return (language, text) in `lang`, else in English, else in another language."""
    found = next((lg for lg in (lang, "en", *sorted(texts)) if lg in texts), None)
    return (found, texts[found]) if found else None


class _Index:
    """The postings and documents of one language's index, as they are added."""

    def __init__(self, lang: str, sfx: str) -> None:
        self.lang = lang
        self.suffix = sfx
        self.postings: dict[str, list[int]] = {}
        self.described: dict[str, list[int]] = {}  # description stems, until common ones are known
        self.documents: list[list[str]] = []
        self._types: dict[str, str] = {}

    def add(self, number: int, words: dict[str, int]) -> None:
        for stem, field in words.items():
            self.postings.setdefault(stem, []).append(number * 4 + field)

    def describe(self, number: int, stems: list[str]) -> None:
        for stem in dict.fromkeys(stems):
            self.described.setdefault(stem, []).append(number * 4 + DESCRIPTION)

    def type_name(self, model: Model, iri: str) -> str:
        name = self._types.get(iri)
        if name is None:
            name = self._types[iri] = capitalised(model.label(iri, self.lang).text)
        return name

    def files(self) -> Iterator[tuple[str, bytes]]:
        postings = self.postings
        common = max(COMMON, int(COMMON_SHARE * len(self.documents)))
        for stem, numbers in self.described.items():
            if len(numbers) <= common:
                postings.setdefault(stem, []).extend(numbers)
        size = key_length(sum(map(len, postings.values())))
        shards: dict[str, dict[str, list[int]]] = {}
        for stem in sorted(postings):
            shards.setdefault(stem[:size], {})[stem] = sorted(postings[stem])
        names = {key: shard_file(key) for key in shards}
        base = f"search/{self.lang}/"
        documents = self.documents
        head = {"documents": len(documents), "block": BLOCK, "key": size, "shards": names}
        yield f"{base}index.json", _json(head)
        for key, shard in shards.items():
            yield f"{base}t/{names[key]}.json", _json(shard)
        for n, start in enumerate(range(0, len(documents), BLOCK)):
            yield f"{base}d/{n}.json", _json(documents[start : start + BLOCK])


def key_length(postings: int) -> int:
    """Return how many first characters of a stem name its shard: one for a small index (a
    few dozen files, rewritten by every build), two from SHARDED postings on, three from a
    hundred times that, so that a shard holds a few thousand postings at most on average."""
    return 1 if postings < SHARDED else 2 if postings < 100 * SHARDED else 3


def words_of(text: str, lang: str) -> tuple[str, ...]:
    """Split a text into words and return their stems, accents folded, as the index holds them."""
    stem = _stemmer(lang)
    return tuple(stem(w) for w in _WORD.findall(text.lower()))


@cache
def _stemmer(lang: str) -> Callable[[str], str]:
    """Return a cached word -> folded stem function for a language (its Snowball stemmer)."""
    algorithm = ALGORITHMS.get(lang.split("-")[0].lower())
    stemmer = snowballstemmer.stemmer(algorithm) if algorithm else None
    cache: dict[str, str] = {}

    def stem(word: str) -> str:
        found = cache.get(word)
        if found is None:
            found = cache[word] = fold(stemmer.stemWord(word) if stemmer else word)
        return found

    return stem


def fold(text: str) -> str:
    """Drop accents (NFD, then no combining marks), as the client does to what is typed."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def shard_file(key: str) -> str:
    """Name a shard's file: the key itself when it is ASCII letters and digits, else its code
    points (a file name any host serves as it is)."""
    return key if re.fullmatch(r"[a-z0-9]+", key) else "u" + "-".join(f"{ord(c):x}" for c in key)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _snippet(text: str) -> str:
    if len(text) <= SNIPPET:
        return text
    cut = text[:SNIPPET].rsplit(" ", 1)[0]
    return f"{cut}…"


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
