"""A policy's page and the policy list (split by province in a large atlas: ``split.policy_list_parts``).

A policy page sits in its region's place in the navigation: the region's entry is active on it
(``Page.nav``), a breadcrumb leads up through the province, and previous/next links walk the region's
policies in date order. The policy list is a static table, newest first, that reads without
JavaScript; ``docs/assets/policy-list.js`` makes its columns sortable and adds the filters (region,
theme, year) whose options the page lists here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from generator.core import models
from generator.core.catalog import Catalogue, external_slug, policy_date
from generator.site import labels
from generator.site.labels import NOTE_KIND_LABELS, SCRIPT_LABELS, STATUS_LABELS
from generator.site.pages.base import NavEntry, NavLink, Page
from generator.site.pages.regions import nav_region_of, nav_regions
from generator.site.render import Linker
from generator.site.split import policies_by_province, policy_list_parts
from generator.site.urls import (
    POLICIES_CSV,
    POLICIES_SRC,
    POLICY_LIST_JS,
    REFERENCES_SRC,
    WORDING_SRC,
    policy_list_src,
    policy_src,
    region_src,
    source_src,
)
from generator.site.views import Views, note_anchor, source_links, uncertain_flags

FIGURE_KINDS = ("targets", "statistics", "amounts", "credits")  # a measure view's figure tables
TEMPLATE = "policy.md.j2"
INDEX_TEMPLATE = "policies_index.md.j2"
# Once the policy list is split (split.POLICY_LIST_LIMIT), its own page lists the provinces and the
# latest this many policies.
POLICY_LIST_LATEST = 100


def edit(pid: str) -> str:
    return f"data/policies/{pid}.yaml"


def _relation_view(v: Views, ln: Linker, rel: models.Relation, resolved: str | None = None) -> dict:
    """A related document: a link to its policy page when the atlas holds it — named by id, or by an
    external reference whose number or title matches (``resolved``) — else to its stub page."""
    pid = rel.policy or resolved
    if pid:
        return v.policy_link(ln, pid) | {"external": False}
    ref = rel.ref
    assert ref is not None  # the model requires a policy id or a reference
    return {
        "href": ln.href(REFERENCES_SRC, external_slug(ref.title)),
        "text": ref.title,
        "doc_number": ref.doc_number or "",
        "issuer": ref.issuer or "",
        "external": True,
    }


def policy_page(cat: Catalogue, v: Views, pid: str) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        policy = cat.policies[pid]
        refs = cat.by_policy.get(pid, [])
        d = policy.dates
        dates = [(label, str(getattr(d, key))) for key, label in labels.DATE_LABELS if getattr(d, key)]
        notes = [
            {
                "kind": NOTE_KIND_LABELS[n.kind.value],
                "note": n.note,
                "anchor": ln.anchor(note_anchor(n.id)) if n.id else None,
                "evidence": v.quote_view(ln, policy, n.evidence),
                "urls": [{"href": u.url, "title": u.title, "retrieved": str(u.retrieved)} for u in n.urls],
                "measure": ({"href": ln.href(policy_src(pid), n.measure), "text": n.measure} if n.measure else None),
            }
            for n in policy.notes
        ]
        measures = [v.measure_view(ln, r) for r in refs]
        return {
            "policy": policy,
            "anchor": ln.anchor,
            "pager": pager(cat, v, ln, pid),
            "region": v.region_link(ln, policy.region),
            "region_chain": [v.region_link(ln, a) for a in cat.ancestors(policy.region)],
            "status_label": STATUS_LABELS[policy.status.value],
            "script_label": SCRIPT_LABELS[policy.source.script.value],
            "dates": dates,
            "source_href": ln.href(source_src(pid)),
            "source_links": source_links(policy),
            "uncertain": uncertain_flags(ln, policy),
            "implements": [
                _relation_view(v, ln, r, cat.resolved.get((pid, "implements", j)))
                for j, r in enumerate(policy.implements)
            ],
            "cites": [
                _relation_view(v, ln, r, cat.resolved.get((pid, "cites", j))) for j, r in enumerate(policy.cites)
            ],
            "calls_for": [
                _relation_view(v, ln, r, cat.resolved.get((pid, "calls_for", j)))
                for j, r in enumerate(policy.calls_for)
            ],
            "implemented_by": [v.policy_link(ln, p) for p in cat.implemented_by.get(pid, [])],
            "cited_by": [v.policy_link(ln, p) for p in cat.cited_by.get(pid, [])],
            "superseded_by": v.policy_link(ln, policy.superseded_by) if policy.superseded_by in cat.policies else None,
            "supersedes": [v.policy_link(ln, p) for p in cat.superseding.get(pid, [])],
            "measures": measures,
            # The policy's figures in one table each, from its measures' rows; a table repeats the words
            # a figure is quoted from only if some figure is not marked in its measure's quote above.
            **{kind: [row for m in measures for row in m[kind]] for kind in FIGURE_KINDS},
            "phrases": {kind: any(m["phrases"][kind] for m in measures) for kind in FIGURE_KINDS},
            "notes": notes,
            "traditional": policy.source.script is models.Script.traditional,
            "wording": ln.href(WORDING_SRC) if policy.source.script is models.Script.traditional else None,
        }

    return build


def pager(cat: Catalogue, v: Views, ln: Linker, pid: str) -> dict | None:
    """The previous and next policy of the same region, in date order; None when it has no other."""
    region = cat.policies[pid].region
    siblings = cat.policies_by_region.get(region, [])
    if len(siblings) < 2:
        return None
    at = siblings.index(pid)

    def link(other: str) -> dict:
        return v.policy_link(ln, other) | {"date": str(policy_date(cat.policies[other]) or labels.DATE_UNKNOWN)}

    return {
        "region": v.region_name(region),
        "position": at + 1,
        "count": len(siblings),
        "prev": link(siblings[at - 1]) if at > 0 else None,
        "next": link(siblings[at + 1]) if at + 1 < len(siblings) else None,
    }


def newest_first(cat: Catalogue, pids: list[str]) -> list[str]:
    """Policies newest first (``pids`` in the catalogue's date order), those without a date last."""
    dated = [p for p in pids if policy_date(cat.policies[p])]
    return list(reversed(dated)) + [p for p in pids if not policy_date(cat.policies[p])]


def policies_index(cat: Catalogue, v: Views, province: str | None = None) -> Callable[[Linker], dict]:
    """The policy list — or, in a large atlas, its own page (the provinces and the latest policies)
    and one page per province (``province``) with every policy of its regions."""

    def build(ln: Linker) -> dict:
        parts = policy_list_parts(cat) if province is None else []
        groups = policies_by_province(cat) if province is not None or parts else {}
        if province is not None:
            pids = newest_first(cat, groups[province])
        elif parts:
            pids = newest_first(cat, cat.policy_order)[:POLICY_LIST_LATEST]
        else:
            pids = newest_first(cat, cat.policy_order)
        return {
            "rows": [policy_row(cat, v, ln, pid) for pid in pids],
            "filters": list_filters(cat, v, pids),
            "app_js": ln.asset(POLICY_LIST_JS),
            "csv": ln.asset(POLICIES_CSV),
            "province": v.region_name(province) if province else "",
            "hub": ln.href(POLICIES_SRC) if province else None,
            "latest": len(pids) if parts else 0,
            "total": len(cat.policies),
            "parts": [
                v.region_link(ln, p) | {"href": ln.href(policy_list_src(p)), "policies": len(groups[p])} for p in parts
            ],
        }

    return build


def _themes_of(cat: Catalogue, pid: str) -> list[str]:
    measures = cat.policies[pid].measures
    return [t for t in cat.theme_order if any(t in m.themes for m in measures)]


def policy_row(cat: Catalogue, v: Views, ln: Linker, pid: str) -> dict:
    """One row of the policy list; ``regions`` (the region and those above it), ``theme_ids`` and
    ``year`` are what the filters match, ``region_sort`` orders the region column as the site does."""
    p = cat.policies[pid]
    when = policy_date(p)
    return v.policy_link(ln, pid) | {
        "date": str(when or ""),
        "date_text": str(when or labels.DATE_UNKNOWN),
        "year": str(when.year) if when else "",
        "doc_type": p.doc_type.value,
        "doc_number": p.doc_number or "",
        "region_link": v.region_link(ln, p.region),
        "measures": len(p.measures),
        "regions": " ".join([*cat.ancestors(p.region), p.region]),
        "region_sort": "".join(cat.region_sort_key(p.region)),
        "theme_ids": " ".join(_themes_of(cat, pid)),
    }


def list_filters(cat: Catalogue, v: Views, pids: list[str]) -> dict:
    """The filters' options for the rows ``pids``: their regions and the regions above them (each
    indented under its parent, as the navigation nests them; choosing a province keeps its cities'
    policies too), the themes they touch and their years, newest first."""
    regions: set[str] = set()
    themes: set[str] = set()
    years: set[str] = set()
    for pid in pids:
        p = cat.policies[pid]
        regions.update(
            a
            for a in [*cat.ancestors(p.region), p.region]
            if a == p.region or cat.regions[a].level is not models.Level.national
        )
        themes.update(_themes_of(cat, pid))
        when = policy_date(p)
        if when:
            years.add(str(when.year))

    def depth(rid: str) -> int:
        return sum(1 for a in cat.ancestors(rid) if a in regions and cat.regions[a].level is not models.Level.national)

    return {
        "regions": [
            {"id": r, "text": v.region_name(r), "indent": "\u3000" * depth(r)}
            for r in sorted(regions, key=cat.region_sort_key)
        ],
        "themes": [{"id": t, "text": cat.themes[t].name} for t in cat.theme_order if t in themes],
        "years": sorted(years, reverse=True),
    }


def pages(cat: Catalogue, v: Views, files: list[tuple[str, str]]) -> Iterator[Page]:
    # wide: the list has no headings, so the table of contents' column goes to the table
    yield Page(POLICIES_SRC, INDEX_TEMPLATE, policies_index(cat, v), labels.POLICIES, wide=True)
    for province in policy_list_parts(cat):
        yield Page(
            policy_list_src(province),
            INDEX_TEMPLATE,
            policies_index(cat, v, province),
            f"{labels.POLICIES} · {cat.regions[province].name}",
            nav=POLICIES_SRC,
            wide=True,
        )
    listed = set(nav_regions(cat))
    for pid in cat.policy_order:
        yield Page(
            policy_src(pid),
            TEMPLATE,
            policy_page(cat, v, pid),
            cat.policies[pid].short_title,
            edit=edit(pid),
            nav=region_nav(cat, listed, pid),
        )


def region_nav(cat: Catalogue, listed: set[str], pid: str) -> str | None:
    """The navigation entry a policy's page belongs to (its archived source's, through it): its region's,
    or its nearest listed ancestor's (``regions.nav_region_of``)."""
    rid = nav_region_of(cat, listed, cat.policies[pid].region)
    return region_src(rid) if rid else None


def nav(cat: Catalogue) -> list[NavEntry]:
    """The policy list only, as a page of its own (a section would show empty): Material renders the whole
    nav into every page, so the policies are reached from the list and from their regions' entries."""
    return [NavLink(labels.POLICIES, POLICIES_SRC)]
