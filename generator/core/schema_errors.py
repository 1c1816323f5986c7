"""Pydantic's schema errors, and template placeholders, in contributor language.

A pure translation layer: given a loaded document and a ``ValidationError``
it returns ``Problem``s that name the field, what was expected and a hint
(the field's own description from the models), so the message a
contributor reads is written once for every file kind.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.core import models
from generator.core.load import Document
from generator.diagnostics import PathKey, Problem, format_path, suggest

# --------------------------------------------------------------------------- schema errors


def unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated so we can walk a model by a field path."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def model_at(model: type[BaseModel], loc: PathKey) -> type[BaseModel] | None:
    """The model class that owns the mapping at ``loc`` (for listing its allowed keys)."""
    current: Any = model
    for part in loc:
        current = unwrap(current)
        if isinstance(part, int):
            if typing.get_origin(current) is list:
                current = typing.get_args(current)[0]
                continue
            return None
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = {f.alias or name: f for name, f in current.model_fields.items()}
            if part not in fields:
                return None
            current = fields[part].annotation
        else:
            return None
    current = unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (null)"
    return type(value).__name__


def _short(value: Any) -> str:
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def schema_problems(doc: Document, model: type[BaseModel], error: ValidationError) -> list[Problem]:
    """Translate pydantic's errors into messages a contributor can act on."""
    problems = []
    for err in error.errors(include_url=False):
        loc: PathKey = tuple(err["loc"])
        kind = err["type"]
        value = err.get("input")
        ctx = err.get("ctx") or {}
        where = doc.position(loc, key=kind == "extra_forbidden")
        hint = ""
        field_path = format_path(loc)
        if kind == "missing":
            message = f"required field '{loc[-1]}' is missing"
            owner = model_at(model, loc[:-1])
            described = owner.model_fields.get(str(loc[-1])) if owner else None
            hint = (described.description or "") if described else ""
            hint = f"add it ({hint})" if hint else "add it"
        elif kind == "extra_forbidden":
            owner = model_at(model, loc[:-1])
            message = f"unknown field '{loc[-1]}'"
            hint = suggest(loc[-1], _field_names(owner)) if owner else ""
            if not hint.startswith("did you mean") and owner:
                hint = "allowed fields: " + ", ".join(_field_names(owner))
        elif kind == "enum":
            expected = ctx.get("expected", "")
            message = f"'{_short(value)}' is not an allowed value"
            options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",") if o.strip()]
            hint = suggest(value, options) or f"expected {expected}"
            if hint.startswith("did you mean") and len(options) <= 8:
                hint += " (allowed: " + ", ".join(options) + ")"
        elif kind == "string_pattern_mismatch":
            pattern = ctx.get("pattern", "")
            pattern_kind = models.PATTERN_KINDS.get(pattern)
            if pattern_kind == "slug":
                message = f"'{_short(value)}' is not a valid id"
                hint = "use lowercase letters a-z, digits and single hyphens, e.g. 'henan-2023-skilled-talent'"
            elif pattern_kind == "sha256":
                message = f"'{_short(value)}' is not a SHA-256 checksum"
                hint = "run: sha256sum data/sources/<id>.txt"
            elif pattern_kind == "gb-code":
                message = f"'{_short(value)}' is not a six-digit GB/T 2260 code"
                hint = 'quote it, e.g. "410700"'
            else:
                message = f"'{_short(value)}' has the wrong form"
                hint = (
                    "write YYYY, YYYY-MM or YYYY-MM-DD"
                    if pattern_kind == "partial-date"
                    else f"expected the pattern {pattern}"
                )
        elif kind in ("date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"):
            message = f"'{_short(value)}' is not a valid date"
            hint = "write an existing date as YYYY-MM-DD, e.g. 2023-09-13"
        elif kind in ("int_parsing", "float_parsing", "int_type", "float_type", "int_from_float"):
            message = f"expected a {'whole ' if kind.startswith('int') else ''}number, found {_describe(value)} '{_short(value)}'"
            hint = (
                "write a whole number in digits, e.g. 1 or 2025"
                if kind.startswith("int")
                else "write digits only, e.g. 100000 (convert 万 yourself: 10万 = 100000)"
            )
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            bound = next(iter(ctx.values()), "")
            if isinstance(bound, float) and bound.is_integer():
                bound = int(bound)
            message = f"{_short(value)} is out of range"
            hint = f"it must be {'at least' if 'greater' in kind else 'at most'} {bound}"
        elif kind == "list_type":
            message = f"expected a list, found {_describe(value)}"
            hint = "write items on their own lines starting with '- ', or as [a, b]"
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            message = f"expected a mapping of fields, found {_describe(value)}"
            owner = model_at(model, loc)
            hint = ("fields: " + ", ".join(_field_names(owner))) if owner else ""
        elif kind == "string_type":
            message = f"expected text, found {_describe(value)}"
            hint = "put the value in quotes"
        elif kind in ("string_too_short", "too_short"):
            message = "must not be empty"
            hint = "give at least one item" if kind == "too_short" else "write the text or remove the field"
        elif kind in ("string_too_long", "too_long"):
            message = "is too long"
            hint = f"at most {ctx.get('max_length')} characters" if kind == "string_too_long" else ""
        elif kind == "bool_parsing" or kind == "bool_type":
            message = f"expected true or false, found '{_short(value)}'"
        else:
            message = err["msg"]
        problems.append(Problem(doc.display, where.line, where.column, field_path, message, hint))
    return problems


# --------------------------------------------------------------------------- template placeholders

PLACEHOLDER = "TODO"
PLACEHOLDER_MESSAGE = "still the template placeholder"


def _field_description(model: type[BaseModel], path: PathKey) -> str:
    """The model's description of the field at ``path`` (for a list item: of its list)."""
    while path and isinstance(path[-1], int):
        path = path[:-1]
    if not path:
        return ""
    owner = model_at(model, path[:-1])
    if owner is None:
        return ""
    fields = {f.alias or name: f for name, f in owner.model_fields.items()}
    described = fields.get(str(path[-1]))
    return (described.description or "") if described is not None else ""


def placeholders(value: Any, path: PathKey = ()) -> list[PathKey]:
    """Field paths whose value is still a ``TODO…`` placeholder from the annotated template."""
    if isinstance(value, str):
        return [path] if value.startswith(PLACEHOLDER) else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in placeholders(v, path + (k,))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in placeholders(v, path + (i,))]
    return []


def placeholder_problems(doc: Document, model: type[BaseModel] | None = None) -> list[Problem]:
    """One problem per placeholder, with the field's description as the hint."""
    problems = []
    for path in placeholders(doc.data):
        pos = doc.position(path)
        described = _field_description(model, path) if model is not None else ""
        hint = f"replace it ({described})" if described else "replace it"
        problems.append(Problem(doc.display, pos.line, pos.column, format_path(path), PLACEHOLDER_MESSAGE, hint))
    return problems


def under(field_path: str, parent: str) -> bool:
    return field_path == parent or field_path.startswith((parent + ".", parent + "["))


def without_placeholder_echoes(problems: list[Problem]) -> list[Problem]:
    """Drop problems about a value that is still a placeholder: the placeholder message says it all."""
    marked: dict[str, list[str]] = {}
    for p in problems:
        if p.message == PLACEHOLDER_MESSAGE:
            marked.setdefault(p.file, []).append(p.field)
    if not marked:
        return problems
    return [
        p
        for p in problems
        if p.message == PLACEHOLDER_MESSAGE
        or p.file not in marked
        or not any(under(p.field, parent) for parent in marked[p.file])
    ]


def schema_problems_without_placeholders(
    doc: Document, model: type[BaseModel], error: ValidationError, todo: list[Problem]
) -> list[Problem]:
    """Schema problems, less those that only say a placeholder is not a real value yet."""
    problems = schema_problems(doc, model, error)
    return [p for p in without_placeholder_echoes(todo + problems) if p.message != PLACEHOLDER_MESSAGE]
