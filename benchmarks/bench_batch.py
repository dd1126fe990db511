"""Batch throughput: a 10-row batch of 15 s videos on this machine's cores, against one alone.

The real stack on loopback (bench_api.Stack: redis-server, the web app, SQLite
in a temporary DATA_DIR) plus one worker process as `make run` starts it
(1 process, 2 threads). A workspace template with a ~15 s script (the
default Piper voice, a stock presenter, captions and music) renders one
video alone, then a 10-row batch
of the same template with a different team name per row. Both are warm: a
first video (not counted) loads the models and fills the speech cache with
the template's fixed sentences, as any worker that has rendered before has
them; each row's own sentences are new. Figures:
videos per minute for the batch, seconds per video alone and in the batch,
and the per-video overhead of the batch (its seconds per video minus the
lone video's; negative when the batch's overlap of stages wins).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .bench_api import REPO, Stack

ROWS = 10
SCRIPT = (
    "Welcome to the {{team}} team! This short video covers your first week: where to find "
    "your badge, who your buddy is, and how to book the training sessions you need. "
    "Your manager in {{team}} will meet you on Monday morning, at nine, by the front desk. "
    "Ask questions any time."
)  # about 15 s at the default voice's pace
TEMPLATE = {
    "name": "Bench welcome",
    "request": {"title": "Welcome, {{team}}", "aspect": "9:16", "music": "corporate",
                "scenes": [{"script": SCRIPT, "avatar": "grace"}]},
}  # fmt: skip


def _wait(stack: Stack, path: str, done, timeout: float = 1800) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _, data = stack.call("GET", path)
        if done(data):
            return data
        time.sleep(0.5)
    raise TimeoutError(path)


def _render_one(stack: Stack, template: dict, team: str) -> dict:
    path = f"/api/v1/templates/{template['id']}/generate"
    _, video = stack.call("POST", path, {"variables": {"team": team}})
    ended = ("completed", "failed")
    return _wait(stack, f"/api/v1/videos/{video['id']}", lambda v: v["status"] in ended)


def _worker(stack: Stack) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "rundramatiq", "--processes", "1", "--threads", "2"]
    return subprocess.Popen(command, cwd=REPO, env=stack.env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip


def run() -> Iterator[dict]:
    context = {"rows": ROWS, "cpu_count": os.cpu_count(), "worker": "1 process, 2 threads",
               "warm": True}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        stack = Stack(Path(tmp))
        worker = _worker(stack)
        try:
            _, template = stack.call("POST", "/api/v1/templates", TEMPLATE)
            _render_one(stack, template, "Warm-up")
            started = time.monotonic()
            alone = _render_one(stack, template, "Solo")
            alone_s = time.monotonic() - started
            rows = [{"team": f"Team {n}"} for n in range(1, ROWS + 1)]
            started = time.monotonic()
            _, batch = stack.call(
                "POST", "/api/v1/batches", {"template": template["id"], "rows": rows, "start": True}
            )
            ended = ("completed", "failed", "cancelled")
            batch = _wait(stack, f"/api/v1/batches/{batch['id']}", lambda b: b["status"] in ended)
            batch_s = time.monotonic() - started
        finally:
            os.killpg(worker.pid, 15)
            worker.wait(60)
            stack.close()
    done = batch["counts"]["completed"]
    context.update(video_s=alone["duration_s"], alone_status=alone["status"], completed=done)
    per_video = batch_s / max(1, done)
    yield {"bench": "batch_videos_per_minute", "value": round(done * 60 / batch_s, 2),
           "unit": "videos/min", **context}  # fmt: skip
    yield {"bench": "batch_seconds_per_video", "value": round(per_video, 1), "unit": "s", **context}
    yield {"bench": "alone_seconds_per_video", "value": round(alone_s, 1), "unit": "s", **context}
    yield {"bench": "batch_overhead_per_video", "value": round(per_video - alone_s, 1),
           "unit": "s", **context}  # fmt: skip
