"""The web tier under load, as production runs it (``web.*``).

Runs ``deploy/prod-smoke.sh`` with ``SMOKE_LOAD=1``: PostgreSQL, Redis, S3, gunicorn
(2 processes x 2 threads) and one video through it; then, with the workers stopped,
``deploy/load.py`` sends a video's status at 200 requests/s for 30 s and creates
videos at 20 requests/s for 15 s, open loop, from this machine's same 2 cores.
Records: ``web.video_status.p99_ms`` (goal 50), ``web.video_create.p99_ms`` (goal
150), their errors, and ``web.*.queries`` (database queries per request); the p99
records also carry p50, the rate achieved, the server's and the load client's CPU
per request and the load average (other jobs on the machine slow every figure).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run() -> Iterator[dict]:
    """Yield the records printed by the load test."""
    environment = {**os.environ, "SMOKE_LOAD": "1"}
    done = subprocess.run(["bash", "deploy/prod-smoke.sh"], cwd=REPO, env=environment,
                          capture_output=True, text=True, timeout=900)  # fmt: skip
    records = [json.loads(line) for line in done.stdout.splitlines()
               if line.startswith('{"bench"')]  # fmt: skip
    if done.returncode != 0 or not records:
        tail = (done.stdout + done.stderr)[-600:]
        yield {"bench": "web.load_test", "value": None, "unit": "run", "error": tail}
        return
    yield from records
