"""The real data: the seed documents (named in SEEDS), complete and faithful.

These assertions re-check independently what the validator checks (quotes in
sources, numbers in quotes) and add what only the real data must satisfy:
archives identical to the seeds, measures in source order, coverage of the
core themes, and Simplified display text for the Traditional archive.
"""

from __future__ import annotations

import hashlib

import opencc
import pytest
from conftest import ROOT, run_generator

from generator.core.catalog import Catalogue
from generator.core.numbers import states
from generator.core.validate import validate

# SHA-256 of the five seed files as delivered in shared/seeds/ (the archives must be these bytes).
SEEDS = {
    "henan-2023-skilled-talent-measures": "2c6e4c3b88cbde9c945934fca4b64267a8a6e30d569ea688a8091cb1aa39a912",
    "sichuan-2023-skills-sichuan-action": "a0b9fe500fbbe91811fced57731adadb6567fbdf294aef7dbb8026130a489833",
    "henan-2025-skills-henan-work-plan": "a5d58f8d504aeecca93716f030a4082519b4fb29b5561b573795ba5f91ee0213",
    "xinxiang-2023-high-skilled-talent": "62bbbdf9f3408bb65e0424c353dfbf8a1b22cb4d5423b65cbbf8678c0053d332",
    "proposal-153-reply-2019": "6661f720da2cb674094a83ea97d61553936ffc681c715510cd005befdd461bbe",
}
CORE_THEMES = ("training", "evaluation", "competitions", "incentives")
REQUIRED_GLOSSARY = (
    "新八级工",
    "特级技师",
    "首席技师",
    "高级技师",
    "世赛",
    "国赛",
    "中华技能大奖",
    "全国技术能手",
    "技能大师工作室",
    "企业新型学徒制",
    "技工院校",
    "十四五",
)


@pytest.fixture(scope="module")
def data():
    dataset, problems = validate(ROOT)
    assert not problems, "\n".join(p.format() for p in problems)
    return dataset


@pytest.fixture(scope="module")
def cat(data):
    return Catalogue(data)


def test_validate_cli_is_clean():
    result = run_generator("validate")
    assert result.returncode == 0, result.stderr
    assert "all checks passed" in result.stdout


@pytest.mark.parametrize("pid", sorted(SEEDS))
def test_archive_is_the_seed_unchanged(pid):
    blob = (ROOT / "data" / "sources" / f"{pid}.txt").read_bytes()
    assert hashlib.sha256(blob).hexdigest() == SEEDS[pid]


def test_every_seed_document_is_in_the_atlas(data):
    assert set(SEEDS) <= set(data.policies)


@pytest.mark.parametrize("pid", sorted(SEEDS))
def test_every_quote_is_in_the_source_and_measures_follow_source_order(data, pid):
    policy = data.policies[pid]
    source = data.sources[pid]
    starts = []
    for measure in policy.measures:
        assert measure.themes, f"{measure.id} has no theme"
        spans = [source.find(q) for q in measure.quotes]
        assert all(spans), f"{measure.id}: a quote is not in the source"
        starts.append(spans[0].start)
        for item in [*measure.targets, *measure.statistics, *measure.amounts]:
            assert source.find(item.quote) is not None, f"{measure.id}: {item.quote}"
    assert starts == sorted(starts), f"{pid}: measures are not in source order"
    for note in policy.notes:
        assert source.find(note.evidence) is not None, note.note


@pytest.mark.parametrize("pid", sorted(SEEDS))
def test_every_number_is_stated_in_its_quote(data, pid):
    for measure in data.policies[pid].measures:
        for target in measure.targets:
            assert states(target.quote, target.value), (measure.id, target.value, target.quote)
        for stat in measure.statistics:
            assert states(stat.quote, stat.value), (measure.id, stat.value, stat.quote)
        for amount in measure.amounts:
            assert states(amount.quote, amount.yuan), (measure.id, amount.yuan, amount.quote)


def test_each_core_theme_has_measures_from_at_least_three_regions(cat):
    for theme in CORE_THEMES:
        assert len(cat.regions_in_theme(theme)) >= 3, theme


def test_prize_money_is_compared_across_more_than_one_region(cat):
    regions = {a.ref.policy.region for a in cat.amounts if a.amount.kind.value == "prize"}
    assert len(regions) >= 2, regions


def test_no_comparison_table_is_all_single_region(cat):
    for theme in CORE_THEMES:
        topics = [t for t in cat.topics_by_theme[theme] if cat.by_topic.get(t)]
        multi = [t for t in topics if len({r.policy.region for r in cat.by_topic[t]}) >= 2]
        assert multi, f"{theme}: every row of the side-by-side table has a single region"


def test_required_glossary_terms(data):
    words = {w for t in data.glossary.values() for w in [t.term, *t.aliases]}
    missing = [w for w in REQUIRED_GLOSSARY if w not in words]
    assert not missing, missing


def test_traditional_archive_is_shown_in_simplified_and_traces_back(data):
    pid = "sichuan-2023-skills-sichuan-action"
    policy = data.policies[pid]
    assert policy.source.script.value == "zh-Hant"
    to_simplified = opencc.OpenCC("t2s")
    for measure in policy.measures:
        for text in [measure.title, measure.summary, *measure.quotes]:
            assert to_simplified.convert(text) == text, f"{measure.id}: not Simplified: {text[:40]}"
        span = data.sources[pid].find(measure.quotes[0])
        # The reader sees Simplified; the archived span behind it is the Traditional original.
        assert span is not None and to_simplified.convert(span.original) != span.original, measure.id


def test_every_document_records_data_quality_notes(data):
    for pid in SEEDS:
        assert data.policies[pid].notes, f"{pid} has no data-quality note"


# --------------------------------------------------------------------------- issue 18: classes of defect


def _target_key(target) -> tuple:
    return (target.metric, target.value, target.unit, target.scope, target.deadline, target.period)


def test_a_repeated_target_says_which_target_it_restates(data):
    """The same metric, value, unit, scope and time twice in one policy is a task restating a goal:
    it must say so (``restates``), or comparisons and totals count it twice."""
    repeats = []
    for pid, policy in sorted(data.policies.items()):
        first: dict[tuple, str] = {}
        for measure in policy.measures:
            for j, target in enumerate(measure.targets, start=1):
                key = _target_key(target)
                if key in first and target.restates is None:
                    repeats.append(f"{pid} {measure.id}/{j} repeats {first[key]} without restates")
                first.setdefault(key, f"{measure.id}/{j}")
    assert not repeats, "\n".join(repeats)


def test_a_restated_target_is_counted_once(data, cat):
    restating = [(p.id, m.id, t) for p in data.policies.values() for m in p.measures for t in m.targets if t.restates]
    assert restating, "the Sichuan tasks restate its goals; nothing says so"
    counted = {id(t.target) for t in cat.targets}
    assert all(id(t) not in counted for _, _, t in restating)
    assert cat.counts()["targets"] == sum(len(m.targets) for p in data.policies.values() for m in p.measures) - len(
        restating
    )


def test_sichuan_tasks_restate_their_goals(data):
    policy = data.policies["sichuan-2023-skills-sichuan-action"]
    by_id = {m.id: m for m in policy.measures}
    assert [t.restates for t in by_id["m20"].targets] == ["m07/1", "m07/2", "m07/3", "m07/4"]
    assert [t.restates for t in by_id["m19"].targets] == ["m08/5"]
    assert [t.restates for t in by_id["m14"].targets] == ["m09/1"]


def test_a_tagged_topic_has_its_theme_on_the_measure(data):
    missing = [
        f"{pid} {m.id}: topic {t} needs theme {data.topics[t].theme}"
        for pid, p in sorted(data.policies.items())
        for m in p.measures
        for t in m.topics
        if t in data.topics and data.topics[t].theme not in m.themes
    ]
    assert not missing, "\n".join(missing)


# Glossary terms that name one policy instrument: where a quote names the instrument, the measure is
# about it and carries its topic (the glossary must map the term to that topic). General words such as
# 技能人才 or 职称 occur in passing and are not listed.
INSTRUMENT_TERMS = {
    "diploma-plus-certificates": "credit-bank-and-mutual-recognition",
    "credit-bank": "credit-bank-and-mutual-recognition",
    "national-qualifications-framework": "credit-bank-and-mutual-recognition",
}


def test_a_quoted_instrument_term_has_its_topic_tagged(data):
    untagged = []
    for term_id, topic in INSTRUMENT_TERMS.items():
        term = data.glossary[term_id]
        assert topic in term.topics, f"glossary {term_id} no longer maps to {topic}"
        for pid, policy in sorted(data.policies.items()):
            for m in policy.measures:
                said = [w for w in [term.term, *term.aliases] if any(w in q for q in m.quotes)]
                if said and topic not in m.topics:
                    untagged.append(f"{pid} {m.id} quotes {said[0]} but lacks topic {topic}")
    assert not untagged, "\n".join(untagged)


def test_a_per_person_amount_says_per_what(data):
    missing = [
        f"{pid} {m.id}: {a.quote}"
        for pid, p in sorted(data.policies.items())
        for m in p.measures
        for a in m.amounts
        if ("每人" in a.quote or "人均" in a.quote) and not a.per
    ]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize(
    "pid, mid, repair",
    [
        ("henan-2023-skilled-talent-measures", "m10", "创新发展大会和“中原英才计划”"),
        ("henan-2023-skilled-talent-measures", "m10", "一体化和双师型"),
        ("sichuan-2023-skills-sichuan-action", "m27", "高级工班、预备技师"),
    ],
)
def test_a_summary_does_not_silently_repair_damaged_text(data, pid, mid, repair):
    """The audit found summaries that wrote what the damaged source presumably meant. The repair
    must not be in the summary unless the source says it; the damage is noted instead."""
    policy = data.policies[pid]
    measure = next(m for m in policy.measures if m.id == mid)
    assert repair not in measure.summary
    assert not any(repair in q for q in measure.quotes)
    assert any(n.measure == mid and n.kind.value == "damaged-text" for n in policy.notes)


def test_every_policy_gives_its_official_page_or_says_it_is_not_known(data):
    unknown = [
        pid
        for pid, p in sorted(data.policies.items())
        if not any(link.role.value == "official" for link in p.source.urls)
        and not any("官方" in n.note and "不详" in n.note for n in p.notes)
    ]
    assert not unknown, f"neither an official address nor a note saying none is known: {unknown}"


def test_every_link_is_http_without_user_name(data):
    from generator.core.checks import _policy_links, bad_url, has_userinfo

    bad = [
        (pid, path, url)
        for pid, p in data.policies.items()
        for path, url in _policy_links(p)
        if bad_url(url) or has_userinfo(url)
    ]
    assert not bad, bad


def test_every_doubtful_field_points_at_a_note_with_evidence(data):
    for pid, policy in data.policies.items():
        ids = {n.id: n for n in policy.notes if n.id}
        for flag in policy.uncertain:
            assert flag.note in ids, (pid, flag.note)
            assert data.sources[pid].find(ids[flag.note].evidence) is not None, (pid, flag.note)


def test_seed_004_region_is_kept_but_flagged_with_public_evidence(data):
    policy = data.policies["proposal-153-reply-2019"]
    assert policy.region == "shandong"
    assert policy.issuers == ["黑龙江省人力资源社会保障局"]  # as printed, however doubtful
    flags = {f.field.value: f.note for f in policy.uncertain}
    assert set(flags) == {"region", "issuers"}
    note = next(n for n in policy.notes if n.id == flags["region"])
    assert len(note.urls) >= 2 and all(u.url.startswith(("http://", "https://")) for u in note.urls)


def test_henan_2025_keeps_printed_and_inferred_issuers_apart(data):
    policy = data.policies["henan-2025-skills-henan-work-plan"]
    assert policy.issuers == []  # the archive prints no issuer
    assert policy.issuers_inferred == ["河南省就业促进和劳动保护工作领导小组"]
    assert any(f.field.value == "issuers" for f in policy.uncertain)
    # The glossary's account of the annual plans agrees with the inference.
    assert "领导小组" in data.glossary["skilled-henan"].definition


def test_no_region_is_left_without_a_policy_or_a_child(data, cat):
    """An empty region shows in the navigation as a place with nothing in it (heilongjiang did)."""
    used = {p.region for p in data.policies.values()}
    parents = {r.parent for r in data.regions.values() if r.parent}
    empty = [rid for rid in data.regions if rid not in used and rid not in parents]
    assert not empty, empty
