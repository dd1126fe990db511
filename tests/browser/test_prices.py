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


def test_an_ad_whose_page_images_fail_goes_on_with_uploaded_images(page, app, shop, tmp_path):
    """The page's images are on a server that does not exist: the draft opens at once
    with the reason in words, the seller uploads a photo, the scenes show it, it renders."""
    import time

    from PIL import Image

    sign_up(page, app, "outfitter@shop.test")
    page.goto(f"{app.base}/create/link/")
    page.get_by_label("Product page URL").fill(f"{shop.base}/lost-images")
    page.get_by_label("Length").select_option("15")
    started = time.monotonic()
    page.get_by_role("button", name="Read the page").click()
    page.wait_for_url(re.compile(r"/drafts/[0-9a-f-]+/"), timeout=90_000)
    waited = time.monotonic() - started
    assert waited < 30, f"the link took {waited:.0f} s to open without images"
    notice = page.locator("#product .empty")
    text = notice.inner_text()
    assert "could not download them" in text and "cdn.northwind.invalid" in text, text
    assert "Errno" not in page.content()
    shot(page, "images-01-none", phone=True)

    photo = tmp_path / "jacket.jpg"
    Image.new("RGB", (900, 900), (30, 90, 160)).save(photo, quality=90)
    page.locator("#product input[type=file]").set_input_files(str(photo))
    page.locator("#product .image-choice img").first.wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('.media-list img').length > 0",
        timeout=30_000,
    )  # the scenes were written again to show the upload
    shot(page, "images-02-uploaded", phone=True)
    page.locator("#estimate").get_by_text("credits").first.wait_for()
    page.get_by_role("button", name="Render video").click()
    page.wait_for_url(re.compile(r"/videos/[0-9a-f-]+/"), timeout=30_000)
