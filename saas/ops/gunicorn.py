"""Gunicorn's access log as one JSON object a line, with the request id.

deploy/gunicorn.conf.py sets `logger_class` to AccessLogger. The request id is
the one RequestIdMiddleware put in the response (taken from the proxy's
X-Request-ID, or made up), so access lines and application lines join on it.
Imports nothing from Django: gunicorn's master process loads it.
"""

from __future__ import annotations

import gc
import json
import traceback
from datetime import UTC, datetime

from gunicorn.glogging import Logger


def access_entry(atoms: dict) -> dict:
    """The fields of one access line, from gunicorn's log atoms."""
    return {
        "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "type": "access",
        "request_id": atoms.get("{x-request-id}o") or atoms.get("{x-request-id}i") or "",
        "remote": atoms.get("{x-forwarded-for}i") or atoms.get("h"),
        "method": atoms.get("m"),
        "path": atoms.get("U"),
        "query": atoms.get("q") or "",
        "status": int(atoms["s"]) if str(atoms.get("s", "")).isdigit() else atoms.get("s"),
        "bytes": atoms.get("B") or 0,
        "duration_ms": round(atoms.get("D", 0) / 1000, 1),
        "user_agent": atoms.get("a"),
        "referer": atoms.get("f"),
    }


class AccessLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        try:
            entry = access_entry(self.atoms(resp, req, environ, request_time))
            self.access_log.info(json.dumps(entry, default=str, ensure_ascii=False))
        except Exception:
            self.error(traceback.format_exc())


def warm_up() -> None:
    """Import, in gunicorn's master, what a worker's first request would import.

    With preload_app the master runs django.setup() and forks the workers, but the
    URLconf (every view, DRF, the API schema) and the media storage were imported by
    each worker on its first request: 0.6 s of CPU and 1.7 s before it answered,
    in every worker, again each time one is recycled (max_requests). Done once here,
    the workers inherit them. Opens no connection (each worker opens its own);
    anything opened anyway is closed before the fork.
    """
    from django.core.files.storage import storages
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports saas.urls and what it includes)
    storages["default"]  # noqa: B018 (the backend's module, e.g. boto3 for S3)
    for connection in connections.all(initialized_only=True):
        connection.close()
    # What the master imported is kept for good: moved out of the collector's reach, a
    # worker's collections never walk it, so they neither pause its requests on ~140,000
    # objects (63 ms a full collection, measured) nor write to the pages it shares with
    # the master, each of which the kernel would then copy (Python's gc.freeze docs).
    gc.collect()
    gc.freeze()
