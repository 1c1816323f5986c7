"""Comparisons a reader can use (issue 15), in Debian's Chromium against the real build at 1440×900
and 375×812: 自选对照 restores its view from a URL opened cold and downloads exactly the rows it
shows; side-by-side tables of up to 4 regions fit the screen and no element inside the article
scrolls on its own; every Shandong column carries the doubt mark. Screenshots go to test-artifacts/.

The seeds are named by policy id; regions, themes and the rows to expect come from the catalogue.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from browser_support import SCROLL_BOXES, browser, open_context, recorder, seed_catalogue, site  # noqa: F401

WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 375, "height": 812}
VIEWPORTS = {"1440": WIDE, "375": PHONE}
SEEDS = (
    "henan-2023-skilled-talent-measures",
    "sichuan-2023-skills-sichuan-action",
    "xinxiang-2023-high-skilled-talent",
    "proposal-153-reply-2019",
)
DOUBTED_SEED = "proposal-153-reply-2019"  # its region (shandong) is marked uncertain in the data
OTHER = "--other"


@pytest.fixture(scope="module")
def catalogue(seed_catalogue):
    return seed_catalogue


@pytest.fixture(scope="module")
def seed_regions(catalogue) -> list[str]:
    regions: list[str] = []
    for pid in SEEDS:
        rid = catalogue.policies[pid].region
        if rid not in regions:
            regions.append(rid)
    return regions


def measures_on(catalogue, rid: str, theme: str, row: str) -> list:
    """The oracle for a cell: the region's measures with the theme and the row's topic (or, for the
    theme's "other" row, with the theme and none of its topics)."""
    out = []
    for ref in catalogue.measures:
        if ref.policy.region != rid or theme not in ref.measure.themes:
            continue
        own = [t for t in ref.measure.topics if t in catalogue.topics and catalogue.topics[t].theme == theme]
        if (row in own) if not row.endswith(OTHER) else not own:
            out.append(ref)
    return out


def expected_rows(catalogue, regions: list[str], theme: str) -> list[str]:
    rows = list(catalogue.topics_by_theme.get(theme, [])) + [theme + OTHER]
    return [r for r in rows if any(measures_on(catalogue, rid, theme, r) for rid in regions)]


@pytest.fixture(scope="module")
def shared_theme(catalogue, seed_regions) -> str:
    """The first theme in which every seed region has a measure (so the view has four full columns)."""
    return next(
        t for t in catalogue.theme_order if all(catalogue.by_theme_region.get((t, rid)) for rid in seed_regions)
    )


def compare_url(site, regions: list[str], theme: str, topic: str | None = None) -> str:
    return site.at(f"compare/regions/?regions={','.join(regions)}&theme={theme}" + (f"&topic={topic}" if topic else ""))


def shown(page) -> dict:
    """What the app shows: the chosen regions and theme in the form, the columns, the rows."""
    return page.evaluate("""() => ({
        slots: [...document.querySelectorAll('.atlas-cmp-form select[name=region]')].map(s => s.value),
        theme: document.querySelector('.atlas-cmp-form select[name=theme]').value,
        topic: document.querySelector('.atlas-cmp-form select[name=topic]').value,
        columns: [...document.querySelectorAll('.atlas-cmp-table thead th[data-region]')].map(th => th.dataset.region),
        rows: [...document.querySelectorAll('.atlas-cmp-table tbody tr')].map(tr => tr.dataset.topic)})""")


def header_boxes(page, selector: str) -> list[dict]:
    return page.locator(selector).evaluate_all(
        "ths => ths.map(th => { const r = th.getBoundingClientRect(); return {left: r.left, right: r.right, text: th.innerText}; })"
    )


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_a_comparison_url_opened_cold_restores_its_view(
    browser,
    site,
    recorder,
    catalogue,
    seed_regions,
    shared_theme,
    artifacts,
    size,
):
    context = open_context(browser, recorder, VIEWPORTS[size])
    try:
        page = context.new_page()
        page.goto(compare_url(site, seed_regions, shared_theme))
        page.locator(".atlas-cmp-table").wait_for()
        view = shown(page)
        assert view["slots"] == seed_regions
        assert view["theme"] == shared_theme and view["topic"] == ""
        assert view["columns"] == seed_regions
        assert view["rows"] == expected_rows(catalogue, seed_regions, shared_theme)
        # every cell: its measures' summaries, or 未涉及 for a region with policies but none on the row
        for row in view["rows"]:
            for rid in seed_regions:
                cell = page.locator(f".atlas-cmp-table tr[data-topic='{row}'] td").nth(seed_regions.index(rid))
                refs = measures_on(catalogue, rid, shared_theme, row)
                text = cell.inner_text()
                if refs:
                    assert all(" ".join(r.measure.summary.split())[:30] in text for r in refs), (row, rid)
                else:
                    assert text.strip() == "未涉及", (row, rid, text)
        boxes = header_boxes(page, ".atlas-cmp-table thead th[data-region]")
        for box in boxes:
            assert box["left"] >= 0 and box["right"] <= VIEWPORTS[size]["width"] + 0.5, box
        if size == "375":  # on a phone the region columns share the width equally: none squeezed by a short note
            widths = [box["right"] - box["left"] for box in boxes]
            assert max(widths) - min(widths) <= 1, widths
        assert page.evaluate(SCROLL_BOXES) == []
        page.screenshot(path=str(artifacts / f"compare-regions-{size}.png"))
        page.screenshot(path=str(artifacts / f"compare-regions-{size}-full.png"), full_page=True)
        assert not recorder.errors, recorder.errors
    finally:
        context.close()


def test_a_topic_in_the_url_shows_that_row_and_the_form_writes_the_url(
    browser,
    site,
    recorder,
    catalogue,
    seed_regions,
    shared_theme,
):
    topic = next(t for t in expected_rows(catalogue, seed_regions, shared_theme) if not t.endswith(OTHER))
    context = open_context(browser, recorder, WIDE)
    try:
        page = context.new_page()
        page.goto(compare_url(site, seed_regions[:2], shared_theme, topic))
        page.locator(".atlas-cmp-table").wait_for()
        view = shown(page)
        assert view["rows"] == [topic] and view["topic"] == topic and view["columns"] == seed_regions[:2]
        # choose a third region in the form: the URL says so, and a cold reload shows the same view
        page.locator(".atlas-cmp-form select[data-slot='2']").select_option(seed_regions[2])
        query = parse_qs(urlparse(page.url).query)
        assert query["regions"] == [",".join(seed_regions[:3])] and query["topic"] == [topic]
        after = shown(page)
        fresh = context.new_page()
        fresh.goto(page.url)
        fresh.locator(".atlas-cmp-table").wait_for()
        assert shown(fresh) == after and after["columns"] == seed_regions[:3]
        assert not recorder.errors, recorder.errors
    finally:
        context.close()


def test_the_csv_holds_exactly_the_rows_shown(
    browser,
    site,
    recorder,
    seed_regions,
    shared_theme,
    tmp_path,
):
    context = open_context(browser, recorder, WIDE)
    try:
        page = context.new_page()
        page.goto(compare_url(site, seed_regions, shared_theme))
        table = page.locator(".atlas-cmp-table")
        table.wait_for()
        heads = table.locator("thead th").evaluate_all(
            "ths => ths.map(th => th.dataset.region ? th.querySelector('a').textContent : th.textContent)"
        )
        rows = table.locator("tbody tr").evaluate_all("""trs => trs.map(tr => ({
            name: tr.querySelector('th').textContent,
            cells: [...tr.querySelectorAll('td')].map(td => ({
                none: td.querySelector('.atlas-cmp-none') ? td.textContent : null,
                summaries: [...td.querySelectorAll('.atlas-cmp-summary')].map(s => s.textContent)}))}))""")
        with page.expect_download() as download:
            page.locator("button.atlas-cmp-csv").click()
        raw = Path(download.value.path()).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), raw[:10]
        assert download.value.suggested_filename == f"compare-{'-'.join(seed_regions)}-{shared_theme}.csv"
        lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        doubt = [h.rstrip("？") for h in lines[0]]
        assert doubt == heads  # the columns shown (a doubted region's name keeps its mark in the file)
        assert [line[0] for line in lines[1:]] == [row["name"] for row in rows]
        for line, row in zip(lines[1:], rows):
            for value, cell in zip(line[1:], row["cells"]):
                if cell["none"]:
                    assert value == cell["none"]
                else:
                    assert cell["summaries"] and all(s in value for s in cell["summaries"]), (row["name"], value)
        assert not recorder.errors, recorder.errors
    finally:
        context.close()


def test_only_the_themes_shown_are_loaded_and_a_theme_change_loads_its_own(
    browser,
    site,
    recorder,
    catalogue,
    seed_regions,
    shared_theme,
):
    """The page brings the index; a theme's cells come from its own file, asked for when it is shown."""
    other = next(
        t
        for t in catalogue.theme_order
        if t != shared_theme and sum(bool(catalogue.by_theme_region.get((t, r))) for r in seed_regions) >= 2
    )
    context = open_context(browser, recorder, WIDE)
    try:
        page = context.new_page()
        page.goto(compare_url(site, seed_regions, shared_theme))
        page.locator(".atlas-cmp-table").wait_for()
        asked = [u for u in recorder.requests if "/assets/compare-data" in u]
        assert [urlparse(u).path for u in asked] == [
            "/assets/compare-data.js",
            f"/assets/compare-data/{shared_theme}.js",
        ], asked
        page.locator(".atlas-cmp-form select[name=theme]").select_option(other)
        page.wait_for_function(
            "t => document.querySelector('.atlas-cmp-result .atlas-cmp-table') && window.ATLAS_COMPARE_CELLS[t]",
            arg=other,
        )
        assert parse_qs(urlparse(page.url).query)["theme"] == [other]
        view = shown(page)
        assert view["theme"] == other and view["rows"] == expected_rows(catalogue, seed_regions, other)
        assert sorted(page.evaluate("Object.keys(window.ATLAS_COMPARE_CELLS)")) == sorted([shared_theme, other])
        page.locator(".atlas-cmp-form select[name=theme]").select_option(shared_theme)  # already here: no request
        page.locator(".atlas-cmp-table").wait_for()
        asked = [urlparse(u).path for u in recorder.requests if "/assets/compare-data/" in u]
        assert asked == [f"/assets/compare-data/{shared_theme}.js", f"/assets/compare-data/{other}.js"], asked
        assert not recorder.errors, recorder.errors
    finally:
        context.close()


def test_a_theme_that_cannot_be_loaded_says_so_and_loading_says_so_meanwhile(
    browser,
    site,
    recorder,
    seed_regions,
    shared_theme,
):
    context = open_context(browser, recorder, WIDE)
    held = []
    try:
        # first held back (the page shows that it is loading), then refused (it says it could not)
        context.route(f"**/assets/compare-data/{shared_theme}.js", lambda route: held.append(route))
        page = context.new_page()
        page.goto(compare_url(site, seed_regions, shared_theme), wait_until="domcontentloaded")  # no load event yet
        result = page.locator(".atlas-cmp-result")
        result.locator(".atlas-cmp-loading").wait_for()
        assert result.inner_text().strip() == "正在载入…"
        for _ in range(50):
            if held:
                break
            page.wait_for_timeout(100)
        assert held, "the theme's script was never asked for"
        held[0].abort()
        error = result.locator(".atlas-cmp-error")
        error.wait_for()
        assert "未能载入" in error.inner_text() and error.get_attribute("role") == "alert"
        assert page.locator(".atlas-cmp-table").count() == 0
    finally:
        context.close()


def test_every_link_of_a_cell_leads_to_its_measure_on_the_policy_page(
    browser,
    site,
    recorder,
    catalogue,
    seed_regions,
    shared_theme,
):
    """The links compare.js rebuilds from the policy id and measure id: each names a page that exists
    and an anchor on it, the measure's own heading."""
    context = open_context(browser, recorder, WIDE)
    try:
        page = context.new_page()
        page.goto(compare_url(site, seed_regions, shared_theme))
        page.locator(".atlas-cmp-table").wait_for()
        links = page.locator(".atlas-cmp-table a.atlas-cmp-source").evaluate_all(
            "as => as.map(a => ({href: a.href, text: a.textContent}))"
        )
        assert links
        by_id = {(r.policy.id, r.measure.id): r for r in catalogue.measures}
        targets: dict[str, set[str]] = {}
        for link in links:
            url = urlparse(link["href"])
            assert url.path.startswith("/policies/") and url.path.endswith("/") and url.fragment, link
            pid = url.path.removeprefix("/policies/").rstrip("/")
            ref = by_id[pid, url.fragment]
            assert link["text"] == f"{ref.policy.short_title} {ref.measure.section}", link
            targets.setdefault(url.path, set()).add(url.fragment)
        for path, anchors in sorted(targets.items()):
            page.goto(site.at(path))
            ids = set(page.locator("article [id]").evaluate_all("es => es.map(e => e.id)"))
            assert anchors <= ids, (path, sorted(anchors - ids))
        # and a click lands on the measure
        page.goto(compare_url(site, seed_regions, shared_theme))
        first = page.locator(".atlas-cmp-table a.atlas-cmp-source").first
        href = first.get_attribute("href")
        first.click()
        page.wait_for_load_state("load")
        fragment = urlparse(page.url).fragment
        assert fragment and href.endswith("#" + fragment)
        assert page.locator(f"[id='{fragment}']").count() == 1
        assert not recorder.errors, recorder.errors
    finally:
        context.close()


def static_tables(catalogue) -> list[str]:
    return [f"themes/{t}/" for t in catalogue.theme_order] + ["compare/targets/", "compare/money/"]


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_side_by_side_tables_fit_and_nothing_in_the_article_scrolls_on_its_own(
    browser,
    site,
    recorder,
    catalogue,
    artifacts,
    size,
):
    context = open_context(browser, recorder, VIEWPORTS[size])
    try:
        page = context.new_page()
        checked = 0
        for path in static_tables(catalogue):
            page.goto(site.at(path))
            assert page.evaluate(SCROLL_BOXES) == [], path
            for table in page.locator("article table.atlas-sbs").all():
                regions = table.locator("thead th[data-region]")
                if not 1 <= regions.count() <= 4:
                    continue
                table.scroll_into_view_if_needed()
                for box in regions.evaluate_all(
                    "ths => ths.map(th => { const r = th.getBoundingClientRect(); return [r.left, r.right]; })"
                ):
                    assert box[0] >= 0 and box[1] <= VIEWPORTS[size]["width"] + 0.5, (path, box)
                checked += 1
        assert checked >= 3, "no side-by-side table of up to 4 regions was measured"
        page.goto(site.at(static_tables(catalogue)[0]))
        page.locator("article table.atlas-sbs").first.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / f"theme-table-{size}.png"))
        assert not recorder.errors, recorder.errors
    finally:
        context.close()


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_doubt_mark_is_visible_on_every_shandong_column(
    browser,
    site,
    recorder,
    catalogue,
    seed_regions,
    shared_theme,
    size,
):
    from generator.site.views import doubts

    rid = catalogue.policies[DOUBTED_SEED].region
    assert rid in doubts(catalogue), "seed 004's region is marked uncertain in the data"
    context = open_context(browser, recorder, VIEWPORTS[size])
    try:
        page = context.new_page()
        # the pages on which the region has a column: its themes, and the comparisons of what it has
        pages = [f"themes/{t}/" for t in catalogue.theme_order if catalogue.by_theme_region.get((t, rid))]
        pages += ["compare/targets/"] * bool(catalogue.targets_by_region.get(rid))
        pages += ["compare/money/"] * bool(catalogue.amounts_by_region.get(rid))
        assert pages
        seen = 0
        for path in [*pages, compare_url(site, seed_regions, shared_theme)]:
            page.goto(path if path.startswith("http") else site.at(path))
            if "compare/regions" in path:
                page.locator(".atlas-cmp-table").wait_for()
            heads = page.locator(f"article th[data-region='{rid}']")
            assert heads.count() >= 1, f"{path} has no {rid} column"
            for i in range(heads.count()):
                mark = heads.nth(i).locator(".atlas-doubt")
                assert mark.count() == 1, (path, i)
                mark.scroll_into_view_if_needed()
                assert mark.is_visible() and mark.inner_text() == "？", (path, i)
                assert mark.get_attribute("title"), (path, i)
                assert f"policies/{DOUBTED_SEED}/#note-" in (mark.get_attribute("href") or ""), (path, i)
                seen += 1
        page.goto(site.at(f"regions/{rid}/"))
        lead = page.locator("article .atlas-lead").inner_text()
        assert "地区存疑" in lead
        assert not recorder.errors, recorder.errors
    finally:
        context.close()


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_glossary_order_equals_pinyin_order(browser, site, recorder, catalogue, artifacts, size):
    """The glossary as a Chinese reader looks a word up: by pinyin (checked with pypinyin itself,
    character by character: syllable, then tone), every term of the data listed, and an initial-letter index that leads to the
    first term of each letter."""
    from pypinyin import Style, lazy_pinyin

    context = open_context(browser, recorder, VIEWPORTS[size])
    try:
        page = context.new_page()
        page.goto(site.at("glossary/"))
        terms = page.locator("article h2").evaluate_all(
            "hs => hs.map(h => ({id: h.id, text: h.firstChild.textContent.trim()}))"
        )
        assert sorted(t["text"] for t in terms) == sorted(t.term for t in catalogue.glossary.values())
        # dictionary order: character by character, each by its syllable, then its tone (失 shi1 before 世 shi4)
        spelled = [
            [
                (s.rstrip("012345").lower(), s[-1] if s[-1].isdigit() else "")
                for s in lazy_pinyin(
                    t["text"], style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: list(s)
                )
            ]
            for t in terms
        ]
        assert spelled == sorted(spelled), [t["text"] for t in terms]
        letters = page.locator("article .atlas-letters a").evaluate_all(
            "as => as.map(a => ({letter: a.textContent, target: a.hash.slice(1)}))"
        )
        initials = [s[0][0][0].upper() for s in spelled]
        assert [x["letter"] for x in letters] == list(dict.fromkeys(initials))
        ids = [t["id"] for t in terms]
        for x in letters:
            first = initials.index(x["letter"])
            assert x["target"] == ids[first], x
        page.screenshot(path=str(artifacts / f"glossary-{size}.png"))
        assert not recorder.errors, recorder.errors
    finally:
        context.close()
