"""Lip-sync renderer speed: frames per second at 512x512, 720p and 1080p.

The presenter (grace) is placed on a canvas of each size the way a
talking-head photo would fill it (head and shoulders, full height), prepared
once, then a speech-like track of 96 frames (mouth moving, blinks, idle
motion) is rendered in batches of 16, full frames out. Preparation and the
first batch (warm-up) are not timed; compositing and encoding are not
included. CPU figures are given for 1 and 2 torch threads (the production
worker has 2 cores, shared with ffmpeg); the 1-minute load average is
recorded because other processes skew them. On a machine with CUDA the same
sizes are timed on the GPU too.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Iterator

import numpy as np
from PIL import Image

SIZES = ((512, 512), (1280, 720), (1920, 1080))
FRAMES = 96
THREADS = (1, 2)  # the worker has 2 cores; one thread wins while ffmpeg encodes


def canvas(width: int, height: int) -> np.ndarray:
    """Grace filling the canvas height (head and shoulders), the sides in her edge colours."""
    from avatar.presenters import load_presenter_image, resolve_presenter

    photo = Image.fromarray(load_presenter_image(resolve_presenter("grace").image_path))
    scale = max(height / photo.height, min(width, height) / photo.width)
    photo = photo.resize((round(photo.width * scale), round(photo.height * scale)))
    top = (photo.height - height) // 2
    array = np.asarray(photo)[top : top + height]
    left = (width - photo.width) // 2
    out = np.empty((height, width, 3), np.uint8)
    out[:, :left] = array[:, :1]
    out[:, left + photo.width :] = array[:, -1:]
    out[:, left : left + photo.width] = array
    return out


def _track(frames: int, fps: int = 25):
    from avatar.lipsync import motion
    from avatar.lipsync.geometry import rig_params

    t = np.arange(frames) / fps
    params = np.zeros((frames, 5), np.float32)
    params[:, 0] = np.clip(np.sin(2 * np.pi * 2.5 * t), 0, None) * 0.8
    params[:, 1] = np.sin(2 * np.pi * 0.7 * t)
    blink = motion.blinks(frames, fps, seed=1)
    head = motion.head_motion(frames, fps, 300.0, params[:, 0], seed=1)
    return rig_params(params, blink), head, params[:, 3]


def measure(image: np.ndarray, device: str) -> tuple[float, int]:
    """Frames per second over FRAMES frames (after one warm-up batch), and the face width."""
    from avatar.lipsync import prepare_image
    from avatar.lipsync.landmarks import face_width
    from avatar.lipsync.render import Renderer

    avatar, report = prepare_image(image)
    if avatar is None:
        raise RuntimeError(f"benchmark presenter refused: {report.errors}")
    renderer = Renderer(avatar, device=device)
    rig, head, tongue = _track(FRAMES + renderer.batch_size)
    warm = renderer.batch_size
    for _ in renderer.render(rig[:warm], head[:warm], tongue[:warm]):
        pass
    _synchronise(device)
    started = time.perf_counter()
    count = sum(1 for _ in renderer.render(rig[warm:], head[warm:], tongue[warm:]))
    _synchronise(device)
    return count / (time.perf_counter() - started), round(face_width(avatar.points))


def _synchronise(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


def run() -> Iterator[dict]:
    """Yield one record per size, device and CPU thread count."""
    import torch

    settings = [("cpu", n) for n in THREADS] + (
        [("cuda", None)] if torch.cuda.is_available() else []
    )
    threads = torch.get_num_threads()
    try:
        for device, count in settings:
            if count is not None:
                torch.set_num_threads(min(count, os.cpu_count() or count))
            for width, height in SIZES:
                fps, face = measure(canvas(width, height), device)
                yield _record(device, count, width, height, fps, face)
    finally:
        torch.set_num_threads(threads)


def _record(device: str, count, width: int, height: int, fps: float, face: int) -> dict:
    import torch

    name = "cpu" if device == "cpu" else torch.cuda.get_device_name()
    suffix = f"cpu{count}t" if device == "cpu" else "cuda"
    return {
        "bench": f"lipsync.render_fps.{width}x{height}.{suffix}",
        "value": round(fps, 1),
        "unit": "frames/s",
        "device": name,
        "threads": torch.get_num_threads() if device == "cpu" else None,
        "face_width_px": face,
        "frames": FRAMES,
        "batch": 16,
        "composite": "excluded",
        "cpu_count": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
    }
