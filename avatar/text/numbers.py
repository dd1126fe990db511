"""Rules for plain numbers: ordinals, fractions, ranges, phone numbers, years."""

from __future__ import annotations

import re

from . import say
from .lang import Language
from .numparse import Num
from .rules import NUM, RANGE_DASH, SIGNED, Context, Rule, alternation, make_rule
from .units import unit_forms

VULGAR = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅛": (1, 8)}
MAGNITUDES = {"k": "thousand", "K": "thousand", "M": "million", "mn": "million"}
MAGNITUDES |= {"B": "billion", "bn": "billion"}
_PART = rf"(?:\d+[^\W\d_]+|{NUM}|[^\W\d_]+)"
RESOLUTIONS = frozenset({"2K", "4K", "5K", "6K", "8K"})
PHONE = (
    r"\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,6}",
    r"(?:1[\s.-])?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}",
    r"\d{3}-\d{4}",
)


def rules(lang: Language) -> list[Rule]:
    """Number rules for ``lang``, most specific first."""
    found = [
        make_rule("phone", "(?:" + "|".join(PHONE) + ")", say_phone),
        make_rule("vulgar-fraction", rf"(?P<whole>\d+)?\s?(?P<frac>[{''.join(VULGAR)}])", _vulgar),
        make_rule("fraction", rf"(?P<a>{NUM})/(?P<b>\d{{1,3}})", _fraction),
        make_rule("number-range", rf"(?P<a>{SIGNED}){RANGE_DASH}(?P<b>{NUM})", _range),
        make_rule("magnitude", rf"(?P<n>{NUM})\s?(?P<mag>{alternation(MAGNITUDES)})", _magnitude),
        make_rule("number-plus", rf"(?P<n>{NUM})\+", _plus),
        make_rule("compound", rf"{_PART}(?:-{_PART}){{1,5}}", _compound),
        make_rule("version", r"\d{1,4}(?:\.\d{1,4}){2,4}", _version),
        make_rule("year", r"(?:19|20)\d\d", _year),
        make_rule("number", rf"(?P<n>{SIGNED})", _number),
    ]
    if lang.ordinal_suffixes:
        suffixes = alternation(lang.ordinal_suffixes)
        ordinal = make_rule("ordinal", rf"(?P<n>\d{{1,9}})\.?(?i:(?P<suf>{suffixes}))", _ordinal)
        found.insert(1, ordinal)
    if lang.ordinal_dot:
        # German "das 1. Modell": a number, a dot and a capitalised noun.
        dotted = rf"(?P<n>\d{{1,3}})\.(?={lang.noun_follows})"
        found.insert(1, make_rule("ordinal-dot", dotted, _ordinal_dot, bounded=False))
    return found


def fallback_rules(lang: Language) -> list[Rule]:
    """Last resorts for digits glued to other text ("19.99ドル", "5-3").

    Without a speller the digits stay as written; otherwise the number is
    said, or kept as written when the language lacks a word it needs.
    """
    if lang.speller is None:
        return [make_rule("digits-as-written", r"\d+(?:[.,:/-]\d+)*", _as_written, bounded=False)]
    return [make_rule("loose-number", NUM, _loose_number, bounded=False)]


def say_number(text: str, lang: Language) -> str | None:
    """A written integer or decimal in words; long digit strings digit by digit."""
    bare = text.lstrip("+-")
    if bare.isdigit() and ((len(bare) >= 7 and not bare.endswith("000")) or bare[0] == "0"):
        words = say.digits(bare, lang) if len(bare) > 1 else say.cardinal(0, lang)
    else:
        num = say.number(text, lang)
        words = None if num is None else say.quantity(num, lang)
    if words is not None and text.startswith("+"):
        return f"{lang.word('plus') or '+'} {words}"
    return words


def say_phone(match: re.Match[str], ctx: Context) -> str | None:
    """A phone number digit by digit, in its written groups."""
    groups = re.findall(r"\d+", match.group(0))
    words = [say.digits(group, ctx.lang) for group in groups]
    if any(word is None for word in words):
        return None
    plus = ctx.lang.word("plus") if match.group(0).startswith("+") else None
    return " ".join(([plus] if plus else []) + [word for word in words if word])


def _ordinal(match: re.Match[str], ctx: Context) -> str | None:
    feminine = ctx.lang.ordinal_suffixes.get(match["suf"].lower(), False)
    words = say.ordinal(int(match["n"]), ctx.lang, feminine)
    return _before_noun(words, match, ctx.lang)


def _ordinal_dot(match: re.Match[str], ctx: Context) -> str | None:
    words = say.ordinal(int(match["n"]), ctx.lang)
    before = match.string[: match.start()]
    return None if words is None else words + say.case_ending(before, ctx.lang)


def _before_noun(words: str | None, match: re.Match[str], lang: Language) -> str | None:
    """Use the form a number takes before a noun ("ein Euro", "veintiún dólares")."""
    if words and lang.noun_follows and re.match(lang.noun_follows, match.string[match.end() :]):
        return say.before_noun(words, lang)
    return words


def fraction_words(a: int, b: int, lang: Language) -> str | None:
    """``3/4`` -> ``"three quarters"`` (English); other languages say "out of"."""
    if lang.fractions:
        names = lang.fractions.get(b)
        if names is None:
            ordinal = say.ordinal(b, lang) or ""
            names = (ordinal, ordinal + "s")
        return f"{say.cardinal(a, lang)} {names[0] if a == 1 else names[1]}"
    if a == 1 and b == 2 and lang.word("half"):
        return lang.word("half")
    out_of = lang.word("out_of")
    return None if out_of is None else f"{say.cardinal(a, lang)} {out_of} {say.cardinal(b, lang)}"


def _vulgar(match: re.Match[str], ctx: Context) -> str | None:
    a, b = VULGAR[match["frac"]]
    part = fraction_words(a, b, ctx.lang)
    if part is None or match["whole"] is None:
        return part
    whole = say.cardinal(int(match["whole"]), ctx.lang)
    if ctx.lang.code == "en" and a == 1:
        part = "a " + part.split(" ", 1)[1]
    return f"{whole} {ctx.lang.word('and') or ''} {part}"


def _fraction(match: re.Match[str], ctx: Context) -> str | None:
    a, b = say.number(match["a"], ctx.lang), int(match["b"])
    if a is None or b == 0:
        return None
    if a.is_integer and a.whole < b <= 10:
        return fraction_words(a.whole, b, ctx.lang)
    out_of, first = ctx.lang.word("out_of"), say.quantity(a, ctx.lang)
    if out_of is None or first is None:
        return None
    return f"{first} {out_of} {say.cardinal(b, ctx.lang)}"


def _range(match: re.Match[str], ctx: Context) -> str | None:
    a, b = say.number(match["a"], ctx.lang), say.number(match["b"], ctx.lang)
    to = ctx.lang.word("to")
    if a is None or b is None or to is None or _value(a) > _value(b):
        return None
    if all(_is_year(text) for text in (match["a"], match["b"])):
        return f"{say.year(a.whole, ctx.lang)} {to} {say.year(b.whole, ctx.lang)}"
    return f"{say_number(match['a'], ctx.lang)} {to} {say_number(match['b'], ctx.lang)}"


def _value(num: Num) -> float:
    value = float(f"{num.whole}.{num.frac or 0}")
    return -value if num.negative else value


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2099


def _magnitude(match: re.Match[str], ctx: Context) -> str | None:
    if match.group(0) in RESOLUTIONS:
        return None
    words = say_number(match["n"], ctx.lang)
    scale = ctx.lang.word(MAGNITUDES[match["mag"]])
    return None if words is None or scale is None else f"{words} {scale}"


def _plus(match: re.Match[str], ctx: Context) -> str | None:
    words, plus = say_number(match["n"], ctx.lang), ctx.lang.word("plus")
    return None if words is None or plus is None else f"{words} {plus}"


def _compound(match: re.Match[str], ctx: Context) -> str | None:
    """``2-in-1``, ``15.6-inch``, ``3-year``: numbers and lower-case words."""
    parts = match.group(0).split("-")
    if not any(p[0].isdigit() for p in parts) or not any(p.islower() for p in parts):
        return None
    units = unit_forms(ctx.lang)
    spoken: list[str] = []
    for index, part in enumerate(parts):
        if part[0].isdigit():
            words = _ordinal_or_number(part, ctx.lang)
        elif not part.islower():
            words = None
        elif index == len(parts) - 1 and parts[index - 1][0].isdigit() and part in units:
            words = units[part][0]  # "50-mm lens": a unit used as an adjective
        else:
            words = part
        if words is None:
            return None
        spoken.append(words)
    return " ".join(spoken)


def _ordinal_or_number(part: str, lang: Language) -> str | None:
    """``3rd`` -> "third" (suffixes the language knows), ``15.6`` -> "fifteen point six"."""
    digits = re.match(r"[\d.,]+", part)
    suffix = part[digits.end() :] if digits else ""
    if not suffix:
        return say_number(part, lang)
    if suffix.lower() in lang.ordinal_suffixes and part[: len(part) - len(suffix)].isdigit():
        return say.ordinal(int(part[: len(part) - len(suffix)]), lang)
    return None


def _version(match: re.Match[str], ctx: Context) -> str | None:
    point = ctx.lang.word("point")
    words = [say.cardinal(int(part), ctx.lang) for part in match.group(0).split(".")]
    return None if point is None or None in words else f" {point} ".join(words)


def _year(match: re.Match[str], ctx: Context) -> str | None:
    return say.year(int(match.group(0)), ctx.lang)


def _number(match: re.Match[str], ctx: Context) -> str | None:
    words = say_number(match["n"], ctx.lang)
    return _before_noun(words, match, ctx.lang) if match["n"].isdigit() else words


def _as_written(match: re.Match[str], ctx: Context) -> str | None:
    return match.group(0)


def _loose_number(match: re.Match[str], ctx: Context) -> str | None:
    return say_number(match.group(0), ctx.lang) or match.group(0)
