"""Cut one line of text into tokens by trying the rules at each word start."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace

from .model import Token
from .rules import CLOSERS, DASHES, OPENERS, PUNCT_KEEP, Context, Rule

WordSpeaker = Callable[[str, Context], str]
_TRAILING = re.compile(f"[{re.escape(CLOSERS)}]+")
_JOINERS = "'-"
# Unclaimed characters of these categories are said as written: letters,
# digits, and currency signs the language has no words for.
_KEPT = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Sc"})


def scan(line: str, rules: Sequence[Rule], ctx: Context, speak_word: WordSpeaker) -> list[Token]:
    """Tokens of ``line``: each rule match, or a plain word, with its punctuation.

    ``speak_word`` says a word no rule claimed. Standalone punctuation and
    dashes are attached to the token before them.
    """
    tokens: list[Token] = []
    position = 0
    while position < len(line):
        if line[position].isspace():
            position += 1
            continue
        token, position = _next_token(line, position, rules, ctx, speak_word)
        if token is None:
            position = _loose_punctuation(line, position, tokens)
            continue
        trailing = _TRAILING.match(line, position)
        if trailing:
            position = trailing.end()
            token = replace(token, punct=_kept(trailing.group(0)))
        tokens.append(token)
    return tokens


def _next_token(
    line: str, position: int, rules: Sequence[Rule], ctx: Context, speak_word: WordSpeaker
) -> tuple[Token | None, int]:
    for rule in rules:
        match = rule.pattern.match(line, position)
        if match is None:
            continue
        spoken = rule.handler(match, ctx)
        if spoken is not None:
            return Token(ctx.glossary.restore(match.group(0)), spoken), match.end()
    end = _word_end(line, position)
    if end > position:
        word = line[position:end]
        return Token(word, speak_word(word, ctx)), end
    char = line[position]
    if char in OPENERS or char in PUNCT_KEEP or char in DASHES or char in CLOSERS:
        return None, position
    return Token(char, char if unicodedata.category(char) in _KEPT else ""), position + 1


def _word_end(line: str, position: int) -> int:
    """End of the word at ``position``: letters and combining marks, no digits.

    Apostrophes and hyphens join letters ("don't", "T-shirt"); combining
    marks keep Devanagari or Thai words whole.
    """
    end = position
    while end < len(line):
        char = line[end]
        if char.isalpha() or (end > position and unicodedata.category(char)[0] == "M"):
            end += 1
        elif char in _JOINERS and end > position and line[end + 1 : end + 2].isalpha():
            end += 1
        else:
            break
    return end


def _loose_punctuation(line: str, position: int, tokens: list[Token]) -> int:
    """Skip an opening bracket or quote; attach other punctuation to the last token."""
    char = line[position]
    if tokens and (char in PUNCT_KEEP or char in DASHES):
        mark = "," if char in DASHES else char
        tokens[-1] = replace(tokens[-1], punct=tokens[-1].punct + mark)
    return position + 1


def _kept(punct: str) -> str:
    return "".join(char for char in punct if char in PUNCT_KEEP)
