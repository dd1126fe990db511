"""`make run`'s promise: queued renders survive its embedded Redis dying and a restart.

Two videos go in through the API of the product as `make run` starts it (SQLite, the
embedded Redis on a Unix socket with its append-only file in DATA_DIR). While the
first renders, the embedded redis-server is killed with SIGKILL; `make run` notices,
stops everything and exits. Started again on the same DATA_DIR, it must finish both
videos, charging each once. The sweeper's re-send delay is shortened to 10 s (the
production default is 5 minutes) for a message written in the last second before the
kill, which the append-only file (fsync every second) may not hold.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from ..conftest import REPO, free_port, wait_for_http
from ..test_make_run import EMBEDDED_ENV_DROPS

pytestmark = pytest.mark.slow

SCENE = {"voice": "espeak:en-us", "avatar": "grace", "layout": "presenter"}


def api(base: str, key: str, path: str, body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method="POST" if data else "GET")
    request.add_header("Authorization", f"Bearer {key}")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def start(env, log):
    return subprocess.Popen(
        ["make", "-s", "run"], cwd=REPO, env=env, start_new_session=True,
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def test_queued_renders_survive_the_embedded_redis_killed_and_a_restart(tmp_path):
    data = tmp_path / "data"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in EMBEDDED_ENV_DROPS}
    env.update(PORT=str(port), DATA_DIR=str(data), RENDER_QUEUED_RESEND_SECONDS="10")
    base = f"http://127.0.0.1:{port}"
    log = open(tmp_path / "run.log", "w")  # noqa: SIM115
    product = start(env, log)
    try:
        wait_for_http(f"{base}/accounts/signup/", product, log=tmp_path / "run.log")
        key = subprocess.run(
            [str(REPO / ".venv/bin/python"), "manage.py", "create_api_key", "--email",
             "owner@restart.test"],
            cwd=REPO, env={**env, "DEBUG": "1"}, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        ids = []
        for n, words in enumerate(("The first video of two.", "The second one waits.")):
            body = {"title": f"Restart {n}", "scenes": [{**SCENE, "script": words}]}
            status, video = api(base, key, "/api/v1/videos", body)
            assert status == 201, video
            ids.append(video["id"])
        deadline = time.monotonic() + 120
        while api(base, key, f"/api/v1/videos/{ids[0]}")[1]["status"] != "running":
            assert time.monotonic() < deadline, "the first video never started"
            time.sleep(0.2)
        redis = subprocess.run(["pgrep", "-f", f"redis-server.*{data}"], capture_output=True,
                               text=True).stdout.split()  # fmt: skip
        assert redis, "no embedded redis-server found"
        for pid in redis:
            os.kill(int(pid), signal.SIGKILL)
        assert product.wait(timeout=60) != 0  # it noticed, stopped the rest, and failed
    finally:
        if product.poll() is None:
            os.killpg(product.pid, signal.SIGKILL)

    restarted = start(env, log)
    try:
        wait_for_http(f"{base}/accounts/signup/", restarted, log=tmp_path / "run.log")
        deadline = time.monotonic() + 240
        while True:
            states = [api(base, key, f"/api/v1/videos/{i}")[1]["status"] for i in ids]
            if all(s in ("completed", "failed", "cancelled") for s in states):
                break
            assert time.monotonic() < deadline, f"videos still {states} after the restart"
            time.sleep(1)
        assert states == ["completed", "completed"], (tmp_path / "run.log").read_text()[-3000:]
    finally:
        os.killpg(restarted.pid, signal.SIGINT)
        restarted.wait(timeout=60)
        log.close()
    with sqlite3.connect(data / "db.sqlite3") as db:
        settled = db.execute(
            "SELECT video_id, COUNT(*) FROM billing_creditentry WHERE kind = 'settlement' "
            "GROUP BY video_id"
        ).fetchall()
    charged = {video_id: count for video_id, count in settled}
    assert sorted(charged.values()) == [1, 1], charged  # each video charged once
