"""Painting the inside of the mouth, in torch, in output pixel coordinates.

Between the warped inner lips the renderer paints, back to front: a dark
cavity (the photo's lip colour, darkened, deepest in the middle and at the
corners), a hint of tongue (a desaturated red, raised for th, t, d, n, l),
the lower teeth (attached to the jaw, mostly hidden by the lower lip), and the
upper teeth (attached to the skull, so they stay where the photo's upper lip
was while the lips move around them). Teeth take their colour from the
photo's own teeth, or from the whites of the eyes, and are shaded darker
towards the corners and under the upper lip.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

UPPER_TEETH_M = 0.115  # visible height of the upper incisors, in mouth widths
LOWER_TEETH_REST_M = 0.03  # lower teeth top below the seam with the mouth closed
TEETH_HALF_WIDTH = 0.86  # the teeth arch spans this part of the half mouth
TONGUE_HALF_WIDTH = 0.42
GAP_PX = 0.6  # the closed lips are kept this far apart so the spline stays solvable


@dataclass
class MouthPaint:
    """Per-batch mouth state in output pixel coordinates (all tensors on one device).

    Curves are (B, 11, 2) from the image-left corner to the image-right corner.
    ``open``, ``spread``, ``round`` and ``tongue`` are (B,). Pushed-forward
    (rounded) lips hide most of the teeth, which sit further back.
    """

    upper_lip: torch.Tensor
    lower_lip: torch.Tensor
    upper_teeth: torch.Tensor
    seam: torch.Tensor
    open: torch.Tensor
    spread: torch.Tensor
    round: torch.Tensor
    tongue: torch.Tensor


FIELDS = ("upper_lip", "lower_lip", "upper_teeth", "seam", "open", "spread", "round", "tongue")


def curve_at(points: torch.Tensor, xs: torch.Tensor) -> torch.Tensor:
    """Piecewise-linear y of curves (B, K, 2) at columns xs (W,) -> (B, W), flat beyond the ends."""
    order = torch.argsort(points[..., 0], dim=1)
    px = torch.gather(points[..., 0], 1, order).contiguous()
    py = torch.gather(points[..., 1], 1, order)
    query = xs.expand(px.shape[0], -1).contiguous()
    right = torch.searchsorted(px, query).clamp(1, px.shape[1] - 1)
    left = right - 1
    x0, x1 = torch.gather(px, 1, left), torch.gather(px, 1, right)
    y0, y1 = torch.gather(py, 1, left), torch.gather(py, 1, right)
    t = ((query - x0) / (x1 - x0).clamp_min(1e-6)).clamp(0, 1)
    return y0 + t * (y1 - y0)


def paint(
    region: torch.Tensor,
    box: tuple[int, int, int, int],
    state: MouthPaint,
    colours: dict[str, torch.Tensor],
    mouth_width: float,
    teeth_photo: torch.Tensor | None = None,
) -> torch.Tensor:
    """Paint the mouth interior into ``region``, the pixels of ``box`` (x0, y0, x1, y1) of
    the warped frames: (B, 3, y1 - y0, x1 - x0).

    ``box`` is in the coordinates of the whole frame, as are the curves.
    ``teeth_photo`` (B, 3, h, w), where given, is the photo's own mouth over the box,
    placed where the skull carries it: its real teeth are used wherever it shows them.
    Returns ``region`` (modified in place).
    """
    x0, y0, x1, y1 = box
    device = region.device
    xs = torch.arange(x0, x1, device=device, dtype=torch.float32)
    ys = torch.arange(y0, y1, device=device, dtype=torch.float32)[None, :, None]
    top = curve_at(state.upper_lip, xs)[:, None, :] + GAP_PX / 2
    bottom = curve_at(state.lower_lip, xs)[:, None, :] - GAP_PX / 2
    left = state.upper_lip[:, 0, 0][:, None, None]
    right = state.upper_lip[:, -1, 0][:, None, None]
    across = ((xs[None, None, :] - (left + right) / 2) / ((right - left) / 2).clamp_min(1)).clamp(
        -1.5, 1.5
    )  # -1 .. 1 from corner to corner
    inside = (ys - top + 0.5).clamp(0, 1) * (bottom - ys + 0.5).clamp(0, 1)
    taper = (1 - across.abs()).mul(40).clamp(0, 1)  # to the corners, edges anti-aliased
    inside = inside * taper
    if "lips" in colours:  # the photo's mouth was open: draw the lips closed over it
        _closed_lips(region, ys, top, bottom, taper, colours["lips"], 0.035 * mouth_width)
    if float(inside.max()) <= 0:
        return region
    colour = _interior(ys, xs, across, top, bottom, state, colours, mouth_width, teeth_photo)
    region += inside[:, None] * (colour - region)
    return region


def _closed_lips(region, ys, top, bottom, taper, lips: torch.Tensor, band: float) -> None:
    """Lips meeting on a soft dark line, painted where the warp squeezed the photo's
    open mouth shut (the squeezed teeth would otherwise show), fading as they part."""
    middle = (top + bottom) / 2
    closed = (1 - (bottom - top) / 3.0).clamp(0, 1) * taper
    distance = (ys - middle).abs()
    alpha = closed * (1 - (distance - band) / 3).clamp(0, 1)
    line = (1 - 0.3 * torch.exp(-((distance / 1.0) ** 2))) * (1.04 - 0.08 * distance / band)
    colour = lips[None, :, None, None] * line[:, None]
    region += alpha[:, None] * (colour - region)


def _interior(ys, xs, across, top, bottom, state, colours, m: float, photo=None) -> torch.Tensor:
    """The colour of the mouth's inside at every pixel of the box, (B, 3, h, w)."""
    depth = ((ys - top) / (bottom - top).clamp_min(1)).clamp(0, 1)
    shade = (0.55 + 0.45 * (2 * depth - 1).abs()) * (1 - 0.35 * across.abs())
    colour = colours["cavity"][None, :, None, None] * shade[:, None]
    seam = curve_at(state.seam, xs)[:, None, :]
    open_ = state.open[:, None, None]
    lower_teeth_top = (
        seam + m * (LOWER_TEETH_REST_M + 0.26 * open_) - m * 0.03 * state.spread[:, None, None]
    )
    colour = _over(colour, _tongue(ys, across, lower_teeth_top, state, colours, m))
    arch = (1 - (across / TEETH_HALF_WIDTH) ** 2).clamp_min(0).sqrt()
    teeth_shade = (1 - 0.35 * across**2) * (arch > 0)
    lower = (ys - lower_teeth_top + 0.5).clamp(0, 1) * (arch * 4).clamp(0, 1)
    lower = lower * (1 - state.round[:, None, None])
    lower_colour = colours["teeth"][None, :, None, None] * (0.62 * teeth_shade)[:, None]
    # Lips barely apart show a dark line, not a sliver of teeth (a grey seam in the lips).
    apart = ((bottom - top - 1.0) / 3.0).clamp(0, 1)
    colour = _over(colour, (lower_colour, lower * apart))
    upper_colour, upper = _upper_teeth(
        ys, xs, across, arch, teeth_shade, top, state, colours, m, photo
    )
    colour = _over(colour, (upper_colour, upper * apart))
    tip_colour, tip = _tongue_tip(ys, across, seam, state, colours, m)
    return _over(colour, (tip_colour, tip * apart))


def _tongue_tip(ys, across, seam, state, colours, m):
    """For th (and faintly t, d, n, l): the tip of the tongue showing under the upper teeth."""
    strength = ((state.tongue - 0.5) * 2).clamp(0, 1)[:, None, None]
    centre = seam + m * (UPPER_TEETH_M * 0.9)
    shape = 1 - (across / 0.3) ** 2 - ((ys - centre) / (0.06 * m)) ** 2
    alpha = strength * (shape * 4).clamp(0, 1)
    light = 1.05 - 0.25 * ((ys - centre) / (0.06 * m)).clamp(-1, 1)
    return colours["tongue"][None, :, None, None] * light[:, None], alpha


def _tongue(ys, across, lower_teeth_top, state, colours, m):
    raise_ = state.tongue[:, None, None]
    crest = lower_teeth_top - m * (0.05 + 0.12 * raise_)
    shape = 1 - (across / TONGUE_HALF_WIDTH) ** 2
    surface = crest + (1 - shape.clamp_min(0)) * m * 0.12
    alpha = (ys - surface + 0.5).clamp(0, 1) * (shape * 6).clamp(0, 1)
    light = (1.05 - 0.5 * ((ys - crest) / (0.2 * m)).clamp(0, 1)) * (1 - 0.3 * across.abs())
    return colours["tongue"][None, :, None, None] * light[:, None], alpha


def _upper_teeth(ys, xs, across, arch, teeth_shade, top, state, colours, m, photo=None):
    """The upper teeth: a row of incisors, canines and premolars receding round the arch,
    in the shadow of the upper lip at the top, with a scalloped biting edge and faint
    dark gaps (deepest at the edge, where teeth part). Where the photo shows its own
    teeth they are used instead of the painted ones."""
    teeth_top = curve_at(state.upper_teeth, xs)[:, None, :] - 0.02 * m
    hidden = 1 - 0.75 * state.round[:, None, None]  # rounded lips cover the teeth
    gap_near = _tooth_gaps(across, m)  # 1 on a gap line, fading to 0 over a pixel or so
    edge = teeth_top + 0.02 * m + UPPER_TEETH_M * m * arch * hidden - 0.012 * m * gap_near
    alpha = (edge - ys + 0.5).clamp(0, 1) * (arch * 4).clamp(0, 1)
    below_lip = ((ys - top) / (0.06 * m)).clamp(0, 1)
    under_lip = 0.62 + 0.38 * below_lip.sqrt()  # the upper lip's shadow
    to_edge = ((edge - ys) / (0.035 * m)).clamp(0, 1)
    biting = 0.9 + 0.1 * to_edge  # thinner enamel at the edge lets the dark show through
    gaps = 1 - 0.22 * gap_near * (1 - 0.7 * to_edge)
    receding = 0.6 + 0.4 * arch  # side teeth turn away from the light
    shade = teeth_shade * receding * under_lip * biting * gaps
    teeth = colours["teeth"][None, :, None, None]
    if photo is not None:
        weight = _teeth_like(photo, teeth)
        real = photo * (under_lip / shade.clamp_min(0.3))[:, None]  # its own light, lip shadow
        teeth = teeth + weight * (real - teeth)
    return teeth * shade[:, None], alpha


def _teeth_like(photo: torch.Tensor, teeth: torch.Tensor) -> torch.Tensor:
    """(B, 1, h, w) 0..1: how far the photo's pixels look like teeth (pale and bright)."""
    light = photo.amax(dim=1, keepdim=True)
    pale = 1 - (light - photo.amin(dim=1, keepdim=True)) / light.clamp_min(1)
    bright = ((light - 0.6 * teeth.amax()) / (0.25 * teeth.amax())).clamp(0, 1)
    return bright * ((pale - 0.55) / 0.2).clamp(0, 1)


def _tooth_gaps(across: torch.Tensor, m: float) -> torch.Tensor:
    """1 on the lines between teeth, fading to 0 a pixel away: incisors widest in the
    middle, the teeth beside them narrower as the arch turns away."""
    lines = torch.tensor([0.0, 0.25, 0.45, 0.6, 0.72], device=across.device)
    distance = (across.abs()[..., None] - lines).abs().amin(-1) * (m / 2)  # pixels
    return (1 - distance / 0.9).clamp(0, 1)


def _over(base: torch.Tensor, layer) -> torch.Tensor:
    colour, alpha = layer
    return base + alpha[:, None] * (colour - base)
