"""HeyGen-style webhook endpoints: added the HeyGen way (an OPTIONS check first), sent
HeyGen's body for a finished video, signed the way HeyGen's receivers check, once."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import urlsplit

import jsonschema
import pytest

from saas.heygen import openapi
from saas.webhooks.models import WebhookDelivery, WebhookEndpoint

from ..conftest import api_client_for
from ..studio import conftest as studio_conftest
from ..webhooks.receiver import WebhookReceiver
from .test_compat import body, heygen_client

stub_worker = studio_conftest.stub_worker
funded = studio_conftest.funded
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1"]
    with WebhookReceiver() as server:
        yield server


def test_a_finished_video_is_announced_in_heygens_shape_and_signature(
    funded, stub_worker, receiver
):
    admin = heygen_client(funded.admin, funded.workspace_a)
    wanted = {"url": receiver.url, "events": ["avatar_video.success"]}
    added = admin.post("/v1/webhook/endpoint.add", wanted, format="json")
    assert added.status_code == 200, added.content
    endpoint = added.json()["data"]
    assert receiver.options_seen == 1  # checked before it was added
    assert endpoint["events"] == ["avatar_video.success"] and endpoint["status"] == "enabled"
    secret = endpoint["secret"]
    listed = admin.get("/v1/webhook/endpoint.list").json()["data"]
    assert [e["endpoint_id"] for e in listed] == [endpoint["endpoint_id"]]
    assert "secret" not in listed[0]  # shown once

    creator = heygen_client(funded.creator, funded.workspace_a)
    made = creator.post("/v2/video/generate", body(callback_id="order-7"), format="json")
    video_id = made.json()["data"]["video_id"]
    stub_worker.drain()
    [request] = receiver.wait_for(1)
    sent = request.json()
    jsonschema.validate(sent, openapi.json_schema(openapi.EVENT))  # the contract
    assert sent["event_type"] == "avatar_video.success"
    assert sent["event_data"]["video_id"] == video_id
    assert sent["event_data"]["callback_id"] == "order-7"
    assert urlsplit(sent["event_data"]["url"]).path.endswith(".mp4")
    digest = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["Signature"] == digest == request.headers["X-HeyGen-Signature"]
    stub_worker.drain()
    assert len(receiver.requests) == 1  # never twice
    assert WebhookDelivery.objects.get().status == "succeeded"


def test_an_endpoint_is_refused_when_it_does_not_answer_or_asks_for_unknown_events(
    funded, receiver
):
    admin = heygen_client(funded.admin, funded.workspace_a)
    silent = admin.post("/v1/webhook/endpoint.add", {"url": "http://127.0.0.1:9/hooks"},
                        format="json")  # fmt: skip
    assert silent.status_code == 400 and silent.json()["error"]["param"] == "url"
    unknown = admin.post("/v1/webhook/endpoint.add",
                         {"url": receiver.url, "events": ["video_translate.success"]},
                         format="json")  # fmt: skip
    assert unknown.status_code == 400 and unknown.json()["error"]["param"] == "events"
    assert "avatar_video.success" in unknown.json()["message"]
    assert not WebhookEndpoint.objects.exists()
    events = admin.get("/v1/webhook/webhook.list").json()["data"]
    assert events == ["avatar_video.success", "avatar_video.fail"]


def test_only_an_admin_manages_endpoints_and_only_in_its_own_workspace(funded, receiver):
    admin = heygen_client(funded.admin, funded.workspace_a)
    added = admin.post("/v1/webhook/endpoint.add", {"url": receiver.url}, format="json")
    endpoint_id = added.json()["data"]["endpoint_id"]
    creator = heygen_client(funded.creator, funded.workspace_a)
    probes = receiver.options_seen
    assert creator.post("/v1/webhook/endpoint.add", {"url": receiver.url},
                        format="json").status_code == 403  # fmt: skip
    assert receiver.options_seen == probes  # refused before the server calls the URL
    outsider = api_client_for(funded.outsider, funded.workspace_b)
    foreign = outsider.delete(f"/v1/webhook/endpoint.delete?endpoint_id={endpoint_id}")
    assert foreign.status_code == 404 and foreign.json()["data"] is None
    assert outsider.get("/v1/webhook/endpoint.list").json()["data"] == []
    gone = admin.delete(f"/v1/webhook/endpoint.delete?endpoint_id={endpoint_id}")
    assert gone.status_code == 200 and not WebhookEndpoint.objects.exists()


def test_our_own_endpoints_keep_our_shape_beside_a_heygen_one(funded, stub_worker, receiver):
    from saas.webhooks.services import create_endpoint

    create_endpoint(funded.membership(funded.admin), receiver.url, ["video.completed"])
    admin = heygen_client(funded.admin, funded.workspace_a)
    admin.post("/v1/webhook/endpoint.add", {"url": receiver.url}, format="json")
    creator = heygen_client(funded.creator, funded.workspace_a)
    creator.post("/v2/video/generate", body(), format="json")
    stub_worker.drain()
    bodies = [json.loads(r.body) for r in receiver.wait_for(2)]
    assert sorted(b.get("type") or b["event_type"] for b in bodies) == [
        "avatar_video.success",
        "video.completed",
    ]
