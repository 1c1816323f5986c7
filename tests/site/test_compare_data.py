"""自选对照's data (an index, a file per theme), the doubt helper and the quote fold, on the real data (seeds by id)."""

from __future__ import annotations

import json
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import ROOT

from generator.site.compare_data import DATA_FILE, cells_script, compare_data, compare_files, compare_script
from generator.site.render import Linker, page_url
from generator.site.urls import CUSTOM_COMPARE_SRC, region_src
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


def data_of(catalogue, mode: str = "dir"):
    return compare_data(catalogue, Views(catalogue), Linker(mode, CUSTOM_COMPARE_SRC), doubts(catalogue))


def test_compare_data_puts_every_measure_under_its_region_and_rows(catalogue):
    index, themes = data_of(catalogue)
    rows = {t["id"]: t for t in index["topics"]}
    assert set(themes) == set(catalogue.theme_order) == {t["id"] for t in index["themes"]}
    for tid, cells in themes.items():
        for rid, by_row in cells["cells"].items():
            for row, positions in by_row.items():
                assert row in rows and rows[row]["theme"] == tid
                for i in positions:
                    policy, mid = index["policies"][cells["measures"][i][0]][0], cells["measures"][i][1]
                    assert catalogue.policies[policy].region == rid
                    assert any(m.id == mid for m in catalogue.policies[policy].measures)
    seed = catalogue.policies[DOUBTED_SEED].region
    region = next(r for r in index["regions"] if r["id"] == seed)
    assert region["label"].endswith("？") and region["doubt"]
    assert region["doubt_href"].startswith(f"../../policies/{DOUBTED_SEED}/#note-")
    assert set(index["with_policies"]) == {p.region for p in catalogue.policies.values()}


def test_a_theme_file_holds_only_that_themes_topics_and_each_measure_once(catalogue):
    index, themes = data_of(catalogue)
    theme_of = {t["id"]: t["theme"] for t in index["topics"]}
    shown = 0
    for tid, cells in themes.items():
        named = {row for by_row in cells["cells"].values() for row in by_row}
        assert {theme_of[row] for row in named} <= {tid}, tid
        positions = [i for by_row in cells["cells"].values() for row_items in by_row.values() for i in row_items]
        assert set(positions) == set(range(len(cells["measures"]))), tid  # every measure listed is shown
        keys = [(index["policies"][m[0]][0], m[1]) for m in cells["measures"]]
        assert len(keys) == len(set(keys)), tid  # a measure under several topics is written once
        wanted = {(r.policy.id, r.measure.id) for r in catalogue.measures if tid in r.measure.themes}
        assert set(keys) == wanted, tid
        shown += len(keys)
    assert shown


@pytest.mark.parametrize("mode", ["dir", "file"])
def test_links_are_rebuilt_from_the_prefixes_as_the_site_makes_them(catalogue, mode):
    """compare.js makes a link as measure_href[0] + policy id + [1] + measure id + [2]: the link every
    other page of the site gives the measure, with directory URLs and with .html files (offline)."""
    views = Views(catalogue)
    ln = Linker(mode, CUSTOM_COMPARE_SRC)
    index, themes = compare_data(catalogue, views, ln, doubts(catalogue))
    head, middle, tail = index["measure_href"]
    refs = {(r.policy.id, r.measure.id): r for r in catalogue.measures}
    checked = 0
    for cells in themes.values():
        for m in cells["measures"]:
            assert len(m) == 5, m  # no link of its own: the prefix rule holds for every seed measure
            pid = index["policies"][m[0]][0]
            assert head + pid + middle + m[1] + tail == views.measure_link(ln, refs[pid, m[1]])["href"]
            checked += 1
    assert checked
    assert (head, middle) == (("../../policies/", "/#") if mode == "dir" else ("../policies/", ".html#"))
    before, after = index["region_href"]  # a region's column head links its page the same way
    assert index["regions"] and all("href" not in r for r in index["regions"])
    assert all(before + r["id"] + after == ln.href(region_src(r["id"])) for r in index["regions"])


@pytest.mark.parametrize("mode", ["dir", "file"])
def test_every_theme_file_the_index_names_is_written_where_it_points(catalogue, mode):
    files = compare_files(catalogue, Views(catalogue), Linker(mode, CUSTOM_COMPARE_SRC), doubts(catalogue))
    index, _ = data_of(catalogue, mode)
    page = "http://site/" + page_url(CUSTOM_COMPARE_SRC, mode == "dir")
    srcs = [urlsplit(urljoin(page, t["src"])).path.removeprefix("/") for t in index["themes"]]
    assert sorted(files) == sorted([DATA_FILE, *srcs])
    for theme, src in zip(index["themes"], srcs):
        text = files[src].decode()
        assert f'window.ATLAS_COMPARE_CELLS["{theme["id"]}"] = ' in text


def test_compare_files_are_deterministic_and_cannot_close_their_script_element(catalogue):
    def build() -> dict[str, bytes]:
        return compare_files(catalogue, Views(catalogue), Linker("dir", CUSTOM_COMPARE_SRC), doubts(catalogue))

    first = build()
    assert first == build()
    assert list(first) == [DATA_FILE, *sorted(p for p in first if p != DATA_FILE)]
    text = first[DATA_FILE].decode()
    assert text.startswith("window.ATLAS_COMPARE = ") and "<" not in text
    index = json.loads(text[len("window.ATLAS_COMPARE = ") :].rstrip().rstrip(";"))
    assert index["themes"] and index["policies"] and "cells" not in index
    for path, content in first.items():
        assert b"<" not in content, path
    hostile = compare_script({"x": "</script><script>alert(1)</script>"}).decode()
    assert "</script>" not in hostile and "\\u003c/script>" in hostile
    hostile = cells_script("t", {"x": "</script>"}).decode()
    assert "</script>" not in hostile and "\\u003c/script>" in hostile


def test_near_identical_means_the_summary_reuses_the_quotes_wording():
    quote = "对获得国家级一类大赛第一名的选手，给予5万元奖励。"
    assert near_identical("对获得国家级一类大赛第一名的选手给予5万元奖励", [quote])  # punctuation only
    assert not near_identical("明确竞赛奖励标准。", [quote])  # a real summary
    assert not near_identical("", [quote]) and not near_identical("摘要", [])
    assert 0.5 <= NEAR_IDENTICAL < 1
