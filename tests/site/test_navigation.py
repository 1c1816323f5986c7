"""Navigation that leads somewhere (issue 15), in the site layer: the 地区 section nests regions by
province and lists only regions with policies (or with descendants that have them); it stays small at
national scale; every policy (and its archived source) names the navigation entry it belongs to;
previous/next walk a region's policies in date order; the policy list is newest first, with filter
options for the regions, themes and years it shows, and loads its script as a file.

On the mini fixture (tests/fixtures/atlas-mini: 全国 without policies; 北方省 with two, its city 北方市
with one; 南方省 with one), and at scale on the benchmark's synthetic region tree (bench/synth.py).
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from atlas_pipeline import make_root

from generator.core import models
from generator.site import labels
from generator.site.generate import generate
from generator.site.pages import NavLink, NavSection, book_parts, policies, regions, site_nav
from generator.site.urls import POLICIES_SRC, POLICY_LIST_JS, policy_src, region_src, source_src

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate(make_root(tmp_path_factory.mktemp("nav") / "project"))


def regions_entry(cat) -> NavSection:
    entry = next(e for e in site_nav(cat, lambda src: True) if e.title == labels.REGIONS)
    assert isinstance(entry, NavSection)
    return entry


def shape(entries) -> list:
    """A nav as (title, src) for a link, (title, index, [entries]) for a section."""
    return [(e.title, e.src) if isinstance(e, NavLink) else (e.title, e.index, shape(e.links)) for e in entries]


def test_regions_nest_by_province_and_only_regions_with_policies_are_listed(generated):
    cat = generated.catalogue
    assert not cat.policies_by_region.get("china"), "the fixture's national level has no policy"
    assert shape(regions_entry(cat).links) == [
        ("北方省", region_src("north"), [("北方市", region_src("north-city"))]),
        ("南方省", region_src("south")),
    ]


def test_a_province_without_policies_of_its_own_is_listed_for_its_city_and_the_national_level_for_its_own(tmp_path):
    """A province listed only because a city below it has a policy; 全国 appears (beside the provinces,
    not above them) once it has a policy of its own."""
    root = make_root(tmp_path / "project")
    for src in ("south-2022-action",):
        (root / "data" / "policies" / f"{src}.yaml").unlink()
        (root / "data" / "sources" / f"{src}.txt").unlink()
    cat = generate(root).catalogue
    assert shape(regions_entry(cat).links) == [("北方省", region_src("north"), [("北方市", region_src("north-city"))])]
    cat.policies_by_region["china"] = ["north-2021-old"]  # as if a national policy were in the data
    assert shape(regions_entry(cat).links)[0] == ("全国", region_src("china"))


def test_policy_and_source_pages_belong_to_their_regions_entry(generated):
    cat = generated.catalogue
    by_src = {page.src: page for page in generated.pages}
    for pid, policy in cat.policies.items():
        assert by_src[policy_src(pid)].nav == region_src(policy.region)
        assert by_src[source_src(pid)].nav == policy_src(pid)  # through the policy: its region's entry again
        assert f"atlas_nav: {region_src(policy.region)}\n" in generated.markdown[policy_src(pid)].split("---")[1]
    listed = {region_src(r) for r in regions.nav_regions(cat)}
    assert all(page.nav is None for page in generated.pages if page.src in listed)  # in the nav themselves


def test_previous_and_next_walk_a_regions_policies_in_date_order(generated):
    md = generated.markdown
    older, newer = "north-2021-old", "north-2023-skills"
    first, second = md[policy_src(older)], md[policy_src(newer)]
    pager = re.compile(r'<nav class="atlas-pager".*?</nav>', re.S)
    assert 'rel="next" href="../north-2023-skills/"' in pager.search(first).group()
    assert 'rel="prev"' not in pager.search(first).group()
    assert 'rel="prev" href="../north-2021-old/"' in pager.search(second).group()
    assert "按日期第 2 份，共 2 份" in pager.search(second).group()
    # a region with one policy has no pager; its city's policies are not its own
    assert not pager.search(md[policy_src("south-2022-action")])
    assert not pager.search(md[policy_src("north-city-2024-plan")])


def test_the_policy_list_is_a_link_newest_first_with_filters_and_a_script_file(generated):
    cat = generated.catalogue
    nav = site_nav(cat, lambda src: True)
    assert NavLink(labels.POLICIES, POLICIES_SRC) in nav, "政策文件 leads to the list, not to an empty section"
    assert ("policies/", labels.POLICIES) in book_parts(cat)  # still a part of the printed atlas
    page = generated.markdown[POLICIES_SRC]
    rows = re.findall(
        r'<tr data-regions="([^"]*)" data-themes="([^"]*)" data-year="(\d*)"><td class="atlas-plist-title">'
        r'<a href="([^"]+)/">',
        page,
    )
    assert [r[3] for r in rows] == ["north-city-2024-plan", "north-2023-skills", "south-2022-action", "north-2021-old"]
    assert rows[0][0] == "china north north-city" and rows[0][2] == "2024"
    options = re.findall(
        r'<option value="([^"]+)">([^<]+)</option>', page.split('name="region"')[1].split("</select>")[0]
    )
    assert options == [("north", "北方省"), ("north-city", "\u3000北方市"), ("south", "南方省")]
    years = re.findall(r'<option value="(\d+)">', page.split('name="year"')[1].split("</select>")[0])
    assert years == ["2024", "2023", "2022", "2021"]
    assert (
        '<form class="atlas-plist-filters" data-atlas-plist-filters data-search-exclude hidden>' in page
    )  # only with JavaScript
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts == [f'<script src="../{POLICY_LIST_JS}">'], "one script, a file: no inline script (CSP)"
    assert (REPO / "docs" / POLICY_LIST_JS).is_file()


def test_undated_policies_come_last_in_the_list():
    cat = SimpleNamespace(
        policies={
            "a": SimpleNamespace(dates=SimpleNamespace(signed=None, published=None, effective=None)),
            "b": SimpleNamespace(dates=SimpleNamespace(signed="2020-01-01", published=None, effective=None)),
            "c": SimpleNamespace(dates=SimpleNamespace(signed="2022-01-01", published=None, effective=None)),
        }
    )
    assert policies.newest_first(cat, ["b", "c", "a"]) == ["c", "b", "a"]


# --------------------------------------------------------------------------- at national scale


def synthetic_catalogue(n: int) -> SimpleNamespace:
    """The benchmark's region tree for ``n`` policies (31 provinces, 300+ cities, ~3,000 counties at
    5,000) and its assignment of policies to regions, as the parts of a catalogue the navigation reads."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import assign_policies, make_regions
    finally:
        sys.path.remove(str(REPO / "bench"))
    rng = random.Random(2024)
    tree = make_regions(n, rng)
    by_region: dict[str, list[str]] = {}
    for i, rid in enumerate(assign_policies(tree, n, rng)):
        by_region.setdefault(rid, []).append(f"p{i}")
    region_map = {
        r.id: models.Region(id=r.id, name=r.name, name_en=r.name_en, level=r.level, parent=r.parent, code=r.code)
        for r in tree
    }
    order = sorted(region_map, key=lambda r: (region_map[r].code, r))

    def ancestors(rid: str) -> list[str]:
        chain, parent = [], region_map[rid].parent
        while parent:
            chain.append(parent)
            parent = region_map[parent].parent
        return list(reversed(chain))

    return SimpleNamespace(
        regions=region_map, region_order=order, policies_by_region=by_region, ancestors=ancestors, policies={}
    )  # policies: none doubted


@pytest.mark.parametrize("n", [100, 5000])
def test_the_nav_stays_small_at_scale_and_every_region_with_policies_is_reached(n):
    cat = synthetic_catalogue(n)
    listed = regions.nav_regions(cat)
    assert len(listed) <= max(regions.NAV_REGION_LIMIT, 34), len(listed)
    provinces = {r for r, region in cat.regions.items() if region.level.value == "province"}
    assert provinces <= set(listed), "every province with policies is listed (each has some here)"
    with_policies = {r for r, pids in cat.policies_by_region.items() if pids}
    for rid in listed:  # a listed region has policies, or a region below it has
        assert rid in with_policies or any(rid in cat.ancestors(r) for r in with_policies), rid
    counties = [r for r in with_policies if cat.regions[r].level.value == "county"]
    assert counties and not set(counties) & set(listed), "counties are reached from their province's page"
    for rid in counties:  # a county's pages show the nearest listed region above it active
        up = regions.nav_region_of(cat, set(listed), rid)
        assert up is not None and up in cat.ancestors(rid)
    entry = regions.nav(cat)[0]
    assert sum(1 for _ in _walk(entry.links)) == len(listed)
    assert ("china" in listed) == bool(cat.policies_by_region.get("china"))  # 全国 for its own policies
    if n == 5000:  # thousands of regions: the provinces only (and 全国, which has policies here)
        assert set(listed) == provinces | {"china"}


def _walk(entries):
    for e in entries:
        yield e
        if isinstance(e, NavSection):
            yield from _walk(e.links)


def test_the_nav_front_matter_is_a_source_path(generated):
    """The front matter the plugin reads (atlas_nav) is a source path made of ids, never a name."""
    found = 0
    for src, text in generated.markdown.items():
        front = text.split("---\n")[1] if text.startswith("---\n") else ""
        for value in re.findall(r"^atlas_nav: (.*)$", front, re.M):
            assert re.fullmatch(r"[a-z0-9/_-]+\.md", value) and value in generated.markdown, (src, value)
            found += 1
    assert found >= 2 * len(generated.catalogue.policies)


def test_a_region_an_attribution_to_which_is_doubted_carries_its_mark_in_the_nav():
    """Seed 004 (proposal-153-reply-2019) is filed under 山东省 by inference: the nav entry, and with it
    Material's breadcrumb, reads "山东省？" as every table and list does."""
    from conftest import ROOT

    from generator.core.catalog import Catalogue
    from generator.core.validate import validate

    dataset, problems = validate(ROOT)
    assert not problems
    cat = Catalogue(dataset)
    names = {getattr(e, "src", None) or e.index: e.title for e in _flatten(regions.nav(cat))}
    assert names[region_src("shandong")] == "山东省？"
    assert names[region_src("henan")] == "河南省"


def _flatten(entries):
    for entry in entries:
        yield entry
        yield from _flatten(getattr(entry, "links", []))
