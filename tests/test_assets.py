"""The query page's committed browser assets are what `make assets` makes from the pinned
packages (browser/package-lock.json): rebuilt here, file by file."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "site_templates" / "static" / "vendor"
BROWSER = ROOT / "browser"


def files(folder: Path) -> dict[str, bytes]:
    """Each file's bytes; a gzip file's inflated bytes (its own bytes depend on Node's zlib)."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        out[path.relative_to(folder).as_posix()] = (
            gzip.decompress(data) if path.suffix == ".gz" else data
        )
    return out


def test_the_committed_assets_match_a_rebuild(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not (BROWSER / "node_modules" / "esbuild").is_dir():
        pytest.fail("Node.js or browser/node_modules is missing: run `make tools`", pytrace=False)
    subprocess.run(
        [node, str(BROWSER / "build.js"), str(tmp_path / "vendor")], check=True, capture_output=True
    )
    assert files(tmp_path / "vendor") == files(VENDOR)


def test_every_asset_has_its_licence_and_version() -> None:
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text(encoding="utf-8"))
    lock = json.loads((BROWSER / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    for name, described in manifest["packages"].items():
        version, licence = described.split(" ", 1)
        assert lock[f"node_modules/{name}"]["version"] == version, name
        assert licence.startswith("(") and "MIT" in licence, name
    notices = (VENDOR / "codemirror.LICENSE.txt").read_text(encoding="utf-8")
    assert all(f"\n{name} " in notices for name in manifest["packages"] if name != "oxigraph")
    assert "Permission is hereby granted" in (VENDOR / "oxigraph" / "LICENSE").read_text(
        encoding="utf-8"
    )
