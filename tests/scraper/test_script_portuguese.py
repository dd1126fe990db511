"""The writer in Brazilian Portuguese: no English filler, numbers and prices as Brazil
writes them (and as the Portuguese voice reads them), counts in agreement; a page in a
language without a writer gets an English script, wholly English, and says so."""

from __future__ import annotations

import re

import pytest

from scraper.extract import Product, extract
from scraper.script import write_script
from scraper.script.grammar import BANKS, LANGUAGES

from .server import IT_PRODUCT_HTML, PT_PRODUCT_HTML

# English words that are no Portuguese word: one of them in a Portuguese script is filler
# left over from the English bank ("link" is Portuguese ad copy too, so it is not here).
ENGLISH = frozenset(
    "the and with for your you this that these is are was it its it's of to from by on at "
    "just only now today get grab tap hit shop here what more even better best love check "
    "hey hi wait meet rated stars reviews review out five plus also seriously really all "
    "made everyday looks great works game changer every single time day after win huge "
    "don't go before gone visit order yours treat yourself why not".split()
)
FEATURES = [
    "Mantém bebidas quentes por 12 horas e geladas por 24 horas",
    "Tampa antivazamento que você abre com uma mão só",
    "Cabe em qualquer porta-copos de carro",
    "Corpo de aço inox que pode ir à lava-louças",
    "Garantia vitalícia contra ferrugem e amassados",
]
DESCRIPTION = (
    "A Caneca Trilha tem parede dupla de aço para quem vive em movimento. "
    "Ela mantém o seu café quente durante o trajeto mais longo. "
    "A pintura eletrostática garante uma pegada firme mesmo com as mãos frias. "
    "A tampa trava com um clique, então nada vaza na sua mochila. "
    "Ela vem em seis cores que combinam com qualquer mochila."
)


def caneca(**changes) -> Product:
    data = dict(
        title="Caneca Térmica Trilha - 500 ml",
        brand="Northwind",
        price="1299.9",
        currency="BRL",
        description=DESCRIPTION,
        features=FEATURES,
        images=[f"https://cdn.example/c{i}.jpg" for i in range(5)],
        rating="4.7",
        review_count=1234,
        language="pt",
    )
    data.update(changes)
    return Product(**data)


def english_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[\w'’]+", text.lower()) if w in ENGLISH}


def test_portuguese_is_a_writer_language_with_every_part_of_the_bank():
    assert "pt" in LANGUAGES
    assert set(BANKS["pt"]) >= set(BANKS["en"]) - {"proof_no_count"}
    for key in ("hook", "benefit", "extend", "proof", "offer", "offer_no_price", "cta"):
        assert set(BANKS["pt"][key]) == {"energetic", "professional", "friendly"}, key


@pytest.mark.parametrize("tone", ["energetic", "professional", "friendly"])
@pytest.mark.parametrize("length", [15, 30, 60])
@pytest.mark.parametrize("aspect", ["9:16", "16:9", "1:1"])
def test_a_portuguese_script_has_no_english_filler(tone, length, aspect):
    for seed in range(4):
        script = write_script(caneca(), length, tone, aspect, seed=seed)
        assert script.language == "pt" and script.language_note is None
        overlays = " ".join(s.on_screen_text for s in script.scenes)
        assert not english_words(script.text + " " + overlays), script.text


def test_a_portuguese_page_with_little_text_gets_portuguese_benefits():
    bare = caneca(features=[], description=None, rating=None, review_count=None)
    for tone in ("energetic", "professional", "friendly"):
        script = write_script(bare, 30, tone, seed=1)
        assert not english_words(script.text), script.text
        assert "dia a dia" in script.text or "praticidade" in script.text
    unnamed = write_script(caneca(title=None, brand=None, features=[]), 15, "professional")
    assert "this product" not in unnamed.text


@pytest.mark.parametrize("length", [15, 30, 60])
@pytest.mark.parametrize("tone", ["energetic", "professional", "friendly"])
def test_the_portuguese_script_fits_the_word_budget(length, tone):
    script = write_script(caneca(), length, tone, "16:9" if length == 60 else "9:16", seed=3)
    budget = length * 2.5
    assert abs(script.word_count - budget) <= 0.2 * budget, script.text


@pytest.mark.parametrize(
    ("price", "currency", "spoken"),
    [
        ("1299.9", "BRL", "R$ 1.299,90"),
        ("1759.99", "BRL", "R$ 1.759,99"),
        ("249", "BRL", "R$ 249"),
        ("24.99", "EUR", "24,99 €"),
        ("24.99", "USD", "US$ 24,99"),
        ("1500", "XYZ", "1.500 XYZ"),
    ],
)
def test_prices_are_written_as_brazil_writes_them(price, currency, spoken):
    script = write_script(caneca(price=price, currency=currency), 30, "professional", seed=2)
    offer = next(s for s in script.scenes if s.role == "offer")
    assert spoken in offer.text and offer.on_screen_text == spoken.upper()


def test_ratings_and_counts_use_the_decimal_comma_and_the_thousands_dot():
    script = write_script(caneca(), 30, "professional", seed=2)
    proof = next(s for s in script.scenes if s.role == "proof")
    assert "4,7" in proof.text and "1.234 avaliações" in proof.text, proof.text
    assert "4.7" not in script.text and "1234" not in script.text
    assert any(s.on_screen_text == "★ 4,7" for s in script.scenes)


@pytest.mark.parametrize("count", [1, 2, 1234])
def test_counted_words_agree_with_the_number(count):
    proofs = set()
    for tone in ("energetic", "professional", "friendly"):
        for seed in range(8):
            script = write_script(caneca(review_count=count), 30, tone, seed=seed)
            proofs.add(next(s.text for s in script.scenes if s.role == "proof"))
    text = " ".join(proofs)
    if count == 1:
        assert re.search(r"\b1 (avaliação|cliente satisfeito)\b", text), text
        assert not re.search(r"\b1 (avaliações|clientes)\b", text), text
    else:
        assert not re.search(r"\d (avaliação|cliente satisfeito)\b", text), text
        assert re.search(r"\d (avaliações|clientes satisfeitos)\b", text), text


def test_the_portuguese_voice_reads_the_written_price_and_rating():
    from avatar.text import normalize

    script = normalize("Tudo por só R$ 1.299,90! Nota 4,7 de 5 em 1.234 avaliações.", "pt-BR")
    spoken = " ".join(t.spoken for s in script.segments for t in getattr(s, "tokens", []))
    assert "mil duzentos e noventa e nove reais e noventa centavos" in spoken
    assert "quatro vírgula sete" in spoken and "mil duzentos e trinta e quatro" in spoken


def test_the_customers_page_gives_a_portuguese_script():
    product = extract(PT_PRODUCT_HTML, "https://lojaserraazul.com.br/mochila-trilha")
    for tone in ("energetic", "professional", "friendly"):
        script = write_script(product, 30, tone, seed=5)
        assert script.language == "pt" and not english_words(script.text), script.text
        assert "R$ 249,90" in script.text


def test_a_page_in_a_language_without_a_writer_gets_a_wholly_english_script_and_a_note():
    product = extract(IT_PRODUCT_HTML, "https://example.it/moka")
    script = write_script(product, 30, seed=1)
    assert script.language == "en"
    note = script.language_note
    assert note and "Italian" in note and "in English" in note
    for language in ("English", "German", "French", "Spanish", "Portuguese"):
        assert language in note
    italian = {"il", "la", "che", "di", "per", "gas", "caffè", "manico", "confezione"}
    words = set(re.findall(r"\w+", script.text.lower()))
    assert not words & italian, script.text  # the page's sentences are left out
    assert "Caffettiera Moka Aurora" in script.text  # its name stays
    voices = {"en", "fr"}  # a language the writer writes but no voice speaks
    assert "no writer or voice" in write_script(caneca(), 15, available_languages=voices).notes[0]
