"""Billing fixtures: Stripe settings, signed events, a recording HTTP client, localstripe."""

import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit
from urllib.request import Request, urlopen

import pytest
import stripe

from saas.billing import stripe_api

from ..conftest import free_port, wait_for_port

HERE = Path(__file__).resolve().parent
WEBHOOK_SECRET = "whsec_test_secret"
WEBHOOK_URL = "/billing/stripe/webhook/"


@pytest.fixture(scope="session", autouse=True)
def stripe_config_home(tmp_path_factory):
    """stripe writes a telemetry id under $XDG_CONFIG_HOME/stripe; keep it out of $HOME."""
    previous = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("xdg"))
    yield
    if previous is None:
        os.environ.pop("XDG_CONFIG_HOME", None)
    else:
        os.environ["XDG_CONFIG_HOME"] = previous


@pytest.fixture
def stripe_on(settings):
    """Billing configured, as in production: keys, prices, packs, limits enforced."""
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = ""
    settings.STRIPE_PRICE_CREATOR = "price_creator"
    settings.STRIPE_PRICE_TEAM = "price_team"
    settings.STRIPE_CREDIT_PACKS = ["500:price_credits_500", "2000:price_credits_2000"]
    settings.BILLING_API_FOR_ALL_PLANS = False
    settings.BILLING_UNLIMITED_SEATS = False
    settings.SITE_ROOT = "https://app.test"
    return settings


# Events shaped like Stripe's ----------------------------------------------------------


def sign(body: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """A Stripe-Signature header: t=…,v1=HMAC-SHA256(secret, "t.body")."""
    t = int(timestamp if timestamp is not None else time.time())
    digest = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def make_event(type_: str, obj: dict, *, created: int | None = None, id: str | None = None):
    return {
        "id": id or f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "api_version": "2025-09-30.clover",
        "created": created if created is not None else int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type_,
    }


def make_subscription(
    workspace,
    *,
    id="sub_1",
    status="active",
    price="price_team",
    quantity=3,
    customer="cus_1",
    cancel_at_period_end=False,
):
    period_end = int(time.time()) + 30 * 86400
    return {
        "id": id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "cancel_at_period_end": cancel_at_period_end,
        "metadata": {"workspace_id": str(workspace.pk)},
        "items": {
            "object": "list",
            "data": [
                {
                    "id": "si_1",
                    "object": "subscription_item",
                    "price": {"id": price, "object": "price"},
                    "quantity": quantity,
                    "current_period_end": period_end,
                }
            ],
        },
    }


def make_invoice(*, subscription="sub_1", customer="cus_1", id="in_1", seats=None):
    """An invoice of SUBSCRIPTION; SEATS: its Team line's quantity (no lines without)."""
    invoice = {
        "id": id,
        "object": "invoice",
        "customer": customer,
        "parent": {
            "type": "subscription_details",
            "subscription_details": {"subscription": subscription},
        },
        "status": "paid",
    }
    if seats is not None:
        line = {"object": "line_item", "quantity": seats, "proration": False,
                "pricing": {"price_details": {"price": "price_team"}}}  # fmt: skip
        invoice["lines"] = {"object": "list", "data": [line]}
    return invoice


def make_checkout_session(
    workspace,
    *,
    id="cs_1",
    mode="payment",
    credits=500,
    customer="cus_1",
    payment_status="paid",
    payment_intent=None,
    amount_total=1000,
):
    """A completed Checkout Session; in payment mode its PaymentIntent is pi_<id's tail>."""
    metadata = {"workspace_id": str(workspace.pk)}
    if mode == "payment":
        metadata.update(kind="credits", credits=str(credits))
    return {
        "id": id,
        "object": "checkout.session",
        "mode": mode,
        "customer": customer,
        "client_reference_id": str(workspace.pk),
        "payment_status": payment_status,
        "payment_intent": (payment_intent or "pi_" + id.removeprefix("cs_"))
        if mode == "payment"
        else None,
        "amount_total": amount_total,
        "currency": "usd",
        "metadata": metadata,
    }


def make_charge(*, id="ch_1", payment_intent="pi_1", amount=1000, amount_refunded=0):
    """A charge as Stripe sends it in charge.refunded (API 2025: no refunds list)."""
    return {
        "id": id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": amount_refunded,
        "currency": "usd",
        "customer": "cus_1",
        "paid": True,
        "payment_intent": payment_intent,
        "refunded": amount_refunded >= amount,
        "status": "succeeded",
    }


def make_refund(
    *, id="re_1", charge="ch_1", payment_intent="pi_1", amount=1000, status="succeeded"
):
    return {
        "id": id,
        "object": "refund",
        "amount": amount,
        "charge": charge,
        "currency": "usd",
        "payment_intent": payment_intent,
        "status": status,
    }


def make_dispute(
    *, id="du_1", charge="ch_1", payment_intent="pi_1", amount=1000, status="needs_response"
):
    return {
        "id": id,
        "object": "dispute",
        "amount": amount,
        "charge": charge,
        "currency": "usd",
        "payment_intent": payment_intent,
        "reason": "fraudulent",
        "status": status,
    }


def post_event(client, event: dict, *, signature: str | None = None, secret=WEBHOOK_SECRET):
    body = json.dumps(event).encode()
    header = signature if signature is not None else sign(body, secret)
    return client.post(
        WEBHOOK_URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


# A recording HTTP client for the stripe library ------------------------------------------


@dataclass
class Sent:
    method: str
    url: str
    headers: dict
    body: str | None

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def params(self) -> dict:
        return dict(parse_qsl(self.body or "", keep_blank_values=True))


class RecordingHTTPClient(stripe.HTTPClient):
    """Answers every request with the next canned JSON body and records what was sent."""

    name = "recording"

    def __init__(self):
        super().__init__()
        self.sent: list[Sent] = []
        self.replies: list[tuple[int, dict]] = []

    def reply(self, body: dict, status: int = 200):
        self.replies.append((status, body))
        return self

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        self.sent.append(Sent(method, url, dict(headers or {}), post_data))
        status, body = self.replies.pop(0)
        return json.dumps(body), status, {"Request-Id": f"req_{len(self.sent)}"}

    def close(self):
        pass


@pytest.fixture
def stripe_http(stripe_on, monkeypatch):
    client = RecordingHTTPClient()
    monkeypatch.setattr(stripe_api, "HTTP_CLIENT", client)
    return client


# localstripe, a real fake Stripe server ----------------------------------------------------


@pytest.fixture(scope="session")
def localstripe_server(tmp_path_factory):
    port = free_port()
    workdir = tmp_path_factory.mktemp("localstripe")
    log = open(workdir / "localstripe.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, str(HERE / "run_localstripe.py"), str(port), str(os.getpid())],
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for_port(port, process, "localstripe")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)
    log.close()


def localstripe_config(base: str, method: str, path: str, data: dict | None = None) -> None:
    body = json.dumps(data).encode() if data is not None else None
    request = Request(base + path, data=body, method=method)
    request.add_header("Content-Type", "application/json")
    with urlopen(request, timeout=5) as response:
        assert response.status == 200


@pytest.fixture
def localstripe(localstripe_server, stripe_on):
    """Empty localstripe state, with the app's Stripe client pointed at it.

    Yields a stripe client for the test to play Stripe's part (creating plans,
    paying, cancelling) as Checkout or the Portal would.
    """
    localstripe_config(localstripe_server, "DELETE", "/_config/data")
    stripe_on.STRIPE_API_BASE = localstripe_server
    client = stripe.StripeClient(
        "sk_test_123", base_addresses={"api": localstripe_server}, max_network_retries=0
    )
    client.url = localstripe_server
    for price in ("price_creator", "price_team"):
        client.v1.plans.create(
            params={
                "id": price,
                "amount": 1900,
                "currency": "usd",
                "interval": "month",
                "product": {"name": price},
            }
        )
    yield client
    # Stop any webhook delivery set up by the test.
    localstripe_config(
        localstripe_server,
        "POST",
        "/_config/webhooks/test",
        {"url": "http://127.0.0.1:9/", "secret": "x", "events": ["none"]},
    )
