"""The page's language: what it declares, checked against what its product text is in.

A declaration (``<html lang>``, JSON-LD ``inLanguage``, ``og:locale``,
Content-Language) is often a theme's default: a Portuguese shop built on an
English theme says ``lang="en"``. So the product's own words (title,
description, bullets) are classified too, sentence by sentence, by py3langid
(langid.py's naive Bayes model, shipped inside its wheel: offline, no
download). Each language gets the share of the letters written in it, so a
bilingual page (English and Arabic on an Egyptian shop) shows both.

Rule: a declared language that has at least a quarter of the text is kept;
one the text clearly contradicts (another language holds 60 % or more of at
least 40 letters) gives way to the text; a page that declares nothing takes
the text's language. The result is an ISO 639-1 code ("pt"), or None.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import Counter

from .structured import walk_nodes

KEEP_DECLARED_SHARE = 0.25  # a declared language with this much of the text stays
OVERRULE_SHARE = 0.6  # another language needs this much of the text to overrule it
MIN_LETTERS = 40  # less text than this never overrules a declaration
MIN_SEGMENT_LETTERS = 12  # shorter pieces (a size, a colour) are not classified alone

# Regional languages the model knows that mostly shadow a big neighbour on shop
# pages (Galician for Spanish or Portuguese, Luxembourgish for German).
SHADOWS = frozenset({"an", "eo", "gl", "la", "lb", "oc", "vo", "wa"})
# Deprecated or macro-language tags -> the ISO 639-1 code the detector answers.
ALIASES = {"iw": "he", "in": "id", "ji": "yi", "nb": "no", "nn": "no", "fil": "tl"}
_SEGMENTS = re.compile(r"\n|(?<=[.!?;:])\s+|\s+[/|•·]\s+")
_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")

# English names of the languages the detector answers, for notices.
NAMES = {
    "af": "Afrikaans", "am": "Amharic", "ar": "Arabic", "az": "Azerbaijani",
    "be": "Belarusian", "bg": "Bulgarian", "bn": "Bengali", "bs": "Bosnian",
    "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian", "eu": "Basque",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician",
    "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "hy": "Armenian", "id": "Indonesian", "is": "Icelandic", "it": "Italian",
    "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "km": "Khmer", "kn": "Kannada",
    "ko": "Korean", "ky": "Kyrgyz", "lo": "Lao", "lt": "Lithuanian", "lv": "Latvian",
    "mk": "Macedonian", "ml": "Malayalam", "mn": "Mongolian", "mr": "Marathi", "ms": "Malay",
    "mt": "Maltese", "my": "Burmese", "ne": "Nepali", "nl": "Dutch", "no": "Norwegian",
    "pa": "Punjabi", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "th": "Thai",
    "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek",
    "vi": "Vietnamese", "zh": "Chinese",
}  # fmt: skip

_LOCK = threading.Lock()


def name(code: str | None) -> str:
    """'pt' -> 'Portuguese'; an unknown code is quoted as it is."""
    return NAMES.get(code or "", f"'{code}'")


def primary(tag: str | None) -> str | None:
    """The ISO 639-1 code of a language tag: 'pt-BR' -> 'pt', 'en_GB' -> 'en'."""
    if not tag or not _TAG.fullmatch(tag.strip()):
        return None
    code = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    code = ALIASES.get(code, code)
    return code if len(code) == 2 else None


def declared(root, meta: dict[str, str], data: dict) -> list[str]:
    """The languages a page declares, strongest first, without repeats (ISO 639-1)."""
    tags = [root.get("lang"), root.get("xml:lang")]
    tags += _in_language(data)
    tags += [meta.get("og:locale"), meta.get("content-language"), meta.get("language")]
    codes = [primary(str(tag)) for tag in tags if tag]
    return list(dict.fromkeys(code for code in codes if code))


def _in_language(data: dict) -> list[str]:
    """JSON-LD / microdata ``inLanguage`` values (a tag, or a Language with a code)."""
    found = []
    for node in walk_nodes([data.get("json-ld", []), data.get("microdata", [])]):
        value = node.get("inLanguage")
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                item = item.get("alternateName") or item.get("@value") or item.get("name")
            if isinstance(item, str):
                found.append(item)
    return found


@functools.cache
def _identifier():
    """py3langid's identifier, loaded once (about a second) and limited to two-letter codes."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    with _LOCK:
        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        identifier.set_languages(
            [code for code in identifier.labels if len(code) == 2 and code not in SHADOWS]
        )
    return identifier


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def shares(text: str) -> tuple[dict[str, float], int]:
    """({language: share of the letters}, letters counted), largest share first."""
    identifier = _identifier()
    votes: Counter[str] = Counter()
    for piece in _SEGMENTS.split(text or ""):
        letters = _letters(piece)
        if letters >= MIN_SEGMENT_LETTERS:
            votes[identifier.classify(piece)[0]] += letters
    if not votes and _letters(text or "") >= MIN_SEGMENT_LETTERS:
        votes[identifier.classify(text)[0]] += _letters(text)
    total = sum(votes.values())
    return {code: count / total for code, count in votes.most_common()}, total


def decide(declarations: list[str], text: str) -> tuple[str | None, str]:
    """(ISO 639-1 code or None, where it came from: 'declared', 'text' or 'none')."""
    found, letters = shares(text)
    if not found:
        return (declarations[0], "declared") if declarations else (None, "none")
    top, top_share = next(iter(found.items()))
    for code in declarations:  # a declaration the text bears out
        if found.get(code, 0.0) >= KEEP_DECLARED_SHARE:
            return code, "declared"
    if not declarations:
        return top, "text"
    if letters >= MIN_LETTERS and top_share >= OVERRULE_SHARE:
        return top, "text"
    return declarations[0], "declared"
