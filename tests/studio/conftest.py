import dramatiq
import pytest

from ..conftest import actors_on
from ..scraper.server import ShopServer

QUEUES = ("default", "tts", "gpu")


class StubWorker:
    """Runs every queued actor in-process until all queues are empty."""

    def __init__(self, broker):
        self.broker = broker

    def drain(self, rounds=8):
        """Join every queue repeatedly: a stage's actor queues the next stage."""
        for _ in range(rounds):
            for queue in QUEUES:
                if queue in self.broker.queues:
                    self.broker.join(queue, fail_fast=True)


@pytest.fixture
def stub_worker():
    """A private stub broker with every actor moved onto it, and a worker.

    A dramatiq Worker leaves its consumers' middleware on the broker it ran on,
    so each test gets its own broker rather than sharing the global one.
    """
    from django_dramatiq.middleware import DbConnectionsMiddleware
    from dramatiq.brokers.stub import StubBroker

    broker = StubBroker()
    broker.add_middleware(DbConnectionsMiddleware())
    with actors_on(broker):
        worker = dramatiq.Worker(broker, worker_timeout=50, worker_threads=1)
        worker.start()
        yield StubWorker(broker)
        worker.stop()


@pytest.fixture
def funded(personas):
    from saas.billing import services as billing

    account = billing.account_for(personas.workspace_a)
    account.plan = "team"  # renders five at a time
    account.save()
    billing.ensure_monthly_grant(personas.workspace_a)
    billing.grant_credits(personas.workspace_a, 10_000, note="test credits")
    return personas


@pytest.fixture
def shop(settings):
    """The local shop, with 127.0.0.1 allowed for scraping during the test."""
    settings.SCRAPER_ALLOW_NETWORKS = ["127.0.0.1/32"]
    server = ShopServer().start()
    yield server
    server.stop()
