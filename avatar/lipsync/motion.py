"""Life between the words: blinks, idle head motion and breathing (seeded, per frame).

All of it is deterministic for a given seed, so a re-render gives the same
video. Motion starts from rest: the first frame is the photo itself.
"""

from __future__ import annotations

import numpy as np

BLINK_EVERY_S = (2.0, 6.0)  # a gap between blinks is drawn uniformly from this range
BLINK_LENGTH_S = (0.10, 0.15)
DOUBLE_BLINK_CHANCE = 0.12
FIRST_BLINK_S = (0.8, 2.5)
EASE_IN_S = 0.6  # idle motion fades in over this long from the first frame


def blinks(frame_count: int, fps: float, seed: int = 0) -> np.ndarray:
    """Eyelid closure per frame, 0 (open) to 1 (shut), with natural random blinks."""
    rng = np.random.default_rng(seed)
    duration = frame_count / fps
    closure = np.zeros(frame_count, dtype=np.float32)
    starts = []
    t = rng.uniform(*FIRST_BLINK_S)
    while t < duration:
        starts.append(t)
        if rng.random() < DOUBLE_BLINK_CHANCE:
            starts.append(t + 0.35)
        t += rng.uniform(*BLINK_EVERY_S)
    sub = 4  # time samples per frame, so a 120 ms blink is never missed at 25 fps
    times = (np.arange(frame_count * sub) + 0.5) / (fps * sub)
    for start in starts:
        length = rng.uniform(*BLINK_LENGTH_S)
        closure = np.maximum(closure, _blink_shape(times, start, length).reshape(-1, sub).max(1))
    return closure


def _blink_shape(times: np.ndarray, start: float, length: float) -> np.ndarray:
    """Fast close (40 % of the blink), slower open; 1 at the moment of full closure."""
    shut = start + 0.4 * length
    closing = np.clip((times - start) / (shut - start), 0, 1)
    opening = np.clip((start + length - times) / (start + length - shut), 0, 1)
    phase = np.where(times < shut, closing, opening)
    return (np.sin(phase * np.pi / 2) ** 2).astype(np.float32)


def head_motion(
    frame_count: int,
    fps: float,
    face_height: float,
    speech: np.ndarray | None = None,
    seed: int = 0,
) -> np.ndarray:
    """Idle head motion per frame: (dx, dy, roll) in pixels and radians.

    A slow sway made of a few incommensurate sines, breathing (about 15
    breaths a minute, a small rise of the head), and a small nod that follows
    the loudness of speech (``speech``: mouth opening per frame, 0..1).
    """
    rng = np.random.default_rng(seed + 1)
    t = np.arange(frame_count) / fps
    motion = np.zeros((frame_count, 3), dtype=np.float64)
    amplitudes = (0.006 * face_height, 0.004 * face_height, np.radians(0.6))
    for axis, amplitude in enumerate(amplitudes):
        for _ in range(3):
            frequency = rng.uniform(0.05, 0.35)
            phase = rng.uniform(0, 2 * np.pi)
            motion[:, axis] += amplitude / 3 * np.sin(2 * np.pi * frequency * t + phase)
    breaths = rng.uniform(0.22, 0.28)
    motion[:, 1] -= 0.0025 * face_height * (1 - np.cos(2 * np.pi * breaths * t)) / 2
    if speech is not None and len(speech):
        motion[:, 1] += 0.006 * face_height * _smooth(np.asarray(speech, float), fps, 0.25)
    motion -= motion[:1]  # start exactly at the photo
    ease = np.clip(t / EASE_IN_S, 0, 1)
    return (motion * (ease * ease * (3 - 2 * ease))[:, None]).astype(np.float32)


def _smooth(values: np.ndarray, fps: float, seconds: float) -> np.ndarray:
    """Exponential smoothing forwards and backwards (no lag)."""
    alpha = 1 - np.exp(-1 / max(seconds * fps, 1e-6))
    out = values.copy()
    for direction in (1, -1):
        out = out[::direction].copy()
        for i in range(1, len(out)):
            out[i] = out[i - 1] + alpha * (out[i] - out[i - 1])
        out = out[::direction]
    return out
