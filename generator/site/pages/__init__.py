"""Deciding the pages and computing what each shows: one module per page kind, in an ordered registry.

Each module (``home``, ``themes``, ``compare``, …) holds its page kind whole: its source paths
(from ``urls``), its template names, the functions that turn the catalogue into a plain context
for the template (every link, label, value and ordering is computed there, so the templates only
loop and print) and its place in the navigation. ``KINDS`` lists them in the site's order;
``all_pages`` walks it for every generated page, with the data file a reader would edit, and
``site_nav`` for the navigation, which the MkDocs plugin only converts.

To add a page kind: a module with ``pages(cat, v, files)`` and ``nav(cat)`` (``base.PageKind``),
its template in ``templates/`` (over ``templates/_base/``), and its place in ``KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.core.catalog import Catalogue
from generator.site import labels
from generator.site.pages import (
    compare,
    compare_regions,
    downloads,
    glossary,
    home,
    policies,
    references,
    regions,
    sources,
    themes,
)
from generator.site.pages.base import NavEntry, NavLink, NavSection, Page, PageKind
from generator.site.split import policies_by_province
from generator.site.urls import ABOUT_SRC, CONTRIBUTE_SRC
from generator.site.views import MAX_TABLE_COLUMNS, Views

__all__ = [
    "KINDS",
    "MAX_TABLE_COLUMNS",
    "NavEntry",
    "NavLink",
    "NavSection",
    "Page",
    "PageKind",
    "all_pages",
    "book_parts",
    "policies_by_province",
    "site_nav",
]

# The page kinds, in the order of the site's pages (and of the navigation).
KINDS: tuple[PageKind, ...] = (
    home,
    themes,
    compare,
    compare_regions,
    regions,
    policies,
    sources,
    references,
    glossary,
    downloads,
)
# Pages that are not generated from the data but have their place in the navigation when present:
# the contributing guide (from CONTRIBUTING.md) and a hand-written about page in docs/.
EXTRA_NAV = (NavLink(labels.CONTRIBUTE, CONTRIBUTE_SRC), NavLink(labels.ABOUT, ABOUT_SRC))


def all_pages(cat: Catalogue, download_files: list[tuple[str, str]], v: Views | None = None) -> list[Page]:
    """Every page, in order; ``v`` the views to build them with (generate reads the files they
    write while the pages render: Views.related_files)."""
    v = v or Views(cat)
    return [page for kind in KINDS for page in kind.pages(cat, v, download_files)]


def site_nav(cat: Catalogue, present: Callable[[str], bool]) -> list[NavEntry]:
    """The site's navigation: each page kind's entries, then the extra pages that are ``present``."""
    return [entry for kind in KINDS for entry in kind.nav(cat)] + [link for link in EXTRA_NAV if present(link.src)]


def book_parts(cat: Catalogue) -> tuple[tuple[str, str], ...]:
    """The parts of a printed atlas, in reading order: (page-source prefix, part title) of each
    navigation section, and of each entry that is a folder's index page (政策文件: the policy list,
    its policies under it) — the index page opens the part, the other pages under the prefix follow."""
    parts = []
    for entry in site_nav(cat, lambda src: False):
        index = entry.index if isinstance(entry, NavSection) else entry.src
        if index.endswith("/index.md"):
            parts.append((index.rsplit("/", 1)[0] + "/", entry.title))
    return tuple(parts)
