"""Deciding the pages and computing what each shows.

Each ``*_page`` function turns the catalogue into a plain context for one
template: every link, label, value and ordering is computed here, so the
templates only loop and print. ``all_pages`` lists every generated page with
its source path (which fixes its URL) and the data file a reader would edit.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable, Optional

from generator.core import models
from generator.core.catalog import Catalogue, MeasureRef, external_slug, policy_date
from generator.site import labels
from generator.site.labels import (KIND_LABELS, LEVEL_LABELS, NOTE_KIND_LABELS, SCRIPT_LABELS,
                                   STATUS_LABELS, TIER_LABELS)
from generator.site.split import (Part, money_tree, policies_by_province, policy_list_is_split, policy_list_parts,
                                  targets_tree, theme_tree)
from generator.site.urls import (COMPARE_SRC, CONTRIBUTE_SRC, DOWNLOADS_SRC, GLOSSARY_SRC, HOME_SRC,
                                 MONEY_SRC, OFFLINE_PATH, OTHER_AMOUNTS_CSV, PDF_PATH, POLICIES_CSV, POLICIES_SRC,
                                 PRIZES_CSV, REGIONS_SRC, TARGETS_CSV, TARGETS_SRC, THEMES_SRC, WORDING_SRC,
                                 policy_list_src, policy_src, reference_src, region_src, source_src,
                                 source_txt, theme_csv, theme_src, topic_anchor)
from generator.site.views import MAX_TABLE_COLUMNS, Views, place_title  # noqa: F401  (MAX_TABLE_COLUMNS: re-exported)
from generator.site.render import Linker, format_value, format_yuan
from generator.core.sources import to_simplified

# The home page shows the latest HOME_TIMELINE policies and the policy list's own page the latest
# POLICY_LIST_LATEST, once the atlas is large enough for the list to be split (split.POLICY_LIST_LIMIT).
HOME_TIMELINE = 50
POLICY_LIST_LATEST = 100
# The glossary lists where each term occurs, up to this many measures (the first, in date order):
# a whole country's atlas would put tens of thousands of links under 技能人才 on one page.
GLOSSARY_LIMIT = 100


@dataclass
class Page:
    src: str  # source path, e.g. "policies/xinxiang-2023-high-skilled-talent.md"
    template: str
    build: Callable[[Linker], dict]  # the template context, for a given kind of links
    title: str
    edit: Optional[str] = None  # data file behind the page, for "edit this page"
    search: bool = True  # excluded from the search index when False
    pdf: bool = True  # part of the PDF


# --------------------------------------------------------------------------- page builders


def home_page(cat: Catalogue, v: Views) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        large = policy_list_is_split(cat)
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
                "themes": ln.href(THEMES_SRC), "regions": ln.href(REGIONS_SRC),
                "policies": ln.href(POLICIES_SRC), "targets": ln.href(TARGETS_SRC),
                "money": ln.href(MONEY_SRC), "glossary": ln.href(GLOSSARY_SRC),
                "downloads": ln.href(DOWNLOADS_SRC), "contribute": ln.href(CONTRIBUTE_SRC),
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
            "csv": ln.asset(theme_csv(theme_id)),
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
            "policies": [v.policy_link(ln, pid) | {"date": str(policy_date(cat.policies[pid]) or labels.DATE_UNKNOWN),
                                                  "doc_type": cat.policies[pid].doc_type.value,
                                                  "measures": len(cat.policies[pid].measures)} for pid in pids],
            "coverage": coverage,
            "targets": [v.target_row(ln, t.ref, t.target) for t in cat.targets_by_region.get(rid, [])],
            "statistics": [v.statistic_row(ln, s.ref, s.statistic) for s in cat.statistics_by_region.get(rid, [])],
            "amounts": [v.amount_row(ln, a.ref, a.amount) for a in cat.amounts_by_region.get(rid, [])],
            "contribute": ln.href(CONTRIBUTE_SRC),
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
                 labels.DATE_LABELS
                 if getattr(d, key)]
        notes = [{"kind": NOTE_KIND_LABELS[n.kind.value], "note": n.note,
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
            "wording": ln.href(WORDING_SRC) if policy.source.script is models.Script.traditional else None,
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
                "csv": ln.asset(POLICIES_CSV),
                "province": v.region_name(province) if province else "",
                "hub": ln.href(POLICIES_SRC) if province else None,
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
            "wording": ln.href(WORDING_SRC) if traditional else None,
            "raw": ln.asset(source_txt(pid)),
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
        return {"doc": doc, "cited_by": [v.policy_link(ln, pid) | {"relation": labels.RELATION_LABELS[kind]}
                                         for pid, kind in doc.cited_by],
                "contribute": ln.href(CONTRIBUTE_SRC)}
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
                     if unit else labels.MIXED_UNITS})
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
        from generator.site.charts import target_chart
        chart_metric = max(metrics, key=lambda m: (sum(1 for c in next(r for r in matrix if r["id"] == m)["cells"] if c),
                                                   -metrics.index(m)), default=None)
        return v.place(ln, page) | {
            "regions": [v.region_link(ln, r) for r in regions], "matrix": matrix,
            "tables": v.column_tables(ln, regions, matrix),
            "chart": target_chart(_charted(cat, targets, []), chart_metric) if chart_metric else None,
            "chart_metric": cat.metrics[chart_metric].name if chart_metric else "",
            "csv": ln.asset(TARGETS_CSV),
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

    prizes = [{"tier": TIER_LABELS.get(tier, labels.UNTIERED), "rank": labels.rank_label(rank) if rank != 99 else labels.NO_RANK} | row(ladder[(tier, rank)])
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
            ladder.append({"tier": TIER_LABELS.get(tier, labels.UNTIERED), "rank": labels.rank_label(rank) if rank != 99 else labels.NO_RANK,
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
        from generator.site.charts import prize_chart
        overview_prizes, overview_others = money_overview(cat, v, page) if page.parts else ([], [])
        return v.place(ln, page) | {
            "prize_regions": [v.region_link(ln, r) for r in prize_regions], "ladder": ladder,
            "other_regions": [v.region_link(ln, r) for r in other_regions], "by_kind": by_kind,
            "prize_tables": v.column_tables(ln, prize_regions, ladder),
            "other_tables": v.column_tables(ln, other_regions, by_kind),
            "chart": prize_chart(_charted(cat, [], prizes)) if prizes else None,
            "csv_prizes": ln.asset(PRIZES_CSV),
            "csv_other": ln.asset(OTHER_AMOUNTS_CSV),
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
        return {"targets": ln.href(TARGETS_SRC), "money": ln.href(MONEY_SRC),
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


def all_pages(cat: Catalogue, download_files: list[tuple[str, str]]) -> list[Page]:
    v = Views(cat)
    pages = [
        Page(HOME_SRC, "home.md.j2", home_page(cat, v), labels.SITE_TITLE),
        Page(THEMES_SRC, "themes_index.md.j2", themes_index(cat, v), labels.THEMES),
    ]
    for tid in cat.theme_order:
        for page in v.part(theme_src(tid), lambda: theme_tree(cat, tid)).walk():
            pages.append(Page(page.src, "theme.md.j2", theme_page(cat, v, tid, page.src),
                              place_title(v, cat.themes[tid].name, page), edit="data/themes.yaml"))
    pages.append(Page(COMPARE_SRC, "compare_index.md.j2", compare_index(cat, v), labels.COMPARE))
    for page in v.part(TARGETS_SRC, lambda: targets_tree(cat)).walk():
        pages.append(Page(page.src, "compare_targets.md.j2", compare_targets(cat, v, page.src),
                          place_title(v, labels.TARGETS, page), edit="data/metrics.yaml"))
    for page in v.part(MONEY_SRC, lambda: money_tree(cat)).walk():
        pages.append(Page(page.src, "compare_money.md.j2", compare_money(cat, v, page.src),
                          place_title(v, labels.MONEY, page)))
    pages.append(Page(REGIONS_SRC, "regions_index.md.j2", regions_index(cat, v), labels.REGIONS,
                      edit="data/regions.yaml"))
    for rid in cat.region_order:
        pages.append(Page(region_src(rid), "region.md.j2", region_page(cat, v, rid), cat.regions[rid].name,
                          edit="data/regions.yaml"))
    pages.append(Page(POLICIES_SRC, "policies_index.md.j2", policies_index(cat, v), labels.POLICIES))
    for province in policy_list_parts(cat):
        pages.append(Page(policy_list_src(province), "policies_index.md.j2", policies_index(cat, v, province),
                          f"{labels.POLICIES} · {cat.regions[province].name}"))
    for pid in cat.policy_order:
        pages.append(Page(policy_src(pid), "policy.md.j2", policy_page(cat, v, pid), cat.policies[pid].short_title,
                          edit=f"data/policies/{pid}.yaml"))
    for pid in cat.policy_order:
        pages.append(Page(source_src(pid), "source.md.j2", source_page(cat, v, pid), f"{labels.SOURCE}：{cat.policies[pid].short_title}",
                          edit=f"data/sources/{pid}.txt", search=False, pdf=False))
    pages.append(Page(WORDING_SRC, "wording.md.j2", wording_page(cat, v), labels.WORDING,
                      edit="data/wording.yaml"))
    for slug in cat.external:
        pages.append(Page(reference_src(slug), "reference.md.j2", reference_page(cat, v, slug),
                          cat.external[slug].title, search=False, pdf=False))
    pages.append(Page(GLOSSARY_SRC, "glossary.md.j2", glossary_page(cat, v), labels.GLOSSARY, edit="data/glossary.yaml"))
    pages.append(Page(DOWNLOADS_SRC, "downloads.md.j2", downloads_page(cat, v, download_files), labels.DOWNLOADS,
                      pdf=False))
    return pages
