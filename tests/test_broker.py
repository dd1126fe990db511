"""Jobs go through a real Redis broker to a real dramatiq worker."""

import dramatiq
import pytest
from dramatiq.brokers.redis import RedisBroker

from saas.ops import tasks
from saas.ops.models import WorkerHeartbeat


@pytest.fixture
def redis_broker(redis_url):
    """Point the actors at Redis for one test, then back at the stub broker."""
    previous = dramatiq.get_broker()
    broker = RedisBroker(url=redis_url, namespace="test-broker")
    broker.flush_all()
    broker.declare_actor(tasks.heartbeat)
    dramatiq.set_broker(broker)
    tasks.heartbeat.broker = broker
    yield broker
    broker.flush_all()
    broker.close()
    tasks.heartbeat.broker = previous
    dramatiq.set_broker(previous)


@pytest.mark.django_db(transaction=True)
def test_a_heartbeat_travels_through_redis_to_a_worker(redis_broker):
    tasks.heartbeat.send("through-redis")
    assert redis_broker.client.llen("test-broker:default") == 1  # really queued in Redis
    worker = dramatiq.Worker(redis_broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        redis_broker.join("default", timeout=20_000)
        worker.join()
    finally:
        worker.stop()
    beat = WorkerHeartbeat.objects.get(token="through-redis")
    assert beat.pid > 0


def test_unit_tests_use_the_stub_broker():
    from dramatiq.brokers.stub import StubBroker

    assert isinstance(dramatiq.get_broker(), StubBroker)
