"""RGBA drawing helpers: rounded panels with soft shadows, and text blocks.

Everything here runs once per layer (never per frame), so it favours looks
over speed: shapes are drawn at 2x and reduced for smooth edges.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from avatar.compose import text as textmod
from avatar.compose.yuv import Layer, layer_from_rgba

RGBA = tuple[int, int, int, int]


def rounded(size: tuple[int, int], radius: float, fill: RGBA, supersample: int = 2) -> Image.Image:
    """An antialiased rounded rectangle filling an RGBA image of ``size``."""
    w, h = size
    big = Image.new("RGBA", (w * supersample, h * supersample), (0, 0, 0, 0))
    ImageDraw.Draw(big).rounded_rectangle(
        (0, 0, w * supersample - 1, h * supersample - 1), radius=radius * supersample, fill=fill
    )
    return big.resize((w, h), Image.Resampling.LANCZOS)


def ellipse(size: tuple[int, int], fill: RGBA, supersample: int = 4) -> Image.Image:
    """An antialiased filled ellipse covering an RGBA image of ``size``."""
    w, h = size
    big = Image.new("RGBA", (w * supersample, h * supersample), (0, 0, 0, 0))
    ImageDraw.Draw(big).ellipse((0, 0, w * supersample - 1, h * supersample - 1), fill=fill)
    return big.resize((w, h), Image.Resampling.LANCZOS)


def with_shadow(image: Image.Image, blur: float, offset: tuple[int, int], opacity: float):
    """``image`` over a blurred dark copy of its alpha; the canvas grows to hold the shadow.

    Returns:
        (image, (dx, dy)): where the original's top-left now sits in the result.
    """
    pad = int(blur * 2.5) + max(abs(offset[0]), abs(offset[1]))
    w, h = image.size
    canvas = Image.new("RGBA", (w + 2 * pad, h + 2 * pad), (0, 0, 0, 0))
    alpha = image.getchannel("A").point(lambda a: int(a * opacity))
    shadow = Image.new("RGBA", image.size, (0, 0, 0, 255))
    shadow.putalpha(alpha)
    canvas.paste(shadow, (pad + offset[0], pad + offset[1]), shadow)
    canvas = canvas.filter(ImageFilter.GaussianBlur(blur))
    canvas.alpha_composite(image, (pad, pad))
    return canvas, (pad, pad)


@dataclass
class Placed:
    """A layer and the offset of its visual anchor (the part that should sit in the slot).

    Layers are cropped to their visible pixels; ``offset`` is where the crop
    starts in the image they were made from.
    """

    layer: Layer
    anchor: tuple[int, int]  # where the content's top-left is inside the layer
    content: tuple[int, int]  # content width, height (without shadow padding)
    image: Image.Image | None = None  # the RGBA source, cropped like the layer
    offset: tuple[int, int] = (0, 0)


def to_placed(image: Image.Image, anchor: tuple[int, int], content: tuple[int, int]) -> Placed:
    """Convert an RGBA image once into a blendable :class:`Placed` layer.

    The image is cropped to the bounding box of its non-transparent pixels
    (even-aligned), so blending never visits empty margins.
    """
    ax, ay = anchor
    if ax % 2 or ay % 2:  # keep the content's corner on an even pixel
        grown = Image.new("RGBA", (image.width + ax % 2, image.height + ay % 2), (0, 0, 0, 0))
        grown.alpha_composite(image, (ax % 2, ay % 2))
        image, anchor = grown, (ax + ax % 2, ay + ay % 2)
    box = image.getchannel("A").getbbox() or (0, 0, 2, 2)
    x0, y0 = box[0] // 2 * 2, box[1] // 2 * 2
    x1, y1 = min(image.width, box[2] + box[2] % 2), min(image.height, box[3] + box[3] % 2)
    cropped = image.crop((x0, y0, max(x1, x0 + 2), max(y1, y0 + 2)))
    anchor = (anchor[0] - x0, anchor[1] - y0)
    return Placed(layer_from_rgba(np.asarray(cropped)), anchor, content, cropped, (x0, y0))


def text_block(
    lines: list[str],
    font,
    fill: RGBA,
    align: str = "left",
    spacing: float = 1.15,
    stroke: int = 0,
    stroke_fill: RGBA | None = None,
) -> Image.Image:
    """Lines of text drawn into a tight RGBA image (``align``: left, center or right)."""
    step = int(textmod.line_height(font) * spacing)
    widths = [textmod.text_width(line, font) for line in lines]
    width = int(max(widths, default=1) + 2 * stroke + 2)
    height = step * (len(lines) - 1) + textmod.line_height(font) + 2 * stroke
    image = Image.new("RGBA", (max(2, width), max(2, height)), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for i, (line, w) in enumerate(zip(lines, widths, strict=True)):
        x = {"left": 0, "center": (width - w) / 2, "right": width - w}[align]
        pos = (x + stroke, i * step + stroke)
        textmod.draw_text(draw, pos, line, font, fill, stroke, stroke_fill)
    return image
