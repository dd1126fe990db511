import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models

# The events a customer can subscribe to. "ping" is sent only by the test button.
# A pipeline that announces events of its own adds them (saas.jobs.pipelines.register).
EVENTS = ["video.completed", "video.failed", "avatar.ready"]


def register_events(*names: str) -> None:
    for name in names:
        if name and name not in EVENTS:
            EVENTS.append(name)


PING = "ping"


class WebhookEndpoint(models.Model):
    """A customer URL that receives a workspace's events, signed with its own secret.

    The secret is stored encrypted (saas/webhooks/crypto.py) because it must be
    read back to sign. After a rotation the previous secret also signs until
    `previous_secret_expires_at`.

    An admin may disable it, and the scheduler does when every delivery has
    failed for WEBHOOKS_DISABLE_AFTER_DAYS (`disabled_automatically`). While it
    is disabled its events are recorded as missed deliveries and not sent;
    enabling it again may resend them. Failures before `enabled_at` do not
    count towards disabling it again.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.CharField(max_length=2000)
    description = models.CharField(max_length=200, blank=True, default="")
    events = models.JSONField(default=list, blank=True)  # empty: every event
    secret_encrypted = models.TextField()
    secret_prefix = models.CharField(max_length=16)
    previous_secret_encrypted = models.TextField(blank=True, default="")
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    # "ours", or another vendor's payload and signature (saas/webhooks/flavours.py)
    flavour = models.CharField(max_length=16, default="ours")
    active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True, default="")
    disabled_automatically = models.BooleanField(default=False)
    enabled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.url

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or self.url

    def wants(self, event_type: str) -> bool:
        return not self.events or event_type in self.events


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RETRYING = "retrying", "Retrying"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"  # gave up, or refused permanently
    MISSED = "missed", "Missed"  # not sent: the endpoint is disabled (enabling may resend it)


class WebhookDelivery(models.Model):
    """One event to one endpoint, with its retry state. Attempts are logged apart.

    `dedupe_key` makes emitting idempotent: (endpoint, "video.completed:<id>")
    exists at most once. `locked_until` is the lease of the worker sending it;
    `last_enqueued_at` keeps the periodic sweep from queueing it twice.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.CharField(max_length=40, db_index=True)
    event_type = models.CharField(max_length=40)
    dedupe_key = models.CharField(max_length=200)
    payload = models.JSONField()
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_response_code = models.PositiveIntegerField(null=True, blank=True)
    last_latency_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    replay_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replays"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "dedupe_key"], name="webhook_delivery_once_per_key"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]

    def __str__(self):
        return f"{self.event_type} {self.event_id} to {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: what came back and how long it took."""

    id = models.BigAutoField(primary_key=True)
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    response_code = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    response_body = models.TextField(blank=True, default="")  # the first KB

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"attempt {self.number} of {self.delivery_id}"

    @property
    def succeeded(self) -> bool:
        return self.response_code is not None and 200 <= self.response_code < 300
