"""POST /billing/stripe/webhook/: signed, stored once, processed in a worker."""

import json
import time

import dramatiq
import pytest
from django.test import Client

from saas.billing import events, tasks
from saas.billing.models import BillingAccount, StripeEvent

from .conftest import WEBHOOK_URL, make_event, make_subscription, post_event, sign


@pytest.fixture
def broker():
    """A private stub broker for the billing actor.

    A dramatiq Worker leaves its middleware on the broker it ran on, so a worker
    started on the shared stub broker would steal queues from later tests' workers.
    """
    from django_dramatiq.middleware import DbConnectionsMiddleware
    from dramatiq.brokers.stub import StubBroker

    broker = StubBroker()
    broker.add_middleware(DbConnectionsMiddleware())
    actor = tasks.process_stripe_event
    previous = actor.broker
    actor.broker = broker
    broker.declare_actor(actor)
    yield broker
    actor.broker = previous
    broker.flush_all()
    broker.close()


def queued(broker) -> list[str]:
    """The event ids waiting in the stub broker's billing queue."""
    queue = broker.queues.get("billing")
    messages = [dramatiq.Message.decode(raw) for raw in (queue.queue if queue else ())]
    return [m.args[0] for m in messages]


@pytest.fixture
def subscription_event(personas, stripe_on):
    return make_event("customer.subscription.created", make_subscription(personas.workspace_a))


@pytest.mark.django_db(transaction=True)
def test_a_signed_event_is_stored_and_queued_for_a_worker(subscription_event, broker):
    response = post_event(Client(), subscription_event)
    assert response.status_code == 200
    assert response.json() == {"received": True, "duplicate": False}
    stored = StripeEvent.objects.get(pk=subscription_event["id"])
    assert stored.type == "customer.subscription.created" and stored.processed_at is None
    assert stored.payload == subscription_event
    assert queued(broker) == [subscription_event["id"]]


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_is_acknowledged_and_ignored(subscription_event, broker):
    post_event(Client(), subscription_event)
    again = post_event(Client(), subscription_event)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert StripeEvent.objects.count() == 1
    assert queued(broker) == [subscription_event["id"]]  # queued once


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "t=1,v1=deadbeef",
        "garbage",
        sign(b"another body"),
        sign(b"x", secret="whsec_wrong"),
    ],
    ids=["missing", "made-up", "garbage", "other-body", "wrong-secret"],
)
def test_a_bad_signature_is_refused_and_nothing_is_stored(subscription_event, signature):
    response = post_event(Client(), subscription_event, signature=signature)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_a_correctly_signed_but_tampered_body_is_refused(subscription_event):
    body = json.dumps(subscription_event).encode()
    header = sign(body)
    tampered = body.replace(b'"active"', b'"canceled"')
    response = Client().post(
        WEBHOOK_URL, data=tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    assert response.status_code == 400 and not StripeEvent.objects.exists()


def test_an_old_signature_is_refused_as_a_replay(subscription_event):
    body = json.dumps(subscription_event).encode()
    header = sign(body, timestamp=int(time.time()) - 3600)
    response = Client().post(
        WEBHOOK_URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    assert response.status_code == 400


def test_a_signed_body_that_is_not_an_event_is_refused(stripe_on):
    body = b'{"hello": "world"}'
    response = Client().post(
        WEBHOOK_URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body)
    )
    assert response.status_code == 400


def test_an_oversized_body_is_refused_before_verifying(subscription_event):
    subscription_event["data"]["object"]["metadata"]["padding"] = "x" * 600_000
    response = post_event(Client(), subscription_event)
    assert response.status_code == 413 and not StripeEvent.objects.exists()


def test_only_post_is_allowed(stripe_on):
    assert Client().get(WEBHOOK_URL).status_code == 405


def test_the_endpoint_needs_no_csrf_token(subscription_event):
    client = Client(enforce_csrf_checks=True)
    assert post_event(client, subscription_event).status_code == 200


def test_without_billing_configured_the_endpoint_is_not_there(personas, settings):
    event = make_event("customer.subscription.created", make_subscription(personas.workspace_a))
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert post_event(Client(), event).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_worker_applies_the_event_once(subscription_event, broker, personas):
    post_event(Client(), subscription_event)
    post_event(Client(), subscription_event)
    tasks.process_stripe_event.send(subscription_event["id"])  # a redelivered message
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        broker.join("billing", timeout=10_000)
        worker.join()
    finally:
        worker.stop()
    stored = StripeEvent.objects.get(pk=subscription_event["id"])
    assert stored.processed_at is not None and stored.attempts == 1 and stored.error == ""
    account = BillingAccount.objects.get(workspace=personas.workspace_a)
    assert (account.plan, account.seats) == ("team", 3)


def test_processing_a_processed_event_does_nothing(subscription_event):
    events.record_event(subscription_event)
    assert events.process_event(subscription_event["id"]) is True
    assert events.process_event(subscription_event["id"]) is False


def test_a_failing_event_stays_pending_with_its_error(subscription_event, monkeypatch):
    events.record_event(subscription_event)

    def boom(*args):
        raise RuntimeError("database on fire")

    monkeypatch.setitem(events.HANDLERS, "customer.subscription.created", boom)
    with pytest.raises(RuntimeError):
        events.process_event(subscription_event["id"])
    stored = StripeEvent.objects.get(pk=subscription_event["id"])
    assert stored.processed_at is None and "database on fire" in stored.error
    assert list(events.pending_events()) == [stored]
    monkeypatch.undo()
    assert events.process_event(subscription_event["id"]) is True


def test_an_event_type_we_do_not_handle_is_stored_and_marked_done(db, stripe_on):
    event = make_event("customer.created", {"id": "cus_1", "object": "customer"})
    assert post_event(Client(), event).status_code == 200
    assert events.process_event(event["id"]) is True
