"""Builds are all or nothing: a failure at any step leaves the previous site/ exactly as it was.

A real site is built once from the mini fixture; each test copies it next to a copy of the
project, breaks something, runs the real ``python -m generator build`` (or ``mkdocs build``)
and compares every file's SHA-256 before and after, and the folder around the site (no
temporary ``.site.building-*`` or ``.site.old-*`` folder may be left behind).

Failures tried: invalid data (caught by validation, before MkDocs starts), a template error
(inside the MkDocs plugin's on_config, before MkDocs cleans or writes anything), a failure after
MkDocs has written the new site (the PDF step raising), and ``mkdocs build`` run directly on bad
data. The template and PDF failures use a copy of the generator package put first on PYTHONPATH,
so the real package is never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from atlas_pipeline import generator_env, make_root, mkdocs_build, siblings, tree_hash
from conftest import ROOT


def run_build(root: Path, site: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "build", "--site-dir", str(site), *extra],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        env=env or generator_env(),
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A site built from the mini fixture, to be copied into each test's workspace."""
    root = make_root(tmp_path_factory.mktemp("first") / "project", site_files=True)
    result = run_build(root, root / "site", "--no-pdf", "--no-offline")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (root / "site" / "policies" / "north-2023-skills" / "index.html").is_file()
    return root / "site"


@pytest.fixture
def project(tmp_path, built) -> tuple[Path, Path]:
    root = make_root(tmp_path / "project", site_files=True)
    shutil.copytree(built, root / "site")
    return root, root / "site"


def broken_generator(tmp_path: Path, file: str, old: str, new: str) -> dict:
    """An environment whose `generator` package is a copy with one edit (first on PYTHONPATH)."""
    copy = tmp_path / "pythonpath"
    shutil.copytree(ROOT / "generator", copy / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    path = copy / "generator" / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return dict(generator_env(), PYTHONPATH=str(copy))


def assert_untouched(site: Path, before: dict[str, str], around: list[str]) -> None:
    assert tree_hash(site) == before, "the previous site was changed"
    assert siblings(site) == around, f"left behind next to the site: {sorted(set(siblings(site)) - set(around))}"


def test_invalid_data_leaves_the_site_untouched(project):
    root, site = project
    before, around = tree_hash(site), siblings(site)
    policy = root / "data" / "policies" / "north-2023-skills.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("region: north\n", "region: nowhere\n"), encoding="utf-8"
    )
    result = run_build(root, site, "--no-pdf", "--no-offline")
    assert result.returncode == 1
    assert "data/policies/north-2023-skills.yaml:7:9: region: unknown region 'nowhere'" in result.stderr
    assert "Nothing was built; the previous site is unchanged." in result.stderr
    assert "Traceback" not in result.stderr
    assert_untouched(site, before, around)


def test_template_error_leaves_the_site_untouched(project, tmp_path):
    root, site = project
    before, around = tree_hash(site), siblings(site)
    env = broken_generator(tmp_path, "site/templates/_base/policy.md.j2", "## 条款", "## {{ no_such_variable }}")
    result = run_build(root, site, "--no-pdf", "--no-offline", env=env)
    assert result.returncode == 1
    assert "no_such_variable" in result.stdout + result.stderr  # the error is named
    assert "mkdocs build failed; the previous site is unchanged." in result.stderr
    assert_untouched(site, before, around)


def test_pdf_failure_leaves_the_old_site(project, tmp_path):
    """A PDF fails (in the build process for the atlas, in the pool's workers for the others) after
    the staging folder has files: that folder must go, the old site stay."""
    root, site = project
    before, around = tree_hash(site), siblings(site)
    env = broken_generator(
        tmp_path,
        "export/pdf.py",
        "def typeset(",
        "def typeset(*_a, **_k):\n    raise RuntimeError('disk full')\n\n\ndef _replaced_typeset(",
    )
    result = run_build(root, site, "--no-offline", env=env)
    assert result.returncode == 1
    assert "build failed: RuntimeError: disk full; the previous site is unchanged." in result.stderr
    assert_untouched(site, before, around)


def test_mkdocs_build_with_bad_data_writes_nothing(project):
    """`mkdocs build` straight away (as `mkdocs serve` does): the plugin stops it in on_config, before MkDocs
    cleans the output folder."""
    root, site = project
    before, around = tree_hash(site), siblings(site)
    quote = root / "data" / "sources" / "south-2022-action.txt"
    quote.write_text(quote.read_text(encoding="utf-8") + "改动。\n", encoding="utf-8")  # archive no longer matches
    fresh = root / "fresh-site"
    for target in (site, fresh):
        result = mkdocs_build(root, target, "--clean")
        assert result.returncode != 0
        assert "data/policies/south-2022-action.yaml" in result.stderr and "SHA-256" in result.stderr
        assert "nothing was built" in result.stderr
    assert not fresh.exists()
    assert_untouched(site, before, around)


def test_a_good_rebuild_replaces_the_site_and_cleans_up(project):
    root, site = project
    around = siblings(site)
    old_page = site / "regions" / "south" / "index.html"
    old = old_page.read_text(encoding="utf-8")
    regions = root / "data" / "regions.yaml"
    regions.write_text(regions.read_text(encoding="utf-8").replace("name: 南方省", "name: 南方特区"), encoding="utf-8")
    result = run_build(root, site, "--no-pdf", "--no-offline")
    assert result.returncode == 0, result.stderr[-3000:]
    new = old_page.read_text(encoding="utf-8")
    assert '<h1 id="region">南方省' in old and '<h1 id="region">南方特区' in new
    assert siblings(site) == around
