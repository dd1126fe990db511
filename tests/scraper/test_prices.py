"""Numbers in every common locale format, and currencies as ISO 4217."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scraper.prices import detect_currency, format_amount, hints_from, parse_price

CHILE = hints_from("https://www.paris.cl/x", "es-CL")


@pytest.mark.parametrize(
    ("text", "hints", "amount", "currency"),
    [
        ("R$ 1.759,99", None, "1759.99", "BRL"),
        ("$249.990", CHILE, "249990", "CLP"),
        ("1,299.00 USD", None, "1299", "USD"),
        ("44 890 тг.", None, "44890", "KZT"),
        ("44\u00a0890\u00a0₸", None, "44890", "KZT"),
        ("6,675.0 EGP", None, "6675", "EGP"),
        ("3,56 €", None, "3.56", "EUR"),
        ("L.E 12.00", None, "12", "EGP"),
        ("AED 315", None, "315", "AED"),
        ("£48.99", None, "48.99", "GBP"),
        ("1'299.00 CHF", None, "1299", "CHF"),
        ("1 234,56 zł", None, "1234.56", "PLN"),
        ("12,50 kr", hints_from("https://shop.dk/", "da"), "12.50", "DKK"),
        ("99 kr", hints_from("https://shop.se/", None), "99", "SEK"),
        ("¥1,200", hints_from("https://shop.jp/", "ja"), "1200", "JPY"),
        ("$19.99", hints_from("https://shop.ca/", "en-CA"), "19.99", "CAD"),
        ("$19.99", None, "19.99", "USD"),
        ("1.234 KWD", None, "1.234", "KWD"),
        ("1.234.567,89 €", None, "1234567.89", "EUR"),
        ("€ 1,234,567.89", None, "1234567.89", "EUR"),
        ("Now only 7,49 €", None, "7.49", "EUR"),
        ("US$ 5", None, "5", "USD"),
        ("E£ 1,299", None, "1299", "EGP"),  # not pounds sterling
        ("$ 129.900", hints_from("https://tienda.com.co/p", "es"), "129900", "COP"),
        ("$.99", None, "0.99", "USD"),
        ("£1.234,00", hints_from("https://shop.co.uk/p", None), "1234", "GBP"),
    ],
)
def test_it_reads_prices_in_local_formats(text, hints, amount, currency):
    money = parse_price(text, hints)
    assert money is not None
    assert money.amount == Decimal(amount) and money.currency == currency


def test_a_text_without_a_number_is_not_a_price():
    assert parse_price("Price on request") is None


def test_french_words_are_not_currencies():
    assert detect_currency("Le prix est de 12 €") == "EUR"


@pytest.mark.parametrize(
    ("amount", "text"),
    [("955.00", "955"), ("1759.99", "1759.99"), ("12.5", "12.50"), ("0.125", "0.125")],
)
def test_amounts_print_as_plain_decimals(amount, text):
    assert format_amount(Decimal(amount)) == text
