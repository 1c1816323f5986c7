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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_VISIBLE_RUN = re.compile(r"[^\s\u200b\u200c\u200d\u2060\ufeff]+")
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
    fixes: tuple[tuple[str, str], ...] = ()  # the wording fixes (from, to) the quote needed to match, shown on its page


class SourceText:
    """An archived source, searchable in the script readers see (Simplified).

    Where each character of the searchable text came from is kept as a table of runs
    (searchable offset → original span), not one entry per character: for a few thousand
    archives, per-character lists of offsets took hundreds of megabytes.
    """

    def __init__(self, original: str, traditional: bool = False, fixes: Iterable[tuple[str, str]] = ()):
        self.original = original
        self.traditional = traditional
        fixes = tuple(fixes)
        self.fixes = fixes
        chars: list[str] = []
        # Run k starts at searchable offset _run_at[k]. Simplified text: its characters are the original's
        # from _run_start[k] on, one for one. Traditional text: they all come from the original segment
        # [_run_start[k], _run_end[k]) that was converted as a whole.
        run_at: list[int] = []
        run_start: list[int] = []
        run_end: list[int] = []
        length = 0
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
                if seg:
                    chars.append(seg)
                    run_at.append(length)
                    run_start.append(start)
                    run_end.append(end)
                    length += len(seg)
        else:
            for match in _VISIBLE_RUN.finditer(original):
                chars.append(match.group())
                run_at.append(length)
                run_start.append(match.start())
                length += match.end() - match.start()
        self.text = "".join(chars)
        self._run_at = run_at
        self._run_start = run_start
        self._run_end = run_end
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", original)]

    def _origin(self, at: int) -> tuple[int, int]:
        """The original span of the searchable character at ``at``."""
        k = bisect.bisect_right(self._run_at, at) - 1
        if self.traditional:
            return self._run_start[k], self._run_end[k]
        start = self._run_start[k] + at - self._run_at[k]
        return start, start + 1

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._line_starts, offset)

    def find(self, quote: str) -> Span | None:
        """Locate a (Simplified) quote; None if it is not in the source."""
        needle = normalise(quote)
        if not needle:
            return None
        at = self.text.find(needle)
        if at < 0:
            return None
        start = self._origin(at)[0]
        end = self._origin(at + len(needle) - 1)[1]
        original = self.original[start:end]
        return Span(
            start,
            end,
            self.line_of(start),
            self.line_of(max(start, end - 1)),
            original,
            self._relied_on(needle, original),
        )

    def _relied_on(self, needle: str, original: str) -> tuple[tuple[str, str], ...]:
        """The wording fixes without which ``needle`` would not match its original span.

        A fix rewrites the searchable text, so a quote that matches only thanks to one is partly the
        project's words: readers are told which (issue 17: a fix once made any sentence "verbatim").
        """
        if not self.traditional or not self.fixes:
            return ()
        plain = normalise(_opencc().convert(original))
        if needle in plain:
            return ()
        return tuple((a, b) for a, b in self.fixes if a in plain and b in needle)

    def lines(self) -> list[str]:
        return self.original.split("\n")
