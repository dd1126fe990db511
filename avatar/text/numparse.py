"""Written numbers ("1,299.00", "1.299,00", "12,5") to values, by locale."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_DIGITS = 15
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")


@dataclass(frozen=True)
class Num:
    """A parsed number: ``whole`` part, fraction ``frac`` as written digits."""

    whole: int
    frac: str = ""
    negative: bool = False

    @property
    def is_one(self) -> bool:
        """True for exactly 1, which takes singular nouns ("1 kilogram")."""
        return self.whole == 1 and not self.frac and not self.negative

    @property
    def is_integer(self) -> bool:
        return not self.frac.strip("0")


def parse_number(text: str, decimal_sep: str = ".") -> Num | None:
    """Parse ``text`` with the locale's decimal separator.

    With both separators the last one is the decimal point. A lone separator
    followed by exactly three digits groups thousands unless it is the
    locale's decimal separator. Returns ``None`` for malformed or too-long
    numbers (more than 15 digits before the point).
    """
    negative = text[:1] == "-"
    body = text.lstrip("+-")
    whole, frac = _split(body, decimal_sep)
    if whole is None or not whole.isdigit() or len(whole) > MAX_DIGITS:
        return None
    if frac and not frac.isdigit():
        return None
    return Num(int(whole), frac, negative)


def _split(body: str, decimal_sep: str) -> tuple[str | None, str]:
    """The digits before and after the decimal point, separators removed."""
    seps = [char for char in body if char in ".,"]
    if not seps:
        return body, ""
    last = body.rfind(seps[-1])
    if len(set(seps)) == 2:
        whole = body[:last]
        return (_ungroup(whole), body[last + 1 :]) if _GROUPED.fullmatch(whole) else (None, "")
    if len(seps) > 1:
        return (_ungroup(body), "") if _GROUPED.fullmatch(body) else (None, "")
    if seps[0] != decimal_sep and _GROUPED.fullmatch(body):
        return _ungroup(body), ""
    return body[:last], body[last + 1 :]


def _ungroup(text: str) -> str:
    return text.replace(".", "").replace(",", "")
