"""Group tokens into sentences at ``. ! ? …`` (and ``。！？``)."""

from __future__ import annotations

from .model import TERMINAL_MARKS, Sentence, Token


def split_sentences(tokens: list[Token]) -> list[Sentence]:
    """Split one line's tokens into sentences.

    A period ends a sentence unless the next word starts in lower case or the
    token is a lone initial ("John F. Kennedy"); abbreviations, decimals, URLs
    and e-mail addresses keep their dots inside the token, so they never split.
    Sentences that say nothing (only emoji) join the sentence before them.
    """
    sentences: list[Sentence] = []
    current: list[Token] = []
    for index, token in enumerate(tokens):
        current.append(token)
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if _ends_sentence(token, following):
            _close(sentences, current)
            current = []
    _close(sentences, current)
    return sentences


def _ends_sentence(token: Token, following: Token | None) -> bool:
    if not TERMINAL_MARKS.intersection(token.punct):
        return False
    if following is None:
        return True
    if token.punct.rstrip(",;:") != ".":
        return True
    if len(token.written) == 1 and token.written.isupper():
        return False
    return not following.written[:1].islower()


def _close(sentences: list[Sentence], tokens: list[Token]) -> None:
    if not tokens:
        return
    if any(token.spoken.strip() for token in tokens):
        sentences.append(Sentence(list(tokens)))
    elif sentences:
        sentences[-1].tokens.extend(tokens)
