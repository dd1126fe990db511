"""The one seam between the code that decides work and the actors that do it.

Services and the job engine never import a `tasks` module: they send a
message to an actor by its name. The `tasks` modules declare the actors and
sit on top; whichever process runs them (a worker) has imported them. The
message is the same one `actor.send()` would make, so the actor's own
options (retries, time limit) still apply where it runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import dramatiq
from django.db import transaction
from dramatiq.brokers.redis import RedisBroker

log = logging.getLogger(__name__)


class PromptRedisBroker(RedisBroker):
    """Dramatiq's Redis broker with idle consumers that look for work at least every
    ``poll_max_ms`` (BROKER_POLL_MAX_MS, 100 by default).

    Dramatiq's consumer backs off exponentially while its queue is empty, up to the
    worker's timeout (1 s, which its command line does not expose): a message sent to
    an idle worker waited up to a second before it was seen, at every hand-off
    between a video's stages (scrape, script, speech, render, deliver). An idle
    consumer now costs at most ten small Redis calls a second.
    """

    def __init__(self, *args, poll_max_ms: int = 100, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.poll_max_ms = max(5, int(poll_max_ms))

    def consume(self, queue_name: str, prefetch: int = 1, timeout: int = 5000):
        return super().consume(queue_name, prefetch, min(timeout, self.poll_max_ms))


def send(actor_name: str, *args, queue: str = "default", delay_ms: int | None = None, **options):
    """Queue ACTOR_NAME(*ARGS) on QUEUE through the current broker; returns the message."""
    broker = dramatiq.get_broker()
    broker.declare_queue(queue)  # idempotent; a web process may have declared no actor on it
    message = dramatiq.Message(
        queue_name=queue, actor_name=actor_name, args=tuple(args), kwargs={}, options=options
    )
    return broker.enqueue(message, delay=delay_ms)


def send_on_commit(send: Callable[[], object], unsent: str) -> None:
    """Call SEND (which queues a message) once the current transaction commits.

    What the message is about is saved by then, so a broker that cannot be reached
    (restarting, full) must not fail the request or the job: the error is logged with
    UNSENT, which says what makes up for the lost message (a sweeper, a timeout).
    """

    def guarded() -> None:
        try:
            send()
        except Exception as exc:  # any broker error
            log.warning("%s (%s: %s)", unsent, type(exc).__name__, exc)

    transaction.on_commit(guarded)
