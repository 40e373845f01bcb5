"""Example queries: their title and description in each language, and the query shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from oerkg.errors import InputError, InputErrors
from oerkg.examples import read_example

LANGUAGES = ("en", "fr", "sv")


def example(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "01-groups.rq"
    path.write_text(text, encoding="utf-8")
    return path


def test_titles_and_descriptions_by_language(tmp_path: Path) -> None:
    path = example(
        tmp_path,
        "# title: Working groups\n"
        "# title@fr: Groupes de travail\n"
        "#description@sv:  Alla arbetsgrupper \n"
        "# A note kept with the query.\n"
        "\n"
        "SELECT ?g WHERE { ?g a oerdc:WorkingGroup }\n"
        "# title: not a header any more\n",
    )
    read = read_example(path, languages=LANGUAGES, shown_as="queries/01-groups.rq")
    assert read.name == "01-groups"
    assert read.titles == {"en": "Working groups", "fr": "Groupes de travail"}
    assert read.descriptions == {"sv": "Alla arbetsgrupper"}
    assert read.shown == (
        "# A note kept with the query.\n\nSELECT ?g WHERE { ?g a oerdc:WorkingGroup }\n"
        "# title: not a header any more"
    )
    assert read.text == path.read_text(encoding="utf-8")  # what runs: the file's own lines


def test_a_query_without_a_header_is_titled_by_its_file_name(tmp_path: Path) -> None:
    read = read_example(example(tmp_path, "ASK {}\n"), languages=LANGUAGES, shown_as="q.rq")
    assert read.titles == {"en": "01-groups"} and read.descriptions == {}
    assert read.shown == "ASK {}"


def test_a_language_the_site_does_not_have_is_located(tmp_path: Path) -> None:
    path = example(tmp_path, "# title: Groups\n# title@de: Arbeitsgruppen\nASK {}\n")
    with pytest.raises(InputError) as caught:
        read_example(path, languages=LANGUAGES, shown_as="queries/01-groups.rq")
    assert str(caught.value) == (
        "queries/01-groups.rq:2: title@de: not one of the site's languages (en, fr, sv)"
    )


def test_every_header_mistake_is_reported(tmp_path: Path) -> None:
    path = example(tmp_path, "# title@fr: Groupes\n# title@fr: Les groupes\n# description:\nASK {}\n")
    with pytest.raises(InputErrors) as caught:
        read_example(path, languages=LANGUAGES, shown_as="queries/01-groups.rq")
    assert caught.value.lines() == [
        "queries/01-groups.rq:2: a second title in fr",
        "queries/01-groups.rq:3: empty description",
        "Error: 2 input errors; nothing was changed.",
    ]
