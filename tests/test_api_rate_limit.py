"""The API's per-workspace rate limit on a Redis cache, as production runs it: a sliding
window kept in Redis and checked atomically (saas/api/throttling.py)."""

import threading
import uuid
from types import SimpleNamespace

import pytest
import redis

from saas.api.throttling import WorkspaceRateThrottle
from saas.workspaces import services

from .test_api_keys import bearer


@pytest.fixture
def redis_cache(settings, redis_url):
    url = redis_url.rsplit("/", 1)[0] + "/3"  # a database of its own
    redis.Redis.from_url(url).flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    yield url
    redis.Redis.from_url(url).flushdb()


def throttle(rate: str) -> WorkspaceRateThrottle:
    limiter = WorkspaceRateThrottle.__new__(WorkspaceRateThrottle)
    limiter.rate = rate
    limiter.num_requests, limiter.duration = limiter.parse_rate(rate)
    return limiter


def request_for(workspace_id):
    return SimpleNamespace(membership=SimpleNamespace(workspace_id=workspace_id))


def test_over_the_limit_is_429_with_retry_after_and_other_workspaces_are_not_counted(
    personas, redis_cache, monkeypatch
):
    monkeypatch.setattr(WorkspaceRateThrottle, "THROTTLE_RATES", {"workspace": "3/min"})
    _, secret = services.create_api_key(personas.membership(personas.owner), "CI")
    client = bearer(secret)
    codes = [client.get("/api/v1/workspace").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/v1/workspace")
    assert refused.status_code == 429
    assert 55 <= int(refused["Retry-After"]) <= 60  # the oldest of the 3 leaves in ~60 s
    window = f"ratelimit:throttle_workspace_{personas.workspace_a.pk}"
    assert redis.Redis.from_url(redis_cache).zcard(window) == 3  # refusals are not counted
    _, other = services.create_api_key(personas.membership(personas.outsider), "CI")
    assert bearer(other).get("/api/v1/workspace").status_code == 200


def test_the_window_slides(redis_cache):
    limiter, workspace, now = throttle("2/min"), uuid.uuid4(), [1000.0]
    limiter.timer = lambda: now[0]
    allowed = []
    for at in (1000, 1030, 1059, 1061, 1089, 1091):
        now[0] = float(at)
        allowed.append(limiter.allow_request(request_for(workspace), None))
    # 1059: 1000 and 1030 are within the minute; 1061: 1000 has left; 1089: 1030 and
    # 1061 are within it; 1091: 1030 has left.
    assert allowed == [True, True, False, True, False, True]


def test_requests_at_the_same_moment_are_each_counted(redis_cache):
    """Sixteen threads at once against a limit of 100: exactly 100 get through (a read
    and a write of one list in the cache, as DRF does, lets more through)."""
    workspace, results, start = uuid.uuid4(), [], threading.Barrier(16)

    def client():
        limiter = throttle("100/min")
        start.wait()
        for _ in range(25):
            results.append(limiter.allow_request(request_for(workspace), None))

    threads = [threading.Thread(target=client) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 400 and results.count(True) == 100
