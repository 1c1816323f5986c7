"""The cheaper search-indexing step (generator/mkdocs/indexing.py) writes the very index Material would.

Material's search now serves only the offline bundle (the site searches with Pagefind), so these
builds use the bundle's config with Material's search (``offline.offline_config``).

The atlas plugin swaps a cached Chinese segmenter and a counting section parser
into Material's search index. Both must be invisible in the output: these
tests build the real site with and without them and compare the search index
byte for byte, and compare the two parsers on every page of the real site and
on the awkward cases of Material's tag-name comparisons.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from material.plugins.search.plugin import Parser, SearchIndex
from mkdocs.commands.build import build
from mkdocs.config import load_config

import generator.mkdocs.indexing as indexing
from generator.core.validate import validate
from generator.export.offline import offline_config

ROOT = Path(__file__).resolve().parents[2]


def _with_material_search(folder: Path) -> Path:
    """The site's config with Material's search, as the offline bundle builds it (offline.py) — the
    published site searches with Pagefind — minus what only file:// needs."""
    config = offline_config(ROOT)
    config["plugins"] = [p for p in config["plugins"] if p != "offline"]
    config.pop("use_directory_urls")
    path = folder / "mkdocs.search.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> dict:
    """The real site built in this process: Material's own indexing, then the atlas's twice (as
    `mkdocs serve` rebuilds), with each build's segmenter."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sites: dict = {}
    verified = indexing.VERIFIED_MATERIAL
    try:
        for name, versions in (("material", set()), ("atlas", verified), ("again", verified)):
            indexing.VERIFIED_MATERIAL = versions
            site = tmp_path_factory.mktemp(name) / "site"
            config = load_config(str(_with_material_search(site.parent)), site_dir=str(site))
            build(config)
            sites[name] = site
            sites[f"{name}-segmenter"] = config.plugins["atlas"].segmenter
    finally:
        indexing.VERIFIED_MATERIAL = verified
    return sites


def sections(parser_class: type, html: str) -> list[tuple]:
    parser = parser_class()
    parser.feed(html)
    parser.close()
    return [(s.el.tag, s.id, s.depth, s.is_excluded(), tuple(s.title), tuple(s.text)) for s in parser.data]


def test_search_index_is_byte_identical_with_the_faster_indexing(two_builds):
    material = (two_builds["material"] / "search" / "search_index.json").read_bytes()
    atlas = (two_builds["atlas"] / "search" / "search_index.json").read_bytes()
    assert len(material) > 100_000  # the real atlas, Chinese text segmented with zero-width spaces
    assert "\u200b".encode("unicode_escape") in material or "\u200b".encode() in material
    assert atlas == material
    assert two_builds["material-segmenter"] is None  # the first build really was Material's own
    first = two_builds["atlas-segmenter"]
    assert first is not None and 0 < first.misses < first.calls / 2  # most Han runs repeat


def test_a_rebuild_reuses_the_segmentations_while_the_dictionary_is_unchanged(two_builds):
    again = two_builds["again-segmenter"]
    assert again.calls == two_builds["atlas-segmenter"].calls and again.misses == 0
    index = (two_builds["again"] / "search" / "search_index.json").read_bytes()
    assert index == (two_builds["material"] / "search" / "search_index.json").read_bytes()


def test_a_changed_dictionary_starts_a_fresh_cache():
    import jieba

    before = indexing._dictionary_state()
    jieba.add_word("试验用不存在词语", freq=1)
    try:
        assert indexing._dictionary_state() != before
    finally:
        jieba.del_word("试验用不存在词语")


def test_counting_parser_splits_every_real_page_as_material_does(two_builds):
    counting = indexing._parser_class()
    pages = sorted(two_builds["atlas"].rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert sections(counting, html) == sections(Parser, html), page


@pytest.mark.parametrize(
    "html",
    [
        # a heading before any h1, ids, permalinks that must not enter the title
        '<h2 id="a">甲<a class="headerlink" href="#a">¶</a></h2><p>正文 <code>x</code></p><h1 id="t">标题</h1><p>乙</p>',
        # an excluded element, and a later element with the same tag (Material compares by tag name)
        '<h1 id="t">T</h1><div data-search-exclude><p>隐藏</p><div>内层</div><p>仍隐藏?</p></div><div><p>可见</p></div>',
        # nested excluded details, void tags, script and style never indexed
        '<p>前<br>后<img src="x"></p><details data-search-exclude><summary>s</summary><details><p>x</p></details>'
        '<p>y</p></details><script>var a = "<p>";</script><style>p{}</style><ul><li>一</li><li> </li></ul>',
        # whitespace inside and outside <pre>, empty kept tags removed, headings nested in other elements
        '<pre><code>a\n  b\n\n</code></pre><p>\n</p><section><h3 id="n">嵌套</h3><p>t</p></section><p>after</p>',
        # line numbers are skipped like excluded blocks
        '<table><tr><td class="linenodiv"><pre>1\n2</pre></td><td><pre>code</pre></td></tr></table><p>尾</p>',
    ],
)
def test_counting_parser_matches_material_on_awkward_markup(html):
    assert sections(indexing._parser_class(), html) == sections(Parser, html)


def test_cached_segmenter_cuts_exactly_like_material():
    dataset, problems = validate(ROOT)
    assert not problems
    texts = [m.summary for p in dataset.policies.values() for m in p.measures]
    texts += [q for p in dataset.policies.values() for m in p.measures for q in m.quotes][:200]
    texts += ["", "abc 123", "技能人才（首席技师）与新八级工", "　全角空格　和\u200b零宽"]
    material = SearchIndex()
    segmenter = indexing.CachedSegmenter()
    for text in texts + texts:  # the second pass is served from the cache
        assert segmenter(text) == material._segment_chinese(text)
    assert segmenter.misses < segmenter.calls / 2
