"""URL to video through the API: a local shop page becomes a rendered ad."""

import pytest

from saas.studio.models import Asset, Draft, Video

from ..conftest import api_client_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_a_draft_has_the_product_and_a_script(funded, shop, stub_worker):
    client = api_client_for(funded.creator, funded.workspace_a)
    body = {"url": f"{shop.base}/product", "length": 15, "tone": "friendly"}
    response = client.post("/api/v1/drafts/from-url", body, format="json")
    assert response.status_code == 200, response.content
    draft = response.json()
    assert draft["product"]["title"] and draft["product"]["price"]
    assert [s["role"] for s in draft["script"]["scenes"]][0] == "hook"
    assert draft["scenes"] and all(s["script"] for s in draft["scenes"])
    assert not Video.objects.exists()
    assert not Draft.objects.exists()  # the worker read it for this answer; nothing is kept


def test_a_refused_url_names_the_field(funded):
    client = api_client_for(funded.creator, funded.workspace_a)
    body = {"url": "http://169.254.169.254/latest/meta-data/"}
    response = client.post("/api/v1/drafts/from-url", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "url"
    assert response.json()["error"]["code"] == "refused_url"


def test_a_product_url_becomes_a_finished_video(funded, shop, stub_worker):
    client = api_client_for(funded.creator, funded.workspace_a)
    body = {"url": f"{shop.base}/product", "length": 15, "aspect": "9:16", "voice": "espeak:en-us"}
    response = client.post("/api/v1/videos/from-url", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["stage"] == "scrape"
    stub_worker.drain()
    video = Video.objects.get(pk=response.json()["id"])
    assert video.status == "completed", (video.error_code, video.error_message)
    assert set(video.stage_timings) == {"scrape", "script", "speech", "render", "deliver"}
    assert video.product["title"] and video.script["scenes"]
    images = Asset.objects.filter(workspace=funded.workspace_a, kind="image")
    assert 1 <= images.count() <= 8
    shown = {m["src"] for s in video.spec["scenes"] for m in s.get("media", [])}
    assert shown and shown <= {f"asset:{a.pk}" for a in images}


def test_after_a_scrape_the_worker_opens_the_next_page_while_idle(shop):
    """The next scrape finds its context and page open (scraper.browser.Browser.prepare):
    Chromium takes 0.1-0.4 s to open a page on 2 cores."""
    from saas.studio import storyboard
    from scraper.browser import get_browser

    storyboard.scrape(f"{shop.base}/product")
    spare = storyboard._browser_thread.submit(lambda: get_browser()._spare).result()
    assert spare is not None and spare.guard is None
    result = storyboard.scrape(f"{shop.base}/product")
    assert result.product.title
    assert spare.guard is not None  # the second scrape used it
