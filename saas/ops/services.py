import secrets
import time

from django.db import connection

from saas import queueing

from .models import WorkerHeartbeat


def ping_worker(timeout: float = 30.0, poll: float = 0.2) -> WorkerHeartbeat | None:
    """Send a heartbeat through the broker and wait for a worker to record it."""
    token = secrets.token_hex(16)
    queueing.send("heartbeat", token, queue="default")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        beat = WorkerHeartbeat.objects.filter(token=token).first()
        if beat:
            return beat
        time.sleep(poll)
    return None


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False
