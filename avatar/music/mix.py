"""The soundtrack: speech placed on the timeline over ducked, faded music, at -14 LUFS.

- Each speech file is resampled to 48 kHz and placed at its scene's start.
- The music loops to the video's length and sits about 4 LU under the speech
  (plus ``volume_db``). While anyone speaks it dips by ``duck_db``: a side-
  chain envelope from the speech itself (50 ms attack, 300 ms release, with a
  look-ahead equal to the attack so first syllables are not masked, and a
  short hold that bridges the gaps between words).
- It fades in over ``fade_in_s`` and out over ``fade_out_s`` at the very end.
- The sum is brought to the target loudness with the sample peak limited.

The mix is streamed: :func:`mix_to_wav` keeps the tracks in float32 scratch
files beside the output and works through them a chunk at a time (the
speech, the envelope it drives, the sum, each loudness pass and the limiter),
so a 30-minute video's soundtrack takes as much memory as a 30-second one's.
Only control-rate curves (200 points a second) and the loudness meter's block
powers (10 a second) are held whole.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from avatar.music import SAMPLE_RATE
from avatar.music.master import (
    LIMITER_WINDOW_S,
    MAX_PASSES,
    TOLERANCE_LU,
    channels_lufs,
    limit,
)

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


CHUNK = 1 << 18  # samples worked on at a time (2 MiB of stereo float32)


class Track:
    """A float32 track of ``length`` samples by ``channels`` in a scratch file.

    Read and written a range at a time with ordinary file I/O (not a memory
    map, whose pages would count against the worker's resident memory).
    """

    def __init__(self, path: Path, length: int, channels: int) -> None:
        self.path, self.length, self.channels = Path(path), length, channels
        with open(self.path, "wb") as f:
            f.truncate(length * channels * 4)  # zeros, without writing them

    def __len__(self) -> int:
        return self.length

    def read(self, lo: int, hi: int) -> np.ndarray:
        lo, hi = max(0, lo), min(self.length, hi)
        with open(self.path, "rb") as f:
            f.seek(lo * self.channels * 4)
            data = np.fromfile(f, np.float32, (hi - lo) * self.channels)
        return data.reshape(hi - lo, self.channels) if self.channels > 1 else data

    def write(self, lo: int, data: np.ndarray) -> None:
        with open(self.path, "r+b") as f:
            f.seek(lo * self.channels * 4)
            f.write(np.ascontiguousarray(data, np.float32).tobytes())

    def chunks(self, size: int = CHUNK):
        """(lo, hi) ranges covering the track."""
        return ((lo, min(self.length, lo + size)) for lo in range(0, self.length, size))

    def channel(self, index: int) -> _Channel:
        return _Channel(self, index)


class _Channel:
    """One channel of a :class:`Track`, sliceable like an array (for the loudness meter)."""

    def __init__(self, track: Track, index: int) -> None:
        self.track, self.index = track, index

    def __len__(self) -> int:
        return self.track.length

    def __getitem__(self, part: slice) -> np.ndarray:
        data = self.track.read(part.start or 0, self.track.length if part.stop is None
                               else part.stop)  # fmt: skip
        return data[:, self.index] if data.ndim == 2 else data


def speech_track(placements: list[Placement], length: int) -> np.ndarray:
    """All speech, mono at 48 kHz, ``length`` samples (held in memory: for short tracks)."""
    with tempfile.TemporaryDirectory() as tmp:
        track = _speech_file(placements, length, Path(tmp) / "speech.f32")
        return track.read(0, length)


def _speech_file(placements: list[Placement], length: int, path: Path) -> Track:
    """All speech, mono at 48 kHz, in a scratch file: one speech file in memory at a time."""
    from avatar.audio.io import read_wav, resample

    track = Track(path, length, 1)
    for placement in placements:
        samples, rate = read_wav(placement.wav)
        samples = resample(samples, rate, SAMPLE_RATE)
        start = int(round(placement.start_s * SAMPLE_RATE))
        end = min(length, start + len(samples))
        if end > start:
            track.write(start, track.read(start, end) + samples[: end - start])
    return track


def looped(music: np.ndarray, length: int, offset: int = 0) -> np.ndarray:
    """``music`` (n, 2) repeated to cover samples ``offset`` to ``offset + length``."""
    if not len(music):
        return np.zeros((length, 2), np.float32)
    return music[np.arange(offset, offset + length) % len(music)]


def duck_gain(speech: np.ndarray, duck_db: float) -> np.ndarray:
    """Per-sample music gain (linear): 1 in silence, ``duck_db`` under speech."""
    curve = duck_curve(_control_rms([speech], len(speech)), duck_db)
    # A chunk at a time: the sample positions of a whole track in float64 would be 24
    # bytes a sample at once; each value is the same either way.
    gain = np.empty(len(speech), np.float32)
    for lo in range(0, len(speech), INTERP_CHUNK):
        hi = min(len(speech), lo + INTERP_CHUNK)
        gain[lo:hi] = _gain_at(curve, lo, hi)
    return gain


def _control_rms(chunks, length: int) -> np.ndarray:
    """RMS of each control-rate hop of a track given as consecutive chunks (multiples of
    the hop, the last one excepted), the last hop padded with silence."""
    hop = SAMPLE_RATE // CONTROL_RATE
    frames = length // hop + 1
    powers = []
    for chunk in chunks:
        padded = np.zeros(-(-len(chunk) // hop) * hop, np.float32)
        padded[: len(chunk)] = chunk
        powers.append((padded.reshape(-1, hop) ** 2).mean(axis=1))
    power = np.concatenate(powers) if powers else np.zeros(0, np.float32)
    power = np.concatenate([power, np.zeros(max(0, frames - len(power)), power.dtype)])[:frames]
    return np.sqrt(power + 1e-12)


def duck_curve(rms: np.ndarray, duck_db: float) -> np.ndarray:
    """The music gain at the control rate from the speech's RMS per control hop."""
    active = 20 * np.log10(rms) > SPEECH_GATE_DBFS
    active = _hold(active, int(HOLD_S * CONTROL_RATE))
    lead = int(ATTACK_S * CONTROL_RATE)
    active = np.concatenate([active[lead:], np.zeros(lead, bool)])  # look ahead
    target = np.where(active, duck_db, 0.0)
    smooth = _attack_release(target, ATTACK_S, RELEASE_S)
    return 10 ** (smooth / 20)


def _gain_at(curve: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """The per-sample gain of samples [lo, hi), interpolated from the control-rate curve."""
    hop = SAMPLE_RATE // CONTROL_RATE
    return np.interp(np.arange(lo, hi) / hop, np.arange(len(curve)), curve).astype(np.float32)


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


def fades(length: int, fade_in_s: float, fade_out_s: float, lo: int = 0,
          hi: int | None = None) -> np.ndarray:  # fmt: skip
    """A gain curve rising over the first ``fade_in_s`` and falling to 0 over the last
    (of a ``length``-sample track), for samples [lo, hi)."""
    hi = length if hi is None else hi
    gain = np.ones(hi - lo, np.float32)
    n_in = min(length, int(fade_in_s * SAMPLE_RATE))
    n_out = min(length, int(fade_out_s * SAMPLE_RATE))
    if n_in and lo < n_in:
        curve = np.linspace(0, 1, n_in, dtype=np.float32) ** 2
        gain[: min(hi, n_in) - lo] *= curve[lo : min(hi, n_in)]
    if n_out and hi > length - n_out:
        curve = np.linspace(1, 0, n_out, dtype=np.float32) ** 2
        first = max(lo, length - n_out)
        gain[first - lo :] *= curve[first - (length - n_out) : hi - (length - n_out)]
    return gain


def mix(
    placements: list[Placement],
    duration_s: float,
    music: np.ndarray | None,
    settings: MixSettings,
    click_at_s: float | None = None,
) -> np.ndarray:
    """The final stereo soundtrack, float32 (n, 2) at 48 kHz, ``duration_s`` long, in
    memory (for short tracks and tests; renders stream with :func:`mix_to_wav`).

    ``click_at_s`` adds a sync marker there (for tests): see :func:`_add_marker`.
    """
    with tempfile.TemporaryDirectory() as tmp:
        track = _mixed(placements, duration_s, music, settings, click_at_s, Path(tmp))
        return track.read(0, len(track))


def mix_to_wav(
    placements: list[Placement],
    duration_s: float,
    music: np.ndarray | None,
    settings: MixSettings,
    path: Path,
    click_at_s: float | None = None,
) -> dict:
    """:func:`mix` streamed into a 16-bit stereo WAV at ``path``; returns its measured
    loudness (``lufs``) and sample peak (``peak_dbfs``). Scratch files go beside ``path``."""
    with tempfile.TemporaryDirectory(dir=Path(path).parent, prefix=".mix-") as tmp:
        track = _mixed(placements, duration_s, music, settings, click_at_s, Path(tmp))
        return _write_track(path, track)


def _mixed(placements, duration_s, music, settings, click_at_s, tmp: Path) -> Track:
    """The normalised mix in a scratch file under TMP."""
    length = int(round(duration_s * SAMPLE_RATE))
    speech = _speech_file(placements, length, tmp / "speech.f32")
    if click_at_s is not None:
        start = int(round(click_at_s * SAMPLE_RATE))
        end = min(length, start + int(MARKER_S * SAMPLE_RATE))
        if end > start:
            part = speech.read(start, end)
            _add_marker(part, click_at_s - start / SAMPLE_RATE)
            speech.write(start, part)
    out = Track(tmp / "mix-0.f32", length, 2)
    curve = None
    if music is not None:
        hop = SAMPLE_RATE // CONTROL_RATE
        chunks = (speech.read(lo, hi) for lo, hi in speech.chunks(hop * (CHUNK // hop)))
        curve = duck_curve(_control_rms(chunks, length), settings.duck_db)
    for lo, hi in speech.chunks():
        voice = speech.read(lo, hi)
        stereo = np.repeat(voice[:, None], 2, axis=1)
        if curve is not None:
            stereo += _bed_part(music, curve, settings, length, lo, hi)
        out.write(lo, stereo)
    os.unlink(speech.path)  # not kept while the mix is normalised
    return _normalize_track(out, settings.loudness_lufs, settings.peak_dbfs)


def _bed_part(music, curve, settings: MixSettings, length: int, lo: int, hi: int):
    level_db = SPEECH_LUFS - BED_UNDER_SPEECH_LU - MUSIC_FILE_LUFS + settings.volume_db
    gain = 10 ** (level_db / 20) * _gain_at(curve, lo, hi)
    gain *= fades(length, settings.fade_in_s, settings.fade_out_s, lo, hi)
    return looped(music, hi - lo, lo) * gain[:, None]


def _normalize_track(track: Track, target_lufs: float, peak_dbfs: float) -> Track:
    """:func:`avatar.music.master.normalize` over a track file: gain to ``target_lufs``
    and the limiter, a chunk at a time (each chunk limited with enough of its
    neighbours that the result is the same as limiting the whole track at once)."""
    ceiling = 10 ** (peak_dbfs / 20)
    for n in range(MAX_PASSES):
        loudness = _track_lufs(track)
        if not np.isfinite(loudness) or abs(loudness - target_lufs) <= TOLERANCE_LU:
            break
        gain = np.float32(10 ** ((target_lufs - loudness) / 20))
        track = _limited(track, ceiling, track.path.with_name(f"mix-{n + 1}.f32"), gain)
    return _limited(track, ceiling, track.path.with_name("mix-final.f32"))


def _track_lufs(track: Track) -> float:
    channels = [track.channel(ch) for ch in range(track.channels)]
    return channels_lufs(channels, len(track), SAMPLE_RATE)


def _limited(track: Track, ceiling: float, path: Path, gain=None) -> Track:
    """A new track file: TRACK (times GAIN) through the limiter; TRACK's file is removed."""
    halo = 2 * max(1, int(LIMITER_WINDOW_S * SAMPLE_RATE)) + 2  # beyond the limiter's reach
    out = Track(path, len(track), track.channels)
    for lo, hi in track.chunks():
        a, b = max(0, lo - halo), min(len(track), hi + halo)
        part = track.read(a, b)
        if gain is not None:
            part = part * gain
        out.write(lo, limit(part, SAMPLE_RATE, ceiling)[lo - a : hi - a])
    os.unlink(track.path)
    return out


def _write_track(path: Path, track: Track) -> dict:
    """Write TRACK as a 16-bit WAV, a chunk at a time; return its loudness and peak."""
    import soundfile

    peak = 0.0
    with soundfile.SoundFile(str(path), "w", SAMPLE_RATE, track.channels, "PCM_16") as f:
        for lo, hi in track.chunks():
            part = track.read(lo, hi)
            peak = max(peak, float(np.abs(part).max()) if len(part) else 0.0)
            f.write(np.clip(part, -1, 1))
    return {"lufs": round(_track_lufs(track), 2),
            "peak_dbfs": round(20 * np.log10(max(peak, 1e-9)), 2)}  # fmt: skip


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
    """The music under ``speech`` (held in memory): looped, levelled, ducked and faded."""
    curve = duck_curve(_control_rms([speech], len(speech)), settings.duck_db)
    return _bed_part(music, curve, settings, len(speech), 0, len(speech))
