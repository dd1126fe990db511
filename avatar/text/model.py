"""What normalisation returns: a script of sentences and pauses.

A :class:`Token` pairs what the script wrote with what the voice should say,
so captions can show ``$19.99`` while the engine says the words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

COMMA_MARKS = frozenset(",;:，、；：")
TERMINAL_MARKS = frozenset(".!?…。！？")


@dataclass(frozen=True)
class Token:
    """One written unit of the script and its spoken form.

    ``written`` is the script's text without its attached punctuation
    (``"$19.99"``, or several words such as ``"10-20 kg"``); ``spoken`` is
    what to say (``""`` for dropped symbols); ``punct`` is the punctuation
    that followed it (``","``, ``"."``, ``"?!"``).
    """

    written: str
    spoken: str
    punct: str = ""


@dataclass
class Sentence:
    """A sentence to synthesise in one go."""

    tokens: list[Token] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The spoken words joined by spaces, with commas and the final mark."""
        words: list[str] = []
        for token in self.tokens:
            if token.spoken:
                words.append(token.spoken)
            if words and COMMA_MARKS.intersection(token.punct) and not words[-1].endswith(","):
                words[-1] += ","
        if not words:
            return ""
        words[-1] = words[-1].rstrip(",")
        return " ".join(words) + final_mark(self.tokens)

    @property
    def spoken_words(self) -> list[str]:
        """The spoken words, without punctuation."""
        return [word for token in self.tokens for word in token.spoken.split()]


@dataclass(frozen=True)
class Pause:
    """Silence asked for by the script with ``[pause 0.5s]``."""

    seconds: float


@dataclass
class Script:
    """A normalised script: sentences and pauses in reading order."""

    segments: list[Sentence | Pause] = field(default_factory=list)

    @property
    def sentences(self) -> list[Sentence]:
        """The sentences only, without the pauses."""
        return [segment for segment in self.segments if isinstance(segment, Sentence)]

    @property
    def spoken_text(self) -> str:
        """All sentences' text joined by spaces (for alignment and ASR checks)."""
        return " ".join(text for sentence in self.sentences if (text := sentence.text))


def final_mark(tokens: list[Token]) -> str:
    """The ``. ! ?`` that ends a sentence, or ``""`` when it has none.

    Trailing tokens that say nothing (a dropped emoji) are looked through.
    """
    for token in reversed(tokens):
        if token.punct:
            return terminal_mark(token.punct)
        if token.spoken:
            return ""
    return ""


def terminal_mark(punct: str) -> str:
    """Map punctuation such as ``"?!"``, ``"…"`` or ``"。"`` to ``?``, ``!`` or ``.``."""
    if "?" in punct or "？" in punct:
        return "?"
    if "!" in punct or "！" in punct:
        return "!"
    return "." if TERMINAL_MARKS.intersection(punct) else ""
