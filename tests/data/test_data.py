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
REQUIRED_GLOSSARY = ("新八级工", "特级技师", "首席技师", "高级技师", "世赛", "国赛", "中华技能大奖", "全国技术能手",
                     "技能大师工作室", "企业新型学徒制", "技工院校", "十四五")


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
