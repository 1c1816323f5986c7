"""自选对照 (/compare/regions/): the reader's own comparison of 2–4 regions on a theme or topic.

The page itself is a form, an explanation and a ``<noscript>`` text; the table is built in the
browser by ``docs/assets/compare.js`` from ``assets/compare-data.js`` (the index) and the chosen
theme's ``assets/compare-data/<theme>.js``, which ``generate()`` writes next to the pages
(``compare_data``). The app and the index are loaded by this page only, with links from the
``Linker`` so they resolve from directory URLs, ``.html`` files and ``file://`` alike; the index
names each theme's script the same way, and compare.js adds it to the page when the theme is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from generator.core.catalog import Catalogue
from generator.site import labels
from generator.site.pages.base import NavEntry, Page
from generator.site.render import Linker
from generator.site.urls import COMPARE_APP_JS, COMPARE_DATA_JS, CUSTOM_COMPARE_SRC, MONEY_SRC, TARGETS_SRC, THEMES_SRC
from generator.site.views import Views, custom_compare_link

TEMPLATE = "compare_regions.md.j2"


def example_regions(cat: Catalogue) -> tuple[list[str], str | None]:
    """A comparison worth opening as an example: the theme most regions have measures in, and the
    first (up to) four of those regions in display order."""
    best: tuple[int, str] | None = None
    for tid in cat.theme_order:
        count = sum(1 for rid in cat.region_order if cat.by_theme_region.get((tid, rid)))
        if count >= 2 and (best is None or count > best[0]):
            best = (count, tid)
    if best is None:
        return [], None
    tid = best[1]
    return [rid for rid in cat.region_order if cat.by_theme_region.get((tid, rid))][:4], tid


def compare_regions(cat: Catalogue, v: Views) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        regions, theme = example_regions(cat)
        return {
            "data_js": ln.asset(COMPARE_DATA_JS),
            "app_js": ln.asset(COMPARE_APP_JS),
            "example": custom_compare_link(ln, regions, theme) if theme else None,
            "example_text": "、".join(v.region_name(r) for r in regions)
            + (f" · {cat.themes[theme].name}" if theme else ""),
            "themes": ln.href(THEMES_SRC),
            "targets": ln.href(TARGETS_SRC),
            "money": ln.href(MONEY_SRC),
        }

    return build


def pages(cat: Catalogue, v: Views, files: list[tuple[str, str]]) -> Iterator[Page]:
    # Not in the PDF (a printed page cannot run the form) nor in the search index (no text of its own).
    yield Page(
        CUSTOM_COMPARE_SRC, TEMPLATE, compare_regions(cat, v), labels.CUSTOM_COMPARE, search=False, pdf=False, wide=True
    )


def nav(cat: Catalogue) -> list[NavEntry]:
    return []  # listed in the 对照 section by ``compare.nav``
