"""The API's rate limit: one request budget per workspace (API_RATE_LIMIT, "600/min").

DRF's SimpleRateThrottle keeps the times of a window's requests as one list in the
cache, read and written whole by every request: O(limit) work a request, and two
requests at once both read the old list, so one of them is never counted. With a
Redis cache (CACHE_URL, production) the same sliding window is kept in a sorted set
on its first server (the one Django writes to), checked and updated by one Lua
script, atomically, in one round trip.
Without one (tests, a single process), DRF's list is used as before.
"""

from __future__ import annotations

import functools
import os

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from saas.workspaces.auth import api_membership

# KEYS[1]: the window's sorted set; ARGV: now, duration (s), limit, a unique member.
# Returns {allowed (0/1), requests in the window before this one, oldest time or ""}.
SLIDING_WINDOW = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
local duration = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - duration)
local count = redis.call('ZCARD', key)
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2] or ''
if count >= limit then
  return {0, count, oldest}
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('EXPIRE', key, math.ceil(duration))
return {1, count, oldest}
"""


@functools.lru_cache(maxsize=4)
def _script(url: str):
    import redis

    return redis.Redis.from_url(url).register_script(SLIDING_WINDOW)


class WorkspaceRateThrottle(SimpleRateThrottle):
    """One request budget per workspace, shared by its keys and members."""

    scope = "workspace"

    def get_cache_key(self, request, view):
        membership = getattr(request, "membership", None) or api_membership(request)
        if membership is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": membership.workspace_id}

    def allow_request(self, request, view):
        cache = settings.CACHES["default"]
        if cache["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
            return super().allow_request(request, view)
        location = cache["LOCATION"]
        url = (location.split(",") if isinstance(location, str) else location)[0]
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        member = f"{self.now!r}:{os.urandom(6).hex()}"
        allowed, count, oldest = _script(url)(
            keys=[f"ratelimit:{self.key}"],
            args=[repr(self.now), self.duration, self.num_requests, member],
        )
        self._window = (int(count), float(oldest) if oldest else None)
        return bool(allowed)

    def wait(self):
        """Seconds until a request would be let through (for Retry-After), as DRF says."""
        if getattr(self, "_window", None) is None:
            return super().wait()
        count, oldest = self._window
        remaining = self.duration - (self.now - oldest) if oldest is not None else self.duration
        available = self.num_requests - count + 1
        return remaining / available if available > 0 else None
