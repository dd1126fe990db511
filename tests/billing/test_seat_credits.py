"""A Team plan's monthly credits count the seats that were paid for.

Raising the seats and lowering them again within a period gave every added seat's
credits at once while Stripe's prorations cancelled out: 10,000 seats for a minute
were 15 million credits for close to nothing. Seats now change without proration
(added seats are billed from the renewal, removed ones stay paid until it), and added
seats bring their credits with the invoice that pays for them."""

import time

import pytest
from django.test import Client, TestCase

from saas.billing import events, services
from saas.billing.models import BillingAccount

from .conftest import make_event, make_invoice, make_subscription, post_event

NOW = int(time.time())


def sub_reply(quantity):
    return {"id": "sub_1", "object": "subscription", "items": {"object": "list", "data": [
        {"id": "si_1", "object": "subscription_item", "quantity": quantity}]}}  # fmt: skip


def deliver(event):
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert post_event(Client(), event).status_code == 200
        events.process_event(event["id"])


@pytest.fixture
def team(personas, stripe_on):
    workspace = personas.workspace_a
    deliver(make_event("customer.subscription.created", make_subscription(workspace, quantity=4),
                       created=NOW))  # fmt: skip
    assert services.balance(workspace) == 4 * 1500
    return workspace


def test_seats_raised_and_lowered_again_grant_nothing_and_are_not_prorated(
    personas, team, stripe_http
):
    owner = personas.membership(personas.owner)
    stripe_http.reply(sub_reply(4)).reply(sub_reply(10000))
    services.change_seats(owner, 10000)
    assert BillingAccount.objects.get(workspace=team).seats == 10000
    assert services.balance(team) == 4 * 1500
    stripe_http.reply(sub_reply(10000)).reply(sub_reply(4))
    services.change_seats(owner, 4)
    assert services.balance(team) == 4 * 1500
    updates = [s.params for s in stripe_http.sent if s.method == "post"]
    assert [u.get("proration_behavior") for u in updates] == ["none", "none"]


def test_added_seats_bring_their_credits_with_the_invoice_that_pays_for_them(team):
    deliver(make_event("customer.subscription.updated", make_subscription(team, quantity=6),
                       created=NOW + 10))  # fmt: skip
    assert services.balance(team) == 4 * 1500  # in the portal: not paid yet
    assert services.plan_for(team).seats == 6  # but the seats are there at once
    deliver(make_event("invoice.paid", make_invoice(seats=6), created=NOW + 20))
    assert services.balance(team) == 6 * 1500


def test_an_invoice_for_fewer_seats_lowers_what_later_grants_count(team):
    deliver(make_event("customer.subscription.updated", make_subscription(team, quantity=5),
                       created=NOW + 10))  # fmt: skip
    deliver(make_event("invoice.paid", make_invoice(seats=4, id="in_2"), created=NOW + 20))
    assert services.plan_for(team).monthly_credits == 4 * 1500
