import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from saas.workspaces.models import Workspace

from .plans import PLAN_CHOICES


def default_plan() -> str:
    return settings.BILLING_DEFAULT_PLAN


class BillingAccount(models.Model):
    """A workspace's plan and its Stripe customer and subscription.

    `plan` is the plan in effect. The subscription fields mirror Stripe as last
    told by a webhook; `subscription_event_at` is the creation time of the
    newest event applied, so an older event delivered late never overwrites
    newer state. Staff may set `plan` (e.g. Enterprise) in the admin.
    """

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, primary_key=True, related_name="billing"
    )
    plan = models.CharField(max_length=16, choices=PLAN_CHOICES, default=default_plan)
    stripe_customer_id = models.CharField(max_length=255, blank=True, db_index=True)
    subscription_id = models.CharField(max_length=255, blank=True, db_index=True)
    subscription_plan = models.CharField(max_length=16, choices=PLAN_CHOICES, blank=True)
    subscription_status = models.CharField(max_length=32, blank=True)
    subscription_event_at = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    current_period_end = models.DateTimeField(null=True, blank=True)
    seats = models.PositiveIntegerField(
        null=True, blank=True, help_text="Team: the subscription quantity. Enterprise: custom."
    )
    paid_seats = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Team: the seats of the last paid invoice; monthly credits count no more.",
    )
    custom_monthly_credits = models.PositiveIntegerField(
        null=True, blank=True, help_text="Enterprise only: the monthly credit grant."
    )
    payment_event_at = models.DateTimeField(
        null=True, blank=True, help_text="Creation time of the newest invoice event applied."
    )
    grace_until = models.DateTimeField(
        null=True, blank=True, help_text="A failed payment: the plan lasts until then."
    )
    downgraded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.workspace} on {self.get_plan_display()}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Credit entries are append-only; add an entry instead.")

    def delete(self):
        raise TypeError("Credit entries are append-only; add an entry instead.")


class CreditEntry(models.Model):
    """One line of a workspace's credit ledger. The balance is the sum of amounts.

    Entries are never changed or deleted. A render is reserved (negative), then
    either settled (the reservation minus the actual cost comes back) or
    released (the whole reservation comes back), never both.

    A refunded or disputed credit pack is taken back with a reversal (and a
    positive reversal gives credits back when a dispute is won). What the
    balance cannot cover because it was already spent is a debt entry: the sum
    goes below zero, so whatever credits come next (a purchase, a monthly or
    staff grant, a released reservation) pay the debt off before they can be
    spent. See CreditPurchase and services.take_back_purchase.
    """

    class Kind(models.TextChoices):
        GRANT = "grant", "Grant"
        PURCHASE = "purchase", "Purchase"
        RESERVATION = "reservation", "Reservation"
        SETTLEMENT = "settlement", "Settlement"
        RELEASE = "release", "Release"
        REFUND = "refund", "Refund"
        EXPIRY = "expiry", "Expiry"
        REVERSAL = "reversal", "Refund or dispute"
        DEBT = "debt", "Owed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.PROTECT, related_name="credits")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.IntegerField(help_text="Signed: positive adds credits.")
    video_id = models.CharField(max_length=64, blank=True)
    stripe_ref = models.CharField(max_length=255, blank=True)
    period = models.CharField(
        max_length=7, blank=True, help_text="YYYY-MM of a monthly grant or expiry."
    )
    reference = models.CharField(max_length=100, blank=True)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "credit entries"
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "video_id"],
                condition=Q(kind="reservation"),
                name="credit_one_reservation_per_video",
            ),
            models.UniqueConstraint(
                fields=["workspace", "video_id"],
                condition=Q(kind__in=["settlement", "release"]),
                name="credit_settled_or_released_once",
            ),
            models.UniqueConstraint(
                fields=["workspace", "video_id"],
                condition=Q(kind="refund") & ~Q(video_id=""),
                name="credit_one_refund_per_video",
            ),
            models.UniqueConstraint(
                fields=["stripe_ref"],
                condition=Q(kind="purchase"),
                name="credit_one_purchase_per_stripe_ref",
            ),
            models.UniqueConstraint(
                fields=["workspace", "kind", "reference"],
                condition=~Q(reference=""),
                name="credit_unique_reference",
            ),
            models.CheckConstraint(
                condition=~Q(video_id="") | ~Q(kind__in=["reservation", "settlement", "release"]),
                name="credit_render_entries_name_a_video",
            ),
            models.CheckConstraint(
                condition=~Q(kind="debt") | Q(amount__lt=0), name="credit_debt_is_negative"
            ),
        ]
        indexes = [models.Index(fields=["workspace", "kind", "period"])]

    def __str__(self):
        return f"{self.kind} {self.amount:+d} ({self.workspace_id})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Credit entries are append-only; add an entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Credit entries are append-only; add an entry instead.")


# Dispute statuses (Stripe's) that give the credits back, and those that end a dispute.
DISPUTE_RETURNED = ("won", "warning_closed", "prevented")
DISPUTE_CLOSED = ("won", "lost", "warning_closed", "prevented")


class CreditPurchase(models.Model):
    """A credit pack bought in Checkout, and how much of its payment Stripe took back.

    Refunds and disputes name the charge and its PaymentIntent, not the Checkout
    Session, so the purchase keeps the PaymentIntent (and the charge once an
    event names it). `amount_refunded` is the charge's refunded total as Stripe
    last told us (`refund_checked_at`: when we looked), `disputes` each dispute's
    amount and status. From these, `credits_to_take_back` says how many of the
    credits the workspace must give back; the ledger's reversal and debt entries
    for the purchase are brought to exactly that, so an event applied twice, or
    two events about the same refund, change nothing the second time.
    """

    id = models.BigAutoField(primary_key=True)
    workspace = models.ForeignKey(Workspace, on_delete=models.PROTECT, related_name="+")
    checkout_session = models.CharField(max_length=255, unique=True)
    payment_intent = models.CharField(max_length=255, blank=True)
    charge = models.CharField(max_length=255, blank=True, db_index=True)
    credits = models.PositiveIntegerField()
    amount = models.PositiveIntegerField(
        default=0, help_text="What was paid, in the currency's smallest unit (0: unknown)."
    )
    currency = models.CharField(max_length=3, blank=True)
    amount_refunded = models.PositiveIntegerField(default=0)
    refund_checked_at = models.DateTimeField(null=True, blank=True)
    disputes = models.JSONField(default=dict, blank=True)  # {"du_…": {"amount", "status"}}
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment_intent"],
                condition=~Q(payment_intent=""),
                name="credit_purchase_one_per_payment_intent",
            )
        ]

    def __str__(self):
        return f"{self.credits} credits ({self.checkout_session})"

    @property
    def disputed_amount(self) -> int:
        """The amount of the disputes that are open or lost."""
        return sum(
            int(d.get("amount") or 0)
            for d in self.disputes.values()
            if d.get("status") not in DISPUTE_RETURNED
        )

    @property
    def credits_to_take_back(self) -> int:
        """The credits refunds and disputes take back: in proportion to the money, rounded
        down, and all of them for a full refund (or when the amount paid is unknown)."""
        covered = self.amount_refunded + self.disputed_amount
        if covered <= 0:
            return 0
        if not self.amount or covered >= self.amount:
            return self.credits
        return self.credits * covered // self.amount


class StripeEvent(models.Model):
    """A verified Stripe webhook event, stored once by its id and processed once."""

    id = models.CharField(max_length=255, primary_key=True)
    type = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField()
    created = models.DateTimeField(help_text="When Stripe created the event.")
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.type} {self.id}"
