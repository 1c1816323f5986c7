"""The search index (generator/export/sitesearch.py), read back in Python the way the search box reads it.

Recall through the real box, in a browser, is tests/e2e/test_search.py; these prove the index itself:
the pieces a query is cut into are always in a text that contains the query, lookups find exactly
the records that contain the words, and the files stay within their sizes."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from search_recall import expected, load_queries

from generator.export import sitesearch as S

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seed_catalogue():
    from generator.core.catalog import Catalogue
    from generator.core.validate import validate

    dataset, problems = validate(ROOT)
    assert not problems, problems[:3]
    return Catalogue(dataset)


HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40)
TEXT = st.text(alphabet=st.one_of(HAN, st.sampled_from("ab1，。 \n《》")), max_size=40)


@given(TEXT, st.integers(0, 40), st.integers(1, 12))
def test_a_text_holds_every_piece_of_any_word_it_contains(text, start, length):
    word = text[start : start + length]
    assert set(S.query_pieces(word)) <= S.grams(text)


def test_pieces_of_a_long_word_overlap_and_cover_it():
    assert S.query_pieces("技能大师工作室") == ["技能大", "大师工", "工作室"]
    assert S.query_pieces("技师") == ["技师"]
    assert S.query_pieces("《技师》 PDF") == ["技师", "pdf"]
    assert S.query_pieces("，。") == []


def test_shard_hash_is_fnv1a_over_utf8():
    """The browser computes the same hash (atlas-search.js): the published FNV-1a 32-bit test vectors."""
    assert S.fnv1a("") == 0x811C9DC5
    assert S.fnv1a("a") == 0xE40C292C
    assert S.fnv1a("foobar") == 0xBF9CF968


def _record(url: str, text: str, kind: str = S.KIND_MEASURE, **facets: str) -> S.Record:
    return S.Record(
        url=url, kind=kind, title=text.split("\n")[0], text=text, facets={k: [v] for k, v in facets.items()}
    )


def _index(tmp_path: Path, measures: list[S.Record], pages: list[S.Record]) -> S.Index:
    for name, data in S.build_files(measures, pages).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    return S.Index(tmp_path)


def _facets() -> dict[str, str]:
    return {S.F_PROVINCE: "河南省", S.F_REGION: "河南省", S.F_THEME: "培训", S.F_DOCTYPE: "通知", S.F_YEAR: "2023"}


def test_a_lookup_finds_the_words_not_their_pieces_apart(tmp_path):
    measures = [
        _record("/policies/a/#m03", "其他\n支持建设技能大师工作室", **_facets()),
        _record("/policies/a/#m02", "大师工作室与技能大赛\n工作室", **_facets()),  # every piece, never the word
        _record("/policies/a/#m01", "技能大师工作室建设\n每个补助 10 万元", **_facets()),
    ]
    index = _index(tmp_path, measures, [_record("/glossary/#x", "术语：技能大师工作室", S.KIND_PAGE)])
    found, pages = S.search(index, "技能大师工作室")
    assert found == ["/policies/a/#m01", "/policies/a/#m03"]  # the one with the word in its title first
    assert pages == ["/glossary/#x"]
    assert S.search(index, "技能大师工作室 补助")[0] == ["/policies/a/#m01"]
    assert S.search(index, "没有的词") == ([], [])


def test_long_lists_get_their_own_file_and_shards_stay_small(tmp_path):
    measures = [_record(f"/policies/p{i // 20}/#m{i % 20:02d}", f"第{i}条 技师 培训", **_facets()) for i in range(2000)]
    index = _index(tmp_path, measures, [])
    shard = index._file(f"s/{S.fnv1a('技师') % index.meta['shards']}.json.gz")
    assert isinstance(shard["技师"], str) and shard["技师"].startswith("t/")
    assert index.entry("技师")[0] == list(range(2000))
    assert max(len(gzip.decompress(p.read_bytes())) for p in (tmp_path / "s").iterdir()) < 4 * S.SHARD_BYTES
    table = index._file("facets.json.gz")
    assert table["runs"] == [20] * 100 and len(table["themes"]) == 2000


def test_the_seed_index_finds_exactly_the_measures_that_contain_each_query(seed_catalogue, tmp_path):
    """The seeds' index, written as `make site` writes it, against the oracle the browser test uses."""
    S.write_index(seed_catalogue, tmp_path)
    index = S.Index(tmp_path / S.OUTPUT)
    for query in load_queries():
        found, _ = S.search(index, query)
        assert len(found) == len(set(found)), query
        assert set(found) == expected(seed_catalogue, query), query
