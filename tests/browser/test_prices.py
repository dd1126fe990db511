"""A wrong price never reaches a video silently: a page whose only money is a per-unit
price and a former price makes the seller give the price before anything renders."""

from __future__ import annotations

import re

import pytest

from .conftest import shot, sign_up

pytestmark = pytest.mark.browser


def test_a_doubtful_price_is_asked_for_before_the_ad_renders(page, app, shop):
    sign_up(page, app, "grocer@shop.test")
    page.goto(f"{app.base}/create/link/")
    page.get_by_label("Product page URL").fill(f"{shop.base}/unit-price")
    page.get_by_label("Length").select_option("15")
    page.get_by_role("button", name="Read the page").click()
    page.wait_for_url(re.compile(r"/drafts/[0-9a-f-]+/"), timeout=90_000)

    prompt = page.locator(".price-confirm")
    prompt.wait_for()
    assert prompt.get_attribute("role") == "alert"
    text = prompt.inner_text()
    assert "could not find a price" in text and "$19.96 / kg" in text and "$24.00" in text
    assert "No price found" in page.locator("#product .product-price").inner_text()
    script = " ".join(
        page.get_by_label(f"Script for scene {n}").input_value()
        for n in range(1, page.locator("textarea[data-field$='.script']").count() + 1)
    )
    assert "19.96" not in script and "24.00" not in script
    shot(page, "price-01-asked", phone=True)

    page.get_by_role("button", name="Render video").click()
    assert page.locator("#price-confirm").evaluate("e => e === document.activeElement")
    assert "/drafts/" in page.url  # nothing rendered

    page.get_by_label("Price in the ad").fill("18.50")
    page.get_by_role("button", name="Use this price").click()
    prompt.wait_for(state="detached")
    assert "$18.50" in page.locator("#product .product-price").inner_text()
    page.locator("#estimate").get_by_text("credits").first.wait_for()
    shot(page, "price-02-confirmed", phone=True)
    page.get_by_role("button", name="Render video").click()
    page.wait_for_url(re.compile(r"/videos/[0-9a-f-]+/"), timeout=30_000)
