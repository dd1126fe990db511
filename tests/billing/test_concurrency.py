"""Concurrent submissions never take the balance below zero.

Real threads, each with its own database connection, race to reserve. On
PostgreSQL (CI, DATABASE_URL) the billing row's SELECT … FOR UPDATE
serialises them; on SQLite the database's write lock does.
"""

import threading

import pytest
from django.db import OperationalError, close_old_connections, connection

from saas.billing import services
from saas.billing.services import InsufficientCredits

THREADS = 10


def race(target, count=THREADS):
    """Run target(i) in COUNT threads released at once; return what each returned or raised."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        close_old_connections()
        barrier.wait()
        try:
            results[i] = target(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def retry_if_locked(call):
    """SQLite's shared in-memory test database reports a held lock at once instead
    of waiting; waiting and retrying is what a real database does for us."""
    for _ in range(500):
        try:
            return call()
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            threading.Event().wait(0.01)
    raise AssertionError("the database stayed locked")


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_reservations_on_a_balance_for_three(personas):
    workspace = personas.workspace_a
    services.ensure_monthly_grant(workspace)
    per_video = services.balance(workspace) // 3  # room for exactly three

    def reserve(i):
        retry_if_locked(lambda: services.reserve_credits(workspace, f"video-{i}", per_video))
        return "reserved"

    results = race(reserve)
    unexpected = [r for r in results if r != "reserved" and not isinstance(r, InsufficientCredits)]
    assert unexpected == []
    assert results.count("reserved") == 3
    assert services.balance(workspace) >= 0
    assert services.reserved_credits(workspace) == 3 * per_video


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_settle_and_release_close_a_video_once(personas):
    workspace = personas.workspace_a
    services.ensure_monthly_grant(workspace)
    start = services.balance(workspace)
    services.reserve_credits(workspace, "video-1", 100)

    def close(i):
        if i % 2:
            return retry_if_locked(lambda: services.settle_credits(workspace, "video-1", 40))
        return retry_if_locked(lambda: services.release_credits(workspace, "video-1"))

    results = race(close)
    assert all(r is None for r in results), results
    assert services.balance(workspace) in (start, start - 40)
    assert services.reserved_credits(workspace) == 0
