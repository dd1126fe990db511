"""The only code that writes webhook endpoints and deliveries.

Endpoints are managed by admins. Events come in through `emit_event`, which
creates one delivery per subscribed endpoint and queues it after the caller's
transaction commits. `deliver` makes one attempt; the database holds the retry
schedule, and `enqueue_due_deliveries` (run every ~30 s by the scheduler)
queues whatever is due, so a lost message or a killed worker loses nothing.

An endpoint whose every delivery has failed for WEBHOOKS_DISABLE_AFTER_DAYS is
disabled by `disable_failing_endpoints` (the scheduler again), with a mail to
the workspace's owners and admins. A disabled endpoint is sent nothing: its
events are recorded as missed deliveries, and `enable_endpoint` can resend them.
"""

import json
import logging
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from saas import queueing
from saas.errors import Conflict, Forbidden, NotFound, ServiceError, parse_uuid
from saas.workspaces.models import Membership, Role
from saas.workspaces.services import require_role

from . import crypto, flavours, signing, ssrf, transport
from .models import (
    EVENTS,
    PING,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

log = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"  # noqa: S105 (the prefix of generated secrets, not a secret)
MAX_ENDPOINTS = 20
MAX_OVERLAP_HOURS = 7 * 24
LEASE = timedelta(seconds=60)  # longer than the actor's time limit
REENQUEUE_AFTER = timedelta(minutes=5)  # a queued message not picked up by then is re-sent
OPEN = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
DISABLED_ERROR = "The endpoint is disabled."
NOT_RESENT = "Not sent: the endpoint was disabled, and enabled again without resending."


def _now(now=None):
    return now or timezone.now()


# Endpoints ---------------------------------------------------------------------


def _endpoint(actor: Membership, endpoint_id, *, lock: bool = False) -> WebhookEndpoint:
    require_role(actor, Role.ADMIN)
    endpoints = WebhookEndpoint.objects.select_for_update() if lock else WebhookEndpoint.objects
    endpoint = endpoints.filter(
        pk=parse_uuid(endpoint_id, "webhook endpoint"), workspace_id=actor.workspace_id
    ).first()
    if endpoint is None:
        raise NotFound("No such webhook endpoint in this workspace.")
    return endpoint


def get_endpoint(actor: Membership, endpoint_id) -> WebhookEndpoint:
    return _endpoint(actor, endpoint_id)


def list_endpoints(actor: Membership):
    require_role(actor, Role.ADMIN)
    return WebhookEndpoint.objects.filter(workspace_id=actor.workspace_id)


def _clean_events(events, flavour: str = flavours.OURS) -> list[str]:
    if events is not None and (
        not isinstance(events, list | tuple) or not all(isinstance(e, str) for e in events)
    ):
        raise ServiceError("Give events as a list of event names.", field="events")
    events = list(dict.fromkeys(events or []))
    known = EVENTS if flavour == flavours.OURS else list(flavours.get(flavour).events.values())
    unknown = [e for e in events if e not in known]
    if unknown:
        choices = ", ".join(known)
        raise ServiceError(f"Unknown event {unknown[0]!r}; choose from {choices}.", field="events")
    return events


def _clean_description(description) -> str:
    description = (description or "").strip()
    if len(description) > 200:
        raise ServiceError("A description is at most 200 characters.", field="description")
    return description


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _plan_has_webhooks(workspace) -> bool:
    try:
        _check_plan(workspace)
    except Forbidden:
        return False
    return True


def _check_plan(workspace) -> None:
    """Raise the plan's Forbidden where it has no webhooks (sending or changing them)."""
    from saas.billing.services import check_webhooks_allowed

    check_webhooks_allowed(workspace)


def create_endpoint(
    actor: Membership, url: str, events=None, description: str = "", flavour: str = flavours.OURS
) -> tuple[WebhookEndpoint, str]:
    """Add an endpoint. Returns (endpoint, secret); the secret is not shown again.

    FLAVOUR picks another vendor's event names, body and signature (flavours.py)."""
    require_role(actor, Role.ADMIN)
    _check_plan(actor.workspace)
    url = ssrf.validate_url(url or "")
    events, description = _clean_events(events, flavour), _clean_description(description)
    if WebhookEndpoint.objects.filter(workspace_id=actor.workspace_id).count() >= MAX_ENDPOINTS:
        raise Conflict(f"A workspace can have at most {MAX_ENDPOINTS} webhook endpoints.")
    secret = _new_secret()
    endpoint = WebhookEndpoint.objects.create(
        workspace_id=actor.workspace_id,
        url=url,
        events=events,
        description=description,
        flavour=flavour,
        secret_encrypted=crypto.encrypt(secret),
        secret_prefix=secret[:10],
        created_by=actor.user if actor.user_id else None,
    )
    return endpoint, secret


def update_endpoint(actor: Membership, endpoint_id, **changes) -> WebhookEndpoint:
    """Change url, description, events or active (others are ignored).

    `active` True enables a disabled endpoint without resending what it missed
    (enable_endpoint can resend); False disables it."""
    with transaction.atomic():
        endpoint = _endpoint(actor, endpoint_id, lock=True)
        _check_plan(actor.workspace)
        if "url" in changes:
            endpoint.url = ssrf.validate_url(changes["url"] or "")
        if "events" in changes:
            endpoint.events = _clean_events(changes["events"], endpoint.flavour)
        if "description" in changes:
            endpoint.description = _clean_description(changes["description"])
        if "active" in changes and bool(changes["active"]) != endpoint.active:
            if changes["active"]:
                _enable(endpoint, replay_missed=False)
            else:
                who = actor.user.email if actor.user_id else "an API key"
                _disable(endpoint, f"Disabled by {who}.")
        endpoint.save()
    return endpoint


def enable_endpoint(
    actor: Membership, endpoint_id, *, replay_missed: bool = False
) -> tuple[WebhookEndpoint, int]:
    """Enable a disabled endpoint. Returns (endpoint, how many missed events were resent).

    With REPLAY_MISSED, every event it missed while disabled is sent once, as
    the delivery that recorded it (same event id and payload); without, those
    deliveries end as failed (each can still be replayed on its own). Enabling
    an enabled endpoint does nothing.
    """
    with transaction.atomic():
        endpoint = _endpoint(actor, endpoint_id, lock=True)
        _check_plan(actor.workspace)
        if endpoint.active:
            return endpoint, 0
        resent = _enable(endpoint, replay_missed=replay_missed)
        endpoint.save()
    return endpoint, resent


def missed_count(endpoint: WebhookEndpoint) -> int:
    """How many events a disabled endpoint has missed (0 for an enabled one)."""
    if endpoint.active:
        return 0
    return endpoint.deliveries.filter(status=DeliveryStatus.MISSED).count()


def _disable(endpoint: WebhookEndpoint, reason: str, *, automatically=False, now=None) -> None:
    """Disable ENDPOINT (saved by the caller, in the caller's transaction).

    Its deliveries still waiting to be sent become missed ones, with the events
    that come while it is disabled."""
    endpoint.active = False
    endpoint.disabled_at = _now(now)
    endpoint.disabled_reason = reason[:300]
    endpoint.disabled_automatically = automatically
    endpoint.deliveries.filter(status__in=OPEN).update(
        status=DeliveryStatus.MISSED, next_attempt_at=None
    )


def _enable(endpoint: WebhookEndpoint, *, replay_missed: bool) -> int:
    """Enable ENDPOINT (saved by the caller, which holds its row lock). Returns how many
    missed deliveries were queued again."""
    now = timezone.now()
    endpoint.active = True
    endpoint.disabled_at = None
    endpoint.disabled_reason = ""
    endpoint.disabled_automatically = False
    endpoint.enabled_at = now  # earlier failures no longer count towards disabling it
    missed = endpoint.deliveries.filter(status=DeliveryStatus.MISSED)
    if not replay_missed:
        missed.update(status=DeliveryStatus.FAILED, last_error=NOT_RESENT)
        return 0
    resend, seen = [], set()
    for delivery_id, event_id in missed.order_by("created_at").values_list("pk", "event_id"):
        if event_id not in seen:  # a replay of the same event that was waiting too: once
            seen.add(event_id)
            resend.append(delivery_id)
    missed.exclude(pk__in=resend).update(
        status=DeliveryStatus.FAILED, last_error="Not sent: the same event was resent."
    )
    missed.filter(pk__in=resend).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now, last_enqueued_at=now, locked_until=None
    )
    for delivery_id in resend:
        transaction.on_commit(lambda d=delivery_id: _enqueue(d), robust=True)
    return len(resend)


def delete_endpoint(actor: Membership, endpoint_id) -> None:
    """Delete an endpoint with its delivery log; queued deliveries are dropped."""
    _endpoint(actor, endpoint_id).delete()


def rotate_secret(
    actor: Membership, endpoint_id, previous_valid_hours: int = 24
) -> tuple[WebhookEndpoint, str]:
    """Give the endpoint a new secret. Returns (endpoint, new secret), shown once.

    For PREVIOUS_VALID_HOURS the old secret signs too (a second `v1=` in the
    header), so receivers can switch without dropping events; 0 ends it now.
    """
    if not 0 <= previous_valid_hours <= MAX_OVERLAP_HOURS:
        message = f"Keep the old secret for 0 to {MAX_OVERLAP_HOURS} hours."
        raise ServiceError(message, field="previous_valid_hours")
    with transaction.atomic():
        endpoint = _endpoint(actor, endpoint_id)
        secret = _new_secret()
        keep = previous_valid_hours > 0
        endpoint.previous_secret_encrypted = endpoint.secret_encrypted if keep else ""
        endpoint.previous_secret_expires_at = (
            timezone.now() + timedelta(hours=previous_valid_hours) if keep else None
        )
        endpoint.secret_encrypted = crypto.encrypt(secret)
        endpoint.secret_prefix = secret[:10]
        endpoint.save()
    return endpoint, secret


def signing_secrets(endpoint: WebhookEndpoint, now=None) -> list[str]:
    """The secrets that sign a delivery now: the current one, then the previous one."""
    found = [crypto.decrypt(endpoint.secret_encrypted)]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret_encrypted and expires and expires > _now(now):
        found.append(crypto.decrypt(endpoint.previous_secret_encrypted))
    return found


# Events ------------------------------------------------------------------------


def new_event_id() -> str:
    return f"evt_{uuid.uuid4().hex}"


def event_payload(event_id: str, event_type: str, workspace_id, data: dict) -> dict:
    payload = {
        "id": event_id,
        "type": event_type,
        "created": int(timezone.now().timestamp()),
        "workspace": str(workspace_id),
        "data": data,
    }
    # Through JSON once, so UUIDs and datetimes in DATA become strings now.
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def encode_body(payload: dict) -> bytes:
    """The exact bytes that are signed and sent: compact JSON, keys sorted."""
    text = json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.encode("utf-8")


def emit_event(
    workspace, event_type: str, data: dict, dedupe_key: str | None = None
) -> list[WebhookDelivery]:
    """Queue EVENT_TYPE with DATA to every endpoint of WORKSPACE subscribed to it.

    Safe inside the caller's transaction: deliveries are created in savepoints
    and queued only after commit. Idempotent per (endpoint, event_type,
    data["id"]): a repeated call creates nothing more. All endpoints get the
    same event id. A disabled endpoint's delivery is recorded as missed and not
    sent. Returns the deliveries this call created. DEDUPE_KEY replaces the
    (event_type, data["id"]) key where one object may end more than once (a
    batch retried: each run of it is announced).
    """
    if event_type not in EVENTS:
        raise ValueError(f"Unknown webhook event {event_type!r}; expected one of {EVENTS}.")
    if not _plan_has_webhooks(workspace):
        return []  # a plan without webhooks (a downgrade): its endpoints are kept, unused
    endpoints = WebhookEndpoint.objects.filter(workspace_id=workspace.pk)
    event_id = new_event_id()
    payload = event_payload(event_id, event_type, workspace.pk, data)
    object_id = payload["data"].get("id") if isinstance(payload["data"], dict) else None
    if dedupe_key is None:
        dedupe_key = f"{event_type}:{object_id}" if object_id else event_id
    created = []
    for endpoint in endpoints:
        if endpoint.flavour == flavours.OURS:
            if endpoint.wants(event_type):
                created.append(_create_delivery(endpoint, payload, dedupe_key))
            continue
        flavour = flavours.get(endpoint.flavour)
        name = flavour.events.get(event_type) if flavour else None
        if name and endpoint.wants(name):
            body = flavour.payload(event_type, payload["data"])
            created.append(_create_delivery(endpoint, body, dedupe_key, event=(event_id, name)))
    return [d for d in created if d is not None]


def _create_delivery(
    endpoint, payload, dedupe_key, replay_of=None, event=None
) -> WebhookDelivery | None:
    """A pending delivery, queued after commit; None if DEDUPE_KEY was already used.

    EVENT is (event id, event type) for a flavour's body, which need not carry them."""
    if WebhookDelivery.objects.filter(endpoint=endpoint, dedupe_key=dedupe_key).exists():
        return None
    event_id, event_type = event or (payload["id"], payload["type"])
    now = timezone.now()
    send = endpoint.active
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                endpoint=endpoint,
                event_id=event_id,
                event_type=event_type,
                dedupe_key=dedupe_key,
                payload=payload,
                status=DeliveryStatus.PENDING if send else DeliveryStatus.MISSED,
                next_attempt_at=now if send else None,
                last_enqueued_at=now if send else None,
                replay_of=replay_of,
            )
    except IntegrityError:  # a concurrent emit of the same event won
        return None
    if send:
        transaction.on_commit(lambda: _enqueue(delivery.pk), robust=True)
    return delivery


def _enqueue(delivery_id) -> None:
    queueing.send("deliver_webhook", str(delivery_id), queue="default")


def send_test(actor: Membership, endpoint_id) -> WebhookDelivery:
    """Send a `ping` event to one endpoint, whatever it subscribes to."""
    endpoint = _endpoint(actor, endpoint_id)
    _check_plan(actor.workspace)
    if not endpoint.active:
        raise Conflict("This endpoint is disabled; enable it to send a test.")
    event_id = new_event_id()
    data = {"endpoint": str(endpoint.pk), "message": "A test event from the webhooks page."}
    payload = event_payload(event_id, PING, endpoint.workspace_id, data)
    return _create_delivery(endpoint, payload, event_id)


# Delivery log ------------------------------------------------------------------


def deliveries_for(actor: Membership, endpoint_id):
    return _endpoint(actor, endpoint_id).deliveries.all()


def get_delivery(actor: Membership, endpoint_id, delivery_id) -> WebhookDelivery:
    endpoint = _endpoint(actor, endpoint_id)
    delivery = (
        endpoint.deliveries.filter(pk=parse_uuid(delivery_id, "delivery"))
        .prefetch_related("attempt_log")
        .first()
    )
    if delivery is None:
        raise NotFound("No such delivery for this webhook endpoint.")
    return delivery


def replay_delivery(actor: Membership, endpoint_id, delivery_id) -> WebhookDelivery:
    """Send a delivery's event again as a new delivery (same event id and payload)."""
    original = get_delivery(actor, endpoint_id, delivery_id)
    _check_plan(actor.workspace)
    if not original.endpoint.active:
        raise Conflict("This endpoint is disabled; enable it to replay events.")
    key = f"replay:{uuid.uuid4().hex}"
    event = (original.event_id, original.event_type)
    return _create_delivery(original.endpoint, original.payload, key, original, event)


# Sending -----------------------------------------------------------------------


def retry_delay(attempt: int) -> timedelta | None:
    """The wait after failed attempt number ATTEMPT (1-based); None: give up."""
    schedule = settings.WEBHOOKS_RETRY_SCHEDULE
    return timedelta(seconds=schedule[attempt - 1]) if attempt <= len(schedule) else None


def _claim(delivery_id, now) -> bool:
    """Take the lease on a due delivery; False if it is not due, another worker has it or
    its endpoint is disabled."""
    updated = (
        WebhookDelivery.objects.filter(pk=delivery_id, status__in=OPEN, next_attempt_at__lte=now)
        .filter(endpoint__active=True)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(locked_until=now + LEASE, attempts=F("attempts") + 1)
    )
    return updated == 1


def deliver(delivery_id, now=None) -> WebhookDelivery | None:
    """Make one attempt at a due delivery and record it. None if it was not ours to send."""
    now = _now(now)
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None:  # deleted with its endpoint just now
        return None
    response, permanent = _attempt(delivery, now)
    _record(delivery, response, permanent, now)
    return delivery


def _failure(error: str) -> transport.Response:
    return transport.Response(status=None, latency_ms=0, error=error)


def _attempt(delivery: WebhookDelivery, now) -> tuple[transport.Response, bool]:
    """POST the delivery once. Returns (response, whether the failure is permanent)."""
    endpoint = delivery.endpoint
    if not endpoint.active:
        return _failure(DISABLED_ERROR), True
    try:
        target = ssrf.resolve_target(endpoint.url)
        keys = signing_secrets(endpoint, now)
    except (ssrf.RefusedUrl, crypto.SecretUnreadable) as exc:
        return _failure(str(exc)), True
    except ssrf.ResolveFailed as exc:
        return _failure(str(exc)), False
    body = encode_body(delivery.payload)
    flavour = flavours.get(endpoint.flavour)
    if flavour is not None:
        headers = flavour.headers(keys, delivery.event_id, body)
    else:
        headers = signing.signed_headers(keys, delivery.event_id, body)
    headers["Webhook-Attempt"] = str(delivery.attempts)
    return transport.post(target, body, headers), False


def _outcome(delivery, response, permanent, now) -> dict:
    if response.ok:
        return {"status": DeliveryStatus.SUCCEEDED, "delivered_at": now, "next_attempt_at": None}
    if not WebhookEndpoint.objects.filter(pk=delivery.endpoint_id, active=True).exists():
        # Disabled while this attempt was under way: missed, like its other deliveries.
        return {"status": DeliveryStatus.MISSED, "next_attempt_at": None}
    delay = None if permanent else retry_delay(delivery.attempts)
    if delay is None:
        return {"status": DeliveryStatus.FAILED, "next_attempt_at": None}
    return {"status": DeliveryStatus.RETRYING, "next_attempt_at": now + delay}


def _record(delivery: WebhookDelivery, response: transport.Response, permanent, now) -> None:
    error = response.error or ("" if response.ok else f"HTTP {response.status}")
    fields = {
        "last_response_code": response.status,
        "last_latency_ms": response.latency_ms,
        "last_error": error,
        "locked_until": None,
        **_outcome(delivery, response, permanent, now),
    }
    try:
        with transaction.atomic():
            WebhookAttempt.objects.create(
                delivery=delivery,
                number=delivery.attempts,
                started_at=now,
                response_code=response.status,
                latency_ms=response.latency_ms,
                error=error,
                response_body=response.body,
            )
            WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    except IntegrityError:  # the endpoint was deleted while we were sending
        log.info("Delivery %s vanished during its attempt", delivery.pk)
        return
    for name, value in fields.items():
        setattr(delivery, name, value)


def enqueue_due_deliveries(now=None, limit: int = 500) -> int:
    """Queue every due delivery that no worker holds. Returns how many were queued.

    The scheduler calls this every ~30 s. It sends retries when they fall due,
    and re-sends a delivery whose message was lost (queued over
    REENQUEUE_AFTER ago and still not attempted) or whose worker died (its
    lease expired). Sending twice is harmless: the actor claims first.
    """
    now = _now(now)
    due = (
        WebhookDelivery.objects.filter(status__in=OPEN, next_attempt_at__lte=now)
        .filter(endpoint__active=True)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .filter(
            Q(last_enqueued_at__isnull=True)
            | Q(last_enqueued_at__lt=F("next_attempt_at"))
            | Q(last_enqueued_at__lte=now - REENQUEUE_AFTER)
        )
    )
    ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    WebhookDelivery.objects.filter(pk__in=ids).update(last_enqueued_at=now)
    for delivery_id in ids:
        _enqueue(delivery_id)
    return len(ids)


# Endpoints that keep failing ------------------------------------------------------


def _failing_endpoints(cutoff):
    """Enabled endpoints whose attempts have all failed since a failure at or before CUTOFF.

    The streak starts after the endpoint's last successful attempt, or when it
    was last enabled, whichever is later; it must hold at least one failure from
    before CUTOFF, so an endpoint is disabled only after failing for the whole
    window, never for a short outage or a quiet spell.
    """
    attempts = WebhookAttempt.objects.filter(delivery__endpoint=OuterRef("pk"))
    succeeded = Q(response_code__gte=200, response_code__lt=300)
    last_success = attempts.filter(succeeded).order_by("-started_at").values("started_at")[:1]
    failures = attempts.exclude(succeeded).exclude(error=DISABLED_ERROR)
    return (
        WebhookEndpoint.objects.filter(active=True)
        .annotate(last_success=Subquery(last_success))
        .annotate(
            counting_from=Greatest(
                Coalesce("last_success", "created_at"), Coalesce("enabled_at", "created_at")
            )
        )
        .filter(
            Exists(
                failures.filter(started_at__gte=OuterRef("counting_from"), started_at__lte=cutoff)
            )
        )
    )


def disable_failing_endpoints(now=None) -> int:
    """Disable every endpoint whose deliveries have all failed for WEBHOOKS_DISABLE_AFTER_DAYS,
    and mail the workspace's owners and admins once. Returns how many were disabled.

    The scheduler runs it every few minutes; 0 days turns it off.
    """
    days = settings.WEBHOOKS_DISABLE_AFTER_DAYS
    if not days:
        return 0
    now = _now(now)
    cutoff = now - timedelta(days=days)
    disabled = 0
    for endpoint_id in _failing_endpoints(cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            endpoint = _failing_endpoints(cutoff).select_for_update().filter(pk=endpoint_id).first()
            if endpoint is None:  # enabled again, or succeeded, since the first look
                continue
            _disable(endpoint, _failing_reason(endpoint, days), automatically=True, now=now)
            endpoint.save()
            transaction.on_commit(lambda e=endpoint.pk: notify_disabled(e), robust=True)
        disabled += 1
    return disabled


def _failing_reason(endpoint: WebhookEndpoint, days: int) -> str:
    attempts = WebhookAttempt.objects.filter(
        delivery__endpoint=endpoint, started_at__gte=endpoint.counting_from
    ).exclude(error=DISABLED_ERROR)
    first = attempts.order_by("started_at").first()
    last = attempts.order_by("-started_at").first()
    since = first.started_at.strftime("%Y-%m-%d %H:%M UTC") if first else "?"
    error = (last.error or f"HTTP {last.response_code}") if last else "unknown"
    plural = "s" if days != 1 else ""
    return (
        f"Disabled automatically: every delivery failed for {days} day{plural} "
        f"(since {since}). Last error: {error[:150]}"
    )


def _admin_emails(workspace_id) -> list[str]:
    members = Membership.objects.filter(
        workspace_id=workspace_id, role__in=[Role.OWNER, Role.ADMIN]
    ).exclude(user__email="")
    return sorted(set(members.values_list("user__email", flat=True)))


def notify_disabled(endpoint_id) -> None:
    """Tell the workspace's owners and admins that an endpoint was disabled for failing."""
    endpoint = WebhookEndpoint.objects.select_related("workspace").filter(pk=endpoint_id).first()
    if endpoint is None or endpoint.active:
        return
    recipients = _admin_emails(endpoint.workspace_id)
    if not recipients:
        return
    context = {
        "endpoint": endpoint,
        "workspace": endpoint.workspace,
        "days": settings.WEBHOOKS_DISABLE_AFTER_DAYS,
        "site_name": settings.SITE_NAME,
        "webhooks_url": settings.SITE_ROOT + reverse("webhooks"),
    }
    send_mail(
        subject=f"Webhook endpoint disabled for {endpoint.workspace.name} on {settings.SITE_NAME}",
        message=render_to_string("webhooks/email/endpoint_disabled.txt", context),
        from_email=None,
        recipient_list=recipients,
    )
