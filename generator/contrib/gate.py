"""The one gate every published build passes: validation plus the canonical-form check.

``validate`` and ``build`` used to disagree: ``validate`` failed files that ``build`` accepted
(a BOM, CRLF line ends, another quoting style), because only ``validate`` ran the formatter's
check. Both now call :func:`gate`, so a file is either good for both or for neither. The
canonical-form problem is still its own, clearly named message ("file is not in canonical
form — run: python -m generator fmt …"): an error in both, because canonical files keep review
diffs minimal (CONTRIBUTING.md, "Canonical form").
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.contrib import fmt
from generator.core.dataset import Dataset
from generator.core.validate import validate
from generator.diagnostics import Problem


def gate(root: Path, only: Iterable[Path] | None = None) -> tuple[Dataset, list[Problem]]:
    """Every problem that stops a build: validation, then canonical form, sorted as one list."""
    only = list(only) if only is not None else None
    dataset, problems = validate(root, only)
    return dataset, sorted(problems + fmt.format_problems(root, only), key=Problem.sort_key)
