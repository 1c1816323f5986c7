"""``python -m generator new``: from answers to a template that validate walks the contributor through."""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_generator

from generator.contrib import scaffold
from generator.core.validate import validate

MINI = FIXTURES / "mini"
SOURCE_TEXT = "第一条 为加强技能人才队伍建设，制定本措施。\n第二条 对获得国家级一类大赛第一名的选手给予10万元奖励。\n"


@pytest.fixture()
def root(tmp_path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(MINI, root)
    (tmp_path / "original.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    return root


def new(root: Path, *extra: str):
    return run_generator(
        "new",
        "--id",
        "henan-2024-test",
        "--title",
        "河南省测试: 若干措施",
        "--region",
        "henan",
        "--doc-type",
        "若干措施",
        "--source-file",
        str(root.parent / "original.txt"),
        *extra,
        cwd=root,
    )


def written(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in (root / "data").rglob("*") if "henan-2024" in p.name)


def test_new_writes_the_template_and_the_archive(root):
    result = new(root, "--measures", "3", "--url", "https://example.gov.cn/a.html")
    assert result.returncode == 0, result.stderr
    source = root / "data/sources/henan-2024-test.txt"
    assert source.read_bytes() == (root.parent / "original.txt").read_bytes()
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    assert result.stdout.splitlines() == [
        "wrote data/policies/henan-2024-test.yaml (3 measure stubs)",
        f"wrote data/sources/henan-2024-test.txt (copied unchanged from {root.parent / 'original.txt'}, sha256 {digest})",
        "next: replace every TODO, then run: python -m generator validate data/policies/henan-2024-test.yaml",
    ]
    text = (root / "data/policies/henan-2024-test.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/policy.schema.json\n")
    assert "\nid: henan-2024-test\n" in text
    assert '\ntitle: "河南省测试: 若干措施"\n' in text  # quoted because YAML needs it
    assert "\nregion: henan\n" in text and "\ndoc_type: 若干措施\n" in text
    assert f"\n  sha256: {digest}\n" in text and "\n  url: https://example.gov.cn/a.html\n" in text
    assert "\n  script: zh-Hans\n" in text
    assert re.findall(r"- id: (m\d+)", text) == ["m01", "m02", "m03"]


def test_validate_points_at_every_placeholder(root):
    assert new(root, "--measures", "2").returncode == 0
    result = run_generator("validate", cwd=root)
    assert result.returncode == 1
    lines = result.stderr.split("\n\n")[0].split("\n")
    assert all(line.startswith("data/policies/henan-2024-test.yaml:") for line in lines)
    assert all(": still the template placeholder — replace it" in line for line in lines), lines
    fields = [line.split(": ")[1] for line in lines]
    assert fields == [
        "short_title",
        "doc_number",
        "issuers[0]",
        "dates.signed",
        "dates.published",
        "source.url",
        "source.site",
        "summary",
        "measures[0].section",
        "measures[0].title",
        "measures[0].themes[0]",
        "measures[0].summary",
        "measures[0].quotes[0]",
        "measures[1].section",
        "measures[1].title",
        "measures[1].themes[0]",
        "measures[1].summary",
        "measures[1].quotes[0]",
    ]
    assert lines[3].endswith("dates.signed: still the template placeholder — replace it (成文日期 / date signed)")


def test_filled_in_template_validates_and_fmt_removes_the_guidance(root):
    assert new(root, "--measures", "2", "--url", "https://example.gov.cn/a.html").returncode == 0
    path = root / "data/policies/henan-2024-test.yaml"
    text = path.read_text(encoding="utf-8")
    answers = [
        ("short_title: TODO 简称", "short_title: 河南省测试措施"),
        ("doc_number: TODO 发文字号\n", ""),
        ("issuers: [TODO 发文机关]", "issuers: [河南省人力资源和社会保障厅]"),
        ("  signed: TODO 成文日期 YYYY-MM-DD", "  signed: 2024-01-02"),
        ("  published: TODO 发布日期 YYYY-MM-DD\n", ""),
        ("  site: TODO 发布网站名称\n", ""),
        ("summary: TODO 全文概要，中立的简体中文，2–4 句", "summary: 两条措施。"),
        ("section: TODO 原文编号", "section: 第一条"),
        ("section: TODO 原文编号", "section: 第二条"),
        ("title: TODO 简短标题", "title: 目的"),
        ("title: TODO 简短标题", "title: 竞赛奖励"),
        ("themes: [TODO]", "themes: [training]"),
        ("themes: [TODO]", "themes: [competitions]"),
        ("summary: TODO 中立的简体中文摘要，1–3 句", "summary: 说明目的。"),
        ("summary: TODO 中立的简体中文摘要，1–3 句", "summary: 国家级一类大赛第一名奖励10万元。"),
        ("- TODO 原文摘录", "- 为加强技能人才队伍建设，制定本措施"),
        ("- TODO 原文摘录", "- 对获得国家级一类大赛第一名的选手给予10万元奖励"),
    ]
    for old, answer in answers:
        assert old in text, old
        text = text.replace(old, answer, 1)
    path.write_text(text, encoding="utf-8")
    _, problems = validate(root)
    assert problems == []
    result = run_generator("validate", cwd=root)  # the CLI adds the format check
    assert result.returncode == 1
    assert "henan-2024-test.yaml:2:1: file is not in canonical form" in result.stderr  # line 2: the first #: note
    assert "\n    -#: " in result.stderr  # and the diff shows it going
    assert run_generator("fmt", cwd=root).returncode == 0
    assert "#:" not in path.read_text(encoding="utf-8")
    assert run_generator("validate", cwd=root).returncode == 0


@pytest.mark.parametrize(
    "options, message",
    [
        (
            ["--id", "Henan 2024"],
            "error: --id: 'Henan 2024' is not a valid policy id — use lowercase letters a-z, digits "
            "and single hyphens, e.g. henan-2024-training-subsidies (region, year, subject)",
        ),
        (["--id", "../etc/passwd"], "error: --id: '../etc/passwd' is not a valid policy id"),
        (
            ["--id", "fixture-policy"],
            "error: --id: data/policies/fixture-policy.yaml already exists — choose another id, or edit that file",
        ),
        (["--region", "henen"], "error: --region: unknown region 'henen' — did you mean 'henan'?"),
        (["--doc-type", "实施方按"], "error: --doc-type: '实施方按' is not a document type — did you mean '实施方案'?"),
        (["--url", "javascript:alert(1)"], "error: --url: 'javascript:alert(1)' is not an http(s) link"),
        (["--measures", "0"], "error: --measures: the number of measures must be between 1 and 999"),
    ],
)
def test_bad_answers_are_refused_before_anything_is_written(root, options, message):
    base = {
        "--id": "henan-2024-test",
        "--title": "河南省测试",
        "--region": "henan",
        "--doc-type": "若干措施",
        "--source-file": str(root.parent / "original.txt"),
    }
    args = []
    for key, value in {**base, **dict(zip(options[::2], options[1::2]))}.items():
        args += [key, value]
    result = run_generator("new", *args, cwd=root)
    assert result.returncode == 1
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.endswith("nothing was written.\n")
    assert written(root) == []


def test_a_region_can_be_given_by_its_chinese_name(root):
    result = run_generator(
        "new",
        "--id",
        "henan-2024-test",
        "--title",
        "测试",
        "--region",
        "河南省",
        "--doc-type",
        "通知",
        "--source-file",
        str(root.parent / "original.txt"),
        cwd=root,
    )
    assert result.returncode == 0, result.stderr
    assert "\nregion: henan\n" in (root / "data/policies/henan-2024-test.yaml").read_text(encoding="utf-8")


def test_source_must_be_utf8(root):
    gbk = root.parent / "gbk.txt"
    gbk.write_bytes(SOURCE_TEXT.encode("gb18030"))
    result = run_generator(
        "new",
        "--id",
        "henan-2024-test",
        "--title",
        "测试",
        "--region",
        "henan",
        "--doc-type",
        "通知",
        "--source-file",
        str(gbk),
        cwd=root,
    )
    assert result.returncode == 1
    assert (
        f"error: --source-file: {gbk} is not UTF-8 (byte 0) — convert it first, e.g. iconv -f GB18030 -t UTF-8"
        in result.stderr
    )
    assert written(root) == []


def test_missing_answers_without_a_terminal_are_listed(root):
    result = run_generator("new", "--id", "henan-2024-test", cwd=root)
    assert result.returncode == 1
    assert result.stderr == (
        "error: missing --title, --region, --doc-type, --source-file (stdin is not a terminal, so nothing can be "
        "asked): run python -m generator new --title … --region … --doc-type … --source-file …\n"
        "nothing was written.\n"
    )
    assert written(root) == []


def test_existing_archive_is_not_overwritten(root):
    (root / "data/sources/henan-2024-test.txt").write_text("older", encoding="utf-8")
    result = new(root)
    assert result.returncode == 1
    assert "data/sources/henan-2024-test.txt already exists" in result.stderr
    assert (root / "data/sources/henan-2024-test.txt").read_text(encoding="utf-8") == "older"
    assert not (root / "data/policies/henan-2024-test.yaml").exists()


def test_traditional_source_is_noticed(root):
    traditional = root.parent / "trad.txt"
    traditional.write_text("為加強技能人才隊伍建設，推動職業技能培訓與評價體系發展，" * 5, encoding="utf-8")
    result = run_generator(
        "new",
        "--id",
        "henan-2024-test",
        "--title",
        "测试",
        "--region",
        "henan",
        "--doc-type",
        "通知",
        "--source-file",
        str(traditional),
        cwd=root,
    )
    assert result.returncode == 0
    assert "note: the source looks like Traditional Chinese" in result.stdout
    result = run_generator(
        "new",
        "--id",
        "henan-2024-trad",
        "--title",
        "测试",
        "--region",
        "henan",
        "--doc-type",
        "通知",
        "--source-file",
        str(traditional),
        "--traditional",
        cwd=root,
    )
    assert "note:" not in result.stdout
    assert "\n  script: zh-Hant\n" in (root / "data/policies/henan-2024-trad.yaml").read_text(encoding="utf-8")


def test_interactive_questions(root, monkeypatch, capsys):
    answers = iter(
        ["henan-2024-test", "河南省测试", "henen", "henan", "若干措施", str(root.parent / "original.txt"), "", "2"]
    )
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    args = argparse.Namespace(
        root=root,
        id=None,
        title=None,
        region=None,
        doc_type=None,
        source_file=None,
        url=None,
        measures=None,
        traditional=False,
    )
    assert scaffold.main(args) == 0
    err = capsys.readouterr().err
    assert "unknown region 'henen' — did you mean 'henan'?" in err
    text = (root / "data/policies/henan-2024-test.yaml").read_text(encoding="utf-8")
    assert re.findall(r"- id: (m\d+)", text) == ["m01", "m02"]
    assert "  url: TODO 原文网址" in text


def test_measure_ids():
    assert scaffold.measure_ids(3) == ["m01", "m02", "m03"]
    assert scaffold.measure_ids(2, frozenset({"m01", "m03"})) == ["m02", "m04"]
    assert scaffold.measure_ids(100)[-1] == "m100" and scaffold.measure_ids(100)[0] == "m001"


def test_template_mentions_every_policy_key():
    text = scaffold.template(
        policy_id="x",
        title="t",
        region="henan",
        doc_type="通知",
        sha256="0" * 64,
        url=None,
        traditional=False,
        measures=1,
    )
    for path, *_ in scaffold.field_rows(scaffold.models.Policy):
        key = path.rsplit(".", 1)[-1]
        assert re.search(rf"(^|[\s{{,]){re.escape(key)}[:（]", text, re.M), f"the template never mentions {path}"
