"""The comparisons: their index, the targets and the money comparison (each split by place in a
large atlas: ``split.targets_tree``, ``split.money_tree``)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from functools import partial

from generator.core import models
from generator.core.catalog import Catalogue
from generator.core.values import format_value, format_yuan, is_level
from generator.site import labels
from generator.site.labels import KIND_LABELS, TIER_LABELS
from generator.site.pages.base import NavEntry, NavLink, NavSection, Page
from generator.site.render import Linker
from generator.site.split import Part, money_tree, targets_tree
from generator.site.urls import (
    COMPARE_SRC,
    CUSTOM_COMPARE_SRC,
    MONEY_SRC,
    OTHER_AMOUNTS_CSV,
    PRIZES_CSV,
    TARGETS_CSV,
    TARGETS_SRC,
)
from generator.site.views import Views, custom_compare_link, place_title

INDEX_TEMPLATE = "compare_index.md.j2"
TARGETS_TEMPLATE = "compare_targets.md.j2"
MONEY_TEMPLATE = "compare_money.md.j2"
TARGETS_EDIT = "data/metrics.yaml"


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
        levels = [t for t in targets if is_level(t.target)]  # changes (提高2个百分点) are not levels to compare
        units = {t.target.unit.value for t in levels}
        unit = units.pop() if len(units) == 1 else None
        rows.append(
            {
                "metric": cat.metrics[mid].name,
                "regions": len({t.ref.policy.region for t in targets}),
                "count": len(targets),
                "range": _value_range([t.target.value for t in levels], partial(format_value, unit=unit))
                if unit
                else (labels.MIXED_UNITS if levels else "均为相对目标"),
            }
        )
    return rows


def _cell(rows: list[dict]) -> list[dict]:
    """A cell's targets in reading order (by policy, headline goals first, by deadline); the first
    of each policy carries the policy's short label, so a cell names each policy once."""
    previous = None
    for row in rows:
        row["policy_label"] = row["measure"]["policy"] if row["policy_id"] != previous else ""
        previous = row["policy_id"]
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
                cells.append(_cell(v.ordered_target_rows(ln, by_metric_region.get((mid, rid), []))))
            matrix.append({"metric": cat.metrics[mid].name, "id": mid, "cells": cells})
        from generator.site.charts import target_chart

        chart_metric = max(
            metrics,
            key=lambda m: (sum(1 for c in next(r for r in matrix if r["id"] == m)["cells"] if c), -metrics.index(m)),
            default=None,
        )
        return v.place(ln, page) | {
            "tables": v.column_tables(ln, regions, matrix),
            "chart": target_chart(_charted(cat, targets, []), chart_metric) if chart_metric else None,
            "chart_metric": cat.metrics[chart_metric].name if chart_metric else "",
            "headline_label": labels.HEADLINE_TARGETS,
            "csv": ln.asset(TARGETS_CSV),
            "statistics": [
                v.statistic_row(ln, s.ref, s.statistic) for s in v.picked("statistics", cat.statistics, page.own)
            ],
            "own": not page.parts or bool(regions),  # a page listing pages below it may have no rows itself
            "parts": [
                {
                    "href": ln.href(part.src),
                    "text": v.region_name(part.region),
                    "regions": len(part.regions),
                    "targets": _in_regions(cat.targets_by_region, part.regions),
                    "statistics": _in_regions(cat.statistics_by_region, part.regions),
                }
                for part in page.parts
            ],
            "overview": targets_overview(cat, v, page) if page.parts else [],
        }

    return build


def _prize_place(tier: str, rank: int) -> dict:
    """The labels of a prize ladder's row: its tier ("zz": none) and rank (99: none)."""
    return {
        "tier": TIER_LABELS.get(tier, labels.UNTIERED),
        "rank": labels.rank_label(rank) if rank != 99 else labels.NO_RANK,
    }


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
        return {
            "regions": len({a.ref.policy.region for a in items}),
            "count": len(items),
            "range": _value_range([a.amount.yuan for a in items], format_yuan),
        }

    prizes = [
        _prize_place(tier, rank) | row(ladder[(tier, rank)])
        for tier, rank in sorted(ladder, key=lambda k: (tier_order.index(k[0]) if k[0] in tier_order else 99, k[1]))
    ]
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
        keys = sorted(
            {((a.amount.tier.value if a.amount.tier else "zz"), a.amount.rank or 99) for a in prizes},
            key=lambda k: (tier_order.index(k[0]) if k[0] in tier_order else 99, k[1]),
        )
        by_cell: dict[tuple, list] = {}  # (region, tier, rank) → prizes: one lookup per cell, not a scan
        for a in prizes:
            by_cell.setdefault(
                (a.ref.policy.region, a.amount.tier.value if a.amount.tier else "zz", a.amount.rank or 99), []
            ).append(a)
        ladder = []
        for tier, rank in keys:
            cells = []
            for rid in prize_regions:
                cells.append([v.amount_row(ln, a.ref, a.amount) for a in by_cell.get((rid, tier, rank), [])])
            ladder.append(_prize_place(tier, rank) | {"cells": cells})
        other_regions = sorted({a.ref.policy.region for a in others}, key=cat.region_sort_key)
        kinds = [k for k in KIND_LABELS if k != "prize" and any(a.amount.kind.value == k for a in others)]
        by_kind_region: dict[tuple[str, str], list] = {}
        for a in others:
            by_kind_region.setdefault((a.amount.kind.value, a.ref.policy.region), []).append(a)
        by_kind = []
        for kind in kinds:
            cells = [
                [v.amount_row(ln, a.ref, a.amount) for a in by_kind_region.get((kind, rid), [])]
                for rid in other_regions
            ]
            by_kind.append({"kind": KIND_LABELS[kind], "cells": cells})
        from generator.site.charts import prize_chart

        overview_prizes, overview_others = money_overview(cat, v, page) if page.parts else ([], [])
        return v.place(ln, page) | {
            "ladder": ladder,
            "by_kind": by_kind,
            "prize_tables": v.column_tables(ln, prize_regions, ladder),
            "other_tables": v.column_tables(ln, other_regions, by_kind),
            "chart": prize_chart(_charted(cat, [], prizes)) if prizes else None,
            "csv_prizes": ln.asset(PRIZES_CSV),
            "csv_other": ln.asset(OTHER_AMOUNTS_CSV),
            "own": not page.parts or bool(amounts),  # a page listing pages below it may have no rows itself
            "parts": [
                {
                    "href": ln.href(part.src),
                    "text": v.region_name(part.region),
                    "regions": len(part.regions),
                    "prizes": sum(
                        1
                        for rid in part.regions
                        for a in cat.amounts_by_region.get(rid, ())
                        if a.amount.kind is models.AmountKind.prize
                    ),
                    "others": sum(
                        1
                        for rid in part.regions
                        for a in cat.amounts_by_region.get(rid, ())
                        if a.amount.kind is not models.AmountKind.prize
                    ),
                }
                for part in page.parts
            ],
            "overview_prizes": overview_prizes,
            "overview_others": overview_others,
        }

    return build


def compare_index(cat: Catalogue, v: Views) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        return {
            "targets": ln.href(TARGETS_SRC),
            "money": ln.href(MONEY_SRC),
            "custom": custom_compare_link(ln),
            "counts": cat.counts(),
        }

    return build


def pages(cat: Catalogue, v: Views, files: list[tuple[str, str]]) -> Iterator[Page]:
    yield Page(COMPARE_SRC, INDEX_TEMPLATE, compare_index(cat, v), labels.COMPARE)
    for page in v.part(TARGETS_SRC, lambda: targets_tree(cat)).walk():
        yield Page(
            page.src,
            TARGETS_TEMPLATE,
            compare_targets(cat, v, page.src),
            place_title(v, labels.TARGETS, page),
            edit=TARGETS_EDIT,
            wide=True,
        )
    for page in v.part(MONEY_SRC, lambda: money_tree(cat)).walk():
        yield Page(
            page.src, MONEY_TEMPLATE, compare_money(cat, v, page.src), place_title(v, labels.MONEY, page), wide=True
        )


def nav(cat: Catalogue) -> list[NavEntry]:
    return [
        NavSection(
            labels.COMPARE,
            COMPARE_SRC,
            [
                NavLink(labels.CUSTOM_COMPARE, CUSTOM_COMPARE_SRC),
                NavLink(labels.TARGETS, TARGETS_SRC),
                NavLink(labels.MONEY, MONEY_SRC),
            ],
        )
    ]
