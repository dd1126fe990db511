"""Log-mel features for the audio-to-viseme model (numpy and scipy only, no librosa).

16 kHz audio, 25 ms Hann windows every 10 ms (100 frames a second), 40 mel
bands from 60 Hz to 7.6 kHz, natural log, then each utterance normalised to
zero mean and unit variance per band (which removes a fixed channel
colouring, such as a microphone or a room's tone).
"""

from __future__ import annotations

import functools

import numpy as np
from scipy.signal import resample_poly

RATE = 16000
HOP = 160  # 10 ms
WINDOW = 400  # 25 ms
FFT = 512
BANDS = 40
FRAMES_PER_S = RATE // HOP


def to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mono float32 audio at 16 kHz (int16 input is scaled to -1..1)."""
    audio = np.asarray(samples)
    if audio.dtype == np.int16:
        audio = audio.astype(np.float32) / 32768.0
    audio = audio.astype(np.float32)
    if audio.ndim > 1:
        audio = audio.mean(axis=1)
    if rate != RATE:
        divisor = np.gcd(int(rate), RATE)
        audio = resample_poly(audio, RATE // divisor, int(rate) // divisor).astype(np.float32)
    return audio


@functools.cache
def mel_filters() -> np.ndarray:
    """Triangular mel filter bank, (BANDS, FFT // 2 + 1)."""

    def mel(hz):
        return 2595.0 * np.log10(1.0 + np.asarray(hz) / 700.0)

    def hz(m):
        return 700.0 * (10 ** (np.asarray(m) / 2595.0) - 1.0)

    edges = hz(np.linspace(mel(60.0), mel(7600.0), BANDS + 2))
    bins = np.fft.rfftfreq(FFT, 1.0 / RATE)
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (bins[None, :] - lower) / (centre - lower)
    falling = (upper - bins[None, :]) / (upper - centre)
    return np.clip(np.minimum(rising, falling), 0, None).astype(np.float32)


def frame_count(samples: int) -> int:
    """Feature frames for a number of 16 kHz samples (one per started 10 ms)."""
    return max(1, -(-samples // HOP))


def log_mel(audio16k: np.ndarray) -> np.ndarray:
    """(frames, BANDS) float32 normalised log-mel features of 16 kHz audio."""
    count = frame_count(len(audio16k))
    padded = np.pad(audio16k, (WINDOW // 2, WINDOW + count * HOP))
    index = np.arange(WINDOW)[None, :] + HOP * np.arange(count)[:, None]
    frames = padded[index] * np.hanning(WINDOW).astype(np.float32)
    power = np.abs(np.fft.rfft(frames, FFT, axis=1)) ** 2
    feats = np.log(power @ mel_filters().T + 1e-8)
    feats -= feats.mean(axis=0, keepdims=True)
    feats /= feats.std(axis=0, keepdims=True) + 1e-3
    return feats.astype(np.float32)


def energy_db(audio16k: np.ndarray) -> np.ndarray:
    """Per-frame RMS level in dB relative to full scale, aligned with :func:`log_mel`."""
    count = frame_count(len(audio16k))
    padded = np.pad(audio16k, (WINDOW // 2, WINDOW + count * HOP))
    index = np.arange(WINDOW)[None, :] + HOP * np.arange(count)[:, None]
    rms = np.sqrt((padded[index] ** 2).mean(axis=1) + 1e-12)
    return (20 * np.log10(rms)).astype(np.float32)
