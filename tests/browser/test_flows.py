"""The main flows, end to end in Chromium against the running product.

sign up → paste a product link → edit → render → watch it play;
invite a member (who signs up from the e-mailed link); create an API key and use it.
"""

import json
import re
import urllib.request

import pytest

from .conftest import shot, sign_up

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_seller_turns_a_product_link_into_a_video(page, app, shop):
    sign_up(page, app, "seller@shop.test")
    shot(page, "01-dashboard-empty", phone=True)

    page.get_by_role("link", name="Create").first.click()
    page.get_by_role("link", name=re.compile("Paste a product link")).click()
    page.get_by_label("Product page URL").fill(f"{shop.base}/product")
    page.get_by_label("Length").select_option("15")
    shot(page, "02-paste-link")
    page.get_by_role("button", name="Read the page").click()
    page.wait_for_url(re.compile(r"/drafts/[0-9a-f-]+/"), timeout=90_000)

    # The product as the page shows it: title, price, images to keep or drop.
    product = page.locator("#product")
    assert "Northwind Trail Mug" in product.inner_text()
    assert "$24.99" in product.inner_text()
    images = product.locator(".image-choice img")
    assert images.count() >= 2
    assert all(images.nth(i).evaluate("i => i.naturalWidth > 0") for i in range(images.count()))
    product.get_by_label("Use image 2").uncheck()

    # The script: regenerate it shorter and friendlier, then edit a scene.
    page.get_by_label("Tone").select_option("friendly")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Regenerate script").click()
    page.wait_for_function("() => !document.querySelector('#script button.secondary').disabled")
    first = page.get_by_label("Script for scene 1")
    first.fill("Meet the Northwind Trail Mug: hot coffee all day long.")
    page.get_by_label("Voice", exact=True).first.select_option("espeak:en-us")
    page.locator("#look").get_by_text("1:1 square").click()
    page.wait_for_function(
        "() => document.querySelector('#save-state').textContent.startsWith('Saved')"
    )
    estimate = page.locator("#estimate")
    estimate.get_by_text("credits").first.wait_for()
    assert re.search(r"Cost\s*\d+ credits", estimate.inner_text())
    shot(page, "03-editor-link-draft", phone=True)

    page.get_by_role("button", name="Render video").click()
    page.wait_for_url(re.compile(r"/videos/[0-9a-f-]+/"))
    shot(page, "04-video-rendering")

    # Watch: the page follows the render live and shows the player when done.
    video = page.locator("video")
    video.wait_for(timeout=420_000)
    page.wait_for_function(
        "() => { const v = document.querySelector('video'); return v && v.readyState >= 1; }",
        timeout=30_000,
    )
    duration = video.evaluate("v => v.duration")
    assert 4 < duration < 40, duration
    assert video.evaluate("v => v.videoWidth") == video.evaluate("v => v.videoHeight") == 720
    assert page.get_by_role("link", name=re.compile("MP4")).count() >= 1
    shot(page, "05-video-done", phone=True)

    page.get_by_role("link", name="Videos").first.click()
    page.locator("[data-status-badge]", has_text="Completed").first.wait_for()
    shot(page, "06-dashboard", phone=True)


def test_an_owner_invites_a_member_who_joins(page, app, browser):
    sign_up(page, app, "owner@agency.test")
    page.get_by_role("link", name="Members").click()
    page.get_by_label(re.compile("E-?mail")).fill("editor@agency.test")
    page.get_by_label("Role").select_option("creator")
    page.get_by_role("button", name=re.compile("Invite|Send")).click()
    assert "editor@agency.test" in page.locator("main").inner_text()
    shot(page, "07-members-invited", phone=True)

    link = app.mail_link("/invitations/")
    invitee = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_up(invitee, app, "editor@agency.test")
    invitee.goto(link)
    invitee.get_by_role("button", name="Accept invitation").click()
    # A leaked link is not enough: the invited address is confirmed by its own link first.
    invitee.get_by_text("First confirm that").wait_for()
    shot(invitee, "07-invitation-confirm-first")
    invitee.goto(app.mail_link("/accounts/confirm-email/"))
    invitee.get_by_role("button", name="Confirm").click()
    invitee.goto(link)
    invitee.get_by_role("button", name="Accept invitation").click()
    invitee.wait_for_url(re.compile(r"/dashboard/"))
    assert "owner's workspace (Creator)" in invitee.locator("#workspace-switch").inner_text()
    invitee.context.close()

    page.reload()
    row = page.locator("tr", has_text="editor@agency.test")
    assert "Creator" in row.inner_text()


def test_an_admin_creates_an_api_key_shown_once_that_works(page, app):
    sign_up(page, app, "dev@agency.test")
    page.get_by_role("link", name="API keys").click()
    shot(page, "08-api-keys")
    page.get_by_label("Name").fill("Zapier")
    page.get_by_role("button", name="Create key").click()
    secret = page.locator("#new-key").inner_text().strip()
    assert secret.startswith("tak_")
    shot(page, "08-api-key-created")

    request = urllib.request.Request(
        f"{app.base}/api/v1/workspace", headers={"Authorization": f"Bearer {secret}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.load(response)["role"] == "creator"

    # A draft made through the API with odd values still opens in the editor.
    scene = {"script": 42, "overlays": "x", "media": 5, "background": "red"}
    odd = {"title": "From the API", "request": {"scenes": [scene]}}
    request = urllib.request.Request(
        f"{app.base}/api/v1/drafts",
        data=json.dumps(odd).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        draft = json.load(response)
    page.goto(f"{app.base}/drafts/{draft['id']}/")
    assert page.get_by_label("Script for scene 1").input_value() == "42"
    page.goto(f"{app.base}/workspace/api-keys/")

    page.reload()
    assert secret not in page.content()
    assert "Zapier" in page.locator("main").inner_text()
    shot(page, "09-api-keys-list", phone=True)

    # The other workspace pages an admin uses, for people to look at.
    page.get_by_role("link", name="Webhooks").click()
    assert page.get_by_role("heading", name="Webhooks").count() == 1
    shot(page, "10-webhooks", phone=True)
    page.get_by_role("link", name="Billing").click()
    assert "credits" in page.locator("main").inner_text().lower()
    shot(page, "11-billing", phone=True)
    page.get_by_role("link", name="Avatars").click()
    shot(page, "12-avatars", phone=True)


def test_a_trainer_translates_a_video_reviews_it_and_watches_the_dub(page, app, tmp_path):
    from ..translations.test_translations import ENGLISH, make_english_video

    video = make_english_video(tmp_path)
    sign_up(page, app, "trainer@school.test")
    page.get_by_role("link", name="Translate").first.click()
    page.get_by_label(re.compile("^Video")).set_input_files(str(video))
    page.get_by_label("Title", exact=True).fill("Safety briefing")
    page.get_by_label(re.compile("^Spanish")).check()
    shot(page, "13-translate-upload", phone=True)
    page.get_by_role("button", name="Upload and transcribe").click()
    page.wait_for_url(re.compile(r"/translations/[0-9a-f-]+/"))
    shot(page, "14-translation-transcribing")

    # The page follows the job and reloads when Spanish waits for review.
    page.get_by_text("Waiting for review").first.wait_for(timeout=180_000)
    assert ENGLISH[0].lower() in page.locator("table").inner_text().lower()
    assert page.get_by_text("Draft quality, please review").count() == 1
    first = page.get_by_label("Spanish, segment 1")
    first.fill("Bienvenidos a la reunión trimestral de seguridad.")
    shot(page, "15-translation-review", phone=True)
    page.get_by_role("button", name="Save and dub Spanish").click()

    player = page.locator("video")
    player.wait_for(timeout=240_000)
    page.wait_for_function(
        "() => { const v = document.querySelector('video'); return v && v.readyState >= 1; }",
        timeout=30_000,
    )
    assert 5 < player.evaluate("v => v.duration") < 20
    assert page.get_by_role("link", name="Download MP4").count() == 1
    assert "Bienvenidos a la reunión trimestral" in page.locator("table").inner_text()
    shot(page, "16-translation-done", phone=True)
