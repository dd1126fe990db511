"""Product media in a rectangle: fitted without distortion, moved by a slow pan and zoom.

``fit``:
- ``cover`` fills the rectangle and crops around the product (a smart crop:
  the centre of what stands out from the photo's border colour, weighted by
  detail), or around ``focus`` when the spec gives one.
- ``contain`` shows the whole image over a blurred, darkened, enlarged copy
  of itself (a blurred fill), with a soft shadow.
- ``auto`` chooses ``cover`` when the shapes are within 25 % of each other,
  else ``contain``.

The pan and zoom (Ken Burns) reads a "plate" prepared once per item at the
rectangle's size, in Y, U and V planes. Each frame is then a bilinear
resample of a sub-pixel box per plane, written straight into the frame
(:mod:`avatar.compose.kernels`): about 2.5 ms for a full 720x1280 frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from avatar.compose.kernels import zoom_into
from avatar.compose.layouts import Rect
from avatar.compose.yuv import Planes, planes_from_rgb
from avatar.errors import InvalidInput

MAX_SOURCE_SIDE = 2600
ZOOM = 1.12  # how far the slow zoom goes
PAN = 0.08  # how far a pan travels, as a fraction of the plate
PAN_ZOOM = 1.1  # a pan needs a view smaller than the plate: 1 / 1.1 leaves 9 % to travel
COVER_TOLERANCE = 1.25


def load_image(path, field: str) -> Image.Image:
    """Open an image upright as RGB (transparency flattened onto white).

    Raises:
        InvalidInput: ``field`` when the file is not a readable image.
    """
    try:
        with Image.open(path) as image:
            image.draft("RGB", (MAX_SOURCE_SIDE, MAX_SOURCE_SIDE))
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SOURCE_SIDE, MAX_SOURCE_SIDE), Image.Resampling.LANCZOS)
            return _flatten(image)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise InvalidInput(field, f"cannot read image {path}: {exc}") from exc


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def choose_fit(fit: str, image_size: tuple[int, int], rect: Rect) -> str:
    """Resolve ``auto`` to ``cover`` or ``contain`` from the two shapes."""
    if fit != "auto":
        return fit
    ratio = (image_size[0] / image_size[1]) / (rect.w / rect.h)
    return "cover" if 1 / COVER_TOLERANCE <= ratio <= COVER_TOLERANCE else "contain"


def saliency_focus(image: Image.Image) -> tuple[float, float]:
    """Where the subject is, as fractions (x, y): the weighted centre of what differs
    from the border colour, plus local detail."""
    small = np.asarray(image.resize((96, 96), Image.Resampling.BILINEAR), dtype=np.float32)
    border = np.concatenate([small[0], small[-1], small[:, 0], small[:, -1]])
    distance = np.linalg.norm(small - np.median(border, axis=0), axis=2)
    gray = small.mean(axis=2)
    detail = np.abs(np.diff(gray, axis=0, append=gray[-1:])) + np.abs(
        np.diff(gray, axis=1, append=gray[:, -1:])
    )
    weight = distance + 0.5 * detail
    weight = np.where(weight > np.percentile(weight, 60), weight, 0.0)
    total = float(weight.sum())
    if total <= 1e-6:
        return 0.5, 0.5
    ys, xs = np.mgrid[0:96, 0:96]
    return float((weight * xs).sum() / total + 0.5) / 96, float(
        (weight * ys).sum() / total + 0.5
    ) / 96


def cover_crop(size: tuple[int, int], aspect: float, focus: tuple[float, float], at=(0.5, 0.5)):
    """The largest (x0, y0, x1, y1) box of ``aspect`` (w/h) in ``size`` that puts ``focus``
    at ``at`` (fractions of the box; default its centre), as near as the image allows."""
    w, h = size
    cw, ch = (w, w / aspect) if w / h < aspect else (h * aspect, h)
    x0 = min(max(focus[0] * w - cw * at[0], 0), w - cw)
    y0 = min(max(focus[1] * h - ch * at[1], 0), h - ch)
    return x0, y0, x0 + cw, y0 + ch


def blurred_fill(
    image: Image.Image, size: tuple[int, int], dim: float = 0.55, blur: float = 4
) -> Image.Image:
    """A blurred, darkened copy of ``image`` covering ``size`` (cheap: blurred small)."""
    small = ImageOps.fit(image, (max(8, size[0] // 10), max(8, size[1] // 10)))
    small = small.filter(ImageFilter.GaussianBlur(blur))
    big = small.resize(size, Image.Resampling.BICUBIC)
    return Image.eval(big, lambda v: int(v * dim))


def contain_on_fill(
    image: Image.Image,
    size: tuple[int, int],
    margin: float = 0.06,
    anchor=(0.5, 0.5),
    area=(0.0, 0.0, 1.0, 1.0),
) -> Image.Image:
    """The whole ``image`` on its own blurred fill, with a soft shadow.

    ``anchor`` is where the image's centre goes, as fractions of ``size``
    (kept inside the margins); the image fits inside ``area`` (fractions).
    """
    # Off centre, the fill no longer lines up with the image: blur it to a wash of
    # its colours, or its shapes read as smudges beside the picture.
    centred = area == (0.0, 0.0, 1.0, 1.0)
    canvas = blurred_fill(image, size, blur=4 if centred else 12)
    inner = (
        int(size[0] * (area[2] - area[0] - 2 * margin)),
        int(size[1] * (area[3] - area[1] - 2 * margin)),
    )
    fitted = ImageOps.contain(image, inner, Image.Resampling.LANCZOS)
    x = _place(size[0], fitted.width, anchor[0], margin)
    y = _place(size[1], fitted.height, anchor[1], margin)
    shadow = Image.new("L", size, 0)
    blur = max(4, size[0] // 60)
    shadow.paste(
        150, (x + blur // 2, y + blur, x + fitted.width + blur // 2, y + fitted.height + blur)
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(blur))
    canvas = Image.composite(Image.new("RGB", size, (0, 0, 0)), canvas, shadow)
    canvas.paste(fitted, (x, y))
    return canvas


def cover_in_area(
    image: Image.Image, size: tuple[int, int], area, focus: tuple[float, float]
) -> Image.Image:
    """``image`` filling ``area`` (fractions of ``size``, cropped around ``focus``), on a
    wash of its colours elsewhere: a picture that no presenter stands in front of."""
    canvas = blurred_fill(image, size, blur=12)
    x0, y0 = int(area[0] * size[0]), int(area[1] * size[1])
    x1, y1 = int(area[2] * size[0]), int(area[3] * size[1])
    box = cover_crop(image.size, (x1 - x0) / (y1 - y0), focus)
    canvas.paste(image.resize((x1 - x0, y1 - y0), Image.Resampling.LANCZOS, box=box), (x0, y0))
    return canvas


def _place(outer: int, inner: int, anchor: float, margin: float) -> int:
    edge = int(outer * margin)
    return int(min(max(anchor * outer - inner / 2, edge), outer - edge - inner))


@dataclass(frozen=True)
class Motion:
    """Start and end of the view: zoom (>= 1) and centre (fractions of the plate)."""

    zoom0: float
    zoom1: float
    centre0: tuple[float, float]
    centre1: tuple[float, float]


def plan_motion(kind: str, index: int, focus: tuple[float, float]) -> Motion:
    """The pan/zoom for ``kind``; ``auto`` alternates zoom in, pan and zoom out by ``index``."""
    if kind == "auto":
        kind = ("zoom_in", "pan_right", "zoom_out", "pan_left")[index % 4]
    mid = (0.5, 0.5)
    pans = {
        "pan_left": ((0.5 + PAN / 2, 0.5), (0.5 - PAN / 2, 0.5)),
        "pan_right": ((0.5 - PAN / 2, 0.5), (0.5 + PAN / 2, 0.5)),
        "pan_up": ((0.5, 0.5 + PAN / 2), (0.5, 0.5 - PAN / 2)),
        "pan_down": ((0.5, 0.5 - PAN / 2), (0.5, 0.5 + PAN / 2)),
    }
    if kind in pans:
        start, end = pans[kind]
        return Motion(PAN_ZOOM, PAN_ZOOM, start, end)
    if kind == "zoom_in":
        return Motion(1.0, ZOOM, mid, focus)
    if kind == "zoom_out":
        return Motion(ZOOM, 1.0, focus, mid)
    return Motion(1.0, 1.0, mid, mid)


class KenBurns:
    """A prepared media item that draws its view at any progress 0..1 into a frame."""

    def __init__(self, plate: Image.Image, rect: Rect, motion: Motion) -> None:
        self.rect = rect
        self.motion = motion
        self.plate = planes_from_rgb(np.asarray(plate))
        self.static = motion.zoom0 == motion.zoom1 and motion.centre0 == motion.centre1

    def box(self, progress: float) -> tuple[float, float, float, float]:
        """The plate's (x0, y0, x1, y1) seen at ``progress``, in luma pixels."""
        m, p = self.motion, min(max(progress, 0.0), 1.0)
        zoom = m.zoom0 + (m.zoom1 - m.zoom0) * p
        cx = m.centre0[0] + (m.centre1[0] - m.centre0[0]) * p
        cy = m.centre0[1] + (m.centre1[1] - m.centre0[1]) * p
        pw, ph = self.plate.width, self.plate.height
        vw, vh = pw / zoom, ph / zoom  # the whole plate is the view at zoom 1
        x0 = min(max(cx * pw - vw / 2, 0.0), pw - vw)
        y0 = min(max(cy * ph - vh / 2, 0.0), ph - vh)
        return x0, y0, x0 + vw, y0 + vh

    def draw(self, dest: Planes, progress: float) -> None:
        """Render the view at ``progress`` into ``dest`` (the rectangle's planes)."""
        box = self.box(0.0 if self.static else progress)
        half = tuple(v / 2 for v in box)
        zoom_into(self.plate.y, dest.y, box)
        zoom_into(self.plate.u, dest.u, half)
        zoom_into(self.plate.v, dest.v, half)


# The plate holds the view at zoom 1 pixel for pixel: zooming in only ever
# enlarges it, which a 2-tap bilinear filter does without aliasing.
ZOOM_PLATE = 1.0


def prepare(
    image: Image.Image,
    rect: Rect,
    fit: str,
    motion_kind: str,
    index: int,
    focus=None,
    anchor: tuple[float, float] = (0.5, 0.5),
    clear: Rect | None = None,
):
    """Build the :class:`KenBurns` for one image in ``rect``.

    Args:
        image: the RGB source.
        rect: where it goes on the canvas (even sizes).
        fit: ``auto``, ``cover`` or ``contain``.
        motion_kind: a spec motion (``auto``, ``zoom_in``, ``pan_left`` ... ``none``).
        index: the item's position in its scene (varies ``auto`` motion).
        focus: (x, y) fractions to centre on, or None for the smart crop.
        anchor: where a contained image's centre sits in the rectangle (fractions).
        clear: the part of ``rect`` no presenter covers (canvas pixels): the subject
            goes there (a covering image's focus, a contained image whole).
    """
    area = _area(rect, clear)
    if clear is not None:
        anchor = ((area[0] + area[2]) / 2, (area[1] + area[3]) / 2)
    visible = Rect(0, 0, int((area[2] - area[0]) * rect.w), int((area[3] - area[1]) * rect.h))
    fit = choose_fit(fit, image.size, visible)
    plate_size = (_even_up(rect.w * ZOOM_PLATE), _even_up(rect.h * ZOOM_PLATE))
    if fit == "cover" and clear is not None:
        plate = cover_in_area(image, plate_size, area, focus or saliency_focus(image))
        plate_focus = anchor
    elif fit == "cover":
        focus = focus or saliency_focus(image)
        box = cover_crop(image.size, rect.w / rect.h, focus)
        plate = image.resize(plate_size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
        plate_focus = ((focus[0] * image.width - box[0]) / (box[2] - box[0]),
                       (focus[1] * image.height - box[1]) / (box[3] - box[1]))  # fmt: skip
    else:
        plate = contain_on_fill(image, plate_size, anchor=anchor, area=area)
        plate_focus = anchor
    return KenBurns(plate, rect, plan_motion(motion_kind, index, _inward(plate_focus)))


def _area(rect: Rect, clear: Rect | None) -> tuple[float, float, float, float]:
    """CLEAR as (x0, y0, x1, y1) fractions of RECT (the whole of it when None)."""
    if clear is None:
        return 0.0, 0.0, 1.0, 1.0
    x0, y0 = (clear.x - rect.x) / rect.w, (clear.y - rect.y) / rect.h
    x1, y1 = x0 + clear.w / rect.w, y0 + clear.h / rect.h
    return max(x0, 0.0), max(y0, 0.0), min(x1, 1.0), min(y1, 1.0)


def _inward(focus: tuple[float, float]) -> tuple[float, float]:
    """Keep a zoom target where the zoomed view can actually centre on it."""
    half = 0.5 / ZOOM
    return tuple(min(max(f, half), 1 - half) for f in focus)


def _even_up(value: float) -> int:
    return int(math.ceil(value / 2)) * 2
