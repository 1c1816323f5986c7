"""The formatter: one canonical form, idempotent, never changing a value, never half-writing a file."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, run_generator
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.contrib import fmt
from generator.core import models
from generator.core.load import MAX_NUMBER, LoadError, load_file, load_text

MINI = FIXTURES / "mini"
SHA = "fdeb62ec3ba6e32e924efc0479a60647d1b7cddb99e72c7774039b0882434a41"

MESSY = f"""\
# a comment at the top
source:
    sha256: '{SHA}'   # the archive's checksum
    url: "https://example.gov.cn/xinxiang/2023/0305.html"
title: '新乡市关于加强技能人才培养的若干措施（测试用样例）'
id: messy
region: xinxiang
doc_number: null
short_title: >-
  新乡市技能人才培养
  若干措施
doc_type: 若干措施
issuers:
- 新乡市人民政府
dates: {{published: '2023-03-05', signed: 2023-03-01}}
measures:
# the only measure
- quotes: ["加强职业技能培训。到2025年，全市新增高技能人才5万人，高技能人才占技能人才比例达到35%左右。"]
  themes:
    - training
  id: m01
  section: 一、
  title: 加强职业技能培训
  summary: |-
    提出目标。
  targets:
  - {{metric: high-skilled-share-of-skilled, value: 35.0, unit: percent, comparator: about,
     quote: "高技能人才占技能人才比例达到35%左右"}}
"""

CANONICAL = f"""\
# yaml-language-server: $schema=../../schema/policy.schema.json
# a comment at the top
id: messy
title: 新乡市关于加强技能人才培养的若干措施（测试用样例）
short_title: 新乡市技能人才培养 若干措施
doc_type: 若干措施
region: xinxiang
issuers: [新乡市人民政府]
dates:
  signed: 2023-03-01
  published: 2023-03-05
source:
  url: https://example.gov.cn/xinxiang/2023/0305.html
  # the archive's checksum
  sha256: {SHA}
measures:
  # the only measure
  - id: m01
    section: 一、
    title: 加强职业技能培训
    themes: [training]
    summary: 提出目标。
    quotes:
      - 加强职业技能培训。到2025年，全市新增高技能人才5万人，高技能人才占技能人才比例达到35%左右。
    targets:
      - metric: high-skilled-share-of-skilled
        value: 35
        unit: percent
        comparator: about
        quote: 高技能人才占技能人才比例达到35%左右
"""


def mini_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(MINI, root)
    return root


def canonical_of(root: Path, path: Path) -> str:
    outcome = fmt.format_file(root, path)
    assert not outcome.problems, [p.format() for p in outcome.problems]
    return outcome.canonical


def model_data(root: Path, path: Path) -> dict:
    kind = fmt.kind_of(root, path)
    return kind.model.model_validate(load_file(path).data).model_dump(mode="json", by_alias=True)


def test_messy_file_becomes_canonical(tmp_path):
    root = mini_root(tmp_path)
    path = root / "data/policies/messy.yaml"
    path.write_text(MESSY, encoding="utf-8")
    before = model_data(root, path)
    assert canonical_of(root, path) == CANONICAL
    result = run_generator("fmt", "data/policies/messy.yaml", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "formatted data/policies/messy.yaml\nok: 1 file reformatted, 0 already canonical\n"
    assert path.read_text(encoding="utf-8") == CANONICAL
    assert model_data(root, path) == before


DATA_FILES = fmt.data_files(ROOT) + fmt.data_files(MINI)


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_data_files_are_canonical_and_formatting_is_idempotent(path):
    root = ROOT if MINI not in path.parents else MINI
    text = path.read_text(encoding="utf-8")
    assert canonical_of(root, path) == text, f"run: python -m generator fmt {path.relative_to(ROOT)}"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_formatting_round_trips(tmp_path, path):
    """Undo the canonical form (block lists, quoted strings, folded text), format again: same text, same data."""
    root = ROOT if MINI not in path.parents else MINI
    import yaml

    original = load_file(path).data
    scrambled = tmp_path / "data" / path.relative_to(root / "data")
    scrambled.parent.mkdir(parents=True)
    kind = fmt.kind_of(root, path)
    scrambled.write_text(
        kind.header
        + "\n"
        + yaml.safe_dump(original, allow_unicode=True, sort_keys=True, default_flow_style=False, width=40),
        encoding="utf-8",
    )
    assert load_file(scrambled).data == original
    again = canonical_of(tmp_path, scrambled)
    comments = any(line.lstrip().startswith("#") for line in path.read_text(encoding="utf-8").split("\n")[1:])
    if not comments:  # comments do not survive yaml.safe_dump, so only files without them compare whole
        assert again == path.read_text(encoding="utf-8")
    assert load_text(again, "again").data == original


def test_check_lists_files_and_changes_nothing(tmp_path):
    root = mini_root(tmp_path)
    path = root / "data/policies/fixture-policy.yaml"
    messy = path.read_text(encoding="utf-8").replace("issuers: [新乡市人民政府]", "issuers:\n- 新乡市人民政府")
    path.write_text(messy, encoding="utf-8")
    result = run_generator("fmt", "--check", cwd=root)
    assert result.returncode == 1
    line = messy.split("\n").index("issuers:") + 1  # the problem points at the first line that changes
    assert result.stderr == (
        f"data/policies/fixture-policy.yaml:{line}:1: file is not in canonical form"
        " — run: python -m generator fmt data/policies/fixture-policy.yaml\n"
        f"    @@ -{line - 1},4 +{line - 1},3 @@\n"
        "     region: xinxiang\n"
        "    -issuers:\n"
        "    -- 新乡市人民政府\n"
        "    +issuers: [新乡市人民政府]\n"
        "     dates:\n"
        "1 of 7 files are not in canonical form — run: python -m generator fmt\n"
    )
    assert path.read_text(encoding="utf-8") == messy
    assert [p.format() for p in fmt.format_problems(root)] == [
        f"data/policies/fixture-policy.yaml:{line}:1: file is not in canonical form"
        " — run: python -m generator fmt data/policies/fixture-policy.yaml"
    ]
    result = run_generator("validate", cwd=root)
    assert result.returncode == 1 and "file is not in canonical form" in result.stderr
    assert run_generator("fmt", cwd=root).returncode == 0
    assert run_generator("fmt", "--check", cwd=root).stdout == "ok: 7 files in canonical form\n"


def test_invalid_file_is_reported_not_rewritten(tmp_path):
    root = mini_root(tmp_path)
    path = root / "data/policies/fixture-policy.yaml"
    bad = path.read_text(encoding="utf-8").replace("  signed: 2023-03-01", "  signed: 2023-02-30")
    bad = bad.replace("issuers: [新乡市人民政府]", "issuers:\n- 新乡市人民政府")
    path.write_text(bad, encoding="utf-8")
    broken = root / "data/policies/broken.yaml"
    broken.write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    result = run_generator("fmt", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.split("\n")[:2] == [
        "data/policies/broken.yaml:2:8: YAML syntax error: this [ list is never closed"
        " — close it with ']' on the same line, and separate items with ', '",
        "data/policies/fixture-policy.yaml:11:11: dates.signed: '2023-02-30' is not a valid date"
        " — write an existing date as YYYY-MM-DD, e.g. 2023-09-13",
    ]
    assert path.read_text(encoding="utf-8") == bad
    assert fmt.format_problems(root) == []  # only files that load and validate are judged on form


def test_files_with_placeholders_are_not_formatted(tmp_path):
    root = mini_root(tmp_path)
    path = root / "data/policies/fixture-policy.yaml"
    text = path.read_text(encoding="utf-8").replace("short_title: 新乡市技能人才培养若干措施", "short_title: TODO 简称")
    path.write_text("#: a guidance note\n" + text, encoding="utf-8")
    result = run_generator("fmt", cwd=root)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "data/policies/fixture-policy.yaml:5:14: short_title: still the template placeholder"
    )
    assert path.read_text(encoding="utf-8").startswith("#: a guidance note\n")


def test_comments_are_kept_and_guidance_removed(tmp_path):
    root = mini_root(tmp_path)
    path = root / "data/topics.yaml"
    path.write_text(
        """\
# yaml-language-server: $schema=../schema/topics.schema.json
# 议题 — leading block
#: guidance for a new contributor
topics:
  # 培训
  - id: training-subsidies
    theme: training   # end-of-line comment
    name: 培训补贴
    description: 按培训或取证发放的补贴。
    name_en: Training subsidies

  # 评价
  - id: new-eight-grade-system
    theme: evaluation
    name: 新八级工
    name_en: New eight-grade system
    description: |
      职业技能等级制度。
      # not a comment: part of the text
  - id: competition-prize-money
    theme: competitions
    name: 竞赛奖金
    name_en: Competition prize money
    description: 按竞赛等级和名次发放的奖金。
# trailing comment
""",
        encoding="utf-8",
    )
    expected = """\
# yaml-language-server: $schema=../schema/topics.schema.json
# 议题 — leading block
topics:
  # 培训
  - id: training-subsidies
    # end-of-line comment
    theme: training
    name: 培训补贴
    name_en: Training subsidies
    description: 按培训或取证发放的补贴。

  # 评价
  - id: new-eight-grade-system
    theme: evaluation
    name: 新八级工
    name_en: New eight-grade system
    description: "职业技能等级制度。\\n# not a comment: part of the text\\n"
  - id: competition-prize-money
    theme: competitions
    name: 竞赛奖金
    name_en: Competition prize money
    description: 按竞赛等级和名次发放的奖金。
# trailing comment
"""
    assert canonical_of(root, path) == expected
    path.write_text(expected, encoding="utf-8")
    assert canonical_of(root, path) == expected  # idempotent, comments included


def test_comment_moves_with_its_key_when_keys_are_reordered(tmp_path):
    root = mini_root(tmp_path)
    path = root / "data/metrics.yaml"
    path.write_text(
        """\
metrics:
  - unit: percent
    # the Chinese name
    name: 高技能人才占技能人才比例
    id: high-skilled-share-of-skilled
    name_en: Share
""",
        encoding="utf-8",
    )
    assert (
        canonical_of(root, path)
        == """\
# yaml-language-server: $schema=../schema/metrics.schema.json
metrics:
  - id: high-skilled-share-of-skilled
    # the Chinese name
    name: 高技能人才占技能人才比例
    name_en: Share
    unit: percent
"""
    )


def test_write_is_atomic_and_keeps_the_file_mode(tmp_path):
    root = mini_root(tmp_path)
    path = root / "data/policies/fixture-policy.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("issuers: [新乡市人民政府]", "issuers:\n- 新乡市人民政府"),
        encoding="utf-8",
    )
    os.chmod(path, 0o664)
    inode = path.stat().st_ino
    assert fmt.main(root, [path]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    assert path.stat().st_ino != inode  # replaced by a new file, not written over in place
    assert sorted(p.name for p in path.parent.iterdir()) == ["fixture-policy.yaml"]  # no temp file left


def test_unknown_paths_are_refused(tmp_path, capsys):
    root = mini_root(tmp_path)
    (root / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    assert fmt.main(root, [root / "notes.yaml", root / "data/policies/missing.yaml"]) == 1
    err = capsys.readouterr().err
    assert "notes.yaml:1:1: not a data file the formatter knows" in err
    assert "data/policies/missing.yaml:1:1: no such file" in err


def test_a_directory_means_its_data_files(tmp_path):
    root = mini_root(tmp_path)
    assert fmt._resolve(root, [root / "data" / "policies"]) == [root / "data/policies/fixture-policy.yaml"]


@pytest.mark.parametrize(
    "value, text",
    [
        ("plain text", "plain text"),
        ("新乡市", "新乡市"),
        ("yes", '"yes"'),
        ("No", '"No"'),
        ("null", '"null"'),
        ("~", '"~"'),
        ("123", '"123"'),
        ("1_000", '"1_000"'),
        ("0x1F", '"0x1F"'),
        ("1e3", "1e3"),
        ("3.5", '"3.5"'),
        (".inf", '".inf"'),
        ("2023-08-21", "2023-08-21"),
        ("2017", '"2017"'),
        ("2017-12", "2017-12"),
        ("- item", '"- item"'),
        ("a: b", '"a: b"'),
        ("a #b", '"a #b"'),
        ("#x", '"#x"'),
        ("@x", '"@x"'),
        ("`x", '"`x"'),
        ("*x", '"*x"'),
        ("&x", '"&x"'),
        ("!x", '"!x"'),
        ("%x", '"%x"'),
        ("|", '"|"'),
        (">", '">"'),
        ("[x]", '"[x]"'),
        ("{x}", '"{x}"'),
        (" lead", '" lead"'),
        ("trail ", '"trail "'),
        ("line\nbreak", '"line\\nbreak"'),
        ("", '""'),
        ('say "hi"', 'say "hi"'),
        ("it's", "it's"),
        ("“引号”", "“引号”"),
        ("a,b", "a,b"),
        (35.0, "35"),
        (26.2, "26.2"),
        (1e-07, "1.0e-07"),
        (0.5, "0.5"),
        (True, "true"),
        (100000, "100000"),
    ],
)
def test_scalars(value, text):
    assert fmt.scalar(value) == text


@pytest.mark.parametrize(
    "value, text", [("a,b", '"a,b"'), ("[x", '"[x"'), ("x]", '"x]"'), ("a{b", '"a{b"'), ("新乡市", "新乡市")]
)
def test_scalars_in_flow_lists(value, text):
    assert fmt.scalar(value, flow=True) == text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_round_trips(value):
    for flow in (False, True):
        written = fmt.scalar(value, flow=flow)
        assert "\n" not in written
        document = f"a: [{written}]\n" if flow else f"a: {written}\n"
        try:
            loaded = load_text(document, "t.yaml").data["a"]
        except LoadError as exc:  # pragma: no cover - would be a formatter bug
            raise AssertionError(f"{value!r} → {written!r}: {exc}") from None
        assert (loaded[0] if flow else loaded) == value


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=True))
def test_any_number_round_trips(value):
    """Numbers the loader accepts come back unchanged; beyond 10^15 (and infinity) the loader refuses them
    as too large (issue 17: 1.0e+30 was shown as 1000000000000000019884624838656), so they cannot
    round-trip silently wrong either."""
    text = f"a: {fmt.scalar(value)}\n"
    if abs(value) < MAX_NUMBER:
        assert float(load_text(text, "t.yaml").data["a"]) == value
    else:
        with pytest.raises(LoadError, match=r"too large|not a finite number"):
            load_text(text, "t.yaml")


def test_headers():
    assert fmt.kind_of(ROOT, ROOT / "data/policies/x.yaml").header == fmt.POLICY_HEADER
    for name in models.VOCABULARY_FILES:
        assert fmt.kind_of(ROOT, ROOT / "data" / name).header == (
            f"# yaml-language-server: $schema=../schema/{name.replace('.yaml', '')}.schema.json"
        )
        assert (ROOT / "schema" / f"{name.replace('.yaml', '')}.schema.json").exists()


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


SAMPLE = sorted({s for path in DATA_FILES for s in _strings(load_file(path).data)})
CJKISH = st.text(
    alphabet=st.sampled_from(list("技能人才，。：；、“”（）《》—…·0123456789abcXYZ -.,()/%+:#[]{}'\"!&*|>?@`~=_\t")),
    max_size=12,
)


def test_fast_path_agrees_with_pyyaml_on_the_real_data():
    assert len(SAMPLE) > 500
    for text in SAMPLE:
        for flow in (False, True):
            if text and text == text.strip() and "\n" not in text:
                assert fmt._plain_ok(text, flow) == fmt._plain_ok_by_analysis(text, flow), (text, flow)


@settings(max_examples=500, deadline=None)
@given(CJKISH)
def test_fast_path_agrees_with_pyyaml(text):
    for flow in (False, True):
        if text and text == text.strip() and "\n" not in text:
            assert fmt._plain_ok(text, flow) == fmt._plain_ok_by_analysis(text, flow), (text, flow)


def test_section_labels_get_full_width_brackets(tmp_path):
    """The one value the formatter rewrites: half-width brackets in section labels, mixed in real data."""
    root = mini_root(tmp_path)
    path = root / "data/policies/fixture-policy.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    section: 二、\n" in text
    path.write_text(text.replace("    section: 二、\n", "    section: 二、(一)1.\n", 1), encoding="utf-8")
    result = run_generator("validate", cwd=root)
    assert result.returncode == 1
    assert "    -    section: 二、(一)1.\n    +    section: 二、（一）1.\n" in result.stderr
    assert run_generator("fmt", cwd=root).returncode == 0
    assert "    section: 二、（一）1.\n" in path.read_text(encoding="utf-8")
    assert run_generator("validate", cwd=root).returncode == 0
