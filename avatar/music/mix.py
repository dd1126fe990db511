"""The soundtrack: speech placed on the timeline over ducked, faded music, at -14 LUFS.

- Each speech file is resampled to 48 kHz and placed at its scene's start.
- The music loops to the video's length and sits about 4 LU under the speech
  (plus ``volume_db``). While anyone speaks it dips by ``duck_db``: a side-
  chain envelope from the speech itself (50 ms attack, 300 ms release, with a
  look-ahead equal to the attack so first syllables are not masked, and a
  short hold that bridges the gaps between words).
- It fades in over ``fade_in_s`` and out over ``fade_out_s`` at the very end.
- The sum is brought to the target loudness with the sample peak limited.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from avatar.music import SAMPLE_RATE
from avatar.music.master import measure_lufs, normalize

SPEECH_LUFS = -16.0  # what the voices and uploads are normalised to
BED_UNDER_SPEECH_LU = 4.0
MUSIC_FILE_LUFS = -18.0
CONTROL_RATE = 200  # envelope points per second
ATTACK_S = 0.05
RELEASE_S = 0.3
HOLD_S = 0.25
SPEECH_GATE_DBFS = -42.0


@dataclass(frozen=True)
class Placement:
    """A speech file and where its first sample goes on the timeline (seconds)."""

    wav: Path
    start_s: float


@dataclass(frozen=True)
class MixSettings:
    """Music level and shape, and the final loudness."""

    volume_db: float = 0.0
    duck_db: float = -14.0
    fade_in_s: float = 1.0
    fade_out_s: float = 2.0
    loudness_lufs: float = -14.0
    peak_dbfs: float = -1.0


def speech_track(placements: list[Placement], length: int) -> np.ndarray:
    """All speech, mono at 48 kHz, ``length`` samples."""
    from avatar.audio.io import read_wav, resample

    track = np.zeros(length, np.float32)
    for placement in placements:
        samples, rate = read_wav(placement.wav)
        samples = resample(samples, rate, SAMPLE_RATE)
        start = int(round(placement.start_s * SAMPLE_RATE))
        end = min(length, start + len(samples))
        if end > start:
            track[start:end] += samples[: end - start]
    return track


def looped(music: np.ndarray, length: int) -> np.ndarray:
    """``music`` (n, 2) repeated or cut to ``length`` samples."""
    reps = int(np.ceil(length / max(1, len(music))))
    return np.tile(music, (reps, 1))[:length]


def duck_gain(speech: np.ndarray, duck_db: float) -> np.ndarray:
    """Per-sample music gain (linear): 1 in silence, ``duck_db`` under speech."""
    hop = SAMPLE_RATE // CONTROL_RATE
    frames = len(speech) // hop + 1
    padded = np.zeros(frames * hop, np.float32)
    padded[: len(speech)] = speech
    rms = np.sqrt((padded.reshape(frames, hop) ** 2).mean(axis=1) + 1e-12)
    active = 20 * np.log10(rms) > SPEECH_GATE_DBFS
    active = _hold(active, int(HOLD_S * CONTROL_RATE))
    lead = int(ATTACK_S * CONTROL_RATE)
    active = np.concatenate([active[lead:], np.zeros(lead, bool)])  # look ahead
    target = np.where(active, duck_db, 0.0)
    smooth = _attack_release(target, ATTACK_S, RELEASE_S)
    curve = 10 ** (smooth / 20)
    # Interpolated a chunk at a time: the whole track's sample positions in float64 would
    # be 24 bytes a sample at once (70 MiB a minute); each value is the same either way.
    gain = np.empty(len(speech), np.float32)
    points = np.arange(frames)
    for lo in range(0, len(speech), INTERP_CHUNK):
        hi = min(len(speech), lo + INTERP_CHUNK)
        gain[lo:hi] = np.interp(np.arange(lo, hi) / hop, points, curve)
    return gain


INTERP_CHUNK = 1 << 18  # samples


def _hold(active: np.ndarray, frames: int) -> np.ndarray:
    from scipy.ndimage import maximum_filter1d

    if frames <= 0:
        return active
    return maximum_filter1d(active.astype(np.uint8), size=2 * frames + 1) > 0


def _attack_release(target_db: np.ndarray, attack_s: float, release_s: float) -> np.ndarray:
    """One-pole smoothing: fast toward a deeper dip, slow back up (at the control rate)."""
    down = 1 - np.exp(-1 / (attack_s * CONTROL_RATE))
    up = 1 - np.exp(-1 / (release_s * CONTROL_RATE))
    out = np.empty_like(target_db, dtype=np.float64)
    level = 0.0
    for i, goal in enumerate(target_db):
        level += (goal - level) * (down if goal < level else up)
        out[i] = level
    return out


def fades(length: int, fade_in_s: float, fade_out_s: float) -> np.ndarray:
    """A gain curve rising over the first ``fade_in_s`` and falling to 0 over the last."""
    gain = np.ones(length, np.float32)
    n_in = min(length, int(fade_in_s * SAMPLE_RATE))
    n_out = min(length, int(fade_out_s * SAMPLE_RATE))
    if n_in:
        gain[:n_in] *= np.linspace(0, 1, n_in, dtype=np.float32) ** 2
    if n_out:
        gain[length - n_out :] *= np.linspace(1, 0, n_out, dtype=np.float32) ** 2
    return gain


def mix(
    placements: list[Placement],
    duration_s: float,
    music: np.ndarray | None,
    settings: MixSettings,
    click_at_s: float | None = None,
) -> np.ndarray:
    """The final stereo soundtrack, float32 (n, 2) at 48 kHz, ``duration_s`` long.

    ``click_at_s`` adds a sync marker there (for tests): see :func:`_add_marker`.
    """
    length = int(round(duration_s * SAMPLE_RATE))
    speech = speech_track(placements, length)
    if click_at_s is not None:
        _add_marker(speech, click_at_s)
    out = np.repeat(speech[:, None], 2, axis=1)
    if music is not None:
        out += bed(music, speech, settings)
    del speech  # not held while the mix is normalised (4 bytes a sample, 11 MiB a minute)
    return normalize(out, SAMPLE_RATE, settings.loudness_lufs, settings.peak_dbfs)


MARKER_HZ = 12000.0
MARKER_S = 0.006


def _add_marker(track: np.ndarray, at_s: float) -> None:
    """A 6 ms 12 kHz burst at ``at_s``: voices (22 kHz, so nothing above 11 kHz) and the
    music beds have almost no energy there, so it is easy to find after AAC."""
    start = int(round(at_s * SAMPLE_RATE))
    n = min(int(MARKER_S * SAMPLE_RATE), len(track) - start)
    if n > 0:
        t = np.arange(n) / SAMPLE_RATE
        track[start : start + n] += 0.5 * np.sin(2 * np.pi * MARKER_HZ * t).astype(np.float32)


def bed(music: np.ndarray, speech: np.ndarray, settings: MixSettings) -> np.ndarray:
    """The music under ``speech``: looped, levelled, ducked and faded."""
    level_db = SPEECH_LUFS - BED_UNDER_SPEECH_LU - MUSIC_FILE_LUFS + settings.volume_db
    gain = 10 ** (level_db / 20) * duck_gain(speech, settings.duck_db)
    gain *= fades(len(speech), settings.fade_in_s, settings.fade_out_s)
    return looped(music, len(speech)) * gain[:, None]


def write(path: Path, stereo: np.ndarray) -> dict:
    """Write a 16-bit stereo WAV; return its measured loudness and peak."""
    import soundfile

    soundfile.write(str(path), np.clip(stereo, -1, 1), SAMPLE_RATE, subtype="PCM_16")
    peak = float(np.abs(stereo).max()) if len(stereo) else 0.0
    return {
        "lufs": round(measure_lufs(stereo, SAMPLE_RATE), 2),
        "peak_dbfs": round(20 * np.log10(max(peak, 1e-9)), 2),
    }
