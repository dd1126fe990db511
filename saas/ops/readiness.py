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
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver

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


# /readyz is public (load balancers call it) and each storage check writes an object
# (on a versioned bucket, a version and a delete marker kept until a lifecycle rule
# removes them): a process writes at most one every STORAGE_CHECK_SECONDS and
# answers in between with the last result.
STORAGE_CHECK_SECONDS = 10.0
_last_storage_check: list = []  # [(monotonic time, the error or None)]


def check_storage() -> None:
    """Write, read back and delete a tiny object in media storage (at most once every
    STORAGE_CHECK_SECONDS in a process; the last result in between)."""
    if _last_storage_check:
        at, error = _last_storage_check[0]
        if time.monotonic() - at < STORAGE_CHECK_SECONDS:
            if error is not None:
                raise error
            return
    try:
        _write_and_read_back()
    except Exception as error:
        _last_storage_check[:] = [(time.monotonic(), error)]
        raise
    _last_storage_check[:] = [(time.monotonic(), None)]


@receiver(setting_changed)
def _forget_storage_check(**kwargs):
    _last_storage_check.clear()


def _write_and_read_back() -> None:
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
