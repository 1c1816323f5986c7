"""Pinyin order for Chinese terms: the order a Chinese reader looks a word up in.

Python's own ``sorted`` puts Chinese strings in code-point order, which is no
order a reader knows. The glossary of the PDF is sorted by ``pinyin_key``, and
the site can use the same function, so both list terms the same way.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=4096)
def pinyin_key(text: str) -> str:
    """A sort key: each character's toneless pinyin with its tone number, then the text itself.

    ``"技能"`` → ``"ji4 neng2 \\x00技能"``. Tone numbers after the syllable keep 汤 (tang1)
    before 唐 (tang2); the text at the end breaks ties between homophones, so the order is
    total and the same on every machine. Latin letters and digits are kept, lower-cased.
    """
    syllables = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: list(s))  # type: ignore[arg-type,return-value]  # a callable may return a list
    return " ".join(s.lower() for s in syllables) + " \x00" + text
