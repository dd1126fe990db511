"""Read, write and decode audio files.

Uploads are decoded by the static ffmpeg from ``imageio-ffmpeg`` (there is no
ffprobe): one cheap ``ffmpeg -i`` call reads the container header (is there an
audio stream, how long is it), then a second call decodes the first audio
stream to mono float32 at the requested rate on stdout.

Only audio-ish demuxers are allowed (``FORMAT_WHITELIST``) and only the
``file`` protocol, so a playlist or concat script renamed ``.mp3`` cannot make
ffmpeg open other files or URLs.

Damaged files: ffmpeg skips frames it cannot decode, so a truncated or partly
garbled file decodes to the audio that is still there and is accepted. It is
``audio_corrupt`` only when ffmpeg fails or almost nothing decodes although
the header promised more.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from avatar.errors import InvalidInput

FIELD = "audio"
MIN_SECONDS = 0.3
SILENT_PEAK_DBFS = -50.0
SILENT_RMS_DBFS = -65.0
# A file may run a little over the limit from encoder padding.
LENGTH_TOLERANCE_S = 0.5
PROBE_TIMEOUT_S = 30
DECODE_TIMEOUT_S = 300
FORMAT_WHITELIST = (
    "wav,w64,mp3,aac,mov,mp4,m4a,3gp,3g2,mj2,ogg,flac,matroska,webm,aiff,caf,amr,"
    "ac3,eac3,wv,ape,tta,au,asf"
)
ACCEPTED = "WAV, MP3, M4A/AAC, OGG/Opus or FLAC"

_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_AUDIO_STREAM = re.compile(r"Stream #\d+:\d+\S*: Audio:")


@dataclass(frozen=True)
class Probe:
    """What ffmpeg's header dump says about a file that has an audio stream.

    ``duration_s`` is ``None`` when the header gives no length or only an
    estimate from the bitrate (which can be far off for VBR MP3).
    """

    duration_s: float | None


def read_wav(path: Path | str) -> tuple[np.ndarray, int]:
    """Read a WAV (or any libsndfile format) as float32 mono.

    Args:
        path: the file to read.

    Returns:
        ``(samples, sample_rate)``; several channels are averaged to one.
    """
    import soundfile

    data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    return data.mean(axis=1).astype(np.float32), int(rate)


def write_wav(path: Path | str, samples: np.ndarray, rate: int) -> None:
    """Write float samples in [-1, 1] as a 16-bit PCM mono WAV (values clipped).

    Args:
        path: the file to write (replaced if it exists).
        samples: mono float samples.
        rate: sample rate in Hz.
    """
    import soundfile

    clipped = np.clip(np.asarray(samples, dtype=np.float32).reshape(-1), -1.0, 1.0)
    soundfile.write(str(path), clipped, int(rate), subtype="PCM_16", format="WAV")


def resample(samples: np.ndarray, rate: int, new_rate: int) -> np.ndarray:
    """Resample mono float samples from ``rate`` to ``new_rate`` (polyphase filter)."""
    from math import gcd

    from scipy.signal import resample_poly

    if rate == new_rate:
        return np.asarray(samples, dtype=np.float32)
    divisor = gcd(int(rate), int(new_rate))
    out = resample_poly(samples, new_rate // divisor, rate // divisor)
    return out.astype(np.float32)


def decode_audio(path: Path | str, rate: int = 22050, max_seconds: float = 600) -> np.ndarray:
    """Decode any audio file ffmpeg reads to float32 mono at ``rate``.

    Args:
        path: the uploaded file (WAV, MP3, M4A/AAC, OGG/Opus, FLAC, WebM ...).
        rate: output sample rate in Hz.
        max_seconds: longest recording accepted.

    Returns:
        float32 mono samples, nominally in [-1, 1] (lossy decoders may
        overshoot slightly; nothing is clipped before loudness normalisation).

    Raises:
        FileNotFoundError: ``path`` does not exist.
        InvalidInput: field ``"audio"``, code ``not_audio``, ``audio_too_long``,
            ``audio_corrupt``, ``audio_too_short`` or ``audio_silent``.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(path)
    if path.stat().st_size == 0:
        raise InvalidInput(FIELD, "The uploaded file is empty.", code="audio_corrupt")
    probe = probe_audio(path)
    if probe.duration_s is not None and probe.duration_s > max_seconds + LENGTH_TOLERANCE_S:
        raise _too_long(max_seconds, probe.duration_s)
    samples = _ffmpeg_decode(path, rate, max_seconds + 1)
    check_decoded(samples, rate, max_seconds, probe.duration_s)
    return samples


def probe_audio(path: Path) -> Probe:
    """Read the container header with ``ffmpeg -i`` (no decoding).

    Raises:
        InvalidInput: ``not_audio`` when ffmpeg recognises no audio stream.
    """
    result = _run(_ffmpeg_input(path), PROBE_TIMEOUT_S)
    header = result.stderr.decode("utf-8", "replace")
    if not _AUDIO_STREAM.search(header):
        raise InvalidInput(
            FIELD,
            f"This file is not a recording we can read. Upload {ACCEPTED} audio.",
            code="not_audio",
        )
    return Probe(duration_s=_header_duration(header))


def check_decoded(
    samples: np.ndarray, rate: int, max_seconds: float, header_s: float | None = None
) -> None:
    """Reject decoded audio that is too long, too short or silent.

    Raises:
        InvalidInput: ``audio_too_long``, ``audio_corrupt`` (almost nothing
            decoded although the header promised more), ``audio_too_short``
            or ``audio_silent``.
    """
    seconds = len(samples) / rate
    if seconds > max_seconds + LENGTH_TOLERANCE_S:
        raise _too_long(max_seconds, None)
    if seconds < MIN_SECONDS:
        if header_s is not None and header_s >= MIN_SECONDS:
            raise InvalidInput(
                FIELD, "The recording is damaged: almost none of it could be read.", "audio_corrupt"
            )
        raise InvalidInput(
            FIELD,
            f"The recording is {seconds:.2f} s long; it must last at least {MIN_SECONDS} s.",
            code="audio_too_short",
        )
    if _is_silent(samples):
        raise InvalidInput(
            FIELD, "The recording is silent: no sound could be heard in it.", "audio_silent"
        )


def format_duration(seconds: float) -> str:
    """``725.4`` -> ``"12 min 5 s"``; ``600`` -> ``"10 minutes"``; ``42`` -> ``"42 s"``."""
    whole = int(round(seconds))
    minutes, secs = divmod(whole, 60)
    if minutes and not secs:
        return f"{minutes} minute" + ("s" if minutes != 1 else "")
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def _too_long(max_seconds: float, seconds: float | None) -> InvalidInput:
    limit = format_duration(max_seconds)
    if seconds is None:
        message = f"The recording is longer than the limit of {limit}."
    else:
        message = f"The recording is {format_duration(seconds)} long; the limit is {limit}."
    return InvalidInput(FIELD, message, code="audio_too_long")


def _is_silent(samples: np.ndarray) -> bool:
    peak = float(np.max(np.abs(samples)))
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return peak < 10 ** (SILENT_PEAK_DBFS / 20) or rms < 10 ** (SILENT_RMS_DBFS / 20)


def _header_duration(header: str) -> float | None:
    match = _DURATION.search(header)
    if match is None or "Estimating duration from bitrate" in header:
        return None
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _ffmpeg_input(path: Path) -> list[str]:
    from avatar.encode import ffmpeg_exe

    return [
        ffmpeg_exe(), "-hide_banner", "-nostdin",
        "-protocol_whitelist", "file", "-format_whitelist", FORMAT_WHITELIST,
        "-i", f"file:{path.resolve()}",
    ]  # fmt: skip


def _ffmpeg_decode(path: Path, rate: int, seconds: float) -> np.ndarray:
    command = [
        *_ffmpeg_input(path), "-loglevel", "error", "-map", "0:a:0", "-vn", "-sn", "-dn",
        "-t", f"{seconds:.3f}", "-ac", "1", "-ar", str(int(rate)), "-f", "f32le", "pipe:1",
    ]  # fmt: skip
    result = _run(command, DECODE_TIMEOUT_S)
    if result.returncode != 0 or not result.stdout:
        raise InvalidInput(
            FIELD, "The recording is damaged and could not be decoded.", code="audio_corrupt"
        )
    usable = len(result.stdout) // 4 * 4
    return np.frombuffer(result.stdout[:usable], dtype="<f4").astype(np.float32)


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise InvalidInput(
            FIELD, "The recording took too long to decode; it may be damaged.", "audio_corrupt"
        ) from exc
