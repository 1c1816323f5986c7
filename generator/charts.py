"""Static SVG charts, drawn at build time so they also appear in the PDF and offline.

Each chart is a plain bar chart with its numbers written as text on the bars,
and the same figures are in the table next to it (for screen readers, the
SVG carries a <title> and <desc> too). Output depends only on the data.
"""

from __future__ import annotations

import html
from typing import Optional

from markupsafe import Markup

from . import models
from .catalog import Catalogue
from .render import UNIT_LABELS, format_value, format_yuan

FONT = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
PALETTE = ["#3f51b5", "#e5734a", "#2e9e6b", "#b54a9e", "#c9a227", "#4a8fc9", "#8a6d3b", "#6b6b6b"]
PREFERRED_METRIC = "high-skilled-share-of-skilled"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _bars(title: str, bars: list[tuple[str, str, float, str, int]], unit_label: str) -> str:
    """bars: (label, sublabel, value, value text, colour index) → horizontal bar chart."""
    row, left, width, right = 30, 190, 380, 110
    height = 40 + row * len(bars) + 10
    top = max((b[2] for b in bars), default=1) or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="atlas-svg" role="img" viewBox="0 0 {left + width + right} {height}" '
           f'width="{left + width + right}" height="{height}" font-family="{_e(FONT)}" font-size="13">',
           f"<title>{_e(title)}</title>",
           "<desc>" + _e("；".join(f"{b[0]} {b[1]}：{b[3]}" for b in bars)) + "</desc>",
           f'<text x="{left}" y="20" fill="#555">{_e(unit_label)}</text>']
    for i, (label, sub, value, text, colour) in enumerate(bars):
        y = 32 + i * row
        w = max(1.0, width * value / top)
        out.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" fill="#222">{_e(label)}'
                   f'<tspan fill="#777" font-size="11"> {_e(sub)}</tspan></text>')
        out.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 10}" rx="2" fill="{PALETTE[colour % len(PALETTE)]}"/>')
        out.append(f'<text x="{left + w + 6:.1f}" y="{y + 16}" fill="#222">{_e(text)}</text>')
    out.append("</svg>")
    return "".join(out)


def target_chart(cat: Catalogue, metric_id: Optional[str] = None) -> Optional[dict]:
    """One metric's targets across regions (the preferred metric when the data has it)."""
    metric_ids = {t.target.metric for t in cat.targets}
    if PREFERRED_METRIC in metric_ids:
        metric_id = PREFERRED_METRIC
    if not metric_id or metric_id not in cat.metrics:
        return None
    metric = cat.metrics[metric_id]
    rows = sorted((t for t in cat.targets if t.target.metric == metric_id),
                  key=lambda t: (cat.region_sort_key(t.ref.policy.region), t.target.deadline or 0, t.ref.policy.id))
    regions = []
    bars = []
    for t in rows:
        region = cat.regions[t.ref.policy.region].name if t.ref.policy.region in cat.regions else t.ref.policy.region
        if region not in regions:
            regions.append(region)
        when = f"{t.target.deadline}年" if t.target.deadline else (t.target.period.value if t.target.period else "")
        bars.append((region, f"{t.ref.policy.short_title[:10]} {when}".strip(), t.target.value,
                     format_value(t.target.value, t.target.unit.value), regions.index(region)))
    title = f"{metric.name}：各地目标"
    return {"svg": Markup(_bars(title, bars, f"单位：{UNIT_LABELS[metric.unit.value]}")),
            "caption": title + "（数值与出处见下表）", "metric": metric_id}


def prize_chart(cat: Catalogue) -> Optional[dict]:
    """The prize ladder: every competition prize by tier and rank, coloured by region."""
    prizes = [a for a in cat.amounts if a.amount.kind is models.AmountKind.prize]
    if not prizes:
        return None
    tiers = list(models.TIER_LABELS)
    prizes.sort(key=lambda a: (tiers.index(a.amount.tier.value) if a.amount.tier else 99, a.amount.rank or 99,
                               cat.region_sort_key(a.ref.policy.region), a.ref.policy.id))
    regions: list[str] = []
    bars = []
    for a in prizes:
        region = cat.regions[a.ref.policy.region].name if a.ref.policy.region in cat.regions else a.ref.policy.region
        if region not in regions:
            regions.append(region)
        tier = models.TIER_LABELS[a.amount.tier.value] if a.amount.tier else "未分级"
        rank = f"第{a.amount.rank}名" if a.amount.rank else ""
        bars.append((f"{tier}{rank}", region, a.amount.yuan, format_yuan(a.amount.yuan), regions.index(region)))
    title = "竞赛奖金阶梯：按等级与名次"
    return {"svg": Markup(_bars(title, bars, "单位：元")), "caption": title + "（颜色区分地区，数值与出处见下表）"}
