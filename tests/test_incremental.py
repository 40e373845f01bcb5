"""Incremental builds reuse unchanged entity files and write the same bytes as a clean build."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from signalled_build import SignalledBuild

import oerkg.forked
from oerkg.build import build
from oerkg.config import load_config
from oerkg.incremental import read_manifest
from oerkg.output import recorded_state, state_file


def keys(site: Path, folder: Path | None = None) -> dict[str, str]:
    """The entity keys a build recorded for `site` (or the previous site `folder`) beside it."""
    return read_manifest(recorded_state(site, folder))


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764288000")


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def append(project: Path, text: str) -> None:
    path = project / "data" / "coalition.ttl"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def relabel(project: Path, old: str, new: str) -> None:
    path = project / "data" / "coalition.ttl"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [
        (
            "one entity's label",
            lambda p: relabel(p, '"UNESCO OER Dynamic Coalition"@en', '"The OER Coalition"@en'),
        ),
        (
            "one added triple",
            lambda p: append(p, '\n<id/coalition> <http://schema.org/alternateName> "ODC"@en .\n'),
        ),
    ],
    ids=lambda c: c[0] if isinstance(c, tuple) else "",
)
def test_incremental_output_equals_a_clean_build(project_copy: Path, tmp_path: Path, change) -> None:
    config = load_config(project_copy)
    site = tmp_path / "site"
    build(config, out=site)
    first = keys(site)
    change[1](project_copy)
    result = build(config, out=site)  # incremental: reuses unchanged entities
    clean = build(config, out=tmp_path / "clean").out
    assert files_of(site) == files_of(clean)
    changed = {iri for iri, key in keys(site).items() if first.get(iri) != key}
    # The Coalition and its neighbours change; most entities are reused.
    assert "https://w3id.org/oerdc/id/coalition" in changed
    assert 0 < len(changed) < len(first) / 2
    unchanged = len(first) - len(changed)
    assert result.unchanged == unchanged
    assert result.summary().endswith(f"; {unchanged} entities unchanged since the last build)")


def test_unchanged_files_are_hard_links_to_the_previous_build(
    project_copy: Path, tmp_path: Path
) -> None:
    config = load_config(project_copy)
    site = tmp_path / "site"
    build(config, out=site)
    before = os.stat(site / "id/area-1.html").st_ino
    build(config, out=site)
    assert os.stat(site / "id/area-1.html").st_ino == before
    assert keys(site) == keys(tmp_path / "site", tmp_path / ".site.previous") != {}


@pytest.mark.parametrize("forked", [False, True], ids=["serial", "on-two-processes"])
def test_every_rebuild_of_a_series_equals_a_clean_build(
    project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: bool
) -> None:
    # From the third build on, the previous site is updated rather than a fresh folder written:
    # files still right in it are kept, others replaced, and those no longer published removed.
    if forked:  # as a large graph is built: a forked helper writes pages into that folder too
        monkeypatch.setattr(oerkg.forked, "FORK_FROM", 1)
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    config = load_config(project_copy)
    site = tmp_path / "site"
    old, new = '"Roadmap of the OER Dynamic Coalition"@en', '"The Roadmap"@en'
    edits = [
        lambda p: relabel(p, old, new),
        lambda p: append(p, '\n<id/roadmap> <http://schema.org/alternateName> "Plan"@en .\n'),
        lambda p: relabel(p, new, old),  # back to an earlier state: kept from the previous site
        lambda p: None,
        lambda p: append(
            p,
            '\n<id/zz-new> a <http://schema.org/Thing> ; <http://www.w3.org/2000/01/rdf-schema#label> "New"@en .\n',
        ),
    ]
    build(config, out=site)
    updated = []
    for i, edit in enumerate(edits):
        edit(project_copy)
        previous = tmp_path / ".site.previous"
        updated.append(previous.is_dir() and keys(site, previous) != {})
        build(config, out=site)
        clean = tmp_path / f"clean-{i}"
        assert files_of(site) == files_of(build(config, out=clean).out), f"after edit {i}"
        shutil.rmtree(clean)
    # A new class changes every page (class pages are linked from all), so the last build
    # rewrote most files and dropped the previous site rather than keep a second copy.
    assert updated == [False, True, True, True, True]
    assert not (tmp_path / ".site.previous").exists()


def test_listing_pages_come_and_go_with_the_rows(project_copy: Path, tmp_path: Path) -> None:
    # Listings of at most 4 rows a page: ten new things need a class page and two more, and
    # more pages of translation gaps; without them, those pages are gone again.
    config = replace(load_config(project_copy), list_size=4)
    site = tmp_path / "site"
    data = project_copy / "data" / "coalition.ttl"
    original = data.read_text(encoding="utf-8")
    things = "".join(
        f'\n<id/zz-{n}> a <http://schema.org/Thing> ; <http://www.w3.org/2000/01/rdf-schema#label> "New {n}"@en .'
        for n in range(10)
    )
    build(config, out=site)
    before = files_of(site)
    for i, edit in enumerate([lambda: append(project_copy, things), lambda: data.write_text(original)]):
        edit()
        build(config, out=site)  # the first into a fresh folder, the second updates the previous
        clean = tmp_path / f"clean-{i}"
        assert files_of(site) == files_of(build(config, out=clean).out), f"after edit {i}"
        shutil.rmtree(clean)
        if i == 0:
            assert {"class/Thing.html", "class/Thing/2.html", "class/Thing/3.html"} <= set(
                files_of(site)
            )
    assert files_of(site) == before


def test_a_damaged_previous_site_is_not_trusted(project_copy: Path, tmp_path: Path) -> None:
    config = load_config(project_copy)
    site = tmp_path / "site"
    build(config, out=site)
    build(config, out=site)
    previous = tmp_path / ".site.previous"
    state_file(site, previous).unlink()  # as a build killed while updating it leaves it
    damaged = previous / "id" / "area-1.html"
    damaged.unlink()  # a new file, as a build writes them: a hard link to the live site's before
    damaged.write_text("half written")
    (previous / "stray.html").write_text("not ours")
    build(config, out=site)
    assert files_of(site) == files_of(build(config, out=tmp_path / "clean").out)


def test_a_build_waits_while_another_holds_the_same_folder(project_copy: Path, tmp_path: Path) -> None:
    # Two builds into one folder at once (say `serve` rebuilding while `build` runs) would share
    # the previous site; each holds the folder's lock file while it writes.
    site = tmp_path / "site"
    build(load_config(project_copy), out=site)
    build(load_config(project_copy), out=site)  # keeps a previous site
    relabel(project_copy, '"Roadmap of the OER Dynamic Coalition"@en', '"The Roadmap"@en')
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764288000"}
    previous = keys(site, tmp_path / ".site.previous")
    with open(tmp_path / ".site.lock", "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as another build would
        waiting = SignalledBuild(
            ["waiting"],
            ["build", str(project_copy), "--out", str(site)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        with waiting:
            assert waiting.event() == "waiting", "the build did not wait for the lock"
            assert waiting.process.poll() is None
            assert keys(site, tmp_path / ".site.previous") == previous != {}, "it went on"
            fcntl.flock(lock, fcntl.LOCK_UN)
            _, err = waiting.process.communicate(timeout=300)
    assert waiting.process.returncode == 0, err
    assert files_of(site) == files_of(build(load_config(project_copy), out=tmp_path / "clean").out)
