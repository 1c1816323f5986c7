"""One page listing every document the policies implement or cite that is not itself in the atlas.

It was a page per document: 1,307 pages at 5,000 policies, each a few lines under the site's chrome
(13 MB). A policy's relation now links the document's entry on this page (``references/#<slug>``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from generator.core.catalog import Catalogue
from generator.site import labels
from generator.site.pages.base import NavEntry, Page
from generator.site.render import Linker
from generator.site.urls import CONTRIBUTE_SRC, REFERENCES_SRC
from generator.site.views import Views

TEMPLATE = "reference.md.j2"


def references_page(cat: Catalogue, v: Views) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        # In the order of the policies that name them: a document's place does not hang on its title.
        position = {pid: i for i, pid in enumerate(cat.policy_order)}
        docs = sorted(
            cat.external.items(),
            key=lambda item: ([(position.get(pid, len(position)), kind) for pid, kind in item[1].cited_by], item[0]),
        )
        return {
            "docs": [
                {
                    "doc": doc,
                    "anchor": ln.anchor(slug),
                    "cited_by": [
                        v.policy_link(ln, pid) | {"relation": labels.RELATION_LABELS[kind]}
                        for pid, kind in doc.cited_by
                    ],
                }
                for slug, doc in docs
            ],
            "contribute": ln.href(CONTRIBUTE_SRC),
        }

    return build


def pages(cat: Catalogue, v: Views, files: list[tuple[str, str]]) -> Iterator[Page]:
    if cat.external:
        yield Page(REFERENCES_SRC, TEMPLATE, references_page(cat, v), labels.REFERENCES, search=False, pdf=False)


def nav(cat: Catalogue) -> list[NavEntry]:
    return []
