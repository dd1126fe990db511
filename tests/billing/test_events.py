"""Stripe events change plans, seats and credits: once each, and never backwards."""

import time
from datetime import timedelta

import dramatiq
import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import timezone

from saas.billing import events, services
from saas.billing.models import BillingAccount, StripeEvent

from .conftest import (
    make_checkout_session,
    make_event,
    make_invoice,
    make_subscription,
    post_event,
)

NOW = int(time.time())


@pytest.fixture
def ws(personas, stripe_on):
    yield personas.workspace_a
    dramatiq.get_broker().flush_all()


def deliver(event: dict) -> None:
    """What the webhook view and the worker do, in one go (on-commit hooks included)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert post_event(Client(), event).status_code == 200
        events.process_event(event["id"])


def account(ws) -> BillingAccount:
    return BillingAccount.objects.get(workspace=ws)


def subscribe(ws, **kwargs):
    created = kwargs.pop("created", NOW)
    kind = kwargs.pop("kind", "customer.subscription.created")
    deliver(make_event(kind, make_subscription(ws, **kwargs), created=created))


# Subscriptions ------------------------------------------------------------------------


def test_a_team_subscription_sets_the_plan_and_seats(ws):
    subscribe(ws, quantity=4)
    a = account(ws)
    assert (a.plan, a.seats, a.subscription_status) == ("team", 4, "active")
    assert (a.stripe_customer_id, a.subscription_id) == ("cus_1", "sub_1")
    assert a.current_period_end > timezone.now()
    assert services.plan_for(ws).seats == 4


def test_a_subscription_grants_the_plans_monthly_credits_at_once(ws):
    services.ensure_monthly_grant(ws)
    free_grant = services.balance(ws)
    subscribe(ws, quantity=2)
    assert services.balance(ws) == services.plan_for(ws).monthly_credits > free_grant


def test_more_seats_on_the_subscription_update_the_seats(ws):
    subscribe(ws, quantity=2)
    subscribe(ws, quantity=6, kind="customer.subscription.updated", created=NOW + 10)
    assert account(ws).seats == 6


def test_a_change_to_creator_in_the_portal_changes_the_plan(ws):
    subscribe(ws)
    subscribe(
        ws,
        price="price_creator",
        quantity=1,
        kind="customer.subscription.updated",
        created=NOW + 10,
    )
    a = account(ws)
    assert (a.plan, a.seats) == ("creator", None)


def test_cancellation_goes_back_to_free(ws):
    subscribe(ws)
    subscribe(ws, status="canceled", kind="customer.subscription.deleted", created=NOW + 10)
    assert account(ws).plan == "free"
    assert services.plan_for(ws).id == "free"


def test_cancel_at_period_end_keeps_the_plan_until_then(ws):
    subscribe(ws)
    subscribe(ws, cancel_at_period_end=True, kind="customer.subscription.updated", created=NOW + 10)
    a = account(ws)
    assert a.plan == "team" and a.cancel_at_period_end


def test_an_older_event_delivered_late_does_not_undo_a_newer_one(ws):
    subscribe(ws, quantity=5, kind="customer.subscription.updated", created=NOW + 20)
    subscribe(ws, quantity=2, created=NOW)  # the "created" event arrives last
    subscribe(ws, quantity=3, kind="customer.subscription.updated", created=NOW + 10)
    a = account(ws)
    assert (a.plan, a.seats) == ("team", 5)


def test_a_deletion_delivered_before_the_update_that_preceded_it_wins(ws):
    subscribe(ws, created=NOW)
    subscribe(ws, status="canceled", kind="customer.subscription.deleted", created=NOW + 20)
    subscribe(ws, quantity=9, kind="customer.subscription.updated", created=NOW + 10)
    assert (account(ws).plan, account(ws).subscription_status) == ("free", "canceled")


def test_a_cancelled_subscription_never_comes_back_even_with_the_same_timestamp(ws):
    subscribe(ws, status="canceled", kind="customer.subscription.deleted", created=NOW)
    subscribe(ws, kind="customer.subscription.updated", created=NOW)
    assert account(ws).plan == "free"


def test_a_new_subscription_after_a_cancellation_is_followed(ws):
    subscribe(ws, id="sub_old", created=NOW)
    subscribe(
        ws, id="sub_old", status="canceled", kind="customer.subscription.deleted", created=NOW + 10
    )
    subscribe(ws, id="sub_new", price="price_creator", quantity=1, created=NOW + 20)
    assert (account(ws).plan, account(ws).subscription_id) == ("creator", "sub_new")


def test_the_end_of_an_old_subscription_does_not_cancel_the_new_one(ws):
    subscribe(ws, id="sub_new", price="price_creator", quantity=1, created=NOW + 20)
    subscribe(
        ws, id="sub_old", status="canceled", kind="customer.subscription.deleted", created=NOW + 30
    )
    assert (account(ws).plan, account(ws).subscription_id) == ("creator", "sub_new")


def test_an_incomplete_subscription_does_not_upgrade_yet(ws):
    subscribe(ws, status="incomplete")
    assert account(ws).plan == "free"
    subscribe(ws, kind="customer.subscription.updated", created=NOW + 5)
    assert account(ws).plan == "team"


def test_an_unknown_price_changes_nothing(ws):
    subscribe(ws, price="price_somebody_elses")
    assert account(ws).plan == "free"


def test_an_event_for_no_known_workspace_is_ignored(ws):
    subscription = make_subscription(ws, customer="cus_stranger")
    subscription["metadata"] = {}
    deliver(make_event("customer.subscription.created", subscription))
    assert not BillingAccount.objects.filter(subscription_id="sub_1").exists()
    assert StripeEvent.objects.get().processed_at is not None


def test_the_customer_id_decides_the_workspace_over_metadata(ws, personas):
    subscribe(ws)  # links cus_1 to workspace A
    other = make_subscription(personas.workspace_b, quantity=7)  # claims B, but cus_1 is A's
    deliver(make_event("customer.subscription.updated", other, created=NOW + 10))
    assert account(ws).seats == 7
    assert not BillingAccount.objects.filter(workspace=personas.workspace_b).exists()


# Credit packs -------------------------------------------------------------------------


def test_a_paid_credit_pack_adds_its_credits_once(ws):
    services.ensure_monthly_grant(ws)
    before = services.balance(ws)
    event = make_event("checkout.session.completed", make_checkout_session(ws, credits=500))
    deliver(event)
    deliver(event)  # a duplicate delivery
    retry = make_event("checkout.session.completed", make_checkout_session(ws, credits=500))
    deliver(retry)  # another event about the same session
    assert services.balance(ws) == before + 500
    assert account(ws).stripe_customer_id == "cus_1"


def test_an_unpaid_checkout_adds_no_credits(ws):
    before = services.balance(ws)
    session = make_checkout_session(ws, payment_status="unpaid")
    deliver(make_event("checkout.session.completed", session))
    assert services.balance(ws) == before


def test_a_delayed_payment_adds_the_credits_when_it_succeeds_once(ws):
    before = services.balance(ws)
    unpaid = make_checkout_session(ws, credits=500, payment_status="unpaid")
    deliver(make_event("checkout.session.completed", unpaid))
    assert services.balance(ws) == before
    paid = make_checkout_session(ws, credits=500)
    deliver(make_event("checkout.session.async_payment_succeeded", paid))
    deliver(make_event("checkout.session.async_payment_succeeded", paid))
    assert services.balance(ws) == before + 500


def test_a_subscription_checkout_links_the_customer(ws):
    deliver(
        make_event("checkout.session.completed", make_checkout_session(ws, mode="subscription"))
    )
    assert account(ws).stripe_customer_id == "cus_1"
    assert services.balance(ws) == 120  # only Free's monthly credits


# Failed payments and the grace period -------------------------------------------------


def fail_payment(ws, created=NOW + 100):
    deliver(make_event("invoice.payment_failed", make_invoice(), created=created))


def test_a_failed_payment_starts_a_grace_period_and_tells_the_owners(ws, settings):
    settings.BILLING_GRACE_DAYS = 7
    subscribe(ws)
    mail.outbox.clear()
    fail_payment(ws)
    a = account(ws)
    assert a.plan == "team" and a.subscription_status == "past_due"
    assert timedelta(days=6, hours=23) < a.grace_until - timezone.now() <= timedelta(days=7)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@acme.test"]
    assert "Payment failed" in mail.outbox[0].subject
    assert "https://app.test/billing/" in mail.outbox[0].body


def test_a_second_failure_does_not_extend_the_grace_or_mail_again(ws):
    subscribe(ws)
    fail_payment(ws)
    first = account(ws).grace_until
    mail.outbox.clear()
    fail_payment(ws, created=NOW + 200)
    assert account(ws).grace_until == first and mail.outbox == []


def test_a_paid_invoice_ends_the_grace_period(ws):
    subscribe(ws)
    fail_payment(ws)
    deliver(make_event("invoice.paid", make_invoice(), created=NOW + 200))
    a = account(ws)
    assert (a.grace_until, a.subscription_status, a.plan) == (None, "active", "team")


def test_a_late_failure_notice_does_not_undo_a_newer_payment(ws):
    subscribe(ws)
    deliver(make_event("invoice.paid", make_invoice(), created=NOW + 200))
    fail_payment(ws, created=NOW + 100)
    assert account(ws).grace_until is None


def test_after_the_grace_period_the_workspace_moves_to_free_with_a_notice(ws):
    subscribe(ws)
    fail_payment(ws)
    BillingAccount.objects.filter(workspace=ws).update(
        grace_until=timezone.now() - timedelta(minutes=1)
    )
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("enforce_grace_periods", stdout=open("/dev/null", "w"))  # noqa: SIM115
    a = account(ws)
    assert a.plan == "free" and a.downgraded_at is not None
    assert len(mail.outbox) == 1 and "Free plan" in mail.outbox[0].subject
    mail.outbox.clear()
    assert events.enforce_grace_periods() == 0 and mail.outbox == []  # idempotent


def test_within_the_grace_period_nothing_changes(ws):
    subscribe(ws)
    fail_payment(ws)
    assert events.enforce_grace_periods() == 0
    assert account(ws).plan == "team"


def test_paying_after_the_downgrade_brings_the_plan_back(ws):
    subscribe(ws)
    fail_payment(ws)
    events.enforce_grace_periods(now=timezone.now() + timedelta(days=30))
    assert account(ws).plan == "free"
    subscribe(ws, status="past_due", kind="customer.subscription.updated", created=NOW + 150)
    assert account(ws).plan == "free"  # still unpaid: stays down
    deliver(make_event("invoice.paid", make_invoice(), created=NOW + 200))
    assert (account(ws).plan, account(ws).downgraded_at) == ("team", None)


def test_a_subscription_that_goes_past_due_starts_the_grace_period_too(ws):
    subscribe(ws)
    mail.outbox.clear()
    subscribe(ws, status="past_due", kind="customer.subscription.updated", created=NOW + 10)
    assert account(ws).grace_until is not None and len(mail.outbox) == 1
    fail_payment(ws)  # the invoice event for the same failure
    assert len(mail.outbox) == 1


def test_invoices_of_other_subscriptions_are_ignored(ws):
    subscribe(ws)
    deliver(make_event("invoice.payment_failed", make_invoice(subscription="sub_other")))
    assert account(ws).grace_until is None


def test_the_command_applies_events_no_worker_picked_up(ws):
    event = make_event("customer.subscription.created", make_subscription(ws))
    post_event(Client(), event)
    call_command("process_stripe_events", "--older-than", "0", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert account(ws).plan == "team"


def test_the_scheduler_jobs_exist_and_are_idempotent(ws):
    import importlib

    from saas.ops.scheduler import JOBS

    billing_jobs = [job.path for job in JOBS if job.path.startswith("saas.billing.")]
    for path in billing_jobs:
        module, _, name = path.rpartition(".")
        job = getattr(importlib.import_module(module), name)  # the scheduler swallows errors
        job()
        assert not job()  # a second run has nothing left to do


def test_pending_events_are_applied_by_the_periodic_job(ws):
    event = make_event("customer.subscription.created", make_subscription(ws))
    post_event(Client(), event)
    StripeEvent.objects.filter(pk=event["id"]).update(
        received_at=timezone.now() - timedelta(minutes=5)
    )
    assert events.process_pending_stripe_events() == 1
    assert account(ws).plan == "team"
    assert events.process_pending_stripe_events() == 0


def test_an_abandoned_checkout_leaves_the_plan_and_seats_as_they_were(ws):
    """A subscription that never started (3-D Secure not completed) changes nothing: an
    Enterprise workspace set up by staff was moved to Free, its 50 seats gone."""
    BillingAccount.objects.update_or_create(
        workspace=ws, defaults={"plan": "enterprise", "seats": 50, "custom_monthly_credits": 9000}
    )
    subscribe(ws, status="incomplete", quantity=5)
    assert (account(ws).plan, account(ws).seats) == ("enterprise", 50)
    subscribe(ws, status="incomplete_expired", quantity=5,
              kind="customer.subscription.updated", created=NOW + 10)  # fmt: skip
    assert (account(ws).plan, account(ws).seats) == ("enterprise", 50)
    assert services.plan_for(ws).monthly_credits == 9000
