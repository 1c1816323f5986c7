"""The data behind 自选对照 (/compare/regions/): every region × topic cell, compact, for the browser.

The reader picks 2–4 regions and a theme or topic; the page's script builds the table and its CSV
from this data alone, so the view works offline. The build writes it as scripts, which a ``file://``
page can load where it could not fetch JSON:

* ``compare-data.js`` (``window.ATLAS_COMPARE``), loaded with the page: the regions, themes and topics
  of the form, the policies table and how a measure's link is made;
* ``compare-data/<theme>.js`` (``window.ATLAS_COMPARE_CELLS["<theme>"]``), one per theme, which
  compare.js adds to the page when the theme is shown: only that theme's cells.

At 5,000 policies the data was one 91 MB script that every reader of the page downloaded whole, each
cell item repeating its keys, its policy's title and its link. Now a theme's file holds each of its
measures once, as a short array (``ITEM``), and its cells name them by position; a measure's link is
rebuilt from the policy id and measure id with the prefix the index carries (``measure_href``), made
by the same ``Linker`` as every other link of the page, so directory URLs and ``.html`` files alike;
a region's link likewise (``region_href``).
Figures are phrased by the same row builders as the static pages, so a cell says exactly what the
theme and region pages say.
"""

from __future__ import annotations

from typing import Any

from generator.core.catalog import Catalogue, MeasureRef
from generator.site.render import Linker, script_data, script_json
from generator.site.urls import COMPARE_DATA_JS as DATA_FILE  # the name generate() writes
from generator.site.urls import CUSTOM_COMPARE_SRC as COMPARE_SRC  # noqa: F401
from generator.site.urls import compare_cells_js, policy_src, region_src
from generator.site.views import doubt_links

OTHER = "--other"  # suffix of a theme's row for measures with the theme but no topic of it
# A theme file's measure: [policy (position in the index's policies), measure id, section, summary,
# figures] and, only when the prefix rule would not give its link, the link itself (compare.js reads
# these positions; change both together).
ITEM = ("policy", "measure", "section", "summary", "figures", "href")
_PID, _MID = "\x00", "\x01"  # stand-ins for the ids while the link prefix is cut out of a real link


def _cut(link: str, *stand_ins: str) -> list[str]:
    """A real link cut at each stand-in id, in order: the pieces compare.js puts the real ids between."""
    parts = []
    for stand_in in stand_ins:
        head, _, link = link.partition(stand_in)
        parts.append(head)
    return [*parts, link]


def _href_parts(ln: Linker) -> list[str]:
    """``[before the policy id, between it and the measure id, after]`` of a measure's link from the page."""
    return _cut(ln.href(policy_src(_PID), _MID), _PID, _MID)


def _region_href_parts(ln: Linker) -> list[str]:
    """``[before the region id, after]`` of a region page's link from the page."""
    return _cut(ln.href(region_src(_PID)), _PID)


def _regions(cat: Catalogue, ln: Linker, doubts: dict[str, str]) -> list[dict[str, Any]]:
    """Regions with policies, or with descendants that have them, nested by province for the picker."""
    has = {rid for rid in cat.regions if cat.policies_by_region.get(rid)}
    keep = set(has)
    for rid in has:
        parent = cat.regions[rid].parent
        while parent:
            keep.add(parent)
            parent = cat.regions[parent].parent
    depth = {"national": 0, "province": 0, "prefecture": 1, "county": 2}
    notes = doubt_links(cat, ln)
    head, tail = _region_href_parts(ln)
    out = []
    for rid in cat.region_order:
        if rid not in keep:
            continue
        region = cat.regions[rid]
        doubt = doubts.get(rid)
        # Only what differs from region to region: the link is rebuilt from region_href, and a key with
        # nothing to say (no indent, no doubt) is left out; thousands of regions at 5,000 policies.
        entry: dict[str, Any] = {"id": rid, "label": region.name + ("？" if doubt else "")}
        indent = "　" * depth.get(region.level.value, 0)
        if indent:
            entry["indent"] = indent
        href = ln.href(region_src(rid))
        if href != head + rid + tail:
            entry["href"] = href  # not seen with the site's ids; kept so a link is never wrong
        if doubt:
            entry["doubt"] = doubt
            entry["doubt_href"] = notes.get(rid)
        out.append(entry)
    return out


def compare_data(
    cat: Catalogue, views: Any, ln: Linker, doubts: dict[str, str]
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The comparison as plain data: the index, and each theme's cells by theme id (every theme, its
    cells possibly empty). ``doubts`` maps a region id to why its attribution is doubted."""
    by_theme: dict[str, dict[str, dict[str, list[MeasureRef]]]] = {tid: {} for tid in cat.theme_order}
    used: set[str] = set()  # the policies some cell names
    for ref in cat.measures:
        region = ref.policy.region
        for tid in dict.fromkeys(ref.measure.themes):
            if tid not in by_theme:
                continue
            own = [t for t in ref.measure.topics if t in cat.topics and cat.topics[t].theme == tid]
            for row in dict.fromkeys(own) or [tid + OTHER]:
                by_theme[tid].setdefault(region, {}).setdefault(row, []).append(ref)
            used.add(ref.policy.id)
    policies = sorted(used)
    position = {pid: i for i, pid in enumerate(policies)}
    parts = _href_parts(ln)

    def item(ref: MeasureRef) -> list[Any]:
        out = [
            position[ref.policy.id],
            ref.measure.id,
            ref.measure.section,
            " ".join(ref.measure.summary.split()),
            views.key_figures(ln, ref),
        ]
        href = views.measure_link(ln, ref)["href"]
        if href != parts[0] + ref.policy.id + parts[1] + ref.measure.id + parts[2]:
            out.append(href)  # not seen with the site's ids; kept so a link is never wrong
        return out

    themes: dict[str, dict[str, Any]] = {}
    for tid, by_region in by_theme.items():
        measures: list[list[Any]] = []
        seen: dict[int, int] = {}  # id(MeasureRef) → its position in measures
        cells: dict[str, dict[str, list[int]]] = {}
        for region, by_row in by_region.items():
            for row, refs in by_row.items():
                for ref in refs:
                    if id(ref) not in seen:
                        seen[id(ref)] = len(measures)
                        measures.append(item(ref))
                cells.setdefault(region, {})[row] = [seen[id(ref)] for ref in refs]
        themes[tid] = {"measures": measures, "cells": cells}
    topics: list[dict[str, Any]] = []
    for tid in cat.theme_order:
        for topic_id in cat.topics_by_theme.get(tid, []):
            topics.append({"id": topic_id, "name": cat.topics[topic_id].name, "theme": tid})
        if any(tid + OTHER in by_row for by_row in by_theme[tid].values()):
            topics.append({"id": tid + OTHER, "name": "其他（未归入议题）", "theme": tid, "other": True})
    index = {
        "regions": _regions(cat, ln, doubts),
        "themes": [
            {"id": t, "name": cat.themes[t].name, "src": ln.asset(compare_cells_js(t))} for t in cat.theme_order
        ],
        "topics": topics,
        "policies": [[pid, cat.policies[pid].short_title] for pid in policies],
        "measure_href": parts,
        "region_href": _region_href_parts(ln),
        "with_policies": sorted(rid for rid in cat.regions if cat.policies_by_region.get(rid)),
    }
    return index, themes


def compare_script(data: dict[str, Any]) -> bytes:
    """``window.ATLAS_COMPARE = …;``: the index."""
    return script_data("ATLAS_COMPARE", data)


def cells_script(tid: str, cells: dict[str, Any]) -> bytes:
    """``window.ATLAS_COMPARE_CELLS["<theme>"] = …;``: one theme's cells."""
    return (
        "window.ATLAS_COMPARE_CELLS = window.ATLAS_COMPARE_CELLS || {};\n"
        f"window.ATLAS_COMPARE_CELLS[{script_json(tid)}] = {script_json(cells)};\n"
    ).encode()


def compare_files(cat: Catalogue, views: Any, ln: Linker, doubts: dict[str, str]) -> dict[str, bytes]:
    """Every file of 自选对照's data by its path in the site: the index, then one script per theme."""
    index, themes = compare_data(cat, views, ln, doubts)
    out = {DATA_FILE: compare_script(index)}
    for tid in sorted(themes):
        out[compare_cells_js(tid)] = cells_script(tid, themes[tid])
    return out
