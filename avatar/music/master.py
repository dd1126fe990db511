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


LUFS_CHUNK = 1 << 18  # samples of one channel filtered at a time (2 MiB of float64)


def measure_lufs(stereo: np.ndarray, rate: int) -> float:
    """Integrated loudness of (n, 2) or (n,) samples; -inf for silence or < 0.4 s.

    pyloudnorm's ITU-R BS.1770 meter (K-weighting, 400 ms blocks overlapping by
    75 %, absolute and relative gates) with the same arithmetic in the same order,
    so the same figure to the last bit, but streamed: one channel at a time, a
    chunk at a time (the filters carry their state across chunks), keeping only
    the blocks' mean squares. pyloudnorm itself holds two float64 copies of the
    whole signal (40 bytes a stereo sample in all, 110 MiB a minute at 48 kHz).
    """
    samples = np.asarray(stereo)
    channels = samples.reshape(len(samples), -1)
    return channels_lufs([channels[:, ch] for ch in range(channels.shape[1])], len(samples),
                         rate)  # fmt: skip


def channels_lufs(channels, length: int, rate: int) -> float:
    """:func:`measure_lufs` of channels given apart, each ``length`` samples and
    sliceable like an array (an array's column, or a reader of a file a chunk at a
    time: only LUFS_CHUNK samples of one are read at once)."""
    if length < 0.4 * rate:
        return float("-inf")
    return _gated_loudness([_block_powers(channel, rate) for channel in channels], length, rate)


_BLOCK_S, _OVERLAP = 0.400, 0.75  # pyloudnorm.Meter's defaults


def _blocks(samples: int, rate: int) -> list[tuple[int, int]]:
    """Each gating block's [lower, upper) samples, as pyloudnorm computes them."""
    step = 1.0 - _OVERLAP
    total_s = samples / rate
    count = int(np.round((total_s - _BLOCK_S) / (_BLOCK_S * step))) + 1
    return [(int(_BLOCK_S * (j * step) * rate), int(_BLOCK_S * (j * step + 1) * rate))
            for j in np.arange(0, count)]  # fmt: skip


def _block_powers(channel: np.ndarray, rate: int) -> np.ndarray:
    """Mean square of each gating block of one K-weighted channel."""
    import pyloudnorm
    from scipy.signal import lfilter, lfilter_zi

    stages = list(pyloudnorm.Meter(rate)._filters.values())  # high shelf, then high pass
    coefficients = [(s.b, s.a, s.passband_gain) for s in stages]
    states = [np.zeros(len(lfilter_zi(b, a))) for b, a, _ in coefficients]
    blocks = _blocks(len(channel), rate)
    powers = np.zeros(len(blocks))
    held, held_from, j = np.zeros(0), 0, 0  # filtered samples from index held_from on
    for start in range(0, len(channel), LUFS_CHUNK):
        chunk = np.asarray(channel[start : start + LUFS_CHUNK], dtype=np.float64)
        for k, (b, a, gain) in enumerate(coefficients):
            filtered, states[k] = lfilter(b, a, chunk, zi=states[k])
            chunk = gain * filtered
        held = np.concatenate([held, chunk])
        end = start + len(chunk)
        last = end >= len(channel)
        while j < len(blocks) and (blocks[j][1] <= end or last):
            lower, upper = blocks[j]
            powers[j] = (1.0 / (_BLOCK_S * rate)) * np.sum(
                np.square(held[lower - held_from : upper - held_from])
            )
            j += 1
        keep_from = blocks[j][0] if j < len(blocks) else end
        held, held_from = held[keep_from - held_from :], keep_from
    return powers


def _gated_loudness(powers: list[np.ndarray], samples: int, rate: int) -> float:
    """pyloudnorm's gating over the blocks' mean squares (channel gains 1.0 for L and R)."""
    import warnings

    gains = [1.0, 1.0, 1.0, 1.41, 1.41]
    z = np.array(powers)
    channels, j_range = len(powers), np.arange(0, z.shape[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        levels = [-0.691 + 10.0 * np.log10(np.sum([gains[i] * z[i, j] for i in range(channels)]))
                  for j in j_range]  # fmt: skip
    gated = [j for j, level in enumerate(levels) if level >= -70.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        means = [np.mean([z[i, j] for j in gated]) for i in range(channels)]
    relative = -0.691 + 10.0 * np.log10(np.sum([gains[i] * means[i] for i in range(channels)]))
    relative -= 10.0
    gated = [j for j, level in enumerate(levels) if (level > relative and level > -70.0)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        means = np.nan_to_num(np.array([np.mean([z[i, j] for j in gated])
                                        for i in range(channels)]))  # fmt: skip
    with np.errstate(divide="ignore"):
        return float(-0.691 + 10.0 * np.log10(np.sum([gains[i] * means[i]
                                                       for i in range(channels)])))  # fmt: skip


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
    out = stereo * gain
    return np.clip(out, -ceiling, ceiling, out=out).astype(np.float32, copy=False)


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
