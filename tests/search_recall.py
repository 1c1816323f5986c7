"""The search recall check, shared by tests/test_search.py and bench/run.py.

Expected results come from the data, not from a list: for each query in
tests/fixtures/search_queries.yaml, every measure whose title, summary or quotes contain every
word of the query. Found results come from the real search index (site/search/), queried in a real
browser through the search box itself (docs/assets/atlas-search.js).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import yaml

QUERIES_FILE = Path(__file__).resolve().parent / "fixtures" / "search_queries.yaml"


def load_queries() -> list[str]:
    return list(yaml.safe_load(QUERIES_FILE.read_text(encoding="utf-8"))["queries"])


def measure_text(ref) -> str:
    return "\n".join([ref.measure.title, ref.measure.summary, *ref.measure.quotes])


def measure_key(ref) -> str:
    return f"/policies/{ref.policy.id}/#{ref.measure.id}"


def expected(catalogue, query: str) -> set[str]:
    words = query.split()
    return {measure_key(r) for r in catalogue.measures if all(w in measure_text(r) for w in words)}


def found(page, base_url: str, query: str) -> list[dict]:
    """Search as a reader does: the page ``?q=<query>`` opens with the search box's answer; "显示更多结果"
    is pressed until every result is listed. Each result: its URL as indexed ('/policies/x/#m04'), its kind."""
    page.goto(base_url + "?" + urlencode({"q": query}))
    page.wait_for_function("() => document.getElementById('atlas-search').dataset.results !== undefined", timeout=20000)
    # "显示更多结果" pressed in the page until it hides: one round trip per query, not per ten results.
    return page.evaluate("""async () => {
      const more = document.querySelector('.atlas-search__more');
      const count = () => document.querySelectorAll('.atlas-search__result').length;
      for (let i = 0; i < 100000 && !more.hidden; i++) {
        const before = count();
        more.click();
        // a batch may end the list without adding a row (its records held the pieces apart, not the words)
        for (let t = 0; t < 2000 && count() === before && !more.hidden; t++) await new Promise(r => setTimeout(r, 5));
        if (count() === before && !more.hidden) throw new Error('more results did not arrive');
      }
      return [...document.querySelectorAll('.atlas-search__result')].map(li => ({url: li.dataset.url, kind: li.dataset.kind}));
    }""")


def score(catalogue, page, base_url: str, queries: list[str]) -> dict[str, dict]:
    """query → expected and found counts, recall and precision over measure results, misses."""
    out: dict[str, dict] = {}
    for query in queries:
        want = expected(catalogue, query)
        results = found(page, base_url, query)
        measures = [r["url"] for r in results if r["kind"] == "measure"]
        got = set(measures)
        hits = want & got
        out[query] = {
            "expected": len(want),
            "found_measures": len(got),
            "found_pages": len(results) - len(measures),
            "duplicates": len(measures) - len(got),
            "recall": round(len(hits) / len(want), 4) if want else None,
            "precision": round(len(hits) / len(got), 4) if got else None,
            "missing": sorted(want - got)[:10],
        }
    return out
