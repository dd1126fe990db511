"""Loudness normalisation to a target integrated loudness (ITU-R BS.1770).

Speech is brought to ``target_lufs`` with one gain measured by pyloudnorm,
then a peak limiter keeps every sample at or below ``peak_dbfs``. The limiter
is deliberately simple: per sample it needs the gain ``min(1, ceiling/|x|)``;
that gain is spread by a minimum filter over +-5 ms and smoothed by a 5 ms
moving average, so the gain dips smoothly around a peak (no clicks) and never
rises above what any sample in its neighbourhood needs. Limiting lowers the
loudness, so gain and limiter repeat (at most ``MAX_PASSES`` times) until the
loudness is within ``TOLERANCE_LU`` of the target. Sample peak, not true
peak, is limited.
"""

from __future__ import annotations

import numpy as np

BLOCK_S = 0.4  # pyloudnorm's gating block: shorter input cannot be measured
LIMITER_WINDOW_S = 0.005
MAX_PASSES = 5
TOLERANCE_LU = 0.1


def measure_lufs(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness of mono samples in LUFS.

    Args:
        samples: mono float samples in [-1, 1].
        rate: sample rate in Hz.

    Returns:
        LUFS; ``-inf`` for silence or for input shorter than 0.4 s.
    """
    import pyloudnorm

    samples = np.asarray(samples, dtype=np.float64).reshape(-1)
    if len(samples) < BLOCK_S * rate:
        return float("-inf")
    return float(pyloudnorm.Meter(rate).integrated_loudness(samples))


def normalize_loudness(
    samples: np.ndarray, rate: int, target_lufs: float = -16.0, peak_dbfs: float = -1.0
) -> np.ndarray:
    """Gain mono speech to ``target_lufs`` and limit its sample peak to ``peak_dbfs``.

    Args:
        samples: mono float samples in [-1, 1].
        rate: sample rate in Hz.
        target_lufs: integrated loudness wanted.
        peak_dbfs: ceiling for the absolute sample value, in dBFS.

    Returns:
        New float32 samples. Silence and input shorter than 0.4 s (which
        cannot be measured) come back unchanged.
    """
    out = np.asarray(samples, dtype=np.float32).reshape(-1)
    ceiling = 10 ** (peak_dbfs / 20)
    for _ in range(MAX_PASSES):
        loudness = measure_lufs(out, rate)
        if not np.isfinite(loudness) or abs(loudness - target_lufs) <= TOLERANCE_LU:
            return out
        gain = 10 ** ((target_lufs - loudness) / 20)
        out = limit_peaks(out * np.float32(gain), rate, ceiling)
    return out


def limit_peaks(samples: np.ndarray, rate: int, ceiling: float) -> np.ndarray:
    """Smoothly turn down the neighbourhood of every sample above ``ceiling``.

    Args:
        samples: mono float samples.
        rate: sample rate in Hz.
        ceiling: largest absolute value allowed (linear).

    Returns:
        float32 samples with ``max(|x|) <= ceiling``.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    magnitude = np.abs(samples)
    if magnitude.size == 0 or float(magnitude.max()) <= ceiling:
        return samples.astype(np.float32)
    needed = np.minimum(1.0, ceiling / np.maximum(magnitude, 1e-12))
    width = max(1, int(LIMITER_WINDOW_S * rate))
    # The minimum filter spans twice the average's width, so every average
    # around a peak only sees gains at least as low as that peak needs.
    spread = minimum_filter1d(needed, size=2 * width + 1, mode="nearest")
    gain = uniform_filter1d(spread, size=width, mode="nearest")
    limited = samples * np.minimum(gain, needed)
    return np.clip(limited, -ceiling, ceiling).astype(np.float32)
