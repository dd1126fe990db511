"""An ad in the page's language: a Brazilian shop whose theme declares English
(<html lang="en">, og:locale en_US) gets a Portuguese script, read by a Portuguese voice;
a page in a language the writer does not write says so and stays wholly English."""

from __future__ import annotations

import re

import pytest

from .conftest import shot, sign_up

pytestmark = pytest.mark.browser

# English words that are no Portuguese word (the filler the customer heard)
ENGLISH = frozenset(
    "the and with for your you this that is are it of to just only now today get grab tap "
    "shop here plus wait meet rated stars reviews even better love check hey all".split()
)


def scene_scripts(page) -> list[str]:
    count = page.locator("textarea[data-field$='.script']").count()
    return [page.get_by_label(f"Script for scene {n}").input_value() for n in range(1, count + 1)]


def read_link(page, app, shop, path: str, length: str = "30") -> None:
    page.goto(f"{app.base}/create/link/")
    page.get_by_label("Product page URL").fill(f"{shop.base}{path}")
    page.get_by_label("Length").select_option(length)
    page.get_by_role("button", name="Read the page").click()
    page.wait_for_url(re.compile(r"/drafts/[0-9a-f-]+/"), timeout=90_000)
    page.locator("textarea[data-field$='.script']").first.wait_for()


def test_a_portuguese_page_makes_a_portuguese_ad(page, app, shop):
    sign_up(page, app, "loja@serraazul.test")
    read_link(page, app, shop, "/pt-product")

    scripts = scene_scripts(page)
    assert len(scripts) >= 5, scripts
    text = " ".join(scripts)
    words = set(re.findall(r"[\w']+", text.lower()))
    assert not words & ENGLISH, text
    assert "R$ 249,90" in text and "4,8" in text, text  # the price and rating as Brazil writes them
    assert words & {"você", "conheça", "link", "apenas", "só", "nota", "toque", "compre"}, text
    assert "Mochila Impermeável Trilha" in page.locator("#product .product-title").inner_text()
    assert page.locator("#product .language-note").count() == 0
    voice = page.locator("select[data-field$='.voice']").first
    assert voice.input_value().split(":")[1].startswith("pt"), voice.input_value()
    shot(page, "language-01-portuguese", phone=True)
    print("\nPortuguese script:\n" + "\n".join(scripts))


def test_a_page_in_another_language_says_so_and_names_the_languages(page, app, shop):
    sign_up(page, app, "bottega@moka.test")
    read_link(page, app, shop, "/it-product", length="15")

    note = page.locator("#product .language-note")
    assert note.get_attribute("role") == "status"
    said = note.inner_text()
    assert "Italian" in said and "in English" in said, said
    assert "English, German, French, Spanish and Portuguese" in said, said
    text = " ".join(scene_scripts(page)).lower()
    assert not {"il", "che", "manico", "caffè"} & set(re.findall(r"\w+", text)), text
    shot(page, "language-02-unsupported", phone=True)
