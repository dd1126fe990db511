"""Rules for emoji (dropped) and the symbols worth saying."""

from __future__ import annotations

import re

from .lang import Language
from .rules import Context, Rule, make_rule

EMOJI = (
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2190-\u21ff\u2300-\u23ff"
    "\u25a0-\u25ff\ufe0f\u200d\u20e3\U000e0020-\U000e007f]+"
)
# Symbol -> the function word that says it; symbols not listed say nothing.
SAID = {
    "&": "and",
    "+": "plus",
    "=": "equals",
    "~": "about",
    "≈": "about",
    "×": "by",
    "@": "at",
    "%": "percent",
    "<": "less_than",
    ">": "more_than",
    "≤": "at_most",
    "≥": "at_least",
    "±": "plus_minus",
    "§": "section",
    "№": "number",
}


def rules(lang: Language) -> list[Rule]:
    """Symbol rules; they match single characters anywhere (unbounded)."""
    return [
        make_rule("emoji", EMOJI, _silent, bounded=False),
        make_rule("initials-and", r"(?P<a>[A-Z]{1,3})&(?P<b>[A-Z]{1,3})", _initials_and),
        make_rule("symbol", f"[{re.escape(''.join(SAID))}]", _symbol, bounded=False),
    ]


def _silent(match: re.Match[str], ctx: Context) -> str | None:
    return ""


def _symbol(match: re.Match[str], ctx: Context) -> str | None:
    """The symbol's word, or the symbol itself for the engine when the language has none."""
    return ctx.lang.word(SAID[match.group(0)]) or match.group(0)


def _initials_and(match: re.Match[str], ctx: Context) -> str | None:
    """``R&D`` -> "R and D", ``AT&T`` -> "A T and T"."""
    word = ctx.lang.word("and")
    if word is None:
        return None
    return f"{' '.join(match['a'])} {word} {' '.join(match['b'])}"
