"""The webhooks page at /workspace/webhooks/: admins only, secret shown once, the
delivery log with a Replay button, and 404 for another workspace's objects."""

import pytest

from saas.webhooks import services
from saas.webhooks.models import WebhookDelivery, WebhookEndpoint

from ..conftest import web_client

PAGE = "/workspace/webhooks/"
URL = "https://hooks.example.com/talkingads"


@pytest.fixture
def objects(personas, admin):
    endpoint, _ = services.create_endpoint(admin, URL)
    [delivery] = services.emit_event(personas.workspace_a, "video.completed", {"id": "v1"})
    return {"endpoint": str(endpoint.pk), "delivery": str(delivery.pk)}


def test_an_admin_adds_an_endpoint_and_sees_its_secret_once(personas):
    client = web_client(personas.admin, personas.workspace_a)
    form = {"action": "create", "url": URL, "events": ["video.failed"], "description": "CRM"}
    response = client.post(PAGE, form)
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["video.failed"] and endpoint.description == "CRM"
    secret = response.context["new_secret"]
    assert secret.startswith("whsec_") and secret in response.content.decode()
    again = client.get(PAGE).content.decode()
    assert secret not in again and endpoint.secret_prefix in again and URL in again


def test_the_form_labels_every_field(personas):
    page = web_client(personas.admin, personas.workspace_a).get(PAGE).content.decode()
    for field in ("webhook-url", "webhook-description", "event-1", "event-2", "event-3"):
        assert f'for="{field}"' in page and f'id="{field}"' in page
    assert 'aria-current="page">Webhooks' in page


def test_a_refused_url_is_explained(personas):
    client = web_client(personas.admin, personas.workspace_a)
    response = client.post(PAGE, {"action": "create", "url": "https://10.0.0.1/"}, follow=True)
    assert "not a public address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_rotating_shows_the_new_secret(personas, objects):
    client = web_client(personas.admin, personas.workspace_a)
    response = client.post(PAGE, {"action": "rotate", "id": objects["endpoint"]})
    assert response.context["new_secret"] in response.content.decode()


def test_the_log_shows_deliveries_and_replays_them(personas, objects):
    client = web_client(personas.admin, personas.workspace_a)
    services.deliver(objects["delivery"])
    page = client.get(PAGE).content.decode()
    assert "video.completed" in page and "Replay" in page and "retrying" in page
    form = {"action": "replay", "endpoint": objects["endpoint"], "id": objects["delivery"]}
    assert client.post(PAGE, form).status_code == 302
    assert WebhookDelivery.objects.filter(replay_of=objects["delivery"]).count() == 1


def test_the_buttons_work(personas, objects):
    client = web_client(personas.admin, personas.workspace_a)
    client.post(PAGE, {"action": "test", "id": objects["endpoint"]})
    assert WebhookDelivery.objects.filter(event_type="ping").count() == 1
    client.post(PAGE, {"action": "disable", "id": objects["endpoint"]})
    assert not WebhookEndpoint.objects.get().active
    client.post(PAGE, {"action": "enable", "id": objects["endpoint"]})
    assert WebhookEndpoint.objects.get().active
    client.post(PAGE, {"action": "delete", "id": objects["endpoint"]})
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("persona", ["viewer", "creator"])
def test_only_admins_see_the_page(personas, objects, persona):
    client = web_client(getattr(personas, persona), personas.workspace_a)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"action": "delete", "id": objects["endpoint"]}).status_code == 403
    assert client.post(PAGE, {"action": "create", "url": URL}).status_code == 403
    assert WebhookEndpoint.objects.count() == 1
    assert "Webhooks</a>" not in client.get("/workspace/members/").content.decode()


POSTS = [
    {"action": "test", "id": "{endpoint}"},
    {"action": "rotate", "id": "{endpoint}"},
    {"action": "disable", "id": "{endpoint}"},
    {"action": "enable", "id": "{endpoint}"},
    {"action": "enable_resend", "id": "{endpoint}"},
    {"action": "delete", "id": "{endpoint}"},
    {"action": "replay", "endpoint": "{endpoint}", "id": "{delivery}"},
]


@pytest.mark.parametrize("form", POSTS)
def test_an_outsider_gets_404_from_the_page(personas, objects, form):
    client = web_client(personas.outsider, personas.workspace_b)
    before = list(WebhookEndpoint.objects.values_list()), WebhookDelivery.objects.count()
    data = {k: v.format(**objects) for k, v in form.items()}
    assert client.post(PAGE, data).status_code == 404
    after = list(WebhookEndpoint.objects.values_list()), WebhookDelivery.objects.count()
    assert after == before


def test_a_malformed_id_is_not_found(personas):
    client = web_client(personas.admin, personas.workspace_a)
    assert client.post(PAGE, {"action": "delete", "id": "' OR 1=1"}).status_code == 404


def test_a_refused_endpoint_keeps_what_was_typed(personas):
    page = web_client(personas.admin, personas.workspace_a)
    answer = page.post("/workspace/webhooks/", {"action": "create", "url": "http://10.0.0.5/hook",
                                      "description": "Production CRM",
                                      "events": ["video.completed"]})  # fmt: skip
    html = answer.content.decode()
    assert "not a public address" in html
    assert 'value="http://10.0.0.5/hook"' in html and 'value="Production CRM"' in html
    assert 'value="video.completed" checked' in html
