"""Worker heartbeats in Redis, for /metrics: which workers are alive, on which queues.

Every worker process (Redis broker only) writes a small JSON record under
`<namespace>:talkingads:workers:<host>:<pid>` every WORKER_HEARTBEAT_SECONDS,
with an expiry of three periods, and deletes it when it stops. A worker that
dies (kill -9, lost machine) disappears from the metrics when its key expires.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time

import dramatiq

log = logging.getLogger(__name__)

KEY_PREFIX = "talkingads:workers:"


def worker_key(namespace: str) -> str:
    return f"{namespace}:{KEY_PREFIX}{socket.gethostname()}:{os.getpid()}"


def redis_client(broker):
    """The broker's Redis client, or None for brokers without one (the stub)."""
    return getattr(broker, "client", None)


class WorkerHeartbeats(dramatiq.Middleware):
    """Dramatiq middleware: a thread per worker process that records it is alive."""

    def __init__(self):
        self._stop = threading.Event()
        self._thread = None

    def after_worker_boot(self, broker, worker):
        client = redis_client(broker)
        if client is None:
            return
        from django.conf import settings

        interval = settings.WORKER_HEARTBEAT_SECONDS
        queues = sorted(worker.consumer_whitelist or broker.get_declared_queues())
        record = {
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "queues": queues,
            "started": time.time(),
        }
        key = worker_key(broker.namespace)
        self._thread = threading.Thread(
            target=self._beat,
            args=(client, key, record, interval),
            name="talkingads-heartbeat",
            daemon=True,
        )
        self._thread.start()

    def _beat(self, client, key: str, record: dict, interval: float) -> None:
        while not self._stop.is_set():
            try:
                client.set(
                    key, json.dumps({**record, "seen": time.time()}), ex=max(1, int(interval * 3))
                )
            except Exception as exc:  # the broker is down: the worker says so too
                log.warning("worker heartbeat failed: %s", exc)
            self._stop.wait(interval)

    def before_worker_shutdown(self, broker, worker):
        self._stop.set()
        client = redis_client(broker)
        if client is not None and self._thread is not None:
            self._thread.join(timeout=5)  # so it cannot write the key again after this
            try:
                client.delete(worker_key(broker.namespace))
            except Exception as exc:
                log.warning("could not remove the worker heartbeat: %s", exc)


def live_workers(broker) -> list[dict]:
    """The heartbeat records of the workers alive now (empty for the stub broker)."""
    client = redis_client(broker)
    if client is None:
        return []
    keys = list(client.scan_iter(match=f"{broker.namespace}:{KEY_PREFIX}*", count=500))
    records = []
    for raw in client.mget(keys) if keys else []:
        if raw:
            records.append(json.loads(raw))
    return records
