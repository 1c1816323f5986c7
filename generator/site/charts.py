"""Static SVG charts, drawn at build time so they also appear in the PDF and offline.

Two pictures: the targets one metric sets across regions (bar to the target, with its deadline),
and the competition prize ladder (tier → rank → one bar per region, coloured by region with a
legend). Both are compact (480 units wide) so that on a 375 px phone the text stays readable,
write every number as real <text> on the chart (values carry class="atlas-chart-value"), and carry a <title> and <desc> for screen
readers; the same figures are in the table next to each chart. Output depends only on the data.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from markupsafe import Markup

from generator.core import models
from generator.core.catalog import Catalogue
from generator.core.values import (
    COMPARATOR_LABELS,
    UNIT_LABELS,
    format_number,
    format_value,
    format_yuan,
    is_level,
    target_amount,
)
from generator.site.views import DOUBT_MARK, doubted

FONT = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
PALETTE = ["#3f51b5", "#e5734a", "#2e9e6b", "#b54a9e", "#c9a227", "#4a8fc9", "#8a6d3b", "#6b6b6b"]
INK, MUTED, GRID = "#1f2430", "#667085", "#e4e7ee"
WIDTH = 480
PREFERRED_METRIC = "high-skilled-share-of-skilled"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _text_width(text: str, size: float) -> float:
    """Estimated rendered width: CJK characters are square, Latin letters and digits about half."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.6 for ch in text)


def _fit(text: str, size: float, room: float) -> str:
    """Cut text to the room it has, marking the cut with an ellipsis (the table has it in full)."""
    if _text_width(text, size) <= room:
        return text
    while text and _text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """0 … a round number ≥ top, in steps of 1, 2 or 5 × 10^k: gridlines a reader can read."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


@dataclass
class Axis:
    """Maps values to x: 0 at ``left``, the last tick at ``left + length``."""

    ticks: list[float]
    left: float
    length: float

    def x(self, value: float) -> float:
        return self.left + self.length * value / self.ticks[-1]

    def draw(self, y_label: float, y_top: float, y_bottom: float, label) -> list[str]:
        out = []
        for tick in self.ticks:
            x = self.x(tick)
            out.append(f'<line x1="{x:.1f}" y1="{y_top:.1f}" x2="{x:.1f}" y2="{y_bottom:.1f}" stroke="{GRID}"/>')
            out.append(
                f'<text x="{x:.1f}" y="{y_label:.1f}" text-anchor="middle" font-size="12" fill="{MUTED}">'
                f"{_e(label(tick))}</text>"
            )
        return out


def _svg(title: str, desc: str, height: float, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="atlas-svg" role="img" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="{WIDTH}" height="{height:.0f}" font-family="{_e(FONT)}" font-size="13" fill="{INK}">'
        f"<title>{_e(title)}</title><desc>{_e(desc)}</desc>"
    )
    return Markup(head + "".join(body) + "</svg>")


def _bar(x0: float, x1: float, y: float, height: float, colour: str) -> str:
    return f'<rect x="{x0:.1f}" y="{y:.1f}" width="{max(2.0, x1 - x0):.1f}" height="{height}" rx="2" fill="{colour}"/>'


def _region_name(cat: Catalogue, rid: str) -> str:
    """A bar's or legend's region name, with the doubt mark ("山东省？") when its attribution is doubted."""
    name = cat.regions[rid].name if rid in cat.regions else rid
    return name + DOUBT_MARK if rid in doubted(cat) else name


# --------------------------------------------------------------------------- targets


def _deadline(target: models.Target) -> str:
    if target.deadline:
        return f"{target.deadline}年"
    if target.period:
        return f"“{target.period.value}”末（{models.PERIOD_YEARS[target.period.value][1]}年）"
    return "期限未写明"


def _level(target: models.Target) -> float:
    """The value a level target reaches (charts draw only levels: ``is_level`` holds)."""
    assert target.value is not None
    return target.value


def _top(target: models.Target) -> float:
    """The far end of a level target's bar: the top of its range, or its value."""
    return target.value_max if target.value_max is not None else _level(target)


def target_chart(cat: Catalogue, metric_id: str | None = None) -> dict | None:
    """One metric's targets across regions (the preferred metric when the data has it): for each
    region and policy a bar to the target value, the value written at its end and the deadline."""
    metric_ids = {t.target.metric for t in cat.targets}
    if PREFERRED_METRIC in metric_ids:
        metric_id = PREFERRED_METRIC
    if not metric_id or metric_id not in cat.metrics:
        return None
    metric = cat.metrics[metric_id]
    # Levels only (35%, 1/3): a change such as 提高2个百分点 is not a point on the same axis; the table
    # next to the chart lists it.
    rows = sorted(
        (t for t in cat.targets if t.target.metric == metric_id and is_level(t.target)),
        key=lambda t: (cat.region_sort_key(t.ref.policy.region), t.target.deadline or 0, t.ref.policy.id),
    )
    if not rows:
        return None
    unit = metric.unit.value
    axis = Axis(nice_ticks(max(_top(t.target) for t in rows)), 10, WIDTH - 10 - 96)
    row, top = 52, 30
    height = top + row * len(rows) + 6
    body = axis.draw(16, 22, height - 6, lambda v: format_value(v, unit) if v else "0")
    regions: list[str] = []
    described = []
    for i, t in enumerate(rows):
        rid, y = t.ref.policy.region, top + i * row
        if rid not in regions:
            regions.append(rid)
        value = target_amount(t.target)  # as printed: 1/3 stays 1/3, a range 30–35%
        comparator = COMPARATOR_LABELS[t.target.comparator.value]
        # The scope belongs to the place: a national target for 东部省份 is not a target for 全国.
        name = _region_name(cat, rid) + (f"（{t.target.scope}）" if t.target.scope else "")
        deadline = f"期限 {_deadline(t.target)}"
        room = WIDTH - 10 - 8 - _text_width(name, 14) - _text_width(deadline, 12) - 16
        body.append(
            f'<text x="10" y="{y + 16}" font-size="14"><tspan font-weight="bold">{_e(name)}</tspan>'
            f'<tspan fill="{MUTED}" font-size="12"> {_e(_fit(t.ref.policy.short_title, 12, room))}</tspan></text>'
        )
        body.append(
            f'<text x="{WIDTH - 8}" y="{y + 16}" text-anchor="end" font-size="12" fill="{MUTED}">{_e(deadline)}</text>'
        )
        end = axis.x(_level(t.target))
        colour = PALETTE[regions.index(rid) % len(PALETTE)]
        body.append(_bar(axis.left, end, y + 24, 16, colour))
        if t.target.value_max is not None:  # a range: the rest of it, lighter, up to its upper end
            body.append(_bar(end, axis.x(t.target.value_max), y + 24, 16, colour).replace("/>", ' opacity="0.4"/>'))
            end = axis.x(t.target.value_max)
        body.append(
            f'<text class="atlas-chart-value" x="{max(end, axis.left + 2) + 6:.1f}" y="{y + 37}" font-size="14" '
            f'font-weight="bold">'
            f'{_e(value)}<tspan font-weight="normal" fill="{MUTED}" font-size="12">{_e(comparator)}</tspan></text>'
        )
        described.append(f"{name}（{t.ref.policy.short_title}）：{value}{comparator}，期限{_deadline(t.target)}")
    title = f"{metric.name}：各地目标"
    return {
        "svg": _svg(title, "；".join(described), height, body),
        "caption": f"{title}（单位：{UNIT_LABELS[unit]}；数值、期限与出处见下表）",
        "metric": metric_id,
    }


# --------------------------------------------------------------------------- prizes


UNTIERED = "未分级"  # as in the ladder table next to the chart


def _tier_groups(prizes: list) -> list[tuple[str, list[tuple[int, list]]]]:
    """[(tier label, [(rank, [amount refs])])] in the ladder's order: tiers as listed in
    models.TIER_LABELS, then untiered; ranks ascending; unranked last."""
    order = list(models.TIER_LABELS)
    groups: dict[str, dict[int, list]] = {}
    for a in prizes:
        tier = a.amount.tier.value if a.amount.tier else ""
        groups.setdefault(tier, {}).setdefault(a.amount.rank or 0, []).append(a)
    tiers = sorted(groups, key=lambda t: order.index(t) if t in order else len(order))
    return [(models.TIER_LABELS.get(t, UNTIERED), sorted(groups[t].items(), key=lambda kv: kv[0] or 99)) for t in tiers]


def _money(amount: models.Amount) -> str:
    """The amount as the tables write it: 最高 for caps, /人 for per-person amounts."""
    return ("最高" if amount.up_to else "") + format_yuan(amount.yuan) + (f"/{amount.per}" if amount.per else "")


def _legend(cat: Catalogue, regions: list[str], y: float) -> list[str]:
    out, x = [], 10.0
    for i, rid in enumerate(regions):
        name = _region_name(cat, rid)
        out.append(f'<rect x="{x:.1f}" y="{y - 10}" width="11" height="11" rx="2" fill="{PALETTE[i % len(PALETTE)]}"/>')
        out.append(f'<text x="{x + 16:.1f}" y="{y}">{_e(name)}</text>')
        x += 16 + _text_width(name, 13) + 18
    return out


def prize_chart(cat: Catalogue) -> dict | None:
    """The prize ladder: competition tier → rank → one bar per region, on one scale in yuan."""
    prizes = [a for a in cat.amounts if a.amount.kind is models.AmountKind.prize]
    if not prizes:
        return None
    regions = sorted({a.ref.policy.region for a in prizes}, key=cat.region_sort_key)
    groups = _tier_groups(prizes)
    axis = Axis(nice_ticks(max(a.amount.yuan for a in prizes)), 64, WIDTH - 64 - 80)
    bar, gap, header = 15, 4, 26
    y = 58.0
    body: list[str] = []
    described = []
    for tier, ranks in groups:
        body.append(f'<text x="10" y="{y + 15:.1f}" font-weight="bold">{_e(tier)}</text>')
        y += header
        for rank, amounts in ranks:
            amounts = sorted(amounts, key=lambda a: (regions.index(a.ref.policy.region), -a.amount.yuan))
            label = f"第{rank}名" if rank else "不分名次"
            body.append(f'<text x="10" y="{y + bar - 2:.1f}" fill="{MUTED}">{_e(label)}</text>')
            for a in amounts:
                colour = PALETTE[regions.index(a.ref.policy.region) % len(PALETTE)]
                end = axis.x(a.amount.yuan)
                body.append(_bar(axis.left, end, y, bar, colour))
                money = _money(a.amount)
                body.append(
                    f'<text class="atlas-chart-value" x="{max(end, axis.left + 2) + 5:.1f}" '
                    f'y="{y + bar - 2:.1f}">'
                    f"{_e(money)}</text>"
                )
                described.append(f"{tier}{label}，{_region_name(cat, a.ref.policy.region)}：{money}")
                y += bar + gap
            y += 6
        y += 4
    height = y + 4
    head = _legend(cat, regions, 18) + axis.draw(44, 50, height - 8, lambda v: f"{format_number(v)}元" if v else "0")
    title = "竞赛奖金阶梯：按等级与名次"
    return {
        "svg": _svg(title, "；".join(described), height, head + body),
        "caption": f"{title}（单位：元；颜色区分地区；数值与出处见下表）",
    }
