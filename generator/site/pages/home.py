"""The home page: the counts, the themes, the regions and the latest policies."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from generator.core.catalog import Catalogue, policy_date
from generator.site import labels
from generator.site.pages.base import NavEntry, NavLink, Page
from generator.site.render import Linker
from generator.site.split import policies_by_province, policy_list_is_split
from generator.site.urls import (
    CONTRIBUTE_SRC,
    DOWNLOADS_SRC,
    GLOSSARY_SRC,
    HOME_SRC,
    MONEY_SRC,
    PDF_PATH,
    POLICIES_SRC,
    REGIONS_SRC,
    TARGETS_SRC,
    THEMES_SRC,
)
from generator.site.views import Views, coverage_map, custom_compare_link

TEMPLATE = "home.md.j2"
# Once the policy list is split (split.POLICY_LIST_LIMIT), the home page shows the latest this many
# policies and the provinces rather than every policy and region.
HOME_TIMELINE = 50


def home_page(cat: Catalogue, v: Views) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        large = policy_list_is_split(cat)
        latest = list(reversed(cat.policy_order))[:HOME_TIMELINE] if large else list(reversed(cat.policy_order))
        timeline = [
            v.policy_link(ln, pid) | {"date": (policy_date(cat.policies[pid]) or "").__str__()} for pid in latest
        ]
        if large:  # the provinces (national level included), counting the policies of every region in them
            regions = [v.region_link(ln, r) | {"policies": len(pids)} for r, pids in policies_by_province(cat).items()]
        else:
            regions = [
                v.region_link(ln, r) | {"policies": len(cat.policies_by_region[r])} for r in cat.regions_with_policies()
            ]
        return {
            "counts": cat.counts(),
            "themes": [
                v.theme_link(ln, t)
                | {
                    "description": cat.themes[t].description,
                    "measures": len(cat.by_theme.get(t, [])),
                    "regions": len(cat.regions_in_theme(t)),
                    "core": cat.themes[t].core,
                }
                for t in cat.theme_order
            ],
            "regions": regions,
            "coverage": coverage_map(cat, ln, cat.measures, "各省措施数（含所辖市县）"),
            "regions_are_provinces": large,
            "timeline": timeline,
            "timeline_more": len(cat.policies) - len(timeline),
            "links": {
                "themes": ln.href(THEMES_SRC),
                "regions": ln.href(REGIONS_SRC),
                "policies": ln.href(POLICIES_SRC),
                "targets": ln.href(TARGETS_SRC),
                "custom": custom_compare_link(ln),
                "money": ln.href(MONEY_SRC),
                "glossary": ln.href(GLOSSARY_SRC),
                "downloads": ln.href(DOWNLOADS_SRC),
                "contribute": ln.href(CONTRIBUTE_SRC),
                "pdf": ln.asset(PDF_PATH),
            },
        }

    return build


def pages(cat: Catalogue, v: Views, files: list[tuple[str, str]]) -> Iterator[Page]:
    yield Page(HOME_SRC, TEMPLATE, home_page(cat, v), labels.SITE_TITLE)


def nav(cat: Catalogue) -> list[NavEntry]:
    return [NavLink(labels.HOME, HOME_SRC)]
