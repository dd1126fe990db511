import dramatiq

from . import callbacks, services


# Retries follow our schedule in the database (services.retry_delay), not
# dramatiq's: max_retries=0, and enqueue_due_deliveries queues each retry.
@dramatiq.actor(queue_name="default", max_retries=0, time_limit=30_000)
def deliver_webhook(delivery_id: str) -> None:
    """Make one attempt at a webhook delivery, if it is due and no one else holds it."""
    services.deliver(delivery_id)


@dramatiq.actor(
    queue_name="default",
    max_retries=callbacks.CALLBACK_ATTEMPTS - 1,
    min_backoff=30_000,
    max_backoff=3_600_000,
    time_limit=30_000,
    retry_when=lambda retries, exc: (
        isinstance(exc, callbacks.CallbackFailed) and retries < callbacks.CALLBACK_ATTEMPTS - 1
    ),
)
def deliver_callback(video_id: str, event: str) -> None:
    """POST a finished video's callback_url (see saas/webhooks/callbacks.py)."""
    callbacks.send(video_id, event)
