"""A theme's pages (split by place in a large atlas: ``split.theme_tree``) and the list of themes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from generator.core.catalog import Catalogue
from generator.site import labels
from generator.site.pages.base import NavEntry, NavLink, NavSection, Page
from generator.site.render import Linker
from generator.site.split import theme_tree
from generator.site.urls import THEMES_SRC, coverage_anchor, region_src, theme_csv, theme_pdf, theme_src, topic_anchor
from generator.site.views import Views, coverage_map, pdf_link, place_title

TEMPLATE = "theme.md.j2"
INDEX_TEMPLATE = "themes_index.md.j2"
EDIT = "data/themes.yaml"


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


def theme_page(cat: Catalogue, v: Views, theme_id: str, src: str | None = None) -> Callable[[Linker], dict]:
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
                # Per-region detail lives on the region's page (its coverage row of the topic) and the
                # policy pages; the theme page links there, with the count, instead of stacking them.
                regions.append(
                    {
                        "region": v.region_link(ln, rid),
                        "href": ln.href(region_src(rid), coverage_anchor(topic_id)),
                        "count": len(cat.by_topic_region[(topic_id, rid)]),
                    }
                )
            counts = layout["topics"][topic_id]["counts"]
            in_parts = [(part, sum(counts.get(rid, 0) for rid in part.regions)) for part in page.parts]
            topics.append(
                {
                    "id": topic_id,
                    "anchor": ln.anchor(topic_anchor(topic_id)),
                    "name": topic.name,
                    "name_en": topic.name_en,
                    "description": topic.description,
                    "regions": regions,
                    "parts": [
                        {
                            "href": ln.href(part.src, topic_anchor(topic_id)),
                            "text": v.region_name(part.region),
                            "count": count,
                        }
                        for part, count in in_parts
                        if count
                    ],
                    "count": len(cat.by_topic.get(topic_id, [])),
                }
            )
        return v.place(ln, page) | {
            "theme": theme,
            "parts": [
                {
                    "href": ln.href(part.src),
                    "text": v.region_name(part.region),
                    "regions": len(part.regions),
                    "measures": part.weight,
                }
                for part in page.parts
            ],
            "anchor": ln.anchor,
            "tables": v.side_by_side(ln, theme_id, page.own, page.src) if page.own else [],
            "csv": ln.asset(theme_csv(theme_id)),
            "pdf": pdf_link(ln, v.pdfs, theme_pdf(theme_id)) if page.src == theme_src(theme_id) else None,
            "topics": topics,
            "coverage": coverage_map(cat, ln, cat.by_theme.get(theme_id, []), f"{theme.name}：各省措施数（含所辖市县）")
            if page.src == theme_src(theme_id)
            else None,
            "targets": v.target_groups(
                ln, v.picked(f"targets:{theme_id}", cat.targets_by_theme.get(theme_id, []), page.own)
            ),
            "amounts": [
                v.amount_row(ln, a.ref, a.amount)
                for a in v.picked(f"amounts:{theme_id}", cat.amounts_by_theme.get(theme_id, []), page.own)
            ],
            "measure_count": page.weight,
            "region_count": len(page.regions),
        }

    return build


def themes_index(cat: Catalogue, v: Views) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        return {
            "themes": [
                v.theme_link(ln, t)
                | {
                    "description": cat.themes[t].description,
                    "name_en": cat.themes[t].name_en,
                    "measures": len(cat.by_theme.get(t, [])),
                    "regions": len(cat.regions_in_theme(t)),
                    "topics": [v.topic_link(ln, x) for x in cat.topics_by_theme.get(t, [])],
                }
                for t in cat.theme_order
            ]
        }

    return build


def pages(cat: Catalogue, v: Views, files: list[tuple[str, str]]) -> Iterator[Page]:
    yield Page(THEMES_SRC, INDEX_TEMPLATE, themes_index(cat, v), labels.THEMES)
    for tid in cat.theme_order:
        for page in v.part(theme_src(tid), partial(theme_tree, cat, tid)).walk():
            yield Page(
                page.src,
                TEMPLATE,
                theme_page(cat, v, tid, page.src),
                place_title(v, cat.themes[tid].name, page),
                edit=EDIT,
                wide=True,
            )


def nav(cat: Catalogue) -> list[NavEntry]:
    """The list of themes, then each theme's own page (never the pages of a split theme)."""
    return [NavSection(labels.THEMES, THEMES_SRC, [NavLink(cat.themes[t].name, theme_src(t)) for t in cat.theme_order])]
