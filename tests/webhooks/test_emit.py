"""emit_event: one delivery per subscribed endpoint of the workspace, once per event and
object, queued only after the caller's transaction commits; a disabled endpoint's is
recorded as missed and not queued."""

import uuid

import pytest
from django.db import transaction

from saas.webhooks import crypto, services
from saas.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

from .conftest import queued

URL = "https://hooks.example.com/a"


def make(actor, url=URL, events=None):
    return services.create_endpoint(actor, url, events)[0]


def test_it_creates_a_delivery_for_each_subscribed_active_endpoint(personas, admin):
    everything = make(admin)
    completed = make(admin, events=["video.completed"])
    make(admin, events=["video.failed"])
    inactive = make(admin)
    services.update_endpoint(admin, inactive.pk, active=False)
    other_workspace = personas.membership(personas.outsider)
    make(other_workspace)

    video_id = str(uuid.uuid4())
    created = services.emit_event(personas.workspace_a, "video.completed", {"id": video_id})
    [missed] = [d for d in created if d.endpoint_id == inactive.pk]
    deliveries = [d for d in created if d is not missed]

    assert {d.endpoint_id for d in deliveries} == {everything.pk, completed.pk}
    assert WebhookDelivery.objects.count() == 3
    assert missed.status == DeliveryStatus.MISSED and missed.next_attempt_at is None
    [event_id] = {d.event_id for d in deliveries}
    assert event_id.startswith("evt_")
    payload = deliveries[0].payload
    assert set(payload) == {"id", "type", "created", "workspace", "data"}
    assert payload["id"] == event_id and payload["type"] == "video.completed"
    assert payload["workspace"] == str(personas.workspace_a.pk)
    assert payload["data"] == {"id": video_id} and isinstance(payload["created"], int)
    assert all(d.status == DeliveryStatus.PENDING for d in deliveries)


def test_it_is_idempotent_per_endpoint_event_and_object(personas, admin):
    make(admin)
    first = services.emit_event(personas.workspace_a, "video.completed", {"id": "v1"})
    again = services.emit_event(personas.workspace_a, "video.completed", {"id": "v1"})
    failed = services.emit_event(personas.workspace_a, "video.failed", {"id": "v1"})
    other = services.emit_event(personas.workspace_a, "video.completed", {"id": "v2"})
    assert len(first) == 1 and again == [] and len(failed) == 1 and len(other) == 1
    assert WebhookDelivery.objects.count() == 3


def test_a_new_endpoint_gets_an_event_already_sent_to_others(personas, admin):
    make(admin)
    services.emit_event(personas.workspace_a, "avatar.ready", {"id": "a1"})
    make(admin, url="https://hooks.example.com/b")
    assert len(services.emit_event(personas.workspace_a, "avatar.ready", {"id": "a1"})) == 1


def test_uuids_and_dates_in_data_become_strings(personas, admin):
    make(admin)
    video_id = uuid.uuid4()
    [delivery] = services.emit_event(personas.workspace_a, "video.completed", {"id": video_id})
    delivery.refresh_from_db()
    assert delivery.payload["data"]["id"] == str(video_id)
    assert delivery.dedupe_key == f"video.completed:{video_id}"


def test_an_unknown_event_is_a_programming_error(personas, admin):
    make(admin)
    with pytest.raises(ValueError):
        services.emit_event(personas.workspace_a, "video.exploded", {"id": "v1"})


def test_no_endpoints_means_nothing_to_do(personas):
    assert services.emit_event(personas.workspace_a, "video.completed", {"id": "v1"}) == []


def test_deliveries_are_queued_only_after_commit(
    personas, admin, stub_broker, django_capture_on_commit_callbacks
):
    make(admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            [delivery] = services.emit_event(personas.workspace_a, "video.completed", {"id": "1"})
            assert queued(stub_broker) == []
    assert queued(stub_broker) == [] and len(callbacks) == 1
    callbacks[0]()
    [message] = queued(stub_broker)
    assert message.actor_name == "deliver_webhook" and message.args == (str(delivery.pk),)


def test_a_rolled_back_transaction_queues_and_keeps_nothing(
    personas, admin, stub_broker, django_capture_on_commit_callbacks
):
    make(admin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.emit_event(personas.workspace_a, "video.completed", {"id": "1"})
            raise RuntimeError("the render failed to save")
    assert callbacks == [] and queued(stub_broker) == []
    assert not WebhookDelivery.objects.exists()


def test_the_secret_is_stored_encrypted(admin):
    endpoint, secret = services.create_endpoint(admin, URL)
    stored = WebhookEndpoint.objects.values_list(
        "secret_encrypted", "secret_prefix", "url", "description"
    ).get(pk=endpoint.pk)
    assert secret.startswith("whsec_") and len(secret) > 40
    assert all(secret not in value for value in stored)
    assert crypto.decrypt(stored[0]) == secret
    assert stored[1] == secret[:10]


def test_secrets_survive_a_secret_key_rotation(admin, settings):
    endpoint, secret = services.create_endpoint(admin, URL)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-secret-key"
    assert crypto.decrypt(endpoint.secret_encrypted) == secret
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(crypto.SecretUnreadable):
        crypto.decrypt(endpoint.secret_encrypted)
