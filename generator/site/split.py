"""Comparisons split by place: which pages a theme, the targets or the money comparison is shown on.

A comparison spanning the whole country cannot be one page (a theme held 20,000+ measures at
5,000 policies). ``split_by_place`` decides the pages — the comparison's own, one per province,
then per city, county… while a page holds too much — as a tree of ``Part``; each page kind then
shows its part of the tree (``Views.part``). The policy list is split by province the same way
once the atlas is large. Nothing here renders or links: it only decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from generator.core.catalog import Catalogue, StatisticRef, TargetRef
from generator.site.urls import MONEY_SRC, TARGETS_SRC, theme_src

# A theme spanning more regions than this gets one page per province (its side-by-side tables, topic
# sections, targets and amounts), and the theme page lists them: at national scale a single theme page
# would hold 20,000+ measures (75 MB at 5,000 policies), which Python-Markdown's raw-HTML handling
# converts in quadratic time and no browser shows comfortably.
THEME_SPLIT_REGIONS = 100
# The compare pages (targets, money) are split the same way, and any province page of a split theme or
# comparison holding more than these many entries keeps only its own province-level ones and lists one
# page per prefecture city (per district in a municipality), and so on down: at 5,000 policies one
# province held 1,500 measures of a theme (4 MB) and 1,700 rows of the targets comparison. A theme
# measure takes about 2 kB of Markdown (link, summary, quotes, table cell), a compare row 0.5–0.7 kB,
# so either page stays under about 1 MB.
PART_MEASURE_LIMIT = 400  # measures, on a theme's page
PART_ROW_LIMIT = 1000  # rows (targets and statistics, or amounts), on a compare page
# Above this many policies the policy list is split by province (its own page lists the provinces and
# the latest policies), and the home page shows the latest policies (pages.home.HOME_TIMELINE) and the provinces
# rather than every policy and region: one row per policy was 5.5 MB at 5,000 policies.
POLICY_LIST_LIMIT = 500


# --------------------------------------------------------------------------- pages split by place


@dataclass
class Part:
    """One page of a comparison split by place (``split_by_place``): the comparison's own page
    (``region`` ""), a province's (or the national level's), or a prefecture city's, and so on."""

    src: str
    region: str  # the province, city… whose page it is; "" for the comparison's own page
    regions: list[str]  # every region under it, in display order
    own: list[str]  # those whose entries it shows itself; the others are on its ``parts``
    weight: int  # its entries (measures or rows), its parts' included
    parts: list[Part] = field(default_factory=list)  # the pages of the places below, listed on it
    up: Part | None = None  # the page listing it

    def walk(self) -> Iterator[Part]:
        """This page and every page below it, each before its parts (the order of the site's pages)."""
        yield self
        for part in self.parts:
            yield from part.walk()

    def chain(self) -> list[Part]:
        """The pages above this one, the comparison's own first."""
        chain = []
        up = self.up
        while up is not None:
            chain.append(up)
            up = up.up
        return list(reversed(chain))


def split_by_place(cat: Catalogue, src: str, regions: list[str], weights: dict[str, int], limit: int) -> Part:
    """The pages a comparison over ``regions`` (display order; ``weights``: entries per region) is
    shown on. One page while it spans at most THEME_SPLIT_REGIONS regions; else that page lists one
    page per province, and a page with more than ``limit`` entries keeps the entries of its own region
    and lists one page per region just below (``_split_heavy``). Each page's size is thus bounded by
    the limits, not by the size of the atlas — short of a single region having more than ``limit``."""
    root = Part(src, "", regions, regions, sum(weights.get(r, 0) for r in regions))
    if len(regions) > THEME_SPLIT_REGIONS:
        _divide(cat, root, cat.province_of, weights)
        for part in root.parts:
            _split_heavy(cat, part, weights, limit)
    return root


def _divide(cat: Catalogue, node: Part, key: Callable[[str], str | None], weights: dict[str, int]) -> None:
    """Move ``node``'s regions to one page per ``key(region)`` (``<node>/<key>.md``); those whose key
    is None stay on ``node``."""
    own: list[str] = []
    groups: dict[str, list[str]] = {}
    for rid in node.regions:
        k = key(rid)
        if k is None:
            own.append(rid)
        else:
            groups.setdefault(k, []).append(rid)
    base = node.src.removesuffix(".md")
    node.own = own
    node.parts = [
        Part(f"{base}/{k}.md", k, members, members, sum(weights.get(r, 0) for r in members), up=node)
        for k, members in sorted(groups.items(), key=lambda kv: cat.region_sort_key(kv[0]))
    ]


def _split_heavy(cat: Catalogue, node: Part, weights: dict[str, int], limit: int) -> None:
    """Split ``node`` by the regions just below its own (a province's cities, a city's counties)
    while it has more than ``limit`` entries and regions below it."""
    if node.weight <= limit:
        return

    def below(rid: str) -> str | None:
        chain = cat.ancestors(rid) + [rid]
        if node.region not in chain:
            return None
        at = chain.index(node.region)
        return chain[at + 1] if at + 1 < len(chain) else None

    if all(below(rid) is None for rid in node.regions):
        return
    _divide(cat, node, below, weights)
    for part in node.parts:
        _split_heavy(cat, part, weights, limit)


def theme_tree(cat: Catalogue, theme_id: str) -> Part:
    regions = cat.regions_in_theme(theme_id)
    weights = {rid: len(cat.by_theme_region.get((theme_id, rid), ())) for rid in regions}
    return split_by_place(cat, theme_src(theme_id), regions, weights, PART_MEASURE_LIMIT)


def targets_tree(cat: Catalogue) -> Part:
    """Regions weighed by their targets and statistics: the compare page lists both."""
    weights: dict[str, int] = {}
    items: list[TargetRef | StatisticRef] = [*cat.targets, *cat.statistics]
    for item in items:
        rid = item.ref.policy.region
        weights[rid] = weights.get(rid, 0) + 1
    return split_by_place(cat, TARGETS_SRC, sorted(weights, key=cat.region_sort_key), weights, PART_ROW_LIMIT)


def money_tree(cat: Catalogue) -> Part:
    weights: dict[str, int] = {}
    for a in cat.amounts:
        weights[a.ref.policy.region] = weights.get(a.ref.policy.region, 0) + 1
    return split_by_place(cat, MONEY_SRC, sorted(weights, key=cat.region_sort_key), weights, PART_ROW_LIMIT)


# --------------------------------------------------------------------------- the policy list


def policy_list_is_split(cat: Catalogue) -> bool:
    """Whether the atlas is large enough for the policy list to be split by province (and the home
    page to show the latest policies and the provinces only)."""
    return len(cat.policies) > POLICY_LIST_LIMIT


def policies_by_province(cat: Catalogue) -> dict[str, list[str]]:
    """Each province's (and the national level's) policies, in date order; provinces in display order."""
    groups: dict[str, list[str]] = {}
    for pid in cat.policy_order:
        groups.setdefault(cat.province_of(cat.policies[pid].region), []).append(pid)
    return {p: groups[p] for p in sorted(groups, key=cat.region_sort_key)}


def policy_list_parts(cat: Catalogue) -> list[str]:
    """The provinces (and national level) the policy list is split into; [] when it fits one page."""
    return list(policies_by_province(cat)) if policy_list_is_split(cat) else []
