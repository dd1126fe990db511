"""A field of the wrong JSON type is a 400 naming it, on the HeyGen routes, never a 500."""

from __future__ import annotations

import pytest

from saas.studio.models import Video
from saas.webhooks.models import WebhookEndpoint

from .test_compat import body, funded, heygen_client  # noqa: F401


def _avatar(**character):
    payload = body()
    payload["video_inputs"][0]["character"].update(character)
    return payload


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "param"),
    [
        (body(dimension={"width": [1280], "height": 720}), "dimension"),
        (body(aspect_ratio=["16:9"]), "aspect_ratio"),
        (body(aspect_ratio={}), "aspect_ratio"),
        (_avatar(avatar_style=["circle"]), "video_inputs[0].character.avatar_style"),
    ],
)
def test_v2_generate_refuses_wrong_types_by_field(funded, payload, param):  # noqa: F811
    client = heygen_client(funded.creator, funded.workspace_a)
    client.raise_request_exception = False
    answer = client.post("/v2/video/generate", payload, format="json")
    assert answer.status_code == 400, answer.content[:300]
    assert answer.json()["error"]["param"] == param
    assert not Video.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "param", "says"),
    [
        ({"url": "https://example.com/h", "events": [{"a": 1}]}, "events", "list"),
        ({"url": "https://example.com/h", "events": [["x"]]}, "events", "list"),
        ({"url": "https://example.com/h", "events": "avatar_video.success"}, "events", "list"),
        ({"url": 5}, "url", "url"),
    ],
)
def test_webhook_endpoints_refuse_wrong_types_by_field(funded, payload, param, says):  # noqa: F811
    client = heygen_client(funded.owner, funded.workspace_a)
    client.raise_request_exception = False
    made = client.post("/v3/webhooks/endpoints", payload, format="json")
    assert made.status_code == 400, made.content[:300]
    assert made.json()["error"]["param"] == param and says in made.json()["error"]["message"]
    good = client.post("/v3/webhooks/endpoints", {"url": "https://example.com/h"}, format="json")
    endpoint_id = good.json()["data"]["endpoint_id"]
    patch = {key: payload[key] for key in payload if key == param}
    changed = client.patch(f"/v3/webhooks/endpoints/{endpoint_id}", patch, format="json")
    assert changed.status_code == 400, changed.content[:300]
    assert changed.json()["error"]["param"] == param
    assert says in changed.json()["error"]["message"].lower()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.url == "https://example.com/h" and endpoint.events == []


@pytest.mark.django_db
def test_an_unknown_folder_is_a_400_naming_folder_id(funded):  # noqa: F811
    import uuid

    client = heygen_client(funded.creator, funded.workspace_a)
    answer = client.post("/v2/video/generate", body(folder_id=str(uuid.uuid4())), format="json")
    assert answer.status_code == 400, answer.content[:300]
    assert answer.json()["error"]["param"] == "folder_id"
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_an_asset_sent_as_octet_stream_is_judged_by_its_content(funded):  # noqa: F811
    """Zapier, Make and Blobs without a type send application/octet-stream."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_compat import png_bytes

    client = heygen_client(funded.creator, funded.workspace_a)
    picture = SimpleUploadedFile("p.png", png_bytes(), "application/octet-stream")
    answer = client.post("/v3/assets", {"file": picture}, format="multipart")
    assert answer.status_code == 200, answer.content[:300]
    assert answer.json()["data"]["mime_type"] == "image/png"
    junk = SimpleUploadedFile("p.png", b"not a picture" * 100, "application/octet-stream")
    refused = client.post("/v3/assets", {"file": junk}, format="multipart")
    assert refused.status_code == 400 and refused.json()["error"]["param"] == "file"


@pytest.mark.django_db
def test_an_idempotency_key_is_per_route_and_replays_a_retry(funded):  # noqa: F811
    """HeyGen's reference: a key's scope is one route, and a retry is replayed even if
    its body differs slightly. A client using one job id as the key for its asset and
    then its video got 422 for the video."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_compat import png_bytes

    client = heygen_client(funded.creator, funded.workspace_a)
    key = {"HTTP_IDEMPOTENCY_KEY": "order-1234"}
    picture = SimpleUploadedFile("p.png", png_bytes(), "image/png")
    assert (
        client.post("/v3/assets", {"file": picture}, format="multipart", **key).status_code == 200
    )
    made = client.post("/v2/video/generate", body(title="First"), format="json", **key)
    assert made.status_code == 200, made.content[:300]
    again = client.post("/v2/video/generate", body(title="First, retried"), format="json", **key)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == made.json() and Video.objects.count() == 1
