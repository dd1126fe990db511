"""Loudness per video frame, for checking that a mouth opens with the speech."""

from __future__ import annotations

import numpy as np

RATE = 16000


def per_frame(path, fps: float, count: int) -> np.ndarray:
    """RMS loudness of PATH's sound in each of COUNT frames at FPS (silence past its end)."""
    from avatar.audio.io import decode_audio

    samples, hop = decode_audio(path, rate=RATE), RATE / fps
    samples = np.pad(samples, (0, max(0, int((count + 1) * hop) - len(samples))))
    return np.array([np.sqrt(np.mean(samples[int(i * hop) : int((i + 1) * hop)] ** 2) + 1e-12)
                     for i in range(count)])  # fmt: skip


def correlation(openings, path, fps: float) -> float:
    """Pearson r of the mouth OPENINGS (one per frame) with PATH's loudness."""
    openings = np.asarray(openings, dtype=float)
    return float(np.corrcoef(openings, per_frame(path, fps, len(openings)))[0, 1])
