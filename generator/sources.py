"""Archived source texts and finding quotes in them.

Quotes are checked after removing whitespace (the archives were scraped from
web pages, so line breaks and spaces are noise). A Traditional-script archive
is first converted to Simplified Chinese with OpenCC's ``tw2s`` profile
(characters only: its phrase profile tw2sp also rewrites mainland words such as 建立→创建 and 新增→添加, so it is not used) and then with the project's short,
documented list of wording fixes (``data/wording.yaml``). The conversion is
done segment by segment, splitting at punctuation, so that every character
of the converted text still knows where it came from in the original: a
reader can always be shown the exact original span of a displayed quote.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
# Conversion never changes punctuation, and OpenCC phrases never span it, so
# converting between punctuation gives the same result as converting at once.
_SEGMENT = re.compile(r"[^\s，。；：、！？,.;:!?（）()“”《》「」\[\]]+|.", re.S)


def normalise(text: str) -> str:
    """Drop every kind of whitespace, the only difference a scrape may introduce."""
    return _INVISIBLE.sub("", text)


def sha256_text(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=1)
def _opencc():
    import opencc  # imported lazily: only Traditional sources need it

    return opencc.OpenCC("tw2s")


def to_simplified(text: str, fixes: Iterable[tuple[str, str]] = ()) -> str:
    """Traditional → Simplified characters (tw2s), then the documented Taiwan→mainland wording fixes."""
    out = _opencc().convert(text)
    for taiwan, mainland in fixes:
        out = out.replace(taiwan, mainland)
    return out


@dataclass(frozen=True)
class Span:
    """Where a quote stands in the archived original (character offsets, 1-based lines)."""

    start: int
    end: int
    line: int
    end_line: int
    original: str


class SourceText:
    """An archived source, searchable in the script readers see (Simplified)."""

    def __init__(self, original: str, traditional: bool = False, fixes: Iterable[tuple[str, str]] = ()):
        self.original = original
        self.traditional = traditional
        fixes = tuple(fixes)
        chars: list[str] = []
        origin: list[int] = []  # for each normalised char: start offset of its original segment
        origin_end: list[int] = []
        if traditional:
            segments = [(m.start(), m.end(), m.group()) for m in _SEGMENT.finditer(original)]
            texts = [s[2] for s in segments]
            # One OpenCC call for the whole text joined by a separator it never touches is
            # much faster than one call per segment.
            converted = _opencc().convert("\n".join(t if not t.isspace() else " " for t in texts)).split("\n")
            if len(converted) != len(segments):  # pragma: no cover - defensive
                converted = [_opencc().convert(t) for t in texts]
            for (start, end, _), seg in zip(segments, converted):
                for taiwan, mainland in fixes:
                    seg = seg.replace(taiwan, mainland)
                seg = normalise(seg)
                chars.append(seg)
                origin.extend([start] * len(seg))
                origin_end.extend([end] * len(seg))
            self.text = "".join(chars)
        else:
            positions = [m.start() for m in re.finditer(r"[^\s\u200b\u200c\u200d\u2060\ufeff]", original)]
            self.text = "".join(original[i] for i in positions)
            origin = positions
            origin_end = [i + 1 for i in positions]
        self._origin = origin
        self._origin_end = origin_end
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", original)]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._line_starts, offset)

    def find(self, quote: str) -> Optional[Span]:
        """Locate a (Simplified) quote; None if it is not in the source."""
        needle = normalise(quote)
        if not needle:
            return None
        at = self.text.find(needle)
        if at < 0:
            return None
        start = self._origin[at]
        end = self._origin_end[at + len(needle) - 1]
        return Span(start, end, self.line_of(start), self.line_of(max(start, end - 1)), self.original[start:end])

    def contains(self, quote: str) -> bool:
        return normalise(quote) in self.text if quote else False

    def lines(self) -> list[str]:
        return self.original.split("\n")
