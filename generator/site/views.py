"""Shared pieces of view-model: the links, rows and measure views every page kind is built of.

``Views`` is bound to one catalogue for one build and caches what many pages ask for (a
measure's link labels, a related-measures entry, a theme's layout, the trees of split
comparisons, lists indexed by region), so each is computed once, not once per page. It is
the one place of the site layer besides ``render`` that renders Jinja: ``related_items``
renders the ``related_item`` partial once per measure and output mode and reuses the HTML.
"""

from __future__ import annotations

import difflib
import gzip
import hashlib
import itertools
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.core import models
from generator.core.catalog import Catalogue, MeasureRef, policy_year
from generator.core.values import format_value, format_yuan, target_text
from generator.paths import PDF_MANIFEST_ENV, PDF_PATH
from generator.site import labels, tilemap
from generator.site.labels import KIND_LABELS, STATUS_LABELS, TIER_LABELS
from generator.site.render import Linker, macros, one_line
from generator.site.split import Part
from generator.site.urls import (
    CUSTOM_COMPARE_SRC,
    GLOSSARY_SRC,
    RELATED_DIR,
    custom_compare_query,
    is_policy_page,
    policy_src,
    region_src,
    source_src,
    theme_src,
    topic_anchor,
)

MAX_TABLE_COLUMNS = 12  # beyond this, side-by-side tables are split by province
# The topic a document's own goal section carries (总体要求 / 发展目标 / 主要目标): the data's one
# sign of a headline target, as opposed to a task's or a sub-programme's (专项). Measured, not guessed:
# every seed measure with this topic is the goal section of its document.
HEADLINE_TOPIC = "development-targets"


def target_deadline(target: models.Target) -> int | None:
    """The year a target is due: its deadline, else the last year of its plan period; None undated."""
    if target.deadline:
        return target.deadline
    if target.period:
        return models.PERIOD_YEARS[target.period.value][1]
    return None


def is_headline(ref: MeasureRef) -> bool:
    return HEADLINE_TOPIC in ref.measure.topics


def target_order(items: Sequence[Any], policy_order: Callable[[str], Any]) -> list[Any]:
    """Targets (anything with ``.ref`` and ``.target``) in reading order: by policy (``policy_order``,
    a sort key per policy id), then the headline goals before the targets of tasks and
    sub-programmes, then by deadline, the undated last; ties keep the document's order."""

    def key(pair: tuple[int, Any]) -> tuple:
        position, item = pair
        due = target_deadline(item.target)
        return (policy_order(item.ref.policy.id), not is_headline(item.ref), due is None, due or 0, position)

    return [item for _, item in sorted(enumerate(items), key=key)]


def by_policy(refs: list[MeasureRef]) -> list[list[MeasureRef]]:
    """``refs`` in runs of one policy each, in their order: a related list names each policy once."""
    return [list(run) for _, run in itertools.groupby(refs, key=lambda r: r.policy.id)]


def mark_figures(quotes: list[dict], figures: dict[str, list[dict]]) -> dict[str, bool]:
    """Mark in a measure's quotes the words each of its figures is quoted from (``parts``, for
    ``<mark>``), and say which of its figure tables still need their quote column: only a table with
    a figure quoted from elsewhere in the source. The column repeated, under the quote it comes from,
    words the reader had just read — a tenth of a policy page — and squeezed the table on a phone."""
    texts = [one_line(q["text"]) for q in quotes]
    spans: list[list[tuple[int, int]]] = [[] for _ in quotes]
    shown: dict[str, bool] = {}
    for kind, rows in figures.items():
        shown[kind] = True
        for row in rows:
            phrase = one_line(row["quote"]["text"])
            at = next(((i, start) for i, t in enumerate(texts) if phrase and (start := t.find(phrase)) >= 0), None)
            if at is None:
                shown[kind] = False
            else:
                spans[at[0]].append((at[1], at[1] + len(phrase)))
    for quote, text, found in zip(quotes, texts, spans):
        quote["parts"] = _marked(text, found) if found else None
    return {kind: not ok for kind, ok in shown.items()}


def _marked(text: str, spans: list[tuple[int, int]]) -> list[dict]:
    """``text`` cut at ``spans`` (merged where they overlap): [{text, mark}], the marked parts in ``spans``."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, pos = [], 0
    for start, end in merged:
        if start > pos:
            parts.append({"text": text[pos:start], "mark": False})
        parts.append({"text": text[start:end], "mark": True})
        pos = end
    if pos < len(text):
        parts.append({"text": text[pos:], "mark": False})
    return parts


class Views:
    """Small reusable pieces of view-model, bound to one catalogue."""

    def __init__(self, cat: Catalogue):
        self.cat = cat
        self._measure_labels: dict[int, dict] = {}  # id(MeasureRef) → its link labels (refs live as long as cat)
        self._related_items: dict[tuple[str, int], object] = {}  # (mode, id(MeasureRef)) → its rendered link
        self.related_files: dict[str, bytes] = {}  # related_file(): path in the site → the list's entries (JSON)
        self.theme_layouts: dict[str, dict] = {}  # theme id → theme_layout(), shared by its province pages
        self.split_pages: dict[str, Part] = {}  # source path → its page of a comparison split by place
        self._trees: set[str] = set()  # the comparisons (their own page's path) already split
        self._by_region: dict[str, dict[str, list[int]]] = {}  # list name → region → positions in it
        self._figures: dict[int, list[str]] = {}  # id(MeasureRef) → key_figures()
        self._cell_figures: dict[int, list[str]] = {}  # id(MeasureRef) → cell_figures()
        self._policy_rank: dict[str, tuple] | None = None  # policy id → policy_rank()
        self.doubts = doubted(cat)  # region id → why an attribution to it is doubted
        self._doubt_notes = {rid: (items[0][0].id, items[0][1]) for rid, items in _doubted(cat).items()}
        self.pdfs = pdf_manifest()  # read once: every theme and region page links its own PDF

    def part(self, root: str, make: Callable[[], Part], src: str | None = None) -> Part:
        """The page ``src`` (default: ``root``) of the comparison whose own page is ``root``, split
        by ``make`` once: a split comparison has hundreds of pages, each asks."""
        if root not in self._trees:
            self._trees.add(root)
            self.split_pages.update((page.src, page) for page in make().walk())
        return self.split_pages[src or root]

    def picked(self, name: str, items: list, regions: Iterable[str]) -> list:
        """The ``items`` (targets, statistics, amounts: anything with ``.ref``) from ``regions``, in
        their order in ``items`` — which is indexed by region once (under ``name``), so the pages of
        a split comparison do not each scan the whole atlas."""
        index = self._by_region.get(name)
        if index is None:
            index = self._by_region[name] = {}
            for i, item in enumerate(items):
                index.setdefault(item.ref.policy.region, []).append(i)
        return [items[i] for i in sorted(i for rid in regions for i in index.get(rid, ()))]

    def place_name(self, page: Part) -> str:
        """ "广东省 · 广州市" for a city's page of a split comparison; "" for the comparison's own page."""
        return " · ".join(self.region_name(p.region) for p in [*page.chain(), page] if p.region)

    def place(self, ln: Linker, page: Part) -> dict:
        """What a page of a comparison split by place shows of where it sits: its place's name
        ("" on the comparison's own page), the comparison's own page (None there) and the pages in
        between, each a link up."""
        chain = page.chain()
        return {
            "part": self.place_name(page),
            "hub": ln.href(chain[0].src) if chain else None,
            "ups": [{"href": ln.href(p.src), "text": self.region_name(p.region)} for p in chain[1:]],
        }

    def region_name(self, rid: str) -> str:
        region = self.cat.regions.get(rid)
        return region.name if region else rid

    def region_link(self, ln: Linker, rid: str) -> dict:
        """A link to a region's page; for a region an attribution to which is doubted, also the
        doubt (``doubt``: the tooltip's text) and the note with the evidence (``doubt_href``), which
        the ``region`` macro shows as a mark: "山东省？"."""
        link = {
            "href": ln.href(region_src(rid)),
            "text": self.region_name(rid),
            "id": rid,
            "doubt": None,
            "doubt_href": None,
        }
        if rid in self.doubts:
            pid, note = self._doubt_notes[rid]
            link |= {"doubt": self.doubts[rid], "doubt_href": ln.href(policy_src(pid), note_anchor(note))}
        return link

    def policy_link(self, ln: Linker, pid: str) -> dict:
        policy = self.cat.policies[pid]
        return {
            "href": ln.href(policy_src(pid)),
            "text": policy.short_title,
            "title": policy.title,
            "year": policy_year(policy),
            "region": self.region_name(policy.region),
            "status": policy.status.value,
            "status_label": STATUS_LABELS[policy.status.value],
            "external": False,
        }  # relation lists mix these with external references

    def measure_link(self, ln: Linker, ref: MeasureRef) -> dict:
        # The same measure is linked from up to dozens of pages (related lists, theme tables): its
        # labels are computed once; only the href depends on the page.
        labels = self._measure_labels.get(id(ref))
        if labels is None:
            labels = {
                "text": ref.measure.title,
                "section": ref.measure.section,
                "policy": ref.policy.short_title,
                "year": policy_year(ref.policy),
                "region": self.region_name(ref.policy.region),
            }
            self._measure_labels[id(ref)] = labels
        return {"href": ln.href(policy_src(ref.policy.id), ref.measure.id), **labels}

    def related_items(self, ln: Linker, refs: list[MeasureRef]) -> list:
        """A measure's related-measures list: one entry per policy (``related_group``), its measures'
        links (``related_link``) then the region and the policy. The nearest measures are often
        several of one policy, and each entry used to repeat the policy's region, title and year:
        a third of a policy page at 1,000 policies.

        At 1,000 policies the lists hold half a million links, and rendering each was a fifth of
        the generator's time. Policy pages all sit side by side in policies/, so a link (always to a
        measure of another policy) is the same from every one of them: each is rendered once per
        output mode.
        """
        link = macros().related_link
        shared = is_policy_page(ln.src)

        def rendered(ref: MeasureRef) -> object:
            key = (ln.mode, id(ref))
            cacheable = shared and policy_src(ref.policy.id) != ln.src
            item = self._related_items.get(key) if cacheable else None
            if item is None:
                item = link(self.measure_link(ln, ref))
                if cacheable:
                    self._related_items[key] = item
            return item

        group = macros().related_group
        return [
            group({"links": [rendered(r) for r in run], **self.measure_link(ln, run[0])}) for run in by_policy(refs)
        ]

    def related_file(self, ln: Linker, ref: MeasureRef, refs: list[MeasureRef], more: bool) -> str:
        """The link to a file with a policy page's related list for ``ref`` (its ``refs``), written once
        per list: the list depends only on the measure's topics and region (Catalogue.related), and
        every policy page sits in policies/, so its links are the same from all of them. The page
        carries the list's summary; atlas.js fetches the entries when a reader opens it, and builds
        them with textContent. A fifth of a policy page at 1,000 policies was these lists, closed.

        The file is data, not HTML, and gzipped (atlas.js inflates it): 82,000 lists at 5,000 policies
        weighed 95 MB as HTML. Each entry is one policy: [region, policy, year, [[href, text], …]] as
        ``related_group`` shows it; ``topics`` lead on to the comparison (``related_more``)."""
        topics = ",".join(dict.fromkeys(ref.measure.topics))
        name = hashlib.blake2b(f"{ref.policy.region}|{topics}".encode(), digest_size=8).hexdigest()
        path = f"{RELATED_DIR}/{name}.json.gz"
        if path not in self.related_files:
            groups = []
            for run in by_policy(refs):
                links = [self.measure_link(ln, r) for r in run]
                groups.append(
                    [links[0]["region"], links[0]["policy"], links[0]["year"], [[x["href"], x["text"]] for x in links]]
                )
            topic_links = [self.topic_link(ln, t) for t in ref.measure.topics if t in self.cat.topics]
            data = {
                "groups": groups,
                "more": more,
                "topics": [[t["href"], t["text"]] for t in topic_links],
            }
            raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
            self.related_files[path] = gzip.compress(raw, compresslevel=9, mtime=0)
        return ln.href(path)

    def theme_link(self, ln: Linker, tid: str) -> dict:
        theme = self.cat.themes[tid]
        return {"href": ln.href(theme_src(tid)), "text": theme.name, "id": tid}

    def topic_link(self, ln: Linker, topic_id: str) -> dict:
        topic = self.cat.topics[topic_id]
        return {"href": ln.href(theme_src(topic.theme), topic_anchor(topic_id)), "text": topic.name, "id": topic_id}

    def glossed(self, ln: Linker, text: str) -> list[dict]:
        """Split text into plain parts and glossary terms linked to their entry (first occurrence in
        the text only). The definitions are not in the page: they were a twelfth of a policy page,
        the same on thousands of pages; atlas.js shows them from one shared script (GLOSSARY_TIPS_JS)."""
        return [
            {"text": piece, "href": ln.href(GLOSSARY_SRC, term.id) if term else None}
            for piece, term in self.cat.terms.split(text, set())
        ]

    def quote_view(self, ln: Linker, policy: models.Policy, quote: str) -> dict:
        span = self.cat.data.span(policy.id, quote)
        traditional = policy.source.script is models.Script.traditional
        view: dict[str, Any] = {
            "text": quote,
            "original": None,
            "line": None,
            "href": None,
            "fixes": "",
            "parts": None,
        }  # with its figures' words marked (mark_figures)
        if span is not None:
            view["line"] = span.line if span.line == span.end_line else f"{span.line}–{span.end_line}"
            view["href"] = ln.href(source_src(policy.id), f"L{span.line}")
            if traditional:
                view["original"] = span.original
                view["fixes"] = "、".join(f"{a}→{b}" for a, b in span.fixes)
        return view

    def target_row(self, ln: Linker, ref: MeasureRef, target: models.Target) -> dict:
        metric = self.cat.metrics.get(target.metric)
        when = []
        if target.deadline:
            when.append(f"{target.deadline}年")
        if target.period:
            start, end = models.PERIOD_YEARS[target.period.value]
            when.append(f"“{target.period.value}”（{start}–{end}）")
        return {
            "metric": metric.name if metric else target.metric,
            "value": target_text(target),  # as printed: 1/3, 2–3个百分点, 提高5个百分点
            "raw": target.value,
            "when": "，".join(when) or labels.WHEN_UNSTATED,
            "scope": target.scope or "",
            "quote": self.quote_view(ln, ref.policy, target.quote),
            "measure": self.measure_link(ln, ref),
            "region": self.region_link(ln, ref.policy.region),
            "restates": self.restated_link(ln, ref, target),
        }

    def policy_rank(self, pid: str) -> tuple:
        """Where a policy's group of targets goes in a list of targets: a policy that sets headline
        goals first, then by its earliest deadline (a policy with none last), then the atlas's
        policy order — so Henan's 2025 headline targets lead, not a 2023 document's undated ones."""
        if self._policy_rank is None:
            rank = {}
            for i, p in enumerate(self.cat.policy_order):
                refs = self.cat.by_policy.get(p, [])
                counted = [(r, t) for r in refs for t in r.measure.targets if t.restates is None]  # as cat.targets
                dues = [d for _, t in counted if (d := target_deadline(t)) is not None]
                headline = any(is_headline(r) for r, _ in counted)
                rank[p] = (not headline, not dues, min(dues, default=0), i)
            self._policy_rank = rank
        return self._policy_rank.get(pid, (True, True, 0, len(self._policy_rank)))

    def ordered_target_rows(self, ln: Linker, items: Sequence[Any]) -> list[dict]:
        """``target_row`` of each of ``items`` (TargetRefs) in ``target_order``, each row saying
        whether it is a headline goal and whether it is undated (shown "未定期限", never first)."""
        rows = []
        for item in target_order(items, self.policy_rank):
            due = target_deadline(item.target)
            undated = due is None
            row = self.target_row(ln, item.ref, item.target)
            rows.append(
                row
                | {
                    "headline": is_headline(item.ref),
                    "undated": undated,
                    "due": due,
                    "when": labels.UNDATED if undated else row["when"],
                    "policy_id": item.ref.policy.id,
                }
            )
        return rows

    def target_groups(self, ln: Linker, items: Sequence[Any]) -> list[dict]:
        """Targets grouped by policy, and within a policy the headline goals (总体目标) before the
        targets of tasks and sub-programmes (任务与专项), each by deadline, the undated last:
        [{policy, region, count, parts: [{label, headline, rows}]}]."""
        groups: list[dict] = []
        for row in self.ordered_target_rows(ln, items):
            if not groups or groups[-1]["id"] != row["policy_id"]:
                groups.append(
                    {
                        "id": row["policy_id"],
                        "policy": self.policy_link(ln, row["policy_id"]),
                        "region": row["region"],
                        "count": 0,
                        "parts": [],
                    }
                )
            group = groups[-1]
            if not group["parts"] or group["parts"][-1]["headline"] != row["headline"]:
                group["parts"].append(
                    {
                        "headline": row["headline"],
                        "rows": [],
                        "label": labels.HEADLINE_TARGETS if row["headline"] else labels.TASK_TARGETS,
                    }
                )
            group["parts"][-1]["rows"].append(row)
            group["count"] += 1
        return groups

    def restated_link(self, ln: Linker, ref: MeasureRef, target: models.Target) -> dict | None:
        """The goal a task's target restates: the policy page marks the row "重申发展目标" and links
        the goal; comparisons never see the row (the catalogue counts the goal once)."""
        if target.restates is None:
            return None
        measure_id = target.restates.split("/")[0]
        goal = next((m for m in ref.policy.measures if m.id == measure_id), None)
        text = f"{goal.section} {goal.title}" if goal else measure_id
        return {"href": ln.href(policy_src(ref.policy.id), measure_id), "text": text}

    def credit_row(self, ln: Linker, ref: MeasureRef, credit: models.Credit) -> dict:
        return {
            "kind": models.CREDIT_KIND_LABELS[credit.kind.value],
            "percent": format_value(credit.percent, "percent") + ("（上限）" if credit.up_to else ""),
            "raw": credit.percent,
            "base": credit.base,
            "against": credit.against,
            "beneficiary": credit.beneficiary,
            "quote": self.quote_view(ln, ref.policy, credit.quote),
            "measure": self.measure_link(ln, ref),
        }

    def statistic_row(self, ln: Linker, ref: MeasureRef, stat: models.Statistic) -> dict:
        metric = self.cat.metrics.get(stat.metric)
        return {
            "metric": metric.name if metric else stat.metric,
            "value": format_value(stat.value, stat.unit.value),
            "raw": stat.value,  # sort key: the table sorts by the number, not by "122万人"
            "as_of": stat.as_of,
            "scope": stat.scope or "",
            "quote": self.quote_view(ln, ref.policy, stat.quote),
            "measure": self.measure_link(ln, ref),
            "region": self.region_link(ln, ref.policy.region),
        }

    def amount_row(self, ln: Linker, ref: MeasureRef, amount: models.Amount) -> dict:
        return {
            "yuan": (labels.UP_TO if amount.up_to else "")
            + format_yuan(amount.yuan)
            + (f"/{amount.per}" if amount.per else ""),
            "raw": amount.yuan,
            "kind": KIND_LABELS[amount.kind.value],
            "recipient": amount.recipient,
            "condition": amount.condition,
            "tier": TIER_LABELS[amount.tier.value] if amount.tier else "",
            "rank": labels.rank_label(amount.rank) if amount.rank else "",
            "quote": self.quote_view(ln, ref.policy, amount.quote),
            "measure": self.measure_link(ln, ref),
            "region": self.region_link(ln, ref.policy.region),
        }

    def _amount_figures(self, ln: Linker, ref: MeasureRef) -> list[str]:
        """A measure's amounts as figures: the yuan, then the tier and rank it is for."""
        figures = []
        for amount in ref.measure.amounts:
            row = self.amount_row(ln, ref, amount)
            detail = "".join(x for x in (row["tier"], row["rank"]) if x)
            figures.append(row["yuan"] + (f"（{detail}）" if detail else ""))
        return figures

    def key_figures(self, ln: Linker, ref: MeasureRef) -> list[str]:
        """A measure's key figures, what a reader compares first: its amounts, then its targets
        (value, deadline, scope), phrased as the tables phrase them. The same on every page: cached."""
        figures = self._figures.get(id(ref))
        if figures is None:
            figures = self._amount_figures(ln, ref)
            for target in ref.measure.targets:
                row = self.target_row(ln, ref, target)
                when = row["when"] if row["when"] != labels.WHEN_UNSTATED else "期限未写明"
                scope = f"，{row['scope']}" if row["scope"] else ""
                figures.append(f"{row['metric']} {row['value']}（{when}{scope}）")
            self._figures[id(ref)] = figures
        return figures

    def measure_view(self, ln: Linker, ref: MeasureRef, related: bool = True) -> dict:
        m = ref.measure
        related_refs, related_more = self.cat.related(ref) if related else ([], False)
        themes = [self.theme_link(ln, t) for t in m.themes if t in self.cat.themes]
        topics = [self.topic_link(ln, t) for t in m.topics if t in self.cat.topics]
        crumbs = self.breadcrumbs(ln, ref)
        crumbed = {c["href"] for c in crumbs}
        quotes = [self.quote_view(ln, ref.policy, q) for q in m.quotes]
        figures = {
            "targets": [self.target_row(ln, ref, t) for t in m.targets],
            "statistics": [self.statistic_row(ln, ref, s) for s in m.statistics],
            "amounts": [self.amount_row(ln, ref, a) for a in m.amounts],
            "credits": [self.credit_row(ln, ref, c) for c in m.credits],
        }
        phrases = mark_figures(quotes, figures)
        return {
            "id": m.id,
            "anchor": ln.anchor(m.id),
            "section": m.section,
            "title": m.title,
            "themes": themes,
            "topics": topics,
            "summary": self.glossed(ln, m.summary),
            "quotes": quotes,
            "quotes_folded": near_identical(m.summary, m.quotes),  # the quote repeats the summary: collapsed
            "agencies": m.agencies,
            **figures,
            "phrases": phrases,
            **self._related(ln, ref, related_refs, related_more),
            "related_count": len(related_refs),
            "related_more": related_more,  # the list was cut at RELATED_LIMIT: the topic badges lead on
            "link": self.measure_link(ln, ref),
            "breadcrumbs": crumbs,
            # Its other themes and topics: those of the breadcrumb trail stood twice, one line apart.
            "badges": [t | {"kind": "theme"} for t in themes if t["href"] not in crumbed]
            + [t | {"kind": "topic"} for t in topics if t["href"] not in crumbed],
        }

    def _related(self, ln: Linker, ref: MeasureRef, refs: list[MeasureRef], more: bool) -> dict:
        """A measure's related list in the page (``related``), or — on a policy page of the published
        site — a link to it (``related_src``). The offline bundle and the PDF cannot fetch: in the page."""
        if refs and ln.mode == "dir" and is_policy_page(ln.src):
            return {"related": [], "related_src": self.related_file(ln, ref, refs, more)}
        return {"related": self.related_items(ln, refs), "related_src": None}

    def breadcrumbs(self, ln: Linker, ref: MeasureRef) -> list[dict]:
        """Theme › topic › region: where a measure sits in the side-by-side comparison, so a reader
        who lands on it from search or a link can step back out to the comparison or the region."""
        m = ref.measure
        theme = next((t for t in m.themes if t in self.cat.themes), None)
        crumbs = [self.theme_link(ln, theme)] if theme else []
        topic = next((t for t in m.topics if t in self.cat.topics and self.cat.topics[t].theme == theme), None)
        if topic:
            crumbs.append(self.topic_link(ln, topic))
        if not is_policy_page(ln.src):  # on its policy page the region is the page's own, in its header
            crumbs.append(self.region_link(ln, ref.policy.region))
        return crumbs

    def column_groups(self, regions: list[str]) -> list[tuple[str, list[str]]]:
        """Regions as table columns, in groups a reader can take in: all together up to
        MAX_TABLE_COLUMNS, else one group per province; a province still wider than that is split
        by prefecture city (the province's own column, then each city with its counties), and a
        city wider still into consecutive parts — with a whole atlas a province has 200 regions."""
        if len(regions) <= MAX_TABLE_COLUMNS:
            return [("", regions)]
        by_province: dict[str, list[str]] = {}
        for rid in regions:
            by_province.setdefault(self.cat.province_of(rid), []).append(rid)
        groups = []
        for province, members in sorted(by_province.items(), key=lambda kv: self.cat.region_sort_key(kv[0])):
            label = self.region_name(province)
            if len(members) <= MAX_TABLE_COLUMNS:
                groups.append((label, members))
                continue
            by_city: dict[str, list[str]] = {}
            for rid in members:
                city = next(
                    (a for a in self.cat.ancestors(rid) + [rid] if self.cat.regions[a].level.value == "prefecture"),
                    province,
                )
                by_city.setdefault(city, []).append(rid)
            for city, part in sorted(by_city.items(), key=lambda kv: self.cat.region_sort_key(kv[0])):
                city_label = label if city == province else f"{label} · {self.region_name(city)}"
                for start in range(0, len(part), MAX_TABLE_COLUMNS):
                    groups.append(
                        (city_label + (labels.CONTINUED if start else ""), part[start : start + MAX_TABLE_COLUMNS])
                    )
        return groups

    def column_tables(self, ln: Linker, regions: list[str], rows: list[dict]) -> list[dict]:
        """A table with one column per region (each row's ``cells``, in ``regions`` order), split
        into ``column_groups``; a row with nothing in a group's columns is left out of its table."""
        at = {rid: i for i, rid in enumerate(regions)}
        tables = []
        for label, group in self.column_groups(regions):
            picked = [at[rid] for rid in group]
            part = []
            for row in rows:
                cells = [row["cells"][i] for i in picked]
                if any(cells):
                    part.append(row | {"cells": cells})
            tables.append({"label": label, "regions": [self.region_link(ln, r) for r in group], "rows": part})
        return tables

    def cell_figures(self, ln: Linker, ref: MeasureRef) -> list[str]:
        """``key_figures`` as a side-by-side cell shows them, shorter: a target's deadline is left
        out where its scope already names that year ("…专项，2025年"); the scope always stays. Cached,
        as ``key_figures``: a measure with several topics is in several cells."""
        cached = self._cell_figures.get(id(ref))
        if cached is not None:
            return cached
        figures = self._amount_figures(ln, ref)
        for target in ref.measure.targets:
            if target.restates:  # the goal it restates is counted once, where it is set
                continue
            row = self.target_row(ln, ref, target)
            when = row["when"] if row["when"] != labels.WHEN_UNSTATED else labels.UNDATED
            scope = row["scope"]
            said = scope and target.deadline and not target.period and f"{target.deadline}年" in scope
            detail = scope if said else "，".join(x for x in (when, scope) if x)
            figures.append(f"{row['metric']} {row['value']}（{detail}）")
        self._cell_figures[id(ref)] = figures
        return figures

    def policy_cell(self, ln: Linker, refs: list[MeasureRef], figures: bool = False, label: bool = True) -> list[dict]:
        """A table cell's measures, in the catalogue's order (by policy); the first measure of each
        policy carries the policy's short label and year (``policy_label``), so the cell names a
        policy once instead of after every measure: on a region page, that was an eighth of it.
        Without ``label`` no measure does (a region page of one policy, named at its top)."""
        cell, previous = [], None
        for r in refs:
            item = self.measure_link(ln, r) | {"policy_label": label and r.policy.id != previous}
            if figures:
                item["figures"] = self.cell_figures(ln, r)
            cell.append(item)
            previous = r.policy.id
        return cell

    def side_by_side(self, ln: Linker, theme_id: str, regions: list[str], src: str | None = None) -> list[dict]:
        """Rows = the theme's topics, columns = ``regions`` (display order: all the theme's, or one
        page's); split by province when too wide to read. A topic's row links to its section on the
        page ``src`` (default: the theme's), which links each region's measures on its region page."""
        topics = [t for t in self.cat.topics_by_theme.get(theme_id, []) if self.cat.by_topic.get(t)]
        groups = self.column_groups(regions)
        tables = []
        for label, group in groups:
            rows = []
            for topic_id in topics:
                cells = []
                for rid in group:
                    refs = self.cat.by_topic_region.get((topic_id, rid), [])
                    cells.append(self.policy_cell(ln, refs, figures=True))
                if any(cells):
                    topic = self.topic_link(ln, topic_id)
                    if src:
                        topic["href"] = ln.href(src, topic_anchor(topic_id))
                    rows.append({"topic": topic, "cells": cells})
            untagged = []
            for rid in group:
                refs = [
                    r
                    for r in self.cat.by_theme_region.get((theme_id, rid), [])
                    if not any(
                        self.cat.topics.get(t) and self.cat.topics[t].theme == theme_id for t in r.measure.topics
                    )
                ]
                untagged.append(self.policy_cell(ln, refs, figures=True))
            if any(untagged):
                rows.append({"topic": {"href": None, "text": labels.UNTAGGED_MEASURES, "id": ""}, "cells": untagged})
            tables.append(
                {
                    "label": label,
                    "regions": [self.region_link(ln, r) for r in group],
                    "rows": rows,
                    "columns": len(group) + 1,
                    # a table too wide to read side by side: 自选对照 shows 4 of its regions at a time
                    "compare": custom_compare_link(ln, group, theme_id) if len(group) > 4 else None,
                }
            )
        return tables


def place_title(v: Views, title: str, page: Part) -> str:
    """A page's title, with the place of a page below a split comparison's own: "激励 · 广东省 · 广州市"."""
    place = v.place_name(page)
    return f"{title} · {place}" if place else title


def note_anchor(note_id: str) -> str:
    return f"note-{note_id}"


def source_links(policy: models.Policy) -> list[dict]:
    """The document's addresses as the policy page lists them: role, site, date and remark. A legacy
    single ``source.url`` has no role, so it keeps its old label 来源网页 (the page the text came from)."""
    links = [
        {
            "href": link.url,
            "role": models.URL_ROLE_LABELS[link.role.value],
            "site": link.site or "",
            "retrieved": str(link.retrieved),
            "comment": link.comment or "",
        }
        for link in policy.source.urls
    ]
    src = policy.source
    if src.url is not None:
        links.append(
            {
                "href": src.url,
                "role": "来源网页",
                "site": src.site or "",
                "retrieved": str(src.retrieved) if src.retrieved else "",
                "comment": "",
            }
        )
    return links


def uncertain_flags(ln: Linker, policy: models.Policy) -> list[dict]:
    """One entry per doubtful field ("地区存疑"), linking the note that gives the evidence (the
    policy page and the region page both show it)."""
    flags = []
    for flag in policy.uncertain:
        note = next((n for n in policy.notes if n.id == flag.note), None)
        if note is None:
            continue  # reported by the uncertain-notes check; a page never links a missing note
        flags.append(
            {
                "field": flag.field.value,
                "label": models.UNCERTAIN_FIELD_LABELS[flag.field.value],
                "href": ln.href(policy_src(policy.id), note_anchor(flag.note)),
            }
        )
    return flags


# --------------------------------------------------------------------------- doubtful attributions

DOUBT_MARK = "？"  # after a region's name wherever a policy's attribution to it is doubted: "山东省？"


def _doubted(cat: Catalogue) -> dict[str, list[tuple[models.Policy, str]]]:
    """Region id → (policy, id of the note with the evidence) for each policy whose region the data
    marks as uncertain (``Policy.uncertain``, field ``region``) and whose note exists."""
    out: dict[str, list[tuple[models.Policy, str]]] = {}
    for policy in cat.policies.values():
        notes = {n.id for n in policy.notes if n.id}
        for flag in policy.uncertain:
            if flag.field is models.UncertainField.region and flag.note in notes:
                out.setdefault(policy.region, []).append((policy, flag.note))
    return out


def doubts(cat: Catalogue) -> dict[str, str]:
    """Region id → why an attribution to it is doubted (a title attribute's text): the one place
    every column, bar, row and page that shows the region reads its doubt from."""
    return {
        rid: "；".join(
            f"《{p.short_title}》归入{cat.regions[rid].name if rid in cat.regions else rid}属推断，"
            "依据见该政策的数据质量说明"
            for p, _ in items
        )
        for rid, items in sorted(_doubted(cat).items())
    }


def doubt_links(cat: Catalogue, ln: Linker) -> dict[str, str]:
    """Region id → the link to the note with the evidence of its (first) doubted attribution."""
    return {
        rid: ln.href(policy_src(items[0][0].id), note_anchor(items[0][1]))
        for rid, items in sorted(_doubted(cat).items())
    }


def doubted(cat: Catalogue) -> dict[str, str]:
    """``doubts(cat)``, computed once per catalogue: charts ask per bar, pages per column."""
    cached = cat.__dict__.get("_atlas_doubts")
    if cached is None:
        cached = cat.__dict__["_atlas_doubts"] = doubts(cat)
    return cached


def custom_compare_link(ln: Linker, regions: Sequence[str] = (), theme: str | None = None) -> str | None:
    """A link to 自选对照, showing ``regions`` (the first four) on ``theme`` when given: "对照这些地区".
    None in the PDF, which has no such page (a printed page cannot run its form)."""
    if ln.mode == "pdf":
        return None
    href = ln.href(CUSTOM_COMPARE_SRC)
    return href + custom_compare_query(list(regions), theme) if theme and regions else href


def pdf_manifest() -> dict[str, dict[str, int]]:
    """{site path: {"bytes", "pages"}} of the PDFs the build typeset for this run; {} when there are
    none (``mkdocs serve``, ``build --no-pdf``): then only the whole atlas's PDF is linked, without its size."""
    path = os.environ.get(PDF_MANIFEST_ENV)
    try:
        return json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError):
        return {}


def pdf_link(ln: Linker, manifest: dict[str, dict[str, int]], path: str) -> dict | None:
    """A link to one PDF with its size and page count; None when the build did not make it."""
    info = manifest.get(path)
    if info is None:
        return {"href": ln.asset(path), "pages": None, "size": None} if path == PDF_PATH else None
    size = info["bytes"] / 1_000_000
    return {
        "href": ln.asset(path),
        "pages": info["pages"],
        "size": f"{size:.1f} MB" if size >= 1 else f"{info['bytes'] // 1000} KB",
    }


# --------------------------------------------------------------------------- readable length

# A summary and its measure's quotes are "near-identical" when difflib's SequenceMatcher ratio of the
# two texts, whitespace and punctuation removed, is at least NEAR_IDENTICAL: the summary then re-uses
# most of the quote's wording (on the seed data about half the measures), and the page shows the quote
# collapsed under the summary instead of saying the same thing twice. Print and the PDF show it in full.
NEAR_IDENTICAL = 0.6
_PUNCTUATION = re.compile(r"[\s\W_]+")


def near_identical(summary: str, quotes: Sequence[str]) -> bool:
    a, b = _PUNCTUATION.sub("", summary), _PUNCTUATION.sub("", "".join(quotes))
    if not a or not b:
        return False
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return (
        matcher.real_quick_ratio() >= NEAR_IDENTICAL
        and matcher.quick_ratio() >= NEAR_IDENTICAL
        and matcher.ratio() >= NEAR_IDENTICAL
    )


def coverage_map(cat: Catalogue, ln: Linker, refs: Iterable[MeasureRef], title: str) -> dict[str, Any]:
    """The tile map of ``refs`` (measures) by province, cities counted with their province, as inline
    SVG with the same figures as text beside it; national measures are named apart (no tile)."""
    province_of_prefix = {r.code[:2]: rid for rid, r in cat.regions.items() if r.level.value == "province"}
    counts: dict[str, int] = {}
    national = 0
    for ref in refs:
        region = cat.regions[ref.policy.region]
        if region.level.value == "national":
            national += 1
        else:
            counts[region.code[:2]] = counts.get(region.code[:2], 0) + 1
    hrefs = {prefix: ln.href(region_src(rid)) for prefix, rid in province_of_prefix.items()}
    doubtful = frozenset(r.code[:2] for rid, r in cat.regions.items() if rid in doubted(cat))
    tiles = tilemap.tiles(counts, hrefs, doubtful)
    return {
        "svg": Markup(tilemap.svg(tiles, title)),
        "legend": tilemap.legend(),
        "text": [
            {"name": t.name + ("？" if t.doubtful else ""), "count": t.count, "href": t.href} for t in tiles if t.count
        ],
        "national": national,
    }
