"""A region's page and the tree of regions."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from generator.core.catalog import Catalogue, policy_date
from generator.site import labels
from generator.site.labels import LEVEL_LABELS
from generator.site.pages.base import NavEntry, NavLink, NavSection, Page
from generator.site.render import Linker
from generator.site.urls import CONTRIBUTE_SRC, REGIONS_SRC, coverage_anchor, region_pdf, region_src
from generator.site.views import Views, custom_compare_link, doubted, pdf_link, uncertain_flags

TEMPLATE = "region.md.j2"
INDEX_TEMPLATE = "regions_index.md.j2"
EDIT = "data/regions.yaml"
# The navigation nests regions by province, cities (and counties) under their province, and lists only regions
# with policies of their own or below them. Material writes the whole navigation into every page, so it lists
# levels below the province only while it stays this short; at national scale (3,000 regions) it lists the
# provinces only, and cities and counties are reached from their province's page.
NAV_REGION_LIMIT = 60
NAV_DEPTH = {"province": 1, "prefecture": 2, "county": 3}  # the national level: a link of its own, if it has policies


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
                    rows.append(
                        {
                            "topic": v.topic_link(ln, topic_id),
                            "anchor": ln.anchor(coverage_anchor(topic_id)),
                            "measures": v.policy_cell(ln, hits, label=len(pids) > 1),
                        }
                    )
            if rows:
                coverage.append({"theme": v.theme_link(ln, theme_id), "rows": rows})
        return {
            "region": region,
            "level": LEVEL_LABELS[region.level.value],
            "ancestors": [v.region_link(ln, a) for a in cat.ancestors(rid)],
            "children": [
                v.region_link(ln, c) | {"policies": len(cat.policies_by_region.get(c, []))}
                for c in cat.children.get(rid, [])
            ],
            "policies": [
                v.policy_link(ln, pid)
                | {
                    "date": str(policy_date(cat.policies[pid]) or labels.DATE_UNKNOWN),
                    "doc_type": cat.policies[pid].doc_type.value,
                    "measures": len(cat.policies[pid].measures),
                }
                for pid in pids
            ],
            "coverage": coverage,
            "doubtful": [
                v.policy_link(ln, pid) | {"note": flag["href"]}
                for pid in pids
                for flag in uncertain_flags(ln, cat.policies[pid])
                if flag["field"] == "region"
            ],
            "targets": v.target_groups(ln, cat.targets_by_region.get(rid, [])),
            "statistics": [v.statistic_row(ln, s.ref, s.statistic) for s in cat.statistics_by_region.get(rid, [])],
            "amounts": [v.amount_row(ln, a.ref, a.amount) for a in cat.amounts_by_region.get(rid, [])],
            "contribute": ln.href(CONTRIBUTE_SRC),
            "compare": compare_with(cat, ln, rid),
            "pdf": pdf_link(ln, v.pdfs, region_pdf(rid)),
        }

    return build


def compare_with(cat: Catalogue, ln: Linker, rid: str) -> str | None:
    """ "对照这些地区" from a region's page: the region beside its province (a city) or the next region
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
            return v.region_link(ln, rid) | {
                "level": LEVEL_LABELS[cat.regions[rid].level.value],
                "code": cat.regions[rid].code,
                "policies": len(cat.policies_by_region.get(rid, [])),
                "children": [node(c) for c in cat.children.get(rid, [])],
            }

        roots = [r for r in cat.region_order if not cat.regions[r].parent or cat.regions[r].parent not in cat.regions]
        return {"roots": [node(r) for r in roots]}

    return build


def pages(cat: Catalogue, v: Views, files: list[tuple[str, str]]) -> Iterator[Page]:
    yield Page(REGIONS_SRC, INDEX_TEMPLATE, regions_index(cat, v), labels.REGIONS, edit=EDIT)
    listed = set(nav_regions(cat))
    for rid in cat.region_order:
        # a region left out of the navigation (a county at scale) shows its nearest listed ancestor active
        up = None if rid in listed else nav_region_of(cat, listed, rid)
        yield Page(
            region_src(rid),
            TEMPLATE,
            region_page(cat, v, rid),
            cat.regions[rid].name,
            edit=EDIT,
            nav=region_src(up) if up else None,
        )


def nav_regions(cat: Catalogue) -> list[str]:
    """The regions the navigation lists, in display order: those with policies of their own or in a
    region below them (the national level only with its own), down to the deepest level that keeps
    the list within NAV_REGION_LIMIT (the provinces always)."""
    covered: set[str] = set()
    for rid, pids in cat.policies_by_region.items():
        if pids and rid in cat.regions:
            covered.update([rid, *cat.ancestors(rid)])
    listed = [
        r
        for r in cat.region_order
        if r in covered and (cat.regions[r].level.value != "national" or cat.policies_by_region.get(r))
    ]
    depth = max(NAV_DEPTH.values())
    while (
        depth > 1 and sum(1 for r in listed if NAV_DEPTH.get(cat.regions[r].level.value, 0) <= depth) > NAV_REGION_LIMIT
    ):
        depth -= 1
    return [r for r in listed if NAV_DEPTH.get(cat.regions[r].level.value, 0) <= depth]


def nav_region_of(cat: Catalogue, listed: set[str], rid: str) -> str | None:
    """The region whose navigation entry a page of ``rid`` (its own, a policy's) belongs to: the
    region itself if listed, else its nearest listed ancestor (None: no entry, e.g. 全国 without policies)."""
    for r in [rid, *reversed(cat.ancestors(rid))] if rid in cat.regions else []:
        if r in listed:
            return r
    return None


def nav(cat: Catalogue) -> list[NavEntry]:
    """地区: each listed region under its nearest listed ancestor — a region with entries below it is a
    section whose index is its own page; the national level, if listed, is a link beside the provinces."""
    listed = nav_regions(cat)
    inside = set(listed)
    below: dict[str | None, list[str]] = {}
    for rid in listed:
        up = next(
            (a for a in reversed(cat.ancestors(rid)) if a in inside and cat.regions[a].level.value != "national"), None
        )
        below.setdefault(up, []).append(rid)

    doubt = doubted(cat)  # "山东省？" as every table and list shows it: the nav and Material's breadcrumb too

    def entry(rid: str) -> NavEntry:
        name = cat.regions[rid].name + ("？" if rid in doubt else "")
        if rid in below:
            return NavSection(name, region_src(rid), [entry(c) for c in below[rid]])
        return NavLink(name, region_src(rid))

    return [NavSection(labels.REGIONS, REGIONS_SRC, [entry(r) for r in below.get(None, [])])]
