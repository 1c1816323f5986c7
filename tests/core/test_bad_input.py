"""The bad-input corpus: every mistake a contributor can make, and exactly what they are told.

``tests/fixtures/bad/<case>.yaml`` is a whole small data file that is valid except for
one mistake (its second line says which); ``tests/fixtures/bad/<case>.expected`` holds
the exact lines ``path:line:col: field: message — hint`` that
``python -m generator validate`` must print for it, nothing more.

Each case runs the real command line against a copy of the mini data root
(``tests/fixtures/mini``): a policy case is dropped into
``data/policies/<case>.yaml`` (with the mini source archived as
``data/sources/<case>.txt``); a case named ``<vocabulary>--<what>.yaml``
replaces ``data/<vocabulary>.yaml``.

After a deliberate change to a message, regenerate the expected files with
``pytest tests/core/test_bad_input.py --update-goldens`` (or ``UPDATE_EXPECTED=1``) and review the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_generator

from generator.core import models

BAD = FIXTURES / "bad"
MINI = FIXTURES / "mini"
SOURCE = MINI / "data" / "sources" / "fixture-policy.txt"
CASES = sorted(p.stem for p in BAD.glob("*.yaml"))
UPDATE = os.environ.get("UPDATE_EXPECTED") == "1"


def mini_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(MINI, root)
    return root


def place(root: Path, case: str) -> str:
    """Put the case into the data root; return its path as messages show it."""
    source = BAD / f"{case}.yaml"
    if "--" in case:
        vocabulary = case.split("--", 1)[0] + ".yaml"
        assert vocabulary in models.VOCABULARY_FILES, f"{case}: unknown vocabulary {vocabulary}"
        shutil.copyfile(source, root / "data" / vocabulary)
        return f"data/{vocabulary}"
    shutil.copyfile(source, root / "data" / "policies" / f"{case}.yaml")
    shutil.copyfile(SOURCE, root / "data" / "sources" / f"{case}.txt")
    return f"data/policies/{case}.yaml"


def problem_lines(stderr: str) -> list[str]:
    """The problem lines: everything before the blank line and the count, less the indented lines
    under a problem (the diff shown for 'file is not in canonical form')."""
    lines = stderr.split("\n")
    lines = lines[: lines.index("")] if "" in lines else lines
    return [line for line in lines if not line.startswith("    ")]


def test_corpus_is_complete():
    assert len(CASES) >= 24
    readme = (BAD / "README.md").read_text(encoding="utf-8")
    for case in CASES:
        assert (BAD / f"{case}.expected").exists() or UPDATE, f"tests/fixtures/bad/{case}.expected is missing"
        assert f"| `{case}` |" in readme, f"tests/fixtures/bad/README.md does not list {case}"
        raw = (BAD / f"{case}.yaml").read_bytes()
        assert not raw or b"# mistake: " in raw.split(b"\n", 2)[1] + raw.split(b"\n", 1)[0], (
            f"{case}.yaml does not say its mistake on line 1 or 2"
        )


def test_valid_fixture_passes(tmp_path):
    root = mini_root(tmp_path)
    result = run_generator("validate", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 1 policies, 4 measures, 3 regions")
    assert result.stderr == ""


@pytest.mark.parametrize("case", CASES)
def test_bad_input(tmp_path, case):
    root = mini_root(tmp_path)
    shown = place(root, case)
    result = run_generator("validate", cwd=root, timeout=120)  # a bound, not a benchmark: the alias bomb must not hang
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == 1, output
    lines = problem_lines(result.stderr)
    assert lines, output
    # Problems are about the bad file only: the valid fixture policy stays clean.
    assert all(line.startswith(shown + ":") for line in lines), output
    assert result.stderr.rstrip().endswith(f"{len(lines)} problem{'s' if len(lines) != 1 else ''} in 1 file."), output
    expected_file = BAD / f"{case}.expected"
    if UPDATE:
        expected_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert lines == expected


def _write_policy(root: Path, name: str, replacements: list[tuple[str, str]]) -> None:
    text = (MINI / "data" / "policies" / "fixture-policy.yaml").read_text(encoding="utf-8")
    for old, new in [("id: fixture-policy", f"id: {name}"), *replacements]:
        assert old in text, old
        text = text.replace(old, new, 1)
    (root / "data" / "policies" / f"{name}.yaml").write_text(text, encoding="utf-8")
    shutil.copyfile(SOURCE, root / "data" / "sources" / f"{name}.txt")


def test_many_mistakes_in_one_file_are_all_reported(tmp_path):
    """Every mistake of one kind comes out in one run, each at its own line and column."""
    root = mini_root(tmp_path)
    _write_policy(
        root,
        "many-checks",
        [
            ("region: xinxiang", "region: xinxang"),
            ("  published: 2023-03-05", "  published: 2023-02-05"),
            ("  url: https://example.gov.cn/xinxiang/2023/0305.html", "  url: javascript:void(0)"),
            ("    themes: [evaluation]", "    themes: [evalution]"),
            ("      - 完善技能评价制度。", "      - 完善技能考核制度。"),
            ("      - yuan: 80000", "      - yuan: 90000"),
            ("        unit: percent", "        unit: persons"),
        ],
    )
    _write_policy(
        root,
        "many-schema",
        [
            ("  signed: 2023-03-01", "  signed: 2023-02-30"),
            ("summary: 测试用的四条措施", "summry: 测试用的四条措施"),
            ("status: in-force", "status: in_force"),
            ("        value: 50000", "        value: 五万"),
            ("    title: 完善技能评价制度\n", ""),
            ("        rank: 2", "        rank: 二"),
        ],
    )
    result = run_generator("validate", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert problem_lines(result.stderr) == [
        "data/policies/many-checks.yaml:7:9: region: unknown region 'xinxang' — did you mean 'xinxiang'?",
        "data/policies/many-checks.yaml:11:14: dates.published: published date 2023-02-05 is before the signed date "
        "2023-03-01 — check both dates against the document",
        "data/policies/many-checks.yaml:14:8: source.url: 'javascript:void(0)' is not an http(s) link"
        " — write a full address starting with https:// or http://",
        "data/policies/many-checks.yaml:42:15: measures[0].targets[1].unit: unit 'persons' differs from metric "
        "'high-skilled-share-of-skilled' (percent) — convert the value to percent",
        "data/policies/many-checks.yaml:56:14: measures[1].themes[0]: unknown theme 'evalution'"
        " — did you mean 'evaluation'?",
        "data/policies/many-checks.yaml:60:9: measures[1].quotes[0]: quote not found in "
        "data/sources/many-checks.txt — the first 4 characters match; it differs at '考核制度。推行“' "
        "— copy exactly, keep damaged characters",
        "data/policies/many-checks.yaml:78:15: measures[2].amounts[1].yuan: 90000 yuan is not stated in its quote"
        " — the quote must contain this number (10万元 = 100000; 280万人 = 2800000)",
        "data/policies/many-schema.yaml:10:11: dates.signed: '2023-02-30' is not a valid date"
        " — write an existing date as YYYY-MM-DD, e.g. 2023-09-13",
        "data/policies/many-schema.yaml:12:9: status: 'in_force' is not an allowed value — did you mean 'in-force'? "
        "(allowed: in-force, expired, superseded, unknown)",
        "data/policies/many-schema.yaml:19:1: summry: unknown field 'summry' — did you mean 'summary'?",
        "data/policies/many-schema.yaml:34:16: measures[0].targets[0].value: expected a number, found text '五万'"
        " — write digits only, e.g. 100000 (convert 万 yourself: 10万 = 100000)",
        "data/policies/many-schema.yaml:53:5: measures[1].title: required field 'title' is missing"
        " — add it (简短标题 / short title)",
        "data/policies/many-schema.yaml:82:15: measures[2].amounts[1].rank: expected a whole number, found text '二'"
        " — write a whole number in digits, e.g. 1 or 2025",
    ]


def test_many_files_with_mistakes_are_all_reported(tmp_path):
    """One run reports every bad file at once, each with its own messages."""
    root = mini_root(tmp_path)
    chosen = ["unknown-theme", "yaml-syntax-error", "amount-not-in-quote", "not-utf8", "unknown-region"]
    expected = []
    for case in chosen:
        place(root, case)
        expected += (BAD / f"{case}.expected").read_text(encoding="utf-8").rstrip("\n").split("\n")
    result = run_generator("validate", cwd=root)
    assert result.returncode == 1
    assert sorted(problem_lines(result.stderr)) == sorted(expected)


def test_missing_required_fields_do_not_hide_other_problems(tmp_path):
    """Issue 17: a required field removed (title, a measure's title, an amount's quote) used to skip every
    cross-file check of the file, hiding an unknown region, an unknown theme and evidence not in the archive."""
    root = mini_root(tmp_path)
    _write_policy(
        root,
        "missing-and-more",
        [
            ("title: 新乡市关于加强技能人才培养的若干措施（测试用样例）\n", ""),
            ("region: xinxiang", "region: xinxang"),
            ("    title: 加强职业技能培训\n", ""),
            ("    themes: [evaluation]", "    themes: [evalution]"),
            ("        quote: 第二名给予8万元奖励\n", ""),
            ("    evidence: 从就业补助资金中列支□", "    evidence: 从财政资金中列支了"),
        ],
    )
    result = run_generator("validate", cwd=root)
    assert result.returncode == 1
    shown = "data/policies/missing-and-more.yaml:"
    assert [
        line
        for line in problem_lines(result.stderr)
        if not line.endswith("is not in canonical form — run: python -m generator fmt " + shown[:-1])
    ] == [
        shown
        + "2:1: title: required field 'title' is missing — add it (完整标题，不含书名号 / full title without 《》)",
        shown + "6:9: region: unknown region 'xinxang' — did you mean 'xinxiang'?",
        shown + "24:5: measures[0].title: required field 'title' is missing — add it (简短标题 / short title)",
        shown + "54:14: measures[1].themes[0]: unknown theme 'evalution' — did you mean 'evaluation'?",
        shown + "76:9: measures[2].amounts[1].quote: required field 'quote' is missing"
        " — add it (写明该金额的原文，逐字 / the words stating the amount, verbatim)",
        shown + "102:15: notes[0].evidence: quote not found in data/sources/missing-and-more.txt"
        " — the first 1 characters match; it differs at '财政资金中列支了' — copy exactly, keep damaged characters",
    ]
