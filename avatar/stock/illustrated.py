"""Illustrated stock presenters, drawn from code (so they are ours, CC0).

Each is a soft-shaded head-and-shoulders portrait, drawn at twice the size
and scaled down for smooth edges. They go through the same preparation as a
photo (the face mesh finds their features), and their mouths are animated
per viseme like any avatar's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 720, 800
SUPER = 2


@dataclass(frozen=True)
class Look:
    """The colours and proportions of one illustrated presenter."""

    skin: tuple[int, int, int]
    hair: tuple[int, int, int]
    shirt: tuple[int, int, int]
    background: tuple[tuple[int, int, int], tuple[int, int, int]]
    lips: tuple[int, int, int]
    iris: tuple[int, int, int]
    long_hair: bool


LOOKS = {
    "maya": Look(
        (224, 172, 140),
        (58, 36, 26),
        (40, 92, 140),
        ((226, 232, 238), (170, 190, 205)),
        (180, 96, 96),
        (84, 60, 40),
        True,
    ),  # fmt: skip
    "theo": Look(
        (150, 104, 78),
        (28, 22, 20),
        (200, 200, 196),
        ((238, 226, 206), (196, 170, 140)),
        (132, 76, 70),
        (50, 34, 24),
        False,
    ),  # fmt: skip
}


def _scale(values):
    return [v * SUPER for v in values]


def _gradient(top, bottom) -> Image.Image:
    t = np.linspace(0, 1, HEIGHT * SUPER)[:, None, None]
    rows = (1 - t) * np.array(top) + t * np.array(bottom)
    return Image.fromarray(np.repeat(rows, WIDTH * SUPER, axis=1).astype(np.uint8))


def _shade(colour, factor):
    return tuple(int(max(0, min(255, c * factor))) for c in colour)


def draw(name: str) -> np.ndarray:
    """The presenter ``name`` (a key of ``LOOKS``) as an RGB ``uint8`` image."""
    look = LOOKS[name]
    image = _gradient(*look.background)
    pen = ImageDraw.Draw(image)
    _body(pen, look)
    _head(pen, look)
    _eyes(pen, look)
    _nose_and_mouth(pen, look)
    image = image.filter(ImageFilter.GaussianBlur(1.2 * SUPER))
    image = image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    return np.asarray(image, dtype=np.uint8)


def _body(pen: ImageDraw.ImageDraw, look: Look) -> None:
    if look.long_hair:
        pen.ellipse(_scale([195, 120, 525, 640]), fill=_shade(look.hair, 0.85))
    pen.ellipse(_scale([60, 600, 660, 1100]), fill=look.shirt)
    pen.rectangle(_scale([300, 470, 420, 640]), fill=_shade(look.skin, 0.82))
    pen.polygon(_scale([300, 600, 360, 680, 420, 600, 420, 640, 360, 720, 300, 640]),
                fill=_shade(look.shirt, 0.8))  # fmt: skip


def _head(pen: ImageDraw.ImageDraw, look: Look) -> None:
    pen.ellipse(_scale([218, 300, 262, 390]), fill=_shade(look.skin, 0.9))  # ears
    pen.ellipse(_scale([458, 300, 502, 390]), fill=_shade(look.skin, 0.9))
    pen.ellipse(_scale([240, 150, 480, 510]), fill=look.skin)
    pen.ellipse(_scale([262, 400, 458, 512]), fill=_shade(look.skin, 0.97))  # jaw
    pen.ellipse(_scale([270, 380, 320, 420]), fill=_shade(look.skin, 1.03))  # cheeks
    pen.ellipse(_scale([400, 380, 450, 420]), fill=_shade(look.skin, 1.03))
    if look.long_hair:
        pen.chord(_scale([228, 120, 492, 360]), 180, 360, fill=look.hair)
        pen.polygon(_scale([230, 240, 250, 420, 262, 250]), fill=look.hair)
        pen.polygon(_scale([490, 240, 470, 420, 458, 250]), fill=look.hair)
    else:
        pen.chord(_scale([234, 128, 486, 330]), 185, 355, fill=look.hair)


def _eyes(pen: ImageDraw.ImageDraw, look: Look) -> None:
    # Human proportions (the face mesh expects them): about a fifth of the face wide.
    for cx in (312, 408):
        pen.arc(_scale([cx - 34, 262, cx + 34, 292]), 200, 340, fill=_shade(look.hair, 1.2),
                width=7 * SUPER)  # fmt: skip
        pen.ellipse(_scale([cx - 23, 304, cx + 23, 326]), fill=(245, 242, 236))
        pen.ellipse(_scale([cx - 10, 304, cx + 10, 326]), fill=look.iris)
        pen.ellipse(_scale([cx - 5, 310, cx + 5, 320]), fill=(20, 16, 14))
        pen.ellipse(_scale([cx + 2, 308, cx + 6, 312]), fill=(255, 255, 255))
        pen.arc(_scale([cx - 24, 302, cx + 24, 330]), 190, 350, fill=(40, 28, 24),
                width=3 * SUPER)  # fmt: skip
        pen.arc(_scale([cx - 23, 300, cx + 23, 330]), 20, 160, fill=_shade(look.skin, 0.8),
                width=1 * SUPER)  # fmt: skip


def _nose_and_mouth(pen: ImageDraw.ImageDraw, look: Look) -> None:
    pen.line(_scale([352, 330, 346, 392]), fill=_shade(look.skin, 0.85), width=3 * SUPER)
    pen.ellipse(_scale([338, 388, 382, 410]), fill=_shade(look.skin, 0.9))
    pen.ellipse(_scale([340, 394, 352, 404]), fill=_shade(look.skin, 0.6))
    pen.ellipse(_scale([368, 394, 380, 404]), fill=_shade(look.skin, 0.6))
    upper = [318, 446, 340, 436, 360, 441, 380, 436, 402, 446, 360, 450]
    lower = [318, 446, 360, 450, 402, 446, 384, 462, 360, 466, 336, 462]
    pen.polygon(_scale(upper), fill=_shade(look.lips, 0.9))
    pen.polygon(_scale(lower), fill=look.lips)
    pen.line(_scale([318, 446, 360, 450, 402, 446]), fill=_shade(look.lips, 0.55), width=2 * SUPER)
    pen.ellipse(_scale([345, 470, 375, 480]), fill=_shade(look.skin, 0.94))  # chin shadow
