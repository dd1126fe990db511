"""Walking-skeleton render speed: a ~10 s script at 720p 16:9, 25 fps.

The voice model is loaded (and timed) once before measuring, as a worker
process would; each measured render is then the steady-state cost.
"""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from avatar.pipeline import TalkingVideoRequest, render_talking_video
from avatar.voices import piper_engine

SCRIPT = (
    "Meet the new travel mug from Northwind. It keeps coffee hot for twelve hours, "
    "fits every cup holder, and cleans up in seconds. Order today and get free "
    "shipping on your first purchase."
)
REPEATS = 3


def run() -> Iterator[dict]:
    """Yield voice load time, total render time, real-time factor and per-stage times."""
    req = TalkingVideoRequest(script=SCRIPT, aspect="16:9", resolution="720p", fps=25)
    started = time.perf_counter()
    piper_engine.load_voice(req.voice.split(":", 1)[1])
    load_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        results = [render_talking_video(req, Path(tmp) / "out.mp4") for _ in range(REPEATS)]
    video_s = results[0].duration_s  # Piper varies durations slightly between runs
    context = {
        "resolution": f"{results[0].width}x{results[0].height}",
        "aspect": req.aspect,
        "fps": req.fps,
        "video_s": round(video_s, 3),
        "repeats": REPEATS,
        "statistic": "median",
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }
    yield {"bench": "skeleton.voice_load", "value": round(load_s, 3), "unit": "s", **context}
    total = statistics.median(r.stage_seconds["total"] for r in results)
    rtf = statistics.median(r.stage_seconds["total"] / r.duration_s for r in results)
    yield {"bench": "skeleton.render", "value": round(total, 3), "unit": "s", **context}
    yield {"bench": "skeleton.rtf", "value": round(rtf, 4), "unit": "render_s/video_s", **context}
    for stage in ("speech", "lipsync", "compose", "encode"):
        seconds = statistics.median(r.stage_seconds[stage] for r in results)
        yield {"bench": f"skeleton.{stage}", "value": round(seconds, 4), "unit": "s", **context}
