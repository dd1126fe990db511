"""Plans, credits and seats: the only code that writes billing state.

The API, the web app and the render workers all call these functions, so a
limit is checked in one place. Stripe is reached only through stripe_api;
webhook events are applied in events.py.

Credits: every workspace has an append-only ledger (CreditEntry) and the
balance is its sum. A render reserves its estimated cost on submit; success
settles the actual cost (never more than the reservation) and failure or
cancellation releases it. Writes lock the workspace's BillingAccount row, so
concurrent submissions can never take the balance below zero.

Monthly credits are spent first and expire at the end of their month (an
expiry entry takes back what is left of them). Purchased credits and manual
grants never expire.

A credit pack that Stripe refunds or that its buyer disputes is taken back
(take_back_purchase). What was already spent cannot be taken: that part is a
debt entry, which takes the ledger's sum below zero. The balance then shows 0
and the debt apart, nothing can be reserved, and the next credits added, of
any kind, pay the debt off first simply by being added to the sum.
"""

import dataclasses
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from saas.errors import Conflict, Forbidden, ServiceError
from saas.workspaces.models import Invitation, Membership, Role, Workspace

from . import plans, stripe_api
from .models import DISPUTE_CLOSED, BillingAccount, CreditEntry, CreditPurchase
from .plans import ENTERPRISE, PLAN_ORDER, Plan

log = logging.getLogger(__name__)
Kind = CreditEntry.Kind
LIVE_STATUSES = ("active", "trialing", "past_due")


class InsufficientCredits(ServiceError):
    status = 402
    code = "insufficient_credits"


class BillingUnavailable(ServiceError):
    status = 503
    code = "billing_unavailable"


# Accounts and plans -------------------------------------------------------------


def account_for(workspace) -> BillingAccount:
    """The workspace's billing account; an unsaved default one if it has none yet."""
    account = BillingAccount.objects.filter(workspace=workspace).first()
    return account or BillingAccount(workspace=workspace)


def locked_account(workspace) -> BillingAccount:
    """The billing row, created if needed and locked until the transaction ends.

    Every credit and seat write takes this lock first, which serialises them
    per workspace (SELECT … FOR UPDATE on PostgreSQL; SQLite's write lock).
    """
    workspace_id = getattr(workspace, "pk", workspace)
    BillingAccount.objects.get_or_create(workspace_id=workspace_id)
    return BillingAccount.objects.select_for_update().get(workspace_id=workspace_id)


def effective_plan(account: BillingAccount) -> Plan:
    plan = plans.get_plan(account.plan)
    if plan.per_seat:
        seated = plan.with_seats(account.seats or plan.seats)
        paid = account.paid_seats
        if paid is not None and paid < seated.seats:  # added seats not paid for yet
            return dataclasses.replace(seated, monthly_credits=plan.monthly_credits_per_seat * paid)
        return seated
    if plan.id == ENTERPRISE:
        credits = account.custom_monthly_credits or 0
        return dataclasses.replace(plan, seats=account.seats, monthly_credits=credits)
    return plan


def plan_for(workspace) -> Plan:
    """The plan in effect for WORKSPACE, with its seats and monthly credits filled in."""
    return effective_plan(account_for(workspace))


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute" + ("" if minutes == 1 else "s")
    return f"{seconds} seconds"


def _upgrade_hint(plan: Plan, allows) -> str:
    """Which plan to move to for something PLAN does not allow, as a sentence."""
    later = PLAN_ORDER[PLAN_ORDER.index(plan.id) + 1 :]
    for candidate in (plans.get_plan(p) for p in later):
        if allows(candidate) and candidate.id == ENTERPRISE:
            return "Contact us about the Enterprise plan."
        if allows(candidate):
            return f"Upgrade to {candidate.name} on the Billing page."
    return "No plan allows that."


def check_render_allowed(workspace, *, resolution: str, duration_s: float) -> None:
    """Raise Forbidden (code "plan_limit") if the plan does not allow this render."""
    plan = plan_for(workspace)
    _check_members_fit(workspace, plan)
    try:
        height = plans.resolution_height(resolution)
    except ValueError as exc:
        raise ServiceError(str(exc), field="resolution") from None
    if height > plan.max_height:
        hint = _upgrade_hint(plan, lambda p: p.max_height >= height)
        raise Forbidden(
            f"The {plan.name} plan renders up to {plan.max_resolution}, not {resolution}. {hint}",
            field="resolution",
            code="plan_limit",
        )
    if duration_s > plan.max_video_seconds:
        hint = _upgrade_hint(plan, lambda p: p.max_video_seconds >= duration_s)
        raise Forbidden(
            f"The {plan.name} plan makes videos of up to {_duration(plan.max_video_seconds)}; "
            f"this one is {_duration(duration_s)}. {hint}",
            field="duration",
            code="plan_limit",
        )


def _check_members_fit(workspace, plan: Plan) -> None:
    """More members than seats (the Customer Portal cut the seats, or a downgrade to a
    plan with fewer): no renders until seats are added or members removed."""
    if settings.BILLING_UNLIMITED_SEATS or plan.seats is None:
        return
    members = Membership.objects.filter(workspace=workspace).count()
    if members <= plan.seats:
        return
    seats = f"{plan.seats} seat{'s' * (plan.seats != 1)}"
    raise Forbidden(
        f"The {plan.name} plan has {seats} and this workspace has {members} members. An "
        "owner can add seats on the Billing page, or an admin can remove members.",
        field="seats",
        code="plan_limit",
    )


def check_api_allowed(workspace) -> None:
    """Raise Forbidden (code "plan_limit") unless the plan includes the API.

    BILLING_API_FOR_ALL_PLANS (on by default without Stripe) opens it to all.
    """
    if settings.BILLING_API_FOR_ALL_PLANS:
        return
    plan = plan_for(workspace)
    if not plan.api_access:
        hint = _upgrade_hint(plan, lambda p: p.api_access)
        raise Forbidden(f"The API is not part of the {plan.name} plan. {hint}", code="plan_limit")


def check_webhooks_allowed(workspace) -> None:
    """Like check_api_allowed, for outgoing webhooks (same setting)."""
    if settings.BILLING_API_FOR_ALL_PLANS:
        return
    plan = plan_for(workspace)
    if not plan.webhooks:
        hint = _upgrade_hint(plan, lambda p: p.webhooks)
        raise Forbidden(f"Webhooks are not part of the {plan.name} plan. {hint}", code="plan_limit")


# Credits ------------------------------------------------------------------------


def estimate_cost(workspace, duration_s: float) -> int:
    """Credits for DURATION_S seconds of output video on the workspace's plan."""
    return plans.cost_in_credits(plan_for(workspace), duration_s)


def balance(workspace) -> int:
    """Credits available now: the sum of the ledger (reservations already taken off),
    or 0 while the workspace owes credits (see debt).

    The first call in a month brings the month's grant (and expires last
    month's leftovers), so the balance never leaves out this month's credits.
    """
    period = current_period()
    if not CreditEntry.objects.filter(workspace=workspace, kind=Kind.GRANT, period=period).exists():
        ensure_monthly_grant(workspace, period)
    return max(_ledger_sum(workspace), 0)


def debt(workspace) -> int:
    """Credits the workspace owes: bought credits it spent before their payment was
    refunded or disputed, less what later credits have paid off."""
    return max(-_ledger_sum(workspace), 0)


def _ledger_sum(workspace) -> int:
    total = CreditEntry.objects.filter(workspace=workspace).aggregate(total=Sum("amount"))
    return total["total"] or 0


def _video_key(video_id) -> str:
    text = str(video_id or "").strip()
    if not text or len(text) > 64:
        raise ServiceError("A video id is required (at most 64 characters).", field="video_id")
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text


def _entry(workspace, video_key: str, *kinds) -> CreditEntry | None:
    entries = CreditEntry.objects.filter(workspace=workspace, video_id=video_key)
    return entries.filter(kind__in=kinds).first()


def reserve_credits(workspace, video_id, credits: int) -> None:
    """Take CREDITS off the balance for a render that is about to run.

    Idempotent per video: a second reservation for the same video does nothing.
    Raises InsufficientCredits (402, code "insufficient_credits") if the balance
    would go negative.
    """
    key, credits = _video_key(video_id), int(credits)
    if credits < 0:
        raise ServiceError("A reservation cannot be negative.", field="credits")
    ensure_monthly_grant(workspace)
    with transaction.atomic():
        locked_account(workspace)
        if _entry(workspace, key, Kind.RESERVATION):
            return
        available = _ledger_sum(workspace)
        if available < 0:
            raise InsufficientCredits(
                f"This video needs {credits} credits and the workspace owes {-available}: "
                "credits of a refunded or disputed purchase that were already spent. "
                "The next credits bought or granted pay that off first."
            )
        if credits > available:
            raise InsufficientCredits(
                f"This video needs {credits} credits and the workspace has {available}. "
                "Buy credits or upgrade on the Billing page."
            )
        CreditEntry.objects.create(
            workspace=workspace,
            kind=Kind.RESERVATION,
            amount=-credits,
            video_id=key,
            note="Reserved when the video was submitted",
        )


def settle_credits(workspace, video_id, actual_credits: int) -> None:
    """Charge the actual cost of a finished render and return the rest of its reservation.

    The charge is never more than the reservation. Idempotent; does nothing if
    the video was already settled or released. Raises Conflict if nothing was
    reserved for the video.
    """
    key = _video_key(video_id)
    with transaction.atomic():
        locked_account(workspace)
        reservation = _entry(workspace, key, Kind.RESERVATION)
        if reservation is None:
            raise Conflict("No credits were reserved for this video.", code="no_reservation")
        if _entry(workspace, key, Kind.SETTLEMENT, Kind.RELEASE):
            return
        reserved = -reservation.amount
        charged = min(max(int(actual_credits), 0), reserved)
        CreditEntry.objects.create(
            workspace=workspace,
            kind=Kind.SETTLEMENT,
            amount=reserved - charged,
            video_id=key,
            note=f"Charged {charged} of {reserved} reserved",
        )


def charged_credits(workspace, video_id) -> int | None:
    """What a settled video was charged (its reservation less what settling gave back);
    None while it is not settled, or when its reservation was released."""
    key = _video_key(video_id)
    reservation = _entry(workspace, key, Kind.RESERVATION)
    settlement = _entry(workspace, key, Kind.SETTLEMENT)
    if reservation is None or settlement is None:
        return None
    return -reservation.amount - settlement.amount


def release_credits(workspace, video_id, *, reason: str = "") -> None:
    """Give back the whole reservation of a failed or cancelled render.

    Idempotent; does nothing if nothing was reserved or the video was already
    settled (a video is never both settled and released).
    """
    key = _video_key(video_id)
    with transaction.atomic():
        locked_account(workspace)
        reservation = _entry(workspace, key, Kind.RESERVATION)
        if reservation is None or _entry(workspace, key, Kind.SETTLEMENT, Kind.RELEASE):
            return
        CreditEntry.objects.create(
            workspace=workspace,
            kind=Kind.RELEASE,
            amount=-reservation.amount,
            video_id=key,
            note=(reason or "Returned: the render failed or was cancelled")[:255],
        )


def refund_credits(workspace, video_id, *, note: str = "") -> int:
    """Give back what a settled video cost (support's goodwill). Idempotent. Returns credits."""
    key = _video_key(video_id)
    with transaction.atomic():
        locked_account(workspace)
        reservation = _entry(workspace, key, Kind.RESERVATION)
        settlement = _entry(workspace, key, Kind.SETTLEMENT)
        if reservation is None or settlement is None or _entry(workspace, key, Kind.REFUND):
            return 0
        charged = -reservation.amount - settlement.amount
        if charged > 0:
            CreditEntry.objects.create(
                workspace=workspace,
                kind=Kind.REFUND,
                amount=charged,
                video_id=key,
                note=(note or "Refunded")[:255],
            )
        return charged


def grant_credits(workspace, credits: int, *, note: str) -> CreditEntry:
    """A one-off grant by staff (Enterprise, self-hosting, goodwill). It never expires."""
    if int(credits) <= 0:
        raise ServiceError("A grant must be positive.", field="credits")
    with transaction.atomic():
        locked_account(workspace)
        return CreditEntry.objects.create(
            workspace=workspace, kind=Kind.GRANT, amount=int(credits), note=note[:255]
        )


def add_purchase(
    workspace,
    credits: int,
    *,
    stripe_ref: str,
    note: str,
    payment_intent: str = "",
    amount: int = 0,
    currency: str = "",
) -> bool:
    """Credits bought through Stripe, once per Stripe reference. Returns whether added.

    STRIPE_REF is the Checkout Session; PAYMENT_INTENT, AMOUNT (smallest currency
    unit) and CURRENCY are what a later refund or dispute is matched and weighed by.
    """
    with transaction.atomic():
        locked_account(workspace)
        if CreditEntry.objects.filter(kind=Kind.PURCHASE, stripe_ref=stripe_ref).exists():
            return False
        CreditEntry.objects.create(
            workspace=workspace,
            kind=Kind.PURCHASE,
            amount=int(credits),
            stripe_ref=stripe_ref,
            note=note[:255],
        )
        CreditPurchase.objects.create(
            workspace_id=getattr(workspace, "pk", workspace),
            checkout_session=stripe_ref,
            payment_intent=payment_intent or "",
            credits=int(credits),
            amount=max(int(amount or 0), 0),
            currency=(currency or "")[:3],
        )
        return True


# Refunds and disputes of credit packs ---------------------------------------------


def find_purchase(*, payment_intent: str = "", charge: str = "") -> CreditPurchase | None:
    """The credit pack a charge paid for, by its PaymentIntent or the charge id; None if
    the charge bought no credits (a subscription's invoice, say)."""
    if payment_intent:
        found = CreditPurchase.objects.filter(payment_intent=payment_intent).first()
        if found:
            return found
    return CreditPurchase.objects.filter(charge=charge).first() if charge else None


def _locked_purchase(purchase_id) -> CreditPurchase:
    """The purchase, locked after its workspace's billing row (the order every credit write
    takes), so refunds, disputes and spending of one workspace apply one at a time."""
    workspace_id = CreditPurchase.objects.values_list("workspace_id", flat=True).get(pk=purchase_id)
    locked_account(workspace_id)
    return CreditPurchase.objects.select_for_update().get(pk=purchase_id)


def record_refunded_amount(
    purchase_id, *, amount_refunded: int, amount: int = 0, charge: str = "", seen_at=None
) -> int:
    """What Stripe says is refunded of a credit pack's charge, and the credits to match.

    AMOUNT_REFUNDED is the charge's refunded total (not one refund's amount), as
    seen at SEEN_AT; a look older than the last one applied changes nothing.
    Returns the change to the balance (negative: taken back).
    """
    seen_at = seen_at or timezone.now()
    with transaction.atomic():
        purchase = _locked_purchase(purchase_id)
        if purchase.refund_checked_at and seen_at < purchase.refund_checked_at:
            return 0
        purchase.amount_refunded = max(int(amount_refunded or 0), 0)
        purchase.amount = max(int(amount or 0), 0) or purchase.amount
        purchase.charge = charge or purchase.charge
        purchase.refund_checked_at = seen_at
        purchase.save()
        return take_back_purchase(
            purchase,
            taken="its payment was refunded",
            given="a refund of its payment failed or was cancelled",
        )


def record_dispute(
    purchase_id, *, dispute_id: str, amount: int, status: str, charge: str = ""
) -> int:
    """A dispute of a credit pack's charge opened, changed or closed; the credits to match.

    Open or lost disputes take credits back; won ones (and closed inquiries) give
    them back. A closed dispute stays closed: a late event about it changes
    nothing. Returns the change to the balance (negative: taken back).
    """
    with transaction.atomic():
        purchase = _locked_purchase(purchase_id)
        known = purchase.disputes.get(dispute_id) or {}
        if known.get("status") in DISPUTE_CLOSED:
            return 0
        purchase.disputes = {
            **purchase.disputes,
            dispute_id: {"amount": max(int(amount or 0), 0), "status": str(status)},
        }
        purchase.charge = charge or purchase.charge
        purchase.save()
        outcome = "the dispute was won" if status == "won" else "the dispute was closed"
        return take_back_purchase(purchase, taken="its payment was disputed", given=outcome)


def take_back_purchase(purchase: CreditPurchase, *, taken: str = "", given: str = "") -> int:
    """Bring the ledger to what PURCHASE's refunds and disputes take back. Returns the change.

    Run inside the transaction that locked the workspace's billing row. The
    reversal and debt entries of the purchase (found by its Checkout Session)
    add up to what has been taken so far; only the difference is written, so
    this is idempotent. Taking back stops at what the balance still holds, and
    the rest is a debt entry; giving back is one positive reversal, which pays
    off any debt before the balance grows.
    """
    workspace, ref = purchase.workspace_id, purchase.checkout_session
    entries = CreditEntry.objects.filter(
        workspace=workspace, kind__in=[Kind.REVERSAL, Kind.DEBT], stripe_ref=ref
    )
    change = -_sum(entries) - purchase.credits_to_take_back
    what = f"{purchase.credits} credits bought"
    if change < 0:
        due = -change
        available = min(due, max(_ledger_sum(workspace), 0))
        owed = due - available
        if available:
            CreditEntry.objects.create(
                workspace_id=workspace,
                kind=Kind.REVERSAL,
                amount=-available,
                stripe_ref=ref,
                note=f"Taken back from {what}: {taken or 'refunded or disputed'}"[:255],
            )
        if owed:
            CreditEntry.objects.create(
                workspace_id=workspace,
                kind=Kind.DEBT,
                amount=-owed,
                stripe_ref=ref,
                note=f"Already spent of {what}; the next credits added pay this off"[:255],
            )
    elif change > 0:
        CreditEntry.objects.create(
            workspace_id=workspace,
            kind=Kind.REVERSAL,
            amount=change,
            stripe_ref=ref,
            note=f"Given back to {what}: {given or 'no longer refunded or disputed'}"[:255],
        )
    if change:
        log.info("Credit pack %s: %+d credits", ref, change)
    return change


def reserved_credits(workspace) -> int:
    """Credits held by renders that are neither settled nor released yet."""
    closed = CreditEntry.objects.filter(
        workspace=workspace, kind__in=[Kind.SETTLEMENT, Kind.RELEASE]
    ).values("video_id")
    open_ = CreditEntry.objects.filter(workspace=workspace, kind=Kind.RESERVATION).exclude(
        video_id__in=closed
    )
    return -(open_.aggregate(total=Sum("amount"))["total"] or 0)


# Monthly grants -----------------------------------------------------------------


def current_period(now=None) -> str:
    return (now or timezone.now()).strftime("%Y-%m")


def ensure_monthly_grant(workspace, period: str | None = None) -> int:
    """Expire last months' unused monthly credits, then top this month's grant up to the plan.

    Idempotent per (workspace, period): running it again grants nothing more.
    After an upgrade it grants the difference. Returns the credits granted.
    """
    period = period or current_period()
    with transaction.atomic():
        account = locked_account(workspace)
        _expire_monthly_credits(workspace, period)
        return _top_up(workspace, period, effective_plan(account))


def _sum(queryset) -> int:
    return queryset.aggregate(total=Sum("amount"))["total"] or 0


def _expire_monthly_credits(workspace, period: str) -> None:
    """An expiry entry for what is left of the monthly grants of months before PERIOD."""
    entries = CreditEntry.objects.filter(workspace=workspace)
    if entries.filter(kind=Kind.EXPIRY, period=period).exists():
        return
    grants = entries.filter(kind=Kind.GRANT, period__lt=period).exclude(period="")
    last_expiry = entries.filter(kind=Kind.EXPIRY).order_by("-period").first()
    if last_expiry:
        grants = grants.filter(period__gte=last_expiry.period)
    first = grants.order_by("created_at").first()
    if first is None:
        return
    spending = entries.filter(
        kind__in=[Kind.RESERVATION, Kind.SETTLEMENT, Kind.RELEASE, Kind.REFUND],
        created_at__gte=first.created_at,
    )
    # Monthly credits are spent first, so what is left of them is the grants
    # less everything spent since, and never more than the balance.
    granted = _sum(grants)
    unused = min(granted + _sum(spending), granted, _ledger_sum(workspace))
    # Written even when nothing expires (amount 0): the sum is made once a period. Made
    # again later, a failed render's released credits would count as unused and expire.
    CreditEntry.objects.create(
        workspace=workspace,
        kind=Kind.EXPIRY,
        amount=-max(unused, 0),
        period=period,
        reference=f"expiry:{period}",
        note="Unused monthly credits expired" if unused > 0 else "No monthly credits left over",
    )


def _top_up(workspace, period: str, plan: Plan) -> int:
    granted = _sum(CreditEntry.objects.filter(workspace=workspace, kind=Kind.GRANT, period=period))
    missing = plan.monthly_credits - granted
    if missing <= 0:
        return 0
    CreditEntry.objects.create(
        workspace=workspace,
        kind=Kind.GRANT,
        amount=missing,
        period=period,
        reference=f"monthly:{period}:{plan.id}:{plan.monthly_credits}",
        note=f"{plan.name} plan: monthly credits for {period}",
    )
    return missing


def grant_monthly_credits(period: str | None = None) -> int:
    """ensure_monthly_grant for every workspace. Returns how many got credits."""
    count = 0
    for workspace in Workspace.objects.order_by("pk").iterator():
        count += bool(ensure_monthly_grant(workspace, period))
    return count


# Seats --------------------------------------------------------------------------


def seats_used(workspace) -> int:
    """Members plus open invitations: an invitation holds a seat until it lapses."""
    pending = Invitation.objects.filter(
        workspace=workspace,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).count()
    return Membership.objects.filter(workspace=workspace).count() + pending


def check_seat_available(workspace) -> None:
    """Raise Conflict (code "no_seats") if the plan has no seat left for one more person.

    Call it inside the transaction that adds the invitation or member: it locks
    the billing row, so two invitations cannot take the last seat together.
    """
    if settings.BILLING_UNLIMITED_SEATS:
        return
    with transaction.atomic():
        plan = effective_plan(locked_account(workspace))
        used = seats_used(workspace)
    if plan.seats is None or used < plan.seats:
        return
    if plan.per_seat:
        message = (
            f"All {plan.seats} seats of the {plan.name} plan are taken (members and open "
            "invitations). An owner can add seats on the Billing page."
        )
    else:
        taken = "it is" if plan.seats == 1 else "they are"
        message = (
            f"The {plan.name} plan includes {plan.seats} seat{'s' * (plan.seats != 1)} and "
            f"{taken} taken. An owner can upgrade to Team on the Billing page for more seats."
        )
    raise Conflict(message, code="no_seats")


# Stripe: Checkout, Portal and seats ---------------------------------------------


def _require_owner(actor: Membership) -> None:
    if actor is None or actor.role != Role.OWNER:
        raise Forbidden("Only an owner of the workspace can change its billing.")


def _require_configured() -> None:
    if not stripe_api.is_configured():
        raise BillingUnavailable("Billing is not configured on this server.")


def billing_url(query: str = "") -> str:
    return settings.SITE_ROOT + reverse("billing") + (f"?{query}" if query else "")


def _stripe(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except stripe_api.StripeUnavailable as exc:
        raise BillingUnavailable(str(exc)) from exc


def _customer_account(actor: Membership) -> BillingAccount:
    """The account, with a Stripe customer created for it on first use."""
    workspace = actor.workspace
    account, _ = BillingAccount.objects.get_or_create(workspace=workspace)
    if not account.stripe_customer_id:
        customer_id = _stripe(
            stripe_api.create_customer,
            email=actor.user.email,
            name=workspace.name,
            workspace_id=str(workspace.pk),
        )
        BillingAccount.objects.filter(pk=account.pk, stripe_customer_id="").update(
            stripe_customer_id=customer_id
        )
        account.refresh_from_db()
    return account


def _seat_count(value) -> int:
    try:
        seats = int(value)
    except (TypeError, ValueError):
        raise ServiceError("Enter a number of seats.", field="seats") from None
    if not 0 <= seats <= 10_000:
        raise ServiceError("Enter a number of seats from 1 to 10,000.", field="seats")
    return seats


def start_checkout(actor: Membership, plan_id: str, *, seats: int | None = None) -> str:
    """A Checkout Session (subscription mode) for a plan. Returns the URL to redirect to."""
    _require_owner(actor)
    _require_configured()
    plan = plans.catalogue().get(plan_id)
    if plan is None or not plan.purchasable:
        raise ServiceError("That plan cannot be bought here.", field="plan")
    account = account_for(actor.workspace)
    if account.subscription_id and account.subscription_status in LIVE_STATUSES:
        raise Conflict(
            "The workspace already has a subscription: change plans with Manage subscription.",
            code="already_subscribed",
        )
    members = Membership.objects.filter(workspace=actor.workspace).count()
    quantity = max(_seat_count(seats or 0), members, plan.seats or 1) if plan.per_seat else 1
    return _stripe(
        stripe_api.create_checkout_session,
        _customer_account(actor),
        price=plan.price_id,
        mode="subscription",
        quantity=quantity,
        success_url=billing_url("checkout=success"),
        cancel_url=billing_url("checkout=cancel"),
        metadata={"kind": "plan", "plan": plan.id},
    )


def buy_credits(actor: Membership, price_id: str) -> str:
    """A Checkout Session (payment mode) for a credit pack. Returns the URL to redirect to."""
    _require_owner(actor)
    _require_configured()
    pack = plans.pack_for_price(price_id)
    if pack is None:
        raise ServiceError("Unknown credit pack.", field="pack")
    return _stripe(
        stripe_api.create_checkout_session,
        _customer_account(actor),
        price=pack.price_id,
        mode="payment",
        quantity=1,
        success_url=billing_url("checkout=success"),
        cancel_url=billing_url("checkout=cancel"),
        metadata={"kind": "credits", "credits": str(pack.credits)},
    )


def open_portal(actor: Membership) -> str:
    """A Customer Portal session for plan changes and cancellation. Returns its URL."""
    _require_owner(actor)
    _require_configured()
    account = account_for(actor.workspace)
    if not account.stripe_customer_id:
        raise Conflict("There is no subscription to manage yet: choose a plan first.")
    return _stripe(stripe_api.create_portal_session, account, return_url=billing_url())


def change_seats(actor: Membership, seats) -> BillingAccount:
    """Set the Team subscription's quantity. Never below the current number of members.

    Without proration: seats added are billed from the renewal (their monthly credits
    come with the invoice that pays for them, see events.invoice_paid), seats removed
    stay paid until then. Prorated, raising and lowering the seats again cancelled out
    in Stripe while the added seats' credits stayed granted."""
    _require_owner(actor)
    _require_configured()
    seats = _seat_count(seats)
    account = account_for(actor.workspace)
    if not effective_plan(account).per_seat or not account.subscription_id:
        raise Conflict("Seats are bought with the Team plan.", field="seats", code="not_team")
    members = Membership.objects.filter(workspace=actor.workspace).count()
    if seats < max(members, 1):
        raise Conflict(
            f"The workspace has {members} members; remove some before going below {members} seats.",
            field="seats",
        )
    subscription = _stripe(
        stripe_api.set_subscription_quantity, account.subscription_id, seats, prorate=False
    )
    quantity = subscription["items"]["data"][0].get("quantity") or seats
    BillingAccount.objects.filter(pk=account.pk).update(seats=quantity)
    ensure_monthly_grant(actor.workspace)
    account.refresh_from_db()
    return account


# The billing page and API --------------------------------------------------------


@dataclass
class Overview:
    account: BillingAccount
    plan: Plan
    balance: int
    reserved: int
    seats_used: int
    seat_limit: int | None  # None: unlimited (the plan's, or BILLING_UNLIMITED_SEATS)
    configured: bool
    subscribed: bool
    catalogue: list[Plan]
    packs: list
    entries: list
    debt: int = 0


def overview(workspace, *, entries: int = 50) -> Overview:
    """Everything the billing page and GET /api/v1/billing show."""
    ensure_monthly_grant(workspace)
    account = account_for(workspace)
    plan = effective_plan(account)
    return Overview(
        account=account,
        plan=plan,
        balance=balance(workspace),
        reserved=reserved_credits(workspace),
        seats_used=seats_used(workspace),
        seat_limit=None if settings.BILLING_UNLIMITED_SEATS else plan.seats,
        configured=stripe_api.is_configured(),
        subscribed=bool(account.subscription_id) and account.subscription_status in LIVE_STATUSES,
        catalogue=list(plans.catalogue().values()),
        packs=plans.credit_packs(),
        entries=list(CreditEntry.objects.filter(workspace=workspace).exclude(amount=0)[:entries]),
        debt=debt(workspace),
    )


def owners_emails(workspace) -> list[str]:
    return list(
        Membership.objects.filter(workspace=workspace, role=Role.OWNER).values_list(
            "user__email", flat=True
        )
    )
