"""An endpoint whose deliveries all fail for WEBHOOKS_DISABLE_AFTER_DAYS is disabled by the
scheduler's job, its owners and admins are mailed once, it is sent nothing while
disabled (its events are recorded as missed), and enabling it again can resend them.

Time moves with a clock that replaces django.utils.timezone.now (the deliveries'
attempts, the check and the database's timestamps all read it); nothing sleeps.
Requests go to the local receiver over real HTTP.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from saas.webhooks import services
from saas.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery

from ..conftest import api_client_for, web_client
from .conftest import queued
from .receiver import WebhookReceiver

PAGE = "/workspace/webhooks/"


class Clock:
    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture
def failing(endpoint, webhook_receiver, settings):
    """The receiver answers every request with a 500; endpoints go after 3 days."""
    settings.WEBHOOKS_DISABLE_AFTER_DAYS = 3
    webhook_receiver.respond_with(500)
    return endpoint


counter = iter(range(1_000_000))


def emit(personas, event="video.completed"):
    return services.emit_event(personas.workspace_a, event, {"id": f"v{next(counter)}"})


def run_due():
    """What the scheduler's sweep and the workers do at the clock's time."""
    due = WebhookDelivery.objects.filter(
        status__in=services.OPEN, next_attempt_at__lte=timezone.now()
    )
    for delivery_id in due.values_list("pk", flat=True):
        services.deliver(delivery_id)


def traffic(personas, clock, *, hours, every=6):
    """An event every EVERY hours for HOURS hours, with the retries that fall due."""
    for _ in range(hours // every):
        clock.advance(hours=every)
        emit(personas)
        run_due()


def check() -> int:
    """The scheduler's job, with its after-commit mail sent as it would be."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.disable_failing_endpoints()


def reload(endpoint):
    endpoint.refresh_from_db()
    return endpoint


def disabled_with_missed_events(personas, clock, endpoint):
    """Fail for three days, get disabled, then miss two more events."""
    emit(personas)
    run_due()
    traffic(personas, clock, hours=72)
    assert check() == 1
    emit(personas)
    emit(personas, "video.failed")
    return reload(endpoint)


# Disabling ------------------------------------------------------------------------------


def test_an_endpoint_failing_for_three_days_is_disabled_and_admins_are_mailed_once(
    personas, clock, failing, webhook_receiver
):
    emit(personas)
    run_due()  # the first failure
    traffic(personas, clock, hours=66)
    clock.advance(hours=6, seconds=-1)
    assert check() == 0 and reload(failing).active  # a second short of three days

    clock.advance(seconds=1)
    assert check() == 1
    endpoint = reload(failing)
    assert not endpoint.active and endpoint.disabled_automatically
    assert endpoint.disabled_at == clock.now
    assert "every delivery failed for 3 days" in endpoint.disabled_reason
    assert "HTTP 500" in endpoint.disabled_reason

    [message] = mail.outbox
    assert sorted(message.to) == ["admin@acme.test", "owner@acme.test"]  # not creator, viewer
    assert "Webhook endpoint disabled for Acme" in message.subject
    assert endpoint.url in message.body and endpoint.disabled_reason in message.body
    assert "/workspace/webhooks/" in message.body and "&amp;" not in message.body

    clock.advance(hours=1)
    assert check() == 0 and len(mail.outbox) == 1  # once


def test_the_scheduler_runs_the_check(settings):
    from saas.ops.scheduler import JOBS

    [job] = [j for j in JOBS if j.path.endswith("disable_failing_endpoints")]
    assert job.path == "saas.webhooks.services.disable_failing_endpoints"
    assert job.every_s <= 3600


def test_a_success_in_the_window_starts_the_count_again(personas, clock, failing, webhook_receiver):
    emit(personas)
    run_due()
    traffic(personas, clock, hours=48)
    webhook_receiver.fail(0)
    webhook_receiver.respond_with(200)
    clock.advance(hours=1)
    emit(personas)
    run_due()  # a success (the retries due then succeed too), 49 hours in
    webhook_receiver.respond_with(500)
    traffic(personas, clock, hours=72)
    assert check() == 0 and reload(failing).active  # failing since 66 hours only
    traffic(personas, clock, hours=6)
    assert check() == 1


def test_a_short_outage_or_a_quiet_endpoint_is_not_disabled(personas, clock, failing):
    clock.advance(days=10)
    assert check() == 0  # never called at all
    emit(personas)
    run_due()
    clock.advance(days=2, hours=23)
    assert check() == 0  # failing, but not for three days yet
    clock.advance(hours=1)
    assert check() == 1  # no success since a failure three days ago: disabled


def test_zero_days_never_disables(personas, clock, failing, settings):
    settings.WEBHOOKS_DISABLE_AFTER_DAYS = 0
    emit(personas)
    run_due()
    traffic(personas, clock, hours=24 * 7)
    assert check() == 0 and reload(failing).active


def test_other_endpoints_are_left_alone(personas, clock, failing, admin):
    other, _ = services.create_endpoint(personas.membership(personas.outsider), "https://x.test/")
    with WebhookReceiver() as receiver:  # answers 200
        healthy, _ = services.create_endpoint(admin, receiver.url)
        emit(personas)
        run_due()
        traffic(personas, clock, hours=72)
        assert check() == 1
    assert not reload(failing).active
    assert reload(healthy).active and reload(other).active


# While disabled ----------------------------------------------------------------------------


def test_a_disabled_endpoint_gets_no_attempts_and_records_its_events(
    personas, clock, failing, webhook_receiver
):
    endpoint = disabled_with_missed_events(personas, clock, failing)
    requests, attempts = len(webhook_receiver.requests), WebhookAttempt.objects.count()
    missed = WebhookDelivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.MISSED)
    # the retries cut short by the disabling, and the two events since
    assert missed.count() >= 2 and services.missed_count(endpoint) == missed.count()
    assert not WebhookDelivery.objects.filter(status__in=services.OPEN).exists()

    clock.advance(days=2)
    assert services.enqueue_due_deliveries() == 0
    for delivery in missed:
        assert services.deliver(delivery.pk) is None
    assert len(webhook_receiver.requests) == requests
    assert WebhookAttempt.objects.count() == attempts


# Enabling again -------------------------------------------------------------------------------


def test_enabling_without_resending_drops_the_missed_events(personas, clock, failing, stub_broker):
    endpoint = disabled_with_missed_events(personas, clock, failing)
    missed = list(WebhookDelivery.objects.filter(status=DeliveryStatus.MISSED))
    stub_broker.flush_all()
    client = api_client_for(personas.admin, personas.workspace_a)
    shown = client.get(f"/api/v1/webhooks/{endpoint.pk}").json()
    assert not shown["active"] and shown["disabled_automatically"]
    assert shown["disabled_reason"] == endpoint.disabled_reason and shown["disabled_at"]
    assert shown["missed_events"] == len(missed)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/api/v1/webhooks/{endpoint.pk}/enable", {}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["active"] and body["replayed"] == 0 and body["missed_events"] == 0
    assert body["disabled_reason"] == "" and not body["disabled_automatically"]
    assert queued(stub_broker) == []
    for delivery in missed:
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.FAILED and delivery.last_error.startswith("Not")

    # The failures from before count no more; three new days of them do.
    clock.advance(hours=1)
    assert check() == 0 and reload(endpoint).active
    emit(personas)
    run_due()
    clock.advance(days=3)
    assert check() == 1


def test_enabling_with_resending_sends_each_missed_event_once(
    personas, clock, failing, webhook_receiver, stub_broker
):
    endpoint = disabled_with_missed_events(personas, clock, failing)
    missed = {d.pk: d.event_id for d in WebhookDelivery.objects.filter(status="missed")}
    assert len(set(missed.values())) == len(missed)
    webhook_receiver.respond_with(200)
    before = len(webhook_receiver.requests)
    stub_broker.flush_all()
    client = api_client_for(personas.owner, personas.workspace_a)
    path = f"/api/v1/webhooks/{endpoint.pk}/enable"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(path, {"replay_missed": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["replayed"] == len(missed) and response.json()["active"]
    assert sorted(m.args[0] for m in queued(stub_broker)) == sorted(str(pk) for pk in missed)

    for delivery_id in missed:
        services.deliver(delivery_id)
        services.deliver(delivery_id)  # a second message for it sends nothing
    sent = [r.headers["Webhook-Id"] for r in webhook_receiver.requests[before:]]
    assert sorted(sent) == sorted(missed.values())  # each missed event once
    assert all(r.verified for r in webhook_receiver.requests[before:])
    assert set(WebhookDelivery.objects.filter(pk__in=missed).values_list("status", flat=True)) == {
        DeliveryStatus.SUCCEEDED
    }

    again = client.post(path, {"replay_missed": True}, format="json")  # already enabled
    assert again.status_code == 200 and again.json()["replayed"] == 0


def test_a_replay_waiting_with_its_original_is_sent_once(personas, clock, admin, endpoint):
    [delivery] = emit(personas)
    services.replay_delivery(admin, endpoint.pk, delivery.pk)  # both wait to be sent
    services.update_endpoint(admin, endpoint.pk, active=False)
    assert services.missed_count(reload(endpoint)) == 2
    _, resent = services.enable_endpoint(admin, endpoint.pk, replay_missed=True)
    assert resent == 1
    statuses = WebhookDelivery.objects.values_list("status", flat=True)
    assert sorted(statuses) == [DeliveryStatus.FAILED, DeliveryStatus.PENDING]


def test_an_endpoint_disabled_by_hand_also_keeps_what_it_misses(personas, admin, endpoint):
    services.update_endpoint(admin, endpoint.pk, active=False)
    [delivery] = emit(personas)
    assert delivery.status == DeliveryStatus.MISSED
    endpoint = reload(endpoint)
    assert endpoint.disabled_reason == "Disabled by admin@acme.test."
    assert not endpoint.disabled_automatically
    assert services.enable_endpoint(admin, endpoint.pk, replay_missed=True)[1] == 1


# The page ---------------------------------------------------------------------------------


def test_the_page_shows_why_and_resends_on_request(
    personas, clock, failing, webhook_receiver, stub_broker
):
    endpoint = disabled_with_missed_events(personas, clock, failing)
    count = services.missed_count(endpoint)
    client = web_client(personas.admin, personas.workspace_a)
    page = client.get(PAGE).content.decode()
    assert "disabled" in page and "every delivery failed for 3 days" in page
    assert f"Re-enable and resend {count} missed events" in page
    assert "Re-enable without resending" in page

    stub_broker.flush_all()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            PAGE, {"action": "enable_resend", "id": str(endpoint.pk)}, follow=True
        )
    assert f"Endpoint enabled; {count} missed events queued again." in response.content.decode()
    assert reload(endpoint).active and len(queued(stub_broker)) == count


def test_the_page_enables_without_resending(personas, clock, failing, stub_broker):
    endpoint = disabled_with_missed_events(personas, clock, failing)
    client = web_client(personas.owner, personas.workspace_a)
    stub_broker.flush_all()
    client.post(PAGE, {"action": "enable", "id": str(endpoint.pk)})
    assert reload(endpoint).active and queued(stub_broker) == []
    assert not WebhookDelivery.objects.filter(status=DeliveryStatus.MISSED).exists()


# Who may enable it ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["viewer", "creator"])
def test_members_below_admin_cannot_enable_it(personas, clock, failing, persona):
    endpoint = disabled_with_missed_events(personas, clock, failing)
    missed = services.missed_count(endpoint)
    user = getattr(personas, persona)
    api = api_client_for(user, personas.workspace_a)
    response = api.post(f"/api/v1/webhooks/{endpoint.pk}/enable", {"replay_missed": True})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    page = web_client(user, personas.workspace_a)
    assert page.post(PAGE, {"action": "enable_resend", "id": str(endpoint.pk)}).status_code == 403
    endpoint = reload(endpoint)
    assert not endpoint.active and services.missed_count(endpoint) == missed


def test_another_workspace_gets_404(personas, clock, failing):
    endpoint = disabled_with_missed_events(personas, clock, failing)
    path = f"/api/v1/webhooks/{endpoint.pk}/enable"
    api = api_client_for(personas.outsider, personas.workspace_b)
    assert api.post(path, {"replay_missed": True}).status_code == 404
    page = web_client(personas.outsider, personas.workspace_b)
    for action in ("enable", "enable_resend"):
        assert page.post(PAGE, {"action": action, "id": str(endpoint.pk)}).status_code == 404
    assert not reload(endpoint).active
