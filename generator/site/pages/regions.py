"""A region's page and the tree of regions."""

from __future__ import annotations

from typing import Callable, Iterator, Optional

from generator.core.catalog import Catalogue, policy_date
from generator.site import labels
from generator.site.labels import LEVEL_LABELS
from generator.site.pages.base import NavEntry, NavLink, NavSection, Page
from generator.site.urls import CONTRIBUTE_SRC, REGIONS_SRC, coverage_anchor, region_pdf, region_src
from generator.site.views import Views, custom_compare_link, pdf_link, uncertain_flags
from generator.site.render import Linker

TEMPLATE = "region.md.j2"
INDEX_TEMPLATE = "regions_index.md.j2"
EDIT = "data/regions.yaml"
NAV_LEVELS = ("national", "province")  # the regions the navigation lists; cities and counties are on their pages


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
                    rows.append({"topic": v.topic_link(ln, topic_id), "anchor": ln.anchor(coverage_anchor(topic_id)),
                                 "measures": [v.measure_link(ln, r) for r in hits]})
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
            "doubtful": [v.policy_link(ln, pid) | {"note": flag["href"]} for pid in pids
                         for flag in uncertain_flags(ln, cat.policies[pid]) if flag["field"] == "region"],
            "targets": v.target_groups(ln, cat.targets_by_region.get(rid, [])),
            "statistics": [v.statistic_row(ln, s.ref, s.statistic) for s in cat.statistics_by_region.get(rid, [])],
            "amounts": [v.amount_row(ln, a.ref, a.amount) for a in cat.amounts_by_region.get(rid, [])],
            "contribute": ln.href(CONTRIBUTE_SRC),
            "compare": compare_with(cat, ln, rid),
            "pdf": pdf_link(ln, v.pdfs, region_pdf(rid)),
        }
    return build


def compare_with(cat: Catalogue, ln: Linker, rid: str) -> Optional[str]:
    """"对照这些地区" from a region's page: the region beside its province (a city) or the next region
    with policies (a province), on the first theme it has measures in; None without measures."""
    theme = next((t for t in cat.theme_order if cat.by_theme_region.get((t, rid))), None)
    if theme is None:
        return None
    parent = cat.regions[rid].parent
    others = [r for r in cat.region_order if r != rid and cat.by_theme_region.get((theme, r))]
    partner = parent if parent in others else next(iter(others), None)
    return custom_compare_link(ln, [rid] + ([partner] if partner else []), theme) if partner else None


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


def pages(cat: Catalogue, v: Views, files: list[tuple[str, str]]) -> Iterator[Page]:
    yield Page(REGIONS_SRC, INDEX_TEMPLATE, regions_index(cat, v), labels.REGIONS, edit=EDIT)
    for rid in cat.region_order:
        yield Page(region_src(rid), TEMPLATE, region_page(cat, v, rid), cat.regions[rid].name, edit=EDIT)


def nav(cat: Catalogue) -> list[NavEntry]:
    top = [r for r in cat.region_order if cat.regions[r].level.value in NAV_LEVELS]
    return [NavSection(labels.REGIONS, REGIONS_SRC, [NavLink(cat.regions[r].name, region_src(r)) for r in top])]
