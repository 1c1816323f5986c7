"""JSON Schemas for contributors' editors, generated from the models (never hand-kept)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from generator.core import models

HEADER_PREFIX = "# yaml-language-server:"


def schema_line(schema_file: str, depth: int) -> str:
    """The first line of a data file: tells editors which JSON Schema checks it (``depth`` folders below the root)."""
    return f"{HEADER_PREFIX} $schema={'../' * depth}schema/{schema_file}"


POLICY_SCHEMA_LINE = schema_line("policy.schema.json", 2)

SCHEMAS: dict[str, type[BaseModel]] = {
    "policy.schema.json": models.Policy,
    "regions.schema.json": models.RegionsFile,
    "themes.schema.json": models.ThemesFile,
    "topics.schema.json": models.TopicsFile,
    "metrics.schema.json": models.MetricsFile,
    "glossary.schema.json": models.GlossaryFile,
    "wording.schema.json": models.WordingFile,
}

TITLES = {
    "policy.schema.json": "技能人才政策文件 / Skills policy document",
    "regions.schema.json": "地区 / Regions",
    "themes.schema.json": "主题 / Themes",
    "topics.schema.json": "议题 / Topics",
    "metrics.schema.json": "指标 / Metrics",
    "glossary.schema.json": "术语 / Glossary",
    "wording.schema.json": "繁简用语替换 / Wording fixes",
}


def schema_text(name: str) -> str:
    """The schema as committed: deterministic key order, trailing newline."""
    schema = SCHEMAS[name].model_json_schema(by_alias=True)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": name, **schema}
    schema["title"] = TITLES[name]
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(root: Path) -> list[Path]:
    out = root / "schema"
    out.mkdir(exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = out / name
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written
