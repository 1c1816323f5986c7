"""The benchmark's synthetic atlas is valid data, and wide comparisons stay readable on it.

If the synthetic atlas were not valid, ``make bench`` would measure builds that
fail, or data the real validator refuses. This is a smoke test of
``bench/synth.py`` at a small size, not a benchmark: nothing here is timed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

from synth import make_atlas  # noqa: E402

from generator.core import models  # noqa: E402
from generator.core.values import COMPARATOR_LABELS, format_value, format_yuan  # noqa: E402
from generator.site.generate import Generated, generate  # noqa: E402
from generator.site.pages import MAX_TABLE_COLUMNS  # noqa: E402
from generator.site.pages.policies import newest_first  # noqa: E402
from generator.site.render import page_url  # noqa: E402


@pytest.fixture(scope="module")
def atlas(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synthetic") / "atlas"
    counts = make_atlas(root, 20)
    assert counts["policies"] == 20
    return root


def test_synthetic_atlas_passes_validation(atlas: Path) -> None:
    assert len(list((atlas / "data" / "policies").glob("*.yaml"))) == 20
    assert len(list((atlas / "data" / "sources").glob("*.txt"))) == 20
    result = subprocess.run(
        [sys.executable, "-m", "generator", "validate"], cwd=atlas, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: 20 policies" in result.stdout


def test_synthetic_regions_form_a_tree_with_gbt_like_codes(atlas: Path) -> None:
    regions = yaml.safe_load((atlas / "data" / "regions.yaml").read_text(encoding="utf-8"))["regions"]
    by_id = {r["id"]: r for r in regions}
    assert {"national", "province", "county"} <= {r["level"] for r in regions}
    for region in regions:
        assert len(region["code"]) == 6 and region["code"].isdigit()
        if region["level"] == "national":
            continue
        parent = by_id[region["parent"]]
        if region["level"] == "province":
            assert region["code"].endswith("0000")
        else:  # a city or county shares its province's first two digits
            assert region["code"][:2] == parent["code"][:2]


def test_wide_side_by_side_tables_are_split_and_every_region_keeps_its_column(atlas: Path) -> None:
    gen = generate(atlas)
    cat = gen.catalogue
    split = 0
    for tid in cat.theme_order:
        markdown = gen.markdown[f"themes/{tid}.md"]
        heads = re.findall(r'<table class="[^"]*atlas-sbs[^"]*".*?</thead>', markdown, re.S)
        columns = [re.findall(r'<th scope="col"[^>]*><a href="[^"]*">([^<]*)</a>', head) for head in heads]
        assert all(len(c) <= MAX_TABLE_COLUMNS for c in columns), (tid, [len(c) for c in columns])
        shown = [name for c in columns for name in c]
        wanted = [cat.regions[r].name for r in cat.regions_in_theme(tid)]
        assert sorted(shown) == sorted(wanted), tid  # each region in exactly one of the tables
        split += len(heads) > 1
    assert split, "the synthetic atlas is meant to have a theme wider than one table"


def test_a_theme_spanning_many_regions_is_split_into_province_pages(atlas: Path, monkeypatch) -> None:
    from generator.site import split

    monkeypatch.setattr(split, "THEME_SPLIT_REGIONS", 5)  # the 20-policy atlas spans 13 regions
    gen = generate(atlas)
    cat = gen.catalogue
    for tid in cat.theme_order:
        hub = gen.markdown[f"themes/{tid}.md"]
        parts = [part.region for part in split.theme_tree(cat, tid).parts]  # the provinces it is split into
        assert parts, tid
        assert "atlas-measure-compact" not in hub and "atlas-sbs" not in hub  # the hub only lists provinces
        seen: list[str] = []
        for part in parts:
            page = gen.markdown[f"themes/{tid}/{part}.md"]
            assert f'href="{part}/"' in hub  # listed on the hub, which is linked back
            assert 'href="../"' in page
            sections = [rid for _, rid in topic_regions(page)]
            assert all(cat.province_of(rid) == part for rid in sections), (tid, part)
            seen += sections
        wanted = [
            (t, r) for t in cat.topics_by_theme.get(tid, []) for r in {m.policy.region for m in cat.by_topic.get(t, [])}
        ]
        assert sorted(seen) == sorted(r for _, r in wanted), tid  # every topic × region link, exactly once


def topic_regions(page: str) -> list[tuple[str, str]]:
    """(topic, region) of every link from a theme page's topic section to that region's detail (its
    coverage row of the topic on the region page): the theme page no longer stacks the measures."""
    return [(t, r) for r, t in re.findall(r'href="[^"]*regions/([a-z0-9-]+)/#coverage-([a-z0-9-]+)"', page)]


# --------------------------------------------------------------------------- pages split below the province

SBS = re.compile(r'<table class="[^"]*atlas-sbs[^"]*"[^>]*>(.*?)</table>', re.S)
MEASURE = re.compile(r'href="[^"]*policies/([^/"]+)/#([^"]+)"')


@pytest.fixture()
def split_small(monkeypatch):
    """Every limit low enough for the 20-policy atlas (13 regions, 3 provinces) to split everywhere
    it can: the comparisons by province, provinces by city, cities by county."""
    from generator.site import split
    from generator.site.pages import home, policies

    monkeypatch.setattr(split, "THEME_SPLIT_REGIONS", 5)
    monkeypatch.setattr(split, "PART_MEASURE_LIMIT", 12)
    monkeypatch.setattr(split, "PART_ROW_LIMIT", 20)
    monkeypatch.setattr(split, "POLICY_LIST_LIMIT", 10)
    monkeypatch.setattr(policies, "POLICY_LIST_LATEST", 4)
    monkeypatch.setattr(home, "HOME_TIMELINE", 3)
    return split


def pages_under(gen: Generated, src: str) -> dict[str, str]:
    """A comparison's own page and every page below it, by source path."""
    base = src.removesuffix(".md") + "/"
    return {k: v for k, v in gen.markdown.items() if k == src or k.startswith(base)}


def place_of(src: str) -> str:
    """The region whose page ``src`` is (compare/targets/gansu/gansu-c01.md → gansu-c01)."""
    return src.removesuffix(".md").rsplit("/", 1)[-1]


def sbs_cells(markdown: str, leading: int = 0):
    """(row label, column's region name, cell HTML) for every cell of the side-by-side tables of a
    page; ``leading``: plain <td> cells before the region columns (the prize table's rank)."""
    for table in SBS.findall(markdown):
        head, body = table.split("</thead>")
        columns = re.findall(
            r'<th scope="col"[^>]*><a href="[^"]*">([^<]*)</a>(?:<a class="atlas-doubt"[^>]*>？</a>)?</th>', head
        )
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            label = " ".join([re.search(r'<th scope="row">(.*?)</th>', row).group(1), *cells[:leading]])
            assert len(cells) - leading == len(columns)
            yield from ((label, name, cell) for name, cell in zip(columns, cells[leading:]))


def in_place(cat, rid: str, place: str) -> bool:
    return place in cat.ancestors(rid) + [rid]


def test_compare_pages_split_by_place_show_every_row_exactly_once(atlas: Path, split_small) -> None:
    """Every target, statistic and amount is on exactly one page of its comparison, in its region's
    column, on the page of a place that region belongs to."""
    gen = generate(atlas)
    cat = gen.catalogue
    name = {rid: r.name for rid, r in cat.regions.items()}
    rid_of = {r.name: rid for rid, r in cat.regions.items()}
    targets, statistics = Counter(), Counter()
    pages = pages_under(gen, "compare/targets.md")
    assert len([p for p in pages if p.count("/") >= 3]) >= 2, sorted(pages)  # provinces split by city, too
    for src, page in pages.items():
        for metric, region, cell in sbs_cells(page):
            assert src != "compare/targets.md" and in_place(cat, rid_of[region], place_of(src)), (src, region)
            item = r'<li[^>]*>(?:<span class="atlas-cell-policy">[^<]*</span>)?<strong>([^<]*)</strong>.*?'
            for value, pid, mid in re.findall(item + MEASURE.pattern, cell):
                targets[(metric, region, value, pid, mid)] += 1
        for row in re.findall(r"<tr><td>[^<]*</td><td><a [^>]*>[^<]*</a></td>.*?</tr>", page):  # statistics table
            metric, region = re.match(r"<tr><td>([^<]*)</td><td><a [^>]*>([^<]*)</a>", row).groups()
            assert in_place(cat, rid_of[region], place_of(src)), (src, region)
            statistics[(metric, region, *MEASURE.search(row).groups())] += 1
    assert targets and statistics
    assert targets == Counter(
        (
            cat.metrics[t.target.metric].name,
            name[t.ref.policy.region],
            format_value(t.target.value, t.target.unit.value) + COMPARATOR_LABELS[t.target.comparator.value],
            t.ref.policy.id,
            t.ref.measure.id,
        )
        for t in cat.targets
    )
    assert statistics == Counter(
        (cat.metrics[s.statistic.metric].name, name[s.ref.policy.region], s.ref.policy.id, s.ref.measure.id)
        for s in cat.statistics
    )

    def shown(a: models.Amount) -> str:
        return ("最高" if a.up_to else "") + format_yuan(a.yuan) + (f"/{a.per}" if a.per else "")

    prizes, others = Counter(), Counter()
    pages = pages_under(gen, "compare/money.md")
    assert len([p for p in pages if p.count("/") >= 3]) >= 2, sorted(pages)
    for src, page in pages.items():
        prize_part, _, other_part = page.partition("{: #other }")
        for label, region, cell in sbs_cells(prize_part, leading=1):
            assert in_place(cat, rid_of[region], place_of(src)), (src, region)
            for pid, mid, yuan in re.findall(MEASURE.pattern + r"[^>]*>([^<]*)</a>", cell):
                prizes[(label, region, yuan, pid, mid)] += 1
        for kind, region, cell in sbs_cells(other_part):
            assert in_place(cat, rid_of[region], place_of(src)), (src, region)
            for yuan, pid, mid in re.findall(r"<li><strong>([^<]*)</strong>.*?" + MEASURE.pattern, cell):
                others[(kind, region, yuan, pid, mid)] += 1
    assert prizes and others
    assert prizes == Counter(
        (
            f"{models.TIER_LABELS[a.amount.tier.value] if a.amount.tier else '未分级'} "
            f"{f'第{a.amount.rank}名' if a.amount.rank else '—'}",
            name[a.ref.policy.region],
            shown(a.amount),
            a.ref.policy.id,
            a.ref.measure.id,
        )
        for a in cat.amounts
        if a.amount.kind is models.AmountKind.prize
    )
    assert others == Counter(
        (
            models.AMOUNT_KIND_LABELS[a.amount.kind.value],
            name[a.ref.policy.region],
            shown(a.amount),
            a.ref.policy.id,
            a.ref.measure.id,
        )
        for a in cat.amounts
        if a.amount.kind is not models.AmountKind.prize
    )


def test_the_hub_of_a_split_comparison_lists_its_provinces_with_an_overview(atlas: Path, split_small) -> None:
    gen = generate(atlas)
    cat = gen.catalogue
    provinces = sorted({cat.province_of(r) for r in cat.regions_with_policies()}, key=cat.region_sort_key)
    for src in ("compare/targets.md", "compare/money.md"):
        hub = gen.markdown[src]
        assert "atlas-sbs" not in hub and "<svg" not in hub  # bounded: no region's rows, no whole-atlas chart
        listed = re.findall(r'<li><a href="([^"]*)/">', hub.split("{: #overview }")[0])
        assert listed == provinces, src
        for province in provinces:
            page = gen.markdown[f"{src.removesuffix('.md')}/{province}.md"]
            assert f"· {cat.regions[province].name} {{:" in page and 'href="../">全部省份</a>' in page
    overview = gen.markdown["compare/targets.md"].split("{: #overview }")[1]
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td data-sort="(\d+)">\d+</td><td data-sort="(\d+)">', overview)
    assert sum(int(n) for _, _, n in rows) == len(cat.targets)
    assert {m for m, _, _ in rows} == {cat.metrics[t.target.metric].name for t in cat.targets}


def test_a_theme_province_over_the_measure_limit_is_split_by_city(atlas: Path, split_small) -> None:
    """A page over PART_MEASURE_LIMIT keeps its own region's topic links and lists the pages of the
    regions below (which link back); across a theme's pages every topic × region is linked once."""
    places = split_small
    gen = generate(atlas)
    cat = gen.catalogue
    split = 0
    for tid in cat.theme_order:
        tree = places.theme_tree(cat, tid)
        theme_pages = pages_under(gen, f"themes/{tid}.md")
        assert sorted(theme_pages) == sorted(p.src for p in tree.walk()), tid  # nothing more, nothing less
        seen: list[tuple[str, str]] = []
        for src, page in theme_pages.items():
            sections = topic_regions(page)
            if src == f"themes/{tid}.md":
                assert not sections
            else:
                place = place_of(src)
                # a split page keeps only its own level's measures; the others sit on pages below it
                under = [r for r in cat.regions_in_theme(tid) if in_place(cat, r, place)]
                below = [p for p in theme_pages if p.startswith(src.removesuffix(".md") + "/")]
                assert all(in_place(cat, r, place) for _, r in sections), (src, sections)
                if below:
                    split += 1
                    assert {r for _, r in sections} <= {place}, (src, sections)
                    assert sum(len(cat.by_theme_region.get((tid, r), ())) for r in under) > places.PART_MEASURE_LIMIT
                    for sub in below:
                        if sub.count("/") == src.count("/") + 1:  # listed here, and linking back
                            assert f'<a href="{place_of(sub)}/">' in page, (src, sub)
                            assert f'<a href="../">{cat.regions[place].name}</a>' in theme_pages[sub], sub
            seen += sections
        wanted = [
            (t, r) for t in cat.topics_by_theme.get(tid, []) for r in {m.policy.region for m in cat.by_topic.get(t, [])}
        ]
        assert sorted(seen) == sorted(wanted), tid  # every topic × region link, exactly once
    assert split, "the limits are meant to split some province by city"


def test_every_link_between_split_pages_resolves(atlas: Path, split_small) -> None:
    """In dir mode, every in-site href of every page points at a generated page or file, and every
    link to a topic (``#topic-…``) at a page that has that topic's section."""
    gen = generate(atlas)
    urls = {page_url(src, True): src for src in gen.markdown}
    targets = set(urls) | set(gen.files) | {"pdf/skills-policy-atlas.pdf", "downloads/skills-policy-atlas-offline.zip"}
    missing, unanchored = [], []
    for src, text in gen.markdown.items():
        base = "http://site/" + page_url(src, True)
        for href in re.findall(r'href="([^"]*)"', text):
            if href.startswith(("http://", "https://")):
                continue
            parts = urlsplit(urljoin(base, href))
            path = parts.path.removeprefix("/")
            if path not in targets:
                missing.append((src, href))
            elif parts.fragment.startswith("topic-") and f"{{: #{parts.fragment} }}" not in gen.markdown[urls[path]]:
                unanchored.append((src, href))
    assert not missing, missing[:20]
    assert not unanchored, unanchored[:20]
    assert any(src.count("/") >= 3 for src in gen.markdown if src.startswith("themes/"))  # links to city pages too


POLICY_ROW = re.compile(r'<tr data-regions="[^"]*"[^>]*><td class="atlas-plist-title"><a href="(?:[^"]*/)?([^/"]+)/">')


def test_a_long_policy_list_is_split_by_province_and_the_home_page_shows_the_latest(atlas: Path, split_small) -> None:
    gen = generate(atlas)
    cat = gen.catalogue
    hub = gen.markdown["policies/index.md"]
    provinces = split_small.policy_list_parts(cat)
    assert len(provinces) > 1
    # The list's own page: the provinces with their counts, and the latest policies, newest first.
    assert POLICY_ROW.findall(hub) == newest_first(cat, cat.policy_order)[:4]
    listed = []
    for province in provinces:
        page = gen.markdown[f"policies/by-province/{province}.md"]
        assert f'href="by-province/{province}/"' in hub and 'href="../../"' in page  # listed, and links back
        rows = POLICY_ROW.findall(page)
        assert all(cat.province_of(cat.policies[pid].region) == province for pid in rows)
        assert rows == newest_first(cat, [pid for pid in cat.policy_order if pid in rows])  # as the whole list
        assert f"{len(rows)} 份" in hub
        listed += rows
    assert sorted(listed) == sorted(cat.policy_order)  # every policy on exactly one province's page
    home = gen.markdown["index.md"]
    timeline = re.findall(r'<li><time>.*?href="policies/([^/"]+)/"', home)
    assert timeline == list(reversed(cat.policy_order))[:3]
    assert f"另有 {len(cat.policy_order) - 3} 份" in home
    chips = re.findall(r'class="atlas-chip" href="regions/([^/"]+)/"', home)
    assert chips == sorted(set(chips), key=cat.region_sort_key) and set(chips) == set(provinces)
