"""A page per document the policies implement or cite that is not itself in the atlas."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from generator.core.catalog import Catalogue
from generator.site import labels
from generator.site.pages.base import NavEntry, Page
from generator.site.render import Linker
from generator.site.urls import CONTRIBUTE_SRC, reference_src
from generator.site.views import Views

TEMPLATE = "reference.md.j2"


def reference_page(cat: Catalogue, v: Views, slug: str) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        doc = cat.external[slug]
        return {
            "doc": doc,
            "cited_by": [
                v.policy_link(ln, pid) | {"relation": labels.RELATION_LABELS[kind]} for pid, kind in doc.cited_by
            ],
            "contribute": ln.href(CONTRIBUTE_SRC),
        }

    return build


def pages(cat: Catalogue, v: Views, files: list[tuple[str, str]]) -> Iterator[Page]:
    for slug in cat.external:
        yield Page(
            reference_src(slug),
            TEMPLATE,
            reference_page(cat, v, slug),
            cat.external[slug].title,
            search=False,
            pdf=False,
        )


def nav(cat: Catalogue) -> list[NavEntry]:
    return []
