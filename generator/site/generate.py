"""The whole core in one call: load → validate → catalogue → pages → render.

Both adapters (the MkDocs plugin and the CLI) and the PDF call ``generate``;
everything it returns lives in memory. Rendering happens here, before MkDocs
writes anything, so a template error — like a validation error — stops the
build with the previous site untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.core.catalog import Catalogue
from generator.core.dataset import without_cyclic_gc
from generator.core.validate import validate
from generator.diagnostics import Problem
from generator.site.compare_data import compare_files
from generator.site.exports import download_files
from generator.site.pages import Page, all_pages
from generator.site.pages.glossary import tips_script
from generator.site.render import Linker, render, use_project
from generator.site.search import user_dictionary
from generator.site.urls import CONTRIBUTE_SRC, CUSTOM_COMPARE_SRC, GLOSSARY_TIPS_JS
from generator.site.views import Views, doubts


class DataProblems(Exception):
    """Raised by ``generate(strict=True)``: the data has problems, listed in ``problems``."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = problems


@dataclass
class Generated:
    catalogue: Catalogue
    pages: list[Page]
    markdown: dict[str, str] = field(default_factory=dict)  # page src → Markdown
    files: dict[str, bytes] = field(default_factory=dict)  # other site files → content
    descriptions: dict[str, str] = field(default_factory=dict)


def front_matter(page: Page) -> str:
    lines = []
    if not page.search:
        lines += ["search:", "  exclude: true"]
    if page.wide:  # Material's per-page switch: the table of contents' column goes to the content
        lines += ["hide:", "  - toc"]
    if page.edit:
        lines.append(f"atlas_edit: {page.edit}")
    if page.nav:  # the navigation entry shown active on a page outside the navigation (the MkDocs plugin)
        lines.append(f"atlas_nav: {page.nav}")
    return "---\n" + "\n".join(lines) + "\n---\n\n" if lines else ""


def generate(root: Path, mode: str = "dir") -> Generated:
    """Build every page and file in memory; raises DataProblems if the data is not valid."""
    with without_cyclic_gc():
        return _generate(root, mode)


def _generate(root: Path, mode: str) -> Generated:
    use_project(root)  # templates in <root>/overrides/atlas-templates/ take precedence
    dataset, problems = validate(root)
    if problems:
        raise DataProblems(problems)
    dataset.release_documents()  # valid: no problem will need a line and column any more
    cat = Catalogue(dataset)
    downloads = download_files(cat)
    downloads["downloads/jieba-userdict.txt"] = (
        user_dictionary(cat).encode("utf-8"),
        "搜索分词用的 jieba 用户词典（术语、议题与项目名称）。",
    )
    views = Views(cat)
    pages = all_pages(
        cat,
        [(path, desc) for path, (_, desc) in sorted(downloads.items())],
        views,
    )
    out = Generated(cat, pages)
    for page in pages:
        out.markdown[page.src] = front_matter(page) + render(page.template, **page.build(Linker(mode, page.src)))
    out.files.update(sorted(views.related_files.items()))  # the related lists the policy pages link
    contributing = root / "CONTRIBUTING.md"
    if contributing.exists():  # the guide lives at the repository root and is shown at /contribute/
        out.markdown[CONTRIBUTE_SRC] = "---\natlas_edit: CONTRIBUTING.md\n---\n\n" + contributing.read_text(
            encoding="utf-8"
        )
    if mode != "pdf":  # the data of 自选对照 (its index and a script per theme), with links as its page makes them
        out.files.update(compare_files(cat, Views(cat), Linker(mode, CUSTOM_COMPARE_SRC), doubts(cat)))
        out.files[GLOSSARY_TIPS_JS] = tips_script(cat)  # the glossary links' tooltips (atlas.js)
    for path, (content, desc) in downloads.items():
        out.files[path] = content
        out.descriptions[path] = desc
    return out
