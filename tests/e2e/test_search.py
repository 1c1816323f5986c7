"""Search recall, in a real browser, through the search box: every measure that contains a query
(title, summary or quotes) is found — on the seed data and on a synthetic atlas.

The queries are tests/fixtures/search_queries.yaml (two-character words, multi-word queries,
glossary terms); the expected measures are derived from the data each time
(tests/search_recall.py), never listed. A measure is one result: the same measure must not
come back twice (from its theme, region or glossary page).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from atlas_pipeline import run_build
from browser_support import Site, browser, open_context, recorder, site  # noqa: F401
from conftest import ROOT
from search_recall import expected, load_queries, score

sys.path.insert(0, str(ROOT / "bench"))
from synth import make_atlas

SEED_MUST_FIND = ["技师", "补贴", "国赛", "世赛", "国赛 奖励", "首席技师"]  # each has measures in the seed data


def _catalogue(root: Path):
    from generator.core.catalog import Catalogue
    from generator.core.validate import validate

    dataset, problems = validate(root)
    assert not problems, problems[:3]
    return Catalogue(dataset)


def _check(catalogue, context, site_url: str) -> dict:
    page = context.new_page()
    page.goto(site_url)
    return score(catalogue, page, site_url, load_queries())


def _assert_full_recall(scores: dict) -> None:
    missed = {q: s["missing"] for q, s in scores.items() if s["expected"] and s["recall"] < 1.0}
    assert not missed, f"measures not found: {missed}"
    doubled = {q: s["duplicates"] for q, s in scores.items() if s["duplicates"]}
    assert not doubled, f"measures listed twice: {doubled}"


def test_query_set_is_large_and_varied():
    queries = load_queries()
    assert len(queries) >= 30 and len(set(queries)) == len(queries)
    assert {"技师", "补贴", "国赛", "世赛", "国赛 奖励"} <= set(queries)
    assert sum(" " in q for q in queries) >= 3


def test_every_expected_measure_is_found_on_the_seed_site(browser, site, recorder):
    catalogue = _catalogue(ROOT)
    for query in SEED_MUST_FIND:
        assert expected(catalogue, query), f"the seed data no longer mentions {query}: pick another query"
    context = open_context(browser, recorder)
    try:
        scores = _check(catalogue, context, site.url)
    finally:
        context.close()
    _assert_full_recall(scores)
    assert not recorder.errors, recorder.errors[:5]
    assert not recorder.outside(), recorder.outside()


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory) -> tuple[Path, Path]:
    """A 30-policy synthetic atlas (bench/synth.py), built as `make site` builds (without PDF)."""
    root = tmp_path_factory.mktemp("synthetic-search") / "atlas"
    make_atlas(root, 30)
    out = root / "site"
    result = run_build(root, out, cwd=ROOT, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root, out


def test_every_expected_measure_is_found_on_a_synthetic_atlas(browser, synthetic_site, recorder):
    import functools
    import http.server
    import threading

    from browser_support import _QuietHandler

    root, out = synthetic_site
    catalogue = _catalogue(root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = open_context(browser, recorder)
    try:
        scores = _check(catalogue, context, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert sum(1 for s in scores.values() if s["expected"]) >= 15, "the synthetic text no longer uses the query set"
    _assert_full_recall(scores)


def test_a_facet_with_many_places_lists_the_most_frequent_first(browser, synthetic_site, recorder):
    """At national scale 地区 has thousands of values: twelve are listed, the rest behind one button."""
    import functools
    import http.server
    import threading

    from browser_support import _QuietHandler

    root, out = synthetic_site
    catalogue = _catalogue(root)
    places = {catalogue.regions[catalogue.policies[k.split("/")[2]].region].name for k in expected(catalogue, "技师")}
    assert len(places) > 12, "the synthetic atlas no longer has enough places to test this"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = open_context(browser, recorder)
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/?q=技师")
        facet = page.locator(".atlas-search__facet", has=page.locator("legend", has_text="地区"))
        facet.wait_for(timeout=20000)
        assert facet.locator("label").count() == 12
        counts = [int(c) for c in facet.locator(".atlas-search__count").all_inner_texts()]
        assert counts == sorted(counts, reverse=True), counts
        facet.locator(".atlas-search__facet-more").click()
        facet = page.locator(".atlas-search__facet", has=page.locator("legend", has_text="地区"))
        assert facet.locator("label").count() == len(places)
    finally:
        context.close()
        server.shutdown()
        server.server_close()
