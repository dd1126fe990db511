"""sRGB <-> CIE Lab for palettes and checks, through Pillow's LittleCMS (ImageCms).

Lab is where "warmer", "bluer" and "the same hue" mean something: L* is lightness
(0..100), a* green..red and b* blue..yellow. Pillow's LAB mode stores a* and b* as
signed bytes (D50 white), so values are whole numbers; that is ample for colours.
"""

from __future__ import annotations

import functools

import numpy as np
from PIL import Image, ImageCms


@functools.cache
def _transforms():
    srgb, lab = ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB")
    return (
        ImageCms.buildTransformFromOpenProfiles(srgb, lab, "RGB", "LAB"),
        ImageCms.buildTransformFromOpenProfiles(lab, srgb, "LAB", "RGB"),
    )


def rgb_to_lab(rgb) -> np.ndarray:
    """(..., 3) sRGB 0..255 -> (..., 3) float L* a* b*."""
    rgb = np.clip(np.rint(np.asarray(rgb, dtype=np.float64)), 0, 255).astype(np.uint8)
    flat = rgb.reshape(1, -1, 3)
    out = np.asarray(ImageCms.applyTransform(Image.fromarray(flat), _transforms()[0]))
    lab = out.astype(np.float64)
    lab[..., 0] *= 100 / 255
    lab[..., 1:] = out[..., 1:].view(np.int8)
    return lab.reshape(rgb.shape)


def lab_to_rgb(lab) -> np.ndarray:
    """(..., 3) L* a* b* -> (..., 3) float sRGB 0..255 (out-of-gamut colours clipped)."""
    lab = np.asarray(lab, dtype=np.float64)
    packed = np.empty(lab.shape, np.uint8)
    packed[..., 0] = np.clip(np.rint(lab[..., 0] * 255 / 100), 0, 255)
    packed[..., 1:] = np.clip(np.rint(lab[..., 1:]), -128, 127).astype(np.int8).view(np.uint8)
    image = Image.frombytes("LAB", (packed.size // 3, 1), packed.tobytes())
    out = np.asarray(ImageCms.applyTransform(image, _transforms()[1]))
    return out.reshape(lab.shape).astype(np.float64)


def hue_degrees(lab) -> np.ndarray:
    """The hue angle h_ab in degrees (0 = red-purple, 90 = yellow)."""
    lab = np.asarray(lab, dtype=np.float64)
    return np.degrees(np.arctan2(lab[..., 2], lab[..., 1])) % 360


def hue_distance(first: float, second: float) -> float:
    """Degrees between two hue angles, 0..180."""
    return abs((first - second + 180) % 360 - 180)


def chroma(lab) -> np.ndarray:
    lab = np.asarray(lab, dtype=np.float64)
    return np.hypot(lab[..., 1], lab[..., 2])


__all__ = ["chroma", "hue_degrees", "hue_distance", "lab_to_rgb", "rgb_to_lab"]
