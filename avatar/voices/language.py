"""Which writing systems a voice can read, to refuse text it cannot speak."""

from __future__ import annotations

import unicodedata
from collections import Counter

# Unicode character-name prefix -> script
SCRIPT_PREFIXES = {
    "LATIN": "Latin", "CYRILLIC": "Cyrillic", "GREEK": "Greek", "ARABIC": "Arabic",
    "HEBREW": "Hebrew", "CJK": "Han", "HIRAGANA": "Kana", "KATAKANA": "Kana",
    "HANGUL": "Hangul", "DEVANAGARI": "Devanagari", "BENGALI": "Bengali", "THAI": "Thai",
    "GEORGIAN": "Georgian", "ARMENIAN": "Armenian", "TAMIL": "Tamil", "TELUGU": "Telugu",
    "GUJARATI": "Gujarati", "GURMUKHI": "Gurmukhi", "KANNADA": "Kannada",
    "MALAYALAM": "Malayalam", "ETHIOPIC": "Ethiopic", "KHMER": "Khmer", "LAO": "Lao",
    "MYANMAR": "Myanmar", "SINHALA": "Sinhala",
}  # fmt: skip

# primary language subtag -> scripts its voices read (Latin is the default)
LANGUAGE_SCRIPTS = {
    "ru": {"Cyrillic"}, "uk": {"Cyrillic"}, "bg": {"Cyrillic"}, "sr": {"Cyrillic", "Latin"},
    "mk": {"Cyrillic"}, "be": {"Cyrillic"}, "kk": {"Cyrillic"}, "ky": {"Cyrillic"},
    "el": {"Greek"}, "ar": {"Arabic"}, "fa": {"Arabic"}, "ur": {"Arabic"}, "he": {"Hebrew"},
    "zh": {"Han"}, "cmn": {"Han"}, "yue": {"Han"}, "ja": {"Han", "Kana"}, "ko": {"Hangul"},
    "hi": {"Devanagari"}, "mr": {"Devanagari"}, "ne": {"Devanagari"}, "bn": {"Bengali"},
    "th": {"Thai"}, "ka": {"Georgian"}, "hy": {"Armenian"}, "ta": {"Tamil"},
    "te": {"Telugu"}, "gu": {"Gujarati"}, "pa": {"Gurmukhi"}, "kn": {"Kannada"},
    "ml": {"Malayalam"}, "am": {"Ethiopic"}, "km": {"Khmer"}, "lo": {"Lao"},
    "my": {"Myanmar"}, "si": {"Sinhala"},
}  # fmt: skip

SCRIPT_NAMES = {"Han": "Chinese characters", "Kana": "Japanese kana", "Hangul": "Korean"}


def script_of(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return next((s for p, s in SCRIPT_PREFIXES.items() if name.startswith(p)), "Other")


def dominant_script(text: str) -> str | None:
    """The writing system of most letters in TEXT, or None if it has no letters."""
    counts = Counter(s for s in map(script_of, text) if s)
    return counts.most_common(1)[0][0] if counts else None


def scripts_for(language: str) -> set[str]:
    return LANGUAGE_SCRIPTS.get(language.split("-")[0].lower(), {"Latin"})


def unreadable_script(text: str, language: str) -> str | None:
    """The script name if TEXT is mostly written in one LANGUAGE's voices cannot read."""
    script = dominant_script(text)
    if script is None or script in scripts_for(language):
        return None
    return SCRIPT_NAMES.get(script, f"{script} script")
