"""A product link to a finished 30 s 9:16 video through the API, with one worker.

Starts the real stack on loopback in a temporary DATA_DIR, as bench_api does (a
throwaway redis-server and the web app), plus ONE Dramatiq worker process
started as `make run` starts it (``manage.py rundramatiq --processes 1 --threads 2``),
and the tests' local shop (tests/scraper/server.py, its ``/product-full`` page: a
cookie banner, a price loaded by XHR, lazy images, and enough description,
bullets and a rating for a 30 s script; ``/product``'s few facts make 19 s) on
127.0.0.1, which the scraper may read because of ``SCRAPER_ALLOW_NETWORKS=127.0.0.0/8``.

The worker first makes one link video of the same page (not timed), so that
what is timed is a warm worker's (browser started, models loaded, kernels
compiled). The timed video is ``POST /api/v1/videos/from-url`` (30 s, 9:16,
720p) followed by ``GET /api/v1/videos/{id}`` every 50 ms until it has
completed. Records:

- ``link.video_wall_s`` (goal 20): from the POST to the first GET that says
  completed.
- ``link.stage.<name>_s``: each stage's time as the job engine recorded it
  (``stage_timings`` in the video's API representation);
  ``link.between_stages_s``: the wall time no stage accounts for (queueing,
  hand-offs between stages, the POST and the polling).
- ``link.scrape_warm_s`` (goal 1): the scrape stage on the warm worker.

If a service does not start or the video fails, one ``link.video_wall_s``
record with ``value: null`` and ``error`` says why.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parent.parent
POLL_S = 0.05
VIDEO_TIMEOUT_S = 600
WALL_GOAL_S = 20
SCRAPE_GOAL_S = 1


def _worker(stack, log: Path) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "rundramatiq", "--processes", "1", "--threads", "2"]
    with open(log, "wb") as out:
        return subprocess.Popen(command, cwd=REPO, env=stack.env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip


def _stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _make_video(stack, url: str, worker: subprocess.Popen) -> tuple[float, dict]:
    """POST a link video and poll it to its end; (wall seconds, its last representation)."""
    body = {"url": url, "length": 30, "aspect": "9:16", "title": "bench link"}
    started = time.perf_counter()
    _, video = stack.call("POST", "/api/v1/videos/from-url", body)
    while video["status"] in ("queued", "running"):
        if time.perf_counter() - started > VIDEO_TIMEOUT_S:
            raise RuntimeError(f"the video was not done after {VIDEO_TIMEOUT_S} s: {video}")
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited with status {worker.returncode}")
        time.sleep(POLL_S)
        _, video = stack.call("GET", f"/api/v1/videos/{video['id']}")
    wall = time.perf_counter() - started
    if video["status"] != "completed":
        raise RuntimeError(f"the video ended {video['status']}: {video.get('error')}")
    return wall, video


def _tail(path: Path, chars: int = 600) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def run() -> Iterator[dict]:
    from benchmarks.bench_api import Stack
    from tests.scraper.server import ShopServer

    context = {"cpu_count": os.cpu_count(), "workers": "1 process, 2 threads",
               "page": "tests/scraper/server.py /product-full", "length_s": 30, "aspect": "9:16",
               "resolution": "720p"}  # fmt: skip
    stack = worker = shop = None
    with tempfile.TemporaryDirectory(prefix="bench-link-") as tmp:
        log = Path(tmp) / "worker.log"
        try:
            shop = ShopServer().start()
            with mock.patch.dict(os.environ, {"SCRAPER_ALLOW_NETWORKS": "127.0.0.0/8"}):
                stack = Stack(Path(tmp))
            worker = _worker(stack, log)
            url = f"{shop.base}/product-full"
            warm_s, _ = _make_video(stack, url, worker)
            load = round(os.getloadavg()[0], 2)
            wall, video = _make_video(stack, url, worker)
        except Exception as exc:  # a service that did not start: say so, do not crash
            yield {"bench": "link.video_wall_s", "value": None, "unit": "s", "goal": WALL_GOAL_S,
                   "error": f"{type(exc).__name__}: {exc}"[:400],
                   "worker_log_tail": _tail(log), **context}  # fmt: skip
            return
        finally:
            _stop(worker)
            if stack is not None:
                stack.close()
            if shop is not None:
                shop.stop()
    context = {**context, "load_avg_1m": load, "warm_up_video_s": round(warm_s, 2),
               "video_duration_s": video.get("duration_s")}  # fmt: skip
    yield {"bench": "link.video_wall_s", "value": round(wall, 3), "unit": "s",
           "goal": WALL_GOAL_S, **context}  # fmt: skip
    timings = video.get("stage_timings") or {}
    for stage, seconds in timings.items():
        yield {"bench": f"link.stage.{stage}_s", "value": round(seconds, 3), "unit": "s",
               **context}  # fmt: skip
    between = wall - sum(timings.values())
    yield {"bench": "link.between_stages_s", "value": round(between, 3), "unit": "s", **context}
    if "scrape" in timings:
        yield {"bench": "link.scrape_warm_s", "value": round(timings["scrape"], 3), "unit": "s",
               "goal": SCRAPE_GOAL_S, **context}  # fmt: skip
