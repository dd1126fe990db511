"""Render speed of the 30-second 9:16 720p product ad (avatar/examples/product-ad-9x16.json).

Records (``render.product_ad_9x16.*``), the headline first:

- ``first_render_rtf`` / ``first_render_seconds``: what a new customer's first
  video costs on a warm worker (models loaded, kernels compiled, the built-in
  music tracks rendered, as saas.ops.warmup does when a worker boots): speech
  synthesised (an empty sentence cache) and the lip-sync rendered, then
  ``first_render_ratio_to_floor`` against the encode-only floor of the same run,
  and its stages. ``first_render_cpu_seconds`` (this process and ffmpeg) and
  ``first_render_ratio_cores_allow``: that work spread over every core, against
  the floor, the best ratio the machine allows for it however the stages overlap.
  ``first_render_1080p_rtf``: the same at 1080p.
  ``first_render_torch1_rtf``: the same first render with 1 torch thread for
  lip-sync instead of torch's default, one per core (LIPSYNC_CPU_THREADS=1).
- ``rerender_rtf`` / ``rerender_middle_rtf``: the first scene's, then the middle
  scene's script edited and the video rendered again, as a worker does it: the
  other sentences come from the sentence cache and the unchanged chunks (scene
  bodies, transitions) from the chunk cache the first render filled
  (avatar.render.chunks); the edited scene's lip-sync is rendered. The first
  render, its 1080p and 1-thread variants encode into a chunk cache too.
- ``seconds`` / ``rtf``: the whole render (assets, speech from a warm sentence
  cache, music mix, layers, compositing, encoding, poster and caption files)
  with the presenter as a still photo, so that the figure is this stage's own
  cost. Median of ``REPEATS``; ``best`` is the fastest run.
- ``floor_seconds``: the same number of frames of one static frame piped to
  ffmpeg with the same settings (yuv420p in, libx264, same preset and CRF):
  what encoding alone costs. ``ratio_to_floor`` = seconds / floor.
- ``content_floor_seconds``: the rendered video's own frames piped again,
  alone: moving pictures cost x264 more than a static one.
- ``moviepy_seconds``: a simplified equivalent composed with moviepy clips
  (backdrop, zooming product image, presenter, overlays, captions, audio), for
  comparison.
- ``with_lipsync_seconds`` / ``with_lipsync_rtf``: one render with the lip-sync
  model as installed (its cost belongs to avatar.lipsync).
- ``cpu_seconds`` / ``floor_cpu_seconds`` / ``cpu_ratio_to_floor``: the same
  comparison in CPU seconds (this process and ffmpeg), which other load on
  the machine distorts far less than wall time.
- ``stage.*``: where the time of the median render went.

Warm-up (not timed): sentences are synthesised into the cache, the music
track is rendered, the numba kernels compile: a worker process has done all
that before its first job. The machine's load average is recorded, because
other processes on 2 cores distort every figure.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

EXAMPLE = Path(__file__).resolve().parents[1] / "avatar" / "examples" / "product-ad-9x16.json"
REPEATS = 3
NAME = "render.product_ad_9x16"


def _still_lipsync():
    """Swap lip-sync for the still presenter; returns a function that restores it."""
    import avatar.lipsync as lipsync

    original = lipsync.animate

    def still(presenter, speech, fps, **_):
        count = lipsync.frame_count_for(speech.duration_s, fps)
        return lipsync._still_track(np.asarray(presenter), count, fps)

    lipsync.animate = still
    return lambda: setattr(lipsync, "animate", original)


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (ffmpeg)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _render(spec, out: Path, cache: Path, music: Path | None = None, chunks: bool = False):
    """Render SPEC with sentences cached in CACHE; CHUNKS: with a chunk cache beside it,
    as the product's workers render (avatar.render.chunks)."""
    from avatar.render import RenderOptions, render
    from avatar.render.chunks import ChunkCache
    from avatar.voices import SpeechCache

    options = RenderOptions(
        base_dir=EXAMPLE.parent,
        speech_cache=SpeechCache(cache),
        music_cache=music or cache / "music",
        chunk_cache=ChunkCache(cache / "chunks") if chunks else None,
    )
    started, cpu = time.perf_counter(), _cpu()
    result = render(spec, out, options)
    _CPU.append(_cpu() - cpu)
    return time.perf_counter() - started, result


_CPU: list[float] = []  # CPU seconds of each render, in order


def _floor(result, preset: str, crf: int, repeats: int = REPEATS) -> float:
    """Seconds to encode ``frame_count`` copies of one static frame, video only."""
    from avatar.compose.yuv import Frame
    from avatar.encode import EncodeSettings, encode

    w, h = result.width, result.height
    frame = Frame(w, h).fill((90, 120, 140)).buf
    frame[: w * h] = np.tile(np.arange(w, dtype=np.uint8), h)  # some texture, like a picture
    settings = EncodeSettings(w, h, result.fps, preset, crf, input_pix_fmt="yuv420p")
    times, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeats):
            started, cpu = time.perf_counter(), _cpu()
            encode((frame for _ in range(result.frame_count)), None, Path(tmp) / "f.mp4", settings)
            times.append(time.perf_counter() - started)
            cpus.append(_cpu() - cpu)
    _FLOOR_CPU.append(statistics.median(cpus))
    return statistics.median(times)


_FLOOR_CPU: list[float] = []


def _content_floor(result, preset: str, crf: int) -> float:
    """Seconds to encode the rendered video's own frames again (decoded first, not timed)."""
    from avatar.encode import EncodeSettings, encode, ffmpeg_exe

    w, h = result.width, result.height
    command = [ffmpeg_exe(), "-v", "error", "-i", str(result.video), "-f", "rawvideo",
               "-pix_fmt", "yuv420p", "-"]  # fmt: skip
    raw = np.frombuffer(subprocess.run(command, capture_output=True, check=True).stdout, np.uint8)
    frames = raw.reshape(-1, w * h * 3 // 2)
    settings = EncodeSettings(w, h, result.fps, preset, crf, input_pix_fmt="yuv420p")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        encode(iter(frames), None, Path(tmp) / "c.mp4", settings)
        return time.perf_counter() - started


def _warm_up(spec, tmp: Path, cache: Path) -> None:
    """Fill the caches a worker would have: sentences, music, compiled kernels."""
    from dataclasses import replace

    short = replace(spec, scenes=spec.scenes[:1], intro=None, outro=None)
    _render(short, tmp / "warm.mp4", cache)
    _render(spec, tmp / "warm-full.mp4", cache)  # every sentence into the cache


def _context(result, preset: str) -> dict:
    return {
        "resolution": f"{result.width}x{result.height}",
        "fps": result.fps,
        "frames": result.frame_count,
        "video_s": round(result.duration_s, 3),
        "preset": preset,
        "repeats": REPEATS,
        "cpu_count": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
    }


def run() -> Iterator[dict]:
    """Yield the records described in the module docstring."""
    from avatar.spec import RenderSpec

    spec = RenderSpec.from_json(EXAMPLE)
    preset, crf = "veryfast", 23
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp_name:
        tmp = Path(tmp_name)
        yield from _first_render(spec, tmp, preset, crf)
        cache = tmp / "cache"
        restore = _still_lipsync()
        try:
            _warm_up(spec, tmp, cache)
            runs = [_render(spec, tmp / f"run{i}.mp4", cache) for i in range(REPEATS)]
        finally:
            restore()
        seconds = [s for s, _ in runs]
        result = runs[0][1]
        ctx = _context(result, preset)
        yield from _speed_records(runs, result, ctx, preset, crf)
        yield from _comparisons(spec, result, ctx, tmp, cache, statistics.median(seconds))


def _first_render(spec, tmp: Path, preset: str, crf: int) -> Iterator[dict]:
    """A new customer's first video: nothing of it cached, lip-sync rendered."""
    from dataclasses import replace

    music = tmp / "worker-music"  # a worker's music cache, filled when it boots
    _render(_other_words(replace(spec, scenes=spec.scenes[:1], intro=None, outro=None)),
            tmp / "worker-warm.mp4", tmp / "worker-cache", music)  # fmt: skip
    seconds, result = _render(spec, tmp / "first.mp4", tmp / "first-cache", music, chunks=True)
    ctx = {**_context(result, preset), "repeats": 1, "cache": "empty", "lipsync": "rendered",
           "chunks": "encoded into an empty chunk cache"}  # fmt: skip
    cpu = _CPU[-1]
    floor = _floor(result, preset, crf, repeats=1)
    rtf = seconds / result.duration_s
    yield {"bench": f"{NAME}.first_render_rtf", "value": round(rtf, 4),
           "unit": "render_s/video_s", "goal": 0.3, **ctx}  # fmt: skip
    yield {"bench": f"{NAME}.first_render_seconds", "value": round(seconds, 3), "unit": "s",
           **ctx}  # fmt: skip
    yield {"bench": f"{NAME}.first_render_ratio_to_floor", "value": round(seconds / floor, 3),
           "unit": "x", "goal": 2.0, "floor_seconds": round(floor, 3), **ctx}  # fmt: skip
    yield from _cpu_records(cpu, floor, ctx)
    for stage, value in result.stage_seconds.items():
        yield {"bench": f"{NAME}.first_render_stage.{stage}", "value": round(value, 3),
               "unit": "s", **ctx}  # fmt: skip
    yield from _first_render_threads(spec, tmp, preset, 1, music)
    for name, scene in (("rerender", 0), ("rerender_middle", len(spec.scenes) // 2)):
        edited = _edit_one_scene(spec, scene)
        seconds, result = _render(edited, tmp / f"{name}.mp4", tmp / "first-cache", music, True)
        yield {"bench": f"{NAME}.{name}_rtf", "value": round(seconds / result.duration_s, 4),
               "unit": "render_s/video_s", "goal": 0.15, **_context(result, preset),
               "repeats": 1, "cache": f"warm (scene {scene} edited)", "lipsync": "rendered",
               "reused_frames": result.reused_frames, "frames": result.frame_count,
               "stages": {k: round(v, 3) for k, v in result.stage_seconds.items()}}  # fmt: skip
    full_hd = replace(spec, output=replace(spec.output, resolution="1080p"))
    seconds, result = _render(full_hd, tmp / "first-1080p.mp4", tmp / "first-1080p-cache", music,
                              chunks=True)  # fmt: skip
    yield {"bench": f"{NAME}.first_render_1080p_rtf", "value": round(seconds / result.duration_s,
           4), "unit": "render_s/video_s", **_context(result, preset), "repeats": 1,
           "cache": "empty", "lipsync": "rendered"}  # fmt: skip


def _cpu_records(cpu: float, floor: float, ctx: dict) -> Iterator[dict]:
    """The first render's CPU seconds against the floor: on C cores a render that needs
    CPU seconds of work can't take less than CPU / C wall seconds, however well its
    stages overlap, so ``first_render_ratio_cores_allow`` is the best ratio to the floor
    this much work allows on this machine (the floor's own encode keeps the cores busy
    too: see ``floor_cpu_seconds``)."""
    cores = os.cpu_count() or 1
    yield {"bench": f"{NAME}.first_render_cpu_seconds", "value": round(cpu, 3), "unit": "cpu_s",
           "of": "this process and its ffmpeg children", **ctx}  # fmt: skip
    yield {"bench": f"{NAME}.first_render_floor_cpu_seconds", "value": round(_FLOOR_CPU[-1], 3),
           "unit": "cpu_s", **ctx}  # fmt: skip
    yield {"bench": f"{NAME}.first_render_ratio_cores_allow",
           "value": round(cpu / cores / floor, 3), "unit": "x", "cores": cores,
           "why": "first_render_cpu_seconds / cores / floor_seconds", **ctx}  # fmt: skip


def _first_render_threads(
    spec, tmp: Path, preset: str, threads: int, music: Path
) -> Iterator[dict]:
    """The same first render with THREADS torch threads for lip-sync (the worker uses
    LIPSYNC_CPU_THREADS, default torch's): the figure that decides the setting."""
    import torch

    from avatar.lipsync import CPU_THREADS_ENV

    before, torch_before = os.environ.get(CPU_THREADS_ENV), torch.get_num_threads()
    os.environ[CPU_THREADS_ENV] = str(threads)
    try:
        seconds, result = _render(spec, tmp / f"first-t{threads}.mp4", tmp / f"cache-t{threads}",
                                  music, chunks=True)  # fmt: skip
    finally:
        if before is None:
            os.environ.pop(CPU_THREADS_ENV)
        else:
            os.environ[CPU_THREADS_ENV] = before
        torch.set_num_threads(torch_before)
    yield {"bench": f"{NAME}.first_render_torch{threads}_rtf",
           "value": round(seconds / result.duration_s, 4), "unit": "render_s/video_s",
           **_context(result, preset), "repeats": 1, "cache": "empty", "lipsync": "rendered",
           "torch_threads": threads,
           "lipsync_s": round(result.stage_seconds.get("lipsync", 0.0), 3)}  # fmt: skip


def _other_words(spec):
    """SPEC saying something else: a warm-up that fills no cache entry the bench uses."""
    from dataclasses import replace

    scenes = [replace(s, speech=replace(s.speech, script="Warming up the worker.")) for s in
              spec.scenes]  # fmt: skip
    return replace(spec, scenes=scenes)


def _edit_one_scene(spec, index: int = 0):
    """SPEC with scene INDEX's script changed (a word added at its end)."""
    from dataclasses import replace

    scenes = list(spec.scenes)
    speech = scenes[index].speech
    speech = replace(speech, script=speech.script + " Really.")
    scenes[index] = replace(scenes[index], speech=speech)
    return replace(spec, scenes=scenes)


def _speed_records(runs, result, ctx, preset, crf) -> Iterator[dict]:
    seconds = statistics.median(s for s, _ in runs)
    video_s = result.duration_s
    floor = _floor(result, preset, crf)
    content = _content_floor(result, preset, crf)
    yield {"bench": f"{NAME}.seconds", "value": round(seconds, 3), "unit": "s", **ctx}
    best = min(s for s, _ in runs)
    yield {"bench": f"{NAME}.best_seconds", "value": round(best, 3), "unit": "s", **ctx}
    yield {"bench": f"{NAME}.rtf", "value": round(seconds / video_s, 4),
           "unit": "render_s/video_s", "goal": 0.3, **ctx}  # fmt: skip
    yield {"bench": f"{NAME}.floor_seconds", "value": round(floor, 3), "unit": "s", **ctx}
    yield {"bench": f"{NAME}.ratio_to_floor", "value": round(seconds / floor, 3),
           "unit": "x", "goal": 1.5, **ctx}  # fmt: skip
    yield {"bench": f"{NAME}.content_floor_seconds", "value": round(content, 3), "unit": "s",
           **ctx}  # fmt: skip
    yield {"bench": f"{NAME}.ratio_to_content_floor", "value": round(seconds / content, 3),
           "unit": "x", **ctx}  # fmt: skip
    cpu = statistics.median(_CPU[-len(runs) :])
    yield {"bench": f"{NAME}.cpu_seconds", "value": round(cpu, 3), "unit": "cpu_s", **ctx}
    yield {"bench": f"{NAME}.floor_cpu_seconds", "value": round(_FLOOR_CPU[-1], 3),
           "unit": "cpu_s", **ctx}  # fmt: skip
    yield {"bench": f"{NAME}.cpu_ratio_to_floor", "value": round(cpu / _FLOOR_CPU[-1], 3),
           "unit": "x", **ctx}  # fmt: skip
    stages = runs[[s for s, _ in runs].index(sorted(s for s, _ in runs)[len(runs) // 2])][1]
    for stage, value in stages.stage_seconds.items():
        yield {"bench": f"{NAME}.stage.{stage}", "value": round(value, 3), "unit": "s", **ctx}


def _comparisons(spec, result, ctx, tmp: Path, cache: Path, seconds: float) -> Iterator[dict]:
    from benchmarks.moviepy_render import render_with_moviepy

    started = time.perf_counter()
    render_with_moviepy(spec, result, EXAMPLE.parent, tmp / "moviepy.mp4", cache)
    moviepy_s = time.perf_counter() - started
    yield {"bench": f"{NAME}.moviepy_seconds", "value": round(moviepy_s, 3), "unit": "s", **ctx}
    yield {"bench": f"{NAME}.moviepy_ratio", "value": round(moviepy_s / seconds, 2),
           "unit": "moviepy_s/our_s", **ctx}  # fmt: skip
    try:
        lipsync_s, lipsync_result = _render(spec, tmp / "lipsync.mp4", cache)
    except Exception as exc:  # lip-sync is another module: report it, keep the other figures
        yield {"bench": f"{NAME}.with_lipsync_seconds", "value": None, "unit": "s",
               "error": f"{type(exc).__name__}: {exc}"[:300], **ctx}  # fmt: skip
        return
    yield {"bench": f"{NAME}.with_lipsync_seconds", "value": round(lipsync_s, 3), "unit": "s",
           **ctx}  # fmt: skip
    yield {"bench": f"{NAME}.with_lipsync_rtf", "value": round(lipsync_s / result.duration_s, 4),
           "unit": "render_s/video_s", **ctx}  # fmt: skip
    lip = lipsync_result.stage_seconds.get("lipsync", 0.0)
    yield {"bench": f"{NAME}.with_lipsync_stage.lipsync", "value": round(lip, 3), "unit": "s",
           **ctx}  # fmt: skip
