"""The data behind 自选对照 (/compare/regions/): every region × topic cell, compact, for the browser.

The reader picks 2–4 regions and a theme or topic; the page's script builds the table and its CSV
from this data alone, so the view works offline (the build writes it as a script, ``compare-data.js``,
which a ``file://`` page can load where it could not fetch JSON). Figures are phrased by the same
row builders as the static pages, so a cell says exactly what the theme and region pages say.
"""

from __future__ import annotations

import json
from typing import Any

from generator.core.catalog import Catalogue, MeasureRef
from generator.site.render import Linker
from generator.site.urls import COMPARE_DATA_JS as DATA_FILE  # noqa: F401 - the name generate() writes
from generator.site.urls import CUSTOM_COMPARE_SRC as COMPARE_SRC  # noqa: F401
from generator.site.views import doubt_links

OTHER = "--other"  # suffix of a theme's row for measures with the theme but no topic of it


def _item(views: Any, ln: Linker, ref: MeasureRef, theme_id: str) -> dict[str, Any]:
    link = views.measure_link(ln, ref)
    return {
        "pid": ref.policy.id,
        "policy": ref.policy.short_title,
        "section": ref.measure.section,
        "title": ref.measure.title,
        "summary": " ".join(ref.measure.summary.split()),
        "href": link["href"],
        "figures": views.key_figures(ln, ref),
    }


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
    out = []
    for rid in cat.region_order:
        if rid not in keep:
            continue
        region = cat.regions[rid]
        doubt = doubts.get(rid)
        out.append(
            {
                "id": rid,
                "label": region.name + ("？" if doubt else ""),
                "indent": "　" * depth.get(region.level.value, 0),
                "href": ln.href(f"regions/{rid}.md"),
                "doubt": doubt,
                "doubt_href": notes.get(rid) if doubt else None,
            }
        )
    return out


def compare_data(cat: Catalogue, views: Any, ln: Linker, doubts: dict[str, str]) -> dict[str, Any]:
    """The whole comparison as plain data; ``doubts`` maps a region id to why its attribution is doubted."""
    topics: list[dict[str, Any]] = []
    for tid in cat.theme_order:
        for topic_id in cat.topics_by_theme.get(tid, []):
            topics.append({"id": topic_id, "name": cat.topics[topic_id].name, "theme": tid})
        topics.append({"id": tid + OTHER, "name": "其他（未归入议题）", "theme": tid, "other": True})
    cells: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for ref in cat.measures:
        region = ref.policy.region
        for tid in ref.measure.themes:
            if tid not in cat.themes:
                continue
            own = [t for t in ref.measure.topics if t in cat.topics and cat.topics[t].theme == tid]
            for row in own or [tid + OTHER]:
                cells.setdefault(region, {}).setdefault(row, []).append(_item(views, ln, ref, tid))
    used = {row for by_topic in cells.values() for row in by_topic}
    return {
        "regions": _regions(cat, ln, doubts),
        "themes": [{"id": t, "name": cat.themes[t].name} for t in cat.theme_order],
        "topics": [t for t in topics if not t.get("other") or t["id"] in used],
        "cells": cells,
        "with_policies": sorted(rid for rid in cat.regions if cat.policies_by_region.get(rid)),
    }


def compare_script(data: dict[str, Any]) -> bytes:
    """``window.ATLAS_COMPARE = …;`` — JSON with ``<`` escaped, so no text can close a script element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
    return f"window.ATLAS_COMPARE = {text};\n".encode()
