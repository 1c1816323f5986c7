"""Shared fixtures. The real site (MkDocs build, PDF, offline bundle) is built once per session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = ROOT / "test-artifacts"


def run_generator(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run the real CLI (`python -m generator …`) as a contributor would."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env or dict(os.environ, PYTHONPATH=str(ROOT)))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """`python -m generator build` of the real data: site, PDF and offline bundle."""
    site = tmp_path_factory.mktemp("build") / "site"
    result = run_generator("build", "--site-dir", str(site))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return site


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
