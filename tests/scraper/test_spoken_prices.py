"""The offer scene's price, written in the script's language and then spoken by the
voice's text normaliser, says the amount and the currency the shop shows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from avatar.text import normalize
from scraper.extract import Product
from scraper.script.writer import speakable_price


def spoken(text: str, language: str) -> str:
    segments = normalize(text, language).segments
    return " ".join(t.spoken for s in segments if hasattr(s, "tokens") for t in s.tokens)


@pytest.mark.parametrize(
    ("price", "currency", "language", "written", "said"),
    [
        ("1299", "EUR", "de", "1.299 €", "eintausendzweihundertneunundneunzig Euro"),
        ("1299.5", "CHF", "de", "1.299,50 CHF", "eintausendzweihundertneunundneunzig Franken"),
        ("249990", "CLP", "es", "249.990 CLP",
         "doscientos cuarenta y nueve mil novecientos noventa pesos"),
        ("1999", "MXN", "es", "1.999 MXN", "mil novecientos noventa y nueve pesos"),
        ("1999", "EUR", "es", "1.999 €", "mil novecientos noventa y nueve euros"),
        ("1299", "EUR", "fr", "1 299 €", "mille deux cent quatre-vingt-dix-neuf euros"),
        ("249990", "CLP", "en", "249,990 CLP",
         "two hundred forty-nine thousand nine hundred ninety pesos"),
        ("1.125", "KWD", "en", "1.125 KWD", None),
    ],
)  # fmt: skip
def test_an_offer_price_is_written_and_spoken_as_the_shop_means_it(
    price, currency, language, written, said
):
    text = speakable_price(Product(price=Decimal(price), currency=currency), language)
    assert text == written
    if said is not None:
        assert said in spoken(text, language).replace(",", "")
