"""Shared fixtures: the real project, built once per test session into a temporary folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from oerkg.build import BuildResult, build
from oerkg.config import Config, load_config

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
INSTALL = "run `make tools` (apt: chromium; npm ci --ignore-scripts: axe-core)"
EPOCH = 1764288000  # the date the session's builds show: 2025-11-28

# CI replays the same examples on every run (a failure there is reproducible, never luck);
# a developer's run explores new ones. `.ci/run` selects the "ci" profile.
settings.register_profile("ci", derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """Build the repository's own project once; tests read the output, never change it."""
    out = tmp_path_factory.mktemp("built") / "site"
    return build(real_config(), out=out)


def real_config(**overrides: Any) -> Config:
    """The repository's own project, dated EPOCH (unless SOURCE_DATE_EPOCH says otherwise)."""
    config = load_config(ROOT)
    epoch = EPOCH if config.source_date_epoch is None else config.source_date_epoch
    return replace(config, source_date_epoch=epoch, **overrides)


@pytest.fixture(scope="session")
def site(built: BuildResult) -> Path:
    """The folder of the built real site."""
    return built.out


@pytest.fixture(scope="session")
def paged_rows() -> int:
    """The rows a listing page shows in `paged_site`: few, so that the real project's class
    pages and timeline need several pages each."""
    return 4


@pytest.fixture(scope="session")
def paged_site(tmp_path_factory: pytest.TempPathFactory, paged_rows: int) -> Path:
    """The real project built with listings of at most `paged_rows` rows a page."""
    out = tmp_path_factory.mktemp("paged") / "site"
    return build(real_config(list_size=paged_rows), out=out).out


@pytest.fixture()
def project_copy(tmp_path: Path) -> Path:
    """A writable copy of the real project (sources only), for tests that change inputs."""
    target = tmp_path / "project"
    for name in ("ontology", "data", "shapes", "queries", "site_templates"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "oerkg.toml", target / "oerkg.toml")
    return target


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the session (never a Playwright-downloaded browser),
    shared by the browser tests: Playwright's sync API drives one at a time."""
    if not Path(CHROMIUM).is_file() or shutil.which("chromium") is None:
        pytest.fail(f"{CHROMIUM} is not installed: {INSTALL}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
