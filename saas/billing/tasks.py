"""Billing jobs. Thin: each takes an id and calls the service that does the work."""

import dramatiq

from . import events


@dramatiq.actor(queue_name="billing", max_retries=8, time_limit=60_000, min_backoff=5_000)
def process_stripe_event(event_id: str) -> None:
    """Apply one stored Stripe event; a no-op if it was already applied."""
    events.process_event(event_id)


@dramatiq.actor(queue_name="billing", max_retries=3, time_limit=10 * 60_000)
def enforce_grace_periods() -> None:
    events.enforce_grace_periods()
