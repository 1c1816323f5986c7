"""The site's navigation as MkDocs wants it, converted from the page registry (``site.pages.site_nav``).

The registry decides what the navigation holds (sections and index pages only); this module only
writes it in the shape of ``mkdocs.yml``'s ``nav``: ``{title: src}`` for a page, ``{title: [index,
…]}`` for a section whose bare first entry is its index page (Material's ``navigation.indexes``).
"""

from __future__ import annotations

import html
from typing import Any

from generator.site.pages import NavEntry, NavLink

MkDocsNav = list[dict[str, Any]]  # {title: src} or {title: [index src, {title: src}, …]}


def nav_title(text: str) -> str:
    """Navigation titles are HTML to MkDocs and Material (printed unescaped); names come from data."""
    return html.escape(" ".join(text.split()), quote=False)


def _link(link: NavLink) -> dict[str, str]:
    return {nav_title(link.title): link.src}


def to_mkdocs(entries: list[NavEntry]) -> MkDocsNav:
    nav: MkDocsNav = []
    for entry in entries:
        if isinstance(entry, NavLink):
            nav.append(_link(entry))
        else:
            nav.append({nav_title(entry.title): [entry.index, *(_link(link) for link in entry.links)]})
    return nav
