"""The in-memory catalogue: indexes and reverse links over a validated dataset.

Every page is a view over these indexes, so they are built once, in one pass
over the measures, with dictionaries keyed by id (no nested scans: a theme
table with hundreds of regions costs one lookup per cell). Orderings are
fixed here, once, so that every page lists things the same way and output is
deterministic.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from . import models
from .validate import Dataset

LEVEL_ORDER = {"national": 0, "province": 1, "prefecture": 2, "county": 3}


@dataclass(frozen=True)
class MeasureRef:
    policy: models.Policy
    measure: models.Measure
    index: int  # position in the policy, for source order

    @property
    def key(self) -> tuple[str, str]:
        return (self.policy.id, self.measure.id)


@dataclass(frozen=True)
class TargetRef:
    ref: MeasureRef
    target: models.Target


@dataclass(frozen=True)
class StatisticRef:
    ref: MeasureRef
    statistic: models.Statistic


@dataclass(frozen=True)
class AmountRef:
    ref: MeasureRef
    amount: models.Amount


@dataclass
class ExternalDoc:
    """A document the atlas does not have yet, known from the references to it."""

    slug: str
    title: str
    doc_number: Optional[str]
    issuer: Optional[str]
    url: Optional[str]
    cited_by: list[tuple[str, str]] = field(default_factory=list)  # (policy id, 'implements'|'cites')


_TITLE_NOISE = re.compile(r"[\s《》〈〉“”\"']")


def external_slug(title: str) -> str:
    """A stable id for an external document: the same title always gives the same page."""
    normal = _TITLE_NOISE.sub("", title)
    return "ref-" + hashlib.sha1(normal.encode("utf-8")).hexdigest()[:10]


def policy_date(policy: models.Policy) -> Optional[date]:
    d = policy.dates
    return d.signed or d.published or d.effective


def policy_year(policy: models.Policy) -> str:
    when = policy_date(policy)
    return str(when.year) if when else "年份不详"


class Catalogue:
    def __init__(self, data: Dataset):
        self.data = data
        self.regions = data.regions
        self.themes = data.themes
        self.topics = data.topics
        self.metrics = data.metrics
        self.glossary = data.glossary
        self.policies = data.policies

        self.region_order = sorted(self.regions, key=lambda r: (self.regions[r].code, r))
        self.children: dict[str, list[str]] = defaultdict(list)
        for rid in self.region_order:
            parent = self.regions[rid].parent
            if parent:
                self.children[parent].append(rid)
        self.theme_order = [t for t in self.themes]  # file order: core themes first, as curated
        self.topic_order = [t for t in self.topics]
        self.topics_by_theme: dict[str, list[str]] = defaultdict(list)
        for tid in self.topic_order:
            self.topics_by_theme[self.topics[tid].theme].append(tid)

        self.policy_order = sorted(self.policies, key=self._policy_sort_key)
        self.policies_by_region: dict[str, list[str]] = defaultdict(list)
        for pid in self.policy_order:
            self.policies_by_region[self.policies[pid].region].append(pid)

        self.measures: list[MeasureRef] = []
        self.by_theme: dict[str, list[MeasureRef]] = defaultdict(list)
        self.by_topic: dict[str, list[MeasureRef]] = defaultdict(list)
        self.by_topic_region: dict[tuple[str, str], list[MeasureRef]] = defaultdict(list)
        self.by_theme_region: dict[tuple[str, str], list[MeasureRef]] = defaultdict(list)
        self.targets: list[TargetRef] = []
        self.statistics: list[StatisticRef] = []
        self.amounts: list[AmountRef] = []
        for pid in self.policy_order:
            policy = self.policies[pid]
            for index, measure in enumerate(policy.measures):
                ref = MeasureRef(policy, measure, index)
                self.measures.append(ref)
                for theme in measure.themes:
                    self.by_theme[theme].append(ref)
                    self.by_theme_region[(theme, policy.region)].append(ref)
                for topic in measure.topics:
                    self.by_topic[topic].append(ref)
                    self.by_topic_region[(topic, policy.region)].append(ref)
                self.targets.extend(TargetRef(ref, t) for t in measure.targets)
                self.statistics.extend(StatisticRef(ref, s) for s in measure.statistics)
                self.amounts.extend(AmountRef(ref, a) for a in measure.amounts)

        self.implemented_by: dict[str, list[str]] = defaultdict(list)
        self.cited_by: dict[str, list[str]] = defaultdict(list)
        self.superseding: dict[str, list[str]] = defaultdict(list)
        self.external: dict[str, ExternalDoc] = {}
        for pid in self.policy_order:
            policy = self.policies[pid]
            for kind, reverse in (("implements", self.implemented_by), ("cites", self.cited_by)):
                for rel in getattr(policy, kind):
                    if rel.policy:
                        reverse[rel.policy].append(pid)
                    elif rel.ref:
                        slug = external_slug(rel.ref.title)
                        doc = self.external.setdefault(
                            slug, ExternalDoc(slug, rel.ref.title, rel.ref.doc_number, rel.ref.issuer, rel.ref.url))
                        doc.doc_number = doc.doc_number or rel.ref.doc_number
                        doc.issuer = doc.issuer or rel.ref.issuer
                        doc.url = doc.url or rel.ref.url
                        doc.cited_by.append((pid, kind))
            if policy.superseded_by:
                self.superseding[policy.superseded_by].append(pid)
        self.external = dict(sorted(self.external.items(), key=lambda kv: (kv[1].title, kv[0])))

    # ------------------------------------------------------------------ orderings

    def _policy_sort_key(self, pid: str) -> tuple:
        policy = self.policies[pid]
        when = policy_date(policy)
        return (when.isoformat() if when else "9999", pid)

    def region_sort_key(self, rid: str) -> tuple:
        region = self.regions.get(rid)
        return (region.code, rid) if region else ("999999", rid)

    def ancestors(self, rid: str) -> list[str]:
        """Parents from the top down (national first), without the region itself."""
        chain: list[str] = []
        seen = {rid}
        parent = self.regions[rid].parent if rid in self.regions else None
        while parent and parent in self.regions and parent not in seen:
            chain.append(parent)
            seen.add(parent)
            parent = self.regions[parent].parent
        return list(reversed(chain))

    def province_of(self, rid: str) -> str:
        """The province a region belongs to (itself for provinces and the national level)."""
        for ancestor in self.ancestors(rid) + [rid]:
            if self.regions[ancestor].level.value == "province":
                return ancestor
        return rid

    def regions_in_theme(self, theme: str) -> list[str]:
        return sorted({r for (t, r) in self.by_theme_region if t == theme}, key=self.region_sort_key)

    def regions_with_policies(self) -> list[str]:
        return sorted(self.policies_by_region, key=self.region_sort_key)

    def related_measures(self, ref: MeasureRef) -> list[MeasureRef]:
        """Measures in other regions that share a topic: the 'compare' links on every measure."""
        seen: set[tuple[str, str]] = set()
        out: list[MeasureRef] = []
        for topic in ref.measure.topics:
            for other in self.by_topic.get(topic, ()):
                if other.policy.region != ref.policy.region and other.key not in seen:
                    seen.add(other.key)
                    out.append(other)
        return sorted(out, key=lambda m: (self.region_sort_key(m.policy.region), m.policy.id, m.index))

    def counts(self) -> dict[str, int]:
        return {
            "policies": len(self.policies),
            "regions": len(self.regions_with_policies()),
            "measures": len(self.measures),
            "targets": len(self.targets),
            "statistics": len(self.statistics),
            "amounts": len(self.amounts),
            "notes": sum(len(p.notes) for p in self.policies.values()),
            "topics": len(self.topics),
        }
