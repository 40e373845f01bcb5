"""`oerkg.toml` and SOURCE_DATE_EPOCH: every value checked, every problem reported at once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from oerkg.build import build_date
from oerkg.cli import main
from oerkg.config import DatasetInfo, load_config
from oerkg.errors import InputError, InputErrors

ROOT = Path(__file__).resolve().parents[1]


def project(folder: Path, settings: str | None = None) -> Path:
    """An empty project with `settings` as its oerkg.toml (none when None)."""
    for name in ("ontology", "data", "shapes"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    if settings is not None:
        (folder / "oerkg.toml").write_text(settings, encoding="utf-8")
    return folder


def problems(folder: Path, **kwargs: str) -> list[str]:
    with pytest.raises(InputErrors) as raised:
        load_config(folder, **kwargs)
    return raised.value.lines()


@pytest.fixture(autouse=True)
def _no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def test_without_a_settings_file_every_default_holds(tmp_path: Path) -> None:
    config = load_config(project(tmp_path))
    assert (config.base, config.languages) == ("https://w3id.org/oerdc/", ("en", "fr", "sv"))
    assert config.dataset == DatasetInfo()
    assert config.source_date_epoch is None


def test_this_projects_settings_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(ROOT)
    assert config.languages == ("en", "fr", "sv")
    assert config.dataset.title == "UNESCO OER Dynamic Coalition knowledge graph"
    assert "UNESCO" in config.dataset.keywords


def test_a_string_for_the_languages_is_refused_not_split_into_letters(tmp_path: Path) -> None:
    assert problems(project(tmp_path, 'languages = "en"\n')) == [
        'oerkg.toml:1: languages: expected a list of language tags such as ["en", "fr"], '
        'not the string "en"',
        "Error: 1 input error; nothing was changed.",
    ]


def test_every_problem_is_reported_at_once_with_its_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = project(
        tmp_path,
        "# settings\n"
        'base = "example.org/kg"\n'
        'languages = ["en", "e", "EN"]\n'
        'titel = "x"\n'
        "\n"
        "[dataset]\n"
        'titel = "My graph"\n'
        'license = "CC BY 4.0"\n'
        'keywords = ["a", 3]\n'
        'publisher_name = ""\n'
        "description = 12\n",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert main(["validate", str(folder)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        'oerkg.toml:2: base: expected an http(s) IRI with a host and no query or fragment, such as "https://example.org/kg/", not "example.org/kg"',
        'oerkg.toml:3: languages: "e" is not a BCP 47 language tag (RFC 5646 §2.1) such as en or pt-BR',
        "oerkg.toml:4: titel: unknown setting; did you mean dataset.title?",
        "oerkg.toml:7: dataset.titel: unknown setting; did you mean dataset.title?",
        'oerkg.toml:8: dataset.license: expected an absolute IRI such as "https://example.org/", not "CC BY 4.0"',
        "oerkg.toml:9: dataset.keywords: expected a list of strings; item 2 is the number 3",
        "oerkg.toml:10: dataset.publisher_name: expected a name, not an empty string",
        "oerkg.toml:11: dataset.description: expected a string, not the number 12",
        'SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01 (as `date +%s` prints), not "yesterday"',
        "Error: 9 input errors; nothing was changed.",
    ]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('languages = ["en", "fr", "EN"]\n', "oerkg.toml:1: languages: EN, en given more than once"),
        (
            "languages = []\n",
            "oerkg.toml:1: languages: expected at least one language tag; the first is the default",
        ),
        (
            'languages = ["en_GB"]\n',
            'oerkg.toml:1: languages: "en_GB" is not a BCP 47 language tag (RFC 5646 §2.1) such as en or pt-BR',
        ),
        (
            "languages = [1]\n",
            'oerkg.toml:1: languages: expected a list of language tags such as ["en", "fr"]; item 1 is the number 1',
        ),
        ('dataset = "x"\n', 'oerkg.toml:1: dataset: expected a table ([dataset]), not the string "x"'),
        (
            '[dataset]\nkeywords = "OER"\n',
            'oerkg.toml:2: dataset.keywords: expected a list of strings, not the string "OER"',
        ),
        (
            '[dataset]\npublisher_url = "w3id.org"\n',
            'oerkg.toml:2: dataset.publisher_url: expected an absolute IRI such as "https://example.org/", not "w3id.org"',
        ),
        (
            'dataset.license = "https://example.org/a licence"\n',
            'oerkg.toml:1: dataset.license: expected an absolute IRI such as "https://example.org/", not "https://example.org/a licence"',
        ),
        (
            'base = "ftp://example.org/"\n',
            'oerkg.toml:1: base: expected an http(s) IRI with a host and no query or fragment, such as "https://example.org/kg/", not "ftp://example.org/"',
        ),
        (
            'base = "https://example.org/kg#"\n',
            'oerkg.toml:1: base: expected an http(s) IRI with a host and no query or fragment, such as "https://example.org/kg/", not "https://example.org/kg#"',
        ),
        ("base = true\n", "oerkg.toml:1: base: expected a string, not the boolean true"),
        (
            "langauges = 2020-01-01\n",
            "oerkg.toml:1: langauges: unknown setting; did you mean languages?",
        ),
        ("[datset]\ntitle = 'x'\n", "oerkg.toml:1: datset: unknown setting; did you mean dataset?"),
    ],
)
def test_each_bad_value_has_its_message(tmp_path: Path, settings: str, message: str) -> None:
    assert problems(project(tmp_path, settings))[0] == message


@pytest.mark.parametrize(
    "tag", ["en", "pt-BR", "zh-Hant-TW", "sr-Latn", "de-CH-1996", "es-419", "x-klingon"]
)
def test_bcp47_tags_are_accepted(tmp_path: Path, tag: str) -> None:
    assert load_config(project(tmp_path, f'languages = ["{tag}"]\n')).languages == (tag,)


def test_the_base_gets_its_final_slash_from_the_file_and_the_command_line(tmp_path: Path) -> None:
    folder = project(tmp_path, 'base = "https://example.org/kg"\n[dataset]\npublisher_url = ""\n')
    assert load_config(folder).base == "https://example.org/kg/"
    assert load_config(folder, base="http://example.org/other").base == "http://example.org/other/"
    assert problems(folder, base="not an IRI")[0] == (
        "--base-url: expected an http(s) IRI with a host and no query or fragment, "
        'such as "https://example.org/kg/", not "not an IRI"'
    )


def test_a_settings_file_that_is_not_toml_names_its_position(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        load_config(project(tmp_path, "languages = [en]\n"))
    assert str(raised.value) == "oerkg.toml: Invalid value (at line 1, column 14)"


@pytest.mark.parametrize(
    ("value", "epoch"), [("0", 0), ("1764288000", 1764288000), ("", None), ("  ", None)]
)
def test_source_date_epoch_zero_is_a_date_and_empty_is_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, epoch: int | None
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert load_config(project(tmp_path)).source_date_epoch == epoch


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "-1",
            'SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01 (as `date +%s` prints), not "-1"',
        ),
        (
            "1.5",
            'SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01 (as `date +%s` prints), not "1.5"',
        ),
        ("999999999999999", "SOURCE_DATE_EPOCH: 999999999999999 is past the year 9999"),
    ],
)
def test_a_malformed_source_date_epoch_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert problems(project(tmp_path))[0] == message


def test_the_site_date_is_1970_01_01_for_epoch_zero_and_the_newest_source_when_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = project(tmp_path)
    source = folder / "data" / "a.ttl"
    source.write_text("", encoding="utf-8")
    os.utime(source, (1_700_000_000, 1_700_000_000))  # 2023-11-14
    assert build_date(load_config(folder)) == "2023-11-14"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert build_date(load_config(folder)) == "1970-01-01"
