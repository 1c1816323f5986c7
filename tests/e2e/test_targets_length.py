"""Targets in reading order and theme pages of readable length (issue 15), in Debian's Chromium
against the real build at 1440×900 and 375×812.

- The training theme's page is at most 8 screens tall at 1440×900 (document height ÷ 900).
- A region's target list and each cell of the targets comparison: grouped by policy, the headline
  goals (总体目标) before the targets of tasks and sub-programmes, by deadline, undated ones last
  and marked 未定期限.

The oracle comes from the catalogue, so the tests hold whatever policies data/ holds.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import pytest
from browser_support import SCROLL_BOXES, browser, open_context, recorder, seed_catalogue, site  # noqa: F401
from test_targets_order import policy_keys  # the same oracle as the unit tests

from generator.site.views import is_headline

WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 375, "height": 812}
VIEWPORTS = {"1440": WIDE, "375": PHONE}
MAX_SCREENS = 8
LONG_THEME = "training"


@pytest.fixture(scope="module")
def catalogue(seed_catalogue):
    return seed_catalogue


@pytest.fixture
def opened(browser, recorder):
    contexts = []

    def open_page(viewport: dict):
        context = open_context(browser, recorder, viewport)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert not recorder.outside(), recorder.outside()
    assert not recorder.errors, recorder.errors


def in_reading_order(items: list[dict], policy_rank: dict[str, tuple]) -> bool:
    """Each item {policy, headline, due ('' undated)}: by policy, headline first, by deadline, undated last."""
    keys = [(policy_rank[i["policy"]], not i["headline"], i["due"] == "", int(i["due"] or 0)) for i in items]
    return keys == sorted(keys)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_theme_page_is_at_most_8_screens_and_links_the_regions_detail(opened, site, catalogue, artifacts, size):
    page = opened(VIEWPORTS[size])
    page.goto(site.at(f"themes/{LONG_THEME}/"))
    page.wait_for_load_state("networkidle")
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=str(artifacts / f"theme-{LONG_THEME}-{size}-full.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[size]["width"]
    assert page.evaluate(SCROLL_BOXES) == []
    if size == "1440":
        assert height / WIDE["height"] <= MAX_SCREENS, f"{height} px = {height / WIDE['height']:.1f} screens"
    # no stacked topic × region sections: each topic links its regions' coverage rows instead
    assert page.locator("article .atlas-topic-region").count() == 0
    links = page.locator("article .atlas-topic-regions a[href*='#coverage-']")
    regions_in_topics = sum(
        len({r.policy.region for r in catalogue.by_topic.get(t, [])}) for t in catalogue.topics_by_theme[LONG_THEME]
    )
    assert links.count() == regions_in_topics
    first = links.first.get_attribute("href")
    page.goto(site.at(f"themes/{LONG_THEME}/") + first)
    anchor = first.split("#")[1]
    assert page.locator(f"[id='{anchor}']").count() == 1  # the region page has that coverage row
    # every figure in the side-by-side table links to its measure
    page.goto(site.at(f"themes/{LONG_THEME}/"))
    hrefs = page.locator("article table.atlas-sbs a.atlas-figures").evaluate_all("as => as.map(a => a.href)")
    assert hrefs and all("/policies/" in h and "#" in h for h in hrefs)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_regions_targets_are_grouped_by_policy_headline_first_by_deadline(opened, site, catalogue, artifacts, size):
    page = opened(VIEWPORTS[size])
    rank = policy_keys(catalogue)
    for rid in [r for r in catalogue.region_order if catalogue.targets_by_region.get(r)]:
        page.goto(site.at(f"regions/{rid}/"))
        groups = page.evaluate("""() => [...document.querySelectorAll('table.atlas-targets-grouped tbody')].map(tb => {
            let headline = null; const rows = [];
            for (const tr of tb.rows) {
              if (tr.classList.contains('atlas-subgroup-row')) headline = tr.dataset.headline === 'true';
              else if (tr.dataset.due !== undefined)
                rows.push({policy: tb.dataset.policy, headline, due: tr.dataset.due, text: tr.textContent});
            }
            return {policy: tb.dataset.policy, rows};
          })""")
        expected = sorted({t.ref.policy.id for t in catalogue.targets_by_region[rid]}, key=rank.__getitem__)
        assert [g["policy"] for g in groups] == expected  # one group per policy
        rows = [r for g in groups for r in g["rows"]]
        assert len(rows) == len(catalogue.targets_by_region[rid])
        assert in_reading_order(rows, rank)
        assert all("未定期限" in r["text"] for r in rows if not r["due"])
        assert page.evaluate(SCROLL_BOXES) == []
        if rid == "henan":
            page.locator("#targets").scroll_into_view_if_needed()
            page.screenshot(path=str(artifacts / f"region-henan-targets-{size}.png"))


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_targets_comparison_cells_are_in_reading_order(opened, site, catalogue, artifacts, size):
    page = opened(VIEWPORTS[size])
    page.goto(site.at("compare/targets/"))
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts / f"compare-targets-{size}-full.png"), full_page=True)
    rank = policy_keys(catalogue)
    cells = page.evaluate("""() => [...document.querySelectorAll('#matrix ~ div table.atlas-sbs tbody td')].map(td =>
        [...td.querySelectorAll('li[data-policy]')].map(li => ({policy: li.dataset.policy, due: li.dataset.due,
          headline: li.hasAttribute('data-headline'), text: li.textContent,
          label: !!li.querySelector('.atlas-cell-policy')})))""")
    items = [i for c in cells for i in c]
    assert len(items) == len(catalogue.targets)
    for cell in cells:
        assert in_reading_order(cell, rank)
        assert [i["policy"] for i in cell if i["label"]] == list(dict.fromkeys(i["policy"] for i in cell))
    assert all("未定期限" in i["text"] for i in items if not i["due"])
    assert sum(i["headline"] for i in items) == sum(1 for t in catalogue.targets if is_headline(t.ref))
    assert page.evaluate(SCROLL_BOXES) == []
