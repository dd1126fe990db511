import os
import socket

import dramatiq

from .models import WorkerHeartbeat


@dramatiq.actor(queue_name="default", max_retries=0, time_limit=10_000)
def heartbeat(token: str) -> None:
    """Record that a worker picked this message up (used by ping_worker and health)."""
    WorkerHeartbeat.objects.get_or_create(
        token=token, defaults={"hostname": socket.gethostname(), "pid": os.getpid()}
    )
