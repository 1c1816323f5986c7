"""The contributor's guide and the repository's contributor tooling agree with the code.

CONTRIBUTING.md's key tables and annotated template are generated from the
models (``python -m generator schema`` refreshes them); the pull-request
template, the CI workflows and the pre-commit hook are checked for the
things contributors rely on.
"""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT

from generator.contrib import scaffold
from generator.core import checks, models

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_generated_blocks_are_current():
    assert scaffold.refresh_contributing(GUIDE) == GUIDE, (
        "CONTRIBUTING.md is out of date with generator/core/models.py — run: python -m generator schema"
    )


@pytest.mark.parametrize("model", [models.Policy, *models.VOCABULARY_FILES.values()], ids=lambda m: m.__name__)
def test_every_model_field_is_in_the_key_tables(model):
    for path, *_ in scaffold.field_rows(model):
        assert f"| `{path}` |" in GUIDE, f"CONTRIBUTING.md does not describe {path}"


def test_every_allowed_value_is_listed():
    for enum in (
        models.DocType,
        models.Status,
        models.Script,
        models.Unit,
        models.Comparator,
        models.AmountKind,
        models.Tier,
        models.NoteKind,
        models.Level,
    ):
        for member in enum:
            assert f"`{member.value}`" in GUIDE, f"CONTRIBUTING.md never lists {enum.__name__} {member.value}"


def test_guide_is_chinese_with_an_english_summary():
    head, _, summary = GUIDE.partition("## English summary")
    assert summary, "the English summary is missing"
    assert sum("\u4e00" <= c <= "\u9fff" for c in head) > 2000
    for topic in (
        "data/sources/<id>.txt",
        "UTF-8",
        "sha256",
        "OpenCC",
        "tw2s",
        "data/wording.yaml",
        "10万元",
        "notes",
        "make serve",
        "make validate",
        "python -m generator validate",
        "python -m generator fmt",
        "python -m generator new",
        "make test",
        "make site",
        "site-preview",
    ):
        assert topic in head, f"the guide does not explain {topic}"
    for topic in (
        "data/sources/<id>.txt",
        "UTF-8",
        "sha256",
        "tw2s",
        "data/wording.yaml",
        "10万元",
        "notes",
        "make serve",
        "python -m generator validate",
        "python -m generator fmt",
        "python -m generator new",
        "make test",
        "make site",
        "site-preview",
    ):
        assert topic in summary, f"the English summary does not mention {topic}"


def test_common_error_table_matches_real_messages():
    """Every message quoted in the guide's table is one the tools can print (from the bad-input corpus)."""
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests" / "fixtures" / "bad").glob("*.expected"))
    section = GUIDE.split("## 常见错误与改法", 1)[1].split("\n## ", 1)[0]
    quoted = re.findall(r"^\| `([^`]+)` \|", section, re.M)
    assert len(quoted) >= 15
    for message in quoted:
        pattern = re.escape(message).replace("<id>", r"[a-z0-9-]+").replace(re.escape("…"), ".*")
        assert re.search(pattern, corpus), f"the guide quotes a message no bad-input case produces: {message}"


def test_checks_named_in_the_guide_exist():
    assert {c.name for c in checks.REGISTRY}  # python -m generator checks lists them; the guide points there
    assert "python -m generator checks" in GUIDE


def test_pull_request_template_asks_for_the_source_link():
    template = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert "原文链接 Source link（必填 required）" in template
    assert template.count("- [ ]") >= 6
    assert "python -m generator validate" in template


def _workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_ci_workflow_tests_builds_and_uploads_a_preview():
    ci = _workflow("ci.yml")
    triggers = ci[True]  # PyYAML reads the key `on` as true
    assert "pull_request" in triggers and "push" in triggers
    steps = _steps(ci)
    python = [s for s in steps if s.get("uses", "").startswith("actions/setup-python@")]
    assert python and python[0]["with"]["python-version"] == "3.11"
    runs = [s.get("run", "") for s in steps]
    assert "make test" in runs and "make site" in runs
    assert runs.index("make test") < runs.index("make site")
    upload = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    # first the quick preview (no PDF), then the complete site; neither only on failure
    assert upload[0]["with"]["path"] == "site-preview/" and "if" not in upload[0]
    assert upload[1]["with"]["path"] == "site/" and "if" not in upload[1]


def test_pages_workflow_deploys_main():
    pages = _workflow("pages.yml")
    assert pages[True]["push"]["branches"] == ["main"]
    assert pages["permissions"]["pages"] == "write" and pages["permissions"]["id-token"] == "write"
    uses = [s.get("uses", "") for s in _steps(pages)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert "make site" in [s.get("run", "") for s in _steps(pages)]


def test_pre_commit_hook_validates_data():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    validate = [h for h in hooks if h["entry"] == "python -m generator validate"]
    assert validate and validate[0]["files"] == "^data/" and validate[0]["language"] == "system"
