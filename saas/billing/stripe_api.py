"""The only module that imports stripe. Everything Stripe goes through here.

Functions take and return plain values (ids, dicts), never stripe objects.
Tests point the client at localstripe (STRIPE_API_BASE) or inject an HTTP
client (`HTTP_CLIENT`) that records the exact requests.
"""

import json

import stripe
from django.conf import settings

HTTP_CLIENT: "stripe.HTTPClient | None" = None  # tests inject a recording client here
WEBHOOK_TOLERANCE_S = 300


class StripeUnavailable(Exception):
    """Stripe could not be reached or refused the call; the message is safe to show."""


class InvalidWebhook(Exception):
    """A webhook body that is not a correctly signed Stripe event."""


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def _client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise StripeUnavailable("Billing is not configured on this server.")
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses=base,
        http_client=HTTP_CLIENT,
        max_network_retries=2,
    )


def _call(fn, *args, **kwargs) -> dict:
    try:
        return fn(*args, **kwargs).to_dict()
    except stripe.StripeError as exc:
        message = exc.user_message or "Stripe refused the request."
        raise StripeUnavailable(f"Stripe: {message}") from exc


def create_customer(*, email: str, name: str, workspace_id: str) -> str:
    """A new Stripe customer for a workspace. Returns its id (cus_…).

    The idempotency key makes a retried or doubled call return the same customer.
    """
    params = {"email": email, "name": name, "metadata": {"workspace_id": workspace_id}}
    options = {"idempotency_key": f"customer-{workspace_id}"}
    return _call(_client().v1.customers.create, params=params, options=options)["id"]


def create_checkout_session(
    account,
    *,
    price: str,
    mode: str,
    quantity: int,
    success_url: str,
    cancel_url: str,
    metadata: dict | None = None,
) -> str:
    """A Checkout Session for ACCOUNT's customer. Returns the URL to send the user to.

    mode is "subscription" (a plan; quantity is the seat count) or "payment"
    (a credit pack). The workspace id travels as client_reference_id and in
    metadata, so the webhook can find the workspace.
    """
    workspace_id = str(account.workspace_id)
    meta = {"workspace_id": workspace_id, **(metadata or {})}
    params = {
        "mode": mode,
        "customer": account.stripe_customer_id,
        "client_reference_id": workspace_id,
        "line_items": [{"price": price, "quantity": quantity}],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "metadata": meta,
    }
    if mode == "subscription":
        params["subscription_data"] = {"metadata": {"workspace_id": workspace_id}}
    else:
        params["payment_intent_data"] = {"metadata": meta}
    return _call(_client().v1.checkout.sessions.create, params=params)["url"]


def create_portal_session(account, *, return_url: str) -> str:
    """A Customer Portal session (plan changes, cancellation, cards). Returns its URL."""
    params = {"customer": account.stripe_customer_id, "return_url": return_url}
    return _call(_client().v1.billing_portal.sessions.create, params=params)["url"]


def get_subscription(subscription_id: str) -> dict:
    return _call(_client().v1.subscriptions.retrieve, subscription_id)


def get_charge(charge_id: str) -> dict:
    """A charge as Stripe has it now: its amount, amount_refunded and payment_intent."""
    return _call(_client().v1.charges.retrieve, charge_id)


def set_subscription_quantity(subscription_id: str, quantity: int, *, prorate=True) -> dict:
    """Set the seat count of a one-item subscription (prorated, Stripe's default, or not)."""
    subscription = get_subscription(subscription_id)
    item_id = subscription["items"]["data"][0]["id"]
    params = {"items": [{"id": item_id, "quantity": quantity}]}
    if not prorate:
        params["proration_behavior"] = "none"
    return _call(_client().v1.subscriptions.update, subscription_id, params=params)


def verify_webhook(payload: bytes, signature: str | None) -> dict:
    """The event in PAYLOAD as a plain dict, if SIGNATURE proves Stripe sent it.

    Raises InvalidWebhook for a missing, wrong or stale signature, or a body
    that is not a JSON event.
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret or not signature:
        raise InvalidWebhook("missing signature")
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(text, signature, secret, WEBHOOK_TOLERANCE_S)
        event = json.loads(text)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidWebhook(str(exc)) from exc
    if not isinstance(event, dict) or event.get("object") != "event" or not event.get("id"):
        raise InvalidWebhook("not an event")
    return event
