"""Rules for URLs, e-mail addresses, @handles and #hashtags."""

from __future__ import annotations

import re

from . import say
from .glossary import MARK_CHARS, MARK_PATTERN, Glossary
from .lang import Language
from .rules import Context, Rule, make_rule, spell_letters
from .words import digit_group

TLDS = (
    "com net org io co ai app shop store online site dev tech info biz us uk de fr es it nl eu "
    "ca au in jp br mx ch at be se dk fi pl pt ie nz tv ly gg me xyz club live today world cn "
    "kr ru tr za ar cl"
).split()
_END = r"[^\s.,;:!?)\]\"'»]"
_PATH = rf"(?:/(?:\S*{_END})?)?"
_SEPARATORS = {".": "dot", "/": "slash", "-": "dash", "_": "underscore", "@": "at", "+": "plus"}
_PIECES = re.compile(rf"{MARK_PATTERN}|[^\W\d_]+|\d+|[./_@+-]")
_LABEL = rf"[\w{MARK_CHARS}-]{{1,63}}"
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_VOWELS = frozenset("aeiouyäöüàáâéèêíóôú")


def rules(lang: Language) -> list[Rule]:
    """Web rules: e-mail before URL, URL before bare domain; none without a word for dot."""
    if lang.word("dot") is None:
        return []
    tlds = "|".join(sorted(TLDS, key=len, reverse=True))
    return [
        make_rule("email", rf"[\w.+{MARK_CHARS}-]{{1,64}}@{_LABEL}(?:\.{_LABEL}){{1,8}}", _email),
        make_rule("url", rf"(?i:https?://|www\.)\S*{_END}", _url),
        make_rule("domain", rf"(?:{_LABEL}\.){{1,8}}(?:{tlds})(?::\d+)?{_PATH}", _url),
        make_rule("handle", r"@(?P<name>\w+)", _handle),
        make_rule("number-sign", r"#(?P<n>\d+)", _number_sign),
        make_rule("hashtag", r"#(?P<tag>[^\W\d_]\w*)", _hashtag),
    ]


def _email(match: re.Match[str], ctx: Context) -> str | None:
    return say_address(match.group(0), ctx.lang, ctx.glossary)


def _url(match: re.Match[str], ctx: Context) -> str | None:
    address = re.sub(r"(?i)^https?://", "", match.group(0))
    address = re.split(r"[?#]", address, maxsplit=1)[0].rstrip("/")
    return say_address(address, ctx.lang, ctx.glossary)


def say_address(address: str, lang: Language, glossary: Glossary | None = None) -> str | None:
    """Read a web or e-mail address: "w w w dot shop dot com slash deals".

    Glossary entries inside the address are said as the glossary says them.
    """
    if lang.word("dot") is None:
        return None
    last_label = address.split("/")[0].rsplit(".", 1)[-1]
    spoken = []
    for piece in _PIECES.finditer(address):
        if piece.group(1) and glossary is not None:
            spoken.append(glossary.lookup(piece.group(1))[1])
        else:
            spoken.append(_piece(piece.group(0), lang, piece.group(0) == last_label))
    return " ".join(word for word in spoken if word)


def _piece(piece: str, lang: Language, is_tld: bool) -> str:
    if piece in _SEPARATORS:
        return lang.word(_SEPARATORS[piece]) or ""
    if piece.lower() == "www":
        return lang.word("www") or "www"
    if piece.isdigit():
        return digit_group(piece, lang) or piece
    if (is_tld and len(piece) == 2 and piece.lower() != "co") or not _VOWELS & set(piece.lower()):
        return spell_letters(piece)
    return piece.lower()


def _handle(match: re.Match[str], ctx: Context) -> str | None:
    at = ctx.lang.word("at")
    return None if at is None else f"{at} {split_words(match['name'])}"


def _number_sign(match: re.Match[str], ctx: Context) -> str | None:
    word, n = ctx.lang.word("number"), say.cardinal(int(match["n"][:15]), ctx.lang)
    return None if word is None or n is None else f"{word} {n}"


def _hashtag(match: re.Match[str], ctx: Context) -> str | None:
    word = ctx.lang.word("hashtag")
    return None if word is None else f"{word} {split_words(match['tag'])}"


def split_words(name: str) -> str:
    """``"SummerSale"`` -> ``"Summer Sale"``; ``"my_brand"`` -> ``"my brand"``."""
    words = [word for part in name.split("_") for word in _CAMEL.findall(part) or [part]]
    return " ".join(words)
