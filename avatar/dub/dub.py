"""The new voice, fitted to the original's timing and mixed over the original sound.

Each translated line is spoken by the chosen voice and placed where the
original line started. A line longer than its slot first takes the pause
after it (up to the next line, less `GAP_S`); if that is not enough it is
spoken faster, at most `MAX_SPEEDUP` (1.2x, which still sounds natural): by
the voice's own rate first, then, for what the engine fell short of, by
FFmpeg's `atempo` (pitch kept); only then does it run on, and later lines move
back to keep their order. Lines are never slowed down. `DubResult` says how many lines
were stretched or ran on.

The original track stays under the new voice, turned down by `DUCK_DB`
wherever either voice speaks (the original's speech is in its segments), with
short ramps, so music and effects carry on. No source-separation model ships
in a package, so the original voice is ducked, not removed. Where the original
holds nothing but the voice (its floor, `bed_level_db`, is under `QUIET_BED_DB`:
no music, no room sound worth keeping), it is muted there instead, so that no
faint original speech is heard in the new voice's pauses.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from avatar.errors import AvatarError

RATE = 44100
GAP_S = 0.08
MAX_SPEEDUP = 1.2
DUCK_DB = -24.0  # deep enough that the original voice does not compete with the new one
RAMP_S = 0.12
QUIET_BED_DB = -50.0  # an original whose floor is below this has only the voice to duck
VOICE_LUFS = -16.0


@dataclass(frozen=True)
class Line:
    start: float
    end: float
    text: str
    voice: str | None = None  # this line's speaker's voice, when not the track's


@dataclass(frozen=True)
class Placed:
    start: float
    end: float
    speed: float  # 1.0, or the atempo factor applied
    overrun_s: float  # how far past its slot the line still runs
    cut_s: float = 0.0  # how much of it fell past the end of the video (not heard)


@dataclass
class DubResult:
    wav: Path
    duration_s: float
    placed: list[Placed] = field(default_factory=list)

    @property
    def stretched(self) -> int:
        return sum(p.speed > 1.001 for p in self.placed)

    @property
    def overran(self) -> int:
        return sum(p.overrun_s > 0.01 for p in self.placed)

    @property
    def cut(self) -> int:
        return sum(p.cut_s > 0.01 for p in self.placed)

    def report(self) -> dict:
        return {
            "lines": len(self.placed),
            "stretched": self.stretched,
            "ran_on": self.overran,
            "cut": self.cut,
            "max_speed": round(max((p.speed for p in self.placed), default=1.0), 3),
            "speed_limit": MAX_SPEEDUP,
        }


def dub_track(
    lines: list[Line],
    voice_id: str,
    original: np.ndarray,
    out_wav: Path,
    *,
    speech_spans: list[tuple[float, float]] = (),
    glossary: dict[str, str] | None = None,
    voice_out: Path | None = None,
    progress=lambda fraction: None,
) -> DubResult:
    """Speak LINES with VOICE_ID over ORIGINAL (mono float32 at RATE) into OUT_WAV.

    SPEECH_SPANS are the original's speech (start, end) in seconds, ducked too
    where the new voice is silent. The result lasts exactly as long as ORIGINAL.
    VOICE_OUT, if given, gets the new voice alone (for lip-sync).
    """
    from avatar.audio.loudness import limit_peaks

    duration = len(original) / RATE
    voice = np.zeros(len(original), dtype=np.float32)
    placed: list[Placed] = []
    cursor = 0.0
    with tempfile.TemporaryDirectory(prefix="dub-") as tmp:
        for index, line in enumerate(lines):
            if not line.text.strip():
                continue
            start = max(line.start, cursor)
            following = lines[index + 1].start if index + 1 < len(lines) else duration
            slot = max(0.2, min(following, duration) - start - GAP_S)
            speaker = line.voice or voice_id
            spoken = _speak(line.text, speaker, Path(tmp) / f"{index}.wav", glossary)
            natural = len(spoken)
            speed = min(MAX_SPEEDUP, max(1.0, (natural / RATE) / slot))
            if speed > 1.001:  # the voice's own faster delivery first: it sounds more natural
                plain = spoken
                spoken = _speak(line.text, speaker, Path(tmp) / f"{index}-r.wav", glossary, speed)
                rest = min(len(spoken) / RATE / slot, MAX_SPEEDUP * len(spoken) / natural)
                if natural / len(spoken) > MAX_SPEEDUP:  # the engine overshot: stretch instead
                    spoken = _atempo(plain, speed, Path(tmp) / f"{index}-fast.wav")
                elif rest > 1.001:  # the engine fell short of the rate: time-stretch the rest
                    spoken = _atempo(spoken, rest, Path(tmp) / f"{index}-fast.wav")
                shortest = int(np.ceil(natural / MAX_SPEEDUP))
                if len(spoken) < shortest:  # atempo's fragments may land a few ms short
                    spoken = np.concatenate([spoken, np.zeros(shortest - len(spoken), np.float32)])
                speed = natural / len(spoken)
            begin = min(len(voice), int(round(start * RATE)))
            end = min(len(voice), begin + len(spoken))
            voice[begin:end] += spoken[: end - begin]  # what runs past the picture's end is cut
            finish = start + len(spoken) / RATE
            placed.append(Placed(round(start, 3), round(finish, 3), round(speed, 3),
                                 round(max(0.0, finish - (start + slot)), 3),
                                 round(max(0.0, finish - max(start, duration)), 3)))  # fmt: skip
            cursor = finish + GAP_S
            progress((index + 1) / len(lines))
    if voice_out is not None:
        _write(voice_out, voice)
    spans = [(p.start, p.end) for p in placed] + list(speech_spans)
    depth = DUCK_DB if bed_level_db(original) > QUIET_BED_DB else None  # None: muted
    mixed = original * duck_gain(len(original), spans, depth) + voice
    _write(out_wav, limit_peaks(mixed, RATE, 10 ** (-1 / 20)))
    return DubResult(wav=out_wav, duration_s=round(duration, 3), placed=placed)


def bed_level_db(original: np.ndarray, window_s: float = 0.05, percentile: float = 5) -> float:
    """The original's floor in dBFS: a low percentile of its loudness in short windows.

    Music, effects or room sound hold it up through the speaker's pauses; a voice
    alone (a presenter recorded clean, a synthetic voice) drops to silence there.
    """
    size = max(1, int(window_s * RATE))
    count = len(original) // size
    if count == 0:
        return -120.0
    frames = np.asarray(original[: count * size], dtype=np.float64).reshape(count, size)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    return float(20 * np.log10(max(np.percentile(rms, percentile), 1e-6)))


def duck_gain(
    length: int, spans: list[tuple[float, float]], depth_db: float | None = DUCK_DB
) -> np.ndarray:
    """A gain curve: 1 outside SPANS, DEPTH_DB inside (None: silence), with RAMP_S ramps
    either side."""
    from scipy.ndimage import uniform_filter1d

    inside = np.zeros(length, dtype=np.float32)
    pad = RAMP_S / 2
    for start, end in spans:
        a, b = int(max(0.0, start - pad) * RATE), int(min(length / RATE, end + pad) * RATE)
        inside[a:b] = 1.0
    inside = uniform_filter1d(inside, size=max(1, int(RAMP_S * RATE)), mode="nearest")
    floor = 0.0 if depth_db is None else 10 ** (depth_db / 20)
    return (1.0 - (1.0 - floor) * np.clip(inside, 0.0, 1.0)).astype(np.float32)


def _speak(text: str, voice_id: str, path: Path, glossary, rate: float = 1.0) -> np.ndarray:
    from avatar.audio.io import read_wav, resample
    from avatar.audio.loudness import normalize_loudness
    from avatar.voices import synthesize

    result = synthesize(text, voice_id, path, glossary=glossary, rate=round(rate, 3))
    samples, rate = read_wav(result.wav)
    samples = _trim(resample(samples, rate, RATE))
    return normalize_loudness(samples, RATE, VOICE_LUFS)


def _trim(samples: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    """Drop the voice engine's leading and trailing silence (it would eat the slot)."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if len(loud) == 0:
        return samples
    margin = int(0.03 * RATE)
    return samples[max(0, loud[0] - margin) : loud[-1] + margin]


def _atempo(samples: np.ndarray, speed: float, path: Path) -> np.ndarray:
    """SAMPLES played SPEED times faster at the same pitch (FFmpeg atempo, WSOLA)."""
    from avatar.audio.io import read_wav
    from avatar.encode import ffmpeg_exe

    source = path.with_suffix(".in.wav")
    _write(source, samples)
    result = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(source),
         "-filter:a", f"atempo={speed:.4f}", str(path)],
        capture_output=True, timeout=120,
    )  # fmt: skip
    if result.returncode != 0:
        raise AvatarError("dub_failed", "The dubbed voice could not be fitted to the timing.")
    faster, _ = read_wav(path)
    return faster


def _write(path: Path, samples: np.ndarray) -> None:
    from avatar.audio.io import write_wav

    write_wav(path, samples, RATE)


def mux(video: Path, audio_wav: Path, out_mp4: Path) -> Path:
    """The original picture with the new sound: video copied when it is H.264, else re-encoded."""
    from avatar.encode import ffmpeg_exe

    def run(video_codec: list[str]) -> subprocess.CompletedProcess:
        return subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
             "-i", str(video), "-i", str(audio_wav), "-map", "0:v:0", "-map", "1:a:0",
             *video_codec, "-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart",
             "-shortest", str(out_mp4)],
            capture_output=True, timeout=3600,
        )  # fmt: skip

    result = run(["-c:v", "copy"])
    if result.returncode != 0:  # VP8/VP9 from a WebM cannot go into an MP4 as it is
        result = run(["-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast"])
    if result.returncode != 0:
        raise AvatarError("encode_failed", "The dubbed video could not be written.")
    return out_mp4
