"""The JSON Schemas contributors' editors use: in sync with the models, and true of the data.

The schemas are generated from ``generator/core/models.py`` (``python -m generator
schema``); a model change without regenerating them fails here. They are
also checked independently with ``jsonschema`` against every data file, so
an editor that uses them tells a contributor the same thing the validator
does.
"""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import FIXTURES, ROOT

from generator.core import models, schema
from generator.core.load import load_file

SCHEMA_DIR = ROOT / "schema"
POLICIES = sorted((ROOT / "data" / "policies").glob("*.yaml"))


@pytest.mark.parametrize("name", sorted(schema.SCHEMAS))
def test_committed_schema_matches_models(name):
    committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == schema.schema_text(name), (
        f"schema/{name} is out of date with generator/core/models.py — run: python -m generator schema"
    )


def test_no_stray_schema_files():
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.json")) == sorted(schema.SCHEMAS)


def _validator(name: str) -> jsonschema.protocols.Validator:
    document = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(document)
    cls.check_schema(document)
    return cls(document, format_checker=cls.FORMAT_CHECKER)


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_policy_schema_accepts_every_policy(path):
    errors = list(_validator("policy.schema.json").iter_errors(load_file(path).data))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


@pytest.mark.parametrize("name", sorted(models.VOCABULARY_FILES))
def test_vocabulary_schemas_accept_the_vocabularies(name):
    for root in (ROOT, FIXTURES / "mini"):
        path = root / "data" / name
        if path.exists():
            errors = list(_validator(name.replace(".yaml", ".schema.json")).iter_errors(load_file(path).data))
            assert not errors, f"{path}: " + "; ".join(e.message for e in errors)


def test_policy_schema_accepts_the_fixture_policy():
    data = load_file(FIXTURES / "mini" / "data" / "policies" / "fixture-policy.yaml").data
    assert not list(_validator("policy.schema.json").iter_errors(data))


@pytest.mark.parametrize(
    "change, complaint",
    [
        (lambda d: d.pop("title"), "'title' is a required property"),
        (lambda d: d.update(summry="x"), "Additional properties are not allowed ('summry' was unexpected)"),
        (lambda d: d["measures"][0].update(themes=[]), "[] should be non-empty"),
        (
            lambda d: d.update(status="in_force"),
            "'in_force' is not one of ['in-force', 'expired', 'superseded', 'unknown']",
        ),
        (lambda d: d["dates"].update(signed="2023-02-30"), "'2023-02-30' is not valid under any of the given schemas"),
        (lambda d: d.update(id="../etc/passwd"), "'../etc/passwd' does not match '^[a-z0-9]+(?:-[a-z0-9]+)*$'"),
    ],
)
def test_policy_schema_rejects_what_the_validator_rejects(change, complaint):
    data = load_file(FIXTURES / "mini" / "data" / "policies" / "fixture-policy.yaml").data
    change(data)
    messages = [e.message for e in _validator("policy.schema.json").iter_errors(data)]
    assert complaint in messages


def _descriptions(node, where="") -> list[tuple[str, str]]:
    """(place, description) for every property of every object in a schema."""
    found = []
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            found.append((f"{where}.{key}", value.get("description", "")))
        for key, value in node.items():
            found += _descriptions(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _descriptions(value, f"{where}[{i}]")
    return found


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _has_english(text: str) -> bool:
    return any("a" <= c.lower() <= "z" for c in text)


@pytest.mark.parametrize("name", sorted(schema.SCHEMAS))
def test_every_field_is_described_in_chinese_and_english(name):
    document = json.loads(schema.schema_text(name))
    assert _has_chinese(document["title"]) and _has_english(document["title"])
    missing = [place for place, text in _descriptions(document) if not (_has_chinese(text) and _has_english(text))]
    assert not missing, f"fields without a Chinese + English description in {name}: {missing}"
    for definition in document.get("$defs", {}).values():  # enums and nested objects say what they are
        text = definition.get("description", "")
        assert _has_chinese(text) and _has_english(text), definition.get("title")


def test_examples_are_valid_values():
    """An example shown in the editor must itself pass the schema for its field."""
    document = json.loads(schema.schema_text("policy.schema.json"))
    definitions = document["$defs"]

    def check(node: dict, place: str) -> None:
        for key, prop in node.get("properties", {}).items():
            for example in prop.get("examples", []):
                sub = {**prop, "$defs": definitions}
                sub.pop("examples")
                errors = list(
                    jsonschema.Draft202012Validator(sub, format_checker=jsonschema.FormatChecker()).iter_errors(example)
                )
                assert not errors, f"{place}.{key}: example {example!r}: {errors[0].message}"

    check(document, "Policy")
    for name, definition in definitions.items():
        check(definition, name)
