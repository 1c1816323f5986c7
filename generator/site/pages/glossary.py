"""The glossary: each term, its definition and where it occurs."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from generator.core.catalog import Catalogue, MeasureRef
from generator.core.pinyin import pinyin_key
from generator.site import labels
from generator.site.pages.base import NavEntry, NavLink, Page
from generator.site.render import Linker, one_line, script_data
from generator.site.urls import GLOSSARY_SRC
from generator.site.views import Views

TEMPLATE = "glossary.md.j2"
EDIT = "data/glossary.yaml"
# The glossary lists where each term occurs, up to this many measures (the first, in date order):
# a whole country's atlas would put tens of thousands of links under 技能人才 on one page. With
# 100 the page weighed 1.7 MB at 1,000 policies; the search finds every other occurrence.
GLOSSARY_LIMIT = 20


def glossary_page(cat: Catalogue, v: Views) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        occurrences: dict[str, list[MeasureRef]] = {t: [] for t in cat.glossary}
        for ref in cat.measures:
            text = ref.measure.summary + "".join(ref.measure.quotes) + ref.measure.title
            for tid in sorted(cat.terms.terms_in(text)):
                occurrences[tid].append(ref)
        terms = sorted(cat.glossary.values(), key=lambda t: pinyin_key(t.term))  # as a Chinese reader looks up
        return {
            "letters": initial_index(ln, [(t.id, t.term) for t in terms]),
            "terms": [
                {
                    "id": t.id,
                    "anchor": ln.anchor(t.id),
                    "term": t.term,
                    "aliases": t.aliases,
                    "en": t.en or "",
                    "definition": t.definition,
                    "topics": [v.topic_link(ln, x) for x in t.topics if x in cat.topics],
                    "occurrences": [v.measure_link(ln, r) for r in occurrences[t.id][:GLOSSARY_LIMIT]],
                    "count": len(occurrences[t.id]),
                }
                for t in terms
            ],
        }

    return build


def tips_script(cat: Catalogue) -> bytes:
    """Every term's definition by its id (the fragment of a glossary link), for the tooltips atlas.js
    shows: one file the browser caches, instead of the definitions written into every page."""
    return script_data("ATLAS_TERMS", {t.id: one_line(t.definition) for t in cat.glossary.values()})


def initial(term: str) -> str:
    """The letter a term is filed under: its first syllable's initial, A–Z ("#" for anything else)."""
    first = pinyin_key(term)[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def initial_index(ln: Linker, terms: list[tuple[str, str]]) -> list[dict]:
    """The initial-letter index above the glossary: each letter that occurs, linking its first term
    (``terms``: (id, term) in pinyin order)."""
    letters: list[dict] = []
    for tid, term in terms:
        letter = initial(term)
        if not letters or letters[-1]["letter"] != letter:
            letters.append({"letter": letter, "href": ln.href(GLOSSARY_SRC, tid), "count": 0})
        letters[-1]["count"] += 1
    return letters


def pages(cat: Catalogue, v: Views, files: list[tuple[str, str]]) -> Iterator[Page]:
    yield Page(GLOSSARY_SRC, TEMPLATE, glossary_page(cat, v), labels.GLOSSARY, edit=EDIT)


def nav(cat: Catalogue) -> list[NavEntry]:
    return [NavLink(labels.GLOSSARY, GLOSSARY_SRC)]
