"""Blinks: a per-column eyelid warp, in torch.

A thin-plate spline asked to squeeze an eye shut swirls the whole face, so
the eyelids get a warp of their own. In each column of an eye, the upper lid
slides down towards the lower lid: the lid skin between the crease and the
lid is stretched down over the eye, and the eye itself is squeezed into the
thin band left above the lower lid (the lash line). Columns beyond the eye
corners fade out, so the warp meets the rest of the face smoothly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from avatar.lipsync import landmarks as lm
from avatar.lipsync.mouth import curve_at

CLOSED_FRACTION = 0.96  # a shut upper lid covers this much of the eye's opening
LID_SKIN = 0.06  # lid skin is taken from this far (eye widths) above the lid line
OVERLAP = 0.08  # the shut lid reaches this far (eye widths) below the lower lid line


@dataclass(frozen=True)
class Eye:
    """One eye: its lid curves (9 points, corner to corner, pixels) and a working box."""

    upper: np.ndarray
    lower: np.ndarray
    crease: float  # how far above the upper lid the stretched skin starts, pixels
    skin_gap: float  # the shut lid is lid skin from this far above the lid line, pixels
    overlap: float  # how far past the lower lid line the shut lid reaches, pixels
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in image pixels


def eyes_of(points: np.ndarray, margin: float) -> list[Eye]:
    """Both eyes of a face; ``margin`` (pixels) is room for head motion."""
    result = []
    for upper, lower, corners in (
        (lm.RIGHT_EYE_UPPER, lm.RIGHT_EYE_LOWER, (33, 133)),
        (lm.LEFT_EYE_UPPER, lm.LEFT_EYE_LOWER, (263, 362)),
    ):
        ends = points[list(corners), :2]
        up = np.concatenate([ends[:1], points[list(upper), :2], ends[1:]])
        low = np.concatenate([ends[:1], points[list(lower), :2], ends[1:]])
        width = float(np.linalg.norm(ends[1] - ends[0]))
        crease = 0.35 * width
        x0, x1 = ends[:, 0].min() - 0.25 * width - margin, ends[:, 0].max() + 0.25 * width + margin
        y0 = up[:, 1].min() - crease - margin
        y1 = low[:, 1].max() + OVERLAP * width + margin + 2
        box = (int(np.floor(x0)), int(np.floor(y0)), int(np.ceil(x1)), int(np.ceil(y1)))
        result.append(
            Eye(
                up.astype(np.float32),
                low.astype(np.float32),
                crease,
                LID_SKIN * width,
                OVERLAP * width,
                box,
            )
        )
    return result


def blink_field(
    eye: Eye, upper: torch.Tensor, lower: torch.Tensor, closure: torch.Tensor, origin
) -> tuple[torch.Tensor, tuple[int, int, int, int]]:
    """Vertical backward displacement (B, h, w) for one eye's box, and the box in ROI pixels.

    ``upper``/``lower`` are the lid curves after head motion (B, 9, 2), in ROI
    pixels; ``closure`` is (B,), 0 open to 1 shut; ``origin`` is the ROI's
    top-left corner in image pixels.
    """
    x0, x1 = eye.box[0] - origin[0], eye.box[2] - origin[0]
    y0, y1 = eye.box[1] - origin[1], eye.box[3] - origin[1]
    device = upper.device
    xs = torch.arange(x0, x1, device=device, dtype=torch.float32)
    ys = torch.arange(y0, y1, device=device, dtype=torch.float32)[None, :, None]
    top = curve_at(upper, xs)[:, None, :]
    # The shut lid reaches a little past the lower lid line: the mesh can sit a pixel
    # or two inside the drawn or photographed eye.
    bottom = curve_at(lower, xs)[:, None, :] + eye.overlap * closure[:, None, None]
    ends = upper[:, [0, -1], 0]
    left, right = ends.amin(1)[:, None, None], ends.amax(1)[:, None, None]
    span = (right - left).clamp_min(1)
    outside = torch.maximum(left - xs, xs - right).clamp_min(0) / (0.2 * span)
    window = (1 - outside).clamp(0, 1)
    shut = closure[:, None, None] * window * CLOSED_FRACTION
    lid = top + shut * (bottom - top)  # where the upper lid edge is drawn
    crease = top - eye.crease
    skin_end = top - eye.skin_gap * shut / CLOSED_FRACTION
    skin = crease + (ys - crease) * (skin_end - crease) / (lid - crease).clamp_min(1e-3)
    eyeball = top + (ys - lid) * (bottom - top) / (bottom - lid).clamp_min(1e-3)
    source = torch.where(ys <= lid, skin, eyeball)
    inside = (ys >= crease) & (ys <= bottom)
    return torch.where(inside, source - ys, torch.zeros_like(source)), (x0, y0, x1, y1)
