import dramatiq

from . import services


# Retries follow our schedule in the database (services.retry_delay), not
# dramatiq's: max_retries=0, and enqueue_due_deliveries queues each retry.
@dramatiq.actor(queue_name="default", max_retries=0, time_limit=30_000)
def deliver_webhook(delivery_id: str) -> None:
    """Make one attempt at a webhook delivery, if it is due and no one else holds it."""
    services.deliver(delivery_id)
