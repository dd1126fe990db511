"""Video clips as media or backdrops: decoded by ffmpeg straight to YUV 4:2:0 at size.

ffmpeg scales, crops (or letterboxes over a blurred copy), resamples to the
output frame rate and loops the clip in its own process, so the compositor
just reads ready-made planes from a pipe.
"""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

import numpy as np

from avatar.compose.yuv import Planes
from avatar.errors import InvalidInput


def _filter(w: int, h: int, fps: int, fit: str, colours: str = "") -> str:
    """The filter graph; COLOURS (:func:`_to_bt709`) converts the source's colours."""
    if fit == "contain":
        sw, sh = max(2, w // 8 // 2 * 2), max(2, h // 8 // 2 * 2)
        # boxblur wants a radius under half of each plane's side (the chroma planes are
        # half the size): a blur of 3 failed every area under 112 px a side.
        radius = min(3, (min(sw, sh) - 1) // 4)
        blur = f"boxblur={radius}," if radius else ""
        return (
            f"fps={fps},{colours}split[a][b];"
            f"[a]scale={sw}:{sh}:force_original_aspect_ratio=increase,crop={sw}:{sh},"
            f"{blur}scale={w}:{h},eq=brightness=-0.2[bg];"
            f"[b]scale={w}:{h}:force_original_aspect_ratio=decrease[fg];"
            f"[bg][fg]overlay=(W-w)/2:(H-h)/2,format=yuv420p"
        )
    return (
        f"fps={fps},{colours}scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h},"
        "format=yuv420p"
    )


# FFmpeg's AVColorSpace values whose YUV is not BT.709's, and swscale's name for each.
_MATRICES = {4: "fcc", 5: "bt601", 6: "bt601", 7: "smpte240m", 9: "bt2020", 10: "bt2020"}
_UNSPECIFIED, _FULL_RANGE = 2, 2
SD_HEIGHT = 720  # an untagged clip under this is taken as BT.601, as players take it


def _to_bt709(path: Path) -> str:
    """A filter that converts PATH's frames to BT.709 limited range, the compositor's
    colours, or "" where they are that already. Passed through as they were, a BT.601
    clip (SD, many screen recordings) came out 11 levels off in its reds, and a
    full-range one washed out. Untagged clips are BT.601 under 720 lines, else BT.709."""
    import av

    try:
        with av.open(str(path)) as container:
            codec = container.streams.video[0].codec_context
            space, full, height = codec.colorspace, codec.color_range, codec.height
    except (av.error.FFmpegError, IndexError, OSError):
        return ""  # the decoder says what is wrong with it
    matrix = _MATRICES.get(space)
    if matrix is None and space == _UNSPECIFIED and height < SD_HEIGHT:
        matrix = "bt601"
    if matrix is None and full != _FULL_RANGE:
        return ""
    source = f"in_color_matrix={matrix}:" if matrix else ""
    source += "in_range=pc:" if full == _FULL_RANGE else ""
    return f"scale={source}out_color_matrix=bt709:out_range=tv,"


class VideoSource:
    """Frames of a looping clip at (w, h) and ``fps``; ``next()`` gives the next one."""

    def __init__(self, path: Path, w: int, h: int, fps: int, fit: str, field: str) -> None:
        from avatar.encode import ffmpeg_exe

        self.w, self.h = w, h
        self.size = w * h * 3 // 2
        command = [
            ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-stream_loop", "-1",
            "-i", str(path), "-an", "-sn", "-filter_complex",
            _filter(w, h, fps, fit, _to_bt709(Path(path))),
            "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1",
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.last: Planes | None = None
        if self.next() is None:
            error = self.proc.stderr.read().decode("utf-8", "replace")[-300:]
            self.close()
            raise InvalidInput(field, f"cannot read video {Path(path).name}: {error.strip()}")

    def next(self) -> Planes | None:
        """The next frame (the last one again if the clip ended)."""
        data = self.proc.stdout.read(self.size)
        if len(data) == self.size:
            buf = np.frombuffer(data, np.uint8)
            n = self.w * self.h
            self.last = Planes(
                buf[:n].reshape(self.h, self.w),
                buf[n : n + n // 4].reshape(self.h // 2, self.w // 2),
                buf[n + n // 4 :].reshape(self.h // 2, self.w // 2),
            )
        return self.last

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(OSError):
            self.proc.stdout.close()
            self.proc.stderr.close()
        self.proc.wait()
