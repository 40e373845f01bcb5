"""The project's example queries, `queries/*.rq`: a title and a description in each language.

The header is the comment lines a query starts with:

    # title: Working Groups and their Areas of Action
    # title@fr: Les groupes de travail et leurs domaines d'action
    # description: Which Working Group addresses which Area of Action?
    # description@fr: Quel groupe de travail se consacre à quel domaine d'action ?

An untagged line is in the site's first language. The queries need no PREFIX lines for the
project's prefixes: every engine that runs them has those predeclared (see `query.py`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, InputErrors

_HEADER = re.compile(r"#\s*(title|description)(?:@([^\s:]+))?\s*:\s*(.*?)\s*$")


@dataclass(frozen=True)
class ExampleQuery:
    """One example query as written: its texts by language, and the query to show and run."""

    name: str  # the file's stem, e.g. "01-working-groups"
    titles: Mapping[str, str]
    descriptions: Mapping[str, str]
    text: str  # the whole file: its line numbers are the file's
    shown: str  # the query without its title and description lines, for the page


def read_example(path: Path, *, languages: tuple[str, ...], shown_as: str) -> ExampleQuery:
    """Read one `.rq` file; `shown_as` names it in errors (e.g. `queries/01-x.rq`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the query: {exc}", path=shown_as) from None
    texts: dict[str, dict[str, str]] = {"title": {}, "description": {}}
    errors: list[InputError] = []
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    in_header = True
    for number, line in enumerate(lines, 1):
        in_header = in_header and (not line.strip() or line.lstrip().startswith("#"))
        match = _HEADER.fullmatch(line.strip()) if in_header else None
        if match is None:
            kept.append(line)
            continue
        key, lang, value = match[1], match[2] or languages[0], match[3]
        if lang not in languages:
            known = ", ".join(languages)
            errors.append(
                InputError(
                    f"{key}@{lang}: not one of the site's languages ({known})",
                    path=shown_as,
                    line=number,
                )
            )
        elif lang in texts[key]:
            errors.append(InputError(f"a second {key} in {lang}", path=shown_as, line=number))
        elif not value:
            errors.append(InputError(f"empty {key}", path=shown_as, line=number))
        else:
            texts[key][lang] = value
    if errors:
        raise errors[0] if len(errors) == 1 else InputErrors(errors)
    return ExampleQuery(
        name=path.stem,
        titles=texts["title"] or {languages[0]: path.stem},
        descriptions=texts["description"],
        text=text,
        shown="".join(kept).strip("\n"),
    )
