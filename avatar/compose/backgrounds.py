"""Scene backdrops, drawn once per scene: colour, gradient, image or the blurred presenter.

Video backdrops are streamed by :class:`avatar.compose.video.VideoSource`.
Gradients get a faint noise (+-1 level) so that H.264 does not turn their
smooth ramps into visible bands.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from avatar.compose.canvas import make_background
from avatar.spec import Background, hex_rgba


def solid(color: str, size: tuple[int, int]) -> np.ndarray:
    return np.full((size[1], size[0], 3), hex_rgba(color)[:3], np.uint8)


def gradient(colors: tuple[str, ...], angle: float, size: tuple[int, int]) -> np.ndarray:
    """A linear gradient through ``colors`` at ``angle`` degrees (90 = top to bottom)."""
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
