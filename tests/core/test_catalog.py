"""The catalogue's indexes and reverse links, on the mini fixture (tests/fixtures/atlas-mini).

The fixture: four policies in three regions — 北方省 (north: a 2021 policy superseded by a 2023 one),
北方市 (north-city, a prefecture of north, implementing the 2023 policy) and 南方省 (south, citing it) —
with competition prizes in every region, so side-by-side lookups, related measures and reverse
links all have something to find. The two references to the national opinion are written
differently (《…》 and a stray space) and must become one stub page.
"""

from __future__ import annotations

import pytest
from atlas_pipeline import MINI

from generator.core.catalog import Catalogue, external_slug, policy_date, policy_year
from generator.core.validate import validate


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    dataset, problems = validate(MINI)
    assert not problems, "\n".join(p.format() for p in problems)
    return Catalogue(dataset)


def keys(refs) -> list[tuple[str, str]]:
    return [r.key for r in refs]


def test_orderings(cat):
    assert cat.policy_order == ["north-2021-old", "south-2022-action", "north-2023-skills", "north-city-2024-plan"]
    assert cat.region_order == ["china", "north", "north-city", "south"]  # by GB/T 2260 code
    assert cat.theme_order == ["training", "evaluation", "competitions", "incentives", "goals"]  # file order
    assert cat.topics_by_theme["competitions"] == ["competition-prize-money"]
    assert cat.policies_by_region["north"] == ["north-2021-old", "north-2023-skills"]
    assert dict(cat.children) == {"china": ["north", "south"], "north": ["north-city"]}


def test_measures_in_policy_then_source_order(cat):
    assert keys(cat.measures) == [
        ("north-2021-old", "m01"),
        ("south-2022-action", "m01"),
        ("south-2022-action", "m02"),
        ("north-2023-skills", "m01"),
        ("north-2023-skills", "m02"),
        ("north-2023-skills", "m03"),
        ("north-2023-skills", "m04"),
        ("north-city-2024-plan", "m01"),
        ("north-city-2024-plan", "m02"),
    ]
    assert [r.index for r in cat.measures if r.policy.id == "north-2023-skills"] == [0, 1, 2, 3]


def test_by_topic_region(cat):
    prize = "competition-prize-money"
    assert keys(cat.by_topic_region[(prize, "north")]) == [("north-2021-old", "m01"), ("north-2023-skills", "m02")]
    assert keys(cat.by_topic_region[(prize, "north-city")]) == [("north-city-2024-plan", "m01")]
    assert keys(cat.by_topic_region[(prize, "south")]) == [("south-2022-action", "m01")]
    assert (prize, "china") not in cat.by_topic_region
    assert keys(cat.by_topic["pay-parity"]) == [("south-2022-action", "m02"), ("north-2023-skills", "m03")]


def test_by_theme_counts_a_measure_under_each_of_its_themes(cat):
    assert keys(cat.by_theme["incentives"]) == [
        ("south-2022-action", "m02"),
        ("north-2023-skills", "m02"),
        ("north-2023-skills", "m03"),
    ]
    assert keys(cat.by_theme_region[("incentives", "north")]) == [
        ("north-2023-skills", "m02"),
        ("north-2023-skills", "m03"),
    ]
    assert cat.regions_in_theme("competitions") == ["north", "north-city", "south"]
    assert cat.regions_in_theme("evaluation") == ["north"]
    assert cat.regions_in_theme("no-such-theme") == []


def test_targets_statistics_amounts(cat):
    assert [(t.ref.key, t.target.value) for t in cat.targets] == [(("north-2023-skills", "m01"), 35)]
    assert [(s.ref.key, s.statistic.value) for s in cat.statistics] == [(("north-2023-skills", "m04"), 1200000)]
    assert [(a.ref.policy.id, a.amount.yuan) for a in cat.amounts] == [
        ("north-2021-old", 50000),
        ("south-2022-action", 80000),
        ("north-2023-skills", 100000),
        ("north-2023-skills", 2000),
        ("north-city-2024-plan", 50000),
    ]


def test_reverse_links(cat):
    assert cat.implemented_by == {"north-2023-skills": ["north-city-2024-plan"]}
    assert cat.cited_by == {"north-2023-skills": ["south-2022-action"]}
    assert cat.superseding == {"north-2023-skills": ["north-2021-old"]}


def test_external_references_are_one_document_per_title(cat):
    """《…》 and whitespace do not make another document; details merge from every mention."""
    title = "关于加强新时代高技能人才队伍建设的意见"
    assert external_slug(title) == external_slug("《关于加强新时代 高技能人才队伍建设的意见》")
    assert external_slug(title) != external_slug(title + "（试行）")
    assert list(cat.external) == [external_slug(title)]
    doc = cat.external[external_slug(title)]
    assert doc.title == title  # the first mention, in policy order
    assert doc.issuer == "中共中央办公厅、国务院办公厅"  # from north-2023-skills
    assert doc.doc_number == "中办发〔2022〕58号"  # from north-city-2024-plan
    assert doc.url == "https://example.org/national/2022/opinion.html"
    assert doc.cited_by == [("north-2023-skills", "cites"), ("north-city-2024-plan", "cites")]


def test_related_measures_exclude_the_same_region_and_are_ordered(cat):
    ref = next(r for r in cat.measures if r.key == ("north-2023-skills", "m02"))
    related = cat.related_measures(ref)
    # north-2021-old m01 shares the topic but is in the same region (north): not a comparison.
    assert keys(related) == [("north-city-2024-plan", "m01"), ("south-2022-action", "m01")]  # by region code
    assert ref.key not in keys(related)


def test_related_measures_merge_topics_without_duplicates(cat):
    ref = next(r for r in cat.measures if r.key == ("north-2023-skills", "m03"))  # two topics
    assert keys(cat.related_measures(ref)) == [("south-2022-action", "m02")]
    city = next(r for r in cat.measures if r.key == ("north-city-2024-plan", "m01"))
    assert keys(cat.related_measures(city)) == [
        ("north-2021-old", "m01"),
        ("north-2023-skills", "m02"),
        ("south-2022-action", "m01"),
    ]


def test_related_with_a_limit_keeps_the_nearest(cat):
    """Over the limit, the same province comes first (then national, then the rest), shown in display order."""
    ref = next(r for r in cat.measures if r.key == ("south-2022-action", "m01"))
    assert keys(cat.related_measures(ref)) == [
        ("north-2021-old", "m01"),
        ("north-2023-skills", "m02"),
        ("north-city-2024-plan", "m01"),
    ]
    city = next(r for r in cat.measures if r.key == ("north-city-2024-plan", "m01"))
    chosen, more = cat.related(city, limit=1)
    assert more and keys(chosen) == [("north-2021-old", "m01")]  # same province (north) before south
    chosen, more = cat.related(city, limit=3)
    assert not more and len(chosen) == 3


def test_region_hierarchy(cat):
    assert cat.ancestors("north-city") == ["china", "north"]
    assert cat.ancestors("china") == []
    assert cat.province_of("north-city") == "north"
    assert cat.province_of("north") == "north"
    assert cat.province_of("china") == "china"
    assert cat.regions_with_policies() == ["north", "north-city", "south"]


def test_dates_and_counts(cat):
    assert str(policy_date(cat.policies["north-2023-skills"])) == "2023-05-01"  # signed before published
    assert policy_year(cat.policies["north-city-2024-plan"]) == "2024"
    assert cat.counts() == {
        "policies": 4,
        "regions": 3,
        "measures": 9,
        "targets": 1,
        "statistics": 1,
        "amounts": 5,
        "notes": 1,
        "topics": 5,
    }
