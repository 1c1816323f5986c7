"""The benchmark's synthetic atlas is valid data, and wide comparisons stay readable on it.

If the synthetic atlas were not valid, ``make bench`` would measure builds that
fail, or data the real validator refuses. This is a smoke test of
``bench/synth.py`` at a small size, not a benchmark: nothing here is timed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from synth import make_atlas  # noqa: E402

from generator.generate import generate  # noqa: E402
from generator.pages import MAX_TABLE_COLUMNS  # noqa: E402


@pytest.fixture(scope="module")
def atlas(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synthetic") / "atlas"
    counts = make_atlas(root, 20)
    assert counts["policies"] == 20
    return root


def test_synthetic_atlas_passes_validation(atlas: Path) -> None:
    assert len(list((atlas / "data" / "policies").glob("*.yaml"))) == 20
    assert len(list((atlas / "data" / "sources").glob("*.txt"))) == 20
    result = subprocess.run([sys.executable, "-m", "generator", "validate"], cwd=atlas, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: 20 policies" in result.stdout


def test_synthetic_regions_form_a_tree_with_gbt_like_codes(atlas: Path) -> None:
    regions = yaml.safe_load((atlas / "data" / "regions.yaml").read_text(encoding="utf-8"))["regions"]
    by_id = {r["id"]: r for r in regions}
    assert {"national", "province", "county"} <= {r["level"] for r in regions}
    for region in regions:
        assert len(region["code"]) == 6 and region["code"].isdigit()
        if region["level"] == "national":
            continue
        parent = by_id[region["parent"]]
        if region["level"] == "province":
            assert region["code"].endswith("0000")
        else:  # a city or county shares its province's first two digits
            assert region["code"][:2] == parent["code"][:2]


def test_wide_side_by_side_tables_are_split_and_every_region_keeps_its_column(atlas: Path) -> None:
    gen = generate(atlas)
    cat = gen.catalogue
    split = 0
    for tid in cat.theme_order:
        markdown = gen.markdown[f"themes/{tid}.md"]
        heads = re.findall(r'<table class="[^"]*atlas-sbs[^"]*".*?</thead>', markdown, re.S)
        columns = [re.findall(r'<th scope="col"><a href="[^"]*">([^<]*)</a>', head) for head in heads]
        assert all(len(c) <= MAX_TABLE_COLUMNS for c in columns), (tid, [len(c) for c in columns])
        shown = [name for c in columns for name in c]
        wanted = [cat.regions[r].name for r in cat.regions_in_theme(tid)]
        assert sorted(shown) == sorted(wanted), tid  # each region in exactly one of the tables
        split += len(heads) > 1
    assert split, "the synthetic atlas is meant to have a theme wider than one table"


def test_a_theme_spanning_many_regions_is_split_into_province_pages(atlas: Path, monkeypatch) -> None:
    import generator.pages as pages

    monkeypatch.setattr(pages, "THEME_SPLIT_REGIONS", 5)  # the 20-policy atlas spans 13 regions
    gen = generate(atlas)
    cat = gen.catalogue
    for tid in cat.theme_order:
        hub = gen.markdown[f"themes/{tid}.md"]
        parts = pages.theme_parts(cat, tid)
        assert parts, tid
        assert "atlas-measure-compact" not in hub and "atlas-sbs" not in hub  # the hub only lists provinces
        seen: list[str] = []
        for part in parts:
            page = gen.markdown[f"themes/{tid}/{part}.md"]
            assert f'href="{part}/"' in hub  # listed on the hub, which is linked back
            assert 'href="../"' in page
            sections = re.findall(r"^### .* \{: #topic-[a-z0-9-]+--([a-z0-9-]+) \}$", page, re.M)
            assert all(cat.province_of(rid) == part for rid in sections), (tid, part)
            seen += sections
        wanted = [(t, r) for t in cat.topics_by_theme.get(tid, []) for r in {m.policy.region for m in cat.by_topic.get(t, [])}]
        assert sorted(seen) == sorted(r for _, r in wanted), tid  # every topic × region section, exactly once
