"""``[pause 0.5s]`` tags: parsed into :class:`Pause` segments."""

from __future__ import annotations

import re

from avatar.errors import InvalidInput

from .model import Pause

MAX_PAUSE_SECONDS = 10.0
_OPEN = re.compile(r"\[\s*pause\b", re.IGNORECASE)
_BODY = re.compile(
    r"\s*[:=]?\s*(?P<value>[-+]?\d+(?:[.,]\d+)?)\s*"
    r"(?P<unit>ms|milliseconds?|s|secs?|seconds?)\s*",
    re.IGNORECASE,
)
_MS_UNITS = ("ms", "millisecond", "milliseconds")


def split_pauses(text: str) -> list[str | Pause]:
    """Split ``text`` at its pause tags.

    Returns the text pieces and :class:`Pause` objects in order; durations
    are clamped to 0..10 s.

    Raises:
        InvalidInput: a tag starts with ``[pause`` but is not ``[pause 0.5s]``,
            ``[pause 1s]`` or ``[pause 500ms]``.
    """
    pieces: list[str | Pause] = []
    position = 0
    for match in _OPEN.finditer(text):
        if match.start() < position:
            continue
        close = text.find("]", match.end())
        tag = text[match.start() : close + 1 if close >= 0 else len(text)]
        pieces.append(text[position : match.start()])
        pieces.append(Pause(_parse_body(text[match.end() : close] if close >= 0 else None, tag)))
        position = close + 1
    pieces.append(text[position:])
    return [piece for piece in pieces if isinstance(piece, Pause) or piece.strip()]


def _parse_body(body: str | None, tag: str) -> float:
    """Seconds asked for by the inside of a pause tag (after the word pause)."""
    match = _BODY.fullmatch(body) if body is not None else None
    if match is None:
        raise InvalidInput(
            field="script",
            message=(
                f"Malformed pause tag {tag.strip()[:40]!r}: write it like [pause 0.5s], "
                "[pause 1s] or [pause 500ms]."
            ),
        )
    seconds = float(match["value"].replace(",", "."))
    if match["unit"].lower() in _MS_UNITS:
        seconds /= 1000
    return min(max(seconds, 0.0), MAX_PAUSE_SECONDS)
