"""Encode stage: stream raw frames and a WAV into an H.264/AAC MP4 with ffmpeg.

Frames go to ffmpeg's stdin raw, so a video is never held in memory: RGB
(``rgb24``, the walking skeleton) or ready-made YUV 4:2:0 (``yuv420p``, what
:mod:`avatar.render` composites in, which spares ffmpeg the colour
conversion). A writer thread feeds the pipe, so composing the next frame
overlaps with ffmpeg reading the last one. The output is H.264 (libx264,
yuv420p, BT.709 tags) with AAC audio and ``+faststart`` (the index first, so
players can start before the download ends).

The MP4 is written under a temporary name next to ``out_path`` and renamed
onto it only when ffmpeg succeeded, so readers never see a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import tempfile
import threading
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
    input_pix_fmt: str = "rgb24"  # or "yuv420p": 1-D buffers of width*height*3/2 bytes

    @property
    def frame_shape(self) -> tuple[int, ...]:
        if self.input_pix_fmt == "yuv420p":
            return (self.width * self.height * 3 // 2,)
        return (self.height, self.width, 3)


def ffmpeg_exe() -> str:
    """Path of the static ffmpeg shipped by ``imageio-ffmpeg``."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def ffmpeg_command(settings: EncodeSettings, audio_wav: Path | None, out_file: Path) -> list[str]:
    """The ffmpeg command line that reads raw frames from stdin (and the WAV, if any).

    There is no ``-shortest``: it is frame-granular and was measured cutting
    the last frame early. The caller sizes the frame count from the audio, so
    both streams end within one frame of each other.
    """
    s = settings
    command = _raw_input(s)
    if audio_wav is not None:
        command += ["-i", str(audio_wav), "-map", "0:v:0", "-map", "1:a:0"]
    command += _x264(s)
    if audio_wav is not None:
        command += ["-c:a", "aac", "-b:a", s.audio_bitrate]
    return command + ["-movflags", "+faststart", "-f", "mp4", str(out_file)]


def _ffmpeg() -> list[str]:
    """ffmpeg, quiet but for errors, overwriting its output."""
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]


def _raw_input(s: EncodeSettings) -> list[str]:
    # YUV frames say what they are (BT.709, limited range). Untagged, they were read as
    # BT.601 and, the output being tagged BT.709, converted through RGB by a scaler
    # ffmpeg put in on its own: a colour shift (pure red 63/102/240 came out 58/105/229)
    # and a quarter of the encoder's CPU time (7.9 against 6.0 CPU-seconds, measured on
    # the 30 s example's frames). RGB frames are converted to BT.709 by that scaler.
    tags = list(COLOUR_TAGS) if s.input_pix_fmt == "yuv420p" else []
    return [
        *_ffmpeg(), "-f", "rawvideo", "-pix_fmt", s.input_pix_fmt, "-s", f"{s.width}x{s.height}",
        "-framerate", str(s.fps), *tags, "-i", "pipe:0",
    ]  # fmt: skip


def _x264(s: EncodeSettings) -> list[str]:
    return [
        "-c:v", "libx264", "-preset", s.preset, "-crf", str(s.crf), "-pix_fmt", "yuv420p",
        *COLOUR_TAGS,
    ]  # fmt: skip


# Frames composited by avatar.render are BT.709, limited range; say so in the stream.
COLOUR_TAGS = (
    "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
    "-color_range", "tv",
)  # fmt: skip


def encode(
    frames: Iterable[np.ndarray], audio_wav: Path | None, out_path: Path, settings: EncodeSettings
) -> Path:
    """Encode stage: write ``frames`` (``settings.frame_shape`` uint8) and ``audio_wav`` to MP4.

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
        _feed(proc, frames, settings.frame_shape)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    if proc.wait() != 0:
        stderr.seek(0)
        raise _failed(proc.returncode, stderr.read(), "ffmpeg")


def _failed(returncode: int, stderr: bytes, what: str) -> EncodeFailed:
    tail = stderr.decode("utf-8", "replace")[-STDERR_TAIL_CHARS:]
    if returncode < 0:  # stopped from outside (the OOM killer, an operator)
        return EncodeFailed(
            f"The video encoder was stopped (signal {-returncode}) before it "
            "finished; the render is tried again.",
            tail,
            retryable=True,
        )
    return EncodeFailed(f"{what} exited with status {returncode}: {tail}", tail)


QUEUE_FRAMES = 6
_END = None


def _feed(proc: subprocess.Popen[bytes], frames: Iterable[np.ndarray], shape: tuple) -> None:
    """Check every frame and hand it to a writer thread; close stdin at the end.

    Frames must not be modified after they are yielded (they are written later).
    """
    if proc.stdin is None:
        raise ValueError("the encoder must be started with stdin=PIPE")
    pending: queue.Queue = queue.Queue(maxsize=QUEUE_FRAMES)
    writer = _Writer(proc.stdin, pending)
    writer.start()
    try:
        for index, frame in enumerate(frames):
            if frame.shape != shape or frame.dtype != np.uint8:
                raise EncodeFailed(
                    f"frame {index} is {frame.shape} {frame.dtype}, expected {shape} uint8"
                )
            if writer.broken:
                break  # ffmpeg stopped reading; its exit status and stderr say why
            pending.put(np.ascontiguousarray(frame))
    finally:
        writer.finish(pending)


class _Writer(threading.Thread):
    """Writes queued frames to ffmpeg's stdin, so composing and piping overlap."""

    def __init__(self, stdin: IO[bytes], pending: queue.Queue) -> None:
        super().__init__(name="ffmpeg-writer", daemon=True)
        self.stdin = stdin
        self.pending = pending
        self.broken = False

    def run(self) -> None:
        while (frame := self.pending.get()) is not _END:
            if self.broken:
                continue  # drain, so the producer never blocks on a dead pipe
            try:
                self.stdin.write(frame.data)
            except (BrokenPipeError, ValueError, OSError):
                self.broken = True

    def finish(self, pending: queue.Queue) -> None:
        pending.put(_END)
        self.join()
        with contextlib.suppress(BrokenPipeError, OSError):
            self.stdin.close()


def encode_chunks(
    frames: Iterable[np.ndarray], counts: list[int], folder: Path, settings: EncodeSettings
) -> list[Path]:
    """Encode ``frames`` as consecutive video-only MPEG-TS chunks of ``counts`` frames.

    Every chunk starts on an IDR frame with its parameter sets in band, so chunks
    from different runs of the same settings join with a stream copy (:func:`join`).
    One ffmpeg encodes them all; its ``segment`` muxer cuts the stream.

    Raises:
        EncodeFailed: ffmpeg failed, or did not cut the stream where asked.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"run-{uuid.uuid4().hex[:8]}-"
    cuts = [sum(counts[: i + 1]) for i in range(len(counts) - 1)]
    command = _raw_input(settings) + _x264(settings)
    if cuts:
        keys = "+".join(f"eq(n,{cut})" for cut in cuts)
        command += [
            "-force_key_frames", f"expr:{keys}", "-forced-idr", "1",
            "-f", "segment", "-segment_frames", ",".join(map(str, cuts)),
            "-segment_format", "mpegts", "-reset_timestamps", "1",
            str(folder / f"{stem}%04d.ts"),
        ]  # fmt: skip
    else:
        command += ["-f", "mpegts", str(folder / f"{stem}0000.ts")]
    with tempfile.TemporaryFile() as stderr:
        _run_ffmpeg(frames, command, settings, stderr)
    paths = [folder / f"{stem}{i:04d}.ts" for i in range(len(counts))]
    made = sorted(folder.glob(f"{stem}*.ts"))
    if made != paths:
        for path in made:
            path.unlink(missing_ok=True)
        raise EncodeFailed(f"the encoder cut {len(made)} chunks where {len(paths)} were asked")
    return paths


class AudioEncode:
    """The AAC encode of a WAV, started at once in its own ffmpeg (so that it runs
    while frames are drawn); :meth:`result` waits for it."""

    def __init__(self, audio_wav: Path, out_path: Path, settings: EncodeSettings) -> None:
        self.out = Path(out_path)
        command = [
            *_ffmpeg(), "-i", str(audio_wav), "-c:a", "aac", "-b:a", settings.audio_bitrate,
            "-f", "mp4", str(self.out),
        ]  # fmt: skip
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr
        )

    def result(self) -> Path:
        try:
            if self.proc.wait() != 0:
                self._stderr.seek(0)
                raise _failed(self.proc.returncode, self._stderr.read(), "the audio encode")
        finally:
            self._stderr.close()
        return self.out

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._stderr.close()


def join(chunks: list[Path], audio: Path | None, out_path: Path) -> Path:
    """Join encoded chunks (:func:`encode_chunks`) and encoded audio (:class:`AudioEncode`)
    into an MP4, copying both as they are. ``out_path`` is replaced atomically."""
    out_path = Path(out_path)
    part = out_path.with_name(f".{out_path.name}.{uuid.uuid4().hex[:8]}.part")
    listing = out_path.with_name(f".{out_path.name}.{uuid.uuid4().hex[:8]}.txt")
    listing.write_text("".join(f"file '{_concat_path(p)}'\n" for p in chunks))
    command = [*_ffmpeg(), "-f", "concat", "-safe", "0", "-i", str(listing)]
    if audio is not None:
        command += ["-i", str(audio), "-map", "0:v:0", "-map", "1:a:0", "-c:a", "copy"]
    command += ["-c:v", "copy", *COLOUR_TAGS, "-movflags", "+faststart", "-f", "mp4", str(part)]
    try:
        done = subprocess.run(command, capture_output=True, check=False)
        if done.returncode != 0:
            raise _failed(done.returncode, done.stderr, "joining the video's chunks")
        os.replace(part, out_path)
    finally:
        part.unlink(missing_ok=True)
        listing.unlink(missing_ok=True)
    return out_path


def _concat_path(path: Path) -> str:
    """A path as ffmpeg's concat list quotes it."""
    return str(Path(path).resolve()).replace("'", "'\\''")
