"""Stripe webhook events: stored once, applied once, in order of creation.

Webhooks are the source of truth for plans and purchases. The view stores a
verified event (a duplicate id is ignored) and a worker applies it with
`process_event`, which claims it with a conditional UPDATE so that two
workers never apply the same event. Subscription state is taken from the
event's subscription object, and an event older than the newest one applied
to the account is ignored, so out-of-order delivery cannot undo newer state.

Refunds and disputes of credit packs set the credits taken back to what the
charge's refunded total and its disputes call for (services.take_back_purchase),
never add to them, so two events about one refund take its credits once. A
refund event only says that something changed: the charge is read from Stripe
before the event's transaction starts (a network call must not hold database
locks), and its refunded total is what counts.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from saas.workspaces.models import Workspace

from . import plans, services, stripe_api
from .models import BillingAccount, StripeEvent

log = logging.getLogger(__name__)

HANDLED = (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",  # bank debits and transfers pay later
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.paid",
    "invoice.payment_failed",
    "charge.refunded",  # credit packs: a full or partial refund
    "charge.refund.updated",  # … a refund that failed or was cancelled
    "charge.dispute.created",
    "charge.dispute.updated",
    "charge.dispute.closed",
)
ACTIVE = ("active", "trialing")
TERMINAL = ("canceled", "incomplete_expired")  # a subscription never leaves these
ENDED = (*TERMINAL, "unpaid")  # the plan is over (unpaid can still be paid and come back)
NEVER_STARTED = ("incomplete", "incomplete_expired")  # the first payment did not go through


def _time(timestamp) -> datetime | None:
    return datetime.fromtimestamp(int(timestamp), tz=UTC) if timestamp else None


def record_event(event: dict) -> bool:
    """Store a verified event once by its id. Returns False for a duplicate."""
    _, created = StripeEvent.objects.get_or_create(
        id=event["id"],
        defaults={
            "type": str(event.get("type", ""))[:100],
            "payload": event,
            "created": _time(event.get("created")) or timezone.now(),
        },
    )
    return created


def process_event(event_id: str) -> bool:
    """Apply a stored event if no one has yet. Returns whether this call applied it.

    On an error nothing of the event is kept, the event stays unprocessed with
    the error noted, and the exception propagates (the actor retries).
    """
    try:
        event = StripeEvent.objects.filter(pk=event_id, processed_at__isnull=True).first()
        if event is None:
            return False
        obj = event.payload["data"]["object"]
        lookup = LOOKUPS.get(event.type)
        if lookup:  # Stripe's current state, read before the transaction
            obj = lookup(obj)
        with transaction.atomic():
            claimed = StripeEvent.objects.filter(pk=event_id, processed_at__isnull=True).update(
                processed_at=timezone.now(), attempts=F("attempts") + 1, error=""
            )
            if not claimed:
                return False
            handler = HANDLERS.get(event.type)
            if handler and obj is not None:
                handler(obj, event.created)
    except Exception as exc:
        StripeEvent.objects.filter(pk=event_id).update(
            attempts=F("attempts") + 1, error=repr(exc)[:2000]
        )
        raise
    return True


def pending_events(older_than: timedelta = timedelta(0)):
    cutoff = timezone.now() - older_than
    # Oldest first, in Stripe's order: a refund applied before its purchase was recorded
    # found nothing to take back, and the purchase then added the refunded credits.
    return StripeEvent.objects.filter(processed_at__isnull=True, received_at__lte=cutoff).order_by(
        "created", "received_at"
    )


# Finding the workspace ------------------------------------------------------------


def _workspace_id(obj: dict):
    candidate = obj.get("client_reference_id") or (obj.get("metadata") or {}).get("workspace_id")
    try:
        return uuid.UUID(str(candidate)) if candidate else None
    except ValueError:
        return None


def _locked_account_for(obj: dict) -> BillingAccount | None:
    """The billing row (locked) of the workspace a Stripe object belongs to.

    The customer id decides when it is known; otherwise the workspace id we put
    in the Checkout Session's metadata, which also links the customer.
    """
    customer = obj.get("customer")
    known = BillingAccount.objects.filter(stripe_customer_id=customer).first() if customer else None
    if known:
        return services.locked_account(known.workspace_id)
    workspace = Workspace.objects.filter(pk=_workspace_id(obj)).first()
    if workspace is None:
        log.warning("Stripe %s %s matches no workspace", obj.get("object"), obj.get("id"))
        return None
    account = services.locked_account(workspace)
    if customer and not account.stripe_customer_id:
        account.stripe_customer_id = customer
        account.save(update_fields=["stripe_customer_id", "updated_at"])
    return account


# Checkout ---------------------------------------------------------------------------


def checkout_completed(session: dict, created: datetime) -> None:
    account = _locked_account_for(session)
    if account is None:
        return
    if session.get("mode") == "payment":
        _credit_purchase(account, session)


def _id(value) -> str:
    """The id of a Stripe reference, whether it came as an id or expanded as an object."""
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return str(value or "")


def _credit_purchase(account: BillingAccount, session: dict) -> None:
    metadata = session.get("metadata") or {}
    if metadata.get("kind") != "credits":
        return
    if session.get("payment_status") != "paid":
        log.info("Checkout %s completed without payment yet", session["id"])
        return
    credits = int(metadata["credits"])
    services.add_purchase(
        account.workspace,
        credits,
        stripe_ref=session["id"],
        note=f"Bought {credits} credits",
        payment_intent=_id(session.get("payment_intent")),
        amount=int(session.get("amount_total") or 0),
        currency=str(session.get("currency") or ""),
    )


# Refunds and disputes of credit packs ------------------------------------------------


@dataclass(frozen=True)
class CurrentCharge:
    """A credit pack's charge as Stripe had it at `seen_at` (a refund event's lookup)."""

    purchase_id: int
    charge: dict
    seen_at: datetime


def current_charge(obj: dict) -> CurrentCharge | None:
    """The charge a refund event (about a charge or a refund) is about, read from Stripe.

    None, without asking Stripe, if the charge did not pay for a credit pack.
    Raises StripeUnavailable if Stripe cannot be asked: the event stays pending.
    """
    charge_id = obj.get("id") if obj.get("object") == "charge" else _id(obj.get("charge"))
    payment_intent = _id(obj.get("payment_intent"))
    purchase = services.find_purchase(payment_intent=payment_intent, charge=charge_id or "")
    if purchase is None or not charge_id:
        log.info("Refund event for charge %s: no credit pack, nothing to do", charge_id)
        return None
    seen_at = timezone.now()  # before asking, so a slower look never counts as newer
    return CurrentCharge(purchase.pk, stripe_api.get_charge(charge_id), seen_at)


def refund_changed(current: CurrentCharge, created: datetime) -> None:
    charge = current.charge
    services.record_refunded_amount(
        current.purchase_id,
        amount_refunded=int(charge.get("amount_refunded") or 0),
        amount=int(charge.get("amount") or 0),
        charge=str(charge.get("id") or ""),
        seen_at=current.seen_at,
    )


def dispute_changed(dispute: dict, created: datetime) -> None:
    charge = _id(dispute.get("charge"))
    purchase = services.find_purchase(
        payment_intent=_id(dispute.get("payment_intent")), charge=charge
    )
    if purchase is None:
        return  # not a credit pack's charge
    services.record_dispute(
        purchase.pk,
        dispute_id=dispute["id"],
        amount=int(dispute.get("amount") or 0),
        status=str(dispute.get("status") or ""),
        charge=charge,
    )


# Subscriptions ----------------------------------------------------------------------


def _first_item(subscription: dict) -> dict:
    items = (subscription.get("items") or {}).get("data") or []
    return items[0] if items else {}


def _price_id(item: dict) -> str:
    price = item.get("price") or item.get("plan") or {}
    return price.get("id", "") if isinstance(price, dict) else str(price)


def _period_end(subscription: dict, item: dict) -> datetime | None:
    # Newer API versions keep the period on the item, older ones on the subscription.
    return _time(item.get("current_period_end") or subscription.get("current_period_end"))


def _is_stale(account: BillingAccount, subscription: dict, created: datetime, kind: str) -> bool:
    """Whether this subscription event must not change the account."""
    followed = account.subscription_id
    if followed and followed != subscription["id"]:
        # Another subscription than the one we follow: its end changes nothing,
        # and it replaces ours only if it is newer or ours is over.
        if subscription.get("status") in ENDED:
            return True
        ours_live = account.subscription_status not in ENDED
        return ours_live and created < (account.subscription_event_at or created)
    if followed and account.subscription_status in TERMINAL:
        return True  # a cancelled subscription never comes back
    last = account.subscription_event_at
    if last is None:
        return False
    return created < last or (created == last and kind == "created")


def _plan_in_effect(account: BillingAccount, status: str, plan) -> str:
    if plan is None:
        return account.plan
    if status in ACTIVE:
        return plan.id
    if status == "past_due":
        return plans.FREE if account.downgraded_at else plan.id
    if status in ENDED:
        return plans.FREE
    return account.plan  # incomplete: the first payment has not gone through


def _apply_subscription(subscription: dict, created: datetime, kind: str) -> None:
    account = _locked_account_for(subscription)
    if account is None or _is_stale(account, subscription, created, kind):
        return
    item = _first_item(subscription)
    plan = plans.plan_for_price(_price_id(item))
    if plan is None:
        log.error("Subscription %s has an unknown price %r", subscription["id"], _price_id(item))
    status = subscription.get("status", "")
    account.subscription_id = subscription["id"]
    account.subscription_status = status
    account.subscription_plan = plan.id if plan else ""
    account.subscription_event_at = created
    account.cancel_at_period_end = bool(subscription.get("cancel_at_period_end"))
    account.current_period_end = _period_end(subscription, item)
    if status in NEVER_STARTED:
        # Its first payment never went through (an abandoned 3-D Secure check): the
        # plan and seats stay as they were (a staff-set Enterprise plan, say).
        account.save()
        return
    account.seats = item.get("quantity") if plan and plan.per_seat else None
    if account.seats and status in ACTIVE and (kind == "created" or account.paid_seats is None):
        account.paid_seats = account.seats  # active when created: its first invoice is paid
    account.plan = _plan_in_effect(account, status, plan)
    if status in ACTIVE or status in ENDED:
        account.grace_until = account.downgraded_at = None
    started_grace = status == "past_due" and _start_grace(account)
    account.save()
    services.ensure_monthly_grant(account.workspace)
    if started_grace:
        _notify_on_commit(account, "payment_failed")


def subscription_created(subscription: dict, created: datetime) -> None:
    _apply_subscription(subscription, created, "created")


def subscription_changed(subscription: dict, created: datetime) -> None:
    _apply_subscription(subscription, created, "updated")


# Invoices and the grace period --------------------------------------------------------


def _invoice_subscription(invoice: dict) -> str:
    parent = (invoice.get("parent") or {}).get("subscription_details") or {}
    return invoice.get("subscription") or parent.get("subscription") or ""


def _payment_event_is_stale(account, invoice, created) -> bool:
    subscription = _invoice_subscription(invoice)
    if not subscription or subscription != account.subscription_id:
        return True  # not about the subscription we follow (or no subscription at all)
    return account.payment_event_at is not None and created < account.payment_event_at


def _start_grace(account: BillingAccount) -> bool:
    if account.grace_until or account.downgraded_at:
        return False
    account.grace_until = timezone.now() + timedelta(days=settings.BILLING_GRACE_DAYS)
    return True


def invoice_payment_failed(invoice: dict, created: datetime) -> None:
    account = _locked_account_for(invoice)
    if account is None or _payment_event_is_stale(account, invoice, created):
        return
    account.payment_event_at = created
    if account.subscription_status in ACTIVE:
        account.subscription_status = "past_due"
    started = account.plan != plans.FREE and _start_grace(account)
    account.save()
    if started:
        _notify_on_commit(account, "payment_failed")


def _invoice_seats(invoice: dict) -> int | None:
    """The seats an invoice charged for: its per-seat plan line's quantity (prorations
    aside), or None where it has none (lines beyond the event's first page are not read)."""
    found = []
    for line in (invoice.get("lines") or {}).get("data") or []:
        details = (line.get("pricing") or {}).get("price_details") or {}
        price = details.get("price") or _price_id(line)
        plan = plans.plan_for_price(price.get("id", "") if isinstance(price, dict) else price)
        if plan and plan.per_seat and not line.get("proration") and line.get("quantity"):
            found.append(int(line["quantity"]))
    return max(found) if found else None


def invoice_paid(invoice: dict, created: datetime) -> None:
    account = _locked_account_for(invoice)
    if account is None or _payment_event_is_stale(account, invoice, created):
        return
    account.payment_event_at = created
    account.grace_until = None
    seats = _invoice_seats(invoice)
    if seats is not None:
        account.paid_seats = seats
    if account.subscription_status == "past_due":
        account.subscription_status = "active"
    if account.downgraded_at and account.subscription_plan:
        account.plan = account.subscription_plan
    account.downgraded_at = None
    account.save()
    services.ensure_monthly_grant(account.workspace)


def enforce_grace_periods(now=None) -> int:
    """Move workspaces whose grace period is over to Free, with a notice. Returns how many."""
    now = now or timezone.now()
    due = BillingAccount.objects.filter(grace_until__lt=now, downgraded_at__isnull=True)
    count = 0
    for workspace_id in due.exclude(plan=plans.FREE).values_list("workspace_id", flat=True):
        with transaction.atomic():
            account = services.locked_account(workspace_id)
            if account.downgraded_at or not account.grace_until or account.grace_until >= now:
                continue
            account.plan = plans.FREE
            account.downgraded_at = now
            account.save()
            _notify_on_commit(account, "downgraded")
            count += 1
    return count


def process_pending_stripe_events() -> int:
    """Apply stored Stripe events that no worker applied within a minute (periodic job)."""
    applied = 0
    for event_id in pending_events(timedelta(minutes=1)).values_list("id", flat=True):
        try:
            applied += process_event(event_id)
        except Exception:  # recorded on the event; the next run tries again
            log.exception("Stripe event %s failed", event_id)
    return applied


def _notify_on_commit(account: BillingAccount, notice: str) -> None:
    transaction.on_commit(lambda: send_notice(account.workspace_id, notice))


def send_notice(workspace_id, notice: str) -> None:
    """E-mail the owners: "payment_failed" (grace period started) or "downgraded"."""
    account = BillingAccount.objects.select_related("workspace").get(workspace_id=workspace_id)
    context = {
        "account": account,
        "workspace": account.workspace,
        "plan": plans.get_plan(account.subscription_plan or account.plan),
        "site_name": settings.SITE_NAME,
        "billing_url": services.billing_url(),
    }
    subjects = {
        "payment_failed": f"Payment failed for {account.workspace.name}",
        "downgraded": f"{account.workspace.name} is now on the Free plan",
    }
    send_mail(
        subject=f"{subjects[notice]} on {settings.SITE_NAME}",
        message=render_to_string(f"billing/email/{notice}.txt", context),
        from_email=None,
        recipient_list=services.owners_emails(account.workspace),
    )


HANDLERS = {
    "checkout.session.completed": checkout_completed,
    # A delayed payment method (SEPA debit, bank transfer) completes the checkout
    # unpaid; this event says the money arrived. The session id keeps it once.
    "checkout.session.async_payment_succeeded": checkout_completed,
    "customer.subscription.created": subscription_created,
    "customer.subscription.updated": subscription_changed,
    "customer.subscription.deleted": subscription_changed,
    "invoice.paid": invoice_paid,
    "invoice.payment_failed": invoice_payment_failed,
    "charge.refunded": refund_changed,
    "charge.refund.updated": refund_changed,
    "charge.dispute.created": dispute_changed,
    "charge.dispute.updated": dispute_changed,
    "charge.dispute.closed": dispute_changed,
}
# Events applied to an object read from Stripe when they are processed, not to the
# one they carry: a refund event's charge as it is now (its refunded total).
LOOKUPS = {
    "charge.refunded": current_charge,
    "charge.refund.updated": current_charge,
}
