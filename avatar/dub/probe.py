"""Verify an uploaded video by decoding it, before anything is stored or queued.

The name and the declared type prove nothing: the file is opened with PyAV
(FFmpeg's libraries, shipped in its wheel), which must find a video stream and
an audio stream, a duration within the limit, and decode the first frames of
both. Each refusal is an `InvalidVideo` with a code and a sentence a customer
can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from avatar.audio.io import format_duration
from avatar.errors import AvatarError

CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2": "mp4", "matroska,webm": "webm"}
# Only these demuxers, and only local files: a playlist or concat script renamed
# .mp4 cannot make FFmpeg open other files or URLs.
OPEN_OPTIONS = {
    "format_whitelist": "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm",
    "protocol_whitelist": "file",
}


class InvalidVideo(AvatarError):
    """An upload that cannot be dubbed; ``code`` says why."""

    def __init__(self, code: str, message: str, field: str = "video") -> None:
        super().__init__(code, message, field=field)


@dataclass(frozen=True)
class VideoInfo:
    container: str  # "mp4" (MP4 and MOV) or "webm" (WebM and Matroska)
    duration_s: float
    width: int
    height: int
    fps: float
    video_codec: str
    audio_codec: str
    sample_rate: int
    channels: int


TRANSLATING = ("your plan translates videos of up to", "so there is no speech to translate")


def probe_video(
    path: Path | str, *, max_seconds: float, purpose: tuple[str, str] = TRANSLATING
) -> VideoInfo:
    """What PATH holds, or InvalidVideo: not_a_video, no_audio, corrupt, too_long.

    PURPOSE words the refusals for what the video is for: (whose limit MAX_SECONDS is,
    why a sound track is needed), e.g. TRANSLATING."""
    limit_is, sound_for = purpose
    import av

    try:
        container = av.open(str(path), options=OPEN_OPTIONS)
    except (av.error.InvalidDataError, av.error.FFmpegError, OSError):
        if _looks_like_video(path):  # an MP4 or WebM header, but the rest is missing
            raise InvalidVideo(
                "corrupt", "This video could not be read: it may be damaged or cut short."
            ) from None
        raise InvalidVideo(
            "not_a_video", "This file is not a video we can read: upload an MP4, MOV or WebM."
        ) from None
    with container:
        kind = CONTAINERS.get(container.format.name)
        video = next(iter(container.streams.video), None)
        if kind is None or video is None:
            raise InvalidVideo(
                "not_a_video", "This file is not a video we can read: upload an MP4, MOV or WebM."
            )
        audio = next(iter(container.streams.audio), None)
        if audio is None:
            raise InvalidVideo(
                "no_audio",
                f"This video has no sound track, {sound_for}.",
            )
        duration = _duration(container, video, audio)
        if duration <= 0:
            raise InvalidVideo("corrupt", "This video's length cannot be read: it may be damaged.")
        if duration > max_seconds:
            raise InvalidVideo(
                "too_long",
                f"This video is {format_duration(duration)} long; {limit_is} "
                f"{format_duration(max_seconds)}.",
            )
        rotation = _decode_first_frames(container, video, audio)
        width, height = display_size(video.codec_context.width, video.codec_context.height,
                                     rotation)  # fmt: skip
        return VideoInfo(
            container=kind,
            duration_s=round(duration, 3),
            width=width,
            height=height,
            fps=float(video.average_rate or video.guessed_rate or 0),
            video_codec=video.codec_context.name,
            audio_codec=audio.codec_context.name,
            sample_rate=audio.codec_context.sample_rate,
            channels=audio.codec_context.channels,
        )


def _looks_like_video(path) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(12)
    return head[4:8] == b"ftyp" or head[:4] == b"\x1a\x45\xdf\xa3"


def _duration(container, video, audio) -> float:
    if container.duration:
        return container.duration / 1_000_000  # av.time_base
    for stream in (video, audio):
        if stream.duration and stream.time_base:
            return float(stream.duration * stream.time_base)
    return 0.0


def upright(frame):
    """A decoded PyAV video frame as RGB (numpy), turned as its display matrix says, as
    players and ffmpeg show it: a phone's portrait video is stored sideways, with the
    turn to show it by."""
    import numpy as np

    rgb = frame.to_ndarray(format="rgb24")
    turns = round((frame.rotation or 0) / 90) % 4
    return np.ascontiguousarray(np.rot90(rgb, turns)) if turns else rgb


def display_size(width: int, height: int, rotation: float) -> tuple[int, int]:
    """The size a picture of WIDTH x HEIGHT is shown at, turned by ROTATION degrees."""
    return (height, width) if round((rotation or 0) / 90) % 2 else (width, height)


def _decode_first_frames(container, video, audio) -> float:
    """Check a frame of each stream decodes; the video frames' rotation (degrees)."""
    import av

    found = {"video": False, "audio": False}
    rotation = 0.0
    try:
        for frame in container.decode(video=0, audio=0):
            if isinstance(frame, av.VideoFrame) and not found["video"]:
                rotation = float(frame.rotation or 0)
            found["video" if isinstance(frame, av.VideoFrame) else "audio"] = True
            if all(found.values()):
                return rotation
    except (av.error.InvalidDataError, av.error.FFmpegError):
        pass
    raise InvalidVideo(
        "corrupt", "This video could not be decoded: it may be damaged or cut short."
    )
