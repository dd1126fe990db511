"""Frames in BT.709 limited-range YUV 4:2:0, and the few operations on them.

The encoder wants ``yuv420p``. Converting each RGB frame inside ffmpeg cost
about 2 ms of CPU per 720x1280 frame (measured, swscale, ffmpeg 9), and RGB
holds twice the bytes. So every layer is converted once, when it is made, and
frames are composited directly in YUV 4:2:0: a luma plane at full size and
two chroma planes at half size in each direction. Alpha blending is exact in
YUV because the conversion is affine: blending then converting equals
converting then blending.

Layers sit at even coordinates so their chroma samples line up with the
frame's. Blending uses 16-bit integer arithmetic with exact rounding of
``x / 255``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from avatar.compose import kernels

# BT.709 luma coefficients, limited ("TV") range: Y 16..235, Cb/Cr 16..240.
_KR, _KB = 0.2126, 0.0722
_KG = 1.0 - _KR - _KB
_RGB_TO_YUV = np.array(
    [
        [_KR * 219 / 255, _KG * 219 / 255, _KB * 219 / 255],
        [-_KR / (2 - 2 * _KB) * 224 / 255, -_KG / (2 - 2 * _KB) * 224 / 255, 0.5 * 224 / 255],
        [0.5 * 224 / 255, -_KG / (2 - 2 * _KR) * 224 / 255, -_KB / (2 - 2 * _KR) * 224 / 255],
    ],
    dtype=np.float32,
)
_OFFSET = np.array([16.0, 128.0, 128.0], dtype=np.float32)
_YUV_TO_RGB = np.linalg.inv(_RGB_TO_YUV.astype(np.float64)).astype(np.float32)


def rgb_to_yuv_float(rgb: np.ndarray) -> np.ndarray:
    """(..., 3) RGB (any numeric type, 0..255) -> (..., 3) float32 Y, Cb, Cr."""
    return np.asarray(rgb, dtype=np.float32) @ _RGB_TO_YUV.T + _OFFSET


def yuv_color(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """One RGB colour as rounded (Y, Cb, Cr)."""
    y, u, v = rgb_to_yuv_float(np.array(rgb[:3], dtype=np.float32))
    return int(round(float(y))), int(round(float(u))), int(round(float(v)))


def _to_u8(values: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


def _sum2(values: np.ndarray) -> np.ndarray:
    """Sum over 2x2 blocks of the first two axes (even sizes), in the input's dtype."""
    return values[0::2, 0::2] + values[1::2, 0::2] + values[0::2, 1::2] + values[1::2, 1::2]


def _pool2(values: np.ndarray) -> np.ndarray:
    """Mean over 2x2 blocks of the first two axes (even sizes), float32."""
    return _sum2(np.asarray(values, dtype=np.float32)) * np.float32(0.25)


# Integer forms of the matrix above, scaled by 256 (luma) and 256 (chroma, from
# 2x2 sums, hence a further /4). Chroma rows sum to zero so greys stay neutral.
_Y_INT = (47, 157, 16)
_CB_INT = (-26, -86, 112)
_CR_INT = (112, -102, -10)


def _even_pad(image: np.ndarray) -> np.ndarray:
    """Repeat the last row/column so both sides are even."""
    h, w = image.shape[:2]
    pad = [(0, h % 2), (0, w % 2)] + [(0, 0)] * (image.ndim - 2)
    return np.pad(image, pad, mode="edge") if h % 2 or w % 2 else image


@dataclass
class Planes:
    """A YUV 4:2:0 picture: ``y`` (h, w), ``u`` and ``v`` (h/2, w/2), uint8."""

    y: np.ndarray
    u: np.ndarray
    v: np.ndarray

    @property
    def width(self) -> int:
        return self.y.shape[1]

    @property
    def height(self) -> int:
        return self.y.shape[0]

    def region(self, x: int, y: int, w: int, h: int) -> Planes:
        """Views of the rectangle at even ``x``, ``y`` with even ``w``, ``h``."""
        cx, cy, cw, ch = x // 2, y // 2, w // 2, h // 2
        return Planes(
            self.y[y : y + h, x : x + w],
            self.u[cy : cy + ch, cx : cx + cw],
            self.v[cy : cy + ch, cx : cx + cw],
        )

    def paste(self, src: Planes, x: int = 0, y: int = 0) -> None:
        """Copy ``src`` opaquely with its top-left at even (x, y), clipped to this picture."""
        clip = _clip(x, y, src.width, src.height, self.width, self.height)
        if clip is None:
            return
        dx, dy, sx, sy, w, h = clip
        dst = self.region(dx, dy, w, h)
        part = src.region(sx, sy, w, h)
        dst.y[...] = part.y
        dst.u[...] = part.u
        dst.v[...] = part.v


def planes_from_rgb(rgb: np.ndarray) -> Planes:
    """RGB uint8 (h, w, 3) -> :class:`Planes` (odd sizes are padded to even).

    Integer arithmetic (within 0.5 of the exact BT.709 values): this runs per
    frame for a talking presenter, where float matrix products cost ~4x more.
    """
    rgb = _even_pad(np.asarray(rgb)[..., :3])
    compiled = kernels.rgb_to_planes(rgb)
    if compiled is not None:
        return Planes(*compiled)
    r, g, b = (rgb[..., i].astype(np.uint16) for i in range(3))
    y = r * _Y_INT[0]
    y += g * _Y_INT[1]
    y += b * _Y_INT[2]
    y += 128 + (16 << 8)
    y >>= 8
    sums = [_sum2(c).astype(np.int32) for c in (r, g, b)]
    return Planes(y.astype(np.uint8), _chroma_int(sums, _CB_INT), _chroma_int(sums, _CR_INT))


def _chroma_int(sums: list[np.ndarray], coef: tuple[int, int, int]) -> np.ndarray:
    acc = sums[0] * coef[0] + sums[1] * coef[1] + sums[2] * coef[2]
    acc += 512 + (128 << 10)
    acc >>= 10
    return np.clip(acc, 0, 255).astype(np.uint8)


def rgb_from_planes(planes: Planes) -> np.ndarray:
    """:class:`Planes` -> RGB uint8 (h, w, 3), chroma upsampled by repetition."""
    u = planes.u.repeat(2, axis=0).repeat(2, axis=1)
    v = planes.v.repeat(2, axis=0).repeat(2, axis=1)
    yuv = np.stack([planes.y, u, v], axis=-1).astype(np.float32) - _OFFSET
    return _to_u8(yuv @ _YUV_TO_RGB.T)


class Frame(Planes):
    """A full output frame whose three planes share one contiguous buffer (``buf``).

    ``buf`` is exactly what ffmpeg's ``-pix_fmt yuv420p`` raw input expects.
    """

    def __init__(self, width: int, height: int, buf: np.ndarray | None = None) -> None:
        n = width * height
        self.buf = np.empty(n * 3 // 2, np.uint8) if buf is None else buf
        super().__init__(
            self.buf[:n].reshape(height, width),
            self.buf[n : n + n // 4].reshape(height // 2, width // 2),
            self.buf[n + n // 4 :].reshape(height // 2, width // 2),
        )

    def copy(self) -> Frame:
        return Frame(self.width, self.height, self.buf.copy())

    def fill(self, color: tuple[int, int, int]) -> Frame:
        """Fill with an RGB colour; returns self."""
        y, u, v = yuv_color(color)
        self.y.fill(y)
        self.u.fill(u)
        self.v.fill(v)
        return self

    @classmethod
    def from_planes(cls, planes: Planes) -> Frame:
        frame = cls(planes.width, planes.height)
        frame.paste(planes)
        return frame


class Layer:
    """A YUV 4:2:0 picture with alpha, ready to blend onto frames many times.

    ``a`` is the luma-sized alpha, ``a2`` the chroma-sized one (uint8). The
    premultiplied planes for full opacity are computed once, on first use.
    """

    def __init__(self, planes: Planes, a: np.ndarray, a2: np.ndarray) -> None:
        self.planes = planes
        self.a = a
        self.a2 = a2
        self._full: tuple | None = None

    @property
    def width(self) -> int:
        return self.planes.width

    @property
    def height(self) -> int:
        return self.planes.height

    def premultiplied(self) -> tuple:
        """((pre_y, inv_y), (pre_u, inv_c), (pre_v, inv_c)) as uint16, cached."""
        if self._full is None:
            self._full = _premultiply(self.planes, self.a, self.a2)
        return self._full


def _premultiply(planes: Planes, a: np.ndarray, a2: np.ndarray) -> tuple:
    a16, a216 = a.astype(np.uint16), a2.astype(np.uint16)
    inv, inv2 = 255 - a16, 255 - a216
    return (
        (planes.y * a16, inv),
        (planes.u * a216, inv2),
        (planes.v * a216, inv2),
    )


def layer_from_rgba(rgba: np.ndarray) -> Layer:
    """RGBA uint8 (h, w, 4), straight alpha -> :class:`Layer` (padded to even sizes).

    Chroma is averaged with alpha weighting, so a half-covered 2x2 block takes
    the colour of its covered pixels rather than a mix with transparent black.
    """
    rgba = _even_pad(np.asarray(rgba, dtype=np.uint8))
    luma = planes_from_rgb(rgba[..., :3]).y
    alpha = rgba[..., 3].astype(np.int32)
    weighted = [_sum2(rgba[..., c].astype(np.int32) * alpha).astype(np.float32) for c in range(3)]
    a_sum = _sum2(alpha).astype(np.float32)
    safe = np.maximum(a_sum, 1.0)
    mean_rgb = np.stack([w / safe for w in weighted], axis=-1)
    chroma = mean_rgb @ _RGB_TO_YUV[1:].T + _OFFSET[1:]
    chroma[a_sum == 0] = 128.0
    a2 = _to_u8(a_sum * 0.25)
    return Layer(
        Planes(luma, _to_u8(chroma[..., 0]), _to_u8(chroma[..., 1])), rgba[..., 3].copy(), a2
    )


def chroma_alpha(a: np.ndarray) -> np.ndarray:
    """The chroma-sized alpha for a luma-sized one (2x2 means)."""
    return _to_u8(_pool2(a))


def _clip(x: int, y: int, w: int, h: int, fw: int, fh: int) -> tuple | None:
    """Even-aligned intersection: (dst_x, dst_y, src_x, src_y, w, h) or None."""
    x, y = x - x % 2, y - y % 2
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + w, fw), min(y + h, fh)
    x1, y1 = x0 + (x1 - x0) // 2 * 2, y0 + (y1 - y0) // 2 * 2
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x0 - x, y0 - y, x1 - x0, y1 - y0


def _div255_into(dst: np.ndarray, acc: np.ndarray) -> None:
    """dst = round(acc / 255) for 0 <= acc <= 65025, in place on ``acc``."""
    acc += 128
    acc += acc >> 8
    acc >>= 8
    dst[...] = acc


def blend(frame: Planes, layer: Layer, x: int, y: int, opacity: float = 1.0) -> None:
    """Alpha-blend ``layer`` onto ``frame`` with its top-left at (x, y), clipped.

    Only the layer's rectangle is touched. ``opacity`` in 0..1 scales its alpha.
    """
    if opacity <= 0.0:
        return
    clip = _clip(x, y, layer.width, layer.height, frame.width, frame.height)
    if clip is None:
        return
    dx, dy, sx, sy, w, h = clip
    dst = frame.region(dx, dy, w, h)
    if opacity >= 0.999:
        pairs = layer.premultiplied()
        for plane, (pre, inv), scale in zip((dst.y, dst.u, dst.v), pairs, (1, 2, 2), strict=True):
            rows, cols = (
                slice(sy // scale, (sy + h) // scale),
                slice(sx // scale, (sx + w) // scale),
            )
            _div255_into(plane, plane * inv[rows, cols] + pre[rows, cols])
        return
    _blend_scaled(dst, layer, sx, sy, w, h, opacity)


def _blend_scaled(dst: Planes, layer: Layer, sx: int, sy: int, w: int, h: int, opacity: float):
    gain = np.uint16(round(opacity * 256))
    src = layer.planes.region(sx, sy, w, h)
    a = (layer.a[sy : sy + h, sx : sx + w] * gain) >> 8
    a2 = (layer.a2[sy // 2 : (sy + h) // 2, sx // 2 : (sx + w) // 2] * gain) >> 8
    for plane, src_plane, alpha in ((dst.y, src.y, a), (dst.u, src.u, a2), (dst.v, src.v, a2)):
        _div255_into(plane, plane * (255 - alpha) + src_plane * alpha)


def mix(a: Frame, b: Frame, weight: float) -> Frame:
    """A new frame ``(1 - weight) * a + weight * b`` (a crossfade step)."""
    w = np.uint16(round(min(max(weight, 0.0), 1.0) * 256))
    acc = a.buf * (256 - w)
    acc += b.buf * w
    acc += 128
    acc >>= 8
    return Frame(a.width, a.height, acc.astype(np.uint8))
