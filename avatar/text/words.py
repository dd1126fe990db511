"""Rules for words: abbreviations, initialisms, model numbers, all-caps words."""

from __future__ import annotations

import re

from . import say
from .lang import Language
from .rules import Context, Rule, alternation, make_rule, spell_letters

# Initialisms read letter by letter even though they contain a vowel.
SPELLED = frozenset(
    "USB LED LCD FAQ AI UI UX API CEO CTO CFO COO SEO EU UK USA UAE OS HDMI HD UHD HDR IP IPS UV "
    "EV AC DC DIY VIP PDF CPU GPU SSD HDD NFC GPS ETA IQ ID TBA TBD UGC CTA ROI KPI AR VR XR EQ "
    "OEM ATM BBQ ESG AMD IBM HP LG BMW TV PC SUV SMS FYI DM PS RGB VAT".split()
)
# Read as written words although all capitals and inside model numbers.
WORDS_IN_CAPS = frozenset("PRO MAX ULTRA PLUS MINI AIR LITE NEO EDGE NOTE GALAXY FOLD FLIP".split())
_VOWELS = frozenset("AEIOUYÄÖÜÀÁÂÃÅÆÈÉÊËÌÍÎÏÒÓÔÕØÙÚÛÝ")
_RUNS = re.compile(r"[A-Za-z]+|\d+|[./+]")


def rules(lang: Language) -> list[Rule]:
    """Word rules that must run before numbers (abbreviations) and after (SKUs)."""
    return [
        make_rule("abbreviation", f"(?i:{alternation(lang.abbreviations)})", _abbreviation),
        make_rule(
            "number-prefix",
            r"(?:(?i:no|nr|n°|núm|num)\.|№|n°)\s?(?=\d)",
            _number_word,
            bounded=False,
        ),
    ]


def late_rules(lang: Language) -> list[Rule]:
    """Word rules tried after the number rules."""
    return [
        make_rule("initialism", r"(?:[A-Za-z]\.){1,8}[A-Za-z]", _initialism),
        make_rule("model-number", r"[A-Za-z0-9]+(?:[-/.+][A-Za-z0-9]+){0,6}", _model_number),
    ]


def _abbreviation(match: re.Match[str], ctx: Context) -> str | None:
    return ctx.lang.abbreviations.get(match.group(0).lower())


def _number_word(match: re.Match[str], ctx: Context) -> str | None:
    return ctx.lang.word("number")


def _initialism(match: re.Match[str], ctx: Context) -> str | None:
    """``U.S`` (its last dot stays as punctuation) -> "U S"."""
    return spell_letters(match.group(0).replace(".", ""))


def _model_number(match: re.Match[str], ctx: Context) -> str | None:
    """``SM-A015F`` -> "S M A zero one five F"; ``RTX4090`` -> "R T X forty ninety"."""
    written = match.group(0)
    if not re.search(r"\d", written) or not re.search(r"[A-Za-z]", written):
        return None
    runs = _RUNS.findall(written)
    spoken: list[str] = []
    for index, run in enumerate(runs):
        words = _model_run(run, index, runs, ctx.lang)
        if words is None:
            return None
        spoken += [words] if words else []
    return " ".join(spoken)


def _model_run(run: str, index: int, runs: list[str], lang: Language) -> str | None:
    if run.isdigit():
        return digit_group(run, lang)
    if run == ".":
        between = 0 < index < len(runs) - 1 and runs[index - 1].isdigit()
        return (lang.word("point") or "") if between and runs[index + 1].isdigit() else ""
    if run == "+":
        return lang.word("plus") or ""
    if run == "/":
        return ""
    if run.isupper() or len(run) <= 2:
        return _caps(run, inside_model=True, lang=lang) if run.isupper() else spell_letters(run)
    return run


def digit_group(run: str, lang: Language) -> str | None:
    """Short groups as numbers (4 digits as a year: 4090 -> "forty ninety"), else digits."""
    if run.startswith("0") or len(run) > 4:
        return say.digits(run, lang)
    if len(run) == 4:
        return say.year(int(run), lang)
    return say.cardinal(int(run), lang)


def speak_word(word: str, ctx: Context) -> str:
    """A word no rule claimed: spell initialisms, quiet shouting, else as written."""
    if word in ctx.lang.acronyms:
        return ctx.lang.acronyms[word]
    if not word.isupper() or len(word) < 2:
        return word
    return " ".join(_caps(part, inside_model=False, lang=ctx.lang) for part in word.split("-"))


def _caps(word: str, inside_model: bool, lang: Language) -> str:
    """An all-capitals word: known initialisms spelled, "FREE" said as "free"."""
    if word in lang.acronyms:
        return lang.acronyms[word]
    if word in SPELLED or len(word) == 1:
        return spell_letters(word)
    if inside_model and word in WORDS_IN_CAPS:
        return word.lower()
    if inside_model and len(word) <= 3:
        return spell_letters(word)
    return word.lower() if _VOWELS & set(word) else spell_letters(word)
