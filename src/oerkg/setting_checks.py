"""The checks a value of `oerkg.toml` (or SOURCE_DATE_EPOCH) must pass, one function per kind.

Each takes the value as TOML gives it and returns the value to keep, or raises
`ValueError(reason)`; `config.load_config` adds the file, line and key to the reason.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

# RFC 5646 §2.1: language[-script][-region](-variant)*(-extension)*[-privateuse], or privateuse.
_BCP47 = re.compile(
    r"(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?|x(?:-[a-z0-9]{1,8})+)",
    re.IGNORECASE,
)
# RFC 3987 §2.2: a scheme, then no space and none of the characters an IRI may not hold.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


def text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, not {kind_of(value)}")
    return value


def name(value: object) -> str:
    if not text(value).strip():
        raise ValueError("expected a name, not an empty string")
    return str(value)


def texts(value: object) -> tuple[str, ...]:
    return tuple(_strings(value, "a list of strings"))


def iri(value: object) -> str:
    if not _IRI.fullmatch(text(value)):
        raise ValueError(f'expected an absolute IRI such as "https://example.org/", not "{value}"')
    return str(value)


def optional_iri(value: object) -> str:
    return "" if value == "" else iri(value)


def endpoint_url(value: object) -> str:
    """An http(s) URL a browser can send queries to, or nothing."""
    if text(value) == "":
        return ""
    if not (_IRI.fullmatch(str(value)) and urlsplit(str(value)).scheme in ("http", "https")):
        raise ValueError(f'expected an http(s) URL such as "https://example.org/sparql", not "{value}"')
    return str(value)


def count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"expected a whole number, not {kind_of(value)}")
    return value


def base_iri(value: object) -> str:
    """An http(s) IRI to publish under; a missing final `/` is added."""
    parts = urlsplit(text(value))
    if not (
        _IRI.fullmatch(str(value))
        and parts.scheme in ("http", "https")
        and parts.netloc
        and not {"?", "#"} & set(str(value))  # `{base}id/x` must stay one path
    ):
        raise ValueError(
            "expected an http(s) IRI with a host and no query or fragment, "
            f'such as "https://example.org/kg/", not "{value}"'
        )
    return str(value) if str(value).endswith("/") else f"{value}/"


def positive_integer(value: object) -> int:
    if type(value) is not int or value < 1:
        raise ValueError(f"expected a whole number of at least 1, not {value!r}")
    return value


def language_tags(value: object) -> tuple[str, ...]:
    tags = _strings(value, 'a list of language tags such as ["en", "fr"]')
    if not tags:
        raise ValueError("expected at least one language tag; the first is the default")
    for tag in tags:
        if not _BCP47.fullmatch(tag):
            raise ValueError(f'"{tag}" is not a BCP 47 language tag (RFC 5646 §2.1) such as en or pt-BR')
    lowered = [tag.lower() for tag in tags]
    repeated = sorted({tag for tag in tags if lowered.count(tag.lower()) > 1})
    if repeated:
        raise ValueError(f"{', '.join(repeated)} given more than once")
    return tuple(tags)


def translation_tables(value: object) -> tuple[tuple[str, str, str], ...]:
    """`[dataset.translations.<lang>]` tables of `title` and `description`, as (language,
    title, description) sorted by language."""
    expected = "a table per language such as [dataset.translations.fr]"
    if not isinstance(value, dict):
        raise ValueError(f"expected {expected}, not {kind_of(value)}")
    found = []
    for lang, texts in sorted(value.items()):
        if not _BCP47.fullmatch(lang):
            raise ValueError(f'"{lang}" is not a BCP 47 language tag (RFC 5646 §2.1) such as fr')
        if not isinstance(texts, dict) or not set(texts) <= {"title", "description"}:
            raise ValueError(f"[dataset.translations.{lang}] may hold only title and description")
        found.append((lang, text(texts.get("title", "")), text(texts.get("description", ""))))
    return tuple(found)


def _strings(value: object, expected: str) -> list[str]:
    if not isinstance(value, list):
        raise ValueError(f"expected {expected}, not {kind_of(value)}")
    for number, item in enumerate(value, 1):
        if not isinstance(item, str):
            raise ValueError(f"expected {expected}; item {number} is {kind_of(item)}")
    return value


def kind_of(value: object) -> str:
    """The value's TOML kind, as an error message names it."""
    if isinstance(value, str):
        return f'the string "{value}"'
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"  # a TOML date or time


def source_date_epoch(value: str) -> int | None:
    """SOURCE_DATE_EPOCH as reproducible-builds.org defines it: unset or empty means none."""
    if not value.strip():
        return None
    if not value.strip().isdigit():
        raise ValueError(
            f'expected whole seconds since 1970-01-01 (as `date +%s` prints), not "{value}"'
        )
    epoch = int(value)
    try:
        datetime.fromtimestamp(epoch, UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"{epoch} is past the year 9999") from None
    return epoch
