"""A template's thumbnail is its first scene, rendered on a worker with sample values."""

from urllib.parse import urlsplit

import pytest
from PIL import Image

from saas.batches.models import VideoTemplate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_a_saved_template_gets_a_rendered_thumbnail(funded, creator_api, stub_worker):
    body = {"name": "Welcome", "request": {"aspect": "9:16", "scenes": [
        {"script": "Welcome to {{team}}! Glad you are here.", "avatar": "maya",
         "overlays": [{"type": "title", "text": "Welcome, {{team}}"}],
         "background": {"type": "color", "color": "#123456"}}]}}  # fmt: skip
    made = creator_api.post("/api/v1/templates", body, format="json").json()
    assert made["thumbnail_url"] is None
    stub_worker.drain()
    record = VideoTemplate.objects.get(pk=made["id"])
    assert record.thumbnail
    with record.thumbnail.open("rb") as handle:
        image = Image.open(handle)
        image.load()
    assert image.size == (720, 1280)
    top = image.crop((0, 0, 720, 200)).convert("RGB")
    assert len(set(top.getdata())) > 50  # the title is painted, not a flat colour
    listed = creator_api.get(f"/api/v1/templates/{made['id']}").json()
    assert urlsplit(listed["thumbnail_url"]).path.endswith(".jpg")
