"""Validation: from loaded documents to a trusted dataset, or to a list of problems.

Three layers, all run so that a contributor sees every problem at once:

1. the file itself (``load.py``: syntax, duplicate keys, encoding, size);
2. the schema (pydantic models; errors translated into contributor language);
3. checks across fields and files, each a small registered function in
   ``checks.py`` with a name, a description and a message with a hint.

Nothing here raises on bad data: problems are collected and returned.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from generator.core import checks, checks_values, models  # noqa: F401 - checks_values registers its checks
from generator.core.dataset import Dataset, without_cyclic_gc
from generator.core.load import Document, LoadError, load_file
from generator.core.resolve import resolve
from generator.core.schema_errors import (
    PLACEHOLDER_MESSAGE,
    model_at,
    schema_problems,
    under,
    unwrap,
    without_placeholder_echoes,
)
from generator.diagnostics import PathKey, Problem, format_path

# --------------------------------------------------------------------------- loading all

M = TypeVar("M", bound=BaseModel)


def display_path(root: Path, path: Path) -> str:
    """A data file's path as messages show it: relative to the project, a symbolic link named as itself."""
    try:  # the folder resolved, not the file: a symbolic link is named as itself, not as its target
        return str((path.parent.resolve() / path.name).relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _load(root: Path, path: Path, problems: list[Problem]) -> Document | None:
    try:
        return load_file(path, display_path(root, path))
    except LoadError as exc:
        problems.append(exc.problem)
        return None


def _validate_model(doc: Document, model: type[M], problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(schema_problems(doc, model, exc))
        return None


_NOWHERE = object()


def _parent_of(data: Any, loc: PathKey) -> Any:
    """The container holding the value at ``loc`` in nested data, or ``_NOWHERE``."""
    parent = data
    for part in loc[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return _NOWHERE
    return parent


def _without(data: Any, loc: PathKey) -> bool:
    """Remove the value at ``loc`` from nested data; False if there is nothing to remove."""
    parent = _parent_of(data, loc)
    last = loc[-1] if loc else None
    if isinstance(parent, dict) and last in parent:
        del parent[last]
        return True
    if isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
        parent[last] = None  # keep the other indexes stable; a None item is removed below
        return True
    return False


def _drop_nones(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _drop_nones(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_drop_nones(v) for v in data if v is not None]
    return data


# Values a stand-in for a missing required text may take, tried in order until the field accepts one.
_STAND_IN_VALUES: tuple = ("missing-value", "0" * 64, "000000", "2000-01-01", "2000", 1, 0.0, False)


def _stand_in(annotation: Any) -> Any:
    """Some value the schema accepts for ``annotation``: a required field's place-holder while checking."""
    inner = unwrap(annotation)
    if typing.get_origin(inner) is list:
        return [_stand_in(typing.get_args(inner)[0])]
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return {(f.alias or name): _stand_in_field(f) for name, f in inner.model_fields.items() if f.is_required()}
    if isinstance(inner, type) and issubclass(inner, Enum):
        return next(iter(inner)).value
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    for value in _STAND_IN_VALUES:
        try:
            adapter.validate_python(value)
            return value
        except ValidationError:
            continue
    return None


def _stand_in_field(described: Any) -> Any:
    annotation = described.annotation
    return _stand_in(typing.Annotated[(annotation, *described.metadata)] if described.metadata else annotation)


def _fill_missing(data: Any, model: type[BaseModel], loc: PathKey) -> bool:
    """Put a stand-in where a required field is missing; False if the place cannot be found."""
    parent = _parent_of(data, loc)
    owner = model_at(model, loc[:-1])
    if not isinstance(parent, dict) or owner is None:
        return False
    fields = {f.alias or name: f for name, f in owner.model_fields.items()}
    if loc[-1] not in fields:
        return False
    parent[loc[-1]] = _stand_in_field(fields[loc[-1]])
    return True


def salvage(
    doc: Document, model: type[M], error: ValidationError, rounds: int = 5, stand_ins: list[PathKey] | None = None
) -> M | None:
    """A best-effort model without the values the schema rejected, so the cross-file checks
    can still report every other problem in the same run. The schema errors themselves are
    already reported; the salvaged model is only ever used for checking, never for building.
    A missing required field gets a stand-in value, and its path is added to ``stand_ins``:
    problems the checks find about a stand-in are not reported (issue 17: a missing title used
    to hide an unknown region, an unknown theme and a quote not in the archive).
    """
    data = copy.deepcopy(doc.data)
    for _ in range(rounds):
        removed = False
        for err in error.errors(include_url=False):
            loc = tuple(err["loc"])
            if err["type"] == "missing":
                if not _fill_missing(data, model, loc):
                    return None
                if stand_ins is not None:
                    stand_ins.append(loc)
                removed = True
                continue
            removed |= _without(data, loc)
        if not removed:
            return None
        data = _drop_nones(data)
        try:
            return model.model_validate(data)
        except ValidationError as again:
            error = again
    return None


def _about_stand_in(problem: Problem, stand_ins: dict[str, list[PathKey]]) -> bool:
    """Is a check's problem about a stand-in value (or, for a missing quote, the value it must state)?"""
    if problem.message == PLACEHOLDER_MESSAGE:
        return False  # found in the file's own text, not in a stand-in
    for loc in stand_ins.get(problem.file, ()):
        if under(problem.field, format_path(loc)):
            return True
        if (
            loc
            and loc[-1] == "quote"
            and problem.field in (format_path(loc[:-1] + (attr,)) for attr in ("value", "yuan"))
        ):
            return True
    return False


def load_vocabulary(root: Path, dataset: Dataset, problems: list[Problem]) -> dict[str, Document]:
    docs: dict[str, Document] = {}
    for name, model in models.VOCABULARY_FILES.items():
        path = root / "data" / name
        if not path.exists():
            if name == "wording.yaml":
                continue
            dataset.broken.add(name)
            problems.append(Problem(f"data/{name}", 1, 1, "", "the vocabulary file is missing"))
            continue
        doc = _load(root, path, problems)
        if doc is None:
            dataset.broken.add(name)
            continue
        docs[name] = doc
        parsed = _validate_model(doc, model, problems)
        if parsed is None:
            dataset.broken.add(name)
            continue
        key = next(iter(model.model_fields))
        entries = getattr(parsed, key)
        dataset.entries[name] = list(entries)
        if name == "wording.yaml":
            dataset.wording = list(entries)
            continue
        tables: dict[str, dict[str, Any]] = {
            "regions.yaml": dataset.regions,
            "themes.yaml": dataset.themes,
            "topics.yaml": dataset.topics,
            "metrics.yaml": dataset.metrics,
            "glossary.yaml": dataset.glossary,
        }
        target = tables[name]
        for index, entry in enumerate(entries):
            if entry.id in target:
                pos = doc.position((key, index, "id"))
                problems.append(
                    Problem(
                        doc.display,
                        pos.line,
                        pos.column,
                        f"{key}[{index}].id",
                        f"duplicate id '{entry.id}'",
                        "every id must be unique in the file",
                    )
                )
            target[entry.id] = entry
    return docs


def policy_files(root: Path) -> list[Path]:
    return sorted((root / "data" / "policies").glob("*.yaml"))


def validate(root: Path, only: Iterable[Path] | None = None) -> tuple[Dataset, list[Problem]]:
    """Load and check everything under ``root/data``.

    ``only`` limits the *reported* problems to those files; everything is still
    loaded, because references cross files.
    """
    with without_cyclic_gc():
        return _validate(root, only)


def _validate(root: Path, only: Iterable[Path] | None) -> tuple[Dataset, list[Problem]]:
    root = root.resolve()
    dataset = Dataset(root=root)
    problems: list[Problem] = []
    if (root / "data").is_symlink():  # everything below data/ is checked for links; data/ itself must be too
        return dataset, [
            Problem(
                "data",
                1,
                1,
                "",
                "data/ is a symbolic link, not a folder of the checkout",
                "a build reads only the checkout's own data/; replace the link with the folder",
            )
        ]
    vocab_docs = load_vocabulary(root, dataset, problems)
    stand_ins: dict[str, list[PathKey]] = {}  # file → paths of missing required fields given a stand-in value
    for path in policy_files(root):
        doc = _load(root, path, problems)
        if doc is None:
            continue
        dataset.loaded[doc.display] = doc
        policy = _validate_model(doc, models.Policy, problems)
        if policy is None and isinstance(doc.data, dict):
            try:
                models.Policy.model_validate(doc.data)
            except ValidationError as exc:
                policy = salvage(doc, models.Policy, exc, stand_ins=stand_ins.setdefault(doc.display, []))
        if policy is None:
            continue
        if policy.id in dataset.policies:
            pos = doc.position(("id",))
            problems.append(
                Problem(
                    doc.display,
                    pos.line,
                    pos.column,
                    "id",
                    f"policy id '{policy.id}' is used by another file too",
                    f"also in {dataset.documents[policy.id].display}",
                )
            )
            continue
        dataset.policies[policy.id] = policy
        dataset.documents[policy.id] = doc
    resolve(dataset)
    problems.extend(p for p in checks.run_all(dataset, vocab_docs) if not _about_stand_in(p, stand_ins))
    problems = without_placeholder_echoes(problems)
    problems = sorted({p.format(): p for p in problems}.values(), key=Problem.sort_key)
    if only is not None:
        wanted = {display_path(root, Path(p)) for p in only}
        problems = [p for p in problems if p.file in wanted]
    return dataset, problems
