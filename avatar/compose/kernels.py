"""Per-frame pixel kernels, compiled with numba when it is installed.

- ``zoom_into``: the slow pan and zoom resamples a whole media plate every
  frame. Pillow's ``resize`` took 4.4 ms for a 720x1280 luma plane (one
  core, measured); this bilinear kernel takes 1.0 ms and writes straight
  into the frame.

- ``rgb_to_planes``: a talking presenter's changing region goes from RGB to
  YUV 4:2:0 every frame. numpy's integer version makes a dozen passes over
  it; this kernel makes one, with the same integer arithmetic (the same
  pixels).

Alpha blending stays in numpy: its six vectorised passes measured as fast as
a one-pass numba loop.

numba comes with librosa (see requirements.lock); without it, Pillow and
numpy do the same work more slowly. Compiled code is cached next to this
module (``cache=True``), or in ``NUMBA_CACHE_DIR`` or the user's cache folder
where the install is read-only, so only the first render on a machine pays the
compilation (about a second per kernel). Where no folder is writable (numba then
refuses to make a cached kernel at all) the kernels are compiled in each process.
"""

from __future__ import annotations

import functools
import logging

import numpy as np
from PIL import Image

log = logging.getLogger(__name__)


@functools.cache
def compiled(function, fastmath: bool = False):
    """FUNCTION compiled with numba (outside the GIL, cached on disk), or None without
    numba: callers then do the same work with numpy or torch."""
    try:
        from numba import njit
    except ImportError:  # pragma: no cover - numba is locked, but stay usable without it
        return None
    try:
        return njit(cache=True, nogil=True, fastmath=fastmath)(function)
    except RuntimeError as error:  # "cannot cache function ...: no locator available"
        log.warning("%s is compiled in every process: %s (set NUMBA_CACHE_DIR to a writable "
                    "folder)", function.__name__, error)  # fmt: skip
        return njit(cache=False, nogil=True, fastmath=fastmath)(function)


def _jit(name: str):
    """The compiled kernel ``name`` (a function of this module), or None without numba."""
    return compiled(globals()[name])


def _compiled():
    return _jit("_zoom_loop")


def _zoom_loop(src, out, x0, y0, sx, sy):  # pragma: no cover - runs compiled
    """Separable: each source row the output reads is filtered across once (2 taps,
    gathered), then each output row blends two of those (2 taps, contiguous, so the
    compiler vectorises it). The same integer arithmetic as one 4-tap pass, so the
    same pixels, in 1.0 ms instead of 1.65 for a 720x1280 plane (measured)."""
    h, w = out.shape
    sh, sw = src.shape
    xi = np.empty(w, np.int32)
    xf = np.empty(w, np.int32)
    for x in range(w):
        fx = min(max(x0 + (x + 0.5) * sx - 0.5, 0.0), sw - 1.0)
        i = min(int(fx), sw - 2)
        xi[x] = i
        xf[x] = int((fx - i) * 256.0 + 0.5)
    yj = np.empty(h, np.int32)
    yf = np.empty(h, np.int32)
    for y in range(h):
        fy = min(max(y0 + (y + 0.5) * sy - 0.5, 0.0), sh - 1.0)
        j = min(int(fy), sh - 2)
        yj[y] = j
        yf[y] = int((fy - j) * 256.0 + 0.5)
    first = yj[0]
    across = np.empty((yj[h - 1] + 2 - first, w), np.uint16)  # 255 * 256 at most
    for r in range(across.shape[0]):
        row = src[first + r]
        dest = across[r]
        for x in range(w):
            i = xi[x]
            a = xf[x]
            dest[x] = np.uint16(np.int32(row[i]) * (256 - a) + np.int32(row[i + 1]) * a)
    for y in range(h):
        top = across[yj[y] - first]
        bottom = across[yj[y] - first + 1]
        b = np.uint32(yf[y])
        a = np.uint32(256) - b
        row = out[y]
        for x in range(w):
            row[x] = (np.uint32(top[x]) * a + np.uint32(bottom[x]) * b + np.uint32(32768)) >> 16


def _rgb_planes_loop(rgb, y, u, v):  # pragma: no cover - runs compiled
    """:func:`avatar.compose.yuv.planes_from_rgb`'s integer BT.709 arithmetic (its
    _Y_INT, _CB_INT and _CR_INT), one pass over each 2x2 block (RGB, even sizes)."""
    h, w = y.shape
    for j in range(0, h, 2):
        top, bottom = rgb[j], rgb[j + 1]
        ytop, ybottom = y[j], y[j + 1]
        cu, cv = u[j // 2], v[j // 2]
        for i in range(0, w, 2):
            r0, g0, b0 = np.int32(top[i, 0]), np.int32(top[i, 1]), np.int32(top[i, 2])
            r1, g1, b1 = np.int32(top[i + 1, 0]), np.int32(top[i + 1, 1]), np.int32(top[i + 1, 2])
            r2, g2, b2 = np.int32(bottom[i, 0]), np.int32(bottom[i, 1]), np.int32(bottom[i, 2])
            r3, g3 = np.int32(bottom[i + 1, 0]), np.int32(bottom[i + 1, 1])
            b3 = np.int32(bottom[i + 1, 2])
            ytop[i] = (r0 * 47 + g0 * 157 + b0 * 16 + 4224) >> 8
            ytop[i + 1] = (r1 * 47 + g1 * 157 + b1 * 16 + 4224) >> 8
            ybottom[i] = (r2 * 47 + g2 * 157 + b2 * 16 + 4224) >> 8
            ybottom[i + 1] = (r3 * 47 + g3 * 157 + b3 * 16 + 4224) >> 8
            sr, sg, sb = r0 + r1 + r2 + r3, g0 + g1 + g2 + g3, b0 + b1 + b2 + b3
            cu[i // 2] = min(max((sr * -26 + sg * -86 + sb * 112 + 131584) >> 10, 0), 255)
            cv[i // 2] = min(max((sr * 112 + sg * -102 + sb * -10 + 131584) >> 10, 0), 255)


def rgb_to_planes(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Y, U and V planes of an RGB uint8 (h, w, 3) picture of even sizes, or None
    without numba (the caller's numpy code does it)."""
    kernel = _jit("_rgb_planes_loop")
    if kernel is None:
        return None
    h, w = rgb.shape[:2]
    y = np.empty((h, w), np.uint8)
    u = np.empty((h // 2, w // 2), np.uint8)
    v = np.empty((h // 2, w // 2), np.uint8)
    kernel(rgb, y, u, v)
    return y, u, v


def zoom_into(src: np.ndarray, out: np.ndarray, box: tuple[float, float, float, float]) -> None:
    """Bilinear-resample the sub-pixel ``box`` (x0, y0, x1, y1) of ``src`` into ``out``.

    Both are 2-D uint8 arrays (``out`` may be a view into a frame).
    """
    h, w = out.shape
    x0, y0, x1, y1 = box
    kernel = _compiled()
    if kernel is not None and src.shape[0] > 1 and src.shape[1] > 1:
        kernel(src, out, float(x0), float(y0), (x1 - x0) / w, (y1 - y0) / h)
        return
    image = Image.fromarray(np.ascontiguousarray(src))
    out[...] = np.asarray(image.resize((w, h), Image.Resampling.BILINEAR, box=box))
