"""Shared fixtures. The real site (MkDocs build, PDF, offline bundle) is built once per session.

The folders mirror the packages (core, site, contrib, mkdocs, export) plus data (fidelity of the seed
data), e2e (the built site in a real browser) and bench. Tests that run real builds (e2e, export,
mkdocs) are marked ``slow``: ``make test`` runs everything; ``make test-fast`` leaves them out while you
work. Golden files update with ``pytest --update-goldens`` (then review the diff).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = ROOT / "test-artifacts"


SLOW_FOLDERS = ("e2e", "export", "mkdocs")
# Test modules share helpers across folders (the PDF test reuses the escaping test's hostile dataset, the
# offline test the link test's rules): every test folder is importable by module name, as before the split.
for _folder in sorted(p for p in Path(__file__).resolve().parent.iterdir() if p.is_dir() and p.name != "fixtures"):
    if str(_folder) not in sys.path:
        sys.path.append(str(_folder))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite golden files and pinned messages from the current output (review the diff)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs a real build (MkDocs, PDF, browser); left out by make test-fast")
    if config.getoption("--update-goldens"):
        os.environ["UPDATE_GOLDEN"] = "1"
        os.environ["UPDATE_EXPECTED"] = "1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests = Path(__file__).resolve().parent
    for item in items:
        rel = Path(str(item.path)).resolve().relative_to(tests)
        if rel.parts and rel.parts[0] in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)


def run_generator(
    *args: str, cwd: Path = ROOT, env: dict | None = None, timeout: int = 900
) -> subprocess.CompletedProcess:
    """Run the real CLI (`python -m generator …`) as a contributor would."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env or dict(os.environ, PYTHONPATH=str(ROOT)),
    )


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
