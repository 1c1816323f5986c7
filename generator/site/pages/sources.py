"""The archived source texts, line by line, and the note on traditional-to-simplified wording."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from generator.core import models
from generator.core.catalog import Catalogue
from generator.core.sources import to_simplified
from generator.site import labels
from generator.site.pages.base import NavEntry, Page
from generator.site.render import Linker
from generator.site.urls import SOURCES_ZIP, WORDING_SRC, policy_src, source_member, source_src
from generator.site.views import Views

TEMPLATE = "source.md.j2"
WORDING_TEMPLATE = "wording.md.j2"
WORDING_EDIT = "data/wording.yaml"


def edit(pid: str) -> str:
    return f"data/sources/{pid}.txt"


def source_page(cat: Catalogue, v: Views, pid: str) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        policy = cat.policies[pid]
        source = cat.data.sources.get(pid)
        lines = source.lines() if source else []
        traditional = policy.source.script is models.Script.traditional
        simplified = to_simplified("\n".join(lines), cat.data.fixes).split("\n") if traditional else []
        return {
            "policy": v.policy_link(ln, pid),
            "title": policy.title,
            "traditional": traditional,
            "sha256": policy.source.sha256,
            "url": next((link.url for link in policy.source.links()), None),
            "lines": [
                {
                    "n": i + 1,
                    "anchor": ln.anchor(f"L{i + 1}"),
                    "text": text,
                    "simplified": simplified[i] if traditional and simplified[i] != text else None,
                }
                for i, text in enumerate(lines)
            ],
            "wording": ln.href(WORDING_SRC) if traditional else None,
            "raw": ln.asset(SOURCES_ZIP),  # the archive of every source text, this one as ``member``
            "member": source_member(pid),
        }

    return build


def wording_page(cat: Catalogue, v: Views) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        return {
            "fixes": [{"from": f.taiwan, "to": f.mainland, "why": f.why} for f in cat.data.wording],
            "policies": [
                v.policy_link(ln, p)
                for p in cat.policy_order
                if cat.policies[p].source.script is models.Script.traditional
            ],
        }

    return build


def pages(cat: Catalogue, v: Views, files: list[tuple[str, str]]) -> Iterator[Page]:
    """The source pages are left out of search and the PDF: their text is the policies' own. Each sits
    under its policy in the navigation (``Page.nav``), so its region's entry is active on it too."""
    for pid in cat.policy_order:
        yield Page(
            source_src(pid),
            TEMPLATE,
            source_page(cat, v, pid),
            f"{labels.SOURCE}：{cat.policies[pid].short_title}",
            edit=edit(pid),
            search=False,
            pdf=False,
            nav=policy_src(pid),
        )
    yield Page(WORDING_SRC, WORDING_TEMPLATE, wording_page(cat, v), labels.WORDING, edit=WORDING_EDIT)


def nav(cat: Catalogue) -> list[NavEntry]:
    return []
