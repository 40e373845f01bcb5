"""The Nu HTML Checker (the W3C validator's engine) finds no error in any page, style or icon."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from oerkg.build import BuildResult

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "data" / "broken"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL = "run `make tools` (apt: default-jre-headless; npm ci --ignore-scripts: vnu-jar)"


def assert_none(problems: list[str]) -> None:
    """Fail with every problem on its own line (pytest would cut a long list short)."""
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def vnu_errors(*targets: Path) -> list[str]:
    """Check files and folders (all their .html) in one Java process; one line per error.

    CSS and SVG files are checked when named (a folder's are skipped with everything not HTML).
    """
    java = shutil.which("java")
    if java is None:
        pytest.fail(f"`java` is not installed: {INSTALL}", pytrace=False)
    if not VNU.is_file():
        pytest.fail(f"{VNU.relative_to(ROOT)} is missing: {INSTALL}", pytrace=False)
    run = subprocess.run(
        [
            java,
            "-jar",
            str(VNU),
            "--errors-only",
            "--skip-non-html",
            "--also-check-css",
            "--also-check-svg",
            "--format",
            "json",
            *map(str, targets),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        messages = json.loads(run.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"vnu did not report JSON (exit {run.returncode}): {run.stderr[-2000:]}")
    errors = [
        f"{m.get('url', '?').removeprefix('file:')}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: "
        f"{m.get('message')} [{(m.get('extract') or '').strip()[:120]}]"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    assert errors or run.returncode == 0, run.stderr[-2000:]
    return errors


def test_every_page_is_valid_html(site: Path, built: BuildResult) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == built.pages
    assets = sorted((site / "static").glob("*.css")) + sorted((site / "static").glob("*.svg"))
    assert assets, "no stylesheet in static/"
    assert_none(vnu_errors(site, *assets))


def test_pages_of_long_listings_are_valid_html(paged_site: Path) -> None:
    # the folders of their pages after the first (the real project has no translation gaps left,
    # so its translation report fits on one page)
    listings = ["class", "timeline"]
    firsts = [p for name in listings[1:] for p in paged_site.glob(f"{name}*.html")]
    assert all((paged_site / name).is_dir() for name in listings) and firsts
    assert_none(vnu_errors(*(paged_site / name for name in listings), *firsts))


def test_vnu_reports_a_broken_page(tmp_path: Path) -> None:
    nested = tmp_path / "id" / "page.html"  # in a subfolder of the folder checked, as entity pages
    nested.parent.mkdir()
    shutil.copy(BROKEN / "page.html", nested)
    errors = vnu_errors(tmp_path, BROKEN / "style.css")
    assert len(errors) >= 4, errors
    assert all(e.startswith((f"{nested}:", f"{BROKEN / 'style.css'}:")) for e in errors), errors
    assert any("img" in e and "alt" in e for e in errors), errors
    assert any("colr" in e for e in errors), errors
