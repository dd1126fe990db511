"""A video made through HeyGen's routes tells its callback_url HeyGen's way, and v2's
template generate checks its body as v3's does (nothing silently dropped)."""

from __future__ import annotations

import pytest

from saas.billing import services as billing
from saas.studio import services as studio
from saas.studio.models import Video

from ..webhooks.receiver import WebhookReceiver
from .test_compat import body, funded, heygen_client, stub_worker  # noqa: F401


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1"]
    with WebhookReceiver() as server:
        yield server


V3_VIDEO = {"type": "avatar", "avatar_id": "grace", "script": "Hi there.",
            "voice_id": "piper:en_US-joe-medium"}  # fmt: skip


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("route", "payload", "callback_id"),
    [
        ("/v2/video/generate", body(callback_id="crm-1"), "crm-1"),
        ("/v3/videos", {**V3_VIDEO, "callback_id": "crm-9"}, "crm-9"),
        ("/v3/videos", V3_VIDEO, None),
    ],
)
def test_a_heygen_videos_callback_gets_heygens_event(
    funded,  # noqa: F811
    stub_worker,  # noqa: F811
    receiver,
    route,
    payload,
    callback_id,
):
    client = heygen_client(funded.creator, funded.workspace_a)
    made = client.post(route, {**payload, "callback_url": receiver.url}, format="json")
    assert made.status_code == 200, made.content
    stub_worker.drain()
    [request] = receiver.wait_for(1)
    sent = request.json()
    assert sent["event_type"] == "avatar_video.success"
    assert sent["event_data"]["video_id"] == made.json()["data"]["video_id"]
    assert sent["event_data"]["callback_id"] == callback_id
    assert sent["event_data"]["url"].split("?")[0].endswith(".mp4")


@pytest.mark.django_db(transaction=True)
def test_our_own_videos_callback_keeps_our_event(funded, stub_worker, receiver):  # noqa: F811
    from rest_framework.test import APIClient

    from ..conftest import api_client_for

    client: APIClient = api_client_for(funded.creator, funded.workspace_a)
    made = client.post("/api/v1/videos", {"scenes": [{"script": "Hello there."}],
                                          "callback_url": receiver.url}, format="json")  # fmt: skip
    assert made.status_code in (200, 201, 202), made.content
    stub_worker.drain()
    [request] = receiver.wait_for(1)
    assert request.json()["type"] == "video.completed"


def _text(value: str) -> dict:
    return {"name": "x", "type": "text", "properties": {"content": value}}


LESSON = {name: _text(value) for name, value in [
    ("course", "Onboarding"), ("lesson", "Week one"), ("point_1", "Badge"),
    ("point_2", "Buddy"), ("point_3", "Laptop")]}  # fmt: skip


@pytest.mark.django_db
def test_v2_template_generate_honours_caption_and_folder(funded):  # noqa: F811
    client = heygen_client(funded.creator, funded.workspace_a)
    project = studio.create_project(funded.membership(funded.creator), "Client X")
    made = client.post("/v2/template/training-lesson/generate",
                       {"variables": LESSON, "caption": True, "folder_id": str(project.pk),
                        "callback_id": "c-7"}, format="json")  # fmt: skip
    assert made.status_code == 200, made.content
    video = Video.objects.get(pk=made.json()["data"]["video_id"])
    assert video.request["captions"] is True and video.project_id == project.pk
    assert video.request["heygen"] == {"callback_id": "c-7"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"test": True}, "test"),
        ({"dimension": {"width": 1080, "height": 1920}}, "body.dimension"),
        ({"caption": "yes"}, "caption"),
        ({"unknown_field": 1}, "body.unknown_field"),
    ],
)
def test_v2_template_generate_refuses_what_it_would_drop(funded, extra, param):  # noqa: F811
    client = heygen_client(funded.creator, funded.workspace_a)
    before = billing.balance(funded.workspace_a)
    answer = client.post("/v2/template/training-lesson/generate",
                         {"variables": LESSON, **extra}, format="json")  # fmt: skip
    assert answer.status_code == 400, answer.content
    assert answer.json()["error"]["param"] == param
    assert not Video.objects.exists() and billing.balance(funded.workspace_a) == before
