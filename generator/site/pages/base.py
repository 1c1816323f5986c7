"""What a page kind gives the rest of the site: its pages, and its place in the navigation."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from generator.core.catalog import Catalogue
from generator.site.render import Linker
from generator.site.views import Views


@dataclass
class Page:
    src: str  # source path, e.g. "policies/xinxiang-2023-high-skilled-talent.md"
    template: str
    build: Callable[[Linker], dict]  # the template context, for a given kind of links
    title: str
    edit: str | None = None  # data file behind the page, for "edit this page"
    search: bool = True  # excluded from the search index when False
    pdf: bool = True  # part of the PDF
    wide: bool = False  # side-by-side tables: no table of contents, so the content area takes its width
    # The navigation entry (its source path) a page outside the navigation belongs to — a policy's region,
    # the policy list for its province pages: that entry is shown active on the page.
    nav: str | None = None


@dataclass(frozen=True)
class NavLink:
    """A page in the navigation, under its title (a name from the data, as plain text)."""

    title: str
    src: str


@dataclass(frozen=True)
class NavSection:
    """A section of the navigation: its index page (titled by the page itself), then its entries
    (links, or sections of their own: a province with its cities)."""

    title: str
    index: str
    links: list[NavEntry] = field(default_factory=list)


NavEntry = NavLink | NavSection


class PageKind(Protocol):
    """A module of ``generator.site.pages`` (home, themes, …): one kind of page, or a few that belong
    together (a list and its items)."""

    def pages(self, cat: Catalogue, v: Views, files: list[tuple[str, str]]) -> Iterable[Page]:
        """Every page of this kind, in site order. ``files``: the downloads, (path, description)."""
        ...

    def nav(self, cat: Catalogue) -> list[NavEntry]:
        """Its entries in the navigation: sections and index pages only, never one per policy —
        Material renders the whole navigation into every page."""
        ...
