"""Spanish tables."""

from __future__ import annotations

from .lang import Language

WORDS = {
    "percent": "por ciento",
    "to": "a",
    "point": "coma",
    "money_and": "con",
    "and": "y",
    "minus": "menos",
    "plus": "más",
    "equals": "igual a",
    "times": "por",
    "by": "por",
    "about": "aproximadamente",
    "at": "arroba",
    "dot": "punto",
    "slash": "barra",
    "dash": "guion",
    "underscore": "guion bajo",
    "number": "número",
    "hashtag": "hashtag",
    "half": "un medio",
    "and_a_half": "y medio",
    "out_of": "de",
    "ratio": "a",
    "thousand": "mil",
    "million": "millones",
    "billion": "mil millones",
    "less_than": "menos de",
    "more_than": "más de",
    "at_most": "como máximo",
    "at_least": "al menos",
    "plus_minus": "más o menos",
    "www": "w w w",
    "with": "con",
    "without": "sin",
}

UNITS = {
    "mAh": ("miliamperio hora", "miliamperios hora"),
    "kWh": ("kilovatio hora", "kilovatios hora"),
    "Wh": ("vatio hora", "vatios hora"),
    "kW": ("kilovatio", "kilovatios"),
    "W": ("vatio", "vatios"),
    "V": ("voltio", "voltios"),
    "TB": ("terabyte", "terabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "MB": ("megabyte", "megabytes"),
    "GHz": ("gigahercio", "gigahercios"),
    "MHz": ("megahercio", "megahercios"),
    "Hz": ("hercio", "hercios"),
    "mm": ("milímetro", "milímetros"),
    "cm": ("centímetro", "centímetros"),
    "m": ("metro", "metros"),
    "km": ("kilómetro", "kilómetros"),
    "in": ("pulgada", "pulgadas"),
    "mg": ("miligramo", "miligramos"),
    "g": ("gramo", "gramos"),
    "kg": ("kilogramo", "kilogramos"),
    "lb": ("libra", "libras"),
    "ml": ("mililitro", "mililitros"),
    "l": ("litro", "litros"),
    "°C": ("grado Celsius", "grados Celsius"),
    "°F": ("grado Fahrenheit", "grados Fahrenheit"),
    "°": ("grado", "grados"),
    "km/h": ("kilómetro por hora", "kilómetros por hora"),
    "fps": ("fotograma por segundo", "fotogramas por segundo"),
    "MP": ("megapíxel", "megapíxeles"),
    "x": ("por", "por"),
    "h": ("hora", "horas"),
    "min": ("minuto", "minutos"),
    "sec": ("segundo", "segundos"),
    "ms": ("milisegundo", "milisegundos"),
    "m²": ("metro cuadrado", "metros cuadrados"),
    "pcs": ("pieza", "piezas"),
}

CURRENCIES = {
    "EUR": ("euro", "euros", "céntimo", "céntimos"),
    "USD": ("dólar", "dólares", "centavo", "centavos"),
    "GBP": ("libra", "libras", "penique", "peniques"),
    "MXN": ("peso", "pesos", "centavo", "centavos"),
    "CLP": ("peso", "pesos", "centavo", "centavos"),
    "COP": ("peso", "pesos", "centavo", "centavos"),
    "ARS": ("peso", "pesos", "centavo", "centavos"),
    "JPY": ("yen", "yenes", "", ""),
}

MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
).split()

MONTH_NAMES = {name: index for index, name in enumerate(MONTHS, start=1)} | {"setiembre": 9}

ABBREVIATIONS = {
    "p. ej.": "por ejemplo",
    "p.ej.": "por ejemplo",
    "sr.": "señor",
    "sra.": "señora",
    "srta.": "señorita",
    "dr.": "doctor",
    "dra.": "doctora",
    "aprox.": "aproximadamente",
    "etc": "etcétera",
    "núm.": "número",
    "n.º": "número",
    "ud.": "usted",
    "uds.": "ustedes",
    "ee. uu.": "Estados Unidos",
    "ee.uu.": "Estados Unidos",
    "vs.": "contra",
    "24/7": "veinticuatro siete",
}

PER = {
    "mes": "al mes",
    "año": "al año",
    "día": "al día",
    "semana": "a la semana",
    "h": "por hora",
    "hora": "por hora",
    "kg": "por kilo",
    "persona": "por persona",
}

SPANISH = Language(
    code="es",
    decimal_sep=",",
    fraction_digitwise=False,
    words=WORDS,
    units=UNITS,
    currencies=CURRENCIES,
    months=tuple(MONTHS),
    month_names=MONTH_NAMES,
    abbreviations=ABBREVIATIONS,
    per=PER,
    ordinal_suffixes={"º": False, "°": False, "ª": True},
    feminine=((r"o$", "a"),),
    before_noun=(
        (r"veintiuno$", "veintiún"),
        (r"\buno$", "un"),
        (r"\bprimero$", "primer"),
        (r"\btercero$", "tercer"),
    ),
    noun_follows=(
        r"\s+(?!(?:de|del|y|o|a|al|en|por|para|con|que|es|son|se|lo|la|el|los|las)\b)"
        r"[a-záéíóúñ]"
    ),
    date_patterns=(
        "(?P<day>\\d{1,2})\\s+de\\s+(?P<month>MONTH)(?:\\s+(?:de|del)\\s+(?P<year>\\d{4}))?",
        "(?P<month>MONTH)\\s+(?:de|del)\\s+(?P<year>\\d{4})",
    ),
    date_formats={
        "full": "{day} de {month} de {year}",
        "no_year": "{day} de {month}",
        "month_year": "{month} de {year}",
    },
    day_style="cardinal",
    time_formats={"hm": "{h} y {m}", "h": "{h} en punto"},
)
