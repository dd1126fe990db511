"""The page's language: declared (<html lang>, og:locale, JSON-LD inLanguage) and
checked against the product's own words, the text winning a clear disagreement."""

from __future__ import annotations

import pytest

from scraper.extract import extract
from scraper.extract.language import decide, declared, name, primary, shares

from .accuracy import load, pages
from .server import IT_PRODUCT_HTML, PT_PRODUCT_HTML

# The fixtures' expected.json has no language: each was read by hand from the page's
# visible product text. herobabystore is bilingual (English and Arabic, one after the
# other) and declares English, which the text bears out.
FIXTURE_LANGUAGES = {
    "agem-sk-anpix-m2-pcie-adapter": "sk",  # declares nothing
    "almedina-codigo-do-trabalho": "pt",
    "amazon-co-uk-tefal-pan-set": "en",
    "amazon-de-weleda-body-lotion": "de",
    "argos-tapo-c200-camera": "en",
    "ariika-willow-bean-bag": "en",
    "chess-store-grande-persian-set": "en",
    "ebrosia-beringer-zinfandel-rose": "de",
    "fye-better-off-dead-bluray": "en",
    "herobabystore-3-fruits-jar": "en",
    "ikea-uk-moeckelby-table": "en",
    "jumia-eg-tp-link-router": "en",
    "letstango-casio-edifice-watch": "en",
    "mechta-kz-samsung-galaxy-a01": "ru",
    "mobly-br-cama-box-manhattan": "pt",  # declares nothing
    "mollusk-christenson-flat-tracker": "en",
    "ostrichpillow-original": "en",  # declares nothing
    "paris-cl-cama-eloisa": "es",
    "radioshack-eg-airwheel-m3": "en",
    "zalando-ie-mavis-winter-coat": "en",
}
PAGES = pages()


@pytest.mark.skipif(not PAGES, reason="shared/fixtures/product_pages is absent")
def test_every_fixture_page_gets_its_language():
    assert {p.name for p in PAGES} == set(FIXTURE_LANGUAGES)
    found = {}
    for folder in PAGES:
        html, expected = load(folder)
        found[folder.name] = extract(html, expected.get("page_url")).language
    assert found == FIXTURE_LANGUAGES


def test_a_portuguese_page_declared_as_english_is_portuguese():
    # <html lang="en"> and og:locale en_US: a theme's default on a Brazilian shop
    product = extract(PT_PRODUCT_HTML, "https://lojaserraazul.com.br/mochila-trilha")
    assert product.language == "pt" and product.sources["language"] == "text"
    assert (product.price, product.currency) == ("249.90", "BRL")


def test_a_page_in_the_language_it_declares_keeps_it():
    product = extract(IT_PRODUCT_HTML, "https://example.it/moka")
    assert product.language == "it" and product.sources["language"] == "declared"


def page(body: str, head: str = "", lang: str | None = None) -> str:
    attribute = f' lang="{lang}"' if lang else ""
    return f"<!doctype html><html{attribute}><head>{head}</head><body>{body}</body></html>"


SPANISH = (
    "<h1>Zapatillas de running Brisa</h1><div class='description'><p>Unas zapatillas "
    "ligeras y transpirables para correr todos los días. La suela amortigua cada paso "
    "y la malla deja respirar el pie incluso en verano.</p></div>"
)


@pytest.mark.parametrize(
    "in_language",
    ['"es-ES"', '{"@type": "Language", "name": "Spanish", "alternateName": "es"}'],
)
def test_json_ld_in_language_is_a_declaration(in_language):
    head = (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        f'"@type": "WebPage", "inLanguage": {in_language}}}</script>'
    )
    html = page(SPANISH, head)
    assert declared_of(html) == ["es"]
    product = extract(html)
    assert product.language == "es" and product.sources["language"] == "declared"


def declared_of(html: str) -> list[str]:
    from scraper.extract import dom, structured

    root = dom.parse(html)
    return declared(root, dom.meta_values(root), structured.extract_syntaxes(html, None))


def test_og_locale_and_html_lang_are_read_as_iso_codes():
    head = '<meta property="og:locale" content="pt_BR">'
    assert declared_of(page("<h1>x</h1>", head)) == ["pt"]
    assert declared_of(page("<h1>x</h1>", lang="en-GB")) == ["en"]
    assert declared_of(page("<h1>x</h1>", head, lang="en")) == ["en", "pt"]
    assert [primary(t) for t in ("pt-BR", "en_GB", "iw", "nb-NO", "x", "", None)] == [
        "pt", "en", "he", "no", None, None, None,
    ]  # fmt: skip


def test_a_short_product_text_never_overrules_the_declaration():
    # a brand and a model say nothing about the page's language
    product = extract(page("<h1>Nike Air Max 90</h1>", lang="de"))
    assert product.language == "de"


def test_a_page_that_declares_nothing_takes_the_texts_language():
    product = extract(page(SPANISH))
    assert product.language == "es" and product.sources["language"] == "text"


def test_a_bilingual_page_keeps_the_declared_language_it_is_partly_written_in():
    text = (
        "Pure de frutas para bebês, sem açúcar e sem conservantes, feito com pera e maçã.\n"
        "Fruit puree for babies with no added sugar or preservatives, made with pear."
    )
    assert decide(["en"], text) == ("en", "declared")
    assert decide(["fr"], text)[1] == "declared"  # no language holds 60 %: kept
    found, letters = shares(text)
    assert set(found) == {"pt", "en"} and letters > 100


def test_when_declarations_disagree_the_text_picks_among_them():
    text = "Mochila impermeável com alças acolchoadas e espaço para o notebook e a garrafa."
    assert decide(["en", "pt"], text) == ("pt", "declared")
    assert decide([], "") == (None, "none")
    assert decide(["de"], "") == ("de", "declared")


def test_language_names_for_notices():
    assert (name("pt"), name("it"), name("qq")) == ("Portuguese", "Italian", "'qq'")
