"""Every registered check, triggered on the mini data root, with its exact message.

Each case copies ``tests/fixtures/mini`` (which validates cleanly), changes
one thing and compares the complete list of problems ``validate()`` returns.
A check that has no case here fails ``test_every_check_is_tested``.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import FIXTURES

from generator.core import (
    checks,
    checks_values,  # noqa: F401 - its checks are in the registry too
)
from generator.core.validate import validate

MINI = FIXTURES / "mini"
POLICY = "data/policies/fixture-policy.yaml"
P = POLICY + ":"


@dataclass
class Case:
    check: str
    name: str
    edits: list[tuple[str, str, str]]  # (file, old text, new text)
    expected: list[str]
    setup: Callable[[Path], None] | None = field(default=None)


def run(tmp_path: Path, case: Case) -> list[str]:
    root = tmp_path / "root"
    shutil.copytree(MINI, root)
    for file, old, new in case.edits:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{case.name}: {old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if case.setup:
        case.setup(root)
    _, problems = validate(root)
    return [p.format() for p in problems]


def rename_policy(root: Path) -> None:
    (root / POLICY).rename(root / "data/policies/renamed.yaml")
    shutil.copyfile(root / "data/sources/fixture-policy.txt", root / "data/sources/renamed.txt")


def linked_source(root: Path) -> None:
    """The archive replaced by a link to an identical file outside data/ (same SHA-256, so only the link is wrong)."""
    source = root / "data/sources/fixture-policy.txt"
    outside = root.parent / "outside.txt"
    outside.write_bytes(source.read_bytes())
    source.unlink()
    source.symlink_to(outside)


def two_policies_named_like_the_reference(root: Path) -> None:
    """Two policies with the title and issuers the fixture's external reference gives: it names both."""
    text = (root / POLICY).read_text(encoding="utf-8")
    for name in ("copy-a", "copy-b"):
        copy = (
            text.replace("id: fixture-policy", f"id: {name}", 1)
            .replace(
                "title: 新乡市关于加强技能人才培养的若干措施（测试用样例）",
                "title: 关于加强新时代高技能人才队伍建设的意见",
                1,
            )
            .replace("issuers: [新乡市人民政府]", "issuers: [中共中央办公厅, 国务院办公厅]", 1)
            .replace("doc_number: 新政〔2023〕1号\n", "", 1)
        )
        (root / f"data/policies/{name}.yaml").write_text(copy, encoding="utf-8")
        shutil.copyfile(root / "data/sources/fixture-policy.txt", root / f"data/sources/{name}.txt")


def remove_source(root: Path) -> None:
    (root / "data/sources/fixture-policy.txt").unlink()


def gbk_source(root: Path) -> None:
    raw = "第一条 技能人才".encode("gb18030")
    (root / "data/sources/fixture-policy.txt").write_bytes(raw)
    policy = root / POLICY
    text = policy.read_text(encoding="utf-8")
    policy.write_text(
        text.replace(
            "fdeb62ec3ba6e32e924efc0479a60647d1b7cddb99e72c7774039b0882434a41", hashlib.sha256(raw).hexdigest()
        ),
        encoding="utf-8",
    )


def traditional_source(root: Path) -> None:
    """A Traditional-script archive: quotes are written (and checked) in Simplified characters."""
    source = root / "data/sources/fixture-policy.txt"
    text = source.read_text(encoding="utf-8")
    text = text.replace(
        "加强职业技能培训。到2025年，全市新增高技能人才5万人", "加強職業技能培訓。到2025年，全市新增高技能人才5萬人"
    )
    text = text.replace("完善技能评价制度。", "完善技能評價制度，推動網際網路培訓。")
    source.write_text(text, encoding="utf-8")
    policy = root / POLICY
    body = policy.read_text(encoding="utf-8")
    body = body.replace("script: zh-Hans", "script: zh-Hant")
    body = body.replace(
        "fdeb62ec3ba6e32e924efc0479a60647d1b7cddb99e72c7774039b0882434a41",
        hashlib.sha256(source.read_bytes()).hexdigest(),
    )
    body = body.replace("      - 完善技能评价制度。推行", "      - 完善技能评价制度，推动互联网培训。推行")
    policy.write_text(body, encoding="utf-8")


def circular_supersession(root: Path) -> None:
    """A second policy that the fixture supersedes, and which claims to supersede the fixture: a circle."""
    policy = root / POLICY
    text = policy.read_text(encoding="utf-8").replace("status: in-force", "status: superseded")
    other = text.replace("id: fixture-policy", "id: other-policy", 1)
    policy.write_text(
        text.replace("measures:\n  - id: m01", "superseded_by: other-policy\nmeasures:\n  - id: m01"), encoding="utf-8"
    )
    (root / "data/policies/other-policy.yaml").write_text(
        other.replace("measures:\n  - id: m01", "superseded_by: fixture-policy\nmeasures:\n  - id: m01"),
        encoding="utf-8",
    )
    shutil.copyfile(root / "data/sources/fixture-policy.txt", root / "data/sources/other-policy.txt")


def huge_source(root: Path) -> None:
    (root / "data/sources/fixture-policy.txt").write_bytes("字".encode() * (checks.MAX_SOURCE_BYTES // 3 + 1))


def traditional_source_with_unused_fix(root: Path) -> None:
    traditional_source(root)
    wording = root / "data/wording.yaml"
    wording.write_text(
        wording.read_text(encoding="utf-8") + "  - from: 人工智慧\n    to: 人工智能\n    why: 台湾用语。\n",
        encoding="utf-8",
    )


CASES = [
    # ------------------------------------------------------------------ identity
    Case(
        "file-name-is-id",
        "renamed file",
        [],
        [
            "data/policies/renamed.yaml:2:5: id: id 'fixture-policy' does not match the file name 'renamed.yaml'"
            " — rename the file to fixture-policy.yaml or change the id to 'renamed'",
        ],
        setup=rename_policy,
    ),
    Case(
        "schema-header",
        "no header line",
        [(POLICY, "# yaml-language-server: $schema=../../schema/policy.schema.json\n", "")],
        [
            P + "1:1: the first line must be the schema line"
            " — put this line first: # yaml-language-server: $schema=../../schema/policy.schema.json",
        ],
    ),
    Case(
        "unique-measure-ids",
        "two m02",
        [(POLICY, "  - id: m03", "  - id: m02")],
        [
            P + "62:9: measures[2].id: duplicate measure id 'm02'"
            " — measures[1] already uses it; number measures m01, m02, … in order",
        ],
    ),
    Case(
        "no-placeholders",
        "TODO left in text and in an id list",
        [
            (POLICY, "short_title: 新乡市技能人才培养若干措施", "short_title: TODO 简称"),
            (POLICY, "    themes: [evaluation]", "    themes: [TODO]"),
        ],
        [
            P + "4:14: short_title: still the template placeholder — replace it (简称 / short title)",
            P + "56:14: measures[1].themes[0]: still the template placeholder"
            " — replace it (主题 id，至少一个，见 data/themes.yaml / theme ids, at least one)",
        ],
    ),
    # ------------------------------------------------------------------ references
    Case(
        "known-region",
        "unknown region",
        [(POLICY, "region: xinxiang", "region: kaifeng")],
        [
            P + "7:9: region: unknown region 'kaifeng' — expected one of: china, henan, xinxiang",
        ],
    ),
    Case(
        "known-themes-topics",
        "unknown theme and topic, repeats",
        [
            (
                POLICY,
                "    themes: [training]\n    summary: 提出",
                "    themes: [training, trainning]\n    summary: 提出",
            ),
            (
                POLICY,
                "    topics: [new-eight-grade-system]",
                "    topics: [new-eight-grade, new-eight-grade-system, new-eight-grade-system]",
            ),
            (POLICY, "    themes: [competitions, incentives]", "    themes: [competitions, incentives, competitions]"),
        ],
        [
            P + "28:24: measures[0].themes[1]: unknown theme 'trainning' — did you mean 'training'?",
            P
            + "57:14: measures[1].topics[0]: unknown topic 'new-eight-grade' — did you mean 'new-eight-grade-system'?",
            P + "57:55: measures[1].topics[2]: topic 'new-eight-grade-system' is listed twice — keep one",
            P + "65:40: measures[2].themes[2]: theme 'competitions' is listed twice — keep one",
        ],
    ),
    Case(
        "topic-theme-listed",
        "topic of another theme",
        [(POLICY, "    themes: [evaluation]", "    themes: [training]")],
        [
            P + "57:14: measures[1].topics[0]: topic 'new-eight-grade-system' belongs to theme 'evaluation', "
            "which the measure does not list — add 'evaluation' to measures[1].themes",
        ],
    ),
    Case(
        "known-metrics",
        "unknown metric, wrong unit",
        [
            (POLICY, "      - metric: new-high-skilled-talents", "      - metric: new-skilled-talents"),
            (POLICY, "        value: 35\n        unit: percent", "        value: 35\n        unit: persons"),
        ],
        [
            P + "33:17: measures[0].targets[0].metric: unknown metric 'new-skilled-talents'"
            " — did you mean 'new-high-skilled-talents'?",
            P + "42:15: measures[0].targets[1].unit: unit 'persons' differs from metric "
            "'high-skilled-share-of-skilled' (percent) — convert the value to percent",
        ],
    ),
    Case(
        "relations",
        "every kind of broken relation",
        [
            (
                POLICY,
                "implements:\n  - ref:\n",
                "implements:\n  - policy: fixture-policy\n  - policy: fixture-polcy\n"
                "  - {}\n  - policy: fixture-policy\n    ref:\n",
            ),
            (POLICY, "measures:\n  - id: m01", "superseded_by: fixture-policy\nmeasures:\n  - id: m01"),
            (POLICY, "    measure: m04", "    measure: m05"),
        ],
        [
            P + "12:9: status: status should be 'superseded' when superseded_by is set"
            " — write status: superseded, or remove superseded_by",
            P + "21:13: implements[0].policy: a policy cannot relate to itself",
            P + "22:13: implements[1].policy: unknown policy 'fixture-polcy' — did you mean 'fixture-policy'?",
            P + "23:5: implements[2]: give either 'policy' (an atlas id) or 'ref' (an external document)"
            " — not both, not neither",
            P + "24:5: implements[3]: give either 'policy' (an atlas id) or 'ref' (an external document)"
            " — not both, not neither",
            P + "28:16: superseded_by: a policy cannot supersede itself",
            P + "108:14: notes[0].measure: unknown measure 'm05' — did you mean 'm04'?",
        ],
    ),
    Case(
        "relations",
        "superseded_by in a circle",
        [],
        [
            P
            + "24:16: superseded_by: superseded_by goes round in a circle: fixture-policy → other-policy → fixture-policy"
            " — a policy is replaced by a later one; keep superseded_by only on the older policies",
            "data/policies/other-policy.yaml:24:16: superseded_by: superseded_by goes round in a circle: "
            "other-policy → fixture-policy → other-policy"
            " — a policy is replaced by a later one; keep superseded_by only on the older policies",
        ],
        setup=circular_supersession,
    ),
    Case(
        "date-range",
        "a date in 1900 and one in 2100",
        [
            (POLICY, "  signed: 2023-03-01", "  signed: 1900-03-01"),
            (POLICY, "  retrieved: 2024-01-10", "  retrieved: 2100-01-10"),
        ],
        [
            P + "10:11: dates.signed: the date 1900-03-01 is outside 1949–2099 — check the year against the document",
            P
            + "16:14: source.retrieved: the date 2100-01-10 is outside 1949–2099 — check the year against the document",
        ],
    ),
    Case(
        "source-archive",
        "archive too large",
        [],
        [
            P
            + f"14:3: source: data/sources/fixture-policy.txt is {(checks.MAX_SOURCE_BYTES // 3 + 1) * 3} bytes, more than"
            f" the {checks.MAX_SOURCE_BYTES} allowed — archive the policy document itself, as plain text",
        ],
        setup=huge_source,
    ),
    Case(
        "wording-fixes",
        "a fix no Traditional archive uses",
        [],
        [
            "data/wording.yaml:6:11: fixes[1].from: '人工智慧' occurs in no Traditional archive"
            " — a fix is for a word an archive really uses (after OpenCC tw2s); remove it",
        ],
        setup=traditional_source_with_unused_fix,
    ),
    Case(
        "wording-fixes",
        "a sentence, and a word tripled",
        [
            ("data/wording.yaml", "    to: 互联网\n", "    to: 互联网，即因特网\n"),
        ],
        [
            "data/wording.yaml:4:9: fixes[0].to: '互联网，即因特网' contains '，'; a term is letters only (no punctuation, "
            "digits or spaces) — a fix replaces one Taiwan-usage word with its mainland equivalent, nothing more",
        ],
    ),
    Case(
        "http-links",
        "javascript:, ftp: and a space",
        [
            (
                POLICY,
                "  url: https://example.gov.cn/xinxiang/2023/0305.html",
                "  url: javascript:alert(document.cookie)",
            ),
            (
                POLICY,
                "      issuer: 中共中央办公厅、国务院办公厅",
                "      issuer: 中共中央办公厅、国务院办公厅\n      url: ftp://example.gov.cn/a\n  - ref:\n      title: 另一文件\n"
                "      url: https://example.gov.cn/a b",
            ),
        ],
        [
            P + "14:8: source.url: 'javascript:alert(document.cookie)' is not an http(s) link"
            " — write a full address starting with https:// or http://",
            P + "24:12: implements[0].ref.url: 'ftp://example.gov.cn/a' is not an http(s) link"
            " — write a full address starting with https:// or http://",
            P + "27:12: implements[1].ref.url: 'https://example.gov.cn/a b' is not an http(s) link"
            " — write a full address starting with https:// or http://",
        ],
    ),
    Case(
        "http-links",
        "a user name before the host; links in source.urls, calls_for and note evidence",
        [
            (
                POLICY,
                "  url: https://example.gov.cn/xinxiang/2023/0305.html\n  site: 新乡市人民政府网\n  retrieved: 2024-01-10\n",
                "  urls:\n    - url: https://example.gov.cn@evil.example/0305.html\n      role: official\n"
                "      retrieved: 2024-01-10\n    - url: data:text/html,x\n      role: other\n      retrieved: 2024-01-10\n",
            ),
            (
                POLICY,
                "measures:\n  - id: m01",
                "calls_for:\n  - ref:\n      title: 待编制的规划\n"
                "      url: javascript:void(0)\nmeasures:\n  - id: m01",
            ),
            (
                POLICY,
                "    evidence: 从就业补助资金中列支□",
                "    evidence: 从就业补助资金中列支□\n    urls:\n      - url: https://user:secret@example.org/page\n"
                "        title: 佐证网页\n        retrieved: 2024-01-10",
            ),
        ],
        [
            P + "15:12: source.urls[0].url: 'https://example.gov.cn@evil.example/0305.html' holds a user name or"
            " password before '@' — remove the part up to '@': links name only the site and the page",
            P + "18:12: source.urls[1].url: 'data:text/html,x' is not an http(s) link"
            " — write a full address starting with https:// or http://",
            P + "31:12: calls_for[0].ref.url: 'javascript:void(0)' is not an http(s) link"
            " — write a full address starting with https:// or http://",
            P + "115:14: notes[0].urls[0].url: 'https://user:secret@example.org/page' holds a user name or password"
            " before '@' — remove the part up to '@': links name only the site and the page",
        ],
    ),
    Case(
        "reserved-ids",
        "a region named like a Windows device, a theme that would replace themes/index.md",
        [
            (
                "data/regions.yaml",
                '    code: "410700"',
                '    code: "410700"\n  - id: nul\n    name: 测试省\n    name_en: Test\n    level: province\n    parent: china\n'
                '    code: "990000"',
            ),
            (
                "data/themes.yaml",
                "    description: 待遇与奖励。",
                "    description: 待遇与奖励。\n  - id: index\n    name: 索引\n    name_en: Index\n    description: 测试。",
            ),
        ],
        [
            "data/regions.yaml:21:9: regions[3].id: the region id 'nul' is a reserved device name on Windows,"
            " where its page could not be saved — choose another id",
            "data/themes.yaml:23:9: themes[4].id: the theme id 'index' is reserved: its page would replace"
            " themes/index.md — choose another id",
        ],
    ),
    Case(
        "no-symlinks",
        "the archive is a link to a file outside data/",
        [],
        [
            "data/sources/fixture-policy.txt:1:1: is a symbolic link or special file, not an ordinary file"
            " — data files must be ordinary files inside data/; replace the link with the file itself",
        ],
        setup=linked_source,
    ),
    Case(
        "plain-text",
        "a control character",
        [(POLICY, "short_title: 新乡市技能人才培养若干措施", 'short_title: "新乡市\\x07技能人才"')],
        [
            P + "4:14: short_title: contains the invisible control character U+0007"
            " — remove it; in double-quoted YAML, escapes such as \\x00 or \\r produce such characters",
        ],
    ),
    # ------------------------------------------------------------------ dates
    Case(
        "date-order",
        "published before signed, retrieved too early, deadline outside its period",
        [
            (
                POLICY,
                "  published: 2023-03-05",
                "  published: 2023-02-05\n  effective: 2023-03-01\n  expiry: 2023-01-01",
            ),
            (POLICY, "  retrieved: 2024-01-10", "  retrieved: 2022-01-10"),
            (
                POLICY,
                "        deadline: 2025\n        period: 十四五",
                "        deadline: 2026\n        period: 十四五",
            ),
        ],
        [
            P + "11:14: dates.published: published date 2023-02-05 is before the signed date 2023-03-01"
            " — check both dates against the document",
            P + "13:11: dates.expiry: expiry date 2023-01-01 is before the effective date 2023-03-01"
            " — check both dates against the document",
            P + "13:11: dates.expiry: expiry date 2023-01-01 is before the published date 2023-02-05"
            " — check both dates against the document",
            P + "13:11: dates.expiry: expiry date 2023-01-01 is before the signed date 2023-03-01"
            " — check both dates against the document",
            P + "18:14: source.retrieved: retrieved 2022-01-10 is before the document's date 2023-02-05",
            P + "38:19: measures[0].targets[0].deadline: deadline 2026 is outside the period 十四五 (2021–2025)"
            " — check the year and the period against the quote; give only one if unsure",
        ],
    ),
    Case(
        "date-order",
        "an address found before the document existed",
        [
            (
                POLICY,
                "  url: https://example.gov.cn/xinxiang/2023/0305.html\n  site: 新乡市人民政府网\n  retrieved: 2024-01-10\n",
                "  urls:\n    - url: https://example.gov.cn/xinxiang/2023/0305.html\n      role: official\n"
                "      retrieved: 2022-12-31\n",
            ),
        ],
        [
            P + "17:18: source.urls[0].retrieved: retrieved 2022-12-31 is before the document's date 2023-03-05",
        ],
    ),
    # ------------------------------------------------------------------ sources, quotes, numbers
    Case(
        "source-archive",
        "archive missing",
        [],
        [
            P + "14:3: source: the archived source data/sources/fixture-policy.txt is missing"
            " — save the original text there, unchanged, as UTF-8",
        ],
        setup=remove_source,
    ),
    Case(
        "source-archive",
        "archive changed",
        [(POLICY, "sha256: fdeb62ec", "sha256: 0deb62ec")],
        [
            P + "18:11: source.sha256: the archived source does not match its SHA-256 — the file's SHA-256 is "
            "fdeb62ec3ba6e32e924efc0479a60647d1b7cddb99e72c7774039b0882434a41; archives are never edited"
            " — if the file was replaced on purpose, update source.sha256",
        ],
    ),
    Case(
        "source-archive",
        "archive not UTF-8",
        [],
        [
            P + "14:3: source: data/sources/fixture-policy.txt is not UTF-8 — save it as UTF-8",
        ],
        setup=gbk_source,
    ),
    Case(
        "quote-in-source",
        "a changed quote and a changed note",
        [
            (POLICY, "      - 完善技能评价制度。", "      - 完善技能考核制度。"),
            (POLICY, "    evidence: 从就业补助资金中列支□", "    evidence: 从就业补助资金中列支"),
            (
                POLICY,
                "        quote: 第二名给予8万元奖励",
                "        quote: 第二名 给予\n          8万元奖励",
            ),  # whitespace is fine
        ],
        [
            P + "60:9: measures[1].quotes[0]: quote not found in data/sources/fixture-policy.txt"
            " — the first 4 characters match; it differs at '考核制度。推行“' — copy exactly, keep damaged characters",
        ],
    ),
    Case(
        "quote-in-source",
        "note evidence not in the source",
        [
            (POLICY, "    evidence: 从就业补助资金中列支□", "    evidence: 从财政资金中列支"),
        ],
        [
            P + "105:15: notes[0].evidence: quote not found in data/sources/fixture-policy.txt"
            " — the first 1 characters match; it differs at '财政资金中列支' — copy exactly, keep damaged characters",
        ],
    ),
    Case(
        "quote-in-source",
        "Traditional archive, quoted in Simplified",
        [
            (
                POLICY,
                "      - 对获得国家级一类大赛第一名的选手给予10万元奖励，第二名给予8万元奖励",
                "      - 對獲得國家級一類大賽第一名的選手給予10萬元獎勵",
            ),
        ],
        [
            P + "69:9: measures[2].quotes[0]: quote not found in data/sources/fixture-policy.txt after conversion to "
            "Simplified (OpenCC tw2s + data/wording.yaml) — copy the text from the archive exactly (whitespace may "
            "differ, nothing else)",
        ],
        setup=traditional_source,
    ),
    Case(
        "numbers-in-quotes",
        "values that their quotes do not state",
        [
            (POLICY, "        value: 50000", "        value: 500000"),
            (POLICY, "        value: 120000", "        value: 130000"),
            (POLICY, "      - yuan: 2000", "      - yuan: 20000"),
        ],
        [
            P + "34:16: measures[0].targets[0].value: 500000 persons is not stated in its quote"
            " — the quote must contain this number (10万元 = 100000; 280万人 = 2800000)",
            P + "48:16: measures[0].statistics[0].value: 130000 person-times is not stated in its quote"
            " — the quote must contain this number (10万元 = 100000; 280万人 = 2800000)",
            P + "94:15: measures[3].amounts[0].yuan: 20000 yuan is not stated in its quote"
            " — the quote must contain this number (10万元 = 100000; 280万人 = 2800000)",
        ],
    ),
    Case(
        "numbers-in-quotes",
        "a credit whose share its quote does not state",
        [
            (
                POLICY,
                "        quote: 对取得高级工证书的人员给予最高2000元补贴\n",
                "        quote: 对取得高级工证书的人员给予最高2000元补贴\n    credits:\n      - kind: fee-credit\n"
                "        percent: 30\n        base: 投资额\n        against: 教育费附加\n        beneficiary: 企业\n"
                "        quote: 高技能人才占技能人才比例达到35%左右\n",
            ),
        ],
        [
            P + "103:18: measures[3].credits[0].percent: 30 percent is not stated in its quote"
            " — the quote must contain this number (10万元 = 100000; 280万人 = 2800000)",
        ],
    ),
    Case(
        "amount-fields",
        "tier and rank on a subsidy",
        [
            (POLICY, "        up_to: true", "        up_to: true\n        tier: city\n        rank: 1"),
        ],
        [
            P + "99:15: measures[3].amounts[0].tier: 'tier' is only for competition prizes (kind: prize)"
            " — remove it, or set kind: prize",
            P + "100:15: measures[3].amounts[0].rank: 'rank' is only for competition prizes (kind: prize)"
            " — remove it, or set kind: prize",
        ],
    ),
    # ------------------------------------------------------------------ restatements, issuers, doubts
    Case(
        "restates",
        "itself, another metric, a restatement of a restatement",
        [
            (
                POLICY,
                "        quote: 高技能人才占技能人才比例达到35%左右\n",
                "        quote: 高技能人才占技能人才比例达到35%左右\n        restates: m01/1\n"
                "      - metric: new-high-skilled-talents\n        value: 50000\n        unit: persons\n"
                "        quote: 全市新增高技能人才5万人\n        restates: m01/1\n"
                "      - metric: new-high-skilled-talents\n        value: 50000\n        unit: persons\n"
                "        quote: 全市新增高技能人才5万人\n        restates: m01/3\n"
                "      - metric: new-high-skilled-talents\n        value: 50000\n        unit: persons\n"
                "        quote: 全市新增高技能人才5万人\n        restates: m01/5\n",
            ),
        ],
        [
            P + "46:19: measures[0].targets[1].restates: restates 'm01/1', which is new-high-skilled-talents 50000 "
            "persons, not high-skilled-share-of-skilled 35 percent"
            " — a restatement has the same metric, value and unit; otherwise remove restates",
            P + "56:19: measures[0].targets[3].restates: restates 'm01/3', which restates 'm01/1' itself"
            " — point at the original: restates: m01/1",
            P + "61:19: measures[0].targets[4].restates: a target cannot restate itself",
        ],
    ),
    Case(
        "restates",
        "no such measure, no such target",
        [
            (
                POLICY,
                "        scope: 全市\n        quote: 全市新增高技能人才5万人\n",
                "        scope: 全市\n        quote: 全市新增高技能人才5万人\n        restates: m09/1\n",
            ),
            (
                POLICY,
                "        quote: 高技能人才占技能人才比例达到35%左右\n",
                "        quote: 高技能人才占技能人才比例达到35%左右\n        restates: m01/3\n",
            ),
        ],
        [
            P + "40:19: measures[0].targets[0].restates: restates 'm09/1': there is no measure 'm09' in this policy"
            " — write <measure id>/<target number, from 1>, e.g. m07/1",
            P + "47:19: measures[0].targets[1].restates: restates 'm01/3': measure 'm01' has 2 target(s), not 3"
            " — write <measure id>/<target number, from 1>, e.g. m07/1",
        ],
    ),
    Case(
        "issuers",
        "no issuer at all",
        [(POLICY, "issuers: [新乡市人民政府]", "issuers: []")],
        [
            P + "8:10: issuers: no issuer is given — write issuers as printed; if the text prints none, write "
            "issuers_inferred and an uncertain entry for issuers pointing at the note with the evidence",
        ],
    ),
    Case(
        "issuers",
        "inferred issuers without the flag",
        [
            (POLICY, "issuers: [新乡市人民政府]", "issuers: []\nissuers_inferred: [新乡市人民政府办公室]"),
        ],
        [
            P + "9:19: issuers_inferred: inferred issuers need an uncertain entry for issuers"
            " — add uncertain: [{field: issuers, note: <id of the note with the evidence>}]",
        ],
    ),
    Case(
        "uncertain-notes",
        "a field flagged twice, a missing note, a duplicate note id",
        [
            (
                POLICY,
                "issuers: [新乡市人民政府]",
                "issuers: [新乡市人民政府]\nuncertain:\n  - field: region\n    note: region-note\n"
                "  - field: region\n    note: regoin-note",
            ),
            (
                POLICY,
                "notes:\n  - kind: damaged-text",
                "notes:\n  - id: region-note\n    kind: other\n    note: 测试。\n    evidence: 新乡市人民政府\n"
                "  - id: region-note\n    kind: damaged-text",
            ),
        ],
        [
            P + "12:12: uncertain[1].field: 'region' is flagged twice — keep one",
            P + "13:11: uncertain[1].note: no note has the id 'regoin-note' — did you mean 'region-note'?",
            P + "111:9: notes[1].id: duplicate note id 'region-note' — notes[0] already uses it",
        ],
    ),
    Case(
        "uncertain-notes",
        "a flag pointing at no note",
        [
            (
                POLICY,
                "issuers: [新乡市人民政府]",
                "issuers: [新乡市人民政府]\nuncertain:\n  - field: dates\n    note: date-note",
            ),
        ],
        [
            P + "11:11: uncertain[0].note: no note has the id 'date-note'"
            " — give the note with the evidence an id, e.g. id: region-evidence",
        ],
    ),
    Case(
        "source-urls",
        "both the list and the legacy address",
        [
            (
                POLICY,
                "  retrieved: 2024-01-10\n",
                "  retrieved: 2024-01-10\n  urls:\n    - url: https://example.gov.cn/official.html\n      role: official\n"
                "      retrieved: 2024-01-10\n",
            ),
        ],
        [
            P + "14:8: source.url: give the address in source.urls, not also in source.url"
            " — move it into urls with a role (official, reprint-archived or other) and a date",
        ],
    ),
    # ------------------------------------------------------------------ vocabularies
    Case(
        "vocabulary-references",
        "unknown parent, theme and topic; a term twice",
        [
            ("data/regions.yaml", "    parent: henan", "    parent: henna"),
            ("data/topics.yaml", "    theme: evaluation", "    theme: evaluations"),
            ("data/glossary.yaml", "    topics: [new-eight-grade-system]", "    topics: [eight-grade]"),
            ("data/glossary.yaml", "    aliases: [高技能人员]", "    aliases: [高技能人员, 新八级工]"),
        ],
        [
            "data/glossary.yaml:7:14: terms[0].topics[0]: unknown topic 'eight-grade' — did you mean 'new-eight-grade-system'?",
            "data/glossary.yaml:8:5: terms[1]: '新八级工' is also a term or alias of 'new-eight-grade-system'"
            " — a word may explain only one entry",
            "data/regions.yaml:19:13: regions[2].parent: unknown region 'henna' — did you mean 'henan'?",
            "data/topics.yaml:9:12: topics[1].theme: unknown theme 'evaluations' — did you mean 'evaluation'?",
        ],
    ),
    Case(
        "vocabulary-references",
        "after a duplicated id, the next entry's line does not drift",
        [
            (
                "data/regions.yaml",
                "  - id: xinxiang\n",
                "  - id: henan\n    name: 河南省\n    name_en: Henan\n"
                '    level: province\n    parent: china\n    code: "410000"\n  - id: xinxiang\n',
            ),
            ("data/regions.yaml", '    parent: henan\n    code: "410700"', '    parent: nowhere\n    code: "410700"'),
        ],
        [
            "data/regions.yaml:15:9: regions[2].id: duplicate id 'henan' — every id must be unique in the file",
            "data/regions.yaml:25:13: regions[3].parent: unknown region 'nowhere' — expected one of: china, henan, xinxiang",
        ],
    ),
    Case(
        "region-levels",
        "a city above its province, a province without parent",
        [
            ("data/regions.yaml", "    level: province\n    parent: china", "    level: county\n    parent: china"),
            (
                "data/regions.yaml",
                "  - id: xinxiang\n    name: 新乡市\n    name_en: Xinxiang\n    level: prefecture\n    parent: henan\n",
                "  - id: xinxiang\n    name: 新乡市\n    name_en: Xinxiang\n    level: prefecture\n",
            ),
        ],
        [
            "data/regions.yaml:15:5: regions[2]: region 'xinxiang' needs a parent — provinces have parent 'china', cities their province",
        ],
    ),
    Case(
        "region-levels",
        "parent not one level up",
        [
            ("data/regions.yaml", "    level: prefecture\n    parent: henan", "    level: province\n    parent: henan"),
        ],
        [
            "data/regions.yaml:19:13: regions[2].parent: parent 'henan' (province) is not above 'xinxiang' (province)",
        ],
    ),
    Case(
        "value-form",
        "a fraction with a value and a count unit; a range upside down; points without a change",
        [
            (
                POLICY,
                "        value: 35\n        unit: percent",
                "        value: 35\n        value_max: 30\n        unit: percentage-points",
            ),
            (
                POLICY,
                "        value: 50000\n        unit: persons",
                "        value: 50000\n        fraction: 1/3\n        unit: persons",
            ),
        ],
        [
            P + "34:16: measures[0].targets[0].value: write either value or fraction, not both"
            " — remove value: the atlas derives it from fraction 1/3",
            P + "35:19: measures[0].targets[0].fraction: the fraction 1/3 is not stated in its quote"
            " — the quote must contain 1/3, or the same in Chinese numerals (三分之一 is 1/3)",
            P + "36:15: measures[0].targets[0].unit: a fraction is a share: its unit is percent"
            " — write unit: percent (1/3 is shown as printed, and charted as 33.3%)",
            P + "42:16: measures[0].targets[1].value: the range 35–30个百分点 is not stated in its quote"
            " — the quote must contain both ends as one range, e.g. 2—3个百分点, 2-3万人 or 两到三",
            P + "43:20: measures[0].targets[1].value_max: value_max 30 is not above value 35"
            " — value is the lower end of the range, value_max the upper end",
            P + "44:15: measures[0].targets[1].unit: percentage points measure a change"
            " — add change: increase (提高…个百分点) or change: decrease, or use unit: percent",
            P + "44:15: measures[0].targets[1].unit: unit 'percentage-points' differs from metric"
            " 'high-skilled-share-of-skilled' (percent) — convert the value to percent",
        ],
    ),
    Case(
        "value-form",
        "neither value nor fraction",
        [(POLICY, "        value: 50000\n", "")],
        [
            P + "33:9: measures[0].targets[0]: the target has no value"
            " — write value: (a number), or fraction: 1/3 when the text prints a fraction",
        ],
    ),
    Case(
        "references-resolve",
        "a reference whose title and issuer two policies share",
        [],
        [
            P
            + "22:7: implements[0].ref: this reference matches 2 policies by title: 'copy-a' (关于加强新时代高技能人才队伍建设的意见),"
            " 'copy-b' (关于加强新时代高技能人才队伍建设的意见) — add the document number (doc_number) or issuer to the"
            " reference, or write policy: <id> instead of ref:",
        ],
        setup=two_policies_named_like_the_reference,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.check}: {c.name}" for c in CASES])
def test_check_message(tmp_path, case):
    assert run(tmp_path, case) == case.expected


def test_fixture_root_is_clean():
    _, problems = validate(MINI)
    assert [p.format() for p in problems] == []


def test_every_check_is_tested():
    tested = {case.check for case in CASES}
    registered = {c.name for c in checks.REGISTRY}
    assert registered <= tested, f"checks without a test in tests/test_checks.py: {sorted(registered - tested)}"
    assert tested <= registered, f"tests for checks that do not exist: {sorted(tested - registered)}"


def test_every_check_describes_itself():
    for registered in checks.REGISTRY:
        assert registered.description and registered.name == registered.name.lower()


def test_duplicate_vocabulary_ids(tmp_path):
    case = Case("-", "duplicate theme id", [("data/themes.yaml", "  - id: incentives", "  - id: training")], [])
    problems = run(tmp_path, case)
    assert problems == [  # the second 'training' replaced 'incentives', which the fixture policy still uses
        P
        + "65:28: measures[2].themes[1]: unknown theme 'incentives' — expected one of: competitions, evaluation, training",
        "data/themes.yaml:18:9: themes[3].id: duplicate id 'training' — every id must be unique in the file",
    ]


def test_placeholders_silence_the_schema_message_about_the_same_value(tmp_path):
    """A TODO date is reported once, as a placeholder — not also as an invalid date."""
    case = Case("-", "TODO date", [(POLICY, "  signed: 2023-03-01", "  signed: TODO 成文日期")], [])
    assert run(tmp_path, case) == [
        P + "10:11: dates.signed: still the template placeholder — replace it (成文日期 / date signed)"
    ]


def test_references_to_a_broken_vocabulary_are_not_reported(tmp_path):
    """When metrics.yaml itself is invalid, its problem is reported once, not at every use of a metric."""
    case = Case("-", "broken metrics", [("data/metrics.yaml", "    unit: persons", "    unit: people")], [])
    assert run(tmp_path, case) == [
        "data/metrics.yaml:10:11: metrics[1].unit: 'people' is not an allowed value"
        " — expected one of: count, percent, percentage-points, person-times, persons, yuan",
    ]
