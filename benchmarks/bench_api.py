"""API latency under concurrent load, and job latency from enqueue to start.

Starts the real stack on loopback in a temporary DATA_DIR: a throwaway
redis-server, the web app (Django's threaded server, as `make run` uses) and
no worker (creating a video only queues it). A local client then sends
requests from several threads. Figures are milliseconds, p50 and p99.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
THREADS = 8
STATUS_REQUESTS = 400
CREATE_REQUESTS = 60
SETUP = """
from saas.billing import services as billing
from saas.workspaces.models import Workspace
ws = Workspace.objects.get(name="bench")
account = billing.account_for(ws)
account.plan = "enterprise"; account.save()
billing.grant_credits(ws, 10_000_000, note="bench")
"""


CLEAR_VIDEOS = "from saas.studio.models import Video; Video.objects.all().delete()"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered), p99


class Stack:
    def __init__(self, tmp: Path):
        self.tmp, self.port, redis_port = tmp, _port(), _port()
        self.env = {**os.environ, "DEBUG": "1", "DATA_DIR": str(tmp)}
        self.env.update(BROKER_URL=f"redis://127.0.0.1:{redis_port}/0", API_RATE_LIMIT="100000/min")
        self.env.pop("DATABASE_URL", None)
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        server = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.redis = subprocess.Popen([server, "--port", str(redis_port), "--save", ""],
                                      stdout=subprocess.DEVNULL)  # fmt: skip
        self.manage("migrate", "-v", "0")
        self.key = self.manage("create_api_key", "--email", "bench@example.com",
                               "--workspace", "bench").strip()  # fmt: skip
        self.manage("shell", "-c", SETUP)
        self.web = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=REPO, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self._wait()

    def manage(self, *args) -> str:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=self.env,
                                capture_output=True, text=True, check=True)  # fmt: skip
        return result.stdout

    def _wait(self) -> None:
        for _ in range(200):
            try:
                self.call("GET", "/api/v1/workspace")
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the web app did not start")

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[float, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data, method=method)
        request.add_header("Authorization", f"Bearer {self.key}")
        request.add_header("Content-Type", "application/json")
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = json.loads(response.read() or b"{}")
        return (time.perf_counter() - started) * 1000, payload

    def close(self) -> None:
        for process in (self.web, self.redis):
            process.terminate()
            process.wait(10)


def _load(stack: Stack, method: str, path, body, count: int) -> list[float]:
    with ThreadPoolExecutor(THREADS) as pool:
        calls = [pool.submit(stack.call, method, path(i), body) for i in range(count)]
        return [c.result()[0] for c in calls]


def _enqueue_to_start(redis_url: str, count: int = 200) -> list[float]:
    import dramatiq
    from dramatiq.brokers.redis import RedisBroker

    broker = RedisBroker(url=redis_url, namespace="bench")
    started: list[float] = []

    @dramatiq.actor(broker=broker, queue_name="bench", actor_name="bench_probe")
    def probe(sent_at: float) -> None:
        started.append((time.time() - sent_at) * 1000)

    worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    for _ in range(count):
        probe.send(time.time())
        time.sleep(0.005)
    broker.join("bench", timeout=60_000)
    worker.stop()
    broker.close()
    return started


def run() -> Iterator[dict]:
    context = {"threads": THREADS, "cpu_count": os.cpu_count(), "server": "runserver+sqlite"}
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        stack = Stack(Path(tmp))
        try:
            yield from _api_figures(stack, context)
            ms = _enqueue_to_start(stack.env["BROKER_URL"])
        finally:
            stack.close()
    p50, p99 = _percentiles(ms)
    extra = {**context, "broker": "redis", "messages": len(ms)}
    yield {"bench": "jobs.enqueue_to_start_p50", "value": round(p50, 2), "unit": "ms", **extra}
    yield {"bench": "jobs.enqueue_to_start_p99", "value": round(p99, 2), "unit": "ms", **extra}


def _api_figures(stack: Stack, context: dict) -> Iterator[dict]:
    body = {"title": "bench", "scenes": [{"script": "Hello there.", "voice": "espeak:en-us"}]}
    _, first = stack.call("POST", "/api/v1/videos", body)
    status = _load(stack, "GET", lambda i: f"/api/v1/videos/{first['id']}", None, STATUS_REQUESTS)
    for name, samples in (("video_status", status),):
        p50, p99 = _percentiles(samples)
        extra = {**context, "requests": len(samples)}
        yield {"bench": f"api.{name}_p50", "value": round(p50, 2), "unit": "ms", **extra}
        yield {"bench": f"api.{name}_p99", "value": round(p99, 2), "unit": "ms", **extra}
    stack.manage("shell", "-c", CLEAR_VIDEOS)
    creates = _load(stack, "POST", lambda i: "/api/v1/videos", body, min(CREATE_REQUESTS, 19))
    p50, p99 = _percentiles(creates)
    extra = {**context, "requests": len(creates)}
    yield {"bench": "api.video_create_p50", "value": round(p50, 2), "unit": "ms", **extra}
    yield {"bench": "api.video_create_p99", "value": round(p99, 2), "unit": "ms", **extra}
