"""Audio changes applied after an engine has spoken.

Engines without a pitch control (Piper, Festival's HTS voice, most Flite
voices) get their pitch moved here. The shift must keep the duration, so that
the engine's timings still hold: ffmpeg's ``rubberband`` filter changes pitch
at constant tempo (formants preserved, so the voice does not turn into a
chipmunk). The static ffmpeg from ``imageio-ffmpeg`` includes it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from avatar.errors import SpeechFailed

FFMPEG_TIMEOUT_S = 120


def ffmpeg_exe() -> str:
    """Path of the static ffmpeg bundled with ``imageio-ffmpeg``."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def shift_pitch(wav_path: Path, semitones: float) -> None:
    """Shift the pitch of a mono 16-bit WAV in place, keeping its length.

    Args:
        wav_path: the WAV file; it is rewritten at the same sample rate.
        semitones: shift, -12..12; 0 leaves the file untouched.

    Raises:
        SpeechFailed: ffmpeg failed.
    """
    if abs(semitones) < 1e-3:
        return
    wav_path = Path(wav_path)
    tmp = wav_path.with_name(wav_path.stem + ".pitch.wav")
    ratio = 2.0 ** (semitones / 12.0)
    command = [
        ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
        "-i", str(wav_path),
        "-af", f"rubberband=pitch={ratio:.6f}:formant=preserved:pitchq=quality",
        "-ac", "1", "-c:a", "pcm_s16le", str(tmp),
    ]  # fmt: skip
    try:
        proc = subprocess.run(command, capture_output=True, timeout=FFMPEG_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        tmp.unlink(missing_ok=True)
        raise SpeechFailed("the pitch shift timed out") from None
    if proc.returncode != 0 or not tmp.exists():
        tmp.unlink(missing_ok=True)
        tail = proc.stderr.decode("utf-8", "replace")[-300:]
        raise SpeechFailed(f"the pitch shift failed: {tail}")
    tmp.replace(wav_path)
