"""Numbers to words: English by hand, other languages through num2words.

Every speller answers ``cardinal``, ``ordinal`` and ``year`` for integers;
callers keep numbers too long to say (more than 15 digits) as digit strings.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

MAX_SAYABLE = 10**15

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
_IRREGULAR_ORDINALS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


class Speller(Protocol):
    """Says integers in one language."""

    def cardinal(self, n: int) -> str: ...

    def ordinal(self, n: int) -> str: ...

    def year(self, n: int) -> str: ...


class EnglishSpeller:
    """US English: no "and" after hundred, hyphenated tens ("twenty-four")."""

    def cardinal(self, n: int) -> str:
        """``1299`` -> ``"one thousand two hundred ninety-nine"``."""
        if n < 0:
            return "minus " + self.cardinal(-n)
        if n < 1000:
            return _under_thousand(n)
        words: list[str] = []
        for scale, name in _SCALES:
            if n >= scale:
                words += [self.cardinal(n // scale), name]
                n %= scale
        if n:
            words.append(_under_thousand(n))
        return " ".join(words)

    def ordinal(self, n: int) -> str:
        """``23`` -> ``"twenty-third"``."""
        words = self.cardinal(n)
        head, _, last = words.rpartition(" ")
        stem, dash, unit = last.rpartition("-")
        if unit in _IRREGULAR_ORDINALS:
            unit = _IRREGULAR_ORDINALS[unit]
        elif unit.endswith("y"):
            unit = unit[:-1] + "ieth"
        else:
            unit += "th"
        return f"{head} {stem}{dash}{unit}".strip()

    def year(self, n: int) -> str:
        """``1999`` -> ``"nineteen ninety-nine"``, ``2005`` -> ``"two thousand five"``."""
        if not 1000 <= n <= 9999 or n % 1000 == 0 or 2000 < n < 2010:
            return self.cardinal(n)
        high, low = divmod(n, 100)
        if low == 0:
            return f"{self.cardinal(high)} hundred"
        if low < 10:
            return f"{self.cardinal(high)} oh {_ONES[low]}"
        return f"{self.cardinal(high)} {self.cardinal(low)}"


def _under_thousand(n: int) -> str:
    words: list[str] = []
    if n >= 100:
        words += [_ONES[n // 100], "hundred"]
        n %= 100
    if n >= 20:
        words.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n or not words:
        words.append(_ONES[n])
    return " ".join(words)


class NumWordsSpeller:
    """Any language num2words knows; falls back to digits when it fails."""

    def __init__(self, code: str, says_years: bool = True) -> None:
        self.code = code
        self.says_years = says_years

    def cardinal(self, n: int) -> str:
        return _num2words(n, self.code, "cardinal")

    def ordinal(self, n: int) -> str:
        return _num2words(n, self.code, "ordinal")

    def year(self, n: int) -> str:
        return _num2words(n, self.code, "year" if self.says_years else "cardinal")


@lru_cache(maxsize=4096)
def _num2words(n: int, code: str, to: str) -> str:
    try:
        from num2words import num2words
    except ImportError:  # the package is optional: digits are still readable
        return str(n)
    try:
        return " ".join(str(num2words(n, lang=code, to=to)).replace(",", " ").split())
    except Exception:  # num2words raises many types for values it cannot say
        return str(n)


def num2words_languages() -> frozenset[str]:
    """Language codes num2words has a converter for (empty when not installed)."""
    try:
        from num2words import CONVERTER_CLASSES
    except ImportError:
        return frozenset()
    return frozenset(CONVERTER_CLASSES)
