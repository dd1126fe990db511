"""Smaller tables: function words, currencies and months only.

Units and abbreviations in these languages are left as written (the speech
engine reads them); numbers are said through num2words.
"""

from __future__ import annotations

from .lang import Language

ITALIAN = Language(
    code="it",
    decimal_sep=",",
    fraction_digitwise=False,
    words={
        "percent": "per cento",
        "to": "a",
        "point": "virgola",
        "money_and": "e",
        "and": "e",
        "minus": "meno",
        "plus": "più",
        "by": "per",
        "times": "per",
        "dot": "punto",
        "at": "chiocciola",
        "slash": "slash",
        "number": "numero",
        "thousand": "mila",
        "million": "milioni",
        "billion": "miliardi",
    },
    currencies={
        "EUR": ("euro", "euro", "centesimo", "centesimi"),
        "USD": ("dollaro", "dollari", "centesimo", "centesimi"),
        "GBP": ("sterlina", "sterline", "penny", "pence"),
    },
    months=tuple(
        "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
        "novembre dicembre".split()
    ),
    ordinal_suffixes={"º": False, "°": False, "ª": True},
    feminine=((r"o$", "a"),),
    day_style="first_ordinal",
    date_formats={"full": "{day} {month} {year}", "no_year": "{day} {month}"},
)

PORTUGUESE = Language(
    code="pt",
    decimal_sep=",",
    fraction_digitwise=False,
    words={
        "percent": "por cento",
        "to": "a",
        "point": "vírgula",
        "money_and": "e",
        "and": "e",
        "minus": "menos",
        "plus": "mais",
        "by": "por",
        "times": "vezes",
        "dot": "ponto",
        "at": "arroba",
        "slash": "barra",
        "number": "número",
        "thousand": "mil",
        "million": "milhões",
        "billion": "bilhões",
    },
    currencies={
        "BRL": ("real", "reais", "centavo", "centavos"),
        "EUR": ("euro", "euros", "cêntimo", "cêntimos"),
        "USD": ("dólar", "dólares", "centavo", "centavos"),
    },
    months=tuple(
        "janeiro fevereiro março abril maio junho julho agosto setembro outubro "
        "novembro dezembro".split()
    ),
    ordinal_suffixes={"º": False, "°": False, "ª": True},
    feminine=((r"o$", "a"),),
    day_style="cardinal",
    date_formats={"full": "{day} de {month} de {year}", "no_year": "{day} de {month}"},
)

DUTCH = Language(
    code="nl",
    decimal_sep=",",
    fraction_digitwise=False,
    words={
        "percent": "procent",
        "to": "tot",
        "point": "komma",
        "money_and": "en",
        "and": "en",
        "minus": "min",
        "plus": "plus",
        "by": "bij",
        "times": "keer",
        "dot": "punt",
        "at": "apenstaartje",
        "slash": "slash",
        "number": "nummer",
        "thousand": "duizend",
        "million": "miljoen",
        "billion": "miljard",
    },
    currencies={
        "EUR": ("euro", "euro", "cent", "cent"),
        "USD": ("dollar", "dollar", "cent", "cent"),
    },
    months=tuple(
        "januari februari maart april mei juni juli augustus september oktober "
        "november december".split()
    ),
    ordinal_suffixes={"e": False, "ste": False, "de": False},
    day_style="cardinal",
    date_formats={"full": "{day} {month} {year}", "no_year": "{day} {month}"},
)

OTHERS = (ITALIAN, PORTUGUESE, DUTCH)
