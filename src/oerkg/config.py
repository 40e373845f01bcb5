"""The project folder, its optional `oerkg.toml`, and the settings every stage reads."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import InputError

DEFAULT_BASE = "https://w3id.org/oerdc/"
LANGUAGES = ("en", "fr", "sv")
SOURCE_DIRS = ("ontology", "data", "shapes")


@dataclass(frozen=True)
class DatasetInfo:
    """What VoID and DCAT say about the published dataset."""

    title: str = "Knowledge graph"
    description: str = ""
    license: str = "https://creativecommons.org/licenses/by/4.0/"
    publisher_name: str = "oerkg"
    publisher_url: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    """Settings of one project: where its sources are and the IRIs they publish under."""

    project: Path
    base: str = DEFAULT_BASE
    languages: tuple[str, ...] = LANGUAGES
    dataset: DatasetInfo = field(default_factory=DatasetInfo)
    source_date_epoch: int = 0

    @property
    def ontology_ns(self) -> str:
        return f"{self.base}ontology#"

    @property
    def shapes_ns(self) -> str:
        return f"{self.base}shapes#"

    @property
    def entity_space(self) -> str:
        return f"{self.base}id/"

    def dir(self, name: str) -> Path:
        return self.project / name

    def source_files(self, name: str, pattern: str = "*.ttl") -> list[Path]:
        return sorted(self.dir(name).rglob(pattern))

    def with_base(self, base: str | None) -> Config:
        return self if not base else replace(self, base=base if base.endswith("/") else base + "/")


def load_config(project: Path | str = ".", *, base: str | None = None) -> Config:
    """Read the project's settings from `oerkg.toml` (optional) and the environment."""
    root = Path(project).resolve()
    if not root.is_dir():
        raise InputError("project folder not found", path=project)
    missing = [d for d in SOURCE_DIRS if not (root / d).is_dir()]
    if missing:
        raise InputError(f"missing folder(s): {', '.join(missing)}", path=root)
    settings: dict = {}
    toml_path = root / "oerkg.toml"
    if toml_path.is_file():
        try:
            settings = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(str(exc), path=toml_path) from None
    ds = settings.get("dataset", {})
    dataset = DatasetInfo(
        title=ds.get("title", DatasetInfo.title),
        description=ds.get("description", ""),
        license=ds.get("license", DatasetInfo.license),
        publisher_name=ds.get("publisher_name", DatasetInfo.publisher_name),
        publisher_url=ds.get("publisher_url", ""),
        keywords=tuple(ds.get("keywords", ())),
    )
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    config = Config(
        project=root,
        base=settings.get("base", DEFAULT_BASE),
        languages=tuple(settings.get("languages", LANGUAGES)),
        dataset=dataset,
        source_date_epoch=int(epoch) if epoch.isdigit() else 0,
    )
    return config.with_base(base)
