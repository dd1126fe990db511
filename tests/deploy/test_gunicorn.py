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
