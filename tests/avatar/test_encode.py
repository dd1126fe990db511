"""The encoder keeps the compositor's colours: its BT.709 limited-range YUV frames come
out of the MP4 (and out of cached chunks) as they went in, not converted as BT.601."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

from avatar.compose import yuv
from avatar.encode import EncodeSettings, encode, encode_chunks, join

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
SIZE = 64
# Saturated colours are where BT.601 and BT.709 differ most; skin and grey for the rest.
COLOURS = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (224, 172, 140), (128, 128, 128)]


def frames_of(colours) -> list[np.ndarray]:
    return [yuv.Frame(SIZE, SIZE).fill(c).buf.copy() for c in colours]


def decoded_yuv(path: Path) -> np.ndarray:
    """Each frame's mean (Y, U, V) as the MP4 decodes."""
    raw = subprocess.run(
        [FFMPEG, "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    n = SIZE * SIZE
    frames = np.frombuffer(raw, np.uint8).reshape(-1, n * 3 // 2)
    planes = (frames[:, :n], frames[:, n : n + n // 4], frames[:, n + n // 4 :])
    return np.stack([p.mean(axis=1) for p in planes], axis=1)


def expected() -> np.ndarray:
    return np.array([yuv.yuv_color(c) for c in COLOURS], dtype=np.float64)


SETTINGS = EncodeSettings(SIZE, SIZE, 5, crf=12, input_pix_fmt="yuv420p")


def test_encoded_colours_are_the_composited_ones(tmp_path):
    out = encode(iter(frames_of(COLOURS)), None, tmp_path / "colours.mp4", SETTINGS)
    got = decoded_yuv(out)
    assert got.shape == (len(COLOURS), 3)
    # Read as BT.601, pure red came out 58/105/229 instead of 63/102/240.
    assert np.abs(got - expected()).max() <= 1.5, got.round(1).tolist()


def test_chunked_colours_are_the_composited_ones(tmp_path):
    made = encode_chunks(iter(frames_of(COLOURS * 2)), [4, 6], tmp_path / "chunks", SETTINGS)
    got = decoded_yuv(join(made, None, tmp_path / "joined.mp4"))
    assert got.shape == (2 * len(COLOURS), 3)
    assert np.abs(got - np.tile(expected(), (2, 1))).max() <= 1.5, got.round(1).tolist()


@pytest.mark.parametrize("pix_fmt", ["rgb24"])
def test_rgb_frames_are_converted_to_bt709(tmp_path, pix_fmt):
    """The walking skeleton's RGB frames: ffmpeg converts them, to BT.709 as tagged."""
    settings = EncodeSettings(SIZE, SIZE, 5, crf=12, input_pix_fmt=pix_fmt)
    rgb = [np.full((SIZE, SIZE, 3), c, np.uint8) for c in COLOURS]
    got = decoded_yuv(encode(iter(rgb), None, tmp_path / "rgb.mp4", settings))
    assert np.abs(got - expected()).max() <= 2.5, got.round(1).tolist()
