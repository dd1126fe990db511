"""Per-workspace pronunciation glossary, applied before any other rule.

Matches are replaced by private-use markers that the scanner turns back into
one token whose ``written`` is the original text and ``spoken`` the entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cleanup import clean

MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
_DIGIT_BASE = 0xE010
MARK_PATTERN = "\ue000([\ue010-\ue019]+)\ue001"
MARK_CHARS = "\ue000-\ue01f"
_MARKS = re.compile(MARK_PATTERN)


@dataclass
class Glossary:
    """Whole-word, case-insensitive replacements, longest key first."""

    entries: dict[str, str]
    pattern: re.Pattern[str] | None = None
    found: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def build(cls, glossary: dict[str, str] | None) -> Glossary:
        """Prepare ``glossary`` (written form -> spoken form) for matching."""
        entries: dict[str, str] = {}
        for key, spoken in (glossary or {}).items():
            written = clean(str(key)).replace("\n", " ")
            if written:
                entries[written.lower()] = clean(str(spoken)).replace("\n", " ")
        if not entries:
            return cls(entries)
        keys = sorted(entries, key=len, reverse=True)
        alternatives = "|".join(_key_pattern(key) for key in keys)
        return cls(entries, re.compile(f"(?<!\\w)(?:{alternatives})(?!\\w)", re.IGNORECASE))

    def mark(self, text: str) -> str:
        """Replace every glossary match in ``text`` with a marker."""
        if self.pattern is None:
            return text
        return self.pattern.sub(self._marker, text)

    def lookup(self, marker_digits: str) -> tuple[str, str]:
        """The ``(written, spoken)`` pair a marker stands for."""
        index = int("".join(str(ord(char) - _DIGIT_BASE) for char in marker_digits))
        return self.found[index]

    def restore(self, text: str) -> str:
        """``text`` with every marker put back to the words it replaced."""
        if MARK_OPEN not in text:
            return text
        return _MARKS.sub(lambda match: self.lookup(match.group(1))[0], text)

    def _marker(self, match: re.Match[str]) -> str:
        written = match.group(0)
        key = " ".join(written.split()).lower()
        self.found.append((written, self.entries.get(key, written)))
        digits = "".join(chr(_DIGIT_BASE + int(d)) for d in str(len(self.found) - 1))
        return f"{MARK_OPEN}{digits}{MARK_CLOSE}"


def _key_pattern(key: str) -> str:
    """A key as a regex: escaped, with any run of spaces matching any whitespace."""
    return r"[^\S\n]+".join(re.escape(part) for part in key.split(" "))
