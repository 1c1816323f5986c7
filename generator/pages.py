"""Deciding the pages and computing what each shows.

Each ``*_page`` function turns the catalogue into a plain context for one
template: every link, label, value and ordering is computed here, so the
templates only loop and print. ``all_pages`` lists every generated page with
its source path (which fixes its URL) and the data file a reader would edit.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional

from . import models
from .catalog import Catalogue, MeasureRef, external_slug, policy_date, policy_year
from .render import COMPARATOR_LABELS, Linker, format_value, format_yuan, macros, one_line
from .sources import to_simplified

PDF_PATH = "pdf/skills-policy-atlas.pdf"
OFFLINE_PATH = "downloads/skills-policy-atlas-offline.zip"
MAX_TABLE_COLUMNS = 12  # beyond this, side-by-side tables are split by province
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
# the latest policies), and the home page shows the latest HOME_TIMELINE policies and the provinces
# rather than every policy and region: one row per policy was 5.5 MB at 5,000 policies.
POLICY_LIST_LIMIT = 500
HOME_TIMELINE = 50
POLICY_LIST_LATEST = 100
# The glossary lists where each term occurs, up to this many measures (the first, in date order):
# a whole country's atlas would put tens of thousands of links under 技能人才 on one page.
GLOSSARY_LIMIT = 100

STATUS_LABELS = {"in-force": "现行有效", "expired": "已失效", "superseded": "已被替代", "unknown": "状态不详"}
LEVEL_LABELS = {"national": "全国", "province": "省级", "prefecture": "地市级", "county": "县级"}
SCRIPT_LABELS = {"zh-Hans": "简体", "zh-Hant": "繁体"}
KIND_LABELS = models.AMOUNT_KIND_LABELS
TIER_LABELS = models.TIER_LABELS


@dataclass
class Page:
    src: str  # source path, e.g. "policies/xinxiang-2023-high-skilled-talent.md"
    template: str
    build: Callable[[Linker], dict]  # the template context, for a given kind of links
    title: str
    edit: Optional[str] = None  # data file behind the page, for "edit this page"
    search: bool = True  # excluded from the search index when False
    pdf: bool = True  # part of the PDF


# --------------------------------------------------------------------------- paths


def policy_src(pid: str) -> str:
    return f"policies/{pid}.md"


def is_policy_page(src: str) -> bool:
    return src.startswith("policies/") and src.count("/") == 1 and src != "policies/index.md"


def region_src(rid: str) -> str:
    return f"regions/{rid}.md"


def theme_src(tid: str) -> str:
    return f"themes/{tid}.md"


def source_src(pid: str) -> str:
    return f"sources/{pid}.md"


def reference_src(slug: str) -> str:
    return f"references/{slug}.md"


def policy_list_src(province: str) -> str:
    return f"policies/by-province/{province}.md"


def policies_by_province(cat: Catalogue) -> dict[str, list[str]]:
    """Each province's (and the national level's) policies, in date order; provinces in display order."""
    groups: dict[str, list[str]] = {}
    for pid in cat.policy_order:
        groups.setdefault(cat.province_of(cat.policies[pid].region), []).append(pid)
    return {p: groups[p] for p in sorted(groups, key=cat.region_sort_key)}


def policy_list_parts(cat: Catalogue) -> list[str]:
    """The provinces (and national level) the policy list is split into; [] when it fits one page."""
    return list(policies_by_province(cat)) if len(cat.policies) > POLICY_LIST_LIMIT else []


TARGETS_SRC = "compare/targets.md"
MONEY_SRC = "compare/money.md"


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
    up: Optional[Part] = None  # the page listing it

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


def _divide(cat: Catalogue, node: Part, key: Callable[[str], Optional[str]], weights: dict[str, int]) -> None:
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
    node.parts = [Part(f"{base}/{k}.md", k, members, members, sum(weights.get(r, 0) for r in members), up=node)
                  for k, members in sorted(groups.items(), key=lambda kv: cat.region_sort_key(kv[0]))]


def _split_heavy(cat: Catalogue, node: Part, weights: dict[str, int], limit: int) -> None:
    """Split ``node`` by the regions just below its own (a province's cities, a city's counties)
    while it has more than ``limit`` entries and regions below it."""
    if node.weight <= limit:
        return

    def below(rid: str) -> Optional[str]:
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
    for item in [*cat.targets, *cat.statistics]:
        rid = item.ref.policy.region
        weights[rid] = weights.get(rid, 0) + 1
    return split_by_place(cat, TARGETS_SRC, sorted(weights, key=cat.region_sort_key), weights, PART_ROW_LIMIT)


def money_tree(cat: Catalogue) -> Part:
    weights: dict[str, int] = {}
    for a in cat.amounts:
        weights[a.ref.policy.region] = weights.get(a.ref.policy.region, 0) + 1
    return split_by_place(cat, MONEY_SRC, sorted(weights, key=cat.region_sort_key), weights, PART_ROW_LIMIT)


def topic_anchor(topic_id: str) -> str:
    return f"topic-{topic_id}"


# --------------------------------------------------------------------------- shared view pieces


class Views:
    """Small reusable pieces of view-model, bound to one catalogue."""

    def __init__(self, cat: Catalogue):
        self.cat = cat
        terms = []
        for term in cat.glossary.values():
            for word in [term.term, *term.aliases]:
                terms.append((word, term))
        terms.sort(key=lambda wt: (-len(wt[0]), wt[0]))
        self.term_of = {w: t for w, t in terms}
        self.term_pattern = re.compile("|".join(re.escape(w) for w, _ in terms)) if terms else None
        self._measure_labels: dict[int, dict] = {}  # id(MeasureRef) → its link labels (refs live as long as cat)
        self._related_items: dict[tuple[str, int], object] = {}  # (mode, id(MeasureRef)) → its rendered entry
        self.theme_layouts: dict[str, dict] = {}  # theme id → theme_layout(), shared by its province pages
        self.split_pages: dict[str, Part] = {}  # source path → its page of a comparison split by place
        self._trees: set[str] = set()  # the comparisons (their own page's path) already split
        self._by_region: dict[str, dict[str, list[int]]] = {}  # list name → region → positions in it

    def part(self, root: str, make: Callable[[], Part], src: Optional[str] = None) -> Part:
        """The page ``src`` (default: ``root``) of the comparison whose own page is ``root``, split
        by ``make`` once: a split comparison has hundreds of pages, each asks."""
        if root not in self._trees:
            self._trees.add(root)
            self.split_pages.update((page.src, page) for page in make().walk())
        return self.split_pages[src or root]

    def picked(self, name: str, items: list, regions: Iterable[str]) -> list:
        """The ``items`` (targets, statistics, amounts: anything with ``.ref``) from ``regions``, in
        their order in ``items`` — which is indexed by region once (under ``name``), so the pages of
        a split comparison do not each scan the whole atlas."""
        index = self._by_region.get(name)
        if index is None:
            index = self._by_region[name] = {}
            for i, item in enumerate(items):
                index.setdefault(item.ref.policy.region, []).append(i)
        return [items[i] for i in sorted(i for rid in regions for i in index.get(rid, ()))]

    def place_name(self, page: Part) -> str:
        """"广东省 · 广州市" for a city's page of a split comparison; "" for the comparison's own page."""
        return " · ".join(self.region_name(p.region) for p in [*page.chain(), page] if p.region)

    def place(self, ln: Linker, page: Part) -> dict:
        """What a page of a comparison split by place shows of where it sits: its place's name
        ("" on the comparison's own page), the comparison's own page (None there) and the pages in
        between, each a link up."""
        chain = page.chain()
        return {"part": self.place_name(page),
                "hub": ln.href(chain[0].src) if chain else None,
                "ups": [{"href": ln.href(p.src), "text": self.region_name(p.region)} for p in chain[1:]]}

    def region_name(self, rid: str) -> str:
        region = self.cat.regions.get(rid)
        return region.name if region else rid

    def region_link(self, ln: Linker, rid: str) -> dict:
        return {"href": ln.href(region_src(rid)), "text": self.region_name(rid)}

    def policy_link(self, ln: Linker, pid: str) -> dict:
        policy = self.cat.policies[pid]
        return {"href": ln.href(policy_src(pid)), "text": policy.short_title, "title": policy.title,
                "year": policy_year(policy), "region": self.region_name(policy.region),
                "status": policy.status.value, "status_label": STATUS_LABELS[policy.status.value],
                "external": False}  # relation lists mix these with external references

    def measure_link(self, ln: Linker, ref: MeasureRef) -> dict:
        # The same measure is linked from up to dozens of pages (related lists, theme tables): its
        # labels are computed once; only the href depends on the page.
        labels = self._measure_labels.get(id(ref))
        if labels is None:
            labels = {"text": ref.measure.title, "section": ref.measure.section, "policy": ref.policy.short_title,
                      "year": policy_year(ref.policy), "region": self.region_name(ref.policy.region)}
            self._measure_labels[id(ref)] = labels
        return {"href": ln.href(policy_src(ref.policy.id), ref.measure.id), **labels}

    def related_items(self, ln: Linker, refs: list[MeasureRef]) -> list:
        """A measure's related-measures list, each entry rendered by the ``related_item`` partial.

        At 1,000 policies the lists hold half a million entries, and rendering each was a fifth of
        the generator's time. Policy pages all sit side by side in policies/, so an entry (always a
        measure of another policy) links the same way from every one of them: each measure's entry
        is rendered once per output mode.
        """
        render = macros().related_item
        if not is_policy_page(ln.src):
            return [render(self.measure_link(ln, r)) for r in refs]
        items = []
        for ref in refs:
            key = (ln.mode, id(ref))
            item = self._related_items.get(key)
            if item is None or policy_src(ref.policy.id) == ln.src:
                item = render(self.measure_link(ln, ref))
                if policy_src(ref.policy.id) != ln.src:
                    self._related_items[key] = item
            items.append(item)
        return items

    def theme_link(self, ln: Linker, tid: str) -> dict:
        theme = self.cat.themes[tid]
        return {"href": ln.href(theme_src(tid)), "text": theme.name, "id": tid}

    def topic_link(self, ln: Linker, topic_id: str) -> dict:
        topic = self.cat.topics[topic_id]
        return {"href": ln.href(theme_src(topic.theme), topic_anchor(topic_id)), "text": topic.name, "id": topic_id}

    def glossed(self, ln: Linker, text: str) -> list[dict]:
        """Split text into plain parts and glossary terms linked to their entry (first occurrence only)."""
        parts: list[dict] = []
        if not self.term_pattern:
            return [{"text": text, "href": None, "tip": None}]
        seen: set[str] = set()
        pos = 0
        for match in self.term_pattern.finditer(text):
            term = self.term_of[match.group()]
            if term.id in seen:
                continue
            seen.add(term.id)
            if match.start() > pos:
                parts.append({"text": text[pos:match.start()], "href": None, "tip": None})
            parts.append({"text": match.group(), "href": ln.href("glossary.md", term.id),
                          "tip": one_line(term.definition)})
            pos = match.end()
        if pos < len(text):
            parts.append({"text": text[pos:], "href": None, "tip": None})
        return parts

    def quote_view(self, ln: Linker, policy: models.Policy, quote: str) -> dict:
        span = self.cat.data.span(policy.id, quote)
        traditional = policy.source.script is models.Script.traditional
        view = {"text": quote, "original": None, "line": None, "href": None, "fixes": ""}
        if span is not None:
            view["line"] = span.line if span.line == span.end_line else f"{span.line}–{span.end_line}"
            view["href"] = ln.href(source_src(policy.id), f"L{span.line}")
            if traditional:
                view["original"] = span.original
                view["fixes"] = "、".join(f"{a}→{b}" for a, b in span.fixes)
        return view

    def target_row(self, ln: Linker, ref: MeasureRef, target: models.Target) -> dict:
        metric = self.cat.metrics.get(target.metric)
        when = []
        if target.deadline:
            when.append(f"{target.deadline}年")
        if target.period:
            start, end = models.PERIOD_YEARS[target.period.value]
            when.append(f"“{target.period.value}”（{start}–{end}）")
        return {
            "metric": metric.name if metric else target.metric,
            "metric_id": target.metric,
            "value": format_value(target.value, target.unit.value) + COMPARATOR_LABELS[target.comparator.value],
            "raw": target.value,
            "when": "，".join(when) or "未写明",
            "scope": target.scope or "",
            "quote": self.quote_view(ln, ref.policy, target.quote),
            "measure": self.measure_link(ln, ref),
            "region": self.region_link(ln, ref.policy.region),
        }

    def statistic_row(self, ln: Linker, ref: MeasureRef, stat: models.Statistic) -> dict:
        metric = self.cat.metrics.get(stat.metric)
        return {
            "metric": metric.name if metric else stat.metric,
            "value": format_value(stat.value, stat.unit.value),
            "raw": stat.value,  # sort key: the table sorts by the number, not by "122万人"
            "as_of": stat.as_of,
            "scope": stat.scope or "",
            "quote": self.quote_view(ln, ref.policy, stat.quote),
            "measure": self.measure_link(ln, ref),
            "region": self.region_link(ln, ref.policy.region),
        }

    def amount_row(self, ln: Linker, ref: MeasureRef, amount: models.Amount) -> dict:
        return {
            "yuan": ("最高" if amount.up_to else "") + format_yuan(amount.yuan) + (f"/{amount.per}" if amount.per else ""),
            "raw": amount.yuan,
            "kind": KIND_LABELS[amount.kind.value],
            "recipient": amount.recipient,
            "condition": amount.condition,
            "tier": TIER_LABELS[amount.tier.value] if amount.tier else "",
            "rank": f"第{amount.rank}名" if amount.rank else "",
            "quote": self.quote_view(ln, ref.policy, amount.quote),
            "measure": self.measure_link(ln, ref),
            "region": self.region_link(ln, ref.policy.region),
        }

    def compact_measure_view(self, ln: Linker, ref: MeasureRef) -> dict:
        """What a theme page shows of a measure: its link, summary and quotes. A measure is shown
        once per topic, on large theme pages; the full view's tables and badges went unused."""
        m = ref.measure
        return {"id": m.id, "link": self.measure_link(ln, ref), "summary": self.glossed(ln, m.summary),
                "quotes": [self.quote_view(ln, ref.policy, q) for q in m.quotes]}

    def measure_view(self, ln: Linker, ref: MeasureRef, related: bool = True) -> dict:
        m = ref.measure
        related_refs, related_more = self.cat.related(ref) if related else ([], False)
        return {
            "id": m.id,
            "anchor": ln.anchor(m.id),
            "section": m.section,
            "title": m.title,
            "themes": [self.theme_link(ln, t) for t in m.themes if t in self.cat.themes],
            "topics": [self.topic_link(ln, t) for t in m.topics if t in self.cat.topics],
            "summary": self.glossed(ln, m.summary),
            "quotes": [self.quote_view(ln, ref.policy, q) for q in m.quotes],
            "agencies": m.agencies,
            "targets": [self.target_row(ln, ref, t) for t in m.targets],
            "statistics": [self.statistic_row(ln, ref, s) for s in m.statistics],
            "amounts": [self.amount_row(ln, ref, a) for a in m.amounts],
            "related": self.related_items(ln, related_refs),
            "related_more": related_more,  # the list was cut at RELATED_LIMIT: the topic badges lead on
            "link": self.measure_link(ln, ref),
            "breadcrumbs": self.breadcrumbs(ln, ref),
        }

    def breadcrumbs(self, ln: Linker, ref: MeasureRef) -> list[dict]:
        """Theme › topic › region: where a measure sits in the side-by-side comparison, so a reader
        who lands on it from search or a link can step back out to the comparison or the region."""
        m = ref.measure
        theme = next((t for t in m.themes if t in self.cat.themes), None)
        crumbs = [self.theme_link(ln, theme)] if theme else []
        topic = next((t for t in m.topics if t in self.cat.topics and self.cat.topics[t].theme == theme), None)
        if topic:
            crumbs.append(self.topic_link(ln, topic))
        crumbs.append(self.region_link(ln, ref.policy.region))
        return crumbs

    def column_groups(self, regions: list[str]) -> list[tuple[str, list[str]]]:
        """Regions as table columns, in groups a reader can take in: all together up to
        MAX_TABLE_COLUMNS, else one group per province; a province still wider than that is split
        by prefecture city (the province's own column, then each city with its counties), and a
        city wider still into consecutive parts — with a whole atlas a province has 200 regions."""
        if len(regions) <= MAX_TABLE_COLUMNS:
            return [("", regions)]
        by_province: dict[str, list[str]] = {}
        for rid in regions:
            by_province.setdefault(self.cat.province_of(rid), []).append(rid)
        groups = []
        for province, members in sorted(by_province.items(), key=lambda kv: self.cat.region_sort_key(kv[0])):
            label = self.region_name(province)
            if len(members) <= MAX_TABLE_COLUMNS:
                groups.append((label, members))
                continue
            by_city: dict[str, list[str]] = {}
            for rid in members:
                city = next((a for a in self.cat.ancestors(rid) + [rid]
                             if self.cat.regions[a].level.value == "prefecture"), province)
                by_city.setdefault(city, []).append(rid)
            for city, part in sorted(by_city.items(), key=lambda kv: self.cat.region_sort_key(kv[0])):
                city_label = label if city == province else f"{label} · {self.region_name(city)}"
                for start in range(0, len(part), MAX_TABLE_COLUMNS):
                    groups.append((city_label + ("（续）" if start else ""), part[start:start + MAX_TABLE_COLUMNS]))
        return groups

    def column_tables(self, ln: Linker, regions: list[str], rows: list[dict]) -> list[dict]:
        """A table with one column per region (each row's ``cells``, in ``regions`` order), split
        into ``column_groups``; a row with nothing in a group's columns is left out of its table."""
        at = {rid: i for i, rid in enumerate(regions)}
        tables = []
        for label, group in self.column_groups(regions):
            picked = [at[rid] for rid in group]
            part = []
            for row in rows:
                cells = [row["cells"][i] for i in picked]
                if any(cells):
                    part.append(row | {"cells": cells})
            tables.append({"label": label, "regions": [self.region_link(ln, r) for r in group], "rows": part})
        return tables

    def side_by_side(self, ln: Linker, theme_id: str, regions: list[str], src: Optional[str] = None) -> list[dict]:
        """Rows = the theme's topics, columns = ``regions`` (display order: all the theme's, or one
        page's); split by province when too wide to read. A topic's row links to its section on the
        page ``src`` (default: the theme's), which lists the same measures with their summaries."""
        topics = [t for t in self.cat.topics_by_theme.get(theme_id, []) if self.cat.by_topic.get(t)]
        groups = self.column_groups(regions)
        tables = []
        for label, group in groups:
            rows = []
            for topic_id in topics:
                cells = []
                for rid in group:
                    refs = self.cat.by_topic_region.get((topic_id, rid), [])
                    cells.append([self.measure_link(ln, r) for r in refs])
                if any(cells):
                    topic = self.topic_link(ln, topic_id)
                    if src:
                        topic["href"] = ln.href(src, topic_anchor(topic_id))
                    rows.append({"topic": topic, "cells": cells})
            untagged = []
            for rid in group:
                refs = [r for r in self.cat.by_theme_region.get((theme_id, rid), [])
                        if not any(self.cat.topics.get(t) and self.cat.topics[t].theme == theme_id for t in r.measure.topics)]
                untagged.append([self.measure_link(ln, r) for r in refs])
            if any(untagged):
                rows.append({"topic": {"href": None, "text": "其他相关条款", "id": ""}, "cells": untagged})
            tables.append({"label": label, "regions": [self.region_link(ln, r) for r in group], "rows": rows,
                           "columns": len(group) + 1})
        return tables


# --------------------------------------------------------------------------- page builders


def home_page(cat: Catalogue, v: Views) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        large = len(cat.policies) > POLICY_LIST_LIMIT
        latest = list(reversed(cat.policy_order))[:HOME_TIMELINE] if large else list(reversed(cat.policy_order))
        timeline = [v.policy_link(ln, pid) | {"date": (policy_date(cat.policies[pid]) or "").__str__()}
                    for pid in latest]
        if large:  # the provinces (national level included), counting the policies of every region in them
            regions = [v.region_link(ln, r) | {"policies": len(pids)} for r, pids in policies_by_province(cat).items()]
        else:
            regions = [v.region_link(ln, r) | {"policies": len(cat.policies_by_region[r])}
                       for r in cat.regions_with_policies()]
        return {
            "counts": cat.counts(),
            "themes": [v.theme_link(ln, t) | {"description": cat.themes[t].description,
                                              "measures": len(cat.by_theme.get(t, [])),
                                              "regions": len(cat.regions_in_theme(t)),
                                              "core": cat.themes[t].core}
                       for t in cat.theme_order],
            "regions": regions,
            "regions_are_provinces": large,
            "timeline": timeline,
            "timeline_more": len(cat.policies) - len(timeline),
            "links": {
                "themes": ln.href("themes/index.md"), "regions": ln.href("regions/index.md"),
                "policies": ln.href("policies/index.md"), "targets": ln.href("compare/targets.md"),
                "money": ln.href("compare/money.md"), "glossary": ln.href("glossary.md"),
                "downloads": ln.href("downloads.md"), "contribute": ln.href("contribute.md"),
                "pdf": ln.asset(PDF_PATH),
            },
        }
    return build


def theme_layout(cat: Catalogue, v: Views, theme_id: str) -> dict:
    """What a theme's pages share, computed once per theme: each topic's regions (display order)
    and its measures in each region (the pages of a split theme count theirs from these)."""
    if theme_id not in v.theme_layouts:
        topics = {}
        for topic_id in cat.topics_by_theme.get(theme_id, []):
            counts: dict[str, int] = {}
            for ref in cat.by_topic.get(topic_id, []):
                counts[ref.policy.region] = counts.get(ref.policy.region, 0) + 1
            topics[topic_id] = {"regions": sorted(counts, key=cat.region_sort_key), "counts": counts}
        v.theme_layouts[theme_id] = {"topics": topics}
    return v.theme_layouts[theme_id]


def theme_page(cat: Catalogue, v: Views, theme_id: str, src: Optional[str] = None) -> Callable[[Linker], dict]:
    """A theme's page — or, for a theme split by place (``theme_tree``), one of its pages ``src``:
    the theme's own lists its provinces, a province's shows its regions and maybe lists its cities."""
    def build(ln: Linker) -> dict:
        theme = cat.themes[theme_id]
        page = v.part(theme_src(theme_id), lambda: theme_tree(cat, theme_id), src)
        layout = theme_layout(cat, v, theme_id)
        own = set(page.own)
        topics = []
        for topic_id in cat.topics_by_theme.get(theme_id, []):
            topic = cat.topics[topic_id]
            regions = []
            for rid in layout["topics"][topic_id]["regions"]:
                if rid not in own:
                    continue
                refs = cat.by_topic_region[(topic_id, rid)]
                regions.append({"region": v.region_link(ln, rid), "anchor": ln.anchor(f"{topic_anchor(topic_id)}--{rid}"),
                                "measures": [v.compact_measure_view(ln, r) for r in refs]})
            counts = layout["topics"][topic_id]["counts"]
            in_parts = [(part, sum(counts.get(rid, 0) for rid in part.regions)) for part in page.parts]
            topics.append({"id": topic_id, "anchor": ln.anchor(topic_anchor(topic_id)), "name": topic.name,
                           "name_en": topic.name_en, "description": topic.description, "regions": regions,
                           "parts": [{"href": ln.href(part.src, topic_anchor(topic_id)),
                                      "text": v.region_name(part.region), "count": count}
                                     for part, count in in_parts if count],
                           "count": len(cat.by_topic.get(topic_id, []))})
        return v.place(ln, page) | {
            "theme": theme,
            "parts": [{"href": ln.href(part.src), "text": v.region_name(part.region), "regions": len(part.regions),
                       "measures": part.weight} for part in page.parts],
            "anchor": ln.anchor,
            "tables": v.side_by_side(ln, theme_id, page.own, page.src) if page.own else [],
            "csv": ln.asset(f"downloads/theme-{theme_id}.csv"),
            "topics": topics,
            "targets": [v.target_row(ln, t.ref, t.target)
                        for t in v.picked(f"targets:{theme_id}", cat.targets_by_theme.get(theme_id, []), page.own)],
            "amounts": [v.amount_row(ln, a.ref, a.amount)
                        for a in v.picked(f"amounts:{theme_id}", cat.amounts_by_theme.get(theme_id, []), page.own)],
            "measure_count": page.weight,
            "region_count": len(page.regions),
        }
    return build


def themes_index(cat: Catalogue, v: Views) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        return {"themes": [v.theme_link(ln, t) | {"description": cat.themes[t].description,
                                                  "name_en": cat.themes[t].name_en,
                                                  "measures": len(cat.by_theme.get(t, [])),
                                                  "regions": len(cat.regions_in_theme(t)),
                                                  "topics": [v.topic_link(ln, x) for x in cat.topics_by_theme.get(t, [])]}
                           for t in cat.theme_order]}
    return build


def region_page(cat: Catalogue, v: Views, rid: str) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        region = cat.regions[rid]
        pids = cat.policies_by_region.get(rid, [])
        coverage = []
        for theme_id in cat.theme_order:
            rows = []
            for topic_id in cat.topics_by_theme.get(theme_id, []):
                hits = cat.by_topic_region.get((topic_id, rid), [])
                if hits:
                    rows.append({"topic": v.topic_link(ln, topic_id), "measures": [v.measure_link(ln, r) for r in hits]})
            if rows:
                coverage.append({"theme": v.theme_link(ln, theme_id), "rows": rows})
        return {
            "region": region,
            "level": LEVEL_LABELS[region.level.value],
            "ancestors": [v.region_link(ln, a) for a in cat.ancestors(rid)],
            "children": [v.region_link(ln, c) | {"policies": len(cat.policies_by_region.get(c, []))}
                         for c in cat.children.get(rid, [])],
            "policies": [v.policy_link(ln, pid) | {"date": str(policy_date(cat.policies[pid]) or "日期不详"),
                                                  "doc_type": cat.policies[pid].doc_type.value,
                                                  "measures": len(cat.policies[pid].measures)} for pid in pids],
            "coverage": coverage,
            "targets": [v.target_row(ln, t.ref, t.target) for t in cat.targets_by_region.get(rid, [])],
            "statistics": [v.statistic_row(ln, s.ref, s.statistic) for s in cat.statistics_by_region.get(rid, [])],
            "amounts": [v.amount_row(ln, a.ref, a.amount) for a in cat.amounts_by_region.get(rid, [])],
            "contribute": ln.href("contribute.md"),
        }
    return build


def regions_index(cat: Catalogue, v: Views) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        def node(rid: str) -> dict:
            return v.region_link(ln, rid) | {"level": LEVEL_LABELS[cat.regions[rid].level.value],
                                             "code": cat.regions[rid].code,
                                             "policies": len(cat.policies_by_region.get(rid, [])),
                                             "children": [node(c) for c in cat.children.get(rid, [])]}
        roots = [r for r in cat.region_order if not cat.regions[r].parent or cat.regions[r].parent not in cat.regions]
        return {"roots": [node(r) for r in roots]}
    return build


def _relation_view(v: Views, ln: Linker, rel: models.Relation) -> dict:
    if rel.policy:
        return v.policy_link(ln, rel.policy) | {"external": False}
    ref = rel.ref
    return {"href": ln.href(reference_src(external_slug(ref.title))), "text": ref.title,
            "doc_number": ref.doc_number or "", "issuer": ref.issuer or "", "external": True}


def policy_page(cat: Catalogue, v: Views, pid: str) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        policy = cat.policies[pid]
        refs = cat.by_policy.get(pid, [])
        d = policy.dates
        dates = [(label, str(getattr(d, key))) for key, label in
                 (("signed", "成文日期"), ("published", "发布日期"), ("effective", "施行日期"), ("expiry", "失效日期"))
                 if getattr(d, key)]
        notes = [{"kind": models.NOTE_KIND_LABELS[n.kind.value], "note": n.note,
                  "evidence": v.quote_view(ln, policy, n.evidence),
                  "measure": ({"href": ln.href(policy_src(pid), n.measure), "text": n.measure} if n.measure else None)}
                 for n in policy.notes]
        return {
            "policy": policy,
            "anchor": ln.anchor,
            "region": v.region_link(ln, policy.region),
            "region_chain": [v.region_link(ln, a) for a in cat.ancestors(policy.region)],
            "status_label": STATUS_LABELS[policy.status.value],
            "script_label": SCRIPT_LABELS[policy.source.script.value],
            "dates": dates,
            "source_href": ln.href(source_src(pid)),
            "source_url": policy.source.url,
            "implements": [_relation_view(v, ln, r) for r in policy.implements],
            "cites": [_relation_view(v, ln, r) for r in policy.cites],
            "implemented_by": [v.policy_link(ln, p) for p in cat.implemented_by.get(pid, [])],
            "cited_by": [v.policy_link(ln, p) for p in cat.cited_by.get(pid, [])],
            "superseded_by": v.policy_link(ln, policy.superseded_by) if policy.superseded_by in cat.policies else None,
            "supersedes": [v.policy_link(ln, p) for p in cat.superseding.get(pid, [])],
            "measures": [v.measure_view(ln, r) for r in refs],
            "targets": [row for r in refs for row in (v.target_row(ln, r, t) for t in r.measure.targets)],
            "statistics": [row for r in refs for row in (v.statistic_row(ln, r, s) for s in r.measure.statistics)],
            "amounts": [row for r in refs for row in (v.amount_row(ln, r, a) for a in r.measure.amounts)],
            "notes": notes,
            "traditional": policy.source.script is models.Script.traditional,
            "wording": ln.href("sources/wording.md") if policy.source.script is models.Script.traditional else None,
        }
    return build


def policies_index(cat: Catalogue, v: Views, province: Optional[str] = None) -> Callable[[Linker], dict]:
    """The policy list — or, in a large atlas, its own page (the provinces and the latest policies)
    and one page per province (``province``) with every policy of its regions."""
    def build(ln: Linker) -> dict:
        parts = policy_list_parts(cat) if province is None else []
        groups = policies_by_province(cat) if province is not None or parts else {}
        if province is not None:
            pids = groups[province]
        elif parts:
            pids = list(reversed(cat.policy_order))[:POLICY_LIST_LATEST]
        else:
            pids = cat.policy_order
        return {"rows": [policy_row(cat, v, ln, pid) for pid in pids],
                "csv": ln.asset("downloads/policies.csv"),
                "province": v.region_name(province) if province else "",
                "hub": ln.href("policies/index.md") if province else None,
                "latest": len(pids) if parts else 0,
                "total": len(cat.policies),
                "parts": [v.region_link(ln, p) | {"href": ln.href(policy_list_src(p)), "policies": len(groups[p])}
                          for p in parts]}
    return build


def policy_row(cat: Catalogue, v: Views, ln: Linker, pid: str) -> dict:
    p = cat.policies[pid]
    return v.policy_link(ln, pid) | {
        "date": str(policy_date(p) or ""), "doc_type": p.doc_type.value, "doc_number": p.doc_number or "",
        "region_link": v.region_link(ln, p.region), "measures": len(p.measures),
        "themes": [v.theme_link(ln, t) for t in cat.theme_order if any(t in m.themes for m in p.measures)]}


def source_page(cat: Catalogue, v: Views, pid: str) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        policy = cat.policies[pid]
        source = cat.data.sources.get(pid)
        lines = source.lines() if source else []
        traditional = policy.source.script is models.Script.traditional
        simplified = to_simplified("\n".join(lines), cat.data.fixes).split("\n") if traditional else []
        return {
            "policy": v.policy_link(ln, pid),
            "title": policy.title,
            "traditional": traditional,
            "sha256": policy.source.sha256,
            "url": policy.source.url,
            "lines": [{"n": i + 1, "anchor": ln.anchor(f"L{i + 1}"), "text": text,
                       "simplified": simplified[i] if traditional and simplified[i] != text else None}
                      for i, text in enumerate(lines)],
            "wording": ln.href("sources/wording.md") if traditional else None,
            "raw": ln.asset(f"downloads/sources/{pid}.txt"),
        }
    return build


def wording_page(cat: Catalogue, v: Views) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        return {"fixes": [{"from": f.taiwan, "to": f.mainland, "why": f.why} for f in cat.data.wording],
                "policies": [v.policy_link(ln, p) for p in cat.policy_order
                             if cat.policies[p].source.script is models.Script.traditional]}
    return build


def reference_page(cat: Catalogue, v: Views, slug: str) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        doc = cat.external[slug]
        return {"doc": doc, "cited_by": [v.policy_link(ln, pid) | {"relation": "贯彻落实" if kind == "implements" else "引用"}
                                         for pid, kind in doc.cited_by],
                "contribute": ln.href("contribute.md")}
    return build


def _charted(cat: Catalogue, targets: list, amounts: list) -> Catalogue:
    """The catalogue as the charts should see it on one page: only that page's targets and amounts.
    A chart draws every one it is given (at 5,000 policies the prize ladder alone was 3 MB of SVG);
    everything else the charts read (metrics, region names and order) is shared, not copied."""
    seen = copy.copy(cat)
    seen.targets, seen.amounts = targets, amounts
    return seen


def _value_range(values: list[float], show: Callable[[float], str]) -> str:
    low, high = min(values), max(values)
    return show(low) if low == high else f"{show(low)}–{show(high)}"


def _in_regions(items: dict[str, list], regions: list[str]) -> int:
    return sum(len(items.get(rid, ())) for rid in regions)


def targets_overview(cat: Catalogue, v: Views, page: Part) -> list[dict]:
    """Per metric, for a page listing the pages below it: how many regions set one and how many
    targets there are, and their range — a summary whose size does not grow with the atlas."""
    by_metric: dict[str, list] = {}
    for t in v.picked("targets", cat.targets, page.regions):
        by_metric.setdefault(t.target.metric, []).append(t)
    rows = []
    for mid in [m for m in cat.metrics if m in by_metric]:
        targets = by_metric[mid]
        units = {t.target.unit.value for t in targets}
        unit = units.pop() if len(units) == 1 else None
        rows.append({"metric": cat.metrics[mid].name, "regions": len({t.ref.policy.region for t in targets}),
                     "count": len(targets),
                     "range": _value_range([t.target.value for t in targets], lambda x: format_value(x, unit))
                     if unit else "单位不一"})
    return rows


def compare_targets(cat: Catalogue, v: Views, src: str = TARGETS_SRC) -> Callable[[Linker], dict]:
    """The targets comparison — or, split by place (``targets_tree``), its page ``src``."""
    def build(ln: Linker) -> dict:
        page = v.part(TARGETS_SRC, lambda: targets_tree(cat), src)
        targets = v.picked("targets", cat.targets, page.own)
        by_metric: dict[str, list] = {}
        by_metric_region: dict[tuple[str, str], list] = {}  # one lookup per cell, not a scan
        for t in targets:
            by_metric.setdefault(t.target.metric, []).append(t)
            by_metric_region.setdefault((t.target.metric, t.ref.policy.region), []).append(t)
        regions = sorted({t.ref.policy.region for t in targets}, key=cat.region_sort_key)
        metrics = [m for m in cat.metrics if m in by_metric]
        matrix = []
        for mid in metrics:
            cells = []
            for rid in regions:
                cells.append([v.target_row(ln, t.ref, t.target) for t in by_metric_region.get((mid, rid), [])])
            matrix.append({"metric": cat.metrics[mid].name, "id": mid, "cells": cells,
                           "regions_count": sum(1 for c in cells if c)})
        from .charts import target_chart
        chart_metric = max(metrics, key=lambda m: (sum(1 for c in next(r for r in matrix if r["id"] == m)["cells"] if c),
                                                   -metrics.index(m)), default=None)
        return v.place(ln, page) | {
            "regions": [v.region_link(ln, r) for r in regions], "matrix": matrix,
            "tables": v.column_tables(ln, regions, matrix),
            "chart": target_chart(_charted(cat, targets, []), chart_metric) if chart_metric else None,
            "chart_metric": cat.metrics[chart_metric].name if chart_metric else "",
            "csv": ln.asset("downloads/compare-targets.csv"),
            "statistics": [v.statistic_row(ln, s.ref, s.statistic) for s in v.picked("statistics", cat.statistics, page.own)],
            "own": not page.parts or bool(regions),  # a page listing pages below it may have no rows itself
            "parts": [{"href": ln.href(part.src), "text": v.region_name(part.region), "regions": len(part.regions),
                       "targets": _in_regions(cat.targets_by_region, part.regions),
                       "statistics": _in_regions(cat.statistics_by_region, part.regions)} for part in page.parts],
            "overview": targets_overview(cat, v, page) if page.parts else []}
    return build


def money_overview(cat: Catalogue, v: Views, page: Part) -> tuple[list[dict], list[dict]]:
    """Per prize tier and rank, and per other kind of amount, for a page listing the pages below it:
    how many regions and amounts, and their range — a summary whose size does not grow with the atlas."""
    amounts = v.picked("amounts", cat.amounts, page.regions)
    tier_order = list(models.TIER_LABELS)
    ladder: dict[tuple[str, int], list] = {}
    kinds: dict[str, list] = {}
    for a in amounts:
        if a.amount.kind is models.AmountKind.prize:
            ladder.setdefault((a.amount.tier.value if a.amount.tier else "zz", a.amount.rank or 99), []).append(a)
        else:
            kinds.setdefault(a.amount.kind.value, []).append(a)

    def row(items: list) -> dict:
        return {"regions": len({a.ref.policy.region for a in items}), "count": len(items),
                "range": _value_range([a.amount.yuan for a in items], format_yuan)}

    prizes = [{"tier": TIER_LABELS.get(tier, "未分级"), "rank": f"第{rank}名" if rank != 99 else "—"} | row(ladder[(tier, rank)])
              for tier, rank in sorted(ladder, key=lambda k: (tier_order.index(k[0]) if k[0] in tier_order else 99, k[1]))]
    others = [{"kind": KIND_LABELS[k]} | row(kinds[k]) for k in KIND_LABELS if k in kinds]
    return prizes, others


def compare_money(cat: Catalogue, v: Views, src: str = MONEY_SRC) -> Callable[[Linker], dict]:
    """The money comparison — or, split by place (``money_tree``), its page ``src``."""
    def build(ln: Linker) -> dict:
        page = v.part(MONEY_SRC, lambda: money_tree(cat), src)
        amounts = v.picked("amounts", cat.amounts, page.own)
        prizes = [a for a in amounts if a.amount.kind is models.AmountKind.prize]
        others = [a for a in amounts if a.amount.kind is not models.AmountKind.prize]
        prize_regions = sorted({a.ref.policy.region for a in prizes}, key=cat.region_sort_key)
        tier_order = list(models.TIER_LABELS)
        keys = sorted({((a.amount.tier.value if a.amount.tier else "zz"), a.amount.rank or 99) for a in prizes},
                      key=lambda k: (tier_order.index(k[0]) if k[0] in tier_order else 99, k[1]))
        by_cell: dict[tuple, list] = {}  # (region, tier, rank) → prizes: one lookup per cell, not a scan
        for a in prizes:
            by_cell.setdefault((a.ref.policy.region, a.amount.tier.value if a.amount.tier else "zz",
                                a.amount.rank or 99), []).append(a)
        ladder = []
        for tier, rank in keys:
            cells = []
            for rid in prize_regions:
                cells.append([v.amount_row(ln, a.ref, a.amount) for a in by_cell.get((rid, tier, rank), [])])
            ladder.append({"tier": TIER_LABELS.get(tier, "未分级"), "rank": f"第{rank}名" if rank != 99 else "—",
                           "cells": cells})
        other_regions = sorted({a.ref.policy.region for a in others}, key=cat.region_sort_key)
        kinds = [k for k in KIND_LABELS if k != "prize" and any(a.amount.kind.value == k for a in others)]
        by_kind_region: dict[tuple[str, str], list] = {}
        for a in others:
            by_kind_region.setdefault((a.amount.kind.value, a.ref.policy.region), []).append(a)
        by_kind = []
        for kind in kinds:
            cells = [[v.amount_row(ln, a.ref, a.amount) for a in by_kind_region.get((kind, rid), [])]
                     for rid in other_regions]
            by_kind.append({"kind": KIND_LABELS[kind], "cells": cells})
        from .charts import prize_chart
        overview_prizes, overview_others = money_overview(cat, v, page) if page.parts else ([], [])
        return v.place(ln, page) | {
            "prize_regions": [v.region_link(ln, r) for r in prize_regions], "ladder": ladder,
            "other_regions": [v.region_link(ln, r) for r in other_regions], "by_kind": by_kind,
            "prize_tables": v.column_tables(ln, prize_regions, ladder),
            "other_tables": v.column_tables(ln, other_regions, by_kind),
            "chart": prize_chart(_charted(cat, [], prizes)) if prizes else None,
            "csv_prizes": ln.asset("downloads/compare-prizes.csv"),
            "csv_other": ln.asset("downloads/compare-other-amounts.csv"),
            "own": not page.parts or bool(amounts),  # a page listing pages below it may have no rows itself
            "parts": [{"href": ln.href(part.src), "text": v.region_name(part.region), "regions": len(part.regions),
                       "prizes": sum(1 for rid in part.regions for a in cat.amounts_by_region.get(rid, ())
                                     if a.amount.kind is models.AmountKind.prize),
                       "others": sum(1 for rid in part.regions for a in cat.amounts_by_region.get(rid, ())
                                     if a.amount.kind is not models.AmountKind.prize)} for part in page.parts],
            "overview_prizes": overview_prizes, "overview_others": overview_others}
    return build


def compare_index(cat: Catalogue, v: Views) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        return {"targets": ln.href("compare/targets.md"), "money": ln.href("compare/money.md"),
                "counts": cat.counts()}
    return build


def glossary_page(cat: Catalogue, v: Views) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        occurrences: dict[str, list[MeasureRef]] = {t: [] for t in cat.glossary}
        if v.term_pattern:
            for ref in cat.measures:
                text = ref.measure.summary + "".join(ref.measure.quotes) + ref.measure.title
                found = {v.term_of[m.group()].id for m in v.term_pattern.finditer(text)}
                for tid in sorted(found):
                    occurrences[tid].append(ref)
        terms = sorted(cat.glossary.values(), key=lambda t: t.id)
        return {"terms": [{"id": t.id, "anchor": ln.anchor(t.id), "term": t.term, "aliases": t.aliases, "en": t.en or "",
                           "definition": t.definition, "topics": [v.topic_link(ln, x) for x in t.topics if x in cat.topics],
                           "occurrences": [v.measure_link(ln, r) for r in occurrences[t.id][:GLOSSARY_LIMIT]],
                           "count": len(occurrences[t.id])} for t in terms]}
    return build


def downloads_page(cat: Catalogue, v: Views, files: list[tuple[str, str]]) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        return {"files": [{"href": ln.asset(path), "name": path.rsplit("/", 1)[-1], "description": desc}
                          for path, desc in files],
                "pdf": ln.asset(PDF_PATH),
                # The bundle is added after the online build and cannot contain itself.
                "offline": ln.asset(OFFLINE_PATH) if ln.mode == "dir" else None}
    return build


# --------------------------------------------------------------------------- the page list


def _place_title(v: Views, title: str, page: Part) -> str:
    """A page's title, with the place of a page below a split comparison's own: "激励 · 广东省 · 广州市"."""
    place = v.place_name(page)
    return f"{title} · {place}" if place else title


def all_pages(cat: Catalogue, download_files: list[tuple[str, str]]) -> list[Page]:
    v = Views(cat)
    pages = [
        Page("index.md", "home.md.j2", home_page(cat, v), "技能人才政策对照"),
        Page("themes/index.md", "themes_index.md.j2", themes_index(cat, v), "主题"),
    ]
    for tid in cat.theme_order:
        for page in v.part(theme_src(tid), lambda: theme_tree(cat, tid)).walk():
            pages.append(Page(page.src, "theme.md.j2", theme_page(cat, v, tid, page.src),
                              _place_title(v, cat.themes[tid].name, page), edit="data/themes.yaml"))
    pages.append(Page("compare/index.md", "compare_index.md.j2", compare_index(cat, v), "对照"))
    for page in v.part(TARGETS_SRC, lambda: targets_tree(cat)).walk():
        pages.append(Page(page.src, "compare_targets.md.j2", compare_targets(cat, v, page.src),
                          _place_title(v, "目标对照", page), edit="data/metrics.yaml"))
    for page in v.part(MONEY_SRC, lambda: money_tree(cat)).walk():
        pages.append(Page(page.src, "compare_money.md.j2", compare_money(cat, v, page.src),
                          _place_title(v, "奖补金额对照", page)))
    pages.append(Page("regions/index.md", "regions_index.md.j2", regions_index(cat, v), "地区",
                      edit="data/regions.yaml"))
    for rid in cat.region_order:
        pages.append(Page(region_src(rid), "region.md.j2", region_page(cat, v, rid), cat.regions[rid].name,
                          edit="data/regions.yaml"))
    pages.append(Page("policies/index.md", "policies_index.md.j2", policies_index(cat, v), "政策文件"))
    for province in policy_list_parts(cat):
        pages.append(Page(policy_list_src(province), "policies_index.md.j2", policies_index(cat, v, province),
                          f"政策文件 · {cat.regions[province].name}"))
    for pid in cat.policy_order:
        pages.append(Page(policy_src(pid), "policy.md.j2", policy_page(cat, v, pid), cat.policies[pid].short_title,
                          edit=f"data/policies/{pid}.yaml"))
    for pid in cat.policy_order:
        pages.append(Page(source_src(pid), "source.md.j2", source_page(cat, v, pid), f"原文：{cat.policies[pid].short_title}",
                          edit=f"data/sources/{pid}.txt", search=False, pdf=False))
    pages.append(Page("sources/wording.md", "wording.md.j2", wording_page(cat, v), "繁简转换说明",
                      edit="data/wording.yaml"))
    for slug in cat.external:
        pages.append(Page(reference_src(slug), "reference.md.j2", reference_page(cat, v, slug),
                          cat.external[slug].title, search=False, pdf=False))
    pages.append(Page("glossary.md", "glossary.md.j2", glossary_page(cat, v), "术语表", edit="data/glossary.yaml"))
    pages.append(Page("downloads.md", "downloads.md.j2", downloads_page(cat, v, download_files), "数据下载",
                      pdf=False))
    return pages
