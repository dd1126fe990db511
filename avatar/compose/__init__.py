"""Composition: everything that turns layers into output frames.

- :mod:`avatar.compose.canvas`: output sizes and the talking-head layout of
  the walking skeleton (a presenter fitted over a blurred copy of itself).
- :mod:`avatar.compose.yuv`: frames are composited in BT.709 YUV 4:2:0, the
  format the encoder wants, so ffmpeg does no colour conversion and every
  per-frame operation touches half the bytes of RGB.
- :mod:`avatar.compose.layers`, ``text``, ``overlays``, ``media``,
  ``backgrounds``, ``layouts``, ``presenter``, ``scene``, ``transitions`` and
  ``cards``: the marketing layouts used by :mod:`avatar.render`.

Importing this package imports neither torch nor Django.
"""

from avatar.compose.canvas import (
    ASPECTS,
    CANVAS_SIZES,
    RESOLUTIONS,
    Box,
    Layout,
    build_layout,
    canvas_size,
    compose,
    compose_frame,
    fit_box,
    make_background,
)

__all__ = [
    "ASPECTS",
    "CANVAS_SIZES",
    "RESOLUTIONS",
    "Box",
    "Layout",
    "build_layout",
    "canvas_size",
    "compose",
    "compose_frame",
    "fit_box",
    "make_background",
]
