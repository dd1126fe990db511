"""Rules for prices: symbols and ISO codes, cents, ranges, "/mo" suffixes."""

from __future__ import annotations

import re
from functools import lru_cache

from . import say
from .lang import Language
from .numparse import Num
from .rules import NUM, RANGE_DASH, Context, Rule, alternation, make_rule

SYMBOLS = {
    "US$": "USD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "Rs.": "INR",
    "C$": "CAD",
    "CA$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "R$": "BRL",
    "₩": "KRW",
    "₽": "RUB",
    "₺": "TRY",
    "₪": "ILS",
    "₱": "PHP",
    "฿": "THB",
    "zł": "PLN",
}
CODES = frozenset(
    "USD EUR GBP JPY INR CNY CAD AUD NZD HKD CHF BRL MXN CLP COP ARS KRW RUB TRY PLN ILS PHP "
    "THB".split()
)
MAGNITUDE_ALIASES = {
    "k": "thousand",
    "K": "thousand",
    "m": "million",
    "M": "million",
    "mn": "million",
    "MM": "million",
    "b": "billion",
    "B": "billion",
    "bn": "billion",
    "Mio.": "million",
    "Mio": "million",
    "Mrd.": "billion",
    "Mrd": "billion",
}
SCALE_KEYS = ("thousand", "million", "billion", "trillion")
MONEY = alternation(list(SYMBOLS) + sorted(CODES))


def rules(lang: Language) -> list[Rule]:
    """Price rules: ``$19.99``, ``19,99 €``, ``USD 20``, ``$5–$10``, ``99¢``."""
    money = MONEY
    sym = f"(?P<sym>{money})"
    amount = rf"(?P<n>{NUM})(?:\s?(?P<mag>{_magnitudes(lang)}))?"
    per = rf"(?:\s?/\s?(?i:(?P<per>{alternation(lang.per)})))?" if lang.per else ""
    return [
        make_rule("cents", r"(?P<n>\d{1,2})\s?¢", _cents),
        make_rule(
            "price-range",
            rf"{sym}\s?(?P<a>{NUM}){RANGE_DASH}(?:{money})?\s?(?P<b>{NUM}){per}",
            _range,
        ),
        make_rule(
            "price-range-after",
            rf"(?P<a>{NUM})\s?(?:{money})?{RANGE_DASH}(?P<b>{NUM})\s?{sym}{per}",
            _range,
        ),
        make_rule("price", rf"(?P<sign>-)?{sym}\s?{amount}{per}", _price),
        make_rule("price-after", rf"(?P<sign>-)?{amount}\s?{sym}{per}", _price),
    ]


@lru_cache(maxsize=64)
def _magnitudes(lang: Language) -> str:
    words = [lang.word(key) for key in SCALE_KEYS]
    forms = [form for word in words if word for form in (word, word.title())]
    return alternation(list(MAGNITUDE_ALIASES) + forms)


def money(num: Num, code: str, lang: Language, magnitude: str | None = None) -> str | None:
    """An amount of money in words: ``19.99 USD`` -> nineteen dollars and ninety-nine cents.

    Languages without names for the currency say the number and keep the
    written code. Returns ``None`` when the number cannot be said at all.
    """
    names = lang.currencies.get(code)
    if names is None or magnitude or len(num.frac) > 2 or (num.frac and not names[2]):
        return _plain_money(num, code, lang, names, magnitude)
    minor = int(num.frac.ljust(2, "0")) if num.frac else 0
    parts = []
    if num.whole or not minor:
        parts.append(say.counted(Num(num.whole), names[0:2], lang))
    if minor:
        parts.append(say.counted(Num(minor), names[2:4], lang))
    if None in parts:
        return None
    spoken = f" {lang.word('money_and') or ''} ".join(p for p in parts if p)
    return f"{lang.word('minus') or '-'} {spoken}" if num.negative else spoken


def _plain_money(
    num: Num, code: str, lang: Language, names: tuple[str, ...] | None, magnitude: str | None
) -> str | None:
    words = say.quantity(num, lang)
    if words is None:
        return None
    if magnitude:
        words = f"{words} {lang.word(magnitude) or magnitude}"
    return f"{words} {names[1] if names else code}"


def _say(text: str, code: str, lang: Language, mag: str | None = None) -> str | None:
    num = say.number(text, lang)
    if num is None:
        return None
    magnitude = MAGNITUDE_ALIASES.get(mag or "") or _scale_key(mag, lang)
    return money(num, code, lang, magnitude)


def _scale_key(word: str | None, lang: Language) -> str | None:
    if not word:
        return None
    return next((key for key in SCALE_KEYS if (lang.word(key) or "").lower() == word.lower()), None)


def _code(symbol: str) -> str:
    return SYMBOLS.get(symbol, symbol)


def _with_per(spoken: str | None, match: re.Match[str], lang: Language) -> str | None:
    per = match.groupdict().get("per")
    if spoken is None or not per:
        return spoken
    return f"{spoken} {lang.per[per.lower()]}"


def _price(match: re.Match[str], ctx: Context) -> str | None:
    text = ("-" if match["sign"] else "") + match["n"]
    spoken = _say(text, _code(match["sym"]), ctx.lang, match["mag"])
    return _with_per(spoken, match, ctx.lang)


def _range(match: re.Match[str], ctx: Context) -> str | None:
    """``$5–$10`` -> "five to ten dollars"; with cents, each price in full."""
    code, to = _code(match["sym"]), ctx.lang.word("to")
    a, b = say.number(match["a"], ctx.lang), say.number(match["b"], ctx.lang)
    if a is None or b is None or to is None:
        return None
    if not a.frac and not b.frac:
        first, second = say.quantity(a, ctx.lang), money(b, code, ctx.lang)
    else:
        first, second = money(a, code, ctx.lang), money(b, code, ctx.lang)
    if first is None or second is None:
        return None
    return _with_per(f"{first} {to} {second}", match, ctx.lang)


def _cents(match: re.Match[str], ctx: Context) -> str | None:
    names = ctx.lang.currencies.get("USD")
    if names is None:
        return None
    return say.counted(Num(int(match["n"])), names[2:4], ctx.lang)
