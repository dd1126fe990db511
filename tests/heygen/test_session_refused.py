"""HeyGen's routes take API keys only: a browser's session cookie must not act there.

DRF views skip Django's CSRF middleware and leave the CSRF check to session
authentication. HeyGen's routes list only the key authenticators, so a session that
was accepted anyway would be accepted without a CSRF token: any page a logged-in
admin visits could add a webhook endpoint (and receive every finished video's link)
or delete videos. These requests carry a valid session and no key.
"""

from __future__ import annotations

from django.test import Client

from saas.webhooks.models import WebhookEndpoint

from ..conftest import web_client


def session_client(user, workspace) -> Client:
    client = web_client(user, workspace)
    client.handler.enforce_csrf_checks = True
    return client


def test_a_session_without_a_key_cannot_add_webhook_endpoints(personas):
    client = session_client(personas.admin, personas.workspace_a)
    url = "https://hooks.example.com/heygen"
    for path, payload in (
        ("/v3/webhooks/endpoints", {"url": url}),
        ("/v1/webhook/endpoint.add", {"url": url, "events": ["avatar_video.success"]}),
    ):
        response = client.post(path, payload, content_type="application/json")
        assert response.status_code == 401, (path, response.content)
    assert not WebhookEndpoint.objects.exists()


def test_a_session_without_a_key_reads_nothing_either(personas):
    client = session_client(personas.owner, personas.workspace_a)
    for path in ("/v2/user/remaining_quota", "/v1/video.list", "/v3/users/me"):
        assert client.get(path).status_code == 401, path


def test_the_web_apps_own_api_calls_still_use_the_session(personas):
    """The same session on /api/v1 (where session authentication checks CSRF) works."""
    client = session_client(personas.owner, personas.workspace_a)
    response = client.get("/api/v1/workspace")
    assert response.status_code == 200
    assert response.json()["id"] == str(personas.workspace_a.pk)
    refused = client.post("/api/v1/webhooks", {"url": "https://hooks.example.com/x"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 403 and "CSRF" in refused.content.decode()
