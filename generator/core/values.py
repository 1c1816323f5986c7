"""How a value reads: numbers in the unit documents use (280万人), and a target's form as printed.

A target is not always one number. National documents write 1/3 (or 三分之一),
ranges (提高2—3个百分点) and relative targets (增长10%). The model records the form
(``fraction``, ``value_max``, ``change``, unit ``percentage-points``); this module
turns it back into the words a reader expects, once, for the tables, the charts
and the CSV alike, so the three never disagree.
"""

from __future__ import annotations

from generator.core import models

UNIT_LABELS = {
    "percent": "%",
    "percentage-points": "个百分点",
    "persons": "人",
    "person-times": "人次",
    "count": "个",
    "yuan": "元",
}
COMPARATOR_LABELS = {"at-least": "以上", "about": "左右", "at-most": "以内", "exactly": "", "strive": "（力争）"}


def format_number(value: float) -> str:
    """280万 rather than 2800000: readers compare figures in the unit the documents use."""
    if value >= 10000 and value % 1000 == 0:
        return f"{value / 10000:g}万"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:g}"


def format_value(value: float, unit: str) -> str:
    label = UNIT_LABELS.get(unit, unit)
    if unit == "percent":
        return f"{value:g}%"
    return f"{format_number(value)}{label}"


def format_yuan(value: float) -> str:
    return format_value(value, "yuan")


# The verb a document uses for a change depends on what changes: a share 提高 by points, a number 增长
# by a percentage or 增加 by an amount.
CHANGE_VERBS = {
    ("increase", "percentage-points"): "提高",
    ("increase", "percent"): "增长",
    ("increase", ""): "增加",
    ("decrease", "percentage-points"): "降低",
    ("decrease", "percent"): "下降",
    ("decrease", ""): "减少",
}


def _number(value: float, unit: str) -> str:
    """A number without its unit label, in the form format_value writes it."""
    return f"{value:g}" if unit in ("percent", "percentage-points") else format_number(value)


def format_amount(value: float, value_max: float | None, unit: str) -> str:
    """35%, 280万人, or a range written once with its unit: 2–3个百分点, 30–35%, 2万–3万人."""
    if value_max is None or value_max == value:
        return format_value(value, unit)
    return f"{_number(value, unit)}–{_number(value_max, unit)}{UNIT_LABELS.get(unit, unit)}"


def change_verb(change: models.Change | None, unit: str) -> str:
    if change is None:
        return ""
    key = unit if unit in ("percentage-points", "percent") else ""
    return CHANGE_VERBS[(change.value, key)]


def target_amount(target: models.Target) -> str:
    """The target's amount as printed, without the comparator: 1/3, 35%, 提高2–3个百分点."""
    unit = target.unit.value
    if target.fraction is not None:
        amount = target.fraction
    elif target.value is None:  # reported by the value-form check; never reaches a page
        amount = "—"
    else:
        amount = format_amount(target.value, target.value_max, unit)
    return change_verb(target.change, unit) + amount


def target_text(target: models.Target) -> str:
    """The target as the document states it: 1/3, 35%左右, 提高2–3个百分点, 增长10%以上."""
    return target_amount(target) + COMPARATOR_LABELS[target.comparator.value]


def is_level(target: models.Target) -> bool:
    """A level to reach (35%, 280万人), as opposed to a change from today's level: only levels
    share one axis in a chart."""
    return target.change is None and target.value is not None


def allowed_units(metric_unit: models.Unit, change: models.Change | None) -> set[models.Unit]:
    """Units a target of this metric may use. A change may be given in the metric's unit (增加5万人),
    in percent of today's level (增长10%), and for a share in percentage points (提高2个百分点)."""
    if change is None:
        return {metric_unit}
    units = {metric_unit, models.Unit.percent}
    if metric_unit is models.Unit.percent:
        units.add(models.Unit.percentage_points)
    return units
