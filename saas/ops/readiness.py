"""Readiness: can this process do its work now? Database, broker and media storage.

Each check returns None when it passes or raises with the reason. They are
bounded in time (READINESS_TIMEOUT_SECONDS for the broker; the database's
connect timeout) so a probe never hangs on a black-holed service.
"""

from __future__ import annotations

import functools
import time
import uuid

import redis
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

PROBE = b"talkingads readiness probe\n"


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


@functools.lru_cache(maxsize=4)
def _redis(url: str, timeout: float) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)


def check_broker() -> str | None:
    """PING the broker's Redis; the in-memory stub broker has nothing to check."""
    url = settings.BROKER_URL
    if url.startswith("stub://"):
        return "skipped: in-memory stub broker"
    if not _redis(url, settings.READINESS_TIMEOUT_SECONDS).ping():
        raise ConnectionError("the broker did not answer PING")
    return None


def check_storage() -> None:
    """Write, read back and delete a tiny object in media storage."""
    name = default_storage.save(f"ops/readyz/{uuid.uuid4().hex}.txt", ContentFile(PROBE))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != PROBE:
                raise OSError("media storage returned different bytes than were written")
    finally:
        default_storage.delete(name)


CHECKS = {"database": check_database, "broker": check_broker, "storage": check_storage}


def run_checks() -> dict[str, dict]:
    """{name: {"ok", "ms", and "error" or "note"}} for every check."""
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            note = check()
        except Exception as exc:
            result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
        else:
            result = {"ok": True, **({"note": note} if note else {})}
        result["ms"] = round((time.monotonic() - started) * 1000, 1)
        results[name] = result
    return results
