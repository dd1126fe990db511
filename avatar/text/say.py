"""Saying parsed numbers in a language: the helpers every rule module uses.

Functions return ``None`` when the language has no speller, so rules can
decline and leave the digits for the speech engine.
"""

from __future__ import annotations

import re

from .lang import Language
from .numparse import MAX_DIGITS, Num, parse_number


def number(text: str, lang: Language) -> Num | None:
    """Parse ``text`` with ``lang``'s decimal separator."""
    return parse_number(text, lang.decimal_sep)


def cardinal(n: int, lang: Language) -> str | None:
    """``n`` in words, or ``None`` without a speller."""
    if lang.speller is None:
        return None
    if len(str(abs(n))) > MAX_DIGITS:
        return digits(str(abs(n)), lang)
    return lang.speller.cardinal(n)


def ordinal(n: int, lang: Language, feminine: bool = False) -> str | None:
    """``n`` as an ordinal ("twenty-third"), feminine where the language marks it."""
    if lang.speller is None or len(str(n)) > MAX_DIGITS:
        return None
    words = lang.speller.ordinal(n)
    if feminine:
        for pattern, replacement in lang.feminine:
            words = " ".join(re.sub(pattern, replacement, word) for word in words.split())
    return words


def year(n: int, lang: Language) -> str | None:
    """``n`` read as a calendar year ("nineteen ninety-nine")."""
    return None if lang.speller is None else lang.speller.year(n)


def digits(text: str, lang: Language) -> str | None:
    """Each digit of ``text`` on its own: ``"015"`` -> ``"zero one five"``."""
    if lang.speller is None:
        return None
    return " ".join(lang.speller.cardinal(int(char)) for char in text if char.isdigit())


def quantity(num: Num, lang: Language) -> str | None:
    """A parsed number in words: ``12.5`` -> ``"twelve point five"``."""
    whole = cardinal(num.whole, lang)
    point = lang.word("point")
    if whole is None or (num.frac and point is None):
        return None
    words = f"{lang.word('minus') or '-'} {whole}" if num.negative else whole
    if not num.frac:
        return words
    if lang.fraction_digitwise or num.frac.startswith("0") or len(num.frac) > 3:
        fraction = digits(num.frac, lang)
    else:
        fraction = cardinal(int(num.frac), lang)
    return f"{words} {point} {fraction}"


def case_ending(before: str, lang: Language) -> str:
    """The ending an ordinal takes after the word before it (German "am" -> "-n")."""
    previous = re.findall(r"\w+", before[-20:])
    return lang.ordinal_after.get(previous[-1].lower(), "") if previous else ""


def before_noun(words: str, lang: Language) -> str:
    """The form a number takes before a noun: Spanish "uno" -> "un" euro."""
    for pattern, replacement in lang.before_noun:
        words = re.sub(pattern, replacement, words)
    return words


def counted(num: Num, forms: tuple[str, str], lang: Language) -> str | None:
    """A number and a noun agreeing with it: ``1 kg`` -> ``"one kilogram"``."""
    words = quantity(num, lang)
    if words is None:
        return None
    noun = forms[0] if num.is_one else forms[1]
    return f"{before_noun(words, lang)} {noun}"
