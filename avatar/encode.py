"""Encode stage: stream RGB frames and a WAV into an H.264/AAC MP4 with ffmpeg.

Frames go to ffmpeg's stdin as raw RGB, so a video is never held in memory.
The MP4 is written under a temporary name next to ``out_path`` and renamed
onto it only when ffmpeg succeeded, so readers never see a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from avatar.errors import EncodeFailed

STDERR_TAIL_CHARS = 2000


@dataclass(frozen=True)
class EncodeSettings:
    """Output video parameters."""

    width: int
    height: int
    fps: int
    preset: str = "veryfast"
    crf: int = 23
    audio_bitrate: str = "128k"


def ffmpeg_exe() -> str:
    """Path of the static ffmpeg shipped by ``imageio-ffmpeg``."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def ffmpeg_command(settings: EncodeSettings, audio_wav: Path, out_file: Path) -> list[str]:
    """The ffmpeg command line that reads raw RGB frames from stdin.

    There is no ``-shortest``: it is frame-granular and was measured cutting
    the last frame early. The caller sizes the frame count from the audio, so
    both streams end within one frame of each other.
    """
    s = settings
    return [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{s.width}x{s.height}",
        "-framerate", str(s.fps), "-i", "pipe:0",
        "-i", str(audio_wav),
        "-map", "0:v:0", "-map", "1:a:0",
        "-c:v", "libx264", "-preset", s.preset, "-crf", str(s.crf), "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", s.audio_bitrate,
        "-movflags", "+faststart", "-f", "mp4", str(out_file),
    ]  # fmt: skip


def encode(
    frames: Iterable[np.ndarray], audio_wav: Path, out_path: Path, settings: EncodeSettings
) -> Path:
    """Encode stage: write ``frames`` (RGB uint8, settings' size) and ``audio_wav`` to MP4.

    Returns:
        ``out_path``, replaced atomically.

    Raises:
        EncodeFailed: ffmpeg failed (``code="encode_failed"``, with its stderr tail)
            or a frame had the wrong shape.
    """
    out_path = Path(out_path)
    part = out_path.with_name(f".{out_path.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        with tempfile.TemporaryFile() as stderr:
            _run_ffmpeg(frames, ffmpeg_command(settings, audio_wav, part), settings, stderr)
        os.replace(part, out_path)
    finally:
        part.unlink(missing_ok=True)
    return out_path


def _run_ffmpeg(
    frames: Iterable[np.ndarray], command: list[str], settings: EncodeSettings, stderr: IO[bytes]
) -> None:
    proc = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=stderr
    )
    try:
        _feed(proc, frames, (settings.height, settings.width, 3))
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    if proc.wait() != 0:
        stderr.seek(0)
        tail = stderr.read().decode("utf-8", "replace")[-STDERR_TAIL_CHARS:]
        raise EncodeFailed(f"ffmpeg exited with status {proc.returncode}: {tail}", tail)


def _feed(proc: subprocess.Popen[bytes], frames: Iterable[np.ndarray], shape: tuple) -> None:
    """Write every frame to ffmpeg's stdin, then close it."""
    assert proc.stdin is not None
    try:
        for index, frame in enumerate(frames):
            if frame.shape != shape or frame.dtype != np.uint8:
                raise EncodeFailed(
                    f"frame {index} is {frame.shape} {frame.dtype}, expected {shape} uint8"
                )
            proc.stdin.write(np.ascontiguousarray(frame).data)
    except BrokenPipeError:
        pass  # ffmpeg stopped reading; its exit status and stderr say why
    finally:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
