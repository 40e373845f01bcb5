"""Docs that could drift are tested: every command-line option and setting is in the README."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from oerkg.cli import _parser
from oerkg.config import settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> dict[str, list[str]]:
    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return {
        name: [o for a in p._actions for o in a.option_strings if o.startswith("--") and o != "--help"]
        for name, p in sub.choices.items()  # type: ignore[attr-defined]
    }


@pytest.mark.parametrize(("command", "options"), sorted(commands().items()))
def test_every_option_is_in_the_readme(command: str, options: list[str]) -> None:
    usage = next((ln for ln in README.splitlines() if re.match(rf"oerkg {command}\b", ln)), "")
    assert usage, f"README has no usage line for `oerkg {command}`"
    missing = [o for o in options if o not in usage and f"`{o}" not in README]
    assert not missing, f"`oerkg {command}` options missing from README: {missing}"


def test_the_readme_settings_table_lists_every_setting_and_no_other() -> None:
    section = README.split("### Settings", 1)[1].split("\n### ", 1)[0]
    documented = {m for m in re.findall(r"^\| `([\w.]+)` \|", section, flags=re.M)}
    assert documented == set(settings())


def test_this_projects_oerkg_toml_uses_only_settings_that_exist() -> None:
    given = tomllib.loads((ROOT / "oerkg.toml").read_text(encoding="utf-8"))
    keys = [k for k, v in given.items() if not isinstance(v, dict)]
    keys += [f"{t}.{k}" for t, table in given.items() if isinstance(table, dict) for k in table]
    assert set(keys) <= set(settings())


def test_every_exit_code_is_in_the_readme() -> None:
    from oerkg.errors import ExitCode

    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \|", README, flags=re.M), code


def test_the_module_map_lists_every_module_once() -> None:
    import oerkg

    package = ROOT / "src" / "oerkg"
    modules = sorted(
        p.relative_to(package).with_suffix("").as_posix().removesuffix("/__init__")
        for p in package.rglob("*.py")
        if p.name != "__init__.py" or p.parent != package
    )
    assert oerkg.__doc__
    listed = re.findall(r"^    (\S+) ", oerkg.__doc__, flags=re.M)
    assert sorted(listed) == modules, "add a line per module to src/oerkg/__init__.py's map"
