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


def test_an_idle_worker_looks_for_work_at_least_every_100_ms(redis_url):
    """Dramatiq's consumer backs off up to the worker's timeout (1 s, which its command
    line does not expose); ours caps it, and the settings use ours for Redis."""
    from django.conf import settings

    from saas.queueing import PromptRedisBroker

    assert settings.DRAMATIQ_BROKER["BROKER"] in (
        "saas.queueing.PromptRedisBroker",
        "dramatiq.brokers.stub.StubBroker",  # this test run's own broker
    )
    broker = PromptRedisBroker(url=redis_url, namespace="test-prompt", poll_max_ms=100)
    try:
        consumer = broker.consume("default", prefetch=1, timeout=1000)  # the worker's default
        assert consumer.timeout == 100
        assert broker.consume("default", timeout=50).timeout == 50  # a shorter one stays
        assert next(iter(consumer)) is None  # an empty queue: it came back, nothing to do
    finally:
        broker.close()


def test_the_production_settings_name_the_prompt_broker():
    import os
    import subprocess
    import sys

    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='saas.settings'; "
            "from django.conf import settings; b = settings.DRAMATIQ_BROKER; "
            "print(b['BROKER'], b['OPTIONS']['poll_max_ms'])")  # fmt: skip
    env = {**os.environ, "BROKER_URL": "redis://127.0.0.1:1/0", "BROKER_POLL_MAX_MS": "80"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split()  # fmt: skip
    assert out == ["saas.queueing.PromptRedisBroker", "80"]
