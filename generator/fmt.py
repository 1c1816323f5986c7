"""Canonical formatting of data files (placeholder until the formatter lands)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from .load import Problem


def format_problems(root: Path, only: Optional[list[Path]] = None) -> list[Problem]:
    return []


def main(root: Path, paths: Optional[list[Path]], check: bool = False) -> int:
    return 0
