"""Media on S3-compatible storage, whose presigned URLs are reused for a while.

Presigning is done locally, but botocore spends about 0.2 ms of CPU on each URL
(endpoint rules, event hooks, SigV4), and a video's status carries four of them:
under a client polling 200 times a second that is a fifth of the web tier's CPU.
So a file's URL is signed once per window of ``reuse_seconds`` (a tenth of the
lifetime, at most 5 minutes) and handed out again within it, like local media's
URLs (saas/media.py), which stay the same for an hour so that pages can be cached.
Each URL is signed for the lifetime plus the window, so whoever receives it, early
or late in the window, still has the full ``querystring_expire`` to use it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from storages.backends import s3

MAX_REUSE_SECONDS = 300
SIGV4_MAX_EXPIRES = 7 * 24 * 3600  # what SigV4 presigned URLs allow at most
CACHED_URLS = 4096  # per process: a few hundred bytes each


class S3Storage(s3.S3Storage):
    """django-storages' S3Storage; ``url(name)`` signs each file once per window."""

    def __init__(self, **settings):
        super().__init__(**settings)
        self._signed: OrderedDict[tuple[str, int], str] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def reuse_seconds(self) -> int:
        lifetime = self.querystring_expire
        return max(0, min(MAX_REUSE_SECONDS, lifetime // 10, SIGV4_MAX_EXPIRES - lifetime))

    def url(self, name, parameters=None, expire=None, http_method=None, now=None):
        window = self.reuse_seconds
        if parameters or expire is not None or http_method or not self.querystring_auth:
            return super().url(name, parameters, expire, http_method)
        if not window or self.custom_domain:  # CloudFront URLs: signed as before
            return super().url(name)
        key = (name, int((time.time() if now is None else now) // window))
        with self._lock:
            url = self._signed.get(key)
            if url is not None:
                self._signed.move_to_end(key)
                return url
        url = super().url(name, expire=self.querystring_expire + window)
        with self._lock:
            self._signed[key] = url
            while len(self._signed) > CACHED_URLS:
                self._signed.popitem(last=False)
        return url
