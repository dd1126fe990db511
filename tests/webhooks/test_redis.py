"""End to end through the real broker: emit in a transaction, the message reaches Redis
after commit, a dramatiq worker sends it, and the receiver verifies the signature."""

import dramatiq
import pytest
from django.db import transaction
from django.utils import timezone
from dramatiq.brokers.redis import RedisBroker

from saas.webhooks import services, tasks
from saas.webhooks.models import DeliveryStatus, WebhookDelivery

NAMESPACE = "test-webhooks"


@pytest.fixture
def redis_broker(redis_url):
    """Point the webhook actor at Redis for one test, then back at the stub broker."""
    previous = dramatiq.get_broker()
    broker = RedisBroker(url=redis_url, namespace=NAMESPACE)
    broker.flush_all()
    broker.declare_actor(tasks.deliver_webhook)
    dramatiq.set_broker(broker)
    tasks.deliver_webhook.broker = broker
    yield broker
    broker.flush_all()
    broker.close()
    tasks.deliver_webhook.broker = previous
    dramatiq.set_broker(previous)


def run_worker(broker, until):
    worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    try:
        until()
        broker.join("default", timeout=20_000)
        worker.join()
    finally:
        worker.stop()


@pytest.mark.django_db(transaction=True)
def test_an_event_goes_through_redis_to_a_worker_and_the_receiver(
    personas, redis_broker, webhook_receiver
):
    admin = personas.membership(personas.admin)
    endpoint, webhook_receiver.secret = services.create_endpoint(admin, webhook_receiver.url)
    webhook_receiver.fail(1, status=502)

    with transaction.atomic():
        [delivery] = services.emit_event(personas.workspace_a, "video.completed", {"id": "v9"})
        assert redis_broker.client.llen(f"{NAMESPACE}:default") == 0  # not before commit
    assert redis_broker.client.llen(f"{NAMESPACE}:default") == 1

    run_worker(redis_broker, until=lambda: webhook_receiver.wait_for(1, timeout=20))
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == DeliveryStatus.RETRYING

    # A minute later the scheduler's sweep finds the retry due; the worker sends it.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert services.enqueue_due_deliveries() == 1
    run_worker(redis_broker, until=lambda: webhook_receiver.wait_for(2, timeout=20))

    first, second = webhook_receiver.requests
    assert first.verified and second.verified and second.status == 200
    assert second.json()["data"] == {"id": "v9"}
    delivery = WebhookDelivery.objects.get(pk=delivery.pk)
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2
