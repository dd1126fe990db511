"""The presenter in a layout: fitted, cropped to cover, in a circle, or as a bottom band.

Crops centre on the face: ``FrameTrack.face_box`` when the lip-sync stage
knows it, else where a head-and-shoulders portrait has it. When the track
has a person matte, the ``band`` shape cuts the presenter out over the
product media, and so does ``fit`` when the scene names its own backdrop;
otherwise the photo keeps its own background (a matte's rough edges look
worse than the photo's rectangle).

A frame is converted to YUV only when it differs from the previous one (a
still presenter is converted once per scene).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from avatar.compose.canvas import fit_box
from avatar.compose.draw import ellipse, to_placed, with_shadow
from avatar.compose.kernels import zoom_into
from avatar.compose.layouts import Geometry, Rect
from avatar.compose.yuv import Layer, Planes, blend, chroma_alpha, planes_from_rgb

# Where a head-and-shoulders portrait usually has its face (x, y, w, h as fractions).
DEFAULT_FACE = (0.29, 0.15, 0.44, 0.42)
RING = (255, 255, 255, 255)
FEATHER = 0.09  # fraction of a band's height that fades in at its inner edges
HEAD_ROOM = 0.12  # air kept above a cut-out head in a band, as a fraction of its height


def face_box(track, width: int, height: int) -> tuple[float, float, float, float]:
    """The face rectangle in source pixels (x, y, w, h)."""
    if track.face_box is not None:
        return tuple(float(v) for v in track.face_box)
    fx, fy, fw, fh = DEFAULT_FACE
    return fx * width, fy * height, fw * width, fh * height


def _crop_around(src: tuple[int, int], aspect: float, centre, size_hint: float | None = None):
    """A box of ``aspect`` inside ``src`` around ``centre`` (largest, or ``size_hint`` tall)."""
    w, h = src
    ch = min(h, w / aspect) if size_hint is None else min(size_hint, h, w / aspect)
    cw = ch * aspect
    x0 = min(max(centre[0] - cw / 2, 0), w - cw)
    y0 = min(max(centre[1] - ch / 2, 0), h - ch)
    return x0, y0, x0 + cw, y0 + ch


class Placement:
    """Where a presenter goes in a :class:`Geometry`: the ``crop`` of its frames (source
    pixels) that is shown, the ``size`` it is scaled to and its top-left ``pos``.

    ``source`` is anything with the frames' ``width``, ``height``, ``face_box`` and
    ``matte`` (a lip-sync FrameTrack, or the prepared avatar it will be made from).
    """

    def __init__(self, source, geometry: Geometry, cutout: bool = False) -> None:
        self.cutout = cutout  # use the track's person matte (fit and band shapes)
        self.shape = geometry.presenter_shape
        self.rect: Rect = geometry.presenter
        self.canvas_width = geometry.width
        self.scale = geometry.scale
        src = (source.width, source.height)
        self.matte = source.matte if cutout or self.shape == "band" else None
        self._plan(src, face_box(source, *src), self.matte)

    @property
    def detail(self) -> float:
        """Output pixels per source pixel: under 1, the presenter is shown smaller than
        its frames are."""
        return max(self.size[0] / (self.crop[2] - self.crop[0]),
                   self.size[1] / (self.crop[3] - self.crop[1]))  # fmt: skip

    def _plan(self, src: tuple[int, int], face, matte: np.ndarray | None = None) -> None:
        r = self.rect
        self._head_top = None
        centre = (face[0] + face[2] / 2, face[1] + face[3] / 2)
        self.crop = (0.0, 0.0, float(src[0]), float(src[1]))
        if self.shape == "fit":
            box = fit_box(src[0], src[1], r.w, r.h)
            self.size = (box.width // 2 * 2, box.height // 2 * 2)
            x = r.x + box.x // 2 * 2
            if r.x + r.w >= self.canvas_width and r.x > 0:  # a side column: sit on the edge,
                x = r.x + r.w - self.size[0]  # where the photo's own crop meets the frame's
            self.pos = (x, r.y + r.h - self.size[1])
            return
        self.size, self.pos = (r.w, r.h), (r.x, r.y)
        if self.shape == "circle":
            side = max(face[2], face[3]) * 1.75
            self.crop = _crop_around(src, 1.0, (centre[0], centre[1] + side * 0.1), side)
        elif self.shape == "cover":  # the face a little above the middle
            self.crop = _crop_around(src, r.w / r.h, (centre[0], centre[1] + face[3] * 0.08))
        else:  # band: head and shoulders, the face in the upper part, the chest below
            aspect = r.w / r.h
            height = min(src[1], src[0] / aspect, face[3] * 2.1)
            middle = centre[1] + height * 0.14
            top = _head_top(matte, face)
            self._head_top = top
            if top is not None and top - height * HEAD_ROOM < middle - height / 2:
                # A cut-out person: widen the view so the hair or hat is not sliced off.
                # When the photo is too narrow to widen enough, keep the head, lose chest.
                start = max(top - height * HEAD_ROOM, 0)
                height = min(src[1], src[0] / aspect, middle + height / 2 - start)
                middle = start + height / 2
            self.crop = _crop_around(src, aspect, (centre[0], middle), height)


class PresenterView(Placement):
    """Places one presenter track in a :class:`Geometry`.

    ``render(frame)`` returns what to draw, bottom first: a list of
    ``(picture, x, y)`` where a picture is :class:`Planes` (opaque) or a
    :class:`Layer` (with alpha). Per new frame the work is one conversion of
    the source to YUV and three plane resizes; shapes and mattes are static.
    """

    def __init__(
        self, track, geometry: Geometry, soft_edges: bool = False, cutout: bool = False
    ) -> None:
        super().__init__(track, geometry, cutout)
        self.soft_edges = soft_edges  # fade a fitted photo's inner edges into the backdrop
        self._alpha = self._static_alpha(self.matte)
        self._ring = self._make_ring() if self.shape == "circle" else None
        self._last: tuple | None = None
        self._partial = _Partial.plan(track, self.crop, self.size)

    def _static_alpha(self, matte: np.ndarray | None) -> tuple | None:
        """The shape's alpha (circle, feathered band, person matte): (luma, chroma) sizes."""
        w, h = self.size
        alpha = None
        if self.shape == "circle":
            alpha = np.asarray(ellipse((w, h), (255, 255, 255, 255)))[..., 3].copy()
        elif self.shape == "band":
            alpha = _feathered(w, h, self.rect, self.scale)
        elif self.shape == "fit" and self.soft_edges and matte is None:
            alpha = self._fit_edges()
        if matte is not None and self.shape in ("fit", "band"):
            cut = Image.fromarray((np.clip(matte, 0, 1) * 255).astype(np.uint8))
            cut = np.asarray(cut.resize(self.size, Image.Resampling.BILINEAR, box=self.crop))
            alpha = (
                cut if alpha is None else (cut.astype(np.uint16) * alpha // 255).astype(np.uint8)
            )
            if self.shape == "band" and self._head_top is not None:
                alpha = self._clear_above_head(alpha)
        return None if alpha is None else (alpha, chroma_alpha(alpha))

    def _clear_above_head(self, alpha: np.ndarray) -> np.ndarray:
        """Nothing above the head: a matte's faint edges there read as smudges."""
        h = alpha.shape[0]
        row = (self._head_top - self.crop[1]) / (self.crop[3] - self.crop[1]) * h
        edge = max(2, int(h * 0.02))
        start = int(row) - edge
        if start <= 0:
            return alpha
        ramp = np.ones(h, np.float32)
        ramp[:start] = 0
        ramp[start : start + edge] = np.linspace(0, 1, edge, endpoint=False)
        return np.rint(alpha * ramp[:, None]).astype(np.uint8)

    def _fit_edges(self) -> np.ndarray | None:
        """Fade the photo's edges that stand inside the frame (not those on its border)."""
        w, h = self.size
        edge = max(4, int(min(w, h) * FEATHER))
        alpha = np.ones((h, w), np.float32)
        ramp = np.clip(np.arange(edge, dtype=np.float32) / edge, 0, 1)
        if self.pos[1] > 0:
            alpha[:edge] *= ramp[:, None]
        if self.pos[0] > 0:
            alpha[:, :edge] *= ramp[None, :]
        if self.pos[0] + w < self.canvas_width:
            alpha[:, w - edge :] *= ramp[::-1][None, :]
        return None if alpha.min() >= 1 else np.rint(alpha * 255).astype(np.uint8)

    def _make_ring(self) -> tuple[Layer, int, int]:
        border = max(2, int(round(6 * self.scale)))
        w, h = self.size
        ring = ellipse((w + 2 * border, h + 2 * border), RING)
        shadowed, (px, py) = with_shadow(ring, 12 * self.scale, (0, int(5 * self.scale)), 0.45)
        placed = to_placed(shadowed, (px + border, py + border), (w, h))
        return placed.layer, self.pos[0] - placed.anchor[0], self.pos[1] - placed.anchor[1]

    def render(self, frame: np.ndarray) -> list[tuple]:
        """What to draw for one presenter frame (cached while the frame object repeats)."""
        if self._last is not None and self._last[0] is frame:
            return self._last[1]
        if self._partial is not None:
            picture = self._partial.render(frame)
        else:
            picture = resize_planes(frame, self.size, self.crop)
        if self._alpha is not None:
            picture = Layer(picture, *self._alpha)
        result = [(picture, *self.pos)]
        if self._ring is not None:
            result.insert(0, self._ring)
        self._last = (frame, result)
        return result


BICUBIC_REACH = 2.0  # source pixels each side that Pillow's bicubic kernel reads (upscaling)
WORTH_IT = 0.6  # redo only the changing part when it is under this share of the picture


class _Partial:
    """A lip-sync track's frames, scaled by redoing only the part that changes.

    The track says that outside one box (the face and neck) every frame is its still
    photo. The still is scaled once; per frame, the box (and as far around it as the
    kernels reach) is converted and scaled into a copy. The output equals
    :func:`resize_planes` of the whole frame, but for rounding (a few hundred luma
    pixels a level or two apart, where the sub-pixel positions round differently).
    """

    def __init__(self, base: Planes, dest, source, local) -> None:
        self.base, self.dest, self.source, self.local = base, dest, source, local
        # Two pictures in turn, the still outside the box in both: a frame's picture
        # stays as it was until the one after the next is rendered (the compositor
        # draws each at once), and no copy of the whole still is made per frame.
        self._pictures = [_copy(base), _copy(base)]

    @classmethod
    def plan(cls, track, crop, size: tuple[int, int]) -> _Partial | None:
        changes, still = getattr(track, "changes", None), getattr(track, "still", None)
        if changes is None or still is None or still.shape[:2] != (track.height, track.width):
            return None
        cx0, cy0, cx1, cy1 = crop
        kx, ky = size[0] / (cx1 - cx0), size[1] / (cy1 - cy0)  # output pixels per source pixel
        rx, ry = BICUBIC_REACH * max(1.0, 1 / kx) + 1, BICUBIC_REACH * max(1.0, 1 / ky) + 1
        # Output pixels whose kernel reads a changing source pixel, even-aligned (chroma).
        x0 = max(0, int(np.floor((changes[0] - rx - cx0) * kx)) // 2 * 2)
        y0 = max(0, int(np.floor((changes[1] - ry - cy0) * ky)) // 2 * 2)
        x1 = min(size[0], -(-int(np.ceil((changes[2] + rx - cx0) * kx)) // 2) * 2)
        y1 = min(size[1], -(-int(np.ceil((changes[3] + ry - cy0) * ky)) // 2) * 2)
        if x1 <= x0 or y1 <= y0 or (x1 - x0) * (y1 - y0) > WORTH_IT * size[0] * size[1]:
            return None
        # Their footprint in the source, and the source pixels the kernels read for it.
        fx0, fy0, fx1, fy1 = cx0 + x0 / kx, cy0 + y0 / ky, cx0 + x1 / kx, cy0 + y1 / ky
        # (Within the crop, rounded out to even pixels, as resize_planes converts it.)
        ex0, ey0, ex1, ey1 = _even_crop(crop, track.width, track.height)
        sx0 = max(ex0, int(np.floor(fx0 - rx - 1)) // 2 * 2)
        sy0 = max(ey0, int(np.floor(fy0 - ry - 1)) // 2 * 2)
        sx1 = min(ex1, -(-int(np.ceil(fx1 + rx + 1)) // 2) * 2)
        sy1 = min(ey1, -(-int(np.ceil(fy1 + ry + 1)) // 2) * 2)
        base = resize_planes(still, size, crop)
        local = (fx0 - sx0, fy0 - sy0, fx1 - sx0, fy1 - sy0)
        return cls(base, (x0, y0, x1, y1), (sx0, sy0, sx1, sy1), local)

    def render(self, frame: np.ndarray) -> Planes:
        x0, y0, x1, y1 = self.dest
        sx0, sy0, sx1, sy1 = self.source
        planes = planes_from_rgb(frame[sy0:sy1, sx0:sx1])
        out = self._pictures.pop(0)
        self._pictures.append(out)
        y = Image.fromarray(planes.y).resize((x1 - x0, y1 - y0), Image.Resampling.BICUBIC,
                                             box=self.local)  # fmt: skip
        out.y[y0:y1, x0:x1] = np.asarray(y)
        half = tuple(c / 2 for c in self.local)
        zoom_into(planes.u, out.u[y0 // 2 : y1 // 2, x0 // 2 : x1 // 2], half)
        zoom_into(planes.v, out.v[y0 // 2 : y1 // 2, x0 // 2 : x1 // 2], half)
        return out


def _copy(planes: Planes) -> Planes:
    return Planes(planes.y.copy(), planes.u.copy(), planes.v.copy())


def resize_planes(rgb: np.ndarray, size: tuple[int, int], box) -> Planes:
    """Crop ``box`` out of an RGB frame and scale it to ``size`` as YUV planes.

    Only the crop (rounded out to even pixels) is converted. Luma is scaled
    bicubic (faces stay crisp); chroma, which the eye resolves far less, by
    the cheaper bilinear kernel.
    """
    h, w = rgb.shape[:2]
    x0, y0, x1, y1 = _even_crop(box, w, h)
    planes = planes_from_rgb(rgb[y0:y1, x0:x1])
    local = (box[0] - x0, box[1] - y0, box[2] - x0, box[3] - y0)
    half = (size[0] // 2, size[1] // 2)
    u, v = np.empty((half[1], half[0]), np.uint8), np.empty((half[1], half[0]), np.uint8)
    half_box = tuple(c / 2 for c in local)
    zoom_into(planes.u, u, half_box)
    zoom_into(planes.v, v, half_box)
    y = Image.fromarray(planes.y).resize(size, Image.Resampling.BICUBIC, box=local)
    return Planes(np.asarray(y), u, v)


def _even_crop(box, w: int, h: int) -> tuple[int, int, int, int]:
    """BOX rounded out to even pixels, inside a W x H picture."""
    x0, y0 = max(0, int(box[0]) // 2 * 2), max(0, int(box[1]) // 2 * 2)
    x1, y1 = min(w, -(-int(np.ceil(box[2])) // 2) * 2), min(h, -(-int(np.ceil(box[3])) // 2) * 2)
    return x0, y0, x1, y1


def _head_top(matte: np.ndarray | None, face) -> float | None:
    """The highest row of the person matte above the face (hair, a hat), or None."""
    if matte is None:
        return None
    x0 = max(int(face[0]), 0)
    x1 = max(int(face[0] + face[2]), x0 + 1)
    rows = np.flatnonzero(matte[:, x0:x1].max(axis=1) > 0.5)
    return float(rows[0]) if rows.size else None


def _feathered(w: int, h: int, rect: Rect, scale: float) -> np.ndarray:
    """Alpha for a band: opaque, fading in along the edges that face into the frame."""
    edge = max(4, int(h * FEATHER))
    ramp = np.clip(np.arange(h, dtype=np.float32) / edge, 0, 1)
    alpha = np.repeat(ramp[:, None], w, axis=1)
    if rect.w < rect.h * 2:  # a band in a corner: fade its inner side too
        side = np.clip(np.arange(w, dtype=np.float32)[::-1] / edge, 0, 1)
        if rect.x > 0:
            side = side[::-1]
        alpha = np.minimum(alpha, side[None, :])
    return np.rint(alpha * 255).astype(np.uint8)


def draw(frame: Planes, pictures: list[tuple]) -> None:
    """Put presenter pictures on ``frame``: opaque planes are copied, layers blended."""
    for picture, x, y in pictures:
        if isinstance(picture, Layer):
            blend(frame, picture, x, y)
        else:
            frame.paste(picture, x, y)
