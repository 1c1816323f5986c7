"""The site's navigation as MkDocs wants it, converted from the page registry (``site.pages.site_nav``).

The registry decides what the navigation holds (sections and index pages only); this module only
writes it in the shape of ``mkdocs.yml``'s ``nav``: ``{title: src}`` for a page, ``{title: [index,
…]}`` for a section whose bare first entry is its index page (Material's ``navigation.indexes``).
Pages outside the navigation (a policy) are placed under the entry they belong to (``attach``).
"""

from __future__ import annotations

import html
from typing import Any

from markupsafe import Markup
from mkdocs.structure.pages import Page

from generator.site.pages import NavEntry, NavLink, NavSection

MkDocsNav = list[dict[str, Any]]  # {title: src} or {title: [index src, {title: src}, …]}


def nav_title(text: str) -> Markup:
    """Navigation titles are HTML to MkDocs and Material (printed unescaped); names come from data.
    Marked as HTML (Markup), so the one place Material escapes a title — the footer's previous/next
    ``aria-label`` (``title | e``) — does not escape it a second time; quotes are escaped for that
    attribute."""
    return Markup(html.escape(" ".join(text.split()), quote=True))  # quotes too: the aria-label is an attribute


def _link(link: NavLink) -> dict[str, str]:
    return {nav_title(link.title): link.src}


def to_mkdocs(entries: list[NavEntry]) -> MkDocsNav:
    """Sections nest (地区 › 河南省 › 新乡市): a section's entries are converted the same way."""
    nav: MkDocsNav = []
    for entry in entries:
        if isinstance(entry, NavLink):
            nav.append(_link(entry))
        else:
            nav.append({nav_title(entry.title): [entry.index, *to_mkdocs(entry.links)]})
    return nav


def section_indexes(entries: list[NavEntry], top: bool = True) -> list[str]:
    """The pages that open a nested section but are not named index.md (河南省 opening 河南省 › 新乡市)."""
    found = []
    for entry in entries:
        if isinstance(entry, NavSection):
            if not top and entry.index.rsplit("/", 1)[-1] != "index.md":
                found.append(entry.index)
            found += section_indexes(entry.links, top=False)
    return found


class SectionIndexPage(Page):
    """A page that opens its section of the navigation. Material draws a section's first page as the
    section's own link (``navigation.indexes``) only if it is an index page, which MkDocs decides by
    its file name; a region's page (regions/henan.md) is one in all but name. Set on the page's File
    before MkDocs makes the navigation, which then takes it as it is (MkDocs allows a plugin that)."""

    @property
    def is_index(self) -> bool:
        return True


def attach(nav, files, parents: dict[str, str]) -> None:
    """Place each page outside the navigation under the entry it belongs to (``parents``: its source
    path → that entry's, from ``Page.nav``: a policy under its region, an archived source under its
    policy). MkDocs then marks that entry and the sections above it active while the page is rendered
    (the nav highlights it and opens its province), and Material's breadcrumb (``navigation.path``)
    leads up through them: 首页 › 地区 › 河南省 › 新乡市. Pages of the navigation keep their place."""
    listed = {page.file.src_uri for page in nav.pages}
    for src, target in parents.items():
        file, up = files.get_file_from_path(src), files.get_file_from_path(target)
        if src in listed or file is None or file.page is None or up is None or up.page is None:
            continue
        if target in listed or target in parents:
            # The page that opens a section (河南省's) stands for its section: under the section, the
            # breadcrumb does not name the province twice. A Page as parent (新乡市's) works too: MkDocs'
            # active flag and Material's ancestors walk it alike.
            section = up.page.parent if up.page.is_index and up.page.parent is not None else None
            file.page.parent = section or up.page
