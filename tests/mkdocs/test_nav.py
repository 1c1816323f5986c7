"""The navigation as MkDocs and Material draw it (generator/mkdocs/nav.py, plugin.py), on a real
``mkdocs build`` of the mini fixture (tests/fixtures/atlas-mini: 北方省 with its city 北方市, 南方省;
全国 has no policy): regions nest by province; a province with listed cities is a section opened by
its own page; a policy page — and its archived source — shows its region's entry active, its
province's section open and Material's breadcrumb up through them; 政策文件 is a link, not an empty
section. The conversion itself is checked without MkDocs.

Browser proof at 1440 and 375 px: tests/e2e/test_wayfinding.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from atlas_pipeline import make_root, mkdocs_build

from generator.mkdocs.nav import nav_title, section_indexes, to_mkdocs
from generator.site.pages import NavLink, NavSection

PRIMARY = re.compile(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>\s*</div>', re.S)
PATH = re.compile(r'<nav class="md-path".*?</nav>', re.S)
LINK = re.compile(r'<a href="([^"]*)" class="md-path__link">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>', re.S)


def test_nested_sections_convert_to_mkdocs_nav_and_their_index_pages_are_found():
    entries = [
        NavLink("首页", "index.md"),
        NavSection(
            "地区",
            "regions/index.md",
            [
                NavSection("北方省", "regions/north.md", [NavLink("北方市", "regions/north-city.md")]),
                NavLink("南方省", "regions/south.md"),
            ],
        ),
        NavLink("政策文件", "policies/index.md"),
    ]
    assert to_mkdocs(entries) == [
        {"首页": "index.md"},
        {
            "地区": [
                "regions/index.md",
                {"北方省": ["regions/north.md", {"北方市": "regions/north-city.md"}]},
                {"南方省": "regions/south.md"},
            ]
        },
        {"政策文件": "policies/index.md"},
    ]
    # regions/index.md is an index by its name already; regions/north.md only by its place
    assert section_indexes(entries) == ["regions/north.md"]


def test_nav_titles_are_escaped_once_and_marked_as_html():
    """Material prints nav titles as HTML, and escapes them once more only in the footer's aria-label
    (``title | e``), which leaves text marked as HTML alone."""
    from markupsafe import escape

    title = nav_title('A<b> & "c"')
    assert title == "A&lt;b&gt; &amp; &quot;c&quot;" and escape(title) == title


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_root(tmp_path_factory.mktemp("nav") / "project", site_files=True)
    out = root.parent / "site"
    result = mkdocs_build(root, out, "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def read(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def primary_nav(page: str) -> str:
    match = PRIMARY.search(page)
    assert match, "no primary navigation"
    return match.group()


def active_links(page: str) -> list[str]:
    """The hrefs of the nav's active items that hold no active item below them."""
    nav = primary_nav(page)
    found = []
    for match in re.finditer(
        r'<li class="md-nav__item md-nav__item--active[^"]*">\s*(?:<input[^>]*>\s*)?'
        r'(?:<div class="md-nav__link md-nav__container">\s*)?<a href="([^"]*)"',
        nav,
    ):
        found.append(match.group(1))
    return found


def crumbs(page: str) -> list[tuple[str, str]]:
    match = PATH.search(page)
    assert match, "no breadcrumb"
    return [(href, re.sub(r"\s+", "", text)) for href, text in LINK.findall(match.group())]


def test_regions_nest_by_province_and_leave_out_regions_without_policies(site):
    # navigation.prune: a page carries its own branch of the nav only; elsewhere 地区 is a link to its index
    home = primary_nav(read(site, ""))
    assert 'href="regions/"' in home and "regions/north/" not in home
    nav = primary_nav(read(site, "regions/north"))
    assert "全国" not in nav  # no policy of its own, and it is not above the provinces in the nav
    north = nav.index('href="./"')  # 北方省's own page: its section opens
    city = nav.index('href="../north-city/"')
    south = nav.index('href="../south/"')
    assert north < city < south
    # 北方市 sits in the nested list of 北方省's section, which 北方省's own page opens (no second 北方省 inside)
    assert re.findall(r'data-md-level="(\d)"', nav[north:city]) == ["2"]
    assert nav.count('href="./"') == 1 and nav.count("北方省") == 2  # its link and its panel's title
    # a province's cities are on its own branch only: on 南方省's page 北方省 is a link, its city not listed
    south_nav = primary_nav(read(site, "regions/south"))
    assert 'href="../north/"' in south_nav and "north-city" not in south_nav


def test_a_policy_page_sits_under_its_region(site):
    page = read(site, "policies/north-city-2024-plan")
    assert crumbs(page) == [
        ("../..", "首页"),
        ("../../regions/", "地区"),
        ("../../regions/north/", "北方省"),
        ("../../regions/north-city/", "北方市"),
    ]
    assert "../../regions/north-city/" in active_links(page)
    nav = primary_nav(page)
    toggle = re.search(
        r'<input class="md-nav__toggle md-toggle[^"]*" type="checkbox" id="([^"]+)"([^>]*)>\s*'
        r'<div class="md-nav__link md-nav__container">\s*<a href="../../regions/north/"',
        nav,
    )
    assert toggle and "checked" in toggle.group(2), "the province's section is open on its city's policy"


def test_a_province_policy_and_an_archived_source_are_in_the_same_place(site):
    page = read(site, "policies/north-2023-skills")
    assert [t for _, t in crumbs(page)] == ["首页", "地区", "北方省"]
    assert any(h.endswith("regions/north/") for h in active_links(page))
    source = read(site, "sources/north-2023-skills")
    texts = [t for _, t in crumbs(source)]
    assert texts[:3] == ["首页", "地区", "北方省"] and len(texts) == 4  # … › the policy
    assert crumbs(source)[-1][0].endswith("policies/north-2023-skills/")
    assert any(h.endswith("regions/north/") for h in active_links(source))


def test_only_the_page_itself_is_active_elsewhere(site):
    """Lighting a region on a policy page does not leak into the next page MkDocs renders."""
    page = read(site, "glossary")
    assert not any("regions/" in h for h in active_links(page))
    policies = read(site, "policies")
    nav = primary_nav(policies)
    assert re.search(r'<a href="./" class="md-nav__link md-nav__link--active">\s*(?:<span[^>]*>\s*)+政策文件', nav)
    assert not re.search(r'<div class="md-nav__link md-nav__container">\s*<a href="./"', nav), (
        "政策文件 is a page of its own in the nav, not a section with nothing in it"
    )
    assert [t for _, t in crumbs(read(site, "regions/north-city"))] == ["首页", "地区", "北方省"]
