"""Delivering: signed POSTs to the local receiver, our own retry schedule in the
database, permanent refusals, leases, the periodic sweep, replays and secret rotation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from saas.webhooks import services, ssrf, transport
from saas.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from saas.webhooks.signing import verify_signature

from .conftest import queued


def emit(personas, event="video.completed", object_id="v1"):
    [delivery] = services.emit_event(personas.workspace_a, event, {"id": object_id})
    return delivery


def reload(delivery):
    return WebhookDelivery.objects.get(pk=delivery.pk)


def test_a_delivery_is_signed_and_logged(personas, endpoint, webhook_receiver):
    delivery = emit(personas)
    services.deliver(delivery.pk)

    [request] = webhook_receiver.requests
    assert request.verified is True and request.path == "/hooks"
    assert request.headers["Webhook-Id"] == delivery.event_id
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Webhook-Attempt"] == "1"
    assert request.json() == delivery.payload
    assert request.body == services.encode_body(delivery.payload)  # compact, as signed
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.delivered_at
    assert delivery.attempts == 1 and delivery.last_response_code == 200
    assert delivery.last_latency_ms is not None and delivery.last_error == ""
    [attempt] = delivery.attempt_log.all()
    assert attempt.response_code == 200 and attempt.succeeded
    assert attempt.response_body == '{"received": true}'


def test_a_delivered_event_is_not_sent_again(personas, endpoint, webhook_receiver):
    delivery = emit(personas)
    assert services.deliver(delivery.pk) is not None
    assert services.deliver(delivery.pk) is None
    assert len(webhook_receiver.requests) == 1


def test_a_500_is_retried_on_our_schedule(personas, endpoint, webhook_receiver):
    webhook_receiver.fail(1, status=500)
    delivery = emit(personas)
    now = timezone.now()
    services.deliver(delivery.pk, now=now)
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_response_code == 500 and delivery.last_error == "HTTP 500"
    assert delivery.next_attempt_at == now + timedelta(minutes=1)

    assert services.deliver(delivery.pk, now=now + timedelta(seconds=59)) is None  # not due
    services.deliver(delivery.pk, now=now + timedelta(minutes=1))
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2
    assert [a.response_code for a in delivery.attempt_log.all()] == [500, 200]
    assert [r.headers["Webhook-Attempt"] for r in webhook_receiver.requests] == ["1", "2"]


def test_it_gives_up_after_more_than_a_day_of_retries(
    personas, endpoint, webhook_receiver, settings
):
    schedule = settings.WEBHOOKS_RETRY_SCHEDULE
    assert sum(schedule) >= 24 * 3600
    assert schedule[:3] == [60, 300, 1800]  # minutes first, then hours
    webhook_receiver.respond_with(503)
    delivery = emit(personas)
    first = now = timezone.now()
    while True:
        services.deliver(delivery.pk, now=now)
        delivery = reload(delivery)
        if delivery.status != DeliveryStatus.RETRYING:
            break
        now = delivery.next_attempt_at
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None
    assert delivery.attempts == len(schedule) + 1 == len(webhook_receiver.requests)
    assert now - first == timedelta(seconds=sum(schedule)) >= timedelta(hours=24)
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == len(schedule) + 1


def test_a_timeout_is_retried(personas, endpoint, webhook_receiver, monkeypatch):
    monkeypatch.setattr(transport, "READ_TIMEOUT", 0.3)
    webhook_receiver.hang(5)
    delivery = emit(personas)
    services.deliver(delivery.pk)
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_response_code is None and "Timed out" in delivery.last_error
    assert delivery.last_latency_ms >= 300


def test_a_refused_connection_is_retried(personas, admin, settings):
    from tests.conftest import free_port

    settings.WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1"]
    services.create_endpoint(admin, f"http://127.0.0.1:{free_port()}/nobody-home")
    delivery = emit(personas)
    services.deliver(delivery.pk)
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_error == "Connection refused."


def test_a_name_that_does_not_resolve_is_retried(personas, admin, monkeypatch):
    def no_dns(host, port):
        raise ssrf.ResolveFailed(f"Could not resolve {host}")

    monkeypatch.setattr(ssrf, "resolve", no_dns)
    services.create_endpoint(admin, "https://hooks.example.com/x")
    delivery = emit(personas)
    services.deliver(delivery.pk)
    assert reload(delivery).status == DeliveryStatus.RETRYING


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if anything opens a TCP connection."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"connected to {args}")

    monkeypatch.setattr(transport.socket, "create_connection", refuse)


def _endpoint_at(admin, url):
    """An endpoint saved without the create-time check, as if the rules had changed since."""
    endpoint, _ = services.create_endpoint(admin, "https://hooks.example.com/x")
    type(endpoint).objects.filter(pk=endpoint.pk).update(url=url)


@pytest.mark.parametrize(
    "url,reason",
    [
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://10.0.0.5/hook", "not a public address"),
        ("https://[::ffff:10.0.0.5]/hook", "not a public address"),
        ("http://localhost:8000/hook", "local name"),
        ("http://127.0.0.1:8000/hook", "not a public address"),
    ],
)
def test_private_addresses_are_refused_before_connecting(
    personas, admin, no_connections, url, reason
):
    _endpoint_at(admin, url)
    delivery = emit(personas)
    services.deliver(delivery.pk)
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1  # no retries
    assert reason in delivery.last_error
    assert delivery.attempt_log.get().error == delivery.last_error


@pytest.mark.parametrize(
    "addresses", [["10.1.2.3"], ["93.184.216.34", "192.168.1.1"], ["169.254.169.254"]]
)
def test_a_name_resolving_to_a_private_address_is_refused(
    personas, admin, no_connections, monkeypatch, addresses
):
    import ipaddress

    monkeypatch.setattr(ssrf, "resolve", lambda h, p: [ipaddress.ip_address(a) for a in addresses])
    services.create_endpoint(admin, "https://rebind.example.com/hook")
    delivery = emit(personas)
    services.deliver(delivery.pk)
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.FAILED
    assert "address" in delivery.last_error


def test_it_connects_to_the_address_it_checked(
    personas, admin, webhook_receiver, monkeypatch, settings
):
    """The name is resolved once, checked, and that address is used: no second lookup
    for DNS rebinding to answer. The Host header still names the host."""
    import ipaddress

    lookups = []

    def resolve(host, port):
        lookups.append(host)
        return [ipaddress.ip_address("127.0.0.1")]

    real_getaddrinfo = transport.socket.getaddrinfo

    def numeric_only(host, *args, **kwargs):
        ipaddress.ip_address(host)  # a name here would be a second lookup
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(ssrf, "resolve", resolve)
    monkeypatch.setattr(transport.socket, "getaddrinfo", numeric_only)
    settings.WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1"]  # the address, not the name
    url = f"http://hooks.example.test:{webhook_receiver.port}/hooks"
    services.create_endpoint(admin, url)
    delivery = emit(personas)
    services.deliver(delivery.pk)
    assert reload(delivery).status == DeliveryStatus.SUCCEEDED
    assert lookups == ["hooks.example.test"]
    [request] = webhook_receiver.requests
    assert request.headers["Host"] == f"hooks.example.test:{webhook_receiver.port}"


def test_the_next_checked_address_is_tried_when_one_does_not_answer(
    personas, admin, webhook_receiver, monkeypatch, settings
):
    import ipaddress

    addresses = [ipaddress.ip_address("::1"), ipaddress.ip_address("127.0.0.1")]
    monkeypatch.setattr(ssrf, "resolve", lambda host, port: addresses)
    settings.WEBHOOKS_ALLOWED_HOSTS = ["::1", "127.0.0.1"]
    services.create_endpoint(admin, f"http://dual-stack.example.test:{webhook_receiver.port}/")
    delivery = emit(personas)
    services.deliver(delivery.pk)
    assert reload(delivery).status == DeliveryStatus.SUCCEEDED  # ::1 refused, 127.0.0.1 took it


def test_a_disabled_endpoint_gets_nothing(personas, admin, endpoint, webhook_receiver):
    delivery = emit(personas)
    services.update_endpoint(admin, endpoint.pk, active=False)
    assert services.deliver(delivery.pk) is None
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.MISSED and delivery.attempts == 0
    assert webhook_receiver.requests == []


def test_an_attempt_under_way_when_the_endpoint_is_disabled_counts_as_missed(
    personas, admin, endpoint, webhook_receiver, monkeypatch
):
    webhook_receiver.fail(1, status=500)
    delivery = emit(personas)
    post = transport.post

    def disabled_meanwhile(*args, **kwargs):
        services.update_endpoint(admin, endpoint.pk, active=False)
        return post(*args, **kwargs)

    monkeypatch.setattr(transport, "post", disabled_meanwhile)
    services.deliver(delivery.pk)
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.MISSED and delivery.next_attempt_at is None
    assert delivery.last_response_code == 500 and delivery.attempts == 1


def test_a_deleted_endpoint_drops_its_deliveries(personas, admin, endpoint):
    delivery = emit(personas)
    services.delete_endpoint(admin, endpoint.pk)
    assert services.deliver(delivery.pk) is None


def test_only_one_worker_claims_a_delivery(personas, endpoint):
    delivery = emit(personas)
    now = timezone.now()
    assert services._claim(delivery.pk, now) is True
    assert services._claim(delivery.pk, now) is False  # the lease holds
    assert services._claim(delivery.pk, now + services.LEASE) is True  # it expired


def test_the_sweep_queues_due_deliveries_once(personas, endpoint, webhook_receiver, stub_broker):
    webhook_receiver.fail(1)
    fresh = emit(personas, object_id="fresh")  # queued at creation
    retrying = emit(personas, object_id="retrying")
    now = timezone.now()
    services.deliver(retrying.pk, now=now)
    stub_broker.flush_all()

    assert services.enqueue_due_deliveries(now=now) == 0  # nothing due, nothing lost yet
    due = reload(retrying).next_attempt_at
    assert services.enqueue_due_deliveries(now=due) == 1
    assert [m.args[0] for m in queued(stub_broker)] == [str(retrying.pk)]
    assert services.enqueue_due_deliveries(now=due) == 0  # already queued

    later = due + services.REENQUEUE_AFTER
    assert services.enqueue_due_deliveries(now=later) == 2  # neither was picked up: lost?
    ids = {m.args[0] for m in queued(stub_broker)}
    assert ids == {str(fresh.pk), str(retrying.pk)}


def test_the_sweep_skips_a_delivery_a_worker_holds(personas, endpoint, stub_broker):
    delivery = emit(personas)
    later = timezone.now() + services.REENQUEUE_AFTER * 2
    services._claim(delivery.pk, later)
    assert services.enqueue_due_deliveries(now=later) == 0
    assert services.enqueue_due_deliveries(now=later + services.LEASE) == 1  # the worker died


def test_the_actor_runs_the_service(personas, endpoint, webhook_receiver):
    from saas.webhooks.tasks import deliver_webhook

    delivery = emit(personas)
    deliver_webhook(str(delivery.pk))
    assert reload(delivery).status == DeliveryStatus.SUCCEEDED
    assert deliver_webhook.options["max_retries"] == 0
    assert deliver_webhook.options["time_limit"] <= 30_000
    assert deliver_webhook.queue_name == "default"


def test_a_replay_sends_the_same_event_again(personas, admin, endpoint, webhook_receiver):
    original = emit(personas)
    services.deliver(original.pk)
    replay = services.replay_delivery(admin, endpoint.pk, original.pk)
    assert replay.pk != original.pk and replay.replay_of_id == original.pk
    assert replay.event_id == original.event_id and replay.payload == original.payload
    services.deliver(replay.pk)
    first, second = webhook_receiver.requests
    assert first.headers["Webhook-Id"] == second.headers["Webhook-Id"] == original.event_id
    assert first.json() == second.json() and second.verified
    assert reload(replay).status == DeliveryStatus.SUCCEEDED
    assert original.replays.count() == 1


def test_a_test_event_is_a_ping(admin, endpoint, webhook_receiver):
    delivery = services.send_test(admin, endpoint.pk)
    services.deliver(delivery.pk)
    [request] = webhook_receiver.requests
    assert request.json()["type"] == "ping" and request.verified


def test_after_rotation_both_secrets_sign_for_the_overlap(
    personas, admin, endpoint, webhook_receiver
):
    old = endpoint.secret
    _, new = services.rotate_secret(admin, endpoint.pk, previous_valid_hours=24)
    assert new != old and new.startswith("whsec_")
    during = emit(personas, object_id="during")
    now = timezone.now()
    services.deliver(during.pk, now=now)
    request = webhook_receiver.requests[-1]
    assert verify_signature(old, request.headers, request.body)
    assert verify_signature(new, request.headers, request.body)

    services.deliver(emit(personas, object_id="after").pk, now=now + timedelta(hours=25))
    request = webhook_receiver.requests[-1]
    assert not verify_signature(old, request.headers, request.body)
    assert verify_signature(new, request.headers, request.body)


def test_rotating_without_overlap_retires_the_old_secret_at_once(
    personas, admin, endpoint, webhook_receiver
):
    old = endpoint.secret
    _, new = services.rotate_secret(admin, endpoint.pk, previous_valid_hours=0)
    services.deliver(emit(personas).pk)
    [request] = webhook_receiver.requests
    assert request.headers["Webhook-Signature"].count("v1=") == 1
    assert not verify_signature(old, request.headers, request.body)
    assert verify_signature(new, request.headers, request.body)
