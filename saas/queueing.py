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

log = logging.getLogger(__name__)


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
