"""Rendering: golden Markdown pages, links in the three output modes, value formatting, escaping.

Golden files: ``tests/fixtures/golden/*.md`` hold the exact Markdown that ``generate()`` produces
for a policy page and a theme page of the mini fixture (tests/fixtures/atlas-mini). A change to a
template or view model shows here as a diff to review. To accept an intended change, regenerate
them explicitly with

    .venv/bin/python -m pytest tests/site/test_render.py --update-goldens   (or UPDATE_GOLDEN=1)

(the test then rewrites the files and fails once, so a regeneration is never silent), and commit
the reviewed diff.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urljoin, urlsplit

import pytest
from atlas_pipeline import make_root, mkdocs_markdown, to_html
from conftest import FIXTURES

from generator.core.values import format_number, format_value, format_yuan
from generator.site.generate import generate
from generator.site.render import Linker, md_escape, one_line, page_id, page_url, relative_link

GOLDEN = FIXTURES / "golden"
PAGES = {
    "policies/north-2023-skills.md": "policy-north-2023-skills.md",
    "themes/competitions.md": "theme-competitions.md",
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The mini fixture as a project (with CONTRIBUTING.md, which becomes /contribute/)."""
    return generate(make_root(tmp_path_factory.mktemp("render") / "project", site_files=True))


@pytest.mark.parametrize("src", sorted(PAGES))
def test_golden_markdown(generated, src):
    golden = GOLDEN / PAGES[src]
    actual = generated.markdown[src]
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        previous = golden.read_text(encoding="utf-8") if golden.exists() else None
        golden.write_text(actual, encoding="utf-8")
        assert previous == actual, f"{golden} regenerated: review the diff, then run again without UPDATE_GOLDEN"
    assert golden.exists(), f"{golden} is missing: run with UPDATE_GOLDEN=1 to create it"
    assert actual == golden.read_text(encoding="utf-8"), (
        f"{src} differs from {golden.relative_to(FIXTURES.parent.parent)}; if the change is intended, "
        "regenerate with UPDATE_GOLDEN=1 and review the diff"
    )


def test_golden_pages_say_what_the_data_says(generated):
    """Independent of the golden files: the facts a reader looks for are on the pages."""
    policy = generated.markdown["policies/north-2023-skills.md"]
    assert policy.startswith(
        "---\natlas_edit: data/policies/north-2023-skills.yaml\natlas_nav: regions/north.md\n---\n"
    )
    assert 'rel="prev" href="../north-2021-old/"' in policy  # the region's previous policy
    assert "# 北方省关于加强高技能人才队伍建设的意见 {: #policy }" in policy
    assert (
        policy.index("### 一、 总体目标 {: #m01 }")
        < policy.index("### 二、 竞赛奖励 {: #m02 }")
        < policy.index("### 三、 新八级工 {: #m03 }")
        < policy.index("### 四、 培训补贴 {: #m04 }")
    )
    assert "10万元" in policy and "35%左右" in policy and "120万人次" in policy
    assert '<a href="../north-city-2024-plan/">北方市工作方案</a>' in policy  # implemented by
    assert '<a href="../south-2022-action/">技能南方行动方案</a>' in policy  # cited by
    assert 'href="../../glossary/#chief-technician"' in policy  # glossary term in a summary
    assert 'href="../../sources/north-2023-skills/#L7"' in policy  # the quote's line in the archive
    theme = generated.markdown["themes/competitions.md"]
    header = theme.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert [r for r in ("北方省", "北方市", "南方省") if r in header] == ["北方省", "北方市", "南方省"]
    assert '<a href="../../policies/north-2023-skills/#m02">竞赛奖励</a>' in theme


def test_golden_pages_convert_cleanly(generated):
    """The golden Markdown is valid input for MkDocs' Markdown: headings keep their ids."""
    page = to_html(generated.markdown["policies/north-2023-skills.md"], mkdocs_markdown())
    for anchor in ("policy", "relations", "measures", "m01", "m02", "m03", "m04", "targets", "notes"):
        assert f'id="{anchor}"' in page, anchor
    assert "{:" not in page  # no attribute list was left as text


# --------------------------------------------------------------------------- links

HREFS = [  # (from, to, anchor, dir, file, pdf)
    ("policies/x.md", "themes/t.md", None, "../../themes/t/", "../themes/t.html", "#p-themes-t"),
    ("policies/x.md", "themes/t.md", "a", "../../themes/t/#a", "../themes/t.html#a", "#p-themes-t--a"),
    ("policies/x.md", "policies/x.md", None, "./", "x.html", "#p-policies-x"),
    ("policies/x.md", "policies/x.md", "m01", "#m01", "#m01", "#p-policies-x--m01"),
    ("index.md", "glossary.md", "t", "glossary/#t", "glossary.html#t", "#p-glossary--t"),
    ("index.md", "index.md", None, "./", "index.html", "#p-index"),
    ("themes/index.md", "index.md", None, "../", "../index.html", "#p-index"),
    ("themes/index.md", "themes/t.md", None, "t/", "t.html", "#p-themes-t"),
    ("policies/index.md", "policies/x.md", None, "x/", "x.html", "#p-policies-x"),
    ("glossary.md", "themes/index.md", "x", "../themes/#x", "themes/index.html#x", "#p-themes-index--x"),
    ("sources/a-b.md", "sources/wording.md", None, "../wording/", "wording.html", "#p-sources-wording"),
]


@pytest.mark.parametrize("src,target,anchor,dir_href,file_href,pdf_href", HREFS)
def test_linker_hrefs(src, target, anchor, dir_href, file_href, pdf_href):
    assert Linker("dir", src).href(target, anchor) == dir_href
    assert Linker("file", src).href(target, anchor) == file_href
    assert Linker("pdf", src).href(target, anchor) == pdf_href


def test_linker_assets_and_anchors():
    assert Linker("dir", "policies/x.md").asset("downloads/a.csv") == "../../downloads/a.csv"
    assert Linker("file", "policies/x.md").asset("downloads/a.csv") == "../downloads/a.csv"
    assert Linker("pdf", "policies/x.md").asset("downloads/a.csv") is None  # the PDF cannot link to files
    assert Linker("dir", "policies/x.md").anchor("m01") == "m01"
    assert Linker("pdf", "policies/x.md").anchor("m01") == "p-policies-x--m01"
    assert page_id("policies/Henan_2023.md") == "p-policies-henan-2023"
    assert page_url("themes/index.md", True) == "themes/" and page_url("themes/index.md", False) == "themes/index.html"
    assert page_url("index.md", True) == "" and page_url("downloads/a.csv", True) == "downloads/a.csv"


PATHS = [
    "index.md",
    "about.md",
    "themes/index.md",
    "themes/t.md",
    "themes/t/p.md",
    "policies/a.md",
    "a/b/c/index.md",
    "a/b/index.md",
    "downloads/x.csv",
    "downloads/sources.zip",
    "pdf/x.pdf",
    "assets/a.css",
]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_relative_links_are_what_a_browser_resolves_back_to_the_target(directory_urls):
    """relative_link works on path segments (relpath was too slow): resolving each link against
    the page's URL, as a browser does, must land on the target's URL, for every pair of paths."""
    for src in [p for p in PATHS if p.endswith(".md")]:
        here = "http://atlas.test/" + page_url(src, directory_urls)
        for target in PATHS:
            rel = relative_link(src, target, directory_urls)
            there = "http://atlas.test/" + page_url(target, directory_urls)
            assert urljoin(here, rel) == there, (src, target, rel)
            assert not rel.startswith("/") and "//" not in rel, rel


def test_linker_refuses_unknown_modes():
    with pytest.raises(AssertionError):
        Linker("html", "index.md")


def test_every_generated_link_resolves_to_a_generated_page(generated):
    """In dir mode, every in-site href of every generated page points at a page or file generate() makes."""
    targets = {page_url(src, True) for src in generated.markdown} | set(generated.files)
    targets.add("pdf/skills-policy-atlas.pdf")  # written by the build after MkDocs
    targets.add("downloads/skills-policy-atlas-offline.zip")  # likewise
    missing = []
    for src, text in generated.markdown.items():
        base = "http://site/" + page_url(src, True)
        for href in re.findall(r'href="([^"]*)"', text):
            if href.startswith(("http://", "https://", "#")):
                continue
            path = urlsplit(urljoin(base, href)).path.removeprefix("/")
            if path not in targets:
                missing.append((src, href))
    assert not missing, missing[:20]


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    "value,unit,shown",
    [
        (35, "percent", "35%"),
        (35.5, "percent", "35.5%"),
        (2800000, "persons", "280万人"),
        (262000, "persons", "26.2万人"),
        (10000, "persons", "1万人"),
        (1234, "count", "1,234个"),
        (100000, "yuan", "10万元"),
        (1500, "yuan", "1,500元"),
        (12345, "yuan", "12,345元"),
        (0.5, "yuan", "0.5元"),
        (1200000, "person-times", "120万人次"),
    ],
)
def test_format_value(value, unit, shown):
    assert format_value(value, unit) == shown


def test_format_number_and_yuan():
    assert format_number(26200000) == "2620万"
    assert format_number(999) == "999"
    assert format_yuan(50000) == "5万元"
    assert format_yuan(100000000) == "10000万元"


# --------------------------------------------------------------------------- escaping


@pytest.mark.parametrize(
    "text,escaped",
    [
        ("普通文本", "普通文本"),
        ("a*b_c", "a\\*b\\_c"),
        ("[x](javascript:alert(1))", "\\[x\\]\\(javascript:alert\\(1\\)\\)"),
        ("<script>", "&lt;script&gt;"),
        ("&amp;", "&amp;amp;"),
        ("# 1. - + !", "\\# 1\\. \\- \\+ \\!"),
        ("a|b", "a\\|b"),
        ("{: #x }", "\\{: \\#x \\}"),
        ("a:b \"c\" 'd' =~^", "a:b \"c\" 'd' =~^"),  # not special to Markdown here: no backslash that would show
        ("`code`", "\\`code\\`"),
        ("back\\slash", "back\\\\slash"),
        ("line\nbreak  \n  next\rcr", "line break next cr"),
    ],
)
def test_md_escape(text, escaped):
    assert str(md_escape(text)) == escaped


def test_one_line():
    assert one_line("  a\n  b\r\nc  ") == "a b c"
    assert one_line("a  b") == "a  b"  # only line breaks are collapsed (HTML collapses the rest)
