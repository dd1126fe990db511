"""Scene backdrops, drawn once per scene: colour, gradient, image or the blurred presenter.

Video backdrops are streamed by :class:`avatar.compose.video.VideoSource`.
Gradients get a faint noise (+-1 level) so that H.264 does not turn their
smooth ramps into visible bands.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from avatar.compose.canvas import make_background
from avatar.spec import Background, hex_rgba


def solid(color: str, size: tuple[int, int]) -> np.ndarray:
    return np.full((size[1], size[0], 3), hex_rgba(color)[:3], np.uint8)


def gradient(colors: tuple[str, ...], angle: float, size: tuple[int, int]) -> np.ndarray:
    """A linear gradient through ``colors`` at ``angle`` degrees (90 = top to bottom).

    Drawn once per process for each (colours, angle, size): every scene of a video
    and every video of a brand has the same one (0.1 to 0.5 s each at 720p on 2 cores).
    """
    return _gradient(tuple(colors), float(angle), (int(size[0]), int(size[1]))).copy()


@functools.lru_cache(maxsize=8)
def _gradient(colors: tuple[str, ...], angle: float, size: tuple[int, int]) -> np.ndarray:
    w, h = size
    rad = math.radians(angle)
    dx, dy = math.cos(rad), math.sin(rad)
    half = abs(w / 2 * dx) + abs(h / 2 * dy) or 1.0
    along_x = ((np.arange(w, dtype=np.float32) - w / 2) * dx + half) / (2 * half)
    along_y = ((np.arange(h, dtype=np.float32) - h / 2) * dy) / (2 * half)
    t = np.clip(along_y[:, None] + along_x[None, :], 0, 1)
    stops = np.array([hex_rgba(c)[:3] for c in colors], np.float32)
    positions = np.linspace(0, 1, len(stops), dtype=np.float32)
    lut = np.stack(
        [np.interp(np.linspace(0, 1, 1024), positions, stops[:, c]) for c in range(3)], -1
    )
    rgb = lut[np.rint(t * 1023).astype(np.int32)].astype(np.float32)
    rgb += _dither(h, w)
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


def _dither(h: int, w: int) -> np.ndarray:
    """+-1 level of fixed noise, tiled from one small pattern."""
    tile = np.random.default_rng(0).uniform(-1.0, 1.0, (128, 128, 1)).astype(np.float32)
    return np.tile(tile, (-(-h // 128), -(-w // 128), 1))[:h, :w]


def image_backdrop(image: Image.Image, bg: Background, size: tuple[int, int]) -> np.ndarray:
    """An image covering the frame (centre crop), optionally blurred and dimmed."""
    fitted = ImageOps.fit(image, size, Image.Resampling.LANCZOS)
    if bg.blur:
        fitted = fitted.filter(ImageFilter.GaussianBlur(bg.blur * min(size) / 720))
    rgb = np.asarray(fitted, dtype=np.float32) * (1 - bg.dim)
    return np.rint(rgb).astype(np.uint8)


def brand_gradient(background: str, primary: str, size: tuple[int, int]) -> np.ndarray:
    """The default backdrop: the brand's background colour shading toward its primary."""
    base = np.array(hex_rgba(background)[:3], np.float32)
    tint = np.array(hex_rgba(primary)[:3], np.float32)
    lighter = base * 0.7 + tint * 0.3
    to_hex = lambda c: "#" + "".join(f"{int(v):02X}" for v in c)  # noqa: E731
    return gradient((to_hex(lighter), to_hex(base)), 120.0, size)


def presenter_blur(presenter: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The walking skeleton's backdrop: the presenter photo blurred and darkened."""
    return make_background(presenter, size[0], size[1])


EXTEND_DOWNSCALE = 6  # the extension is blurred at 1/6 size (cheap, and soft at any size)
EXTEND_BLUR = 9.0
EXTEND_DARKEST = 0.62  # brightness far from the photo, so text over it stays readable


def extended_photo(
    photo: np.ndarray, size: tuple[int, int], box: tuple[int, int, int, int], crop=None
) -> np.ndarray:
    """The canvas SIZE filled by the photo's own surroundings, continued past its edges.

    The photo, as fitted at BOX (x, y, w, h; CROP is the source box it shows), is
    stretched outwards by repeating its border pixels, blurred, and darkened with the
    distance from it. A fitted presenter then sits in its own setting (the wall, the
    sky, the studio) and its feathered edges meet matching colours: no bars beside it
    and no seam above it.
    """
    width, height = size
    x, y, w, h = box
    small = (max(2, width // EXTEND_DOWNSCALE), max(2, height // EXTEND_DOWNSCALE))
    sx, sy = small[0] / width, small[1] / height
    inner = (max(1, round(w * sx)), max(1, round(h * sy)))
    picture = Image.fromarray(photo).resize(inner, Image.Resampling.BILINEAR, box=crop)
    px, py = round(x * sx), round(y * sy)
    top, left = max(0, py), max(0, px)
    bottom = max(0, small[1] - (py + inner[1]))
    right = max(0, small[0] - (px + inner[0]))
    # Its border repeated outwards (a mirror would put a blurred second face beside it).
    padded = np.pad(np.asarray(picture), ((top, bottom), (left, right), (0, 0)), mode="edge")
    cut_y, cut_x = max(0, -py), max(0, -px)
    padded = padded[cut_y : cut_y + small[1], cut_x : cut_x + small[0]]
    blurred = Image.fromarray(np.ascontiguousarray(padded)).filter(
        ImageFilter.GaussianBlur(EXTEND_BLUR)
    )
    big = np.asarray(blurred.resize(size, Image.Resampling.BICUBIC), dtype=np.float32)
    # Darker with the distance from the photo (in photo heights), never below EXTEND_DARKEST.
    yy = np.arange(height, dtype=np.float32)[:, None]
    xx = np.arange(width, dtype=np.float32)[None, :]
    dy = np.maximum(np.maximum(y - yy, yy - (y + h)), 0)
    dx = np.maximum(np.maximum(x - xx, xx - (x + w)), 0)
    distance = np.hypot(dx, dy) / max(h, 1)
    light = EXTEND_DARKEST + (1 - EXTEND_DARKEST) * np.exp(-distance * 6)
    return np.clip(big * light[..., None] + 0.5, 0, 255).astype(np.uint8)
