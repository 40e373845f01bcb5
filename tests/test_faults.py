"""A build that dies midway (killed, interrupted, out of disk space) leaves the previous site
exactly as it was, and the next build succeeds and removes what the dead one left behind."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from signalled_build import SignalledBuild

import oerkg.forked
import oerkg.output
from oerkg.build import build
from oerkg.cli import main
from oerkg.config import load_config
from oerkg.incremental import read_manifest
from oerkg.output import recorded_state, state_file, state_folder

ROOT = Path(__file__).resolve().parents[1]
BASE = Path(__file__).parent / "data" / "bad" / "_base"
EPOCH = "1764288000"
ENTITIES = 300  # enough that writing takes a moment; the build is killed while it writes
WRITTEN = 50  # files written when the build is interrupted


def big_project(folder: Path, *, entities: int = ENTITIES, edition: str = "first") -> Path:
    """A project with one coalition and `entities` working groups, generated (never committed)."""
    project = folder / "project"
    if not project.exists():
        shutil.copytree(BASE, project)
        shutil.copytree(ROOT / "site_templates", project / "site_templates")
    units = " , ".join(f":wg-{i}" for i in range(entities))
    lines = [
        "@prefix : <id/> .",
        "@prefix oerdc: <ontology#> .",
        "@prefix org: <http://www.w3.org/ns/org#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "",
        f':coalition a oerdc:Coalition ; rdfs:label "Coalition ({edition} edition)"@en ;',
        f"    org:hasUnit {units} .",
        *(
            f':wg-{i} a oerdc:WorkingGroup ; rdfs:label "Working group {i} ({edition})"@en ; '
            "org:unitOf :coalition ."
            for i in range(entities)
        ),
    ]
    (project / "data" / "data.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return project


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def siblings(out: Path) -> list[str]:
    """What lies next to the site: fresh or old folders of an unfinished build (the lock file
    every build holds, `.site.lock`, stays, and so does `.site.state`, checked by `states`)."""
    kept = {".site.lock", ".site.state"}
    return sorted(p.name for p in out.parent.iterdir() if p != out and p.name not in kept)


def states(out: Path) -> list[str]:
    """The folders whose build state is recorded; it must be those there are, and no others."""
    folders = {state_file(out, f): f.name for f in (out, out.with_name(".site.previous")) if f.exists()}
    recorded = sorted(state_folder(out).iterdir())
    assert set(recorded) <= folders.keys(), f"states of no folder: {set(recorded) - folders.keys()}"
    return sorted(folders[state] for state in recorded)


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture()
def published(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A big project already built into `out`, its sources changed since: (project, out, bytes)."""
    project = big_project(tmp_path)
    out = tmp_path / "out" / "site"
    build(load_config(project), out=out)
    big_project(tmp_path, edition="second")
    return project, out, snapshot(out)


def start_build(project: Path, out: Path) -> SignalledBuild:
    """Start `oerkg build` in its own process; it says when it has written WRITTEN files."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    # As from a terminal: Ctrl-C reaches the build even when this test runs in the background
    # (a non-interactive shell starts background jobs with SIGINT ignored, and children inherit it).
    return SignalledBuild(
        ["written", str(WRITTEN)],
        ["build", str(project), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_until_writing(build: SignalledBuild, out: Path) -> str:
    """Return the name of the folder being written (a fresh one, or the previous site being
    updated) once the build has written WRITTEN files into it."""
    written = build.event()
    if not written:
        build.process.kill()
        pytest.fail("the build finished (or never wrote) before it could be interrupted")
    return Path(written).relative_to(out.parent).parts[0]


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_build_leaves_previous_site_and_next_build_cleans_up(
    sig: signal.Signals, published: tuple[Path, Path, dict[str, bytes]]
) -> None:
    project, out, before = published
    with start_build(project, out) as running:
        wait_until_writing(running, out)
        running.process.send_signal(sig)
        running.process.communicate(timeout=60)

    assert running.process.returncode == -sig
    assert snapshot(out) == before, "the killed build changed the published site"

    # The next build succeeds, publishes the new sources, and removes the dead build's folder.
    rebuilt = subprocess.run(
        [sys.executable, "-m", "oerkg.cli", "build", str(project), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
    )
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert siblings(out) == []
    assert states(out) == ["site"]
    assert "second edition" in (out / "id" / "coalition.html").read_text(encoding="utf-8")


# With 1,300 entities (over 5,000 triples) the build forks a helper that makes and writes pages
# too; killed with the build, it finishes its task first, holding the inherited lock, so the
# next build waits for it rather than share the folder.
@pytest.mark.parametrize("entities", [ENTITIES, 1300], ids=["serial", "with-a-forked-helper"])
def test_killed_while_updating_the_previous_site(tmp_path: Path, entities: int) -> None:
    # Two builds of the same sources: the second links every file, so the first build's folder
    # is kept as the previous site, and the next build updates it instead of a fresh folder.
    project = big_project(tmp_path, entities=entities)
    out = tmp_path / "out" / "site"
    build(load_config(project), out=out)
    build(load_config(project), out=out)
    assert siblings(out) == [".site.previous"]
    assert states(out) == [".site.previous", "site"]
    before = snapshot(out)
    big_project(tmp_path, entities=entities, edition="second")
    with start_build(project, out) as running:
        assert wait_until_writing(running, out) == ".site.previous"
        running.process.kill()
        running.process.communicate(timeout=60)

    assert snapshot(out) == before, "the killed build changed the published site"
    # The half-updated previous site has no recorded state, so nothing in it is trusted.
    assert states(out) == ["site"]
    build(load_config(project), out=out)
    assert snapshot(out) == snapshot(build(load_config(project), out=tmp_path / "clean").out)


@pytest.mark.parametrize("when", ["before", "after"])
def test_killed_at_the_swap_the_state_describes_the_live_site(
    when: str, published: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    # Killed just before the finished site is swapped in, the old one stays live with its
    # state; just after, the new one is live with its own: never a state of the other site.
    project, out, before = published
    old = recorded_state(out)
    with SignalledBuild(
        ["killed", when],
        ["build", str(project), "--out", str(out)],
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
    ) as running:
        assert running.event() == "killed"
        assert running.process.wait(timeout=60) == -signal.SIGKILL
    new = build(load_config(project), out=tmp_path / "clean")
    if when == "before":
        assert snapshot(out) == before
        assert recorded_state(out) == old
    else:
        assert snapshot(out) == snapshot(new.out)
        assert read_manifest(recorded_state(out)) == read_manifest(recorded_state(new.out)) != {}
    # The next build trusts that state (an unchanged site is all reused) and cleans up.
    result = build(load_config(project), out=out)
    assert snapshot(out) == snapshot(new.out)
    assert result.unchanged == (new.entities if when == "after" else 0)
    kept = [".site.previous"] if when == "after" else []  # a new site mostly linked, not written
    assert siblings(out) == kept
    assert states(out) == [*kept, "site"]


def test_interrupted_build_says_so_and_leaves_nothing_behind(
    published: tuple[Path, Path, dict[str, bytes]],
) -> None:
    project, out, before = published
    with start_build(project, out) as running:
        wait_until_writing(running, out)
        running.process.send_signal(signal.SIGINT)
        _, stderr = running.process.communicate(timeout=60)

    assert running.process.returncode == 130
    assert stderr.decode().splitlines() == ["Interrupted; the previous output is untouched."]
    assert snapshot(out) == before
    assert siblings(out) == []


def no_space_after(count: int):  # type: ignore[no-untyped-def]
    """An `oerkg.output.write_file` that fills the disk after `count` files."""
    real = oerkg.output.write_file
    written = [0]

    def write_file(path: str, data: bytes) -> None:
        if written[0] >= count:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)
        written[0] += 1
        real(path, data)

    return write_file


def no_space_in_forked_processes():  # type: ignore[no-untyped-def]
    """An `oerkg.output.write_file` that fills the disk in any process but this one."""
    builder, real = os.getpid(), oerkg.output.write_file

    def write_file(path: str, data: bytes) -> None:
        if os.getpid() != builder:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)
        real(path, data)

    return write_file


@pytest.mark.parametrize(
    "count", [0, 1, 200, None], ids=["at-once", "after-1", "after-200", "in-a-forked-helper"]
)
def test_full_disk_fails_clearly_and_leaves_previous_site(
    count: int | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = big_project(tmp_path, entities=20)
    out = tmp_path / "out" / "site"
    build(load_config(project), out=out)
    before = snapshot(out)
    big_project(tmp_path, entities=20, edition="second")
    if count is None:  # as a large graph is built: a forked helper writes pages too, and fails
        monkeypatch.setattr(oerkg.forked, "FORK_FROM", 1)
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    full = no_space_in_forked_processes() if count is None else no_space_after(count)
    monkeypatch.setattr(oerkg.output, "write_file", full)

    code = main(["build", str(project), "--out", str(out)])

    stdout, stderr = capsys.readouterr()
    assert code == 3
    assert stderr.splitlines() == [
        f"Error: cannot write the site into {out}: No space left on device; "
        "the previous site is untouched"
    ]
    monkeypatch.undo()
    assert snapshot(out) == before
    assert siblings(out) == []


def test_full_disk_on_first_build_leaves_no_half_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = big_project(tmp_path, entities=20)
    out = tmp_path / "out" / "site"
    monkeypatch.setattr(oerkg.output, "write_file", no_space_after(10))

    assert main(["build", str(project), "--out", str(out)]) == 3

    assert "No space left on device" in capsys.readouterr().err
    assert not out.exists()
    assert siblings(out) == []


@pytest.fixture()
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 6 MiB tmpfs (root only, where mounting is allowed); unmounted afterwards."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a tmpfs")
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mountpoint)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", str(mountpoint)], check=False)


def test_real_full_disk(small_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A small site (2.3 MB, 1.8 MB of it the query page's engine and editor) fits the 6 MiB disk; the
    # big one (14.6 MB) does not, and must leave the small one intact.
    out = small_disk / "site"
    small = big_project(tmp_path / "small", entities=3)
    assert main(["build", str(small), "--out", str(out)]) == 0
    capsys.readouterr()
    before = snapshot(out)
    big = big_project(tmp_path / "big", entities=ENTITIES)

    code = main(["build", str(big), "--out", str(out)])

    assert code == 3
    assert capsys.readouterr().err.splitlines() == [
        f"Error: cannot write the site into {out}: No space left on device; "
        "the previous site is untouched"
    ]
    assert snapshot(out) == before
    assert siblings(out) == []
