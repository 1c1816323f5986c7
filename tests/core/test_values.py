"""Values as national documents print them (issue 16): fractions, ranges, Chinese-numeral percentages and
relative targets — read from quotes, shown as printed — and references that name a policy the atlas holds."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, run_generator

from generator.core import models
from generator.core.catalog import ReferenceIndex, normal_doc_number, normal_title, reference_matches
from generator.core.checks_values import suggest_region
from generator.core.numbers import fractions_in, numbers_in, ranges_in, states, states_fraction, states_range
from generator.core.values import target_amount, target_text
from generator.diagnostics import github_annotation


@pytest.mark.parametrize(
    "text,fraction",
    [
        ("高技能人才占技能人才的比例达到1/3", "1/3"),
        ("高技能人才占技能人才的比例达到三分之一", "1/3"),
        ("力争达到三分之二以上", "2/3"),
        ("占比达到 1 / 4", "1/4"),
    ],
)
def test_fractions_are_found_as_printed_or_in_chinese(text, fraction):
    assert states_fraction(text, fraction)


def test_a_fraction_is_not_its_decimal_and_a_percentage_is_not_a_fraction():
    assert not states("比例达到1/3", 33.3) and not states("比例达到1/3", 33.33)
    assert fractions_in("百分之三十") == set()  # a percentage: the number 30
    assert not states_fraction("2023/12", "1/3")
    assert fractions_in("2023.5/12") == set()


@pytest.mark.parametrize("text,value", [("比例达到百分之三十", 30), ("增长百分之十", 10), ("百分之三十五以上", 35)])
def test_percentages_in_chinese_numerals(text, value):
    assert states(text, value)


@pytest.mark.parametrize(
    "text,low,high",
    [
        ("在现有基础上提高2—3个百分点", 2, 3),
        ("提高2——3个百分点", 2, 3),
        ("提高2-3个百分点", 2, 3),
        ("提高2~3个百分点", 2, 3),
        ("提高两到三个百分点", 2, 3),
        ("每年培训2—3万人次", 20000, 30000),  # the 万 written once applies to both ends
        ("每年培训2万—3万人次", 20000, 30000),
        ("每年培训5千至1万人", 5000, 10000),
    ],
)
def test_ranges(text, low, high):
    assert states_range(text, low, high)


def test_a_range_needs_both_ends_together():
    assert not states_range("提高2个百分点，新增3个基地", 2, 3)
    assert (2.0, 3.0) not in ranges_in("2个和3个")
    assert numbers_in("提高2—3个百分点") == {2.0, 3.0}


def _target(**fields) -> models.Target:
    return models.Target.model_validate({"metric": "m", "unit": "percent", "quote": "……", **fields})


def test_a_fraction_gives_the_value_without_writing_it():
    target = _target(fraction="1/3")
    assert target.value == pytest.approx(100 / 3)
    assert "value" not in target.model_fields_set  # so fmt keeps the file as written: fraction only
    assert "value" not in target.model_dump(exclude_unset=True)


@pytest.mark.parametrize(
    "fields,shown",
    [
        ({"fraction": "1/3"}, "1/3"),
        ({"fraction": "1/3", "comparator": "at-least"}, "1/3以上"),
        ({"value": 35, "comparator": "about"}, "35%左右"),
        ({"value": 30, "value_max": 35}, "30–35%"),
        ({"value": 2, "value_max": 3, "unit": "percentage-points", "change": "increase"}, "提高2–3个百分点"),
        ({"value": 5, "unit": "percentage-points", "change": "increase"}, "提高5个百分点"),
        ({"value": 10, "change": "increase", "comparator": "at-least"}, "增长10%以上"),
        ({"value": 1, "unit": "percentage-points", "change": "decrease"}, "降低1个百分点"),
        ({"value": 20000, "value_max": 30000, "unit": "persons"}, "2万–3万人"),
        ({"value": 50000, "unit": "persons", "change": "increase"}, "增加5万人"),
    ],
)
def test_targets_read_as_printed(fields, shown):
    assert target_text(_target(**fields)) == shown


def test_the_amount_leaves_the_comparator_to_its_column():
    assert target_amount(_target(fraction="1/3", comparator="at-least")) == "1/3"


# --------------------------------------------------------------------------- references


def _policy(pid: str, title: str, issuers: list[str], doc_number: str | None = None, refs=()) -> models.Policy:
    return models.Policy.model_validate(
        {
            "id": pid,
            "title": title,
            "short_title": title[:10],
            "doc_type": "意见",
            "doc_number": doc_number,
            "region": "china",
            "issuers": issuers,
            "source": {"sha256": "0" * 64},
            "implements": [{"ref": r} for r in refs],
            "measures": [
                {"id": "m01", "section": "一、", "title": "t", "themes": ["goals"], "summary": "s", "quotes": ["……"]}
            ],
        }
    )


def test_normalised_numbers_and_titles():
    assert (
        normal_doc_number("豫办[2023]4 号")
        == normal_doc_number("豫办〔2023〕4号")
        == normal_doc_number("豫办（２０２３）4号")
    )
    assert normal_title("《关于加强 新时代高技能人才队伍建设的意见》") == normal_title(
        "关于加强新时代高技能人才队伍建设的意见"
    )
    assert normal_title("“技能中国行动”实施方案") == normal_title("技能中国行动实施方案")


def test_a_reference_resolves_by_number_or_by_title_and_issuer():
    opinion = _policy(
        "opinion", "关于加强新时代高技能人才队伍建设的意见", ["中共中央办公厅", "国务院办公厅"], "中办发〔2022〕58号"
    )
    by_title = _policy(
        "sichuan",
        "四川方案",
        ["四川省人社厅"],
        refs=[{"title": "《关于加强新时代高技能人才队伍建设的意见》", "issuer": "中共中央办公厅、国务院办公厅"}],
    )
    by_number = _policy(
        "henan", "河南措施", ["河南省人社厅"], refs=[{"title": "另一个标题", "doc_number": "中办发[2022]58号"}]
    )
    wrong_issuer = _policy(
        "x", "某方案", ["某厅"], refs=[{"title": "关于加强新时代高技能人才队伍建设的意见", "issuer": "河南省委办公厅"}]
    )
    wrong_number = _policy(
        "y",
        "某方案二",
        ["某厅"],
        refs=[{"title": "关于加强新时代高技能人才队伍建设的意见", "doc_number": "豫办〔2023〕4号"}],
    )
    policies = {p.id: p for p in (opinion, by_title, by_number, wrong_issuer, wrong_number)}
    matches = {m.holder: m for m in reference_matches(policies)}
    assert set(matches) == {"sichuan", "henan"}
    assert (matches["sichuan"].policy, matches["sichuan"].by) == ("opinion", "title")
    assert (matches["henan"].policy, matches["henan"].by) == ("opinion", "doc_number")


def test_a_title_two_policies_share_is_ambiguous_and_a_policy_never_names_itself():
    a = _policy("a", "实施意见", ["甲省委办公厅"])
    b = _policy("b", "实施意见", ["乙省委办公厅"], refs=[{"title": "实施意见"}])
    c = _policy("c", "实施方案", ["丙"], refs=[{"title": "实施意见"}])
    index = ReferenceIndex({p.id: p for p in (a, b, c)})
    assert index.candidates(models.ExternalRef(title="实施意见"), "c") == (("a", "b"), "title")
    assert index.candidates(models.ExternalRef(title="实施意见"), "b") == (("a",), "title")
    assert index.candidates(models.ExternalRef(title="实施意见", issuer="乙省委办公厅"), "c") == (("b",), "title")


def test_catalogue_links_a_resolved_reference_both_ways(tmp_path):
    from generator.core.catalog import Catalogue
    from generator.core.validate import validate

    dataset, problems = validate(FIXTURES / "atlas-mini")
    assert not problems
    # Stand-in for a newly added national opinion: the fixture references it by title only.
    cat = Catalogue(dataset)
    referenced = [d for d in cat.external.values() if d.cited_by]
    assert referenced, "the fixture has external references"
    doc = referenced[0]
    holder, kind = doc.cited_by[0]
    new = _policy("new-national", doc.title, [doc.issuer or "某机关"], doc.doc_number)
    dataset.policies["new-national"] = new
    cat = Catalogue(dataset)
    assert holder in (cat.implemented_by if kind == "implements" else cat.cited_by)["new-national"]
    assert all(d.title != doc.title for d in cat.external.values())  # no stub page any more


# --------------------------------------------------------------------------- small things


@pytest.mark.parametrize(
    "given,expected",
    [
        ("national", "china"),
        ("全国", "china"),
        ("China", "china"),
        ("河南", "henan"),
        ("Henan", "henan"),
        ("sichaun", "sichuan"),
    ],
)
def test_region_suggestions_by_name_and_level(given, expected):
    regions = {
        r.id: r
        for r in [
            models.Region(id="china", name="全国", name_en="China (national)", level="national", code="100000"),
            models.Region(id="henan", name="河南省", name_en="Henan", level="province", parent="china", code="410000"),
            models.Region(
                id="sichuan", name="四川省", name_en="Sichuan", level="province", parent="china", code="510000"
            ),
        ]
    }
    assert suggest_region(given, regions) == f"did you mean '{expected}'?"


def test_github_annotations_escape_the_message_and_the_properties():
    line = github_annotation(
        "error", "data/policies/a,b.yaml", 3, 5, "measures[0].targets[0].value", "50% is not stated\nnext: 100%"
    )
    assert line == (
        "::error file=data/policies/a%2Cb.yaml,line=3,col=5,title=measures[0].targets[0].value"
        "::50%25 is not stated%0Anext: 100%25"
    )


def _mini_copy(tmp_path):
    import shutil

    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "mini", root)
    return root


def test_validate_one_file_says_how_many_others_have_problems(tmp_path):
    root = _mini_copy(tmp_path)
    policy = root / "data/policies/fixture-policy.yaml"
    other = root / "data/policies/unfinished.yaml"
    other.write_text(
        policy.read_text(encoding="utf-8")
        .replace("id: fixture-policy", "id: unfinished")
        .replace("title: 新乡市", "title: TODO 新乡市"),
        encoding="utf-8",
    )
    result = run_generator("validate", "data/policies/fixture-policy.yaml", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "ok: data/policies/fixture-policy.yaml — all checks passed; but 1 other file has problems" in result.stdout
    result = run_generator("validate", "--format", "github", cwd=root)
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert errors and all("file=data/policies/unfinished.yaml,line=" in line for line in errors), result.stdout


def test_national_suggests_china_in_validate(tmp_path):
    root = _mini_copy(tmp_path)
    policy = root / "data/policies/fixture-policy.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("region: xinxiang", "region: national"), encoding="utf-8"
    )
    result = run_generator("validate", cwd=root)
    assert "unknown region 'national' — did you mean 'china'?" in result.stderr
