"""Checks on the forms values take, and on references that name policies the atlas holds.

Kept apart from ``checks.py`` (same ``@check`` registry, run by ``validate``) because these
came from one contribution's findings (issue 16): fractions, ranges and relative targets, and
external references that a newer policy now answers.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from generator.core import models
from generator.core.catalog import reference_matches
from generator.core.checks import Context, check
from generator.core.numbers import states, states_fraction, states_range
from generator.core.values import format_amount
from generator.diagnostics import PathKey, Problem, format_path

PERCENT_HINT = (
    "a percentage is written without %: 35% → value: 35; 百分之三十 → value: 30; "
    "1/3 or 三分之一 → fraction: 1/3 (no value); 2—3个百分点 → value: 2, value_max: 3, "
    "unit: percentage-points, change: increase"
)
NUMBER_HINT = "the quote must contain this number (10万元 = 100000; 280万人 = 2800000)"


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def target_not_stated(target: models.Target) -> tuple[PathKey, str, str] | None:
    """(field, message, hint) when a target's quote does not state its value in the form given."""
    if target.fraction is not None:
        if states_fraction(target.quote, target.fraction):
            return None
        return (
            ("fraction",),
            f"the fraction {target.fraction} is not stated in its quote",
            f"the quote must contain {target.fraction}, or the same in Chinese numerals (三分之一 is 1/3)",
        )
    if target.value is None:
        return None  # reported by value-form
    unit = target.unit.value
    if target.value_max is not None:
        if states_range(target.quote, target.value, target.value_max):
            return None
        shown = format_amount(target.value, target.value_max, unit)
        return (
            ("value",),
            f"the range {shown} is not stated in its quote",
            "the quote must contain both ends as one range, e.g. 2—3个百分点, 2-3万人 or 两到三",
        )
    if states(target.quote, target.value):
        return None
    hint = PERCENT_HINT if unit in ("percent", "percentage-points") else NUMBER_HINT
    return (("value",), f"{_shown(target.value)} {unit} is not stated in its quote", hint)


@check(
    "value-form",
    "a target gives value or fraction (not both); a fraction is a percentage; a range's "
    "value_max is above value; percentage points only for a change",
)
def value_form(ctx: Context) -> Iterator[Problem]:
    for _, doc, i, measure in ctx.measures():
        for j, target in enumerate(measure.targets):
            path = ("measures", i, "targets", j)
            written = doc.positions
            value_written = path + ("value",) in written
            if target.fraction is None and target.value is None and not value_written:  # else: a schema error
                yield ctx.problem(
                    doc,
                    path,
                    "the target has no value",
                    "write value: (a number), or fraction: 1/3 when the text prints a fraction",
                )
            if target.fraction is not None:
                if value_written:
                    yield ctx.problem(
                        doc,
                        path + ("value",),
                        "write either value or fraction, not both",
                        f"remove value: the atlas derives it from fraction {target.fraction}",
                    )
                if target.unit is not models.Unit.percent:
                    yield ctx.problem(
                        doc,
                        path + ("unit",),
                        "a fraction is a share: its unit is percent",
                        "write unit: percent (1/3 is shown as printed, and charted as 33.3%)",
                    )
                if target.value_max is not None:
                    yield ctx.problem(
                        doc,
                        path + ("value_max",),
                        "a fraction cannot be a range",
                        "remove value_max, or write the range with value and value_max",
                    )
            if target.value_max is not None and target.value is not None and target.value_max <= target.value:
                yield ctx.problem(
                    doc,
                    path + ("value_max",),
                    f"value_max {_shown(target.value_max)} is not above value {_shown(target.value)}",
                    "value is the lower end of the range, value_max the upper end",
                )
            if target.unit is models.Unit.percentage_points and target.change is None:
                yield ctx.problem(
                    doc,
                    path + ("unit",),
                    "percentage points measure a change",
                    "add change: increase (提高…个百分点) or change: decrease, or use unit: percent",
                )


# --------------------------------------------------------------------------- references the atlas holds


@dataclass(frozen=True)
class Info:
    """A message that is not a problem: printed as ``info:`` lines, and validate still passes."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def format(self) -> str:
        return f"info: {self.file}:{self.line}:{self.column}: {self.field}: {self.message}"


def _described(ctx: Context, pid: str) -> str:
    return describe_policy(ctx.data.policies, pid)


def describe_policy(policies: dict[str, models.Policy], pid: str) -> str:
    policy = policies[pid]
    number = f" {policy.doc_number}" if policy.doc_number else ""
    return f"'{pid}' ({policy.title}{number})"


@check(
    "references-resolve",
    "an external reference (ref) that names more than one policy of the atlas — by "
    "document number, or by title and issuer — is ambiguous",
)
def references_resolve(ctx: Context) -> Iterator[Problem]:
    for match in reference_matches(ctx.data.policies):
        if match.policy is None:
            doc = ctx.data.documents[match.holder]
            listed = ", ".join(_described(ctx, p) for p in match.candidates)
            yield ctx.problem(
                doc,
                (match.kind, match.index, "ref"),
                f"this reference matches {len(match.candidates)} policies by {match.by}: {listed}",
                "add the document number (doc_number) or issuer to the reference, or write "
                "policy: <id> instead of ref:",
            )


def reference_infos(data, only: set[str] | None = None) -> list[Info]:
    """One ``info`` per reference that resolves to a policy (``data``: a validated Dataset), for the file
    holding it and for the file it names (``only``: the displays asked for; None: all)."""
    out = []
    for match in reference_matches(data.policies):
        if match.policy is None or match.holder not in data.documents or match.policy not in data.documents:
            continue
        doc, target = data.documents[match.holder], data.documents[match.policy]
        if only is not None and doc.display not in only and target.display not in only:
            continue
        pos = doc.position((match.kind, match.index, "ref"))
        relation = "implementing" if match.kind == "implements" else "citing"
        out.append(
            Info(
                doc.display,
                pos.line,
                pos.column,
                format_path((match.kind, match.index, "ref")),
                f"resolves to policy {describe_policy(data.policies, match.policy)} by {match.by}, linked "
                f"both ways ({match.policy}'s page lists {match.holder} as {relation} it) — no edit needed",
            )
        )
    return out


# --------------------------------------------------------------------------- region suggestions


def suggest_region(value: str, regions: dict[str, models.Region]) -> str:
    """'did you mean' for a region, matching ids, Chinese and English names and levels:
    national → china, 河南 → henan, Sichuan → sichuan."""
    text = value.strip().lower()
    names: dict[str, str] = {}
    for rid, region in regions.items():
        names[rid] = rid
        names[region.name.lower()] = rid
        names[region.name_en.lower()] = rid
        for word in region.name_en.lower().replace("(", " ").replace(")", " ").split():
            names.setdefault(word, rid)
        short = region.name.rstrip("省市县区")
        if short:
            names.setdefault(short.lower(), rid)
    national = [rid for rid, r in regions.items() if r.level is models.Level.national]
    if len(national) == 1:
        for word in ("national", "nation", "nationwide", "country", "central", "全国", "国家", "中央"):
            names.setdefault(word, national[0])
    if text in names:
        return f"did you mean '{names[text]}'?"
    close = difflib.get_close_matches(text, sorted(names), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{names[close[0]]}'?"
    return ""
