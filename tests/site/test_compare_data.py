"""自选对照's data, the doubt helper and the quote fold, on the real data (seeds named by id)."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from generator.site.compare_data import compare_data, compare_script
from generator.site.render import Linker
from generator.site.urls import CUSTOM_COMPARE_SRC
from generator.site.views import NEAR_IDENTICAL, Views, doubts, near_identical

DOUBTED_SEED = "proposal-153-reply-2019"


@pytest.fixture(scope="module")
def catalogue():
    from generator.core.catalog import Catalogue
    from generator.core.validate import validate

    dataset, problems = validate(ROOT)
    assert not problems, problems[:3]
    return Catalogue(dataset)


def test_doubts_name_the_region_of_seed_004_with_its_policy(catalogue):
    policy = catalogue.policies[DOUBTED_SEED]
    found = doubts(catalogue)
    assert policy.region in found and policy.short_title in found[policy.region]
    assert all(
        any(u.field.value == "region" for p in catalogue.policies.values() if p.region == rid for u in p.uncertain)
        for rid in found
    )


def test_compare_data_puts_every_measure_under_its_region_and_rows(catalogue):
    data = compare_data(catalogue, Views(catalogue), Linker("dir", CUSTOM_COMPARE_SRC), doubts(catalogue))
    rows = {t["id"]: t for t in data["topics"]}
    for rid, by_row in data["cells"].items():
        for row, items in by_row.items():
            assert row in rows
            for item in items:
                assert catalogue.policies[item["pid"]].region == rid
    seed = catalogue.policies[DOUBTED_SEED].region
    region = next(r for r in data["regions"] if r["id"] == seed)
    assert region["label"].endswith("？") and region["doubt"]
    assert region["doubt_href"].startswith(f"../../policies/{DOUBTED_SEED}/#note-")
    assert set(data["with_policies"]) == {p.region for p in catalogue.policies.values()}


def test_compare_script_is_deterministic_and_cannot_close_its_script_element(catalogue):
    def script() -> bytes:
        return compare_script(
            compare_data(catalogue, Views(catalogue), Linker("dir", CUSTOM_COMPARE_SRC), doubts(catalogue))
        )

    first = script()
    assert first == script()
    text = first.decode()
    assert text.startswith("window.ATLAS_COMPARE = ") and "<" not in text
    assert json.loads(text[len("window.ATLAS_COMPARE = ") :].rstrip().rstrip(";"))["themes"]
    hostile = compare_script({"x": "</script><script>alert(1)</script>"}).decode()
    assert "</script>" not in hostile and "\\u003c/script>" in hostile


def test_near_identical_means_the_summary_reuses_the_quotes_wording():
    quote = "对获得国家级一类大赛第一名的选手，给予5万元奖励。"
    assert near_identical("对获得国家级一类大赛第一名的选手给予5万元奖励", [quote])  # punctuation only
    assert not near_identical("明确竞赛奖励标准。", [quote])  # a real summary
    assert not near_identical("", [quote]) and not near_identical("摘要", [])
    assert 0.5 <= NEAR_IDENTICAL < 1
