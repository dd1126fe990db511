"""Locale-aware reading of prices: numbers in every common format, currencies as ISO 4217.

``1.759,99`` (Brazil), ``249.990`` (Chile, no decimals), ``1,299.00`` (US),
``44 890`` (Kazakhstan), ``1'299.00`` (Switzerland). An ambiguous single
separator followed by three digits is a thousands separator unless the
currency has three decimals. A bare ``$`` or ``kr`` is resolved from page
signals (language, ``og:locale``, the domain's country).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

ISO_CODES = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
    BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR
    FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD
    JPY KES KGS KHR KMF KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
    MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
    RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SYP SZL THB TJS TMT TND
    TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW""".split()
)
ZERO_DECIMAL = frozenset("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF".split())
THREE_DECIMAL = frozenset("BHD IQD JOD KWD LYD OMR TND".split())

# Unambiguous symbols and local abbreviations, longest first when matched.
SYMBOLS = {
    "R$": "BRL",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "MX$": "MXN",
    "US$": "USD",
    "RD$": "DOP",
    "NT$": "TWD",
    "E£": "EGP",  # before "£": Egyptian pounds, not sterling
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "₽": "RUB",
    "₺": "TRY",
    "₩": "KRW",
    "₪": "ILS",
    "₫": "VND",
    "₴": "UAH",
    "₸": "KZT",
    "₦": "NGN",
    "₱": "PHP",
    "฿": "THB",
    "₲": "PYG",
    "zł": "PLN",
    "kč": "CZK",
    "ft": "HUF",
    "lei": "RON",
    "лв": "BGN",
    "руб": "RUB",
    "р.": "RUB",
    "тг": "KZT",
    "грн": "UAH",
    "l.e": "EGP",
    "ج.م": "EGP",
    "د.إ": "AED",
    "ر.س": "SAR",
    "ر.ق": "QAR",
    "د.ك": "KWD",
    "rs.": "INR",
    "sfr": "CHF",
    "dhs": "AED",
}
DOLLAR_BY_COUNTRY = {
    "us": "USD",
    "ca": "CAD",
    "au": "AUD",
    "nz": "NZD",
    "sg": "SGD",
    "hk": "HKD",
    "mx": "MXN",
    "ar": "ARS",
    "cl": "CLP",
    "co": "COP",
    "uy": "UYU",
    "tw": "TWD",
    "br": "BRL",
    "jm": "JMD",
    "bs": "BSD",
    "bz": "BZD",
    "fj": "FJD",
    "na": "NAD",
}
KRONA_BY_COUNTRY = {"se": "SEK", "no": "NOK", "dk": "DKK", "is": "ISK", "fo": "DKK"}
KRONA_BY_LANGUAGE = {"sv": "SEK", "nb": "NOK", "nn": "NOK", "no": "NOK", "da": "DKK", "is": "ISK"}
YEN_BY_LANGUAGE = {"zh": "CNY", "ja": "JPY"}
EURO_COUNTRIES = frozenset("at be cy de ee es fi fr gr hr ie it lt lu lv mt nl pt si sk".split())
GENERIC_TLDS = frozenset("com net org shop store info biz co io eu".split())
SECOND_LEVEL = frozenset("com co net org gob gov edu ac".split())

# A number, or cents alone after a point ("$.99").
_NUMBER = re.compile(r"\d(?:[\d.,'’\u00a0\u202f\u2009 ]*\d)?|(?<![\w.])\.\d{1,2}(?!\d)")
_SPACES = "\u00a0\u202f\u2009 '’"


@dataclass(frozen=True)
class PageHints:
    """Signals that disambiguate ``$``, ``kr`` or ``¥`` and number formats."""

    language: str | None = None  # primary subtag, e.g. "de"
    country: str | None = None  # ISO 3166 alpha-2, lower case, e.g. "cl"
    currency: str | None = None  # a currency the page declares somewhere

    @property
    def decimal_comma(self) -> bool | None:
        """Whether the page's locale writes 1.234,56 (None when unknown)."""
        comma_langs = {
            "de",
            "fr",
            "es",
            "pt",
            "it",
            "nl",
            "pl",
            "cs",
            "sk",
            "ru",
            "tr",
            "sv",
            "da",
            "nb",
            "fi",
            "ro",
            "hu",
            "el",
            "id",
            "vi",
            "uk",
            "kk",
            "bg",
            "hr",
        }
        if self.language:
            return self.language in comma_langs
        return None


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str | None


def hints_from(url: str | None, language: str | None, currency: str | None = None) -> PageHints:
    """PageHints from the page URL (country TLD), its language and a declared currency."""
    country = None
    if url:
        host = re.sub(r"^[a-z]+://", "", url.lower()).split("/", 1)[0].split(":", 1)[0]
        labels = host.split(".")
        tld = labels[-1]
        # shop.com.co and shop.co.uk: a generic label under a country's code is that
        # country (co alone is often just a short .com).
        under_country = len(labels) >= 3 and labels[-2] in SECOND_LEVEL
        if len(tld) == 2 and (tld not in GENERIC_TLDS or under_country):
            country = "gb" if tld == "uk" else tld
    lang = (language or "").replace("_", "-").split("-", 1)[0].lower() or None
    if country is None and language and "-" in language.replace("_", "-"):
        country = language.replace("_", "-").split("-", 1)[1][:2].lower()
    return PageHints(language=lang, country=country, currency=currency)


def parse_number(text: str, currency: str | None = None, hints: PageHints | None = None):
    """The first number in ``text`` as a Decimal, reading locale formats; None if none.

    >>> parse_number("R$ 1.759,99"), parse_number("$249.990", "CLP"), parse_number("1,299.00")
    (Decimal('1759.99'), Decimal('249990'), Decimal('1299.00'))
    """
    match = _NUMBER.search(text or "")
    if not match:
        return None
    raw = match.group(0).strip(_SPACES)
    # A space followed by 1-2 digits ends the number ("12 99" is not 1299)
    raw = re.split(r"[\u00a0\u202f\u2009 ](?=\d{1,2}(?!\d))", raw)[0]
    for char in _SPACES:
        raw = raw.replace(char, "")
    return _to_decimal(raw, currency, hints)


def _to_decimal(raw: str, currency: str | None, hints: PageHints | None):
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        decimal_sep = "." if raw.rfind(".") > raw.rfind(",") else ","
    elif dots + commas == 0:
        decimal_sep = None
    else:
        sep = "." if dots else ","
        decimal_sep = _single_separator(raw, sep, currency, hints)
    thousands = {".", ","} - {decimal_sep}
    for sep in thousands:
        raw = raw.replace(sep, "")
    if decimal_sep:
        raw = raw.replace(decimal_sep, ".")
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def _single_separator(raw: str, sep: str, currency: str | None, hints: PageHints | None):
    """Decide whether the only kind of separator in ``raw`` is the decimal one."""
    if raw.count(sep) > 1:
        return None  # 1.234.567
    digits_after = len(raw) - raw.index(sep) - 1
    if currency in ZERO_DECIMAL:
        return None
    if digits_after != 3:
        return sep
    if currency in THREE_DECIMAL:
        return sep
    if raw.index(sep) == 1 and raw.startswith("0"):
        return sep  # 0.125
    return None  # 6,675 / 249.990


def detect_currency(text: str, hints: PageHints | None = None) -> str | None:
    """ISO 4217 code named or symbolised in ``text`` (a price string), or None."""
    if not text:
        return None
    for token in re.findall(r"\b[A-Z]{3}\b", text):
        if token in ISO_CODES:
            return token
    lowered = text.lower()
    # Symbols (€, R$) before letter abbreviations (zł, тг), longest first within each
    for symbol in sorted(SYMBOLS, key=lambda s: (_is_word(s), -len(s))):
        if _has_symbol(lowered, symbol.lower()):
            return SYMBOLS[symbol]
    if "$" in text:
        return _dollar(hints)
    if re.search(r"(?<![a-z])kr\.?(?![a-z])", lowered):
        return _krona(hints)
    if "¥" in text or "円" in text or "元" in text:
        return (
            "JPY" if "円" in text else YEN_BY_LANGUAGE.get((hints or PageHints()).language, "CNY")
        )
    return None


def _is_word(symbol: str) -> bool:
    return symbol.replace(".", "").isalpha()


def _has_symbol(lowered: str, symbol: str) -> bool:
    if _is_word(symbol):
        return re.search(rf"(?<!\w){re.escape(symbol)}(?!\w)", lowered) is not None
    return symbol in lowered


def _dollar(hints: PageHints | None) -> str:
    hints = hints or PageHints()
    if hints.currency and hints.currency.endswith("D") or hints.currency in ("CLP", "MXN", "ARS"):
        return hints.currency
    return DOLLAR_BY_COUNTRY.get(hints.country or "", "USD")


def _krona(hints: PageHints | None) -> str:
    hints = hints or PageHints()
    if hints.currency in ("SEK", "NOK", "DKK", "ISK"):
        return hints.currency
    by_country = KRONA_BY_COUNTRY.get(hints.country or "")
    return by_country or KRONA_BY_LANGUAGE.get(hints.language or "", "SEK")


def country_currency(hints: PageHints) -> str | None:
    """The usual currency of the page's country, as a last resort."""
    country = hints.country or ""
    if country in EURO_COUNTRIES:
        return "EUR"
    table = {
        "gb": "GBP",
        "ch": "CHF",
        "pl": "PLN",
        "cz": "CZK",
        "hu": "HUF",
        "ro": "RON",
        "bg": "BGN",
        "ru": "RUB",
        "ua": "UAH",
        "kz": "KZT",
        "tr": "TRY",
        "in": "INR",
        "jp": "JPY",
        "cn": "CNY",
        "kr": "KRW",
        "eg": "EGP",
        "ae": "AED",
        "sa": "SAR",
        "za": "ZAR",
        "il": "ILS",
        "th": "THB",
        "id": "IDR",
        "my": "MYR",
        "ph": "PHP",
        "vn": "VND",
        "pe": "PEN",
        **DOLLAR_BY_COUNTRY,
        **KRONA_BY_COUNTRY,
    }
    return table.get(country)


def parse_price(text: str, hints: PageHints | None = None, currency: str | None = None):
    """A :class:`Money` from a price string like ``'CLP $249.990'``; None without a number.

    Args:
        text: the visible price text or a structured-data value.
        hints: page signals for ambiguous symbols.
        currency: a currency already known from the same source (wins over symbols).
    """
    code = currency or detect_currency(text, hints)
    amount = parse_number(text, code, hints)
    if amount is None:
        return None
    return Money(amount, code)


def format_amount(amount: Decimal | None) -> str | None:
    """A decimal string with '.' and no thousands separators; integers without decimals."""
    if amount is None:
        return None
    if amount == amount.to_integral_value():
        return str(int(amount))
    return format(amount.normalize(), "f") if amount.as_tuple().exponent < -2 else f"{amount:.2f}"
