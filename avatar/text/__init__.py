"""Text normalisation for speech: marketing scripts to words a voice can say.

``normalize(text, language, glossary)`` returns a :class:`Script` of
:class:`Sentence` and :class:`Pause` segments; each sentence's tokens pair the
written text (``"$19.99"``) with the spoken words ("nineteen dollars and
ninety-nine cents"). English is covered fully; German, French and Spanish
have tables for units, prices, dates and abbreviations; Italian, Portuguese
and Dutch for prices and function words; any other language num2words knows
gets its numbers said, and the rest keep digits for the engine to read.
"""

from .model import Pause, Script, Sentence, Token
from .normalize import normalize

__all__ = ["Pause", "Script", "Sentence", "Token", "normalize"]
