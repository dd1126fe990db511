"""The webhooks API: CRUD for admins, the secret shown once, the delivery log and
replays, and workspace isolation on every endpoint."""

import pytest
from rest_framework.test import APIClient

from saas.webhooks import services
from saas.webhooks.models import WebhookDelivery, WebhookEndpoint

from ..conftest import api_client_for, web_client

URL = "https://hooks.example.com/talkingads"


@pytest.fixture
def client(personas):
    return api_client_for(personas.admin, personas.workspace_a)


@pytest.fixture
def objects(personas, admin):
    """An endpoint of workspace A with one delivery."""
    endpoint, _ = services.create_endpoint(admin, URL)
    [delivery] = services.emit_event(personas.workspace_a, "video.completed", {"id": "v1"})
    return {"endpoint": endpoint.pk, "delivery": delivery.pk}


def test_an_admin_creates_an_endpoint_and_sees_the_secret_once(client):
    body = {"url": URL, "events": ["video.completed", "avatar.ready"], "description": "CRM"}
    response = client.post("/api/v1/webhooks", body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["secret"].startswith("whsec_")
    assert created["secret_prefix"] == created["secret"][:10]
    assert created["events"] == ["video.completed", "avatar.ready"] and created["active"]

    shown = client.get(f"/api/v1/webhooks/{created['id']}").json()
    listed = client.get("/api/v1/webhooks").json()["results"]
    assert "secret" not in shown and [e["id"] for e in listed] == [created["id"]]
    assert created["secret"] not in str(shown) + str(listed)


def test_an_admin_updates_and_deletes_an_endpoint(client, objects):
    path = f"/api/v1/webhooks/{objects['endpoint']}"
    response = client.patch(path, {"events": ["video.failed"], "active": False}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["events"] == ["video.failed"] and not response.json()["active"]
    assert response.json()["disabled_reason"].startswith("Disabled by")
    assert client.patch(path, {"active": True}, format="json").json()["disabled_at"] is None
    assert client.delete(path).status_code == 204
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "body,field,code",
    [
        ({"url": "http://10.0.0.1/x"}, "url", "url_refused"),
        ({"url": "https://169.254.169.254/"}, "url", "url_refused"),
        ({"url": "https://user:pw@hooks.example.com/"}, "url", "url_refused"),
        ({"url": URL, "events": ["video.exploded"]}, "events.0", "invalid_choice"),
        ({"url": ""}, "url", "blank"),
        ({}, "url", "required"),
    ],
)
def test_bad_endpoints_are_refused_in_the_error_shape(client, body, field, code):
    response = client.post("/api/v1/webhooks", body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["field"], error["code"]) == (field, code) and error["message"]
    assert not WebhookEndpoint.objects.exists()


def test_https_is_required_in_production(client, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    response = client.post("/api/v1/webhooks", {"url": "http://hooks.example.com/"})
    assert response.status_code == 400
    assert "https://" in response.json()["error"]["message"]


def test_rotating_returns_a_new_secret_once(client, objects):
    path = f"/api/v1/webhooks/{objects['endpoint']}"
    before = WebhookEndpoint.objects.get().secret_encrypted
    response = client.post(f"{path}/rotate-secret", {"previous_valid_hours": 2}, format="json")
    assert response.status_code == 200
    assert response.json()["secret"].startswith("whsec_")
    assert response.json()["previous_secret_expires_at"]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.previous_secret_encrypted == before != endpoint.secret_encrypted
    bad = client.post(f"{path}/rotate-secret", {"previous_valid_hours": 1000}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "previous_valid_hours"


def test_the_delivery_log_is_newest_first_with_attempts(personas, client, objects):
    services.emit_event(personas.workspace_a, "video.failed", {"id": "v2"})
    services.deliver(objects["delivery"])  # fails: no DNS in tests
    path = f"/api/v1/webhooks/{objects['endpoint']}/deliveries"
    listed = client.get(path).json()
    assert [d["event_type"] for d in listed["results"]] == ["video.failed", "video.completed"]
    assert client.get(path, {"status": "pending"}).json()["results"][0]["event_type"] == (
        "video.failed"
    )
    detail = client.get(f"{path}/{objects['delivery']}").json()
    assert detail["payload"]["type"] == "video.completed" and detail["attempts"] == 1
    [attempt] = detail["attempt_log"]
    assert attempt["number"] == 1 and attempt["error"] == detail["last_error"]
    assert set(attempt) >= {"response_code", "latency_ms", "started_at", "response_body"}


def test_a_replay_is_logged_as_a_new_delivery(client, objects, stub_broker):
    base = f"/api/v1/webhooks/{objects['endpoint']}"
    response = client.post(f"{base}/deliveries/{objects['delivery']}/replay")
    assert response.status_code == 202, response.content
    replay = response.json()
    original = WebhookDelivery.objects.get(pk=objects["delivery"])
    assert replay["event_id"] == original.event_id and replay["replay_of"] == str(original.pk)
    assert replay["status"] == "pending"
    assert len(client.get(f"{base}/deliveries").json()["results"]) == 2


def test_the_test_button_queues_a_ping(client, objects):
    response = client.post(f"/api/v1/webhooks/{objects['endpoint']}/test")
    assert response.status_code == 202
    assert response.json()["event_type"] == "ping"


def test_a_disabled_endpoint_cannot_be_tested_or_replayed(client, objects):
    base = f"/api/v1/webhooks/{objects['endpoint']}"
    client.patch(base, {"active": False}, format="json")
    assert client.post(f"{base}/test").json()["error"]["code"] == "conflict"
    replay = client.post(f"{base}/deliveries/{objects['delivery']}/replay")
    assert replay.status_code == 409


# Isolation and roles ------------------------------------------------------------

# (method, path, body): every object endpoint of the webhooks API
OBJECT_ENDPOINTS = [
    ("get", "/api/v1/webhooks/{endpoint}", None),
    ("patch", "/api/v1/webhooks/{endpoint}", {"url": "https://evil.example.com/"}),
    ("delete", "/api/v1/webhooks/{endpoint}", None),
    ("post", "/api/v1/webhooks/{endpoint}/rotate-secret", {}),
    ("post", "/api/v1/webhooks/{endpoint}/test", {}),
    ("post", "/api/v1/webhooks/{endpoint}/enable", {"replay_missed": True}),
    ("get", "/api/v1/webhooks/{endpoint}/deliveries", None),
    ("get", "/api/v1/webhooks/{endpoint}/deliveries/{delivery}", None),
    ("post", "/api/v1/webhooks/{endpoint}/deliveries/{delivery}/replay", {}),
]


def snapshot():
    """Everything a write could change, to prove that nothing did."""
    return (
        list(WebhookEndpoint.objects.values_list().order_by("id")),
        list(WebhookDelivery.objects.values_list("id", "status").order_by("id")),
    )


def call(client, method, path, body, objects):
    return getattr(client, method)(path.format(**objects), body, content_type="application/json")


@pytest.mark.parametrize("auth", ["api key", "session"])
@pytest.mark.parametrize("method,path,body", OBJECT_ENDPOINTS)
def test_an_outsider_gets_404_on_every_object(personas, objects, auth, method, path, body):
    clients = {
        "api key": lambda: api_client_for(personas.outsider, personas.workspace_b),
        "session": lambda: web_client(personas.outsider, personas.workspace_b),
    }
    before = snapshot()
    response = call(clients[auth](), method, path, body, objects)
    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found"
    assert snapshot() == before


def test_a_delivery_of_another_endpoint_is_not_found(personas, client, objects):
    outsider = personas.membership(personas.outsider)
    services.create_endpoint(outsider, URL)
    [theirs] = services.emit_event(personas.workspace_b, "video.completed", {"id": "b1"})
    base = f"/api/v1/webhooks/{objects['endpoint']}/deliveries/{theirs.pk}"
    assert client.get(base).status_code == 404
    assert client.post(f"{base}/replay").status_code == 404
    mine, _ = services.create_endpoint(personas.membership(personas.admin), URL + "/2")
    other = f"/api/v1/webhooks/{mine.pk}/deliveries/{objects['delivery']}"
    assert client.get(other).status_code == 404  # right workspace, wrong endpoint


def test_an_outsider_lists_none_of_the_other_workspaces_endpoints(personas, objects):
    response = api_client_for(personas.outsider, personas.workspace_b).get("/api/v1/webhooks")
    assert response.status_code == 200 and response.json()["results"] == []


@pytest.mark.parametrize("persona", ["viewer", "creator"])
@pytest.mark.parametrize("method,path,body", OBJECT_ENDPOINTS)
def test_viewers_and_creators_get_403_on_every_object(
    personas, objects, persona, method, path, body
):
    client = api_client_for(getattr(personas, persona), personas.workspace_a)
    before = snapshot()
    response = call(client, method, path, body, objects)
    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "permission_denied"
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["viewer", "creator"])
def test_viewers_and_creators_can_neither_list_nor_create(personas, persona):
    client = api_client_for(getattr(personas, persona), personas.workspace_a)
    assert client.get("/api/v1/webhooks").status_code == 403
    assert client.post("/api/v1/webhooks", {"url": URL}, format="json").status_code == 403
    assert not WebhookEndpoint.objects.exists()


def test_an_owner_manages_webhooks_too(personas):
    client = api_client_for(personas.owner, personas.workspace_a)
    assert client.post("/api/v1/webhooks", {"url": URL}, format="json").status_code == 201


def test_an_admin_session_uses_the_api(personas, objects):
    client = web_client(personas.admin, personas.workspace_a)
    assert client.get(f"/api/v1/webhooks/{objects['endpoint']}").status_code == 200


def test_unauthenticated_calls_are_refused(objects):
    response = APIClient().get("/api/v1/webhooks")
    assert response.status_code in (401, 403) and "error" in response.json()


def test_a_malformed_id_is_not_found(client):
    assert client.get("/api/v1/webhooks/not-a-uuid").status_code == 404
