"""Gunicorn settings for the web app: `gunicorn -c deploy/gunicorn.conf.py saas.wsgi`.

Everything is read from the environment (documented in deploy/.env.example).
gthread workers: a request waiting on the database or an upload does not block
its process, and uploads (up to 100 MB) stream to temp files. Access lines are
JSON with the request id (saas/ops/gunicorn.py).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise SystemExit(f"{name} must be an integer, not {value!r}") from None


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# (2 x cores) + 1 is gunicorn's rule of thumb; capped so a big box does not open
# hundreds of database connections (each process keeps one per thread).
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# A worker process silent this long (its main loop blocked) is killed and restarted.
# With gthread a slow request on one thread (a product page read for the
# link flow takes up to ~60 s) does not trip it; nginx waits 120 s (proxy_read_timeout).
timeout = _int("GUNICORN_TIMEOUT", 60)
# SIGTERM: finish the requests in flight for this long, then exit.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then, so a slow leak never grows without bound. Not too
# often: a recycled worker takes seconds to drain and be replaced (half the capacity
# of 2 workers, meanwhile) and reconnects to PostgreSQL, Redis and S3; at 2000 each
# worker was recycled every 20 s under 200 requests/s (make bench).
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 2000)
# Load the app in the master once: faster restarts of workers, less memory.
preload_app = True

# X-Forwarded-* are trusted from these addresses (the proxy); Django reads
# X-Forwarded-Proto itself (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logger_class = "saas.ops.gunicorn.AccessLogger"
proc_name = "talkingads-web"


def when_ready(server):
    """In the master, after the preload: import the views and storage once for all workers."""
    if server.cfg.preload_app:
        from saas.ops.gunicorn import warm_up

        warm_up()
