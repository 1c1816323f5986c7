"""The in-memory catalogue: indexes and reverse links over a validated dataset.

Every page is a view over these indexes, so they are built once, in one pass
over the measures, with dictionaries keyed by id (no nested scans: a theme
table with hundreds of regions costs one lookup per cell). Orderings are
fixed here, once, so that every page lists things the same way and output is
deterministic.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from generator.core import models
from generator.core.dataset import Dataset

# A measure links to at most this many measures of other regions that share a topic. Without a
# bound the lists grow with the whole atlas (every measure × every other measure on its topics:
# 1.2 MB policy pages at 100 policies); beyond it, the topic badges lead to the full comparison.
RELATED_LIMIT = 5  # the nearest few; the topic's side-by-side comparison lists them all (issue 13)


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
    doc_number: str | None
    issuer: str | None
    url: str | None
    cited_by: list[tuple[str, str]] = field(default_factory=list)  # (policy id, 'implements'|'cites'|'calls_for')


_TITLE_NOISE = re.compile(r"[\s《》〈〉“”\"']")


def external_slug(title: str) -> str:
    """A stable id for an external document: the same title always gives the same page."""
    normal = _TITLE_NOISE.sub("", title)
    return "ref-" + hashlib.sha1(normal.encode("utf-8")).hexdigest()[:10]


# --------------------------------------------------------------------------- references the atlas holds

# Document numbers are printed with 〔〕, [] or 【】 around the year, sometimes with spaces or full-width
# digits; titles with or without 《》 and quotation marks. Normalised, the same document reads the same.
_NUMBER_BRACKETS = str.maketrans(
    {
        "[": "〔",
        "]": "〕",
        "【": "〔",
        "】": "〕",
        "［": "〔",
        "］": "〕",
        "(": "〔",
        ")": "〕",
        "（": "〔",
        "）": "〕",
        "｛": "〔",
        "｝": "〕",
    }
)
_SPACE = re.compile(r"\s+")
_ISSUER_SPLIT = re.compile(r"[、，,；;\s]+")


def normal_doc_number(text: str) -> str:
    """豫办[2023]4号, 豫办〔2023〕4 号 and 豫办（2023）4号 all read 豫办〔2023〕4号."""
    digits = "".join(unicodedata.normalize("NFKC", c) if c.isdigit() else c for c in text)
    return _SPACE.sub("", digits).translate(_NUMBER_BRACKETS)


def normal_title(text: str) -> str:
    """A title without spaces, 《》 and quotation marks (which references add or drop freely)."""
    return _TITLE_NOISE.sub("", text.replace("‘", "").replace("’", ""))


def normal_issuers(text: str) -> frozenset[str]:
    """中共中央办公厅、国务院办公厅 → {中共中央办公厅, 国务院办公厅}: issuers in any order and separator."""
    return frozenset(part for part in _ISSUER_SPLIT.split(text) if part)


@dataclass(frozen=True)
class RefMatch:
    """An external reference (``holder``'s ``kind``[``index``]) that names policies the atlas holds."""

    holder: str
    kind: str  # 'implements' | 'cites'
    index: int
    candidates: tuple[str, ...]  # policy ids, sorted; one is a match, more are ambiguous
    by: str  # how: 'doc_number' or 'title'

    @property
    def policy(self) -> str | None:
        return self.candidates[0] if len(self.candidates) == 1 else None


class ReferenceIndex:
    """The atlas's policies by normalised document number and by normalised title."""

    def __init__(self, policies: dict[str, models.Policy]):
        self.policies = policies
        self.by_number: dict[str, list[str]] = defaultdict(list)
        self.by_title: dict[str, list[str]] = defaultdict(list)
        for pid in sorted(policies):
            policy = policies[pid]
            if policy.doc_number:
                self.by_number[normal_doc_number(policy.doc_number)].append(pid)
            self.by_title[normal_title(policy.title)].append(pid)

    def candidates(self, ref: models.ExternalRef, holder: str = "") -> tuple[tuple[str, ...], str]:
        """The policies a reference names, and how they were found.

        A document number decides when one is given and matches. Otherwise the title must match,
        and the issuer too when the reference gives one; a title match whose policy has another
        document number than the reference gives is a different document with the same title.
        """
        if ref.doc_number:
            number = normal_doc_number(ref.doc_number)
            found = [p for p in self.by_number.get(number, ()) if p != holder]
            if found:
                return tuple(found), "doc_number"
        found = []
        for pid in self.by_title.get(normal_title(ref.title), ()):
            policy = self.policies[pid]
            if pid == holder:
                continue
            if (
                ref.doc_number
                and policy.doc_number
                and normal_doc_number(policy.doc_number) != normal_doc_number(ref.doc_number)
            ):
                continue
            if ref.issuer and not normal_issuers(ref.issuer) <= {i for x in policy.issuers for i in normal_issuers(x)}:
                continue
            found.append(pid)
        return tuple(found), "title"


def reference_matches(policies: dict[str, models.Policy]) -> list[RefMatch]:
    """Every external reference that names a policy in the atlas (pure: it only reads the models).

    The older file keeps its ``ref:``; the catalogue links it to the policy both ways, and
    ``validate`` says so (or reports an error when the reference names more than one).
    """
    index = ReferenceIndex(policies)
    matches = []
    for pid in sorted(policies):
        for kind in ("implements", "cites", "calls_for"):
            for j, rel in enumerate(getattr(policies[pid], kind)):
                if rel.ref is None or rel.policy is not None:
                    continue
                found, by = index.candidates(rel.ref, pid)
                if found:
                    matches.append(RefMatch(pid, kind, j, found, by))
    return matches


def policy_date(policy: models.Policy) -> date | None:
    d = policy.dates
    return d.signed or d.published or d.effective


def policy_year(policy: models.Policy) -> str:
    when = policy_date(policy)
    return str(when.year) if when else "年份不详"


class TermMatcher:
    """Finds glossary terms and their aliases in text, longest first (首席技师 before 技师), so the site and
    the PDF link the very same words; ``split`` links each term at its first occurrence only."""

    def __init__(self, glossary: dict[str, models.GlossaryTerm]):
        terms = sorted(
            ((w, t) for t in glossary.values() for w in [t.term, *t.aliases]), key=lambda wt: (-len(wt[0]), wt[0])
        )
        self.term_of: dict[str, models.GlossaryTerm] = dict(terms)
        self.pattern = re.compile("|".join(re.escape(w) for w, _ in terms)) if terms else None

    def terms_in(self, text: str) -> set[str]:
        """The ids of every term that occurs in ``text``."""
        return {self.term_of[m.group()].id for m in self.pattern.finditer(text)} if self.pattern else set()

    def split(self, text: str, seen: set[str]) -> list[tuple[str, models.GlossaryTerm | None]]:
        """``text`` as (piece, term) pairs: a term not in ``seen`` yet (which it is added to), or None."""
        if not self.pattern:
            return [(text, None)]
        pieces: list[tuple[str, models.GlossaryTerm | None]] = []
        pos = 0
        for match in self.pattern.finditer(text):
            term = self.term_of[match.group()]
            if term.id in seen:
                continue
            seen.add(term.id)
            if match.start() > pos:
                pieces.append((text[pos : match.start()], None))
            pieces.append((match.group(), term))
            pos = match.end()
        if pos < len(text):
            pieces.append((text[pos:], None))
        return pieces


class Catalogue:
    def __init__(self, data: Dataset):
        self.data = data
        self.regions = data.regions
        self.themes = data.themes
        self.topics = data.topics
        self.metrics = data.metrics
        self.glossary = data.glossary
        self.terms = TermMatcher(self.glossary)  # the glossary's words, found the same way on pages and in the PDF
        self.policies = data.policies

        self.region_order = sorted(self.regions, key=lambda r: (self.regions[r].code, r))
        self.children: dict[str, list[str]] = defaultdict(list)
        for rid in self.region_order:
            parent = self.regions[rid].parent
            if parent:
                self.children[parent].append(rid)
        self.theme_order = list(self.themes)  # file order: core themes first, as curated
        self.topic_order = list(self.topics)
        self.topics_by_theme: dict[str, list[str]] = defaultdict(list)
        for tid in self.topic_order:
            self.topics_by_theme[self.topics[tid].theme].append(tid)

        self.policy_order = sorted(self.policies, key=self._policy_sort_key)
        self.policies_by_region: dict[str, list[str]] = defaultdict(list)
        for pid in self.policy_order:
            self.policies_by_region[self.policies[pid].region].append(pid)

        self.province = {rid: self._province_of(rid) for rid in self.regions}
        self.national = [rid for rid in self.region_order if self.regions[rid].level.value == "national"]
        self.measures: list[MeasureRef] = []
        self.by_policy: dict[str, list[MeasureRef]] = defaultdict(list)
        self.by_region: dict[str, list[MeasureRef]] = defaultdict(list)
        self.targets_by_region: dict[str, list[TargetRef]] = defaultdict(list)
        self.statistics_by_region: dict[str, list[StatisticRef]] = defaultdict(list)
        self.amounts_by_region: dict[str, list[AmountRef]] = defaultdict(list)
        self.targets_by_theme: dict[str, list[TargetRef]] = defaultdict(list)
        self.amounts_by_theme: dict[str, list[AmountRef]] = defaultdict(list)
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
                self.by_policy[pid].append(ref)
                self.by_region[policy.region].append(ref)
                for theme in measure.themes:
                    self.by_theme[theme].append(ref)
                    self.by_theme_region[(theme, policy.region)].append(ref)
                for topic in measure.topics:
                    self.by_topic[topic].append(ref)
                    self.by_topic_region[(topic, policy.region)].append(ref)
                # A task that restates a goal of the same document (``restates``) is one target, not two:
                # comparisons, charts and totals see the goal only; the policy page still lists both.
                targets = [TargetRef(ref, t) for t in measure.targets if t.restates is None]
                statistics = [StatisticRef(ref, s) for s in measure.statistics]
                amounts = [AmountRef(ref, a) for a in measure.amounts]
                self.targets.extend(targets)
                self.statistics.extend(statistics)
                self.amounts.extend(amounts)
                self.targets_by_region[policy.region].extend(targets)
                self.statistics_by_region[policy.region].extend(statistics)
                self.amounts_by_region[policy.region].extend(amounts)
                for theme in dict.fromkeys(measure.themes):  # a theme listed twice is a data error, not two rows
                    self.targets_by_theme[theme].extend(targets)
                    self.amounts_by_theme[theme].extend(amounts)
        self._related_lists: dict[tuple[str, str], list[tuple[tuple, MeasureRef]]] = {}
        self._theme_regions: dict[str, list[str]] = {}
        self._related_memo: dict[tuple, tuple[list[MeasureRef], bool]] = {}

        self.implemented_by: dict[str, list[str]] = defaultdict(list)
        self.cited_by: dict[str, list[str]] = defaultdict(list)
        self.called_for_by: dict[str, list[str]] = defaultdict(list)  # documents whose drafting others call for
        self.superseding: dict[str, list[str]] = defaultdict(list)
        self.external: dict[str, ExternalDoc] = {}
        # (policy id, 'implements'|'cites', index) → the atlas policy an external reference names
        self.resolved: dict[tuple[str, str, int], str] = {
            (m.holder, m.kind, m.index): m.policy for m in reference_matches(self.policies) if m.policy
        }
        for pid in self.policy_order:
            policy = self.policies[pid]
            for kind, reverse in (
                ("implements", self.implemented_by),
                ("cites", self.cited_by),
                ("calls_for", self.called_for_by),
            ):
                for j, rel in enumerate(getattr(policy, kind)):
                    target = rel.policy or self.resolved.get((pid, kind, j))
                    if target:
                        if pid not in reverse[target]:
                            reverse[target].append(pid)
                    elif rel.ref:
                        slug = external_slug(rel.ref.title)
                        doc = self.external.setdefault(
                            slug, ExternalDoc(slug, rel.ref.title, rel.ref.doc_number, rel.ref.issuer, rel.ref.url)
                        )
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

    def _province_of(self, rid: str) -> str:
        for ancestor in self.ancestors(rid) + [rid]:
            if self.regions[ancestor].level.value == "province":
                return ancestor
        return rid

    def province_of(self, rid: str) -> str:
        """The province a region belongs to (itself for provinces and the national level)."""
        return self.province[rid] if rid in self.province else self._province_of(rid)

    def regions_in_theme(self, theme: str) -> list[str]:
        """The regions with measures in a theme, in display order (computed once per theme: theme
        pages and their province pages ask again and again)."""
        if theme not in self._theme_regions:
            regions = {r for (t, r) in self.by_theme_region if t == theme}
            self._theme_regions[theme] = sorted(regions, key=self.region_sort_key)
        return list(self._theme_regions[theme])

    def regions_with_policies(self) -> list[str]:
        return sorted(self.policies_by_region, key=self.region_sort_key)

    def _related_key(self, m: MeasureRef) -> tuple:
        return (self.region_sort_key(m.policy.region), m.policy.id, m.index)

    def _sorted_refs(self, group: str, topic: str) -> list[tuple[tuple, MeasureRef]]:
        """A topic's measures as (display-order key, measure), sorted — all of them (``group`` "")
        or one province's. Built once per topic, all provinces in the same pass."""
        if (topic, "") not in self._related_lists:
            everything = sorted((self._related_key(r), r) for r in self.by_topic.get(topic, []))
            self._related_lists[(topic, "")] = everything
            for item in everything:
                self._related_lists.setdefault((topic, self.province_of(item[1].policy.region)), []).append(item)
        return self._related_lists.get((topic, group), [])

    def _related_stream(self, ref: MeasureRef, group: str = "") -> Iterator[tuple[tuple, MeasureRef]]:
        """(key, measure) for the measures of other regions sharing a topic with ``ref``, each once,
        in display order, lazily (the keys are unique, so the merge never compares measures)."""
        region = ref.policy.region
        lists = [self._sorted_refs(group, t) for t in dict.fromkeys(ref.measure.topics)]
        if len(lists) == 1:
            for item in lists[0]:
                if item[1].policy.region != region:
                    yield item
            return
        seen: set[int] = set()
        for item in heapq.merge(*lists):
            other = item[1]
            if other.policy.region != region and id(other) not in seen:
                seen.add(id(other))
                yield item

    def related_measures(self, ref: MeasureRef, limit: int | None = None) -> list[MeasureRef]:
        """Measures in other regions that share a topic: the 'compare' links on every measure."""
        if limit is not None:
            return list(self.related(ref, limit)[0])
        return [other for _, other in self._related_stream(ref)]

    def related(self, ref: MeasureRef, limit: int = RELATED_LIMIT) -> tuple[list[MeasureRef], bool]:
        """At most ``limit`` related measures, and whether there were more.

        When there are more, the nearest are kept — the same province first, then the national
        level, then the rest in display order — and still shown in display order. Each stream
        stops after ``limit`` items, so the cost does not grow with the size of the atlas.
        """
        # The answer depends only on the measure's topics and region, so measures sharing both share
        # it (15% of the calls at 1,000 synthetic policies). The list is shared: callers must not
        # change it (related_measures hands out a copy).
        key = (tuple(dict.fromkeys(ref.measure.topics)), ref.policy.region, limit)
        if key not in self._related_memo:
            self._related_memo[key] = self._related(ref, limit)
        return self._related_memo[key]

    def _related(self, ref: MeasureRef, limit: int) -> tuple[list[MeasureRef], bool]:
        region = ref.policy.region
        # One topic with more than `limit` measures elsewhere settles it without merging the lists.
        surely_more = any(
            len(self.by_topic.get(t, ())) - len(self.by_topic_region.get((t, region), ())) > limit
            for t in ref.measure.topics
        )
        if not surely_more:
            first = []
            for _, other in self._related_stream(ref):
                first.append(other)
                if len(first) > limit:
                    break
            if len(first) <= limit:
                return first, False
        chosen: dict[int, tuple[tuple, MeasureRef]] = {}
        province = self.province_of(region)
        for group in [province] + [r for r in self.national if r != province] + [""]:
            if len(chosen) >= limit:
                break
            for item in self._related_stream(ref, group):
                if len(chosen) >= limit:
                    break
                chosen.setdefault(id(item[1]), item)
        return [other for _, other in sorted(chosen.values())], True

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
