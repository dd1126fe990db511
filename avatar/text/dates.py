"""Rules for dates, times, decades and ratios."""

from __future__ import annotations

import calendar
import re
from functools import lru_cache

from . import say
from .lang import Language
from .rules import RANGE_DASH, Context, Rule, alternation, make_rule

AMPM = r"(?P<ampmX>[aApP]\.?[mM])"
TIME = rf"(?P<hX>\d{{1,2}})(?::(?P<mX>\d{{2}}))?(?:\s?{AMPM})?"


def rules(lang: Language) -> list[Rule]:
    """Date and time rules for ``lang``."""
    found = [
        make_rule("iso-date", r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})", _iso),
        make_rule(
            "numeric-date",
            r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})",
            _numeric_date,
        ),
    ]
    if lang.month_names:
        months = alternation(_month_forms(lang))
        found += [
            make_rule("date", pattern.replace("MONTH", months), _written_date)
            for pattern in lang.date_patterns
        ]
    found += [
        *(make_rule("time", pattern, _time_alone) for pattern in lang.time_patterns),
        make_rule("time-range", f"{_time('1')}{RANGE_DASH}{_time('2')}", _time_range),
        make_rule("time", _time(""), _time_alone),
        make_rule("ratio", r"(?P<a>\d{1,3}):(?P<b>\d{1,3})", _ratio),
    ]
    if lang.code == "en":
        found.append(make_rule("decade", r"'?(?P<d>(?:1[0-9]|20)?\d0)'?s", _decade))
    return found


def _time(suffix: str) -> str:
    return TIME.replace("X", suffix)


@lru_cache(maxsize=64)
def _month_numbers(lang: Language) -> dict[str, int]:
    return {name.lower(): index for name, index in lang.month_names.items()}


def _month_forms(lang: Language) -> list[str]:
    return [form for name in lang.month_names for form in (name, name.title(), name.upper())]


def say_date(
    day: int | None, month: int, year: int | None, lang: Language, before: str = ""
) -> str | None:
    """A calendar date in the language's order; ``None`` if it is not a real date.

    ``before`` is the text preceding the date, for languages whose ordinal
    ending depends on the word before it (German "am fünfzehnten").
    """
    if not _valid(day, month, year) or len(lang.months) != 12 or not lang.date_formats:
        return None
    key = "month_year" if day is None else "full" if year else "no_year"
    template = lang.date_formats.get(key)
    day_words = _day(day, lang, before) if day else ""
    year_words = say.year(year, lang) if year else ""
    if template is None or day_words is None or year_words is None:
        return None
    return template.format(day=day_words, month=lang.months[month - 1], year=year_words)


def _valid(day: int | None, month: int, year: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    last = calendar.monthrange(year or 2000, month)[1]
    return day is None or 1 <= day <= last


def _day(day: int, lang: Language, before: str) -> str | None:
    """The day number: an ordinal, a cardinal, or French-style "premier, deux"."""
    style = lang.day_style
    if style == "cardinal" or (style == "first_ordinal" and day != 1):
        return say.cardinal(day, lang)
    words = say.ordinal(day, lang)
    return None if words is None else words + say.case_ending(before, lang)


def _iso(match: re.Match[str], ctx: Context) -> str | None:
    day, month, year = int(match["day"]), int(match["month"]), int(match["year"])
    return say_date(day, month, year, ctx.lang, _before(match))


def _numeric_date(match: re.Match[str], ctx: Context) -> str | None:
    """``03/15/2024`` or ``15.03.2024``: month first only in US English, if valid."""
    a, b = int(match["a"]), int(match["b"])
    year = int(match["year"]) + (2000 if len(match["year"]) == 2 else 0)
    orders = [(b, a), (a, b)] if ctx.lang.month_first else [(a, b), (b, a)]
    for day, month in orders:
        if _valid(day, month, year):
            return say_date(day, month, year, ctx.lang, _before(match))
    return None


def _written_date(match: re.Match[str], ctx: Context) -> str | None:
    groups = match.groupdict()
    month = _month_numbers(ctx.lang).get(groups["month"].lower())
    day = int(groups["day"]) if groups.get("day") else None
    year = int(groups["year"]) if groups.get("year") else None
    return None if month is None else say_date(day, month, year, ctx.lang, _before(match))


def _before(match: re.Match[str]) -> str:
    return match.string[: match.start()]


def say_time(hour: int, minute: int | None, ampm: str | None, lang: Language) -> str | None:
    """``9:30`` -> "nine thirty"; ``14:00`` -> "two p m" in English."""
    if hour > 24 or (minute is not None and minute > 59) or (ampm and not 1 <= hour <= 12):
        return None
    if lang.twelve_hour:
        return _twelve_hour(hour, minute, ampm, lang)
    if ampm or not lang.time_formats:
        return None
    return _template(hour, minute, lang)


def _template(hour: int, minute: int | None, lang: Language) -> str | None:
    hour_words = say.before_noun(say.cardinal(hour, lang) or "", lang)
    if not minute:
        return lang.time_formats["h"].format(h=hour_words)
    return lang.time_formats["hm"].format(h=hour_words, m=say.cardinal(minute, lang))


def _twelve_hour(hour: int, minute: int | None, ampm: str | None, lang: Language) -> str | None:
    suffix = None
    if ampm:
        suffix = lang.word("pm" if ampm[0] in "pP" else "am")
    elif hour > 12 or hour == 0:
        suffix = lang.word("pm" if 12 <= hour < 24 else "am")
        hour = hour % 12 or 12
    words = say.cardinal(hour, lang)
    if minute:
        oh = f"{lang.word('oh')} " if minute < 10 else ""
        words = f"{words} {oh}{say.cardinal(minute, lang)}"
    elif not suffix:
        words = lang.time_formats["h"].format(h=words)
    return f"{words} {suffix}" if suffix else words


def _time_alone(match: re.Match[str], ctx: Context) -> str | None:
    groups = match.groupdict()
    if groups.get("m") is None and not groups.get("ampm"):
        return None
    minute = int(groups["m"]) if groups.get("m") else None
    return say_time(int(groups["h"]), minute, groups.get("ampm"), ctx.lang)


def _time_range(match: re.Match[str], ctx: Context) -> str | None:
    """``9am-5pm`` -> "nine a m to five p m"."""
    spoken: list[str] = []
    for n in "12":
        if match[f"m{n}"] is None and not match[f"ampm{n}"]:
            return None
        minute = int(match[f"m{n}"]) if match[f"m{n}"] else None
        words = say_time(int(match[f"h{n}"]), minute, match[f"ampm{n}"], ctx.lang)
        if words is None:
            return None
        spoken.append(words)
    to = ctx.lang.word("to")
    return None if to is None else f" {to} ".join(spoken)


def _ratio(match: re.Match[str], ctx: Context) -> str | None:
    a, b = say.cardinal(int(match["a"]), ctx.lang), say.cardinal(int(match["b"]), ctx.lang)
    word = ctx.lang.word("ratio")
    return None if a is None or b is None or word is None else f"{a} {word} {b}"


def _decade(match: re.Match[str], ctx: Context) -> str | None:
    """``1990s`` -> "nineteen nineties", ``'90s`` -> "nineties"."""
    decade = int(match["d"])
    words = say.year(decade, ctx.lang) if decade >= 1000 else say.cardinal(decade, ctx.lang)
    if not words or decade % 10:
        return None
    return words[:-1] + "ies" if words.endswith("y") else words + "s"
