"""Output sizes, and the walking skeleton's layout: place face frames on the canvas.

The presenter is scaled to fit the canvas without distortion or cropping. The
space left over is filled with a blurred, darkened, scaled-up copy of the same
image. That background is computed once per video, not per frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from avatar.errors import InvalidInput

CANVAS_SIZES: dict[tuple[str, str], tuple[int, int]] = {
    ("16:9", "720p"): (1280, 720),
    ("16:9", "1080p"): (1920, 1080),
    ("9:16", "720p"): (720, 1280),
    ("9:16", "1080p"): (1080, 1920),
    ("1:1", "720p"): (720, 720),
    ("1:1", "1080p"): (1080, 1080),
}
ASPECTS = frozenset(aspect for aspect, _ in CANVAS_SIZES)
RESOLUTIONS = frozenset(resolution for _, resolution in CANVAS_SIZES)

# The background is blurred at 1/BLUR_DOWNSCALE of the canvas size: cheap, and
# the upscale adds more smoothing.
BLUR_DOWNSCALE = 8
BLUR_RADIUS = 6.0
BACKGROUND_BRIGHTNESS = 0.45


@dataclass(frozen=True)
class Box:
    """Where the face frames go on the canvas, in pixels."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class Layout:
    """The static layer of a video and where the moving part goes."""

    background: np.ndarray  # (H, W, 3) uint8, read-only
    box: Box

    @property
    def size(self) -> tuple[int, int]:
        """Canvas (width, height)."""
        return self.background.shape[1], self.background.shape[0]


def canvas_size(aspect: str, resolution: str) -> tuple[int, int]:
    """Return the canvas (width, height) for an aspect and a resolution.

    Raises:
        InvalidInput: ``field="aspect"`` or ``field="resolution"``.
    """
    if aspect not in ASPECTS:
        raise InvalidInput("aspect", f"aspect must be one of {sorted(ASPECTS)}, not {aspect!r}")
    if resolution not in RESOLUTIONS:
        raise InvalidInput(
            "resolution", f"resolution must be one of {sorted(RESOLUTIONS)}, not {resolution!r}"
        )
    return CANVAS_SIZES[(aspect, resolution)]


def fit_box(src_w: int, src_h: int, canvas_w: int, canvas_h: int) -> Box:
    """Largest box with the source's aspect ratio that fits the canvas.

    The box is centred horizontally. Vertically it is centred, except that a
    portrait-shaped source (a head-and-shoulders shot whose bottom edge cuts
    through the torso) sits on the bottom edge instead of floating mid-frame.
    """
    scale = min(canvas_w / src_w, canvas_h / src_h)
    width = min(canvas_w, max(1, round(src_w * scale)))
    height = min(canvas_h, max(1, round(src_h * scale)))
    y = canvas_h - height if src_h >= src_w else (canvas_h - height) // 2
    return Box((canvas_w - width) // 2, y, width, height)


def make_background(image: np.ndarray, canvas_w: int, canvas_h: int) -> np.ndarray:
    """Blurred, darkened copy of ``image`` covering the whole canvas (cropped to fill)."""
    small_size = (max(1, canvas_w // BLUR_DOWNSCALE), max(1, canvas_h // BLUR_DOWNSCALE))
    small = ImageOps.fit(Image.fromarray(image), small_size, Image.Resampling.BILINEAR)
    small = small.filter(ImageFilter.GaussianBlur(BLUR_RADIUS))
    big = small.resize((canvas_w, canvas_h), Image.Resampling.BICUBIC)
    dark = np.asarray(big, dtype=np.float32) * BACKGROUND_BRIGHTNESS
    return dark.round().astype(np.uint8)


def build_layout(presenter: np.ndarray, canvas_w: int, canvas_h: int) -> Layout:
    """Compute the static layer for a presenter on a canvas (once per video)."""
    box = fit_box(presenter.shape[1], presenter.shape[0], canvas_w, canvas_h)
    background = make_background(presenter, canvas_w, canvas_h)
    background.flags.writeable = False
    return Layout(background, box)


def compose_frame(layout: Layout, frame: np.ndarray) -> np.ndarray:
    """Scale one face frame into the layout's box and return the full canvas."""
    box = layout.box
    face = Image.fromarray(frame)
    if face.size != (box.width, box.height):
        face = face.resize((box.width, box.height), Image.Resampling.LANCZOS)
    canvas = layout.background.copy()
    canvas[box.y : box.y + box.height, box.x : box.x + box.width] = np.asarray(face)
    return canvas


def compose(frames: Iterable[np.ndarray], layout: Layout) -> Iterator[np.ndarray]:
    """Compose stage: yield one canvas per face frame.

    A frame that is the very same array object as the previous one (a still)
    reuses the previous canvas instead of being composed again.
    """
    previous_in: np.ndarray | None = None
    previous_out: np.ndarray | None = None
    for frame in frames:
        if frame is not previous_in:
            previous_in, previous_out = frame, compose_frame(layout, frame)
        yield previous_out
