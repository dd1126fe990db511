"""A video clip (a backdrop or media) reaches the compositor in its colours: BT.709,
limited range, whatever the clip was recorded in."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from avatar.compose import yuv
from avatar.compose.video import VideoSource
from avatar.encode import ffmpeg_exe

RED_709 = yuv.yuv_color((255, 0, 0))  # 63/102/240; BT.601's red is 81/90/240


def red_clip(path: Path, size: str, *options: str, vf: str = "format=yuv420p") -> Path:
    """One second of pure red, encoded in the colours OPTIONS say."""
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "lavfi",
         "-i", f"color=c=red:size={size}:rate=15:duration=1", "-vf", vf,
         "-c:v", "libx264", "-crf", "5", *options, "-y", str(path)],
        check=True,
    )  # fmt: skip
    return path


def middle_of_first_frame(path: Path, fit: str) -> np.ndarray:
    """Mean Y, U, V of the middle of the first frame (fitted whole, a clip is letterboxed
    over a darkened blur of itself)."""
    source = VideoSource(path, 320, 192, 15, fit, "media")
    try:
        planes = source.next()
    finally:
        source.close()
    return np.array([planes.y[80:112, 120:200].mean(), planes.u[40:56, 60:100].mean(),
                     planes.v[40:56, 60:100].mean()])  # fmt: skip


BT601 = ["-colorspace", "smpte170m", "-color_primaries", "smpte170m", "-color_trc", "smpte170m"]
BT709 = ["-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"]


@pytest.mark.parametrize(
    ("name", "size", "options", "vf"),
    [
        ("bt601", "320x180", BT601, "format=yuv420p"),
        ("untagged_sd", "320x180", [], "format=yuv420p"),  # taken as BT.601, as players do
        ("bt709", "1280x720", BT709, "format=yuv420p"),
        ("full_range", "1280x720", [*BT709, "-color_range", "pc"],
         "scale=out_range=pc:out_color_matrix=bt709,format=yuv420p"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("fit", ["cover", "contain"])
def test_a_clip_comes_out_in_bt709_limited_range(tmp_path, name, size, options, vf, fit):
    clip = red_clip(tmp_path / f"{name}.mp4", size, *options, vf=vf)
    got = middle_of_first_frame(clip, fit)
    # Passed through, a BT.601 red read 81/90/240, a full-range one 54/98/254.
    assert np.abs(got - RED_709).max() <= 2.5, (name, got.round(1).tolist())


@pytest.mark.parametrize(("w", "h"), [(96, 64), (110, 200), (32, 18), (2, 2), (320, 192)])
def test_a_clip_fits_whole_into_a_small_area(tmp_path, w, h):
    """The blurred copy behind a clip fitted whole is an eighth of the area: its blur
    shrinks with it (a radius of 3 made ffmpeg refuse every area under 112 px a side)."""
    clip = red_clip(tmp_path / "clip.mp4", "320x180", *BT709)
    source = VideoSource(clip, w, h, 15, "contain", "media")
    try:
        planes = source.next()
    finally:
        source.close()
    assert planes.y.shape == (h, w) and planes.u.shape == (h // 2, w // 2)
    assert abs(float(planes.v[h // 4, w // 4]) - RED_709[2]) <= 12  # the clip, in the middle
