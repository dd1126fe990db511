"""Checkout and the Customer Portal, which localstripe lacks: the exact requests the
stripe library sends are recorded through its injectable HTTP client."""

import pytest

from saas.billing import services, stripe_api
from saas.billing.models import BillingAccount
from saas.billing.services import BillingUnavailable
from saas.errors import Conflict, Forbidden, ServiceError

from ..conftest import web_client

CHECKOUT_URL = "https://checkout.stripe.com/c/pay/cs_test_1"
PORTAL_URL = "https://billing.stripe.com/p/session/test_1"


@pytest.fixture
def owner(personas, stripe_on):
    return personas.membership(personas.owner)


def customer_reply(stripe_http, id="cus_new"):
    stripe_http.reply({"id": id, "object": "customer"})


def checkout_reply(stripe_http):
    stripe_http.reply({"id": "cs_test_1", "object": "checkout.session", "url": CHECKOUT_URL})


def test_choosing_a_plan_creates_the_customer_then_a_subscription_checkout(owner, stripe_http):
    customer_reply(stripe_http)
    checkout_reply(stripe_http)
    url = services.start_checkout(owner, "creator")
    assert url == CHECKOUT_URL
    workspace_id = str(owner.workspace_id)
    customer, checkout = stripe_http.sent
    assert (customer.method, customer.url) == ("post", "https://api.stripe.com/v1/customers")
    assert customer.params == {
        "email": "owner@acme.test",
        "name": "Acme",
        "metadata[workspace_id]": workspace_id,
    }
    assert customer.headers["Idempotency-Key"] == f"customer-{workspace_id}"
    assert customer.headers["Authorization"] == "Bearer sk_test_123"
    assert (checkout.method, checkout.path) == ("post", "/v1/checkout/sessions")
    assert checkout.params == {
        "mode": "subscription",
        "customer": "cus_new",
        "client_reference_id": workspace_id,
        "line_items[0][price]": "price_creator",
        "line_items[0][quantity]": "1",
        "success_url": "https://app.test/billing/?checkout=success",
        "cancel_url": "https://app.test/billing/?checkout=cancel",
        "metadata[workspace_id]": workspace_id,
        "metadata[kind]": "plan",
        "metadata[plan]": "creator",
        "subscription_data[metadata][workspace_id]": workspace_id,
    }
    assert BillingAccount.objects.get(workspace=owner.workspace).stripe_customer_id == "cus_new"


def test_team_checkout_asks_for_at_least_a_seat_per_member(owner, stripe_http):
    customer_reply(stripe_http)
    checkout_reply(stripe_http)
    services.start_checkout(owner, "team", seats=2)  # Acme has 4 members
    assert stripe_http.sent[-1].params["line_items[0][quantity]"] == "4"
    assert stripe_http.sent[-1].params["line_items[0][price]"] == "price_team"
    checkout_reply(stripe_http)
    services.start_checkout(owner, "team", seats=10)
    assert stripe_http.sent[-1].params["line_items[0][quantity]"] == "10"
    assert len(stripe_http.sent) == 3  # the customer was created once


def test_a_credit_pack_is_a_payment_checkout(owner, stripe_http):
    customer_reply(stripe_http)
    checkout_reply(stripe_http)
    assert services.buy_credits(owner, "price_credits_2000") == CHECKOUT_URL
    workspace_id = str(owner.workspace_id)
    checkout = stripe_http.sent[-1]
    assert checkout.path == "/v1/checkout/sessions"
    assert checkout.params == {
        "mode": "payment",
        "customer": "cus_new",
        "client_reference_id": workspace_id,
        "line_items[0][price]": "price_credits_2000",
        "line_items[0][quantity]": "1",
        "success_url": "https://app.test/billing/?checkout=success",
        "cancel_url": "https://app.test/billing/?checkout=cancel",
        "metadata[workspace_id]": workspace_id,
        "metadata[kind]": "credits",
        "metadata[credits]": "2000",
        "payment_intent_data[metadata][workspace_id]": workspace_id,
        "payment_intent_data[metadata][kind]": "credits",
        "payment_intent_data[metadata][credits]": "2000",
    }


def test_the_portal_opens_for_the_workspaces_customer(owner, stripe_http):
    BillingAccount.objects.create(workspace=owner.workspace, stripe_customer_id="cus_9")
    stripe_http.reply({"id": "bps_1", "object": "billing_portal.session", "url": PORTAL_URL})
    assert services.open_portal(owner) == PORTAL_URL
    (portal,) = stripe_http.sent
    assert (portal.method, portal.path) == ("post", "/v1/billing_portal/sessions")
    assert portal.params == {"customer": "cus_9", "return_url": "https://app.test/billing/"}


def test_the_portal_needs_a_customer_first(owner, stripe_http):
    with pytest.raises(Conflict):
        services.open_portal(owner)
    assert stripe_http.sent == []


def test_a_subscribed_workspace_changes_plans_in_the_portal_not_checkout(owner, stripe_http):
    BillingAccount.objects.create(
        workspace=owner.workspace,
        stripe_customer_id="cus_9",
        subscription_id="sub_9",
        subscription_status="active",
        plan="creator",
    )
    with pytest.raises(Conflict) as refused:
        services.start_checkout(owner, "team")
    assert refused.value.code == "already_subscribed" and stripe_http.sent == []


@pytest.mark.parametrize("plan", ["free", "enterprise", "nonsense"])
def test_only_sold_plans_can_be_checked_out(owner, stripe_http, plan):
    with pytest.raises(ServiceError) as refused:
        services.start_checkout(owner, plan)
    assert refused.value.field == "plan" and stripe_http.sent == []


@pytest.mark.parametrize("seats", ["many", "-3", "1000000"])
def test_a_bad_seat_count_is_a_field_error(owner, stripe_http, seats):
    with pytest.raises(ServiceError) as refused:
        services.start_checkout(owner, "team", seats=seats)
    assert refused.value.field == "seats" and stripe_http.sent == []


def test_an_unknown_credit_pack_is_refused(owner, stripe_http):
    with pytest.raises(ServiceError):
        services.buy_credits(owner, "price_made_up")
    assert stripe_http.sent == []


@pytest.mark.parametrize("who", ["admin", "creator", "viewer"])
def test_only_owners_spend_money(personas, stripe_http, who):
    actor = personas.membership(getattr(personas, who))
    for call in (
        lambda: services.start_checkout(actor, "creator"),
        lambda: services.buy_credits(actor, "price_credits_500"),
        lambda: services.open_portal(actor),
        lambda: services.change_seats(actor, 5),
    ):
        with pytest.raises(Forbidden):
            call()
    assert stripe_http.sent == []


def test_without_billing_configured_nothing_is_sold(personas, settings):
    settings.STRIPE_SECRET_KEY = ""
    owner = personas.membership(personas.owner)
    with pytest.raises(BillingUnavailable) as refused:
        services.start_checkout(owner, "creator")
    assert refused.value.status == 503 and "not configured" in refused.value.message


def test_a_stripe_error_is_a_clear_message(owner, stripe_http):
    error = {"error": {"type": "invalid_request_error", "message": "No such price: 'price_x'"}}
    stripe_http.reply(error, status=400)
    with pytest.raises(BillingUnavailable, match="No such price"):
        services.start_checkout(owner, "creator")


# The web page's buttons ----------------------------------------------------------------


def test_the_plan_button_redirects_to_stripe_checkout(personas, stripe_http):
    customer_reply(stripe_http)
    checkout_reply(stripe_http)
    client = web_client(personas.owner, personas.workspace_a)
    response = client.post("/billing/", {"action": "checkout", "plan": "team", "seats": "5"})
    assert response.status_code == 303 and response["Location"] == CHECKOUT_URL
    assert stripe_http.sent[-1].params["line_items[0][quantity]"] == "5"


def test_the_credits_button_redirects_to_stripe_checkout(personas, stripe_http):
    customer_reply(stripe_http)
    checkout_reply(stripe_http)
    client = web_client(personas.owner, personas.workspace_a)
    response = client.post("/billing/", {"action": "credits", "price": "price_credits_500"})
    assert response.status_code == 303 and response["Location"] == CHECKOUT_URL


def test_an_admin_posting_the_form_is_refused_with_a_message(personas, stripe_http):
    client = web_client(personas.admin, personas.workspace_a)
    response = client.post("/billing/", {"action": "checkout", "plan": "creator"}, follow=True)
    assert "Only an owner" in response.content.decode()
    assert stripe_http.sent == []


def test_the_seam_is_the_only_module_that_imports_stripe():
    import ast
    from pathlib import Path

    root = Path(stripe_api.__file__).resolve().parents[1]
    importers = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            if any(n.split(".")[0] == "stripe" for n in names):
                importers.append(str(path.relative_to(root)))
    assert importers == ["billing/stripe_api.py"]
