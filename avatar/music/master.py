"""Loudness and peak control for stereo audio (music files and the final mix).

:mod:`avatar.audio.loudness` handles mono speech. Stereo needs the same two
steps with the channels linked: one gain measured on both channels by
pyloudnorm (ITU-R BS.1770), then a limiter whose gain follows the louder
channel, so the stereo image does not wander.
"""

from __future__ import annotations

import numpy as np

MAX_PASSES = 5
TOLERANCE_LU = 0.1
LIMITER_WINDOW_S = 0.005


def measure_lufs(stereo: np.ndarray, rate: int) -> float:
    """Integrated loudness of (n, 2) or (n,) samples; -inf for silence or < 0.4 s."""
    import pyloudnorm

    samples = np.asarray(stereo, dtype=np.float64)
    if len(samples) < 0.4 * rate:
        return float("-inf")
    return float(pyloudnorm.Meter(rate).integrated_loudness(samples))


def limit(stereo: np.ndarray, rate: int, ceiling: float) -> np.ndarray:
    """Smoothly turn down every neighbourhood whose louder channel exceeds ``ceiling``."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    magnitude = np.abs(stereo).max(axis=1) if stereo.ndim == 2 else np.abs(stereo)
    if magnitude.size == 0 or float(magnitude.max()) <= ceiling:
        return stereo.astype(np.float32)
    needed = np.minimum(1.0, ceiling / np.maximum(magnitude, 1e-12))
    width = max(1, int(LIMITER_WINDOW_S * rate))
    spread = minimum_filter1d(needed, size=2 * width + 1, mode="nearest")
    gain = np.minimum(uniform_filter1d(spread, size=width, mode="nearest"), needed)
    gain = gain[:, None] if stereo.ndim == 2 else gain
    return np.clip(stereo * gain, -ceiling, ceiling).astype(np.float32)


def master(stereo: np.ndarray, rate: int, target_lufs: float, peak_dbfs: float) -> np.ndarray:
    """Remove DC and sub-bass rumble, then reach ``target_lufs`` with peaks <= ``peak_dbfs``."""
    from scipy.signal import butter, sosfiltfilt

    sos = butter(2, 25, btype="highpass", fs=rate, output="sos")
    out = sosfiltfilt(sos, np.asarray(stereo, dtype=np.float64), axis=0).astype(np.float32)
    return normalize(out, rate, target_lufs, peak_dbfs)


def normalize(stereo: np.ndarray, rate: int, target_lufs: float, peak_dbfs: float) -> np.ndarray:
    """Gain to ``target_lufs`` and limit the sample peak to ``peak_dbfs`` (linked channels)."""
    out = np.asarray(stereo, dtype=np.float32)
    ceiling = 10 ** (peak_dbfs / 20)
    for _ in range(MAX_PASSES):
        loudness = measure_lufs(out, rate)
        if not np.isfinite(loudness) or abs(loudness - target_lufs) <= TOLERANCE_LU:
            break
        out = limit(out * np.float32(10 ** ((target_lufs - loudness) / 20)), rate, ceiling)
    return limit(out, rate, ceiling)
