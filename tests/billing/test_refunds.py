"""Refunds and disputes of credit packs take the bought credits back, once each.

Events are locally signed payloads posted to the webhook view, as in
test_events.py. A refund event makes the app read the charge from Stripe: here
that read is answered by stripe's injectable HTTP client (`stripe_http`, which
stands in for Stripe's servers only; the app's code and the stripe library run
for real), and the last tests read it from localstripe, where a real
PaymentIntent was paid and refunded.
"""

import importlib
import time
import uuid

import dramatiq
import pytest
from django.apps import apps
from django.test import Client, TestCase

from saas.billing import events, services, stripe_api
from saas.billing.models import CreditEntry, CreditPurchase, StripeEvent
from saas.billing.services import InsufficientCredits

from ..conftest import web_client
from .conftest import (
    make_charge,
    make_checkout_session,
    make_dispute,
    make_event,
    make_refund,
    post_event,
)

NOW = int(time.time())
FREE_MONTHLY = 120


@pytest.fixture
def ws(personas, stripe_on):
    """Workspace A with Free's monthly credits."""
    services.ensure_monthly_grant(personas.workspace_a)
    yield personas.workspace_a
    dramatiq.get_broker().flush_all()


def deliver(event: dict) -> bool:
    """What the webhook view and the worker do; returns whether the worker applied it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert post_event(Client(), event).status_code == 200
        return events.process_event(event["id"])


def buy(ws, *, session="cs_1", credits=500, amount=1000) -> str:
    """A credit pack paid in Checkout. Returns its PaymentIntent id."""
    checkout = make_checkout_session(ws, id=session, credits=credits, amount_total=amount)
    deliver(make_event("checkout.session.completed", checkout))
    return checkout["payment_intent"]


def refunded(amount_refunded, *, charge="ch_1", pi="pi_1", amount=1000, created=NOW):
    return make_event(
        "charge.refunded",
        make_charge(id=charge, payment_intent=pi, amount=amount, amount_refunded=amount_refunded),
        created=created,
    )


def disputed(type_="charge.dispute.created", *, status="needs_response", amount=1000, id="du_1"):
    return make_event(type_, make_dispute(id=id, amount=amount, status=status))


def stripe_has(stripe_http, amount_refunded, *, charge="ch_1", pi="pi_1", amount=1000):
    """Stripe's answer to the app's next read of the charge."""
    stripe_http.reply(
        make_charge(id=charge, payment_intent=pi, amount=amount, amount_refunded=amount_refunded)
    )


def ledger(ws, *kinds) -> list[tuple[str, int]]:
    entries = CreditEntry.objects.filter(workspace=ws).order_by("created_at")
    if kinds:
        entries = entries.filter(kind__in=kinds)
    return list(entries.values_list("kind", "amount"))


def spend(ws, credits, video=None):
    video = video or str(uuid.uuid4())
    services.reserve_credits(ws, video, credits)
    services.settle_credits(ws, video, credits)


# The purchase ---------------------------------------------------------------------------


def test_a_bought_pack_remembers_its_payment_intent_and_price(ws):
    buy(ws, credits=500, amount=1000)
    purchase = CreditPurchase.objects.get()
    assert (purchase.workspace_id, purchase.checkout_session) == (ws.pk, "cs_1")
    assert (purchase.payment_intent, purchase.credits, purchase.amount) == ("pi_1", 500, 1000)
    assert purchase.currency == "usd" and purchase.amount_refunded == 0


# Refunds --------------------------------------------------------------------------------


def test_a_purchase_and_its_refund_left_pending_are_applied_in_stripes_order(ws, stripe_http):
    """The billing worker was down while a pack was bought and refunded: the periodic job
    took the newest first, the refund found no purchase, and the pack's credits stayed."""
    from datetime import timedelta

    from django.utils import timezone

    checkout = make_checkout_session(ws, id="cs_1", credits=500, amount_total=1000)
    for event in (make_event("checkout.session.completed", checkout, created=NOW - 60),
                  refunded(1000, created=NOW)):  # fmt: skip
        assert post_event(Client(), event).status_code == 200  # stored; no worker ran
    StripeEvent.objects.update(received_at=timezone.now() - timedelta(minutes=5))
    stripe_has(stripe_http, 1000)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert events.process_pending_stripe_events() == 2
    assert services.balance(ws) == FREE_MONTHLY


def test_a_full_refund_takes_the_pack_back(ws, stripe_http):
    buy(ws)
    assert services.balance(ws) == FREE_MONTHLY + 500
    stripe_has(stripe_http, 1000)
    assert deliver(refunded(1000))
    assert services.balance(ws) == FREE_MONTHLY and services.debt(ws) == 0
    assert ledger(ws, "reversal", "debt") == [("reversal", -500)]
    [read] = stripe_http.sent
    assert (read.method, read.path) == ("get", "/v1/charges/ch_1")
    purchase = CreditPurchase.objects.get()
    assert (purchase.amount_refunded, purchase.charge) == (1000, "ch_1")


def test_partial_refunds_take_their_share_rounded_down(ws, stripe_http):
    buy(ws, credits=500, amount=1000)
    stripe_has(stripe_http, 333)
    deliver(refunded(333))
    assert services.balance(ws) == FREE_MONTHLY + 500 - 166  # 166.5 credits: 166
    stripe_has(stripe_http, 666)
    deliver(refunded(666))
    assert services.balance(ws) == FREE_MONTHLY + 500 - 333  # of the total, not 166 + 166
    stripe_has(stripe_http, 1000)
    deliver(refunded(1000))
    assert services.balance(ws) == FREE_MONTHLY
    assert [a for _, a in ledger(ws, "reversal")] == [-166, -167, -167]


def test_a_second_delivery_of_the_event_takes_nothing_more(ws, stripe_http):
    buy(ws)
    event = refunded(1000)
    stripe_has(stripe_http, 1000)
    assert deliver(event)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = post_event(Client(), event)
    assert response.json() == {"received": True, "duplicate": True}
    assert events.process_event(event["id"]) is False  # a redelivered queue message
    assert services.balance(ws) == FREE_MONTHLY
    assert len(stripe_http.sent) == 1  # Stripe was asked once


def test_a_refund_update_after_the_refund_takes_nothing_more(ws, stripe_http):
    buy(ws)
    stripe_has(stripe_http, 400)
    deliver(refunded(400))
    assert services.balance(ws) == FREE_MONTHLY + 300
    stripe_has(stripe_http, 400)  # the same refund, now with its bank reference
    assert deliver(make_event("charge.refund.updated", make_refund(amount=400)))
    assert services.balance(ws) == FREE_MONTHLY + 300
    assert ledger(ws, "reversal", "debt") == [("reversal", -200)]


def test_a_refund_update_delivered_before_the_refund_counts_once(ws, stripe_http):
    buy(ws)
    stripe_has(stripe_http, 400)
    deliver(make_event("charge.refund.updated", make_refund(amount=400), created=NOW + 1))
    stripe_has(stripe_http, 400)
    deliver(refunded(400, created=NOW))
    assert services.balance(ws) == FREE_MONTHLY + 300


def test_a_refund_that_fails_gives_the_credits_back(ws, stripe_http):
    buy(ws)
    stripe_has(stripe_http, 1000)
    deliver(refunded(1000))
    stripe_has(stripe_http, 0)  # Stripe takes a failed refund off the charge's total
    deliver(make_event("charge.refund.updated", make_refund(status="failed")))
    assert services.balance(ws) == FREE_MONTHLY + 500
    assert ledger(ws, "reversal") == [("reversal", -500), ("reversal", 500)]
    assert "failed" in CreditEntry.objects.filter(kind="reversal", amount=500).get().note


def test_an_older_look_at_the_charge_does_not_undo_a_newer_one(ws):
    from datetime import timedelta

    from django.utils import timezone

    buy(ws)
    purchase = CreditPurchase.objects.get()
    later = timezone.now()
    earlier = later - timedelta(seconds=2)
    assert services.record_refunded_amount(purchase.pk, amount_refunded=1000, seen_at=later)
    # A worker that read the charge before the second refund finishes last:
    assert services.record_refunded_amount(purchase.pk, amount_refunded=400, seen_at=earlier) == 0
    assert services.balance(ws) == FREE_MONTHLY


def test_a_refund_of_something_else_is_ignored_without_asking_stripe(ws, stripe_http):
    buy(ws)
    event = refunded(1900, charge="ch_invoice", pi="pi_subscription", amount=1900)
    assert deliver(event)
    assert stripe_http.sent == [] and services.balance(ws) == FREE_MONTHLY + 500
    assert StripeEvent.objects.get(pk=event["id"]).processed_at is not None


def test_when_stripe_refuses_the_read_the_refund_waits_and_applies_later(ws, stripe_http):
    buy(ws)
    error = {"error": {"type": "api_error", "message": "Try again.", "code": "lock_timeout"}}
    stripe_http.reply(error, status=400)
    event = refunded(1000)
    with pytest.raises(stripe_api.StripeUnavailable):
        deliver(event)
    stored = StripeEvent.objects.get(pk=event["id"])
    assert stored.processed_at is None and "Stripe" in stored.error
    assert services.balance(ws) == FREE_MONTHLY + 500
    stripe_has(stripe_http, 1000)
    assert events.process_event(event["id"])  # the actor's retry, or process_stripe_events
    assert services.balance(ws) == FREE_MONTHLY


# Spent credits: the debt --------------------------------------------------------------


def test_spent_credits_are_owed_and_the_next_purchase_pays_them_first(ws, stripe_http, personas):
    buy(ws)
    spend(ws, FREE_MONTHLY + 480)  # the monthly credits first, then 480 of the pack
    assert services.balance(ws) == 20
    stripe_has(stripe_http, 1000)
    deliver(refunded(1000))
    assert ledger(ws, "reversal", "debt") == [("reversal", -20), ("debt", -480)]
    assert (services.balance(ws), services.debt(ws)) == (0, 480)
    with pytest.raises(InsufficientCredits, match="owes 480"):
        services.reserve_credits(ws, str(uuid.uuid4()), 1)
    owner = web_client(personas.owner, ws)
    page = owner.get("/billing/").content.decode()
    assert "owes 480 credits" in page and "Owed" in page
    credits = owner.get("/api/v1/billing").json()["credits"]
    assert credits == {"balance": 0, "reserved": 0, "debt": 480}

    buy(ws, session="cs_2", credits=2000, amount=3000)
    assert (services.balance(ws), services.debt(ws)) == (1520, 0)


def test_a_monthly_grant_pays_off_a_debt_too(ws, stripe_http):
    buy(ws)
    spend(ws, FREE_MONTHLY + 500)
    stripe_has(stripe_http, 1000)
    deliver(refunded(1000))
    assert services.debt(ws) == 500
    services.ensure_monthly_grant(ws, "2999-01")  # next month: nothing left to expire
    assert (services.debt(ws), ledger(ws, "expiry")) == (500 - FREE_MONTHLY, [("expiry", 0)])
    services.grant_credits(ws, 1000, note="goodwill")
    assert (services.balance(ws), services.debt(ws)) == (1000 - 500 + FREE_MONTHLY, 0)


# Disputes -------------------------------------------------------------------------------


def test_a_dispute_takes_the_pack_back_and_winning_it_gives_it_back(ws, stripe_http):
    buy(ws)
    deliver(disputed())
    assert services.balance(ws) == FREE_MONTHLY
    deliver(disputed("charge.dispute.updated", status="under_review"))
    assert services.balance(ws) == FREE_MONTHLY
    deliver(disputed("charge.dispute.closed", status="won"))
    assert services.balance(ws) == FREE_MONTHLY + 500
    assert ledger(ws, "reversal") == [("reversal", -500), ("reversal", 500)]
    assert stripe_http.sent == []  # disputes carry all they need


def test_a_lost_dispute_keeps_the_credits_taken(ws):
    buy(ws)
    deliver(disputed())
    deliver(disputed("charge.dispute.closed", status="lost"))
    assert services.balance(ws) == FREE_MONTHLY


def test_a_late_event_does_not_reopen_a_closed_dispute(ws):
    buy(ws)
    deliver(disputed("charge.dispute.closed", status="won"))
    deliver(disputed())  # "created", delivered after "closed"
    assert services.balance(ws) == FREE_MONTHLY + 500
    assert ledger(ws, "reversal", "debt") == []


def test_an_inquiry_takes_the_credits_until_it_closes(ws):
    buy(ws)
    deliver(disputed(status="warning_needs_response"))
    assert services.balance(ws) == FREE_MONTHLY
    deliver(disputed("charge.dispute.closed", status="warning_closed"))
    assert services.balance(ws) == FREE_MONTHLY + 500


def test_a_dispute_won_while_in_debt_pays_the_debt_back_first(ws):
    buy(ws)
    spend(ws, FREE_MONTHLY + 400)  # 100 of the pack left
    deliver(disputed())
    assert (services.balance(ws), services.debt(ws)) == (0, 400)
    deliver(disputed("charge.dispute.closed", status="won"))
    assert (services.balance(ws), services.debt(ws)) == (100, 0)


def test_a_partial_refund_and_a_dispute_of_the_rest_take_the_whole_pack(ws, stripe_http):
    buy(ws)
    stripe_has(stripe_http, 300)
    deliver(refunded(300))
    assert services.balance(ws) == FREE_MONTHLY + 350
    deliver(disputed(amount=700))
    assert services.balance(ws) == FREE_MONTHLY
    deliver(disputed("charge.dispute.closed", status="won", amount=700))
    assert services.balance(ws) == FREE_MONTHLY + 350


def test_each_workspace_gives_back_only_its_own_pack(ws, personas, stripe_http):
    buy(ws)
    other = personas.workspace_b
    services.ensure_monthly_grant(other)
    checkout = make_checkout_session(other, id="cs_b", customer="cus_b")
    deliver(make_event("checkout.session.completed", checkout))
    stripe_has(stripe_http, 1000, charge="ch_b", pi="pi_b")
    deliver(refunded(1000, charge="ch_b", pi="pi_b"))
    assert services.balance(other) == FREE_MONTHLY
    assert services.balance(ws) == FREE_MONTHLY + 500


# Purchases made before refunds were handled ---------------------------------------------


def test_the_migration_links_earlier_purchases_to_their_payment_intents(ws):
    migration = importlib.import_module(
        "saas.billing.migrations.0002_credit_purchases_refunds_and_debt"
    )
    session = make_checkout_session(ws, id="cs_old", payment_intent="pi_old", amount_total=4900)
    events.record_event(make_event("checkout.session.completed", session))
    CreditEntry.objects.create(workspace=ws, kind="purchase", amount=2000, stripe_ref="cs_old")
    CreditEntry.objects.create(workspace=ws, kind="purchase", amount=500, stripe_ref="cs_lost")
    migration.link_existing_purchases(apps, None)
    migration.link_existing_purchases(apps, None)  # and again: nothing twice
    old, lost = (CreditPurchase.objects.get(checkout_session=s) for s in ("cs_old", "cs_lost"))
    assert (old.payment_intent, old.amount, old.credits) == ("pi_old", 4900, 2000)
    assert (lost.payment_intent, lost.amount, lost.credits) == ("", 0, 500)


# Against localstripe: a real PaymentIntent, charge and refunds ----------------------------


@pytest.mark.slow
def test_refunds_made_in_stripe_take_the_credits_back(personas, localstripe):
    """localstripe has no Checkout, so the test plays its part: it pays a PaymentIntent
    for the pack and tells the app the session completed; refunds are made in
    localstripe and the app reads the charge from it."""
    ws = personas.workspace_a
    services.ensure_monthly_grant(ws)
    customer = stripe_api.create_customer(
        email="owner@acme.test", name=ws.name, workspace_id=str(ws.pk)
    )
    card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}
    method = localstripe.v1.payment_methods.create(params={"type": "card", "card": card})
    intent = localstripe.v1.payment_intents.create(
        params={
            "amount": 1000,
            "currency": "usd",
            "customer": customer,
            "payment_method": method.id,
            "confirm": True,
        }
    )
    charge_id = intent.latest_charge if isinstance(intent.latest_charge, str) else None
    charge_id = charge_id or intent.latest_charge.id
    session = make_checkout_session(ws, id="cs_live", customer=customer, payment_intent=intent.id)
    deliver(make_event("checkout.session.completed", session))
    assert services.balance(ws) == FREE_MONTHLY + 500

    first = localstripe.v1.refunds.create(params={"charge": charge_id, "amount": 400})
    deliver(make_event("charge.refunded", stripe_api.get_charge(charge_id)))
    assert services.balance(ws) == FREE_MONTHLY + 300
    deliver(make_event("charge.refund.updated", first.to_dict()))
    assert services.balance(ws) == FREE_MONTHLY + 300  # the same refund: nothing more

    localstripe.v1.refunds.create(params={"charge": charge_id, "amount": 600})  # the rest
    deliver(make_event("charge.refunded", stripe_api.get_charge(charge_id)))
    assert services.balance(ws) == FREE_MONTHLY
    assert CreditPurchase.objects.get().amount_refunded == 1000
