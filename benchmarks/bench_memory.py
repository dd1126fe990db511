"""Peak memory of a render worker, and whether it grows with the video's length.

Each render runs in a child process of its own (``python -m benchmarks.bench_memory
MINUTES RESOLUTION``), so that one render's peak is not another's. The spec is a
training video written here: the six scenes of avatar/examples/training-16x9.json
(the stock presenter "grace" talking in presenter, split, corner and bottom
layouts, a voice-over scene over a chart, bullets and titles, captions, music,
intro and outro cards) in turn, SCENES of them, each script said as many times as
makes the video MINUTES long. The 5-minute video has 30 scenes (the most a spec
may have); the 1- and 10-minute ones have the same six, so that only the length
differs between them. Sentences repeat,
so the child's speech cache synthesises each only once: speech is not what is
measured; pictures, lip-sync, the soundtrack and encoding are. It renders as a
worker does: encoded in chunks into an (empty) chunk cache, then joined.

The child measures:

- ``python_peak_mib``: its own peak resident set (``VmHWM``, i.e.
  ``getrusage(RUSAGE_SELF).ru_maxrss``);
- ``ffmpeg_peak_mib`` (and ``children_peak_mib``, by program name): the peak
  resident set (``VmHWM``) of the encoder it runs, read from /proc every 50 ms
  while it runs (not ``RUSAGE_CHILDREN``, which charges a child started by
  fork or vfork with the parent's size);
- ``sampled_total_peak_mib``: the largest sum of resident sets of it and all its
  descendants at once, sampled every 50 ms (what the worker's container holds).

Records: ``memory.render_5min_1080p_peak_mib`` (goal 2048: the larger of the
sampled total and python + ffmpeg peaks), ``memory.render_1min_720p_peak_mib``,
``memory.render_10min_720p_peak_mib`` and ``memory.growth_mib_per_min`` (the
difference of the two 720p peaks per minute of video). ``BENCH_MEMORY_30MIN=1``
adds a 30-minute 720p render (about 15 minutes on 2 cores).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "avatar" / "examples"
TRAINING = EXAMPLES / "training-16x9.json"
GOAL_MIB = 2048
SAMPLE_S = 0.05
CHILD_TIMEOUT_S = 3600


def training_spec(minutes: float, resolution: str, scenes: int):
    """A training video about MINUTES long in SCENES scenes: the example's scenes in turn,
    each saying its script as many times as it takes (the example's six scenes, each about
    ten seconds, last a minute)."""
    from avatar.spec import MAX_SCENES, RenderSpec

    data = json.loads(TRAINING.read_text())
    data["output"]["resolution"] = resolution
    one_pass = data["scenes"]
    scenes = max(1, min(scenes, MAX_SCENES))
    repeats = max(1, round(minutes * len(one_pass) / scenes))
    data["scenes"] = []
    for i in range(scenes):
        scene = dict(one_pass[i % len(one_pass)])
        script = scene["speech"]["script"]
        scene["speech"] = {**scene["speech"], "script": " ".join([script] * repeats)}
        data["scenes"].append(scene)
    return RenderSpec.from_dict(data)


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                found.append(child)
                todo.append(child)
    return found


def _status(pid: int) -> dict[str, str]:
    """Fields of /proc/PID/status (empty if the process is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return dict(line.split(":", 1) for line in lines if ":" in line)


def _kib(status: dict[str, str], field: str) -> int:
    value = status.get(field, "").split()
    return int(value[0]) if value else 0


class _Sampler(threading.Thread):
    """The largest sum of resident sets of this process and its descendants, sampled, and
    each descendant program's own peak (its VmHWM, by name: ffmpeg)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kib = 0
        self.programs: dict[str, int] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self.stopping.wait(SAMPLE_S):
            total = _kib(_status(me), "VmRSS")
            for pid in _descendants(me):
                status = _status(pid)
                total += _kib(status, "VmRSS")
                name = status.get("Name", "?").strip()
                self.programs[name] = max(self.programs.get(name, 0), _kib(status, "VmHWM"))
            self.peak_kib = max(self.peak_kib, total)


def child(minutes: float, resolution: str, scenes: int) -> dict:
    """Render the training video in this process; return what it cost."""
    from avatar.render import RenderOptions, render
    from avatar.render.chunks import ChunkCache
    from avatar.voices import SpeechCache

    spec = training_spec(minutes, resolution, scenes)
    sampler = _Sampler()
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        # As a worker renders: encoded in chunks, kept in a chunk cache.
        options = RenderOptions(base_dir=EXAMPLES, speech_cache=SpeechCache(Path(tmp) / "cache"),
                                music_cache=Path(tmp) / "music",
                                chunk_cache=ChunkCache(Path(tmp) / "chunks"))  # fmt: skip
        sampler.start()
        started = time.perf_counter()
        result = render(spec, Path(tmp) / "out.mp4", options)
        seconds = time.perf_counter() - started
        sampler.stopping.set()
        sampler.join()
    mib = 1024
    encoders = [kib for name, kib in sampler.programs.items() if name.startswith("ffmpeg")]
    return {
        "python_peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / mib, 1),
        # Not RUSAGE_CHILDREN: a child started by fork or vfork reports the parent's size.
        "ffmpeg_peak_mib": round(max(encoders, default=0) / mib, 1),
        "children_peak_mib": {k: round(v / mib, 1) for k, v in sampler.programs.items()},
        "sampled_total_peak_mib": round(sampler.peak_kib / mib, 1),
        "render_s": round(seconds, 1),
        "video_s": round(result.duration_s, 1),
        "resolution": f"{result.width}x{result.height}",
        "scenes": len(spec.scenes),
        "stage_seconds": {k: round(v, 2) for k, v in result.stage_seconds.items()},
    }


def _measure(minutes: float, resolution: str, scenes: int) -> dict:
    command = [sys.executable, "-m", "benchmarks.bench_memory", str(minutes), resolution,
               str(scenes)]  # fmt: skip
    done = subprocess.run(command, cwd=EXAMPLES.parents[1], capture_output=True, text=True,
                          timeout=CHILD_TIMEOUT_S)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"render child exited {done.returncode}: {done.stderr[-400:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["peak_mib"] = max(figures["sampled_total_peak_mib"],
                              figures["python_peak_mib"] + figures["ffmpeg_peak_mib"])  # fmt: skip
    return figures


def _record(name: str, minutes: float, resolution: str, scenes: int,
            **extra) -> tuple[dict, dict | None]:  # fmt: skip
    load = round(os.getloadavg()[0], 2)
    try:
        figures = _measure(minutes, resolution, scenes)
    except Exception as exc:  # a render that cannot run: report it, keep the other figures
        return {"bench": name, "value": None, "unit": "MiB", **extra,
                "error": f"{type(exc).__name__}: {exc}"[:500]}, None  # fmt: skip
    record = {"bench": name, "value": figures["peak_mib"], "unit": "MiB", **extra,
              "minutes": minutes, **figures, "load_avg_1m_before": load,
              "load_avg_1m_after": round(os.getloadavg()[0], 2)}  # fmt: skip
    return record, figures


def run() -> Iterator[dict]:
    context = {"cpu_count": os.cpu_count(), "spec": "training-16x9.json scenes repeated"}
    record, _ = _record("memory.render_5min_1080p_peak_mib", 5, "1080p", 30, goal=GOAL_MIB,
                        **context)  # fmt: skip
    yield record
    # The same six scenes at both lengths: only the length differs.
    short_record, short = _record("memory.render_1min_720p_peak_mib", 1, "720p", 6, **context)
    yield short_record
    long_record, long = _record("memory.render_10min_720p_peak_mib", 10, "720p", 6, **context)
    yield long_record
    if short and long:
        growth = (long["peak_mib"] - short["peak_mib"]) / (long["video_s"] - short["video_s"]) * 60
        yield {"bench": "memory.growth_mib_per_min", "value": round(growth, 2), "unit": "MiB/min",
               "from": "1-minute and 10-minute 720p renders", "30min_run": False,
               **context}  # fmt: skip
    if os.environ.get("BENCH_MEMORY_30MIN"):
        record, _ = _record("memory.render_30min_720p_peak_mib", 30, "720p", 30, **context)
        yield record


if __name__ == "__main__":
    print(json.dumps(child(float(sys.argv[1]), sys.argv[2], int(sys.argv[3]))), flush=True)
