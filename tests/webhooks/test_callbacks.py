"""A video's callback_url: told once when it finishes, retried on 5xx, never to internal hosts."""

import pytest

from saas.studio.models import Video
from saas.studio.pipeline import VIDEO
from saas.webhooks import callbacks

from ..conftest import api_client_for
from .conftest import queued


def video_for(personas, url, status="completed"):
    return Video.objects.create(
        workspace=personas.workspace_a, title="Ad", stage="done", status=status,
        request={}, callback_url=url,
    )  # fmt: skip


def test_a_finished_video_posts_its_callback(personas, webhook_receiver):
    video = video_for(personas, webhook_receiver.url)
    response = callbacks.send(video.pk, "video.completed")
    assert response.ok
    [request] = webhook_receiver.requests
    body = request.json()
    assert body["type"] == "video.completed" and body["data"]["id"] == str(video.pk)
    assert body["data"]["status"] == "completed"
    assert request.headers["Webhook-Id"] == callbacks.event_id(video.pk, "video.completed")
    assert "Webhook-Signature" not in request.headers  # unsigned: see callbacks.py


def test_a_5xx_is_retried_with_the_same_id_and_a_4xx_is_final(personas, webhook_receiver):
    video = video_for(personas, webhook_receiver.url)
    webhook_receiver.fail(1, status=503)
    with pytest.raises(callbacks.CallbackFailed):
        callbacks.send(video.pk, "video.failed")
    assert callbacks.send(video.pk, "video.failed").ok
    first, second = webhook_receiver.requests
    assert first.headers["Webhook-Id"] == second.headers["Webhook-Id"]
    webhook_receiver.respond_with(410)
    assert callbacks.send(video.pk, "video.failed").status == 410  # no exception: final


def test_finishing_a_video_queues_its_callback(personas, stub_broker, webhook_receiver):
    from django.test import TestCase

    video = video_for(personas, webhook_receiver.url)
    failed = video_for(personas, webhook_receiver.url, status="failed")
    with TestCase.captureOnCommitCallbacks(execute=True):
        VIDEO.on_end(video)
        VIDEO.on_end(failed)
    sent = [m for m in queued(stub_broker) if m.actor_name == "deliver_callback"]
    assert [m.args for m in sent] == [
        (str(video.pk), "video.completed"),
        (str(failed.pk), "video.failed"),
    ]

    quiet = video_for(personas, "")
    cancelled = video_for(personas, webhook_receiver.url, status="cancelled")
    with TestCase.captureOnCommitCallbacks(execute=True):
        VIDEO.on_end(quiet)
        VIDEO.on_end(cancelled)
    assert len([m for m in queued(stub_broker) if m.actor_name == "deliver_callback"]) == 2


@pytest.mark.parametrize(
    "url", ["https://169.254.169.254/latest/", "https://10.0.0.5/hook", "https://db.internal/x"]
)
def test_an_internal_callback_url_is_refused_at_submit(personas, url):
    from saas.billing import services as billing

    billing.grant_credits(personas.workspace_a, 1000, note="test")
    client = api_client_for(personas.creator, personas.workspace_a)
    body = {"scenes": [{"script": "Hello there."}], "callback_url": url}
    response = client.post("/api/v1/videos", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["field"] == "callback_url"
    assert not Video.objects.exists()
