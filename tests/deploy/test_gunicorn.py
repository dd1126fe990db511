"""deploy/gunicorn.conf.py really serves the app, with JSON access lines and request ids."""

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import REPO, free_port


def test_gunicorn_serves_the_app_and_logs_json_access_lines(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    log = open(tmp_path / "gunicorn.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "saas.wsgi"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz?probe=1", headers={"X-Request-ID": "lb-0123456789"}
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    assert response.status == 200
                    assert response.headers["X-Request-ID"] == "lb-0123456789"
                    break
            except OSError:
                assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(30)
        log.close()
    lines = (tmp_path / "gunicorn.log").read_text().splitlines()
    access = [json.loads(line) for line in lines if line.startswith('{"ts"') and '"access"' in line]
    (entry,) = [a for a in access if a["request_id"] == "lb-0123456789"]
    assert entry["method"] == "GET" and entry["path"] == "/healthz" and entry["query"] == "probe=1"
    assert entry["status"] == 200 and entry["duration_ms"] > 0 and entry["bytes"] > 0
    assert any("Worker exiting" in line or "Shutting down" in line for line in lines)


WARM_UP = """
import sys, django
django.setup()
from django.db import connections
from saas.ops.gunicorn import warm_up
assert "saas.api.video_views" not in sys.modules and "storages.backends.s3" not in sys.modules
warm_up()
assert "saas.api.video_views" in sys.modules  # every view, as a first request would
assert "storages.backends.s3" in sys.modules  # the media storage's backend
assert all(c.connection is None for c in connections.all()), "a connection would be shared"
import gc
# What the workers inherit is out of the collector's reach (a worker's collections
# neither walk it nor copy its pages).
assert gc.get_freeze_count() > 50_000, gc.get_freeze_count()
heavy = sorted(n for n in ("torch", "onnxruntime", "librosa") if n in sys.modules)
assert not heavy, heavy
print("ok")
"""


def test_the_master_imports_what_a_workers_first_request_would_and_opens_no_connection(
    tmp_path,
):
    """gunicorn.conf.py's when_ready runs saas.ops.gunicorn.warm_up in the master after
    the preload, so forked workers do not each import the views on their first request,
    and freezes what it imported (gc.freeze): without it, the first requests of a load
    test waited up to 0.54 s (server-side) while a worker's collector walked them."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "saas.settings",
        "DEBUG": "1",
        "BROKER_URL": "stub://",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "S3_BUCKET": "media",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9",
    }
    result = subprocess.run(
        [sys.executable, "-c", WARM_UP], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
    config = (REPO / "deploy" / "gunicorn.conf.py").read_text()
    assert "def when_ready(server)" in config and "warm_up()" in config
