"""Targets in reading order (issue 15): grouped by policy, the document's headline goals before the
targets of its tasks and sub-programmes, each by deadline, undated ones last and marked; and a
theme page that links each region's detail instead of stacking it. On the real data, whatever
policies data/ holds: the oracle is computed from the catalogue, the seeds are named by id."""

from __future__ import annotations

import pytest
from conftest import ROOT

from generator.site import labels
from generator.site.pages.compare import compare_targets
from generator.site.pages.regions import region_page
from generator.site.pages.themes import theme_page
from generator.site.render import Linker
from generator.site.urls import TARGETS_SRC, region_src, theme_src
from generator.site.views import HEADLINE_TOPIC, Views, is_headline, target_deadline, target_order

HENAN_2025 = "henan-2025-skills-henan-work-plan"  # its 总体要求 (m01) states the year's headline targets


@pytest.fixture(scope="module")
def catalogue():
    from generator.core.catalog import Catalogue
    from generator.core.validate import validate

    dataset, problems = validate(ROOT)
    assert not problems, problems[:3]
    return Catalogue(dataset)


def policy_keys(catalogue) -> dict[str, tuple]:
    """The oracle of the order of policy groups: a policy with headline goals first, then by its
    earliest deadline (none: last), then the atlas's policy order."""
    keys = {}
    for i, pid in enumerate(catalogue.policy_order):
        mine = [t for t in catalogue.targets if t.ref.policy.id == pid]
        dues = [d for t in mine if (d := target_deadline(t.target)) is not None]
        keys[pid] = (not any(is_headline(t.ref) for t in mine), not dues, min(dues, default=0), i)
    return keys


def _sort_key(row: dict, rank: dict[str, tuple]) -> tuple:
    return (rank[row["policy_id"]], not row["headline"], row["due"] is None, row["due"] or 0)


def _check_order(rows: list[dict], rank: dict[str, tuple]) -> None:
    keys = [_sort_key(r, rank) for r in rows]
    assert keys == sorted(keys), [(r["policy_id"], r["headline"], r["when"]) for r in rows]
    assert all(r["when"] == labels.UNDATED for r in rows if r["undated"])


def test_target_order_groups_by_policy_then_headline_then_deadline(catalogue):
    rank = policy_keys(catalogue)
    ordered = target_order(catalogue.targets, rank.__getitem__)
    assert sorted(map(id, ordered)) == sorted(map(id, catalogue.targets))  # a reordering, nothing lost
    keys = []
    for t in ordered:
        due = target_deadline(t.target)
        keys.append((rank[t.ref.policy.id], not is_headline(t.ref), due is None, due or 0))
    assert keys == sorted(keys)


def test_headline_targets_are_those_of_a_documents_goal_section(catalogue):
    headline = {t.ref.measure.id for t in catalogue.targets if t.ref.policy.id == HENAN_2025 and is_headline(t.ref)}
    assert headline == {"m01"}  # 一、总体要求: the year's 200万人次, 65万人次, 65万人, 35%
    assert all(HEADLINE_TOPIC in t.ref.measure.topics for t in catalogue.targets if is_headline(t.ref))


@pytest.mark.parametrize("rid", ["henan", "sichuan", "xinxiang"])
def test_a_regions_page_lists_its_targets_by_policy_headline_first_by_deadline(catalogue, rid):
    v = Views(catalogue)
    ctx = region_page(catalogue, v, rid)(Linker("dir", region_src(rid)))
    groups = ctx["targets"]
    rows = [r for g in groups for part in g["parts"] for r in part["rows"]]
    assert len(rows) == len(catalogue.targets_by_region[rid])
    # one group per policy with targets, headline-setting and earliest-due policies first
    keys = policy_keys(catalogue)
    mine = {t.ref.policy.id for t in catalogue.targets_by_region[rid]}
    assert [g["id"] for g in groups] == sorted(mine, key=keys.__getitem__)
    for g in groups:
        assert [part["headline"] for part in g["parts"]] in ([True], [False], [True, False])
        assert g["count"] == sum(len(part["rows"]) for part in g["parts"])
    _check_order(rows, policy_keys(catalogue))


def test_henans_headline_2025_targets_come_first_and_undated_ones_are_marked_last(catalogue):
    v = Views(catalogue)
    groups = region_page(catalogue, v, "henan")(Linker("dir", region_src("henan")))["targets"]
    rows = [r for g in groups for part in g["parts"] for r in part["rows"]]
    plan = groups[0]
    assert plan["id"] == HENAN_2025  # the policy with headline goals leads, not 2023's undated targets
    assert plan["parts"][0]["headline"] and plan["parts"][0]["label"] == labels.HEADLINE_TARGETS
    assert {r["measure"]["section"].strip() for r in plan["parts"][0]["rows"]} == {"一、"}
    assert all(r["scope"] for r in plan["parts"][0]["rows"])  # scope kept next to the value
    for g in groups:
        flags = [r["undated"] for part in g["parts"] for r in part["rows"]]
        assert flags == sorted(flags)  # within each policy's part the undated come last
    assert any(r["undated"] for r in rows) and all(r["when"] == labels.UNDATED for r in rows if r["undated"])


def test_the_targets_comparison_cells_name_each_policy_once_in_reading_order(catalogue):
    v = Views(catalogue)
    ctx = compare_targets(catalogue, v)(Linker("dir", TARGETS_SRC))
    rank = policy_keys(catalogue)
    seen = 0
    for table in ctx["tables"]:
        for row in table["rows"]:
            for cell in row["cells"]:
                seen += len(cell)
                _check_order(cell, rank)
                labelled = [r["policy_id"] for r in cell if r["policy_label"]]
                assert labelled == list(dict.fromkeys(r["policy_id"] for r in cell))
    assert seen == len(catalogue.targets)


def test_a_theme_page_links_each_regions_detail_instead_of_stacking_it(catalogue):
    v = Views(catalogue)
    src = theme_src("training")
    ctx = theme_page(catalogue, v, "training", src)(Linker("dir", src))
    for topic in ctx["topics"]:
        for r in topic["regions"]:
            assert set(r) == {"region", "href", "count"}  # no summaries or quotes on the theme page
            assert r["href"].startswith("../../regions/") and "#coverage-" + topic["id"] in r["href"]
    for table in ctx["tables"]:
        for row in table["rows"]:
            for cell in row["cells"]:
                assert all(m["href"] for m in cell)  # every figure and label links to its measure
                labelled = [m["policy"] for m in cell if m["policy_label"]]
                assert len(labelled) == len(set(labelled))
