"""A build that dies midway (killed, interrupted, out of disk space) leaves the previous site
exactly as it was, and the next build succeeds and removes what the dead one left behind."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import oerkg.forked
import oerkg.output
from oerkg.build import build
from oerkg.cli import main
from oerkg.config import load_config

ROOT = Path(__file__).resolve().parents[1]
BASE = Path(__file__).parent / "data" / "bad" / "_base"
EPOCH = "1764288000"
ENTITIES = 300  # enough that writing takes a moment; the build is killed while it writes


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
    every build holds, `.site.lock`, stays)."""
    return sorted(p.name for p in out.parent.iterdir() if p != out and p.name != ".site.lock")


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


def start_build(project: Path, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    # As from a terminal: Ctrl-C reaches the build even when this test runs in the background
    # (a non-interactive shell starts background jobs with SIGINT ignored, and children inherit it).
    return subprocess.Popen(
        [sys.executable, "-m", "oerkg.cli", "build", str(project), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_until_writing(process: subprocess.Popen[bytes], out: Path, *, files: int = 50) -> Path:
    """Return the folder being written (a fresh one, or the previous site being updated) once
    the build has written `files` files into it."""
    started = time.time_ns() - 10**7  # file times come from a coarser clock, a tick behind
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        for folder in [*out.parent.glob(f".{out.name}.new-*"), out.with_name(f".{out.name}.previous")]:
            try:
                if sum(1 for p in folder.rglob("*") if p.stat().st_mtime_ns >= started) >= files:
                    return folder
            except FileNotFoundError:  # the folder was swapped away meanwhile
                pass
        if process.poll() is not None:
            pytest.fail("the build finished before it could be interrupted; make the project bigger")
        time.sleep(0.005)
    process.kill()
    pytest.fail("the build never started writing")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_build_leaves_previous_site_and_next_build_cleans_up(
    sig: signal.Signals, published: tuple[Path, Path, dict[str, bytes]]
) -> None:
    project, out, before = published
    process = start_build(project, out)

    wait_until_writing(process, out)
    process.send_signal(sig)
    process.communicate(timeout=60)

    assert process.returncode == -sig
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
    before = snapshot(out)
    big_project(tmp_path, entities=entities, edition="second")
    time.sleep(0.1)  # so that no file of the builds above looks newly written
    process = start_build(project, out)

    assert wait_until_writing(process, out).name == ".site.previous"
    process.kill()
    process.communicate(timeout=60)

    assert snapshot(out) == before, "the killed build changed the published site"
    # The half-updated previous site holds no manifest, so nothing in it is trusted.
    assert not (out.with_name(".site.previous") / ".oerkg" / "manifest.json").exists()
    build(load_config(project), out=out)
    assert snapshot(out) == snapshot(build(load_config(project), out=tmp_path / "clean").out)


def test_interrupted_build_says_so_and_leaves_nothing_behind(
    published: tuple[Path, Path, dict[str, bytes]],
) -> None:
    project, out, before = published
    process = start_build(project, out)

    wait_until_writing(process, out)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == 130
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
    """A 1 MiB tmpfs (root only, where mounting is allowed); unmounted afterwards."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a tmpfs")
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mountpoint)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", str(mountpoint)], check=False)


def test_real_full_disk(small_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A small site fits the 1 MiB disk; the big one does not, and must leave the small one intact.
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
