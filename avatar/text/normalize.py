"""The entry point: script text in, :class:`Script` of sentences and pauses out."""

from __future__ import annotations

import re
from functools import lru_cache

from . import currency, dates, numbers, symbols, units, web, words
from .cleanup import clean
from .glossary import MARK_PATTERN, Glossary
from .lang import Language, resolve
from .model import Pause, Script, Sentence
from .pauses import split_pauses
from .rules import Context, Rule, make_rule
from .scanner import scan
from .sentences import split_sentences


def normalize(text: str, language: str = "en", glossary: dict[str, str] | None = None) -> Script:
    """Turn a marketing script into sentences of words a speech engine can say.

    Args:
        text: the script as the customer wrote it, pause tags included.
        language: a BCP-47 tag ("en", "en-US", "de-DE", "pt-BR"); only the
            primary subtag and region matter.
        glossary: written form -> spoken form (brand names), applied first,
            whole words, case-insensitive, longest key first.

    Returns:
        A :class:`Script` whose segments are sentences and pauses in order.

    Raises:
        InvalidInput: a malformed pause tag (field ``"script"``).
    """
    lang = resolve(language)
    ctx = Context(lang, Glossary.build(glossary))
    segments: list[Sentence | Pause] = []
    for piece in split_pauses(clean(text)):
        if isinstance(piece, Pause):
            segments.append(piece)
            continue
        marked = ctx.glossary.mark(piece)
        for line in (_join_digit_groups(marked) if lang.space_groups else marked).split("\n"):
            tokens = scan(line, rules_for(lang), ctx, words.speak_word)
            segments.extend(split_sentences(tokens))
    return Script(segments)


@lru_cache(maxsize=64)
def rules_for(lang: Language) -> tuple[Rule, ...]:
    """Every rule for ``lang``, in the order the scanner tries them."""
    return (
        *web.rules(lang),  # first, so brand names inside addresses stay in the address
        make_rule("glossary", MARK_PATTERN + r"(?P<s>['’]s)?", _glossary, bounded=False),
        *words.rules(lang),
        *dates.rules(lang),
        *currency.rules(lang),
        *units.rules(lang),
        *numbers.rules(lang),
        *words.late_rules(lang),
        *symbols.rules(lang),
        *numbers.fallback_rules(lang),
    )


_SPACE_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d])")


def _join_digit_groups(text: str) -> str:
    """French "1 299,00 €": digits grouped by plain spaces become one number."""
    return _SPACE_GROUPS.sub(lambda match: match.group(0).replace(" ", ""), text)


def _glossary(match: re.Match[str], ctx: Context) -> str | None:
    _, spoken = ctx.glossary.lookup(match.group(1))
    return spoken + (match["s"] or "")
