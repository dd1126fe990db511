"""The rule type the scanner applies, and regex pieces the rules share.

A rule is a regex tried at the start of a token and a handler that turns the
match into spoken words, or returns ``None`` to let later rules try.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .glossary import Glossary
from .lang import Language

PUNCT_KEEP = ",.;:!?…。！？、，；："
CLOSERS = PUNCT_KEEP + ")]}\"'»*_"
OPENERS = "([{\"'«¿¡*_"
DASHES = "-–—"
# A rule's match must end where the token ends: before trailing punctuation
# and then whitespace or the end of the line.
BOUNDARY = f"(?=[{re.escape(CLOSERS)}]*(?:\\s|$))"
NUM = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
SIGNED = rf"[-+]?(?:{NUM})"
RANGE_DASH = r"\s*[-–—]\s*"


@dataclass
class Context:
    """What handlers may read: the language and this script's glossary."""

    lang: Language
    glossary: Glossary


Handler = Callable[[re.Match[str], Context], str | None]


@dataclass(frozen=True)
class Rule:
    """A regex tried at a token start, and the handler that says the match."""

    name: str
    pattern: re.Pattern[str]
    handler: Handler


def make_rule(name: str, pattern: str, handler: Handler, *, bounded: bool = True) -> Rule:
    """Compile a rule; ``bounded`` rules must end at the end of a token."""
    return Rule(name, re.compile(pattern + (BOUNDARY if bounded else "")), handler)


def alternation(forms: Iterable[str]) -> str:
    """A regex matching any of ``forms``, longest first so none is cut short."""
    ordered = sorted(set(forms), key=lambda form: (-len(form), form))
    return "|".join(re.escape(form) for form in ordered) or "(?!)"


def spell_letters(letters: str) -> str:
    """``"usb"`` -> ``"U S B"``: letters for the engine to name one by one."""
    return " ".join(letters.upper())
