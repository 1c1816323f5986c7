"""Reading the numbers a Chinese quote states, so data values can be checked against them.

A target of 2,800,000 persons is right when its quote says 280万人; a prize of
100000 yuan is right when its quote says 10万元 or 十万元. We read every number
in the quote (Arabic or Chinese numerals, with 万/亿 multipliers applied) and
accept a value that equals one of them.
"""

from __future__ import annotations

import re

_ARABIC = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万|亿|千)?")
_CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_MULTIPLIER = {"万": 10_000, "亿": 100_000_000, "千": 1000, None: 1}


def chinese_to_int(text: str) -> int | None:
    """Parse a Chinese numeral such as 三十五, 一万二千 or 十; None if it is not one."""
    if not text or (not any(c in _DIGITS for c in text) and not text.startswith("十")):
        return None  # a bare 万 or 千 is a word, not a number
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        elif ch in _BIG_UNITS:
            section += digit or 0
            total += section * _BIG_UNITS[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def numbers_in(text: str) -> set[float]:
    """Every value the text states, with its 万/亿/千 multiplier applied (12万 → 120000)."""
    found: set[float] = set()
    for match in _ARABIC.finditer(text):
        raw = float(match.group(1).replace(",", ""))
        # 12万 states 120000 and nothing else: a value of 12 for "12万人次" is a unit mistake.
        found.add(round(raw * _MULTIPLIER[match.group(2)], 6))
    for match in _CHINESE.finditer(text):
        value = chinese_to_int(match.group())
        if value is not None:
            found.add(float(value))
    return found


def states(text: str, value: float) -> bool:
    """True when the text states ``value`` (scaled by 万/亿/千 where the text has one)."""
    return any(abs(value - n) <= 1e-6 * max(1.0, abs(n)) for n in numbers_in(text))


# --------------------------------------------------------------------------- fractions and ranges

_CN = "零〇一二两三四五六七八九十百千"
_ARABIC_FRACTION = re.compile(r"(?<![\d.])(\d+)\s*/\s*(\d+)(?![\d.])")
_CHINESE_FRACTION = re.compile(f"([{_CN}]+)分之([{_CN}]+)")
_DASH = r"\s*(?:—{1,2}|–|-|~|～|至|到)\s*"
_ARABIC_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(万|亿|千)?" + _DASH + r"(\d+(?:\.\d+)?)\s*(万|亿|千)?")
_CHINESE_RANGE = re.compile(f"([{_CN}]+)(?:到|至|—{{1,2}}|-)([{_CN}]+)")


def fractions_in(text: str) -> set[tuple[int, int]]:
    """Every fraction the text states, as (numerator, denominator): 1/3 and 三分之一 are both (1, 3).

    百分之三十 is a percentage (a number, see ``numbers_in``), not a fraction of 100.
    """
    found = {(int(a), int(b)) for a, b in _ARABIC_FRACTION.findall(text) if int(b)}
    for denominator, numerator in _CHINESE_FRACTION.findall(text):
        d, n = chinese_to_int(denominator), chinese_to_int(numerator)
        if d and n is not None and d != 100:
            found.add((n, d))
    return found


def ranges_in(text: str) -> set[tuple[float, float]]:
    """Every range the text states, as (low, high): 2—3个百分点, 2-3, 两到三, 2万—3万人 and 2—3万人."""
    found: set[tuple[float, float]] = set()
    for low, low_unit, high, high_unit in _ARABIC_RANGE.findall(text):
        # 2—3万人 means 2万 to 3万: a multiplier written once at the end applies to both ends.
        scale_high = _MULTIPLIER[high_unit or None]
        scale_low = _MULTIPLIER[low_unit or None] if low_unit else scale_high
        found.add((round(float(low) * scale_low, 6), round(float(high) * scale_high, 6)))
    for low, high in _CHINESE_RANGE.findall(text):
        a, b = chinese_to_int(low), chinese_to_int(high)
        if a is not None and b is not None:
            found.add((float(a), float(b)))
    return found


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def states_fraction(text: str, fraction: str) -> bool:
    """True when the text states ``fraction`` (written 1/3) as 1/3 or 三分之一."""
    numerator, denominator = (int(part) for part in fraction.split("/"))
    return (numerator, denominator) in fractions_in(text)


def states_range(text: str, low: float, high: float) -> bool:
    """True when the text states the range low–high (both ends, as one range)."""
    return any(_close(low, a) and _close(high, b) for a, b in ranges_in(text))
