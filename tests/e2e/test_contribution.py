"""A contribution end to end, as issue 16 describes one: a new national policy with a fraction target, a
range, a relative target and a scoped target, whose reference names a policy the atlas already holds.

The repository itself (generator, data, docs, site configuration, CONTRIBUTING.md and the data tests)
is copied to a temporary folder, the fixture policy (tests/fixtures/contribution, written for this
test, not real data) is added, and then the contributor's commands run on the copy: validate, build
without the PDF and bundle, and tests/data/test_data.py. Nothing here depends on which policies data/
ships: the reference is written from whichever policy the copy holds.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from generator.core.catalog import normal_title
from generator.core.validate import validate

PID = "fixture-national-2099-sample-plan"
COPIED = [
    "generator",
    "data",
    "docs",
    "overrides",
    "schema",
    "mkdocs.yml",
    "pyproject.toml",
    "CONTRIBUTING.md",
    "README.md",
    "tests/conftest.py",
    "tests/data/test_data.py",
]


def _run(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(root))  # the copy's generator, not this checkout's
    return subprocess.run([sys.executable, *args], cwd=root, capture_output=True, text=True, timeout=timeout, env=env)


def _copy_repository(tmp: Path) -> Path:
    root = tmp / "atlas"
    for name in COPIED:
        source, target = ROOT / name, root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    return root


def _existing_policy(root: Path):
    """A policy of the copy whose title no other policy shares: the one the new reference will name."""
    dataset, problems = validate(root)
    assert not problems, "\n".join(p.format() for p in problems)
    titles = [normal_title(p.title) for p in dataset.policies.values()]
    for pid in sorted(dataset.policies):
        if titles.count(normal_title(dataset.policies[pid].title)) == 1:
            return dataset.policies[pid]
    pytest.fail("the copied atlas has no policy with a title of its own")


@pytest.fixture(scope="module")
def contribution(tmp_path_factory):
    root = _copy_repository(tmp_path_factory.mktemp("contribution"))
    existing = _existing_policy(root)
    fixtures = FIXTURES / "contribution"
    archive = (fixtures / f"{PID}.txt").read_bytes()
    (root / "data" / "sources" / f"{PID}.txt").write_bytes(archive)
    text = (fixtures / f"{PID}.yaml").read_text(encoding="utf-8")
    text = (
        text.replace("@@SHA256@@", hashlib.sha256(archive).hexdigest())
        .replace("@@REF_TITLE@@", json.dumps(existing.title, ensure_ascii=False))  # YAML reads JSON strings
        .replace("@@REF_ISSUER@@", json.dumps("、".join(existing.issuers), ensure_ascii=False))
    )
    (root / "data" / "policies" / f"{PID}.yaml").write_text(text, encoding="utf-8")
    formatted = _run(root, "-m", "generator", "fmt", f"data/policies/{PID}.yaml")  # step 4 of CONTRIBUTING
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    return root, existing


def test_validate_passes_and_reports_the_resolved_reference(contribution):
    root, existing = contribution
    result = _run(root, "-m", "generator", "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all checks passed" in result.stdout
    infos = [line for line in result.stdout.splitlines() if line.startswith("info: ")]
    assert any(f"data/policies/{PID}.yaml" in line and f"'{existing.id}'" in line for line in infos), result.stdout
    alone = _run(root, "-m", "generator", "validate", f"data/policies/{PID}.yaml")
    assert alone.returncode == 0 and "all checks passed" in alone.stdout, alone.stdout + alone.stderr


@pytest.fixture(scope="module")
def site(contribution):
    root, _ = contribution
    result = _run(root, "-m", "generator", "build", "--no-pdf", "--no-offline", "--site-dir", "site")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root / "site"


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_the_new_policy_links_to_the_existing_one_and_back(site, contribution):
    _, existing = contribution
    mine = _page(site, f"policies/{PID}")
    item = next(li for li in mine.split("<li>") if f'href="../{existing.id}/"' in li)
    assert "未收录" not in item.split("</li>")[0]  # a link to the policy, not to a stub page
    theirs = _page(site, f"policies/{existing.id}")
    assert "被以下文件贯彻落实" in theirs
    assert f'href="../{PID}/"' in theirs.split("被以下文件贯彻落实")[1]


def test_region_and_theme_pages_show_the_forms_as_printed(site):
    region = _page(site, "regions/china")
    theme = _page(site, "themes/goals")
    for page in (region, theme):
        assert "示例实施方案（测试样例）" in page
        assert ">1/3<" in page  # the fraction as printed, not 33.3333%
        assert "提高2–3个百分点" in page
        assert "东部省份" in page
    assert "增长10%" in _page(site, "themes/training")


def test_chart_and_csv_keep_the_scope_and_the_fraction(site):
    compare = _page(site, "compare/targets")
    assert "全国（东部省份）" in compare  # the chart's label: not "全国 35%"
    assert "1/3" in compare
    csv = (site / "downloads" / "compare-targets.csv").read_text(encoding="utf-8-sig")
    line = next(row for row in csv.splitlines() if PID in row and "1/3" in row)
    assert line.endswith(",1/3,")  # value_max empty, fraction 1/3, change empty


def test_the_data_tests_pass_on_the_copy(contribution):
    root, _ = contribution
    result = _run(root, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/data/test_data.py")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
