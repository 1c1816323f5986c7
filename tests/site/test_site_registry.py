"""The site layer's page registry: the pages it lists, the navigation it gives MkDocs, the book's parts,
and templates a project overrides.

The navigation and the PDF's parts used to be written out again in the MkDocs plugin and the PDF
module; now both come from ``generator.site.pages``. These tests hold the registry to what those
copies said, on the mini fixture (tests/fixtures/atlas-mini), and check that an override template
really replaces a block of one page kind and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from atlas_pipeline import make_root, mkdocs_build

from generator.mkdocs.nav import to_mkdocs
from generator.site import labels, render
from generator.site.generate import generate
from generator.site.pages import KINDS, NavLink, NavSection, all_pages, book_parts, site_nav
from generator.site.urls import is_policy_page


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_root(tmp_path_factory.mktemp("registry") / "project", site_files=True)


@pytest.fixture(scope="module")
def generated(project):
    return generate(project)


def test_pages_come_in_registry_order_each_kind_together(generated):
    """all_pages is the registry walked in order: the site's first page is the home page, and no page
    kind's pages are interleaved with another's."""
    pages = generated.pages
    assert pages[0].src == "index.md"
    kinds = [kind.__name__.rsplit(".", 1)[-1] for kind in KINDS]
    assert kinds == [
        "home",
        "themes",
        "compare",
        "compare_regions",
        "regions",
        "policies",
        "sources",
        "references",
        "glossary",
        "downloads",
    ]
    listed = all_pages(generated.catalogue, [])
    assert [p.src for p in listed] == [p.src for p in pages]  # the downloads only change the downloads page
    assert len({p.src for p in pages}) == len(pages)


def test_nav_lists_sections_and_index_pages_only(generated, project):
    cat = generated.catalogue
    present = set(generated.markdown) | {"about.md"}
    nav = site_nav(cat, lambda src: src in present)
    srcs = list(nav_srcs(nav))
    assert all(src in present for src in srcs), srcs
    assert not any(is_policy_page(src) for src in srcs)  # never one entry per policy
    assert [e.title for e in nav] == [
        labels.HOME,
        labels.THEMES,
        labels.COMPARE,
        labels.REGIONS,
        labels.POLICIES,
        labels.GLOSSARY,
        labels.DOWNLOADS,
        labels.CONTRIBUTE,
        labels.ABOUT,
    ]
    themes = next(e for e in nav if e.title == labels.THEMES)
    assert [link.src for link in themes.links] == [f"themes/{t}.md" for t in cat.theme_order]
    regions = next(e for e in nav if e.title == labels.REGIONS)
    # nested by province, only regions with policies (全国 has none here): tests/site/test_navigation.py
    assert list(nav_srcs(regions.links)) == ["regions/north.md", "regions/north-city.md", "regions/south.md"]
    # pages that are not there are left out
    assert [e.title for e in site_nav(cat, lambda src: False)][-1] == labels.DOWNLOADS


def nav_srcs(entries):
    """Every page of a navigation, sections' index pages and nested entries included, in order."""
    for e in entries:
        if isinstance(e, NavLink):
            yield e.src
        else:
            yield e.index
            yield from nav_srcs(e.links)


def test_mkdocs_nav_is_the_registry_converted_with_titles_escaped():
    nav = to_mkdocs(
        [NavLink("首页", "index.md"), NavSection("地区", "regions/index.md", [NavLink("A<b>  &\nc", "regions/a.md")])]
    )
    assert nav == [{"首页": "index.md"}, {"地区": ["regions/index.md", {"A&lt;b&gt; &amp; c": "regions/a.md"}]}]


def test_book_parts_are_the_nav_sections(generated):
    assert book_parts(generated.catalogue) == (
        ("themes/", labels.THEMES),
        ("compare/", labels.COMPARE),
        ("regions/", labels.REGIONS),
        ("policies/", labels.POLICIES),
    )


def test_an_override_template_replaces_one_block_of_one_page_kind(tmp_path, generated):
    root = make_root(tmp_path / "project")
    folder = root / render.OVERRIDES
    folder.mkdir(parents=True)
    (folder / "policy.md.j2").write_text(
        '{% extends "_base/policy.md.j2" %}\n'
        "{% block notes %}\n## 本地说明 {: #local }\n\n<p>{{ policy.short_title }}</p>\n{% endblock %}\n",
        encoding="utf-8",
    )
    try:
        overridden = generate(root)
    finally:
        render.use_project(None)
    policy = overridden.markdown["policies/north-2023-skills.md"]
    original = generated.markdown["policies/north-2023-skills.md"]
    assert "## 本地说明 {: #local }" in policy and "数据质量说明" not in policy
    assert policy.split("## 本地说明")[0] == original.split("## 数据质量说明")[0]  # the other blocks as before
    assert all(
        overridden.markdown[src] == text
        for src, text in generated.markdown.items()
        if not is_policy_page(src) and src != "contribute.md"
    )
    # a project without overrides gets the package's templates again
    assert generate(make_root(tmp_path / "plain")).markdown["policies/north-2023-skills.md"] == original


def test_mkdocs_does_not_publish_the_override_templates(tmp_path):
    root = make_root(tmp_path / "project", site_files=True)
    folder = root / render.OVERRIDES
    folder.mkdir(parents=True)
    (folder / "glossary.md.j2").write_text('{% extends "_base/glossary.md.j2" %}\n', encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(root, site, "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "glossary" / "index.html").exists()
    assert not (site / render.OVERRIDES.name).exists()
    assert not list(site.rglob("*.j2"))
