"""Navigation that leads somewhere (issue 15), in Debian's Chromium against the real build at 1440×900
and 375×812: the nav nests regions by province and leaves out regions without policies; a policy page
has Material's breadcrumb, previous/next within its region and its region active in the nav; the
policy list reads as one row per policy, sorts by a click on a header and filters by region, theme
and year (also from a URL opened cold), and without JavaScript is a plain table, newest first.
Screenshots go to test-artifacts/.

The seeds are named by policy id; what to expect of them comes from the catalogue.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from browser_support import browser, open_context, recorder, site  # noqa: F401
from conftest import ROOT

from generator.core.catalog import policy_date, policy_year

WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 375, "height": 812}
VIEWPORTS = {"1440": WIDE, "375": PHONE}
CITY_SEED = "xinxiang-2023-high-skilled-talent"  # 新乡市, a city under 河南省
PROVINCE_SEEDS = ("henan-2023-skilled-talent-measures", "henan-2025-skills-henan-work-plan")  # both 河南省


@pytest.fixture(scope="module")
def catalogue():
    from generator.core.catalog import Catalogue
    from generator.core.validate import validate

    dataset, problems = validate(ROOT)
    assert not problems, problems[:3]
    return Catalogue(dataset)


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, browser, recorder):
    context = open_context(browser, recorder, VIEWPORTS[request.param])
    try:
        page = context.new_page()
        page.viewport_name = request.param
        yield page
    finally:
        context.close()
    assert not recorder.errors, recorder.errors
    assert not recorder.outside(), recorder.outside()


def region_hrefs(page) -> list[str]:
    """The paths of the region links in the primary navigation, in order."""
    paths = page.locator("nav.md-nav--primary a.md-nav__link").evaluate_all(
        "as => as.map(a => new URL(a.href).pathname)"
    )
    return [p for p in paths if p.startswith("/regions/")]  # resolved: on a region page the links read "../henan/"


def covered(catalogue) -> set[str]:
    """Regions with policies of their own, or below them (the national level only for its own)."""
    out = set()
    for rid in catalogue.regions_with_policies():
        out.add(rid)
        out.update(a for a in catalogue.ancestors(rid) if catalogue.regions[a].level.value != "national")
    return out


def test_the_nav_nests_regions_by_province_and_leaves_out_regions_without_policies(screen, site, catalogue):
    city = catalogue.policies[CITY_SEED].region
    province = catalogue.province_of(city)
    assert province != city
    # navigation.prune: 地区 lists its provinces on its own pages, and a province its cities on its own
    screen.goto(site.url)
    assert [h for h in region_hrefs(screen) if h.startswith("/regions/")] == ["/regions/"], "elsewhere a link"
    shown = set()
    for rid in catalogue.region_order:
        if rid in covered(catalogue) and catalogue.regions[rid].level.value == "province":
            screen.goto(site.at(f"regions/{rid}/"))
            shown.update(h for h in region_hrefs(screen) if h.startswith("/regions/") and h != "/regions/")
    want = {f"/regions/{r}/" for r in catalogue.region_order if r in covered(catalogue)}
    assert shown == want, (shown, want)
    for rid in catalogue.region_order:
        if rid not in covered(catalogue):
            assert f"/regions/{rid}/" not in shown, f"{rid} has no policy, nor any region below it"
    screen.goto(site.at(f"regions/{province}/"))
    listed = [h for h in region_hrefs(screen) if h.startswith("/regions/") and h != "/regions/"]
    provinces = [
        f"/regions/{r}/"
        for r in catalogue.region_order
        if r in covered(catalogue) and catalogue.regions[r].level.value == "province"
    ]
    assert [h for h in listed if h in provinces] == provinces, "every province, in the atlas's order"
    # the city's link sits inside the nested section that its province's own page opens
    opener = screen.locator(f"nav.md-nav--primary a[href$='{city}/']").evaluate(
        "a => a.closest('li.md-nav__item--nested').querySelector('.md-nav__container > a').href"
    )
    assert urlparse(opener).path == f"/regions/{province}/"


def test_a_policy_page_has_a_breadcrumb_prev_next_and_its_region_active(screen, site, catalogue, artifacts):
    city = catalogue.policies[CITY_SEED].region
    screen.goto(site.at(f"policies/{CITY_SEED}/"))
    path = screen.locator(".md-path .md-path__link")
    names = [" ".join(t.split()) for t in path.all_inner_texts()]
    chain = [a for a in catalogue.ancestors(city) if catalogue.regions[a].level.value != "national"] + [city]
    assert names == ["首页", "地区", *(catalogue.regions[r].name for r in chain)], names
    crumb = screen.locator(".md-path").bounding_box()
    assert crumb and crumb["y"] < screen.locator("article h1").bounding_box()["y"], "the breadcrumb is above the title"
    assert screen.evaluate("() => document.documentElement.scrollWidth") <= screen.viewport_size["width"]
    # the region's entry is active, and shown so, in the nav (on a phone: once the drawer is open)
    if screen.viewport_name == "375":
        screen.locator("label.md-header__button[for='__drawer']").click()
        screen.wait_for_timeout(400)
    active = screen.locator(f"nav.md-nav--primary li.md-nav__item--active > a[href$='regions/{city}/']")
    assert active.count() == 1
    active.wait_for(state="visible", timeout=5000)
    plain = screen.locator("nav.md-nav--primary a[href$='glossary/']").evaluate("a => getComputedStyle(a).color")
    assert active.evaluate("a => getComputedStyle(a).color") != plain, "the region's entry looks active"
    screen.screenshot(path=str(artifacts / f"nav-policy-{screen.viewport_name}.png"))


def test_a_source_pages_breadcrumb_ends_in_its_policy_and_fits_the_screen(screen, site, catalogue):
    """Above an archived source the breadcrumb ends in its policy's (long) title: shortened to fit,
    never a strip that scrolls sideways on a phone."""
    pid = max(catalogue.policies, key=lambda p: (len(catalogue.policies[p].short_title), p))
    screen.goto(site.at(f"sources/{pid}/"))
    crumbs = screen.locator(".md-path .md-path__link")
    assert crumbs.last.get_attribute("href").rstrip("/").endswith(f"policies/{pid}")
    assert screen.locator(".md-path").evaluate("n => n.scrollWidth <= n.clientWidth"), "the breadcrumb scrolls sideways"
    assert crumbs.last.is_visible()


def test_previous_and_next_walk_the_regions_policies_in_date_order(screen, site, catalogue):
    region = catalogue.policies[PROVINCE_SEEDS[0]].region
    assert all(catalogue.policies[p].region == region for p in PROVINCE_SEEDS)
    order = catalogue.policies_by_region[region]
    first, second = order.index(PROVINCE_SEEDS[0]), order.index(PROVINCE_SEEDS[1])
    assert first < second, "the 2023 measures come before the 2025 work plan"
    screen.goto(site.at(f"policies/{order[0]}/"))
    assert screen.locator("nav.atlas-pager a[rel=prev]").count() == 0
    for i, pid in enumerate(order[1:], start=1):
        link = screen.locator("nav.atlas-pager a[rel=next]")
        assert catalogue.policies[pid].short_title in link.inner_text()
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= screen.viewport_size["width"] + 1
        link.click()
        screen.wait_for_url(f"**/policies/{pid}/")
        assert f"第 {i + 1} 份，共 {len(order)} 份" in screen.locator("nav.atlas-pager").inner_text()
        back = screen.locator("nav.atlas-pager a[rel=prev]")
        assert urlparse(back.evaluate("a => a.href")).path == f"/policies/{order[i - 1]}/"
    assert screen.locator("nav.atlas-pager a[rel=next]").count() == 0


def _rows(page) -> list[dict]:
    return page.locator("table[data-atlas-plist] tbody tr:not([hidden])").evaluate_all(
        """rows => rows.map(r => ({id: new URL(r.querySelector('td a').href).pathname.split('/')[2],
             date: r.cells[3].getAttribute('data-sort'), measures: Number(r.cells[5].getAttribute('data-sort')),
             height: r.getBoundingClientRect().height}))"""
    )


def test_the_policy_list_sorts_and_filters(screen, site, catalogue, artifacts):
    screen.goto(site.at("policies/"))
    rows = _rows(screen)
    assert sorted(r["id"] for r in rows) == sorted(catalogue.policies)
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates, reverse=True), "newest first"
    for r in rows:  # one readable row per policy, not 270–370 px tall
        assert r["height"] < (120 if screen.viewport_name == "1440" else 150), r
    assert screen.evaluate("() => document.documentElement.scrollWidth") <= screen.viewport_size["width"]
    screen.screenshot(path=str(artifacts / f"nav-policies-{screen.viewport_name}.png"), full_page=True)

    # a click on a header sorts by it (numbers largest first), a second click reverses
    header = screen.locator("table[data-atlas-plist] thead th button", has_text="措施")
    header.click()
    counts = [r["measures"] for r in _rows(screen)]
    assert counts == sorted((len(p.measures) for p in catalogue.policies.values()), reverse=True)
    assert screen.locator("table[data-atlas-plist] thead th[aria-sort=descending]").inner_text().startswith("措施")
    header.click()
    assert [r["measures"] for r in _rows(screen)] == sorted(counts)
    date = screen.locator("table[data-atlas-plist] thead th button", has_text="日期")
    date.click()  # a date column's first click: newest first again
    assert [r["date"] for r in _rows(screen)] == sorted(dates, reverse=True)
    date.click()
    assert [r["date"] for r in _rows(screen)] == sorted(dates)

    # pick a region → only its policies (a province keeps its cities'); the URL remembers the choice
    city = catalogue.policies[CITY_SEED].region
    province = catalogue.province_of(city)
    form = screen.locator("form[data-atlas-plist-filters]")
    assert form.is_visible()
    form.locator("select[name=region]").select_option(city)
    assert sorted(r["id"] for r in _rows(screen)) == sorted(catalogue.policies_by_region[city])
    assert parse_qs(urlparse(screen.url).query) == {"region": [city]}
    form.locator("select[name=region]").select_option(province)
    under = [p for p, pol in catalogue.policies.items() if province in (pol.region, *catalogue.ancestors(pol.region))]
    assert sorted(r["id"] for r in _rows(screen)) == sorted(under)
    assert f"显示 {len(under)} 份" in form.locator(".atlas-plist-count").inner_text()
    # and a year, together with the region
    year = policy_year(catalogue.policies[CITY_SEED])
    form.locator("select[name=year]").select_option(year)
    both = [p for p in under if policy_year(catalogue.policies[p]) == year]
    assert both and sorted(r["id"] for r in _rows(screen)) == sorted(both)
    form.locator("button[type=reset]").click()
    screen.wait_for_function("() => !location.search")
    assert len(_rows(screen)) == len(catalogue.policies)

    # a theme: the policies with a measure in it
    having = {
        t: sorted(p for p, pol in catalogue.policies.items() if any(t in m.themes for m in pol.measures))
        for t in catalogue.theme_order
    }
    # a theme some policies lack, if there is one (the seeds touch most themes)
    theme = next(
        (t for t in catalogue.theme_order if 0 < len(having[t]) < len(catalogue.policies)),
        next(t for t in catalogue.theme_order if having[t]),
    )
    form.locator("select[name=theme]").select_option(theme)
    assert sorted(r["id"] for r in _rows(screen)) == having[theme]


def test_a_filtered_list_opens_cold_from_its_url_and_the_list_reads_without_javascript(
    screen, site, catalogue, browser, recorder
):
    city = catalogue.policies[CITY_SEED].region
    screen.goto(site.at(f"policies/?region={city}"))
    assert screen.locator("select[name=region]").input_value() == city
    assert sorted(r["id"] for r in _rows(screen)) == sorted(catalogue.policies_by_region[city])
    context = browser.new_context(viewport=screen.viewport_size, java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(site.at("policies/"))
        assert plain.locator("form[data-atlas-plist-filters]").is_hidden()
        ids = plain.locator("table[data-atlas-plist] tbody tr td:first-child a").evaluate_all(
            "as => as.map(a => new URL(a.href).pathname.split('/')[2])"
        )
        dated = sorted(catalogue.policies, key=lambda p: str(policy_date(catalogue.policies[p])), reverse=True)
        assert ids == dated, "the static table: every policy, newest first"
        assert plain.evaluate("() => document.documentElement.scrollWidth") <= screen.viewport_size["width"]
    finally:
        context.close()
