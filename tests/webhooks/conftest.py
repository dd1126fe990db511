"""Webhook fixtures: the local receiver, an endpoint pointing at it, the stub broker."""

import ipaddress

import dramatiq
import pytest

from saas.webhooks import services, ssrf

from .receiver import webhook_receiver  # noqa: F401  (a fixture)


@pytest.fixture(autouse=True)
def strict_by_default(settings):
    """No host is exempt from the address checks unless a test says so; http:// is
    allowed (as with DEBUG) so that the address checks are what is tested."""
    settings.WEBHOOKS_ALLOWED_HOSTS = []
    settings.WEBHOOKS_ALLOW_HTTP = True


@pytest.fixture(autouse=True)
def offline_dns(monkeypatch):
    """No real DNS in these tests: literals and localhost resolve, other names do not."""

    def resolve(host, port):
        if host == "localhost":
            return [ipaddress.ip_address("127.0.0.1")]
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            raise ssrf.ResolveFailed(f"Could not resolve {host} (no DNS in tests)") from None

    monkeypatch.setattr(ssrf, "resolve", resolve)


@pytest.fixture
def admin(personas):
    """The admin's membership in workspace A: the role that manages webhooks."""
    return personas.membership(personas.admin)


@pytest.fixture
def stub_broker():
    broker = dramatiq.get_broker()
    broker.flush_all()
    yield broker
    broker.flush_all()


@pytest.fixture
def endpoint(admin, webhook_receiver):  # noqa: F811
    """An endpoint of workspace A for every event, at the receiver, which knows its secret."""
    endpoint, secret = services.create_endpoint(admin, webhook_receiver.url)
    webhook_receiver.secret = secret
    endpoint.secret = secret
    return endpoint


def queued(broker, queue="default") -> list:
    """The messages waiting in the stub broker's QUEUE."""
    if queue not in broker.queues:
        return []
    return [dramatiq.Message.decode(data) for data in broker.queues[queue].queue]
