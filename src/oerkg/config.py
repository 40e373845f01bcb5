"""The project folder, its optional `oerkg.toml`, and the settings every stage reads.

Each setting is one line of a dataclass below: its name, its type, its default and the check
a value given must pass (from `setting_checks`). A table of `oerkg.toml` (`[dataset]`) is a
dataclass of its own. A new setting is a new line there and a row of README's settings table (a
test compares the two). `load_config` checks every value, reports every problem at once, each
with its file, line and key, and stops before any stage runs (as mkdocs checks its configuration).
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

from .errors import InputError, InputErrors
from .setting_checks import (
    base_iri,
    count,
    endpoint_url,
    iri,
    kind_of,
    language_tags,
    name,
    optional_iri,
    positive_integer,
    source_date_epoch,
    text,
    texts,
    translation_tables,
)

T = TypeVar("T")
Check = Callable[[object], Any]  # returns the value to keep, or raises ValueError(reason)

DEFAULT_BASE = "https://w3id.org/oerdc/"
LANGUAGES = ("en", "fr", "sv")
SOURCE_DIRS = ("ontology", "data", "shapes")
# The statements above which the query page runs queries in the browser only on request (its
# first query downloads and loads them all): bench/browser.py measured 1.2 s of loading at 100k.
BROWSER_QUERY_LIMIT = 200_000
SETTINGS_FILE = "oerkg.toml"


def setting(default: T, check: Check) -> T:
    """A setting of `oerkg.toml`: its default, and the check a value given must pass."""
    return field(default=default, metadata={"check": check})


def table(kind: type[T]) -> T:
    """A table of `oerkg.toml` whose settings are the fields of `kind`."""
    return field(default_factory=kind, metadata={"table": kind})


# --- the settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DatasetInfo:
    """What VoID and DCAT say about the published dataset: the `[dataset]` table."""

    title: str = setting("Knowledge graph", name)
    description: str = setting("", text)
    license: str = setting("https://creativecommons.org/licenses/by/4.0/", iri)
    publisher_name: str = setting("oerkg", name)
    publisher_url: str = setting("", optional_iri)
    keywords: tuple[str, ...] = setting((), texts)
    # The title and description in other page languages: `[dataset.translations.fr]`.
    translations: tuple[tuple[str, str, str], ...] = setting((), translation_tables)

    def title_in(self, lang: str) -> tuple[str, str]:
        """Return the title in `lang` and the language it is in ("" for `title` itself)."""
        return next(((t, lg) for lg, t, _ in self.translations if lg == lang and t), (self.title, ""))

    def description_in(self, lang: str) -> tuple[str, str]:
        """Return the description in `lang` and the language it is in, as `title_in`."""
        found = ((d, lg) for lg, _, d in self.translations if lg == lang and d)
        return next(found, (self.description, ""))


@dataclass(frozen=True)
class Config:
    """Settings of one project: where its sources are and the IRIs they publish under."""

    project: Path
    base: str = setting(DEFAULT_BASE, base_iri)
    languages: tuple[str, ...] = setting(LANGUAGES, language_tags)
    # The rows one listing page shows (a class's instances, the timeline's events, the
    # validation report's problems, the translation gaps): a longer list goes on over numbered
    # pages, so no page grows with the graph (a million triples made translation pages of 27 MB).
    list_size: int = setting(500, positive_integer)
    dataset: DatasetInfo = table(DatasetInfo)
    # The query page: a SPARQL endpoint serving the same data, which it can send queries to;
    # and the statements above which the browser runs them only when asked.
    sparql_endpoint: str = setting("", endpoint_url)
    browser_query_limit: int = setting(BROWSER_QUERY_LIMIT, count)
    # From the environment (reproducible-builds.org): None when unset; 0 is 1970-01-01.
    source_date_epoch: int | None = None

    @property
    def ontology_ns(self) -> str:
        return f"{self.base}ontology#"

    @property
    def shapes_ns(self) -> str:
        return f"{self.base}shapes#"

    @property
    def entity_space(self) -> str:
        return f"{self.base}id/"

    def dir(self, name: str) -> Path:
        return self.project / name

    def source_files(self, name: str, pattern: str = "*.ttl") -> list[Path]:
        return sorted(self.dir(name).rglob(pattern))


def settings(kind: type = Config, prefix: str = "") -> list[str]:
    """Every setting `oerkg.toml` may hold, as dotted keys (`dataset.title`)."""
    names = []
    for f in _settings(kind).values():
        nested = f.metadata.get("table")
        names += settings(nested, f"{prefix}{f.name}.") if nested else [f"{prefix}{f.name}"]
    return names


def _settings(kind: type) -> dict[str, Field[Any]]:
    return {f.name: f for f in fields(kind) if "check" in f.metadata or "table" in f.metadata}


# --- reading them ---------------------------------------------------------------------------


def load_config(project: Path | str = ".", *, base: str | None = None) -> Config:
    """Read the project's settings from `oerkg.toml` (optional) and the environment; `base`
    (from `--base-url`) overrides the file's."""
    root = _project_folder(project)
    document = _read(root / SETTINGS_FILE)
    problems: list[InputError] = []

    def problem(key: str, reason: str) -> None:
        line = _line_of(document, key)
        problems.append(InputError(f"{key}: {reason}", path=SETTINGS_FILE, line=line))

    values = _checked(Config, tomllib.loads(document), "", problem)
    if base is not None:
        try:
            values["base"] = base_iri(base)
        except ValueError as exc:
            problems.append(InputError(f"--base-url: {exc}"))
    try:
        epoch = source_date_epoch(os.environ.get("SOURCE_DATE_EPOCH", ""))
    except ValueError as exc:
        problems.append(InputError(f"SOURCE_DATE_EPOCH: {exc}"))
    if problems:
        raise InputErrors(problems)
    return Config(project=root, source_date_epoch=epoch, **values)


def _project_folder(project: Path | str) -> Path:
    root = Path(project).resolve()
    if not root.is_dir():
        raise InputError("project folder not found", path=project)
    missing = [d for d in SOURCE_DIRS if not (root / d).is_dir()]
    if missing:
        raise InputError(f"missing folder(s): {', '.join(missing)}", path=root)
    return root


def _read(path: Path) -> str:
    """The settings file's text (empty when there is none), checked to be TOML."""
    if not path.is_file():
        return ""
    try:
        document = path.read_text(encoding="utf-8")
        tomllib.loads(document)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(exc), path=SETTINGS_FILE) from None
    return document


def _checked(
    kind: type, given: dict[str, Any], prefix: str, problem: Callable[[str, str], None]
) -> dict[str, Any]:
    """The values of `given` that pass their checks, by field name; `problem` hears the rest."""
    known, values = _settings(kind), {}
    for key, value in given.items():
        f = known.get(key)
        if f is None:
            problem(f"{prefix}{key}", "unknown setting" + _suggestion(key, prefix, list(known)))
        elif nested := f.metadata.get("table"):
            if isinstance(value, dict):
                values[key] = nested(**_checked(nested, value, f"{prefix}{key}.", problem))
            else:
                problem(f"{prefix}{key}", f"expected a table ([{prefix}{key}]), not {kind_of(value)}")
        else:
            try:
                values[key] = f.metadata["check"](value)
            except ValueError as exc:
                problem(f"{prefix}{key}", str(exc))
    return values


def _suggestion(key: str, prefix: str, known: list[str]) -> str:
    """`; did you mean …?` naming the setting closest to a misspelt one: beside it (`known`),
    else in any table (`titel` at the top level: `dataset.title`)."""
    everywhere = {name.rsplit(".", 1)[-1]: name for name in reversed(settings())}
    for names in ({k: f"{prefix}{k}" for k in known}, everywhere):
        close = difflib.get_close_matches(key, names, n=1)
        if close:
            return f"; did you mean {names[close[0]]}?"
    return ""


def _line_of(document: str, key: str) -> int:
    """The line where `key` (dotted) is set or its table starts, or 0 when not found."""
    table = ""
    for number, line in enumerate(document.splitlines(), 1):
        if header := re.match(r"\s*\[\s*([\w.-]+)\s*\]", line):
            table = found = header[1]
        elif assignment := re.match(r"\s*([\w.-]+)\s*=", line):
            found = f"{table}.{assignment[1]}" if table else assignment[1]
        else:
            continue
        if found == key:
            return number
    return 0
