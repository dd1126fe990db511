"""Customers, subscriptions, seats and card payments against localstripe, a real
(fake) Stripe server. The test plays Stripe's part where Checkout or the Portal
would act (creating, changing and cancelling subscriptions); the app talks to
it only through saas.billing.stripe_api."""

import json
import time

import pytest
from django.db import OperationalError
from django.test import Client

from saas.billing import events, services, stripe_api
from saas.billing.models import BillingAccount, StripeEvent

from .conftest import WEBHOOK_SECRET, localstripe_config, make_event, post_event

pytestmark = pytest.mark.slow

GOOD_CARD, DECLINED_CARD = "4242424242424242", "4000000000000341"


def paying_customer(ls, workspace, card=GOOD_CARD) -> str:
    """A customer made by the app, with a card as Checkout would collect it."""
    customer_id = stripe_api.create_customer(
        email="owner@acme.test", name=workspace.name, workspace_id=str(workspace.pk)
    )
    BillingAccount.objects.update_or_create(
        workspace=workspace, defaults={"stripe_customer_id": customer_id}
    )
    card = {"number": card, "exp_month": 12, "exp_year": 2040, "cvc": "123"}
    method = ls.v1.payment_methods.create(params={"type": "card", "card": card})
    ls.v1.payment_methods.attach(method.id, params={"customer": customer_id})
    ls.v1.customers.update(
        customer_id, params={"invoice_settings": {"default_payment_method": method.id}}
    )
    return customer_id


def subscribe(ls, customer_id, workspace, plan="price_team", quantity=3) -> str:
    subscription = ls.v1.subscriptions.create(
        params={
            "customer": customer_id,
            "items": [{"plan": plan, "quantity": quantity}],
            "metadata": {"workspace_id": str(workspace.pk)},
        }
    )
    return subscription.id


def tell_the_app(type_: str, subscription_id: str, created: int) -> None:
    """Deliver a signed event carrying the subscription exactly as localstripe has it."""
    subscription = stripe_api.get_subscription(subscription_id)
    event = make_event(type_, subscription, created=created)
    assert post_event(Client(), event).status_code == 200
    events.process_event(event["id"])


def account(workspace) -> BillingAccount:
    return BillingAccount.objects.get(workspace=workspace)


def test_the_app_creates_a_stripe_customer_for_the_workspace(personas, localstripe):
    ws = personas.workspace_a
    customer_id = stripe_api.create_customer(
        email="owner@acme.test", name="Acme", workspace_id=str(ws.pk)
    )
    customer = localstripe.v1.customers.retrieve(customer_id)
    assert customer.email == "owner@acme.test"
    assert customer.metadata.to_dict() == {"workspace_id": str(ws.pk)}


def test_a_subscription_lifecycle_upgrade_seats_plan_change_and_cancel(personas, localstripe):
    ws = personas.workspace_a
    owner = personas.membership(personas.owner)
    customer_id = paying_customer(localstripe, ws)
    now = int(time.time())

    subscription_id = subscribe(localstripe, customer_id, ws, quantity=4)
    tell_the_app("customer.subscription.created", subscription_id, now)
    assert (account(ws).plan, account(ws).seats, account(ws).subscription_status) == (
        "team",
        4,
        "active",
    )  # the card paid the first invoice

    services.change_seats(owner, 6)
    stored = localstripe.v1.subscriptions.retrieve(subscription_id).to_dict()
    assert stored["items"]["data"][0]["quantity"] == 6
    assert account(ws).seats == 6
    tell_the_app("customer.subscription.updated", subscription_id, now + 1)
    assert account(ws).seats == 6

    item_id = stored["items"]["data"][0]["id"]
    localstripe.v1.subscriptions.update(
        subscription_id, params={"items": [{"id": item_id, "plan": "price_creator"}]}
    )
    tell_the_app("customer.subscription.updated", subscription_id, now + 2)
    assert (account(ws).plan, account(ws).seats) == ("creator", None)

    localstripe.v1.subscriptions.cancel(subscription_id)
    tell_the_app("customer.subscription.deleted", subscription_id, now + 3)
    assert (account(ws).plan, account(ws).subscription_status) == ("free", "canceled")


def test_a_declined_card_does_not_upgrade(personas, localstripe):
    ws = personas.workspace_a
    customer_id = paying_customer(localstripe, ws, card=DECLINED_CARD)
    subscription_id = subscribe(localstripe, customer_id, ws, quantity=2)
    tell_the_app("customer.subscription.created", subscription_id, int(time.time()))
    assert account(ws).subscription_status == "incomplete"
    assert services.plan_for(ws).id == "free"


def test_a_stripe_refusal_reaches_the_owner_as_a_message(personas, localstripe):
    owner = personas.membership(personas.owner)
    BillingAccount.objects.create(
        workspace=owner.workspace,
        plan="team",
        seats=4,
        subscription_id="sub_does_not_exist",
        subscription_status="active",
    )
    with pytest.raises(services.BillingUnavailable, match="Stripe"):
        services.change_seats(owner, 5)


def wait_for_event(type_: str, object_id: str, timeout: float = 15.0) -> StripeEvent:
    """The stored event about OBJECT_ID (localstripe may also deliver earlier tests' events)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            stored = list(StripeEvent.objects.filter(type=type_))
        except OperationalError:  # SQLite's shared test database is busy; look again
            stored = []
        found = [e for e in stored if e.payload["data"]["object"]["id"] == object_id]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"localstripe delivered no {type_} event for {object_id}")


@pytest.mark.django_db(transaction=True)
def test_localstripe_delivers_signed_webhooks_to_the_endpoint(personas, localstripe, live_server):
    ws = personas.workspace_a
    localstripe_config(
        localstripe.url,
        "POST",
        "/_config/webhooks/test",
        {
            "url": live_server.url + "/billing/stripe/webhook/",
            "secret": WEBHOOK_SECRET,
            "events": ["customer.subscription.created", "customer.subscription.deleted"],
        },
    )
    customer_id = paying_customer(localstripe, ws)
    subscription_id = subscribe(localstripe, customer_id, ws, quantity=3)
    stored = wait_for_event("customer.subscription.created", subscription_id)
    assert json.dumps(stored.payload)  # stored as JSON, as Stripe sent it
    events.process_event(stored.pk)
    assert (account(ws).plan, account(ws).seats) == ("team", 3)

    localstripe.v1.subscriptions.cancel(subscription_id)
    events.process_event(wait_for_event("customer.subscription.deleted", subscription_id).pk)
    assert account(ws).plan == "free"
