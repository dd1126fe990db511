"""The billing page and GET /api/v1/billing: who sees what, configured or not."""

import pytest

from saas.billing import services
from saas.billing.models import BillingAccount

from ..conftest import api_client_for, web_client


def page(user, workspace):
    return web_client(user, workspace).get("/billing/")


def test_without_stripe_the_page_says_billing_is_not_configured(personas, settings):
    settings.STRIPE_SECRET_KEY = ""
    response = page(personas.owner, personas.workspace_a)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Billing is not configured" in html
    assert "Free" in html and "120" in html  # the plan and the monthly credits still work
    assert "Choose Creator" not in html and "Buy 500 credits" not in html


def test_with_stripe_the_owner_can_choose_plans_and_buy_credits(personas, stripe_on):
    html = page(personas.owner, personas.workspace_a).content.decode()
    assert "Billing is not configured" not in html
    assert "Choose Creator" in html and "Choose Team" in html
    assert "Buy 500 credits" in html and "Buy 2,000 credits" in html
    assert "Talk to us for Enterprise" in html


def test_a_plan_without_a_price_id_is_not_offered(personas, stripe_on):
    stripe_on.STRIPE_PRICE_CREATOR = ""
    html = page(personas.owner, personas.workspace_a).content.decode()
    assert "Choose Creator" not in html and "Choose Team" in html


def test_a_subscribed_owner_manages_it_in_the_portal(personas, stripe_on):
    BillingAccount.objects.create(
        workspace=personas.workspace_a,
        plan="team",
        seats=5,
        stripe_customer_id="cus_1",
        subscription_id="sub_1",
        subscription_status="active",
    )
    html = page(personas.owner, personas.workspace_a).content.decode()
    assert "Manage subscription" in html and "Update seats" in html
    assert "Choose Creator" not in html
    assert "4 used of 5" in html


def test_the_page_shows_the_balance_and_the_ledger(personas):
    ws = personas.workspace_a
    services.reserve_credits(ws, "3f1c2a70-0000-4000-8000-000000000001", 40)
    html = page(personas.owner, ws).content.decode()
    assert "80 <span" in html  # 120 granted, 40 held
    assert "40 more are held by renders in progress" in html
    assert "Reservation" in html and "-40" in html


def test_a_grace_period_is_announced(personas, stripe_on):
    from django.utils import timezone

    BillingAccount.objects.create(
        workspace=personas.workspace_a,
        plan="team",
        seats=5,
        subscription_id="sub_1",
        subscription_status="past_due",
        grace_until=timezone.now(),
    )
    assert "The last payment failed" in page(personas.owner, personas.workspace_a).content.decode()


def test_an_admin_sees_the_page_without_buttons(personas, stripe_on):
    response = page(personas.admin, personas.workspace_a)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Only owners change billing" in html
    assert "Choose Creator" not in html and "Buy 500 credits" not in html


@pytest.mark.parametrize("who", ["creator", "viewer"])
def test_creators_and_viewers_are_refused(personas, who):
    assert page(getattr(personas, who), personas.workspace_a).status_code == 403


def test_the_outsider_only_ever_sees_their_own_workspace(personas):
    services.add_purchase(personas.workspace_a, 999, stripe_ref="cs_a", note="A's credits")
    html = page(personas.outsider, personas.workspace_b).content.decode()
    assert "Globex" in html and "999" not in html and "Acme" not in html


def test_the_nav_links_billing_for_owners_and_admins_only(personas):
    for who, shown in [("owner", True), ("admin", True), ("creator", False), ("viewer", False)]:
        html = web_client(getattr(personas, who), personas.workspace_a).get("/dashboard/")
        assert ('href="/billing/"' in html.content.decode()) is shown, who


def test_returning_from_checkout_says_what_happens_next(personas, stripe_on):
    client = web_client(personas.owner, personas.workspace_a)
    response = client.get("/billing/?checkout=success", follow=True)
    assert "update in a moment" in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(db):
    from django.test import Client

    response = Client().get("/billing/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# GET /api/v1/billing -----------------------------------------------------------------


def test_any_member_reads_the_plan_and_balance_through_the_api(personas):
    services.ensure_monthly_grant(personas.workspace_a)
    for who in ("owner", "admin", "creator", "viewer"):
        client = api_client_for(getattr(personas, who), personas.workspace_a)
        body = client.get("/api/v1/billing").json()
        assert body["plan"]["id"] == "free" and body["plan"]["max_resolution"] == "720p"
        assert body["credits"] == {"balance": 120, "reserved": 0, "debt": 0}
        assert body["seats"] == {"used": 4, "limit": None}  # no billing: unlimited


def test_the_api_shows_the_seat_limit_when_billing_is_on(personas, stripe_on):
    # With billing on, a Free plan has no API keys; the web app's session still reads it.
    body = web_client(personas.owner, personas.workspace_a).get("/api/v1/billing").json()
    assert body["seats"] == {"used": 4, "limit": 1} and body["billing_configured"] is True


def test_the_api_shows_an_outsider_only_their_own_workspace(personas):
    services.add_purchase(personas.workspace_a, 999, stripe_ref="cs_a", note="A's credits")
    body = api_client_for(personas.outsider, personas.workspace_b).get("/api/v1/billing").json()
    assert body["credits"]["balance"] == 120 and body["seats"]["used"] == 1


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_the_billing_api_is_read_only(personas, method):
    client = api_client_for(personas.owner, personas.workspace_a)
    assert getattr(client, method)("/api/v1/billing").status_code == 405


def test_the_billing_api_needs_a_key(db):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/billing")
    assert response.status_code in (401, 403)
    assert "error" in response.json()


@pytest.mark.parametrize(("open_api", "shown"), [(True, "API and webhooks"), (False, "No API or")])
def test_the_plan_card_says_whether_this_workspace_has_the_api(personas, settings, open_api, shown):
    settings.BILLING_API_FOR_ALL_PLANS = open_api
    plan_card = page(personas.owner, personas.workspace_a).content.decode().split('id="plan-h"')[1]
    assert shown in plan_card.split("</section>")[0]


@pytest.mark.parametrize(("open_api", "free_says"), [(True, "API and webhooks"),
                                                     (False, "Web app only")])  # fmt: skip
def test_the_plan_comparison_says_what_each_plan_gets_here(personas, settings, open_api,
                                                           free_says):  # fmt: skip
    """Where billing leaves the API open to every plan, the free plan's card in the
    comparison says so too (it said "Web app only" while the API answered)."""
    settings.BILLING_API_FOR_ALL_PLANS = open_api
    html = page(personas.owner, personas.workspace_a).content.decode()
    free = html.split('id="plan-free"')[1].split("</section>")[0]
    assert free_says in free
