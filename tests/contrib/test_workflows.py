"""The GitHub workflows, linted with actionlint (pinned in the test extras, binary shipped in its wheel;
shellcheck, from scripts/system-deps.sh, checks the shell in `run:` steps), and the pull-request loop
they promise: validator messages as annotations, a site preview to download."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    assert found, "actionlint is not installed: run make env (it is pinned in pyproject.toml's test extras)"
    return found


def test_workflows_have_no_actionlint_findings():
    assert WORKFLOWS, "no workflows found"
    assert shutil.which("shellcheck"), "shellcheck is missing: run make env (scripts/system-deps.sh installs it)"
    result = subprocess.run(
        [_actionlint(), "-no-color", *map(str, WORKFLOWS)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_actionlint_does_report_a_broken_workflow(tmp_path):
    """The lint is real: a workflow with an unknown key and a shell mistake is rejected."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n"
        "  y:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo $FOO bar\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [_actionlint(), "-no-color", str(bad)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1 and "stepz" in result.stdout
    assert "SC2086" in result.stdout  # shellcheck ran on the run: script


def _steps(name: str) -> list[dict]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_pull_requests_get_annotations_and_a_preview_before_the_long_tests():
    steps = _steps("ci.yml")
    runs = [step.get("run", "") for step in steps]
    validate = next(i for i, run in enumerate(runs) if "generator validate --format github" in run)
    preview = next(i for i, run in enumerate(runs) if "build --no-pdf --no-offline --site-dir site-preview" in run)
    upload = next(
        i
        for i, step in enumerate(steps)
        if step.get("uses", "").startswith("actions/upload-artifact") and step["with"]["name"] == "site-preview"
    )
    tests = runs.index("make test")
    assert validate < preview < upload < tests
    assert steps[upload]["with"]["path"] == "site-preview/"
