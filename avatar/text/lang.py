"""Language tables and resolving a BCP-47 tag to them.

Each ``lang_xx`` module holds one :class:`Language` of data (words, units,
currencies, months, abbreviations, date and time templates). A language
without a table still gets its numbers said when num2words knows it, and
otherwise keeps digits for the speech engine to read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .spell import EnglishSpeller, NumWordsSpeller, Speller, num2words_languages

# Languages that write 1.299,00 (decimal comma) when they have no table.
COMMA_DECIMAL = frozenset(
    "de fr es it pt nl pl ru tr cs sk sl sv da no nb fi hu ro uk be lt lv id vi el hr sr bg".split()
)
# num2words gives era names, not calendar years, for these.
NO_YEAR_FORM = frozenset({"ja", "ko", "th", "zh"})


@dataclass(frozen=True, eq=False)
class Language:
    """Everything the rules need to know about one language.

    Compared and hashed by identity: :func:`resolve` caches one per tag.
    """

    code: str
    num2words: str | None = None
    decimal_sep: str = "."
    fraction_digitwise: bool = True
    words: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    currencies: Mapping[str, tuple[str, str, str, str]] = field(default_factory=dict)
    months: tuple[str, ...] = ()
    month_names: Mapping[str, int] = field(default_factory=dict)
    abbreviations: Mapping[str, str] = field(default_factory=dict)
    acronyms: Mapping[str, str] = field(default_factory=dict)
    per: Mapping[str, str] = field(default_factory=dict)
    ordinal_suffixes: Mapping[str, bool] = field(default_factory=dict)
    feminine: tuple[tuple[str, str], ...] = ()
    before_noun: tuple[tuple[str, str], ...] = ()
    noun_follows: str = ""
    ordinal_dot: bool = False
    space_groups: bool = False
    fractions: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    date_patterns: tuple[str, ...] = ()
    date_formats: Mapping[str, str] = field(default_factory=dict)
    day_style: str = "ordinal"
    ordinal_after: Mapping[str, str] = field(default_factory=dict)
    time_formats: Mapping[str, str] = field(default_factory=dict)
    time_patterns: tuple[str, ...] = ()
    twelve_hour: bool = False
    region: str = ""
    month_first: bool = False
    speller: Speller | None = None

    def word(self, key: str) -> str | None:
        """A function word such as ``"percent"`` or ``"to"``; ``None`` when unknown."""
        return self.words.get(key)


def primary_subtag(tag: str) -> tuple[str, str]:
    """``"pt-BR"`` -> ``("pt", "BR")``; ``"en"`` -> ``("en", "")``."""
    parts = [part for part in re.split(r"[-_]", tag.strip()) if part]
    primary = parts[0].lower() if parts else "en"
    region = next((p.upper() for p in parts[1:] if len(p) == 2 or p.isdigit()), "")
    return primary, region


@lru_cache(maxsize=64)
def resolve(tag: str) -> Language:
    """The :class:`Language` for a BCP-47 tag such as ``"de-DE"``.

    Plain ``"en"`` reads numeric dates month first, like ``"en-US"``.
    """
    code, region = primary_subtag(tag)
    base = _tables().get(code) or _untabled(code)
    month_first = code == "en" and region in ("", "US")
    return replace(
        base, region=region, month_first=month_first, speller=_speller(base, code, region)
    )


def _speller(base: Language, code: str, region: str) -> Speller | None:
    if code == "en":
        return EnglishSpeller()
    known = num2words_languages()
    regional = f"{code}_{region}"
    name = regional if regional in known and region else base.num2words or code
    if name not in known:
        return None
    return NumWordsSpeller(name, says_years=code not in NO_YEAR_FORM)


def _untabled(code: str) -> Language:
    return Language(code=code, num2words=code, decimal_sep="," if code in COMMA_DECIMAL else ".")


@lru_cache(maxsize=1)
def _tables() -> dict[str, Language]:
    # Imported here: the table modules import Language from this module.
    from . import lang_de, lang_en, lang_es, lang_fr, lang_other

    languages = [lang_en.ENGLISH, lang_de.GERMAN, lang_fr.FRENCH, lang_es.SPANISH]
    return {language.code: language for language in languages + list(lang_other.OTHERS)}
