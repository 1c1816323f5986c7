"""Search vocabulary: domain terms that Chinese word segmentation must keep whole.

jieba does not know 首席技师 or 新八级工 and would cut them apart; we add
every glossary term and alias, every topic name and the programme and honour
names the data uses, so that a search for the whole term finds it. The same
list is published as a jieba user dictionary for re-use.

Since issue 13 this serves the offline bundle only, whose build keeps Material's search (the
published site has its own index: generator/export/sitesearch.py). This is the build side. The reader's side
is the search worker
(docs/assets/javascripts/workers/atlas-search.js, wired in overrides/main.html):
it cuts a Chinese query with the index's own vocabulary — these terms included
— and matches each piece inside indexed words, so 技师 also finds 首席技师 and
技能大赛 finds 世界技能大赛, which a word index alone would miss.
"""

from __future__ import annotations

import re

from generator.core.catalog import Catalogue

_SPLIT = re.compile(r"[“”\"《》（）()、，,：:\s/]+")
# Programme and honour names are quoted in the texts: “技能中国行动”, “天府工匠” …
_QUOTED = re.compile(r"“([\u4e00-\u9fff]{2,12})”")


def domain_terms(cat: Catalogue) -> list[str]:
    terms: set[str] = set()
    for term in cat.glossary.values():
        terms.update(w for w in [term.term, *term.aliases] if len(w) >= 2)
    for topic in cat.topics.values():
        terms.update(part for part in _SPLIT.split(topic.name) if 2 <= len(part) <= 12)
    for metric in cat.metrics.values():
        terms.update(part for part in _SPLIT.split(metric.name) if 2 <= len(part) <= 8)
    for ref in cat.measures:
        for quote in ref.measure.quotes:
            terms.update(_QUOTED.findall(quote))
    return sorted(t for t in terms if re.fullmatch(r"[\u4e00-\u9fff0-9A-Za-z·]+", t))


def user_dictionary(cat: Catalogue) -> str:
    """jieba's user-dictionary format: one 'word frequency' per line, sorted."""
    return "".join(f"{word} 100000\n" for word in domain_terms(cat))


def register_terms(cat: Catalogue) -> int:
    """Teach the process-wide jieba (which Material's search plugin uses) our terms."""
    try:
        import jieba
    except ImportError:  # pragma: no cover - jieba is a pinned dependency
        return 0
    words = domain_terms(cat)
    for word in words:
        if word not in _REGISTERED:
            jieba.add_word(word, freq=100000)
            _REGISTERED.add(word)
    return len(words)


# Words already given to jieba in this process. add_word() also adds the frequency to jieba's
# total, which every segmentation divides by: adding the same words again on each `mkdocs serve`
# rebuild would shift how the whole site is segmented, rebuild after rebuild.
_REGISTERED: set[str] = set()
