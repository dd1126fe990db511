"""Two worker processes rendering two videos at once, against one rendering one.

Each render runs in a worker-like child process (``python -m
benchmarks.bench_workers``): it first warms up as a worker would have (one
scene of avatar/examples/product-ad-9x16.json saying other words: models
loaded, kernels compiled, music rendered), says it is ready, waits for the
word, then renders the 30 s 9:16 720p example with an empty sentence cache and
the lip-sync rendered (a new customer's video, as bench_render's first render).

Records:

- ``workers.one_s``: one child alone, its render's wall time.
- ``workers.two_s``: two children started together; the time until both are done.
- ``workers.ratio`` (goal 1.3): ``two_s / one_s``.
- ``workers.one_cpu_s`` and ``workers.two_cpu_s``: the CPU seconds each render
  used (its process and its ffmpeg), which explain the ratio: on a machine
  with ``cpu_count`` cores two renders take no less than their CPU seconds
  over the cores (``workers.cpu_floor_two_s``); ``workers.ratio_floor`` is that
  floor against ``one_s``. A render that alone keeps ``c`` of the 2 cores busy
  (``cores_used``) can be run twice in no less than ``c`` times its time, so
  the 1.3 goal needs ``c`` <= 1.3 on an idle machine; other people's load on
  the same cores lowers ``cores_used`` and raises ``ratio``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "avatar" / "examples" / "product-ad-9x16.json"
GOAL = 1.3
CHILD_TIMEOUT_S = 900


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def child(work: Path) -> None:
    """Warm up, print ``ready``, wait for a line on stdin, render, print the figures."""
    from dataclasses import replace

    from avatar.spec import RenderSpec
    from benchmarks.bench_render import _other_words, _render

    spec = RenderSpec.from_json(EXAMPLE)
    warm = replace(spec, scenes=spec.scenes[:1], intro=None, outro=None)
    _render(_other_words(warm), work / "warm.mp4", work / "warm-cache")
    print("ready", flush=True)
    sys.stdin.readline()
    cpu = _cpu()
    seconds, result = _render(spec, work / "out.mp4", work / "cache")
    figures = {"seconds": round(seconds, 3), "cpu_s": round(_cpu() - cpu, 2),
               "video_s": round(result.duration_s, 2)}  # fmt: skip
    print(json.dumps(figures), flush=True)


def _start(work: Path) -> subprocess.Popen:
    work.mkdir(parents=True)
    command = [sys.executable, "-m", "benchmarks.bench_workers", str(work)]
    return subprocess.Popen(command, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)  # fmt: skip


def _line(process: subprocess.Popen, wanted) -> str | None:
    """The first line the process prints that is WANTED (other output skipped); None at EOF."""
    for line in process.stdout:
        if wanted(line.strip()):
            return line.strip()
    return None


def _renders(tmp: Path, count: int) -> tuple[float, list[dict]]:
    """COUNT warm children render at once: (seconds until all are done, their figures)."""
    children = [_start(tmp / f"{count}-{i}") for i in range(count)]
    try:
        for process in children:
            if _line(process, lambda text: text == "ready") is None:
                raise RuntimeError(f"a render process did not warm up (exit {process.wait(60)})")
        started = time.perf_counter()
        for process in children:
            process.stdin.write("go\n")
            process.stdin.flush()
        figures = []
        for process in children:
            line = _line(process, lambda text: text.startswith("{"))
            if line is None:
                raise RuntimeError(f"a render process failed (exit {process.wait(60)})")
            figures.append(json.loads(line))
        return time.perf_counter() - started, figures
    finally:
        for process in children:
            if process.poll() is None:
                process.kill()
            process.wait(CHILD_TIMEOUT_S)


def run() -> Iterator[dict]:
    context = {"cpu_count": os.cpu_count(), "video": "product-ad-9x16.json, 720p",
               "cache": "empty", "lipsync": "rendered"}  # fmt: skip
    try:
        with tempfile.TemporaryDirectory(prefix="bench-workers-") as tmp_name:
            tmp = Path(tmp_name)
            load_one = round(os.getloadavg()[0], 2)
            one_s, one = _renders(tmp, 1)
            load_two = round(os.getloadavg()[0], 2)
            two_s, two = _renders(tmp, 2)
    except Exception as exc:  # a worker that cannot start: report it
        yield {"bench": "workers.ratio", "value": None, "unit": "x", "goal": GOAL,
               "error": f"{type(exc).__name__}: {exc}"[:400], **context}  # fmt: skip
        return
    one_cpu, two_cpu = one[0]["cpu_s"], [f["cpu_s"] for f in two]
    cores = os.cpu_count() or 1
    floor = sum(two_cpu) / cores
    yield {"bench": "workers.one_s", "value": round(one_s, 3), "unit": "s",
           "load_avg_1m": load_one, **context}  # fmt: skip
    yield {"bench": "workers.two_s", "value": round(two_s, 3), "unit": "s",
           "each_s": [f["seconds"] for f in two], "load_avg_1m": load_two, **context}  # fmt: skip
    yield {"bench": "workers.ratio", "value": round(two_s / one_s, 3), "unit": "x", "goal": GOAL,
           "load_avg_1m": round(os.getloadavg()[0], 2), **context}  # fmt: skip
    yield {"bench": "workers.one_cpu_s", "value": one_cpu, "unit": "cpu_s",
           "cores_used": round(one_cpu / one_s, 2), **context}  # fmt: skip
    yield {"bench": "workers.two_cpu_s", "value": round(sum(two_cpu), 2), "unit": "cpu_s",
           "each_cpu_s": two_cpu, **context}  # fmt: skip
    yield {"bench": "workers.cpu_floor_two_s", "value": round(floor, 3), "unit": "s",
           "why": "the two renders' CPU seconds spread over all the machine's cores: two_s "
           "can be no less", **context}  # fmt: skip
    yield {"bench": "workers.ratio_floor", "value": round(floor / one_s, 3), "unit": "x",
           "why": "cpu_floor_two_s / one_s: the best ratio these cores allow when one_s was "
           "measured on an otherwise idle machine (see one_cpu_s cores_used and load_avg_1m)",
           **context}  # fmt: skip


if __name__ == "__main__":
    child(Path(sys.argv[1]))
