"""A tile-grid map of China's 31 provincial-level regions, as static SVG.

Why tiles and not a geographic map: a reader compares coverage, not areas —
on a geographic map 新疆 and 西藏 dominate and 上海, 天津 or 北京 vanish; a tile
per province gives each the same weight, needs no external geodata, and
stays legible at 375 px. Provinces are identified by the first two digits of
their GB/T 2260 code, so a contributor's region ids never need to match a
table here. Colours are bucketed by the number of measures; every tile has
a tooltip and, where the atlas has a page for the province, a link; and the
same facts are given as text beside the SVG, for screen readers and print.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

# (two-digit GB/T 2260 prefix, short name, column, row): a layout that keeps neighbours next to each other.
PROVINCES: tuple[tuple[str, str, int, int], ...] = (
    ("23", "黑龙江", 7, 0),
    ("15", "内蒙古", 4, 1),
    ("22", "吉林", 7, 1),
    ("65", "新疆", 1, 2),
    ("62", "甘肃", 3, 2),
    ("11", "北京", 5, 2),
    ("21", "辽宁", 6, 2),
    ("63", "青海", 2, 3),
    ("64", "宁夏", 3, 3),
    ("14", "山西", 4, 3),
    ("13", "河北", 5, 3),
    ("12", "天津", 6, 3),
    ("54", "西藏", 1, 4),
    ("51", "四川", 2, 4),
    ("61", "陕西", 3, 4),
    ("41", "河南", 4, 4),
    ("37", "山东", 5, 4),
    ("53", "云南", 2, 5),
    ("50", "重庆", 3, 5),
    ("42", "湖北", 4, 5),
    ("34", "安徽", 5, 5),
    ("32", "江苏", 6, 5),
    ("52", "贵州", 3, 6),
    ("43", "湖南", 4, 6),
    ("36", "江西", 5, 6),
    ("33", "浙江", 6, 6),
    ("31", "上海", 7, 6),
    ("45", "广西", 3, 7),
    ("44", "广东", 4, 7),
    ("35", "福建", 5, 7),
    ("46", "海南", 4, 8),
)
TILE = 46  # px, including the gap
GAP = 4
# Measure counts are bucketed so one busy province does not wash out the others: 0, 1–2, 3–5, 6–10, 11+.
BUCKETS = (0, 1, 3, 6, 11)
FILLS = ("#eceff1", "#c5cae9", "#9fa8da", "#5c6bc0", "#303f9f")
INKS = ("#455a64", "#1a237e", "#1a237e", "#ffffff", "#ffffff")


@dataclass(frozen=True)
class Tile:
    """One province as the map shows it: what to write, where it links, and its measure count."""

    prefix: str
    name: str
    column: int
    row: int
    count: int
    href: str | None
    doubtful: bool = False


def bucket(count: int) -> int:
    """The colour step of a count: the highest bucket whose lower bound it reaches."""
    return max(i for i, low in enumerate(BUCKETS) if count >= low)


def tiles(counts: dict[str, int], hrefs: dict[str, str], doubtful: frozenset[str] = frozenset()) -> list[Tile]:
    """Tiles for every province; ``counts`` and ``hrefs`` are keyed by two-digit code prefix."""
    return [
        Tile(prefix, name, col, row, counts.get(prefix, 0), hrefs.get(prefix), prefix in doubtful)
        for prefix, name, col, row in PROVINCES
    ]


def _tile_svg(tile: Tile, what: str) -> str:
    step = bucket(tile.count)
    x, y = tile.column * TILE, tile.row * TILE
    size = TILE - GAP
    mark = "？" if tile.doubtful else ""
    label = f"{tile.name}{mark}：{tile.count} 条{what}" if tile.count else f"{tile.name}：尚未收录{what}"
    font = 11 if len(tile.name) > 2 else 13
    body = (
        f"<title>{html.escape(label)}</title>"
        f'<rect x="{x}" y="{y}" width="{size}" height="{size}" rx="4" fill="{FILLS[step]}"/>'
        f'<text x="{x + size / 2:g}" y="{y + 18}" font-size="{font}" text-anchor="middle" fill="{INKS[step]}">'
        f"{html.escape(tile.name)}{mark}</text>"
        f'<text x="{x + size / 2:g}" y="{y + 34}" font-size="11" text-anchor="middle" fill="{INKS[step]}">'
        f"{tile.count if tile.count else '–'}</text>"
    )
    if tile.href:
        return f'<a href="{html.escape(tile.href)}" aria-label="{html.escape(label)}">{body}</a>'
    return f"<g>{body}</g>"


def svg(tile_list: list[Tile], title: str, what: str = "措施") -> str:
    """The map as one inline SVG element (deterministic: tiles in the fixed layout order)."""
    width = (max(t.column for t in tile_list) + 1) * TILE
    height = (max(t.row for t in tile_list) + 1) * TILE
    parts = "".join(_tile_svg(t, what) for t in tile_list)
    return (
        f'<svg class="atlas-tilemap" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="tilemap-title" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="tilemap-title">{html.escape(title)}</title>{parts}</svg>'
    )


def legend() -> list[dict[str, str]]:
    """The colour steps with their ranges, for the text under the map."""
    out = []
    for i, low in enumerate(BUCKETS):
        high = BUCKETS[i + 1] - 1 if i + 1 < len(BUCKETS) else None
        text = (
            "0"
            if low == 0
            else (f"{low}–{high}" if high is not None and high != low else (f"{low}" if high == low else f"{low} 以上"))
        )
        out.append({"fill": FILLS[i], "label": text})
    return out
