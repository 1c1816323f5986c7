"""The validated data in memory, and what the resolve step derives from it once.

``validate`` fills a ``Dataset``; ``resolve`` adds the archived texts and where
each quote stands in them; the checks read both and write neither; the
catalogue and the pages read the result.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.core import models
from generator.core.load import Document
from generator.core.sources import SourceText, Span


@dataclass(frozen=True)
class Archive:
    """What reading a policy's archived source found: the text, or why there is none."""

    policy_id: str
    path: Path
    state: str  # ok | unnamed | symlink | missing | too-large | mismatch | not-utf8
    digest: str = ""
    source: SourceText | None = None
    size: int = 0


@dataclass
class Dataset:
    """Everything validated, ready for the catalogue."""

    root: Path
    regions: dict[str, models.Region] = field(default_factory=dict)
    themes: dict[str, models.Theme] = field(default_factory=dict)
    topics: dict[str, models.Topic] = field(default_factory=dict)
    metrics: dict[str, models.Metric] = field(default_factory=dict)
    glossary: dict[str, models.GlossaryTerm] = field(default_factory=dict)
    wording: list[models.WordingFix] = field(default_factory=list)
    policies: dict[str, models.Policy] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)  # policy id → its YAML document
    loaded: dict[str, Document] = field(default_factory=dict)  # every policy file that loaded, valid or not
    broken: set[str] = field(default_factory=set)  # vocabulary files that failed: references to them are not checked
    # Each vocabulary file's entries in file order, duplicates included: a message about entry i must
    # point at the i-th item of the YAML list, which the id-keyed tables above cannot tell once an id repeats.
    entries: dict[str, list[Any]] = field(default_factory=dict)
    # Filled by resolve.resolve() before the checks run; read-only from then on.
    archives: dict[str, Archive] = field(default_factory=dict)
    sources: dict[str, SourceText] = field(default_factory=dict)
    spans: dict[tuple[str, str], Span] = field(default_factory=dict)  # (policy id, quote) → where it stands

    @property
    def fixes(self) -> list[tuple[str, str]]:
        return [(f.taiwan, f.mainland) for f in self.wording]

    def span(self, policy_id: str, quote: str) -> Span | None:
        return self.spans.get((policy_id, quote))

    def release_documents(self) -> None:
        """Forget the loaded YAML (text and the position of every value) once the data is valid.

        Positions exist to point at problems; pages need only the models, the sources and the
        quote spans. At 1,000 policies the documents hold ~670,000 positions and the files' text
        (about a third of generation's memory), which would otherwise stay for the whole build.
        """
        self.documents.clear()
        self.loaded.clear()


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a large, long-lived, acyclic heap is built.

    Every full collection walks all live objects, and loading and rendering an atlas creates
    millions of them (models, positions, page contexts): at 1,000 policies the collector took
    44% of validation and 20% of ``generate``. Reference counting still frees whatever is
    dropped; peak memory measured the same with and without the collector.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def jsonable(value: Any) -> Any:
    """Model values → plain JSON values (enums to their value, dates to ISO text)."""
    if isinstance(value, BaseModel):
        return {k: jsonable(v) for k, v in value.model_dump(by_alias=True).items()}
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
