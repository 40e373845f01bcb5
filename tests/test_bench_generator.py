"""The benchmark's synthetic project generator: deterministic, valid, and exact about violations."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from oerkg.config import load_config
from oerkg.load import load_project
from oerkg.validate import Severity, validate

ROOT = Path(__file__).resolve().parents[1]
GENERATE = ROOT / "bench" / "generate.py"
TRIPLES = 2000


def generate(out: Path, *args: str) -> Path:
    completed = subprocess.run(
        [sys.executable, str(GENERATE), str(out), "--triples", str(TRIPLES), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith(f"Wrote {out}: ")
    return out


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("bench") / "clean", "--seed", "3")


def test_same_seed_gives_the_same_bytes(clean: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", "--seed", "3")
    assert files_of(again / "data") == files_of(clean / "data")
    assert files_of(again) == files_of(clean)


def test_another_seed_gives_other_data(clean: Path, tmp_path: Path) -> None:
    other = generate(tmp_path / "other", "--seed", "4")
    assert files_of(other / "data") != files_of(clean / "data")


def test_size_is_within_five_percent(clean: Path) -> None:
    project = load_project(load_config(clean))
    triples = sum(len(source.quads) for source in project.data)
    assert abs(triples - TRIPLES) <= 0.05 * TRIPLES
    assert {source.path.name for source in project.data} >= {"events.ttl", "people.ttl", "sources.ttl"}


def test_the_project_is_complete(clean: Path) -> None:
    for name in ("ontology", "shapes", "queries", "site_templates", "data"):
        assert any((clean / name).iterdir()), name
    assert (clean / "oerkg.toml").is_file()


def test_clean_project_has_no_violations(clean: Path) -> None:
    report = validate(load_project(load_config(clean)))
    assert report.count(Severity.VIOLATION) == 0, "\n".join(map(str, report.problems[:5]))
    assert report.conforms
    assert report.count(Severity.WARNING) > 0  # some French and Swedish labels are missing


def test_injected_violations_are_found_exactly(tmp_path: Path) -> None:
    broken = generate(tmp_path / "broken", "--seed", "3", "--violations", "5")
    report = validate(load_project(load_config(broken)))
    violations = [p for p in report.problems if p.severity == Severity.VIOLATION]
    assert len(violations) == 5, "\n".join(map(str, violations))
    injected = [line.split("\t") for line in (broken / "violations.tsv").read_text().splitlines()]
    base = load_config(broken).entity_space
    assert {v.focus for v in violations} == {base + subject[1:] for _, subject in injected}
    assert Counter(kind for kind, _ in injected) == {
        "missing-english-label": 2,
        "end-before-start": 1,
        "two-areas": 1,
        "missing-source": 1,
    }
    messages = {v.prop: v.message for v in violations}
    assert "Make the event's schema:startDate the same as or earlier" in messages["schema:startDate"]
    assert "exactly one oerdc:dedicatedTo" in messages["oerdc:dedicatedTo"]
