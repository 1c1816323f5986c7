"""The atlas as printed documents, typeset by Typst from the data (not from the site's HTML).

Why from data: the site is built of linked pages with navigation chrome; a book needs a
cover, contents with page numbers, bookmarks, running headers, landscape pages for the
side-by-side tables and links inside the file. So this module turns the catalogue into
one JSON document of plain dicts, lists and strings (``book``), and the layout lives in
Typst templates (``export/typst/*.typ``), which read it with ``json()``. Strings from
JSON are set as text, never evaluated as Typst markup: contributor text stays data.

Typst (the PyPI ``typst`` package, an in-process compiler) embeds the Noto CJK SC faces
as CID fonts and keeps text extractable; it typesets a thousand policies in seconds,
where the former HTML pipeline needed minutes and gigabytes.

Output is deterministic: the document date comes from ``build.source_date_epoch`` (the
last commit), never from the clock, and every list is in the catalogue's fixed order.
"""

from __future__ import annotations

import concurrent.futures
import io
import json
import multiprocessing
import os
import shutil
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from generator.core import models
from generator.core.catalog import Catalogue, MeasureRef, policy_date, policy_year
from generator.core.dataset import Dataset
from generator.core.pinyin import pinyin_key
from generator.core.values import format_value, format_yuan, target_text
from generator.export import typeset as typesetting
from generator.export.typeset import compile_data, compiler
from generator.paths import PDF_MANIFEST
from generator.paths import PDF_PATH as ATLAS_PDF
from generator.site.urls import region_pdf, theme_pdf
from generator.site.views import DOUBT_MARK, Views, doubted

TIMEZONE = ZoneInfo("Asia/Shanghai")  # the documents' own calendar: a commit at 01:00 UTC+8 is that day's date
TITLE = "技能人才政策对照"
SUBTITLE = "中国各地技能人才政策图谱：培训、评价、竞赛与激励，逐条对照、逐字溯源"
KEYWORDS = ["技能人才", "高技能人才", "职业技能培训", "技能评价", "职业技能竞赛", "政策对照"]
MANIFEST = PDF_MANIFEST
GLOSSARY_OCCURRENCES = 12  # links under a glossary term to the first measures using it
MAX_COLUMNS = 12  # region columns per side-by-side table on a landscape A4 page (pages.MAX_TABLE_COLUMNS)

STATUS_LABELS = {"in-force": "现行有效", "expired": "已失效", "superseded": "已被替代", "unknown": "状态不详"}
LEVEL_LABELS = {"national": "全国", "province": "省级", "prefecture": "地市级", "county": "县级"}


# --------------------------------------------------------------------------- what a document holds


@dataclass
class Scope:
    """Which chapters one PDF holds: the whole atlas, one theme, or one region with its policies."""

    title: str
    complete: bool
    themes: list[str] = field(default_factory=list)
    compare: bool = False
    regions: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    topic_details: bool = False  # a theme on its own lists each topic's measures with summaries and quotes
    region_details: bool = False  # a region on its own has a table of its measures by theme and topic


def atlas_scope(cat: Catalogue) -> Scope:
    return Scope(TITLE, True, list(cat.theme_order), True, cat.regions_with_policies(), list(cat.policy_order))


def theme_scope(cat: Catalogue, tid: str) -> Scope:
    if tid not in cat.themes:
        raise ValueError(f"unknown theme {tid!r}; known: {', '.join(cat.theme_order)}")
    return Scope(f"{TITLE} · {cat.themes[tid].name}", False, themes=[tid], topic_details=True)


def region_scope(cat: Catalogue, rid: str) -> Scope:
    if rid not in cat.regions:
        raise ValueError(f"unknown region {rid!r}; known: {', '.join(cat.region_order)}")
    return Scope(
        f"{TITLE} · {cat.regions[rid].name}",
        False,
        regions=[rid],
        policies=list(cat.policies_by_region.get(rid, [])),
        region_details=True,
    )


# --------------------------------------------------------------------------- labels and text


def _measure_label(ref: MeasureRef) -> str:
    return f"m:{ref.policy.id}:{ref.measure.id}"


class Book:
    """Builds the JSON document for one scope. Links are emitted only to labels the document
    has (Typst refuses a link to a missing label), so a partial PDF's links to chapters it
    leaves out become plain text."""

    def __init__(self, cat: Catalogue, scope: Scope, when: datetime):
        self.cat, self.scope, self.when = cat, scope, when
        self.policies = set(scope.policies)
        self.themes = set(scope.themes)
        self.regions = set(scope.regions)
        self.source_lines: dict[str, set[int]] = {}  # policy → the lines quotes link to (labelled in the appendix)
        self._views: Views | None = None  # the site's Views, made when a table is too wide for one page
        self.doubts = doubted(cat)  # region id → why an attribution to it is doubted (as on the site)

    # ---------------------------------------------------------------- small pieces

    def to_policy(self, pid: str) -> str | None:
        return f"p:{pid}" if pid in self.policies else None

    def to_measure(self, ref: MeasureRef) -> str | None:
        return _measure_label(ref) if ref.policy.id in self.policies else None

    def to_region(self, rid: str) -> str | None:
        return f"r:{rid}" if rid in self.regions else None

    def region_name(self, rid: str) -> str:
        region = self.cat.regions.get(rid)
        return region.name if region else rid

    def region_marked(self, rid: str) -> str:
        """A region's name, with "？" when a policy's attribution to it is doubted ("山东省？"), as
        the site shows it in every column, list and fact."""
        return self.region_name(rid) + (DOUBT_MARK if rid in self.doubts else "")

    def doubt_of(self, policy: models.Policy, field: str) -> dict | None:
        """The mark after a doubtful field of a policy ("地区存疑，见本章数据质量说明"), linked to the
        note with the evidence."""
        for flag in policy.uncertain:
            if flag.field.value == field and any(n.id == flag.note for n in policy.notes):
                label = f"n:{policy.id}:{flag.note}" if policy.id in self.policies else None
                return {"t": models.UNCERTAIN_FIELD_LABELS[field] + "存疑，见本章数据质量说明", "to": label}
        return None

    def glossed(self, text: str, seen: set[str]) -> list[dict]:
        """Text as pieces, a glossary term linked to its entry at its first occurrence in the chapter
        (``seen``: the terms already linked). Once per chapter, not per summary: every link costs
        Typst layout time and memory, and a reader needs the way to the glossary once."""
        return [
            {"t": piece, "to": f"g:{term.id}"} if term else {"t": piece}
            for piece, term in self.cat.terms.split(text, seen)
        ]

    def quote(self, policy: models.Policy, text: str) -> dict:
        """A verbatim quote and the line of the archived text it comes from (linked when printed)."""
        span = self.cat.data.span(policy.id, text)
        view: dict = {"text": text, "line": None, "to": None, "fixes": "", "original": ""}
        if span is not None:
            view["line"] = str(span.line) if span.line == span.end_line else f"{span.line}–{span.end_line}"
            if policy.source.script is models.Script.traditional:  # as the site's quote: 繁体原文 and the fixes
                view["original"] = span.original
                view["fixes"] = "、".join(f"{a}→{b}" for a, b in span.fixes)
            if policy.id in self.policies and self.cat.data.sources.get(policy.id) is not None:
                self.source_lines.setdefault(policy.id, set()).add(span.line)
                view["to"] = f"s:{policy.id}:{span.line}"
        return view

    def measure_link(self, ref: MeasureRef) -> dict:
        return {"text": ref.measure.title, "policy": ref.policy.short_title, "to": self.to_measure(ref)}

    # ---------------------------------------------------------------- tables with a column per region

    def column_groups(self, regions: list[str]) -> list[tuple[str, list[str]]]:
        """Regions as columns, at most MAX_COLUMNS to a table: all together when they fit, else by
        province, a wide province by prefecture city, a wide city in consecutive parts — so every
        column is visible on a landscape page, however large the atlas."""
        if len(regions) <= MAX_COLUMNS:
            return [("", regions)]
        if self._views is None:
            self._views = Views(self.cat)  # the site's own grouping, so the PDF's tables match the site's
        return self._views.column_groups(regions)

    def grid(self, regions: list[str], rows: list[tuple[dict, list[list[dict]]]]) -> list[dict]:
        """Tables of ``rows`` (a head and one cell per region), split into column groups; a row
        empty in a group's columns is left out of that table."""
        at = {rid: i for i, rid in enumerate(regions)}
        tables = []
        for label, group in self.column_groups(regions):
            picked = [at[r] for r in group]
            body = []
            for head, cells in rows:
                part = [cells[i] for i in picked]
                if any(part):
                    body.append({"head": head, "cells": part})
            if body:
                tables.append(
                    {
                        "label": label,
                        "regions": [{"t": self.region_marked(r), "to": self.to_region(r)} for r in group],
                        "rows": body,
                    }
                )
        return tables

    # ---------------------------------------------------------------- chapters

    def theme_chapter(self, tid: str) -> dict:
        cat = self.cat
        theme = cat.themes[tid]
        regions = cat.regions_in_theme(tid)
        topics = [t for t in cat.topics_by_theme.get(tid, []) if cat.by_topic.get(t)]
        rows: list[tuple[dict[str, str | None], list]] = []
        for topic_id in topics:
            cells = [[self.measure_link(r) for r in cat.by_topic_region.get((topic_id, rid), [])] for rid in regions]
            rows.append(({"t": cat.topics[topic_id].name, "to": f"tp:{tid}:{topic_id}"}, cells))
        # Measures with the theme but none of its topics: a row of the table, and a section of their own in
        # a theme's PDF, so every measure of the theme is there with its quotes.
        untagged_refs = {
            rid: [
                r
                for r in cat.by_theme_region.get((tid, rid), [])
                if not any(cat.topics.get(t) and cat.topics[t].theme == tid for t in r.measure.topics)
            ]
            for rid in regions
        }
        other_label = f"tp:{tid}:--other"
        if any(untagged_refs.values()):
            rows.append(
                (
                    {"t": "其他相关条款", "to": other_label if self.scope.topic_details else None},
                    [[self.measure_link(r) for r in untagged_refs[rid]] for rid in regions],
                )
            )
        sections = []
        seen: set[str] = set()
        groups = [
            (
                f"tp:{tid}:{topic_id}",
                cat.topics[topic_id],
                lambda rid, t=topic_id: cat.by_topic_region.get((t, rid), []),
            )
            for topic_id in topics
        ]
        for label, topic, refs_of in groups:
            section = {
                "label": label,
                "name": topic.name,
                "name_en": topic.name_en,
                "description": topic.description,
                "count": len(cat.by_topic[topic.id]),
                "regions": [],
            }
            self._detail(section, regions, refs_of, seen)
            sections.append(section)
        if self.scope.topic_details and any(untagged_refs.values()):
            section = {
                "label": other_label,
                "name": "其他相关条款",
                "name_en": "Other measures of the theme",
                "description": "属于本主题、但未归入本主题任何议题的条款。",
                "count": sum(len(v) for v in untagged_refs.values()),
                "regions": [],
            }
            self._detail(section, regions, lambda rid: untagged_refs[rid], seen)
            sections.append(section)
        return {
            "kind": "theme",
            "label": f"t:{tid}",
            "title": theme.name,
            "name_en": theme.name_en,
            "description": theme.description,
            "measures": len(cat.by_theme.get(tid, [])),
            "region_count": len(regions),
            "tables": self.grid(regions, rows),
            "topics": sections,
            "details": self.scope.topic_details,
        }

    def _detail(self, section: dict, regions: list[str], refs_of, seen: set[str]) -> None:
        """A topic's measures region by region, with summaries and quotes (theme PDFs only)."""
        if not self.scope.topic_details:
            return
        for rid in regions:
            refs = refs_of(rid)
            if refs:
                section["regions"].append(
                    {
                        "name": self.region_name(rid),
                        "measures": [
                            self.measure_link(r)
                            | {
                                "section": r.measure.section,
                                "year": policy_year(r.policy),
                                "summary": self.glossed(r.measure.summary, seen),
                                "quotes": [self.quote(r.policy, q) for q in r.measure.quotes],
                            }
                            for r in refs
                        ],
                    }
                )

    def target_cell(self, target: models.Target, ref: MeasureRef) -> dict:
        when = [f"{target.deadline}年"] if target.deadline else []
        if target.period:
            start, end = models.PERIOD_YEARS[target.period.value]
            when.append(f"“{target.period.value}”（{start}–{end}）")
        return {
            "value": target_text(target),  # as printed: 1/3, 2–3个百分点, 提高5个百分点
            "when": "，".join(when) or "未写明",
            "scope": target.scope or "",
            **self.measure_link(ref),
        }

    def targets_chapter(self) -> dict:
        cat = self.cat
        by_cell: dict[tuple[str, str], list] = {}
        for t in cat.targets:
            by_cell.setdefault((t.target.metric, t.ref.policy.region), []).append(t)
        regions = sorted({t.ref.policy.region for t in cat.targets}, key=cat.region_sort_key)
        metrics = [m for m in cat.metrics if any((m, r) in by_cell for r in regions)]
        rows = [
            (
                {"t": cat.metrics[m].name, "to": None},
                [[self.target_cell(t.target, t.ref) for t in by_cell.get((m, r), [])] for r in regions],
            )
            for m in metrics
        ]
        stats = [
            {
                "metric": cat.metrics[s.statistic.metric].name
                if s.statistic.metric in cat.metrics
                else s.statistic.metric,
                "value": format_value(s.statistic.value, s.statistic.unit.value),
                "as_of": s.statistic.as_of,
                "scope": s.statistic.scope or "",
                "region": self.region_name(s.ref.policy.region),
                **self.measure_link(s.ref),
            }
            for s in cat.statistics
        ]
        return {
            "kind": "targets",
            "label": "c:targets",
            "title": "目标对照",
            "tables": self.grid(regions, rows),
            "statistics": stats,
        }

    def amount_cell(self, a) -> dict:
        amount = a.amount
        return {
            "value": ("最高" if amount.up_to else "")
            + format_yuan(amount.yuan)
            + (f"/{amount.per}" if amount.per else ""),
            "kind": models.AMOUNT_KIND_LABELS[amount.kind.value],
            "recipient": amount.recipient,
            "condition": amount.condition,
            **self.measure_link(a.ref),
        }

    def money_chapter(self) -> dict:
        cat = self.cat
        tier_order = list(models.TIER_LABELS)
        prizes = [a for a in cat.amounts if a.amount.kind is models.AmountKind.prize]
        others = [a for a in cat.amounts if a.amount.kind is not models.AmountKind.prize]

        def ladder_key(a) -> tuple[str, int]:
            return (a.amount.tier.value if a.amount.tier else "zz", a.amount.rank or 99)

        keys = sorted(
            {ladder_key(a) for a in prizes}, key=lambda k: (tier_order.index(k[0]) if k[0] in tier_order else 99, k[1])
        )
        prize_regions = sorted({a.ref.policy.region for a in prizes}, key=cat.region_sort_key)
        by_cell: dict[tuple, list] = {}
        for a in prizes:
            by_cell.setdefault((ladder_key(a), a.ref.policy.region), []).append(a)
        ladder = [
            (
                {"t": models.TIER_LABELS.get(k[0], "未分级") + (f" 第{k[1]}名" if k[1] != 99 else ""), "to": None},
                [[self.amount_cell(a) for a in by_cell.get((k, r), [])] for r in prize_regions],
            )
            for k in keys
        ]
        other_regions = sorted({a.ref.policy.region for a in others}, key=cat.region_sort_key)
        by_kind: dict[tuple, list] = {}
        for a in others:
            by_kind.setdefault((a.amount.kind.value, a.ref.policy.region), []).append(a)
        kinds = [k for k in models.AMOUNT_KIND_LABELS if k != "prize" and any(a.amount.kind.value == k for a in others)]
        other_rows = [
            (
                {"t": models.AMOUNT_KIND_LABELS[k], "to": None},
                [[self.amount_cell(a) for a in by_kind.get((k, r), [])] for r in other_regions],
            )
            for k in kinds
        ]
        return {
            "kind": "money",
            "label": "c:money",
            "title": "奖补金额对照",
            "prizes": self.grid(prize_regions, ladder),
            "others": self.grid(other_regions, other_rows),
        }

    def region_chapter(self, rid: str) -> dict:
        cat = self.cat
        region = cat.regions[rid]
        coverage = []
        for tid in cat.theme_order if self.scope.region_details else []:  # the atlas has the theme tables
            for topic_id in cat.topics_by_theme.get(tid, []):
                hits = cat.by_topic_region.get((topic_id, rid), [])
                if hits:
                    coverage.append(
                        {
                            "theme": cat.themes[tid].name,
                            "topic": cat.topics[topic_id].name,
                            "measures": [self.measure_link(r) for r in hits],
                        }
                    )
        policies = []
        for pid in cat.policies_by_region.get(rid, []):
            p = cat.policies[pid]
            policies.append(
                {
                    "title": p.title,
                    "short": p.short_title,
                    "to": self.to_policy(pid),
                    "date": str(policy_date(p) or "日期不详"),
                    "doc_type": p.doc_type.value,
                    "status": STATUS_LABELS[p.status.value],
                    "measures": len(p.measures),
                }
            )
        return {
            "kind": "region",
            "label": f"r:{rid}",
            "title": region.name,
            "name_en": region.name_en,
            "level": LEVEL_LABELS[region.level.value],
            "code": region.code,
            "ancestors": [{"t": self.region_name(a), "to": self.to_region(a)} for a in cat.ancestors(rid)],
            "policies": policies,
            "coverage": coverage,
            # as the region page: each policy whose attribution to this region is doubted, and the evidence
            "doubts": [
                {"policy": cat.policies[pid].short_title, "to": self.to_policy(pid), "note": doubt["to"]}
                for pid in cat.policies_by_region.get(rid, [])
                if (doubt := self.doubt_of(cat.policies[pid], "region"))
            ],
        }

    def relation(self, rel: models.Relation, resolved: str | None = None) -> dict:
        """A related document: its chapter when the atlas holds it (named by id, or by a reference that
        resolves to it), else its title, number and issuer as cited."""
        pid = rel.policy or resolved
        if pid:
            known = self.cat.policies.get(pid)
            return {"t": known.title if known else pid, "to": self.to_policy(pid)}
        ref = rel.ref
        assert ref is not None  # the model requires a policy id or a reference
        extra = "，".join(x for x in (ref.doc_number, ref.issuer) if x)
        return {"t": ref.title + (f"（{extra}）" if extra else ""), "to": None}

    def policy_chapter(self, pid: str) -> dict:
        cat = self.cat
        p = cat.policies[pid]
        d = p.dates
        facts: list[list] = [
            [
                "地区",
                " · ".join([self.region_name(a) for a in cat.ancestors(p.region)] + [self.region_marked(p.region)]),
                self.doubt_of(p, "region"),
            ],
            ["文种", p.doc_type.value, None],
        ]
        if p.doc_number:
            facts.append(["发文字号", p.doc_number, None])
        issuers = "、".join(p.issuers) or "原文未署"
        if p.issuers_inferred:
            issuers += "（推断：" + "、".join(p.issuers_inferred) + "）"
        doubtful_issuers = self.doubt_of(p, "issuers")
        facts.append(["发文机关", issuers + (DOUBT_MARK if doubtful_issuers else ""), doubtful_issuers])
        doubtful_dates = self.doubt_of(p, "dates")  # on the first date, as on the site
        for key, label in (
            ("signed", "成文日期"),
            ("published", "发布日期"),
            ("effective", "施行日期"),
            ("expiry", "失效日期"),
        ):
            if getattr(d, key):
                facts.append([label, str(getattr(d, key)) + (DOUBT_MARK if doubtful_dates else ""), doubtful_dates])
                doubtful_dates = None
        facts.append(["效力状态", STATUS_LABELS[p.status.value], None])
        if p.source.site:
            facts.append(["发布网站", p.source.site, None])
        if p.source.retrieved:
            facts.append(["获取日期", str(p.source.retrieved), None])
        measures = []
        seen: set[str] = set()
        summary = self.glossed(p.summary, seen) if p.summary else []  # first in reading order
        for ref in cat.by_policy.get(pid, []):
            m = ref.measure
            measures.append(
                {
                    "label": _measure_label(ref),
                    "section": m.section,
                    "title": m.title,
                    "themes": "、".join(cat.themes[t].name for t in m.themes if t in cat.themes),
                    "topics": "、".join(cat.topics[t].name for t in m.topics if t in cat.topics),
                    "summary": self.glossed(m.summary, seen),
                    "quotes": [self.quote(p, q) for q in m.quotes],
                    "agencies": "、".join(m.agencies),
                    "facts": (
                        [
                            {
                                "k": "目标（重申发展目标）" if t.restates else "目标",
                                **self.target_cell(t, ref),
                                "metric": cat.metrics[t.metric].name if t.metric in cat.metrics else t.metric,
                                "quote": self.quote(p, t.quote),
                            }
                            for t in m.targets
                        ]
                        + [
                            {
                                "k": "统计",
                                "metric": cat.metrics[s.metric].name if s.metric in cat.metrics else s.metric,
                                "value": format_value(s.value, s.unit.value),
                                "when": f"截至 {s.as_of}",
                                "scope": s.scope or "",
                                "quote": self.quote(p, s.quote),
                            }
                            for s in m.statistics
                        ]
                        + [
                            {
                                "k": "金额",
                                "metric": models.AMOUNT_KIND_LABELS[a.kind.value],
                                "value": ("最高" if a.up_to else "")
                                + format_yuan(a.yuan)
                                + (f"/{a.per}" if a.per else ""),
                                "when": f"{a.recipient}：{a.condition}",
                                "scope": "",
                                "quote": self.quote(p, a.quote),
                            }
                            for a in m.amounts
                        ]
                        + [
                            {
                                "k": "抵免",
                                "metric": models.CREDIT_KIND_LABELS[c.kind.value],
                                "value": format_value(c.percent, "percent") + ("（上限）" if c.up_to else ""),
                                "when": f"{c.beneficiary}：{c.base}，抵免{c.against}",
                                "scope": "",
                                "quote": self.quote(p, c.quote),
                            }
                            for c in m.credits
                        ]
                    ),
                }
            )
        notes = [
            {
                "label": f"n:{pid}:{n.id}" if n.id else None,
                "kind": models.NOTE_KIND_LABELS[n.kind.value],
                "note": n.note,
                "evidence": self.quote(p, n.evidence),
                "measure": n.measure or "",
            }
            for n in p.notes
        ]
        return {
            "kind": "policy",
            "label": f"p:{pid}",
            "title": p.title,
            "short": p.short_title,
            "facts": facts,
            "url": next((link.url for link in p.source.links()), ""),
            "summary": summary,
            "implements": [
                self.relation(r, cat.resolved.get((pid, "implements", j))) for j, r in enumerate(p.implements)
            ],
            "cites": [self.relation(r, cat.resolved.get((pid, "cites", j))) for j, r in enumerate(p.cites)],
            "measures": measures,
            "notes": notes,
            "traditional": p.source.script is models.Script.traditional,
        }

    def source_chapter(self, pid: str) -> dict | None:
        """The archived text, line by line; the lines that quotes link to carry a label."""
        source = self.cat.data.sources.get(pid)
        if source is None:
            return None
        wanted = self.source_lines.get(pid, set())
        lines = [[str(i), text, i in wanted] for i, text in enumerate(source.lines(), start=1)]
        return {
            "kind": "source",
            "label": f"s:{pid}",
            "title": "原文：" + self.cat.policies[pid].short_title,
            "policy": self.cat.policies[pid].title,
            "to": self.to_policy(pid),
            "sha256": self.cat.policies[pid].source.sha256,
            "traditional": self.cat.policies[pid].source.script is models.Script.traditional,
            "lines": lines,
        }

    def glossary(self) -> list[dict]:
        cat = self.cat
        occurrences: dict[str, list[MeasureRef]] = {t: [] for t in cat.glossary}
        if cat.terms.pattern:
            # only this document's measures, in the catalogue's order: a region's PDF must not scan the atlas
            refs = {id(r): r for pid in self.scope.policies for r in cat.by_policy.get(pid, [])}
            for tid in self.scope.themes:
                refs.update((id(r), r) for r in cat.by_theme.get(tid, []))
            rank = {pid: i for i, pid in enumerate(cat.policy_order)}
            for ref in sorted(refs.values(), key=lambda r: (rank[r.policy.id], r.index)):
                text = ref.measure.summary + "".join(ref.measure.quotes) + ref.measure.title
                for tid in sorted(cat.terms.terms_in(text)):
                    occurrences[tid].append(ref)
        entries = []
        for t in sorted(cat.glossary.values(), key=lambda t: pinyin_key(t.term)):
            entries.append(
                {
                    "label": f"g:{t.id}",
                    "term": t.term,
                    "aliases": "、".join(t.aliases),
                    "en": t.en or "",
                    "definition": t.definition,
                    "topics": "、".join(cat.topics[x].name for x in t.topics if x in cat.topics),
                    "count": len(occurrences[t.id]),
                    "occurrences": [self.measure_link(r) for r in occurrences[t.id][:GLOSSARY_OCCURRENCES]],
                }
            )
        return entries

    # ---------------------------------------------------------------- the whole document

    def document(self) -> dict:
        cat, scope = self.cat, self.scope
        parts = []
        if scope.themes:
            parts.append(
                {"title": "主题", "label": "part:themes", "chapters": [self.theme_chapter(t) for t in scope.themes]}
            )
        if scope.compare:
            parts.append(
                {"title": "对照", "label": "part:compare", "chapters": [self.targets_chapter(), self.money_chapter()]}
            )
        if scope.regions:
            parts.append(
                {"title": "地区", "label": "part:regions", "chapters": [self.region_chapter(r) for r in scope.regions]}
            )
        if scope.policies:
            parts.append(
                {
                    "title": "政策文件",
                    "label": "part:policies",
                    "chapters": [self.policy_chapter(p) for p in scope.policies],
                }
            )
            sources = [c for c in (self.source_chapter(p) for p in scope.policies) if c]
            if sources:  # after the policies: it labels the lines their quotes link to
                parts.append({"title": "原文存档", "label": "part:sources", "chapters": sources})
        retrieved = max((p.source.retrieved for p in cat.policies.values() if p.source.retrieved), default=None)
        when = self.when
        return {
            "meta": {
                "title": scope.title,
                "subtitle": SUBTITLE,
                "complete": scope.complete,
                "date": f"{when.year}年{when.month}月{when.day}日",
                "retrieved": f"{retrieved.year}年{retrieved.month}月{retrieved.day}日" if retrieved else "",
                "keywords": KEYWORDS,
                "author": "Skills Policy Atlas contributors",
                "regions": "、".join(self.region_marked(r) for r in cat.regions_with_policies()),
                "counts": cat.counts(),
            },
            "parts": parts,
            "glossary": self.glossary(),
        }


# --------------------------------------------------------------------------- typesetting


def load_catalogue(root: Path) -> Catalogue:
    """The validated catalogue, as ``generate`` builds it (raises DataProblems on bad data)."""
    from generator.core.dataset import without_cyclic_gc
    from generator.core.validate import validate
    from generator.site.generate import DataProblems

    with without_cyclic_gc():
        dataset, problems = validate(root)
    if problems:
        raise DataProblems(problems)
    dataset.release_documents()
    return Catalogue(dataset)


def build_date(root: Path) -> datetime:
    """The document date: the checkout's (SOURCE_DATE_EPOCH or last commit), never the clock."""
    from generator.export.reproducible import source_date_epoch

    return datetime.fromtimestamp(int(source_date_epoch(root)), tz=UTC).astimezone(TIMEZONE)


def page_count(pdf: bytes) -> int:
    """Pages of a PDF: its page tree root's /Count."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return len(doc.pages)


def typeset(
    document: dict, out: Path, when: datetime, typst_compiler: Any = None, stop: threading.Event | None = None
) -> int:
    """Typeset ``document`` into ``out`` (atomically) in compilations of bounded size
    (``typeset.typeset_book``); return its pages. A book of one body is compiled in this process
    (``typst_compiler``, shared by the small PDFs of a build); a larger one in child processes.
    ``stop`` set (another PDF failed) raises ``Cancelled`` before the next compilation."""
    shared = typst_compiler or compiler()

    def here(data: dict) -> bytes:
        if stop is not None and stop.is_set():
            raise Cancelled(out.name)
        return compile_data(data, when, shared)

    small = len(typesetting.bodies(document)) == 1

    def body(data: dict) -> bytes:
        if small:
            return here(data)
        if stop is not None and stop.is_set():
            raise Cancelled(out.name)
        return typesetting.in_child(data, when)

    return typesetting.typeset_book(document, out, here, body)


def write_pdf(
    root: Path,
    out: Path,
    theme: str | None = None,
    region: str | None = None,
    cat: Catalogue | None = None,
    typst_compiler=None,
) -> int:
    """Write the whole atlas (or one theme, or one region) to ``out``; return its page count."""
    cat = cat or load_catalogue(root)
    scope = theme_scope(cat, theme) if theme else region_scope(cat, region) if region else atlas_scope(cat)
    when = build_date(root)
    return typeset(Book(cat, scope, when).document(), out, when, typst_compiler)


def write_all(
    root: Path, site: Path, jobs: int | None = None, cat: Catalogue | None = None
) -> dict[str, dict[str, int]]:
    """Every PDF of the downloads under ``site``: the atlas, each theme, each region with policies.
    Returns (and writes to ``site/pdf/manifest.json``) ``{path: {"bytes", "pages"}}``, which the
    pages read to show each PDF's size and page count.

    The PDFs are independent, so they are typeset ``jobs`` at a time (default: one per processor):
    the themes and regions in worker processes (``_pool_typeset``) while a thread of this process
    typesets the atlas, whose bodies go one after another (each starts where the last one's pages
    ended) in child processes. Each file depends only on its own data: the output is the same for
    any ``jobs``. If one PDF fails, the others stop and the error is raised here. ``cat``: the
    catalogue of data already validated (the build's), or None to load and validate ``root``."""
    cat = cat or load_catalogue(root)
    when = build_date(root)
    small = [(theme_pdf(t), theme_scope(cat, t)) for t in cat.theme_order] + [
        (region_pdf(r), region_scope(cat, r)) for r in cat.regions_with_policies()
    ]
    workers = max(1, jobs or _processors())
    pages: dict[str, int] = {}
    if workers == 1:
        shared = compiler()
        for path, scope in [(ATLAS_PDF, atlas_scope(cat)), *small]:
            pages[path] = typeset(Book(cat, scope, when).document(), site / path, when, shared)
    else:
        atlas = Book(cat, atlas_scope(cat), when).document()
        with _Background(lambda stop: typeset(atlas, site / ATLAS_PDF, when, stop=stop)) as whole:
            pages.update(_pool_typeset(cat, small, site, when, workers))
            pages[ATLAS_PDF] = whole.result()
    manifest = {path: {"bytes": (site / path).stat().st_size, "pages": n} for path, n in sorted(pages.items())}
    (site / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest


def _processors() -> int:
    """The processors this process may run on (a container's share, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Cancelled(Exception):
    """A PDF stopped between two of its compilations because another PDF of the build failed."""


class _Background:
    """``function(stop)`` in a thread; ``result()`` hands back its value or raises its exception.
    The atlas runs here: its Typst work is in child processes, so the thread mostly waits. Leaving
    the block by an exception sets ``stop`` and waits for the thread (at most one compilation), so
    nothing writes into the build's folders after the build has given up on them."""

    def __init__(self, function: Callable[[threading.Event], int]) -> None:
        self._stop = threading.Event()
        self._outcome: list[tuple[bool, Any]] = []
        self._thread = threading.Thread(target=self._run, args=(function,), daemon=True)

    def _run(self, function: Callable[[threading.Event], int]) -> None:
        try:
            self._outcome.append((True, function(self._stop)))
        except BaseException as exc:  # handed to the caller, which re-raises it
            self._outcome.append((False, exc))

    def __enter__(self) -> _Background:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            self._stop.set()
        self._thread.join()

    def result(self) -> int:
        self._thread.join()
        ok, value = self._outcome[0]
        if not ok:
            raise value
        return int(value)


def _pool_typeset(
    cat: Catalogue, work: list[tuple[str, Scope]], site: Path, when: datetime, workers: int
) -> dict[str, int]:
    """Typeset ``work`` (the small PDFs) in ``workers`` processes, each with one compiler for all
    its documents. The documents are made here, a few ahead of the workers, so they are not all
    held at once. On any failure (or Ctrl-C) the workers are killed, not waited for."""
    context = multiprocessing.get_context("spawn")  # not fork: Typst's threads may already run here
    pool = concurrent.futures.ProcessPoolExecutor(
        workers, mp_context=context, initializer=_worker_start, initargs=(os.getpid(),)
    )
    pages: dict[str, int] = {}
    running: dict[concurrent.futures.Future[int], str] = {}
    try:
        for path, scope in work:
            while len(running) >= 2 * workers:
                _collect(running, pages, concurrent.futures.FIRST_COMPLETED)
            document = Book(cat, scope, when).document()
            running[pool.submit(_worker_typeset, document, str(site / path), when)] = path
        _collect(running, pages, concurrent.futures.ALL_COMPLETED)
    except BaseException:
        for process in list((getattr(pool, "_processes", None) or {}).values()):  # no public kill in 3.11
            process.kill()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return pages


def _collect(running: dict[concurrent.futures.Future[int], str], pages: dict[str, int], when: str) -> None:
    done, _ = concurrent.futures.wait(running, return_when=when)
    for future in sorted(done, key=lambda f: running[f]):
        pages[running.pop(future)] = future.result()  # a worker's exception is raised here


_WORKER_COMPILER: Any = None


def _worker_start(parent: int) -> None:  # pragma: no cover - runs in the worker process
    """Linux: a worker gets SIGKILL when the build process dies, so a killed build leaves no writer."""
    typesetting.die_with_parent(parent)


def _worker_typeset(document: dict, out: str, when: datetime) -> int:  # pragma: no cover - in the worker
    global _WORKER_COMPILER
    if _WORKER_COMPILER is None:
        _WORKER_COMPILER = compiler()
    return typeset(document, Path(out), when, _WORKER_COMPILER)


def stage_pdfs(root: Path, staging: Path, dataset: Dataset) -> dict[str, dict[str, int]]:
    """Typeset every PDF into ``staging`` (before MkDocs builds the pages that link to them), from
    the build's ``dataset``, which its gate has validated (at N=5,000 a second validation took ~50 s)."""
    if staging.exists():
        shutil.rmtree(staging)
    return write_all(root, staging, cat=Catalogue(dataset))


# --------------------------------------------------------------------------- the command


def export(root: Path, theme: str | None = None, region: str | None = None, out: Path | None = None) -> int:
    """`python -m generator pdf [--theme X | --region Y] [--out FILE]`: the whole atlas, or one theme or region
    of it, as a PDF (the site build makes them all). Bad data is reported, never a traceback."""
    from generator.diagnostics import print_problems
    from generator.site.generate import DataProblems

    try:
        cat = load_catalogue(root)
        path = theme_pdf(theme) if theme else region_pdf(region) if region else ATLAS_PDF
        out = out or root / "site" / path
        pages = write_pdf(root, out, theme, region, cat=cat)
    except DataProblems as exc:
        print_problems(exc.problems)
        return 1
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"wrote {out} ({pages} pages)")
    return 0
